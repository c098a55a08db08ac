//! A session: the Coolify server pftui talks to, and how it got there.

use crate::coolify::{self, CoolifyError};
use crate::secrets::{Credential, Source};

/// Where to connect, as resolved from flags, environment and settings.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The context's name (`demo` for the embedded simulator, `env` when only environment
    /// variables named the server).
    pub context: String,
    pub url: String,
    pub token: Credential,
    /// Refuse every write.
    pub read_only: bool,
    /// Send app health checks through this base (the simulator's `/_sim/health`).
    pub health_via: Option<String>,
}

/// An open connection to one Coolify server.
#[derive(Debug, Clone)]
pub struct Session {
    pub context: String,
    pub coolify: coolify::Client,
    pub token_source: Source,
    pub read_only: bool,
    pub health_via: Option<String>,
}

impl Session {
    pub fn open(target: Endpoint) -> Result<Self, CoolifyError> {
        let coolify = coolify::Client::new(&target.url, target.token.value)?;
        Ok(Self {
            context: target.context,
            coolify,
            token_source: target.token.source,
            read_only: target.read_only,
            health_via: target.health_via,
        })
    }
}
