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

/// The user's policy: defaults for every environment, and per-environment overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    pub defaults: RuleSet,
    /// Keyed by environment name (case-insensitive).
    pub environments: BTreeMap<String, RuleSet>,
}
