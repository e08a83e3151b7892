"""Thin client for a public weather API used by the travel planner."""

import urllib.request

import requests

API = "https://api.weather.example.com/v2"  # expect: PY-A203
TIMEOUT = 10


def current(city: str) -> dict:
    """Current conditions for a city."""
    resp = requests.get(f"{API}/current", params={"q": city})  # expect: PY-S411
    resp.raise_for_status()
    return resp.json()


def forecast(city: str, days: int = 3) -> dict:
    """Multi-day forecast, with a timeout."""
    resp = requests.get(f"{API}/forecast", params={"q": city, "days": days}, timeout=TIMEOUT)  # ok: PY-S411
    resp.raise_for_status()
    return resp.json()


def report_observation(payload: dict) -> None:
    """Send a user-submitted observation."""
    requests.post(f"{API}/observations", json=payload)  # expect: PY-S411


def radar_image(tile: str) -> bytes:
    """Download one radar tile with the standard library."""
    with urllib.request.urlopen(f"{API}/radar/{tile}.png") as resp:  # expect: PY-S411
        return resp.read()


def radar_image_bounded(tile: str) -> bytes:
    """The same with a deadline."""
    with urllib.request.urlopen(f"{API}/radar/{tile}.png", timeout=TIMEOUT) as resp:  # ok: PY-S411
        return resp.read()
