//! Packet and text parsing with range slices, as assistants write it.

pub fn payload(packet: &[u8], len: usize) -> &[u8] {
    if packet.len() < 4 {
        return &[];
    }
    &packet[4..4 + len] // expect: RS-A011, RS-A001
}

pub fn payload_checked(packet: &[u8], len: usize) -> &[u8] {
    if len > 1024 || packet.len() < 4 + len {
        return &[];
    }
    &packet[4..4 + len] // ok: RS-A011
}

pub fn window(values: &[u32], start: usize, end: usize) -> &[u32] {
    &values[start..end] // expect: RS-A011
}

pub fn window_ordered(values: &[u32], start: usize, end: usize) -> &[u32] {
    if start > end {
        return &[];
    }
    &values[start..end] // ok: RS-A011
}

pub fn prefix(name: &str, n: usize) -> &str {
    let total = name.len();
    if total == 0 {
        return name;
    }
    &name[..n] // expect: RS-A011
}

pub fn prefix_clamped(name: &str, n: usize) -> &str {
    let n = n.min(name.len());
    &name[..n] // ok: RS-A011
}

pub fn tail_from(line: &str, skip: usize) -> &str {
    if line.is_empty() {
        return line;
    }
    &line[skip..] // expect: RS-A011
}

pub fn tail_checked(line: &str, skip: usize) -> &str {
    if skip > line.len() {
        return "";
    }
    &line[skip..] // ok: RS-A011
}

pub fn header() -> u8 {
    let frame = [0x7eu8, 1, 2, 3];
    let body = &frame[1..6]; // expect: RS-A011
    body[0]
}

pub fn header_fixed() -> u8 {
    let frame = [0x7eu8, 1, 2, 3];
    let body = &frame[1..4]; // ok: RS-A011
    body[2] // ok: RS-A006
}

pub fn header_past_body() -> u8 {
    let frame = [0x7eu8, 1, 2, 3];
    let body = &frame[1..3];
    body[2] // expect: RS-A006
}

pub fn inclusive_range(values: &[u32], last: usize) -> u32 {
    if last >= values.len() {
        return 0;
    }
    values[..=last].iter().sum() // ok: RS-A011, RS-A001
}

pub fn escaped(byte: u8) -> usize {
    let out = [0u8; 10];
    let mut len = 0;
    for _ in core::ascii::escape_default(byte) {
        len += 1;
    }
    out[..len].len() // ok: RS-A011
}

pub fn after_zeros(digits: &[u8]) -> &[u8] {
    let total = digits.len();
    if total == 0 {
        return digits;
    }
    let start = digits.iter().take_while(|&d| *d == b'0').count();
    &digits[start..] // ok: RS-A011
}

pub fn without_trailing_dot(mut repr: String) -> String {
    if repr.ends_with('.') {
        repr.truncate(repr.len() - 1); // ok: RS-A001
    }
    repr
}

pub fn without_last_char(mut repr: String) -> String {
    let n = repr.len();
    repr.truncate(n - 1); // expect: RS-A001
    repr
}

pub fn block_comment_body(s: &str) -> &str {
    if !s.starts_with("/*") {
        return s;
    }
    &s[2..] // ok: RS-A011
}

pub fn skip_comment(s: &str) -> &str {
    if !s.starts_with("/*") {
        return s;
    }
    let bytes = s.as_bytes();
    let upper = bytes.len() - 1; // ok: RS-A001
    let mut i = 0;
    while i < upper {
        if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            return &s[i + 2..]; // ok: RS-A001
        }
        i += 1;
    }
    s
}
