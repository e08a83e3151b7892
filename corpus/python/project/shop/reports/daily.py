"""Daily report: calls the statistics helpers of another module of the package."""

from ..stats import mean, per_item
from .. import share_of
from shop import stats


def empty_day() -> float:
    """A day with no sales yet."""
    return mean([])  # expect: PY-A001


def first_sale() -> float:
    return mean([12.5])  # ok: PY-A001


def nothing_sold() -> float:
    """Two calls away, in another file: per_item -> share_of divides by zero."""
    return per_item(40, 0)  # expect: PY-A001


def some_sold() -> float:
    return per_item(40, 4)  # ok: PY-A001


def closed_share() -> float:
    """Through the package's re-export."""
    return share_of(1, 0)  # expect: PY-A001


def open_share(visits: int) -> float:
    if visits == 0:
        return 0.0
    return share_of(1, visits)  # ok: PY-A001


def module_attribute() -> float:
    """Through the module object: `stats.mean`."""
    return stats.mean([])  # expect: PY-A001
