//! Loops summarised in one pass: what the body may assign or change in place is
//! havocked (widened) first, so the single pass over the body stands for every
//! iteration; counters that only grow or shrink by constants, or that a `while` bounds,
//! keep their direction and range, which index checks inside and after the loop need.

use std::collections::{HashMap, HashSet};

use super::scan::{
    ESCAPED, RECEIVER, STORED, access_path, assigned_names, bindings, mutated_names, target_name,
    target_names, walrus_names,
};
use super::{Exec, State, origin_of, push_pc};
use crate::analyze::value::SeqKind;
use crate::analyze::value::{self, Value};
use crate::ir::{BinOp, Block, CmpOp, Const, Expr, ExprKind, StmtKind, Target, Unpack};
use crate::term::{self, Origin, Sort, T};

/// Iterations of a `for` over a constant number of items (a literal list, `range(3)`)
/// that are executed one by one instead of summarised: `total` after summing three prices
/// is their sum, which an `assert total == ...` after the loop is checked against.
const MAX_UNROLL: usize = 8;

/// A `for` loop's target, the iterated value, and for `range` the target's bounds.
pub(super) type LoopTarget<'t> = (&'t Target, Value, Option<(T, T)>);

impl<'a> Exec<'a> {
    pub(super) fn exec_loop(
        &mut self,
        mut st: State,
        cond: Option<&Expr>,
        target: Option<LoopTarget<'_>>,
        body: &Block,
        orelse: &Block,
    ) -> State {
        let mut assigned = HashSet::new();
        assigned_names(body, &mut assigned);
        self.mutated_collections(&mut st, body, &mut assigned);
        if let Some((t, _, _)) = &target {
            target_names(t, &mut assigned);
        }
        if let Some(c) = cond {
            walrus_names(c, &mut assigned);
        }
        // Counters that only grow (or only shrink) by constants keep that direction.
        let mono = monotone_counters(body);
        let before: HashMap<String, Value> = mono
            .keys()
            .filter_map(|k| st.env.get(k).map(|v| (k.clone(), v.clone())))
            .collect();
        // A counter that starts from a widened value, or from an unknown call's result, is
        // no better known than its start.
        let widened_start: HashSet<String> = before
            .iter()
            .filter(|(_, v)| {
                self.mentions_origin(v, Origin::Widened) || self.mentions_origin(v, Origin::Opaque)
            })
            .map(|(k, _)| k.clone())
            .collect();
        let bounded = cond.and_then(|c| bounded_counter(c, body, &assigned));
        let bound_before = match &bounded {
            Some((v, bound, _, _)) => {
                let old = st.env.get(v).cloned();
                let b = self.eval(&mut st, bound);
                old.and_then(|o| value::as_int(&o, &mut self.syms))
                    .zip(value::as_int(&b, &mut self.syms))
            }
            None => None,
        };
        // Counters the loop describes exactly stay judgeable; everything else it assigns
        // is widened.
        let (exact, widened): (HashSet<String>, HashSet<String>) =
            assigned.iter().cloned().partition(|n| {
                !widened_start.contains(n)
                    && (mono.contains_key(n) || bounded.as_ref().is_some_and(|(v, ..)| v == n))
            });
        self.havoc(&mut st, &exact, Origin::Havoc);
        self.havoc(&mut st, &widened, Origin::Widened);
        // `while i < n: ... i += c` leaves i below n + c (or untouched when the loop never ran).
        if let (Some((v, _, step, inclusive)), Some((old, bound))) = (&bounded, bound_before)
            && let Some(new) = st
                .env
                .get(v)
                .cloned()
                .and_then(|n| value::as_int(&n, &mut self.syms))
        {
            let limit = term::add(&bound, &term::int(step + i128::from(*inclusive)));
            push_pc(
                &mut st,
                term::or(&[term::eq(&new, &old), term::lt(&new, &limit)]),
            );
        }
        for (name, grows) in &mono {
            if let (Some(old), Some(new)) = (before.get(name), st.env.get(name).cloned()) {
                let (Some(o), Some(n)) = (
                    value::as_int(old, &mut self.syms),
                    value::as_int(&new, &mut self.syms),
                ) else {
                    continue;
                };
                let fact = if *grows {
                    term::ge(&n, &o)
                } else {
                    term::le(&n, &o)
                };
                push_pc(&mut st, fact);
                let unbounded = bounded.as_ref().is_none_or(|(v, ..)| v != name);
                if *grows && unbounded {
                    let mut ids = Vec::new();
                    n.symbols(&mut ids);
                    self.growing.extend(ids);
                }
            }
        }
        let base_len = st.pc.len();
        // One pass over the body from the widened state.
        let mut inside = st.clone();
        let exit_cond = match cond {
            Some(c) => {
                let v = self.eval(&mut inside, c);
                let t = value::truthy(&v, &mut self.syms);
                // Only "never true": a loop condition that is always true is usually left
                // by `break`, which is deliberate.
                self.condition_sites(&inside, c, &t, false);
                push_pc(&mut inside, t.clone());
                Some(t)
            }
            None => None,
        };
        if let Some((t, it, bounds)) = target {
            if let Some(len) = value::length(&it, &mut self.syms) {
                push_pc(&mut inside, term::gt(&len, &term::int(0)));
            }
            let elem = match (&it, bounds) {
                // `for i in range(a, b)`: the target is an int with `a <= i < b`, which is
                // what proves `xs[i]` safe under `for i in range(len(xs))`.
                (_, Some((lo, hi))) => {
                    let e = self.syms.fresh(&target_name(t), Sort::Int, Origin::Havoc);
                    push_pc(&mut inside, term::ge(&e, &lo));
                    push_pc(&mut inside, term::lt(&e, &hi));
                    Value::Int(e)
                }
                (
                    Value::Seq {
                        items: Some(xs), ..
                    },
                    None,
                ) if !xs.is_empty() && xs.iter().all(|x| matches!(x, Value::Int(_))) => {
                    // Iterating known ints: the element is one of them.
                    let e = self.syms.fresh(&target_name(t), Sort::Int, Origin::Havoc);
                    let alts: Vec<T> = xs
                        .iter()
                        .filter_map(|x| match x {
                            Value::Int(v) => Some(term::eq(&e, v)),
                            _ => None,
                        })
                        .collect();
                    push_pc(&mut inside, term::or(&alts));
                    Value::Int(e)
                }
                _ => self.fresh_unknown(&target_name(t), origin_of(&it, &self.syms), None),
            };
            self.assign(&mut inside, t, elem, None);
        }
        self.loop_breaks.push(Vec::new());
        // A `continue` ends this pass like the end of the body: the widened state already
        // stands for every later iteration.
        self.loop_continues.push(Vec::new());
        if inside.live {
            self.exec_block(inside, body);
        }
        self.loop_continues.pop();
        let breaks = self.loop_breaks.pop().unwrap_or_default();
        // Normal exit: the condition is false (for `for`: the iterator is exhausted).
        let mut exit = st;
        if let Some(c) = exit_cond {
            push_pc(&mut exit, term::not(&c));
        }
        self.leave_loop(exit, breaks, orelse, base_len)
    }

    /// After a loop: `else` runs on the normal exit, which then joins the `break`s.
    fn leave_loop(
        &mut self,
        exit: State,
        breaks: Vec<State>,
        orelse: &Block,
        base_len: usize,
    ) -> State {
        let exit = if exit.live {
            self.exec_block(exit, orelse)
        } else {
            exit
        };
        let mut all = vec![exit];
        all.extend(breaks);
        self.join_many(all, base_len, "loop exit")
    }

    /// A local list or dict that may have been changed in place becomes an unknown
    /// (widened like a loop variable), so no fact about its old length survives.
    /// `origin` says who changed it: our own code (`Havoc`, a value the code computed) or a
    /// call we cannot see (`Opaque`, the callee's business).
    pub(super) fn forget_collection(&mut self, st: &mut State, e: &Expr, origin: Origin) {
        let Some(n) = access_path(e) else {
            return;
        };
        if matches!(st.env.get(&n), Some(Value::Seq { .. } | Value::Dict { .. })) {
            let fresh = self.fresh_unknown(&n, origin, None);
            st.env.insert(n, fresh);
        }
    }

    /// A new identity for an unknown that was changed in place: same name, origin and
    /// type, fresh views.
    pub(super) fn renew_unknown(&mut self, st: &mut State, path: &str, widened: bool) {
        // Its items may have changed too (`cid.update(...)`).
        let items = format!("{path}[");
        st.env.retain(|k, _| !k.starts_with(&items));
        if let Some(Value::Unknown(b)) = st.env.get(path)
            && let Some(base) = self.syms.base(*b).cloned()
        {
            let origin = if widened {
                Origin::Widened
            } else {
                base.origin
            };
            let nb = self.syms.new_base(&base.name, origin, base.type_name);
            st.env.insert(path.to_string(), Value::Unknown(nb));
        }
    }

    /// Every known list and dict: a nested function may have captured and changed any
    /// of them, and an unknown call may run it.
    pub(super) fn forget_all_collections(&mut self, st: &mut State) {
        let names: Vec<String> = st
            .env
            .iter()
            .filter(|(_, v)| matches!(v, Value::Seq { .. } | Value::Dict { .. }))
            .map(|(k, _)| k.clone())
            .collect();
        for n in names {
            let fresh = self.fresh_unknown(&n, Origin::Opaque, None);
            st.env.insert(n, fresh);
        }
    }

    /// Lists and dicts a block may change in place (method calls, item stores, being
    /// passed to a call): widened with what the block assigns.
    pub(super) fn mutated_collections(
        &mut self,
        st: &mut State,
        body: &Block,
        out: &mut HashSet<String>,
    ) {
        let mut names = HashSet::new();
        mutated_names(body, &mut names);
        if self.has_closures {
            // Any call in the block may run a nested function that changes them.
            names.extend(st.env.keys().cloned());
        }
        // Any call in the block may change a list that escaped before it, or run a nested
        // function that rebinds a variable (`nonlocal count`).
        names.extend(self.escaped.iter().cloned());
        for n in &self.rebound_elsewhere {
            if st.env.contains_key(n) {
                out.insert(n.clone());
            }
        }
        for n in names {
            // An unknown changed in place (`queue.pop()`) keeps what it is (origin, type)
            // but not what was known about its size.
            if let Some(r) = n.strip_prefix(RECEIVER) {
                self.renew_unknown(st, r, true);
                continue;
            }
            let n = n.strip_prefix(ESCAPED).map(str::to_string).unwrap_or(n);
            // Storing an item changes a dict's size but not a list's.
            if let Some(d) = n.strip_prefix(STORED) {
                match st.env.get_mut(d) {
                    Some(Value::Dict { .. }) => {
                        out.insert(d.to_string());
                    }
                    Some(Value::Seq { items, .. }) => *items = None,
                    _ => {}
                }
            } else if matches!(st.env.get(&n), Some(Value::Seq { .. } | Value::Dict { .. })) {
                out.insert(n);
            }
        }
    }
}

/// `while v < bound` (or `<=`) where the body changes `v` only by `v += step` (one
/// constant step > 0) and never assigns what `bound` reads.
pub(super) fn bounded_counter<'e>(
    cond: &'e Expr,
    body: &Block,
    assigned: &HashSet<String>,
) -> Option<(String, &'e Expr, i128, bool)> {
    let ExprKind::Compare { left, ops } = &cond.kind else {
        return None;
    };
    let [(op, bound)] = ops.as_slice() else {
        return None;
    };
    let inclusive = match op {
        CmpOp::Lt => false,
        CmpOp::LtE => true,
        _ => return None,
    };
    let (ExprKind::Local(v) | ExprKind::ModuleVar(v)) = &left.kind else {
        return None;
    };
    match &bound.kind {
        ExprKind::Const(Const::Int(_)) => {}
        ExprKind::Local(b) | ExprKind::ModuleVar(b) if !assigned.contains(b) => {}
        _ => return None,
    }
    let mut steps = Vec::new();
    let mut other = false;
    fn walk(b: &Block, v: &str, steps: &mut Vec<i128>, other: &mut bool) {
        for s in b {
            match &s.kind {
                StmtKind::AugAssign {
                    target: Target::Local(n, _) | Target::ModuleVar(n, _),
                    op: BinOp::Add,
                    value,
                } if n == v => match &value.kind {
                    ExprKind::Const(Const::Int(i)) if *i > 0 => steps.push(*i),
                    _ => *other = true,
                },
                StmtKind::If { then, orelse, .. } => {
                    walk(then, v, steps, other);
                    walk(orelse, v, steps, other);
                }
                _ => {
                    let mut names = HashSet::new();
                    assigned_names(std::slice::from_ref(s), &mut names);
                    if names.contains(v) {
                        *other = true;
                    }
                }
            }
        }
    }
    walk(body, v, &mut steps, &mut other);
    let first = *steps.first()?;
    if other || steps.iter().any(|s| *s != first) {
        return None;
    }
    Some((v.clone(), bound, first, inclusive))
}

/// Variables a loop body changes only by `+=`/`-=` of non-negative constants: true for
/// counters that only grow.
pub(super) fn monotone_counters(body: &Block) -> HashMap<String, bool> {
    // Directions of the `+=`/`-=` updates, wherever they are in the body.
    let mut dir: HashMap<String, Option<bool>> = HashMap::new();
    for s in crate::ir::cfg::statements(body) {
        if let StmtKind::AugAssign {
            target: Target::Local(n, _) | Target::ModuleVar(n, _),
            op,
            value,
        } = &s.kind
        {
            let d = match (op, &value.kind) {
                (BinOp::Add, ExprKind::Const(Const::Int(i))) if *i >= 0 => Some(true),
                (BinOp::Sub, ExprKind::Const(Const::Int(i))) if *i >= 0 => Some(false),
                _ => None,
            };
            let e = dir.entry(n.clone()).or_insert(d);
            if *e != d {
                *e = None;
            }
        }
    }
    // Any other binding of the name (assignment, loop target, `with ... as`) breaks it.
    let mut rebound = HashSet::new();
    bindings(body, &mut rebound, false);
    dir.into_iter()
        .filter(|(n, _)| !rebound.contains(n))
        .filter_map(|(n, d)| d.map(|d| (n, d)))
        .collect()
}

/// `(start, stop)` of `range(n)` / `range(a, b)` with a constant `a` (no step): the loop
/// target lies in `start <= i < stop`.
pub(super) fn range_bounds(iter: &Expr, it: &Value) -> Option<(T, T)> {
    let ExprKind::Call { func, args } = &iter.kind else {
        return None;
    };
    if func.qualified_name().as_deref() != Some("builtins.range")
        || args
            .iter()
            .any(|a| a.keyword.is_some() || a.unpack != Unpack::None)
    {
        return None;
    }
    let Value::Seq { len, .. } = it else {
        return None;
    };
    // `len` is `max(stop - start, 0)`; inside the loop it is positive, so the target
    // ranges over `start .. start + len`.
    let start = match args.as_slice() {
        [_] => 0,
        [a, _] => match &a.value.kind {
            ExprKind::Const(Const::Int(a)) => *a,
            _ => return None,
        },
        _ => return None,
    };
    let lo = term::int(start);
    Some((lo.clone(), term::add(&lo, len)))
}

/// The items a `for` loop goes through when there are few and they are known: a list or
/// tuple of known items, or a `range` with constant bounds.
pub(super) fn unrolled_items(it: &Value, bounds: Option<&(T, T)>) -> Option<Vec<Value>> {
    if let Some((lo, hi)) = bounds {
        let (lo, hi) = (lo.as_int()?, hi.as_int()?);
        let n = usize::try_from(hi.saturating_sub(lo)).unwrap_or(0);
        return (n <= MAX_UNROLL).then(|| (lo..hi).map(Value::int).collect());
    }
    match it {
        Value::Seq {
            kind: SeqKind::List | SeqKind::Tuple,
            items: Some(xs),
            ..
        } if xs.len() <= MAX_UNROLL => Some(xs.clone()),
        _ => None,
    }
}

impl<'a> Exec<'a> {
    /// A `for` loop over known items, one iteration after another. A site in the body is
    /// one obligation for all iterations (violated when some iteration violates it), so
    /// a loop of three items does not count its division three times.
    pub(super) fn exec_unrolled(
        &mut self,
        st: State,
        target: &Target,
        items: Vec<Value>,
        body: &Block,
        orelse: &Block,
    ) -> State {
        let base_len = st.pc.len();
        let first_site = self.sites.len();
        self.loop_breaks.push(Vec::new());
        self.unrolling += 1;
        let mut cur = st;
        for item in items {
            if !cur.live {
                break;
            }
            let start = cur.pc.len();
            self.assign(&mut cur, target, item, None);
            self.loop_continues.push(Vec::new());
            let end = self.exec_block(cur, body);
            let mut next = vec![end];
            next.extend(self.loop_continues.pop().unwrap_or_default());
            cur = self.join_many(next, start, "iteration");
        }
        self.unrolling -= 1;
        let breaks = self.loop_breaks.pop().unwrap_or_default();
        let joined = self.leave_loop(cur, breaks, orelse, base_len);
        merge_iterations(&mut self.sites, first_site, base_len, self.unrolling == 0);
        joined
    }
}

/// The sites the iterations of an unrolled loop recorded at one place, as one site: its
/// path is what they share, its bad condition that some iteration reached it and failed.
/// Shown values follow the first iteration that fails. `outermost`: no unrolled loop
/// encloses this one, so a condition that folded in every iteration is dropped.
fn merge_iterations(sites: &mut Vec<super::Site>, first: usize, base_len: usize, outermost: bool) {
    if sites.len() <= first {
        return;
    }
    let recorded = sites.split_off(first);
    // Per place: the first site, and each iteration's failure condition and shown values.
    type Iteration = (T, Vec<(String, T)>);
    let mut merged: Vec<(super::Site, Vec<Iteration>)> = Vec::new();
    for site in recorded {
        let own = term::and(
            &[
                site.pc.get(base_len..).unwrap_or(&[]),
                std::slice::from_ref(&site.bad),
            ]
            .concat(),
        );
        let same = merged.iter_mut().find(|(m, _)| {
            m.span == site.span
                && m.rule == site.rule
                && m.property == site.property
                && m.kind == site.kind
        });
        match same {
            Some((m, iterations)) => {
                m.folded &= site.folded;
                iterations.push((own, site.shown));
            }
            None => {
                let shown = site.shown.clone();
                merged.push((site, vec![(own, shown)]));
            }
        }
    }
    for (mut site, iterations) in merged {
        if outermost && site.folded {
            continue;
        }
        if iterations.len() > 1 {
            site.pc.truncate(base_len);
            site.bad = term::or(
                &iterations
                    .iter()
                    .map(|(w, _)| w.clone())
                    .collect::<Vec<_>>(),
            );
            // ite(fails in 1st, shown of 1st, ite(fails in 2nd, ...)).
            site.shown = site
                .shown
                .iter()
                .map(|(name, _)| {
                    let of = |shown: &[(String, T)]| {
                        shown
                            .iter()
                            .find(|(n, _)| n == name)
                            .map(|(_, t)| t.clone())
                    };
                    let mut rev = iterations.iter().rev();
                    let last = rev.next().and_then(|(_, sh)| of(sh));
                    let value = rev.fold(last, |acc, (when, sh)| match (of(sh), acc) {
                        (Some(now), Some(later)) => Some(term::ite(when, &now, &later)),
                        (now, later) => now.or(later),
                    });
                    value.map(|v| (name.clone(), v))
                })
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default();
        }
        sites.push(site);
    }
}
