//! Baselines: record today's findings once, then report only new ones.
//!
//! `vouch check --write-baseline FILE` writes every current finding; `--baseline FILE`
//! hides the findings recorded there. A finding is keyed on its rule, its file (relative to
//! the baseline file's directory, so the baseline works from any working directory), the
//! whitespace-normalised text of the flagged line and its occurrence among identical keys
//! in that file: the same fingerprint SARIF gives GitHub. Line numbers are not part of the
//! key, so adding or removing lines above a known finding does not resurface it, while a
//! second copy of the same bad line is new and is reported.
//!
//! The file is JSON:
//! ```json
//! { "version": 1,
//!   "entries": [ { "rule": "PY-S202", "path": "src/app.py",
//!                  "fingerprint": "…32 hex digits…", "count": 1 } ] }
//! ```
//! `count` is how many findings share the fingerprint (almost always 1); up to that many are
//! hidden.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, Report, SourceSpan};
use serde::{Deserialize, Serialize};

use crate::report::sarif::file_fingerprints;
use crate::report::{Run, summarize};

/// The format version this build reads and writes.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    pub count: u32,
}

/// A baseline file that cannot be used, pointing into its text when it is malformed.
#[derive(Debug, thiserror::Error)]
#[error("cannot use the baseline `{path}`: {reason}")]
pub struct BaselineError {
    path: String,
    reason: String,
    src: Option<NamedSource<String>>,
    at: Option<SourceSpan>,
}

impl Diagnostic for BaselineError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("vouch::baseline"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(
            "write a fresh one with `vouch check --write-baseline FILE`",
        ))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let at = self.at?;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("here".into()), at),
        )))
    }
}

/// The directory that baseline paths are relative to: the baseline file's own.
pub fn base_dir(baseline_file: &Path) -> PathBuf {
    let abs = crate::config::absolute(baseline_file);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

/// A reported path as the baseline spells it: relative to `base` with `/` separators when
/// the file lies beneath it, else absolute. Paths that are not files (`<stdin>`) are kept.
fn key_path(reported: &str, base: &Path) -> String {
    if reported.starts_with('<') {
        return reported.to_string();
    }
    let abs = crate::config::absolute(Path::new(reported));
    let shown = match abs.strip_prefix(base) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => abs,
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// Every finding of `run` as baseline entries, sorted, identical keys merged into a count.
pub fn from_run(run: &Run, base: &Path) -> Baseline {
    let mut counts: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    for file in &run.files {
        let path = key_path(&file.report.path, base);
        for (f, print) in file
            .report
            .findings
            .iter()
            .zip(file_fingerprints(file, &path))
        {
            *counts
                .entry((f.rule.clone(), path.clone(), print))
                .or_insert(0) += 1;
        }
    }
    Baseline {
        version: VERSION,
        entries: counts
            .into_iter()
            .map(|((rule, path, fingerprint), count)| Entry {
                rule,
                path,
                fingerprint,
                count,
            })
            .collect(),
    }
}

/// Writes `run`'s findings to `file`; returns how many findings it recorded.
pub fn write(file: &Path, run: &Run) -> Result<usize, Report> {
    let baseline = from_run(run, &base_dir(file));
    let mut text = serde_json::to_string_pretty(&baseline)
        .map_err(|e| miette::miette!(code = "vouch::baseline", "cannot encode: {e}"))?;
    text.push('\n');
    std::fs::write(file, text).map_err(|e| {
        miette::miette!(
            code = "vouch::io",
            "cannot write the baseline `{}`: {e}",
            file.display()
        )
    })?;
    Ok(baseline.entries.iter().map(|e| e.count as usize).sum())
}

/// Reads and validates a baseline file.
pub fn load(file: &Path) -> Result<Baseline, Report> {
    let path = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| BaselineError {
        path: path.clone(),
        reason: e.to_string(),
        src: None,
        at: None,
    })?;
    parse(&path, text)
}

/// Parses baseline text; errors point at the offending position.
pub fn parse(path: &str, text: String) -> Result<Baseline, Report> {
    match serde_json::from_str::<Baseline>(&text) {
        Ok(b) if b.version == VERSION => Ok(b),
        Ok(b) => Err(BaselineError {
            path: path.to_string(),
            reason: format!(
                "version {} is not supported (this vouch reads version {VERSION})",
                b.version
            ),
            at: text.find("\"version\"").map(|i| SourceSpan::from(i..i + 9)),
            src: Some(NamedSource::new(path, text)),
        }
        .into()),
        Err(e) => {
            let at = offset_of(&text, e.line(), e.column());
            Err(BaselineError {
                path: path.to_string(),
                reason: e.to_string(),
                at: Some(SourceSpan::from(at..at)),
                src: Some(NamedSource::new(path, text)),
            }
            .into())
        }
    }
}

/// Byte offset of serde_json's 1-based line and column (clamped to the text).
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (start + col.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Removes the findings recorded in `baseline` from `run` and recounts the summary; returns
/// how many were hidden.
pub fn apply(run: &mut Run, baseline: &Baseline, base: &Path) -> usize {
    let mut left: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    for e in &baseline.entries {
        *left
            .entry((e.rule.clone(), e.path.clone(), e.fingerprint.clone()))
            .or_insert(0) += e.count;
    }
    let mut hidden = 0;
    for file in &mut run.files {
        let path = key_path(&file.report.path, base);
        let prints = file_fingerprints(file, &path);
        let mut keep = Vec::with_capacity(prints.len());
        for (f, print) in file.report.findings.iter().zip(&prints) {
            let key = (f.rule.clone(), path.clone(), print.clone());
            let known = match left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            };
            keep.push(!known);
        }
        let mut it = keep.iter();
        file.report
            .findings
            .retain(|_| it.next().copied().unwrap_or(true));
        hidden += keep.iter().filter(|k| !**k).count();
    }
    let elapsed = run.summary.elapsed_ms;
    run.summary = summarize(&run.files, elapsed);
    run.summary.baselined = hidden;
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_files_are_located_errors() {
        let Err(e) = parse(
            "b.json",
            "{\"version\": 1, \"entries\": [ {\"rule\": 3} ]}".into(),
        ) else {
            panic!("accepted")
        };
        assert!(e.labels().is_some());
        assert!(parse("b.json", "{\"version\": 9, \"entries\": []}".into()).is_err());
        assert!(parse("b.json", "{\"version\": 1, \"entries\": []}".into()).is_ok());
    }

    #[test]
    fn key_paths_are_relative_to_the_baseline() {
        let base = crate::config::absolute(Path::new("proj"));
        assert_eq!(key_path("proj/src/a.py", &base), "src/a.py");
        assert_eq!(key_path("./proj/./src/a.py", &base), "src/a.py");
        assert_eq!(key_path("<stdin>", &base), "<stdin>");
    }
}
