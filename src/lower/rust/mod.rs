//! Rust to IR with syn: items (free functions, impl and trait methods, inline modules,
//! consts and statics, struct fields), `use` resolution into `::` paths, and the types
//! the code writes where arithmetic needs them (see [`crate::ir::ExprKind::Cast`]).
//!
//! `stmt.rs` lowers statements and control flow (if/else, `match` with guards and ranges,
//! loops, `for` over ranges, `let else`, macros such as `assert!`), `expr.rs`
//! expressions. Constructs that have a value but need statements (`if`/`match`/blocks in
//! value position) are lowered into statements before the expression that assigns a
//! temporary, which the expression then reads.
//!
//! syn is not error tolerant: a file that does not parse becomes one syntax error and
//! a note. syn also recurses while parsing, so input nested deeper than [`MAX_NESTING`]
//! brackets is refused before parsing (a stack overflow would abort the whole run).

mod crates;
mod expr;
mod infer;
mod span;
mod stmt;

use std::collections::HashMap;
use std::sync::Arc;

use crate::ir::{Class, Expr, ExprKind, Function, Language, Module, Param, ParamKind, Span};

/// Brackets nested deeper than this are not parsed (see the module docs).
const MAX_NESTING: usize = 200;
/// Expressions and statements nested deeper than this are lowered as unknown.
const MAX_DEPTH: usize = 120;

pub fn lower(path: &str, source: Arc<str>) -> Module {
    let mut module = Module {
        functions: vec![module_function()],
        ..Module::new(path, Language::Rust, source.clone())
    };
    if nesting(&source) > MAX_NESTING {
        module.notes.push(format!(
            "nested deeper than {MAX_NESTING} brackets; not analyzed"
        ));
        return module;
    }
    let lines = LineIndex::new(&source);
    match syn::parse_file(&source) {
        Ok(file) => {
            let mut lw = Lowerer::new(&mut module, &lines);
            lw.collect(&file.items, "");
            lw.items(&file.items, "");
            for c in std::mem::take(&mut lw.closures) {
                if let Some(f) = lw.m.functions.get_mut(c) {
                    f.parent = Some(0);
                }
            }
            if lw.too_deep {
                module
                    .notes
                    .push("nesting too deep in places; those parts were skipped".into());
            }
            module.imports = crates::crate_references(&file, &lines);
        }
        Err(e) => {
            let span = lines.span(e.span());
            module.syntax_errors.push(span);
            module.notes.push(format!("Rust syntax error: {e}"));
        }
    }
    // Spans of parsed files stay in a per-thread table until released; a long run would
    // otherwise keep every file's text and overflow the table's 32-bit positions.
    proc_macro2::extra::invalidate_current_thread_spans();
    module
}

fn module_function() -> Function {
    Function {
        name: "<module>".into(),
        qualname: "<module>".into(),
        params: Vec::new(),
        body: Vec::new(),
        span: Span::default(),
        name_span: Span::default(),
        decorators: Vec::new(),
        class: None,
        parent: None,
        is_async: false,
        locals: Vec::new(),
    }
}

/// Deepest bracket nesting, outside string literals and comments (a cheap lexical pass).
fn nesting(src: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

/// Byte offsets to 1-based lines and byte columns.
pub(super) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(src: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn position(&self, byte: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|s| *s <= byte).max(1);
        let col = byte - self.starts[line - 1] + 1;
        (line as u32, col as u32)
    }

    pub(super) fn span(&self, s: proc_macro2::Span) -> Span {
        let r = s.byte_range();
        let (line, col) = self.position(r.start);
        let (end_line, end_col) = self.position(r.end);
        Span {
            start: r.start as u32,
            end: r.end as u32,
            line,
            col,
            end_line,
            end_col,
        }
    }
}

/// What the items of the file define, for resolving paths and typing values.
#[derive(Default)]
struct Items {
    /// Functions by qualified name (`parse`, `util::parse`, `Counter::bump`).
    functions: HashMap<String, usize>,
    /// Integer return types by qualified function name.
    returns: HashMap<String, String>,
    /// Consts and statics by qualified name.
    consts: HashMap<String, ()>,
    /// Field name to its integer type; `None` when structs disagree.
    fields: HashMap<String, Option<String>>,
    /// `use` aliases per module path: alias to full path.
    uses: HashMap<(String, String), String>,
}

pub(super) struct Lowerer<'m> {
    m: &'m mut Module,
    lines: &'m LineIndex,
    items: Items,
    /// The function being lowered: its locals, its class, its module path.
    locals: Vec<String>,
    scope: String,
    self_ty: Option<String>,
    ret_ty: Option<String>,
    temps: usize,
    depth: usize,
    too_deep: bool,
    /// Integer types of the current function's unannotated `let` bindings.
    pub(super) inferred: HashMap<String, String>,
    /// Inside a closure: the enclosing functions' locals it can capture (read as
    /// [`ExprKind::Free`]), the enclosing function's qualified name, and the closures
    /// lowered since the enclosing function started (their parent is set once its id is
    /// known).
    pub(super) captured: Vec<String>,
    pub(super) fn_qualname: String,
    pub(super) closures: Vec<usize>,
}

/// The integer type a syn type names, if it is one (`u32`, `usize`, `&u8`).
pub(super) fn int_type(ty: &syn::Type) -> Option<String> {
    let name = type_name(ty)?;
    crate::term::IntTy::parse(&name).map(|_| name)
}

/// A short name for a type, as parameter annotations carry it: the last path segment
/// (`Vec`, `u32`, `String`), `slice` for `&[T]`, `array` for `[T; N]`, `str` for `&str`.
pub(super) fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => match &*r.elem {
            syn::Type::Slice(_) => Some("slice".into()),
            other => type_name(other),
        },
        syn::Type::Slice(_) => Some("slice".into()),
        syn::Type::Array(_) => Some("array".into()),
        syn::Type::Paren(p) => type_name(&p.elem),
        syn::Type::Group(g) => type_name(&g.elem),
        _ => None,
    }
}

/// The decorator a private Rust function carries.
pub const PRIVATE_MARK: &str = "rust::private";

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}::{name}")
    }
}

impl<'m> Lowerer<'m> {
    fn new(m: &'m mut Module, lines: &'m LineIndex) -> Self {
        Lowerer {
            m,
            lines,
            items: Items::default(),
            locals: Vec::new(),
            scope: String::new(),
            self_ty: None,
            ret_ty: None,
            temps: 0,
            depth: 0,
            too_deep: false,
            inferred: HashMap::new(),
            captured: Vec::new(),
            fn_qualname: String::new(),
            closures: Vec::new(),
        }
    }

    pub(super) fn span(&self, s: proc_macro2::Span) -> Span {
        self.lines.span(s)
    }

    /// First pass: names the items define, so that bodies can refer to items written
    /// after them.
    fn collect(&mut self, items: &[syn::Item], scope: &str) {
        for item in items {
            match item {
                syn::Item::Fn(f) => {
                    let q = join(scope, &f.sig.ident.to_string());
                    if let syn::ReturnType::Type(_, t) = &f.sig.output
                        && let Some(ty) = int_type(t)
                    {
                        self.items.returns.insert(q, ty);
                    }
                }
                syn::Item::Const(c) => {
                    self.items
                        .consts
                        .insert(join(scope, &c.ident.to_string()), ());
                }
                syn::Item::Static(s) => {
                    self.items
                        .consts
                        .insert(join(scope, &s.ident.to_string()), ());
                }
                syn::Item::Struct(s) => {
                    for f in &s.fields {
                        let Some(name) = &f.ident else { continue };
                        let ty = int_type(&f.ty);
                        let entry = self
                            .items
                            .fields
                            .entry(name.to_string())
                            .or_insert(ty.clone());
                        if *entry != ty {
                            *entry = None;
                        }
                    }
                }
                syn::Item::Impl(imp) => {
                    let Some(ty) = type_name(&imp.self_ty) else {
                        continue;
                    };
                    for it in &imp.items {
                        if let syn::ImplItem::Fn(f) = it
                            && let syn::ReturnType::Type(_, t) = &f.sig.output
                            && let Some(r) = int_type(t)
                        {
                            let q = join(scope, &format!("{ty}::{}", f.sig.ident));
                            self.items.returns.insert(q, r);
                        }
                    }
                }
                syn::Item::Mod(md) => {
                    if let Some((_, inner)) = &md.content {
                        self.collect(inner, &join(scope, &md.ident.to_string()));
                    }
                }
                syn::Item::Use(u) => self.use_tree(&u.tree, String::new(), scope),
                _ => {}
            }
        }
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: String, scope: &str) {
        match tree {
            syn::UseTree::Path(p) => {
                let ident = p.ident.to_string();
                // `crate::`/`self::` paths name this file's items.
                let next = match ident.as_str() {
                    "crate" | "self" | "super" if prefix.is_empty() => String::new(),
                    _ => join(&prefix, &ident),
                };
                self.use_tree(&p.tree, next, scope)
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let full = if name == "self" {
                    prefix.clone()
                } else {
                    join(&prefix, &name)
                };
                let alias = full.rsplit("::").next().unwrap_or(&full).to_string();
                self.items.uses.insert((scope.to_string(), alias), full);
            }
            syn::UseTree::Rename(r) => {
                let full = join(&prefix, &r.ident.to_string());
                self.items
                    .uses
                    .insert((scope.to_string(), r.rename.to_string()), full);
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix.clone(), scope);
                }
            }
            syn::UseTree::Glob(_) => {}
        }
    }

    /// Second pass: lower every item.
    fn items(&mut self, items: &[syn::Item], scope: &str) {
        for item in items {
            match item {
                syn::Item::Fn(f) => {
                    let private = matches!(f.vis, syn::Visibility::Inherited);
                    self.function(&f.sig, Some(&f.block), scope, None, f.sig.ident.span());
                    self.mark_private(private);
                }
                syn::Item::Const(c) => self.constant(&c.ident, &c.ty, &c.expr, scope),
                syn::Item::Static(s) => {
                    // A `static mut` can change anywhere: no constant.
                    if matches!(s.mutability, syn::StaticMutability::None) {
                        self.constant(&s.ident, &s.ty, &s.expr, scope)
                    }
                }
                syn::Item::Impl(imp) => {
                    let Some(ty) = type_name(&imp.self_ty) else {
                        continue;
                    };
                    let class = self.class(&ty, scope, imp.impl_token.span);
                    for it in &imp.items {
                        if let syn::ImplItem::Fn(f) = it {
                            self.function(
                                &f.sig,
                                Some(&f.block),
                                scope,
                                Some((class, ty.clone())),
                                f.sig.ident.span(),
                            );
                            // A trait's methods are as public as the trait.
                            let private =
                                imp.trait_.is_none() && matches!(f.vis, syn::Visibility::Inherited);
                            self.mark_private(private);
                        }
                    }
                }
                syn::Item::Trait(t) => {
                    let ty = t.ident.to_string();
                    let class = self.class(&ty, scope, t.ident.span());
                    for it in &t.items {
                        // Provided methods have bodies; required ones have nothing to check.
                        if let syn::TraitItem::Fn(f) = it
                            && let Some(body) = &f.default
                        {
                            self.function(
                                &f.sig,
                                Some(body),
                                scope,
                                Some((class, ty.clone())),
                                f.sig.ident.span(),
                            );
                        }
                    }
                }
                syn::Item::Mod(md) => {
                    if let Some((_, inner)) = &md.content {
                        self.items(inner, &join(scope, &md.ident.to_string()));
                    }
                }
                _ => {}
            }
        }
    }

    fn class(&mut self, name: &str, scope: &str, span: proc_macro2::Span) -> usize {
        let qualname = join(scope, name);
        if let Some(i) = self.m.classes.iter().position(|c| c.qualname == qualname) {
            return i;
        }
        self.m.classes.push(Class {
            name: name.to_string(),
            qualname,
            bases: Vec::new(),
            methods: Vec::new(),
            span: self.span(span),
        });
        self.m.classes.len() - 1
    }

    fn constant(&mut self, ident: &syn::Ident, ty: &syn::Type, value: &syn::Expr, scope: &str) {
        let saved = std::mem::take(&mut self.scope);
        self.scope = scope.to_string();
        let mut pre = Vec::new();
        let mut v = self.expr(value, &mut pre);
        // A constant computed with statements (a block) is not a plain value.
        if pre.is_empty() {
            if let Some(t) = int_type(ty) {
                v = self.typed(v, &t);
            }
            self.m.constants.push((join(scope, &ident.to_string()), v));
        }
        self.scope = saved;
    }

    fn function(
        &mut self,
        sig: &syn::Signature,
        block: Option<&syn::Block>,
        scope: &str,
        class: Option<(usize, String)>,
        name_span: proc_macro2::Span,
    ) {
        let name = sig.ident.to_string();
        let owner = class.as_ref().map(|(_, t)| t.clone());
        let qualname = match &owner {
            Some(t) => join(scope, &format!("{t}::{name}")),
            None => join(scope, &name),
        };
        self.scope = scope.to_string();
        self.self_ty = owner;
        self.ret_ty = match &sig.output {
            syn::ReturnType::Type(_, t) => int_type(t),
            syn::ReturnType::Default => None,
        };
        self.locals.clear();
        self.captured.clear();
        self.temps = 0;
        self.fn_qualname = qualname.clone();
        let closures_before = std::mem::take(&mut self.closures);
        let mut params = Vec::new();
        let mut has_receiver = false;
        for arg in &sig.inputs {
            match arg {
                syn::FnArg::Receiver(r) => {
                    has_receiver = true;
                    params.push(Param {
                        name: "self".into(),
                        default: None,
                        kind: ParamKind::Positional,
                        annotation: None,
                        span: self.span(r.self_token.span),
                    });
                }
                syn::FnArg::Typed(pt) => {
                    let span = self.span(pt.pat.as_ref().span_of());
                    let annotation = type_name(&pt.ty)
                        .map(|t| Expr::new(ExprKind::Global(t), self.span(pt.ty.span_of())));
                    let names = stmt::pattern_names(&pt.pat);
                    let pname = match (&*pt.pat, names.as_slice()) {
                        (syn::Pat::Ident(_), [n]) => n.clone(),
                        _ => format!("arg{}", params.len()),
                    };
                    params.push(Param {
                        name: pname,
                        default: None,
                        kind: ParamKind::Positional,
                        annotation,
                        span,
                    });
                }
            }
        }
        self.locals.extend(params.iter().map(|p| p.name.clone()));
        let param_types: HashMap<String, String> = params
            .iter()
            .filter_map(|p| match p.annotation.as_ref().map(|a| &a.kind) {
                Some(ExprKind::Global(t)) if crate::term::IntTy::parse(t).is_some() => {
                    Some((p.name.clone(), t.clone()))
                }
                _ => None,
            })
            .collect();
        self.inferred = match block {
            Some(b) => infer::local_types(self, &param_types, b),
            None => HashMap::new(),
        };
        let mut body = Vec::new();
        if let Some(b) = block {
            self.fn_body(b, &mut body);
        }
        let span = match block {
            Some(b) => {
                let mut s = self.span(sig.fn_token.span);
                let e = self.span(b.brace_token.span.close());
                s.end = e.end;
                s.end_line = e.end_line;
                s.end_col = e.end_col;
                s
            }
            None => self.span(sig.fn_token.span),
        };
        // An associated function without `self` is no method of an object: the analysis
        // must not take its first parameter for the receiver.
        let decorators = match (&class, has_receiver) {
            (Some(_), false) => vec![Expr::new(
                ExprKind::Global("builtins.staticmethod".into()),
                span,
            )],
            _ => Vec::new(),
        };
        let id = self.m.functions.len();
        let class_id = class.as_ref().map(|(c, _)| *c);
        self.m.functions.push(Function {
            name: if class.is_some() || !scope.is_empty() {
                qualname.clone()
            } else {
                name
            },
            qualname: qualname.clone(),
            params,
            body,
            span,
            name_span: self.span(name_span),
            decorators,
            class: class_id,
            parent: Some(0),
            is_async: sig.asyncness.is_some(),
            locals: std::mem::take(&mut self.locals),
        });
        if let Some(c) = class_id.and_then(|c| self.m.classes.get_mut(c)) {
            c.methods.push(id);
        }
        for c in std::mem::replace(&mut self.closures, closures_before) {
            if let Some(f) = self.m.functions.get_mut(c) {
                f.parent = Some(id);
            }
        }
        self.items.functions.insert(qualname, id);
    }

    /// The function lowered last is private to its module (no `pub`): like a Python
    /// `_helper`, its latent warnings are judged at the calls the crate makes, not on
    /// their own (see `exec::calls::is_private`).
    fn mark_private(&mut self, private: bool) {
        if !private {
            return;
        }
        // Without parameters no caller chooses anything: what is latent in it (a loop's
        // values in `main`) is judged where it is.
        if let Some(f) = self.m.functions.last_mut()
            && f.params.iter().any(|p| p.name != "self")
        {
            let span = f.name_span;
            f.decorators
                .push(Expr::new(ExprKind::Global(PRIVATE_MARK.into()), span));
        }
    }

    /// A new temporary for a value computed by statements.
    pub(super) fn temp(&mut self, what: &str) -> String {
        self.temps += 1;
        let name = format!("{what}#{}", self.temps);
        self.locals.push(name.clone());
        name
    }

    pub(super) fn bind_local(&mut self, name: &str) {
        if !self.locals.iter().any(|l| l == name) {
            self.locals.push(name.to_string());
        }
    }

    /// Wrap `e` in the type the code declares for it (no check, only the type).
    /// The type reaches the literals inside arithmetic, as rustc's inference does:
    /// `let ms: u64 = 60 * 60 * 1000;` computes in `u64`, not in `i32`.
    pub(super) fn typed(&self, e: Expr, ty: &str) -> Expr {
        let span = e.span;
        let e = match e.kind {
            ExprKind::BinOp { op, left, right } if !matches!(op, crate::ir::BinOp::Pow) => {
                let shift = matches!(op, crate::ir::BinOp::LShift | crate::ir::BinOp::RShift);
                let left = Box::new(self.typed(*left, ty));
                let right = if shift {
                    right
                } else {
                    Box::new(self.typed(*right, ty))
                };
                return Expr::new(ExprKind::BinOp { op, left, right }, span);
            }
            ExprKind::UnaryOp {
                op: op @ crate::ir::UnaryOp::Neg,
                operand,
            } => {
                let operand = Box::new(self.typed(*operand, ty));
                return Expr::new(ExprKind::UnaryOp { op, operand }, span);
            }
            kind => Expr::new(kind, span),
        };
        Expr::new(
            ExprKind::Cast {
                value: Box::new(e),
                ty: ty.to_string(),
                explicit: false,
            },
            span,
        )
    }

    /// Resolve a path: a local, a constant or function of this file (`ModuleVar`), an
    /// associated item of the impl's type, or a global through `use`.
    pub(super) fn resolve(&self, segments: &[String]) -> ExprKind {
        let Some(first) = segments.first() else {
            return ExprKind::Unknown;
        };
        if segments.len() == 1 && self.locals.iter().any(|l| l == first) {
            return ExprKind::Local(first.clone());
        }
        if segments.len() == 1 && self.captured.iter().any(|l| l == first) {
            return ExprKind::Free(first.clone());
        }
        let mut segs: Vec<String> = segments.to_vec();
        if segs[0] == "Self"
            && let Some(t) = &self.self_ty
        {
            segs[0] = t.clone();
        }
        if matches!(segs[0].as_str(), "crate" | "self") {
            segs.remove(0);
        }
        // `self` alone outside a method's parameters (a closure, a macro body).
        let Some(head) = segs.first().cloned() else {
            return ExprKind::Local(first.clone());
        };
        let joined = segs.join("::");
        // This file's items, from the current module outwards.
        let mut scope = self.scope.clone();
        loop {
            let q = join(&scope, &joined);
            if self.items.consts.contains_key(&q) {
                return ExprKind::ModuleVar(q);
            }
            if self.items.functions.contains_key(&q) || self.items.returns.contains_key(&q) {
                return ExprKind::ModuleVar(q);
            }
            match scope.rfind("::") {
                Some(i) => scope.truncate(i),
                None if !scope.is_empty() => scope.clear(),
                None => break,
            }
        }
        if let Some(full) = self
            .items
            .uses
            .get(&(self.scope.clone(), head.clone()))
            .or_else(|| self.items.uses.get(&(String::new(), head)))
        {
            let rest = &segs[1..];
            let q = if rest.is_empty() {
                full.clone()
            } else {
                format!("{full}::{}", rest.join("::"))
            };
            // A `use` of this file's own item (`use crate::util::parse;`).
            if self.items.functions.contains_key(&q)
                || self.items.returns.contains_key(&q)
                || self.items.consts.contains_key(&q)
            {
                return ExprKind::ModuleVar(q);
            }
            return ExprKind::Global(q);
        }
        ExprKind::Global(joined)
    }

    /// The integer type a call's result has when it calls a function of this file.
    pub(super) fn return_type(&self, callee: &ExprKind) -> Option<String> {
        match callee {
            ExprKind::ModuleVar(q) => self.items.returns.get(q).cloned(),
            _ => None,
        }
    }

    pub(super) fn field_type(&self, field: &str) -> Option<String> {
        self.items.fields.get(field).cloned().flatten()
    }

    pub(super) fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.too_deep = true;
            return false;
        }
        true
    }

    pub(super) fn leave(&mut self) {
        self.depth -= 1;
    }
}

/// The span of any syntax node.
pub(super) trait SpanOf {
    fn span_of(&self) -> proc_macro2::Span;
}

impl<T: syn::spanned::Spanned> SpanOf for T {
    fn span_of(&self) -> proc_macro2::Span {
        self.span()
    }
}

#[cfg(test)]
mod tests;
