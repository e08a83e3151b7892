//! The analysis: IR in, obligations out, verdicts folded into findings.

use crate::finding::FileReport;
use crate::ir::Module;
use crate::rules::catalog::Catalog;

/// What the analysis needs from the command line and configuration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub budget: crate::solve::Budget,
    /// Rule ids (or prefixes) to run; empty means all.
    pub select: Vec<String>,
    /// Rule ids (or prefixes) to skip.
    pub ignore: Vec<String>,
    /// Collect proved sites for `--proofs`.
    pub proofs: bool,
}

/// Analyze one lowered module.
pub fn analyze_module(module: &Module, _catalog: &Catalog, _options: &Options) -> FileReport {
    FileReport {
        path: module.path.clone(),
        lines: module.source.lines().count(),
        ..Default::default()
    }
}
