//! The JSON report of DESIGN.md. Field order is fixed by the structs below; the witness
//! keeps the analysis's variable order (serialized by hand, since serde_json's own map
//! sorts keys).
//!
//! Beyond the contract, additively: `latent`, `shown`, `related` and `flow` (how attacker
//! data reached the sink: `path`, `line`, `column`, `what`, source first) per finding, and the
//! top-level `notes` (and `proofs` when asked for).

use serde::Serialize;
use serde::ser::SerializeMap;

use super::{LineIndex, Run, char_range, related_range};
use crate::finding::{Finding, Severity, VerdictKind};

/// Bumped when a field changes meaning or disappears (adding fields does not bump it).
pub const FORMAT_VERSION: &str = "1";

#[derive(Serialize)]
struct Document<'a> {
    version: &'static str,
    tool_version: &'static str,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
    notes: Vec<JsonNote<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proofs: Option<Vec<JsonProof<'a>>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    name: &'a str,
    cwe: &'a [u32],
    severity: Severity,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    verdict: VerdictKind,
    witness: Option<Pairs<'a>>,
    help: &'a str,
    fix: Option<JsonFix<'a>>,
    latent: bool,
    shown: Pairs<'a>,
    related: Vec<JsonRelated<'a>>,
    flow: Vec<JsonStep<'a>>,
}

/// One step of a taint flow.
#[derive(Serialize)]
struct JsonStep<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    what: &'a str,
}

/// An ordered `{name: value}` object.
struct Pairs<'a>(&'a [(String, String)]);

impl Serialize for Pairs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct JsonFix<'a> {
    description: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    lines: usize,
    findings: usize,
    proved: usize,
    violated: usize,
    unknown: usize,
    /// Violations not reported because they need what the analysis does not see (an
    /// unknown call's result, the object's state, a value a loop widened).
    unseen: usize,
    /// Findings the baseline hid (0 without `--baseline`), so a run says what it left out.
    baselined: usize,
    elapsed_ms: u64,
    /// Z3 work: obligations that reached the solver and their times.
    solver: super::SolverStats,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    path: &'a str,
    message: String,
}

#[derive(Serialize)]
struct JsonProof<'a> {
    rule: &'a str,
    path: &'a str,
    line: u32,
    column: u32,
    property: &'a str,
}

/// The report as pretty-printed JSON, with a trailing newline.
pub fn render(run: &Run, with_proofs: bool) -> String {
    let mut findings = Vec::new();
    let mut proofs = Vec::new();
    for file in &run.files {
        let idx = LineIndex::new(&file.source);
        for f in &file.report.findings {
            findings.push(finding(&idx, &file.report.path, f));
        }
        for p in &file.report.proofs {
            proofs.push(JsonProof {
                rule: &p.rule,
                path: &file.report.path,
                line: p.span.line,
                column: idx.char_col(p.span.line, p.span.col),
                property: &p.property,
            });
        }
    }
    let notes: Vec<_> = run.all_notes();
    let s = &run.summary;
    let doc = Document {
        version: FORMAT_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        findings,
        summary: JsonSummary {
            files: s.files,
            lines: s.lines,
            findings: s.findings,
            proved: s.proved,
            violated: s.violated,
            unknown: s.unknown,
            unseen: s.unseen,
            baselined: s.baselined,
            elapsed_ms: s.elapsed_ms,
            solver: s.solver,
        },
        notes: notes
            .iter()
            .map(|n| JsonNote {
                path: &n.path,
                message: n.message.clone(),
            })
            .collect(),
        proofs: with_proofs.then_some(proofs),
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_string_pretty(&doc)
        .unwrap_or_else(|e| format!("{{\"version\": \"{FORMAT_VERSION}\", \"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

fn finding<'a>(idx: &LineIndex<'_>, path: &'a str, f: &'a Finding) -> JsonFinding<'a> {
    let (line, column, end_line, end_column) = char_range(idx, &f.span);
    JsonFinding {
        rule: &f.rule,
        name: &f.name,
        cwe: &f.cwe,
        severity: f.severity,
        path,
        line,
        column,
        end_line,
        end_column,
        message: &f.message,
        verdict: f.verdict,
        witness: f.witness.as_deref().map(Pairs),
        help: &f.help,
        fix: f.fix.as_ref().map(|fix| JsonFix {
            description: &fix.description,
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let (start_line, start_column) = idx.position(e.start);
                    let (end_line, end_column) = idx.position(e.end);
                    JsonEdit {
                        start_line,
                        start_column,
                        end_line,
                        end_column,
                        replacement: &e.replacement,
                    }
                })
                .collect(),
        }),
        latent: f.latent,
        shown: Pairs(&f.shown),
        related: f
            .related
            .iter()
            .map(|r| {
                let (line, column, end_line, end_column) = related_range(idx, r);
                JsonRelated {
                    path: r.path.as_deref(),
                    line,
                    column,
                    end_line,
                    end_column,
                    message: &r.message,
                }
            })
            .collect(),
        flow: f
            .flow
            .iter()
            .map(|r| {
                let (line, column, _, _) = related_range(idx, r);
                JsonStep {
                    path: r.path.as_deref().unwrap_or(path),
                    line,
                    column,
                    what: &r.message,
                }
            })
            .collect(),
    }
}
