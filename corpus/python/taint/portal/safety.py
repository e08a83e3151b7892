"""Helpers the portal's views share."""

import re
import subprocess

SAFE_NAME = re.compile(r"[a-z0-9_]+")


def clean_name(raw: str) -> str:
    """The name when it is plain, else a fixed default."""
    if SAFE_NAME.fullmatch(raw):
        return raw
    return "guest"


def weak_clean(raw: str) -> str:
    """Trims blanks only: quotes and semicolons stay."""
    return raw.strip()


def run_report(name: str) -> int:
    """Runs the report script for a user."""
    return subprocess.run("report.sh " + name, shell=True, check=False).returncode  # expect: PY-S202


def default_user() -> str:
    return "guest"


class Greeter:
    def title(self) -> str:
        return "welcome"
