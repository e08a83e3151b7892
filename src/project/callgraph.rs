//! The project's call graph, read from the IR, and its bottom-up order.
//!
//! Every function of every module is a node; an edge goes to each function a call in its
//! body names (a module function, a nested one, a function or class imported from another
//! module, `self.method` on the class or its bases in the project). The strongly connected
//! components are ordered by *level*: a component's level is one more than the highest
//! level among the components it calls. Analysis runs level by level, and a function may
//! use the summary of a callee only when the callee's level is lower, so every summary
//! depends on its function's code and its callees' summaries alone, never on thread count
//! or order. A component with a cycle (mutual or self recursion) gets no summary.

use super::{Def, Project, top_level_class, top_level_function};
use crate::ir::{ExprKind, FuncId, Module};

/// A function of the project: (module, function).
pub type Node = (usize, FuncId);

pub struct CallGraph {
    /// First node index of each module, so a node is `offsets[m] + f`.
    offsets: Vec<usize>,
    /// The callees of each node, as node indices.
    edges: Vec<Vec<usize>>,
    /// The other modules each node's calls looked up while resolving (see `Trace`).
    lookups: Vec<Vec<usize>>,
    /// Level of each node.
    level: Vec<u32>,
    /// Whether each node is on a cycle (its component has several nodes or calls itself).
    cyclic: Vec<bool>,
}

impl CallGraph {
    pub fn build(project: &Project) -> CallGraph {
        let mut offsets = Vec::with_capacity(project.modules.len());
        let mut total = 0;
        for m in &project.modules {
            offsets.push(total);
            total += m.functions.len();
        }
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); total];
        let mut lookups: Vec<Vec<usize>> = vec![Vec::new(); total];
        for (mi, module) in project.modules.iter().enumerate() {
            for fi in 0..module.functions.len() {
                let (found, trace) = super::traced(|| callees(project, mi, fi));
                let mut out: Vec<usize> = found.into_iter().map(|(m, f)| offsets[m] + f).collect();
                out.sort_unstable();
                out.dedup();
                edges[offsets[mi] + fi] = out;
                lookups[offsets[mi] + fi] = trace.modules;
            }
        }
        let comp = components(&edges);
        let count = comp.iter().max().map_or(0, |c| c + 1);
        // Tarjan numbers components in reverse topological order: callees first, so one
        // pass in numbering order sees every callee component's level before its callers.
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (n, c) in comp.iter().enumerate() {
            members[*c].push(n);
        }
        let mut comp_level = vec![0u32; count];
        let mut cyclic = vec![false; total];
        for c in 0..count {
            let nodes = &members[c];
            let mut level = 0;
            let mut cycle = nodes.len() > 1;
            for &n in nodes {
                for &t in &edges[n] {
                    if comp[t] == c {
                        cycle = true;
                    } else {
                        level = level.max(comp_level[comp[t]] + 1);
                    }
                }
            }
            comp_level[c] = level;
            if cycle {
                for &n in nodes {
                    cyclic[n] = true;
                }
            }
        }
        let level = comp.iter().map(|c| comp_level[*c]).collect();
        CallGraph {
            offsets,
            edges,
            lookups,
            level,
            cyclic,
        }
    }

    /// The index of a node (its slot in `levels`' numbering).
    pub fn index(&self, (m, f): Node) -> Option<usize> {
        let start = *self.offsets.get(m)?;
        let end = self.offsets.get(m + 1).copied().unwrap_or(self.level.len());
        (start + f < end).then_some(start + f)
    }

    /// How many functions the project has.
    pub fn len(&self) -> usize {
        self.level.len()
    }

    pub fn is_empty(&self) -> bool {
        self.level.is_empty()
    }

    /// The node an index stands for.
    pub fn node(&self, i: usize) -> Node {
        let m = self.offsets.partition_point(|&o| o <= i).saturating_sub(1);
        // Modules without functions share an offset with the next: take the last.
        (m, i - self.offsets[m])
    }

    /// The indices of a module's functions.
    pub fn functions_of(&self, m: usize) -> std::ops::Range<usize> {
        let start = self.offsets.get(m).copied().unwrap_or(self.level.len());
        let end = self.offsets.get(m + 1).copied().unwrap_or(self.level.len());
        start..end
    }

    /// The callees of node `i`, as indices.
    pub fn callees_of(&self, i: usize) -> &[usize] {
        self.edges.get(i).map_or(&[], Vec::as_slice)
    }

    /// The other modules node `i`'s calls looked up.
    pub fn lookups_of(&self, i: usize) -> &[usize] {
        self.lookups.get(i).map_or(&[], Vec::as_slice)
    }

    pub fn level(&self, n: Node) -> u32 {
        self.index(n)
            .and_then(|i| self.level.get(i).copied())
            .unwrap_or(u32::MAX)
    }

    pub fn cyclic(&self, n: Node) -> bool {
        self.index(n)
            .and_then(|i| self.cyclic.get(i).copied())
            .unwrap_or(true)
    }

    /// The nodes of each level, lowest first, each level in (module, function) order.
    pub fn levels(&self) -> Vec<Vec<Node>> {
        let top = self.level.iter().max().copied().unwrap_or(0) as usize;
        let mut out: Vec<Vec<Node>> =
            vec![Vec::new(); if self.level.is_empty() { 0 } else { top + 1 }];
        for (m, start) in self.offsets.iter().enumerate() {
            let end = self.offsets.get(m + 1).copied().unwrap_or(self.level.len());
            for i in *start..end {
                out[self.level[i] as usize].push((m, i - start));
            }
        }
        out
    }
}

/// The functions a function's calls name, as far as the IR tells without running it.
pub fn callees(project: &Project, m: usize, f: FuncId) -> Vec<Node> {
    let Some(module) = project.modules.get(m) else {
        return Vec::new();
    };
    let Some(func) = module.functions.get(f) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut calls = crate::ir::walk::calls(&func.body);
    // A `def` in the body evaluates its defaults and decorators here, in this function.
    for stmt in crate::ir::cfg::statements(&func.body) {
        if let crate::ir::StmtKind::FunctionDef(id) = &stmt.kind
            && let Some(g) = module.functions.get(*id)
        {
            let evaluated = g
                .params
                .iter()
                .filter_map(|p| p.default.as_ref())
                .chain(&g.decorators)
                .collect();
            crate::ir::walk::calls_into(evaluated, &mut calls);
        }
    }
    for call in calls {
        let ExprKind::Call { func: callee, .. } = &call.kind else {
            continue;
        };
        match &callee.kind {
            ExprKind::ModuleVar(n) | ExprKind::Local(n) | ExprKind::Free(n) => {
                if let Some(nested) = nested_function(module, f, n) {
                    out.push((m, nested));
                } else if let Some(g) = top_level_function(module, n) {
                    out.push((m, g));
                } else if let Some(c) = top_level_class(module, n) {
                    out.extend(project.method(m, c, "__init__"));
                }
            }
            ExprKind::Attribute { value, attr } if callee.qualified_name().is_none() => {
                // `self.helper(...)` inside a method: the class's own method, or a base's.
                if let (ExprKind::Local(recv), Some(c)) = (&value.kind, func.class)
                    && func.params.first().is_some_and(|p| &p.name == recv)
                {
                    out.extend(project.method(m, c, attr));
                }
            }
            _ => match callee.qualified_name().and_then(|q| project.resolve(m, &q)) {
                Some(Def::Function(cm, cf)) => out.push((cm, cf)),
                Some(Def::Class(cm, cc)) => out.extend(project.method(cm, cc, "__init__")),
                None => {}
            },
        }
    }
    out
}

/// A function defined directly inside function `f` under this name.
fn nested_function(module: &Module, f: FuncId, name: &str) -> Option<FuncId> {
    if f == 0 {
        return None;
    }
    module
        .functions
        .iter()
        .enumerate()
        .rfind(|(_, g)| g.parent == Some(f) && g.class.is_none() && g.name == name)
        .map(|(i, _)| i)
}

/// Strongly connected components (Tarjan's algorithm, iterative so a long call chain
/// cannot overflow the stack), numbered in reverse topological order: a component's
/// callees have smaller numbers.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![NONE; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    // (node, position in its edge list)
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos == 0 && index[v] == NONE {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*pos) {
                *pos += 1;
                if index[w] == NONE {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn project(files: &[(&str, &str)]) -> Project {
        Project::new(
            files
                .iter()
                .map(|(p, src)| crate::lower::python::lower(p, Arc::from(*src)))
                .collect(),
        )
    }

    fn id(p: &Project, m: usize, name: &str) -> Node {
        let f = p.modules[m]
            .functions
            .iter()
            .position(|f| f.qualname == name)
            .expect("function exists");
        (m, f)
    }

    #[test]
    fn components_are_numbered_callees_first() {
        // 0 -> 1 -> 2 -> 1, 3 alone
        let edges = vec![vec![1], vec![2], vec![1], vec![]];
        let c = components(&edges);
        assert_eq!(c[1], c[2]);
        assert!(c[1] < c[0]);
        assert_ne!(c[3], c[0]);
    }

    #[test]
    fn levels_go_up_the_calls_and_cycles_are_marked() {
        let p = project(&[
            (
                "/nonexistent/helpers.py",
                "def leaf(x):\n    return x\n\ndef mid(x):\n    return leaf(x)\n\ndef ping(n):\n    return pong(n)\n\ndef pong(n):\n    return ping(n)\n\ndef rec(n):\n    return rec(n - 1)\n",
            ),
            (
                "/nonexistent/main.py",
                "from helpers import mid\nimport helpers\n\nclass C:\n    def run(self, x):\n        return self.go(x)\n    def go(self, x):\n        return helpers.leaf(x)\n\ndef top(x):\n    return mid(x)\n",
            ),
        ]);
        let g = CallGraph::build(&p);
        let leaf = id(&p, 0, "leaf");
        let mid = id(&p, 0, "mid");
        let top = id(&p, 1, "top");
        assert_eq!(g.level(leaf), 0);
        assert_eq!(g.level(mid), 1);
        assert_eq!(g.level(top), 2);
        assert!(g.level(id(&p, 1, "C.run")) > g.level(id(&p, 1, "C.go")));
        assert!(g.level(id(&p, 1, "C.go")) > g.level(leaf));
        assert!(g.cyclic(id(&p, 0, "ping")) && g.cyclic(id(&p, 0, "pong")));
        assert!(g.cyclic(id(&p, 0, "rec")));
        assert!(!g.cyclic(mid));
        let levels = g.levels();
        assert!(levels[0].contains(&leaf));
        assert_eq!(
            levels.iter().map(Vec::len).sum::<usize>(),
            p.modules.iter().map(|m| m.functions.len()).sum::<usize>()
        );
    }
}
