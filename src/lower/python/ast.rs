//! A flat, pre-order copy of the tree-sitter syntax tree.
//!
//! Walking a tree-sitter tree costs about 100 ns per node (the cursor steps through hidden
//! grammar nodes and recomputes positions), and the front end needs the tree more than
//! once: the scope scan, then the lowering with its field lookups. Copying it once into
//! an array makes every later step plain indexing: children are the nodes that follow
//! their parent, each subtree is a contiguous range, and the scan is a linear loop.
//! Comments are taken out while copying (they are extras that could sit anywhere), and
//! syntax errors are recorded, so the copy holds only syntax the lowering reads.

use tree_sitter::TreeCursor;

use super::kinds::{Kind, Tables};
use crate::ir::Span;

const NAMED: u8 = 1;
const EXTRA: u8 = 2;
const MISSING: u8 = 4;

const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Raw {
    start: u32,
    end: u32,
    start_row: u32,
    end_row: u32,
    parent: u32,
    /// One past the last node of this subtree: also the next sibling, if any.
    subtree_end: u32,
    kind: u16,
    /// Field this node occupies in its parent (0 for none).
    field: u16,
    flags: u8,
}

const PLACEHOLDER: Raw = Raw {
    start: 0,
    end: 0,
    start_row: 0,
    end_row: 0,
    parent: NONE,
    subtree_end: 0,
    kind: 0,
    field: 0,
    flags: 0,
};

pub(crate) struct Ast {
    nodes: Vec<Raw>,
    /// Byte offset of each line start; tree-sitter counts rows by `\n` only, so this
    /// matches its rows exactly.
    line_starts: Vec<u32>,
    t: &'static Tables,
}

/// What copying found besides the syntax.
pub(crate) struct Extracted {
    pub comments: Vec<(Span, String)>,
    pub syntax_errors: Vec<Span>,
}

fn u(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn ts_span(node: tree_sitter::Node) -> Span {
    let start = node.start_position();
    let end = node.end_position();
    Span {
        start: u(node.start_byte()),
        end: u(node.end_byte()),
        line: u(start.row).saturating_add(1),
        col: u(start.column).saturating_add(1),
        end_line: u(end.row).saturating_add(1),
        end_col: u(end.column).saturating_add(1),
    }
}

/// At most this many re-parses after module-level syntax errors per file...
const MAX_RECOVERIES: u32 = 8;

struct Builder<'s, 'e> {
    t: &'static Tables,
    src: &'s str,
    nodes: Vec<Raw>,
    line_starts: Vec<u32>,
    ex: &'e mut Extracted,
    recoveries: u32,
    /// ...and no more bytes re-parsed than twice the file.
    reparse_budget: usize,
}

impl Builder<'_, '_> {
    fn push(&mut self, node: tree_sitter::Node, field: u16, parent: u32) -> u32 {
        let idx = u(self.nodes.len());
        let mut flags = 0;
        if node.is_named() {
            flags |= NAMED;
        }
        if node.is_extra() {
            flags |= EXTRA;
        }
        if node.is_missing() {
            flags |= MISSING;
        }
        self.nodes.push(Raw {
            start: u(node.start_byte()),
            end: u(node.end_byte()),
            start_row: u(node.start_position().row),
            end_row: u(node.end_position().row),
            parent,
            subtree_end: idx.saturating_add(1),
            kind: node.kind_id(),
            field,
            flags,
        });
        idx
    }

    fn comment(&mut self, node: tree_sitter::Node) {
        let text = self.src.get(node.byte_range()).unwrap_or("");
        let body = text.strip_prefix('#').unwrap_or(text);
        self.ex.comments.push((ts_span(node), body.to_string()));
    }

    fn close(&mut self, idx: u32) {
        let end = u(self.nodes.len());
        if let Some(raw) = self.nodes.get_mut(idx as usize) {
            raw.subtree_end = end;
        }
    }

    /// Copy the subtree under `cursor` (rooted at the node to copy), in pre-order.
    /// `errors_open` says whether it already sits inside a recorded error.
    fn copy(&mut self, cursor: &mut TreeCursor, parent: u32, mut errors_open: u32) {
        // Arena indices of the ancestors being filled.
        let mut open: Vec<u32> = Vec::new();
        'walk: loop {
            let node = cursor.node();
            let kind = self.t.kind_ts(node);
            let is_error = kind == Kind::Error;
            if kind == Kind::Comment {
                self.comment(node);
            }
            // Comments and line continuations are extras that carry no syntax.
            if is_error || !node.is_extra() {
                if (is_error || node.is_missing()) && errors_open == 0 {
                    self.ex.syntax_errors.push(ts_span(node));
                }
                let field = cursor.field_id().map_or(0, |f| f.get());
                let idx = self.push(node, field, open.last().copied().unwrap_or(parent));
                if cursor.goto_first_child() {
                    open.push(idx);
                    if is_error {
                        errors_open += 1;
                    }
                    continue 'walk;
                }
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                if let Some(p) = open.pop() {
                    self.close(p);
                    if self
                        .nodes
                        .get(p as usize)
                        .is_some_and(|r| r.kind == u16::MAX)
                    {
                        errors_open = errors_open.saturating_sub(1);
                    }
                }
            }
        }
    }

    /// Copy the statements of a module. An `ERROR` spanning several lines (typically an
    /// unclosed bracket that swallowed the rest of the file) is cut at the next line that
    /// starts a statement in column 0, and the text from there is parsed again.
    fn module_children(&mut self, root: tree_sitter::Node, parent: u32) {
        let mut cursor = root.walk();
        if !cursor.goto_first_child() {
            return;
        }
        loop {
            let child = cursor.node();
            let restart = if child.is_error() && self.recoveries < MAX_RECOVERIES {
                self.restart_point(child)
            } else {
                None
            };
            match restart {
                Some(at) => {
                    self.recoveries += 1;
                    self.truncated_error(child, at, parent);
                    let len = child.end_byte().saturating_sub(at);
                    self.reparse_budget = self.reparse_budget.saturating_sub(len);
                    if let Some(tree) = reparse(self.src, at, child, self.row_of(at)) {
                        self.module_children(tree.root_node(), parent);
                    }
                }
                None => self.copy(&mut child.walk(), parent, 0),
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }

    fn row_of(&self, byte: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s as usize <= byte)
            .saturating_sub(1)
    }

    /// First line after the error's first line that begins, in column 0, with what can
    /// start a statement (not a continuation clause like `else:`).
    fn restart_point(&self, error: tree_sitter::Node) -> Option<usize> {
        let (start, end) = (error.start_byte(), error.end_byte());
        if end.saturating_sub(start) > self.reparse_budget {
            return None;
        }
        let first_row = error.start_position().row;
        for &line_start in self.line_starts.get(first_row + 1..)? {
            let line_start = line_start as usize;
            if line_start >= end {
                break;
            }
            let line = self.src.get(line_start..end).unwrap_or("");
            let first = line.chars().next().unwrap_or(' ');
            if !(first.is_alphabetic() || first == '_' || first == '@') {
                continue;
            }
            let word: String = line
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if matches!(word.as_str(), "else" | "elif" | "except" | "finally") {
                continue;
            }
            return Some(line_start);
        }
        None
    }

    /// Keep the part of an error before `at`: the node itself and its children that end
    /// by then.
    fn truncated_error(&mut self, error: tree_sitter::Node, at: usize, parent: u32) {
        let at_row = self.row_of(at);
        let line_start = self.line_starts.get(at_row).copied().unwrap_or(0);
        self.ex.syntax_errors.push(Span {
            end: u(at),
            end_line: u(at_row).saturating_add(1),
            end_col: u(at).saturating_sub(line_start).saturating_add(1),
            ..ts_span(error)
        });
        let idx = self.push(error, 0, parent);
        if let Some(raw) = self.nodes.get_mut(idx as usize) {
            raw.end = u(at);
            raw.end_row = u(at_row);
        }
        let mut cursor = error.walk();
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if child.end_byte() <= at {
                    self.copy(&mut child.walk(), idx, 1);
                } else if child.start_byte() < at {
                    self.comments_before(child, at);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        self.close(idx);
    }
}

impl Builder<'_, '_> {
    /// Comments of a dropped error fragment that lie before `at` (the rest is parsed
    /// again); they may hold suppressions.
    fn comments_before(&mut self, node: tree_sitter::Node, at: usize) {
        let mut cursor = node.walk();
        'walk: loop {
            let n = cursor.node();
            if n.start_byte() >= at {
                break;
            }
            if self.t.kind_ts(n) == Kind::Comment {
                self.comment(n);
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
    }
}

/// Parse `src[at..error end]` on its own, with positions kept in file coordinates.
fn reparse(
    src: &str,
    at: usize,
    error: tree_sitter::Node,
    at_row: usize,
) -> Option<tree_sitter::Tree> {
    let range = tree_sitter::Range {
        start_byte: at,
        end_byte: error.end_byte(),
        start_point: tree_sitter::Point {
            row: at_row,
            column: 0,
        },
        end_point: error.end_position(),
    };
    super::with_parser(|parser| {
        parser.set_included_ranges(&[range]).ok()?;
        let tree = parser.parse(src, None);
        // Back to whole-file parsing for the next caller.
        let _ = parser.set_included_ranges(&[]);
        tree
    })
}

impl Ast {
    pub fn build(
        t: &'static Tables,
        src: &str,
        tree: &tree_sitter::Tree,
        ex: &mut Extracted,
    ) -> Ast {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u(i + 1)),
        );
        let mut b = Builder {
            t,
            src,
            nodes: Vec::with_capacity(src.len() / 5),
            line_starts,
            ex,
            recoveries: 0,
            reparse_budget: src.len().saturating_mul(2),
        };
        let root = tree.root_node();
        let root_idx = b.push(root, 0, NONE);
        if root.is_error() {
            // The whole file is one error; its statements are still worth copying.
            b.ex.syntax_errors.push(ts_span(root));
        }
        b.module_children(root, root_idx);
        b.close(root_idx);
        if b.recoveries > 0 {
            b.ex.comments.sort_by_key(|(span, _)| span.start);
            b.ex.syntax_errors.sort_by_key(|span| span.start);
        }
        Ast {
            nodes: b.nodes,
            line_starts: b.line_starts,
            t,
        }
    }

    pub fn root(&self) -> Option<Node<'_>> {
        (!self.nodes.is_empty()).then_some(Node { ast: self, idx: 0 })
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The node at a pre-order index (`None` past the end).
    pub fn get(&self, idx: usize) -> Option<Node<'_>> {
        (idx < self.nodes.len()).then(|| Node {
            ast: self,
            idx: u(idx),
        })
    }
}

/// A node of an [`Ast`]: a cheap copyable handle.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a> {
    ast: &'a Ast,
    idx: u32,
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.kind(), self.start_byte())
    }
}

impl<'a> Node<'a> {
    fn raw(&self) -> &'a Raw {
        self.ast
            .nodes
            .get(self.idx as usize)
            .unwrap_or(&PLACEHOLDER)
    }

    /// Pre-order index, unique within the file.
    pub fn id(&self) -> usize {
        self.idx as usize
    }

    pub fn kind_id(&self) -> u16 {
        self.raw().kind
    }

    /// The grammar's name for the kind (anonymous tokens: their text, like `"not in"`).
    pub fn kind(&self) -> &'static str {
        self.ast.t.name_of_id(self.raw().kind)
    }

    /// The field this node occupies in its parent (0 for none).
    pub fn field(&self) -> u16 {
        self.raw().field
    }

    pub fn is_named(&self) -> bool {
        self.raw().flags & NAMED != 0
    }

    pub fn is_extra(&self) -> bool {
        self.raw().flags & EXTRA != 0
    }

    pub fn is_missing(&self) -> bool {
        self.raw().flags & MISSING != 0
    }

    pub fn is_error(&self) -> bool {
        self.raw().kind == u16::MAX
    }

    pub fn start_byte(&self) -> usize {
        self.raw().start as usize
    }

    pub fn end_byte(&self) -> usize {
        self.raw().end as usize
    }

    pub fn byte_range(&self) -> std::ops::Range<usize> {
        self.start_byte()..self.end_byte()
    }

    /// 1-based line of the start.
    pub fn line(&self) -> u32 {
        self.raw().start_row.saturating_add(1)
    }

    pub fn span(&self) -> Span {
        let r = self.raw();
        let col = |byte: u32, row: u32| {
            let line_start = self.ast.line_starts.get(row as usize).copied().unwrap_or(0);
            byte.saturating_sub(line_start).saturating_add(1)
        };
        Span {
            start: r.start,
            end: r.end,
            line: r.start_row.saturating_add(1),
            col: col(r.start, r.start_row),
            end_line: r.end_row.saturating_add(1),
            end_col: col(r.end, r.end_row),
        }
    }

    pub fn parent(&self) -> Option<Node<'a>> {
        let p = self.raw().parent;
        (p != NONE).then_some(Node {
            ast: self.ast,
            idx: p,
        })
    }

    /// One past the last pre-order index of this subtree.
    pub fn subtree_end(&self) -> usize {
        self.raw().subtree_end as usize
    }

    pub fn children(&self) -> Children<'a> {
        Children {
            ast: self.ast,
            next: self.idx.saturating_add(1),
            end: self.raw().subtree_end.min(u(self.ast.nodes.len())),
        }
    }

    pub fn first_child(&self) -> Option<Node<'a>> {
        self.children().next()
    }

    pub fn child_by_field_id(&self, field: u16) -> Option<Node<'a>> {
        if field == 0 {
            return None;
        }
        self.children().find(|c| c.field() == field)
    }
}

pub(crate) struct Children<'a> {
    ast: &'a Ast,
    next: u32,
    end: u32,
}

impl<'a> Iterator for Children<'a> {
    type Item = Node<'a>;

    fn next(&mut self) -> Option<Node<'a>> {
        if self.next >= self.end {
            return None;
        }
        let node = Node {
            ast: self.ast,
            idx: self.next,
        };
        // Guard against a malformed range ever stalling the iteration.
        self.next = node.raw().subtree_end.max(self.next.saturating_add(1));
        Some(node)
    }
}
