"""Grade book utilities."""

PASSING = 50
MAX_POINTS = 100
WEIGHTS = [30, 30, 40]

assert sum(WEIGHTS) == MAX_POINTS  # ok: PY-A002
assert PASSING < MAX_POINTS  # ok: PY-A002


def class_average(grades: dict) -> float:
    """Average grade of the class."""
    scores = list(grades.values())
    return sum(scores) / len(scores)  # expect: PY-A001


def pass_rate(grades: dict) -> float:
    """Share of students at or above the passing grade."""
    if not grades:
        return 0.0
    passed = [g for g in grades.values() if g >= PASSING]
    return len(passed) / len(grades)  # ok: PY-A001
