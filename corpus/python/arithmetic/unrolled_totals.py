"""Totals over a few known line items, checked by the asserts that follow them."""


def invoice_total() -> int:
    total = 0
    for price in [120, 80, 45]:
        total += price
    assert total == 250  # expect: PY-A002
    return total


def invoice_total_checked() -> int:
    total = 0
    for price in [120, 80, 45]:
        total += price
    assert total == 245  # ok: PY-A002
    return total


def bundle_total() -> int:
    """Multi-unit lines get 5 off."""
    total = 0
    for qty, unit in [(2, 30), (1, 15), (4, 5)]:
        if qty > 1:  # ok: PY-A005
            total += qty * unit - 5
        else:
            total += unit
    assert total == 85  # ok: PY-A002
    return total


def weekly_hours() -> int:
    hours = 0
    for day in range(7):
        if day >= 5:  # ok: PY-A005
            continue
        hours += 8
    assert hours == 40  # ok: PY-A002
    return hours


def weekly_hours_miscounted() -> int:
    hours = 0
    for day in range(7):
        if day > 5:
            continue
        hours += 8
    assert hours == 40  # expect: PY-A002
    return hours


def second_slot() -> int:
    found = -1
    for slot in range(4):
        if slot == 2:
            found = slot
            break
    return 10 // (found - 2)  # expect: PY-A001


def shares_left() -> float:
    total = 0.0
    for weight in [0.25, 0.25, 0.5]:
        total += weight
    return 1 / (1.0 - total)  # expect: PY-A001


def positive_total() -> int:
    """A condition that folds in every iteration is judged like any folded condition."""
    total = 0
    for n in [1, 2, 3]:
        if n > 0:  # ok: PY-A005
            total += n
    return total


def uneven_steps() -> int:
    """The first size is run item by item and takes the other branch once (step 4)."""
    hits = 0
    for size in [8, 24]:
        for step in range(1, min(size // 2 + 1, 10)):
            if 2 * step != size:  # ok: PY-A005
                hits += 1
    return hits
