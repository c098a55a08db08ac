//! The policy verdict for a plan, and checking that a confirmation satisfies it.

use std::fmt;

use crate::settings::{PolicyRule, Risk, Settings};

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
        match settings.policy.rule(environment, risk) {
            PolicyRule::Allow => Self::Allow,
            PolicyRule::Confirm => Self::Confirm,
            PolicyRule::ConfirmTyped => Self::ConfirmTyped {
                expected: environment.to_string(),
            },
            PolicyRule::Deny => Self::Deny {
                reason: format!(
                    "the policy denies {} operations in {environment}",
                    risk_name(risk)
                ),
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

pub fn risk_name(risk: Risk) -> &'static str {
    match risk {
        Risk::Read => "read",
        Risk::Write => "write",
        Risk::Deploy => "deploy",
        Risk::Destructive => "destructive",
    }
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
