//! The audit journal, appended to `$XDG_DATA_HOME/pftui/audit.jsonl` (mode 0600), one JSON
//! line per record. An operation is recorded as `started` before its first change and
//! again, under the same id, with its outcome at the end (or as `interrupted`); reading
//! folds the two, so a started record without an end is one that never finished. Secrets
//! are redacted on write: values under secret-looking keys, the values given, every
//! credential pftui knows and every secret-shaped string (see [`crate::secrets::redact`]).

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who asked for an operation, and through which door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// `user@host`.
    pub user: String,
    pub channel: Channel,
    /// The request that led to the operation, for the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Tui,
    Cli,
    Agent,
}

impl Actor {
    /// The person at this terminal, through `channel`.
    pub fn local(channel: Channel) -> Self {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| "unknown".into());
        let host = std::fs::read_to_string("/etc/hostname")
            .ok()
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_else(|| "localhost".into());
        Self {
            user: format!("{user}@{host}"),
            channel,
            prompt: None,
        }
    }
}

/// One operation, as it began or as it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Ties an operation's records together (absent on refusals, which end as they begin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the operation began.
    pub time: Timestamp,
    pub context: String,
    pub actor: Actor,
    /// `deploy`, `restart`, `promote`, ...
    pub operation: String,
    /// `AIR/staging/air-staging`, or `AIR dev -> staging`.
    pub target: String,
    pub parameters: Value,
    /// `started`, then `succeeded`, `queued` (handed to Coolify, not followed), `failed: ...`,
    /// `error: ...`, `interrupted: ...`; or `refused: ...`.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<String>,
    pub duration_ms: u64,
}

/// How a recorded operation ended, read from its outcome's first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Succeeded,
    /// Handed to Coolify and not followed.
    Queued,
    /// Started with no end recorded: still running, or pftui was killed.
    Open,
    /// The policy or the operator said no before anything changed.
    Refused,
    /// `failed: ...`, `error: ...`, `interrupted: ...`.
    Failed,
}

impl Record {
    pub fn ending(&self) -> Ending {
        let word = self.outcome.split(':').next().unwrap_or_default().trim();
        match word {
            "succeeded" => Ending::Succeeded,
            "queued" => Ending::Queued,
            "started" => Ending::Open,
            "refused" => Ending::Refused,
            _ => Ending::Failed,
        }
    }
}

impl Channel {
    /// The word the journal writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tui => "tui",
            Self::Cli => "cli",
            Self::Agent => "agent",
        }
    }
}

/// Why the journal could not be written or read.
#[derive(Debug, thiserror::Error)]
#[error("audit journal {}: {source}", path.display())]
pub struct AuditError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// The append-only journal.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

/// Keys whose values are never written.
const SECRET_KEYS: &[&str] = &[
    "token",
    "password",
    "secret",
    "value",
    "api_key",
    "authorization",
];

impl Journal {
    pub fn at(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record, redacting secret-looking keys and the given secret values.
    pub fn append(&self, record: &Record, secrets: &[&str]) -> Result<(), AuditError> {
        let err = |source| AuditError {
            path: self.path.clone(),
            source,
        };
        let mut value = serde_json::to_value(record).map_err(|e| err(e.into()))?;
        redact(&mut value, secrets);
        let mut line = serde_json::to_string(&value).map_err(|e| err(e.into()))?;
        line.push('\n');
        let mut file = crate::secrets::private::open_append(&self.path).map_err(err)?;
        file.write_all(line.as_bytes()).map_err(err)?;
        file.flush().map_err(err)
    }

    /// The last `limit` operations, oldest first, each as it ended when its end was
    /// recorded (the later record of an id replaces the earlier). Lines that do not parse
    /// are skipped and counted.
    pub fn tail(&self, limit: usize) -> Result<(Vec<Record>, usize), AuditError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
            Err(source) => {
                return Err(AuditError {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let mut records = std::collections::VecDeque::with_capacity(limit.min(4096));
        let mut broken = 0;
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|source| AuditError {
                path: self.path.clone(),
                source,
            })?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Record>(&line) {
                Ok(r) => {
                    let earlier = r.id.as_ref().and_then(|id| {
                        records
                            .iter_mut()
                            .rev()
                            .find(|e: &&mut Record| e.id.as_ref() == Some(id))
                    });
                    match earlier {
                        Some(e) => *e = r,
                        None => {
                            if records.len() == limit {
                                records.pop_front();
                            }
                            if limit > 0 {
                                records.push_back(r);
                            }
                        }
                    }
                }
                Err(_) => broken += 1,
            }
        }
        Ok((records.into(), broken))
    }
}

/// Replace secret-looking keys' values, any occurrence of the given secret values, of a
/// credential pftui knows, and any secret-shaped string.
pub fn redact(value: &mut Value, secrets: &[&str]) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let lower = key.to_ascii_lowercase();
                if SECRET_KEYS
                    .iter()
                    .any(|s| lower == *s || lower.ends_with(&format!("_{s}")))
                    && !v.is_null()
                {
                    *v = Value::String("[redacted]".into());
                } else {
                    redact(v, secrets);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact(v, secrets)),
        Value::String(s) => {
            for secret in secrets.iter().filter(|s| s.len() >= 4) {
                if s.contains(secret) {
                    *s = s.replace(secret, "[redacted]");
                }
            }
            if let Cow::Owned(masked) = crate::secrets::redact::redact(s) {
                *s = masked;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(n: u64) -> Record {
        Record {
            id: None,
            time: "2026-11-27T12:00:00Z".parse().unwrap(),
            context: "pfcore".into(),
            actor: Actor {
                user: "op@box".into(),
                channel: Channel::Cli,
                prompt: None,
            },
            operation: "deploy".into(),
            target: "AIR/staging/air-staging".into(),
            parameters: json!({"force": false, "n": n}),
            outcome: "succeeded".into(),
            deployments: vec![format!("d{n}")],
            duration_ms: 1200,
        }
    }

    #[test]
    fn appends_and_reads_back_the_tail() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("nested/audit.jsonl"));
        for n in 0..5 {
            journal.append(&record(n), &[]).unwrap();
        }
        std::fs::OpenOptions::new()
            .append(true)
            .open(journal.path())
            .unwrap()
            .write_all(b"not json\n")
            .unwrap();
        let (tail, broken) = journal.tail(3).unwrap();
        assert_eq!(
            tail.iter()
                .map(|r| r.deployments[0].as_str())
                .collect::<Vec<_>>(),
            ["d2", "d3", "d4"]
        );
        assert_eq!(broken, 1);
        assert_eq!(
            Journal::at(dir.path().join("none.jsonl"))
                .tail(3)
                .unwrap()
                .0,
            vec![]
        );
    }

    #[test]
    fn an_operation_reads_back_as_it_ended() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("audit.jsonl"));
        let with = |n: u64, id: &str, outcome: &str| Record {
            id: Some(id.into()),
            outcome: outcome.into(),
            ..record(n)
        };
        journal.append(&with(1, "a", "started"), &[]).unwrap();
        journal.append(&with(2, "b", "started"), &[]).unwrap();
        journal.append(&with(1, "a", "succeeded"), &[]).unwrap();
        journal.append(&record(3), &[]).unwrap();
        let (tail, _) = journal.tail(10).unwrap();
        let seen: Vec<(Option<&str>, &str)> = tail
            .iter()
            .map(|r| (r.id.as_deref(), r.outcome.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (Some("a"), "succeeded"),
                (Some("b"), "started"),
                (None, "succeeded")
            ],
            "in the order they began; b never ended"
        );
    }

    #[test]
    fn secrets_never_reach_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("audit.jsonl"));
        let mut r = record(1);
        r.parameters = json!({"env": {"key": "DB", "value": "hunter2"}, "note": "used 1|sekret-token here", "api_token": "x"});
        journal.append(&r, &["1|sekret-token"]).unwrap();
        let text = std::fs::read_to_string(journal.path()).unwrap();
        assert!(
            !text.contains("hunter2") && !text.contains("sekret"),
            "{text}"
        );
        assert!(text.contains("[redacted]"));
    }

    #[test]
    fn every_known_credential_and_secret_shapes_never_reach_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("audit.jsonl"));
        crate::secrets::redact::register(&crate::secrets::SecretString::from(
            "registered-github-key-xyz",
        ));
        let mut r = record(1);
        r.outcome = "failed: GitHub answered 401 for registered-github-key-xyz".into();
        r.actor.prompt = Some(
            "deploy with ghp_AbCdEf0123456789AbCdEf0123456789abcd and sk-ant-api03-abcdefghijklmnop"
                .into(),
        );
        journal.append(&r, &[]).unwrap();
        let text = std::fs::read_to_string(journal.path()).unwrap();
        for secret in ["registered-github-key", "ghp_AbCd", "sk-ant-api03"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let (back, _) = journal.tail(1).unwrap();
        assert_eq!(
            back[0].actor.prompt.as_deref(),
            Some("deploy with [redacted] and [redacted]")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(journal.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn the_ending_is_read_from_the_outcomes_first_word() {
        let ending = |outcome: &str| {
            Record {
                outcome: outcome.into(),
                ..record(1)
            }
            .ending()
        };
        assert_eq!(ending("succeeded"), Ending::Succeeded);
        assert_eq!(ending("queued"), Ending::Queued);
        assert_eq!(ending("started"), Ending::Open);
        assert_eq!(ending("refused: prod is read-only"), Ending::Refused);
        assert_eq!(ending("failed: step 3 exited 1"), Ending::Failed);
        assert_eq!(ending("interrupted: SIGTERM"), Ending::Failed);
        let channels = [Channel::Tui, Channel::Cli, Channel::Agent];
        for c in channels {
            assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
        }
    }

    #[test]
    fn an_unwritable_journal_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").unwrap();
        let journal = Journal::at(blocker.join("audit.jsonl"));
        let err = journal.append(&record(1), &[]).unwrap_err();
        assert!(err.to_string().contains("audit journal"), "{err}");
    }
}
