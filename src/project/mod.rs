//! The project stage: the lowered modules of a run seen together.
//!
//! Between lowering and analysis, the run's files become one [`Project`]: each module gets
//! its dotted name (from the `__init__.py` chain above it, so flat, `src/` and package
//! layouts all work), an index from dotted names to modules, and name resolution across
//! them (`from .helpers import clean` then `clean(x)` is `pkg.helpers.clean`, followed
//! through `__init__` re-exports). `callgraph` builds the call graph this resolution gives
//! and orders it bottom-up, which is what lets summaries cross files deterministically.
//! Nothing here reads a syntax tree: only the IR.

pub mod callgraph;
pub mod rust;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ir::{ClassId, FuncId, Module};

/// Re-exports followed when resolving a name (`a/__init__.py` importing from `a.b`...).
const MAX_REEXPORTS: usize = 8;

/// A definition a dotted name resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Def {
    Function(usize, FuncId),
    Class(usize, ClassId),
}

/// The modules of a run, in the order given (the driver sorts them by path).
pub struct Project {
    /// Shared, so an editor session can keep lowered modules between analyses.
    pub modules: Vec<Arc<Module>>,
    /// Dotted name of each module (`pkg.sub.mod`; a package's `__init__` is `pkg.sub`).
    pub names: Vec<String>,
    /// The directory the dotted name starts from (the first ancestor without `__init__.py`).
    roots: Vec<PathBuf>,
    by_name: HashMap<String, Vec<usize>>,
    /// Rust modules by crate and module path (`net::http`).
    rust: rust::RustIndex,
}

impl Project {
    /// Names every module. A directory is a package when it has an `__init__.py`, either
    /// among the run's files or on disk (a single file checked from an editor still knows
    /// its package).
    pub fn new(modules: Vec<Module>) -> Project {
        Project::from_shared(modules.into_iter().map(Arc::new).collect())
    }

    /// As [`Project::new`], for modules already shared.
    pub fn from_shared(modules: Vec<Arc<Module>>) -> Project {
        let in_run: HashSet<PathBuf> = modules.iter().map(|m| PathBuf::from(&m.path)).collect();
        let mut known: HashMap<PathBuf, bool> = HashMap::new();
        let mut is_package = |dir: &Path| -> bool {
            if dir.as_os_str().is_empty() {
                return false;
            }
            *known.entry(dir.to_path_buf()).or_insert_with(|| {
                let init = dir.join("__init__.py");
                in_run.contains(&init) || init.is_file()
            })
        };
        let mut names = Vec::with_capacity(modules.len());
        let mut roots = Vec::with_capacity(modules.len());
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in modules.iter().enumerate() {
            let (name, root) = dotted_name(Path::new(&m.path), &mut is_package);
            // Only Python modules are imported by dotted name (a `main.rs` beside a
            // `main.py` must not make `import main` ambiguous).
            if m.language == crate::ir::Language::Python {
                by_name.entry(name.clone()).or_default().push(i);
            }
            names.push(name);
            roots.push(root);
        }
        let rust = rust::RustIndex::new(&modules);
        Project {
            modules,
            names,
            roots,
            by_name,
            rust,
        }
    }

    /// The module a dotted name means, seen from module `from`: the only one by that
    /// name, or among several (two scripts' folders each with a `utils.py`) the one under
    /// the same root as `from`, as Python would find it running from there.
    pub fn module(&self, from: usize, name: &str) -> Option<usize> {
        let found = self.module_uncounted(from, name)?;
        if found != from {
            note_module(found);
        }
        Some(found)
    }

    fn module_uncounted(&self, from: usize, name: &str) -> Option<usize> {
        match self.by_name.get(name)?.as_slice() {
            [one] => Some(*one),
            many => {
                let root = self.roots.get(from)?;
                let mut same = many.iter().filter(|m| self.roots.get(**m) == Some(root));
                match (same.next(), same.next()) {
                    (Some(m), None) => Some(*m),
                    _ => None,
                }
            }
        }
    }

    /// What a qualified name as lowering wrote it (`pkg.mod.func`, `..helpers.clean`,
    /// `pkg.Thing.method`) defines in the project, seen from module `from`.
    pub fn resolve(&self, from: usize, qualname: &str) -> Option<Def> {
        if self
            .modules
            .get(from)
            .is_some_and(|m| m.language == crate::ir::Language::Rust)
        {
            let (m, f) = self.rust.resolve(&self.modules, from, qualname)?;
            return Some(Def::Function(m, f));
        }
        self.resolve_depth(from, qualname, 0)
    }

    fn resolve_depth(&self, from: usize, qualname: &str, depth: usize) -> Option<Def> {
        if depth > MAX_REEXPORTS {
            return None;
        }
        let absolute = self.absolute(from, qualname)?;
        let parts: Vec<&str> = absolute.split('.').collect();
        // The longest prefix that names a module; the rest is defined inside it.
        for cut in (1..parts.len()).rev() {
            let Some(m) = self.module(from, &parts[..cut].join(".")) else {
                continue;
            };
            return self.resolve_in(m, &parts[cut..], depth);
        }
        None
    }

    /// `rest` (a name, or a class and a method) looked up among module `m`'s top-level
    /// definitions, then among the names it imports (a re-export).
    fn resolve_in(&self, m: usize, rest: &[&str], depth: usize) -> Option<Def> {
        let module = self.modules.get(m)?;
        let (first, tail) = rest.split_first()?;
        if let Some(f) = top_level_function(module, first) {
            return tail.is_empty().then_some(Def::Function(m, f));
        }
        if let Some(c) = top_level_class(module, first) {
            return match tail {
                [] => Some(Def::Class(m, c)),
                [method] => method_of(module, c, method).map(|f| Def::Function(m, f)),
                _ => None,
            };
        }
        let import = module
            .imports
            .iter()
            .rfind(|i| !i.star && i.alias == *first)?;
        let mut target = import.qualname.clone();
        for t in tail {
            target.push('.');
            target.push_str(t);
        }
        self.resolve_depth(m, &target, depth + 1)
    }

    /// A relative name (`..helpers.clean`) made absolute against module `from`'s package.
    fn absolute(&self, from: usize, qualname: &str) -> Option<String> {
        let dots = qualname.bytes().take_while(|b| *b == b'.').count();
        if dots == 0 {
            return Some(qualname.to_string());
        }
        let me = self.names.get(from)?;
        let is_init = self.modules.get(from).is_some_and(|m| {
            Path::new(&m.path)
                .file_stem()
                .is_some_and(|s| s == "__init__")
        });
        let mut package: Vec<&str> = me.split('.').collect();
        if !is_init {
            package.pop();
        }
        for _ in 1..dots {
            package.pop()?;
        }
        let rest = &qualname[dots..];
        let mut out = package.join(".");
        if !rest.is_empty() {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(rest);
        }
        (!out.is_empty()).then_some(out)
    }

    /// The class definitions a class's bases name within the project, in order.
    pub fn bases_of(&self, m: usize, c: ClassId) -> Vec<(usize, ClassId)> {
        let Some(class) = self.modules.get(m).and_then(|md| md.classes.get(c)) else {
            return Vec::new();
        };
        let module = &self.modules[m];
        class
            .bases
            .iter()
            .filter_map(|b| match &b.kind {
                crate::ir::ExprKind::ModuleVar(n) | crate::ir::ExprKind::Local(n) => {
                    top_level_class(module, n).map(|c| (m, c))
                }
                _ => match self.resolve(m, &b.qualified_name()?)? {
                    Def::Class(bm, bc) => Some((bm, bc)),
                    Def::Function(..) => None,
                },
            })
            .collect()
    }

    /// A method by name on a class of the project or, failing that, on its bases within
    /// the project (depth-first, left to right, as far as single inheritance goes).
    pub fn method(&self, m: usize, c: ClassId, name: &str) -> Option<(usize, FuncId)> {
        let mut seen = HashSet::new();
        let mut stack = vec![(m, c)];
        while let Some((m, c)) = stack.pop() {
            if !seen.insert((m, c)) || seen.len() > 32 {
                continue;
            }
            let module = self.modules.get(m)?;
            if let Some(f) = method_of(module, c, name) {
                return Some((m, f));
            }
            stack.extend(self.bases_of(m, c).into_iter().rev());
        }
        None
    }
}

/// What a piece of work looked at outside its own module: the modules it looked up by
/// name (whatever it found in them) and the function summaries it asked for. A module's
/// results depend on exactly these, so the cache keys on them, and an incremental run
/// lowers the modules they name.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub modules: Vec<usize>,
    pub summaries: Vec<callgraph::Node>,
}

thread_local! {
    static TRACE: RefCell<Option<Trace>> = const { RefCell::new(None) };
}

/// Runs `f` and returns what it looked at (see [`Trace`]), on this thread. Traces nest:
/// an outer trace also gets what an inner one saw.
pub fn traced<R>(f: impl FnOnce() -> R) -> (R, Trace) {
    let outer = TRACE.with(|t| t.borrow_mut().replace(Trace::default()));
    let r = f();
    let mut mine = TRACE.with(|t| t.borrow_mut().take()).unwrap_or_default();
    mine.modules.sort_unstable();
    mine.modules.dedup();
    mine.summaries.sort_unstable();
    mine.summaries.dedup();
    if let Some(mut outer) = outer {
        outer.modules.extend(mine.modules.iter().copied());
        outer.summaries.extend(mine.summaries.iter().copied());
        TRACE.with(|t| *t.borrow_mut() = Some(outer));
    }
    (r, mine)
}

/// Records that the work being traced looked up another module.
pub fn note_module(m: usize) {
    TRACE.with(|t| {
        if let Some(t) = t.borrow_mut().as_mut() {
            t.modules.push(m);
        }
    });
}

/// Records that the work being traced asked for a function's summary.
pub fn note_summary(node: callgraph::Node) {
    TRACE.with(|t| {
        if let Some(t) = t.borrow_mut().as_mut() {
            t.summaries.push(node);
        }
    });
}

/// A module's dotted name and the directory it is relative to.
fn dotted_name(path: &Path, is_package: &mut dyn FnMut(&Path) -> bool) -> (String, PathBuf) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    if stem != "__init__" {
        parts.push(stem);
    }
    let mut dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    while is_package(&dir) {
        let Some(name) = dir.file_name() else { break };
        parts.push(name.to_string_lossy().into_owned());
        dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    parts.reverse();
    (parts.join("."), dir)
}

/// A function defined at the top level of a module, when exactly one `def` binds the
/// name (a name defined twice depends on which branch ran).
pub fn top_level_function(module: &Module, name: &str) -> Option<FuncId> {
    let mut found = module
        .functions
        .iter()
        .enumerate()
        .filter(|(i, f)| *i != 0 && f.parent == Some(0) && f.class.is_none() && f.name == name);
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// A class defined at the top level of a module, when exactly one binds the name.
pub fn top_level_class(module: &Module, name: &str) -> Option<ClassId> {
    let mut found = module
        .classes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.qualname == name);
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// A method defined in the class body itself (the last `def` of that name wins, as in
/// Python).
pub fn method_of(module: &Module, c: ClassId, name: &str) -> Option<FuncId> {
    let class = module.classes.get(c)?;
    class
        .methods
        .iter()
        .copied()
        .rfind(|id| module.functions.get(*id).is_some_and(|f| f.name == name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn project(files: &[(&str, &str)]) -> Project {
        let modules = files
            .iter()
            .map(|(p, src)| crate::lower::python::lower(p, Arc::from(*src)))
            .collect();
        Project::new(modules)
    }

    #[test]
    fn names_follow_init_files() {
        let p = project(&[
            (
                "/nonexistent/app/pkg/__init__.py",
                "from .helpers import clean\n",
            ),
            (
                "/nonexistent/app/pkg/helpers.py",
                "def clean(x):\n    return x\n",
            ),
            ("/nonexistent/app/main.py", "import pkg\n"),
        ]);
        assert_eq!(p.names, ["pkg", "pkg.helpers", "main"]);
    }

    #[test]
    fn resolves_relative_imports_reexports_and_methods() {
        let p = project(&[
            (
                "/nonexistent/app/pkg/__init__.py",
                "from .helpers import clean\n",
            ),
            (
                "/nonexistent/app/pkg/helpers.py",
                "def clean(x):\n    return x\nclass Thing:\n    def run(self):\n        pass\n",
            ),
            ("/nonexistent/app/pkg/sub/__init__.py", ""),
            (
                "/nonexistent/app/pkg/sub/deep.py",
                "from ..helpers import clean\n",
            ),
            ("/nonexistent/app/main.py", "import pkg\n"),
        ]);
        let clean = p.resolve(4, "pkg.clean");
        assert!(matches!(clean, Some(Def::Function(1, _))), "{clean:?}");
        assert_eq!(p.resolve(3, "..helpers.clean"), clean);
        assert_eq!(p.resolve(0, ".helpers.clean"), clean);
        assert!(matches!(
            p.resolve(4, "pkg.helpers.Thing"),
            Some(Def::Class(1, 0))
        ));
        assert!(matches!(
            p.resolve(4, "pkg.helpers.Thing.run"),
            Some(Def::Function(1, _))
        ));
        assert_eq!(p.resolve(4, "pkg.helpers.missing"), None);
        assert_eq!(p.resolve(4, "os.path.join"), None);
    }

    #[test]
    fn same_named_modules_resolve_next_to_the_importer() {
        let p = project(&[
            ("/nonexistent/a/utils.py", "def f():\n    return 1\n"),
            ("/nonexistent/a/main.py", "from utils import f\n"),
            ("/nonexistent/b/utils.py", "def f():\n    return 2\n"),
            ("/nonexistent/b/main.py", "from utils import f\n"),
        ]);
        assert!(matches!(p.resolve(1, "utils.f"), Some(Def::Function(0, _))));
        assert!(matches!(p.resolve(3, "utils.f"), Some(Def::Function(2, _))));
    }

    #[test]
    fn methods_are_found_on_bases_in_the_project() {
        let p = project(&[
            (
                "/nonexistent/base.py",
                "class Base:\n    def helper(self, x):\n        return x\n",
            ),
            (
                "/nonexistent/child.py",
                "from base import Base\nclass Child(Base):\n    def run(self):\n        pass\n",
            ),
        ]);
        let found = p.method(1, 0, "helper");
        assert!(matches!(found, Some((0, _))), "{found:?}");
        assert!(p.method(1, 0, "nothing").is_none());
    }
}
