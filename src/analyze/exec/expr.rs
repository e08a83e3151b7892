//! Expressions to values: operators with Python semantics on the symbolic views,
//! comparisons, and string formatting (f-strings, `%`, `str.format`), whose results the
//! security rules read character by character.

use std::sync::Arc;

use super::calls::CallArg;
use super::scan::{access_path, target_name};
use super::{Exec, State, origin_of, push_pc};
use crate::analyze::sinks;
use crate::analyze::value::{self, Value};
use crate::ir::{BinOp, BoolOp, CmpOp, Const, Expr, ExprKind, FPart, Span, UnaryOp, Unpack};
use crate::term::{self, Origin, Sort, T};

impl<'a> Exec<'a> {
    pub fn eval(&mut self, st: &mut State, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Const(c) => const_value(c),
            ExprKind::Local(n) | ExprKind::Free(n) => match st.env.get(n) {
                Some(v) => v.clone(),
                None => {
                    let v = match self.consts.get(n) {
                        Some(v) if matches!(e.kind, ExprKind::Free(_)) => v.clone(),
                        _ => self.fresh_unknown(n, Origin::Opaque, None),
                    };
                    st.env.insert(n.clone(), v.clone());
                    v
                }
            },
            ExprKind::ModuleVar(n) => {
                if let Some(v) = st.env.get(n) {
                    return v.clone();
                }
                if let Some(v) = self.consts.get(n) {
                    return v.clone();
                }
                if let Some(id) = self
                    .module
                    .functions
                    .iter()
                    .position(|f| f.parent == Some(0) && &f.name == n)
                {
                    return Value::Func(id);
                }
                let v = self.fresh_unknown(n, Origin::Opaque, None);
                if !self.at_module_level {
                    st.env.insert(n.clone(), v.clone());
                }
                v
            }
            ExprKind::Global(q) => {
                sinks::check_reference(self, st, q, e.span);
                if let Some(v) = self.source_value(q, e.span) {
                    return v;
                }
                known_constant(q).unwrap_or_else(|| Value::Global(Arc::from(q.as_str())))
            }
            ExprKind::Attribute { value, attr } => {
                if let Some(q) = e.qualified_name() {
                    sinks::check_reference(self, st, &q, e.span);
                    if let Some(v) = self.source_value(&q, e.span) {
                        return v;
                    }
                    return known_constant(&q)
                        .unwrap_or_else(|| Value::Global(Arc::from(q.as_str())));
                }
                let path = access_path(e);
                if let Some(p) = &path
                    && let Some(v) = st.env.get(p)
                {
                    return v.clone();
                }
                let obj = self.eval(st, value);
                let v = match &obj {
                    Value::Global(q) => Value::Global(Arc::from(format!("{q}.{attr}").as_str())),
                    _ if let Some(v) = self.source_attr(&obj, attr, e.span) => v,
                    _ => {
                        let name = path.clone().unwrap_or_else(|| format!("_.{attr}"));
                        let origin = match &obj {
                            Value::Unknown(b)
                                if Some(*b) == self.receiver
                                    && self.constructor_fed.contains(attr) =>
                            {
                                Origin::Param
                            }
                            _ => origin_of(&obj, &self.syms),
                        };
                        let ty = self.type_of(&obj).map(|t| format!("{t}.{attr}"));
                        if origin == Origin::Source {
                            self.fresh_source(&name, ty.as_deref(), e.span)
                        } else {
                            self.fresh_unknown(&name, origin, ty.as_deref())
                        }
                    }
                };
                if let Some(p) = path {
                    st.env.insert(p, v.clone());
                }
                v
            }
            ExprKind::Call { func, args } => self.eval_call(st, e, func, args),
            ExprKind::BinOp { op, left, right } => {
                let l = self.eval(st, left);
                let r = self.eval(st, right);
                if self.is_rust() {
                    return self.rust_binop(st, *op, &l, &r, e.span, Some(left), Some(right));
                }
                self.binop(st, *op, &l, &r, e.span, Some(right))
            }
            ExprKind::Cast {
                value,
                ty,
                explicit,
            } => self.rust_cast(st, e, value, ty, *explicit),
            ExprKind::UnaryOp { op, operand } => {
                let v = self.eval(st, operand);
                if self.is_rust()
                    && let Some(r) = self.rust_unary(st, *op, &v, e.span, operand)
                {
                    return r;
                }
                match op {
                    UnaryOp::Not => Value::Bool(term::not(&value::truthy(&v, &mut self.syms))),
                    UnaryOp::Neg => match &v {
                        Value::Float(f) => Value::Float(f.map(|x| -x)),
                        _ => match value::as_int(&v, &mut self.syms) {
                            Some(t) => Value::Int(term::neg(&t)),
                            None => self.fresh_unknown("-x", origin_of(&v, &self.syms), None),
                        },
                    },
                    UnaryOp::Pos => v,
                    UnaryOp::Invert => match value::as_int(&v, &mut self.syms) {
                        Some(t) => Value::Int(term::sub(&term::neg(&t), &term::int(1))),
                        None => self.fresh_unknown("~x", origin_of(&v, &self.syms), None),
                    },
                }
            }
            ExprKind::BoolOp { op, values } => {
                // `a and b`: b is evaluated only where a is truthy; the value is a or b.
                let mut vals: Vec<(T, Value)> = Vec::new();
                let base = st.pc.len();
                for (i, x) in values.iter().enumerate() {
                    let v = self.eval(st, x);
                    let t = value::truthy(&v, &mut self.syms);
                    vals.push((t.clone(), v));
                    if i + 1 < values.len() {
                        match op {
                            BoolOp::And => push_pc(st, t),
                            BoolOp::Or => push_pc(st, term::not(&t)),
                        }
                    }
                }
                st.pc.truncate(base);
                st.live = true;
                let mut acc = vals.pop().map(|(_, v)| v).unwrap_or(Value::None);
                while let Some((t, v)) = vals.pop() {
                    acc = match op {
                        BoolOp::And => value::join(&t, &acc, &v, &mut self.syms, "and"),
                        BoolOp::Or => value::join(&t, &v, &acc, &mut self.syms, "or"),
                    };
                }
                acc
            }
            ExprKind::Compare { left, ops } => {
                let mut l = self.eval(st, left);
                let mut parts = Vec::new();
                let mut left_expr: &Expr = left;
                for (op, r) in ops {
                    let rv = self.eval(st, r);
                    self.note_float_comparison(st, &[(left_expr, &l), (r, &rv)]);
                    if matches!(op, CmpOp::Eq | CmpOp::NotEq) {
                        self.float_equality_site(st, &l, &rv, left_expr, r, *op, e.span);
                    }
                    left_expr = r;
                    parts.push(self.compare(*op, &l, &rv));
                    l = rv;
                }
                Value::Bool(term::and(&parts))
            }
            ExprKind::IfExp { test, body, orelse } => {
                let tv = self.eval(st, test);
                let c = value::truthy(&tv, &mut self.syms);
                let base = st.pc.len();
                push_pc(st, c.clone());
                let a = if st.live {
                    self.eval(st, body)
                } else {
                    Value::None
                };
                st.pc.truncate(base);
                st.live = true;
                push_pc(st, term::not(&c));
                let b = if st.live {
                    self.eval(st, orelse)
                } else {
                    Value::None
                };
                st.pc.truncate(base);
                st.live = true;
                value::join(&c, &a, &b, &mut self.syms, "if")
            }
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                let kind = match &e.kind {
                    ExprKind::List(_) => value::SeqKind::List,
                    ExprKind::Tuple(_) => value::SeqKind::Tuple,
                    _ => value::SeqKind::Set,
                };
                let mut vals = Vec::with_capacity(items.len());
                let mut starred = false;
                for x in items {
                    if matches!(x.kind, ExprKind::Starred(_)) {
                        starred = true;
                    }
                    vals.push(self.eval(st, x));
                }
                if starred || kind == value::SeqKind::Set {
                    let len = self.syms.fresh("len", Sort::Int, Origin::Opaque);
                    push_pc(st, term::ge(&len, &term::int(0)));
                    Value::Seq {
                        kind,
                        items: None,
                        len,
                    }
                } else {
                    let len = term::int(vals.len() as i128);
                    Value::Seq {
                        kind,
                        items: Some(vals),
                        len,
                    }
                }
            }
            ExprKind::Dict(entries) => {
                let mut spread = false;
                let mut known = Vec::new();
                for (k, v) in entries {
                    let key = k
                        .as_ref()
                        .and_then(|k| k.as_str_const())
                        .map(str::to_string);
                    match k {
                        Some(k) => {
                            self.eval(st, k);
                        }
                        None => spread = true,
                    }
                    let val = self.eval(st, v);
                    if let Some(key) = key {
                        known.push((key, val));
                    }
                }
                self.last_dict = (!spread).then_some((e.span, known));
                if spread {
                    let len = self.syms.fresh("len", Sort::Int, Origin::Opaque);
                    push_pc(st, term::ge(&len, &term::int(0)));
                    Value::Dict { len }
                } else {
                    Value::Dict {
                        len: term::int(entries.len() as i128),
                    }
                }
            }
            ExprKind::Subscript { value, index } if self.is_rust() => {
                self.rust_subscript(st, e, value, index)
            }
            ExprKind::Subscript { value, index } => {
                let path = match (access_path(value), index.as_str_const()) {
                    (Some(p), Some(k)) => Some(format!("{p}[{k:?}]")),
                    _ => None,
                };
                if let Some(p) = &path
                    && let Some(v) = st.env.get(p)
                {
                    return v.clone();
                }
                let obj = self.eval(st, value);
                let idx = self.eval(st, index);
                self.index_site(st, &obj, &idx, e.span, value, index);
                let v = match (&obj, &idx) {
                    (
                        Value::Seq {
                            items: Some(xs), ..
                        },
                        Value::Int(i),
                    ) => match i.as_int() {
                        Some(k) => {
                            let n = xs.len() as i128;
                            let k = if k < 0 { k + n } else { k };
                            usize::try_from(k).ok().and_then(|k| xs.get(k).cloned())
                        }
                        None => None,
                    },
                    (Value::Str(s), Value::Int(_)) if s.is_const() => Some(Value::Str(
                        self.syms.fresh("char", Sort::Str, Origin::Opaque),
                    )),
                    _ => None,
                };
                let v = v.unwrap_or_else(|| {
                    // Named as written (`tokens[1]`), which is how a witness should read.
                    let name = path.clone().unwrap_or_else(|| {
                        let text = self.text(e.span);
                        if text.len() <= 40 && !text.contains('\n') {
                            text
                        } else {
                            "item".into()
                        }
                    });
                    match origin_of(&obj, &self.syms) {
                        Origin::Source => self.fresh_source(&name, None, e.span),
                        origin => self.fresh_unknown(&name, origin, None),
                    }
                });
                if let Some(p) = path {
                    st.env.insert(p, v.clone());
                }
                v
            }
            ExprKind::Slice { lower, upper, step } => {
                for x in [lower, upper, step].into_iter().flatten() {
                    self.eval(st, x);
                }
                self.fresh_unknown("slice", Origin::Opaque, None)
            }
            ExprKind::FString(parts) => {
                let mut terms = Vec::new();
                for p in parts {
                    match p {
                        FPart::Lit(s) => terms.push(term::string(s)),
                        FPart::Value {
                            value,
                            conversion,
                            spec,
                        } => {
                            let v = self.eval(st, value);
                            terms.push(self.format_value(&v, *conversion, spec.as_deref()));
                        }
                    }
                }
                Value::Str(term::concat(&terms))
            }
            ExprKind::Lambda { .. } => Value::Global(Arc::from("<lambda>")),
            ExprKind::Comprehension {
                element,
                value,
                generators,
                kind,
            } => {
                let mut inner = st.clone();
                let mut len_known: Option<T> = None;
                for (i, g) in generators.iter().enumerate() {
                    let it = self.eval(&mut inner, &g.iter);
                    let it_len = value::length(&it, &mut self.syms);
                    if i == 0 && g.ifs.is_empty() && generators.len() == 1 {
                        len_known = it_len.clone();
                    }
                    // The element is only computed for an item of a non-empty iterable.
                    if let Some(l) = it_len {
                        push_pc(&mut inner, term::gt(&l, &term::int(0)));
                    }
                    let origin = origin_of(&it, &self.syms);
                    let elem = self.fresh_unknown(&target_name(&g.target), origin, None);
                    self.assign(&mut inner, &g.target, elem, None);
                    for c in &g.ifs {
                        let cv = self.eval(&mut inner, c);
                        let t = value::truthy(&cv, &mut self.syms);
                        push_pc(&mut inner, t);
                    }
                }
                if inner.live {
                    self.eval(&mut inner, element);
                    if let Some(v) = value {
                        self.eval(&mut inner, v);
                    }
                }
                if *kind == crate::ir::CompKind::Generator {
                    return self.fresh_unknown("generator", Origin::Opaque, None);
                }
                let len = match len_known {
                    Some(l) if *kind == crate::ir::CompKind::List => l,
                    // A set or dict comprehension drops repeated keys: at most as many
                    // items, and some as soon as there is one.
                    Some(most) => {
                        let l = self
                            .syms
                            .fresh("len(comprehension)", Sort::Int, Origin::Havoc);
                        push_pc(st, term::le(&l, &most));
                        let zero = term::int(0);
                        push_pc(st, term::eq(&term::gt(&l, &zero), &term::gt(&most, &zero)));
                        l
                    }
                    None => {
                        let l = self
                            .syms
                            .fresh("len(comprehension)", Sort::Int, Origin::Havoc);
                        push_pc(st, term::ge(&l, &term::int(0)));
                        l
                    }
                };
                match kind {
                    crate::ir::CompKind::Dict => Value::Dict { len },
                    crate::ir::CompKind::Set => Value::Seq {
                        kind: value::SeqKind::Set,
                        items: None,
                        len,
                    },
                    _ => Value::Seq {
                        kind: value::SeqKind::List,
                        items: None,
                        len,
                    },
                }
            }
            ExprKind::NamedExpr { target, value } => {
                let v = self.eval(st, value);
                self.bind(st, target, v.clone());
                v
            }
            ExprKind::Await(x) => {
                let v = self.eval(st, x);
                match v {
                    Value::Unknown(_) => v,
                    _ => self.fresh_unknown("await", Origin::Opaque, None),
                }
            }
            ExprKind::Yield(x) => {
                if let Some(x) = x {
                    self.eval(st, x);
                }
                self.fresh_unknown("yield", Origin::Opaque, None)
            }
            ExprKind::Starred(x) => self.eval(st, x),
            ExprKind::Unknown => self.fresh_unknown("?", Origin::Opaque, None),
        }
    }

    pub(super) fn type_of(&self, v: &Value) -> Option<Arc<str>> {
        match v {
            Value::Unknown(b) => self.syms.base(*b).and_then(|b| b.type_name.clone()),
            Value::Global(q) | Value::Instance(q) => Some(q.clone()),
            Value::Str(_) => Some(Arc::from("builtins.str")),
            _ => None,
        }
    }

    /// `str(v)` inside an f-string with an optional conversion and spec.
    pub(super) fn format_value(
        &mut self,
        v: &Value,
        conversion: Option<char>,
        spec: Option<&str>,
    ) -> T {
        let numeric_spec =
            spec.is_some_and(|s| s.ends_with(['d', 'f', 'e', 'g', 'x', 'o', 'b', '%']));
        if numeric_spec {
            // A numeric format cannot produce quotes or shell metacharacters; what matters
            // downstream is the alphabet, so digits stand in for the exact text.
            let origin = origin_of(v, &self.syms);
            let n = self.syms.fresh("number", Sort::Int, origin);
            return term::int_to_str(&n);
        }
        match (conversion, value::as_str(v, &mut self.syms)) {
            (None | Some('s'), Some(t)) => t,
            _ => {
                let origin = origin_of(v, &self.syms);
                self.syms.fresh("text", Sort::Str, origin)
            }
        }
    }

    pub(super) fn equals(&mut self, a: &Value, b: &Value) -> Option<T> {
        let coerced;
        let (a, b) = if self.is_rust() {
            coerced = self.rust_coerce(a, b);
            (&coerced.0, &coerced.1)
        } else {
            (a, b)
        };
        match (a, b) {
            (Value::None, _) => Some(value::is_none(b, &mut self.syms)),
            (_, Value::None) => Some(value::is_none(a, &mut self.syms)),
            (Value::Str(_), _) | (_, Value::Str(_)) => {
                let x = value::as_str(a, &mut self.syms)?;
                let y = value::as_str(b, &mut self.syms)?;
                if matches!(a, Value::Int(_)) || matches!(b, Value::Int(_)) {
                    return Some(term::boolean(false));
                }
                // An unknown compared with a string may be None (or another type), which
                // is equal to no string, whatever its str view says.
                let mut parts = vec![term::eq(&x, &y)];
                for v in [a, b] {
                    if let Value::Unknown(_) = v {
                        parts.push(term::not(&value::is_none(v, &mut self.syms)));
                    }
                }
                Some(term::and(&parts))
            }
            // Two names can be one object (`nx.write_graphml == nx.write_graphml_lxml`).
            (Value::Global(x), Value::Global(y)) if x == y => Some(term::boolean(true)),
            (Value::Global(_), Value::Global(_)) => None,
            (Value::Float(Some(x)), Value::Float(Some(y))) => Some(term::boolean(x == y)),
            (Value::FloatExpr(_), _) | (_, Value::FloatExpr(_)) => {
                let x = value::as_float(a, &mut self.syms)?;
                let y = value::as_float(b, &mut self.syms)?;
                Some(term::feq(&x, &y))
            }
            (Value::Float(_), _) | (_, Value::Float(_)) => None,
            _ => {
                let x = value::as_int(a, &mut self.syms)?;
                let y = value::as_int(b, &mut self.syms)?;
                // `x is False` is not `not x`: None is falsy too. (For numbers the int view
                // stands for the value; None there fails in the arithmetic anyway.)
                let mut parts = vec![term::eq(&x, &y)];
                for (v, w) in [(a, b), (b, a)] {
                    if let (Value::Unknown(_), Value::Bool(_)) = (v, w) {
                        parts.push(term::not(&value::is_none(v, &mut self.syms)));
                    }
                }
                Some(term::and(&parts))
            }
        }
    }

    pub(super) fn compare(&mut self, op: CmpOp, l: &Value, r: &Value) -> T {
        let coerced;
        let (l, r) = if self.is_rust() {
            coerced = self.rust_coerce(l, r);
            (&coerced.0, &coerced.1)
        } else {
            (l, r)
        };
        let r = match op {
            CmpOp::Eq | CmpOp::Is => self.equals(l, r),
            CmpOp::NotEq | CmpOp::IsNot => self.equals(l, r).map(|t| term::not(&t)),
            CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
                match (
                    value::as_int(l, &mut self.syms),
                    value::as_int(r, &mut self.syms),
                ) {
                    (Some(a), Some(b))
                        if !matches!(l, Value::Float(_) | Value::Str(_))
                            && !matches!(r, Value::Float(_) | Value::Str(_)) =>
                    {
                        Some(match op {
                            CmpOp::Lt => term::lt(&a, &b),
                            CmpOp::LtE => term::le(&a, &b),
                            CmpOp::Gt => term::gt(&a, &b),
                            _ => term::ge(&a, &b),
                        })
                    }
                    _ => None,
                }
            }
            CmpOp::In | CmpOp::NotIn => {
                let t = match r {
                    Value::Seq {
                        items: Some(xs), ..
                    } => {
                        let alts: Option<Vec<T>> = xs.iter().map(|x| self.equals(l, x)).collect();
                        alts.map(|a| term::or(&a))
                    }
                    Value::Str(s) => {
                        value::as_str(l, &mut self.syms).map(|x| term::contains(s, &x))
                    }
                    // `".." in name` on a value of unknown content: a substring test, the
                    // only meaning a literal string on the left gives `in`.
                    Value::Unknown(_) if l.is_constant() && matches!(l, Value::Str(_)) => {
                        let x = value::as_str(l, &mut self.syms);
                        let s = value::as_str(r, &mut self.syms);
                        x.zip(s).map(|(x, s)| term::contains(&s, &x))
                    }
                    _ => None,
                };
                match (op, t) {
                    (CmpOp::NotIn, Some(t)) => Some(term::not(&t)),
                    (_, t) => t,
                }
            }
        };
        r.unwrap_or_else(|| self.syms.fresh("comparison", Sort::Bool, Origin::Opaque))
    }

    pub fn binop(
        &mut self,
        st: &mut State,
        op: BinOp,
        l: &Value,
        r: &Value,
        span: Span,
        rhs: Option<&Expr>,
    ) -> Value {
        // `x op= e` (the expression form takes the hook above, with both operands).
        if self.is_rust() {
            return self.rust_binop(st, op, l, r, span, None, rhs);
        }
        // Strings: concatenation, repetition and %-formatting.
        if let Value::Str(a) = l {
            match op {
                BinOp::Add => {
                    return match value::as_str(r, &mut self.syms) {
                        Some(b)
                            if matches!(r, Value::Str(_) | Value::Unknown(_) | Value::Phi(..)) =>
                        {
                            Value::Str(term::concat(&[a.clone(), b]))
                        }
                        _ => self.fresh_unknown("str", Origin::Opaque, None),
                    };
                }
                BinOp::Mod => {
                    let mapping = self.format_mapping(st, rhs);
                    return Value::Str(self.percent_format(a, r, mapping.as_deref()));
                }
                _ => {}
            }
        }
        if let (BinOp::Add, Value::Str(b)) = (op, r)
            && let Value::Unknown(_) = l
            && let Some(a) = value::as_str(l, &mut self.syms)
        {
            return Value::Str(term::concat(&[a, b.clone()]));
        }
        // `x % y` is string formatting when x is a string; only a left side known to be a
        // number makes it a modulo. A literal `0` divisor is written on purpose (a test
        // raising ZeroDivisionError), not a mistake to report.
        // Even then, a divisor of unknown type there is usually a mapping or a tuple of
        // format arguments (`template % params`).
        let numeric_left = matches!(l, Value::Int(_) | Value::Bool(_) | Value::Float(_))
            && !matches!(r, Value::Unknown(_));
        let literal_zero = rhs.is_some_and(|e| matches!(e.kind, ExprKind::Const(Const::Int(0))));
        if !literal_zero
            && (matches!(op, BinOp::Div | BinOp::FloorDiv) || (op == BinOp::Mod && numeric_left))
        {
            self.division_site(st, r, span, rhs);
        }
        if let Some(v) = self.float_expr(op, l, r) {
            return v;
        }
        if let (Value::Float(_), _) | (_, Value::Float(_)) = (l, r) {
            return Value::Float(float_binop(op, l, r));
        }
        if let (Value::Seq { .. }, _) | (_, Value::Seq { .. }) = (l, r) {
            return self.seq_binop(st, op, l, r);
        }
        let (Some(a), Some(b)) = (
            value::as_int(l, &mut self.syms),
            value::as_int(r, &mut self.syms),
        ) else {
            let origin = origin_of(l, &self.syms).max(origin_of(r, &self.syms));
            return self.fresh_unknown("result", origin, None);
        };
        match op {
            BinOp::Add => Value::Int(term::add(&a, &b)),
            BinOp::Sub => Value::Int(term::sub(&a, &b)),
            BinOp::Mul => Value::Int(term::mul(&a, &b)),
            BinOp::FloorDiv => Value::Int(term::floordiv(&a, &b)),
            BinOp::Mod => Value::Int(term::modulo(&a, &b)),
            BinOp::Div => match (a.as_int(), b.as_int()) {
                (Some(x), Some(y)) if y != 0 => Value::Float(Some(x as f64 / y as f64)),
                _ => Value::Float(None),
            },
            _ => match (a.as_int(), b.as_int()) {
                (Some(x), Some(y)) => int_bitop(op, x, y)
                    .map(Value::int)
                    .unwrap_or(Value::Float(None)),
                _ => {
                    let origin = origin_of(l, &self.syms).max(origin_of(r, &self.syms));
                    self.fresh_unknown("result", origin, None)
                }
            },
        }
    }

    pub(super) fn seq_binop(&mut self, st: &mut State, op: BinOp, l: &Value, r: &Value) -> Value {
        match (op, l, r) {
            (
                BinOp::Add,
                Value::Seq {
                    kind,
                    items: i1,
                    len: l1,
                },
                Value::Seq {
                    items: i2, len: l2, ..
                },
            ) => {
                let items = match (i1, i2) {
                    (Some(a), Some(b)) => Some(a.iter().chain(b.iter()).cloned().collect()),
                    _ => None,
                };
                Value::Seq {
                    kind: *kind,
                    items,
                    len: term::add(l1, l2),
                }
            }
            (BinOp::Mul, Value::Seq { kind, len, .. }, n)
            | (BinOp::Mul, n, Value::Seq { kind, len, .. }) => {
                match value::as_int(n, &mut self.syms) {
                    Some(k) => {
                        // `["i"] * (n - 1)` is written for a count: a negative one is a
                        // caller's mistake the code does not mean to handle. (An assumption,
                        // not a check the code made: index checks do not count it as one.)
                        if !k.is_const() && origin_of(n, &self.syms) == Origin::Param {
                            let fact = term::ge(&k, &term::int(0));
                            self.assumed.push(fact.clone());
                            push_pc(st, fact);
                        }
                        Value::Seq {
                            kind: *kind,
                            items: None,
                            len: term::mul(
                                len,
                                &term::ite(&term::lt(&k, &term::int(0)), &term::int(0), &k),
                            ),
                        }
                    }
                    None => self.fresh_unknown("list", Origin::Opaque, None),
                }
            }
            _ => self.fresh_unknown("result", Origin::Opaque, None),
        }
    }

    /// The string-keyed entries a `%(key)s` format can read: a dict literal written right
    /// there, or a variable that was assigned one.
    pub(super) fn format_mapping(
        &mut self,
        st: &State,
        rhs: Option<&Expr>,
    ) -> Option<Vec<(String, Value)>> {
        let rhs = rhs?;
        match &rhs.kind {
            ExprKind::Dict(_) => match self.last_dict.take() {
                Some((span, items)) if span == rhs.span => Some(items),
                _ => None,
            },
            ExprKind::Local(n) | ExprKind::ModuleVar(n) => {
                let prefix = format!("{n}[");
                let items: Vec<(String, Value)> = st
                    .env
                    .iter()
                    .filter_map(|(k, v)| {
                        let key = k.strip_prefix(&prefix)?.strip_suffix(']')?;
                        let key = key.strip_prefix('"')?.strip_suffix('"')?;
                        Some((key.to_string(), v.clone()))
                    })
                    .collect();
                (!items.is_empty()).then_some(items)
            }
            _ => None,
        }
    }

    /// `"... %s ..." % args`: the text with each conversion replaced by the argument's text.
    pub(super) fn percent_format(
        &mut self,
        fmt: &T,
        args: &Value,
        mapping: Option<&[(String, Value)]>,
    ) -> T {
        let Some(f) = fmt.as_str() else {
            return self.syms.fresh("text", Sort::Str, Origin::Opaque);
        };
        let mut vals: Vec<Value> = match args {
            Value::Seq {
                kind: value::SeqKind::Tuple,
                items: Some(xs),
                ..
            } => xs.clone(),
            other => vec![other.clone()],
        };
        vals.reverse();
        let mut out = Vec::new();
        let mut lit = String::new();
        let mut chars = f.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                lit.push(c);
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                lit.push('%');
                continue;
            }
            // Skip flags, width and precision, read a mapping key; stop at the conversion.
            let mut conv = None;
            let mut in_key = false;
            let mut key: Option<String> = None;
            for d in chars.by_ref() {
                if d == '(' && !in_key {
                    in_key = true;
                    key = Some(String::new());
                } else if d == ')' && in_key {
                    in_key = false;
                } else if in_key {
                    if let Some(k) = key.as_mut() {
                        k.push(d);
                    }
                } else if d.is_ascii_alphabetic() {
                    conv = Some(d);
                    break;
                }
            }
            out.push(term::string(&lit));
            lit.clear();
            let v = match &key {
                Some(k) => mapping
                    .and_then(|m| m.iter().find(|(name, _)| name == k))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| self.fresh_unknown(k, Origin::Opaque, None)),
                None => vals.pop().unwrap_or(Value::None),
            };
            let spec = conv
                .filter(|c| "diouxXeEfFgGc".contains(*c))
                .map(|c| c.to_string());
            out.push(self.format_value(&v, None, spec.as_deref().map(|_| "d")));
        }
        out.push(term::string(&lit));
        term::concat(&out)
    }

    /// Float arithmetic on values that are not all constants, kept as a double-valued term:
    /// one side is already such a term, a float constant, or a parameter annotated as a
    /// float, and the other side can be read as a double.
    pub(super) fn float_expr(&mut self, op: BinOp, l: &Value, r: &Value) -> Option<Value> {
        let fop = match op {
            BinOp::Add => term::FOp::Add,
            BinOp::Sub => term::FOp::Sub,
            BinOp::Mul => term::FOp::Mul,
            BinOp::Div => term::FOp::Div,
            _ => return None,
        };
        let real_param = |v: &Value| matches!(v, Value::Unknown(b) if self.real_params.contains(b));
        let floaty = |v: &Value| matches!(v, Value::FloatExpr(_) | Value::Float(Some(_)));
        let constant = |v: &Value| matches!(v, Value::Float(Some(_))) || v.is_constant();
        if constant(l) && constant(r) {
            return None;
        }
        if !(floaty(l) || floaty(r) || real_param(l) || real_param(r)) {
            return None;
        }
        let a = value::as_float(l, &mut self.syms)?;
        let b = value::as_float(r, &mut self.syms)?;
        Some(Value::FloatExpr(term::farith(fop, &a, &b)))
    }

    /// `"...{}...{name}...".format(...)`.
    pub(super) fn brace_format(&mut self, fmt: &T, args: &[CallArg]) -> T {
        let Some(f) = fmt.as_str() else {
            return self.syms.fresh("text", Sort::Str, Origin::Opaque);
        };
        let pos: Vec<&CallArg> = args
            .iter()
            .filter(|a| a.keyword.is_none() && a.unpack == Unpack::None)
            .collect();
        let mut auto = 0usize;
        let mut out = Vec::new();
        let mut lit = String::new();
        let mut chars = f.chars().peekable();
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
                    let mut field = String::new();
                    for d in chars.by_ref() {
                        if d == '}' {
                            break;
                        }
                        field.push(d);
                    }
                    let (name, spec) = match field.split_once(':') {
                        Some((n, s)) => (n.to_string(), Some(s.to_string())),
                        None => (field.clone(), None),
                    };
                    let (name, conv) = match name.split_once('!') {
                        Some((n, c)) => (n.to_string(), c.chars().next()),
                        None => (name, None),
                    };
                    let key: String = name
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let arg = if key.is_empty() {
                        let a = pos.get(auto).map(|a| a.value.clone());
                        auto += 1;
                        a
                    } else if let Ok(i) = key.parse::<usize>() {
                        pos.get(i).map(|a| a.value.clone())
                    } else {
                        args.iter()
                            .find(|a| a.keyword.as_deref() == Some(key.as_str()))
                            .map(|a| a.value.clone())
                    };
                    out.push(term::string(&lit));
                    lit.clear();
                    let t = match arg {
                        Some(v) if key == name => self.format_value(&v, conv, spec.as_deref()),
                        _ => self.syms.fresh("text", Sort::Str, Origin::Opaque),
                    };
                    out.push(t);
                }
                _ => lit.push(c),
            }
        }
        out.push(term::string(&lit));
        term::concat(&out)
    }
}

pub(super) fn const_value(c: &Const) -> Value {
    match c {
        Const::None => Value::None,
        Const::Bool(b) => Value::boolean(*b),
        Const::Int(i) => Value::int(*i),
        Const::Float(f) => Value::Float(Some(*f)),
        Const::Str(s) => Value::Str(term::string(s)),
        Const::BigInt(_) => Value::Float(None),
        Const::Complex(_) | Const::Bytes(_) | Const::Ellipsis => {
            Value::Global(Arc::from("<const>"))
        }
    }
}

pub(super) fn float_binop(op: BinOp, l: &Value, r: &Value) -> Option<f64> {
    let f = |v: &Value| match v {
        Value::Float(x) => *x,
        Value::Int(t) => t.as_int().map(|i| i as f64),
        _ => None,
    };
    let (a, b) = (f(l)?, f(r)?);
    Some(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div if b != 0.0 => a / b,
        BinOp::FloorDiv if b != 0.0 => (a / b).floor(),
        BinOp::Mod if b != 0.0 => a - b * (a / b).floor(),
        BinOp::Pow => a.powf(b),
        _ => return None,
    })
}

pub(super) fn int_bitop(op: BinOp, x: i128, y: i128) -> Option<i128> {
    match op {
        BinOp::Pow => u32::try_from(y).ok().and_then(|e| x.checked_pow(e)),
        BinOp::LShift => u32::try_from(y)
            .ok()
            .filter(|s| *s < 100)
            .and_then(|s| x.checked_mul(1i128 << s)),
        BinOp::RShift => u32::try_from(y).ok().map(|s| {
            if s >= 127 {
                if x < 0 { -1 } else { 0 }
            } else {
                x >> s
            }
        }),
        BinOp::BitOr => Some(x | y),
        BinOp::BitAnd => Some(x & y),
        BinOp::BitXor => Some(x ^ y),
        _ => None,
    }
}

/// Module constants whose values matter to rules (file mode bits).
pub(super) fn known_constant(q: &str) -> Option<Value> {
    let v = match q {
        "stat.S_IRWXU" => 0o700,
        "stat.S_IRUSR" => 0o400,
        "stat.S_IWUSR" => 0o200,
        "stat.S_IXUSR" => 0o100,
        "stat.S_IRWXG" => 0o070,
        "stat.S_IRGRP" => 0o040,
        "stat.S_IWGRP" => 0o020,
        "stat.S_IXGRP" => 0o010,
        "stat.S_IRWXO" => 0o007,
        "stat.S_IROTH" => 0o004,
        "stat.S_IWOTH" => 0o002,
        "stat.S_IXOTH" => 0o001,
        "stat.S_ISUID" => 0o4000,
        "stat.S_ISGID" => 0o2000,
        "stat.S_ISVTX" => 0o1000,
        _ => return None,
    };
    Some(Value::int(v))
}
