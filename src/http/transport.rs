//! How the HTTP client is built, and what a request whose answer could not be taken in
//! failed on: no answer at all, or one larger than pftui takes.

use std::time::Duration;

use reqwest::redirect::{Attempt, Policy};

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// An HTTP client for one API root.
///
/// A plain-http root gets a client without the system's trust roots: loading them takes
/// longer than a whole request to a nearby server, and such a client never needs them. A
/// redirect from there to https is refused with the address to use instead.
pub(crate) fn client(api: &str, timeouts: &Timeouts) -> Result<reqwest::Client, reqwest::Error> {
    let builder = reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
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

/// A request whose answer could not be taken in, with the URL it went to: none came (a
/// timeout, a refused connection, TLS), or it was larger than the limit. Each API's error
/// wraps it and says in its own words what to check ([`TransportError::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// No connection, or no whole answer, within `after`.
    Timeout {
        url: String,
        after: Duration,
        /// The connection itself was not made in time (else the answer did not come).
        connecting: bool,
    },
    /// The answer held more than `limit` bytes (the `limits.body_mb` setting).
    TooLarge { url: String, limit: usize },
    /// The TLS handshake or the certificate; the detail says which.
    Tls { url: String, detail: String },
    /// Everything else: refused, unreachable, reset, a refused redirect.
    Connect { url: String, detail: String },
}

impl TransportError {
    /// Classify a reqwest error of a request to `url` sent with these timeouts.
    pub(crate) fn of(url: &str, err: &reqwest::Error, timeouts: &Timeouts) -> Self {
        let url = url.to_string();
        if err.is_timeout() {
            let connecting = err.is_connect();
            return Self::Timeout {
                url,
                after: if connecting {
                    timeouts.connect
                } else {
                    timeouts.request
                },
                connecting,
            };
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
            Self::Timeout {
                url,
                after,
                connecting: true,
            } => format!(
                "no connection to {url} within {} (limits.connect_timeout); {slow}; {connect}",
                seconds(*after)
            ),
            Self::Timeout { url, after, .. } => format!(
                "{url} accepted the request but did not answer within {} (limits.request_timeout); {slow}, or raise limits.request_timeout in the settings for a slow server",
                seconds(*after)
            ),
            Self::TooLarge { url, limit } => format!(
                "the answer to {url} is larger than {} MB, the most pftui takes of one answer (limits.body_mb); the server sent far more than expected: check it, or raise limits.body_mb in the settings if the answer is genuinely this large",
                limit / (1024 * 1024)
            ),
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

/// How long a request may take: to connect, and in all (connecting, sending, and reading
/// the whole answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

/// `30s`, `1.5s`.
fn seconds(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
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
        let slow = TransportError::Timeout {
            url: "u".into(),
            after: Duration::from_secs(30),
            connecting: false,
        };
        assert_eq!(
            slow.message("check", "the network is slow"),
            "u accepted the request but did not answer within 30s (limits.request_timeout); the network is slow, or raise limits.request_timeout in the settings for a slow server"
        );
        let unreached = TransportError::Timeout {
            url: "u".into(),
            after: Duration::from_millis(2500),
            connecting: true,
        };
        assert_eq!(
            unreached.message("check the URL", "the network is slow"),
            "no connection to u within 2.5s (limits.connect_timeout); the network is slow; check the URL"
        );
        assert!(slow.is_transient() && !slow.is_setup_problem());
        assert!(refused.is_transient() && refused.is_setup_problem());
        let big = TransportError::TooLarge {
            url: "http://c/api/v1/applications".into(),
            limit: 64 * 1024 * 1024,
        };
        assert!(
            big.message("check", "slow")
                .starts_with("the answer to http://c/api/v1/applications is larger than 64 MB, the most pftui takes of one answer (limits.body_mb)"),
            "{}",
            big.message("check", "slow")
        );
        assert!(!big.is_transient() && !big.is_setup_problem());
    }
}
