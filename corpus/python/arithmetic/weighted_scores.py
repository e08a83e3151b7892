"""Weighted scoring for the ranking service."""

WEIGHTS = {"clicks": 3, "views": 1}


def weighted(clicks: int, views: int) -> float:
    """Weighted score per interaction."""
    interactions = clicks + views
    score = clicks * 3 + views
    if interactions > 0:
        return score / interactions  # ok: PY-A001
    return 0.0


def weighted_unguarded(clicks: int, views: int) -> float:
    """Weighted score per interaction."""
    interactions = clicks + views
    return (clicks * 3 + views) / interactions  # expect: PY-A001


def weighted_of(entries: list) -> float:
    """Mean weight of the entries, defaulting to one entry."""
    n = max(len(entries), 1)
    return sum(entries) / n  # ok: PY-A001
