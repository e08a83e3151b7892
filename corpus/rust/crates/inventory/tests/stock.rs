use inventory_core::load; // ok: RS-S001, RS-S003
use proptest::prelude::*; // ok: RS-S003
use tokoi::runtime::Runtime; // expect: RS-S002

#[test]
fn empty_table_loads() {
    let rt = Runtime::new();
    assert!(rt.is_ok());
    assert!(load("").is_ok());
}
