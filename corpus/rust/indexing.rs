//! Lookups in tables and buffers.

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn last_element(xs: &[u32]) -> u32 {
    let n = xs.len();
    xs[n] // expect: RS-A006
}

pub fn last_element_checked(xs: &[u32]) -> u32 {
    if xs.is_empty() {
        return 0;
    }
    let n = xs.len();
    xs[n - 1] // ok: RS-A006, RS-A001
}

pub fn third_field(fields: &[u32]) -> u32 {
    if fields.len() < 2 {
        return 0;
    }
    fields[2] // expect: RS-A006
}

pub fn third_field_checked(fields: &[u32]) -> u32 {
    if fields.len() < 3 {
        return 0;
    }
    fields[2] // ok: RS-A006
}

pub fn sum_pairs(values: &[i64]) -> i64 {
    let mut total: i64 = 0;
    for i in 0..values.len() {
        total = total.wrapping_add(values[i]); // ok: RS-A006
    }
    total
}

pub fn sum_next(values: &[i64]) -> i64 {
    let mut total: i64 = 0;
    for i in 0..values.len() {
        total = total.wrapping_add(values[i + 1]); // expect: RS-A006
    }
    total
}

pub fn weekday_name(day: usize) -> &'static str {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    days[day] // expect: RS-A006
}

pub fn weekday_name_checked(day: usize) -> &'static str {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    days[day % 7] // ok: RS-A006
}

pub fn fixed_slot() -> u8 {
    let slots = [1u8, 2, 3, 4];
    slots[4] // expect: RS-A006
}

pub fn histogram(values: &[u8]) -> Vec<u32> {
    let mut counts = vec![0u32; 16];
    for v in values {
        let bucket = (*v / 16) as usize;
        counts[bucket] += 1; // ok: RS-A006
    }
    counts
}

pub fn histogram_off(values: &[u8]) -> u32 {
    let counts = vec![0u32; 16];
    let v: u8 = 255;
    let bucket = (v / 8) as usize;
    counts[bucket] // expect: RS-A006
}

pub fn first_weekday() -> &'static str {
    WEEKDAYS[0] // ok: RS-A006
}

pub fn strip_underscores(digits: &str) -> Vec<u8> {
    let mut bytes = digits.as_bytes().to_vec();
    let mut read = 0;
    let mut write = 0;
    while read < bytes.len() {
        if bytes[read] != b'_' {
            bytes[write] = bytes[read]; // ok: RS-A006
            write += 1;
        }
        read += 1;
    }
    bytes.truncate(write);
    bytes
}
