//! Suppression comments: `# vouch: ignore[ID,...]` and friends.
//!
//! Forms (ids are rule ids or prefixes, compared case-insensitively):
//! - `code  # vouch: ignore[PY-S602]`: findings on this line;
//! - `# vouch: ignore[PY-S602]` alone on a line: findings on the next line that is not
//!   itself a comment;
//! - `# vouch: ignore PY-S602, PY-A` (ids after a blank, no brackets): the same as the
//!   bracketed list. Read this way because the alternative, a bare `ignore` followed by
//!   text, would hide every finding on the line when the writer meant one rule;
//! - `# vouch: ignore` without a list (or followed by text that is not an id): every
//!   finding on that line;
//! - `# vouch: ignore-file[PY-S6]` anywhere: findings of those rules in the whole file
//!   (`ignore-file` without a list: every finding).
//!
//! The marker and keyword are case-insensitive (`# VOUCH: IGNORE[py-a001]`), as the ids are.
//! A keyword glued to more letters (`# vouch: ignored`) is not a suppression at all.
//!
//! Rust's `// vouch: ignore[...]` is the same comment with another marker. Comments are
//! found by scanning the text line by line rather than through a language's syntax tree, so
//! one parser serves every language (and files whose lowering failed). The price is that a
//! string literal containing `# vouch: ignore` reads as a comment; a stale one is then
//! reported as unused, so it cannot hide anything unnoticed.
//!
//! A suppression (or one id in its list) that hides nothing is reported as `VCH-001
//! unused-suppression`, unless every rule it names is turned off for the file: then it
//! cannot have matched, and it may still be needed when those rules run.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::config::{RuleFilter, selects};
use crate::finding::{Edit, FileReport, Finding, Fix, Severity, VerdictKind};
use crate::ir::Span;
use crate::rules::catalog::Catalog;

/// The rule that reports suppressions matching nothing.
pub const UNUSED_RULE: &str = "VCH-001";
const UNUSED_NAME: &str = "unused-suppression";

/// `#` or `//`, `vouch:`, the keyword, an optional `[list]`. The list is captured with its
/// brackets' contents so a fix can rewrite it in place.
static MARKER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(#|//)[ \t]*vouch:[ \t]*(ignore-file|ignore)(\[([^\]\n]*)\])?")
        .unwrap_or_else(|_| unreachable!())
});

/// Ids written after the keyword without brackets: `ignore PY-A001, PY-S2`. Only text
/// shaped like rule ids counts, so prose after a bare `ignore` stays prose.
static BARE_LIST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]+([A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]+(?:[ \t]*,[ \t]*[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]+|[ \t]+[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]+)*)",
    )
    .unwrap_or_else(|_| unreachable!())
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Findings starting (or ending) on this 1-based line.
    Line(u32),
    File,
}

/// One parsed suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub scope: Scope,
    /// `None`: every rule. Ids are upper-cased.
    pub ids: Option<Vec<String>>,
    /// Where the comment itself is: 1-based line, 1-based byte column, byte offsets of the
    /// marker through the end of the list (or keyword).
    pub line: u32,
    pub col: u32,
    pub start: u32,
    pub end: u32,
    /// Byte offsets of the list between the brackets, when there is one.
    pub list: Option<(u32, u32)>,
    /// Nothing but whitespace precedes the marker on its line.
    pub own_line: bool,
    /// Byte offsets of the whole line including its line ending (for deleting it).
    pub line_start: u32,
    pub line_end: u32,
    /// Where whitespace before the marker begins (for deleting a trailing comment).
    pub trailing_from: u32,
}

/// Every suppression comment in `text`.
pub fn parse(text: &str) -> Vec<Suppression> {
    // Line starts and whether each line is only a comment, for the line-above form.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        lines.push((at, raw));
        at += raw.len();
    }
    let comment_only = |l: &str| {
        let t = l.trim_start();
        t.starts_with('#') || t.starts_with("//")
    };
    let mut out = Vec::new();
    for (i, (start, raw)) in lines.iter().enumerate() {
        let line_no = (i + 1) as u32;
        let body = raw.trim_end_matches(['\n', '\r']);
        for caps in MARKER_RE.captures_iter(body) {
            let (Some(whole), Some(kw)) = (caps.get(0), caps.get(2)) else {
                continue;
            };
            let rest = &body[whole.end()..];
            // `ignore[` with no closing bracket is a typo, not a bare "ignore everything";
            // so is `ignored` or `ignore-rule`.
            if caps.get(3).is_none()
                && rest
                    .starts_with(|c: char| c == '[' || c == '-' || c == '_' || c.is_alphanumeric())
            {
                continue;
            }
            // The id list: between brackets, or written after a blank without them.
            let list = caps.get(4).map(|m| (m.start(), m.end())).or_else(|| {
                let m = BARE_LIST_RE.captures(rest)?.get(1)?;
                Some((whole.end() + m.start(), whole.end() + m.end()))
            });
            let ids = list.map(|(a, b)| {
                body[a..b]
                    .split([',', ' ', '\t'])
                    .map(|s| s.trim().to_uppercase())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            });
            let end = list.map_or(whole.end(), |(_, b)| b.max(whole.end()));
            let before = &body[..whole.start()];
            let own_line = before.trim().is_empty();
            let scope = if kw.as_str().eq_ignore_ascii_case("ignore-file") {
                Scope::File
            } else if own_line {
                // The next line that is not itself a comment (so several suppression
                // comments can stack above one line).
                let target = lines
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .find(|(_, (_, l))| !comment_only(l))
                    .map_or(line_no + 1, |(j, _)| (j + 1) as u32);
                Scope::Line(target)
            } else {
                Scope::Line(line_no)
            };
            let off = |x: usize| (start + x) as u32;
            out.push(Suppression {
                scope,
                ids,
                line: line_no,
                col: whole.start() as u32 + 1,
                start: off(whole.start()),
                end: off(end),
                list: list.map(|(a, b)| (off(a), off(b))),
                own_line,
                line_start: *start as u32,
                line_end: off(raw.len()),
                trailing_from: off(before.trim_end().len()),
            });
        }
    }
    out
}

impl Suppression {
    fn covers_line(&self, f: &Finding) -> bool {
        match self.scope {
            Scope::File => true,
            // The end line too: a trailing comment on the last line of a call that a
            // formatter split over several lines.
            Scope::Line(l) => f.span.line == l || f.span.end_line == l,
        }
    }

    /// Index of the first id in the list that covers `rule`; `Some(usize::MAX)` for a bare
    /// suppression.
    fn matching_id(&self, rule: &str) -> Option<usize> {
        match &self.ids {
            None => Some(usize::MAX),
            Some(ids) => ids.iter().position(|id| selects(id, rule)),
        }
    }

    fn describe(&self) -> String {
        let kw = match self.scope {
            Scope::File => "ignore-file",
            Scope::Line(_) => "ignore",
        };
        match &self.ids {
            None => format!("`vouch: {kw}`"),
            Some(ids) => format!("`vouch: {kw}[{}]`", ids.join(", ")),
        }
    }
}

/// Drops the findings that a suppression comment in `source` covers and adds a VCH-001
/// finding for each suppression (or id) that covers nothing, when that rule is enabled.
pub fn apply(report: &mut FileReport, source: &str, catalog: &Catalog, filter: &RuleFilter) {
    let sups = parse(source);
    if sups.is_empty() {
        return;
    }
    // used[s][k]: id k of suppression s hid something (a bare one has a single slot).
    let mut used: Vec<Vec<bool>> = sups
        .iter()
        .map(|s| vec![false; s.ids.as_ref().map_or(1, |ids| ids.len())])
        .collect();
    report.findings.retain(|f| {
        let mut hidden = false;
        // Every covering suppression is marked used, not just the first, so a line
        // comment and a file-level one for the same finding are both justified.
        for (s, sup) in sups.iter().enumerate() {
            if !sup.covers_line(f) {
                continue;
            }
            if let Some(k) = sup.matching_id(&f.rule) {
                hidden = true;
                let slot = if k == usize::MAX { 0 } else { k };
                if let Some(u) = used[s].get_mut(slot) {
                    *u = true;
                }
            }
        }
        !hidden
    });

    let path = Path::new(&report.path);
    if !filter.enabled_in(UNUSED_RULE, path) {
        return;
    }
    let rule = catalog.get(UNUSED_RULE);
    let severity = filter.severity_of(UNUSED_RULE, rule.map_or(Severity::Warning, |r| r.severity));
    let unused_ids = |sup: &Suppression, used: &[bool]| -> Option<Vec<String>> {
        match &sup.ids {
            None => (!used.first().copied().unwrap_or(false)).then(Vec::new),
            // `ignore[]` can hide nothing: reported so the empty list gets noticed.
            Some(ids) if ids.is_empty() => Some(Vec::new()),
            Some(ids) => {
                let unused: Vec<String> = ids
                    .iter()
                    .zip(used)
                    .filter(|(id, u)| !**u && could_have_matched(id, catalog, filter, path))
                    .map(|(id, _)| id.clone())
                    .collect();
                (!unused.is_empty()).then_some(unused)
            }
        }
    };
    // An unused suppression is a finding like any other, so another suppression that names
    // VCH-001 explicitly (`ignore-file[VCH-001]` in a file that documents the syntax) hides
    // it and is thereby used. A bare `ignore` does not: it would always justify itself.
    let mut hidden = vec![false; sups.len()];
    for (i, sup) in sups.iter().enumerate() {
        if unused_ids(sup, &used[i]).is_none() {
            continue;
        }
        for (j, other) in sups.iter().enumerate() {
            let covers = match other.scope {
                Scope::File => true,
                Scope::Line(l) => l == sup.line,
            };
            let id = other
                .ids
                .as_ref()
                .and_then(|ids| ids.iter().position(|id| selects(id, UNUSED_RULE)));
            if let (true, true, Some(k)) = (i != j, covers, id) {
                used[j][k] = true;
                hidden[i] = true;
            }
        }
    }
    for ((sup, used), hidden) in sups.iter().zip(&used).zip(hidden) {
        let Some(unused) = unused_ids(sup, used).filter(|_| !hidden) else {
            continue;
        };
        report.findings.push(unused_finding(
            sup,
            &unused,
            used,
            catalog,
            severity,
            &report.path,
            rule,
        ));
    }
}

/// An id can have matched when it names no rule at all (a typo, which deserves a report)
/// or when some rule it covers is enabled in this file.
fn could_have_matched(id: &str, catalog: &Catalog, filter: &RuleFilter, path: &Path) -> bool {
    let mut covered = catalog
        .rules
        .iter()
        .filter(|r| selects(id, &r.id))
        .peekable();
    covered.peek().is_none() || covered.any(|r| filter.enabled_in(&r.id, path))
}

#[allow(clippy::too_many_arguments)]
fn unused_finding(
    sup: &Suppression,
    unused: &[String],
    used: &[bool],
    catalog: &Catalog,
    severity: Severity,
    path: &str,
    rule: Option<&crate::rules::Rule>,
) -> Finding {
    let place = match sup.scope {
        Scope::File => "in this file".to_string(),
        Scope::Line(l) => format!("on line {l}"),
    };
    let mut message = match unused.is_empty() {
        true => format!("{} matches no finding {place}", sup.describe()),
        false => format!(
            "{} matches no {} finding {place}",
            sup.describe(),
            unused.join(", ")
        ),
    };
    let unknown: Vec<&String> = unused
        .iter()
        .filter(|id| !catalog.rules.iter().any(|r| selects(id, &r.id)))
        .collect();
    if !unknown.is_empty() {
        message.push_str(&format!(
            " ({} names no rule)",
            unknown
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Finding {
        rule: UNUSED_RULE.to_string(),
        name: rule.map_or(UNUSED_NAME.to_string(), |r| r.name.clone()),
        cwe: rule.map_or_else(Vec::new, |r| r.cwe.clone()),
        severity,
        path: path.to_string(),
        span: Span {
            start: sup.start,
            end: sup.end,
            line: sup.line,
            col: sup.col,
            end_line: sup.line,
            end_col: sup.end - sup.line_start + 1,
        },
        message,
        verdict: VerdictKind::Violated,
        witness: None,
        shown: Vec::new(),
        latent: false,
        help: rule.map_or_else(
            || "Delete the comment or the ids in it that no longer match.".to_string(),
            |r| r.help.clone(),
        ),
        fix: Some(removal(sup, used)),
        related: Vec::new(),
        flow: Vec::new(),
    }
}

/// Deletes the comment when nothing in it is used, else keeps only the used ids.
fn removal(sup: &Suppression, used: &[bool]) -> Fix {
    let keep: Vec<&str> = match (&sup.ids, sup.list) {
        (Some(ids), Some(_)) => ids
            .iter()
            .zip(used)
            .filter(|(_, u)| **u)
            .map(|(id, _)| id.as_str())
            .collect(),
        _ => Vec::new(),
    };
    if let (false, Some((a, b))) = (keep.is_empty(), sup.list) {
        return Fix {
            description: "remove the ids that match nothing".into(),
            edits: vec![Edit {
                start: a,
                end: b,
                replacement: keep.join(", "),
            }],
        };
    }
    let (start, end) = if sup.own_line {
        (sup.line_start, sup.line_end)
    } else {
        (sup.trailing_from, sup.end)
    };
    Fix {
        description: "remove the unused suppression comment".into(),
        edits: vec![Edit {
            start,
            end,
            replacement: String::new(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms() {
        let text = "a = 1  # vouch: ignore[py-s602, PY-A]\n# vouch: ignore\n# other\nb = 2\n// vouch: ignore-file[PY-S]\nc # vouch: ignore[\n";
        let s = parse(text);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].scope, Scope::Line(1));
        assert_eq!(
            s[0].ids.as_deref(),
            Some(&["PY-S602".to_string(), "PY-A".to_string()][..])
        );
        assert!(!s[0].own_line);
        assert_eq!(s[1].scope, Scope::Line(4));
        assert_eq!(s[1].ids, None);
        assert!(s[1].own_line);
        assert_eq!(s[2].scope, Scope::File);
    }

    #[test]
    fn marker_keyword_and_ids_are_case_insensitive() {
        let s = parse("x = 1  # VOUCH: IGNORE[py-a001]\n# Vouch: Ignore-File[py-s2]\n");
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].scope, Scope::Line(1));
        assert_eq!(s[0].ids.as_deref(), Some(&["PY-A001".to_string()][..]));
        assert_eq!(s[1].scope, Scope::File);
        assert_eq!(s[1].ids.as_deref(), Some(&["PY-S2".to_string()][..]));
    }

    #[test]
    fn ids_without_brackets_are_a_list_not_everything() {
        let text =
            "x = 1  # vouch: ignore PY-A001\ny = 2  # vouch: ignore py-a001, PY-S2 PY-S3 because\n";
        let s = parse(text);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].ids.as_deref(), Some(&["PY-A001".to_string()][..]));
        let ids: Vec<String> = ["PY-A001", "PY-S2", "PY-S3"].map(String::from).to_vec();
        assert_eq!(s[1].ids.as_deref(), Some(&ids[..]));
        // The list's place is known, so an unused id can be removed in place.
        let (a, b) = s[0].list.expect("list");
        assert_eq!(&text[a as usize..b as usize], "PY-A001");
        // Prose after a bare `ignore` is not a list; a glued word is no suppression.
        let s = parse("x = 1  # vouch: ignore because it is fine\ny = 2  # vouch: ignored\n");
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].ids, None);
    }

    #[test]
    fn removal_of_a_trailing_comment_keeps_the_code() {
        let text = "x = f()  # vouch: ignore[PY-S602]\n";
        let s = &parse(text)[0];
        let fix = removal(s, &[false]);
        let e = &fix.edits[0];
        let mut out = text.to_string();
        out.replace_range(e.start as usize..e.end as usize, &e.replacement);
        assert_eq!(out, "x = f()\n");
    }
}
