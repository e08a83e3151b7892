//! The JSON report: exact shape of DESIGN.md, character columns, witness order.

#[path = "fixtures/report_fixture.rs"]
mod fixture;

use serde_json::Value;
use vouch::report::json::render;

fn doc() -> Value {
    serde_json::from_str(&render(&fixture::run(), false)).expect("valid JSON")
}

#[test]
fn top_level_and_finding_keys_follow_the_contract() {
    let d = doc();
    assert!(d["version"].is_string());
    let summary = d["summary"].as_object().expect("summary");
    for key in [
        "files",
        "lines",
        "findings",
        "proved",
        "violated",
        "unknown",
        "unseen",
        "baselined",
        "elapsed_ms",
    ] {
        assert!(summary[key].is_u64(), "summary.{key}");
    }
    assert_eq!(d["summary"]["files"], 2);
    assert_eq!(d["summary"]["findings"], 4);
    assert_eq!(d["summary"]["violated"], 3);
    assert_eq!(d["summary"]["proved"], 1);
    assert_eq!(d["summary"]["unknown"], 1);
    assert_eq!(d["summary"]["unseen"], 2);
    assert_eq!(d["summary"]["baselined"], 0, "no baseline, nothing hidden");
    assert_eq!(d["summary"]["elapsed_ms"], 12);

    let findings = d["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 4);
    let required = [
        "rule",
        "name",
        "cwe",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "verdict",
        "witness",
        "help",
        "fix",
    ];
    for f in findings {
        let obj = f.as_object().expect("object");
        for key in required {
            assert!(obj.contains_key(key), "missing {key} in {f}");
        }
        assert!(f["cwe"].as_array().expect("cwe").iter().all(Value::is_u64));
        assert!(["error", "warning", "note"].contains(&f["severity"].as_str().expect("sev")));
        assert!(["violated", "unknown"].contains(&f["verdict"].as_str().expect("verdict")));
        assert!(f["witness"].is_null() || f["witness"].is_object());
        assert!(f["fix"].is_null() || f["fix"].is_object());
    }
    assert!(d.get("proofs").is_none());
    assert_eq!(d["notes"].as_array().expect("notes").len(), 2);
}

#[test]
fn columns_are_one_based_characters() {
    let d = doc();
    let f = &d["findings"];
    // assert on line 6: `SUBTOTAL` starts at column 8, the span ends after `TOTAL` (col 31).
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(6), Some(8))
    );
    assert_eq!(
        (f[0]["end_line"].as_u64(), f[0]["end_column"].as_u64()),
        (Some(6), Some(31))
    );
    // The division: `len("café ☕") / len(items)` starts at char 12 and, although `é` and `☕`
    // take 2 and 3 bytes, ends at char 38 (exclusive), not byte 41.
    assert_eq!(f[2]["rule"], "PY-Z001");
    assert_eq!(
        (f[2]["column"].as_u64(), f[2]["end_column"].as_u64()),
        (Some(12), Some(38))
    );
    // The multi-line SQL span.
    assert_eq!(f[3]["line"], 18);
    assert_eq!(f[3]["end_line"], 20);
    assert_eq!(f[3]["end_column"], 6);
    assert_eq!(f[3]["verdict"], "unknown");
    assert_eq!(f[3]["cwe"], serde_json::json!([89, 943]));
}

#[test]
fn witness_keeps_its_order_and_fix_has_positions() {
    let text = render(&fixture::run(), false);
    // `items` before `zeta` in the analysis order; the map must not re-sort. Check the raw
    // text too, since a parser may re-sort.
    let items = text.find("\"items\": \"[]\"").expect("items");
    let zeta = text.find("\"zeta\": \"'ü'\"").expect("zeta");
    assert!(items < zeta);
    let d = doc();
    let shell = &d["findings"][1];
    assert_eq!(shell["witness"], serde_json::json!({"use_shell": "True"}));
    assert_eq!(shell["latent"], true);
    assert_eq!(shell["fix"]["description"], "set `shell=False`");
    let edit = &shell["fix"]["edits"][0];
    assert_eq!(edit["start_line"], 10);
    assert_eq!(edit["start_column"], 25);
    assert_eq!(edit["end_line"], 10);
    assert_eq!(edit["end_column"], 40);
    assert_eq!(edit["replacement"], "shell=False");
    assert!(d["findings"][2]["fix"].is_null());
    assert_eq!(d["findings"][0]["shown"]["left side"], "118");
}

#[test]
fn proofs_are_included_on_request() {
    let d: Value = serde_json::from_str(&render(&fixture::run(), true)).expect("json");
    let p = &d["proofs"][0];
    assert_eq!(p["rule"], "PY-Z001");
    assert_eq!(p["line"], 14);
    assert_eq!(p["column"], 12);
}
