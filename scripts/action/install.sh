#!/usr/bin/env bash
# scripts/action/install.sh: second step of the vouch GitHub Action (after the cache restore).
#
# Uses VOUCH_BIN when set. Otherwise reuses INSTALL_ROOT/bin/vouch when the cache restored it
# for the same CACHE_KEY, and else runs `cargo install --locked` from the action's own checkout
# (or, with INPUT_VERSION set to a version, the `vouch` crate of that version) into
# INSTALL_ROOT. Puts the binary's directory on GITHUB_PATH and sets the output `vouch-bin`.
set -euo pipefail

log() { printf 'vouch-action: %s\n' "$*" >&2; }
output() { if [[ -n ${GITHUB_OUTPUT:-} ]]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
version=${INPUT_VERSION:-}
[[ $version == checkout ]] && version=""

if [[ -n ${VOUCH_BIN:-} ]]; then
    if [[ ! -x $VOUCH_BIN ]]; then
        printf '::error title=vouch::binary %s is not an executable file\n' "$VOUCH_BIN"
        exit 2
    fi
    bin=$VOUCH_BIN
else
    root=${INSTALL_ROOT:-$HOME/.cache/vouch-action}
    key=${CACHE_KEY:-}
    bin=$root/bin/vouch
    stamp=$root/.vouch-action-key
    if [[ -x $bin && -n $key && -f $stamp && $(<"$stamp") == "$key" ]]; then
        log "using the cached binary $bin"
    else
        if ! command -v cargo >/dev/null; then
            printf '::error title=vouch::cargo is not installed; add a Rust toolchain step (for example dtolnay/rust-toolchain@stable) before this action\n'
            exit 2
        fi
        if [[ -n $version ]]; then
            log "cargo install --locked vouch --version $version"
            cargo install --locked --force --root "$root" vouch --version "$version"
        else
            log "cargo install --locked --path $action_path"
            cargo install --locked --force --root "$root" --path "$action_path"
        fi
        printf '%s' "$key" >"$stamp"
    fi
fi

"$bin" --version >&2 || true
output vouch-bin "$bin"
if [[ -n ${GITHUB_PATH:-} ]]; then dirname "$bin" >>"$GITHUB_PATH"; fi
