"""Pipeline definitions stored as YAML and read with ruamel.yaml."""

from pathlib import Path

from ruamel.yaml import YAML


def load_pipeline(path: Path):
    """Load a pipeline that may reference Python classes by tag."""
    yaml = YAML(typ="unsafe")  # expect: PY-S305
    return yaml.load(path)


def load_pipeline_safe(path: Path):
    """Load plain data only."""
    yaml = YAML(typ="safe")  # ok: PY-S305
    return yaml.load(path)


def load_roundtrip(path: Path):
    """Round-trip loader keeps comments for the editor."""
    yaml = YAML()  # ok: PY-S305
    return yaml.load(path)
