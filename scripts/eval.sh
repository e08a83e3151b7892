#!/usr/bin/env bash
# Scores vouch, Bandit and Ruff (S rules) on the labelled data sets in ../shared/eval with the
# scorer that ships there. Uses the venv that scripts/bench.sh creates (run it first).
#
#   scripts/eval.sh [SET...]      default: securityeval asleep_copilot_py cweval_py cyberseceval
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=../shared/eval
venv=${VOUCH_BENCH_DIR:-bench-work}/venv/bin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release --locked -q
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(securityeval asleep_copilot_py cweval_py cyberseceval)
for set in "${sets[@]}"; do
    files=$eval_dir/$set/files
    echo "== $set"
    ./target/release/vouch check "$files" --format sarif --output "$out/vouch.sarif" -q || true
    printf 'vouch:  '; python3 "$eval_dir/score.py" "$eval_dir/$set" "$out/vouch.sarif" | tail -n 1
    if [ -x "$venv/bandit" ]; then
        "$venv/bandit" -r -q -f json -o "$out/bandit.json" "$files" >/dev/null 2>&1 || true
        printf 'bandit: '; python3 "$eval_dir/score.py" "$eval_dir/$set" "$out/bandit.json" --tool bandit | tail -n 1
    fi
    if [ -x "$venv/ruff" ]; then
        "$venv/ruff" check --isolated --select S --no-cache --output-format json "$files" >"$out/ruff.json" 2>/dev/null || true
        printf 'ruff:   '; python3 "$eval_dir/score.py" "$eval_dir/$set" "$out/ruff.json" --tool ruff | tail -n 1
    fi
done
