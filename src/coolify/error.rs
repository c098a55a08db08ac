//! Every way a Coolify call can fail, each with a message that says what to do next.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::http::{ApiError, NotJson, Retry, TransportError};

/// A failed Coolify call. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoolifyError {
    #[error(
        "Coolify rejected the API token ({message}): give a valid one (COOLIFY_API_TOKEN with COOLIFY_BASE_URL, PFTUI_<CONTEXT>_TOKEN for a named context) or run `pftui login --context NAME` (tokens expire; one is created in Coolify under Keys & Tokens)"
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

    /// A 404: `subject` is what the request named (`deployment 'abc'`), when it named
    /// one; `request` the method and path.
    #[error(
        "{}: {request} answered 404 ({message})",
        .subject.as_deref().map_or_else(|| "not found".to_string(), |s| format!("Coolify has no {s}"))
    )]
    NotFound {
        subject: Option<String>,
        request: String,
        message: String,
    },

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

    /// No answer at all: a refused connection, a TLS failure, a timeout.
    #[error(
        "{}",
        .0.message(
            "check the URL and that Coolify is running and reachable",
            "the server or the network is slow or down"
        )
    )]
    Transport(TransportError),

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
                | Self::NotJson { .. }
        ) || matches!(self, Self::Transport(t) if t.is_setup_problem())
    }

    /// About the token or the server as a whole rather than the one request: any other
    /// request would fail the same way (a rejected token, a closed API, no server).
    pub(crate) fn is_about_the_server(&self) -> bool {
        match self {
            Self::Unauthorized { .. } | Self::ApiDisabled { .. } | Self::InvalidUrl { .. } => true,
            Self::Transport(t) => t.is_setup_problem(),
            _ => false,
        }
    }

    /// Worth retrying an idempotent request after this.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            Self::Server { .. } | Self::RateLimited { .. } => true,
            Self::Transport(t) => t.is_transient(),
            _ => false,
        }
    }
}

impl From<TransportError> for CoolifyError {
    fn from(err: TransportError) -> Self {
        Self::Transport(err)
    }
}

impl ApiError for CoolifyError {
    fn not_json(answer: NotJson) -> Self {
        Self::NotJson {
            url: answer.url,
            status: answer.status,
            content_type: answer.content_type,
            snippet: answer.snippet,
        }
    }

    fn undecodable(endpoint: &str, detail: String) -> Self {
        Self::Decode {
            endpoint: endpoint.to_string(),
            detail,
        }
    }

    fn retry(&self) -> Retry {
        match self {
            Self::RateLimited {
                retry_after: Some(after),
                ..
            } => Retry::After(*after),
            e if e.is_transient() => Retry::Backoff,
            _ => Retry::No,
        }
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
