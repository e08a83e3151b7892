//! What a Python project says about itself on disk: the dependencies it declares
//! (requirements files, `pyproject.toml` in its PEP 621, PEP 735, Poetry and PDM forms,
//! `setup.cfg`, `setup.py` literals, `Pipfile`, `uv.lock`, `poetry.lock`) and the modules
//! that sit beside the analysed file or in the directories above it.
//!
//! Every directory from the file's own up to the project root (the nearest one holding
//! `.git`; without one, the highest holding a `pyproject.toml`, `setup.py` or `setup.cfg`;
//! without those, the file's directory) contributes. Parsed files are cached on their
//! path, size and modification time, directory listings on the directory's modification
//! time, so an editor session sees edits and a run over thousands of files reads each
//! manifest once.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::SystemTime;

use super::packages::normalise;

/// The dependencies a project declares, as normalised distribution names.
#[derive(Clone, Debug, Default)]
pub struct Declared {
    pub names: BTreeSet<String>,
    /// The files that declared them (relative paths as found), for messages.
    pub files: Vec<PathBuf>,
    /// Some declaring file could not be read completely (`install_requires=REQS` in a
    /// `setup.py`): missing names may be declared after all.
    pub partial: bool,
}

impl Declared {
    /// The project declares its dependencies somewhere we could read in full.
    pub fn is_known(&self) -> bool {
        !self.files.is_empty() && !self.partial
    }
}

/// What one directory says: its declarations and its entries.
#[derive(Clone, Debug, Default)]
struct DirInfo {
    declared: Declared,
    /// Names of entries that make an importable top-level module (`x.py`, `x/`, `x.pyi`,
    /// extension modules), and those under `src/`.
    modules: HashSet<String>,
    /// The directory is a project root (`.git`) or a project (`pyproject.toml`...).
    is_repo_root: bool,
    is_project: bool,
}

type Stamp = (Option<SystemTime>, u64);
/// Results keyed on a path, valid while the path's stamp is unchanged.
type Cache<T> = LazyLock<Mutex<HashMap<PathBuf, (Stamp, Arc<T>)>>>;

static DIRS: Cache<DirInfo> = LazyLock::new(|| Mutex::new(HashMap::new()));
static FILES: Cache<Parsed> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok(), meta.len()))
}

/// The project context of a file: what its directory and those above declare and hold.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub declared: Declared,
    pub modules: HashSet<String>,
    /// Every module name anywhere under the project root (`tests/lib/helpers` adds
    /// `helpers`: test runners and `sys.path` edits make such folders importable).
    pub tree_modules: Arc<HashSet<String>>,
    /// Names the project's own metadata gives itself (`[project] name`), normalised.
    pub own_names: HashSet<String>,
    /// The oldest Python 3 minor version the nearest `pyproject.toml` allows
    /// (`requires-python = ">=3.10"`, Poetry's `python = "^3.10"`).
    pub requires_python: Option<u8>,
}

impl Context {
    /// Whether a top-level name is a module of the project.
    pub fn is_local(&self, top: &str) -> bool {
        self.modules.contains(top) || self.tree_modules.contains(top)
    }
}

/// The context of the file at `path` (as the user named it; relative paths are taken from
/// the working directory). A path that does not exist on disk (a buffer not yet saved,
/// `--stdin` with an invented name) still gets the directories that do.
pub fn context_for(path: &Path) -> Context {
    let mut ctx = Context::default();
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => return ctx,
        }
    };
    let Some(dir) = abs.parent() else {
        return ctx;
    };
    let infos: Vec<(PathBuf, Arc<DirInfo>)> = dir
        .ancestors()
        .take(32)
        .filter_map(|d| dir_info(d).map(|i| (d.to_path_buf(), i)))
        .collect();
    // Up to the repository root; else up to the outermost project; else the file's own.
    let end = match infos.iter().position(|(_, i)| i.is_repo_root) {
        Some(i) => i + 1,
        None => infos
            .iter()
            .rposition(|(_, i)| i.is_project)
            .map_or(1.min(infos.len()), |i| i + 1),
    };
    if let Some((root, _)) = infos.get(end.saturating_sub(1))
        && end > 1
    {
        ctx.tree_modules = tree_modules(root);
    }
    for (_, info) in infos.iter().take(end) {
        ctx.modules.extend(info.modules.iter().cloned());
        let d = &info.declared;
        ctx.declared.names.extend(d.names.iter().cloned());
        ctx.declared.files.extend(d.files.iter().cloned());
        ctx.declared.partial |= d.partial;
    }
    for (dir, info) in infos.iter().take(end) {
        if info.is_project
            && let Some(p) = parsed(&dir.join("pyproject.toml"))
        {
            ctx.own_names.extend(p.own_names.iter().cloned());
            ctx.requires_python = ctx.requires_python.or(p.requires_python);
        }
        if let Some(p) = parsed(&dir.join("setup.cfg")) {
            ctx.own_names.extend(p.own_names.iter().cloned());
        }
        if let Some(p) = parsed(&dir.join("setup.py")) {
            ctx.own_names.extend(p.own_names.iter().cloned());
        }
    }
    ctx
}

static TREES: Cache<HashSet<String>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Directories never searched for project modules: tools' caches, environments, build
/// output and dependencies checked out beside the code.
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "__pycache__",
    "site-packages",
    "target",
    "build",
    "dist",
];

/// At most this many directory entries are looked at under one project root.
const MAX_TREE_ENTRIES: usize = 200_000;

fn tree_modules(root: &Path) -> Arc<HashSet<String>> {
    let Some(st) = stamp(root) else {
        return Arc::default();
    };
    if let Ok(cache) = TREES.lock()
        && let Some((s, names)) = cache.get(root)
        && *s == st
    {
        return names.clone();
    }
    let mut names = HashSet::new();
    let mut budget = MAX_TREE_ENTRIES;
    collect_tree(root, &mut names, &mut budget, 0);
    let names = Arc::new(names);
    if let Ok(mut cache) = TREES.lock() {
        cache.insert(root.to_path_buf(), (st, names.clone()));
    }
    names
}

/// Adds the modules under `dir`; returns whether it holds Python code at any depth (a
/// folder of only data files is no package).
fn collect_tree(dir: &Path, names: &mut HashSet<String>, budget: &mut usize, depth: u32) -> bool {
    if depth > 24 || dir.join("pyvenv.cfg").exists() {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut has_code = false;
    for e in entries.flatten() {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            if SKIP_DIRS.contains(&name.as_str()) {
                continue;
            }
            if collect_tree(&e.path(), names, budget, depth + 1) {
                has_code = true;
                if let Some(m) = module_name(&name, true) {
                    names.insert(m);
                }
            }
        } else if let Some(m) = module_name(&name, false) {
            has_code = true;
            names.insert(m);
        }
    }
    has_code
}

fn dir_info(dir: &Path) -> Option<Arc<DirInfo>> {
    let st = stamp(dir)?;
    if let Ok(cache) = DIRS.lock()
        && let Some((s, info)) = cache.get(dir)
        && *s == st
    {
        return Some(info.clone());
    }
    let info = Arc::new(read_dir_info(dir));
    if let Ok(mut cache) = DIRS.lock() {
        cache.insert(dir.to_path_buf(), (st, info.clone()));
    }
    Some(info)
}

fn read_dir_info(dir: &Path) -> DirInfo {
    let mut info = DirInfo::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return info;
    };
    let mut declaring: Vec<PathBuf> = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if let Some(m) = module_name(&name, is_dir) {
            info.modules.insert(m);
        }
        match name.as_str() {
            ".git" => info.is_repo_root = true,
            "pyproject.toml" | "setup.py" | "setup.cfg" => {
                info.is_project = true;
                declaring.push(e.path());
            }
            "Pipfile" | "uv.lock" | "poetry.lock" => declaring.push(e.path()),
            "src" if is_dir => {
                for sub in std::fs::read_dir(e.path()).into_iter().flatten().flatten() {
                    let sub_name = sub.file_name().to_string_lossy().into_owned();
                    let sub_dir = sub.file_type().is_ok_and(|t| t.is_dir());
                    if let Some(m) = module_name(&sub_name, sub_dir) {
                        info.modules.insert(m);
                    }
                }
            }
            "requirements" if is_dir => {
                for sub in std::fs::read_dir(e.path()).into_iter().flatten().flatten() {
                    if is_requirements_name(&sub.file_name().to_string_lossy()) {
                        declaring.push(sub.path());
                    }
                }
            }
            _ if is_requirements_name(&name) => declaring.push(e.path()),
            _ => {}
        }
    }
    declaring.sort();
    for path in declaring {
        let Some(p) = parsed(&path) else {
            continue;
        };
        if p.declares {
            info.declared.names.extend(p.names.iter().cloned());
            info.declared.files.push(path);
            info.declared.partial |= p.partial;
        }
    }
    info
}

/// Everything the context of a file in `dir` takes from `dir` itself (its modules, what
/// its manifests declare, whether it is a project or repository root), as text that
/// changes whenever that may: the result cache keys on it for every directory above a
/// file. The walk of the whole tree (`tree_modules`) is not part of it.
pub fn fingerprint(dir: &Path) -> String {
    use std::fmt::Write;
    let Some(info) = dir_info(dir) else {
        return String::new();
    };
    let mut modules: Vec<&String> = info.modules.iter().collect();
    modules.sort();
    let d = &info.declared;
    let mut out = format!(
        "{}|{}|{modules:?}|{:?}|{:?}|{}",
        info.is_repo_root, info.is_project, d.names, d.files, d.partial
    );
    for name in ["pyproject.toml", "setup.cfg", "setup.py"] {
        if let Some(p) = parsed(&dir.join(name)) {
            let _ = write!(out, "|{name}:{:?}:{:?}", p.own_names, p.requires_python);
        }
    }
    out
}

/// The module a directory entry makes importable, if any.
fn module_name(name: &str, is_dir: bool) -> Option<String> {
    if name.starts_with('.') {
        return None;
    }
    let stem = if is_dir {
        name
    } else {
        let (stem, ext) = name.split_once('.')?;
        if !matches!(
            ext.rsplit('.').next(),
            Some("py" | "pyi" | "pyx" | "so" | "pyd")
        ) {
            return None;
        }
        stem
    };
    let ok = stem
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && stem.chars().all(|c| c.is_alphanumeric() || c == '_');
    ok.then(|| stem.to_string())
}

fn is_requirements_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("requirements") || lower.ends_with("requirements.txt"))
        && (lower.ends_with(".txt") || lower.ends_with(".in"))
}

/// What one manifest file says.
#[derive(Debug, Default)]
struct Parsed {
    names: Vec<String>,
    own_names: Vec<String>,
    /// The file is of a kind that declares dependencies, and does (a `pyproject.toml`
    /// with only tool settings declares nothing).
    declares: bool,
    partial: bool,
    requires_python: Option<u8>,
}

/// The oldest Python 3 minor version a specifier allows: `>=3.9`, `~=3.10`, `^3.11`,
/// `==3.12.*`, `>3.8` (3.9); `None` when it sets no lower bound.
pub fn minimum_minor(spec: &str) -> Option<u8> {
    spec.split(',').find_map(|clause| {
        let c = clause.trim();
        let (op, rest) = ["~=", ">=", "==", "^", "~", ">"]
            .iter()
            .find_map(|op| c.strip_prefix(op).map(|r| (*op, r.trim())))?;
        let mut nums = rest.split('.');
        if nums.next()? != "3" {
            return None;
        }
        let minor: u8 = nums.next()?.trim_end_matches('*').parse().ok()?;
        Some(if op == ">" {
            minor.saturating_add(1)
        } else {
            minor
        })
    })
}

fn parsed(path: &Path) -> Option<Arc<Parsed>> {
    let st = stamp(path)?;
    if let Ok(cache) = FILES.lock()
        && let Some((s, p)) = cache.get(path)
        && *s == st
    {
        return Some(p.clone());
    }
    let p = Arc::new(parse_file(path, 0));
    if let Ok(mut cache) = FILES.lock() {
        cache.insert(path.to_path_buf(), (st, p.clone()));
    }
    Some(p)
}

/// Manifests are small; anything larger is not one we should spend time on.
const MAX_MANIFEST_BYTES: u64 = 8 * 1024 * 1024;

fn parse_file(path: &Path, depth: u32) -> Parsed {
    if std::fs::metadata(path).map_or(true, |m| m.len() > MAX_MANIFEST_BYTES) {
        return Parsed::default();
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return Parsed::default();
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.as_str() {
        "pyproject.toml" => parse_pyproject(&text),
        "Pipfile" => parse_pipfile(&text),
        "uv.lock" | "poetry.lock" => parse_lock(&text),
        "setup.cfg" => parse_setup_cfg(&text),
        "setup.py" => parse_setup_py(&text),
        _ => parse_requirements(&text, path, depth),
    }
}

/// The project name at the start of a PEP 508 requirement (`requests[socks]>=2; ...`).
pub fn requirement_name(spec: &str) -> Option<String> {
    let spec = spec.trim();
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = spec.get(..end)?.trim_end_matches('.');
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(normalise(name))
}

fn parse_requirements(text: &str, path: &Path, depth: u32) -> Parsed {
    let mut p = Parsed {
        declares: true,
        ..Parsed::default()
    };
    for raw in text.lines() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line
            .strip_prefix("-r ")
            .or_else(|| line.strip_prefix("--requirement "))
            .or_else(|| line.strip_prefix("-c "))
            .or_else(|| line.strip_prefix("--constraint "))
        {
            // Included files are read where they are; a loop of includes stops at a depth.
            if depth < 8
                && let Some(dir) = path.parent()
            {
                let inc = parse_file(&dir.join(rest.trim()), depth + 1);
                p.names.extend(inc.names);
                p.partial |= inc.partial;
            }
            continue;
        }
        if line.starts_with('-') {
            // `-e git+https://...#egg=name` names its project in the fragment.
            if let Some(egg) = line.split("#egg=").nth(1) {
                p.names.extend(requirement_name(egg));
            } else if line.starts_with("-e") {
                p.partial = true;
            }
            continue;
        }
        if line.contains("://") && !line.contains(" @ ") {
            // A bare URL or path to an archive: the project it installs is not named.
            p.partial = true;
            continue;
        }
        p.names.extend(requirement_name(line));
    }
    p
}

fn toml_strings(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .filter_map(requirement_name)
                .collect()
        })
        .unwrap_or_default()
}

fn toml_keys(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|v| v.as_table())
        .map(|t| {
            t.keys()
                .filter(|k| k.as_str() != "python")
                .map(|k| normalise(k))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_pyproject(text: &str) -> Parsed {
    let mut p = Parsed::default();
    let Ok(doc) = text.parse::<toml::Table>() else {
        return p;
    };
    let get = |path: &[&str]| -> Option<&toml::Value> {
        let (first, rest) = path.split_first()?;
        let mut v = doc.get(*first)?;
        for k in rest {
            v = v.get(*k)?;
        }
        Some(v)
    };
    if let Some(project) = get(&["project"]) {
        if let Some(n) = project.get("name").and_then(|n| n.as_str()) {
            p.own_names.push(normalise(n));
        }
        p.requires_python = project
            .get("requires-python")
            .and_then(|v| v.as_str())
            .and_then(minimum_minor);
        // A dynamic dependency list lives in another file (setup.py, a requirements file).
        let dynamic = project
            .get("dynamic")
            .and_then(|d| d.as_array())
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("dependencies")));
        p.partial |= dynamic;
        if project.get("dependencies").is_some() || dynamic {
            p.declares = true;
        }
        p.names.extend(toml_strings(project.get("dependencies")));
        if let Some(groups) = project
            .get("optional-dependencies")
            .and_then(|g| g.as_table())
        {
            p.declares = true;
            for group in groups.values() {
                p.names.extend(toml_strings(Some(group)));
            }
        }
    }
    if let Some(groups) = get(&["dependency-groups"]).and_then(|g| g.as_table()) {
        p.declares = true;
        for group in groups.values() {
            p.names.extend(toml_strings(Some(group)));
        }
    }
    if let Some(poetry) = get(&["tool", "poetry"]) {
        if let Some(n) = poetry.get("name").and_then(|n| n.as_str()) {
            p.own_names.push(normalise(n));
        }
        let python = poetry.get("dependencies").and_then(|d| d.get("python"));
        p.requires_python = p
            .requires_python
            .or_else(|| python.and_then(|v| v.as_str()).and_then(minimum_minor));
        for key in ["dependencies", "dev-dependencies"] {
            if poetry.get(key).is_some() {
                p.declares = true;
            }
            p.names.extend(toml_keys(poetry.get(key)));
        }
        if let Some(groups) = poetry.get("group").and_then(|g| g.as_table()) {
            for group in groups.values() {
                p.names.extend(toml_keys(group.get("dependencies")));
            }
        }
    }
    if let Some(groups) = get(&["tool", "pdm", "dev-dependencies"]).and_then(|g| g.as_table()) {
        for group in groups.values() {
            p.names.extend(toml_strings(Some(group)));
        }
    }
    p
}

fn parse_pipfile(text: &str) -> Parsed {
    let mut p = Parsed {
        declares: true,
        ..Parsed::default()
    };
    if let Ok(doc) = text.parse::<toml::Table>() {
        p.names.extend(toml_keys(doc.get("packages")));
        p.names.extend(toml_keys(doc.get("dev-packages")));
    }
    p
}

fn parse_lock(text: &str) -> Parsed {
    let mut p = Parsed {
        declares: true,
        ..Parsed::default()
    };
    if let Ok(doc) = text.parse::<toml::Table>()
        && let Some(pkgs) = doc.get("package").and_then(|v| v.as_array())
    {
        p.names.extend(
            pkgs.iter()
                .filter_map(|x| x.get("name")?.as_str())
                .map(normalise),
        );
    }
    p
}

/// `setup.cfg`: `[metadata] name`, `[options] install_requires`, `tests_require`, and
/// every `[options.extras_require]` entry; values continue on indented lines.
fn parse_setup_cfg(text: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut section = String::new();
    let mut key = String::new();
    for raw in text.lines() {
        let line = raw.split(" #").next().unwrap_or("");
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            section = trimmed.trim_matches(['[', ']']).trim().to_string();
            key.clear();
            continue;
        }
        let continued = line.starts_with([' ', '\t']);
        let value = if continued {
            trimmed
        } else {
            let Some((k, v)) = trimmed.split_once(['=', ':']) else {
                continue;
            };
            key = k.trim().to_string();
            v.trim()
        };
        let wanted = (section == "options"
            && matches!(key.as_str(), "install_requires" | "tests_require"))
            || section == "options.extras_require";
        if wanted {
            p.declares = true;
            p.names
                .extend(value.split(';').next().and_then(requirement_name));
        }
        if section == "metadata" && key == "name" && !continued {
            p.own_names.push(normalise(value));
        }
    }
    p
}

/// `setup.py`: the string literals of `install_requires=[...]` and `extras_require`, and
/// `name="..."`. Anything else there (a variable, a file read) makes the list partial.
fn parse_setup_py(text: &str) -> Parsed {
    static STRING: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r#"["']([A-Za-z0-9][^"']*)["']"#).unwrap_or_else(|_| unreachable!())
    });
    static NAME: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r#"\bname\s*=\s*["']([A-Za-z0-9][A-Za-z0-9._-]*)["']"#)
            .unwrap_or_else(|_| unreachable!())
    });
    let mut p = Parsed::default();
    if let Some(c) = NAME.captures(text) {
        p.own_names.push(normalise(&c[1]));
    }
    for key in ["install_requires", "extras_require", "tests_require"] {
        let Some(at) = text.find(key) else {
            continue;
        };
        p.declares = true;
        let rest = text[at + key.len()..].trim_start();
        let rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
        let Some(open) = rest.chars().next().filter(|c| matches!(c, '[' | '{' | '(')) else {
            p.partial = true;
            continue;
        };
        let close = match open {
            '[' => ']',
            '{' => '}',
            _ => ')',
        };
        // Extras are a dict of lists; its closing brace ends it.
        let body = rest.get(1..).unwrap_or("");
        let body = body.split(close).next().unwrap_or(body);
        for c in STRING.captures_iter(body) {
            // Keys of the extras dict name extras, not projects.
            let after = c.get(0).map_or("", |m| &body[m.end()..]);
            if !after.trim_start().starts_with(':') {
                p.names.extend(requirement_name(&c[1]));
            }
        }
    }
    if !p.declares && text.contains("setup(") {
        // A setup.py that installs things without listing them here.
        p.partial = true;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Parsed) -> Vec<&str> {
        let mut v: Vec<&str> = p.names.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn requirement_names() {
        assert_eq!(
            requirement_name("requests[socks]>=2.0"),
            Some("requests".into())
        );
        assert_eq!(
            requirement_name("PyYAML==6.0 ; python_version<'3.12'"),
            Some("pyyaml".into())
        );
        assert_eq!(requirement_name("Flask_Login"), Some("flask-login".into()));
        assert_eq!(requirement_name("  "), None);
    }

    #[test]
    fn python_minimums() {
        assert_eq!(minimum_minor(">=3.9"), Some(9));
        assert_eq!(minimum_minor(">=3.10, <4"), Some(10));
        assert_eq!(minimum_minor("~=3.11"), Some(11));
        assert_eq!(minimum_minor("^3.12"), Some(12));
        assert_eq!(minimum_minor(">3.8"), Some(9));
        assert_eq!(minimum_minor("==3.13.*"), Some(13));
        assert_eq!(minimum_minor("<3.13"), None);
        assert_eq!(minimum_minor(">=2.7"), None);
    }

    #[test]
    fn requirements_file() {
        let text = "# deps\nrequests>=2  # http\n-e git+https://h/x.git#egg=private_lib\n--index-url https://i\nnumpy\n\nhttps://h/archive.zip\n";
        let p = parse_requirements(text, Path::new("/nonexistent/requirements.txt"), 0);
        assert_eq!(names(&p), ["numpy", "private-lib", "requests"]);
        assert!(p.declares && p.partial);
    }

    #[test]
    fn pyproject_forms() {
        let text = r#"
[project]
name = "My_App"
dependencies = ["httpx>=0.27", "pydantic"]
[project.optional-dependencies]
cli = ["rich"]
[dependency-groups]
dev = ["pytest"]
[tool.poetry.dependencies]
python = "^3.11"
Django = "^5"
[tool.poetry.group.test.dependencies]
factory-boy = "*"
"#;
        let p = parse_pyproject(text);
        assert_eq!(p.requires_python, Some(11));
        assert_eq!(
            names(&p),
            [
                "django",
                "factory-boy",
                "httpx",
                "pydantic",
                "pytest",
                "rich"
            ]
        );
        assert_eq!(p.own_names, ["my-app"]);
        assert!(p.declares && !p.partial);
        let tool_only = parse_pyproject("[tool.ruff]\nline-length = 100\n");
        assert!(!tool_only.declares);
        let dynamic = parse_pyproject("[project]\nname='x'\ndynamic=['dependencies']\n");
        assert!(dynamic.declares && dynamic.partial);
    }

    #[test]
    fn setup_cfg_pipfile_lock_and_setup_py() {
        let cfg = "[metadata]\nname = shop\n[options]\ninstall_requires =\n    click>=8\n    attrs\n[options.extras_require]\nyaml = PyYAML\n";
        let p = parse_setup_cfg(cfg);
        assert_eq!(names(&p), ["attrs", "click", "pyyaml"]);
        assert_eq!(p.own_names, ["shop"]);
        let pip = parse_pipfile("[packages]\nflask = \"*\"\n[dev-packages]\nblack = \"*\"\n");
        assert_eq!(names(&pip), ["black", "flask"]);
        let lock = parse_lock("[[package]]\nname = \"anyio\"\n[[package]]\nname = \"Sniffio\"\n");
        assert_eq!(names(&lock), ["anyio", "sniffio"]);
        let py = parse_setup_py(
            "setup(name='tool', install_requires=['requests>=2', \"tqdm\"], extras_require={'x': ['lxml']})",
        );
        assert_eq!(names(&py), ["lxml", "requests", "tqdm"]);
        assert!(!py.partial);
        let dynamic = parse_setup_py("setup(name='tool', install_requires=REQS)");
        assert!(dynamic.partial);
    }

    #[test]
    fn module_names_of_entries() {
        assert_eq!(module_name("helpers.py", false), Some("helpers".into()));
        assert_eq!(
            module_name("_speedups.cpython-311-x86_64-linux-gnu.so", false),
            Some("_speedups".into())
        );
        assert_eq!(module_name("pkg", true), Some("pkg".into()));
        assert_eq!(module_name("README.md", false), None);
        assert_eq!(module_name("my-dir", true), None);
        assert_eq!(module_name(".venv", true), None);
    }

    #[test]
    fn context_of_a_project_on_disk() {
        let Ok(tmp) = tempfile::tempdir() else {
            return;
        };
        let root = tmp.path();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
        };
        write(".git/HEAD", "ref: refs/heads/main\n");
        write("requirements.txt", "requests\n");
        write("src/shop/__init__.py", "");
        write("src/shop/app/views.py", "import shop\n");
        write("src/shop/app/forms.py", "");
        let ctx = context_for(&root.join("src/shop/app/views.py"));
        assert!(ctx.declared.is_known());
        assert!(ctx.declared.names.contains("requests"));
        for m in ["shop", "forms", "views", "app", "src"] {
            assert!(ctx.is_local(m), "{m}: {:?}", ctx.modules);
        }
        write("tools/lib/helpers/__init__.py", "");
        write("docs/images/logo.png", "");
        let ctx = context_for(&root.join("src/shop/app/views.py"));
        assert!(ctx.is_local("helpers"));
        assert!(!ctx.is_local("images"));
        // Nothing declared above a file outside any project.
        let other = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(other.path().join("x.py"), "").unwrap_or_else(|e| panic!("{e}"));
        let lone = context_for(&other.path().join("x.py"));
        assert!(!lone.declared.is_known());
    }
}
