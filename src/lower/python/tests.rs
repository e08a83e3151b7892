//! Tests of the Python front end. IR is printed in a compact text form so expectations
//! read like the source they come from.

use std::fmt::Write;
use std::sync::Arc;

use super::lower;
use crate::ir::*;

fn lo(src: &str) -> Module {
    lower("t.py", Arc::from(src))
}

fn c(k: &Const) -> String {
    match k {
        Const::None => "None".into(),
        Const::Bool(b) => b.to_string(),
        Const::Int(i) => i.to_string(),
        Const::BigInt(s) => format!("big:{s}"),
        Const::Float(f) => format!("{f:?}"),
        Const::Complex(s) => format!("cx:{s}"),
        Const::Str(s) => format!("{s:?}"),
        Const::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
        Const::Ellipsis => "...".into(),
    }
}

fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(", ")
}

fn arg(a: &Arg) -> String {
    let prefix = match a.unpack {
        Unpack::None => String::new(),
        Unpack::Star => "*".into(),
        Unpack::DoubleStar => "**".into(),
    };
    match &a.keyword {
        Some(k) => format!("{k}={}", e(&a.value)),
        None => format!("{prefix}{}", e(&a.value)),
    }
}

fn param(p: &Param) -> String {
    let mut s = match p.kind {
        ParamKind::Positional => p.name.clone(),
        ParamKind::VarArgs => format!("*{}", p.name),
        ParamKind::KeywordOnly => format!("kw:{}", p.name),
        ParamKind::VarKeywords => format!("**{}", p.name),
    };
    if let Some(a) = &p.annotation {
        let _ = write!(s, ": {}", e(a));
    }
    if let Some(d) = &p.default {
        let _ = write!(s, " = {}", e(d));
    }
    s
}

fn e(x: &Expr) -> String {
    match &x.kind {
        ExprKind::Const(k) => c(k),
        ExprKind::Local(n) => format!("L:{n}"),
        ExprKind::ModuleVar(n) => format!("M:{n}"),
        ExprKind::Free(n) => format!("F:{n}"),
        ExprKind::Global(n) => format!("G:{n}"),
        ExprKind::Attribute { value, attr } => format!("{}.{attr}", e(value)),
        ExprKind::Call { func, args } => format!("{}({})", e(func), join(args, arg)),
        ExprKind::BinOp { op, left, right } => format!("({} {op:?} {})", e(left), e(right)),
        ExprKind::UnaryOp { op, operand } => format!("({op:?} {})", e(operand)),
        ExprKind::BoolOp { op, values } => format!("({op:?} {})", join(values, e)),
        ExprKind::Compare { left, ops } => {
            let mut s = format!("(cmp {}", e(left));
            for (op, r) in ops {
                let _ = write!(s, " {op:?} {}", e(r));
            }
            s + ")"
        }
        ExprKind::IfExp { test, body, orelse } => {
            format!("(if {} then {} else {})", e(test), e(body), e(orelse))
        }
        ExprKind::List(v) => format!("[{}]", join(v, e)),
        ExprKind::Tuple(v) => format!("tuple({})", join(v, e)),
        ExprKind::Set(v) => format!("set({})", join(v, e)),
        ExprKind::Dict(v) => format!(
            "{{{}}}",
            join(v, |(k, val)| match k {
                Some(k) => format!("{}: {}", e(k), e(val)),
                None => format!("**{}", e(val)),
            })
        ),
        ExprKind::Subscript { value, index } => format!("{}[{}]", e(value), e(index)),
        ExprKind::Slice { lower, upper, step } => {
            let o = |x: &Option<Box<Expr>>| x.as_ref().map_or(String::new(), |x| e(x));
            format!("{}:{}:{}", o(lower), o(upper), o(step))
        }
        ExprKind::FString(parts) => {
            let mut s = "f<".to_string();
            for p in parts {
                match p {
                    FPart::Lit(l) => s.push_str(&format!("{l:?}")),
                    FPart::Value {
                        value,
                        conversion,
                        spec,
                    } => {
                        s.push('{');
                        s.push_str(&e(value));
                        if let Some(cv) = conversion {
                            let _ = write!(s, "!{cv}");
                        }
                        if let Some(sp) = spec {
                            let _ = write!(s, ":{sp}");
                        }
                        s.push('}');
                    }
                }
            }
            s + ">"
        }
        ExprKind::Lambda { params, body } => {
            format!("lambda({}): {}", join(params, param), e(body))
        }
        ExprKind::Comprehension {
            kind,
            element,
            value,
            generators,
        } => {
            let mut s = format!("{kind:?}<{}", e(element));
            if let Some(v) = value {
                let _ = write!(s, ": {}", e(v));
            }
            for g in generators {
                let a = if g.is_async { "async " } else { "" };
                let _ = write!(s, " {a}for {} in {}", t(&g.target), e(&g.iter));
                for cond in &g.ifs {
                    let _ = write!(s, " if {}", e(cond));
                }
            }
            s + ">"
        }
        ExprKind::NamedExpr { target, value } => format!("({target} := {})", e(value)),
        ExprKind::Await(v) => format!("await {}", e(v)),
        ExprKind::Yield(v) => match v {
            Some(v) => format!("yield {}", e(v)),
            None => "yield".into(),
        },
        ExprKind::Starred(v) => format!("*{}", e(v)),
        ExprKind::Cast { value, ty, .. } => format!("({} as {ty})", e(value)),
        ExprKind::Unknown => "?".into(),
    }
}

fn t(x: &Target) -> String {
    match x {
        Target::Local(n, _) => format!("L:{n}"),
        Target::ModuleVar(n, _) => format!("M:{n}"),
        Target::Attribute { value, attr, .. } => format!("{}.{attr}", e(value)),
        Target::Subscript { value, index, .. } => format!("{}[{}]", e(value), e(index)),
        Target::Tuple(items, _) => format!("({})", join(items, t)),
        Target::Starred(inner, _) => format!("*{}", t(inner)),
    }
}

fn pat(p: &Pattern) -> String {
    match p {
        Pattern::Wildcard(None) => "_".into(),
        Pattern::Wildcard(Some(n)) => format!("cap:{n}"),
        Pattern::Value(v) => format!("val:{}", e(v)),
        Pattern::Or(ps) => format!("or({})", join(ps, pat)),
        Pattern::Sequence { items, star } => {
            format!("seq{}({})", if *star { "*" } else { "" }, join(items, pat))
        }
        Pattern::As(inner, n) => format!("{} as {n}", pat(inner)),
        Pattern::Other => "other".into(),
    }
}

fn block(b: &Block, ind: usize, out: &mut String) {
    for s in b {
        stmt(s, ind, out);
    }
}

fn stmt(s: &Stmt, ind: usize, out: &mut String) {
    let pad = "  ".repeat(ind);
    let line = |out: &mut String, text: String| {
        out.push_str(&pad);
        out.push_str(&text);
        out.push('\n');
    };
    match &s.kind {
        StmtKind::Assign { targets, value } => {
            line(out, format!("{} = {}", join(targets, t), e(value)))
        }
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => line(
            out,
            format!(
                "{}: {}{}",
                t(target),
                e(annotation),
                value
                    .as_ref()
                    .map_or(String::new(), |v| format!(" = {}", e(v)))
            ),
        ),
        StmtKind::AugAssign { target, op, value } => {
            line(out, format!("{} {op:?}= {}", t(target), e(value)))
        }
        StmtKind::Expr(x) => line(out, e(x)),
        StmtKind::If { cond, then, orelse } => {
            line(out, format!("if {}:", e(cond)));
            block(then, ind + 1, out);
            if !orelse.is_empty() {
                line(out, "else:".into());
                block(orelse, ind + 1, out);
            }
        }
        StmtKind::While { cond, body, orelse } => {
            line(out, format!("while {}:", e(cond)));
            block(body, ind + 1, out);
            if !orelse.is_empty() {
                line(out, "else:".into());
                block(orelse, ind + 1, out);
            }
        }
        StmtKind::For {
            target,
            iter,
            body,
            orelse,
            is_async,
        } => {
            let a = if *is_async { "async " } else { "" };
            line(out, format!("{a}for {} in {}:", t(target), e(iter)));
            block(body, ind + 1, out);
            if !orelse.is_empty() {
                line(out, "else:".into());
                block(orelse, ind + 1, out);
            }
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finally,
        } => {
            line(out, "try:".into());
            block(body, ind + 1, out);
            for h in handlers {
                let name = h
                    .name
                    .as_ref()
                    .map_or(String::new(), |n| format!(" as {n}"));
                line(out, format!("except ({}){name}:", join(&h.types, e)));
                block(&h.body, ind + 1, out);
            }
            if !orelse.is_empty() {
                line(out, "else:".into());
                block(orelse, ind + 1, out);
            }
            if !finally.is_empty() {
                line(out, "finally:".into());
                block(finally, ind + 1, out);
            }
        }
        StmtKind::With { items, body } => {
            let items = join(items, |i| match &i.target {
                Some(tg) => format!("{} as {}", e(&i.context), t(tg)),
                None => e(&i.context),
            });
            line(out, format!("with {items}:"));
            block(body, ind + 1, out);
        }
        StmtKind::Match { subject, cases } => {
            line(out, format!("match {}:", e(subject)));
            for case in cases {
                let guard = case
                    .guard
                    .as_ref()
                    .map_or(String::new(), |g| format!(" if {}", e(g)));
                line(out, format!("  case {}{guard}:", pat(&case.pattern)));
                block(&case.body, ind + 2, out);
            }
        }
        StmtKind::Return(v) => line(
            out,
            format!(
                "return{}",
                v.as_ref().map_or(String::new(), |v| format!(" {}", e(v)))
            ),
        ),
        StmtKind::Raise(v) => line(
            out,
            format!(
                "raise{}",
                v.as_ref().map_or(String::new(), |v| format!(" {}", e(v)))
            ),
        ),
        StmtKind::Break => line(out, "break".into()),
        StmtKind::Continue => line(out, "continue".into()),
        StmtKind::Assert { test, msg } => line(
            out,
            format!(
                "assert {}{}",
                e(test),
                msg.as_ref()
                    .map_or(String::new(), |m| format!(", {}", e(m)))
            ),
        ),
        StmtKind::Pass => line(out, "pass".into()),
        StmtKind::Delete(v) => line(out, format!("del {}", join(v, e))),
        StmtKind::FunctionDef(id) => line(out, format!("def #{id}")),
        StmtKind::ClassDef(id) => line(out, format!("class #{id}")),
        StmtKind::Import(ids) => line(out, format!("import {ids:?}")),
        StmtKind::Global(n) => line(out, format!("global {}", n.join(", "))),
        StmtKind::Nonlocal(n) => line(out, format!("nonlocal {}", n.join(", "))),
        StmtKind::Unsupported(why) => line(out, format!("unsupported: {why}")),
    }
}

fn dump(b: &Block) -> String {
    let mut out = String::new();
    block(b, 0, &mut out);
    out
}

/// The module body, printed.
fn body(src: &str) -> String {
    dump(&lo(src).functions[0].body)
}

/// The body of the function with this qualname, printed.
fn fbody(m: &Module, qualname: &str) -> String {
    let f = m
        .functions
        .iter()
        .find(|f| f.qualname == qualname)
        .unwrap_or_else(|| panic!("no function {qualname}"));
    dump(&f.body)
}

fn func<'m>(m: &'m Module, qualname: &str) -> &'m Function {
    m.functions
        .iter()
        .find(|f| f.qualname == qualname)
        .unwrap_or_else(|| panic!("no function {qualname}"))
}

#[test]
fn assignments() {
    let out = body(
        "a = b = 1\n\
         x, *y = z\n\
         (p, q), [r] = s\n\
         o.attr = t[0] = 2\n\
         n: int = 3\n\
         m: str\n\
         c += 1\n\
         d //= 2\n\
         e = 1, 2\n\
         f = yield\n",
    );
    assert_eq!(
        out,
        "M:a, M:b = 1\n\
         (M:x, *M:y) = G:z\n\
         ((M:p, M:q), (M:r)) = G:s\n\
         G:o.attr, G:t[0] = 2\n\
         M:n: G:builtins.int = 3\n\
         M:m: G:builtins.str\n\
         M:c Add= 1\n\
         M:d FloorDiv= 2\n\
         M:e = tuple(1, 2)\n\
         M:f = yield\n"
    );
}

#[test]
fn if_elif_else_nests() {
    let out = body("if a:\n  pass\nelif b:\n  x = 1\nelif c:\n  pass\nelse:\n  y = 2\n");
    assert_eq!(
        out,
        "if G:a:\n  pass\nelse:\n  if G:b:\n    M:x = 1\n  else:\n    if G:c:\n      pass\n    else:\n      M:y = 2\n"
    );
}

#[test]
fn loops() {
    let out = body(
        "while x < 3:\n  break\nelse:\n  pass\n\
         for i, j in items:\n  continue\nelse:\n  pass\n\
         async def f():\n  async for k in g():\n    pass\n",
    );
    assert!(out.starts_with(
        "while (cmp G:x Lt 3):\n  break\nelse:\n  pass\n\
         for (M:i, M:j) in G:items:\n  continue\nelse:\n  pass\n"
    ));
    let m = lo("async def f():\n  async for k in g():\n    pass\n");
    assert_eq!(fbody(&m, "f"), "async for L:k in G:g():\n  pass\n");
    assert!(func(&m, "f").is_async);
}

#[test]
fn try_statements() {
    let out = body(
        "try:\n  a()\n\
         except (ValueError, KeyError) as e:\n  pass\n\
         except* OSError:\n  pass\n\
         except:\n  raise\n\
         else:\n  b()\n\
         finally:\n  c()\n",
    );
    assert_eq!(
        out,
        "try:\n  G:a()\n\
         except (G:builtins.ValueError, G:builtins.KeyError) as e:\n  pass\n\
         except (G:builtins.OSError):\n  pass\n\
         except ():\n  raise\n\
         else:\n  G:b()\n\
         finally:\n  G:c()\n"
    );
}

#[test]
fn with_statements() {
    let out = body(
        "with open(p) as f, lock:\n  pass\n\
         with (a as b, c as (d, e)):\n  pass\n\
         with x as y.z:\n  pass\n",
    );
    assert_eq!(
        out,
        "with G:builtins.open(G:p) as M:f, G:lock:\n  pass\n\
         with G:a as M:b, G:c as (M:d, M:e):\n  pass\n\
         with G:x as G:y.z:\n  pass\n"
    );
}

#[test]
fn match_patterns() {
    let src = "match cmd, x:\n\
        \x20   case 1 | -2 | \"a\" \"b\" | None | Color.RED:\n        pass\n\
        \x20   case [a, *rest, _] if a > 0:\n        pass\n\
        \x20   case (b, c) as d:\n        pass\n\
        \x20   case Point(x=px) | {\"k\": v, **kw}:\n        pass\n\
        \x20   case z:\n        pass\n\
        \x20   case _:\n        pass\n\
        \x20   case p, q:\n        pass\n";
    let out = body(src);
    assert_eq!(
        out,
        "match tuple(G:cmd, G:x):\n\
         \x20 case or(val:1, val:(Neg 2), val:\"ab\", val:None, val:G:Color.RED):\n    pass\n\
         \x20 case seq*(cap:a, _) if (cmp M:a Gt 0):\n    pass\n\
         \x20 case seq(cap:b, cap:c) as d:\n    pass\n\
         \x20 case or(other, other):\n    pass\n\
         \x20 case cap:z:\n    pass\n\
         \x20 case _:\n    pass\n\
         \x20 case seq(cap:p, cap:q):\n    pass\n"
    );
    let m = lo(&format!(
        "def f(cmd, x):\n{}",
        src.lines().map(|l| format!("  {l}\n")).collect::<String>()
    ));
    let locals = &func(&m, "f").locals;
    for name in ["a", "rest", "b", "c", "d", "px", "v", "kw", "z", "p", "q"] {
        assert!(locals.contains(&name.to_string()), "{name} in {locals:?}");
    }
    for name in ["Color", "Point", "x", "_"] {
        assert!(
            !locals.contains(&name.to_string()) || name == "x",
            "{name} in {locals:?}"
        );
    }
}

#[test]
fn simple_statements() {
    let out = body(
        "def f():\n  global g\n  return 1, 2\n\
         raise ValueError('x') from e\n\
         assert x, 'msg'\n\
         assert y\n\
         del a, b[0], c.d\n\
         pass\n",
    );
    assert_eq!(
        out,
        "def #1\n\
         raise G:builtins.ValueError(\"x\")\n\
         assert G:x, \"msg\"\n\
         assert G:y\n\
         del M:a, G:b[0], G:c.d\n\
         pass\n"
    );
    let m = lo("def f():\n  global g\n  nonlocal h\n  return 1, 2\n");
    assert_eq!(fbody(&m, "f"), "global g\nnonlocal h\nreturn tuple(1, 2)\n");
}

#[test]
fn imports_are_recorded_and_resolved() {
    let m = lo("import os.path, json as j\n\
         from ..pkg.sub import (x as y, z)\n\
         from . import w\n\
         from m import *\n\
         from __future__ import annotations\n\
         try:\n  import ujson\nexcept ImportError:\n  ujson = None\n\
         def f():\n  import yaml\n  return yaml.load(s)\n\
         os.path.join(a)\nj.loads(s)\ny()\nz()\nw()\nujson.loads(s)\n");
    let im: Vec<_> = m
        .imports
        .iter()
        .map(|i| {
            format!(
                "{} as {} top={} level={} star={} cond={}",
                i.qualname, i.alias, i.top_level, i.level, i.star, i.conditional
            )
        })
        .collect();
    assert_eq!(
        im,
        [
            "os.path as os top=os level=0 star=false cond=false",
            "json as j top=json level=0 star=false cond=false",
            "..pkg.sub.x as y top=pkg level=2 star=false cond=false",
            "..pkg.sub.z as z top=pkg level=2 star=false cond=false",
            ".w as w top= level=1 star=false cond=false",
            "m as * top=m level=0 star=true cond=false",
            "__future__.annotations as annotations top=__future__ level=0 star=false cond=false",
            "ujson as ujson top=ujson level=0 star=false cond=true",
            "yaml as yaml top=yaml level=0 star=false cond=true",
        ]
    );
    let out = dump(&m.functions[0].body);
    assert!(out.contains("G:os.path.join(G:a)\n"), "{out}");
    assert!(out.contains("G:json.loads(G:s)\n"), "{out}");
    assert!(
        out.contains("G:..pkg.sub.x()\nG:..pkg.sub.z()\nG:.w()\n"),
        "{out}"
    );
    // Bound by an import and by an assignment: a module variable, not a global.
    assert!(out.contains("M:ujson.loads(G:s)\n"), "{out}");
    assert_eq!(fbody(&m, "f"), "import [8]\nreturn G:yaml.load(G:s)\n");
    assert_eq!(
        m.import_by_alias("j").map(|i| i.qualname.as_str()),
        Some("json")
    );
}

#[test]
fn import_alias_call_and_shadowing() {
    let m = lo("from subprocess import run as r\n\
         r(cmd, shell=True)\n\
         def f(r):\n  r(x)\n\
         def g():\n  r = 1\n  r()\n\
         def h():\n  r()\n");
    let body = &m.functions[0].body;
    let StmtKind::Expr(call) = &body[1].kind else {
        panic!("{body:?}")
    };
    let ExprKind::Call { func, args } = &call.kind else {
        panic!("{call:?}")
    };
    assert!(matches!(&func.kind, ExprKind::Global(q) if q == "subprocess.run"));
    assert_eq!(func.qualified_name().as_deref(), Some("subprocess.run"));
    assert_eq!(args[1].keyword.as_deref(), Some("shell"));
    assert_eq!(fbody(&m, "f"), "L:r(G:x)\n");
    assert_eq!(fbody(&m, "g"), "L:r = 1\nL:r()\n");
    assert_eq!(fbody(&m, "h"), "G:subprocess.run()\n");
}

#[test]
fn name_resolution() {
    let m = lo("import os\n\
         CONST = 1\n\
         def helper(): pass\n\
         def outer(a):\n\
         \x20 b = 2\n\
         \x20 def inner():\n\
         \x20   nonlocal b\n\
         \x20   b = a + b + CONST + len(x) + undefined_name\n\
         \x20   return os, helper, __name__\n\
         \x20 return inner\n\
         def setter():\n  global G\n  G = 5\n  return G\n\
         print(G)\n\
         class C:\n\
         \x20 attr = 1\n\
         \x20 other = attr + 1\n\
         \x20 def m(self):\n\
         \x20   return attr, self\n");
    assert_eq!(
        fbody(&m, "outer.<locals>.inner"),
        "nonlocal b\n\
         L:b = ((((F:a Add F:b) Add M:CONST) Add G:builtins.len(G:x)) Add G:undefined_name)\n\
         return tuple(G:os, M:helper, M:__name__)\n"
    );
    assert_eq!(fbody(&m, "setter"), "global G\nM:G = 5\nreturn M:G\n");
    assert!(dump(&m.functions[0].body).contains("G:builtins.print(M:G)"));
    assert_eq!(
        fbody(&m, "C.<body>"),
        "L:attr = 1\nL:other = (L:attr Add 1)\ndef #6\n"
    );
    // Class attributes are not visible from methods.
    assert_eq!(fbody(&m, "C.m"), "return tuple(G:attr, L:self)\n");
    assert_eq!(func(&m, "outer").locals, ["a", "b", "inner"]);
    assert_eq!(
        func(&m, "outer.<locals>.inner").locals,
        Vec::<String>::new()
    );
    assert_eq!(func(&m, "setter").locals, Vec::<String>::new());
}

#[test]
fn functions_classes_and_qualnames() {
    let m = lo(
        "@dec\n@mod.dec(1)\nasync def f(a, b: int, c=1, d: str = 'x', /, *args, e, g=2, **kw) -> int:\n\
         \x20 def inner(): pass\n\
         \x20 class Local:\n    def m(self): pass\n\
         def k(*, only): pass\n\
         class C(Base, metaclass=M):\n\
         \x20 x = 1\n\
         \x20 def method(self): pass\n\
         \x20 class Nested:\n    def deep(self): pass\n\
         \x20 if True:\n    def conditional(self): pass\n",
    );
    let names: Vec<_> = m.functions.iter().map(|f| f.qualname.as_str()).collect();
    assert_eq!(
        names,
        [
            "<module>",
            "f",
            "f.<locals>.inner",
            "f.<locals>.Local.<body>",
            "f.<locals>.Local.m",
            "k",
            "C.<body>",
            "C.method",
            "C.Nested.<body>",
            "C.Nested.deep",
            "C.conditional",
        ]
    );
    let f = func(&m, "f");
    assert!(f.is_async);
    assert_eq!(f.parent, Some(0));
    assert_eq!(
        join(&f.params, param),
        "a, b: G:builtins.int, c = 1, d: G:builtins.str = \"x\", *args, kw:e, kw:g = 2, **kw"
    );
    assert_eq!(join(&f.decorators, e), "G:dec, G:mod.dec(1)");
    assert_eq!((f.name_span.line, f.name_span.col), (3, 11));
    assert_eq!(join(&func(&m, "k").params, param), "kw:only");
    assert_eq!(func(&m, "f.<locals>.inner").parent, Some(1));
    assert_eq!(func(&m, "f.<locals>.Local.m").parent, Some(1));
    assert_eq!(func(&m, "f.<locals>.Local.m").class, Some(0));
    assert_eq!(func(&m, "f.<locals>.inner").class, None);
    let classes: Vec<_> = m
        .classes
        .iter()
        .map(|c| {
            format!(
                "{} {} [{}] {:?}",
                c.name,
                c.qualname,
                join(&c.bases, e),
                c.methods
            )
        })
        .collect();
    assert_eq!(
        classes,
        [
            "Local f.<locals>.Local [] [3, 4]",
            "C C [G:Base] [6, 7, 10]",
            "Nested C.Nested [] [8, 9]",
        ]
    );
    assert_eq!(
        fbody(&m, "C.<body>"),
        "L:x = 1\ndef #7\nclass #2\nif true:\n  def #10\n"
    );
    assert_eq!(
        func(&m, "C.<body>").locals,
        ["x", "method", "Nested", "conditional"]
    );
    assert_eq!(func(&m, "C.method").class, Some(1));
    assert_eq!(func(&m, "C.method").parent, Some(0));
    assert_eq!(m.functions[0].name, "<module>");
    assert_eq!(m.functions[0].locals, ["f", "k", "C"]);
}

#[test]
fn class_decorators_are_evaluated() {
    assert_eq!(
        body("@dataclass(frozen=True)\nclass P:\n  x: int\n"),
        "G:dataclass(frozen=true)\nclass #0\n"
    );
}

#[test]
fn expressions() {
    let out = body(
        "lambda x, *y, z=1, **k: x + z + w\n\
         [x * 2 for x in xs if x if x > 1 for y in x]\n\
         {k: v for k, v in d.items()}\n\
         {s for s in t}\n\
         list(i async for i in aiter())\n\
         a if b else c\n\
         (n := 10)\n\
         f(*args, **kwargs, key=1)\n\
         a[1:2, ::3, x]\n\
         a[:]\n\
         {**base, 'k': 1}\n\
         {1, *s}\n\
         (*a, b)\n\
         not a\n\
         -x + ~y\n\
         a and b and c or d\n\
         a < b <= c != d\n\
         x not in y is not z\n\
         a <> b\n\
         2 ** -1 @ m\n",
    );
    assert_eq!(
        out,
        "lambda(x, *y, kw:z = 1, **k): ((L:x Add L:z) Add G:w)\n\
         List<(L:x Mul 2) for L:x in G:xs if L:x if (cmp L:x Gt 1) for L:y in L:x>\n\
         Dict<L:k: L:v for (L:k, L:v) in G:d.items()>\n\
         Set<L:s for L:s in G:t>\n\
         G:builtins.list(Generator<L:i async for L:i in G:builtins.aiter()>)\n\
         (if G:b then G:a else G:c)\n\
         (n := 10)\n\
         G:f(*G:args, **G:kwargs, key=1)\n\
         G:a[tuple(1:2:, ::3, G:x)]\n\
         G:a[::]\n\
         {**G:base, \"k\": 1}\n\
         set(1, *G:s)\n\
         tuple(*G:a, G:b)\n\
         (Not G:a)\n\
         ((Neg G:x) Add (Invert G:y))\n\
         (Or (And G:a, G:b, G:c), G:d)\n\
         (cmp G:a Lt G:b LtE G:c NotEq G:d)\n\
         (cmp G:x NotIn G:y IsNot G:z)\n\
         (cmp G:a NotEq G:b)\n\
         ((2 Pow (Neg 1)) MatMul G:m)\n"
    );
}

#[test]
fn comprehension_scoping() {
    let m = lo("def f(xs):\n  y = 1\n  return [lambda: x + y for x in xs], [x for x in x]\n");
    assert_eq!(
        fbody(&m, "f"),
        "L:y = 1\n\
         return tuple(List<lambda(): (F:x Add F:y) for L:x in L:xs>, List<L:x for L:x in G:x>)\n"
    );
    // Walrus in a comprehension binds in the enclosing function.
    let m = lo("def g(xs):\n  return [(last := x) for x in xs], last\n");
    assert_eq!(func(&m, "g").locals, ["xs", "last"]);
}

#[test]
fn await_yield_starred() {
    let m =
        lo("async def f():\n  await g()\n  yield 1\n  yield from h\n  x = yield\n  a, *b = c\n");
    assert_eq!(
        fbody(&m, "f"),
        "await G:g()\nyield 1\nyield G:h\nL:x = yield\n(L:a, *L:b) = G:c\n"
    );
}

#[test]
fn literals() {
    let out = body(
        "1_000, 0xFF, 0o17, 0b1, 1e5, 1.5j, 10j, 0777\n\
         170141183460469231731687303715884105728\n\
         None, True, False, ...\n\
         'a' \"b\" '''c'''\n\
         b'\\x00' b'a'\n\
         r'\\n', u'\\u00e9', '\\N{DASH}'\n",
    );
    assert_eq!(
        out,
        "tuple(1000, 255, 15, 1, 100000.0, cx:1.5j, cx:10j, 511)\n\
         big:170141183460469231731687303715884105728\n\
         tuple(None, true, false, ...)\n\
         \"abc\"\n\
         b\"\\0a\"\n\
         tuple(\"\\\\n\", \"é\", \"\\\\N{DASH}\")\n"
    );
}

#[test]
fn fstrings() {
    let out = body(
        "f\"a{b!r:>{w}.2f}c{{d}}\\n{e=}{g=:x}\"\n\
         f'{x}' 'lit' f\"{y!s}\"\n\
         rf'\\d{n}'\n\
         f\"{a, b}\"\n",
    );
    assert_eq!(
        out,
        "f<\"a\"{G:b!r:>.2f}\"c{d}\\ne=\"{G:e!r}\"g=\"{G:g:x}>\n\
         f<{G:x}\"lit\"{G:y!s}>\n\
         f<\"\\\\d\"{G:n}>\n\
         f<{tuple(G:a, G:b)}>\n"
    );
}

#[test]
fn constants() {
    let m = lo("A = 1\n\
         B = 2\nB = 3\n\
         C: int = 4\n\
         D = E = 5\n\
         if x:\n  F = 6\n\
         G, H = 1, 2\n\
         I = 7\ndef f():\n  global I\n  I = 8\n\
         J = 9\ndef g():\n  J = 10\n\
         K = 11\nK += 1\n\
         for L in y: pass\n\
         M = 12\nclass N:\n  M = 13\n");
    let names: Vec<_> = m
        .constants
        .iter()
        .map(|(n, v)| format!("{n}={}", e(v)))
        .collect();
    assert_eq!(names, ["A=1", "C=4", "J=9", "M=12"]);
}

#[test]
fn comments_and_strings() {
    let m = lo(
        "# top\nx = 'a\\tb'  # trailing\ndef f():\n  \"\"\"Doc.\"\"\"\n  return f'k={v}' + b'raw'\n",
    );
    let comments: Vec<_> = m
        .comments
        .iter()
        .map(|(s, c)| (s.line, c.as_str()))
        .collect();
    assert_eq!(comments, [(1, " top"), (2, " trailing")]);
    let strings: Vec<_> = m
        .strings
        .iter()
        .map(|(s, c)| (s.line, c.as_ref()))
        .collect();
    assert_eq!(strings, [(2, "a\tb"), (4, "Doc."), (5, "k=")]);
}

#[test]
fn spans_are_one_based_with_exclusive_end() {
    let m = lo("x = 1\nfoo(bar)\n");
    let s = &m.functions[0].body[1];
    assert_eq!(
        (
            s.span.start,
            s.span.end,
            s.span.line,
            s.span.col,
            s.span.end_line,
            s.span.end_col
        ),
        (6, 14, 2, 1, 2, 9)
    );
    let StmtKind::Expr(call) = &s.kind else {
        panic!()
    };
    let ExprKind::Call { args, .. } = &call.kind else {
        panic!()
    };
    assert_eq!((args[0].span.col, args[0].span.end_col), (5, 8));
}

#[test]
fn syntax_errors_do_not_stop_lowering() {
    let m = lo("x = 1\ny = = 2\nz = 3\ndef f():\n  a = (\n  return a\nw = 4\n");
    assert!(!m.syntax_errors.is_empty());
    let out = dump(&m.functions[0].body);
    assert!(out.starts_with("M:x = 1\n"), "{out}");
    assert!(out.contains("M:z = 3\n"), "{out}");

    let m = lo("def f(:\n  pass\nimport os\nos.system(cmd)\n");
    assert!(!m.syntax_errors.is_empty());
    let out = dump(&m.functions[0].body);
    assert!(out.contains("G:os.system(G:cmd)"), "{out}");
}

#[test]
fn unclosed_bracket_at_module_level_is_recovered() {
    let m = lo(
        "import os\nCONFIG = dict(a=1, b=[2, 3\n# note\ndef a(x):\n    return os.system(x)\n\n\
         def c(z):\n    eval(z)\n",
    );
    assert_eq!(fbody(&m, "a"), "return G:os.system(L:x)\n");
    assert_eq!(fbody(&m, "c"), "G:builtins.eval(L:z)\n");
    let errors: Vec<_> = m
        .syntax_errors
        .iter()
        .map(|s| (s.line, s.end_line))
        .collect();
    assert_eq!(errors, [(2, 4)]);
    assert_eq!(m.comments.len(), 1);
    // Recovery is bounded: a file of nothing but unclosed brackets stays linear.
    let src = "x = (\n".repeat(50_000);
    let start = std::time::Instant::now();
    let m = lo(&src);
    assert!(!m.syntax_errors.is_empty());
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn python2_does_not_panic() {
    let m = lo(
        "print \"hello\", x\nprint >>sys.stderr, 'e'\nexec \"code\" in g\n\
         def f((a, b)):\n  try:\n    pass\n  except ValueError, e:\n    raise E, 'm'\n\
         x = 0777L\nprint `x`\n",
    );
    let out = dump(&m.functions[0].body);
    assert!(
        out.starts_with("G:builtins.print(\"hello\", M:x)\n"),
        "{out}"
    );
    assert!(
        out.contains("G:builtins.print(file=G:sys.stderr, \"e\")\n"),
        "{out}"
    );
    assert!(out.contains("G:builtins.exec(\"code\", G:g)\n"), "{out}");
}

#[test]
fn dynamic_imports_are_noted() {
    let m = lo("import importlib\nm = __import__(name)\nn = importlib.import_module(x)\n");
    assert_eq!(
        m.notes,
        ["dynamic import at line 2", "dynamic import at line 3"]
    );
}

#[test]
fn empty_and_garbage_input() {
    for src in [
        "", "\n\n", "(((", ")))", "def", "class", "@", "lambda", "f'{", "'''", "\\", "\0\0",
    ] {
        let m = lo(src);
        assert_eq!(m.functions[0].qualname, "<module>");
    }
}

/// Run `f` on a thread with the stack size of the analysis workers.
fn small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("lowering crashed on a 2 MiB stack");
}

fn deep_inputs() -> Vec<(&'static str, String)> {
    let n = 20_000;
    let mut ifs = String::new();
    for i in 0..2_000 {
        ifs.push_str(&" ".repeat(i));
        ifs.push_str("if x:\n");
    }
    ifs.push_str(&" ".repeat(2_000));
    ifs.push_str("pass\n");
    let mut defs = String::new();
    for i in 0..2_000 {
        defs.push_str(&" ".repeat(i));
        defs.push_str("def f():\n");
    }
    defs.push_str(&" ".repeat(2_000));
    defs.push_str("pass\n");
    let mut elifs = "if a:\n  pass\n".to_string();
    for _ in 0..n {
        elifs.push_str("elif a:\n  pass\n");
    }
    vec![
        (
            "parens",
            format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)),
        ),
        ("not", format!("x = {}1\n", "not ".repeat(n))),
        ("neg", format!("x = {}1\n", "-".repeat(n))),
        ("plus", format!("x = {}\n", vec!["a"; 100_000].join("+"))),
        ("and", format!("x = {}\n", vec!["a"; 100_000].join(" and "))),
        ("lists", format!("x = {}{}\n", "[".repeat(n), "]".repeat(n))),
        (
            "calls",
            format!("x = {}{}\n", "f(".repeat(n), ")".repeat(n)),
        ),
        ("attrs", format!("x = a{}\n", ".b".repeat(n))),
        ("subscripts", format!("x = a{}\n", "[0]".repeat(n))),
        ("lambdas", format!("x = {}1\n", "lambda: ".repeat(n))),
        ("chained", format!("{}1\n", "a = ".repeat(n))),
        (
            "targets",
            format!("{}a{} = 1\n", "(".repeat(n), ",)".repeat(n)),
        ),
        (
            "fstrings",
            format!("x = {}1{}\n", "f'{".repeat(200), "}'".repeat(200)),
        ),
        (
            "pattern",
            format!("match x:\n  case a{}:\n    pass\n", ".b".repeat(n)),
        ),
        (
            "case_lists",
            format!(
                "match x:\n  case {}1{}:\n    pass\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
        ("ifs", ifs),
        ("defs", defs),
        ("elifs", elifs),
        ("unclosed", "(".repeat(n)),
        ("unclosed_lines", "x = (\n".repeat(n)),
        ("closers", ")\n".repeat(n)),
        ("strings", format!("x = {}\n", vec!["'s'"; n].join(" "))),
    ]
}

#[test]
fn deep_nesting_on_small_stack() {
    for (name, src) in deep_inputs() {
        small_stack(move || {
            let m = lo(&src);
            assert_eq!(m.functions[0].qualname, "<module>", "{name}");
            // Dropping and walking the IR must be safe too: it is bounded.
            let _ = dump(&m.functions[0].body);
        });
    }
}

#[test]
fn too_deep_is_noted_once() {
    let m = lo(&format!(
        "x = {}1\ny = {}2\n",
        "not ".repeat(500),
        "-".repeat(500)
    ));
    assert_eq!(m.notes.len(), 1, "{:?}", m.notes);
    assert!(m.notes[0].contains("nesting deeper than"));
    let out = dump(&m.functions[0].body);
    assert!(out.contains("(Not (Not "), "{out}");
    assert!(out.contains('?'), "{out}");
    // Shallow but long chains are flattened rather than cut.
    let m = lo(&format!("x = {}\n", vec!["a"; 1000].join(" and ")));
    assert!(m.notes.is_empty());
}

/// Timing on a real file: `VOUCH_BENCH_PY=path cargo test --release --lib
/// lower::python::tests::bench -- --ignored --nocapture`. Best of five runs per phase.
#[test]
#[ignore]
fn bench() {
    use std::time::{Duration, Instant};
    let Ok(path) = std::env::var("VOUCH_BENCH_PY") else {
        return;
    };
    let src: Arc<str> = std::fs::read_to_string(path).expect("read").into();
    let t = super::kinds::tables();
    let mut best = [Duration::MAX; 6];
    let mut nodes = 0;
    for _ in 0..5 {
        let mut times = [Duration::ZERO; 6];
        let start = Instant::now();
        let tree = super::parse(&src).expect("parse");
        times[0] = start.elapsed();
        let start = Instant::now();
        let mut ex = super::ast::Extracted {
            comments: Vec::new(),
            syntax_errors: Vec::new(),
        };
        let ast = super::ast::Ast::build(t, &src, &tree, &mut ex);
        times[1] = start.elapsed();
        nodes = ast.len();
        let start = Instant::now();
        let scanned = super::scan::scan(t, &src, &ast);
        times[3] = start.elapsed();
        let start = Instant::now();
        drop(tree);
        times[2] = start.elapsed();
        let start = Instant::now();
        let mut l = super::Lowerer::new(t, &src, scanned);
        if let Some(root) = ast.root() {
            l.lower_module(root);
        }
        times[5] = start.elapsed();
        drop(l);
        drop(ast);
        let start = Instant::now();
        let m = lower("bench.py", src.clone());
        times[4] = start.elapsed();
        drop(m);
        for (b, t) in best.iter_mut().zip(times) {
            *b = (*b).min(t);
        }
    }
    eprintln!(
        "{} bytes, {nodes} nodes: parse {:?}, copy {:?}, drop tree {:?}, scan {:?}; \
         lower() total {:?}, IR building alone {:?}",
        src.len(),
        best[0],
        best[1],
        best[2],
        best[3],
        best[4],
        best[5]
    );
}

/// Print the IR of a file, for debugging the front end:
/// `VOUCH_SHOW_PY=f.py cargo test --lib lower::python::tests::show -- --ignored --nocapture`.
#[test]
#[ignore]
fn show() {
    let Ok(path) = std::env::var("VOUCH_SHOW_PY") else {
        return;
    };
    let src = std::fs::read_to_string(path).expect("read");
    let m = lo(&src);
    for f in &m.functions {
        eprintln!(
            "== {} (parent {:?}, class {:?}) locals {:?}",
            f.qualname, f.parent, f.class, f.locals
        );
        eprint!("{}", dump(&f.body));
    }
    eprintln!(
        "errors: {:?}",
        m.syntax_errors
            .iter()
            .map(|s| (s.line, s.end_line))
            .collect::<Vec<_>>()
    );
    eprintln!("notes: {:?}", m.notes);
}

/// Ids in the IR point at existing functions, classes and imports.
fn check_invariants(m: &Module) {
    fn walk(b: &Block, m: &Module) {
        for s in b {
            match &s.kind {
                StmtKind::FunctionDef(id) => assert!(*id < m.functions.len()),
                StmtKind::ClassDef(id) => assert!(*id < m.classes.len()),
                StmtKind::Import(ids) => assert!(ids.iter().all(|i| *i < m.imports.len())),
                _ => {}
            }
            for child in crate::ir::cfg::child_blocks(s) {
                walk(child, m);
            }
        }
    }
    assert_eq!(m.functions[0].qualname, "<module>");
    for (i, f) in m.functions.iter().enumerate() {
        walk(&f.body, m);
        assert!(f.parent.is_none_or(|p| p < i));
        assert!(f.class.is_none_or(|c| c < m.classes.len()));
        assert!(f.span.start <= f.span.end && f.span.end as usize <= m.source.len());
    }
    for c in &m.classes {
        assert!(c.methods.iter().all(|&id| id < m.functions.len()));
    }
}

/// Every `.py` under `VOUCH_CORPUS_DIR`, whole and cut or damaged in a few places, on a
/// worker-sized stack: `cargo test --release --lib lower::python::tests::corpus --
/// --ignored --nocapture`.
#[test]
#[ignore]
fn corpus() {
    let Ok(dir) = std::env::var("VOUCH_CORPUS_DIR") else {
        return;
    };
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "py") {
                files.push(p);
            }
        }
    }
    files.sort();
    let count = files.len();
    small_stack(move || {
        let start = std::time::Instant::now();
        let mut bytes = 0;
        let mut errors = 0;
        for p in &files {
            let Ok(src) = std::fs::read(p) else { continue };
            let src = String::from_utf8_lossy(&src).into_owned();
            bytes += src.len();
            let m = lo(&src);
            errors += usize::from(!m.syntax_errors.is_empty());
            check_invariants(&m);
            // Damage: cut at a few points, and drop one character there.
            for k in 1..4 {
                let mut at = src.len() * k / 4;
                while !src.is_char_boundary(at) {
                    at -= 1;
                }
                check_invariants(&lo(&src[..at]));
                let mut damaged = src.clone();
                if at < damaged.len() {
                    damaged.remove(at);
                }
                check_invariants(&lo(&damaged));
            }
        }
        eprintln!(
            "{count} files, {bytes} bytes, {errors} with syntax errors, {:?} (with 6 damaged copies each)",
            start.elapsed()
        );
    });
}
