//! Statements and control flow. Rust's expression-oriented blocks become IR statements:
//! a block's tail value is assigned to the temporary its user reads (or returned, for a
//! function body); `for i in a..b` becomes the counting loop it means, so the loop
//! summary knows `a <= i < b`.

use syn::punctuated::Punctuated;

use super::{Lowerer, SpanOf, int_type};
use crate::ir::{
    BinOp, Block, CmpOp, Const, Expr, ExprKind, MatchCase, Pattern, Span, Stmt, StmtKind, Target,
};

/// Where the value of a block goes.
#[derive(Clone)]
pub(super) enum Sink {
    /// Nowhere (statement position).
    Drop,
    /// Returned from the function.
    Return,
    /// Assigned to a temporary.
    Temp(String),
}

/// Every name a pattern binds, in order.
pub(super) fn pattern_names(p: &syn::Pat) -> Vec<String> {
    fn go(p: &syn::Pat, out: &mut Vec<String>) {
        match p {
            syn::Pat::Ident(i) => {
                let n = i.ident.to_string();
                // Uppercase single identifiers are constants or unit variants, not bindings.
                if !n.starts_with(|c: char| c.is_uppercase()) {
                    out.push(n);
                }
                if let Some((_, sub)) = &i.subpat {
                    go(sub, out);
                }
            }
            syn::Pat::Or(o) => o.cases.iter().for_each(|c| go(c, out)),
            syn::Pat::Paren(x) => go(&x.pat, out),
            syn::Pat::Reference(r) => go(&r.pat, out),
            syn::Pat::Slice(s) => s.elems.iter().for_each(|c| go(c, out)),
            syn::Pat::Struct(s) => s.fields.iter().for_each(|f| go(&f.pat, out)),
            syn::Pat::Tuple(t) => t.elems.iter().for_each(|c| go(c, out)),
            syn::Pat::TupleStruct(t) => t.elems.iter().for_each(|c| go(c, out)),
            syn::Pat::Type(t) => go(&t.pat, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(p, &mut out);
    out
}

pub(super) fn stmt(kind: StmtKind, span: Span) -> Stmt {
    Stmt { kind, span }
}

fn local(name: &str, span: Span) -> Expr {
    Expr::new(ExprKind::Local(name.to_string()), span)
}

fn unknown(span: Span) -> Expr {
    Expr::new(ExprKind::Unknown, span)
}

fn int(i: i128, span: Span) -> Expr {
    Expr::new(ExprKind::Const(Const::Int(i)), span)
}

fn compare(left: Expr, op: CmpOp, right: Expr, span: Span) -> Expr {
    Expr::new(
        ExprKind::Compare {
            left: Box::new(left),
            ops: vec![(op, right)],
        },
        span,
    )
}

/// A call to a marker the analysis knows (`rust::matches`, `core::unreachable`).
pub(super) fn marker(name: &str, args: Vec<Expr>, span: Span) -> Expr {
    Expr::new(
        ExprKind::Call {
            func: Box::new(Expr::new(ExprKind::Global(name.into()), span)),
            args: args
                .into_iter()
                .map(|value| crate::ir::Arg {
                    keyword: None,
                    span: value.span,
                    value,
                    unpack: crate::ir::Unpack::None,
                })
                .collect(),
        },
        span,
    )
}

impl Lowerer<'_> {
    pub(super) fn fn_body(&mut self, b: &syn::Block, out: &mut Block) {
        self.block(&b.stmts, out, Sink::Return);
        mark_unconditional_unreachable(out);
    }

    /// Statements of a block; the tail expression's value goes to `sink`.
    pub(super) fn block(&mut self, stmts: &[syn::Stmt], out: &mut Block, sink: Sink) {
        let n = stmts.len();
        for (i, s) in stmts.iter().enumerate() {
            let last = i + 1 == n;
            match s {
                syn::Stmt::Expr(e, None) if last => self.value_into(e, out, &sink),
                _ => self.statement(s, out),
            }
        }
    }

    fn statement(&mut self, s: &syn::Stmt, out: &mut Block) {
        if !self.enter() {
            self.leave();
            return;
        }
        match s {
            syn::Stmt::Local(l) => self.let_stmt(l, out),
            syn::Stmt::Expr(e, _) => self.value_into(e, out, &Sink::Drop),
            syn::Stmt::Macro(m) => {
                let span = self.span(super::span::mac_span(&m.mac));
                self.mac(&m.mac, span, out);
            }
            syn::Stmt::Item(_) => {}
        }
        self.leave();
    }

    fn let_stmt(&mut self, l: &syn::Local, out: &mut Block) {
        let span = self.span(super::span::local_span(l));
        let (pat, ty) = match &l.pat {
            syn::Pat::Type(t) => (&*t.pat, int_type(&t.ty)),
            p @ syn::Pat::Ident(i) => (p, self.inferred.get(&i.ident.to_string()).cloned()),
            p => (p, None),
        };
        let names = pattern_names(pat);
        for n in &names {
            self.bind_local(n);
        }
        let Some(init) = &l.init else {
            return;
        };
        let mut value = self.expr(&init.expr, out);
        if let Some(t) = &ty {
            value = self.typed(value, t);
        }
        if let Some((_, diverge)) = &init.diverge {
            // `let PAT = e else { ... };`: the else branch runs when the pattern does not
            // match. For `Some(x)`/`Ok(x)` that is the `Option` being empty (which the
            // analysis knows for `checked_*`, `get`...); otherwise an unknown condition.
            let mut orelse = Vec::new();
            self.value_into(diverge, &mut orelse, &Sink::Drop);
            if let Some(x) = some_binding(pat) {
                let t = self.temp("option");
                out.push(self.assign(&t, value, span));
                let cond = marker("rust::is_some", vec![local(&t, span)], span);
                out.push(stmt(
                    StmtKind::If {
                        cond,
                        then: Vec::new(),
                        orelse,
                    },
                    span,
                ));
                let inner = marker("rust::some_value", vec![local(&t, span)], span);
                out.push(self.assign(&x, inner, span));
                return;
            }
            let cond = marker("rust::matches", vec![value], span);
            out.push(stmt(
                StmtKind::If {
                    cond,
                    then: Vec::new(),
                    orelse,
                },
                span,
            ));
            for n in &names {
                out.push(self.assign(n, unknown(span), span));
            }
            return;
        }
        match (pat, names.as_slice()) {
            (syn::Pat::Ident(i), [n]) if i.subpat.is_none() => {
                out.push(self.assign(n, value, span));
            }
            (syn::Pat::Tuple(t), _) if t.elems.iter().all(|e| matches!(e, syn::Pat::Ident(_))) => {
                let targets = t
                    .elems
                    .iter()
                    .filter_map(|e| match e {
                        syn::Pat::Ident(i) => Some(Target::Local(i.ident.to_string(), span)),
                        _ => None,
                    })
                    .collect();
                out.push(stmt(
                    StmtKind::Assign {
                        targets: vec![Target::Tuple(targets, span)],
                        value,
                    },
                    span,
                ));
            }
            _ => {
                out.push(stmt(StmtKind::Expr(value), span));
                for n in &names {
                    out.push(self.assign(n, unknown(span), span));
                }
            }
        }
    }

    pub(super) fn assign(&self, name: &str, value: Expr, span: Span) -> Stmt {
        stmt(
            StmtKind::Assign {
                targets: vec![Target::Local(name.to_string(), span)],
                value,
            },
            span,
        )
    }

    /// An expression in statement position or as a block's tail, whose value goes to `sink`.
    pub(super) fn value_into(&mut self, e: &syn::Expr, out: &mut Block, sink: &Sink) {
        if !self.enter() {
            self.leave();
            return;
        }
        let span = self.span(super::span::expr_span(e));
        match e {
            syn::Expr::If(i) => self.if_expr(i, out, sink),
            syn::Expr::Match(m) => self.match_expr(m, out, sink),
            syn::Expr::Block(b) => self.block(&b.block.stmts, out, sink.clone()),
            syn::Expr::Unsafe(b) => self.block(&b.block.stmts, out, sink.clone()),
            syn::Expr::Paren(p) => self.value_into(&p.expr, out, sink),
            syn::Expr::Loop(l) => {
                let mut body = Vec::new();
                self.block(&l.body.stmts, &mut body, Sink::Drop);
                let cond = Expr::new(ExprKind::Const(Const::Bool(true)), span);
                out.push(stmt(
                    StmtKind::While {
                        cond,
                        body,
                        orelse: Vec::new(),
                    },
                    span,
                ));
                self.sink_value(unknown(span), out, sink, span);
            }
            syn::Expr::While(w) => {
                let mut body = Vec::new();
                let cond = self.condition(&w.cond, &mut body, out);
                self.block(&w.body.stmts, &mut body, Sink::Drop);
                out.push(stmt(
                    StmtKind::While {
                        cond,
                        body,
                        orelse: Vec::new(),
                    },
                    span,
                ));
            }
            syn::Expr::ForLoop(f) => self.for_loop(f, out, span),
            syn::Expr::Return(r) => {
                let v = r.expr.as_ref().map(|x| self.expr(x, out));
                let v = match (v, &self.ret_ty) {
                    (Some(v), Some(t)) => Some(self.typed(v, &t.clone())),
                    (v, _) => v,
                };
                out.push(stmt(StmtKind::Return(v), span));
            }
            syn::Expr::Break(b) => {
                if let Some(x) = &b.expr {
                    let v = self.expr(x, out);
                    out.push(stmt(StmtKind::Expr(v), span));
                }
                out.push(stmt(StmtKind::Break, span));
            }
            syn::Expr::Continue(_) => out.push(stmt(StmtKind::Continue, span)),
            syn::Expr::Assign(a) if self_update(a).is_some() => {
                // `i = i + 1` is `i += 1` (which the loop summary reads as a counter).
                if let Some((op, rhs)) = self_update(a) {
                    let value = self.expr(rhs, out);
                    let target = self.target(&a.left, out);
                    out.push(stmt(StmtKind::AugAssign { target, op, value }, span));
                }
            }
            syn::Expr::Assign(a) => {
                let value = self.expr(&a.right, out);
                let target = self.target(&a.left, out);
                out.push(stmt(
                    StmtKind::Assign {
                        targets: vec![target],
                        value,
                    },
                    span,
                ));
                self.sink_value(unknown(span), out, sink, span);
            }
            syn::Expr::Binary(b) if compound(&b.op).is_some() => {
                let value = self.expr(&b.right, out);
                let target = self.target(&b.left, out);
                if let Some(op) = compound(&b.op) {
                    out.push(stmt(StmtKind::AugAssign { target, op, value }, span));
                }
            }
            syn::Expr::Macro(m) => {
                let v = self.mac(&m.mac, span, out);
                self.sink_value(v, out, sink, span);
            }
            _ => {
                let v = self.expr(e, out);
                match sink {
                    Sink::Drop => out.push(stmt(StmtKind::Expr(v), span)),
                    _ => self.sink_value(v, out, sink, span),
                }
            }
        }
        self.leave();
    }

    fn sink_value(&mut self, v: Expr, out: &mut Block, sink: &Sink, span: Span) {
        match sink {
            Sink::Drop => {
                if !matches!(v.kind, ExprKind::Unknown) {
                    out.push(stmt(StmtKind::Expr(v), span))
                }
            }
            Sink::Return => {
                let v = match &self.ret_ty {
                    Some(t) => self.typed(v, &t.clone()),
                    None => v,
                };
                out.push(stmt(StmtKind::Return(Some(v)), span))
            }
            Sink::Temp(t) => out.push(self.assign(t, v, span)),
        }
    }

    /// The condition of an `if`/`while`; `let` patterns bind their names as unknowns
    /// at the start of `then`.
    fn condition(&mut self, c: &syn::Expr, then: &mut Block, out: &mut Block) -> Expr {
        let span = self.span(super::span::expr_span(c));
        match c {
            syn::Expr::Let(l) => {
                let scrutinee = self.expr(&l.expr, out);
                if let Some(x) = some_binding(&l.pat) {
                    let t = self.temp("option");
                    out.push(self.assign(&t, scrutinee, span));
                    self.bind_local(&x);
                    let inner = marker("rust::some_value", vec![local(&t, span)], span);
                    then.push(self.assign(&x, inner, span));
                    return marker("rust::is_some", vec![local(&t, span)], span);
                }
                for n in pattern_names(&l.pat) {
                    self.bind_local(&n);
                    then.push(self.assign(&n, unknown(span), span));
                }
                marker("rust::matches", vec![scrutinee], span)
            }
            syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) && contains_let(c) => {
                let l = self.condition(&b.left, then, out);
                let r = self.condition(&b.right, then, out);
                Expr::new(
                    ExprKind::BoolOp {
                        op: crate::ir::BoolOp::And,
                        values: vec![l, r],
                    },
                    span,
                )
            }
            _ => self.expr(c, out),
        }
    }

    fn if_expr(&mut self, i: &syn::ExprIf, out: &mut Block, sink: &Sink) {
        let span = self.span(i.if_token.span);
        let mut then = Vec::new();
        let cond = self.condition(&i.cond, &mut then, out);
        self.block(&i.then_branch.stmts, &mut then, sink.clone());
        let mut orelse = Vec::new();
        if let Some((_, e)) = &i.else_branch {
            self.value_into(e, &mut orelse, sink);
        }
        out.push(stmt(StmtKind::If { cond, then, orelse }, span));
    }

    fn match_expr(&mut self, m: &syn::ExprMatch, out: &mut Block, sink: &Sink) {
        let span = self.span(m.match_token.span);
        let subject = self.expr(&m.expr, out);
        // Range patterns and guards read the subject again: keep it in a local.
        let subject = match subject.kind {
            ExprKind::Local(_) => subject,
            _ => {
                let t = self.temp("match");
                out.push(self.assign(&t, subject, span));
                local(&t, span)
            }
        };
        let mut cases = Vec::new();
        for arm in &m.arms {
            let arm_span = self.span(super::span::expr_span(&arm.body));
            let mut body = Vec::new();
            // syn 3 keeps an arm's guard in its pattern.
            let (pat, guard) = match &arm.pat {
                syn::Pat::Guard(g) => (&*g.pat, Some(&*g.guard)),
                p => (p, None),
            };
            let (pattern, extra) = self.pattern(pat, &subject, &mut body);
            let mut guard = guard.map(|g| {
                let mut pre = Vec::new();
                self.expr(g, &mut pre)
            });
            if let Some(x) = extra {
                guard = Some(match guard {
                    Some(g) => Expr::new(
                        ExprKind::BoolOp {
                            op: crate::ir::BoolOp::And,
                            values: vec![x, g],
                        },
                        arm_span,
                    ),
                    None => x,
                });
            }
            self.value_into(&arm.body, &mut body, sink);
            cases.push(MatchCase {
                pattern,
                guard,
                body,
                span: arm_span,
            });
        }
        out.push(stmt(StmtKind::Match { subject, cases }, span));
    }

    /// A match pattern, plus a condition it stands for that the IR's patterns do not
    /// express (a range `1..=9` is `1 <= s && s <= 9`). Bindings are assigned at the start
    /// of the arm: the subject itself for a plain name, unknowns inside other patterns.
    fn pattern(
        &mut self,
        p: &syn::Pat,
        subject: &Expr,
        body: &mut Block,
    ) -> (Pattern, Option<Expr>) {
        let span = self.span(p.span_of());
        match p {
            syn::Pat::Wild(_) => (Pattern::Wildcard(None), None),
            syn::Pat::Ident(i) if i.subpat.is_none() && !pattern_names(p).is_empty() => {
                let n = i.ident.to_string();
                self.bind_local(&n);
                (Pattern::Wildcard(Some(n)), None)
            }
            syn::Pat::Lit(l) => {
                let mut pre = Vec::new();
                let v = self.expr(&syn::Expr::Lit(l.clone()), &mut pre);
                (Pattern::Value(v), None)
            }
            syn::Pat::Range(r) => {
                let mut pre = Vec::new();
                let mut parts = Vec::new();
                if let Some(lo) = &r.start {
                    let lo = self.expr(lo, &mut pre);
                    parts.push(compare(subject.clone(), CmpOp::GtE, lo, span));
                }
                if let Some(hi) = &r.end {
                    let hi = self.expr(hi, &mut pre);
                    let op = match r.limits {
                        syn::RangeLimits::Closed(_) => CmpOp::LtE,
                        syn::RangeLimits::HalfOpen(_) => CmpOp::Lt,
                    };
                    parts.push(compare(subject.clone(), op, hi, span));
                }
                let cond = Expr::new(
                    ExprKind::BoolOp {
                        op: crate::ir::BoolOp::And,
                        values: parts,
                    },
                    span,
                );
                (Pattern::Wildcard(None), Some(cond))
            }
            syn::Pat::Or(o) => {
                let all_values = o
                    .cases
                    .iter()
                    .all(|c| matches!(c, syn::Pat::Lit(_) | syn::Pat::Wild(_)));
                let ranges = o
                    .cases
                    .iter()
                    .all(|c| matches!(c, syn::Pat::Lit(_) | syn::Pat::Range(_)));
                if all_values {
                    let ps = o
                        .cases
                        .iter()
                        .map(|c| self.pattern(c, subject, body).0)
                        .collect();
                    (Pattern::Or(ps), None)
                } else if ranges {
                    // `1..=96 | 123..=191`: one condition, the disjunction of the cases'.
                    let conds = o
                        .cases
                        .iter()
                        .map(|c| match self.pattern(c, subject, body) {
                            (_, Some(cond)) => cond,
                            (Pattern::Value(v), None) => {
                                compare(subject.clone(), CmpOp::Eq, v, span)
                            }
                            _ => unknown(span),
                        })
                        .collect();
                    let cond = Expr::new(
                        ExprKind::BoolOp {
                            op: crate::ir::BoolOp::Or,
                            values: conds,
                        },
                        span,
                    );
                    (Pattern::Wildcard(None), Some(cond))
                } else {
                    self.bind_unknowns(p, body, span);
                    (Pattern::Other, None)
                }
            }
            syn::Pat::Paren(x) => self.pattern(&x.pat, subject, body),
            _ => {
                self.bind_unknowns(p, body, span);
                (Pattern::Other, None)
            }
        }
    }

    fn bind_unknowns(&mut self, p: &syn::Pat, body: &mut Block, span: Span) {
        for n in pattern_names(p) {
            self.bind_local(&n);
            body.push(self.assign(&n, unknown(span), span));
        }
    }

    /// `for i in a..b` runs `i` from `a` up to `b`: lowered to the counting loop (the
    /// increment last, and for `..=` not past `b`, as the range itself does not
    /// overflow). Other iterables stay a `for` over an unknown sequence.
    fn for_loop(&mut self, f: &syn::ExprForLoop, out: &mut Block, span: Span) {
        let names = pattern_names(&f.pat);
        for n in &names {
            self.bind_local(n);
        }
        let range = match (&*f.expr, &*f.pat, names.as_slice()) {
            (syn::Expr::Range(r), syn::Pat::Ident(_), [n]) => match (&r.start, &r.end) {
                (Some(a), Some(b)) => Some((n.clone(), a, b, &r.limits)),
                _ => None,
            },
            _ => None,
        };
        if let Some((n, a, b, limits)) = range {
            let start = self.expr(a, out);
            let end = self.expr(b, out);
            // The bound is evaluated once, before the loop.
            let bound = self.temp("end");
            out.push(self.assign(&bound, end, span));
            let start = match self.inferred.get(&n).cloned() {
                Some(t) => self.typed(start, &t),
                None => start,
            };
            out.push(self.assign(&n, start, span));
            let inclusive = matches!(limits, syn::RangeLimits::Closed(_));
            let op = if inclusive { CmpOp::LtE } else { CmpOp::Lt };
            let cond = compare(local(&n, span), op, local(&bound, span), span);
            let mut body = Vec::new();
            self.block(&f.body.stmts, &mut body, Sink::Drop);
            if inclusive {
                body.push(stmt(
                    StmtKind::If {
                        cond: compare(local(&n, span), CmpOp::Eq, local(&bound, span), span),
                        then: vec![stmt(StmtKind::Break, span)],
                        orelse: Vec::new(),
                    },
                    span,
                ));
            }
            body.push(stmt(
                StmtKind::AugAssign {
                    target: Target::Local(n.clone(), span),
                    op: BinOp::Add,
                    value: int(1, span),
                },
                span,
            ));
            out.push(stmt(
                StmtKind::While {
                    cond,
                    body,
                    orelse: Vec::new(),
                },
                span,
            ));
            return;
        }
        let iter = self.expr(&f.expr, out);
        let target = match (&*f.pat, names.as_slice()) {
            (syn::Pat::Ident(_), [n]) => Target::Local(n.clone(), span),
            _ => Target::Local(self.temp("item"), span),
        };
        let mut body = Vec::new();
        if !matches!(&*f.pat, syn::Pat::Ident(_)) {
            for n in &names {
                body.push(self.assign(n, unknown(span), span));
            }
        }
        self.block(&f.body.stmts, &mut body, Sink::Drop);
        out.push(stmt(
            StmtKind::For {
                target,
                iter,
                body,
                orelse: Vec::new(),
                is_async: false,
            },
            span,
        ));
    }

    /// An assignment target.
    fn target(&mut self, e: &syn::Expr, out: &mut Block) -> Target {
        let span = self.span(super::span::expr_span(e));
        match e {
            syn::Expr::Path(p) if p.path.segments.len() == 1 => {
                let n = p.path.segments[0].ident.to_string();
                Target::Local(n, span)
            }
            syn::Expr::Field(f) => Target::Attribute {
                value: Box::new(self.expr(&f.base, out)),
                attr: super::expr::member_name(&f.member),
                span,
            },
            syn::Expr::Index(i) => Target::Subscript {
                value: Box::new(self.expr(&i.expr, out)),
                index: Box::new(self.expr(&i.index, out)),
                span,
            },
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.target(&u.expr, out),
            syn::Expr::Paren(p) => self.target(&p.expr, out),
            _ => Target::Local(self.temp("place"), span),
        }
    }

    /// A macro: assertions and panics become statements; `vec!` and the formatting
    /// macros become values. Returns the macro's value.
    pub(super) fn mac(&mut self, mac: &syn::Macro, span: Span, out: &mut Block) -> Expr {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let args: Vec<syn::Expr> = mac
            .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
            .map(|p| p.into_iter().collect())
            .unwrap_or_default();
        match name.as_str() {
            "assert" | "debug_assert" => {
                if let Some(c) = args.first() {
                    let test = self.expr(c, out);
                    let msg = args.get(1).map(|m| self.expr(m, out));
                    out.push(stmt(StmtKind::Assert { test, msg }, span));
                }
                unknown(span)
            }
            "assert_eq" | "debug_assert_eq" | "assert_ne" | "debug_assert_ne" => {
                if let [a, b, rest @ ..] = args.as_slice() {
                    let (a, b) = (self.expr(a, out), self.expr(b, out));
                    let op = if name.ends_with("_eq") {
                        CmpOp::Eq
                    } else {
                        CmpOp::NotEq
                    };
                    let msg = rest.first().map(|m| self.expr(m, out));
                    out.push(stmt(
                        StmtKind::Assert {
                            test: compare(a, op, b, span),
                            msg,
                        },
                        span,
                    ));
                }
                unknown(span)
            }
            "unreachable" | "todo" | "unimplemented" | "panic" => {
                for a in &args {
                    let v = self.expr(a, out);
                    out.push(stmt(StmtKind::Expr(v), span));
                }
                let q = match name.as_str() {
                    "panic" => "core::panic",
                    "unreachable" => "core::unreachable",
                    "todo" => "core::todo",
                    _ => "core::unimplemented",
                };
                out.push(stmt(StmtKind::Expr(marker(q, Vec::new(), span)), span));
                out.push(stmt(StmtKind::Raise(None), span));
                unknown(span)
            }
            "vec" => self.vec_macro(mac, args, span, out),
            "format" => self.format_macro(&args, span, out),
            _ => {
                // Formatting and other macros: their arguments are evaluated (risky
                // operations inside count); the value is the macro's result.
                let vals: Vec<Expr> = args.iter().map(|a| self.expr(a, out)).collect();
                marker(&format!("{name}!"), vals, span)
            }
        }
    }

    /// `format!("..{}..{name}..", a, name = b)`: the text with the arguments in place, as
    /// the IR's formatted string (what the security rules read character by character).
    /// Inline captures (`{user}`) read the local of that name.
    fn format_macro(&mut self, args: &[syn::Expr], span: Span, out: &mut Block) -> Expr {
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(fmt),
            ..
        })) = args.first()
        else {
            let vals: Vec<Expr> = args.iter().map(|a| self.expr(a, out)).collect();
            return marker("format!", vals, span);
        };
        let mut positional = Vec::new();
        let mut named = Vec::new();
        for a in &args[1..] {
            match a {
                syn::Expr::Assign(x) => {
                    if let syn::Expr::Path(p) = &*x.left
                        && let Some(id) = p.path.get_ident()
                    {
                        let v = self.expr(&x.right, out);
                        named.push((id.to_string(), v));
                    }
                }
                other => positional.push(self.expr(other, out)),
            }
        }
        let text = fmt.value();
        let mut parts: Vec<crate::ir::FPart> = Vec::new();
        let mut lit = String::new();
        let mut next = 0usize;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let field: String = chars.by_ref().take_while(|d| *d != '}').collect();
                    let (name, spec) = match field.split_once(':') {
                        Some((n, s)) => (n.trim().to_string(), Some(s.to_string())),
                        None => (field.trim().to_string(), None),
                    };
                    let value = if name.is_empty() {
                        next += 1;
                        positional.get(next - 1).cloned()
                    } else if let Ok(i) = name.parse::<usize>() {
                        positional.get(i).cloned()
                    } else {
                        named
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, v)| v.clone())
                            .or_else(|| {
                                Some(Expr::new(self.resolve(std::slice::from_ref(&name)), span))
                            })
                    };
                    if !lit.is_empty() {
                        parts.push(crate::ir::FPart::Lit(std::mem::take(&mut lit).into()));
                    }
                    parts.push(crate::ir::FPart::Value {
                        value: value.unwrap_or_else(|| unknown(span)),
                        conversion: None,
                        // `{:?}` is Debug: quotes around strings, which the text may need.
                        spec: spec.filter(|s| !s.contains('?')),
                    });
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(crate::ir::FPart::Lit(lit.into()));
        }
        Expr::new(ExprKind::FString(parts), span)
    }

    /// `vec![a, b]` is a list of known items; `vec![x; n]` has length `n`.
    fn vec_macro(
        &mut self,
        mac: &syn::Macro,
        args: Vec<syn::Expr>,
        span: Span,
        out: &mut Block,
    ) -> Expr {
        if let Ok(r) = mac.parse_body::<syn::ExprRepeat>() {
            let x = self.expr(
                &syn::Expr::Array(syn::ExprArray {
                    attrs: Vec::new(),
                    bracket_token: Default::default(),
                    elems: std::iter::once((*r.expr).clone()).collect(),
                }),
                out,
            );
            let n = self.expr(&r.len, out);
            return marker("rust::repeat", vec![x, n], span);
        }
        let items = args.iter().map(|a| self.expr(a, out)).collect();
        Expr::new(ExprKind::List(items), span)
    }
}

fn compound(op: &syn::BinOp) -> Option<BinOp> {
    Some(match op {
        syn::BinOp::AddAssign(_) => BinOp::Add,
        syn::BinOp::SubAssign(_) => BinOp::Sub,
        syn::BinOp::MulAssign(_) => BinOp::Mul,
        syn::BinOp::DivAssign(_) => BinOp::FloorDiv,
        syn::BinOp::RemAssign(_) => BinOp::Mod,
        syn::BinOp::ShlAssign(_) => BinOp::LShift,
        syn::BinOp::ShrAssign(_) => BinOp::RShift,
        syn::BinOp::BitAndAssign(_) => BinOp::BitAnd,
        syn::BinOp::BitOrAssign(_) => BinOp::BitOr,
        syn::BinOp::BitXorAssign(_) => BinOp::BitXor,
        _ => return None,
    })
}

/// The name `Some(x)` / `Ok(x)` binds.
fn some_binding(p: &syn::Pat) -> Option<String> {
    let syn::Pat::TupleStruct(t) = p else {
        return None;
    };
    let variant = t.path.segments.last()?.ident.to_string();
    match (variant.as_str(), t.elems.len(), t.elems.first()) {
        ("Some" | "Ok", 1, Some(syn::Pat::Ident(i))) if i.subpat.is_none() => {
            Some(i.ident.to_string())
        }
        _ => None,
    }
}

/// An `unreachable!()` a function reaches before any branch says the function is never
/// called (a trait method a type must have but does not support): not a claim about
/// values, so it becomes `core::unreachable_body`, which no check reads.
fn mark_unconditional_unreachable(body: &mut Block) {
    for s in body.iter_mut() {
        match &mut s.kind {
            StmtKind::Expr(e) => {
                if let ExprKind::Call { func, .. } = &mut e.kind
                    && let ExprKind::Global(q) = &mut func.kind
                    && q == "core::unreachable"
                {
                    *q = "core::unreachable_body".into();
                    return;
                }
            }
            // A closure defined on the way is no branch.
            StmtKind::Assign { .. }
            | StmtKind::AugAssign { .. }
            | StmtKind::AnnAssign { .. }
            | StmtKind::FunctionDef(_) => {}
            _ => return,
        }
    }
}

/// `x = x op e` for a local `x`: the operator and `e`.
fn self_update(a: &syn::ExprAssign) -> Option<(BinOp, &syn::Expr)> {
    let syn::Expr::Binary(b) = &*a.right else {
        return None;
    };
    let name = |e: &syn::Expr| match e {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    };
    let op = match b.op {
        syn::BinOp::Add(_) => BinOp::Add,
        syn::BinOp::Sub(_) => BinOp::Sub,
        syn::BinOp::Mul(_) => BinOp::Mul,
        _ => return None,
    };
    (name(&a.left)? == name(&b.left)?).then_some((op, &*b.right))
}

fn contains_let(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Let(_) => true,
        syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            contains_let(&b.left) || contains_let(&b.right)
        }
        _ => false,
    }
}
