//! `try` and `match`: control flow that does not split on one condition, so the
//! branches are joined by fresh choice symbols (`try`) or by the pattern conditions
//! (`match`), which exclude each other by construction.

use std::collections::HashSet;

use super::scan::assigned_names;
use super::{Exec, State, push_pc};
use crate::analyze::value::{self, Value};
use crate::ir::{Block, Expr, ExprKind, Pattern};
use crate::term::{self, Origin, Sort, T};

impl<'a> Exec<'a> {
    pub(super) fn exec_try(
        &mut self,
        mut st: State,
        body: &Block,
        handlers: &[crate::ir::Handler],
        orelse: &Block,
        finally: &Block,
    ) -> State {
        let base_len = st.pc.len();
        let mut assigned = HashSet::new();
        assigned_names(body, &mut assigned);
        self.mutated_collections(&mut st, body, &mut assigned);
        let mut caught = Vec::new();
        for h in handlers {
            if h.types.is_empty() {
                caught.push("*".to_string());
            }
            for t in &h.types {
                match &t.kind {
                    ExprKind::Tuple(xs) => {
                        caught.extend(xs.iter().filter_map(|x| x.qualified_name()))
                    }
                    _ => caught.extend(t.qualified_name()),
                }
            }
        }
        self.caught.push(caught);
        let normal = self.exec_block(st.clone(), body);
        self.caught.pop();
        let normal = if normal.live {
            self.exec_block(normal, orelse)
        } else {
            normal
        };
        let mut ends = vec![normal];
        for h in handlers {
            // The exception may come from any point of the body: what it assigns is unknown.
            let mut hs = st.clone();
            self.havoc(&mut hs, &assigned, Origin::Havoc);
            for t in &h.types {
                self.eval(&mut hs, t);
            }
            if let Some(n) = &h.name {
                let e = self.fresh_unknown(n, Origin::Opaque, Some("builtins.Exception"));
                hs.env.insert(n.clone(), e);
            }
            ends.push(self.exec_block(hs, &h.body));
        }
        let any_live = ends.iter().any(|s| s.live);
        let joined = self.join_many(ends, base_len, "exception raised");
        if finally.is_empty() {
            return if any_live { joined } else { State::default() };
        }
        if any_live {
            self.exec_block(joined, finally)
        } else {
            // Every path left the try; `finally` still runs and its sites still count.
            let mut fs = st;
            self.havoc(&mut fs, &assigned, Origin::Havoc);
            let mut end = self.exec_block(fs, finally);
            end.live = false;
            end
        }
    }

    pub(super) fn exec_match(
        &mut self,
        mut st: State,
        subject: &Expr,
        cases: &[crate::ir::MatchCase],
    ) -> State {
        let subj = self.eval(&mut st, subject);
        let base_len = st.pc.len();
        let mut rest = st;
        let mut ends = Vec::new();
        for case in cases {
            if !rest.live {
                break;
            }
            let mut arm = rest.clone();
            let m = self.pattern_cond(&mut arm, &case.pattern, &subj);
            push_pc(&mut arm, m.clone());
            let mut guard = term::boolean(true);
            if let Some(g) = &case.guard
                && arm.live
            {
                let gv = self.eval(&mut arm, g);
                guard = value::truthy(&gv, &mut self.syms);
                push_pc(&mut arm, guard.clone());
            }
            if arm.live {
                ends.push(self.exec_block(arm, &case.body));
            }
            push_pc(&mut rest, term::not(&term::and(&[m, guard])));
        }
        ends.push(rest);
        // Arms are mutually exclusive by construction (each excludes the earlier ones).
        let mut it = ends.into_iter();
        let mut acc = it.next().unwrap_or_default();
        for s in it {
            acc = self.join_states(acc, s, base_len);
        }
        acc
    }

    pub(super) fn pattern_cond(&mut self, st: &mut State, p: &Pattern, subj: &Value) -> T {
        match p {
            Pattern::Wildcard(name) => {
                if let Some(n) = name {
                    st.env.insert(n.clone(), subj.clone());
                }
                term::boolean(true)
            }
            Pattern::Value(e) => {
                let v = self.eval(st, e);
                self.equals(subj, &v)
                    .unwrap_or_else(|| self.syms.fresh("case", Sort::Bool, Origin::Havoc))
            }
            Pattern::Or(ps) => {
                let cs: Vec<T> = ps.iter().map(|q| self.pattern_cond(st, q, subj)).collect();
                term::or(&cs)
            }
            Pattern::As(q, n) => {
                let c = self.pattern_cond(st, q, subj);
                st.env.insert(n.clone(), subj.clone());
                c
            }
            Pattern::Sequence { items, star } => {
                for q in items {
                    if let Pattern::Wildcard(Some(n)) = q {
                        let u = self.fresh_unknown(n, Origin::Havoc, None);
                        st.env.insert(n.clone(), u);
                    }
                }
                match value::length(subj, &mut self.syms) {
                    Some(len) if !star => term::eq(&len, &term::int(items.len() as i128)),
                    Some(len) => term::ge(&len, &term::int(items.len().saturating_sub(1) as i128)),
                    None => self.syms.fresh("case", Sort::Bool, Origin::Havoc),
                }
            }
            Pattern::Other => self.syms.fresh("case", Sort::Bool, Origin::Havoc),
        }
    }
}
