//! Loyalty points, in a crate that keeps overflow checks in release builds.

pub fn redeem(points: u32, cost: u32) -> u32 {
    points - cost // expect: RS-A001
}

pub fn redeem_checked(points: u32, cost: u32) -> u32 {
    if cost > points {
        return 0;
    }
    points - cost // ok: RS-A001
}

pub fn bonus_bit(tier: u32) -> u32 {
    1u32 << tier // expect: RS-A004
}
