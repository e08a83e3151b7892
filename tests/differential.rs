//! The differential test (`scripts/differential.py`) at a small size: random functions run
//! by CPython beside `vouch --proofs`. Fails on any site vouch proved safe that an
//! execution crashed at, and on any difference between a `--threads 1` run and a default
//! one. Needs `python3`; skipped without it, except when `CI` is set.

use std::path::Path;
use std::process::Command;

#[test]
fn no_proof_is_contradicted_by_cpython_and_runs_agree() {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 is needed for the differential test (CI is set)"
        );
        eprintln!("skipped: no python3");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/differential.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(["--seed", "1", "--functions", "200"])
        .args(["--vouch", env!("CARGO_BIN_EXE_vouch")])
        .output()
        .expect("run scripts/differential.py");
    let report = String::from_utf8_lossy(&out.stdout);
    let errors = String::from_utf8_lossy(&out.stderr);
    eprintln!("{report}");
    assert!(
        out.status.success(),
        "false proofs or run differences:\n{report}\n{errors}"
    );
    // The report must have measured something: an empty run proves nothing.
    assert!(report.contains("false proofs: 0"), "{report}");
    assert!(report.contains("identical"), "{report}");
}
