"""Exporter plugins for the reporting CLI."""

import importlib
from types import ModuleType


def load_exporter(fmt: str) -> ModuleType:
    """Import `exporters.<fmt>` for the format named on the command line."""
    return importlib.import_module(f"exporters.{fmt}")  # expect: PY-S104


def load_builtin_json() -> ModuleType:
    """The JSON exporter always exists."""
    return importlib.import_module("exporters.json")  # ok: PY-S104


def load_by_dunder(name: str) -> ModuleType:
    """Older code path kept for backwards compatibility."""
    return __import__(name)  # expect: PY-S104


def load_csv() -> ModuleType:
    """CSV support, imported lazily because it pulls in pandas."""
    module_name = "exporters.csv"
    return importlib.import_module(module_name)  # ok: PY-S104
