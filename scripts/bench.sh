#!/usr/bin/env bash
# scripts/bench.sh: time vouch against Ruff (S rules) and Bandit on a large real Python code base.
#
# Usage:
#   scripts/bench.sh [--runs N] [--dir DIR] [--package SPEC] [--tree DIR] [--no-build]
#
#   --runs N        best of N timed runs per tool (default 3; env VOUCH_BENCH_RUNS)
#   --dir DIR       work dir for the venv, the download and the outputs
#                   (default bench-work/ at the repository root; env VOUCH_BENCH_DIR)
#   --package SPEC  pip requirement whose source distribution is the code base
#                   (default 'django==5.1.*'; env VOUCH_BENCH_PACKAGE)
#   --tree DIR      benchmark this local directory instead of downloading one
#   --changed FILE  the file changed for the one-file-changed row (default: the median-sized
#                   Python file of the tree)
#   --no-build      do not run cargo; use $VOUCH_BIN or <target>/release/vouch as it is
#
# Steps: `cargo build --release --locked`; a throwaway venv in DIR/venv with pinned Ruff and
# Bandit (RUFF_VERSION / BANDIT_VERSION override the pins); `pip download --no-deps
# --no-binary :all:` of SPEC into DIR/downloads and extraction into DIR/src; then, in one run,
# every tool N times under /usr/bin/time: wall time (best run) and peak RSS (largest run),
# findings counted from each tool's JSON. vouch runs cold (--no-cache), warm (the result
# cache filled, nothing changed) and with one file changed; the ratios to Ruff-S of all
# three are printed. Prints a table and ratios and writes
# DIR/results.md and DIR/results.json. Running it again reuses the venv, the download and the
# extracted tree. Without a network it says so and falls back to what it already has, and to a
# copy of the Python standard library as the code base.
#
# The tools exit 1 when they report findings: that is not a failure here. This script exits
# non-zero only when it cannot benchmark at all (vouch does not build, no Python, ...).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HELPER="$ROOT/scripts/bench_report.py"

RUNS=${VOUCH_BENCH_RUNS:-3}
WORK=${VOUCH_BENCH_DIR:-$ROOT/bench-work}
PACKAGE=${VOUCH_BENCH_PACKAGE:-django==5.1.*}
RUFF_VERSION=${RUFF_VERSION:-0.17.6}
BANDIT_VERSION=${BANDIT_VERSION:-1.9.4}
PYTHON=${PYTHON:-python3}
TREE=""
CHANGED=""
BUILD=1

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
say() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

while (($#)); do
    case $1 in
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --dir) WORK=${2:?--dir needs a directory}; shift 2 ;;
        --package) PACKAGE=${2:?--package needs a requirement}; shift 2 ;;
        --tree) TREE=${2:?--tree needs a directory}; shift 2 ;;
        --changed) CHANGED=${2:?--changed needs a file}; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed for peak memory: apt-get install -y time"
command -v "$PYTHON" >/dev/null || die "no $PYTHON on PATH"
if [[ -n $TREE ]]; then
    [[ -d $TREE ]] || die "--tree $TREE is not a directory"
    TREE=$(cd "$TREE" && pwd)
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
OUT="$WORK/out"
mkdir -p "$OUT" "$WORK/downloads" "$WORK/src"

# ---------------------------------------------------------------- vouch (release build)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
[[ $TARGET_DIR = /* ]] || TARGET_DIR="$ROOT/$TARGET_DIR"
if ((BUILD)); then
    say "building vouch: cargo build --release --locked"
    (cd "$ROOT" && cargo build --release --locked) || die "cargo build --release --locked failed"
fi
VOUCH=${VOUCH_BIN:-$TARGET_DIR/release/vouch}
[[ -x $VOUCH ]] || die "no vouch binary at $VOUCH (run without --no-build, or set VOUCH_BIN)"
VOUCH_VERSION=$("$VOUCH" --version 2>/dev/null | head -n 1) || true
VOUCH_VERSION=${VOUCH_VERSION#vouch }
VOUCH_VERSION=${VOUCH_VERSION:-unknown}
CHECK_HELP=$("$VOUCH" check --help 2>&1) || true

# ---------------------------------------------------------------- venv with Ruff and Bandit
VENV="$WORK/venv"
if [[ ! -x $VENV/bin/python ]]; then
    say "creating venv $VENV"
    "$PYTHON" -m venv "$VENV" || die "could not create a venv with $PYTHON"
fi
VPY="$VENV/bin/python"
installed_version() { "$VPY" -c 'import sys
from importlib.metadata import version
try: print(version(sys.argv[1]))
except Exception: pass' "$1"; }
if [[ $(installed_version ruff) != "$RUFF_VERSION" || $(installed_version bandit) != "$BANDIT_VERSION" ]]; then
    say "installing ruff==$RUFF_VERSION bandit==$BANDIT_VERSION into the venv"
    if ! "$VPY" -m pip install --quiet --disable-pip-version-check \
        "ruff==$RUFF_VERSION" "bandit==$BANDIT_VERSION" >"$OUT/pip-install.log" 2>&1; then
        warn "pip install ruff bandit failed (offline?); see $OUT/pip-install.log"
        warn "benchmarking with whatever is already installed in $VENV (maybe nothing)"
    fi
fi
RUFF="$VENV/bin/ruff"
BANDIT="$VENV/bin/bandit"
RUFF_HAVE=$(installed_version ruff)
BANDIT_HAVE=$(installed_version bandit)
say "versions: $VOUCH_VERSION; ruff ${RUFF_HAVE:-missing}; bandit ${BANDIT_HAVE:-missing}"

# ---------------------------------------------------------------- the code base
if [[ -z $TREE ]]; then
    slug=$(printf '%s' "$PACKAGE" | tr -c 'A-Za-z0-9._-' '_')
    dl="$WORK/downloads/$slug"
    mkdir -p "$dl"
    archive=$(find "$dl" -maxdepth 1 -type f \( -name '*.tar.gz' -o -name '*.zip' \) | sort | tail -n 1)
    if [[ -z $archive ]]; then
        say "downloading the source distribution of $PACKAGE"
        if "$VPY" -m pip download --quiet --disable-pip-version-check --no-deps \
            --no-binary :all: -d "$dl" "$PACKAGE" >"$OUT/pip-download.log" 2>&1; then
            archive=$(find "$dl" -maxdepth 1 -type f \( -name '*.tar.gz' -o -name '*.zip' \) | sort | tail -n 1)
        else
            warn "could not download $PACKAGE (offline?); see $OUT/pip-download.log"
        fi
    else
        say "reusing $archive"
    fi
    if [[ -n $archive ]]; then
        name=$(basename "$archive")
        name=${name%.tar.gz}
        name=${name%.zip}
        TREE="$WORK/src/$name"
        if [[ ! -f $TREE/.vouch-bench-extracted ]]; then
            say "extracting $archive"
            rm -rf "$TREE" "$WORK/src/.partial"
            mkdir -p "$WORK/src/.partial"
            case $archive in
                *.zip) "$VPY" -m zipfile -e "$archive" "$WORK/src/.partial" ;;
                *) tar -xzf "$archive" -C "$WORK/src/.partial" ;;
            esac
            inner=$(find "$WORK/src/.partial" -mindepth 1 -maxdepth 1)
            if [[ $(printf '%s\n' "$inner" | wc -l) -eq 1 && -d $inner ]]; then
                mv "$inner" "$TREE"
                rmdir "$WORK/src/.partial"
            else
                mv "$WORK/src/.partial" "$TREE"
            fi
            touch "$TREE/.vouch-bench-extracted"
        fi
    else
        TREE="$WORK/src/python-stdlib"
        if [[ ! -f $TREE/.vouch-bench-extracted ]]; then
            warn "OFFLINE FALLBACK: benchmarking a copy of the Python standard library instead"
            rm -rf "$TREE"
            "$VPY" "$HELPER" stdlib "$TREE"
            touch "$TREE/.vouch-bench-extracted"
        else
            warn "OFFLINE FALLBACK: reusing the copy of the Python standard library in $TREE"
        fi
    fi
fi
read -r PY_FILES PY_LINES < <("$VPY" "$HELPER" count "$TREE")
say "code base: $TREE ($PY_FILES Python files, $PY_LINES lines)"

# ---------------------------------------------------------------- timing
RESULTS="$OUT/results.tsv"
: >"$RESULTS"

# measure NAME KIND OUTPUT CMD...: runs CMD $RUNS times with stdout in $OUT/NAME.stdout;
# OUTPUT is the JSON file the findings are counted from. Appends one row to $RESULTS.
measure() {
    local name=$1 kind=$2 output=$3
    shift 3
    local i rc start end wall rss line best="" peak=0 status=ok
    local tf="$OUT/$name.time" stdout="$OUT/$name.stdout" stderr="$OUT/$name.stderr"
    say "timing $name ($RUNS runs): $*"
    for ((i = 1; i <= RUNS; i++)); do
        rc=0
        start=${EPOCHREALTIME:-}
        /usr/bin/time -f '%e %M' -o "$tf" "$@" >"$stdout" 2>"$stderr" || rc=$?
        end=${EPOCHREALTIME:-}
        if ((rc > 1)); then
            status="failed (exit $rc, see $stderr)"
            warn "$name: $status"
            break
        fi
        line=$(tail -n 1 "$tf")
        rss=${line#* }
        if [[ -n $start && -n $end ]]; then
            wall=$(awk -v a="${start/,/.}" -v b="${end/,/.}" 'BEGIN { printf "%.3f", b - a }')
        else
            wall=${line%% *}
        fi
        best=$(awk -v a="$best" -v b="$wall" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
        if [[ $rss =~ ^[0-9]+$ ]] && ((rss > peak)); then peak=$rss; fi
        printf '    run %d: %ss, %s KiB, exit %d\n' "$i" "$wall" "$rss" "$rc" >&2
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "${best:--}" "$peak" "$output" "$status" >>"$RESULTS"
}

vouch_flags=()
if grep -q -- '--no-cache' <<<"$CHECK_HELP"; then
    vouch_flags+=(--no-cache)
fi
measure vouch vouch "$OUT/vouch.json" \
    "$VOUCH" check "$TREE" --format json --output "$OUT/vouch.json" "${vouch_flags[@]}"
# The result cache: warm (nothing changed since the last run) and one file changed (a
# comment appended to CHANGED before each run; it is restored afterwards). The file is the
# one of median size in the tree unless --changed names one.
if grep -q -- '--no-cache' <<<"$CHECK_HELP"; then
    CACHE_DIR="$WORK/cache"
    rm -rf "$CACHE_DIR"
    say "filling the cache in $CACHE_DIR"
    VOUCH_CACHE_DIR="$CACHE_DIR" "$VOUCH" check "$TREE" --format json --output "$OUT/vouch-fill.json" >/dev/null 2>&1 || true
    measure vouch-warm vouch "$OUT/vouch-warm.json" \
        env VOUCH_CACHE_DIR="$CACHE_DIR" "$VOUCH" check "$TREE" --format json --output "$OUT/vouch-warm.json"
    if [[ -z $CHANGED ]]; then
        CHANGED=$("$VPY" "$HELPER" median-file "$TREE")
    fi
    [[ -f $CHANGED ]] || die "--changed $CHANGED is not a file"
    say "one file changed: $CHANGED"
    cp -p "$CHANGED" "$OUT/changed.orig"
    trap 'cp -p "$OUT/changed.orig" "$CHANGED"' EXIT
    measure vouch-one-file vouch "$OUT/vouch-one-file.json" \
        bash -c 'printf "# vouch bench %s\n" "$EPOCHREALTIME" >>"$1"; shift; exec "$@"' _ "$CHANGED" \
        env VOUCH_CACHE_DIR="$CACHE_DIR" "$VOUCH" check "$TREE" --format json --output "$OUT/vouch-one-file.json"
    cp -p "$OUT/changed.orig" "$CHANGED"
    trap - EXIT
fi
if grep -q -- '--parse-only' <<<"$CHECK_HELP"; then
    measure vouch-parse-only none "" "$VOUCH" check "$TREE" --parse-only "${vouch_flags[@]}"
else
    say "vouch check has no --parse-only: skipping the parse-only baseline"
fi
if [[ -n $RUFF_HAVE && -x $RUFF ]]; then
    # --isolated: the code base's own Ruff configuration must not change what is checked.
    measure ruff-S ruff "$OUT/ruff-S.stdout" \
        "$RUFF" check --select S --no-cache --isolated --output-format json "$TREE"
else
    warn "ruff is not installed: skipped"
fi
if [[ -n $BANDIT_HAVE && -x $BANDIT ]]; then
    measure bandit bandit "$OUT/bandit.stdout" "$BANDIT" -r -q -f json "$TREE"
else
    warn "bandit is not installed: skipped"
fi

# ---------------------------------------------------------------- report
"$VPY" "$HELPER" report \
    --results "$RESULTS" --tree "$TREE" --files "$PY_FILES" --lines "$PY_LINES" --runs "$RUNS" \
    --cpus "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')" \
    --version "vouch=$VOUCH_VERSION" --version "ruff=${RUFF_HAVE:-missing}" \
    --version "bandit=${BANDIT_HAVE:-missing}" \
    --markdown "$WORK/results.md" --json "$WORK/results.json"
say "wrote $WORK/results.md and $WORK/results.json (tool outputs in $OUT)"
