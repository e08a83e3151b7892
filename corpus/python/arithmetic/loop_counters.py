"""Aggregation over query results, as written by an assistant."""


def mean_score(rows):
    """Average the ``score`` column of the rows."""
    total = 0
    count = 0
    for row in rows:
        total += row["score"]
        count += 1
    return total / count  # expect: PY-A001


def mean_score_smoothed(rows):
    """Average with add-one smoothing, never divides by zero."""
    total = 0
    count = 1
    for row in rows:
        total += row["score"]
        count += 1
    return total / count  # ok: PY-A001


def mean_active(users):
    """Average age of active users."""
    active = 0
    ages = 0
    for user in users:
        if user.is_active:
            active += 1
            ages += user.age
    if active == 0:
        return 0
    return ages / active  # ok: PY-A001
