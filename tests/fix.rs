//! `--fix` and `--diff`: the mechanical fixes rules offer, applied to files or shown.

#[path = "fixtures/binary.rs"]
mod binary;

use binary::{reported, vouch};

const APP: &str = "import subprocess\nimport yaml\n\n\ndef run(cmd: str) -> None:\n    subprocess.run(cmd, shell=True)\n\n\ndef load(path: str) -> dict:\n    with open(path) as fh:\n        return yaml.load(fh)\n";

fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.py"), text).expect("write");
    dir
}

#[test]
fn fix_renames_yaml_load_and_sets_shell_false() {
    let dir = project(APP);
    let out = vouch(
        dir.path(),
        &["check", "app.py", "--fix", "--format", "json"],
    );
    let fixed = std::fs::read_to_string(dir.path().join("app.py")).expect("read");
    assert_eq!(
        fixed,
        APP.replace("yaml.load(fh)", "yaml.safe_load(fh)")
            .replace("shell=True", "shell=False")
    );
    // Only what remains is reported: both findings were fixed.
    assert_eq!(
        reported(&out),
        [],
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("applied 2 fixes"), "{err}");
    // No temporary file is left next to the source.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert_eq!(names, ["app.py"]);
}

#[test]
fn fix_reports_findings_that_have_no_fix() {
    let text = format!("{APP}\n\ndef ratio(items: list) -> float:\n    return 1 / len([])\n");
    let dir = project(&text);
    let out = vouch(
        dir.path(),
        &["check", "app.py", "--fix", "--format", "json"],
    );
    let fixed = std::fs::read_to_string(dir.path().join("app.py")).expect("read");
    assert!(fixed.contains("yaml.safe_load(fh)"), "{fixed}");
    // The division has no mechanical fix: it is still reported, at its line.
    assert_eq!(reported(&out), [("PY-A001".to_string(), 15)]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn diff_shows_the_fixes_and_changes_nothing() {
    let dir = project(APP);
    let out = vouch(dir.path(), &["check", "app.py", "--diff"]);
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.starts_with("--- a/app.py\n+++ b/app.py\n@@ "),
        "{diff}"
    );
    for line in [
        "-    subprocess.run(cmd, shell=True)\n",
        "+    subprocess.run(cmd, shell=False)\n",
        "-        return yaml.load(fh)\n",
        "+        return yaml.safe_load(fh)\n",
    ] {
        assert!(diff.contains(line), "{line:?} missing in\n{diff}");
    }
    assert_eq!(out.status.code(), Some(1), "changes pending: exit 1");
    let unchanged = std::fs::read_to_string(dir.path().join("app.py")).expect("read");
    assert_eq!(unchanged, APP);

    // Nothing to fix: empty diff, exit 0.
    let clean = project("x = 1\n");
    let out = vouch(clean.path(), &["check", "app.py", "--diff"]);
    assert!(out.stdout.is_empty());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_file_changed_since_it_was_read_is_left_alone() {
    let dir = project(APP);
    let path = dir.path().join("app.py");
    // The analysis saw `APP`; someone saved another version before the fix was written.
    let edited = APP.replace("import yaml\n", "import yaml  # edited\n");
    std::fs::write(&path, &edited).expect("write");
    let new_text = APP.replace("yaml.load(fh)", "yaml.safe_load(fh)");
    let got = vouch::fix::write_if_unchanged(&path, APP, &new_text);
    assert_eq!(got, Err(vouch::fix::NotWritten::Changed));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), edited);
    // With the text it really holds, the write goes through (and keeps a BOM).
    std::fs::write(&path, format!("\u{feff}{APP}")).expect("write");
    assert_eq!(
        vouch::fix::write_if_unchanged(&path, APP, &new_text),
        Ok(())
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        format!("\u{feff}{new_text}")
    );
}

#[test]
fn unused_suppressions_are_removed_by_fix() {
    let dir = project("x = 1  # vouch: ignore[PY-S202]\n# vouch: ignore\ny = 2\n");
    let out = vouch(
        dir.path(),
        &["check", "app.py", "--fix", "--format", "json"],
    );
    assert_eq!(reported(&out), []);
    let fixed = std::fs::read_to_string(dir.path().join("app.py")).expect("read");
    assert_eq!(fixed, "x = 1\ny = 2\n");
}
