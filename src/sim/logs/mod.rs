//! Deployment logs in Coolify's exact format, and what a deployment run is (`ScriptCtx`);
//! the submodules write the logs: `script` the timed steps of a run, `runtime` the
//! containers' own logs, `big` the huge build logs of `/_sim/big-log`.
//!
//! A deployment's `logs` field is a string holding a JSON array of entries
//! `{command, output, type, timestamp, hidden, batch, order}` (API-NOTES §6). Messages come
//! from `ApplicationDeploymentQueue::addLogEntry` (command null, batch 1) and command output
//! from `ExecuteRemoteCommand` (the command text, a per-call batch number); SSH retry
//! notices have no `command` key at all. The texts follow Coolify's
//! `ApplicationDeploymentJob` for a Nixpacks build of a Next.js application.

pub(crate) mod big;
mod nixpacks;
pub(crate) mod runtime;
pub(crate) mod script;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::ids::Ts;

/// The `command` field of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CommandField {
    /// Key absent (SSH retry notices).
    Absent,
    /// `null`: plain messages and hidden commands.
    Null,
    Text(String),
}

#[derive(Debug, Clone)]
pub(crate) struct LogEntry {
    pub command: CommandField,
    pub output: String,
    pub stderr: bool,
    pub timestamp: Ts,
    pub hidden: bool,
    pub batch: u32,
    pub order: u32,
}

impl Serialize for LogEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match &self.command {
            CommandField::Absent => {}
            CommandField::Null => m.serialize_entry("command", &())?,
            CommandField::Text(t) => m.serialize_entry("command", t)?,
        }
        m.serialize_entry("output", &self.output)?;
        m.serialize_entry("type", if self.stderr { "stderr" } else { "stdout" })?;
        m.serialize_entry("timestamp", &self.timestamp)?;
        m.serialize_entry("hidden", &self.hidden)?;
        m.serialize_entry("batch", &self.batch)?;
        m.serialize_entry("order", &self.order)?;
        m.end()
    }
}

/// The `logs` field: `None` (JSON `null`) until the first entry is written, as the
/// column starts out (`addLogEntry` creates the array with its first entry); then the
/// entries as a JSON array in a string.
pub(crate) fn logs_string(entries: &[LogEntry]) -> Option<String> {
    if entries.is_empty() {
        return None;
    }
    serde_json::to_string(entries).ok()
}

/// An `addLogEntry` message (trimmed; a box-drawing start gets a leading newline).
pub(crate) fn message(text: &str, stderr: bool, hidden: bool) -> LogEntry {
    LogEntry {
        command: CommandField::Null,
        output: addlog_text(text),
        stderr,
        timestamp: Ts::now(),
        hidden,
        batch: 1,
        order: 0,
    }
}

fn addlog_text(text: &str) -> String {
    let t = text.trim();
    if t.starts_with('╔') {
        format!("\n{t}")
    } else {
        t.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunKind {
    Deploy,
    Restart,
    Rollback,
}

/// Why a scripted run fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailKind {
    /// `next build` stops on a TypeScript error.
    TypeScript,
    /// `npm ci` refuses a lock file out of sync with package.json.
    NpmCi,
    /// The commit does not exist in the repository (rollback or pin to an unknown sha).
    UnknownRef,
    /// The new container never becomes healthy; the old one keeps serving.
    Unhealthy,
}

/// Everything a deployment script needs, fixed when the run starts.
#[derive(Debug, Clone)]
pub(crate) struct ScriptCtx {
    pub deployment_uuid: String,
    pub app_uuid: String,
    pub repo: String,
    pub branch: String,
    pub server_name: String,
    pub network: String,
    /// The commit to build (resolved branch head, pin or rollback tag).
    pub commit: String,
    /// The row's commit is `HEAD` and gets replaced by `commit` after `git ls-remote`.
    pub resolve_head: bool,
    /// What `git ls-remote` reports for the branch (None: no such branch or repository).
    pub branch_head: Option<String>,
    pub commit_message: Option<String>,
    /// A line printed (visible) after the starting line (`SimControl::log_next`).
    pub planted_line: Option<String>,
    pub kind: RunKind,
    pub force: bool,
    pub image_exists: bool,
    pub old_container: Option<String>,
    pub fail: Option<FailKind>,
    pub health_check: Option<String>,
    pub port: String,
    pub package: String,
    pub package_version: String,
    pub node_version: String,
    pub base_directory: String,
    pub seed: u64,
    pub started: Ts,
    pub batch_start: u32,
}
