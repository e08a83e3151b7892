//! Canonical, minimal counterexamples, re-checked by our own evaluator.
//!
//! Z3's model for a satisfiable query depends on what the context solved before, so the
//! model is only a starting point: each symbol of the cone of influence is pinned, in the
//! obligation's symbol order, to the smallest value that keeps the query satisfiable (Bool:
//! false first; Int: smallest magnitude, non-negative first; Str: shortest, then `a` or a
//! forced or preferred character per position). The result depends on the obligation only.
//! Every pinned value is read from a model Z3 returned, so a refused or unknown query never
//! leaves the pinned set unsatisfiable.

use std::collections::{BTreeMap, BTreeSet};

use z3::ast::{BV, Bool, Int, String as ZStr};
use z3::{Model, Solver};

use super::translate::{self, Z, str_lit};
use super::z3_backend::{Session, Verdict};
use super::{Obligation, Outcome};
use crate::term::{IntTy, Origin, Sort, SymId, Symbol, Term, Val, eval};

/// Solver queries spent on minimising one counterexample; past it, the remaining symbols
/// keep the current model's values.
const MAX_QUERIES: u32 = 64;
/// The same for obligations over strings.
const MAX_STRING_QUERIES: u32 = 12;
/// Characters tried at a string position that can be neither `a` nor a forced character.
const MAX_PREFERRED: usize = 6;

const NO_RECHECK: &str = "counterexample did not re-check";
const NO_MODEL: &str = "could not read the model";

/// Every symbol of the obligation with the sort it is used at, and its cone of influence:
/// the symbols of `bad`, closed over path conjuncts that share one, plus those `shown` needs.
pub(super) fn symbols_and_cone(ob: &Obligation) -> (Vec<(SymId, Sort)>, BTreeSet<SymId>) {
    // Every symbol with the sort it is used at, and the symbols of each path conjunct.
    let mut all: Vec<(SymId, Sort)> = Vec::new();
    let conj_syms: Vec<Vec<(SymId, Sort)>> = ob
        .path_condition
        .iter()
        .map(|t| {
            let mut v = Vec::new();
            translate::symbols_of(t, &mut v);
            v
        })
        .collect();
    let mut bad_syms = Vec::new();
    translate::symbols_of(&ob.bad, &mut bad_syms);
    let mut shown_syms = Vec::new();
    for (_, t) in &ob.shown {
        translate::symbols_of(t, &mut shown_syms);
    }
    for (id, s) in conj_syms
        .iter()
        .flatten()
        .chain(&bad_syms)
        .chain(&shown_syms)
    {
        if !all.iter().any(|(i, _)| i == id) {
            all.push((*id, *s));
        }
    }

    // Cone of influence: the symbols of `bad`, closed over path conjuncts that share one.
    let mut cone: BTreeSet<SymId> = bad_syms.iter().map(|(id, _)| *id).collect();
    let mut taken = vec![false; conj_syms.len()];
    loop {
        let mut grew = false;
        for (k, syms) in conj_syms.iter().enumerate() {
            if !taken[k] && syms.iter().any(|(id, _)| cone.contains(id)) {
                taken[k] = true;
                cone.extend(syms.iter().map(|(id, _)| *id));
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    cone.extend(shown_syms.iter().map(|(id, _)| *id));
    (all, cone)
}

pub(super) fn counterexample(
    sess: &mut Session<'_>,
    solver: &Solver,
    ob: &Obligation,
    model: Model,
) -> Outcome {
    let (all, cone) = symbols_and_cone(ob);

    // Canonical order: the obligation's, then (defensively) any symbol it forgot.
    let mut order: Vec<Symbol> = Vec::new();
    for s in &ob.symbols {
        if cone.contains(&s.id) && !order.iter().any(|o| o.id == s.id) {
            order.push(s.clone());
        }
    }
    for (id, sort) in &all {
        if cone.contains(id) && !order.iter().any(|o| o.id == *id) {
            order.push(Symbol {
                id: *id,
                name: format!("_{id}"),
                sort: *sort,
                origin: Origin::Opaque,
            });
        }
    }
    let used_sort = |id: SymId, fallback: Sort| {
        all.iter()
            .find(|(i, _)| *i == id)
            .map_or(fallback, |(_, s)| *s)
    };

    let mut min = Minimiser {
        sess,
        solver,
        model,
        // String queries on 4.8.12 cost milliseconds each: a shorter, still canonical
        // search (length first) keeps one violated string site from costing a second.
        left: if all.iter().any(|(_, s)| *s == Sort::Str) {
            MAX_STRING_QUERIES
        } else {
            MAX_QUERIES
        },
        preferred: preferred_chars(ob),
    };
    let mut env: BTreeMap<SymId, Val> = BTreeMap::new();
    let mut witness = Vec::with_capacity(order.len());
    for sym in order {
        let sort = used_sort(sym.id, sym.sort);
        let Some(v) = min.pin(sym.id, sort) else {
            return Outcome::Unknown(NO_MODEL.into());
        };
        env.insert(sym.id, v.clone());
        witness.push((sym, v));
    }
    // Symbols outside the cone take the final model's values (or a default) so that every
    // conjunct evaluates; they are independent of the cone, so this cannot change it.
    for (id, sort) in &all {
        if !env.contains_key(id) {
            let v = min
                .sess
                .tr
                .value(&min.model, *id, *sort)
                .unwrap_or_else(|| default_of(*sort));
            env.insert(*id, v);
        }
    }

    let holds = |t: &Term| eval(t, &env) == Some(Val::Bool(true));
    if !ob.path_condition.iter().all(|t| holds(t)) || !holds(&ob.bad) {
        return Outcome::Unknown(NO_RECHECK.into());
    }
    let mut shown = Vec::with_capacity(ob.shown.len());
    for (name, t) in &ob.shown {
        let v = eval(t, &env).or_else(|| {
            let z = min.sess.tr.term(t).ok()?;
            min.sess.tr.eval(&min.model, &z)
        });
        if let Some(v) = v {
            shown.push((name.clone(), v));
        }
    }
    Outcome::Violated { witness, shown }
}

/// Characters of the obligation's own string constants (what a sink looks for) first, then
/// a few plain ones. Taken from the obligation alone so the choice stays canonical.
fn preferred_chars(ob: &Obligation) -> Vec<char> {
    let mut consts = Vec::new();
    for t in ob.path_condition.iter().chain(std::iter::once(&ob.bad)) {
        translate::constant_chars(t, &mut consts);
    }
    let mut out: Vec<char> = Vec::new();
    for c in consts.into_iter().chain(['b', '0', ' ', '\'']) {
        if c != 'a' && !out.contains(&c) {
            out.push(c);
        }
        if out.len() == MAX_PREFERRED {
            break;
        }
    }
    out
}

fn default_of(sort: Sort) -> Val {
    match sort {
        Sort::Int => Val::Int(0),
        Sort::Bool => Val::Bool(false),
        Sort::Str => Val::Str(String::new()),
        Sort::Float => Val::Float(0f64.to_bits()),
        Sort::Bits(ty) => Val::Bits(0, ty),
    }
}

struct Minimiser<'s, 'w> {
    sess: &'s mut Session<'w>,
    solver: &'s Solver,
    /// The latest model; it satisfies everything pinned so far.
    model: Model,
    left: u32,
    /// Characters tried at a free string position after `a`.
    preferred: Vec<char>,
}

impl Minimiser<'_, '_> {
    /// Is the query still satisfiable under `extra`? On yes, the model moves along.
    fn can(&mut self, extra: &Bool) -> bool {
        if self.left == 0 || self.sess.file_exhausted() {
            return false;
        }
        self.left -= 1;
        match self.sess.query(self.solver, Some(extra)) {
            Verdict::Sat(m) => {
                self.model = m;
                true
            }
            Verdict::Unsat => false,
            // A timeout here predicts timeouts for the rest: keep the current model.
            Verdict::Unknown(_) => {
                self.left = 0;
                false
            }
        }
    }

    /// Choose the symbol's value and assert it for the symbols that follow.
    fn pin(&mut self, id: SymId, sort: Sort) -> Option<Val> {
        let z = self.sess.tr.sym(id, sort);
        let (v, fixed) = match &z {
            Z::B(b) => {
                let v = self.min_bool(b)?;
                (Val::Bool(v), b.eq(Bool::from_bool(v)))
            }
            Z::I(x) => {
                let v = self.min_int(x)?;
                (Val::Int(v), x.eq(Int::from_i128(v)))
            }
            Z::S(s) => {
                let v = self.min_str(s)?;
                let lit = str_lit(&v).ok()?;
                (Val::Str(v), s.eq(&lit))
            }
            Z::V(x, ty) => {
                let v = self.min_bits(x, *ty)?;
                let lit = translate::bv_lit(v, *ty).ok()?;
                (Val::Bits(v, *ty), x.eq(&lit))
            }
            // Doubles are taken as the model has them: no shorter form is searched for.
            Z::F(f) => {
                let bits = self.model.eval(&f.to_ieee_bv(), true)?.as_u64()?;
                let same = f.to_ieee_bv().eq(z3::ast::BV::from_u64(bits, 64));
                (Val::Float(bits), same)
            }
        };
        self.solver.assert(&fixed);
        Some(v)
    }

    fn bits_of(&self, x: &BV, ty: IntTy) -> Option<u128> {
        match translate::bv_value(&self.model, x, ty)? {
            Val::Bits(raw, _) => Some(raw),
            _ => None,
        }
    }

    /// The fixed-width value nearest to zero (non-negative first), as for ints: the
    /// magnitude is bounded by doubling then bisection, each bound one query.
    fn min_bits(&mut self, x: &BV, ty: IntTy) -> Option<u128> {
        let m = self.bits_of(x, ty)?;
        let zero = translate::bv_lit(0, ty).ok()?;
        if m == 0 || self.can(&x.eq(&zero)) {
            return Some(0);
        }
        let magnitude = |raw: u128| {
            if ty.signed {
                ty.signed_of(raw).unsigned_abs()
            } else {
                raw
            }
        };
        let top = magnitude(self.bits_of(x, ty)?);
        // `-k <= x <= k` (signed) or `x <= k` (unsigned), for a magnitude `k`.
        let within = |k: u128| -> Option<Bool> {
            let hi = translate::bv_lit(k.min(ty.max_raw()), ty).ok()?;
            Some(if ty.signed {
                let lo = translate::bv_lit(ty.wrap(-(k.min(ty.max_raw()) as i128)), ty).ok()?;
                Bool::and(&[x.bvsge(&lo), x.bvsle(&hi)])
            } else {
                x.bvule(&hi)
            })
        };
        let (mut lo, mut hi) = (0u128, top);
        let mut k = 1u128;
        while k < hi {
            match within(k) {
                Some(c) if self.can(&c) => {
                    hi = magnitude(self.bits_of(x, ty)?).min(hi);
                    break;
                }
                _ => lo = k,
            }
            k = k.saturating_mul(2);
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            match within(mid) {
                Some(c) if self.can(&c) => hi = magnitude(self.bits_of(x, ty)?).min(mid),
                _ => lo = mid,
            }
        }
        let v = self.bits_of(x, ty)?;
        if ty.signed && ty.signed_of(v) < 0 {
            let flipped = translate::bv_lit(v.wrapping_neg(), ty).ok()?;
            if self.can(&x.eq(&flipped)) {
                return self.bits_of(x, ty);
            }
        }
        Some(v)
    }

    fn int_of(&self, x: &Int) -> Option<i128> {
        self.model.eval(x, true)?.as_i128()
    }

    fn min_bool(&mut self, b: &Bool) -> Option<bool> {
        if self.model.eval(b, true)?.as_bool()? && self.can(&b.not()) {
            return Some(false);
        }
        self.model.eval(b, true)?.as_bool()
    }

    fn min_int(&mut self, x: &Int) -> Option<i128> {
        let m = self.int_of(x)?;
        if m == 0 {
            return Some(0);
        }
        // Values pinned earlier often force this one: one query instead of a search.
        if !self.can(&x.ne(Int::from_i128(m))) {
            return Some(m);
        }
        let m = self.int_of(x)?;
        if m == 0 || self.can(&x.eq(Int::from_i64(0))) {
            return Some(0);
        }
        let Some(top) = m.checked_abs() else {
            return Some(m);
        };
        let within = |k: i128| Bool::and(&[x.ge(Int::from_i128(-k)), x.le(Int::from_i128(k))]);
        self.smallest_bound(0, top, |me, k| {
            if me.can(&within(k)) {
                me.int_of(x).and_then(i128::checked_abs)
            } else {
                None
            }
        });
        let v = self.int_of(x)?;
        if v < 0 && self.can(&x.eq(Int::from_i128(-v))) {
            return self.int_of(x);
        }
        Some(v)
    }

    /// Smallest `k` in `(lo, hi]` for which `probe` succeeds, given that it fails at `lo`
    /// and holds at `hi`: doubling from 1, then bisection. `probe` returns the value the
    /// new model actually reached (at most `k`), which can shortcut the search.
    fn smallest_bound(
        &mut self,
        mut lo: i128,
        mut hi: i128,
        mut probe: impl FnMut(&mut Self, i128) -> Option<i128>,
    ) -> i128 {
        let mut k: i128 = 1;
        while k < hi {
            if let Some(reached) = probe(self, k) {
                hi = reached.min(hi);
                break;
            }
            lo = k;
            k = k.saturating_mul(2);
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            match probe(self, mid) {
                Some(reached) => hi = reached.min(mid),
                None => lo = mid,
            }
        }
        hi
    }

    fn str_of(&mut self, s: &ZStr) -> Option<Vec<char>> {
        let v = self.sess.tr.eval(&self.model, &Z::S(s.clone()))?;
        match v {
            Val::Str(v) => Some(v.chars().collect()),
            _ => None,
        }
    }

    fn min_str(&mut self, s: &ZStr) -> Option<String> {
        let v = self.str_of(s)?;
        if v.is_empty() {
            return Some(String::new());
        }
        let lit = |c: char| str_lit(c.encode_utf8(&mut [0; 4]));
        if !self.can(&s.ne(&str_lit(&v.iter().collect::<String>()).ok()?)) {
            return Some(v.into_iter().collect());
        }
        if self.str_of(s)?.is_empty() || self.can(&s.eq(&str_lit("").ok()?)) {
            return Some(String::new());
        }
        let top = i128::try_from(self.str_of(s)?.len()).ok()?;
        self.smallest_bound(0, top, |me, k| {
            let n = i64::try_from(k).ok()?;
            if me.can(&s.length().le(Int::from_i64(n))) {
                me.str_of(s).and_then(|v| i128::try_from(v.len()).ok())
            } else {
                None
            }
        });
        // Pin the length the model reached so per-character queries cannot lengthen it.
        let len = self.str_of(s)?.len();
        self.solver
            .assert(s.length().eq(Int::from_i64(i64::try_from(len).ok()?)));
        let all_a: String = "a".repeat(len);
        if self.str_of(s)? == all_a.chars().collect::<Vec<_>>()
            || self.can(&s.eq(&str_lit(&all_a).ok()?))
        {
            return Some(all_a);
        }
        // Per position, the first feasible character of `a`, then the preferred ones. The
        // current model's character is feasible (positions before are pinned the same way,
        // positions after are free), which saves the queries after it in that order.
        let preferred = self.preferred.clone();
        for i in 0..len {
            let at = s.at(Int::from_i64(i64::try_from(i).ok()?));
            let current = *self.str_of(s)?.get(i)?;
            let chosen = if current == 'a' || (len > 1 && self.can(&at.eq(&lit('a').ok()?))) {
                'a'
            } else if let Some(rank) = preferred.iter().position(|&p| p == current) {
                let mut pick = current;
                for &p in &preferred[..rank] {
                    if self.can(&at.eq(&lit(p).ok()?)) {
                        pick = p;
                        break;
                    }
                }
                pick
            } else if !self.can(&at.ne(&lit(current).ok()?)) {
                // Forced (or out of queries): the model's character is the only choice.
                current
            } else {
                let mut pick = None;
                for &p in &preferred {
                    if self.can(&at.eq(&lit(p).ok()?)) {
                        pick = Some(p);
                        break;
                    }
                }
                match pick {
                    Some(p) => p,
                    // Nothing preferred fits: the model's character, the one choice here
                    // that is not canonical.
                    None => *self.str_of(s)?.get(i)?,
                }
            };
            self.solver.assert(at.eq(&lit(chosen).ok()?));
        }
        self.str_of(s).map(|v| v.into_iter().collect())
    }
}
