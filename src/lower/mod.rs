//! Front ends: source text to [`crate::ir::Module`]. One file per language.

pub mod python;
pub mod rust;

use std::sync::Arc;

use crate::ir::{Language, Module};

/// Language by file extension; `None` for files vouch does not read.
pub fn language_of(path: &str) -> Option<Language> {
    let ext = std::path::Path::new(path).extension()?.to_str()?;
    match ext {
        "py" | "pyi" | "pyw" => Some(Language::Python),
        "rs" => Some(Language::Rust),
        _ => None,
    }
}

/// Lower one file's text. Never fails: problems become `Module::syntax_errors`/`notes`.
pub fn lower(path: &str, language: Language, source: Arc<str>) -> Module {
    match language {
        Language::Python => python::lower(path, source),
        Language::Rust => rust::lower(path, source),
    }
}
