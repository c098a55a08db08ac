//! Pane components: each owns its state, answers a key with [`Handled`] (consumed, with the
//! effects it asks for, or ignored, for the layer below to try), takes the messages meant
//! for it, and draws itself.

pub mod agent;
pub mod audit;
pub mod batch;
pub mod config;
pub mod confirm;
pub mod cursor;
pub mod env;
pub mod history;
pub mod log;
pub mod pipeline;
pub mod servers;
pub mod table;
pub mod tree;

use super::msg::Effect;
use super::paint::Paint;
use crate::settings::KeyAction;

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

/// How far a moving key moves in a list whose page is `page` rows; `None` for any other key.
pub fn motion(action: KeyAction, page: usize) -> Option<isize> {
    let page = isize::try_from(page.max(1)).unwrap_or(isize::MAX);
    match action {
        KeyAction::Up => Some(-1),
        KeyAction::Down => Some(1),
        KeyAction::PageUp => Some(-page),
        KeyAction::PageDown => Some(page),
        KeyAction::Top => Some(isize::MIN / 2),
        KeyAction::Bottom => Some(isize::MAX / 2),
        _ => None,
    }
}

/// `current` moved by `delta` within a list of `len`.
pub fn step(current: usize, delta: isize, len: usize) -> usize {
    (current as isize)
        .saturating_add(delta)
        .clamp(0, len.saturating_sub(1) as isize) as usize
}

/// What a view of the whole platform is drawn with: its pane and what lies outside it.
pub struct Look<'a, P> {
    pub pane: &'a P,
    pub paint: Paint<'a>,
    /// Nothing covers the view: the part with the keyboard shows it.
    pub focused: bool,
    /// The terminal's size.
    pub size: (u16, u16),
}

// Copied whatever the pane is: it holds a reference to it.
impl<P> Clone for Look<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Look<'_, P> {}
