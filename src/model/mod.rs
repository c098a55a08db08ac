//! Domain types, pure: no I/O, no terminal, no wire format.

mod address;
mod deployment;
pub mod sizing;
mod status;
pub mod time;
mod tree;
pub mod words;

pub use address::{Address, AddressError};
pub use deployment::{Deployment, DeploymentStatus, LogEntry, LogStream, Trigger, short_sha};
pub use status::{Health, ResourceStatus, RunState};
pub use tree::{AppInfo, Environment, Project, Resource, ResourceKind, Server, Tree};
