//! Symbolic terms: the language obligations are stated in.
//!
//! Terms are plain `Send` data built by the analysis and translated to Z3 only inside the
//! solver worker. Smart constructors fold constants, so a large share of obligations is
//! decided here without ever reaching Z3. [`eval`] gives terms a meaning of our own (Python
//! semantics: floor division, floor modulo, unbounded ints within i128) which the solver
//! layer uses to re-check every counterexample Z3 proposes.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

pub type SymId = u32;
pub type T = Arc<Term>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sort {
    Int,
    Bool,
    Str,
    /// An IEEE 754 double (Python `float`).
    Float,
    /// A fixed-width integer (Rust `u8`..`u128`, `i8`..`i128`, `usize`/`isize` as 64 bits),
    /// a bit-vector of that width for Z3.
    Bits(IntTy),
}

/// Where a symbol's value comes from; the reporting policy depends on it. The order ranks
/// origins for values computed from several: the first one wins (data from a source stays
/// the attacker's whatever else went into it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// Attacker-controlled input under the run's threat model (request data, sockets,
    /// HTTP responses; with `local`, argv, stdin, environment, files read).
    Source,
    /// A function parameter (or something derived only from one, like `len(param)`).
    Param,
    /// The state of the object a method runs on: `self.items`, `self.parse()`. Object
    /// invariants are set up by code the method does not show (`__init__`, other methods),
    /// so correctness checks do not lean on it; data checks treat it like a parameter.
    State,
    /// The result of a call into code we do not see; never the only enabler of a report.
    Opaque,
    /// A value a loop or handler may have changed, described exactly enough to judge:
    /// a range target, a counter that only grows, which branch of a join ran.
    Havoc,
    /// A value a loop body changes in ways the analysis does not follow (`acc += w[i]`),
    /// widened to "anything": a violation that needs it is an invariant we could not
    /// prove, not a finding.
    Widened,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Symbol {
    pub id: SymId,
    /// What a user would call it: `use_shell`, `len(values)`, `rate`.
    pub name: String,
    pub sort: Sort,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    Int(i128),
    Bool(bool),
    Str(Arc<str>),
    Sym(SymId, Sort),
    Add(T, T),
    Sub(T, T),
    Mul(T, T),
    /// Python `//` (floor).
    FloorDiv(T, T),
    /// Python `%` (sign of the divisor).
    Mod(T, T),
    Neg(T),
    Eq(T, T),
    Lt(T, T),
    Le(T, T),
    Not(T),
    And(Vec<T>),
    Or(Vec<T>),
    Ite(T, T, T),
    Concat(Vec<T>),
    StrLen(T),
    Contains(T, T),
    PrefixOf(T, T),
    SuffixOf(T, T),
    /// Decimal text of an int (`str(n)`).
    IntToStr(T),
    /// A double, by its bits (so that terms stay `Eq` and `Hash`).
    Float(u64),
    /// Double arithmetic, rounded to nearest even as Python does.
    FArith(FOp, T, T),
    /// `==` between doubles, as Python compares floats.
    FEq(T, T),
    /// Whether two float expressions are equal as the numbers the code means: every
    /// double read as the decimal it is written as (`0.1` is one tenth, not the double
    /// nearest to it) and the arithmetic done without rounding. `0.1 + 0.2` and `0.3`
    /// are; their doubles are not.
    RealEq(T, T),
    /// A fixed-width integer by its bit pattern (masked to the width).
    Bits(u128, IntTy),
    /// Fixed-width arithmetic with Rust's wrapping result (what a release build computes;
    /// a debug build panics where [`Term::BvOverflows`] holds). The type is the left
    /// operand's; a shift amount may have any integer type.
    Bv(BvOp, IntTy, T, T),
    /// Whether the mathematical result of the operation is not what the type holds
    /// (overflow, underflow, `MIN / -1`, a shift by the width or more): where Rust's
    /// `checked_*` gives `None`. Division by zero is a separate obligation.
    BvOverflows(BvOp, IntTy, T, T),
    /// Bitwise `!`.
    BvNot(IntTy, T),
    /// `a as ty` between integer types: truncation or sign/zero extension.
    Cast(IntTy, T),
}

/// A Rust integer type. `usize`/`isize` are taken as 64 bits (the targets vouch users
/// build for); the name keeps what the code wrote for messages, and does not take part
/// in comparisons (`usize` and `u64` are one sort).
#[derive(Clone, Copy, Debug)]
pub struct IntTy {
    pub bits: u8,
    pub signed: bool,
    /// Written as `usize`/`isize`.
    pub size: bool,
}

/// Fixed-width operations (see [`Term::Bv`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BvOp {
    Add,
    Sub,
    Mul,
    /// Truncating division (`bvsdiv`/`bvudiv`).
    Div,
    /// Remainder with the dividend's sign (`bvsrem`/`bvurem`).
    Rem,
    Shl,
    /// Arithmetic for signed types, logical for unsigned.
    Shr,
    And,
    Or,
    Xor,
}

impl PartialEq for IntTy {
    fn eq(&self, other: &Self) -> bool {
        (self.bits, self.signed) == (other.bits, other.signed)
    }
}

impl Eq for IntTy {}

impl std::hash::Hash for IntTy {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.bits, self.signed).hash(h)
    }
}

impl PartialOrd for IntTy {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for IntTy {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.bits, self.signed).cmp(&(other.bits, other.signed))
    }
}

impl IntTy {
    pub const fn new(bits: u8, signed: bool) -> IntTy {
        IntTy {
            bits,
            signed,
            size: false,
        }
    }

    /// The type a Rust name denotes (`u32`, `isize`).
    pub fn parse(name: &str) -> Option<IntTy> {
        let (signed, rest) = match name.split_at_checked(1)? {
            ("i", r) => (true, r),
            ("u", r) => (false, r),
            _ => return None,
        };
        if rest == "size" {
            return Some(IntTy {
                bits: 64,
                signed,
                size: true,
            });
        }
        let bits: u8 = rest.parse().ok()?;
        matches!(bits, 8 | 16 | 32 | 64 | 128).then_some(IntTy::new(bits, signed))
    }

    pub fn name(self) -> String {
        let s = if self.signed { 'i' } else { 'u' };
        if self.size {
            format!("{s}size")
        } else {
            format!("{s}{}", self.bits)
        }
    }

    pub fn mask(self, raw: u128) -> u128 {
        if self.bits >= 128 {
            raw
        } else {
            raw & ((1u128 << self.bits) - 1)
        }
    }

    /// The bit pattern read as a signed number (two's complement of the width).
    pub fn signed_of(self, raw: u128) -> i128 {
        let shift = 128 - u32::from(self.bits);
        ((raw << shift) as i128) >> shift
    }

    /// The pattern of a mathematical value, if the type holds it.
    pub fn pattern_of(self, v: i128) -> Option<u128> {
        let raw = self.mask(v as u128);
        let back_ok = if self.signed {
            self.signed_of(raw) == v
        } else {
            v >= 0 && raw == v as u128
        };
        back_ok.then_some(raw)
    }

    /// The pattern of `v` truncated to the width (what `v as ty` gives for an i128).
    pub fn wrap(self, v: i128) -> u128 {
        self.mask(v as u128)
    }

    pub fn max_raw(self) -> u128 {
        if self.signed {
            self.mask(u128::MAX) >> 1
        } else {
            self.mask(u128::MAX)
        }
    }

    pub fn min_raw(self) -> u128 {
        if self.signed {
            self.mask(1u128 << (self.bits - 1))
        } else {
            0
        }
    }

    /// `a < b` on two patterns of this type.
    pub fn less(self, a: u128, b: u128) -> bool {
        if self.signed {
            self.signed_of(a) < self.signed_of(b)
        } else {
            a < b
        }
    }

    /// Rust literal syntax: `4294967295_u32`, `-1_i8`.
    pub fn literal(self, raw: u128) -> String {
        if self.signed {
            format!("{}_{}", self.signed_of(raw), self.name())
        } else {
            format!("{}_{}", raw, self.name())
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// A concrete value, as found in a model or computed by [`eval`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Val {
    Int(i128),
    Bool(bool),
    Str(String),
    /// A double, by its bits.
    Float(u64),
    /// A fixed-width integer, by its bit pattern.
    Bits(u128, IntTy),
}

impl fmt::Display for Val {
    /// Python literal syntax, which is how witnesses are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Int(i) => write!(f, "{i}"),
            Val::Bool(true) => f.write_str("True"),
            Val::Bool(false) => f.write_str("False"),
            Val::Str(s) => write!(f, "{}", python_repr(s)),
            Val::Float(bits) => f.write_str(&python_float_repr(f64::from_bits(*bits))),
            // Rust values are shown in Rust syntax.
            Val::Bits(raw, ty) => f.write_str(&ty.literal(*raw)),
        }
    }
}

/// `repr()` of a Python float.
pub fn python_float_repr(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".into() } else { "-inf".into() }
    } else if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        // Rust's shortest round-trip formatting matches Python's repr for finite doubles
        // except for exponent style, which only matters for very large or small values.
        format!("{f}")
    }
}

/// `repr()` of a Python str (single quotes unless the text holds one and no double quote).
pub fn python_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c)
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

pub fn int(i: i128) -> T {
    Arc::new(Term::Int(i))
}
pub fn boolean(b: bool) -> T {
    Arc::new(Term::Bool(b))
}
pub fn string(s: &str) -> T {
    Arc::new(Term::Str(Arc::from(s)))
}
pub fn sym(id: SymId, sort: Sort) -> T {
    Arc::new(Term::Sym(id, sort))
}

impl Term {
    pub fn as_int(&self) -> Option<i128> {
        match self {
            Term::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Term::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Term::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn is_const(&self) -> bool {
        matches!(
            self,
            Term::Int(_) | Term::Bool(_) | Term::Str(_) | Term::Bits(..)
        )
    }

    pub fn as_bits(&self) -> Option<(u128, IntTy)> {
        match self {
            Term::Bits(raw, ty) => Some((*raw, *ty)),
            _ => None,
        }
    }

    pub fn sort(&self) -> Sort {
        match self {
            Term::Int(_)
            | Term::Add(..)
            | Term::Sub(..)
            | Term::Mul(..)
            | Term::FloorDiv(..)
            | Term::Mod(..)
            | Term::Neg(_)
            | Term::StrLen(_) => Sort::Int,
            Term::Bool(_)
            | Term::Eq(..)
            | Term::Lt(..)
            | Term::Le(..)
            | Term::Not(_)
            | Term::And(_)
            | Term::Or(_)
            | Term::Contains(..)
            | Term::PrefixOf(..)
            | Term::SuffixOf(..)
            | Term::FEq(..)
            | Term::RealEq(..)
            | Term::BvOverflows(..) => Sort::Bool,
            Term::Bits(_, ty) | Term::Bv(_, ty, ..) | Term::BvNot(ty, _) | Term::Cast(ty, _) => {
                Sort::Bits(*ty)
            }
            Term::Str(_) | Term::Concat(_) | Term::IntToStr(_) => Sort::Str,
            Term::Float(_) | Term::FArith(..) => Sort::Float,
            Term::Sym(_, s) => *s,
            Term::Ite(_, a, _) => a.sort(),
        }
    }

    /// Direct subterms, in argument order.
    pub fn children(&self) -> Vec<&Term> {
        match self {
            Term::Int(_)
            | Term::Bool(_)
            | Term::Str(_)
            | Term::Sym(..)
            | Term::Float(_)
            | Term::Bits(..) => Vec::new(),
            Term::Bv(_, _, a, b) | Term::BvOverflows(_, _, a, b) => vec![a, b],
            Term::BvNot(_, a) | Term::Cast(_, a) => vec![a],
            Term::Add(a, b)
            | Term::Sub(a, b)
            | Term::Mul(a, b)
            | Term::FloorDiv(a, b)
            | Term::Mod(a, b)
            | Term::Eq(a, b)
            | Term::Lt(a, b)
            | Term::Le(a, b)
            | Term::Contains(a, b)
            | Term::PrefixOf(a, b)
            | Term::SuffixOf(a, b)
            | Term::FArith(_, a, b)
            | Term::FEq(a, b)
            | Term::RealEq(a, b) => vec![a, b],
            Term::Neg(a) | Term::Not(a) | Term::StrLen(a) | Term::IntToStr(a) => vec![a],
            Term::And(v) | Term::Or(v) | Term::Concat(v) => v.iter().map(|x| &**x).collect(),
            Term::Ite(c, a, b) => vec![c, a, b],
        }
    }

    /// Every symbol the term mentions, in first-occurrence order.
    pub fn symbols(&self, out: &mut Vec<SymId>) {
        let mut stack: Vec<&Term> = vec![self];
        while let Some(t) = stack.pop() {
            if let Term::Sym(id, _) = t
                && !out.contains(id)
            {
                out.push(*id)
            }
            stack.extend(t.children().into_iter().rev());
        }
    }

    /// Number of nodes, used to refuse terms too large to be worth a query.
    pub fn size(&self) -> usize {
        let mut n = 0;
        let mut stack: Vec<&Term> = vec![self];
        while let Some(t) = stack.pop() {
            n += 1;
            stack.extend(t.children());
        }
        n
    }
}

// ---- smart constructors (constant folding) ----

pub fn add(a: &T, b: &T) -> T {
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => x
            .checked_add(y)
            .map(int)
            .unwrap_or_else(|| Arc::new(Term::Add(a.clone(), b.clone()))),
        (Some(0), _) => b.clone(),
        (_, Some(0)) => a.clone(),
        (None, Some(c)) => {
            offset(a, c).unwrap_or_else(|| Arc::new(Term::Add(a.clone(), b.clone())))
        }
        _ => Arc::new(Term::Add(a.clone(), b.clone())),
    }
}

pub fn sub(a: &T, b: &T) -> T {
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => x
            .checked_sub(y)
            .map(int)
            .unwrap_or_else(|| Arc::new(Term::Sub(a.clone(), b.clone()))),
        (_, Some(0)) => a.clone(),
        _ if a == b => int(0),
        (None, Some(c)) => c
            .checked_neg()
            .and_then(|m| offset(a, m))
            .unwrap_or_else(|| Arc::new(Term::Sub(a.clone(), b.clone()))),
        _ => Arc::new(Term::Sub(a.clone(), b.clone())),
    }
}

/// `(x - 1) + 1` is `x`: constants added to a sum or difference with a constant are merged,
/// so that a value computed back into a parameter is seen as that parameter.
fn offset(a: &T, c: i128) -> Option<T> {
    let (inner, k) = match &**a {
        Term::Add(x, y) => (x, y.as_int()?),
        Term::Sub(x, y) => (x, y.as_int()?.checked_neg()?),
        _ => return None,
    };
    let total = k.checked_add(c)?;
    Some(match total {
        0 => inner.clone(),
        t if t > 0 => Arc::new(Term::Add(inner.clone(), int(t))),
        t => Arc::new(Term::Sub(inner.clone(), int(t.checked_neg()?))),
    })
}

pub fn mul(a: &T, b: &T) -> T {
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => x
            .checked_mul(y)
            .map(int)
            .unwrap_or_else(|| Arc::new(Term::Mul(a.clone(), b.clone()))),
        (Some(0), _) | (_, Some(0)) => int(0),
        (Some(1), _) => b.clone(),
        (_, Some(1)) => a.clone(),
        _ => Arc::new(Term::Mul(a.clone(), b.clone())),
    }
}

pub fn floordiv(a: &T, b: &T) -> T {
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) if y != 0 => py_floordiv(x, y)
            .map(int)
            .unwrap_or_else(|| Arc::new(Term::FloorDiv(a.clone(), b.clone()))),
        (_, Some(1)) => a.clone(),
        _ => Arc::new(Term::FloorDiv(a.clone(), b.clone())),
    }
}

pub fn modulo(a: &T, b: &T) -> T {
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) if y != 0 => py_mod(x, y)
            .map(int)
            .unwrap_or_else(|| Arc::new(Term::Mod(a.clone(), b.clone()))),
        (_, Some(1)) => int(0),
        _ => Arc::new(Term::Mod(a.clone(), b.clone())),
    }
}

pub fn neg(a: &T) -> T {
    match a.as_int() {
        Some(x) => x
            .checked_neg()
            .map(int)
            .unwrap_or_else(|| Arc::new(Term::Neg(a.clone()))),
        None => match &**a {
            Term::Neg(inner) => inner.clone(),
            _ => Arc::new(Term::Neg(a.clone())),
        },
    }
}

pub fn eq(a: &T, b: &T) -> T {
    if a.is_const() && b.is_const() {
        return boolean(a == b);
    }
    if a == b {
        return boolean(true);
    }
    Arc::new(Term::Eq(a.clone(), b.clone()))
}

pub fn ne(a: &T, b: &T) -> T {
    not(&eq(a, b))
}

pub fn lt(a: &T, b: &T) -> T {
    if let (Some((x, ty)), Some((y, _))) = (a.as_bits(), b.as_bits()) {
        return boolean(ty.less(x, y));
    }
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => boolean(x < y),
        _ if a == b => boolean(false),
        _ => Arc::new(Term::Lt(a.clone(), b.clone())),
    }
}

pub fn le(a: &T, b: &T) -> T {
    if let (Some((x, ty)), Some((y, _))) = (a.as_bits(), b.as_bits()) {
        return boolean(!ty.less(y, x));
    }
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => boolean(x <= y),
        _ if a == b => boolean(true),
        _ => Arc::new(Term::Le(a.clone(), b.clone())),
    }
}

pub fn gt(a: &T, b: &T) -> T {
    lt(b, a)
}
pub fn ge(a: &T, b: &T) -> T {
    le(b, a)
}

pub fn not(a: &T) -> T {
    match &**a {
        Term::Bool(b) => boolean(!b),
        Term::Not(inner) => inner.clone(),
        _ => Arc::new(Term::Not(a.clone())),
    }
}

pub fn and(items: &[T]) -> T {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for t in items {
        match &**t {
            Term::Bool(true) => {}
            Term::Bool(false) => return boolean(false),
            Term::And(inner) => {
                for i in inner {
                    if !out.contains(i) {
                        out.push(i.clone())
                    }
                }
            }
            _ => {
                if !out.contains(t) {
                    out.push(t.clone())
                }
            }
        }
    }
    match out.len() {
        0 => boolean(true),
        1 => out.pop().unwrap_or_else(|| boolean(true)),
        _ => Arc::new(Term::And(out)),
    }
}

pub fn or(items: &[T]) -> T {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for t in items {
        match &**t {
            Term::Bool(false) => {}
            Term::Bool(true) => return boolean(true),
            Term::Or(inner) => {
                for i in inner {
                    if !out.contains(i) {
                        out.push(i.clone())
                    }
                }
            }
            _ => {
                if !out.contains(t) {
                    out.push(t.clone())
                }
            }
        }
    }
    match out.len() {
        0 => boolean(false),
        1 => out.pop().unwrap_or_else(|| boolean(false)),
        _ => Arc::new(Term::Or(out)),
    }
}

pub fn implies(a: &T, b: &T) -> T {
    or(&[not(a), b.clone()])
}

pub fn ite(c: &T, a: &T, b: &T) -> T {
    match c.as_bool() {
        Some(true) => a.clone(),
        Some(false) => b.clone(),
        None if a == b => a.clone(),
        None => match (a.as_bool(), b.as_bool()) {
            (Some(true), Some(false)) => c.clone(),
            (Some(false), Some(true)) => not(c),
            _ => Arc::new(Term::Ite(c.clone(), a.clone(), b.clone())),
        },
    }
}

pub fn concat(items: &[T]) -> T {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for t in items {
        let parts: Vec<T> = match &**t {
            Term::Concat(inner) => inner.clone(),
            _ => vec![t.clone()],
        };
        for p in parts {
            if let (Some(last), Some(s)) = (out.last(), p.as_str())
                && let Some(prev) = last.as_str()
            {
                let joined = format!("{prev}{s}");
                out.pop();
                out.push(string(&joined));
                continue;
            }
            if p.as_str() == Some("") {
                continue;
            }
            out.push(p);
        }
    }
    match out.len() {
        0 => string(""),
        1 => out.pop().unwrap_or_else(|| string("")),
        _ => Arc::new(Term::Concat(out)),
    }
}

pub fn str_len(a: &T) -> T {
    match a.as_str() {
        Some(s) => int(s.chars().count() as i128),
        None => Arc::new(Term::StrLen(a.clone())),
    }
}

pub fn contains(hay: &T, needle: &T) -> T {
    match (hay.as_str(), needle.as_str()) {
        (Some(h), Some(n)) => boolean(h.contains(n)),
        (_, Some("")) => boolean(true),
        _ => Arc::new(Term::Contains(hay.clone(), needle.clone())),
    }
}

pub fn prefix_of(prefix: &T, s: &T) -> T {
    match (prefix.as_str(), s.as_str()) {
        (Some(p), Some(s)) => boolean(s.starts_with(p)),
        (Some(""), _) => boolean(true),
        _ => Arc::new(Term::PrefixOf(prefix.clone(), s.clone())),
    }
}

pub fn suffix_of(suffix: &T, s: &T) -> T {
    match (suffix.as_str(), s.as_str()) {
        (Some(p), Some(s)) => boolean(s.ends_with(p)),
        (Some(""), _) => boolean(true),
        _ => Arc::new(Term::SuffixOf(suffix.clone(), s.clone())),
    }
}

pub fn int_to_str(a: &T) -> T {
    match a.as_int() {
        Some(i) => string(&i.to_string()),
        None => Arc::new(Term::IntToStr(a.clone())),
    }
}

pub fn py_floordiv(x: i128, y: i128) -> Option<i128> {
    if y == 0 {
        return None;
    }
    let q = x.checked_div(y)?;
    if (x % y != 0) && ((x < 0) != (y < 0)) {
        q.checked_sub(1)
    } else {
        Some(q)
    }
}

pub fn py_mod(x: i128, y: i128) -> Option<i128> {
    if y == 0 {
        return None;
    }
    let r = x.checked_rem(y)?;
    if r != 0 && ((r < 0) != (y < 0)) {
        r.checked_add(y)
    } else {
        Some(r)
    }
}

/// Evaluate a term under an assignment. `None` when a symbol is unassigned, an operation is
/// undefined (division by zero inside the term) or overflows i128: callers treat that as
/// "could not re-check".
pub fn eval(t: &Term, env: &BTreeMap<SymId, Val>) -> Option<Val> {
    use Val::*;
    let int_of = |t: &T| match eval(t, env)? {
        Int(i) => Some(i),
        _ => None,
    };
    let bool_of = |t: &T| match eval(t, env)? {
        Bool(b) => Some(b),
        _ => None,
    };
    let str_of = |t: &T| match eval(t, env)? {
        Str(s) => Some(s),
        _ => None,
    };
    let bits_of = |t: &T| match eval(t, env)? {
        Bits(raw, ty) => Some((raw, ty)),
        _ => None,
    };
    Some(match t {
        Term::Bits(raw, ty) => Bits(*raw, *ty),
        Term::Bv(op, ty, a, b) => {
            let ((x, _), (y, _)) = (bits_of(a)?, bits_of(b)?);
            Bits(rust_op(*op, *ty, x, y)?.1, *ty)
        }
        Term::BvOverflows(op, ty, a, b) => {
            let ((x, _), (y, _)) = (bits_of(a)?, bits_of(b)?);
            Bool(match rust_op(*op, *ty, x, y) {
                Some((checked, _)) => checked.is_none(),
                // Only a zero divisor has no result; that is another obligation.
                None => false,
            })
        }
        Term::BvNot(ty, a) => Bits(ty.mask(!bits_of(a)?.0), *ty),
        Term::Cast(to, a) => {
            let (raw, from) = bits_of(a)?;
            Bits(cast_raw(raw, from, *to), *to)
        }
        Term::Lt(a, b) if matches!(a.sort(), Sort::Bits(_)) => {
            let ((x, ty), (y, _)) = (bits_of(a)?, bits_of(b)?);
            Bool(ty.less(x, y))
        }
        Term::Le(a, b) if matches!(a.sort(), Sort::Bits(_)) => {
            let ((x, ty), (y, _)) = (bits_of(a)?, bits_of(b)?);
            Bool(!ty.less(y, x))
        }
        Term::Int(i) => Int(*i),
        Term::Bool(b) => Bool(*b),
        Term::Str(s) => Str(s.to_string()),
        Term::Sym(id, _) => env.get(id)?.clone(),
        Term::Add(a, b) => Int(int_of(a)?.checked_add(int_of(b)?)?),
        Term::Sub(a, b) => Int(int_of(a)?.checked_sub(int_of(b)?)?),
        Term::Mul(a, b) => Int(int_of(a)?.checked_mul(int_of(b)?)?),
        Term::FloorDiv(a, b) => Int(py_floordiv(int_of(a)?, int_of(b)?)?),
        Term::Mod(a, b) => Int(py_mod(int_of(a)?, int_of(b)?)?),
        Term::Neg(a) => Int(int_of(a)?.checked_neg()?),
        Term::Eq(a, b) => Bool(eval(a, env)? == eval(b, env)?),
        Term::Lt(a, b) => Bool(int_of(a)? < int_of(b)?),
        Term::Le(a, b) => Bool(int_of(a)? <= int_of(b)?),
        Term::Not(a) => Bool(!bool_of(a)?),
        Term::And(v) => {
            let mut r = true;
            for x in v {
                r &= bool_of(x)?;
            }
            Bool(r)
        }
        Term::Or(v) => {
            let mut r = false;
            for x in v {
                r |= bool_of(x)?;
            }
            Bool(r)
        }
        Term::Ite(c, a, b) => {
            if bool_of(c)? {
                eval(a, env)?
            } else {
                eval(b, env)?
            }
        }
        Term::Concat(v) => {
            let mut s = String::new();
            for x in v {
                s.push_str(&str_of(x)?);
            }
            Str(s)
        }
        Term::StrLen(a) => Int(str_of(a)?.chars().count() as i128),
        Term::Contains(a, b) => Bool(str_of(a)?.contains(&str_of(b)?)),
        Term::PrefixOf(a, b) => Bool(str_of(b)?.starts_with(&str_of(a)?)),
        Term::SuffixOf(a, b) => Bool(str_of(b)?.ends_with(&str_of(a)?)),
        Term::IntToStr(a) => {
            let i = int_of(a)?;
            // SMT-LIB's int.to.str gives "" for negatives; Python gives "-5". We mean Python.
            Str(i.to_string())
        }
        Term::Float(bits) => Float(*bits),
        Term::FArith(op, a, b) => {
            let (x, y) = (float_of(a, env)?, float_of(b, env)?);
            let r = match op {
                FOp::Add => x + y,
                FOp::Sub => x - y,
                FOp::Mul => x * y,
                // Python raises on a zero divisor: no value.
                FOp::Div if y == 0.0 => return None,
                FOp::Div => x / y,
            };
            Float(r.to_bits())
        }
        Term::FEq(a, b) => Bool(float_of(a, env)? == float_of(b, env)?),
        Term::RealEq(a, b) => Bool(exact(a, env)? == exact(b, env)?),
    })
}

fn float_of(t: &T, env: &BTreeMap<SymId, Val>) -> Option<f64> {
    match eval(t, env)? {
        Val::Float(b) => Some(f64::from_bits(b)),
        Val::Int(i) => Some(i as f64),
        _ => None,
    }
}

/// The value a float expression means (see [`Term::RealEq`]), computed without rounding.
pub fn exact(t: &T, env: &BTreeMap<SymId, Val>) -> Option<num_rational::BigRational> {
    match &**t {
        Term::FArith(op, a, b) => {
            let (x, y) = (exact(a, env)?, exact(b, env)?);
            Some(match op {
                FOp::Add => x + y,
                FOp::Sub => x - y,
                FOp::Mul => x * y,
                FOp::Div if num_traits::Zero::is_zero(&y) => return None,
                FOp::Div => x / y,
            })
        }
        _ => intended(float_of(t, env)?),
    }
}

/// The decimal a double is written as (its shortest round-trip form, as Python's `repr`
/// prints it), as an exact rational: one tenth for `0.1`.
pub fn intended(x: f64) -> Option<num_rational::BigRational> {
    use num_bigint::BigInt;
    if !x.is_finite() {
        return None;
    }
    // Rust's `Display` for f64 is the shortest round-trip digits, never in exponent form.
    let text = format!("{x}");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let numer: BigInt = format!("{whole}{frac}").parse().ok()?;
    let denom = num_traits::pow(BigInt::from(10), frac.len());
    let r = num_rational::BigRational::new(numer, denom);
    Some(if negative { -r } else { r })
}

/// `a + b` (and the other operators) on doubles. Never folded: [`Term::RealEq`] needs
/// the operation, not its rounded result. IEEE addition and multiplication are exactly
/// commutative, so their operands are put in a canonical order: `a + b == b + a` is then
/// one term on both sides, which Z3 decides at once (bit-blasting two adders does not
/// finish in 20 s on 4.8.12).
pub fn farith(op: FOp, a: &T, b: &T) -> T {
    let (a, b) = match op {
        FOp::Add | FOp::Mul if operand_key(b) < operand_key(a) => (b, a),
        _ => (a, b),
    };
    Arc::new(Term::FArith(op, a.clone(), b.clone()))
}

/// A deterministic order of terms (`DefaultHasher::new` has fixed keys).
fn operand_key(t: &T) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// Divisors of `//` and `%` that Python evaluated without raising if `cond` holds: a
/// path that got past `if n % k == 0:` knows `k != 0`. Z3's `mod` is total (any value
/// for a zero divisor), so without this fact its models of such paths fail our re-check.
/// Only operands evaluated whatever happens are followed: both sides of a comparison,
/// every conjunct of a condition that holds, every disjunct of one that fails; never the
/// branches of an `Ite` (a join or a conditional expression).
pub fn evaluated_divisors(cond: &T) -> Vec<T> {
    fn value(t: &T, out: &mut Vec<T>) {
        match &**t {
            Term::Add(a, b) | Term::Sub(a, b) | Term::Mul(a, b) => {
                value(a, out);
                value(b, out);
            }
            Term::Neg(a) => value(a, out),
            Term::FloorDiv(a, b) | Term::Mod(a, b) => {
                value(a, out);
                value(b, out);
                if b.as_int().is_none() && !out.contains(b) {
                    out.push(b.clone());
                }
            }
            _ => {}
        }
    }
    fn condition(t: &T, holds: bool, out: &mut Vec<T>) {
        match &**t {
            Term::Not(a) => condition(a, !holds, out),
            Term::And(v) if holds => v.iter().for_each(|c| condition(c, true, out)),
            Term::Or(v) if !holds => v.iter().for_each(|c| condition(c, false, out)),
            Term::Eq(a, b) | Term::Lt(a, b) | Term::Le(a, b) => {
                value(a, out);
                value(b, out);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    condition(cond, true, &mut out);
    out
}

/// Python's `==` on doubles. A value equals itself unless it is NaN, which finite inputs
/// (the only kind a caller passes) produce only from an infinity: `inf - inf`.
pub fn feq(a: &T, b: &T) -> T {
    if a == b && !may_be_nan(a) {
        return boolean(true);
    }
    Arc::new(Term::FEq(a.clone(), b.clone()))
}

/// Whether a float term over finite inputs can be NaN: an operation on an infinity
/// (`0.0 / 0.0` raises in Python instead).
fn may_be_nan(t: &T) -> bool {
    match &**t {
        Term::FArith(_, x, y) => may_be_infinite(x) || may_be_infinite(y),
        _ => may_be_infinite(t),
    }
}

/// Whether a float term over finite inputs can be infinite (or NaN): only an operation
/// can overflow.
fn may_be_infinite(t: &T) -> bool {
    match &**t {
        Term::Float(bits) => !f64::from_bits(*bits).is_finite(),
        Term::Sym(..) => false,
        _ => true,
    }
}

/// `t` with each symbol replaced by what `map` gives for it, rebuilt through the smart
/// constructors so that constants fold again (a summary's `len(xs) == 0` becomes `true`
/// at a call with `[]`). `None` when `map` has no replacement for some symbol.
pub fn substitute(t: &T, map: &mut dyn FnMut(SymId) -> Option<T>) -> Option<T> {
    // Terms are DAGs: a join repeats its branches' subterms, so each node is rebuilt once.
    fn go(
        t: &T,
        map: &mut dyn FnMut(SymId) -> Option<T>,
        memo: &mut HashMap<*const Term, T>,
    ) -> Option<T> {
        if let Some(done) = memo.get(&Arc::as_ptr(t)) {
            return Some(done.clone());
        }
        let mut two = |a: &T, b: &T, f: fn(&T, &T) -> T| -> Option<T> {
            Some(f(&go(a, map, memo)?, &go(b, map, memo)?))
        };
        let out = match &**t {
            Term::Int(_) | Term::Bool(_) | Term::Str(_) | Term::Float(_) | Term::Bits(..) => {
                t.clone()
            }
            Term::Bv(op, ty, a, b) => bv(*op, *ty, &go(a, map, memo)?, &go(b, map, memo)?),
            Term::BvOverflows(op, ty, a, b) => {
                bv_overflows(*op, *ty, &go(a, map, memo)?, &go(b, map, memo)?)
            }
            Term::BvNot(ty, a) => bv_not(*ty, &go(a, map, memo)?),
            Term::Cast(ty, a) => cast(*ty, &go(a, map, memo)?),
            Term::Sym(id, sort) => {
                let r = map(*id)?;
                if r.sort() != *sort {
                    return None;
                }
                r
            }
            Term::Add(a, b) => two(a, b, add)?,
            Term::Sub(a, b) => two(a, b, sub)?,
            Term::Mul(a, b) => two(a, b, mul)?,
            Term::FloorDiv(a, b) => two(a, b, floordiv)?,
            Term::Mod(a, b) => two(a, b, modulo)?,
            Term::Eq(a, b) => two(a, b, eq)?,
            Term::Lt(a, b) => two(a, b, lt)?,
            Term::Le(a, b) => two(a, b, le)?,
            Term::Contains(a, b) => two(a, b, contains)?,
            Term::PrefixOf(a, b) => two(a, b, prefix_of)?,
            Term::SuffixOf(a, b) => two(a, b, suffix_of)?,
            Term::FEq(a, b) => two(a, b, feq)?,
            Term::RealEq(a, b) => two(a, b, real_eq)?,
            Term::FArith(op, a, b) => farith(*op, &go(a, map, memo)?, &go(b, map, memo)?),
            Term::Neg(a) => neg(&go(a, map, memo)?),
            Term::Not(a) => not(&go(a, map, memo)?),
            Term::StrLen(a) => str_len(&go(a, map, memo)?),
            Term::IntToStr(a) => int_to_str(&go(a, map, memo)?),
            Term::Ite(c, a, b) => ite(&go(c, map, memo)?, &go(a, map, memo)?, &go(b, map, memo)?),
            Term::And(v) | Term::Or(v) | Term::Concat(v) => {
                let items = v
                    .iter()
                    .map(|x| go(x, map, memo))
                    .collect::<Option<Vec<T>>>()?;
                match &**t {
                    Term::And(_) => and(&items),
                    Term::Or(_) => or(&items),
                    _ => concat(&items),
                }
            }
        };
        memo.insert(Arc::as_ptr(t), out.clone());
        Some(out)
    }
    go(t, map, &mut HashMap::new())
}

// ---- fixed-width integers (Rust) ----

pub fn bits(raw: u128, ty: IntTy) -> T {
    Arc::new(Term::Bits(ty.mask(raw), ty))
}

/// A mathematical value as a constant of `ty`, wrapped to the width.
pub fn bits_of_int(v: i128, ty: IntTy) -> T {
    bits(ty.wrap(v), ty)
}

/// The type of a fixed-width term.
pub fn int_ty(t: &Term) -> Option<IntTy> {
    match t.sort() {
        Sort::Bits(ty) => Some(ty),
        _ => None,
    }
}

/// Rust's wrapping result of `op` on `ty` (see [`Term::Bv`]), folded where it can be.
pub fn bv(op: BvOp, ty: IntTy, a: &T, b: &T) -> T {
    let (ca, cb) = (a.as_bits().map(|x| x.0), b.as_bits().map(|x| x.0));
    if let (Some(x), Some(y)) = (ca, cb)
        && let Some((_, wrapped)) = rust_op(op, ty, x, y)
    {
        return bits(wrapped, ty);
    }
    let build = || Arc::new(Term::Bv(op, ty, a.clone(), b.clone()));
    match (op, ca, cb) {
        (BvOp::Add | BvOp::Sub | BvOp::Shl | BvOp::Shr | BvOp::Or | BvOp::Xor, _, Some(0)) => {
            a.clone()
        }
        (BvOp::Add | BvOp::Or | BvOp::Xor, Some(0), _) => b.clone(),
        (BvOp::Mul | BvOp::Div, _, Some(1)) => a.clone(),
        (BvOp::Mul, Some(1), _) => b.clone(),
        (BvOp::Mul | BvOp::And, _, Some(0)) | (BvOp::Mul | BvOp::And, Some(0), _) => bits(0, ty),
        (BvOp::Rem, _, Some(1)) => bits(0, ty),
        (BvOp::Sub, _, _) if a == b => bits(0, ty),
        // `(x - 1) + 1` is `x`: arithmetic modulo 2^width is a group, so constants merge.
        (BvOp::Add | BvOp::Sub, None, Some(c)) => bv_offset(op, ty, a, c).unwrap_or_else(build),
        _ => build(),
    }
}

fn bv_offset(op: BvOp, ty: IntTy, a: &T, c: u128) -> Option<T> {
    let c = if op == BvOp::Sub {
        ty.mask(c.wrapping_neg())
    } else {
        c
    };
    let (inner, k) = match &**a {
        Term::Bv(BvOp::Add, t, x, y) if *t == ty => (x, y.as_bits()?.0),
        Term::Bv(BvOp::Sub, t, x, y) if *t == ty => (x, ty.mask(y.as_bits()?.0.wrapping_neg())),
        _ => return None,
    };
    let total = ty.mask(k.wrapping_add(c));
    Some(match total {
        0 => inner.clone(),
        t if !ty.signed || ty.signed_of(t) > 0 => {
            Arc::new(Term::Bv(BvOp::Add, ty, inner.clone(), bits(t, ty)))
        }
        t => Arc::new(Term::Bv(
            BvOp::Sub,
            ty,
            inner.clone(),
            bits(t.wrapping_neg(), ty),
        )),
    })
}

/// Whether `a op b` overflows `ty` (see [`Term::BvOverflows`]).
pub fn bv_overflows(op: BvOp, ty: IntTy, a: &T, b: &T) -> T {
    let (ca, cb) = (a.as_bits().map(|x| x.0), b.as_bits().map(|x| x.0));
    if let (Some(x), Some(y)) = (ca, cb) {
        return boolean(matches!(rust_op(op, ty, x, y), Some((None, _))));
    }
    match (op, ca, cb) {
        (BvOp::Add | BvOp::Sub, _, Some(0))
        | (BvOp::Add, Some(0), _)
        | (BvOp::Mul, _, Some(0 | 1))
        | (BvOp::Mul, Some(0 | 1), _)
        | (BvOp::And | BvOp::Or | BvOp::Xor, _, _) => boolean(false),
        // Only `MIN / -1` overflows, and unsigned types have no -1.
        (BvOp::Div | BvOp::Rem, _, _) if !ty.signed => boolean(false),
        (BvOp::Div | BvOp::Rem, _, Some(y)) if y != ty.mask(u128::MAX) => boolean(false),
        _ => Arc::new(Term::BvOverflows(op, ty, a.clone(), b.clone())),
    }
}

pub fn bv_neg(ty: IntTy, a: &T) -> T {
    bv(BvOp::Sub, ty, &bits(0, ty), a)
}

pub fn bv_not(ty: IntTy, a: &T) -> T {
    match &**a {
        Term::Bits(raw, _) => bits(!raw, ty),
        Term::BvNot(_, inner) => inner.clone(),
        _ => Arc::new(Term::BvNot(ty, a.clone())),
    }
}

/// `a as to`. A term that is not fixed-width is returned unchanged (the caller's
/// analysis did not type it; it stays ill-sorted and so undecided, never wrong).
pub fn cast(to: IntTy, a: &T) -> T {
    let Some(from) = int_ty(a) else {
        return match a.as_int() {
            Some(v) => bits_of_int(v, to),
            None => a.clone(),
        };
    };
    if from == to {
        return a.clone();
    }
    match &**a {
        Term::Bits(raw, _) => bits(cast_raw(*raw, from, to), to),
        _ => Arc::new(Term::Cast(to, a.clone())),
    }
}

/// Whether `a as to` changes the value: truncation or a change of sign.
pub fn cast_changes_value(to: IntTy, a: &T) -> T {
    let Some(from) = int_ty(a) else {
        return boolean(false);
    };
    let back = cast(from, &cast(to, a));
    let mut bad = vec![not(&eq(&back, a))];
    if from.signed && !to.signed {
        bad.push(lt(a, &bits(0, from)));
    }
    if !from.signed && to.signed && to.bits <= from.bits {
        bad.push(lt(&cast(to, a), &bits(0, to)));
    }
    or(&bad)
}

/// Whether every operation of `t` gets operands of the sorts it takes. The analysis
/// shares code between Python's unbounded ints and Rust's fixed-width ones; a fact stated
/// for one met with a value of the other is ill-sorted and must not reach the solver (it
/// could not translate it) or the evaluator (which would read it as false).
pub fn well_sorted(t: &Term) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<&Term> = vec![t];
    while let Some(t) = stack.pop() {
        if !seen.insert(t as *const Term) {
            continue;
        }
        let kids = t.children();
        let sorts: Vec<Sort> = kids.iter().map(|k| k.sort()).collect();
        let all = |s: Sort| sorts.iter().all(|x| *x == s);
        let bits = |x: &Sort| matches!(x, Sort::Bits(_));
        let ok = match t {
            Term::Add(..)
            | Term::Sub(..)
            | Term::Mul(..)
            | Term::FloorDiv(..)
            | Term::Mod(..)
            | Term::Neg(_)
            | Term::IntToStr(_) => all(Sort::Int),
            Term::Lt(..) | Term::Le(..) => {
                sorts[0] == sorts[1] && (sorts[0] == Sort::Int || bits(&sorts[0]))
            }
            Term::Eq(..) => sorts[0] == sorts[1],
            Term::Not(_) | Term::And(_) | Term::Or(_) => all(Sort::Bool),
            Term::Ite(..) => sorts[0] == Sort::Bool && sorts[1] == sorts[2],
            Term::Bv(op, ty, ..) | Term::BvOverflows(op, ty, ..) => {
                sorts[0] == Sort::Bits(*ty)
                    && match op {
                        BvOp::Shl | BvOp::Shr => bits(&sorts[1]),
                        _ => sorts[1] == Sort::Bits(*ty),
                    }
            }
            Term::BvNot(ty, _) => all(Sort::Bits(*ty)),
            Term::Cast(..) => sorts.iter().all(bits),
            Term::Concat(_)
            | Term::StrLen(_)
            | Term::Contains(..)
            | Term::PrefixOf(..)
            | Term::SuffixOf(..) => all(Sort::Str),
            Term::FArith(..) | Term::FEq(..) | Term::RealEq(..) => all(Sort::Float),
            Term::Int(_)
            | Term::Bool(_)
            | Term::Str(_)
            | Term::Sym(..)
            | Term::Float(_)
            | Term::Bits(..) => true,
        };
        if !ok {
            return false;
        }
        stack.extend(kids);
    }
    true
}

/// The pattern `raw` of `from` converted `as to`.
pub fn cast_raw(raw: u128, from: IntTy, to: IntTy) -> u128 {
    if from.signed {
        to.wrap(from.signed_of(raw))
    } else {
        to.mask(raw)
    }
}

/// Rust's result of `op` on two patterns of `ty`: what `checked_*` gives (`None` on
/// overflow) and what `wrapping_*` gives. A shift amount is a pattern of its own type,
/// read unsigned (a negative amount is a huge one, and overflows). `None` for a zero
/// divisor, where every build panics.
pub fn rust_op(op: BvOp, ty: IntTy, a: u128, b: u128) -> Option<(Option<u128>, u128)> {
    macro_rules! native {
        ($t:ty) => {{
            let (x, y) = (a as $t, b as $t);
            // Only the low bits of the amount matter to a wrapping shift.
            let amount = (b & 0xffff_ffff) as u32;
            let out_of_width = b >= u128::from(ty.bits);
            let (checked, wrapped): (Option<$t>, $t) = match op {
                BvOp::Add => (x.checked_add(y), x.wrapping_add(y)),
                BvOp::Sub => (x.checked_sub(y), x.wrapping_sub(y)),
                BvOp::Mul => (x.checked_mul(y), x.wrapping_mul(y)),
                BvOp::Div if y == 0 => return None,
                BvOp::Rem if y == 0 => return None,
                BvOp::Div => (x.checked_div(y), x.wrapping_div(y)),
                BvOp::Rem => (x.checked_rem(y), x.wrapping_rem(y)),
                BvOp::Shl => {
                    let w = x.wrapping_shl(amount);
                    ((!out_of_width).then_some(w), w)
                }
                BvOp::Shr => {
                    let w = x.wrapping_shr(amount);
                    ((!out_of_width).then_some(w), w)
                }
                BvOp::And => (Some(x & y), x & y),
                BvOp::Or => (Some(x | y), x | y),
                BvOp::Xor => (Some(x ^ y), x ^ y),
            };
            Some((
                checked.map(|c| ty.mask(c as u128)),
                ty.mask(wrapped as u128),
            ))
        }};
    }
    match (ty.bits, ty.signed) {
        (8, false) => native!(u8),
        (16, false) => native!(u16),
        (32, false) => native!(u32),
        (64, false) => native!(u64),
        (128, false) => native!(u128),
        (8, true) => native!(i8),
        (16, true) => native!(i16),
        (32, true) => native!(i32),
        (64, true) => native!(i64),
        (128, true) => native!(i128),
        _ => None,
    }
}

pub fn real_eq(a: &T, b: &T) -> T {
    Arc::new(Term::RealEq(a.clone(), b.clone()))
}

pub fn float(x: f64) -> T {
    Arc::new(Term::Float(x.to_bits()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Substituting a call's arguments folds what they decide (`len(xs) == 0` with `[]`
    /// is true) and keeps the rest symbolic; a symbol with no replacement, or one of
    /// another sort, gives nothing.
    #[test]
    fn substitution_folds_the_arguments() {
        let (len, k) = (sym(0, Sort::Int), sym(1, Sort::Int));
        let bad = or(&[eq(&len, &int(0)), lt(&k, &int(0))]);
        let mut empty = |id: SymId| match id {
            0 => Some(int(0)),
            _ => Some(sym(7, Sort::Int)),
        };
        assert_eq!(substitute(&bad, &mut empty), Some(boolean(true)));
        let mut some = |id: SymId| match id {
            0 => Some(int(3)),
            _ => Some(sym(7, Sort::Int)),
        };
        assert_eq!(
            substitute(&bad, &mut some),
            Some(lt(&sym(7, Sort::Int), &int(0)))
        );
        let mut partial = |id: SymId| (id == 0).then(|| int(3));
        assert_eq!(substitute(&bad, &mut partial), None);
        let mut wrong_sort = |_: SymId| Some(string("x"));
        assert_eq!(substitute(&bad, &mut wrong_sort), None);
    }

    /// `n % k == 0` held, so `k` was not zero; `k == 0 or n % k == 0` says nothing of the
    /// kind, nor does a conditional expression's branch.
    #[test]
    fn divisors_a_condition_evaluated() {
        let (n, k, m) = (sym(0, Sort::Int), sym(1, Sort::Int), sym(2, Sort::Int));
        let divides = eq(&Arc::new(Term::Mod(n.clone(), k.clone())), &int(0));
        let just_k = vec![k.clone()];
        assert_eq!(evaluated_divisors(&divides), just_k);
        assert_eq!(evaluated_divisors(&not(&divides)), just_k);
        let quotient = Arc::new(Term::FloorDiv(n.clone(), m.clone()));
        assert_eq!(
            evaluated_divisors(&and(&[divides.clone(), lt(&quotient, &int(3))])),
            [k.clone(), m.clone()]
        );
        let either = or(&[eq(&k, &int(0)), divides.clone()]);
        assert!(evaluated_divisors(&either).is_empty());
        assert_eq!(evaluated_divisors(&not(&either)), just_k);
        let chosen = ite(&lt(&n, &int(0)), &quotient, &int(1));
        assert!(evaluated_divisors(&eq(&chosen, &int(2))).is_empty());
        assert!(evaluated_divisors(&eq(&Arc::new(Term::Mod(n, int(2))), &int(0))).is_empty());
    }

    #[test]
    fn python_floor_semantics() {
        assert_eq!(py_floordiv(-7, 2), Some(-4));
        assert_eq!(py_mod(-7, 2), Some(1));
        assert_eq!(py_mod(7, -2), Some(-1));
        assert_eq!(py_floordiv(7, 0), None);
    }

    #[test]
    fn offsets_merge_back_into_the_symbol() {
        let x = sym(0, Sort::Int);
        assert_eq!(add(&sub(&x, &int(1)), &int(1)), x);
        assert_eq!(add(&add(&x, &int(2)), &int(3)), add(&x, &int(5)));
        assert_eq!(sub(&add(&x, &int(2)), &int(5)), sub(&x, &int(3)));
    }

    #[test]
    fn folding_decides_constant_obligations() {
        let bad = eq(&add(&int(100), &int(18)), &int(120));
        assert_eq!(bad.as_bool(), Some(false));
        let s = concat(&[string("a"), string("b"), sym(1, Sort::Str), string("c")]);
        assert!(matches!(&*s, Term::Concat(v) if v.len() == 3));
    }

    #[test]
    fn eval_uses_python_semantics() {
        let mut env = BTreeMap::new();
        env.insert(0, Val::Int(-7));
        let t = floordiv(&sym(0, Sort::Int), &int(2));
        assert_eq!(eval(&t, &env), Some(Val::Int(-4)));
        assert_eq!(python_repr("it's"), "\"it's\"");
    }
}

#[cfg(test)]
mod float_tests {
    use super::*;

    #[test]
    fn doubles_and_their_exact_values() {
        let mut env = BTreeMap::new();
        env.insert(0, Val::Float(0.1f64.to_bits()));
        env.insert(1, Val::Float(0.2f64.to_bits()));
        let sum = farith(FOp::Add, &sym(0, Sort::Float), &sym(1, Sort::Float));
        let three_tenths = float(0.3);
        assert_eq!(
            eval(&feq(&sum, &three_tenths), &env),
            Some(Val::Bool(false))
        );
        // As the decimals they are written as, one tenth and two tenths make three.
        assert_eq!(
            eval(&real_eq(&sum, &three_tenths), &env),
            Some(Val::Bool(true))
        );
        assert_eq!(
            intended(0.1),
            Some(num_rational::BigRational::new(1.into(), 10.into()))
        );
        assert_eq!(
            intended(-2.5),
            Some(num_rational::BigRational::new((-5).into(), 2.into()))
        );
        assert_eq!(intended(f64::NAN), None);
        let half = farith(FOp::Mul, &sym(0, Sort::Float), &float(0.5));
        let halved = farith(FOp::Div, &sym(0, Sort::Float), &float(2.0));
        assert_eq!(eval(&real_eq(&half, &halved), &env), Some(Val::Bool(true)));
        assert_eq!(eval(&feq(&half, &halved), &env), Some(Val::Bool(true)));
    }
}

#[cfg(test)]
mod bits_tests {
    use super::*;

    const U8: IntTy = IntTy::new(8, false);
    const I8: IntTy = IntTy::new(8, true);
    const U32: IntTy = IntTy::new(32, false);

    #[test]
    fn types_parse_and_print_in_rust_syntax() {
        assert_eq!(IntTy::parse("u32"), Some(U32));
        assert_eq!(
            IntTy::parse("usize").map(|t| (t.bits, t.signed)),
            Some((64, false))
        );
        assert_eq!(IntTy::parse("i7"), None);
        assert_eq!(IntTy::parse("f32"), None);
        assert_eq!(
            Val::Bits(u32::MAX.into(), U32).to_string(),
            "4294967295_u32"
        );
        assert_eq!(Val::Bits(0x80, I8).to_string(), "-128_i8");
        assert_eq!(I8.pattern_of(-1), Some(0xff));
        assert_eq!(U8.pattern_of(256), None);
        assert_eq!(U8.pattern_of(-1), None);
    }

    /// Constants fold with Rust's wrapping result, and the overflow predicate folds to
    /// what `checked_*` says.
    #[test]
    fn constants_fold_with_rust_semantics() {
        let (a, b) = (bits(250, U8), bits(10, U8));
        assert_eq!(bv(BvOp::Add, U8, &a, &b), bits(4, U8));
        assert_eq!(bv_overflows(BvOp::Add, U8, &a, &b), boolean(true));
        assert_eq!(bv_overflows(BvOp::Sub, U8, &b, &a), boolean(true));
        assert_eq!(bv_overflows(BvOp::Sub, U8, &a, &b), boolean(false));
        let (min, minus_one) = (bits(0x80, I8), bits(0xff, I8));
        assert_eq!(bv_overflows(BvOp::Div, I8, &min, &minus_one), boolean(true));
        assert_eq!(bv(BvOp::Div, I8, &min, &minus_one), min);
        // Truncating division and a remainder with the dividend's sign.
        assert_eq!(
            bv(BvOp::Div, I8, &bits_of_int(-7, I8), &bits(2, I8)),
            bits_of_int(-3, I8)
        );
        assert_eq!(
            bv(BvOp::Rem, I8, &bits_of_int(-7, I8), &bits(2, I8)),
            bits_of_int(-1, I8)
        );
        // A zero divisor stays a term: every build panics there.
        let zero = bits(0, U8);
        assert!(matches!(&*bv(BvOp::Div, U8, &a, &zero), Term::Bv(..)));
        assert_eq!(
            bv_overflows(BvOp::Shl, U8, &a, &bits(8, U32)),
            boolean(true)
        );
        assert_eq!(bv(BvOp::Shl, U8, &bits(1, U8), &bits(9, U32)), bits(2, U8));
        assert_eq!(cast(U8, &bits(300, U32)), bits(44, U8));
        assert_eq!(cast(U32, &bits_of_int(-1, I8)), bits(u32::MAX.into(), U32));
        assert_eq!(lt(&bits(0xff, I8), &bits(1, I8)), boolean(true));
        assert_eq!(lt(&bits(0xff, U8), &bits(1, U8)), boolean(false));
    }

    #[test]
    fn identities_and_offsets() {
        let x = sym(0, Sort::Bits(U32));
        let one = bits(1, U32);
        assert_eq!(bv(BvOp::Add, U32, &bv(BvOp::Sub, U32, &x, &one), &one), x);
        assert_eq!(bv(BvOp::Mul, U32, &x, &one), x);
        assert_eq!(
            bv_overflows(BvOp::Add, U32, &x, &bits(0, U32)),
            boolean(false)
        );
        assert_eq!(bv_overflows(BvOp::Div, U32, &x, &one), boolean(false));
        assert_eq!(cast(U32, &x), x);
    }

    /// The evaluator wraps like a release build and reports the overflow a debug build
    /// panics on; casts are truncation and sign change, judged by the value they change.
    #[test]
    fn eval_wraps_and_detects_overflow() {
        let x = sym(0, Sort::Bits(U32));
        let mut env = BTreeMap::new();
        env.insert(0, Val::Bits(u32::MAX.into(), U32));
        let sum = bv(BvOp::Add, U32, &x, &bits(1, U32));
        assert_eq!(eval(&sum, &env), Some(Val::Bits(0, U32)));
        let over = bv_overflows(BvOp::Add, U32, &x, &bits(1, U32));
        assert_eq!(eval(&over, &env), Some(Val::Bool(true)));
        assert_eq!(
            eval(&cast_changes_value(U8, &x), &env),
            Some(Val::Bool(true))
        );
        env.insert(0, Val::Bits(200, U32));
        assert_eq!(
            eval(&cast_changes_value(U8, &x), &env),
            Some(Val::Bool(false))
        );
        assert_eq!(
            eval(&cast_changes_value(I8, &x), &env),
            Some(Val::Bool(true)),
            "200 is -56 as an i8"
        );
        let y = sym(1, Sort::Bits(I8));
        env.insert(1, Val::Bits(0xff, I8));
        assert_eq!(
            eval(&cast_changes_value(U32, &y), &env),
            Some(Val::Bool(true))
        );
        let quotient = bv(BvOp::Div, U32, &x, &sym(2, Sort::Bits(U32)));
        env.insert(2, Val::Bits(0, U32));
        assert_eq!(eval(&quotient, &env), None);
    }
}
