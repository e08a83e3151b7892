//! Expressions. Operators map onto the IR's (`/` is [`BinOp::FloorDiv`] and `%` is
//! [`BinOp::Mod`]: integer division, which the analysis gives Rust's truncating meaning
//! under `Language::Rust`); literal suffixes, field types and return types of this
//! file's functions become declared types ([`ExprKind::Cast`] with `explicit: false`).

use super::stmt::{Sink, marker};
use super::{Lowerer, SpanOf};
use crate::ir::{
    Arg, BinOp, Block, BoolOp, CmpOp, Const, Expr, ExprKind, Function, Param, ParamKind, Span,
    Stmt, StmtKind, UnaryOp, Unpack,
};

pub(super) fn member_name(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(i) => i.to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}

/// `u32::MAX`, `i8::MIN`, `u64::BITS` as constants of their type.
fn int_constant(segments: &[String]) -> Option<(i128, String)> {
    let n = segments.len();
    if n < 2 {
        return None;
    }
    let (ty, what) = (&segments[n - 2], segments[n - 1].as_str());
    let t = crate::term::IntTy::parse(ty)?;
    let v = match what {
        "MAX" if t.signed => t.signed_of(t.max_raw()),
        "MAX" => i128::try_from(t.max_raw()).ok()?,
        "MIN" if t.signed => t.signed_of(t.min_raw()),
        "MIN" => 0,
        "BITS" => return Some((i128::from(t.bits), "u32".into())),
        _ => return None,
    };
    Some((v, ty.clone()))
}

fn binop(op: &syn::BinOp) -> Option<BinOp> {
    Some(match op {
        syn::BinOp::Add(_) => BinOp::Add,
        syn::BinOp::Sub(_) => BinOp::Sub,
        syn::BinOp::Mul(_) => BinOp::Mul,
        syn::BinOp::Div(_) => BinOp::FloorDiv,
        syn::BinOp::Rem(_) => BinOp::Mod,
        syn::BinOp::Shl(_) => BinOp::LShift,
        syn::BinOp::Shr(_) => BinOp::RShift,
        syn::BinOp::BitAnd(_) => BinOp::BitAnd,
        syn::BinOp::BitOr(_) => BinOp::BitOr,
        syn::BinOp::BitXor(_) => BinOp::BitXor,
        _ => return None,
    })
}

fn cmpop(op: &syn::BinOp) -> Option<CmpOp> {
    Some(match op {
        syn::BinOp::Eq(_) => CmpOp::Eq,
        syn::BinOp::Ne(_) => CmpOp::NotEq,
        syn::BinOp::Lt(_) => CmpOp::Lt,
        syn::BinOp::Le(_) => CmpOp::LtE,
        syn::BinOp::Gt(_) => CmpOp::Gt,
        syn::BinOp::Ge(_) => CmpOp::GtE,
        _ => return None,
    })
}

fn positional(values: Vec<Expr>) -> Vec<Arg> {
    values
        .into_iter()
        .map(|value| Arg {
            keyword: None,
            span: value.span,
            value,
            unpack: Unpack::None,
        })
        .collect()
}

impl Lowerer<'_> {
    /// An expression in value position; statements it needs go to `out` first.
    pub(super) fn expr(&mut self, e: &syn::Expr, out: &mut Block) -> Expr {
        let mut span = self.span(super::span::expr_span(e));
        // A method call in a chain is reported where its name is, not where the chain
        // starts (`.danger_accept_invalid_certs(true)` three lines below `builder()`).
        if let syn::Expr::MethodCall(m) = e {
            let name = self.span(m.method.span());
            span.start = name.start;
            span.line = name.line;
            span.col = name.col;
        }
        if !self.enter() {
            self.leave();
            return Expr::new(ExprKind::Unknown, span);
        }
        let kind = self.expr_kind(e, span, out);
        self.leave();
        Expr::new(kind, span)
    }

    fn boxed(&mut self, e: &syn::Expr, out: &mut Block) -> Box<Expr> {
        Box::new(self.expr(e, out))
    }

    fn expr_kind(&mut self, e: &syn::Expr, span: Span, out: &mut Block) -> ExprKind {
        match e {
            syn::Expr::Lit(l) => self.literal(&l.lit, span),
            syn::Expr::Path(p) => {
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if let Some((v, ty)) = int_constant(&segs) {
                    let c = Expr::new(ExprKind::Const(Const::Int(v)), span);
                    return self.typed(c, &ty).kind;
                }
                match segs.as_slice() {
                    [n] if n == "None" => ExprKind::Const(Const::None),
                    [n] if n == "true" => ExprKind::Const(Const::Bool(true)),
                    [n] if n == "false" => ExprKind::Const(Const::Bool(false)),
                    _ => self.resolve(&segs),
                }
            }
            syn::Expr::Binary(b) => {
                let (l, r) = (self.boxed(&b.left, out), self.boxed(&b.right, out));
                if let Some(op) = binop(&b.op) {
                    return ExprKind::BinOp {
                        op,
                        left: l,
                        right: r,
                    };
                }
                if let Some(op) = cmpop(&b.op) {
                    return ExprKind::Compare {
                        left: l,
                        ops: vec![(op, *r)],
                    };
                }
                match b.op {
                    syn::BinOp::And(_) => ExprKind::BoolOp {
                        op: BoolOp::And,
                        values: vec![*l, *r],
                    },
                    syn::BinOp::Or(_) => ExprKind::BoolOp {
                        op: BoolOp::Or,
                        values: vec![*l, *r],
                    },
                    // Compound assignment in value position: its value is `()`.
                    _ => {
                        self.value_into(e, out, &Sink::Drop);
                        ExprKind::Unknown
                    }
                }
            }
            syn::Expr::Unary(u) => {
                let operand = self.boxed(&u.expr, out);
                match u.op {
                    syn::UnOp::Neg(_) => ExprKind::UnaryOp {
                        op: UnaryOp::Neg,
                        operand,
                    },
                    // `!` is logical on bools and bitwise on integers: the analysis
                    // tells them apart by the operand's value.
                    syn::UnOp::Not(_) => ExprKind::UnaryOp {
                        op: UnaryOp::Not,
                        operand,
                    },
                    _ => operand.kind,
                }
            }
            syn::Expr::Paren(p) => self.expr(&p.expr, out).kind,
            syn::Expr::Group(g) => self.expr(&g.expr, out).kind,
            syn::Expr::Reference(r) => self.expr(&r.expr, out).kind,
            syn::Expr::Cast(c) => {
                let value = self.boxed(&c.expr, out);
                let ty = super::type_name(&c.ty).unwrap_or_else(|| "?".into());
                ExprKind::Cast {
                    value,
                    ty,
                    explicit: true,
                }
            }
            syn::Expr::Call(c) => {
                let func = self.boxed(&c.func, out);
                let args: Vec<Expr> = c.args.iter().map(|a| self.expr(a, out)).collect();
                let ret = self.return_type(&func.kind);
                let call = ExprKind::Call {
                    func,
                    args: positional(args),
                };
                match ret {
                    Some(t) => self.typed(Expr::new(call, span), &t).kind,
                    None => call,
                }
            }
            syn::Expr::MethodCall(m) => {
                let recv = self.expr(&m.receiver, out);
                let args: Vec<Expr> = m.args.iter().map(|a| self.expr(a, out)).collect();
                let fspan = self.span(m.method.span());
                ExprKind::Call {
                    func: Box::new(Expr::new(
                        ExprKind::Attribute {
                            value: Box::new(recv),
                            attr: m.method.to_string(),
                        },
                        fspan,
                    )),
                    args: positional(args),
                }
            }
            syn::Expr::Field(f) => {
                let value = self.boxed(&f.base, out);
                let attr = member_name(&f.member);
                let ty = self.field_type(&attr);
                let field = ExprKind::Attribute { value, attr };
                match ty {
                    Some(t) => self.typed(Expr::new(field, span), &t).kind,
                    None => field,
                }
            }
            syn::Expr::Index(i) => {
                let value = self.boxed(&i.expr, out);
                let index = match &*i.index {
                    syn::Expr::Range(r) => Box::new(Expr::new(self.range(r, true, out), span)),
                    other => self.boxed(other, out),
                };
                ExprKind::Subscript { value, index }
            }
            syn::Expr::Range(r) => self.range(r, false, out),
            syn::Expr::Array(a) => {
                ExprKind::List(a.elems.iter().map(|x| self.expr(x, out)).collect())
            }
            syn::Expr::Repeat(r) => {
                let x = self.expr(&r.expr, out);
                let n = self.expr(&r.len, out);
                let item = Expr::new(ExprKind::List(vec![x]), span);
                marker("rust::repeat", vec![item, n], span).kind
            }
            syn::Expr::Tuple(t) => {
                ExprKind::Tuple(t.elems.iter().map(|x| self.expr(x, out)).collect())
            }
            syn::Expr::Try(t) => {
                let inner = self.expr(&t.expr, out);
                marker("rust::try", vec![inner], span).kind
            }
            syn::Expr::Await(a) => ExprKind::Await(self.boxed(&a.base, out)),
            syn::Expr::Macro(m) => self.mac(&m.mac, span, out).kind,
            syn::Expr::Struct(s) => {
                let name = s
                    .path
                    .segments
                    .iter()
                    .map(|x| x.ident.to_string())
                    .collect::<Vec<_>>();
                let func = Box::new(Expr::new(self.resolve(&name), span));
                let mut args = Vec::new();
                for f in &s.fields {
                    let value = self.expr(&f.expr, out);
                    args.push(Arg {
                        keyword: Some(member_name(&f.member)),
                        span: value.span,
                        value,
                        unpack: Unpack::None,
                    });
                }
                ExprKind::Call { func, args }
            }
            syn::Expr::Closure(c) => self.closure(c, span, out),
            syn::Expr::Let(l) => {
                let v = self.expr(&l.expr, out);
                marker("rust::matches", vec![v], span).kind
            }
            syn::Expr::If(_)
            | syn::Expr::Match(_)
            | syn::Expr::Block(_)
            | syn::Expr::Unsafe(_)
            | syn::Expr::Loop(_)
            | syn::Expr::While(_)
            | syn::Expr::ForLoop(_) => {
                let t = self.temp("value");
                self.value_into(e, out, &Sink::Temp(t.clone()));
                ExprKind::Local(t)
            }
            syn::Expr::Return(_)
            | syn::Expr::Break(_)
            | syn::Expr::Continue(_)
            | syn::Expr::Assign(_) => {
                self.value_into(e, out, &Sink::Drop);
                ExprKind::Unknown
            }
            _ => ExprKind::Unknown,
        }
    }

    /// A closure becomes a nested function (its parameters typed as written, the
    /// enclosing locals it reads as free names), defined where it is written and bound to
    /// a temporary: `let f = |x: u32| x + 1; f(5)` calls it, and its body is analysed on
    /// its own like any function's.
    fn closure(&mut self, c: &syn::ExprClosure, span: Span, out: &mut Block) -> ExprKind {
        // Named by its text when short (messages say "inside `|v: u32| v / width`"): no
        // identifier can clash with it, and two equal closures are bound and read at once.
        let text: String = self
            .m
            .source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let name = if !text.is_empty() && text.len() <= 40 {
            text
        } else {
            format!("the closure on line {}", span.line)
        };
        self.bind_local(&name);
        let qualname = format!("{}::<locals>::<closure>", self.fn_qualname);
        let outer_locals = std::mem::take(&mut self.locals);
        let mut captured = self.captured.clone();
        captured.extend(outer_locals.iter().cloned());
        let saved_captured = std::mem::replace(&mut self.captured, captured);
        let saved_inferred = std::mem::take(&mut self.inferred);
        let saved_ret = self.ret_ty.take();
        let saved_closures = std::mem::take(&mut self.closures);
        if let syn::ReturnType::Type(_, t) = &c.output {
            self.ret_ty = super::int_type(t);
        }
        let mut params = Vec::new();
        for (i, input) in c.inputs.iter().enumerate() {
            let (pat, annotation) = match input {
                syn::Pat::Type(pt) => (
                    &*pt.pat,
                    super::type_name(&pt.ty)
                        .map(|t| Expr::new(ExprKind::Global(t), self.span(pt.ty.span_of()))),
                ),
                other => (other, None),
            };
            let names = super::stmt::pattern_names(pat);
            let pname = match (pat, names.as_slice()) {
                (syn::Pat::Ident(_), [n]) => n.clone(),
                _ => format!("arg{i}"),
            };
            params.push(Param {
                name: pname,
                default: None,
                kind: ParamKind::Positional,
                annotation,
                span,
            });
        }
        self.locals = params.iter().map(|p| p.name.clone()).collect();
        // Names the closure's own parameters shadow are its own, not captures.
        self.captured
            .retain(|n| !params.iter().any(|p| &p.name == n));
        let mut body = Vec::new();
        self.value_into(&c.body, &mut body, &Sink::Return);
        let id = self.m.functions.len();
        self.m.functions.push(Function {
            name: name.clone(),
            qualname,
            params,
            body,
            span,
            name_span: span,
            decorators: Vec::new(),
            class: None,
            parent: None,
            is_async: c.asyncness.is_some(),
            locals: std::mem::take(&mut self.locals),
        });
        for inner in std::mem::replace(&mut self.closures, saved_closures) {
            if let Some(f) = self.m.functions.get_mut(inner) {
                f.parent = Some(id);
            }
        }
        self.closures.push(id);
        self.locals = outer_locals;
        self.captured = saved_captured;
        self.inferred = saved_inferred;
        self.ret_ty = saved_ret;
        out.push(Stmt {
            kind: StmtKind::FunctionDef(id),
            span,
        });
        ExprKind::Local(name)
    }

    /// `a..b` as a slice's bounds (`index`: an index's end is exclusive, so `a..=b` is
    /// `a..b + 1` there) or as a value (`(a..=b).all(..)`, where no `b + 1` is computed).
    fn range(&mut self, r: &syn::ExprRange, index: bool, out: &mut Block) -> ExprKind {
        let lower = r.start.as_ref().map(|x| self.boxed(x, out));
        let mut upper = r.end.as_ref().map(|x| self.boxed(x, out));
        if index
            && matches!(r.limits, syn::RangeLimits::Closed(_))
            && let Some(u) = upper.take()
        {
            let span = u.span;
            upper = Some(Box::new(Expr::new(
                ExprKind::BinOp {
                    op: BinOp::Add,
                    left: u,
                    right: Box::new(Expr::new(ExprKind::Const(Const::Int(1)), span)),
                },
                span,
            )));
        }
        ExprKind::Slice {
            lower,
            upper,
            step: None,
        }
    }

    fn literal(&mut self, lit: &syn::Lit, span: Span) -> ExprKind {
        match lit {
            syn::Lit::Int(i) => {
                let Ok(v) = i.base10_parse::<i128>() else {
                    // Beyond i128 (a large u128): known only by its type.
                    return ExprKind::Unknown;
                };
                let c = Expr::new(ExprKind::Const(Const::Int(v)), span);
                match i.suffix() {
                    "" => c.kind,
                    s => self.typed(c, s).kind,
                }
            }
            syn::Lit::Float(f) => match f.base10_parse::<f64>() {
                Ok(v) => ExprKind::Const(Const::Float(v)),
                Err(_) => ExprKind::Unknown,
            },
            syn::Lit::Bool(b) => ExprKind::Const(Const::Bool(b.value)),
            syn::Lit::Str(s) => {
                let v: std::sync::Arc<str> = std::sync::Arc::from(s.value().as_str());
                self.m.strings.push((span, v.clone()));
                ExprKind::Const(Const::Str(v))
            }
            syn::Lit::Char(c) => ExprKind::Const(Const::Str(std::sync::Arc::from(
                c.value().to_string().as_str(),
            ))),
            syn::Lit::ByteStr(b) => ExprKind::Const(Const::Bytes(std::sync::Arc::from(b.value()))),
            syn::Lit::Byte(b) => {
                let c = Expr::new(ExprKind::Const(Const::Int(i128::from(b.value()))), span);
                self.typed(c, "u8").kind
            }
            _ => ExprKind::Unknown,
        }
    }
}
