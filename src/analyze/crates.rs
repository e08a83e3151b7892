//! Crate checks for generated Rust (RS-S001 to RS-S004): every crate a file names (the
//! lowering lists them in `Module::imports`: `use` heads, `extern crate`, `a::b` paths
//! whose head the file does not bind) must be declared in the package's `Cargo.toml`
//! and be a crate that exists.
//!
//! vouch knows crates from `data/rust/crates.tsv` (the crates Debian packages or cargo
//! resolved, with a popularity score; see data/README.md), which is far from all of
//! crates.io. So "unknown" is only damning together with something else:
//! - named in code, declared nowhere, unknown: it does not compile and nobody vouches for
//!   the name: a hallucination (S001, error);
//! - on the list of crates removed as malicious, or unknown and one edit from a popular
//!   crate: a typosquat (S002, error), declared or not;
//! - known but not declared: it does not compile (S003, warning: the fix is one line of
//!   Cargo.toml, if the crate is the one meant);
//! - declared from crates.io but unknown: possibly hallucinated (S004, warning), since a
//!   real but rarely packaged crate looks the same to us.
//!
//! Local modules, the package's own library, std/core/alloc/proc_macro/test and
//! path/git dependencies are never judged.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use super::cargo_toml::{self, CargoContext, normalise};
use super::sinks::RuleIndex;
use crate::finding::Finding;
use crate::ir::{Import, Language, Module};

pub const HALLUCINATED: &str = "RS-S001";
pub const TYPOSQUAT: &str = "RS-S002";
pub const UNDECLARED: &str = "RS-S003";
pub const UNKNOWN_DEPENDENCY: &str = "RS-S004";

static CRATES: &str = include_str!("../../data/rust/crates.tsv");
static MALICIOUS: &str = include_str!("../../data/rust/malicious.tsv");

/// Crates at least this many Debian Rust packages depend on are "popular": the targets a
/// typosquat imitates.
const POPULAR_SCORE: u32 = 5;

struct Data {
    /// Normalised name to score.
    known: HashMap<&'static str, u32>,
    /// Popular crates, most depended on first.
    popular: Vec<(&'static str, u32)>,
    /// Normalised name to (imitated crate or "-", report).
    malicious: HashMap<String, (&'static str, &'static str)>,
}

static DATA: LazyLock<Data> = LazyLock::new(|| {
    let known: HashMap<&'static str, u32> = CRATES
        .lines()
        .filter_map(|l| {
            let (name, score) = l.split_once('\t')?;
            Some((name, score.trim().parse().unwrap_or(0)))
        })
        .collect();
    let mut popular: Vec<(&'static str, u32)> = known
        .iter()
        .filter(|(_, s)| **s >= POPULAR_SCORE)
        .map(|(n, s)| (*n, *s))
        .collect();
    popular.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let malicious = MALICIOUS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let name = cols.next()?;
            let imitated = cols.next().unwrap_or("-");
            let source = cols.next().unwrap_or("");
            Some((normalise(name), (imitated, source)))
        })
        .collect();
    Data {
        known,
        popular,
        malicious,
    }
});

/// The crate's score when vouch knows it (normalised name).
pub fn known(name: &str) -> Option<u32> {
    DATA.known.get(name).copied()
}

/// A popular crate that `name` (normalised, unknown) is one edit away from. Separators do
/// not count (`serdejson`), a digit added at the end does (`serde_json5` is a real crate
/// of its own, not a misspelling), and names under five letters are left alone: short
/// names sit one edit from some popular short name by chance.
pub fn imitated(name: &str) -> Option<&'static str> {
    let squash = |s: &str| s.replace('_', "");
    let squashed = squash(name);
    if squashed.len() < 5 || known(name).is_some() {
        return None;
    }
    DATA.popular
        .iter()
        .filter(|(p, _)| *p != name)
        .filter(|(p, _)| {
            let sp = squash(p);
            if sp == squashed {
                return true;
            }
            let appended_digit = squashed
                .strip_prefix(sp.as_str())
                .is_some_and(|rest| rest.len() == 1 && rest.chars().all(|c| c.is_ascii_digit()));
            !appended_digit
                && sp.len().abs_diff(squashed.len()) <= 1
                && strsim::osa_distance(&sp, &squashed) == 1
        })
        .map(|(p, _)| *p)
        .next()
}

/// Popular crates close to `name`, most depended on first.
fn nearest(name: &str, limit: usize) -> Vec<&'static str> {
    let max = if name.len() <= 4 { 1 } else { 2 };
    let mut found: Vec<(usize, u32, &'static str)> = DATA
        .popular
        .iter()
        .filter_map(|(p, s)| {
            let d = strsim::osa_distance(p, name);
            (d <= max && *p != name).then_some((d, u32::MAX - *s, *p))
        })
        .collect();
    found.sort();
    found.into_iter().take(limit).map(|(_, _, p)| p).collect()
}

struct Verdict {
    rule: &'static str,
    message: String,
    help: Option<String>,
}

fn malicious_verdict(shown: &str, name: &str) -> Option<Verdict> {
    let (imitated, source) = DATA.malicious.get(name)?;
    let instead = if *imitated == "-" {
        String::new()
    } else {
        format!("Use `{imitated}` if that was meant. ")
    };
    Some(Verdict {
        rule: TYPOSQUAT,
        message: format!(
            "`{shown}` is a crate removed from crates.io for shipping malicious code{}",
            if *imitated == "-" {
                String::new()
            } else {
                format!(" (it imitated `{imitated}`)")
            }
        ),
        help: Some(format!(
            "{instead}Reported in {source}. If a machine ever built with it, treat that machine's secrets as stolen."
        )),
    })
}

fn typosquat_verdict(shown: &str, popular: &str, declared: bool) -> Verdict {
    let what = if declared {
        "declared in Cargo.toml"
    } else {
        "named here"
    };
    Verdict {
        rule: TYPOSQUAT,
        message: format!(
            "`{shown}`: possible typosquat of the popular crate `{popular}` ({what}, one edit away, and not a crate vouch knows)"
        ),
        help: Some(format!(
            "If you meant `{popular}`, use that name in the code and in Cargo.toml; otherwise check `{shown}` on crates.io (owner, age, downloads, source) before building with it: a build script runs on every build."
        )),
    }
}

/// A dependency whose library is probably `name` under another package name: a crate
/// may name its library anything (`hegeltest` builds `hegel`), and only its own manifest
/// says so. A declared package that starts or ends with an unknown name stands for it.
fn library_of<'c>(name: &str, ctx: &'c CargoContext) -> Option<&'c cargo_toml::Dep> {
    if name.len() < 3 {
        return None;
    }
    ctx.deps
        .iter()
        .filter(|(key, dep)| {
            [key.as_str(), dep.package.as_str()]
                .iter()
                .any(|k| k.len() > name.len() && (k.starts_with(name) || k.ends_with(name)))
        })
        .map(|(_, dep)| dep)
        .min_by(|a, b| a.package.cmp(&b.package))
}

fn judge(imp: &Import, ctx: &CargoContext) -> Option<Verdict> {
    let shown = imp.top_level.as_str();
    let name = normalise(shown);
    if ctx.own.contains(&name) || ctx.modules.contains(shown) {
        return None;
    }
    let dep = ctx.deps.get(&name).or_else(|| {
        // A known crate has its own name: `serde` is not `serde_json`'s library.
        known(&name)
            .is_none()
            .then(|| library_of(&name, ctx))
            .flatten()
    });
    if let Some(dep) = dep {
        if !dep.registry {
            return None;
        }
        let package = dep.package.as_str();
        if let Some(v) = malicious_verdict(shown, package) {
            return Some(v);
        }
        if known(package).is_some() {
            return None;
        }
        if let Some(p) = imitated(package) {
            return Some(typosquat_verdict(package, p, true));
        }
        if ctx.locked.contains(package) {
            return None;
        }
        return Some(Verdict {
            rule: UNKNOWN_DEPENDENCY,
            message: if package == name {
                format!(
                    "`{shown}` is declared in Cargo.toml, but it is not a crate vouch knows (possibly hallucinated)"
                )
            } else {
                format!(
                    "`{shown}` is declared in Cargo.toml as the crate `{package}`, which vouch does not know (possibly hallucinated)"
                )
            },
            help: None,
        });
    }
    if let Some(v) = malicious_verdict(shown, &name) {
        return Some(v);
    }
    let manifest = ctx.manifest.as_ref().map(|m| {
        m.parent()
            .and_then(|d| d.file_name())
            .map(|d| format!("{}/Cargo.toml", d.to_string_lossy()))
            .unwrap_or_else(|| "Cargo.toml".into())
    });
    if known(&name).is_some() {
        let manifest = manifest?;
        return Some(Verdict {
            rule: UNDECLARED,
            message: format!(
                "the crate `{shown}` is not declared in {manifest}: this does not compile"
            ),
            help: Some(format!(
                "Add `{shown}` to `[dependencies]` (or `[dev-dependencies]` for test code) after checking it is the crate you mean, or use what the project already depends on."
            )),
        });
    }
    // Compiler-internal crates (`#![feature(rustc_private)]`) come with the toolchain.
    if name.starts_with("rustc_") {
        return None;
    }
    if let Some(p) = imitated(&name) {
        return Some(typosquat_verdict(shown, p, false));
    }
    let near = nearest(&name, 3);
    let help = if near.is_empty() {
        "Check what the code needs and use a crate that exists (or write the code); never `cargo add` a name an assistant made up: attackers register such names.".to_string()
    } else {
        format!(
            "Nearest well-known crates: {}. Never `cargo add` a name an assistant made up: attackers register such names.",
            near.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let where_ = match &manifest {
        Some(m) => format!("not declared in {m}"),
        None => "no Cargo.toml declares it".to_string(),
    };
    Some(Verdict {
        rule: HALLUCINATED,
        message: format!(
            "`{shown}`: {where_} and vouch knows no such crate, std module or local module (likely hallucinated)"
        ),
        help: Some(help),
    })
}

/// The crate findings of one Rust module: one per crate and rule, at its first mention.
pub fn check(module: &Module, index: &RuleIndex) -> Vec<Finding> {
    let rules = [HALLUCINATED, TYPOSQUAT, UNDECLARED, UNKNOWN_DEPENDENCY];
    if module.language != Language::Rust
        || module.imports.is_empty()
        || rules.iter().all(|r| index.by_id(r).is_none())
    {
        return Vec::new();
    }
    let ctx = cargo_toml::context_for(Path::new(&module.path));
    // A file that links compiler-internal crates (`#![feature(rustc_private)]`) takes
    // other crates from the toolchain too (`extern crate thin_vec;` beside
    // `extern crate rustc_ast;`): nothing it names needs declaring.
    let sysroot = module
        .imports
        .iter()
        .any(|i| i.top_level.starts_with("rustc_") && known(&normalise(&i.top_level)).is_none());
    let mut reported: HashSet<(String, &'static str)> = HashSet::new();
    let mut out = Vec::new();
    for imp in &module.imports {
        let Some(v) = judge(imp, &ctx) else {
            continue;
        };
        // A head that may be a name from a glob or a macro is judged only when the name
        // itself is the danger.
        if (sysroot || imp.conditional) && matches!(v.rule, HALLUCINATED | UNDECLARED) {
            continue;
        }
        if !reported.insert((imp.top_level.clone(), v.rule)) {
            continue;
        }
        let Some(rule) = index.by_id(v.rule) else {
            continue;
        };
        out.push(Finding {
            help: v.help.unwrap_or_else(|| rule.help.clone()),
            ..super::module_finding(module, rule, imp.span, v.message)
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_loads() {
        assert!(DATA.known.len() > 2000, "{}", DATA.known.len());
        assert!(known("serde_json").is_some() && known("tokio").is_some());
        assert!(known("rustdecimal").is_none());
        assert!(DATA.popular.len() > 100);
        assert!(DATA.malicious.contains_key("rustdecimal"));
        // No crate is both vetted and removed as malicious.
        for name in DATA.malicious.keys() {
            assert!(known(name).is_none(), "{name}");
        }
    }

    #[test]
    fn typosquats_are_one_edit_from_a_popular_crate() {
        assert_eq!(imitated("serde_jsno"), Some("serde_json"));
        assert_eq!(imitated("serdejson"), Some("serde_json"));
        assert_eq!(imitated("tokoi"), Some("tokio"));
        assert_eq!(imitated("serde_json5"), None);
        assert_eq!(imitated("serde_json"), None);
        assert_eq!(imitated("csv_report_wizard"), None);
        assert_eq!(imitated("rnad"), None);
    }

    fn import(name: &str) -> Import {
        Import {
            qualname: name.into(),
            alias: String::new(),
            span: crate::ir::Span::default(),
            star: false,
            top_level: name.into(),
            level: 0,
            conditional: false,
        }
    }

    #[test]
    fn verdicts_with_and_without_a_manifest() {
        let rule = |name: &str, ctx: &CargoContext| judge(&import(name), ctx).map(|v| v.rule);
        let loose = CargoContext::default();
        assert_eq!(rule("serde_json", &loose), None);
        assert_eq!(rule("json_schema_wizard_pro", &loose), Some(HALLUCINATED));
        assert_eq!(rule("rustdecimal", &loose), Some(TYPOSQUAT));
        assert_eq!(rule("rustc_middle", &loose), None);
        let mut ctx = CargoContext {
            manifest: Some("app/Cargo.toml".into()),
            ..CargoContext::default()
        };
        let reg = |p: &str| cargo_toml::Dep {
            package: p.into(),
            registry: true,
        };
        ctx.deps.insert("json".into(), reg("serde_json"));
        ctx.deps.insert("magic_csv".into(), reg("magic-csv"));
        ctx.deps.insert("serde_jsno".into(), reg("serde_jsno"));
        ctx.deps.insert(
            "internal".into(),
            cargo_toml::Dep {
                package: "internal".into(),
                registry: false,
            },
        );
        ctx.modules.insert("tokio_helpers".into());
        assert_eq!(rule("json", &ctx), None);
        assert_eq!(rule("internal", &ctx), None);
        assert_eq!(rule("tokio_helpers", &ctx), None);
        assert_eq!(rule("magic_csv", &ctx), Some(UNKNOWN_DEPENDENCY));
        assert_eq!(rule("serde_jsno", &ctx), Some(TYPOSQUAT));
        assert_eq!(rule("regex", &ctx), Some(UNDECLARED));
        assert_eq!(rule("quantum_csv_magic", &ctx), Some(HALLUCINATED));
    }
}
