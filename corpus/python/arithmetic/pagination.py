"""Pagination helpers for the REST API."""

DEFAULT_PAGE_SIZE = 25


def page_count(total_items: int, page_size: int = DEFAULT_PAGE_SIZE) -> int:
    """Number of pages needed for ``total_items``."""
    if page_size <= 0:
        raise ValueError("page_size must be positive")
    return (total_items + page_size - 1) // page_size  # ok: PY-A001


def page_of(index: int, items: list) -> int:
    """Page holding ``items[index]`` when the list is split in ten pages."""
    per_page = len(items) // 10
    return index // per_page  # expect: PY-A001


def page_of_safe(index: int, items: list) -> int:
    """Same, with at least one item per page."""
    per_page = max(len(items) // 10, 1)
    return index // per_page  # ok: PY-A001
