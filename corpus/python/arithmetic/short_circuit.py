"""Threshold checks on batches."""


def batch_is_heavy(weights: list, total: float) -> bool:
    """True when the mean weight is above 2."""
    return bool(weights) and total / len(weights) > 2  # ok: PY-A001


def batch_is_light(weights: list, total: float) -> bool:
    """Inverted guard: the division runs exactly when the list is empty."""
    return not weights and total / len(weights) < 1  # expect: PY-A001


def per_item(weights: list, total: float) -> list:
    """Each weight's share of the mean."""
    return [w / len(weights) for w in weights]  # ok: PY-A001
