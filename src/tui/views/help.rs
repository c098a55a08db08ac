//! What the `?` page says.

use ratatui::text::{Line, Span};

use crate::tui::modes::Mode;
use crate::tui::palette;
use crate::tui::state::State;

/// The keys of `mode` (the same table that decides what the keys do there), then the
/// `:` commands.
pub fn lines(state: &State, mode: Mode) -> Vec<Line<'static>> {
    let theme = &state.theme;
    let key = |keys: String, what: &str| {
        Line::from(vec![
            Span::styled(format!(" {keys:<16}"), theme.accent()),
            Span::styled(what.to_string(), theme.text()),
        ])
    };
    let mut lines: Vec<Line> = mode
        .bindings()
        .map(|(action, _)| {
            let what = mode
                .describe(action)
                .unwrap_or_else(|| state.keymap.describe(action));
            key(state.keymap.keys_of(action), what)
        })
        .collect();
    lines.push(key("esc".into(), "back / close"));
    lines.push(key("ctrl-c".into(), "quit, from everywhere"));
    if state.settings.mouse {
        lines.push(key("mouse".into(), "click selects, wheel scrolls"));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(" Commands (:)", theme.dim()));
    for (_, typed, what) in palette::console_commands() {
        lines.push(key(format!(":{typed}"), what));
    }
    // Every operation is a command too (`:deploy`, `:promote air dev prod`).
    lines.push(key(":deploy …".into(), "an operation, as its key or CLI"));
    lines
}
