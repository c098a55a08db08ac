//! Deployments and their log entries.

use std::fmt;

use jiff::Timestamp;
use serde::{Serialize, Serializer};

/// The five deployment statuses Coolify knows, plus a verbatim fallback.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DeploymentStatus {
    Queued,
    InProgress,
    Finished,
    Failed,
    Cancelled,
    Unknown(String),
}

impl DeploymentStatus {
    pub fn parse(raw: &str) -> Self {
        match raw.trim() {
            "queued" => Self::Queued,
            "in_progress" => Self::InProgress,
            "finished" => Self::Finished,
            "failed" => Self::Failed,
            "cancelled-by-user" | "cancelled" => Self::Cancelled,
            other => Self::Unknown(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Queued => "queued",
            Self::InProgress => "in_progress",
            Self::Finished => "finished",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled-by-user",
            Self::Unknown(s) => s,
        }
    }

    /// Finished, failed or cancelled: nothing more will happen to this deployment.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Finished | Self::Failed | Self::Cancelled)
    }

    /// Queued or in progress.
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Queued | Self::InProgress)
    }
}

impl fmt::Display for DeploymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DeploymentStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What started a deployment, classified as Coolify's UI does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "pull_request")]
pub enum Trigger {
    PullRequest(u64),
    Webhook,
    Rollback,
    Api,
    Manual,
}

impl Trigger {
    pub fn classify(pull_request_id: u64, is_webhook: bool, rollback: bool, is_api: bool) -> Self {
        if pull_request_id > 0 {
            Self::PullRequest(pull_request_id)
        } else if is_webhook {
            Self::Webhook
        } else if rollback {
            Self::Rollback
        } else if is_api {
            Self::Api
        } else {
            Self::Manual
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PullRequest(n) => write!(f, "PR #{n}"),
            Self::Webhook => f.write_str("webhook"),
            Self::Rollback => f.write_str("rollback"),
            Self::Api => f.write_str("api"),
            Self::Manual => f.write_str("manual"),
        }
    }
}

/// One deployment of an application.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deployment {
    pub uuid: String,
    /// Coolify's numeric application id (as the API gives it, a string).
    pub application_id: Option<String>,
    pub application_name: Option<String>,
    pub status: DeploymentStatus,
    /// `HEAD` or a pinned sha until Coolify resolves it; the image tag for rollbacks.
    pub commit: Option<String>,
    pub commit_message: Option<String>,
    pub trigger: Trigger,
    pub force_rebuild: bool,
    pub restart_only: bool,
    pub server_name: Option<String>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

impl Deployment {
    /// Wall time from creation to the end (or to `now` while it runs).
    pub fn duration(&self, now: Timestamp) -> Option<jiff::SignedDuration> {
        let start = self.created_at?;
        let end = if self.status.is_final() {
            self.finished_at.or(self.updated_at)?
        } else {
            now
        };
        Some(end.duration_since(start))
    }

    /// The first 7 characters of a resolved commit sha, or the commit as given.
    pub fn short_commit(&self) -> Option<&str> {
        self.commit.as_deref().map(short_sha)
    }
}

/// Abbreviate a 40-hex sha to 7 characters; leave anything else alone.
pub fn short_sha(commit: &str) -> &str {
    if commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        &commit[..7]
    } else {
        commit
    }
}

/// Which stream a log entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogStream {
    Stdout,
    Stderr,
}

/// One entry of a deployment log, as Coolify records it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    /// 1-based position in the log; entries are shown in this order.
    pub order: u64,
    pub stream: LogStream,
    /// May hold many lines.
    pub output: String,
    /// The command that produced the output, when Coolify shows it.
    pub command: Option<String>,
    pub timestamp: Option<Timestamp>,
    /// Debug detail, shown only on request.
    pub hidden: bool,
    /// Groups the entries of one remote command.
    pub batch: Option<u64>,
}

/// One page of an application's deployment history, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeploymentPage {
    /// How many deployments the application has in all, when the server said.
    pub count: Option<u64>,
    pub deployments: Vec<Deployment>,
}

/// A deployment's log as one read of the deployment found it: its entries (or what was
/// made of them, `T`), or why there are none.
#[derive(Debug, Clone, PartialEq)]
pub enum DeploymentLog<T = Vec<LogEntry>> {
    /// The deployment has no log yet: Coolify sends `null` until the first entry is
    /// written (a queued deployment).
    NotYet,
    /// The server left the log out (no `logs` key): the token may not read sensitive data.
    Withheld,
    /// The entries in order.
    Entries(T),
    /// The log is not in the server's format; why, as a sentence.
    Unreadable(String),
}

impl<T> DeploymentLog<T> {
    /// The same answer with its entries turned into something else.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> DeploymentLog<U> {
        match self {
            Self::NotYet => DeploymentLog::NotYet,
            Self::Withheld => DeploymentLog::Withheld,
            Self::Entries(entries) => DeploymentLog::Entries(f(entries)),
            Self::Unreadable(why) => DeploymentLog::Unreadable(why),
        }
    }
}

/// One resource's outcome of a deploy request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeployQueued {
    pub resource_uuid: Option<String>,
    /// `None` for services and databases (they are just started) and when the server
    /// deduplicated the request: its answer then carries a uuid it never stored.
    pub deployment_uuid: Option<String>,
    pub message: String,
    /// The same commit was already queued or running.
    pub deduplicated: bool,
}

/// What the server answered to an action it accepted (start, stop, restart, rollback,
/// cancel, ...): its message, and the deployment it queued when it queued one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Accepted {
    pub message: Option<String>,
    pub deployment_uuid: Option<String>,
}

/// The images of an application an operator can roll back to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RollbackImages {
    /// The tag running now, when the server knows it.
    pub current: Option<String>,
    pub images: Vec<RollbackImage>,
}

/// One image kept on the application's server, tagged with the commit it was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollbackImage {
    pub tag: String,
    pub created_at: Option<Timestamp>,
    pub is_current: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_and_classify() {
        assert!(DeploymentStatus::parse("cancelled-by-user").is_final());
        assert!(DeploymentStatus::parse("in_progress").is_active());
        let odd = DeploymentStatus::parse("paused-by-gremlins");
        assert!(!odd.is_final() && !odd.is_active());
        assert_eq!(odd.to_string(), "paused-by-gremlins");
    }

    #[test]
    fn triggers_follow_the_ui_precedence() {
        assert_eq!(
            Trigger::classify(3, true, true, true),
            Trigger::PullRequest(3)
        );
        assert_eq!(Trigger::classify(0, true, true, true), Trigger::Webhook);
        assert_eq!(Trigger::classify(0, false, true, true), Trigger::Rollback);
        assert_eq!(Trigger::classify(0, false, false, true), Trigger::Api);
        assert_eq!(Trigger::classify(0, false, false, false), Trigger::Manual);
    }

    #[test]
    fn short_sha_only_shortens_real_shas() {
        assert_eq!(
            short_sha("0123456789abcdef0123456789abcdef01234567"),
            "0123456"
        );
        assert_eq!(short_sha("HEAD"), "HEAD");
    }
}
