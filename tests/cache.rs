//! The result cache end to end: cached and uncached runs report the same, a change to a
//! helper re-checks its callers, `--no-cache` neither reads nor writes it, `vouch clean`
//! removes it, and a damaged store is ignored.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn vouch(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("VOUCH_CACHE_DIR")
        .env("VOUCH_DEBUG_CACHE", "1")
        .args(args)
        .output()
        .expect("run vouch")
}

/// The JSON report without what measures the run itself (time, solver timings).
fn report(out: &Output) -> Value {
    let mut v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let summary = v["summary"].as_object_mut().expect("summary");
    summary.remove("elapsed_ms");
    summary.remove("solver");
    v
}

/// How many files the run analysed rather than took from the cache (the debug line);
/// `None` when it analysed nothing.
fn analysed(out: &Output) -> Option<usize> {
    String::from_utf8_lossy(&out.stderr).lines().find_map(|l| {
        let rest = l.strip_prefix("vouch: cache: ")?;
        let (n, tail) = rest.split_once(" of ")?;
        if tail.contains("files to analyse") {
            n.parse().ok()
        } else {
            None
        }
    })
}

fn findings_at(v: &Value, file: &str) -> Vec<(String, u64)> {
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|x| x["path"].as_str().is_some_and(|p| p.ends_with(file)))
        .map(|x| {
            let rule = x["rule"].as_str().unwrap_or_default().to_string();
            (rule, x["line"].as_u64().unwrap_or(0))
        })
        .collect()
}

const HELPER_DIVIDES: &str = "def share(total, parts):\n    return total / parts\n";
const HELPER_GUARDED: &str =
    "def share(total, parts):\n    if parts == 0:\n        return 0\n    return total / parts\n";
const CALLER: &str = "from pkg.helper import share\n\n\ndef run():\n    return share(10, 0)\n";
const OTHER: &str = "def ratio(a):\n    return 1 / (a * a + 1)\n";

fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pkg = tmp.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("mkdir");
    std::fs::write(pkg.join("__init__.py"), "").expect("write");
    std::fs::write(pkg.join("helper.py"), HELPER_DIVIDES).expect("write");
    std::fs::write(pkg.join("caller.py"), CALLER).expect("write");
    std::fs::write(pkg.join("other.py"), OTHER).expect("write");
    tmp
}

const CHECK: &[&str] = &["check", "pkg", "--format", "json", "--proofs"];

#[test]
fn cached_runs_match_uncached_ones_and_follow_changes_to_helpers() {
    let tmp = project();
    let dir = tmp.path();
    let cold = vouch(dir, CHECK);
    assert_eq!(
        analysed(&cold),
        Some(4),
        "{}",
        String::from_utf8_lossy(&cold.stderr)
    );
    let cache = dir.join(".vouch_cache");
    assert!(cache.join(".gitignore").is_file());
    assert!(cache.join("CACHEDIR.TAG").is_file());
    assert!(
        findings_at(&report(&cold), "caller.py").contains(&("PY-A001".to_string(), 5)),
        "the call divides by zero: {}",
        report(&cold)
    );

    let warm = vouch(dir, CHECK);
    assert_eq!(analysed(&warm), None, "nothing changed, nothing analysed");
    assert_eq!(report(&warm), report(&cold));
    let uncached = vouch(dir, &[CHECK, &["--no-cache"]].concat());
    assert_eq!(report(&uncached), report(&cold));
    assert_eq!(warm.status.code(), cold.status.code());

    // The helper changes: its caller is checked again, the unrelated file is not.
    std::fs::write(dir.join("pkg/helper.py"), HELPER_GUARDED).expect("write");
    let after = vouch(dir, CHECK);
    assert_eq!(
        analysed(&after),
        Some(2),
        "helper and caller: {}",
        String::from_utf8_lossy(&after.stderr)
    );
    assert!(findings_at(&report(&after), "caller.py").is_empty());
    let uncached = vouch(dir, &[CHECK, &["--no-cache"]].concat());
    assert_eq!(report(&after), report(&uncached));

    // An unrelated file changes: only it is checked again.
    std::fs::write(
        dir.join("pkg/other.py"),
        "def ratio(a):\n    return 1 / a\n",
    )
    .expect("write");
    let after = vouch(dir, CHECK);
    assert_eq!(analysed(&after), Some(1));
    assert_eq!(
        report(&after),
        report(&vouch(dir, &[CHECK, &["--no-cache"]].concat()))
    );

    // Other options are another store: they do not see this one's results.
    let narrowed = vouch(dir, &[CHECK, &["--select", "PY-A001"]].concat());
    assert_eq!(analysed(&narrowed), Some(4));

    // A new file changes how modules resolve: everything is checked again.
    std::fs::write(dir.join("pkg/extra.py"), "x = 1\n").expect("write");
    assert_eq!(analysed(&vouch(dir, CHECK)), Some(5));

    // A damaged store is ignored, not an error.
    for e in std::fs::read_dir(&cache).expect("cache dir").flatten() {
        if e.file_name().to_string_lossy().starts_with("store-") {
            std::fs::write(e.path(), b"{\"format\": 1, \"paths\": [").expect("write");
        }
    }
    let damaged = vouch(dir, CHECK);
    assert_eq!(analysed(&damaged), Some(5));
    assert_eq!(
        report(&damaged),
        report(&vouch(dir, &[CHECK, &["--no-cache"]].concat()))
    );

    let clean = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .current_dir(dir)
        .env_remove("VOUCH_CACHE_DIR")
        .arg("clean")
        .output()
        .expect("run vouch clean");
    assert!(clean.status.success());
    assert!(!cache.exists(), "vouch clean removes the cache");
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let tmp = project();
    let dir = tmp.path();
    let out = vouch(dir, &[CHECK, &["--no-cache"]].concat());
    assert!(out.stdout.starts_with(b"{"));
    assert!(!dir.join(".vouch_cache").exists());
    // With a store present, `--no-cache` still does not touch it.
    vouch(dir, CHECK);
    let again = vouch(dir, &[CHECK, &["--no-cache"]].concat());
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("vouch: cache:"),
        "the cache is not consulted"
    );
}

#[test]
fn the_cache_lives_beside_the_configuration() {
    let tmp = project();
    let dir = tmp.path();
    std::fs::write(dir.join("vouch.toml"), "").expect("write");
    let sub = dir.join("pkg");
    let out = vouch(&sub, &["check", ".", "--format", "json"]);
    assert!(
        out.stdout.starts_with(b"{"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join(".vouch_cache").is_dir(), "next to vouch.toml");
    assert!(!sub.join(".vouch_cache").exists());
}

#[test]
fn the_shipped_corpus_reports_the_same_cached_and_uncached() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
            .current_dir(root)
            .env("VOUCH_CACHE_DIR", tmp.path())
            .args(["check", "corpus", "--format", "json", "--proofs"])
            .args(extra)
            .output()
            .expect("run vouch");
        report(&out)
    };
    let uncached = run(&["--no-cache"]);
    let cold = run(&[]);
    let warm = run(&[]);
    assert_eq!(cold, uncached);
    assert_eq!(warm, uncached);
    assert!(tmp.path().join(".gitignore").is_file());
}

#[test]
fn concurrent_runs_share_the_cache_without_damage() {
    let tmp = project();
    let dir = tmp.path().to_path_buf();
    let uncached = report(&vouch(&dir, &[CHECK, &["--no-cache"]].concat()));
    let runs: Vec<_> = (0..4)
        .map(|i| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                // Half of them see a changed file, so the runs write different stores.
                if i == 2 {
                    std::fs::write(dir.join("pkg/other.py"), OTHER).expect("write");
                }
                vouch(&dir, CHECK)
            })
        })
        .collect();
    for r in runs {
        let out = r.join().expect("run");
        assert_eq!(report(&out), uncached);
    }
    let after = vouch(&dir, CHECK);
    assert_eq!(report(&after), uncached);
    assert_eq!(
        analysed(&after),
        None,
        "the store left behind is whole and current"
    );
}
