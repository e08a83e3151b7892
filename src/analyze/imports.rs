//! Import checks for generated code (PY-S001 to PY-S004): every absolute import must
//! resolve to the standard library, a module of the project, a declared dependency or a
//! real PyPI project; the index data is `packages`, the project's own files `manifests`.
//!
//! Resolution order, first match wins:
//! 1. the standard library of any supported version (which version has it is the
//!    removed-API rules' business);
//! 2. a module of the project: the names the caller knows (the run's module index) and
//!    the entries beside the file and in the directories above it up to the project root;
//! 3. a declared dependency (by distribution name, through the import-name table, or a
//!    declared name that is the import name plus a `python-`/`py` prefix or a
//!    `-python`/`-py` suffix);
//! 4. PyPI: the import-name table, the dotted name joined with `-`
//!    (`google.cloud.storage`), then the top-level name.
//!
//! What is left is judged: nowhere at all is a hallucination (S001); a known malicious
//! upload or a rarely downloaded name one edit from a popular project is a typosquat
//! (S002); a placeholder or young unpopular upload nobody declared is a squatted
//! hallucination (S003); a real project missing from declarations that exist is an
//! undeclared dependency (S004). Imports guarded by `try/except ImportError`,
//! `if TYPE_CHECKING:` or a version or platform check are optional by construction: only
//! the typosquat rule applies to them.

use std::collections::HashSet;
use std::path::Path;

use super::manifests::{self, Context};
use super::packages::{self, Class, normalise};
use super::sinks::RuleIndex;
use crate::finding::Finding;
use crate::ir::{Block, Expr, ExprKind, Import, Module, StmtKind};

pub const HALLUCINATED: &str = "PY-S001";
pub const TYPOSQUAT: &str = "PY-S002";
pub const SQUATTED: &str = "PY-S003";
pub const UNDECLARED: &str = "PY-S004";

/// Why an import may be missing at run time without the program failing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Inside `try:` whose handlers catch `ImportError` (or a superclass of it).
    OptionalImport,
    /// Under `if TYPE_CHECKING:`: never executed.
    TypeChecking,
    /// Under a test of `sys.version_info`, `sys.platform`, `os.name`...
    VersionOrPlatform,
}

/// The guard of each import of the module, by index into `Module::imports`.
pub fn guards(module: &Module) -> Vec<Option<Guard>> {
    let mut out = vec![None; module.imports.len()];
    for f in &module.functions {
        walk(&f.body, None, &mut out);
    }
    out
}

/// Which imports are made inside a function (index 0 of `Module::functions` is the
/// module body): the idiom for optional dependencies loaded on first use.
fn in_functions(module: &Module) -> Vec<bool> {
    let mut out = vec![false; module.imports.len()];
    for f in module.functions.iter().skip(1) {
        for stmt in crate::ir::cfg::statements(&f.body) {
            if let StmtKind::Import(ids) = &stmt.kind {
                for i in ids {
                    if let Some(slot) = out.get_mut(*i) {
                        *slot = true;
                    }
                }
            }
        }
    }
    out
}

/// `importlib.import_module("name")` and `__import__("name")` with a constant name, as
/// imports made at run time: like a function-level import they are not held against
/// the declarations, and in a `try` that catches `ImportError` they are optional.
fn dynamic_imports(module: &Module, test_code: bool) -> Vec<(Import, Place)> {
    let mut out = Vec::new();
    for (e, guarded) in super::apis::references_in(module) {
        let ExprKind::Call { func, args } = &e.kind else {
            continue;
        };
        if !matches!(
            func.qualified_name().as_deref(),
            Some("importlib.import_module" | "builtins.__import__")
        ) {
            continue;
        }
        let Some(arg) = args.first().filter(|a| a.keyword.is_none()) else {
            continue;
        };
        let Some(name) = arg.value.as_str_const() else {
            continue;
        };
        let valid = !name.is_empty()
            && name.split('.').all(|p| {
                p.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && p.chars().all(|c| c.is_alphanumeric() || c == '_')
            });
        if !valid {
            continue;
        }
        let import = Import {
            qualname: name.to_string(),
            alias: String::new(),
            span: e.span,
            star: false,
            top_level: name.split('.').next().unwrap_or(name).to_string(),
            level: 0,
            conditional: true,
        };
        let place = Place {
            guard: guarded.then_some(Guard::OptionalImport),
            in_function: true,
            test_code,
            named_in_strings: names_in_other_strings(
                module,
                &import.top_level,
                Some(arg.value.span),
            ),
        };
        out.push((import, place));
    }
    out
}

/// Whether a string literal of the module holds `name` as a whole word (`"site_app.py"`,
/// `purge_module("site_app")`, `sys.modules["site_app"]`).
fn names_in_strings(module: &Module, name: &str) -> bool {
    names_in_other_strings(module, name, None)
}

/// `names_in_strings` without the literal at `except` (a dynamic import's own argument).
fn names_in_other_strings(module: &Module, name: &str, except: Option<crate::ir::Span>) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    module
        .strings
        .iter()
        .filter(|(span, _)| Some(*span) != except)
        .any(|(_, text)| {
            text.match_indices(name).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + name.len()..].chars().next();
                !before.is_some_and(ident) && !after.is_some_and(ident)
            })
        })
}

/// Names that say they do not exist (`a_package_name_that_does_not_exist`,
/// `DoesNotExist`): tests of import errors, not hallucinations.
fn deliberately_missing(name: &str) -> bool {
    let squashed: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    [
        "nonexist",
        "notexist",
        "nosuchmodule",
        "missingmodule",
        "fakemodule",
        "bogus",
    ]
    .iter()
    .any(|w| squashed.contains(w))
}

fn walk(block: &Block, guard: Option<Guard>, out: &mut [Option<Guard>]) {
    for stmt in block {
        match &stmt.kind {
            StmtKind::Import(ids) => {
                for i in ids {
                    if let Some(slot) = out.get_mut(*i) {
                        *slot = guard;
                    }
                }
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                let catches = handlers
                    .iter()
                    .any(|h| h.types.is_empty() || h.types.iter().any(catches_import_error));
                walk(
                    body,
                    if catches {
                        Some(Guard::OptionalImport)
                    } else {
                        guard
                    },
                    out,
                );
                for h in handlers {
                    // The fallback import of `except ImportError: import other` is optional
                    // too: it runs only when the first one failed.
                    walk(
                        &h.body,
                        if catches {
                            Some(Guard::OptionalImport)
                        } else {
                            guard
                        },
                        out,
                    );
                }
                walk(orelse, guard, out);
                walk(finally, guard, out);
            }
            StmtKind::If { cond, then, orelse } => {
                let g = condition_guard(cond);
                let else_guard = match g {
                    // The else branch of `if TYPE_CHECKING:` runs.
                    Some(Guard::TypeChecking) => guard,
                    other => other.or(guard),
                };
                walk(then, g.or(guard), out);
                walk(orelse, else_guard, out);
            }
            _ => {
                for b in crate::ir::cfg::child_blocks(stmt) {
                    walk(b, guard, out);
                }
            }
        }
    }
}

fn catches_import_error(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().any(catches_import_error),
        _ => e.qualified_name().is_some_and(|q| {
            matches!(
                q.rsplit('.').next(),
                Some("ImportError" | "ModuleNotFoundError" | "Exception" | "BaseException")
            )
        }),
    }
}

/// The guard an `if` condition sets up for both of its branches.
pub fn condition_guard(e: &Expr) -> Option<Guard> {
    let mut names = Vec::new();
    names_in(e, &mut names, 0);
    if names
        .iter()
        .any(|n| n == "TYPE_CHECKING" || n.ends_with(".TYPE_CHECKING"))
    {
        return Some(Guard::TypeChecking);
    }
    let platform = [
        "sys.version_info",
        "sys.version",
        "sys.platform",
        "sys.implementation",
        "os.name",
        "platform.system",
        "platform.python_implementation",
        "platform.python_version",
        "platform.python_version_tuple",
    ];
    names
        .iter()
        .any(|n| {
            platform.contains(&n.as_str())
                || n.starts_with("sys.version_info.")
                || is_version_flag(n.rsplit('.').next().unwrap_or(n))
        })
        .then_some(Guard::VersionOrPlatform)
}

/// Module constants that compat layers define for the running version (`PY2`, `PY3`,
/// `six.PY34`, `IS_PY3`, `PYTHON2`).
fn is_version_flag(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("IS_")
        .unwrap_or(&upper)
        .strip_prefix("PYTHON")
        .or_else(|| {
            upper
                .strip_prefix("IS_")
                .unwrap_or(&upper)
                .strip_prefix("PY")
        });
    rest.is_some_and(|r| {
        let r = r.trim_start_matches('_');
        !r.is_empty() && r.chars().all(|c| c.is_ascii_digit() || c == '_')
    }) && name.chars().all(|c| !c.is_lowercase())
}

fn names_in(e: &Expr, out: &mut Vec<String>, depth: u32) {
    if depth > 50 {
        return;
    }
    if let Some(q) = e.qualified_name() {
        out.push(q);
    }
    match &e.kind {
        ExprKind::ModuleVar(n) | ExprKind::Local(n) | ExprKind::Free(n) => out.push(n.clone()),
        ExprKind::Attribute { value, .. } => names_in(value, out, depth + 1),
        ExprKind::Compare { left, ops } => {
            names_in(left, out, depth + 1);
            for (_, r) in ops {
                names_in(r, out, depth + 1);
            }
        }
        ExprKind::BoolOp { values, .. } => {
            for v in values {
                names_in(v, out, depth + 1);
            }
        }
        ExprKind::UnaryOp { operand, .. } => names_in(operand, out, depth + 1),
        ExprKind::Call { func, args } => {
            names_in(func, out, depth + 1);
            for a in args {
                names_in(&a.value, out, depth + 1);
            }
        }
        ExprKind::Subscript { value, .. } => names_in(value, out, depth + 1),
        _ => {}
    }
}

/// What an import resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    Stdlib,
    Local,
    Declared(String),
    /// A PyPI project (normalised name), found through the import-name table.
    Known(String),
    /// A PyPI project found by its name alone, with what the index says about it.
    Index(String, Class),
    Missing,
}

/// Resolves one import against the standard library, the project's modules (`local`:
/// top-level names or dotted module names), the project context and the PyPI data.
pub fn resolve(imp: &Import, local: &HashSet<String>, ctx: &Context) -> Resolution {
    let top = imp.top_level.as_str();
    if packages_stdlib(top) {
        return Resolution::Stdlib;
    }
    let dotted_local = imp
        .qualname
        .match_indices('.')
        .any(|(i, _)| local.contains(&imp.qualname[..i]));
    if local.contains(top) || local.contains(&imp.qualname) || dotted_local || ctx.is_local(top) {
        return Resolution::Local;
    }
    let top_norm = normalise(top);
    if ctx.own_names.contains(&top_norm) {
        return Resolution::Local;
    }
    let mapped = packages::distribution_of(&imp.qualname).map(|(_, d)| normalise(d));
    if let Some(d) = declared_as(&imp.qualname, mapped.as_deref(), &ctx.declared.names) {
        return Resolution::Declared(d);
    }
    if let Some(d) = mapped {
        return Resolution::Known(d);
    }
    // The longest dotted prefix that names a project (`google.cloud.storage` is
    // `google-cloud-storage`), else the top-level name itself.
    let parts: Vec<&str> = imp.qualname.split('.').collect();
    for k in (2..=parts.len().min(4)).rev() {
        let joined = normalise(&parts[..k].join("-"));
        if let Some(class) = packages::pypi(&joined)
            && class == Class::Ordinary
        {
            return Resolution::Index(joined, class);
        }
    }
    match packages::pypi(&top_norm) {
        Some(class) => Resolution::Index(top_norm, class),
        None => Resolution::Missing,
    }
}

/// The standard library of any supported version, or of Python 2 (whose modules the
/// removed-API rule reports with their Python 3 names).
fn packages_stdlib(top: &str) -> bool {
    super::stdlib::is_stdlib_module(top)
        || super::stdlib::change(top).is_some_and(|c| c.status == super::stdlib::Status::Python2)
}

/// The declared distribution that provides the import, if any.
fn declared_as(
    qualname: &str,
    mapped: Option<&str>,
    declared: &std::collections::BTreeSet<String>,
) -> Option<String> {
    if declared.is_empty() {
        return None;
    }
    if let Some(d) = mapped
        && declared.contains(d)
    {
        return Some(d.to_string());
    }
    let parts: Vec<&str> = qualname.split('.').collect();
    for k in (1..=parts.len().min(4)).rev() {
        let joined = normalise(&parts[..k].join("-"));
        if declared.contains(&joined) {
            return Some(joined);
        }
    }
    let top = normalise(parts.first().copied().unwrap_or(""));
    let variants = [
        format!("python-{top}"),
        format!("py{top}"),
        format!("py-{top}"),
        format!("{top}-python"),
        format!("{top}-py"),
        format!("{top}py"),
        format!("django-{top}"),
        format!("flask-{top}"),
    ];
    variants.into_iter().find(|v| declared.contains(v))
}

/// Popular projects whose names are close to `name`: (name, rank), closest first, then
/// most downloaded first; at most `limit`. Import names of the table count too, shown as
/// the import name.
pub fn nearest(name: &str, limit: usize) -> Vec<String> {
    let target = normalise(name);
    let max = if target.len() <= 4 {
        1
    } else {
        2 + target.len() / 8
    };
    let mut found: Vec<(usize, u32, String)> = Vec::new();
    let mut seen = HashSet::new();
    for (import, dist) in packages::import_names() {
        let key = normalise(import);
        if let Some(d) = close(&target, &key, max) {
            let rank = packages::rank(&normalise(dist)).unwrap_or(u32::MAX);
            if seen.insert(import.to_string()) {
                found.push((d, rank, import.to_string()));
            }
        }
    }
    for (popular, rank) in packages::popular() {
        if let Some(d) = close(&target, popular, max)
            && seen.insert(popular.to_string())
        {
            found.push((d, *rank, popular.to_string()));
        }
    }
    found.sort();
    found.into_iter().take(limit).map(|(_, _, n)| n).collect()
}

/// Edit distance (with transpositions) when it is at most `max`, ignoring separators.
fn close(a: &str, b: &str, max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max || a == b {
        return None;
    }
    let squash = |s: &str| s.replace('-', "");
    let (a2, b2) = (squash(a), squash(b));
    let d = if a2 == b2 {
        // Only the separators differ (`scikitlearn`): as close as it gets.
        1
    } else {
        strsim::osa_distance(&a2, &b2)
    };
    (d <= max).then_some(d)
}

/// A popular project that a rarely downloaded name of five letters or more imitates: one
/// edit away (two for long names) from a project ranked at least ten times better and in the top 5,000.
fn imitated(name: &str) -> Option<&'static str> {
    // Four letters and fewer are mostly words (`shop`, `core`): one edit from some
    // popular word-named project is chance, not imitation.
    if name.len() < 5 {
        return None;
    }
    let own = packages::rank(name).unwrap_or(u32::MAX);
    let max = if name.len() >= 10 { 2 } else { 1 };
    packages::popular()
        .iter()
        .take_while(|(_, r)| *r <= 5000)
        .filter(|(_, r)| own == u32::MAX || own / 10 > *r)
        .filter_map(|(p, r)| close(name, p, max).map(|d| (d, *r, *p)))
        .min()
        .map(|(_, _, p)| p)
}

/// One judged import.
struct Verdict {
    rule: &'static str,
    message: String,
    help: Option<String>,
}

/// Where an import is made, as far as judging it goes.
struct Place {
    guard: Option<Guard>,
    in_function: bool,
    test_code: bool,
    /// The file names the module in a string literal: code that writes the module or
    /// puts it into `sys.modules` before importing it (test fixtures do).
    named_in_strings: bool,
}

fn judge(imp: &Import, res: &Resolution, place: &Place, ctx: &Context) -> Option<Verdict> {
    let guard = place.guard;
    let shown = &imp.qualname;
    let top = &imp.top_level;
    let (name, class) = match res {
        Resolution::Stdlib | Resolution::Local | Resolution::Declared(_) => return None,
        Resolution::Known(d) => (d.clone(), None),
        Resolution::Index(n, c) => (n.clone(), Some(*c)),
        Resolution::Missing => {
            let n = normalise(top);
            if let Some(m) = packages::malicious(&n) {
                return Some(malicious_verdict(top, &n, m));
            }
            if guard.is_some() || deliberately_missing(&imp.qualname) || place.named_in_strings {
                return None;
            }
            let near = nearest(top, 3);
            let help = if near.is_empty() {
                "No PyPI project, standard-library module or project module has this name. Check what the code needs and use a real library (or write the function); never `pip install` a name an assistant made up, since attackers register such names.".to_string()
            } else {
                format!(
                    "Nearest real packages: {}. Never `pip install` a name an assistant made up: attackers register such names.",
                    near.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Some(Verdict {
                rule: HALLUCINATED,
                message: format!(
                    "`{shown}`: no such package on PyPI, in the standard library or in this project (likely hallucinated)"
                ),
                help: Some(help),
            });
        }
    };
    if let Some(m) = packages::malicious(&name) {
        return Some(malicious_verdict(top, &name, m));
    }
    if class.is_some()
        && packages::rank(&name).is_none()
        && let Some(p) = imitated(&name)
    {
        return Some(Verdict {
            rule: TYPOSQUAT,
            message: format!(
                "`{shown}`: possible typosquat of `{p}` (the PyPI project `{name}` is rarely downloaded and one edit away)"
            ),
            help: Some(format!(
                "If you meant `{p}`, import and install that; if `{name}` is really wanted, check its source and maintainers before installing it and declare it."
            )),
        });
    }
    if guard.is_some() {
        return None;
    }
    if matches!(class, Some(Class::Holder | Class::Young)) && packages::rank(&name).is_none() {
        let what = if class == Some(Class::Holder) {
            "only a placeholder upload"
        } else {
            "a recent, rarely downloaded upload"
        };
        return Some(Verdict {
            rule: SQUATTED,
            message: format!(
                "`{shown}`: the PyPI project `{name}` is {what} and the project does not declare it (possibly a squatted hallucination)"
            ),
            help: None,
        });
    }
    if ctx.declared.is_known() && !place.test_code && !place.in_function {
        let files: Vec<String> = ctx
            .declared
            .files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        return Some(Verdict {
            rule: UNDECLARED,
            message: format!(
                "`{shown}` comes from the PyPI project `{name}`, which the project does not declare ({})",
                files.join(", ")
            ),
            help: None,
        });
    }
    None
}

fn malicious_verdict(top: &str, name: &str, m: &packages::Malicious) -> Verdict {
    Verdict {
        rule: TYPOSQUAT,
        message: format!(
            "`{top}`: `{name}` is a known malicious package imitating `{}`",
            m.imitated
        ),
        help: Some(format!(
            "Use `{}` if that was meant; `{name}` was removed from PyPI for shipping malicious code ({}). Check every machine that installed it.",
            m.imitated, m.source
        )),
    }
}

/// The import findings of one module. `local` holds the module names of the run the
/// caller knows (empty when it knows none: the directories on disk still count).
pub fn check(module: &Module, index: &RuleIndex, local: &HashSet<String>) -> Vec<Finding> {
    let rules = [HALLUCINATED, TYPOSQUAT, SQUATTED, UNDECLARED];
    if module.imports.is_empty()
        || rules.iter().all(|r| index.by_id(r).is_none())
        || !packages::index_loaded()
    {
        return Vec::new();
    }
    let ctx = manifests::context_for(Path::new(&module.path));
    let guards = guards(module);
    let in_fn = in_functions(module);
    let test_code = super::secrets::is_test_path(&module.path);
    let mut out: Vec<Finding> = Vec::new();
    // One finding per top-level name and rule in a file: the first place it is made.
    let mut reported: HashSet<(String, &'static str)> = HashSet::new();
    let mut items: Vec<(Import, Place)> = Vec::new();
    for (i, imp) in module.imports.iter().enumerate() {
        let place = Place {
            guard: guards.get(i).copied().flatten(),
            in_function: in_fn.get(i).copied().unwrap_or(false),
            test_code,
            named_in_strings: names_in_strings(module, &imp.top_level),
        };
        items.push((imp.clone(), place));
    }
    items.extend(dynamic_imports(module, test_code));
    for (imp, place) in &items {
        if imp.level > 0 || imp.top_level.is_empty() || imp.qualname.starts_with('.') {
            continue;
        }
        let res = resolve(imp, local, &ctx);
        let Some(v) = judge(imp, &res, place, &ctx) else {
            continue;
        };
        if !reported.insert((imp.top_level.clone(), v.rule)) {
            continue;
        }
        let Some(rule) = index.by_id(v.rule) else {
            continue;
        };
        out.push(Finding {
            help: v.help.unwrap_or_else(|| rule.help.clone()),
            ..super::module_finding(module, rule, imp.span, v.message)
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn lower(src: &str) -> Module {
        crate::lower::lower(
            "nowhere/app.py",
            crate::ir::Language::Python,
            Arc::from(src),
        )
    }

    #[test]
    fn guards_of_optional_imports() {
        let m = lower(
            "import os\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pandas import DataFrame\nelse:\n    import numpy\nimport sys\nif sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli as tomllib\ntry:\n    import fastjson\nexcept ValueError:\n    pass\ndef f():\n    import lazy_thing\n",
        );
        let got: Vec<(String, Option<Guard>)> = m
            .imports
            .iter()
            .zip(guards(&m))
            .map(|(i, g)| (i.qualname.clone(), g))
            .collect();
        let want = [
            ("os", None),
            ("ujson", Some(Guard::OptionalImport)),
            ("json", Some(Guard::OptionalImport)),
            ("typing.TYPE_CHECKING", None),
            ("pandas.DataFrame", Some(Guard::TypeChecking)),
            ("numpy", None),
            ("sys", None),
            ("tomllib", Some(Guard::VersionOrPlatform)),
            ("tomli", Some(Guard::VersionOrPlatform)),
            ("fastjson", None),
            ("lazy_thing", None),
        ];
        let want: Vec<(String, Option<Guard>)> =
            want.iter().map(|(q, g)| (q.to_string(), *g)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn dynamic_imports_with_constant_names() {
        let m = lower(
            "import importlib\nplugin = importlib.import_module('csv_report_wizard_pro')\nname = 'x'\nother = importlib.import_module(name)\ntry:\n    fast = __import__('turbo_json_codec_x')\nexcept ImportError:\n    fast = None\n",
        );
        let got: Vec<(String, Option<Guard>)> = dynamic_imports(&m, false)
            .into_iter()
            .map(|(i, p)| (i.qualname, p.guard))
            .collect();
        assert_eq!(
            got,
            [
                ("csv_report_wizard_pro".to_string(), None),
                (
                    "turbo_json_codec_x".to_string(),
                    Some(Guard::OptionalImport)
                )
            ]
        );
    }

    #[test]
    fn compat_flags_and_deliberate_names() {
        for flag in ["PY2", "PY3", "PY34", "IS_PY3", "PYTHON2"] {
            assert!(is_version_flag(flag), "{flag}");
        }
        for other in ["PYPI", "PY", "py3", "HAS_PY", "PYTHONPATH"] {
            assert!(!is_version_flag(other), "{other}");
        }
        let m = lower("from six import PY3\nif PY3:\n    import io\nelse:\n    import StringIO\n");
        assert_eq!(guards(&m)[2], Some(Guard::VersionOrPlatform));
        assert!(deliberately_missing("a_package_name_that_does_not_exist"));
        assert!(deliberately_missing("DoesNotExist"));
        assert!(!deliberately_missing("dataframe_profiler"));
        let m = lower("write(tmp / 'site_app.py')\nfrom site_app import app\nimport site\n");
        assert!(names_in_strings(&m, "site_app"));
        assert!(!names_in_strings(&m, "site"));
    }

    fn import(q: &str) -> Import {
        Import {
            qualname: q.into(),
            alias: q.into(),
            span: crate::ir::Span::default(),
            star: false,
            top_level: q.split('.').next().unwrap_or(q).into(),
            level: 0,
            conditional: false,
        }
    }

    #[test]
    fn resolution_order() {
        let none = HashSet::new();
        let ctx = Context::default();
        assert_eq!(resolve(&import("os.path"), &none, &ctx), Resolution::Stdlib);
        assert_eq!(
            resolve(&import("yaml"), &none, &ctx),
            Resolution::Known("pyyaml".into())
        );
        assert_eq!(
            resolve(&import("google.cloud.storage"), &none, &ctx),
            Resolution::Known("google-cloud-storage".into())
        );
        assert_eq!(
            resolve(&import("pyfiglet"), &none, &ctx),
            Resolution::Index("pyfiglet".into(), Class::Ordinary)
        );
        assert_eq!(
            resolve(&import("csv_column_summariser_pro"), &none, &ctx),
            Resolution::Missing
        );
        let local: HashSet<String> = ["requests".to_string()].into();
        assert_eq!(
            resolve(&import("requests.api"), &local, &ctx),
            Resolution::Local
        );
        let mut declared = Context::default();
        declared.declared.names.insert("python-jose".into());
        declared.declared.names.insert("my-private-lib".into());
        declared.declared.files.push("requirements.txt".into());
        assert_eq!(
            resolve(&import("jose.jwt"), &none, &declared),
            Resolution::Declared("python-jose".into())
        );
        assert_eq!(
            resolve(&import("my_private_lib"), &none, &declared),
            Resolution::Declared("my-private-lib".into())
        );
    }

    #[test]
    fn nearest_names_and_imitations() {
        let near = nearest("reqeusts", 3);
        assert_eq!(
            near.first().map(String::as_str),
            Some("requests"),
            "{near:?}"
        );
        assert!(nearest("matplotlb", 3).contains(&"matplotlib".to_string()));
        assert_eq!(imitated("reqeusts"), Some("requests"));
        assert_eq!(imitated("requests"), None);
        assert_eq!(imitated("numpy"), None);
    }
}
