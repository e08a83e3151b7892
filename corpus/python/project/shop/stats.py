"""Statistics helpers shared by the shop's reports."""


def mean(values: list) -> float:
    """Arithmetic mean; the caller must pass at least one value."""
    return sum(values) / len(values)  # expect: PY-A001


def share_of(part: int, whole: int) -> float:
    """`part` as a share of `whole`; the caller keeps `whole` non-zero."""
    return part / whole


def per_item(total: int, items: int) -> float:
    return share_of(total, items)
