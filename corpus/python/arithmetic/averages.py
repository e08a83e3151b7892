"""Small statistics helpers for the metrics dashboard."""

from typing import Sequence


def average(values: Sequence[float]) -> float:
    """Return the arithmetic mean of ``values``."""
    return sum(values) / len(values)  # expect: PY-A001


def safe_average(values: Sequence[float]) -> float:
    """Return the mean of ``values``, or 0.0 for an empty sequence."""
    if not values:
        return 0.0
    return sum(values) / len(values)  # ok: PY-A001


def average_or_none(values: Sequence[float]) -> float | None:
    """Return the mean, or None when there is nothing to average."""
    if len(values) < 1:
        return None
    return sum(values) / len(values)  # ok: PY-A001


def inline_average(values: Sequence[float]) -> float:
    """Mean with a conditional expression guard."""
    return sum(values) / len(values) if values else 0.0  # ok: PY-A001
