//! The GitHub Action's scripts (scripts/action/run.sh), run locally with a simulated runner
//! environment: GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP and the
//! INPUT_* variables that action.yml maps its inputs to.
//!
//! Two kinds of tests:
//! - `fake_*`: vouch is replaced by a small shell script that prints fixed JSON, SARIF and
//!   annotations, so the script's own logic (outputs, summary, fail-on, paths, argument
//!   handling, errors) is tested whatever the analyzer finds today;
//! - `real_*`: the vouch built by cargo (`CARGO_BIN_EXE_vouch`) on a small Python project
//!   with one `subprocess.run(cmd, shell=True)` and one clean file.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One simulated runner: a workspace (the repository) and a runner temp directory.
struct Runner {
    _dir: tempfile::TempDir,
    workspace: PathBuf,
    temp: PathBuf,
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: HashMap<String, String>,
    summary: String,
}

impl Outcome {
    fn output(&self, key: &str) -> &str {
        self.outputs
            .get(key)
            .unwrap_or_else(|| panic!("no output {key:?} in {:?}\n{}", self.outputs, self.log()))
    }

    fn log(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}\n--- summary\n{}",
            self.code, self.stdout, self.stderr, self.summary
        )
    }

    fn annotations(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| {
                l.starts_with("::error ")
                    || l.starts_with("::warning ")
                    || l.starts_with("::notice ")
            })
            .collect()
    }
}

const RISKY: &str = "\
import subprocess
from flask import request

def main():
    cmd = request.args[\"command\"]
    subprocess.run(cmd, shell=True)


if __name__ == \"__main__\":
    main()
";

const CLEAN: &str = "\
def greet(name: str) -> str:
    return f\"Hello, {name}!\"


TOTAL = sum([1, 2, 3])
";

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().unwrap();
        let workspace = root.join("workspace");
        let temp = root.join("runner-temp");
        fs::create_dir_all(&workspace).unwrap();
        fs::create_dir_all(&temp).unwrap();
        Runner {
            _dir: dir,
            workspace,
            temp,
        }
    }

    /// The small Python project: `app.py` (shell=True on user input) and `clean.py`.
    fn python_project(&self, subdir: &str) -> PathBuf {
        let dir = self.workspace.join(subdir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("app.py"), RISKY).unwrap();
        fs::write(dir.join("clean.py"), CLEAN).unwrap();
        dir
    }

    /// Runs scripts/action/run.sh with `vouch` as VOUCH_BIN and the given INPUT_* variables.
    fn run(&self, vouch: &Path, inputs: &[(&str, &str)]) -> Outcome {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action/run.sh");
        let output_file = self.temp.join("github_output");
        let summary_file = self.temp.join("step_summary.md");
        fs::write(&output_file, "").unwrap();
        fs::write(&summary_file, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.arg(&script).current_dir(&self.workspace);
        // Whatever CI this test itself runs in must not leak into the simulated runner.
        for (key, _) in std::env::vars() {
            if key.starts_with("INPUT_") || key.starts_with("GITHUB_") || key.starts_with("RUNNER_")
            {
                cmd.env_remove(key);
            }
        }
        cmd.env_remove("VOUCH_BIN")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", &self.workspace)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .env("RUNNER_TEMP", &self.temp)
            .env("VOUCH_BIN", vouch);
        for (key, value) in inputs {
            cmd.env(key, value);
        }
        let out = cmd.output().expect("run bash scripts/action/run.sh");
        let outputs = fs::read_to_string(&output_file)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            outputs,
            summary: fs::read_to_string(&summary_file).unwrap(),
        }
    }

    /// A stand-in for vouch: prints FAKE_DIR/out.{json,sarif,github} for the requested format,
    /// logs its arguments (one per line) to FAKE_DIR/args, and exits with FAKE_DIR/exit.
    fn fake_vouch(&self, json: &str, sarif: &str, github: &str, exit: i32) -> PathBuf {
        let dir = self.temp.join("fake");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("out.json"), json).unwrap();
        fs::write(dir.join("out.sarif"), sarif).unwrap();
        fs::write(dir.join("out.github"), github).unwrap();
        fs::write(dir.join("exit"), exit.to_string()).unwrap();
        let script = format!(
            r#"#!/usr/bin/env bash
set -eu
dir='{dir}'
printf '%s\n' "$@" >>"$dir/args"
printf -- '--\n' >>"$dir/args"
fmt=human out=""
while (($#)); do
    case $1 in
        --format) fmt=$2; shift ;;
        --output) out=$2; shift ;;
    esac
    shift
done
code=$(cat "$dir/exit")
if ((code == 2)); then echo "error: config file vouch.toml: unknown key 'colour'" >&2; exit 2; fi
if [[ -n $out ]]; then cat "$dir/out.$fmt" >"$out"; else cat "$dir/out.$fmt"; fi
exit "$code"
"#,
            dir = dir.display()
        );
        let bin = dir.join("vouch");
        fs::write(&bin, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
        }
        bin
    }

    /// The argument lists the fake vouch received, one Vec per invocation.
    fn fake_calls(&self) -> Vec<Vec<String>> {
        let text = fs::read_to_string(self.temp.join("fake/args")).unwrap_or_default();
        let mut calls = vec![];
        let mut cur = vec![];
        for line in text.lines() {
            if line == "--" {
                calls.push(std::mem::take(&mut cur));
            } else {
                cur.push(line.to_string());
            }
        }
        calls
    }
}

fn real_vouch() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_vouch"))
}

// ----------------------------------------------------------------------------- fake vouch

const FAKE_JSON: &str = r#"{
  "version": "0.1.0",
  "findings": [
    {"rule": "PY-S602", "name": "subprocess-shell", "cwe": [78], "severity": "error",
     "path": "app.py", "line": 6, "column": 5, "end_line": 6, "end_column": 36,
     "message": "subprocess.run with shell=True runs a | shell <command> built from input",
     "verdict": "violated", "witness": {"cmd": "\"; rm -rf /\""}, "help": "pass a list",
     "fix": null},
    {"rule": "PY-R001", "name": "requests-no-timeout", "cwe": [400], "severity": "warning",
     "path": "./lib/net.py", "line": 2, "column": 1, "end_line": 2, "end_column": 20,
     "message": "requests.get without a timeout", "verdict": "violated", "witness": null,
     "help": "add timeout=", "fix": null}
  ],
  "summary": {"files": 3, "lines": 20, "findings": 2, "proved": 4, "violated": 2,
              "unknown": 0, "elapsed_ms": 7}
}"#;

const FAKE_SARIF: &str = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "vouch"}},
  "results": [{"ruleId": "PY-S602", "level": "error", "message": {"text": "shell"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app.py"},
      "region": {"startLine": 6}}}]}]}]}"#;

const FAKE_GITHUB: &str = "\
::error file=app.py,line=6,col=5,endLine=6,endColumn=36,title=PY-S602 subprocess-shell::subprocess.run with shell=True
::warning file=./lib/net.py,line=2,col=1,title=PY-R001 requests-no-timeout::requests.get without a timeout
";

const FAKE_EMPTY_JSON: &str = r#"{"version": "0.1.0", "findings": [],
  "summary": {"files": 2, "lines": 9, "findings": 0, "proved": 1, "violated": 0, "unknown": 0, "elapsed_ms": 3}}"#;

const FAKE_EMPTY_SARIF: &str =
    r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "vouch"}}, "results": []}]}"#;

#[test]
fn fake_outputs_summary_and_annotations() {
    let r = Runner::new();
    let vouch = r.fake_vouch(FAKE_JSON, FAKE_SARIF, FAKE_GITHUB, 1);
    let o = r.run(&vouch, &[]);
    assert_eq!(
        o.code,
        1,
        "one error and fail-on=error must fail\n{}",
        o.log()
    );
    assert_eq!(o.output("findings"), "2");
    assert_eq!(o.output("errors"), "1");
    assert_eq!(o.output("warnings"), "1");
    assert_eq!(o.output("notes"), "0");
    let sarif = r.workspace.join("vouch.sarif");
    assert_eq!(o.output("sarif-file"), sarif.to_str().unwrap());
    let text = fs::read_to_string(&sarif).unwrap();
    assert!(text.contains("\"uri\": \"app.py\""), "{text}");
    assert!(Path::new(o.output("json-file")).is_file());

    // Annotations reach the log unchanged when vouch runs at the repository root.
    assert_eq!(
        o.annotations(),
        FAKE_GITHUB.lines().collect::<Vec<_>>(),
        "{}",
        o.log()
    );

    // The summary: counts per severity, then the findings, errors first, with paths and
    // counterexamples; Markdown and HTML in messages are escaped.
    let s = &o.summary;
    assert!(s.starts_with("## vouch\n"), "{s}");
    assert!(s.contains("❌ 1 finding at or above `error`"), "{s}");
    assert!(
        s.contains("| error | 1 |\n| warning | 1 |\n| note | 0 |\n| **total** | **2** |"),
        "{s}"
    );
    assert!(
        s.contains("Checked 3 files (20 lines) in 7 ms: 4 sites proved safe"),
        "{s}"
    );
    assert!(
        s.contains("| Severity | Rule | Location | Message | Counterexample |"),
        "{s}"
    );
    let first = s
        .find("`PY-S602` subprocess-shell | `app.py:6` |")
        .expect(s);
    let second = s
        .find("`PY-R001` requests-no-timeout | `lib/net.py:2` |")
        .expect(s);
    assert!(first < second, "errors come first\n{s}");
    assert!(
        s.contains("runs a \\| shell &lt;command&gt; built from input"),
        "{s}"
    );
    assert!(s.contains(r#"`cmd = "; rm -rf /"`"#), "{s}");

    // Three invocations: json, sarif, github; `check .` by default.
    let calls = r.fake_calls();
    let formats: Vec<&str> = calls
        .iter()
        .map(|c| c[c.iter().position(|a| a == "--format").unwrap() + 1].as_str())
        .collect();
    assert_eq!(formats, ["json", "sarif", "github"]);
    assert_eq!(&calls[1][..4], ["check", ".", "--format", "sarif"]);
}

#[test]
fn fake_fail_on_levels() {
    let r = Runner::new();
    let vouch = r.fake_vouch(FAKE_JSON, FAKE_SARIF, FAKE_GITHUB, 1);
    for (fail_on, code) in [
        ("never", 0),
        ("error", 1),
        ("warning", 1),
        ("note", 1),
        ("ERROR", 1),
    ] {
        let o = r.run(&vouch, &[("INPUT_FAIL_ON", fail_on)]);
        assert_eq!(o.code, code, "fail-on={fail_on}\n{}", o.log());
        assert_eq!(o.output("findings"), "2");
    }
    let o = r.run(&vouch, &[("INPUT_FAIL_ON", "sometimes")]);
    assert_eq!(o.code, 2, "{}", o.log());
    assert!(
        o.stdout.contains("::error title=vouch::fail-on must be"),
        "{}",
        o.log()
    );

    // Only a warning: passes at fail-on=error, fails at fail-on=warning.
    let warning_only = FAKE_JSON.replace("\"severity\": \"error\"", "\"severity\": \"note\"");
    let vouch = r.fake_vouch(&warning_only, FAKE_SARIF, FAKE_GITHUB, 1);
    let o = r.run(&vouch, &[("INPUT_FAIL_ON", "error")]);
    assert_eq!(o.code, 0, "{}", o.log());
    assert!(
        o.summary.contains("✅ No findings at or above `error`."),
        "{}",
        o.summary
    );
    assert_eq!(
        (o.output("errors"), o.output("warnings"), o.output("notes")),
        ("0", "1", "1")
    );
    let o = r.run(&vouch, &[("INPUT_FAIL_ON", "warning")]);
    assert_eq!(o.code, 1, "{}", o.log());
}

#[test]
fn fake_clean_run() {
    let r = Runner::new();
    let vouch = r.fake_vouch(FAKE_EMPTY_JSON, FAKE_EMPTY_SARIF, "", 0);
    let o = r.run(&vouch, &[]);
    assert_eq!(o.code, 0, "{}", o.log());
    assert_eq!(o.output("findings"), "0");
    assert!(o.annotations().is_empty(), "{}", o.log());
    assert!(
        o.summary.contains("✅ No findings at or above `error`."),
        "{}",
        o.summary
    );
    assert!(
        !o.summary.contains("### "),
        "no findings table when there are none\n{}",
        o.summary
    );
}

#[test]
fn fake_working_directory_paths_are_relative_to_the_repository() {
    let r = Runner::new();
    fs::create_dir_all(r.workspace.join("services/api")).unwrap();
    let vouch = r.fake_vouch(FAKE_JSON, FAKE_SARIF, FAKE_GITHUB, 1);
    let o = r.run(
        &vouch,
        &[
            ("INPUT_WORKING_DIRECTORY", "services/api"),
            ("INPUT_SARIF_FILE", "reports/vouch.sarif"),
            ("INPUT_FAIL_ON", "never"),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.log());
    let sarif = r.workspace.join("services/api/reports/vouch.sarif");
    assert_eq!(o.output("sarif-file"), sarif.to_str().unwrap());
    let text = fs::read_to_string(&sarif).unwrap();
    assert!(text.contains("\"uri\": \"services/api/app.py\""), "{text}");
    let annotations = o.annotations();
    assert!(
        annotations[0].starts_with("::error file=services/api/app.py,line=6,col=5,"),
        "{annotations:?}"
    );
    assert!(
        annotations[1].starts_with("::warning file=services/api/lib/net.py,line=2,"),
        "{annotations:?}"
    );
    assert!(
        o.summary.contains("`services/api/app.py:6`"),
        "{}",
        o.summary
    );
    assert!(
        o.summary.contains("`services/api/lib/net.py:2`"),
        "{}",
        o.summary
    );
}

#[test]
fn fake_arguments_are_split_like_a_shell_and_check_is_added() {
    let r = Runner::new();
    let vouch = r.fake_vouch(FAKE_EMPTY_JSON, FAKE_EMPTY_SARIF, "", 0);
    // Shell syntax is not evaluated: $(…) stays a literal argument.
    let o = r.run(
        &vouch,
        &[("INPUT_ARGS", "src 'my dir' --select PY-S6 $(touch pwned)")],
    );
    assert_eq!(o.code, 0, "{}", o.log());
    assert!(!r.workspace.join("pwned").exists());
    let calls = r.fake_calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        &calls[0][..7],
        [
            "check", "src", "my dir", "--select", "PY-S6", "$(touch", "pwned)"
        ]
    );
    assert_eq!(calls[0][7..9], ["--format", "json"]);

    for bad in ["check . --format json", "check . --output=x.json"] {
        let o = r.run(&vouch, &[("INPUT_ARGS", bad)]);
        assert_eq!(o.code, 2, "{bad}\n{}", o.log());
        assert!(
            o.stdout
                .contains("::error title=vouch::args must not contain"),
            "{}",
            o.log()
        );
    }
}

#[test]
fn fake_annotations_can_be_turned_off() {
    let r = Runner::new();
    let vouch = r.fake_vouch(FAKE_JSON, FAKE_SARIF, FAKE_GITHUB, 1);
    let o = r.run(
        &vouch,
        &[("INPUT_ANNOTATIONS", "false"), ("INPUT_FAIL_ON", "never")],
    );
    assert_eq!(o.code, 0, "{}", o.log());
    assert!(o.annotations().is_empty(), "{}", o.log());
    assert_eq!(r.fake_calls().len(), 2, "no --format github run");
    assert_eq!(o.output("findings"), "2");
}

#[test]
fn fake_vouch_error_fails_whatever_fail_on_says() {
    let r = Runner::new();
    let vouch = r.fake_vouch(FAKE_JSON, FAKE_SARIF, FAKE_GITHUB, 2);
    let o = r.run(&vouch, &[("INPUT_FAIL_ON", "never")]);
    assert_eq!(o.code, 2, "{}", o.log());
    assert!(
        o.stdout
            .contains("::error title=vouch::vouch check . failed with exit code 2"),
        "{}",
        o.log()
    );
    assert!(o.stdout.contains("unknown key 'colour'"), "{}", o.log());
    assert!(
        o.summary.contains("vouch failed with exit code 2"),
        "{}",
        o.summary
    );
    assert!(
        !o.outputs.contains_key("sarif-file"),
        "no SARIF to upload: {:?}",
        o.outputs
    );
}

// ----------------------------------------------------------------------------- real vouch

#[test]
fn real_clean_project_passes() {
    let r = Runner::new();
    let dir = r.workspace.join("proj");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("clean.py"), CLEAN).unwrap();
    let o = r.run(&real_vouch(), &[("INPUT_ARGS", "check proj")]);
    assert_eq!(o.code, 0, "{}", o.log());
    assert_eq!(o.output("findings"), "0");
    assert_eq!(o.output("errors"), "0");
    let sarif = r.workspace.join("vouch.sarif");
    assert_eq!(o.output("sarif-file"), sarif.to_str().unwrap());
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(o.annotations().is_empty(), "{}", o.log());
    assert!(o.summary.contains("| **total** | **0** |"), "{}", o.summary);
}

#[test]
fn real_fail_on_never_exits_zero() {
    let r = Runner::new();
    r.python_project(".");
    let o = r.run(&real_vouch(), &[("INPUT_FAIL_ON", "never")]);
    assert_eq!(o.code, 0, "{}", o.log());
    assert!(o.outputs.contains_key("findings"), "{:?}", o.outputs);
    assert_eq!(
        o.output("sarif-file"),
        r.workspace.join("vouch.sarif").to_str().unwrap()
    );
    assert!(
        o.summary.contains("| Severity | Findings |"),
        "{}",
        o.summary
    );
}

#[test]
fn real_shell_true_is_reported_everywhere() {
    let r = Runner::new();
    r.python_project(".");
    let o = r.run(&real_vouch(), &[]);
    assert_eq!(
        o.code,
        1,
        "fail-on=error with a shell=True finding must fail\n{}",
        o.log()
    );
    let findings: usize = o.output("findings").parse().unwrap();
    let errors: usize = o.output("errors").parse().unwrap();
    assert!(findings >= 1 && errors >= 1, "{:?}", o.outputs);

    // The JSON report: a finding on app.py line 6 and nothing on clean.py.
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(o.output("json-file")).unwrap()).unwrap();
    let list = json["findings"].as_array().unwrap();
    assert!(
        list.iter()
            .any(|f| f["path"].as_str().unwrap().ends_with("app.py") && f["line"] == 6),
        "{json:#}"
    );
    assert!(
        !list
            .iter()
            .any(|f| f["path"].as_str().unwrap().ends_with("clean.py")),
        "{json:#}"
    );

    // An annotation on the shell=True line, a summary row, a SARIF result.
    assert!(
        o.annotations()
            .iter()
            .any(|a| a.starts_with("::error file=app.py,line=6")),
        "{}",
        o.log()
    );
    assert!(o.summary.contains("`app.py:6`"), "{}", o.summary);
    assert!(!o.summary.contains("clean.py"), "{}", o.summary);
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(o.output("sarif-file")).unwrap()).unwrap();
    assert!(
        !sarif["runs"][0]["results"].as_array().unwrap().is_empty(),
        "{sarif:#}"
    );
}

#[test]
fn real_working_directory_and_fail_on_error() {
    let r = Runner::new();
    r.python_project("backend");
    let o = r.run(
        &real_vouch(),
        &[
            ("INPUT_WORKING_DIRECTORY", "backend"),
            ("INPUT_FAIL_ON", "error"),
        ],
    );
    assert_eq!(o.code, 1, "{}", o.log());
    assert!(
        o.annotations()
            .iter()
            .any(|a| a.starts_with("::error file=backend/app.py,line=6")),
        "{}",
        o.log()
    );
    assert!(o.summary.contains("`backend/app.py:6`"), "{}", o.summary);
    let sarif = fs::read_to_string(r.workspace.join("backend/vouch.sarif")).unwrap();
    assert!(sarif.contains("backend/app.py"), "{sarif}");
}

/// Arithmetic findings already come from the engine: the full path with a real finding.
#[test]
fn real_division_by_zero_in_a_subdirectory() {
    let r = Runner::new();
    let dir = r.workspace.join("backend");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("calc.py"),
        "RETRIES = 0\n\n\ndef backoff(total: float) -> float:\n    return total / RETRIES\n",
    )
    .unwrap();
    fs::write(dir.join("clean.py"), CLEAN).unwrap();
    let inputs = [("INPUT_WORKING_DIRECTORY", "backend")];
    let o = r.run(&real_vouch(), &inputs);
    assert_eq!(o.code, 1, "{}", o.log());
    assert_eq!(o.output("errors"), "1", "{}", o.log());
    assert_eq!(o.output("findings"), "1", "{}", o.log());
    let annotations = o.annotations();
    assert_eq!(annotations.len(), 1, "{}", o.log());
    assert!(
        annotations[0].starts_with("::error file=backend/calc.py,line=5,"),
        "{annotations:?}"
    );
    assert!(annotations[0].contains("PY-A001"), "{annotations:?}");
    assert!(
        o.summary
            .contains("| `PY-A001` division-by-zero | `backend/calc.py:5` |"),
        "{}",
        o.summary
    );
    let sarif = r.workspace.join("backend/vouch.sarif");
    assert_eq!(o.output("sarif-file"), sarif.to_str().unwrap());
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    let loc = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "backend/calc.py", "{v:#}");
    assert_eq!(loc["region"]["startLine"], 5, "{v:#}");

    let o = r.run(&real_vouch(), &[inputs[0], ("INPUT_FAIL_ON", "never")]);
    assert_eq!(o.code, 0, "{}", o.log());
}
