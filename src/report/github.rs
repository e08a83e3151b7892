//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
//! which the runner turns into annotations on the pull request.

use std::fmt::Write as _;

use super::{LineIndex, Run, char_range, message_with_counterexample};
use crate::finding::Severity;

/// One command per finding, then one `::notice` per note.
pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for file in &run.files {
        let idx = LineIndex::new(&file.source);
        for f in &file.report.findings {
            let (line, col, end_line, end_col) = char_range(&idx, &f.span);
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let mut message = message_with_counterexample(f);
            if !f.help.trim().is_empty() {
                message.push('\n');
                message.push_str(f.help.trim());
            }
            let _ = writeln!(
                out,
                "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                escape_property(&file.report.path),
                escape_property(&format!("{} {}", f.rule, f.name)),
                escape_data(&message)
            );
        }
    }
    for note in run.all_notes() {
        let _ = writeln!(
            out,
            "::notice file={},title=vouch::{}",
            escape_property(&note.path),
            escape_data(&note.message)
        );
    }
    out
}

/// Escaping for the message part, as the runner's own toolkit does it.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for `key=value` properties, where `:` and `,` are separators too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% of a\r\nb"), "50%25 of a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
