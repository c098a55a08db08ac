//! The `?` overlay: the keys of the current view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, popup};
use crate::tui::state::{Screen, State};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let key = |keys: String, what: &str| {
        Line::from(vec![
            Span::styled(format!("  {keys:<18}"), theme.accent()),
            Span::styled(what.to_string(), theme.text()),
        ])
    };
    let view = match state.screen {
        Screen::Tree => "tree",
        Screen::Servers => "servers",
    };
    let mut lines = vec![Line::styled(
        format!(" Keys in the {view} view"),
        theme.dim(),
    )];
    lines.extend(state.keymap.help().map(|(keys, what)| key(keys, what)));
    lines.push(key("esc".into(), "clear the filter / back to the tree"));
    lines.push(key("ctrl-c".into(), "quit, always"));
    if state.settings.mouse {
        lines.push(key("mouse".into(), "click selects, wheel scrolls"));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(" Commands (:)", theme.dim()));
    for (cmd, what) in [
        (":servers / :tree", "switch view"),
        (":ctx NAME", "switch context"),
        (":theme NAME", "switch theme"),
        (":q", "quit"),
    ] {
        lines.push(key(cmd.into(), what));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(" any key closes this help", theme.dim()));
    let height = lines.len() as u16 + 2;
    let target = centered(area, 62, height);
    let block = popup(state, frame, target, "Help");
    frame.render_widget(Paragraph::new(lines).block(block), target);
}
