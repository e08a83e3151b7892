#!/usr/bin/env python3
"""Rebuild the crate name data that vouch ships in its binary (see data/README.md).

vouch has no list of every crates.io name (the registry's own name list is not something
we download). What it ships instead is the set of crates that some independent party
vetted enough to package or resolve, with a popularity score:

* every crate Debian packages as `librust-<name>-dev` (read from the local APT cache with
  `apt-cache dumpavail`, so run `apt-get update` first); the score of a crate is the
  number of other Debian Rust packages that depend on it, which ranks the crates the
  ecosystem builds on (serde, libc, syn...) first;
* the crates cargo has resolved on this machine (`~/.cargo/registry/index/*/.cache` and
  `~/.cargo/registry/src/*/`), which adds the exact spelling of names Debian mangles
  (Debian writes `_` as `-`) and recent crates Debian does not have yet.

Names are normalised as crates.io compares them: lower case, `-` and `_` the same (we
write `_`, the spelling code uses). Output, read by `src/analyze/crates.rs`:

data/rust/crates.tsv  `name<TAB>score`, sorted by name; score is the Debian reverse
    dependency count (0 for crates only seen in the cargo registry).

Usage: scripts/data/refresh_crates.py [--apt-dir DIR]... [CARGO_HOME]

`--apt-dir DIR` adds another Debian suite whose lists `apt-get update` fetched into DIR
with `-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=DIR/sources.d
-o Dir::State::Lists=DIR/lists -o Dir::Cache=DIR/cache` (DIR/sources.d holding a
deb822 `.sources` file for that suite), so the machine's own APT setup is untouched.
"""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "data", "rust", "crates.tsv")


def normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def records(text: str):
    """The stanzas of an APT package list, as dicts of their first-line field values."""
    for block in text.split("\n\n"):
        fields = {}
        key = None
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and key:
                fields[key] += " " + line.strip()
                continue
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        if fields.get("Package"):
            yield fields


def crate_of(package: str, version: str) -> str | None:
    """`librust-serde-json-dev` is serde_json; `librust-nom-7-dev` is nom (the suffix
    is the packaged major version); `librust-md-5-dev` at 0.10 stays md-5."""
    m = re.fullmatch(r"librust-([^+]+)(\+.*)?-dev", package)
    if not m:
        return None
    # `librust-quote+proc-macro-dev` packages a feature of quote.
    name = m.group(1)
    upstream = version.split(":", 1)[-1]
    s = re.fullmatch(r"(.+)-(\d+(?:\.\d+)?)", name)
    if s and (upstream == s.group(2) or upstream.startswith(s.group(2) + ".")):
        name = s.group(1)
    return normalise(name)


def debian(apt_options: list[str]) -> dict[str, int]:
    text = subprocess.run(
        ["apt-cache", *apt_options, "dumpavail"], capture_output=True, text=True, check=True
    ).stdout
    provides: dict[str, str] = {}
    depends: dict[str, set[str]] = {}
    for r in records(text):
        crate = crate_of(r["Package"], r.get("Version", ""))
        if crate is None:
            continue
        provides[r["Package"]] = crate
        for p in r.get("Provides", "").split(","):
            p = p.strip().split(" ", 1)[0]
            if p:
                provides[p] = crate
        deps = set()
        for alt in re.split(r"[,|]", r.get("Depends", "")):
            d = alt.strip().split(" ", 1)[0]
            if d.startswith("librust-"):
                deps.add(d)
        depends.setdefault(crate, set()).update(deps)
    rdeps: dict[str, set[str]] = {c: set() for c in depends}
    for crate, deps in depends.items():
        for d in deps:
            target = provides.get(d)
            if target and target != crate:
                rdeps.setdefault(target, set()).add(crate)
    return {c: len(users) for c, users in rdeps.items()}


def cargo_registry(cargo_home: str) -> set[str]:
    names = set()
    index = os.path.join(cargo_home, "registry", "index")
    for dirpath, _, files in os.walk(index):
        if os.sep + ".cache" in dirpath:
            names.update(normalise(f) for f in files if not f.startswith("."))
    src = os.path.join(cargo_home, "registry", "src")
    if os.path.isdir(src):
        for reg in os.listdir(src):
            d = os.path.join(src, reg)
            if not os.path.isdir(d):
                continue
            for entry in os.listdir(d):
                m = re.fullmatch(r"(.+?)-\d+\.\d+\.\d+.*", entry)
                if m:
                    names.add(normalise(m.group(1)))
    return names


def main() -> None:
    args = sys.argv[1:]
    cargo_home = os.path.expanduser("~/.cargo")
    suites: list[list[str]] = [[]]
    while args:
        a = args.pop(0)
        if a == "--apt-dir" and args:
            # Another suite's lists, fetched into a directory of their own (see
            # data/README.md): `apt-get update` with the same options fills it.
            d = args.pop(0)
            suites.append(
                [
                    "-o", "Dir::Etc::SourceList=/dev/null",
                    "-o", f"Dir::Etc::SourceParts={d}/sources.d",
                    "-o", f"Dir::State::Lists={d}/lists",
                    "-o", f"Dir::Cache={d}/cache",
                ]
            )
        else:
            cargo_home = a
    scores: dict[str, int] = {}
    for options in suites:
        for name, score in debian(options).items():
            scores[name] = max(score, scores.get(name, 0))
    if len(scores) < 500:
        sys.exit("apt-cache knows fewer than 500 Rust crates: run `apt-get update` first")
    for name in cargo_registry(cargo_home):
        scores.setdefault(name, 0)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        for name in sorted(scores):
            if re.fullmatch(r"[a-z0-9_]+", name):
                f.write(f"{name}\t{scores[name]}\n")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    print(f"{len(scores)} crates; most depended on: {[n for n, _ in ranked[:15]]}")


if __name__ == "__main__":
    main()
