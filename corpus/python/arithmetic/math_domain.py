"""Numeric helpers for the analytics service."""

import math

MIN_SAMPLES = 2


def spread(high: int, low: int) -> float:
    """Square root of the difference between two readings."""
    return math.sqrt(high - low)  # expect: PY-A004


def spread_checked(high: int, low: int) -> float:
    """Square root of the difference, only when it is non-negative."""
    if high < low:
        return 0.0
    return math.sqrt(high - low)  # ok: PY-A004


def magnitude(count: int) -> float:
    """Orders of magnitude in a count."""
    return math.log10(count)  # ok: PY-A004


def log_size(items: list[str]) -> float:
    """Natural log of the number of items."""
    return math.log(len(items))  # expect: PY-A004


def log_size_guarded(items: list[str]) -> float:
    """Natural log of the number of items, zero for an empty list."""
    if not items:
        return 0.0
    return math.log(len(items))  # ok: PY-A004


def bits_needed(buckets: int) -> float:
    """Bits for a bucket index."""
    if buckets < 0:
        raise ValueError("negative bucket count")
    return math.log2(buckets)  # expect: PY-A004


def bits_needed_fixed(buckets: int) -> float:
    """Bits for a bucket index, at least one bucket."""
    if buckets < 1:
        raise ValueError("need at least one bucket")
    return math.log2(buckets)  # ok: PY-A004


def default_angle() -> float:
    """Angle for the default ratio."""
    return math.acos(1.5)  # expect: PY-A004


def right_angle() -> float:
    """Angle for a zero cosine."""
    return math.acos(0.0)  # ok: PY-A004


def sample_scale() -> float:
    """Scale factor from the minimum sample count."""
    return math.sqrt(MIN_SAMPLES - 3)  # expect: PY-A004


def step_angle(step: int, steps: int) -> float:
    """Angle of one step of a dial, clamped to the dial."""
    position = step - steps
    if -1 <= position <= 1:
        return math.asin(position)  # ok: PY-A004
    return 0.0
