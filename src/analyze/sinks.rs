//! Matching declarative rules at call sites, attribute assignments and references, and
//! compiling their checks into bad conditions over the site's symbolic values.

use std::collections::HashMap;

use super::exec::{CallArg, Exec, SiteKind, State};
use super::value::{self, Value};
use crate::finding::{Edit, Fix};
use crate::ir::{Expr, ExprKind, Span, Unpack};
use crate::rules::catalog::Catalog;
use crate::rules::{ArgRef, Check, Rule};
use crate::term::{self, Origin, Sort, T};

/// Rules in force, indexed by what they match.
#[derive(Default)]
pub struct RuleIndex {
    pub rules: Vec<Rule>,
    calls: HashMap<String, Vec<usize>>,
    methods: HashMap<String, Vec<usize>>,
    assign_attrs: HashMap<String, Vec<usize>>,
    assign_quals: HashMap<String, Vec<usize>>,
    references: HashMap<String, Vec<usize>>,
    pub imports: Vec<(String, usize)>,
    /// Every character some data check asks about: regex guards become facts about these.
    pub interesting_chars: Vec<char>,
    builtins: HashMap<String, usize>,
}

/// Does `id` pass `--select`/`--ignore` (ids or prefixes)?
pub fn rule_enabled(id: &str, select: &[String], ignore: &[String]) -> bool {
    let matches = |p: &String| id == p || id.starts_with(p.as_str());
    (select.is_empty() || select.iter().any(matches)) && !ignore.iter().any(matches)
}

impl RuleIndex {
    pub fn new(catalog: &Catalog, select: &[String], ignore: &[String]) -> RuleIndex {
        Self::for_language(catalog, select, ignore, crate::ir::Language::Python)
    }

    /// The rules of one language (built-in checks share engine names across languages:
    /// `division-by-zero` is PY-A001 in Python and RS-A002 in Rust).
    pub fn for_language(
        catalog: &Catalog,
        select: &[String],
        ignore: &[String],
        language: crate::ir::Language,
    ) -> RuleIndex {
        let wanted = match language {
            crate::ir::Language::Python => "python",
            crate::ir::Language::Rust => "rust",
        };
        let mut ix = RuleIndex::default();
        for r in &catalog.rules {
            if r.language != wanted || !rule_enabled(&r.id, select, ignore) {
                continue;
            }
            let i = ix.rules.len();
            ix.rules.push(r.clone());
            let m = &r.matcher;
            for c in &m.calls {
                match c.strip_prefix("*.") {
                    Some(name) => ix.methods.entry(name.to_string()).or_default().push(i),
                    None => ix.calls.entry(c.clone()).or_default().push(i),
                }
            }
            for a in &m.assigns {
                match a.strip_prefix("*.") {
                    Some(name) => ix.assign_attrs.entry(name.to_string()).or_default().push(i),
                    None => ix.assign_quals.entry(a.clone()).or_default().push(i),
                }
            }
            for q in &m.references {
                ix.references.entry(q.clone()).or_default().push(i);
            }
            for q in &m.imports {
                ix.imports.push((q.clone(), i));
            }
            if let Some(b) = &m.builtin {
                ix.builtins.insert(b.clone(), i);
            }
            for c in r.when.iter().chain(r.unless.iter()) {
                if let Check::BuiltFromData { chars, .. } = c {
                    for ch in chars.chars() {
                        if !ix.interesting_chars.contains(&ch) {
                            ix.interesting_chars.push(ch);
                        }
                    }
                }
            }
        }
        ix
    }

    /// The enabled rule implementing a built-in check, by the engine's name for it.
    pub fn builtin(&self, name: &str) -> Option<&Rule> {
        self.builtins.get(name).and_then(|i| self.rules.get(*i))
    }

    pub fn by_id(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

enum Lookup<'a> {
    Found(&'a CallArg),
    Missing,
    /// `*args`/`**kwargs` at the call site may or may not supply it.
    Unknowable,
}

fn lookup<'a>(args: &'a [CallArg], at: &ArgRef) -> Lookup<'a> {
    if let Some(name) = &at.arg
        && let Some(a) = args
            .iter()
            .find(|a| a.keyword.as_deref() == Some(name.as_str()))
    {
        return Lookup::Found(a);
    }
    if let Some(p) = at.pos {
        let mut i = 0;
        for a in args {
            match (a.keyword.is_some(), a.unpack) {
                (false, Unpack::None) => {
                    if i == p {
                        return Lookup::Found(a);
                    }
                    i += 1;
                }
                (false, Unpack::Star) => return Lookup::Unknowable,
                _ => {}
            }
        }
    }
    if args.iter().any(|a| a.unpack == Unpack::DoubleStar) {
        return Lookup::Unknowable;
    }
    Lookup::Missing
}

/// Compile one check into a Bool term over the site's values.
fn compile(ex: &mut Exec, check: &Check, args: &[CallArg]) -> T {
    let found = match lookup(args, check.at()) {
        Lookup::Found(a) => Some(a),
        Lookup::Missing => None,
        Lookup::Unknowable => return term::boolean(false),
    };
    // `item = k` checks one element of a tuple argument: the host of `(host, port)`.
    let element;
    let found = match (found, check.at().item) {
        (Some(a), Some(k)) => match &a.value {
            Value::Seq {
                items: Some(xs), ..
            } => match xs.get(k) {
                Some(v) => {
                    element = CallArg {
                        keyword: a.keyword.clone(),
                        value: v.clone(),
                        unpack: a.unpack,
                        expr: a.expr.clone(),
                        span: a.span,
                    };
                    Some(&element)
                }
                None => return term::boolean(false),
            },
            // A plain string where a tuple may stand (`make_server(host, port)`).
            Value::Str(_) => Some(a),
            _ => return term::boolean(false),
        },
        (found, _) => found,
    };
    let f = term::boolean(false);
    match check {
        Check::Truthy { .. } => found.map_or(f, |a| value::truthy(&a.value, &mut ex.syms)),
        Check::Falsy { .. } => {
            found.map_or(f, |a| term::not(&value::truthy(&a.value, &mut ex.syms)))
        }
        Check::False { .. } => found.map_or(f, |a| can_be_false(ex, &a.value)),
        Check::Missing { .. } => term::boolean(found.is_none()),
        Check::Present { .. } => term::boolean(found.is_some()),
        Check::NonLiteral { .. } => found.map_or(f, |a| non_literal(ex, &a.value)),
        Check::Below { bound, .. } => {
            found.map_or(f, |a| match value::as_int(&a.value, &mut ex.syms) {
                Some(t) if !matches!(a.value, Value::Str(_) | Value::Float(_)) => {
                    term::lt(&t, &term::int(*bound as i128))
                }
                _ => term::boolean(false),
            })
        }
        Check::OneOf { values, .. } => found.map_or(f, |a| one_of(ex, &a.value, values, false)),
        Check::NoneOf { values, .. } => match found {
            None => term::boolean(true),
            Some(a) => term::not(&one_of(ex, &a.value, values, true)),
        },
        Check::BuiltFromData {
            chars,
            sanitizers,
            whole,
            ..
        } => found.map_or(f, |a| {
            let t = match (&a.value, whole) {
                (Value::Str(t), _) => Some(t.clone()),
                // A whole value of unknown content: its text is the data part.
                (Value::Unknown(_) | Value::Phi(..), true) => value::as_str(&a.value, &mut ex.syms),
                _ => None,
            };
            match t {
                Some(t) => built_from_data(&t, chars, sanitizers, *whole, &ex.syms),
                None => term::boolean(false),
            }
        }),
        Check::HasBits { mask, .. } => {
            found.map_or(f, |a| match value::as_int(&a.value, &mut ex.syms) {
                Some(t) => match t.as_int() {
                    Some(i) => term::boolean(i & (*mask as i128) != 0),
                    // Bit tests are outside the linear fragment: a mode computed from a
                    // parameter is a question for the caller, named after it.
                    None => {
                        let origin = super::exec::origin_of(&a.value, &ex.syms);
                        ex.syms.fresh("mode has the bits", Sort::Bool, origin)
                    }
                },
                None => term::boolean(false),
            })
        }
        Check::Contains { text, .. } => {
            found.map_or(f, |a| match value::as_str(&a.value, &mut ex.syms) {
                Some(t) if matches!(a.value, Value::Str(_)) => {
                    term::contains(&t, &term::string(text))
                }
                _ => term::boolean(false),
            })
        }
    }
}

/// Code built at run time: true unless the value is a compile-time constant. Values from
/// parameters stay symbolic so that the report is latent with the parameter named.
fn non_literal(ex: &mut Exec, v: &Value) -> T {
    if v.is_constant() {
        return term::boolean(false);
    }
    match v {
        Value::Unknown(b) => {
            let origin = ex.syms.base(*b).map(|b| b.origin).unwrap_or(Origin::Opaque);
            let name = ex.syms.base(*b).map(|b| b.name.clone()).unwrap_or_default();
            if matches!(origin, Origin::Param | Origin::State) {
                // "is not a constant" is true of any parameter, but naming it makes the
                // report say which argument must be trusted.
                return term::not(&ex.syms.fresh(
                    &format!("{name} is a constant"),
                    Sort::Bool,
                    origin,
                ));
            }
            term::boolean(true)
        }
        _ => term::boolean(true),
    }
}

/// Whether the value can be one of `values` (string constants or qualified names). For an
/// unknown value, `unknown_may` says what to assume, as a symbol named after it.
fn one_of(ex: &mut Exec, v: &Value, values: &[String], unknown_may: bool) -> T {
    let name_matches = |q: &str| {
        values
            .iter()
            .any(|x| q == x || q.ends_with(&format!(".{x}")))
    };
    match v {
        Value::Global(q) => term::boolean(name_matches(q)),
        Value::Str(t) => term::or(
            &values
                .iter()
                .map(|x| term::eq(t, &term::string(x)))
                .collect::<Vec<_>>(),
        ),
        Value::Phi(c, a, b) => {
            let x = one_of(ex, a, values, unknown_may);
            let y = one_of(ex, b, values, unknown_may);
            term::ite(c, &x, &y)
        }
        Value::Unknown(b) => {
            let Some(base) = ex.syms.base(*b).cloned() else {
                return term::boolean(!unknown_may);
            };
            if let Some(t) = &base.type_name
                && name_matches(t)
            {
                return term::boolean(true);
            }
            // "Is it one of the safe ones?" is a question about data we cannot see: a
            // symbol that the reporting policy recognises by its origin.
            term::not(
                &ex.syms
                    .fresh(&format!("{} is unsafe", base.name), Sort::Bool, base.origin),
            )
        }
        Value::None => term::boolean(false),
        _ => term::boolean(false),
    }
}

/// A string assembled from constant text and data, where a data part can contain one of
/// `chars` (any data at all when `chars` is empty). The condition is stated on the data
/// parts themselves, not on the whole text.
/// `shlex.quote` names one function; `*.quote_name` a method on any receiver.
fn sanitizer_matches(sanitizer: &str, ty: &str) -> bool {
    match sanitizer.strip_prefix('*') {
        Some(suffix) => ty.ends_with(suffix),
        None => sanitizer == ty,
    }
}

fn built_from_data(
    t: &T,
    chars: &str,
    sanitizers: &[String],
    whole: bool,
    syms: &super::value::Symbols,
) -> T {
    let sanitized = |p: &T| match &**p {
        term::Term::Sym(id, _) => syms
            .type_of_symbol(*id)
            .is_some_and(|ty| sanitizers.iter().any(|s| sanitizer_matches(s, &ty))),
        _ => false,
    };
    let can_hold = |p: &T| -> Vec<T> {
        if chars.is_empty() {
            vec![term::gt(&term::str_len(p), &term::int(0))]
        } else {
            chars
                .chars()
                .map(|c| term::contains(p, &term::string(&c.to_string())))
                .collect()
        }
    };
    match &**t {
        term::Term::Concat(parts) => {
            if !whole && !parts.iter().any(|p| p.is_const()) {
                return term::boolean(false);
            }
            let mut alts = Vec::new();
            for p in parts.iter().filter(|p| !literal_only(p) && !sanitized(p)) {
                alts.extend(can_hold(p));
            }
            term::or(&alts)
        }
        term::Term::Ite(c, a, b) => term::ite(
            c,
            &built_from_data(a, chars, sanitizers, whole, syms),
            &built_from_data(b, chars, sanitizers, whole, syms),
        ),
        _ if whole && !t.is_const() && !sanitized(t) => term::or(&can_hold(t)),
        _ => term::boolean(false),
    }
}

/// Text made of literals only, whichever branch is taken:
/// `" TIME_ZONE = 'UTC'" if settings.USE_TZ else ""` is no data.
fn literal_only(t: &T) -> bool {
    match &**t {
        term::Term::Ite(_, a, b) => literal_only(a) && literal_only(b),
        term::Term::Concat(parts) => parts.iter().all(literal_only),
        _ => t.is_const(),
    }
}

/// `False` or `0` itself: the value of a switch turned off. Strings and None are not.
fn can_be_false(ex: &mut Exec, v: &Value) -> T {
    match v {
        Value::Bool(t) => term::not(t),
        Value::Int(t) => term::eq(t, &term::int(0)),
        Value::Phi(c, a, b) => {
            let x = can_be_false(ex, a);
            let y = can_be_false(ex, b);
            term::ite(c, &x, &y)
        }
        Value::Unknown(b) => {
            let is_str = ex
                .syms
                .base(*b)
                .and_then(|b| b.type_name.clone())
                .is_some_and(|t| &*t == "builtins.str");
            if is_str {
                term::boolean(false)
            } else {
                term::not(&value::truthy(v, &mut ex.syms))
            }
        }
        _ => term::boolean(false),
    }
}

fn kind_of(rule: &Rule) -> SiteKind {
    let data = rule.when.iter().any(|c| {
        matches!(
            c,
            Check::BuiltFromData { .. } | Check::NonLiteral { .. } | Check::NoneOf { .. }
        )
    });
    if data {
        SiteKind::SecurityData
    } else {
        SiteKind::SecurityValue
    }
}

fn render_message(template: &str, callee: &str, arg: &str) -> String {
    template.replace("{callee}", callee).replace("{arg}", arg)
}

/// The bad condition of a rule at a site: every `when` can hold and no `unless` does.
fn rule_condition(ex: &mut Exec, rule: &Rule, args: &[CallArg]) -> T {
    let mut parts = Vec::new();
    for c in &rule.when {
        parts.push(compile(ex, c, args));
    }
    for c in &rule.unless {
        let t = compile(ex, c, args);
        parts.push(term::not(&t));
    }
    term::and(&parts)
}

pub fn check_call(
    ex: &mut Exec,
    st: &State,
    call: &Expr,
    func: &Expr,
    qual: Option<&str>,
    method: Option<&str>,
    args: &[CallArg],
) {
    let mut hits: Vec<usize> = Vec::new();
    if let Some(q) = qual
        && let Some(v) = ex.index.calls.get(q)
    {
        hits.extend(v);
    }
    // `*.name` rules are about methods called on objects, not functions of standard
    // library modules (`os.chmod` is not a `*.chmod` method call).
    let module_function = qual
        .and_then(|q| q.rsplit_once('.'))
        .is_some_and(|(qualifier, _)| {
            let top = qualifier.split('.').next().unwrap_or(qualifier);
            // `os.path` is a module; `tarfile.TarFile` is a class whose methods count.
            super::stdlib::is_stdlib_module(top)
                && !qualifier
                    .split('.')
                    .any(|seg| seg.starts_with(char::is_uppercase))
        });
    let method = method.or_else(|| {
        qual.filter(|_| !module_function)
            .and_then(|q| q.rsplit('.').next())
    });
    if let Some(m) = method
        && let Some(v) = ex.index.methods.get(m)
    {
        hits.extend(
            v.iter()
                .filter(|i| !hits.contains(i))
                .copied()
                .collect::<Vec<_>>(),
        );
    }
    if hits.is_empty() {
        return;
    }
    let callee = qual
        .map(str::to_string)
        .unwrap_or_else(|| ex.text(func.span));
    for i in hits {
        let Some(rule) = ex.index.rules.get(i).cloned() else {
            continue;
        };
        let bad = rule_condition(ex, &rule, args);
        if bad.as_bool() == Some(false) && !st.live {
            continue;
        }
        let arg_text = rule
            .when
            .iter()
            .chain(rule.unless.iter())
            .find_map(|c| match lookup(args, c.at()) {
                Lookup::Found(a) => Some(ex.text(a.expr.span)),
                _ => None,
            })
            .unwrap_or_default();
        let message = render_message(&rule.message, &callee, &arg_text);
        let fix = rule
            .fix
            .as_ref()
            .and_then(|f| make_fix(ex, f, call, func, args));
        let property = format!("{}: the unsafe case cannot happen here", rule.name);
        let before = ex.sites.len();
        ex.site(
            st,
            &rule.id,
            call.span,
            bad,
            Vec::new(),
            message,
            property,
            kind_of(&rule),
        );
        if let Some(s) = ex.sites.get_mut(before) {
            s.fix = fix;
        }
    }
}

fn make_fix(
    ex: &Exec,
    f: &crate::rules::FixTemplate,
    call: &Expr,
    func: &Expr,
    args: &[CallArg],
) -> Option<Fix> {
    let mut edits = Vec::new();
    if let (Some(name), Some(to)) = (&f.set_arg, &f.to) {
        match args
            .iter()
            .find(|a| a.keyword.as_deref() == Some(name.as_str()))
        {
            Some(a) => edits.push(Edit {
                start: a.expr.span.start,
                end: a.expr.span.end,
                replacement: to.clone(),
            }),
            None => {
                // Insert before the closing parenthesis of the call.
                let end = call.span.end;
                if ex.text(Span {
                    start: end.checked_sub(1)?,
                    end,
                    ..call.span
                }) != ")"
                {
                    return None;
                }
                let sep = if args.is_empty() { "" } else { ", " };
                edits.push(Edit {
                    start: end - 1,
                    end: end - 1,
                    replacement: format!("{sep}{name}={to}"),
                });
            }
        }
    }
    if let Some(new_name) = &f.rename_call {
        if let ExprKind::Attribute { attr, .. } = &func.kind {
            let end = func.span.end;
            let start = end.checked_sub(attr.len() as u32)?;
            edits.push(Edit {
                start,
                end,
                replacement: new_name.clone(),
            });
        } else if let Some(q) = func.qualified_name() {
            let last = q.rsplit('.').next()?.to_string();
            if ex.text(func.span) == last {
                edits.push(Edit {
                    start: func.span.start,
                    end: func.span.end,
                    replacement: new_name.clone(),
                });
            } else {
                return None;
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        description: f.description.clone(),
        edits,
    })
}

/// `obj.attr = value`.
#[allow(clippy::too_many_arguments)]
pub fn check_assign(
    ex: &mut Exec,
    st: &State,
    obj_expr: &Expr,
    _obj: &Value,
    attr: &str,
    v: &Value,
    source: Option<&Expr>,
    span: Span,
) {
    let mut hits: Vec<usize> = ex.index.assign_attrs.get(attr).cloned().unwrap_or_default();
    if let Some(q) = obj_expr.qualified_name()
        && let Some(more) = ex.index.assign_quals.get(&format!("{q}.{attr}"))
    {
        hits.extend(more);
    }
    if hits.is_empty() {
        return;
    }
    let expr = source
        .cloned()
        .unwrap_or_else(|| Expr::new(ExprKind::Unknown, span));
    let args = vec![CallArg {
        keyword: Some("value".into()),
        value: v.clone(),
        unpack: Unpack::None,
        span: expr.span,
        expr,
    }];
    let target = format!("{}.{attr}", ex.text(obj_expr.span));
    for i in hits {
        let Some(rule) = ex.index.rules.get(i).cloned() else {
            continue;
        };
        let bad = rule_condition(ex, &rule, &args);
        let arg_text = ex.text(args[0].span);
        let message = render_message(&rule.message, &target, &arg_text);
        let property = format!("{}: the unsafe value is never assigned here", rule.name);
        let site_span = Span {
            end: args[0].span.end.max(span.end),
            end_line: args[0].span.end_line.max(span.end_line),
            end_col: if args[0].span.end_line >= span.end_line {
                args[0].span.end_col
            } else {
                span.end_col
            },
            ..span
        };
        ex.site(
            st,
            &rule.id,
            site_span,
            bad,
            Vec::new(),
            message,
            property,
            kind_of(&rule),
        );
    }
}

/// Any mention of a qualified name (`ssl._create_unverified_context`).
pub fn check_reference(ex: &mut Exec, st: &State, q: &str, span: Span) {
    let Some(hits) = ex.index.references.get(q).cloned() else {
        return;
    };
    for i in hits {
        let Some(rule) = ex.index.rules.get(i).cloned() else {
            continue;
        };
        let message = render_message(&rule.message, q, q);
        ex.site(
            st,
            &rule.id,
            span,
            term::boolean(true),
            Vec::new(),
            message,
            String::new(),
            SiteKind::SecurityValue,
        );
    }
}
