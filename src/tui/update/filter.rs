//! The filter line of the table views (deployments, audit), as the console handles it.

use crossterm::event::KeyEvent;

use crate::tui::msg::Effect;
use crate::tui::panes::cursor::{FilterKey, FilterLine};
use crate::tui::state::State;

/// A key on the open filter line of a view: `line` finds the line in the state, `set`
/// filters by a new text, `move_by` moves the selection.
pub fn on_filter_key(
    state: &mut State,
    key: KeyEvent,
    line: fn(&mut State) -> &mut FilterLine,
    set: fn(&mut State, String),
    move_by: fn(&mut State, isize) -> Vec<Effect>,
) -> Vec<Effect> {
    match line(state).on_key(key) {
        FilterKey::Text(text) => {
            set(state, text);
            Vec::new()
        }
        FilterKey::Move(by) => move_by(state, by),
    }
}
