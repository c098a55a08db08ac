//! Every way a GitHub call can fail, each with a message that says what to do next.

use std::time::Duration;

use jiff::Timestamp;

use crate::http::{ApiError, NotJson, Retry, TransportError};

/// A failed GitHub call. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GithubError {
    #[error(
        "GitHub rejected the token ({message}): set a valid token in GITHUB_TOKEN or run `pftui login --service github` (tokens expire; create one under GitHub Settings > Developer settings)"
    )]
    Unauthorized { message: String },

    #[error(
        "GitHub refused {action} ({message}): the token lacks a permission this needs (fine-grained token: Contents read and write on the repository; classic token: the repo scope), or an organisation policy blocks it"
    )]
    Forbidden { action: String, message: String },

    #[error(
        "GitHub's API rate limit for this token is used up ({message}); it resets {}",
        reset_text(.resets_at, .wait)
    )]
    RateLimited {
        message: String,
        /// `x-ratelimit-reset`.
        resets_at: Option<Timestamp>,
        /// How long that was from when the answer arrived.
        wait: Option<Duration>,
    },

    #[error(
        "GitHub's secondary rate limit stopped {action} ({message}); wait {} before trying again, and do not send writes in parallel",
        retry_text(.retry_after)
    )]
    SecondaryRateLimit {
        action: String,
        message: String,
        retry_after: Option<Duration>,
    },

    #[error(
        "{what} was not found on GitHub ({message}): check the spelling; if it exists, the token cannot see it (GitHub answers 404, not 403, for private repositories a token has no access to)"
    )]
    NotFound { what: String, message: String },

    #[error(
        "merging {head} into {base} of {repo} conflicts, so GitHub changed nothing: merge by hand (check out {base}, `git merge {head}`, resolve the conflicts, push) or open a pull request from {head} to {base}"
    )]
    MergeConflict {
        repo: String,
        base: String,
        head: String,
    },

    /// A refusal GitHub explains itself (branch protection, validation, ...): its message
    /// is shown verbatim.
    #[error("GitHub refused {action} (HTTP {status}): {message}")]
    Refused {
        action: String,
        status: u16,
        message: String,
    },

    #[error(
        "GitHub failed with HTTP {status} ({message}); try again later, and see https://www.githubstatus.com if it persists"
    )]
    Server { status: u16, message: String },

    #[error(
        "{url} answered HTTP {status} with {content_type} instead of JSON ({snippet}): check that GITHUB_API_URL points at GitHub's API (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise), not a proxy or login page"
    )]
    NotJson {
        url: String,
        status: u16,
        content_type: String,
        snippet: String,
    },

    #[error("could not read GitHub's answer to {endpoint}: {detail}")]
    Decode { endpoint: String, detail: String },

    /// No answer at all: a refused connection, a TLS failure, a timeout.
    #[error(
        "{}",
        .0.message(
            "check GITHUB_API_URL and that the network reaches GitHub",
            "GitHub or the network is slow or down, try again"
        )
    )]
    Transport(TransportError),

    #[error(
        "invalid GitHub API URL '{url}': {detail} (expected e.g. https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise)"
    )]
    InvalidUrl { url: String, detail: String },

    #[error(
        "'{input}' is not a GitHub repository: {detail} (expected owner/name, https://github.com/owner/name or git@github.com:owner/name.git)"
    )]
    InvalidRepository { input: String, detail: String },

    #[error("GitHub answered HTTP {status}: {message}")]
    Unexpected { status: u16, message: String },
}

impl GithubError {
    /// Credential and configuration problems: the user must fix something before retrying
    /// (exit code 2 in the CLI).
    pub fn is_setup_problem(&self) -> bool {
        matches!(
            self,
            Self::Unauthorized { .. }
                | Self::Forbidden { .. }
                | Self::InvalidUrl { .. }
                | Self::InvalidRepository { .. }
                | Self::NotJson { .. }
        ) || matches!(self, Self::Transport(t) if t.is_setup_problem())
    }

    /// Worth retrying an idempotent request after this.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            Self::Server { .. } | Self::SecondaryRateLimit { .. } => true,
            Self::Transport(t) => t.is_transient(),
            _ => false,
        }
    }
}

impl From<TransportError> for GithubError {
    fn from(err: TransportError) -> Self {
        Self::Transport(err)
    }
}

impl ApiError for GithubError {
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

    /// A secondary rate limit is waited out only when GitHub says for how long.
    fn retry(&self) -> Retry {
        match self {
            Self::SecondaryRateLimit {
                retry_after: Some(after),
                ..
            } => Retry::After(*after),
            Self::SecondaryRateLimit {
                retry_after: None, ..
            } => Retry::No,
            e if e.is_transient() => Retry::Backoff,
            _ => Retry::No,
        }
    }
}

fn reset_text(resets_at: &Option<Timestamp>, wait: &Option<Duration>) -> String {
    let at = resets_at.map(|t| t.strftime("at %H:%M:%S UTC").to_string());
    let within = wait.map(|w| {
        let d = jiff::SignedDuration::from_secs(w.as_secs().min(i64::MAX as u64) as i64);
        format!("in {}", crate::model::time::compact(d))
    });
    match (at, within) {
        (Some(at), Some(within)) => format!("{at} ({within}); wait until then"),
        (Some(at), None) => format!("{at}; wait until then"),
        (None, Some(within)) => format!("{within}; wait until then"),
        (None, None) => "within the hour; wait and try again".into(),
    }
}

fn retry_text(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!("{}s", d.as_secs()),
        None => "at least a minute".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_say_when_they_reset() {
        let err = GithubError::RateLimited {
            message: "API rate limit exceeded for user ID 1.".into(),
            resets_at: Some(Timestamp::from_second(1_800_000_000).expect("timestamp")),
            wait: Some(Duration::from_secs(754)),
        };
        assert_eq!(
            err.to_string(),
            "GitHub's API rate limit for this token is used up (API rate limit exceeded for user ID 1.); it resets at 08:00:00 UTC (in 12m34s); wait until then"
        );
        let err = GithubError::SecondaryRateLimit {
            action: "the merge".into(),
            message: "You have exceeded a secondary rate limit.".into(),
            retry_after: Some(Duration::from_secs(60)),
        };
        assert!(err.to_string().contains("wait 60s"));
        assert!(err.is_transient());
    }

    #[test]
    fn conflicts_say_nothing_changed_and_what_to_do() {
        let err = GithubError::MergeConflict {
            repo: "pfcore/pf-air".into(),
            base: "main".into(),
            head: "staging".into(),
        };
        let text = err.to_string();
        assert!(text.contains("changed nothing"), "{text}");
        assert!(text.contains("git merge staging"), "{text}");
        assert!(text.contains("pull request"), "{text}");
        assert!(!err.is_transient() && !err.is_setup_problem());
    }

    #[test]
    fn unauthorized_names_the_variable() {
        let err = GithubError::Unauthorized {
            message: "Bad credentials".into(),
        };
        assert!(err.to_string().contains("GITHUB_TOKEN"));
        assert!(err.is_setup_problem());
    }
}
