"""Scrape Prometheus-style metrics from appliances on the LAN."""

import aiohttp
import urllib3

urllib3.disable_warnings()

lab_pool = urllib3.PoolManager(cert_reqs="CERT_NONE", timeout=5.0)  # expect: PY-S404
prod_pool = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs="/etc/ssl/certs/ca.pem", timeout=5.0)  # ok: PY-S404


def scrape_lab(host: str) -> bytes:
    """Read metrics from a lab appliance."""
    return lab_pool.request("GET", f"https://{host}:9100/metrics").data


async def scrape_async(url: str) -> str:
    """Async scrape used by the dashboard refresh task."""
    connector = aiohttp.TCPConnector(ssl=False)  # expect: PY-S403
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.get(url) as resp:
            return await resp.text()


async def scrape_async_verified(url: str) -> str:
    """Same, with default certificate checks."""
    connector = aiohttp.TCPConnector(limit=10)  # ok: PY-S403
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.get(url) as resp:
            return await resp.text()
