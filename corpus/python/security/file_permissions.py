"""Helpers that write generated scripts and caches to disk."""

import os
import stat
from pathlib import Path


def write_script(path: str, body: str) -> None:
    """Write a deploy script and make it executable for everyone."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.chmod(path, 0o777)  # expect: PY-S603


def write_script_owner(path: str, body: str) -> None:
    """Write a deploy script executable by its owner, readable by others."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.chmod(path, 0o755)  # ok: PY-S603


def share_upload_dir(path: str) -> None:
    """Let the web server and the workers write uploads."""
    mode = stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO
    os.chmod(path, mode)  # expect: PY-S603


def protect_key(path: str) -> None:
    """Private key readable by the owner only."""
    mode = stat.S_IRUSR | stat.S_IWUSR
    os.chmod(path, mode)  # ok: PY-S603


def save_cache(cache: Path, data: str) -> None:
    """Cache file shared between CLI invocations of different users."""
    cache.write_text(data, encoding="utf-8")
    cache.chmod(0o666)  # expect: PY-S604


def save_private_cache(cache: Path, data: str) -> None:
    """Cache with the user's token in it."""
    cache.write_text(data, encoding="utf-8")
    cache.chmod(0o600)  # ok: PY-S604
