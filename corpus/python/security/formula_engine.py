"""Spreadsheet-style formulas for the pricing sheet importer."""

from typing import Any

DEFAULT_FORMULA = "price * quantity"


def evaluate_default(row: dict[str, Any]) -> Any:
    """Apply the built-in formula; the text is a module constant."""
    return eval(DEFAULT_FORMULA, {}, row)  # ok: PY-S101


def evaluate_discount(row: dict[str, Any]) -> Any:
    """Apply the discount formula, kept in a local constant."""
    formula = "price * quantity * 0.9"
    return eval(formula, {}, row)  # ok: PY-S101


def evaluate_column(row: dict[str, Any], column: str) -> Any:
    """Combine a column chosen by the caller with the quantity."""
    return eval(f"{column} * quantity", {}, row)  # expect: PY-S101


def evaluate_user_formula(row: dict[str, Any], formula: str) -> Any:
    """Run the formula text typed into the sheet's header cell."""
    compiled = compile(formula, "<formula>", "eval")  # expect: PY-S103
    # One defect, reported once: where the text is compiled, not again where it runs.
    return eval(compiled, {"__builtins__": {}}, row)  # ok: PY-S101


def check_syntax() -> None:
    """Warm-up: make sure the default formula compiles."""
    compile("price * quantity", "<default>", "eval")  # ok: PY-S103
