//! Where attacker data enters: the sources of `rules/sources.toml` met during execution.
//!
//! A source value is an unknown whose origin is [`Origin::Source`], named as the code reads
//! it (`request.args.get("name")`), typed by its qualified name so that methods called on
//! it still resolve (`flask.request.args.get`). Everything computed from it inherits the
//! origin (`origin_of` ranks `Source` first), and so do results of the library calls listed
//! as propagators: `base64.b64decode(data)` is as much the attacker's as `data`, while a
//! URL `reverse()` builds from it is the program's.

use super::{CallArg, Callee, Exec, origin_of};
use crate::analyze::regex_guard::Mode;
use crate::analyze::value::{self, Value};
use crate::ir::{Arg, Const, Expr, ExprKind, Function, Span, Unpack};
use crate::term::{self, Origin, T};

/// `str` predicates that say which characters a string holds, as the anchored patterns
/// they amount to (ASCII stands in for Python's Unicode classes: the characters checks ask
/// about are ASCII punctuation, which none of these accept).
const CLASS_PREDICATES: &[(&str, &str)] = &[
    ("isdigit", "[0-9]+"),
    ("isdecimal", "[0-9]+"),
    ("isnumeric", "[0-9]+"),
    ("isalpha", "[A-Za-z]+"),
    ("isalnum", "[A-Za-z0-9]+"),
    ("isidentifier", "[A-Za-z_][A-Za-z0-9_]*"),
    ("islower", "[a-z0-9_ ]*[a-z][a-z0-9_ ]*"),
];

/// Witness names longer than this are cut to the callee's name (`x.get()`).
const MAX_NAME: usize = 48;

impl<'a> Exec<'a> {
    /// A reference to a source by qualified name (`flask.request.args`, `sys.argv`): the
    /// data itself, or `None` when the name is no active source.
    pub(super) fn source_value(&mut self, qualname: &str, span: Span) -> Option<Value> {
        self.index.sources.value(qualname)?;
        let name = self.source_name(span, qualname);
        Some(self.fresh_source(&name, Some(qualname), span))
    }

    /// A new source value, remembered with where it was read.
    pub(super) fn fresh_source(&mut self, name: &str, ty: Option<&str>, span: Span) -> Value {
        let v = self.fresh_unknown(name, Origin::Source, ty);
        if let Value::Unknown(b) = v {
            self.syms.mark_source(b, span);
        }
        v
    }

    /// The origin of a call's result that no model covers: a source when the callee is
    /// one (`input()`, `requests.get()`, `sock.recv()`), or when it is a propagator
    /// (`[[propagator]]` in `rules/sources.toml`) and data from a source goes in
    /// (`json.loads(body)`).
    pub(super) fn call_origin(&self, type_name: Option<&str>, args: &[CallArg]) -> Option<Origin> {
        if type_name.is_some_and(|t| self.index.sources.call(t).is_some()) {
            return Some(Origin::Source);
        }
        let passes_on = type_name.is_some_and(|t| self.index.sources.propagates(t));
        (passes_on
            && args
                .iter()
                .any(|a| origin_of(&a.value, &self.syms) == Origin::Source))
        .then_some(Origin::Source)
    }

    /// An attribute read from a value that makes it data: a request handler's
    /// `request.GET`, a form's `cleaned_data`.
    pub(super) fn source_attr(&mut self, obj: &Value, attr: &str, span: Span) -> Option<Value> {
        if !self.framework_module {
            return None;
        }
        let is_request = match obj {
            Value::Unknown(b) => self.syms.base(*b).is_some_and(|b| {
                matches!(b.origin, Origin::Param | Origin::Source)
                    && b.name.rsplit('.').next() == Some("request")
            }),
            _ => false,
        };
        let data = (is_request && self.index.sources.request_attr(attr).is_some())
            || self.index.sources.attr(attr).is_some();
        if !data {
            return None;
        }
        let name = self.source_name(span, attr);
        let ty = self.type_of(obj).map(|t| format!("{t}.{attr}"));
        Some(self.fresh_source(&name, ty.as_deref(), span))
    }

    /// How a witness names a source: the expression as written when it is short.
    pub(super) fn source_name(&self, span: Span, fallback: &str) -> String {
        let text = self.text(span);
        if !text.is_empty() && text.len() <= MAX_NAME && !text.contains('\n') {
            text
        } else {
            fallback.to_string()
        }
    }

    /// Which parameters of a function receive request data: all of a route handler's
    /// (`@app.route("/u/<name>")`, `@router.get(...)`), and those after `request` in a
    /// Django view (`def detail(request, pk)`). Only in modules that import a web
    /// framework, so a `@cache.get` decorator elsewhere means nothing.
    pub(super) fn handler_params(&self, f: &Function, receiver: bool) -> Vec<bool> {
        let mut out = vec![false; f.params.len()];
        if !self.framework_module {
            return out;
        }
        let sources = &self.index.sources;
        let route = f.decorators.iter().any(|d| match &d.kind {
            ExprKind::Call { func, .. } => matches!(
                &func.kind,
                ExprKind::Attribute { attr, .. } if sources.route_decorators.contains(attr)
            ),
            _ => false,
        });
        let first = usize::from(receiver);
        if route {
            for flag in out.iter_mut().skip(first) {
                *flag = true;
            }
            return out;
        }
        let view = self
            .module
            .imports
            .iter()
            .any(|i| sources.view_frameworks.contains(&i.top_level));
        if view && f.params.get(first).is_some_and(|p| p.name == "request") {
            for flag in out.iter_mut().skip(first + 1) {
                *flag = true;
            }
        }
        out
    }

    /// A call's name for a witness, with its first literal argument when it has one:
    /// `request.args.get("name")` tells which of several reads is meant.
    pub(super) fn call_name(&self, func: &Expr, args: &[Arg], fallback: &str) -> String {
        let head = super::access_path(func).unwrap_or_else(|| {
            let text = self.text(func.span);
            if text.is_empty() || text.contains('\n') {
                fallback.to_string()
            } else {
                text
            }
        });
        let key = args.first().and_then(|a| match &a.value.kind {
            ExprKind::Const(Const::Str(s)) if a.keyword.is_none() && s.len() <= 24 => {
                Some(format!("{s:?}"))
            }
            _ => None,
        });
        let name = format!("{head}({})", key.unwrap_or_default());
        if name.len() <= MAX_NAME {
            name
        } else {
            format!("{fallback}()")
        }
    }
}

impl<'a> Exec<'a> {
    /// Checks on a string of unknown content that the sinks care about:
    /// `name.startswith("/")`, `name.endswith(".png")`, `code.isdigit()`. A receiver the
    /// analysis knows to be something else (typed) is left to the other models.
    pub(super) fn string_guard(&mut self, callee: &Callee, args: &[CallArg]) -> Option<Value> {
        let Callee::Method(recv, m) = callee else {
            return None;
        };
        // An unknown's "type" is the call that produced it (`flask.request.args.get`), not
        // a class with its own `startswith`: the str meaning is the one to take. A
        // receiver known to be something else (a list, a constant object) is not a str.
        if !matches!(recv, Value::Unknown(_) | Value::Str(_) | Value::Phi(..)) {
            return None;
        }
        let pos: Vec<&CallArg> = args
            .iter()
            .filter(|a| a.keyword.is_none() && a.unpack == Unpack::None)
            .collect();
        if let Some((_, pattern)) = CLASS_PREDICATES.iter().find(|(name, _)| name == m) {
            if !pos.is_empty() {
                return None;
            }
            return self.match_fact(pattern, Mode::Full, recv).map(Value::Bool);
        }
        if m != "startswith" && m != "endswith" {
            return None;
        }
        let [arg] = pos.as_slice() else {
            return None;
        };
        let s = value::as_str(recv, &mut self.syms)?;
        // A tuple of alternatives, or one string.
        let choices: Vec<T> = match &arg.value {
            Value::Seq {
                items: Some(xs), ..
            } => xs
                .iter()
                .map(|x| value::as_str(x, &mut self.syms))
                .collect::<Option<Vec<T>>>()?,
            v => vec![value::as_str(v, &mut self.syms)?],
        };
        let alts: Vec<T> = choices
            .iter()
            .map(|p| {
                if m == "startswith" {
                    term::prefix_of(p, &s)
                } else {
                    term::suffix_of(p, &s)
                }
            })
            .collect();
        Some(Value::Bool(term::or(&alts)))
    }

    /// `url_has_allowed_host_and_scheme(url, ...)` (Django's check before a redirect): when
    /// it holds, the URL stays on an allowed host, which for a redirect sink means it is not
    /// the off-site shape the rule asks about (`//host`, `/\\host`, `scheme:`).
    pub(super) fn redirect_guard(&mut self, qual: Option<&str>, args: &[CallArg]) -> Option<Value> {
        const GUARDS: &[&str] = &[
            "django.utils.http.url_has_allowed_host_and_scheme",
            "django.utils.http.is_safe_url",
        ];
        if !qual.is_some_and(|q| GUARDS.contains(&q)) {
            return None;
        }
        let url = args
            .iter()
            .find(|a| a.keyword.as_deref() == Some("url"))
            .or_else(|| args.iter().find(|a| a.keyword.is_none()))?;
        let s = value::as_str(&url.value, &mut self.syms)?;
        let origin = origin_of(&url.value, &self.syms);
        let ok = self
            .syms
            .fresh("url is on an allowed host", crate::term::Sort::Bool, origin);
        let starts = |p: &str| term::prefix_of(&term::string(p), &s);
        let on_site = term::and(&[
            term::not(&starts("//")),
            term::not(&starts("/\\")),
            term::not(&starts("\\")),
            term::or(&[
                starts("/"),
                term::not(&term::contains(&s, &term::string(":"))),
            ]),
        ]);
        self.syms.axioms.push(term::implies(&ok, &on_site));
        Some(Value::Bool(ok))
    }

    /// `os.path.join(a, b, ...)` as the text it builds: a part that starts with `/` drops
    /// everything before it, else the parts are joined with `/`.
    pub(super) fn path_join(&mut self, args: &[CallArg]) -> Option<Value> {
        if args.is_empty()
            || args
                .iter()
                .any(|a| a.keyword.is_some() || a.unpack != Unpack::None)
        {
            return None;
        }
        let mut acc: Option<T> = None;
        for a in args {
            let part = value::as_str(&a.value, &mut self.syms)?;
            acc = Some(match acc {
                None => part,
                Some(prev) => {
                    let absolute = term::prefix_of(&term::string("/"), &part);
                    let joined = term::concat(&[prev, term::string("/"), part.clone()]);
                    term::ite(&absolute, &part, &joined)
                }
            });
        }
        acc.map(Value::Str)
    }
}

/// Whether a module imports any of the frameworks whose handlers have request data.
pub(super) fn imports_framework(module: &crate::ir::Module, frameworks: &[String]) -> bool {
    module
        .imports
        .iter()
        .any(|i| frameworks.contains(&i.top_level))
}
