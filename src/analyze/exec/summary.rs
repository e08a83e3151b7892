//! Per-function summaries: what a function returns and what it demands of its arguments,
//! both in terms of its parameters, taken from the function's own analysis.
//!
//! A call the analysis follows with the caller's values (`inline_call`, one level deep)
//! sees everything; a call it does not follow that way (a helper's helper, a function too
//! large to re-run at every call) is judged from the callee's summary instead: its
//! obligations and return value with the arguments substituted for the parameters. So
//! `report()` calling `average_of(rows)` calling `mean(rows)` finds `mean`'s division by
//! `len(rows)` at the call that passes `[]`, at the cost of a substitution, not of
//! another path condition.
//!
//! A summary keeps only what is stated over parameters: a site, return or path fact that
//! mentions anything else (an unknown call's result, a loop value, the object's state)
//! would need those symbols renamed per call, and is left out. That is sound for
//! reporting: leaving a site out loses a finding, never invents one; and the facts that
//! hold after the call are weakened, never strengthened.
//!
//! Each function of the project is analysed once, bottom-up over the project's call graph
//! (`project::callgraph`): a call may use its callee's summary only when the callee's level
//! is lower than the caller's, so the summary is complete and the same whatever the thread
//! count; recursion (a callee on a cycle, or at the caller's level) gets no summary.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::{Exec, Site, SiteKind, State, push_pc};
use crate::analyze::value::{self, BaseId, Symbols, Value, View};
use crate::ir::{Function, Span};
use crate::project::Project;
use crate::project::callgraph::{CallGraph, Node};
use crate::term::{self, SymId, T};

/// What a function's analysis says about any call to it.
pub struct Summary {
    /// The bases of the parameters, in order (the receiver first for a method).
    params: Vec<BaseId>,
    /// The symbols that are views of a parameter: which parameter, which view.
    views: HashMap<SymId, (usize, View)>,
    /// Other symbols the summary mentions, each a fact about the parameters (name, sort),
    /// and the axioms that tie them to the parameters' views.
    aux: HashMap<SymId, (String, term::Sort)>,
    aux_axioms: Vec<T>,
    /// Sites whose path and bad condition are over parameters only: the obligations the
    /// function imposes on its arguments.
    sites: Vec<Site>,
    /// The value returned, when every return's value and path are over parameters.
    returns: Option<Value>,
    /// What holds when the function returns normally (its guards and asserts): the
    /// disjunction of the return paths, each without its conjuncts about other values.
    reached: Option<T>,
}

/// One function's analysis, kept until its module's findings are decided.
pub struct Analysed {
    pub sites: Vec<Site>,
    pub syms: Symbols,
    pub truncated: bool,
}

/// The summaries of the project's functions, filled level by level.
pub struct Summaries<'a> {
    graph: &'a CallGraph,
    slots: Vec<Vec<OnceLock<Option<Arc<Summary>>>>>,
}

impl<'a> Summaries<'a> {
    pub fn new(project: &Project, graph: &'a CallGraph) -> Self {
        Summaries {
            graph,
            slots: project
                .modules
                .iter()
                .map(|m| m.functions.iter().map(|_| OnceLock::new()).collect())
                .collect(),
        }
    }

    /// The summary of `callee` for a call made while analysing `caller`: only from a lower
    /// level (done before `caller` started), never from a cycle.
    pub fn get(&self, caller: Node, callee: Node) -> Option<Arc<Summary>> {
        crate::project::note_summary(callee);
        if self.graph.cyclic(callee) || self.graph.level(callee) >= self.graph.level(caller) {
            return None;
        }
        self.slots.get(callee.0)?.get(callee.1)?.get()?.clone()
    }

    fn set(&self, node: Node, summary: Option<Arc<Summary>>) {
        if let Some(slot) = self.slots.get(node.0).and_then(|m| m.get(node.1)) {
            // Each node is analysed once; a second set would be a driver bug, and the
            // first value stands.
            let _ = slot.set(summary);
        }
    }
}

/// What one function's analysis needs from the project.
pub struct Context<'a> {
    pub project: &'a Project,
    pub indexes: &'a crate::analyze::Indexes,
    /// Module constants, per module.
    pub consts: &'a [HashMap<String, Value>],
    pub summaries: &'a Summaries<'a>,
}

/// Analyses one function of the project from its entry, records its summary for the
/// levels above, and returns its sites.
pub fn analyse(cx: &Context, node: Node) -> Option<Analysed> {
    let (m, id) = node;
    let module = cx.project.modules.get(m)?;
    let f = module.functions.get(id)?;
    let consts = cx.consts.get(m)?;
    let mut ex = Exec::new(module, cx.indexes.of(module.language), consts);
    ex.project = Some(cx.project);
    ex.module_idx = m;
    ex.summaries = Some(cx.summaries);
    ex.current = Some(id);
    ex.run_function(f, id == 0);
    let summary = if id == 0 || ex.truncated || cx.summaries.graph.cyclic(node) {
        None
    } else {
        summarise(&mut ex, f).map(Arc::new)
    };
    cx.summaries.set(node, summary);
    Some(Analysed {
        sites: std::mem::take(&mut ex.sites),
        syms: std::mem::take(&mut ex.syms),
        truncated: ex.truncated,
    })
}

/// The summary of an analysis that just ran from the function's entry.
fn summarise(ex: &mut Exec, f: &Function) -> Option<Summary> {
    let params = ex.param_bases.clone();
    // A parameter the function changes in place is returned changed: the caller's value
    // from before the call would be stale.
    let changed = super::changed_in_place(&f.body);
    let returnable: Vec<BaseId> = params
        .iter()
        .zip(&f.params)
        .filter(|(_, p)| !changed.contains(&p.name) || immutable(p))
        .map(|(b, _)| *b)
        .collect();
    let views: HashMap<SymId, (usize, View)> = ex
        .syms
        .symbols
        .iter()
        .filter_map(|s| {
            let (base, view) = ex.syms.view_of_symbol(s.id)?;
            // The int view of a float parameter is an approximation, fine inside the
            // function but not an argument's value.
            if view == View::Int && ex.real_params.contains(&base) {
                return None;
            }
            let i = params.iter().position(|b| *b == base)?;
            Some((s.id, (i, view)))
        })
        .collect();
    // Symbols that are no parameter's view but stand for a fact about them (a pattern
    // match on a parameter, `m ⟹ s holds only [a-z]`): kept with their axioms, renamed at
    // each call, so a sanitiser's result keeps what its check proved.
    let (aux, aux_axioms) = facts_about_params(ex, &views);
    let over_params = |t: &T| {
        let mut ids = Vec::new();
        t.symbols(&mut ids);
        ids.iter()
            .all(|id| views.contains_key(id) || aux.contains_key(id))
    };
    let sites: Vec<Site> = ex
        .sites
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SiteKind::Correctness | SiteKind::SecurityValue | SiteKind::SecurityData
            ) && !s.bad.is_const()
                && over_params(&s.bad)
                && s.pc.iter().all(over_params)
                && s.shown.iter().all(|(_, t)| over_params(t))
        })
        .cloned()
        .collect();
    let mut reached = Vec::new();
    let mut exact = true;
    for (pc, v) in &ex.returns {
        exact &= pc.iter().all(over_params) && value_over(v, &returnable, &over_params);
        let kept: Vec<T> = pc.iter().filter(|c| over_params(c)).cloned().collect();
        reached.push(term::and(&kept));
    }
    let returns = if exact && !ex.returns.is_empty() {
        let name = "result";
        let mut acc: Option<(T, Value)> = None;
        for (pc, v) in ex.returns.clone().into_iter().rev() {
            let cond = term::and(&pc);
            acc = Some(match acc {
                None => (cond, v),
                Some((c_rest, rest)) => {
                    let joined = value::join(&cond, &v, &rest, &mut ex.syms, name);
                    (term::or(&[cond, c_rest]), joined)
                }
            });
        }
        acc.map(|(_, v)| v)
            .filter(|v| value_over(v, &returnable, &over_params))
    } else {
        None
    };
    let reached = (!reached.is_empty()).then(|| term::or(&reached));
    if sites.is_empty() && returns.is_none() && reached.as_ref().is_none_or(|r| r.is_const()) {
        return None;
    }
    Some(Summary {
        params,
        views,
        aux,
        aux_axioms,
        sites,
        returns,
        reached,
    })
}

/// The symbols of an analysis that are facts about its parameters: not views themselves,
/// but tied by every axiom that mentions them to parameter views only (a regex match's
/// symbol), with those axioms.
fn facts_about_params(
    ex: &Exec,
    views: &HashMap<SymId, (usize, View)>,
) -> (HashMap<SymId, (String, term::Sort)>, Vec<T>) {
    let mut mentioned: HashMap<SymId, Vec<usize>> = HashMap::new();
    for (i, ax) in ex.syms.axioms.iter().enumerate() {
        let mut ids = Vec::new();
        ax.symbols(&mut ids);
        for id in ids.into_iter().filter(|id| !views.contains_key(id)) {
            mentioned.entry(id).or_default().push(i);
        }
    }
    let mut aux = HashMap::new();
    let mut axioms = Vec::new();
    let mut candidates: Vec<SymId> = mentioned.keys().copied().collect();
    candidates.sort_unstable();
    for id in candidates {
        let Some(sym) = ex.syms.symbol(id) else {
            continue;
        };
        let tied = mentioned[&id].iter().all(|i| {
            let mut ids = Vec::new();
            ex.syms.axioms[*i].symbols(&mut ids);
            ids.iter().all(|x| *x == id || views.contains_key(x))
        });
        if tied && sym.origin == term::Origin::Param {
            aux.insert(id, (sym.name.clone(), sym.sort));
            axioms.extend(mentioned[&id].iter().map(|i| ex.syms.axioms[*i].clone()));
        }
    }
    (aux, axioms)
}

/// A parameter annotated with an immutable type: no call can change it in place.
fn immutable(p: &crate::ir::Param) -> bool {
    matches!(
        p.annotation.as_ref().map(|a| &a.kind),
        Some(crate::ir::ExprKind::Global(q))
            if matches!(q.as_str(), "builtins.str" | "builtins.int" | "builtins.bytes" | "builtins.float" | "builtins.bool")
    )
}

/// Whether a value is built from constants and the parameters alone.
fn value_over(v: &Value, params: &[BaseId], over: &dyn Fn(&T) -> bool) -> bool {
    match v {
        Value::None
        | Value::Float(_)
        | Value::Global(_)
        | Value::Func(_)
        | Value::Instance(_)
        | Value::Regex(_) => true,
        Value::Int(t) | Value::Bool(t) | Value::Str(t) | Value::FloatExpr(t) => over(t),
        Value::Seq { items, len, .. } => {
            over(len)
                && items
                    .as_ref()
                    .is_none_or(|xs| xs.iter().all(|x| value_over(x, params, over)))
        }
        Value::Dict { len } => over(len),
        Value::Unknown(b) => params.contains(b),
        Value::Phi(c, a, b) => {
            over(c) && value_over(a, params, over) && value_over(b, params, over)
        }
    }
}

impl<'a> Exec<'a> {
    /// Judge a call by the callee's summary: its obligations with the arguments in place
    /// of the parameters become sites at the call (reported, like followed calls, only
    /// when the call makes the violation certain, or when a private helper's obligation
    /// rests on the caller's own parameters); what holds after it returns joins the path.
    /// The return value, when the summary has one; `None` also when there is no summary.
    pub(super) fn apply_summary(
        &mut self,
        st: &mut State,
        callee: Node,
        args: &[Value],
        call: Span,
    ) -> Option<Value> {
        let caller = (self.module_idx, self.current?);
        let summary = self.summaries?.get(caller, callee)?;
        let f = self.function_at(callee)?;
        if args.len() != summary.params.len() {
            return None;
        }
        let mut cache: HashMap<SymId, Option<T>> = HashMap::new();
        let syms = &mut self.syms;
        // A fact about the arguments is as much the attacker's as they are.
        let arg_origin = args
            .iter()
            .map(|a| super::origin_of(a, syms))
            .min()
            .unwrap_or(term::Origin::Param);
        let mut map = |sym: SymId| -> Option<T> {
            if let Some(t) = cache.get(&sym) {
                return t.clone();
            }
            if let Some((name, sort)) = summary.aux.get(&sym) {
                let t = syms.fresh(name, *sort, arg_origin);
                cache.insert(sym, Some(t.clone()));
                return Some(t);
            }
            let (i, view) = *summary.views.get(&sym)?;
            let arg = args.get(i)?;
            let t = match view {
                View::Int => value::as_int(arg, syms),
                View::Str => value::as_str(arg, syms),
                View::Truthy => Some(value::truthy(arg, syms)),
                View::Len => value::length(arg, syms),
                View::IsNone => Some(value::is_none(arg, syms)),
                View::Float => value::as_float(arg, syms),
                View::Bits(ty) => value::as_bits(arg, ty, syms),
                View::RustLen => value::rust_len(arg, syms),
            };
            cache.insert(sym, t.clone());
            t
        };
        let mut found = Vec::new();
        for site in &summary.sites {
            let Some(bad) = term::substitute(&site.bad, &mut map) else {
                continue;
            };
            if bad.as_bool() == Some(false) {
                continue;
            }
            let Some(pc) = site
                .pc
                .iter()
                .map(|c| term::substitute(c, &mut map))
                .collect::<Option<Vec<T>>>()
            else {
                continue;
            };
            let shown: Vec<(String, T)> = site
                .shown
                .iter()
                .filter_map(|(n, t)| Some((n.clone(), term::substitute(t, &mut map)?)))
                .collect();
            found.push((site, bad, pc, shown));
        }
        let reached = summary
            .reached
            .as_ref()
            .and_then(|r| term::substitute(r, &mut map));
        let returns = summary
            .returns
            .as_ref()
            .and_then(|v| substitute_value(v, &summary.params, args, &mut map));
        let axioms: Vec<T> = summary
            .aux_axioms
            .iter()
            .filter_map(|a| term::substitute(a, &mut map))
            .collect();
        self.syms.axioms.extend(axioms);
        let private = super::is_private(f);
        for (site, bad, mut pc, shown) in found {
            let mut ids = Vec::new();
            bad.symbols(&mut ids);
            // A contract broken only for some of the caller's values is the caller's
            // contract in turn.
            let own = private && !site.contract && self.on_own_params(&bad);
            // Source data passed in makes the violation the call's own; anything else needs
            // a caller's value the policy would not report on.
            let from_source = !ids.is_empty()
                && ids.iter().all(|id| {
                    self.syms
                        .symbol(*id)
                        .is_some_and(|s| s.origin == term::Origin::Source)
                });
            if !ids.is_empty() && !own && !from_source {
                continue;
            }
            let mut full = st.pc.clone();
            full.append(&mut pc);
            let mut related = site.related.clone();
            related.push(crate::finding::Related {
                span: site.span,
                message: format!("{}`{}`", super::FOLLOWED_INTO, f.name),
                path: None,
            });
            // The callee's lines are in its own file when it is another module's.
            if callee.0 != self.module_idx
                && let Some(m) = self.project.and_then(|p| p.modules.get(callee.0))
            {
                for r in related.iter_mut().filter(|r| r.path.is_none()) {
                    r.path = Some(m.path.clone());
                }
            }
            self.sites.push(Site {
                rule: site.rule.clone(),
                span: call,
                pc: full,
                bad,
                shown,
                message: called_here(&site.message, &f.name),
                property: site.property.clone(),
                kind: site.kind,
                fix: None,
                related,
                inlined: true,
                from_private: own,
                in_private: false,
                contract: false,
                partial: site.partial,
                folded: false,
            });
        }
        if let Some(r) = reached {
            push_pc(st, r);
        }
        returns
    }
}

/// A site's message at a call that leads to it: `… (inside `mean`, called here)`, and for a
/// chain `… (inside `report` → `mean`, called here)`.
pub(super) fn called_here(message: &str, callee: &str) -> String {
    const END: &str = ", called here)";
    if let Some(head) = message.strip_suffix(END)
        && let Some(at) = head.rfind(" (inside `")
    {
        let (text, chain) = head.split_at(at);
        let chain = &chain[" (inside ".len()..];
        return format!("{text} (inside `{callee}` → {chain}{END}");
    }
    format!("{message} (inside `{callee}`{END}")
}

/// A summary's return value with the arguments in place of the parameters.
fn substitute_value(
    v: &Value,
    params: &[BaseId],
    args: &[Value],
    map: &mut dyn FnMut(SymId) -> Option<T>,
) -> Option<Value> {
    Some(match v {
        Value::None
        | Value::Float(_)
        | Value::Global(_)
        | Value::Func(_)
        | Value::Instance(_)
        | Value::Regex(_) => v.clone(),
        Value::Int(t) => Value::Int(term::substitute(t, map)?),
        Value::Bool(t) => Value::Bool(term::substitute(t, map)?),
        Value::Str(t) => Value::Str(term::substitute(t, map)?),
        Value::FloatExpr(t) => Value::FloatExpr(term::substitute(t, map)?),
        Value::Seq { kind, items, len } => Value::Seq {
            kind: *kind,
            items: match items {
                Some(xs) => Some(
                    xs.iter()
                        .map(|x| substitute_value(x, params, args, map))
                        .collect::<Option<Vec<Value>>>()?,
                ),
                None => None,
            },
            len: term::substitute(len, map)?,
        },
        Value::Dict { len } => Value::Dict {
            len: term::substitute(len, map)?,
        },
        Value::Unknown(b) => args.get(params.iter().position(|p| p == b)?)?.clone(),
        Value::Phi(c, a, b) => {
            let c = term::substitute(c, map)?;
            let a = substitute_value(a, params, args, map)?;
            let b = substitute_value(b, params, args, map)?;
            match c.as_bool() {
                Some(true) => a,
                Some(false) => b,
                None => Value::Phi(c, Box::new(a), Box::new(b)),
            }
        }
    })
}
