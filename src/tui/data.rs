//! What the server last told the console: the tree of projects, the running deployments,
//! an application's recent deployments, and how fresh it all is.

use std::collections::HashMap;
use std::time::Duration;

use jiff::Timestamp;

use crate::model::{Deployment, LoadWarning, Tree};

/// What the server last told us, and how fresh it is.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub tree: Tree,
    pub version: Option<String>,
    /// Active deployments by application uuid.
    pub deploying: HashMap<String, Deployment>,
    pub loaded_at: Option<Timestamp>,
    pub loading: bool,
    /// The last refresh failed; the data above is stale.
    pub error: Option<LoadError>,
    /// The CPU time the last load took.
    pub load_cost: Option<Duration>,
    /// The parts the last load could not read (each refresh tries them again).
    pub warnings: Vec<LoadWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub message: String,
    /// When refreshes started failing.
    pub since: Timestamp,
}

/// An application's recent deployments.
#[derive(Debug, Clone, Default)]
pub struct Recent {
    pub deployments: Vec<Deployment>,
    pub error: Option<String>,
    pub loading: bool,
}
