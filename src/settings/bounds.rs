//! The range each number in the settings may take. A value outside it is refused where it
//! is written (`file:line:column`, like a typo) rather than failing later: a duration of
//! `1e308` seconds cannot even be made, and a refresh every 0.001 s would hammer Coolify.
//!
//! Each function reads one setting's value for serde's `deserialize_with`; NaN and the
//! infinities are outside every range.

use std::fmt::Debug;

use serde::de::{Deserialize, Deserializer, Error};

/// Read a value of the setting `key` and check that `min <= value <= max`.
fn within<'de, D, T>(d: D, key: &str, min: T, max: T, unit: &str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + PartialOrd + Debug,
{
    let value = T::deserialize(d)?;
    if value >= min && value <= max {
        Ok(value)
    } else {
        Err(D::Error::custom(format!(
            "{key} must be between {min:?} and {max:?}{unit}, not {value:?}"
        )))
    }
}

/// `fn name(d) -> Result<T, _>` reading the setting `key` within `min..=max` (the error
/// path names the section, the message the key).
macro_rules! bounded {
    ($($(#[$doc:meta])* $name:ident: $t:ty = $key:literal, $min:literal ..= $max:literal $unit:literal;)+) => {
        $(
            $(#[$doc])*
            pub(super) fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                within(d, $key, $min, $max, $unit)
            }
        )+
    };
}

bounded! {
    /// Half a second to an hour.
    refresh_interval: f64 = "interval", 0.5 ..= 3600.0 " seconds";
    refresh_while_deploying: f64 = "while_deploying", 0.5 ..= 3600.0 " seconds";
    /// A thousandth of a percent of a core to a whole core.
    cpu_percent: f64 = "cpu_percent", 0.001 ..= 100.0 " percent";
    health_tries: u32 = "tries", 1 ..= 100 "";
    /// None to ten minutes between tries.
    health_interval: f64 = "interval", 0.0 ..= 600.0 " seconds";
    /// A tenth of a second to ten minutes for one answer.
    health_timeout: f64 = "timeout", 0.1 ..= 600.0 " seconds";
    /// What a console may keep per log stream.
    buffer_lines: usize = "buffer_lines", 100 ..= 10_000_000 " lines";
    /// The most of one answer pftui takes.
    body_mb: u32 = "body_mb", 1 ..= 4096 " MB";
    connect_timeout: f64 = "connect_timeout", 0.5 ..= 300.0 " seconds";
    /// One request, its whole answer read.
    request_timeout: f64 = "request_timeout", 1.0 ..= 3600.0 " seconds";
    /// A second to a day.
    follow_deadline: f64 = "deadline", 1.0 ..= 86_400.0 " seconds";
    /// None to an hour.
    follow_unreachable: f64 = "unreachable", 0.0 ..= 3600.0 " seconds";
}
