//! Terms to Z3 with Python semantics, and Z3 model values back to [`Val`]s.
//!
//! Everything here lives inside one Z3 context (the caller's `with_z3_config` closure).
//! Translations are memoised by node address: obligations of one file share path-condition
//! prefixes, and analysis terms are DAGs whose tree expansion can be exponential.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use z3::ast::{Ast, BV, Bool, Float, Int, RoundingMode, String as ZStr};
use z3::{FuncDecl, Model, Solver};

use crate::term::{BvOp, FOp, IntTy, Sort, SymId, T, Term, Val};

/// Largest character Z3 4.8.12 accepts in a string under its default unicode encoding.
const Z3_MAX_CHAR: u32 = 0x2FFFF;

/// Why a decimal-intent equality ([`Term::RealEq`]) has no translation.
pub const DECIMAL_INTENT: &str = "equality of the decimals a caller means is decided by evaluation";

/// A translated term, tagged with its sort so ill-sorted terms are caught before Z3 sees
/// them (the z3 crate panics on a sort error).
#[derive(Clone)]
pub enum Z {
    I(Int),
    B(Bool),
    S(ZStr),
    F(Float),
    /// A fixed-width integer, with its type (Z3 bit-vectors carry no signedness).
    V(BV, IntTy),
}

/// The string functions the z3 crate has no safe constructor for. Obtained once per context
/// by parsing a tiny SMT-LIB script, which keeps this crate free of `unsafe` and of a direct
/// z3-sys dependency.
pub struct StrDecls {
    from_int: FuncDecl,
    to_code: FuncDecl,
}

impl StrDecls {
    /// Parsing costs ≈3 ms on 4.8.12 (the SMT-LIB front end is set up per call), so this
    /// runs only for files that need one of these functions.
    fn load() -> Option<StrDecls> {
        let solver = Solver::new_for_logic("QF_SLIA").unwrap_or_default();
        solver.from_string(
            "(declare-const vouch_probe Int)\
             (assert (= (str.from_int vouch_probe) \"\"))\
             (assert (= (str.to_code \"a\") vouch_probe))",
        );
        let asserted = solver.get_assertions();
        let decl_of = |i: usize| -> Option<FuncDecl> {
            let eq = asserted.get(i)?;
            eq.nth_child(0)?.safe_decl().ok()
        };
        Some(StrDecls {
            from_int: decl_of(0)?,
            to_code: decl_of(1)?,
        })
    }
}

/// Term-to-Z3 translation for one context.
#[derive(Default)]
pub struct Translator {
    /// Keyed by address: every key must stay alive as long as the translator, or a new
    /// term at a freed address would get another term's translation. Obligations outlive
    /// it; terms made while solving are kept in `pinned`.
    memo: HashMap<*const Term, Z>,
    pinned: Vec<T>,
    syms: HashMap<(SymId, Sort), Z>,
    /// Loaded on first use; `Some(None)` when loading failed.
    str_decls: Option<Option<StrDecls>>,
}

pub type Res<T> = Result<T, String>;

fn ill_sorted(what: &str) -> String {
    format!("ill-sorted term ({what})")
}

impl Translator {
    fn decls(&mut self) -> Option<&StrDecls> {
        self.str_decls.get_or_insert_with(StrDecls::load).as_ref()
    }

    /// Keep a term made while solving alive as long as its translation is memoised.
    pub fn pin(&mut self, t: &T) {
        self.pinned.push(t.clone());
    }

    /// The Z3 constant for a symbol. Names are derived from ids only, never from user text.
    pub fn sym(&mut self, id: SymId, sort: Sort) -> Z {
        self.syms
            .entry((id, sort))
            .or_insert_with(|| match sort {
                Sort::Int => Z::I(Int::new_const(format!("s{id}_i"))),
                Sort::Bool => Z::B(Bool::new_const(format!("s{id}_b"))),
                Sort::Str => Z::S(ZStr::new_const(format!("s{id}_s"))),
                // A float input is any double; `check` adds that it is finite.
                Sort::Float => Z::F(Float::new_const_double(format!("s{id}_f"))),
                Sort::Bits(ty) => Z::V(
                    BV::new_const(format!("s{id}_{}", ty.name()), ty.bits.into()),
                    ty,
                ),
            })
            .clone()
    }

    pub fn bool(&mut self, t: &Term) -> Res<Bool> {
        match self.term(t)? {
            Z::B(b) => Ok(b),
            _ => Err(ill_sorted("expected a Bool")),
        }
    }

    /// Translate a term bottom-up without recursion (terms can be deep chains).
    pub fn term(&mut self, root: &Term) -> Res<Z> {
        let key = root as *const Term;
        if let Some(z) = self.memo.get(&key) {
            return Ok(z.clone());
        }
        let mut stack: Vec<(&Term, bool)> = vec![(root, false)];
        while let Some((t, ready)) = stack.pop() {
            let k = t as *const Term;
            if self.memo.contains_key(&k) {
                continue;
            }
            if !ready {
                stack.push((t, true));
                for c in children(t) {
                    if !self.memo.contains_key(&(c as *const Term)) {
                        stack.push((c, false));
                    }
                }
                continue;
            }
            let z = self.build(t)?;
            self.memo.insert(k, z);
        }
        self.memo
            .get(&key)
            .cloned()
            .ok_or_else(|| "translation lost a node".to_string())
    }

    fn get(&self, t: &Term) -> Res<Z> {
        self.memo
            .get(&(t as *const Term))
            .cloned()
            .ok_or_else(|| "translation visited a node before its children".to_string())
    }

    fn int(&self, t: &Term) -> Res<Int> {
        match self.get(t)? {
            Z::I(i) => Ok(i),
            _ => Err(ill_sorted("expected an Int")),
        }
    }

    fn boolean(&self, t: &Term) -> Res<Bool> {
        match self.get(t)? {
            Z::B(b) => Ok(b),
            _ => Err(ill_sorted("expected a Bool")),
        }
    }

    fn string(&self, t: &Term) -> Res<ZStr> {
        match self.get(t)? {
            Z::S(s) => Ok(s),
            _ => Err(ill_sorted("expected a Str")),
        }
    }

    fn bv(&self, t: &Term) -> Res<(BV, IntTy)> {
        match self.get(t)? {
            Z::V(v, ty) => Ok((v, ty)),
            _ => Err(ill_sorted("expected a fixed-width integer")),
        }
    }

    fn build(&mut self, t: &Term) -> Res<Z> {
        Ok(match t {
            Term::Bits(raw, ty) => Z::V(bv_lit(*raw, *ty)?, *ty),
            Term::Bv(op, ty, a, b) => {
                let ((x, _), (y, yty)) = (self.bv(a)?, self.bv(b)?);
                Z::V(bv_op(*op, *ty, &x, &y, yty), *ty)
            }
            Term::BvOverflows(op, ty, a, b) => {
                let ((x, _), (y, yty)) = (self.bv(a)?, self.bv(b)?);
                Z::B(bv_overflows(*op, *ty, &x, &y, yty)?)
            }
            Term::BvNot(ty, a) => Z::V(self.bv(a)?.0.bvnot(), *ty),
            Term::Cast(to, a) => {
                let (x, from) = self.bv(a)?;
                Z::V(resize(&x, from, to.bits.into()), *to)
            }
            Term::Lt(a, b) if matches!(a.sort(), Sort::Bits(_)) => {
                let ((x, ty), (y, _)) = (self.bv(a)?, self.bv(b)?);
                Z::B(if ty.signed { x.bvslt(&y) } else { x.bvult(&y) })
            }
            Term::Le(a, b) if matches!(a.sort(), Sort::Bits(_)) => {
                let ((x, ty), (y, _)) = (self.bv(a)?, self.bv(b)?);
                Z::B(if ty.signed { x.bvsle(&y) } else { x.bvule(&y) })
            }
            Term::Int(i) => Z::I(Int::from_i128(*i)),
            Term::Bool(b) => Z::B(Bool::from_bool(*b)),
            Term::Str(s) => Z::S(str_lit(s)?),
            Term::Sym(id, sort) => self.sym(*id, *sort),
            Term::Add(a, b) => Z::I(Int::add(&[self.int(a)?, self.int(b)?])),
            Term::Sub(a, b) => Z::I(Int::sub(&[self.int(a)?, self.int(b)?])),
            Term::Mul(a, b) => Z::I(Int::mul(&[self.int(a)?, self.int(b)?])),
            Term::FloorDiv(a, b) => Z::I(floor_div(&self.int(a)?, &self.int(b)?, b.as_int())),
            Term::Mod(a, b) => Z::I(floor_mod(&self.int(a)?, &self.int(b)?, b.as_int())),
            Term::Neg(a) => Z::I(self.int(a)?.unary_minus()),
            Term::Eq(a, b) => {
                let (x, y) = (self.get(a)?, self.get(b)?);
                Z::B(match (x, y) {
                    (Z::I(x), Z::I(y)) => x.eq(&y),
                    (Z::B(x), Z::B(y)) => x.eq(&y),
                    (Z::S(x), Z::S(y)) => x.eq(&y),
                    (Z::V(x, tx), Z::V(y, ty)) if tx.bits == ty.bits && tx.signed == ty.signed => {
                        x.eq(&y)
                    }
                    // Values of different sorts are never equal, as in `term::eval`.
                    _ => Bool::from_bool(false),
                })
            }
            Term::Lt(a, b) => Z::B(self.int(a)?.lt(&self.int(b)?)),
            Term::Le(a, b) => Z::B(self.int(a)?.le(&self.int(b)?)),
            Term::Not(a) => Z::B(self.boolean(a)?.not()),
            Term::And(v) => {
                let items = v.iter().map(|x| self.boolean(x)).collect::<Res<Vec<_>>>()?;
                Z::B(Bool::and(&items))
            }
            Term::Or(v) => {
                let items = v.iter().map(|x| self.boolean(x)).collect::<Res<Vec<_>>>()?;
                Z::B(Bool::or(&items))
            }
            Term::Ite(c, a, b) => {
                let c = self.boolean(c)?;
                match (self.get(a)?, self.get(b)?) {
                    (Z::I(x), Z::I(y)) => Z::I(c.ite(&x, &y)),
                    (Z::B(x), Z::B(y)) => Z::B(c.ite(&x, &y)),
                    (Z::S(x), Z::S(y)) => Z::S(c.ite(&x, &y)),
                    (Z::V(x, tx), Z::V(y, ty)) if tx.bits == ty.bits => Z::V(c.ite(&x, &y), tx),
                    _ => return Err(ill_sorted("if-then-else branches differ")),
                }
            }
            Term::Concat(v) => {
                let items = v.iter().map(|x| self.string(x)).collect::<Res<Vec<_>>>()?;
                match items.len() {
                    0 => Z::S(str_lit("")?),
                    1 => Z::S(items[0].clone()),
                    _ => Z::S(ZStr::concat(&items)),
                }
            }
            Term::StrLen(a) => Z::I(self.string(a)?.length()),
            Term::Contains(a, b) => Z::B(self.string(a)?.contains(&self.string(b)?)),
            Term::PrefixOf(a, b) => Z::B(self.string(a)?.prefix(&self.string(b)?)),
            Term::SuffixOf(a, b) => Z::B(self.string(a)?.suffix(&self.string(b)?)),
            Term::IntToStr(a) => Z::S(self.int_to_str(&self.int(a)?)?),
            Term::Float(bits) => Z::F(Float::from_f64(f64::from_bits(*bits))),
            Term::FArith(op, a, b) => {
                let (x, y) = (self.float(a)?, self.float(b)?);
                let rne = RoundingMode::round_nearest_ties_to_even();
                Z::F(match op {
                    FOp::Add => x.add_with_rounding_mode(&y, &rne),
                    FOp::Sub => x.sub_with_rounding_mode(&y, &rne),
                    FOp::Mul => x.mul_with_rounding_mode(&y, &rne),
                    FOp::Div => x.div_with_rounding_mode(&y, &rne),
                })
            }
            // Python's `==` on doubles is IEEE equality: `0.0 == -0.0`, `inf == inf`.
            Term::FEq(a, b) => Z::B(self.float(a)?.eq_fpa(&self.float(b)?)),
            // Rounding the decimals a caller means to doubles (`to_fp` of a real) does not
            // finish on Z3 4.8.12 even for `a + b == c`; the backend never sends it.
            Term::RealEq(..) => return Err(DECIMAL_INTENT.into()),
        })
    }

    fn float(&mut self, t: &Term) -> Res<Float> {
        match self.term(t)? {
            Z::F(f) => Ok(f),
            _ => Err(ill_sorted("expected a Float")),
        }
    }

    /// `x` is a finite double (neither NaN nor an infinity).
    pub fn finite(&mut self, id: SymId) -> Bool {
        let Z::F(f) = self.sym(id, Sort::Float) else {
            return Bool::from_bool(true);
        };
        Bool::or(&[f.is_nan(), f.is_infinite()]).not()
    }

    /// Python's `str(n)`. SMT-LIB's `str.from_int` is "" for negatives, so the sign is
    /// spelled out and `str.from_int` only ever sees a non-negative argument.
    fn int_to_str(&mut self, n: &Int) -> Res<ZStr> {
        let decls = self
            .decls()
            .ok_or_else(|| "str.from_int unavailable in this Z3".to_string())?;
        let apply = |x: &Int| -> Res<ZStr> {
            decls
                .from_int
                .apply(&[x as &dyn Ast])
                .as_string()
                .ok_or_else(|| "str.from_int did not return a string".to_string())
        };
        let neg = n.lt(Int::from_i64(0));
        let minus = ZStr::concat(&[str_lit("-")?, apply(&n.unary_minus())?]);
        Ok(neg.ite(&minus, &apply(n)?))
    }

    /// A symbol's value in `model`, completed to a default when the model leaves it free.
    pub fn value(&mut self, model: &Model, id: SymId, sort: Sort) -> Option<Val> {
        let z = self.sym(id, sort);
        self.eval(model, &z)
    }

    /// Evaluate a translated term in `model`.
    pub fn eval(&mut self, model: &Model, z: &Z) -> Option<Val> {
        match z {
            Z::I(i) => model.eval(i, true)?.as_i128().map(Val::Int),
            Z::B(b) => model.eval(b, true)?.as_bool().map(Val::Bool),
            Z::S(s) => self.str_value(model, s).map(Val::Str),
            Z::F(f) => model.eval(&f.to_ieee_bv(), true)?.as_u64().map(Val::Float),
            Z::V(v, ty) => bv_value(model, v, *ty),
        }
    }

    /// Z3 4.8.12 prints characters outside printable ASCII as `\u{..}` but leaves a
    /// literal backslash alone, so the printed form can be ambiguous. Decode it, confirm the
    /// reading in the model, and only if that fails read the characters one by one.
    fn str_value(&mut self, model: &Model, s: &ZStr) -> Option<String> {
        let printed = model.eval(s, true)?.as_string()?;
        if !printed.contains('\\') {
            return Some(printed);
        }
        let decoded = decode_printed(&printed);
        if let Ok(lit) = str_lit(&decoded)
            && model.eval(&s.eq(&lit), true)?.as_bool() == Some(true)
        {
            return Some(decoded);
        }
        let len = model.eval(&s.length(), true)?.as_i64()?;
        let decls = self.decls()?;
        let mut out = String::new();
        for i in 0..len {
            let code = decls
                .to_code
                .apply(&[&s.at(Int::from_i64(i)) as &dyn Ast])
                .as_int()?;
            let code = model.eval(&code, true)?.as_i64()?;
            out.push(char::from_u32(u32::try_from(code).ok()?)?);
        }
        Some(out)
    }
}

/// Undo Z3's `\u{..}` escapes where they denote a character Z3 would have escaped (a
/// printable ASCII character in that form is literal text).
fn decode_printed(printed: &str) -> String {
    let mut out = String::with_capacity(printed.len());
    let mut rest = printed;
    while let Some(pos) = rest.find("\\u{") {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 3..];
        let decoded = after.find('}').and_then(|end| {
            let code = u32::from_str_radix(&after[..end], 16).ok()?;
            let c = char::from_u32(code).filter(|_| !(0x20..0x7f).contains(&code))?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('\\');
                rest = &rest[pos + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A bit-vector's value in a model. `BV::as_u64` reads at most 64 bits (unsigned), so
/// wider values are read in two halves.
pub fn bv_value(model: &Model, v: &BV, ty: IntTy) -> Option<Val> {
    let raw = if ty.bits <= 64 {
        u128::from(model.eval(v, true)?.as_u64()?)
    } else {
        let high = model.eval(&v.extract(127, 64), true)?.as_u64()?;
        let low = model.eval(&v.extract(63, 0), true)?.as_u64()?;
        (u128::from(high) << 64) | u128::from(low)
    };
    Some(Val::Bits(ty.mask(raw), ty))
}

/// A bit-vector constant of the type's width.
pub fn bv_lit(raw: u128, ty: IntTy) -> Res<BV> {
    BV::from_str(ty.bits.into(), &ty.mask(raw).to_string())
        .ok_or_else(|| "bit-vector literal rejected".to_string())
}

/// `x` of type `from` as `width` bits: truncation, or sign/zero extension by the source's
/// signedness (Rust's `as` between integers).
fn resize(x: &BV, from: IntTy, width: u32) -> BV {
    let have = u32::from(from.bits);
    match width.cmp(&have) {
        std::cmp::Ordering::Less => x.extract(width - 1, 0),
        std::cmp::Ordering::Equal => x.clone(),
        std::cmp::Ordering::Greater if from.signed => x.sign_ext(width - have),
        std::cmp::Ordering::Greater => x.zero_ext(width - have),
    }
}

/// A shift amount of type `aty` as Rust's wrapping shift uses it on a `width`-bit value:
/// its low bits (`amount & (width - 1)`), at the value's width.
fn shift_amount(y: &BV, aty: IntTy, width: u32) -> BV {
    let low = y.bvand(BV::from_u64(u64::from(width - 1), aty.bits.into()));
    resize(&low, IntTy::new(aty.bits, false), width)
}

/// Rust's wrapping `x op y` on `ty` (`y` of type `yty`; it differs only for shifts).
fn bv_op(op: BvOp, ty: IntTy, x: &BV, y: &BV, yty: IntTy) -> BV {
    let s = ty.signed;
    match op {
        BvOp::Add => x.bvadd(y),
        BvOp::Sub => x.bvsub(y),
        BvOp::Mul => x.bvmul(y),
        // Rust's `/` truncates and `%` takes the dividend's sign: `bvsdiv`/`bvsrem`.
        // (`MIN / -1` wraps to `MIN` in both; a zero divisor is its own obligation.)
        BvOp::Div if s => x.bvsdiv(y),
        BvOp::Div => x.bvudiv(y),
        BvOp::Rem if s => x.bvsrem(y),
        BvOp::Rem => x.bvurem(y),
        BvOp::Shl => x.bvshl(shift_amount(y, yty, ty.bits.into())),
        BvOp::Shr if s => x.bvashr(shift_amount(y, yty, ty.bits.into())),
        BvOp::Shr => x.bvlshr(shift_amount(y, yty, ty.bits.into())),
        BvOp::And => x.bvand(y),
        BvOp::Or => x.bvor(y),
        BvOp::Xor => x.bvxor(y),
    }
}

/// The mathematical result of `x op y` falls outside `ty`. Stated exactly: the operands
/// are extended (by their signedness) to a width where the operation cannot wrap, and
/// the result must survive truncation back to the type. This avoids relying on the
/// `bv*_no_overflow` predicates of one Z3 version for every signed/unsigned case.
fn bv_overflows(op: BvOp, ty: IntTy, x: &BV, y: &BV, yty: IntTy) -> Res<Bool> {
    let w = u32::from(ty.bits);
    let fits = |wide: &BV, extra: u32| -> Bool {
        let back = resize(&wide.extract(w - 1, 0), ty, w + extra);
        back.eq(wide).not()
    };
    Ok(match op {
        BvOp::Add | BvOp::Sub => {
            let (a, b) = (resize(x, ty, w + 1), resize(y, ty, w + 1));
            let wide = if op == BvOp::Add {
                a.bvadd(&b)
            } else {
                a.bvsub(&b)
            };
            // Unsigned `a - b` below zero shows as a set top bit of the wide result,
            // which truncation then zero extension clears.
            fits(&wide, 1)
        }
        // A double-width product is a 2w x 2w multiplier for the bit-blaster (128 bits
        // for every `u64` product: most of the solving time on real crates); Z3's own
        // unsigned predicate encodes the same question with a smaller circuit. Its signed
        // predicates are wrong on 4.8.12 (`2_i8 * -1_i8` "overflows"), which the
        // agreement test below caught: signed products stay widened.
        BvOp::Mul if !ty.signed => x.bvmul_no_overflow(y, false).not(),
        BvOp::Mul => {
            let (a, b) = (resize(x, ty, 2 * w), resize(y, ty, 2 * w));
            fits(&a.bvmul(&b), w)
        }
        BvOp::Div | BvOp::Rem if ty.signed => {
            let min = x.eq(bv_lit(ty.min_raw(), ty)?);
            let minus_one = y.eq(BV::from_i64(-1, w));
            Bool::and(&[min, minus_one])
        }
        BvOp::Div | BvOp::Rem => Bool::from_bool(false),
        BvOp::Shl | BvOp::Shr => {
            let yw = u32::from(yty.bits);
            y.bvuge(BV::from_u64(u64::from(w), yw))
        }
        BvOp::And | BvOp::Or | BvOp::Xor => Bool::from_bool(false),
    })
}

/// Python `//`. Z3's `div` is Euclidean (remainder always non-negative), which agrees with
/// floor division for a positive divisor; for a negative one, floor(a/b) = floor(-a/-b).
pub fn floor_div(a: &Int, b: &Int, const_b: Option<i128>) -> Int {
    match const_b {
        Some(k) if k > 0 => a.div(b),
        Some(k) if k < 0 => a.unary_minus().div(b.unary_minus()),
        _ => b
            .gt(Int::from_i64(0))
            .ite(&a.div(b), &a.unary_minus().div(b.unary_minus())),
    }
}

/// Python `%`: `a - b * (a // b)`, which takes the sign of the divisor.
pub fn floor_mod(a: &Int, b: &Int, const_b: Option<i128>) -> Int {
    match const_b {
        // Euclidean and floor modulo coincide for a positive divisor.
        Some(k) if k > 0 => a.modulo(b),
        _ => Int::sub(&[a.clone(), Int::mul(&[b.clone(), floor_div(a, b, const_b)])]),
    }
}

/// A Z3 string literal for `s`. Z3 4.8.12 reads `\u{..}` escapes in literals and feeds
/// non-ASCII bytes through one by one, so everything outside printable ASCII, and the
/// backslash itself, goes in escaped.
pub fn str_lit(s: &str) -> Res<ZStr> {
    let mut enc = String::with_capacity(s.len());
    for c in s.chars() {
        let u = c as u32;
        if u > Z3_MAX_CHAR {
            return Err(format!(
                "string holds a character beyond Z3's range (U+{u:X})"
            ));
        }
        if (0x20..0x7f).contains(&u) && c != '\\' {
            enc.push(c);
        } else {
            enc.push_str(&format!("\\u{{{u:x}}}"));
        }
    }
    ZStr::from_str(&enc).map_err(|_| "string literal rejected".to_string())
}

/// Direct children of a node, in argument order.
pub fn children(t: &Term) -> Vec<&Term> {
    t.children()
}

/// What a set of terms holds, found in one walk over the DAG (each node once).
#[derive(Default)]
pub struct Shape {
    /// Distinct nodes.
    pub nodes: usize,
    /// Nodes of the tree expansion (saturating): the work `term::eval` does.
    pub tree_nodes: u64,
    /// Longest root-to-leaf path: the recursion depth of `term::eval`.
    pub depth: usize,
    /// Anything of sort Str, which needs the string solver.
    pub strings: bool,
    /// Anything of sort Float, which needs floating point and real arithmetic.
    pub floats: bool,
    /// Fixed-width integers (bit-vectors).
    pub bits: bool,
    /// Anything of sort Int (unbounded integers).
    pub ints: bool,
    /// A `//` or `%` of a nonlinear dividend (`(1 + r) * r % 3`): Z3 4.8.12 can spend tens
    /// of seconds on such a query whatever its rlimit, so it is not asked.
    pub nonlinear_division: bool,
}

/// Measure terms without expanding shared subterms.
pub fn shape<'a>(roots: impl IntoIterator<Item = &'a Term>) -> Shape {
    // Per node: (tree size, depth, nonlinear: a product of two non-constant factors).
    let mut memo: HashMap<*const Term, (u64, usize, bool)> = HashMap::new();
    let mut out = Shape::default();
    // A product of unknowns and a division by an unknown in one query is as bad: 53 s on
    // `(5 - |a| % b) * (5 - |a| % b) < ...` whatever the rlimit.
    let (mut products, mut symbolic_divisors) = (false, false);
    for root in roots {
        let mut stack: Vec<(&Term, bool)> = vec![(root, false)];
        while let Some((t, ready)) = stack.pop() {
            let k = t as *const Term;
            if memo.contains_key(&k) {
                continue;
            }
            let kids = children(t);
            if !ready {
                stack.push((t, true));
                stack.extend(kids.into_iter().map(|c| (c, false)));
                continue;
            }
            let (mut size, mut depth, mut nonlinear) = (1u64, 1usize, false);
            for c in &kids {
                let (s, d, n) = memo
                    .get(&(*c as *const Term))
                    .copied()
                    .unwrap_or((1, 1, false));
                size = size.saturating_add(s);
                depth = depth.max(d + 1);
                nonlinear |= n;
            }
            let symbolic = |x: &Term| !matches!(x, Term::Int(_));
            match t {
                Term::Mul(a, b) if symbolic(a) && symbolic(b) => {
                    nonlinear = true;
                    products = true;
                }
                Term::FloorDiv(a, b) | Term::Mod(a, b) => {
                    symbolic_divisors |= symbolic(b);
                    let dividend_nonlinear =
                        memo.get(&(&**a as *const Term)).is_some_and(|(_, _, n)| *n);
                    if dividend_nonlinear || (symbolic(b) && nonlinear) {
                        out.nonlinear_division = true;
                    }
                    nonlinear |= symbolic(b);
                }
                _ => {}
            }
            out.strings |= t.sort() == Sort::Str;
            out.floats |= t.sort() == Sort::Float;
            out.bits |= matches!(t.sort(), Sort::Bits(_));
            out.ints |= t.sort() == Sort::Int;
            out.nodes += 1;
            memo.insert(k, (size, depth, nonlinear));
        }
        let (size, depth, _) = memo
            .get(&(root as *const Term))
            .copied()
            .unwrap_or((1, 1, false));
        out.tree_nodes = out.tree_nodes.saturating_add(size);
        out.depth = out.depth.max(depth);
    }
    out.nonlinear_division |= products && symbolic_divisors;
    out
}

/// Symbols of a term with the sort they are used at, first occurrence first.
pub fn symbols_of(root: &Term, out: &mut Vec<(SymId, Sort)>) {
    let mut seen: HashSet<*const Term> = HashSet::new();
    let mut stack: Vec<&Term> = vec![root];
    while let Some(t) = stack.pop() {
        if !seen.insert(t as *const Term) {
            continue;
        }
        if let Term::Sym(id, sort) = t
            && !out.contains(&(*id, *sort))
        {
            out.push((*id, *sort));
        }
        stack.extend(children(t).into_iter().rev());
    }
}

/// Characters of the string constants in a term, first occurrence first.
pub fn constant_chars(root: &Term, out: &mut Vec<char>) {
    let mut seen: HashSet<*const Term> = HashSet::new();
    let mut stack: Vec<&Term> = vec![root];
    while let Some(t) = stack.pop() {
        if !seen.insert(t as *const Term) {
            continue;
        }
        if let Term::Str(s) = t {
            for c in s.chars() {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        stack.extend(children(t).into_iter().rev());
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use super::*;
    use crate::term::{self, eval};

    fn types() -> Vec<IntTy> {
        [8u8, 16, 32, 64, 128]
            .iter()
            .flat_map(|b| [IntTy::new(*b, false), IntTy::new(*b, true)])
            .collect()
    }

    /// The values where fixed-width arithmetic goes wrong: zero, one, the edges and their
    /// neighbours, all ones, and the sign bit alone.
    fn edges(ty: IntTy) -> Vec<u128> {
        let mut v = vec![0, 1, 2, 3, 7, ty.max_raw(), ty.min_raw()];
        v.push(ty.mask(ty.max_raw().wrapping_sub(1)));
        v.push(ty.mask(ty.min_raw().wrapping_add(1)));
        v.push(ty.mask(u128::MAX));
        v.push(ty.mask(1u128 << (ty.bits - 1)));
        v.sort();
        v.dedup();
        v
    }

    /// Z3's value of a ground term, in a model of the empty solver.
    fn z3_value(solver: &Solver, t: &T) -> Option<Val> {
        let mut tr = Translator::default();
        let z = tr.term(t).ok()?;
        solver.check();
        let model = solver.get_model()?;
        tr.eval(&model, &z)
    }

    /// Every wrapping operation, every overflow predicate and every cast gives in Z3 what
    /// Rust computes (our evaluator is Rust's own `wrapping_*`/`checked_*`), on the edge
    /// values of every width and signedness.
    #[test]
    fn z3_agrees_with_rust_on_edge_values() {
        use BvOp::*;
        z3::with_z3_config(&z3::Config::new(), || {
            let solver = Solver::new_for_logic("QF_BV").unwrap_or_default();
            let env = BTreeMap::new();
            let mut checked = 0;
            for ty in types() {
                for &a in &edges(ty) {
                    for &b in &edges(ty) {
                        for op in [Add, Sub, Mul, Div, Rem, And, Or, Xor] {
                            let (x, y) = (term::bits(a, ty), term::bits(b, ty));
                            let value = Arc::new(Term::Bv(op, ty, x.clone(), y.clone()));
                            let over = Arc::new(Term::BvOverflows(op, ty, x, y));
                            for t in [value, over] {
                                let Some(ours) = eval(&t, &env) else {
                                    // A zero divisor: Rust panics, there is nothing to compare.
                                    assert!(matches!(op, Div | Rem) && b == 0);
                                    continue;
                                };
                                assert_eq!(
                                    z3_value(&solver, &t),
                                    Some(ours),
                                    "{op:?} on {} and {}",
                                    ty.literal(a),
                                    ty.literal(b)
                                );
                                checked += 1;
                            }
                        }
                    }
                    for to in types() {
                        let t = Arc::new(Term::Cast(to, term::bits(a, ty)));
                        assert_eq!(z3_value(&solver, &t), eval(&t, &env));
                    }
                    // Shift amounts of another type, in and past the width, and negative.
                    for amount in [0i128, 1, 7, 8, 31, 63, 64, 127, 128, 200, -1] {
                        let aty = IntTy::new(32, true);
                        for op in [Shl, Shr] {
                            let (x, y) = (term::bits(a, ty), term::bits_of_int(amount, aty));
                            for t in [
                                Arc::new(Term::Bv(op, ty, x.clone(), y.clone())),
                                Arc::new(Term::BvOverflows(op, ty, x, y)),
                            ] {
                                assert_eq!(
                                    z3_value(&solver, &t),
                                    eval(&t, &env),
                                    "{op:?} {} by {amount}",
                                    ty.literal(a)
                                );
                            }
                        }
                    }
                }
            }
            assert!(checked > 5_000);
        });
    }

    /// Products of arbitrary values (a fixed pseudo-random sequence), where the unsigned
    /// overflow goes through Z3's own predicate.
    #[test]
    fn z3_agrees_on_products_beyond_the_edges() {
        z3::with_z3_config(&z3::Config::new(), || {
            let solver = Solver::new_for_logic("QF_BV").unwrap_or_default();
            let env = BTreeMap::new();
            let mut seed: u128 = 0x9e37_79b9_7f4a_7c15;
            let mut next = || {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                // Mostly small magnitudes, where products straddle the limits.
                seed >> (64 + (seed % 61) as u32)
            };
            for ty in types() {
                for _ in 0..60 {
                    let (x, y) = (term::bits(next(), ty), term::bits(next(), ty));
                    let t = Arc::new(Term::BvOverflows(BvOp::Mul, ty, x, y));
                    assert_eq!(z3_value(&solver, &t), eval(&t, &env), "{t:?}");
                }
            }
        });
    }

    /// Signed and unsigned comparisons read the same bits differently.
    #[test]
    fn comparisons_follow_signedness() {
        z3::with_z3_config(&z3::Config::new(), || {
            let solver = Solver::new_for_logic("QF_BV").unwrap_or_default();
            let env = BTreeMap::new();
            for ty in [IntTy::new(8, true), IntTy::new(8, false)] {
                let (a, b) = (term::bits(0xff, ty), term::bits(1, ty));
                for t in [
                    Arc::new(Term::Lt(a.clone(), b.clone())),
                    Arc::new(Term::Le(b.clone(), a.clone())),
                ] {
                    let ours = eval(&t, &env);
                    assert_eq!(
                        ours,
                        Some(Val::Bool(ty.signed == matches!(&*t, Term::Lt(..))))
                    );
                    assert_eq!(z3_value(&solver, &t), ours);
                }
            }
        });
    }
}
