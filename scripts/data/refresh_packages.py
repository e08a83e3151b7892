#!/usr/bin/env python3
"""Rebuild the PyPI name data that vouch ships in its binary (see data/README.md).

Input: a tab-separated list of PyPI projects with the columns
    name, version, month, rank_among_15000_most_downloaded, summary
(a header line first; the development machines have one among the `env` skill's
package lists). Outputs, both read by `src/analyze/packages.rs`:

data/python/pypi_names.z  zlib stream of every PEP 503 normalised project name, sorted
    by bytes and front coded, one per line: a character for the length of the prefix
    shared with the previous name (chr(48 + n), n <= 60), a class character, then the
    rest of the name. Classes:
      'h'  a name holder: the summary says it is a placeholder, a squat, a dependency
           confusion guard or research upload ("Benign slopsquatting research package"),
           or it is unranked, at a 0.0.x version and its summary is empty or a template's
      'y'  young and unpopular: unranked, latest upload in the last two years of the
           list, version below 1.0
      '.'  anything else
data/python/pypi_top.tsv  `rank<TAB>name` of the 15,000 most downloaded projects.

Front coding before zlib: 3.3 MB instead of 4.0 MB for the plain sorted list, and no
decompressor beyond the one the build already has.

Usage: scripts/data/refresh_packages.py PYPI_TSV
"""

import datetime
import os
import re
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMES = os.path.join(ROOT, "data", "python", "pypi_names.z")
TOP = os.path.join(ROOT, "data", "python", "pypi_top.tsv")

# Summaries that mark an upload as a holder of the name rather than a library.
PLACEHOLDER = re.compile(
    r"placeholder|dependency[ -]confusion|slopsquat|typosquat|reserved (name|package)"
    r"|security (holding|placeholder)|package takeover|not installing the correct"
    r"|prevent.*confusion|name ?squat|malicious|this is a dummy package|^dummy package",
    re.IGNORECASE,
)
# Summaries that a project template leaves when nobody wrote one.
EMPTY_SUMMARY = {
    "",
    "unknown",
    "add your description here",
    "a small example package",
    "a short description of your package",
    "my short description for my project.",
    "type your description here",
    "add a short description here!",
    "test",
    "default template for pdm package",
}
MAX_PREFIX = 60


def normalise(name: str) -> str:
    """PEP 503 normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def classify(version: str, month: str, rank: int, summary: str, newest: str) -> str:
    if rank:
        return "."
    if PLACEHOLDER.search(summary):
        return "h"
    if version.startswith("0.0") and summary.strip().lower() in EMPTY_SUMMARY:
        return "h"
    if month >= newest and version.split(".")[0] == "0":
        return "y"
    return "."


def two_years_before(month: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not m:
        return "9999-99"
    return f"{int(m.group(1)) - 2}-{m.group(2)}"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source = sys.argv[1]
    rows = []
    with open(source, encoding="utf-8", errors="replace") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        if header[:4] != ["name", "version", "month", "rank_among_15000_most_downloaded"]:
            print(f"unexpected columns: {header}", file=sys.stderr)
            return 1
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or not cols[0]:
                continue
            rank = int(cols[3]) if cols[3].strip().isdigit() else 0
            summary = cols[4] if len(cols) > 4 else ""
            rows.append((normalise(cols[0]), cols[1], cols[2], rank, summary))
    newest = two_years_before(max(r[2] for r in rows))
    classes: dict[str, str] = {}
    ranks: dict[str, int] = {}
    for name, version, month, rank, summary in rows:
        cls = classify(version, month, rank, summary, newest)
        # Two spellings of one normalised name: the ordinary class wins.
        if classes.get(name, cls) == ".":
            cls = "."
        classes[name] = cls
        if rank and (name not in ranks or rank < ranks[name]):
            ranks[name] = rank
    lines = []
    prev = b""
    for name in sorted(classes, key=lambda k: k.encode("utf-8")):
        raw = name.encode("utf-8")
        shared = 0
        limit = min(len(prev), len(raw), MAX_PREFIX)
        while shared < limit and prev[shared] == raw[shared]:
            shared += 1
        lines.append(bytes([48 + shared]) + classes[name].encode() + raw[shared:] + b"\n")
        prev = raw
    with open(NAMES, "wb") as fh:
        fh.write(zlib.compress(b"".join(lines), 9))
    with open(TOP, "w", encoding="utf-8") as fh:
        for name, rank in sorted(ranks.items(), key=lambda kv: (kv[1], kv[0])):
            fh.write(f"{rank}\t{name}\n")
    counts = {c: sum(1 for v in classes.values() if v == c) for c in "hy."}
    print(
        f"{len(classes)} names ({counts['h']} holders, {counts['y']} young since {newest}), "
        f"{len(ranks)} ranked; {os.path.getsize(NAMES)} bytes in "
        f"{os.path.relpath(NAMES, ROOT)} (source {os.path.basename(source)}, "
        f"{datetime.date.today()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
