//! What a token may do on a server, and how far the server's clock is from ours, as a
//! probe of the server finds them.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// Whether a token may do one thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "verdict", content = "why")]
pub enum Ability {
    Yes,
    No,
    /// The probe could not tell (e.g. no deployment to look at).
    Unknown(String),
}

impl Ability {
    pub fn is_yes(&self) -> bool {
        *self == Self::Yes
    }
}

impl fmt::Display for Ability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Yes => f.write_str("yes"),
            Self::No => f.write_str("no"),
            Self::Unknown(why) => write!(f, "unknown ({why})"),
        }
    }
}

/// What a token may do, as probed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Abilities {
    /// `read`: list projects, applications, deployments.
    pub read: Ability,
    /// `write`: change settings and environment variables.
    pub write: Ability,
    /// `deploy`: deploy, restart, stop, start, cancel, roll back.
    pub deploy: Ability,
    /// `read:sensitive`: deployment logs, environment values.
    pub sensitive: Ability,
}

impl fmt::Display for Abilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "read {}, write {}, deploy {}, sensitive reads {}",
            self.read, self.write, self.deploy, self.sensitive
        )
    }
}

/// The server's clock against ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSkew {
    /// From the answer's HTTP `Date` header (one-second resolution).
    pub server: Timestamp,
    /// Our clock halfway through the request.
    pub local: Timestamp,
    /// `server - local`: positive when the server is ahead.
    pub skew: SignedDuration,
}

impl ClockSkew {
    /// From a `Date` header value and our clock before and after the request.
    pub fn from_date_header(
        date: &str,
        sent: Timestamp,
        received: Timestamp,
    ) -> Result<Self, String> {
        static PARSER: jiff::fmt::rfc2822::DateTimeParser =
            jiff::fmt::rfc2822::DateTimeParser::new();
        let server = PARSER
            .parse_timestamp(date.trim())
            .map_err(|e| format!("unreadable Date header '{date}': {e}"))?;
        let half = received.duration_since(sent) / 2;
        let local = sent.checked_add(half).unwrap_or(sent);
        Ok(Self {
            server,
            local,
            skew: server.duration_since(local),
        })
    }

    /// The skew's size in whole seconds, ignoring the header's one-second resolution.
    pub fn seconds(&self) -> i64 {
        let s = self.skew.as_secs();
        if s.abs() <= 1 { 0 } else { s }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_header_gives_the_skew() {
        let sent: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let received: Timestamp = "2026-03-01T10:00:02Z".parse().unwrap();
        let s =
            ClockSkew::from_date_header("Sun, 01 Mar 2026 10:01:31 GMT", sent, received).unwrap();
        assert_eq!(s.local.to_string(), "2026-03-01T10:00:01Z");
        assert_eq!(s.seconds(), 90);
        let behind =
            ClockSkew::from_date_header("Sun, 01 Mar 2026 09:59:00 GMT", sent, received).unwrap();
        assert_eq!(behind.seconds(), -61);
        let same =
            ClockSkew::from_date_header("Sun, 01 Mar 2026 10:00:02 GMT", sent, received).unwrap();
        assert_eq!(same.seconds(), 0, "within the header's resolution");
        assert!(ClockSkew::from_date_header("yesterday", sent, received).is_err());
    }
}
