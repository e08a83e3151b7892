//! Python front end: tree-sitter-python syntax tree to IR.
//!
//! The tree-sitter tree is first copied into a flat [`ast::Ast`] (collecting comments and
//! syntax errors on the way), then [`scan`] records every scope's bindings and all string
//! literals in one linear pass. The lowering then walks statements and expressions
//! recursively, resolving each name against the scope stack as it goes.
//!
//! Recursion is bounded by [`MAX_DEPTH`] and a stack budget, so deeply nested input
//! degrades to `Unknown`/`Unsupported` instead of overflowing the 2 MiB worker stacks; the
//! IR it produces is bounded the same way, so later recursive passes over it are safe.
//!
//! Scoping decisions beyond Python's own rules: a name bound in a scope only by imports
//! resolves to the import's qualified name in every scope (not just the module), so
//! `def f(): import yaml; yaml.load(s)` is still a call to `yaml.load`; `nonlocal` names
//! read as `Free` and are assigned as `Target::Local` (the IR has no free target);
//! comprehensions are inlined (PEP 709): their loop variables are `Local`, everything else
//! resolves as in the enclosing scope.

mod ast;
mod builtins;
mod expr;
mod imports;
mod kinds;
mod literal;
mod scan;
mod stmt;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use tree_sitter::{Parser, Tree};

use crate::ir::{
    Block, Class, ClassId, Expr, ExprKind, FuncId, Function, Import, Language, Module, Span, Stmt,
    StmtKind, Target,
};
use ast::{Ast, Extracted, Node};
use kinds::{Kind, Tables};
use scan::{Scan, ScopeInfo};

/// Statement plus expression nesting the lowering follows before giving up.
pub const MAX_DEPTH: u32 = 200;

/// Stack the lowering may use below its entry point, whatever the depth count says
/// (debug builds have much larger frames than release builds).
const STACK_BUDGET: usize = 1 << 20;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Run `f` with this thread's parser (created on first use; tree-sitter parsers are
/// meant to be reused).
fn with_parser<R>(f: impl FnOnce(&mut Parser) -> Option<R>) -> Option<R> {
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        f(slot.as_mut()?)
    })
}

fn parse(source: &str) -> Option<Tree> {
    with_parser(|parser| parser.parse(source, None))
}

pub(crate) fn span_of(node: Node) -> Span {
    node.span()
}

/// Span from the start of `a` to the end of `b`.
pub(crate) fn join_spans(a: Span, b: Span) -> Span {
    Span {
        start: a.start,
        line: a.line,
        col: a.col,
        end: b.end,
        end_line: b.end_line,
        end_col: b.end_col,
    }
}

/// Lower one Python file. Never fails: syntax errors and unsupported input are recorded
/// in the module and lowering carries on around them.
pub fn lower(path: &str, source: Arc<str>) -> Module {
    let mut module = Module::new(path, Language::Python, source.clone());
    let Some(tree) = parse(&source) else {
        module.notes.push("the Python parser gave no tree".into());
        module
            .functions
            .push(empty_function("<module>", Span::default()));
        return module;
    };
    let t = kinds::tables();
    let mut extracted = Extracted {
        comments: Vec::new(),
        syntax_errors: Vec::new(),
    };
    let ast = Ast::build(t, &source, &tree, &mut extracted);
    // The copy is all the lowering reads; free the tree before building the IR.
    drop(tree);
    let scanned = scan::scan(t, &source, &ast);
    let mut l = Lowerer::new(t, &source, scanned);
    match ast.root() {
        Some(root) => l.lower_module(root),
        None => l
            .functions
            .push(empty_function("<module>", Span::default())),
    }
    let Lowerer {
        functions,
        classes,
        imports,
        constants,
        notes,
        scan,
        ..
    } = l;
    module.functions = functions;
    module.classes = classes;
    module.imports = imports;
    module.constants = constants;
    module.notes = notes;
    module.syntax_errors = extracted.syntax_errors;
    module.comments = extracted.comments;
    module.strings = scan.strings;
    module
}

fn empty_function(name: &str, span: Span) -> Function {
    Function {
        name: name.to_string(),
        qualname: name.to_string(),
        params: Vec::new(),
        body: Vec::new(),
        span,
        name_span: span,
        decorators: Vec::new(),
        class: None,
        parent: None,
        is_async: false,
        locals: Vec::new(),
    }
}

/// One level of the name-resolution stack; the numbers index `Scan::scopes`.
enum Scope<'a> {
    Module,
    Function(usize),
    Class(usize),
    Lambda(usize),
    /// A comprehension's loop variables. Comprehensions are inlined (PEP 709), so other
    /// names inside resolve as in the enclosing scope.
    Comprehension(HashSet<&'a str>),
}

struct Lowerer<'a> {
    t: &'static Tables,
    src: &'a str,
    scan: Scan<'a>,
    empty_scope: ScopeInfo<'a>,
    scopes: Vec<Scope<'a>>,
    functions: Vec<Function>,
    classes: Vec<Class>,
    imports: Vec<Import>,
    constants: Vec<(String, Expr)>,
    notes: Vec<String>,
    depth: u32,
    too_deep_noted: bool,
    stack_base: usize,
    /// Function whose body is being lowered.
    cur_func: FuncId,
    /// Nearest enclosing real function (module or def), the `parent` of new defs.
    cur_parent: FuncId,
    /// Class whose body is being lowered directly (defs there are its methods).
    cur_class: Option<ClassId>,
    /// Prefix for qualnames of defs/classes created here (`f.<locals>.`, `C.`).
    qual_prefix: String,
    /// Compound statements around the current statement, within the current scope.
    nesting: u32,
    /// `try`/`if`/`match` blocks around the current statement (imports there are
    /// conditional).
    conditional: u32,
}

fn stack_addr() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl<'a> Lowerer<'a> {
    fn new(t: &'static Tables, src: &'a str, scan: Scan<'a>) -> Self {
        Lowerer {
            t,
            src,
            scan,
            empty_scope: ScopeInfo::default(),
            scopes: vec![Scope::Module],
            functions: Vec::new(),
            classes: Vec::new(),
            imports: Vec::new(),
            constants: Vec::new(),
            notes: Vec::new(),
            depth: 0,
            too_deep_noted: false,
            stack_base: stack_addr(),
            cur_func: 0,
            cur_parent: 0,
            cur_class: None,
            qual_prefix: String::new(),
            nesting: 0,
            conditional: 0,
        }
    }

    fn text(&self, node: Node) -> &'a str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    fn kind(&self, node: Node) -> Kind {
        self.t.kind(node)
    }

    fn field<'t>(&self, node: Node<'t>, id: u16) -> Option<Node<'t>> {
        if id == 0 {
            return None;
        }
        node.child_by_field_id(id)
            .filter(|c| !c.is_error() && !c.is_extra())
    }

    /// Enter one level of nesting. `false` means too deep: the caller must produce
    /// `Unknown`/`Unsupported` instead of descending. Either way, call [`Self::leave`].
    fn enter(&mut self, node: Node) -> bool {
        self.depth += 1;
        let used = self.stack_base.abs_diff(stack_addr());
        if self.depth <= MAX_DEPTH && used <= STACK_BUDGET {
            return true;
        }
        if !self.too_deep_noted {
            self.too_deep_noted = true;
            self.notes.push(format!(
                "line {}: nesting deeper than {MAX_DEPTH}; the rest of this expression is not analyzed",
                node.line()
            ));
        }
        false
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn scope_info(&self, idx: usize) -> &ScopeInfo<'a> {
        self.scan.scopes.get(idx).unwrap_or(&self.empty_scope)
    }

    fn module_scope(&self) -> &ScopeInfo<'a> {
        self.scope_info(0)
    }

    fn at_module_scope(&self) -> bool {
        matches!(
            self.scopes
                .iter()
                .rev()
                .find(|s| !matches!(s, Scope::Comprehension(_))),
            Some(Scope::Module) | None
        )
    }

    /// What a name means at module level.
    fn resolve_module(&self, name: &str) -> ExprKind {
        let module = self.module_scope();
        if let Some(q) = module.import_only(name) {
            return ExprKind::Global(q.to_string());
        }
        if module.bound.contains(name) || builtins::is_module_dunder(name) {
            return ExprKind::ModuleVar(name.to_string());
        }
        if builtins::is_builtin(name) {
            return ExprKind::Global(format!("builtins.{name}"));
        }
        ExprKind::Global(name.to_string())
    }

    /// Resolve a name read at the current point (see the scoping rules in DESIGN/IR docs).
    fn resolve(&self, name: &str) -> ExprKind {
        let mut current_seen = false;
        for scope in self.scopes.iter().rev() {
            let idx = match scope {
                Scope::Module => return self.resolve_module(name),
                Scope::Comprehension(vars) => {
                    if vars.contains(name) {
                        return if current_seen {
                            ExprKind::Free(name.to_string())
                        } else {
                            ExprKind::Local(name.to_string())
                        };
                    }
                    continue;
                }
                // Class bodies are not visible from the functions nested in them.
                Scope::Class(_) if current_seen => continue,
                Scope::Function(idx) | Scope::Class(idx) | Scope::Lambda(idx) => *idx,
            };
            let info = self.scope_info(idx);
            if info.globals.contains(name) {
                return self.resolve_module(name);
            }
            if info.nonlocals.contains(name) {
                if !current_seen {
                    return ExprKind::Free(name.to_string());
                }
                // Bound further out; keep looking.
                continue;
            }
            if info.bound.contains(name) {
                if let Some(q) = info.import_only(name) {
                    return ExprKind::Global(q.to_string());
                }
                return if current_seen {
                    ExprKind::Free(name.to_string())
                } else {
                    ExprKind::Local(name.to_string())
                };
            }
            current_seen = true;
        }
        self.resolve_module(name)
    }

    /// Resolve a name being assigned at the current point.
    fn resolve_target(&self, name: &str, span: Span) -> Target {
        for scope in self.scopes.iter().rev() {
            match scope {
                Scope::Comprehension(vars) => {
                    if vars.contains(name) {
                        return Target::Local(name.to_string(), span);
                    }
                }
                Scope::Module => return Target::ModuleVar(name.to_string(), span),
                Scope::Function(idx) | Scope::Class(idx) | Scope::Lambda(idx) => {
                    if self.scope_info(*idx).globals.contains(name) {
                        return Target::ModuleVar(name.to_string(), span);
                    }
                    return Target::Local(name.to_string(), span);
                }
            }
        }
        Target::ModuleVar(name.to_string(), span)
    }

    fn lower_module(&mut self, root: Node) {
        let span = span_of(root);
        let mut module_fn = empty_function("<module>", span);
        module_fn.name_span = Span {
            end: span.start,
            end_line: span.line,
            end_col: span.col,
            ..span
        };
        module_fn.locals = self.module_scope().locals();
        self.functions.push(module_fn);
        let body = self.lower_block(root);
        if let Some(f) = self.functions.first_mut() {
            f.body = body;
        }
    }

    /// Lower a statement list (`module`, `block`, or an `ERROR` holding statements).
    fn lower_block(&mut self, node: Node) -> Block {
        let mut out = Vec::new();
        for child in kinds::statements(node) {
            self.lower_stmt(child, &mut out);
        }
        out
    }

    /// `block` child of a clause, or an empty block when the parser lost it.
    fn lower_opt_block(&mut self, node: Option<Node>) -> Block {
        match node {
            Some(n) => self.lower_block(n),
            None => Vec::new(),
        }
    }

    fn too_deep_stmt(&self, node: Node) -> Stmt {
        Stmt {
            kind: StmtKind::Unsupported("nesting too deep".into()),
            span: span_of(node),
        }
    }

    fn unknown(node: Node) -> Expr {
        Expr::new(ExprKind::Unknown, span_of(node))
    }
}
