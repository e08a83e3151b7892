"""Report helpers built on helpers: the statistics reach the callers two calls away."""

import math


def mean(values: list) -> float:
    """Arithmetic mean; the caller must pass at least one value."""
    return sum(values) / len(values)  # expect: PY-A001


def average_of(rows: list) -> float:
    """The rows' average; the empty case is the caller's to avoid."""
    return mean(rows)


def empty_summary() -> float:
    """A summary of a report with no rows yet."""
    return average_of([])  # expect: PY-A001


def baseline_summary() -> float:
    """A summary that always includes the baseline row."""
    return average_of([1.0])  # ok: PY-A001


def half(n: int) -> int:
    return n // 2


def columns(width: int) -> int:
    """Columns left after the margin."""
    return half(width) - 1


def narrow_layout() -> float:
    """A layout two characters wide has no column to spread over."""
    return 10 / columns(2)  # expect: PY-A001


def wide_layout() -> float:
    return 10 / columns(8)  # ok: PY-A001


def ratio(part: int, whole: int) -> float:
    return part / whole


def percent(part: int, whole: int) -> float:
    return ratio(part, whole) * 100


def nothing_done() -> float:
    """Progress before any task exists."""
    return percent(0, 0)  # expect: PY-A001


def progress(done: int, total: int) -> float:
    if total == 0:
        return 100.0
    return percent(done, total)  # ok: PY-A001


def factorial(n: int) -> int:
    """Recursion gets no summary of itself: the analysis ends."""
    return 1 if n <= 1 else n * factorial(n - 1)


def per_arrangement(total: int) -> int:
    return total // factorial(0)  # ok: PY-A001


def tag(labels: dict) -> dict:
    labels["seen"] = True
    return labels


def tagged(labels: dict) -> dict:
    return tag(labels)


def tag_weight() -> float:
    """`tag` returns its argument changed, not as it was passed."""
    return 1 / len(tagged({}))  # ok: PY-A001


def identity(n: int) -> int:
    return n


def passthrough(n: int) -> int:
    return identity(n)


def reciprocal_of_nothing() -> float:
    return 1 / passthrough(0)  # expect: PY-A001


def run_lengths(kinds: list) -> list:
    counts = []
    previous = None
    for kind in kinds:
        if kind == previous:
            counts[-1] += 1
        else:
            previous = kind
            counts.append(1)
    return counts



def latest_run() -> list:
    """Only a `None` from `next_kind()` would take the first branch: no call decides that."""
    from inventory import next_kind

    return run_lengths([next_kind()])  # ok: PY-A003


def side(area: int) -> float:
    return math.sqrt(area)


def tile_side(area: int) -> float:
    return side(area)


def overdrawn_tile() -> float:
    """A negative area, two calls before the square root."""
    return tile_side(-4)  # expect: PY-A004


def unit_tile() -> float:
    return tile_side(1)  # ok: PY-A004
