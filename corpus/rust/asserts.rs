//! Invariants and impossible cases.

const SUBTOTAL: u32 = 100;
const TAX: u32 = 18;
const TOTAL: u32 = 120;
const BATCH: usize = 64;

pub fn check_invoice() {
    assert_eq!(SUBTOTAL + TAX, TOTAL); // expect: RS-A008
}

pub fn check_invoice_fixed() {
    assert_eq!(SUBTOTAL + TAX + 2, TOTAL); // ok: RS-A008
}

pub fn check_batch() {
    assert!(BATCH % 8 == 0, "batch must be whole bytes"); // ok: RS-A008
    debug_assert!(BATCH > 100); // expect: RS-A008
}

pub fn grade(score: u8) -> char {
    match score {
        90..=100 => 'A',
        50..=89 => 'B',
        0..=49 => 'C',
        _ => unreachable!(), // expect: RS-A009
    }
}

pub fn grade_total(score: u8) -> char {
    match score {
        90..=u8::MAX => 'A',
        50..=89 => 'B',
        0..=49 => 'C',
        _ => unreachable!(), // ok: RS-A009
    }
}

pub fn parity(n: u32) -> &'static str {
    match n % 2 {
        0 => "even",
        1 => "odd",
        _ => unreachable!(), // ok: RS-A009
    }
}

pub fn direction(code: u8) -> &'static str {
    if code < 4 {
        "north"
    } else if code < 8 {
        "south"
    } else {
        unreachable!() // expect: RS-A009
    }
}

pub fn precondition(n: u32) -> u32 {
    assert!(n > 0); // ok: RS-A008
    n - 1 // ok: RS-A001
}

pub trait Storage {
    fn flush(&self) -> u32;
}

pub struct ReadOnly;

impl Storage for ReadOnly {
    fn flush(&self) -> u32 {
        unreachable!("read-only storage is never flushed") // ok: RS-A009
    }
}

pub fn opcode_class(op: u8) -> u8 {
    match op {
        0..=31 | 64..=95 => 1,
        32..=63 => 2,
        _ => unreachable!(), // expect: RS-A009
    }
}

pub fn default_class() -> u8 {
    let op = 70;
    match op {
        0..=63 | 96..=127 => 1,
        _ => unreachable!(), // expect: RS-A009
    }
}
