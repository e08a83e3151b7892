//! Inventory and billing helpers, in the style assistants write them.

const MAX_STOCK: u32 = 4_000_000_000;
const RESTOCK: u32 = 500_000_000;
const PAGE_SIZE: u16 = 512;
const PAGES: u16 = 200;

pub fn capacity_after_restock() -> u32 {
    MAX_STOCK + RESTOCK // expect: RS-A001
}

pub fn buffer_bytes() -> u16 {
    PAGE_SIZE * PAGES // expect: RS-A001
}

pub fn safe_buffer_bytes() -> u32 {
    PAGE_SIZE as u32 * PAGES as u32 // ok: RS-A001
}

pub fn remaining(stock: u32, ordered: u32) -> u32 {
    stock - ordered // expect: RS-A001
}

pub fn remaining_guarded(stock: u32, ordered: u32) -> u32 {
    if ordered > stock {
        return 0;
    }
    stock - ordered // ok: RS-A001
}

pub fn remaining_saturating(stock: u32, ordered: u32) -> u32 {
    stock.saturating_sub(ordered) // ok: RS-A001
}

pub fn line_total(price_cents: u32, quantity: u32) -> u32 {
    price_cents * quantity // expect: RS-A001
}

pub fn line_total_bounded(price_cents: u32, quantity: u32) -> u32 {
    if price_cents > 100_000 || quantity > 1_000 {
        return 0;
    }
    price_cents * quantity // ok: RS-A001
}

pub fn next_id(last: u64) -> u64 {
    last + 1 // expect: RS-A001
}

pub fn next_id_wrapping(last: u64) -> u64 {
    last.wrapping_add(1) // ok: RS-A001
}

pub fn balance_delta(balance: i64, change: i64) -> i64 {
    match balance.checked_add(change) { // ok: RS-A001
        Some(v) => v,
        None => 0,
    }
}

pub fn negate(x: i32) -> i32 {
    -x // expect: RS-A001
}

pub fn negate_small(x: i32) -> i32 {
    assert!(x > -1000);
    -x // ok: RS-A001
}

pub fn distance(a: i32) -> i32 {
    a.abs() // expect: RS-A001
}

pub fn clamped_total(a: u8, b: u8) -> u8 {
    let a = a.min(100);
    let b = b.min(100);
    a + b // ok: RS-A001
}

pub fn sum_of_squares(n: u32) -> u32 {
    let mut total: u32 = 0;
    let limit = n.min(1000);
    for i in 0..limit {
        total = total.wrapping_add(i * i); // ok: RS-A001
    }
    total
}

pub fn countdown_steps(start: u32) -> u32 {
    let mut left = start;
    let mut steps = 0u32;
    while left > 0 {
        left -= 1; // ok: RS-A001
        steps = steps.wrapping_add(1);
    }
    steps
}

pub fn percentage(part: u8, whole: u8) -> u8 {
    if whole == 0 || part > whole {
        return 0;
    }
    let scaled = part as u16 * 100; // ok: RS-A001
    (scaled / whole as u16) as u8
}

pub fn fee_with_tax(amount: u16) -> u16 {
    let fee: u16 = 250;
    amount + fee // expect: RS-A001
}
