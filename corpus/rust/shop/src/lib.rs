//! A small shop crate split over files: the helpers live in `pricing.rs` and `stock.rs`.

mod pricing;
mod stock;

use crate::pricing::unit_price;

pub fn split_bill() -> u32 {
    pricing::unit_price(100, 0) // expect: RS-A002
}

pub fn split_bill_safely() -> u32 {
    pricing::share(100, 0) // ok: RS-A002
}

pub fn price_per_item(total: u32) -> u32 {
    unit_price(total, 0) // expect: RS-A002
}

pub fn restock_all() -> u8 {
    stock::restock(250, 10) // expect: RS-A001
}

pub fn restock_some() -> u8 {
    stock::restock(200, 10) // ok: RS-A001
}
