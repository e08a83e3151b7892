"""Messages and edge cases that look like arithmetic but are not."""

import gettext

_ = gettext.gettext


def items_message(count: int) -> str:
    """`%` with a string on the left formats; it does not divide."""
    template = _("%d items")
    return template % 0  # ok: PY-A001


def url_for(pattern: str, params: dict) -> str:
    """A pattern filled from a mapping."""
    prefix = "/api/"
    return (prefix + pattern) % params  # ok: PY-A001


def always_fails() -> None:
    """A test helper that raises ZeroDivisionError on purpose."""
    raise 1 / 0  # ok: PY-A001


def bucket_of(key: str, buckets: list) -> int:
    """A real modulo by a length."""
    return hash(key) % len(buckets)  # expect: PY-A001


def split_even(total: int, parts: list) -> tuple:
    """Quotient and remainder of an even split."""
    return divmod(total, len(parts))  # expect: PY-A001


def split_even_checked(total: int, parts: list) -> tuple:
    """The same after making sure there is a part."""
    if not parts:
        return (0, total)
    return divmod(total, len(parts))  # ok: PY-A001
