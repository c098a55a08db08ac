//! Every way a Coolify call can fail, each with a message that says what to do next.

use std::collections::BTreeMap;
use std::time::Duration;

/// A failed Coolify call. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoolifyError {
    #[error(
        "Coolify rejected the API token ({message}): set a valid token in COOLIFY_API_TOKEN or run `pftui login` (tokens expire; one is created in Coolify under Keys & Tokens)"
    )]
    Unauthorized { message: String },

    #[error(
        "the API token lacks the '{ability}' permission: create a token with '{ability}' (or 'root') in Coolify under Keys & Tokens"
    )]
    MissingPermission { ability: String },

    #[error(
        "Coolify's API is closed to this client ({message}): an admin can enable the API or allow this IP in Coolify's Settings > Advanced"
    )]
    ApiDisabled { message: String },

    #[error("Coolify refused the request: {message}")]
    Forbidden { message: String },

    #[error("not found: {message}")]
    NotFound { message: String },

    #[error(
        "{method} {path} is not accepted by this Coolify ({message}): the server and pftui disagree on the API version"
    )]
    MethodNotAllowed {
        method: String,
        path: String,
        message: String,
    },

    #[error("conflict: {message}")]
    Conflict { message: String },

    #[error("Coolify rejected the input: {message}{}", field_list(.errors))]
    Validation {
        message: String,
        errors: BTreeMap<String, Vec<String>>,
    },

    #[error("Coolify rejected the request: {message}")]
    BadRequest { message: String },

    #[error("Coolify is busy: {message} (retry in {})", retry_text(.retry_after))]
    RateLimited {
        message: String,
        retry_after: Option<Duration>,
    },

    #[error(
        "Coolify failed with HTTP {status}: {message}; try again, and look at the Coolify server's logs if it persists"
    )]
    Server { status: u16, message: String },

    #[error(
        "{url} answered HTTP {status} with {content_type} instead of JSON ({snippet}): check that the URL points at Coolify itself, not a proxy, login or error page"
    )]
    NotJson {
        url: String,
        status: u16,
        content_type: String,
        snippet: String,
    },

    #[error("could not read Coolify's answer to {endpoint}: {detail}")]
    Decode { endpoint: String, detail: String },

    #[error(
        "cannot connect to {url}: {detail}; check the URL and that Coolify is running and reachable"
    )]
    Connect { url: String, detail: String },

    #[error(
        "TLS handshake with {url} failed: {detail}; check the server's certificate (pftui trusts the system's and Mozilla's roots)"
    )]
    Tls { url: String, detail: String },

    #[error("{url} did not answer in time; the server or the network is slow or down")]
    Timeout { url: String },

    #[error("invalid Coolify URL '{url}': {detail} (expected e.g. https://coolify.example.com)")]
    InvalidUrl { url: String, detail: String },

    #[error("{feature} needs Coolify {needed} or newer; this server runs {found}")]
    Unsupported {
        feature: String,
        needed: String,
        found: String,
    },

    #[error("Coolify answered HTTP {status}: {message}")]
    Unexpected { status: u16, message: String },
}

impl CoolifyError {
    /// Credential and configuration problems: the user must fix something before retrying
    /// (exit code 2 in the CLI).
    pub fn is_setup_problem(&self) -> bool {
        matches!(
            self,
            Self::Unauthorized { .. }
                | Self::MissingPermission { .. }
                | Self::ApiDisabled { .. }
                | Self::InvalidUrl { .. }
                | Self::Connect { .. }
                | Self::Tls { .. }
                | Self::NotJson { .. }
        )
    }

    /// Worth retrying an idempotent request after this.
    pub(crate) fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Server { .. }
                | Self::Timeout { .. }
                | Self::Connect { .. }
                | Self::RateLimited { .. }
        )
    }
}

fn field_list(errors: &BTreeMap<String, Vec<String>>) -> String {
    errors
        .iter()
        .map(|(field, msgs)| format!("; {field}: {}", msgs.join(" ")))
        .collect()
}

fn retry_text(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!("{}s", d.as_secs()),
        None => "a minute".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_lists_each_field() {
        let err = CoolifyError::Validation {
            message: "Validation failed.".into(),
            errors: BTreeMap::from([
                ("name".into(), vec!["The name field is required.".into()]),
                ("bogus".into(), vec!["This field is not allowed.".into()]),
            ]),
        };
        assert_eq!(
            err.to_string(),
            "Coolify rejected the input: Validation failed.; bogus: This field is not allowed.; name: The name field is required."
        );
    }

    #[test]
    fn rate_limit_names_the_wait() {
        let err = CoolifyError::RateLimited {
            message: "Deployment queue is full.".into(),
            retry_after: Some(Duration::from_secs(60)),
        };
        assert!(err.to_string().ends_with("(retry in 60s)"));
    }
}
