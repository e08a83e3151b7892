"""Ratio helpers with explicit validation."""


def percentage(part: int, items: list) -> float:
    """Share of ``part`` over the number of items, in percent."""
    if len(items) == 0:
        raise ValueError("items must not be empty")
    return 100 * part / len(items)  # ok: PY-A001


def percentage_unchecked(part: int, items: list) -> float:
    """Share of ``part`` over the number of items, in percent."""
    return 100 * part / len(items)  # expect: PY-A001


def ratio(numerator: float, denominator: float) -> float:
    """Plain ratio: the caller is responsible for a non-zero denominator."""
    return numerator / denominator


def checked_ratio(numerator: int, denominator: int) -> float:
    """Ratio that refuses a zero denominator."""
    if denominator == 0:
        raise ZeroDivisionError("denominator is zero")
    scaled = denominator * 2
    return numerator / scaled  # ok: PY-A001
