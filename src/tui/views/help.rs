//! The `?` overlay: the keys of the current view, in two columns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, popup};
use crate::tui::palette;
use crate::tui::state::{Screen, State};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let key = |keys: String, what: &str| {
        Line::from(vec![
            Span::styled(format!(" {keys:<14}"), theme.accent()),
            Span::styled(what.to_string(), theme.text()),
        ])
    };
    let view = match state.screen {
        Screen::Tree => "tree",
        Screen::Servers => "servers",
    };
    let mut keys: Vec<Line> = state
        .keymap
        .help()
        .map(|(keys, what)| key(keys, what))
        .collect();
    keys.push(key("esc".into(), "clear filter / back"));
    keys.push(key("ctrl-c".into(), "quit, always"));
    if state.settings.mouse {
        keys.push(key("mouse".into(), "click selects, wheel scrolls"));
    }
    let mut commands = vec![Line::styled(" Commands (:)", theme.dim())];
    for (_, typed, what) in palette::console_commands() {
        commands.push(key(format!(":{typed}"), what));
    }
    // Every operation is a command too (`:deploy`, `:promote air dev prod`).
    commands.push(key(":deploy …".into(), "an operation, as its key or CLI"));
    commands.push(Line::raw(""));
    commands.push(Line::styled(" any key closes this help", theme.dim()));

    let half = keys.len().div_ceil(2);
    let right_keys = keys.split_off(half);
    let mut right = right_keys;
    right.push(Line::raw(""));
    right.extend(commands);
    let rows = keys.len().max(right.len()) as u16;
    let target = centered(area, 96, rows + 3);
    let title = format!("Keys in the {view} view");
    let block = popup(state, frame, target, &title);
    let inner = block.inner(target);
    frame.render_widget(block, target);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    frame.render_widget(Paragraph::new(keys), left_area);
    frame.render_widget(Paragraph::new(right), right_area);
}
