//! pftui: a terminal operations console and scriptable CLI for the PF-CORE platform on Coolify.

pub mod coolify;
pub mod model;
pub mod sim;
