//! The pipeline for a set of files: read, decode, lower, analyze, filter, sort.
//!
//! Files are independent, so they run in parallel on a rayon pool. Nothing one file does can
//! stop the others from being reported: I/O errors, undecodable bytes, absurd sizes and even
//! internal panics become notes in that file's report.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::analyze::{self, Options};
use crate::config::{Config, Excludes, RuleFilter};
use crate::finding::{FileReport, Severity};
use crate::lower;
use crate::project::Trace;
use crate::project::callgraph::{CallGraph, Node};
use crate::report::{CheckedFile, Note, Run, summarize};
use crate::rules::catalog::Catalog;

/// Files larger than this are skipped with a note: generated or vendored blobs, not code
/// anyone reviews, and the analysis is not meant to hold them.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// Worker threads get a large stack: lowering and analysis recurse over nested expressions,
/// and a deeply nested file must not overflow (which would abort every file, not just one).
const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Where a file's bytes come from.
#[derive(Clone, Debug)]
pub enum Input {
    /// Read from disk; reported under `path`.
    File { path: String, fs_path: PathBuf },
    /// Already in memory (stdin, an editor buffer).
    Text { path: String, bytes: Vec<u8> },
}

impl Input {
    /// A file on disk, reported under its path as given.
    pub fn file(p: &Path) -> Input {
        Input::File {
            path: crate::discover::display(p),
            fs_path: p.to_path_buf(),
        }
    }

    pub fn path(&self) -> &str {
        match self {
            Input::File { path, .. } | Input::Text { path, .. } => path,
        }
    }
}

/// What the driver needs besides the files.
#[derive(Clone, Debug, Default)]
pub struct DriverOptions {
    pub analysis: Options,
    pub filter: RuleFilter,
    /// Worker threads; 0 means one per CPU.
    pub threads: usize,
}

/// Configuration, rules and options resolved once for a run, or for a whole editor session.
#[derive(Clone, Debug)]
pub struct Setup {
    pub config: Config,
    pub catalog: Catalog,
    pub excludes: Excludes,
    pub options: DriverOptions,
}

impl Setup {
    /// Finds the configuration (`explicit`, else the nearest one at or above `start`), loads
    /// the built-in rules plus the config's `rules-path` files, and merges `--select` and
    /// `--ignore` with the config's.
    pub fn load(
        explicit: Option<&Path>,
        start: &Path,
        select: &[String],
        ignore: &[String],
    ) -> Result<Setup, miette::Report> {
        let config = crate::config::resolve(explicit, start)?;
        Setup::from_config(config, select, ignore)
    }

    /// As [`Setup::load`], for a configuration already resolved.
    pub fn from_config(
        config: Config,
        select: &[String],
        ignore: &[String],
    ) -> Result<Setup, miette::Report> {
        let catalog = load_catalog(&config)?;
        let filter = RuleFilter::new(&config, select, ignore)?;
        let excludes = config.excludes()?;
        let threat = config.settings.threat_model.unwrap_or_default();
        let target_python = config.settings.target_python.map(|v| v.minor);
        Ok(Setup {
            config,
            catalog,
            excludes,
            options: DriverOptions {
                analysis: Options {
                    threat,
                    target_python,
                    ..Options::default()
                },
                filter,
                threads: 0,
            },
        })
    }

    /// The fail level: the command line's, else the config's, else `warning`.
    pub fn fail_level(&self, cli: Option<Severity>) -> Severity {
        cli.or(self.config.settings.fail_level)
            .unwrap_or(Severity::Warning)
    }

    /// Selectors (from the command line or the config) that match no rule.
    pub fn unmatched_selectors(&self) -> Vec<String> {
        self.options
            .filter
            .unmatched_selectors(self.catalog.rules.iter().map(|r| r.id.as_str()))
    }

    /// Analyzes an editor buffer.
    pub fn check_text(&self, path: &str, text: &str) -> CheckedFile {
        check_text(path, text, &self.catalog, &self.options)
    }

    /// Analyzes an editor buffer as one file of the workspace's project: calls into the
    /// other files are judged by their functions' summaries, as in a `vouch check` of the
    /// whole project. Only the modules the buffer reaches are lowered, and those are kept
    /// for the next edit.
    pub fn check_in_workspace(&self, ws: &Workspace, path: &str, text: &str) -> CheckedFile {
        let analysis = analysis_options(&self.catalog, &self.options);
        let mut paths: Vec<&str> = ws.paths.iter().map(String::as_str).collect();
        let b = match paths.binary_search(&path) {
            Ok(b) => b,
            Err(b) => {
                paths.insert(b, path);
                b
            }
        };
        let buffer = Input::Text {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        };
        let (source, buffer_notes) = match read(&buffer) {
            Read::Text { source, notes, .. } => (source, notes),
            Read::Done(mut file) => {
                finish(&mut file, &self.catalog, &self.options.filter);
                return file;
            }
        };
        let lower_one = |m: usize| -> Option<Loaded> {
            if m == b {
                return Some(lower_read(path, &source, &buffer_notes));
            }
            ws.lowered(paths[m])
        };
        let wanted: Vec<bool> = (0..paths.len()).map(|m| m == b).collect();
        let clock = Instant::now();
        let debug = std::env::var_os("VOUCH_DEBUG_CACHE").is_some();
        let phase = |what: &str| {
            if debug {
                eprintln!(
                    "vouch: workspace: {what} at {} ms",
                    clock.elapsed().as_millis()
                );
            }
        };
        let likely: Vec<usize> = {
            let last = ws.reached.lock().unwrap_or_else(|e| e.into_inner());
            last.get(path)
                .into_iter()
                .flatten()
                .filter_map(|p| paths.binary_search(&p.as_str()).ok())
                .collect()
        };
        let done = analyze_incremental(
            &paths,
            &wanted,
            &likely,
            &lower_one,
            &self.catalog,
            &analysis,
            &phase,
        );
        let reached: Vec<String> = (0..paths.len())
            .filter(|&m| m != b && done.lowered.get(m).copied().unwrap_or(false))
            .map(|m| paths[m].to_string())
            .collect();
        ws.reached
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), reached);
        let mut file = match (
            done.failed.into_iter().nth(b).flatten(),
            done.reports.into_iter().nth(b).flatten(),
        ) {
            (Some(failed), _) => failed,
            (None, Some(report)) => CheckedFile { report, source },
            (None, None) => skipped(path.to_string(), "nothing to analyze".into()),
        };
        finish(&mut file, &self.catalog, &self.options.filter);
        file
    }
}

/// The files of a project an editor has open, and the modules lowered from them so far
/// (each with the size and modification time it was read at, so a file changed on disk
/// is lowered again).
#[derive(Default)]
pub struct Workspace {
    /// Sorted.
    paths: Vec<String>,
    lowered: std::sync::Mutex<LoweredFiles>,
    /// Per document, the other files its last analysis lowered.
    reached: std::sync::Mutex<std::collections::HashMap<String, Vec<String>>>,
}

type Stamp = (Option<std::time::SystemTime>, u64);
type LoweredFiles = std::collections::HashMap<String, (Stamp, Arc<crate::ir::Module>)>;

impl Workspace {
    /// A workspace of these files (paths as the editor's documents name them).
    pub fn new(mut paths: Vec<String>) -> Workspace {
        paths.sort();
        paths.dedup();
        Workspace {
            paths,
            lowered: Default::default(),
            reached: Default::default(),
        }
    }

    pub fn contains(&self, path: &str) -> bool {
        self.paths
            .binary_search_by(|p| p.as_str().cmp(path))
            .is_ok()
    }

    /// The module of a file on disk, lowered again only when the file changed.
    fn lowered(&self, path: &str) -> Option<Loaded> {
        let meta = std::fs::metadata(path).ok()?;
        let stamp: Stamp = (meta.modified().ok(), meta.len());
        let kept = self
            .lowered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, m)| m.clone());
        if let Some(module) = kept {
            return Some(Loaded::Module {
                module,
                notes: Vec::new(),
            });
        }
        let Read::Text { source, notes, .. } = read(&Input::File {
            path: path.to_string(),
            fs_path: PathBuf::from(path),
        }) else {
            return None;
        };
        let loaded = lower_read(path, &source, &notes);
        if let Loaded::Module { module, .. } = &loaded {
            self.lowered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.to_string(), (stamp, module.clone()));
        }
        Some(loaded)
    }
}

/// The built-in rules plus the config's `rules-path` files.
pub fn load_catalog(config: &Config) -> Result<Catalog, miette::Report> {
    let mut catalog = Catalog::builtin()?;
    for path in config.rules_paths() {
        catalog.load_file(&path)?;
    }
    for (id, options) in config.settings.rule_options.iter().flatten() {
        apply_rule_options(&mut catalog, id, options).map_err(|message| {
            let file = config
                .file
                .as_ref()
                .map(|f| format!(" in `{}`", f.display()))
                .unwrap_or_default();
            miette::miette!("invalid `rule-options` entry{file}: {message}")
        })?;
    }
    Ok(catalog)
}

/// Tune one rule's checks as the configuration says; an option the rule has no use for is
/// an error, so a typo does not silently do nothing.
fn apply_rule_options(
    catalog: &mut Catalog,
    id: &str,
    options: &crate::config::RuleOptions,
) -> Result<(), String> {
    use crate::rules::Check;
    let rule = catalog
        .rules
        .iter_mut()
        .find(|r| r.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| format!("no rule has the id `{id}`"))?;
    let rule_id = rule.id.clone();
    let checks = rule.when.iter_mut().chain(rule.unless.iter_mut());
    let (mut used_bound, mut used_sanitizers) = (false, false);
    for check in checks {
        match check {
            Check::Below { bound, .. } => {
                if let Some(b) = options.bound {
                    *bound = b;
                    used_bound = true;
                }
            }
            Check::BuiltFromData { sanitizers, .. } | Check::UrlFromData { sanitizers, .. } => {
                if let Some(extra) = &options.sanitizers {
                    sanitizers.extend(extra.iter().cloned());
                    used_sanitizers = true;
                }
            }
            _ => {}
        }
    }
    if options.bound.is_some() && !used_bound {
        return Err(format!(
            "`bound` does not apply to {rule_id} (it has no `below` check)"
        ));
    }
    if options.sanitizers.is_some() && !used_sanitizers {
        return Err(format!(
            "`sanitizers` does not apply to {rule_id} (it has no `built-from-data` check)"
        ));
    }
    Ok(())
}

/// Analyzes every input and returns the finished run, files sorted by path, findings sorted
/// by position then rule, filtered and re-graded by the configuration.
///
/// The run is one project: every file is read and lowered (in parallel), the modules are
/// indexed and their call graph ordered (`project`), and only then analysed, so a call into
/// another file of the run is judged by that function's summary.
pub fn check(inputs: Vec<Input>, catalog: &Catalog, options: &DriverOptions) -> Run {
    check_cached(inputs, catalog, options, None)
}

/// As [`check`], reusing and updating the result cache when one is given: files whose
/// content and dependencies are unchanged take their report from it, and only the
/// changed files (and what they call) are lowered and analysed.
pub fn check_cached(
    inputs: Vec<Input>,
    catalog: &Catalog,
    options: &DriverOptions,
    cache: Option<&crate::cache::Cache>,
) -> Run {
    let started = Instant::now();
    let analysis = analysis_options(catalog, options);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .stack_size(WORKER_STACK_BYTES)
        .thread_name(|i| format!("vouch-worker-{i}"))
        .build();
    let job = || {
        let mut inputs = inputs;
        inputs.sort_by(|a, b| a.path().cmp(b.path()));
        let read: Vec<Read> = inputs.par_iter().map(read).collect();
        let mut files = match cache {
            Some(cache) => analyze_with_cache(read, catalog, &analysis, cache),
            None => analyze_read(read, catalog, &analysis),
        };
        files
            .par_iter_mut()
            .for_each(|file| finish(file, catalog, &options.filter));
        files
    };
    let mut files: Vec<CheckedFile> = match pool {
        Ok(pool) => pool.install(job),
        // Cannot spawn threads (resource limits): rayon then runs on the calling thread.
        Err(_) => job(),
    };
    files.sort_by(|a, b| a.report.path.cmp(&b.report.path));
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let summary = summarize(&files, elapsed_ms);
    Run {
        files,
        notes: Vec::new(),
        summary,
    }
}

/// Analyzes one in-memory text (an editor buffer) with the same filtering as `check`.
pub fn check_text(
    path: &str,
    text: &str,
    catalog: &Catalog,
    options: &DriverOptions,
) -> CheckedFile {
    let analysis = analysis_options(catalog, options);
    let input = Input::Text {
        path: path.to_string(),
        bytes: text.as_bytes().to_vec(),
    };
    let mut file = check_input(&input, catalog, &analysis);
    finish(&mut file, catalog, &options.filter);
    file
}

/// A file after reading: its text to lower, or a finished report (skipped).
enum Read {
    Text {
        path: String,
        source: Arc<str>,
        notes: Vec<String>,
        /// Content hash of the bytes read, for the cache.
        hash: String,
    },
    Done(CheckedFile),
}

/// A file after lowering: a module to analyse, or a finished report (skipped, or
/// lowering failed).
enum Loaded {
    Module {
        module: Arc<crate::ir::Module>,
        notes: Vec<String>,
    },
    Done(CheckedFile),
}

/// Reads and decodes one input, turning every failure into a note.
fn read(input: &Input) -> Read {
    let path = input.path().to_string();
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(note) => return Read::Done(skipped(path, note)),
    };
    let hash = crate::cache::hash(&bytes);
    match decode(bytes) {
        Ok((source, notes)) => Read::Text {
            path,
            source,
            notes,
            hash,
        },
        Err(note) => Read::Done(skipped(path, note)),
    }
}

/// Lowers one read file, turning a panic into a note.
fn lower_read(path: &str, source: &Arc<str>, notes: &[String]) -> Loaded {
    // Only `--stdin` without a recognisable name gets no language: Python is the default.
    let language = lower::language_of(path).unwrap_or(crate::ir::Language::Python);
    match catch_unwind(AssertUnwindSafe(|| {
        lower::lower(path, language, source.clone())
    })) {
        Ok(module) => Loaded::Module {
            module: Arc::new(module),
            notes: notes.to_vec(),
        },
        Err(payload) => Loaded::Done(internal_error(path.to_string(), source, payload.as_ref())),
    }
}

/// Lowers and analyses every read file.
fn analyze_read(read: Vec<Read>, catalog: &Catalog, options: &Options) -> Vec<CheckedFile> {
    let loaded: Vec<Loaded> = read
        .into_par_iter()
        .map(|r| match r {
            Read::Text {
                path,
                source,
                notes,
                ..
            } => lower_read(&path, &source, &notes),
            Read::Done(file) => Loaded::Done(file),
        })
        .collect();
    analyze_loaded(loaded, catalog, options)
}

/// The project stage and the analysis over loaded files, in their order.
fn analyze_loaded(loaded: Vec<Loaded>, catalog: &Catalog, options: &Options) -> Vec<CheckedFile> {
    let mut out: Vec<Option<CheckedFile>> = Vec::with_capacity(loaded.len());
    let mut modules = Vec::new();
    let mut pending = Vec::new();
    for l in loaded {
        match l {
            Loaded::Done(file) => out.push(Some(file)),
            Loaded::Module { module, notes } => {
                pending.push((out.len(), notes));
                modules.push(module);
                out.push(None);
            }
        }
    }
    let project = crate::project::Project::from_shared(modules);
    let graph = CallGraph::build(&project);
    let wanted = vec![true; project.modules.len()];
    let (reports, _) = analyze_guarded(&project, &graph, catalog, options, &wanted, None);
    for ((slot, notes), (module, report)) in
        pending.into_iter().zip(project.modules.iter().zip(reports))
    {
        out[slot] = Some(with_module(module, report, notes));
    }
    out.into_iter().flatten().collect()
}

/// The analysis of a project's wanted modules; a panic in the project stage itself (the
/// functions are isolated inside it) becomes a note on every file.
fn analyze_guarded(
    project: &crate::project::Project,
    graph: &CallGraph,
    catalog: &Catalog,
    options: &Options,
    wanted: &[bool],
    functions: Option<&[bool]>,
) -> (Vec<FileReport>, Vec<(Node, Trace)>) {
    match catch_unwind(AssertUnwindSafe(|| {
        analyze::analyze_project_for(project, graph, catalog, options, wanted, functions)
    })) {
        Ok(r) => r,
        Err(payload) => {
            let what = analyze::panic_text(payload.as_ref());
            let reports = project
                .modules
                .iter()
                .map(|_| FileReport {
                    notes: vec![format!(
                        "internal error, please report (the file was not analyzed): {what}"
                    )],
                    ..FileReport::default()
                })
                .collect();
            (reports, Vec::new())
        }
    }
}

/// The run through the cache: unchanged files (whose dependencies are unchanged too) take
/// their stored report; the others are analysed in a project where only they and the
/// modules they reach are lowered, which gives them the reports a full run would (every
/// module a lookup consults is lowered before the analysis counts). The store is then
/// rewritten with the new entries.
fn analyze_with_cache(
    read: Vec<Read>,
    catalog: &Catalog,
    options: &Options,
    cache: &crate::cache::Cache,
) -> Vec<CheckedFile> {
    use crate::cache::{Entry, Stored};
    let paths: Vec<String> = read
        .iter()
        .map(|r| match r {
            Read::Text { path, .. } => path.clone(),
            Read::Done(f) => f.report.path.clone(),
        })
        .collect();
    let hashes: Vec<String> = read
        .iter()
        .map(|r| match r {
            Read::Text { hash, .. } => hash.clone(),
            Read::Done(_) => String::new(),
        })
        .collect();
    let debug = std::env::var_os("VOUCH_DEBUG_CACHE").is_some();
    let clock = Instant::now();
    let phase = |what: &str| {
        if debug {
            eprintln!("vouch: cache: {what} at {} ms", clock.elapsed().as_millis());
        }
    };
    let context = crate::cache::context_fingerprint(&paths);
    phase("context fingerprint");
    let stored = cache
        .load()
        .filter(|s| s.paths == paths && s.context == context);
    phase("store loaded");
    let valid: Vec<bool> = (0..read.len())
        .map(|i| stored.as_ref().is_some_and(|s| s.valid(i, &hashes)))
        .collect();
    let stored_missing = stored.is_none();

    // The project's modules are the files that read as text; placeholders until lowered.
    let texts: Vec<usize> = (0..read.len())
        .filter(|&i| matches!(read[i], Read::Text { .. }))
        .collect();
    let wanted: Vec<bool> = texts.iter().map(|&i| !valid[i]).collect();
    let mut reports: Vec<Option<FileReport>> = vec![None; texts.len()];
    let mut deps: Vec<Vec<u32>> = vec![Vec::new(); texts.len()];
    let mut failed: Vec<Option<CheckedFile>> = vec![None; texts.len()];
    if wanted.iter().any(|w| *w) {
        let module_paths: Vec<&str> = texts.iter().map(|&i| paths[i].as_str()).collect();
        let lower_one = |m: usize| match &read[texts[m]] {
            Read::Text {
                path,
                source,
                notes,
                ..
            } => Some(lower_read(path, source, notes)),
            Read::Done(_) => None,
        };
        // What the changed files depended on last time is likely still needed.
        let module_of: std::collections::HashMap<usize, usize> =
            texts.iter().enumerate().map(|(m, &i)| (i, m)).collect();
        let likely: Vec<usize> = stored
            .iter()
            .flat_map(|s| {
                texts
                    .iter()
                    .filter(|&&i| !valid[i])
                    .filter_map(|&i| s.entries.get(i)?.as_ref())
                    .flat_map(|e| {
                        e.deps
                            .iter()
                            .filter_map(|&d| module_of.get(&(d as usize)).copied())
                    })
            })
            .collect();
        let done = analyze_incremental(
            &module_paths,
            &wanted,
            &likely,
            &lower_one,
            catalog,
            options,
            &phase,
        );
        reports = done.reports;
        failed = done.failed;
        for (m, d) in done.deps.into_iter().enumerate() {
            deps[m] = d.into_iter().map(|x| texts[x] as u32).collect();
        }
    }

    let mut store = Stored::new(paths, hashes, context);
    let mut previous = stored.map(|s| s.entries).unwrap_or_default();
    let mut out = Vec::with_capacity(read.len());
    let mut text_index = 0;
    for (i, r) in read.into_iter().enumerate() {
        let (path, source) = match r {
            Read::Done(file) => {
                out.push(file);
                continue;
            }
            Read::Text { path, source, .. } => (path, source),
        };
        let m = text_index;
        text_index += 1;
        if let Some(file) = failed[m].take() {
            out.push(file);
            continue;
        }
        let report = if valid[i] {
            match previous.get_mut(i).and_then(Option::take) {
                Some(entry) => {
                    let report = entry.report.clone();
                    store.entries[i] = Some(entry);
                    report
                }
                None => FileReport {
                    path: path.clone(),
                    ..FileReport::default()
                },
            }
        } else {
            let mut report = reports[m].take().unwrap_or_default();
            // Query timings describe the run that made them; a later run asked nothing.
            let timings = std::mem::take(&mut report.query_micros);
            store.entries[i] = Some(Entry {
                deps: std::mem::take(&mut deps[m]),
                report: report.clone(),
            });
            report.query_micros = timings;
            report
        };
        out.push(CheckedFile { report, source });
    }
    // A run that reused everything has nothing new to write (skipped files never are).
    let changed = texts.iter().any(|&i| !valid[i]) || stored_missing;
    let saved = if changed { cache.save(&store) } else { Ok(()) };
    phase("store saved");
    if let Err(e) = saved {
        // Not a reason to fail the run, but a user who wonders why nothing is faster
        // should be able to find out.
        if debug {
            eprintln!(
                "vouch: cannot write the cache in `{}`: {e}",
                cache.dir().display()
            );
        }
    }
    out
}

/// What an incremental analysis gives, per module of the project.
struct Incremental {
    /// Which modules were lowered (a good start for the next analysis of the same files).
    lowered: Vec<bool>,
    /// The wanted modules' reports, with the file's path, line count and notes.
    reports: Vec<Option<FileReport>>,
    /// The other modules each wanted module's report depends on.
    deps: Vec<Vec<usize>>,
    /// Files whose lowering failed (a bug), reported as such.
    failed: Vec<Option<CheckedFile>>,
}

/// Analyses the `wanted` modules of a project whose files are `paths`, lowering only what
/// they reach: the wanted modules first, then every module that the functions they reach
/// look up, until the analysis of those functions looks up nothing more; so the wanted
/// modules get the reports a run over the whole project would give them. `lower_one(m)`
/// lowers module `m` (`None`: it cannot be read, and stays empty). `likely` names modules
/// that will probably be reached (what an earlier analysis of the same files lowered):
/// they are lowered in the first round, which saves rounds and changes no result.
fn analyze_incremental(
    paths: &[&str],
    wanted: &[bool],
    likely: &[usize],
    lower_one: &(dyn Fn(usize) -> Option<Loaded> + Sync),
    catalog: &Catalog,
    options: &Options,
    phase: &dyn Fn(&str),
) -> Incremental {
    let debug = std::env::var_os("VOUCH_DEBUG_CACHE").is_some();
    let n = paths.len();
    let mut reports: Vec<Option<FileReport>> = vec![None; n];
    let mut lowered_notes: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut failed: Vec<Option<CheckedFile>> = vec![None; n];
    let mut modules: Vec<Arc<crate::ir::Module>> = paths
        .iter()
        .map(|p| {
            let language = lower::language_of(p).unwrap_or(crate::ir::Language::Python);
            Arc::new(crate::ir::Module::placeholder(p, language))
        })
        .collect();
    let mut lowered = vec![false; n];
    let everything = wanted.iter().all(|w| *w);
    // A cold run lowers everything at once; an incremental one starts from the
    // changed files and adds the modules that the functions they reach look up,
    // until the analysis of those functions looks up nothing more.
    let mut next: Vec<usize> = (0..n).filter(|&m| wanted[m]).collect();
    next.extend(likely.iter().filter(|&&m| m < n && !wanted[m]));
    next.sort_unstable();
    next.dedup();
    let mut roots: Vec<Node> = Vec::new();
    let project = loop {
        let fresh: Vec<(usize, Option<Loaded>)> =
            next.par_iter().map(|&m| (m, lower_one(m))).collect();
        for (m, loaded) in fresh {
            lowered[m] = true;
            match loaded {
                Some(Loaded::Module { module, notes }) => {
                    modules[m] = module;
                    lowered_notes[m] = notes;
                }
                // Lowering panicked: the file is reported as such and stays empty.
                Some(Loaded::Done(file)) => failed[m] = Some(file),
                None => {}
            }
        }
        phase("lowered");
        let project = crate::project::Project::from_shared(modules);
        let graph = CallGraph::build(&project);
        let reach = reached(&graph, wanted, &roots);
        phase("call graph");
        let missing = |ms: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
            let mut v: Vec<usize> = ms.filter(|&l| !lowered[l]).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        next = missing(
            &mut (0..graph.len())
                .filter(|&i| reach[i])
                .flat_map(|i| graph.lookups_of(i).iter().copied()),
        );
        if !next.is_empty() {
            modules = project.modules;
            continue;
        }
        let functions = (!everything).then_some(reach.as_slice());
        let (got, traces) = analyze_guarded(&project, &graph, catalog, options, wanted, functions);
        phase("analysed");
        // The analysis may look further than the call graph did: a module it looked
        // up that is not lowered, a summary of a function not analysed. Then again,
        // with those.
        next = missing(&mut traces.iter().flat_map(|(_, t)| t.modules.iter().copied()));
        let before = roots.len();
        for (_, t) in &traces {
            for callee in &t.summaries {
                if graph.index(*callee).is_some_and(|i| !reach[i]) {
                    roots.push(*callee);
                }
            }
        }
        if debug {
            eprintln!(
                "vouch: cache: analysis looked further: modules {:?}, functions {:?}",
                next.iter().map(|&m| paths[m]).collect::<Vec<_>>(),
                roots[before..]
                    .iter()
                    .map(|&(m, f)| format!(
                        "{}:{}",
                        paths[m],
                        project.modules[m]
                            .functions
                            .get(f)
                            .map_or("?", |f| f.qualname.as_str())
                    ))
                    .collect::<Vec<_>>()
            );
        }
        if next.is_empty() && roots.len() == before {
            for (m, r) in got.into_iter().enumerate() {
                if wanted[m] {
                    reports[m] = Some(r);
                }
            }
            if debug {
                eprintln!(
                    "vouch: cache: {} of {} files to analyse, {} lowered, {} functions analysed",
                    wanted.iter().filter(|w| **w).count(),
                    wanted.len(),
                    lowered.iter().filter(|l| **l).count(),
                    reach.iter().filter(|r| **r).count(),
                );
            }
            deps = dependencies(&graph, &traces, wanted);
            phase("dependencies");
            break project;
        }
        modules = project.modules;
    };
    for (m, module) in project.modules.into_iter().enumerate() {
        if let Some(report) = reports[m].take() {
            let notes = std::mem::take(&mut lowered_notes[m]);
            let file = with_module(&module, report, notes);
            reports[m] = Some(file.report);
        }
    }

    Incremental {
        lowered,
        reports,
        deps,
        failed,
    }
}

/// The functions (call-graph indices) a wanted module's functions reach through calls,
/// and those `roots` reach.
fn reached(graph: &CallGraph, wanted: &[bool], roots: &[Node]) -> Vec<bool> {
    let mut seen = vec![false; graph.len()];
    let mut stack: Vec<usize> = wanted
        .iter()
        .enumerate()
        .filter(|(_, w)| **w)
        .flat_map(|(m, _)| graph.functions_of(m))
        .chain(roots.iter().filter_map(|n| graph.index(*n)))
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.extend(graph.callees_of(i).iter().filter(|&&c| !seen[c]));
    }
    seen
}

/// For each wanted module, the other modules its report depends on: those of every
/// function its functions reach (through calls or summaries they asked for), and every
/// module those functions looked up. Sorted.
fn dependencies(graph: &CallGraph, traces: &[(Node, Trace)], wanted: &[bool]) -> Vec<Vec<usize>> {
    let mut asked: Vec<Vec<usize>> = vec![Vec::new(); graph.len()];
    let mut looked: Vec<Vec<usize>> = vec![Vec::new(); graph.len()];
    for (node, t) in traces {
        if let Some(i) = graph.index(*node) {
            asked[i] = t.summaries.iter().filter_map(|n| graph.index(*n)).collect();
            looked[i] = t.modules.clone();
        }
    }
    (0..wanted.len())
        .map(|m| {
            if !wanted[m] {
                return Vec::new();
            }
            let mut seen = vec![false; graph.len()];
            let mut stack: Vec<usize> = graph.functions_of(m).collect();
            let mut out = Vec::new();
            while let Some(i) = stack.pop() {
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                out.push(graph.node(i).0);
                out.extend_from_slice(graph.lookups_of(i));
                out.extend_from_slice(&looked[i]);
                for &c in graph.callees_of(i).iter().chain(&asked[i]) {
                    if !seen[c] {
                        stack.push(c);
                    }
                }
            }
            out.sort_unstable();
            out.dedup();
            out.retain(|&x| x != m);
            out
        })
        .collect()
}

/// A module's report with the file's path, line count and notes (decoding's first, then
/// lowering's own remarks: syntax errors, depth limits).
fn with_module(
    module: &crate::ir::Module,
    mut report: FileReport,
    mut notes: Vec<String>,
) -> CheckedFile {
    for n in &module.notes {
        if !report.notes.contains(n) {
            report.notes.push(n.clone());
        }
    }
    report.path = module.path.clone();
    if report.lines == 0 {
        report.lines = count_lines(&module.source);
    }
    notes.append(&mut report.notes);
    report.notes = notes;
    CheckedFile {
        report,
        source: module.source.clone(),
    }
}

fn internal_error(path: String, source: &str, payload: &(dyn std::any::Any + Send)) -> CheckedFile {
    let what = analyze::panic_text(payload);
    CheckedFile {
        report: FileReport {
            path,
            lines: count_lines(source),
            notes: vec![format!(
                "internal error, please report (the file was not analyzed): {what}"
            )],
            ..FileReport::default()
        },
        source: Arc::from(source),
    }
}

/// What happens to a file's findings after analysis: the configuration's filter, then the
/// file's suppression comments (which may add unused-suppression findings), then sorting
/// again so those land in position order.
fn finish(file: &mut CheckedFile, catalog: &Catalog, filter: &RuleFilter) {
    apply_filter(&mut file.report, filter);
    crate::suppress::apply(&mut file.report, &file.source, catalog, filter);
    sort_findings(&mut file.report);
}

/// The analysis always collects proofs (the summary counts them; `--proofs` only decides
/// whether they are listed) and is told which catalog rules are enabled, so it can skip the
/// rest.
fn analysis_options(catalog: &Catalog, options: &DriverOptions) -> Options {
    let mut analysis = options.analysis.clone();
    analysis.proofs = true;
    if options.filter.is_narrowed() {
        analysis.select = catalog
            .rules
            .iter()
            .filter(|r| options.filter.enabled(&r.id))
            .map(|r| r.id.clone())
            .collect();
        analysis.ignore = catalog
            .rules
            .iter()
            .filter(|r| !options.filter.enabled(&r.id))
            .map(|r| r.id.clone())
            .collect();
        // An empty `select` means "everything" to the analysis; with every rule filtered out
        // the ignore list says it instead.
    }
    analysis
}

/// Reads, decodes and analyzes one input on its own, turning every failure into a note.
pub fn check_input(input: &Input, catalog: &Catalog, options: &Options) -> CheckedFile {
    analyze_read(vec![read(input)], catalog, options)
        .pop()
        .unwrap_or_else(|| skipped(input.path().to_string(), "nothing to analyze".into()))
}

/// The text of an input, with the notes decoding it produced; `Err` with the reason when
/// the file is skipped.
fn decode(bytes: Vec<u8>) -> Result<(Arc<str>, Vec<String>), String> {
    let mut notes = Vec::new();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MB, over the {} MB limit; skipped",
            bytes.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    // Python refuses source with NUL bytes, and no text file has them: this is a binary
    // that happens to have a source extension.
    if bytes.contains(&0) {
        return Err("looks like a binary file (contains NUL bytes); skipped".into());
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            notes.push("not valid UTF-8; read lossily".to_string());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok((Arc::from(text), notes))
}

fn count_lines(text: &str) -> usize {
    text.lines().count()
}

fn read_input(input: &Input) -> Result<Vec<u8>, String> {
    match input {
        Input::Text { bytes, .. } => Ok(bytes.clone()),
        Input::File { fs_path, .. } => {
            let meta = std::fs::metadata(fs_path).map_err(|e| format!("cannot read: {e}"))?;
            if meta.len() > MAX_FILE_BYTES {
                return Err(format!(
                    "file is {} MB, over the {} MB limit; skipped",
                    meta.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ));
            }
            std::fs::read(fs_path).map_err(|e| format!("cannot read: {e}"))
        }
    }
}

fn skipped(path: String, note: String) -> CheckedFile {
    CheckedFile {
        report: FileReport {
            path,
            notes: vec![note],
            ..FileReport::default()
        },
        source: Arc::from(""),
    }
}

/// Drops findings and proofs of rules the user turned off (globally or for this file),
/// applies severity overrides, and sorts.
pub fn apply_filter(report: &mut FileReport, filter: &RuleFilter) {
    let path = Path::new(&report.path);
    report.findings.retain(|f| filter.enabled_in(&f.rule, path));
    for f in &mut report.findings {
        f.severity = filter.severity_of(&f.rule, f.severity);
    }
    report.proofs.retain(|p| filter.enabled_in(&p.rule, path));
    sort_findings(report);
    report.proofs.sort_by(|a, b| {
        (a.span.line, a.span.col, &a.rule).cmp(&(b.span.line, b.span.col, &b.rule))
    });
}

/// Findings in position order, then rule, so every format lists them the same way.
fn sort_findings(report: &mut FileReport) {
    report.findings.sort_by(|a, b| {
        (
            a.span.line,
            a.span.col,
            &a.rule,
            a.span.end_line,
            a.span.end_col,
            &a.message,
        )
            .cmp(&(
                b.span.line,
                b.span.col,
                &b.rule,
                b.span.end_line,
                b.span.end_col,
                &b.message,
            ))
    });
}

/// Discovery notes as run-level notes.
pub fn notes_from(pairs: Vec<(String, String)>) -> Vec<Note> {
    pairs
        .into_iter()
        .map(|(path, message)| Note { path, message })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, VerdictKind};
    use crate::ir::Span;

    fn text(path: &str, bytes: &[u8]) -> Input {
        Input::Text {
            path: path.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn bad_inputs_become_notes_and_others_still_run() {
        let inputs = vec![
            text("b.py", b"x = 1\n"),
            text("a.py", b"name = 'caf\xe9'\n"),
            text("c.py", b"\x00\x01\x02"),
            text("d.py", b"\xef\xbb\xbfx = 1\r\ny = 2\r\n"),
            text("e.py", b""),
            Input::File {
                path: "missing.py".into(),
                fs_path: PathBuf::from("/no/such/vouch/file.py"),
            },
        ];
        let run = check(inputs, &Catalog::default(), &DriverOptions::default());
        let paths: Vec<_> = run.files.iter().map(|f| f.report.path.as_str()).collect();
        assert_eq!(
            paths,
            ["a.py", "b.py", "c.py", "d.py", "e.py", "missing.py"]
        );
        assert_eq!(run.files[0].report.notes, ["not valid UTF-8; read lossily"]);
        assert!(run.files[1].report.notes.is_empty());
        assert!(run.files[2].report.notes[0].contains("binary"));
        assert!(!run.files[3].source.starts_with('\u{feff}'));
        assert_eq!(run.files[3].report.lines, 2);
        assert!(run.files[5].report.notes[0].starts_with("cannot read"));
        assert_eq!(run.summary.files, 6);
    }

    fn finding(rule: &str, line: u32, sev: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            name: "n".into(),
            cwe: vec![],
            severity: sev,
            path: "tests/t.py".into(),
            span: Span {
                line,
                col: 1,
                end_line: line,
                end_col: 2,
                ..Span::default()
            },
            message: "m".into(),
            verdict: VerdictKind::Violated,
            witness: None,
            shown: vec![],
            latent: false,
            help: String::new(),
            fix: None,
            related: vec![],
            flow: Vec::new(),
        }
    }

    #[test]
    fn filter_sorts_drops_and_regrades() {
        let toml = "ignore = [\"PY-X\"]\n[severity]\n\"PY-S\" = \"note\"\n[per-file-ignores]\n\"tests/*\" = [\"PY-A1\"]\n";
        let cfg = crate::config::parse(Path::new("/tmp/vouch.toml"), toml.into()).expect("cfg");
        let filter = RuleFilter::new(&cfg, &[], &[]).expect("filter");
        let mut report = FileReport {
            path: "/tmp/tests/t.py".into(),
            findings: vec![
                finding("PY-S602", 9, Severity::Error),
                finding("PY-X1", 3, Severity::Error),
                finding("PY-A1", 1, Severity::Error),
                finding("PY-B1", 2, Severity::Warning),
                finding("PY-A2", 2, Severity::Warning),
            ],
            ..FileReport::default()
        };
        apply_filter(&mut report, &filter);
        let got: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.span.line, f.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("PY-A2", 2, Severity::Warning),
                ("PY-B1", 2, Severity::Warning),
                ("PY-S602", 9, Severity::Note)
            ]
        );
    }
}
