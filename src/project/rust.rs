//! Rust modules of a run as the crate sees them: `src/lib.rs` (or `main.rs`) is the crate
//! root, `src/net/http.rs` and `src/net/http/mod.rs` are `net::http`, so a call written
//! `net::http::parse(..)`, `crate::net::http::parse(..)` (the lowering drops `crate`) or
//! `super::parse(..)` finds the function in the other file, and its summary is used as a
//! Python module's is through `follow_extern`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::ir::{FuncId, Module};

/// The crate a file belongs to (the directory holding its `src`, or the file's own
/// directory when no `src` is above it) and its module path in that crate ("" for the
/// root).
pub fn module_path(path: &Path) -> (PathBuf, String) {
    let comps: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let (root, rel): (PathBuf, &[String]) = match comps.iter().rposition(|c| c == "src") {
        Some(i) => (comps[..i].iter().collect(), &comps[i + 1..]),
        None => (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            comps.get(comps.len().saturating_sub(1)..).unwrap_or(&[]),
        ),
    };
    let mut parts: Vec<&str> = rel.iter().map(String::as_str).collect();
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(last);
        let root_file = parts.is_empty() && matches!(stem, "lib" | "main");
        if stem != "mod" && !root_file {
            parts.push(stem);
        }
    }
    (root, parts.join("::"))
}

/// The modules of the run by crate and module path.
#[derive(Default)]
pub struct RustIndex {
    of: Vec<Option<(PathBuf, String)>>,
    by_path: HashMap<(PathBuf, String), Vec<usize>>,
}

impl RustIndex {
    pub fn new(modules: &[std::sync::Arc<Module>]) -> RustIndex {
        let mut index = RustIndex::default();
        for (i, m) in modules.iter().enumerate() {
            if m.language != crate::ir::Language::Rust {
                index.of.push(None);
                continue;
            }
            let key = module_path(Path::new(&m.path));
            index.by_path.entry(key.clone()).or_default().push(i);
            index.of.push(Some(key));
        }
        index
    }

    /// The function a path written in module `from` (`parse`, `net::parse`,
    /// `super::util::parse`, `Type::new`) names in another file of the same crate: the
    /// longest prefix that is a module of the run, then a function of it. Paths are tried
    /// relative to `from` (a child module), then from the crate root.
    pub fn resolve(
        &self,
        modules: &[std::sync::Arc<Module>],
        from: usize,
        qualname: &str,
    ) -> Option<(usize, FuncId)> {
        let (root, me) = self.of.get(from)?.as_ref()?;
        let mut parts: Vec<&str> = qualname.split("::").collect();
        let mut base: Vec<&str> = me.split("::").filter(|s| !s.is_empty()).collect();
        let mut relative = false;
        while parts.first() == Some(&"super") {
            base.pop()?;
            parts.remove(0);
            relative = true;
        }
        let mut candidates = vec![[base.clone(), parts.clone()].concat()];
        if !relative && !base.is_empty() {
            candidates.push(parts.clone());
        }
        for full in candidates {
            for cut in (0..full.len()).rev() {
                let key = (root.clone(), full[..cut].join("::"));
                let Some([m]) = self.by_path.get(&key).map(Vec::as_slice) else {
                    continue;
                };
                if *m == from {
                    continue;
                }
                super::note_module(*m);
                let rest = full[cut..].join("::");
                return function_named(modules.get(*m)?, &rest).map(|f| (*m, f));
            }
        }
        None
    }
}

/// A function of a Rust module by the path inside it (`parse`, `inner::parse`,
/// `Type::new`), when exactly one has it.
fn function_named(module: &Module, rest: &str) -> Option<FuncId> {
    let mut found = module
        .functions
        .iter()
        .enumerate()
        .filter(|(i, f)| *i != 0 && f.parent == Some(0) && f.qualname == rest);
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn files_name_their_crate_modules() {
        let p = |s: &str| module_path(Path::new(s)).1;
        assert_eq!(p("/x/app/src/lib.rs"), "");
        assert_eq!(p("/x/app/src/main.rs"), "");
        assert_eq!(p("/x/app/src/net/http.rs"), "net::http");
        assert_eq!(p("/x/app/src/net/mod.rs"), "net");
        assert_eq!(p("/x/app/src/bin/tool.rs"), "bin::tool");
        assert_eq!(
            module_path(Path::new("/x/app/src/a.rs")).0,
            PathBuf::from("/x/app")
        );
    }

    #[test]
    fn calls_resolve_to_other_files_of_the_crate() {
        let lib = "mod util;\npub fn f(x: u32) -> u32 { util::half(x) + util::inner::g(x) }\n";
        let util = "pub fn half(x: u32) -> u32 { x / 2 }\npub mod inner { pub fn g(x: u32) -> u32 { super::half(x) } }\n";
        let modules = vec![
            Arc::new(crate::lower::rust::lower(
                "/x/app/src/lib.rs",
                Arc::from(lib),
            )),
            Arc::new(crate::lower::rust::lower(
                "/x/app/src/util.rs",
                Arc::from(util),
            )),
        ];
        let index = RustIndex::new(&modules);
        let half = index.resolve(&modules, 0, "util::half").map(|(m, _)| m);
        assert_eq!(half, Some(1));
        assert!(index.resolve(&modules, 0, "util::inner::g").is_some());
        // A call into the caller's own file is the lowering's to resolve, not the index's.
        assert_eq!(index.resolve(&modules, 1, "super::util::half"), None);
        assert!(index.resolve(&modules, 0, "serde::de::from_str").is_none());
    }
}
