//! Counterexamples found by evaluation alone, before any Z3 call.
//!
//! Most violated sites are violated by an obvious value (`len(values) = 0`, a string
//! holding `'`): trying a few canonical candidates per symbol with our own evaluator finds
//! them in microseconds, and a witness found this way is re-checked by construction.
//! Candidates are ordered smallest first and symbols are varied in the obligation's
//! order (the first symbol slowest), so the witness is canonical. When no candidate works
//! the obligation goes to Z3, which alone can prove anything.

use std::collections::BTreeMap;

use super::witness::symbols_and_cone;
use super::{Obligation, Outcome};
use crate::term::{IntTy, Sort, SymId, Term, Val, eval};

/// Symbols an independent part of an obligation may have for the search to be worth it.
const MAX_SYMBOLS: usize = 16;
/// Assignments tried before giving up.
const MAX_TRIES: usize = 2_000;
/// Evaluation work (tree nodes) and depth beyond which the search is not tried.
const MAX_TREE_NODES: u64 = 5_000;
const MAX_DEPTH: usize = 200;
/// Candidates per symbol.
const MAX_CANDIDATES: usize = 10;

pub fn search(ob: &Obligation) -> Option<Outcome> {
    let (all, cone) = symbols_and_cone(ob);
    if all.is_empty() || !small_enough(ob) {
        return None;
    }
    // A symbol used at two sorts cannot get one value.
    for (i, (id, _)) in all.iter().enumerate() {
        if all[..i].iter().any(|(j, _)| j == id) {
            return None;
        }
    }
    let (ints, strs) = constants(ob);
    // Independent parts are searched apart: a long function's path mentions many
    // symbols, but a conjunct about one loop counter says nothing about a string met
    // elsewhere. Combining the first assignment of each part in candidate order is the
    // first assignment of the whole, so the witness is the one a search of the whole
    // would find, for a fraction of the tries.
    let mut env: BTreeMap<SymId, Val> = BTreeMap::new();
    for part in independent_parts(ob, &all) {
        if part.symbols.len() > MAX_SYMBOLS {
            return None;
        }
        // Candidates from the part's own constants: another part's cannot matter here,
        // and would crowd out the ones that do (`n == 225` among many small numbers).
        let (ints, strs) = constants_of(part.hold.iter().chain(&part.evaluate).copied());
        env.extend(search_part(&part, &ints, &strs)?);
    }
    if !(holds(&ob.bad, &env) && ob.path_condition.iter().all(|c| holds(c, &env))) {
        return None;
    }
    let witness = relevant(ob, &cone, &env, &ints, &strs);
    let mut shown = Vec::with_capacity(ob.shown.len());
    for (name, t) in &ob.shown {
        shown.push((name.clone(), eval(t, &env)?));
    }
    Some(Outcome::Violated { witness, shown })
}

/// Symbols that constrain each other, with the conditions that mention them: the path
/// conjuncts and the bad condition must hold, the shown values must evaluate.
struct Part<'o> {
    symbols: Vec<(SymId, Sort)>,
    hold: Vec<&'o Term>,
    evaluate: Vec<&'o Term>,
}

/// The obligation split into parts that share no symbol, each with its symbols in the
/// obligation's order.
fn independent_parts<'o>(ob: &'o Obligation, all: &[(SymId, Sort)]) -> Vec<Part<'o>> {
    let items: Vec<(&Term, bool)> = ob
        .path_condition
        .iter()
        .map(|c| (&**c, true))
        .chain(std::iter::once((&*ob.bad, true)))
        .chain(ob.shown.iter().map(|(_, t)| (&**t, false)))
        .collect();
    let position = |id: SymId| all.iter().position(|(j, _)| *j == id);
    // Union-find over positions in `all`.
    let mut parent: Vec<usize> = (0..all.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let item_symbols: Vec<Vec<usize>> = items
        .iter()
        .map(|(t, _)| {
            let mut v = Vec::new();
            super::translate::symbols_of(t, &mut v);
            v.into_iter().filter_map(|(id, _)| position(id)).collect()
        })
        .collect();
    for syms in &item_symbols {
        if let Some((first, rest)) = syms.split_first() {
            for s in rest {
                let (a, b) = (root(&mut parent, *first), root(&mut parent, *s));
                parent[b] = a;
            }
        }
    }
    let mut parts: Vec<(usize, Part)> = Vec::new();
    for (i, sym) in all.iter().enumerate() {
        let r = root(&mut parent, i);
        match parts.iter_mut().find(|(k, _)| *k == r) {
            Some((_, p)) => p.symbols.push(*sym),
            None => parts.push((
                r,
                Part {
                    symbols: vec![*sym],
                    hold: Vec::new(),
                    evaluate: Vec::new(),
                },
            )),
        }
    }
    for ((t, must_hold), syms) in items.iter().zip(&item_symbols) {
        let Some(first) = syms.first() else {
            continue;
        };
        let r = root(&mut parent, *first);
        if let Some((_, p)) = parts.iter_mut().find(|(k, _)| *k == r) {
            if *must_hold {
                p.hold.push(t);
            } else {
                p.evaluate.push(t);
            }
        }
    }
    parts.into_iter().map(|(_, p)| p).collect()
}

/// The first assignment of a part's symbols, in candidate order, under which its
/// conditions hold and its shown values evaluate.
fn search_part(part: &Part, ints: &[i128], strs: &[String]) -> Option<BTreeMap<SymId, Val>> {
    let candidates: Vec<Vec<Val>> = part
        .symbols
        .iter()
        .map(|(_, sort)| sort_candidates(*sort, ints, strs))
        .collect();
    let total = candidates
        .iter()
        .map(Vec::len)
        .try_fold(1usize, |acc, n| acc.checked_mul(n))
        .unwrap_or(usize::MAX);
    let try_assignment = |index: &[usize]| -> Option<BTreeMap<SymId, Val>> {
        let env: BTreeMap<SymId, Val> = part
            .symbols
            .iter()
            .enumerate()
            .map(|(k, (id, _))| (*id, candidates[k][index[k]].clone()))
            .collect();
        (part.hold.iter().all(|c| holds(c, &env))
            && part.evaluate.iter().all(|t| eval(t, &env).is_some()))
        .then_some(env)
    };
    let mut index = vec![0usize; part.symbols.len()];
    if total <= MAX_TRIES {
        // Every combination, the last symbol varying fastest.
        loop {
            if let Some(found) = try_assignment(&index) {
                return Some(found);
            }
            let mut k = part.symbols.len();
            loop {
                if k == 0 {
                    return None;
                }
                k -= 1;
                index[k] += 1;
                if index[k] < candidates[k].len() {
                    break;
                }
                index[k] = 0;
            }
        }
    }
    // Too many combinations: every symbol at its smallest candidate but one, which tries
    // its candidates in turn (a quote in any one part of a query is enough).
    if let Some(found) = try_assignment(&index) {
        return Some(found);
    }
    for k in (0..part.symbols.len()).rev() {
        for c in 1..candidates[k].len() {
            index[k] = c;
            if let Some(found) = try_assignment(&index) {
                return Some(found);
            }
        }
        index[k] = 0;
    }
    None
}

/// `term::eval` walks the tree, not the DAG: many evaluations of a heavily shared term
/// would cost more than asking Z3.
fn small_enough(ob: &Obligation) -> bool {
    let shape = super::translate::shape(
        ob.path_condition
            .iter()
            .chain(std::iter::once(&ob.bad))
            .chain(ob.shown.iter().map(|(_, t)| t))
            .map(|t| &**t),
    );
    shape.tree_nodes <= MAX_TREE_NODES && shape.depth <= MAX_DEPTH
}

/// The witness to show: cone symbols in the obligation's order, leaving out those whose
/// value does not matter (the violation holds whatever other candidate they take), so a
/// report names `folder = ';'` and not also an irrelevant `archive = ''`. Values no
/// caller chooses (an unknown call's result, the object's state) outside the cone follow
/// when the path needs a particular one (`if t == prev:` with `t` from `self.expand()`):
/// the policy does not rest a correctness finding on a guess about them alone, and
/// leaves them out of what it shows ([`super::cone`]).
fn relevant(
    ob: &Obligation,
    cone: &std::collections::BTreeSet<SymId>,
    env: &BTreeMap<SymId, Val>,
    ints: &[i128],
    strs: &[String],
) -> Vec<(crate::term::Symbol, Val)> {
    let violated = |env: &BTreeMap<SymId, Val>| {
        holds(&ob.bad, env) && ob.path_condition.iter().all(|c| holds(c, env))
    };
    let mut out = Vec::new();
    let outside = ob
        .symbols
        .iter()
        .filter(|s| !cone.contains(&s.id) && unseen_origin(s.origin));
    for s in ob
        .symbols
        .iter()
        .filter(|s| cone.contains(&s.id))
        .chain(outside)
    {
        let Some(v) = env.get(&s.id) else { continue };
        let alternatives = sort_candidates(s.sort, ints, strs);
        let mut probe = env.clone();
        let indifferent = alternatives.iter().filter(|a| *a != v).all(|a| {
            probe.insert(s.id, a.clone());
            violated(&probe)
        });
        if !indifferent {
            out.push((s.clone(), v.clone()));
        }
    }
    out
}

/// Where a value comes from that no caller chooses: an unknown call, the object's state,
/// a loop value not followed.
fn unseen_origin(o: crate::term::Origin) -> bool {
    use crate::term::Origin;
    matches!(o, Origin::Opaque | Origin::State | Origin::Widened)
}

fn sort_candidates(sort: Sort, ints: &[i128], strs: &[String]) -> Vec<Val> {
    match sort {
        Sort::Bool => vec![Val::Bool(false), Val::Bool(true)],
        Sort::Int => int_candidates(ints),
        Sort::Str => str_candidates(strs),
        // Short decimals are where rounding shows (`0.1 + 0.2 != 0.3`).
        Sort::Float => [0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.1, 2.2, 3.3]
            .iter()
            .map(|f: &f64| Val::Float(f.to_bits()))
            .collect(),
        Sort::Bits(ty) => bits_candidates(ty, ints),
    }
}

fn holds(t: &Term, env: &BTreeMap<SymId, Val>) -> bool {
    eval(t, env) == Some(Val::Bool(true))
}

/// Integer and string constants of the obligation, first occurrence first.
fn constants(ob: &Obligation) -> (Vec<i128>, Vec<String>) {
    constants_of(
        ob.path_condition
            .iter()
            .map(|t| &**t)
            .chain(std::iter::once(&*ob.bad)),
    )
}

/// Integer and string constants of some terms, first occurrence first.
fn constants_of<'t>(terms: impl Iterator<Item = &'t Term>) -> (Vec<i128>, Vec<String>) {
    let mut ints = Vec::new();
    let mut strs = Vec::new();
    let mut stack: Vec<&Term> = terms.collect();
    stack.reverse();
    let mut seen = std::collections::HashSet::new();
    while let Some(t) = stack.pop() {
        if !seen.insert(t as *const Term) {
            continue;
        }
        match t {
            Term::Int(i) if !ints.contains(i) => ints.push(*i),
            Term::Bits(raw, ty) => {
                let i = if ty.signed {
                    ty.signed_of(*raw)
                } else {
                    i128::try_from(*raw).unwrap_or(i128::MAX)
                };
                if !ints.contains(&i) {
                    ints.push(i)
                }
            }
            Term::Str(s) if !strs.iter().any(|x: &String| x == &**s) => strs.push(s.to_string()),
            _ => {}
        }
        // Reversed so that constants come out in reading order (first occurrence first).
        stack.extend(super::translate::children(t).into_iter().rev());
    }
    (ints, strs)
}

fn int_candidates(consts: &[i128]) -> Vec<Val> {
    let mut v: Vec<i128> = vec![0, 1, -1];
    for c in consts {
        for d in [*c, c.saturating_add(1), c.saturating_sub(1)] {
            if !v.contains(&d) {
                v.push(d);
            }
        }
    }
    // Smallest magnitude first, non-negative before negative.
    v.sort_by_key(|x| (x.unsigned_abs(), *x < 0));
    v.truncate(MAX_CANDIDATES);
    v.into_iter().map(Val::Int).collect()
}

/// Fixed-width candidates: small values, the obligation's constants and their
/// neighbours, then the type's edges (`MAX`, `MIN`, `MAX - c`), where overflows live.
/// Ordered by magnitude, non-negative first, so the first that works is the smallest.
fn bits_candidates(ty: IntTy, consts: &[i128]) -> Vec<Val> {
    let max = if ty.signed {
        ty.signed_of(ty.max_raw())
    } else {
        // Magnitudes of u128 beyond i128 are kept as the pattern itself below.
        i128::try_from(ty.max_raw()).unwrap_or(i128::MAX)
    };
    let mut v: Vec<i128> = vec![0, 1, 2, -1];
    for c in consts {
        for d in [*c, c.saturating_add(1), c.saturating_sub(1)] {
            if !v.contains(&d) {
                v.push(d);
            }
        }
    }
    v.retain(|x| ty.pattern_of(*x).is_some());
    v.sort_by_key(|x| (x.unsigned_abs(), *x < 0));
    // Range patterns and guards give many constants; the values just past them matter.
    v.truncate(2 * MAX_CANDIDATES);
    let mut raws: Vec<u128> = v.iter().filter_map(|x| ty.pattern_of(*x)).collect();
    // Widths (shift amounts) and the edges of narrower types (casts), then the type's own.
    let mut edges: Vec<u128> = [
        8i128,
        16,
        32,
        64,
        128,
        256,
        32_768,
        65_536,
        1 << 31,
        1 << 32,
    ]
    .iter()
    .filter_map(|x| ty.pattern_of(*x))
    .collect();
    if ty.signed {
        edges.extend([-129i128, -32_769].iter().filter_map(|x| ty.pattern_of(*x)));
    }
    edges.extend([ty.max_raw(), ty.min_raw()]);
    for c in consts.iter().take(3) {
        if let Some(e) = ty.pattern_of(max.saturating_sub(*c)) {
            edges.push(e);
        }
    }
    for e in edges {
        if !raws.contains(&e) {
            raws.push(e);
        }
    }
    raws.into_iter().map(|r| Val::Bits(r, ty)).collect()
}

fn str_candidates(consts: &[String]) -> Vec<Val> {
    let mut v: Vec<String> = vec![String::new(), "a".into()];
    // Single characters of the constants first (a quote, a `;`), then the constants.
    for c in consts {
        if c.chars().count() == 1 && !v.contains(c) {
            v.push(c.clone());
        }
    }
    for c in consts {
        if !v.contains(c) {
            v.push(c.clone());
        }
    }
    v.sort_by_key(|s| s.chars().count());
    v.truncate(MAX_CANDIDATES);
    v.into_iter().map(Val::Str).collect()
}

/// From a model Z3 found, a canonical witness: each symbol in the obligation's order is
/// moved to the first canonical candidate that keeps every condition true (the others keep
/// their current values). The model only decides values no candidate can replace, so the
/// witness rarely depends on what Z3 happened to answer. `None` when our evaluator does
/// not agree that the model violates the obligation (the caller then falls back).
pub fn canonicalize(ob: &Obligation, model: &BTreeMap<SymId, Val>) -> Option<Outcome> {
    if !small_enough(ob) {
        return None;
    }
    let (all, cone) = symbols_and_cone(ob);
    let mut env: BTreeMap<SymId, Val> = BTreeMap::new();
    for (id, _) in &all {
        env.insert(*id, model.get(id)?.clone());
    }
    let violated = |env: &BTreeMap<SymId, Val>| {
        holds(&ob.bad, env) && ob.path_condition.iter().all(|c| holds(c, env))
    };
    if !violated(&env) {
        return None;
    }
    let (ints, strs) = constants(ob);
    let mut order: Vec<(SymId, Sort)> = ob
        .symbols
        .iter()
        .filter_map(|s| all.iter().find(|(id, _)| *id == s.id).copied())
        .collect();
    for x in &all {
        if !order.contains(x) {
            order.push(*x);
        }
    }
    for (id, sort) in order {
        let candidates = sort_candidates(sort, &ints, &strs);
        let current = env.get(&id)?.clone();
        for c in candidates {
            if c == current {
                break;
            }
            env.insert(id, c);
            if violated(&env) {
                break;
            }
            env.insert(id, current.clone());
        }
    }
    let witness = relevant(ob, &cone, &env, &ints, &strs);
    let mut shown = Vec::with_capacity(ob.shown.len());
    for (name, t) in &ob.shown {
        shown.push((name.clone(), eval(t, &env)?));
    }
    Some(Outcome::Violated { witness, shown })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::{self, Origin, Symbol};

    fn sym(id: SymId, name: &str, sort: Sort) -> Symbol {
        Symbol {
            id,
            name: name.into(),
            sort,
            origin: Origin::Param,
        }
    }

    #[test]
    fn finds_the_empty_list() {
        let len = term::sym(0, Sort::Int);
        let ob = Obligation {
            path_condition: vec![term::ge(&len, &term::int(0))],
            bad: term::eq(&len, &term::int(0)),
            symbols: vec![sym(0, "len(values)", Sort::Int)],
            shown: vec![],
        };
        match search(&ob) {
            Some(Outcome::Violated { witness, .. }) => assert_eq!(witness[0].1, Val::Int(0)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn finds_a_quote_in_a_string() {
        let s = term::sym(0, Sort::Str);
        let ob = Obligation {
            path_condition: vec![],
            bad: term::or(&[
                term::contains(&s, &term::string("'")),
                term::contains(&s, &term::string(";")),
            ]),
            symbols: vec![sym(0, "name", Sort::Str)],
            shown: vec![],
        };
        match search(&ob) {
            Some(Outcome::Violated { witness, .. }) => {
                assert_eq!(witness[0].1, Val::Str("'".into()))
            }
            other => panic!("{other:?}"),
        }
    }

    /// A long path mentions many symbols that have nothing to do with the violation;
    /// each independent part is searched on its own, and the witness is the one a search
    /// of the whole would give (smallest candidates first).
    #[test]
    fn searches_independent_parts_apart() {
        let len = term::sym(0, Sort::Int);
        let mut symbols = vec![sym(0, "len(values)", Sort::Int)];
        let mut path = vec![term::ge(&len, &term::int(0))];
        for i in 1..30 {
            let x = term::sym(i, Sort::Int);
            symbols.push(sym(i, &format!("x{i}"), Sort::Int));
            // Pairs that constrain each other: 1 < x1 <= x2, 1 < x3 <= x4, ...
            if i % 2 == 0 {
                path.push(term::le(&term::sym(i - 1, Sort::Int), &x));
            } else {
                path.push(term::gt(&x, &term::int(1)));
            }
        }
        let ob = Obligation {
            path_condition: path,
            bad: term::eq(&len, &term::int(0)),
            symbols,
            shown: vec![],
        };
        match search(&ob) {
            Some(Outcome::Violated { witness, .. }) => {
                let names: Vec<(&str, Val)> = witness
                    .iter()
                    .map(|(s, v)| (s.name.as_str(), v.clone()))
                    .collect();
                assert_eq!(names, vec![("len(values)", Val::Int(0))]);
            }
            other => panic!("{other:?}"),
        }
        // A part with no solution among the candidates (here, none at all: the path is
        // dead) leaves the obligation to Z3.
        let mut stuck = ob.clone();
        stuck
            .path_condition
            .push(term::lt(&term::sym(29, Sort::Int), &term::int(-5)));
        assert_eq!(search(&stuck), None);
    }

    #[test]
    fn leaves_proofs_to_z3() {
        let x = term::sym(0, Sort::Int);
        let ob = Obligation {
            path_condition: vec![term::gt(&x, &term::int(0))],
            bad: term::eq(&x, &term::int(0)),
            symbols: vec![sym(0, "x", Sort::Int)],
            shown: vec![],
        };
        assert_eq!(search(&ob), None);
    }
}
