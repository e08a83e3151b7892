//! Path-sensitive symbolic execution of one function's structured body.
//!
//! The state is an environment (variable -> [`Value`]) plus the path condition, a list of
//! Bool terms. Branches run on copies of the state and join by the conditions that tell
//! the two paths apart; loops are summarised by havocking what the body assigns (with a
//! monotonicity fact for counters that only grow) and keeping the exit condition. Every
//! risky site met on the way becomes a [`Site`]: the path condition so far plus the bad
//! condition, handed to the solver later.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::regex_guard;
use super::sinks::{self, RuleIndex};
use super::value::{self, Symbols, Value};
use crate::ir::{
    Arg, BinOp, Block, BoolOp, CmpOp, Const, Expr, ExprKind, FPart, Function, Module, Pattern,
    Span, Stmt, StmtKind, Target, UnaryOp, Unpack,
};
use crate::term::{self, Origin, Sort, SymId, T};

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
}

/// Reductions NumPy arrays and pandas objects have (`a.sum()`, `a.mean()`).
const ARRAY_REDUCTIONS: &[&str] = &[
    "sum", "mean", "std", "var", "prod", "max", "min", "item", "dot", "trace", "norm",
];

/// Methods of `random` and of random generators whose result is a draw.
const RANDOM_DRAWS: &[&str] = &[
    "random",
    "uniform",
    "randint",
    "randrange",
    "choice",
    "gauss",
    "normalvariate",
    "expovariate",
    "betavariate",
    "paretovariate",
    "triangular",
    "getrandbits",
];

/// The exceptions a failing correctness check raises, for recognising a `try` that
/// expects them.
fn raised_by(builtin: &str) -> Option<&'static [&'static str]> {
    Some(match builtin {
        "division-by-zero" => &["builtins.ZeroDivisionError", "builtins.ArithmeticError"],
        "index-out-of-range" => &["builtins.IndexError", "builtins.LookupError"],
        "math-domain" => &["builtins.ValueError", "builtins.ArithmeticError"],
        "assert-fails" => &["builtins.AssertionError"],
        _ => return None,
    })
}

/// The start of the related-information message that points from a call site into the
/// followed callee's line.
pub const FOLLOWED_INTO: &str = "in ";

/// A function only its own module (or its enclosing function) calls: `_helper`, or one
/// nested in another function.
pub fn is_private(f: &Function) -> bool {
    is_private_name(&f.name) || f.qualname.contains("<locals>")
}

/// `_helper`, not `__init__`: a function the module keeps to itself, called by its own code.
pub fn is_private_name(name: &str) -> bool {
    name.starts_with('_') && !(name.starts_with("__") && name.ends_with("__"))
}

#[derive(Clone, Debug, Default)]
pub struct State {
    pub env: HashMap<String, Value>,
    pub pc: Vec<T>,
    pub live: bool,
}

/// A `for` loop's target, the iterated value, and for `range` the target's bounds.
type LoopTarget<'t> = (&'t Target, Value, Option<(T, T)>);

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
            assumed: Vec::new(),
            growing: HashSet::new(),
            rebound_elsewhere: HashSet::new(),
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
        for (i, p) in f.params.iter().enumerate() {
            // A `str` annotation types the value: a string is a path or a name, not a switch.
            let ty = match p.annotation.as_ref().map(|a| &a.kind) {
                Some(ExprKind::Global(q)) if q == "builtins.str" => Some(Arc::from("builtins.str")),
                _ => None,
            };
            let origin = if receiver && i == 0 {
                Origin::State
            } else {
                Origin::Param
            };
            let base = self.syms.new_base(&p.name, origin, ty);
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
            st.env.insert(p.name.clone(), Value::Unknown(base));
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
    fn join_many(&mut self, states: Vec<State>, base_len: usize, what: &str) -> State {
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
            st.env.insert(n.clone(), fresh);
        }
    }

    fn exec_loop(
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
        if inside.live {
            self.exec_block(inside, body);
        }
        let breaks = self.loop_breaks.pop().unwrap_or_default();
        // Normal exit: the condition is false (for `for`: the iterator is exhausted).
        let mut exit = st;
        if let Some(c) = exit_cond {
            push_pc(&mut exit, term::not(&c));
        }
        let exit = if exit.live {
            self.exec_block(exit, orelse)
        } else {
            exit
        };
        let mut all = vec![exit];
        all.extend(breaks);
        self.join_many(all, base_len, "loop exit")
    }

    fn exec_try(
        &mut self,
        mut st: State,
        body: &Block,
        handlers: &[crate::ir::Handler],
        orelse: &Block,
        finally: &Block,
    ) -> State {
        let base_len = st.pc.len();
        let mut assigned = HashSet::new();
        assigned_names(body, &mut assigned);
        self.mutated_collections(&mut st, body, &mut assigned);
        let mut caught = Vec::new();
        for h in handlers {
            if h.types.is_empty() {
                caught.push("*".to_string());
            }
            for t in &h.types {
                match &t.kind {
                    ExprKind::Tuple(xs) => {
                        caught.extend(xs.iter().filter_map(|x| x.qualified_name()))
                    }
                    _ => caught.extend(t.qualified_name()),
                }
            }
        }
        self.caught.push(caught);
        let normal = self.exec_block(st.clone(), body);
        self.caught.pop();
        let normal = if normal.live {
            self.exec_block(normal, orelse)
        } else {
            normal
        };
        let mut ends = vec![normal];
        for h in handlers {
            // The exception may come from any point of the body: what it assigns is unknown.
            let mut hs = st.clone();
            self.havoc(&mut hs, &assigned, Origin::Havoc);
            for t in &h.types {
                self.eval(&mut hs, t);
            }
            if let Some(n) = &h.name {
                let e = self.fresh_unknown(n, Origin::Opaque, Some("builtins.Exception"));
                hs.env.insert(n.clone(), e);
            }
            ends.push(self.exec_block(hs, &h.body));
        }
        let any_live = ends.iter().any(|s| s.live);
        let joined = self.join_many(ends, base_len, "exception raised");
        if finally.is_empty() {
            return if any_live { joined } else { State::default() };
        }
        if any_live {
            self.exec_block(joined, finally)
        } else {
            // Every path left the try; `finally` still runs and its sites still count.
            let mut fs = st;
            self.havoc(&mut fs, &assigned, Origin::Havoc);
            let mut end = self.exec_block(fs, finally);
            end.live = false;
            end
        }
    }

    fn exec_match(
        &mut self,
        mut st: State,
        subject: &Expr,
        cases: &[crate::ir::MatchCase],
    ) -> State {
        let subj = self.eval(&mut st, subject);
        let base_len = st.pc.len();
        let mut rest = st;
        let mut ends = Vec::new();
        for case in cases {
            if !rest.live {
                break;
            }
            let mut arm = rest.clone();
            let m = self.pattern_cond(&mut arm, &case.pattern, &subj);
            push_pc(&mut arm, m.clone());
            let mut guard = term::boolean(true);
            if let Some(g) = &case.guard
                && arm.live
            {
                let gv = self.eval(&mut arm, g);
                guard = value::truthy(&gv, &mut self.syms);
                push_pc(&mut arm, guard.clone());
            }
            if arm.live {
                ends.push(self.exec_block(arm, &case.body));
            }
            push_pc(&mut rest, term::not(&term::and(&[m, guard])));
        }
        ends.push(rest);
        // Arms are mutually exclusive by construction (each excludes the earlier ones).
        let mut it = ends.into_iter();
        let mut acc = it.next().unwrap_or_default();
        for s in it {
            acc = self.join_states(acc, s, base_len);
        }
        acc
    }

    fn pattern_cond(&mut self, st: &mut State, p: &Pattern, subj: &Value) -> T {
        match p {
            Pattern::Wildcard(name) => {
                if let Some(n) = name {
                    st.env.insert(n.clone(), subj.clone());
                }
                term::boolean(true)
            }
            Pattern::Value(e) => {
                let v = self.eval(st, e);
                self.equals(subj, &v)
                    .unwrap_or_else(|| self.syms.fresh("case", Sort::Bool, Origin::Havoc))
            }
            Pattern::Or(ps) => {
                let cs: Vec<T> = ps.iter().map(|q| self.pattern_cond(st, q, subj)).collect();
                term::or(&cs)
            }
            Pattern::As(q, n) => {
                let c = self.pattern_cond(st, q, subj);
                st.env.insert(n.clone(), subj.clone());
                c
            }
            Pattern::Sequence { items, star } => {
                for q in items {
                    if let Pattern::Wildcard(Some(n)) = q {
                        let u = self.fresh_unknown(n, Origin::Havoc, None);
                        st.env.insert(n.clone(), u);
                    }
                }
                match value::length(subj, &mut self.syms) {
                    Some(len) if !star => term::eq(&len, &term::int(items.len() as i128)),
                    Some(len) => term::ge(&len, &term::int(items.len().saturating_sub(1) as i128)),
                    None => self.syms.fresh("case", Sort::Bool, Origin::Havoc),
                }
            }
            Pattern::Other => self.syms.fresh("case", Sort::Bool, Origin::Havoc),
        }
    }

    // ---------------------------------------------------------------- expressions

    pub fn fresh_unknown(&mut self, name: &str, origin: Origin, type_name: Option<&str>) -> Value {
        Value::Unknown(self.syms.new_base(name, origin, type_name.map(Arc::from)))
    }

    /// The value of a call we cannot see into (its callee name doubles as the type).
    fn call_result(&mut self, callee: &Value, method: &str) -> Value {
        let type_name = match callee {
            Value::Unknown(b) => self
                .syms
                .base(*b)
                .and_then(|b| b.type_name.clone())
                .map(|t| format!("{t}.{method}")),
            Value::Global(q) => Some(q.to_string()),
            _ => None,
        };
        // Named as the call reads in the source (`input()`, `requests.get()`), which is
        // how a witness should name the value.
        let name = match &type_name {
            Some(t) => format!("{}()", t.strip_prefix("builtins.").unwrap_or(t)),
            None => format!("{method}()"),
        };
        self.fresh_unknown(&name, Origin::Opaque, type_name.as_deref())
    }

    pub fn eval(&mut self, st: &mut State, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Const(c) => const_value(c),
            ExprKind::Local(n) | ExprKind::Free(n) => match st.env.get(n) {
                Some(v) => v.clone(),
                None => {
                    let v = match self.consts.get(n) {
                        Some(v) if matches!(e.kind, ExprKind::Free(_)) => v.clone(),
                        _ => self.fresh_unknown(n, Origin::Opaque, None),
                    };
                    st.env.insert(n.clone(), v.clone());
                    v
                }
            },
            ExprKind::ModuleVar(n) => {
                if let Some(v) = st.env.get(n) {
                    return v.clone();
                }
                if let Some(v) = self.consts.get(n) {
                    return v.clone();
                }
                if let Some(id) = self
                    .module
                    .functions
                    .iter()
                    .position(|f| f.parent == Some(0) && &f.name == n)
                {
                    return Value::Func(id);
                }
                let v = self.fresh_unknown(n, Origin::Opaque, None);
                if !self.at_module_level {
                    st.env.insert(n.clone(), v.clone());
                }
                v
            }
            ExprKind::Global(q) => {
                sinks::check_reference(self, st, q, e.span);
                known_constant(q).unwrap_or_else(|| Value::Global(Arc::from(q.as_str())))
            }
            ExprKind::Attribute { value, attr } => {
                if let Some(q) = e.qualified_name() {
                    sinks::check_reference(self, st, &q, e.span);
                    return known_constant(&q)
                        .unwrap_or_else(|| Value::Global(Arc::from(q.as_str())));
                }
                let path = access_path(e);
                if let Some(p) = &path
                    && let Some(v) = st.env.get(p)
                {
                    return v.clone();
                }
                let obj = self.eval(st, value);
                let v = match &obj {
                    Value::Global(q) => Value::Global(Arc::from(format!("{q}.{attr}").as_str())),
                    _ => {
                        let name = path.clone().unwrap_or_else(|| format!("_.{attr}"));
                        let origin = match &obj {
                            Value::Unknown(b)
                                if Some(*b) == self.receiver
                                    && self.constructor_fed.contains(attr) =>
                            {
                                Origin::Param
                            }
                            _ => origin_of(&obj, &self.syms),
                        };
                        let ty = self.type_of(&obj).map(|t| format!("{t}.{attr}"));
                        self.fresh_unknown(&name, origin, ty.as_deref())
                    }
                };
                if let Some(p) = path {
                    st.env.insert(p, v.clone());
                }
                v
            }
            ExprKind::Call { func, args } => self.eval_call(st, e, func, args),
            ExprKind::BinOp { op, left, right } => {
                let l = self.eval(st, left);
                let r = self.eval(st, right);
                self.binop(st, *op, &l, &r, e.span, Some(right))
            }
            ExprKind::UnaryOp { op, operand } => {
                let v = self.eval(st, operand);
                match op {
                    UnaryOp::Not => Value::Bool(term::not(&value::truthy(&v, &mut self.syms))),
                    UnaryOp::Neg => match &v {
                        Value::Float(f) => Value::Float(f.map(|x| -x)),
                        _ => match value::as_int(&v, &mut self.syms) {
                            Some(t) => Value::Int(term::neg(&t)),
                            None => self.fresh_unknown("-x", origin_of(&v, &self.syms), None),
                        },
                    },
                    UnaryOp::Pos => v,
                    UnaryOp::Invert => match value::as_int(&v, &mut self.syms) {
                        Some(t) => Value::Int(term::sub(&term::neg(&t), &term::int(1))),
                        None => self.fresh_unknown("~x", origin_of(&v, &self.syms), None),
                    },
                }
            }
            ExprKind::BoolOp { op, values } => {
                // `a and b`: b is evaluated only where a is truthy; the value is a or b.
                let mut vals: Vec<(T, Value)> = Vec::new();
                let base = st.pc.len();
                for (i, x) in values.iter().enumerate() {
                    let v = self.eval(st, x);
                    let t = value::truthy(&v, &mut self.syms);
                    vals.push((t.clone(), v));
                    if i + 1 < values.len() {
                        match op {
                            BoolOp::And => push_pc(st, t),
                            BoolOp::Or => push_pc(st, term::not(&t)),
                        }
                    }
                }
                st.pc.truncate(base);
                st.live = true;
                let mut acc = vals.pop().map(|(_, v)| v).unwrap_or(Value::None);
                while let Some((t, v)) = vals.pop() {
                    acc = match op {
                        BoolOp::And => value::join(&t, &acc, &v, &mut self.syms, "and"),
                        BoolOp::Or => value::join(&t, &v, &acc, &mut self.syms, "or"),
                    };
                }
                acc
            }
            ExprKind::Compare { left, ops } => {
                let mut l = self.eval(st, left);
                let mut parts = Vec::new();
                let mut left_expr: &Expr = left;
                for (op, r) in ops {
                    let rv = self.eval(st, r);
                    if matches!(op, CmpOp::Eq | CmpOp::NotEq) {
                        self.float_equality_site(st, &l, &rv, left_expr, r, *op, e.span);
                    }
                    left_expr = r;
                    parts.push(self.compare(*op, &l, &rv));
                    l = rv;
                }
                Value::Bool(term::and(&parts))
            }
            ExprKind::IfExp { test, body, orelse } => {
                let tv = self.eval(st, test);
                let c = value::truthy(&tv, &mut self.syms);
                let base = st.pc.len();
                push_pc(st, c.clone());
                let a = if st.live {
                    self.eval(st, body)
                } else {
                    Value::None
                };
                st.pc.truncate(base);
                st.live = true;
                push_pc(st, term::not(&c));
                let b = if st.live {
                    self.eval(st, orelse)
                } else {
                    Value::None
                };
                st.pc.truncate(base);
                st.live = true;
                value::join(&c, &a, &b, &mut self.syms, "if")
            }
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                let kind = match &e.kind {
                    ExprKind::List(_) => value::SeqKind::List,
                    ExprKind::Tuple(_) => value::SeqKind::Tuple,
                    _ => value::SeqKind::Set,
                };
                let mut vals = Vec::with_capacity(items.len());
                let mut starred = false;
                for x in items {
                    if matches!(x.kind, ExprKind::Starred(_)) {
                        starred = true;
                    }
                    vals.push(self.eval(st, x));
                }
                if starred || kind == value::SeqKind::Set {
                    let len = self.syms.fresh("len", Sort::Int, Origin::Opaque);
                    push_pc(st, term::ge(&len, &term::int(0)));
                    Value::Seq {
                        kind,
                        items: None,
                        len,
                    }
                } else {
                    let len = term::int(vals.len() as i128);
                    Value::Seq {
                        kind,
                        items: Some(vals),
                        len,
                    }
                }
            }
            ExprKind::Dict(entries) => {
                let mut spread = false;
                let mut known = Vec::new();
                for (k, v) in entries {
                    let key = k
                        .as_ref()
                        .and_then(|k| k.as_str_const())
                        .map(str::to_string);
                    match k {
                        Some(k) => {
                            self.eval(st, k);
                        }
                        None => spread = true,
                    }
                    let val = self.eval(st, v);
                    if let Some(key) = key {
                        known.push((key, val));
                    }
                }
                self.last_dict = (!spread).then_some((e.span, known));
                if spread {
                    let len = self.syms.fresh("len", Sort::Int, Origin::Opaque);
                    push_pc(st, term::ge(&len, &term::int(0)));
                    Value::Dict { len }
                } else {
                    Value::Dict {
                        len: term::int(entries.len() as i128),
                    }
                }
            }
            ExprKind::Subscript { value, index } => {
                let path = match (access_path(value), index.as_str_const()) {
                    (Some(p), Some(k)) => Some(format!("{p}[{k:?}]")),
                    _ => None,
                };
                if let Some(p) = &path
                    && let Some(v) = st.env.get(p)
                {
                    return v.clone();
                }
                let obj = self.eval(st, value);
                let idx = self.eval(st, index);
                self.index_site(st, &obj, &idx, e.span, value, index);
                let v = match (&obj, &idx) {
                    (
                        Value::Seq {
                            items: Some(xs), ..
                        },
                        Value::Int(i),
                    ) => match i.as_int() {
                        Some(k) => {
                            let n = xs.len() as i128;
                            let k = if k < 0 { k + n } else { k };
                            usize::try_from(k).ok().and_then(|k| xs.get(k).cloned())
                        }
                        None => None,
                    },
                    (Value::Str(s), Value::Int(_)) if s.is_const() => Some(Value::Str(
                        self.syms.fresh("char", Sort::Str, Origin::Opaque),
                    )),
                    _ => None,
                };
                let v = v.unwrap_or_else(|| {
                    // Named as written (`tokens[1]`), which is how a witness should read.
                    let name = path.clone().unwrap_or_else(|| {
                        let text = self.text(e.span);
                        if text.len() <= 40 && !text.contains('\n') {
                            text
                        } else {
                            "item".into()
                        }
                    });
                    let origin = origin_of(&obj, &self.syms);
                    self.fresh_unknown(&name, origin, None)
                });
                if let Some(p) = path {
                    st.env.insert(p, v.clone());
                }
                v
            }
            ExprKind::Slice { lower, upper, step } => {
                for x in [lower, upper, step].into_iter().flatten() {
                    self.eval(st, x);
                }
                self.fresh_unknown("slice", Origin::Opaque, None)
            }
            ExprKind::FString(parts) => {
                let mut terms = Vec::new();
                for p in parts {
                    match p {
                        FPart::Lit(s) => terms.push(term::string(s)),
                        FPart::Value {
                            value,
                            conversion,
                            spec,
                        } => {
                            let v = self.eval(st, value);
                            terms.push(self.format_value(&v, *conversion, spec.as_deref()));
                        }
                    }
                }
                Value::Str(term::concat(&terms))
            }
            ExprKind::Lambda { .. } => Value::Global(Arc::from("<lambda>")),
            ExprKind::Comprehension {
                element,
                value,
                generators,
                kind,
            } => {
                let mut inner = st.clone();
                let mut len_known: Option<T> = None;
                for (i, g) in generators.iter().enumerate() {
                    let it = self.eval(&mut inner, &g.iter);
                    let it_len = value::length(&it, &mut self.syms);
                    if i == 0 && g.ifs.is_empty() && generators.len() == 1 {
                        len_known = it_len.clone();
                    }
                    // The element is only computed for an item of a non-empty iterable.
                    if let Some(l) = it_len {
                        push_pc(&mut inner, term::gt(&l, &term::int(0)));
                    }
                    let origin = origin_of(&it, &self.syms);
                    let elem = self.fresh_unknown(&target_name(&g.target), origin, None);
                    self.assign(&mut inner, &g.target, elem, None);
                    for c in &g.ifs {
                        let cv = self.eval(&mut inner, c);
                        let t = value::truthy(&cv, &mut self.syms);
                        push_pc(&mut inner, t);
                    }
                }
                if inner.live {
                    self.eval(&mut inner, element);
                    if let Some(v) = value {
                        self.eval(&mut inner, v);
                    }
                }
                if *kind == crate::ir::CompKind::Generator {
                    return self.fresh_unknown("generator", Origin::Opaque, None);
                }
                let len = match len_known {
                    Some(l) if *kind == crate::ir::CompKind::List => l,
                    // A set or dict comprehension drops repeated keys: at most as many
                    // items, and some as soon as there is one.
                    Some(most) => {
                        let l = self
                            .syms
                            .fresh("len(comprehension)", Sort::Int, Origin::Havoc);
                        push_pc(st, term::le(&l, &most));
                        let zero = term::int(0);
                        push_pc(st, term::eq(&term::gt(&l, &zero), &term::gt(&most, &zero)));
                        l
                    }
                    None => {
                        let l = self
                            .syms
                            .fresh("len(comprehension)", Sort::Int, Origin::Havoc);
                        push_pc(st, term::ge(&l, &term::int(0)));
                        l
                    }
                };
                match kind {
                    crate::ir::CompKind::Dict => Value::Dict { len },
                    crate::ir::CompKind::Set => Value::Seq {
                        kind: value::SeqKind::Set,
                        items: None,
                        len,
                    },
                    _ => Value::Seq {
                        kind: value::SeqKind::List,
                        items: None,
                        len,
                    },
                }
            }
            ExprKind::NamedExpr { target, value } => {
                let v = self.eval(st, value);
                self.bind(st, target, v.clone());
                v
            }
            ExprKind::Await(x) => {
                let v = self.eval(st, x);
                match v {
                    Value::Unknown(_) => v,
                    _ => self.fresh_unknown("await", Origin::Opaque, None),
                }
            }
            ExprKind::Yield(x) => {
                if let Some(x) = x {
                    self.eval(st, x);
                }
                self.fresh_unknown("yield", Origin::Opaque, None)
            }
            ExprKind::Starred(x) => self.eval(st, x),
            ExprKind::Unknown => self.fresh_unknown("?", Origin::Opaque, None),
        }
    }

    fn type_of(&self, v: &Value) -> Option<Arc<str>> {
        match v {
            Value::Unknown(b) => self.syms.base(*b).and_then(|b| b.type_name.clone()),
            Value::Global(q) | Value::Instance(q) => Some(q.clone()),
            Value::Str(_) => Some(Arc::from("builtins.str")),
            _ => None,
        }
    }

    /// `str(v)` inside an f-string with an optional conversion and spec.
    fn format_value(&mut self, v: &Value, conversion: Option<char>, spec: Option<&str>) -> T {
        let numeric_spec =
            spec.is_some_and(|s| s.ends_with(['d', 'f', 'e', 'g', 'x', 'o', 'b', '%']));
        if numeric_spec {
            // A numeric format cannot produce quotes or shell metacharacters; what matters
            // downstream is the alphabet, so digits stand in for the exact text.
            let origin = origin_of(v, &self.syms);
            let n = self.syms.fresh("number", Sort::Int, origin);
            return term::int_to_str(&n);
        }
        match (conversion, value::as_str(v, &mut self.syms)) {
            (None | Some('s'), Some(t)) => t,
            _ => {
                let origin = origin_of(v, &self.syms);
                self.syms.fresh("text", Sort::Str, origin)
            }
        }
    }

    fn equals(&mut self, a: &Value, b: &Value) -> Option<T> {
        match (a, b) {
            (Value::None, _) => Some(value::is_none(b, &mut self.syms)),
            (_, Value::None) => Some(value::is_none(a, &mut self.syms)),
            (Value::Str(_), _) | (_, Value::Str(_)) => {
                let x = value::as_str(a, &mut self.syms)?;
                let y = value::as_str(b, &mut self.syms)?;
                if matches!(a, Value::Int(_)) || matches!(b, Value::Int(_)) {
                    return Some(term::boolean(false));
                }
                // An unknown compared with a string may be None (or another type), which
                // is equal to no string, whatever its str view says.
                let mut parts = vec![term::eq(&x, &y)];
                for v in [a, b] {
                    if let Value::Unknown(_) = v {
                        parts.push(term::not(&value::is_none(v, &mut self.syms)));
                    }
                }
                Some(term::and(&parts))
            }
            // Two names can be one object (`nx.write_graphml == nx.write_graphml_lxml`).
            (Value::Global(x), Value::Global(y)) if x == y => Some(term::boolean(true)),
            (Value::Global(_), Value::Global(_)) => None,
            (Value::Float(Some(x)), Value::Float(Some(y))) => Some(term::boolean(x == y)),
            (Value::FloatExpr(_), _) | (_, Value::FloatExpr(_)) => {
                let x = value::as_float(a, &mut self.syms)?;
                let y = value::as_float(b, &mut self.syms)?;
                Some(term::feq(&x, &y))
            }
            (Value::Float(_), _) | (_, Value::Float(_)) => None,
            _ => {
                let x = value::as_int(a, &mut self.syms)?;
                let y = value::as_int(b, &mut self.syms)?;
                // `x is False` is not `not x`: None is falsy too. (For numbers the int view
                // stands for the value; None there fails in the arithmetic anyway.)
                let mut parts = vec![term::eq(&x, &y)];
                for (v, w) in [(a, b), (b, a)] {
                    if let (Value::Unknown(_), Value::Bool(_)) = (v, w) {
                        parts.push(term::not(&value::is_none(v, &mut self.syms)));
                    }
                }
                Some(term::and(&parts))
            }
        }
    }

    fn compare(&mut self, op: CmpOp, l: &Value, r: &Value) -> T {
        let r = match op {
            CmpOp::Eq | CmpOp::Is => self.equals(l, r),
            CmpOp::NotEq | CmpOp::IsNot => self.equals(l, r).map(|t| term::not(&t)),
            CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
                match (
                    value::as_int(l, &mut self.syms),
                    value::as_int(r, &mut self.syms),
                ) {
                    (Some(a), Some(b))
                        if !matches!(l, Value::Float(_) | Value::Str(_))
                            && !matches!(r, Value::Float(_) | Value::Str(_)) =>
                    {
                        Some(match op {
                            CmpOp::Lt => term::lt(&a, &b),
                            CmpOp::LtE => term::le(&a, &b),
                            CmpOp::Gt => term::gt(&a, &b),
                            _ => term::ge(&a, &b),
                        })
                    }
                    _ => None,
                }
            }
            CmpOp::In | CmpOp::NotIn => {
                let t = match r {
                    Value::Seq {
                        items: Some(xs), ..
                    } => {
                        let alts: Option<Vec<T>> = xs.iter().map(|x| self.equals(l, x)).collect();
                        alts.map(|a| term::or(&a))
                    }
                    Value::Str(s) => {
                        value::as_str(l, &mut self.syms).map(|x| term::contains(s, &x))
                    }
                    _ => None,
                };
                match (op, t) {
                    (CmpOp::NotIn, Some(t)) => Some(term::not(&t)),
                    (_, t) => t,
                }
            }
        };
        r.unwrap_or_else(|| self.syms.fresh("comparison", Sort::Bool, Origin::Opaque))
    }

    pub fn binop(
        &mut self,
        st: &mut State,
        op: BinOp,
        l: &Value,
        r: &Value,
        span: Span,
        rhs: Option<&Expr>,
    ) -> Value {
        // Strings: concatenation, repetition and %-formatting.
        if let Value::Str(a) = l {
            match op {
                BinOp::Add => {
                    return match value::as_str(r, &mut self.syms) {
                        Some(b)
                            if matches!(r, Value::Str(_) | Value::Unknown(_) | Value::Phi(..)) =>
                        {
                            Value::Str(term::concat(&[a.clone(), b]))
                        }
                        _ => self.fresh_unknown("str", Origin::Opaque, None),
                    };
                }
                BinOp::Mod => {
                    let mapping = self.format_mapping(st, rhs);
                    return Value::Str(self.percent_format(a, r, mapping.as_deref()));
                }
                _ => {}
            }
        }
        if let (BinOp::Add, Value::Str(b)) = (op, r)
            && let Value::Unknown(_) = l
            && let Some(a) = value::as_str(l, &mut self.syms)
        {
            return Value::Str(term::concat(&[a, b.clone()]));
        }
        // `x % y` is string formatting when x is a string; only a left side known to be a
        // number makes it a modulo. A literal `0` divisor is written on purpose (a test
        // raising ZeroDivisionError), not a mistake to report.
        // Even then, a divisor of unknown type there is usually a mapping or a tuple of
        // format arguments (`template % params`).
        let numeric_left = matches!(l, Value::Int(_) | Value::Bool(_) | Value::Float(_))
            && !matches!(r, Value::Unknown(_));
        let literal_zero = rhs.is_some_and(|e| matches!(e.kind, ExprKind::Const(Const::Int(0))));
        if !literal_zero
            && (matches!(op, BinOp::Div | BinOp::FloorDiv) || (op == BinOp::Mod && numeric_left))
        {
            self.division_site(st, r, span, rhs);
        }
        if let Some(v) = self.float_expr(op, l, r) {
            return v;
        }
        if let (Value::Float(_), _) | (_, Value::Float(_)) = (l, r) {
            return Value::Float(float_binop(op, l, r));
        }
        if let (Value::Seq { .. }, _) | (_, Value::Seq { .. }) = (l, r) {
            return self.seq_binop(st, op, l, r);
        }
        let (Some(a), Some(b)) = (
            value::as_int(l, &mut self.syms),
            value::as_int(r, &mut self.syms),
        ) else {
            let origin = origin_of(l, &self.syms).max(origin_of(r, &self.syms));
            return self.fresh_unknown("result", origin, None);
        };
        match op {
            BinOp::Add => Value::Int(term::add(&a, &b)),
            BinOp::Sub => Value::Int(term::sub(&a, &b)),
            BinOp::Mul => Value::Int(term::mul(&a, &b)),
            BinOp::FloorDiv => Value::Int(term::floordiv(&a, &b)),
            BinOp::Mod => Value::Int(term::modulo(&a, &b)),
            BinOp::Div => match (a.as_int(), b.as_int()) {
                (Some(x), Some(y)) if y != 0 => Value::Float(Some(x as f64 / y as f64)),
                _ => Value::Float(None),
            },
            _ => match (a.as_int(), b.as_int()) {
                (Some(x), Some(y)) => int_bitop(op, x, y)
                    .map(Value::int)
                    .unwrap_or(Value::Float(None)),
                _ => {
                    let origin = origin_of(l, &self.syms).max(origin_of(r, &self.syms));
                    self.fresh_unknown("result", origin, None)
                }
            },
        }
    }

    fn seq_binop(&mut self, st: &mut State, op: BinOp, l: &Value, r: &Value) -> Value {
        match (op, l, r) {
            (
                BinOp::Add,
                Value::Seq {
                    kind,
                    items: i1,
                    len: l1,
                },
                Value::Seq {
                    items: i2, len: l2, ..
                },
            ) => {
                let items = match (i1, i2) {
                    (Some(a), Some(b)) => Some(a.iter().chain(b.iter()).cloned().collect()),
                    _ => None,
                };
                Value::Seq {
                    kind: *kind,
                    items,
                    len: term::add(l1, l2),
                }
            }
            (BinOp::Mul, Value::Seq { kind, len, .. }, n)
            | (BinOp::Mul, n, Value::Seq { kind, len, .. }) => {
                match value::as_int(n, &mut self.syms) {
                    Some(k) => {
                        // `["i"] * (n - 1)` is written for a count: a negative one is a
                        // caller's mistake the code does not mean to handle. (An assumption,
                        // not a check the code made: index checks do not count it as one.)
                        if !k.is_const() && origin_of(n, &self.syms) == Origin::Param {
                            let fact = term::ge(&k, &term::int(0));
                            self.assumed.push(fact.clone());
                            push_pc(st, fact);
                        }
                        Value::Seq {
                            kind: *kind,
                            items: None,
                            len: term::mul(
                                len,
                                &term::ite(&term::lt(&k, &term::int(0)), &term::int(0), &k),
                            ),
                        }
                    }
                    None => self.fresh_unknown("list", Origin::Opaque, None),
                }
            }
            _ => self.fresh_unknown("result", Origin::Opaque, None),
        }
    }

    /// `"... %s ..." % args`: the text with each conversion replaced by the argument's text.
    /// The string-keyed entries a `%(key)s` format can read: a dict literal written right
    /// there, or a variable that was assigned one.
    fn format_mapping(&mut self, st: &State, rhs: Option<&Expr>) -> Option<Vec<(String, Value)>> {
        let rhs = rhs?;
        match &rhs.kind {
            ExprKind::Dict(_) => match self.last_dict.take() {
                Some((span, items)) if span == rhs.span => Some(items),
                _ => None,
            },
            ExprKind::Local(n) | ExprKind::ModuleVar(n) => {
                let prefix = format!("{n}[");
                let items: Vec<(String, Value)> = st
                    .env
                    .iter()
                    .filter_map(|(k, v)| {
                        let key = k.strip_prefix(&prefix)?.strip_suffix(']')?;
                        let key = key.strip_prefix('"')?.strip_suffix('"')?;
                        Some((key.to_string(), v.clone()))
                    })
                    .collect();
                (!items.is_empty()).then_some(items)
            }
            _ => None,
        }
    }

    fn percent_format(&mut self, fmt: &T, args: &Value, mapping: Option<&[(String, Value)]>) -> T {
        let Some(f) = fmt.as_str() else {
            return self.syms.fresh("text", Sort::Str, Origin::Opaque);
        };
        let mut vals: Vec<Value> = match args {
            Value::Seq {
                kind: value::SeqKind::Tuple,
                items: Some(xs),
                ..
            } => xs.clone(),
            other => vec![other.clone()],
        };
        vals.reverse();
        let mut out = Vec::new();
        let mut lit = String::new();
        let mut chars = f.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                lit.push(c);
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                lit.push('%');
                continue;
            }
            // Skip flags, width and precision, read a mapping key; stop at the conversion.
            let mut conv = None;
            let mut in_key = false;
            let mut key: Option<String> = None;
            for d in chars.by_ref() {
                if d == '(' && !in_key {
                    in_key = true;
                    key = Some(String::new());
                } else if d == ')' && in_key {
                    in_key = false;
                } else if in_key {
                    if let Some(k) = key.as_mut() {
                        k.push(d);
                    }
                } else if d.is_ascii_alphabetic() {
                    conv = Some(d);
                    break;
                }
            }
            out.push(term::string(&lit));
            lit.clear();
            let v = match &key {
                Some(k) => mapping
                    .and_then(|m| m.iter().find(|(name, _)| name == k))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| self.fresh_unknown(k, Origin::Opaque, None)),
                None => vals.pop().unwrap_or(Value::None),
            };
            let spec = conv
                .filter(|c| "diouxXeEfFgGc".contains(*c))
                .map(|c| c.to_string());
            out.push(self.format_value(&v, None, spec.as_deref().map(|_| "d")));
        }
        out.push(term::string(&lit));
        term::concat(&out)
    }

    fn division_site(&mut self, st: &State, divisor: &Value, span: Span, rhs: Option<&Expr>) {
        // Dividing by a parameter as it was passed is the caller's contract (`ratio(a, b)`);
        // reporting every such site would bury the real ones. Values computed from
        // parameters (lengths, counters, branches on them) are still checked.
        if let Value::Unknown(b) = divisor
            && self
                .syms
                .base(*b)
                .is_some_and(|b| b.origin == Origin::Param)
        {
            return;
        }
        // ... also when computed back into it (`r = n - 1` then `x // (r + 1)`).
        if let Value::Int(t) = divisor
            && let term::Term::Sym(id, _) = &**t
            && self
                .syms
                .symbol(*id)
                .is_some_and(|s| s.origin == Origin::Param && !s.name.starts_with("len("))
            && self
                .syms
                .base_of_symbol(*id)
                .and_then(|b| self.syms.base(b))
                .is_some_and(|b| self.own_params.contains(&b.name))
        {
            return;
        }
        let Some(d) = (match divisor {
            Value::Float(Some(f)) => Some(term::boolean(*f == 0.0)),
            Value::Float(None) => None,
            Value::Str(_) | Value::Seq { .. } | Value::Dict { .. } | Value::None => None,
            other => value::as_int(other, &mut self.syms).map(|t| term::eq(&t, &term::int(0))),
        }) else {
            return;
        };
        let text = rhs
            .map(|r| self.text(r.span))
            .unwrap_or_else(|| "the divisor".into());
        let mut shown = Vec::new();
        if let Some(t) = value::as_int(divisor, &mut self.syms)
            && !t.is_const()
            && !matches!(&*t, term::Term::Sym(..))
        {
            shown.push((format!("`{text}`"), t));
        }
        self.site(
            st,
            "division-by-zero",
            span,
            d,
            shown,
            format!("division by zero: `{text}` can be 0 here"),
            format!("divisor `{text}` is never zero"),
            SiteKind::Correctness,
        );
    }

    /// The asserted condition, and for a single comparison its two sides (shown with a
    /// counterexample: "left side is 118, right side is 120").
    fn assert_condition(&mut self, st: &mut State, test: &Expr) -> (T, Vec<(String, T)>) {
        if let ExprKind::Compare { left, ops } = &test.kind
            && let [(op, right)] = ops.as_slice()
        {
            let l = self.eval(st, left);
            let r = self.eval(st, right);
            let c = self.compare(*op, &l, &r);
            let mut shown = Vec::new();
            let numeric = |v: &Value| {
                matches!(
                    v,
                    Value::Int(_) | Value::Bool(_) | Value::Unknown(_) | Value::Phi(..)
                )
            };
            if numeric(&l)
                && numeric(&r)
                && let (Some(a), Some(b)) = (
                    value::as_int(&l, &mut self.syms),
                    value::as_int(&r, &mut self.syms),
                )
            {
                shown.push(("left side".to_string(), a));
                shown.push(("right side".to_string(), b));
            }
            return (c, shown);
        }
        let v = self.eval(st, test);
        (value::truthy(&v, &mut self.syms), Vec::new())
    }

    pub fn text(&self, span: Span) -> String {
        self.module
            .source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .to_string()
    }

    /// A local list or dict that may have been changed in place becomes an unknown
    /// (widened like a loop variable), so no fact about its old length survives.
    /// `origin` says who changed it: our own code (`Havoc`, a value the code computed) or a
    /// call we cannot see (`Opaque`, the callee's business).
    fn forget_collection(&mut self, st: &mut State, e: &Expr, origin: Origin) {
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
    fn renew_unknown(&mut self, st: &mut State, path: &str, widened: bool) {
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
    fn forget_all_collections(&mut self, st: &mut State) {
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
    fn mutated_collections(&mut self, st: &mut State, body: &Block, out: &mut HashSet<String>) {
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

    /// `xs[i]` on a sequence whose length is known or derived: the index must satisfy
    /// `-len <= i < len` (negative indices count from the end).
    fn index_site(
        &mut self,
        st: &mut State,
        obj: &Value,
        idx: &Value,
        span: Span,
        obj_expr: &Expr,
        idx_expr: &Expr,
    ) {
        // An unknown index counts once the code has compared it as a number
        // (`if position < len(items)`); otherwise it may be a key or a slice.
        let i = match idx {
            Value::Int(i) => i.clone(),
            Value::Unknown(b) if self.syms.has_view(*b, value::View::Int) => {
                self.syms.view(*b, value::View::Int)
            }
            _ => return,
        };
        let i = &i;
        // Only sequences whose length means something: literals, `[0] * n`, `range`,
        // copies of parameters, or unknowns the code has already measured or tested for
        // emptiness. An arbitrary unknown object may be a dict keyed by ints.
        let (len, related) = match obj {
            Value::Seq {
                kind: value::SeqKind::List | value::SeqKind::Tuple,
                len,
                ..
            } => (len.clone(), Vec::new()),
            Value::Str(s) if s.is_const() => (term::str_len(s), Vec::new()),
            // Measured with `len()`: truthiness alone does not make a sequence (a regex
            // match is tested with `if m:` and read with `m[1]`).
            Value::Unknown(b) if self.syms.has_view(*b, value::View::Len) => {
                let len = self.syms.view(*b, value::View::Len);
                let tr = self.syms.view(*b, value::View::Truthy);
                (len, vec![tr])
            }
            _ => return,
        };
        // An unknown object indexed by an unknown value is often a mapping read by key
        // (`G[v]`, `for k in counts: counts[k]`): it is a position only once the code has
        // compared the two (`if pos < len(items)`).
        if matches!((obj, idx), (Value::Unknown(_), Value::Unknown(_))) {
            let (mut li, mut ii) = (Vec::new(), Vec::new());
            len.symbols(&mut li);
            i.symbols(&mut ii);
            let compared = st.pc.iter().any(|c| {
                let mut cs = Vec::new();
                c.symbols(&mut cs);
                cs.iter().any(|x| li.contains(x)) && cs.iter().any(|x| ii.contains(x))
            });
            if !compared {
                return;
            }
        }
        // `xs[0]` / `xs[-1]` on a list nobody checked is how most code reads a list it
        // expects to be non-empty; reporting each would bury the computed indices. Such
        // an index is checked only where the code itself looked at the length.
        if !len.is_const() && matches!(i.as_int(), Some(0 | -1)) {
            let mut ids = Vec::new();
            len.symbols(&mut ids);
            // Only the lengths themselves: a join's choice inside the length term
            // (`[...] if isinstance(w, dict) else [...]`) is no look at the length.
            ids.retain(|id| self.syms.symbol(*id).is_some_and(|s| s.sort == Sort::Int));
            for t in &related {
                t.symbols(&mut ids);
            }
            let mut guarded = false;
            let assumed = |c: &T| self.assumed.iter().any(|a| Arc::ptr_eq(a, c));
            for c in st.pc.iter().filter(|c| !assumed(c)) {
                let mut cs = Vec::new();
                c.symbols(&mut cs);
                if cs.iter().any(|x| ids.contains(x)) {
                    guarded = true;
                    break;
                }
            }
            if !guarded {
                return;
            }
        }
        // A position held in a parameter or attribute and compared only against the length
        // (`if self.pos < len(self.tokens)`) is a count from the start: calling it out of
        // range for being negative would flag every such guard. Computed and constant
        // indices are checked on both sides.
        // An index that grows with a loop counter runs past the end only if the loop runs
        // too often, which depends on an invariant we do not see: only its low side counts.
        let mut index_ids = Vec::new();
        i.symbols(&mut index_ids);
        let counted = index_ids.iter().any(|x| self.growing.contains(x));
        let mut bad = if counted {
            term::lt(i, &term::neg(&len))
        } else if matches!(idx, Value::Unknown(_)) {
            term::ge(i, &len)
        } else {
            term::or(&[term::ge(i, &len), term::lt(i, &term::neg(&len))])
        };
        // Known non-empty, directly or through a copy (`list(token.split_contents())`).
        let len_base = match &*len {
            term::Term::Sym(id, _) => self.syms.base_of_symbol(*id),
            _ => None,
        };
        if len_base.is_some_and(|b| self.nonempty.contains(&b)) {
            bad = term::and(&[bad, term::ge(&len, &term::int(1))]);
        }
        let seq = self.text(obj_expr.span);
        let ix = self.text(idx_expr.span);
        let mut shown = Vec::new();
        if !i.is_const() && !matches!(&**i, term::Term::Sym(..)) {
            shown.push((format!("`{ix}`"), i.clone()));
        }
        if !len.is_const() {
            shown.push((format!("len({seq})"), len.clone()));
        }
        self.site(
            st,
            "index-out-of-range",
            span,
            bad.clone(),
            shown,
            format!("index out of range: `{ix}` can be outside `{seq}` here"),
            format!("index `{ix}` is within `{seq}`"),
            SiteKind::Correctness,
        );
        // Past this point the index was in range (otherwise IndexError left the path):
        // `len(bits) > 2 or bits[1] not in (...)` failing means `len(bits) >= 2`.
        push_pc(st, term::not(&bad));
    }

    /// Float arithmetic on values that are not all constants, kept as a double-valued term:
    /// one side is already such a term, a float constant, or a parameter annotated as a
    /// float, and the other side can be read as a double.
    fn float_expr(&mut self, op: BinOp, l: &Value, r: &Value) -> Option<Value> {
        let fop = match op {
            BinOp::Add => term::FOp::Add,
            BinOp::Sub => term::FOp::Sub,
            BinOp::Mul => term::FOp::Mul,
            BinOp::Div => term::FOp::Div,
            _ => return None,
        };
        let real_param = |v: &Value| matches!(v, Value::Unknown(b) if self.real_params.contains(b));
        let floaty = |v: &Value| matches!(v, Value::FloatExpr(_) | Value::Float(Some(_)));
        let constant = |v: &Value| matches!(v, Value::Float(Some(_))) || v.is_constant();
        if constant(l) && constant(r) {
            return None;
        }
        if !(floaty(l) || floaty(r) || real_param(l) || real_param(r)) {
            return None;
        }
        let a = value::as_float(l, &mut self.syms)?;
        let b = value::as_float(r, &mut self.syms)?;
        Some(Value::FloatExpr(term::farith(fop, &a, &b)))
    }

    /// The symbolic half of [`Self::float_equality_site`]: floats computed from parameters,
    /// where the comparison can be false for values that are equal as numbers
    /// (`x + y == 0.3` with `x = 0.1`, `y = 0.2`).
    fn float_expr_equality_site(
        &mut self,
        st: &State,
        l: &Value,
        r: &Value,
        texts: (String, String),
        span: Span,
    ) {
        if !matches!(l, Value::FloatExpr(_)) && !matches!(r, Value::FloatExpr(_)) {
            return;
        }
        let computed = |t: &T| matches!(&**t, term::Term::FArith(..));
        let (Some(a), Some(b)) = (
            value::as_float(l, &mut self.syms),
            value::as_float(r, &mut self.syms),
        ) else {
            return;
        };
        if !computed(&a) && !computed(&b) {
            return;
        }
        let bad = term::and(&[term::real_eq(&a, &b), term::not(&term::feq(&a, &b))]);
        let (lt, rt) = texts;
        self.site(
            st,
            "float-equality",
            span,
            bad,
            vec![(format!("`{lt}`"), a), (format!("`{rt}`"), b)],
            format!(
                "exact comparison of floats: `{lt}` and `{rt}` can be equal as numbers \
                 yet differ as doubles"
            ),
            format!("`{lt}` and `{rt}` are compared without rounding error"),
            SiteKind::Correctness,
        );
    }

    /// `==` / `!=` between two floats the analysis computed exactly (IEEE doubles, as
    /// Python does) that differ only by rounding: the comparison reads as if they were
    /// equal but is not (`0.1 + 0.2 == 0.3` is False).
    #[allow(clippy::too_many_arguments)]
    fn float_equality_site(
        &mut self,
        st: &State,
        l: &Value,
        r: &Value,
        le: &Expr,
        re: &Expr,
        op: CmpOp,
        span: Span,
    ) {
        let (Value::Float(Some(a)), Value::Float(Some(b))) = (l, r) else {
            let texts = (self.text(le.span), self.text(re.span));
            return self.float_expr_equality_site(st, l, r, texts, span);
        };
        let (a, b) = (*a, *b);
        if !a.is_finite() || !b.is_finite() || a == b {
            return;
        }
        // Rounding error is a few units in the last place; a larger gap is a real
        // difference the author can see in the literals.
        let scale = a.abs().max(b.abs());
        if (a - b).abs() > scale * 1e-12 {
            return;
        }
        let (lt, rt) = (self.text(le.span), self.text(re.span));
        let result = if op == CmpOp::Eq { "False" } else { "True" };
        let (ar, br) = (value::python_float_repr(a), value::python_float_repr(b));
        let show = |text: &str, repr: &str| {
            if text == repr {
                format!("`{text}`")
            } else {
                format!("`{text}` is {repr}")
            }
        };
        self.site(
            st,
            "float-equality",
            span,
            term::boolean(true),
            Vec::new(),
            format!(
                "exact comparison of floats: {} and {}, so this is always {result}",
                show(&lt, &ar),
                show(&rt, &br)
            ),
            String::new(),
            SiteKind::Correctness,
        );
    }

    /// `math.sqrt(x)` with `x < 0`, `math.log(x)` with `x <= 0`, `math.acos/asin(x)` with
    /// `|x| > 1`. Floats only as constants; a parameter passed as is is the caller's
    /// contract (as for division).
    fn math_domain_site(&mut self, st: &State, q: &str, span: Span, args: &[CallArg]) {
        let kind = match q {
            "math.sqrt" => 0,
            "math.log" | "math.log2" | "math.log10" => 1,
            "math.acos" | "math.asin" => 2,
            _ => return,
        };
        let Some(arg) = args
            .iter()
            .find(|a| a.keyword.is_none() && a.unpack == Unpack::None)
        else {
            return;
        };
        let bad = match &arg.value {
            Value::Float(Some(f)) => term::boolean(match kind {
                0 => *f < 0.0,
                1 => *f <= 0.0,
                _ => !(-1.0..=1.0).contains(f),
            }),
            // A parameter as passed is the caller's contract, unless the code checked
            // it on this path and the check left a gap (`if n < 0: raise` then `log(n)`).
            Value::Unknown(b)
                if self
                    .syms
                    .base(*b)
                    .is_some_and(|b| b.origin == Origin::Param)
                    && !pc_mentions(&st.pc, &self.syms.view(*b, value::View::Int)) =>
            {
                return;
            }
            Value::Int(_) | Value::Bool(_) | Value::Phi(..) | Value::Unknown(_) => {
                let Some(x) = value::as_int(&arg.value, &mut self.syms) else {
                    return;
                };
                match kind {
                    0 => term::lt(&x, &term::int(0)),
                    1 => term::le(&x, &term::int(0)),
                    _ => term::or(&[term::lt(&x, &term::int(-1)), term::gt(&x, &term::int(1))]),
                }
            }
            _ => return,
        };
        let text = self.text(arg.span);
        let mut shown = Vec::new();
        if let Some(t) = value::as_int(&arg.value, &mut self.syms)
            && !t.is_const()
            && !matches!(&*t, term::Term::Sym(..))
        {
            shown.push((format!("`{text}`"), t));
        }
        let (need, name) = match kind {
            0 => ("negative", "sqrt"),
            1 => ("zero or negative", q.trim_start_matches("math.")),
            _ => ("outside [-1, 1]", q.trim_start_matches("math.")),
        };
        self.site(
            st,
            "math-domain",
            span,
            bad,
            shown,
            format!("math domain error: `{text}` can be {need} here, and `math.{name}` raises ValueError"),
            format!("`{text}` is in the domain of `math.{name}`"),
            SiteKind::Correctness,
        );
    }

    /// An `if`/`elif`/`while` condition that is the same on every path reaching it: two
    /// sites, "can be true" and "can be false", whose proof is the finding.
    fn condition_sites(&mut self, st: &State, cond: &Expr, c: &T, check_true: bool) {
        if !st.live
            || c.is_const()
            || matches!(cond.kind, ExprKind::Const(_))
            || compares_with_itself(cond)
        {
            return;
        }
        let mut ids = Vec::new();
        c.symbols(&mut ids);
        if ids.is_empty() {
            return;
        }
        // Only conditions on values whose identity the analysis tracks soundly: plain
        // locals and parameters (and what loops widened). Attributes and items are cached
        // by access path and a call may change them; unknown calls' results are opaque.
        for id in &ids {
            let Some(sym) = self.syms.symbol(*id) else {
                return;
            };
            // (Widened values over-approximate: a condition constant for all of them is
            // constant for the real ones.)
            if !matches!(sym.origin, Origin::Param | Origin::Havoc | Origin::Widened) {
                return;
            }
            // A number parameter may be a float unless the code says it is whole: an int
            // view would prove `0 <= p <= 1, p != 1` leaves only `p == 0`.
            let base_id = self.syms.base_of_symbol(*id);
            if base_id.is_some_and(|b| self.real_params.contains(&b))
                || (sym.sort == Sort::Int
                    && sym.origin == Origin::Param
                    && !sym.name.starts_with("len(")
                    && !base_id.is_some_and(|b| self.integral_params.contains(&b)))
            {
                return;
            }
            let base = value::view_subject(&sym.name);
            if base.contains(['.', '[', '(', ' ', '?']) || INTERNAL_HAVOC.contains(&base) {
                return;
            }
        }
        // Always a pair, "can be false" first: the policy needs both outcomes, since
        // both proved means the path itself is dead (reported, if at all, where it died).
        let true_property = if check_true { CC_TRUE } else { CC_TRUE_SILENT };
        self.site(
            st,
            "constant-condition",
            cond.span,
            term::not(c),
            Vec::new(),
            "this condition is always true here: the other branch is dead".into(),
            true_property.into(),
            SiteKind::ConstantCondition,
        );
        self.site(
            st,
            "constant-condition",
            cond.span,
            c.clone(),
            Vec::new(),
            "this condition is always false here: the branch is dead".into(),
            CC_FALSE.into(),
            SiteKind::ConstantCondition,
        );
    }

    /// The fact a passing unittest assertion establishes, added to the path.
    fn unittest_fact(&mut self, st: &mut State, method: &str, args: &[CallArg]) {
        let pos: Vec<&Value> = args
            .iter()
            .filter(|a| a.keyword.is_none() && a.unpack == Unpack::None)
            .map(|a| &a.value)
            .collect();
        let fact = match (method, pos.as_slice()) {
            ("assertEqual" | "assertEquals", [a, b, ..]) => self.equals(a, b),
            ("assertTrue", [a, ..]) => Some(value::truthy(a, &mut self.syms)),
            ("assertFalse", [a, ..]) => Some(term::not(&value::truthy(a, &mut self.syms))),
            (
                "assertGreater" | "assertGreaterEqual" | "assertLess" | "assertLessEqual",
                [a, b, ..],
            ) => {
                let op = match method {
                    "assertGreater" => CmpOp::Gt,
                    "assertGreaterEqual" => CmpOp::GtE,
                    "assertLess" => CmpOp::Lt,
                    _ => CmpOp::LtE,
                };
                Some(self.compare(op, a, b))
            }
            _ => None,
        };
        if let Some(f) = fact {
            push_pc(st, f);
        }
    }

    /// Record a site with the current path condition.
    #[allow(clippy::too_many_arguments)]
    pub fn site(
        &mut self,
        st: &State,
        rule: &str,
        span: Span,
        bad: T,
        shown: Vec<(String, T)>,
        message: String,
        property: String,
        kind: SiteKind,
    ) {
        if !st.live {
            return;
        }
        // A crash the code catches on purpose (`try: ... except ZeroDivisionError:`) is
        // handled, not a defect.
        if let Some(raised) = raised_by(rule)
            && self.caught.iter().flatten().any(|c| {
                c == "*"
                    || c == "builtins.Exception"
                    || c == "builtins.BaseException"
                    || raised.contains(&c.as_str())
            })
        {
            return;
        }
        if raised_by(rule).is_some() && rule != "assert-fails" {
            self.survived.push((st.pc.clone(), term::not(&bad)));
        }
        // Built-in checks are named by the engine; the catalog says which rule id (if
        // any, after --select/--ignore) reports them.
        let Some(id) = self
            .index
            .builtin(rule)
            .or_else(|| self.index.by_id(rule))
            .map(|r| r.id.clone())
        else {
            return;
        };
        self.sites.push(Site {
            rule: id,
            span,
            pc: st.pc.clone(),
            bad,
            shown,
            message,
            property,
            kind,
            fix: None,
            related: Vec::new(),
            inlined: false,
            from_private: false,
            in_private: self.in_private,
        });
    }

    fn eval_call(&mut self, st: &mut State, call: &Expr, func: &Expr, args: &[Arg]) -> Value {
        // Method calls on objects: evaluate the receiver to find its type.
        let (callee, method) = match &func.kind {
            ExprKind::Attribute { value, attr } if func.qualified_name().is_none() => {
                let recv = self.eval(st, value);
                (Callee::Method(recv, attr.clone()), Some(attr.clone()))
            }
            _ => {
                let v = self.eval(st, func);
                (Callee::Value(v), None)
            }
        };
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            let v = self.eval(st, &a.value);
            vals.push(CallArg {
                keyword: a.keyword.clone(),
                value: v,
                unpack: a.unpack,
                expr: a.value.clone(),
                span: a.span,
            });
        }
        let qual: Option<String> = match &callee {
            Callee::Value(Value::Global(q)) => Some(q.to_string()),
            Callee::Method(recv, m) => self.type_of(recv).map(|t| format!("{t}.{m}")),
            _ => None,
        };
        // A list or dict that a call can change no longer has the length we knew:
        // `items.append(x)` and `fill(items)` both make `items` unknown from here on.
        if let (ExprKind::Attribute { value, attr }, Callee::Method(..)) = (&func.kind, &callee)
            && MUTATORS.contains(&attr.as_str())
        {
            self.forget_collection(st, value, Origin::Havoc);
            if let Some(path) = access_path(value) {
                self.renew_unknown(st, &path, false);
            }
        }
        if !qual.as_deref().is_some_and(|q| PURE_BUILTINS.contains(&q)) {
            if self.has_closures {
                self.forget_all_collections(st);
            } else {
                for a in args {
                    self.forget_collection(st, &a.value, Origin::Opaque);
                }
                let escaped: Vec<String> = self.escaped.iter().cloned().collect();
                for n in escaped {
                    let e = Expr::new(ExprKind::Local(n), call.span);
                    self.forget_collection(st, &e, Origin::Opaque);
                }
            }
            let rebound: Vec<String> = self
                .rebound_elsewhere
                .iter()
                .filter(|n| st.env.contains_key(*n))
                .cloned()
                .collect();
            for n in rebound {
                let fresh = self.fresh_unknown(&n, Origin::Opaque, None);
                st.env.insert(n, fresh);
            }
        }
        if let Some(q) = &qual {
            self.math_domain_site(st, q, call.span, &vals);
            if q == "builtins.divmod"
                && let [_, divisor] = vals.as_slice()
                && divisor.keyword.is_none()
            {
                let (v, e) = (divisor.value.clone(), divisor.expr.clone());
                self.division_site(st, &v, call.span, Some(&e));
            }
        }
        sinks::check_call(
            self,
            st,
            call,
            func,
            qual.as_deref(),
            method.as_deref(),
            &vals,
        );
        if let Some(q) = &qual
            && NO_RETURN.contains(&q.as_str())
        {
            st.live = false;
            return Value::None;
        }
        // unittest assertions: after `self.assertEqual(len(xs), 4)` the test goes on
        // only if it held, like an `assert`.
        if let Some(m) = &method {
            self.unittest_fact(st, m, &vals);
        }
        if let Some(v) = self.regex_call(&callee, qual.as_deref(), &vals) {
            return v;
        }
        if let Some(q) = &qual
            && let Some(v) = self.model_builtin(st, q, &callee, &vals)
        {
            return v;
        }
        if let Callee::Value(Value::Func(id)) = &callee
            && let Some(v) = self.inline_call(st, *id, None, &vals, call.span)
        {
            return v;
        }
        // `self._helper(...)`: a private method of this class, called on this object.
        if let Callee::Method(recv @ Value::Unknown(b), m) = &callee
            && Some(*b) == self.receiver
            && is_private_name(m)
            && let Some(id) = self.class.and_then(|c| self.method_of(c, m))
            && let Some(v) = self.inline_call(st, id, Some(recv.clone()), &vals, call.span)
        {
            return v;
        }
        // `random.random()` and `rng.random()` draw from [0, 1): `log(1 - r)` is defined.
        let draws_unit = vals.is_empty()
            && (qual.as_deref() == Some("random.random")
                || matches!(&callee, Callee::Method(_, m) if m == "random"));
        // A random draw is chosen by no caller: `log(rng.random())` fails only for a draw of
        // exactly 0.0, which is not a value anybody passes.
        let draw = match (&callee, qual.as_deref()) {
            (_, Some(q)) => q
                .strip_prefix("random.")
                .is_some_and(|m| RANDOM_DRAWS.contains(&m)),
            (Callee::Method(_, m), None) => RANDOM_DRAWS.contains(&m.as_str()),
            _ => false,
        };
        let result = if draw {
            let name =
                access_path(func).map_or_else(|| "random()".to_string(), |p| format!("{p}()"));
            self.fresh_unknown(&name, Origin::Opaque, None)
        } else {
            self.opaque_result(&callee, func, &vals)
        };
        if draws_unit && let Some(r) = value::as_int(&result, &mut self.syms) {
            push_pc(st, term::ge(&r, &term::int(0)));
            push_pc(st, term::lt(&r, &term::int(1)));
        }
        result
    }

    /// The value of a call the analysis does not follow.
    fn opaque_result(&mut self, callee: &Callee, func: &Expr, vals: &[CallArg]) -> Value {
        match callee {
            Callee::Value(v @ Value::Global(_)) => self.call_result(v, "call"),
            Callee::Method(recv, m) => {
                let origin = origin_of(recv, &self.syms);
                // An untyped receiver still names the method, which is how rules recognise
                // a sanitiser such as `*.quote_name`.
                let ty = Some(
                    self.type_of(recv)
                        .map_or_else(|| format!("*.{m}"), |t| format!("{t}.{m}")),
                );
                let name = match access_path(func) {
                    Some(p) => format!("{p}()"),
                    None => format!("{m}()"),
                };
                // A method of a parameter returns data the caller controls as much as the
                // parameter itself; anything else is opaque. A reduction of an untyped
                // object (`weights.sum()`) is most often NumPy's, whose zero divides into
                // inf or nan without raising: not a value to judge a division by.
                let numeric_reduction =
                    self.type_of(recv).is_none() && ARRAY_REDUCTIONS.contains(&m.as_str());
                let origin =
                    if matches!(origin, Origin::Param | Origin::State) && !numeric_reduction {
                        origin
                    } else {
                        Origin::Opaque
                    };
                let v = self.fresh_unknown(&name, origin, ty.as_deref());
                // `s.split(sep)` always has at least one part (whitespace splitting, with
                // no separator, can return none); so has Django's
                // `token.split_contents()`, whose first item is the tag's own name.
                let nonempty = match m.as_str() {
                    "split" | "rsplit" => !vals.is_empty(),
                    "split_contents" => true,
                    _ => false,
                };
                if nonempty && let Value::Unknown(b) = &v {
                    self.nonempty.insert(*b);
                }
                v
            }
            // A bound method kept in a variable (`quote = connection.ops.quote_name`)
            // still names the method it calls, which rules use to recognise sanitisers.
            Callee::Value(Value::Unknown(b)) => {
                let method = self
                    .syms
                    .base(*b)
                    .map(|b| b.name.rsplit('.').next().unwrap_or(&b.name).to_string())
                    .filter(|m| m.chars().all(|c| c.is_alphanumeric() || c == '_'));
                match method {
                    Some(m) => {
                        let ty = format!("*.{m}");
                        self.fresh_unknown(&format!("{m}()"), Origin::Opaque, Some(&ty))
                    }
                    None => self.fresh_unknown("call()", Origin::Opaque, None),
                }
            }
            _ => self.fresh_unknown("call()", Origin::Opaque, None),
        }
    }

    /// Follow a call into a plain function of this module with the caller's argument
    /// values, so that `average([])` is seen to divide by zero. The callee's sites are
    /// moved to the call site (the callee's line becomes related information) and marked
    /// `inlined`: the policy reports them only when the call makes the violation certain,
    /// since the callee's own analysis already covers what depends on its parameters.
    /// Whether a bad condition is about the analysed function's parameters as passed
    /// (`len(parts) == 0`), not about values derived from them on the way (an item, a
    /// filtered list): only the former is a precondition its callers can see.
    fn on_own_params(&self, bad: &T) -> bool {
        let mut ids = Vec::new();
        bad.symbols(&mut ids);
        !ids.is_empty()
            && ids.iter().all(|id| {
                self.syms.symbol(*id).is_some_and(|s| {
                    let name = value::view_subject(&s.name);
                    s.origin == Origin::Param && self.own_params.iter().any(|p| p == name)
                })
            })
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

    fn method_of(&self, class: crate::ir::ClassId, name: &str) -> Option<usize> {
        let c = self.module.classes.get(class)?;
        c.methods.iter().copied().find(|id| {
            self.module
                .functions
                .get(*id)
                .is_some_and(|f| f.name == name)
        })
    }

    /// `receiver`: the object a method is called on (bound to its first parameter).
    fn inline_call(
        &mut self,
        st: &mut State,
        id: usize,
        receiver: Option<Value>,
        args: &[CallArg],
        call: Span,
    ) -> Option<Value> {
        const MAX_INLINED_TEXT: usize = 4_000;
        if self.inline_depth > 0 || !st.live {
            return None;
        }
        let module = self.module;
        let f = module.functions.get(id)?;
        if !f.decorators.is_empty()
            || f.class.is_some() != receiver.is_some()
            || f.is_async
            || f.params
                .iter()
                .any(|p| p.kind != crate::ir::ParamKind::Positional)
            || args.iter().any(|a| a.unpack != Unpack::None)
            || (f.span.end - f.span.start) as usize > MAX_INLINED_TEXT
        {
            return None;
        }
        let positional: Vec<&CallArg> = args.iter().filter(|a| a.keyword.is_none()).collect();
        let mut env = HashMap::new();
        let mut params = f.params.iter();
        if let Some(me) = receiver {
            env.insert(params.next()?.name.clone(), me);
        }
        let params: Vec<&crate::ir::Param> = params.collect();
        for (i, p) in params.iter().enumerate() {
            let v = match args
                .iter()
                .find(|a| a.keyword.as_deref() == Some(p.name.as_str()))
            {
                Some(a) => a.value.clone(),
                None => match positional.get(i) {
                    Some(a) => a.value.clone(),
                    None => match p.default.as_ref().map(|d| &d.kind) {
                        Some(ExprKind::Const(c)) => const_value(c),
                        _ => return None,
                    },
                },
            };
            env.insert(p.name.clone(), v);
        }
        if positional.len() > params.len() {
            return None;
        }
        let saved_returns = std::mem::take(&mut self.returns);
        let saved_breaks = std::mem::take(&mut self.loop_breaks);
        let saved_escaped = std::mem::take(&mut self.escaped);
        let saved_flags = (self.at_module_level, self.has_closures);
        self.at_module_level = false;
        // The callee's own aliasing is not analysed here: any call may change its lists.
        self.has_closures = true;
        self.inline_depth += 1;
        let first_site = self.sites.len();
        let entry = State {
            env,
            pc: st.pc.clone(),
            live: true,
        };
        let end = self.exec_block(entry, &f.body);
        if end.live {
            self.returns.push((end.pc, Value::None));
        }
        let returns = std::mem::replace(&mut self.returns, saved_returns);
        self.loop_breaks = saved_breaks;
        self.escaped = saved_escaped;
        (self.at_module_level, self.has_closures) = saved_flags;
        self.inline_depth -= 1;
        let private = is_private(f);
        let own: Vec<bool> = self.sites[first_site..]
            .iter()
            .map(|site| private && self.on_own_params(&site.bad))
            .collect();
        for (site, own) in self.sites[first_site..].iter_mut().zip(own) {
            site.related.push(crate::finding::Related {
                span: site.span,
                message: format!("{FOLLOWED_INTO}`{}`", f.name),
            });
            site.span = call;
            site.message = format!("{} (inside `{}`, called here)", site.message, f.name);
            site.inlined = true;
            site.from_private = own;
            site.fix = None;
        }
        // What the callee's paths established (its guards and asserts) holds after the
        // call too: the returns are joined by their path conditions, which extend the
        // caller's and exclude each other.
        let base = st.pc.len();
        let mut acc: Option<(T, Value)> = None;
        for (pc, v) in returns.into_iter().rev() {
            let cond = term::and(pc.get(base..).unwrap_or(&[]));
            acc = Some(match acc {
                None => (cond, v),
                Some((c_rest, rest)) => {
                    let joined = value::join(&cond, &v, &rest, &mut self.syms, &f.name);
                    (term::or(&[cond, c_rest]), joined)
                }
            });
        }
        let (reached, v) = acc?;
        push_pc(st, reached);
        Some(v)
    }

    /// `re.compile`, and `re.fullmatch`/`match`/`search` with a constant pattern: the match
    /// result is a symbol `m` with the fact "m implies the subject holds only characters
    /// the pattern can produce" (stated per character that some rule cares about).
    fn regex_call(
        &mut self,
        callee: &Callee,
        qual: Option<&str>,
        args: &[CallArg],
    ) -> Option<Value> {
        let pos: Vec<&CallArg> = args
            .iter()
            .filter(|a| a.keyword.is_none() && a.unpack == Unpack::None)
            .collect();
        let flags = args.iter().any(|a| a.keyword.as_deref() == Some("flags"));
        let mode_of = |name: &str| match name {
            "fullmatch" => Some(regex_guard::Mode::Full),
            "match" => Some(regex_guard::Mode::Start),
            "search" => Some(regex_guard::Mode::Search),
            _ => None,
        };
        let (pattern, mode, subject) = match (callee, qual) {
            (_, Some("re.compile")) => {
                let p = pos.first()?.value.const_str()?;
                if flags || pos.len() > 1 {
                    return None;
                }
                return Some(Value::Regex(Arc::from(p)));
            }
            (Callee::Method(Value::Regex(p), m), _) => {
                if pos.len() != 1 {
                    return None;
                }
                (p.to_string(), mode_of(m)?, &pos[0].value)
            }
            (_, Some(q)) if q.starts_with("re.") => {
                let mode = mode_of(q.strip_prefix("re.")?)?;
                if flags || pos.len() != 2 {
                    return None;
                }
                (pos[0].value.const_str()?.to_string(), mode, &pos[1].value)
            }
            _ => return None,
        };
        let alphabet = regex_guard::alphabet(&pattern, mode)?;
        let s = value::as_str(subject, &mut self.syms)?;
        let origin = origin_of(subject, &self.syms);
        let m = self.syms.fresh("pattern matches", Sort::Bool, origin);
        let mut facts: Vec<T> = self
            .index
            .interesting_chars
            .iter()
            .filter(|c| !alphabet.contains(**c))
            .map(|c| term::not(&term::contains(&s, &term::string(&c.to_string()))))
            .collect();
        if !alphabet.can_be_empty {
            facts.push(term::gt(&term::str_len(&s), &term::int(0)));
        }
        self.syms.axioms.push(term::implies(&m, &term::and(&facts)));
        // A match object when it matched, None otherwise.
        Some(Value::Phi(
            m,
            Box::new(Value::Instance(Arc::from("re.Match"))),
            Box::new(Value::None),
        ))
    }

    /// Builtins and string methods whose results the analysis understands.
    fn model_builtin(
        &mut self,
        st: &mut State,
        q: &str,
        callee: &Callee,
        args: &[CallArg],
    ) -> Option<Value> {
        let pos: Vec<&Value> = args
            .iter()
            .filter(|a| a.keyword.is_none() && a.unpack == Unpack::None)
            .map(|a| &a.value)
            .collect();
        let first = pos.first().copied();
        match q {
            "builtins.len" => {
                let v = first?;
                value::length(v, &mut self.syms).map(Value::Int)
            }
            "builtins.int" => {
                let v = first?;
                // `int("234", 7)`: a base other than ten, read when it is a literal.
                let base = match (
                    pos.get(1),
                    args.iter().find(|a| a.keyword.as_deref() == Some("base")),
                ) {
                    (Some(b), _) => Some(*b),
                    (None, Some(a)) => Some(&a.value),
                    (None, None) => None,
                };
                if let Some(b) = base {
                    let parsed = match (v, b) {
                        (Value::Str(t), Value::Int(r)) => {
                            t.as_str().zip(r.as_int()).and_then(|(s, r)| {
                                let r = u32::try_from(r).ok().filter(|r| (2..=36).contains(r))?;
                                i128::from_str_radix(s.trim(), r).ok()
                            })
                        }
                        _ => None,
                    };
                    return Some(match parsed {
                        Some(i) => Value::int(i),
                        None => Value::Int(self.syms.fresh(
                            "int(...)",
                            Sort::Int,
                            origin_of(v, &self.syms),
                        )),
                    });
                }
                match v {
                    Value::Int(_) => Some(v.clone()),
                    Value::Bool(t) => Some(Value::Int(term::ite(t, &term::int(1), &term::int(0)))),
                    Value::Str(t) => match t.as_str().and_then(|s| s.trim().parse::<i128>().ok()) {
                        Some(i) => Some(Value::int(i)),
                        None => Some(Value::Int(self.syms.fresh(
                            "int(...)",
                            Sort::Int,
                            origin_of(v, &self.syms),
                        ))),
                    },
                    Value::Float(Some(f)) => Some(Value::int(f.trunc() as i128)),
                    _ => {
                        let origin = origin_of(v, &self.syms);
                        let name = match v {
                            Value::Unknown(b) => {
                                self.syms.base(*b).map(|b| format!("int({})", b.name))
                            }
                            _ => None,
                        }
                        .unwrap_or_else(|| "int(...)".into());
                        Some(Value::Int(self.syms.fresh(&name, Sort::Int, origin)))
                    }
                }
            }
            "builtins.str" => {
                let v = first?;
                value::as_str(v, &mut self.syms).map(Value::Str)
            }
            "builtins.bool" => {
                let v = first?;
                Some(Value::Bool(value::truthy(v, &mut self.syms)))
            }
            "builtins.float" => match first? {
                Value::Int(t) => Some(Value::Float(t.as_int().map(|i| i as f64))),
                Value::Float(f) => Some(Value::Float(*f)),
                Value::Str(t) => Some(Value::Float(t.as_str().and_then(|s| s.trim().parse().ok()))),
                _ => Some(Value::Float(None)),
            },
            "builtins.hash" | "builtins.ord" | "builtins.id" => {
                let origin = first.map_or(Origin::Opaque, |v| origin_of(v, &self.syms));
                let name = format!("{}(...)", q.trim_start_matches("builtins."));
                Some(Value::Int(self.syms.fresh(&name, Sort::Int, origin)))
            }
            "builtins.abs" => {
                let v = first?;
                if let Value::Float(f) = v {
                    return Some(Value::Float(f.map(f64::abs)));
                }
                let t = value::as_int(v, &mut self.syms)?;
                Some(Value::Int(term::ite(
                    &term::lt(&t, &term::int(0)),
                    &term::neg(&t),
                    &t,
                )))
            }
            "builtins.max" | "builtins.min"
                if pos.len() >= 2 && args.iter().all(|a| a.keyword.is_none()) =>
            {
                let mut ts = Vec::new();
                for v in &pos {
                    if matches!(v, Value::Float(_)) {
                        return Some(Value::Float(None));
                    }
                    ts.push(value::as_int(v, &mut self.syms)?);
                }
                let mut acc = ts[0].clone();
                for t in &ts[1..] {
                    let c = if q == "builtins.max" {
                        term::gt(t, &acc)
                    } else {
                        term::lt(t, &acc)
                    };
                    acc = term::ite(&c, t, &acc);
                }
                Some(Value::Int(acc))
            }
            "builtins.sum" => {
                let v = first?;
                match v {
                    Value::Seq {
                        items: Some(xs), ..
                    } if pos.len() == 1 => {
                        let mut acc = term::int(0);
                        for x in xs {
                            if matches!(x, Value::Float(_)) {
                                return Some(Value::Float(None));
                            }
                            acc = term::add(&acc, &value::as_int(x, &mut self.syms)?);
                        }
                        Some(Value::Int(acc))
                    }
                    _ => {
                        let name = match v {
                            Value::Unknown(b) => {
                                self.syms.base(*b).map(|b| format!("sum({})", b.name))
                            }
                            _ => None,
                        }
                        .unwrap_or_else(|| "sum(...)".into());
                        let origin = origin_of(v, &self.syms);
                        Some(self.fresh_unknown(&name, origin, None))
                    }
                }
            }
            "builtins.range" => {
                let ints: Option<Vec<T>> = pos
                    .iter()
                    .map(|v| value::as_int(v, &mut self.syms))
                    .collect();
                let ints = ints?;
                let zero = term::int(0);
                let clamp = |t: T| term::ite(&term::lt(&t, &zero), &zero, &t);
                let len = match ints.as_slice() {
                    [n] => clamp(n.clone()),
                    [a, b] => clamp(term::sub(b, a)),
                    // `range(a, b, step)`: its length is not linear in the step, but when it
                    // is empty is: `range(0, l * k, k)` has no item when `l * k == 0`.
                    [a, b, step] => {
                        let l = self.syms.fresh(
                            "len(range)",
                            Sort::Int,
                            origin_of_all(&pos, &self.syms),
                        );
                        let up = term::and(&[term::gt(step, &zero), term::lt(a, b)]);
                        let down = term::and(&[term::lt(step, &zero), term::gt(a, b)]);
                        push_pc(st, term::ge(&l, &zero));
                        push_pc(st, term::eq(&term::gt(&l, &zero), &term::or(&[up, down])));
                        l
                    }
                    _ => return Some(self.fresh_unknown("range", Origin::Havoc, None)),
                };
                let items = match ints.as_slice() {
                    [n] => n
                        .as_int()
                        .filter(|n| (0..=64).contains(n))
                        .map(|n| (0..n).map(Value::int).collect()),
                    _ => None,
                };
                Some(Value::Seq {
                    kind: value::SeqKind::List,
                    items,
                    len,
                })
            }
            "builtins.list" | "builtins.tuple" | "builtins.sorted" | "builtins.reversed"
            | "builtins.enumerate"
                if pos.len() == 1 =>
            {
                let v = first?;
                let len = value::length(v, &mut self.syms)?;
                let items = match v {
                    Value::Seq { items, .. }
                        if !matches!(q, "builtins.sorted" | "builtins.enumerate") =>
                    {
                        items.clone()
                    }
                    _ => None,
                };
                Some(Value::Seq {
                    kind: if q == "builtins.tuple" {
                        value::SeqKind::Tuple
                    } else {
                        value::SeqKind::List
                    },
                    items,
                    len,
                })
            }
            "builtins.isinstance" | "builtins.hasattr" | "builtins.callable" => {
                let origin = first
                    .map(|v| origin_of(v, &self.syms))
                    .unwrap_or(Origin::Opaque);
                Some(Value::Bool(self.syms.fresh(
                    "isinstance(...)",
                    Sort::Bool,
                    origin,
                )))
            }
            "builtins.str.format" => {
                let Callee::Method(Value::Str(fmt), _) = callee else {
                    return None;
                };
                Some(Value::Str(self.brace_format(fmt, args)))
            }
            "builtins.str.startswith" | "builtins.str.endswith" => {
                let Callee::Method(Value::Str(s), _) = callee else {
                    return None;
                };
                let p = value::as_str(first?, &mut self.syms)?;
                Some(Value::Bool(if q.ends_with("startswith") {
                    term::prefix_of(&p, s)
                } else {
                    term::suffix_of(&p, s)
                }))
            }
            "builtins.str.strip"
            | "builtins.str.lower"
            | "builtins.str.upper"
            | "builtins.str.lstrip"
            | "builtins.str.rstrip"
            | "builtins.str.title" => {
                let Callee::Method(Value::Str(s), _) = callee else {
                    return None;
                };
                if s.is_const() {
                    return None;
                }
                // Same characters, possibly fewer or case-changed: for what injection checks
                // ask (can it contain a quote?) a fresh string of the same origin will do.
                let mut origins = Vec::new();
                s.symbols(&mut origins);
                let origin = origins
                    .iter()
                    .filter_map(|id| self.syms.symbol(*id).map(|s| s.origin))
                    .max()
                    .unwrap_or(Origin::Opaque);
                Some(Value::Str(self.syms.fresh("text", Sort::Str, origin)))
            }
            _ => None,
        }
    }

    /// `"...{}...{name}...".format(...)`.
    fn brace_format(&mut self, fmt: &T, args: &[CallArg]) -> T {
        let Some(f) = fmt.as_str() else {
            return self.syms.fresh("text", Sort::Str, Origin::Opaque);
        };
        let pos: Vec<&CallArg> = args
            .iter()
            .filter(|a| a.keyword.is_none() && a.unpack == Unpack::None)
            .collect();
        let mut auto = 0usize;
        let mut out = Vec::new();
        let mut lit = String::new();
        let mut chars = f.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut field = String::new();
                    for d in chars.by_ref() {
                        if d == '}' {
                            break;
                        }
                        field.push(d);
                    }
                    let (name, spec) = match field.split_once(':') {
                        Some((n, s)) => (n.to_string(), Some(s.to_string())),
                        None => (field.clone(), None),
                    };
                    let (name, conv) = match name.split_once('!') {
                        Some((n, c)) => (n.to_string(), c.chars().next()),
                        None => (name, None),
                    };
                    let key: String = name
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let arg = if key.is_empty() {
                        let a = pos.get(auto).map(|a| a.value.clone());
                        auto += 1;
                        a
                    } else if let Ok(i) = key.parse::<usize>() {
                        pos.get(i).map(|a| a.value.clone())
                    } else {
                        args.iter()
                            .find(|a| a.keyword.as_deref() == Some(key.as_str()))
                            .map(|a| a.value.clone())
                    };
                    out.push(term::string(&lit));
                    lit.clear();
                    let t = match arg {
                        Some(v) if key == name => self.format_value(&v, conv, spec.as_deref()),
                        _ => self.syms.fresh("text", Sort::Str, Origin::Opaque),
                    };
                    out.push(t);
                }
                _ => lit.push(c),
            }
        }
        out.push(term::string(&lit));
        term::concat(&out)
    }
}

pub enum Callee {
    Value(Value),
    Method(Value, String),
}

/// An evaluated call argument.
pub struct CallArg {
    pub keyword: Option<String>,
    pub value: Value,
    pub unpack: Unpack,
    pub expr: Expr,
    pub span: Span,
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
                st.pc.push(t)
            }
        }
    }
}

/// Names that functions nested in `f` declare `nonlocal` (for the module body: `global`
/// in any function), so that calling them may rebind the variable.
fn rebound_by_nested(module: &Module, f: &Function, is_module: bool) -> HashSet<String> {
    let mut out = HashSet::new();
    let Some(me) = module.functions.iter().position(|g| std::ptr::eq(g, f)) else {
        return out;
    };
    let inside = |g: &Function| {
        let mut parent = g.parent;
        for _ in 0..module.functions.len() {
            match parent {
                Some(p) if p == me => return true,
                Some(p) => parent = module.functions.get(p).and_then(|x| x.parent),
                None => return false,
            }
        }
        false
    };
    for g in &module.functions {
        if std::ptr::eq(g, f) || !(is_module || inside(g)) {
            continue;
        }
        for stmt in crate::ir::cfg::statements(&g.body) {
            match &stmt.kind {
                StmtKind::Nonlocal(names) if !is_module => out.extend(names.iter().cloned()),
                StmtKind::Global(names) if is_module => out.extend(names.iter().cloned()),
                _ => {}
            }
        }
    }
    out
}

/// The strongest origin among values (see [`origin_of`]).
fn origin_of_all(vs: &[&Value], syms: &Symbols) -> Origin {
    vs.iter()
        .map(|v| origin_of(v, syms))
        .min()
        .unwrap_or(Origin::Opaque)
}

/// Attributes that the `__init__` of a class sets (`self.tasks = tasks`,
/// `self.rate = float(rate)`) from its own parameters.
fn constructor_fed(module: &Module, class: crate::ir::ClassId) -> HashSet<String> {
    let mut out = HashSet::new();
    let Some(init) = module.classes.get(class).and_then(|c| {
        c.methods
            .iter()
            .filter_map(|id| module.functions.get(*id))
            .find(|f| f.name == "__init__")
    }) else {
        return out;
    };
    let Some((me, args)) = init.params.split_first() else {
        return out;
    };
    for stmt in crate::ir::cfg::statements(&init.body) {
        let (targets, value): (Vec<&Target>, &Expr) = match &stmt.kind {
            StmtKind::Assign { targets, value } => (targets.iter().collect(), value),
            StmtKind::AnnAssign {
                target,
                value: Some(value),
                ..
            } => (vec![target], value),
            _ => continue,
        };
        let text = module
            .source
            .get(value.span.start as usize..value.span.end as usize)
            .unwrap_or("");
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .collect();
        if !args.iter().any(|a| words.contains(&a.name.as_str())) {
            continue;
        }
        for t in targets {
            if let Target::Attribute {
                value: obj, attr, ..
            } = t
                && matches!(&obj.kind, ExprKind::Local(n) if *n == me.name)
            {
                out.insert(attr.clone());
            }
        }
    }
    out
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

fn const_value(c: &Const) -> Value {
    match c {
        Const::None => Value::None,
        Const::Bool(b) => Value::boolean(*b),
        Const::Int(i) => Value::int(*i),
        Const::Float(f) => Value::Float(Some(*f)),
        Const::Str(s) => Value::Str(term::string(s)),
        Const::BigInt(_) => Value::Float(None),
        Const::Complex(_) | Const::Bytes(_) | Const::Ellipsis => {
            Value::Global(Arc::from("<const>"))
        }
    }
}

fn float_binop(op: BinOp, l: &Value, r: &Value) -> Option<f64> {
    let f = |v: &Value| match v {
        Value::Float(x) => *x,
        Value::Int(t) => t.as_int().map(|i| i as f64),
        _ => None,
    };
    let (a, b) = (f(l)?, f(r)?);
    Some(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div if b != 0.0 => a / b,
        BinOp::FloorDiv if b != 0.0 => (a / b).floor(),
        BinOp::Mod if b != 0.0 => a - b * (a / b).floor(),
        BinOp::Pow => a.powf(b),
        _ => return None,
    })
}

fn int_bitop(op: BinOp, x: i128, y: i128) -> Option<i128> {
    match op {
        BinOp::Pow => u32::try_from(y).ok().and_then(|e| x.checked_pow(e)),
        BinOp::LShift => u32::try_from(y)
            .ok()
            .filter(|s| *s < 100)
            .and_then(|s| x.checked_mul(1i128 << s)),
        BinOp::RShift => u32::try_from(y).ok().map(|s| {
            if s >= 127 {
                if x < 0 { -1 } else { 0 }
            } else {
                x >> s
            }
        }),
        BinOp::BitOr => Some(x | y),
        BinOp::BitAnd => Some(x & y),
        BinOp::BitXor => Some(x ^ y),
        _ => None,
    }
}

/// `self.x.y` -> "self.x.y": the key under which attribute values are remembered.
pub fn access_path(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Local(n) | ExprKind::ModuleVar(n) | ExprKind::Free(n) => Some(n.clone()),
        ExprKind::Attribute { value, attr } => access_path(value).map(|p| format!("{p}.{attr}")),
        _ => None,
    }
}

fn target_name(t: &Target) -> String {
    match t {
        Target::Local(n, _) | Target::ModuleVar(n, _) => n.clone(),
        Target::Attribute { attr, .. } => attr.clone(),
        _ => "item".into(),
    }
}

fn target_names(t: &Target, out: &mut HashSet<String>) {
    match t {
        Target::Local(n, _) | Target::ModuleVar(n, _) => {
            out.insert(n.clone());
        }
        Target::Tuple(ts, _) => ts.iter().for_each(|t| target_names(t, out)),
        Target::Starred(t, _) => target_names(t, out),
        Target::Attribute { value, attr, .. } => {
            if let Some(p) = access_path(value) {
                out.insert(format!("{p}.{attr}"));
            }
        }
        Target::Subscript { .. } => {}
    }
}

fn walrus_names(e: &Expr, out: &mut HashSet<String>) {
    if let ExprKind::NamedExpr { target, value } = &e.kind {
        out.insert(target.clone());
        walrus_names(value, out);
    }
}

/// Names a block may assign (including nested blocks), for havoc.
fn assigned_names(block: &[Stmt], out: &mut HashSet<String>) {
    bindings(block, out, true);
}

/// Names the statements bind, nested blocks included; `+=`-style updates only when
/// `with_updates` is set.
fn bindings(block: &[Stmt], out: &mut HashSet<String>, with_updates: bool) {
    for s in block {
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| target_names(t, out));
                walrus_names(value, out);
            }
            StmtKind::AnnAssign { target, .. } => target_names(target, out),
            StmtKind::AugAssign { target, .. } if with_updates => target_names(target, out),
            StmtKind::If { cond, .. } => walrus_names(cond, out),
            StmtKind::For { target, .. } => target_names(target, out),
            StmtKind::Try { handlers, .. } => {
                out.extend(handlers.iter().filter_map(|h| h.name.clone()));
            }
            StmtKind::With { items, .. } => {
                for t in items.iter().filter_map(|i| i.target.as_ref()) {
                    target_names(t, out);
                }
            }
            StmtKind::Match { cases, .. } => {
                for c in cases {
                    pattern_names(&c.pattern, out);
                }
            }
            StmtKind::Expr(e) => walrus_names(e, out),
            _ => {}
        }
        for b in crate::ir::cfg::child_blocks(s) {
            bindings(b, out, with_updates);
        }
    }
}

fn pattern_names(p: &Pattern, out: &mut HashSet<String>) {
    match p {
        Pattern::Wildcard(Some(n)) => {
            out.insert(n.clone());
        }
        Pattern::As(q, n) => {
            out.insert(n.clone());
            pattern_names(q, out);
        }
        Pattern::Or(ps) | Pattern::Sequence { items: ps, .. } => {
            ps.iter().for_each(|q| pattern_names(q, out))
        }
        _ => {}
    }
}

/// Variables a loop body changes only by `+=`/`-=` of non-negative constants: true for
/// counters that only grow.
/// `while v < bound` (or `<=`) where the body changes `v` only by `v += step` (one
/// constant step > 0) and never assigns what `bound` reads.
fn bounded_counter<'e>(
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

fn monotone_counters(body: &Block) -> HashMap<String, bool> {
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

/// Calls that never return normally.
const NO_RETURN: &[&str] = &[
    "builtins.exit",
    "builtins.quit",
    "sys.exit",
    "os._exit",
    "os.abort",
    "flask.abort",
    "werkzeug.exceptions.abort",
    "pytest.fail",
    "pytest.skip",
];

/// Module constants whose values matter to rules (file mode bits).
fn known_constant(q: &str) -> Option<Value> {
    let v = match q {
        "stat.S_IRWXU" => 0o700,
        "stat.S_IRUSR" => 0o400,
        "stat.S_IWUSR" => 0o200,
        "stat.S_IXUSR" => 0o100,
        "stat.S_IRWXG" => 0o070,
        "stat.S_IRGRP" => 0o040,
        "stat.S_IWGRP" => 0o020,
        "stat.S_IXGRP" => 0o010,
        "stat.S_IRWXO" => 0o007,
        "stat.S_IROTH" => 0o004,
        "stat.S_IWOTH" => 0o002,
        "stat.S_IXOTH" => 0o001,
        "stat.S_ISUID" => 0o4000,
        "stat.S_ISGID" => 0o2000,
        "stat.S_ISVTX" => 0o1000,
        _ => return None,
    };
    Some(Value::int(v))
}

/// A comparison with the same variable on both sides (`x != x`, `n + 1 == n`): a NaN or
/// overflow test on floats, which the int view would call constant.
fn compares_with_itself(e: &Expr) -> bool {
    fn names(e: &Expr, out: &mut Vec<String>) {
        match &e.kind {
            ExprKind::Local(n) | ExprKind::ModuleVar(n) | ExprKind::Free(n) => out.push(n.clone()),
            ExprKind::BinOp { left, right, .. } => {
                names(left, out);
                names(right, out);
            }
            ExprKind::UnaryOp { operand, .. } => names(operand, out),
            ExprKind::Attribute { .. } => {
                if let Some(p) = access_path(e) {
                    out.push(p);
                }
            }
            _ => {}
        }
    }
    match &e.kind {
        ExprKind::Compare { left, ops } => {
            let mut l = Vec::new();
            names(left, &mut l);
            ops.iter().any(|(_, r)| {
                let mut rs = Vec::new();
                names(r, &mut rs);
                rs.iter().any(|n| l.contains(n))
            })
        }
        ExprKind::BoolOp { values, .. } => values.iter().any(compares_with_itself),
        ExprKind::UnaryOp { operand, .. } => compares_with_itself(operand),
        _ => false,
    }
}

/// Whether some conjunct of the path condition mentions a symbol of `t`.
fn pc_mentions(pc: &[T], t: &T) -> bool {
    let mut ids = Vec::new();
    t.symbols(&mut ids);
    pc.iter().any(|c| {
        let mut cs = Vec::new();
        c.symbols(&mut cs);
        cs.iter().any(|x| ids.contains(x))
    })
}

/// Roles of the two sites of a constant condition (their `property`), read by the policy.
pub const CC_TRUE: &str = "constant-condition: can be false";
/// As [`CC_TRUE`], for a `while` whose always-true condition is not reported.
pub const CC_TRUE_SILENT: &str = "constant-condition: can be false (not reported)";
pub const CC_FALSE: &str = "constant-condition: can be true";

/// Marks a name in [`mutated_names`] that is only stored into (`d[k] = v`).
const STORED: &str = "[]";
/// Marks a name in [`mutated_names`] whose methods change it in place.
const RECEIVER: &str = ".";
/// Marks a name in [`mutated_names`] handed to unseen code (see `escaping`).
const ESCAPED: &str = "^";

/// Choice symbols of joins, not variables.
const INTERNAL_HAVOC: &[&str] = &["loop exit", "exception raised", "case", "comparison"];

/// Methods that change a list, dict or set in place.
const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "update",
    "setdefault",
    "popitem",
    "add",
    "discard",
    "__setitem__",
    "__delitem__",
];

/// Builtins that read their arguments without changing them.
const PURE_BUILTINS: &[&str] = &[
    "builtins.len",
    "builtins.sum",
    "builtins.min",
    "builtins.max",
    "builtins.sorted",
    "builtins.list",
    "builtins.tuple",
    "builtins.set",
    "builtins.frozenset",
    "builtins.dict",
    "builtins.enumerate",
    "builtins.zip",
    "builtins.any",
    "builtins.all",
    "builtins.str",
    "builtins.repr",
    "builtins.print",
    "builtins.isinstance",
    "builtins.iter",
    "builtins.reversed",
    "builtins.range",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.abs",
    "builtins.round",
    "builtins.hash",
    "builtins.id",
    "builtins.type",
    "builtins.map",
    "builtins.filter",
    "json.dumps",
];

/// `(start, stop)` of `range(n)` / `range(a, b)` with a constant `a` (no step): the loop
/// target lies in `start <= i < stop`.
fn range_bounds(iter: &Expr, it: &Value) -> Option<(T, T)> {
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

/// Local names a block may change in place: receivers of mutating methods, containers
/// stored into or deleted from, and names passed to calls that are not known to be pure.
/// The names a block may change in place, whatever the way (without the markers
/// [`mutated_names`] adds).
pub fn changed_in_place(block: &[Stmt]) -> HashSet<String> {
    let mut raw = HashSet::new();
    mutated_names(block, &mut raw);
    raw.into_iter()
        .map(|n| {
            let n = n.strip_prefix(RECEIVER).unwrap_or(&n);
            let n = n.strip_prefix(ESCAPED).unwrap_or(n);
            n.strip_prefix(STORED).unwrap_or(n).to_string()
        })
        .collect()
}

fn mutated_names(block: &[Stmt], out: &mut HashSet<String>) {
    fn expr(e: &Expr, out: &mut HashSet<String>) {
        match &e.kind {
            ExprKind::Call { func, args } => {
                if let ExprKind::Attribute { value, attr } = &func.kind {
                    if MUTATORS.contains(&attr.as_str())
                        && let Some(n) = access_path(value)
                    {
                        out.insert(format!("{RECEIVER}{n}"));
                        out.insert(n);
                    }
                    expr(value, out);
                }
                let pure = func
                    .qualified_name()
                    .is_some_and(|q| PURE_BUILTINS.contains(&q.as_str()));
                for a in args {
                    if !pure && let ExprKind::Local(n) | ExprKind::ModuleVar(n) = &a.value.kind {
                        out.insert(n.clone());
                    }
                    if !pure {
                        escaping(&a.value, out);
                    }
                    expr(&a.value, out);
                }
            }
            // A bound mutator kept for later (`push = stack.append`) changes its list
            // whenever it is called.
            ExprKind::Attribute { value, attr } => {
                if MUTATORS.contains(&attr.as_str()) {
                    escaping(value, out);
                    if let Some(n) = access_path(value) {
                        out.insert(n);
                    }
                }
                expr(value, out)
            }
            ExprKind::UnaryOp { operand: value, .. }
            | ExprKind::Await(value)
            | ExprKind::Starred(value)
            | ExprKind::NamedExpr { value, .. } => expr(value, out),
            ExprKind::BinOp { left, right, .. } => {
                expr(left, out);
                expr(right, out);
            }
            ExprKind::BoolOp { values, .. }
            | ExprKind::List(values)
            | ExprKind::Tuple(values)
            | ExprKind::Set(values) => values.iter().for_each(|v| expr(v, out)),
            ExprKind::Compare { left, ops } => {
                expr(left, out);
                ops.iter().for_each(|(_, v)| expr(v, out));
            }
            ExprKind::IfExp { test, body, orelse } => {
                expr(test, out);
                expr(body, out);
                expr(orelse, out);
            }
            ExprKind::Dict(entries) => {
                for (k, v) in entries {
                    if let Some(k) = k {
                        expr(k, out);
                    }
                    expr(v, out);
                }
            }
            ExprKind::Subscript { value, index } => {
                expr(value, out);
                expr(index, out);
            }
            ExprKind::FString(parts) => {
                for p in parts {
                    if let FPart::Value { value, .. } = p {
                        expr(value, out);
                    }
                }
            }
            ExprKind::Comprehension {
                element,
                value,
                generators,
                ..
            } => {
                expr(element, out);
                if let Some(v) = value {
                    expr(v, out);
                }
                for g in generators {
                    expr(&g.iter, out);
                    g.ifs.iter().for_each(|c| expr(c, out));
                }
            }
            _ => {}
        }
    }
    /// Names reachable from a value handed to code we do not see (directly or inside a
    /// tuple, list or dict literal): any later call may change them.
    fn escaping(e: &Expr, out: &mut HashSet<String>) {
        match &e.kind {
            ExprKind::Local(n) | ExprKind::ModuleVar(n) => {
                out.insert(format!("{ESCAPED}{n}"));
            }
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                xs.iter().for_each(|x| escaping(x, out))
            }
            ExprKind::Dict(entries) => entries.iter().for_each(|(_, v)| escaping(v, out)),
            // A bound method (`callback=seen.append`) hands over its object.
            ExprKind::Starred(x) | ExprKind::Attribute { value: x, .. } => escaping(x, out),
            _ => {}
        }
    }
    fn target(t: &Target, out: &mut HashSet<String>) {
        match t {
            Target::Subscript { value, index, .. } => {
                if let ExprKind::Local(n) | ExprKind::ModuleVar(n) = &value.kind {
                    out.insert(format!("{STORED}{n}"));
                }
                expr(value, out);
                expr(index, out);
            }
            Target::Tuple(ts, _) => ts.iter().for_each(|t| target(t, out)),
            Target::Starred(t, _) => target(t, out),
            Target::Attribute { value, .. } => expr(value, out),
            _ => {}
        }
    }
    for s in block {
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| target(t, out));
                // Stored into an object or container, a list is shared with whoever else
                // holds that object.
                if targets
                    .iter()
                    .any(|t| !matches!(t, Target::Local(..) | Target::ModuleVar(..)))
                {
                    escaping(value, out);
                }
                // Aliases: `stack = [out]` or `ys = xs` give a second way to change the
                // list, which any call through the alias may use.
                match &value.kind {
                    ExprKind::Local(_) | ExprKind::ModuleVar(_) => {
                        escaping(value, out);
                        for t in targets {
                            if let Target::Local(n, _) | Target::ModuleVar(n, _) = t {
                                out.insert(format!("{ESCAPED}{n}"));
                            }
                        }
                    }
                    ExprKind::List(_)
                    | ExprKind::Tuple(_)
                    | ExprKind::Set(_)
                    | ExprKind::Dict(_) => escaping(value, out),
                    _ => {}
                }
                expr(value, out);
            }
            StmtKind::AnnAssign {
                target: t, value, ..
            } => {
                target(t, out);
                if let Some(v) = value {
                    expr(v, out);
                }
            }
            StmtKind::AugAssign {
                target: t, value, ..
            } => {
                target(t, out);
                expr(value, out);
            }
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) | StmtKind::Raise(Some(e)) => {
                expr(e, out)
            }
            StmtKind::If { cond, then, orelse } => {
                expr(cond, out);
                mutated_names(then, out);
                mutated_names(orelse, out);
            }
            StmtKind::While { cond, body, orelse } => {
                expr(cond, out);
                mutated_names(body, out);
                mutated_names(orelse, out);
            }
            StmtKind::For {
                iter, body, orelse, ..
            } => {
                expr(iter, out);
                mutated_names(body, out);
                mutated_names(orelse, out);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                mutated_names(body, out);
                for h in handlers {
                    mutated_names(&h.body, out);
                }
                mutated_names(orelse, out);
                mutated_names(finally, out);
            }
            StmtKind::With { items, body } => {
                for i in items {
                    expr(&i.context, out);
                }
                mutated_names(body, out);
            }
            StmtKind::Match { subject, cases } => {
                expr(subject, out);
                for c in cases {
                    mutated_names(&c.body, out);
                }
            }
            StmtKind::Assert { test, .. } => expr(test, out),
            StmtKind::Delete(ts) => {
                for t in ts {
                    if let ExprKind::Subscript { value, .. } = &t.kind
                        && let ExprKind::Local(n) | ExprKind::ModuleVar(n) = &value.kind
                    {
                        out.insert(n.clone());
                    }
                }
            }
            _ => {}
        }
    }
}
