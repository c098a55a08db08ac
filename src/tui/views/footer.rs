//! The bottom line: the keys that matter here, the filter being typed, or a message.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::printable_spans;
use crate::settings::KeyAction;
use crate::tui::state::{Screen, State};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    // A message, or else why the data is stale (often in a server's words).
    let flash = match (&state.flash, &state.data.error) {
        (Some(f), _) => Some(Span::styled(
            format!("{} ", f.text),
            if f.error {
                theme.error()
            } else {
                theme.accent()
            },
        )),
        (None, Some(err)) => Some(Span::styled(format!("{} ", err.message), theme.error())),
        (None, None) => None,
    }
    .map(|f| printable_spans(Line::from(f)));
    let flash_width = flash
        .as_ref()
        .map_or(0, |f| f.width() as u16)
        .min(area.width * 3 / 5);
    let [left, right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(flash_width)]).areas(area);
    if let Some(flash) = flash {
        frame.render_widget(Paragraph::new(flash).right_aligned(), right);
    }
    if state.filtering || !state.filter.is_empty() {
        let mut spans = vec![
            Span::styled(" /", theme.accent()),
            Span::styled(state.filter.clone(), theme.text()),
        ];
        if state.filtering {
            spans.push(Span::styled("▏", theme.accent()));
            spans.push(Span::styled(
                "  enter keep · esc clear · ↑↓ move",
                theme.dim(),
            ));
        } else {
            spans.push(Span::styled("  esc clears the filter", theme.dim()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), left);
        return;
    }
    if state.agent.open && state.screen == Screen::Tree {
        let text = if state.agent.waiting.is_empty() {
            " enter send · alt-enter newline · ↑ history · esc close (or cancel a turn) · ctrl-c cancels a turn"
        } else {
            " y run · n reject (with a reason) · a allow for this session · e edit the arguments · esc close"
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), left);
        return;
    }
    let hints: &[(KeyAction, &str)] = match state.screen {
        Screen::Tree if state.log_focused() => &[
            (KeyAction::Filter, "search"),
            (KeyAction::Follow, "follow"),
            (KeyAction::Wrap, "wrap"),
            (KeyAction::Timestamps, "time"),
            (KeyAction::Hidden, "debug"),
            (KeyAction::NextMatch, "next match"),
            (KeyAction::Mark, "mark"),
            (KeyAction::Copy, "copy"),
            (KeyAction::Save, "save"),
            (KeyAction::Fullscreen, "full"),
            (KeyAction::History, "list"),
            (KeyAction::RuntimeLogs, "container"),
        ],
        Screen::Tree => &[
            (KeyAction::Down, "move"),
            (KeyAction::Expand, "open"),
            (KeyAction::Collapse, "close"),
            (KeyAction::Filter, "filter"),
            (KeyAction::NextPane, "pane"),
            (KeyAction::Deploy, "deploy"),
            (KeyAction::Promote, "promote"),
            (KeyAction::Rollback, "rollback"),
            (KeyAction::Servers, "servers"),
            (KeyAction::Palette, "command"),
            (KeyAction::Help, "help"),
            (KeyAction::Quit, "quit"),
        ],
        Screen::Servers => &[
            (KeyAction::Down, "move"),
            (KeyAction::Servers, "tree"),
            (KeyAction::Palette, "command"),
            (KeyAction::Refresh, "refresh"),
            (KeyAction::Help, "help"),
            (KeyAction::Quit, "quit"),
        ],
    };
    let mut spans = vec![Span::raw(" ")];
    for (action, what) in hints {
        let Some(key) = state.keymap.first_key(*action) else {
            continue;
        };
        spans.push(Span::styled(key, theme.accent()));
        spans.push(Span::styled(format!(" {what}  "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
}
