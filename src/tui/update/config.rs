//! What the console does with the config view's keys and messages (the view itself is
//! `panes::config`).

use super::actions;
use crate::model::Address;
use crate::ops::{ConfigDiff, Kind, Request};
use crate::settings::KeyAction;
use crate::tui::msg::Effect;
use crate::tui::panes::config::{max_scroll, page_height};
use crate::tui::panes::{Handled, motion};
use crate::tui::state::{Screen, State};

/// The config key (`C`): the view of the tree selection's environment, or back to the
/// tree from it.
pub fn toggle(state: &mut State) -> Vec<Effect> {
    if state.screen == Screen::Config {
        state.screen = Screen::Tree;
        return Vec::new();
    }
    open(state)
}

/// The view of the tree selection's environment (an environment row, or a resource in it).
pub fn open(state: &mut State) -> Vec<Effect> {
    let place = actions::selection_address(state).and_then(|a| Some((a.project, a.environment?)));
    let Some((project, environment)) = place else {
        state.tell("select an environment or a resource in it first", true);
        return Vec::new();
    };
    open_at(state, &project, &environment)
}

/// The view of `project`/`environment`, read afresh.
pub fn open_at(state: &mut State, project: &str, environment: &str) -> Vec<Effect> {
    state.screen = Screen::Config;
    let context = state.context.name.clone();
    state.config.open(&context, project, environment)
}

/// A comparison came back: shown when it is of the environment the view shows.
pub fn on_read(
    state: &mut State,
    (context, project, environment): (String, String, String),
    result: Result<Box<ConfigDiff>, String>,
) -> Vec<Effect> {
    if context != state.context.name || !state.config.shows(&context, &project, &environment) {
        return Vec::new();
    }
    let effects = state.config.loaded(result.map(|d| *d));
    let most = max_scroll(state.config_look());
    state.config.scroll = state.config.scroll.min(most);
    effects
}

/// An operation ended: what it changed shows if the view is on screen.
pub fn on_operation_done(state: &mut State) -> Vec<Effect> {
    match state.screen {
        Screen::Config => state.config.changed(),
        _ => Vec::new(),
    }
}

/// A key in the view (the mode's table let it through).
pub fn on_key(state: &mut State, action: KeyAction) -> Handled {
    if let Some(delta) = motion(action, page_height(state.config_look())) {
        return Handled::Consumed(scroll_by(state, delta));
    }
    Handled::Consumed(match action {
        KeyAction::Refresh => state.config.load(),
        KeyAction::Apply => apply(state),
        _ => return Handled::Ignored,
    })
}

/// Scroll the view by `delta` lines, within it.
pub fn scroll_by(state: &mut State, delta: isize) -> Vec<Effect> {
    let most = max_scroll(state.config_look());
    state.config.scroll_by(delta, most);
    Vec::new()
}

/// Plan `config apply` of the view's environment: its preview and confirmation card.
fn apply(state: &mut State) -> Vec<Effect> {
    let pane = &state.config;
    let scope = Address::new(&pane.project, Some(&pane.environment), None);
    actions::plan(state, Request::new(Kind::ConfigApply, scope))
}
