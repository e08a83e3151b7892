//! Byte offsets to LSP positions and back, in the position encoding the client negotiated.
//!
//! Findings carry byte offsets; LSP positions are (line, column) with the column counted in
//! UTF-8 bytes or UTF-16 code units. Getting this wrong moves squiggles and, worse, makes
//! code actions edit the wrong characters on any line with non-ASCII text.

use lsp_types::{Position, PositionEncodingKind, Range};

/// The column unit agreed with the client during `initialize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion, and what our offsets already are),
    /// otherwise UTF-16, the encoding every client must support.
    pub fn negotiate(offered: &[PositionEncodingKind]) -> Encoding {
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// Width of `s` in this encoding's units.
    fn width(self, s: &str) -> u32 {
        let n = match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// Line starts of a document. LSP counts `\n`, `\r\n` and a lone `\r` as line ends (so does
/// Python), so all three start a new line here.
pub struct LineMap<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineMap<'a> {
    pub fn new(text: &'a str) -> LineMap<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineMap { text, starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// `offset` clamped to the text and moved back to a character boundary, so a stale or
    /// odd span can never make slicing panic.
    fn floor(&self, offset: usize) -> usize {
        let mut i = offset.min(self.text.len());
        while i > 0 && !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    /// 0-based index of the line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The LSP position of a byte offset.
    pub fn position(&self, offset: usize, enc: Encoding) -> Position {
        let offset = self.floor(offset);
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = enc.width(self.text.get(start..offset).unwrap_or(""));
        Position::new(u32::try_from(line).unwrap_or(u32::MAX), col)
    }

    pub fn range(&self, start: usize, end: usize, enc: Encoding) -> Range {
        let end = end.max(start);
        Range::new(self.position(start, enc), self.position(end, enc))
    }

    /// Byte range of 0-based `line` without its line ending; `None` past the last line.
    pub fn line_bounds(&self, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line)?;
        let mut end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some((start, end))
    }

    /// The byte offset of an LSP position; columns past the end of the line mean its end,
    /// lines past the end mean the end of the text (what the protocol asks for).
    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let Some((start, end)) = self.line_bounds(pos.line as usize) else {
            return self.text.len();
        };
        let line = self.text.get(start..end).unwrap_or("");
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= pos.character {
                return start + i;
            }
            units += match enc {
                Encoding::Utf8 => c.len_utf8() as u32,
                Encoding::Utf16 => c.len_utf16() as u32,
            };
        }
        end
    }

    /// The text of 0-based `line` without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        self.line_bounds(line)
            .and_then(|(s, e)| self.text.get(s..e))
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_encoding() {
        // `é` is 2 UTF-8 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 units.
        let text = "a = 'é😀'; b\nx";
        let map = LineMap::new(text);
        let b = text.find("b").expect("b");
        assert_eq!(map.position(b, Encoding::Utf8), Position::new(0, 14));
        assert_eq!(map.position(b, Encoding::Utf16), Position::new(0, 11));
        let x = text.find('x').expect("x");
        assert_eq!(map.position(x, Encoding::Utf16), Position::new(1, 0));
    }

    #[test]
    fn positions_map_back_to_offsets() {
        let text = "é😀x\ny";
        let map = LineMap::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for off in [0, 2, 6, 7, 8, 9] {
                assert_eq!(
                    map.offset(map.position(off, enc), enc),
                    off,
                    "{enc:?} {off}"
                );
            }
        }
        assert_eq!(map.offset(Position::new(0, 99), Encoding::Utf16), 7);
        assert_eq!(map.offset(Position::new(9, 0), Encoding::Utf16), text.len());
    }

    #[test]
    fn all_line_endings_count() {
        let text = "a\r\nb\rc\nd";
        let map = LineMap::new(text);
        assert_eq!(
            map.position(text.find('d').expect("d"), Encoding::Utf8)
                .line,
            3
        );
        assert_eq!(map.line_text(0), "a");
        assert_eq!(map.line_text(1), "b");
        assert_eq!(map.line_text(2), "c");
        assert_eq!(map.line_text(3), "d");
        assert_eq!(map.line_text(4), "");
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        let text = "é\n";
        let map = LineMap::new(text);
        assert_eq!(map.position(1, Encoding::Utf16), Position::new(0, 0));
        assert_eq!(map.position(99, Encoding::Utf8), Position::new(1, 0));
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        assert_eq!(Encoding::negotiate(&[]), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(&[PositionEncodingKind::UTF16, PositionEncodingKind::UTF8]),
            Encoding::Utf8
        );
    }
}
