"""Post-processing hooks for the ETL job, configured per pipeline."""

import logging
from pathlib import Path

log = logging.getLogger(__name__)

BOOTSTRAP = "import json"


def run_hook_file(path: Path, context: dict) -> None:
    """Execute a hook script stored next to the pipeline definition."""
    source = path.read_text(encoding="utf-8")
    log.info("running hook %s", path)
    exec(source, {"ctx": context})  # expect: PY-S102


def prepare_namespace() -> dict:
    """Create the namespace hooks run in, with json preloaded."""
    namespace: dict = {}
    exec(BOOTSTRAP, namespace)  # ok: PY-S102
    return namespace


def run_inline_hook(snippet: str, context: dict) -> None:
    """Execute a one-line hook from the pipeline's YAML."""
    code = "result = " + snippet
    exec(code, {"ctx": context})  # expect: PY-S102


HOOKS = {
    "strip": str.strip,
    "lower": str.lower,
}


def apply_named_hook(name: str, value: str) -> str:
    """The safe variant: hooks are plain functions chosen by name."""
    try:
        return HOOKS[name](value)
    except KeyError:
        raise ValueError(f"unknown hook {name!r}") from None


def run_compiled_hook(path: Path, context: dict) -> None:
    """Compile with the file name for tracebacks, then run: one defect, reported once."""
    source = path.read_text(encoding="utf-8")
    exec(compile(source, str(path), "exec"), {"ctx": context})  # expect: PY-S103  # ok: PY-S102


def check_hook_syntax(path: Path) -> None:
    """Compiling alone (a syntax check) is still reported."""
    compile(path.read_text(encoding="utf-8"), str(path), "exec")  # expect: PY-S103
