//! Walks over the expressions of a body, for syntactic passes over the IR (the project
//! stage's call graph). Nested `def`s and classes are functions of their own and are not
//! entered; lambdas and comprehensions are part of the expression they appear in.

use super::{Block, Expr, ExprKind, FPart, Pattern, Stmt, StmtKind, Target};

/// The expressions a statement holds directly (not those of its nested blocks).
pub fn stmt_exprs(stmt: &Stmt) -> Vec<&Expr> {
    let mut out = Vec::new();
    match &stmt.kind {
        StmtKind::Assign { targets, value } => {
            targets.iter().for_each(|t| target_exprs(t, &mut out));
            out.push(value);
        }
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => {
            target_exprs(target, &mut out);
            out.push(annotation);
            out.extend(value.iter());
        }
        StmtKind::AugAssign { target, value, .. } => {
            target_exprs(target, &mut out);
            out.push(value);
        }
        StmtKind::Expr(e) => out.push(e),
        StmtKind::If { cond, .. } | StmtKind::While { cond, .. } => out.push(cond),
        StmtKind::For { target, iter, .. } => {
            target_exprs(target, &mut out);
            out.push(iter);
        }
        StmtKind::Try { handlers, .. } => {
            for h in handlers {
                out.extend(h.types.iter());
            }
        }
        StmtKind::With { items, .. } => {
            for item in items {
                out.push(&item.context);
                if let Some(t) = &item.target {
                    target_exprs(t, &mut out);
                }
            }
        }
        StmtKind::Match { subject, cases } => {
            out.push(subject);
            for c in cases {
                pattern_exprs(&c.pattern, &mut out);
                out.extend(c.guard.iter());
            }
        }
        StmtKind::Return(e) | StmtKind::Raise(e) => out.extend(e.iter()),
        StmtKind::Assert { test, msg } => {
            out.push(test);
            out.extend(msg.iter());
        }
        StmtKind::Delete(es) => out.extend(es.iter()),
        StmtKind::Break
        | StmtKind::Continue
        | StmtKind::Pass
        | StmtKind::FunctionDef(_)
        | StmtKind::ClassDef(_)
        | StmtKind::Import(_)
        | StmtKind::Global(_)
        | StmtKind::Nonlocal(_)
        | StmtKind::Unsupported(_) => {}
    }
    out
}

fn target_exprs<'e>(t: &'e Target, out: &mut Vec<&'e Expr>) {
    match t {
        Target::Local(..) | Target::ModuleVar(..) => {}
        Target::Attribute { value, .. } => out.push(value),
        Target::Subscript { value, index, .. } => {
            out.push(value);
            out.push(index);
        }
        Target::Tuple(ts, _) => ts.iter().for_each(|t| target_exprs(t, out)),
        Target::Starred(t, _) => target_exprs(t, out),
    }
}

fn pattern_exprs<'e>(p: &'e Pattern, out: &mut Vec<&'e Expr>) {
    match p {
        Pattern::Value(e) => out.push(e),
        Pattern::Or(ps) => ps.iter().for_each(|p| pattern_exprs(p, out)),
        Pattern::Sequence { items, .. } => items.iter().for_each(|p| pattern_exprs(p, out)),
        Pattern::As(p, _) => pattern_exprs(p, out),
        Pattern::Wildcard(_) | Pattern::Other => {}
    }
}

/// The direct sub-expressions of an expression.
pub fn children(e: &Expr) -> Vec<&Expr> {
    let mut out: Vec<&Expr> = Vec::new();
    match &e.kind {
        ExprKind::Const(_)
        | ExprKind::Local(_)
        | ExprKind::ModuleVar(_)
        | ExprKind::Free(_)
        | ExprKind::Global(_)
        | ExprKind::Unknown => {}
        ExprKind::Attribute { value, .. } => out.push(value),
        ExprKind::Call { func, args } => {
            out.push(func);
            out.extend(args.iter().map(|a| &a.value));
        }
        ExprKind::BinOp { left, right, .. } => {
            out.push(left);
            out.push(right);
        }
        ExprKind::UnaryOp { operand, .. } => out.push(operand),
        ExprKind::BoolOp { values, .. } => out.extend(values.iter()),
        ExprKind::Compare { left, ops } => {
            out.push(left);
            out.extend(ops.iter().map(|(_, e)| e));
        }
        ExprKind::IfExp { test, body, orelse } => {
            out.push(test);
            out.push(body);
            out.push(orelse);
        }
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => out.extend(xs.iter()),
        ExprKind::Dict(entries) => {
            for (k, v) in entries {
                out.extend(k.iter());
                out.push(v);
            }
        }
        ExprKind::Subscript { value, index } => {
            out.push(value);
            out.push(index);
        }
        ExprKind::Slice { lower, upper, step } => {
            for part in [lower, upper, step].into_iter().flatten() {
                out.push(part);
            }
        }
        ExprKind::FString(parts) => {
            for p in parts {
                if let FPart::Value { value, .. } = p {
                    out.push(value);
                }
            }
        }
        ExprKind::Lambda { params, body } => {
            out.extend(params.iter().filter_map(|p| p.default.as_ref()));
            out.push(body);
        }
        ExprKind::Comprehension {
            element,
            value,
            generators,
            ..
        } => {
            out.push(element);
            out.extend(value.iter().map(|v| &**v));
            for g in generators {
                target_exprs(&g.target, &mut out);
                out.push(&g.iter);
                out.extend(g.ifs.iter());
            }
        }
        ExprKind::NamedExpr { value, .. } => out.push(value),
        ExprKind::Await(x) | ExprKind::Starred(x) | ExprKind::Cast { value: x, .. } => out.push(x),
        ExprKind::Yield(x) => out.extend(x.iter().map(|v| &**v)),
    }
    out
}

/// Every call expression in a body, nested blocks included, outer expressions first.
/// Iterative, so a deeply nested expression cannot overflow the stack.
pub fn calls(body: &Block) -> Vec<&Expr> {
    let mut out = Vec::new();
    for stmt in super::cfg::statements(body) {
        calls_into(stmt_exprs(stmt), &mut out);
    }
    out
}

/// Every call expression in these expressions and inside them, outer first.
pub fn calls_into<'a>(roots: Vec<&'a Expr>, out: &mut Vec<&'a Expr>) {
    let mut stack: Vec<&Expr> = roots.into_iter().rev().collect();
    while let Some(e) = stack.pop() {
        if matches!(e.kind, ExprKind::Call { .. }) {
            out.push(e);
        }
        stack.extend(children(e).into_iter().rev());
    }
}
