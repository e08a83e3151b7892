//! Suppression comments: which findings they hide, and unused ones reported as VCH-001.

#[path = "fixtures/binary.rs"]
mod binary;

use vouch::config::{Config, RuleFilter};
use vouch::driver::{self, DriverOptions, Input};
use vouch::rules::catalog::Catalog;

fn catalog() -> Catalog {
    match Catalog::builtin() {
        Ok(c) => c,
        Err(e) => panic!("builtin rules: {e:?}"),
    }
}

/// (rule, line) of every finding in `text`, checked as `a.py` with the given filter.
fn findings_with(text: &str, select: &[&str], ignore: &[&str]) -> Vec<(String, u32)> {
    let cfg = Config::empty(std::env::temp_dir());
    let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let filter = RuleFilter::new(&cfg, &v(select), &v(ignore)).expect("filter");
    let options = DriverOptions {
        filter,
        threads: 1,
        ..DriverOptions::default()
    };
    let run = driver::check(
        vec![Input::Text {
            path: "a.py".into(),
            bytes: text.as_bytes().to_vec(),
        }],
        &catalog(),
        &options,
    );
    run.findings()
        .map(|(_, f)| (f.rule.clone(), f.span.line))
        .collect()
}

fn findings(text: &str) -> Vec<(String, u32)> {
    findings_with(text, &[], &[])
}

fn pair(rule: &str, line: u32) -> (String, u32) {
    (rule.to_string(), line)
}

const HEADER: &str = "import subprocess\nimport yaml\n\n\ndef run(cmd: str, fh) -> None:\n";

#[test]
fn unsuppressed_findings_are_reported() {
    let text = format!("{HEADER}    subprocess.run(cmd, shell=True)\n    return yaml.load(fh)\n");
    assert_eq!(
        findings(&text),
        [pair("PY-S202", 6), pair("PY-S303", 7)],
        "the baseline this file's other tests rely on"
    );
}

#[test]
fn trailing_comment_hides_the_finding() {
    let text = format!(
        "{HEADER}    subprocess.run(cmd, shell=True)  # vouch: ignore[PY-S202]\n    return yaml.load(fh)\n"
    );
    assert_eq!(findings(&text), [pair("PY-S303", 7)]);
}

#[test]
fn comment_on_the_line_above_hides_the_finding() {
    let text = format!(
        "{HEADER}    # vouch: ignore[PY-S202]\n    # why: the command is a constant in production\n    subprocess.run(cmd, shell=True)\n    return yaml.load(fh)\n"
    );
    assert_eq!(findings(&text), [pair("PY-S303", 9)]);
}

#[test]
fn bare_ignore_hides_everything_on_its_line_only() {
    let text = format!(
        "{HEADER}    subprocess.run(cmd, shell=True)  # vouch: ignore\n    return yaml.load(fh)\n"
    );
    assert_eq!(findings(&text), [pair("PY-S303", 7)]);
}

#[test]
fn upper_case_marker_and_lower_case_ids_suppress() {
    let text = format!(
        "{HEADER}    subprocess.run(cmd, shell=True)  # VOUCH: IGNORE[py-s202]\n    return yaml.load(fh)\n"
    );
    assert_eq!(findings(&text), [pair("PY-S303", 7)]);
}

#[test]
fn ids_without_brackets_hide_only_those_rules() {
    // Both findings on one line; the comment names one of them.
    let text = format!(
        "{HEADER}    subprocess.run(cmd, shell=True); yaml.load(fh)  # vouch: ignore PY-S202\n"
    );
    assert_eq!(findings(&text), [pair("PY-S303", 6)]);
    let text = format!(
        "{HEADER}    subprocess.run(cmd, shell=True); yaml.load(fh)  # vouch: ignore py-s202, PY-S303\n"
    );
    assert_eq!(findings(&text), []);
    // An id without brackets that hides nothing is reported like a bracketed one.
    let text = format!("{HEADER}    x = 1  # vouch: ignore PY-S202\n    return x\n");
    assert_eq!(findings(&text), [pair("VCH-001", 6)]);
}

#[test]
fn file_level_suppression_anywhere_in_the_file() {
    let text = format!(
        "{HEADER}    subprocess.run(cmd, shell=True)\n    return yaml.load(fh)\n\n# vouch: ignore-file[PY-S303]\n"
    );
    assert_eq!(findings(&text), [pair("PY-S202", 6)]);
}

#[test]
fn prefixes_and_lists_match() {
    let text = format!(
        "{HEADER}    subprocess.run(cmd, shell=True)  # vouch: ignore[PY-S2]\n    return yaml.load(fh)  # vouch: ignore[py-s9, PY-S30]\n"
    );
    // PY-S9 hid nothing on line 7 and is reported; PY-S30 was used.
    assert_eq!(findings(&text), [pair("VCH-001", 7)]);
}

#[test]
fn rust_comment_syntax_is_recognised() {
    use vouch::finding::{FileReport, Finding, Severity, VerdictKind};
    // Rust files are not analyzed yet, so the finding is made by hand: the suppression
    // scanner works on text lines and does not care which language produced the finding.
    let text = "fn f(a: u32) -> u32 {\n    // vouch: ignore[RS-A]\n    a / 0\n    a + 1 // vouch: ignore[RS-A001]\n}\n";
    let finding = |line: u32| Finding {
        rule: "RS-A001".into(),
        name: "division-by-zero".into(),
        cwe: vec![369],
        severity: Severity::Error,
        path: "lib.rs".into(),
        span: vouch::ir::Span {
            line,
            col: 5,
            end_line: line,
            end_col: 10,
            ..Default::default()
        },
        message: "m".into(),
        verdict: VerdictKind::Violated,
        witness: None,
        shown: vec![],
        latent: false,
        help: String::new(),
        fix: None,
        related: vec![],
        flow: Vec::new(),
    };
    let mut report = FileReport {
        path: "lib.rs".into(),
        findings: vec![finding(3), finding(4)],
        ..FileReport::default()
    };
    let cfg = Config::empty(std::env::temp_dir());
    let filter = RuleFilter::new(&cfg, &[], &[]).expect("filter");
    vouch::suppress::apply(&mut report, text, &catalog(), &filter);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn unused_suppression_is_reported_with_a_removal_fix() {
    let text = format!("{HEADER}    x = 1  # vouch: ignore[PY-S202]\n    return x\n");
    let cfg = Config::empty(std::env::temp_dir());
    let filter = RuleFilter::new(&cfg, &[], &[]).expect("filter");
    let options = DriverOptions {
        filter,
        threads: 1,
        ..DriverOptions::default()
    };
    let run = driver::check(
        vec![Input::Text {
            path: "a.py".into(),
            bytes: text.as_bytes().to_vec(),
        }],
        &catalog(),
        &options,
    );
    let all: Vec<_> = run.findings().collect();
    assert_eq!(all.len(), 1);
    let (_, f) = all[0];
    assert_eq!(
        (f.rule.as_str(), f.name.as_str()),
        ("VCH-001", "unused-suppression")
    );
    assert_eq!(f.severity, vouch::finding::Severity::Warning);
    assert!(f.message.contains("PY-S202"), "{}", f.message);
    let fix = f.fix.as_ref().expect("a removal fix");
    let mut fixed = text.clone();
    for e in &fix.edits {
        fixed.replace_range(e.start as usize..e.end as usize, &e.replacement);
    }
    assert!(fixed.contains("    x = 1\n"), "{fixed}");
    assert_eq!(run.summary.warnings, 1);
}

#[test]
fn unknown_ids_are_reported_but_disabled_rules_are_not() {
    let text = format!(
        "{HEADER}    x = 1  # vouch: ignore[PY-NOPE]\n    y = 2  # vouch: ignore[PY-S303]\n    return x + y\n"
    );
    assert_eq!(findings(&text), [pair("VCH-001", 6), pair("VCH-001", 7)]);
    // With PY-S303 turned off the second comment may still be needed later: not reported.
    assert_eq!(
        findings_with(&text, &[], &["PY-S303"]),
        [pair("VCH-001", 6)]
    );
    // An empty list hides nothing and says so.
    assert_eq!(findings("x = 1  # vouch: ignore[]\n"), [pair("VCH-001", 1)]);
    // With VCH-001 itself ignored nothing is reported.
    assert!(findings_with(&text, &[], &["VCH"]).is_empty());
}

#[test]
fn unused_suppression_reports_can_themselves_be_suppressed() {
    let text = "# Examples of the syntax, kept on purpose.\n# vouch: ignore-file[VCH-001]\nx = 1  # vouch: ignore[PY-S202]\n";
    assert_eq!(findings(text), []);
    // Without anything to hide, the VCH-001 suppression is itself unused.
    assert_eq!(
        findings("# vouch: ignore-file[VCH-001]\nx = 1\n"),
        [pair("VCH-001", 1)]
    );
}

// ---- baselines (through the binary, as CI uses them) ----

mod baseline {

    use super::binary::{reported, vouch};

    const APP: &str =
        "import subprocess\n\n\ndef run(cmd: str) -> None:\n    subprocess.run(cmd, shell=True)\n";

    #[test]
    fn known_findings_stay_hidden_after_edits_above_and_new_ones_show() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir(root.join("src")).expect("mkdir");
        std::fs::write(root.join("src/app.py"), APP).expect("write");

        let out = vouch(
            root,
            &["check", "src", "--write-baseline", "vouch-baseline.json"],
        );
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let text = std::fs::read_to_string(root.join("vouch-baseline.json")).expect("baseline");
        let b: serde_json::Value = serde_json::from_str(&text).expect("baseline json");
        assert_eq!(b["version"], 1);
        let entries = b["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), 1, "{text}");
        assert_eq!(entries[0]["rule"], "PY-S202");
        assert_eq!(entries[0]["path"], "src/app.py");
        assert_eq!(entries[0]["count"], 1);
        assert!(
            !text.contains("\"line\""),
            "keyed without line numbers: {text}"
        );

        // Lines added above and the flagged line re-indented: still the same finding.
        let edited = format!(
            "import os\n# a comment\n\n{}",
            APP.replace(
                "    subprocess.run(cmd, shell=True)",
                "    if os.environ:\n        subprocess.run(cmd,  shell=True)"
            )
        );
        std::fs::write(root.join("src/app.py"), &edited).expect("write");
        let args = [
            "check",
            "src",
            "--format",
            "json",
            "--baseline",
            "vouch-baseline.json",
        ];
        let out = vouch(root, &args);
        assert_eq!(
            reported(&out),
            [],
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(out.status.code(), Some(0));

        // Run from another directory: paths are relative to the baseline file.
        let out = vouch(
            &root.join("src"),
            &[
                "check",
                ".",
                "--format",
                "json",
                "--baseline",
                "../vouch-baseline.json",
            ],
        );
        assert_eq!(reported(&out), []);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(doc["summary"]["baselined"], 1, "the run says what it hid");
        let human = vouch(root, &["check", "src", "--baseline", "vouch-baseline.json"]);
        let text = String::from_utf8_lossy(&human.stdout);
        assert!(
            text.contains("0 findings (0 errors, 0 warnings), 1 hidden by the baseline"),
            "{text}"
        );

        // A second copy of the bad line is new and shows.
        let more = format!("{edited}    subprocess.run(cmd, shell=True)\n");
        std::fs::write(root.join("src/app.py"), &more).expect("write");
        let out = vouch(root, &args);
        assert_eq!(reported(&out), [("PY-S202".to_string(), 10)]);
        assert_eq!(out.status.code(), Some(1));
    }

    #[test]
    fn bad_baseline_is_a_usage_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::write(root.join("app.py"), APP).expect("write");
        std::fs::write(
            root.join("b.json"),
            "{\"version\": 1, \"entries\": [{\"rule\": 1}]}",
        )
        .expect("write");
        let out = vouch(root, &["check", "app.py", "--baseline", "b.json"]);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("vouch::baseline"), "{err}");
        assert!(err.contains("b.json"), "{err}");
        let out = vouch(root, &["check", "app.py", "--baseline", "missing.json"]);
        assert_eq!(out.status.code(), Some(2));
    }
}

/// Rust files take `//` suppressions, by rule id or prefix, for the Rust rules.
#[test]
fn rust_suppressions_hide_rust_findings() {
    let cfg = Config::empty(std::env::temp_dir());
    let options = DriverOptions {
        filter: RuleFilter::new(&cfg, &[], &[]).expect("filter"),
        threads: 1,
        ..DriverOptions::default()
    };
    // Public: a private function's latent warnings are judged at its calls instead.
    let text = "pub fn left(stock: u32, ordered: u32) -> u32 {\n    stock - ordered // vouch: ignore[RS-A001]\n}\n\
                pub fn avg(total: u64, n: u64) -> u64 {\n    total / n\n}\n";
    let run = driver::check(
        vec![Input::Text {
            path: "lib.rs".into(),
            bytes: text.as_bytes().to_vec(),
        }],
        &catalog(),
        &options,
    );
    let found: Vec<(String, u32)> = run
        .findings()
        .map(|(_, f)| (f.rule.clone(), f.span.line))
        .collect();
    assert_eq!(found, [pair("RS-A002", 5)]);
}
