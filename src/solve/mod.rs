//! The solver layer: obligations in, verdicts out.
//!
//! Obligations are plain `Send` data ([`Obligation`]); Z3 objects exist only inside
//! [`solve_file`], which builds a fresh context for the file, reuses one solver with
//! push/pop for all its obligations, and returns plain [`Outcome`]s. Counterexamples are
//! made canonical (minimal values, fixed symbol order) so they do not depend on what the
//! context solved before, and are re-checked with [`crate::term::eval`]; one that does not
//! reproduce is downgraded to `Unknown`.

pub(super) mod concrete;
mod translate;
mod witness;
pub mod z3_backend;

use crate::term::{Symbol, T, Val};

/// One question: can `path_condition ∧ bad` hold?
#[derive(Clone, Debug)]
pub struct Obligation {
    /// Conjunction of facts that hold on the path to the site.
    pub path_condition: Vec<T>,
    /// The bad thing (divisor is zero, `shell` is truthy...).
    pub bad: T,
    /// Every symbol mentioned by `path_condition`, `bad` and `shown`, in canonical order
    /// (the order the analysis created them); witnesses list them in this order.
    pub symbols: Vec<Symbol>,
    /// Derived values to show with a counterexample ("left side" -> `a + b`).
    pub shown: Vec<(String, T)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `path_condition ∧ bad` is unsatisfiable.
    Proved,
    /// Satisfiable; the witness re-checked by evaluation.
    Violated {
        /// Values of the symbols that `path_condition ∧ bad` mention, canonical order.
        witness: Vec<(Symbol, Val)>,
        shown: Vec<(String, Val)>,
    },
    /// Timeout, resource limit, or a witness that failed the re-check.
    Unknown(String),
}

#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Wall-clock cap per query: a safety net for what `query_rlimit` does not bound
    /// (nonlinear arithmetic on 4.8.12). 0: no cap.
    pub query_timeout_ms: u32,
    /// Z3 resource limit per query, the deterministic limit. 0: no limit.
    pub query_rlimit: u32,
    /// Queries of one file that may end without an answer (limit reached) before the
    /// rest of its obligations become `Unknown` unasked: deterministic, unlike a clock.
    /// 0: no cap.
    pub file_give_ups: u32,
    /// Total wall-clock for one file's obligations (a safety net); the rest become
    /// `Unknown`. 0: no cap.
    pub file_budget_ms: u32,
}

/// Whether an unknown outcome's reason is a wall clock firing (load-dependent), as opposed
/// to a deterministic limit.
pub fn is_wall_clock(reason: &str) -> bool {
    reason.starts_with("solver timeout") || reason == z3_backend::EXHAUSTED
}

impl Default for Budget {
    fn default() -> Self {
        // Measured on Django and SymPy with Z3 4.8.12: 100k units stop a string query
        // that will not answer within ≈100 ms. Every limit that decides a verdict is
        // deterministic (the rlimit, the count of unanswered queries per file), so the same
        // input gives the same report whatever the machine's load; the wall clocks only
        // guard against a query the rlimit does not bound (nonlinear arithmetic on 4.8.12)
        // and say so in a note when they fire. A 2 s per-file clock made CI reruns flap.
        Budget {
            query_timeout_ms: 10_000,
            query_rlimit: 100_000,
            file_give_ups: 4,
            file_budget_ms: 60_000,
        }
    }
}

/// The symbols a violation is about: those of its bad condition, closed over the path
/// conjuncts that share one, and those its shown values need.
pub fn cone(ob: &Obligation) -> std::collections::BTreeSet<crate::term::SymId> {
    witness::symbols_and_cone(ob).1
}

/// Decide every obligation of one file. Returns one outcome per obligation, in order, and
/// the time each query took in microseconds (0 for those decided without Z3).
pub fn solve_file(obligations: &[Obligation], budget: &Budget) -> Vec<(Outcome, u32)> {
    z3_backend::solve_all(obligations, budget)
}
