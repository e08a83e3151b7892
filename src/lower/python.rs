//! Python front end: tree-sitter-python syntax tree to IR.

use std::sync::Arc;

use crate::ir::{Language, Module};

pub fn lower(path: &str, source: Arc<str>) -> Module {
    Module {
        path: path.to_string(),
        language: Language::Python,
        source,
        functions: Vec::new(),
        classes: Vec::new(),
        imports: Vec::new(),
        constants: Vec::new(),
        syntax_errors: Vec::new(),
        comments: Vec::new(),
        strings: Vec::new(),
        notes: Vec::new(),
    }
}
