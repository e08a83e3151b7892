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

impl Ast {
    pub fn build(
        t: &'static Tables,
        src: &str,
        cursor: &mut TreeCursor,
        ex: &mut Extracted,
    ) -> Ast {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u(i + 1)),
        );
        let mut nodes: Vec<Raw> = Vec::with_capacity(src.len() / 5);
        // Arena indices of the ancestors being filled, and how many of them are errors.
        let mut open: Vec<u32> = Vec::new();
        let mut errors_open = 0u32;
        'walk: loop {
            let node = cursor.node();
            let kind = t.kind_ts(node);
            let is_error = kind == Kind::Error;
            let extra = node.is_extra();
            if kind == Kind::Comment {
                let text = src.get(node.byte_range()).unwrap_or("");
                let body = text.strip_prefix('#').unwrap_or(text);
                ex.comments.push((ts_span(node), body.to_string()));
            }
            let skip = extra && !is_error;
            if !skip {
                let missing = node.is_missing();
                if (is_error || missing) && errors_open == 0 {
                    ex.syntax_errors.push(ts_span(node));
                }
                let idx = u(nodes.len());
                let mut flags = 0;
                if node.is_named() {
                    flags |= NAMED;
                }
                if extra {
                    flags |= EXTRA;
                }
                if missing {
                    flags |= MISSING;
                }
                nodes.push(Raw {
                    start: u(node.start_byte()),
                    end: u(node.end_byte()),
                    start_row: u(node.start_position().row),
                    end_row: u(node.end_position().row),
                    parent: open.last().copied().unwrap_or(NONE),
                    subtree_end: idx.saturating_add(1),
                    kind: node.kind_id(),
                    field: cursor.field_id().map_or(0, |f| f.get()),
                    flags,
                });
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
                    let end = u(nodes.len());
                    if let Some(raw) = nodes.get_mut(p as usize) {
                        raw.subtree_end = end;
                        if raw.kind == u16::MAX {
                            errors_open = errors_open.saturating_sub(1);
                        }
                    }
                }
            }
        }
        Ast {
            nodes,
            line_starts,
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
