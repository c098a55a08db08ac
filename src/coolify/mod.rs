//! Coolify REST client: one method per endpoint of its route table, returning domain types
//! (the lenient wire types stay inside), typed errors, deployment-log decoding and the
//! incremental tailer, and the tree loader.

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
mod wire;

pub use applications::{ApplicationPatch, EnvVarInput};
pub use client::Client;
pub use deployments::{DeployRequest, DeployTarget};
pub use error::CoolifyError;
pub use follow::{Follower, Poll, read_poll};
pub use logs::{LineFormatter, LogDecodeError, Tailer, decode_logs};
pub use servers::Lifecycle;
pub use tree::{Loader, TreeAnswers, TreeBodies, load_scope, load_tree};

/// How long to wait for Coolify, and how often to retry idempotent reads.
pub use crate::http::Options as ClientOptions;
