//! The action pipeline. Every operation runs through a [`Session`]: one Coolify server
//! reached with one credential, whoever asked (a key, the CLI, the agent).

mod session;

pub use session::{Session, Target};
