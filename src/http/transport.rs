//! How the HTTP client is built, and what a request that got no answer at all failed on.

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

/// A request that got no HTTP answer at all, with the URL it went to. Each API's error
/// wraps it and says in its own words what to check ([`TransportError::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    Timeout {
        url: String,
    },
    /// The TLS handshake or the certificate; the detail says which.
    Tls {
        url: String,
        detail: String,
    },
    /// Everything else: refused, unreachable, reset, a refused redirect.
    Connect {
        url: String,
        detail: String,
    },
}

impl TransportError {
    /// Classify a reqwest error of a request to `url`.
    pub(crate) fn of(url: &str, err: &reqwest::Error) -> Self {
        let url = url.to_string();
        if err.is_timeout() {
            return Self::Timeout { url };
        }
        let detail = error_chain(err);
        let lower = detail.to_ascii_lowercase();
        let tls_words = [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "alert",
        ];
        if tls_words.iter().any(|w| lower.contains(w)) {
            Self::Tls { url, detail }
        } else {
            Self::Connect { url, detail }
        }
    }

    /// The whole message: what failed, then what to do. `connect` is the advice after a
    /// failed connection (which address to check), `slow` what a timeout means.
    pub fn message(&self, connect: &str, slow: &str) -> String {
        match self {
            Self::Timeout { url } => format!("{url} did not answer in time; {slow}"),
            Self::Tls { url, detail } => format!(
                "TLS handshake with {url} failed: {detail}; check the server's certificate (pftui trusts the system's and Mozilla's roots)"
            ),
            Self::Connect { url, detail } => {
                format!("cannot connect to {url}: {detail}; {connect}")
            }
        }
    }

    /// The user must fix an address or a certificate before trying again.
    pub fn is_setup_problem(&self) -> bool {
        matches!(self, Self::Tls { .. } | Self::Connect { .. })
    }

    /// Worth sending an idempotent request again.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::Connect { .. })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_end_with_the_api_s_advice() {
        let refused = TransportError::Connect {
            url: "http://127.0.0.1:9/api/v1/version".into(),
            detail: "tcp connect error: Connection refused".into(),
        };
        assert_eq!(
            refused.message("check the URL", "slow"),
            "cannot connect to http://127.0.0.1:9/api/v1/version: tcp connect error: Connection refused; check the URL"
        );
        let slow = TransportError::Timeout { url: "u".into() };
        assert_eq!(
            slow.message("check", "the network is slow"),
            "u did not answer in time; the network is slow"
        );
        assert!(slow.is_transient() && !slow.is_setup_problem());
        assert!(refused.is_transient() && refused.is_setup_problem());
    }
}
