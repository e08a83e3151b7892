"""Crashes the code expects and handles, next to ones it does not."""


def ratio_or_none(a: int, b: int):
    try:
        return a // (b - b)  # ok: PY-A001
    except ZeroDivisionError:
        return None


def ratio_logged(a: int):
    done = 0
    try:
        return a / done  # ok: PY-A001
    except Exception:
        return None


def ratio_wrong_handler(a: int):
    done = 0
    try:
        return a / done  # expect: PY-A001
    except ValueError:
        return None


def first_or_default(items: list):
    try:
        return [x for x in items if x][0]  # ok: PY-A003
    except IndexError:
        return None


def regions(width: int):
    stack = [(width, 0)]
    out = []
    push_out = out.append
    while stack:
        push_out(stack.pop())
        # `push_out` is `out.append`: the list is not empty here.
        last = out[-1]  # ok: PY-A003
        if last[0] > 1:
            stack.append((last[0] // 2, last[1] + 1))
    return out


def counter():
    count = 0

    def bump():
        nonlocal count
        count += 1

    for _ in range(3):
        bump()
    assert count != 0  # ok: PY-A002
    return count
