//! What every model provider speaks: a conversation in, a stream of events out. The
//! providers (offline planner, Anthropic Messages, OpenAI-compatible chat) map this onto
//! their wire formats; the agent loop never sees those.

use std::time::Duration;

use futures::stream::BoxStream;
use serde_json::Value;

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Assistant,
}

/// One piece of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Text(String),
    /// The model asks for a tool call.
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
    /// The answer to a tool call, sent back in the next user message.
    ToolResult {
        id: String,
        content: String,
        is_error: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: Role,
    pub content: Vec<Block>,
}

impl Message {
    pub fn user_text(text: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: vec![Block::Text(text.into())],
        }
    }
}

/// A tool the model may call: its name (`coolify_deploy`, ...), what it does, and the JSON
/// schema of its input.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub schema: Value,
}

/// One model turn to run.
#[derive(Debug, Clone, Copy)]
pub struct Turn<'a> {
    pub system: &'a str,
    pub tools: &'a [ToolSpec],
    /// Alternating user and assistant messages, starting and ending with a user message.
    pub messages: &'a [Message],
    pub max_tokens: u32,
}

/// What a provider streams back for one turn, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A piece of the answer's text.
    TextDelta(String),
    /// A complete tool call (its input assembled and parsed).
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
    /// The turn is over.
    Done(StopReason),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The model finished its answer.
    EndTurn,
    /// The model waits for tool results.
    ToolUse,
    /// The answer was cut off (a tool call in it may be incomplete: do not run it).
    MaxTokens,
    Other(String),
}

/// Why a turn failed. Messages never contain the API key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    #[error(
        "the {provider} API key was rejected ({message}): check {var} or run `pftui login --service {provider}`"
    )]
    Unauthorized {
        provider: String,
        var: String,
        message: String,
    },
    #[error(
        "{provider}'s spend limit is reached ({message}): raise it in the provider's console, or use --provider offline"
    )]
    SpendLimit { provider: String, message: String },
    #[error("{provider} is rate limiting ({message}){}", retry_text(.retry_after))]
    RateLimited {
        provider: String,
        message: String,
        retry_after: Option<Duration>,
    },
    #[error("{provider} is overloaded ({message}); try again in a moment")]
    Overloaded { provider: String, message: String },
    #[error("{provider} refused the request: {message}")]
    BadRequest { provider: String, message: String },
    #[error("{provider} failed: {message}")]
    Server { provider: String, message: String },
    #[error("cannot reach {provider} at {url}: {detail}")]
    Connect {
        provider: String,
        url: String,
        detail: String,
    },
    /// The answer could not be understood (garbage, a truncated stream, bad tool JSON).
    #[error("{provider} sent something pftui cannot read: {detail}")]
    Garbled { provider: String, detail: String },
}

fn retry_text(after: &Option<Duration>) -> String {
    match after {
        Some(d) => format!("; retry in {}s", d.as_secs()),
        None => String::new(),
    }
}

/// A model provider.
pub trait Provider: Send + Sync {
    /// `offline`, `anthropic` or `openai`.
    fn name(&self) -> &str;
    /// The model that answers (`claude-sonnet-4-6`, `qwen3`, `offline planner`).
    fn model(&self) -> &str;
    /// Run one turn. Retries (429, 5xx, 529) happen inside, before the first event.
    fn stream<'a>(&'a self, turn: Turn<'a>) -> BoxStream<'a, Result<Event, ProviderError>>;
}

/// A read's result: what goes back to the model, and one line for a person.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOutput {
    pub content: String,
    pub summary: String,
}
