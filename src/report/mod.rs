//! Output formats: human (miette), JSON, SARIF, GitHub annotations.
//!
//! Every renderer takes a finished [`Run`]: the per-file reports with the text they were
//! analyzed from (spans are byte offsets into it; columns shown to users are characters),
//! notes that belong to no file, and the summary counts.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::sync::Arc;

use crate::finding::{FileReport, Finding, Severity};
use crate::ir::Span;

/// One analyzed file and the text its spans point into.
#[derive(Clone, Debug, Default)]
pub struct CheckedFile {
    pub report: FileReport,
    /// The decoded text (lossy UTF-8, BOM stripped); empty when the file was not read.
    pub source: Arc<str>,
}

/// A remark about the input that is not a finding: an unreadable directory, a file that is
/// not UTF-8, an internal error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub path: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub lines: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub proved: usize,
    pub violated: usize,
    pub unknown: usize,
    /// Violations not reported because they need a value the analysis does not see.
    pub unseen: usize,
    /// Findings hidden because the baseline records them (0 without a baseline).
    pub baselined: usize,
    pub elapsed_ms: u64,
    pub solver: SolverStats,
}

/// How much the run asked of Z3 (sites decided by folding or evaluation are not queries).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SolverStats {
    /// Obligations that needed Z3.
    pub queries: usize,
    /// Files with at least one such obligation (each pays for a Z3 context).
    pub files: usize,
    pub median_us: u32,
    pub p99_us: u32,
    pub max_us: u32,
}

impl SolverStats {
    fn of(files: &[CheckedFile]) -> SolverStats {
        let mut times: Vec<u32> = files
            .iter()
            .flat_map(|f| f.report.query_micros.iter().copied())
            .collect();
        times.sort_unstable();
        let at = |q: f64| -> u32 {
            if times.is_empty() {
                return 0;
            }
            let i = ((times.len() - 1) as f64 * q).round() as usize;
            times.get(i).copied().unwrap_or(0)
        };
        SolverStats {
            queries: times.len(),
            files: files
                .iter()
                .filter(|f| !f.report.query_micros.is_empty())
                .count(),
            median_us: at(0.5),
            p99_us: at(0.99),
            max_us: times.last().copied().unwrap_or(0),
        }
    }
}

/// Everything a renderer needs.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub files: Vec<CheckedFile>,
    /// Notes from discovery, not tied to an analyzed file.
    pub notes: Vec<Note>,
    pub summary: Summary,
}

impl Run {
    /// Every note, the run's own first, then each file's, in file order.
    pub fn all_notes(&self) -> Vec<Note> {
        let mut out = self.notes.clone();
        for f in &self.files {
            for n in &f.report.notes {
                out.push(Note {
                    path: f.report.path.clone(),
                    message: n.clone(),
                });
            }
        }
        out
    }

    /// Every finding with its file's text, in report order.
    pub fn findings(&self) -> impl Iterator<Item = (&CheckedFile, &Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.report.findings.iter().map(move |x| (f, x)))
    }

    /// The highest severity among the findings, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings().map(|(_, f)| f.severity).max()
    }
}

/// Counts the summary from the reports (elapsed time is the caller's).
pub fn summarize(files: &[CheckedFile], elapsed_ms: u64) -> Summary {
    let mut s = Summary {
        files: files.len(),
        elapsed_ms,
        ..Summary::default()
    };
    s.solver = SolverStats::of(files);
    for f in files {
        s.lines += f.report.lines;
        s.proved += f.report.proofs.len();
        s.unknown += f.report.unknown;
        s.unseen += f.report.unseen;
        for x in &f.report.findings {
            s.findings += 1;
            match x.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
            if x.verdict == crate::finding::VerdictKind::Violated {
                s.violated += 1;
            }
        }
    }
    s
}

/// Converts byte positions in a text to 1-based lines and character columns.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: u32) -> &'a str {
        let Some(&start) = self.starts.get((line as usize).wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .starts
            .get(line as usize)
            .map_or(self.text.len(), |&e| e.saturating_sub(1));
        let s = self.text.get(start..end).unwrap_or("");
        s.strip_suffix('\r').unwrap_or(s)
    }

    /// 1-based character column of 1-based byte column `byte_col` on line `line`. Positions
    /// past the end of the line count the missing bytes as characters, so a span that ends
    /// just after the last character gets the column after it.
    pub fn char_col(&self, line: u32, byte_col: u32) -> u32 {
        let Some(&start) = self.starts.get((line as usize).wrapping_sub(1)) else {
            return byte_col.max(1);
        };
        let want = (byte_col.max(1) - 1) as usize;
        let line_end = self
            .starts
            .get(line as usize)
            .copied()
            .unwrap_or(self.text.len());
        let avail = line_end - start;
        let take = want.min(avail);
        let mut cut = start + take;
        while cut > start && !self.text.is_char_boundary(cut) {
            cut -= 1;
        }
        let chars = self.text.get(start..cut).map_or(0, |s| s.chars().count());
        (chars + (want - take) + 1) as u32
    }

    /// 1-based (line, character column) of a byte offset, clamped to the text.
    pub fn position(&self, offset: u32) -> (u32, u32) {
        let offset = (offset as usize).min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let mut cut = offset;
        while cut > start && !self.text.is_char_boundary(cut) {
            cut -= 1;
        }
        let col = self.text.get(start..cut).map_or(0, |s| s.chars().count()) + 1;
        (line as u32, col as u32)
    }
}

/// A span's 1-based (line, column, end line, end column), columns in characters. The end
/// column is exclusive (the character after the span), as SARIF and LSP expect.
/// The range of a span in another file, whose text the report does not hold: its byte
/// columns stand in for characters (exact for ASCII lines).
pub fn foreign_range(span: &Span) -> (u32, u32, u32, u32) {
    let line = span.line.max(1);
    (
        line,
        span.col.max(1),
        span.end_line.max(line),
        span.end_col.max(1),
    )
}

/// A related location's range: in the finding's file, or in the file it names.
pub fn related_range(index: &LineIndex<'_>, r: &crate::finding::Related) -> (u32, u32, u32, u32) {
    match r.path {
        Some(_) => foreign_range(&r.span),
        None => char_range(index, &r.span),
    }
}

pub fn char_range(index: &LineIndex<'_>, span: &Span) -> (u32, u32, u32, u32) {
    let line = span.line.max(1);
    let end_line = span.end_line.max(line);
    (
        line,
        index.char_col(line, span.col),
        end_line,
        index.char_col(end_line, span.end_col),
    )
}

/// "fails when `a` = 1, `b` = 2" and "left side is 118, right side is 120", joined; `None`
/// when the finding carries neither.
pub fn counterexample(f: &Finding, max_value: usize) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(w) = f.witness.as_ref().filter(|w| !w.is_empty()) {
        parts.push(format!("fails when {}", bindings(w, max_value)));
    }
    if !f.shown.is_empty() {
        parts.push(
            f.shown
                .iter()
                .map(|(k, v)| format!("{k} is {}", truncate(v, max_value)))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("; "))
    }
}

/// "`a` = 1, `b` = 2".
pub fn bindings(w: &[(String, String)], max_value: usize) -> String {
    w.iter()
        .map(|(k, v)| format!("`{k}` = {}", truncate(v, max_value)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The finding's message with its counterexample, for formats that have only one line.
pub fn message_with_counterexample(f: &Finding) -> String {
    match counterexample(f, 200) {
        Some(c) => format!("{} ({c})", f.message),
        None => f.message.clone(),
    }
}

/// Cuts `s` to `max` characters with an ellipsis: witness strings can be huge.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// "PY-S602 · CWE-78" (several CWEs joined with commas).
pub fn code_with_cwe(f: &Finding) -> String {
    if f.cwe.is_empty() {
        f.rule.clone()
    } else {
        let cwes: Vec<String> = f.cwe.iter().map(|c| format!("CWE-{c}")).collect();
        format!("{} · {}", f.rule, cwes.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é = 1\r\nπ+ß = x\n";
        let idx = LineIndex::new(text);
        // `=` on line 1 is byte column 4 (é is two bytes), character column 3.
        assert_eq!(idx.char_col(1, 4), 3);
        assert_eq!(idx.char_col(2, 1), 1);
        assert_eq!(idx.char_col(2, 5), 3);
        assert_eq!(idx.line_text(1), "é = 1");
        assert_eq!(idx.line_text(3), "");
        assert_eq!(idx.line_text(0), "");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(8), (2, 1));
        assert_eq!(idx.position(10), (2, 2));
        assert_eq!(idx.position(9999), (3, 1));
        // Out of range lines fall back to the byte column rather than panicking.
        assert_eq!(idx.char_col(99, 7), 7);
        // A byte column inside a multi-byte character rounds down.
        assert_eq!(idx.char_col(1, 2), 1);
    }
}
