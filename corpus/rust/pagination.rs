//! Pagination, timeouts and buffer sizes, as handlers compute them.

const MAX_PAGE_SIZE: u32 = 100;

pub fn offset(page: u32, per_page: u32) -> u32 {
    (page - 1) * per_page // expect: RS-A001
}

pub fn offset_checked(page: u32, per_page: u32) -> u32 {
    if page == 0 || page > 10_000 {
        return 0;
    }
    let per_page = per_page.clamp(1, MAX_PAGE_SIZE);
    (page - 1) * per_page // ok: RS-A001
}

pub fn last_index(items: &[String]) -> usize {
    items.len() - 1 // expect: RS-A001
}

pub fn last_index_checked(items: &[String]) -> usize {
    if items.is_empty() {
        return 0;
    }
    items.len() - 1 // ok: RS-A001
}

pub fn timeout_ms(secs: u32) -> u32 {
    secs * 1000 // expect: RS-A001
}

pub fn timeout_ms_wide(secs: u32) -> u64 {
    secs as u64 * 1000 // ok: RS-A001, RS-A005
}

pub fn pages(total: u32, per_page: u32) -> u32 {
    if per_page == 0 {
        return 0;
    }
    (total + per_page - 1) / per_page // expect: RS-A001
}

pub fn pages_div_ceil(total: u32, per_page: u32) -> u32 {
    if per_page == 0 {
        return 0;
    }
    total / per_page + if total % per_page == 0 { 0 } else { 1 } // ok: RS-A001, RS-A002
}

pub fn item_at(items: &[u32], position: i32) -> u32 {
    if position < 0 {
        return 0;
    }
    let i = position as usize; // ok: RS-A005
    match items.get(i) {
        Some(v) => *v,
        None => 0,
    }
}

pub fn progress_percent(done: u32, total: u32) -> u32 {
    if total == 0 {
        return 100;
    }
    let done = done.min(total);
    done * 100 / total // expect: RS-A001
}

pub fn progress_percent_wide(done: u32, total: u32) -> u32 {
    if total == 0 {
        return 100;
    }
    let done = done.min(total) as u64;
    (done * 100 / total as u64) as u32 // ok: RS-A001, RS-A002, RS-A005
}
