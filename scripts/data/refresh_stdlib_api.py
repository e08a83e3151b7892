#!/usr/bin/env python3
"""Rebuild data/python/stdlib_api.z: the public names of every standard-library module
(and submodule) of CPython 3.8 to 3.13, asked of the real interpreters.

Each interpreter imports every public module of its standard library (the names of
data/python/stdlib_modules.tsv that it has, not starting with `_`) and walks the
submodules of packages with `pkgutil.walk_packages`, then prints `dir(module)` without
private names. Modules that cannot be imported on this platform (`winreg`, `msvcrt`) or
that act on import (`antigravity` opens a browser, `this` prints) are left out, as are
test suites and IDLE. A name is public when it does not start with `_`; dunder names
are not tracked. A module with a module-level `__getattr__` gets the entry `+dynamic`.

Output: zlib of lines `module<TAB>name[@first-last] ...`, one per module; a name without
`@` exists in every version that has the module; `@10-13` means 3.10 to 3.13. Modules
carry their own range as a leading `@first-last` entry when they are not in all versions.

Usage: scripts/data/refresh_stdlib_api.py [PYTHON...]
(default: ~/.pyenv/versions/3.{8..13}.*/bin/python)
"""

import glob
import os
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "data", "python", "stdlib_api.z")
MODULES = os.path.join(ROOT, "data", "python", "stdlib_modules.tsv")
VERSIONS = [8, 9, 10, 11, 12, 13]

PROBE = r"""
import importlib, io, pkgutil, sys, warnings, contextlib
warnings.simplefilter("ignore")
SKIP = {"antigravity", "this", "idlelib", "test", "turtledemo", "tkinter.test",
        "lib2to3.tests", "ctypes.test", "distutils.tests", "unittest.test",
        "sqlite3.test", "__main__", "__phello__", "__hello__", "pydoc_data"}
def skipped(name):
    parts = name.split(".")
    return any(".".join(parts[:i + 1]) in SKIP for i in range(len(parts))) or \
        any(p.startswith("_") or p in ("tests", "test", "idle_test", "__main__") for p in parts[1:])
out = {}
def record(name):
    if skipped(name) or name in out:
        return None
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            mod = importlib.import_module(name)
    except BaseException:
        return None
    names = sorted(n for n in dir(mod) if not n.startswith("_"))
    # A module-level __getattr__ makes attributes dir() does not list (deprecated
    # aliases, lazy imports): such a module's missing names are not proof of absence.
    if "__getattr__" in vars(mod):
        names.append("+dynamic")
    out[name] = names
    return mod
for top in sys.stdin.read().split():
    mod = record(top)
    path = getattr(mod, "__path__", None)
    if mod is None or path is None:
        continue
    for info in pkgutil.walk_packages(path, top + ".", onerror=lambda n: None):
        record(info.name)
# os.path is an alias module that walk_packages does not see.
record("os.path")
for name in sorted(out):
    print(name + "\t" + " ".join(out[name]))
"""


def interpreters():
    home = os.path.expanduser("~/.pyenv/versions")
    found = {}
    for v in VERSIONS:
        c = sorted(glob.glob(os.path.join(home, f"3.{v}.*", "bin", "python")))
        if c:
            found[v] = c[-1]
    return found


def main() -> int:
    pythons = interpreters() if len(sys.argv) == 1 else {}
    for py in sys.argv[1:]:
        v = subprocess.run([py, "-c", "import sys; print(sys.version_info[1])"],
                           capture_output=True, text=True, check=True)
        pythons[int(v.stdout)] = py
    if sorted(pythons) != VERSIONS:
        print(f"need interpreters for 3.8 to 3.13, have {sorted(pythons)}", file=sys.stderr)
        return 1
    with open(MODULES, encoding="utf-8") as fh:
        tops = [l.split("\t")[0] for l in fh if not l.startswith("#") and not l.startswith("_")]
    tables = {}
    for v, py in sorted(pythons.items()):
        res = subprocess.run([py, "-I", "-c", PROBE], input="\n".join(tops),
                             capture_output=True, text=True, timeout=600)
        table = {}
        for line in res.stdout.splitlines():
            mod, _, names = line.partition("\t")
            table[mod] = set(names.split())
        tables[v] = table
        print(f"3.{v}: {len(table)} modules, {sum(len(s) for s in table.values())} names")
    lines = []
    for mod in sorted(set().union(*(t.keys() for t in tables.values()))):
        have = [v for v in VERSIONS if mod in tables[v]]
        entries = []
        if have != VERSIONS:
            entries.append(f"@{have[0]}-{have[-1]}")
        for name in sorted(set().union(*(tables[v][mod] for v in have))):
            vs = [v for v in have if name in tables[v][mod]]
            entries.append(name if vs == have else f"{name}@{vs[0]}-{vs[-1]}")
        lines.append(f"{mod}\t{' '.join(entries)}\n")
    data = "".join(lines).encode("utf-8")
    with open(OUT, "wb") as fh:
        fh.write(zlib.compress(data, 9))
    print(f"{len(lines)} modules, {len(data)} bytes, {os.path.getsize(OUT)} compressed in "
          f"{os.path.relpath(OUT, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
