//! Coolify versions, for detecting what a server supports.

use std::fmt;

/// A Coolify version such as `4.3.11` or `4.0.0-beta.440`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    raw: String,
}

impl Version {
    /// Parse what `GET /version` answers; a leading `v` and a pre-release suffix are allowed.
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        let core = trimmed.trim_start_matches(['v', 'V']);
        let core = core.split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>());
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        Some(Self {
            major,
            minor,
            patch,
            raw: trimmed.to_string(),
        })
    }

    pub fn at_least(&self, major: u64, minor: u64, patch: u64) -> bool {
        (self.major, self.minor, self.patch) >= (major, minor, patch)
    }

    /// `GET /applications/{uuid}/rollback-images` and `POST .../rollback` exist (4.3.0+).
    pub fn has_rollback_api(&self) -> bool {
        self.at_least(4, 3, 0)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_servers_answer() {
        let v = Version::parse("4.3.11").unwrap();
        assert!(v.has_rollback_api());
        let beta = Version::parse("v4.0.0-beta.440").unwrap();
        assert!(!beta.has_rollback_api());
        assert_eq!(beta.to_string(), "v4.0.0-beta.440");
        assert!(Version::parse("<html>").is_none());
        assert!(Version::parse("").is_none());
    }
}
