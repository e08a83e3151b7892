//! The Rust front end: what each construct lowers to.

use std::sync::Arc;

use super::lower;
use crate::ir::{ExprKind, Module, StmtKind};

fn module(src: &str) -> Module {
    lower("t.rs", Arc::from(src))
}

fn function<'m>(m: &'m Module, name: &str) -> &'m crate::ir::Function {
    m.functions
        .iter()
        .find(|f| f.qualname == name)
        .unwrap_or_else(|| {
            panic!(
                "no function {name}: {:?}",
                m.functions.iter().map(|f| &f.qualname).collect::<Vec<_>>()
            )
        })
}

#[test]
fn items_methods_modules_and_constants() {
    let m = module(
        "use std::process::Command as Cmd;\n\
         const LIMIT: u32 = 10;\n\
         struct Counter { count: u32 }\n\
         impl Counter {\n    fn new() -> Self { Counter { count: 0 } }\n    fn bump(&mut self) { self.count += 1; }\n}\n\
         mod util { pub fn twice(x: u8) -> u8 { x * 2 } }\n\
         trait Named { fn name(&self) -> String { String::new() } }\n\
         fn run() { let c = Cmd::new(\"ls\"); }\n",
    );
    assert!(m.syntax_errors.is_empty(), "{:?}", m.notes);
    let names: Vec<&str> = m.functions.iter().map(|f| f.qualname.as_str()).collect();
    assert_eq!(
        names,
        [
            "<module>",
            "Counter::new",
            "Counter::bump",
            "util::twice",
            "Named::name",
            "run"
        ]
    );
    assert_eq!(m.constants.len(), 1);
    assert!(
        matches!(&m.constants[0].1.kind, ExprKind::Cast { ty, explicit: false, .. } if ty == "u32")
    );
    // An associated function has no receiver; a method's first parameter is `self`.
    assert_eq!(function(&m, "Counter::new").decorators.len(), 1);
    assert_eq!(function(&m, "Counter::bump").params[0].name, "self");
    let run = function(&m, "run");
    let StmtKind::Assign { value, .. } = &run.body[0].kind else {
        panic!("{:?}", run.body)
    };
    let ExprKind::Call { func, .. } = &value.kind else {
        panic!()
    };
    assert!(matches!(&func.kind, ExprKind::Global(q) if q == "std::process::Command::new"));
}

#[test]
fn ranges_become_counting_loops_and_matches_keep_guards() {
    let m = module(
        "fn f(xs: &[u32], n: usize) -> u32 {\n\
         let mut total: u32 = 0;\n\
         for i in 0..n { total += xs[i]; }\n\
         match n { 0 => 1, 1..=9 if total > 3 => 2, _ => total }\n}\n",
    );
    let f = function(&m, "f");
    assert_eq!(f.params[1].name, "n");
    assert!(
        f.body
            .iter()
            .any(|s| matches!(s.kind, StmtKind::While { .. }))
    );
    let Some(StmtKind::Match { cases, .. }) = f
        .body
        .iter()
        .map(|s| &s.kind)
        .find(|k| matches!(k, StmtKind::Match { .. }))
    else {
        panic!("{:?}", f.body)
    };
    assert_eq!(cases.len(), 3);
    assert!(cases[1].guard.is_some(), "a range pattern is a guard");
    assert!(matches!(cases[2].body[0].kind, StmtKind::Return(Some(_))));
}

#[test]
fn macros_and_literals() {
    let m = module(
        "fn g(a: u8) { assert!(a > 1, \"too small\"); let b = 300u16; let v = vec![0u8; 4]; unreachable!(); }\n",
    );
    let g = function(&m, "g");
    assert!(matches!(g.body[0].kind, StmtKind::Assert { .. }));
    assert!(matches!(&g.body[1].kind, StmtKind::Assign { value, .. }
        if matches!(&value.kind, ExprKind::Cast { ty, explicit: false, .. } if ty == "u16")));
    assert!(
        g.body
            .iter()
            .any(|s| matches!(s.kind, StmtKind::Raise(None)))
    );
}

#[test]
fn bad_input_becomes_notes() {
    let m = module("fn broken( {");
    assert_eq!(m.syntax_errors.len(), 1);
    assert!(m.notes[0].starts_with("Rust syntax error"));
    let deep = format!(
        "fn f() {{ let x = {}1{}; }}",
        "(".repeat(500),
        ")".repeat(500)
    );
    let m = module(&deep);
    assert!(m.notes[0].contains("nested deeper"));
}

/// Unannotated `let`s get the integer type rustc would infer where arithmetic needs it:
/// an index is a `usize`, a sum with a `u32` is a `u32`; `x = x + 1` is `x += 1`.
#[test]
fn local_types_are_inferred() {
    let m = module(
        "fn f(xs: &[u8], step: u32) -> u32 {\n\
         let mut i = 0;\n\
         let mut total = 0;\n\
         let label = \"x\";\n\
         while i < 3 { total += step; i = i + 1; }\n\
         xs[i] as u32 + total\n}\n",
    );
    let f = function(&m, "f");
    let ty_of = |k: usize| match &f.body[k].kind {
        StmtKind::Assign { value, .. } => match &value.kind {
            ExprKind::Cast {
                ty,
                explicit: false,
                ..
            } => Some(ty.clone()),
            _ => None,
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(ty_of(0).as_deref(), Some("usize"));
    assert_eq!(ty_of(1).as_deref(), Some("u32"));
    assert_eq!(ty_of(2), None);
    let StmtKind::While { body, .. } = &f.body[3].kind else {
        panic!("{:?}", f.body[3])
    };
    assert!(
        body.iter()
            .all(|s| matches!(s.kind, StmtKind::AugAssign { .. }))
    );
}

/// `format!` is the IR's formatted string, inline captures included.
#[test]
fn format_builds_text() {
    let m = module("fn g(dir: &str, n: u8) -> String { format!(\"ls {dir} -n {}\", n) }\n");
    let g = function(&m, "g");
    let StmtKind::Return(Some(v)) = &g.body[0].kind else {
        panic!("{:?}", g.body)
    };
    let ExprKind::FString(parts) = &v.kind else {
        panic!("{v:?}")
    };
    assert_eq!(parts.len(), 4);
}

#[test]
fn closures_are_nested_functions_reading_captures_as_free_names() {
    let m = module(
        "fn run(limit: u32) -> u32 {\n    let cap = |x: u32| x.min(limit);\n    let inner = |y: u8| { let z = |w: u8| w + y; z(1) };\n    cap(5)\n}\n",
    );
    assert!(m.syntax_errors.is_empty(), "{:?}", m.notes);
    let run = m
        .functions
        .iter()
        .position(|f| f.qualname == "run")
        .expect("run is lowered");
    let closures: Vec<&crate::ir::Function> = m
        .functions
        .iter()
        .filter(|f| f.qualname == "run::<locals>::<closure>")
        .collect();
    assert_eq!(closures.len(), 3);
    let cap = closures
        .iter()
        .find(|f| f.name == "|x: u32| x.min(limit)")
        .expect("named by its text");
    assert_eq!(cap.parent, Some(run));
    assert!(matches!(
        cap.params[0].annotation.as_ref().map(|a| &a.kind),
        Some(ExprKind::Global(t)) if t == "u32"
    ));
    let reads_free_limit = format!("{:?}", cap.body).contains("Free(\"limit\")");
    assert!(reads_free_limit, "{:?}", cap.body);
    // The closure inside a closure belongs to it, not to `run`.
    let z = closures
        .iter()
        .find(|f| f.name == "|w: u8| w + y")
        .expect("inner closure");
    let outer = m
        .functions
        .iter()
        .position(|f| f.name.starts_with("|y: u8|"))
        .expect("outer closure");
    assert_eq!(z.parent, Some(outer));
}
