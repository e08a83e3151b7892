//! The corpus test: every file under `corpus/` marks the findings it must produce
//! (`# expect: RULE-ID, ...` / `// expect: ...`) and the lines that must stay clean
//! (`# ok: RULE-ID`). The analysis must produce exactly the expected set: a missing
//! finding and an extra finding both fail.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use vouch::analyze::{Options, analyze_module};
use vouch::lower;
use vouch::rules::catalog::Catalog;

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            corpus_files(&p, out);
        } else if lower::language_of(&p.to_string_lossy()).is_some() {
            out.push(p);
        }
    }
}

/// (line, rule) pairs named by markers of one kind (`expect` or `ok`).
fn markers(text: &str, kind: &str) -> BTreeSet<(u32, String)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        for marker in [format!("# {kind}:"), format!("// {kind}:")] {
            if let Some(pos) = line.find(&marker) {
                let rest = &line[pos + marker.len()..];
                let rest = rest.split('#').next().unwrap_or("");
                for id in rest.split(',') {
                    let id = id.trim();
                    if !id.is_empty() {
                        out.insert((i as u32 + 1, id.to_string()));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn corpus_findings_are_exactly_the_marked_ones() {
    let catalog = Catalog::builtin().expect("embedded rules load");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files = Vec::new();
    corpus_files(&root, &mut files);
    let options = Options::default();
    let mut failures = Vec::new();
    let mut expected_total = 0;
    let mut ok_total = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("corpus files are UTF-8");
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let expected = markers(&text, "expect");
        let ok = markers(&text, "ok");
        expected_total += expected.len();
        ok_total += ok.len();
        for (_, id) in expected.iter().chain(ok.iter()) {
            if catalog.get(id).is_none() {
                failures.push(format!("{rel}: marker names unknown rule {id}"));
            }
        }
        let Some(lang) = lower::language_of(&rel) else {
            continue;
        };
        // The file's real location: the import checks read the files around it.
        let on_disk = path.to_string_lossy();
        let module = lower::lower(&on_disk, lang, Arc::from(text.as_str()));
        let report = analyze_module(&module, &catalog, &options);
        let found: BTreeSet<(u32, String)> = report
            .findings
            .iter()
            .map(|f| (f.span.line, f.rule.clone()))
            .collect();
        for (line, id) in expected.difference(&found) {
            failures.push(format!("{rel}:{line}: expected {id}, not reported"));
        }
        for (line, id) in found.difference(&expected) {
            let f = report
                .findings
                .iter()
                .find(|f| f.span.line == *line && &f.rule == id);
            let msg = f.map(|f| f.message.as_str()).unwrap_or("");
            let marked_ok = ok.contains(&(*line, id.clone()));
            failures.push(format!(
                "{rel}:{line}: unexpected {id}{}: {msg}",
                if marked_ok {
                    " (line is marked ok)"
                } else {
                    ""
                }
            ));
        }
    }
    if !failures.is_empty() {
        panic!(
            "{} corpus mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    assert!(
        files.len() >= 60,
        "the corpus has only {} files",
        files.len()
    );
    assert!(
        expected_total > 0 && ok_total > 0,
        "the corpus marks no findings or no clean lines"
    );
}
