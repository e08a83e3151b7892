//! Shell commands, TLS, hashes, unsafe code and placeholders.

use std::process::Command;

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};

pub fn list_dir(dir: &str) {
    let _ = Command::new("sh").arg("-c").arg(format!("ls -la {dir}")).status(); // expect: RS-S201
}

pub fn list_dir_direct(dir: &str) {
    let _ = Command::new("ls").arg("-la").arg(dir).status(); // ok: RS-S201
}

pub fn disk_usage() {
    let _ = Command::new("sh").arg("-c").arg("du -sh /var/log | sort -h").status(); // ok: RS-S201
}

pub fn run_user_script(script: String) {
    let mut cmd = Command::new("/bin/bash");
    cmd.arg("-c");
    let _ = cmd.arg(script).output(); // expect: RS-S201
}

pub fn insecure_client() -> reqwest::Client {
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true) // expect: RS-S401
        .build()
        .unwrap()
}

pub fn strict_client() -> reqwest::Client {
    let insecure = false;
    reqwest::Client::builder()
        .danger_accept_invalid_certs(insecure) // ok: RS-S401
        .danger_accept_invalid_hostnames(false) // ok: RS-S401
        .build()
        .unwrap()
}

pub fn lax_hostnames() -> reqwest::Client {
    let skip = true;
    reqwest::Client::builder()
        .danger_accept_invalid_hostnames(skip) // expect: RS-S401
        .build()
        .unwrap()
}

pub fn connector() -> SslConnector {
    let mut builder = SslConnector::builder(SslMethod::tls()).unwrap();
    builder.set_verify(SslVerifyMode::NONE); // expect: RS-S402
    builder.build()
}

pub fn connector_peer() -> SslConnector {
    let mut builder = SslConnector::builder(SslMethod::tls()).unwrap();
    builder.set_verify(SslVerifyMode::PEER); // ok: RS-S402
    builder.build()
}

pub fn fingerprint(data: &[u8]) -> String {
    format!("{:x}", md5::compute(data)) // expect: RS-S501
}

pub fn legacy_digest(data: &[u8]) -> Vec<u8> {
    let mut h = sha1::Sha1::new(); // expect: RS-S501
    h.update(data);
    h.finalize().to_vec()
}

pub fn modern_digest(data: &[u8]) -> Vec<u8> {
    let mut h = sha2::Sha256::new(); // ok: RS-S501
    h.update(data);
    h.finalize().to_vec()
}

pub fn float_bits(x: f32) -> u32 {
    unsafe { std::mem::transmute(x) } // expect: RS-S601
}

pub fn float_bits_safe(x: f32) -> u32 {
    x.to_bits() // ok: RS-S601
}

pub fn head(v: &Vec<u8>, n: usize) -> &[u8] {
    unsafe { std::slice::from_raw_parts(v.as_ptr(), n) } // expect: RS-S602
}

pub fn buffer(n: usize) -> Vec<u8> {
    let mut v: Vec<u8> = Vec::with_capacity(n);
    unsafe { v.set_len(n) }; // expect: RS-S603
    v
}

pub fn third(xs: &[u32]) -> u32 {
    unsafe { *xs.get_unchecked(2) } // expect: RS-S604
}

pub fn refund(order_id: u64) -> Result<(), String> {
    let _ = order_id;
    todo!() // expect: RS-A010
}

pub fn export_csv() -> String {
    unimplemented!("csv export") // expect: RS-A010
}
