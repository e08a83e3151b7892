//! Findings as LSP diagnostics, and the code actions offered for them.

use std::collections::HashMap;
use std::sync::Arc;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, Diagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, TextEdit,
    Uri, WorkspaceEdit,
};
use serde_json::json;

use super::text::{Encoding, LineMap};
use crate::finding::{Finding, Severity};
use crate::report::counterexample;

/// The `source` of every diagnostic we publish; code actions only act on these.
pub const SOURCE: &str = "vouch";

/// Longest witness value written into a diagnostic message: editors show messages inline,
/// and a witness string can be kilobytes long.
const MAX_VALUE_CHARS: usize = 120;

/// One finding plus the documentation link its diagnostic points to.
#[derive(Clone, Debug)]
pub struct Item {
    pub finding: Finding,
    pub link: Option<String>,
}

/// The result of analyzing one version of a document.
#[derive(Clone, Debug)]
pub struct Analyzed {
    pub version: i32,
    /// The document text exactly as the client sent it.
    pub text: Arc<str>,
    /// Bytes of a leading BOM: the analysis strips it, so finding offsets are shifted by it.
    pub bom: usize,
    pub items: Vec<Item>,
    /// The comment leader suppressions use in this language.
    pub comment: &'static str,
}

impl Analyzed {
    fn range(&self, map: &LineMap<'_>, start: u32, end: u32, enc: Encoding) -> Range {
        map.range(start as usize + self.bom, end as usize + self.bom, enc)
    }

    pub fn diagnostics(&self, uri: &Uri, enc: Encoding) -> Vec<Diagnostic> {
        let map = LineMap::new(&self.text);
        self.items
            .iter()
            .map(|item| self.diagnostic(uri, &map, item, enc))
            .collect()
    }

    fn diagnostic(&self, uri: &Uri, map: &LineMap<'_>, item: &Item, enc: Encoding) -> Diagnostic {
        let f = &item.finding;
        // The editor holds this buffer only: steps in other files are left out.
        let related: Vec<DiagnosticRelatedInformation> = f
            .flow
            .iter()
            .chain(&f.related)
            .filter(|r| r.path.is_none())
            .map(|r| DiagnosticRelatedInformation {
                location: Location::new(
                    uri.clone(),
                    self.range(map, r.span.start, r.span.end, enc),
                ),
                message: r.message.clone(),
            })
            .collect();
        Diagnostic {
            range: self.range(map, f.span.start, f.span.end, enc),
            severity: Some(match f.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Note => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(f.rule.clone())),
            code_description: item
                .link
                .as_deref()
                .and_then(|l| l.parse::<Uri>().ok())
                .map(|href| CodeDescription { href }),
            source: Some(SOURCE.to_string()),
            message: message(f),
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: Some(json!({
                "rule": f.rule,
                "cwe": f.cwe,
                "latent": f.latent,
                "fix": f.fix.as_ref().map(|x| x.description.clone()),
            })),
        }
    }
}

/// The message, then the counterexample, the rule's help and whether the finding is latent,
/// one per line: editors show the first line inline and the rest on hover.
fn message(f: &Finding) -> String {
    let mut out = f.message.trim_end().to_string();
    if !f.cwe.is_empty() {
        let cwes: Vec<String> = f.cwe.iter().map(|c| format!("CWE-{c}")).collect();
        out.push_str(&format!(" [{}]", cwes.join(", ")));
    }
    if let Some(c) = counterexample(f, MAX_VALUE_CHARS) {
        out.push('\n');
        out.push_str(&c);
    }
    if f.latent {
        out.push_str("\nlatent: holds only for particular argument values (a precondition)");
    }
    let help = f.help.trim();
    if !help.is_empty() {
        out.push('\n');
        out.push_str(help);
    }
    out
}

/// Where a diagnostic links to: the rule's CWE entry (stable, public documentation of the
/// weakness), else the rule's first reference.
pub fn link_for(f: &Finding, references: &[String]) -> Option<String> {
    match f.cwe.first() {
        Some(c) => Some(format!("https://cwe.mitre.org/data/definitions/{c}.html")),
        None => references
            .iter()
            .find(|r| r.starts_with("https://") || r.starts_with("http://"))
            .cloned(),
    }
}

/// Whether the client asked for code actions of a kind that includes quick fixes.
pub fn wants_quickfix(only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else { return true };
    let kind = CodeActionKind::QUICKFIX;
    let quickfix = kind.as_str();
    only.iter().any(|k| {
        let k = k.as_str();
        k.is_empty() || quickfix == k || quickfix.starts_with(&format!("{k}."))
    })
}

/// The code actions for a `textDocument/codeAction` request.
///
/// `analyzed` is the latest analysis when it matches the current text (fixes from an older
/// text would edit the wrong bytes); `text` is the current text. The diagnostics the client
/// sent back name what the user is looking at; when there are none of ours (some clients
/// send none), the findings overlapping `range` are used instead.
pub fn code_actions(
    uri: &Uri,
    text: &str,
    comment: &str,
    analyzed: Option<&Analyzed>,
    context: &[Diagnostic],
    range: Range,
    enc: Encoding,
) -> Vec<CodeActionOrCommand> {
    let map = LineMap::new(text);
    // (diagnostic, finding when known)
    let mut targets: Vec<(Diagnostic, Option<&Finding>)> = Vec::new();
    let ours: Vec<(Diagnostic, &Finding)> = analyzed
        .map(|a| {
            a.items
                .iter()
                .map(|i| (a.diagnostic(uri, &map, i, enc), &i.finding))
                .collect()
        })
        .unwrap_or_default();
    for d in context {
        if d.source.as_deref() != Some(SOURCE) {
            continue;
        }
        let Some(NumberOrString::String(rule)) = &d.code else {
            continue;
        };
        let found = ours
            .iter()
            .find(|(o, f)| &f.rule == rule && o.range == d.range)
            .map(|(_, f)| *f);
        targets.push((d.clone(), found));
    }
    if targets.is_empty() {
        targets = ours
            .into_iter()
            .filter(|(d, _)| overlaps(d.range, range))
            .map(|(d, f)| (d, Some(f)))
            .collect();
    }

    let mut actions = Vec::new();
    let mut suppressed: Vec<(String, u32)> = Vec::new();
    for (diag, finding) in targets {
        let Some(NumberOrString::String(rule)) = diag.code.clone() else {
            continue;
        };
        if let (Some(f), Some(a)) = (finding, analyzed)
            && let Some(fix) = &f.fix
        {
            let edits: Vec<TextEdit> = fix
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: a.range(&map, e.start, e.end, enc),
                    new_text: e.replacement.clone(),
                })
                .collect();
            if !edits.is_empty() {
                // Not marked preferred: a fix changes behaviour for the unsafe inputs (that is
                // its point), so an editor must not apply it unasked in a "fix all".
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("{rule}: {}", fix.description),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(workspace_edit(uri, edits)),
                    ..CodeAction::default()
                }));
            }
        }
        // Two findings of one rule on one line need one suppression, not two; and a
        // report of an unused suppression is fixed by removing it, not by another one.
        let line = diag.range.start.line;
        if rule == crate::suppress::UNUSED_RULE || suppressed.contains(&(rule.clone(), line)) {
            continue;
        }
        suppressed.push((rule.clone(), line));
        if let Some(edit) = suppression_edit(&map, line as usize, &rule, comment, enc) {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Suppress {rule} on this line"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag]),
                edit: Some(workspace_edit(uri, vec![edit])),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))
}

fn overlaps(a: Range, b: Range) -> bool {
    let key = |p: lsp_types::Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

/// The edit that suppresses `rule` on 0-based `line`: the rule is added to a suppression
/// comment already on the line, else a comment is appended; after a backslash continuation
/// a trailing comment would be a syntax error, so it goes on its own line above instead
/// (suppressions also apply to the line below them). `None` when the line already
/// suppresses the rule or does not exist.
pub fn suppression_edit(
    map: &LineMap<'_>,
    line: usize,
    rule: &str,
    comment: &str,
    enc: Encoding,
) -> Option<TextEdit> {
    let (start, end) = map.line_bounds(line)?;
    let text = map.text().get(start..end)?;
    // An existing line suppression (read by `crate::suppress` itself, so every form it
    // accepts, `ignore PY-A1` without brackets included) is extended rather than joined
    // by a second comment.
    let existing = crate::suppress::parse(text).into_iter().find(|s| {
        s.scope != crate::suppress::Scope::File
            && text
                .get(s.start as usize..)
                .is_some_and(|t| t.starts_with(comment))
    });
    if let Some(sup) = existing {
        // A bare `vouch: ignore` already covers every rule.
        let (Some(ids), Some((_, list_end))) = (&sup.ids, sup.list) else {
            return None;
        };
        if ids.iter().any(|id| crate::config::selects(id, rule)) {
            return None;
        }
        let bracketed = text
            .get(list_end as usize..)
            .is_some_and(|t| t.starts_with(']'));
        let sep = match (ids.is_empty(), bracketed) {
            (true, _) => "",
            (false, true) => ",",
            (false, false) => ", ",
        };
        let pos = start + list_end as usize;
        return Some(TextEdit {
            range: map.range(pos, pos, enc),
            new_text: format!("{sep}{rule}"),
        });
    }
    let content = text.trim_end();
    if content.ends_with('\\') {
        let indent: String = text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let eol = if map.text().get(end..)?.starts_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        return Some(TextEdit {
            range: map.range(start, start, enc),
            new_text: format!("{indent}{comment} vouch: ignore[{rule}]{eol}"),
        });
    }
    let content_end = start + content.len();
    Some(TextEdit {
        range: map.range(content_end, end, enc),
        new_text: format!("  {comment} vouch: ignore[{rule}]"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Position;

    fn apply(text: &str, e: &TextEdit) -> String {
        let map = LineMap::new(text);
        // Test texts are ASCII, so UTF-8 columns are byte columns.
        let off = |p: lsp_types::Position| {
            let (s, _) = map.line_bounds(p.line as usize).expect("line");
            s + p.character as usize
        };
        let (s, t) = (off(e.range.start), off(e.range.end));
        format!("{}{}{}", &text[..s], e.new_text, &text[t..])
    }

    fn suppress(text: &str, line: usize, rule: &str) -> Option<String> {
        let map = LineMap::new(text);
        suppression_edit(&map, line, rule, "#", Encoding::Utf8).map(|e| apply(text, &e))
    }

    #[test]
    fn appends_a_comment_at_the_end_of_the_line() {
        assert_eq!(
            suppress("x = 1\nrun(c, shell=True)   \n", 1, "PY-S202").as_deref(),
            Some("x = 1\nrun(c, shell=True)  # vouch: ignore[PY-S202]\n")
        );
    }

    #[test]
    fn extends_an_existing_suppression() {
        assert_eq!(
            suppress("f(x)  # vouch: ignore[PY-A1]\n", 0, "PY-S202").as_deref(),
            Some("f(x)  # vouch: ignore[PY-A1,PY-S202]\n")
        );
        assert_eq!(
            suppress("f(x)  # vouch: ignore[PY-S202]\n", 0, "PY-S202"),
            None
        );
        assert_eq!(
            suppress("f(x)  # vouch: ignore[py-s2]\n", 0, "PY-S202"),
            None
        );
        assert_eq!(suppress("f(x)  # vouch: ignore\n", 0, "PY-S202"), None);
        // The forms `crate::suppress` also reads: upper case, ids without brackets.
        assert_eq!(
            suppress("f(x)  # VOUCH: IGNORE[PY-A1]\n", 0, "PY-S202").as_deref(),
            Some("f(x)  # VOUCH: IGNORE[PY-A1,PY-S202]\n")
        );
        assert_eq!(
            suppress("f(x)  # vouch: ignore PY-A1\n", 0, "PY-S202").as_deref(),
            Some("f(x)  # vouch: ignore PY-A1, PY-S202\n")
        );
        assert_eq!(
            suppress("f(x)  # vouch: ignore py-s202\n", 0, "PY-S202"),
            None
        );
        assert_eq!(
            suppress("f(x)  # vouch: ignore-file[PY-A1]\n", 0, "PY-S202").as_deref(),
            Some("f(x)  # vouch: ignore-file[PY-A1]  # vouch: ignore[PY-S202]\n")
        );
    }

    #[test]
    fn a_continued_line_gets_the_comment_above() {
        assert_eq!(
            suppress("    y = a + \\\n        b\n", 0, "PY-A1").as_deref(),
            Some("    # vouch: ignore[PY-A1]\n    y = a + \\\n        b\n")
        );
    }

    fn span(text: &str, needle: &str) -> crate::ir::Span {
        let start = text.find(needle).expect("needle") as u32;
        crate::ir::Span {
            start,
            end: start + needle.len() as u32,
            // Line/column are not used by the conversion; offsets are.
            line: 0,
            col: 0,
            end_line: 0,
            end_col: 0,
        }
    }

    /// A document with a BOM (the analysis strips it, so its offsets are 3 bytes short), a
    /// related location and a fix.
    fn analyzed() -> (Analyzed, Uri) {
        let body = "x = input()\neval(x)\n";
        let finding = Finding {
            rule: "PY-S101".into(),
            name: "eval".into(),
            cwe: vec![95],
            severity: Severity::Warning,
            path: "a.py".into(),
            span: span(body, "eval(x)"),
            message: "eval of data".into(),
            verdict: crate::finding::VerdictKind::Violated,
            witness: Some(vec![("x".into(), "'1'".into())]),
            shown: Vec::new(),
            latent: false,
            help: "use ast.literal_eval".into(),
            fix: Some(crate::finding::Fix {
                description: "use ast.literal_eval".into(),
                edits: vec![crate::finding::Edit {
                    start: span(body, "eval").start,
                    end: span(body, "eval").end,
                    replacement: "ast.literal_eval".into(),
                }],
            }),
            related: vec![crate::finding::Related {
                span: span(body, "input()"),
                message: "the data comes from here".into(),
                path: None,
            }],
            flow: Vec::new(),
        };
        let a = Analyzed {
            version: 1,
            text: Arc::from(format!("\u{feff}{body}")),
            bom: 3,
            items: vec![Item {
                link: link_for(&finding, &[]),
                finding,
            }],
            comment: "#",
        };
        (a, "file:///a.py".parse().expect("uri"))
    }

    #[test]
    fn diagnostics_carry_code_link_counterexample_and_related_spans() {
        let (a, uri) = analyzed();
        let d = &a.diagnostics(&uri, Encoding::Utf16)[0];
        assert_eq!(
            d.range,
            Range::new(Position::new(1, 0), Position::new(1, 7))
        );
        assert_eq!(d.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(d.code, Some(NumberOrString::String("PY-S101".into())));
        assert_eq!(
            d.code_description.as_ref().map(|c| c.href.as_str()),
            Some("https://cwe.mitre.org/data/definitions/95.html")
        );
        assert_eq!(
            d.message,
            "eval of data [CWE-95]\nfails when `x` = '1'\nuse ast.literal_eval"
        );
        let rel = d.related_information.as_ref().expect("related");
        // Line 0 starts with the BOM: one UTF-16 unit before `input()`.
        assert_eq!(
            rel[0].location.range,
            Range::new(Position::new(0, 5), Position::new(0, 12))
        );
        assert_eq!(rel[0].message, "the data comes from here");
    }

    #[test]
    fn a_fix_becomes_a_workspace_edit() {
        let (a, uri) = analyzed();
        let d = a.diagnostics(&uri, Encoding::Utf8);
        let actions = code_actions(&uri, &a.text, "#", Some(&a), &d, d[0].range, Encoding::Utf8);
        let titles: Vec<String> = actions
            .iter()
            .map(|x| match x {
                CodeActionOrCommand::CodeAction(c) => c.title.clone(),
                CodeActionOrCommand::Command(c) => c.title.clone(),
            })
            .collect();
        assert_eq!(
            titles,
            [
                "PY-S101: use ast.literal_eval",
                "Suppress PY-S101 on this line"
            ]
        );
        let CodeActionOrCommand::CodeAction(fix) = &actions[0] else {
            panic!("not an action")
        };
        let edits = &fix
            .edit
            .as_ref()
            .expect("edit")
            .changes
            .as_ref()
            .expect("changes")[&uri];
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(1, 0), Position::new(1, 4))
        );
        assert_eq!(edits[0].new_text, "ast.literal_eval");
        // Without an analysis of the current text, only the suppression is offered.
        let stale = code_actions(&uri, &a.text, "#", None, &d, d[0].range, Encoding::Utf8);
        assert_eq!(stale.len(), 1);
    }

    #[test]
    fn quickfix_filter_follows_the_kind_hierarchy() {
        assert!(wants_quickfix(None));
        assert!(wants_quickfix(Some(&[CodeActionKind::QUICKFIX])));
        assert!(!wants_quickfix(Some(&[CodeActionKind::REFACTOR])));
        assert!(!wants_quickfix(Some(&[CodeActionKind::SOURCE_FIX_ALL])));
    }
}
