"""Inventory arithmetic with assertions."""

SHELF_CAPACITY = 40
SHELVES = 3
STOCK = 120

assert SHELF_CAPACITY * SHELVES >= STOCK  # ok: PY-A002


def restock(current: int, incoming: int) -> int:
    """New stock level; callers must pass non-negative quantities."""
    assert current >= 0 and incoming >= 0  # ok: PY-A002
    return current + incoming


def split_evenly(total: int, parts: int) -> list:
    """Split ``total`` into ``parts`` shares."""
    share = total // 4
    remainder = total - share * 4
    assert 0 <= remainder < 4  # ok: PY-A002
    return [share] * 4


def doubled_is_even(n: int) -> int:
    """An assertion that holds for every n."""
    doubled = n * 2
    assert doubled % 2 == 0  # ok: PY-A002
    return doubled


def retry_budget() -> int:
    """Total wait in seconds across retries."""
    waits = [1, 2, 4, 8]
    total = sum(waits)
    assert total == 16  # expect: PY-A002
    return total


def pad_to_multiple(items: list, groups: int) -> int:
    # `r + 1` is `groups` as passed: the caller's contract, like dividing by `groups`.
    r = groups - 1
    return len(items) // (r + 1)  # ok: PY-A001


def pad_to_multiple_off_by_one(items: list, groups: int) -> int:
    # `groups - 1` is zero for one group: a value computed from the parameter is checked.
    return len(items) // (groups - 1)  # expect: PY-A001
