//! Path-sensitive symbolic execution of one function's structured body.
//!
//! The state is an environment (variable -> [`Value`]) plus the path condition, a list of
//! Bool terms. Branches run on copies of the state and join by the conditions that tell
//! the two paths apart; loops are summarised by havocking what the body assigns (with a
//! monotonicity fact for counters that only grow) and keeping the exit condition. Every
//! risky site met on the way becomes a [`Site`]: the path condition so far plus the bad
//! condition, handed to the solver later.
//!
//! This file holds the state, statements, assignment and joins; the rest is split by
//! concern into `expr` (expressions and formatting), `calls` (calls, modelled builtins,
//! following calls), `loops` (loop summaries and what they havoc), `control` (`try`,
//! `match`), `sites` (the risky-site builders) and `scan` (syntactic scans of the IR).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::sinks::{self, RuleIndex};
use super::value::{self, Symbols, Value};
use crate::ir::{Block, Const, Expr, ExprKind, Function, Module, Span, Stmt, StmtKind, Target};
use crate::term::{self, Origin, Sort, SymId, T};

mod calls;
mod cargo_profile;
mod control;
mod expr;
mod loops;
mod rust;
mod scan;
mod sites;
mod summary;
mod taint;

pub use calls::{CallArg, Callee, FOLLOWED_INTO, is_private, is_private_name};
pub use scan::{access_path, changed_in_place};
pub use sites::{CC_FALSE, CC_TRUE, CC_TRUE_SILENT};
pub use summary::{Analysed, Context, Summaries, Summary, analyse};

use loops::{range_bounds, unrolled_items};
use scan::{ESCAPED, constructor_fed, mutated_names, rebound_by_nested, target_name};

/// What kind of policy decides whether a satisfiable site is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// Arithmetic and other correctness checks: a site whose bad condition depends on the
    /// result of an unknown call is not reported.
    Correctness,
    /// A security check on a value (a flag, a key size): like `Correctness`.
    SecurityValue,
    /// A security check on how a value was built (formatting, non-literal code): values
    /// from unknown calls count as data that can hold anything.
    SecurityData,
    /// A branch condition: the bad condition is "the branch can be taken", so a *proof*
    /// (unsat) is the finding (the condition is constant here) and a model is nothing.
    ConstantCondition,
}

/// A risky site: the raw material of an obligation.
#[derive(Clone, Debug)]
pub struct Site {
    pub rule: String,
    pub span: Span,
    pub pc: Vec<T>,
    pub bad: T,
    pub shown: Vec<(String, T)>,
    pub message: String,
    /// What was proved when the bad condition is unsatisfiable ("divisor is never zero").
    pub property: String,
    pub kind: SiteKind,
    pub fix: Option<crate::finding::Fix>,
    pub related: Vec<crate::finding::Related>,
    /// Recorded while following a call into a function of the module: reported (at the
    /// call site) only when the call makes the violation certain...
    pub inlined: bool,
    /// ...or, when the callee is a private helper (`_parse`), like a site of the caller:
    /// the helper's own analysis leaves what its arguments must satisfy to its callers.
    pub from_private: bool,
    /// In a private helper: a correctness violation that needs particular argument values
    /// is its callers' business, checked where they call it (see `from_private`).
    pub in_private: bool,
    /// A demand on the caller stated where the function takes it for granted (dividing
    /// by a parameter as passed): never judged where it is, only through the function's
    /// summary at calls that break it.
    pub contract: bool,
    /// The bad condition covers only part of the property (an index checked against the
    /// end only): a proof of it is no proof of the site, so it is never listed as one.
    pub partial: bool,
    /// A constant-condition site on a condition that folded to a constant in one
    /// iteration of an unrolled loop: it counts for the other iterations' verdict, but a
    /// condition constant in every iteration is not judged (like any folded condition).
    pub folded: bool,
}

#[derive(Clone, Debug, Default)]
pub struct State {
    pub env: HashMap<String, Value>,
    pub pc: Vec<T>,
    pub live: bool,
}

/// Statements executed per function before the analysis gives up on the rest.
const MAX_STEPS: usize = 20_000;
/// A path-condition conjunct larger than this is dropped (weaker, still sound for proofs).
const MAX_PC_TERM: usize = 400;

pub struct Exec<'a> {
    pub module: &'a Module,
    pub index: &'a RuleIndex,
    pub syms: Symbols,
    pub consts: &'a HashMap<String, Value>,
    pub sites: Vec<Site>,
    /// Values returned, with the path condition at each `return`.
    pub returns: Vec<(Vec<T>, Value)>,
    loop_breaks: Vec<Vec<State>>,
    /// The states at `continue` in the loops being executed, innermost last.
    loop_continues: Vec<Vec<State>>,
    steps: usize,
    pub truncated: bool,
    /// Module-body analysis: module variables live in the environment.
    at_module_level: bool,
    /// Parameters annotated as non-integral numbers: their int view is an approximation
    /// that can prove `1 < x < 2` impossible, so conditions on them are not judged.
    real_params: HashSet<value::BaseId>,
    /// Parameters the code says are whole numbers (`n: int`, `retries=3`).
    integral_params: HashSet<value::BaseId>,
    /// The function defines nested functions or lambdas, which can change its lists.
    has_closures: bool,
    /// Names handed to unseen code somewhere in the function (inside call arguments or
    /// stored into objects): any unknown call may change them.
    escaped: HashSet<String>,
    /// Unknowns known to have at least one item (results of `str.split(sep)`).
    nonempty: HashSet<value::BaseId>,
    /// Calls into module functions being followed (at most one level).
    inline_depth: usize,
    /// The receiver of the method being analysed (`self`), and the attributes its class's
    /// `__init__` sets from constructor arguments: those are the caller's to choose, like
    /// parameters (`Progress([])`), while the rest of the object's state is not.
    receiver: Option<value::BaseId>,
    constructor_fed: HashSet<String>,
    /// The class of the method being analysed, for following `self._helper(...)`.
    class: Option<crate::ir::ClassId>,
    /// The function being analysed is a private helper ([`is_private_name`]).
    in_private: bool,
    /// Names that nested functions rebind (`nonlocal n`; at module level, `global n`):
    /// any unknown call may run one of them.
    rebound_elsewhere: HashSet<String>,
    /// The parameter names of the function being analysed.
    own_params: Vec<String>,
    /// Their bases, in order (for the function's summary).
    param_bases: Vec<value::BaseId>,
    /// The module imports a web framework: request handlers' parameters and `request.GET`
    /// are sources.
    framework_module: bool,
    /// The project's function summaries, for calls not followed with the caller's values.
    pub summaries: Option<&'a Summaries<'a>>,
    /// The project the module belongs to (calls into its other modules), and the module's
    /// index in it.
    pub project: Option<&'a crate::project::Project>,
    pub module_idx: usize,
    /// The function being analysed, when it is one of the module's (`Summaries::run`).
    pub current: Option<usize>,
    /// Unrolled loops being executed (see `loops::exec_unrolled`).
    unrolling: usize,
    /// The site being recorded is a contract (see [`Site::contract`]).
    stating_contract: bool,
    /// The site being recorded checks only part of its property (see [`Site::partial`]).
    stating_partial: bool,
    /// Path conjuncts the analysis assumed rather than the code checked.
    assumed: Vec<T>,
    /// Counters a loop only increases, with no bound in its condition: known from below
    /// (zero iterations leave them as they were), not from above.
    growing: HashSet<SymId>,
    /// What the risky operations of the current statement need to go through (`n != 0`),
    /// with the path condition where each was met.
    survived: Vec<(Vec<T>, T)>,
    /// The exceptions caught around the statement being executed, innermost last, as
    /// qualified names (`*` for a bare `except:`).
    caught: Vec<Vec<String>>,
    /// The entries of the dict literal evaluated last (span, string key -> value), so an
    /// assignment or a `%` format right after it can see them.
    last_dict: Option<(Span, Vec<(String, Value)>)>,
    /// Rust: what an overflow does in the file's project, read from its `Cargo.toml`
    /// the first time a site needs it.
    overflow_checks: Option<cargo_profile::OverflowChecks>,
}

impl<'a> Exec<'a> {
    pub fn new(
        module: &'a Module,
        index: &'a RuleIndex,
        consts: &'a HashMap<String, Value>,
    ) -> Self {
        Exec {
            module,
            index,
            syms: Symbols::default(),
            consts,
            sites: Vec::new(),
            returns: Vec::new(),
            loop_breaks: Vec::new(),
            loop_continues: Vec::new(),
            steps: 0,
            truncated: false,
            at_module_level: false,
            real_params: HashSet::new(),
            integral_params: HashSet::new(),
            has_closures: false,
            escaped: HashSet::new(),
            nonempty: HashSet::new(),
            inline_depth: 0,
            last_dict: None,
            receiver: None,
            constructor_fed: HashSet::new(),
            class: None,
            in_private: false,
            caught: Vec::new(),
            survived: Vec::new(),
            own_params: Vec::new(),
            param_bases: Vec::new(),
            summaries: None,
            framework_module: taint::imports_framework(module, &index.sources.frameworks),
            project: None,
            module_idx: 0,
            stating_contract: false,
            stating_partial: false,
            unrolling: 0,
            current: None,
            assumed: Vec::new(),
            growing: HashSet::new(),
            rebound_elsewhere: HashSet::new(),
            overflow_checks: None,
        }
    }

    /// Analyze a function from its entry with unknown parameters.
    pub fn run_function(&mut self, f: &Function, is_module: bool) {
        self.at_module_level = is_module;
        // Module-level code shares its lists with every function of the module.
        self.has_closures = is_module
            || self.module.functions.iter().any(|g| {
                g.parent
                    .and_then(|p| self.module.functions.get(p))
                    .is_some_and(|parent| std::ptr::eq(parent, f))
            })
            || self.text(f.span).contains("lambda");
        let mut effects = HashSet::new();
        mutated_names(&f.body, &mut effects);
        self.escaped = effects
            .iter()
            .filter_map(|n| n.strip_prefix(ESCAPED).map(str::to_string))
            .collect();
        let mut st = State {
            live: true,
            ..Default::default()
        };
        // The receiver of a method (`self`, `cls`) is the object's state, not an argument.
        let receiver = f.class.is_some()
            && !f
                .decorators
                .iter()
                .any(|d| matches!(&d.kind, ExprKind::Global(q) if q == "builtins.staticmethod"));
        self.rebound_elsewhere = rebound_by_nested(self.module, f, is_module);
        self.receiver = None;
        self.constructor_fed.clear();
        self.class = f.class;
        self.in_private = is_private(f);
        self.own_params = f.params.iter().map(|p| p.name.clone()).collect();
        let from_request = self.handler_params(f, receiver);
        for (i, p) in f.params.iter().enumerate() {
            // A `str` annotation types the value: a string is a path or a name, not a switch.
            let ty = match p.annotation.as_ref().map(|a| &a.kind) {
                Some(ExprKind::Global(q)) if q == "builtins.str" => Some(Arc::from("builtins.str")),
                _ => None,
            };
            let origin = if receiver && i == 0 {
                Origin::State
            } else if from_request.get(i).copied().unwrap_or(false) {
                Origin::Source
            } else {
                Origin::Param
            };
            let base = self.syms.new_base(&p.name, origin, ty);
            if origin == Origin::Source {
                self.syms.mark_source(base, p.span);
            }
            self.param_bases.push(base);
            if origin == Origin::State {
                self.receiver = Some(base);
                self.constructor_fed = f
                    .class
                    .map(|c| constructor_fed(self.module, c))
                    .unwrap_or_default();
            }
            let real = p.annotation.as_ref().is_some_and(|a| {
                let text = self.text(a.span);
                ["float", "Decimal", "Fraction", "complex"]
                    .iter()
                    .any(|n| text.contains(n))
            });
            if real {
                self.real_params.insert(base);
            }
            let integral = p.annotation.as_ref().is_some_and(|a| {
                let text = self.text(a.span);
                text.split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "int" || w == "bool")
            }) || matches!(
                p.default.as_ref().map(|d| &d.kind),
                Some(ExprKind::Const(Const::Int(_) | Const::Bool(_)))
            );
            if integral {
                self.integral_params.insert(base);
            }
            let v = self.param_value(base, p);
            st.env.insert(p.name.clone(), v);
        }
        let end = self.exec_block(st, &f.body);
        if end.live {
            self.returns.push((end.pc, Value::None));
        }
    }

    // ---------------------------------------------------------------- statements

    pub fn exec_block(&mut self, mut st: State, block: &Block) -> State {
        for stmt in block {
            if !st.live {
                break;
            }
            self.steps += 1;
            if self.steps > MAX_STEPS {
                self.truncated = true;
                st.live = false;
                break;
            }
            let mark = self.survived.len();
            // The path only grows within a statement: its length and last conjunct identify
            // the prefix (no copy of the whole path per statement).
            let (start_len, start_last) = (st.pc.len(), st.pc.last().cloned());
            let same_prefix = |pc: &[T]| {
                pc.len() >= start_len
                    && match &start_last {
                        Some(last) => pc.get(start_len - 1).is_some_and(|x| Arc::ptr_eq(x, last)),
                        None => true,
                    }
            };
            st = self.exec_stmt(st, stmt);
            // A simple statement that ran to its end did not raise at its risky
            // operations: `total / n` leaves `n != 0` behind, so a second division by `n`
            // is not the same finding again.
            if self.survived.len() == mark {
                continue;
            }
            let facts = self.survived.split_off(mark);
            if st.live
                && matches!(
                    stmt.kind,
                    StmtKind::Assign { .. }
                        | StmtKind::AugAssign { .. }
                        | StmtKind::AnnAssign { .. }
                        | StmtKind::Expr(_)
                )
                && same_prefix(&st.pc)
            {
                for (pc, ok) in facts {
                    if same_prefix(&pc) {
                        let reached = term::and(pc.get(start_len..).unwrap_or(&[]));
                        push_pc(&mut st, term::or(&[term::not(&reached), ok]));
                    }
                }
            }
        }
        st
    }

    fn exec_stmt(&mut self, mut st: State, stmt: &Stmt) -> State {
        match &stmt.kind {
            StmtKind::Assign { targets, value } => {
                let v = self.eval(&mut st, value);
                for t in targets {
                    self.assign(&mut st, t, v.clone(), Some(value));
                }
                // `params = {"table": ...}` then `params["table"]` or `"%(table)s" % params`
                // read the entries (item stores update them like attribute paths).
                if let Some((span, items)) = self.last_dict.take()
                    && span == value.span
                {
                    for t in targets {
                        if let Target::Local(n, _) | Target::ModuleVar(n, _) = t {
                            for (k, item) in &items {
                                st.env.insert(format!("{n}[{k:?}]"), item.clone());
                            }
                        }
                    }
                }
                st
            }
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(value) = value {
                    let v = self.eval(&mut st, value);
                    self.assign(&mut st, target, v, Some(value));
                }
                st
            }
            StmtKind::AugAssign { target, op, value } => {
                let cur = self.read_target(&mut st, target);
                let rhs = self.eval(&mut st, value);
                let v = self.binop(&mut st, *op, &cur, &rhs, stmt.span, Some(value));
                self.assign(&mut st, target, v, None);
                st
            }
            StmtKind::Expr(e) => {
                self.eval(&mut st, e);
                st
            }
            StmtKind::If { cond, then, orelse } => {
                let cv = self.eval(&mut st, cond);
                let c = value::truthy(&cv, &mut self.syms);
                self.condition_sites(&st, cond, &c, true);
                let base_len = st.pc.len();
                let mut a = st.clone();
                push_pc(&mut a, c.clone());
                let mut b = st;
                push_pc(&mut b, term::not(&c));
                let a = if a.live { self.exec_block(a, then) } else { a };
                let b = if b.live {
                    self.exec_block(b, orelse)
                } else {
                    b
                };
                self.join_states(a, b, base_len)
            }
            StmtKind::While { cond, body, orelse } => {
                self.exec_loop(st, Some(cond), None, body, orelse)
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                ..
            } => {
                let it = self.eval(&mut st, iter);
                let bounds = range_bounds(iter, &it);
                // A list the body changes in place is iterated as it grows: not unrolled.
                let changed =
                    access_path(iter).is_some_and(|p| changed_in_place(body).contains(&p));
                if !changed && let Some(items) = unrolled_items(&it, bounds.as_ref()) {
                    return self.exec_unrolled(st, target, items, body, orelse);
                }
                self.exec_loop(st, None, Some((target, it, bounds)), body, orelse)
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => self.exec_try(st, body, handlers, orelse, finally),
            StmtKind::With { items, body } => {
                for item in items {
                    let v = self.eval(&mut st, &item.context);
                    if let Some(t) = &item.target {
                        // Context managers almost always return themselves from
                        // `__enter__` (files, archives, sessions): keep the value and its type.
                        self.assign(&mut st, t, v, None);
                    }
                }
                self.exec_block(st, body)
            }
            StmtKind::Match { subject, cases } => self.exec_match(st, subject, cases),
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(&mut st, e),
                    None => Value::None,
                };
                self.returns.push((st.pc.clone(), v));
                st.live = false;
                st
            }
            StmtKind::Raise(e) => {
                if let Some(e) = e {
                    self.eval(&mut st, e);
                }
                st.live = false;
                st
            }
            StmtKind::Break => {
                if let Some(top) = self.loop_breaks.last_mut() {
                    top.push(st.clone());
                }
                st.live = false;
                st
            }
            StmtKind::Continue => {
                if let Some(top) = self.loop_continues.last_mut() {
                    top.push(st.clone());
                }
                st.live = false;
                st
            }
            StmtKind::Assert { test, msg } => {
                // `assert False, "unreachable"` marks a path the author believes dead: a
                // statement of intent, not a claim to check.
                if matches!(
                    test.kind,
                    ExprKind::Const(Const::Bool(false) | Const::Int(0) | Const::None)
                ) {
                    st.live = false;
                    return st;
                }
                let (c, shown) = self.assert_condition(&mut st, test);
                let message = match msg.as_ref().and_then(|m| m.as_str_const()) {
                    Some(m) => format!("this assertion can fail: {m}"),
                    None => "this assertion can fail".to_string(),
                };
                self.site(
                    &st,
                    "assert-fails",
                    stmt.span,
                    term::not(&c),
                    shown,
                    message,
                    "assertion always holds".into(),
                    SiteKind::Correctness,
                );
                if let Some(m) = msg {
                    let mut failing = st.clone();
                    push_pc(&mut failing, term::not(&c));
                    if failing.live {
                        self.eval(&mut failing, m);
                    }
                }
                push_pc(&mut st, c);
                st
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    if let ExprKind::Local(n) | ExprKind::ModuleVar(n) = &t.kind {
                        st.env.remove(n);
                    } else if let ExprKind::Subscript { value, .. } = &t.kind {
                        self.eval(&mut st, t);
                        self.forget_collection(&mut st, value, Origin::Havoc);
                    } else {
                        self.eval(&mut st, t);
                    }
                }
                st
            }
            StmtKind::FunctionDef(id) => {
                if let Some(f) = self.module.functions.get(*id) {
                    // Defaults are evaluated at definition time: calls there are sites too.
                    for p in &f.params {
                        if let Some(d) = &p.default {
                            self.eval(&mut st, d);
                        }
                    }
                    for d in &f.decorators {
                        self.eval(&mut st, d);
                    }
                    let name = f.name.clone();
                    self.bind(&mut st, &name, Value::Func(*id));
                }
                st
            }
            StmtKind::ClassDef(_) => st,
            StmtKind::Import(ids) => {
                // An import rebinds its alias, also over a local of the same name
                // (`from django import VERSION as version` inside a function).
                for i in ids {
                    if let Some(imp) = self.module.imports.get(*i)
                        && !imp.star
                    {
                        let plain_dotted = imp.alias == imp.top_level
                            && imp.qualname.contains('.')
                            && self.text(imp.span) == imp.qualname;
                        let head = if plain_dotted {
                            // `import a.b` binds `a` (`from a.b import a` binds `a.b.a`).
                            imp.top_level.clone()
                        } else {
                            imp.qualname.clone()
                        };
                        let v = Value::Global(Arc::from(head.as_str()));
                        let alias = imp.alias.clone();
                        self.bind(&mut st, &alias, v);
                    }
                }
                st
            }
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => st,
            StmtKind::Pass | StmtKind::Unsupported(_) => st,
        }
    }

    fn bind(&mut self, st: &mut State, name: &str, v: Value) {
        // Attribute paths cached under this name no longer describe the new object.
        let prefix = format!("{name}.");
        let items = format!("{name}[");
        st.env
            .retain(|k, _| !k.starts_with(&prefix) && !k.starts_with(&items));
        st.env.insert(name.to_string(), v);
    }

    fn assign(&mut self, st: &mut State, target: &Target, v: Value, source: Option<&Expr>) {
        match target {
            Target::Local(n, _) | Target::ModuleVar(n, _) => self.bind(st, n, v),
            Target::Tuple(items, _) => {
                let parts: Option<Vec<Value>> = match &v {
                    Value::Seq {
                        items: Some(xs), ..
                    } if xs.len() == items.len() => Some(xs.clone()),
                    _ => None,
                };
                for (i, t) in items.iter().enumerate() {
                    let part = match &parts {
                        Some(xs) => xs[i].clone(),
                        None => {
                            self.fresh_unknown(&target_name(t), origin_of(&v, &self.syms), None)
                        }
                    };
                    let src = match source.map(|s| &s.kind) {
                        Some(ExprKind::Tuple(es)) | Some(ExprKind::List(es)) => es.get(i),
                        _ => None,
                    };
                    self.assign(st, t, part, src);
                }
            }
            Target::Starred(t, _) => {
                let u = self.fresh_unknown(&target_name(t), Origin::Opaque, None);
                self.assign(st, t, u, None)
            }
            Target::Attribute { value, attr, span } => {
                let obj = self.eval(st, value);
                sinks::check_assign(self, st, value, &obj, attr, &v, source, *span);
                if let Some(path) = access_path(value) {
                    st.env.insert(format!("{path}.{attr}"), v);
                }
            }
            Target::Subscript { value, index, span } if self.is_rust() => {
                self.rust_store(st, value, index, *span)
            }
            Target::Subscript { value, index, span } => {
                let obj = self.eval(st, value);
                let idx = self.eval(st, index);
                match &obj {
                    // Storing into a list needs the index in range, like reading, and
                    // changes the item stored (at a position known or not).
                    Value::Seq { kind, items, len } => {
                        self.index_site(st, &obj, &idx, *span, value, index);
                        let position = match (&idx, items) {
                            (Value::Int(i), Some(xs)) => i.as_int().and_then(|k| {
                                let k = if k < 0 { k + xs.len() as i128 } else { k };
                                usize::try_from(k).ok().filter(|k| *k < xs.len())
                            }),
                            _ => None,
                        };
                        let items = match (position, items) {
                            (Some(k), Some(xs)) => {
                                let mut xs = xs.clone();
                                xs[k] = v.clone();
                                Some(xs)
                            }
                            _ => None,
                        };
                        if let Some(path) = access_path(value) {
                            let updated = Value::Seq {
                                kind: *kind,
                                items,
                                len: len.clone(),
                            };
                            st.env.insert(path, updated);
                        }
                    }
                    // A new key changes the dict's size: what was known about it is stale.
                    Value::Dict { .. } => self.forget_collection(st, value, Origin::Havoc),
                    _ => {}
                }
                if let Some(path) = access_path(value) {
                    // An object we do not know may map several keys to one entry
                    // (a case-insensitive dict): what we remember of its other keys is stale.
                    if !matches!(obj, Value::Dict { .. }) {
                        let items = format!("{path}[");
                        st.env.retain(|k, _| !k.starts_with(&items));
                    }
                    if let Some(key) = index.as_str_const() {
                        st.env.insert(format!("{path}[{key:?}]"), v);
                    }
                }
            }
        }
    }

    fn read_target(&mut self, st: &mut State, target: &Target) -> Value {
        match target {
            Target::Local(n, sp) => self.eval(st, &Expr::new(ExprKind::Local(n.clone()), *sp)),
            Target::ModuleVar(n, sp) => {
                self.eval(st, &Expr::new(ExprKind::ModuleVar(n.clone()), *sp))
            }
            Target::Attribute { value, attr, span } => self.eval(
                st,
                &Expr::new(
                    ExprKind::Attribute {
                        value: value.clone(),
                        attr: attr.clone(),
                    },
                    *span,
                ),
            ),
            Target::Subscript { value, index, span } => self.eval(
                st,
                &Expr::new(
                    ExprKind::Subscript {
                        value: value.clone(),
                        index: index.clone(),
                    },
                    *span,
                ),
            ),
            Target::Tuple(_, _) | Target::Starred(_, _) => {
                self.fresh_unknown("?", Origin::Opaque, None)
            }
        }
    }

    /// Join two states that split from a common one whose path condition had `base_len`
    /// conjuncts. The suffixes of the two path conditions are mutually exclusive (one holds
    /// `c`, the other `not c`), so "the first suffix holds" selects the first state's values.
    fn join_states(&mut self, a: State, b: State, base_len: usize) -> State {
        match (a.live, b.live) {
            (false, false) => a,
            (true, false) => a,
            (false, true) => b,
            (true, true) => {
                let ca = term::and(a.pc.get(base_len..).unwrap_or(&[]));
                let cb = term::and(b.pc.get(base_len..).unwrap_or(&[]));
                self.merge(a, b, base_len, ca, cb)
            }
        }
    }

    /// Merge two live states where `ca` selects the first (given the common prefix).
    fn merge(&mut self, a: State, b: State, base_len: usize, ca: T, cb: T) -> State {
        let mut pc: Vec<T> = a.pc.get(..base_len).unwrap_or(&[]).to_vec();
        let either = term::or(&[ca.clone(), cb]);
        if either.size() <= MAX_PC_TERM && !matches!(either.as_bool(), Some(true)) {
            pc.push(either);
        }
        let mut env = HashMap::with_capacity(a.env.len().max(b.env.len()));
        for (k, va) in &a.env {
            let v = match b.env.get(k) {
                Some(vb) => value::join(&ca, va, vb, &mut self.syms, k),
                None => va.clone(),
            };
            env.insert(k.clone(), v);
        }
        for (k, vb) in b.env {
            env.entry(k).or_insert(vb);
        }
        State {
            env,
            pc,
            live: true,
        }
    }

    /// Join states that do not split on a condition of their own (end of `try` or of
    /// a handler): a fresh choice symbol says which one ran.
    pub(super) fn join_many(&mut self, states: Vec<State>, base_len: usize, what: &str) -> State {
        let mut live = states.into_iter().filter(|s| s.live);
        let Some(mut acc) = live.next() else {
            return State::default();
        };
        for s in live {
            let choice = self.syms.fresh(what, Sort::Bool, Origin::Havoc);
            let ca =
                term::and(&[&[choice.clone()][..], acc.pc.get(base_len..).unwrap_or(&[])].concat());
            let cb = term::and(
                &[
                    &[term::not(&choice)][..],
                    s.pc.get(base_len..).unwrap_or(&[]),
                ]
                .concat(),
            );
            acc.pc.truncate(base_len);
            let mut s2 = s;
            s2.pc.truncate(base_len);
            acc = self.merge(acc, s2, base_len, ca.clone(), cb);
            // `merge` keyed values on `ca`, which includes the choice: correct as is.
        }
        acc
    }

    fn havoc(&mut self, st: &mut State, names: &HashSet<String>, origin: Origin) {
        for n in names {
            let fresh = self.fresh_unknown(n, origin, None);
            let fresh = self.typed_like(st.env.get(n), fresh);
            st.env.insert(n.clone(), fresh);
        }
    }

    pub fn fresh_unknown(&mut self, name: &str, origin: Origin, type_name: Option<&str>) -> Value {
        Value::Unknown(self.syms.new_base(name, origin, type_name.map(Arc::from)))
    }

    pub fn text(&self, span: Span) -> String {
        self.module
            .source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .to_string()
    }

    fn mentions_origin(&self, v: &Value, origin: Origin) -> bool {
        let t = match v {
            Value::Unknown(b) => return self.syms.base(*b).is_some_and(|b| b.origin == origin),
            Value::Int(t) | Value::Bool(t) | Value::Str(t) => t,
            Value::Phi(_, a, b) => {
                return self.mentions_origin(a, origin) || self.mentions_origin(b, origin);
            }
            _ => return false,
        };
        let mut ids = Vec::new();
        t.symbols(&mut ids);
        ids.iter()
            .any(|id| self.syms.symbol(*id).is_some_and(|s| s.origin == origin))
    }
}

pub fn push_pc(st: &mut State, t: T) {
    match t.as_bool() {
        Some(true) => {}
        Some(false) => {
            st.pc.push(t);
            st.live = false;
        }
        None => {
            if t.size() <= MAX_PC_TERM {
                for d in term::evaluated_divisors(&t) {
                    st.pc.push(term::ne(&d, &term::int(0)));
                }
                st.pc.push(t)
            }
        }
    }
}

/// The strongest origin among values (see [`origin_of`]).
fn origin_of_all(vs: &[&Value], syms: &Symbols) -> Origin {
    vs.iter()
        .map(|v| origin_of(v, syms))
        .min()
        .unwrap_or(Origin::Opaque)
}

/// Where a derived value comes from, for the reporting policy: the "strongest" origin of
/// what it was computed from.
pub fn origin_of(v: &Value, syms: &Symbols) -> Origin {
    match v {
        Value::Unknown(b) => syms.base(*b).map(|b| b.origin).unwrap_or(Origin::Opaque),
        Value::Int(t) | Value::Bool(t) | Value::Str(t) => {
            let mut ids = Vec::new();
            t.symbols(&mut ids);
            ids.iter()
                .filter_map(|id| syms.symbol(*id).map(|s| s.origin))
                .min()
                .unwrap_or(Origin::Opaque)
        }
        Value::Phi(_, a, b) => origin_of(a, syms).min(origin_of(b, syms)),
        _ => Origin::Opaque,
    }
}
