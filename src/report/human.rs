//! Human output: each finding as a miette diagnostic with the source snippet, the
//! counterexample on the primary label, and the rule's help; then notes, the optional proofs
//! list, and a one-line summary.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{LineIndex, Note, Run, Summary, bindings, code_with_cwe, counterexample};
use crate::finding::{Finding, Severity, VerdictKind};
use crate::ir::Span;

/// Notes shown per file in the human output.
const NOTES_PER_FILE: usize = 3;

/// Longest witness value shown in a label; JSON and SARIF carry the full value.
const MAX_VALUE_CHARS: usize = 60;

#[derive(Clone, Copy, Debug)]
pub struct HumanOptions {
    /// ANSI colours (only when writing to a terminal and `NO_COLOR` is unset).
    pub color: bool,
    /// Wrap width in columns.
    pub width: usize,
    /// List every proved site.
    pub proofs: bool,
    /// Findings only: no notes, no summary.
    pub quiet: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
            proofs: false,
            quiet: false,
        }
    }
}

/// Renders the whole run.
pub fn render(run: &Run, opts: &HumanOptions) -> String {
    let handler = handler(opts.color, opts.width);
    let mut out = String::new();
    for file in &run.files {
        let source = NamedSource::new(&file.report.path, file.source.clone());
        for f in &file.report.findings {
            let diag = FindingDiagnostic::new(f, &source, &file.source);
            // Writing to a String cannot fail; a handler error would only lose this finding.
            let _ = handler.render_report(&mut out, &diag);
            out.push('\n');
        }
    }
    if opts.quiet {
        return out;
    }
    render_notes(&mut out, &run.all_notes());
    if opts.proofs {
        let _ = writeln!(out, "{}", render_proofs(run));
    }
    out.push_str(&summary_line(&run.summary));
    out.push('\n');
    out
}

/// A miette handler: unicode, fixed width, colours on request, no syntax highlighting (so
/// snapshots do not depend on the terminal).
pub fn handler(color: bool, width: usize) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_urls(false)
        .without_syntax_highlighting()
}

/// Notes in their order, at most [`NOTES_PER_FILE`] per path: a file with hundreds of
/// syntax problems should not bury the findings (the JSON report keeps them all).
fn render_notes(out: &mut String, notes: &[Note]) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // Paths in first-seen order, so the "more notes" lines are deterministic.
    let mut order: Vec<&str> = Vec::new();
    for note in notes {
        let count = seen.entry(&note.path).or_insert_with(|| {
            order.push(&note.path);
            0
        });
        *count += 1;
        if *count <= NOTES_PER_FILE {
            let _ = writeln!(out, "note: {}: {}", note.path, note.message);
        }
    }
    for path in order {
        let n = seen.get(path).copied().unwrap_or(0);
        if n > NOTES_PER_FILE {
            let more = plural(n - NOTES_PER_FILE, "more note", "more notes");
            let _ = writeln!(out, "note: {path}: {more} not shown");
        }
    }
}

fn render_proofs(run: &Run) -> String {
    let mut out = String::new();
    let total: usize = run.files.iter().map(|f| f.report.proofs.len()).sum();
    let _ = write!(out, "proved safe ({}):", plural(total, "site", "sites"));
    for file in &run.files {
        let idx = LineIndex::new(&file.source);
        for p in &file.report.proofs {
            let col = idx.char_col(p.span.line, p.span.col);
            let _ = write!(
                out,
                "\n  {}:{}:{}: {} {}",
                file.report.path, p.span.line, col, p.rule, p.property
            );
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "3 findings (1 error, 2 warnings) in 4 files (120 lines); 7 sites proved safe, 0 unknown;
/// 12 ms".
pub fn summary_line(s: &Summary) -> String {
    let mut kinds = vec![
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
    ];
    if s.notes > 0 {
        kinds.push(plural(s.notes, "note", "notes"));
    }
    // Findings the baseline hid are counted, so a run never looks cleaner than it is.
    let baselined = match s.baselined {
        0 => String::new(),
        n => format!(", {} hidden by the baseline", n),
    };
    format!(
        "{} ({}){baselined} in {} ({}); {} proved safe, {} unknown; {} ms",
        plural(s.findings, "finding", "findings"),
        kinds.join(", "),
        plural(s.files, "file", "files"),
        plural(s.lines, "line", "lines"),
        plural(s.proved, "site", "sites"),
        s.unknown,
        s.elapsed_ms
    )
}

/// One finding seen through miette's `Diagnostic`.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: &'a NamedSource<Arc<str>>,
    code: String,
    help: String,
    labels: Vec<LabeledSpan>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(f: &'a Finding, source: &'a NamedSource<Arc<str>>, text: &str) -> Self {
        let mut help = f.help.trim_end().to_string();
        if f.latent {
            let pre = match f.witness.as_ref().filter(|w| !w.is_empty()) {
                Some(w) => format!("latent: holds only when {}", bindings(w, MAX_VALUE_CHARS)),
                None => "latent: holds only for particular argument values".to_string(),
            };
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&pre);
        }
        let label = counterexample(f, MAX_VALUE_CHARS)
            .or_else(|| {
                (f.verdict == VerdictKind::Unknown).then(|| "could not be proved safe".to_string())
            })
            // A finding that points elsewhere (a followed call) says why it is here.
            .or_else(|| (!f.related.is_empty()).then(|| "called here".to_string()));
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            label,
            byte_range(text, &f.span),
        )];
        // Steps in this file are labels on its snippet; a step in another file (a helper of
        // another module) is named in the help, since the snippet cannot show it.
        for r in f.flow.iter().chain(&f.related) {
            match &r.path {
                None => labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    byte_range(text, &r.span),
                )),
                Some(path) => {
                    if !help.is_empty() {
                        help.push('\n');
                    }
                    help.push_str(&format!("{} ({path}:{})", r.message, r.span.line));
                }
            }
        }
        FindingDiagnostic {
            finding: f,
            source,
            code: code_with_cwe(f),
            help,
            labels,
        }
    }
}

/// The span as a byte range miette can slice: clamped to the text and to character
/// boundaries, so a stale or hand-made span cannot make the renderer panic.
fn byte_range(text: &str, span: &Span) -> std::ops::Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start as usize);
    let end = floor(span.end as usize).max(start);
    start..end
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.help.is_empty() {
            None
        } else {
            Some(Box::new(&self.help))
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// Renders any diagnostic (a config error, a missing path) the same way findings look.
pub fn render_diagnostic(diag: &dyn Diagnostic, color: bool, width: usize) -> String {
    let mut out = String::new();
    if handler(color, width).render_report(&mut out, diag).is_err() {
        out = diag.to_string();
    }
    out
}
