//! Statements, functions and classes.

use super::ast::Node;

use super::kinds::{Kind, fielded, named};
use super::{Lowerer, Scope, empty_function, join_spans, span_of};
use crate::ir::{
    Arg, BinOp, Block, Class, ClassId, Expr, ExprKind, FuncId, Handler, Import, MatchCase, Param,
    ParamKind, Pattern, Stmt, StmtKind, Target, Unpack, WithItem,
};

/// Lowering state that belongs to one scope and is restored when leaving it.
pub(super) struct Saved {
    cur_func: FuncId,
    cur_parent: FuncId,
    cur_class: Option<ClassId>,
    qual_prefix: String,
    nesting: u32,
}

fn is_statement(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::ExpressionStatement
            | Kind::IfStatement
            | Kind::WhileStatement
            | Kind::ForStatement
            | Kind::TryStatement
            | Kind::WithStatement
            | Kind::MatchStatement
            | Kind::FunctionDefinition
            | Kind::ClassDefinition
            | Kind::DecoratedDefinition
            | Kind::ReturnStatement
            | Kind::RaiseStatement
            | Kind::BreakStatement
            | Kind::ContinueStatement
            | Kind::PassStatement
            | Kind::AssertStatement
            | Kind::DeleteStatement
            | Kind::GlobalStatement
            | Kind::NonlocalStatement
            | Kind::ImportStatement
            | Kind::ImportFromStatement
            | Kind::FutureImportStatement
            | Kind::PrintStatement
            | Kind::ExecStatement
            | Kind::TypeAliasStatement
            | Kind::Block
            | Kind::Error
    )
}

fn starts_with_async(node: Node) -> bool {
    node.first_child()
        .is_some_and(|c| !c.is_named() && c.kind() == "async")
}

fn aug_op(token: &str) -> Option<BinOp> {
    Some(match token.strip_suffix('=')? {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "@" => BinOp::MatMul,
        "/" => BinOp::Div,
        "//" => BinOp::FloorDiv,
        "%" => BinOp::Mod,
        "**" => BinOp::Pow,
        "<<" => BinOp::LShift,
        ">>" => BinOp::RShift,
        "|" => BinOp::BitOr,
        "^" => BinOp::BitXor,
        "&" => BinOp::BitAnd,
        _ => return None,
    })
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_stmt(&mut self, node: Node, out: &mut Block) {
        if self.enter(node) {
            self.stmt_inner(node, out);
        } else {
            out.push(self.too_deep_stmt(node));
        }
        self.leave();
    }

    fn stmt_inner(&mut self, node: Node, out: &mut Block) {
        let kind = match self.kind(node) {
            Kind::ExpressionStatement => self.expression_statement(node),
            Kind::IfStatement => self.if_statement(node),
            Kind::WhileStatement => self.while_statement(node),
            Kind::ForStatement => self.for_statement(node),
            Kind::TryStatement => self.try_statement(node),
            Kind::WithStatement => self.with_statement(node),
            Kind::MatchStatement => self.match_statement(node),
            Kind::FunctionDefinition => StmtKind::FunctionDef(self.lower_function(node, &[])),
            Kind::ClassDefinition => return self.class_statement(node, node, &[], out),
            Kind::DecoratedDefinition => return self.decorated(node, out),
            Kind::ReturnStatement => StmtKind::Return(self.first_child_expr(node)),
            Kind::RaiseStatement => self.raise_statement(node),
            Kind::BreakStatement => StmtKind::Break,
            Kind::ContinueStatement => StmtKind::Continue,
            Kind::PassStatement => StmtKind::Pass,
            Kind::AssertStatement => self.assert_statement(node),
            Kind::DeleteStatement => self.delete_statement(node),
            Kind::GlobalStatement => StmtKind::Global(self.names(node)),
            Kind::NonlocalStatement => StmtKind::Nonlocal(self.names(node)),
            Kind::ImportStatement | Kind::ImportFromStatement | Kind::FutureImportStatement => {
                self.import_statement(node)
            }
            Kind::PrintStatement => self.print_statement(node),
            Kind::ExecStatement => self.exec_statement(node),
            Kind::TypeAliasStatement => self.type_alias(node),
            Kind::Error => return self.error_statement(node, out),
            Kind::Block => {
                // Only met through error recovery: a block that lost its header.
                for child in super::kinds::statements(node) {
                    self.lower_stmt(child, out);
                }
                return;
            }
            _ => StmtKind::Unsupported(node.kind().to_string()),
        };
        out.push(Stmt {
            kind,
            span: span_of(node),
        });
    }

    /// An `ERROR` region: recorded as `Unsupported`, then whatever complete statements
    /// the parser still recognised inside it are lowered in place.
    fn error_statement(&mut self, node: Node, out: &mut Block) {
        out.push(Stmt {
            kind: StmtKind::Unsupported("syntax error".into()),
            span: span_of(node),
        });
        for child in super::kinds::statements(node) {
            if is_statement(self.kind(child)) {
                self.lower_stmt(child, out);
            }
        }
    }

    fn expression_statement(&mut self, node: Node) -> StmtKind {
        let kids: Vec<Node> = named(node).collect();
        match kids.as_slice() {
            [one] => match self.kind(*one) {
                Kind::Assignment => self.assignment(*one),
                Kind::AugmentedAssignment => self.aug_assignment(*one),
                _ => StmtKind::Expr(self.lower_expr(*one)),
            },
            [] => StmtKind::Unsupported("empty expression statement".into()),
            many => {
                let items = many.iter().map(|n| self.lower_expr(*n)).collect();
                StmtKind::Expr(Expr::new(ExprKind::Tuple(items), span_of(node)))
            }
        }
    }

    /// The right-hand side of an assignment.
    fn lower_value(&mut self, node: Node) -> Expr {
        match self.kind(node) {
            Kind::Assignment | Kind::AugmentedAssignment => Self::unknown(node),
            _ => self.lower_expr(node),
        }
    }

    fn lower_target_opt(&mut self, node: Option<Node>, fallback: Node) -> Target {
        match node {
            Some(n) => self.lower_target(n),
            None => Target::Tuple(Vec::new(), span_of(fallback)),
        }
    }

    fn assignment(&mut self, node: Node) -> StmtKind {
        let f = &self.t.f;
        let (f_left, f_right, f_ty) = (f.left, f.right, f.ty);
        let left = self.field(node, f_left);
        if let Some(ty) = self.field(node, f_ty) {
            let annotation = self.lower_expr(ty);
            let value = self.field(node, f_right).map(|r| self.lower_value(r));
            let target = self.lower_target_opt(left, node);
            if let Some(v) = &value {
                self.maybe_constant(left, &target, v);
            }
            return StmtKind::AnnAssign {
                target,
                annotation,
                value,
            };
        }
        // `a = b = v` nests to the right; walk it iteratively.
        let mut lefts = vec![left];
        let mut cur = node;
        let value_node = loop {
            match self.field(cur, f_right) {
                Some(r) if self.kind(r) == Kind::Assignment && self.field(r, f_ty).is_none() => {
                    lefts.push(self.field(r, f_left));
                    cur = r;
                }
                other => break other,
            }
        };
        let value = match value_node {
            Some(v) => self.lower_value(v),
            None => Self::unknown(node),
        };
        let targets: Vec<Target> = lefts
            .into_iter()
            .map(|l| self.lower_target_opt(l, node))
            .collect();
        if let [target] = targets.as_slice() {
            self.maybe_constant(left, target, &value);
        }
        StmtKind::Assign { targets, value }
    }

    /// Record `NAME = value` as a module constant when it is the name's only binding.
    fn maybe_constant(&mut self, left: Option<Node>, target: &Target, value: &Expr) {
        let Target::ModuleVar(name, _) = target else {
            return;
        };
        if self.nesting != 0
            || !self.at_module_scope()
            || left.is_none_or(|l| self.kind(l) != Kind::Identifier)
            || self.scan.all_globals.contains(name.as_str())
            || self.module_scope().counts.get(name.as_str()) != Some(&1)
        {
            return;
        }
        self.constants.push((name.clone(), value.clone()));
    }

    fn aug_assignment(&mut self, node: Node) -> StmtKind {
        let f = &self.t.f;
        let (f_left, f_right, f_op) = (f.left, f.right, f.operator);
        let op_text = node.child_by_field_id(f_op).map_or("", |o| o.kind());
        let Some(op) = aug_op(op_text) else {
            return StmtKind::Unsupported(format!("augmented assignment {op_text}"));
        };
        let value = match self.field(node, f_right) {
            Some(r) => self.lower_value(r),
            None => Self::unknown(node),
        };
        let left = self.field(node, f_left);
        let target = self.lower_target_opt(left, node);
        StmtKind::AugAssign { target, op, value }
    }

    fn cond_expr(&mut self, node: Node, field: u16) -> Expr {
        match self.field(node, field) {
            Some(c) => self.lower_expr(c),
            None => Self::unknown(node),
        }
    }

    /// Body of a compound statement's clause, lowered one nesting level deeper.
    fn nested_block(&mut self, node: Option<Node>, conditional: bool) -> Block {
        self.nesting += 1;
        if conditional {
            self.conditional += 1;
        }
        let block = self.lower_opt_block(node);
        self.nesting -= 1;
        if conditional {
            self.conditional -= 1;
        }
        block
    }

    fn else_body(&mut self, node: Option<Node>, conditional: bool) -> Block {
        let body = node.and_then(|e| self.field(e, self.t.f.body));
        self.nested_block(body, conditional)
    }

    fn if_statement(&mut self, node: Node) -> StmtKind {
        let f = &self.t.f;
        let (f_cond, f_cons, f_alt) = (f.condition, f.consequence, f.alternative);
        let cond = self.cond_expr(node, f_cond);
        let then = self.nested_block(self.field(node, f_cons), true);
        let alternatives: Vec<Node> = fielded(node)
            .filter(|(field, c)| *field == f_alt && !c.is_error())
            .map(|(_, c)| c)
            .collect();
        let end = span_of(node);
        // Each `elif` becomes an `If` nested in the previous one's `orelse`, so it counts
        // as one more level of nesting; past the limit the rest of the chain is dropped.
        let mut elifs: Vec<(Expr, Block, crate::ir::Span)> = Vec::new();
        let mut orelse: Block = Vec::new();
        let mut entered = 0u32;
        for alt in alternatives {
            match self.kind(alt) {
                Kind::ElifClause => {
                    entered += 1;
                    if !self.enter(alt) {
                        orelse = vec![self.too_deep_stmt(alt)];
                        break;
                    }
                    let c = self.cond_expr(alt, f_cond);
                    let b = self.nested_block(self.field(alt, f_cons), true);
                    elifs.push((c, b, join_spans(span_of(alt), end)));
                }
                Kind::ElseClause => {
                    orelse = self.else_body(Some(alt), true);
                }
                _ => {}
            }
        }
        for _ in 0..entered {
            self.leave();
        }
        while let Some((c, b, span)) = elifs.pop() {
            orelse = vec![Stmt {
                kind: StmtKind::If {
                    cond: c,
                    then: b,
                    orelse,
                },
                span,
            }];
        }
        StmtKind::If { cond, then, orelse }
    }

    fn while_statement(&mut self, node: Node) -> StmtKind {
        let f = &self.t.f;
        let (f_cond, f_body, f_alt) = (f.condition, f.body, f.alternative);
        let cond = self.cond_expr(node, f_cond);
        let body = self.nested_block(self.field(node, f_body), false);
        let orelse = self.else_body(self.field(node, f_alt), false);
        StmtKind::While { cond, body, orelse }
    }

    fn for_statement(&mut self, node: Node) -> StmtKind {
        let f = &self.t.f;
        let (f_left, f_right, f_body, f_alt) = (f.left, f.right, f.body, f.alternative);
        let iter = self.cond_expr(node, f_right);
        let left = self.field(node, f_left);
        let target = self.lower_target_opt(left, node);
        let body = self.nested_block(self.field(node, f_body), false);
        let orelse = self.else_body(self.field(node, f_alt), false);
        StmtKind::For {
            target,
            iter,
            body,
            orelse,
            is_async: starts_with_async(node),
        }
    }

    fn try_statement(&mut self, node: Node) -> StmtKind {
        let f_body = self.t.f.body;
        let body = self.nested_block(self.field(node, f_body), true);
        let mut handlers = Vec::new();
        let mut orelse = Vec::new();
        let mut finally = Vec::new();
        for child in named(node) {
            match self.kind(child) {
                Kind::ExceptClause => handlers.push(self.handler(child)),
                Kind::ElseClause => orelse = self.else_body(Some(child), true),
                Kind::FinallyClause => {
                    let block = named(child).find(|c| self.kind(*c) == Kind::Block);
                    finally = self.nested_block(block, true);
                }
                _ => {}
            }
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finally,
        }
    }

    fn handler(&mut self, node: Node) -> Handler {
        let f_value = self.t.f.value;
        let values: Vec<Node> = fielded(node)
            .filter(|(field, c)| *field == f_value && !c.is_error())
            .map(|(_, c)| c)
            .collect();
        let mut types = Vec::new();
        let mut name = None;
        match values.as_slice() {
            [v] => {
                let mut caught = *v;
                if self.kind(*v) == Kind::AsPattern {
                    name = self.as_pattern_name(*v);
                    if let Some(first) = named(*v).next() {
                        caught = first;
                    }
                }
                types = self.exception_types(caught);
            }
            // Python 2: `except E, e:`
            [v, n, ..] => {
                types = self.exception_types(*v);
                if self.kind(*n) == Kind::Identifier {
                    name = Some(self.text(*n).to_string());
                }
            }
            [] => {}
        }
        let block = named(node).find(|c| self.kind(*c) == Kind::Block);
        let body = self.nested_block(block, true);
        Handler {
            types,
            name,
            body,
            span: span_of(node),
        }
    }

    /// The name bound by `X as name` (`except`, `with`).
    fn as_pattern_name(&self, node: Node) -> Option<String> {
        let target = self.field(node, self.t.f.alias)?;
        let inner = named(target).next().unwrap_or(target);
        (self.kind(inner) == Kind::Identifier).then(|| self.text(inner).to_string())
    }

    fn exception_types(&mut self, node: Node) -> Vec<Expr> {
        let node = self.unparen(node);
        if self.kind(node) == Kind::Tuple {
            return named(node).map(|c| self.lower_expr(c)).collect();
        }
        vec![self.lower_expr(node)]
    }

    fn with_statement(&mut self, node: Node) -> StmtKind {
        let f = &self.t.f;
        let (f_value, f_alias, f_body) = (f.value, f.alias, f.body);
        let mut items = Vec::new();
        for clause in named(node) {
            if self.kind(clause) != Kind::WithClause {
                continue;
            }
            for item in named(clause) {
                if self.kind(item) != Kind::WithItem {
                    continue;
                }
                let Some(value) = self.field(item, f_value) else {
                    continue;
                };
                if self.kind(value) == Kind::AsPattern {
                    let context = match named(value).next() {
                        Some(c) => self.lower_expr(c),
                        None => Self::unknown(value),
                    };
                    let target = self.field(value, f_alias).map(|alias| {
                        let inner = named(alias).next().unwrap_or(alias);
                        self.lower_target(inner)
                    });
                    items.push(WithItem { context, target });
                } else {
                    let context = self.lower_expr(value);
                    items.push(WithItem {
                        context,
                        target: None,
                    });
                }
            }
        }
        let body = self.nested_block(self.field(node, f_body), false);
        StmtKind::With { items, body }
    }

    fn match_statement(&mut self, node: Node) -> StmtKind {
        let f = &self.t.f;
        let (f_subject, f_body, f_guard, f_cons) = (f.subject, f.body, f.guard, f.consequence);
        let subjects: Vec<Node> = fielded(node)
            .filter(|(field, c)| *field == f_subject && !c.is_error())
            .map(|(_, c)| c)
            .collect();
        let subject = match subjects.as_slice() {
            [one] => self.lower_expr(*one),
            [first, .., last] => {
                let items = subjects.iter().map(|s| self.lower_expr(*s)).collect();
                Expr::new(
                    ExprKind::Tuple(items),
                    join_spans(span_of(*first), span_of(*last)),
                )
            }
            [] => Self::unknown(node),
        };
        let mut cases = Vec::new();
        let clauses: Vec<Node> = self
            .field(node, f_body)
            .map(|b| named(b).collect())
            .unwrap_or_default();
        for clause in clauses {
            if self.kind(clause) != Kind::CaseClause {
                continue;
            }
            let patterns: Vec<Node> = named(clause)
                .filter(|c| self.kind(*c) == Kind::CasePattern)
                .collect();
            let pattern = match patterns.as_slice() {
                [one] => self.lower_pattern(*one),
                [] => Pattern::Other,
                many => self.sequence_pattern(many),
            };
            let guard = self
                .field(clause, f_guard)
                .and_then(|g| named(g).next())
                .map(|g| self.lower_expr(g));
            let body = self.nested_block(self.field(clause, f_cons), true);
            cases.push(MatchCase {
                pattern,
                guard,
                body,
                span: span_of(clause),
            });
        }
        StmtKind::Match { subject, cases }
    }

    /// The first named child as an expression (`return x`, `return a, b`).
    fn first_child_expr(&mut self, node: Node) -> Option<Expr> {
        let child = named(node).next()?;
        Some(self.lower_expr(child))
    }

    fn raise_statement(&mut self, node: Node) -> StmtKind {
        let exc = fielded(node)
            .find(|(field, c)| *field == 0 && c.is_named() && !c.is_error())
            .map(|(_, c)| c);
        StmtKind::Raise(exc.map(|e| self.lower_expr(e)))
    }

    fn assert_statement(&mut self, node: Node) -> StmtKind {
        let kids: Vec<Node> = named(node).collect();
        let test = match kids.first() {
            Some(t) => self.lower_expr(*t),
            None => Self::unknown(node),
        };
        let msg = kids.get(1).map(|m| self.lower_expr(*m));
        StmtKind::Assert { test, msg }
    }

    fn delete_statement(&mut self, node: Node) -> StmtKind {
        let mut targets = Vec::new();
        for child in named(node) {
            if self.kind(child) == Kind::ExpressionList {
                for item in named(child) {
                    targets.push(self.lower_expr(item));
                }
            } else {
                targets.push(self.lower_expr(child));
            }
        }
        StmtKind::Delete(targets)
    }

    fn names(&self, node: Node) -> Vec<String> {
        named(node)
            .filter(|c| self.kind(*c) == Kind::Identifier)
            .map(|c| self.text(c).to_string())
            .collect()
    }

    fn in_function(&self) -> bool {
        self.scopes
            .iter()
            .any(|s| matches!(s, Scope::Function(_) | Scope::Lambda(_)))
    }

    fn import_statement(&mut self, node: Node) -> StmtKind {
        let conditional = self.conditional > 0 || self.in_function();
        let mut ids = Vec::new();
        for b in super::imports::bindings(self.t, self.src, node) {
            ids.push(self.imports.len());
            self.imports.push(Import {
                qualname: b.qualname,
                alias: b.alias.to_string(),
                span: b.span,
                star: b.star,
                top_level: b.top_level,
                level: b.level,
                conditional,
            });
        }
        StmtKind::Import(ids)
    }

    /// Python 2 `print x, y` / `print >>f, x`: a call to `print`, the target as `file=`.
    fn print_statement(&mut self, node: Node) -> StmtKind {
        let func = Expr::new(self.resolve("print"), span_of(node));
        let mut args = Vec::new();
        for child in named(node) {
            if self.kind(child) == Kind::Chevron {
                if let Some(target) = named(child).next() {
                    let value = self.lower_expr(target);
                    args.push(Arg {
                        keyword: Some("file".into()),
                        value,
                        unpack: Unpack::None,
                        span: span_of(child),
                    });
                }
            } else {
                let value = self.lower_expr(child);
                args.push(Arg {
                    keyword: None,
                    value,
                    unpack: Unpack::None,
                    span: span_of(child),
                });
            }
        }
        StmtKind::Expr(Expr::new(
            ExprKind::Call {
                func: Box::new(func),
                args,
            },
            span_of(node),
        ))
    }

    /// Python 2 `exec code in globals, locals`: a call to `exec`.
    fn exec_statement(&mut self, node: Node) -> StmtKind {
        let func = Expr::new(self.resolve("exec"), span_of(node));
        let mut args = Vec::new();
        for child in named(node) {
            let value = self.lower_expr(child);
            args.push(Arg {
                keyword: None,
                value,
                unpack: Unpack::None,
                span: span_of(child),
            });
        }
        StmtKind::Expr(Expr::new(
            ExprKind::Call {
                func: Box::new(func),
                args,
            },
            span_of(node),
        ))
    }

    /// `type X = ...` (3.12) binds `X` like an assignment.
    fn type_alias(&mut self, node: Node) -> StmtKind {
        let f = &self.t.f;
        let (f_left, f_right) = (f.left, f.right);
        let target = match self.field(node, f_left) {
            Some(l) => {
                let inner = named(l).next().unwrap_or(l);
                self.lower_target(inner)
            }
            None => Target::Tuple(Vec::new(), span_of(node)),
        };
        let value = self.cond_expr(node, f_right);
        StmtKind::Assign {
            targets: vec![target],
            value,
        }
    }

    fn decorated(&mut self, node: Node, out: &mut Block) {
        let decorators: Vec<Node> = named(node)
            .filter(|c| self.kind(*c) == Kind::Decorator)
            .collect();
        let Some(def) = self.field(node, self.t.f.definition) else {
            out.push(Stmt {
                kind: StmtKind::Unsupported("decorator without definition".into()),
                span: span_of(node),
            });
            return;
        };
        match self.kind(def) {
            Kind::FunctionDefinition => {
                let id = self.lower_function(def, &decorators);
                out.push(Stmt {
                    kind: StmtKind::FunctionDef(id),
                    span: span_of(node),
                });
            }
            Kind::ClassDefinition => self.class_statement(def, node, &decorators, out),
            _ => out.push(Stmt {
                kind: StmtKind::Unsupported(def.kind().to_string()),
                span: span_of(node),
            }),
        }
    }

    fn decorator_expr(&mut self, node: Node) -> Expr {
        match named(node).next() {
            Some(e) => self.lower_expr(e),
            None => Self::unknown(node),
        }
    }

    /// Switch to a new scope; the returned state restores the enclosing one.
    fn enter_scope(&mut self, scope: Scope<'a>, func: FuncId, parent: FuncId) -> Saved {
        self.scopes.push(scope);
        Saved {
            cur_func: std::mem::replace(&mut self.cur_func, func),
            cur_parent: std::mem::replace(&mut self.cur_parent, parent),
            cur_class: self.cur_class.take(),
            qual_prefix: std::mem::take(&mut self.qual_prefix),
            nesting: std::mem::replace(&mut self.nesting, 0),
        }
    }

    fn exit_scope(&mut self, saved: Saved) {
        self.scopes.pop();
        self.cur_func = saved.cur_func;
        self.cur_parent = saved.cur_parent;
        self.cur_class = saved.cur_class;
        self.qual_prefix = saved.qual_prefix;
        self.nesting = saved.nesting;
    }

    pub(super) fn lower_function(&mut self, node: Node, decorators: &[Node]) -> FuncId {
        let f = &self.t.f;
        let (f_name, f_params, f_body) = (f.name, f.parameters, f.body);
        let name_node = self.field(node, f_name);
        let name = name_node.map_or("", |n| self.text(n)).to_string();
        let decorators: Vec<Expr> = decorators.iter().map(|d| self.decorator_expr(*d)).collect();
        let params = match self.field(node, f_params) {
            Some(p) => self.lower_params(p),
            None => Vec::new(),
        };
        let id = self.functions.len();
        let qualname = format!("{}{}", self.qual_prefix, name);
        let scope_idx = self
            .scan
            .by_node
            .get(&node.id())
            .copied()
            .unwrap_or(usize::MAX);
        let mut func = empty_function(&name, span_of(node));
        func.qualname = qualname.clone();
        func.params = params;
        func.name_span = name_node.map_or(span_of(node), span_of);
        func.decorators = decorators;
        func.class = self.cur_class;
        func.parent = Some(self.cur_parent);
        func.is_async = starts_with_async(node);
        func.locals = self.scope_info(scope_idx).locals();
        self.functions.push(func);

        let saved = self.enter_scope(Scope::Function(scope_idx), id, id);
        self.qual_prefix = format!("{qualname}.<locals>.");
        let body_node = self.field(node, f_body);
        let body = self.lower_opt_block(body_node);
        self.exit_scope(saved);
        if let Some(func) = self.functions.get_mut(id) {
            func.body = body;
        }
        id
    }

    /// `def`/`lambda` parameters; defaults and annotations are lowered in the enclosing
    /// scope, where Python evaluates them.
    pub(super) fn lower_params(&mut self, node: Node) -> Vec<Param> {
        let f = &self.t.f;
        let (f_name, f_value, f_ty) = (f.name, f.value, f.ty);
        let mut out = Vec::new();
        let mut keyword_only = false;
        for child in named(node) {
            let positional = if keyword_only {
                ParamKind::KeywordOnly
            } else {
                ParamKind::Positional
            };
            let span = span_of(child);
            let (name_node, kind, default, annotation) = match self.kind(child) {
                Kind::Identifier | Kind::TuplePattern => (child, positional, None, None),
                Kind::ListSplatPattern | Kind::DictionarySplatPattern => {
                    (child, ParamKind::Positional, None, None)
                }
                Kind::TypedParameter => {
                    let inner = fielded(child)
                        .find(|(field, c)| *field == 0 && c.is_named() && !c.is_error())
                        .map_or(child, |(_, c)| c);
                    let annotation = self.field(child, f_ty).map(|t| self.lower_expr(t));
                    (inner, positional, None, annotation)
                }
                Kind::DefaultParameter | Kind::TypedDefaultParameter => {
                    let Some(name) = self.field(child, f_name) else {
                        continue;
                    };
                    let annotation = self.field(child, f_ty).map(|t| self.lower_expr(t));
                    let default = self.field(child, f_value).map(|v| self.lower_expr(v));
                    (name, positional, default, annotation)
                }
                Kind::KeywordSeparator => {
                    keyword_only = true;
                    continue;
                }
                _ => continue,
            };
            let (name, kind) = match self.kind(name_node) {
                Kind::ListSplatPattern => {
                    keyword_only = true;
                    (self.splat_name(name_node), ParamKind::VarArgs)
                }
                Kind::DictionarySplatPattern => {
                    (self.splat_name(name_node), ParamKind::VarKeywords)
                }
                _ => (self.text(name_node).to_string(), kind),
            };
            out.push(Param {
                name,
                default,
                kind,
                annotation,
                span,
            });
        }
        out
    }

    fn splat_name(&self, node: Node) -> String {
        named(node)
            .find(|c| self.kind(*c) == Kind::Identifier)
            .map_or_else(String::new, |c| self.text(c).to_string())
    }

    /// A class statement: decorators become expression statements before it (they are
    /// evaluated there; the IR's `Class` has no decorator list).
    fn class_statement(&mut self, node: Node, outer: Node, decorators: &[Node], out: &mut Block) {
        for d in decorators {
            let e = self.decorator_expr(*d);
            out.push(Stmt {
                kind: StmtKind::Expr(e),
                span: span_of(*d),
            });
        }
        let id = self.lower_class(node);
        out.push(Stmt {
            kind: StmtKind::ClassDef(id),
            span: span_of(outer),
        });
    }

    fn lower_class(&mut self, node: Node) -> ClassId {
        let f = &self.t.f;
        let (f_name, f_super, f_body) = (f.name, f.superclasses, f.body);
        let name_node = self.field(node, f_name);
        let name = name_node.map_or("", |n| self.text(n)).to_string();
        let mut bases = Vec::new();
        if let Some(args) = self.field(node, f_super) {
            for arg in named(args) {
                match self.kind(arg) {
                    Kind::KeywordArgument | Kind::DictionarySplat => {}
                    _ => bases.push(self.lower_expr(arg)),
                }
            }
        }
        let qualname = format!("{}{}", self.qual_prefix, name);
        let cid = self.classes.len();
        self.classes.push(Class {
            name: name.clone(),
            qualname: qualname.clone(),
            bases,
            methods: Vec::new(),
            span: span_of(node),
        });
        let body_id = self.functions.len();
        let scope_idx = self
            .scan
            .by_node
            .get(&node.id())
            .copied()
            .unwrap_or(usize::MAX);
        let mut body_fn = empty_function("<class body>", span_of(node));
        body_fn.qualname = format!("{qualname}.<body>");
        body_fn.name_span = name_node.map_or(span_of(node), span_of);
        body_fn.class = Some(cid);
        body_fn.parent = Some(self.cur_parent);
        body_fn.locals = self.scope_info(scope_idx).locals();
        self.functions.push(body_fn);

        let parent = self.cur_parent;
        let saved = self.enter_scope(Scope::Class(scope_idx), body_id, parent);
        self.cur_class = Some(cid);
        self.qual_prefix = format!("{qualname}.");
        let body_node = self.field(node, f_body);
        let body = self.lower_opt_block(body_node);
        self.exit_scope(saved);

        if let Some(func) = self.functions.get_mut(body_id) {
            func.body = body;
        }
        let mut methods = vec![body_id];
        methods.extend(
            self.functions
                .iter()
                .enumerate()
                .skip(body_id + 1)
                .filter(|(_, func)| func.class == Some(cid))
                .map(|(i, _)| i),
        );
        if let Some(class) = self.classes.get_mut(cid) {
            class.methods = methods;
        }
        cid
    }
}
