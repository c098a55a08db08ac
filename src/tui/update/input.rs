//! What a key or the mouse does: the layers a key goes through (the first that consumes it
//! wins), the mode's actions, moving in lists, the palette, pages and the filter line.
//! Part of `update`.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::actions;
use super::agent;
use super::batch;
use super::logs;
use super::running;
use super::{audit, config, deployments, pipeline};
use super::{refresh, selection_moved};
use crate::settings::KeyAction;
use crate::tui::data::Data;
use crate::tui::layout;
use crate::tui::msg::Effect;
use crate::tui::overlay::{Overlay, Page, Palette};
use crate::tui::palette;
use crate::tui::panes::tree::TreePane;
use crate::tui::panes::{self, Handled};
use crate::tui::state::{Lower, Pane, Screen, State};
use crate::tui::views;

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

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
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
            Self::Overlay => match state.overlays.top() {
                Some(Overlay::Page { .. }) => consumed(on_page_key(state, key)),
                Some(Overlay::Operations { .. }) => {
                    consumed(running::on_operations_key(state, key))
                }
                Some(Overlay::Palette(_)) => consumed(on_palette_key(state, key)),
                Some(Overlay::Card(_)) => consumed(actions::on_card_key(state, key)),
                None => Handled::Ignored,
            },
            Self::Agent => agent::on_key(state, key).map_or(Handled::Ignored, consumed),
            Self::View if state.screen == Screen::Deployments => deployments::on_key(state, key),
            Self::View if state.screen == Screen::Audit => audit::on_key(state, key),
            Self::View => Handled::Ignored,
            Self::Filter if state.tree.filtering => consumed(on_filter_key(state, key)),
            Self::Filter => Handled::Ignored,
            Self::Log if state.log_focused() => {
                let action = state.keymap.action(&key, state.mode());
                logs::on_key(state, key, action).map_or(Handled::Ignored, consumed)
            }
            Self::Log => Handled::Ignored,
            Self::Back if key.code == KeyCode::Esc => {
                if state.screen == Screen::Tree && !state.tree.marked.is_empty() {
                    state.tree.marked.clear();
                    state.tell("marks cleared", false);
                } else if state.screen != Screen::Tree {
                    state.screen = Screen::Tree;
                } else if !state.tree.filter.is_empty() {
                    state.tree.clear_filter(&state.data, &state.context.name);
                }
                consumed(Vec::new())
            }
            Self::Back => Handled::Ignored,
            // A key does only what its mode lists (and the footer and help show).
            Self::Keys => match state.keymap.action(&key, state.mode()) {
                Some(action) if state.mode().allows(action) => consumed(on_action(state, action)),
                _ => Handled::Ignored,
            },
        }
    }
}

fn on_action(state: &mut State, action: KeyAction) -> Vec<Effect> {
    let view = match state.screen {
        Screen::Pipeline => pipeline::on_key(state, action),
        Screen::Config => config::on_key(state, action),
        _ => Handled::Ignored,
    };
    if let Handled::Consumed(effects) = view {
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
            state.overlays.open(Overlay::Palette(Palette::default()));
            Vec::new()
        }
        KeyAction::Filter => {
            state.screen = Screen::Tree;
            state.focus = Pane::Left;
            state.tree.start_filter();
            Vec::new()
        }
        KeyAction::Refresh => refresh(state, true),
        KeyAction::Pick => batch::toggle(state),
        KeyAction::Servers => show(state, Screen::Servers),
        KeyAction::Pipeline => pipeline::toggle(state),
        KeyAction::Deployments if state.screen != Screen::Deployments => deployments::open(state),
        KeyAction::Deployments => show(state, Screen::Deployments),
        KeyAction::Operations => {
            state.overlays.open(Overlay::Operations { selected: 0 });
            Vec::new()
        }
        KeyAction::Audit if state.screen != Screen::Audit => audit::open(state),
        KeyAction::Audit => show(state, Screen::Audit),
        KeyAction::Config => config::toggle(state),
        KeyAction::NextPane => {
            state.focus = match state.focus {
                Pane::Left => Pane::Details,
                Pane::Details => Pane::Lower,
                Pane::Lower => Pane::Left,
            };
            Vec::new()
        }
        KeyAction::Up
        | KeyAction::Down
        | KeyAction::PageUp
        | KeyAction::PageDown
        | KeyAction::Top
        | KeyAction::Bottom
            if state.screen == Screen::Tree && state.focus == Pane::Left =>
        {
            on_tree(state, |tree, data, context| {
                tree.on_key(action, data, context)
            })
            .effects()
        }
        KeyAction::Up
        | KeyAction::Down
        | KeyAction::PageUp
        | KeyAction::PageDown
        | KeyAction::Top
        | KeyAction::Bottom => {
            let delta = panes::motion(action, state.tree.height).unwrap_or_default();
            move_by(state, delta)
        }
        KeyAction::Collapse | KeyAction::Expand => on_tree(state, |tree, data, context| {
            tree.on_key(action, data, context)
        })
        .effects(),
        KeyAction::Select => select(state),
        KeyAction::Deploy
        | KeyAction::ForceDeploy
        | KeyAction::Restart
        | KeyAction::StopStart
        | KeyAction::Cancel
        | KeyAction::Promote
        | KeyAction::Rollback => actions::on_action(state, action),
        // Only the config view applies (its key table has it; it took it above).
        KeyAction::Apply => Vec::new(),
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

/// Switch to a view of the whole platform, or back to the tree from it.
fn show(state: &mut State, screen: Screen) -> Vec<Effect> {
    state.screen = if state.screen == screen {
        Screen::Tree
    } else {
        screen
    };
    Vec::new()
}

/// Move in the focused pane by `delta` rows.
fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    match (state.screen, state.focus) {
        (Screen::Pipeline, _) => state.pipeline.move_rows(delta),
        (Screen::Deployments, _) => return deployments::move_by(state, delta),
        (Screen::Audit, _) => return audit::move_by(state, delta),
        (Screen::Config, _) => return config::scroll_by(state, delta),
        (Screen::Servers, _) => {
            let len = state.data.tree.servers.len();
            state.servers.move_by(delta, len);
        }
        (Screen::Tree, Pane::Details) => {
            let most = state.details_most();
            state.details.scroll_by(delta, most);
        }
        (Screen::Tree, Pane::Lower) => {
            let len = state
                .selected_app()
                .and_then(|a| state.recent.get(a))
                .map_or(0, |r| r.deployments.len());
            state.history.move_by(delta, len);
        }
        (Screen::Tree, Pane::Left) => {
            return on_tree(state, |tree, _, _| {
                tree.move_by(delta);
                Handled::Consumed(Vec::new())
            })
            .effects();
        }
    }
    Vec::new()
}

/// Give the tree a key; a new selection then shows its details and log.
fn on_tree(state: &mut State, key: impl FnOnce(&mut TreePane, &Data, &str) -> Handled) -> Handled {
    let before = state.tree.selected_id().cloned();
    let Handled::Consumed(mut effects) = key(&mut state.tree, &state.data, &state.context.name)
    else {
        return Handled::Ignored;
    };
    if state.tree.selected_id() != before.as_ref() {
        effects.extend(selection_moved(state));
    }
    Handled::Consumed(effects)
}

fn select(state: &mut State) -> Vec<Effect> {
    if state.focus == Pane::Lower && state.lower == Lower::History {
        return logs::open_from_history(state);
    }
    if state.selected_row().is_none() {
        return Vec::new();
    }
    match on_tree(state, |tree, data, context| {
        tree.on_key(KeyAction::Select, data, context)
    }) {
        Handled::Consumed(effects) => effects,
        // Enter on a resource: its log below.
        Handled::Ignored => {
            state.focus = Pane::Lower;
            Vec::new()
        }
    }
}

fn open_help(state: &mut State) {
    open_page(state, Page::Help(state.mode()));
}

/// Open a page, at its end for the messages (the newest are last).
fn open_page(state: &mut State, page: Page) {
    let scroll = match page {
        Page::Help(_) => 0,
        Page::Messages => views::page::max_scroll(state, page),
    };
    state.overlays.open(Overlay::Page { page, scroll });
}

/// A page scrolls with the moving keys; any other key closes it.
fn on_page_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let action = state.keymap.action(&key, state.mode());
    let Some(Overlay::Page { page, .. }) = state.overlays.top() else {
        return Vec::new();
    };
    let most = i32::from(views::page::max_scroll(state, *page));
    let Some(Overlay::Page { scroll, .. }) = state.overlays.top_mut() else {
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
            state.overlays.close();
            return Vec::new();
        }
    };
    *scroll = (i32::from(*scroll) + by).clamp(0, most) as u16;
    Vec::new()
}

fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    on_tree(state, |tree, data, context| {
        tree.on_filter_key(key, data, context)
    })
    .effects()
}

fn on_palette_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::Palette(palette)) = state.overlays.top_mut() else {
        return Vec::new();
    };
    let candidates = palette::complete(&palette.input, &state.contexts, &state.themes);
    match key.code {
        KeyCode::Esc => {
            state.overlays.close();
        }
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
            state.overlays.close();
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
        Ok(palette::Command::Deployments) => return deployments::open(state),
        Ok(palette::Command::Quit) => state.quit = true,
        Ok(palette::Command::Help) => open_help(state),
        Ok(palette::Command::Messages) => open_page(state, Page::Messages),
        Ok(palette::Command::Operations) => return on_action(state, KeyAction::Operations),
        Ok(palette::Command::Refresh) => return refresh(state, true),
        Ok(palette::Command::Audit) => return audit::open(state),
        Ok(palette::Command::Config(place)) => {
            return match place {
                Some((project, environment)) => config::open_at(state, &project, &environment),
                None => config::open(state),
            };
        }
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

pub(super) fn on_mouse(state: &mut State, mouse: MouseEvent) -> Vec<Effect> {
    if !state.settings.mouse || !state.overlays.is_empty() {
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
                    let index = state.tree.offset + row;
                    if index == state.tree.selected {
                        return select(state);
                    }
                    on_tree(state, |tree, _, _| {
                        tree.select(index);
                        Handled::Consumed(Vec::new())
                    })
                    .effects()
                }
                (Screen::Servers, Pane::Left) if mouse.row > areas.left.y => {
                    if row < state.data.tree.servers.len() {
                        state.servers.selected = row;
                    }
                    Vec::new()
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}
