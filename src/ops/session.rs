//! A session: the Coolify server pftui talks to, and how it got there.

use crate::coolify::{self, CoolifyError};
use crate::github;
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
    /// GitHub's API and a token, for promotion by merge.
    pub github: Option<(String, Credential)>,
}

/// An open connection to one Coolify server.
#[derive(Debug, Clone)]
pub struct Session {
    pub context: String,
    pub coolify: coolify::Client,
    pub token_source: Source,
    pub read_only: bool,
    pub health_via: Option<String>,
    pub github: Option<github::Client>,
}

impl Session {
    pub fn open(target: Endpoint) -> Result<Self, CoolifyError> {
        let coolify = coolify::Client::new(&target.url, target.token.value)?;
        let github = match target.github {
            Some((url, token)) => Some(github::Client::new(&url, token.value).map_err(|e| {
                CoolifyError::InvalidUrl {
                    url: url.clone(),
                    detail: e.to_string(),
                }
            })?),
            None => None,
        };
        Ok(Self {
            context: target.context,
            coolify,
            token_source: target.token.source,
            read_only: target.read_only,
            health_via: target.health_via,
            github,
        })
    }
}
