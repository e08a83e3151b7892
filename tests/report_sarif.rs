//! SARIF output validated against the official 2.1.0 schema (the OASIS schema, kept in tests/fixtures), plus
//! the parts GitHub code scanning relies on.

#[path = "fixtures/report_fixture.rs"]
mod fixture;

use std::path::Path;

use serde_json::Value;
use vouch::report::sarif::render_with_root;
use vouch::rules::catalog::Catalog;

fn sarif() -> Value {
    let text = render_with_root(&fixture::run(), &Catalog::default(), Some(Path::new("/w")));
    serde_json::from_str(&text).expect("valid JSON")
}

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the SARIF schema must be at {}: {e}", path.display()));
    serde_json::from_str(&text).expect("schema is JSON")
}

fn assert_valid(doc: &Value) {
    let validator = jsonschema::draft4::new(&schema()).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn validates_against_the_schema() {
    assert_valid(&sarif());
}

#[test]
fn empty_run_validates_too() {
    let text = render_with_root(&vouch::report::Run::default(), &Catalog::default(), None);
    assert_valid(&serde_json::from_str(&text).expect("json"));
}

#[test]
fn rules_carry_what_github_needs() {
    let d = sarif();
    let run = &d["runs"][0];
    assert_eq!(d["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "vouch");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["PY-A001", "PY-S602", "PY-S608", "PY-Z001"]);
    for r in rules {
        let tags = r["properties"]["tags"].as_array().expect("tags");
        assert!(tags.iter().any(|t| t == "security"), "{r}");
        assert!(tags.iter().any(|t| {
            t.as_str()
                .is_some_and(|t| t.starts_with("external/cwe/cwe-"))
        }));
        let score: f64 = r["properties"]["security-severity"]
            .as_str()
            .expect("string")
            .parse()
            .expect("numeric");
        assert!((0.0..=10.0).contains(&score));
        assert!(r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(r["defaultConfiguration"]["level"].is_string());
    }
    let sql = &rules[2];
    let tags: Vec<&str> = sql["properties"]["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        tags,
        ["security", "external/cwe/cwe-89", "external/cwe/cwe-943"]
    );
}

#[test]
fn results_point_at_regions_with_fingerprints_and_fixes() {
    let d = sarif();
    let run = &d["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "app/billing.py");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(r["partialFingerprints"]["vouch/v1"].is_string());
    }
    let shell = &results[1];
    assert_eq!(shell["level"], "warning");
    assert!(
        shell["message"]["text"]
            .as_str()
            .is_some_and(|m| m.contains("fails when `use_shell` = True")),
        "{shell}"
    );
    assert_eq!(
        shell["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        9
    );
    let repl = &shell["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(repl["insertedContent"]["text"], "shell=False");
    assert_eq!(repl["deletedRegion"]["startColumn"], 25);
    let div = &results[2]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (div["startColumn"].as_u64(), div["endColumn"].as_u64()),
        (Some(12), Some(38))
    );
    assert_eq!(results[3]["level"], "note");
    // Notes reach the invocation as notifications.
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notes");
    assert_eq!(notes.len(), 2);
}

#[test]
fn fingerprints_survive_lines_moving() {
    let before = sarif();
    let mut run = fixture::run();
    // Two lines inserted at the top: every line number moves, the fingerprints must not.
    let moved = format!("# header\n# header\n{}", fixture::SOURCE);
    for f in &mut run.files[0].report.findings {
        f.span.line += 2;
        f.span.end_line += 2;
        f.span.start += 18;
        f.span.end += 18;
    }
    run.files[0].source = moved.as_str().into();
    let after: Value =
        serde_json::from_str(&render_with_root(&run, &Catalog::default(), None)).expect("json");
    let fps = |d: &Value| -> Vec<Value> {
        d["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(fps(&before), fps(&after));
}

#[test]
fn rules_from_the_real_catalog_validate() {
    let catalog = Catalog::builtin().expect("builtin catalog");
    let mut run = fixture::run();
    // Give every hand-made finding the id of a shipped rule, so the metadata comes from the
    // catalog (docs, references, fix) rather than from the finding.
    let ids: Vec<String> = catalog.rules.iter().take(4).map(|r| r.id.clone()).collect();
    for (f, id) in run.files[0].report.findings.iter_mut().zip(&ids) {
        f.rule = id.clone();
    }
    let doc: Value = serde_json::from_str(&render_with_root(&run, &catalog, None)).expect("json");
    assert_valid(&doc);
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert_eq!(rules.len(), ids.len().min(4));
    for r in rules {
        let rule = catalog
            .get(r["id"].as_str().expect("id"))
            .expect("in catalog");
        assert_eq!(r["name"], rule.name.as_str());
        assert_eq!(r["shortDescription"]["text"], rule.summary.as_str());
        assert!(
            r["help"]["markdown"]
                .as_str()
                .is_some_and(|m| m.contains("**Fix**"))
        );
    }
}

#[test]
fn a_broken_document_is_rejected() {
    // Guards the guard: the validator must actually check.
    let mut doc = sarif();
    doc["runs"][0]["results"][0]["level"] = Value::from("fatal");
    let validator = jsonschema::draft4::new(&schema()).expect("schema compiles");
    assert!(!validator.is_valid(&doc));
}
