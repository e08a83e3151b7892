"""Configuration loading for the deployment tool."""

from pathlib import Path

import yaml


def load_settings(path: Path) -> dict:
    """Read the main settings file."""
    with path.open() as fh:
        return yaml.load(fh)  # expect: PY-S303


def load_settings_safe(path: Path) -> dict:
    """Read settings with the safe loader."""
    with path.open() as fh:
        return yaml.load(fh, Loader=yaml.SafeLoader)  # ok: PY-S303


def load_overrides(text: str) -> dict:
    """Parse override snippets pasted into the web console."""
    return yaml.load(text, Loader=yaml.FullLoader)  # expect: PY-S303


def load_defaults(text: str) -> dict:
    """The loader is chosen once; it is the safe C loader."""
    loader = yaml.CSafeLoader
    return yaml.load(text, Loader=loader)  # ok: PY-S303


def load_manifests(text: str) -> list:
    """Parse a multi-document Kubernetes manifest."""
    return list(yaml.load_all(text, Loader=yaml.Loader))  # expect: PY-S304


def load_manifests_safe(text: str) -> list:
    """The same with the safe loader."""
    return list(yaml.safe_load_all(text))


def load_legacy(text: str) -> dict:
    """Old configs used python tags; kept for migration."""
    return yaml.unsafe_load(text)  # expect: PY-S303
