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

/// Item-level macros that define only the names written in them (statics, tests).
const PLAIN_ITEM_MACROS: &[&str] = &[
    "lazy_static",
    "thread_local",
    "proptest",
    "include",
    "bitflags",
    "cfg_if",
    "compile_error",
    "static_assertions",
    "const_assert",
    "assert_impl_all",
];

/// Modules of std a glob import may bring into scope under their own names.
const STD_MODULES: &[&str] = &[
    "any",
    "array",
    "ascii",
    "atomic",
    "backtrace",
    "borrow",
    "boxed",
    "btree_map",
    "btree_set",
    "cell",
    "cmp",
    "collections",
    "convert",
    "env",
    "error",
    "ffi",
    "fmt",
    "fs",
    "future",
    "hash",
    "hash_map",
    "hash_set",
    "hint",
    "io",
    "iter",
    "marker",
    "mem",
    "mpsc",
    "net",
    "num",
    "ops",
    "option",
    "os",
    "panic",
    "path",
    "pin",
    "prelude",
    "process",
    "ptr",
    "rc",
    "result",
    "slice",
    "string",
    "sync",
    "task",
    "thread",
    "time",
    "vec",
    "vec_deque",
];

/// A `#[cfg(..)]` naming a predicate that tools or build scripts set (`kani`, `loom`,
/// `linux_kernel`): such code is compiled with crates we cannot see, so it is skipped.
fn unusual_cfg(attrs: &[syn::Attribute]) -> bool {
    const STANDARD: &[&str] = &[
        "cfg",
        "not",
        "all",
        "any",
        "test",
        "feature",
        "unix",
        "windows",
        "debug_assertions",
        "doc",
        "doctest",
        "target_os",
        "target_arch",
        "target_family",
        "target_env",
        "target_pointer_width",
        "target_endian",
        "target_vendor",
        "target_has_atomic",
        "target_feature",
        "panic",
        "overflow_checks",
        "proc_macro",
        "miri",
    ];
    attrs.iter().filter(|a| a.path().is_ident("cfg")).any(|a| {
        let syn::Meta::List(list) = &a.meta else {
            return false;
        };
        list.tokens.clone().into_iter().any(|t| {
            matches!(&t, proc_macro2::TokenTree::Ident(i) if !STANDARD.contains(&i.to_string().as_str()))
                || matches!(&t, proc_macro2::TokenTree::Group(g) if g.stream().into_iter().any(|t| matches!(&t, proc_macro2::TokenTree::Ident(i) if !STANDARD.contains(&i.to_string().as_str()))))
        })
    })
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        _ => &[],
    }
}

pub(super) fn crate_references(file: &syn::File, lines: &LineIndex) -> Vec<Import> {
    let mut bound = Bound::default();
    bound.visit_file(file);
    let mut refs = Refs {
        local: bound.names,
        globs: bound.globs,
        opaque: bound.opaque,
        found: Vec::new(),
    };
    refs.visit_file(file);
    let mut seen = HashSet::new();
    let mut found = refs.found;
    // Certain mentions first, so that a crate named for sure anywhere is judged so.
    found.sort_by_key(|(_, span, uncertain)| (*uncertain, span.byte_range().start));
    found
        .into_iter()
        .filter(|(name, _, _)| seen.insert(name.clone()))
        .map(|(name, span, uncertain)| Import {
            qualname: name.clone(),
            // No alias: nothing in the file is bound to the crate through this entry
            // (the Python-side lookups by alias must not find it).
            alias: String::new(),
            span: lines.span(span),
            star: false,
            top_level: name,
            level: 0,
            conditional: uncertain,
        })
        .collect()
}

/// Every name the file binds: items at any depth, `use` and `extern crate` bindings,
/// generic parameters.
#[derive(Default)]
struct Bound {
    names: HashSet<String>,
    globs: bool,
    opaque: bool,
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
            syn::UseTree::Glob(_) => self.globs = true,
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
            syn::Item::Macro(i) => match &i.ident {
                Some(id) => self.add(id),
                None => {
                    let name = i.mac.path.segments.last().map(|s| s.ident.to_string());
                    if !name.is_some_and(|n| PLAIN_ITEM_MACROS.contains(&n.as_str())) {
                        self.opaque = true;
                    }
                }
            },
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
    /// The file has a glob `use`: names it binds cannot be listed.
    globs: bool,
    /// The file invokes macros at item level that may define names we cannot see.
    opaque: bool,
    /// Name, where, and whether it may still be a name the file gets from a glob or a
    /// macro (`Import::conditional`).
    found: Vec<(String, proc_macro2::Span, bool)>,
}

impl Refs {
    /// A path's first segment: a candidate unless it is built in, bound in the file, or
    /// capitalised (types, traits, enums and `Self` are; crate names are not).
    fn head(&mut self, ident: &syn::Ident, certain: bool) {
        let name = ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_string();
        if BUILTIN.contains(&name.as_str())
            || self.local.contains(&name)
            || name.starts_with(|c: char| c.is_uppercase())
        {
            return;
        }
        self.found.push((name, ident.span(), !certain));
    }

    /// A `use` head: a crate unless a glob may have brought a std module of that name
    /// (`use super::*;` then `use fmt::Write;`) or a macro may have defined it.
    fn use_head(&mut self, ident: &syn::Ident) {
        let std_module = self.globs && STD_MODULES.contains(&ident.to_string().as_str());
        self.head(ident, !std_module && !self.opaque);
    }

    fn use_root(&mut self, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => self.use_head(&p.ident),
            // `use open64 as open;` after `use libc::*;` renames a name the glob brought
            // in; only in a file without globs is a one-segment `use` surely a crate.
            syn::UseTree::Name(_) | syn::UseTree::Rename(_) if self.globs => {}
            syn::UseTree::Name(n) => self.use_head(&n.ident),
            syn::UseTree::Rename(r) => self.use_head(&r.ident),
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
                self.found.push((name, e.ident.span(), false));
            }
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if (p.leading_colon.is_some() || p.segments.len() >= 2)
            && let Some(first) = p.segments.first()
        {
            // `ptr::write` or `c_int::MAX` may be a name a glob brought in.
            let certain = p.leading_colon.is_some() || !(self.globs || self.opaque);
            self.head(&first.ident, certain);
        }
        visit::visit_path(self, p);
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !unusual_cfg(item_attrs(item)) {
            visit::visit_item(self, item);
        }
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Fn(f) => &f.attrs[..],
            syn::ImplItem::Const(c) => &c.attrs[..],
            _ => &[][..],
        };
        if !unusual_cfg(attrs) {
            visit::visit_impl_item(self, item);
        }
    }

    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        match &e.qself {
            Some(q) => self.qualified(q, &e.path),
            None => visit::visit_expr_path(self, e),
        }
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        match &t.qself {
            Some(q) => self.qualified(q, &t.path),
            None => visit::visit_type_path(self, t),
        }
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}
}

impl Refs {
    /// `<[T]>::len` and `<T as a::Trait>::f`: the path after the `>` is no crate path
    /// (syn gives it a leading `::`), but a trait path inside the brackets can be.
    fn qualified(&mut self, q: &syn::QSelf, path: &syn::Path) {
        self.visit_type(&q.ty);
        if q.position > 0 {
            let segments: Vec<&syn::PathSegment> = path.segments.iter().collect();
            if segments.len() > q.position
                && let Some(first) = segments.first()
                && (path.leading_colon.is_some() || q.position >= 2)
            {
                self.head(&first.ident, !(self.globs || self.opaque));
            }
        }
        for seg in &path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }
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

    #[test]
    fn names_a_glob_or_a_tool_cfg_may_explain() {
        let src = r#"
            use super::*;
            use fmt::Write;
            use open64 as open;
            use fancy_csv::Reader;
            fn f() -> usize { ptr::null::<u8>() as usize + ::bytes::MAX }
            #[cfg(kani)]
            mod proofs { fn p() { let _ = kani::any::<u8>(); } }
        "#;
        let m = crate::lower::lower("x.rs", crate::ir::Language::Rust, src.into());
        let got: Vec<(String, bool)> = m
            .imports
            .into_iter()
            .map(|i| (i.top_level, i.conditional))
            .collect();
        let want = [
            ("fancy_csv", false),
            ("bytes", false),
            ("fmt", true),
            ("ptr", true),
        ];
        let want: Vec<(String, bool)> = want.iter().map(|(n, c)| (n.to_string(), *c)).collect();
        assert_eq!(got, want);
    }
}
