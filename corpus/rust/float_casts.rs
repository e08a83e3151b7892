//! Money and sensor conversions from floats to integers.

pub fn to_cents(amount: f64) -> u64 {
    (amount * 100.0) as u64 // expect: RS-A005
}

pub fn to_cents_checked(amount: f64) -> u64 {
    if !amount.is_finite() || amount < 0.0 || amount > 1.0e12 {
        return 0;
    }
    (amount * 100.0) as u64 // ok: RS-A005
}

pub fn brightness(level: f32) -> u8 {
    (level * 255.0) as u8 // expect: RS-A005
}

pub fn brightness_clamped(level: f32) -> u8 {
    (level.clamp(0.0, 1.0) * 255.0) as u8 // ok: RS-A005
}

pub fn percent(ratio: f64) -> u8 {
    if !(0.0..=1.0).contains(&ratio) {
        return 0;
    }
    (ratio * 100.0) as u8 // ok: RS-A005
}

pub fn capacity_for(items: usize) -> usize {
    (items as f64 * 1.5) as usize // ok: RS-A005
}

pub fn default_timeout_ms() -> u16 {
    let seconds = 90.5;
    (seconds * 1000.0) as u16 // expect: RS-A005
}

pub fn default_retry_ms() -> u16 {
    let seconds = 2.5;
    (seconds * 1000.0) as u16 // ok: RS-A005
}

pub fn rounded(reading: f64) -> i32 {
    reading.round() as i32 // expect: RS-A005
}
