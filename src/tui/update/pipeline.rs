//! What the console does with the pipeline view's keys and messages (the view itself is
//! `panes::pipeline`).

use super::actions;
use super::selection_moved;
use crate::model::stages::Board;
use crate::ops::Kind;
use crate::settings::KeyAction;
use crate::tui::msg::{Compared, Effect};
use crate::tui::outline::NodeId;
use crate::tui::panes::Handled;
use crate::tui::state::{Pane, Screen, State};

/// The pipeline key (`P`): open the view (reading the board), or go back to the tree.
pub fn toggle(state: &mut State) -> Vec<Effect> {
    if state.screen == Screen::Pipeline {
        state.screen = Screen::Tree;
        return Vec::new();
    }
    open(state)
}

/// Open the view and read the board.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Pipeline;
    state.pipeline.load()
}

/// An operation finished: what it changed shows on the board if it is on screen.
pub fn on_operation_done(state: &mut State) -> Vec<Effect> {
    match state.screen {
        Screen::Pipeline => state.pipeline.load(),
        _ => Vec::new(),
    }
}

/// A read of the board finished, for the context it was started for.
pub fn on_board(
    state: &mut State,
    context: &str,
    result: Result<Box<Board>, String>,
) -> Vec<Effect> {
    if context != state.context.name {
        return Vec::new();
    }
    state.pipeline.loaded(result.map(|b| *b));
    state.pipeline.read_drift()
}

/// The board's environments compared with the platform configuration.
pub fn on_drift(state: &mut State, context: &str, result: Option<Vec<Compared>>) -> Vec<Effect> {
    if context == state.context.name {
        state.pipeline.drifted(result);
    }
    Vec::new()
}

/// A key in the view (the mode's table let it through).
pub fn on_key(state: &mut State, action: KeyAction) -> Handled {
    let page = crate::tui::panes::pipeline::lanes_per_page(state.size).max(1) as isize;
    let pane = &mut state.pipeline;
    match action {
        KeyAction::Down => pane.move_rows(1),
        KeyAction::Up => pane.move_rows(-1),
        KeyAction::PageDown => pane.move_rows(page),
        KeyAction::PageUp => pane.move_rows(-page),
        KeyAction::Top => pane.move_rows(isize::MIN),
        KeyAction::Bottom => pane.move_rows(isize::MAX),
        KeyAction::Expand => pane.move_stage(1),
        KeyAction::Collapse => pane.move_stage(-1),
        KeyAction::Refresh => return Handled::Consumed(pane.load()),
        KeyAction::Select => return Handled::Consumed(select_in_tree(state)),
        KeyAction::Promote => return Handled::Consumed(promote(state)),
        KeyAction::Config => return Handled::Consumed(config(state)),
        _ => return Handled::Ignored,
    }
    Handled::Consumed(Vec::new())
}

/// Show the selected cell's application in the tree, selected.
fn select_in_tree(state: &mut State) -> Vec<Effect> {
    let Some(uuid) = state.pipeline.selected().map(|c| c.uuid.clone()) else {
        state.tell("no application here", true);
        return Vec::new();
    };
    let Some((project, env, app)) = state.data.tree.resource(&uuid) else {
        state.tell(
            "that application is not in the tree yet: r refreshes it",
            true,
        );
        return Vec::new();
    };
    let name = app.name.clone();
    for node in [
        NodeId::Context,
        NodeId::Project(project.uuid.clone()),
        NodeId::Environment(project.uuid.clone(), env.name.clone()),
    ] {
        state.tree.collapsed.remove(&node);
    }
    let target = NodeId::Resource(uuid);
    state.rebuild_rows();
    if !state.tree.rows.iter().any(|r| r.id == target) && !state.tree.filter.is_empty() {
        state.tell(format!("the filter hid {name}: cleared"), false);
        state.tree.filter.clear();
        state.rebuild_rows();
    }
    let Some(at) = state.tree.rows.iter().position(|r| r.id == target) else {
        state.tell(format!("{name} is not in the tree"), true);
        return Vec::new();
    };
    state.tree.selected = at;
    state.screen = Screen::Tree;
    state.focus = Pane::Left;
    selection_moved(state)
}

/// The config view of the selected cell's environment.
fn config(state: &mut State) -> Vec<Effect> {
    let (Some(lane), Some(cell)) = (state.pipeline.lane(), state.pipeline.selected()) else {
        state.tell("no environment here to compare", true);
        return Vec::new();
    };
    let (project, environment) = (lane.project.clone(), cell.environment.clone());
    super::config::open_at(state, &project, &environment)
}

/// Promote from the selected cell's stage to the next, through the console's promote flow.
fn promote(state: &mut State) -> Vec<Effect> {
    let (Some(lane), Some(cell)) = (state.pipeline.lane(), state.pipeline.selected()) else {
        state.tell("no application here to promote", true);
        return Vec::new();
    };
    let Some(to) = cell.next.clone() else {
        let text = format!(
            "{} is the last stage of {}: nothing to promote to",
            cell.environment, lane.project
        );
        state.tell(text, true);
        return Vec::new();
    };
    let words = [lane.project.clone(), cell.environment.clone(), to];
    actions::on_command(state, Kind::Promote, &words)
}
