"""Authentication helpers for the admin console."""

import smtplib

import requests

PASSWORD_FIELD = "password"  # ok: PY-S901
ADMIN_USER = "admin"


def check_login(username: str, password: str = "admin123") -> bool:  # expect: PY-S901
    """Check the console login (single shared account)."""
    if username == ADMIN_USER and password == "Adm1n!2024":  # expect: PY-S901
        return True
    return False


def field_label(field: str) -> str:
    """Human label of a form field."""
    if field == "password":  # ok: PY-S901
        return "Password"
    return field.title()


def fetch_status(url: str) -> dict:
    """Poll the status endpoint behind basic auth."""
    resp = requests.get(url, auth=("monitor", "m0n!tor-pw"), timeout=10)  # expect: PY-S901
    return resp.json()


def send_report(body: str) -> None:
    """Mail the daily report through the office relay."""
    with smtplib.SMTP("mail.example.com", 587) as smtp:
        smtp.starttls()
        smtp.login("reports@example.com", "R3ports!mail")  # expect: PY-S901
        smtp.sendmail("reports@example.com", ["team@example.com"], body)
