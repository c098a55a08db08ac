//! The architecture's direction of use, checked on the sources: which top-level module may
//! use which (`cli -> tui -> agent -> ops -> {config, coolify, github, audit, secrets,
//! settings} -> model`, the simulator on the model at most), and no import circle among the
//! modules inside any module, at any depth (a module never uses, directly or through its
//! siblings, a sibling that uses it back). Test code may use anything and is not read.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each top-level module may use besides itself.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("http", &[]),
    ("secrets", &["model"]),
    ("settings", &["model", "secrets"]),
    ("audit", &["model", "secrets", "settings"]),
    // The platform configuration is pure: files in, desired state out.
    ("config", &["model"]),
    ("coolify", &["model", "http"]),
    ("github", &["model", "http"]),
    ("sim", &["model"]),
    (
        "ops",
        &[
            "model", "http", "coolify", "github", "config", "audit", "secrets", "settings",
        ],
    ),
    (
        "agent",
        &["model", "ops", "config", "audit", "secrets", "settings"],
    ),
    (
        "tui",
        &[
            "model", "ops", "agent", "config", "audit", "secrets", "settings",
        ],
    ),
    (
        "cli",
        &[
            "model", "ops", "agent", "tui", "sim", "config", "audit", "secrets", "settings",
        ],
    ),
];

/// One source file: its module path (`["ops", "deploy"]`) and its code without tests.
struct Source {
    module: Vec<String>,
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let test_only = test_only_modules(&files, &root);
    files
        .into_iter()
        .filter_map(|path| {
            let module = module_of(&root, &path);
            let test = module.iter().any(|m| m == "tests")
                || (1..=module.len()).any(|n| test_only.contains(&module[..n]));
            if test || module.is_empty() {
                return None;
            }
            let code = without_tests(&std::fs::read_to_string(&path).unwrap());
            Some(Source { module, code })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/ops/deploy.rs` -> `["ops", "deploy"]`; `src/sim/world/mod.rs` -> `["sim", "world"]`;
/// `src/lib.rs` and `src/main.rs` -> `[]`.
fn module_of(root: &Path, path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Modules declared `#[cfg(test)] mod name;`, as module paths.
fn test_only_modules(files: &[PathBuf], root: &Path) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for path in files {
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            if pair[0] == "#[cfg(test)]"
                && let Some(name) = pair[1]
                    .strip_prefix("mod ")
                    .or_else(|| pair[1].strip_prefix("pub mod "))
                    .or_else(|| pair[1].strip_prefix("pub(crate) mod "))
                    .and_then(|rest| rest.strip_suffix(';'))
            {
                let mut module = module_of(root, path);
                module.push(name.to_string());
                out.insert(module);
            }
        }
    }
    out
}

/// The code before the first inline `#[cfg(test)] mod ... {`.
fn without_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|pair| {
            pair[0].trim() == "#[cfg(test)]"
                && pair[1].trim_start().starts_with("mod ")
                && pair[1].trim_end().ends_with('{')
        })
        .unwrap_or(lines.len());
    lines[..end].join("\n")
}

/// Every module path a file's code names: `crate::a::b`, `super::x`, `self::y`, and the
/// first segment inside braces (`super::{plan, query::X}`). Items with upper-case names
/// are left to the module that holds them; a function's name may end a path (it names no
/// module, so it adds no edge that matters).
fn references(source: &Source) -> Vec<Vec<String>> {
    let code = &source.code;
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let start = ["crate::", "super::", "self::"]
            .iter()
            .find(|p| rest.starts_with(**p))
            .filter(|_| i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        let Some(_) = start else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let path_end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let path: Vec<&str> = rest[..path_end]
            .split("::")
            .filter(|s| !s.is_empty())
            .collect();
        let mut base = match path.first().copied() {
            Some("crate") => Vec::new(),
            Some("self") => source.module.clone(),
            _ => source.module[..source.module.len().saturating_sub(1)].to_vec(),
        };
        let mut segments = path[1..].iter().peekable();
        while segments.peek() == Some(&&"super") {
            base.pop();
            segments.next();
        }
        let named: Vec<String> = segments
            .take_while(|s| s.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .map(|s| s.to_string())
            .collect();
        let mut resolved = base;
        resolved.extend(named);
        out.push(resolved.clone());
        if rest[path_end..].starts_with('{') {
            let close = rest[path_end..].find('}').unwrap_or(0);
            for item in rest[path_end + 1..path_end + close].split(',') {
                let first = item.trim().split("::").next().unwrap_or("");
                if first.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && first != "self" {
                    let mut m = resolved.clone();
                    m.push(first.to_string());
                    out.push(m);
                }
            }
        }
        i += path_end.max(1);
    }
    out
}

#[test]
fn top_level_modules_use_only_what_lies_below_them() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut wrong = BTreeSet::new();
    for source in sources() {
        let top = source.module[0].as_str();
        let Some(may) = allowed.get(top) else {
            panic!("src/{top} is not in the layering table of tests/layers.rs");
        };
        for used in references(&source) {
            if let Some(other) = used.first()
                && other != top
                && !may.contains(&other.as_str())
            {
                wrong.insert(format!("{} uses crate::{other}", source.module.join("::")));
            }
        }
    }
    assert!(wrong.is_empty(), "against the direction of use: {wrong:#?}");
}

#[test]
fn no_module_uses_a_sibling_that_uses_it_back() {
    // Edges between siblings, at every depth: a file of `tui::update::input` naming
    // `tui::update::logs` is the edge input -> logs inside `tui::update`, and naming
    // `tui::panes::tree` the edge update -> panes inside `tui`.
    let mut edges: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for source in sources() {
        for used in references(&source) {
            let common = source
                .module
                .iter()
                .zip(&used)
                .take_while(|(a, b)| a == b)
                .count();
            if common == 0 {
                continue;
            }
            if let (Some(from), Some(to)) = (source.module.get(common), used.get(common)) {
                edges
                    .entry(source.module[..common].join("::"))
                    .or_default()
                    .insert((from.clone(), to.clone()));
            }
        }
    }
    let mut circles = Vec::new();
    for (parent, edges) in &edges {
        for (a, b) in edges {
            if reaches(edges, b, a) {
                circles.push(format!("{parent}: {a} -> {b} -> ... -> {a}"));
            }
        }
    }
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

/// Is `to` reachable from `from` along `edges`?
fn reaches(edges: &BTreeSet<(String, String)>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(m) = stack.pop() {
        if m == to {
            return true;
        }
        if seen.insert(m.clone()) {
            stack.extend(
                edges
                    .iter()
                    .filter(|(a, _)| *a == m)
                    .map(|(_, b)| b.clone()),
            );
        }
    }
    false
}

#[test]
fn the_reader_finds_what_a_file_names() {
    let source = Source {
        module: vec!["ops".into(), "deploy".into()],
        code: "use super::{Ops, plan::Plan, watch};\nuse crate::model::Address;\nfn f() { super::super::cli::x(); }".into(),
    };
    let found = references(&source);
    let has = |path: &[&str]| found.iter().any(|f| f == path);
    assert!(has(&["ops", "plan"]) && has(&["ops", "watch"]), "{found:?}");
    assert!(has(&["model"]), "{found:?}");
    assert!(
        found.iter().any(|f| f.starts_with(&["cli".to_string()])),
        "{found:?}"
    );
    assert!(!has(&["ops", "Ops"]), "items are not modules: {found:?}");
}
