//! Option handling.

pub fn total(a: u32, b: u32) -> u32 {
    a.checked_add(b).unwrap() // expect: RS-A007
}

pub fn total_bounded(a: u32, b: u32) -> u32 {
    if a > 1_000_000 || b > 1_000_000 {
        return 0;
    }
    a.checked_add(b).unwrap() // ok: RS-A007
}

pub fn total_or_zero(a: u32, b: u32) -> u32 {
    a.checked_add(b).unwrap_or(0) // ok: RS-A007
}

pub fn per_item(total: u32, items: u32) -> u32 {
    total.checked_div(items).expect("items") // expect: RS-A007
}

pub fn per_item_checked(total: u32, items: u32) -> u32 {
    if items == 0 {
        return 0;
    }
    total.checked_div(items).expect("items is not zero") // ok: RS-A007
}

pub fn nth(values: &[u32], i: usize) -> u32 {
    *values.get(i).unwrap() // expect: RS-A007
}

pub fn nth_checked(values: &[u32], i: usize) -> u32 {
    if i >= values.len() {
        return 0;
    }
    *values.get(i).unwrap() // ok: RS-A007
}

pub fn head(values: &[u32]) -> u32 {
    *values.first().unwrap() // expect: RS-A007
}

pub fn head_checked(values: &[u32]) -> u32 {
    if values.is_empty() {
        return 0;
    }
    *values.first().unwrap() // ok: RS-A007
}

pub fn parse_sum(a: u8, b: u8) -> Option<u8> {
    let s = a.checked_add(b)?; // ok: RS-A007
    Some(s)
}

pub fn scaled(x: u16) -> u16 {
    let factor: u16 = 300;
    x.checked_mul(factor).unwrap() // expect: RS-A007
}
