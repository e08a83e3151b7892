#!/usr/bin/env python3
"""Helper for scripts/bench.sh (standard library only).

  bench_report.py count TREE        print "<python files> <lines>" for TREE
  bench_report.py stdlib DEST       copy this Python's standard library to DEST (offline fallback)
  bench_report.py report ...        read bench.sh's results.tsv, count findings, print the table
"""

import argparse
import json
import os
import shutil
import sys
import sysconfig

SKIP_DIRS = {"__pycache__", "site-packages", "dist-packages", ".git"}


def python_files(tree):
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def count(tree):
    files = lines = 0
    for path in python_files(tree):
        files += 1
        with open(path, "rb") as f:
            data = f.read()
        lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return files, lines


def median_file(tree):
    """The Python file of median size (ties by path): a typical file to change."""
    files = sorted(python_files(tree), key=lambda p: (os.path.getsize(p), p))
    return files[len(files) // 2] if files else ""


def copy_stdlib(dest):
    src = sysconfig.get_paths()["stdlib"]
    ignore = shutil.ignore_patterns(*SKIP_DIRS, "*.pyc", "*.so")
    shutil.copytree(src, dest, ignore=ignore, symlinks=True)
    print(f"copied {src} to {dest}", file=sys.stderr)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"warning: cannot read {path}: {e}", file=sys.stderr)
        return None


def count_findings(kind, path, tree_files=None):
    """Number of findings in a tool's JSON output, plus a remark (or None)."""
    if kind == "none" or not path:
        return None, None
    data = load_json(path)
    if data is None:
        return None, "no JSON output"
    if kind == "vouch":
        findings = data.get("findings", [])
        summary = data.get("summary") or {}
        remark = None
        if summary:
            remark = "analyzed {} files, {} lines; {} proved, {} violated, {} unknown".format(
                summary.get("files", "?"),
                summary.get("lines", "?"),
                summary.get("proved", "?"),
                summary.get("violated", "?"),
                summary.get("unknown", "?"),
            )
            if tree_files is not None and summary.get("files") not in (None, tree_files):
                remark += f" (the tree has {tree_files} .py files)"
        return len(findings), remark
    if kind == "ruff":
        return len(data), None
    if kind == "bandit":
        errors = len(data.get("errors", []))
        remark = f"{errors} files it could not parse" if errors else None
        return len(data.get("results", [])), remark
    return None, None


def fmt_int(n):
    return "-" if n is None else f"{n:,}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.3g}x"


def report(args):
    rows = []
    with open(args.results, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            name, kind, wall, peak, output, status = line.rstrip("\n").split("\t")
            findings, remark = (None, None)
            if status == "ok":
                findings, remark = count_findings(kind, output, args.files)
            rows.append(
                {
                    "tool": name,
                    "wall_s": float(wall) if wall not in ("", "-") else None,
                    "peak_rss_mib": int(peak) / 1024 if status == "ok" and int(peak) else None,
                    "findings": findings,
                    "status": status,
                    "remark": remark,
                }
            )
    for row in rows:
        row["lines_per_s"] = (
            round(args.lines / row["wall_s"]) if row["wall_s"] else None
        )
    versions = dict(v.split("=", 1) for v in args.version)
    by_tool = {r["tool"]: r for r in rows}
    vouch = by_tool.get("vouch")

    ratios = []
    for other in ("bandit", "ruff-S"):
        o = by_tool.get(other)
        if o and vouch and vouch["status"] == "ok" and o["status"] == "ok":
            ratios.append(
                (
                    f"{other}/vouch",
                    ratio(o["wall_s"], vouch["wall_s"]),
                    ratio(o["peak_rss_mib"], vouch["peak_rss_mib"]),
                )
            )

    # Each vouch row against Ruff-S's cold wall time (the targets are stated so).
    ruff = by_tool.get("ruff-S")
    if ruff and ruff["status"] == "ok" and ruff["wall_s"]:
        for r in rows:
            if r["tool"].startswith("vouch") and r["status"] == "ok" and r["wall_s"]:
                ratios.append(
                    (
                        f"{r['tool']}/ruff-S",
                        ratio(r["wall_s"], ruff["wall_s"]),
                        ratio(r["peak_rss_mib"], ruff["peak_rss_mib"]),
                    )
                )

    base = os.path.basename(args.tree.rstrip("/"))
    head = (
        f"code base: {base} ({args.files:,} Python files, {args.lines:,} lines); "
        f"best of {args.runs} runs; {args.cpus} CPUs"
    )
    vers = "; ".join(f"{k} {v}" for k, v in versions.items())

    # Plain table on stdout.
    print()
    print(head)
    print(f"versions: {vers}")
    print()
    print(f"{'tool':<18}{'wall (s)':>10}{'peak RSS (MiB)':>16}{'findings':>10}{'lines/s':>12}  status")
    for r in rows:
        wall = "-" if r["wall_s"] is None else f"{r['wall_s']:.3f}"
        rss = "-" if r["peak_rss_mib"] is None else f"{r['peak_rss_mib']:.1f}"
        print(
            f"{r['tool']:<18}{wall:>10}{rss:>16}{fmt_int(r['findings']):>10}"
            f"{fmt_int(r['lines_per_s']):>12}  {r['status']}"
        )
    print()
    for name, t, m in ratios:
        print(f"{name}: time {t}, memory {m}")
    if vouch and vouch["lines_per_s"]:
        print(f"vouch: {vouch['lines_per_s']:,} lines per second")
    for r in rows:
        if r["remark"]:
            print(f"{r['tool']}: {r['remark']}")

    md = [
        f"Code base: `{base}` ({args.files:,} Python files, {args.lines:,} lines), "
        f"best of {args.runs} runs, {args.cpus} CPUs; {vers}.",
        "",
        "| tool | wall (s) | peak RSS (MiB) | findings | lines/s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        wall = "-" if r["wall_s"] is None else f"{r['wall_s']:.3f}"
        rss = "-" if r["peak_rss_mib"] is None else f"{r['peak_rss_mib']:.1f}"
        if r["status"] != "ok":
            wall = r["status"]
        md.append(
            f"| {r['tool']} | {wall} | {rss} | {fmt_int(r['findings'])} | {fmt_int(r['lines_per_s'])} |"
        )
    if ratios:
        md.append("")
        for name, t, m in ratios:
            md.append(f"- {name}: time {t}, memory {m}")
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(
            {
                "tree": args.tree,
                "files": args.files,
                "lines": args.lines,
                "runs": args.runs,
                "cpus": args.cpus,
                "versions": versions,
                "tools": rows,
                "ratios": [{"pair": n, "time": t, "memory": m} for n, t, m in ratios],
            },
            f,
            indent=2,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("count")
    p.add_argument("tree")
    p = sub.add_parser("median-file")
    p.add_argument("tree")
    p = sub.add_parser("stdlib")
    p.add_argument("dest")
    p = sub.add_parser("report")
    p.add_argument("--results", required=True)
    p.add_argument("--tree", required=True)
    p.add_argument("--files", type=int, required=True)
    p.add_argument("--lines", type=int, required=True)
    p.add_argument("--runs", type=int, required=True)
    p.add_argument("--cpus", default="?")
    p.add_argument("--version", action="append", default=[])
    p.add_argument("--markdown", required=True)
    p.add_argument("--json", required=True)
    args = parser.parse_args()
    if args.cmd == "count":
        files, lines = count(args.tree)
        print(files, lines)
    elif args.cmd == "median-file":
        print(median_file(args.tree))
    elif args.cmd == "stdlib":
        copy_stdlib(args.dest)
    else:
        report(args)


if __name__ == "__main__":
    main()
