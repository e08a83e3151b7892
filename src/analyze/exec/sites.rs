//! Risky sites: each builder states the bad condition of one kind of operation
//! (division, indexing, float equality, math domain, assertions, constant conditions)
//! and records it with the path condition; which of them to skip is decided here, where
//! the reason (a caller's contract, a check the code made) is known.

use std::sync::Arc;

use super::calls::CallArg;
use super::scan::access_path;
use super::{Exec, Site, SiteKind, State, push_pc};
use crate::analyze::value::{self, Value};
use crate::ir::{CmpOp, Expr, ExprKind, Span, Unpack};
use crate::term::{self, Origin, Sort, T};

/// The exceptions a failing correctness check raises, for recognising a `try` that
/// expects them.
pub(super) fn raised_by(builtin: &str) -> Option<&'static [&'static str]> {
    Some(match builtin {
        "division-by-zero" => &["builtins.ZeroDivisionError", "builtins.ArithmeticError"],
        "index-out-of-range" => &["builtins.IndexError", "builtins.LookupError"],
        "math-domain" => &["builtins.ValueError", "builtins.ArithmeticError"],
        "assert-fails" => &["builtins.AssertionError"],
        _ => return None,
    })
}

impl<'a> Exec<'a> {
    pub(super) fn division_site(
        &mut self,
        st: &State,
        divisor: &Value,
        span: Span,
        rhs: Option<&Expr>,
    ) {
        // Dividing by a parameter as it was passed is the caller's contract (`ratio(a, b)`);
        // reporting every such site would bury the real ones, so it is judged only at
        // calls, through the summary. Values computed from parameters (lengths,
        // counters, branches on them) are checked here.
        let as_passed = matches!(divisor, Value::Unknown(b) if self
                .syms
                .base(*b)
                .is_some_and(|b| b.origin == Origin::Param));
        // ... also when computed back into it (`r = n - 1` then `x // (r + 1)`).
        let computed_back = matches!(divisor, Value::Int(t) if matches!(&**t,
            term::Term::Sym(id, _) if self
                .syms
                .symbol(*id)
                .is_some_and(|s| s.origin == Origin::Param && !s.name.starts_with("len("))
            && self
                .syms
                .base_of_symbol(*id)
                .and_then(|b| self.syms.base(b))
                .is_some_and(|b| self.own_params.contains(&b.name))));
        let contract = as_passed || computed_back;
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
        self.stating_contract = contract;
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
        self.stating_contract = false;
    }

    /// The asserted condition, and for a single comparison its two sides (shown with a
    /// counterexample: "left side is 118, right side is 120").
    pub(super) fn assert_condition(
        &mut self,
        st: &mut State,
        test: &Expr,
    ) -> (T, Vec<(String, T)>) {
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

    /// `xs[i]` on a sequence whose length is known or derived: the index must satisfy
    /// `-len <= i < len` (negative indices count from the end).
    pub(super) fn index_site(
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
        let one_sided = counted || matches!(idx, Value::Unknown(_));
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
        self.stating_partial = one_sided;
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

    /// The symbolic half of [`Self::float_equality_site`]: floats computed from parameters,
    /// where the comparison can be false for values that are equal as numbers
    /// (`x + y == 0.3` with `x = 0.1`, `y = 0.2`).
    pub(super) fn float_expr_equality_site(
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
    pub(super) fn float_equality_site(
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
    /// contract, judged only at calls through the summary (as for division).
    pub(super) fn math_domain_site(&mut self, st: &State, q: &str, span: Span, args: &[CallArg]) {
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
        // A parameter as passed is the caller's contract, unless the code checked it on
        // this path and the check left a gap (`if n < 0: raise` then `log(n)`).
        let contract = matches!(&arg.value, Value::Unknown(b) if self
                .syms
                .base(*b)
                .is_some_and(|b| b.origin == Origin::Param))
            && !matches!(&arg.value, Value::Unknown(b)
                if pc_mentions(&st.pc, &self.syms.view(*b, value::View::Int)));
        let bad = match &arg.value {
            Value::Float(Some(f)) => term::boolean(match kind {
                0 => *f < 0.0,
                1 => *f <= 0.0,
                _ => !(-1.0..=1.0).contains(f),
            }),
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
        self.stating_contract = contract;
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
        self.stating_contract = false;
    }

    /// An `if`/`elif`/`while` condition that is the same on every path reaching it: two
    /// sites, "can be true" and "can be false", whose proof is the finding.
    pub(super) fn condition_sites(&mut self, st: &State, cond: &Expr, c: &T, check_true: bool) {
        // In an unrolled loop, an iteration where the condition folds still counts: the
        // branch it takes there is not dead.
        let folded = c.is_const();
        if !st.live
            || (folded && self.unrolling == 0)
            || matches!(cond.kind, ExprKind::Const(_))
            || compares_with_itself(cond)
        {
            return;
        }
        let mut ids = Vec::new();
        c.symbols(&mut ids);
        if ids.is_empty() && !folded {
            return;
        }
        let first = self.sites.len();
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
        for site in self.sites.iter_mut().skip(first) {
            site.folded = folded;
        }
    }

    /// The fact a passing unittest assertion establishes, added to the path.
    pub(super) fn unittest_fact(&mut self, st: &mut State, method: &str, args: &[CallArg]) {
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
        let partial = std::mem::take(&mut self.stating_partial);
        if !st.live {
            return;
        }
        if self.is_rust() && kind == SiteKind::Correctness && self.only_unseen(&bad) {
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
        if raised_by(rule).is_some() && rule != "assert-fails" && !self.stating_contract {
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
        // The violation is Python evaluating `bad`'s operation, so a `//` or `%` inside it
        // did not raise (see `term::evaluated_divisors`).
        let mut pc = st.pc.clone();
        // Python facts met with Rust values (a loop's `bound + step`) are dropped: a
        // weaker path keeps proofs sound.
        if self.is_rust() {
            pc.retain(|c| term::well_sorted(c));
        }
        pc.extend(
            term::evaluated_divisors(&bad)
                .iter()
                .map(|d| term::ne(d, &term::int(0))),
        );
        self.sites.push(Site {
            rule: id,
            span,
            pc,
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
            contract: self.stating_contract,
            partial,
            folded: false,
        });
    }
}

/// A comparison with the same variable on both sides (`x != x`, `n + 1 == n`): a NaN or
/// overflow test on floats, which the int view would call constant.
pub(super) fn compares_with_itself(e: &Expr) -> bool {
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
pub(super) fn pc_mentions(pc: &[T], t: &T) -> bool {
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

/// Choice symbols of joins, not variables.
pub(super) const INTERNAL_HAVOC: &[&str] = &["loop exit", "exception raised", "case", "comparison"];
