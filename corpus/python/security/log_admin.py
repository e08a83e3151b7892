"""Runtime log-level control for long-running workers."""

import hmac
import logging.config
import os

SIGNING_KEY = os.environ.get("LOG_CONFIG_KEY", "").encode()


def _verified(payload: bytes) -> bytes | None:
    """Accept a configuration only if its trailing HMAC line matches."""
    body, _, tag = payload.rpartition(b"\n")
    expected = hmac.new(SIGNING_KEY, body, "sha256").hexdigest().encode()
    if hmac.compare_digest(tag, expected):
        return body
    return None


def start_unverified_listener() -> None:
    """Let operators push a new logging config to this worker."""
    listener = logging.config.listen(9030)  # expect: PY-S105
    listener.start()


def start_verified_listener() -> None:
    """Same, but every configuration must be signed."""
    listener = logging.config.listen(9030, verify=_verified)  # ok: PY-S105
    listener.start()
