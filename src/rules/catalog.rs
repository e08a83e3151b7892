//! The set of rules in force: the embedded `rules/*.toml` plus user files.
//!
//! Every file goes through the same path (`parse_file`): TOML deserialization, then
//! per-rule validation, then duplicate detection against what is already loaded. Errors
//! carry the file text and a label at the offending key so miette can show the snippet; an
//! embedded file is held to the same standard, so a broken one is an error, not a panic.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use miette::{Diagnostic, LabeledSpan, NamedSource, Report};
use regex::Regex;
use serde::Deserialize;

use super::{Check, PropagatorSpec, Rule, SourceSpec};

/// The rule families shipped in the binary, in the order `vouch rules` lists them.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "rules/code_execution.toml",
        include_str!("../../rules/code_execution.toml"),
    ),
    (
        "rules/commands.toml",
        include_str!("../../rules/commands.toml"),
    ),
    (
        "rules/deserialization.toml",
        include_str!("../../rules/deserialization.toml"),
    ),
    ("rules/tls.toml", include_str!("../../rules/tls.toml")),
    (
        "rules/network.toml",
        include_str!("../../rules/network.toml"),
    ),
    ("rules/crypto.toml", include_str!("../../rules/crypto.toml")),
    ("rules/files.toml", include_str!("../../rules/files.toml")),
    ("rules/web.toml", include_str!("../../rules/web.toml")),
    ("rules/sql.toml", include_str!("../../rules/sql.toml")),
    ("rules/xml.toml", include_str!("../../rules/xml.toml")),
    (
        "rules/injection.toml",
        include_str!("../../rules/injection.toml"),
    ),
    (
        "rules/secrets.toml",
        include_str!("../../rules/secrets.toml"),
    ),
    (
        "rules/arithmetic.toml",
        include_str!("../../rules/arithmetic.toml"),
    ),
    (
        "rules/rust_security.toml",
        include_str!("../../rules/rust_security.toml"),
    ),
    (
        "rules/rust_arithmetic.toml",
        include_str!("../../rules/rust_arithmetic.toml"),
    ),
    ("rules/vouch.toml", include_str!("../../rules/vouch.toml")),
    (
        "rules/sources.toml",
        include_str!("../../rules/sources.toml"),
    ),
    (
        "rules/supply_chain.toml",
        include_str!("../../rules/supply_chain.toml"),
    ),
    (
        "rules/stdlib_api.toml",
        include_str!("../../rules/stdlib_api.toml"),
    ),
    (
        "rules/placeholders.toml",
        include_str!("../../rules/placeholders.toml"),
    ),
    (
        "rules/rust_supply_chain.toml",
        include_str!("../../rules/rust_supply_chain.toml"),
    ),
];

/// Checks implemented in code that a rule may name with `match.builtin`. The engine owns
/// their semantics; this list only guards against typos in rule files.
pub const KNOWN_BUILTINS: &[&str] = &[
    "division-by-zero",
    "assert-fails",
    "index-out-of-range",
    "math-domain",
    "constant-condition",
    "float-equality",
    "hardcoded-password",
    "api-key",
    "unused-suppression",
    // Rust's fixed-width arithmetic and panics.
    "integer-overflow",
    "division-overflow",
    "shift-overflow",
    "lossy-cast",
    "slice-out-of-range",
    "unwrap-none",
    "reachable-unreachable",
    "hallucinated-package",
    "typosquat-package",
    "squatted-package",
    "undeclared-dependency",
    "hallucinated-crate",
    "typosquat-crate",
    "undeclared-crate",
    "unknown-crate-dependency",
    "nonexistent-stdlib-api",
    "removed-stdlib-api",
    "deprecated-stdlib-api",
    "wrong-stdlib-arguments",
    "removed-library-api",
    "wrong-library-arguments",
    "placeholder-body",
    "placeholder-comment",
    "placeholder-value",
];

/// Names of the CWE entries the shipped rules cite, for `explain`. A user rule citing an
/// unlisted CWE still works; it is shown by number only.
const CWE_NAMES: &[(u32, &str)] = &[
    (20, "Improper Input Validation"),
    (22, "Path Traversal"),
    (78, "OS Command Injection"),
    (79, "Cross-site Scripting"),
    (88, "Argument Injection"),
    (89, "SQL Injection"),
    (90, "LDAP Injection"),
    (94, "Code Injection"),
    (95, "Eval Injection"),
    (117, "Improper Output Neutralization for Logs"),
    (601, "Open Redirect"),
    (643, "XPath Injection"),
    (730, "Regular Expression Denial of Service"),
    (918, "Server-Side Request Forgery"),
    (116, "Improper Encoding or Escaping of Output"),
    (129, "Improper Validation of Array Index"),
    (
        200,
        "Exposure of Sensitive Information to an Unauthorized Actor",
    ),
    (
        215,
        "Insertion of Sensitive Information Into Debugging Code",
    ),
    (259, "Use of Hard-coded Password"),
    (276, "Incorrect Default Permissions"),
    (295, "Improper Certificate Validation"),
    (297, "Improper Validation of Certificate with Host Mismatch"),
    (319, "Cleartext Transmission of Sensitive Information"),
    (322, "Key Exchange without Entity Authentication"),
    (326, "Inadequate Encryption Strength"),
    (327, "Use of a Broken or Risky Cryptographic Algorithm"),
    (328, "Use of Weak Hash"),
    (352, "Cross-Site Request Forgery"),
    (377, "Insecure Temporary File"),
    (400, "Uncontrolled Resource Consumption"),
    (489, "Active Debug Code"),
    (502, "Deserialization of Untrusted Data"),
    (546, "Suspicious Comment"),
    (561, "Dead Code"),
    (570, "Expression is Always False"),
    (571, "Expression is Always True"),
    (611, "Improper Restriction of XML External Entity Reference"),
    (477, "Use of Obsolete Function"),
    (617, "Reachable Assertion"),
    (628, "Function Call with Incorrectly Specified Arguments"),
    (682, "Incorrect Calculation"),
    (706, "Use of Incorrectly-Resolved Name or Reference"),
    (732, "Incorrect Permission Assignment for Critical Resource"),
    (776, "XML Entity Expansion"),
    (798, "Use of Hard-coded Credentials"),
    (
        829,
        "Inclusion of Functionality from Untrusted Control Sphere",
    ),
    (1077, "Floating Point Comparison with Incorrect Operator"),
    (
        1088,
        "Synchronous Access of Remote Resource without Timeout",
    ),
    (1327, "Binding to an Unrestricted IP Address"),
    (1071, "Empty Code Block"),
    (
        1188,
        "Initialization of a Resource with an Insecure Default",
    ),
    (1336, "Server-Side Template Injection"),
    (1357, "Reliance on Insufficiently Trustworthy Component"),
    (369, "Divide By Zero"),
    (190, "Integer Overflow or Wraparound"),
    (191, "Integer Underflow (Wrap or Wraparound)"),
    (197, "Numeric Truncation Error"),
    (252, "Unchecked Return Value"),
    (476, "NULL Pointer Dereference"),
    (681, "Incorrect Conversion between Numeric Types"),
    (1335, "Incorrect Bitwise Shift of Integer"),
    (
        119,
        "Improper Restriction of Operations within the Bounds of a Memory Buffer",
    ),
    (125, "Out-of-bounds Read"),
    (787, "Out-of-bounds Write"),
    (843, "Access of Resource Using Incompatible Type"),
    (908, "Use of Uninitialized Resource"),
    (1071, "Empty Code Block"),
];

pub fn cwe_name(cwe: u32) -> Option<&'static str> {
    CWE_NAMES.iter().find(|(n, _)| *n == cwe).map(|(_, s)| *s)
}

#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub rules: Vec<Rule>,
    /// Where attacker data enters (`[[source]]` tables).
    pub sources: Vec<SourceSpec>,
    /// Library calls that pass their arguments' data on (`[[propagator]]` tables).
    pub propagators: Vec<String>,
}

impl Catalog {
    /// All shipped rules. Fails only if an embedded file is malformed (a bug the unit tests
    /// catch), and then with the same located diagnostic a user file would get.
    pub fn builtin() -> Result<Catalog, Report> {
        let mut catalog = Catalog::default();
        for (name, text) in EMBEDDED {
            catalog.add_source(name, text)?;
        }
        Ok(catalog)
    }

    /// Add the rules of a user file. Nothing is added when the file has any error.
    pub fn load_file(&mut self, path: &Path) -> Result<(), Report> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            miette::miette!(
                code = "vouch::rules::io",
                "cannot read rule file {}: {e}",
                path.display()
            )
        })?;
        self.add_source(&path.display().to_string(), &text)
    }

    /// Parse and validate `text` (named `name` in diagnostics) and append its rules.
    pub fn add_source(&mut self, name: &str, text: &str) -> Result<(), Report> {
        let (rules, sources, propagators) = parse_file(name, text, self)?;
        self.rules.extend(rules);
        self.sources.extend(sources);
        self.propagators
            .extend(propagators.into_iter().flat_map(|p| p.calls));
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// Rules whose id equals or starts with `pattern` (`PY-S2` selects the OS command
    /// family, `PY` everything for Python), case-insensitively.
    pub fn select<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules
            .iter()
            .filter(move |r| id_matches(&r.id, pattern))
    }

    /// The rules left after `--select` (empty: all) and `--ignore`, both id prefixes.
    pub fn enabled<'a>(&'a self, select: &[String], ignore: &[String]) -> Vec<&'a Rule> {
        self.rules
            .iter()
            .filter(|r| select.is_empty() || select.iter().any(|p| id_matches(&r.id, p)))
            .filter(|r| !ignore.iter().any(|p| id_matches(&r.id, p)))
            .collect()
    }

    /// Re-check the whole catalog (the per-file checks plus uniqueness across files).
    /// Loading already enforces all of this; the method exists for catalogs assembled by
    /// hand (tests, future config merging).
    pub fn validate(&self) -> Result<(), Report> {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for rule in &self.rules {
            if let Err((key, msg)) = validate_rule(rule) {
                return Err(miette::miette!(
                    code = "vouch::rules::invalid",
                    "rule `{}`: key `{key}`: {msg}",
                    rule.id
                ));
            }
            if !ids.insert(rule.id.to_ascii_uppercase()) {
                return Err(miette::miette!(
                    code = "vouch::rules::duplicate",
                    "rule `{}`: key `id`: defined twice",
                    rule.id
                ));
            }
            if !names.insert(rule.name.as_str()) {
                return Err(miette::miette!(
                    code = "vouch::rules::duplicate",
                    "rule `{}`: key `name`: `{}` is used by another rule",
                    rule.id,
                    rule.name
                ));
            }
        }
        Ok(())
    }
}

/// `pattern` selects `id` when it is the id or a prefix of it. A prefix must end at a
/// family boundary only loosely: `PY-S2` selects `PY-S201`, which is what users type.
fn id_matches(id: &str, pattern: &str) -> bool {
    let p = pattern.trim();
    !p.is_empty()
        && id.len() >= p.len()
        && id
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<Rule>>,
    #[serde(default)]
    source: Vec<SourceSpec>,
    #[serde(default)]
    propagator: Vec<PropagatorSpec>,
}

/// A problem in a rule file, located in its text.
#[derive(Debug)]
pub struct RuleFileError {
    message: String,
    src: NamedSource<String>,
    span: Option<(Range<usize>, String)>,
    help: Option<String>,
}

impl std::fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleFileError {}

impl Diagnostic for RuleFileError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("vouch::rules"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (range, label) = self.span.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(label.clone()), range.clone()),
        )))
    }
}

fn file_error(
    name: &str,
    text: &str,
    message: String,
    span: Option<(Range<usize>, String)>,
    help: Option<String>,
) -> Report {
    Report::new(RuleFileError {
        message,
        src: NamedSource::new(name, text.to_string()),
        span,
        help,
    })
}

/// What one rule file defines.
type Parsed = (Vec<Rule>, Vec<SourceSpec>, Vec<PropagatorSpec>);

fn parse_file(name: &str, text: &str, existing: &Catalog) -> Result<Parsed, Report> {
    let file: RuleFile = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim();
        let label = if msg.len() <= 60 { msg } else { "here" };
        let span = e.span().map(|r| (clamp(r, text.len()), label.to_string()));
        file_error(
            name,
            text,
            format!("invalid rule file {name}: {}", e.message().trim()),
            span,
            Some(
                "the rule files shipped in the repository's rules/ folder show every key in use"
                    .into(),
            ),
        )
    })?;
    if file.rule.is_empty() && file.source.is_empty() && file.propagator.is_empty() {
        return Err(file_error(
            name,
            text,
            format!("rule file {name} defines no `[[rule]]` or `[[source]]` table"),
            None,
            None,
        ));
    }

    let mut seen_ids: HashSet<String> = existing
        .rules
        .iter()
        .map(|r| r.id.to_ascii_uppercase())
        .collect();
    let mut seen_names: HashSet<String> = existing.rules.iter().map(|r| r.name.clone()).collect();
    let mut out = Vec::with_capacity(file.rule.len());
    for spanned in file.rule {
        let table = rule_extent(text, spanned.span());
        let mut rule = spanned.into_inner();
        if rule.docs.what.trim().is_empty() {
            rule.docs.what = rule.summary.clone();
        }
        let located = |key: &str, msg: String| {
            let span = key_span(text, &table, key).unwrap_or(table.start..table.start);
            file_error(
                name,
                text,
                format!("rule `{}`: key `{key}`: {msg}", rule.id),
                Some((span, msg.clone())),
                None,
            )
        };
        if let Err((key, msg)) = validate_rule(&rule) {
            return Err(located(key, msg));
        }
        if !seen_ids.insert(rule.id.to_ascii_uppercase()) {
            return Err(located(
                "id",
                format!("`{}` is already defined by another rule", rule.id),
            ));
        }
        if !seen_names.insert(rule.name.clone()) {
            return Err(located(
                "name",
                format!("`{}` is already used by another rule", rule.name),
            ));
        }
        out.push(rule);
    }
    Ok((out, file.source, file.propagator))
}

fn clamp(r: Range<usize>, len: usize) -> Range<usize> {
    r.start.min(len)..r.end.min(len)
}

/// The text of one `[[rule]]`: from where the deserializer says it starts to the next
/// `[[rule]]` header, because sub-tables such as `[rule.docs]` may lie outside the span
/// the deserializer reports.
fn rule_extent(text: &str, span: Range<usize>) -> Range<usize> {
    let start = span.start.min(text.len());
    let after = span.end.clamp(start, text.len());
    let end = text
        .get(after..)
        .and_then(|rest| rest.find("\n[[rule]]"))
        .map_or(text.len(), |i| after + i);
    start..end.max(span.end.min(text.len()))
}

/// The span of `key = ...` (its key) inside `table`, if written there.
fn key_span(text: &str, table: &Range<usize>, key: &str) -> Option<Range<usize>> {
    let body = text.get(table.clone())?;
    let pattern = format!(r"(?m)(?:^|[\s{{,.])({})\s*=", regex::escape(key));
    let re = Regex::new(&pattern).ok()?;
    let m = re.captures(body)?.get(1)?;
    Some(table.start + m.start()..table.start + m.end())
}

static ID_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$").unwrap_or_else(|_| unreachable!())
});
static KEBAB_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap_or_else(|_| unreachable!()));
static CALL_RE: LazyLock<Regex> = LazyLock::new(|| {
    // Python names are dotted; Rust paths use `::` (and `.method` after a type).
    Regex::new(r"^(\*|[A-Za-z_][A-Za-z0-9_]*)((\.|::)[A-Za-z_][A-Za-z0-9_]*)*$")
        .unwrap_or_else(|_| unreachable!())
});
static IDENT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").unwrap_or_else(|_| unreachable!()));

type Invalid = (&'static str, String);

fn invalid(key: &'static str, msg: impl Into<String>) -> Result<(), Invalid> {
    Err((key, msg.into()))
}

/// Everything a single rule must satisfy on its own. Returns the offending key.
pub(crate) fn validate_rule(rule: &Rule) -> Result<(), Invalid> {
    if !ID_RE.is_match(&rule.id) {
        return invalid(
            "id",
            format!(
                "`{}` is not an id like `PY-S201` (upper-case words joined by `-`)",
                rule.id
            ),
        );
    }
    if !KEBAB_RE.is_match(&rule.name) {
        return invalid(
            "name",
            format!("`{}` is not kebab-case (`lower-case-words`)", rule.name),
        );
    }
    match rule.category.as_str() {
        "security" => {
            if rule.cwe.is_empty() {
                return invalid("cwe", "a security rule needs at least one CWE number");
            }
        }
        "correctness" => {}
        other => {
            return invalid(
                "category",
                format!("`{other}` is not `security` or `correctness`"),
            );
        }
    }
    if rule.cwe.contains(&0) {
        return invalid("cwe", "CWE numbers start at 1");
    }
    // `any`: checks about vouch itself (suppression comments), not about one language.
    if !matches!(rule.language.as_str(), "python" | "rust" | "any") {
        return invalid(
            "language",
            format!("`{}` is not `python`, `rust` or `any`", rule.language),
        );
    }
    for (key, value) in [
        ("summary", &rule.summary),
        ("message", &rule.message),
        ("help", &rule.help),
    ] {
        if value.trim().is_empty() {
            return invalid(key, "must not be empty");
        }
    }
    if rule.summary.contains('\n') {
        return invalid("summary", "must be a single line");
    }
    for r in &rule.references {
        if !(r.starts_with("https://") || r.starts_with("http://")) {
            return invalid("references", format!("`{r}` is not a URL"));
        }
    }
    validate_matcher(rule)?;
    for check in rule.when.iter() {
        validate_check(rule, check, "when")?;
    }
    for check in rule.unless.iter() {
        validate_check(rule, check, "unless")?;
    }
    if let Some(fix) = &rule.fix {
        if fix.description.trim().is_empty() {
            return invalid("description", "a fix needs a description");
        }
        match (&fix.set_arg, &fix.to, &fix.rename_call) {
            (None, None, None) if fix.shell_arg.is_some() => {
                let arg = fix.shell_arg.as_deref().unwrap_or_default();
                if !IDENT_RE.is_match(arg) {
                    return invalid("shell_arg", format!("`{arg}` is not a keyword name"));
                }
            }
            _ if fix.shell_arg.is_some() => {
                return invalid("shell_arg", "`shell_arg` is a fix of its own");
            }
            (Some(arg), Some(to), None) => {
                if !IDENT_RE.is_match(arg) {
                    return invalid("set_arg", format!("`{arg}` is not a keyword name"));
                }
                if to.trim().is_empty() {
                    return invalid("to", "the new argument text must not be empty");
                }
            }
            (None, None, Some(name)) => {
                if !IDENT_RE.is_match(name) {
                    return invalid("rename_call", format!("`{name}` is not an identifier"));
                }
            }
            (Some(_), None, _) => return invalid("set_arg", "`set_arg` needs `to`"),
            (None, Some(_), _) => return invalid("to", "`to` needs `set_arg`"),
            _ => {
                return invalid(
                    "fix",
                    "a fix is either `set_arg` with `to`, `rename_call`, or `shell_arg`",
                );
            }
        }
        if rule.matcher.calls.is_empty() {
            return invalid("fix", "only rules that match calls can have a fix");
        }
    }
    Ok(())
}

fn validate_matcher(rule: &Rule) -> Result<(), Invalid> {
    let m = &rule.matcher;
    let kinds = [
        !m.calls.is_empty(),
        !m.assigns.is_empty(),
        !m.imports.is_empty(),
        !m.references.is_empty(),
        m.builtin.is_some(),
    ];
    match kinds.iter().filter(|k| **k).count() {
        1 => {}
        0 => {
            return invalid(
                "match",
                "set one of `calls`, `assigns`, `imports`, `references`, `builtin`",
            );
        }
        _ => {
            return invalid(
                "match",
                "set exactly one of `calls`, `assigns`, `imports`, `references`, `builtin`",
            );
        }
    }
    for (key, names) in [
        ("calls", &m.calls),
        ("assigns", &m.assigns),
        ("references", &m.references),
        ("imports", &m.imports),
    ] {
        for n in names {
            if !CALL_RE.is_match(n) || (key != "calls" && key != "assigns" && n.starts_with('*')) {
                return invalid(
                    key,
                    format!("`{n}` is not a dotted name (or `*.name` for calls and assigns)"),
                );
            }
        }
    }
    if let Some(b) = &m.builtin
        && !KNOWN_BUILTINS.contains(&b.as_str())
    {
        return invalid(
            "builtin",
            format!(
                "unknown builtin check `{b}`; known: {}",
                KNOWN_BUILTINS.join(", ")
            ),
        );
    }
    let takes_checks = !m.calls.is_empty() || !m.assigns.is_empty();
    if !takes_checks && (!rule.when.is_empty() || !rule.unless.is_empty()) {
        let key = if rule.when.is_empty() {
            "unless"
        } else {
            "when"
        };
        return invalid(
            key,
            "conditions apply only to `calls` and `assigns` matchers",
        );
    }
    Ok(())
}

fn validate_check(rule: &Rule, check: &Check, key: &'static str) -> Result<(), Invalid> {
    let at = check.at();
    if !rule.matcher.assigns.is_empty() {
        if at.arg.as_deref() != Some("value") || at.pos.is_some() {
            return invalid(
                key,
                "an `assigns` rule checks the assigned value: `arg = \"value\"`",
            );
        }
    } else if at.arg.is_none() && at.pos.is_none() {
        return invalid(key, "a condition needs `arg` (keyword) or `pos` (index)");
    }
    if let Some(arg) = &at.arg
        && !IDENT_RE.is_match(arg)
    {
        return invalid(key, format!("`{arg}` is not a keyword name"));
    }
    match check {
        Check::OneOf { values, .. } | Check::NoneOf { values, .. } if values.is_empty() => {
            invalid(key, "`values` must not be empty")
        }
        Check::BuiltFromData {
            chars,
            substrings,
            prefixes,
            ..
        } if chars.is_empty() && substrings.is_empty() && prefixes.is_empty() => invalid(
            key,
            "`chars`, `substrings` or `prefixes` must name what the data must not hold",
        ),
        Check::Contains { text, .. } if text.is_empty() => invalid(key, "`text` must not be empty"),
        Check::HasBits { mask, .. } if *mask <= 0 => invalid(key, "`mask` must be positive"),
        _ => Ok(()),
    }
}

/// The text `vouch explain ID` prints: header, then the sections in a fixed order.
/// The reporting policy (ARCHITECTURE.md), shown with every rule: which verdicts become
/// errors, which latent warnings, and which are not reported.
const REPORTING_POLICY: &str = "Each site is an obligation for Z3. Proved impossible: nothing is \
reported (`--proofs` lists it). Possible with no assumption about inputs: reported at the \
rule's severity with the values that make it happen. Possible only for particular argument \
values, a loop that runs zero times or a caught exception: a latent warning whose help names \
those values. Possible only through the result of a call vouch cannot see, or undecided \
(timeout): counted as unknown, not reported, except for checks on how code or SQL is built \
from data, where such results count as arbitrary data. Assertions about parameters are \
preconditions and are not reported; in test files (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`) a failing assertion is a note, since the test run reports it. One defect found by two rules at nested calls with the same CWEs (`exec(compile(text))`) is reported once, by the outer call. A call into a function of the same module is judged with the caller's values (one level deep) or by the callee's summary (its obligations and result in terms of its parameters; deeper chains): a violation the call makes certain is reported at the call, with the callee's line as related information.";

pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}  {}\n", rule.id, rule.name));
    out.push_str(&format!(
        "severity: {}   category: {}   language: {}\n",
        rule.severity.as_str(),
        rule.category,
        rule.language
    ));
    out.push_str(&format!("{}\n", rule.summary.trim()));

    // A user rule may leave out parts of its docs: their sections are left out too.
    section(&mut out, "What it finds", &rule.docs.what);
    if !rule.docs.why.trim().is_empty() {
        section(&mut out, "Why it is bad", &rule.docs.why);
    }
    if !rule.docs.example.trim().is_empty() {
        code_section(&mut out, "Example", &rule.docs.example);
    }
    section(&mut out, "Fix", &rule.help);
    if !rule.docs.fix.trim().is_empty() {
        code_block(&mut out, &rule.docs.fix);
    }
    if let Some(fix) = &rule.fix {
        out.push_str(&format!(
            "\n    Automatic fix: {}\n",
            fix.description.trim()
        ));
    }
    section(&mut out, "How it is reported", REPORTING_POLICY);

    out.push_str("\nCWE\n");
    if rule.cwe.is_empty() {
        out.push_str("    (none)\n");
    }
    for cwe in &rule.cwe {
        match cwe_name(*cwe) {
            Some(name) => out.push_str(&format!("    CWE-{cwe}: {name}\n")),
            None => out.push_str(&format!("    CWE-{cwe}\n")),
        }
    }

    out.push_str("\nReferences\n");
    if rule.references.is_empty() {
        out.push_str("    (none)\n");
    }
    for r in &rule.references {
        out.push_str(&format!("    - {r}\n"));
    }
    out
}

/// Prose width for `explain`; the TOML texts are wrapped by hand near this already, but
/// one-line fields such as `help` are not.
const WIDTH: usize = 88;

fn section(out: &mut String, heading: &str, body: &str) {
    out.push('\n');
    out.push_str(heading);
    out.push('\n');
    for line in body.trim().lines() {
        if line.trim().is_empty() {
            out.push('\n');
            continue;
        }
        let mut cur = String::new();
        for word in line.split_whitespace() {
            if !cur.is_empty() && cur.len() + 1 + word.len() > WIDTH {
                out.push_str("    ");
                out.push_str(&cur);
                out.push('\n');
                cur.clear();
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
        if !cur.is_empty() {
            out.push_str("    ");
            out.push_str(&cur);
            out.push('\n');
        }
    }
}

fn code_section(out: &mut String, heading: &str, code: &str) {
    out.push('\n');
    out.push_str(heading);
    out.push('\n');
    code_block(out, code);
}

/// Code keeps its own indentation, shifted right so it stands apart from prose.
fn code_block(out: &mut String, code: &str) {
    out.push('\n');
    for line in code.trim_matches('\n').lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str("        ");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Catalog {
        match Catalog::builtin() {
            Ok(c) => c,
            Err(e) => panic!("embedded rules do not load: {e:?}"),
        }
    }

    #[test]
    fn embedded_rules_load_and_validate() {
        let c = builtin();
        assert!(c.rules.len() >= 32, "only {} rules", c.rules.len());
        if let Err(e) = c.validate() {
            panic!("{e:?}");
        }
    }

    #[test]
    fn ids_and_names_are_unique() {
        let c = builtin();
        let ids: HashSet<_> = c.rules.iter().map(|r| r.id.as_str()).collect();
        let names: HashSet<_> = c.rules.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(ids.len(), c.rules.len());
        assert_eq!(names.len(), c.rules.len());
    }

    #[test]
    fn required_rules_exist() {
        let c = builtin();
        for (id, builtin, category) in [
            ("PY-A001", Some("division-by-zero"), "correctness"),
            ("PY-A002", Some("assert-fails"), "correctness"),
            ("PY-A003", Some("index-out-of-range"), "correctness"),
            ("PY-A004", Some("math-domain"), "correctness"),
            ("PY-A005", Some("constant-condition"), "correctness"),
            ("PY-A006", Some("float-equality"), "correctness"),
            ("PY-S901", Some("hardcoded-password"), "security"),
            ("PY-S902", Some("api-key"), "security"),
            ("PY-S202", None, "security"),
        ] {
            let Some(rule) = c.get(id) else {
                panic!("{id} missing")
            };
            assert_eq!(rule.matcher.builtin.as_deref(), builtin, "{id}");
            assert_eq!(rule.category, category, "{id}");
            assert!(!rule.cwe.is_empty(), "{id}");
        }
        assert!(c.get("PY-A001").is_some_and(|r| r.cwe == vec![369]));
    }

    #[test]
    fn ids_follow_the_family_scheme() {
        let re = Regex::new(r"^((PY|RS)-(S\d\d\d|A\d\d\d)|VCH-\d\d\d)$")
            .unwrap_or_else(|_| unreachable!());
        for r in &builtin().rules {
            assert!(re.is_match(&r.id), "{}", r.id);
            let language = if r.id.starts_with("VCH-") {
                "any"
            } else if r.id.starts_with("RS-") {
                "rust"
            } else {
                "python"
            };
            assert_eq!(r.language, language, "{}", r.id);
            assert_eq!(
                r.id.starts_with("PY-A") || r.id.starts_with("RS-A") || r.id.starts_with("VCH-"),
                r.category == "correctness",
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn every_rule_explains_with_all_sections() {
        for r in &builtin().rules {
            let text = explain(r);
            let mut last = 0;
            for heading in [
                "What it finds",
                "Why it is bad",
                "Example",
                "Fix",
                "CWE",
                "References",
            ] {
                let needle = format!("\n{heading}\n");
                let Some(at) = text.find(&needle) else {
                    panic!("{}: no section {heading}:\n{text}", r.id)
                };
                assert!(at >= last, "{}: {heading} out of order", r.id);
                last = at;
            }
            assert!(text.starts_with(&r.id));
            let d = &r.docs;
            for (key, v) in [("what", &d.what), ("why", &d.why), ("fix", &d.fix)] {
                assert!(!v.trim().is_empty(), "{}: docs.{key} is empty", r.id);
            }
            for cwe in &r.cwe {
                assert!(
                    cwe_name(*cwe).is_some(),
                    "{}: CWE-{cwe} has no name in the table",
                    r.id
                );
            }
            assert!(!r.references.is_empty(), "{}: no references", r.id);
            assert!(
                r.docs.example.lines().count() >= 2,
                "{}: tiny example",
                r.id
            );
        }
    }

    #[test]
    fn messages_read_with_callee() {
        for r in &builtin().rules {
            if r.matcher.builtin.is_none() {
                assert!(r.message.contains("{callee}"), "{}", r.id);
            }
            assert!(
                !r.message.ends_with('.'),
                "{}: message ends with a dot",
                r.id
            );
        }
    }

    #[test]
    fn explain_names_cwe() {
        let c = builtin();
        let Some(r) = c.get("PY-S202") else {
            panic!("PY-S202 missing")
        };
        assert!(explain(r).contains("CWE-78: OS Command Injection"));
    }

    #[test]
    fn select_by_prefix() {
        let c = builtin();
        let family: Vec<_> = c.select("py-s2").collect();
        assert!(!family.is_empty());
        assert!(family.iter().all(|r| r.id.starts_with("PY-S2")));
        assert_eq!(c.select("PY-A001").count(), 1);
        let only_arith = c.enabled(&["PY-A".into()], &["PY-A002".into()]);
        assert!(only_arith.iter().all(|r| r.id.starts_with("PY-A")));
        assert!(only_arith.iter().all(|r| r.id != "PY-A002"));
        assert!(c.select("").next().is_none());
    }

    const GOOD: &str = r#"
[[rule]]
id = "ACME-X001"
name = "no-frobnicate"
cwe = [78]
severity = "warning"
summary = "frobnicate runs a shell"
message = "`{callee}` runs a shell"
help = "use acme.safe_frobnicate"
references = ["https://example.org/frobnicate"]

[rule.docs]
what = "Calls to frobnicate."
why = "It runs a shell."
example = "acme.frobnicate(x)\n"
fix = "acme.safe_frobnicate(x)\n"

[rule.match]
calls = ["acme.frobnicate"]

[[rule.when]]
is = "truthy"
arg = "shell"
"#;

    #[test]
    fn a_user_rule_needs_no_docs() {
        let minimal = GOOD.replace(
            "[rule.docs]\nwhat = \"Calls to frobnicate.\"\nwhy = \"It runs a shell.\"\nexample = \"acme.frobnicate(x)\\n\"\nfix = \"acme.safe_frobnicate(x)\\n\"\n",
            "",
        );
        assert!(!minimal.contains("[rule.docs]"), "{minimal}");
        let c = match load_text(&minimal) {
            Ok(c) => c,
            Err(e) => panic!("a rule without docs is refused: {e:?}"),
        };
        let Some(r) = c.get("ACME-X001") else {
            panic!("not loaded")
        };
        assert_eq!(
            r.docs.what, "frobnicate runs a shell",
            "defaults to the summary"
        );
        let text = explain(r);
        assert!(text.contains("\nWhat it finds\n"), "{text}");
        assert!(!text.contains("\nExample\n"), "no empty section: {text}");
        // Docs given in part are taken as given.
        let partial = minimal.replace(
            "[rule.match]",
            "[rule.docs]\nwhy = \"It runs a shell.\"\n\n[rule.match]",
        );
        let c = load_text(&partial).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(explain(&c.rules[0]).contains("It runs a shell."));
    }

    fn load_text(text: &str) -> Result<Catalog, Report> {
        let mut c = Catalog::default();
        c.add_source("user.toml", text)?;
        Ok(c)
    }

    fn err_text(text: &str) -> String {
        match load_text(text) {
            Ok(_) => panic!("accepted a bad file"),
            Err(e) => {
                let diag: &dyn Diagnostic = e.as_ref();
                let labels: Vec<_> = diag.labels().map(|l| l.collect()).unwrap_or_default();
                let mut s = format!("{e}");
                for l in labels {
                    let l: LabeledSpan = l;
                    s.push_str(&format!(" @{}..{}", l.offset(), l.offset() + l.len()));
                    let src = text.get(l.offset()..l.offset() + l.len()).unwrap_or("");
                    s.push_str(&format!(" [{src}]"));
                }
                s
            }
        }
    }

    #[test]
    fn user_file_loads() {
        let c = match load_text(GOOD) {
            Ok(c) => c,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(c.rules.len(), 1);
        assert!(c.get("acme-x001").is_some());
    }

    #[test]
    fn unknown_key_is_named_and_located() {
        let bad = GOOD.replace("severity = ", "sevrity = ");
        let e = err_text(&bad);
        assert!(e.contains("sevrity"), "{e}");
        assert!(e.contains('@'), "no label: {e}");
    }

    #[test]
    fn wrong_type_is_located() {
        let bad = GOOD.replace("cwe = [78]", "cwe = \"78\"");
        let e = err_text(&bad);
        assert!(e.contains('@'), "no label: {e}");
    }

    #[test]
    fn unknown_check_field_is_rejected() {
        let bad = GOOD.replace("arg = \"shell\"", "arg = \"shell\"\nbount = 3");
        let e = err_text(&bad);
        assert!(e.contains("bount"), "{e}");
    }

    #[test]
    fn invalid_name_points_at_key() {
        let bad = GOOD.replace("\"no-frobnicate\"", "\"No_Frobnicate\"");
        let e = err_text(&bad);
        assert!(e.contains("key `name`"), "{e}");
        assert!(e.contains("[name]"), "label not at the key: {e}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let twice = format!("{GOOD}\n{}", GOOD.replace("no-frobnicate", "other-name"));
        let e = err_text(&twice);
        assert!(e.contains("key `id`"), "{e}");

        let mut c = builtin();
        let clash = GOOD.replace("ACME-X001", "PY-S202");
        let Err(e) = c.add_source("user.toml", &clash) else {
            panic!("duplicate of a builtin id accepted")
        };
        assert!(format!("{e}").contains("PY-S202"));
    }

    #[test]
    fn unknown_builtin_and_two_matchers_are_rejected() {
        let bad = GOOD.replace(
            "calls = [\"acme.frobnicate\"]",
            "builtin = \"no-such-check\"",
        );
        let bad = bad.replace("[[rule.when]]\nis = \"truthy\"\narg = \"shell\"\n", "");
        assert!(err_text(&bad).contains("builtin"));

        let two = GOOD.replace(
            "calls = [\"acme.frobnicate\"]",
            "calls = [\"acme.frobnicate\"]\nimports = [\"acme\"]",
        );
        assert!(err_text(&two).contains("key `match`"));
    }

    #[test]
    fn check_without_argument_is_rejected() {
        let bad = GOOD.replace("arg = \"shell\"", "");
        assert!(err_text(&bad).contains("key `when`"));
    }

    #[test]
    fn missing_file_is_an_error() {
        let mut c = Catalog::default();
        assert!(
            c.load_file(Path::new("/nonexistent/vouch-rules.toml"))
                .is_err()
        );
    }

    #[test]
    fn load_file_reads_from_disk() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let path = dir.path().join("acme.toml");
        if let Err(e) = std::fs::write(&path, GOOD) {
            panic!("{e}");
        }
        let mut c = builtin();
        let before = c.rules.len();
        if let Err(e) = c.load_file(&path) {
            panic!("{e:?}");
        }
        assert_eq!(c.rules.len(), before + 1);
        assert!(c.validate().is_ok());
    }
}
