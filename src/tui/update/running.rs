//! The console's side of running operations: their news kept and shown (the log pane,
//! the header, `:ops`), and their end (the result card, a refresh).

use crossterm::event::{KeyCode, KeyEvent};

use crate::ops::{Kind, Outcome, Progress};
use crate::settings::KeyAction;
use crate::tui::msg::Effect;
use crate::tui::operations::{OpId, Operation};
use crate::tui::overlay::{Card, Overlay};
use crate::tui::state::{Pane, State};

/// The `:ops` list: move, open (a running one's log, an ended one's result), close.
pub fn on_operations_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let action = state.keymap.action(&key, state.mode());
    let Some(Overlay::Operations { selected }) = state.overlays.top_mut() else {
        return Vec::new();
    };
    let count = state.operations.all().count();
    match (key.code, action) {
        (_, Some(KeyAction::Down)) => *selected = (*selected + 1).min(count.saturating_sub(1)),
        (_, Some(KeyAction::Up)) => *selected = selected.saturating_sub(1),
        (KeyCode::Enter, _) => {
            let index = *selected;
            let Some(op) = state.operations.all().nth(index).cloned() else {
                return Vec::new();
            };
            return open_operation(state, op);
        }
        _ => {
            state.overlays.close();
        }
    }
    Vec::new()
}

/// An operation from `:ops`: an ended one's result card over the list (Esc goes back to
/// it); a running one's log, the list closed.
fn open_operation(state: &mut State, op: Operation) -> Vec<Effect> {
    if op.ended.is_none() {
        state.overlays.close();
    }
    match op.ended {
        Some(ended) => {
            state
                .overlays
                .open(Overlay::Card(result_card(op.kind, ended.result)));
            Vec::new()
        }
        None => match op.deployments.last() {
            Some((target, deployment)) => {
                super::logs::pin_deployment(state, target, deployment);
                state.focus = Pane::Lower;
                vec![Effect::StopLog]
            }
            None => {
                let text = format!("{} has started no deployment yet", op.title);
                state.tell(text, false);
                Vec::new()
            }
        },
    }
}

/// News of an operation: kept with it, and shown in the log pane when the pane is its.
pub fn on_progress(state: &mut State, id: &OpId, progress: Progress) -> Vec<Effect> {
    if !state.operations.progress(id, &progress) {
        return Vec::new();
    }
    if let Progress::Started { target, deployment } = &progress {
        return super::logs::on_op_started(state, id, target, deployment);
    }
    super::logs::on_progress(state, None, &progress);
    Vec::new()
}

/// An operation ended: its result card, unless a card or page is open (then a message
/// says where the result is).
pub fn on_done(state: &mut State, id: &OpId, result: Result<Box<Outcome>, String>) -> Vec<Effect> {
    let Some(op) = state.operations.end(id, result.clone(), state.now) else {
        return Vec::new();
    };
    let (kind, title, verdict) = (op.kind, op.title.clone(), op.state());
    // The verdict in the pane, when the operation's deployment is what the pane shows as
    // the operation's (a pane following it for the selection gets its own).
    if let (Ok(outcome), Some(source)) = (&result, state.log.source.as_ref().filter(|s| s.pinned)) {
        let followed = outcome
            .apps
            .iter()
            .filter_map(|a| a.deployment.as_ref())
            .find(|d| source.deployment.as_deref() == Some(d.uuid.as_str()));
        if let Some(d) = followed {
            let (level, text) = super::logs::verdict(d, state.now);
            state.log.view.push_note(level, text, Some(state.now));
        }
    }
    if !state.overlays.is_empty() {
        let text = format!("{title}: {verdict} (:ops shows the result)");
        state.tell(text, verdict != "succeeded");
    } else {
        state
            .overlays
            .open(Overlay::Card(result_card(kind, result)));
    }
    // What changed shows on the next refresh; ask for it now.
    state.data.loading = true;
    let mut effects = vec![Effect::Load { full: false }];
    if let Some(app) = state.selected_app() {
        effects.push(Effect::LoadRecent(app.to_string()));
    }
    effects
}

/// An operation's result card: its outcome, or why it did not run.
fn result_card(kind: Kind, result: Result<Box<Outcome>, String>) -> Card {
    match result {
        Ok(outcome) => Card::Result(outcome),
        Err(text) => Card::Notice {
            title: format!("{} did not run", kind.name()),
            text,
            error: true,
        },
    }
}
