//! Expressions, assignment targets and match patterns.

use std::collections::HashSet;

use super::ast::Node;

use super::kinds::{Kind, fielded, named};
use super::literal::{Piece, float_const, int_const, string_bytes, string_pieces, string_prefix};
use super::{Lowerer, Scope, join_spans, span_of};
use crate::ir::{
    Arg, BinOp, BoolOp, CmpOp, CompKind, Const, Expr, ExprKind, FPart, Generator, Pattern, Target,
    UnaryOp, Unpack,
};

fn bin_op(token: &str) -> Option<BinOp> {
    Some(match token {
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

fn cmp_op(token: &str) -> Option<CmpOp> {
    Some(match token {
        "==" => CmpOp::Eq,
        "!=" | "<>" => CmpOp::NotEq,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::LtE,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::GtE,
        "is" => CmpOp::Is,
        "is not" => CmpOp::IsNot,
        "in" => CmpOp::In,
        "not in" => CmpOp::NotIn,
        _ => return None,
    })
}

/// Append literal text, merging with a preceding literal.
fn push_lit(parts: &mut Vec<FPart>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(FPart::Lit(prev)) = parts.last_mut() {
        let mut joined = String::with_capacity(prev.len() + text.len());
        joined.push_str(prev);
        joined.push_str(text);
        *prev = joined.into();
    } else {
        parts.push(FPart::Lit(text.into()));
    }
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl<'a> Lowerer<'a> {
    /// Strip redundant parentheses without recursion (`((((x))))` nests arbitrarily deep).
    pub(super) fn unparen<'t>(&self, mut node: Node<'t>) -> Node<'t> {
        while self.kind(node) == Kind::ParenthesizedExpression {
            match named(node).next() {
                Some(inner) => node = inner,
                None => break,
            }
        }
        node
    }

    pub(super) fn lower_expr(&mut self, node: Node) -> Expr {
        let node = self.unparen(node);
        let kind = if node.is_missing() {
            ExprKind::Unknown
        } else if self.enter(node) {
            self.expr_kind(node)
        } else {
            ExprKind::Unknown
        };
        self.leave();
        Expr::new(kind, span_of(node))
    }

    fn opt_field_expr(&mut self, node: Node, field: u16) -> Expr {
        match self.field(node, field) {
            Some(c) => self.lower_expr(c),
            None => Self::unknown(node),
        }
    }

    /// Dispatch on the node kind. Kept to calls only, so that its stack frame (part of
    /// every nesting level) stays small in debug builds.
    fn expr_kind(&mut self, node: Node) -> ExprKind {
        match self.kind(node) {
            Kind::Identifier => self.resolve(self.text(node)),
            Kind::Attribute => self.attribute(node),
            Kind::Call => self.call(node),
            Kind::BinaryOperator => self.binary(node),
            Kind::UnaryOperator | Kind::NotOperator => self.unary(node),
            Kind::BooleanOperator => self.boolean(node),
            Kind::ComparisonOperator => self.compare(node),
            Kind::ConditionalExpression => self.if_exp(node),
            Kind::Lambda => self.lambda(node),
            Kind::NamedExpression => self.walrus(node),
            Kind::List | Kind::ListPattern => ExprKind::List(self.elements(node)),
            Kind::Tuple | Kind::ExpressionList | Kind::PatternList | Kind::TuplePattern => {
                ExprKind::Tuple(self.elements(node))
            }
            Kind::Set => ExprKind::Set(self.elements(node)),
            Kind::Dictionary => self.dict(node),
            Kind::ListComprehension => self.comprehension(node, CompKind::List),
            Kind::SetComprehension => self.comprehension(node, CompKind::Set),
            Kind::DictionaryComprehension => self.comprehension(node, CompKind::Dict),
            Kind::GeneratorExpression => self.comprehension(node, CompKind::Generator),
            Kind::Subscript => self.subscript(node),
            Kind::Slice => self.slice(node),
            Kind::String => self.string(node),
            Kind::ConcatenatedString => self.concatenated(node),
            Kind::Integer => ExprKind::Const(int_const(self.text(node))),
            Kind::Float => ExprKind::Const(float_const(self.text(node))),
            Kind::True => ExprKind::Const(Const::Bool(true)),
            Kind::False => ExprKind::Const(Const::Bool(false)),
            Kind::None => ExprKind::Const(Const::None),
            Kind::Ellipsis => ExprKind::Const(Const::Ellipsis),
            Kind::Await => self.wrapped(node, ExprKind::Await),
            Kind::ListSplat | Kind::ParenthesizedListSplat | Kind::ListSplatPattern => {
                self.wrapped(node, ExprKind::Starred)
            }
            Kind::Yield => self.yield_expr(node),
            Kind::Type => self.type_expr(node),
            _ => ExprKind::Unknown,
        }
    }

    /// `await x`, `*x`: one operand wrapped.
    fn wrapped(&mut self, node: Node, wrap: fn(Box<Expr>) -> ExprKind) -> ExprKind {
        let inner = match named(node).next() {
            Some(c) => self.lower_expr(c),
            None => Self::unknown(node),
        };
        wrap(boxed(inner))
    }

    fn yield_expr(&mut self, node: Node) -> ExprKind {
        let inner = named(node).next().map(|c| boxed(self.lower_expr(c)));
        ExprKind::Yield(inner)
    }

    fn type_expr(&mut self, node: Node) -> ExprKind {
        match named(node).next() {
            Some(c) => self.lower_expr(c).kind,
            None => ExprKind::Unknown,
        }
    }

    fn attribute(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_obj, f_attr) = (f.object, f.attribute);
        let value = self.opt_field_expr(node, f_obj);
        let attr = self
            .field(node, f_attr)
            .map_or("", |a| self.text(a))
            .to_string();
        ExprKind::Attribute {
            value: boxed(value),
            attr,
        }
    }

    fn call(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_func, f_args) = (f.function, f.arguments);
        let func = self.opt_field_expr(node, f_func);
        let args = match self.field(node, f_args) {
            Some(a) if self.kind(a) == Kind::GeneratorExpression => {
                let value = self.lower_expr(a);
                vec![Arg {
                    keyword: None,
                    value,
                    unpack: Unpack::None,
                    span: span_of(a),
                }]
            }
            Some(a) => self.arguments(a),
            None => Vec::new(),
        };
        if let Some(q) = func.qualified_name()
            && (q == "builtins.__import__" || q == "importlib.import_module")
        {
            self.notes
                .push(format!("dynamic import at line {}", node.line()));
        }
        ExprKind::Call {
            func: boxed(func),
            args,
        }
    }

    fn arguments(&mut self, node: Node) -> Vec<Arg> {
        let f_name = self.t.f.name;
        let f_value = self.t.f.value;
        let mut args = Vec::new();
        for child in named(node) {
            let span = span_of(child);
            let (keyword, value, unpack) = match self.kind(child) {
                Kind::ListSplat | Kind::DictionarySplat => {
                    let unpack = if self.kind(child) == Kind::ListSplat {
                        Unpack::Star
                    } else {
                        Unpack::DoubleStar
                    };
                    let value = match named(child).next() {
                        Some(v) => self.lower_expr(v),
                        None => Self::unknown(child),
                    };
                    (None, value, unpack)
                }
                Kind::KeywordArgument => {
                    let name = self.field(child, f_name).map(|n| self.text(n).to_string());
                    let value = self.opt_field_expr(child, f_value);
                    (name, value, Unpack::None)
                }
                _ => (None, self.lower_expr(child), Unpack::None),
            };
            args.push(Arg {
                keyword,
                value,
                unpack,
                span,
            });
        }
        args
    }

    fn binary(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_left, f_right, f_op) = (f.left, f.right, f.operator);
        let token = node.child_by_field_id(f_op).map_or("", |o| o.kind());
        let Some(op) = bin_op(token) else {
            return ExprKind::Unknown;
        };
        let left = self.opt_field_expr(node, f_left);
        let right = self.opt_field_expr(node, f_right);
        ExprKind::BinOp {
            op,
            left: boxed(left),
            right: boxed(right),
        }
    }

    fn unary(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_arg, f_op) = (f.argument, f.operator);
        let op = if self.kind(node) == Kind::NotOperator {
            UnaryOp::Not
        } else {
            match node.child_by_field_id(f_op).map_or("", |o| o.kind()) {
                "-" => UnaryOp::Neg,
                "+" => UnaryOp::Pos,
                "~" => UnaryOp::Invert,
                _ => return ExprKind::Unknown,
            }
        };
        let operand = self.opt_field_expr(node, f_arg);
        ExprKind::UnaryOp {
            op,
            operand: boxed(operand),
        }
    }

    fn bool_op_of(&self, node: Node) -> Option<BoolOp> {
        match node.child_by_field_id(self.t.f.operator)?.kind() {
            "and" => Some(BoolOp::And),
            "or" => Some(BoolOp::Or),
            _ => None,
        }
    }

    /// `a and b and c` is left-nested in the tree; flatten it iteratively into one
    /// `BoolOp` (as Python's AST does), which also keeps long chains shallow.
    fn boolean(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_left, f_right) = (f.left, f.right);
        let Some(op) = self.bool_op_of(node) else {
            return ExprKind::Unknown;
        };
        let mut operands: Vec<Result<Node, Node>> = Vec::new();
        let mut cur = node;
        loop {
            operands.push(self.field(cur, f_right).ok_or(cur));
            match self.field(cur, f_left) {
                Some(l)
                    if self.kind(l) == Kind::BooleanOperator && self.bool_op_of(l) == Some(op) =>
                {
                    cur = l;
                }
                left => {
                    operands.push(left.ok_or(cur));
                    break;
                }
            }
        }
        operands.reverse();
        let values = operands
            .into_iter()
            .map(|o| match o {
                Ok(n) => self.lower_expr(n),
                Err(parent) => Self::unknown(parent),
            })
            .collect();
        ExprKind::BoolOp { op, values }
    }

    fn compare(&mut self, node: Node) -> ExprKind {
        let f_ops = self.t.f.operators;
        let mut left: Option<Expr> = None;
        let mut ops = Vec::new();
        let mut pending: Option<CmpOp> = None;
        for (field, child) in fielded(node) {
            if field == f_ops {
                pending = cmp_op(child.kind());
                if pending.is_none() {
                    return ExprKind::Unknown;
                }
            } else if child.is_named() && !child.is_error() {
                let e = self.lower_expr(child);
                match (left.is_none(), pending.take()) {
                    (true, _) => left = Some(e),
                    (false, Some(op)) => ops.push((op, e)),
                    (false, None) => {}
                }
            }
        }
        match left {
            Some(l) if !ops.is_empty() => ExprKind::Compare {
                left: boxed(l),
                ops,
            },
            _ => ExprKind::Unknown,
        }
    }

    fn if_exp(&mut self, node: Node) -> ExprKind {
        let kids: Vec<Node> = named(node).collect();
        let [body, test, orelse] = kids.as_slice() else {
            return ExprKind::Unknown;
        };
        let (body, test, orelse) = (*body, *test, *orelse);
        let body = self.lower_expr(body);
        let test = self.lower_expr(test);
        let orelse = self.lower_expr(orelse);
        ExprKind::IfExp {
            test: boxed(test),
            body: boxed(body),
            orelse: boxed(orelse),
        }
    }

    fn lambda(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_params, f_body) = (f.parameters, f.body);
        let params = match self.field(node, f_params) {
            Some(p) => self.lower_params(p),
            None => Vec::new(),
        };
        let idx = self
            .scan
            .by_node
            .get(&node.id())
            .copied()
            .unwrap_or(usize::MAX);
        self.scopes.push(Scope::Lambda(idx));
        let body = self.opt_field_expr(node, f_body);
        self.scopes.pop();
        ExprKind::Lambda {
            params,
            body: boxed(body),
        }
    }

    fn walrus(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_name, f_value) = (f.name, f.value);
        let target = self
            .field(node, f_name)
            .map_or("", |n| self.text(n))
            .to_string();
        let value = self.opt_field_expr(node, f_value);
        ExprKind::NamedExpr {
            target,
            value: boxed(value),
        }
    }

    fn elements(&mut self, node: Node) -> Vec<Expr> {
        named(node).map(|c| self.lower_expr(c)).collect()
    }

    fn dict(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_key, f_value) = (f.key, f.value);
        let mut entries = Vec::new();
        for child in named(node) {
            match self.kind(child) {
                Kind::Pair => {
                    let key = self.opt_field_expr(child, f_key);
                    let value = self.opt_field_expr(child, f_value);
                    entries.push((Some(key), value));
                }
                Kind::DictionarySplat => {
                    let value = match named(child).next() {
                        Some(v) => self.lower_expr(v),
                        None => Self::unknown(child),
                    };
                    entries.push((None, value));
                }
                _ => {}
            }
        }
        ExprKind::Dict(entries)
    }

    /// Names bound by a comprehension's `for` target (iteratively: targets can nest).
    fn target_names(&self, node: Node, out: &mut HashSet<&'a str>) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match self.kind(n) {
                Kind::Identifier => {
                    out.insert(self.text(n));
                }
                Kind::PatternList
                | Kind::TuplePattern
                | Kind::ListPattern
                | Kind::Tuple
                | Kind::List
                | Kind::ParenthesizedExpression
                | Kind::ListSplatPattern
                | Kind::ListSplat
                | Kind::ExpressionList => stack.extend(named(n)),
                _ => {}
            }
        }
    }

    /// The iterable of a `for ... in` clause (`for x in a, b` makes a tuple).
    fn clause_iter(&mut self, clause: Node) -> Expr {
        let f_right = self.t.f.right;
        let rights: Vec<Node> = fielded(clause)
            .filter(|(field, c)| *field == f_right && c.is_named() && !c.is_error())
            .map(|(_, c)| c)
            .collect();
        match rights.as_slice() {
            [one] => self.lower_expr(*one),
            [first, .., last] => {
                let span = join_spans(span_of(*first), span_of(*last));
                let items = rights.iter().map(|r| self.lower_expr(*r)).collect();
                Expr::new(ExprKind::Tuple(items), span)
            }
            [] => Self::unknown(clause),
        }
    }

    fn comprehension(&mut self, node: Node, kind: CompKind) -> ExprKind {
        let f = &self.t.f;
        let (f_body, f_left, f_key, f_value) = (f.body, f.left, f.key, f.value);
        let clauses: Vec<Node> = named(node)
            .filter(|c| matches!(self.kind(*c), Kind::ForInClause | Kind::IfClause))
            .collect();
        // The first iterable is evaluated in the enclosing scope, before the loop
        // variables exist.
        let mut first_iter = clauses
            .iter()
            .find(|c| self.kind(**c) == Kind::ForInClause)
            .map(|c| self.clause_iter(*c));
        let mut vars = HashSet::new();
        for clause in &clauses {
            if self.kind(*clause) == Kind::ForInClause
                && let Some(left) = self.field(*clause, f_left)
            {
                self.target_names(left, &mut vars);
            }
        }
        self.scopes.push(Scope::Comprehension(vars));
        let mut generators: Vec<Generator> = Vec::new();
        for clause in clauses {
            if self.kind(clause) == Kind::ForInClause {
                let iter = match first_iter.take() {
                    Some(i) => i,
                    None => self.clause_iter(clause),
                };
                let left = self.field(clause, f_left);
                let target = match left {
                    Some(l) => self.lower_target(l),
                    None => Target::Tuple(Vec::new(), span_of(clause)),
                };
                let is_async = clause
                    .first_child()
                    .is_some_and(|c| !c.is_named() && c.kind() == "async");
                generators.push(Generator {
                    target,
                    iter,
                    ifs: Vec::new(),
                    is_async,
                });
            } else if let Some(cond) = named(clause).next() {
                let cond = self.lower_expr(cond);
                if let Some(g) = generators.last_mut() {
                    g.ifs.push(cond);
                }
            }
        }
        let body = self.field(node, f_body);
        let (element, value) = match body {
            Some(pair) if kind == CompKind::Dict && self.kind(pair) == Kind::Pair => {
                let k = self.opt_field_expr(pair, f_key);
                let v = self.opt_field_expr(pair, f_value);
                (k, Some(boxed(v)))
            }
            Some(b) => (self.lower_expr(b), None),
            None => (Self::unknown(node), None),
        };
        self.scopes.pop();
        ExprKind::Comprehension {
            kind,
            element: boxed(element),
            value,
            generators,
        }
    }

    fn subscript(&mut self, node: Node) -> ExprKind {
        let f = &self.t.f;
        let (f_value, f_sub) = (f.value, f.subscript);
        let value = self.opt_field_expr(node, f_value);
        let indices: Vec<Node> = fielded(node)
            .filter(|(field, c)| *field == f_sub && c.is_named() && !c.is_error())
            .map(|(_, c)| c)
            .collect();
        let index = match indices.as_slice() {
            [one] => self.lower_expr(*one),
            [first, .., last] => {
                let span = join_spans(span_of(*first), span_of(*last));
                let items = indices.iter().map(|i| self.lower_expr(*i)).collect();
                Expr::new(ExprKind::Tuple(items), span)
            }
            [] => Self::unknown(node),
        };
        ExprKind::Subscript {
            value: boxed(value),
            index: boxed(index),
        }
    }

    fn slice(&mut self, node: Node) -> ExprKind {
        let mut parts: [Option<Box<Expr>>; 3] = [None, None, None];
        let mut colons = 0usize;
        for (_, child) in fielded(node) {
            if !child.is_named() {
                if child.kind() == ":" {
                    colons += 1;
                }
            } else if !child.is_error()
                && let Some(slot) = parts.get_mut(colons)
            {
                *slot = Some(boxed(self.lower_expr(child)));
            }
        }
        let [lower, upper, step] = parts;
        ExprKind::Slice { lower, upper, step }
    }

    fn string(&mut self, node: Node) -> ExprKind {
        let prefix = string_prefix(self.t, self.src, node);
        if prefix.bytes {
            return ExprKind::Const(Const::Bytes(
                string_bytes(self.t, self.src, node, prefix).into(),
            ));
        }
        if prefix.format {
            let mut parts = Vec::new();
            self.fstring_parts(node, prefix, &mut parts);
            return ExprKind::FString(parts);
        }
        let mut text = String::new();
        for piece in string_pieces(self.t, self.src, node, prefix) {
            if let Piece::Lit(s) = piece {
                text.push_str(&s);
            }
        }
        ExprKind::Const(Const::Str(text.into()))
    }

    fn fstring_parts(
        &mut self,
        node: Node,
        prefix: super::literal::Prefix,
        parts: &mut Vec<FPart>,
    ) {
        for piece in string_pieces(self.t, self.src, node, prefix) {
            match piece {
                Piece::Lit(s) => push_lit(parts, &s),
                Piece::Interp(n) => self.interpolation(n, parts),
            }
        }
    }

    fn interpolation(&mut self, node: Node, parts: &mut Vec<FPart>) {
        let f = &self.t.f;
        let (f_expr, f_conv, f_spec) = (f.expression, f.type_conversion, f.format_specifier);
        let value = self.opt_field_expr(node, f_expr);
        let mut conversion = self
            .field(node, f_conv)
            .and_then(|c| self.text(c).chars().nth(1));
        let spec = self.field(node, f_spec).map(|s| self.format_spec(s));
        // `f"{x=}"` prints the expression text, then its repr.
        let equals = fielded(node).find(|(_, c)| !c.is_named() && c.kind() == "=");
        if let Some((_, eq)) = equals {
            let start = node.start_byte().saturating_add(1);
            if let Some(text) = self.src.get(start..eq.end_byte()) {
                push_lit(parts, text);
            }
            if conversion.is_none() && spec.is_none() {
                conversion = Some('r');
            }
        }
        parts.push(FPart::Value {
            value,
            conversion,
            spec,
        });
    }

    /// Spec text without the leading `:` and without nested replacement fields.
    fn format_spec(&self, node: Node) -> String {
        let mut out = String::new();
        let mut pos = node.start_byte();
        for (_, child) in fielded(node) {
            if self.kind(child) == Kind::FormatExpression {
                out.push_str(self.src.get(pos..child.start_byte()).unwrap_or(""));
                pos = child.end_byte();
            }
        }
        out.push_str(self.src.get(pos..node.end_byte()).unwrap_or(""));
        match out.strip_prefix(':') {
            Some(rest) => rest.to_string(),
            None => out,
        }
    }

    /// Adjacent literals: one `Str`, one `Bytes`, or one f-string if any part is one.
    fn concatenated(&mut self, node: Node) -> ExprKind {
        let strings: Vec<Node> = named(node)
            .filter(|c| self.kind(*c) == Kind::String)
            .collect();
        let prefixes: Vec<_> = strings
            .iter()
            .map(|s| string_prefix(self.t, self.src, *s))
            .collect();
        let bytes = prefixes.iter().filter(|p| p.bytes).count();
        if bytes == strings.len() {
            let mut out = Vec::new();
            for (s, p) in strings.iter().zip(&prefixes) {
                out.extend(string_bytes(self.t, self.src, *s, *p));
            }
            return ExprKind::Const(Const::Bytes(out.into()));
        }
        if bytes != 0 {
            return ExprKind::Unknown;
        }
        if prefixes.iter().any(|p| p.format) {
            let mut parts = Vec::new();
            for (s, p) in strings.iter().zip(&prefixes) {
                self.fstring_parts(*s, *p, &mut parts);
            }
            return ExprKind::FString(parts);
        }
        let mut text = String::new();
        for (s, p) in strings.iter().zip(&prefixes) {
            for piece in string_pieces(self.t, self.src, *s, *p) {
                if let Piece::Lit(lit) = piece {
                    text.push_str(&lit);
                }
            }
        }
        ExprKind::Const(Const::Str(text.into()))
    }

    // ---- targets ------------------------------------------------------------------

    /// An assignment target. Unusable targets (syntax errors, `f() = 1`) become an
    /// empty tuple target, which binds nothing.
    pub(super) fn lower_target(&mut self, node: Node) -> Target {
        let node = self.unparen(node);
        let span = span_of(node);
        let target = if self.enter(node) {
            self.target_inner(node)
        } else {
            Target::Tuple(Vec::new(), span)
        };
        self.leave();
        target
    }

    fn target_inner(&mut self, node: Node) -> Target {
        let span = span_of(node);
        match self.kind(node) {
            Kind::Identifier => self.resolve_target(self.text(node), span),
            Kind::Attribute => match self.attribute(node) {
                ExprKind::Attribute { value, attr } => Target::Attribute { value, attr, span },
                _ => Target::Tuple(Vec::new(), span),
            },
            Kind::Subscript => match self.subscript(node) {
                ExprKind::Subscript { value, index } => Target::Subscript { value, index, span },
                _ => Target::Tuple(Vec::new(), span),
            },
            Kind::PatternList
            | Kind::TuplePattern
            | Kind::ListPattern
            | Kind::Tuple
            | Kind::List
            | Kind::ExpressionList => {
                let items = named(node).map(|c| self.lower_target(c)).collect();
                Target::Tuple(items, span)
            }
            Kind::ListSplatPattern | Kind::ListSplat => {
                let inner = match named(node).next() {
                    Some(c) => self.lower_target(c),
                    None => Target::Tuple(Vec::new(), span),
                };
                Target::Starred(Box::new(inner), span)
            }
            _ => Target::Tuple(Vec::new(), span),
        }
    }

    // ---- patterns -----------------------------------------------------------------

    pub(super) fn lower_pattern(&mut self, node: Node) -> Pattern {
        let pattern = if self.enter(node) {
            self.pattern_inner(node)
        } else {
            Pattern::Other
        };
        self.leave();
        pattern
    }

    fn pattern_inner(&mut self, node: Node) -> Pattern {
        match self.kind(node) {
            Kind::CasePattern => {
                let mut items = self.pattern_items(node);
                if items.len() == 1 {
                    items.pop().unwrap_or(Pattern::Other)
                } else {
                    Pattern::Other
                }
            }
            Kind::UnionPattern => Pattern::Or(self.pattern_items(node)),
            Kind::ListPattern | Kind::TuplePattern => {
                let kids: Vec<Node> = named(node).collect();
                self.sequence_pattern(&kids)
            }
            Kind::AsPattern => {
                let kids: Vec<Node> = named(node).collect();
                let inner = kids
                    .iter()
                    .find(|c| self.kind(**c) != Kind::Identifier)
                    .map_or(Pattern::Other, |c| self.lower_pattern(*c));
                match kids
                    .iter()
                    .rev()
                    .find(|c| self.kind(**c) == Kind::Identifier)
                {
                    Some(name) => Pattern::As(Box::new(inner), self.text(*name).to_string()),
                    None => inner,
                }
            }
            Kind::DottedName => self.dotted_pattern(node),
            Kind::Integer
            | Kind::Float
            | Kind::String
            | Kind::ConcatenatedString
            | Kind::True
            | Kind::False
            | Kind::None => Pattern::Value(self.lower_expr(node)),
            _ => Pattern::Other,
        }
    }

    /// Sub-patterns among a node's children, pairing a `-` token with the number after it
    /// and reading the `_` token as the wildcard.
    fn pattern_items(&mut self, node: Node) -> Vec<Pattern> {
        let mut items = Vec::new();
        let mut minus: Option<Node> = None;
        for (_, child) in fielded(node) {
            if child.is_error() {
                continue;
            }
            if !child.is_named() {
                match child.kind() {
                    "-" => minus = Some(child),
                    "_" => items.push(Pattern::Wildcard(None)),
                    _ => {}
                }
                continue;
            }
            let pattern = self.lower_pattern(child);
            match (minus.take(), pattern) {
                (Some(m), Pattern::Value(e)) => {
                    let span = join_spans(span_of(m), e.span);
                    items.push(Pattern::Value(Expr::new(
                        ExprKind::UnaryOp {
                            op: UnaryOp::Neg,
                            operand: boxed(e),
                        },
                        span,
                    )));
                }
                (_, p) => items.push(p),
            }
        }
        items
    }

    /// `[a, *rest]`, `(a, b)`, or the open sequence of `case a, b:`.
    pub(super) fn sequence_pattern(&mut self, kids: &[Node]) -> Pattern {
        let mut items = Vec::new();
        let mut star = false;
        for child in kids {
            let is_splat = self.kind(*child) == Kind::SplatPattern
                || (self.kind(*child) == Kind::CasePattern
                    && named(*child)
                        .next()
                        .is_some_and(|c| self.kind(c) == Kind::SplatPattern));
            if is_splat {
                star = true;
            } else {
                items.push(self.lower_pattern(*child));
            }
        }
        Pattern::Sequence { items, star }
    }

    /// A lone name captures; a dotted name is a value looked up and compared.
    fn dotted_pattern(&mut self, node: Node) -> Pattern {
        let ids: Vec<Node> = named(node).collect();
        match ids.as_slice() {
            [one] => Pattern::Wildcard(Some(self.text(*one).to_string())),
            // Each part nests one attribute deeper in the IR.
            [first, rest @ ..] if !rest.is_empty() && ids.len() <= super::MAX_DEPTH as usize => {
                let mut expr = Expr::new(self.resolve(self.text(*first)), span_of(*first));
                let start = span_of(node);
                for id in rest {
                    let span = join_spans(start, span_of(*id));
                    expr = Expr::new(
                        ExprKind::Attribute {
                            value: boxed(expr),
                            attr: self.text(*id).to_string(),
                        },
                        span,
                    );
                }
                Pattern::Value(expr)
            }
            _ => Pattern::Other,
        }
    }
}
