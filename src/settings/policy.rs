//! What each environment allows, per risk class, as the settings file states it.

use std::collections::BTreeMap;

use serde::Deserialize;

/// How dangerous an operation is; decided by code, never by a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Risk {
    Read,
    Write,
    Deploy,
    Destructive,
}

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

impl RuleSet {
    fn get(&self, risk: Risk) -> Option<PolicyRule> {
        match risk {
            Risk::Read => self.read,
            Risk::Write => self.write,
            Risk::Deploy => self.deploy,
            Risk::Destructive => self.destructive,
        }
    }
}

/// The user's policy: defaults for every environment, and per-environment overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    pub defaults: RuleSet,
    /// Keyed by environment name (case-insensitive).
    pub environments: BTreeMap<String, RuleSet>,
}

impl Policy {
    /// The rule for `risk` in `environment`: the user's environment rule, then the
    /// built-in one for production, then the user's defaults, then the built-in defaults
    /// (read allow; write and deploy confirm; destructive confirm-typed; production
    /// deploys confirm-typed).
    pub fn rule(&self, environment: &str, risk: Risk) -> PolicyRule {
        let user_env = self
            .environments
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(environment))
            .and_then(|(_, rules)| rules.get(risk));
        let builtin_env = (is_production(environment) && risk == Risk::Deploy)
            .then_some(PolicyRule::ConfirmTyped);
        user_env
            .or(builtin_env)
            .or(self.defaults.get(risk))
            .unwrap_or(match risk {
                Risk::Read => PolicyRule::Allow,
                Risk::Write | Risk::Deploy => PolicyRule::Confirm,
                Risk::Destructive => PolicyRule::ConfirmTyped,
            })
    }
}

/// `prod`, `production`, `live` and `main` are production environments.
pub fn is_production(environment: &str) -> bool {
    matches!(
        environment.to_ascii_lowercase().as_str(),
        "prod" | "production" | "live" | "main"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_defaults_follow_the_safety_model() {
        let p = Policy::default();
        assert_eq!(p.rule("dev", Risk::Read), PolicyRule::Allow);
        assert_eq!(p.rule("dev", Risk::Deploy), PolicyRule::Confirm);
        assert_eq!(p.rule("staging", Risk::Deploy), PolicyRule::Confirm);
        assert_eq!(p.rule("Prod", Risk::Deploy), PolicyRule::ConfirmTyped);
        assert_eq!(p.rule("dev", Risk::Destructive), PolicyRule::ConfirmTyped);
    }

    #[test]
    fn user_rules_layer_over_the_defaults() {
        let p: Policy = yaml_serde::from_str(
            "defaults: { deploy: allow }\nenvironments:\n  Staging: { deploy: deny }\n  prod: { read: confirm }\n",
        )
        .unwrap();
        assert_eq!(p.rule("dev", Risk::Deploy), PolicyRule::Allow);
        assert_eq!(p.rule("staging", Risk::Deploy), PolicyRule::Deny);
        assert_eq!(p.rule("prod", Risk::Deploy), PolicyRule::ConfirmTyped);
        assert_eq!(p.rule("prod", Risk::Read), PolicyRule::Confirm);
    }
}
