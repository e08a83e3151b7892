//! Averages and ratios.

const SAMPLES: u32 = 0;

pub fn average(total: u64, count: u64) -> u64 {
    total / count // expect: RS-A002
}

pub fn average_guarded(total: u64, count: u64) -> u64 {
    if count == 0 {
        return 0;
    }
    total / count // ok: RS-A002
}

pub fn mean_latency(total_ms: u32) -> u32 {
    total_ms / SAMPLES // expect: RS-A002
}

pub fn mean_of(values: &[u32]) -> u32 {
    let mut sum: u32 = 0;
    for v in values {
        sum = sum.saturating_add(*v);
    }
    sum / values.len() as u32 // expect: RS-A002, RS-A005
}

pub fn mean_of_checked(values: &[u32]) -> u32 {
    if values.is_empty() {
        return 0;
    }
    let n = values.len().min(1000) as u32; // ok: RS-A005
    let mut sum: u32 = 0;
    for v in values {
        sum = sum.saturating_add(*v);
    }
    sum / n // ok: RS-A002
}

pub fn bucket(hash: u64, buckets: u64) -> u64 {
    hash % buckets // expect: RS-A002
}

pub fn bucket_nonzero(hash: u64, buckets: u64) -> u64 {
    let buckets = buckets.max(1);
    hash % buckets // ok: RS-A002
}

pub fn ratio(a: i32, b: i32) -> i32 {
    if b == 0 {
        return 0;
    }
    a / b // expect: RS-A003
}

pub fn ratio_positive(a: i32, b: i32) -> i32 {
    if b <= 0 {
        return 0;
    }
    a / b // ok: RS-A002, RS-A003
}

pub fn ratio_checked(a: i32, b: i32) -> i32 {
    a.checked_div(b).unwrap_or(0) // ok: RS-A002, RS-A003
}

pub fn remainder_of(a: i64, b: i64) -> i64 {
    if b == 0 {
        return 0;
    }
    a % b // expect: RS-A003
}

pub fn per_page(total: usize, per: usize) -> usize {
    let per = if per == 0 { 10 } else { per };
    total / per // ok: RS-A002
}

pub fn literal_divisor() -> i32 {
    let samples = 0;
    let total = 100;
    total / samples // expect: RS-A002
}

pub fn literal_product() -> u64 {
    let ms: u64 = 60 * 60 * 24 * 365 * 1000;
    ms // ok: RS-A001
}
