//! What the Anthropic and OpenAI-compatible providers share: the server-sent-events framing,
//! the HTTP link with its retry policy (retries only before the first event reaches the
//! caller), the turning of a link's answer into a stream of [`Event`]s, and keeping the API
//! key out of every error.

use std::collections::VecDeque;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use futures::stream::{self, BoxStream};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::provider::{Event, ProviderError};

// ---------------------------------------------------------------------------------------
// Tool input that is not a JSON object
// ---------------------------------------------------------------------------------------

/// The key under which a tool call's input is handed over when the model's JSON for it could
/// not be parsed into an object: the call still arrives as an [`Event::ToolUse`] (so that its
/// id can be answered), with input `{"_invalid_arguments": "<the raw text>"}`. The agent loop
/// answers such a call with an error tool_result instead of running it.
pub const INVALID_ARGUMENTS: &str = "_invalid_arguments";

/// The raw text of a tool call whose input could not be parsed (see [`INVALID_ARGUMENTS`]).
pub fn invalid_arguments(input: &Value) -> Option<&str> {
    let object = input.as_object()?;
    if object.len() != 1 {
        return None;
    }
    object.get(INVALID_ARGUMENTS)?.as_str()
}

/// A tool call's input from the text the model streamed: empty means `{}`, a JSON object is
/// the input, anything else is wrapped under [`INVALID_ARGUMENTS`].
pub(crate) fn tool_input(raw: &str) -> Value {
    if raw.trim().is_empty() {
        return Value::Object(serde_json::Map::new());
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(value @ Value::Object(_)) => value,
        _ => serde_json::json!({ INVALID_ARGUMENTS: raw }),
    }
}

// ---------------------------------------------------------------------------------------
// SSE framing
// ---------------------------------------------------------------------------------------

/// One server-sent event: its name (`""` when the server sent no `event:` line) and its data
/// lines joined with `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    pub event: String,
    pub data: String,
}

/// Turns bytes, as they arrive, into events (the WHATWG event-stream format: lines ending in
/// LF, CRLF or CR; `:` comments; `event:` and `data:` fields; a blank line dispatches).
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    buf: Vec<u8>,
    started: bool,
    event: String,
    data: String,
    has_data: bool,
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the next bytes; returns the events completed by them.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.buf.extend_from_slice(bytes);
        if !self.started {
            if self.buf.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.buf) {
                return Vec::new();
            }
            if self.buf.starts_with(b"\xEF\xBB\xBF") {
                self.buf.drain(..3);
            }
            self.started = true;
        }
        let mut out = Vec::new();
        let mut start = 0;
        while let Some(offset) = memchr::memchr2(b'\n', b'\r', &self.buf[start..]) {
            let end = start + offset;
            let next = if self.buf[end] == b'\r' {
                match self.buf.get(end + 1) {
                    Some(b'\n') => end + 2,
                    Some(_) => end + 1,
                    // A CR at the end: the LF of a CRLF may still be on its way.
                    None => break,
                }
            } else {
                end + 1
            };
            let line = String::from_utf8_lossy(&self.buf[start..end]).into_owned();
            self.line(&line, &mut out);
            start = next;
        }
        self.buf.drain(..start);
        out
    }

    /// Bytes held for an event not complete yet.
    pub fn buffered(&self) -> usize {
        self.buf.len() + self.data.len()
    }

    /// The stream ended: a last line without its terminator, and an event without its blank
    /// line, still count (servers that close right after `data: [DONE]` exist).
    pub fn finish(&mut self) -> Vec<SseEvent> {
        let mut out = Vec::new();
        if !self.buf.is_empty() {
            let rest = std::mem::take(&mut self.buf);
            let text = String::from_utf8_lossy(&rest).into_owned();
            let line = text.trim_end_matches(['\r', '\n']).to_string();
            self.line(&line, &mut out);
        }
        self.dispatch(&mut out);
        out
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            // `id` and `retry` matter to browsers reconnecting, not to one POST.
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        let event = std::mem::take(&mut self.event);
        if !self.has_data {
            return;
        }
        self.has_data = false;
        out.push(SseEvent {
            event,
            data: std::mem::take(&mut self.data),
        });
    }
}

// ---------------------------------------------------------------------------------------
// Retry policy
// ---------------------------------------------------------------------------------------

/// When to try a request again. Retries only happen before the first event of a turn has
/// reached the caller; a turn that already streamed text fails instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `2` means at most three requests).
    pub max_retries: u32,
    /// The first backoff for 5xx, 529 and connection failures; doubled on each retry, with
    /// up to a quarter taken off at random (jitter).
    pub initial_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// The longest `retry-after` worth waiting for; a 429 asking for more fails at once as
    /// `RateLimited` carrying the server's wait.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How long to wait before retry number `done + 1`, or `None` to give up.
    pub(crate) fn wait(&self, done: u32, retry: &Retry) -> Option<Duration> {
        if done >= self.max_retries {
            return None;
        }
        match retry {
            Retry::No => None,
            Retry::After(after) if *after > self.max_retry_after => None,
            Retry::After(after) => Some(*after),
            Retry::Backoff => Some(self.backoff(done)),
        }
    }

    fn backoff(&self, done: u32) -> Duration {
        let factor = 2u32.saturating_pow(done.min(16));
        let full = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let jittered = full.as_secs_f64() * (1.0 - 0.25 * fastrand::f64());
        Duration::try_from_secs_f64(jittered).unwrap_or(full)
    }
}

/// Whether a failure is worth another request, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Retry {
    No,
    /// Exponential backoff with jitter.
    Backoff,
    /// What the server asked for (`retry-after`).
    After(Duration),
}

/// An error with what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub error: ProviderError,
    pub retry: Retry,
}

impl Failure {
    pub fn new(error: ProviderError, retry: Retry) -> Self {
        Self { error, retry }
    }

    pub fn fatal(error: ProviderError) -> Self {
        Self::new(error, Retry::No)
    }

    pub fn garbled(provider: &str, detail: impl Into<String>) -> Self {
        Self::fatal(ProviderError::Garbled {
            provider: provider.to_string(),
            detail: detail.into(),
        })
    }
}

/// The wait a 429 or 503 asks for: `retry-after-ms` (OpenAI) or `retry-after` in seconds.
/// HTTP dates are not honoured (the caller falls back to its own backoff).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    // Bounded, so that no header value can make `Duration` panic.
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok())
        && (0.0..1e12).contains(&ms)
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let secs = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())?
        .trim()
        .parse::<f64>()
        .ok()?;
    (0.0..1e9)
        .contains(&secs)
        .then(|| Duration::from_secs_f64(secs))
}

/// At most `max` characters of `text`, on one line, with an ellipsis when cut.
pub(crate) fn snippet(text: &str, max: usize) -> String {
    let flat: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{cut}…")
}

// ---------------------------------------------------------------------------------------
// The link: one endpoint, its headers, its retries
// ---------------------------------------------------------------------------------------

/// How a provider reads its own event stream.
pub(crate) trait Parser: Send {
    /// One event from the stream; completed [`Event`]s go to `out`.
    fn event(&mut self, event: SseEvent, out: &mut VecDeque<Event>) -> Result<(), Failure>;
    /// The server closed the stream (before `finished()` said so).
    fn end(&mut self, out: &mut VecDeque<Event>) -> Result<(), Failure>;
    /// The turn is complete (`message_stop`, `[DONE]`): stop reading.
    fn finished(&self) -> bool;
}

/// Maps a non-success HTTP answer to an error and a retry decision.
pub(crate) type Classify = fn(&str, StatusCode, &HeaderMap, &[u8]) -> Failure;

/// Timeouts of a link.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub connect: Duration,
    pub idle: Duration,
}

/// An HTTP endpoint that answers with an event stream.
pub(crate) struct Link {
    provider: &'static str,
    http: reqwest::Client,
    url: String,
    headers: HeaderMap,
    retry: RetryPolicy,
    key: Option<SecretString>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("provider", &self.provider)
            .field("url", &self.url)
            .field("retry", &self.retry)
            .field("key", &self.key.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl Link {
    /// `headers` carry the credential (marked sensitive); `key` is only kept to scrub it from
    /// anything a server or the HTTP stack says back.
    pub fn new(
        provider: &'static str,
        url: String,
        headers: HeaderMap,
        key: Option<SecretString>,
        timeouts: Timeouts,
        retry: RetryPolicy,
    ) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.idle)
            .user_agent(concat!("pftui/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Connect {
                provider: provider.to_string(),
                url: url.clone(),
                detail: format!("cannot set up the HTTP client: {e}"),
            })?;
        Ok(Self {
            provider,
            http,
            url,
            headers,
            retry,
            key,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// POST `body` and stream what the parser makes of the answer. Failures before the first
    /// event are retried as the policy says; every error is scrubbed of the key.
    pub fn stream<'a, P, F>(
        &'a self,
        body: Bytes,
        parser: F,
        classify: Classify,
    ) -> BoxStream<'a, Result<Event, ProviderError>>
    where
        P: Parser + 'a,
        F: Fn() -> P + Send + Sync + 'a,
    {
        enum State<P, F> {
            Start(Bytes, F),
            Live(Box<Live<P>>),
            End,
        }
        stream::unfold(State::Start(body, parser), move |state| async move {
            let mut live = match state {
                State::End => return None,
                State::Start(body, parser) => match self.open(&body, &parser, classify).await {
                    Ok(live) => Box::new(live),
                    Err(error) => return Some((Err(self.scrub(error)), State::End)),
                },
                State::Live(live) => live,
            };
            loop {
                if let Some(event) = live.pending.pop_front() {
                    return Some((Ok(event), State::Live(live)));
                }
                if live.done {
                    return None;
                }
                if let Err(failure) = live.pump(self).await {
                    return Some((Err(self.scrub(failure.error)), State::End));
                }
            }
        })
        .boxed()
    }

    async fn open<P: Parser>(
        &self,
        body: &Bytes,
        parser: &impl Fn() -> P,
        classify: Classify,
    ) -> Result<Live<P>, ProviderError> {
        let mut done = 0;
        loop {
            let failure = match self.attempt(body, parser(), classify).await {
                Ok(live) => return Ok(live),
                Err(failure) => failure,
            };
            let Some(wait) = self.retry.wait(done, &failure.retry) else {
                return Err(failure.error);
            };
            tracing::debug!(
                provider = self.provider,
                retry = done + 1,
                wait_ms = wait.as_millis() as u64,
                error = %self.scrub(failure.error),
                "retrying"
            );
            tokio::time::sleep(wait).await;
            done += 1;
        }
    }

    /// One request, read up to its first event (or its end), so that a failure that comes
    /// before anything was shown can still be retried.
    async fn attempt<P: Parser>(
        &self,
        body: &Bytes,
        parser: P,
        classify: Classify,
    ) -> Result<Live<P>, Failure> {
        let response = self
            .http
            .post(&self.url)
            .headers(self.headers.clone())
            .body(body.clone())
            .send()
            .await
            .map_err(|e| self.transport_failure(&e, false))?;
        let status = response.status();
        if !status.is_success() {
            let headers = response.headers().clone();
            let body = read_capped(response, 64 * 1024).await;
            return Err(classify(self.provider, status, &headers, &body));
        }
        let json = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        if json {
            let body = read_capped(response, 4 * 1024).await;
            return Err(Failure::garbled(
                self.provider,
                format!(
                    "expected an event stream, got JSON: {}",
                    snippet(&String::from_utf8_lossy(&body), 300)
                ),
            ));
        }
        let mut live = Live {
            response,
            decoder: Decoder::new(),
            parser,
            pending: VecDeque::new(),
            done: false,
        };
        while live.pending.is_empty() && !live.done {
            live.pump(self).await?;
        }
        Ok(live)
    }

    fn transport_failure(&self, error: &reqwest::Error, mid_stream: bool) -> Failure {
        let mut detail = if error.is_timeout() {
            "no answer in time".to_string()
        } else if error.is_connect() {
            "the connection failed".to_string()
        } else if mid_stream {
            "the connection broke mid-answer".to_string()
        } else {
            "the request failed".to_string()
        };
        let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
        while let Some(cause) = source {
            detail.push_str(": ");
            detail.push_str(&cause.to_string());
            source = cause.source();
        }
        Failure::new(
            ProviderError::Connect {
                provider: self.provider.to_string(),
                url: self.url.clone(),
                detail,
            },
            Retry::Backoff,
        )
    }

    /// `error` with the key replaced wherever a server or the HTTP stack repeated it.
    pub fn scrub(&self, error: ProviderError) -> ProviderError {
        let Some(key) = self.key.as_ref().map(|k| k.expose_secret()) else {
            return error;
        };
        scrub_error(error, key)
    }
}

/// `error` with every occurrence of `key` (when it is long enough to be a key) masked.
pub(crate) fn scrub_error(error: ProviderError, key: &str) -> ProviderError {
    let key = key.trim();
    if key.len() < 6 {
        return error;
    }
    let s = |text: String| {
        if text.contains(key) {
            text.replace(key, "[redacted]")
        } else {
            text
        }
    };
    match error {
        ProviderError::Unauthorized {
            provider,
            var,
            message,
        } => ProviderError::Unauthorized {
            provider,
            var,
            message: s(message),
        },
        ProviderError::SpendLimit { provider, message } => ProviderError::SpendLimit {
            provider,
            message: s(message),
        },
        ProviderError::RateLimited {
            provider,
            message,
            retry_after,
        } => ProviderError::RateLimited {
            provider,
            message: s(message),
            retry_after,
        },
        ProviderError::Overloaded { provider, message } => ProviderError::Overloaded {
            provider,
            message: s(message),
        },
        ProviderError::BadRequest { provider, message } => ProviderError::BadRequest {
            provider,
            message: s(message),
        },
        ProviderError::Server { provider, message } => ProviderError::Server {
            provider,
            message: s(message),
        },
        ProviderError::Connect {
            provider,
            url,
            detail,
        } => ProviderError::Connect {
            provider,
            url: s(url),
            detail: s(detail),
        },
        ProviderError::Garbled { provider, detail } => ProviderError::Garbled {
            provider,
            detail: s(detail),
        },
    }
}

/// A header value holding a credential: checked, and marked sensitive so that no debug
/// output of the HTTP stack shows it. The error never contains the value.
pub(crate) fn secret_header(value: &str) -> Result<HeaderValue, &'static str> {
    let mut header = HeaderValue::from_str(value)
        .map_err(|_| "the key contains characters that cannot be sent in an HTTP header")?;
    header.set_sensitive(true);
    Ok(header)
}

/// At most `cap` bytes of a body; a body that cannot be read counts as empty.
async fn read_capped(mut response: reqwest::Response, cap: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < cap {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(cap);
    body
}

/// The most one unfinished event may hold before the stream counts as garbage.
const MAX_EVENT_BYTES: usize = 16 << 20;

/// An answer being read.
struct Live<P> {
    response: reqwest::Response,
    decoder: Decoder,
    parser: P,
    pending: VecDeque<Event>,
    done: bool,
}

impl<P: Parser> Live<P> {
    /// Read the next piece of the body and parse what it completes.
    async fn pump(&mut self, link: &Link) -> Result<(), Failure> {
        match self.response.chunk().await {
            Ok(Some(bytes)) => {
                let events = self.decoder.feed(&bytes);
                self.parse(events)?;
                if self.decoder.buffered() > MAX_EVENT_BYTES {
                    return Err(Failure::garbled(
                        link.provider,
                        format!(
                            "an event grew past {} MiB without ending",
                            MAX_EVENT_BYTES >> 20
                        ),
                    ));
                }
                Ok(())
            }
            Ok(None) => {
                let events = self.decoder.finish();
                self.parse(events)?;
                if !self.done {
                    self.parser.end(&mut self.pending)?;
                    self.done = true;
                }
                Ok(())
            }
            Err(e) => Err(link.transport_failure(&e, true)),
        }
    }

    fn parse(&mut self, events: Vec<SseEvent>) -> Result<(), Failure> {
        for event in events {
            if self.done {
                break;
            }
            self.parser.event(event, &mut self.pending)?;
            self.done = self.parser.finished();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(event: &str, data: &str) -> SseEvent {
        SseEvent {
            event: event.to_string(),
            data: data.to_string(),
        }
    }

    #[test]
    fn decodes_events_with_names_and_data() {
        let mut d = Decoder::new();
        let out = d.feed(b"event: ping\ndata: {\"type\":\"ping\"}\n\ndata: [DONE]\n\n");
        assert_eq!(
            out,
            vec![ev("ping", "{\"type\":\"ping\"}"), ev("", "[DONE]")]
        );
    }

    #[test]
    fn decodes_across_arbitrary_chunk_boundaries() {
        let text =
            "event: a\r\ndata: one\r\n\r\n: comment\r\nevent: b\rdata:two\r\rdata: x\ndata: y\n\n";
        let expected = vec![ev("a", "one"), ev("b", "two"), ev("", "x\ny")];
        for size in 1..text.len() {
            let mut d = Decoder::new();
            let mut out = Vec::new();
            for piece in text.as_bytes().chunks(size) {
                out.extend(d.feed(piece));
            }
            out.extend(d.finish());
            assert_eq!(out, expected, "chunk size {size}");
        }
    }

    #[test]
    fn multibyte_text_split_between_chunks_survives() {
        let text = "data: {\"t\":\"déployé ✓\"}\n\n".as_bytes();
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for piece in text.chunks(1) {
            out.extend(d.feed(piece));
        }
        assert_eq!(out, vec![ev("", "{\"t\":\"déployé ✓\"}")]);
    }

    #[test]
    fn strips_a_byte_order_mark_and_ignores_id_retry_and_bare_fields() {
        let mut d = Decoder::new();
        let mut out = d.feed(b"\xEF\xBB");
        out.extend(d.feed(b"\xBFid: 7\nretry: 100\ndata\nevent: e\n\n"));
        assert_eq!(out, vec![ev("e", "")]);
    }

    #[test]
    fn an_event_without_data_is_not_dispatched() {
        let mut d = Decoder::new();
        assert!(d.feed(b"event: lonely\n\n").is_empty());
        // The name does not leak into the next event either.
        assert_eq!(d.feed(b"data: x\n\n"), vec![ev("", "x")]);
    }

    #[test]
    fn buffered_counts_what_waits_for_its_end() {
        let mut d = Decoder::new();
        assert!(d.feed(b"data: abc\ndata: partial").is_empty());
        assert_eq!(d.buffered(), "abc".len() + "data: partial".len());
        assert_eq!(d.feed(b"\n\n"), vec![ev("", "abc\npartial")]);
        assert_eq!(d.buffered(), 0);
    }

    #[test]
    fn finish_flushes_an_unterminated_event() {
        let mut d = Decoder::new();
        assert!(d.feed(b"data: [DONE]").is_empty());
        assert_eq!(d.finish(), vec![ev("", "[DONE]")]);
        let mut d = Decoder::new();
        assert!(d.feed(b"data: x\r").is_empty());
        assert_eq!(d.finish(), vec![ev("", "x")]);
    }

    #[test]
    fn tool_input_is_an_object_or_marked_invalid() {
        assert_eq!(tool_input(""), serde_json::json!({}));
        assert_eq!(tool_input("  "), serde_json::json!({}));
        assert_eq!(
            tool_input("{\"app\": \"web\"}"),
            serde_json::json!({"app": "web"})
        );
        let bad = tool_input("{\"app\": \"we");
        assert_eq!(
            bad,
            serde_json::json!({INVALID_ARGUMENTS: "{\"app\": \"we"})
        );
        assert_eq!(invalid_arguments(&bad), Some("{\"app\": \"we"));
        assert_eq!(invalid_arguments(&serde_json::json!({"app": "web"})), None);
        // Valid JSON that is not an object is not a tool input either.
        assert_eq!(invalid_arguments(&tool_input("[1]")), Some("[1]"));
        assert_eq!(invalid_arguments(&tool_input("null")), Some("null"));
    }

    #[test]
    fn retry_waits_follow_the_policy() {
        let policy = RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(400),
            max_backoff: Duration::from_millis(1000),
            max_retry_after: Duration::from_secs(3),
        };
        assert_eq!(policy.wait(0, &Retry::No), None);
        assert_eq!(
            policy.wait(0, &Retry::After(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(policy.wait(0, &Retry::After(Duration::from_secs(4))), None);
        assert_eq!(policy.wait(2, &Retry::Backoff), None);
        for _ in 0..50 {
            let first = policy.wait(0, &Retry::Backoff).unwrap_or_default();
            assert!(first >= Duration::from_millis(300) && first <= Duration::from_millis(400));
            let second = policy.wait(1, &Retry::Backoff).unwrap_or_default();
            assert!(second >= Duration::from_millis(600) && second <= Duration::from_millis(800));
        }
        let capped = RetryPolicy {
            max_retries: 40,
            ..policy
        };
        let late = capped.wait(30, &Retry::Backoff).unwrap_or_default();
        assert!(late <= Duration::from_millis(1000));
        let huge = RetryPolicy {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..capped
        };
        assert!(huge.wait(3, &Retry::Backoff).is_some());
        assert_eq!(RetryPolicy::none().wait(0, &Retry::Backoff), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_milliseconds() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("0.5"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(500)));
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(250)));
        let mut h = HeaderMap::new();
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("-3"));
        assert_eq!(retry_after(&h), None);
        for absurd in ["1e300", "NaN", "inf"] {
            h.insert(RETRY_AFTER, HeaderValue::from_static(absurd));
            h.insert("retry-after-ms", HeaderValue::from_static(absurd));
            assert_eq!(retry_after(&h), None, "{absurd}");
        }
    }

    #[test]
    fn scrubbing_masks_the_key_in_every_field() {
        let key = "sk-test-PLANTED-123456";
        let error = ProviderError::Connect {
            provider: "anthropic".into(),
            url: format!("http://x/?k={key}"),
            detail: format!("echo {key}"),
        };
        let text = format!(
            "{:?} {}",
            scrub_error(error.clone(), key),
            scrub_error(error, key)
        );
        assert!(!text.contains(key), "{text}");
        assert!(text.contains("[redacted]"));
        // Too short to be a key: left alone rather than masking every "abc".
        let error = ProviderError::Server {
            provider: "openai".into(),
            message: "abc".into(),
        };
        assert_eq!(scrub_error(error.clone(), "abc"), error);
    }

    #[test]
    fn secret_headers_are_sensitive_and_errors_do_not_echo_them() {
        let header = secret_header("sk-abcdef").unwrap_or_else(|_| HeaderValue::from_static(""));
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("sk-abcdef"));
        let err = secret_header("sk-bad\nkey").err().unwrap_or_default();
        assert!(!err.contains("sk-bad"));
        assert!(!err.is_empty());
    }

    #[test]
    fn snippets_are_short_and_on_one_line() {
        assert_eq!(snippet("  a\nb  ", 10), "a b");
        assert_eq!(snippet("abcdef", 3), "abc…");
    }
}
