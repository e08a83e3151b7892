#!/usr/bin/env python3
"""Rust figures for the notes, from the labelled sets in ../shared/eval (not copied here).

    scripts/eval_rust.py [VOUCH_BINARY]      default: target/release/vouch

- rust_arith_oracles: every MirChecker `// Error` line flagged? Of the lines the Clippy
  arithmetic UI tests flag, how many vouch proves safe (every site on the line proved, no
  finding) and how many it confirms (a finding with a witness on the line).
- scout_ink: vulnerable and remediated sides of each pair, flagged by any rule and by the
  arithmetic rules (RS-A*).
"""
import json
import os
import subprocess
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL = os.path.join(ROOT, "..", "shared", "eval")


def run(binary, path):
    out = subprocess.run(
        [binary, "check", path, "--format", "json", "--proofs", "--no-cache", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"vouch failed on {path}: {out.stderr}")
    return json.loads(out.stdout)


def rel(path, base):
    return os.path.relpath(os.path.abspath(path), os.path.abspath(base))


def oracles(binary):
    base = os.path.join(EVAL, "rust_arith_oracles")
    labels = json.load(open(os.path.join(base, "labels.json")))
    report = run(binary, os.path.join(base, "files"))
    findings = defaultdict(list)
    for f in report["findings"]:
        findings[(rel(f["path"], base), f["line"])].append(f)
    proofs = defaultdict(list)
    for p in report.get("proofs") or []:
        proofs[(rel(p["path"], base), p["line"])].append(p)
    mir_lines = mir_hit = 0
    clippy_lines = proved = confirmed = flagged_other = 0
    for lab in labels:
        lines = lab.get("expected_lines") or []
        for line in lines:
            key = (lab["file"], line)
            if lab["file"].startswith("files/mirchecker"):
                mir_lines += 1
                mir_hit += bool(findings[key])
            else:
                clippy_lines += 1
                if any(f.get("witness") for f in findings[key]):
                    confirmed += 1
                elif findings[key]:
                    flagged_other += 1
                elif proofs[key]:
                    proved += 1
    print(f"MirChecker // Error lines flagged: {mir_hit}/{mir_lines}")
    print(
        f"Clippy UI flagged lines: {clippy_lines}; vouch proves safe {proved}, "
        f"confirms with a witness {confirmed}, flags without witness {flagged_other}"
    )


def scout(binary):
    base = os.path.join(EVAL, "scout_ink")
    labels = json.load(open(os.path.join(base, "labels.json")))
    report = run(binary, os.path.join(base, "files"))
    by_file = defaultdict(list)
    for f in report["findings"]:
        by_file[rel(f["path"], base)].append(f)
    sides = {True: [0, 0, 0], False: [0, 0, 0]}
    for lab in labels:
        fs = by_file[lab["file"]]
        s = sides[bool(lab["vulnerable"])]
        s[0] += 1
        s[1] += bool(fs)
        s[2] += any(f["rule"].startswith("RS-A") for f in fs)
    for vuln, (n, any_rule, arith) in sides.items():
        side = "vulnerable" if vuln else "remediated"
        print(f"scout_ink {side}: {any_rule}/{n} flagged (any rule), {arith}/{n} by RS-A rules")
    remediated = sorted(
        (lab["file"], f["line"], f["rule"], f["message"])
        for lab in labels
        if not lab["vulnerable"]
        for f in by_file[lab["file"]]
    )
    for r in remediated:
        print("  remediated finding:", *r)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "vouch")
    oracles(binary)
    scout(binary)


if __name__ == "__main__":
    main()
