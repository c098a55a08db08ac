//! One target resolved: its layers merged (for one environment, or as written), checked
//! against the full schema and the platform's rules, and read into [`PlatformConfig`].
//! Every value of the merged tree keeps the file and line it came from.

use std::collections::{BTreeMap, BTreeSet};

use super::environment::{ENVIRONMENTS, Environment, layer_view};
use super::layout::{Platform, Target};
use super::origin::{Origin, Problem, Problems};
use super::schema::{Check, PlatformConfig, check};
use super::tree::{Node, merge};

/// A target's configuration in one environment.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub target: Target,
    pub environment: Environment,
    /// The merged values, each with its origin.
    pub tree: Node,
    pub config: PlatformConfig,
}

impl Resolved {
    /// Where the value at `path` (`["resources", "memory_limit"]`) was written.
    pub fn origin(&self, path: &[&str]) -> Option<&Origin> {
        self.tree.at(path).map(|n| &n.origin)
    }

    /// The domain the application answers on: `deploy.domain` for this environment, else
    /// the product's (or instance's) production domain; with where it was written.
    pub fn domain(&self) -> (&str, &Origin) {
        let c = &self.config;
        let (domain, path): (&str, &[&str]) = match (&c.deploy.domain, &c.product) {
            (Some(d), _) => (d, &["deploy", "domain"]),
            (None, Some(p)) => (&p.domain, &["product", "domain"]),
            (None, None) => (&c.instance.domain, &["instance", "domain"]),
        };
        (domain, self.origin(path).unwrap_or(&self.tree.origin))
    }
}

impl Platform {
    /// The layers of `target` merged, the base first: for one environment (each layer's
    /// section for it merged over the layer's own values first), or with every
    /// `environments` section kept (`None`). Problems in any of its files fail it.
    pub fn merged(&self, target: &Target, env: Option<Environment>) -> Result<Node, Problems> {
        let chain = self.chain(target).map_err(|p| Problems(vec![p]))?;
        let broken: Vec<Problem> = self
            .problems()
            .iter()
            .filter(|p| chain.iter().any(|l| p.origin.file == l.file))
            .cloned()
            .collect();
        if !broken.is_empty() {
            return Err(Problems(broken));
        }
        let mut layers = chain.iter().map(|l| layer_view(&l.tree, env));
        let first = layers
            .next()
            .unwrap_or_else(|| Node::empty_map(Origin::top(&chain_file(&chain))));
        Ok(layers.fold(first, merge))
    }

    /// `target` in `env`, checked: every required value set, every rule kept.
    pub fn resolve(&self, target: &Target, env: Environment) -> Result<Resolved, Problems> {
        let tree = self.merged(target, Some(env))?;
        let mut problems = check(&tree, Check::Resolved);
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        let config: PlatformConfig = serde_json::from_value(tree.to_json()).map_err(|e| {
            Problems(vec![Problem::new(
                tree.origin.clone(),
                "",
                format!("cannot read the merged configuration: {e}"),
            )])
        })?;
        let resolved = Resolved {
            target: target.clone(),
            environment: env,
            tree,
            config,
        };
        problems.extend(rules(&resolved));
        if problems.is_empty() {
            Ok(resolved)
        } else {
            Err(Problems(problems))
        }
    }

    /// Every problem of the repository: its files, then each target in each environment
    /// (a target whose files have problems is not resolved again), then domains two
    /// applications share. Sorted, each told once.
    pub fn check(&self) -> Vec<Problem> {
        let mut problems: BTreeSet<Problem> = self.problems().iter().cloned().collect();
        for env in Environment::ALL {
            let mut domains: BTreeMap<String, Target> = BTreeMap::new();
            for target in self.targets() {
                let resolved = match self.resolve(&target, env) {
                    Ok(r) => r,
                    Err(found) => {
                        problems.extend(found.0);
                        continue;
                    }
                };
                let (domain, origin) = resolved.domain();
                match domains.get(domain) {
                    Some(other) => {
                        problems.insert(Problem::new(
                            origin.clone(),
                            "",
                            format!(
                                "{target} in {env} would answer on {domain}, which {other} already uses; give it its own (deploy.domain under environments.{env})"
                            ),
                        ));
                    }
                    None => {
                        domains.insert(domain.to_string(), target);
                    }
                }
            }
        }
        problems.into_iter().collect()
    }
}

fn chain_file(chain: &[&super::layout::Layer]) -> std::sync::Arc<std::path::Path> {
    chain
        .last()
        .map(|l| l.file.clone())
        .unwrap_or_else(|| std::sync::Arc::from(std::path::Path::new(".")))
}

/// The platform's rules beyond the schema: production never deploys on push (seed section
/// 4.2: manual approval), and environment variable names are names.
fn rules(r: &Resolved) -> Vec<Problem> {
    let mut problems = Vec::new();
    if r.environment == Environment::Production && r.config.deploy.auto_deploy {
        let origin = r
            .origin(&["deploy", "auto_deploy"])
            .unwrap_or(&r.tree.origin);
        problems.push(Problem::new(
            origin.clone(),
            "deploy.auto_deploy",
            format!(
                "production never deploys automatically (it waits for a promotion); set auto_deploy: false, e.g. under {ENVIRONMENTS}.production.deploy"
            ),
        ));
    }
    if let Some(env) = r.tree.get("env") {
        for entry in env.entries() {
            if !env_name(&entry.key) {
                problems.push(Problem::new(
                    entry.key_origin.clone(),
                    format!("env.{}", entry.key),
                    "an environment variable name is letters, digits and `_`, not starting with a digit",
                ));
            }
        }
    }
    problems
}

fn env_name(name: &str) -> bool {
    name.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::layout::{BASE_FILE, Platform};
    use std::path::Path;

    fn examples() -> Platform {
        Platform::examples()
    }

    fn target(t: &str) -> Target {
        Target::parse(t).unwrap()
    }

    #[test]
    fn air_overrides_memory_and_inherits_the_rest_from_pf_core() {
        let r = examples()
            .resolve(&target("air"), Environment::Production)
            .unwrap();
        assert_eq!(r.config.resources.memory_limit, "768M");
        assert_eq!(r.config.app.node_version, "20");
        assert_eq!(r.config.coolify.health_check_path, "/api/health");
        let file = |path: &[&str]| {
            r.origin(path)
                .unwrap()
                .file
                .strip_prefix("examples/platform")
                .unwrap()
                .display()
                .to_string()
        };
        assert_eq!(
            file(&["resources", "memory_limit"]),
            "instances/air.instance.yaml"
        );
        assert_eq!(file(&["app", "node_version"]), BASE_FILE);
        assert_eq!(file(&["coolify", "health_check_path"]), BASE_FILE);
        assert_eq!(r.domain().0, "air.pfcore.io");
    }

    #[test]
    fn the_ep_product_inherits_air_branding_and_adds_its_features() {
        let r = examples()
            .resolve(&target("air/ep"), Environment::Production)
            .unwrap();
        let branding = r.config.branding.as_ref().unwrap();
        assert_eq!(branding.primary_color, "#1E40AF");
        assert!(
            r.origin(&["branding", "primary_color"])
                .unwrap()
                .file
                .ends_with("instances/air.instance.yaml")
        );
        assert_eq!(r.config.features.get("emergency_mode"), Some(&true));
        assert!(
            r.origin(&["features", "emergency_mode"])
                .unwrap()
                .file
                .ends_with("products/air-ep.product.yaml")
        );
        assert_eq!(r.config.product.as_ref().unwrap().code, "EP");
        assert_eq!(r.domain().0, "ep.air.pfcore.io");
    }

    #[test]
    fn limits_and_deploy_settings_per_environment() {
        let p = examples();
        let baiv = |env| p.resolve(&target("baiv"), env).unwrap();
        let dev = baiv(Environment::Development);
        let prod = baiv(Environment::Production);
        assert_eq!(
            (
                dev.config.resources.memory_limit.as_str(),
                dev.config.resources.cpu_limit
            ),
            ("256M", 0.25)
        );
        assert_eq!(
            (
                prod.config.resources.memory_limit.as_str(),
                prod.config.resources.cpu_limit
            ),
            ("512M", 1.0)
        );
        assert_eq!(dev.config.deploy.branch, "develop");
        assert!(dev.config.deploy.auto_deploy);
        assert_eq!(prod.config.deploy.branch, "main");
        assert!(!prod.config.deploy.auto_deploy);
        assert_eq!(dev.domain().0, "dev.baiv.pfcore.io");
        assert_eq!(prod.domain().0, "baiv.io");
        // AIR's own memory wins over pf-core's per-environment one: a child layer wins.
        let air_dev = p.resolve(&target("air"), Environment::Development).unwrap();
        assert_eq!(air_dev.config.resources.memory_limit, "768M");
        assert_eq!(air_dev.config.resources.cpu_limit, 0.25);
        assert_eq!(p.check(), vec![]);
    }

    #[test]
    fn production_never_auto_deploys_and_missing_values_are_named() {
        let base = include_str!("../../examples/platform/pf-core.config.yaml");
        let files = [
            (BASE_FILE.to_string(), base.to_string()),
            (
                "instances/air.instance.yaml".to_string(),
                "extends: pf-core\ninstance: {name: AIR, domain: air.pfcore.io}\nenvironments:\n  production:\n    deploy: {auto_deploy: true}\n".to_string(),
            ),
            (
                "instances/baiv.instance.yaml".to_string(),
                "extends: pf-core\ninstance: {name: BAIV}\n".to_string(),
            ),
            (
                "instances/w4m.instance.yaml".to_string(),
                "extends: pf-core\ninstance: {name: W4M, domain: w.io}\nenv: {9LIVES: x}\n"
                    .to_string(),
            ),
        ];
        let p = Platform::from_files(Path::new("c"), &files);
        let err = p
            .resolve(&target("air"), Environment::Production)
            .unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(
            err.0[0].origin.to_string(),
            "c/instances/air.instance.yaml:5:27"
        );
        assert!(
            err.0[0]
                .message
                .contains("production never deploys automatically")
        );
        assert!(p.resolve(&target("air"), Environment::Staging).is_ok());
        let all = p.check();
        let text: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|t| t.starts_with(
                "c/instances/baiv.instance.yaml:2:11: instance.domain: missing required key"
            )),
            "{text:#?}"
        );
        assert!(text.iter().any(|t| t.contains("env.9LIVES")), "{text:#?}");
        assert!(
            text.iter()
                .any(|t| t.contains("c/instances/air.instance.yaml:5:27")),
            "{text:#?}"
        );
    }

    #[test]
    fn two_applications_on_one_domain_are_a_problem() {
        let base = include_str!("../../examples/platform/pf-core.config.yaml");
        let inst = "extends: pf-core\ninstance: {name: X, domain: x.io}\n";
        let files = [
            (BASE_FILE.to_string(), base.to_string()),
            ("instances/x.instance.yaml".to_string(), inst.to_string()),
            ("instances/y.instance.yaml".to_string(), inst.to_string()),
        ];
        let found = Platform::from_files(Path::new("c"), &files).check();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].message.contains("which x already uses"),
            "{found:?}"
        );
    }
}
