//! End-to-end: the checks made for generated code on a small project on disk, through
//! the binary, with the project's own declarations and configuration.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn vouch(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run vouch");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

const APP: &str = "\
import collections
import tomllib

from flask import Flask
import redis
from dataframe_profiler_pro import profile
from helpers import slug

app = Flask(__name__)


def is_mapping(value) -> bool:
    return isinstance(value, collections.Mapping)
";

#[test]
fn a_project_with_declarations_and_a_target_version() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(dir, ".git/HEAD", "ref: refs/heads/main\n");
    write(dir, "vouch.toml", "target-python = \"3.10\"\n");
    write(dir, "requirements.txt", "Flask>=3\n");
    write(dir, "src/shop/helpers.py", "def slug(s):\n    return s\n");
    write(dir, "src/shop/app.py", APP);
    let (code, out) = vouch(
        dir,
        &[
            "check",
            "src",
            "--format",
            "json",
            "--select",
            "PY-S0,PY-A1",
        ],
    );
    assert_eq!(code, 1, "{out}");
    let json: Value = serde_json::from_str(&out).expect("json");
    let got: BTreeSet<(String, u64)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want: BTreeSet<(String, u64)> = [
        ("PY-A102", 2),  // tomllib is new in 3.11; the project supports 3.10
        ("PY-S004", 5),  // redis is real but not in requirements.txt
        ("PY-S001", 6),  // nowhere at all
        ("PY-A102", 13), // collections.Mapping, removed in 3.10
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    assert_eq!(got, want);

    // The removed alias has a drop-in successor: `--fix` renames it.
    let (_, _) = vouch(dir, &["check", "src", "--fix", "--select", "PY-A102"]);
    let fixed = std::fs::read_to_string(dir.join("src/shop/app.py")).expect("read");
    assert!(
        fixed.contains("isinstance(value, collections.abc.Mapping)"),
        "{fixed}"
    );
    assert!(
        fixed.contains("import tomllib"),
        "no fix for a version problem"
    );
}

#[test]
fn requires_python_sets_the_minimum_without_a_vouch_config() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(
        dir,
        "pyproject.toml",
        "[project]\nname = \"tool\"\nrequires-python = \">=3.9\"\ndependencies = []\n",
    );
    write(
        dir,
        "tool/cli.py",
        "import sys\nimport tomllib\nif sys.version_info >= (3, 11):\n    import tomllib as toml\n",
    );
    let (_, out) = vouch(
        dir,
        &["check", "tool", "--format", "json", "--select", "PY-A102"],
    );
    let json: Value = serde_json::from_str(&out).expect("json");
    let lines: Vec<u64> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["line"].as_u64())
        .collect();
    // The guarded import is the project's own compatibility code.
    assert_eq!(lines, [2], "{out}");
}

const CRATE_MAIN: &str = "\
mod config;

use anyhow::Result;
use json::Value;
use config::Settings;
use regex::Regex;
use retry_policy_kit::Backoff;

fn main() -> Result<()> {
    let _ = (Regex::new(\"a\"), Backoff::default(), Settings::load());
    let v: Value = json::from_str(\"1\")?;
    println!(\"{v}\");
    Ok(())
}
";

#[test]
fn a_cargo_package_with_a_renamed_and_an_undeclared_crate() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(
        dir,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nanyhow = \"1\"\njson = { package = \"serde_json\", version = \"1\" }\n",
    );
    write(dir, "src/main.rs", CRATE_MAIN);
    write(dir, "src/config.rs", "pub struct Settings;\n");
    // Relative paths, as a user types them: the manifest is found from the working folder.
    let (code, out) = vouch(
        dir,
        &["check", "src", "--format", "json", "--select", "RS-S0"],
    );
    assert_eq!(code, 1, "{out}");
    let json: Value = serde_json::from_str(&out).expect("json");
    let got: BTreeSet<(String, u64)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want: BTreeSet<(String, u64)> = [
        ("RS-S003", 6), // regex is real but not declared
        ("RS-S001", 7), // declared nowhere, known nowhere
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    assert_eq!(got, want);
}
