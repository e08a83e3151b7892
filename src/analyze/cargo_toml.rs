//! What Cargo says about a Rust file: the package whose targets compile it, the names its
//! code may give other crates (dependencies of every kind and platform, `package = ".."`
//! renames, `workspace = true` entries looked up in the workspace root), the package's
//! own library name, and the module names its source folders hold.
//!
//! A file belongs to the package of the nearest `Cargo.toml` with a `[package]` only when
//! one of its targets can reach it: under `src/`, `tests/`, `benches/`, `examples/`, the
//! build script, or the folder of a target's `path`. Anything else (fixtures, a corpus of
//! examples, generated snippets beside a project) is judged without a manifest.
//!
//! Dev- and build-dependencies count for every file: telling `#[cfg(test)]` code from the
//! rest is the compiler's business, and a dev-dependency used outside tests is no
//! hallucination. Parsed manifests are cached on path, size and modification time.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::SystemTime;

/// One dependency as the code names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dep {
    /// The crate fetched for it (its `package = ".."`, else the key), normalised.
    pub package: String,
    /// It comes from crates.io by version: not a path, git or other registry, and not a
    /// workspace entry we could not read. Only those can be held against the crate data.
    pub registry: bool,
}

/// The Cargo context of one file.
#[derive(Clone, Debug, Default)]
pub struct CargoContext {
    /// The manifest whose package compiles the file; `None` for files no package reaches.
    pub manifest: Option<PathBuf>,
    /// Dependencies by the name code uses (normalised: `-` is `_`).
    pub deps: HashMap<String, Dep>,
    /// The package's own library names (`[package] name`, `[lib] name`), which its
    /// binaries, tests, examples and benches use.
    pub own: HashSet<String>,
    /// Names of `.rs` files and folders under the package's source folders (or beside the
    /// file when there is no package): modules the crate may declare in another file.
    pub modules: HashSet<String>,
    /// Crates the nearest `Cargo.lock` resolved from a registry (normalised): cargo
    /// found them there, so they exist whatever vouch's data says.
    pub locked: HashSet<String>,
}

/// crates.io treats `-` and `_` alike and ignores case; code can only write `_`.
pub fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('-', "_")
}

type Stamp = (Option<SystemTime>, u64);
type Cache<T> = LazyLock<Mutex<HashMap<PathBuf, (Stamp, Arc<T>)>>>;

static MANIFESTS: Cache<Option<toml::Table>> = LazyLock::new(|| Mutex::new(HashMap::new()));
static TREES: Cache<HashSet<String>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok(), meta.len()))
}

/// A parsed `Cargo.toml`, or `None` when it is missing or not valid TOML (then the file
/// is judged as if no manifest governed it: no finding rests on a manifest we misread).
fn manifest(path: &Path) -> Option<Arc<Option<toml::Table>>> {
    let st = stamp(path)?;
    if let Ok(cache) = MANIFESTS.lock()
        && let Some((s, m)) = cache.get(path)
        && *s == st
    {
        return Some(m.clone());
    }
    let parsed = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok());
    let m = Arc::new(parsed);
    if let Ok(mut cache) = MANIFESTS.lock() {
        cache.insert(path.to_path_buf(), (st, m.clone()));
    }
    Some(m)
}

pub fn context_for(path: &Path) -> CargoContext {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => return CargoContext::default(),
        }
    };
    let Some(dir) = abs.parent() else {
        return CargoContext::default();
    };
    for d in dir.ancestors().take(32) {
        let toml_path = d.join("Cargo.toml");
        let Some(parsed) = manifest(&toml_path) else {
            continue;
        };
        let Some(doc) = parsed.as_ref() else {
            return loose(dir);
        };
        if doc.get("package").is_none() {
            // A virtual workspace root: the file is in no member.
            return loose(dir);
        }
        if !reached_by_targets(d, doc, &abs) {
            return loose(dir);
        }
        let mut ctx = package_context(d, &toml_path, doc);
        // A crate as published keeps its original manifest beside the normalised one,
        // which drops path-only dev-dependencies (benchmark helpers, test suites).
        if let Some(orig) = manifest(&d.join("Cargo.toml.orig"))
            && let Some(orig) = orig.as_ref()
        {
            for (name, dep) in package_context(d, &toml_path, orig).deps {
                ctx.deps.entry(name).or_insert(dep);
            }
        }
        ctx.locked = locked_crates(d);
        return ctx;
    }
    loose(dir)
}

/// A file no package compiles: only the modules beside it are known.
fn loose(dir: &Path) -> CargoContext {
    CargoContext {
        modules: module_names(dir, 1).as_ref().clone(),
        ..CargoContext::default()
    }
}

fn reached_by_targets(pkg: &Path, doc: &toml::Table, file: &Path) -> bool {
    let Ok(rel) = file.strip_prefix(pkg) else {
        return false;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    if matches!(
        first.as_deref(),
        Some("src" | "tests" | "benches" | "examples" | "build.rs")
    ) {
        return true;
    }
    let mut target_paths: Vec<String> = Vec::new();
    if let Some(b) = doc
        .get("package")
        .and_then(|p| p.get("build"))
        .and_then(|b| b.as_str())
    {
        target_paths.push(b.to_string());
    }
    if let Some(p) = doc
        .get("lib")
        .and_then(|l| l.get("path"))
        .and_then(|p| p.as_str())
    {
        target_paths.push(p.to_string());
    }
    for kind in ["bin", "test", "bench", "example"] {
        for t in doc
            .get(kind)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(p) = t.get("path").and_then(|p| p.as_str()) {
                target_paths.push(p.to_string());
            }
        }
    }
    target_paths.iter().any(|t| {
        let target = pkg.join(t);
        target == file
            || target
                .parent()
                .is_some_and(|d| d != pkg && file.starts_with(d))
    })
}

fn package_context(pkg: &Path, toml_path: &Path, doc: &toml::Table) -> CargoContext {
    let mut ctx = CargoContext {
        manifest: Some(toml_path.to_path_buf()),
        ..CargoContext::default()
    };
    if let Some(name) = doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
    {
        ctx.own.insert(normalise(name));
    }
    if let Some(name) = doc
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
    {
        ctx.own.insert(normalise(name));
    }
    let workspace = workspace_deps(pkg, doc);
    let mut tables: Vec<&toml::Table> = Vec::new();
    let kinds = [
        "dependencies",
        "dev-dependencies",
        "build-dependencies",
        "dev_dependencies",
        "build_dependencies",
    ];
    for k in kinds {
        tables.extend(doc.get(k).and_then(|v| v.as_table()));
    }
    for (_, platform) in doc
        .get("target")
        .and_then(|t| t.as_table())
        .into_iter()
        .flatten()
    {
        for k in kinds {
            tables.extend(platform.get(k).and_then(|v| v.as_table()));
        }
    }
    for table in tables {
        for (key, spec) in table {
            let dep = dependency(key, spec, workspace.as_ref());
            ctx.deps.insert(normalise(key), dep);
        }
    }
    // `extern crate alloc as stdalloc;` in the crate root puts `stdalloc` in every
    // module's scope.
    let mut roots = vec![pkg.join("src/lib.rs"), pkg.join("src/main.rs")];
    if let Some(p) = doc
        .get("lib")
        .and_then(|l| l.get("path"))
        .and_then(|p| p.as_str())
    {
        roots.push(pkg.join(p));
    }
    for root in roots {
        if let Ok(text) = std::fs::read_to_string(&root) {
            ctx.modules.extend(extern_crate_aliases(&text));
        }
    }
    for sub in ["src", "tests", "benches", "examples"] {
        ctx.modules
            .extend(module_names(&pkg.join(sub), 16).iter().cloned());
    }
    ctx
}

/// The aliases of `extern crate NAME as ALIAS;` items in a crate root's text.
fn extern_crate_aliases(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(5)
        .filter(|w| w[0] == "extern" && w[1] == "crate" && w[3] == "as")
        .map(|w| w[4].to_string())
        .collect()
}

/// Registry packages of the nearest `Cargo.lock` at or above the package (a workspace
/// keeps one at its root).
fn locked_crates(pkg: &Path) -> HashSet<String> {
    for d in pkg.ancestors().take(16) {
        let Some(parsed) = manifest(&d.join("Cargo.lock")) else {
            continue;
        };
        let Some(lock) = parsed.as_ref() else {
            return HashSet::new();
        };
        return lock
            .get("package")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
            .filter(|p| {
                p.get("source")
                    .and_then(|s| s.as_str())
                    .is_some_and(|s| s.starts_with("registry+") || s.starts_with("sparse+"))
            })
            .filter_map(|p| p.get("name").and_then(|n| n.as_str()))
            .map(normalise)
            .collect();
    }
    HashSet::new()
}

/// `[workspace.dependencies]` of the workspace the package belongs to: its own manifest
/// when it is the root, else the nearest `Cargo.toml` above with a `[workspace]`.
fn workspace_deps(pkg: &Path, doc: &toml::Table) -> Option<toml::Table> {
    let deps_of = |d: &toml::Table| {
        d.get("workspace")
            .and_then(|w| w.get("dependencies"))
            .and_then(|d| d.as_table())
            .cloned()
    };
    if doc.get("workspace").is_some() {
        return deps_of(doc);
    }
    for d in pkg.ancestors().skip(1).take(16) {
        let Some(parsed) = manifest(&d.join("Cargo.toml")) else {
            continue;
        };
        if let Some(root) = parsed.as_ref()
            && root.get("workspace").is_some()
        {
            return deps_of(root);
        }
    }
    None
}

fn dependency(key: &str, spec: &toml::Value, workspace: Option<&toml::Table>) -> Dep {
    let mut spec = spec;
    let inherits = spec
        .get("workspace")
        .and_then(|w| w.as_bool())
        .unwrap_or(false);
    if inherits {
        match workspace.and_then(|w| w.get(key)) {
            Some(root_spec) => spec = root_spec,
            None => {
                return Dep {
                    package: normalise(key),
                    registry: false,
                };
            }
        }
    }
    let package = spec.get("package").and_then(|p| p.as_str()).unwrap_or(key);
    let elsewhere = ["path", "git", "registry", "registry-index"]
        .iter()
        .any(|k| spec.get(k).is_some());
    Dep {
        package: normalise(package),
        registry: !elsewhere,
    }
}

/// Names of `.rs` files (without the extension) and folders under `dir`, `depth` levels
/// down, at most 20,000 entries; cached on the folder's stamp.
fn module_names(dir: &Path, depth: u32) -> Arc<HashSet<String>> {
    let Some(st) = stamp(dir) else {
        return Arc::default();
    };
    let key = dir.join(format!(".depth{depth}"));
    if let Ok(cache) = TREES.lock()
        && let Some((s, names)) = cache.get(&key)
        && *s == st
    {
        return names.clone();
    }
    let mut names = HashSet::new();
    let mut budget = 20_000usize;
    collect(dir, depth, &mut names, &mut budget);
    let names = Arc::new(names);
    if let Ok(mut cache) = TREES.lock() {
        cache.insert(key, (st, names.clone()));
    }
    names
}

fn collect(dir: &Path, depth: u32, names: &mut HashSet<String>, budget: &mut usize) {
    if depth == 0 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            names.insert(name);
            collect(&e.path(), depth - 1, names, budget);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            names.insert(stem.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn dependencies_of_every_kind_renames_and_workspace_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(
            root,
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\"]\n[workspace.dependencies]\nserde = \"1\"\nshared-util = { path = \"util\" }\nfast = { package = \"fast-float\", version = \"0.2\" }\n",
        );
        write(
            root,
            "app/Cargo.toml",
            "[package]\nname = \"my-app\"\n[dependencies]\nserde.workspace = true\nshared-util = { workspace = true }\nfast = { workspace = true }\njson = { package = \"serde_json\", version = \"1\" }\nlocal = { path = \"../local\" }\n[dev-dependencies]\nproptest = \"1\"\n[build-dependencies]\ncc = \"1\"\n[target.'cfg(windows)'.dependencies]\nwinapi = \"0.3\"\n",
        );
        write(
            root,
            "app/src/main.rs",
            "extern crate alloc as stdalloc;\nfn main() {}\n",
        );
        write(
            root,
            "Cargo.lock",
            "version = 4\n[[package]]\nname = \"fast-float\"\nversion = \"0.2.0\"\nsource = \"registry+https://example.invalid/index\"\n[[package]]\nname = \"shared-util\"\nversion = \"0.1.0\"\n",
        );
        write(root, "app/src/util/mod.rs", "\n");
        write(root, "app/fixtures/x.rs", "\n");
        let ctx = context_for(&root.join("app/src/main.rs"));
        assert!(ctx.manifest.is_some());
        let dep = |k: &str| ctx.deps.get(k).cloned();
        let reg = |p: &str| {
            Some(Dep {
                package: p.into(),
                registry: true,
            })
        };
        assert_eq!(dep("serde"), reg("serde"));
        assert_eq!(dep("fast"), reg("fast_float"));
        assert_eq!(dep("json"), reg("serde_json"));
        assert_eq!(dep("proptest"), reg("proptest"));
        assert_eq!(dep("cc"), reg("cc"));
        assert_eq!(dep("winapi"), reg("winapi"));
        assert!(dep("shared_util").is_some_and(|d| !d.registry));
        assert!(dep("local").is_some_and(|d| !d.registry));
        assert!(ctx.own.contains("my_app"));
        assert!(ctx.locked.contains("fast_float") && !ctx.locked.contains("shared_util"));
        assert!(ctx.modules.contains("util") && ctx.modules.contains("main"));
        assert!(ctx.modules.contains("stdalloc"));
        // A file no target reaches is judged without the manifest.
        assert!(
            context_for(&root.join("app/fixtures/x.rs"))
                .manifest
                .is_none()
        );
        assert!(context_for(&root.join("x.rs")).manifest.is_none());
    }
}
