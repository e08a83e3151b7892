//! Code left unfinished by a generator: function bodies that are only a placeholder
//! (PY-A201) and comments that stand for missing code (PY-A202). Placeholder credentials
//! and hosts (PY-A203) are lexical like the secret checks and live in `secrets`.
//!
//! A body of only `pass`, `...` or `raise NotImplementedError` is often right: abstract
//! methods, protocols, overloads, stubs, hooks a subclass overrides, exception classes.
//! So a placeholder body is reported only with evidence that it is unfinished: a TODO-style
//! comment in or just above it, a return annotation it cannot honour (`-> float` with a
//! body of `pass`), or a module-level function that only raises `NotImplementedError`.

use std::sync::LazyLock;

use regex::Regex;

use super::sinks::RuleIndex;
use crate::finding::Finding;
use crate::ir::{Const, Expr, ExprKind, Function, Module, Span, StmtKind};

pub const PLACEHOLDER_BODY: &str = "PY-A201";
pub const PLACEHOLDER_COMMENT: &str = "PY-A202";

/// A comment that marks work left to do in the function beside it. Comments that only
/// talk about implementing ("subclasses must implement this") do not count.
static TODO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(todo|fixme|tbd)\b|\bimplement\s+(this|me|later|here)\b|\b(not\s+yet|to\s+be)\s+implemented\b|\byour\s+(own\s+)?(code|logic)\b|\bplaceholder\b",
    )
    .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// A comment that stands where code should be.
static MISSING_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \byour\s+(own\s+)?(code|logic|implementation)\s+(goes\s+)?here\b
        | \badd\s+(your\s+)?(code|logic|implementation)\s+here\b
        | \b(code|implementation|logic)\s+(goes|would\s+go)\s+here\b
        | \b(rest|remainder)\s+of\s+(the\s+|your\s+)?(code|implementation|function|method|class|file|module|logic)\b
        | \b(existing|previous|remaining|other)\s+(code|implementation|logic|methods)\s+
            (here|unchanged|remains?|stays?|omitted|as\s+before)\b
        | \.\.\.\s*(existing|rest\s+of|more|other)\s+(code|implementation|logic)
        | \b(omitted|truncated|elided)\s+for\s+brevity\b
        | \bimplement\s+(this|me|the\s+(actual\s+)?logic)(\s+here)?\s*$
        ",
    )
    .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// What a placeholder body consists of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filler {
    Pass,
    Ellipsis,
    NotImplemented,
}

impl Filler {
    fn text(self) -> &'static str {
        match self {
            Filler::Pass => "`pass`",
            Filler::Ellipsis => "`...`",
            Filler::NotImplemented => "`raise NotImplementedError`",
        }
    }
}

/// The body's only statement after an optional docstring, if it is a placeholder.
fn filler(f: &Function) -> Option<Filler> {
    let mut body = f.body.iter().filter(|s| !is_docstring(&s.kind));
    let only = body.next()?;
    if body.next().is_some() {
        return None;
    }
    match &only.kind {
        StmtKind::Pass => Some(Filler::Pass),
        StmtKind::Expr(e) if matches!(e.kind, ExprKind::Const(Const::Ellipsis)) => {
            Some(Filler::Ellipsis)
        }
        StmtKind::Raise(Some(e)) if is_not_implemented(e) => Some(Filler::NotImplemented),
        _ => None,
    }
}

fn is_docstring(kind: &StmtKind) -> bool {
    matches!(kind, StmtKind::Expr(e) if matches!(e.kind, ExprKind::Const(Const::Str(_))))
}

fn is_not_implemented(e: &Expr) -> bool {
    let target = match &e.kind {
        ExprKind::Call { func, .. } => func,
        _ => e,
    };
    target
        .qualified_name()
        .is_some_and(|q| q.rsplit('.').next() == Some("NotImplementedError"))
}

/// Declared abstract, an overload, or part of an interface: a placeholder by design.
fn by_design(module: &Module, f: &Function) -> bool {
    let marked = f.decorators.iter().any(|d| {
        d.qualified_name().is_some_and(|q| {
            matches!(
                q.rsplit('.').next(),
                Some(
                    "abstractmethod"
                        | "abstractproperty"
                        | "abstractclassmethod"
                        | "abstractstaticmethod"
                        | "overload"
                )
            )
        })
    });
    let interface = f
        .class
        .and_then(|c| module.classes.get(c))
        .is_some_and(|c| {
            c.bases.iter().any(|b| {
                b.qualified_name().is_some_and(|q| {
                    matches!(
                        q.rsplit('.').next(),
                        Some("Protocol" | "ABC" | "ABCMeta" | "TypedDict" | "NamedTuple")
                    )
                })
            })
        });
    marked || interface
}

/// Whether a return annotation promises a value (`-> float`, `-> list[str]`), which a
/// body of `pass` or `...` never returns.
fn promises_value(module: &Module, f: &Function) -> Option<String> {
    let text = return_annotation(module, f)?;
    let text = text.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
    let head = text.split('[').next().unwrap_or(text);
    let last = head.rsplit('.').next().unwrap_or(head).trim();
    if matches!(
        last,
        "" | "None" | "NoReturn" | "Never" | "Optional" | "Any" | "object"
    ) {
        return None;
    }
    if text.contains("Optional")
        || text.contains("None")
        || text.contains("Generator")
        || text.contains("Iterator")
    {
        return None;
    }
    Some(text.to_string())
}

/// The text of the `-> T` annotation: the IR keeps no return annotations, so it is read
/// from the header, between the name and the body.
fn return_annotation(module: &Module, f: &Function) -> Option<String> {
    let body_start = f.body.first()?.span.start as usize;
    let header = module.source.get(f.name_span.end as usize..body_start)?;
    let (_, after) = header.rsplit_once("->")?;
    let ann = after.trim_end();
    let ann = ann.strip_suffix(':').unwrap_or(ann).trim();
    (!ann.is_empty()).then(|| ann.to_string())
}

/// A TODO comment inside the function, or (for a function outside a class) on the line
/// above it or its decorators. A comment above a method more often describes the
/// neighbourhood ("# FIXME: not called") than the body.
fn todo_comment(module: &Module, f: &Function) -> Option<Span> {
    let first = f
        .decorators
        .iter()
        .map(|d| d.span.line)
        .chain([f.span.line])
        .min()
        .unwrap_or(f.span.line);
    let from = if f.class.is_some() {
        f.span.line
    } else {
        first.saturating_sub(1)
    };
    module
        .comments
        .iter()
        .find(|(s, text)| {
            s.line >= from
                && s.line <= f.span.end_line
                && TODO.is_match(text)
                && !text.contains("vouch:")
        })
        .map(|(s, _)| *s)
}

/// Why a placeholder body is reported, if it is.
fn judge(module: &Module, f: &Function) -> Option<String> {
    let fill = filler(f)?;
    if f.name.starts_with("__") && f.name.ends_with("__") && fill != Filler::NotImplemented {
        // `def __init__(self): pass` and friends: an explicit no-op.
        return None;
    }
    if by_design(module, f) {
        return None;
    }
    if todo_comment(module, f).is_some() {
        return Some(format!(
            "`{}` is a placeholder: its body is only {} beside a TODO comment",
            f.name,
            fill.text()
        ));
    }
    match fill {
        Filler::NotImplemented if f.class.is_none() && f.parent.is_none_or(|p| p == 0) => {
            Some(format!(
                "`{}` is a placeholder: the function only raises `NotImplementedError`",
                f.name
            ))
        }
        Filler::Pass | Filler::Ellipsis => promises_value(module, f).map(|t| {
            format!(
                "`{}` is a placeholder: it is annotated to return `{t}` but its body is only {}, which returns None",
                f.name,
                fill.text()
            )
        }),
        Filler::NotImplemented => None,
    }
}

/// URL constants with a placeholder host (`BASE_URL = "https://api.example.com"`), in
/// assignments and parameter defaults; URLs passed around elsewhere are often meant as
/// examples (templates, documentation).
fn placeholder_urls(module: &Module) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let mut consider = |e: &Expr| {
        if let Some(text) = e.as_str_const()
            && let Some(host) = super::secrets::placeholder_host(text)
        {
            out.push((e.span, host));
        }
    };
    for f in &module.functions {
        for p in &f.params {
            if let Some(d) = &p.default {
                consider(d);
            }
        }
        for stmt in crate::ir::cfg::statements(&f.body) {
            match &stmt.kind {
                StmtKind::Assign { value, .. } => consider(value),
                StmtKind::AnnAssign { value: Some(v), .. } => consider(v),
                _ => {}
            }
        }
    }
    out
}

/// The placeholder findings of one module.
pub fn check(module: &Module, index: &RuleIndex) -> Vec<Finding> {
    let mut out = Vec::new();
    // Stubs (`.pyi`) are all placeholders by definition.
    if module.path.ends_with(".pyi") {
        return out;
    }
    if let Some(rule) = index.by_id(PLACEHOLDER_BODY) {
        for f in module.functions.iter().skip(1) {
            if let Some(message) = judge(module, f) {
                out.push(super::module_finding(module, rule, f.name_span, message));
            }
        }
    }
    if let Some(rule) = index.by_id(super::secrets::PLACEHOLDER_VALUE)
        && !super::secrets::is_test_path(&module.path)
    {
        for (span, host) in placeholder_urls(module) {
            out.push(super::module_finding(
                module,
                rule,
                span,
                format!("placeholder host `{host}` in a URL: never filled in"),
            ));
        }
    }
    if let Some(rule) = index.by_id(PLACEHOLDER_COMMENT) {
        for (span, text) in &module.comments {
            if MISSING_CODE.is_match(text) && !text.contains("vouch:") {
                let shown: String = text.trim().chars().take(60).collect();
                out.push(super::module_finding(
                    module,
                    rule,
                    *span,
                    format!("comment stands for missing code: `{shown}`"),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(src: &str) -> Vec<(String, u32)> {
        let catalog = crate::rules::catalog::Catalog::builtin().unwrap_or_default();
        let index = RuleIndex::new(
            &catalog,
            &[],
            &[],
            crate::rules::Threat::Remote,
            crate::ir::Language::Python,
        );
        let m = crate::lower::lower("app/x.py", crate::ir::Language::Python, src.into());
        check(&m, &index)
            .into_iter()
            .map(|f| (f.rule, f.span.line))
            .collect()
    }

    #[test]
    fn placeholder_bodies_need_evidence() {
        let src = "\
import abc
from typing import Protocol, overload

def total(items: list[float]) -> float:
    pass

def parse(text):
    # TODO: parse the header
    ...

def export(rows):
    raise NotImplementedError

def noop() -> None:
    pass

class Base(abc.ABC):
    @abc.abstractmethod
    def run(self) -> int:
        ...

    def hook(self) -> None:
        pass

class Reader(Protocol):
    def read(self) -> bytes: ...

class Plugin:
    def handle(self, event) -> bool:
        raise NotImplementedError

    def __init__(self):
        pass

@overload
def f(x: int) -> int: ...
";
        assert_eq!(
            reported(src),
            [
                (PLACEHOLDER_BODY.to_string(), 4),
                (PLACEHOLDER_BODY.to_string(), 7),
                (PLACEHOLDER_BODY.to_string(), 11),
            ]
        );
    }

    #[test]
    fn comments_standing_for_code() {
        for text in [
            "# your code here",
            "# ... rest of the implementation",
            "# existing code unchanged",
            "# Add your logic here",
            "# details omitted for brevity",
            "# Implement the actual logic here",
        ] {
            let src = format!("def f():\n    {text}\n    return 1\n");
            assert_eq!(
                reported(&src),
                [(PLACEHOLDER_COMMENT.to_string(), 2)],
                "{text}"
            );
        }
        for text in [
            "# the rest of the list is sorted",
            "# we implement retries with backoff",
            "# same as above",
            "# TODO: cache this",
        ] {
            let src = format!("def f():\n    {text}\n    return 1\n");
            assert!(reported(&src).is_empty(), "{text}");
        }
    }
}
