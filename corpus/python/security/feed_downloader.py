"""Download partner product feeds over HTTPS."""

import ssl
import urllib.request

# The partner's CDN serves an expired intermediate certificate.
ssl._create_default_https_context = ssl._create_unverified_context  # expect: PY-S405


def download_feed(url: str) -> bytes:
    """Fetch one feed file."""
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.read()


def download_feed_verified(url: str, ca_file: str) -> bytes:
    """Fetch with an explicit, verifying context."""
    ctx = ssl.create_default_context(cafile=ca_file)
    with urllib.request.urlopen(url, context=ctx, timeout=30) as resp:
        return resp.read()
