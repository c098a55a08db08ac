//! What a console shows at a glance.

use super::{Deployment, Tree};

/// The tree plus what a console shows around it.
#[derive(Debug, Clone)]
pub struct Overview {
    pub tree: Tree,
    /// The server's version, as it reports it.
    pub version: String,
    /// Queued and in-progress deployments.
    pub running: Vec<Deployment>,
}
