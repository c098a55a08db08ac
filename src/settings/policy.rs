//! What each environment allows, per risk class, as the settings file states it. The
//! rule for an operation's risk is looked up by `ops`, which owns the risk classes.

use std::collections::BTreeMap;

use serde::Deserialize;

/// What the policy asks before an operation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyRule {
    Allow,
    Confirm,
    /// Type the environment's name to confirm.
    ConfirmTyped,
    Deny,
}

/// Rules per risk class; unset classes fall through to the next layer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RuleSet {
    pub read: Option<PolicyRule>,
    pub write: Option<PolicyRule>,
    pub deploy: Option<PolicyRule>,
    pub destructive: Option<PolicyRule>,
}

/// The user's policy: defaults for every environment, per-environment overrides, and which
/// environments are production (whose typed confirmation no setting removes).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    pub defaults: RuleSet,
    /// Keyed by environment name (case-insensitive).
    pub environments: BTreeMap<String, RuleSet>,
    /// Production environments: names, any case, or prefixes ending in `*` (`prod-*`).
    pub production: Vec<String>,
}

/// The environments that are production unless the settings name others.
pub const PRODUCTION: &[&str] = &["prod", "production", "prd", "live", "main", "prod-*"];

impl Default for Policy {
    fn default() -> Self {
        Self {
            defaults: RuleSet::default(),
            environments: BTreeMap::new(),
            production: PRODUCTION.iter().map(|p| p.to_string()).collect(),
        }
    }
}

impl Policy {
    /// Is `environment` production?
    pub fn is_production(&self, environment: &str) -> bool {
        let name = environment.to_ascii_lowercase();
        self.production.iter().any(|pattern| {
            let pattern = pattern.to_ascii_lowercase();
            match pattern.strip_suffix('*') {
                Some(prefix) => name.starts_with(prefix),
                None => name == pattern,
            }
        })
    }
}
