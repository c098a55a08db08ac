//! The names a model needs: instances (Coolify projects), their environments and the
//! resources in each. Written into the system prompt as a `<platform>` block, read back by
//! the offline planner, and learnt from a `coolify_tree_summary` result.

use serde_json::Value;

use crate::model::Tree;
use crate::model::pipeline::{Stage, same_stage};

/// One instance with its environments, each with the names of its resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub name: String,
    pub environments: Vec<(String, Vec<String>)>,
}

/// Every instance, in the server's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Platform {
    pub instances: Vec<Instance>,
}

const OPEN: &str = "<platform>";
const CLOSE: &str = "</platform>";

impl Platform {
    pub fn from_tree(tree: &Tree) -> Self {
        Self {
            instances: tree
                .projects
                .iter()
                .map(|p| Instance {
                    name: p.name.clone(),
                    environments: p
                        .environments
                        .iter()
                        .map(|e| {
                            (
                                e.name.clone(),
                                e.resources.iter().map(|r| r.name.clone()).collect(),
                            )
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// From a `coolify_tree_summary` result (`{"projects": [{"name", "environments":
    /// [{"name", "resources": [{"name"}]}]}]}`).
    pub fn from_summary(summary: &Value) -> Option<Self> {
        let projects = summary.get("projects")?.as_array()?;
        let instances = projects
            .iter()
            .filter_map(|p| {
                Some(Instance {
                    name: p.get("name")?.as_str()?.to_string(),
                    environments: p
                        .get("environments")
                        .and_then(Value::as_array)
                        .map(|envs| {
                            envs.iter()
                                .filter_map(|e| {
                                    let name = e.get("name")?.as_str()?.to_string();
                                    let resources = e
                                        .get("resources")
                                        .and_then(Value::as_array)
                                        .map(|rs| {
                                            rs.iter()
                                                .filter_map(|r| {
                                                    r.get("name")?.as_str().map(str::to_string)
                                                })
                                                .collect()
                                        })
                                        .unwrap_or_default();
                                    Some((name, resources))
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect();
        Some(Self { instances })
    }

    /// The `<platform>` block of the system prompt: one line per instance,
    /// `AIR: dev (air-dev), staging (air-staging), prod (air-prod, air-postgres)`.
    pub fn block(&self) -> String {
        let mut out = String::from(OPEN);
        out.push('\n');
        for i in &self.instances {
            let envs: Vec<String> = i
                .environments
                .iter()
                .map(|(e, rs)| format!("{e} ({})", rs.join(", ")))
                .collect();
            out.push_str(&format!("{}: {}\n", i.name, envs.join(", ")));
        }
        out.push_str(CLOSE);
        out
    }

    /// Read the `<platform>` block back out of a system prompt.
    pub fn from_block(text: &str) -> Option<Self> {
        let start = text.find(OPEN)? + OPEN.len();
        let end = start + text[start..].find(CLOSE)?;
        let instances = text[start..end]
            .lines()
            .filter_map(|line| {
                let (name, rest) = line.split_once(':')?;
                let name = name.trim();
                if name.is_empty() {
                    return None;
                }
                let mut environments = Vec::new();
                // `env (a, b), env2 (c)`: split on the closing parentheses.
                for part in rest.split(')') {
                    let part = part.trim().trim_start_matches(',').trim();
                    if part.is_empty() {
                        continue;
                    }
                    let (env, resources) = part.split_once('(').unwrap_or((part, ""));
                    let resources = resources
                        .split(',')
                        .map(str::trim)
                        .filter(|r| !r.is_empty())
                        .map(str::to_string)
                        .collect();
                    environments.push((env.trim().to_string(), resources));
                }
                Some(Instance {
                    name: name.to_string(),
                    environments,
                })
            })
            .collect();
        Some(Self { instances })
    }

    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    /// The instance named `word` (any case).
    pub fn instance(&self, word: &str) -> Option<&Instance> {
        self.instances
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(word))
    }

    /// `AIR, BAIV, W4M`.
    pub fn instance_names(&self) -> String {
        self.instances
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every environment name, each once, in order of first appearance.
    pub fn environment_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (e, _) in self.instances.iter().flat_map(|i| &i.environments) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(e)) {
                out.push(e);
            }
        }
        out
    }

    /// Is `word` an environment name (or a synonym of one) anywhere?
    pub fn is_environment_word(&self, word: &str) -> bool {
        self.environment_names().iter().any(|e| same_stage(e, word)) || Stage::of(word).is_some()
    }

    /// The instance and environment holding a resource named `word`, when exactly one does.
    pub fn resource(&self, word: &str) -> Option<(&Instance, &str, &str)> {
        let mut found = self.instances.iter().flat_map(|i| {
            i.environments.iter().flat_map(move |(e, rs)| {
                rs.iter()
                    .filter(|r| r.eq_ignore_ascii_case(word))
                    .map(move |r| (i, e.as_str(), r.as_str()))
            })
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }
}

impl Instance {
    /// This instance's environment named `word`, synonyms included (`production` → `prod`).
    pub fn environment(&self, word: &str) -> Option<&str> {
        self.environments
            .iter()
            .find(|(e, _)| same_stage(e, word))
            .map(|(e, _)| e.as_str())
    }

    pub fn environment_names(&self) -> String {
        self.environments
            .iter()
            .map(|(e, _)| e.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The resources of one of its environments.
    pub fn resources(&self, environment: &str) -> &[String] {
        self.environments
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(environment))
            .map(|(_, rs)| rs.as_slice())
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn demo() -> Platform {
        let instance = |name: &str, slug: &str| Instance {
            name: name.into(),
            environments: ["dev", "staging", "prod"]
                .iter()
                .map(|e| (e.to_string(), vec![format!("{slug}-{e}")]))
                .collect(),
        };
        Platform {
            instances: vec![
                instance("AIR", "air"),
                instance("BAIV", "baiv"),
                instance("W4M", "w4m"),
            ],
        }
    }

    #[test]
    fn the_block_reads_back_as_written() {
        let mut c = demo();
        c.instances[0].environments[2].1.push("air-postgres".into());
        let text = format!("You are...\n{}\nMore rules.", c.block());
        assert_eq!(Platform::from_block(&text), Some(c));
    }

    #[test]
    fn environments_match_their_synonyms() {
        let c = demo();
        let air = c.instance("air").unwrap();
        assert_eq!(air.environment("Production"), Some("prod"));
        assert_eq!(air.environment("develop"), Some("dev"));
        assert_eq!(air.environment("qa"), None);
        assert!(c.is_environment_word("stage"));
        assert_eq!(
            c.resource("BAIV-PROD")
                .map(|(i, e, _)| (i.name.as_str(), e)),
            Some(("BAIV", "prod"))
        );
    }
}
