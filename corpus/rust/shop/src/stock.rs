//! Stock levels kept in a byte per shelf.

pub fn restock(level: u8, delivered: u8) -> u8 {
    if level > 250 {
        return level;
    }
    level + delivered // expect: RS-A001
}
