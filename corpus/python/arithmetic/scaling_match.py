"""Unit scaling for the report generator."""


def scale(kind: str, value: float) -> float:
    """Scale ``value`` by the named fraction."""
    match kind:
        case "half":
            divisor = 2
        case "third":
            divisor = 3
        case _:
            divisor = 0
    return value / divisor  # expect: PY-A001


def scale_strict(kind: str, value: float) -> float:
    """Scale ``value``, rejecting unknown kinds."""
    match kind:
        case "half":
            divisor = 2
        case "third":
            divisor = 3
        case _:
            raise ValueError(f"unknown kind {kind}")
    return value / divisor  # ok: PY-A001
