//! SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).
//!
//! `tool.driver.rules` holds one entry per rule that has results, sorted by id, so the file
//! stays small and `ruleIndex` is stable for a given set of results. Locations are relative
//! URIs against `%SRCROOT%` when the file lies under the working directory (GitHub resolves
//! them against the checkout), absolute `file://` URIs otherwise.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::{LineIndex, Run, char_range, message_with_counterexample};
use crate::finding::{Finding, Severity};
use crate::rules::Rule;
use crate::rules::catalog::Catalog;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The project's home, from Cargo.toml's `repository` (omitted while that is unset).
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The run as a SARIF log, pretty-printed, with a trailing newline.
pub fn render(run: &Run, catalog: &Catalog) -> String {
    let cwd = std::env::current_dir().ok();
    render_with_root(run, catalog, cwd.as_deref())
}

/// As [`render`], with URIs made relative to `root` (tests pin it).
pub fn render_with_root(run: &Run, catalog: &Catalog, root: Option<&Path>) -> String {
    // Rule metadata: from the catalog, or from the finding itself for a rule the catalog
    // does not list (a built-in check, a rule file that was not loaded).
    let mut rules: BTreeMap<&str, RuleMeta> = BTreeMap::new();
    for (_, f) in run.findings() {
        rules
            .entry(f.rule.as_str())
            .or_insert_with(|| RuleMeta::of(catalog.get(&f.rule), f));
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();

    let mut results = Vec::new();
    for file in &run.files {
        let idx = LineIndex::new(&file.source);
        let uri = artifact(&file.report.path, root);
        let prints = file_fingerprints(file, &file.report.path);
        for (f, fingerprint) in file.report.findings.iter().zip(prints) {
            results.push(result(
                f,
                &idx,
                &uri,
                index.get(f.rule.as_str()).copied(),
                &fingerprint,
                root,
            ));
        }
    }

    let notifications: Vec<Value> = run
        .all_notes()
        .iter()
        .map(|n| {
            json!({
                "level": "note",
                "message": { "text": n.message },
                "locations": [{ "physicalLocation": { "artifactLocation": artifact(&n.path, root) } }],
            })
        })
        .collect();

    let mut driver = json!({
        "name": "vouch",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules.values().map(RuleMeta::to_json).collect::<Vec<_>>(),
    });
    if !INFORMATION_URI.is_empty() {
        driver["informationUri"] = json!(INFORMATION_URI);
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

fn result(
    f: &Finding,
    idx: &LineIndex<'_>,
    uri: &Value,
    rule_index: Option<usize>,
    fingerprint: &str,
    root: Option<&Path>,
) -> Value {
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": message_with_counterexample(f) },
        "locations": [{ "physicalLocation": physical(uri, idx, &f.span) }],
        "partialFingerprints": { "vouch/v1": fingerprint },
        "properties": {
            "verdict": f.verdict,
            "latent": f.latent,
        },
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    if let Some(w) = f.witness.as_ref() {
        let w: serde_json::Map<String, Value> =
            w.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        r["properties"]["witness"] = Value::Object(w);
    }
    if !f.related.is_empty() {
        r["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                json!({
                    "id": i,
                    "physicalLocation": related_location(uri, idx, rel, root),
                    "message": { "text": rel.message },
                })
            })
            .collect();
    }
    // The taint flow as one thread: each step, then the sink itself.
    if !f.flow.is_empty() {
        let mut steps: Vec<Value> = f
            .flow
            .iter()
            .map(|step| {
                json!({ "location": {
                    "physicalLocation": related_location(uri, idx, step, root),
                    "message": { "text": step.message },
                }})
            })
            .collect();
        steps.push(json!({ "location": {
            "physicalLocation": physical(uri, idx, &f.span),
            "message": { "text": "sink" },
        }}));
        r["codeFlows"] = json!([{ "threadFlows": [{ "locations": steps }] }]);
    }
    if let Some(fix) = &f.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                let (sl, sc) = idx.position(e.start);
                let (el, ec) = idx.position(e.end.max(e.start));
                json!({
                    "deletedRegion": { "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec },
                    "insertedContent": { "text": e.replacement },
                })
            })
            .collect();
        r["fixes"] = json!([{
            "description": { "text": fix.description },
            "artifactChanges": [{ "artifactLocation": uri, "replacements": replacements }],
        }]);
    }
    r
}

/// A related location: in the finding's file, or in the other file it names.
fn related_location(
    uri: &Value,
    idx: &LineIndex<'_>,
    rel: &crate::finding::Related,
    root: Option<&Path>,
) -> Value {
    let Some(path) = &rel.path else {
        return physical(uri, idx, &rel.span);
    };
    let (line, col, end_line, end_col) = super::foreign_range(&rel.span);
    let end_col = if end_line == line {
        end_col.max(col)
    } else {
        end_col
    };
    json!({
        "artifactLocation": artifact(path, root),
        "region": { "startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col },
    })
}

fn physical(uri: &Value, idx: &LineIndex<'_>, span: &crate::ir::Span) -> Value {
    let (line, col, end_line, end_col) = char_range(idx, span);
    // SARIF forbids an empty region ending before it starts; a zero-width span still
    // covers its start.
    let end_col = if end_line == line {
        end_col.max(col)
    } else {
        end_col.max(1)
    };
    json!({
        "artifactLocation": uri,
        "region": { "startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col },
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// GitHub sorts alerts by this: a CVSS-like score as a string.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Note => "2.0",
    }
}

/// What `rules[]` says about a rule.
struct RuleMeta {
    id: String,
    name: String,
    short: String,
    full: String,
    help_text: String,
    help_markdown: String,
    severity: Severity,
    cwe: Vec<u32>,
    category: String,
}

impl RuleMeta {
    fn of(rule: Option<&Rule>, f: &Finding) -> RuleMeta {
        match rule {
            Some(r) => {
                let full = format!("{}\n\n{}", r.docs.what.trim(), r.docs.why.trim());
                let lang = if r.language == "rust" {
                    "rust"
                } else {
                    "python"
                };
                let mut md = format!(
                    "{}\n\n{}\n\n**Example**\n\n```{lang}\n{}\n```\n\n**Fix**\n\n{}\n\n```{lang}\n{}\n```\n",
                    r.docs.what.trim(),
                    r.docs.why.trim(),
                    r.docs.example.trim_end(),
                    r.help.trim(),
                    r.docs.fix.trim_end()
                );
                if !r.references.is_empty() {
                    md.push_str("\n**References**\n\n");
                    for link in &r.references {
                        md.push_str(&format!("- {link}\n"));
                    }
                }
                RuleMeta {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    short: r.summary.clone(),
                    full,
                    help_text: format!("{}\n\n{}", r.help.trim(), r.docs.fix.trim()),
                    help_markdown: md,
                    severity: r.severity,
                    cwe: r.cwe.clone(),
                    category: r.category.clone(),
                }
            }
            None => RuleMeta {
                id: f.rule.clone(),
                name: f.name.clone(),
                short: f.name.replace('-', " "),
                full: f.message.clone(),
                help_text: f.help.clone(),
                help_markdown: f.help.clone(),
                severity: f.severity,
                cwe: f.cwe.clone(),
                category: "security".into(),
            },
        }
    }

    fn to_json(&self) -> Value {
        let mut tags: Vec<String> = Vec::new();
        tags.push(self.category.clone());
        tags.extend(self.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
        let help_text = if self.help_text.trim().is_empty() {
            self.short.clone()
        } else {
            self.help_text.clone()
        };
        json!({
            "id": self.id,
            "name": self.name,
            "shortDescription": { "text": self.short },
            "fullDescription": { "text": if self.full.trim().is_empty() { &self.short } else { &self.full } },
            "help": { "text": help_text, "markdown": if self.help_markdown.trim().is_empty() { &help_text } else { &self.help_markdown } },
            "defaultConfiguration": { "level": level(self.severity) },
            "properties": {
                "tags": tags,
                "precision": "high",
                "problem.severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Note => "recommendation" },
                "security-severity": security_severity(self.severity),
            },
        })
    }
}

/// `{"uri": "src/a.py", "uriBaseId": "%SRCROOT%"}`, or an absolute file URI for files
/// outside `root`.
fn artifact(path: &str, root: Option<&Path>) -> Value {
    let p = Path::new(path);
    let rel = if p.is_absolute() {
        root.and_then(|r| p.strip_prefix(r).ok())
    } else {
        Some(p)
    };
    match rel {
        Some(rel) => {
            let parts: Vec<String> = rel
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(s) => Some(encode(&s.to_string_lossy())),
                    std::path::Component::ParentDir => Some("..".to_string()),
                    _ => None,
                })
                .collect();
            json!({ "uri": parts.join("/"), "uriBaseId": "%SRCROOT%" })
        }
        None => {
            let parts: Vec<String> = p
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(s) => Some(encode(&s.to_string_lossy())),
                    _ => None,
                })
                .collect();
            json!({ "uri": format!("file:///{}", parts.join("/")) })
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The fingerprint of each of `file`'s findings, in order, with `path` standing for the file
/// (the baseline passes a path relative to its own location). Identical flagged lines in one
/// file are told apart by their occurrence number, so the fingerprint survives edits
/// elsewhere in the file.
pub fn file_fingerprints(file: &super::CheckedFile, path: &str) -> Vec<String> {
    let idx = LineIndex::new(&file.source);
    let mut seen: BTreeMap<(&str, String), u32> = BTreeMap::new();
    file.report
        .findings
        .iter()
        .map(|f| {
            let line_text = normalize(idx.line_text(f.span.line));
            let n = seen
                .entry((f.rule.as_str(), line_text.clone()))
                .or_insert(0);
            *n += 1;
            fingerprint(&f.rule, path, &line_text, *n)
        })
        .collect()
}

/// Whitespace-insensitive line text, so re-indenting a line keeps its fingerprint.
fn normalize(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Hex FNV-1a (two 64-bit lanes) over the rule, path, normalized line text and occurrence.
/// Hand-rolled so it never changes with a dependency update: GitHub matches alerts across
/// runs by it.
pub fn fingerprint(rule: &str, path: &str, line_text: &str, occurrence: u32) -> String {
    let path = path.replace('\\', "/");
    let data = format!("{rule}\u{0}{path}\u{0}{line_text}\u{0}{occurrence}");
    let lane = |seed: u64| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for b in data.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    format!("{:016x}{:016x}", lane(0), lane(0x9e37_79b9_7f4a_7c15))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            artifact("src/my file.py", None),
            json!({"uri": "src/my%20file.py", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("/w/p/a.py", Some(Path::new("/w"))),
            json!({"uri": "p/a.py", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("/elsewhere/a.py", Some(Path::new("/w"))),
            json!({"uri": "file:///elsewhere/a.py"})
        );
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let a = fingerprint("PY-S602", "a.py", "run(x, shell=True)", 1);
        assert_eq!(a, fingerprint("PY-S602", "a.py", "run(x, shell=True)", 1));
        assert_ne!(a, fingerprint("PY-S602", "a.py", "run(x, shell=True)", 2));
        assert_ne!(a, fingerprint("PY-S603", "a.py", "run(x, shell=True)", 1));
        assert_eq!(a.len(), 32);
        assert_eq!(normalize("  run(x,   shell=True)\t"), "run(x, shell=True)");
    }
}
