//! Configuration: `vouch.toml`, or `[tool.vouch]` in `pyproject.toml`, found by walking up
//! from the first path; `--config FILE` names one directly.
//!
//! Everything here is resolved once, before any file is read: the settings, the exclude
//! matcher (gitignore-style globs, relative to the directory holding the config file) and
//! the [`RuleFilter`] that decides, per file, which rule ids are reported and at what
//! severity.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use serde::Deserialize;

use crate::finding::Severity;

/// File names looked for in each directory, in order of preference.
const VOUCH_TOML: &str = "vouch.toml";
const PYPROJECT: &str = "pyproject.toml";

/// The keys `Settings` accepts, for "did you mean" help on a misspelt key.
const KEYS: &[&str] = &[
    "select",
    "ignore",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
    "fail-level",
    "severity",
    "rules-path",
    "target-python",
    "threat-model",
    "rule-options",
];

/// Directories nobody wants analyzed: virtual environments, build output, caches. Used when
/// `exclude` is not set; `extend-exclude` adds to it.
pub const DEFAULT_EXCLUDE: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "target",
    "venv",
];

/// The `[tool.vouch]` / `vouch.toml` keys.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Rule ids or prefixes to run; absent means all.
    pub select: Option<Vec<String>>,
    /// Rule ids or prefixes to skip.
    pub ignore: Option<Vec<String>>,
    /// Gitignore-style globs replacing [`DEFAULT_EXCLUDE`].
    pub exclude: Option<Vec<String>>,
    /// Globs added to `exclude` (or to the defaults).
    pub extend_exclude: Option<Vec<String>>,
    /// Glob -> rule ids or prefixes not reported in matching files.
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default, deserialize_with = "severity_opt")]
    pub fail_level: Option<Severity>,
    /// Rule id or prefix -> severity to report it at.
    #[serde(default, deserialize_with = "severity_map")]
    pub severity: Option<BTreeMap<String, Severity>>,
    /// Extra rule files, relative to the config file.
    pub rules_path: Option<Vec<String>>,
    pub target_python: Option<PythonVersion>,
    /// Who the attacker is: `remote` (default: web requests, sockets, HTTP responses) or
    /// `local` (also argv, stdin, the environment, files read).
    pub threat_model: Option<crate::rules::Threat>,
    /// Rule id -> options that tune its checks (`[rule-options."PY-S506"] bound = 3072`).
    pub rule_options: Option<BTreeMap<String, RuleOptions>>,
}

/// What a project may tune in a rule without writing a rule file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    /// The threshold of the rule's `below` checks (a minimum key size).
    pub bound: Option<i64>,
    /// More calls whose results the rule's `built-from-data` checks accept as safe (a
    /// project's own quoting helper).
    pub sanitizers: Option<Vec<String>>,
}

/// A severity given as a string, with a message that lists the choices (serde's own enum
/// message for a wrong type is "wanted string or table").
struct SeverityName(Severity);

impl<'de> Deserialize<'de> for SeverityName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "error" => Ok(SeverityName(Severity::Error)),
            "warning" => Ok(SeverityName(Severity::Warning)),
            "note" => Ok(SeverityName(Severity::Note)),
            other => Err(serde::de::Error::custom(format!(
                "unknown severity `{other}`, expected one of `error`, `warning`, `note`"
            ))),
        }
    }
}

fn severity_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Severity>, D::Error> {
    Ok(Some(SeverityName::deserialize(d)?.0))
}

fn severity_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<String, Severity>>, D::Error> {
    let m = BTreeMap::<String, SeverityName>::deserialize(d)?;
    Ok(Some(m.into_iter().map(|(k, v)| (k, v.0)).collect()))
}

/// A Python minor version vouch knows the standard library of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PythonVersion {
    pub major: u8,
    pub minor: u8,
}

impl PythonVersion {
    pub const OLDEST: PythonVersion = PythonVersion { major: 3, minor: 8 };
    pub const NEWEST: PythonVersion = PythonVersion {
        major: 3,
        minor: 13,
    };
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl std::str::FromStr for PythonVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "invalid Python version `{s}`, expected one of {}",
                (PythonVersion::OLDEST.minor..=PythonVersion::NEWEST.minor)
                    .map(|m| format!("`3.{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let (major, minor) = s.trim().split_once('.').ok_or_else(bad)?;
        let v = PythonVersion {
            major: major.parse().map_err(|_| bad())?,
            minor: minor.parse().map_err(|_| bad())?,
        };
        if v < PythonVersion::OLDEST || v > PythonVersion::NEWEST {
            return Err(bad());
        }
        Ok(v)
    }
}

impl<'de> Deserialize<'de> for PythonVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Settings plus where they came from.
#[derive(Clone, Debug)]
pub struct Config {
    pub settings: Settings,
    /// Directory that globs and `rules-path` are relative to: the config file's directory,
    /// or the working directory when there is no config file.
    pub root: PathBuf,
    /// The file the settings were read from.
    pub file: Option<PathBuf>,
}

impl Config {
    /// No config file: defaults, rooted at `root`.
    pub fn empty(root: PathBuf) -> Config {
        Config {
            settings: Settings::default(),
            root,
            file: None,
        }
    }

    /// Extra rule files, resolved against the config file's directory.
    pub fn rules_paths(&self) -> Vec<PathBuf> {
        self.settings
            .rules_path
            .iter()
            .flatten()
            .map(|p| self.root.join(p))
            .collect()
    }

    /// The exclude matcher: `exclude` (or the defaults) plus `extend-exclude`.
    pub fn excludes(&self) -> Result<Excludes, ConfigError> {
        let base: Vec<String> = match &self.settings.exclude {
            Some(globs) => globs.clone(),
            None => DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect(),
        };
        let globs = base
            .into_iter()
            .chain(self.settings.extend_exclude.iter().flatten().cloned());
        Excludes::new(&self.root, globs, self.file.as_deref())
    }
}

/// Gitignore-style globs rooted at a directory: a pattern without a slash matches a file or
/// directory name anywhere, one with a slash is anchored at the root.
#[derive(Clone, Debug)]
pub struct Excludes {
    root: PathBuf,
    matcher: Gitignore,
}

impl Excludes {
    pub fn new(
        root: &Path,
        globs: impl IntoIterator<Item = String>,
        config_file: Option<&Path>,
    ) -> Result<Excludes, ConfigError> {
        let root = absolute(root);
        let mut builder = GitignoreBuilder::new(&root);
        for glob in globs {
            if let Err(e) = builder.add_line(None, &glob) {
                return Err(ConfigError::plain(
                    format!("invalid exclude glob `{glob}`: {e}"),
                    config_file,
                ));
            }
        }
        let matcher = builder
            .build()
            .map_err(|e| ConfigError::plain(format!("invalid exclude globs: {e}"), config_file))?;
        Ok(Excludes { root, matcher })
    }

    /// Matches nothing.
    pub fn none() -> Excludes {
        Excludes {
            root: PathBuf::from("/"),
            matcher: Gitignore::empty(),
        }
    }

    /// Whether this path (file or directory) matches an exclude glob. Only the path itself,
    /// not its parents: the walker prunes excluded directories before reaching their files.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        let rel = relative_to(&absolute(path), &self.root);
        self.matcher.matched(&rel, is_dir).is_ignore()
    }

    /// Whether this path or any directory above it (up to the root) is excluded: for files
    /// named on the command line, which the walker never saw.
    pub fn is_excluded_with_parents(&self, path: &Path, is_dir: bool) -> bool {
        let abs = absolute(path);
        if self.is_excluded(&abs, is_dir) {
            return true;
        }
        abs.ancestors()
            .skip(1)
            .take_while(|p| p.starts_with(&self.root) && *p != self.root)
            .any(|p| self.is_excluded(p, true))
    }
}

/// `path` made absolute against the working directory and cleaned of `.` and `..`
/// components without touching the file system (symlinks stay as the user wrote them).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => path.to_path_buf(),
        }
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `root` when it is beneath it, else unchanged.
fn relative_to(path: &Path, root: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

/// Finds and loads the configuration: `explicit` when given, else the nearest `vouch.toml`
/// or `pyproject.toml` with a `[tool.vouch]` table at or above `start` (a file or
/// directory). No file found: defaults rooted at the working directory.
pub fn resolve(explicit: Option<&Path>, start: &Path) -> Result<Config, ConfigError> {
    if let Some(file) = explicit {
        return load(file);
    }
    let start = absolute(start);
    let first_dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    for dir in first_dir.into_iter().flat_map(Path::ancestors) {
        let candidate = dir.join(VOUCH_TOML);
        if candidate.is_file() {
            return load(&candidate);
        }
        let candidate = dir.join(PYPROJECT);
        if candidate.is_file() {
            // A pyproject.toml without our table says nothing about vouch: keep looking,
            // but a broken one is still an error rather than silently skipped.
            let text = read(&candidate)?;
            if has_tool_vouch(&text) {
                return parse(&candidate, text);
            }
        }
    }
    let cwd = absolute(Path::new("."));
    Ok(Config::empty(cwd))
}

/// Loads one config file; `pyproject.toml` (by name) is read from its `[tool.vouch]` table.
pub fn load(file: &Path) -> Result<Config, ConfigError> {
    let text = read(file)?;
    parse(file, text)
}

fn read(file: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(file).map_err(|e| {
        ConfigError::plain(
            format!("cannot read config file `{}`: {e}", file.display()),
            None,
        )
    })
}

fn has_tool_vouch(text: &str) -> bool {
    // Cheap pre-check so an unrelated pyproject.toml is not parsed at all; the real parse
    // decides.
    text.contains("vouch")
        && toml::from_str::<toml::Table>(text)
            .ok()
            .and_then(|t| t.get("tool")?.as_table()?.get("vouch").cloned())
            .is_some()
}

/// Parses `text`, the content of `file`.
pub fn parse(file: &Path, text: String) -> Result<Config, ConfigError> {
    let is_pyproject = file.file_name().is_some_and(|n| n == PYPROJECT);
    let parsed = if is_pyproject {
        toml::from_str::<Pyproject>(&text).map(|p| p.tool.and_then(|t| t.vouch).unwrap_or_default())
    } else {
        toml::from_str::<Settings>(&text)
    };
    let settings = parsed.map_err(|e| ConfigError::from_toml(file, &text, &e))?;
    let abs = absolute(file);
    let root = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| absolute(Path::new(".")));
    Ok(Config {
        settings,
        root,
        file: Some(abs),
    })
}

/// Only the part of pyproject.toml we own is strict; everything else is someone else's.
#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    vouch: Option<Settings>,
}

/// A configuration problem, pointing into the file when the parser says where. Boxed: it is
/// rare and large, and rides in every `Result` of this module.
#[derive(Debug)]
pub struct ConfigError(Box<ConfigErrorInner>);

#[derive(Debug)]
struct ConfigErrorInner {
    message: String,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    span: Option<std::ops::Range<usize>>,
    label: String,
}

impl ConfigError {
    fn plain(message: String, file: Option<&Path>) -> ConfigError {
        let help = file.map(|f| format!("in config file `{}`", f.display()));
        ConfigError(Box::new(ConfigErrorInner {
            message,
            help,
            source: None,
            span: None,
            label: String::new(),
        }))
    }

    fn from_toml(file: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
        let raw = e.message().trim();
        let (message, label, help) = explain_toml_message(raw, text, e.span());
        ConfigError(Box::new(ConfigErrorInner {
            message: format!("invalid config file `{}`: {message}", file.display()),
            help,
            source: Some(NamedSource::new(
                file.display().to_string(),
                text.to_string(),
            )),
            span: e.span(),
            label,
        }))
    }
}

/// Rewords serde's messages for people editing a config file ("field" -> "key"), names
/// the key a bad value belongs to, and finds a close key for a misspelt one.
fn explain_toml_message(
    raw: &str,
    text: &str,
    span: Option<std::ops::Range<usize>>,
) -> (String, String, Option<String>) {
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default();
        let expected = rest
            .split_once(", expected ")
            .map(|(_, e)| e.to_string())
            .unwrap_or_else(|| {
                let keys: Vec<String> = KEYS.iter().map(|k| format!("`{k}`")).collect();
                format!("one of {}", keys.join(", "))
            });
        let message = format!("unknown key `{key}`, expected {expected}");
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let help = closest(key, &candidates).map(|k| format!("did you mean `{k}`?"));
        return (message, "unknown key".into(), help);
    }
    let label = match raw.split_once(", expected ") {
        Some((_, expected)) => format!("expected {expected}"),
        None => "here".to_string(),
    };
    let message = match span.and_then(|s| key_before(text, s.start)) {
        Some(key) => format!("invalid value for `{key}`: {raw}"),
        None => raw.to_string(),
    };
    (message, label, None)
}

/// The key of a `key = value` line whose value starts at byte `at`.
fn key_before(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at)?;
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let key = line.trim_end().strip_suffix('=')?.trim();
    let key = key.trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| key.to_string())
}

/// The candidate nearest to `word` by edit distance, if it is plausibly a typo of it.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1) + 1;
    candidates
        .iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for ConfigError {}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("vouch::config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.0.span.clone()?;
        self.0.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.0.label.clone()), span),
        )))
    }
}

/// Which rules are reported, where, and how severely: `--select/--ignore` merged with the
/// config's `select`, `ignore`, `per-file-ignores` and `[severity]`.
///
/// Selectors are ids or id prefixes (`PY-S6` covers `PY-S602`); `ALL` selects everything.
/// When both lists match a rule, the more specific (longer) selector wins, and a tie goes
/// to `ignore`: `ignore = ["PY-S"]` with `--select PY-S602` runs only PY-S602.
#[derive(Clone, Debug, Default)]
pub struct RuleFilter {
    select: Vec<String>,
    ignore: Vec<String>,
    per_file: Vec<(Excludes, Vec<String>)>,
    severity: Vec<(String, Severity)>,
}

impl RuleFilter {
    /// `cli_select` replaces the config's `select` when non-empty; `cli_ignore` adds to the
    /// config's `ignore`.
    pub fn new(
        config: &Config,
        cli_select: &[String],
        cli_ignore: &[String],
    ) -> Result<RuleFilter, ConfigError> {
        let s = &config.settings;
        let select = if cli_select.is_empty() {
            s.select.clone().unwrap_or_default()
        } else {
            cli_select.to_vec()
        };
        let ignore = s
            .ignore
            .iter()
            .flatten()
            .chain(cli_ignore)
            .cloned()
            .collect();
        let mut per_file = Vec::new();
        for (glob, ids) in s.per_file_ignores.iter().flatten() {
            let m = Excludes::new(&config.root, [glob.clone()], config.file.as_deref())?;
            per_file.push((m, normalize(ids.clone())));
        }
        let severity = s
            .severity
            .iter()
            .flatten()
            .map(|(k, v)| (k.trim().to_uppercase(), *v))
            .collect();
        Ok(RuleFilter {
            select: normalize(select),
            ignore: normalize(ignore),
            per_file,
            severity,
        })
    }

    /// Whether `rule` runs at all (ignoring per-file ignores).
    pub fn enabled(&self, rule: &str) -> bool {
        let sel = if self.select.is_empty() {
            Some(0)
        } else {
            best_match(&self.select, rule)
        };
        match (sel, best_match(&self.ignore, rule)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// Whether `rule` is reported in the file at `path`.
    pub fn enabled_in(&self, rule: &str, path: &Path) -> bool {
        self.enabled(rule)
            && !self.per_file.iter().any(|(m, ids)| {
                ids.iter().any(|id| selects(id, rule)) && m.is_excluded_with_parents(path, false)
            })
    }

    /// The severity `rule` is reported at: the most specific `[severity]` entry, else its own.
    pub fn severity_of(&self, rule: &str, default: Severity) -> Severity {
        self.severity
            .iter()
            .filter(|(sel, _)| selects(sel, rule))
            .max_by_key(|(sel, _)| sel.len())
            .map_or(default, |(_, s)| *s)
    }

    /// Whether the user narrowed the rules at all (the analysis can then skip work).
    pub fn is_narrowed(&self) -> bool {
        !self.select.is_empty() || !self.ignore.is_empty()
    }

    /// Entries of `select` that match none of `ids`: asked-for rules that would not run.
    pub fn unmatched_select<'a>(&self, ids: impl Iterator<Item = &'a str> + Clone) -> Vec<String> {
        self.select
            .iter()
            .filter(|sel| !ids.clone().any(|id| selects(sel, id)))
            .cloned()
            .collect()
    }

    /// Selectors that match none of `ids`: almost always a typo that would silently turn a
    /// rule off.
    pub fn unmatched_selectors<'a>(
        &self,
        ids: impl Iterator<Item = &'a str> + Clone,
    ) -> Vec<String> {
        let per_file = self.per_file.iter().flat_map(|(_, ids)| ids.iter());
        let severity = self.severity.iter().map(|(s, _)| s);
        self.select
            .iter()
            .chain(&self.ignore)
            .chain(per_file)
            .chain(severity)
            .filter(|sel| sel.as_str() != "ALL" && !ids.clone().any(|id| selects(sel, id)))
            .cloned()
            .collect()
    }
}

/// Trimmed and upper-cased: rule ids are upper case, and `py-s202` means `PY-S202` here as
/// it does in suppression comments.
fn normalize(list: Vec<String>) -> Vec<String> {
    list.into_iter()
        .map(|s| s.trim().to_uppercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether selector `sel` covers rule id `rule`.
pub fn selects(sel: &str, rule: &str) -> bool {
    sel == "ALL" || rule.starts_with(sel)
}

/// Length of the longest selector covering `rule` (`ALL` counts as the least specific).
fn best_match(list: &[String], rule: &str) -> Option<usize> {
    list.iter()
        .filter(|s| selects(s, rule))
        .map(|s| if s == "ALL" { 0 } else { s.len() })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(select: &[&str], ignore: &[&str]) -> RuleFilter {
        let cfg = Config::empty(PathBuf::from("/p"));
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        RuleFilter::new(&cfg, &v(select), &v(ignore)).expect("filter")
    }

    #[test]
    fn specificity_decides_between_select_and_ignore() {
        let f = filter(&["PY-S602"], &["PY-S"]);
        assert!(f.enabled("PY-S602"));
        assert!(!f.enabled("PY-S603"));
        let f = filter(&[], &["PY-S6"]);
        assert!(!f.enabled("PY-S602"));
        assert!(f.enabled("PY-S501"));
        let f = filter(&["PY"], &[]);
        assert!(f.enabled("PY-S501"));
        assert!(!f.enabled("RS-A001"));
        let f = filter(&["ALL"], &["PY-S602"]);
        assert!(!f.enabled("PY-S602"));
        assert!(f.enabled("PY-S603"));
    }

    #[test]
    fn rule_ids_are_case_insensitive_everywhere() {
        let text = "select = [\"py-s\"]\nignore = [\"py-s6\"]\n[per-file-ignores]\n\"tests/**\" = [\"py-s202\"]\n[severity]\n\"py-s411\" = \"note\"\n";
        let cfg = parse(Path::new("/p/vouch.toml"), text.into()).expect("config");
        let f = RuleFilter::new(&cfg, &[], &[]).expect("filter");
        assert!(f.enabled("PY-S202"));
        assert!(!f.enabled("PY-S602"));
        assert!(!f.enabled_in("PY-S202", Path::new("/p/tests/a.py")));
        assert_eq!(f.severity_of("PY-S411", Severity::Warning), Severity::Note);
        assert!(f.unmatched_select(["PY-S202"].into_iter()).is_empty());
    }

    #[test]
    fn python_versions() {
        assert_eq!(
            "3.12".parse::<PythonVersion>(),
            Ok(PythonVersion {
                major: 3,
                minor: 12
            })
        );
        assert!("3.7".parse::<PythonVersion>().is_err());
        assert!("3.14".parse::<PythonVersion>().is_err());
        assert!("three".parse::<PythonVersion>().is_err());
    }

    #[test]
    fn unknown_key_is_named_with_a_suggestion() {
        let text = "selct = [\"PY\"]\n".to_string();
        let err = parse(Path::new("vouch.toml"), text).expect_err("must fail");
        assert!(
            err.0.message.contains("unknown key `selct`"),
            "{}",
            err.0.message
        );
        assert_eq!(err.0.help.as_deref(), Some("did you mean `select`?"));
        assert_eq!(err.0.span, Some(0..5));
    }

    #[test]
    fn wrong_types_name_the_key() {
        let err = parse(Path::new("vouch.toml"), "fail-level = 3\n".into()).expect_err("type");
        assert!(err.0.message.contains("`fail-level`"), "{}", err.0.message);
        assert!(
            err.0.message.contains("expected a string"),
            "{}",
            err.0.message
        );
        let err = parse(
            Path::new("vouch.toml"),
            "[severity]\n\"PY-S\" = \"fatal\"\n".into(),
        )
        .expect_err("value");
        assert!(err.0.message.contains("`PY-S`"), "{}", err.0.message);
        assert!(
            err.0.message.contains("unknown severity `fatal`"),
            "{}",
            err.0.message
        );
        let ok = parse(
            Path::new("vouch.toml"),
            "fail-level = \"error\"\n[severity]\nPY-S = \"note\"\n".into(),
        )
        .expect("valid");
        assert_eq!(ok.settings.fail_level, Some(Severity::Error));
    }

    #[test]
    fn pyproject_ignores_other_tools() {
        let text = "[tool.ruff]\nline-length = 3\n[tool.vouch]\nselect = [\"PY-S\"]\n";
        let cfg = parse(Path::new("/x/pyproject.toml"), text.into()).expect("parse");
        assert_eq!(cfg.settings.select, Some(vec!["PY-S".to_string()]));
        assert_eq!(cfg.root, PathBuf::from("/x"));
    }

    #[test]
    fn excludes_match_names_anywhere_and_anchored_paths() {
        let ex = Excludes::new(
            Path::new("/p"),
            ["venv".to_string(), "src/gen/*.py".to_string()],
            None,
        )
        .expect("globs");
        assert!(ex.is_excluded(Path::new("/p/a/venv"), true));
        assert!(ex.is_excluded_with_parents(Path::new("/p/a/venv/x.py"), false));
        assert!(ex.is_excluded(Path::new("/p/src/gen/x.py"), false));
        assert!(!ex.is_excluded(Path::new("/p/other/src/gen/x.py"), false));
        assert!(!ex.is_excluded_with_parents(Path::new("/p/a/b.py"), false));
    }
}
