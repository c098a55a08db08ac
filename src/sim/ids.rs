//! Seeded identifiers and timestamps in the formats Coolify and GitHub use.

use std::fmt::Write as _;

use serde::{Serialize, Serializer};

/// A seeded source of identifiers: Coolify uuids (24 lowercase alphanumerics, like
/// `new_public_id()`), git shas (40 hex digits) and other random choices.
#[derive(Debug, Clone)]
pub(crate) struct IdGen {
    rng: fastrand::Rng,
}

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

impl IdGen {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// A generator for one sub-stream (an application's env vars, a deployment's log), so
    /// lazily generated data does not depend on the order in which it is asked for.
    pub(crate) fn derived(seed: u64, stream: u64) -> Self {
        Self::new(mix(seed ^ mix(stream.wrapping_add(0x9e37_79b9_7f4a_7c15))))
    }

    /// A Coolify public id: 24 lowercase letters and digits.
    pub(crate) fn uuid(&mut self) -> String {
        self.chars(24, ALNUM)
    }

    /// A 40-hex-digit git commit sha.
    pub(crate) fn sha(&mut self) -> String {
        self.chars(40, HEX)
    }

    pub(crate) fn hex(&mut self, n: usize) -> String {
        self.chars(n, HEX)
    }

    pub(crate) fn alnum(&mut self, n: usize) -> String {
        self.chars(n, ALNUM)
    }

    fn chars(&mut self, n: usize, set: &[u8]) -> String {
        (0..n)
            .map(|_| char::from(set[self.rng.usize(..set.len())]))
            .collect()
    }

    /// Uniform in `range`.
    pub(crate) fn range(&mut self, range: std::ops::Range<u64>) -> u64 {
        if range.start >= range.end {
            return range.start;
        }
        self.rng.u64(range)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    pub(crate) fn u64(&mut self) -> u64 {
        self.rng.u64(..)
    }
}

/// SplitMix64 finaliser: spreads a seed over all bits.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A UTC instant with microsecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Ts(pub(crate) i64);

impl Ts {
    pub(crate) fn now() -> Self {
        Self(jiff::Timestamp::now().as_microsecond())
    }

    pub(crate) fn plus_ms(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms.saturating_mul(1000)))
    }

    pub(crate) fn minus_secs(self, s: i64) -> Self {
        Self(self.0.saturating_sub(s.saturating_mul(1_000_000)))
    }

    pub(crate) fn unix_secs(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    fn civil(self) -> (jiff::civil::DateTime, i64) {
        let micros = self.0.rem_euclid(1_000_000);
        let ts =
            jiff::Timestamp::from_second(self.unix_secs()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        (jiff::tz::TimeZone::UTC.to_datetime(ts), micros)
    }

    /// Laravel/Carbon JSON form: `2026-08-22T10:11:12.123456Z`.
    pub(crate) fn iso(self) -> String {
        let mut s = String::with_capacity(27);
        self.write_iso(&mut s, 6);
        s
    }

    /// GitHub form: `2026-08-22T10:11:12Z`.
    pub(crate) fn iso_seconds(self) -> String {
        let mut s = String::with_capacity(20);
        self.write_iso(&mut s, 0);
        s
    }

    /// Carbon's `toIso8601String()`: `2026-08-22T10:11:12+00:00`.
    pub(crate) fn iso8601(self) -> String {
        let mut s = String::with_capacity(25);
        self.write_iso(&mut s, 0);
        s.pop();
        s.push_str("+00:00");
        s
    }

    /// `docker logs --timestamps` form: nanoseconds.
    pub(crate) fn iso_nanos(self) -> String {
        let mut s = String::with_capacity(30);
        self.write_iso(&mut s, 9);
        s
    }

    fn write_iso(self, s: &mut String, digits: u8) {
        let (dt, micros) = self.civil();
        let _ = write!(
            s,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        );
        match digits {
            6 => {
                let _ = write!(s, ".{micros:06}");
            }
            9 => {
                let _ = write!(s, ".{micros:06}{:03}", (micros * 7 + 113) % 1000);
            }
            _ => {}
        }
        s.push('Z');
    }

    /// `docker images --format '{{.CreatedAt}}'` form: `2026-08-22 10:11:12 +0000 UTC`.
    pub(crate) fn docker(self) -> String {
        let (dt, _) = self.civil();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} +0000 UTC",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        )
    }

    /// Coolify's container-name suffix is a 12-digit timestamp (`YmdHis` without the century).
    pub(crate) fn container_suffix(self) -> String {
        let (dt, _) = self.civil();
        format!(
            "{:02}{:02}{:02}{:02}{:02}{:02}",
            dt.year().rem_euclid(100),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        )
    }
}

impl Serialize for Ts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_coolify_like_and_seeded() {
        let mut a = IdGen::new(7);
        let mut b = IdGen::new(7);
        let u = a.uuid();
        assert_eq!(u.len(), 24);
        assert!(
            u.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_eq!(u, b.uuid());
        let sha = a.sha();
        assert_eq!(sha.len(), 40);
        assert!(sha.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn timestamps_format_like_carbon() {
        let ts = Ts(1_787_393_472_123_456);
        assert_eq!(ts.iso(), "2026-08-22T10:11:12.123456Z");
        assert_eq!(ts.iso_seconds(), "2026-08-22T10:11:12Z");
        assert_eq!(ts.iso8601(), "2026-08-22T10:11:12+00:00");
        assert_eq!(ts.docker(), "2026-08-22 10:11:12 +0000 UTC");
        assert_eq!(ts.container_suffix(), "260822101112");
    }
}
