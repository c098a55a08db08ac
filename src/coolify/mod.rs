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
mod servers;
mod stream;
mod tree;
mod version;
pub mod wire;

pub use applications::{ApplicationPatch, EnvVarInput};
pub use client::{Client, ClientOptions};
pub use deployments::{DeployQueued, DeployRequest, DeployTarget};
pub use error::CoolifyError;
pub use follow::{Follower, Progress, read_poll};
pub use logs::{LineFormatter, LineKind, LogDecodeError, LogLine, Tailer, decode_logs};
pub use probe::{Abilities, Ability, ClockSkew};
pub use servers::Lifecycle;
pub use tree::{Loader, Overview, assemble, load_scope, load_tree};
pub use version::Version;

/// Percent-encode one path segment (uuids are safe, environment names may not be).
fn path_segment(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `?a=1&b=2`, encoded; empty when there are no parameters.
fn query(params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let mut s = url::form_urlencoded::Serializer::new(String::from("?"));
    s.extend_pairs(params);
    s.finish()
}
