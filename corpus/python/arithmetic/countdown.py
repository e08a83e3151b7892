"""Rate limiting helpers."""


def drain_rate(capacity: int) -> float:
    """Capacity spread over the remaining steps."""
    steps = 10
    while steps > 0:
        steps -= 1
    return capacity / steps  # expect: PY-A001


def fill_rate(capacity: int) -> float:
    """Capacity spread over the steps taken."""
    steps = 0
    while steps < 10:
        steps += 1
    return capacity / steps  # ok: PY-A001
