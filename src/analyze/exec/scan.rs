//! Syntactic scans of the IR that need no state: names a block binds or changes in
//! place, access paths, and what nested functions or `__init__` do. Loops, `try` and calls
//! use them to decide what to havoc before running a body once.

use std::collections::HashSet;

use crate::ir::{Expr, ExprKind, FPart, Function, Module, Pattern, Stmt, StmtKind, Target};

/// Names that functions nested in `f` declare `nonlocal` (for the module body: `global`
/// in any function), so that calling them may rebind the variable.
pub(super) fn rebound_by_nested(module: &Module, f: &Function, is_module: bool) -> HashSet<String> {
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

/// Attributes that the `__init__` of a class sets (`self.tasks = tasks`,
/// `self.rate = float(rate)`) from its own parameters.
pub(super) fn constructor_fed(module: &Module, class: crate::ir::ClassId) -> HashSet<String> {
    if module.language == crate::ir::Language::Rust {
        return rust_constructor_fed(module, class);
    }
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

/// `self.x.y` -> "self.x.y": the key under which attribute values are remembered.
pub fn access_path(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Local(n) | ExprKind::ModuleVar(n) | ExprKind::Free(n) => Some(n.clone()),
        ExprKind::Attribute { value, attr } => access_path(value).map(|p| format!("{p}.{attr}")),
        _ => None,
    }
}

pub(super) fn target_name(t: &Target) -> String {
    match t {
        Target::Local(n, _) | Target::ModuleVar(n, _) => n.clone(),
        Target::Attribute { attr, .. } => attr.clone(),
        _ => "item".into(),
    }
}

pub(super) fn target_names(t: &Target, out: &mut HashSet<String>) {
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

pub(super) fn walrus_names(e: &Expr, out: &mut HashSet<String>) {
    if let ExprKind::NamedExpr { target, value } = &e.kind {
        out.insert(target.clone());
        walrus_names(value, out);
    }
}

/// Names a block may assign (including nested blocks), for havoc.
pub(super) fn assigned_names(block: &[Stmt], out: &mut HashSet<String>) {
    bindings(block, out, true);
}

/// Names the statements bind, nested blocks included; `+=`-style updates only when
/// `with_updates` is set.
pub(super) fn bindings(block: &[Stmt], out: &mut HashSet<String>, with_updates: bool) {
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

pub(super) fn pattern_names(p: &Pattern, out: &mut HashSet<String>) {
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

/// Marks a name in [`mutated_names`] that is only stored into (`d[k] = v`).
pub(super) const STORED: &str = "[]";

/// Marks a name in [`mutated_names`] whose methods change it in place.
pub(super) const RECEIVER: &str = ".";

/// Marks a name in [`mutated_names`] handed to unseen code (see `escaping`).
pub(super) const ESCAPED: &str = "^";

/// Methods that change a list, dict or set in place.
pub(super) const MUTATORS: &[&str] = &[
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
    // Rust's `Vec`, `String` and `VecDeque`.
    "push",
    "push_str",
    "truncate",
    "retain",
    "drain",
    "resize",
    "dedup",
    "swap_remove",
    "split_off",
    "push_back",
    "push_front",
    "pop_back",
    "pop_front",
];

/// Builtins that read their arguments without changing them.
pub(super) const PURE_BUILTINS: &[&str] = &[
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

/// Local names a block may change in place: receivers of mutating methods, containers
/// stored into or deleted from, and names passed to calls that are not known to be pure.
pub(super) fn mutated_names(block: &[Stmt], out: &mut HashSet<String>) {
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
            | ExprKind::Cast { value, .. }
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
            ExprKind::Starred(x)
            | ExprKind::Cast { value: x, .. }
            | ExprKind::Attribute { value: x, .. } => escaping(x, out),
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
            StmtKind::If { cond, .. } | StmtKind::While { cond, .. } => expr(cond, out),
            StmtKind::For { iter, .. } => expr(iter, out),
            StmtKind::With { items, .. } => {
                for i in items {
                    expr(&i.context, out);
                }
            }
            StmtKind::Match { subject, .. } => expr(subject, out),
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
        for b in crate::ir::cfg::child_blocks(s) {
            mutated_names(b, out);
        }
    }
}

/// Rust: the fields a constructor (an associated function without `self`) fills from its
/// parameters in a struct literal (`Self { value }`, `Counter { limit: max * 2 }`).
fn rust_constructor_fed(module: &Module, class: crate::ir::ClassId) -> HashSet<String> {
    fn literals(e: &Expr, params: &[String], module: &Module, out: &mut HashSet<String>) {
        match &e.kind {
            ExprKind::Call { args, .. } => {
                for a in args {
                    if let Some(field) = &a.keyword {
                        let text = module
                            .source
                            .get(a.value.span.start as usize..a.value.span.end as usize)
                            .unwrap_or("");
                        let from_param = text
                            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .any(|w| params.iter().any(|p| p == w))
                            // Shorthand `Self { value }`: the field is the parameter.
                            || params.contains(field);
                        if from_param {
                            out.insert(field.clone());
                        }
                    }
                    literals(&a.value, params, module, out);
                }
            }
            ExprKind::Cast { value, .. } => literals(value, params, module, out),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    let Some(c) = module.classes.get(class) else {
        return out;
    };
    for f in c.methods.iter().filter_map(|id| module.functions.get(*id)) {
        if f.params.first().is_some_and(|p| p.name == "self") {
            continue;
        }
        let params: Vec<String> = f.params.iter().map(|p| p.name.clone()).collect();
        for stmt in crate::ir::cfg::statements(&f.body) {
            match &stmt.kind {
                StmtKind::Return(Some(e)) | StmtKind::Expr(e) => {
                    literals(e, &params, module, &mut out)
                }
                StmtKind::Assign { value, .. } => literals(value, &params, module, &mut out),
                _ => {}
            }
        }
    }
    out
}
