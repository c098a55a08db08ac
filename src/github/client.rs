//! The GitHub side of the REST core: the API root, the headers GitHub wants, reading
//! GitHub's error answers into typed errors, and the endpoints promotion needs.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::StatusCode;
use reqwest::header::LINK;
use secrecy::SecretString;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error::GithubError;
use super::pagination::next_link;
use super::routes;
use super::types::{
    Branch, Comparison, MergeOutcome, Repository, WireBranch, WireComparison, WireRepository,
};
use crate::http::{Answer, ApiError, Options, Rest, Target};

/// GitHub.com's API root; GitHub Enterprise Server uses `https://HOST/api/v3`.
pub const DEFAULT_API_URL: &str = "https://api.github.com";
/// The REST API version every request pins (`X-GitHub-Api-Version`).
pub const API_VERSION: &str = "2022-11-28";

/// The most pages a paginated list follows.
const MAX_PAGES: u32 = 100;

const HEADERS: &[(&str, &str)] = &[
    ("accept", "application/vnd.github+json"),
    ("x-github-api-version", API_VERSION),
];

/// A GitHub REST client for one API root and one token.
#[derive(Debug, Clone)]
pub struct Client {
    rest: Rest,
}

/// What a request is about, for error messages.
struct Call {
    /// "merging staging into main of pfcore/pf-air"
    action: String,
    /// What a 404 means is missing: "repository pfcore/pf-air".
    missing: String,
}

impl Client {
    /// A client for the API at `base_url` (`https://api.github.com`, or
    /// `https://HOST/api/v3` for GitHub Enterprise; see [`DEFAULT_API_URL`]).
    pub fn new(base_url: &str, token: SecretString) -> Result<Self, GithubError> {
        Self::with_options(base_url, token, Options::default())
    }

    pub fn with_options(
        base_url: &str,
        token: SecretString,
        options: Options,
    ) -> Result<Self, GithubError> {
        let api = api_root(base_url)?;
        let rest =
            Rest::new(api, token, HEADERS, options).map_err(|e| GithubError::InvalidUrl {
                url: base_url.to_string(),
                detail: e.to_string(),
            })?;
        Ok(Self { rest })
    }

    /// The API root, e.g. `https://api.github.com`.
    pub fn api_url(&self) -> &str {
        self.rest.api()
    }

    /// `GET /repos/{owner}/{name}`.
    pub async fn repo(&self, owner: &str, name: &str) -> Result<Repository, GithubError> {
        let full = format!("{owner}/{name}");
        let call = Call {
            action: format!("reading repository {full}"),
            missing: format!("repository {full}"),
        };
        let target = routes::REPOSITORY.at([owner, name]);
        let answer = self.send(&target, None::<&()>, &call).await?;
        let wire: WireRepository = decode(target.path(), &answer)?;
        Ok(wire.into_model(owner, name))
    }

    /// `GET /repos/{owner}/{name}/branches`, every page (100 a page, following
    /// `Link: rel="next"`).
    pub async fn branches(&self, owner: &str, name: &str) -> Result<Vec<Branch>, GithubError> {
        let full = format!("{owner}/{name}");
        let call = Call {
            action: format!("listing the branches of {full}"),
            missing: format!("repository {full}"),
        };
        let first = routes::BRANCHES.at([owner, name]);
        let path = first.path().to_string();
        let mut target = first.query(&[("per_page", "100")]);
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let answer = self.send(&target, None::<&()>, &call).await?;
            let page: Vec<WireBranch> = decode(&path, &answer)?;
            out.extend(page.into_iter().filter_map(WireBranch::into_model));
            let next = answer.header(LINK.as_str()).and_then(next_link);
            match next {
                None => return Ok(out),
                Some(next) if same_origin(&next, self.rest.api()) => {
                    target = target.linked(next);
                }
                Some(next) => {
                    return Err(GithubError::Decode {
                        endpoint: path,
                        detail: format!(
                            "the next page's link points elsewhere ({next}); not sending the token there"
                        ),
                    });
                }
            }
        }
        Err(GithubError::Decode {
            endpoint: path,
            detail: format!("more than {MAX_PAGES} pages of branches; stopped following them"),
        })
    }

    /// `GET /repos/{owner}/{name}/branches/{branch}`.
    pub async fn branch(
        &self,
        owner: &str,
        name: &str,
        branch: &str,
    ) -> Result<Branch, GithubError> {
        let full = format!("{owner}/{name}");
        let call = Call {
            action: format!("reading branch {branch} of {full}"),
            missing: format!("branch '{branch}' of {full}"),
        };
        let target = routes::BRANCH.at([owner, name, branch]);
        let answer = self.send(&target, None::<&()>, &call).await?;
        let wire: WireBranch = decode(target.path(), &answer)?;
        wire.into_model().ok_or_else(|| GithubError::Decode {
            endpoint: target.path().to_string(),
            detail: "the branch has no name".into(),
        })
    }

    /// `GET /repos/{owner}/{name}/compare/{base}...{head}`: what merging `head` into
    /// `base` would bring (`base` and `head` are branches or shas).
    pub async fn compare(
        &self,
        owner: &str,
        name: &str,
        base: &str,
        head: &str,
    ) -> Result<Comparison, GithubError> {
        let full = format!("{owner}/{name}");
        let call = Call {
            action: format!("comparing {base} with {head} in {full}"),
            missing: format!("repository {full}, or its ref '{base}' or '{head}',"),
        };
        let target = routes::COMPARE.at([owner, name, base, head]);
        let answer = self.send(&target, None::<&()>, &call).await?;
        let wire: WireComparison = decode(target.path(), &answer)?;
        Ok(wire.into_model())
    }

    /// `POST /repos/{owner}/{name}/merges`: merge `head` (a branch or sha) into the branch
    /// `base`, with `message` as the merge commit's message (GitHub writes
    /// "Merge {head} into {base}" when None). Sent once, never retried.
    pub async fn merge(
        &self,
        owner: &str,
        name: &str,
        base: &str,
        head: &str,
        message: Option<&str>,
    ) -> Result<MergeOutcome, GithubError> {
        let full = format!("{owner}/{name}");
        let call = Call {
            action: format!("merging {head} into {base} of {full}"),
            missing: format!("repository {full}"),
        };
        let target = routes::MERGE.at([owner, name]);
        let mut body = serde_json::json!({"base": base, "head": head});
        if let (Some(m), Some(map)) = (message, body.as_object_mut()) {
            map.insert("commit_message".into(), m.into());
        }
        let result = self.send(&target, Some(&body), &call).await;
        let answer = match result {
            Ok(answer) => answer,
            Err(GithubError::NotFound { message, .. }) if message == "Base does not exist" => {
                return Err(GithubError::NotFound {
                    what: format!("base branch '{base}' of {full}"),
                    message,
                });
            }
            Err(GithubError::NotFound { message, .. }) if message == "Head does not exist" => {
                return Err(GithubError::NotFound {
                    what: format!("head '{head}' of {full}"),
                    message,
                });
            }
            Err(GithubError::Refused {
                status: 409,
                message,
                ..
            }) if message.to_ascii_lowercase().contains("merge conflict") => {
                return Err(GithubError::MergeConflict {
                    repo: full,
                    base: base.to_string(),
                    head: head.to_string(),
                });
            }
            Err(e) => return Err(e),
        };
        if answer.status == StatusCode::NO_CONTENT {
            return Ok(MergeOutcome::AlreadyUpToDate);
        }
        #[derive(Deserialize)]
        struct MergeCommit {
            #[serde(default)]
            sha: Option<String>,
        }
        let commit: MergeCommit = decode(target.path(), &answer)?;
        match commit.sha {
            Some(sha) if !sha.is_empty() => Ok(MergeOutcome::Merged { sha }),
            _ => Err(GithubError::Decode {
                endpoint: target.path().to_string(),
                detail: format!(
                    "GitHub answered HTTP {} without the merge commit's sha; check {base} on GitHub before retrying",
                    answer.status.as_u16()
                ),
            }),
        }
    }

    /// Send one request (a read retried on transient failures) and map every non-success
    /// answer to a typed error.
    async fn send<B: serde::Serialize + ?Sized>(
        &self,
        target: &Target,
        body: Option<&B>,
        call: &Call,
    ) -> Result<Answer, GithubError> {
        self.rest
            .send(target, body, |answer| {
                classify(call, answer, Timestamp::now())
            })
            .await
    }
}

/// Normalise a user's URL to the API root.
fn api_root(base_url: &str) -> Result<String, GithubError> {
    let invalid = |detail: String| GithubError::InvalidUrl {
        url: base_url.to_string(),
        detail,
    };
    let (trimmed, parsed) = crate::http::api_address(base_url).map_err(invalid)?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment".into()));
    }
    Ok(trimmed.to_string())
}

/// Whether `link` is on the same scheme, host and port as the API root (the token is
/// only ever sent there).
fn same_origin(link: &str, api: &str) -> bool {
    match (url::Url::parse(link), url::Url::parse(api)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// Decode a successful answer's JSON body.
fn decode<T: DeserializeOwned>(path: &str, answer: &Answer) -> Result<T, GithubError> {
    answer.decode(path, |body| serde_json::from_slice(body))
}

/// GitHub's error body: `{"message", "documentation_url", "errors": [...]}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorBody {
    message: Option<String>,
    errors: Option<Vec<ErrorDetail>>,
}

/// One validation error: a message, or a resource/field/code triple; sometimes a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorDetail {
    Text(String),
    Fields {
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        resource: Option<String>,
        #[serde(default)]
        field: Option<String>,
        #[serde(default)]
        code: Option<String>,
    },
}

impl ErrorDetail {
    fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Fields {
                message: Some(m), ..
            } => m.clone(),
            Self::Fields {
                resource,
                field,
                code,
                ..
            } => [resource.as_deref(), field.as_deref(), code.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// Map a non-success answer to the typed error for its documented shape.
fn classify(call: &Call, answer: &Answer, now: Timestamp) -> GithubError {
    let status = answer.status.as_u16();
    let Some(body) = answer.error_body::<ErrorBody>() else {
        return match status {
            500.. => GithubError::Server {
                status,
                message: answer.snippet(),
            },
            _ => GithubError::not_json(answer.not_json()),
        };
    };
    let message = body
        .message
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| answer.reason().to_string());
    match status {
        401 => GithubError::Unauthorized { message },
        403 | 429 => {
            let retry_after = answer.retry_after();
            if answer.header("x-ratelimit-remaining") == Some("0") && retry_after.is_none() {
                let resets_at = answer
                    .header("x-ratelimit-reset")
                    .and_then(|v| v.parse::<i64>().ok())
                    .and_then(|s| Timestamp::from_second(s).ok());
                let wait = resets_at.map(|r| {
                    let secs = r.duration_since(now).as_secs().max(0);
                    Duration::from_secs(secs as u64)
                });
                GithubError::RateLimited {
                    message,
                    resets_at,
                    wait,
                }
            } else if status == 429
                || retry_after.is_some()
                || message.to_ascii_lowercase().contains("rate limit")
            {
                GithubError::SecondaryRateLimit {
                    action: call.action.clone(),
                    message,
                    retry_after,
                }
            } else {
                GithubError::Forbidden {
                    action: call.action.clone(),
                    message,
                }
            }
        }
        404 => GithubError::NotFound {
            what: call.missing.clone(),
            message,
        },
        405 | 409 | 422 => {
            let details: Vec<String> = body
                .errors
                .unwrap_or_default()
                .iter()
                .map(ErrorDetail::text)
                .filter(|t| !t.is_empty())
                .collect();
            let message = if details.is_empty() {
                message
            } else {
                format!("{message} ({})", details.join("; "))
            };
            GithubError::Refused {
                action: call.action.clone(),
                status,
                message,
            }
        }
        500.. => GithubError::Server { status, message },
        _ => GithubError::Unexpected { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> Answer {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            if let Ok(v) = HeaderValue::from_str(v) {
                map.insert(*k, v);
            }
        }
        Answer {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            headers: map,
            body: bytes::Bytes::from(body.to_string()),
            url: "https://api.github.com/repos/o/r".into(),
        }
    }

    fn call() -> Call {
        Call {
            action: "merging staging into main of o/r".into(),
            missing: "repository o/r".into(),
        }
    }

    fn now() -> Timestamp {
        Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn classify_one(status: u16, headers: &[(&'static str, &str)], body: &str) -> GithubError {
        classify(&call(), &answer(status, headers, body), now())
    }

    #[test]
    fn maps_each_documented_status() {
        let e = classify_one(401, &[], r#"{"message":"Bad credentials","status":"401"}"#);
        assert_eq!(
            e,
            GithubError::Unauthorized {
                message: "Bad credentials".into()
            }
        );
        let e = classify_one(
            403,
            &[],
            r#"{"message":"Resource not accessible by personal access token"}"#,
        );
        assert!(matches!(e, GithubError::Forbidden { .. }), "{e:?}");
        assert!(e.to_string().contains("Contents read and write"));
        let e = classify_one(404, &[], r#"{"message":"Not Found"}"#);
        assert!(e.to_string().contains("repository o/r was not found"));
        assert!(
            e.to_string()
                .contains("404, not 403, for private repositories")
        );
        let e = classify_one(
            409,
            &[],
            r#"{"message":"Required status check \"ci\" is expected."}"#,
        );
        assert_eq!(
            e.to_string(),
            "GitHub refused merging staging into main of o/r (HTTP 409): Required status check \"ci\" is expected."
        );
        let e = classify_one(
            422,
            &[],
            r#"{"message":"Validation Failed","errors":[{"resource":"Merge","field":"base","code":"invalid"},{"message":"No commits between main and staging"},"plain"]}"#,
        );
        assert_eq!(
            e,
            GithubError::Refused {
                action: "merging staging into main of o/r".into(),
                status: 422,
                message: "Validation Failed (Merge base invalid; No commits between main and staging; plain)".into()
            }
        );
        let e = classify_one(502, &[], "<html><title>502 Bad Gateway</title></html>");
        assert_eq!(
            e,
            GithubError::Server {
                status: 502,
                message: "page titled \"502 Bad Gateway\"".into()
            }
        );
        assert!(e.is_transient());
        let e = classify_one(503, &[], r#"{"message":"Service Unavailable"}"#);
        assert!(matches!(e, GithubError::Server { status: 503, .. }));
        let e = classify_one(400, &[("content-type", "text/html")], "<html>oops</html>");
        assert!(
            matches!(e, GithubError::NotJson { status: 400, .. }),
            "{e:?}"
        );
        let e = classify_one(418, &[], r#"{"message":"teapot"}"#);
        assert!(matches!(e, GithubError::Unexpected { status: 418, .. }));
    }

    #[test]
    fn tells_the_rate_limits_apart() {
        let e = classify_one(
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1800000600"),
            ],
            r#"{"message":"API rate limit exceeded for user ID 1."}"#,
        );
        assert_eq!(
            e,
            GithubError::RateLimited {
                message: "API rate limit exceeded for user ID 1.".into(),
                resets_at: Timestamp::from_second(1_800_000_600).ok(),
                wait: Some(Duration::from_secs(600)),
            }
        );
        assert!(e.to_string().contains("in 10m00s"), "{e}");
        assert!(!e.is_transient());
        let e = classify_one(
            403,
            &[("retry-after", "30")],
            r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#,
        );
        assert!(
            matches!(e, GithubError::SecondaryRateLimit { retry_after: Some(d), .. } if d == Duration::from_secs(30)),
            "{e:?}"
        );
        let e = classify_one(
            429,
            &[],
            r#"{"message":"You have exceeded a secondary rate limit."}"#,
        );
        assert!(matches!(
            e,
            GithubError::SecondaryRateLimit {
                retry_after: None,
                ..
            }
        ));
    }

    #[test]
    fn api_roots_and_paths() {
        assert_eq!(
            api_root("https://api.github.com/").ok().as_deref(),
            Some("https://api.github.com")
        );
        assert_eq!(
            api_root(" https://ghe.example.com/api/v3 ").ok().as_deref(),
            Some("https://ghe.example.com/api/v3")
        );
        for bad in ["api.github.com", "ftp://x", "https://x/?a=1", ""] {
            assert!(
                matches!(api_root(bad), Err(GithubError::InvalidUrl { .. })),
                "{bad}"
            );
        }
        assert!(same_origin(
            "https://api.github.com/repositories/1/branches?page=2",
            "https://api.github.com"
        ));
        assert!(!same_origin(
            "https://evil.example.com/x",
            "https://api.github.com"
        ));
        assert!(!same_origin(
            "http://api.github.com/x",
            "https://api.github.com"
        ));
    }

    #[test]
    fn debug_never_shows_the_token() {
        let c = Client::new(
            DEFAULT_API_URL,
            SecretString::from("ghp_supersecret".to_string()),
        )
        .expect("client");
        let text = format!("{c:?}");
        assert!(!text.contains("supersecret"), "{text}");
        assert!(text.contains("[redacted]"));
    }
}
