//! pftui: a terminal operations console and scriptable CLI for the PF-CORE platform on Coolify.

pub mod agent;
pub mod audit;
pub mod cli;
pub mod config;
pub mod coolify;
pub mod github;
pub mod http;
pub mod model;
pub mod ops;
pub mod secrets;
pub mod settings;
pub mod sim;
pub mod tui;
