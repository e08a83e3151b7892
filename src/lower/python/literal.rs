//! Literal decoding: string prefixes and escapes, and numbers.

use std::iter::Peekable;
use std::str::Chars;

use super::ast::Node;

use super::kinds::{Kind, Tables};
use crate::ir::Const;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Prefix {
    pub raw: bool,
    pub bytes: bool,
    /// `f` (and the template `t` of 3.14, which has the same syntax).
    pub format: bool,
}

/// The prefix of a string node, read from its `string_start` token (`rb'`, `f"""`).
pub(crate) fn string_prefix(t: &Tables, src: &str, node: Node) -> Prefix {
    let mut prefix = Prefix::default();
    let Some(start) = node.first_child() else {
        return prefix;
    };
    if t.kind(start) != Kind::StringStart {
        return prefix;
    }
    let text = src.get(start.byte_range()).unwrap_or("");
    for c in text.chars() {
        match c {
            'r' | 'R' => prefix.raw = true,
            'b' | 'B' => prefix.bytes = true,
            'f' | 'F' | 't' | 'T' => prefix.format = true,
            '\'' | '"' => break,
            _ => {}
        }
    }
    prefix
}

/// A piece of a (possibly formatted) string: decoded literal text or a replacement field.
pub(crate) enum Piece<'t> {
    Lit(String),
    Interp(Node<'t>),
}

/// The literal text and replacement fields of a `str` or f-string node, adjacent literal
/// text merged.
pub(crate) fn string_pieces<'t>(
    t: &Tables,
    src: &str,
    node: Node<'t>,
    prefix: Prefix,
) -> Vec<Piece<'t>> {
    let mut pieces: Vec<Piece<'t>> = Vec::new();
    for child in node.children() {
        match t.kind(child) {
            Kind::StringContent => {
                let text = src.get(child.byte_range()).unwrap_or("");
                if let Some(Piece::Lit(s)) = pieces.last_mut() {
                    decode_str(text, prefix.raw, prefix.format, s);
                } else {
                    let mut s = String::with_capacity(text.len());
                    decode_str(text, prefix.raw, prefix.format, &mut s);
                    pieces.push(Piece::Lit(s));
                }
            }
            Kind::Interpolation => pieces.push(Piece::Interp(child)),
            _ => {}
        }
    }
    pieces
}

/// The value of a bytes literal node.
pub(crate) fn string_bytes(t: &Tables, src: &str, node: Node, prefix: Prefix) -> Vec<u8> {
    let mut out = Vec::new();
    for child in node.children() {
        if t.kind(child) == Kind::StringContent {
            decode_bytes(
                src.get(child.byte_range()).unwrap_or(""),
                prefix.raw,
                &mut out,
            );
        }
    }
    out
}

/// The literal text of a string node for `Module::strings`: replacement fields are left
/// out of f-strings; `None` for bytes.
pub(crate) fn string_text(t: &Tables, src: &str, node: Node) -> Option<String> {
    let prefix = string_prefix(t, src, node);
    if prefix.bytes {
        return None;
    }
    let mut text = String::new();
    for piece in string_pieces(t, src, node, prefix) {
        if let Piece::Lit(s) = piece {
            text.push_str(&s);
        }
    }
    Some(text)
}

/// Decode the body of a `str` literal. `\N{...}` is kept as written (no name table).
pub(crate) fn decode_str(text: &str, raw: bool, format: bool, out: &mut String) {
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' if !raw => decode_escape(&mut it, out),
            '{' | '}' if format && it.peek() == Some(&c) => {
                it.next();
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

fn decode_escape(it: &mut Peekable<Chars>, out: &mut String) {
    let Some(c) = it.next() else {
        out.push('\\');
        return;
    };
    match c {
        '\n' => {}
        '\r' => {
            if it.peek() == Some(&'\n') {
                it.next();
            }
        }
        '\\' | '\'' | '"' => out.push(c),
        'a' => out.push('\x07'),
        'b' => out.push('\x08'),
        'f' => out.push('\x0c'),
        'n' => out.push('\n'),
        'r' => out.push('\r'),
        't' => out.push('\t'),
        'v' => out.push('\x0b'),
        '0'..='7' => {
            let value = octal(c, it);
            out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
        }
        'x' | 'u' | 'U' => {
            let width = match c {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let digits = hex_digits(it, width);
            match u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
            {
                Some(ch) if digits.len() == width => out.push(ch),
                _ => {
                    out.push('\\');
                    out.push(c);
                    out.push_str(&digits);
                }
            }
        }
        _ => {
            out.push('\\');
            out.push(c);
        }
    }
}

/// Decode the body of a bytes literal (non-ASCII text, invalid in Python, is kept as UTF-8).
pub(crate) fn decode_bytes(text: &str, raw: bool, out: &mut Vec<u8>) {
    let mut it = text.chars().peekable();
    let mut buf = [0u8; 4];
    while let Some(c) = it.next() {
        if c != '\\' || raw {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let Some(e) = it.next() else {
            out.push(b'\\');
            break;
        };
        match e {
            '\n' => {}
            '\r' => {
                if it.peek() == Some(&'\n') {
                    it.next();
                }
            }
            '\\' | '\'' | '"' => out.push(e as u8),
            'a' => out.push(0x07),
            'b' => out.push(0x08),
            'f' => out.push(0x0c),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(0x0b),
            '0'..='7' => out.push((octal(e, &mut it) & 0xff) as u8),
            'x' => {
                let digits = hex_digits(&mut it, 2);
                match u8::from_str_radix(&digits, 16) {
                    Ok(b) if digits.len() == 2 => out.push(b),
                    _ => {
                        out.extend_from_slice(b"\\x");
                        out.extend_from_slice(digits.as_bytes());
                    }
                }
            }
            _ => {
                out.push(b'\\');
                out.extend_from_slice(e.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

fn octal(first: char, it: &mut Peekable<Chars>) -> u32 {
    let mut value = first.to_digit(8).unwrap_or(0);
    for _ in 0..2 {
        match it.peek().and_then(|c| c.to_digit(8)) {
            Some(d) => {
                value = value * 8 + d;
                it.next();
            }
            None => break,
        }
    }
    value
}

fn hex_digits(it: &mut Peekable<Chars>, width: usize) -> String {
    let mut digits = String::new();
    while digits.len() < width {
        match it.peek() {
            Some(&c) if c.is_ascii_hexdigit() => {
                digits.push(c);
                it.next();
            }
            _ => break,
        }
    }
    digits
}

/// An `integer` token: decimal, hex, octal, binary, Python 2 `0777` and `10L`, and
/// imaginary `10j`. Values beyond i128 keep their text (underscores removed).
pub(crate) fn int_const(text: &str) -> Const {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    if clean.ends_with(['j', 'J']) {
        return Const::Complex(clean);
    }
    let body = clean.trim_end_matches(['l', 'L']);
    let lower = body.get(..2).map(str::to_ascii_lowercase);
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, body.get(2..).unwrap_or("")),
        Some("0o") => (8, body.get(2..).unwrap_or("")),
        Some("0b") => (2, body.get(2..).unwrap_or("")),
        _ if body.len() > 1
            && body.starts_with('0')
            && body.bytes().all(|b| (b'0'..=b'7').contains(&b)) =>
        {
            (8, body)
        }
        _ => (10, body),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Const::BigInt(clean);
    }
    match i128::from_str_radix(digits, radix) {
        Ok(v) => Const::Int(v),
        Err(_) => Const::BigInt(body.to_string()),
    }
}

/// A `float` token (`1.5`, `1e5`, `.5`, `1_000.0`, imaginary `1.5j`).
pub(crate) fn float_const(text: &str) -> Const {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    if clean.ends_with(['j', 'J']) {
        return Const::Complex(clean);
    }
    match clean.parse::<f64>() {
        Ok(v) => Const::Float(v),
        Err(_) => Const::Complex(clean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        let mut out = String::new();
        decode_str(text, false, false, &mut out);
        out
    }

    #[test]
    fn escapes() {
        assert_eq!(s(r"a\nb\tc"), "a\nb\tc");
        assert_eq!(s(r"\x41\u00e9\U0001F600"), "Aé😀");
        assert_eq!(s(r"\101\0"), "A\0");
        assert_eq!(s(r"\N{DASH}\q"), r"\N{DASH}\q");
        assert_eq!(s("a\\\nb"), "ab");
        assert_eq!(s(r"\xZZ"), r"\xZZ");
        assert_eq!(s("\\"), "\\");
        let mut raw = String::new();
        decode_str(r"\n{{", true, true, &mut raw);
        assert_eq!(raw, r"\n{");
        let mut b = Vec::new();
        decode_bytes(r"\xff\x41\n\u1234", false, &mut b);
        assert_eq!(b, b"\xffA\n\\u1234");
    }

    #[test]
    fn numbers() {
        assert_eq!(int_const("1_000"), Const::Int(1000));
        assert_eq!(int_const("0xFF"), Const::Int(255));
        assert_eq!(int_const("0o17"), Const::Int(15));
        assert_eq!(int_const("0B101"), Const::Int(5));
        assert_eq!(int_const("0777"), Const::Int(511));
        assert_eq!(int_const("10L"), Const::Int(10));
        assert_eq!(int_const("0"), Const::Int(0));
        assert_eq!(int_const("00"), Const::Int(0));
        assert_eq!(int_const("10j"), Const::Complex("10j".into()));
        let big = "1".repeat(50);
        assert_eq!(int_const(&big), Const::BigInt(big.clone()));
        assert_eq!(
            int_const("0x_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FF"),
            Const::BigInt("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF".into())
        );
        assert_eq!(float_const("1.5"), Const::Float(1.5));
        assert_eq!(float_const("1_0.5e1"), Const::Float(105.0));
        assert_eq!(float_const(".5"), Const::Float(0.5));
        assert_eq!(float_const("1."), Const::Float(1.0));
        assert_eq!(float_const("1.5J"), Const::Complex("1.5J".into()));
    }
}
