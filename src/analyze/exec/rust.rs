//! Rust semantics for the symbolic executor: fixed-width integers and the panics they
//! bring. Integer values are `Value::Int` terms of sort `Bits` (see `term::IntTy`);
//! untyped literals take the type of what they meet (Rust's inference, locally), and
//! `i32` when nothing says otherwise.
//!
//! Each risky operation records a site. Those that panic in every build (a zero divisor,
//! `MIN / -1`, an index out of bounds, `unwrap` on `None`) leave, past them, the fact that
//! they did not fail, so one defect is reported once. Overflows and shifts do not: a
//! release build goes on with the wrapped value, and what it computes from it is checked
//! too (a proof over the release build's values holds for the debug build's, which are
//! the same wherever it did not stop). The sites:
//! add/sub/mul/neg/abs overflow, division and remainder by zero, `MIN / -1`, shifts by
//! the width or more, `as` casts that change the value, indexing past the length,
//! `unwrap` on a `None`, a reachable `unreachable!()`. `checked_*`, `wrapping_*`,
//! `saturating_*` and `overflowing_*` are modelled exactly and never flagged.

use std::sync::Arc;

use super::calls::{CallArg, Callee};
use super::{Exec, SiteKind, State, origin_of, push_pc};
use crate::analyze::value::{self, USIZE, Value};
use crate::ir::{BinOp, Expr, ExprKind, Language, Param, Span, UnaryOp};
use crate::term::{self, BvOp, IntTy, Origin, T};

/// Rust's default integer type, for literals nothing else types.
const I32: IntTy = IntTy::new(32, true);
const U32: IntTy = IntTy::new(32, false);

/// Parameter types (as the lowering names them) that are sequences, and the type the
/// analysis gives such a parameter.
const SEQUENCE_TYPES: &[&str] = &["slice", "array", "Vec", "VecDeque", "str", "String"];
const SEQUENCE: &str = "rust::sequence";

/// Floats the analysis does not know the value of, by where they come from: any float
/// (a parameter, a parsed or computed value: it can be NaN or huge) or one computed from
/// integers and constants (finite and scaled as the code says, kept apart so that
/// `(len as f64 * 1.5) as usize` is not taken for a NaN waiting to happen).
const FLOAT: &str = "rust::float";
const FLOAT_FROM_INT: &str = "rust::float_from_int";

/// Float methods whose result is another float of the same kind (NaN stays NaN).
const FLOAT_METHODS: &[&str] = &[
    "round",
    "floor",
    "ceil",
    "trunc",
    "abs",
    "sqrt",
    "powi",
    "powf",
    "exp",
    "ln",
    "log10",
    "log2",
    "fract",
    "signum",
    "mul_add",
    "recip",
    "to_degrees",
    "to_radians",
];

/// Float methods that look at the value's range or NaN-ness: past them, a cast of the
/// value is taken as checked.
const FLOAT_CHECKS: &[&str] = &[
    "is_nan",
    "is_finite",
    "is_infinite",
    "is_normal",
    "is_sign_negative",
    "is_sign_positive",
    "clamp",
];

/// Environment key marking a local whose float value the code compared or checked.
fn checked_key(name: &str) -> String {
    format!("#float-checked:{name}")
}

/// Locals an expression reads.
fn locals_in(e: &Expr, out: &mut Vec<String>) {
    if let ExprKind::Local(n) = &e.kind {
        out.push(n.clone());
    }
    for c in crate::ir::walk::children(e) {
        locals_in(c, out);
    }
}

/// Methods that change a collection's length in place.
const RUST_MUTATORS: &[&str] = &[
    "push",
    "pop",
    "insert",
    "remove",
    "clear",
    "truncate",
    "extend",
    "retain",
    "drain",
    "append",
    "resize",
    "dedup",
    "swap_remove",
    "push_str",
    "split_off",
];

/// Iterator adaptors and consumers that call their closure argument with one item at a
/// time: the closure is followed once with an item it does not know.
const ITEM_ADAPTORS: &[&str] = &[
    "map",
    "for_each",
    "filter",
    "filter_map",
    "flat_map",
    "any",
    "all",
    "find",
    "find_map",
    "position",
    "inspect",
    "take_while",
    "skip_while",
    "map_while",
];

/// Methods whose result is the receiver itself, as far as values and lengths go.
const SAME_VALUE: &[&str] = &[
    "as_bytes",
    "as_bytes_mut",
    "into_bytes",
    "as_str",
    "as_mut_slice",
    "iter",
    "clone",
    "to_vec",
    "as_slice",
    "to_owned",
    "into_iter",
    "as_ref",
    "borrow",
    "copied",
    "cloned",
    "as_mut",
    "iter_mut",
    "into",
];

/// The types a `std::process::Command` builder goes through, as rules name them: any
/// program, a shell, and a shell whose next argument is a command line (after `-c`).
const COMMAND: &str = "std::process::Command";
const SHELL: &str = "std::process::Command::shell";
const SHELL_C: &str = "std::process::Command::shell_c";

fn is_shell(program: &str) -> bool {
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let name = name.strip_suffix(".exe").unwrap_or(name);
    matches!(
        name,
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "fish" | "cmd" | "powershell" | "pwsh"
    )
}

/// The builder after `.arg(..)`/`.args(..)`/other methods: a shell given `-c` (or
/// `/C`) expects the command line next; after that it is a shell command again.
fn command_arg(t: &str, m: &str, vals: &[CallArg]) -> Value {
    let first = vals.first().map(|a| &a.value);
    let flag = |v: Option<&Value>| matches!(v, Some(Value::Str(s)) if matches!(s.as_str(), Some("-c" | "/C" | "/c" | "-Command")));
    let next = match (t, m) {
        (SHELL, "arg") if flag(first) => SHELL_C,
        (SHELL_C, "arg") => SHELL,
        _ => t,
    };
    Value::Instance(Arc::from(next))
}

/// The target of `x op= e` (or `x = x op e`) from the statement's text.
fn compound_target(statement: &str) -> String {
    let target = statement.split('=').next().unwrap_or("").trim();
    let target = target
        .trim_end_matches(['+', '-', '*', '/', '%', '<', '>', '&', '|', '^'])
        .trim();
    if target.is_empty() || target.contains('\n') {
        "the value".into()
    } else {
        target.to_string()
    }
}

/// The argument expressions of a call.
fn call_args(call: &Expr) -> Vec<&Expr> {
    match &call.kind {
        ExprKind::Call { args, .. } => args.iter().map(|a| &a.value).collect(),
        _ => Vec::new(),
    }
}

fn op_word(op: BvOp) -> &'static str {
    match op {
        BvOp::Add => "add",
        BvOp::Sub => "subtract",
        BvOp::Mul => "multiply",
        BvOp::Div => "divide",
        BvOp::Rem => "calculate the remainder",
        BvOp::Shl => "shift left",
        BvOp::Shr => "shift right",
        _ => "compute",
    }
}

fn arith(op: BinOp) -> Option<BvOp> {
    Some(match op {
        BinOp::Add => BvOp::Add,
        BinOp::Sub => BvOp::Sub,
        BinOp::Mul => BvOp::Mul,
        BinOp::FloorDiv | BinOp::Div => BvOp::Div,
        BinOp::Mod => BvOp::Rem,
        BinOp::LShift => BvOp::Shl,
        BinOp::RShift => BvOp::Shr,
        BinOp::BitAnd => BvOp::And,
        BinOp::BitOr => BvOp::Or,
        BinOp::BitXor => BvOp::Xor,
        _ => return None,
    })
}

impl Exec<'_> {
    pub(super) fn is_rust(&self) -> bool {
        self.module.language == Language::Rust
    }

    /// What an overflow does in this file's project ("a panic in debug builds, a silent
    /// wrap in release"), from its `Cargo.toml` profiles.
    fn overflow_consequence(&mut self) -> &'static str {
        self.overflow_checks().consequence()
    }

    fn overflow_checks(&mut self) -> super::cargo_profile::OverflowChecks {
        let path = std::path::Path::new(&self.module.path);
        *self
            .overflow_checks
            .get_or_insert_with(|| super::cargo_profile::overflow_checks(path))
    }

    /// A parameter's starting value: an integer parameter is a symbol of its type.
    pub(super) fn param_value(&mut self, base: value::BaseId, p: &Param) -> Value {
        // A slice or vector parameter: `get`/`first` on it are bounds questions.
        if self.is_rust()
            && let Some(ExprKind::Global(t)) = p.annotation.as_ref().map(|a| &a.kind)
            && SEQUENCE_TYPES.contains(&t.as_str())
            && let Some(b) = self.syms.bases.get_mut(base as usize)
        {
            b.type_name = Some(Arc::from(SEQUENCE));
        }
        if self.is_rust()
            && let Some(ExprKind::Global(t)) = p.annotation.as_ref().map(|a| &a.kind)
            && matches!(t.as_str(), "f64" | "f32")
            && let Some(b) = self.syms.bases.get_mut(base as usize)
        {
            b.type_name = Some(Arc::from(FLOAT));
        }
        if self.is_rust()
            && let Some(ExprKind::Global(t)) = p.annotation.as_ref().map(|a| &a.kind)
            && let Some(ty) = IntTy::parse(t)
        {
            return Value::Int(self.syms.view(base, value::View::Bits(ty)));
        }
        Value::Unknown(base)
    }

    /// Which kind of unknown float a value is ([`FLOAT`], [`FLOAT_FROM_INT`]); `None`
    /// for constants and non-floats.
    fn float_kind(&self, v: &Value) -> Option<&'static str> {
        match v {
            Value::Unknown(b) => match self.syms.base(*b)?.type_name.as_deref() {
                Some(FLOAT) => Some(FLOAT),
                Some(FLOAT_FROM_INT) => Some(FLOAT_FROM_INT),
                _ => None,
            },
            _ => None,
        }
    }

    fn is_float(&self, v: &Value) -> bool {
        matches!(v, Value::Float(_) | Value::FloatExpr(_)) || self.float_kind(v).is_some()
    }

    /// A float operation: folded when both sides are constants (with Rust's `/` and `%`,
    /// which the lowering writes as Python's floor division and modulo), else an unknown
    /// float of the kind and origin of its non-constant operands.
    fn float_binop(&mut self, op: BinOp, l: &Value, r: &Value) -> Value {
        let c = |v: &Value| match v {
            Value::Float(Some(x)) => Some(*x),
            Value::Int(t) => t.as_int().map(|i| i as f64),
            _ => None,
        };
        if let (Some(a), Some(b)) = (c(l), c(r)) {
            let x = match op {
                BinOp::Add => Some(a + b),
                BinOp::Sub => Some(a - b),
                BinOp::Mul => Some(a * b),
                BinOp::Div | BinOp::FloorDiv => Some(a / b),
                BinOp::Mod => Some(a % b),
                _ => None,
            };
            return Value::Float(x);
        }
        let unknowns: Vec<&Value> = [l, r].into_iter().filter(|v| c(v).is_none()).collect();
        let kind = if unknowns
            .iter()
            .all(|v| self.float_kind(v) == Some(FLOAT_FROM_INT))
        {
            FLOAT_FROM_INT
        } else {
            FLOAT
        };
        let origin = unknowns
            .iter()
            .map(|v| origin_of(v, &self.syms))
            .max()
            .unwrap_or(Origin::Opaque);
        self.fresh_unknown("float", origin, Some(kind))
    }

    /// Marks the locals of a comparison between floats as checked (`if x < 0.0`): float
    /// comparisons are no facts the solver sees, so a later cast of them is not judged.
    pub(super) fn note_float_comparison(&mut self, st: &mut State, sides: &[(&Expr, &Value)]) {
        if !self.is_rust() || !sides.iter().any(|(_, v)| self.is_float(v)) {
            return;
        }
        for (e, _) in sides {
            let mut names = Vec::new();
            locals_in(e, &mut names);
            for n in names {
                st.env.insert(checked_key(&n), Value::boolean(true));
            }
        }
    }

    /// An argument as the parameter it is passed to: a Rust literal takes the
    /// parameter's integer type (`overflow(-1)` passes an `i64` to `time: i64`).
    pub(super) fn as_param(&mut self, p: &Param, v: &Value) -> Value {
        if self.is_rust()
            && let Some(ExprKind::Global(t)) = p.annotation.as_ref().map(|a| &a.kind)
            && let Some(ty) = IntTy::parse(t)
            && let Some(b) = value::as_bits(v, ty, &mut self.syms)
        {
            return Value::Int(b);
        }
        v.clone()
    }

    /// Whether the path to here is decided by values the analysis follows (or by
    /// constants): not a path through a pattern or choice it cannot tell (an enum
    /// variant, a `cfg`-gated arm). A function body that starts with `unreachable!()`
    /// is not judged at all (see the lowering's `core::unreachable_body`).
    fn judged_path(&self, st: &State) -> bool {
        let mut ids = Vec::new();
        for c in &st.pc {
            c.symbols(&mut ids);
        }
        ids.iter().all(|id| {
            self.syms.symbol(*id).is_some_and(|s| {
                s.origin != Origin::Opaque
                    && !super::sites::INTERNAL_HAVOC.contains(&value::view_subject(&s.name))
            })
        })
    }

    /// A value with a length whose `get`/`first`/`last` read by position: a sequence the
    /// analysis built, a slice or vector parameter, or something the code measured
    /// (`get` on a map or a wrapper type is another method).
    fn is_sequence(&self, v: &Value) -> bool {
        match v {
            Value::Seq { .. } => true,
            Value::Str(s) => s.is_const(),
            Value::Unknown(b) => {
                self.syms.has_view(*b, value::View::RustLen)
                    || self
                        .syms
                        .base(*b)
                        .is_some_and(|b| b.type_name.as_deref() == Some(SEQUENCE))
            }
            _ => false,
        }
    }

    /// Whether a bad condition rests only on values no caller chooses (an unknown call's
    /// result, the object's state, a widened loop value): the policy never reports such a
    /// correctness violation, so for Rust, where every `u64` product with `size_of()` is
    /// a 128-bit multiplication for Z3, the site is not stated at all.
    pub(super) fn only_unseen(&self, bad: &T) -> bool {
        let mut ids = Vec::new();
        bad.symbols(&mut ids);
        !ids.is_empty()
            && ids.iter().all(|id| {
                self.syms.symbol(*id).is_some_and(|s| {
                    matches!(s.origin, Origin::Opaque | Origin::State | Origin::Widened)
                })
            })
    }

    /// A value that replaces `old` (a loop widening it): a Rust integer keeps its type.
    pub(super) fn typed_like(&mut self, old: Option<&Value>, fresh: Value) -> Value {
        match old.and_then(value::bits_type) {
            Some(ty) if self.is_rust() => match value::as_bits(&fresh, ty, &mut self.syms) {
                Some(t) => Value::Int(t),
                None => fresh,
            },
            _ => fresh,
        }
    }

    /// The type two operands share: the typed one's, else `i32` for two literals.
    fn common_type(&self, l: &Value, r: &Value) -> Option<IntTy> {
        value::bits_type(l)
            .or_else(|| value::bits_type(r))
            .or_else(|| {
                let literal = |v: &Value| matches!(v, Value::Int(t) if t.as_int().is_some());
                (literal(l) && literal(r)).then_some(I32)
            })
    }

    /// Both sides of a comparison at one type, when either has one.
    pub(super) fn rust_coerce(&mut self, l: &Value, r: &Value) -> (Value, Value) {
        let Some(ty) = self.common_type(l, r) else {
            return (l.clone(), r.clone());
        };
        let conv = |v: &Value, me: &mut Self| match value::as_bits(v, ty, &mut me.syms) {
            Some(t) => Value::Int(t),
            None => v.clone(),
        };
        (conv(l, self), conv(r, self))
    }

    /// `value as ty` (explicit) or a type the code declares for a value.
    pub(super) fn rust_cast(
        &mut self,
        st: &mut State,
        e: &Expr,
        inner: &Expr,
        ty: &str,
        explicit: bool,
    ) -> Value {
        let v = self.eval(st, inner);
        let Some(to) = IntTy::parse(ty) else {
            return match (ty, &v) {
                ("f64" | "f32", Value::Int(t)) => match (t.as_int(), t.as_bits()) {
                    (Some(i), _) => Value::Float(Some(i as f64)),
                    (_, Some((raw, from))) if from.signed => {
                        Value::Float(Some(from.signed_of(raw) as f64))
                    }
                    (_, Some((raw, _))) => Value::Float(Some(raw as f64)),
                    _ => {
                        let origin = origin_of(&v, &self.syms);
                        self.fresh_unknown("float", origin, Some(FLOAT_FROM_INT))
                    }
                },
                ("f64" | "f32", Value::Float(_)) => v,
                ("f64" | "f32", _) if self.is_float(&v) => v,
                ("f64" | "f32", Value::Unknown(_)) => {
                    // An integer (or `f32`) of a type nothing here says.
                    let origin = origin_of(&v, &self.syms);
                    self.fresh_unknown("float", origin, Some(FLOAT_FROM_INT))
                }
                ("f64" | "f32", _) => Value::Float(None),
                _ => v,
            };
        };
        if explicit && self.is_float(&v) {
            return self.float_cast(st, e, inner, &v, to);
        }
        if !explicit {
            return match value::as_bits(&v, to, &mut self.syms) {
                Some(t) => Value::Int(t),
                None => v,
            };
        }
        // A literal cast is typed by the cast alone: `300 as u8` is `300_i32 as u8`.
        let source = match &v {
            Value::Int(t) if t.as_int().is_some() => value::as_bits(&v, I32, &mut self.syms),
            Value::Int(t) if term::int_ty(t).is_some() => Some(t.clone()),
            Value::Bool(b) => Some(term::ite(b, &term::bits(1, to), &term::bits(0, to))),
            _ => None,
        };
        let Some(a) = source else {
            // From a float or a value of unknown type: the result's bits are unknown.
            let name = self.text(e.span);
            let origin = origin_of(&v, &self.syms);
            let u = self.fresh_unknown(&name, origin, None);
            return match value::as_bits(&u, to, &mut self.syms) {
                Some(t) => Value::Int(t),
                None => u,
            };
        };
        let from = term::int_ty(&a).unwrap_or(to);
        let text = self.text(inner.span);
        let bad = term::cast_changes_value(to, &a);
        let what = if from.bits > to.bits {
            "truncates it"
        } else {
            "changes its sign"
        };
        let shown = self.shown_operand(&text, &a);
        self.site(
            st,
            "lossy-cast",
            e.span,
            bad,
            shown,
            format!(
                "`{text} as {}` can change the value: `{text}` ({}) can be outside {}, and the cast {what}",
                to.name(),
                from.name(),
                to.name()
            ),
            format!("`{text}` always fits in {}", to.name()),
            SiteKind::Correctness,
        );
        Value::Int(term::cast(to, &a))
    }

    /// `f as u8` from a float: since Rust 1.45 no undefined behaviour, but NaN becomes 0
    /// and values out of range saturate. A constant is judged exactly; an unknown float
    /// is flagged when it can be anything (a parameter or data, not computed from
    /// integers), nothing on the path looked at it (`if x < 0.0`, `is_finite`, `clamp`),
    /// and the policy would report its origin.
    fn float_cast(
        &mut self,
        st: &mut State,
        e: &Expr,
        inner: &Expr,
        v: &Value,
        to: IntTy,
    ) -> Value {
        // The operand as written: a method call's own span starts at its name.
        let whole = self.text(e.span);
        let text = match whole.rsplit_once(" as ") {
            Some((x, _)) => x.trim().to_string(),
            None => self.text(inner.span),
        };
        // The type's range as exact doubles: `lo..end` (powers of two, no rounding).
        let bits = i32::from(to.bits);
        let (lo, end) = if to.signed {
            (-(2f64.powi(bits - 1)), 2f64.powi(bits - 1))
        } else {
            (0.0, 2f64.powi(bits))
        };
        let hi = if to.signed {
            to.signed_of(to.max_raw()) as f64
        } else {
            to.max_raw() as f64
        };
        if let Value::Float(Some(x)) = v {
            let t = x.trunc();
            let lossy = x.is_nan() || t < lo || t >= end;
            if lossy {
                self.site(
                    st,
                    "lossy-cast",
                    e.span,
                    term::boolean(true),
                    Vec::new(),
                    format!(
                        "`{text} as {0}` changes the value: {x} is {1} {0}, and the cast saturates it to {2}",
                        to.name(),
                        if x.is_nan() { "not a number, not any" } else { "outside" },
                        if x.is_nan() { 0.0 } else { t.clamp(lo, hi) },
                    ),
                    format!("`{text}` fits in {}", to.name()),
                    SiteKind::Correctness,
                );
            }
            let sat = if x.is_nan() { 0.0 } else { t.clamp(lo, hi) };
            // Exact for every width up to 64 bits; beyond, the value is left unknown.
            if to.bits <= 64 && sat.abs() < 9.0e18 {
                return Value::Int(term::bits_of_int(sat as i128, to));
            }
            return self.fresh_unknown(&text, Origin::Opaque, None);
        }
        let mut names = Vec::new();
        locals_in(inner, &mut names);
        let checked = names.iter().any(|n| st.env.contains_key(&checked_key(n)));
        let origin = origin_of(v, &self.syms);
        let result = {
            let u = self.fresh_unknown(&text, origin, None);
            match value::as_bits(&u, to, &mut self.syms) {
                Some(t) => Value::Int(t),
                None => u,
            }
        };
        if checked || self.float_kind(v) != Some(FLOAT) {
            return result;
        }
        // Float ranges are no facts the solver has: the bad condition is a choice the
        // witness does not show (" is unsafe" symbols are left out of it).
        let bad = self.syms.fresh(
            &format!("{text} as {} is unsafe", to.name()),
            term::Sort::Bool,
            origin,
        );
        self.site(
            st,
            "lossy-cast",
            e.span,
            bad,
            Vec::new(),
            format!(
                "`{text} as {0}` can change the value: `{text}` is a float nothing here bounds, so it can be NaN (cast to 0) or outside {0} (saturated to its MIN or MAX)",
                to.name()
            ),
            format!("`{text}` is a number within {}", to.name()),
            SiteKind::Correctness,
        );
        result
    }

    fn shown_operand(&self, text: &str, t: &T) -> Vec<(String, T)> {
        if t.is_const() || matches!(&**t, term::Term::Sym(..)) {
            Vec::new()
        } else {
            vec![(format!("`{text}`"), t.clone())]
        }
    }

    /// A binary operator on Rust values.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn rust_binop(
        &mut self,
        st: &mut State,
        op: BinOp,
        l: &Value,
        r: &Value,
        span: Span,
        lhs: Option<&Expr>,
        rhs: Option<&Expr>,
    ) -> Value {
        if let (Value::Bool(a), Value::Bool(b)) = (l, r) {
            return match op {
                BinOp::BitAnd => Value::Bool(term::and(&[a.clone(), b.clone()])),
                BinOp::BitOr => Value::Bool(term::or(&[a.clone(), b.clone()])),
                BinOp::BitXor => Value::Bool(term::not(&term::eq(a, b))),
                _ => self.fresh_unknown("result", Origin::Opaque, None),
            };
        }
        if self.is_float(l) || self.is_float(r) {
            return self.float_binop(op, l, r);
        }
        let Some(bop) = arith(op) else {
            return self.fresh_unknown("result", origin_of(l, &self.syms), None);
        };
        let shift = matches!(bop, BvOp::Shl | BvOp::Shr);
        // Literals whose type nothing here says take `i32` for their value, but
        // rustc would have inferred their type from a context we do not see (and rejects
        // an `i32` overflow of literals at compile time): no overflow or shift site for
        // those. A zero divisor is zero in every type and keeps its site.
        let defaulted = value::bits_type(l).is_none() && (shift || value::bits_type(r).is_none());
        let ty = if shift {
            value::bits_type(l)
                .or_else(|| matches!(l, Value::Int(t) if t.as_int().is_some()).then_some(I32))
        } else {
            self.common_type(l, r)
        };
        let Some(ty) = ty else {
            let origin = origin_of(l, &self.syms).max(origin_of(r, &self.syms));
            return self.fresh_unknown("result", origin, None);
        };
        let rty = if shift {
            value::bits_type(r).unwrap_or(U32)
        } else {
            ty
        };
        let (Some(a), Some(b)) = (
            value::as_bits(l, ty, &mut self.syms),
            value::as_bits(r, rty, &mut self.syms),
        ) else {
            return self.fresh_unknown("result", Origin::Opaque, None);
        };
        // `x op= e` has no left expression of its own: the statement names it.
        let lt = match lhs {
            Some(e) => self.text(e.span),
            None => compound_target(&self.text(span)),
        };
        let rt = rhs
            .map(|e| self.text(e.span))
            .unwrap_or_else(|| "the operand".into());
        match bop {
            BvOp::Add | BvOp::Sub | BvOp::Mul | BvOp::Shl | BvOp::Shr if defaulted => {}
            BvOp::Add | BvOp::Sub | BvOp::Mul => {
                self.overflow_site(st, bop, ty, &a, &b, span, &lt, &rt);
            }
            BvOp::Div | BvOp::Rem => {
                let zero = term::eq(&b, &term::bits(0, ty));
                let shown = self.shown_operand(&rt, &b);
                self.site(
                    st,
                    "division-by-zero",
                    span,
                    zero.clone(),
                    shown,
                    format!(
                        "attempt to {} by zero: `{rt}` can be 0 here (a panic in every build)",
                        op_word(bop)
                    ),
                    format!("divisor `{rt}` is never zero"),
                    SiteKind::Correctness,
                );
                push_pc(st, term::not(&zero));
                if ty.signed && !defaulted {
                    let bad = term::bv_overflows(bop, ty, &a, &b);
                    self.site(
                        st,
                        "division-overflow",
                        span,
                        bad.clone(),
                        Vec::new(),
                        format!(
                            "attempt to {} with overflow: `{lt}` can be {}::MIN while `{rt}` is -1 (a panic in every build)",
                            op_word(bop),
                            ty.name()
                        ),
                        format!("`{lt}` / `{rt}` is never {}::MIN / -1", ty.name()),
                        SiteKind::Correctness,
                    );
                    push_pc(st, term::not(&bad));
                }
            }
            BvOp::Shl | BvOp::Shr => {
                let bad = term::bv_overflows(bop, ty, &a, &b);
                let shown = self.shown_operand(&rt, &b);
                let consequence = self
                    .overflow_checks()
                    .shift_consequence(&rt, u32::from(ty.bits));
                self.site(
                    st,
                    "shift-overflow",
                    span,
                    bad.clone(),
                    shown,
                    format!(
                        "attempt to {} with overflow: `{rt}` can be {} or more, the width of {} ({consequence})",
                        op_word(bop),
                        ty.bits,
                        ty.name(),
                    ),
                    format!("`{rt}` is below the width of {}", ty.name()),
                    SiteKind::Correctness,
                );
            }
            _ => {}
        }
        Value::Int(term::bv(bop, ty, &a, &b))
    }

    #[allow(clippy::too_many_arguments)]
    fn overflow_site(
        &mut self,
        st: &mut State,
        op: BvOp,
        ty: IntTy,
        a: &T,
        b: &T,
        span: Span,
        lt: &str,
        rt: &str,
    ) {
        // A counter a loop only increases (`count += 1`) runs past the type only if the
        // loop runs that often: an invariant we do not see (as for indices, it is judged
        // from below only).
        let mut ids = Vec::new();
        a.symbols(&mut ids);
        if op != BvOp::Sub && ids.iter().any(|x| self.growing.contains(x)) {
            return;
        }
        let bad = term::bv_overflows(op, ty, a, b);
        let consequence = self.overflow_consequence();
        let sym = match op {
            BvOp::Add => "+",
            BvOp::Sub => "-",
            _ => "*",
        };
        // Negation (and `abs`) is `0 - x`, shown as `-x`.
        let text = if lt.is_empty() {
            format!("-{rt}")
        } else {
            format!("{lt} {sym} {rt}")
        };
        let limits = if ty.signed {
            format!("{0}::MIN..={0}::MAX", ty.name())
        } else {
            format!("0..={}::MAX", ty.name())
        };
        let mut shown = self.shown_operand(lt, a);
        shown.extend(self.shown_operand(rt, b));
        self.site(
            st,
            "integer-overflow",
            span,
            bad.clone(),
            shown,
            format!(
                "attempt to {} with overflow: `{text}` can leave {limits} ({consequence})",
                op_word(op)
            ),
            format!("`{text}` stays within {limits}"),
            SiteKind::Correctness,
        );
    }

    /// `-x` and `!x` on Rust values; `None` when Python's meaning is Rust's too.
    pub(super) fn rust_unary(
        &mut self,
        st: &mut State,
        op: UnaryOp,
        v: &Value,
        span: Span,
        operand: &Expr,
    ) -> Option<Value> {
        let ty = value::bits_type(v)?;
        let a = value::as_bits(v, ty, &mut self.syms)?;
        match op {
            UnaryOp::Not => Some(Value::Int(term::bv_not(ty, &a))),
            UnaryOp::Neg => {
                // A negative literal (`-42`) is no operation that can fail.
                if ty.signed && !a.is_const() {
                    let text = self.text(operand.span);
                    self.overflow_site(st, BvOp::Sub, ty, &term::bits(0, ty), &a, span, "", &text);
                }
                Some(Value::Int(term::bv_neg(ty, &a)))
            }
            _ => None,
        }
    }

    /// `xs[i] = v`: the same bounds as reading; the length does not change, the item
    /// stored is no longer known.
    pub(super) fn rust_store(&mut self, st: &mut State, obj_e: &Expr, idx_e: &Expr, span: Span) {
        let obj = self.eval(st, obj_e);
        if matches!(idx_e.kind, ExprKind::Slice { .. }) {
            return;
        }
        let idx = self.eval(st, idx_e);
        self.bounds_check(st, &obj, &idx, span, (obj_e, idx_e));
        if let (Value::Seq { kind, len, .. }, ExprKind::Local(n)) = (&obj, &obj_e.kind) {
            let stored = Value::Seq {
                kind: *kind,
                items: None,
                len: len.clone(),
            };
            st.env.insert(n.clone(), stored);
        }
    }

    /// `xs[i]`: the index must be below the length, when the length is known (an array
    /// or `vec!` literal) or the code looked at it (`xs.len()`, `is_empty`).
    pub(super) fn rust_subscript(
        &mut self,
        st: &mut State,
        e: &Expr,
        obj_e: &Expr,
        idx_e: &Expr,
    ) -> Value {
        let obj = self.eval(st, obj_e);
        let origin = origin_of(&obj, &self.syms);
        if let ExprKind::Slice { lower, upper, .. } = &idx_e.kind {
            let bounds = (lower.as_deref(), upper.as_deref());
            if let Some(v) = self.slice_range(st, e, &obj, obj_e, bounds) {
                return v;
            }
            return self.fresh_unknown("slice", origin, None);
        }
        let idx = self.eval(st, idx_e);
        if let Some(i) = self.bounds_check(st, &obj, &idx, e.span, (obj_e, idx_e))
            && let (
                Value::Seq {
                    items: Some(xs), ..
                },
                Some((k, _)),
            ) = (&obj, i.as_bits())
            && let Some(x) = usize::try_from(k).ok().and_then(|k| xs.get(k))
        {
            return x.clone();
        }
        let name = self.text(e.span);
        self.fresh_unknown(&name, origin, None)
    }

    /// `&obj[a..b]`, `&obj[a..]`, `&obj[..b]`: the start must not pass the end (whatever
    /// the length), and the end must not pass the length where the length is known or the
    /// code looked at it. Both panic in every build, so past them they hold. The result is
    /// a sequence of `b - a` items when its length follows.
    fn slice_range(
        &mut self,
        st: &mut State,
        e: &Expr,
        obj: &Value,
        obj_e: &Expr,
        (lower, upper): (Option<&Expr>, Option<&Expr>),
    ) -> Option<Value> {
        let bound = |me: &mut Self, st: &mut State, x: Option<&Expr>| {
            let x = x?;
            let v = me.eval(st, x);
            let t = value::as_bits(&v, USIZE, &mut me.syms)?;
            Some((me.text(x.span), t))
        };
        let start = bound(self, st, lower);
        let end = bound(self, st, upper);
        let seq = self.text(obj_e.span);
        if let (Some((at, a)), Some((bt, b))) = (&start, &end)
            && !self.bound_by_library_call(a)
            && !self.bound_by_library_call(b)
        {
            let bad = term::lt(b, a);
            let mut shown = self.shown_operand(at, a);
            shown.extend(self.shown_operand(bt, b));
            self.site(
                st,
                "slice-out-of-range",
                e.span,
                bad.clone(),
                shown,
                format!("slice index starts at `{at}` but ends at `{bt}`: `{at}` can be greater than `{bt}` here (a panic in every build)"),
                format!("`{at}` <= `{bt}` in `{seq}[{at}..{bt}]`"),
                SiteKind::Correctness,
            );
            push_pc(st, term::not(&bad));
        }
        let measured = match obj {
            Value::Seq { .. } => true,
            Value::Str(s) => s.is_const(),
            Value::Unknown(b) => self.syms.has_view(*b, value::View::RustLen),
            _ => false,
        };
        let len = if measured {
            value::rust_len(obj, &mut self.syms)
        } else {
            None
        };
        let len = len?;
        // The end of the range, or its start when it runs to the end. A counter a loop
        // only increases is known from below only (as for indices): not judged here.
        let grows = |t: &T| {
            let mut ids = Vec::new();
            t.symbols(&mut ids);
            ids.iter().any(|x| self.growing.contains(x))
        };
        if let Some((xt, x)) = end.as_ref().or(start.as_ref())
            && !grows(x)
            && !self.bound_by_library_call(x)
        {
            let bad = term::lt(&len, x);
            let which = if end.is_some() { "end" } else { "start" };
            let mut shown = self.shown_operand(xt, x);
            if !len.is_const() {
                shown.push((format!("{seq}.len()"), len.clone()));
            }
            self.site(
                st,
                "slice-out-of-range",
                e.span,
                bad.clone(),
                shown,
                format!("range {which} index `{xt}` can be past `{seq}.len()` here (a panic in every build)"),
                format!("`{xt}` <= `{seq}.len()`"),
                SiteKind::Correctness,
            );
            push_pc(st, term::not(&bad));
        }
        let hi = end.map_or(len, |(_, b)| b);
        let len = match start {
            Some((_, a)) => term::bv(BvOp::Sub, USIZE, &hi, &a),
            None => hi,
        };
        Some(Value::Seq {
            kind: value::SeqKind::List,
            items: None,
            len,
        })
    }

    /// A bound computed by a library call on a parameter (`digits.iter().take_while(..)
    /// .count()`, `s.find(':')`), not from the parameters themselves: such positions come
    /// from the sequence they index, a relation the analysis does not see, so a slice
    /// bound built from one is not judged.
    fn bound_by_library_call(&self, t: &T) -> bool {
        let mut ids = Vec::new();
        t.symbols(&mut ids);
        ids.iter().any(|id| {
            self.syms
                .symbol(*id)
                .is_some_and(|s| s.origin == Origin::Param)
                && !self
                    .syms
                    .view_of_symbol(*id)
                    .is_some_and(|(b, _)| self.param_bases.contains(&b))
        })
    }

    /// The bounds site of `obj[idx]`; the index as a `usize` when the length is known.
    fn bounds_check(
        &mut self,
        st: &mut State,
        obj: &Value,
        idx: &Value,
        span: Span,
        (obj_e, idx_e): (&Expr, &Expr),
    ) -> Option<T> {
        let measured = match obj {
            Value::Seq { .. } => true,
            Value::Str(s) => s.is_const(),
            Value::Unknown(b) => self.syms.has_view(*b, value::View::RustLen),
            _ => false,
        };
        if !measured {
            return None;
        }
        let len = value::rust_len(obj, &mut self.syms)?;
        let i = value::as_bits(idx, USIZE, &mut self.syms)?;
        // A counter a loop only increases is known from below only: whether it stays
        // below the length is an invariant of the loop we do not see (syn's
        // `bytes[write]`, with `write <= read < bytes.len()`).
        let mut ids = Vec::new();
        i.symbols(&mut ids);
        if ids.iter().any(|x| self.growing.contains(x)) {
            return Some(i);
        }
        let bad = term::le(&len, &i);
        let (seq, ix) = (self.text(obj_e.span), self.text(idx_e.span));
        let mut shown = self.shown_operand(&ix, &i);
        if !len.is_const() {
            shown.push((format!("{seq}.len()"), len.clone()));
        }
        self.site(
            st,
            "index-out-of-range",
            span,
            bad.clone(),
            shown,
            format!("index out of bounds: `{ix}` can be `{seq}.len()` or more here (a panic in every build)"),
            format!("index `{ix}` is within `{seq}`"),
            SiteKind::Correctness,
        );
        push_pc(st, term::not(&bad));
        Some(i)
    }

    /// Calls Rust code makes all the time whose meaning is known: the integer method
    /// families, lengths, `Option` handling, `unreachable!()`.
    pub(super) fn rust_call(
        &mut self,
        st: &mut State,
        call: &Expr,
        func: &Expr,
        callee: &Callee,
        vals: &[CallArg],
    ) -> Option<Value> {
        match callee {
            Callee::Method(recv, m) => self.rust_method(st, call, func, recv, m, vals),
            Callee::Value(Value::Global(q)) => self.rust_function(st, call, q, vals),
            _ => None,
        }
    }

    fn rust_function(
        &mut self,
        st: &mut State,
        call: &Expr,
        q: &str,
        vals: &[CallArg],
    ) -> Option<Value> {
        let arg = |i: usize| vals.get(i).map(|a| a.value.clone());
        match q {
            "core::unreachable" if !self.judged_path(st) => Some(Value::None),
            "core::unreachable" => {
                // The violation is the path itself: stated as the bad condition, so the
                // witness shows the values that get here (and a path that needs a
                // parameter's value is a latent warning, not an error).
                let reached = term::and(&st.pc);
                let mut here = st.clone();
                here.pc.clear();
                self.site(
                    &here,
                    "reachable-unreachable",
                    call.span,
                    reached,
                    Vec::new(),
                    "`unreachable!()` is reachable here (a panic in every build)".into(),
                    "`unreachable!()` is never reached".into(),
                    SiteKind::Correctness,
                );
                Some(Value::None)
            }
            "rust::repeat" => {
                let n = arg(1)?;
                let len = value::as_bits(&n, USIZE, &mut self.syms)?;
                Some(Value::Seq {
                    kind: value::SeqKind::List,
                    items: None,
                    len,
                })
            }
            "rust::try" => match arg(0)? {
                Value::Phi(c, a, b) if matches!(*b, Value::None) => {
                    // `?` returns early on `None`: past it, the value was there.
                    push_pc(st, c);
                    Some(*a)
                }
                _ => Some(self.fresh_unknown("?", Origin::Opaque, None)),
            },
            "Some" | "Ok" => arg(0),
            // `if let Some(x) = opt` / `let Some(x) = opt else`: the `Option` is there,
            // and its value (see the lowering).
            "rust::is_some" => match arg(0)? {
                Value::Phi(c, _, b) if matches!(*b, Value::None) => Some(Value::Bool(c)),
                Value::None => Some(Value::boolean(false)),
                _ => None,
            },
            "rust::some_value" => match arg(0)? {
                Value::Phi(_, a, b) if matches!(*b, Value::None) => Some(*a),
                _ => None,
            },
            "std::process::Command::new" | "process::Command::new" | "Command::new" => {
                // A shell as the program: its `-c` argument is a command line (see
                // `command_arg`). The type names what the security rules match.
                let shell = matches!(arg(0)?, Value::Str(t) if t.as_str().is_some_and(is_shell));
                Some(Value::Instance(Arc::from(if shell {
                    SHELL
                } else {
                    COMMAND
                })))
            }
            "Vec::new" | "String::new" | "Vec::with_capacity" | "String::with_capacity" => {
                Some(Value::Seq {
                    kind: value::SeqKind::List,
                    items: Some(Vec::new()),
                    len: term::bits(0, USIZE),
                })
            }
            "std::cmp::min" | "std::cmp::max" | "cmp::min" | "cmp::max" | "min" | "max" => {
                let (a, b) = (arg(0)?, arg(1)?);
                Some(self.min_max(&a, &b, q.ends_with("min")))
            }
            _ => None,
        }
    }

    fn min_max(&mut self, a: &Value, b: &Value, min: bool) -> Value {
        let (a, b) = self.rust_coerce(a, b);
        match (value::bits_type(&a), &a, &b) {
            (Some(_), Value::Int(x), Value::Int(y)) => {
                let less = term::lt(x, y);
                Value::Int(if min {
                    term::ite(&less, x, y)
                } else {
                    term::ite(&less, y, x)
                })
            }
            _ => self.fresh_unknown("result", origin_of(&a, &self.syms), None),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rust_method(
        &mut self,
        st: &mut State,
        call: &Expr,
        func: &Expr,
        recv: &Value,
        m: &str,
        vals: &[CallArg],
    ) -> Option<Value> {
        let arg = |i: usize| vals.get(i).map(|a| a.value.clone());
        if RUST_MUTATORS.contains(&m) {
            // The length the analysis knew is stale: the receiver is whatever it is now.
            if let ExprKind::Attribute { value, .. } = &func.kind
                && let ExprKind::Local(n) = &value.kind
            {
                let origin = origin_of(recv, &self.syms).max(Origin::Havoc);
                let fresh = self.fresh_unknown(n, origin, None);
                st.env.insert(n.clone(), fresh);
            }
            return None;
        }
        if SAME_VALUE.contains(&m) {
            return Some(recv.clone());
        }
        if ITEM_ADAPTORS.contains(&m)
            && let [
                CallArg {
                    value: Value::Func(id),
                    ..
                },
            ] = vals
            && let Some(arg) = call_args(call).first()
        {
            // One item of the receiver, as unknown as the receiver's items are.
            let origin = origin_of(recv, &self.syms);
            let item = self.fresh_unknown("item", origin, None);
            let item_arg = CallArg {
                keyword: None,
                value: item,
                unpack: crate::ir::Unpack::None,
                expr: (*arg).clone(),
                span: arg.span,
            };
            self.follow_call(st, *id, None, &[item_arg], call.span);
            // The adaptor's result is the library's: an unknown call's (a `count()` of a
            // `take_while` is no value a caller chooses).
            return None;
        }
        if self.is_float(recv) {
            if FLOAT_CHECKS.contains(&m)
                && let ExprKind::Attribute { value, .. } = &func.kind
            {
                let mut names = Vec::new();
                locals_in(value, &mut names);
                for n in names {
                    st.env.insert(checked_key(&n), Value::boolean(true));
                }
            }
            if m == "clamp" || m == "min" || m == "max" {
                // A bounded float: casts of it are taken as checked (see `float_cast`).
                let origin = origin_of(recv, &self.syms);
                return Some(self.fresh_unknown("float", origin, Some(FLOAT_FROM_INT)));
            }
            if FLOAT_METHODS.contains(&m) {
                let origin = origin_of(recv, &self.syms);
                let kind = self.float_kind(recv).unwrap_or(FLOAT_FROM_INT);
                return Some(self.fresh_unknown("float", origin, Some(kind)));
            }
        }
        if m == "contains"
            && let Some(a) = vals.first()
            && self.is_float(&a.value)
            && let Some(arg) = call_args(call).first()
        {
            // `(0.0..=1.0).contains(&ratio)`: a range check of the float.
            let mut names = Vec::new();
            locals_in(arg, &mut names);
            for n in names {
                st.env.insert(checked_key(&n), Value::boolean(true));
            }
        }
        if let Value::Instance(t) = recv
            && [COMMAND, SHELL, SHELL_C].contains(&&**t)
        {
            let next = command_arg(t, m, vals);
            // The builder methods change the builder in place (`cmd.arg("-c");`).
            if let ExprKind::Attribute { value, .. } = &func.kind
                && let ExprKind::Local(n) = &value.kind
            {
                st.env.insert(n.clone(), next.clone());
            }
            return Some(next);
        }
        match m {
            "len" => value::rust_len(recv, &mut self.syms).map(Value::Int),
            "leading_zeros" | "trailing_zeros" | "leading_ones" | "trailing_ones"
            | "count_ones" | "count_zeros"
                if vals.is_empty() =>
            {
                // A bit count: a `u32` from 0 to the width.
                let ty = value::bits_type(recv)?;
                let origin = origin_of(recv, &self.syms);
                let name = self.text(call.span);
                let n = self.fresh_unknown(&name, origin, None);
                let t = value::as_bits(&n, U32, &mut self.syms)?;
                push_pc(st, term::le(&t, &term::bits(u128::from(ty.bits), U32)));
                Some(Value::Int(t))
            }
            "starts_with" | "ends_with" if matches!(recv, Value::Unknown(_)) => {
                // `s.ends_with('.')` says nothing the solver can use about the text, but
                // it does say `s` is at least that long (`s.truncate(s.len() - 1)`).
                let Some(Value::Str(lit)) = arg(0) else {
                    return None;
                };
                let k = lit.as_str()?.len();
                if k == 0 {
                    return None;
                }
                let len = value::rust_len(recv, &mut self.syms)?;
                let name = self.text(call.span);
                let matched = self.syms.fresh(&name, term::Sort::Bool, Origin::Opaque);
                let long_enough = term::le(&term::bits(k as u128, USIZE), &len);
                Some(Value::Bool(term::and(&[matched, long_enough])))
            }
            "is_empty" => {
                let len = value::rust_len(recv, &mut self.syms)?;
                Some(Value::Bool(term::eq(&len, &term::bits(0, USIZE))))
            }
            "unwrap" | "expect" => Some(self.unwrap(st, call, func, recv)),
            "unwrap_or" => match recv {
                Value::Phi(c, a, b) if matches!(**b, Value::None) => {
                    let d = arg(0)?;
                    Some(value::join(c, a, &d, &mut self.syms, "unwrap_or"))
                }
                _ => None,
            },
            "unwrap_or_default" => match recv {
                Value::Phi(c, a, b) if matches!(**b, Value::None) => {
                    let ty = value::bits_type(a)?;
                    Some(value::join(
                        c,
                        a,
                        &Value::Int(term::bits(0, ty)),
                        &mut self.syms,
                        "unwrap_or",
                    ))
                }
                _ => None,
            },
            "is_some" | "is_ok" => match recv {
                Value::Phi(c, _, b) if matches!(**b, Value::None) => Some(Value::Bool(c.clone())),
                Value::None => Some(Value::boolean(false)),
                _ => None,
            },
            "is_none" | "is_err" => match recv {
                Value::Phi(c, _, b) if matches!(**b, Value::None) => {
                    Some(Value::Bool(term::not(c)))
                }
                Value::None => Some(Value::boolean(true)),
                _ => None,
            },
            "get" | "first" | "last" if self.is_sequence(recv) => {
                let len = value::rust_len(recv, &mut self.syms)?;
                let present = match m {
                    "get" => {
                        let i = value::as_bits(&arg(0)?, USIZE, &mut self.syms)?;
                        term::lt(&i, &len)
                    }
                    _ => term::lt(&term::bits(0, USIZE), &len),
                };
                let name = self.text(call.span);
                let origin = origin_of(recv, &self.syms);
                let item = self.fresh_unknown(&name, origin, None);
                Some(value::join(
                    &present,
                    &item,
                    &Value::None,
                    &mut self.syms,
                    "get",
                ))
            }
            "min" | "max" if vals.len() == 1 => Some(self.min_max(recv, &arg(0)?, m == "min")),
            "clamp" if vals.len() == 2 => {
                let low = self.min_max(recv, &arg(0)?, false);
                Some(self.min_max(&low, &arg(1)?, true))
            }
            "abs" => {
                let ty = value::bits_type(recv)?;
                let a = value::as_bits(recv, ty, &mut self.syms)?;
                let text = self.receiver_text(func);
                self.overflow_site(
                    st,
                    BvOp::Sub,
                    ty,
                    &term::bits(0, ty),
                    &a,
                    call.span,
                    "",
                    &text,
                );
                let neg = term::lt(&a, &term::bits(0, ty));
                Some(Value::Int(term::ite(&neg, &term::bv_neg(ty, &a), &a)))
            }
            "abs_diff" => {
                let (a, b) = self.rust_coerce(recv, &arg(0)?);
                let ty = value::bits_type(&a).filter(|t| !t.signed)?;
                let (x, y) = (
                    value::as_bits(&a, ty, &mut self.syms)?,
                    value::as_bits(&b, ty, &mut self.syms)?,
                );
                let less = term::lt(&x, &y);
                Some(Value::Int(term::ite(
                    &less,
                    &term::bv(BvOp::Sub, ty, &y, &x),
                    &term::bv(BvOp::Sub, ty, &x, &y),
                )))
            }
            _ => self.integer_family(recv, m, vals),
        }
    }

    fn receiver_text(&self, func: &Expr) -> String {
        match &func.kind {
            ExprKind::Attribute { value, .. } => self.text(value.span),
            _ => "the value".into(),
        }
    }

    /// `checked_*`, `wrapping_*`, `saturating_*`, `overflowing_*`: Rust's own answers
    /// for the cases the plain operators panic on; never a finding.
    fn integer_family(&mut self, recv: &Value, m: &str, vals: &[CallArg]) -> Option<Value> {
        let (family, name) = m.split_once('_')?;
        let op = match name {
            "add" => BvOp::Add,
            "sub" => BvOp::Sub,
            "mul" => BvOp::Mul,
            "div" => BvOp::Div,
            "rem" => BvOp::Rem,
            "shl" => BvOp::Shl,
            "shr" => BvOp::Shr,
            "neg" => BvOp::Sub,
            _ => return None,
        };
        let unary = name == "neg";
        let other = if unary {
            None
        } else {
            Some(vals.first()?.value.clone())
        };
        let ty = match &other {
            Some(o) if !matches!(op, BvOp::Shl | BvOp::Shr) => self.common_type(recv, o)?,
            _ => value::bits_type(recv)?,
        };
        let (a, b) = if unary {
            (term::bits(0, ty), value::as_bits(recv, ty, &mut self.syms)?)
        } else {
            let o = other?;
            let oty = if matches!(op, BvOp::Shl | BvOp::Shr) {
                U32
            } else {
                ty
            };
            (
                value::as_bits(recv, ty, &mut self.syms)?,
                value::as_bits(&o, oty, &mut self.syms)?,
            )
        };
        let over = term::bv_overflows(op, ty, &a, &b);
        let wrapped = term::bv(op, ty, &a, &b);
        let zero_divisor =
            matches!(op, BvOp::Div | BvOp::Rem).then(|| term::eq(&b, &term::bits(0, ty)));
        Some(match family {
            "checked" => {
                let mut fails = vec![over];
                fails.extend(zero_divisor);
                let ok = term::not(&term::or(&fails));
                value::join(&ok, &Value::Int(wrapped), &Value::None, &mut self.syms, m)
            }
            "wrapping" => Value::Int(wrapped),
            "overflowing" => Value::Seq {
                kind: value::SeqKind::Tuple,
                items: Some(vec![Value::Int(wrapped), Value::Bool(over)]),
                len: term::bits(2, USIZE),
            },
            "saturating" if matches!(op, BvOp::Add | BvOp::Sub | BvOp::Mul) => {
                let zero = term::bits(0, ty);
                let neg = |t: &T| term::lt(t, &zero);
                let high = match op {
                    BvOp::Add => term::not(&neg(&b)),
                    BvOp::Sub => neg(&b),
                    _ => term::eq(&neg(&a), &neg(&b)),
                };
                let (max, min) = (term::bits(ty.max_raw(), ty), term::bits(ty.min_raw(), ty));
                let limit = if ty.signed {
                    term::ite(&high, &max, &min)
                } else if op == BvOp::Sub {
                    min
                } else {
                    max
                };
                Value::Int(term::ite(&over, &limit, &wrapped))
            }
            _ => return None,
        })
    }

    /// `x.unwrap()`: a panic where `x` is `None` (an `Option` the analysis built from
    /// `checked_*`, `get`, `first`...); otherwise the value inside.
    fn unwrap(&mut self, st: &mut State, call: &Expr, func: &Expr, recv: &Value) -> Value {
        let (present, inner) = match recv {
            Value::Phi(c, a, b) if matches!(**b, Value::None) => (c.clone(), (**a).clone()),
            Value::Phi(c, a, b) if matches!(**a, Value::None) => (term::not(c), (**b).clone()),
            Value::None => (term::boolean(false), Value::None),
            other => return other.clone(),
        };
        let text = self.receiver_text(func);
        self.site(
            st,
            "unwrap-none",
            call.span,
            term::not(&present),
            Vec::new(),
            format!("`{text}` can be `None` here, and unwrapping it panics (in every build)"),
            format!("`{text}` always holds a value here"),
            SiteKind::Correctness,
        );
        push_pc(st, present);
        inner
    }
}
