//! Closures as assistants write them: small helpers bound with `let`, adaptors.

pub fn discounted_total() -> u8 {
    let add_fee = |price: u8| price + 200;
    add_fee(100) // expect: RS-A001
}

pub fn discounted_total_small() -> u8 {
    let add_fee = |price: u8| price + 20;
    add_fee(100) // ok: RS-A001
}

pub fn checked_fee() -> Option<u8> {
    let add_fee = |price: u8| price.checked_add(200);
    add_fee(100) // ok: RS-A001
}

pub fn per_item(count: u32) -> u32 {
    let share = |total: u32| total / count;
    share(1_000) // expect: RS-A002
}

pub fn buckets(values: &[u32]) -> Vec<u32> {
    let width: u32 = 0;
    let bucket = |v: u32| v / width;
    values.iter().map(|v| bucket(*v)).collect() // expect: RS-A002
}

pub fn per_item_checked(count: u32) -> u32 {
    if count == 0 {
        return 0;
    }
    let share = |total: u32| total / count;
    share(1_000) // ok: RS-A002
}

pub fn fixed_slot() -> u8 {
    let slot = || {
        let table = [1u8, 2, 3];
        table[3] // expect: RS-A006
    };
    slot()
}

pub fn doubled(values: &[u16]) -> Vec<u16> {
    values.iter().map(|v: &u16| v * 2).collect() // ok: RS-A001
}

pub struct Engine(Option<u32>);

impl Engine {
    pub fn search(&self, at: u32) -> Result<u32, u32> {
        #[cfg(feature = "fast")]
        {
            self.0.ok_or(at).map_err(|e| e + 1)
        }
        #[cfg(not(feature = "fast"))]
        {
            unreachable!() // ok: RS-A009
        }
    }
}

pub fn all_printable(start: u8, end: u8) -> bool {
    (start..=end).all(|b| b >= 0x20) // ok: RS-A001
}
