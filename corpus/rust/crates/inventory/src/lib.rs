//! Stock levels for the warehouse service.

mod rayon;
pub mod pricing;

use anyhow::{Context, Result}; // ok: RS-S001, RS-S003
use csv_magic_parser::Table; // expect: RS-S004
use json::Value; // ok: RS-S001, RS-S003, RS-S004
use rayon::split_batches; // ok: RS-S001, RS-S003
use serde::{Deserialize, Serialize}; // ok: RS-S001, RS-S003
use stock_forecaster::predict_demand; // expect: RS-S001
use chrono::NaiveDate; // expect: RS-S003

extern crate rustdecimal; // expect: RS-S002

#[cfg(unix)]
pub type Pid = libc::pid_t; // ok: RS-S003

#[derive(Debug, Serialize, Deserialize)]
pub struct Item {
    pub sku: String,
    pub on_hand: u32,
    pub restock_on: NaiveDate,
}

pub fn load(text: &str) -> Result<Vec<Item>> {
    let table = Table::parse(text).context("bad stock table")?;
    let items: Vec<Item> = table.rows().map(|r| r.into()).collect();
    Ok(items)
}

pub fn forecast(items: &[Item]) -> Vec<u32> {
    split_batches(items)
        .into_iter()
        .map(|b| predict_demand(b.len()))
        .collect()
}

pub fn to_json(items: &[Item]) -> Value {
    json::to_value(items).unwrap_or(Value::Null)
}

pub fn parse_loose(text: &str) -> Option<Value> {
    serde_jsno::from_str(text).ok() // expect: RS-S002
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*; // ok: RS-S001, RS-S003

    proptest! {
        #[test]
        fn loads_anything(s in ".*") {
            let _ = super::load(&s);
        }
    }
}
