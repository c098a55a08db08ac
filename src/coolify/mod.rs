//! Coolify REST client: lenient wire types, one method per endpoint, typed errors,
//! deployment-log decoding and the incremental tailer, and the tree loader.

mod applications;
mod client;
mod deployments;
mod error;
mod follow;
mod logs;
mod logstream;
mod probe;
mod projects;
pub mod routes;
mod servers;
mod stream;
mod tree;
mod version;
pub mod wire;

pub use applications::{ApplicationPatch, EnvVarInput};
pub use client::Client;
pub use deployments::{DeployQueued, DeployRequest, DeployTarget};
pub use error::CoolifyError;
pub use follow::{Follower, Progress, read_poll};
pub use logs::{LineFormatter, LineKind, LogDecodeError, LogLine, Tailer, decode_logs};
pub use probe::{Abilities, Ability, ClockSkew};
pub use servers::Lifecycle;
pub use tree::{Loader, Overview, assemble, load_scope, load_tree};
pub use version::Version;

/// How long to wait for Coolify, and how often to retry idempotent reads.
pub use crate::http::Options as ClientOptions;
