"""Retry policy with exponential backoff."""

MAX_ATTEMPTS = 5
BASE_DELAY = 2


def delays() -> list:
    """The waits before each retry."""
    result = []
    delay = BASE_DELAY
    attempt = 0
    while attempt < MAX_ATTEMPTS:
        result.append(delay)
        delay *= 2
        attempt += 1
    assert attempt == MAX_ATTEMPTS  # ok: PY-A002
    return result


def jitter(attempts_left: int) -> float:
    """Jitter spread over the attempts that remain."""
    remaining = MAX_ATTEMPTS - 5
    return 1.0 / remaining  # expect: PY-A001
