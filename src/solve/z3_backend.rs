//! The per-file solving loop: fold what folding decides, then one Z3 context per file with
//! push/pop per obligation, per-query limits and a per-file wall budget.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use z3::ast::Bool;
use z3::{Config, Context, ContextHandle, Model, Params, SatResult, Solver};

use super::translate::{self, Translator};
use super::witness;
use super::{Budget, Obligation, Outcome};
use crate::term::{T, Term, eval};

pub(super) const EXHAUSTED: &str = "file solver budget exhausted";

/// Distinct term nodes above which an obligation is not worth a query.
const MAX_NODES: usize = 20_000;
/// Tree-expanded size above which `term::eval` (which does not share subterms) could not
/// re-check a counterexample in reasonable time.
const MAX_TREE_NODES: u64 = 2_000_000;
/// Nesting above which `term::eval`, which recurses, could exhaust a worker's stack.
const MAX_DEPTH: usize = 1_000;

/// Logics picked from measurements on Z3 4.8.12 (release, push/pop, one core):
/// `QF_NIA` answers its first query in ≈0.7 ms against ≈4.5 ms for `Solver::new()`, handles
/// nonlinear terms, and costs the same per query afterwards; the string theory costs ≈3 ms
/// before its first answer whatever the logic, so only obligations with strings pay it.
const ARITH_LOGIC: &str = "QF_NIA";
const STRING_LOGIC: &str = "QF_SLIA";
const BV_LOGIC: &str = "QF_BV";
const FLOATS_UNDECIDED: &str = "floating-point obligations are decided by evaluation only";
const FLOAT_LOGIC: &str = "QF_FP";

/// Bit-blasting doubles is slow on Z3 4.8.12, and it notices an interrupt late while it
/// does it. What its rewriter settles is answered at once (`x + 0.0 == x` is proved in
/// 1.5 ms); otherwise even `a + 1.0 != a` runs past the rlimit, and one multiplication
/// (`x == y * 2.0`) once ran 8 s past a 50 ms timeout. So only questions with a single
/// rounded addition or subtraction are asked, and a few per file.
const MAX_FLOAT_QUERIES: u32 = 2;

const REPEAT_INTERRUPT: Duration = Duration::from_millis(100);

pub fn solve_all(obligations: &[Obligation], budget: &Budget) -> Vec<(Outcome, u32)> {
    solve_all_with(obligations, budget, true)
}

/// `by_evaluation` lets counterexamples be found or canonicalised by evaluating candidate
/// values (fast); without it every satisfiable obligation is minimised through Z3 alone,
/// which is what the tests of the Z3 path use.
pub(super) fn solve_all_with(
    obligations: &[Obligation],
    budget: &Budget,
    by_evaluation: bool,
) -> Vec<(Outcome, u32)> {
    let start = Instant::now();
    let file_deadline = (budget.file_budget_ms > 0)
        .then(|| start + Duration::from_millis(budget.file_budget_ms.into()));
    let mut out: Vec<Option<(Outcome, u32)>> = obligations
        .iter()
        .map(|o| {
            decide_by_folding(o)
                .or_else(|| by_evaluation.then(|| super::concrete::search(o)).flatten())
                .map(|v| (v, 0))
        })
        .collect();
    // Float obligations go last: they are the slowest and least often decided, and must
    // not use up the file's budget before the others are asked.
    let mut pending: Vec<usize> = (0..obligations.len())
        .filter(|&i| out[i].is_none())
        .collect();
    pending.sort_by_key(|&i| translate::shape(std::iter::once(&*obligations[i].bad)).floats);
    if !pending.is_empty() {
        let solved = if file_deadline.is_some_and(|d| Instant::now() >= d) {
            pending
                .iter()
                .map(|_| (Outcome::Unknown(EXHAUSTED.into()), 0))
                .collect()
        } else {
            let budget = *budget;
            z3::with_z3_config(&Config::new(), || {
                solve_pending(obligations, &pending, &budget, file_deadline, by_evaluation)
            })
        };
        for (&i, r) in pending.iter().zip(solved) {
            out[i] = Some(r);
        }
    }
    out.into_iter()
        .map(|o| o.unwrap_or_else(|| (Outcome::Unknown("internal: obligation skipped".into()), 0)))
        .collect()
}

/// Decide what constant folding already decided, without Z3.
pub(super) fn decide_by_folding(ob: &Obligation) -> Option<Outcome> {
    if ob.bad.as_bool() == Some(false)
        || ob.path_condition.iter().any(|c| c.as_bool() == Some(false))
    {
        return Some(Outcome::Proved);
    }
    if !ob.bad.is_const() || !ob.path_condition.iter().all(|c| c.is_const()) {
        return None;
    }
    if ob.bad.as_bool() != Some(true) || ob.path_condition.iter().any(|c| c.as_bool() != Some(true))
    {
        return Some(Outcome::Unknown("ill-sorted obligation".into()));
    }
    let env = BTreeMap::new();
    let mut shown = Vec::with_capacity(ob.shown.len());
    for (name, t) in &ob.shown {
        match eval(t, &env) {
            Some(v) => shown.push((name.clone(), v)),
            // A symbol in a shown value needs a model; a constant that does not evaluate
            // (division by zero) has no value to show.
            None if has_symbols(t) => return None,
            None => {}
        }
    }
    Some(Outcome::Violated {
        witness: Vec::new(),
        shown,
    })
}

/// A float violation without its decimal intent: the conjuncts that are not
/// [`Term::RealEq`]. `None` when the intent sits anywhere else, where dropping it would not
/// make the question stronger.
fn without_intent(bad: &T) -> Option<T> {
    let conjuncts: Vec<T> = match &**bad {
        Term::And(v) => v
            .iter()
            .filter(|c| !matches!(&***c, Term::RealEq(..)))
            .cloned()
            .collect(),
        _ => vec![bad.clone()],
    };
    let rest = crate::term::and(&conjuncts);
    let mut stack: Vec<&Term> = vec![&rest];
    while let Some(t) = stack.pop() {
        if matches!(t, Term::RealEq(..)) {
            return None;
        }
        stack.extend(translate::children(t));
    }
    Some(rest)
}

/// At most one float operation, an addition or subtraction (see [`MAX_FLOAT_QUERIES`]),
/// and nothing but floats and booleans.
fn one_rounding(t: &T) -> bool {
    let mut ops = 0;
    let mut stack: Vec<&Term> = vec![t];
    while let Some(n) = stack.pop() {
        match n {
            Term::FArith(crate::term::FOp::Add | crate::term::FOp::Sub, ..) => ops += 1,
            Term::FArith(..) => return false,
            _ if !floats_or_bools(n) => return false,
            _ => {}
        }
        stack.extend(translate::children(n));
    }
    ops <= 1
}

/// Every node is a float or a boolean: what the floating-point solver accepts.
fn only_floats(t: &T) -> bool {
    let mut stack: Vec<&Term> = vec![t];
    while let Some(n) = stack.pop() {
        if !floats_or_bools(n) {
            return false;
        }
        stack.extend(translate::children(n));
    }
    true
}

fn floats_or_bools(t: &Term) -> bool {
    matches!(t.sort(), crate::term::Sort::Float | crate::term::Sort::Bool)
}

fn has_symbols(t: &Term) -> bool {
    let mut syms = Vec::new();
    translate::symbols_of(t, &mut syms);
    !syms.is_empty()
}

fn micros(since: Instant) -> u32 {
    u32::try_from(since.elapsed().as_micros()).unwrap_or(u32::MAX)
}

fn solve_pending(
    obligations: &[Obligation],
    pending: &[usize],
    budget: &Budget,
    file_deadline: Option<Instant>,
    by_evaluation: bool,
) -> Vec<(Outcome, u32)> {
    let ctx = Context::thread_local();
    let handle = ctx.handle();
    let watch = Watch::default();
    let query_timeout = (budget.query_timeout_ms > 0)
        .then(|| Duration::from_millis(budget.query_timeout_ms.into()));
    // The watchdog wakes at most `tick` late, which bounds how far a query overruns.
    let tick = query_timeout
        .unwrap_or(Duration::from_millis(20))
        .div_f64(4.0)
        .clamp(Duration::from_millis(1), Duration::from_millis(20));
    thread::scope(|scope| {
        let dog = if query_timeout.is_some() || file_deadline.is_some() {
            let w = &watch;
            Some(scope.spawn(move || w.run(handle, tick)))
        } else {
            None
        };
        let mut sess = Session {
            tr: Translator::default(),
            watch: &watch,
            rlimit: budget.query_rlimit,
            query_timeout,
            file_deadline,
            by_evaluation,
            float_queries: 0,
            gave_up: 0,
            max_give_ups: if budget.file_give_ups == 0 {
                u32::MAX
            } else {
                budget.file_give_ups
            },
        };
        let mut solvers = Solvers::default();
        let results = pending
            .iter()
            .map(|&i| {
                if sess.file_exhausted() {
                    return (Outcome::Unknown(EXHAUSTED.into()), 0);
                }
                let t0 = Instant::now();
                let outcome = sess.solve_one(&mut solvers, &obligations[i]);
                (outcome, micros(t0).max(1))
            })
            .collect();
        watch.lock().stop = true;
        if let Some(dog) = dog {
            dog.thread().unpark();
            // The watchdog only loops and interrupts; a panic there cannot affect results.
            let _ = dog.join();
        }
        results
    })
}

/// Wall-clock limits without Z3's `timeout` parameter: on 4.8.12 that parameter starts a
/// timer per check, measured at ≈55 µs per query, more than a small query itself. One
/// watchdog thread per file interrupts the context instead. The lock is held while
/// interrupting and while the solver thread marks a check finished, so an interrupt can
/// only reach the check it was meant for (an interrupt while idle is a no-op in Z3).
#[derive(Default)]
pub(super) struct Watch {
    state: Mutex<WatchState>,
}

#[derive(Default)]
struct WatchState {
    deadline: Option<Instant>,
    fired: bool,
    stop: bool,
}

impl Watch {
    fn lock(&self) -> MutexGuard<'_, WatchState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn run(&self, handle: ContextHandle<'_>, tick: Duration) {
        loop {
            let sleep = {
                let mut st = self.lock();
                if st.stop {
                    return;
                }
                let now = Instant::now();
                match st.deadline {
                    // Z3 can miss an interrupt (4.8.12 checks for one rarely while it
                    // bit-blasts): repeat it until the check returns and disarms.
                    Some(d) if now >= d => {
                        handle.interrupt();
                        st.fired = true;
                        st.deadline = Some(now + REPEAT_INTERRUPT);
                        tick
                    }
                    Some(d) => (d - now).min(tick),
                    None => tick,
                }
            };
            thread::park_timeout(sleep);
        }
    }

    fn arm(&self, deadline: Option<Instant>) {
        let mut st = self.lock();
        st.deadline = deadline;
        st.fired = false;
    }

    /// Returns whether the watchdog interrupted the check.
    fn disarm(&self) -> bool {
        let mut st = self.lock();
        st.deadline = None;
        st.fired
    }
}

/// At most one solver per kind per file, created on first use.
#[derive(Default)]
pub(super) struct Solvers {
    arith: Option<Solver>,
    strings: Option<Solver>,
    floats: Option<Solver>,
    bits: Option<Solver>,
    mixed: Option<Solver>,
}

/// `logic` empty: Z3's default solver (bit-vectors together with ints or strings).
fn new_solver(logic: &str, rlimit: u32) -> Solver {
    let solver = if logic.is_empty() {
        Solver::new()
    } else {
        Solver::new_for_logic(logic).unwrap_or_default()
    };
    if rlimit > 0 {
        let mut p = Params::new();
        p.set_u32("rlimit", rlimit);
        solver.set_params(&p);
    }
    solver
}

pub(super) enum Verdict {
    Sat(Model),
    Unsat,
    Unknown(String),
}

pub(super) struct Session<'w> {
    pub tr: Translator,
    watch: &'w Watch,
    rlimit: u32,
    query_timeout: Option<Duration>,
    file_deadline: Option<Instant>,
    by_evaluation: bool,
    float_queries: u32,
    /// Queries that ended without an answer, against `Budget::file_give_ups`.
    gave_up: u32,
    max_give_ups: u32,
}

impl Session<'_> {
    pub fn file_exhausted(&self) -> bool {
        self.gave_up >= self.max_give_ups || self.file_deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// One check, optionally under an extra assertion that is popped afterwards.
    pub fn query(&mut self, solver: &Solver, extra: Option<&Bool>) -> Verdict {
        if let Some(e) = extra {
            solver.push();
            solver.assert(e);
        }
        let now = Instant::now();
        let by_query = self.query_timeout.map(|t| now + t);
        let deadline = match (by_query, self.file_deadline) {
            (Some(q), Some(f)) => Some(q.min(f)),
            (q, f) => q.or(f),
        };
        self.watch.arm(deadline);
        let result = solver.check();
        let fired = self.watch.disarm();
        if std::env::var_os("VOUCH_TRACE").is_some() {
            eprintln!(
                "  query {:?} {:?} {:?}",
                extra.map(|e| e.to_string()),
                result,
                now.elapsed()
            );
        }
        let verdict = match result {
            SatResult::Sat => match solver.get_model() {
                Some(m) => Verdict::Sat(m),
                None => Verdict::Unknown("sat without a model".into()),
            },
            SatResult::Unsat => Verdict::Unsat,
            SatResult::Unknown => {
                self.gave_up += 1;
                let file_bound = self.file_deadline.is_some_and(|f| deadline == Some(f));
                Verdict::Unknown(if fired && file_bound {
                    EXHAUSTED.into()
                } else if fired {
                    format!(
                        "solver timeout ({} ms)",
                        self.query_timeout.map_or(0, |t| t.as_millis())
                    )
                } else {
                    let reason = solver
                        .get_reason_unknown()
                        .unwrap_or_else(|| "unknown".into());
                    format!("solver gave up: {reason}")
                })
            }
        };
        if extra.is_some() {
            solver.pop(1);
        }
        verdict
    }

    fn solve_one(&mut self, solvers: &mut Solvers, ob: &Obligation) -> Outcome {
        if std::env::var_os("VOUCH_TRACE").is_some() {
            eprintln!("obligation pc={:?} bad={:?}", ob.path_condition, ob.bad);
        }
        let roots = ob
            .path_condition
            .iter()
            .chain(std::iter::once(&ob.bad))
            .chain(ob.shown.iter().map(|(_, t)| t))
            .map(|t| &**t);
        let shape = translate::shape(roots);
        if shape.nodes > MAX_NODES {
            return Outcome::Unknown("obligation too large for the solver".into());
        }
        if shape.tree_nodes > MAX_TREE_NODES || shape.depth > MAX_DEPTH {
            return Outcome::Unknown("obligation too large to re-check".into());
        }
        // Decided the same way on every run: not asked, rather than cut by a clock.
        if shape.nonlinear_division {
            return Outcome::Unknown("nonlinear division: not asked of the solver".into());
        }
        // Float obligations ask whether two sides can be equal as the decimals a caller
        // means yet differ as doubles. Rounding decimals to doubles (`to_fp` of a real)
        // does not finish on Z3 4.8.12 even for `a + b == c`, so Z3 gets the stronger
        // question without the intent: can the sides differ as doubles at all? No means
        // proved (`price + 0.0 == price`); yes proves nothing, since evaluation (which ran
        // first) found no decimals that show it.
        // A float comparison met on the way (`if rate == 0.5:`) is dropped from other
        // obligations' paths: a weaker path keeps proofs sound and spares them the
        // floating-point solver.
        if shape.floats {
            let has_floats = |t: &crate::term::T| translate::shape(std::iter::once(&**t)).floats;
            if has_floats(&ob.bad) || ob.shown.iter().any(|(_, t)| has_floats(t)) {
                return self.solve_float(solvers, ob);
            }
            let mut reduced = ob.clone();
            reduced.path_condition.retain(|c| !has_floats(c));
            return self.solve_one(solvers, &reduced);
        }
        // Rust's fixed-width obligations are pure bit-vector queries (`QF_BV` is the
        // cheapest solver to set up); mixed with ints or strings they need the default one.
        let (slot, logic) = match (shape.bits, shape.strings || shape.ints) {
            (true, false) => (&mut solvers.bits, BV_LOGIC),
            (true, true) => (&mut solvers.mixed, ""),
            (false, true) if shape.strings => (&mut solvers.strings, STRING_LOGIC),
            _ => (&mut solvers.arith, ARITH_LOGIC),
        };
        let solver = match slot {
            Some(s) => s,
            None => slot.insert(new_solver(logic, self.rlimit)),
        };
        solver.push();
        let outcome = self.check(solver, ob);
        solver.pop(1);
        // Z3 4.8.12's string solver can be left broken by a query its resource limit
        // stopped: the next check on the same solver crashed the process (ansible's
        // `unarchive.py`). A fresh solver for what follows.
        if shape.strings && matches!(outcome, Outcome::Unknown(_)) {
            *slot = None;
        }
        outcome
    }

    /// A float obligation without its decimal intent (see `solve_one`): proved when the two
    /// sides cannot differ as doubles for any finite inputs on the path; otherwise the
    /// doubles Z3 found are a witness only if they also show the intent.
    fn solve_float(&mut self, solvers: &mut Solvers, ob: &Obligation) -> Outcome {
        let undecided = || Outcome::Unknown(FLOATS_UNDECIDED.into());
        if self.float_queries >= MAX_FLOAT_QUERIES {
            return undecided();
        }
        let Some(relaxed) = without_intent(&ob.bad) else {
            return undecided();
        };
        if !one_rounding(&relaxed) {
            return undecided();
        }
        self.float_queries += 1;
        self.tr.pin(&relaxed);
        let stronger = Obligation {
            path_condition: ob
                .path_condition
                .iter()
                .filter(|c| only_floats(c))
                .cloned()
                .collect(),
            bad: relaxed,
            shown: Vec::new(),
            ..ob.clone()
        };
        let solver = solvers
            .floats
            .get_or_insert_with(|| new_solver(FLOAT_LOGIC, self.rlimit));
        solver.push();
        let outcome = match self.assert_obligation(solver, &stronger) {
            Err(e) => Outcome::Unknown(e),
            Ok(()) => match self.query(solver, None) {
                Verdict::Unsat => Outcome::Proved,
                Verdict::Unknown(reason) => Outcome::Unknown(reason),
                Verdict::Sat(model) => {
                    let values = self.model_values(&model, ob);
                    super::concrete::canonicalize(ob, &values).unwrap_or_else(undecided)
                }
            },
        };
        solver.pop(1);
        outcome
    }

    /// The model's value of every symbol the obligation mentions.
    fn model_values(
        &mut self,
        model: &Model,
        ob: &Obligation,
    ) -> BTreeMap<crate::term::SymId, crate::term::Val> {
        let (all, _) = witness::symbols_and_cone(ob);
        all.iter()
            .filter_map(|(id, sort)| self.tr.value(model, *id, *sort).map(|v| (*id, v)))
            .collect()
    }

    /// Assert an obligation's path, its violation, and that its float inputs are finite.
    fn assert_obligation(&mut self, solver: &Solver, ob: &Obligation) -> Result<(), String> {
        let mut asserted = Vec::with_capacity(ob.path_condition.len() + 1);
        for t in ob.path_condition.iter().chain(std::iter::once(&ob.bad)) {
            if t.as_bool() == Some(true) {
                continue;
            }
            asserted.push(self.tr.bool(t)?);
        }
        // Python floats reach a comparison as numbers: NaN and infinities are not inputs.
        let (all, _) = witness::symbols_and_cone(ob);
        for (id, sort) in &all {
            if *sort == crate::term::Sort::Float {
                asserted.push(self.tr.finite(*id));
            }
        }
        for b in &asserted {
            solver.assert(b);
        }
        Ok(())
    }

    fn check(&mut self, solver: &Solver, ob: &Obligation) -> Outcome {
        if let Err(e) = self.assert_obligation(solver, ob) {
            return Outcome::Unknown(e);
        }
        match self.query(solver, None) {
            Verdict::Unsat => Outcome::Proved,
            Verdict::Unknown(reason) => Outcome::Unknown(reason),
            Verdict::Sat(model) => {
                // Canonical values by evaluation first: string minimisation through Z3
                // costs milliseconds per query on 4.8.12.
                let values = self.model_values(&model, ob);
                match self
                    .by_evaluation
                    .then(|| super::concrete::canonicalize(ob, &values))
                    .flatten()
                {
                    Some(outcome) => outcome,
                    None => witness::counterexample(self, solver, ob, model),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::{self as t, Origin, Sort, Symbol, T, Val, py_floordiv, py_mod};
    use std::sync::Arc;

    fn symbol(id: u32, name: &str, sort: Sort) -> Symbol {
        Symbol {
            id,
            name: name.into(),
            sort,
            origin: Origin::Param,
        }
    }

    fn ob(path: Vec<T>, bad: T, symbols: Vec<Symbol>, shown: Vec<(&str, T)>) -> Obligation {
        Obligation {
            path_condition: path,
            bad,
            symbols,
            shown: shown.into_iter().map(|(n, t)| (n.to_string(), t)).collect(),
        }
    }

    /// Functional tests get generous wall-clock limits: the cores are shared, and the
    /// limits have tests of their own.
    const RELAXED: Budget = Budget {
        query_timeout_ms: 5_000,
        query_rlimit: 2_000_000,
        file_give_ups: 0,
        file_budget_ms: 60_000,
    };

    fn solve(obs: &[Obligation]) -> Vec<Outcome> {
        solve_all_with(obs, &RELAXED, false)
            .into_iter()
            .map(|(o, _)| o)
            .collect()
    }

    fn one(o: Obligation) -> Outcome {
        solve(&[o]).remove(0)
    }

    /// The witness as `name=value` pairs, for compact assertions.
    fn wit(o: &Outcome) -> Vec<String> {
        match o {
            Outcome::Violated { witness, .. } => witness
                .iter()
                .map(|(s, v)| format!("{}={}", s.name, v))
                .collect(),
            other => panic!("expected a violation, got {other:?}"),
        }
    }

    fn shown(o: &Outcome) -> Vec<(String, Val)> {
        match o {
            Outcome::Violated { shown, .. } => shown.clone(),
            other => panic!("expected a violation, got {other:?}"),
        }
    }

    /// Fixed-width obligations go to the bit-vector solver: a guard proves an addition
    /// safe, an unguarded one gets the smallest witness through Z3 alone, in Rust syntax.
    #[test]
    fn fixed_width_proofs_and_witnesses() {
        use crate::term::{BvOp, IntTy};
        let u32t = IntTy::new(32, false);
        let (q, r) = (t::sym(0, Sort::Bits(u32t)), t::sym(1, Sort::Bits(u32t)));
        let syms = vec![
            symbol(0, "quantity", Sort::Bits(u32t)),
            symbol(1, "extra", Sort::Bits(u32t)),
        ];
        let over = t::bv_overflows(BvOp::Add, u32t, &q, &t::bits(1, u32t));
        let guarded = ob(
            vec![t::lt(&q, &t::bits(1000, u32t))],
            over.clone(),
            syms.clone(),
            vec![],
        );
        assert_eq!(one(guarded), Outcome::Proved);
        let unguarded = ob(vec![], over, syms.clone(), vec![]);
        assert_eq!(wit(&one(unguarded)), ["quantity=4294967295_u32"]);
        // Two symbols: the first is pinned to the smallest value that still overflows.
        let both = ob(
            vec![],
            t::bv_overflows(BvOp::Mul, u32t, &q, &r),
            syms,
            vec![],
        );
        let w = wit(&one(both));
        assert_eq!(w[0], "quantity=2_u32");
        assert_eq!(w[1], "extra=2147483648_u32");
    }

    #[test]
    fn folding_decides_without_z3() {
        let x = t::sym(0, Sort::Int);
        let r = solve_all_with(
            &[
                ob(
                    vec![t::gt(&x, &t::int(0))],
                    t::boolean(false),
                    vec![],
                    vec![],
                ),
                ob(
                    vec![t::boolean(false)],
                    t::eq(&x, &t::int(0)),
                    vec![symbol(0, "x", Sort::Int)],
                    vec![],
                ),
                ob(
                    vec![],
                    t::eq(&t::add(&t::int(1), &t::int(1)), &t::int(2)),
                    vec![],
                    vec![("total", t::add(&t::int(100), &t::int(18)))],
                ),
            ],
            &Budget::default(),
            false,
        );
        assert_eq!(r[0], (Outcome::Proved, 0));
        assert_eq!(r[1], (Outcome::Proved, 0));
        assert_eq!(
            r[2],
            (
                Outcome::Violated {
                    witness: vec![],
                    shown: vec![("total".into(), Val::Int(118))]
                },
                0
            )
        );
    }

    /// `a + b == c` on doubles against the decimals a caller writes, and `x + 0.0 == x`.
    #[test]
    fn float_equality_on_doubles() {
        let (a, b, c) = (
            t::sym(0, Sort::Float),
            t::sym(1, Sort::Float),
            t::sym(2, Sort::Float),
        );
        let syms = vec![
            symbol(0, "a", Sort::Float),
            symbol(1, "b", Sort::Float),
            symbol(2, "c", Sort::Float),
        ];
        let sum = t::farith(t::FOp::Add, &a, &b);
        let rounded = t::and(&[t::real_eq(&sum, &c), t::not(&t::feq(&sum, &c))]);
        let budget = Budget::default();
        // Evaluation finds the decimals that show the rounding.
        let r = solve_all_with(&[ob(vec![], rounded, syms.clone(), vec![])], &budget, true);
        assert_eq!(wit(&r[0].0), ["a=0.1", "b=0.2", "c=0.3"]);
        // Nothing to find, and Z3 proves the sides never differ as doubles.
        let intent_but_differ = |l: &T, r: &T| t::and(&[t::real_eq(l, r), t::not(&t::feq(l, r))]);
        let zero = t::farith(t::FOp::Add, &a, &t::float(0.0));
        let twice = t::farith(t::FOp::Mul, &a, &t::float(2.0));
        let doubled = t::farith(t::FOp::Add, &a, &a);
        let ab = t::farith(t::FOp::Add, &a, &b);
        let ba = t::farith(t::FOp::Add, &b, &a);
        for bad in [intent_but_differ(&zero, &a), intent_but_differ(&ab, &ba)] {
            let r = solve_all_with(&[ob(vec![], bad, syms.clone(), vec![])], &budget, true);
            assert_eq!(r[0].0, Outcome::Proved);
        }
        // True, but bit-blasting a multiplier takes ≈7 s on Z3 4.8.12: over budget.
        let r = solve_all_with(
            &[ob(
                vec![],
                intent_but_differ(&twice, &doubled),
                syms.clone(),
                vec![],
            )],
            &budget,
            true,
        );
        assert!(matches!(r[0].0, Outcome::Unknown(_)));
        // Charging and refunding: decimals show the rounding.
        let back = t::farith(t::FOp::Sub, &ab, &b);
        let r = solve_all_with(
            &[ob(
                vec![],
                intent_but_differ(&back, &a),
                syms.clone(),
                vec![],
            )],
            &budget,
            true,
        );
        assert_eq!(wit(&r[0].0), ["a=0.1", "b=0.2"]);
        // The sides differ as doubles, but never as decimals that are equal: neither
        // proved nor a finding (Z3 4.8.12 does not even find `a = 0` within the rlimit).
        let plus_one = t::farith(t::FOp::Add, &a, &t::float(1.0));
        let r = solve_all_with(
            &[ob(vec![], intent_but_differ(&plus_one, &a), syms, vec![])],
            &budget,
            true,
        );
        assert!(matches!(r[0].0, Outcome::Unknown(_)), "{r:?}");
    }

    #[test]
    fn proves_contradictory_guard() {
        let x = t::sym(0, Sort::Int);
        let o = ob(
            vec![t::gt(&x, &t::int(0))],
            t::eq(&x, &t::int(0)),
            vec![symbol(0, "x", Sort::Int)],
            vec![],
        );
        assert_eq!(one(o), Outcome::Proved);
    }

    #[test]
    fn proves_divisor_guarded_by_length() {
        let s = t::sym(0, Sort::Str);
        let n = t::str_len(&s);
        let o = ob(
            vec![t::ge(&n, &t::int(1))],
            t::eq(&n, &t::int(0)),
            vec![symbol(0, "values", Sort::Str)],
            vec![],
        );
        assert_eq!(one(o), Outcome::Proved);
    }

    #[test]
    fn minimal_int_witness_with_shown_value() {
        let x = t::sym(0, Sort::Int);
        let twice = t::mul(&x, &t::int(2));
        let o = ob(
            vec![],
            t::eq(&twice, &t::int(6)),
            vec![symbol(0, "x", Sort::Int)],
            vec![("x*2", twice.clone())],
        );
        let r = one(o);
        assert_eq!(wit(&r), ["x=3"]);
        assert_eq!(shown(&r), [("x*2".to_string(), Val::Int(6))]);
    }

    #[test]
    fn truthy_bool_flag() {
        let o = ob(
            vec![],
            t::sym(3, Sort::Bool),
            vec![symbol(3, "use_shell", Sort::Bool)],
            vec![],
        );
        assert_eq!(wit(&one(o)), ["use_shell=True"]);
    }

    #[test]
    fn symbols_pinned_in_order() {
        let (a, b) = (t::sym(0, Sort::Int), t::sym(1, Sort::Int));
        let o = ob(
            vec![t::gt(&a, &t::int(5))],
            t::eq(&t::sub(&a, &b), &t::int(0)),
            vec![symbol(0, "a", Sort::Int), symbol(1, "b", Sort::Int)],
            vec![],
        );
        assert_eq!(wit(&one(o)), ["a=6", "b=6"]);
        // Smallest magnitude, and the non-negative one when both signs work.
        let x = t::sym(0, Sort::Int);
        let o = ob(
            vec![],
            t::ge(&t::mul(&x, &x), &t::int(1000)),
            vec![symbol(0, "x", Sort::Int)],
            vec![],
        );
        assert_eq!(wit(&one(o)), ["x=32"]);
        let o = ob(
            vec![],
            t::lt(&x, &t::int(-1000)),
            vec![symbol(0, "x", Sort::Int)],
            vec![],
        );
        assert_eq!(wit(&one(o)), ["x=-1001"]);
    }

    #[test]
    fn witness_restricted_to_cone() {
        let (a, b, c) = (
            t::sym(0, Sort::Int),
            t::sym(1, Sort::Int),
            t::sym(2, Sort::Int),
        );
        let o = ob(
            vec![t::gt(&c, &t::int(10)), t::lt(&a, &b), t::gt(&b, &t::int(3))],
            t::eq(&t::sub(&b, &a), &t::int(2)),
            vec![
                symbol(0, "a", Sort::Int),
                symbol(1, "b", Sort::Int),
                symbol(2, "c", Sort::Int),
            ],
            vec![],
        );
        assert_eq!(wit(&one(o)), ["a=2", "b=4"]);
    }

    #[test]
    fn floor_division_and_modulo_match_python() {
        let (x, y) = (t::sym(0, Sort::Int), t::sym(1, Sort::Int));
        let syms = vec![symbol(0, "x", Sort::Int), symbol(1, "y", Sort::Int)];
        let mut obs = Vec::new();
        let mut expect = Vec::new();
        for a in -9i128..=9 {
            for b in [-4i128, -3, -2, -1, 1, 2, 3, 4] {
                let path = vec![t::eq(&x, &t::int(a)), t::eq(&y, &t::int(b))];
                let (q, r) = (py_floordiv(a, b), py_mod(a, b));
                let (Some(q), Some(r)) = (q, r) else {
                    panic!("py_floordiv({a}, {b}) undefined")
                };
                // Symbolic divisor: the ite encoding.
                let fd: T = Arc::new(Term::FloorDiv(x.clone(), y.clone()));
                let md: T = Arc::new(Term::Mod(x.clone(), y.clone()));
                obs.push(ob(
                    path.clone(),
                    t::ne(&fd, &t::int(q)),
                    syms.clone(),
                    vec![],
                ));
                obs.push(ob(
                    path.clone(),
                    t::ne(&md, &t::int(r)),
                    syms.clone(),
                    vec![],
                ));
                // Constant divisor: the specialised encodings (unfolded on purpose).
                let fdc: T = Arc::new(Term::FloorDiv(x.clone(), t::int(b)));
                let mdc: T = Arc::new(Term::Mod(x.clone(), t::int(b)));
                obs.push(ob(
                    path.clone(),
                    t::ne(&fdc, &t::int(q)),
                    syms.clone(),
                    vec![],
                ));
                obs.push(ob(path, t::ne(&mdc, &t::int(r)), syms.clone(), vec![]));
                for kind in ["//", "%", "// (constant)", "% (constant)"] {
                    expect.push(format!("{a} {kind} {b}"));
                }
            }
        }
        let got = solve(&obs);
        for (o, what) in got.iter().zip(&expect) {
            assert_eq!(o, &Outcome::Proved, "{what}");
        }
        // And the solver finds Python's values on its own: x // -2 == 3 needs x in {-7, -6}.
        let o = ob(
            vec![],
            t::eq(&Arc::new(Term::FloorDiv(x.clone(), t::int(-2))), &t::int(3)),
            syms.clone(),
            vec![],
        );
        assert_eq!(wit(&one(o)), ["x=-6"]);
        let o = ob(
            vec![t::lt(&x, &t::int(0))],
            t::eq(&Arc::new(Term::Mod(x.clone(), y.clone())), &t::int(2)),
            syms,
            vec![],
        );
        assert_eq!(wit(&one(o)), ["x=-1", "y=3"]);
    }

    #[test]
    fn string_witnesses() {
        let s = t::sym(0, Sort::Str);
        let syms = vec![symbol(0, "name", Sort::Str)];
        let query = t::concat(&[t::string("SELECT '"), s.clone(), t::string("'")]);
        let o = ob(
            vec![],
            t::contains(&query, &t::string("x")),
            syms.clone(),
            vec![],
        );
        assert_eq!(wit(&one(o)), ["name='x'"]);
        // The tainted part can hold a quote.
        let o = ob(
            vec![t::prefix_of(&t::string("ab"), &s)],
            t::contains(&s, &t::string("'")),
            syms.clone(),
            vec![("query", query.clone())],
        );
        let r = one(o);
        assert_eq!(wit(&r), ["name=\"ab'\""]);
        assert_eq!(
            shown(&r),
            [("query".into(), Val::Str("SELECT 'ab''".into()))]
        );
        // Unconstrained characters become `a`.
        let o = ob(
            vec![t::ge(&t::str_len(&s), &t::int(3))],
            t::contains(&s, &t::string(";")),
            syms.clone(),
            vec![],
        );
        assert_eq!(wit(&one(o)), ["name='aa;'"]);
        // A guard that excludes the quote proves the sink safe.
        let o = ob(
            vec![t::not(&t::contains(&s, &t::string("'")))],
            t::contains(&s, &t::string("'")),
            syms.clone(),
            vec![],
        );
        assert_eq!(one(o), Outcome::Proved);
    }

    #[test]
    fn strings_outside_printable_ascii_round_trip() {
        let s = t::sym(0, Sort::Str);
        let syms = vec![symbol(0, "s", Sort::Str)];
        for text in [
            "é\\\u{7}",
            "\\u{41}",
            "\\u{7}x\u{7}",
            "日本\u{0}",
            "tab\there",
            "\u{1F600}",
        ] {
            let o = ob(vec![], t::eq(&s, &t::string(text)), syms.clone(), vec![]);
            let r = one(o);
            assert_eq!(
                match &r {
                    Outcome::Violated { witness, .. } => witness[0].1.clone(),
                    other => panic!("{text:?}: {other:?}"),
                },
                Val::Str(text.into())
            );
            // A literal backslash-u sequence is text, not an escape.
            let o = ob(
                vec![t::eq(&s, &t::string(text))],
                t::eq(&t::str_len(&s), &t::int(text.chars().count() as i128)),
                syms.clone(),
                vec![],
            );
            assert!(matches!(one(o), Outcome::Violated { .. }), "{text:?}");
        }
        let o = ob(vec![], t::eq(&s, &t::string("\u{10FFFF}")), syms, vec![]);
        assert!(matches!(one(o), Outcome::Unknown(_)));
    }

    #[test]
    fn int_to_str_follows_python() {
        let n = t::sym(0, Sort::Int);
        let syms = vec![symbol(0, "n", Sort::Int)];
        let text = t::int_to_str(&n);
        let o = ob(
            vec![t::lt(&n, &t::int(0))],
            t::contains(&text, &t::string("-")),
            syms.clone(),
            vec![("str(n)", text.clone())],
        );
        let r = one(o);
        assert_eq!(wit(&r), ["n=-1"]);
        assert_eq!(shown(&r), [("str(n)".into(), Val::Str("-1".into()))]);
        let o = ob(
            vec![t::ge(&n, &t::int(0))],
            t::contains(&text, &t::string("-")),
            syms.clone(),
            vec![],
        );
        assert_eq!(one(o), Outcome::Proved);
        let o = ob(
            vec![],
            t::eq(&text, &t::string("-45")),
            syms.clone(),
            vec![],
        );
        assert_eq!(wit(&one(o)), ["n=-45"]);
        let o = ob(vec![], t::eq(&text, &t::string("-")), syms, vec![]);
        assert_eq!(one(o), Outcome::Proved);
    }

    fn hard() -> Obligation {
        let (x, y, z) = (
            t::sym(0, Sort::Int),
            t::sym(1, Sort::Int),
            t::sym(2, Sort::Int),
        );
        let cube = |v: &T| t::mul(&t::mul(v, v), v);
        ob(
            vec![
                t::gt(&x, &t::int(0)),
                t::gt(&y, &t::int(0)),
                t::gt(&z, &t::int(0)),
            ],
            t::eq(&t::add(&cube(&x), &cube(&y)), &cube(&z)),
            vec![
                symbol(0, "x", Sort::Int),
                symbol(1, "y", Sort::Int),
                symbol(2, "z", Sort::Int),
            ],
            vec![],
        )
    }

    /// Answered at once: `x = 4`.
    fn easy() -> Obligation {
        let x = t::sym(0, Sort::Int);
        ob(
            vec![],
            t::eq(&x, &t::int(4)),
            vec![symbol(0, "x", Sort::Int)],
            vec![],
        )
    }

    #[test]
    fn hard_query_times_out() {
        let budget = Budget {
            query_timeout_ms: 100,
            ..Budget::default()
        };
        let t0 = Instant::now();
        let r = solve_all_with(&[hard()], &budget, false);
        assert!(
            matches!(&r[0].0, Outcome::Unknown(m) if m.contains("timeout")),
            "{r:?}"
        );
        assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
        // The context is still usable after an interrupt.
        let easy = easy();
        let r = solve_all_with(&[hard(), easy], &budget, false);
        assert_eq!(wit(&r[1].0), ["x=4"]);
    }

    #[test]
    fn file_budget_exhaustion() {
        let easy = easy();
        let folded = ob(vec![], t::boolean(false), vec![], vec![]);
        let budget = Budget {
            query_timeout_ms: 1_000,
            file_budget_ms: 150,
            ..Budget::default()
        };
        let t0 = Instant::now();
        let r = solve_all_with(&[hard(), easy, folded], &budget, false);
        assert!(
            t0.elapsed() < Duration::from_millis(900),
            "{:?}",
            t0.elapsed()
        );
        assert_eq!(r[0].0, Outcome::Unknown(EXHAUSTED.into()));
        assert_eq!(r[1], (Outcome::Unknown(EXHAUSTED.into()), 0));
        assert_eq!(r[2], (Outcome::Proved, 0));
    }

    /// A file stops asking Z3 after its allowance of unanswered queries, whatever the
    /// clock says: the rest are unknown without a query.
    #[test]
    fn file_give_ups_stop_the_file() {
        let easy = easy();
        let budget = Budget {
            query_timeout_ms: 200,
            file_give_ups: 1,
            file_budget_ms: 0,
            ..Budget::default()
        };
        let r = solve_all_with(&[hard(), easy.clone()], &budget, false);
        assert!(
            matches!(&r[0].0, Outcome::Unknown(m) if m != EXHAUSTED),
            "{r:?}"
        );
        assert_eq!(r[1], (Outcome::Unknown(EXHAUSTED.into()), 0));
        // Without the cap the easy one is answered.
        let budget = Budget {
            file_give_ups: 0,
            ..budget
        };
        let r = solve_all_with(&[hard(), easy], &budget, false);
        assert_eq!(wit(&r[1].0), ["x=4"]);
    }

    #[test]
    fn ill_sorted_terms_are_unknown() {
        let s = t::sym(0, Sort::Str);
        let o = ob(
            vec![],
            Arc::new(Term::Lt(s.clone(), t::int(3))),
            vec![symbol(0, "s", Sort::Str)],
            vec![],
        );
        assert!(matches!(one(o), Outcome::Unknown(m) if m.contains("ill-sorted")));
    }

    #[test]
    fn models_our_evaluator_rejects_are_unknown() {
        let x = t::sym(0, Sort::Int);
        let syms = vec![symbol(0, "x", Sort::Int)];
        // SMT-LIB makes `x div 0` some number; Python raises, so nothing re-checks.
        let o = ob(
            vec![],
            t::eq(&Arc::new(Term::FloorDiv(x.clone(), t::int(0))), &t::int(5)),
            syms.clone(),
            vec![],
        );
        assert_eq!(
            one(o),
            Outcome::Unknown("counterexample did not re-check".into())
        );
        // Values beyond i128 cannot be represented, so they are not reported either.
        let big = t::mul(&t::int(i128::MAX), &t::int(4));
        let o = ob(vec![], t::gt(&x, &big), syms, vec![]);
        assert!(matches!(one(o), Outcome::Unknown(_)));
    }

    #[test]
    fn shared_and_deep_terms() {
        let x = t::sym(0, Sort::Int);
        let syms = vec![symbol(0, "x", Sort::Int)];
        let doubled = |times: usize| {
            let mut v = x.clone();
            for _ in 0..times {
                v = t::add(&v, &v);
            }
            v
        };
        // 2^10 * x == 3072 shares every level: fine.
        let o = ob(
            vec![],
            t::eq(&doubled(10), &t::int(3072)),
            syms.clone(),
            vec![],
        );
        assert_eq!(wit(&one(o)), ["x=3"]);
        // 2^60 leaves when expanded: refused before anything walks the tree.
        let t0 = Instant::now();
        let o = ob(
            vec![],
            t::eq(&doubled(60), &t::int(0)),
            syms.clone(),
            vec![],
        );
        assert!(matches!(one(o), Outcome::Unknown(m) if m.contains("too large")));
        // (Constants added in a row would be merged: alternate with a product.)
        let mut deep = x.clone();
        for i in 0..5_000 {
            deep = t::add(&t::mul(&deep, &t::int(2)), &t::int(i + 1));
        }
        let o = ob(vec![], t::eq(&deep, &t::int(0)), syms, vec![]);
        assert!(matches!(one(o), Outcome::Unknown(m) if m.contains("too large")));
        assert!(t0.elapsed() < Duration::from_secs(2));
    }

    fn mixed() -> Vec<Obligation> {
        let (a, b) = (t::sym(0, Sort::Int), t::sym(1, Sort::Int));
        let s = t::sym(2, Sort::Str);
        let flag = t::sym(3, Sort::Bool);
        let syms = vec![
            symbol(0, "a", Sort::Int),
            symbol(1, "b", Sort::Int),
            symbol(2, "s", Sort::Str),
            symbol(3, "flag", Sort::Bool),
        ];
        let mut v = vec![
            ob(
                vec![t::gt(&a, &t::int(5))],
                t::eq(&t::sub(&a, &b), &t::int(0)),
                syms.clone(),
                vec![],
            ),
            ob(
                vec![t::ge(&t::mul(&a, &b), &t::int(30)), t::gt(&b, &a)],
                t::boolean(true),
                syms.clone(),
                vec![("a*b", t::mul(&a, &b))],
            ),
            ob(
                vec![t::ge(&t::str_len(&s), &t::int(4))],
                t::contains(&s, &t::string("..")),
                syms.clone(),
                vec![],
            ),
            ob(
                vec![t::or(&[flag.clone(), t::gt(&a, &t::int(7))])],
                t::lt(&a, &t::int(3)),
                syms.clone(),
                vec![],
            ),
            ob(
                vec![t::gt(&a, &t::int(0))],
                t::eq(&a, &t::int(0)),
                syms.clone(),
                vec![],
            ),
            ob(
                vec![t::not(&t::prefix_of(&t::string("/"), &s))],
                t::suffix_of(&t::string("/etc"), &s),
                syms.clone(),
                vec![],
            ),
            ob(
                vec![t::eq(&t::modulo(&a, &t::int(7)), &t::int(3))],
                t::lt(&a, &t::int(-20)),
                syms.clone(),
                vec![],
            ),
        ];
        v.push(ob(
            vec![],
            t::eq(&t::int_to_str(&a), &t::string("-17")),
            syms,
            vec![],
        ));
        v
    }

    #[test]
    fn outcomes_do_not_depend_on_history() {
        let first = solve(&mixed());
        assert!(
            first.iter().all(|o| !matches!(o, Outcome::Unknown(_))),
            "{first:?}"
        );
        // Reversed, with other queries interleaved so the context has solved other things.
        let x = t::sym(0, Sort::Int);
        let s = t::sym(2, Sort::Str);
        let noise = |i: i128| {
            ob(
                vec![
                    t::gt(&t::mul(&x, &t::int(3)), &t::int(i * 11)),
                    t::contains(&s, &t::string("zz")),
                ],
                t::ge(&x, &t::int(i)),
                vec![symbol(0, "a", Sort::Int), symbol(2, "s", Sort::Str)],
                vec![],
            )
        };
        let mut again = Vec::new();
        for (i, o) in mixed().into_iter().rev().enumerate() {
            again.push(noise(i as i128 * 37 - 50));
            again.push(o);
        }
        let second = solve(&again);
        let second: Vec<Outcome> = second.into_iter().skip(1).step_by(2).rev().collect();
        assert_eq!(first, second);
        // And on another thread, with a warm thread-local context elsewhere.
        let third = std::thread::spawn(|| solve(&mixed()))
            .join()
            .unwrap_or_default();
        assert_eq!(first, third);
    }

    fn median(mut v: Vec<u32>) -> u32 {
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    }

    /// Costs for the report; run with
    /// `cargo test --release --lib solve::z3_backend::tests::costs -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn costs() {
        let (x, n) = (t::sym(0, Sort::Int), t::sym(1, Sort::Int));
        let s = t::sym(2, Sort::Str);
        let syms = vec![
            symbol(0, "x", Sort::Int),
            symbol(1, "n", Sort::Int),
            symbol(2, "s", Sort::Str),
        ];
        let budget = Budget::default();
        let run = |obs: &[Obligation]| -> Vec<u32> {
            let r = solve_all_with(obs, &budget, false);
            assert!(
                r.iter().all(|(o, _)| !matches!(o, Outcome::Unknown(_))),
                "{r:?}"
            );
            r.into_iter().map(|(_, us)| us).collect()
        };
        // A guarded divisor (proved) and an unguarded one (violated, witness minimised).
        let proved: Vec<Obligation> = (0..1000)
            .map(|i| {
                ob(
                    vec![t::ge(&n, &t::int(i % 7 + 1))],
                    t::eq(&n, &t::int(0)),
                    syms.clone(),
                    vec![],
                )
            })
            .collect();
        let violated: Vec<Obligation> = (0..1000)
            .map(|i| {
                ob(
                    vec![t::gt(&x, &t::int(i % 13))],
                    t::eq(&t::sub(&x, &n), &t::int(0)),
                    syms.clone(),
                    vec![("x - n", t::sub(&x, &n))],
                )
            })
            .collect();
        let str_proved: Vec<Obligation> = (0..300)
            .map(|i| {
                ob(
                    vec![
                        t::not(&t::contains(&s, &t::string("'"))),
                        t::ge(&t::str_len(&s), &t::int(i % 5)),
                    ],
                    t::contains(&s, &t::string("'")),
                    syms.clone(),
                    vec![],
                )
            })
            .collect();
        let str_violated: Vec<Obligation> = (0..300)
            .map(|i| {
                let q = t::concat(&[
                    t::string("SELECT * FROM t WHERE name = '"),
                    s.clone(),
                    t::string("'"),
                ]);
                ob(
                    vec![t::ge(&t::str_len(&s), &t::int(i % 3))],
                    t::contains(&s, &t::string("'")),
                    syms.clone(),
                    vec![("query", q)],
                )
            })
            .collect();
        // Per-file fixed costs: medians over repeated one-obligation files, after a warm-up
        // (the first context in a process also builds Z3's global tables).
        run(&proved[..1]);
        let per_file = |obs: &[Obligation], b: &Budget| -> Duration {
            let mut v: Vec<u32> = (0..200)
                .map(|_| {
                    let t0 = Instant::now();
                    solve_all_with(obs, b, false);
                    micros(t0)
                })
                .collect();
            v.sort_unstable();
            Duration::from_micros(v[v.len() / 2].into())
        };
        let no_limits = Budget {
            query_timeout_ms: 0,
            file_budget_ms: 0,
            ..Budget::default()
        };
        let one_file = per_file(&proved[..1], &budget);
        let one_file_no_dog = per_file(&proved[..1], &no_limits);
        let one_str_file = per_file(&str_proved[..1], &budget);
        let mut v: Vec<u32> = (0..200)
            .map(|_| {
                let t0 = Instant::now();
                z3::with_z3_config(&Config::new(), || ());
                micros(t0)
            })
            .collect();
        v.sort_unstable();
        let ctx = Duration::from_micros(v[v.len() / 2].into());
        eprintln!("file with one small Int obligation, no watchdog: {one_file_no_dog:?}");
        let p = run(&proved);
        let v = run(&violated);
        let sp = run(&str_proved);
        let sv = run(&str_violated);
        eprintln!("context alone: {ctx:?}");
        eprintln!(
            "file with one small Int obligation (context, watchdog, solver, query): {one_file:?}"
        );
        eprintln!("file with one small Str obligation: {one_str_file:?}");
        eprintln!(
            "Int proved: first {} us, median {} us",
            p[0],
            median(p[1..].to_vec())
        );
        eprintln!(
            "Int violated + witness: first {} us, median {} us",
            v[0],
            median(v[1..].to_vec())
        );
        eprintln!(
            "Str proved: first {} us, median {} us",
            sp[0],
            median(sp[1..].to_vec())
        );
        eprintln!(
            "Str violated + witness: first {} us, median {} us",
            sv[0],
            median(sv[1..].to_vec())
        );
    }
}
