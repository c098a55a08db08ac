//! What a console shows at a glance.

use std::fmt;

use serde::Serialize;

use super::{Deployment, Tree};

/// The tree plus what a console shows around it.
#[derive(Debug, Clone)]
pub struct Overview {
    pub tree: Tree,
    /// The server's version, as it reports it; `None` when it could not be read.
    pub version: Option<String>,
    /// Queued and in-progress deployments.
    pub running: Vec<Deployment>,
    /// The parts that could not be read; the rest is shown without them.
    pub warnings: Vec<LoadWarning>,
}

impl Overview {
    /// The projects and the applications were read: what an operator needs most is there.
    pub fn essentials_read(&self) -> bool {
        !self.warnings.iter().any(|w| w.part == Part::Applications)
    }
}

/// One part of a load that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadWarning {
    pub part: Part,
    /// The request that failed, as `GET /databases`.
    pub request: String,
    /// Why, in one line.
    pub reason: String,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not read {}: {}",
            self.part, self.request, self.reason
        )
    }
}

/// The parts of a load, each read on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Applications,
    Databases,
    Services,
    /// One project's environments (the project is shown without them).
    Environments,
    Servers,
    /// What runs on one server.
    Placement,
    Version,
    /// Queued and in-progress deployments.
    Deployments,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Applications => "applications",
            Self::Databases => "databases",
            Self::Services => "services",
            Self::Environments => "environments",
            Self::Servers => "servers",
            Self::Placement => "what runs where",
            Self::Version => "version",
            Self::Deployments => "running deployments",
        })
    }
}
