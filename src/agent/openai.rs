//! OpenAI-compatible chat completions (`POST {base}/v1/chat/completions`, `stream: true`)
//! with function tools: OpenAI itself, Ollama, vLLM, LM Studio, llama.cpp and the like.
//!
//! Text arrives as [`Event::TextDelta`]s as it streams. Tool calls are accumulated by their
//! `index` from `function.arguments` fragments and emitted when the answer is complete (at
//! `[DONE]`, or when the server closes after sending its `finish_reason`), in index order,
//! before [`Event::Done`].
//!
//! Arguments that are not a JSON object (small local models do that) do not fail the turn:
//! the call arrives as an [`Event::ToolUse`] whose input is
//! `{"_invalid_arguments": "<raw text>"}` (see [`INVALID_ARGUMENTS`]), so that the agent loop
//! can answer that id with an error tool result and the model can try again. Echoed back,
//! such a call carries that object as its arguments (valid JSON: Ollama refuses to read
//! back arguments that are not).
//!
//! Errors and retries as for Anthropic where they apply: 401/403 the key, 402 and the 429
//! `insufficient_quota` billing (no retry), 429 after `retry-after`/`retry-after-ms`,
//! 5xx with backoff (503/529 count as overloaded), other 4xx not retried.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::provider::{
    Block, Event, Message, Provider, ProviderError, Role, StopReason, ToolSpec, Turn,
};
use super::sse::{self, Failure, Link, Parser, Retry, SseEvent, Timeouts};

pub use super::sse::{INVALID_ARGUMENTS, RetryPolicy, invalid_arguments};

/// `openai`: the provider's name in messages and settings.
pub const NAME: &str = "openai";
/// The service, as `OPENAI_BASE_URL` would name it (with or without `/v1`).
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com";
pub const DEFAULT_MODEL: &str = "gpt-4.1-mini";
/// A local Ollama.
pub const OLLAMA_BASE_URL: &str = "http://localhost:11434";
/// Where the key is looked for, named in the error when it is rejected.
pub const KEY_VAR: &str = "OPENAI_API_KEY";

/// Which field carries the answer's token limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenLimit {
    /// `max_completion_tokens` for api.openai.com (its newer models refuse `max_tokens`),
    /// `max_tokens` for everything else (Ollama reads only that one).
    #[default]
    Auto,
    MaxTokens,
    MaxCompletionTokens,
}

/// How to reach an OpenAI-compatible server.
#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// `OPENAI_BASE_URL` semantics, with or without `/v1`: `https://api.openai.com`,
    /// `http://localhost:11434`, `https://api.groq.com/openai/v1`. A base whose path ends in
    /// a version segment (`/v1`, `/v1beta`) gets `/chat/completions`, one that already ends
    /// in `/chat/completions` is used as is, any other gets `/v1/chat/completions`. Blank
    /// means [`DEFAULT_BASE_URL`].
    pub base_url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer <key>`; local servers need none.
    pub api_key: Option<SecretString>,
    pub connect_timeout: Duration,
    /// The longest silence tolerated while waiting for or reading an answer (a local server
    /// may first load the model).
    pub idle_timeout: Duration,
    pub retry: RetryPolicy,
    pub token_limit: TokenLimit,
}

impl OpenAiConfig {
    /// The defaults: [`DEFAULT_BASE_URL`], [`DEFAULT_MODEL`], 10 s to connect, 300 s of
    /// silence at most, [`RetryPolicy::default`], [`TokenLimit::Auto`].
    pub fn new(api_key: Option<SecretString>) -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            model: DEFAULT_MODEL.to_string(),
            api_key,
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(300),
            retry: RetryPolicy::default(),
            token_limit: TokenLimit::Auto,
        }
    }

    /// A local Ollama at [`OLLAMA_BASE_URL`] running `model`, without a key.
    pub fn ollama(model: impl Into<String>) -> Self {
        Self::new(None)
            .with_base_url(OLLAMA_BASE_URL)
            .with_model(model)
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

/// An OpenAI-compatible chat-completions server as a [`Provider`].
#[derive(Debug)]
pub struct OpenAiProvider {
    model: String,
    token_limit: TokenLimit,
    has_key: bool,
    link: Link,
}

impl OpenAiProvider {
    /// Fails on a base URL that is not http(s) (`Connect`) or a key that cannot be sent in a
    /// header (`Unauthorized`); nothing is sent yet.
    pub fn new(config: OpenAiConfig) -> Result<Self, ProviderError> {
        let (url, official) = completions_url(&config.base_url)?;
        let key = config
            .api_key
            .as_ref()
            .map(|k| k.expose_secret().trim().to_string())
            .filter(|k| !k.is_empty());
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        if let Some(key) = &key {
            let value = sse::secret_header(&format!("Bearer {key}")).map_err(|why| {
                ProviderError::Unauthorized {
                    provider: NAME.to_string(),
                    var: KEY_VAR.to_string(),
                    message: why.to_string(),
                }
            })?;
            headers.insert(AUTHORIZATION, value);
        }
        let token_limit = match config.token_limit {
            TokenLimit::Auto if official => TokenLimit::MaxCompletionTokens,
            TokenLimit::Auto => TokenLimit::MaxTokens,
            other => other,
        };
        let model = match config.model.trim() {
            "" => DEFAULT_MODEL.to_string(),
            model => model.to_string(),
        };
        let has_key = key.is_some();
        let link = Link::new(
            NAME,
            url,
            headers,
            key.map(SecretString::from),
            Timeouts {
                connect: config.connect_timeout,
                idle: config.idle_timeout,
            },
            config.retry,
        )?;
        Ok(Self {
            model,
            token_limit,
            has_key,
            link,
        })
    }

    /// The URL requests go to (`http://localhost:11434/v1/chat/completions`).
    pub fn endpoint(&self) -> &str {
        self.link.url()
    }
}

impl Provider for OpenAiProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn stream<'a>(&'a self, turn: Turn<'a>) -> BoxStream<'a, Result<Event, ProviderError>> {
        let body = request_body(&self.model, self.token_limit, &turn);
        let body = match serde_json::to_vec(&body) {
            Ok(body) => Bytes::from(body),
            Err(e) => {
                let error = ProviderError::BadRequest {
                    provider: NAME.to_string(),
                    message: format!("cannot encode the request: {e}"),
                };
                return stream::once(async move { Err(error) }).boxed();
            }
        };
        let classify = if self.has_key {
            classify as sse::Classify
        } else {
            classify_keyless
        };
        self.link.stream(body, OpenAiParser::default, classify)
    }
}

/// The chat-completions URL for a base as `OPENAI_BASE_URL` names it, and whether it is
/// OpenAI's own service.
pub(crate) fn completions_url(base: &str) -> Result<(String, bool), ProviderError> {
    let base = match base.trim() {
        "" => DEFAULT_BASE_URL,
        base => base,
    };
    let invalid = |detail: String| ProviderError::Connect {
        provider: NAME.to_string(),
        url: base.to_string(),
        detail: format!("{detail}; check OPENAI_BASE_URL or the settings"),
    };
    let parsed = url::Url::parse(base).map_err(|e| invalid(format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(invalid("not an http(s) URL".to_string()));
    }
    let official = parsed.host_str() == Some("api.openai.com");
    let root = base.trim_end_matches('/');
    if root.ends_with("/chat/completions") {
        return Ok((root.to_string(), official));
    }
    let last = root.rsplit('/').next().unwrap_or("");
    let versioned = last.len() > 1
        && last.starts_with('v')
        && last[1..].starts_with(|c: char| c.is_ascii_digit());
    let url = if versioned && parsed.path() != "/" {
        format!("{root}/chat/completions")
    } else {
        format!("{root}/v1/chat/completions")
    };
    Ok((url, official))
}

// ---------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------

#[derive(Serialize)]
struct WireRequest<'a> {
    model: &'a str,
    messages: Vec<WireMessage<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tools: Vec<WireTool<'a>>,
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_completion_tokens: Option<u32>,
}

#[derive(Serialize)]
#[serde(tag = "role", rename_all = "lowercase")]
enum WireMessage<'a> {
    System {
        content: &'a str,
    },
    User {
        content: String,
    },
    Assistant {
        /// Never null: Ollama refuses a null content.
        content: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tool_calls: Vec<WireToolCall<'a>>,
    },
    Tool {
        tool_call_id: &'a str,
        content: Cow<'a, str>,
    },
}

#[derive(Serialize)]
struct WireToolCall<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    function: WireFunctionCall<'a>,
}

#[derive(Serialize)]
struct WireFunctionCall<'a> {
    name: &'a str,
    /// A JSON string, as the API wants it.
    arguments: String,
}

#[derive(Serialize)]
struct WireTool<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    function: WireFunction<'a>,
}

#[derive(Serialize)]
struct WireFunction<'a> {
    name: &'a str,
    description: &'a str,
    parameters: &'a Value,
}

/// The JSON body for one turn: the system prompt first (when there is one); a user message
/// becomes one `tool` message per tool result (content prefixed `ERROR: ` for an error),
/// then one `user` message with its text blocks joined by blank lines (when it has any); an
/// assistant message becomes one `assistant` message with its text and its `tool_calls`.
pub(crate) fn request_body(model: &str, limit: TokenLimit, turn: &Turn<'_>) -> Value {
    let mut messages = Vec::with_capacity(turn.messages.len() + 1);
    if !turn.system.is_empty() {
        messages.push(WireMessage::System {
            content: turn.system,
        });
    }
    for message in turn.messages {
        push_message(message, &mut messages);
    }
    let request = WireRequest {
        model,
        messages,
        tools: turn.tools.iter().map(wire_tool).collect(),
        stream: true,
        max_tokens: (limit != TokenLimit::MaxCompletionTokens).then_some(turn.max_tokens),
        max_completion_tokens: (limit == TokenLimit::MaxCompletionTokens)
            .then_some(turn.max_tokens),
    };
    serde_json::to_value(request).unwrap_or(Value::Null)
}

fn push_message<'a>(message: &'a Message, out: &mut Vec<WireMessage<'a>>) {
    let texts: Vec<&str> = message
        .content
        .iter()
        .filter_map(|b| match b {
            Block::Text(text) if !text.is_empty() => Some(text.as_str()),
            _ => None,
        })
        .collect();
    match message.role {
        Role::User => {
            for block in &message.content {
                if let Block::ToolResult {
                    id,
                    content,
                    is_error,
                } = block
                {
                    out.push(WireMessage::Tool {
                        tool_call_id: id,
                        content: if *is_error {
                            Cow::Owned(format!("ERROR: {content}"))
                        } else {
                            Cow::Borrowed(content)
                        },
                    });
                }
            }
            if !texts.is_empty() {
                out.push(WireMessage::User {
                    content: texts.join("\n\n"),
                });
            }
        }
        Role::Assistant => {
            let tool_calls = message
                .content
                .iter()
                .filter_map(|b| match b {
                    Block::ToolUse { id, name, input } => Some(WireToolCall {
                        id,
                        kind: "function",
                        function: WireFunctionCall {
                            name,
                            arguments: input.to_string(),
                        },
                    }),
                    _ => None,
                })
                .collect();
            out.push(WireMessage::Assistant {
                content: texts.join("\n\n"),
                tool_calls,
            });
        }
    }
}

fn wire_tool(tool: &ToolSpec) -> WireTool<'_> {
    WireTool {
        kind: "function",
        function: WireFunction {
            name: &tool.name,
            description: &tool.description,
            parameters: &tool.schema,
        },
    }
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/// What an error body says, read from the shapes servers use: `{"error": {"message",
/// "type", "code"}}` (OpenAI, Ollama), `{"error": "..."}`, `{"message": "..."}` (vLLM),
/// `{"detail": "..."}`.
#[derive(Debug, Default, PartialEq)]
struct ErrorInfo {
    kind: String,
    code: String,
    message: String,
}

fn error_info(value: &Value) -> ErrorInfo {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let inner = match value.get("error") {
        Some(inner @ Value::Object(_)) => inner,
        Some(Value::String(message)) => {
            return ErrorInfo {
                message: message.trim().to_string(),
                ..ErrorInfo::default()
            };
        }
        _ => value,
    };
    let mut message = text(inner.get("message"));
    if message.is_empty() {
        message = text(inner.get("detail"));
    }
    ErrorInfo {
        kind: text(inner.get("type")),
        code: text(inner.get("code")),
        message,
    }
}

fn describe(status: Option<StatusCode>, info: &ErrorInfo, body: &[u8]) -> String {
    let said = if !info.message.is_empty() {
        sse::snippet(&info.message, 400)
    } else if !body.is_empty() {
        sse::snippet(&String::from_utf8_lossy(body), 200)
    } else {
        status
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no reason given")
            .to_string()
    };
    let label = match (info.kind.as_str(), info.code.as_str()) {
        ("", "") => String::new(),
        (kind, "") => format!(" {kind}"),
        ("", code) => format!(" {code}"),
        (kind, code) if kind == code => format!(" {kind}"),
        (kind, code) => format!(" {kind}/{code}"),
    };
    match status {
        Some(status) => format!("HTTP {}{label}: {said}", status.as_u16()),
        None => format!("mid-stream{label}: {said}"),
    }
}

fn is_quota(info: &ErrorInfo) -> bool {
    info.code == "insufficient_quota" || info.kind == "insufficient_quota"
}

fn classify(provider: &str, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Failure {
    classify_with(provider, status, headers, body, true)
}

fn classify_keyless(
    provider: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Failure {
    classify_with(provider, status, headers, body, false)
}

fn classify_with(
    provider: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    has_key: bool,
) -> Failure {
    let info = serde_json::from_slice::<Value>(body)
        .map(|v| error_info(&v))
        .unwrap_or_default();
    let message = describe(Some(status), &info, body);
    let provider = provider.to_string();
    match status.as_u16() {
        401 | 403 => Failure::fatal(ProviderError::Unauthorized {
            provider,
            var: KEY_VAR.to_string(),
            message: if has_key {
                message
            } else {
                format!("{message}; no key was sent")
            },
        }),
        402 => Failure::fatal(ProviderError::SpendLimit { provider, message }),
        429 if is_quota(&info) => Failure::fatal(ProviderError::SpendLimit { provider, message }),
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
        503 | 529 => Failure::new(
            ProviderError::Overloaded { provider, message },
            Retry::Backoff,
        ),
        500..=599 => Failure::new(ProviderError::Server { provider, message }, Retry::Backoff),
        400..=499 => Failure::fatal(ProviderError::BadRequest { provider, message }),
        _ => Failure::fatal(ProviderError::Server { provider, message }),
    }
}

/// An error sent inside a stream whose HTTP status already said 200.
fn stream_error(value: &Value) -> Failure {
    let info = error_info(value);
    let message = describe(None, &info, value.to_string().as_bytes());
    let provider = NAME.to_string();
    let label = if info.code.is_empty() {
        info.kind.as_str()
    } else {
        info.code.as_str()
    };
    match label {
        _ if is_quota(&info) => Failure::fatal(ProviderError::SpendLimit { provider, message }),
        "rate_limit_exceeded" | "rate_limit_error" => Failure::new(
            ProviderError::RateLimited {
                provider,
                message,
                retry_after: None,
            },
            Retry::Backoff,
        ),
        "overloaded" | "overloaded_error" | "server_overloaded" => Failure::new(
            ProviderError::Overloaded { provider, message },
            Retry::Backoff,
        ),
        "server_error" | "api_error" => {
            Failure::new(ProviderError::Server { provider, message }, Retry::Backoff)
        }
        "invalid_request_error" | "context_length_exceeded" => {
            Failure::fatal(ProviderError::BadRequest { provider, message })
        }
        _ => Failure::fatal(ProviderError::Server { provider, message }),
    }
}

// ---------------------------------------------------------------------------------------
// Stream
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct WireChunk {
    choices: Option<Vec<WireChoice>>,
    error: Option<Value>,
}

#[derive(Deserialize)]
struct WireChoice {
    index: Option<u64>,
    delta: Option<WireDelta>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct WireDelta {
    content: Option<String>,
    tool_calls: Option<Vec<WireCallDelta>>,
}

#[derive(Deserialize)]
struct WireCallDelta {
    index: Option<u64>,
    id: Option<String>,
    function: Option<WireFunctionDelta>,
}

#[derive(Deserialize)]
struct WireFunctionDelta {
    name: Option<String>,
    /// A string fragment; some servers send the whole object instead.
    arguments: Option<Value>,
}

/// A tool call being assembled.
#[derive(Debug, Default)]
struct Call {
    index: Option<u64>,
    id: String,
    name: String,
    arguments: String,
}

/// Assembles one streamed chat completion into events.
#[derive(Default)]
pub(crate) struct OpenAiParser {
    calls: Vec<Call>,
    finish_reason: Option<String>,
    finished: bool,
}

impl OpenAiParser {
    fn garbled(detail: impl Into<String>) -> Failure {
        Failure::garbled(NAME, detail)
    }

    /// The call a fragment belongs to: by `index`; without one, by `id`, else the last.
    fn slot(&mut self, index: Option<u64>, id: Option<&str>) -> &mut Call {
        let found = match (index, id) {
            (Some(i), _) => self.calls.iter().position(|c| c.index == Some(i)),
            (None, Some(id)) => self.calls.iter().position(|c| c.id == id),
            (None, None) => self.calls.len().checked_sub(1),
        };
        let at = match found {
            Some(at) => at,
            None => {
                self.calls.push(Call {
                    index,
                    ..Call::default()
                });
                self.calls.len() - 1
            }
        };
        &mut self.calls[at]
    }

    fn call_delta(&mut self, delta: WireCallDelta) {
        let call = self.slot(delta.index, delta.id.as_deref());
        if let Some(id) = delta.id.filter(|id| !id.is_empty())
            && call.id.is_empty()
        {
            call.id = id;
        }
        let Some(function) = delta.function else {
            return;
        };
        if let Some(name) = function.name.filter(|n| !n.is_empty())
            && call.name.is_empty()
        {
            call.name = name;
        }
        match function.arguments {
            Some(Value::String(piece)) => call.arguments.push_str(&piece),
            Some(whole @ Value::Object(_)) if call.arguments.is_empty() => {
                call.arguments = whole.to_string();
            }
            _ => {}
        }
    }

    /// The answer is complete: its tool calls, then `Done`.
    fn flush(&mut self, out: &mut VecDeque<Event>) {
        let mut calls = std::mem::take(&mut self.calls);
        calls.sort_by_key(|c| c.index.unwrap_or(u64::MAX));
        let had_calls = !calls.is_empty();
        for (n, call) in calls.into_iter().enumerate() {
            let id = if call.id.is_empty() {
                format!("call_{n}")
            } else {
                call.id
            };
            out.push_back(Event::ToolUse {
                id,
                name: call.name,
                input: sse::tool_input(&call.arguments),
            });
        }
        let reason = match self.finish_reason.as_deref() {
            Some("tool_calls") | Some("function_call") => StopReason::ToolUse,
            // Some servers say "stop" after tool calls.
            Some("stop") | None if had_calls => StopReason::ToolUse,
            Some("stop") | None => StopReason::EndTurn,
            Some("length") => StopReason::MaxTokens,
            Some(other) => StopReason::Other(other.to_string()),
        };
        out.push_back(Event::Done(reason));
        self.finished = true;
    }
}

impl Parser for OpenAiParser {
    fn event(&mut self, event: SseEvent, out: &mut VecDeque<Event>) -> Result<(), Failure> {
        let data = event.data.trim();
        if data == "[DONE]" {
            self.flush(out);
            return Ok(());
        }
        let value: Value = serde_json::from_str(data).map_err(|e| {
            Self::garbled(format!(
                "a chunk is not JSON ({e}): {}",
                sse::snippet(data, 200)
            ))
        })?;
        if event.event == "error" {
            return Err(stream_error(&value));
        }
        let chunk: WireChunk = serde_json::from_value(value).map_err(|e| {
            Self::garbled(format!(
                "a chunk is not a chat completion chunk ({e}): {}",
                sse::snippet(data, 200)
            ))
        })?;
        if let Some(error) = chunk.error.filter(|e| !e.is_null()) {
            return Err(stream_error(&serde_json::json!({ "error": error })));
        }
        for choice in chunk.choices.unwrap_or_default() {
            if choice.index.unwrap_or(0) != 0 {
                continue;
            }
            if let Some(delta) = choice.delta {
                if let Some(text) = delta.content.filter(|t| !t.is_empty()) {
                    out.push_back(Event::TextDelta(text));
                }
                for call in delta.tool_calls.unwrap_or_default() {
                    self.call_delta(call);
                }
            }
            if let Some(reason) = choice.finish_reason.filter(|r| !r.is_empty()) {
                self.finish_reason = Some(reason);
            }
        }
        Ok(())
    }

    fn end(&mut self, out: &mut VecDeque<Event>) -> Result<(), Failure> {
        if self.finish_reason.is_some() {
            // The answer was complete; only the `[DONE]` line is missing.
            self.flush(out);
            return Ok(());
        }
        Err(Self::garbled(
            "the answer stopped before its finish_reason and [DONE] (the connection closed early)",
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

    fn feed(chunks: &[Value], done: bool) -> (Vec<Event>, Option<Failure>) {
        let mut parser = OpenAiParser::default();
        let mut out = VecDeque::new();
        let mut events: Vec<SseEvent> = chunks
            .iter()
            .map(|c| SseEvent {
                event: String::new(),
                data: c.to_string(),
            })
            .collect();
        if done {
            events.push(SseEvent {
                event: String::new(),
                data: "[DONE]".into(),
            });
        }
        for event in events {
            if let Err(f) = parser.event(event, &mut out) {
                return (out.into(), Some(f));
            }
            if parser.finished() {
                return (out.into(), None);
            }
        }
        let result = parser.end(&mut out);
        (out.into(), result.err())
    }

    fn delta(delta: Value, finish: Option<&str>) -> Value {
        json!({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"qwen3",
               "choices":[{"index":0,"delta":delta,"finish_reason":finish}]})
    }

    #[test]
    fn text_streams_and_stop_ends_the_turn() {
        let (events, failure) = feed(
            &[
                delta(json!({"role":"assistant","content":""}), None),
                delta(json!({"content":"Hel"}), None),
                delta(json!({"content":"lo"}), None),
                delta(json!({}), Some("stop")),
                json!({"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":1}}),
            ],
            true,
        );
        assert!(failure.is_none());
        assert_eq!(
            events,
            vec![
                Event::TextDelta("Hel".into()),
                Event::TextDelta("lo".into()),
                Event::Done(StopReason::EndTurn)
            ]
        );
    }

    #[test]
    fn ollama_style_whole_calls_and_missing_indexes_work() {
        let (events, _) = feed(
            &[
                delta(
                    json!({"tool_calls":[{"id":"call_a","type":"function","function":{"name":"x","arguments":{"app":"web"}}}]}),
                    None,
                ),
                delta(
                    json!({"tool_calls":[{"id":"call_b","type":"function","function":{"name":"y","arguments":"{}"}}]}),
                    None,
                ),
                delta(json!({"content":""}), Some("stop")),
            ],
            false,
        );
        assert_eq!(
            events,
            vec![
                Event::ToolUse {
                    id: "call_a".into(),
                    name: "x".into(),
                    input: json!({"app":"web"})
                },
                Event::ToolUse {
                    id: "call_b".into(),
                    name: "y".into(),
                    input: json!({})
                },
                Event::Done(StopReason::ToolUse),
            ]
        );
    }

    #[test]
    fn a_call_without_an_id_gets_one() {
        let (events, _) = feed(
            &[delta(
                json!({"tool_calls":[{"index":0,"function":{"name":"x","arguments":""}}]}),
                Some("tool_calls"),
            )],
            true,
        );
        assert_eq!(
            events[0],
            Event::ToolUse {
                id: "call_0".into(),
                name: "x".into(),
                input: json!({})
            }
        );
    }

    #[test]
    fn finish_reasons_map() {
        for (wire, expected) in [
            ("stop", StopReason::EndTurn),
            ("length", StopReason::MaxTokens),
            ("tool_calls", StopReason::ToolUse),
            ("content_filter", StopReason::Other("content_filter".into())),
        ] {
            let (events, _) = feed(&[delta(json!({}), Some(wire))], true);
            assert_eq!(events, vec![Event::Done(expected)], "{wire}");
        }
    }

    #[test]
    fn an_end_without_finish_is_garbled_with_finish_it_is_complete() {
        let (events, failure) = feed(&[delta(json!({"content":"hi"}), None)], false);
        assert_eq!(events, vec![Event::TextDelta("hi".into())]);
        assert!(matches!(
            failure.map(|f| f.error),
            Some(ProviderError::Garbled { .. })
        ));
        let (events, failure) = feed(&[delta(json!({"content":"hi"}), Some("stop"))], false);
        assert!(failure.is_none());
        assert_eq!(events.last(), Some(&Event::Done(StopReason::EndTurn)));
    }

    #[test]
    fn errors_inside_the_stream_map() {
        let (_, f) = feed(
            &[
                json!({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}),
            ],
            true,
        );
        assert!(matches!(
            f.map(|f| f.error),
            Some(ProviderError::SpendLimit { .. })
        ));
        let (_, f) = feed(
            &[json!({"error":{"message":"model crashed","type":"api_error"}})],
            true,
        );
        let f = f.map(|f| (f.error, f.retry));
        assert!(matches!(
            f,
            Some((ProviderError::Server { .. }, Retry::Backoff))
        ));
        let (_, f) = feed(&[json!("not an object")], true);
        assert!(matches!(
            f.map(|f| f.error),
            Some(ProviderError::Garbled { .. })
        ));
    }

    #[test]
    fn classify_maps_statuses() {
        let h = HeaderMap::new();
        let c = |code: u16, b: &str| {
            classify(
                NAME,
                StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT),
                &h,
                b.as_bytes(),
            )
        };
        let f = c(
            401,
            r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#,
        );
        let text = f.error.to_string();
        assert!(text.contains("OPENAI_API_KEY"), "{text}");
        assert!(
            text.contains(
                "HTTP 401 invalid_request_error/invalid_api_key: Incorrect API key provided"
            ),
            "{text}"
        );
        let f = c(
            429,
            r#"{"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
        );
        assert!(matches!(f.error, ProviderError::SpendLimit { .. }));
        assert_eq!(f.retry, Retry::No);
        let f = c(
            429,
            r#"{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}"#,
        );
        assert!(matches!(f.error, ProviderError::RateLimited { .. }));
        assert_eq!(f.retry, Retry::Backoff);
        let f = c(
            404,
            r#"{"error":{"message":"model \"qwen3\" not found, try pulling it first","type":"not_found_error"}}"#,
        );
        assert!(matches!(f.error, ProviderError::BadRequest { .. }));
        assert!(f.error.to_string().contains("try pulling it first"));
        assert_eq!(f.retry, Retry::No);
        assert_eq!(c(502, "bad gateway").retry, Retry::Backoff);
        assert!(matches!(c(503, "").error, ProviderError::Overloaded { .. }));
        assert!(
            c(400, r#"{"object":"error","message":"vllm says no"}"#)
                .error
                .to_string()
                .contains("vllm says no")
        );
        assert!(
            c(400, r#"{"error":"plain"}"#)
                .error
                .to_string()
                .contains("plain")
        );
        let keyless = classify_keyless(NAME, StatusCode::UNAUTHORIZED, &h, b"");
        assert!(keyless.error.to_string().contains("no key was sent"));
    }

    #[test]
    fn base_urls_accept_with_or_without_v1() {
        let url = |base: &str| {
            completions_url(base)
                .map(|(u, _)| u)
                .unwrap_or_else(|e| e.to_string())
        };
        assert_eq!(url(""), "https://api.openai.com/v1/chat/completions");
        assert_eq!(
            url("https://api.openai.com/v1"),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            url("http://localhost:11434"),
            "http://localhost:11434/v1/chat/completions"
        );
        assert_eq!(
            url("http://localhost:11434/"),
            "http://localhost:11434/v1/chat/completions"
        );
        assert_eq!(
            url("http://localhost:11434/v1/"),
            "http://localhost:11434/v1/chat/completions"
        );
        assert_eq!(
            url("https://api.groq.com/openai/v1"),
            "https://api.groq.com/openai/v1/chat/completions"
        );
        assert_eq!(
            url("https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"),
            "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"
        );
        assert_eq!(
            url("http://vllm:8000/v1beta"),
            "http://vllm:8000/v1beta/chat/completions"
        );
        // A host named like a version is not a version segment.
        assert_eq!(url("http://v1"), "http://v1/v1/chat/completions");
        assert!(completions_url("file:///tmp/x").is_err());
        assert_eq!(
            completions_url("https://api.openai.com")
                .map(|(_, o)| o)
                .ok(),
            Some(true)
        );
        assert_eq!(
            completions_url(OLLAMA_BASE_URL).map(|(_, o)| o).ok(),
            Some(false)
        );
    }

    #[test]
    fn the_token_limit_field_follows_the_server() {
        let turn = Turn {
            system: "s",
            tools: &[],
            messages: &[],
            max_tokens: 9,
        };
        let body = request_body("m", TokenLimit::MaxTokens, &turn);
        assert_eq!(body["max_tokens"], json!(9));
        assert!(body.get("max_completion_tokens").is_none());
        assert!(body.get("tools").is_none());
        let body = request_body("m", TokenLimit::MaxCompletionTokens, &turn);
        assert_eq!(body["max_completion_tokens"], json!(9));
        assert!(body.get("max_tokens").is_none());
        let official = OpenAiProvider::new(OpenAiConfig::new(None)).map(|p| p.token_limit);
        assert_eq!(official.ok(), Some(TokenLimit::MaxCompletionTokens));
        let local = OpenAiProvider::new(OpenAiConfig::ollama("qwen3")).map(|p| p.token_limit);
        assert_eq!(local.ok(), Some(TokenLimit::MaxTokens));
    }

    #[test]
    fn assistant_messages_with_only_calls_have_empty_not_null_content() {
        let messages = [Message {
            role: Role::Assistant,
            content: vec![Block::ToolUse {
                id: "call_1".into(),
                name: "x".into(),
                input: json!({INVALID_ARGUMENTS: "{oops"}),
            }],
        }];
        let turn = Turn {
            system: "",
            tools: &[],
            messages: &messages,
            max_tokens: 1,
        };
        let body = request_body("m", TokenLimit::MaxTokens, &turn);
        assert_eq!(
            body["messages"],
            json!([{"role":"assistant","content":"","tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"x","arguments":"{\"_invalid_arguments\":\"{oops\"}"}}
            ]}])
        );
    }

    #[test]
    fn debug_output_hides_the_key() {
        let key = "sk-proj-DEBUG-PLANTED-0000";
        let config = OpenAiConfig::new(Some(SecretString::from(key)));
        let provider = OpenAiProvider::new(config.clone());
        let text = format!("{config:?} {provider:?}");
        assert!(!text.contains(key), "{text}");
        assert!(provider.is_ok());
    }
}
