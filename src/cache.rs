//! The result cache: what a run found in each file, kept for the next run.
//!
//! A store is one JSON file in the cache directory (`.vouch_cache/` beside the
//! configuration, else in the working directory), named after everything that changes
//! what any file reports: the tool's version and binary, the rules and options in force,
//! and the paths the run was asked to check. Inside, it holds the run's file list, a
//! fingerprint of the project context on disk (manifests and modules of every directory
//! above a file), and per file: its content hash, the files its report depends on (the
//! modules it looked up, transitively: a helper's change re-checks its callers) and its
//! report before the per-file filters. An entry is reused only when its file and every
//! file it depends on hash as they did; a different file list or context invalidates the
//! whole store (module names and imports may resolve differently).
//!
//! Writes go to a temporary file renamed over the store, so concurrent runs never see a
//! torn file: the last one to finish wins. A store that does not parse is ignored. At most
//! [`MAX_STORES`] stores are kept; the least recently written go first.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::finding::FileReport;

/// The cache directory's name.
pub const DIR_NAME: &str = ".vouch_cache";

/// Stores kept per cache directory (one per distinct set of checked paths and options).
pub const MAX_STORES: usize = 8;

/// Bumped whenever the layout of a store changes.
const FORMAT: u32 = 1;

/// A content hash, as hex.
pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_string()
}

/// Where one run's results are kept.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
    file: PathBuf,
}

/// What a store holds.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Stored {
    pub format: u32,
    /// The run's files, in the driver's order.
    pub paths: Vec<String>,
    /// Content hash of each file (empty when the file could not be read).
    pub hashes: Vec<String>,
    /// Fingerprint of the project context on disk.
    pub context: String,
    pub entries: Vec<Option<Entry>>,
}

/// One file's cached result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// Indices (into `paths`) of the files this report depends on.
    pub deps: Vec<u32>,
    pub report: FileReport,
}

impl Stored {
    /// A store for these files, with no entries yet.
    pub fn new(paths: Vec<String>, hashes: Vec<String>, context: String) -> Stored {
        let entries = vec![None; paths.len()];
        Stored {
            format: FORMAT,
            paths,
            hashes,
            context,
            entries,
        }
    }

    /// Whether entry `i` still holds, given the files' hashes now.
    pub fn valid(&self, i: usize, now: &[String]) -> bool {
        let same = |j: usize| matches!((self.hashes.get(j), now.get(j)), (Some(a), Some(b)) if !a.is_empty() && a == b);
        matches!(self.entries.get(i), Some(Some(e))
            if same(i) && e.deps.iter().all(|&d| same(d as usize)))
    }
}

impl Cache {
    /// The cache in `dir` for a run whose results depend on `key` (version, options, rules,
    /// the paths asked for).
    pub fn new(dir: &Path, key: &str) -> Cache {
        let name = format!("store-{}.json", hash(format!("{FORMAT}\n{key}").as_bytes()));
        Cache {
            dir: dir.to_path_buf(),
            file: dir.join(name),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The store, if there is a readable one of this format.
    pub fn load(&self) -> Option<Stored> {
        let bytes = std::fs::read(&self.file).ok()?;
        let stored: Stored = serde_json::from_slice(&bytes).ok()?;
        (stored.format == FORMAT && stored.paths.len() == stored.entries.len()).then_some(stored)
    }

    /// Writes the store atomically and drops the oldest stores beyond [`MAX_STORES`].
    /// Failing to write a cache is not an error of the run: the caller may ignore it.
    pub fn save(&self, stored: &Stored) -> std::io::Result<()> {
        prepare_dir(&self.dir)?;
        let text = serde_json::to_vec(stored).map_err(std::io::Error::other)?;
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let tmp = self
            .dir
            .join(format!(".tmp-{}-{nanos}", std::process::id()));
        std::fs::write(&tmp, text)?;
        if let Err(e) = std::fs::rename(&tmp, &self.file) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        prune(&self.dir, &self.file);
        Ok(())
    }
}

/// Creates the directory with a `.gitignore` that ignores it all and a CACHEDIR.TAG, so
/// neither git nor backup tools pick it up.
fn prepare_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        std::fs::write(gitignore, "# Created by vouch: the result cache.\n*\n")?;
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This file is a cache directory tag created by vouch.\n",
        )?;
    }
    Ok(())
}

/// Removes the oldest stores beyond the limit, and temporary files a killed run left.
fn prune(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut stores: Vec<(SystemTime, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let modified = e
            .metadata()
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH);
        if name.starts_with("store-") && name.ends_with(".json") {
            if e.path() != keep {
                stores.push((modified, e.path()));
            }
        } else if name.starts_with(".tmp-")
            && modified
                .elapsed()
                .is_ok_and(|age| age.as_secs() > 24 * 3600)
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
    stores.sort();
    // The store just written counts among those kept.
    let excess = (stores.len() + 1).saturating_sub(MAX_STORES);
    for (_, path) in stores.into_iter().take(excess) {
        let _ = std::fs::remove_file(path);
    }
}

/// Where the cache lives for a run: `VOUCH_CACHE_DIR` when set, else beside the
/// configuration file, else in the working directory.
pub fn location(config_file: Option<&Path>) -> PathBuf {
    if let Some(dir) = std::env::var_os("VOUCH_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    match config_file.and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(DIR_NAME),
        _ => PathBuf::from(DIR_NAME),
    }
}

/// Removes a cache directory; `Ok(false)` when there was none. Refuses a directory that
/// does not look like ours (no CACHEDIR.TAG written by vouch), so a mistyped
/// `VOUCH_CACHE_DIR` cannot delete anything else.
pub fn clean(dir: &Path) -> std::io::Result<bool> {
    if !dir.exists() {
        return Ok(false);
    }
    let tag = std::fs::read_to_string(dir.join("CACHEDIR.TAG")).unwrap_or_default();
    if !tag.contains("created by vouch") {
        return Err(std::io::Error::other(format!(
            "`{}` is not a vouch cache (no CACHEDIR.TAG of ours); not removed",
            dir.display()
        )));
    }
    std::fs::remove_dir_all(dir)?;
    Ok(true)
}

/// What identifies the program itself: its version and, so that a rebuilt binary of the
/// same version does not reuse another's results, its size and modification time.
pub fn program_stamp() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{modified}", m.len())
        })
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
}

/// Files beside Rust sources that change what a run reports.
const RUST_MANIFESTS: [&str; 3] = ["Cargo.toml", "Cargo.lock", "Cargo.toml.orig"];

/// The fingerprint of the project context of a run's files: every directory above each
/// file, as `manifests::fingerprint` sees it.
pub fn context_fingerprint(paths: &[String]) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut dirs: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    for p in paths {
        let abs = cwd.join(p);
        let Some(parent) = abs.parent() else { continue };
        for d in parent.ancestors().take(32) {
            if !dirs.insert(d.to_path_buf()) {
                // The rest of this chain is in already.
                break;
            }
        }
    }
    let mut text = String::new();
    for d in &dirs {
        text.push_str(&d.to_string_lossy());
        text.push('\n');
        text.push_str(&crate::analyze::manifests::fingerprint(d));
        // Rust's manifests decide the crate checks and overflow semantics.
        for name in RUST_MANIFESTS {
            if let Ok(meta) = std::fs::metadata(d.join(name)) {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                    .map_or(0, |t| t.as_nanos());
                text.push_str(&format!("|{name}:{}:{modified}", meta.len()));
            }
        }
        text.push('\n');
    }
    hash(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(hashes: &[&str], deps: &[Vec<u32>]) -> Stored {
        Stored {
            format: FORMAT,
            paths: hashes.iter().map(|h| format!("{h}.py")).collect(),
            hashes: hashes.iter().map(|h| h.to_string()).collect(),
            context: String::new(),
            entries: deps
                .iter()
                .map(|d| {
                    Some(Entry {
                        deps: d.clone(),
                        report: FileReport::default(),
                    })
                })
                .collect(),
        }
    }

    #[test]
    fn an_entry_holds_while_it_and_its_dependencies_are_unchanged() {
        let s = stored(&["a", "b", "c"], &[vec![1], vec![], vec![]]);
        let now: Vec<String> = ["a", "b", "c"].iter().map(|x| x.to_string()).collect();
        assert!((0..3).all(|i| s.valid(i, &now)));
        let b_changed: Vec<String> = ["a", "B", "c"].iter().map(|x| x.to_string()).collect();
        assert!(!s.valid(0, &b_changed), "a depends on b");
        assert!(!s.valid(1, &b_changed));
        assert!(s.valid(2, &b_changed));
        assert!(!s.valid(3, &now), "no such entry");
        let unreadable: Vec<String> = ["a", "", "c"].iter().map(|x| x.to_string()).collect();
        assert!(!s.valid(1, &unreadable));
    }

    #[test]
    fn saves_atomically_prunes_and_cleans() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join(DIR_NAME);
        let s = stored(&["a"], &[vec![]]);
        for i in 0..MAX_STORES + 3 {
            Cache::new(&dir, &format!("key {i}"))
                .save(&s)
                .expect("save");
        }
        let names: Vec<String> = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names.iter().filter(|n| n.starts_with("store-")).count(),
            MAX_STORES
        );
        assert!(names.iter().all(|n| !n.starts_with(".tmp-")));
        assert!(names.contains(&".gitignore".to_string()));
        let last = Cache::new(&dir, &format!("key {}", MAX_STORES + 2));
        assert_eq!(last.load().map(|s| s.paths), Some(vec!["a.py".to_string()]));
        std::fs::write(&last.file, b"{ torn").expect("write");
        assert!(last.load().is_none(), "a torn store is ignored");
        assert!(clean(&dir).expect("clean"));
        assert!(!dir.exists());
        assert!(!clean(&dir).expect("nothing to clean"));
        let other = tmp.path().join("not-ours");
        std::fs::create_dir_all(&other).expect("mkdir");
        assert!(
            clean(&other).is_err(),
            "never removes a directory it did not make"
        );
        assert!(other.exists());
    }
}
