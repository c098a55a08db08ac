//! Durations and ages as operators read them: `42s`, `3m05s`, `2h10m`, `3d4h`.

use jiff::{SignedDuration, Timestamp};

/// A compact duration; negative durations (clock skew) read as `0s`.
pub fn compact(duration: SignedDuration) -> String {
    let secs = duration.as_secs().max(0);
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match () {
        _ if d > 0 => format!("{d}d{h}h"),
        _ if h > 0 => format!("{h}h{m:02}m"),
        _ if m > 0 => format!("{m}m{s:02}s"),
        _ => format!("{s}s"),
    }
}

/// How long ago `then` was, e.g. `3m05s ago`.
pub fn age(then: Timestamp, now: Timestamp) -> String {
    format!("{} ago", compact(now.duration_since(then)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_picks_two_units() {
        assert_eq!(compact(SignedDuration::from_secs(42)), "42s");
        assert_eq!(compact(SignedDuration::from_secs(185)), "3m05s");
        assert_eq!(compact(SignedDuration::from_secs(7800)), "2h10m");
        assert_eq!(
            compact(SignedDuration::from_secs(3 * 86_400 + 4 * 3600)),
            "3d4h"
        );
        assert_eq!(compact(SignedDuration::from_secs(-5)), "0s");
    }
}
