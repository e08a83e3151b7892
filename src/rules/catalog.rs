//! The set of rules in force: the embedded `rules/*.toml` plus user files.

use super::Rule;

#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub rules: Vec<Rule>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
