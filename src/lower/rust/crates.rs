//! The crates a file names: the first segment of each `use` tree, each `extern crate`,
//! and the first segment of each `a::b` path (and `::a::b`) in code and types, when that
//! segment is nothing the file itself defines or binds. Each distinct name becomes one
//! [`Import`] (the first place it appears) whose `top_level` is the name, which the crate
//! checks (`analyze::crates`) hold against Cargo.toml and the crate data.
//!
//! Names are resolved against the whole file rather than scope by scope: an item or a
//! `use` anywhere in the file makes its name local everywhere. That can only hide a crate,
//! never invent one, which is the side to err on for a check whose findings say "this
//! does not compile". Attributes are skipped (tool paths such as `clippy::` and
//! `rustfmt::` live there), and so are macro bodies, which syn keeps as tokens.

use std::collections::HashSet;

use syn::visit::{self, Visit};

use super::LineIndex;
use crate::ir::Import;

/// Names no `Cargo.toml` declares that every crate can still name.
const BUILTIN: &[&str] = &[
    "crate",
    "self",
    "super",
    "Self",
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
    "bool",
    "char",
    "str",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
];

pub(super) fn crate_references(file: &syn::File, lines: &LineIndex) -> Vec<Import> {
    let mut bound = Bound::default();
    bound.visit_file(file);
    let mut refs = Refs {
        local: bound.names,
        found: Vec::new(),
    };
    refs.visit_file(file);
    let mut seen = HashSet::new();
    let mut found = refs.found;
    found.sort_by_key(|(_, span)| span.byte_range().start);
    found
        .into_iter()
        .filter(|(name, _)| seen.insert(name.clone()))
        .map(|(name, span)| Import {
            qualname: name.clone(),
            // No alias: nothing in the file is bound to the crate through this entry
            // (the Python-side lookups by alias must not find it).
            alias: String::new(),
            span: lines.span(span),
            star: false,
            top_level: name,
            level: 0,
            conditional: false,
        })
        .collect()
}

/// Every name the file binds: items at any depth, `use` and `extern crate` bindings,
/// generic parameters.
#[derive(Default)]
struct Bound {
    names: HashSet<String>,
}

impl Bound {
    fn add(&mut self, ident: &syn::Ident) {
        self.names.insert(ident.to_string());
    }

    /// The names a `use` binds. `root` is the first segment of the path being walked: a
    /// binding of that same name (`use rayon;`, `use serde_json::{self, Value};`) is the
    /// crate itself and must not hide it.
    fn use_tree(&mut self, tree: &syn::UseTree, last: Option<&syn::Ident>, root: Option<&str>) {
        let bind = |this: &mut Bound, id: &syn::Ident| {
            if root != Some(id.to_string().as_str()) {
                this.add(id);
            }
        };
        match tree {
            syn::UseTree::Path(p) => {
                let first = p.ident.to_string();
                let root = root.or(Some(first.as_str()));
                self.use_tree(&p.tree, Some(&p.ident), root)
            }
            syn::UseTree::Name(n) if n.ident == "self" => {
                if let Some(l) = last {
                    bind(self, l);
                }
            }
            // `use rayon;` binds the crate under its own name.
            syn::UseTree::Name(_) if root.is_none() => {}
            syn::UseTree::Name(n) => bind(self, &n.ident),
            syn::UseTree::Rename(r) => self.add(&r.rename),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(t, last, root)),
            syn::UseTree::Glob(_) => {}
        }
    }
}

impl<'ast> Visit<'ast> for Bound {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        match item {
            syn::Item::Mod(i) => self.add(&i.ident),
            syn::Item::Struct(i) => self.add(&i.ident),
            syn::Item::Enum(i) => self.add(&i.ident),
            syn::Item::Union(i) => self.add(&i.ident),
            syn::Item::Trait(i) => self.add(&i.ident),
            syn::Item::TraitAlias(i) => self.add(&i.ident),
            syn::Item::Type(i) => self.add(&i.ident),
            syn::Item::Fn(i) => self.add(&i.sig.ident),
            syn::Item::Const(i) => self.add(&i.ident),
            syn::Item::Static(i) => self.add(&i.ident),
            syn::Item::Macro(i) => {
                if let Some(id) = &i.ident {
                    self.add(id);
                }
            }
            syn::Item::ExternCrate(i) => match &i.rename {
                Some((_, r)) => self.add(r),
                None => self.add(&i.ident),
            },
            syn::Item::Use(u) => self.use_tree(&u.tree, None, None),
            _ => {}
        }
        visit::visit_item(self, item);
    }

    fn visit_foreign_item(&mut self, item: &'ast syn::ForeignItem) {
        match item {
            syn::ForeignItem::Fn(f) => self.add(&f.sig.ident),
            syn::ForeignItem::Static(s) => self.add(&s.ident),
            syn::ForeignItem::Type(t) => self.add(&t.ident),
            _ => {}
        }
        visit::visit_foreign_item(self, item);
    }

    fn visit_generic_param(&mut self, p: &'ast syn::GenericParam) {
        match p {
            syn::GenericParam::Type(t) => self.add(&t.ident),
            syn::GenericParam::Const(c) => self.add(&c.ident),
            syn::GenericParam::Lifetime(_) => {}
        }
        visit::visit_generic_param(self, p);
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}
}

/// Heads of paths that may name a crate, with where they are written.
struct Refs {
    local: HashSet<String>,
    found: Vec<(String, proc_macro2::Span)>,
}

impl Refs {
    /// A path's first segment: a candidate unless it is built in, bound in the file, or
    /// capitalised (types, traits, enums and `Self` are; crate names are not).
    fn head(&mut self, ident: &syn::Ident) {
        let name = ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_string();
        if BUILTIN.contains(&name.as_str())
            || self.local.contains(&name)
            || name.starts_with(|c: char| c.is_uppercase())
        {
            return;
        }
        self.found.push((name, ident.span()));
    }

    fn use_root(&mut self, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => self.head(&p.ident),
            syn::UseTree::Name(n) => self.head(&n.ident),
            syn::UseTree::Rename(r) => self.head(&r.ident),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_root(t)),
            syn::UseTree::Glob(_) => {}
        }
    }
}

impl<'ast> Visit<'ast> for Refs {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_root(&u.tree);
    }

    fn visit_item_extern_crate(&mut self, e: &'ast syn::ItemExternCrate) {
        if e.ident != "self" {
            // The crate's own name is what Cargo.toml declares, whatever it is bound to.
            let name = e.ident.to_string();
            if !BUILTIN.contains(&name.as_str()) {
                self.found.push((name, e.ident.span()));
            }
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if (p.leading_colon.is_some() || p.segments.len() >= 2)
            && let Some(first) = p.segments.first()
        {
            self.head(&first.ident);
        }
        visit::visit_path(self, p);
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}
}

#[cfg(test)]
mod tests {
    fn names(src: &str) -> Vec<String> {
        let m = crate::lower::lower("x.rs", crate::ir::Language::Rust, src.into());
        m.imports.into_iter().map(|i| i.top_level).collect()
    }

    #[test]
    fn heads_that_name_crates() {
        let src = r#"
            use std::io::{self, Write};
            use serde_json::{self, Value};
            use rayon;
            use ::regex::Regex;
            use helpers::parse;
            use io::Read;
            use tokio_stream as ts;
            extern crate rand_core as rc;
            mod helpers { pub fn parse() {} }
            #[derive(serde::Serialize)]
            #[allow(clippy::all)]
            struct S { at: chrono::DateTime<chrono::Utc> }
            fn f<T: Default>() -> u32 {
                let _ = anyhow::anyhow!("x");
                let _ = T::default();
                let _ = ts::iter(Vec::<u8>::new());
                let _ = rc::OsRng;
                log::info!("{}", inner_macro_crate::x());
                u32::MAX
            }
        "#;
        assert_eq!(
            names(src),
            [
                "serde_json",
                "rayon",
                "regex",
                "tokio_stream",
                "rand_core",
                "chrono",
                "anyhow",
                "log"
            ]
        );
    }
}
