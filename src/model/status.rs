//! Resource status strings (`running:healthy`, `exited:unhealthy`, `running (healthy)`, ...).

use std::fmt;

use serde::{Serialize, Serializer};

/// The container state part of a status string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RunState {
    Running,
    Exited,
    Degraded,
    Starting,
    Restarting,
    Paused,
    Removing,
    /// The container died (exited without being asked to).
    Dead,
    /// A state this version does not know, kept verbatim so nothing is lost.
    Unknown(String),
}

/// The health part of a status string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Health {
    Healthy,
    Unhealthy,
    Unknown,
}

/// A resource's status as Coolify sent it, and parsed for colour and logic. Parsing never
/// fails: odd strings become `RunState::Unknown`. Shown and serialised as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceStatus {
    pub state: RunState,
    pub health: Health,
    /// Compose resources whose containers are all excluded from health checks.
    pub excluded: bool,
    /// The string as Coolify sent it (`unknown` when it sent none).
    raw: String,
}

impl ResourceStatus {
    /// Parse `state:health[:excluded]`, the legacy `state (health)` form, or a bare state
    /// (whose health defaults to `unhealthy`, as Coolify's model accessor does).
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        let (state, rest) = match raw.split_once(':') {
            Some((state, rest)) => (state, Some(rest)),
            None => match raw.split_once('(') {
                Some((state, rest)) => (state.trim(), Some(rest.trim_end_matches(')'))),
                None => (raw, None),
            },
        };
        let (health, excluded) = match rest {
            None => (Health::Unhealthy, false),
            Some(rest) => {
                let mut parts = rest.split(':');
                let health = parts.next().unwrap_or_default();
                let excluded = parts.any(|p| p.trim().eq_ignore_ascii_case("excluded"));
                (Health::parse(health), excluded)
            }
        };
        Self {
            state: RunState::parse(state),
            health,
            excluded,
            raw: if raw.is_empty() {
                "unknown".into()
            } else {
                raw.to_string()
            },
        }
    }

    pub fn unknown() -> Self {
        Self::parse("")
    }

    /// The status as Coolify sent it.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    pub fn is_running(&self) -> bool {
        self.state == RunState::Running
    }

    /// Running and healthy, or running without a health check.
    pub fn is_ok(&self) -> bool {
        self.state == RunState::Running && self.health != Health::Unhealthy
    }
}

impl RunState {
    fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "running" => Self::Running,
            "exited" | "stopped" => Self::Exited,
            "degraded" => Self::Degraded,
            "starting" | "created" => Self::Starting,
            "restarting" => Self::Restarting,
            "paused" => Self::Paused,
            "removing" => Self::Removing,
            "dead" => Self::Dead,
            "" => Self::Unknown("unknown".into()),
            other => Self::Unknown(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Running => "running",
            Self::Exited => "exited",
            Self::Degraded => "degraded",
            Self::Starting => "starting",
            Self::Restarting => "restarting",
            Self::Paused => "paused",
            Self::Removing => "removing",
            Self::Dead => "dead",
            Self::Unknown(s) => s,
        }
    }
}

impl Health {
    fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "healthy" => Self::Healthy,
            "unhealthy" => Self::Unhealthy,
            _ => Self::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Unhealthy => "unhealthy",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for ResourceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for ResourceStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        let s = ResourceStatus::parse("running:healthy");
        assert_eq!(
            (s.state, s.health, s.excluded),
            (RunState::Running, Health::Healthy, false)
        );
        let s = ResourceStatus::parse("exited");
        assert_eq!((s.state, s.health), (RunState::Exited, Health::Unhealthy));
        let s = ResourceStatus::parse("running:healthy:excluded");
        assert!(s.excluded);
        let s = ResourceStatus::parse("running (healthy)");
        assert_eq!((s.state, s.health), (RunState::Running, Health::Healthy));
        let s = ResourceStatus::parse("degraded:unhealthy");
        assert_eq!(s.state, RunState::Degraded);
        let s = ResourceStatus::parse("starting:unknown");
        assert_eq!((s.state, s.health), (RunState::Starting, Health::Unknown));
    }

    #[test]
    fn odd_strings_become_unknown_without_failing() {
        let s = ResourceStatus::parse("hibernating:sleepy");
        assert_eq!(s.state, RunState::Unknown("hibernating".into()));
        assert_eq!(s.health, Health::Unknown);
        assert_eq!(s.to_string(), "hibernating:sleepy", "shown as sent");
        assert_eq!(
            ResourceStatus::parse("").state,
            RunState::Unknown("unknown".into())
        );
        assert_eq!(ResourceStatus::parse(":::").health, Health::Unknown);
    }

    #[test]
    fn statuses_are_shown_and_serialised_as_sent() {
        for raw in [
            "running:healthy",
            "exited:unhealthy",
            "running:unknown:excluded",
            "running:healthy:excluded",
            "exited",
            "dead:unknown",
            "Running",
            "degraded:unhealthy",
            "running (healthy)",
        ] {
            let status = ResourceStatus::parse(raw);
            assert_eq!(status.to_string(), raw);
            assert_eq!(serde_json::to_value(&status).unwrap(), raw);
        }
        assert_eq!(ResourceStatus::parse("Running").state, RunState::Running);
        assert_eq!(ResourceStatus::parse("dead:unknown").state, RunState::Dead);
        assert_eq!(ResourceStatus::unknown().to_string(), "unknown");
    }
}
