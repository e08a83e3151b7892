//! A real editor as the client of `vouch lsp`: headless Neovim opens a Python file, starts
//! the server through tests/fixtures/nvim/init.lua and writes out the diagnostics it
//! received.
//!
//! Skipped when `nvim` is missing, unless `CI` is set: CI installs Neovim (`.ci/run`), so
//! there a missing editor is a failure rather than a silent pass.

use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// init.lua gives up after 10 s without diagnostics and quits; this only catches an
/// editor that never quits, so CI cannot hang.
const TIMEOUT: Duration = Duration::from_secs(30);

const BAD: &str = "import subprocess\nfrom flask import request\ndef main():\n    cmd = request.args[\"cmd\"]\n    subprocess.run(cmd, shell=True)\n";

fn have_nvim() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn neovim_shows_vouch_diagnostics() {
    if !have_nvim() {
        assert!(
            std::env::var_os("CI").is_none(),
            "nvim is missing but CI is set: .ci/run should have installed Neovim"
        );
        eprintln!("skipping: nvim not found (apt-get install neovim)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bad.py");
    std::fs::write(&file, BAD).expect("write bad.py");
    let out = dir.path().join("diagnostics.txt");
    let init = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nvim/init.lua");
    // Everything Neovim would keep (LSP log, shada, swap) goes to the temp dir, not $HOME.
    let state = dir.path().join("xdg");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-u"])
        .arg(&init)
        .arg(&file)
        .env("VOUCH_BIN", env!("CARGO_BIN_EXE_vouch"))
        .env("VOUCH_OUT", &out)
        .env("XDG_STATE_HOME", &state)
        .env("XDG_CACHE_HOME", &state)
        .env("XDG_DATA_HOME", &state)
        .env("XDG_CONFIG_HOME", &state)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn nvim");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            // Killing nvim closes the server's stdin, so `vouch lsp` exits too.
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim still running after {TIMEOUT:?}; killed");
        }
        thread::sleep(Duration::from_millis(50));
    };
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("nvim ({status}) wrote no diagnostics file: {e}"));
    assert!(status.success(), "nvim exited with {status}:\n{text}");
    assert!(!text.starts_with("ERROR"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "expected one diagnostic:\n{text}");
    let fields: Vec<&str> = lines[0].splitn(4, '\t').collect();
    // Neovim's lnum is 0-based: line 5, the `subprocess.run` call.
    assert_eq!(fields[..3], ["4", "PY-S202", "vouch"], "{text}");
    assert!(fields[3].contains("shell"), "{text}");
    assert!(
        fields[3].contains("`request.args[\"cmd\"]` = ';'"),
        "{text}"
    );
}
