"""Shared HTTP client factories for the integration workers."""

import ssl

import httpx
import requests


def legacy_session() -> requests.Session:
    """Session for the old partner API with a broken certificate chain."""
    session = requests.Session()
    session.headers["User-Agent"] = "integration-worker/1.4"
    session.verify = False  # expect: PY-S402
    return session


def partner_session(ca_file: str) -> requests.Session:
    """Session that trusts the partner's private CA."""
    session = requests.Session()
    session.verify = ca_file  # ok: PY-S402
    return session


def insecure_client() -> httpx.Client:
    """httpx client used by the scraper."""
    return httpx.Client(verify=False, timeout=20)  # expect: PY-S401


def async_client(ca_file: str) -> httpx.AsyncClient:
    """Async client pinned to a CA file."""
    ctx = ssl.create_default_context(cafile=ca_file)
    return httpx.AsyncClient(verify=ctx, timeout=20)  # ok: PY-S401


def client_for(env: str) -> httpx.Client:
    """Verification depends on the environment name."""
    check = env != "dev"
    return httpx.Client(verify=check, timeout=20)  # expect: PY-S401
