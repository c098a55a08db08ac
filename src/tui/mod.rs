//! The full-screen console: terminal setup and teardown, the event loop, state, update,
//! views, theme and keymap.

pub mod clipboard;
pub mod data;
pub mod keymap;
pub mod layout;
pub mod logview;
pub mod memory;
pub mod modes;
pub mod msg;
pub mod operations;
pub mod outline;
pub mod overlay;
pub mod paint;
pub mod palette;
pub mod panes;
mod reads;
pub mod runtime;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod views;

pub use runtime::{Connector, Ended, Launch, run};
#[cfg(test)]
mod fixture;
pub mod snapshot;
