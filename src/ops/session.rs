//! A session: the Coolify server pftui talks to (and GitHub, for promotions), and how it
//! got there. Front ends open one from a [`Connection`] and ask about it through its
//! accessors; the clients stay inside `ops`.

use super::OpsError;
use crate::coolify::{self, CoolifyError};
use crate::github;
use crate::http::Options;
use crate::secrets::{Credential, Source, redact};
use crate::settings::Limits;

/// How to reach a context's server, as resolved from flags, environment and settings.
#[derive(Debug, Clone)]
pub struct Connection {
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
    context: String,
    pub(super) coolify: coolify::Client,
    token_source: Source,
    read_only: bool,
    pub(super) health_via: Option<String>,
    pub(super) github: Option<github::Client>,
}

impl Session {
    /// Open a session with the default [`Limits`].
    pub fn open(target: Connection) -> Result<Self, OpsError> {
        Self::open_with(target, &Limits::default())
    }

    /// Open a session whose requests wait and read as `limits` say. Its tokens are
    /// registered for redaction at once: whatever pftui writes down or sends to a model
    /// from now on has them masked.
    pub fn open_with(target: Connection, limits: &Limits) -> Result<Self, OpsError> {
        redact::register(&target.token.value);
        let options = Options {
            connect_timeout: limits.connect(),
            request_timeout: limits.request(),
            body_limit: limits.body_bytes(),
            ..Options::default()
        };
        let coolify =
            coolify::Client::with_options(&target.url, target.token.value, options.clone())?;
        let github = match target.github {
            Some((url, token)) => {
                redact::register(&token.value);
                Some(
                    github::Client::with_options(&url, token.value, options).map_err(|e| {
                        CoolifyError::InvalidUrl {
                            url: url.clone(),
                            detail: e.to_string(),
                        }
                    })?,
                )
            }
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

    /// The context's name.
    pub fn context(&self) -> &str {
        &self.context
    }

    /// The server's address as a user would type it (without `/api/v1`).
    pub fn url(&self) -> &str {
        self.coolify.base_url()
    }

    /// Where the Coolify token came from (never the token).
    pub fn token_source(&self) -> &Source {
        &self.token_source
    }

    /// Every write is refused.
    pub fn read_only(&self) -> bool {
        self.read_only
    }
}
