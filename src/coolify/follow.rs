//! Following one deployment to its end by polling `GET /deployments/{uuid}`: Coolify has
//! no log stream, so each poll re-reads the whole log and the [`Tailer`] keeps what is new.

use std::time::Duration;

use super::{Client, CoolifyError, Tailer};
use crate::model::{Deployment, LogEntry};

/// One poll's news.
#[derive(Debug, Clone)]
pub struct Progress {
    pub deployment: Deployment,
    /// Entries not seen in earlier polls, in order.
    pub entries: Vec<LogEntry>,
    /// Coolify left the log out: the token lacks `read:sensitive`.
    pub logs_withheld: bool,
}

impl Progress {
    pub fn is_final(&self) -> bool {
        self.deployment.status.is_final()
    }
}

/// Polls one deployment until it reaches a final status.
pub struct Follower {
    client: Client,
    uuid: String,
    tailer: Tailer,
    interval: Duration,
    started: bool,
    done: bool,
}

impl Follower {
    pub fn new(client: Client, uuid: &str, interval: Duration) -> Self {
        Self {
            client,
            uuid: uuid.to_string(),
            tailer: Tailer::new(),
            interval,
            started: false,
            done: false,
        }
    }

    pub fn uuid(&self) -> &str {
        &self.uuid
    }

    /// Wait for the next poll (none before the first) and return its news; `None` once the
    /// tail is done (the poll after the one that saw the final status).
    pub async fn next(&mut self) -> Result<Option<Progress>, CoolifyError> {
        if self.done {
            return Ok(None);
        }
        if self.started {
            tokio::time::sleep(self.interval).await;
        }
        self.started = true;
        let wire = self.client.deployment(&self.uuid).await?;
        let deployment = wire.to_model();
        let entries = self
            .tailer
            .feed(&deployment.status, wire.logs.as_deref())
            .map_err(|e| CoolifyError::Decode {
                endpoint: format!("/deployments/{}", self.uuid),
                detail: e.to_string(),
            })?;
        self.done = self.tailer.is_done();
        Ok(Some(Progress {
            deployment,
            entries,
            logs_withheld: wire.logs.is_none(),
        }))
    }
}
