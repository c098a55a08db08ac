//! Following one deployment to its end by polling `GET /deployments/{uuid}`: Coolify has
//! no log stream, so each poll re-reads the whole log, entry by entry while it arrives, and
//! the [`Tailer`] keeps what is new.

use std::time::Duration;

use super::logstream::{PollReader, Polled};
use super::{Client, CoolifyError, Tailer};
use crate::http::{Incremental, Interrupt};
use crate::model::{Deployment, DeploymentLog, LogEntry};

/// One poll of a followed deployment: its news.
#[derive(Debug, Clone)]
pub struct Poll {
    pub deployment: Deployment,
    /// Entries not seen in earlier polls, in order.
    pub entries: Vec<LogEntry>,
    /// What the poll found of the log, its entries aside (they are in `entries`).
    pub log: DeploymentLog<()>,
}

impl Poll {
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

    /// Yield at most `keep` entries of one poll, the newest (a log already huge when
    /// following starts is not held whole).
    pub fn keeping(mut self, keep: usize) -> Self {
        self.tailer = Tailer::keeping(keep);
        self
    }

    /// How many entries were left out for [`Follower::keeping`].
    pub fn skipped(&self) -> u64 {
        self.tailer.skipped()
    }

    /// Wait for the next poll (none before the first) and return its news; `None` once the
    /// tail is done (the poll after the one that saw the final status).
    pub async fn next(&mut self) -> Result<Option<Poll>, CoolifyError> {
        if self.done {
            return Ok(None);
        }
        if self.started {
            tokio::time::sleep(self.interval).await;
        }
        self.started = true;
        let polled = self
            .client
            .poll_deployment(&self.uuid, &self.tailer)
            .await?;
        let poll = record(&mut self.tailer, polled);
        self.done = self.tailer.is_done();
        Ok(Some(poll))
    }
}

/// One poll of `tailer` read from the pieces of a `GET /deployments/{uuid}` answer as they
/// arrive, the way [`Follower::next`] reads each answer it fetches.
pub fn read_poll<'a>(
    tailer: &mut Tailer,
    pieces: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Poll, CoolifyError> {
    let mut reader = PollReader::new(tailer.poll());
    let polled = pieces
        .into_iter()
        .try_for_each(|piece| reader.feed(piece))
        .and_then(|()| reader.finish())
        .map_err(|interrupt| CoolifyError::Decode {
            endpoint: "/deployments/{uuid}".into(),
            detail: match interrupt {
                Interrupt::Whole(_) => "the answer is not a JSON object".into(),
                Interrupt::Broken(detail) => detail,
            },
        })?;
    Ok(record(tailer, polled))
}

/// Close a poll: its deployment, and the entries the tail had not yielded yet.
fn record(tailer: &mut Tailer, polled: Polled) -> Poll {
    let deployment = polled.deployment.to_model();
    let entries = tailer.record(&deployment.status, polled.fresh);
    Poll {
        deployment,
        entries,
        log: polled.log,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poll_read_from_pieces_yields_the_new_entries() {
        let body = br#"{"deployment_uuid":"d","status":"finished","logs":"[{\"order\":2,\"output\":\"b\"},{\"order\":1,\"output\":\"a\"}]"}"#;
        let mut tailer = Tailer::new();
        let poll = read_poll(&mut tailer, body.chunks(3)).unwrap();
        let outputs: Vec<_> = poll.entries.iter().map(|e| e.output.as_str()).collect();
        assert_eq!(outputs, ["a", "b"]);
        assert!(poll.is_final() && poll.log == DeploymentLog::Entries(()));
        assert!(
            read_poll(&mut tailer, [&body[..]])
                .unwrap()
                .entries
                .is_empty()
        );
        assert!(tailer.is_done());
        let err = read_poll(&mut Tailer::new(), [&b"<html>"[..]]).unwrap_err();
        assert!(matches!(err, CoolifyError::Decode { .. }), "{err:?}");
    }
}
