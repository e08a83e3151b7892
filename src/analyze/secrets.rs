//! Lexical secret detection.
//!
//! * PY-S901: a string literal that is given to something named like a credential
//!   (`password = "..."`, `connect(password="...")`, `{"api_key": "..."}`, a parameter
//!   default, `if token == "..."`, `os.getenv("DB_PASSWORD", "...")`), a password inside a
//!   URL (`postgres://app:pw@db/app`), and the password slot of basic-auth helpers.
//! * PY-S902: any string literal with the exact shape of a provider credential (AWS,
//!   GitHub, Stripe live keys, PEM private keys with key material...).
//!
//! Precision matters more than recall here: a secret scanner that flags
//! `PASSWORD_FIELD = "password"` or `"your-api-key-here"` trains people to ignore it. So
//! names that *describe* a credential (`token_url`, `password_field`) and values that are
//! visibly placeholders (templates, `xxx`, `changeme`) are skipped; see `is_placeholder`.
//! Values that *label* a credential (`"_password_reset_token"`, a regex, a URL) are
//! skipped by `is_real_secret`, and a bare `token` name needs a generated-looking value,
//! because lexers and template engines compare `token` with keywords all day.
//! PY-S901 does not run on test code (`is_test_path`); PY-S902 does.
//! No hit ever prints the secret itself, only a short prefix, because findings end up in
//! CI logs and SARIF uploads.

use std::sync::LazyLock;

use regex::Regex;

use crate::ir::{Arg, CmpOp, Expr, ExprKind, FPart, Module, Param, Span, Stmt, StmtKind, Target};

pub const HARDCODED_PASSWORD: &str = "PY-S901";
pub const PROVIDER_KEY: &str = "PY-S902";
/// A credential or host left as an instruction to fill in (`"YOUR_API_KEY"`,
/// `"https://api.example.com"`); reported by the placeholder family.
pub const PLACEHOLDER_VALUE: &str = "PY-A203";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretHit {
    pub rule: &'static str,
    pub span: Span,
    pub message: String,
    /// What was found: "password", "AWS access key ID", ...
    pub secret_kind: String,
}

/// Deeply nested expressions are cut off here rather than risking the stack; a secret
/// buried 200 levels deep in an expression is not a realistic case.
const MAX_DEPTH: usize = 200;

pub fn scan(module: &Module) -> Vec<SecretHit> {
    let mut hits = Vec::new();
    // Test code is full of passwords made up for the test (`create_user(password="pw")`,
    // `{"password": "secret"}`): on Django, 380 of 389 PY-S901 findings were in tests and
    // not one was a credential that works anywhere. PY-S902 still runs there: a live
    // provider key is just as leaked in a fixture as in the application.
    let password_rule = !is_test_path(&module.path);
    for (span, text) in &module.strings {
        if let Some((kind, shown)) = provider_key(text) {
            hits.push(SecretHit {
                rule: PROVIDER_KEY,
                span: *span,
                message: format!("{kind} in a string literal (`{shown}`)"),
                secret_kind: kind.to_string(),
            });
        } else if password_rule && let Some(shown) = url_password(text) {
            hits.push(SecretHit {
                rule: HARDCODED_PASSWORD,
                span: *span,
                message: format!("hard-coded password in a URL (`{shown}`)"),
                secret_kind: "password in URL".into(),
            });
        }
    }
    if !password_rule {
        hits.sort_by_key(|h| (h.span.start, h.rule));
        return hits;
    }
    let mut w = Walker { hits: &mut hits };
    for f in &module.functions {
        for p in &f.params {
            w.param(p, 0);
        }
        for d in &f.decorators {
            w.expr(d, 0);
        }
        w.block(&f.body, 0);
    }
    hits.sort_by_key(|h| (h.span.start, h.rule));
    hits.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
    hits
}

/// Directory names that hold tests, fixtures or test helpers.
const TEST_DIRS: &[&str] = &["tests", "test", "testing", "fixtures"];

/// Whether `path` (as given on the command line, relative or absolute) is test code: a
/// directory component `tests`, `test`, `testing` or `fixtures`, or a file named
/// `test_*.py`, `*_test.py`, `tests.py` or `conftest.py` (pytest's and unittest's
/// conventions).
pub(crate) fn is_test_path(path: &str) -> bool {
    // An absolute path also names the directories *above* the project
    // (`/home/me/test/app/db.py`); those say nothing about the file, so when the file is
    // under the working directory only the part below it counts.
    let cwd = std::env::current_dir().ok();
    is_test_path_below(path, cwd.as_deref())
}

/// `is_test_path` with the directory that absolute paths are taken relative to.
fn is_test_path_below(path: &str, base: Option<&std::path::Path>) -> bool {
    let full = std::path::Path::new(path);
    let rel = match base {
        Some(b) if full.is_absolute() => full.strip_prefix(b).unwrap_or(full),
        _ => full,
    };
    let rel = rel.to_string_lossy();
    // Split on both separators: paths from Windows command lines use `\`.
    let parts: Vec<&str> = rel.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let Some((file, dirs)) = parts.split_last() else {
        return false;
    };
    if dirs.iter().any(|d| TEST_DIRS.contains(d)) {
        return true;
    }
    let stem = file.strip_suffix(".py").unwrap_or(file);
    stem.starts_with("test_") || stem.ends_with("_test") || matches!(stem, "tests" | "conftest")
}

/// How a literal reaches the credential name. Whether a value that merely repeats the
/// name is a label depends on it: `PASSWORD = "password"` is a form-field constant,
/// but `connect(password="password")` and `if password == "password":` use the word
/// as the password itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Use {
    /// Assigned, stored under a key, or a parameter default.
    Bind,
    /// Passed as a keyword argument, an auth slot or an environment fallback.
    Pass,
    /// One side of `==` / `!=`.
    Compare,
}

struct Walker<'a> {
    hits: &'a mut Vec<SecretHit>,
}

impl Walker<'_> {
    /// Report `value` if it is a real-looking secret literal given to credential `name`;
    /// the message says "hard-coded <kind> <how> `<name>`".
    fn check(&mut self, span: Span, name: &str, value: &Expr, used: Use, how: &str) {
        self.check_slot(span, name, value, used, &format!("{how} `{name}`"));
    }

    /// Like `check`, for a value whose role is known from its position (the password of
    /// a basic-auth pair): `name` classifies it, `place` ends the message.
    fn check_slot(&mut self, span: Span, name: &str, value: &Expr, used: Use, place: &str) {
        let Some(text) = value.as_str_const() else {
            return;
        };
        let Some(kind) = credential_kind(name) else {
            return;
        };
        if is_real_secret(name, text, used) {
            self.hits.push(SecretHit {
                rule: HARDCODED_PASSWORD,
                span,
                message: format!("hard-coded {kind} {place}"),
                secret_kind: kind.to_string(),
            });
        } else if used != Use::Compare && is_fill_in(text) {
            let shown: String = text.chars().take(40).collect();
            self.hits.push(SecretHit {
                rule: PLACEHOLDER_VALUE,
                span,
                message: format!("placeholder {kind} {place} (`{shown}`): never filled in"),
                secret_kind: kind.to_string(),
            });
        }
    }

    fn param(&mut self, p: &Param, depth: usize) {
        if let Some(default) = &p.default {
            self.check(
                p.span,
                &p.name,
                default,
                Use::Bind,
                "as the default of parameter",
            );
            self.expr(default, depth + 1);
        }
    }

    fn block(&mut self, block: &[Stmt], depth: usize) {
        for s in block {
            self.stmt(s, depth);
        }
    }

    fn stmt(&mut self, s: &Stmt, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let d = depth + 1;
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                for t in targets {
                    self.assign(s.span, t, value);
                }
                self.expr(value, d);
            }
            StmtKind::AnnAssign {
                target,
                value: Some(value),
                ..
            } => {
                self.assign(s.span, target, value);
                self.expr(value, d);
            }
            StmtKind::AnnAssign { value: None, .. } => {}
            StmtKind::AugAssign { value, .. } => self.expr(value, d),
            StmtKind::Expr(e) => self.expr(e, d),
            StmtKind::If { cond, then, orelse }
            | StmtKind::While {
                cond,
                body: then,
                orelse,
            } => {
                self.expr(cond, d);
                self.block(then, d);
                self.block(orelse, d);
            }
            StmtKind::For {
                iter, body, orelse, ..
            } => {
                self.expr(iter, d);
                self.block(body, d);
                self.block(orelse, d);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                self.block(body, d);
                for h in handlers {
                    self.block(&h.body, d);
                }
                self.block(orelse, d);
                self.block(finally, d);
            }
            StmtKind::With { items, body } => {
                for item in items {
                    self.expr(&item.context, d);
                }
                self.block(body, d);
            }
            StmtKind::Match { subject, cases } => {
                self.expr(subject, d);
                for c in cases {
                    if let Some(g) = &c.guard {
                        self.expr(g, d);
                    }
                    self.block(&c.body, d);
                }
            }
            StmtKind::Return(Some(e)) | StmtKind::Raise(Some(e)) => self.expr(e, d),
            StmtKind::Assert { test, msg } => {
                self.expr(test, d);
                if let Some(m) = msg {
                    self.expr(m, d);
                }
            }
            StmtKind::Delete(es) => {
                for e in es {
                    self.expr(e, d);
                }
            }
            _ => {}
        }
    }

    fn assign(&mut self, span: Span, target: &Target, value: &Expr) {
        match target {
            Target::Local(name, _) | Target::ModuleVar(name, _) => {
                self.check(span, name, value, Use::Bind, "assigned to");
            }
            Target::Attribute { attr, .. } => {
                self.check(span, attr, value, Use::Bind, "assigned to");
            }
            Target::Subscript { index, .. } => {
                if let Some(key) = index.as_str_const() {
                    self.check(span, key, value, Use::Bind, "stored under key");
                }
            }
            // `user, password = "admin", "hunter2"`: pair the elements up.
            Target::Tuple(items, _) => {
                if let ExprKind::Tuple(values) | ExprKind::List(values) = &value.kind
                    && values.len() == items.len()
                {
                    for (t, v) in items.iter().zip(values) {
                        self.assign(span, t, v);
                    }
                }
            }
            Target::Starred(..) => {}
        }
    }

    fn expr(&mut self, e: &Expr, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let d = depth + 1;
        match &e.kind {
            ExprKind::Call { func, args } => {
                self.call(e, func, args);
                self.expr(func, d);
                for a in args {
                    self.expr(&a.value, d);
                }
            }
            ExprKind::Dict(entries) => {
                for (k, v) in entries {
                    if let Some(k) = k {
                        if let Some(key) = k.as_str_const() {
                            self.check(join(k.span, v.span), key, v, Use::Bind, "stored under key");
                        }
                        self.expr(k, d);
                    }
                    self.expr(v, d);
                }
            }
            ExprKind::Compare { left, ops } => {
                let mut prev: &Expr = left;
                for (op, right) in ops {
                    if matches!(op, CmpOp::Eq | CmpOp::NotEq) {
                        self.compare(e.span, prev, right);
                        self.compare(e.span, right, prev);
                    }
                    prev = right;
                }
                self.expr(left, d);
                for (_, r) in ops {
                    self.expr(r, d);
                }
            }
            ExprKind::Lambda { params, body } => {
                for p in params {
                    self.param(p, d);
                }
                self.expr(body, d);
            }
            ExprKind::Attribute { value, .. } => self.expr(value, d),
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left, d);
                self.expr(right, d);
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand, d),
            ExprKind::BoolOp { values, .. }
            | ExprKind::List(values)
            | ExprKind::Tuple(values)
            | ExprKind::Set(values) => {
                for v in values {
                    self.expr(v, d);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test, d);
                self.expr(body, d);
                self.expr(orelse, d);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value, d);
                self.expr(index, d);
            }
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper, step].into_iter().flatten() {
                    self.expr(part, d);
                }
            }
            ExprKind::FString(parts) => {
                for p in parts {
                    if let FPart::Value { value, .. } = p {
                        self.expr(value, d);
                    }
                }
            }
            ExprKind::Comprehension {
                element,
                value,
                generators,
                ..
            } => {
                self.expr(element, d);
                if let Some(v) = value {
                    self.expr(v, d);
                }
                for g in generators {
                    self.expr(&g.iter, d);
                    for i in &g.ifs {
                        self.expr(i, d);
                    }
                }
            }
            ExprKind::NamedExpr { target, value } => {
                self.check(e.span, target, value, Use::Bind, "assigned to");
                self.expr(value, d);
            }
            ExprKind::Await(v)
            | ExprKind::Starred(v)
            | ExprKind::Yield(Some(v))
            | ExprKind::Cast { value: v, .. } => self.expr(v, d),
            _ => {}
        }
    }

    /// `if password == "hunter2":` (either side).
    fn compare(&mut self, span: Span, named: &Expr, value: &Expr) {
        if let Some(name) = target_name(named) {
            self.check(span, &name, value, Use::Compare, "compared with");
        }
    }

    fn call(&mut self, call: &Expr, func: &Expr, args: &[Arg]) {
        for a in args {
            if let Some(kw) = &a.keyword {
                self.check(a.span, kw, &a.value, Use::Pass, "passed as");
                // `requests.get(url, auth=("svc", "hunter2"))`
                if kw == "auth"
                    && let ExprKind::Tuple(items) = &a.value.kind
                    && let [_, pw] = items.as_slice()
                {
                    self.check_slot(a.span, "password", pw, Use::Pass, "in the `auth` pair");
                }
            }
        }
        let positional: Vec<&Arg> = args
            .iter()
            .filter(|a| a.keyword.is_none() && a.unpack == crate::ir::Unpack::None)
            .collect();
        let qual = func.qualified_name();
        let method = match &func.kind {
            ExprKind::Attribute { attr, .. } => Some(attr.as_str()),
            _ => None,
        };
        // `os.getenv("DB_PASSWORD", "fallback")`: the fallback ships in the code.
        let is_getenv = matches!(
            qual.as_deref(),
            Some("os.getenv" | "os.environ.get" | "os.environ.setdefault")
        );
        if is_getenv {
            let keyword_default = args
                .iter()
                .find(|a| a.keyword.as_deref() == Some("default"));
            let default = positional.get(1).copied().or(keyword_default);
            if let (Some(name), Some(default)) = (positional.first(), default)
                && let Some(var) = name.value.as_str_const()
            {
                self.check(
                    call.span,
                    var,
                    &default.value,
                    Use::Pass,
                    "as the fallback for",
                );
            }
        }
        // Basic-auth helpers and `server.login(user, "pw")`: the second positional
        // argument is the password whatever it is named.
        let last = qual
            .as_deref()
            .and_then(|q| q.rsplit('.').next())
            .or(method);
        let password_slot = matches!(
            last,
            Some("HTTPBasicAuth" | "HTTPDigestAuth" | "BasicAuth" | "HTTPProxyAuth" | "login")
        );
        if password_slot && let [_, pw, ..] = positional.as_slice() {
            self.check_slot(
                pw.span,
                "password",
                &pw.value,
                Use::Pass,
                &format!("passed to `{}`", last.unwrap_or("login")),
            );
        }
    }
}

fn join(a: Span, b: Span) -> Span {
    Span {
        start: a.start,
        end: b.end,
        line: a.line,
        col: a.col,
        end_line: b.end_line,
        end_col: b.end_col,
    }
}

/// The name a comparison operand goes by: `password`, `self.password`, `cfg["token"]`.
fn target_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Local(n) | ExprKind::ModuleVar(n) | ExprKind::Free(n) => Some(n.clone()),
        ExprKind::Attribute { attr, .. } => Some(attr.clone()),
        ExprKind::Subscript { index, .. } => index.as_str_const().map(str::to_string),
        _ => None,
    }
}

/// Split an identifier or key into lower-case words: `dbPassword` -> [db, password],
/// `API_KEY` -> [api, key], `APIKey` -> [api, key], `x-api-key` -> [x, api, key].
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev_lower = chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_lowercase() || p.is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let prev_upper = chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_uppercase());
            if prev_lower || (prev_upper && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that make a name *about* a credential rather than the credential itself.
const METADATA_WORDS: &[&str] = &[
    "field",
    "fields",
    "url",
    "uri",
    "urls",
    "endpoint",
    "path",
    "file",
    "filename",
    "dir",
    "directory",
    "env",
    "var",
    "variable",
    "header",
    "headers",
    "param",
    "parameter",
    "name",
    "names",
    "label",
    "prompt",
    "type",
    "kind",
    "format",
    "fmt",
    "regex",
    "pattern",
    "policy",
    "hint",
    "placeholder",
    "length",
    "len",
    "min",
    "max",
    "size",
    "count",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "timeout",
    "lifetime",
    "age",
    "prefix",
    "suffix",
    "column",
    "col",
    "attr",
    "attribute",
    "input",
    "widget",
    "message",
    "msg",
    "error",
    "errors",
    "help",
    "text",
    "title",
    "description",
    "desc",
    "template",
    "query",
    "method",
    "scheme",
    "id",
    "mode",
    "class",
    "style",
    "validator",
    "validation",
    "strength",
    "required",
    "enabled",
    "hash",
    "hashed",
    "digest",
    "encoding",
    "charset",
    "algorithm",
    "algo",
    "alg",
    "version",
    "location",
    "store",
    "storage",
    "source",
    "manager",
    "handler",
    "cache",
    "scope",
    "scopes",
    "audience",
    "issuer",
    "usage",
    "delimiter",
    "separator",
    "sep",
    "mask",
    "char",
    "chars",
    "alphabet",
    "display",
    "show",
    "is",
    "has",
    "use",
    "uses",
    "key_name",
    "keyring",
    "generator",
    "factory",
    "rotation",
    "expire",
    "expired",
    "expiresin",
    "lifespan",
    "duration",
    "bytes",
    "nbytes",
    "bits",
    "option",
    "options",
    "schema",
    "example",
    // Test outcomes and tokenizer vocabulary: `RESULT_PASS = "passed"`,
    // `pad_token = "[PAD]"`, `eos_token = "</s>"`.
    "result",
    "status",
    "state",
    "outcome",
    "pad",
    "unk",
    "bos",
    "eos",
    "cls",
    "special",
    "stop",
    "start",
    "end",
    "begin",
];

/// What kind of credential a name holds, if it holds one.
fn credential_kind(name: &str) -> Option<&'static str> {
    let w = words(name);
    if w.is_empty() || w.iter().any(|x| METADATA_WORDS.contains(&x.as_str())) {
        return None;
    }
    let has = |s: &str| w.iter().any(|x| x == s);
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    if has("password")
        || has("passwd")
        || has("pwd")
        || has("passphrase")
        || has("pass")
        || has("pw")
    {
        return Some("password");
    }
    if has("apikey") || pair("api", "key") {
        return Some("API key");
    }
    if has("privatekey") || pair("private", "key") || has("privkey") {
        return Some("private key");
    }
    if has("secret") || has("secretkey") || has("clientsecret") {
        return Some("secret");
    }
    if has("token") || has("authtoken") || has("accesstoken") {
        return Some("token");
    }
    if pair("access", "key")
        || pair("auth", "key")
        || pair("signing", "key")
        || pair("encryption", "key")
        || pair("master", "key")
        || has("accesskey")
    {
        return Some("secret key");
    }
    None
}

/// Literal values that are not a usable secret: blanks, template syntax, one repeated
/// character, instructions to the reader, and prose. Deliberately *not* skipped: weak
/// but real values such as `"admin"`, `"password"`, `"secret"` or `"dev"`; those are
/// exactly what ends up deployed.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let mut distinct: Vec<char> = v.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    // `"xxx"`, `"****"`, `"-"` are masks; a single letter or digit (`password == "1"`) is
    // a (terrible) password.
    let single_alnum = v.chars().count() == 1 && v.chars().all(char::is_alphanumeric);
    if distinct.len() == 1 && !single_alnum {
        return true;
    }
    let templated = v.starts_with("${")
        || (v.starts_with('$')
            && v.len() > 1
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        || v.contains("{{")
        || (v.starts_with('{') && v.ends_with('}'))
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']'))
        || (v.starts_with('%') && v.ends_with('%') && v.len() > 2)
        || (v.contains("%(") && v.contains(")s"))
        || v.contains("***")
        || v.contains("...")
        || v.contains('…')
        || FORMAT_FIELD.is_match(v);
    if templated {
        return true;
    }
    let lower = v.to_lowercase();
    let squashed: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    const MARKERS: &[&str] = &[
        "changeme",
        "changethis",
        "replaceme",
        "replacethis",
        "yourpassword",
        "yoursecret",
        "yourtoken",
        "yourapikey",
        "yourkey",
        "placeholder",
        "dummy",
        "fake",
        "example",
        "redacted",
        "fixme",
        "todo",
        "xxxx",
        "notset",
        "notreal",
        "insert",
    ];
    if MARKERS.iter().any(|m| squashed.contains(m)) {
        return true;
    }
    // Split at punctuation and spaces only, not at case changes: `my_password` and
    // `your-token-here` are instructions, `myPa55word` is a password.
    let w: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect();
    if w.first().is_some_and(|x| x == "your" || x == "my") || w.last().is_some_and(|x| x == "here")
    {
        return true;
    }
    matches!(
        squashed.as_str(),
        "none" | "null" | "nil" | "undefined" | "na"
    )
}

/// A value that tells someone to put the real one in: `"YOUR_API_KEY"`, `"changeme"`,
/// `"<your-token>"`, `"insert-key-here"`. Masks, templates, blanks and `None`-likes are
/// placeholders too, but legitimate ones (filled at run time or deliberately empty).
fn is_fill_in(value: &str) -> bool {
    let lower = value.trim().to_lowercase();
    let squashed: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    const MARKERS: &[&str] = &[
        "changeme",
        "changethis",
        "replaceme",
        "replacethis",
        "yourpassword",
        "yoursecret",
        "yourtoken",
        "yourapikey",
        "yourkey",
        "placeholder",
        "inserthere",
    ];
    if MARKERS.iter().any(|m| squashed.contains(m)) {
        return true;
    }
    let w: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|x| !x.is_empty())
        .collect();
    w.first()
        .is_some_and(|x| *x == "your" || *x == "insert" || *x == "enter")
        || (w.last().is_some_and(|x| *x == "here") && w.len() >= 2)
}

/// The host of a URL literal when it is a documentation or instruction host
/// (`example.com` and its subdomains, `your-domain.com`, `yourserver`).
pub(crate) fn placeholder_host(text: &str) -> Option<String> {
    let t = text.trim();
    if t.chars().any(char::is_whitespace) {
        return None;
    }
    let (scheme, rest) = t.split_once("://")?;
    if !matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).to_lowercase();
    let documentation = ["example.com", "example.org", "example.net"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    let squashed: String = host.chars().filter(|c| c.is_alphanumeric()).collect();
    let instruction = [
        "yourdomain",
        "yourserver",
        "yourhost",
        "yourcompany",
        "yourapi",
        "yoursite",
    ]
    .iter()
    .any(|m| squashed.contains(m));
    (documentation || instruction).then_some(host)
}

/// `str.format` / `%` fields inside a value (`"Bearer {}"`, `"{0}:{1}"`,
/// `"{token!r}"`, `"%s"`, `"%(pw)s"`): the value is a template filled at run time.
static FORMAT_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\{[A-Za-z0-9_]*(?:[.\[][A-Za-z0-9_.\[\]]*)?(?:![rsa])?(?::[^{}]*)?\}|%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*[0-9]*(?:\.[0-9]+)?[sdirfx]\b",
    )
    .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// Regular-expression syntax (`r"[A-Z]\w*"`, `"^(?=.*\d).{8,}$"`): a pattern for
/// recognising tokens or validating passwords, not one.
fn is_regex(v: &str) -> bool {
    const META: &[&str] = &[
        "\\w", "\\d", "\\s", "\\b", "\\W", "\\D", "\\S", "[^", "(?", ".*", ".+", "]*", "]+",
    ];
    META.iter().any(|m| v.contains(m)) || (v.starts_with('^') && v.ends_with('$') && v.len() > 2)
}

/// Words that mark an identifier as *naming* a credential (a session key, a cache key,
/// a form field) when they appear inside the value itself.
const LABEL_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "pass",
    "pw",
    "secret",
    "secrets",
    "token",
    "tokens",
    "key",
    "keys",
    "apikey",
    "auth",
    "csrf",
    "credential",
    "credentials",
];

/// Only identifier characters: what keys, field names and dotted paths are made of.
fn is_identifier_like(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}

/// Plain `token` names (`token`, `csrf_token`, `default_token`, `jsonnet_token`) belong
/// to lexers, template engines, CSRF sentinels and session keys far more often than to
/// credentials. A qualifier that says which credential it is (`access_token`,
/// `auth_token`, `GITHUB_TOKEN` is not one: it is reported by PY-S902 when it has a real
/// GitHub format) makes the name as strong as `password`.
fn is_weak_name(name: &str) -> bool {
    if credential_kind(name) != Some("token") {
        return false;
    }
    const QUALIFIERS: &[&str] = &[
        "access",
        "accesstoken",
        "auth",
        "authtoken",
        "api",
        "bearer",
        "refresh",
        "bot",
        "oauth",
        "oauth2",
        "jwt",
        "personal",
        "secret",
        "private",
    ];
    !words(name).iter().any(|w| QUALIFIERS.contains(&w.as_str()))
}

/// Shannon entropy of `v` in bits per character.
fn entropy(v: &str) -> f64 {
    let chars: Vec<char> = v.chars().collect();
    if chars.is_empty() {
        return 0.0;
    }
    let mut sorted = chars.clone();
    sorted.sort_unstable();
    let n = chars.len() as f64;
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| {
            let p = run.len() as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// What a generated token or a chosen password looks like, as opposed to a word, a
/// sentinel or an identifier: at least 8 characters, no spaces, and either three kinds of
/// character (lower, upper, digit, symbol), letters and digits interleaved as in hex and
/// base64 (`d41d8cd98f00`), a symbol among letters (`p@ssword`), or high entropy over a
/// long run. Separators (`_ - . : /`) do not count as symbols: `make.bat`,
/// `NOT_PROVIDED` and `is-not` are words.
fn looks_like_secret(v: &str) -> bool {
    let chars: Vec<char> = v.chars().collect();
    if chars.len() < 8 || chars.iter().any(|c| c.is_whitespace()) {
        return false;
    }
    let is_sep = |c: char| matches!(c, '_' | '-' | '.' | ':' | '/');
    let lower = chars.iter().any(|c| c.is_lowercase());
    let upper = chars.iter().any(|c| c.is_uppercase());
    let digit = chars.iter().any(|c| c.is_ascii_digit());
    let symbol = chars.iter().any(|&c| !c.is_alphanumeric() && !is_sep(c));
    let classes = [lower, upper, digit, symbol].iter().filter(|&&b| b).count();
    if classes >= 3 || ((lower || upper) && symbol) {
        return true;
    }
    // Letter/digit switches inside separator-free runs: `sha256_hmac` has one,
    // `d41d8cd98f00` has nine.
    let switches = chars
        .windows(2)
        .filter(|p| {
            p[0].is_alphanumeric()
                && p[1].is_alphanumeric()
                && p[0].is_ascii_digit() != p[1].is_ascii_digit()
        })
        .count();
    if switches >= 3 {
        return true;
    }
    chars.len() >= 20 && entropy(v) >= 4.0
}

fn is_real_secret(name: &str, value: &str, used: Use) -> bool {
    if is_placeholder(value) || provider_key(value).is_some() {
        return false;
    }
    let v = value.trim();
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let name_words = words(name);
    let value_words = words(v);
    let identifier = is_identifier_like(v);
    let has_label_word = value_words
        .iter()
        .any(|w| LABEL_WORDS.contains(&w.as_str()));
    if used == Use::Bind {
        // The value names the thing rather than being it: `PASSWORD = "password"` (a form
        // field constant), `refresh_token_key = "refresh_token"` (the key it is stored
        // under). Only for definitions: passed or compared, the word is the password.
        if squash(v) == squash(name) {
            return false;
        }
        if identifier
            && value_words.len() >= 2
            && value_words.iter().all(|w| name_words.contains(w))
        {
            return false;
        }
    }
    // A private or dotted identifier about a credential is a key, never the credential:
    // `"_password_reset_token"`, `"auth.token"`. A colon does not count here: in
    // `"admin:password"` or `"some:password"` it more likely joins a user to a password.
    let namespaced = v.starts_with('_') || v.contains('.');
    if identifier && namespaced && has_label_word {
        return false;
    }
    let env_name = v.len() > 2
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && credential_kind(v).is_some();
    if env_name {
        return false;
    }
    // Endpoints and paths stored under a `token`-ish name (`TOKEN = "/oauth/token"`,
    // `"ws://host/token"`), unless they carry a password of their own.
    if (v.contains("://") || v.starts_with('/')) && url_password(v).is_none() {
        return false;
    }
    if is_regex(v) {
        return false;
    }
    // Prose about the credential: "Enter your password", "Invalid token".
    let n_words = v.split_whitespace().count();
    if n_words >= 2 && credential_kind(v).is_some() {
        return false;
    }
    if is_weak_name(name) {
        // `if token == "and":`, `token = "is not"`, `csrf_token == "NOTPROVIDED"`: a weak
        // name needs a value that could only be a secret, and no key-like identifier
        // (`"oauth2_token"`) or echo of the name (`csrf_token == "csrf"`).
        let echoes_name = name_words.contains(&squash(v));
        if identifier && (has_label_word || echoes_name) {
            return false;
        }
        return looks_like_secret(v);
    }
    true
}

static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://([^/\s:@]+):([^/\s@]+)@[^/\s@]")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// `scheme://user:password@host` with a real-looking password; returns the redacted URL
/// prefix to show.
fn url_password(text: &str) -> Option<String> {
    let caps = URL_CREDENTIALS.captures(text)?;
    let user = caps.get(1)?.as_str();
    let pw = caps.get(2)?.as_str();
    if is_placeholder(pw) || pw.starts_with('$') || pw.contains('{') || pw.contains('%') {
        return None;
    }
    // Notation, not a URL: `scheme://[user:passwd@]host` in help text.
    if user.starts_with(['[', '<', '{', '$']) || pw.ends_with([']', '>']) {
        return None;
    }
    // The documentation form `http://username:password@host`: both halves are the words
    // for what goes there. `postgres://postgres:password@db` keeps a real user and is
    // reported.
    const USER_WORDS: &[&str] = &["user", "username", "usr", "login", "name", "userid", "uid"];
    const PASSWORD_WORDS: &[&str] = &["password", "passwd", "pass", "pwd", "pw", "secret"];
    let user_word = USER_WORDS.contains(&user.to_lowercase().as_str());
    let password_word = PASSWORD_WORDS.contains(&pw.to_lowercase().as_str());
    if user_word && password_word {
        return None;
    }
    let scheme_end = caps.get(0)?.as_str().find("://")?;
    let scheme = caps.get(0)?.as_str().get(..scheme_end)?;
    Some(format!("{scheme}://{user}:…@"))
}

struct KeyPattern {
    kind: &'static str,
    re: Regex,
    /// Minimum count of distinct characters in the match: keys are random, and
    /// `ghp_aaaa...` or `sk-xxxxxxxx-...` are not.
    min_distinct: usize,
}

static KEY_PATTERNS: LazyLock<Vec<KeyPattern>> = LazyLock::new(|| {
    let p = |kind: &'static str, pattern: &str, min_distinct: usize| KeyPattern {
        kind,
        re: Regex::new(pattern).unwrap_or_else(|_| unreachable!("constant pattern")),
        min_distinct,
    };
    // Order matters: the first pattern that matches names the kind, so the specific
    // `sk-ant-` comes before the generic `sk-`.
    vec![
        p(
            "private key",
            r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----",
            0,
        ),
        p(
            "AWS access key ID",
            r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b",
            8,
        ),
        p("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b", 12),
        p(
            "GitHub token",
            r"\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b",
            12,
        ),
        p("GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}", 10),
        p(
            "Slack webhook URL",
            r"https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}",
            12,
        ),
        p(
            "Slack token",
            r"\bxox[baprs]-[0-9A-Za-z]{8,}-[0-9A-Za-z-]{8,}",
            10,
        ),
        p(
            "Stripe live key",
            r"\b(?:sk|rk)_live_[0-9A-Za-z]{20,}\b",
            10,
        ),
        p("Google API key", r"\bAIza[0-9A-Za-z_-]{35}", 12),
        p(
            "Anthropic API key",
            r"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}",
            12,
        ),
        p(
            "OpenAI API key",
            r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}",
            12,
        ),
        p("Hugging Face token", r"\bhf_[A-Za-z0-9]{34,}\b", 12),
        p(
            "SendGrid API key",
            r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
            12,
        ),
        p("npm token", r"\bnpm_[A-Za-z0-9]{36}\b", 12),
        p(
            "JSON Web Token",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}",
            12,
        ),
    ]
});

/// The payload of the sample token shown on jwt.io and in countless tutorials
/// (`{"sub":"1234567890","name":"John Doe",...`).
const JWT_SAMPLE_PAYLOAD: &str = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIi";

/// The provider credential in `text`, if any: its kind and a redacted form to show.
pub fn provider_key(text: &str) -> Option<(&'static str, String)> {
    for pat in KEY_PATTERNS.iter() {
        for m in pat.re.find_iter(text) {
            let token = m.as_str();
            if pat.kind == "private key" {
                if has_key_material(text.get(m.end()..).unwrap_or("")) {
                    return Some((pat.kind, token.to_string()));
                }
                continue;
            }
            if pat.kind == "OpenAI API key" && token.starts_with("sk-ant-") {
                continue;
            }
            if pat.kind == "JSON Web Token" && token.contains(JWT_SAMPLE_PAYLOAD) {
                continue;
            }
            if looks_fake(token, pat.min_distinct) {
                continue;
            }
            return Some((pat.kind, redact(token)));
        }
    }
    None
}

/// A PEM header followed by a real body: at least 64 base64 characters that are not all
/// the same. A lone header (`if pem.startswith("-----BEGIN RSA PRIVATE KEY-----")`) is
/// code that handles keys, not a key.
fn has_key_material(after_header: &str) -> bool {
    let body = after_header
        .split("-----END")
        .next()
        .unwrap_or(after_header);
    // Skip RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED`.
    let b64: String = body
        .lines()
        .filter(|l| !l.contains(':'))
        .flat_map(str::chars)
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    let mut distinct: Vec<char> = b64.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    b64.len() >= 64 && distinct.len() >= 16 && !is_placeholder(&b64)
}

fn looks_fake(token: &str, min_distinct: usize) -> bool {
    let lower = token.to_lowercase();
    const FAKE: &[&str] = &[
        "example",
        "xxxx",
        "dummy",
        "fake",
        "sample",
        "placeholder",
        "redacted",
        "your",
        "test",
        "0000000",
        "1234567",
        "abcdefg",
    ];
    if FAKE.iter().any(|f| lower.contains(f)) {
        return true;
    }
    let mut distinct: Vec<char> = token.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < min_distinct {
        return true;
    }
    // Random keys mix digits and letters; `sk-this-is-not-a-real-key-at-all` does not.
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let letters = token.chars().filter(char::is_ascii_alphabetic).count();
    digits == 0 || letters == 0
}

/// Enough of the key to find it (`ghp_aB3d…`, 40 characters), never the key itself.
fn redact(token: &str) -> String {
    let n = token.chars().count();
    let shown: String = token.chars().take(8.min(n / 3)).collect();
    format!("{shown}… ({n} characters)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn scan_at(path: &str, src: &str) -> Vec<SecretHit> {
        let module = crate::lower::python::lower(path, Arc::from(src));
        scan(&module)
    }

    /// (rule, line) pairs, sorted.
    fn found(src: &str) -> Vec<(&'static str, u32)> {
        found_at("t.py", src)
    }

    /// The secret findings; placeholder values have their own test below.
    fn found_at(path: &str, src: &str) -> Vec<(&'static str, u32)> {
        let mut v: Vec<_> = scan_at(path, src)
            .into_iter()
            .filter(|h| h.rule != PLACEHOLDER_VALUE)
            .map(|h| (h.rule, h.span.line))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn placeholder_values_and_hosts() {
        let src = "\
API_KEY = \"YOUR_API_KEY\"
DB_PASSWORD = \"changeme\"
token = os.getenv(\"TOKEN\", \"your-token-here\")
SECRET = \"\"
PASSWORD = \"${DB_PASSWORD}\"
MASK = {\"password\": \"****\"}
if password == \"changeme\":
    pass
";
        let got: Vec<u32> = scan_at("app.py", src)
            .into_iter()
            .filter(|h| h.rule == PLACEHOLDER_VALUE)
            .map(|h| h.span.line)
            .collect();
        assert_eq!(got, [1, 2, 3]);
        for (url, host) in [
            ("https://api.example.com/v1", Some("api.example.com")),
            ("https://example.org", Some("example.org")),
            (
                "http://user@your-server.local:8080/api",
                Some("your-server.local"),
            ),
            ("https://api.github.com", None),
            ("See https://example.com for details", None),
            ("https://notexample.com", None),
        ] {
            assert_eq!(placeholder_host(url).as_deref(), host, "{url}");
        }
        assert!(
            scan_at("tests/test_app.py", src)
                .iter()
                .all(|h| h.rule != PLACEHOLDER_VALUE)
        );
    }

    // Keys are assembled at run time so that this file itself does not trip secret
    // scanners (including this one).
    fn fake_aws() -> String {
        format!("AKIA{}", "Q3ZT7RVN2KXW5HJM")
    }
    fn fake_github() -> String {
        format!("ghp_{}", "R4nd0mT0k3nV4lu3Zq8Wx2Yc6Lp9Mn1Bv7Ks3Fj")
    }

    #[test]
    fn words_split() {
        assert_eq!(words("dbPassword"), vec!["db", "password"]);
        assert_eq!(words("API_KEY"), vec!["api", "key"]);
        assert_eq!(words("APIKey"), vec!["api", "key"]);
        assert_eq!(words("x-api-key"), vec!["x", "api", "key"]);
        assert_eq!(words("oauth2Token"), vec!["oauth2", "token"]);
    }

    #[test]
    fn credential_names() {
        for n in [
            "password",
            "DB_PASSWORD",
            "smtpPass",
            "api_key",
            "apiKey",
            "SECRET_KEY",
            "client_secret",
            "GITHUB_TOKEN",
            "private_key",
            "aws_secret_access_key",
            "pwd",
            "db_pass",
        ] {
            assert!(credential_kind(n).is_some(), "{n}");
        }
        for n in [
            "password_field",
            "token_url",
            "TOKEN_TYPE",
            "secret_name",
            "api_key_header",
            "PASSWORD_MIN_LENGTH",
            "username",
            "bypass",
            "tokenizer",
            "passenger",
            "key",
            "compass",
            "pad_token",
            "RESULT_PASS",
        ] {
            assert!(credential_kind(n).is_none(), "{n}");
        }
    }

    #[test]
    fn placeholders() {
        for v in [
            "",
            "  ",
            "xxx",
            "********",
            "<password>",
            "${PASSWORD}",
            "$DB_PASSWORD",
            "{password}",
            "{{ vault_pw }}",
            "%(pw)s",
            "changeme",
            "CHANGE_ME",
            "your-api-key-here",
            "your_password",
            "insert-token-here",
            "dummy",
            "None",
            "...",
            "my_password",
            "Bearer {}",
            "{0}:{1}",
            "Token %s",
            "pw_{user.name}",
        ] {
            assert!(is_placeholder(v), "{v:?}");
        }
        for v in [
            "hunter2",
            "admin",
            "password",
            "S3cure!Pass2024",
            "dev",
            "secret",
            // Camel case is not `my <placeholder>`; one letter or digit is not a mask.
            "myPa55word",
            "1",
            "100%safe",
        ] {
            assert!(!is_placeholder(v), "{v:?}");
        }
    }

    #[test]
    fn provider_formats() {
        assert_eq!(
            provider_key(&fake_aws()).map(|k| k.0),
            Some("AWS access key ID")
        );
        assert_eq!(
            provider_key(&fake_github()).map(|k| k.0),
            Some("GitHub token")
        );
        assert!(provider_key("AKIAIOSFODNN7EXAMPLE").is_none());
        assert!(provider_key("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").is_none());
        assert!(provider_key("sk-your-openai-key-goes-right-here-ok").is_none());
        let openai = format!("sk-proj-{}", "Zt4Qm9Lr2Xw7Kp3Vn8Bc1Hd6Fs5Jy0Ga");
        assert_eq!(provider_key(&openai).map(|k| k.0), Some("OpenAI API key"));
        let anthropic = format!(
            "sk-ant-api03-{}",
            "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY3zA5bC7dE9fG2hJ4kL6mN8pQ0rS2tU4vW6xY8zA1bC3dE5fG7hJ9kL"
        );
        assert_eq!(
            provider_key(&anthropic).map(|k| k.0),
            Some("Anthropic API key")
        );
        let stripe = format!("sk_live_{}", "4eC39HqLyjWDarjtT1zdp7dc");
        assert_eq!(provider_key(&stripe).map(|k| k.0), Some("Stripe live key"));
        assert!(provider_key("sk_test_4eC39HqLyjWDarjtT1zdp7dc").is_none());
        let google = format!("AIza{}", "SyB7x2Kq9Lm4Np8Rs3Tv6Wx1Yz5Ab0Cd9Ef");
        assert_eq!(provider_key(&google).map(|k| k.0), Some("Google API key"));
        let sample_jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert!(provider_key(sample_jwt).is_none());
        // A header alone is key-handling code, not a key.
        assert!(provider_key("-----BEGIN RSA PRIVATE KEY-----").is_none());
        let body: String = (0..4)
            .map(|i| format!("MIIEow{i}BAAKCAQEA7Vq3Kd9x2LmPz8Rt5Wb1Hc6Jn4Fs0Gy9Ua3Qe7Io2\n"))
            .collect();
        let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n");
        assert_eq!(provider_key(&pem).map(|k| k.0), Some("private key"));
    }

    #[test]
    fn redaction_hides_the_key() {
        let Some((_, shown)) = provider_key(&fake_github()) else {
            panic!("not found")
        };
        assert!(!shown.contains(&fake_github()));
        assert!(shown.starts_with("ghp_"));
    }

    #[test]
    fn url_credentials() {
        assert!(url_password("postgresql://app:Tr0ub4dor@db.internal:5432/app").is_some());
        assert!(url_password("postgresql://app:${DB_PASSWORD}@db/app").is_none());
        assert!(url_password("https://example.com/path").is_none());
        assert!(url_password("redis://:xxxx@cache:6379/0").is_none());
        // Documentation forms, from pip's help text and urllib3's docstrings.
        assert!(url_password("in the form scheme://[user:passwd@]proxy.server:port.").is_none());
        assert!(url_password("http://username:password@host.com:80/path").is_none());
        assert!(url_password("http://userid:password@example.com:8080/").is_none());
        // A real user name with the word `password` as its password is still one.
        assert!(url_password("postgresql://postgres:password@db:5432/app").is_some());
    }

    #[test]
    fn assignments_and_keywords() {
        let src = r#"
import os
import psycopg2

DB_PASSWORD = "Tr0ub4dor&3"
PASSWORD_FIELD = "password"
TOKEN_URL = "https://auth.example.com/oauth/token"
API_KEY = os.environ["API_KEY"]
placeholder_pw = ""

def connect():
    return psycopg2.connect(host="db", user="app", password="hunter22")

def connect_env():
    return psycopg2.connect(host="db", user="app", password=os.environ["PGPASSWORD"])

class Settings:
    def __init__(self):
        self.secret_key = "k8Jd2mQp9zX"
        self.token_type = "bearer"
"#;
        assert_eq!(
            found(src),
            vec![("PY-S901", 5), ("PY-S901", 12), ("PY-S901", 19)]
        );
    }

    #[test]
    fn dicts_defaults_compares_and_fallbacks() {
        let src = r#"
import os

CONFIG = {
    "user": "admin",
    "password": "s3cr3t-pass",
    "password_hint": "the usual",
}

def login(user: str, password: str = "letmein") -> bool:
    if password == "opensesame":
        return True
    return password == ""

def token() -> str:
    return os.getenv("SERVICE_TOKEN", "d41d8cd98f00")

def token_ok() -> str:
    return os.getenv("SERVICE_TOKEN", "")
"#;
        assert_eq!(
            found(src),
            vec![
                ("PY-S901", 6),
                ("PY-S901", 10),
                ("PY-S901", 11),
                ("PY-S901", 16)
            ]
        );
    }

    #[test]
    fn provider_keys_anywhere_and_no_double_report() {
        let src = format!(
            r#"
AWS_ACCESS_KEY_ID = "{}"
EXAMPLE_ID = "AKIAIOSFODNN7EXAMPLE"

def headers() -> dict:
    return {{"Authorization": "token {}"}}

GITHUB_TOKEN = "{}"
"#,
            fake_aws(),
            fake_github(),
            fake_github()
        );
        assert_eq!(
            found(&src),
            vec![("PY-S902", 2), ("PY-S902", 6), ("PY-S902", 8)]
        );
    }

    #[test]
    fn auth_helpers_and_urls() {
        let src = r#"
import requests
import smtplib
from requests.auth import HTTPBasicAuth

DATABASE_URL = "postgresql://app:Tr0ub4dor@db.internal:5432/app"
DEV_URL = "postgresql://app:${DB_PASSWORD}@db/app"

def fetch(url: str):
    return requests.get(url, auth=("svc", "pa55word!"), timeout=5)

def fetch2(url: str, pw: str):
    return requests.get(url, auth=HTTPBasicAuth("svc", pw), timeout=5)

def mail(body: str):
    with smtplib.SMTP("mail.internal", 587) as s:
        s.login("reports@example.com", "M4ilP4ss")
"#;
        assert_eq!(
            found(src),
            vec![("PY-S901", 6), ("PY-S901", 10), ("PY-S901", 17)]
        );
    }
    #[test]
    fn test_paths() {
        for p in [
            "tests/auth/views.py",
            "bench-work/src/django-5.1.15/tests/auth_tests/test_views.py",
            "django/test/client.py",
            "pkg/testing/helpers.py",
            "app/fixtures/users.py",
            "test_login.py",
            "src/app/login_test.py",
            "app/tests.py",
            "conftest.py",
            "tests\\windows\\case.py",
        ] {
            assert!(is_test_path_below(p, None), "{p}");
        }
        for p in [
            "app/views.py",
            "src/contest.py",
            "attest/views.py",
            "testimonials.py",
            "tests_helpers.py",
            "protest/test.py",
            "latest/app.py",
            "",
        ] {
            assert!(!is_test_path_below(p, None), "{p}");
        }
        // Above the working directory does not count, below it does.
        let base = std::path::Path::new("/home/me/test/proj");
        assert!(!is_test_path_below(
            "/home/me/test/proj/app/db.py",
            Some(base)
        ));
        assert!(is_test_path_below(
            "/home/me/test/proj/tests/db.py",
            Some(base)
        ));
        // Outside the working directory every component counts.
        assert!(is_test_path_below("/srv/test/app/db.py", Some(base)));
    }

    #[test]
    fn test_files_keep_provider_keys_only() {
        let src = format!(
            r#"
DB_PASSWORD = "Tr0ub4dor&3"
DATABASE_URL = "postgresql://app:Tr0ub4dor@db.internal:5432/app"
AWS_ACCESS_KEY_ID = "{}"

def test_login(client):
    client.login(username="admin", password="hunter2")
"#,
            fake_aws()
        );
        for path in [
            "tests/test_login.py",
            "app/conftest.py",
            "app/login_test.py",
        ] {
            assert_eq!(found_at(path, &src), vec![("PY-S902", 4)], "{path}");
        }
        assert_eq!(
            found_at("app/login.py", &src),
            vec![
                ("PY-S901", 2),
                ("PY-S901", 3),
                ("PY-S901", 7),
                ("PY-S902", 4)
            ]
        );
    }

    #[test]
    fn secret_shapes() {
        for v in [
            "d41d8cd98f00",
            "P@ssw0rd!",
            "p@ssword",
            "aB3xK9qL",
            "Kq7ZmXw2Rb",
            "1bcdefghij2bcdefghij3bcdefghij",
            "qwhzkxmrtplvbnyjdgfcsawe",
        ] {
            assert!(looks_like_secret(v), "{v:?}");
        }
        for v in [
            "and",
            "is not",
            "COLLATE",
            "NOTPROVIDED",
            "make.bat",
            "Bearer",
            "sha256_hmac",
            "1111-aaaaa",
            "password_reset_token",
            "hunter2",
        ] {
            assert!(!looks_like_secret(v), "{v:?}");
        }
    }

    /// Django's template parser, SQLite introspection, CSRF tag and docs builder, and
    /// oauthlib/pygments: `token` there is a lexer token or a sentinel.
    #[test]
    fn weak_token_names_need_a_secret_value() {
        let src = r#"
def parse(tokens, context, sql, cmdline):
    for token in tokens:
        if token == "is" and token != "not":
            token = "is not"
        if token == "COLLATE":
            break
        if token == "make":
            token = "make.bat"
    csrf_token = context.get("csrf_token")
    if csrf_token == "NOTPROVIDED":
        return ""
    if csrf_token == "csrf":
        return ""
    return ResourceEndpoint(default_token="Bearer")

INTERNAL_RESET_SESSION_TOKEN = "_password_reset_token"
jsonnet_token = r"[^\W\d]\w*"
_TOKEN_REF = r"[A-Z]\w*"
cache_token = "oauth2_token_v2"
SERVICE_TOKEN = "d41d8cd98f00b204e980"
session_token = "aB3$kL9!zQ"
"#;
        assert_eq!(found(src), vec![("PY-S901", 21), ("PY-S901", 22)]);
    }

    /// A qualified token name (`access_token`, `auth_token`, `bot_token`) says which
    /// credential it is, and is as strong as `password`.
    #[test]
    fn qualified_token_names_stay_strong() {
        let src = r#"
ACCESS_TOKEN = "abc123"
auth_token = "letmein"

def call(api):
    return api.get(bearer_token="t0ken")
"#;
        assert_eq!(
            found(src),
            vec![("PY-S901", 2), ("PY-S901", 3), ("PY-S901", 6)]
        );
    }

    #[test]
    fn labels_templates_and_patterns_are_not_secrets() {
        let src = r#"
refresh_token_key = "refresh_token"
SESSION_PASSWORD = "_password"
secret = "app.secret_key"
password = "{}"
auth_token = "Token %s"
db_password = "pw_{user}"
strong_password = r"^(?=.*\d)(?=.*[A-Z]).{8,}$"
TOKEN = "wss://stream.example.com/token"
PASSWORD = "password"
CONFIG = {"password": "password"}
HELP = "Proxy in the form scheme://[user:passwd@]proxy.server:port."
"#;
        assert_eq!(found(src), vec![]);
    }

    /// Real, weak passwords of the kind LLMs write, in every position.
    #[test]
    fn real_passwords_are_kept() {
        let src = r#"
import mysql.connector
import ftplib

ADMIN_PASSWORD = "hunter2"
DB_PASSWORD = "admin"
SMTP_PASSWORD = "P@ssw0rd!"
API_SECRET = "s3cr3t-value"
SECRET_KEY = "super-secret-key"
LEGACY = {"PASSWORD": "some:password"}

def check(request) -> bool:
    password = request.GET["password"]
    if password == "myPa55word":
        return True
    if password == "password":
        return True
    return password == "1"

def connect():
    return mysql.connector.connect(user="root", password="password", host="localhost")

def upload():
    ftp = ftplib.FTP("ftp.example.com")
    ftp.login("user", "password")
"#;
        assert_eq!(
            found(src),
            vec![
                ("PY-S901", 5),
                ("PY-S901", 6),
                ("PY-S901", 7),
                ("PY-S901", 8),
                ("PY-S901", 9),
                ("PY-S901", 10),
                ("PY-S901", 14),
                ("PY-S901", 16),
                ("PY-S901", 18),
                ("PY-S901", 21),
                ("PY-S901", 25),
            ]
        );
    }
}

#[cfg(test)]
mod corpus_tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use super::scan;

    /// `(line, rule)` pairs of PY-S90x markers of one kind in a corpus file.
    fn markers(text: &str, kind: &str) -> BTreeSet<(u32, String)> {
        let tag = format!("# {kind}:");
        let mut out = BTreeSet::new();
        for (i, line) in text.lines().enumerate() {
            let Some(pos) = line.find(&tag) else {
                continue;
            };
            let rest = line[pos + tag.len()..].split('#').next().unwrap_or("");
            for id in rest.split(',').map(str::trim) {
                if id.starts_with("PY-S90") {
                    out.insert((i as u32 + 1, id.to_string()));
                }
            }
        }
        out
    }

    /// The secret scanner alone must reproduce the PY-S90x markers of the whole security
    /// corpus: no engine involved, so this pins down the lexical half exactly.
    #[test]
    fn security_corpus_secret_markers() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/python/security");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            panic!("no corpus at {}", dir.display())
        };
        let mut failures = Vec::new();
        let mut checked = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "py") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let module = crate::lower::python::lower("c.py", Arc::from(text.as_str()));
            let found: BTreeSet<(u32, String)> = scan(&module)
                .into_iter()
                .filter(|h| h.rule != super::PLACEHOLDER_VALUE)
                .map(|h| (h.span.line, h.rule.to_string()))
                .collect();
            let expected = markers(&text, "expect");
            let name = path.file_name().map(|n| n.to_string_lossy().to_string());
            let name = name.unwrap_or_default();
            for (line, id) in expected.difference(&found) {
                failures.push(format!("{name}:{line}: expected {id}"));
            }
            for (line, id) in found.difference(&expected) {
                failures.push(format!("{name}:{line}: unexpected {id}"));
            }
            checked += 1;
        }
        assert!(checked >= 45, "only {checked} corpus files");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
