//! The configuration repository (seed section 5.1): `pf-core.config.yaml`,
//! `instances/<instance>.instance.yaml` and `products/<instance>-<code>.product.yaml`, each
//! file a layer that `extends:` another by name. Loading reads and checks every file
//! against the layer schema, keeping every problem found; `extends` chains are followed
//! here (unknown parents and cycles are problems too).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ConfigError;
use super::environment::EXTENDS;
use super::origin::{Origin, Problem};
use super::schema::{Check, check};
use super::tree::{Node, parse};

/// The base layer's name and file.
pub const BASE: &str = "pf-core";
pub const BASE_FILE: &str = "pf-core.config.yaml";
pub const INSTANCES: &str = "instances";
pub const PRODUCTS: &str = "products";
const INSTANCE_SUFFIX: &str = ".instance.yaml";
const PRODUCT_SUFFIX: &str = ".product.yaml";

/// The seed's example set (`examples/platform/`), built in for `--demo`.
const EXAMPLES: &[(&str, &str)] = &[
    (
        BASE_FILE,
        include_str!("../../examples/platform/pf-core.config.yaml"),
    ),
    (
        "instances/air.instance.yaml",
        include_str!("../../examples/platform/instances/air.instance.yaml"),
    ),
    (
        "instances/baiv.instance.yaml",
        include_str!("../../examples/platform/instances/baiv.instance.yaml"),
    ),
    (
        "instances/w4m.instance.yaml",
        include_str!("../../examples/platform/instances/w4m.instance.yaml"),
    ),
    (
        "products/air-ep.product.yaml",
        include_str!("../../examples/platform/products/air-ep.product.yaml"),
    ),
];

/// Where the example set lives in the repository (the demo's origins name it).
pub const EXAMPLES_DIR: &str = "examples/platform";

/// What a layer is, by where its file lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Base,
    Instance,
    /// A product of the named instance.
    Product {
        instance: String,
        code: String,
    },
}

/// One file of the repository.
#[derive(Debug, Clone)]
pub struct Layer {
    /// `pf-core`, `air`, `air-ep`: what `extends` names.
    pub name: String,
    pub kind: Kind,
    pub file: Arc<Path>,
    pub tree: Node,
    /// The file read and matched the layer schema.
    pub sound: bool,
}

impl Layer {
    /// The parent's name and where `extends` names it.
    pub fn extends(&self) -> Option<(&str, &Origin)> {
        let node = self.tree.get(EXTENDS)?;
        Some((node.as_str()?, &node.origin))
    }
}

/// An instance, or one of its products: what `config show` and `export-env` name
/// (`air`, `air/ep`), case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    pub instance: String,
    pub product: Option<String>,
}

impl Target {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_ascii_lowercase();
        let (instance, product) = match text.split_once('/') {
            Some((i, p)) => (i.to_string(), Some(p.to_string())),
            None => (text.clone(), None),
        };
        if instance.is_empty() || product.as_deref().is_some_and(str::is_empty) {
            return Err(format!(
                "`{text}` names no instance: write <instance> or <instance>/<product>, e.g. air or air/ep"
            ));
        }
        Ok(Self { instance, product })
    }

    /// The layer that holds it: `air`, `air-ep`.
    pub fn layer_name(&self) -> String {
        match &self.product {
            Some(code) => format!("{}-{code}", self.instance),
            None => self.instance.clone(),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.product {
            Some(code) => write!(f, "{}/{code}", self.instance),
            None => f.write_str(&self.instance),
        }
    }
}

/// The configuration repository as read: its layers and what is wrong with its files.
#[derive(Debug, Clone)]
pub struct Platform {
    root: PathBuf,
    layers: Vec<Layer>,
    problems: Vec<Problem>,
}

impl Platform {
    /// Read the repository in `dir`. Only an unreadable directory or file is an error;
    /// what is wrong inside the files is kept in [`Platform::problems`].
    pub fn load(dir: &Path) -> Result<Self, ConfigError> {
        if !dir.is_dir() {
            return Err(ConfigError::Missing {
                dir: dir.to_path_buf(),
            });
        }
        let read = |path: PathBuf| {
            std::fs::read_to_string(&path).map_err(|source| ConfigError::Read { path, source })
        };
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let base = dir.join(BASE_FILE);
        if base.is_file() {
            files.push((BASE_FILE.to_string(), read(base)?));
        } else {
            problems.push(Problem::new(
                Origin::top(&Arc::from(base)),
                "",
                format!("missing: every instance builds on the base layer {BASE_FILE}"),
            ));
        }
        for folder in [INSTANCES, PRODUCTS] {
            let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
                .collect();
            names.sort();
            for name in names {
                let rel = format!("{folder}/{name}");
                files.push((rel.clone(), read(dir.join(&rel))?));
            }
        }
        let mut platform = Self::from_files(dir, &files);
        platform.problems.splice(0..0, problems);
        Ok(platform)
    }

    /// The seed's example set, built in (`--demo`).
    pub fn examples() -> Self {
        let files: Vec<(String, String)> = EXAMPLES
            .iter()
            .map(|(rel, text)| (rel.to_string(), text.to_string()))
            .collect();
        Self::from_files(Path::new(EXAMPLES_DIR), &files)
    }

    /// The repository made of `files` (path relative to `root`, text).
    pub fn from_files(root: &Path, files: &[(String, String)]) -> Self {
        let mut platform = Self {
            root: root.to_path_buf(),
            layers: Vec::new(),
            problems: Vec::new(),
        };
        for (rel, text) in files {
            platform.add(rel, text);
        }
        platform.classify_products();
        platform
    }

    fn add(&mut self, rel: &str, text: &str) {
        let file: Arc<Path> = Arc::from(self.root.join(rel));
        let name = match rel.split_once('/') {
            None if rel == BASE_FILE => Some((BASE.to_string(), Kind::Base)),
            Some((INSTANCES, n)) => n
                .strip_suffix(INSTANCE_SUFFIX)
                .map(|s| (s.to_string(), Kind::Instance)),
            Some((PRODUCTS, n)) => n.strip_suffix(PRODUCT_SUFFIX).map(|s| {
                let kind = Kind::Product {
                    instance: String::new(),
                    code: String::new(),
                };
                (s.to_string(), kind)
            }),
            _ => None,
        };
        let Some((name, kind)) = name.filter(|(n, _)| valid_name(n)) else {
            let expected = if rel.starts_with(PRODUCTS) {
                "<instance>-<code>.product.yaml"
            } else {
                "<name>.instance.yaml"
            };
            self.problems.push(Problem::new(
                Origin::top(&file),
                "",
                format!(
                    "not read: a file here is named {expected} in lower-case letters, digits and `-`"
                ),
            ));
            return;
        };
        let (tree, sound) = match parse(text, &file) {
            Ok((tree, mut found)) => {
                found.extend(check(&tree, Check::Layer));
                if kind != Kind::Base && tree.get(EXTENDS).is_none() {
                    found.push(Problem::new(
                        tree.origin.clone(),
                        EXTENDS,
                        format!(
                            "missing `extends:`: name the layer this one builds on ({BASE} for an instance, its instance for a product)"
                        ),
                    ));
                }
                let sound = found.is_empty();
                self.problems.extend(found);
                (tree, sound)
            }
            Err(problem) => {
                self.problems.push(problem);
                (Node::empty_map(Origin::top(&file)), false)
            }
        };
        self.layers.push(Layer {
            name,
            kind,
            file,
            tree,
            sound,
        });
    }

    /// A product file names its instance: `air-ep` is product `ep` of `air` (the longest
    /// instance name that fits).
    fn classify_products(&mut self) {
        let instances: Vec<String> = self
            .layers
            .iter()
            .filter(|l| l.kind == Kind::Instance)
            .map(|l| l.name.clone())
            .collect();
        let mut orphans = Vec::new();
        for layer in &mut self.layers {
            if !matches!(layer.kind, Kind::Product { .. }) {
                continue;
            }
            let owner = instances
                .iter()
                .filter_map(|i| {
                    let code = layer.name.strip_prefix(i.as_str())?.strip_prefix('-')?;
                    (!code.is_empty()).then(|| (i.clone(), code.to_string()))
                })
                .max_by_key(|(i, _)| i.len());
            match owner {
                Some((instance, code)) => layer.kind = Kind::Product { instance, code },
                None => orphans.push(layer.name.clone()),
            }
        }
        for name in orphans {
            if let Some(i) = self.layers.iter().position(|l| l.name == name) {
                let layer = self.layers.remove(i);
                self.problems.push(Problem::new(
                    Origin::top(&layer.file),
                    "",
                    format!(
                        "no instance for product `{name}`: a product file is named <instance>-<code>.product.yaml beside instances/<instance>.instance.yaml (instances: {})",
                        instances.join(", ")
                    ),
                ));
            }
        }
    }

    /// The directory the files were read from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// What is wrong with the files themselves (syntax, schema, names, `extends` missing).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn layer(&self, name: &str) -> Option<&Layer> {
        self.layers
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
    }

    /// Every instance and product, instances first, by name.
    pub fn targets(&self) -> Vec<Target> {
        let mut targets: Vec<Target> = self
            .layers
            .iter()
            .filter_map(|l| match &l.kind {
                Kind::Base => None,
                Kind::Instance => Some(Target {
                    instance: l.name.clone(),
                    product: None,
                }),
                Kind::Product { instance, code } => Some(Target {
                    instance: instance.clone(),
                    product: Some(code.clone()),
                }),
            })
            .collect();
        targets.sort_by_key(|t| (t.product.is_some(), t.clone()));
        targets
    }

    /// The file of `target` itself: an instance's, or a product's.
    pub fn own_layer(&self, target: &Target) -> Option<&Layer> {
        self.layers
            .iter()
            .find(|l| match (&l.kind, &target.product) {
                (Kind::Instance, None) => l.name == target.instance,
                (Kind::Product { instance, code }, Some(p)) => {
                    *instance == target.instance && code == p
                }
                _ => false,
            })
    }

    /// `target` when the repository has it; else why not, with the targets it has.
    pub fn find(&self, target: &Target) -> Result<&Layer, String> {
        self.own_layer(target).ok_or_else(|| {
            let known: Vec<String> = self.targets().iter().map(Target::to_string).collect();
            format!(
                "no configuration for `{target}` in {}: known are {}",
                self.root.display(),
                known.join(", ")
            )
        })
    }

    /// The layers `target` is built from, the base first and its own file last.
    pub fn chain(&self, target: &Target) -> Result<Vec<&Layer>, Problem> {
        let own = self.find(target).map_err(|message| {
            Problem::new(Origin::top(&Arc::from(self.root.as_path())), "", message)
        })?;
        let mut chain = vec![own];
        let mut current = own;
        while let Some((parent, origin)) = current.extends() {
            let Some(next) = self.layer(parent) else {
                let known: Vec<&str> = self.layers.iter().map(|l| l.name.as_str()).collect();
                return Err(Problem::new(
                    origin.clone(),
                    EXTENDS,
                    format!(
                        "extends `{parent}`, which no file defines; known layers: {}",
                        known.join(", ")
                    ),
                ));
            };
            if let Some(start) = chain.iter().position(|l| l.name == next.name) {
                return Err(cycle(&chain[start..]));
            }
            chain.push(next);
            current = next;
        }
        if let Kind::Product { instance, .. } = &own.kind
            && !chain.iter().any(|l| &l.name == instance)
        {
            let origin = own
                .extends()
                .map_or(own.tree.origin.clone(), |(_, o)| o.clone());
            return Err(Problem::new(
                origin,
                EXTENDS,
                format!("a product of `{instance}` builds on it: write `extends: {instance}`"),
            ));
        }
        chain.reverse();
        Ok(chain)
    }
}

/// The problem of a cycle of layers (each extending the next, the last the first), told
/// the same whichever layer it was found from: from the smallest name, at the `extends`
/// that returns to it.
fn cycle(layers: &[&Layer]) -> Problem {
    let first = (0..layers.len())
        .min_by_key(|&i| &layers[i].name)
        .unwrap_or(0);
    let ring: Vec<&Layer> = layers[first..]
        .iter()
        .chain(&layers[..first])
        .copied()
        .collect();
    let mut names: Vec<&str> = ring.iter().map(|l| l.name.as_str()).collect();
    names.push(names[0]);
    let last = ring[ring.len() - 1];
    let origin = last
        .extends()
        .map_or(last.tree.origin.clone(), |(_, o)| o.clone());
    Problem::new(
        origin,
        EXTENDS,
        format!(
            "extends cycle: {}; a layer cannot build on itself, end the chain at {BASE}",
            names.join(" -> ")
        ),
    )
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn platform(files: &[(&str, &str)]) -> Platform {
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(r, t)| (r.to_string(), t.to_string()))
            .collect();
        Platform::from_files(Path::new("cfg"), &files)
    }

    #[test]
    fn the_examples_load_without_problems() {
        let p = Platform::examples();
        assert_eq!(p.problems(), &[] as &[Problem]);
        let names: Vec<String> = p.targets().iter().map(ToString::to_string).collect();
        assert_eq!(names, ["air", "baiv", "w4m", "air/ep"]);
        let ep = Target::parse("AIR/EP").unwrap();
        let chain: Vec<&str> = p
            .chain(&ep)
            .unwrap()
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(chain, ["pf-core", "air", "air-ep"]);
    }

    #[test]
    fn chains_of_any_depth_cycles_and_unknown_parents() {
        let p = platform(&[
            (BASE_FILE, "app: {port: 3000}\n"),
            ("instances/air.instance.yaml", "extends: pf-core\n"),
            ("instances/air-eu.instance.yaml", "extends: air\n"),
            ("products/air-eu-ep.product.yaml", "extends: air-eu\n"),
            ("instances/a.instance.yaml", "extends: b\n"),
            ("instances/b.instance.yaml", "# b\nextends: c\n"),
            ("instances/c.instance.yaml", "extends: a\n"),
            ("instances/x.instance.yaml", "\n\nextends: pfcore\n"),
        ]);
        assert_eq!(p.problems(), &[] as &[Problem]);
        let deep = p.chain(&Target::parse("air-eu/ep").unwrap()).unwrap();
        assert_eq!(deep.len(), 4);
        let from_a = p.chain(&Target::parse("a").unwrap()).unwrap_err();
        let from_b = p.chain(&Target::parse("b").unwrap()).unwrap_err();
        assert_eq!(from_a, from_b, "one cycle, told once");
        assert!(
            from_a.message.contains("extends cycle: a -> b -> c -> a"),
            "{from_a}"
        );
        assert_eq!(
            from_a.origin.to_string(),
            "cfg/instances/c.instance.yaml:1:10"
        );
        let unknown = p.chain(&Target::parse("x").unwrap()).unwrap_err();
        assert_eq!(
            unknown.origin.to_string(),
            "cfg/instances/x.instance.yaml:3:10"
        );
        assert!(
            unknown
                .message
                .contains("extends `pfcore`, which no file defines"),
            "{unknown}"
        );
    }

    #[test]
    fn misnamed_files_orphan_products_and_missing_extends_are_problems() {
        let p = platform(&[
            (BASE_FILE, ""),
            ("instances/AIR.instance.yaml", "extends: pf-core\n"),
            ("instances/baiv.yaml", "extends: pf-core\n"),
            ("instances/w4m.instance.yaml", "instance: {name: W4M}\n"),
            ("products/zz-ep.product.yaml", "extends: pf-core\n"),
        ]);
        let text: Vec<String> = p.problems().iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 4, "{text:#?}");
        assert!(
            text[0].starts_with("cfg/instances/AIR.instance.yaml:1:1: not read"),
            "{text:#?}"
        );
        assert!(text.iter().any(|t| t.contains("baiv.yaml:1:1: not read")));
        assert!(
            text.iter()
                .any(|t| t.contains("no instance for product `zz-ep`"))
        );
        assert!(
            text.iter()
                .any(|t| t.contains("w4m.instance.yaml:1:1: extends: missing"))
        );
    }
}
