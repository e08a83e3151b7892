//! vouch: prove risky operations safe with Z3, or show the counterexample.
//!
//! Pipeline: `discover` -> `parse`/`lower` -> `ir` -> `analyze` -> `solve` -> `report`.
//! See ARCHITECTURE.md for the map.

pub mod analyze;
pub mod cli;
pub mod config;
pub mod discover;
pub mod driver;
pub mod finding;
pub mod ir;
pub mod lower;
pub mod report;
pub mod rules;
pub mod solve;
pub mod term;
