//! Calls: what a call does to the state (lists it may change, variables nested
//! functions rebind), the builtins and methods whose results are modelled, and following a
//! call into a function of the module (one level) so its sites are judged with the
//! caller's arguments.

use std::collections::HashMap;
use std::sync::Arc;

use super::expr::const_value;
use super::scan::{MUTATORS, PURE_BUILTINS, access_path};
use super::{Exec, State, origin_of, origin_of_all, push_pc};
use crate::analyze::regex_guard;
use crate::analyze::sinks;
use crate::analyze::value::{self, Value};
use crate::ir::{Arg, Expr, ExprKind, Function, Span, Unpack};
use crate::term::{self, Origin, Sort, T};

/// Reductions NumPy arrays and pandas objects have (`a.sum()`, `a.mean()`).
pub(super) const ARRAY_REDUCTIONS: &[&str] = &[
    "sum", "mean", "std", "var", "prod", "max", "min", "item", "dot", "trace", "norm",
];

/// Methods of `random` and of random generators whose result is a draw.
pub(super) const RANDOM_DRAWS: &[&str] = &[
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

/// The start of the related-information message that points from a call site into the
/// followed callee's line.
pub const FOLLOWED_INTO: &str = "in ";

/// A function only its own module (or its enclosing function) calls: `_helper`, or one
/// nested in another function.
pub fn is_private(f: &Function) -> bool {
    is_private_name(&f.name)
        || f.qualname.contains("<locals>")
        || f.decorators.iter().any(
            |d| matches!(&d.kind, ExprKind::Global(q) if q == crate::lower::rust::PRIVATE_MARK),
        )
}

/// `_helper`, not `__init__`: a function the module keeps to itself, called by its own code.
pub fn is_private_name(name: &str) -> bool {
    name.starts_with('_') && !(name.starts_with("__") && name.ends_with("__"))
}

impl<'a> Exec<'a> {
    /// The value of a call we cannot see into (its callee name doubles as the type): a
    /// source's data when the callee is a source or data from one goes in.
    pub(super) fn call_result(
        &mut self,
        callee: &Value,
        method: &str,
        func: &Expr,
        args: &[CallArg],
        call_args: &[Arg],
    ) -> Value {
        let type_name = match callee {
            Value::Unknown(b) => self
                .syms
                .base(*b)
                .and_then(|b| b.type_name.clone())
                .map(|t| format!("{t}.{method}")),
            Value::Global(q) => Some(q.to_string()),
            _ => None,
        };
        let origin = self
            .call_origin(type_name.as_deref(), args)
            .unwrap_or(Origin::Opaque);
        // Named as the call reads in the source (`input()`, `requests.get()`), which is
        // how a witness should name the value; a source also by its key
        // (`os.getenv("HOME")`).
        let fallback = match &type_name {
            Some(t) => t.strip_prefix("builtins.").unwrap_or(t).to_string(),
            None => method.to_string(),
        };
        if origin == Origin::Source {
            let name = self.call_name(func, call_args, &fallback);
            return self.fresh_source(&name, type_name.as_deref(), func.span);
        }
        self.fresh_unknown(&format!("{fallback}()"), origin, type_name.as_deref())
    }

    pub(super) fn eval_call(
        &mut self,
        st: &mut State,
        call: &Expr,
        func: &Expr,
        args: &[Arg],
    ) -> Value {
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
        if self.is_rust()
            && let Some(v) = self.rust_call(st, call, func, &callee, &vals)
        {
            return v;
        }
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
        if let Some(v) = self.string_guard(&callee, &vals) {
            return v;
        }
        if let Some(v) = self.redirect_guard(qual.as_deref(), &vals) {
            return v;
        }
        if let Some(q) = &qual
            && let Some(v) = self.model_builtin(st, q, &callee, &vals)
        {
            return v;
        }
        let followed = match &callee {
            Callee::Value(Value::Func(id)) => self.follow_call(st, *id, None, &vals, call.span),
            // A function of another module of the project: judged by its summary.
            Callee::Value(Value::Global(q)) => self.follow_extern(st, q, &vals, call.span),
            // `self._helper(...)`: a private method of this class, called on this object.
            // In Rust any `self.method(..)` of the type is its own code, as the `_helper`s
            // of a Python class are.
            Callee::Method(recv @ Value::Unknown(b), m)
                if Some(*b) == self.receiver && (is_private_name(m) || self.is_rust()) =>
            {
                match self.class.and_then(|c| self.method_of(c, m)) {
                    Some(id) => self.follow_call(st, id, Some(recv.clone()), &vals, call.span),
                    None => None,
                }
            }
            _ => None,
        };
        if let Some(Some(v)) = followed {
            return v;
        }
        // A function of the project whose result its summary does not describe: what it
        // returns is made from what it was given, source data included.
        if matches!(followed, Some(None))
            && vals
                .iter()
                .any(|a| origin_of(&a.value, &self.syms) == Origin::Source)
        {
            let name = self.call_name(func, args, "call");
            // Typed by the callee, so a sink that trusts it as a sanitiser still does.
            return self.fresh_source(&name, qual.as_deref(), func.span);
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
            self.opaque_result(&callee, func, &vals, args)
        };
        if draws_unit && let Some(r) = value::as_int(&result, &mut self.syms) {
            push_pc(st, term::ge(&r, &term::int(0)));
            push_pc(st, term::lt(&r, &term::int(1)));
        }
        result
    }

    /// The value of a call the analysis does not follow.
    pub(super) fn opaque_result(
        &mut self,
        callee: &Callee,
        func: &Expr,
        vals: &[CallArg],
        call_args: &[Arg],
    ) -> Value {
        match callee {
            Callee::Value(v @ Value::Global(_)) => {
                self.call_result(v, "call", func, vals, call_args)
            }
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
                let origin = match self.call_origin(ty.as_deref(), vals) {
                    Some(source) => source,
                    None if matches!(origin, Origin::Source | Origin::Param | Origin::State)
                        && !numeric_reduction =>
                    {
                        origin
                    }
                    None => Origin::Opaque,
                };
                let v = if origin == Origin::Source {
                    let name = self.call_name(func, call_args, m);
                    self.fresh_source(&name, ty.as_deref(), func.span)
                } else {
                    self.fresh_unknown(&name, origin, ty.as_deref())
                };
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
            Callee::Value(v @ Value::Unknown(b)) if origin_of(v, &self.syms) == Origin::Source => {
                let name = self.call_name(func, call_args, "call");
                let ty = self.type_of(v).map(|t| t.to_string());
                self.fresh_source(&name, ty.as_deref(), func.span)
            }
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

    /// Whether a bad condition is about the analysed function's parameters as passed
    /// (`len(parts) == 0`), not about values derived from them on the way (an item, a
    /// filtered list): only the former is a precondition its callers can see.
    pub(super) fn on_own_params(&self, bad: &T) -> bool {
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

    pub(super) fn method_of(&self, class: crate::ir::ClassId, name: &str) -> Option<usize> {
        let c = self.module.classes.get(class)?;
        c.methods.iter().copied().find(|id| {
            self.module
                .functions
                .get(*id)
                // Rust methods are named with their type (`Look::is_start`).
                .is_some_and(|f| f.name == name || f.name.rsplit("::").next() == Some(name))
        })
    }

    /// A call into a function of this module: followed with the caller's values (one
    /// level deep), else judged by the callee's summary. `Some(None)`: followed or
    /// summarised, with no value to show for it (the caller makes the result opaque).
    pub(super) fn follow_call(
        &mut self,
        st: &mut State,
        id: usize,
        receiver: Option<Value>,
        args: &[CallArg],
        call: Span,
    ) -> Option<Option<Value>> {
        let f = self.module.functions.get(id)?;
        // A function calling itself: its own analysis covers the recursive call's sites.
        if !st.live || self.current == Some(id) || !followable(f, receiver.is_some(), args) {
            return None;
        }
        let bound = bind_args(f, receiver, args)?;
        if let Some(v) = self.inline_call(st, f, &bound, call) {
            return Some(v);
        }
        Some(self.apply_summary(st, (self.module_idx, id), &bound, call))
    }

    /// A function of the project, wherever it is defined.
    pub(super) fn function_at(
        &self,
        (m, f): crate::project::callgraph::Node,
    ) -> Option<&'a Function> {
        match self.project {
            Some(p) => p.modules.get(m)?.functions.get(f),
            None if m == self.module_idx => self.module.functions.get(f),
            None => None,
        }
    }

    /// A call to a function another module of the project defines (`from .text import
    /// clean`, `helpers.clean(x)`): applied through the callee's summary, since the
    /// callee's module-level names mean nothing in the caller's module.
    fn follow_extern(
        &mut self,
        st: &mut State,
        qualname: &str,
        args: &[CallArg],
        call: Span,
    ) -> Option<Option<Value>> {
        let project = self.project?;
        let crate::project::Def::Function(m, id) = project.resolve(self.module_idx, qualname)?
        else {
            return None;
        };
        if m == self.module_idx {
            return self.follow_call(st, id, None, args, call);
        }
        let f = self.function_at((m, id))?;
        if !st.live || !followable(f, false, args) {
            return None;
        }
        let bound = bind_args(f, None, args)?;
        Some(self.apply_summary(st, (m, id), &bound, call))
    }

    /// Follow a call into a plain function of this module with the caller's argument
    /// values, so that `average([])` is seen to divide by zero. The callee's sites are
    /// moved to the call site (the callee's line becomes related information) and marked
    /// `inlined`: the policy reports them only when the call makes the violation certain,
    /// since the callee's own analysis already covers what depends on its parameters.
    /// `None` when the call is not followed this way (already inside a followed call, or
    /// the callee is too large to run again at every call).
    fn inline_call(
        &mut self,
        st: &mut State,
        f: &'a Function,
        bound: &[Value],
        call: Span,
    ) -> Option<Option<Value>> {
        const MAX_INLINED_TEXT: usize = 4_000;
        // A Rust closure is followed one level deeper: `xs.iter().map(|x| helper(x))`
        // calls `helper` from inside the closure the adaptor calls.
        let closure = self.is_rust() && f.qualname.ends_with("::<locals>::<closure>");
        if self.inline_depth > usize::from(closure)
            || (f.span.end - f.span.start) as usize > MAX_INLINED_TEXT
        {
            return None;
        }
        let mut env: HashMap<String, Value> = f
            .params
            .iter()
            .zip(bound.iter())
            .map(|(p, v)| (p.name.clone(), self.as_param(p, v)))
            .collect();
        // A Rust closure called where it is defined sees the caller's locals it captures.
        if closure {
            for (k, v) in &st.env {
                env.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        let saved_returns = std::mem::take(&mut self.returns);
        let saved_breaks = std::mem::take(&mut self.loop_breaks);
        let saved_continues = std::mem::take(&mut self.loop_continues);
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
        self.loop_continues = saved_continues;
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
                path: None,
            });
            site.span = call;
            site.message = super::summary::called_here(&site.message, &f.name);
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
        let Some((reached, v)) = acc else {
            return Some(None);
        };
        push_pc(st, reached);
        Some(Some(v))
    }

    /// `re.compile`, and `re.fullmatch`/`match`/`search` with a constant pattern: the match
    /// result is a symbol `m` with the fact "m implies the subject holds only characters
    /// the pattern can produce" (stated per character that some rule cares about).
    pub(super) fn regex_call(
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
        let m = self.match_fact(&pattern, mode, subject)?;
        // A match object when it matched, None otherwise.
        Some(Value::Phi(
            m,
            Box::new(Value::Instance(Arc::from("re.Match"))),
            Box::new(Value::None),
        ))
    }

    /// A Bool symbol that implies the subject holds only characters the pattern can
    /// produce (stated per character some rule cares about) and, unless the pattern
    /// matches the empty string, at least one.
    pub(super) fn match_fact(
        &mut self,
        pattern: &str,
        mode: regex_guard::Mode,
        subject: &Value,
    ) -> Option<T> {
        let alphabet = regex_guard::alphabet(pattern, mode)?;
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
        Some(m)
    }

    /// Builtins and string methods whose results the analysis understands.
    pub(super) fn model_builtin(
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
            "os.path.join" | "posixpath.join" => self.path_join(args),
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

/// Calls that never return normally.
pub(super) const NO_RETURN: &[&str] = &[
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

/// Whether a call to a module function can be followed or summarised: plain positional
/// parameters and arguments, and a callee that is what its name says (not decorated, which
/// may replace it; not async, whose call makes a coroutine).
fn followable(f: &Function, method: bool, args: &[CallArg]) -> bool {
    f.decorators.iter().all(|d| {
        // Rust's privacy mark changes nothing about the call.
        matches!(&d.kind, ExprKind::Global(q) if q == crate::lower::rust::PRIVATE_MARK)
    }) && f.class.is_some() == method
        && !f.is_async
        && f.params
            .iter()
            .all(|p| p.kind == crate::ir::ParamKind::Positional)
        && args.iter().all(|a| a.unpack == Unpack::None)
}

/// The values a call binds to the callee's parameters, in order (the receiver first):
/// keywords by name, the rest by position, then constant defaults.
fn bind_args(f: &Function, receiver: Option<Value>, args: &[CallArg]) -> Option<Vec<Value>> {
    let positional: Vec<&CallArg> = args.iter().filter(|a| a.keyword.is_none()).collect();
    let mut params = f.params.iter();
    let mut out = Vec::with_capacity(f.params.len());
    if let Some(me) = receiver {
        params.next()?;
        out.push(me);
    }
    let params: Vec<&crate::ir::Param> = params.collect();
    if positional.len() > params.len() {
        return None;
    }
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
        out.push(v);
    }
    Some(out)
}
