//! Snapshots of the human rendering: no colour, fixed width.

#[path = "fixtures/report_fixture.rs"]
mod fixture;

use std::sync::Arc;

use vouch::finding::{FileReport, Severity};
use vouch::report::human::{HumanOptions, render, summary_line};
use vouch::report::{CheckedFile, Run, Summary, summarize};

fn opts() -> HumanOptions {
    HumanOptions {
        color: false,
        width: 80,
        proofs: false,
        quiet: false,
    }
}

#[test]
fn findings_with_witness_shown_latent_related_multiline_and_unicode() {
    insta::assert_snapshot!("human_full", render(&fixture::run(), &opts()));
}

#[test]
fn proofs_are_listed_on_request() {
    let text = render(
        &fixture::run(),
        &HumanOptions {
            proofs: true,
            ..opts()
        },
    );
    let lines: Vec<&str> = text.lines().collect();
    let tail = &lines[lines.len().saturating_sub(3)..];
    insta::assert_snapshot!("human_proofs_tail", tail.join("\n"));
}

#[test]
fn quiet_prints_findings_only() {
    let text = render(
        &fixture::run(),
        &HumanOptions {
            quiet: true,
            ..opts()
        },
    );
    assert!(text.contains("PY-S602 · CWE-78"));
    assert!(!text.contains("note:"));
    assert!(!text.contains("site proved safe"));
}

#[test]
fn crlf_source_renders_like_lf() {
    let lf = fixture::SOURCE;
    let crlf = lf.replace('\n', "\r\n");
    let mut finding = fixture::findings().remove(1);
    finding.span = fixture::span_of(&crlf, "shell=use_shell", 0);
    finding.fix = None;
    finding.related.clear();
    let files = vec![CheckedFile {
        report: FileReport {
            path: fixture::PATH.into(),
            lines: 20,
            findings: vec![finding],
            ..FileReport::default()
        },
        source: Arc::from(crlf.as_str()),
    }];
    let summary = summarize(&files, 3);
    let run = Run {
        files,
        notes: vec![],
        summary,
    };
    let text = render(&run, &opts());
    assert!(!text.contains('\r'), "{text:?}");
    insta::assert_snapshot!("human_crlf", text);
}

#[test]
fn spans_past_the_end_or_inside_a_character_do_not_panic() {
    let mut f = fixture::findings().remove(2);
    f.span.start = 10_000;
    f.span.end = 20_000;
    let mut g = fixture::findings().remove(2);
    // Inside the two bytes of `é`.
    let e = fixture::SOURCE.find('é').expect("é") as u32;
    g.span.start = e + 1;
    g.span.end = e + 1;
    let files = vec![CheckedFile {
        report: FileReport {
            path: fixture::PATH.into(),
            findings: vec![f, g],
            ..FileReport::default()
        },
        source: Arc::from(fixture::SOURCE),
    }];
    let run = Run {
        summary: summarize(&files, 0),
        files,
        notes: vec![],
    };
    let text = render(&run, &opts());
    assert_eq!(text.matches("PY-Z001").count(), 2);
}

#[test]
fn summary_line_counts_and_plurals() {
    let s = Summary {
        files: 1,
        lines: 1,
        findings: 1,
        errors: 1,
        proved: 1,
        elapsed_ms: 5,
        ..Summary::default()
    };
    assert_eq!(
        summary_line(&s),
        "1 finding (1 error, 0 warnings) in 1 file (1 line); 1 site proved safe, 0 unknown; 5 ms"
    );
    let run = fixture::run();
    assert_eq!(run.summary.errors, 1);
    assert_eq!(run.summary.warnings, 2);
    assert_eq!(run.summary.notes, 1);
    assert_eq!(run.worst(), Some(Severity::Error));
}

#[test]
fn many_notes_for_one_file_are_capped() {
    let files = vec![CheckedFile {
        report: FileReport {
            path: "noisy.py".into(),
            notes: (1..=5).map(|i| format!("problem {i}")).collect(),
            ..FileReport::default()
        },
        source: Arc::from(""),
    }];
    let run = Run {
        summary: summarize(&files, 1),
        files,
        notes: vec![],
    };
    let text = render(&run, &opts());
    insta::assert_snapshot!("human_notes_capped", text);
}

#[test]
fn fail_level_decides_the_exit_code() {
    use vouch::cli::exit_code;
    let run = fixture::run();
    // The fixture's worst finding is an error.
    assert_eq!(exit_code(&run, Severity::Error), 1);
    assert_eq!(exit_code(&run, Severity::Warning), 1);
    let mut notes_only = fixture::run();
    for f in &mut notes_only.files[0].report.findings {
        f.severity = Severity::Note;
    }
    assert_eq!(exit_code(&notes_only, Severity::Warning), 0);
    assert_eq!(exit_code(&notes_only, Severity::Note), 1);
    assert_eq!(exit_code(&Run::default(), Severity::Note), 0);
}
