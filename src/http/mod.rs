//! The REST core the Coolify and GitHub clients share: the API root, bearer auth and each
//! API's headers, one send with one retry policy, body reading (whole, or decoded while it
//! arrives), HTML/not-JSON detection, path templates and their encoding, and the transport
//! error both clients' errors wrap. Each API keeps its own reading of error answers and
//! plugs it in (`ApiError`, the `classify` argument of `Rest::send`).

mod answer;
mod rest;
mod route;
mod transport;

pub(crate) use answer::{Answer, NotJson};
pub use rest::Options;
pub(crate) use rest::{ApiError, Incremental, Interrupt, Rest, Retry};
pub use route::{Endpoint, Route, Verb, placeholders};
pub(crate) use route::{Target, routes};
pub use transport::TransportError;

/// A user's API address trimmed of spaces and trailing slashes, and parsed; the reason
/// when it is not an http(s) URL with a host.
pub(crate) fn api_address(base_url: &str) -> Result<(&str, url::Url), String> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let parsed = url::Url::parse(trimmed).map_err(|e| e.to_string())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err("it must be an http:// or https:// address".into());
    }
    Ok((trimmed, parsed))
}
