//! Prices and shares.

pub fn share(total: u32, parts: u32) -> u32 {
    if parts == 0 {
        return total;
    }
    total / parts // ok: RS-A002
}

pub fn unit_price(total: u32, count: u32) -> u32 {
    total / count // expect: RS-A002
}
