//! The policy verdict for a plan, and checking that a confirmation satisfies it.

use std::fmt;

use serde::Serialize;

use crate::settings::{Policy, PolicyRule, RuleSet, Settings};

/// How dangerous an operation is; decided by code, never by a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Read,
    Write,
    Deploy,
    Destructive,
}

impl Risk {
    /// `read`, `write`, `deploy`, `destructive`: as the settings file and the tools name it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Deploy => "deploy",
            Self::Destructive => "destructive",
        }
    }

    /// This class's rule in one layer of the policy.
    fn in_layer(self, rules: &RuleSet) -> Option<PolicyRule> {
        match self {
            Self::Read => rules.read,
            Self::Write => rules.write,
            Self::Deploy => rules.deploy,
            Self::Destructive => rules.destructive,
        }
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The rule for `risk` in `environment`: the user's environment rule, then the user's
/// defaults, then the built-in defaults (read allow; write and deploy confirm; destructive
/// confirm-typed), and never laxer than the environment's [`floor`].
pub fn rule(policy: &Policy, environment: &str, risk: Risk) -> PolicyRule {
    let user_env = policy
        .environments
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(environment))
        .and_then(|(_, rules)| risk.in_layer(rules));
    let chosen = user_env
        .or(risk.in_layer(&policy.defaults))
        .unwrap_or(match risk {
            Risk::Read => PolicyRule::Allow,
            Risk::Write | Risk::Deploy => PolicyRule::Confirm,
            Risk::Destructive => PolicyRule::ConfirmTyped,
        });
    stricter(chosen, floor(policy, environment, risk))
}

/// The laxest rule any setting may give `risk` in `environment`: production always asks
/// for its name to be typed before a deploy or a destructive operation, and for a
/// confirmation before any other change.
pub fn floor(policy: &Policy, environment: &str, risk: Risk) -> PolicyRule {
    match (policy.is_production(environment), risk) {
        (true, Risk::Deploy | Risk::Destructive) => PolicyRule::ConfirmTyped,
        (true, Risk::Write) => PolicyRule::Confirm,
        (_, Risk::Read) | (false, _) => PolicyRule::Allow,
    }
}

/// Rules of the settings that ask for less than production's floor, and so do not apply,
/// one sentence each (for `pftui doctor`).
pub fn below_floor(policy: &Policy) -> Vec<String> {
    let risks = [Risk::Write, Risk::Deploy, Risk::Destructive];
    let mut out = Vec::new();
    let mut check = |place: &str, environment: &str, rules: &RuleSet| {
        for risk in risks {
            let floor = floor(policy, environment, risk);
            if let Some(asked) = risk.in_layer(rules)
                && strictness(asked) < strictness(floor)
            {
                out.push(format!(
                    "{place}: {risk} {} is laxer than production allows; {environment} keeps {}",
                    rule_name(asked),
                    rule_name(floor)
                ));
            }
        }
    };
    for (environment, rules) in &policy.environments {
        if policy.is_production(environment) {
            check(
                &format!("policy.environments.{environment}"),
                environment,
                rules,
            );
        }
    }
    if let Some(prod) = policy.production.first() {
        check("policy.defaults", prod, &policy.defaults);
    }
    out
}

fn strictness(rule: PolicyRule) -> u8 {
    match rule {
        PolicyRule::Allow => 0,
        PolicyRule::Confirm => 1,
        PolicyRule::ConfirmTyped => 2,
        PolicyRule::Deny => 3,
    }
}

fn stricter(a: PolicyRule, b: PolicyRule) -> PolicyRule {
    if strictness(a) >= strictness(b) { a } else { b }
}

/// As the settings file spells it.
fn rule_name(rule: PolicyRule) -> &'static str {
    match rule {
        PolicyRule::Allow => "allow",
        PolicyRule::Confirm => "confirm",
        PolicyRule::ConfirmTyped => "confirm-typed",
        PolicyRule::Deny => "deny",
    }
}

/// What must happen before an operation runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    Confirm,
    /// The operator types the environment's name.
    ConfirmTyped {
        expected: String,
    },
    Deny {
        reason: String,
    },
}

impl Verdict {
    /// The verdict for `risk` in `environment` of a context.
    pub fn decide(
        settings: &Settings,
        context: &str,
        read_only: bool,
        environment: &str,
        risk: Risk,
    ) -> Self {
        if read_only && risk != Risk::Read {
            return Self::Deny {
                reason: format!("context {context} is read-only"),
            };
        }
        match rule(&settings.policy, environment, risk) {
            PolicyRule::Allow => Self::Allow,
            PolicyRule::Confirm => Self::Confirm,
            PolicyRule::ConfirmTyped => Self::ConfirmTyped {
                expected: environment.to_string(),
            },
            PolicyRule::Deny => Self::Deny {
                reason: format!("the policy denies {risk} operations in {environment}"),
            },
        }
    }

    /// Does `given` satisfy this verdict? `Err` says what is missing.
    pub fn check(&self, given: &Confirmation) -> Result<(), String> {
        match (self, given) {
            (Self::Deny { reason }, _) => Err(reason.clone()),
            (Self::Allow, _) => Ok(()),
            (Self::Confirm, Confirmation::Yes | Confirmation::Typed(_)) => Ok(()),
            (Self::Confirm, Confirmation::None) => Err("this needs a confirmation".into()),
            (Self::ConfirmTyped { expected }, Confirmation::Typed(t))
                if t.trim().eq_ignore_ascii_case(expected) =>
            {
                Ok(())
            }
            (Self::ConfirmTyped { expected }, _) => Err(format!(
                "this needs the environment's name typed: {expected}"
            )),
        }
    }
}

/// What the operator gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    None,
    /// A yes (key `y`, or `--yes`).
    Yes,
    /// A typed name (or `--confirm NAME`).
    Typed(String),
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Allow => f.write_str("allowed"),
            Self::Confirm => f.write_str("needs a confirmation"),
            Self::ConfirmTyped { expected } => {
                write!(f, "needs the environment's name typed ({expected})")
            }
            Self::Deny { reason } => write!(f, "denied: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_contexts_refuse_writes() {
        let s = Settings::default();
        let v = Verdict::decide(&s, "lab", true, "dev", Risk::Deploy);
        assert_eq!(
            v,
            Verdict::Deny {
                reason: "context lab is read-only".into()
            }
        );
        assert_eq!(
            Verdict::decide(&s, "lab", true, "dev", Risk::Read),
            Verdict::Allow
        );
    }

    #[test]
    fn confirmations_are_checked_against_the_verdict() {
        let typed = Verdict::ConfirmTyped {
            expected: "prod".into(),
        };
        assert!(typed.check(&Confirmation::Yes).is_err());
        assert!(typed.check(&Confirmation::Typed("staging".into())).is_err());
        assert!(typed.check(&Confirmation::Typed(" PROD ".into())).is_ok());
        assert!(Verdict::Confirm.check(&Confirmation::None).is_err());
        assert!(Verdict::Confirm.check(&Confirmation::Yes).is_ok());
        let deny = Verdict::Deny {
            reason: "no".into(),
        };
        assert_eq!(
            deny.check(&Confirmation::Typed("x".into())),
            Err("no".into())
        );
    }

    #[test]
    fn settings_never_make_production_laxer_but_may_make_it_stricter() {
        let p: Policy = yaml_serde::from_str(
            "defaults: { deploy: allow, write: allow }\nenvironments:\n  prod: { deploy: allow, destructive: allow, write: allow }\n  PROD-EU: { destructive: deny }\n  qa: { deploy: allow }\n",
        )
        .unwrap();
        for env in ["prod", "Production", "prd", "live", "prod-eu", "prod-us-2"] {
            assert_eq!(
                rule(&p, env, Risk::Deploy),
                PolicyRule::ConfirmTyped,
                "{env}"
            );
            assert_eq!(rule(&p, env, Risk::Write), PolicyRule::Confirm, "{env}");
        }
        assert_eq!(
            rule(&p, "prod", Risk::Destructive),
            PolicyRule::ConfirmTyped
        );
        assert_eq!(
            rule(&p, "prod-eu", Risk::Destructive),
            PolicyRule::Deny,
            "stricter stays"
        );
        assert_eq!(
            rule(&p, "qa", Risk::Deploy),
            PolicyRule::Allow,
            "not production"
        );
        assert_eq!(rule(&p, "prodigy", Risk::Deploy), PolicyRule::Allow);
        let laxer = below_floor(&p);
        assert!(
            laxer
                .iter()
                .any(|l| l.starts_with("policy.environments.prod: deploy allow")),
            "{laxer:?}"
        );
        assert!(
            laxer
                .iter()
                .any(|l| l.starts_with("policy.defaults: deploy allow")),
            "{laxer:?}"
        );
        assert!(below_floor(&Policy::default()).is_empty());
    }

    #[test]
    fn production_is_what_the_settings_name() {
        let p: Policy = yaml_serde::from_str("production: [live, eu-*]\n").unwrap();
        assert_eq!(rule(&p, "eu-west", Risk::Deploy), PolicyRule::ConfirmTyped);
        assert_eq!(
            rule(&p, "prod", Risk::Deploy),
            PolicyRule::Confirm,
            "no longer listed"
        );
        let v = Verdict::decide(
            &Settings {
                policy: p,
                ..Settings::default()
            },
            "c",
            false,
            "EU-west",
            Risk::Deploy,
        );
        assert_eq!(
            v,
            Verdict::ConfirmTyped {
                expected: "EU-west".into()
            }
        );
    }

    #[test]
    fn built_in_defaults_follow_the_safety_model() {
        let p = Policy::default();
        assert_eq!(rule(&p, "dev", Risk::Read), PolicyRule::Allow);
        assert_eq!(rule(&p, "dev", Risk::Deploy), PolicyRule::Confirm);
        assert_eq!(rule(&p, "staging", Risk::Deploy), PolicyRule::Confirm);
        assert_eq!(rule(&p, "Prod", Risk::Deploy), PolicyRule::ConfirmTyped);
        assert_eq!(rule(&p, "dev", Risk::Destructive), PolicyRule::ConfirmTyped);
    }

    #[test]
    fn user_rules_layer_over_the_defaults() {
        let p: Policy = yaml_serde::from_str(
            "defaults: { deploy: allow }\nenvironments:\n  Staging: { deploy: deny }\n  prod: { read: confirm }\n",
        )
        .unwrap();
        assert_eq!(rule(&p, "dev", Risk::Deploy), PolicyRule::Allow);
        assert_eq!(rule(&p, "staging", Risk::Deploy), PolicyRule::Deny);
        assert_eq!(rule(&p, "prod", Risk::Deploy), PolicyRule::ConfirmTyped);
        assert_eq!(rule(&p, "prod", Risk::Read), PolicyRule::Confirm);
    }

    #[test]
    fn production_deploys_need_the_name() {
        let s = Settings::default();
        assert_eq!(
            Verdict::decide(&s, "c", false, "prod", Risk::Deploy),
            Verdict::ConfirmTyped {
                expected: "prod".into()
            }
        );
        assert_eq!(
            Verdict::decide(&s, "c", false, "dev", Risk::Deploy),
            Verdict::Confirm
        );
    }
}
