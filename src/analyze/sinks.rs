//! Matching declarative rules at call sites, attribute assignments and references, and
//! compiling their checks into bad conditions over the site's symbolic values.

use std::collections::HashMap;

use super::exec::{CallArg, Exec, SiteKind, State};
use super::value::{self, Value};
use crate::finding::Fix;
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
    /// The sources active under the run's threat model.
    pub sources: Sources,
}

/// The active `[[source]]` tables, indexed for the analysis's lookups.
#[derive(Default)]
pub struct Sources {
    /// Qualified name -> what the data is.
    values: HashMap<String, String>,
    calls: HashMap<String, String>,
    request_attrs: HashMap<String, String>,
    attrs: HashMap<String, String>,
    pub route_decorators: Vec<String>,
    pub view_frameworks: Vec<String>,
    pub frameworks: Vec<String>,
    /// Calls whose result carries their arguments' data.
    propagators: std::collections::HashSet<String>,
}

impl Sources {
    pub fn new(catalog: &Catalog, model: crate::rules::Threat) -> Sources {
        let mut out = Sources {
            propagators: catalog.propagators.iter().cloned().collect(),
            ..Sources::default()
        };
        for s in catalog
            .sources
            .iter()
            .filter(|s| s.threat.active_under(model))
        {
            for v in &s.values {
                out.values.insert(v.clone(), s.name.clone());
            }
            for c in &s.calls {
                out.calls.insert(c.clone(), s.name.clone());
            }
            for a in &s.request_attrs {
                out.request_attrs.insert(a.clone(), s.name.clone());
            }
            for a in &s.attrs {
                out.attrs.insert(a.clone(), s.name.clone());
            }
            out.route_decorators
                .extend(s.route_decorators.iter().cloned());
            out.view_frameworks
                .extend(s.view_frameworks.iter().cloned());
            out.frameworks.extend(s.frameworks.iter().cloned());
        }
        out
    }

    /// The source a qualified name is, or lies inside (`flask.request.args.get` is read
    /// from `flask.request.args`).
    pub fn value(&self, qualname: &str) -> Option<&str> {
        let mut q = qualname;
        loop {
            if let Some(s) = self.values.get(q) {
                return Some(s);
            }
            q = &q[..q.rfind('.')?];
        }
    }

    /// The source a call's result is, by the callee's qualified name or type.
    pub fn call(&self, qualname: &str) -> Option<&str> {
        self.calls.get(qualname).map(String::as_str)
    }

    /// Whether a call passes its arguments' data on to its result.
    pub fn propagates(&self, qualname: &str) -> bool {
        self.propagators.contains(qualname)
    }

    pub fn request_attr(&self, attr: &str) -> Option<&str> {
        self.request_attrs.get(attr).map(String::as_str)
    }

    pub fn attr(&self, attr: &str) -> Option<&str> {
        self.attrs.get(attr).map(String::as_str)
    }
}

/// Does `id` pass `--select`/`--ignore` (ids or prefixes)?
pub fn rule_enabled(id: &str, select: &[String], ignore: &[String]) -> bool {
    let matches = |p: &String| id == p || id.starts_with(p.as_str());
    (select.is_empty() || select.iter().any(matches)) && !ignore.iter().any(matches)
}

impl RuleIndex {
    /// The rules of one language (built-in checks share engine names across languages:
    /// `division-by-zero` is PY-A001 in Python and RS-A002 in Rust), with the sources
    /// active under the threat model.
    pub fn new(
        catalog: &Catalog,
        select: &[String],
        ignore: &[String],
        threat: crate::rules::Threat,
        language: crate::ir::Language,
    ) -> RuleIndex {
        let wanted = match language {
            crate::ir::Language::Python => "python",
            crate::ir::Language::Rust => "rust",
        };
        let mut ix = RuleIndex {
            sources: Sources::new(catalog, threat),
            ..RuleIndex::default()
        };
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
                let asked: String = match c {
                    Check::BuiltFromData {
                        chars,
                        substrings,
                        prefixes,
                        ..
                    } => chars
                        .chars()
                        .chain(substrings.iter().flat_map(|s| s.chars()))
                        .chain(prefixes.iter().flat_map(|s| s.chars()))
                        .collect(),
                    Check::UrlFromData { .. } => "/\\:".into(),
                    _ => String::new(),
                };
                for ch in asked.chars() {
                    if !ix.interesting_chars.contains(&ch) {
                        ix.interesting_chars.push(ch);
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
            substrings,
            prefixes,
            ..
        } => found.map_or(f, |a| {
            let t = match (&a.value, whole) {
                (Value::Str(t), _) => Some(t.clone()),
                // A whole value of unknown content: its text is the data part.
                (Value::Unknown(_) | Value::Phi(..), true) => value::as_str(&a.value, &mut ex.syms),
                _ => None,
            };
            match t {
                Some(t) => {
                    let dangers = Dangers {
                        chars,
                        substrings,
                        sanitizers,
                        whole: *whole,
                    };
                    let inside = built_from_data(&t, &dangers, &ex.syms);
                    let starts = starts_with_data(&t, prefixes, sanitizers, &ex.syms);
                    term::or(&[inside, starts])
                }
                None => term::boolean(false),
            }
        }),
        Check::UrlFromData {
            relative,
            sanitizers,
            ..
        } => found.map_or(f, |a| match value::as_str(&a.value, &mut ex.syms) {
            Some(t) if !a.value.is_constant() => url_from_data(&t, *relative, sanitizers, &ex.syms),
            _ => term::boolean(false),
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

/// Data someone else controls: a source's data (stated over the data itself, so the
/// witness is text the attacker sends), or a caller's argument (named, so the latent report
/// says which argument must be trusted). A value only unknown calls produce is the
/// program's own: the condition names it with that origin and the policy does not report
/// it. Constants are no data at all.
fn non_literal(ex: &mut Exec, v: &Value) -> T {
    if v.is_constant() {
        return term::boolean(false);
    }
    let origin = super::exec::origin_of(v, &ex.syms);
    if origin == Origin::Source {
        let mut ids = Vec::new();
        if let Some(t) = value::as_str(v, &mut ex.syms) {
            t.symbols(&mut ids);
        }
        let texts: Vec<T> = ids
            .iter()
            .filter_map(|id| ex.syms.symbol(*id))
            .filter(|s| s.origin == Origin::Source && s.sort == Sort::Str)
            .map(|s| term::gt(&term::str_len(&term::sym(s.id, Sort::Str)), &term::int(0)))
            .collect();
        if !texts.is_empty() {
            return term::or(&texts);
        }
    }
    let name = match v {
        Value::Unknown(b) => ex.syms.base(*b).map(|b| b.name.clone()),
        _ => None,
    }
    .unwrap_or_else(|| "the value".into());
    term::not(
        &ex.syms
            .fresh(&format!("{name} is a constant"), Sort::Bool, origin),
    )
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

/// What a data part of a string must not be able to hold at a sink.
struct Dangers<'r> {
    chars: &'r str,
    substrings: &'r [String],
    sanitizers: &'r [String],
    whole: bool,
}

/// A part of a built string produced by one of the sink's sanitizers (`shlex.quote(x)`).
fn sanitized(p: &T, sanitizers: &[String], syms: &super::value::Symbols) -> bool {
    match &**p {
        term::Term::Sym(id, _) => syms
            .type_of_symbol(*id)
            .is_some_and(|ty| sanitizers.iter().any(|s| sanitizer_matches(s, &ty))),
        _ => false,
    }
}

fn built_from_data(t: &T, d: &Dangers, syms: &super::value::Symbols) -> T {
    let can_hold = |p: &T| -> Vec<T> {
        let mut out: Vec<T> = d
            .chars
            .chars()
            .map(|c| term::contains(p, &term::string(&c.to_string())))
            .collect();
        out.extend(
            d.substrings
                .iter()
                .map(|s| term::contains(p, &term::string(s))),
        );
        out
    };
    if d.chars.is_empty() && d.substrings.is_empty() {
        return term::boolean(false);
    }
    match &**t {
        term::Term::Concat(parts) => {
            if !d.whole && !parts.iter().any(|p| p.is_const()) {
                return term::boolean(false);
            }
            let mut alts = Vec::new();
            for p in parts
                .iter()
                .filter(|p| !literal_only(p) && !sanitized(p, d.sanitizers, syms))
            {
                alts.extend(can_hold(p));
            }
            term::or(&alts)
        }
        term::Term::Ite(c, a, b) => term::ite(
            c,
            &built_from_data(a, d, syms),
            &built_from_data(b, d, syms),
        ),
        _ if d.whole && !t.is_const() && !sanitized(t, d.sanitizers, syms) => {
            term::or(&can_hold(t))
        }
        _ => term::boolean(false),
    }
}

/// The value can start with one of `prefixes` because data comes first: a constant start
/// (`"uploads/" + name`) decides it, so only a start that is data can.
fn starts_with_data(
    t: &T,
    prefixes: &[String],
    sanitizers: &[String],
    syms: &super::value::Symbols,
) -> T {
    if prefixes.is_empty() || literal_only(t) {
        return term::boolean(false);
    }
    let first = match &**t {
        term::Term::Concat(parts) => parts.first().cloned(),
        term::Term::Ite(..) => None,
        _ => Some(t.clone()),
    };
    let Some(first) = first else {
        return term::boolean(false);
    };
    if literal_only(&first) || sanitized(&first, sanitizers, syms) {
        return term::boolean(false);
    }
    term::or(
        &prefixes
            .iter()
            .map(|p| term::prefix_of(&term::string(p), t))
            .collect::<Vec<_>>(),
    )
}

/// A URL the data can point elsewhere: its scheme and host are not fixed by a constant
/// start (`"https://api.example.com/" + path` is safe; so is `"/profile/" + name` for a
/// `relative` sink). The condition is on the whole URL, so guards on it count
/// (`url.startswith("/") and not url.startswith("//")`).
fn url_from_data(t: &T, relative: bool, sanitizers: &[String], syms: &super::value::Symbols) -> T {
    let parts: Vec<T> = match &**t {
        term::Term::Concat(parts) => parts.clone(),
        _ => vec![t.clone()],
    };
    // The constant text before the first data part.
    let mut prefix = String::new();
    let mut first_data = None;
    for p in &parts {
        match p.as_str() {
            Some(s) => prefix.push_str(s),
            None => {
                first_data = Some(p.clone());
                break;
            }
        }
    }
    let Some(data) = first_data else {
        return term::boolean(false);
    };
    if literal_only(&data) || sanitized(&data, sanitizers, syms) || host_fixed(&prefix, relative) {
        return term::boolean(false);
    }
    let starts = |p: &str| term::prefix_of(&term::string(p), t);
    let off_site = if relative {
        // `//evil.example`, `/\evil.example`, `https:...`, `javascript:...`.
        term::or(&[
            starts("//"),
            starts("/\\"),
            starts("\\"),
            term::and(&[
                term::not(&starts("/")),
                term::contains(t, &term::string(":")),
            ]),
        ])
    } else {
        // Any URL whose host part the data writes.
        term::boolean(true)
    };
    term::and(&[off_site, term::gt(&term::str_len(&data), &term::int(0))])
}

/// Whether a constant start of a URL fixes where it points: `scheme://host/` (the host
/// complete), or for a relative sink a path on this site (`/x`, not `//x` or `/\x`).
fn host_fixed(prefix: &str, relative: bool) -> bool {
    if let Some(i) = prefix.find("://") {
        let rest = &prefix[i + 3..];
        return rest.find(['/', '?', '#']).is_some_and(|j| j > 0);
    }
    relative
        && prefix.starts_with('/')
        && prefix.chars().nth(1).is_some_and(|c| c != '/' && c != '\\')
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
            Check::BuiltFromData { .. }
                | Check::UrlFromData { .. }
                | Check::NonLiteral { .. }
                | Check::NoneOf { .. }
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
        let fix = make_fix(ex, &rule, call, func, args);
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

/// The rule's fix at this call, when it keeps the code running (`crate::fix_template`).
fn make_fix(ex: &Exec, rule: &Rule, call: &Expr, func: &Expr, args: &[CallArg]) -> Option<Fix> {
    let parts: Vec<crate::fix_template::CallPart<'_>> = args
        .iter()
        .map(|a| crate::fix_template::CallPart {
            keyword: a.keyword.as_deref(),
            expr: &a.expr,
            unpack: a.unpack,
            span: a.span,
        })
        .collect();
    crate::fix_template::build(&ex.module.source, rule, call, func, &parts)
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
