//! Operations as typed values: what they act on, how risky they are, and the CLI command
//! that does the same.

use std::fmt;

use serde::Serialize;

use crate::model::ResourceKind;
use super::policy::Risk;

/// A resource an operation acts on, named the way operators name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub project: String,
    pub environment: String,
    pub name: String,
    pub uuid: String,
    pub kind: ResourceKind,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.project, self.environment, self.name)
    }
}

/// What the operator (or the agent) asks for, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Deploy {
        project: String,
        environment: String,
        app: Option<String>,
        force: bool,
    },
    Restart(Scope),
    Stop(Scope),
    Start(Scope),
    Cancel(Scope),
    Promote {
        project: String,
        from: String,
        to: String,
    },
    Rollback {
        scope: Scope,
        /// An image tag (commit); the previous image when `None`.
        to: Option<String>,
    },
}

/// `project env [resource]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub project: String,
    pub environment: String,
    pub resource: Option<String>,
}

/// The kinds of operation, for names, risk and the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Deploy,
    Restart,
    Stop,
    Start,
    Cancel,
    Promote,
    Rollback,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Deploy => "deploy",
            Self::Restart => "restart",
            Self::Stop => "stop",
            Self::Start => "start",
            Self::Cancel => "cancel",
            Self::Promote => "promote",
            Self::Rollback => "rollback",
        }
    }

    /// Decided here, in code: never by a model.
    pub fn risk(self) -> Risk {
        match self {
            Self::Cancel => Risk::Write,
            Self::Deploy | Self::Restart | Self::Start | Self::Promote | Self::Rollback => {
                Risk::Deploy
            }
            // Stopping takes a service down until someone starts it again.
            Self::Stop => Risk::Destructive,
        }
    }

    /// Does the operation leave a deployment to follow?
    pub fn deploys(self) -> bool {
        matches!(
            self,
            Self::Deploy | Self::Restart | Self::Start | Self::Promote | Self::Rollback
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risks_are_fixed_by_kind() {
        assert_eq!(Kind::Deploy.risk(), Risk::Deploy);
        assert_eq!(Kind::Stop.risk(), Risk::Destructive);
        assert_eq!(Kind::Cancel.risk(), Risk::Write);
        assert!(Kind::Rollback.deploys() && !Kind::Stop.deploys());
    }
}
