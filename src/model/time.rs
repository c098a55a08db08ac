//! Durations and ages as operators read them: a duration to the second (`42s`, `3m05s`,
//! `2h10m`, `3d4h`), an age in steps that change seldom (`just now`, `40s ago`, `3m ago`), so
//! that an idle screen showing ages need not be drawn again every second.

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

/// How long ago `then` was: `just now` under ten seconds, then tens of seconds (`40s ago`),
/// whole minutes under an hour (`3m ago`), then hours and minutes (`2h10m ago`) and days and
/// hours (`3d4h ago`).
pub fn age(then: Timestamp, now: Timestamp) -> String {
    let secs = now.duration_since(then).as_secs().max(0);
    match secs {
        0..10 => "just now".into(),
        10..60 => format!("{}s ago", secs / 10 * 10),
        60..3600 => format!("{}m ago", secs / 60),
        _ => format!("{} ago", compact(SignedDuration::from_secs(secs))),
    }
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

    #[test]
    fn ages_change_in_steps() {
        let then = Timestamp::from_second(1_700_000_000).unwrap();
        let age_at = |secs: i64| age(then, then + SignedDuration::from_secs(secs));
        assert_eq!(age_at(-3), "just now");
        assert_eq!(age_at(9), "just now");
        assert_eq!(age_at(10), "10s ago");
        assert_eq!(age_at(59), "50s ago");
        assert_eq!(age_at(185), "3m ago");
        assert_eq!(age_at(3599), "59m ago");
        assert_eq!(age_at(7800), "2h10m ago");
        assert_eq!(age_at(3 * 86_400 + 4 * 3600 + 5), "3d4h ago");
    }
}
