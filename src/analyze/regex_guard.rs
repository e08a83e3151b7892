//! Regular-expression guards as facts about characters.
//!
//! `re.fullmatch(r"[a-z0-9.-]+", host)` on the path means `host` holds only characters the
//! pattern can produce. Z3 4.8's regex theory stalls on such queries combined with
//! `contains`, so the pattern is parsed here (regex-syntax) into its alphabet and the guard
//! becomes one Boolean fact per character a rule cares about: `¬contains(host, ";")`.

use regex_syntax::hir::{Class, Hir, HirKind};

/// How much of the subject a call's match must cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `re.fullmatch`: the whole string.
    Full,
    /// `re.match`: anchored at the start only.
    Start,
    /// `re.search`: anywhere.
    Search,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alphabet {
    ranges: Vec<(char, char)>,
    /// The pattern matches the empty string.
    pub can_be_empty: bool,
}

impl Alphabet {
    pub fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|(a, b)| *a <= c && c <= *b)
    }
}

/// The characters a successful match guarantees the subject is made of, or `None` when the
/// match does not constrain the whole subject (unanchored, unparseable, or using features
/// we do not translate).
pub fn alphabet(pattern: &str, mode: Mode) -> Option<Alphabet> {
    // Python spellings regex-syntax does not know: `\Z` is the end of the text.
    let translated = pattern.replace("\\Z", "\\z");
    let trimmed = translated.trim_end();
    let (starts, ends_strict, ends_dollar) = (
        translated.starts_with('^') || translated.starts_with("\\A"),
        trimmed.ends_with("\\z") && !trimmed.ends_with("\\\\z"),
        trimmed.ends_with('$') && !trimmed.ends_with("\\$"),
    );
    let anchored = match mode {
        Mode::Full => true,
        Mode::Start => ends_strict || ends_dollar,
        Mode::Search => starts && (ends_strict || ends_dollar),
    };
    if !anchored {
        return None;
    }
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&translated)
        .ok()?;
    let mut ranges = Vec::new();
    collect(&hir, &mut ranges);
    // Python's `$` also matches before a final newline, which `re.match` then accepts.
    if mode != Mode::Full && ends_dollar && !ends_strict {
        ranges.push(('\n', '\n'));
    }
    Some(Alphabet {
        ranges,
        can_be_empty: hir.properties().minimum_len() == Some(0),
    })
}

fn collect(hir: &Hir, out: &mut Vec<(char, char)>) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            for c in String::from_utf8_lossy(&lit.0).chars() {
                out.push((c, c));
            }
        }
        HirKind::Class(Class::Unicode(cls)) => {
            out.extend(cls.iter().map(|r| (r.start(), r.end())));
        }
        HirKind::Class(Class::Bytes(cls)) => {
            out.extend(
                cls.iter()
                    .map(|r| (char::from(r.start()), char::from(r.end()))),
            );
        }
        HirKind::Repetition(rep) => collect(&rep.sub, out),
        HirKind::Capture(cap) => collect(&cap.sub, out),
        HirKind::Concat(items) | HirKind::Alternation(items) => {
            for h in items {
                collect(h, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullmatch_alphabet_excludes_metacharacters() {
        let a = alphabet(r"[A-Za-z0-9.-]+", Mode::Full).expect("parses");
        assert!(a.contains('a') && a.contains('-') && a.contains('.'));
        assert!(!a.contains(';') && !a.contains(' ') && !a.contains('\''));
        assert!(!a.can_be_empty);
    }

    #[test]
    fn unanchored_match_gives_no_fact() {
        assert!(alphabet(r"[a-z]+", Mode::Start).is_none());
        assert!(alphabet(r"[a-z]+", Mode::Search).is_none());
        assert!(alphabet(r"^[a-z]+", Mode::Search).is_none());
    }

    #[test]
    fn dollar_lets_a_trailing_newline_through() {
        let a = alphabet(r"^[a-z]+$", Mode::Start).expect("anchored");
        assert!(a.contains('\n'));
        let b = alphabet(r"[a-z]+\Z", Mode::Start).expect("anchored");
        assert!(!b.contains('\n'));
    }

    #[test]
    fn dot_allows_everything_but_newline() {
        let a = alphabet(r".*", Mode::Full).expect("parses");
        assert!(a.contains(';') && a.can_be_empty);
    }
}
