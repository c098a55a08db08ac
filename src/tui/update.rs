//! `update(&mut State, Msg) -> Vec<Effect>`: every change to the console, synchronous and
//! testable without a terminal.

use std::collections::HashMap;
use std::time::Duration;

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::actions;
use super::agent;
use super::batch;
use super::layout;
use super::logs;
use super::modes::Mode;
use super::msg::{Effect, Msg};
use super::outline::RowKind;
use super::palette;
use super::panes::pipeline;
use super::panes::{self, Handled};
use super::running;
use super::state::{
    CHANGED_FOR, Card, Data, Flash, LoadError, Lower, Overlay, Page, Palette, Pane, Screen, State,
};
use super::views;
use crate::model::{Deployment, Overview, Tree};
use crate::settings::KeyAction;

/// How long the selection rests on an application before its deployments are fetched.
const RECENT_DEBOUNCE: Duration = Duration::from_millis(150);
/// Every how many periodic refreshes the layout (projects, servers) is re-read.
const FULL_EVERY: u32 = 12;
/// How many recent deployments the lower pane shows.
pub const RECENT_COUNT: u32 = 10;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Mouse(mouse) => on_mouse(state, mouse),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            state.scroll_to_selection();
            state.fit_log();
            Vec::new()
        }
        Msg::Tick(now) => {
            let face = state.clock_face();
            let (highlights, flash) = (state.changed.len(), state.flash.is_some());
            state.now = now;
            state.spinner = state.spinner.wrapping_add(1);
            state
                .changed
                .retain(|_, at| now.duration_since(*at) < CHANGED_FOR);
            if state
                .flash
                .as_ref()
                .is_some_and(|f| now.duration_since(f.at).as_secs() >= 5)
            {
                state.flash = None;
            }
            let hidden = match &mut state.overlay {
                Some(Overlay::Card(Card::Env(card))) => card.tick(now),
                _ => false,
            };
            let moved = hidden
                || state.animating()
                || highlights != state.changed.len()
                || flash != state.flash.is_some()
                || face != state.clock_face();
            if moved {
                vec![Effect::Redraw]
            } else {
                Vec::new()
            }
        }
        Msg::RefreshDue => refresh(state, false),
        Msg::LoadCost(cost) => {
            state.data.load_cost = Some(cost);
            Vec::new()
        }
        Msg::Loaded { context, result } if context == state.context.name => {
            let mut effects = on_loaded(state, result);
            effects.extend(panes::deployments::on_refreshed(state));
            effects
        }
        Msg::Loaded { .. } => Vec::new(),
        Msg::RecentDue(app) if state.selected_app() == Some(app.as_str()) => {
            load_recent(state, app)
        }
        Msg::RecentDue(_) => Vec::new(),
        Msg::Recent { context, .. } if context != state.context.name => Vec::new(),
        Msg::Recent { app, result, .. } => {
            let entry = state.recent.entry(app.clone()).or_default();
            entry.loading = false;
            match result {
                Ok(deployments) => {
                    entry.deployments = deployments;
                    entry.error = None;
                }
                Err(e) => entry.error = Some(e),
            }
            if state.selected_app() == Some(app.as_str()) {
                return logs::show_selected(state);
            }
            Vec::new()
        }
        Msg::ContextOpened(Ok(info)) => {
            state.tell(format!("switched to context {}", info.name), false);
            state.context = info;
            state.data = Data {
                loading: true,
                ..Data::default()
            };
            state.recent.clear();
            state.changed.clear();
            state.collapsed.clear();
            state.selected = 0;
            state.rebuild_rows();
            vec![Effect::Load { full: true }]
        }
        Msg::ContextOpened(Err(e)) => {
            state.tell(e, true);
            Vec::new()
        }
        Msg::Planned(result) => actions::on_planned(state, result),
        Msg::OpProgress { id, progress } => running::on_progress(state, &id, progress),
        Msg::OpDone { id, result } => {
            let mut effects = running::on_done(state, &id, result);
            effects.extend(pipeline::on_operation_done(state));
            effects
        }
        Msg::RollbackCandidates { scope, result } => {
            actions::on_rollback_candidates(state, scope, result)
        }
        Msg::Audit(result) => panes::audit::on_read(state, result),
        Msg::LogProgress {
            deployment,
            progress,
        } => {
            logs::on_progress(state, Some(&deployment), &progress);
            Vec::new()
        }
        Msg::LogEnded { deployment, result } => {
            logs::on_ended(state, &deployment, result);
            Vec::new()
        }
        Msg::RuntimeLog { app, result } => {
            logs::on_runtime(state, &app, result);
            Vec::new()
        }
        Msg::Env { app, result } => actions::on_env(state, app, result),
        Msg::RevealRecorded { at, result } => actions::on_reveal_recorded(state, at, result),
        Msg::Agent(event) => agent::on_event(state, event),
        Msg::AgentReplied(result) => agent::on_replied(state, result),
        Msg::Saved(Ok(text)) => {
            state.tell(text, false);
            Vec::new()
        }
        Msg::Saved(Err(text)) => {
            state.tell(text, true);
            Vec::new()
        }
        Msg::Pipeline { context, result } => pipeline::on_board(state, &context, result),
        Msg::Board { context, result } => panes::deployments::on_board(state, context, result),
        Msg::Theme { name, result } => {
            match result {
                Ok(theme) => {
                    state.theme = *theme;
                    state.tell(format!("theme {name}"), false);
                }
                Err(e) => state.tell(e, true),
            }
            vec![Effect::Redraw]
        }
        Msg::Quit => {
            state.quit = true;
            Vec::new()
        }
    }
}

/// Start a load unless one is running. Every `FULL_EVERY`th periodic refresh (and every
/// one asked for by hand) re-reads projects and servers too.
fn refresh(state: &mut State, by_hand: bool) -> Vec<Effect> {
    if state.data.loading {
        return Vec::new();
    }
    state.data.loading = true;
    state.refreshes = state.refreshes.wrapping_add(1);
    let full = by_hand || state.data.error.is_some() || state.refreshes.is_multiple_of(FULL_EVERY);
    vec![Effect::Load { full }]
}

fn on_loaded(state: &mut State, result: Result<Box<Overview>, String>) -> Vec<Effect> {
    state.data.loading = false;
    let mut effects = Vec::new();
    match result {
        Ok(snapshot) => {
            let first = state.data.loaded_at.is_none();
            let Overview {
                tree,
                version,
                running,
                warnings,
            } = *snapshot;
            if !first {
                mark_changes(state, &tree);
            }
            let deploying = by_application(&tree, running);
            // Deployments that started, ended or gave way to the next one: their application's
            // history moved.
            let apps: std::collections::BTreeSet<&String> = state
                .data
                .deploying
                .keys()
                .chain(deploying.keys())
                .collect();
            for app in apps {
                let before = state.data.deploying.get(app).map(|d| &d.uuid);
                if before != deploying.get(app).map(|d| &d.uuid) && state.recent.contains_key(app) {
                    effects.push(Effect::LoadRecent(app.clone()));
                }
            }
            state.data.tree = tree;
            // A version that could not be read this time is still the one read before.
            if version.is_some() {
                state.data.version = version;
            }
            state.data.warnings = warnings;
            state.data.deploying = deploying;
            state.data.loaded_at = Some(state.now);
            if let Some(err) = state.data.error.take() {
                state.tell(format!("reconnected after: {}", err.message), false);
            }
            state.rebuild_rows();
            if first && state.selected == 0 {
                // Start on the first resource: its details are what an operator wants.
                let first_resource = state
                    .rows
                    .iter()
                    .position(|r| matches!(r.kind, RowKind::Resource { .. }));
                state.selected = first_resource.unwrap_or(0);
                state.scroll_to_selection();
            }
            if first && let Some(app) = state.selected_app() {
                effects.push(Effect::LoadRecent(app.to_string()));
            }
        }
        Err(message) => {
            let since = state
                .data
                .error
                .as_ref()
                .map(|e| e.since)
                .unwrap_or(state.now);
            if state
                .data
                .error
                .as_ref()
                .is_none_or(|e| e.message != message)
            {
                let text = format!("refresh failing: {message}");
                let at = state.now;
                state.remember(Flash {
                    text,
                    error: true,
                    at,
                });
            }
            state.data.error = Some(LoadError { message, since });
        }
    }
    for effect in &effects {
        if let Effect::LoadRecent(app) = effect {
            state.recent.entry(app.clone()).or_default().loading = true;
        }
    }
    effects.push(Effect::RefreshAfter(state.refresh_interval()));
    effects
}

/// Note every resource whose status differs from the last load.
fn mark_changes(state: &mut State, tree: &Tree) {
    let before: HashMap<&str, String> = state
        .data
        .tree
        .resources()
        .map(|(_, _, r)| (r.uuid.as_str(), r.status.to_string()))
        .collect();
    for (_, _, r) in tree.resources() {
        if before
            .get(r.uuid.as_str())
            .is_some_and(|old| *old != r.status.to_string())
        {
            state.changed.insert(r.uuid.clone(), state.now);
        }
    }
}

/// Active deployments keyed by their application's uuid; of two for one application, the
/// newer.
fn by_application(tree: &Tree, running: Vec<Deployment>) -> HashMap<String, Deployment> {
    let by_id: HashMap<String, &str> = tree
        .applications()
        .filter_map(|(_, _, a)| Some((a.id?.to_string(), a.uuid.as_str())))
        .collect();
    let by_name: HashMap<&str, &str> = tree
        .applications()
        .map(|(_, _, a)| (a.name.as_str(), a.uuid.as_str()))
        .collect();
    let mut deploying: HashMap<String, Deployment> = HashMap::new();
    for d in running {
        let Some(uuid) = d
            .application_id
            .as_deref()
            .and_then(|id| by_id.get(id))
            .or_else(|| d.application_name.as_deref().and_then(|n| by_name.get(n)))
        else {
            continue;
        };
        if deploying
            .get(*uuid)
            .is_none_or(|held| held.created_at < d.created_at)
        {
            deploying.insert(uuid.to_string(), d);
        }
    }
    deploying
}

fn load_recent(state: &mut State, app: String) -> Vec<Effect> {
    let entry = state.recent.entry(app.clone()).or_default();
    entry.loading = true;
    vec![Effect::LoadRecent(app)]
}

/// After the selection moved: fetch the newly selected application's deployments soon,
/// and show its log when they are known.
pub(super) fn selection_moved(state: &mut State) -> Vec<Effect> {
    state.scroll_to_selection();
    state.details_scroll = 0;
    state.recent_selected = 0;
    match state.selected_app() {
        Some(app) if !state.recent.contains_key(app) => {
            vec![Effect::RecentAfter(app.to_string(), RECENT_DEBOUNCE)]
        }
        // Another application, or what has no deployment log: the pane shows its own.
        _ => logs::selection_moved(state),
    }
}

/// What can take a key, from the top down: the first layer that consumes it wins.
#[derive(Debug, Clone, Copy)]
enum Layer {
    /// Ctrl-C quits from everywhere (cancelling the agent's turn in flight first).
    Interrupt,
    /// The open page, list, palette or card.
    Overlay,
    /// The agent pane's input, when it has the keyboard.
    Agent,
    /// A view of the whole platform that reads keys itself (its filter line).
    View,
    /// The tree's filter line being typed.
    Filter,
    /// The log pane, when focused.
    Log,
    /// Esc: unmark, back to the tree, or clear the filter.
    Back,
    /// The current mode's key table.
    Keys,
}

const LAYERS: [Layer; 8] = [
    Layer::Interrupt,
    Layer::Overlay,
    Layer::Agent,
    Layer::View,
    Layer::Filter,
    Layer::Log,
    Layer::Back,
    Layer::Keys,
];

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    for layer in LAYERS {
        if let Handled::Consumed(effects) = layer.take(state, key) {
            return effects;
        }
    }
    Vec::new()
}

impl Layer {
    fn take(self, state: &mut State, key: KeyEvent) -> Handled {
        let consumed = Handled::Consumed;
        match self {
            Self::Interrupt => {
                if !(key.modifiers.contains(KeyModifiers::CONTROL)
                    && key.code == KeyCode::Char('c'))
                {
                    return Handled::Ignored;
                }
                state.quit = true;
                consumed(if state.agent.busy {
                    vec![Effect::AgentCancel]
                } else {
                    Vec::new()
                })
            }
            Self::Overlay => match &state.overlay {
                Some(Overlay::Page { .. }) => consumed(on_page_key(state, key)),
                Some(Overlay::Operations { .. }) => {
                    consumed(running::on_operations_key(state, key))
                }
                Some(Overlay::Palette(_)) => consumed(on_palette_key(state, key)),
                Some(Overlay::Card(_)) => consumed(actions::on_card_key(state, key)),
                None => Handled::Ignored,
            },
            Self::Agent => agent::on_key(state, key).map_or(Handled::Ignored, consumed),
            Self::View if state.screen == Screen::Deployments => {
                panes::deployments::on_key(state, key)
            }
            Self::View if state.screen == Screen::Audit => panes::audit::on_key(state, key),
            Self::View => Handled::Ignored,
            Self::Filter if state.filtering => consumed(on_filter_key(state, key)),
            Self::Filter => Handled::Ignored,
            Self::Log if state.log_focused() => {
                let action = state.keymap.action(&key);
                logs::on_key(state, key, action).map_or(Handled::Ignored, consumed)
            }
            Self::Log => Handled::Ignored,
            Self::Back if key.code == KeyCode::Esc => {
                if state.screen == Screen::Tree && !state.marked.is_empty() {
                    state.marked.clear();
                    state.tell("marks cleared", false);
                } else if state.screen != Screen::Tree {
                    state.screen = Screen::Tree;
                } else if !state.filter.is_empty() {
                    state.filter.clear();
                    state.rebuild_rows();
                }
                consumed(Vec::new())
            }
            Self::Back => Handled::Ignored,
            // A key does only what its mode lists (and the footer and help show).
            Self::Keys => match state.keymap.action(&key) {
                Some(action) if Mode::of(state).allows(action) => {
                    consumed(on_action(state, action))
                }
                _ => Handled::Ignored,
            },
        }
    }
}

fn on_action(state: &mut State, action: KeyAction) -> Vec<Effect> {
    if state.screen == Screen::Pipeline
        && let Handled::Consumed(effects) = pipeline::on_key(state, action)
    {
        return effects;
    }
    match action {
        KeyAction::Quit => {
            state.quit = true;
            Vec::new()
        }
        KeyAction::Help => {
            open_help(state);
            Vec::new()
        }
        KeyAction::Palette => {
            state.overlay = Some(Overlay::Palette(Palette::default()));
            Vec::new()
        }
        KeyAction::Filter => {
            state.screen = Screen::Tree;
            state.focus = Pane::Left;
            state.filtering = true;
            Vec::new()
        }
        KeyAction::Refresh => refresh(state, true),
        KeyAction::Pick => batch::toggle(state),
        KeyAction::Servers => show(state, Screen::Servers),
        KeyAction::Pipeline => pipeline::toggle(state),
        KeyAction::Deployments if state.screen != Screen::Deployments => {
            panes::deployments::open(state)
        }
        KeyAction::Deployments => show(state, Screen::Deployments),
        KeyAction::Audit if state.screen != Screen::Audit => panes::audit::open(state),
        KeyAction::Audit => show(state, Screen::Audit),
        KeyAction::NextPane => {
            state.focus = match state.focus {
                Pane::Left => Pane::Details,
                Pane::Details => Pane::Lower,
                Pane::Lower => Pane::Left,
            };
            Vec::new()
        }
        KeyAction::Up => move_by(state, -1),
        KeyAction::Down => move_by(state, 1),
        KeyAction::PageUp => {
            let page = state.tree_height() as isize;
            move_by(state, -page)
        }
        KeyAction::PageDown => {
            let page = state.tree_height() as isize;
            move_by(state, page)
        }
        KeyAction::Top => move_by(state, isize::MIN / 2),
        KeyAction::Bottom => move_by(state, isize::MAX / 2),
        KeyAction::Collapse => collapse(state),
        KeyAction::Expand => expand(state),
        KeyAction::Select => select(state),
        KeyAction::Deploy
        | KeyAction::ForceDeploy
        | KeyAction::Restart
        | KeyAction::StopStart
        | KeyAction::Cancel
        | KeyAction::Promote
        | KeyAction::Rollback => actions::on_action(state, action),
        KeyAction::Env => actions::show_env(state),
        KeyAction::Agent => {
            agent::open(state);
            Vec::new()
        }
        KeyAction::Fullscreen | KeyAction::History | KeyAction::RuntimeLogs => {
            logs::on_pane_action(state, action)
        }
        // The log pane's own keys do nothing elsewhere.
        KeyAction::Follow
        | KeyAction::Wrap
        | KeyAction::Timestamps
        | KeyAction::Hidden
        | KeyAction::NextMatch
        | KeyAction::PrevMatch
        | KeyAction::Mark
        | KeyAction::Copy
        | KeyAction::Save => Vec::new(),
    }
}

/// Move the selection of the focused list.
/// Switch to a view of the whole platform, or back to the tree from it.
fn show(state: &mut State, screen: Screen) -> Vec<Effect> {
    state.screen = if state.screen == screen {
        Screen::Tree
    } else {
        screen
    };
    Vec::new()
}

fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    let step = |current: usize, len: usize| -> usize {
        let target = current as isize + delta;
        target.clamp(0, len.saturating_sub(1) as isize) as usize
    };
    match (state.screen, state.focus) {
        (Screen::Pipeline, _) => {
            state.pipeline.move_rows(delta);
            Vec::new()
        }
        (Screen::Deployments, _) => panes::deployments::move_by(state, delta),
        (Screen::Audit, _) => panes::audit::move_by(state, delta),
        (Screen::Servers, _) => {
            state.server_selected = step(state.server_selected, state.data.tree.servers.len());
            Vec::new()
        }
        (Screen::Tree, Pane::Details) => {
            let rows = usize::from(super::views::details::max_scroll(state)) + 1;
            state.details_scroll = step(usize::from(state.details_scroll), rows)
                .try_into()
                .unwrap_or(0);
            Vec::new()
        }
        (Screen::Tree, Pane::Lower) => {
            let len = state
                .selected_app()
                .and_then(|a| state.recent.get(a))
                .map_or(0, |r| r.deployments.len());
            state.recent_selected = step(state.recent_selected, len);
            Vec::new()
        }
        (Screen::Tree, _) => {
            state.selected = step(state.selected, state.rows.len());
            selection_moved(state)
        }
    }
}

fn collapse(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.selected_row().cloned() else {
        return Vec::new();
    };
    if row.expanded == Some(true) && state.filter.is_empty() {
        state.collapsed.insert(row.id);
        state.rebuild_rows();
        return Vec::new();
    }
    // Go to the parent: the nearest row above with a smaller depth.
    if let Some(parent) = state.rows[..state.selected]
        .iter()
        .rposition(|r| r.depth < row.depth)
    {
        state.selected = parent;
        return selection_moved(state);
    }
    Vec::new()
}

fn expand(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.selected_row().cloned() else {
        return Vec::new();
    };
    match row.expanded {
        Some(false) => {
            state.collapsed.remove(&row.id);
            state.rebuild_rows();
            Vec::new()
        }
        Some(true) => move_by(state, 1),
        None => Vec::new(),
    }
}

fn select(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.selected_row().cloned() else {
        return Vec::new();
    };
    if state.focus == Pane::Lower && state.lower == Lower::History {
        return logs::open_from_history(state);
    }
    match (&row.kind, row.expanded) {
        (RowKind::Resource { .. }, _) => {
            state.focus = Pane::Lower;
            Vec::new()
        }
        (_, Some(true)) => collapse(state),
        (_, Some(false)) => expand(state),
        _ => Vec::new(),
    }
}

fn open_help(state: &mut State) {
    open_page(state, Page::Help(Mode::of(state)));
}

/// Open a page, at its end for the messages (the newest are last).
fn open_page(state: &mut State, page: Page) {
    let scroll = match page {
        Page::Help(_) => 0,
        Page::Messages => views::page::max_scroll(state, page),
    };
    state.overlay = Some(Overlay::Page { page, scroll });
}

/// A page scrolls with the moving keys; any other key closes it.
fn on_page_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let action = state.keymap.action(&key);
    let Some(Overlay::Page { page, .. }) = &state.overlay else {
        return Vec::new();
    };
    let most = i32::from(views::page::max_scroll(state, *page));
    let Some(Overlay::Page { scroll, .. }) = &mut state.overlay else {
        return Vec::new();
    };
    let by: i32 = match action {
        Some(KeyAction::Down) => 1,
        Some(KeyAction::Up) => -1,
        Some(KeyAction::PageDown) => 10,
        Some(KeyAction::PageUp) => -10,
        Some(KeyAction::Top) => -i32::from(u16::MAX),
        Some(KeyAction::Bottom) => i32::from(u16::MAX),
        _ => {
            state.overlay = None;
            return Vec::new();
        }
    };
    *scroll = (i32::from(*scroll) + by).clamp(0, most) as u16;
    Vec::new()
}

fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => {
            state.filtering = false;
            state.filter.clear();
            state.rebuild_rows();
        }
        KeyCode::Enter => state.filtering = false,
        KeyCode::Backspace => {
            state.filter.pop();
            state.rebuild_rows();
        }
        KeyCode::Up => return move_by(state, -1),
        KeyCode::Down => return move_by(state, 1),
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.filter.clear();
            state.rebuild_rows();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.filter.push(c);
            state.rebuild_rows();
        }
        _ => {}
    }
    selection_moved(state)
}

fn on_palette_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::Palette(palette)) = &mut state.overlay else {
        return Vec::new();
    };
    let candidates = palette::complete(&palette.input, &state.contexts, &state.themes);
    match key.code {
        KeyCode::Esc => state.overlay = None,
        KeyCode::Backspace => {
            palette.input.pop();
            palette.choice = None;
        }
        KeyCode::Tab if candidates.len() == 1 => {
            palette.input = candidates[0].clone();
            palette.choice = None;
        }
        KeyCode::Tab | KeyCode::Down if !candidates.is_empty() => {
            palette.choice = Some(palette.choice.map_or(0, |c| (c + 1) % candidates.len()));
        }
        KeyCode::BackTab | KeyCode::Up if !candidates.is_empty() => {
            let len = candidates.len();
            palette.choice = Some(palette.choice.map_or(len - 1, |c| (c + len - 1) % len));
        }
        KeyCode::Enter => {
            let line = match palette.choice.and_then(|c| candidates.get(c)) {
                Some(chosen) => chosen.clone(),
                None => palette.input.clone(),
            };
            state.overlay = None;
            return run_command(state, &line);
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            palette.input.push(c);
            palette.choice = None;
        }
        _ => {}
    }
    Vec::new()
}

fn run_command(state: &mut State, line: &str) -> Vec<Effect> {
    match palette::parse(line) {
        Ok(palette::Command::Servers) => state.screen = Screen::Servers,
        Ok(palette::Command::Tree) => state.screen = Screen::Tree,
        Ok(palette::Command::Pipeline) => return pipeline::open(state),
        Ok(palette::Command::Deployments) => return panes::deployments::open(state),
        Ok(palette::Command::Quit) => state.quit = true,
        Ok(palette::Command::Help) => open_help(state),
        Ok(palette::Command::Messages) => open_page(state, Page::Messages),
        Ok(palette::Command::Operations) => {
            state.overlay = Some(Overlay::Operations { selected: 0 })
        }
        Ok(palette::Command::Refresh) => return refresh(state, true),
        Ok(palette::Command::Audit) => return panes::audit::open(state),
        Ok(palette::Command::Ask) => agent::open(state),
        Ok(palette::Command::Operation { kind, words }) => {
            return actions::on_command(state, kind, &words);
        }
        Ok(palette::Command::Theme(name)) => {
            return vec![Effect::LoadTheme {
                name,
                dir: state.themes_dir.clone(),
                depth: state.depth,
            }];
        }
        Ok(palette::Command::Context(name)) => {
            if name.eq_ignore_ascii_case(&state.context.name) {
                state.tell(format!("already on context {name}"), false);
            } else if state.contexts.iter().any(|c| c.eq_ignore_ascii_case(&name)) {
                state.tell(format!("opening context {name}…"), false);
                return vec![Effect::OpenContext(name)];
            } else {
                let known = if state.contexts.is_empty() {
                    "none in the settings file".to_string()
                } else {
                    state.contexts.join(", ")
                };
                state.tell(format!("no context named '{name}'; known: {known}"), true);
            }
        }
        Err(e) => state.tell(e, true),
    }
    Vec::new()
}

fn on_mouse(state: &mut State, mouse: MouseEvent) -> Vec<Effect> {
    if !state.settings.mouse || state.overlay.is_some() {
        return Vec::new();
    }
    let areas = layout::areas(state.size.0, state.size.1);
    let inside = |r: ratatui::layout::Rect| {
        mouse.column >= r.x
            && mouse.column < r.x + r.width
            && mouse.row >= r.y
            && mouse.row < r.y + r.height
    };
    let pane = if inside(areas.left) {
        Pane::Left
    } else if inside(areas.details) {
        Pane::Details
    } else if inside(areas.lower) {
        Pane::Lower
    } else {
        return Vec::new();
    };
    match mouse.kind {
        MouseEventKind::ScrollDown => {
            state.focus = pane;
            move_by(state, 3)
        }
        MouseEventKind::ScrollUp => {
            state.focus = pane;
            move_by(state, -3)
        }
        MouseEventKind::Down(MouseButton::Left) => {
            state.focus = pane;
            let row = usize::from(mouse.row.saturating_sub(areas.left.y + 1));
            match (state.screen, pane) {
                (Screen::Tree, Pane::Left) if mouse.row > areas.left.y => {
                    let index = state.offset + row;
                    if index < state.rows.len() {
                        let same = index == state.selected;
                        state.selected = index;
                        if same {
                            return select(state);
                        }
                        return selection_moved(state);
                    }
                    Vec::new()
                }
                (Screen::Servers, Pane::Left) if mouse.row > areas.left.y => {
                    if row < state.data.tree.servers.len() {
                        state.server_selected = row;
                    }
                    Vec::new()
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeploymentStatus, ResourceStatus};
    use crate::settings::Settings;
    use crate::tui::fixture::{self, now};
    use crate::tui::outline::NodeId;
    use crossterm::event::KeyEventState;

    fn key(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn typed(state: &mut State, text: &str) {
        for c in text.chars() {
            key(state, KeyCode::Char(c));
        }
    }

    fn selected_label(state: &State) -> &str {
        &state.selected_row().unwrap().label
    }

    fn loaded(state: &mut State, tree: Tree, running: Vec<Deployment>) -> Vec<Effect> {
        update(
            state,
            Msg::Loaded {
                context: state.context.name.clone(),
                result: Ok(Box::new(Overview {
                    tree,
                    version: Some("4.3.11".into()),
                    running,
                    warnings: vec![],
                })),
            },
        )
    }

    #[test]
    fn a_costly_refresh_stretches_the_idle_interval_to_the_cpu_bound() {
        let mut state = fixture::state((120, 40));
        // 1 ms a load is far below 0.15 % of a core at 5 s: the setting holds.
        update(&mut state, Msg::LoadCost(Duration::from_millis(1)));
        assert_eq!(
            loaded(&mut state, fixture::tree(), vec![]).last(),
            Some(&Effect::RefreshAfter(Duration::from_secs(5)))
        );
        assert_eq!(state.stretched_interval(), None);
        // 42 ms a load at 0.15 %: one every 28 s.
        update(&mut state, Msg::LoadCost(Duration::from_millis(42)));
        state.data.loading = true;
        assert_eq!(
            loaded(&mut state, fixture::tree(), vec![]).last(),
            Some(&Effect::RefreshAfter(Duration::from_secs(28)))
        );
        assert_eq!(state.stretched_interval(), Some(Duration::from_secs(28)));
        // Failing: the configured interval, to recover soon.
        state.data.loading = true;
        update(
            &mut state,
            Msg::Loaded {
                context: "pfcore".into(),
                result: Err("cannot connect".into()),
            },
        );
        assert_eq!(state.refresh_interval(), Duration::from_secs(5));
        loaded(&mut state, fixture::tree(), vec![]);
        // A deployment running: its own interval, whatever the cost.
        state.data.loading = true;
        let running = fixture::deployment("d1", DeploymentStatus::InProgress, 1, "wip");
        assert_eq!(
            loaded(&mut state, fixture::tree(), vec![running]).last(),
            Some(&Effect::RefreshAfter(Duration::from_secs(2)))
        );
        assert_eq!(state.stretched_interval(), None);
    }

    #[test]
    fn the_first_load_selects_the_first_application_and_fetches_its_deployments() {
        let state = fixture::state((120, 40));
        let mut fresh = State::new(
            state.context.clone(),
            Settings::default(),
            state.theme.clone(),
            state.depth,
            None,
            now(),
            (120, 40),
        );
        let effects = loaded(&mut fresh, fixture::tree(), vec![]);
        assert!(effects.contains(&Effect::LoadRecent("app-air-dev".into())));
        assert!(effects.contains(&Effect::RefreshAfter(Duration::from_secs(5))));
        assert_eq!(selected_label(&fresh), "air-dev");
    }

    #[test]
    fn vim_keys_move_collapse_and_expand() {
        let mut state = fixture::state((120, 40));
        key(&mut state, KeyCode::Char('j'));
        assert_eq!(selected_label(&state), "staging");
        let effects = key(&mut state, KeyCode::Char('j'));
        assert_eq!(selected_label(&state), "air-staging");
        assert_eq!(
            effects,
            [Effect::RecentAfter(
                "app-air-staging".into(),
                RECENT_DEBOUNCE
            )]
        );
        key(&mut state, KeyCode::Char('h'));
        assert_eq!(
            selected_label(&state),
            "staging",
            "h on a leaf goes to the parent"
        );
        key(&mut state, KeyCode::Char('h'));
        assert!(
            state
                .collapsed
                .contains(&NodeId::Environment("p-AIR".into(), "staging".into()))
        );
        let rows = state.rows.len();
        key(&mut state, KeyCode::Char('l'));
        assert_eq!(state.rows.len(), rows + 1);
        key(&mut state, KeyCode::Char('G'));
        assert_eq!(state.selected, state.rows.len() - 1);
        key(&mut state, KeyCode::Char('g'));
        assert_eq!(state.selected, 0);
        key(&mut state, KeyCode::PageDown);
        assert!(state.selected > 10);
    }

    #[test]
    fn the_filter_narrows_live_and_esc_clears_it() {
        let mut state = fixture::state((120, 40));
        let all = state.rows.len();
        key(&mut state, KeyCode::Char('/'));
        assert!(state.filtering);
        typed(&mut state, "w4mprod");
        assert!(state.rows.len() < all);
        assert_eq!(selected_label(&state), "w4m-prod");
        key(&mut state, KeyCode::Enter);
        assert!(!state.filtering);
        assert_eq!(state.filter, "w4mprod");
        key(&mut state, KeyCode::Esc);
        assert_eq!(state.filter, "");
        assert_eq!(state.rows.len(), all);
        assert_eq!(selected_label(&state), "w4m-prod", "the selection survives");
    }

    #[test]
    fn the_palette_completes_and_runs_commands() {
        let mut state = fixture::state((120, 40));
        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "se");
        key(&mut state, KeyCode::Tab);
        assert_eq!(
            state.overlay,
            Some(Overlay::Palette(Palette {
                input: "servers".into(),
                choice: None
            }))
        );
        key(&mut state, KeyCode::Enter);
        assert_eq!(state.screen, Screen::Servers);
        assert_eq!(state.overlay, None);

        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "theme light");
        let effects = key(&mut state, KeyCode::Enter);
        // The theme is read by the runner (a user theme is a file), not by update.
        let [Effect::LoadTheme { name, dir, depth }] = &effects[..] else {
            panic!("{effects:?}");
        };
        let result = crate::tui::theme::Theme::load(name, dir.as_deref(), *depth)
            .map(Box::new)
            .map_err(|e| e.to_string());
        let name = name.clone();
        update(&mut state, Msg::Theme { name, result });
        assert_eq!(state.theme.name, "light");

        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "ctx lab");
        let effects = key(&mut state, KeyCode::Enter);
        assert!(effects.is_empty());
        assert!(state.flash.as_ref().unwrap().error);
        assert!(
            state
                .flash
                .as_ref()
                .unwrap()
                .text
                .contains("no context named 'lab'")
        );

        state.contexts = vec!["lab".into()];
        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "ctx lab");
        assert_eq!(
            key(&mut state, KeyCode::Enter),
            [Effect::OpenContext("lab".into())]
        );

        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "q");
        key(&mut state, KeyCode::Enter);
        assert!(state.quit);
    }

    #[test]
    fn help_scrolls_and_any_other_key_closes_it() {
        let mut state = fixture::state((80, 24));
        key(&mut state, KeyCode::Char('?'));
        assert!(matches!(
            state.overlay,
            Some(Overlay::Page {
                page: Page::Help(Mode::Tree),
                scroll: 0
            })
        ));
        key(&mut state, KeyCode::Char('j'));
        key(&mut state, KeyCode::Char('j'));
        assert!(matches!(
            state.overlay,
            Some(Overlay::Page { scroll: 2, .. })
        ));
        key(&mut state, KeyCode::Char('G'));
        let Some(Overlay::Page { scroll, .. }) = state.overlay else {
            panic!("the help is open");
        };
        assert_eq!(
            scroll,
            views::page::max_scroll(&state, Page::Help(Mode::Tree))
        );
        assert!(scroll > 2, "the tree's help does not fit in 24 rows");
        key(&mut state, KeyCode::Char('x'));
        assert_eq!(state.overlay, None);
        assert_eq!(
            selected_label(&state),
            "air-dev",
            "the closing key does nothing else"
        );
    }

    #[test]
    fn a_failed_refresh_keeps_the_data_marks_it_stale_and_recovers() {
        let mut state = fixture::state((120, 40));
        assert_eq!(
            update(&mut state, Msg::RefreshDue),
            [Effect::Load { full: false }]
        );
        assert!(
            update(&mut state, Msg::RefreshDue).is_empty(),
            "one load at a time"
        );
        let effects = update(
            &mut state,
            Msg::Loaded {
                context: "pfcore".into(),
                result: Err("cannot connect to https://coolify.pfcore.io".into()),
            },
        );
        assert_eq!(effects, [Effect::RefreshAfter(Duration::from_secs(5))]);
        let err = state.data.error.clone().unwrap();
        assert!(err.message.contains("cannot connect"));
        assert_eq!(state.data.tree, fixture::tree(), "the last data is kept");
        assert_eq!(
            update(&mut state, Msg::RefreshDue),
            [Effect::Load { full: true }]
        );
        loaded(&mut state, fixture::tree(), vec![]);
        assert!(state.data.error.is_none());
        assert!(
            state
                .flash
                .as_ref()
                .unwrap()
                .text
                .starts_with("reconnected")
        );
    }

    #[test]
    fn loads_for_another_context_are_ignored() {
        let mut state = fixture::state((120, 40));
        update(
            &mut state,
            Msg::Loaded {
                context: "old".into(),
                result: Err("boom".into()),
            },
        );
        assert!(state.data.error.is_none());
    }

    #[test]
    fn an_idle_tick_redraws_only_when_something_shown_moves() {
        let mut state = fixture::state((120, 40));
        loaded(&mut state, fixture::tree(), vec![]);
        assert!(!state.animating());
        let start = state.now;
        let at = |secs| start + jiff::SignedDuration::from_secs(secs);
        assert_eq!(
            update(&mut state, Msg::Tick(at(5))),
            vec![],
            "still just now"
        );
        assert_eq!(
            update(&mut state, Msg::Tick(at(10))),
            vec![Effect::Redraw],
            "refreshed 10s ago"
        );
        assert_eq!(update(&mut state, Msg::Tick(at(11))), vec![]);
        state.flash = Some(Flash {
            text: "copied".into(),
            error: false,
            at: at(11),
        });
        assert_eq!(update(&mut state, Msg::Tick(at(12))), vec![]);
        assert_eq!(
            update(&mut state, Msg::Tick(at(16))),
            vec![Effect::Redraw],
            "the flash went away"
        );
        state.data.loading = true;
        assert_eq!(
            update(&mut state, Msg::Tick(at(17))),
            vec![Effect::Redraw],
            "a spinner turns"
        );
    }

    #[test]
    fn changed_statuses_are_highlighted_for_a_while() {
        let mut state = fixture::state((120, 40));
        let mut tree = fixture::tree();
        tree.projects[0].environments[0].resources[0].status =
            ResourceStatus::parse("exited:unhealthy");
        loaded(&mut state, tree, vec![]);
        assert!(state.changed.contains_key("app-air-dev"));
        update(
            &mut state,
            Msg::Tick(now() + jiff::SignedDuration::from_secs(10)),
        );
        assert!(state.changed.is_empty());
    }

    #[test]
    fn running_deployments_mark_their_apps_and_speed_up_refresh() {
        let mut state = fixture::state((120, 40));
        let running = fixture::deployment("d1", DeploymentStatus::InProgress, 1, "wip");
        let effects = loaded(&mut state, fixture::tree(), vec![running]);
        assert!(state.data.deploying.contains_key("app-air-dev"));
        assert!(effects.contains(&Effect::LoadRecent("app-air-dev".into())));
        assert!(effects.contains(&Effect::RefreshAfter(Duration::from_secs(2))));
        assert!(state.animating());
        let effects = loaded(&mut state, fixture::tree(), vec![]);
        assert!(
            effects.contains(&Effect::LoadRecent("app-air-dev".into())),
            "its history moved"
        );
    }

    #[test]
    fn the_log_moves_on_to_the_next_deployment_of_the_same_application() {
        let mut state = fixture::state((120, 40));
        let older = fixture::deployment("d1", DeploymentStatus::InProgress, 3, "first");
        let newer = fixture::deployment("d2", DeploymentStatus::InProgress, 1, "second");
        loaded(
            &mut state,
            fixture::tree(),
            vec![newer.clone(), older.clone()],
        );
        assert_eq!(
            state.data.deploying["app-air-dev"].uuid, "d2",
            "the newer one"
        );
        loaded(&mut state, fixture::tree(), vec![older.clone()]);
        let effects = loaded(&mut state, fixture::tree(), vec![older]);
        assert!(!effects.contains(&Effect::LoadRecent("app-air-dev".into())));
        // The followed deployment ends while the next one of the same application runs.
        let effects = loaded(&mut state, fixture::tree(), vec![newer.clone()]);
        assert!(
            effects.contains(&Effect::LoadRecent("app-air-dev".into())),
            "its history moved"
        );
        let context = state.context.name.clone();
        let effects = update(
            &mut state,
            Msg::Recent {
                context,
                app: "app-air-dev".into(),
                result: Ok(vec![newer]),
            },
        );
        assert!(effects.contains(&Effect::FollowLog {
            name: "air-dev".into(),
            deployment: "d2".into(),
        }));
    }

    #[test]
    fn quit_keys_and_signals() {
        let mut state = fixture::state((120, 40));
        update(
            &mut state,
            Msg::Key(KeyEvent {
                code: KeyCode::Char('c'),
                modifiers: KeyModifiers::CONTROL,
                kind: KeyEventKind::Press,
                state: KeyEventState::NONE,
            }),
        );
        assert!(state.quit);
        let mut state = fixture::state((120, 40));
        key(&mut state, KeyCode::Char('q'));
        assert!(state.quit);
        let mut state = fixture::state((120, 40));
        update(&mut state, Msg::Quit);
        assert!(state.quit);
    }

    #[test]
    fn mouse_clicks_select_and_the_wheel_scrolls() {
        let mut state = fixture::state((120, 40));
        let click = |row| {
            Msg::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: 5,
                row,
                modifiers: KeyModifiers::NONE,
            })
        };
        // Row 0 is the header, row 1 the tree's border: row 2 is the first tree row.
        update(&mut state, click(2));
        assert_eq!(state.selected, 0);
        update(&mut state, click(5));
        assert_eq!(selected_label(&state), "air-dev");
        update(
            &mut state,
            Msg::Mouse(MouseEvent {
                kind: MouseEventKind::ScrollDown,
                column: 5,
                row: 10,
                modifiers: KeyModifiers::NONE,
            }),
        );
        assert_eq!(state.selected, 6);
        state.settings.mouse = false;
        update(&mut state, click(2));
        assert_eq!(state.selected, 6, "mouse off: clicks are the terminal's");
    }

    #[test]
    fn resizing_keeps_the_selection_visible() {
        let mut state = fixture::state((120, 40));
        key(&mut state, KeyCode::Char('G'));
        update(&mut state, Msg::Resize(80, 24));
        let height = state.tree_height();
        assert!(state.selected >= state.offset && state.selected < state.offset + height);
    }
}
