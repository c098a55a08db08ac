//! What the console does with the deployments view's keys and messages (the view itself is
//! `panes::deployments`).

use std::collections::BTreeSet;

use crossterm::event::{KeyCode, KeyEvent};

use super::{actions, logs};
use crate::model::Deployment;
use crate::model::board::{BoardRead, BoardRow};
use crate::ops::BoardLimits;
use crate::settings::KeyAction;
use crate::tui::layout;
use crate::tui::msg::Effect;
use crate::tui::panes::Handled;
use crate::tui::panes::deployments::Deployments;
use crate::tui::panes::table::{Cursor, FilterLine};
use crate::tui::state::{Lower, Pane, Screen, State};

/// Rows of the table the screen shows at its size (borders, the column titles and the
/// line for what could not be read aside).
pub fn page_height(state: &State) -> usize {
    let areas = layout::areas(state.size.0, state.size.1);
    usize::from(areas.left.height.saturating_sub(4)).max(1)
}

/// Switch to the view and read the board.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Deployments;
    forget_other_context(state);
    let pane = &mut state.deployments;
    pane.seen = running_seen(&state.data.deploying);
    load(state, Vec::new())
}

/// Read the board: the applications in `only` (and those deploying) when given, otherwise
/// as many as one read takes, in the board's order.
fn load(state: &mut State, only: Vec<String>) -> Vec<Effect> {
    let pane = &mut state.deployments;
    if pane.loading {
        pane.dirty.extend(only);
        return Vec::new();
    }
    pane.loading = true;
    pane.context = state.context.name.clone();
    let (order, limits) = if only.is_empty() {
        (
            pane.board.reading_order(&state.data.tree),
            BoardLimits::default(),
        )
    } else {
        let limits = BoardLimits {
            applications: only.len() + state.data.deploying.len(),
            ..BoardLimits::default()
        };
        (only, limits)
    };
    vec![Effect::LoadBoard {
        tree: Box::new(state.data.tree.clone()),
        order,
        limits,
    }]
}

fn forget_other_context(state: &mut State) {
    if state.deployments.context != state.context.name {
        state.deployments = Deployments {
            context: state.context.name.clone(),
            ..Deployments::default()
        };
    }
}

/// What a read of the board brought.
pub fn on_board(
    state: &mut State,
    context: String,
    result: Result<Box<BoardRead>, String>,
) -> Vec<Effect> {
    if context != state.context.name || context != state.deployments.context {
        return Vec::new();
    }
    let height = page_height(state);
    let pane = &mut state.deployments;
    pane.loading = false;
    pane.loaded = true;
    let keep = pane.selected_row().map(|r| r.deployment.uuid.clone());
    match result {
        Ok(read) => {
            pane.error = None;
            pane.board.apply(*read);
        }
        Err(e) => pane.error = Some(e),
    }
    pane.reselect(keep, height);
    let dirty: Vec<String> = std::mem::take(&mut pane.dirty).into_iter().collect();
    if dirty.is_empty() || state.screen != Screen::Deployments {
        return Vec::new();
    }
    load(state, dirty)
}

/// The console refreshed: running statuses follow at once, and the applications whose
/// deployment started or ended are read again (only while the view is open).
pub fn on_refreshed(state: &mut State) -> Vec<Effect> {
    forget_other_context(state);
    if state.screen != Screen::Deployments || !state.deployments.loaded {
        return Vec::new();
    }
    let now = running_seen(&state.data.deploying);
    let pane = &mut state.deployments;
    let running: Vec<Deployment> = state.data.deploying.values().cloned().collect();
    pane.board.update_running(&running);
    let changed: BTreeSet<String> = pane
        .seen
        .symmetric_difference(&now)
        .map(|(app, _)| app.clone())
        .collect();
    pane.seen = now;
    if changed.is_empty() {
        return Vec::new();
    }
    load(state, changed.into_iter().collect())
}

fn running_seen(
    deploying: &std::collections::HashMap<String, Deployment>,
) -> BTreeSet<(String, String)> {
    deploying
        .iter()
        .map(|(app, d)| (app.clone(), d.uuid.clone()))
        .collect()
}

/// A key while the view has the keyboard.
pub fn on_key(state: &mut State, key: KeyEvent) -> Handled {
    if state.deployments.filter.active {
        let line: fn(&mut State) -> &mut FilterLine = |state| &mut state.deployments.filter;
        let effects = super::filter::on_filter_key(state, key, line, set_filter, move_by);
        return Handled::Consumed(effects);
    }
    if key.code == KeyCode::Esc {
        if state.deployments.filter.text.is_empty() {
            return Handled::Ignored;
        }
        set_filter(state, String::new());
        return Handled::Consumed(Vec::new());
    }
    let action = state.keymap.action(&key, state.mode());
    if let Some(by) = action.and_then(|a| crate::tui::panes::motion(a, page_height(state))) {
        return Handled::Consumed(move_by(state, by));
    }
    let effects = match action {
        Some(KeyAction::Filter) => {
            state.deployments.filter.active = true;
            Vec::new()
        }
        Some(KeyAction::Select) => open_log(state),
        Some(KeyAction::Cancel) => cancel(state),
        Some(KeyAction::Refresh) => load(state, Vec::new()),
        _ => return Handled::Ignored,
    };
    Handled::Consumed(effects)
}

fn set_filter(state: &mut State, filter: String) {
    let height = page_height(state);
    let pane = &mut state.deployments;
    if pane.filter.text == filter {
        return;
    }
    let keep = pane.selected_row().map(|r| r.deployment.uuid.clone());
    pane.filter.text = filter;
    pane.cursor = Cursor::default();
    pane.reselect(keep, height);
}

/// Move the selection by `delta` rows (clamped).
pub fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    let height = page_height(state);
    let pane = &mut state.deployments;
    let len = pane.shown().len();
    pane.cursor.move_by(delta, len, height);
    Vec::new()
}

/// The selected row and its application's uuid; `None`, saying why, when the row's
/// application is not in the tree.
fn selected_app(state: &mut State) -> Option<(BoardRow, String)> {
    let row = state.deployments.selected_row()?.clone();
    let Some(app) = row.app.clone() else {
        let text = format!(
            "{} is not in the tree: its deployments cannot be opened here",
            row.application
        );
        state.tell(text, true);
        return None;
    };
    Some((row, app))
}

/// The application `app` (named `name`) selected in the tree, its project and environment
/// opened and the tree's filter cleared when it hid it; its deployments are read when they
/// are not known yet. `None`, with a message, when it is not in the tree.
pub(in crate::tui) fn show_in_tree(
    state: &mut State,
    app: &str,
    name: &str,
) -> Option<Vec<Effect>> {
    if !state.tree.reveal(app, &state.data, &state.context.name) {
        let text = format!("{name} is not in the tree any more");
        state.tell(text, true);
        return None;
    }
    state.details.scroll = 0;
    state.history.selected = 0;
    let mut effects = Vec::new();
    if !state.recent.contains_key(app) {
        state.recent.entry(app.to_string()).or_default().loading = true;
        effects.push(Effect::LoadRecent(app.to_string()));
    }
    Some(effects)
}

/// Back to the tree with the row's application selected and its log pane on the row's
/// deployment; the log stays there until the selection moves.
fn open_log(state: &mut State) -> Vec<Effect> {
    let Some((row, app)) = selected_app(state) else {
        return Vec::new();
    };
    open_log_in_tree(state, &app, &row.application, &row.deployment.uuid)
}

/// Back to the tree with the application `app` (named `name`) selected and its log pane
/// on `deployment`; the log stays there until the selection moves.
pub(in crate::tui) fn open_log_in_tree(
    state: &mut State,
    app: &str,
    name: &str,
    deployment: &str,
) -> Vec<Effect> {
    let Some(mut effects) = show_in_tree(state, app, name) else {
        return Vec::new();
    };
    state.screen = Screen::Tree;
    state.focus = Pane::Lower;
    state.lower = Lower::Log;
    effects.extend(logs::open_deployment(state, app, name, deployment));
    if let Some(source) = &mut state.log.source {
        source.pinned = true;
    }
    state.fit();
    effects
}

/// The cancel card for the selected deployment's application, as `c` in the tree.
fn cancel(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.deployments.selected_row() else {
        return Vec::new();
    };
    if !row.deployment.status.is_active() {
        let text = format!(
            "{}'s deployment {} is {}: only a queued or running one can be cancelled",
            row.application,
            row.deployment.uuid,
            crate::model::board::status_word(&row.deployment.status)
        );
        state.tell(text, true);
        return Vec::new();
    }
    let Some((row, app)) = selected_app(state) else {
        return Vec::new();
    };
    let Some(mut effects) = show_in_tree(state, &app, &row.application) else {
        return Vec::new();
    };
    effects.extend(actions::on_action(state, KeyAction::Cancel));
    effects
}
