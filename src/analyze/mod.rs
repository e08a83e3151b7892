//! The analysis: IR in, obligations out, verdicts folded into findings.
//!
//! `exec` walks each function symbolically and records risky sites; `sinks` compiles the
//! declarative rules at calls, assignments and references; `policy` turns solver outcomes
//! into findings (error, latent warning, or nothing) following the reporting policy in
//! ARCHITECTURE.md.

pub mod apis;
pub mod cargo_toml;
pub mod crates;
pub mod exec;
pub mod imports;
pub mod manifests;
pub mod packages;
pub mod placeholders;
pub mod policy;
pub mod regex_guard;
pub mod secrets;
pub mod sinks;
pub mod stdlib;
pub mod value;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

use crate::finding::FileReport;
use crate::ir::{Language, Module};
use crate::rules::catalog::Catalog;
use crate::solve::{self, Obligation};
use crate::term::{self, Origin};

use crate::project::Project;
use crate::project::callgraph::{CallGraph, Node};
use exec::{Analysed, Context, Exec, Site, SiteKind, Summaries};
use sinks::RuleIndex;
use value::Value;

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
    /// Who the attacker is: which sources count.
    pub threat: crate::rules::Threat,
    /// The oldest Python 3 minor version the code must run on (`target-python`); `None`:
    /// the project's `requires-python`, else the oldest vouch knows.
    pub target_python: Option<u8>,
}

/// A site with the symbol table it was stated in, ready for the solver.
pub struct Pending {
    pub site: Site,
    pub obligation: Obligation,
    /// Where the source data among the obligation's symbols was read.
    pub sources: Vec<(term::SymId, crate::ir::Span)>,
}

/// Analyze one lowered module on its own (an editor buffer, a test): a project of one.
pub fn analyze_module(module: &Module, catalog: &Catalog, options: &Options) -> FileReport {
    let project = Project::new(vec![module.clone()]);
    analyze_project(&project, catalog, options)
        .pop()
        .unwrap_or_default()
}

/// Analyze every module of a project: the functions bottom-up over the call graph, level
/// by level (each level in parallel; see `project::callgraph` for why this order makes
/// summaries deterministic), then each module's sites through the solver. One report per
/// module, in the project's order. A panic while analysing a function becomes a note on
/// its file; the other functions and files are still reported.
pub fn analyze_project(project: &Project, catalog: &Catalog, options: &Options) -> Vec<FileReport> {
    let graph = CallGraph::build(project);
    let wanted = vec![true; project.modules.len()];
    analyze_project_for(project, &graph, catalog, options, &wanted, None).0
}

/// As [`analyze_project`], over a call graph already built, for an incremental run: only
/// the modules `wanted` says get a report (the others an empty one, and their sites go to
/// no solver), and only the functions `functions` marks (by call-graph index; `None`: all)
/// are analysed, which must include every function a wanted module reaches. Also returns,
/// per function analysed, what its analysis looked at outside its module.
pub fn analyze_project_for(
    project: &Project,
    graph: &CallGraph,
    catalog: &Catalog,
    options: &Options,
    wanted: &[bool],
    functions: Option<&[bool]>,
) -> (Vec<FileReport>, Vec<(Node, crate::project::Trace)>) {
    let indexes = Indexes {
        python: RuleIndex::new(
            catalog,
            &options.select,
            &options.ignore,
            options.threat,
            Language::Python,
        ),
        rust: RuleIndex::new(
            catalog,
            &options.select,
            &options.ignore,
            options.threat,
            Language::Rust,
        ),
    };
    let consts: Vec<HashMap<String, Value>> = project
        .modules
        .par_iter()
        .map(|m| module_constants(m, indexes.of(m.language)))
        .collect();
    // The run's own modules, by dotted name: imports of them are no packages to look up.
    let local_modules: std::collections::HashSet<String> = project
        .names
        .iter()
        .filter(|n| !n.is_empty())
        .cloned()
        .collect();
    let summaries = Summaries::new(project, graph);
    let cx = Context {
        project,
        indexes: &indexes,
        consts: &consts,
        summaries: &summaries,
    };
    let mut analysed: Vec<Vec<Option<Result<Analysed, String>>>> = project
        .modules
        .iter()
        .map(|m| m.functions.iter().map(|_| None).collect())
        .collect();
    let mut traces = Vec::new();
    let chosen = |node: &Node| {
        functions.is_none_or(|only| {
            graph
                .index(*node)
                .is_some_and(|i| only.get(i).copied().unwrap_or(false))
        })
    };
    for level in graph.levels() {
        let done: Vec<(Node, Result<Analysed, String>, crate::project::Trace)> = level
            .par_iter()
            .filter(|node| chosen(node))
            .filter_map(|&node| {
                let (run, trace) = crate::project::traced(|| {
                    catch_unwind(AssertUnwindSafe(|| exec::analyse(&cx, node)))
                });
                match run {
                    Ok(a) => a.map(|a| (node, Ok(a), trace)),
                    Err(payload) => Some((node, Err(panic_text(payload.as_ref())), trace)),
                }
            })
            .collect();
        for ((m, f), a, trace) in done {
            if let Some(slot) = analysed.get_mut(m).and_then(|fs| fs.get_mut(f)) {
                *slot = Some(a);
            }
            traces.push(((m, f), trace));
        }
    }
    let reports = project
        .modules
        .par_iter()
        .zip(analysed.into_par_iter())
        .enumerate()
        .map(|(m, (module, functions))| {
            if !wanted.get(m).copied().unwrap_or(false) {
                return FileReport::default();
            }
            let index = indexes.of(module.language);
            finish_module(module, index, functions, options, &local_modules)
        })
        .collect();
    (reports, traces)
}

/// The rules in force for each language.
pub struct Indexes {
    pub python: RuleIndex,
    pub rust: RuleIndex,
}

impl Indexes {
    pub fn of(&self, language: Language) -> &RuleIndex {
        match language {
            Language::Python => &self.python,
            Language::Rust => &self.rust,
        }
    }
}

/// The text of a panic payload.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// A module's findings from its functions' sites, its imports and its lexical checks.
fn finish_module(
    module: &Module,
    index: &RuleIndex,
    functions: Vec<Option<Result<Analysed, String>>>,
    options: &Options,
    local_modules: &std::collections::HashSet<String>,
) -> FileReport {
    let mut report = FileReport {
        path: module.path.clone(),
        lines: module.source.lines().count(),
        // Dynamic imports are recorded for the import checks; they are not news to users.
        notes: module
            .notes
            .iter()
            .filter(|n| !n.starts_with("dynamic import"))
            .cloned()
            .collect(),
        ..Default::default()
    };
    if !module.syntax_errors.is_empty() {
        let first = module.syntax_errors[0];
        report.notes.push(format!(
            "{} syntax error(s), first at line {}; the rest of the file was analyzed",
            module.syntax_errors.len(),
            first.line
        ));
    }
    let mut pending: Vec<Pending> = Vec::new();
    for (f, analysed) in module.functions.iter().zip(functions) {
        let analysed = match analysed {
            Some(Ok(a)) => a,
            Some(Err(what)) => {
                report.notes.push(format!(
                    "internal error, please report (`{}` was not analyzed): {what}",
                    f.qualname
                ));
                continue;
            }
            None => continue,
        };
        if analysed.truncated {
            report.notes.push(format!(
                "`{}` is too large; its analysis stopped early",
                f.qualname
            ));
        }
        for site in analysed.sites.into_iter().filter(|s| !s.contract) {
            pending.push(policy::to_pending(site, &analysed.syms));
        }
    }
    pending.extend(import_sites(module, index));
    pending.extend(policy::secret_sites(module, index));

    let obligations: Vec<Obligation> = pending.iter().map(|p| p.obligation.clone()).collect();
    let outcomes = solve::solve_file(&obligations, &options.budget);
    let mut pair: policy::PendingPair = None;
    for (p, (outcome, micros)) in pending.into_iter().zip(outcomes) {
        if micros > 0 {
            report.query_micros.push(micros);
        }
        policy::decide(&mut report, module, index, p, outcome, &mut pair);
    }
    report.findings.extend(generated_code_findings(
        module,
        index,
        options,
        local_modules,
    ));
    report.findings.sort_by(|a, b| {
        (a.span.line, a.span.col, &a.rule).cmp(&(b.span.line, b.span.col, &b.rule))
    });
    report
        .findings
        .dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
    policy::drop_repeats_at_calls(&mut report.findings);
    report
}

/// Module-level constants whose values need no symbols (literals and arithmetic on them):
/// those can be shared by every function's analysis.
fn module_constants(module: &Module, index: &RuleIndex) -> HashMap<String, Value> {
    let empty = HashMap::new();
    let mut ex = Exec::new(module, index, &empty);
    let mut st = exec::State {
        live: true,
        ..Default::default()
    };
    let mut out = HashMap::new();
    // A module-level list that some code appends to (`registry.append(x)`) is no constant.
    let changed: std::collections::HashSet<String> = module
        .functions
        .iter()
        .flat_map(|f| exec::changed_in_place(&f.body))
        .collect();
    for (name, expr) in &module.constants {
        let mut v = ex.eval(&mut st, expr);
        if matches!(v, Value::Seq { .. } | Value::Dict { .. }) && changed.contains(name) {
            continue;
        }
        // An object built by a known constructor keeps its type for the functions that
        // use it (`session = requests.Session()`), though not its contents.
        if let Value::Unknown(b) = &v
            && let Some(t) = ex.syms.base(*b).and_then(|b| b.type_name.clone())
        {
            v = Value::Instance(t);
        }
        if v.is_constant() {
            st.env.insert(name.clone(), v.clone());
            out.insert(name.clone(), v);
        }
    }
    out
}

fn import_sites(module: &Module, index: &RuleIndex) -> Vec<Pending> {
    let mut out = Vec::new();
    for imp in &module.imports {
        for (m, i) in &index.imports {
            if imp.qualname == *m || imp.qualname.starts_with(&format!("{m}.")) {
                let Some(rule) = index.rules.get(*i) else {
                    continue;
                };
                let site = Site {
                    rule: rule.id.clone(),
                    span: imp.span,
                    pc: Vec::new(),
                    bad: term::boolean(true),
                    shown: Vec::new(),
                    message: rule
                        .message
                        .replace("{callee}", &imp.qualname)
                        .replace("{arg}", &imp.qualname),
                    property: String::new(),
                    kind: SiteKind::SecurityValue,
                    fix: None,
                    related: Vec::new(),
                    inlined: false,
                    from_private: false,
                    in_private: false,
                    contract: false,
                    partial: false,
                    folded: false,
                };
                out.push(policy::to_pending(site, &value::Symbols::default()));
            }
        }
    }
    out
}

/// The checks made for generated code: Python imports (with the run's module names, once
/// the driver knows them) and standard-library APIs, Rust crates, placeholders.
fn generated_code_findings(
    module: &Module,
    index: &RuleIndex,
    options: &Options,
    local_modules: &std::collections::HashSet<String>,
) -> Vec<crate::finding::Finding> {
    let mut out = match module.language {
        Language::Python => {
            let mut out = imports::check(module, index, local_modules);
            out.extend(apis::check(module, index, options.target_python));
            out
        }
        Language::Rust => crates::check(module, index),
    };
    out.extend(placeholders::check(module, index));
    out
}

/// A finding of a check that needs no solver (imports, APIs, placeholders): violated, at
/// the rule's severity, with its help; callers override `help` or `fix` where they know
/// better.
pub(crate) fn module_finding(
    module: &Module,
    rule: &crate::rules::Rule,
    span: crate::ir::Span,
    message: String,
) -> crate::finding::Finding {
    crate::finding::Finding {
        rule: rule.id.clone(),
        name: rule.name.clone(),
        cwe: rule.cwe.clone(),
        severity: rule.severity,
        path: module.path.clone(),
        span,
        message,
        verdict: crate::finding::VerdictKind::Violated,
        witness: None,
        shown: Vec::new(),
        latent: false,
        help: rule.help.clone(),
        fix: None,
        related: Vec::new(),
        flow: Vec::new(),
    }
}

/// Symbols whose origin makes a report depend on a caller's choice.
pub fn is_assumption(o: Origin) -> bool {
    matches!(
        o,
        Origin::Param | Origin::State | Origin::Havoc | Origin::Widened
    )
}
