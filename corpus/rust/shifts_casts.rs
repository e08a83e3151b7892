//! Bit flags, packing and conversions.

pub fn flag(bit: u32) -> u32 {
    1u32 << bit // expect: RS-A004
}

pub fn flag_checked(bit: u32) -> u32 {
    if bit >= 32 {
        return 0;
    }
    1u32 << bit // ok: RS-A004
}

pub fn mask_low(bits: u8) -> u64 {
    let bits = bits.min(63);
    (1u64 << bits) - 1 // ok: RS-A004, RS-A001
}

pub fn high_byte(word: u16) -> u8 {
    (word >> 8) as u8 // ok: RS-A004, RS-A005
}

pub fn shift_by_width() -> u8 {
    let width: u32 = 8;
    1u8 << width // expect: RS-A004
}

pub fn header_len(payload: &[u8]) -> u8 {
    payload.len() as u8 // expect: RS-A005
}

pub fn header_len_checked(payload: &[u8]) -> u8 {
    if payload.len() > 255 {
        return 255;
    }
    payload.len() as u8 // ok: RS-A005
}

pub fn to_unsigned(delta: i32) -> u32 {
    delta as u32 // expect: RS-A005
}

pub fn to_unsigned_checked(delta: i32) -> u32 {
    if delta < 0 {
        return 0;
    }
    delta as u32 // ok: RS-A005
}

pub fn widen(x: u16) -> u64 {
    x as u64 // ok: RS-A005
}

pub fn port_from_config() -> u16 {
    let configured: u32 = 70_000;
    configured as u16 // expect: RS-A005
}

pub fn signed_byte(b: u8) -> i8 {
    b as i8 // expect: RS-A005
}

pub fn packed_rgb(r: u8, g: u8, b: u8) -> u32 {
    ((r as u32) << 16) | ((g as u32) << 8) | (b as u32) // ok: RS-A004, RS-A005
}

pub fn bit_length(n: u32) -> usize {
    32 - n.leading_zeros() as usize // ok: RS-A001
}

pub struct Look {
    pub terminator: u8,
}

impl Look {
    pub fn is_start(&self, _haystack: &[u8], at: usize) -> bool {
        at == 0
    }

    pub fn after_terminator(&self, haystack: &[u8], at: usize) -> bool {
        self.is_start(haystack, at) || haystack[at - 1] == self.terminator // ok: RS-A001
    }
}
