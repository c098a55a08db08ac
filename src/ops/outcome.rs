//! What an operation reports: progress while it runs, and its outcome per target at the
//! end, with the one summary of a failure every front end shows (the failing step and the
//! last lines before it).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::mpsc::UnboundedSender;

use super::catalogue::Kind;
use super::health::HealthReport;
use super::request::Target;
use crate::model::{Deployment, DeploymentStatus, LineKind, LogLine};

/// What happens while an operation runs, for whoever watches.
#[derive(Debug, Clone)]
pub enum Progress {
    Note {
        target: Option<String>,
        text: String,
    },
    /// A deployment was queued (or found running) for a target.
    Started { target: String, deployment: String },
    /// New log lines of a target's deployment (hidden ones included, flagged).
    Lines { target: String, lines: Vec<LogLine> },
    Status {
        target: String,
        status: DeploymentStatus,
    },
    Health {
        target: String,
        health: HealthReport,
    },
}

/// Where a running operation's progress goes, keeping the deployments it has started so
/// far: if it ends before its outcome is known, the journal still names them.
pub(crate) struct Reporter<'a> {
    progress: &'a UnboundedSender<Progress>,
    started: Arc<Mutex<Vec<String>>>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(progress: &'a UnboundedSender<Progress>) -> Self {
        Self {
            progress,
            started: Arc::default(),
        }
    }

    /// A deployment was queued (or found running) for `target`.
    pub(crate) fn started(&self, target: &str, deployment: &str) {
        if let Ok(mut started) = self.started.lock() {
            started.push(deployment.to_string());
        }
        let _ = self.progress.send(Progress::Started {
            target: target.to_string(),
            deployment: deployment.to_string(),
        });
    }

    /// The deployments started so far, as they will be when read later.
    pub(crate) fn deployments(&self) -> Arc<Mutex<Vec<String>>> {
        self.started.clone()
    }
}

impl std::ops::Deref for Reporter<'_> {
    type Target = UnboundedSender<Progress>;

    fn deref(&self) -> &Self::Target {
        self.progress
    }
}

/// The result card of one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppOutcome {
    pub target: Target,
    /// The deployment that ran, at its end.
    pub deployment: Option<Deployment>,
    /// The commit that ran before, and the one that runs now.
    pub before: Option<String>,
    pub after: Option<String>,
    pub duration_secs: Option<i64>,
    /// What failed, when the deployment did.
    #[serde(flatten)]
    pub failure: FailureSummary,
    pub health: Option<HealthReport>,
    /// Where a one-key rollback would go (the image that ran before), after a failure.
    pub rollback_to: Option<String>,
    pub ok: bool,
    /// Handed to Coolify and not followed to its end.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub queued: bool,
    pub note: Option<String>,
}

/// The result of an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub kind: Kind,
    pub ok: bool,
    pub summary: String,
    pub apps: Vec<AppOutcome>,
    pub duration_ms: u64,
    /// The audit journal could not be written.
    pub audit_error: Option<String>,
}

/// What a failed deployment failed at: the step it stopped at and the last lines it wrote
/// (empty for one that did not fail).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FailureSummary {
    /// BuildKit's `[stage n/m] RUN ...`, Coolify's `Deployment failed: ...`, or the last
    /// command it ran.
    #[serde(rename = "failing_step", skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// The last visible output lines.
    #[serde(rename = "failure_tail")]
    pub tail: Vec<String>,
}

/// Output lines kept for a failure's tail.
const TAIL: usize = 12;
/// The longest failing step shown, in characters.
const STEP_CHARS: usize = 240;

impl FailureSummary {
    /// The summary of a failed deployment's log lines.
    pub fn of(lines: &[LogLine]) -> Self {
        let mut reader = FailureReader::default();
        lines.iter().for_each(|l| reader.read(l));
        reader.summary()
    }

    pub fn is_empty(&self) -> bool {
        self.step.is_none() && self.tail.is_empty()
    }
}

/// Reads log lines as they come and keeps what a [`FailureSummary`] needs: the last output
/// lines, and the last of each kind of line that can name the failing step (BuildKit's
/// `> [stage n/m] RUN ...` header first, then Coolify's `Deployment failed: ...`, then the
/// last command).
#[derive(Debug, Default)]
pub(crate) struct FailureReader {
    tail: VecDeque<String>,
    header: Option<String>,
    failed: Option<String>,
    command: Option<String>,
}

impl FailureReader {
    pub(crate) fn read(&mut self, line: &LogLine) {
        let text = line.text.trim_start();
        if text.starts_with("> [") && text.contains(']') {
            self.header = Some(text.trim_start_matches('>').trim_end_matches(':').into());
        } else if let Some(why) = line.text.strip_prefix("Deployment failed:") {
            self.failed = Some(why.to_string());
        }
        if line.kind == LineKind::Command {
            self.command = Some(line.text.clone());
        } else if !line.hidden {
            if self.tail.len() == TAIL {
                self.tail.pop_front();
            }
            self.tail.push_back(line.text.clone());
        }
    }

    pub(crate) fn summary(self) -> FailureSummary {
        FailureSummary {
            step: self
                .header
                .or(self.failed)
                .or(self.command)
                .map(|s| clip(&s)),
            tail: self.tail.into(),
        }
    }
}

/// A step as one line: BuildKit's cache mounts (which say nothing about the step) left
/// out, and no longer than [`STEP_CHARS`].
fn clip(step: &str) -> String {
    let words: Vec<&str> = step
        .split_whitespace()
        .filter(|w| !w.starts_with("--mount="))
        .collect();
    let one = words.join(" ");
    if one.chars().count() > STEP_CHARS {
        one.chars().take(STEP_CHARS).collect::<String>() + "…"
    } else {
        one
    }
}

impl AppOutcome {
    #[cfg(test)]
    pub(crate) fn for_tests(target: Target) -> Self {
        Self::empty(target)
    }

    pub(crate) fn empty(target: Target) -> Self {
        Self {
            target,
            deployment: None,
            before: None,
            after: None,
            duration_secs: None,
            failure: FailureSummary::default(),
            health: None,
            rollback_to: None,
            ok: false,
            queued: false,
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: LineKind, text: &str) -> LogLine {
        LogLine {
            kind,
            text: text.into(),
            timestamp: None,
            hidden: false,
        }
    }

    #[test]
    fn the_summary_names_the_step_and_keeps_the_last_output() {
        let mut lines = vec![line(
            LineKind::Command,
            "docker build --mount=type=cache x .",
        )];
        lines.extend((0..20).map(|i| line(LineKind::Stdout, &format!("out {i}"))));
        lines.push(line(LineKind::Stderr, "> [builder 4/7] RUN npm ci:"));
        lines.push(line(LineKind::Stderr, "npm ERR! missing script"));
        let failure = FailureSummary::of(&lines);
        assert_eq!(failure.step.as_deref(), Some("[builder 4/7] RUN npm ci"));
        assert_eq!(failure.tail.len(), TAIL);
        assert_eq!(
            failure.tail.last().map(String::as_str),
            Some("npm ERR! missing script")
        );
        let plain = FailureSummary::of(&lines[..3]);
        assert_eq!(plain.step.as_deref(), Some("docker build x ."));
        assert!(FailureSummary::of(&[]).is_empty());
    }
}
