"""Parsing user supplied rates from a settings form."""


def requests_per_slot(text: str) -> int:
    """How many requests fit in one slot of the configured rate."""
    try:
        rate = int(text)
    except ValueError:
        rate = 0
    return 100 // rate  # expect: PY-A001


def requests_per_slot_default(text: str) -> int:
    """Same, falling back to a sane default."""
    try:
        rate = int(text)
    except ValueError:
        rate = 10
    if rate <= 0:
        rate = 1
    return 100 // rate  # ok: PY-A001
