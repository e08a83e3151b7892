"""Relay incoming webhooks to the subscribers registered for them."""

import requests

session = requests.Session()
session.headers["User-Agent"] = "webhook-relay/2.0"


def deliver(url: str, event: dict) -> int:
    """POST one event to a subscriber."""
    resp = session.post(url, json=event)  # expect: PY-S411
    return resp.status_code


def deliver_bounded(url: str, event: dict) -> int:
    """POST with connect/read limits so a slow subscriber cannot stall the relay."""
    resp = session.post(url, json=event, timeout=(3.05, 10))  # ok: PY-S411
    return resp.status_code


def forward_raw(method: str, url: str, body: bytes) -> int:
    """Forward an arbitrary request."""
    resp = requests.request(method, url, data=body)  # expect: PY-S411
    return resp.status_code
