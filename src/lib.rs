//! vouch: prove risky operations safe with Z3, or show the counterexample.
//!
//! Pipeline: `discover` -> `parse`/`lower` -> `ir` -> `analyze` -> `solve` -> `report`.
//! See ARCHITECTURE.md for the map.

pub mod analyze;
pub mod baseline;
pub mod cache;
pub mod cli;
pub mod config;
pub mod discover;
pub mod driver;
pub mod finding;
pub mod fix;
pub mod fix_template;
pub mod ir;
pub mod lower;
pub mod lsp;
pub mod project;
pub mod report;
pub mod rules;
pub mod solve;
pub mod suppress;
pub mod term;
