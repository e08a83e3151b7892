#!/usr/bin/env python3
"""Rebuild data/python/stdlib_signatures.z: the parameters of the public functions and
classes of every standard-library module of CPython 3.8 to 3.13, asked of the real
interpreters with `inspect.signature`.

Each interpreter imports the modules listed in data/python/stdlib_api.z (the same set
`refresh_stdlib_api.py` found importable) and, for every public name that is a function,
a builtin or a class, records its parameters; names whose signature `inspect` cannot
tell (many builtins implemented in C) are left out and never checked.

The versions are merged into what some supported version accepts, so that a call is
only reported as wrong when no version from 3.8 to 3.13 would take it:
    qualname<TAB>max-positional<TAB>keyword names<TAB>flags
max-positional is `*` when some version takes `*args`; flags holds `K` when some
version takes `**kwargs` (then keywords are not checked). A keyword that only some of
the versions having the function accept carries them as `name@first-last`
(`onexc@12-13` for `shutil.rmtree`).

Usage: scripts/data/refresh_stdlib_signatures.py [PYTHON...]
(default: ~/.pyenv/versions/3.{8..13}.*/bin/python)
"""

import glob
import os
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "data", "python", "stdlib_signatures.z")
API = os.path.join(ROOT, "data", "python", "stdlib_api.z")
VERSIONS = [8, 9, 10, 11, 12, 13]

PROBE = r"""
import importlib, inspect, io, sys, warnings, contextlib
warnings.simplefilter("ignore")
P = inspect.Parameter
for name in sys.stdin.read().split():
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            mod = importlib.import_module(name)
    except BaseException:
        continue
    for attr in sorted(dir(mod)):
        if attr.startswith("_"):
            continue
        try:
            obj = getattr(mod, attr)
        except BaseException:
            continue
        if not (inspect.isfunction(obj) or inspect.isbuiltin(obj) or inspect.isclass(obj)):
            continue
        try:
            sig = inspect.signature(obj)
        except BaseException:
            continue
        positional, keywords, var_pos, var_kw = 0, [], False, False
        for p in sig.parameters.values():
            if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD):
                positional += 1
            if p.kind in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY):
                keywords.append(p.name)
            var_pos |= p.kind == P.VAR_POSITIONAL
            var_kw |= p.kind == P.VAR_KEYWORD
        print("%s.%s\t%s\t%s\t%s" % (name, attr, "*" if var_pos else positional,
                                     " ".join(keywords), "K" if var_kw else ""))
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
    modules = [l.split("\t")[0] for l in zlib.decompress(open(API, "rb").read()).decode().splitlines()]
    merged: dict[str, list] = {}
    present: dict[str, list[int]] = {}
    keyword_versions: dict[tuple[str, str], list[int]] = {}
    for v, py in sorted(pythons.items()):
        res = subprocess.run([py, "-I", "-c", PROBE], input="\n".join(modules),
                             capture_output=True, text=True, timeout=900)
        count = 0
        for line in res.stdout.splitlines():
            q, pos, kws, flags = (line.split("\t") + ["", "", ""])[:4]
            count += 1
            present.setdefault(q, []).append(v)
            for k in kws.split():
                keyword_versions.setdefault((q, k), []).append(v)
            m = merged.setdefault(q, [0, set(), False])
            m[0] = "*" if pos == "*" or m[0] == "*" else max(m[0], int(pos))
            m[1].update(kws.split())
            m[2] = m[2] or flags == "K"
        print(f"3.{v}: {count} signatures")
    def keyword(q: str, k: str) -> str:
        have = keyword_versions[(q, k)]
        return k if have == present[q] else f"{k}@{have[0]}-{have[-1]}"

    lines = [f"{q}\t{m[0]}\t{' '.join(keyword(q, k) for k in sorted(m[1]))}\t{'K' if m[2] else ''}\n"
             for q, m in sorted(merged.items())]
    data = "".join(lines).encode("utf-8")
    with open(OUT, "wb") as fh:
        fh.write(zlib.compress(data, 9))
    print(f"{len(lines)} signatures, {len(data)} bytes, {os.path.getsize(OUT)} compressed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
