//! Messages of Rust findings that depend on the project around the file: a crate whose
//! `Cargo.toml` keeps overflow checks in release builds gets "a panic in every build",
//! the others "a panic in debug builds, a silent wrap in release".

use std::path::Path;
use std::sync::Arc;

use vouch::analyze::{Options, analyze_project};
use vouch::lower;
use vouch::project::Project;
use vouch::rules::catalog::Catalog;

fn messages(rel: &str) -> Vec<(String, String)> {
    let catalog = Catalog::builtin().expect("embedded rules load");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).expect("corpus file is readable");
    let name = path.to_string_lossy().to_string();
    let lang = lower::language_of(&name).expect("a Rust file");
    let module = lower::lower(&name, lang, Arc::from(text.as_str()));
    let project = Project::new(vec![module]);
    let reports = analyze_project(&project, &catalog, &Options::default());
    reports
        .iter()
        .flat_map(|r| r.findings.iter())
        .map(|f| (f.rule.clone(), f.message.clone()))
        .collect()
}

#[test]
fn release_overflow_checks_make_overflows_panic_in_every_build() {
    let found = messages("corpus/rust/release_checks/src/lib.rs");
    let overflow = found
        .iter()
        .find(|(r, _)| r == "RS-A001")
        .expect("the subtraction is reported");
    assert!(
        overflow.1.contains("a panic in every build"),
        "{}",
        overflow.1
    );
    let shift = found
        .iter()
        .find(|(r, _)| r == "RS-A004")
        .expect("the shift is reported");
    assert!(shift.1.contains("a panic in every build"), "{}", shift.1);
}

#[test]
fn default_profiles_panic_in_debug_and_wrap_in_release() {
    let found = messages("corpus/rust/overflow.rs");
    let overflow = found
        .iter()
        .find(|(r, _)| r == "RS-A001")
        .expect("an overflow is reported");
    assert!(
        overflow
            .1
            .contains("a panic in debug builds, a silent wrap in release"),
        "{}",
        overflow.1
    );
}
