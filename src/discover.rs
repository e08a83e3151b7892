//! Which files to analyze: walk the given paths honouring `.gitignore`, `.ignore` and the
//! config's excludes, keep the files whose extension names a language vouch reads.
//!
//! Files named explicitly are analyzed whatever their location (that is what the user asked
//! for), except with `--force-exclude`, which pre-commit needs because it passes every
//! staged file by name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::Excludes;
use crate::lower::language_of;

/// The outcome of a walk: files in a deterministic order, plus what could not be walked.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// (path, message): unreadable directories, symlink loops, skipped explicit files.
    pub notes: Vec<(String, String)>,
}

/// A path on the command line that does not exist.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("path `{0}` does not exist")]
#[diagnostic(
    code(vouch::io),
    help("check the spelling, or run vouch from another directory")
)]
pub struct MissingPath(pub String);

/// Walks `paths` (files or directories). Fails only when a path does not exist.
pub fn discover(
    paths: &[PathBuf],
    excludes: &Excludes,
    force_exclude: bool,
) -> Result<Discovered, MissingPath> {
    // Check every path before walking any, so a typo fails fast instead of after a long walk.
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(MissingPath(p.display().to_string()));
        }
    }
    let mut files = BTreeSet::new();
    let mut notes = Vec::new();
    for p in paths {
        if p.is_dir() {
            if force_exclude && excludes.is_excluded_with_parents(p, true) {
                continue;
            }
            walk(p, excludes, &mut files, &mut notes);
        } else if p.exists() {
            if force_exclude && excludes.is_excluded_with_parents(p, false) {
                continue;
            }
            if language_of(&p.to_string_lossy()).is_some() {
                files.insert(clean(p));
            } else {
                notes.push((
                    display(p),
                    "not a Python or Rust source file (by extension); skipped".into(),
                ));
            }
        } else {
            // A dangling symlink exists as a link but not as a file.
            notes.push((display(p), "broken symbolic link; skipped".into()));
        }
    }
    Ok(Discovered {
        files: files.into_iter().collect(),
        notes,
    })
}

fn walk(
    root: &Path,
    excludes: &Excludes,
    files: &mut BTreeSet<PathBuf>,
    notes: &mut Vec<(String, String)>,
) {
    let ex = excludes.clone();
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(true)
        // Projects checked out without `.git` (sdists, tarballs, CI caches) still mean their
        // .gitignore.
        .require_git(false)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            // The root was named by the user; only what lies beneath it is filtered.
            entry.depth() == 0
                || !ex.is_excluded(entry.path(), entry.file_type().is_some_and(|t| t.is_dir()))
        })
        .build();
    for result in walker {
        match result {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && language_of(&entry.path().to_string_lossy()).is_some() {
                    files.insert(clean(entry.path()));
                }
            }
            Err(err) => notes.push(walk_note(root, &err)),
        }
    }
}

/// Turns a walk error into a (path, message) note. Loops and permission problems are the
/// common ones; either way the walk goes on.
fn walk_note(root: &Path, err: &ignore::Error) -> (String, String) {
    let mut err = err;
    let mut path = None;
    loop {
        match err {
            ignore::Error::WithPath {
                path: p,
                err: inner,
            } => {
                path.get_or_insert_with(|| display(p));
                err = inner;
            }
            ignore::Error::WithDepth { err: inner, .. }
            | ignore::Error::WithLineNumber { err: inner, .. } => {
                err = inner;
            }
            ignore::Error::Loop { child, ancestor } => {
                return (
                    display(child),
                    format!(
                        "symbolic link loop (back to `{}`); not followed",
                        display(ancestor)
                    ),
                );
            }
            other => {
                return (
                    path.unwrap_or_else(|| display(root)),
                    format!("cannot be read: {other}; skipped"),
                );
            }
        }
    }
}

/// The path as users expect to see it: `./a.py` shown as `a.py`.
fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        if c != std::path::Component::CurDir {
            out.push(c.as_os_str());
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Display form of a path for notes and reports.
pub fn display(p: &Path) -> String {
    clean(p).to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_honours_gitignore_and_excludes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for f in [
            "b.py",
            "a.py",
            "skip/c.py",
            "venv/d.py",
            "gen.py",
            "x.txt",
            ".hidden/e.py",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, "x = 1\n").expect("write");
        }
        std::fs::write(root.join(".gitignore"), "gen.py\n").expect("write");
        let ex = Excludes::new(root, ["venv".into(), "skip".into()], None).expect("ex");
        let d = discover(&[root.to_path_buf()], &ex, false).expect("discover");
        let names: Vec<_> = d
            .files
            .iter()
            .map(|p| p.strip_prefix(root).expect("under root").to_path_buf())
            .collect();
        assert_eq!(names, vec![PathBuf::from("a.py"), PathBuf::from("b.py")]);

        // Explicit files bypass excludes unless forced.
        let v = root.join("venv/d.py");
        let d = discover(std::slice::from_ref(&v), &ex, false).expect("discover");
        assert_eq!(d.files, vec![v.clone()]);
        let d = discover(std::slice::from_ref(&v), &ex, true).expect("discover");
        assert!(d.files.is_empty());
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = discover(
            &[PathBuf::from("/no/such/vouch/path")],
            &Excludes::none(),
            false,
        )
        .expect_err("missing");
        assert!(err.to_string().contains("/no/such/vouch/path"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_a_note() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir(root.join("d")).expect("mkdir");
        std::fs::write(root.join("d/a.py"), "x = 1\n").expect("write");
        std::os::unix::fs::symlink(root, root.join("d/loop")).expect("symlink");
        let d = discover(&[root.to_path_buf()], &Excludes::none(), false).expect("discover");
        assert_eq!(d.files.len(), 1);
        assert!(
            d.notes.iter().any(|(_, m)| m.contains("loop")),
            "{:?}",
            d.notes
        );
    }
}
