//! `--fix` and `--diff`: the mechanical fixes rules offer, applied to files or shown.

#[path = "fixtures/binary.rs"]
mod binary;

use std::path::Path;

use binary::{reported, vouch};

const APP: &str = "import subprocess\nimport yaml\n\n\ndef count(pattern: str) -> None:\n    subprocess.run(f\"grep -c {pattern} app.log\", shell=True)\n\n\ndef load(path: str) -> dict:\n    with open(path) as fh:\n        return yaml.load(fh)\n";

/// What `APP`'s two fixes make of it.
const APP_FIXED: &str = "import subprocess\nimport yaml\n\n\ndef count(pattern: str) -> None:\n    subprocess.run([\"grep\", \"-c\", str(pattern), \"app.log\"])\n\n\ndef load(path: str) -> dict:\n    with open(path) as fh:\n        return yaml.safe_load(fh)\n";

fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.py"), text).expect("write");
    dir
}

#[test]
fn fix_renames_yaml_load_and_runs_the_command_without_a_shell() {
    let dir = project(APP);
    let out = vouch(
        dir.path(),
        &["check", "app.py", "--fix", "--format", "json"],
    );
    let fixed = std::fs::read_to_string(dir.path().join("app.py")).expect("read");
    assert_eq!(fixed, APP_FIXED);
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
    // No temporary file is left next to the source (the result cache is a directory of
    // its own, `.vouch_cache`).
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .filter(|n| n != ".vouch_cache")
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
        "-    subprocess.run(f\"grep -c {pattern} app.log\", shell=True)\n",
        "+    subprocess.run([\"grep\", \"-c\", str(pattern), \"app.log\"])\n",
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

/// `--fix` on `text` (as app.py): the fixed text and the rules still reported.
fn fixed(text: &str) -> (String, Vec<(String, u64)>) {
    let dir = project(text);
    let out = vouch(
        dir.path(),
        &["check", "app.py", "--fix", "--format", "json"],
    );
    let fixed = std::fs::read_to_string(dir.path().join("app.py")).expect("read");
    (fixed, reported(&out))
}

#[test]
fn a_shell_command_that_is_not_plain_words_gets_no_fix() {
    // Each of these would break (or change) without a shell: a pipe, a redirection, a
    // variable command, a builtin, a formatted value. The finding stays, unfixed.
    for call in [
        "subprocess.run(f\"grep {p} app.log | wc -l\", shell=True)",
        "subprocess.run(f\"grep {p} app.log > out.txt\", shell=True)",
        "subprocess.run(p, shell=True)",
        "subprocess.run(f\"cd {p}\", shell=True)",
        "subprocess.run(f\"grep {p!r} app.log\", shell=True)",
        "subprocess.run(f\"{p} --version\", shell=True)",
        "subprocess.run(f\"grep {p} app.log\", shell=True, executable=\"/bin/bash\")",
    ] {
        let text = format!("import subprocess\n\n\ndef f(p: str) -> None:\n    {call}\n");
        let (after, left) = fixed(&text);
        assert_eq!(after, text, "{call}");
        assert_eq!(left, [("PY-S202".to_string(), 5)], "{call}");
    }
}

#[test]
fn shell_true_may_come_first_and_args_by_keyword() {
    let text = "import subprocess\n\n\ndef f(p: str) -> None:\n    subprocess.run(shell=True, args=\"ls -l \" + p, check=True)\n";
    let (after, left) = fixed(text);
    assert_eq!(
        after,
        "import subprocess\n\n\ndef f(p: str) -> None:\n    subprocess.run(args=[\"ls\", \"-l\", str(p)], check=True)\n"
    );
    assert_eq!(left, []);
}

#[test]
fn fixes_never_add_an_argument_twice_or_change_the_signature() {
    // `yaml.safe_load` takes the stream only: with a Loader there is no rename.
    let text = "import yaml\n\n\ndef load(fh):\n    return yaml.load(fh, yaml.Loader)\n";
    let (after, left) = fixed(text);
    assert_eq!(after, text);
    assert_eq!(left, [("PY-S303".to_string(), 5)]);
    // `select_autoescape` needs the name `jinja2`, which this file does not bind.
    let text = "from jinja2 import Environment\n\nenv = Environment()\n";
    let (after, _) = fixed(text);
    assert_eq!(after, text);
    let text = "import jinja2\n\nenv = jinja2.Environment()\n";
    let (after, left) = fixed(text);
    assert_eq!(
        after,
        "import jinja2\n\nenv = jinja2.Environment(autoescape=jinja2.select_autoescape())\n"
    );
    assert_eq!(left, []);
}

// ---- fixed code still runs (with Python, when there is one) ----

/// `python3`, or `None` to skip: only when `CI` is unset, since CI must run these.
fn python() -> Option<&'static str> {
    let found = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && std::env::var_os("CI").is_some() {
        panic!("python3 is needed to check that fixed code runs (CI is set)");
    }
    found.then_some("python3")
}

/// Byte-compiles each file with CPython: the fixed code is still Python.
fn compile_all(py: &str, files: &[std::path::PathBuf]) {
    let script = "import sys\nfor p in sys.argv[1:]:\n    compile(open(p, encoding='utf-8').read(), p, 'exec')\n";
    let out = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "a fixed file no longer compiles: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn python_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("ls").flatten() {
        let p = e.path();
        if p.is_dir() {
            python_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

#[test]
fn every_fixed_corpus_file_still_compiles_and_loads() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut originals = Vec::new();
    python_files(&src, &mut originals);
    for p in &originals {
        let rel = p.strip_prefix(&src).expect("under corpus");
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(p, &to).expect("copy");
    }
    let out = vouch(dir.path(), &["check", ".", "--fix", "--format", "json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let mut changed = Vec::new();
    for p in &originals {
        let to = dir.path().join(p.strip_prefix(&src).expect("under corpus"));
        if std::fs::read(&to).expect("read") != std::fs::read(p).expect("read") {
            changed.push(to);
        }
    }
    // The corpus has fixable findings in many files; none fixed would mean --fix broke.
    assert!(changed.len() >= 10, "only {} files fixed", changed.len());
    compile_all(py, &changed);

    // Each fixed file still loads (top level run, third-party imports stubbed) exactly when
    // its original did: a fix that adds an argument twice or names an unbound module fails.
    let before = load_outcomes(py, &src, &originals);
    let fixed: Vec<_> = originals
        .iter()
        .map(|p| dir.path().join(p.strip_prefix(&src).expect("under corpus")))
        .collect();
    let after = load_outcomes(py, dir.path(), &fixed);
    assert_eq!(before.len(), originals.len(), "{before:?}");
    assert_eq!(after, before, "fixed corpus files load differently");
    let loaded = changed
        .iter()
        .filter(|p| {
            let rel = p.strip_prefix(dir.path()).expect("in dir");
            after.iter().any(|(r, ok)| *ok && Path::new(r) == rel)
        })
        .count();
    assert!(loaded >= 10, "only {loaded} fixed files load");
}

/// (path relative to `root`, loaded?) for each file, loaded by tests/fixtures/run_stubbed.py
/// from a scratch directory.
fn load_outcomes(py: &str, root: &Path, files: &[std::path::PathBuf]) -> Vec<(String, bool)> {
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/run_stubbed.py");
    let scratch = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(py)
        .arg(&runner)
        .args(files)
        .current_dir(scratch.path())
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (verdict, rest) = l.split_once(' ')?;
            let path = rest.split(' ').next()?;
            let rel = Path::new(path).strip_prefix(root).ok()?;
            Some((rel.to_string_lossy().into_owned(), verdict == "ok"))
        })
        .collect()
}

#[test]
fn fixed_programs_print_what_they_printed_before() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    // Self-contained and without side effects beyond `echo`: run before and after.
    let program = "import hashlib\nimport subprocess\n\n\ndef greet(name):\n    return subprocess.run(f\"echo hello {name}\", shell=True, capture_output=True, text=True).stdout\n\n\ndef tag(name, n):\n    return subprocess.check_output(\"echo \" + name + \" --count=\" + str(n), shell=True, text=True)\n\n\ndef digest(data):\n    return hashlib.md5(data).hexdigest()\n\n\nprint(greet(\"world\"), tag(\"x\", 3), digest(b\"abc\"))\n";
    let dir = project(program);
    let run = |dir: &std::path::Path| {
        let out = std::process::Command::new(py)
            .arg("app.py")
            .current_dir(dir)
            .output()
            .expect("run python3");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let before = run(dir.path());
    let out = vouch(
        dir.path(),
        &["check", "app.py", "--fix", "--format", "json"],
    );
    let after_text = std::fs::read_to_string(dir.path().join("app.py")).expect("read");
    assert!(!after_text.contains("shell=True"), "{after_text}");
    assert!(after_text.contains("usedforsecurity=False"), "{after_text}");
    assert_eq!(reported(&out), [], "{after_text}");
    assert_eq!(run(dir.path()), before, "{after_text}");
}
