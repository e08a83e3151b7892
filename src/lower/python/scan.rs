//! One linear pass over the whole syntax tree, before lowering.
//!
//! Lowering resolves every name as it meets it, which needs each scope's full set of
//! bindings up front (a name assigned anywhere in a function is local everywhere in it).
//! This pass collects them for every scope, together with the string literals, which
//! must be complete even where lowering gives up. The [`Ast`] is in pre-order, so the
//! pass is a loop over it: a node's binding mode derives from its parent's, which was
//! computed earlier, and nesting depth costs nothing.

use std::collections::{HashMap, HashSet};

use super::ast::{Ast, Node};

use super::kinds::{Kind, Tables, named};
use super::literal::string_text;
use super::span_of;
use crate::ir::Span;

/// Bindings of one scope (module, function, class body or lambda).
#[derive(Default, Debug)]
pub(crate) struct ScopeInfo<'a> {
    /// Bound names in order of first binding (parameters first).
    pub order: Vec<&'a str>,
    pub bound: HashSet<&'a str>,
    /// Names bound by anything other than an import.
    pub other: HashSet<&'a str>,
    /// Import bindings: alias -> what a reference to it means (the last import wins).
    pub imports: HashMap<&'a str, String>,
    pub globals: HashSet<&'a str>,
    pub nonlocals: HashSet<&'a str>,
    /// How many times each name is bound (module scope only).
    pub counts: HashMap<&'a str, u32>,
}

impl ScopeInfo<'_> {
    /// Qualified name a reference resolves to when the name is bound here only by imports.
    pub fn import_only(&self, name: &str) -> Option<&str> {
        if self.other.contains(name) {
            return None;
        }
        self.imports.get(name).map(String::as_str)
    }

    /// Names bound here and not declared `global`/`nonlocal`, in binding order.
    pub fn locals(&self) -> Vec<String> {
        self.order
            .iter()
            .filter(|n| !self.globals.contains(*n) && !self.nonlocals.contains(*n))
            .map(|n| n.to_string())
            .collect()
    }
}

pub(crate) struct Scan<'a> {
    /// Index 0 is the module scope.
    pub scopes: Vec<ScopeInfo<'a>>,
    /// Scope index of each `function_definition`, `class_definition` and `lambda` node.
    pub by_node: HashMap<usize, usize>,
    /// Names declared `global` anywhere in the file.
    pub all_globals: HashSet<&'a str>,
    pub strings: Vec<(Span, std::sync::Arc<str>)>,
}

/// How identifiers under a node relate to binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// References only.
    Plain,
    /// Assignment-like target: identifiers are bound.
    Target,
    /// An annotation without value (`x: int`): makes a function name local, but binds
    /// nothing at run time, so it does not count against module constants.
    Declare,
    /// Inside `parameters`: identifiers are parameter names.
    Param,
    /// Inside a `case` pattern: captures are bound, class names and keywords are not.
    Pattern,
    /// Nothing below binds (import and global statements, def names).
    Skip,
}

#[derive(Clone, Copy)]
struct Frame {
    kind: Kind,
    mode: Mode,
    /// Mode of an assignment's `left` child.
    left_mode: Mode,
}

struct Scanner<'a> {
    t: &'static Tables,
    src: &'a str,
    scan: Scan<'a>,
    /// Open scopes, innermost last: (scope index, end of its subtree). The module scope
    /// (index 0) is never popped.
    stack: Vec<(usize, usize)>,
}

pub(crate) fn scan<'a>(t: &'static Tables, src: &'a str, ast: &Ast) -> Scan<'a> {
    let mut s = Scanner {
        t,
        src,
        scan: Scan {
            scopes: vec![ScopeInfo::default()],
            by_node: HashMap::new(),
            all_globals: HashSet::new(),
            strings: Vec::new(),
        },
        stack: vec![(0, usize::MAX)],
    };
    let mut frames: Vec<Frame> = Vec::with_capacity(ast.len());
    for idx in 0..ast.len() {
        let Some(node) = ast.get(idx) else { break };
        while s.stack.len() > 1 && s.stack.last().is_some_and(|&(_, end)| idx >= end) {
            s.pop_scope();
        }
        let parent = node.parent().and_then(|p| frames.get(p.id())).copied();
        let frame = s.enter(node, parent.as_ref());
        frames.push(frame);
    }
    while s.stack.len() > 1 {
        s.pop_scope();
    }
    s.scan
}

impl<'a> Scanner<'a> {
    fn text(&self, node: Node) -> &'a str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    fn current(&mut self) -> &mut ScopeInfo<'a> {
        let idx = self.stack.last().map_or(0, |&(i, _)| i);
        // The stack only ever holds indices of pushed scopes; fall back to the module.
        let idx = if idx < self.scan.scopes.len() { idx } else { 0 };
        &mut self.scan.scopes[idx]
    }

    fn bind(&mut self, name: &'a str, import: Option<String>, count: bool) {
        if name.is_empty() {
            return;
        }
        let at_module = self.stack.len() == 1;
        let scope = self.current();
        if scope.bound.insert(name) {
            scope.order.push(name);
        }
        match import {
            Some(q) => {
                scope.imports.insert(name, q);
            }
            None => {
                scope.other.insert(name);
            }
        }
        if at_module && count {
            *scope.counts.entry(name).or_default() += 1;
        }
    }

    fn push_scope(&mut self, node: Node) {
        let idx = self.scan.scopes.len();
        self.scan.scopes.push(ScopeInfo::default());
        self.scan.by_node.insert(node.id(), idx);
        self.stack.push((idx, node.subtree_end()));
    }

    fn pop_scope(&mut self) {
        let Some((idx, _)) = self.stack.pop() else {
            return;
        };
        if idx == 0 || idx >= self.scan.scopes.len() {
            return;
        }
        // `global x` plus an assignment in a function binds the module-level `x`.
        let rebound: Vec<&'a str> = {
            let scope = &self.scan.scopes[idx];
            scope
                .globals
                .iter()
                .filter(|n| scope.bound.contains(*n))
                .copied()
                .collect()
        };
        let module = &mut self.scan.scopes[0];
        for name in rebound {
            if module.bound.insert(name) {
                module.order.push(name);
            }
            module.other.insert(name);
            *module.counts.entry(name).or_default() += 1;
        }
    }

    fn enter(&mut self, node: Node, parent: Option<&Frame>) -> Frame {
        let t = self.t;
        let kind = t.kind(node);
        let mode = match parent {
            Some(p) => self.child_mode(p, node.field(), kind),
            None => Mode::Plain,
        };
        let mut frame = Frame {
            kind,
            mode,
            left_mode: Mode::Target,
        };
        if !node.is_named() {
            return frame;
        }
        match kind {
            Kind::String => {
                if let Some(text) = string_text(t, self.src, node) {
                    self.scan.strings.push((span_of(node), text.into()));
                }
            }
            Kind::Identifier => match mode {
                Mode::Target | Mode::Param => self.bind(self.text(node), None, true),
                Mode::Declare => self.bind(self.text(node), None, false),
                _ => {}
            },
            Kind::DottedName if mode == Mode::Pattern => {
                // A lone name in a pattern is a capture; dotted names are values.
                if let [id] = named(node).collect::<Vec<_>>().as_slice()
                    && t.kind(*id) == Kind::Identifier
                {
                    self.bind(self.text(*id), None, true);
                }
                frame.mode = Mode::Skip;
            }
            Kind::NamedExpression => {
                if let Some(name) = node.child_by_field_id(t.f.name) {
                    self.bind(self.text(name), None, true);
                }
            }
            Kind::Assignment if node.child_by_field_id(t.f.right).is_none() => {
                frame.left_mode = Mode::Declare;
            }
            Kind::FunctionDefinition | Kind::ClassDefinition | Kind::Lambda => {
                if kind != Kind::Lambda
                    && let Some(name) = node.child_by_field_id(t.f.name)
                {
                    self.bind(self.text(name), None, true);
                }
                self.push_scope(node);
            }
            Kind::GlobalStatement | Kind::NonlocalStatement => {
                for id in named(node) {
                    if t.kind(id) != Kind::Identifier {
                        continue;
                    }
                    let name = self.text(id);
                    if kind == Kind::GlobalStatement {
                        self.current().globals.insert(name);
                        self.scan.all_globals.insert(name);
                    } else {
                        self.current().nonlocals.insert(name);
                    }
                }
                frame.mode = Mode::Skip;
            }
            Kind::ImportStatement | Kind::ImportFromStatement | Kind::FutureImportStatement => {
                for b in super::imports::bindings(t, self.src, node) {
                    if !b.star {
                        self.bind(b.alias, Some(b.resolved), true);
                    }
                }
                frame.mode = Mode::Skip;
            }
            _ => {}
        }
        frame
    }

    /// The binding mode of a child, from its parent and the field it sits in.
    fn child_mode(&self, parent: &Frame, field: u16, kind: Kind) -> Mode {
        let f = &self.t.f;
        if parent.mode == Mode::Skip {
            return Mode::Skip;
        }
        match parent.kind {
            Kind::Assignment if field == f.left => parent.left_mode,
            Kind::AugmentedAssignment | Kind::ForStatement if field == f.left => Mode::Target,
            Kind::TypeAliasStatement if field == f.left => Mode::Target,
            Kind::AsPatternTarget | Kind::DeleteStatement => Mode::Target,
            Kind::FunctionDefinition | Kind::ClassDefinition if field == f.name => Mode::Skip,
            Kind::Parameters | Kind::LambdaParameters => Mode::Param,
            Kind::TypedParameter if field == f.ty => Mode::Plain,
            Kind::DefaultParameter | Kind::TypedDefaultParameter => {
                if field == f.name {
                    Mode::Param
                } else {
                    Mode::Plain
                }
            }
            Kind::CasePattern => Mode::Pattern,
            _ => match parent.mode {
                Mode::Target | Mode::Declare | Mode::Param => match parent.kind {
                    Kind::PatternList
                    | Kind::TuplePattern
                    | Kind::ListPattern
                    | Kind::ListSplatPattern
                    | Kind::DictionarySplatPattern
                    | Kind::TypedParameter
                    | Kind::Tuple
                    | Kind::List
                    | Kind::ParenthesizedExpression
                    | Kind::ListSplat
                    | Kind::ExpressionList
                    | Kind::Type => parent.mode,
                    _ => Mode::Plain,
                },
                Mode::Pattern => match parent.kind {
                    Kind::AsPattern | Kind::SplatPattern if kind == Kind::Identifier => {
                        Mode::Target
                    }
                    Kind::KeywordPattern if kind == Kind::Identifier => Mode::Plain,
                    Kind::ClassPattern if kind == Kind::DottedName => Mode::Plain,
                    Kind::DictPattern if field == f.key => Mode::Plain,
                    Kind::UnionPattern
                    | Kind::ListPattern
                    | Kind::TuplePattern
                    | Kind::AsPattern
                    | Kind::KeywordPattern
                    | Kind::ClassPattern
                    | Kind::DictPattern
                    | Kind::SplatPattern => Mode::Pattern,
                    _ => Mode::Plain,
                },
                _ => Mode::Plain,
            },
        }
    }
}
