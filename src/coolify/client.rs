//! The HTTP side of the Coolify client: base URL, bearer auth, error mapping and retries.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::CoolifyError;
use super::stream::{ListDecoder, Memo, SplitError};

/// How long to wait for Coolify, and how often to retry idempotent reads.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Attempts for idempotent requests (GET); actions are sent exactly once.
    pub attempts: u32,
    /// First backoff; doubled on each retry.
    pub backoff: Duration,
    /// The longest `Retry-After` worth waiting for before giving up with the 429.
    pub max_retry_after: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            attempts: 3,
            backoff: Duration::from_millis(250),
            max_retry_after: Duration::from_secs(5),
        }
    }
}

/// Bodies at least this large are decoded off the async task.
const BIG_BODY: usize = 256 * 1024;

/// A Coolify REST client for one server and one token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// `https://host/api/v1`, without a trailing slash.
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
pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
    pub url: String,
}

/// Decodes an answer while it arrives, chunk by chunk (see [`Client::stream_get`]).
pub(crate) trait Incremental {
    type Output;

    /// Take the next chunk of the body.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), Interrupt>;

    /// Wait for work `feed` handed off elsewhere: only when too much of it is pending, or,
    /// with `all`, for all of it (the body ended). A reader that decodes on the spot has
    /// none.
    fn settle(&mut self, all: bool) -> impl Future<Output = Result<(), Interrupt>> + Send {
        let _ = all;
        async { Ok(()) }
    }

    /// The body ended (and [`Incremental::settle`] has waited for everything).
    fn finish(self) -> Result<Self::Output, Interrupt>;
}

/// Why an [`Incremental`] reader stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Interrupt {
    /// The answer is not of the reader's shape, or the reader kept what is to be decoded:
    /// read it whole, starting with these bytes, and decode it as an answer read whole.
    Whole(Vec<u8>),
    /// The answer has the reader's shape but is broken.
    Broken(String),
}

/// Reads a list answer item by item (see [`super::stream`]), decoding them in batches
/// beside the transfer.
struct ListReader<'m, T>(ListDecoder<'m, T>);

fn interrupt(err: SplitError) -> Interrupt {
    match err {
        SplitError::NotAList => Interrupt::Whole(Vec::new()),
        SplitError::Syntax(detail) => Interrupt::Broken(detail),
    }
}

impl<T: DeserializeOwned + Clone + Send + 'static> Incremental for ListReader<'_, T> {
    type Output = Vec<T>;

    fn feed(&mut self, chunk: &[u8]) -> Result<(), Interrupt> {
        match self.0.feed(chunk) {
            Err(SplitError::NotAList) => Err(Interrupt::Whole(
                std::mem::replace(&mut self.0, ListDecoder::new(None)).into_pending(),
            )),
            other => other.map_err(interrupt),
        }
    }

    async fn settle(&mut self, all: bool) -> Result<(), Interrupt> {
        self.0.settle(all).await.map_err(interrupt)
    }

    fn finish(self) -> Result<Vec<T>, Interrupt> {
        self.0.finish().map_err(interrupt)
    }
}

impl Client {
    /// A client for the Coolify at `base_url` (`https://coolify.example.com`, with or without
    /// a trailing `/api/v1`).
    pub fn new(base_url: &str, token: SecretString) -> Result<Self, CoolifyError> {
        Self::with_options(base_url, token, ClientOptions::default())
    }

    pub fn with_options(
        base_url: &str,
        token: SecretString,
        options: ClientOptions,
    ) -> Result<Self, CoolifyError> {
        let api = api_root(base_url)?;
        let http = crate::http::client(&api, options.connect_timeout, options.request_timeout)
            .map_err(|e| CoolifyError::InvalidUrl {
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

    /// The API root, e.g. `https://coolify.example.com/api/v1`.
    pub fn api_url(&self) -> &str {
        &self.api
    }

    /// The bearer token, for redacting it from anything written down.
    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// The server's address as a user would type it (without `/api/v1`).
    pub fn base_url(&self) -> &str {
        self.api.strip_suffix("/api/v1").unwrap_or(&self.api)
    }

    pub(crate) async fn get<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
    ) -> Result<T, CoolifyError> {
        let started = std::time::Instant::now();
        let answer = self.send(Method::GET, path, None::<&()>).await?;
        let fetched = started.elapsed();
        let bytes = answer.body.len();
        // A large body (`GET /applications` of a big team is megabytes) is decoded on the
        // blocking pool, so the requests and decodes of the rest of a load go on meanwhile.
        let value = if bytes >= BIG_BODY {
            let endpoint = path.to_string();
            tokio::task::spawn_blocking(move || decode(&endpoint, &answer))
                .await
                .map_err(|e| CoolifyError::Decode {
                    endpoint: path.to_string(),
                    detail: format!("the decoding task stopped: {e}"),
                })??
        } else {
            decode(path, &answer)?
        };
        tracing::debug!(
            path,
            bytes,
            fetched_ms = fetched.as_secs_f64() * 1e3,
            decoded_ms = (started.elapsed() - fetched).as_secs_f64() * 1e3,
            "GET"
        );
        Ok(value)
    }

    /// A list answer whose items that do not fit are skipped, not failing the whole list.
    /// Its items are decoded while it arrives (see [`super::stream`]).
    pub(crate) async fn get_list<T: DeserializeOwned + Clone + Send + 'static>(
        &self,
        path: &str,
    ) -> Result<Vec<T>, CoolifyError> {
        self.get_list_with(path, None).await
    }

    /// [`Client::get_list`] for a list that may be read again and again: with a `memo`,
    /// items unchanged since the last read are taken from it instead of being decoded.
    pub(crate) async fn get_list_with<T: DeserializeOwned + Clone + Send + 'static>(
        &self,
        path: &str,
        memo: Option<&Mutex<Memo<T>>>,
    ) -> Result<Vec<T>, CoolifyError> {
        self.stream_get(
            path,
            || ListReader(ListDecoder::new(memo)),
            |list: super::wire::List<T>| Ok(list.0),
        )
        .await
    }

    pub(crate) async fn get_text(&self, path: &str) -> Result<String, CoolifyError> {
        let answer = self.send(Method::GET, path, None::<&()>).await?;
        tracing::debug!(path, bytes = answer.body.len(), "GET text");
        let text = String::from_utf8_lossy(&answer.body).trim().to_string();
        if text.starts_with('<') {
            return Err(not_json(&answer));
        }
        Ok(text)
    }

    pub(crate) async fn post<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, CoolifyError> {
        let answer = self.send(Method::POST, path, body).await?;
        decode(path, &answer)
    }

    pub(crate) async fn patch<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, CoolifyError> {
        let answer = self.send(Method::PATCH, path, Some(body)).await?;
        decode(path, &answer)
    }

    pub(crate) async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, CoolifyError> {
        let answer = self.send(Method::DELETE, path, None::<&()>).await?;
        decode(path, &answer)
    }

    /// Send one request (retrying idempotent ones on transient failures) and map every
    /// non-success answer to a typed error.
    pub(crate) async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Answer, CoolifyError> {
        if method == Method::GET {
            self.retrying(path, || self.send_once(&method, path, body))
                .await
        } else {
            self.send_once(&method, path, body).await
        }
    }

    /// Run `attempt` until it succeeds, fails for good, or the attempts are spent; only
    /// transient failures are retried, after a doubling backoff or the `Retry-After`.
    async fn retrying<T, F: Future<Output = Result<T, CoolifyError>>>(
        &self,
        path: &str,
        mut attempt: impl FnMut() -> F,
    ) -> Result<T, CoolifyError> {
        let mut tries = 1;
        let mut backoff = self.options.backoff;
        loop {
            let err = match attempt().await {
                Ok(value) => return Ok(value),
                Err(err) => err,
            };
            match self.retry_wait(&err, backoff) {
                Some(wait) if err.is_transient() && tries < self.options.attempts => {
                    tracing::debug!(path, attempt = tries, error = %err, "retrying");
                    tokio::time::sleep(wait).await;
                    tries += 1;
                    backoff *= 2;
                }
                _ => return Err(err),
            }
        }
    }

    /// How long to wait before retrying after `err`; `None` when a `Retry-After` is longer
    /// than worth waiting.
    fn retry_wait(&self, err: &CoolifyError, backoff: Duration) -> Option<Duration> {
        match err {
            CoolifyError::RateLimited {
                retry_after: Some(after),
                ..
            } if *after > self.options.max_retry_after => None,
            CoolifyError::RateLimited {
                retry_after: Some(after),
                ..
            } => Some(*after),
            _ => Some(backoff),
        }
    }

    /// `GET` an answer decoded by an [`Incremental`] reader (a fresh one from `start` per
    /// attempt) while it arrives; retried like [`Client::send`]. An answer that is not of
    /// the reader's shape is read whole, decoded as a `W` for the usual errors, and turned
    /// into the output by `whole`.
    pub(crate) async fn stream_get<I, W>(
        &self,
        path: &str,
        start: impl Fn() -> I,
        whole: impl Fn(W) -> Result<I::Output, CoolifyError>,
    ) -> Result<I::Output, CoolifyError>
    where
        I: Incremental,
        W: DeserializeOwned,
    {
        self.retrying(path, || self.stream_get_once(path, start(), &whole))
            .await
    }

    async fn stream_get_once<I, W>(
        &self,
        path: &str,
        mut reader: I,
        whole: impl Fn(W) -> Result<I::Output, CoolifyError>,
    ) -> Result<I::Output, CoolifyError>
    where
        I: Incremental,
        W: DeserializeOwned,
    {
        let started = std::time::Instant::now();
        let url = format!("{}{path}", self.api);
        let mut response = self
            .request(&Method::GET, &url)
            .send()
            .await
            .map_err(|e| transport_error(&url, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        if !status.is_success() {
            let body = read_body(response)
                .await
                .map_err(|e| transport_error(&url, &e))?;
            let answer = Answer {
                status,
                headers,
                body,
                url,
            };
            return Err(classify(&Method::GET, path, &answer));
        }
        let broken = |detail: String| CoolifyError::Decode {
            endpoint: path.to_string(),
            detail,
        };
        let mut bytes = 0;
        let interrupted = loop {
            let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| transport_error(&url, &e))?
            else {
                if let Err(interrupt) = reader.settle(true).await {
                    break Err(interrupt);
                }
                break reader.finish();
            };
            bytes += chunk.len();
            if let Err(interrupt) = reader.feed(&chunk) {
                break Err(interrupt);
            }
            if let Err(interrupt) = reader.settle(false).await {
                break Err(interrupt);
            }
        };
        let output = match interrupted {
            Ok(output) => output,
            Err(Interrupt::Broken(detail)) => return Err(broken(detail)),
            Err(Interrupt::Whole(mut body)) => {
                // Not of the reader's shape (an error page, another kind of answer), or
                // what the reader kept of it: read it whole and decode it as an answer
                // read whole is, for the same errors.
                while let Some(chunk) = response
                    .chunk()
                    .await
                    .map_err(|e| transport_error(&url, &e))?
                {
                    bytes += chunk.len();
                    body.extend_from_slice(&chunk);
                }
                let answer = Answer {
                    status,
                    headers,
                    body: body.into(),
                    url,
                };
                whole(decode::<W>(path, &answer)?)?
            }
        };
        tracing::debug!(
            path,
            bytes,
            ms = started.elapsed().as_secs_f64() * 1e3,
            "GET streamed"
        );
        Ok(output)
    }

    fn request(&self, method: &Method, url: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method.clone(), url)
            .bearer_auth(self.token.expose_secret())
            .header(ACCEPT, "application/json")
    }

    async fn send_once<B: Serialize + ?Sized>(
        &self,
        method: &Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Answer, CoolifyError> {
        let url = format!("{}{path}", self.api);
        let mut request = self.request(method, &url);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| transport_error(&url, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_body(response)
            .await
            .map_err(|e| transport_error(&url, &e))?;
        let answer = Answer {
            status,
            headers,
            body,
            url,
        };
        if status.is_success() {
            Ok(answer)
        } else {
            Err(classify(method, path, &answer))
        }
    }
}

/// The whole body, read chunk by chunk into one buffer sized from `Content-Length`: a
/// multi-megabyte answer is held once, not as its chunks plus their concatenation.
async fn read_body(mut response: reqwest::Response) -> Result<bytes::Bytes, reqwest::Error> {
    /// Never trust a length header for more than this up front.
    const MAX_RESERVE: u64 = 256 * 1024 * 1024;
    let Some(first) = response.chunk().await? else {
        return Ok(bytes::Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let expected = response.content_length().unwrap_or(0).min(MAX_RESERVE) as usize;
    let mut body = Vec::with_capacity(expected.max(first.len() + second.len()));
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    drop((first, second));
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    Ok(body.into())
}

/// Normalise a user's URL to the API root.
fn api_root(base_url: &str) -> Result<String, CoolifyError> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let parsed = url::Url::parse(trimmed).map_err(|e| CoolifyError::InvalidUrl {
        url: base_url.to_string(),
        detail: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(CoolifyError::InvalidUrl {
            url: base_url.to_string(),
            detail: "it must be an http:// or https:// address".into(),
        });
    }
    let root = trimmed
        .strip_suffix("/api/v1")
        .or_else(|| trimmed.strip_suffix("/api"))
        .unwrap_or(trimmed);
    Ok(format!("{root}/api/v1"))
}

/// Decode a successful answer's JSON body.
pub(crate) fn decode<T: DeserializeOwned>(path: &str, answer: &Answer) -> Result<T, CoolifyError> {
    if looks_like_html(&answer.body) {
        return Err(not_json(answer));
    }
    super::wire::from_slice(&answer.body).map_err(|e| CoolifyError::Decode {
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

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type")
        .to_string()
}

fn not_json(answer: &Answer) -> CoolifyError {
    CoolifyError::NotJson {
        url: answer.url.clone(),
        status: answer.status.as_u16(),
        content_type: content_type(&answer.headers),
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

#[derive(serde::Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    errors: Option<std::collections::BTreeMap<String, ErrorMessages>>,
}

/// Laravel gives a list of messages per field; be lenient about a single string.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ErrorMessages {
    Many(Vec<String>),
    One(String),
}

/// Map a non-success answer to the typed error for its documented shape.
pub(crate) fn classify(method: &Method, path: &str, answer: &Answer) -> CoolifyError {
    let status = answer.status.as_u16();
    let parsed: Option<ErrorBody> = if looks_like_html(&answer.body) {
        None
    } else {
        serde_json::from_slice(&answer.body).ok()
    };
    let Some(body) = parsed else {
        return match status {
            500.. => CoolifyError::Server {
                status,
                message: snippet(&answer.body),
            },
            _ => not_json(answer),
        };
    };
    let message = body
        .message
        .clone()
        .or_else(|| body.error.clone())
        .unwrap_or_else(|| {
            answer
                .status
                .canonical_reason()
                .unwrap_or("no message")
                .to_string()
        });
    match status {
        401 => CoolifyError::Unauthorized { message },
        400 if message.starts_with("Invalid token") => CoolifyError::Unauthorized { message },
        403 if body.success == Some(true) => CoolifyError::ApiDisabled { message },
        403 => match message.strip_prefix("Missing required permissions:") {
            Some(ability) => CoolifyError::MissingPermission {
                ability: ability.trim().trim_end_matches('.').to_string(),
            },
            None => CoolifyError::Forbidden { message },
        },
        404 => CoolifyError::NotFound { message },
        405 => CoolifyError::MethodNotAllowed {
            method: method.to_string(),
            path: path.to_string(),
            message,
        },
        409 => CoolifyError::Conflict { message },
        422 => CoolifyError::Validation {
            message,
            errors: body
                .errors
                .unwrap_or_default()
                .into_iter()
                .map(|(field, msgs)| {
                    let msgs = match msgs {
                        ErrorMessages::Many(m) => m,
                        ErrorMessages::One(m) => vec![m],
                    };
                    (field, msgs)
                })
                .collect(),
        },
        429 => CoolifyError::RateLimited {
            message,
            retry_after: answer
                .headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok())
                .map(Duration::from_secs),
        },
        400 => CoolifyError::BadRequest {
            message: match body.error {
                Some(detail) if detail != message => format!("{message} {detail}"),
                _ => message,
            },
        },
        500.. => CoolifyError::Server { status, message },
        _ => CoolifyError::Unexpected { status, message },
    }
}

/// Map a transport failure (no HTTP answer at all).
fn transport_error(url: &str, err: &reqwest::Error) -> CoolifyError {
    let url = url.to_string();
    match crate::http::NoAnswer::of(err) {
        crate::http::NoAnswer::Timeout => CoolifyError::Timeout { url },
        crate::http::NoAnswer::Tls(detail) => CoolifyError::Tls { url, detail },
        crate::http::NoAnswer::Connect(detail) => CoolifyError::Connect { url, detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_root_accepts_the_usual_spellings() {
        for url in [
            "https://c.example.com",
            "https://c.example.com/",
            "https://c.example.com/api/v1",
            "https://c.example.com/api/v1/",
            " https://c.example.com/api ",
        ] {
            assert_eq!(
                api_root(url).unwrap(),
                "https://c.example.com/api/v1",
                "{url}"
            );
        }
        assert!(matches!(
            api_root("c.example.com"),
            Err(CoolifyError::InvalidUrl { .. })
        ));
        assert!(matches!(
            api_root("ftp://c.example.com"),
            Err(CoolifyError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn snippets_prefer_the_page_title() {
        assert_eq!(
            snippet(b"<html><head><title>502 Bad Gateway</title></head></html>"),
            "page titled \"502 Bad Gateway\""
        );
        assert_eq!(snippet(b""), "empty body");
        assert!(snippet("x".repeat(200).as_bytes()).ends_with("…\""));
    }
}
