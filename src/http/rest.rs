//! Sending: one request path for both APIs, with bearer auth and each API's headers, one
//! retry policy for idempotent requests, a GET whose body is decoded while it arrives, and
//! a limit on what one answer may make pftui hold.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::answer::{Answer, NotJson, read_body};
use super::route::Target;
use super::transport::{self, Timeouts, TransportError};

/// How long to wait for an API, how much of one answer to take, and how often to retry
/// idempotent requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub connect_timeout: Duration,
    /// For the whole request: connecting, sending, and reading the whole answer.
    pub request_timeout: Duration,
    /// The most bytes of one answer pftui holds: a body read whole, or what a reader
    /// decoding it while it arrives keeps of it ([`Incremental::held`]).
    pub body_limit: usize,
    /// Attempts for idempotent requests (GET); other requests are sent exactly once.
    pub attempts: u32,
    /// First backoff; doubled on each retry.
    pub backoff: Duration,
    /// The longest `Retry-After` worth waiting for before giving up with the answer.
    pub max_retry_after: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            body_limit: 64 * 1024 * 1024,
            attempts: 3,
            backoff: Duration::from_millis(250),
            max_retry_after: Duration::from_secs(5),
        }
    }
}

/// Whether a failed idempotent request may be sent again, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    No,
    /// After the policy's doubling backoff.
    Backoff,
    /// After what the server asked for (`Retry-After`), if the policy waits that long.
    After(Duration),
}

/// What the core needs of an API's error type: the shared failures in the API's words,
/// and which of its errors are worth a retry.
pub(crate) trait ApiError: From<TransportError> + std::fmt::Display {
    /// A successful answer that is an HTML page or otherwise not JSON.
    fn not_json(answer: NotJson) -> Self;

    /// A successful answer to `endpoint` that could not be decoded.
    fn undecodable(endpoint: &str, detail: String) -> Self;

    fn retry(&self) -> Retry;
}

/// Decodes an answer while it arrives, chunk by chunk (see [`Rest::stream_get`]).
pub(crate) trait Incremental {
    type Output;

    /// Take the next chunk of the body.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), Interrupt>;

    /// The bytes of the body this reader holds so far (what it keeps, raw or decoded, not
    /// what passed through it): checked against [`Options::body_limit`] after each chunk.
    fn held(&self) -> usize;

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

/// A REST client for one API root and one token: the HTTP client, the headers the API
/// wants on every request, and the retry policy.
#[derive(Clone)]
pub(crate) struct Rest {
    http: reqwest::Client,
    /// The API root without a trailing slash.
    api: String,
    token: SecretString,
    /// Sent on every request (`Accept`, an API version).
    headers: &'static [(&'static str, &'static str)],
    options: Options,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest")
            .field("api", &self.api)
            .field("token", &"[redacted]")
            .finish()
    }
}

impl Rest {
    pub(crate) fn new(
        api: String,
        token: SecretString,
        headers: &'static [(&'static str, &'static str)],
        options: Options,
    ) -> Result<Self, reqwest::Error> {
        let http = transport::client(&api, &timeouts(&options))?;
        Ok(Self {
            http,
            api,
            token,
            headers,
            options,
        })
    }

    /// The API root, without a trailing slash.
    pub(crate) fn api(&self) -> &str {
        &self.api
    }

    pub(crate) fn token(&self) -> &SecretString {
        &self.token
    }

    /// Send one request, retrying an idempotent one on the failures its error type calls
    /// transient, and map a non-success answer to a typed error with `classify`.
    pub(crate) async fn send<E: ApiError, B: Serialize + ?Sized>(
        &self,
        target: &Target,
        body: Option<&B>,
        classify: impl Fn(&Answer) -> E,
    ) -> Result<Answer, E> {
        self.retrying(target, || self.send_once(target, body, &classify))
            .await
    }

    /// `GET` an answer decoded by an [`Incremental`] reader (a fresh one from `start` per
    /// attempt) while it arrives; retried like [`Rest::send`]. An answer that is not of
    /// the reader's shape is read whole and turned into the output by `whole`.
    pub(crate) async fn stream_get<I: Incremental, E: ApiError>(
        &self,
        target: &Target,
        start: impl Fn() -> I,
        classify: impl Fn(&Answer) -> E,
        whole: impl Fn(Answer) -> Result<I::Output, E>,
    ) -> Result<I::Output, E> {
        self.retrying(target, || {
            self.stream_get_once(target, start(), &classify, &whole)
        })
        .await
    }

    /// Run `attempt` until it succeeds, fails for good, or the attempts are spent. Only an
    /// idempotent request is tried again, and only after an error that allows it: after a
    /// doubling backoff or the server's `Retry-After` (unless that is longer than worth
    /// waiting).
    async fn retrying<T, E: ApiError, F: Future<Output = Result<T, E>>>(
        &self,
        target: &Target,
        mut attempt: impl FnMut() -> F,
    ) -> Result<T, E> {
        let idempotent = target.endpoint().verb.is_idempotent();
        let mut tries = 1;
        let mut backoff = self.options.backoff;
        loop {
            let err = match attempt().await {
                Ok(value) => return Ok(value),
                Err(err) => err,
            };
            let wait = match err.retry() {
                Retry::No => None,
                Retry::Backoff => Some(backoff),
                Retry::After(after) => (after <= self.options.max_retry_after).then_some(after),
            };
            match wait {
                Some(wait) if idempotent && tries < self.options.attempts => {
                    tracing::debug!(path = target.path(), attempt = tries, error = %err, "retrying");
                    tokio::time::sleep(wait).await;
                    tries += 1;
                    backoff *= 2;
                }
                _ => return Err(err),
            }
        }
    }

    fn request(&self, target: &Target, url: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(target.endpoint().verb.method(), url)
            .bearer_auth(self.token.expose_secret());
        for (name, value) in self.headers {
            if target.accept().is_some() && name.eq_ignore_ascii_case("accept") {
                continue;
            }
            request = request.header(*name, *value);
        }
        if let Some(accept) = target.accept() {
            request = request.header("accept", accept);
        }
        request
    }

    async fn send_once<E: ApiError, B: Serialize + ?Sized>(
        &self,
        target: &Target,
        body: Option<&B>,
        classify: impl Fn(&Answer) -> E,
    ) -> Result<Answer, E> {
        let started = Instant::now();
        let url = target.url(&self.api);
        let mut request = self.request(target, &url);
        if let Some(body) = body {
            request = request.json(body);
        }
        let timeouts = timeouts(&self.options);
        let response = request
            .send()
            .await
            .map_err(|e| TransportError::of(&url, &e, &timeouts))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_body(response, &url, self.options.body_limit, &timeouts).await?;
        tracing::debug!(
            method = %target.endpoint().verb,
            path = target.path(),
            status = status.as_u16(),
            bytes = body.len(),
            ms = started.elapsed().as_secs_f64() * 1e3,
            "request"
        );
        let answer = Answer {
            status,
            headers,
            body,
            url,
        };
        if status.is_success() {
            Ok(answer)
        } else {
            Err(classify(&answer))
        }
    }

    async fn stream_get_once<I: Incremental, E: ApiError>(
        &self,
        target: &Target,
        mut reader: I,
        classify: impl Fn(&Answer) -> E,
        whole: impl Fn(Answer) -> Result<I::Output, E>,
    ) -> Result<I::Output, E> {
        let started = Instant::now();
        let url = target.url(&self.api);
        let (timeouts, limit) = (timeouts(&self.options), self.options.body_limit);
        let transport = |e: reqwest::Error| TransportError::of(&url, &e, &timeouts);
        let too_large = || TransportError::TooLarge {
            url: url.clone(),
            limit,
        };
        let mut response = self.request(target, &url).send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        if !status.is_success() {
            let body = read_body(response, &url, limit, &timeouts).await?;
            let answer = Answer {
                status,
                headers,
                body,
                url,
            };
            return Err(classify(&answer));
        }
        let mut bytes = 0;
        let interrupted = loop {
            let Some(chunk) = response.chunk().await.map_err(transport)? else {
                if let Err(interrupt) = reader.settle(true).await {
                    break Err(interrupt);
                }
                break reader.finish();
            };
            bytes += chunk.len();
            if let Err(interrupt) = reader.feed(&chunk) {
                break Err(interrupt);
            }
            if reader.held() > limit {
                return Err(too_large().into());
            }
            if let Err(interrupt) = reader.settle(false).await {
                break Err(interrupt);
            }
        };
        let output = match interrupted {
            Ok(output) => output,
            Err(Interrupt::Broken(detail)) => return Err(E::undecodable(target.path(), detail)),
            Err(Interrupt::Whole(mut body)) => {
                // Not of the reader's shape (an error page, another kind of answer), or
                // what the reader kept of it: read it whole and decode it as an answer
                // read whole is, for the same errors.
                while let Some(chunk) = response.chunk().await.map_err(transport)? {
                    bytes += chunk.len();
                    body.extend_from_slice(&chunk);
                    if body.len() > limit {
                        return Err(too_large().into());
                    }
                }
                whole(Answer {
                    status,
                    headers,
                    body: body.into(),
                    url,
                })?
            }
        };
        tracing::debug!(
            method = %target.endpoint().verb,
            path = target.path(),
            status = status.as_u16(),
            bytes,
            ms = started.elapsed().as_secs_f64() * 1e3,
            "request, streamed"
        );
        Ok(output)
    }
}

/// The timeouts of a client built with `options`.
fn timeouts(options: &Options) -> Timeouts {
    Timeouts {
        connect: options.connect_timeout,
        request: options.request_timeout,
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::http::{Route, Verb};

    /// An error that asks for the retry it carries.
    #[derive(Debug)]
    struct Failed(Retry);

    impl std::fmt::Display for Failed {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:?}", self.0)
        }
    }

    impl From<TransportError> for Failed {
        fn from(_: TransportError) -> Self {
            Self(Retry::No)
        }
    }

    impl ApiError for Failed {
        fn not_json(_: NotJson) -> Self {
            Self(Retry::No)
        }
        fn undecodable(_: &str, _: String) -> Self {
            Self(Retry::No)
        }
        fn retry(&self) -> Retry {
            self.0
        }
    }

    const READ: Route<0> = Route::new(Verb::Get, "/read");
    const WRITE: Route<0> = Route::new(Verb::Post, "/write");

    fn rest() -> Rest {
        Rest::new(
            "http://127.0.0.1:9".into(),
            SecretString::from("t".to_string()),
            &[],
            Options {
                backoff: Duration::from_millis(1),
                ..Options::default()
            },
        )
        .expect("a client")
    }

    /// How many attempts a request takes when every one fails with `retry`.
    async fn attempts(target: &Target, retry: Retry) -> u32 {
        let rest = rest();
        let tries = Cell::new(0);
        let result: Result<(), Failed> = rest
            .retrying(target, || {
                tries.set(tries.get() + 1);
                async move { Err(Failed(retry)) }
            })
            .await;
        assert!(result.is_err());
        tries.get()
    }

    #[tokio::test]
    async fn only_idempotent_requests_are_retried_and_only_when_the_error_allows() {
        let read = READ.at([]);
        assert_eq!(attempts(&read, Retry::Backoff).await, 3);
        assert_eq!(
            attempts(&read, Retry::After(Duration::from_millis(1))).await,
            3
        );
        assert_eq!(
            attempts(&read, Retry::After(Duration::from_secs(60))).await,
            1
        );
        assert_eq!(attempts(&read, Retry::No).await, 1);
        assert_eq!(attempts(&WRITE.at([]), Retry::Backoff).await, 1);
    }

    #[tokio::test]
    async fn a_success_ends_the_retries() {
        let rest = rest();
        let tries = Cell::new(0);
        let result: Result<u32, Failed> = rest
            .retrying(&READ.at([]), || {
                tries.set(tries.get() + 1);
                let n = tries.get();
                async move {
                    if n < 2 {
                        Err(Failed(Retry::Backoff))
                    } else {
                        Ok(n)
                    }
                }
            })
            .await;
        assert_eq!(result.ok(), Some(2));
    }
}
