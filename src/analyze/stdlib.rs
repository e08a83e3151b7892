//! The standard library's top-level modules for CPython 3.8 to 3.13, as the interpreters
//! list them (`data/python/stdlib_modules.tsv`, written by `scripts/data/refresh_stdlib.py`).
//! Used to tell a module function (`os.chmod`) from a method on an object, and to resolve
//! imports.

use std::collections::HashMap;
use std::sync::LazyLock;

static MODULES: &str = include_str!("../../data/python/stdlib_modules.tsv");

/// The oldest and newest minor version of Python 3 that vouch has tables for.
pub const OLDEST_MINOR: u8 = 8;
pub const NEWEST_MINOR: u8 = 13;

/// Module name to the first and last 3.x minor version that ship it.
static TABLE: LazyLock<HashMap<&'static str, (u8, u8)>> = LazyLock::new(|| {
    MODULES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (name, range) = l.split_once('\t')?;
            let (first, last) = range.split_once('-')?;
            Some((name, (minor(first)?, minor(last)?)))
        })
        .collect()
});

fn minor(version: &str) -> Option<u8> {
    version.strip_prefix("3.")?.parse().ok()
}

/// A top-level module of the standard library of any supported version.
pub fn is_stdlib_module(name: &str) -> bool {
    TABLE.contains_key(name)
}

/// The first and last 3.x minor version whose standard library has the module.
pub fn versions(name: &str) -> Option<(u8, u8)> {
    TABLE.get(name).copied()
}

static CHANGES: &str = include_str!("../../data/python/stdlib_changes.tsv");

/// What happened to a standard-library name (`data/python/stdlib_changes.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Removed in 3.N (N = 8 for anything removed before 3.8).
    Removed(u8),
    /// Deprecated in 3.N, still there.
    Deprecated(u8),
    /// A Python 2 name that Python 3 never had.
    Python2,
}

#[derive(Clone, Debug)]
pub struct Change {
    pub status: Status,
    /// What to use instead, as prose for the help.
    pub instead: &'static str,
    /// A drop-in replacement name, when the change is a rename.
    pub fix: Option<&'static str>,
}

static CHANGE_TABLE: LazyLock<HashMap<&'static str, Change>> = LazyLock::new(|| {
    CHANGES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let name = cols.next()?;
            let status = cols.next()?;
            let instead = cols.next()?;
            let fix = cols.next().filter(|f| *f != "-");
            let status = if status == "python2-only" {
                Status::Python2
            } else if let Some(v) = status.strip_prefix("removed-in-") {
                Status::Removed(minor(v)?)
            } else {
                Status::Deprecated(minor(status.strip_prefix("deprecated-in-")?)?)
            };
            Some((
                name,
                Change {
                    status,
                    instead,
                    fix,
                },
            ))
        })
        .collect()
});

/// The recorded change of a module or qualified name (`collections.Mapping`, `imp`).
pub fn change(qualname: &str) -> Option<&'static Change> {
    CHANGE_TABLE.get(qualname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_come_and_go_with_versions() {
        assert_eq!(versions("os"), Some((8, 13)));
        assert_eq!(versions("tomllib"), Some((11, 13)));
        assert_eq!(versions("distutils"), Some((8, 11)));
        assert_eq!(versions("imp"), Some((8, 11)));
        assert!(is_stdlib_module("winreg") && is_stdlib_module("__future__"));
        assert!(!is_stdlib_module("requests") && !is_stdlib_module("yaml"));
    }

    #[test]
    fn recorded_changes() {
        let m = change("collections.Mapping").map(|c| (c.status, c.fix));
        assert_eq!(
            m,
            Some((Status::Removed(10), Some("collections.abc.Mapping")))
        );
        assert_eq!(change("urllib2").map(|c| c.status), Some(Status::Python2));
        assert_eq!(
            change("datetime.datetime.utcnow").map(|c| c.status),
            Some(Status::Deprecated(12))
        );
        assert_eq!(change("imp").map(|c| c.status), Some(Status::Removed(12)));
        // Every removed module is one the interpreters' lists end before.
        for (name, c) in CHANGE_TABLE.iter() {
            if let (Status::Removed(v), Some((_, last))) = (c.status, versions(name)) {
                assert_eq!(last + 1, v, "{name}");
            }
        }
    }

    /// Where an interpreter is installed, its own list agrees with the table.
    #[test]
    fn agrees_with_a_live_interpreter() {
        let Ok(out) = std::process::Command::new("python3")
            .args([
                "-I",
                "-c",
                "import sys\nif sys.version_info >= (3, 10) and sys.version_info[:2] <= (3, 13):\n    print(sys.version_info[1]); print('\\n'.join(sorted(sys.stdlib_module_names)))",
            ])
            .output()
        else {
            return;
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let Some(minor) = lines.next().and_then(|m| m.parse::<u8>().ok()) else {
            return;
        };
        for name in lines {
            let range = versions(name);
            assert!(
                range.is_some_and(|(a, b)| a <= minor && minor <= b),
                "{name} is in 3.{minor} but the table says {range:?}"
            );
        }
    }
}
