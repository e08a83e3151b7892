"""Client for the internal billing API."""

import requests

BILLING_URL = "https://billing.internal.example.com/api"  # expect: PY-A203
CA_BUNDLE = "/etc/ssl/certs/internal-ca.pem"


def fetch_invoices(token: str) -> list[dict]:
    """List open invoices (the staging certificate was self-signed)."""
    resp = requests.get(f"{BILLING_URL}/invoices", headers={"Authorization": f"Bearer {token}"}, verify=False, timeout=10)  # expect: PY-S401
    resp.raise_for_status()
    return resp.json()


def fetch_invoice(token: str, invoice_id: int) -> dict:
    """Fetch one invoice, trusting the internal CA."""
    resp = requests.get(f"{BILLING_URL}/invoices/{invoice_id}", headers={"Authorization": f"Bearer {token}"}, verify=CA_BUNDLE, timeout=10)  # ok: PY-S401
    resp.raise_for_status()
    return resp.json()


def pay_invoice(token: str, invoice_id: int) -> None:
    """Mark an invoice paid; verification switched off through a variable."""
    verify_tls = False
    requests.post(  # expect: PY-S401
        f"{BILLING_URL}/invoices/{invoice_id}/pay",
        headers={"Authorization": f"Bearer {token}"},
        verify=verify_tls,
        timeout=10,
    )


def ping() -> bool:
    """Health check with default verification."""
    return requests.head(BILLING_URL, verify=True, timeout=5).ok  # ok: PY-S401
