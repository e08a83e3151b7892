//! What an integer overflow does in the project a Rust file belongs to: Cargo turns
//! `overflow-checks` on in the `dev` profile and off in `release` unless the manifest
//! says otherwise, and messages should say which (a panic, or a silent wrap).
//!
//! Cargo reads profiles only from the workspace root's manifest, so the manifest that
//! counts is the nearest `Cargo.toml` above the file with a `[workspace]` table, else the
//! nearest one. Parsed manifests are cached on their path, size and modification time
//! (as `manifests.rs` does for Python), so a run over a crate reads each one once and
//! an editor session sees edits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::SystemTime;

/// Whether each build of the project panics on integer overflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverflowChecks {
    pub debug: bool,
    pub release: bool,
}

impl Default for OverflowChecks {
    /// Cargo's defaults.
    fn default() -> Self {
        OverflowChecks {
            debug: true,
            release: false,
        }
    }
}

impl OverflowChecks {
    /// What an overflowing operation does, for messages ("a panic in debug builds, a
    /// silent wrap in release").
    pub fn consequence(self) -> &'static str {
        match (self.debug, self.release) {
            (true, false) => "a panic in debug builds, a silent wrap in release",
            (true, true) => {
                "a panic in every build: the project's release profile sets overflow-checks"
            }
            (false, false) => {
                "a silent wrap in every build: the project's profiles turn overflow-checks off"
            }
            (false, true) => "a panic in release builds, a silent wrap in debug builds",
        }
    }

    /// What a shift by `amount` (the width `bits` or more) does: without overflow checks
    /// the amount is taken modulo the width.
    pub fn shift_consequence(self, amount: &str, bits: u32) -> String {
        let masked = format!("shift by `{amount} % {bits}`");
        match (self.debug, self.release) {
            (true, false) => format!("a panic in debug builds; release builds {masked}"),
            (true, true) => self.consequence().to_string(),
            (false, false) => format!(
                "no panic: every build would {masked}, the project's profiles turn overflow-checks off"
            ),
            (false, true) => format!("a panic in release builds; debug builds {masked}"),
        }
    }
}

/// What one manifest says: whether it is a workspace root, and the profile settings it
/// makes (`None` where it leaves Cargo's default).
#[derive(Clone, Copy, Debug, Default)]
struct Manifest {
    workspace: bool,
    debug: Option<bool>,
    release: Option<bool>,
}

type Stamp = (Option<SystemTime>, u64);
static MANIFESTS: LazyLock<Mutex<HashMap<PathBuf, (Stamp, Manifest)>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The overflow behaviour for the Rust file at `path` (relative paths are taken from the
/// working directory). No manifest, or one that does not parse, gives Cargo's defaults.
pub fn overflow_checks(path: &Path) -> OverflowChecks {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => return OverflowChecks::default(),
        }
    };
    let Some(dir) = abs.parent() else {
        return OverflowChecks::default();
    };
    let found: Vec<Manifest> = dir
        .ancestors()
        .take(32)
        .filter_map(|d| manifest(&d.join("Cargo.toml")))
        .collect();
    let root = found
        .iter()
        .find(|m| m.workspace)
        .or_else(|| found.first())
        .copied()
        .unwrap_or_default();
    let default = OverflowChecks::default();
    OverflowChecks {
        debug: root.debug.unwrap_or(default.debug),
        release: root.release.unwrap_or(default.release),
    }
}

fn manifest(path: &Path) -> Option<Manifest> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let stamp = (meta.modified().ok(), meta.len());
    if let Ok(cache) = MANIFESTS.lock()
        && let Some((s, m)) = cache.get(path)
        && *s == stamp
    {
        return Some(*m);
    }
    let parsed = std::fs::read_to_string(path)
        .ok()
        .map(|text| parse(&text))
        .unwrap_or_default();
    if let Ok(mut cache) = MANIFESTS.lock() {
        cache.insert(path.to_path_buf(), (stamp, parsed));
    }
    Some(parsed)
}

/// The parts of a manifest that decide overflow behaviour. A manifest that is not valid
/// TOML says nothing (Cargo would refuse it; the defaults are the best guess).
fn parse(text: &str) -> Manifest {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Manifest::default();
    };
    let profile = |name: &str| {
        doc.get("profile")
            .and_then(|p| p.get(name))
            .and_then(|p| p.get("overflow-checks"))
            .and_then(toml::Value::as_bool)
    };
    Manifest {
        workspace: doc.contains_key("workspace"),
        debug: profile("dev"),
        release: profile("release"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_decide_the_overflow_behaviour() {
        let m = parse("[package]\nname = \"x\"\n[profile.release]\noverflow-checks = true\n");
        assert_eq!((m.debug, m.release, m.workspace), (None, Some(true), false));
        let m = parse("[workspace]\nmembers = [\"a\"]\n[profile.dev]\noverflow-checks = false\n");
        assert_eq!((m.debug, m.release, m.workspace), (Some(false), None, true));
        let m = parse("this is [not toml");
        assert_eq!((m.debug, m.release), (None, None));
    }

    #[test]
    fn the_workspace_root_wins_over_a_member() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"member\"]\n[profile.release]\noverflow-checks = true\n",
        )
        .expect("write root manifest");
        std::fs::create_dir_all(root.join("member/src")).expect("mkdir");
        std::fs::write(
            root.join("member/Cargo.toml"),
            "[package]\nname = \"member\"\n[profile.release]\noverflow-checks = false\n",
        )
        .expect("write member manifest");
        let checks = overflow_checks(&root.join("member/src/lib.rs"));
        assert!(checks.debug && checks.release);
        assert!(checks.consequence().contains("every build"));
    }
}
