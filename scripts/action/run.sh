#!/usr/bin/env bash
# scripts/action/run.sh: the "run vouch" step of the vouch GitHub Action (action.yml).
#
# Runs `vouch <args>` three times: --format json (counts and the step summary), --format
# sarif --output <sarif-file> (for code scanning) and, when annotations are on, --format
# github (workflow annotations on stdout). Writes a Markdown table to GITHUB_STEP_SUMMARY,
# sets the outputs findings, errors, warnings, notes, sarif-file and json-file, and exits
# according to fail-on.
#
# Environment (the action maps its inputs here; nothing is interpolated into the script):
#   VOUCH_BIN                  the vouch binary (default: `vouch` on PATH)
#   INPUT_ARGS                 arguments, shell-quoted (default 'check .'); a leading `check`
#                              is added when missing; must not contain --format or --output
#   INPUT_SARIF_FILE           SARIF path, relative to the working directory (default vouch.sarif)
#   INPUT_ANNOTATIONS          true|false (default true)
#   INPUT_FAIL_ON              error|warning|note|never (default error)
#   INPUT_WORKING_DIRECTORY    where vouch runs, relative to GITHUB_WORKSPACE (default .)
#   GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP: as on a runner; all
#   optional when run by hand.
# Paths in the annotations, the summary and the SARIF file are made relative to
# GITHUB_WORKSPACE (the repository root), which is what GitHub expects, also when vouch runs
# in a subdirectory.
#
# Exit status: 0 when nothing reaches fail-on, 1 when findings do, 2 when vouch itself failed
# (exit 2, no output) or an input is invalid; fail-on=never does not hide exit 2.
set -euo pipefail

log() { printf 'vouch-action: %s\n' "$*" >&2; }
fail() {
    # GitHub shows ::error lines as annotations; % CR LF must be escaped in the message.
    local msg=${1//'%'/%25}
    msg=${msg//$'\r'/%0D}
    msg=${msg//$'\n'/%0A}
    printf '::error title=vouch::%s\n' "$msg"
    exit "${2:-2}"
}
output() { if [[ -n ${GITHUB_OUTPUT:-} ]]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }
summary() { if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then cat >>"$GITHUB_STEP_SUMMARY"; else cat >/dev/null; fi; }

command -v python3 >/dev/null || fail "python3 is needed by the vouch action's scripts"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
helper="$here/helper.py"

vouch=${VOUCH_BIN:-vouch}
if [[ $vouch == */* ]]; then
    [[ -x $vouch ]] || fail "vouch binary $vouch is not executable"
    vouch=$(cd "$(dirname "$vouch")" && pwd)/$(basename "$vouch")
else
    command -v "$vouch" >/dev/null || fail "vouch is not on PATH (set VOUCH_BIN)"
fi

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
fail_on=$(lower "${INPUT_FAIL_ON:-error}")
case $fail_on in
    error|warning|note|never) ;;
    *) fail "fail-on must be error, warning, note or never, not '${INPUT_FAIL_ON}'" ;;
esac
annotations=$(lower "${INPUT_ANNOTATIONS:-true}")
case $annotations in
    true|yes|1) annotations=true ;;
    false|no|0) annotations=false ;;
    *) fail "annotations must be true or false, not '${INPUT_ANNOTATIONS}'" ;;
esac

workspace=${GITHUB_WORKSPACE:-$PWD}
workspace=$(cd "$workspace" && pwd -P) || fail "GITHUB_WORKSPACE $workspace does not exist"
cd "$workspace"
workdir=${INPUT_WORKING_DIRECTORY:-.}
[[ -d $workdir ]] || fail "working-directory '$workdir' does not exist"
cd "$workdir"
workdir=$(pwd -P)

# Split the arguments like a shell would (quotes allowed), without evaluating anything.
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
argv=$(mktemp "$tmp/vouch-XXXXXX.args")
python3 "$helper" split-args "${INPUT_ARGS:-check .}" >"$argv" ||
    fail "cannot parse args: ${INPUT_ARGS:-}"
mapfile -d '' -t args <"$argv"
rm -f "$argv"
if ((${#args[@]} == 0)) || [[ ${args[0]} != check ]]; then
    args=(check "${args[@]}")
fi
for a in "${args[@]}"; do
    case $a in
        --format|--format=*|--output|--output=*|-o)
            fail "args must not contain $a: the action chooses the formats and output files" ;;
    esac
done

json=$(mktemp "$tmp/vouch-XXXXXX.json")
sarif=${INPUT_SARIF_FILE:-vouch.sarif}
[[ $sarif == /* ]] || sarif="$workdir/$sarif"
mkdir -p "$(dirname "$sarif")"
err=$(mktemp "$tmp/vouch-XXXXXX.stderr")

# run_vouch FORMAT EXTRA...: runs vouch, returns its exit code; stderr kept in $err.
run_vouch() {
    local rc=0
    "$vouch" "${args[@]}" --format "$@" 2>"$err" || rc=$?
    if ((rc > 1)); then
        cat "$err" >&2
        return "$rc"
    fi
    return 0
}

log "vouch$(printf ' %q' "${args[@]}")"
rc=0
run_vouch json --output "$json" || rc=$?
if ((rc > 1)) || [[ ! -s $json ]]; then
    why="failed with exit code $rc"
    ((rc > 1)) || why="exited with $rc without writing its JSON report"
    printf '## vouch\n\nvouch %s: %s\n' "$why" "$(head -c 2000 "$err")" | summary
    fail "vouch ${args[*]} $why: $(head -c 2000 "$err")" 2
fi

rc=0
run_vouch sarif --output "$sarif" || rc=$?
if ((rc > 1)) || [[ ! -s $sarif ]]; then
    fail "vouch --format sarif failed (exit code $rc, no SARIF written): $(head -c 2000 "$err")" 2
fi
if [[ $workdir != "$workspace" ]]; then
    python3 "$helper" rewrite-sarif "$sarif" "$workdir" "$workspace"
fi

if [[ $annotations == true ]]; then
    rc=0
    annotations_file=$(mktemp "$tmp/vouch-XXXXXX.annotations")
    run_vouch github >"$annotations_file" || rc=$?
    if ((rc > 1)); then
        fail "vouch --format github failed with exit code $rc: $(head -c 2000 "$err")" 2
    fi
    python3 "$helper" rewrite-annotations "$annotations_file" "$workdir" "$workspace"
    rm -f "$annotations_file"
fi

# Counts on stdout ("findings errors warnings notes"), Markdown into the step summary.
counts=$(python3 "$helper" summary "$json" "$workdir" "$workspace" "$fail_on" \
    "${GITHUB_STEP_SUMMARY:-/dev/null}")
read -r findings errors warnings notes <<<"$counts"

output findings "$findings"
output errors "$errors"
output warnings "$warnings"
output notes "$notes"
output sarif-file "$sarif"
output json-file "$json"
rm -f "$err"

log "$findings findings: $errors errors, $warnings warnings, $notes notes (fail-on: $fail_on)"
log "SARIF: $sarif"
case $fail_on in
    error) blocking=$errors ;;
    warning) blocking=$((errors + warnings)) ;;
    note) blocking=$findings ;;
    never) blocking=0 ;;
esac
if ((blocking > 0)); then
    log "failing: $blocking findings at or above '$fail_on'"
    exit 1
fi
exit 0
