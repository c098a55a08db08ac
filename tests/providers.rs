//! The Anthropic and OpenAI-compatible providers against fake servers on loopback that
//! replay SSE transcripts written from `reference/apis/anthropic.md` and record every
//! request they receive.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use futures::StreamExt;
use pftui::agent::anthropic::{self, AnthropicConfig, AnthropicProvider};
use pftui::agent::openai::{self, OpenAiConfig, OpenAiProvider, TokenLimit};
use pftui::agent::provider::{
    Block, Event, Message, Provider, ProviderError, Role, StopReason, ToolSpec, Turn,
};
use secrecy::SecretString;
use serde_json::{Value, json};

const KEY: &str = "sk-ant-api03-PLANTED-KEY-7f3a9c1e5b";
const OPENAI_KEY: &str = "sk-proj-PLANTED-KEY-4d2b8e6a0c";

// ---------------------------------------------------------------------------------------
// The fake server
// ---------------------------------------------------------------------------------------

/// One scripted answer.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    /// Send the body in pieces of this many bytes (exercises the SSE decoder's buffering).
    chunk: Option<usize>,
}

impl Reply {
    fn sse(body: impl Into<String>) -> Self {
        Self {
            status: 200,
            headers: vec![("content-type", "text/event-stream".into())],
            body: body.into(),
            chunk: Some(7),
        }
    }

    fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.to_string(),
            chunk: None,
        }
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// A request the fake received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Shared {
    replies: Vec<Reply>,
    seen: Mutex<Vec<Seen>>,
}

/// A fake API on 127.0.0.1: answers the n-th request with the n-th reply (the last one
/// repeats), whatever the path, and records each request before answering it.
struct Fake {
    url: String,
    shared: Arc<Shared>,
}

impl Fake {
    async fn start(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty());
        let shared = Arc::new(Shared {
            replies,
            seen: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url: format!("http://{addr}"),
            shared,
        }
    }

    fn requests(&self) -> Vec<Seen> {
        self.shared.seen.lock().expect("lock").clone()
    }

    fn count(&self) -> usize {
        self.shared.seen.lock().expect("lock").len()
    }
}

async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let n = {
        let mut seen = shared.seen.lock().expect("lock");
        seen.push(Seen {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        v.to_str().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        });
        seen.len() - 1
    };
    let reply = &shared.replies[n.min(shared.replies.len() - 1)];
    let body = match reply.chunk {
        Some(size) => {
            let pieces: Vec<Result<Bytes, std::io::Error>> = reply
                .body
                .as_bytes()
                .chunks(size)
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect();
            Body::from_stream(futures::stream::iter(pieces))
        }
        None => Body::from(reply.body.clone()),
    };
    let mut response =
        Response::builder().status(StatusCode::from_u16(reply.status).expect("status"));
    for (name, value) in &reply.headers {
        response = response.header(*name, value);
    }
    response.body(body).expect("response")
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Retries without waiting (the waits themselves are unit-tested), and a one-second cap on
/// `retry-after`.
fn fast_retries() -> anthropic::RetryPolicy {
    anthropic::RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        max_retry_after: Duration::from_secs(1),
    }
}

fn claude(fake: &Fake) -> AnthropicProvider {
    claude_at(&fake.url)
}

fn claude_at(base: &str) -> AnthropicProvider {
    let config = AnthropicConfig::new(SecretString::from(KEY))
        .with_base_url(base)
        .with_model("claude-sonnet-4-6")
        .with_retry(fast_retries());
    AnthropicProvider::new(config).expect("provider builds")
}

fn gpt(fake: &Fake) -> OpenAiProvider {
    gpt_at(&fake.url, Some(OPENAI_KEY))
}

fn gpt_at(base: &str, key: Option<&str>) -> OpenAiProvider {
    let mut config = OpenAiConfig::new(key.map(SecretString::from))
        .with_base_url(base)
        .with_model("qwen3")
        .with_retry(fast_retries());
    config.token_limit = TokenLimit::MaxTokens;
    OpenAiProvider::new(config).expect("provider builds")
}

fn tools() -> Vec<ToolSpec> {
    vec![
        ToolSpec {
            name: "coolify_deploy".into(),
            description: "Trigger a Coolify deployment for one application.".into(),
            schema: json!({"type":"object","properties":{"app":{"type":"string"},"env":{"type":"string"}},"required":["app"]}),
        },
        ToolSpec {
            name: "coolify_app_details".into(),
            description: "One application's details.".into(),
            schema: json!({"type":"object","properties":{"app":{"type":"string"}},"required":["app"]}),
        },
    ]
}

const SYSTEM: &str = "You are pftui's ops assistant.";

/// One turn, collected; a stuck stream fails the test instead of hanging it.
async fn run(provider: &dyn Provider, messages: &[Message]) -> Vec<Result<Event, ProviderError>> {
    let tools = tools();
    let turn = Turn {
        system: SYSTEM,
        tools: &tools,
        messages,
        max_tokens: 1024,
    };
    tokio::time::timeout(
        Duration::from_secs(60),
        provider.stream(turn).collect::<Vec<_>>(),
    )
    .await
    .expect("the stream ends")
}

async fn ask(provider: &dyn Provider) -> Vec<Result<Event, ProviderError>> {
    run(provider, &[Message::user_text("Deploy web to staging")]).await
}

fn events(results: Vec<Result<Event, ProviderError>>) -> Vec<Event> {
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("unexpected error: {e}")))
        .collect()
}

/// The only error of a turn that failed, after the events that came before it.
fn failure(results: Vec<Result<Event, ProviderError>>) -> (Vec<Event>, ProviderError) {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(e) => {
                assert!(errors.is_empty(), "an event after the error: {e:?}");
                ok.push(e);
            }
            Err(e) => errors.push(e),
        }
    }
    assert_eq!(errors.len(), 1, "exactly one error: {errors:?}");
    (ok, errors.remove(0))
}

fn text(s: &str) -> Event {
    Event::TextDelta(s.to_string())
}

fn tool(id: &str, name: &str, input: Value) -> Event {
    Event::ToolUse {
        id: id.into(),
        name: name.into(),
        input,
    }
}

// ---------------------------------------------------------------------------------------
// Anthropic transcripts (from the reference's section 4)
// ---------------------------------------------------------------------------------------

const MESSAGE_START: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":849,"output_tokens":1}}}

"#;

const TEXT_ONLY: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":849,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type":"ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Deploying "}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"web to staging — déjà vu ✓"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}

event: message_stop
data: {"type":"message_stop"}

"#;

/// The reference transcript verbatim: text, then a tool_use whose JSON arrives in three
/// pieces, the first one empty.
const TOOL_IN_PIECES: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_01...","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":849,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type":"ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Deploying "}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01K...","name":"deploy_app","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"app\": \"we"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"b\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":47}}

event: message_stop
data: {"type":"message_stop"}

"#;

/// Two tool calls in one turn, the second without any input pieces.
const TWO_TOOLS: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":900,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01A","name":"coolify_deploy","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"app\":"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":" \"web\", \"env\": \"staging\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01B","name":"coolify_app_details","input":{}}}

event: ping
data: {"type":"ping"}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":61}}

event: message_stop
data: {"type":"message_stop"}

"#;

const TEXT_THEN_ERROR: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_03","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me check"}}

event: error
data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

"#;

fn overloaded_json() -> Value {
    json!({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"})
}

fn done_text() -> Vec<Event> {
    vec![
        text("Deploying "),
        text("web to staging — déjà vu ✓"),
        Event::Done(StopReason::EndTurn),
    ]
}

// ---------------------------------------------------------------------------------------
// Anthropic: streaming
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn anthropic_streams_text_and_sends_the_documented_request() {
    let fake = Fake::start(vec![Reply::sse(TEXT_ONLY)]).await;
    let provider = claude(&fake);
    assert_eq!(provider.name(), "anthropic");
    assert_eq!(provider.model(), "claude-sonnet-4-6");
    assert_eq!(events(ask(&provider).await), done_text());

    let seen = fake.requests();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/messages");
    assert_eq!(request.header("x-api-key"), Some(KEY));
    assert_eq!(request.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("authorization"), None);
    assert_eq!(
        request.body,
        json!({
            "model": "claude-sonnet-4-6",
            "max_tokens": 1024,
            "system": SYSTEM,
            "stream": true,
            "tools": [
                {"name": "coolify_deploy",
                 "description": "Trigger a Coolify deployment for one application.",
                 "input_schema": {"type":"object","properties":{"app":{"type":"string"},"env":{"type":"string"}},"required":["app"]}},
                {"name": "coolify_app_details",
                 "description": "One application's details.",
                 "input_schema": {"type":"object","properties":{"app":{"type":"string"}},"required":["app"]}}
            ],
            "messages": [{"role": "user", "content": [{"type": "text", "text": "Deploy web to staging"}]}]
        })
    );
}

#[tokio::test]
async fn anthropic_assembles_a_tool_call_from_pieces() {
    let fake = Fake::start(vec![Reply::sse(TOOL_IN_PIECES)]).await;
    assert_eq!(
        events(ask(&claude(&fake)).await),
        vec![
            text("Deploying "),
            tool("toolu_01K...", "deploy_app", json!({"app": "web"})),
            Event::Done(StopReason::ToolUse),
        ]
    );
}

#[tokio::test]
async fn anthropic_reads_a_transcript_sent_byte_by_byte_with_crlf() {
    let mut reply = Reply::sse(TOOL_IN_PIECES.replace('\n', "\r\n"));
    reply.chunk = Some(1);
    let fake = Fake::start(vec![reply]).await;
    let got = events(ask(&claude(&fake)).await);
    assert_eq!(
        got[1],
        tool("toolu_01K...", "deploy_app", json!({"app": "web"}))
    );
}

#[tokio::test]
async fn anthropic_emits_two_tool_calls_in_order() {
    let fake = Fake::start(vec![Reply::sse(TWO_TOOLS)]).await;
    assert_eq!(
        events(ask(&claude(&fake)).await),
        vec![
            tool(
                "toolu_01A",
                "coolify_deploy",
                json!({"app": "web", "env": "staging"})
            ),
            tool("toolu_01B", "coolify_app_details", json!({})),
            Event::Done(StopReason::ToolUse),
        ]
    );
}

#[tokio::test]
async fn anthropic_error_event_after_text_fails_the_turn_without_retry() {
    let fake = Fake::start(vec![Reply::sse(TEXT_THEN_ERROR), Reply::sse(TEXT_ONLY)]).await;
    let (before, error) = failure(ask(&claude(&fake)).await);
    assert_eq!(before, vec![text("Let me check")]);
    assert!(
        matches!(&error, ProviderError::Overloaded { provider, message }
            if provider == "anthropic" && message.contains("Overloaded")),
        "{error:?}"
    );
    assert_eq!(fake.count(), 1, "text was shown: no retry");
}

#[tokio::test]
async fn anthropic_error_event_before_any_content_is_retried() {
    let early_error = format!(
        "{MESSAGE_START}event: error\ndata: {}\n\n",
        overloaded_json()
    );
    let fake = Fake::start(vec![Reply::sse(early_error), Reply::sse(TEXT_ONLY)]).await;
    assert_eq!(events(ask(&claude(&fake)).await), done_text());
    assert_eq!(fake.count(), 2);
}

#[tokio::test]
async fn anthropic_truncated_stream_is_garbled() {
    // Cut after the first text delta: no content_block_stop, no message_stop.
    let cut = TEXT_ONLY
        .find("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"web")
        .expect("transcript has the second delta");
    let fake = Fake::start(vec![Reply::sse(&TEXT_ONLY[..cut])]).await;
    let (before, error) = failure(ask(&claude(&fake)).await);
    assert_eq!(before, vec![text("Deploying ")]);
    assert!(
        matches!(&error, ProviderError::Garbled { detail, .. } if detail.contains("message_stop")),
        "{error:?}"
    );
    assert_eq!(fake.count(), 1);

    // Cut in the middle of a line, before anything was shown: garbled too (never retried).
    let cut = TEXT_ONLY.find("\"Deploying").expect("text");
    let fake = Fake::start(vec![Reply::sse(&TEXT_ONLY[..cut])]).await;
    let (before, error) = failure(ask(&claude(&fake)).await);
    assert!(before.is_empty());
    assert!(matches!(error, ProviderError::Garbled { .. }), "{error:?}");
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn anthropic_json_instead_of_a_stream_is_garbled() {
    let fake = Fake::start(vec![Reply::json(200, json!({"id":"msg_1","content":[]}))]).await;
    let (_, error) = failure(ask(&claude(&fake)).await);
    assert!(
        matches!(&error, ProviderError::Garbled { detail, .. } if detail.contains("event stream")),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Anthropic: HTTP errors and retries
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn anthropic_429_waits_for_retry_after_then_succeeds() {
    let fake = Fake::start(vec![
        Reply::json(429, json!({"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}))
            .header("retry-after", "0"),
        Reply::sse(TEXT_ONLY),
    ])
    .await;
    assert_eq!(events(ask(&claude(&fake)).await), done_text());
    let seen = fake.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].body, seen[1].body, "the same request is sent again");
}

#[tokio::test]
async fn anthropic_429_asking_for_too_long_a_wait_fails_at_once() {
    let fake = Fake::start(vec![
        Reply::json(
            429,
            json!({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}),
        )
        .header("retry-after", "30"),
        Reply::sse(TEXT_ONLY),
    ])
    .await;
    let (_, error) = failure(ask(&claude(&fake)).await);
    assert_eq!(
        error,
        ProviderError::RateLimited {
            provider: "anthropic".into(),
            message: "HTTP 429 rate_limit_error: slow down".into(),
            retry_after: Some(Duration::from_secs(30)),
        }
    );
    assert!(error.to_string().contains("retry in 30s"));
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn anthropic_529_twice_then_success() {
    let fake = Fake::start(vec![
        Reply::json(529, overloaded_json()),
        Reply::json(529, overloaded_json()),
        Reply::sse(TEXT_ONLY),
    ])
    .await;
    assert_eq!(events(ask(&claude(&fake)).await), done_text());
    assert_eq!(fake.count(), 3);
}

#[tokio::test]
async fn anthropic_529_always_is_overloaded_after_the_retries() {
    let fake = Fake::start(vec![Reply::json(529, overloaded_json())]).await;
    let (_, error) = failure(ask(&claude(&fake)).await);
    assert!(
        matches!(&error, ProviderError::Overloaded { message, .. }
            if message.contains("overloaded_error") && message.contains("req_011CSHoEeqs5C35K2UUqR7Fy")),
        "{error:?}"
    );
    assert_eq!(fake.count(), 3, "one request and two retries");
}

#[tokio::test]
async fn anthropic_500_is_retried() {
    let fake = Fake::start(vec![
        Reply::json(
            500,
            json!({"type":"error","error":{"type":"api_error","message":"Internal server error"}}),
        ),
        Reply::sse(TEXT_ONLY),
    ])
    .await;
    assert_eq!(events(ask(&claude(&fake)).await), done_text());
    assert_eq!(fake.count(), 2);
}

#[tokio::test]
async fn anthropic_spend_limit_is_not_retried() {
    let fake = Fake::start(vec![
        Reply::json(429, json!({"type":"error","error":{"type":"rate_limit_error","message":"You have reached your specified workspace API usage limits.","details":{"error_code":"enforced_spend_limit_reached"}}}))
            .header("retry-after", "0"),
        Reply::sse(TEXT_ONLY),
    ])
    .await;
    let (_, error) = failure(ask(&claude(&fake)).await);
    assert!(
        matches!(&error, ProviderError::SpendLimit { message, .. } if message.contains("usage limits")),
        "{error:?}"
    );
    assert!(error.to_string().contains("spend limit"));
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn anthropic_402_billing_is_a_spend_limit() {
    let fake = Fake::start(vec![Reply::json(
        402,
        json!({"type":"error","error":{"type":"billing_error","message":"Your credit balance is too low"}}),
    )])
    .await;
    let (_, error) = failure(ask(&claude(&fake)).await);
    assert!(
        matches!(error, ProviderError::SpendLimit { .. }),
        "{error:?}"
    );
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn anthropic_401_is_unauthorized_names_the_variable_and_not_the_key() {
    let fake = Fake::start(vec![Reply::json(
        401,
        json!({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}),
    )])
    .await;
    let (_, error) = failure(ask(&claude(&fake)).await);
    assert!(
        matches!(error, ProviderError::Unauthorized { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("ANTHROPIC_API_KEY"), "{message}");
    assert!(message.contains("invalid x-api-key"), "{message}");
    assert!(!message.contains(KEY));
    assert!(!format!("{error:?}").contains(KEY));
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn anthropic_other_4xx_are_not_retried() {
    for (status, kind) in [
        (400, "invalid_request_error"),
        (404, "not_found_error"),
        (413, "request_too_large"),
        (409, "conflict"),
    ] {
        let fake = Fake::start(vec![
            Reply::json(
                status,
                json!({"type":"error","error":{"type":kind,"message":"no"}}),
            ),
            Reply::sse(TEXT_ONLY),
        ])
        .await;
        let (_, error) = failure(ask(&claude(&fake)).await);
        assert!(
            matches!(error, ProviderError::BadRequest { .. }),
            "{status}: {error:?}"
        );
        assert_eq!(fake.count(), 1, "{status}");
    }
}

#[tokio::test]
async fn anthropic_unreachable_server_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let provider = claude_at(&format!("http://{addr}"));
    let (_, error) = failure(ask(&provider).await);
    assert!(
        matches!(&error, ProviderError::Connect { url, .. } if url.ends_with("/v1/messages")),
        "{error:?}"
    );
}

#[tokio::test]
async fn anthropic_base_url_with_v1_and_slash_still_posts_to_v1_messages() {
    let fake = Fake::start(vec![Reply::sse(TEXT_ONLY)]).await;
    let provider = claude_at(&format!("{}/v1/", fake.url));
    assert_eq!(provider.endpoint(), format!("{}/v1/messages", fake.url));
    events(ask(&provider).await);
    assert_eq!(fake.requests()[0].path, "/v1/messages");
}

// ---------------------------------------------------------------------------------------
// Anthropic: the tool loop's request
// ---------------------------------------------------------------------------------------

fn tool_round_trip() -> Vec<Message> {
    vec![
        Message::user_text("Deploy web to staging and show me wbe"),
        Message {
            role: Role::Assistant,
            content: vec![
                Block::Text("I'll deploy it.".into()),
                Block::ToolUse {
                    id: "toolu_01A".into(),
                    name: "coolify_deploy".into(),
                    input: json!({"app": "web", "env": "staging"}),
                },
                Block::ToolUse {
                    id: "toolu_01B".into(),
                    name: "coolify_app_details".into(),
                    input: json!({"app": "wbe"}),
                },
            ],
        },
        Message {
            role: Role::User,
            content: vec![
                Block::ToolResult {
                    id: "toolu_01A".into(),
                    content: "deployment 42 queued".into(),
                    is_error: false,
                },
                Block::ToolResult {
                    id: "toolu_01B".into(),
                    content: "app 'wbe' not found".into(),
                    is_error: true,
                },
            ],
        },
    ]
}

#[tokio::test]
async fn anthropic_tool_round_trip_request_is_exact() {
    let fake = Fake::start(vec![Reply::sse(TEXT_ONLY)]).await;
    events(run(&claude(&fake), &tool_round_trip()).await);
    let body = &fake.requests()[0].body;
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": [
                {"type": "text", "text": "Deploy web to staging and show me wbe"}
            ]},
            {"role": "assistant", "content": [
                {"type": "text", "text": "I'll deploy it."},
                {"type": "tool_use", "id": "toolu_01A", "name": "coolify_deploy",
                 "input": {"app": "web", "env": "staging"}},
                {"type": "tool_use", "id": "toolu_01B", "name": "coolify_app_details",
                 "input": {"app": "wbe"}}
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01A",
                 "content": "deployment 42 queued"},
                {"type": "tool_result", "tool_use_id": "toolu_01B",
                 "content": "app 'wbe' not found", "is_error": true}
            ]}
        ])
    );
    assert_eq!(body["system"], json!(SYSTEM));
    assert_eq!(body["stream"], json!(true));
    assert_eq!(body["tools"].as_array().map(Vec::len), Some(2));
}

// ---------------------------------------------------------------------------------------
// OpenAI-compatible
// ---------------------------------------------------------------------------------------

fn chunk(delta: Value, finish: Option<&str>) -> String {
    let chunk = json!({"id":"chatcmpl-838","object":"chat.completion.chunk","created":1744438886,
        "model":"qwen3","system_fingerprint":"fp_ollama",
        "choices":[{"index":0,"delta":delta,"finish_reason":finish}]});
    format!("data: {chunk}\n\n")
}

fn openai_stream(chunks: &[String]) -> String {
    let mut out: String = chunks.concat();
    out.push_str("data: [DONE]\n\n");
    out
}

fn openai_text() -> String {
    openai_stream(&[
        chunk(json!({"role":"assistant","content":""}), None),
        chunk(json!({"content":"Deploying "}), None),
        chunk(json!({"content":"web."}), None),
        chunk(json!({}), Some("stop")),
        // stream_options.include_usage adds a last chunk without choices.
        format!(
            "data: {}\n\n",
            json!({"id":"chatcmpl-838","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":80,"completion_tokens":20,"total_tokens":100}})
        ),
    ])
}

fn openai_done_text() -> Vec<Event> {
    vec![
        text("Deploying "),
        text("web."),
        Event::Done(StopReason::EndTurn),
    ]
}

#[tokio::test]
async fn openai_streams_text_and_sends_the_documented_request() {
    let fake = Fake::start(vec![Reply::sse(openai_text())]).await;
    let provider = gpt(&fake);
    assert_eq!(provider.name(), "openai");
    assert_eq!(provider.model(), "qwen3");
    assert_eq!(events(ask(&provider).await), openai_done_text());
    let seen = fake.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/v1/chat/completions");
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {OPENAI_KEY}").as_str())
    );
    assert_eq!(
        seen[0].body,
        json!({
            "model": "qwen3",
            "stream": true,
            "max_tokens": 1024,
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": "Deploy web to staging"}
            ],
            "tools": [
                {"type": "function", "function": {
                    "name": "coolify_deploy",
                    "description": "Trigger a Coolify deployment for one application.",
                    "parameters": {"type":"object","properties":{"app":{"type":"string"},"env":{"type":"string"}},"required":["app"]}}},
                {"type": "function", "function": {
                    "name": "coolify_app_details",
                    "description": "One application's details.",
                    "parameters": {"type":"object","properties":{"app":{"type":"string"}},"required":["app"]}}}
            ]
        })
    );
}

#[tokio::test]
async fn openai_assembles_interleaved_tool_call_fragments_by_index() {
    let body = openai_stream(&[
        chunk(json!({"role":"assistant","content":null}), None),
        chunk(
            json!({"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"coolify_deploy","arguments":""}}]}),
            None,
        ),
        chunk(
            json!({"tool_calls":[{"index":1,"id":"call_def","type":"function","function":{"name":"coolify_app_details","arguments":"{\"ap"}}]}),
            None,
        ),
        chunk(
            json!({"tool_calls":[{"index":0,"function":{"arguments":"{\"app\": \"we"}}]}),
            None,
        ),
        chunk(
            json!({"tool_calls":[{"index":1,"function":{"arguments":"p\": \"wbe\"}"}}]}),
            None,
        ),
        chunk(
            json!({"tool_calls":[{"index":0,"function":{"arguments":"b\", \"env\": \"staging\"}"}}]}),
            None,
        ),
        chunk(json!({}), Some("tool_calls")),
    ]);
    let fake = Fake::start(vec![Reply::sse(body)]).await;
    assert_eq!(
        events(ask(&gpt(&fake)).await),
        vec![
            tool(
                "call_abc",
                "coolify_deploy",
                json!({"app": "web", "env": "staging"})
            ),
            tool("call_def", "coolify_app_details", json!({"app": "wbe"})),
            Event::Done(StopReason::ToolUse),
        ]
    );
}

#[tokio::test]
async fn openai_invalid_arguments_arrive_marked_for_an_error_result() {
    let body = openai_stream(&[
        chunk(
            json!({"tool_calls":[{"index":0,"id":"call_bad","type":"function","function":{"name":"coolify_deploy","arguments":"{\"app\": web"}}]}),
            None,
        ),
        chunk(json!({}), Some("tool_calls")),
    ]);
    let fake = Fake::start(vec![Reply::sse(body)]).await;
    let got = events(ask(&gpt(&fake)).await);
    assert_eq!(
        got,
        vec![
            tool(
                "call_bad",
                "coolify_deploy",
                json!({"_invalid_arguments": "{\"app\": web"})
            ),
            Event::Done(StopReason::ToolUse),
        ]
    );
    let Event::ToolUse { input, .. } = &got[0] else {
        unreachable!()
    };
    assert_eq!(openai::invalid_arguments(input), Some("{\"app\": web"));
    assert_eq!(openai::INVALID_ARGUMENTS, anthropic::INVALID_ARGUMENTS);
}

#[tokio::test]
async fn openai_tool_results_request_is_exact() {
    let fake = Fake::start(vec![Reply::sse(openai_text())]).await;
    let mut messages = tool_round_trip();
    // A user message may carry text after its results.
    messages[2]
        .content
        .push(Block::Text("Then tell me.".into()));
    events(run(&gpt(&fake), &messages).await);
    assert_eq!(
        fake.requests()[0].body["messages"],
        json!([
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": "Deploy web to staging and show me wbe"},
            {"role": "assistant", "content": "I'll deploy it.", "tool_calls": [
                {"id": "toolu_01A", "type": "function",
                 "function": {"name": "coolify_deploy", "arguments": "{\"app\":\"web\",\"env\":\"staging\"}"}},
                {"id": "toolu_01B", "type": "function",
                 "function": {"name": "coolify_app_details", "arguments": "{\"app\":\"wbe\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "toolu_01A", "content": "deployment 42 queued"},
            {"role": "tool", "tool_call_id": "toolu_01B", "content": "ERROR: app 'wbe' not found"},
            {"role": "user", "content": "Then tell me."}
        ])
    );
}

#[tokio::test]
async fn openai_429_then_success() {
    let fake = Fake::start(vec![
        Reply::json(
            429,
            json!({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}),
        )
        .header("retry-after", "1")
        .header("retry-after-ms", "0"),
        Reply::sse(openai_text()),
    ])
    .await;
    assert_eq!(events(ask(&gpt(&fake)).await), openai_done_text());
    assert_eq!(fake.count(), 2);
}

#[tokio::test]
async fn openai_5xx_is_retried_then_reported() {
    let fake = Fake::start(vec![Reply::json(
        500,
        json!({"error":{"message":"The server had an error","type":"server_error"}}),
    )])
    .await;
    let (_, error) = failure(ask(&gpt(&fake)).await);
    assert!(
        matches!(&error, ProviderError::Server { provider, .. } if provider == "openai"),
        "{error:?}"
    );
    assert_eq!(fake.count(), 3);
}

#[tokio::test]
async fn openai_insufficient_quota_is_a_spend_limit_without_retry() {
    let fake = Fake::start(vec![Reply::json(
        429,
        json!({"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}),
    )])
    .await;
    let (_, error) = failure(ask(&gpt(&fake)).await);
    assert!(
        matches!(error, ProviderError::SpendLimit { .. }),
        "{error:?}"
    );
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn openai_without_a_key_sends_no_authorization_and_accepts_a_v1_base() {
    let fake = Fake::start(vec![Reply::sse(openai_text())]).await;
    let provider = gpt_at(&format!("{}/v1", fake.url), None);
    assert_eq!(events(ask(&provider).await), openai_done_text());
    let seen = fake.requests();
    assert_eq!(seen[0].path, "/v1/chat/completions");
    assert_eq!(seen[0].header("authorization"), None);
}

#[tokio::test]
async fn openai_stream_cut_before_finish_is_garbled() {
    let body = [
        chunk(json!({"content":"Deploying "}), None),
        chunk(json!({"content":"web"}), None),
    ]
    .concat();
    let fake = Fake::start(vec![Reply::sse(body)]).await;
    let (before, error) = failure(ask(&gpt(&fake)).await);
    assert_eq!(before, vec![text("Deploying "), text("web")]);
    assert!(matches!(error, ProviderError::Garbled { .. }), "{error:?}");
}

#[tokio::test]
async fn openai_error_chunk_mid_stream_fails_the_turn() {
    let body = [
        chunk(json!({"content":"Deploying "}), None),
        format!(
            "data: {}\n\n",
            json!({"error":{"message":"model runner has unexpectedly stopped","type":"api_error"}})
        ),
    ]
    .concat();
    let fake = Fake::start(vec![Reply::sse(body)]).await;
    let (before, error) = failure(ask(&gpt(&fake)).await);
    assert_eq!(before, vec![text("Deploying ")]);
    assert!(
        matches!(&error, ProviderError::Server { message, .. } if message.contains("unexpectedly stopped")),
        "{error:?}"
    );
    assert_eq!(fake.count(), 1);
}

// ---------------------------------------------------------------------------------------
// The key never shows
// ---------------------------------------------------------------------------------------

/// Servers that repeat the key back in every way they can: error bodies, mid-stream errors,
/// garbage in the stream.
fn echoing_replies(key: &str) -> Vec<Vec<Reply>> {
    let said = format!("invalid key {key} (you sent {key})");
    vec![
        vec![Reply::json(
            401,
            json!({"type":"error","error":{"type":"authentication_error","message":said}}),
        )],
        vec![Reply::json(
            403,
            json!({"error":{"message":said,"type":"permission_error"}}),
        )],
        vec![Reply::json(
            400,
            json!({"type":"error","error":{"type":"invalid_request_error","message":said}}),
        )],
        vec![Reply::json(402, json!({"error": said}))],
        vec![
            Reply::json(
                429,
                json!({"type":"error","error":{"type":"rate_limit_error","message":said}}),
            )
            .header("retry-after", "99"),
        ],
        vec![Reply::json(
            529,
            json!({"error":{"type":"overloaded_error","message":said}}),
        )],
        vec![Reply::json(500, json!({"detail": said}))],
        vec![Reply::json(502, json!(said))],
        vec![Reply {
            status: 503,
            headers: vec![("content-type", "text/html".into())],
            body: format!("<html>{said}</html>"),
            chunk: None,
        }],
        vec![Reply::sse(format!(
            "{MESSAGE_START}event: error\ndata: {}\n\n",
            json!({"type":"error","error":{"type":"invalid_request_error","message":said}})
        ))],
        vec![Reply::sse(format!(
            "data: {}\n\n",
            json!({"error":{"message":said,"type":"invalid_request_error"}})
        ))],
        vec![Reply::sse(format!(
            "event: message_start\ndata: {said}\n\n"
        ))],
        vec![Reply::json(200, json!({"echo": said}))],
    ]
}

#[tokio::test]
async fn a_planted_key_is_in_no_error_and_no_debug_output() {
    let mut checked = 0;
    for (key, anthropic_side) in [(KEY, true), (OPENAI_KEY, false)] {
        for replies in echoing_replies(key) {
            let fake = Fake::start(replies).await;
            let results = if anthropic_side {
                let provider = claude(&fake);
                assert!(!format!("{provider:?}").contains(key));
                ask(&provider).await
            } else {
                let provider = gpt(&fake);
                assert!(!format!("{provider:?}").contains(key));
                ask(&provider).await
            };
            let errors: Vec<ProviderError> = results.into_iter().filter_map(Result::err).collect();
            assert_eq!(errors.len(), 1, "every echoing server fails the turn");
            for error in errors {
                let shown = format!("{error} | {error:?}");
                assert!(!shown.contains(key), "key leaked: {shown}");
                assert!(shown.contains("[redacted]"), "the echo was masked: {shown}");
                checked += 1;
            }
            // The fake did receive the key: it was planted where it belongs.
            let seen = fake.requests();
            let sent = seen[0]
                .header("x-api-key")
                .or(seen[0].header("authorization"))
                .unwrap_or_default()
                .to_string();
            assert!(sent.contains(key));
        }
    }
    assert_eq!(checked, 2 * echoing_replies(KEY).len());

    // Configs, providers and connection failures.
    let anthropic_config = AnthropicConfig::new(SecretString::from(KEY));
    let openai_config = OpenAiConfig::new(Some(SecretString::from(OPENAI_KEY)));
    let shown = format!("{anthropic_config:?} {openai_config:?}");
    assert!(
        !shown.contains(KEY) && !shown.contains(OPENAI_KEY),
        "{shown}"
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    for results in [
        ask(&claude_at(&format!("http://{addr}"))).await,
        ask(&gpt_at(&format!("http://{addr}"), Some(OPENAI_KEY))).await,
    ] {
        for error in results.into_iter().filter_map(Result::err) {
            let shown = format!("{error} | {error:?}");
            assert!(
                !shown.contains(KEY) && !shown.contains(OPENAI_KEY),
                "{shown}"
            );
        }
    }
}

#[tokio::test]
async fn retries_stop_at_the_first_event_even_when_the_server_queue_holds_more() {
    // A stream that shows text and then dies is not retried, even though the fake would
    // answer a second request happily: the caller has already shown the text.
    let cut = TEXT_ONLY.find("event: message_delta").expect("delta");
    let fake = Fake::start(vec![Reply::sse(&TEXT_ONLY[..cut]), Reply::sse(TEXT_ONLY)]).await;
    let (before, error) = failure(ask(&claude(&fake)).await);
    assert_eq!(before.len(), 2);
    assert!(matches!(error, ProviderError::Garbled { .. }));
    assert_eq!(fake.count(), 1);
}
