#!/usr/bin/env python3
"""Measure the import checks (PY-S001 to PY-S004).

1. Hallucinated names: for every library name of a names file (the LibraryHalluBench
   names list: {"names": [{"name", "types", "exists_on_pypi_snapshot"}]}), write
   `import <name>` into a scratch file outside any project and count the names that get
   a finding. Reported per type of name and separately for the names that are
   registered on PyPI (those should be flagged too: as typosquats or squatted names).
2. Real code (optional, `--real DIR...`): run the same rules over real projects, with
   their own dependency declarations, and count the findings per rule and the distinct
   modules they name, against the distinct top-level modules the project imports that
   are not in this interpreter's standard library. A "does not exist" error there is a
   false positive.
3. Popular names (optional, `--popular N`): `import <name>` for the N most downloaded
   PyPI projects of data/python/pypi_top.tsv (dashes as underscores); every finding is a
   false positive.

The names file is read where it is; nothing is copied into the repository.

Usage: scripts/eval_hallucinations.py NAMES_JSON [--vouch PATH] [--real DIR ...]
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = "PY-S001,PY-S002,PY-S003,PY-S004"


def vouch_json(vouch: str, paths: list[str], cwd: str) -> dict:
    out = subprocess.run(
        [vouch, "check", *paths, "--format", "json", "--select", RULES, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"vouch failed ({out.returncode}): {out.stderr[:2000]}")
    return json.loads(out.stdout)


def as_import(name: str) -> str:
    """The module name a program would import for a library name."""
    return re.sub(r"[^0-9A-Za-z_.]", "_", name.strip()).strip(".") or "_"


def bench(vouch: str, names_file: str) -> None:
    with open(names_file, encoding="utf-8") as fh:
        names = json.load(fh)["names"]
    with tempfile.TemporaryDirectory() as tmp:
        lines = [f"import {as_import(n['name'])}\n" for n in names]
        with open(os.path.join(tmp, "probe.py"), "w", encoding="utf-8") as fh:
            fh.writelines(lines)
        result = vouch_json(vouch, ["probe.py"], tmp)
    by_line = collections.defaultdict(set)
    for f in result["findings"]:
        by_line[f["line"]].add(f["rule"])
    groups = collections.defaultdict(lambda: [0, 0, collections.Counter()])
    for i, n in enumerate(names, start=1):
        registered = n.get("exists_on_pypi_snapshot", False)
        for t in n.get("types", []) + (["all registered"] if registered else ["all unregistered"]):
            g = groups[t + (" (registered)" if registered and not t.startswith("all") else "")]
            g[1] += 1
            if by_line[i]:
                g[0] += 1
                g[2].update(by_line[i])
    print(f"{'names':34} {'flagged':>9} {'of':>6} {'rate':>7}  rules")
    for key in sorted(groups):
        hit, total, rules = groups[key]
        print(f"{key:34} {hit:9} {total:6} {hit / total:7.1%}  {dict(sorted(rules.items()))}")
    missed = [n["name"] for i, n in enumerate(names, start=1) if not by_line[i]]
    if missed:
        print(f"not flagged ({len(missed)}): {', '.join(missed[:40])}")


def imported_tops(d: str) -> set[str]:
    """Distinct absolute top-level imports of a tree, minus the standard library."""
    import ast

    tops = set()
    for dirpath, dirnames, files in os.walk(d):
        dirnames[:] = [x for x in dirnames if not x.startswith(".")]
        for f in files:
            if not f.endswith(".py"):
                continue
            try:
                with open(os.path.join(dirpath, f), encoding="utf-8", errors="replace") as fh:
                    tree = ast.parse(fh.read())
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    tops.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    tops.add(node.module.split(".")[0])
    return {t for t in tops if t not in sys.stdlib_module_names}


def popular(vouch: str, n: int) -> None:
    with open(os.path.join(ROOT, "data", "python", "pypi_top.tsv"), encoding="utf-8") as fh:
        names = [line.split("\t")[1].strip() for line in fh][:n]
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "probe.py"), "w", encoding="utf-8") as fh:
            fh.writelines(f"import {as_import(x.replace('-', '_'))}\n" for x in names)
        result = vouch_json(vouch, ["probe.py"], tmp)
    flagged = collections.Counter(f["rule"] for f in result["findings"])
    lines = {f["line"] for f in result["findings"]}
    print(f"{n} most downloaded PyPI names: {len(lines)} flagged ({len(lines) / n:.1%}) {dict(flagged)}")
    for f in result["findings"][:10]:
        print(f"  {f['rule']} {f['message'][:100]}")


def real(vouch: str, dirs: list[str]) -> None:
    for d in dirs:
        result = vouch_json(vouch, [os.path.abspath(d)], ROOT)
        per_rule = collections.Counter(f["rule"] for f in result["findings"])
        modules = collections.defaultdict(collections.Counter)
        for f in result["findings"]:
            m = re.match(r"`([^`]+)`", f["message"])
            modules[f["rule"]][(m.group(1) if m else "?").split(".")[0]] += 1
        print(
            f"{d}: {result['summary']['files']} files, {len(imported_tops(d))} distinct non-stdlib "
            f"top-level imports, findings {dict(sorted(per_rule.items()))}"
        )
        for rule, c in sorted(modules.items()):
            print(f"  {rule}: {len(c)} modules: {', '.join(f'{k} ({v})' for k, v in c.most_common(15))}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", help="LibraryHalluBench names.json")
    ap.add_argument("--vouch", default=os.path.join(ROOT, "target", "release", "vouch"))
    ap.add_argument("--real", nargs="*", default=[], help="directories of real projects")
    ap.add_argument("--popular", type=int, default=0, help="also import the N most downloaded names")
    args = ap.parse_args()
    if not os.path.exists(args.vouch):
        sys.exit(f"no vouch binary at {args.vouch}; build it (cargo build --release) or pass --vouch")
    bench(args.vouch, args.names)
    if args.real:
        real(args.vouch, args.real)
    if args.popular:
        popular(args.vouch, args.popular)
    return 0


if __name__ == "__main__":
    sys.exit(main())
