//! `--fix` and `--diff`: applying the mechanical fixes findings carry.
//!
//! A fix is a set of byte-offset edits into the text the file was analyzed from. Per file,
//! fixes are taken in report order and a fix is skipped whole when one of its edits is out
//! of range or overlaps an edit already taken (two rules rewriting the same call): applying
//! half a fix, or two fixes on top of each other, could produce code nobody asked for. The
//! taken edits are applied from the end of the text backwards, so earlier offsets stay
//! valid.
//!
//! Writing is careful: the file on disk is read again just before writing and compared with
//! the text the analysis saw; if it changed in between (an editor saved, a formatter ran)
//! it is left alone with a note. The new text goes to a temporary file in the same
//! directory, which is then renamed over the original, so a crash or a full disk never
//! leaves a half-written source file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::driver::{DriverOptions, Input};
use crate::finding::{Edit, Fix};
use crate::report::{CheckedFile, Note, Run, summarize};
use crate::rules::catalog::Catalog;

/// What the fixes of one file would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The path as reported.
    pub path: String,
    pub old: String,
    pub new: String,
    /// Fixes taken and fixes skipped (overlapping or out of range).
    pub applied: usize,
    pub skipped: usize,
}

/// The plan for one analyzed file; `None` when none of its findings has a usable fix.
pub fn plan_file(file: &CheckedFile) -> Option<Plan> {
    let fixes: Vec<&Fix> = file
        .report
        .findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .collect();
    if fixes.is_empty() {
        return None;
    }
    let (new, applied, skipped) = apply_fixes(&file.source, &fixes);
    if applied == 0 || new == *file.source {
        return None;
    }
    Some(Plan {
        path: file.report.path.clone(),
        old: file.source.to_string(),
        new,
        applied,
        skipped,
    })
}

/// Applies `fixes` to `text`: returns the new text and how many fixes were taken and
/// skipped.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize, usize) {
    let mut taken: Vec<&Edit> = Vec::new();
    let (mut applied, mut skipped) = (0, 0);
    for fix in fixes {
        let usable = !fix.edits.is_empty()
            && fix.edits.iter().all(|e| in_range(text, e))
            && fix.edits.iter().enumerate().all(|(i, e)| {
                // Within one fix too: a malformed fix with self-overlapping edits is skipped.
                fix.edits[..i].iter().all(|o| !overlaps(o, e))
            });
        // The same edit proposed twice (two findings on one call with the same fix) is
        // taken once rather than counted as a conflict.
        let fresh: Vec<&Edit> = fix.edits.iter().filter(|e| !taken.contains(e)).collect();
        if !usable || fresh.iter().any(|e| taken.iter().any(|t| overlaps(t, e))) {
            skipped += 1;
            continue;
        }
        taken.extend(fresh);
        applied += 1;
    }
    taken.sort_by_key(|e| std::cmp::Reverse((e.start, e.end)));
    let mut out = text.to_string();
    for e in taken {
        out.replace_range(e.start as usize..e.end as usize, &e.replacement);
    }
    (out, applied, skipped)
}

fn in_range(text: &str, e: &Edit) -> bool {
    let (s, t) = (e.start as usize, e.end as usize);
    s <= t && t <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(t)
}

/// Two edits conflict when their ranges intersect, or when both start at the same place
/// (two insertions there have no defined order).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// A unified diff of the plan, `a/` and `b/` prefixed like `git diff`.
pub fn unified_diff(plan: &Plan) -> String {
    let diff = similar::TextDiff::from_lines(plan.old.as_str(), plan.new.as_str());
    let path = plan.path.trim_start_matches("./");
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Why a file was not written.
#[derive(Debug, PartialEq, Eq)]
pub enum NotWritten {
    /// The file on disk is not the text that was analyzed.
    Changed,
    /// Reading or writing failed.
    Io(String),
}

impl std::fmt::Display for NotWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotWritten::Changed => write!(f, "changed since it was read; not fixed"),
            NotWritten::Io(e) => write!(f, "not fixed: {e}"),
        }
    }
}

/// Replaces the file at `fs_path` with `new_text`, but only if it still holds exactly
/// `analyzed` (the text the driver read: UTF-8 with any byte-order mark stripped, which is
/// put back). Atomic: a temporary file in the same directory renamed over the original.
pub fn write_if_unchanged(
    fs_path: &Path,
    analyzed: &str,
    new_text: &str,
) -> Result<(), NotWritten> {
    const BOM: &str = "\u{feff}";
    let disk = std::fs::read(fs_path).map_err(|e| NotWritten::Io(e.to_string()))?;
    let Ok(disk) = String::from_utf8(disk) else {
        // The analysis saw a lossy decoding; writing it back would corrupt the bytes.
        return Err(NotWritten::Changed);
    };
    let (bom, body) = match disk.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => ("", disk.as_str()),
    };
    if body != analyzed {
        return Err(NotWritten::Changed);
    }
    let tmp = temp_path(fs_path);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bom.as_bytes())?;
        f.write_all(new_text.as_bytes())?;
        f.sync_all()?;
        // Keep the original's permissions (an executable script stays executable).
        if let Ok(meta) = std::fs::metadata(fs_path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, fs_path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        NotWritten::Io(e.to_string())
    })
}

/// `.name.vouch-fix-PID.tmp` next to the file: same directory, so the rename cannot cross
/// file systems; dot-prefixed, so it is hidden from the user's tools if it is ever left.
fn temp_path(fs_path: &Path) -> PathBuf {
    let name = fs_path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = format!(".{name}.vouch-fix-{}.tmp", std::process::id());
    match fs_path.parent() {
        Some(dir) => dir.join(tmp),
        None => PathBuf::from(tmp),
    }
}

/// What `--fix` did to a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub fixes: usize,
    pub files: usize,
}

/// `--fix`: writes each file's plan (files that are not on disk, or changed since they were
/// read, get a note instead), re-analyzes the written files and puts their new reports in
/// `run` in place of the old ones, so only what remains is reported. `recheck` runs on the
/// re-analyzed files before they are merged (the CLI applies its baseline there).
pub fn fix_run(
    run: &mut Run,
    inputs: &[Input],
    catalog: &Catalog,
    options: &DriverOptions,
    recheck: &dyn Fn(&mut Run),
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut again = Vec::new();
    for file in &run.files {
        let Some(plan) = plan_file(file) else {
            continue;
        };
        let fs_path = inputs.iter().find_map(|i| match i {
            Input::File { path, fs_path } if *path == plan.path => Some(fs_path.clone()),
            _ => None,
        });
        let Some(fs_path) = fs_path else {
            continue;
        };
        match write_if_unchanged(&fs_path, &plan.old, &plan.new) {
            Ok(()) => {
                outcome.fixes += plan.applied;
                outcome.files += 1;
                again.push(Input::File {
                    path: plan.path.clone(),
                    fs_path,
                });
            }
            Err(why) => run.notes.push(Note {
                path: plan.path.clone(),
                message: why.to_string(),
            }),
        }
    }
    if again.is_empty() {
        return outcome;
    }
    let mut fresh = crate::driver::check(again, catalog, options);
    recheck(&mut fresh);
    for new in fresh.files {
        if let Some(old) = run
            .files
            .iter_mut()
            .find(|f| f.report.path == new.report.path)
        {
            *old = new;
        }
    }
    let elapsed = run.summary.elapsed_ms + fresh.summary.elapsed_ms;
    run.summary = summarize(&run.files, elapsed);
    outcome
}

/// `--diff`: the unified diffs of every file's plan, in report order, and how many files
/// would change.
pub fn diff_run(run: &Run) -> (String, usize) {
    let mut out = String::new();
    let mut files = 0;
    for plan in run.files.iter().filter_map(plan_file) {
        out.push_str(&unified_diff(&plan));
        files += 1;
    }
    (out, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: u32, end: u32, r: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: r.into(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            description: "d".into(),
            edits,
        }
    }

    #[test]
    fn applies_from_the_end_and_skips_overlaps() {
        let text = "aaa bbb ccc";
        let a = fix(vec![edit(0, 3, "X")]);
        let c = fix(vec![edit(8, 11, "ZZZZ")]);
        let clash = fix(vec![edit(2, 5, "?"), edit(9, 9, "!")]);
        let dup = fix(vec![edit(8, 11, "ZZZZ")]);
        let bad = fix(vec![edit(5, 99, "")]);
        let (out, applied, skipped) = apply_fixes(text, &[&a, &c, &clash, &dup, &bad]);
        assert_eq!(out, "X bbb ZZZZ");
        assert_eq!((applied, skipped), (3, 2));
    }
}
