//! The configuration's types, the JSON schema derived from them (`schemars`), and the
//! check of a positioned tree against it: every problem, with its file:line:column, its
//! key path and what was expected; a key the types do not know is a problem.
//!
//! One file is checked against the *layer* schema: the same types with nothing required
//! (a layer may say only what it changes), plus `extends` and `environments`. A merged
//! configuration is checked against the full schema, then read into [`PlatformConfig`].

use std::collections::BTreeMap;
use std::sync::LazyLock;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};

use super::environment::{ENVIRONMENTS, EXTENDS, Environment};
use super::origin::Problem;
use super::tree::Node;

/// A resolved configuration: one instance (or one of its products) in one environment,
/// every layer merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlatformConfig {
    pub instance: InstanceInfo,
    #[serde(default)]
    pub product: Option<ProductInfo>,
    pub app: AppInfo,
    pub coolify: CoolifyInfo,
    pub resources: Resources,
    pub deploy: Deploy,
    #[serde(default)]
    pub supabase: Option<Supabase>,
    #[serde(default)]
    pub branding: Option<Branding>,
    /// Feature flags, each becoming `FEATURE_<NAME>=true|false`.
    #[serde(default)]
    pub features: BTreeMap<String, bool>,
    /// More environment variables, by their exact names; they win over derived ones.
    #[serde(default)]
    pub env: BTreeMap<String, EnvValue>,
}

/// The instance (a Coolify project).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstanceInfo {
    /// The project's name in Coolify, e.g. AIR.
    pub name: String,
    /// The production domain, e.g. air.pfcore.io.
    pub domain: String,
}

/// A product of an instance (its own application in each environment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInfo {
    pub name: String,
    /// The short code, e.g. EP.
    pub code: String,
    /// The production domain, e.g. ep.air.pfcore.io.
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppInfo {
    pub framework: String,
    /// Node.js major version, quoted (`"20"`).
    pub node_version: String,
    #[serde(default)]
    pub install_command: Option<String>,
    #[serde(default)]
    pub build_command: Option<String>,
    #[serde(default)]
    pub start_command: Option<String>,
    /// The port the application listens on.
    #[schemars(range(min = 1, max = 65535))]
    pub port: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BuildPack {
    Nixpacks,
    Static,
    Dockerfile,
    Dockercompose,
}

impl BuildPack {
    /// Coolify's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nixpacks => "nixpacks",
            Self::Static => "static",
            Self::Dockerfile => "dockerfile",
            Self::Dockercompose => "dockercompose",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoolifyInfo {
    pub build_pack: BuildPack,
    /// Path answered with 2xx when healthy, e.g. /api/health.
    #[schemars(pattern(r"^/"))]
    pub health_check_path: String,
    /// Seconds between health checks.
    #[schemars(range(min = 1, max = 3600))]
    pub health_check_interval: u32,
}

/// Container limits, in Docker's notation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Memory, e.g. 512M or 1G.
    #[schemars(pattern(r"^[0-9]+(\.[0-9]+)?[bkmgBKMG]?$"))]
    pub memory_limit: String,
    /// CPUs, e.g. 0.5.
    #[schemars(range(min = 0.01, max = 256))]
    pub cpu_limit: f64,
}

/// How the environment deploys (seed section 4.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    /// The Git branch the environment tracks.
    pub branch: String,
    /// The domain; by default the product's (or instance's) production domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// Deploy on every push; never in production.
    pub auto_deploy: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supabase {
    pub url: String,
    /// The instance's schema, e.g. air.
    pub schema: String,
    #[serde(default)]
    pub anon_key: Option<EnvValue>,
    #[serde(default)]
    pub service_key: Option<SecretRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    #[schemars(pattern(r"^#[0-9a-fA-F]{6}$"))]
    pub primary_color: String,
    #[serde(default)]
    #[schemars(pattern(r"^#[0-9a-fA-F]{6}$"))]
    pub secondary_color: Option<String>,
    #[serde(default)]
    pub logo_url: Option<String>,
}

/// A value for an environment variable: written out, or the name of a credential
/// (`{secret: supabase_service_key}`) whose value never appears in the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EnvValue {
    Text(String),
    Number(serde_json::Number),
    Flag(bool),
    Secret(SecretRef),
}

/// The name of a credential held in the credential store, never in the files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretRef {
    #[schemars(pattern(r"^[a-z0-9_]+$"))]
    pub secret: String,
}

/// Which schema a tree is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// One file: nothing required, `extends` and `environments` allowed.
    Layer,
    /// A merged configuration: everything required present.
    Resolved,
}

/// The full schema of a resolved configuration.
pub fn resolved_schema() -> &'static Json {
    static SCHEMA: LazyLock<Json> =
        LazyLock::new(|| schemars::schema_for!(PlatformConfig).to_value());
    &SCHEMA
}

/// The schema of one file (a layer).
pub fn layer_schema() -> &'static Json {
    static SCHEMA: LazyLock<Json> = LazyLock::new(|| {
        let mut schema = resolved_schema().clone();
        strip_required(&mut schema);
        let body = json!({
            "type": "object",
            "properties": schema["properties"].clone(),
            "additionalProperties": false,
        });
        let sections: serde_json::Map<String, Json> = Environment::ALL
            .iter()
            .map(|e| (e.as_str().to_string(), json!({"$ref": "#/$defs/Layer"})))
            .collect();
        schema["$defs"]["Layer"] = body;
        schema["properties"][EXTENDS] = json!({
            "type": "string",
            "description": "The layer this one builds on: pf-core, an instance, or a product."
        });
        schema["properties"][ENVIRONMENTS] = json!({
            "type": "object",
            "description": "Values for one environment only, over this layer's own.",
            "properties": sections,
            "additionalProperties": false,
        });
        schema
    });
    &SCHEMA
}

fn strip_required(schema: &mut Json) {
    match schema {
        Json::Object(map) => {
            map.remove("required");
            map.values_mut().for_each(strip_required);
        }
        Json::Array(items) => items.iter_mut().for_each(strip_required),
        _ => {}
    }
}

/// Every problem of `tree` against the schema `check` names.
pub fn check(tree: &Node, check: Check) -> Vec<Problem> {
    let schema = match check {
        Check::Layer => layer_schema(),
        Check::Resolved => resolved_schema(),
    };
    let validator = match jsonschema::validator_for(schema) {
        Ok(v) => v,
        Err(e) => {
            return vec![Problem::new(
                tree.origin.clone(),
                "",
                format!("internal error: the configuration schema does not compile: {e}"),
            )];
        }
    };
    let instance = tree.to_json();
    let mut problems: Vec<Problem> = validator
        .iter_errors(&instance)
        .flat_map(|e| problems_of(tree, schema, &e))
        .collect();
    problems.sort();
    problems.dedup();
    problems
}

/// The key path of a schema error.
fn path_of(e: &ValidationError<'_>) -> Vec<String> {
    e.instance_path()
        .iter()
        .map(|s| match s {
            LocationSegment::Property(p) => p.to_string(),
            LocationSegment::Index(i) => i.to_string(),
        })
        .collect()
}

/// Problems for one schema error, positioned on the node (or key) concerned. A value
/// that may take several shapes (an optional section, a secret or a text) is judged by
/// the one shape its type fits, when exactly one does.
fn problems_of(tree: &Node, schema: &Json, e: &ValidationError<'_>) -> Vec<Problem> {
    let path = path_of(e);
    let node = path
        .iter()
        .try_fold(tree, |n, key| match &n.value {
            super::tree::Value::Seq(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => n.get(key),
        })
        .unwrap_or(tree);
    let dotted = path.join(".");
    let ValidationErrorKind::AnyOf { context } = e.kind() else {
        return describe(node, schema, &path, e.kind(), &e.to_string());
    };
    let type_error = |err: &ValidationError<'_>| {
        matches!(err.kind(), ValidationErrorKind::Type { .. }) && path_of(err) == path
    };
    let fitting: Vec<&Vec<ValidationError<'static>>> = context
        .iter()
        .filter(|errors| !errors.iter().any(type_error))
        .collect();
    if let [only] = fitting[..] {
        return only
            .iter()
            .flat_map(|e| problems_of(tree, schema, e))
            .collect();
    }
    let mut shapes: Vec<String> = context
        .iter()
        .flatten()
        .filter(|err| type_error(err))
        .filter_map(|err| match err.kind() {
            ValidationErrorKind::Type { kind } => Some(type_names(kind)),
            _ => None,
        })
        .collect();
    shapes.dedup();
    vec![Problem::new(
        node.origin.clone(),
        dotted,
        format!(
            "expected {}, found {}",
            shapes.join(" or "),
            node.describe()
        ),
    )]
}

/// Problems for one schema error at `path` on `node`.
fn describe(
    node: &Node,
    schema: &Json,
    path: &[String],
    kind: &ValidationErrorKind,
    fallback: &str,
) -> Vec<Problem> {
    let dotted = path.join(".");
    let at = |key: &str| {
        if dotted.is_empty() {
            key.to_string()
        } else {
            format!("{dotted}.{key}")
        }
    };
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known = known_keys(schema, path);
            unexpected
                .iter()
                .map(|key| {
                    let origin = node
                        .entry(key)
                        .map_or_else(|| node.origin.clone(), |e| e.key_origin.clone());
                    Problem::new(
                        origin,
                        at(key),
                        format!("unknown key `{key}`; expected one of {known}"),
                    )
                })
                .collect()
        }
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default();
            vec![Problem::new(
                node.origin.clone(),
                at(key),
                format!("missing required key `{key}` (no layer sets it)"),
            )]
        }
        ValidationErrorKind::Type { kind } => vec![Problem::new(
            node.origin.clone(),
            dotted,
            format!("expected {}, found {}", type_names(kind), node.describe()),
        )],
        ValidationErrorKind::Enum { options } => vec![Problem::new(
            node.origin.clone(),
            dotted,
            format!(
                "expected one of {}, found {}",
                backticked(
                    options
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Json::as_str)
                ),
                node.describe()
            ),
        )],
        _ => vec![Problem::new(
            node.origin.clone(),
            dotted,
            fallback.to_string(),
        )],
    }
}

fn type_names(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "object" => "a mapping".to_string(),
        "array" => "a list".to_string(),
        "integer" => "an integer".to_string(),
        "null" => "nothing".to_string(),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| name(&t))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

fn backticked<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The keys the schema allows at `path` (following `$ref`s and optional values).
fn known_keys(schema: &Json, path: &[String]) -> String {
    let found = path.iter().try_fold(schema, |s, key| {
        let s = plain_schema(schema, s)?;
        s.get("properties")
            .and_then(|p| p.get(key))
            .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()))
    });
    let keys = found
        .and_then(|s| plain_schema(schema, s))
        .and_then(|s| s.get("properties"))
        .and_then(Json::as_object)
        .map(|p| backticked(p.keys().map(String::as_str)))
        .unwrap_or_default();
    if keys.is_empty() {
        "no keys here".into()
    } else {
        keys
    }
}

/// `s` with its `$ref`s followed and, of alternatives (`anyOf`), the one with keys.
fn plain_schema<'a>(root: &'a Json, s: &'a Json) -> Option<&'a Json> {
    let follow = |mut s: &'a Json| {
        for _ in 0..8 {
            match s.get("$ref").and_then(Json::as_str) {
                Some(r) => s = root.pointer(r.trim_start_matches('#'))?,
                None => break,
            }
        }
        Some(s)
    };
    let s = follow(s)?;
    let alternatives = s.get("anyOf").and_then(Json::as_array);
    match alternatives {
        Some(alts) if s.get("properties").is_none() => alts
            .iter()
            .filter_map(follow)
            .find(|a| a.get("properties").is_some())
            .or(Some(s)),
        _ => Some(s),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::config::tree::parse;

    fn problems(text: &str, how: Check) -> Vec<Problem> {
        let (tree, mut found) = parse(text, &Arc::from(Path::new("f.yaml"))).unwrap();
        found.extend(check(&tree, how));
        found
    }

    #[test]
    fn an_unknown_key_is_positioned_on_the_key_and_lists_the_known_ones() {
        let found = problems("resources:\n  memory_limt: 1G\n", Check::Layer);
        assert_eq!(found.len(), 1, "{found:?}");
        let p = &found[0];
        assert_eq!((p.origin.line, p.origin.column), (2, 3));
        assert_eq!(p.path, "resources.memory_limt");
        assert!(
            p.message
                .contains("unknown key `memory_limt`; expected one of `cpu_limit`, `memory_limit`"),
            "{p}"
        );
        let found = problems("environments:\n  qa: {}\n", Check::Layer);
        assert!(found[0].message.contains("`development`"), "{found:?}");
    }

    #[test]
    fn wrong_types_bad_values_and_missing_keys_say_what_was_expected() {
        let found = problems(
            "coolify:\n  health_check_interval: soon\n  build_pack: heroku\nresources: {cpu_limit: 0}\n",
            Check::Layer,
        );
        let text: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 3, "{text:#?}");
        assert!(text.iter().any(|t| t.starts_with("f.yaml:2:26: coolify.health_check_interval: expected an integer, found a string \"soon\"")), "{text:#?}");
        assert!(
            text.iter()
                .any(|t| t
                    .starts_with("f.yaml:3:15: coolify.build_pack: expected one of `nixpacks`")),
            "{text:#?}"
        );
        assert!(
            text.iter().any(|t| t.contains("resources.cpu_limit")),
            "{text:#?}"
        );
        let found = problems("instance: {name: AIR}\n", Check::Resolved);
        assert!(
            found
                .iter()
                .any(|p| p.path == "instance.domain" && p.message.contains("missing required key")),
            "{found:?}"
        );
        assert!(found.iter().any(|p| p.path == "app"), "{found:?}");
    }

    #[test]
    fn a_layer_may_say_little_and_env_values_may_be_secrets() {
        let ok = "extends: pf-core\nresources: {memory_limit: 768M}\nenv:\n  A: x\n  B: 2\n  C: {secret: c_key}\nenvironments:\n  production: {deploy: {auto_deploy: false}}\n";
        assert_eq!(problems(ok, Check::Layer), vec![]);
        let found = problems("env:\n  A: {secrte: x}\n  B: [1]\n", Check::Layer);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].path, "env.A.secrte");
        assert!(
            found[0]
                .message
                .contains("unknown key `secrte`; expected one of `secret`")
        );
        assert_eq!(found[1].path, "env.B");
        assert!(
            found[1].message.starts_with(
                "expected a string or a number or a boolean or a mapping, found a list"
            ),
            "{found:?}"
        );
    }

    #[test]
    fn an_optional_section_is_checked_as_the_section() {
        let found = problems(
            "product: {name: x, bogus: 1}\nbranding: red\n",
            Check::Layer,
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].path, "product.bogus");
        assert!(
            found[0]
                .message
                .starts_with("unknown key `bogus`; expected one of `code`, `domain`, `name`"),
            "{found:?}"
        );
        assert_eq!(found[1].path, "branding");
        assert_eq!(
            found[1].message,
            "expected a mapping or nothing, found a string \"red\""
        );
    }
}
