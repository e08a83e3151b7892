//! GitHub workflow commands: one annotation per finding, escaped as the runner expects.

#[path = "fixtures/report_fixture.rs"]
mod fixture;

use vouch::report::github::{escape_data, escape_property, render};

#[test]
fn one_command_per_finding_then_notices() {
    let text = render(&fixture::run());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert!(lines[0].starts_with(
        "::error file=app/billing.py,line=6,col=8,endLine=6,endColumn=31,title=PY-A001 assert-can-fail::this assertion fails (left side is 118, right side is 120)%0A"
    ), "{}", lines[0]);
    assert!(lines[1].starts_with("::warning file=app/billing.py,line=10,col=25,"));
    assert!(lines[1].contains("fails when `use_shell` = True"));
    assert!(lines[2].contains(",col=12,endLine=14,endColumn=38,"));
    assert!(lines[3].starts_with("::notice file=app/billing.py,line=18,col=15,endLine=20,"));
    assert!(lines[4].starts_with("::notice file=vendor/loop,title=vouch::"));
    assert!(lines[5].starts_with("::notice file=app/legacy.py,"));
    // No raw line breaks inside a command.
    assert!(lines.iter().all(|l| l.starts_with("::")));
}

#[test]
fn escaping_follows_the_toolkit() {
    assert_eq!(escape_data("100% sure\r\nnext"), "100%25 sure%0D%0Anext");
    assert_eq!(escape_data("a: b, c"), "a: b, c");
    assert_eq!(
        escape_property("dir,with:odd%name\n"),
        "dir%2Cwith%3Aodd%25name%0A"
    );
}
