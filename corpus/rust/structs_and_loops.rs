//! Counters on structs, helper calls, loops and matches.

pub struct RateLimiter {
    pub hits: u32,
    pub window: u32,
}

impl RateLimiter {
    pub fn new() -> Self {
        RateLimiter { hits: 0, window: 60 }
    }

    pub fn per_second(&self) -> u32 {
        self.hits / self.window // ok: RS-A002
    }

    pub fn record(&mut self, n: u32) {
        self.hits = self.hits.saturating_add(n); // ok: RS-A001
    }
}

mod money {
    pub const CENTS: u64 = 100;

    pub fn to_cents(dollars: u64) -> u64 {
        dollars * CENTS // expect: RS-A001
    }

    pub fn to_cents_checked(dollars: u64) -> Option<u64> {
        dollars.checked_mul(CENTS) // ok: RS-A001
    }
}

// Private to the module: its latent overflow is judged at the calls below.
fn scale(x: u8) -> u8 {
    x * 2 // ok: RS-A001
}

pub fn scaled_constant() -> u8 {
    scale(200) // expect: RS-A001
}

pub fn scaled_small() -> u8 {
    scale(100) // ok: RS-A001
}

pub fn checksum(data: &[u8]) -> u8 {
    let mut sum: u8 = 0;
    for b in data {
        sum = sum.wrapping_add(*b); // ok: RS-A001
    }
    sum
}

pub fn count_matches(data: &[u8], needle: u8) -> u8 {
    let mut count: u8 = 0;
    for b in data {
        if *b == needle {
            count += 1; // ok: RS-A001
        }
    }
    count
}

pub fn digits(mut n: u64) -> u32 {
    let mut d = 0u32;
    while n > 0 {
        n /= 10; // ok: RS-A002
        d += 1; // ok: RS-A001
    }
    d
}

pub fn triangle(n: u32) -> u32 {
    let mut total: u32 = 0;
    let n = n.min(100);
    for i in 1..=n {
        total += i; // ok: RS-A001
    }
    total
}

pub fn parse_level(code: u8) -> u8 {
    let Some(level) = code.checked_sub(b'0') else {
        return 0;
    };
    level * 10 // expect: RS-A001
}

pub fn bucket_of(score: u32) -> usize {
    let buckets = [0u32; 10];
    let idx = match score {
        0..=9 => 0,
        10..=99 => 1,
        _ => 2,
    };
    buckets[idx] as usize // ok: RS-A006, RS-A005
}

pub fn lookup(table: &[u16], key: usize) -> u16 {
    if key < table.len() {
        table[key] // ok: RS-A006
    } else {
        0
    }
}

pub fn lookup_off(table: &[u16], key: usize) -> u16 {
    if key <= table.len() {
        table[key] // expect: RS-A006
    } else {
        0
    }
}

pub fn window_sum(xs: &[u64], start: usize) -> u64 {
    if xs.len() < 4 || start > xs.len() - 4 {
        return 0;
    }
    xs[start].wrapping_add(xs[start + 3]) // ok: RS-A006, RS-A001
}

pub fn elapsed(start: u64, end: u64) -> u64 {
    if end < start {
        return 0;
    }
    end - start // ok: RS-A001
}

pub fn elapsed_wrong(start: u64, end: u64) -> u64 {
    if end > start {
        return end - start; // ok: RS-A001
    }
    start - end - 1 // expect: RS-A001
}

pub fn average_u8(values: &[u8]) -> u8 {
    let mut total: u32 = 0;
    for v in values {
        total += *v as u32; // ok: RS-A001
    }
    (total / values.len() as u32) as u8 // expect: RS-A002, RS-A005
}

pub struct Counter {
    value: u8,
}

impl Counter {
    pub fn new(value: u8) -> Self {
        Self { value }
    }

    pub fn add(&mut self, amount: u8) {
        self.value += amount; // expect: RS-A001
    }

    pub fn add_checked(&mut self, amount: u8) {
        self.value = self.value.saturating_add(amount); // ok: RS-A001
    }
}

fn main() {
    let mut t: i32 = 0;
    while t < 100 {
        t += 1;
    }
    let a: u32 = 1;
    let _ = a - t as u32; // expect: RS-A001
}
