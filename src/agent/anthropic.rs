//! The Anthropic Messages API (`POST {base}/v1/messages`) with tools and SSE streaming.
//!
//! Text arrives as [`Event::TextDelta`]s as it streams; a tool call's input is assembled from
//! its `input_json_delta` pieces and parsed when its block stops (nothing sent means `{}`;
//! text that is not a JSON object arrives under [`INVALID_ARGUMENTS`]); the turn ends with
//! [`Event::Done`] at `message_stop`. A stream that ends before `message_stop` is `Garbled`.
//!
//! Failures before the first event are retried per [`RetryPolicy`]: 429 after its
//! `retry-after`, 5xx and 529 with exponential backoff and jitter, connection failures
//! likewise. 4xx other than 429 are never retried, nor is the spend-limit 429.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::provider::{
    Block, Event, Message, Provider, ProviderError, Role, StopReason, ToolSpec, Turn,
};
use super::sse::{self, Failure, Link, Parser, Retry, SseEvent, Timeouts};

pub use super::sse::{INVALID_ARGUMENTS, RetryPolicy, invalid_arguments};

/// `anthropic`: the provider's name in messages and settings.
pub const NAME: &str = "anthropic";
/// The service, as `ANTHROPIC_BASE_URL` would name it.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
pub const DEFAULT_MODEL: &str = "claude-sonnet-4-6";
/// The only stable version string of the API.
pub const API_VERSION: &str = "2023-06-01";
/// Where the key is looked for, named in the error when it is rejected.
pub const KEY_VAR: &str = "ANTHROPIC_API_KEY";

/// How to reach Anthropic (or anything speaking its Messages API, such as a recent Ollama).
#[derive(Debug, Clone)]
pub struct AnthropicConfig {
    /// `ANTHROPIC_BASE_URL` semantics: the service root, `/v1/messages` is appended (a
    /// trailing `/` or `/v1` is tolerated). Blank means [`DEFAULT_BASE_URL`].
    pub base_url: String,
    pub model: String,
    pub api_key: SecretString,
    pub connect_timeout: Duration,
    /// The longest silence tolerated while waiting for or reading an answer (the service
    /// sends pings while it thinks).
    pub idle_timeout: Duration,
    pub retry: RetryPolicy,
}

impl AnthropicConfig {
    /// The defaults: [`DEFAULT_BASE_URL`], [`DEFAULT_MODEL`], 10 s to connect, 120 s of
    /// silence at most, [`RetryPolicy::default`].
    pub fn new(api_key: SecretString) -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            model: DEFAULT_MODEL.to_string(),
            api_key,
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
        }
    }

    /// Use `base_url` unless it is blank.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Use `model` unless it is blank.
    pub fn with_model(mut self, model: impl Into<String>) -> Self {
        self.model = model.into();
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

/// The Anthropic Messages API as a [`Provider`].
#[derive(Debug)]
pub struct AnthropicProvider {
    model: String,
    link: Link,
}

impl AnthropicProvider {
    /// Fails on a base URL that is not http(s) (`Connect`) or a key that cannot be sent in a
    /// header (`Unauthorized`); nothing is sent yet.
    pub fn new(config: AnthropicConfig) -> Result<Self, ProviderError> {
        let url = messages_url(&config.base_url)?;
        let key = config.api_key.expose_secret().trim();
        let key_header = sse::secret_header(key).map_err(|why| ProviderError::Unauthorized {
            provider: NAME.to_string(),
            var: KEY_VAR.to_string(),
            message: why.to_string(),
        })?;
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", key_header);
        headers.insert("anthropic-version", HeaderValue::from_static(API_VERSION));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        let model = match config.model.trim() {
            "" => DEFAULT_MODEL.to_string(),
            model => model.to_string(),
        };
        let link = Link::new(
            NAME,
            url,
            headers,
            Some(SecretString::from(key.to_string())),
            Timeouts {
                connect: config.connect_timeout,
                idle: config.idle_timeout,
            },
            config.retry,
        )?;
        Ok(Self { model, link })
    }

    /// The URL requests go to (`https://api.anthropic.com/v1/messages`).
    pub fn endpoint(&self) -> &str {
        self.link.url()
    }
}

impl Provider for AnthropicProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn stream<'a>(&'a self, turn: Turn<'a>) -> BoxStream<'a, Result<Event, ProviderError>> {
        let body = match serde_json::to_vec(&request_body(&self.model, &turn)) {
            Ok(body) => Bytes::from(body),
            Err(e) => {
                let error = ProviderError::BadRequest {
                    provider: NAME.to_string(),
                    message: format!("cannot encode the request: {e}"),
                };
                return stream::once(async move { Err(error) }).boxed();
            }
        };
        self.link.stream(body, AnthropicParser::default, classify)
    }
}

/// `{base}/v1/messages` for a base as `ANTHROPIC_BASE_URL` names it.
pub(crate) fn messages_url(base: &str) -> Result<String, ProviderError> {
    let base = match base.trim() {
        "" => DEFAULT_BASE_URL,
        base => base,
    };
    let invalid = |detail: String| ProviderError::Connect {
        provider: NAME.to_string(),
        url: base.to_string(),
        detail: format!("{detail}; check ANTHROPIC_BASE_URL or the settings"),
    };
    let parsed = url::Url::parse(base).map_err(|e| invalid(format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(invalid("not an http(s) URL".to_string()));
    }
    let root = base.trim_end_matches('/');
    let root = root.strip_suffix("/v1/messages").unwrap_or(root);
    let root = root.strip_suffix("/v1").unwrap_or(root);
    Ok(format!("{root}/v1/messages"))
}

// ---------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------

#[derive(Serialize)]
struct WireRequest<'a> {
    model: &'a str,
    max_tokens: u32,
    #[serde(skip_serializing_if = "str::is_empty")]
    system: &'a str,
    messages: Vec<WireMessage<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tools: Vec<WireTool<'a>>,
    stream: bool,
}

#[derive(Serialize)]
struct WireMessage<'a> {
    role: &'static str,
    content: Vec<WireBlock<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum WireBlock<'a> {
    Text {
        text: &'a str,
    },
    ToolUse {
        id: &'a str,
        name: &'a str,
        input: &'a Value,
    },
    ToolResult {
        tool_use_id: &'a str,
        content: &'a str,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        is_error: bool,
    },
}

#[derive(Serialize)]
struct WireTool<'a> {
    name: &'a str,
    description: &'a str,
    input_schema: &'a Value,
}

/// The JSON body for one turn. Messages keep their blocks and order, except that a user
/// message's tool results come first (the API requires it) and empty text blocks, which the
/// API rejects, are left out.
pub(crate) fn request_body(model: &str, turn: &Turn<'_>) -> Value {
    let request = WireRequest {
        model,
        max_tokens: turn.max_tokens,
        system: turn.system,
        messages: turn.messages.iter().map(wire_message).collect(),
        tools: turn.tools.iter().map(wire_tool).collect(),
        stream: true,
    };
    serde_json::to_value(request).unwrap_or(Value::Null)
}

fn wire_message(message: &Message) -> WireMessage<'_> {
    let mut content: Vec<WireBlock<'_>> = Vec::with_capacity(message.content.len());
    let results = message
        .content
        .iter()
        .filter(|b| matches!(b, Block::ToolResult { .. }));
    let others = message
        .content
        .iter()
        .filter(|b| !matches!(b, Block::ToolResult { .. }));
    for block in results.chain(others) {
        content.push(match block {
            Block::Text(text) if text.is_empty() => continue,
            Block::Text(text) => WireBlock::Text { text },
            Block::ToolUse { id, name, input } => WireBlock::ToolUse { id, name, input },
            Block::ToolResult {
                id,
                content,
                is_error,
            } => WireBlock::ToolResult {
                tool_use_id: id,
                content,
                is_error: *is_error,
            },
        });
    }
    WireMessage {
        role: match message.role {
            Role::User => "user",
            Role::Assistant => "assistant",
        },
        content,
    }
}

fn wire_tool(tool: &ToolSpec) -> WireTool<'_> {
    WireTool {
        name: &tool.name,
        description: &tool.description,
        input_schema: &tool.schema,
    }
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct WireErrorBody {
    error: Option<WireError>,
    request_id: Option<String>,
}

#[derive(Deserialize, Default)]
struct WireError {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<String>,
    details: Option<WireErrorDetails>,
}

#[derive(Deserialize, Default)]
struct WireErrorDetails {
    error_code: Option<String>,
}

const SPEND_LIMIT_CODE: &str = "enforced_spend_limit_reached";

/// Maps a non-success answer: 401/403 the key, 402 and the spend-limit 429 billing, 429 rate
/// limiting (retry after `retry-after`), 529 and `overloaded_error` capacity, 5xx the
/// service (retried), anything else a refused request (not retried).
fn classify(provider: &str, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Failure {
    let parsed: WireErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let error = parsed.error.unwrap_or_default();
    let kind = error.kind.as_deref().unwrap_or("");
    let spend_limit =
        error.details.as_ref().and_then(|d| d.error_code.as_deref()) == Some(SPEND_LIMIT_CODE);
    let said = match error.message.as_deref().map(str::trim) {
        Some(m) if !m.is_empty() => sse::snippet(m, 400),
        _ if !body.is_empty() => sse::snippet(&String::from_utf8_lossy(body), 200),
        _ => status
            .canonical_reason()
            .unwrap_or("no reason given")
            .to_string(),
    };
    let mut message = match kind {
        "" => format!("HTTP {}: {said}", status.as_u16()),
        kind => format!("HTTP {} {kind}: {said}", status.as_u16()),
    };
    if let Some(id) = parsed.request_id.as_deref() {
        message.push_str(&format!(" (request {})", sse::snippet(id, 80)));
    }
    let provider = provider.to_string();
    match status.as_u16() {
        401 | 403 => Failure::fatal(ProviderError::Unauthorized {
            provider,
            var: KEY_VAR.to_string(),
            message,
        }),
        402 => Failure::fatal(ProviderError::SpendLimit { provider, message }),
        429 if spend_limit => Failure::fatal(ProviderError::SpendLimit { provider, message }),
        429 => {
            let after = sse::retry_after(headers);
            Failure::new(
                ProviderError::RateLimited {
                    provider,
                    message,
                    retry_after: after,
                },
                after.map_or(Retry::Backoff, Retry::After),
            )
        }
        529 | 503 => Failure::new(
            ProviderError::Overloaded { provider, message },
            Retry::Backoff,
        ),
        500..=599 if kind == "overloaded_error" => Failure::new(
            ProviderError::Overloaded { provider, message },
            Retry::Backoff,
        ),
        500..=599 => Failure::new(ProviderError::Server { provider, message }, Retry::Backoff),
        400..=499 => Failure::fatal(ProviderError::BadRequest { provider, message }),
        _ => Failure::fatal(ProviderError::Server { provider, message }),
    }
}

/// An `error` event in a stream whose HTTP status already said 200.
fn stream_error(error: WireError) -> Failure {
    let provider = NAME.to_string();
    let kind = error.kind.unwrap_or_default();
    let said = error
        .message
        .map(|m| sse::snippet(&m, 400))
        .unwrap_or_else(|| "no message".to_string());
    let message = match kind.as_str() {
        "" => format!("mid-stream error: {said}"),
        kind => format!("mid-stream {kind}: {said}"),
    };
    let spend_limit = error
        .details
        .and_then(|d| d.error_code)
        .is_some_and(|c| c == SPEND_LIMIT_CODE);
    match kind.as_str() {
        _ if spend_limit => Failure::fatal(ProviderError::SpendLimit { provider, message }),
        "overloaded_error" => Failure::new(
            ProviderError::Overloaded { provider, message },
            Retry::Backoff,
        ),
        "rate_limit_error" => Failure::new(
            ProviderError::RateLimited {
                provider,
                message,
                retry_after: None,
            },
            Retry::Backoff,
        ),
        "api_error" | "timeout_error" => {
            Failure::new(ProviderError::Server { provider, message }, Retry::Backoff)
        }
        "authentication_error" | "permission_error" => {
            Failure::fatal(ProviderError::Unauthorized {
                provider,
                var: KEY_VAR.to_string(),
                message,
            })
        }
        "billing_error" => Failure::fatal(ProviderError::SpendLimit { provider, message }),
        "invalid_request_error" | "not_found_error" | "request_too_large" => {
            Failure::fatal(ProviderError::BadRequest { provider, message })
        }
        _ => Failure::fatal(ProviderError::Server { provider, message }),
    }
}

// ---------------------------------------------------------------------------------------
// Stream
// ---------------------------------------------------------------------------------------

/// Every stream event's data, read leniently: the fields each event type uses.
#[derive(Deserialize)]
struct WireEvent {
    #[serde(rename = "type")]
    kind: Option<String>,
    index: Option<usize>,
    content_block: Option<WireBlockStart>,
    delta: Option<WireDelta>,
    error: Option<WireError>,
}

#[derive(Deserialize)]
struct WireBlockStart {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    name: Option<String>,
    text: Option<String>,
}

#[derive(Deserialize)]
struct WireDelta {
    #[serde(rename = "type")]
    kind: Option<String>,
    text: Option<String>,
    partial_json: Option<String>,
    stop_reason: Option<String>,
}

/// A content block between its start and its stop.
enum Open {
    Text,
    Tool {
        id: String,
        name: String,
        json: String,
    },
    Other,
}

/// Assembles one streamed message into events.
#[derive(Default)]
pub(crate) struct AnthropicParser {
    blocks: BTreeMap<usize, Open>,
    stop_reason: Option<String>,
    tool_calls: usize,
    finished: bool,
}

impl AnthropicParser {
    fn garbled(detail: impl Into<String>) -> Failure {
        Failure::garbled(NAME, detail)
    }

    fn close(&mut self, index: usize, out: &mut VecDeque<Event>) {
        if let Some(Open::Tool { id, name, json }) = self.blocks.remove(&index) {
            self.tool_calls += 1;
            out.push_back(Event::ToolUse {
                id,
                name,
                input: sse::tool_input(&json),
            });
        }
    }

    fn stop_reason(&self) -> StopReason {
        match self.stop_reason.as_deref() {
            Some("end_turn") | Some("stop_sequence") => StopReason::EndTurn,
            Some("tool_use") => StopReason::ToolUse,
            Some("max_tokens") | Some("model_context_window_exceeded") => StopReason::MaxTokens,
            Some(other) => StopReason::Other(other.to_string()),
            None if self.tool_calls > 0 => StopReason::ToolUse,
            None => StopReason::EndTurn,
        }
    }
}

impl Parser for AnthropicParser {
    fn event(&mut self, event: SseEvent, out: &mut VecDeque<Event>) -> Result<(), Failure> {
        let wire: WireEvent = serde_json::from_str(&event.data).map_err(|e| {
            Self::garbled(format!(
                "event {:?} is not the expected JSON ({e}): {}",
                event.event,
                sse::snippet(&event.data, 200)
            ))
        })?;
        // The data's `type` names the event; failing that the `event:` line; failing both,
        // an object carrying an `error` is one.
        let kind = match (wire.kind.as_deref(), event.event.as_str()) {
            (Some(kind), _) => kind,
            (None, "") if wire.error.is_some() => "error",
            (None, name) => name,
        };
        let index = || {
            wire.index
                .ok_or_else(|| Self::garbled(format!("{kind} without an index")))
        };
        match kind {
            "content_block_start" => {
                let index = index()?;
                let Some(block) = wire.content_block else {
                    return Err(Self::garbled("content_block_start without its block"));
                };
                let open = match block.kind.as_str() {
                    "text" => {
                        if let Some(text) = block.text.filter(|t| !t.is_empty()) {
                            out.push_back(Event::TextDelta(text));
                        }
                        Open::Text
                    }
                    "tool_use" => match (block.id, block.name) {
                        (Some(id), Some(name)) => Open::Tool {
                            id,
                            name,
                            json: String::new(),
                        },
                        _ => return Err(Self::garbled("a tool_use block without its id or name")),
                    },
                    _ => Open::Other,
                };
                self.blocks.insert(index, open);
            }
            "content_block_delta" => {
                let index = index()?;
                let Some(delta) = wire.delta else {
                    return Err(Self::garbled("content_block_delta without its delta"));
                };
                match delta.kind.as_deref() {
                    Some("text_delta") => {
                        if let Some(text) = delta.text.filter(|t| !t.is_empty()) {
                            out.push_back(Event::TextDelta(text));
                        }
                    }
                    Some("input_json_delta") => match self.blocks.get_mut(&index) {
                        Some(Open::Tool { json, .. }) => {
                            json.push_str(delta.partial_json.as_deref().unwrap_or(""));
                        }
                        _ => {
                            return Err(Self::garbled(format!(
                                "input_json_delta for block {index}, which is not a tool_use"
                            )));
                        }
                    },
                    // thinking_delta, signature_delta, citations_delta, future kinds.
                    _ => {}
                }
            }
            "content_block_stop" => {
                let index = index()?;
                self.close(index, out);
            }
            "message_delta" => {
                if let Some(reason) = wire.delta.and_then(|d| d.stop_reason) {
                    self.stop_reason = Some(reason);
                }
            }
            "message_stop" => {
                let open: Vec<usize> = self.blocks.keys().copied().collect();
                for index in open {
                    self.close(index, out);
                }
                out.push_back(Event::Done(self.stop_reason()));
                self.finished = true;
            }
            "error" => return Err(stream_error(wire.error.unwrap_or_default())),
            // message_start, ping, and event types added later.
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, _out: &mut VecDeque<Event>) -> Result<(), Failure> {
        Err(Self::garbled(
            "the answer stopped before message_stop (the connection closed early)",
        ))
    }

    fn finished(&self) -> bool {
        self.finished
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn feed(transcript: &[(&str, Value)]) -> (Vec<Event>, Option<Failure>) {
        let mut parser = AnthropicParser::default();
        let mut out = VecDeque::new();
        for (name, data) in transcript {
            let event = SseEvent {
                event: name.to_string(),
                data: data.to_string(),
            };
            if let Err(failure) = parser.event(event, &mut out) {
                return (out.into(), Some(failure));
            }
            if parser.finished() {
                break;
            }
        }
        if !parser.finished()
            && let Err(failure) = parser.end(&mut out)
        {
            return (out.into(), Some(failure));
        }
        (out.into(), None)
    }

    fn start() -> (&'static str, Value) {
        (
            "message_start",
            json!({"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":849,"output_tokens":1}}}),
        )
    }

    fn stop(reason: &str) -> [(&'static str, Value); 2] {
        [
            (
                "message_delta",
                json!({"type":"message_delta","delta":{"stop_reason":reason,"stop_sequence":null},"usage":{"output_tokens":47}}),
            ),
            ("message_stop", json!({"type":"message_stop"})),
        ]
    }

    #[test]
    fn the_reference_transcript_gives_text_then_the_tool_call_then_done() {
        let mut t = vec![
            start(),
            (
                "content_block_start",
                json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
            ),
            ("ping", json!({"type":"ping"})),
            (
                "content_block_delta",
                json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Deploying "}}),
            ),
            (
                "content_block_stop",
                json!({"type":"content_block_stop","index":0}),
            ),
            (
                "content_block_start",
                json!({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01K","name":"deploy_app","input":{}}}),
            ),
            (
                "content_block_delta",
                json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}),
            ),
            (
                "content_block_delta",
                json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"app\": \"we"}}),
            ),
            (
                "content_block_delta",
                json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"b\"}"}}),
            ),
            (
                "content_block_stop",
                json!({"type":"content_block_stop","index":1}),
            ),
        ];
        t.extend(stop("tool_use"));
        let (events, failure) = feed(&t);
        assert!(failure.is_none());
        assert_eq!(
            events,
            vec![
                Event::TextDelta("Deploying ".into()),
                Event::ToolUse {
                    id: "toolu_01K".into(),
                    name: "deploy_app".into(),
                    input: json!({"app": "web"}),
                },
                Event::Done(StopReason::ToolUse),
            ]
        );
    }

    #[test]
    fn a_tool_call_with_no_input_pieces_gets_an_empty_object() {
        let mut t = vec![
            start(),
            (
                "content_block_start",
                json!({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"coolify_tree","input":{}}}),
            ),
            (
                "content_block_stop",
                json!({"type":"content_block_stop","index":0}),
            ),
        ];
        t.extend(stop("tool_use"));
        let (events, _) = feed(&t);
        assert_eq!(
            events[0],
            Event::ToolUse {
                id: "toolu_1".into(),
                name: "coolify_tree".into(),
                input: json!({}),
            }
        );
    }

    #[test]
    fn a_truncated_tool_input_arrives_marked_invalid_with_max_tokens() {
        let mut t = vec![
            start(),
            (
                "content_block_start",
                json!({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"deploy_app","input":{}}}),
            ),
            (
                "content_block_delta",
                json!({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"app\": \"we"}}),
            ),
            (
                "content_block_stop",
                json!({"type":"content_block_stop","index":0}),
            ),
        ];
        t.extend(stop("max_tokens"));
        let (events, _) = feed(&t);
        let Event::ToolUse { input, .. } = &events[0] else {
            panic!("expected a tool call, got {events:?}");
        };
        assert_eq!(invalid_arguments(input), Some("{\"app\": \"we"));
        assert_eq!(events[1], Event::Done(StopReason::MaxTokens));
    }

    #[test]
    fn unknown_events_deltas_and_blocks_are_ignored() {
        let mut t = vec![
            start(),
            ("future_event", json!({"type":"future_event","x":1})),
            (
                "content_block_start",
                json!({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}),
            ),
            (
                "content_block_delta",
                json!({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}),
            ),
            (
                "content_block_delta",
                json!({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}),
            ),
            (
                "content_block_stop",
                json!({"type":"content_block_stop","index":0}),
            ),
            (
                "content_block_start",
                json!({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}),
            ),
            (
                "content_block_delta",
                json!({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"ok"}}),
            ),
            (
                "content_block_stop",
                json!({"type":"content_block_stop","index":1}),
            ),
        ];
        t.extend(stop("end_turn"));
        let (events, failure) = feed(&t);
        assert!(failure.is_none());
        assert_eq!(
            events,
            vec![
                Event::TextDelta("ok".into()),
                Event::Done(StopReason::EndTurn)
            ]
        );
    }

    #[test]
    fn stop_reasons_map() {
        for (wire, expected) in [
            ("end_turn", StopReason::EndTurn),
            ("stop_sequence", StopReason::EndTurn),
            ("tool_use", StopReason::ToolUse),
            ("max_tokens", StopReason::MaxTokens),
            ("model_context_window_exceeded", StopReason::MaxTokens),
            ("pause_turn", StopReason::Other("pause_turn".into())),
            ("refusal", StopReason::Other("refusal".into())),
        ] {
            let mut t = vec![start()];
            t.extend(stop(wire));
            let (events, _) = feed(&t);
            assert_eq!(events, vec![Event::Done(expected)], "{wire}");
        }
    }

    #[test]
    fn the_event_name_stands_in_for_a_missing_type() {
        let (events, failure) = feed(&[
            (
                "content_block_delta",
                json!({"index":0,"delta":{"type":"text_delta","text":"hi"}}),
            ),
            ("message_stop", json!({})),
        ]);
        assert!(failure.is_none());
        assert_eq!(
            events,
            vec![
                Event::TextDelta("hi".into()),
                Event::Done(StopReason::EndTurn)
            ]
        );
    }

    #[test]
    fn an_error_event_maps_by_its_type() {
        let cases = [
            ("overloaded_error", "Overloaded"),
            ("rate_limit_error", "RateLimited"),
            ("api_error", "Server"),
            ("authentication_error", "Unauthorized"),
            ("invalid_request_error", "BadRequest"),
            ("billing_error", "SpendLimit"),
            ("something_new", "Server"),
        ];
        for (kind, expected) in cases {
            let (_, failure) = feed(&[
                start(),
                (
                    "error",
                    json!({"type":"error","error":{"type":kind,"message":"boom"}}),
                ),
            ]);
            let Some(failure) = failure else {
                panic!("{kind}: no failure");
            };
            let debug = format!("{:?}", failure.error);
            assert!(debug.starts_with(expected), "{kind}: {debug}");
        }
    }

    #[test]
    fn an_end_before_message_stop_is_garbled_and_bad_json_too() {
        let (_, failure) = feed(&[start()]);
        assert!(matches!(
            failure.map(|f| f.error),
            Some(ProviderError::Garbled { .. })
        ));
        let mut parser = AnthropicParser::default();
        let mut out = VecDeque::new();
        let failure = parser.event(
            SseEvent {
                event: "message_start".into(),
                data: "{not json".into(),
            },
            &mut out,
        );
        assert!(matches!(
            failure.map_err(|f| f.error),
            Err(ProviderError::Garbled { .. })
        ));
        let failure = parser.event(
            SseEvent {
                event: "content_block_delta".into(),
                data: json!({"type":"content_block_delta","index":5,"delta":{"type":"input_json_delta","partial_json":"{"}}).to_string(),
            },
            &mut out,
        );
        assert!(failure.is_err());
    }

    #[test]
    fn classify_maps_statuses() {
        let h = HeaderMap::new();
        let body = |kind: &str| {
            json!({"type":"error","error":{"type":kind,"message":"m"},"request_id":"req_1"})
                .to_string()
                .into_bytes()
        };
        let c = |code: u16, b: &[u8]| {
            classify(
                NAME,
                StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT),
                &h,
                b,
            )
        };
        let f = c(401, &body("authentication_error"));
        assert_eq!(f.retry, Retry::No);
        let text = f.error.to_string();
        assert!(text.contains("ANTHROPIC_API_KEY"), "{text}");
        assert!(
            text.contains("HTTP 401 authentication_error: m (request req_1)"),
            "{text}"
        );
        assert!(matches!(
            c(403, b"").error,
            ProviderError::Unauthorized { .. }
        ));
        assert!(matches!(
            c(402, &body("billing_error")).error,
            ProviderError::SpendLimit { .. }
        ));
        for code in [400, 404, 413, 422, 409] {
            let f = c(code, &body("invalid_request_error"));
            assert!(
                matches!(f.error, ProviderError::BadRequest { .. }),
                "{code}"
            );
            assert_eq!(f.retry, Retry::No, "{code}");
        }
        let f = c(429, &body("rate_limit_error"));
        assert!(matches!(
            f.error,
            ProviderError::RateLimited {
                retry_after: None,
                ..
            }
        ));
        assert_eq!(f.retry, Retry::Backoff);
        let spend = json!({"type":"error","error":{"type":"rate_limit_error","message":"cap","details":{"error_code":"enforced_spend_limit_reached"}}}).to_string();
        let f = c(429, spend.as_bytes());
        assert!(matches!(f.error, ProviderError::SpendLimit { .. }));
        assert_eq!(f.retry, Retry::No);
        let f = c(529, &body("overloaded_error"));
        assert!(matches!(f.error, ProviderError::Overloaded { .. }));
        assert_eq!(f.retry, Retry::Backoff);
        let f = c(500, &body("api_error"));
        assert!(matches!(f.error, ProviderError::Server { .. }));
        assert_eq!(f.retry, Retry::Backoff);
        // A proxy's HTML page is quoted, briefly.
        let f = c(502, b"<html><body>Bad gateway</body></html>");
        assert!(f.error.to_string().contains("Bad gateway"));
    }

    #[test]
    fn classify_honours_retry_after() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("3"));
        let f = classify(NAME, StatusCode::TOO_MANY_REQUESTS, &h, b"");
        assert_eq!(f.retry, Retry::After(Duration::from_secs(3)));
        assert!(f.error.to_string().contains("retry in 3s"));
    }

    #[test]
    fn base_urls_follow_anthropic_base_url_semantics() {
        let ok = |base: &str| messages_url(base).unwrap_or_else(|e| e.to_string());
        assert_eq!(ok(""), "https://api.anthropic.com/v1/messages");
        assert_eq!(
            ok("https://api.anthropic.com"),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            ok("https://api.anthropic.com/"),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            ok("http://localhost:11434/v1"),
            "http://localhost:11434/v1/messages"
        );
        assert_eq!(
            ok("https://gw.example.com/anthropic/"),
            "https://gw.example.com/anthropic/v1/messages"
        );
        assert_eq!(
            ok("http://127.0.0.1:9/v1/messages"),
            "http://127.0.0.1:9/v1/messages"
        );
        assert!(messages_url("ftp://x").is_err());
        assert!(messages_url("not a url").is_err());
        let e = messages_url("localhost:8080")
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string());
        assert!(e.contains("ANTHROPIC_BASE_URL"), "{e}");
    }

    #[test]
    fn the_body_keeps_blocks_puts_results_first_and_drops_empty_text() {
        let tools = [ToolSpec {
            name: "deploy_app".into(),
            description: "Deploy.".into(),
            schema: json!({"type":"object"}),
        }];
        let messages = [
            Message::user_text("deploy web"),
            Message {
                role: Role::Assistant,
                content: vec![
                    Block::Text(String::new()),
                    Block::ToolUse {
                        id: "toolu_1".into(),
                        name: "deploy_app".into(),
                        input: json!({"app":"web"}),
                    },
                ],
            },
            Message {
                role: Role::User,
                content: vec![
                    Block::Text("and then?".into()),
                    Block::ToolResult {
                        id: "toolu_1".into(),
                        content: "queued".into(),
                        is_error: false,
                    },
                ],
            },
        ];
        let turn = Turn {
            system: "",
            tools: &tools,
            messages: &messages,
            max_tokens: 100,
        };
        assert_eq!(
            request_body("m", &turn),
            json!({
                "model": "m", "max_tokens": 100, "stream": true,
                "tools": [{"name":"deploy_app","description":"Deploy.","input_schema":{"type":"object"}}],
                "messages": [
                    {"role":"user","content":[{"type":"text","text":"deploy web"}]},
                    {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"deploy_app","input":{"app":"web"}}]},
                    {"role":"user","content":[
                        {"type":"tool_result","tool_use_id":"toolu_1","content":"queued"},
                        {"type":"text","text":"and then?"}
                    ]}
                ]
            })
        );
    }

    #[test]
    fn debug_output_hides_the_key() {
        let key = "sk-ant-api03-DEBUG-PLANTED-0000";
        let config = AnthropicConfig::new(SecretString::from(key));
        let provider = AnthropicProvider::new(config.clone());
        let text = format!("{config:?} {provider:?}");
        assert!(!text.contains(key), "{text}");
        assert!(provider.is_ok());
    }

    #[test]
    fn a_key_that_cannot_be_a_header_is_refused_without_echoing_it() {
        let key = "sk-ant-bad\u{7}key-PLANTED";
        let error = AnthropicProvider::new(AnthropicConfig::new(SecretString::from(key)))
            .err()
            .map(|e| format!("{e} {e:?}"))
            .unwrap_or_default();
        assert!(error.contains("ANTHROPIC_API_KEY"), "{error}");
        assert!(!error.contains("PLANTED"), "{error}");
    }
}
