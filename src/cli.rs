//! The command line: `vouch check`, `vouch rules`, `vouch explain`, `vouch clean`.
//!
//! Exit codes are a contract (README, "Usage"): 0 nothing at or above the fail level, 1 findings,
//! 2 usage, configuration or I/O errors (rendered through miette on stderr).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use miette::{Diagnostic, Report};

use crate::config;
use crate::discover;
use crate::driver::{self, Input, Setup};
use crate::finding::Severity;
use crate::report::{self, Run, human::HumanOptions};
use crate::rules::catalog::{self, Catalog};

/// Exit code: nothing to report at or above the fail level.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings at or above the fail level.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "vouch",
    version,
    about = "Proves risky operations in Python safe with Z3, or shows the counterexample",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze files and directories (default: the current directory).
    Check(CheckArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Explain one rule: what it finds, why it matters, an example, the fix, CWE, references.
    Explain(ExplainArgs),
    /// Run the language server on stdin/stdout (for editors; see the README).
    Lsp,
    /// Remove the result cache (`.vouch_cache/` beside the configuration, else here).
    Clean(CleanArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CleanArgs {
    /// The configuration whose cache to remove, instead of searching from here.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets and counterexamples.
    Human,
    /// The JSON report (stable; its fields are listed in the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Note,
}

impl From<FailLevel> for Severity {
    fn from(l: FailLevel) -> Severity {
        match l {
            FailLevel::Error => Severity::Error,
            FailLevel::Warning => Severity::Warning,
            FailLevel::Note => Severity::Note,
        }
    }
}

/// `--threat-model`: which sources count (see `rules/sources.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ThreatModel {
    Remote,
    Local,
}

impl From<ThreatModel> for crate::rules::Threat {
    fn from(m: ThreatModel) -> crate::rules::Threat {
        match m {
            ThreatModel::Remote => crate::rules::Threat::Remote,
            ThreatModel::Local => crate::rules::Threat::Local,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files or directories to analyze.
    #[arg(value_name = "PATH", conflicts_with = "stdin")]
    pub paths: Vec<PathBuf>,

    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Read the source from standard input.
    #[arg(long)]
    pub stdin: bool,

    /// The file name to report standard input under (its extension picks the language).
    #[arg(long, value_name = "NAME", requires = "stdin")]
    pub stdin_filename: Option<String>,

    /// Only these rule ids or prefixes (comma separated, repeatable); replaces the config's.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Skip these rule ids or prefixes (comma separated, repeatable); adds to the config's.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Do not read or write the result cache.
    #[arg(long)]
    pub no_cache: bool,

    /// Use this config file (vouch.toml or pyproject.toml) instead of searching for one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Also list every site proved safe.
    #[arg(long)]
    pub proofs: bool,

    /// Apply the config's excludes to files named on the command line too (for pre-commit).
    #[arg(long)]
    pub force_exclude: bool,

    /// Exit 1 when a finding is at or above this severity [default: warning].
    #[arg(long, value_enum)]
    pub fail_level: Option<FailLevel>,

    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Worker threads [default: one per CPU].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Who the attacker is: `remote` (web requests, sockets, HTTP responses) or `local`
    /// (also argv, stdin, the environment, files read) [default: the config's, else remote].
    #[arg(long, value_enum, value_name = "MODEL")]
    pub threat_model: Option<ThreatModel>,

    /// Print findings only: no notes, no summary, no warnings.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Hide the findings recorded in this baseline file (see `--write-baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in this baseline file and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Apply the findings' mechanical fixes to the files, then report what remains.
    #[arg(long, conflicts_with_all = ["stdin", "diff", "write_baseline"])]
    pub fix: bool,

    /// Print the fixes `--fix` would make as unified diffs (exit 1 if any); change nothing.
    #[arg(long, conflicts_with = "write_baseline")]
    pub diff: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// Rule id, e.g. PY-S602.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Entry point: parses `std::env::args`, runs, returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors to stderr with 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(report) => {
            let color = std::io::stderr().is_terminal() && color_allowed();
            let text =
                report::human::render_diagnostic(&*report as &dyn Diagnostic, color, width());
            eprint!("{text}");
            EXIT_ERROR
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<i32, Report> {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => rules(&args),
        Command::Explain(args) => explain(&args),
        Command::Lsp => Ok(crate::lsp::run_stdio()),
        Command::Clean(args) => clean(&args),
    }
}

fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Wrap width: `COLUMNS` when the shell exports it, else a width that reads well in logs.
fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

fn check(args: &CheckArgs) -> Result<i32, Report> {
    let start: PathBuf = match (&args.stdin_filename, args.paths.first()) {
        (Some(name), _) if args.stdin => PathBuf::from(name),
        (_, Some(first)) => first.clone(),
        _ => PathBuf::from("."),
    };
    let mut setup = Setup::load(args.config.as_deref(), &start, &args.select, &args.ignore)?;
    setup.options.threads = args.threads.unwrap_or(0);
    if let Some(model) = args.threat_model {
        setup.options.analysis.threat = model.into();
    }
    // A `select` entry that matches nothing would run fewer rules than asked, possibly none,
    // and pass: that is a usage error, not a warning `-q` hides.
    let origin = if args.select.is_empty() {
        "the configuration's `select`"
    } else {
        "`--select`"
    };
    if let Some(sel) = setup
        .options
        .filter
        .unmatched_select(setup.catalog.rules.iter().map(|r| r.id.as_str()))
        .first()
    {
        return Err(UnmatchedSelect {
            selector: sel.clone(),
            origin,
            help: nearest(sel, &setup.catalog),
        }
        .into());
    }
    if !args.quiet {
        for sel in setup.unmatched_selectors() {
            eprintln!("warning: `{sel}` matches no rule (see `vouch rules`)");
        }
    }
    let excludes = &setup.excludes;

    let mut run_notes = Vec::new();
    let inputs = if args.stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| miette::miette!(code = "vouch::io", "cannot read standard input: {e}"))?;
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".into());
        if args.force_exclude && excludes.is_excluded_with_parents(Path::new(&name), false) {
            Vec::new()
        } else if !stdin_is_source(&name) {
            run_notes.push(report::Note {
                path: name,
                message: "not a Python or Rust source file (by extension); skipped".into(),
            });
            Vec::new()
        } else {
            vec![Input::Text { path: name, bytes }]
        }
    } else {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let found = discover::discover(&paths, excludes, args.force_exclude)?;
        run_notes = driver::notes_from(found.notes);
        found.files.iter().map(|p| Input::file(p)).collect()
    };

    // Read the baseline before the analysis: a bad file should fail fast.
    let baseline = match &args.baseline {
        Some(f) => Some((crate::baseline::load(f)?, crate::baseline::base_dir(f))),
        None => None,
    };
    // `--fix` needs to know where each reported file lives on disk after the run.
    let fix_inputs = if args.fix { inputs.clone() } else { Vec::new() };
    // Standard input has no file to key a cache entry on, and is cheap anyway.
    let cache = (!args.no_cache && !args.stdin).then(|| run_cache(&setup, &args.paths));
    let mut run = driver::check_cached(inputs, &setup.catalog, &setup.options, cache.as_ref());
    run.notes = run_notes;
    let fail_level = setup.fail_level(args.fail_level.map(Severity::from));
    if let Some(file) = &args.write_baseline {
        let n = crate::baseline::write(file, &run)?;
        if !args.quiet {
            eprintln!(
                "wrote {} to the baseline `{}`",
                plural(n, "finding"),
                file.display()
            );
        }
        return Ok(EXIT_OK);
    }
    let hide_known = |run: &mut Run| {
        if let Some((b, base)) = &baseline {
            crate::baseline::apply(run, b, base);
        }
    };
    hide_known(&mut run);
    if args.diff {
        let (text, files) = crate::fix::diff_run(&run);
        write_output(args.output.as_deref(), &text)?;
        if !args.quiet {
            eprintln!("{} would be changed by `--fix`", plural(files, "file"));
        }
        return Ok(if files > 0 { EXIT_FINDINGS } else { EXIT_OK });
    }
    if args.fix {
        let done = crate::fix::fix_run(
            &mut run,
            &fix_inputs,
            &setup.catalog,
            &setup.options,
            &hide_known,
        );
        if !args.quiet {
            eprintln!(
                "applied {} in {}",
                plural(done.fixes, "fix"),
                plural(done.files, "file")
            );
        }
    }

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = render(args, &run, &setup.catalog, to_terminal && color_allowed());
    write_output(args.output.as_deref(), &text)?;
    Ok(exit_code(&run, fail_level))
}

/// The cache for a run: where the configuration says, keyed on everything besides the
/// files that decides what the run reports (the program, options, rules, paths asked for).
fn run_cache(setup: &Setup, paths: &[PathBuf]) -> crate::cache::Cache {
    let mut options = setup.options.clone();
    // Reports do not depend on the thread count (the project stage sees to that).
    options.threads = 0;
    let cwd = std::env::current_dir().unwrap_or_default();
    let key = format!(
        "{}\n{}\n{paths:?}\n{options:?}\n{:?}",
        crate::cache::program_stamp(),
        cwd.display(),
        setup.catalog
    );
    crate::cache::Cache::new(&crate::cache::location(setup.config.file.as_deref()), &key)
}

/// `vouch clean`: removes the cache a `vouch check` from here would use.
fn clean(args: &CleanArgs) -> Result<i32, Report> {
    let config = crate::config::resolve(args.config.as_deref(), Path::new("."))?;
    let dir = crate::cache::location(config.file.as_deref());
    match crate::cache::clean(&dir) {
        Ok(true) => eprintln!("removed `{}`", dir.display()),
        Ok(false) => eprintln!("no cache at `{}`", dir.display()),
        Err(e) => {
            return Err(miette::miette!(
                code = "vouch::io",
                "cannot remove the cache `{}`: {e}",
                dir.display()
            ));
        }
    }
    Ok(EXIT_OK)
}

/// Whether text read from stdin under `name` is analysed: a name with an extension vouch
/// reads, or no extension at all (a bare name, or none given), which defaults to Python.
/// `notes.txt` is not Python, and analysing it as such reports nonsense.
fn stdin_is_source(name: &str) -> bool {
    Path::new(name).extension().is_none() || crate::lower::language_of(name).is_some()
}

/// "1 file", "2 files", "1 fix", "3 fixes".
fn plural(n: usize, word: &str) -> String {
    match (n, word.ends_with('x')) {
        (1, _) => format!("1 {word}"),
        (_, true) => format!("{n} {word}es"),
        _ => format!("{n} {word}s"),
    }
}

fn render(args: &CheckArgs, run: &Run, catalog: &Catalog, color: bool) -> String {
    match args.format {
        Format::Human => report::human::render(
            run,
            &HumanOptions {
                color,
                width: width(),
                proofs: args.proofs,
                quiet: args.quiet,
            },
        ),
        Format::Json => report::json::render(run, args.proofs),
        Format::Sarif => report::sarif::render(run, catalog),
        Format::Github => report::github::render(run),
    }
}

/// 1 when any finding is at or above `fail_level`.
pub fn exit_code(run: &Run, fail_level: Severity) -> i32 {
    match run.worst() {
        Some(worst) if worst >= fail_level => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}

fn write_output(path: Option<&Path>, text: &str) -> Result<(), Report> {
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| {
            miette::miette!(code = "vouch::io", "cannot write `{}`: {e}", p.display())
        }),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // A reader that stopped early (`| head`) is not an error of ours.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(miette::miette!(
                    code = "vouch::io",
                    "cannot write the report: {e}"
                )),
                Ok(()) => Ok(()),
            }
        }
    }
}

/// The rule catalog as `vouch rules` sees it: built-in plus the config's rule files found
/// from the working directory.
fn catalog_for_listing() -> Result<Catalog, Report> {
    let config = config::resolve(None, Path::new("."))?;
    driver::load_catalog(&config)
}

fn rules(args: &RulesArgs) -> Result<i32, Report> {
    let catalog = catalog_for_listing()?;
    let text = match args.format {
        ListFormat::Json => rules_json(&catalog),
        ListFormat::Human => rules_table(&catalog),
    };
    write_output(None, &text)?;
    Ok(EXIT_OK)
}

fn rules_json(catalog: &Catalog) -> String {
    let list: Vec<serde_json::Value> = catalog
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "name": r.name,
                "cwe": r.cwe,
                "severity": r.severity,
                "summary": r.summary,
                "category": r.category,
                "language": r.language,
                "references": r.references,
                "fixable": r.fix.is_some(),
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

fn rules_table(catalog: &Catalog) -> String {
    let rows: Vec<[String; 4]> = catalog
        .rules
        .iter()
        .map(|r| {
            let cwe = r
                .cwe
                .iter()
                .map(|c| format!("CWE-{c}"))
                .collect::<Vec<_>>()
                .join(",");
            [
                r.id.clone(),
                r.severity.as_str().to_string(),
                cwe,
                format!("{}: {}", r.name, r.summary),
            ]
        })
        .collect();
    let w = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (w(0), w(1), w(2));
    let mut out = String::new();
    for r in &rows {
        let line = format!("{:w0$}  {:w1$}  {:w2$}  {}", r[0], r[1], r[2], r[3]);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} rules; `vouch explain ID` for details\n",
        rows.len()
    ));
    out
}

/// A `select` entry that covers no rule, with the nearest ids.
#[derive(Debug, thiserror::Error)]
#[error("`{selector}` in {origin} matches no rule, so it would not run what was asked")]
struct UnmatchedSelect {
    selector: String,
    origin: &'static str,
    help: String,
}

impl Diagnostic for UnmatchedSelect {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("vouch::select"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
}

/// An id that is not in the catalog, with the nearest ones.
#[derive(Debug, thiserror::Error)]
#[error("unknown rule `{id}`")]
struct UnknownRule {
    id: String,
    help: String,
}

impl Diagnostic for UnknownRule {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("vouch::explain"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
}

fn explain(args: &ExplainArgs) -> Result<i32, Report> {
    let catalog = catalog_for_listing()?;
    let id = args.id.trim();
    if let Some(rule) = catalog.get(id) {
        write_output(None, &catalog::explain(rule))?;
        return Ok(EXIT_OK);
    }
    Err(UnknownRule {
        id: id.to_string(),
        help: suggest(id, &catalog),
    }
    .into())
}

/// "the nearest rule ids are ..." by edit distance, however far: a selector that names
/// nothing needs somewhere to start from.
fn nearest(sel: &str, catalog: &Catalog) -> String {
    let upper = sel.to_uppercase();
    let mut ids: Vec<(usize, &str)> = catalog
        .rules
        .iter()
        .map(|r| (config::edit_distance(&upper, &r.id), r.id.as_str()))
        .collect();
    ids.sort_unstable();
    let names: Vec<String> = ids
        .iter()
        .take(3)
        .map(|(_, id)| format!("`{id}`"))
        .collect();
    format!(
        "the nearest rule ids are {}; `vouch rules` lists them all",
        names.join(", ")
    )
}

/// "did you mean `PY-S602`?", or the ids the text is a prefix of, or a pointer to the list.
fn suggest(id: &str, catalog: &Catalog) -> String {
    let upper = id.to_uppercase();
    let ids: Vec<&str> = catalog.rules.iter().map(|r| r.id.as_str()).collect();
    // A prefix (`PY-S20`) means "one of these"; otherwise the ids nearest by edit distance,
    // and only if they are near enough to be a typo.
    let mut close: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|r| r.starts_with(&upper))
        .collect();
    if close.is_empty() {
        let dist: Vec<(usize, &str)> = ids
            .iter()
            .map(|r| (config::edit_distance(&upper, r), *r))
            .collect();
        let limit = (upper.chars().count() / 3).max(1);
        if let Some(best) = dist.iter().map(|(d, _)| *d).min().filter(|d| *d <= limit) {
            close = dist
                .iter()
                .filter(|(d, _)| *d == best)
                .map(|(_, r)| *r)
                .collect();
        }
    }
    close.sort_unstable();
    close.truncate(8);
    match close.as_slice() {
        [] => "`vouch rules` lists every rule id".to_string(),
        [one] => format!("did you mean `{one}`? (`vouch rules` lists every rule id)"),
        many => format!(
            "did you mean one of {}? (`vouch rules` lists every rule id)",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn select_is_comma_separated_and_repeatable() {
        let cli = Cli::try_parse_from([
            "vouch",
            "check",
            "--select",
            "PY-S6,PY-S5",
            "--select",
            "PY-A",
            "a.py",
        ])
        .expect("parse");
        let Command::Check(args) = cli.command else {
            panic!("not check")
        };
        assert_eq!(args.select, ["PY-S6", "PY-S5", "PY-A"]);
        assert_eq!(args.paths, [PathBuf::from("a.py")]);
    }

    #[test]
    fn stdin_conflicts_with_paths() {
        assert!(Cli::try_parse_from(["vouch", "check", "--stdin", "a.py"]).is_err());
        assert!(Cli::try_parse_from(["vouch", "check", "--stdin-filename", "a.py"]).is_err());
    }
}
