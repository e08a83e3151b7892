//! End-to-end tests of the `vouch` binary: exit codes, formats, stdin, configuration, bad
//! input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Generous: a debug build on a loaded two-core machine.
const TIMEOUT: Duration = Duration::from_secs(120);

fn vouch() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vouch"));
    c.env("NO_COLOR", "1").env_remove("COLUMNS");
    c
}

/// Runs to completion (or fails the test on timeout), feeding `stdin` when given.
fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = vouch();
    cmd.current_dir(dir)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn vouch");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(bytes).expect("write stdin");
    }
    // Drain the pipes on threads so a large report cannot block the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).map(|_| v)
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).map(|_| v)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("vouch {args:?} did not finish in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: t_out.join().expect("join").expect("read stdout"),
        stderr: t_err.join().expect("join").expect("read stderr"),
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_in(dir, args, None)
}

fn code(o: &Output) -> i32 {
    // A signal (crash, stack overflow abort) has no code: fail loudly.
    o.status.code().unwrap_or_else(|| {
        panic!(
            "vouch was killed by a signal: {}",
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(o), stderr(o)))
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, bytes).expect("write");
    p
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

fn finding_rules(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

const CLEAN: &str = "def add(a, b):\n    return a + b\n";

const SHELL: &str = "import subprocess\nfrom flask import request\n\n\ndef main():\n    cmd = request.args[\"cmd\"]\n    subprocess.run(cmd, shell=True)\n";

// ---------------------------------------------------------------- usage and errors

#[test]
fn missing_path_exits_2_and_names_it() {
    let d = tmp();
    let o = run(d.path(), &["check", "no/such/file.py"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no/such/file.py"), "{}", stderr(&o));
}

#[test]
fn usage_error_exits_2() {
    let d = tmp();
    assert_eq!(code(&run(d.path(), &["check", "--format", "xml"])), 2);
    assert_eq!(code(&run(d.path(), &["frobnicate"])), 2);
    assert_eq!(code(&run(d.path(), &["check", "--stdin", "a.py"])), 2);
}

#[test]
fn help_and_version_exit_0() {
    let d = tmp();
    let o = run(d.path(), &["--version"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains(env!("CARGO_PKG_VERSION")));
    let o = run(d.path(), &["check", "--help"]);
    assert_eq!(code(&o), 0);
    for flag in [
        "--format",
        "--stdin",
        "--stdin-filename",
        "--select",
        "--ignore",
        "--no-cache",
        "--config",
        "--proofs",
        "--force-exclude",
        "--fail-level",
        "--output",
        "--threads",
        "--quiet",
    ] {
        assert!(stdout(&o).contains(flag), "help lacks {flag}");
    }
}

#[test]
fn unknown_config_key_exits_2_naming_it() {
    let d = tmp();
    write(d.path(), "vouch.toml", "selct = [\"PY-S\"]\n");
    write(d.path(), "a.py", CLEAN);
    let o = run(d.path(), &["check", "."]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("unknown key `selct`"), "{err}");
    assert!(err.contains("did you mean `select`?"), "{err}");
    // The snippet of the file is shown with a label on the key.
    assert!(err.contains("selct = [\"PY-S\"]"), "{err}");
    assert!(err.contains("vouch.toml"), "{err}");
}

#[test]
fn wrong_type_in_pyproject_exits_2() {
    let d = tmp();
    write(
        d.path(),
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.vouch]\nfail-level = 3\n",
    );
    write(d.path(), "a.py", CLEAN);
    let o = run(d.path(), &["check", "a.py"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("pyproject.toml"), "{err}");
    assert!(err.contains("fail-level = 3"), "{err}");
}

#[test]
fn bad_target_python_and_severity_exit_2() {
    let d = tmp();
    write(d.path(), "a.py", CLEAN);
    let cfg = write(d.path(), "conf/vouch.toml", "target-python = \"2.7\"\n");
    let o = run(
        d.path(),
        &["check", "--config", cfg.to_str().expect("utf8"), "a.py"],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("2.7"), "{}", stderr(&o));
    write(
        d.path(),
        "conf/vouch.toml",
        "[severity]\nPY-S202 = \"fatal\"\n",
    );
    let o = run(
        d.path(),
        &["check", "--config", cfg.to_str().expect("utf8"), "a.py"],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("fatal"), "{}", stderr(&o));
}

#[test]
fn missing_config_file_exits_2() {
    let d = tmp();
    write(d.path(), "a.py", CLEAN);
    let o = run(d.path(), &["check", "--config", "nope.toml", "a.py"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("nope.toml"));
}

// ---------------------------------------------------------------- rules and explain

fn rules_json() -> Vec<Value> {
    let d = tmp();
    let o = run(d.path(), &["rules", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    json(&o).as_array().expect("array").clone()
}

#[test]
fn rules_json_lists_every_rule_with_its_fields() {
    let rules = rules_json();
    assert!(!rules.is_empty(), "no rules");
    for r in &rules {
        assert!(r["id"].is_string() && r["name"].is_string() && r["summary"].is_string());
        assert!(
            r["cwe"]
                .as_array()
                .is_some_and(|c| c.iter().all(Value::is_u64))
        );
        assert!(["error", "warning", "note"].contains(&r["severity"].as_str().unwrap_or("")));
        assert!(r["category"].is_string());
    }
    let d = tmp();
    let o = run(d.path(), &["rules"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains(rules[0]["id"].as_str().expect("id")));
}

#[test]
fn explain_known_and_unknown_ids() {
    let rules = rules_json();
    let id = rules[0]["id"].as_str().expect("id").to_string();
    let d = tmp();
    let o = run(d.path(), &["explain", &id]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains(&id));
    // Case does not matter.
    assert_eq!(code(&run(d.path(), &["explain", &id.to_lowercase()])), 0);

    let o = run(d.path(), &["explain", "PY-NOPE999"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("unknown rule `PY-NOPE999`"),
        "{}",
        stderr(&o)
    );
    // A near miss gets a suggestion: drop the last character of a real id.
    let near = &id[..id.len() - 1];
    let o = run(d.path(), &["explain", &format!("{near}X")]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("did you mean"), "{}", stderr(&o));
}

const USER_RULE: &str = r#"
[[rule]]
id = "PY-X901"
name = "internal-danger-call"
cwe = [676]
severity = "warning"
summary = "calls mylib.danger"
message = "`{callee}` is banned here"
help = "Use `mylib.safe` instead."

[rule.match]
calls = ["mylib.danger"]

[rule.docs]
what = "Calls to `mylib.danger`."
why = "It deletes things."
example = '''
import mylib
mylib.danger()
'''
fix = '''
import mylib
mylib.safe()
'''
"#;

#[test]
fn rules_path_adds_user_rules() {
    let d = tmp();
    write(
        d.path(),
        "vouch.toml",
        "rules-path = [\"rules/mine.toml\"]\n",
    );
    write(d.path(), "rules/mine.toml", USER_RULE);
    let o = run(d.path(), &["rules", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        json(&o)
            .as_array()
            .expect("array")
            .iter()
            .any(|r| r["id"] == "PY-X901")
    );
    let o = run(d.path(), &["explain", "PY-X901"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("internal-danger-call"));
    write(d.path(), "a.py", CLEAN);
    let o = run(d.path(), &["check", "--select", "PY-X901", "a.py"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));

    // A broken rule file is a configuration error.
    write(d.path(), "rules/mine.toml", "[[rule]]\nid = 3\n");
    let o = run(d.path(), &["check", "a.py"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("mine.toml"), "{}", stderr(&o));
}

/// The README's minimal user rule (no `[rule.docs]`) loads and reports, exactly as printed.
#[test]
fn readme_minimal_user_rule_works() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let after = readme
        .split("### Your own rules")
        .nth(1)
        .expect("a section on user rules");
    let rule = after
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a toml example");
    assert!(
        !rule.contains("[rule.docs]"),
        "the example is the minimal one"
    );
    let d = tmp();
    write(d.path(), "vouch.toml", "rules-path = [\"ci/acme.toml\"]\n");
    write(d.path(), "ci/acme.toml", rule);
    write(
        d.path(),
        "deploy.py",
        "import acme\n\n\ndef go():\n    acme.deploy(\"make all\", shell=True)\n",
    );
    let o = run(d.path(), &["check", "deploy.py", "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(finding_rules(&json(&o)), ["ACME-S001"]);
    let o = run(d.path(), &["explain", "ACME-S001"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("acme.deploy with shell=True"),
        "{}",
        stdout(&o)
    );
}

// ---------------------------------------------------------------- check: formats and I/O

#[test]
fn clean_project_exits_0_in_every_format() {
    let d = tmp();
    write(d.path(), "pkg/a.py", CLEAN);
    write(d.path(), "pkg/b.py", CLEAN);
    let o = run(d.path(), &["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 findings (0 errors, 0 warnings) in 2 files (4 lines)"),
        "{}",
        stdout(&o)
    );

    let o = run(d.path(), &["check", "pkg", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let doc = json(&o);
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["lines"], 4);
    assert!(doc["findings"].as_array().is_some_and(Vec::is_empty));

    let o = run(d.path(), &["check", "--format", "sarif"]);
    assert_eq!(code(&o), 0);
    let doc = json(&o);
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(doc["runs"][0]["tool"]["driver"]["name"], "vouch");

    let o = run(d.path(), &["check", "--format", "github"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).lines().all(|l| l.starts_with("::")));
}

#[test]
fn output_flag_writes_the_file() {
    let d = tmp();
    write(d.path(), "a.py", CLEAN);
    let o = run(
        d.path(),
        &[
            "check",
            "a.py",
            "--format",
            "json",
            "--output",
            "out/r.json",
        ],
    );
    // The directory does not exist: an I/O error, exit 2, naming the file.
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("out/r.json"));
    let o = run(
        d.path(),
        &["check", "a.py", "--format", "json", "-o", "r.json"],
    );
    assert_eq!(code(&o), 0);
    assert!(o.stdout.is_empty());
    let doc: Value =
        serde_json::from_slice(&std::fs::read(d.path().join("r.json")).expect("report"))
            .expect("json");
    assert_eq!(doc["summary"]["files"], 1);
}

#[test]
fn stdin_is_reported_under_its_name() {
    let d = tmp();
    let o = run_in(
        d.path(),
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "src/app.py",
            "--format",
            "json",
        ],
        Some(CLEAN.as_bytes()),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["summary"]["lines"], 2);
    // No name: still analyzed, as Python.
    let o = run_in(
        d.path(),
        &["check", "--stdin"],
        Some(b"\xef\xbb\xbfx = 1\r\n"),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("in 1 file (1 line)"), "{}", stdout(&o));
    // A name without an extension: Python too.
    let crash = b"def f():\n    return 1 / 0\n";
    let o = run_in(
        d.path(),
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "script",
            "--format",
            "json",
        ],
        Some(crash),
    );
    assert_eq!(json(&o)["summary"]["files"], 1, "{}", stderr(&o));
}

#[test]
fn stdin_named_as_another_language_is_skipped_with_a_note() {
    let d = tmp();
    // Text that would be a finding if it were read as Python.
    let text = b"release notes: subprocess.run(cmd, shell=True)\nx = 1 / 0\n";
    let o = run_in(
        d.path(),
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "notes.txt",
            "--format",
            "json",
        ],
        Some(text),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["summary"]["files"], 0, "{doc}");
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(0));
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("notes.txt") && notes.contains("skipped"),
        "{notes}"
    );
}

#[test]
fn bad_files_do_not_stop_the_others() {
    let d = tmp();
    let root = d.path();
    write(root, "ok.py", CLEAN);
    write(
        root,
        "binary.py",
        [0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 0xff, 0xfe, 0],
    );
    write(root, "latin1.py", b"name = 'caf\xe9'\n");
    write(root, "empty.py", b"");
    write(root, "bom.py", b"\xef\xbb\xbfx = 1\n");
    write(root, "crlf.py", b"def f(a):\r\n    return a\r\n");
    let depth = 20_000;
    write(
        root,
        "deep_parens.py",
        format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth)),
    );
    write(
        root,
        "deep_lists.py",
        format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    );
    write(
        root,
        "long_sum.py",
        format!("x = 1{}\n", " + 1".repeat(depth)),
    );
    write(
        root,
        "deep_calls.py",
        format!("x = {}0{}\n", "f(".repeat(depth), ")".repeat(depth)),
    );
    write(root, "unclosed.py", format!("x = {}\n", "(".repeat(depth)));
    write(root, "syntax.py", "def broken(:\n    return 1\nclass\n");

    let o = run(root, &["check", ".", "--format", "json"]);
    let c = code(&o);
    assert!(c == 0 || c == 1, "exit {c}: {}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["summary"]["files"], 12, "{doc}");
    let notes: Vec<String> = doc["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| {
            format!(
                "{}: {}",
                n["path"].as_str().unwrap_or(""),
                n["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("binary.py: ") && n.contains("binary")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n == "latin1.py: not valid UTF-8; read lossily"),
        "{notes:?}"
    );
    assert!(
        !notes.iter().any(|n| n.contains("internal error")),
        "{notes:?}"
    );

    // The human format copes with the same files.
    let o = run(root, &["check", "."]);
    let c = code(&o);
    assert!(c == 0 || c == 1, "exit {c}: {}", stderr(&o));
    assert!(stdout(&o).contains("in 12 files"), "{}", stdout(&o));
}

#[test]
fn huge_files_are_skipped_and_large_ones_analyzed() {
    let d = tmp();
    let root = d.path();
    // 21 MB: over the limit, skipped with a note without being read.
    let line = "value = 1234567890  # padding padding padding padding padding padding\n";
    let huge = line.repeat(21 * 1024 * 1024 / line.len() + 1);
    write(root, "huge.py", &huge);
    // ~1 MB of ordinary code: analyzed.
    let big: String = (0..20_000)
        .map(|i| format!("def f{i}(a, b):\n    return a + b + {i}\n"))
        .collect();
    write(root, "big.py", &big);
    let o = run(root, &["check", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["lines"], 40_000);
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("huge.py") && notes.contains("limit"),
        "{notes}"
    );
}

#[test]
fn one_thread_and_many_give_the_same_report() {
    let d = tmp();
    for i in 0..12 {
        write(
            d.path(),
            &format!("m{i:02}.py"),
            format!("{SHELL}\nx{i} = {i}\n"),
        );
    }
    let strip = |mut v: Value| {
        v["summary"]["elapsed_ms"] = Value::Null;
        v
    };
    let one = strip(json(&run(
        d.path(),
        &["check", "--format", "json", "--threads", "1"],
    )));
    let many = strip(json(&run(
        d.path(),
        &["check", "--format", "json", "--threads", "4"],
    )));
    assert_eq!(one, many);
}

#[test]
fn gitignore_config_excludes_and_force_exclude() {
    let d = tmp();
    let root = d.path();
    write(root, ".gitignore", "ignored.py\n");
    write(root, "vouch.toml", "extend-exclude = [\"generated\"]\n");
    write(root, "kept.py", CLEAN);
    write(root, "ignored.py", CLEAN);
    write(root, "generated/g.py", CLEAN);
    write(root, "venv/lib/site.py", CLEAN);
    write(root, ".hidden/h.py", CLEAN);
    write(root, "notes.txt", "hello");

    let files = |args: &[&str]| {
        let o = run(root, args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        json(&o)["summary"]["files"].as_u64().expect("files")
    };
    assert_eq!(files(&["check", "--format", "json"]), 1);
    // Named files are analyzed even when excluded...
    assert_eq!(
        files(&["check", "generated/g.py", "ignored.py", "--format", "json"]),
        2
    );
    // ...unless --force-exclude (pre-commit), which applies config excludes, not .gitignore.
    assert_eq!(
        files(&[
            "check",
            "--force-exclude",
            "generated/g.py",
            "venv/lib/site.py",
            "ignored.py",
            "--format",
            "json"
        ]),
        1
    );
    let o = run_in(
        root,
        &[
            "check",
            "--force-exclude",
            "--stdin",
            "--stdin-filename",
            "generated/x.py",
            "--format",
            "json",
        ],
        Some(CLEAN.as_bytes()),
    );
    assert_eq!(json(&o)["summary"]["files"], 0);
}

#[test]
fn select_matching_no_rule_is_a_usage_error() {
    let d = tmp();
    write(d.path(), "a.py", SHELL);
    // Before, this ran nothing and passed, and `-q` hid the only hint.
    for args in [
        &["check", "--select", "PY-S2O2", "a.py"][..],
        &["check", "-q", "--select", "PY-S2O2", "a.py"][..],
        &["check", "--select", "PY-S202,PY-S2O2", "a.py"][..],
    ] {
        let o = run(d.path(), args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("`PY-S2O2`"), "{err}");
        assert!(err.contains("`--select`"), "{err}");
        assert!(err.contains("`PY-S202`"), "the nearest id: {err}");
        assert!(o.stdout.is_empty(), "{}", stdout(&o));
    }
    // The config's `select` too, named as such.
    write(d.path(), "vouch.toml", "select = [\"PY-ZZZ9\"]\n");
    let o = run(d.path(), &["check", "a.py"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("configuration's `select`"),
        "{}",
        stderr(&o)
    );
    // Selectors are case-insensitive, like suppression ids.
    std::fs::remove_file(d.path().join("vouch.toml")).expect("rm");
    let o = run(
        d.path(),
        &["check", "--select", "py-s202", "a.py", "--format", "json"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(finding_rules(&json(&o)), ["PY-S202"]);
}

#[test]
fn unmatched_ignore_only_warns() {
    let d = tmp();
    write(d.path(), "a.py", CLEAN);
    let o = run(d.path(), &["check", "--ignore", "PY-ZZZ9", "a.py"]);
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains("`PY-ZZZ9` matches no rule"),
        "{}",
        stderr(&o)
    );
    let o = run(d.path(), &["check", "-q", "--ignore", "PY-ZZZ9", "a.py"]);
    assert!(o.stderr.is_empty());
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
}

#[test]
fn help_points_only_at_files_the_repository_has() {
    let d = tmp();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        &["--help"][..],
        &["check", "--help"][..],
        &["rules", "--help"][..],
    ] {
        let o = run(d.path(), args);
        assert_eq!(code(&o), 0);
        let text = stdout(&o);
        for word in text.split_whitespace() {
            let w = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '.');
            if w.ends_with(".md") {
                assert!(
                    root.join(w).is_file(),
                    "{args:?} names {w}, not in the repository"
                );
            }
        }
    }
    let o = run(d.path(), &["check", "--help"]);
    assert!(!stdout(&o).contains("DESIGN.md"), "{}", stdout(&o));
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_a_note() {
    let d = tmp();
    write(d.path(), "pkg/a.py", CLEAN);
    std::os::unix::fs::symlink(d.path().join("pkg"), d.path().join("pkg/self")).expect("symlink");
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["summary"]["files"], 1);
    assert!(doc["notes"].to_string().contains("loop"), "{doc}");
}

// ---------------------------------------------------------------- findings from the engine

#[test]
fn shell_true_with_data_is_reported_in_every_format() {
    let d = tmp();
    write(d.path(), "tool.py", SHELL);
    write(d.path(), "clean.py", CLEAN);

    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(finding_rules(&doc), ["PY-S202"]);
    let f = &doc["findings"][0];
    assert_eq!(f["path"], "tool.py");
    assert_eq!(f["line"], 7);
    assert!(
        f["cwe"]
            .as_array()
            .is_some_and(|c| c.contains(&Value::from(78)))
    );

    let o = run(d.path(), &["check"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("PY-S202 · CWE-78"), "{out}");
    assert!(out.contains("tool.py:7:"), "{out}");

    let o = run(d.path(), &["check", "--format", "sarif"]);
    assert_eq!(code(&o), 1);
    let doc = json(&o);
    assert_eq!(doc["runs"][0]["results"][0]["ruleId"], "PY-S202");
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_slice(&std::fs::read(schema_path).expect("schema")).expect("json");
    let validator = jsonschema::draft4::new(&schema).expect("schema");
    assert!(validator.is_valid(&doc), "SARIF does not validate");

    let o = run(d.path(), &["check", "--format", "github"]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).starts_with("::error file=tool.py,line=7,")
            || stdout(&o).starts_with("::warning file=tool.py,line=7,"),
        "{}",
        stdout(&o)
    );

    let o = run_in(
        d.path(),
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "x.py",
            "--format",
            "json",
        ],
        Some(SHELL.as_bytes()),
    );
    assert_eq!(code(&o), 1);
    assert_eq!(json(&o)["findings"][0]["path"], "x.py");
}

#[test]
fn select_ignore_severity_and_fail_level() {
    let d = tmp();
    write(d.path(), "tool.py", SHELL);
    let rules = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let o = run(d.path(), &all);
        (code(&o), finding_rules(&json(&o)))
    };
    assert_eq!(rules(&["--ignore", "PY-S202"]), (0, vec![]));
    assert_eq!(rules(&["--ignore", "PY-S2"]), (0, vec![]));
    assert_eq!(rules(&["--select", "PY-A"]), (0, vec![]));
    assert_eq!(rules(&["--select", "PY-A,PY-S202"]).1, ["PY-S202"]);
    assert_eq!(
        rules(&["--fail-level", "error"]).0,
        if severity_of("PY-S202") == "error" {
            1
        } else {
            0
        }
    );

    write(
        d.path(),
        "vouch.toml",
        "[severity]\n\"PY-S202\" = \"note\"\n",
    );
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 0, "a note is below the default fail level");
    assert_eq!(json(&o)["findings"][0]["severity"], "note");
    assert_eq!(rules(&["--fail-level", "note"]).0, 1);

    write(
        d.path(),
        "vouch.toml",
        "[per-file-ignores]\n\"tool.py\" = [\"PY-S2\"]\n",
    );
    assert_eq!(rules(&[]), (0, vec![]));
}

fn severity_of(id: &str) -> String {
    rules_json()
        .iter()
        .find(|r| r["id"] == id)
        .and_then(|r| r["severity"].as_str())
        .unwrap_or("")
        .to_string()
}

#[test]
fn assert_counterexample_and_proofs_in_human_output() {
    let d = tmp();
    write(
        d.path(),
        "invoice.py",
        "SUBTOTAL = 100\nTAX = 18\nTOTAL = 120\nassert SUBTOTAL + TAX == TOTAL\n\n\ndef mean(items):\n    if not items:\n        return 0\n    return sum(items) / len(items)\n",
    );
    let o = run(d.path(), &["check", "--proofs"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("PY-A002"), "{out}");
    assert!(out.contains("118") && out.contains("120"), "{out}");
    assert!(
        out.contains("proved safe (") && out.contains("invoice.py:10:"),
        "{out}"
    );
    assert!(
        !out.contains("PY-A001 · "),
        "the guarded division must be proved, not reported: {out}"
    );
}

/// A float comparison that rounding cannot break is proved (Z3 on doubles), one it can
/// break has decimals for a witness, and one in between stays unknown, never proved.
#[test]
fn float_equality_proved_or_shown() {
    let d = tmp();
    write(
        d.path(),
        "money.py",
        "def same(price: float) -> bool:\n    return price + 0.0 == price\n\n\ndef adds_up(a: float, b: float, total: float) -> bool:\n    return a + b == total\n",
    );
    let o = run(d.path(), &["check", "--proofs", "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_default();
    let proved: Vec<(i64, String)> = v["proofs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["line"].as_i64().unwrap_or(0),
                p["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(proved.contains(&(2, "PY-A006".into())), "{proved:?}");
    let found: Vec<i64> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "PY-A006")
        .map(|f| f["line"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(found, [6], "{}", stdout(&o));
}

/// `if n % k == 0:` is evaluated only when `k != 0`. Z3's `mod` is total, so without that
/// fact its models put `k = 0`, which our re-check rejects, and the site stayed unknown.
#[test]
fn modulo_in_a_condition_is_decided() {
    let d = tmp();
    write(
        d.path(),
        "groups.py",
        "def per_group(n: int, k: int) -> int:\n    if n % k == 0:\n        return n // k\n    return 0\n",
    );
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_default();
    assert_eq!(v["summary"]["unknown"], 0, "{}", stdout(&o));
}

#[test]
fn rule_options_tune_a_threshold_and_reject_what_does_not_apply() {
    let d = tmp();
    write(
        d.path(),
        "keys.py",
        "from cryptography.hazmat.primitives.asymmetric import rsa\n\n\ndef make():\n    return rsa.generate_private_key(public_exponent=65537, key_size=2048)\n",
    );
    // 2048 bits pass the default threshold.
    let o = run(d.path(), &["check", "--select", "PY-S506"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // A project that requires 3072 bits.
    write(
        d.path(),
        "vouch.toml",
        "[rule-options.\"PY-S506\"]\nbound = 3072\n",
    );
    let o = run(d.path(), &["check", "--select", "PY-S506"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(stdout(&o).contains("PY-S506"), "{}", stdout(&o));
    // An option the rule has no use for is an error, not silently ignored.
    write(
        d.path(),
        "vouch.toml",
        "[rule-options.\"PY-S202\"]\nbound = 3\n",
    );
    let o = run(d.path(), &["check"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("does not apply"), "{}", stderr(&o));
    write(
        d.path(),
        "vouch.toml",
        "[rule-options.\"PY-X999\"]\nbound = 3\n",
    );
    let o = run(d.path(), &["check"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("PY-X999"), "{}", stderr(&o));
}

#[test]
fn a_violation_made_certain_by_a_call_is_reported_at_the_call_with_the_callee_related() {
    let d = tmp();
    write(
        d.path(),
        "stats.py",
        "def mean(values):\n    return sum(values) / len(values)\n\n\ndef empty():\n    return mean([])\n",
    );
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    let at_call = findings
        .iter()
        .find(|f| f["line"] == 6)
        .unwrap_or_else(|| panic!("no finding at the call: {findings:?}"));
    assert_eq!(at_call["rule"], "PY-A001");
    assert_eq!(at_call["severity"], "error");
    assert_eq!(at_call["related"][0]["line"], 2, "{at_call}");
    let o = run(d.path(), &["check"]);
    let out = stdout(&o);
    assert!(
        out.contains("called here") && out.contains("in `mean`"),
        "{out}"
    );
}

/// A helper too large to follow at every call is judged by its summary: its division by
/// `len(values)` is reported where a caller passes `[]`, with the helper's line as related
/// information, and not where the caller passes a row.
#[test]
fn large_helper_is_judged_by_its_summary() {
    let d = tmp();
    let padding = "    # a long explanation of the statistics this helper computes\n".repeat(80);
    let src = format!(
        "def mean(values: list) -> float:\n{padding}    return sum(values) / len(values)\n\n\n\
         def empty() -> float:\n    return mean([])\n\n\n\
         def one() -> float:\n    return mean([1.0])\n"
    );
    write(d.path(), "stats.py", &src);
    let o = run(d.path(), &["check", "--format", "json"]);
    let v = json(&o);
    let calls: Vec<&Value> = v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["rule"] == "PY-A001" && f["severity"] == "error")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(calls.len(), 1, "{}", stdout(&o));
    assert_eq!(calls[0]["line"], 86, "{}", stdout(&o));
    assert_eq!(calls[0]["related"][0]["line"], 82, "{}", stdout(&o));
}

/// Mutual recursion and a chain of helpers deeper than summaries are nested end: the run
/// finishes, and the chain's end is still found from a caller close enough to it.
#[test]
fn recursion_and_deep_helper_chains_end() {
    let d = tmp();
    let mut src = String::from(
        "def even(n: int) -> bool:\n    return True if n == 0 else odd(n - 1)\n\n\n\
         def odd(n: int) -> bool:\n    return False if n == 0 else even(n - 1)\n\n\n\
         def parity_share(n: int) -> float:\n    return 1 / (1 if even(n) else 0)\n\n\n",
    );
    for i in 0..40 {
        src.push_str(&format!(
            "def step{i}(values: list) -> float:\n    return step{}(values)\n\n\n",
            i + 1
        ));
    }
    src.push_str("def step40(values: list) -> float:\n    return sum(values) / len(values)\n\n\n");
    src.push_str("def near() -> float:\n    return step39([])\n");
    write(d.path(), "chain.py", &src);
    let o = run(d.path(), &["check", "--format", "json"]);
    let v = json(&o);
    let lines: Vec<i64> = v["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["line"].as_i64()).collect())
        .unwrap_or_default();
    let near = src
        .lines()
        .position(|l| l.contains("step39([])"))
        .map(|i| i as i64 + 1);
    assert!(lines.iter().any(|l| Some(*l) == near), "{}", stdout(&o));
}

/// A list the loop appends to is iterated as it grows: running its two items one by one
/// would "prove" `seen == 2`, where Python counts four.
#[test]
fn a_loop_over_a_growing_list_is_not_unrolled() {
    let d = tmp();
    write(
        d.path(),
        "queue.py",
        "def drain() -> int:\n    queue = [1, 2]\n    seen = 0\n    for job in queue:\n        seen += 1\n        if seen < 3:\n            queue.append(job)\n    assert seen == 2\n    return seen\n",
    );
    let o = run(d.path(), &["check", "--format", "json", "--proofs"]);
    let v = json(&o);
    let proved_lines: Vec<i64> = v["proofs"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["line"].as_i64()).collect())
        .unwrap_or_default();
    assert!(!proved_lines.contains(&8), "{}", stdout(&o));
    assert!(v["proofs"].is_array(), "{}", stdout(&o));
}

/// The command line is the local user's: under the default remote threat model a command
/// built from `sys.argv` is no finding; `--threat-model local` (or the config key) makes it
/// an error, and a bad model name is a usage error.
#[test]
fn threat_model_decides_whether_local_sources_count() {
    let d = tmp();
    write(
        d.path(),
        "tool.py",
        "import subprocess\nimport sys\n\n\ndef main():\n    subprocess.run(sys.argv[1], shell=True)\n",
    );
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = run(
        d.path(),
        &["check", "--format", "json", "--threat-model", "local"],
    );
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let doc = json(&o);
    assert_eq!(finding_rules(&doc), ["PY-S202"]);
    assert_eq!(doc["findings"][0]["severity"], "error");
    write(d.path(), "vouch.toml", "threat-model = \"local\"\n");
    assert_eq!(code(&run(d.path(), &["check"])), 1);
    let o = run(d.path(), &["check", "--threat-model", "remote"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    write(d.path(), "vouch.toml", "threat-model = \"insider\"\n");
    assert_eq!(code(&run(d.path(), &["check"])), 2);
}

/// A source's flow: JSON names where the data was read, SARIF carries it as a code flow
/// (source, then the sink) and still validates against the schema.
#[test]
fn taint_flow_is_in_json_and_sarif() {
    let d = tmp();
    write(d.path(), "tool.py", SHELL);
    let doc = json(&run(d.path(), &["check", "--format", "json"]));
    let flow = &doc["findings"][0]["flow"];
    assert_eq!(flow[0]["line"], 6, "{doc}");
    assert_eq!(flow[0]["path"], "tool.py");
    assert!(
        flow[0]["what"]
            .as_str()
            .is_some_and(|w| w.contains("request.args"))
    );
    let doc = json(&run(d.path(), &["check", "--format", "sarif"]));
    let steps = &doc["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"];
    assert_eq!(steps.as_array().map(Vec::len), Some(2), "{doc}");
    assert_eq!(
        steps[0]["location"]["physicalLocation"]["region"]["startLine"],
        6
    );
    assert_eq!(
        steps[1]["location"]["physicalLocation"]["region"]["startLine"],
        7
    );
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_slice(&std::fs::read(schema_path).expect("schema")).expect("json");
    let validator = jsonschema::draft4::new(&schema).expect("schema");
    assert!(
        validator.is_valid(&doc),
        "SARIF with a code flow does not validate"
    );
}

#[test]
fn asserts_in_test_files_are_notes_not_errors() {
    let d = tmp();
    let text = "def total(xs):\n    return sum(xs)\n\n\ndef test_total():\n    assert total([1, 2]) == 4\n";
    for name in [
        "tests/unit/check_calc.py",
        "test_calc.py",
        "calc_test.py",
        "conftest.py",
        "app/calc.py",
    ] {
        write(d.path(), name, text);
    }
    let o = run(d.path(), &["check", ".", "--format", "json"]);
    let doc = json(&o);
    let mut got: Vec<(String, String, String)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("path"), s("rule"), s("severity"))
        })
        .collect();
    got.sort();
    let want = |p: &str, sev: &str| (p.to_string(), "PY-A002".to_string(), sev.to_string());
    assert_eq!(
        got,
        [
            want("app/calc.py", "error"),
            want("calc_test.py", "note"),
            want("conftest.py", "note"),
            want("test_calc.py", "note"),
            want("tests/unit/check_calc.py", "note"),
        ]
    );
}
