//! Pane components: each owns its state, answers a key with [`Handled`] (consumed, with the
//! effects it asks for, or ignored, for the layer below to try), takes the messages meant
//! for it, and draws itself.

pub mod audit;
pub mod confirm;
pub mod cursor;
pub mod env;
pub mod pipeline;
pub mod table;
pub mod tree;

use super::msg::Effect;

pub mod deployments;
pub mod details;

/// What a component did with a key.
#[derive(Debug, PartialEq)]
pub enum Handled {
    Consumed(Vec<Effect>),
    Ignored,
}

impl Handled {
    /// The effects asked for; none when the key was ignored.
    pub fn effects(self) -> Vec<Effect> {
        match self {
            Self::Consumed(effects) => effects,
            Self::Ignored => Vec::new(),
        }
    }
}
