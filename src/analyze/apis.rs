//! Standard-library APIs that do not exist (PY-A101), were removed or are Python 2's
//! (PY-A102), or are deprecated (PY-A103), judged against the versions the project
//! supports: from its minimum (`target-python`, else `requires-python`, else 3.8) up to
//! the newest CPython vouch knows (3.13).
//!
//! The names each module has in each version come from the interpreters themselves
//! (`data/python/stdlib_api.z`, `scripts/data/refresh_stdlib_api.py`); the successors of
//! removed names from the hand-written `data/python/stdlib_changes.tsv`. Only module
//! attributes are checked (`json.parse`, `from collections import Mapping`); members of
//! classes only where the change table names them (`datetime.datetime.utcnow`).
//! References under a version or platform test, or in a `try` that catches
//! `AttributeError`/`ImportError`, are the code's own compatibility handling.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::imports;
use super::sinks::RuleIndex;
use super::stdlib::{self, NEWEST_MINOR, OLDEST_MINOR, Status};
use crate::finding::{Edit, Finding, Fix};
use crate::ir::{Block, Expr, ExprKind, Module, Span, StmtKind, Target};

pub const NONEXISTENT: &str = "PY-A101";
pub const REMOVED: &str = "PY-A102";
pub const DEPRECATED: &str = "PY-A103";
pub const WRONG_ARGUMENTS: &str = "PY-A104";
pub const REMOVED_LIBRARY: &str = "PY-A105";
pub const WRONG_LIBRARY_ARGUMENTS: &str = "PY-A106";

static API_Z: &[u8] = include_bytes!("../../data/python/stdlib_api.z");
static SIGNATURES_Z: &[u8] = include_bytes!("../../data/python/stdlib_signatures.z");

/// What every supported version of a function or class accepts at the least: a call
/// outside it fails on all of them.
#[derive(Debug, Default)]
pub struct Signature {
    /// Positional arguments taken; `None` when it takes `*args`.
    pub max_positional: Option<usize>,
    /// Parameters that can be passed by keyword, with the first and last 3.x minor
    /// version that take them (the function's own range when all of its versions do).
    pub keywords: Vec<(String, (u8, u8))>,
    /// It takes `**kwargs`: any keyword goes.
    pub any_keyword: bool,
}

static SIGNATURES: LazyLock<HashMap<String, Signature>> = LazyLock::new(|| {
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(SIGNATURES_Z).unwrap_or_default();
    parse_signatures(&String::from_utf8_lossy(&raw))
});

/// Lines of `qualname<TAB>max positional<TAB>keywords<TAB>flags` (keywords may carry
/// `@first-last` version ranges; `K` in the flags: any keyword goes).
fn parse_signatures(text: &str) -> HashMap<String, Signature> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let q = cols.next()?;
            let pos = cols.next()?;
            let keywords = cols.next().unwrap_or("");
            let flags = cols.next().unwrap_or("");
            Some((
                q.to_string(),
                Signature {
                    max_positional: pos.parse().ok(),
                    keywords: keywords
                        .split(' ')
                        .filter(|k| !k.is_empty())
                        .map(|k| match k.split_once('@') {
                            Some((name, r)) => (
                                name.to_string(),
                                range(r).unwrap_or((OLDEST_MINOR, NEWEST_MINOR)),
                            ),
                            None => (k.to_string(), (OLDEST_MINOR, NEWEST_MINOR)),
                        })
                        .collect(),
                    any_keyword: flags.contains('K'),
                },
            ))
        })
        .collect()
}

/// A keyword that only some versions take: removed before the newest, or (when the
/// project states its minimum) added after it.
fn keyword_versions(
    shown: &str,
    k: &str,
    (first, last): (u8, u8),
    target: Versions,
) -> Option<Verdict> {
    let message = if last < NEWEST_MINOR {
        format!("`{shown}` no longer takes `{k}` from Python 3.{}", last + 1)
    } else if target.explicit && first > target.min_minor {
        format!(
            "`{shown}` takes `{k}` only from Python 3.{first}, but the project supports 3.{}",
            target.min_minor
        )
    } else {
        return None;
    };
    Some(Verdict {
        rule: WRONG_ARGUMENTS,
        message,
        help: Some(format!(
            "Check the documentation of `{shown}` for the versions you support, or guard the call with a version test."
        )),
        successor: None,
    })
}

/// The merged signature of a standard-library function or class (`os.makedirs`,
/// `builtins.print`).
pub fn signature(qualname: &str) -> Option<&'static Signature> {
    SIGNATURES.get(qualname)
}

/// A call that no supported version accepts (an unknown keyword, more positional
/// arguments than the function takes), or a keyword that some supported version lacks.
pub fn judge_call(qualname: &str, args: &[crate::ir::Arg], target: Versions) -> Option<Verdict> {
    judge_against(qualname, signature(qualname)?, args, target)
}

/// A call held against one merged signature.
fn judge_against(
    qualname: &str,
    sig: &Signature,
    args: &[crate::ir::Arg],
    target: Versions,
) -> Option<Verdict> {
    use crate::ir::Unpack;
    let shown = qualname.strip_prefix("builtins.").unwrap_or(qualname);
    if !sig.any_keyword {
        for a in args {
            let Some(k) = &a.keyword else {
                continue;
            };
            if a.unpack != Unpack::None {
                continue;
            }
            if let Some((_, (first, last))) = sig.keywords.iter().find(|(p, _)| p == k) {
                if let Some(v) = keyword_versions(shown, k, (*first, *last), target) {
                    return Some(v);
                }
                continue;
            }
            let names: Vec<&str> = sig.keywords.iter().map(|(p, _)| p.as_str()).collect();
            let near = names
                .iter()
                .filter(|p| strsim::osa_distance(p, k) <= 1 + k.len() / 4)
                .min_by_key(|p| strsim::osa_distance(p, k));
            let accepted = if names.is_empty() {
                "it takes no keyword arguments".to_string()
            } else {
                format!(
                    "it takes {}",
                    names
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Some(Verdict {
                rule: WRONG_ARGUMENTS,
                message: format!("`{shown}` has no parameter `{k}`"),
                help: Some(match near {
                    Some(p) => format!("Did you mean `{p}`? ({accepted})."),
                    None => format!("Remove the argument: {accepted}."),
                }),
                successor: None,
            });
        }
    }
    let spread = args.iter().any(|a| a.unpack == Unpack::Star);
    let positional = args
        .iter()
        .filter(|a| a.keyword.is_none() && a.unpack == Unpack::None)
        .count();
    match sig.max_positional {
        Some(max) if !spread && positional > max => Some(Verdict {
            rule: WRONG_ARGUMENTS,
            message: format!(
                "`{shown}` takes at most {max} positional argument{}, {positional} given",
                if max == 1 { "" } else { "s" }
            ),
            help: Some("Pass the extra values by keyword, or drop them; check the documentation for the parameters.".to_string()),
            successor: None,
        }),
        _ => None,
    }
}

/// The public names of one module, each with the first and last 3.x minor version that
/// has it.
#[derive(Debug, Default)]
pub struct ModuleApi {
    pub versions: (u8, u8),
    /// The module has a module-level `__getattr__`: a name missing from the table may
    /// still resolve.
    pub dynamic: bool,
    pub names: HashMap<String, (u8, u8)>,
}

fn range(text: &str) -> Option<(u8, u8)> {
    let (a, b) = text.split_once('-')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

static API: LazyLock<HashMap<String, ModuleApi>> = LazyLock::new(|| {
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(API_Z).unwrap_or_default();
    let text = String::from_utf8_lossy(&raw);
    let mut out = HashMap::new();
    for line in text.lines() {
        let Some((module, entries)) = line.split_once('\t') else {
            continue;
        };
        let mut api = ModuleApi {
            versions: (OLDEST_MINOR, NEWEST_MINOR),
            ..ModuleApi::default()
        };
        for entry in entries.split(' ') {
            if let Some(r) = entry.strip_prefix('@') {
                api.versions = range(r).unwrap_or(api.versions);
            } else if entry == "+dynamic" {
                api.dynamic = true;
            } else if let Some((name, r)) = entry.split_once('@') {
                api.names
                    .insert(name.to_string(), range(r).unwrap_or(api.versions));
            } else if !entry.is_empty() {
                api.names.insert(entry.to_string(), api.versions);
            }
        }
        out.insert(module.to_string(), api);
    }
    out
});

/// The table entry of a standard-library module (`os.path`, `xml.etree.ElementTree`).
pub fn module(name: &str) -> Option<&'static ModuleApi> {
    API.get(name)
}

/// The versions the project supports: its minimum, and whether the minimum was stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Versions {
    pub min_minor: u8,
    pub explicit: bool,
}

impl Versions {
    pub fn new(stated: Option<u8>) -> Versions {
        match stated {
            Some(m) => Versions {
                min_minor: m.clamp(OLDEST_MINOR, NEWEST_MINOR),
                explicit: true,
            },
            None => Versions {
                min_minor: OLDEST_MINOR,
                explicit: false,
            },
        }
    }
}

/// One judged reference.
#[derive(Debug, PartialEq, Eq)]
pub struct Verdict {
    pub rule: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// A drop-in successor name for `--fix`.
    pub successor: Option<&'static str>,
}

/// Judges a dotted name that the code uses (an attribute chain or an import): a recorded
/// change, else a module attribute against the versions that have it.
pub fn judge(qualname: &str, target: Versions) -> Option<Verdict> {
    if let Some(c) = stdlib::change(qualname) {
        return judge_change(qualname, c, target);
    }
    let (base, attr) = qualname.rsplit_once('.')?;
    if attr.starts_with('_') {
        return None;
    }
    let api = module(base)?;
    // A module missing in some supported version is reported once, at its import.
    let (first, last) = api.versions;
    if last < NEWEST_MINOR || (target.explicit && first > target.min_minor) {
        return None;
    }
    if module(qualname).is_some() {
        // A submodule: its own versions.
        let v = module(qualname).map(|m| m.versions)?;
        return judge_versions(qualname, v, target);
    }
    match api.names.get(attr) {
        Some(v) => judge_versions(qualname, *v, target),
        None if api.dynamic => None,
        None => {
            let mut near: Vec<String> = CONFUSIONS
                .iter()
                .filter(|(wrong, _)| *wrong == qualname)
                .map(|(_, right)| right.to_string())
                .collect();
            if near.is_empty() {
                near = nearest_names(api, attr, target)
                    .into_iter()
                    .map(|n| format!("{base}.{n}"))
                    .collect();
            }
            Some(Verdict {
                rule: NONEXISTENT,
                message: format!(
                    "`{base}` has no attribute `{attr}` in any Python from 3.{OLDEST_MINOR} to 3.{NEWEST_MINOR}"
                ),
                help: Some(if near.is_empty() {
                    format!(
                        "`{qualname}` does not exist; check the documentation of `{base}` for the function you need."
                    )
                } else {
                    format!(
                        "`{qualname}` does not exist; did you mean {}?",
                        near.iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )
                }),
                successor: None,
            })
        }
    }
}

fn judge_change(qualname: &str, c: &'static stdlib::Change, target: Versions) -> Option<Verdict> {
    let instead = c.instead;
    match c.status {
        Status::Removed(v) => {
            // Gone from 3.v on: it breaks on every supported version from there.
            let (rule, message) = if v <= target.min_minor {
                (
                    REMOVED,
                    format!(
                        "`{qualname}` does not exist in Python 3.{} (removed in 3.{v})",
                        target.min_minor
                    ),
                )
            } else {
                (REMOVED, format!("`{qualname}` was removed in Python 3.{v}"))
            };
            Some(Verdict {
                rule,
                message,
                help: Some(format!("Use {instead}.")),
                successor: c.fix,
            })
        }
        Status::Python2 => Some(Verdict {
            rule: REMOVED,
            message: format!("`{qualname}` is Python 2's; Python 3 does not have it"),
            help: Some(format!("Use {instead}.")),
            successor: c.fix,
        }),
        Status::Deprecated(v) => Some(Verdict {
            rule: DEPRECATED,
            message: format!("`{qualname}` is deprecated since Python 3.{v}"),
            help: Some(format!("Use {instead}.")),
            successor: c.fix,
        }),
    }
}

/// A name that exists in some versions: removed before the newest, or (when the project
/// states its minimum) added after the minimum.
fn judge_versions(qualname: &str, (first, last): (u8, u8), target: Versions) -> Option<Verdict> {
    if last < NEWEST_MINOR {
        return Some(Verdict {
            rule: REMOVED,
            message: format!("`{qualname}` was removed in Python 3.{}", last + 1),
            help: Some(
                "Check the \"Removed\" section of that release's What's New for its successor."
                    .to_string(),
            ),
            successor: None,
        });
    }
    if target.explicit && first > target.min_minor {
        return Some(Verdict {
            rule: REMOVED,
            message: format!(
                "`{qualname}` is new in Python 3.{first}, but the project supports 3.{}",
                target.min_minor
            ),
            help: Some(format!(
                "Raise the minimum Python to 3.{first}, or guard the use with `if sys.version_info >= (3, {first}):` and a fallback."
            )),
            successor: None,
        });
    }
    None
}

/// Names models borrow from other languages or invent by analogy, with what Python has:
/// edit distance does not lead from `json.parse` to `json.loads`.
const CONFUSIONS: &[(&str, &str)] = &[
    ("json.parse", "json.loads"),
    ("json.stringify", "json.dumps"),
    ("json.encode", "json.dumps"),
    ("json.decode", "json.loads"),
    ("os.exists", "os.path.exists"),
    ("os.join", "os.path.join"),
    ("os.path.joinpath", "os.path.join"),
    ("os.mkdirs", "os.makedirs"),
    ("time.now", "time.time"),
    ("re.matchAll", "re.finditer"),
    ("re.findAll", "re.findall"),
    ("subprocess.exec", "subprocess.run"),
    ("subprocess.execute", "subprocess.run"),
    ("statistics.average", "statistics.mean"),
    ("itertools.flatten", "itertools.chain.from_iterable"),
    ("shutil.copy_tree", "shutil.copytree"),
    ("math.round", "the built-in round"),
    ("math.clamp", "min(max(x, low), high)"),
    ("string.format", "str.format"),
    ("random.randInt", "random.randint"),
    ("hashlib.hash", "hashlib.new"),
    ("base64.encode_string", "base64.b64encode"),
    ("urllib.parse.encode", "urllib.parse.urlencode"),
    ("asyncio.sleep_ms", "asyncio.sleep (seconds)"),
];

/// Names of the module close to `attr` that exist in the supported versions.
fn nearest_names(api: &ModuleApi, attr: &str, target: Versions) -> Vec<String> {
    let lower = attr.to_lowercase();
    let max = 1 + attr.len() / 4;
    let mut found: Vec<(usize, &String)> = api
        .names
        .iter()
        .filter(|(_, (_, last))| *last >= target.min_minor)
        .filter_map(|(n, _)| {
            let d = strsim::osa_distance(&lower, &n.to_lowercase());
            let contains = n.len() > 3
                && lower.len() > 3
                && (n.to_lowercase().contains(&lower) || lower.contains(&n.to_lowercase()));
            let d = if contains { d.min(max) } else { d };
            (d <= max).then_some((d, n))
        })
        .collect();
    found.sort();
    found.into_iter().take(2).map(|(_, n)| n.clone()).collect()
}

/// Every module attribute reference of a function body, with whether it is guarded.
fn references<'m>(block: &'m Block, guarded: bool, out: &mut Vec<(&'m Expr, bool)>) {
    for stmt in block {
        let mut exprs: Vec<&Expr> = Vec::new();
        match &stmt.kind {
            StmtKind::Assign { targets, value } => {
                exprs.push(value);
                targets.iter().for_each(|t| target_exprs(t, &mut exprs));
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => {
                target_exprs(target, &mut exprs);
                exprs.push(annotation);
                exprs.extend(value);
            }
            StmtKind::AugAssign { target, value, .. } => {
                target_exprs(target, &mut exprs);
                exprs.push(value);
            }
            StmtKind::Expr(e) => exprs.push(e),
            StmtKind::If { cond, then, orelse } => {
                exprs.push(cond);
                let g = guarded || guards_compat(cond);
                references(then, g, out);
                references(orelse, g, out);
            }
            StmtKind::While { cond, body, orelse } => {
                exprs.push(cond);
                references(body, guarded, out);
                references(orelse, guarded, out);
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                ..
            } => {
                target_exprs(target, &mut exprs);
                exprs.push(iter);
                references(body, guarded, out);
                references(orelse, guarded, out);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                let catches = catches_compat(handlers);
                references(body, guarded || catches, out);
                for h in handlers {
                    references(&h.body, guarded || catches, out);
                }
                references(orelse, guarded, out);
                references(finally, guarded, out);
            }
            StmtKind::With { items, body } => {
                for i in items {
                    exprs.push(&i.context);
                }
                references(body, guarded, out);
            }
            StmtKind::Match { subject, cases } => {
                exprs.push(subject);
                for c in cases {
                    exprs.extend(&c.guard);
                    references(&c.body, guarded, out);
                }
            }
            StmtKind::Return(e) | StmtKind::Raise(e) => exprs.extend(e),
            StmtKind::Assert { test, msg } => {
                exprs.push(test);
                exprs.extend(msg);
            }
            StmtKind::Delete(es) => exprs.extend(es),
            _ => {}
        }
        for e in exprs {
            expr_references(e, guarded, out, 0);
        }
    }
}

/// Handlers that make the `try` body compatibility code: they catch a missing name or
/// module (or everything).
fn catches_compat(handlers: &[crate::ir::Handler]) -> bool {
    handlers.iter().any(|h| {
        h.types.is_empty()
            || h.types.iter().any(|t| {
                let mut names = Vec::new();
                type_names(t, &mut names);
                names.iter().any(|n| {
                    matches!(
                        n.rsplit('.').next(),
                        Some(
                            "AttributeError"
                                | "ImportError"
                                | "ModuleNotFoundError"
                                | "Exception"
                                | "BaseException"
                        )
                    )
                })
            })
    })
}

/// Functions (by id) defined under a compatibility guard, directly or inside one that is:
/// `if PY3: ... else: def create_bound_method(...)`.
fn guarded_functions(module: &Module) -> Vec<bool> {
    let mut marks = vec![false; module.functions.len()];
    // Parents come before the functions nested in them, so one pass in order suffices.
    for i in 0..module.functions.len() {
        let inherited = marks[i];
        if let Some(f) = module.functions.get(i) {
            mark_defs(module, &f.body, inherited, &mut marks);
        }
    }
    marks
}

fn mark_defs(module: &Module, block: &Block, guarded: bool, marks: &mut [bool]) {
    for stmt in block {
        match &stmt.kind {
            StmtKind::FunctionDef(id) => {
                if let Some(m) = marks.get_mut(*id) {
                    *m |= guarded;
                }
            }
            StmtKind::ClassDef(cid) => {
                for id in module.classes.get(*cid).map_or(&[][..], |c| &c.methods[..]) {
                    if let Some(m) = marks.get_mut(*id) {
                        *m |= guarded;
                    }
                }
            }
            StmtKind::If { cond, then, orelse } => {
                let g = guarded || guards_compat(cond);
                mark_defs(module, then, g, marks);
                mark_defs(module, orelse, g, marks);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                let g = guarded || catches_compat(handlers);
                mark_defs(module, body, g, marks);
                for h in handlers {
                    mark_defs(module, &h.body, g, marks);
                }
                mark_defs(module, orelse, guarded, marks);
                mark_defs(module, finally, guarded, marks);
            }
            _ => {
                for b in crate::ir::cfg::child_blocks(stmt) {
                    mark_defs(module, b, guarded, marks);
                }
            }
        }
    }
}

fn target_exprs<'m>(t: &'m Target, out: &mut Vec<&'m Expr>) {
    match t {
        Target::Attribute { value, .. } => out.push(value),
        Target::Subscript { value, index, .. } => {
            out.push(value);
            out.push(index);
        }
        Target::Tuple(items, _) => items.iter().for_each(|i| target_exprs(i, out)),
        Target::Starred(inner, _) => target_exprs(inner, out),
        _ => {}
    }
}

fn type_names(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().for_each(|i| type_names(i, out))
        }
        _ => out.extend(e.qualified_name()),
    }
}

/// A condition that tests the version, the platform or the presence of an attribute
/// (`hasattr(collections, "Mapping")`).
fn guards_compat(cond: &Expr) -> bool {
    if imports::condition_guard(cond).is_some() {
        return true;
    }
    let mut found = false;
    let mut stack = vec![cond];
    while let Some(e) = stack.pop() {
        if let ExprKind::Call { func, .. } = &e.kind
            && matches!(
                func.qualified_name().as_deref(),
                Some("builtins.hasattr" | "builtins.getattr")
            )
        {
            found = true;
        }
        stack.extend(crate::ir::walk::children(e));
    }
    found
}

/// Attribute chains rooted at an imported name (`json.parse`, `os.path.join`,
/// `datetime.utcnow` after `from datetime import datetime`); each link of a chain is one
/// entry, and `judge` decides which link is wrong.
fn expr_references<'m>(e: &'m Expr, guarded: bool, out: &mut Vec<(&'m Expr, bool)>, depth: u32) {
    if depth > 200 {
        return;
    }
    let chain = matches!(e.kind, ExprKind::Attribute { .. }) && e.qualified_name().is_some();
    if chain || matches!(e.kind, ExprKind::Call { .. }) {
        out.push((e, guarded));
    }
    for c in crate::ir::walk::children(e) {
        expr_references(c, guarded, out, depth + 1);
    }
}

/// Every attribute chain and call of the module's code, with whether it sits in
/// compatibility code (a version, platform or `hasattr` test, a `try` that catches
/// `ImportError`/`AttributeError`, or a function defined under one).
pub(crate) fn references_in(module: &Module) -> Vec<(&Expr, bool)> {
    let mut refs = Vec::new();
    let guarded_fns = guarded_functions(module);
    for (f, &guarded) in module.functions.iter().zip(&guarded_fns) {
        for p in &f.params {
            if let Some(d) = &p.default {
                expr_references(d, guarded, &mut refs, 0);
            }
        }
        for d in &f.decorators {
            expr_references(d, guarded, &mut refs, 0);
        }
        references(&f.body, guarded, &mut refs);
    }
    for c in &module.classes {
        for b in &c.bases {
            expr_references(b, false, &mut refs, 0);
        }
    }
    refs
}

// Popular third-party APIs (PY-A105, PY-A106): the signatures of requests, Flask and
// Django as their releases define them (`data/python/library_signatures.tsv`, generated
// by installing the releases), and the names and keywords releases removed
// (`data/python/library_changes.tsv`, from their changelogs). Which release a project
// runs is not known here, so a removal is reported as such ("removed in Flask 3.0"),
// and a call is wrong only when no release of the table accepts it.

/// Third-party packages whose APIs the tables cover.
const LIBRARIES: &[&str] = &["requests", "flask", "django"];

static LIBRARY_SIGNATURES_TSV: &str = include_str!("../../data/python/library_signatures.tsv");
static LIBRARY_CHANGES_TSV: &str = include_str!("../../data/python/library_changes.tsv");

static LIBRARY_SIGNATURES: LazyLock<HashMap<String, Signature>> =
    LazyLock::new(|| parse_signatures(LIBRARY_SIGNATURES_TSV));

/// A name or keyword (`function:keyword`) a release removed.
#[derive(Debug)]
pub struct LibraryChange {
    pub removed_in: &'static str,
    pub instead: &'static str,
    /// The drop-in replacement (a qualified name, or a keyword).
    pub fix: Option<&'static str>,
}

static LIBRARY_CHANGES: LazyLock<HashMap<&'static str, LibraryChange>> = LazyLock::new(|| {
    LIBRARY_CHANGES_TSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let name = cols.next()?;
            let removed_in = cols.next()?;
            let instead = cols.next().unwrap_or("");
            let fix = cols.next().filter(|f| !f.is_empty() && *f != "-");
            Some((
                name,
                LibraryChange {
                    removed_in,
                    instead,
                    fix,
                },
            ))
        })
        .collect()
});

fn is_library(qualname: &str) -> bool {
    LIBRARIES.contains(&qualname.split('.').next().unwrap_or(""))
}

/// A removed name of a covered library (`flask.escape`, `django.conf.urls.url`).
pub fn library_change(qualname: &str) -> Option<&'static LibraryChange> {
    LIBRARY_CHANGES.get(qualname)
}

fn removed_library_verdict(qualname: &str, c: &'static LibraryChange) -> Verdict {
    Verdict {
        rule: REMOVED_LIBRARY,
        message: format!("`{qualname}` was removed in {}", c.removed_in),
        help: Some(format!(
            "Use {}; the old name works only with releases before {}.",
            c.instead, c.removed_in
        )),
        successor: c.fix,
    }
}

/// A call to a covered library: a removed keyword (with its successor), else a keyword
/// or an argument count that no release of the table accepts.
fn judge_library_call(
    module: &Module,
    qualname: &str,
    args: &[crate::ir::Arg],
) -> Option<(Verdict, Option<Fix>)> {
    for a in args {
        let Some(k) = &a.keyword else {
            continue;
        };
        let Some(c) = LIBRARY_CHANGES.get(format!("{qualname}:{k}").as_str()) else {
            continue;
        };
        let fix = c.fix.and_then(|new| keyword_fix(module, a, k, new));
        return Some((
            Verdict {
                rule: REMOVED_LIBRARY,
                message: format!(
                    "`{qualname}` no longer takes `{k}=` (removed in {})",
                    c.removed_in
                ),
                help: Some(format!(
                    "Use {}; `{k}=` works only with releases before {}.",
                    c.instead, c.removed_in
                )),
                successor: None,
            },
            fix,
        ));
    }
    let sig = LIBRARY_SIGNATURES.get(qualname)?;
    let mut v = judge_against(qualname, sig, args, Versions::new(None))?;
    v.rule = WRONG_LIBRARY_ARGUMENTS;
    Some((v, None))
}

/// Renames the keyword of one argument (`attachment_filename=` to `download_name=`).
fn keyword_fix(module: &Module, arg: &crate::ir::Arg, old: &str, new: &str) -> Option<Fix> {
    let start = arg.span.start as usize;
    let text = module.source.get(start..arg.span.end as usize)?;
    let rest = text.strip_prefix(old)?;
    if !rest.trim_start().starts_with('=') || new.contains('.') {
        return None;
    }
    Some(Fix {
        description: format!("rename `{old}=` to `{new}=`"),
        edits: vec![Edit {
            start: arg.span.start,
            end: arg.span.start + u32::try_from(old.len()).ok()?,
            replacement: new.to_string(),
        }],
    })
}

/// A successor in the same module as the removed name: the last segment of the written
/// reference (`encoding.force_text`) or of a `from` import (`ugettext_lazy as _`) can be
/// renamed in place. An import without `as` becomes `new as old`, so that the names the
/// file uses stay bound.
fn same_module_fix(module: &Module, span: Span, qualname: &str, successor: &str) -> Option<Fix> {
    let (old_parent, old_last) = qualname.rsplit_once('.')?;
    let (new_parent, new_last) = successor.rsplit_once('.')?;
    if old_parent != new_parent {
        return None;
    }
    let text = module.source.get(span.start as usize..span.end as usize)?;
    let description = format!("replace `{qualname}` with `{successor}`");
    if text == old_last {
        return Some(Fix {
            description,
            edits: vec![Edit {
                start: span.start,
                end: span.end,
                replacement: format!("{new_last} as {old_last}"),
            }],
        });
    }
    let after = text.strip_prefix(old_last).map(str::trim_start);
    if after.is_some_and(|a| a.starts_with("as ") || a.starts_with("as\t")) {
        return Some(Fix {
            description,
            edits: vec![Edit {
                start: span.start,
                end: span.start + u32::try_from(old_last.len()).ok()?,
                replacement: new_last.to_string(),
            }],
        });
    }
    if text.ends_with(&format!(".{old_last}")) {
        return Some(Fix {
            description,
            edits: vec![Edit {
                start: span.end - u32::try_from(old_last.len()).ok()?,
                end: span.end,
                replacement: new_last.to_string(),
            }],
        });
    }
    None
}

/// The API findings of one module.
pub fn check(module: &Module, index: &RuleIndex, stated_minor: Option<u8>) -> Vec<Finding> {
    if [
        NONEXISTENT,
        REMOVED,
        DEPRECATED,
        WRONG_ARGUMENTS,
        REMOVED_LIBRARY,
        WRONG_LIBRARY_ARGUMENTS,
    ]
    .iter()
    .all(|r| index.by_id(r).is_none())
    {
        return Vec::new();
    }
    let stated = stated_minor.or_else(|| {
        super::manifests::context_for(std::path::Path::new(&module.path)).requires_python
    });
    let target = Versions::new(stated);
    let mut judged: Vec<(Span, String, Verdict)> = Vec::new();
    // Library findings come with their fixes worked out.
    let mut library: Vec<(Span, Verdict, Option<Fix>)> = Vec::new();
    // Imports: `import imp`, `from collections import Mapping`, `import tomllib`.
    for (imp, guard) in module.imports.iter().zip(imports::guards(module)) {
        if imp.level > 0 || guard.is_some() {
            continue;
        }
        if is_library(&imp.qualname) {
            let parts: Vec<&str> = imp.qualname.split('.').collect();
            if let Some((q, c)) = (1..=parts.len())
                .map(|k| parts[..k].join("."))
                .find_map(|q| library_change(&q).map(|c| (q, c)))
            {
                let fix = c
                    .fix
                    .and_then(|new| same_module_fix(module, imp.span, &q, new));
                library.push((imp.span, removed_library_verdict(&q, c), fix));
            }
            continue;
        }
        if !stdlib::is_stdlib_module(&imp.top_level) && stdlib::change(&imp.top_level).is_none() {
            continue;
        }
        // The first dotted prefix that something is wrong with.
        let parts: Vec<&str> = imp.qualname.split('.').collect();
        for k in 1..=parts.len() {
            let q = parts[..k].join(".");
            if let Some(v) = judge_top_or_name(&q, target) {
                judged.push((imp.span, q, v));
                break;
            }
        }
    }
    for (e, guarded) in references_in(module) {
        if guarded {
            continue;
        }
        if let ExprKind::Call { func, args } = &e.kind {
            if let Some(q) = func.qualified_name() {
                if is_library(&q) {
                    if let Some((v, fix)) = judge_library_call(module, &q, args) {
                        library.push((func.span, v, fix));
                    }
                } else if let Some(v) = judge_call(&q, args, target) {
                    judged.push((func.span, q, v));
                }
            }
            continue;
        }
        let Some(q) = e.qualified_name() else {
            continue;
        };
        if is_library(&q) {
            if let Some(c) = library_change(&q) {
                let fix = c
                    .fix
                    .and_then(|new| same_module_fix(module, e.span, &q, new));
                library.push((e.span, removed_library_verdict(&q, c), fix));
            }
            continue;
        }
        if let Some(v) = judge(&q, target) {
            judged.push((e.span, q, v));
        }
    }
    let mut out: Vec<Finding> = Vec::new();
    let judged = judged
        .into_iter()
        .map(|(span, q, v)| {
            let fix = v.successor.and_then(|s| rename_fix(module, span, &q, s));
            (span, v, fix)
        })
        .chain(library);
    for (span, v, fix) in judged {
        let Some(rule) = index.by_id(v.rule) else {
            continue;
        };
        if out.iter().any(|f| f.span == span && f.rule == rule.id) {
            continue;
        }
        out.push(Finding {
            help: v.help.unwrap_or_else(|| rule.help.clone()),
            fix,
            ..super::module_finding(module, rule, span, v.message)
        });
    }
    out
}

/// A top-level module (`imp`, `tomllib`) or a module name (`collections.Mapping`).
fn judge_top_or_name(q: &str, target: Versions) -> Option<Verdict> {
    if !q.contains('.') {
        if let Some(c) = stdlib::change(q) {
            return judge_change(q, c, target);
        }
        let v = stdlib::versions(q)?;
        return judge_versions(q, v, target);
    }
    judge(q, target)
}

/// Replaces the reference with its successor when the source spells out the qualified
/// name (`collections.Mapping`, not an alias), so the edit is a plain rename.
fn rename_fix(module: &Module, span: Span, qualname: &str, successor: &str) -> Option<Fix> {
    let text = module.source.get(span.start as usize..span.end as usize)?;
    if text != qualname {
        return None;
    }
    Some(Fix {
        description: format!("replace `{qualname}` with `{successor}`"),
        edits: vec![Edit {
            start: span.start,
            end: span.end,
            replacement: successor.to_string(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule_of(q: &str, t: Versions) -> Option<&'static str> {
        judge(q, t).map(|v| v.rule)
    }

    #[test]
    fn table_loaded_with_versions() {
        let json = module("json").map(|m| m.names.contains_key("loads"));
        assert_eq!(json, Some(true));
        assert!(module("os.path").is_some_and(|m| m.names.contains_key("join")));
        assert!(module("asyncio").is_some_and(|m| m.names.get("coroutine") == Some(&(8, 10))));
        assert!(API.len() > 400);
    }

    #[test]
    fn judges_names_against_the_supported_versions() {
        let default = Versions::new(None);
        assert_eq!(rule_of("json.parse", default), Some(NONEXISTENT));
        assert_eq!(rule_of("json.loads", default), None);
        assert_eq!(rule_of("os.path.join", default), None);
        assert_eq!(rule_of("collections.Mapping", default), Some(REMOVED));
        assert_eq!(rule_of("asyncio.coroutine", default), Some(REMOVED));
        assert_eq!(rule_of("inspect.getargspec", default), Some(REMOVED));
        assert_eq!(
            rule_of("datetime.datetime.utcnow", default),
            Some(DEPRECATED)
        );
        // New names only matter when the project states an older minimum.
        assert_eq!(rule_of("math.cbrt", default), None);
        assert_eq!(rule_of("math.cbrt", Versions::new(Some(10))), Some(REMOVED));
        assert_eq!(rule_of("math.cbrt", Versions::new(Some(11))), None);
        let v = judge("json.parse", default).and_then(|v| v.help);
        assert!(v.is_some_and(|h| h.contains("did you mean")), "help");
        let v = judge("collections.Mapping", default).and_then(|v| v.successor);
        assert_eq!(v, Some("collections.abc.Mapping"));
        let help = judge("os.path.joinn", default)
            .and_then(|v| v.help)
            .unwrap_or_default();
        assert!(help.contains("`os.path.join`"), "{help}");
    }

    #[test]
    fn findings_carry_renames_as_fixes() {
        let catalog = crate::rules::catalog::Catalog::builtin().unwrap_or_default();
        let index = RuleIndex::new(
            &catalog,
            &[],
            &[],
            crate::rules::Threat::Remote,
            crate::ir::Language::Python,
        );
        let src = "import collections\nimport time as t\nok = isinstance({}, collections.Mapping)\nstart = t.clock()\n";
        let m = crate::lower::lower("nowhere/x.py", crate::ir::Language::Python, src.into());
        let found = check(&m, &index, Some(8));
        let got: Vec<(&str, u32, Option<String>)> = found
            .iter()
            .map(|f| {
                let edit = f.fix.as_ref().and_then(|x| x.edits.first());
                (
                    f.rule.as_str(),
                    f.span.line,
                    edit.map(|e| e.replacement.clone()),
                )
            })
            .collect();
        // The alias `t.clock` is no plain rename of the text, so it gets no fix.
        assert_eq!(
            got,
            [
                (REMOVED, 3, Some("collections.abc.Mapping".to_string())),
                (REMOVED, 4, None)
            ]
        );
    }

    #[test]
    fn calls_outside_every_signature() {
        let m = crate::lower::lower(
            "nowhere/x.py",
            crate::ir::Language::Python,
            "import os, re, shutil, time\nos.makedirs('d', exists_ok=True)\nos.makedirs('d', 0o700, True)\nre.findall('a', 's', flag=re.I)\ntime.sleep(1, 2)\nprint('a', 'b', sepp=',')\nargs = (1, 2)\ntime.sleep(*args)\nopts = {}\nos.makedirs('d', **opts)\nPY3 = True\nif PY3:\n    pass\nelse:\n    def legacy():\n        time.sleep(1, 2)\n"
                .into(),
        );
        let catalog = crate::rules::catalog::Catalog::builtin().unwrap_or_default();
        let index = RuleIndex::new(
            &catalog,
            &[],
            &[],
            crate::rules::Threat::Remote,
            crate::ir::Language::Python,
        );
        let got: Vec<(u32, String)> = check(&m, &index, None)
            .into_iter()
            .filter(|f| f.rule == WRONG_ARGUMENTS)
            .map(|f| (f.span.line, f.help))
            .collect();
        let lines: Vec<u32> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 4, 5, 6]);
        assert!(got[0].1.contains("`exist_ok`"), "{}", got[0].1);
        assert!(got[1].1.contains("`flags`"), "{}", got[1].1);
        assert!(got[3].1.contains("`sep`"), "{}", got[3].1);
        // A keyword newer than the stated minimum.
        let call = |src: &str, min: Option<u8>| {
            let m = crate::lower::lower("x.py", crate::ir::Language::Python, src.into());
            check(&m, &index, min)
                .into_iter()
                .filter(|f| f.rule == WRONG_ARGUMENTS)
                .count()
        };
        let src = "import shutil\nshutil.rmtree('d', onexc=print)\n";
        assert_eq!(call(src, Some(8)), 1);
        assert_eq!(call(src, Some(12)), 0);
        assert_eq!(call(src, None), 0);
    }

    #[test]
    fn library_tables_and_fixes() {
        assert!(LIBRARY_SIGNATURES.len() > 200);
        let get = LIBRARY_SIGNATURES.get("requests.get");
        assert!(
            get.is_some_and(|s| !s.any_keyword && s.keywords.iter().any(|(k, _)| k == "timeout"))
        );
        assert!(library_change("flask.escape").is_some());
        let catalog = crate::rules::catalog::Catalog::builtin().unwrap_or_default();
        let index = RuleIndex::new(
            &catalog,
            &[],
            &[],
            crate::rules::Threat::Remote,
            crate::ir::Language::Python,
        );
        let src = "from django.utils.encoding import force_text\nfrom django.utils.translation import ugettext as _\nimport requests\nfrom flask import send_file\nrequests.get('u', timout=3, timeout=3)\nsend_file('p', cache_timeout=5)\nrequests.get('u', **opts)\n";
        let m = crate::lower::lower("nowhere/x.py", crate::ir::Language::Python, src.into());
        let got: Vec<(String, u32, Option<String>)> = check(&m, &index, None)
            .into_iter()
            .map(|f| {
                let edit = f.fix.as_ref().and_then(|x| x.edits.first());
                (f.rule, f.span.line, edit.map(|e| e.replacement.clone()))
            })
            .collect();
        let want = [
            (REMOVED_LIBRARY, 1, Some("force_str as force_text")),
            (REMOVED_LIBRARY, 2, Some("gettext")),
            (WRONG_LIBRARY_ARGUMENTS, 5, None),
            (REMOVED_LIBRARY, 6, Some("max_age")),
        ];
        let want: Vec<(String, u32, Option<String>)> = want
            .iter()
            .map(|(r, l, e)| (r.to_string(), *l, e.map(String::from)))
            .collect();
        assert_eq!(got, want);
    }

    /// Where an interpreter is installed, a sample of the table agrees with it.
    #[test]
    fn a_sample_agrees_with_a_live_interpreter() {
        let sample = [
            "json",
            "os",
            "os.path",
            "collections",
            "asyncio",
            "inspect",
            "math",
            "re",
            "string",
            "itertools",
            "functools",
            "typing",
            "datetime",
            "subprocess",
            "pathlib",
        ];
        let probe = format!(
            "import importlib, sys\nfor m in {sample:?}:\n    mod = importlib.import_module(m)\n    print(m + '\\t' + ' '.join(n for n in dir(mod) if not n.startswith('_')))\nprint('@' + str(sys.version_info[1]))"
        );
        let Ok(out) = std::process::Command::new("python3")
            .args(["-I", "-c", &probe])
            .output()
        else {
            return;
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let Some(minor) = text
            .lines()
            .find_map(|l| l.strip_prefix('@'))
            .and_then(|m| m.parse::<u8>().ok())
            .filter(|m| (OLDEST_MINOR..=NEWEST_MINOR).contains(m))
        else {
            return;
        };
        for line in text.lines().filter(|l| !l.starts_with('@')) {
            let Some((m, names)) = line.split_once('\t') else {
                continue;
            };
            let Some(api) = module(m) else {
                panic!("{m} missing from the table");
            };
            for n in names.split(' ').filter(|n| !n.is_empty()) {
                let v = api.names.get(n);
                assert!(
                    v.is_some_and(|(a, b)| *a <= minor && minor <= *b),
                    "{m}.{n} exists in 3.{minor} but the table says {v:?}"
                );
            }
        }
    }
}
