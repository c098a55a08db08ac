//! The full-screen console: terminal setup and teardown, the event loop, state, update,
//! views, theme and keymap.

pub mod keymap;
pub mod layout;
pub mod msg;
pub mod outline;
pub mod palette;
pub mod state;
pub mod theme;
pub mod update;
