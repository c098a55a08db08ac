//! The HTTP side of the GitHub client: base URL, headers, bearer auth, error mapping,
//! retries for reads, and the endpoints promotion needs.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, LINK, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error::GithubError;
use super::pagination::next_link;
use super::types::{
    Branch, Comparison, MergeOutcome, Repository, WireBranch, WireComparison, WireRepository,
};

/// GitHub.com's API root; GitHub Enterprise Server uses `https://HOST/api/v3`.
pub const DEFAULT_API_URL: &str = "https://api.github.com";
/// The REST API version every request pins (`X-GitHub-Api-Version`).
pub const API_VERSION: &str = "2022-11-28";

/// How long to wait for GitHub, and how often to retry reads.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Attempts for reads (GET); merges are sent exactly once.
    pub attempts: u32,
    /// First backoff; doubled on each retry.
    pub backoff: Duration,
    /// The longest `retry-after` worth waiting for before giving up.
    pub max_retry_after: Duration,
    /// The most pages a paginated list follows.
    pub max_pages: u32,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            attempts: 3,
            backoff: Duration::from_millis(250),
            max_retry_after: Duration::from_secs(5),
            max_pages: 100,
        }
    }
}

/// A GitHub REST client for one API root and one token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// The API root without a trailing slash, e.g. `https://api.github.com`.
    api: String,
    token: SecretString,
    options: ClientOptions,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.api)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// A raw answer: status, headers and body, before decoding.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
    url: String,
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
        Self::with_options(base_url, token, ClientOptions::default())
    }

    pub fn with_options(
        base_url: &str,
        token: SecretString,
        options: ClientOptions,
    ) -> Result<Self, GithubError> {
        let api = api_root(base_url)?;
        let http = crate::http::client(&api, options.connect_timeout, options.request_timeout)
            .map_err(|e| GithubError::InvalidUrl {
                url: base_url.to_string(),
                detail: e.to_string(),
            })?;
        Ok(Self {
            http,
            api,
            token,
            options,
        })
    }

    /// The API root, e.g. `https://api.github.com`.
    pub fn api_url(&self) -> &str {
        &self.api
    }

    /// `GET /repos/{owner}/{name}`.
    pub async fn repo(&self, owner: &str, name: &str) -> Result<Repository, GithubError> {
        let full = format!("{owner}/{name}");
        let call = Call {
            action: format!("reading repository {full}"),
            missing: format!("repository {full}"),
        };
        let path = format!("/repos/{}/{}", segment(owner), segment(name));
        let answer = self.get(&self.url(&path), &call).await?;
        let wire: WireRepository = decode(&path, &answer)?;
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
        let path = format!("/repos/{}/{}/branches", segment(owner), segment(name));
        let mut url = self.url(&format!("{path}?per_page=100"));
        let mut out = Vec::new();
        for _ in 0..self.options.max_pages.max(1) {
            let answer = self.get(&url, &call).await?;
            let page: Vec<WireBranch> = decode(&path, &answer)?;
            out.extend(page.into_iter().filter_map(WireBranch::into_model));
            let next = answer
                .headers
                .get(LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(next_link);
            match next {
                None => return Ok(out),
                Some(next) if same_origin(&next, &self.api) => url = next,
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
            detail: format!(
                "more than {} pages of branches; stopped following them",
                self.options.max_pages.max(1)
            ),
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
        let path = format!(
            "/repos/{}/{}/branches/{}",
            segment(owner),
            segment(name),
            git_ref(branch)
        );
        let answer = self.get(&self.url(&path), &call).await?;
        let wire: WireBranch = decode(&path, &answer)?;
        wire.into_model().ok_or_else(|| GithubError::Decode {
            endpoint: path,
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
        let path = format!(
            "/repos/{}/{}/compare/{}...{}",
            segment(owner),
            segment(name),
            git_ref(base),
            git_ref(head)
        );
        let answer = self.get(&self.url(&path), &call).await?;
        let wire: WireComparison = decode(&path, &answer)?;
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
        let path = format!("/repos/{}/{}/merges", segment(owner), segment(name));
        let mut body = serde_json::json!({"base": base, "head": head});
        if let (Some(m), Some(map)) = (message, body.as_object_mut()) {
            map.insert("commit_message".into(), m.into());
        }
        let result = self
            .send(Method::POST, &self.url(&path), Some(&body), &call)
            .await;
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
        let commit: MergeCommit = decode(&path, &answer)?;
        match commit.sha {
            Some(sha) if !sha.is_empty() => Ok(MergeOutcome::Merged { sha }),
            _ => Err(GithubError::Decode {
                endpoint: path,
                detail: format!(
                    "GitHub answered HTTP {} without the merge commit's sha; check {base} on GitHub before retrying",
                    answer.status.as_u16()
                ),
            }),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api)
    }

    async fn get(&self, url: &str, call: &Call) -> Result<Answer, GithubError> {
        self.send(Method::GET, url, None::<&()>, call).await
    }

    /// Send one request (retrying reads on transient failures) and map every non-success
    /// answer to a typed error.
    async fn send<B: serde::Serialize + ?Sized>(
        &self,
        method: Method,
        url: &str,
        body: Option<&B>,
        call: &Call,
    ) -> Result<Answer, GithubError> {
        let idempotent = method == Method::GET;
        let mut attempt = 1;
        let mut backoff = self.options.backoff;
        loop {
            let err = match self.send_once(&method, url, body, call).await {
                Ok(answer) => return Ok(answer),
                Err(err) => err,
            };
            let wait = match &err {
                GithubError::SecondaryRateLimit {
                    retry_after: Some(after),
                    ..
                } if *after > self.options.max_retry_after => None,
                GithubError::SecondaryRateLimit {
                    retry_after: Some(after),
                    ..
                } => Some(*after),
                GithubError::SecondaryRateLimit {
                    retry_after: None, ..
                } => None,
                _ => Some(backoff),
            };
            match wait {
                Some(wait)
                    if idempotent && err.is_transient() && attempt < self.options.attempts =>
                {
                    tracing::debug!(%method, url, attempt, error = %err, "retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    backoff *= 2;
                }
                _ => return Err(err),
            }
        }
    }

    async fn send_once<B: serde::Serialize + ?Sized>(
        &self,
        method: &Method,
        url: &str,
        body: Option<&B>,
        call: &Call,
    ) -> Result<Answer, GithubError> {
        let mut request = self
            .http
            .request(method.clone(), url)
            .bearer_auth(self.token.expose_secret())
            .header(ACCEPT, "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| transport_error(url, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(url, &e))?;
        let answer = Answer {
            status,
            headers,
            body,
            url: url.to_string(),
        };
        if status.is_success() {
            Ok(answer)
        } else {
            Err(classify(call, &answer, Timestamp::now()))
        }
    }
}

/// Normalise a user's URL to the API root.
fn api_root(base_url: &str) -> Result<String, GithubError> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let parsed = url::Url::parse(trimmed).map_err(|e| GithubError::InvalidUrl {
        url: base_url.to_string(),
        detail: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(GithubError::InvalidUrl {
            url: base_url.to_string(),
            detail: "it must be an http:// or https:// address".into(),
        });
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(GithubError::InvalidUrl {
            url: base_url.to_string(),
            detail: "it must not have a query or fragment".into(),
        });
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

/// Percent-encode one path segment.
fn segment(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Percent-encode a ref, keeping its slashes (`feature/x`), as GitHub's routes accept.
fn git_ref(raw: &str) -> String {
    raw.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// Decode a successful answer's JSON body.
fn decode<T: DeserializeOwned>(path: &str, answer: &Answer) -> Result<T, GithubError> {
    if looks_like_html(&answer.body) {
        return Err(not_json(answer));
    }
    serde_json::from_slice(&answer.body).map_err(|e| GithubError::Decode {
        endpoint: path.to_string(),
        detail: if answer.body.is_empty() {
            "the body was empty".into()
        } else {
            e.to_string()
        },
    })
}

fn looks_like_html(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

fn not_json(answer: &Answer) -> GithubError {
    GithubError::NotJson {
        url: answer.url.clone(),
        status: answer.status.as_u16(),
        content_type: header(&answer.headers, CONTENT_TYPE.as_str())
            .unwrap_or("no content type")
            .to_string(),
        snippet: snippet(&answer.body),
    }
}

/// A short, single-line excerpt of a body: an HTML page's title when it has one.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>"))
        && start + 7 <= end
    {
        return format!("page titled \"{}\"", text[start + 7..end].trim());
    }
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = flat.chars().take(80).collect();
    if flat.chars().count() > 80 {
        cut.push('…');
    }
    if cut.is_empty() {
        "empty body".into()
    } else {
        format!("\"{cut}\"")
    }
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
    let parsed: Option<ErrorBody> = if looks_like_html(&answer.body) {
        None
    } else {
        serde_json::from_slice(&answer.body).ok()
    };
    let Some(body) = parsed else {
        return match status {
            500.. => GithubError::Server {
                status,
                message: snippet(&answer.body),
            },
            _ => not_json(answer),
        };
    };
    let message = body
        .message
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| {
            answer
                .status
                .canonical_reason()
                .unwrap_or("no message")
                .to_string()
        });
    let headers = &answer.headers;
    match status {
        401 => GithubError::Unauthorized { message },
        403 | 429 => {
            let retry_after = header(headers, RETRY_AFTER.as_str())
                .and_then(|v| v.parse::<u64>().ok())
                .map(Duration::from_secs);
            if header(headers, "x-ratelimit-remaining") == Some("0") && retry_after.is_none() {
                let resets_at = header(headers, "x-ratelimit-reset")
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

/// Map a transport failure (no HTTP answer at all).
fn transport_error(url: &str, err: &reqwest::Error) -> GithubError {
    let url = url.to_string();
    match crate::http::NoAnswer::of(err) {
        crate::http::NoAnswer::Timeout => GithubError::Timeout { url },
        crate::http::NoAnswer::Tls(detail) => GithubError::Tls { url, detail },
        crate::http::NoAnswer::Connect(detail) => GithubError::Connect { url, detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

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
        assert_eq!(git_ref("feature/new ui"), "feature/new%20ui");
        assert_eq!(segment("a/b"), "a%2Fb");
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
