//! The agent: plain-language requests become proposed tool calls that run only when a
//! person confirms them, through the same ops pipeline and policy as a key press.

pub mod anthropic;
pub mod openai;
pub mod provider;
mod sse;
