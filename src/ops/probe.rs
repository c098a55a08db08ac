//! A server and a token checked before anything is done with them (`pftui login` stores a
//! token only once the server accepts it; `pftui doctor` reports on every context): whether
//! it answers, its version, what the token may do, and its clock. Nothing changes on the
//! server.

use std::time::Duration;

use secrecy::SecretString;

use super::OpsError;
use crate::coolify::Client;
use crate::model::{Abilities, ClockSkew};

/// A server and a token under examination.
#[derive(Debug, Clone)]
pub struct Probe {
    client: Client,
}

impl Probe {
    /// Probe `url` with `token`, retrying reads as every command does.
    pub fn new(url: &str, token: SecretString) -> Result<Self, OpsError> {
        Ok(Self {
            client: Client::new(url, token)?,
        })
    }

    /// One attempt per request, each given at most `timeout`: a report that is quick to
    /// say what is wrong.
    pub fn impatient(url: &str, token: SecretString, timeout: Duration) -> Result<Self, OpsError> {
        let options = crate::http::Options {
            attempts: 1,
            request_timeout: timeout,
            ..crate::http::Options::default()
        };
        Ok(Self {
            client: Client::with_options(url, token, options)?,
        })
    }

    /// The server's address as a user would type it (without `/api/v1`).
    pub fn url(&self) -> &str {
        self.client.base_url()
    }

    /// Does it answer at all (no token needed)?
    pub async fn health(&self) -> Result<(), OpsError> {
        Ok(self.client.health().await?)
    }

    /// The version it reports (the token must be accepted).
    pub async fn version(&self) -> Result<String, OpsError> {
        Ok(self.client.version().await?)
    }

    /// What the token may do.
    pub async fn abilities(&self) -> Result<Abilities, OpsError> {
        Ok(self.client.probe_abilities().await?)
    }

    /// The server's clock against ours.
    pub async fn clock_skew(&self) -> Result<ClockSkew, OpsError> {
        Ok(self.client.clock_skew().await?)
    }
}
