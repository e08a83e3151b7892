//! The package data shipped inside the binary (`data/python/`, provenance in
//! `data/README.md`): every PyPI project name with a coarse class, the most downloaded
//! projects with their ranks, the import-name to distribution table, and known malicious
//! uploads. Nothing here reads the file system: the data is the same on every machine.

use std::collections::HashMap;
use std::sync::LazyLock;

static NAMES_Z: &[u8] = include_bytes!("../../data/python/pypi_names.z");
static TOP: &str = include_str!("../../data/python/pypi_top.tsv");
static IMPORT_NAMES: &str = include_str!("../../data/python/import_names.tsv");
static MALICIOUS: &str = include_str!("../../data/python/malicious.tsv");

/// What the index says about a project besides its existence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Ordinary,
    /// Unranked, latest upload in the list's last two years, version below 1.0.
    Young,
    /// A placeholder, squat, dependency-confusion guard or research upload.
    Holder,
}

/// PEP 503 normalisation: lower case, runs of `-`, `_` and `.` become one `-`.
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// All names, concatenated in sorted order, with where each starts and its class.
struct Names {
    text: String,
    starts: Vec<u32>,
    classes: Vec<Class>,
}

impl Names {
    fn name(&self, i: usize) -> &str {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |e| *e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    fn find(&self, name: &str) -> Option<Class> {
        let (mut lo, mut hi) = (0usize, self.starts.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.name(mid).as_bytes().cmp(name.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.classes[mid]),
            }
        }
        None
    }
}

/// Undoes the front coding of `scripts/data/refresh_packages.py`: each line is a
/// character for the shared prefix length (`'0' + n`), a class character, and the rest.
fn decode(z: &[u8]) -> Names {
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(z).unwrap_or_default();
    let mut names = Names {
        text: String::with_capacity(raw.len() * 2),
        starts: Vec::with_capacity(900_000),
        classes: Vec::with_capacity(900_000),
    };
    let mut prev: Vec<u8> = Vec::new();
    for line in raw.split(|b| *b == b'\n') {
        let [shared, class, rest @ ..] = line else {
            continue;
        };
        let shared = usize::from(shared.saturating_sub(b'0')).min(prev.len());
        prev.truncate(shared);
        prev.extend_from_slice(rest);
        let Ok(name) = std::str::from_utf8(&prev) else {
            continue;
        };
        let Ok(start) = u32::try_from(names.text.len()) else {
            break;
        };
        names.starts.push(start);
        names.text.push_str(name);
        names.classes.push(match class {
            b'h' => Class::Holder,
            b'y' => Class::Young,
            _ => Class::Ordinary,
        });
    }
    names
}

static NAMES: LazyLock<Names> = LazyLock::new(|| decode(NAMES_Z));

/// The class of a PyPI project (name already normalised), or `None` when the index has no
/// such project.
pub fn pypi(normalised: &str) -> Option<Class> {
    NAMES.find(normalised)
}

/// Whether the name data loaded (a build without it must not call everything unknown).
pub fn index_loaded() -> bool {
    NAMES.starts.len() > 100_000
}

struct Top {
    by_name: HashMap<&'static str, u32>,
    /// Most downloaded first.
    ranked: Vec<(&'static str, u32)>,
}

static TOP_TABLE: LazyLock<Top> = LazyLock::new(|| {
    let mut ranked: Vec<(&'static str, u32)> = TOP
        .lines()
        .filter_map(|l| {
            let (rank, name) = l.split_once('\t')?;
            Some((name, rank.parse().ok()?))
        })
        .collect();
    ranked.sort_by_key(|(n, r)| (*r, *n));
    Top {
        by_name: ranked.iter().copied().collect(),
        ranked,
    }
});

/// Download rank among the most downloaded projects (1 is the most downloaded).
pub fn rank(normalised: &str) -> Option<u32> {
    TOP_TABLE.by_name.get(normalised).copied()
}

/// The ranked projects, most downloaded first.
pub fn popular() -> &'static [(&'static str, u32)] {
    &TOP_TABLE.ranked
}

static IMPORTS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    IMPORT_NAMES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .collect()
});

/// The distribution that provides a module, from the import-name table: the longest
/// dotted prefix of `qualname` that the table names (`google.cloud.storage.blob` finds
/// `google.cloud.storage`). Returns the matched key and the distribution.
pub fn distribution_of(qualname: &str) -> Option<(&'static str, &'static str)> {
    let mut end = qualname.len();
    loop {
        let prefix = qualname.get(..end)?;
        if let Some((k, d)) = IMPORTS.get_key_value(prefix) {
            return Some((k, d));
        }
        end = prefix.rfind('.')?;
    }
}

/// Import names of the table (for suggestions), with their distributions.
pub fn import_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    IMPORTS.iter().map(|(k, v)| (*k, *v))
}

pub struct Malicious {
    pub imitated: &'static str,
    pub source: &'static str,
}

static MALICIOUS_TABLE: LazyLock<HashMap<&'static str, Malicious>> = LazyLock::new(|| {
    MALICIOUS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let name = cols.next()?;
            let imitated = cols.next()?;
            let source = cols.next().unwrap_or("");
            Some((name, Malicious { imitated, source }))
        })
        .collect()
});

/// A project removed from the index for shipping malicious code (normalised name).
pub fn malicious(normalised: &str) -> Option<&'static Malicious> {
    MALICIOUS_TABLE.get(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_pep_503() {
        assert_eq!(normalise("Flask_SQLAlchemy"), "flask-sqlalchemy");
        assert_eq!(normalise("ruamel.yaml"), "ruamel-yaml");
        assert_eq!(normalise("a-_.b"), "a-b");
        assert_eq!(normalise("zope.interface"), "zope-interface");
    }

    #[test]
    fn the_name_index_answers_for_real_and_made_up_names() {
        assert!(index_loaded());
        assert_eq!(pypi("requests"), Some(Class::Ordinary));
        assert_eq!(pypi("python-dateutil"), Some(Class::Ordinary));
        assert_eq!(pypi("this-package-does-not-exist-anywhere-4711"), None);
        assert_eq!(pypi("csv-stats-report-generator-xyz"), None);
        // First and last entries of the sorted list decode too.
        let first = NAMES.name(0).to_string();
        let last = NAMES.name(NAMES.starts.len() - 1).to_string();
        assert!(pypi(&first).is_some() && pypi(&last).is_some());
        assert!(first < last);
    }

    #[test]
    fn placeholder_uploads_are_holders() {
        let holders = NAMES
            .classes
            .iter()
            .filter(|c| **c == Class::Holder)
            .count();
        assert!(holders > 1000, "{holders}");
    }

    #[test]
    fn ranks_and_table() {
        assert!(rank("requests").is_some_and(|r| r < 50));
        assert!(rank("boto3").is_some());
        assert!(popular().len() > 10_000);
        assert_eq!(distribution_of("yaml"), Some(("yaml", "PyYAML")));
        assert_eq!(
            distribution_of("google.cloud.storage.blob"),
            Some(("google.cloud.storage", "google-cloud-storage"))
        );
        assert_eq!(
            distribution_of("sklearn.linear_model").map(|x| x.1),
            Some("scikit-learn")
        );
        assert_eq!(distribution_of("nosuchmodule"), None);
        assert!(malicious("colourama").is_some_and(|m| m.imitated == "colorama"));
    }

    #[test]
    fn every_table_distribution_is_a_pypi_project() {
        for (import, dist) in import_names() {
            assert!(pypi(&normalise(dist)).is_some(), "{import} -> {dist}");
        }
    }
}
