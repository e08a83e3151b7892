//! Basic-block control-flow graph derived from a structured body.
//!
//! Analyses walk the structured IR directly; this graph is for the questions that need
//! edges (reachability, loops). Statements are referenced by [`StmtPath`]: the indices
//! that lead from the body to the statement through nested blocks, in the order of
//! [`child_blocks`]. Compound statements appear in the block that evaluates their header
//! (an `if` condition, a loop's test or next item, a `with` context, a `match` subject)
//! and end it; `try` contributes no statement of its own.
//!
//! Approximations, kept on purpose: every block inside a `try` body may raise into each
//! handler (and into `finally`); `return`/`break`/`continue` jump straight to their
//! target without passing through `finally`; `with` never suppresses exceptions.

use super::{Block, Const, Expr, ExprKind, Span, Stmt, StmtKind};

/// Deeper statement nesting is treated as opaque, so that IR from any front end is safe.
const MAX_DEPTH: usize = 256;

/// Indices from a body to one statement: `[i]` is `body[i]`; `[i, b, j]` is statement `j`
/// of the `b`-th child block (see [`child_blocks`]) of `body[i]`; and so on.
pub type StmtPath = Vec<usize>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Straight-line flow into the next block.
    Fallthrough,
    /// Condition held (`if`/`while` test true, a loop got another item, a case matched).
    True,
    /// Condition failed (test false, iterator exhausted, no case matched).
    False,
    /// End of a loop body, or `continue`, back to the loop header.
    LoopBack,
    /// An exception raised in the source block.
    Exception,
    /// `return`, `break`, or a block's end flowing out of a structure.
    Jump,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    pub to: usize,
    pub kind: EdgeKind,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BasicBlock {
    /// Statements in execution order.
    pub stmts: Vec<StmtPath>,
    pub spans: Vec<Span>,
    pub succs: Vec<Edge>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cfg {
    pub blocks: Vec<BasicBlock>,
    pub entry: usize,
    /// The single exit: returns, uncaught raises and falling off the end lead here.
    pub exit: usize,
}

/// The nested blocks of a statement, in the order [`StmtPath`] indexes them:
/// if: then, else; while/for: body, else; try: body, handlers..., else, finally;
/// with: body; match: one per case.
pub fn child_blocks(stmt: &Stmt) -> Vec<&Block> {
    match &stmt.kind {
        StmtKind::If { then, orelse, .. } => vec![then, orelse],
        StmtKind::While { body, orelse, .. } | StmtKind::For { body, orelse, .. } => {
            vec![body, orelse]
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finally,
        } => {
            let mut v = vec![body];
            v.extend(handlers.iter().map(|h| &h.body));
            v.push(orelse);
            v.push(finally);
            v
        }
        StmtKind::With { body, .. } => vec![body],
        StmtKind::Match { cases, .. } => cases.iter().map(|c| &c.body).collect(),
        _ => Vec::new(),
    }
}

/// Every statement of a body, nested blocks included (not the bodies of nested
/// functions, which are functions of their own), parents before children.
pub fn statements(body: &Block) -> Vec<&Stmt> {
    let mut out = Vec::new();
    let mut stack: Vec<&Block> = vec![body];
    while let Some(block) = stack.pop() {
        for stmt in block {
            out.push(stmt);
            stack.extend(child_blocks(stmt));
        }
    }
    out
}

/// The statement a path leads to.
pub fn stmt_at<'b>(body: &'b Block, path: &[usize]) -> Option<&'b Stmt> {
    let (&first, mut rest) = path.split_first()?;
    let mut stmt = body.get(first)?;
    while let [block, index, tail @ ..] = rest {
        stmt = child_blocks(stmt).get(*block)?.get(*index)?;
        rest = tail;
    }
    rest.is_empty().then_some(stmt)
}

/// `Some(true)`/`Some(false)` for conditions whose truth is fixed by a literal.
fn const_truth(e: &Expr) -> Option<bool> {
    match &e.kind {
        ExprKind::Const(Const::Bool(b)) => Some(*b),
        ExprKind::Const(Const::Int(i)) => Some(*i != 0),
        ExprKind::Const(Const::None) => Some(false),
        ExprKind::Const(Const::Str(s)) => Some(!s.is_empty()),
        _ => None,
    }
}

fn is_irrefutable(p: &super::Pattern) -> bool {
    match p {
        super::Pattern::Wildcard(_) => true,
        super::Pattern::As(inner, _) => is_irrefutable(inner),
        super::Pattern::Or(items) => items.iter().any(is_irrefutable),
        _ => false,
    }
}

struct Loop {
    header: usize,
    after: usize,
}

struct Builder {
    blocks: Vec<BasicBlock>,
    exit: usize,
    loops: Vec<Loop>,
    /// Where an exception raised now goes: the entries of the innermost `try`'s
    /// handlers (or its `finally`), else the exit.
    catch: Vec<Vec<usize>>,
}

impl Builder {
    fn new_block(&mut self) -> usize {
        self.blocks.push(BasicBlock::default());
        self.blocks.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize, kind: EdgeKind) {
        if let Some(b) = self.blocks.get_mut(from) {
            let e = Edge { to, kind };
            if !b.succs.contains(&e) {
                b.succs.push(e);
            }
        }
    }

    fn push_stmt(&mut self, block: usize, path: &[usize], span: Span) {
        if let Some(b) = self.blocks.get_mut(block) {
            b.stmts.push(path.to_vec());
            b.spans.push(span);
        }
    }

    fn raise_targets(&self) -> Vec<usize> {
        self.catch
            .last()
            .cloned()
            .unwrap_or_else(|| vec![self.exit])
    }

    /// Lower `body` starting in block `cur`; returns the block where control continues
    /// afterwards, or `None` when every path has left (return, raise, break...).
    fn block(
        &mut self,
        body: &Block,
        cur: usize,
        path: &mut StmtPath,
        depth: usize,
    ) -> Option<usize> {
        let mut cur = Some(cur);
        for (i, stmt) in body.iter().enumerate() {
            // Statements after a jump still get a block: an unreachable one.
            let here = match cur {
                Some(c) => c,
                None => self.new_block(),
            };
            path.push(i);
            cur = self.stmt(stmt, here, path, depth);
            path.pop();
        }
        cur
    }

    fn sub_block(
        &mut self,
        block: &Block,
        which: usize,
        entry: usize,
        path: &mut StmtPath,
        depth: usize,
    ) -> Option<usize> {
        path.push(which);
        let end = self.block(block, entry, path, depth + 1);
        path.pop();
        end
    }

    fn stmt(
        &mut self,
        stmt: &Stmt,
        cur: usize,
        path: &mut StmtPath,
        depth: usize,
    ) -> Option<usize> {
        if depth > MAX_DEPTH {
            self.push_stmt(cur, path, stmt.span);
            return Some(cur);
        }
        match &stmt.kind {
            StmtKind::Return(_) => {
                self.push_stmt(cur, path, stmt.span);
                self.edge(cur, self.exit, EdgeKind::Jump);
                None
            }
            StmtKind::Raise(_) => {
                self.push_stmt(cur, path, stmt.span);
                for t in self.raise_targets() {
                    self.edge(cur, t, EdgeKind::Exception);
                }
                None
            }
            StmtKind::Break => {
                self.push_stmt(cur, path, stmt.span);
                if let Some(l) = self.loops.last() {
                    let after = l.after;
                    self.edge(cur, after, EdgeKind::Jump);
                }
                None
            }
            StmtKind::Continue => {
                self.push_stmt(cur, path, stmt.span);
                if let Some(l) = self.loops.last() {
                    let header = l.header;
                    self.edge(cur, header, EdgeKind::LoopBack);
                }
                None
            }
            StmtKind::If { cond, then, orelse } => {
                self.push_stmt(cur, path, stmt.span);
                let truth = const_truth(cond);
                let after = self.new_block();
                let then_entry = self.new_block();
                if truth != Some(false) {
                    self.edge(cur, then_entry, EdgeKind::True);
                }
                if let Some(end) = self.sub_block(then, 0, then_entry, path, depth) {
                    self.edge(end, after, EdgeKind::Fallthrough);
                }
                let else_entry = self.new_block();
                if truth != Some(true) {
                    self.edge(cur, else_entry, EdgeKind::False);
                }
                if let Some(end) = self.sub_block(orelse, 1, else_entry, path, depth) {
                    self.edge(end, after, EdgeKind::Fallthrough);
                }
                Some(after)
            }
            StmtKind::While { cond, body, orelse } => {
                let truth = const_truth(cond);
                let header = self.new_block();
                self.edge(cur, header, EdgeKind::Fallthrough);
                self.push_stmt(header, path, stmt.span);
                self.looping(header, truth, body, orelse, path, depth)
            }
            StmtKind::For { body, orelse, .. } => {
                let header = self.new_block();
                self.edge(cur, header, EdgeKind::Fallthrough);
                self.push_stmt(header, path, stmt.span);
                self.looping(header, None, body, orelse, path, depth)
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => self.try_stmt(cur, body, handlers, orelse, finally, path, depth),
            StmtKind::With { body, .. } => {
                self.push_stmt(cur, path, stmt.span);
                let entry = self.new_block();
                self.edge(cur, entry, EdgeKind::Fallthrough);
                self.sub_block(body, 0, entry, path, depth)
            }
            StmtKind::Match { cases, .. } => {
                self.push_stmt(cur, path, stmt.span);
                let after = self.new_block();
                let mut exhaustive = false;
                for (i, case) in cases.iter().enumerate() {
                    let entry = self.new_block();
                    self.edge(cur, entry, EdgeKind::True);
                    if let Some(end) = self.sub_block(&case.body, i, entry, path, depth) {
                        self.edge(end, after, EdgeKind::Fallthrough);
                    }
                    exhaustive |= case.guard.is_none() && is_irrefutable(&case.pattern);
                }
                if !exhaustive {
                    self.edge(cur, after, EdgeKind::False);
                }
                Some(after)
            }
            _ => {
                self.push_stmt(cur, path, stmt.span);
                Some(cur)
            }
        }
    }

    /// Shared by `while` and `for`: `header` already holds the loop statement.
    fn looping(
        &mut self,
        header: usize,
        truth: Option<bool>,
        body: &Block,
        orelse: &Block,
        path: &mut StmtPath,
        depth: usize,
    ) -> Option<usize> {
        let after = self.new_block();
        let body_entry = self.new_block();
        if truth != Some(false) {
            self.edge(header, body_entry, EdgeKind::True);
        }
        self.loops.push(Loop { header, after });
        let body_end = self.sub_block(body, 0, body_entry, path, depth);
        self.loops.pop();
        if let Some(end) = body_end {
            self.edge(end, header, EdgeKind::LoopBack);
        }
        let else_entry = self.new_block();
        if truth != Some(true) {
            self.edge(header, else_entry, EdgeKind::False);
        }
        if let Some(end) = self.sub_block(orelse, 1, else_entry, path, depth) {
            self.edge(end, after, EdgeKind::Fallthrough);
        }
        Some(after)
    }

    #[allow(clippy::too_many_arguments)]
    fn try_stmt(
        &mut self,
        cur: usize,
        body: &Block,
        handlers: &[super::Handler],
        orelse: &Block,
        finally: &Block,
        path: &mut StmtPath,
        depth: usize,
    ) -> Option<usize> {
        let after = self.new_block();
        let finally_entry = self.new_block();
        let handler_entries: Vec<usize> = handlers.iter().map(|_| self.new_block()).collect();
        let mut targets = handler_entries.clone();
        // An exception no handler catches still runs `finally` on its way out.
        if !finally.is_empty() || handlers.is_empty() {
            targets.push(finally_entry);
        }
        let body_entry = self.new_block();
        self.edge(cur, body_entry, EdgeKind::Fallthrough);
        let first = self.blocks.len() - 1;
        self.catch.push(targets.clone());
        let body_end = self.sub_block(body, 0, body_entry, path, depth);
        self.catch.pop();
        for b in first..self.blocks.len() {
            for &t in &targets {
                self.edge(b, t, EdgeKind::Exception);
            }
        }
        let n = handlers.len();
        if let Some(end) = body_end {
            let else_entry = self.new_block();
            self.edge(end, else_entry, EdgeKind::Fallthrough);
            if let Some(end) = self.sub_block(orelse, n + 1, else_entry, path, depth) {
                self.edge(end, finally_entry, EdgeKind::Fallthrough);
            }
        }
        for (i, h) in handlers.iter().enumerate() {
            let Some(&entry) = handler_entries.get(i) else {
                continue;
            };
            if let Some(end) = self.sub_block(&h.body, i + 1, entry, path, depth) {
                self.edge(end, finally_entry, EdgeKind::Fallthrough);
            }
        }
        let finally_end = self.sub_block(finally, n + 2, finally_entry, path, depth);
        if let Some(end) = finally_end {
            self.edge(end, after, EdgeKind::Fallthrough);
            // Re-raise of an exception that went through `finally` uncaught.
            if targets.contains(&finally_entry) {
                for t in self.raise_targets() {
                    self.edge(end, t, EdgeKind::Exception);
                }
            }
        }
        Some(after)
    }
}

/// Build the control-flow graph of a function body.
pub fn build(body: &Block) -> Cfg {
    let mut b = Builder {
        blocks: Vec::new(),
        exit: 0,
        loops: Vec::new(),
        catch: Vec::new(),
    };
    let entry = b.new_block();
    b.exit = b.new_block();
    let mut path = Vec::new();
    if let Some(end) = b.block(body, entry, &mut path, 0) {
        let exit = b.exit;
        b.edge(end, exit, EdgeKind::Fallthrough);
    }
    Cfg {
        blocks: b.blocks,
        entry,
        exit: b.exit,
    }
}

impl Cfg {
    /// Blocks reachable from the entry.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.blocks.len()];
        let mut stack = vec![self.entry];
        while let Some(b) = stack.pop() {
            match seen.get_mut(b) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            if let Some(block) = self.blocks.get(b) {
                stack.extend(block.succs.iter().map(|e| e.to));
            }
        }
        seen
    }
}

fn cover(stmts: &[Stmt]) -> Option<Span> {
    let first = stmts.first()?;
    let last = stmts.last()?;
    Some(Span {
        end: last.span.end,
        end_line: last.span.end_line,
        end_col: last.span.end_col,
        ..first.span
    })
}

/// Code that can never run: the statements after a `return`/`raise`/`break`/`continue`
/// in the same block (one span per such run), and the bodies of `if False:` and
/// `while False:` (and the `else` of `if True:`).
pub fn unreachable_statements(body: &Block) -> Vec<Span> {
    let mut out = Vec::new();
    collect_unreachable(body, &mut out, 0);
    out
}

fn collect_unreachable(body: &Block, out: &mut Vec<Span>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for (i, stmt) in body.iter().enumerate() {
        if matches!(
            stmt.kind,
            StmtKind::Return(_) | StmtKind::Raise(_) | StmtKind::Break | StmtKind::Continue
        ) {
            if let Some(span) = body.get(i + 1..).and_then(cover) {
                out.push(span);
            }
            return;
        }
        match &stmt.kind {
            StmtKind::If { cond, then, orelse } => match const_truth(cond) {
                Some(false) => {
                    out.extend(cover(then));
                    collect_unreachable(orelse, out, depth + 1);
                }
                Some(true) => {
                    collect_unreachable(then, out, depth + 1);
                    out.extend(cover(orelse));
                }
                None => {
                    collect_unreachable(then, out, depth + 1);
                    collect_unreachable(orelse, out, depth + 1);
                }
            },
            StmtKind::While { cond, body, orelse } if const_truth(cond) == Some(false) => {
                out.extend(cover(body));
                collect_unreachable(orelse, out, depth + 1);
            }
            _ => {
                for child in child_blocks(stmt) {
                    collect_unreachable(child, out, depth + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::python::lower;

    fn body(src: &str) -> Block {
        let m = lower("t.py", src.into());
        m.functions
            .into_iter()
            .next()
            .map(|f| f.body)
            .unwrap_or_default()
    }

    /// Lines of a block's statements, and its successors.
    type Shape = (Vec<u32>, Vec<(usize, EdgeKind)>);

    /// The shape of every block.
    fn shape(src: &str) -> (Cfg, Vec<Shape>) {
        let cfg = build(&body(src));
        let v = cfg
            .blocks
            .iter()
            .map(|b| {
                (
                    b.spans.iter().map(|s| s.line).collect(),
                    b.succs.iter().map(|e| (e.to, e.kind)).collect(),
                )
            })
            .collect();
        (cfg, v)
    }

    fn reachable_lines(src: &str) -> Vec<u32> {
        let cfg = build(&body(src));
        let reach = cfg.reachable();
        let mut lines: Vec<u32> = cfg
            .blocks
            .iter()
            .zip(reach)
            .filter(|(_, r)| *r)
            .flat_map(|(b, _)| b.spans.iter().map(|s| s.line))
            .collect();
        lines.sort_unstable();
        lines
    }

    #[test]
    fn straight_line_is_one_block() {
        let (cfg, blocks) = shape("a = 1\nb = 2\nprint(a)\n");
        assert_eq!(blocks[cfg.entry].0, [1, 2, 3]);
        assert_eq!(blocks[cfg.entry].1, [(cfg.exit, EdgeKind::Fallthrough)]);
        assert!(cfg.blocks[cfg.exit].succs.is_empty());
    }

    #[test]
    fn if_else_branches_and_joins() {
        let (cfg, blocks) = shape("if c:\n  a = 1\nelse:\n  a = 2\nprint(a)\n");
        let entry = &blocks[cfg.entry];
        assert_eq!(entry.0, [1]);
        let kinds: Vec<EdgeKind> = entry.1.iter().map(|e| e.1).collect();
        assert_eq!(kinds, [EdgeKind::True, EdgeKind::False]);
        let then_block = entry.1[0].0;
        let else_block = entry.1[1].0;
        assert_eq!(blocks[then_block].0, [2]);
        assert_eq!(blocks[else_block].0, [4]);
        let join = blocks[then_block].1[0].0;
        assert_eq!(blocks[else_block].1[0].0, join);
        assert_eq!(blocks[join].0, [5]);
        // Paths lead back to the statements.
        let b = body("if c:\n  a = 1\nelse:\n  a = 2\nprint(a)\n");
        let path = &cfg.blocks[else_block].stmts[0];
        assert_eq!(path, &vec![0, 1, 0]);
        assert_eq!(stmt_at(&b, path).map(|s| s.span.line), Some(4));
        assert!(stmt_at(&b, &[0, 5, 0]).is_none());
    }

    #[test]
    fn loops_have_back_edges_break_and_continue() {
        let src =
            "for x in xs:\n  if x:\n    continue\n  if y:\n    break\n  z()\nelse:\n  w()\nend()\n";
        let (cfg, blocks) = shape(src);
        let header = blocks[cfg.entry].1[0].0;
        assert_eq!(blocks[header].0, [1]);
        let back: Vec<usize> = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.1.contains(&(header, EdgeKind::LoopBack)))
            .map(|(i, _)| i)
            .collect();
        // `continue` and the end of the body.
        assert_eq!(back.len(), 2);
        let brk = blocks.iter().find(|b| b.0 == [5]).expect("break block");
        assert_eq!(brk.1.len(), 1);
        assert_eq!(brk.1[0].1, EdgeKind::Jump);
        assert_eq!(blocks[brk.1[0].0].0, [9]);
        assert_eq!(reachable_lines(src), [1, 2, 3, 4, 5, 6, 8, 9]);
    }

    #[test]
    fn while_true_only_exits_by_break() {
        let src = "while True:\n  if a:\n    break\nafter()\n";
        let (cfg, blocks) = shape(src);
        let header = blocks[cfg.entry].1[0].0;
        let kinds: Vec<EdgeKind> = blocks[header].1.iter().map(|e| e.1).collect();
        assert_eq!(kinds, [EdgeKind::True]);
        assert_eq!(reachable_lines(src), [1, 2, 3, 4]);
        assert_eq!(reachable_lines("while True:\n  pass\nafter()\n"), [1, 2]);
    }

    #[test]
    fn try_edges() {
        let src = "try:\n  a()\nexcept E:\n  b()\nelse:\n  c()\nfinally:\n  d()\ne()\n";
        let (cfg, blocks) = shape(src);
        assert_eq!(reachable_lines(src), [2, 4, 6, 8, 9]);
        let body_block = blocks.iter().position(|b| b.0 == [2]).expect("body");
        let handler = blocks.iter().position(|b| b.0 == [4]).expect("handler");
        assert!(
            blocks[body_block]
                .1
                .contains(&(handler, EdgeKind::Exception))
        );
        let _ = cfg;
        // A raise with no handler reaches the exit as an exception.
        let (cfg, blocks) = shape("raise E\n");
        assert_eq!(blocks[cfg.entry].1, [(cfg.exit, EdgeKind::Exception)]);
        // Raise inside try goes to the handler, and the code after it is still reachable.
        assert_eq!(
            reachable_lines("try:\n  raise E\nexcept E:\n  h()\nafter()\n"),
            [2, 4, 5]
        );
    }

    #[test]
    fn match_cases() {
        let src = "match x:\n  case 1:\n    a()\n  case _:\n    b()\nc()\n";
        let (cfg, blocks) = shape(src);
        let kinds: Vec<EdgeKind> = blocks[cfg.entry].1.iter().map(|e| e.1).collect();
        // A wildcard case makes the match exhaustive: no fall-through edge.
        assert_eq!(kinds, [EdgeKind::True, EdgeKind::True]);
        assert_eq!(reachable_lines(src), [1, 3, 5, 6]);
    }

    #[test]
    fn code_after_return_is_unreachable() {
        let src = "def f():\n  return 1\n  x = 2\n  y = 3\n";
        let m = lower("t.py", src.into());
        let f = &m.functions[1];
        let cfg = build(&f.body);
        let reach = cfg.reachable();
        let dead: Vec<u32> = cfg
            .blocks
            .iter()
            .zip(&reach)
            .filter(|(_, r)| !**r)
            .flat_map(|(b, _)| b.spans.iter().map(|s| s.line))
            .collect();
        assert_eq!(dead, [3, 4]);
        let spans = unreachable_statements(&f.body);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].line, spans[0].end_line), (3, 4));
    }

    #[test]
    fn unreachable_constant_branches() {
        let src = "if False:\n  a()\nwhile 0:\n  b()\nif True:\n  c()\nelse:\n  d()\n\
                   for x in y:\n  break\n  e()\nif z:\n  raise E\n  f()\n";
        let lines: Vec<u32> = unreachable_statements(&body(src))
            .iter()
            .map(|s| s.line)
            .collect();
        assert_eq!(lines, [2, 4, 8, 11, 14]);
        assert!(unreachable_statements(&body("if x:\n  return\ny()\n")).is_empty());
    }

    #[test]
    fn deep_ir_is_safe() {
        let mut src = String::new();
        for i in 0..400 {
            src.push_str(&" ".repeat(i));
            src.push_str("while x:\n");
        }
        src.push_str(&" ".repeat(400));
        src.push_str("break\n");
        let b = body(&src);
        let cfg = build(&b);
        assert!(cfg.blocks.len() > 2);
        let _ = unreachable_statements(&b);
    }
}
