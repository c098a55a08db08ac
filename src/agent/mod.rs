//! The agent: plain-language requests become proposed tool calls that run only when a
//! person confirms them, through the same ops pipeline and policy as a key press.
//!
//! - [`tools`]: the tool schemas (operations from `ops`, plus read tools), argument
//!   checking, the read tools themselves, and the results sent back to a model.
//! - [`Agent`] (in `session`): the loop. [`Agent::send`] runs model turns; read tools run at
//!   once, operation tools become [`Proposal`]s; [`Agent::decide`] answers them.
//! - [`offline`]: the deterministic planner used when no model is configured.
//! - [`providers`]: choosing and building a provider by name.

pub mod anthropic;
mod config_reads;
pub mod offline;
pub mod openai;
pub mod platform;
pub mod provider;
pub mod providers;
mod session;
mod sse;
pub mod tools;

pub use offline::Offline;
pub use platform::Platform;
pub use session::{
    Agent, AgentError, AgentEvent, Decision, MAX_TOKENS, MAX_TURNS, Pending, Proposal,
    system_prompt,
};
