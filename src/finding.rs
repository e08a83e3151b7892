//! What the analysis reports: plain data shared by every output format.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    /// Z3 (or constant folding) found values that make the bad thing happen, re-checked.
    Violated,
    /// No verdict (timeout, unsupported theory): reported only where a rule asks for it.
    Unknown,
}

/// A textual edit that fixes the finding mechanically (byte offsets into the file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub start: u32,
    pub end: u32,
    pub replacement: String,
}

/// A second location that explains the finding (a callee's line, a taint step).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub span: crate::ir::Span,
    pub message: String,
    /// The file the span is in, when it is not the finding's own (a helper in another
    /// module of the project).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub name: String,
    pub cwe: Vec<u32>,
    pub severity: Severity,
    pub path: String,
    pub span: crate::ir::Span,
    pub message: String,
    pub verdict: VerdictKind,
    /// Counterexample: variable name to a value in the source language's literal syntax,
    /// in a fixed order.
    pub witness: Option<Vec<(String, String)>>,
    /// Derived facts shown with the witness ("left side" = "118").
    pub shown: Vec<(String, String)>,
    /// The violation needs a particular argument value (a precondition), not just any run.
    pub latent: bool,
    pub help: String,
    pub fix: Option<Fix>,
    pub related: Vec<Related>,
    /// How attacker data got here, source first: where each value the witness names was
    /// read, then the calls it went through (the sink is the finding's own span).
    pub flow: Vec<Related>,
}

/// A site the solver proved safe (listed by `--proofs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    pub rule: String,
    pub path: String,
    pub span: crate::ir::Span,
    pub property: String,
}

/// Everything one file produced.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileReport {
    pub path: String,
    pub lines: usize,
    pub findings: Vec<Finding>,
    pub proofs: Vec<Proof>,
    pub unknown: usize,
    /// Violations left unreported because they need a value the analysis does not see:
    /// an unknown call's result, the object's state, a value a loop widened.
    pub unseen: usize,
    /// Problems with the input itself (not UTF-8, syntax errors, too deep), shown as notes.
    pub notes: Vec<String>,
    /// Solver statistics for benchmarks: number of queries and their durations in µs.
    pub query_micros: Vec<u32>,
}
