//! What the console does with the audit view's keys and messages (the view itself is
//! `panes::audit`).

use crossterm::event::{KeyCode, KeyEvent};

use super::deployments::open_log_in_tree;
use crate::audit::Record;
use crate::model::Address;
use crate::settings::KeyAction;
use crate::tui::msg::Effect;
use crate::tui::panes::Handled;
use crate::tui::panes::audit::*;
use crate::tui::panes::table::{Cursor, FilterLine};
use crate::tui::state::{Screen, State};

/// Switch to the view and read the journal.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Audit;
    load(state)
}

fn load(state: &mut State) -> Vec<Effect> {
    let pane = &mut state.audit;
    if pane.loading {
        return Vec::new();
    }
    pane.loading = true;
    vec![Effect::LoadAudit(READ)]
}

/// What a read of the journal brought: its last records, oldest first, and how many of its
/// lines could not be read.
pub fn on_read(state: &mut State, result: Result<(Vec<Record>, usize), String>) -> Vec<Effect> {
    let height = page_height(state.audit_look());
    let pane = &mut state.audit;
    pane.loading = false;
    pane.loaded = true;
    let keep = pane.selected_record().map(key_of);
    match result {
        Ok((mut records, broken)) => {
            records.reverse();
            pane.records = records;
            pane.broken = broken;
            pane.error = None;
        }
        Err(e) => pane.error = Some(e),
    }
    pane.reselect(keep, height);
    Vec::new()
}

/// A key while the view has the keyboard.
pub fn on_key(state: &mut State, key: KeyEvent) -> Handled {
    if state.audit.filter.active {
        let line: fn(&mut State) -> &mut FilterLine = |state| &mut state.audit.filter;
        let effects = super::filter::on_filter_key(state, key, line, set_filter, move_by);
        return Handled::Consumed(effects);
    }
    if key.code == KeyCode::Esc {
        let pane = &mut state.audit;
        if pane.entry {
            pane.entry = false;
        } else if !pane.filter.text.is_empty() {
            set_filter(state, String::new());
        } else {
            return Handled::Ignored;
        }
        return Handled::Consumed(Vec::new());
    }
    let action = state.keymap.action(&key, state.mode());
    if state.audit.entry {
        return on_entry_key(state, action);
    }
    if let Some(by) = moves(action, page_height(state.audit_look())) {
        return Handled::Consumed(move_by(state, by));
    }
    let effects = match action {
        Some(KeyAction::Filter) => {
            state.audit.filter.active = true;
            Vec::new()
        }
        Some(KeyAction::NextPane) => {
            state.audit.entry = true;
            Vec::new()
        }
        Some(KeyAction::Select) => open_log(state),
        Some(KeyAction::Refresh) => load(state),
        _ => return Handled::Ignored,
    };
    Handled::Consumed(effects)
}

/// A key while the detail pane has the keyboard: the moving keys scroll it.
fn on_entry_key(state: &mut State, action: Option<KeyAction>) -> Handled {
    let by = match action {
        Some(KeyAction::NextPane) => {
            state.audit.entry = false;
            return Handled::Consumed(Vec::new());
        }
        Some(KeyAction::Refresh) => return Handled::Consumed(load(state)),
        _ => moves(action, usize::from(entry_height(state.audit_look()))),
    };
    let Some(by) = by else {
        return Handled::Ignored;
    };
    let most = i64::from(max_entry_scroll(state.audit_look()));
    let pane = &mut state.audit;
    let scroll = i64::from(pane.entry_scroll)
        .saturating_add(by as i64)
        .clamp(0, most);
    pane.entry_scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    Handled::Consumed(Vec::new())
}

fn set_filter(state: &mut State, filter: String) {
    let height = page_height(state.audit_look());
    let pane = &mut state.audit;
    if pane.filter.text == filter {
        return;
    }
    let keep = pane.selected_record().map(key_of);
    pane.filter.text = filter;
    pane.cursor = Cursor::default();
    pane.entry_scroll = 0;
    pane.reselect(keep, height);
}

/// Move the selection by `delta` rows (clamped); the detail pane starts at its top.
pub fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    let height = page_height(state.audit_look());
    let pane = &mut state.audit;
    let len = pane.shown().len();
    if pane.cursor.move_by(delta, len, height) {
        pane.entry_scroll = 0;
    }
    Vec::new()
}

/// Back to the tree with the log pane on the entry's first deployment, of its first
/// target's application.
fn open_log(state: &mut State) -> Vec<Effect> {
    let Some(record) = state.audit.selected_record().cloned() else {
        return Vec::new();
    };
    let Some(deployment) = record.deployments.first() else {
        let text = format!(
            "{} of {} started no deployment: there is no log to open",
            record.operation, record.target
        );
        state.tell(text, true);
        return Vec::new();
    };
    if !record.context.eq_ignore_ascii_case(&state.context.name) {
        let text = format!(
            "recorded in context {}, not {}: :ctx {} first to open its log",
            record.context, state.context.name, record.context
        );
        state.tell(text, true);
        return Vec::new();
    }
    let first = record.target.split(", ").next().unwrap_or_default();
    let app = Address::parse(first)
        .find_one(&state.data.tree)
        .map(|(_, _, r)| (r.uuid.clone(), r.name.clone()));
    match app {
        Ok((uuid, name)) => open_log_in_tree(state, &uuid, &name, deployment),
        Err(e) => {
            state.tell(format!("{first} is not in the tree: {e}"), true);
            Vec::new()
        }
    }
}

/// How far a moving key moves a list showing `page` rows.
fn moves(action: Option<KeyAction>, page: usize) -> Option<isize> {
    action.and_then(|a| crate::tui::panes::motion(a, page))
}
