"""Report helpers that call the statistics functions of the same module."""


def mean(values: list) -> float:
    """Arithmetic mean; the caller must pass at least one value."""
    return sum(values) / len(values)  # expect: PY-A001


def mean_or_zero(values: list) -> float:
    """Mean, or 0.0 for an empty list."""
    if not values:
        return 0.0
    return sum(values) / len(values)  # ok: PY-A001


def share(part: int, whole: int) -> float:
    """Part of the whole, in percent."""
    return 100 * part / whole


def empty_report() -> float:
    """The mean of a report with no rows yet."""
    rows = []
    return mean(rows)  # expect: PY-A001


def padded_report() -> float:
    """Mean over rows that always include the baseline row."""
    rows = [0.0]
    return mean(rows)  # ok: PY-A001


def safe_empty_report() -> float:
    """The guarded variant is fine with no rows."""
    return mean_or_zero([])  # ok: PY-A001


def zero_share() -> float:
    """A share of nothing."""
    return share(3, 0)  # expect: PY-A001


def checked_share(total: int) -> float:
    """A share of a total that is known to be positive here."""
    if total > 0:
        return share(3, total)  # ok: PY-A001
    return 0.0
