//! The pre-commit hook run for real: `pre-commit try-repo` of this checkout on a throwaway
//! git repo blocks a file with a finding and passes a clean one.
//!
//! pre-commit builds the hook with `cargo install --path .` (`language: rust`), a release
//! build. `try-repo` always uses a fresh store in a temporary directory, so
//! `PRE_COMMIT_HOME` cannot cache that build; a shared `CARGO_TARGET_DIR` under `target/`
//! does: the dependencies are built once and later runs only rebuild vouch itself.
//!
//! Skipped when pre-commit is missing, unless `CI` is set: CI installs it (`.ci/run`), so
//! there a missing pre-commit is a failure rather than a silent pass.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A cold run builds vouch and all its dependencies in release mode (minutes on two
/// cores); past this the test kills the whole process group and fails instead of hanging
/// CI.
const TIMEOUT: Duration = Duration::from_secs(30 * 60);

const BAD: &str = "import subprocess\nfrom flask import request\ndef main():\n    cmd = request.args[\"cmd\"]\n    subprocess.run(cmd, shell=True)\n";
const CLEAN: &str = "import subprocess\nfrom flask import request\ndef main():\n    cmd = request.args[\"cmd\"]\n    subprocess.run([\"echo\", cmd])\n";

fn checkout() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// pre-commit on PATH, or the venv `.ci/run` makes under `target/`.
fn find_pre_commit() -> Option<PathBuf> {
    let venv = checkout().join("target/precommit-venv/bin/pre-commit");
    let on_path = Command::new("pre-commit")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if on_path {
        Some(PathBuf::from("pre-commit"))
    } else if venv.is_file() {
        Some(venv)
    } else {
        None
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

/// Waits for `child` at most `TIMEOUT`, then kills its process group (pre-commit, cargo
/// and rustc alike). Returns the status and the combined output.
fn wait_with_timeout(mut child: Child) -> (ExitStatus, String) {
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    // Readers on their own threads so a full pipe never blocks the child.
    let out_t = thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_t = thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            panic!(
                "pre-commit still running after {TIMEOUT:?}; killed\n{}{}",
                out_t.join().unwrap_or_default(),
                err_t.join().unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(200));
    };
    let text = format!(
        "{}{}",
        out_t.join().unwrap_or_default(),
        err_t.join().unwrap_or_default()
    );
    (status, text)
}

fn try_repo(pre_commit: &Path, repo: &Path, file: &str) -> (ExitStatus, String) {
    use std::os::unix::process::CommandExt;
    let target = checkout().join("target");
    let start = Instant::now();
    let child = Command::new(pre_commit)
        .arg("try-repo")
        .arg(checkout())
        .args(["vouch", "--color", "never", "--files", file])
        .current_dir(repo)
        // Nothing lands in the user's ~/.cache; try-repo itself uses a temporary store.
        .env("PRE_COMMIT_HOME", target.join("pre-commit-home"))
        // Reused across runs: only the first one builds the dependencies.
        .env("CARGO_TARGET_DIR", target.join("precommit-build"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Own process group, so a timeout kills cargo and rustc too.
        .process_group(0)
        .spawn()
        .expect("spawn pre-commit");
    let (status, out) = wait_with_timeout(child);
    // Shown with `--nocapture`: what a user sees, and how long the build took.
    eprintln!(
        "pre-commit try-repo on {file}: {status} after {:?}\n{out}",
        start.elapsed()
    );
    (status, out)
}

#[test]
fn try_repo_blocks_bad_file_and_passes_clean_one() {
    let Some(pre_commit) = find_pre_commit() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit is missing but CI is set: .ci/run should have installed it"
        );
        eprintln!(
            "skipping: pre-commit not found (python3 -m venv target/precommit-venv && \
             target/precommit-venv/bin/pip install pre-commit)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    std::fs::write(repo.join("bad.py"), BAD).expect("write bad.py");
    std::fs::write(repo.join("clean.py"), CLEAN).expect("write clean.py");
    // pre-commit only looks at files git knows about.
    git(repo, &["add", "bad.py", "clean.py"]);

    let (status, out) = try_repo(&pre_commit, repo, "bad.py");
    assert!(!status.success(), "a finding must block the commit:\n{out}");
    assert!(out.contains("vouch"), "hook name missing:\n{out}");
    assert!(
        out.contains("Failed"),
        "hook not reported as failed:\n{out}"
    );
    assert!(out.contains("PY-S202"), "finding missing:\n{out}");
    assert!(out.contains("bad.py:5:5"), "location missing:\n{out}");

    let (status, out) = try_repo(&pre_commit, repo, "clean.py");
    assert!(status.success(), "a clean file must pass:\n{out}");
    assert!(
        out.contains("Passed"),
        "hook not reported as passed:\n{out}"
    );
    assert!(!out.contains("PY-S"), "unexpected finding:\n{out}");
}
