use crate::Item;
use std::collections::HashMap;

pub fn price_list(items: &[Item]) -> HashMap<String, u32> {
    items.iter().map(|i| (i.sku.clone(), i.on_hand)).collect()
}
