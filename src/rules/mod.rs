//! Rule definitions: declarative data loaded from `rules/*.toml` (embedded in the binary,
//! extendable from a user path). The analysis compiles a rule's checks into obligations.

pub mod catalog;

use serde::Deserialize;

use crate::finding::Severity;

/// One `[[rule]]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable identifier, `PY-` prefix for Python rules, `RS-` for Rust, `VCH-` for
    /// language-independent ones.
    pub id: String,
    /// kebab-case name.
    pub name: String,
    pub cwe: Vec<u32>,
    pub severity: Severity,
    /// One line for `vouch rules`.
    pub summary: String,
    /// The diagnostic text; `{callee}` is replaced by the matched name, `{arg}` by the
    /// source text of the checked argument.
    pub message: String,
    pub help: String,
    #[serde(default)]
    pub references: Vec<String>,
    /// Long documentation for `vouch explain`. Built-in rules carry all of it (a test says
    /// so); a user's rule file may leave it out, and `what` then defaults to `summary`.
    #[serde(default)]
    pub docs: Docs,
    /// What sites the rule looks at.
    #[serde(rename = "match")]
    pub matcher: Matcher,
    /// Conditions that must all be satisfiable together for a finding (each compiled to a
    /// term over the site's symbolic values). Empty means matching is enough.
    #[serde(default)]
    pub when: Vec<Check>,
    /// Conditions that, when they certainly hold, make the site safe (e.g.
    /// `usedforsecurity=False`). A site is reported only if some values make `when` hold
    /// and every `unless` fail.
    #[serde(default)]
    pub unless: Vec<Check>,
    #[serde(default)]
    pub fix: Option<FixTemplate>,
    /// `security` (default) or `correctness`; goes into SARIF tags.
    #[serde(default = "default_category")]
    pub category: String,
    /// Report only data from a source (under the threat model): a caller's argument alone
    /// is the caller's business, judged at the calls that pass source data in. Right for
    /// sinks every program feeds from its own parameters (file paths, URLs, log lines).
    #[serde(default)]
    pub sources_only: bool,
    /// Language the rule applies to: `python` (default) or `rust`.
    #[serde(default = "default_language")]
    pub language: String,
}

fn default_category() -> String {
    "security".into()
}
fn default_language() -> String {
    "python".into()
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub example: String,
    #[serde(default)]
    pub fix: String,
}

/// Where a rule looks. Exactly one field is set.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matcher {
    /// Calls to these fully qualified names (`subprocess.run`), after alias resolution.
    /// `*.name` matches a method call `name` on any receiver (`*.execute`).
    #[serde(default)]
    pub calls: Vec<String>,
    /// Assignments to an attribute with one of these names on any object
    /// (`*.verify_mode`) or to a qualified module attribute (`ssl._create_default_https_context`).
    #[serde(default)]
    pub assigns: Vec<String>,
    /// Imports of these modules (or anything beneath them).
    #[serde(default)]
    pub imports: Vec<String>,
    /// Any reference (call or not) to these qualified names.
    #[serde(default)]
    pub references: Vec<String>,
    /// A check implemented in code (arithmetic, lexical secrets...): the engine's name for it.
    #[serde(default)]
    pub builtin: Option<String>,
}

/// Which argument of a call a check reads. For `assigns` matchers, the assigned value is
/// `value` (write `arg = "value"`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgRef {
    /// Keyword name.
    #[serde(default)]
    pub arg: Option<String>,
    /// Positional index (0-based), tried when the keyword is absent.
    #[serde(default)]
    pub pos: Option<usize>,
    /// Check this element of a tuple argument instead of the whole value (the host of a
    /// `(host, port)` address is `item = 0`).
    #[serde(default)]
    pub item: Option<usize>,
}

/// A condition over one argument. Tagged by `is`.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "is", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Check {
    /// The value can be truthy (`shell=True`, `debug=flag`).
    Truthy {
        #[serde(flatten)]
        at: ArgRef,
    },
    /// The value can be falsy (`verify=False`, `autoescape=False`).
    Falsy {
        #[serde(flatten)]
        at: ArgRef,
    },
    /// The value can be `False` (or `0`) itself, as opposed to merely falsy: a string
    /// there (a CA bundle path for `verify`) is not a switch turned off.
    False {
        #[serde(flatten)]
        at: ArgRef,
    },
    /// The argument is not passed at all (`timeout` missing).
    Missing {
        #[serde(flatten)]
        at: ArgRef,
    },
    /// The argument is passed.
    Present {
        #[serde(flatten)]
        at: ArgRef,
    },
    /// The value is not a compile-time constant (after following variables).
    NonLiteral {
        #[serde(flatten)]
        at: ArgRef,
    },
    /// An integer value can be below `bound` (RSA key size under 2048).
    Below {
        #[serde(flatten)]
        at: ArgRef,
        bound: i64,
    },
    /// The value can equal one of these: string constants, or qualified names of
    /// referenced objects (`yaml.Loader`).
    OneOf {
        #[serde(flatten)]
        at: ArgRef,
        values: Vec<String>,
    },
    /// The value can be something other than these (the `yaml.load` Loader must be safe).
    NoneOf {
        #[serde(flatten)]
        at: ArgRef,
        values: Vec<String>,
    },
    /// A string whose non-constant parts can contain one of `chars` or whose whole text can
    /// contain one of `substrings` (SQL built from data that may hold a quote).
    BuiltFromData {
        #[serde(flatten)]
        at: ArgRef,
        #[serde(default)]
        chars: String,
        /// Calls whose results are safe in this sink whatever they contain
        /// (`shlex.quote` for a shell command line).
        #[serde(default)]
        sanitizers: Vec<String>,
        /// Data passed whole (no constant text around it) counts too: right for a shell
        /// command line, wrong for SQL where a query built elsewhere is the norm.
        #[serde(default)]
        whole: bool,
        /// Texts the data parts must not be able to contain (`..` in a path).
        #[serde(default)]
        substrings: Vec<String>,
        /// Texts the whole value must not be able to start with (`/` for a path that
        /// should stay relative): only a value that starts with data can.
        #[serde(default)]
        prefixes: Vec<String>,
    },
    /// A URL whose scheme and host the data can choose (SSRF, open redirect): the value is
    /// data, or starts with data before any constant `scheme://host/`; with `relative`, a
    /// constant start of `/` (a path on this site) is safe too, and the bad condition is
    /// that the value can point off-site (`//host`, `/\host`, `scheme:`).
    UrlFromData {
        #[serde(flatten)]
        at: ArgRef,
        #[serde(default)]
        relative: bool,
        #[serde(default)]
        sanitizers: Vec<String>,
    },
    /// A string value can contain this text (`0.0.0.0`, `http://`).
    Contains {
        #[serde(flatten)]
        at: ArgRef,
        text: String,
    },
    /// An integer value can have at least one of the bits of `mask` set (a file mode that
    /// grants write access to others: `mask = 0o002`).
    HasBits {
        #[serde(flatten)]
        at: ArgRef,
        mask: i64,
    },
}

impl Check {
    pub fn at(&self) -> &ArgRef {
        match self {
            Check::Truthy { at }
            | Check::Falsy { at }
            | Check::False { at }
            | Check::Missing { at }
            | Check::Present { at }
            | Check::NonLiteral { at }
            | Check::Below { at, .. }
            | Check::OneOf { at, .. }
            | Check::NoneOf { at, .. }
            | Check::BuiltFromData { at, .. }
            | Check::UrlFromData { at, .. }
            | Check::Contains { at, .. }
            | Check::HasBits { at, .. } => at,
        }
    }
}

/// Who the attacker is (CodeQL's threat models): `remote` (web requests, sockets, HTTP
/// responses, message queues) is always on; `local` (argv, stdin, `input()`, environment,
/// files read) is opt-in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Threat {
    #[default]
    Remote,
    Local,
}

impl Threat {
    /// Whether a source of this kind is active under the threat model `model`.
    pub fn active_under(self, model: Threat) -> bool {
        self <= model
    }

    pub fn parse(text: &str) -> Option<Threat> {
        match text.to_ascii_lowercase().as_str() {
            "remote" => Some(Threat::Remote),
            "local" => Some(Threat::Local),
            _ => None,
        }
    }
}

/// One `[[source]]` table: where attacker-controlled data enters a program. Data, not code:
/// `rules/sources.toml` lists the frameworks and library calls.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SourceSpec {
    /// What the data is, as a witness names it ("Flask request data").
    pub name: String,
    pub threat: Threat,
    /// Qualified names whose value, and anything read from it (attributes, items, method
    /// results), is data: `flask.request.args`, `sys.argv`, `os.environ`.
    #[serde(default)]
    pub values: Vec<String>,
    /// Calls whose result is data: `builtins.input`, `os.getenv`, `requests.get` (a response,
    /// and everything read from it), `socket.socket.recv`.
    #[serde(default)]
    pub calls: Vec<String>,
    /// Attributes of a request handler's `request` parameter that hold data (Django's
    /// `request.GET`, aiohttp's `request.query`).
    #[serde(default)]
    pub request_attrs: Vec<String>,
    /// Attributes of any object that hold data (a Django form's `cleaned_data`).
    #[serde(default)]
    pub attrs: Vec<String>,
    /// Decorator methods (`@app.route`, `@router.get`) that make a function a request
    /// handler whose parameters come from the URL or the query.
    #[serde(default)]
    pub route_decorators: Vec<String>,
    /// Views of these frameworks take the request first and the URL's parts after it:
    /// `def detail(request, pk)` gets `pk` from the URL.
    #[serde(default)]
    pub view_frameworks: Vec<String>,
    /// `request_attrs` and `route_decorators` apply only in modules importing one of these.
    #[serde(default)]
    pub frameworks: Vec<String>,
}

/// One `[[propagator]]` table: library calls whose result carries their arguments' data
/// (`base64.b64decode`, `json.loads`). Other calls' results are their own: a URL
/// `reverse()` builds from a request's kwargs is the program's.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PropagatorSpec {
    pub calls: Vec<String>,
}

/// A mechanical fix: set a keyword argument (adding it when absent), replace the callee, or
/// run a command without the shell. `crate::fix_template` applies it only where the result
/// still runs.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixTemplate {
    pub description: String,
    /// Set keyword `set_arg` to the source text `to` (`verify` -> `True`).
    #[serde(default)]
    pub set_arg: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// Replace the called name's last segment (`load` -> `safe_load`).
    #[serde(default)]
    pub rename_call: Option<String>,
    /// Drop this keyword (`shell`) and pass the command (argument 0 or `args`) as a list.
    #[serde(default)]
    pub shell_arg: Option<String>,
}
