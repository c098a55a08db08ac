//! The HTTP plumbing the Coolify and GitHub clients share: how their HTTP client is built,
//! and what a request that got no answer at all failed on.

use std::time::Duration;

use reqwest::redirect::{Attempt, Policy};

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// An HTTP client for one API root.
///
/// A plain-http root gets a client without the system's trust roots: loading them takes
/// longer than a whole request to a nearby server, and such a client never needs them. A
/// redirect from there to https is refused with the address to use instead.
pub(crate) fn client(
    api: &str,
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<reqwest::Client, reqwest::Error> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .user_agent(concat!("pftui/", env!("CARGO_PKG_VERSION")));
    let builder = if api.starts_with("http://") {
        builder
            .tls_certs_only(std::iter::empty())
            .redirect(Policy::custom(plain_redirect))
    } else {
        builder
    };
    builder.build()
}

fn plain_redirect(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    if attempt.url().scheme() == "https" {
        let to = attempt.url().to_string();
        attempt.error(format!(
            "the server redirects to {to}: use its https:// address instead"
        ))
    } else if attempt.previous().len() >= MAX_REDIRECTS {
        attempt.error("too many redirects")
    } else {
        attempt.follow()
    }
}

/// What a request that got no HTTP answer failed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoAnswer {
    Timeout,
    /// The TLS handshake or the certificate; the detail says which.
    Tls(String),
    /// Everything else: refused, unreachable, reset, a refused redirect.
    Connect(String),
}

impl NoAnswer {
    pub(crate) fn of(err: &reqwest::Error) -> Self {
        if err.is_timeout() {
            return Self::Timeout;
        }
        let chain = error_chain(err);
        let lower = chain.to_ascii_lowercase();
        let tls_words = [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "alert",
        ];
        if tls_words.iter().any(|w| lower.contains(w)) {
            Self::Tls(chain)
        } else {
            Self::Connect(chain)
        }
    }
}

/// The innermost causes of an error, outer first: "tcp connect error: Connection refused"
/// rather than reqwest's "error sending request for url (...)", which repeats the URL.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    let keep = parts.len().min(2);
    parts[parts.len() - keep..].join(": ")
}
