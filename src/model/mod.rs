//! Domain types, pure: no I/O, no terminal, no wire format.

mod abilities;
mod address;
pub mod board;
mod deployment;
mod env;
mod log;
mod overview;
pub mod pipeline;
mod printable;
mod settings;
pub mod sizing;
pub mod stages;
mod status;
pub mod time;
mod tree;
mod version;
pub mod words;

pub use abilities::{Abilities, Ability, ClockSkew};
pub use address::{Address, AddressError};
pub use deployment::{
    Accepted, DeployQueued, Deployment, DeploymentLog, DeploymentPage, DeploymentStatus, LogEntry,
    LogStream, RollbackImage, RollbackImages, Trigger, short_sha,
};
pub use env::EnvVar;
pub use log::{LineKind, LogLine};
pub use overview::{LoadWarning, Overview, Part};
pub use printable::{printable, printable_line};
pub use settings::{AppSettings, Setting, shown_value};
pub use status::{Health, ResourceStatus, RunState};
pub use tree::{
    AppInfo, Environment, Project, Resource, ResourceKind, Server, ServerDomains, ServerResource,
    Tree, Unplaced,
};
pub use version::Version;
