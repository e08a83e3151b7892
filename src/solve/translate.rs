//! Terms to Z3 with Python semantics, and Z3 model values back to [`Val`]s.
//!
//! Everything here lives inside one Z3 context (the caller's `with_z3_config` closure).
//! Translations are memoised by node address: obligations of one file share path-condition
//! prefixes, and analysis terms are DAGs whose tree expansion can be exponential.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use z3::ast::{Ast, Bool, Float, Int, RoundingMode, String as ZStr};
use z3::{FuncDecl, Model, Solver};

use crate::term::{FOp, Sort, SymId, T, Term, Val};

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

    fn build(&mut self, t: &Term) -> Res<Z> {
        Ok(match t {
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
}

/// Measure terms without expanding shared subterms.
pub fn shape<'a>(roots: impl IntoIterator<Item = &'a Term>) -> Shape {
    // Per node: (tree size, depth).
    let mut memo: HashMap<*const Term, (u64, usize)> = HashMap::new();
    let mut out = Shape::default();
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
            let (mut size, mut depth) = (1u64, 1usize);
            for c in kids {
                let (s, d) = memo.get(&(c as *const Term)).copied().unwrap_or((1, 1));
                size = size.saturating_add(s);
                depth = depth.max(d + 1);
            }
            out.strings |= t.sort() == Sort::Str;
            out.floats |= t.sort() == Sort::Float;
            out.nodes += 1;
            memo.insert(k, (size, depth));
        }
        let (size, depth) = memo.get(&(root as *const Term)).copied().unwrap_or((1, 1));
        out.tree_nodes = out.tree_nodes.saturating_add(size);
        out.depth = out.depth.max(depth);
    }
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
