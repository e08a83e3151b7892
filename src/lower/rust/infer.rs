//! Integer types of `let` bindings the code does not annotate, inferred the way rustc
//! would for the cases that matter to arithmetic: `let mut i = 0;` used as an index is a
//! `usize`, `let total = 0;` added to a `u32` is a `u32`. A few passes over the body
//! propagate types from parameters, annotations, casts, literal suffixes, `len()`,
//! fields and return types through comparisons, arithmetic and assignments. What stays
//! unknown is left untyped (the analysis then types a literal by what it meets).

use std::collections::HashMap;

use syn::visit::Visit;

use super::{Lowerer, int_type};

const PASSES: usize = 4;

/// Methods whose result has the receiver's integer type.
const SAME_TYPE_METHODS: &[&str] = &[
    "min",
    "max",
    "clamp",
    "pow",
    "abs",
    "wrapping_add",
    "wrapping_sub",
    "wrapping_mul",
    "saturating_add",
    "saturating_sub",
    "saturating_mul",
    "rotate_left",
    "rotate_right",
    "swap_bytes",
    "reverse_bits",
];

/// Methods returning a `usize`.
const USIZE_METHODS: &[&str] = &["len", "count", "capacity", "count_ones", "leading_zeros"];

pub(super) fn local_types(
    lw: &Lowerer<'_>,
    params: &HashMap<String, String>,
    body: &syn::Block,
) -> HashMap<String, String> {
    let mut known: HashMap<String, String> = params.clone();
    for _ in 0..PASSES {
        let mut pass = Pass {
            lw,
            known: &known,
            found: Vec::new(),
        };
        pass.visit_block(body);
        let mut changed = false;
        for (name, ty) in pass.found {
            if let std::collections::hash_map::Entry::Vacant(e) = known.entry(name) {
                e.insert(ty);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for p in params.keys() {
        known.remove(p);
    }
    known
}

struct Pass<'a, 'm> {
    lw: &'a Lowerer<'m>,
    known: &'a HashMap<String, String>,
    found: Vec<(String, String)>,
}

fn local_name(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Path(p) if p.qself.is_none() => p.path.get_ident().map(|i| i.to_string()),
        syn::Expr::Paren(p) => local_name(&p.expr),
        syn::Expr::Reference(r) => local_name(&r.expr),
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => local_name(&u.expr),
        _ => None,
    }
}

fn is_arith(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        Add(_)
            | Sub(_)
            | Mul(_)
            | Div(_)
            | Rem(_)
            | BitAnd(_)
            | BitOr(_)
            | BitXor(_)
            | Eq(_)
            | Lt(_)
            | Le(_)
            | Ne(_)
            | Ge(_)
            | Gt(_)
            | AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
    )
}

impl Pass<'_, '_> {
    /// The integer type of an expression, where the code says it.
    fn type_of(&self, e: &syn::Expr) -> Option<String> {
        match e {
            syn::Expr::Lit(l) => match &l.lit {
                syn::Lit::Int(i) if !i.suffix().is_empty() => Some(i.suffix().to_string()),
                syn::Lit::Byte(_) => Some("u8".into()),
                _ => None,
            },
            syn::Expr::Cast(c) => int_type(&c.ty),
            syn::Expr::Path(p) => {
                if let Some(n) = local_name(e) {
                    return self.known.get(&n).cloned();
                }
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                match segs.as_slice() {
                    [.., ty, c] if c == "MAX" || c == "MIN" => {
                        crate::term::IntTy::parse(ty).map(|_| ty.clone())
                    }
                    _ => None,
                }
            }
            syn::Expr::Paren(p) => self.type_of(&p.expr),
            syn::Expr::Group(g) => self.type_of(&g.expr),
            syn::Expr::Reference(r) => self.type_of(&r.expr),
            syn::Expr::Unary(u) => self.type_of(&u.expr),
            syn::Expr::Binary(b) => match b.op {
                syn::BinOp::Shl(_) | syn::BinOp::Shr(_) => self.type_of(&b.left),
                ref op if is_arith(op) && !is_comparison(op) => {
                    self.type_of(&b.left).or_else(|| self.type_of(&b.right))
                }
                _ => None,
            },
            syn::Expr::MethodCall(m) => {
                let name = m.method.to_string();
                if USIZE_METHODS.contains(&name.as_str()) {
                    Some("usize".into())
                } else if SAME_TYPE_METHODS.contains(&name.as_str()) {
                    self.type_of(&m.receiver)
                } else {
                    None
                }
            }
            syn::Expr::Field(f) => self.lw.field_type(&super::expr::member_name(&f.member)),
            syn::Expr::Call(c) => {
                let syn::Expr::Path(p) = &*c.func else {
                    return None;
                };
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                self.lw.return_type(&self.lw.resolve(&segs))
            }
            _ => None,
        }
    }

    /// `e` must have type `ty` (an index is a `usize`; both sides of `+` agree).
    fn expect(&mut self, e: &syn::Expr, ty: &str) {
        match e {
            syn::Expr::Binary(b) if is_arith(&b.op) && !is_comparison(&b.op) => {
                self.expect(&b.left, ty);
                if !matches!(b.op, syn::BinOp::Shl(_) | syn::BinOp::Shr(_)) {
                    self.expect(&b.right, ty);
                }
            }
            syn::Expr::Paren(p) => self.expect(&p.expr, ty),
            _ => {
                if let Some(n) = local_name(e)
                    && !self.known.contains_key(&n)
                {
                    self.found.push((n, ty.to_string()));
                }
            }
        }
    }

    fn agree(&mut self, a: &syn::Expr, b: &syn::Expr) {
        if let Some(t) = self.type_of(b) {
            self.expect(a, &t);
        }
        if let Some(t) = self.type_of(a) {
            self.expect(b, &t);
        }
    }
}

fn is_comparison(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(op, Eq(_) | Lt(_) | Le(_) | Ne(_) | Ge(_) | Gt(_))
}

impl<'ast> Visit<'ast> for Pass<'_, '_> {
    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let syn::Pat::Type(t) = &l.pat
            && let syn::Pat::Ident(i) = &*t.pat
            && let Some(ty) = int_type(&t.ty)
        {
            self.found.push((i.ident.to_string(), ty));
        }
        if let syn::Pat::Ident(i) = &l.pat
            && let Some(init) = &l.init
            && let Some(t) = self.type_of(&init.expr)
        {
            self.found.push((i.ident.to_string(), t));
        }
        syn::visit::visit_local(self, l);
    }

    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        if is_arith(&b.op) {
            self.agree(&b.left, &b.right);
        }
        syn::visit::visit_expr_binary(self, b);
    }

    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        self.agree(&a.left, &a.right);
        syn::visit::visit_expr_assign(self, a);
    }

    fn visit_expr_index(&mut self, i: &'ast syn::ExprIndex) {
        match &*i.index {
            syn::Expr::Range(r) => {
                for x in [&r.start, &r.end].into_iter().flatten() {
                    self.expect(x, "usize");
                }
            }
            other => self.expect(other, "usize"),
        }
        syn::visit::visit_expr_index(self, i);
    }

    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        if let (syn::Pat::Ident(p), syn::Expr::Range(r)) = (&*f.pat, &*f.expr) {
            let name = p.ident.to_string();
            let ty = [&r.start, &r.end]
                .into_iter()
                .flatten()
                .find_map(|x| self.type_of(x))
                .or_else(|| self.known.get(&name).cloned());
            if let Some(t) = ty {
                self.found.push((name, t.clone()));
                for x in [&r.start, &r.end].into_iter().flatten() {
                    self.expect(x, &t);
                }
            }
        }
        syn::visit::visit_expr_for_loop(self, f);
    }

    // Items and closures nested in the body have their own bindings.
    fn visit_item(&mut self, _: &'ast syn::Item) {}
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
}
