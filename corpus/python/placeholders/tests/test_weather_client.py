"""Tests use made-up keys and hosts on purpose: no placeholder findings here."""

API_KEY = "YOUR_API_KEY"  # ok: PY-A203, PY-S901
BASE_URL = "https://api.example.com/v1"  # ok: PY-A203


def fake_settings(password: str = "changeme") -> dict:  # ok: PY-A203, PY-S901
    return {"api_key": API_KEY, "url": BASE_URL, "password": password}


def test_settings_have_a_key():
    assert fake_settings()["api_key"] == API_KEY
