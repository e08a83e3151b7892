// A snippet pasted from a chat, outside any package: only the crate data can judge it.
use pdf_invoice_builder::Invoice; // expect: RS-S001
use serde_json::json; // ok: RS-S001, RS-S003

pub fn render(total: u32) -> Vec<u8> {
    let meta = json!({ "total": total });
    Invoice::new().meta(meta.to_string()).render()
}
