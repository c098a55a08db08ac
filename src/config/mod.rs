//! The platform configuration (seed sections 4.2, 5 and 8.2): the pf-core -> instance ->
//! product layers of a configuration repository, merged with the origin of every value,
//! checked against a schema derived from the types, and mapped to the desired state of
//! each Coolify application.
//!
//! - [`layout`]: the repository's files (`pf-core.config.yaml`,
//!   `instances/<name>.instance.yaml`, `products/<instance>-<code>.product.yaml`), their
//!   `extends` chains, and the seed's example set built in for `--demo`.
//! - [`tree`]: the positioned YAML tree and the deep merge (maps key by key; scalars and
//!   lists from the child).
//! - [`environment`]: development, staging, production, and a layer's view of one.
//! - [`schema`]: the types, their JSON schema, and the check with file:line:column.
//! - [`resolve`]: a target merged for an environment, checked, typed; the whole check.
//! - [`desired`]: the mapping to Coolify's settings and environment variables.
//!
//! Nothing here talks to a server or reads a credential: a secret is a named reference.

pub mod desired;
pub mod environment;
pub mod layout;
pub mod origin;
pub mod resolve;
pub mod schema;
pub mod tree;

use std::path::PathBuf;

pub use desired::{DesiredApp, DesiredEnv, DesiredField, DesiredSettings, DesiredValue, Sourced};
pub use environment::Environment;
pub use layout::{EXAMPLES_DIR, Platform, Target};
pub use origin::{Origin, Problem, Problems};
pub use resolve::Resolved;
pub use schema::{PlatformConfig, SecretRef};

/// The configuration directory when neither `--config-dir` nor the settings name one.
pub const DEFAULT_DIR: &str = "./config";

/// The repository could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "the platform configuration directory {} does not exist: pass --config-dir DIR, set platform.config_dir in the settings, or run with --demo for the built-in example (examples/platform)",
        dir.display()
    )]
    Missing { dir: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}
