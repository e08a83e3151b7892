#!/usr/bin/env bash
# scripts/action/prepare.sh: first step of the vouch GitHub Action (action.yml).
#
# Makes sure the system Z3 is there (libz3-dev and pkg-config through apt on Linux, Homebrew
# on macOS) unless it already is, and computes the cache key for the built binary: the runner's
# OS and architecture, a hash of the action's Cargo.lock (the part restore-keys fall back on,
# so the cargo registry cache survives source changes) and a hash of its sources.
#
# Environment: GITHUB_ACTION_PATH (the action's checkout), GITHUB_OUTPUT, RUNNER_OS,
# RUNNER_ARCH, INPUT_VERSION ('' or 'checkout': build the checkout; otherwise a crates.io
# version), VOUCH_BIN (an existing binary: nothing to build).
# Outputs: cache-key, restore-key, install-root, build (true when a binary has to be built).
set -euo pipefail

log() { printf 'vouch-action: %s\n' "$*" >&2; }
output() { if [[ -n ${GITHUB_OUTPUT:-} ]]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
version=${INPUT_VERSION:-}
[[ $version == checkout ]] && version=""

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

have_z3_dev() { command -v pkg-config >/dev/null && pkg-config --exists z3; }
have_z3_runtime() {
    have_z3_dev && return 0
    if command -v ldconfig >/dev/null; then ldconfig -p 2>/dev/null | grep -q 'libz3\.so'; else return 1; fi
}

# A prebuilt binary needs only the shared library; building needs the headers and pkg-config.
if [[ -n ${VOUCH_BIN:-} ]] && have_z3_runtime; then
    log "libz3 present"
elif have_z3_dev; then
    log "libz3 $(pkg-config --modversion z3) present"
else
    case ${RUNNER_OS:-$(uname -s)} in
        Linux)
            log "installing libz3-dev and pkg-config with apt-get"
            as_root apt-get update -qq
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libz3-dev pkg-config
            ;;
        macOS|Darwin)
            log "installing z3 and pkg-config with Homebrew"
            brew install z3 pkg-config
            ;;
        *)
            log "cannot install Z3 on ${RUNNER_OS:-this OS}: install it first or pass 'binary'"
            exit 2
            ;;
    esac
fi

# hash_tree PATH...: one short hash over the files under the PATHs that exist.
hash_tree() {
    local p present=()
    for p in "$@"; do [[ -e $p ]] && present+=("$p"); done
    if ((${#present[@]} == 0)); then echo none; return; fi
    find "${present[@]}" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
}
os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
lock_hash=$(cd "$action_path" && hash_tree Cargo.lock)
src_hash=$(cd "$action_path" && hash_tree Cargo.toml Cargo.lock build.rs src rules)
restore_key="vouch-action-v1-$os-$arch-$lock_hash-"
if [[ -n $version ]]; then
    key="${restore_key}crate-$version"
else
    key="${restore_key}$src_hash"
fi
output cache-key "$key"
output restore-key "$restore_key"
output install-root "${HOME}/.cache/vouch-action"
if [[ -n ${VOUCH_BIN:-} ]]; then output build false; else output build true; fi
log "cache key $key"
