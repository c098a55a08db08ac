//! The bottom line. On the left: a message, the filter being typed, the agent's keys, or
//! the keys of the current mode (the least useful dropped first when the line is short).
//! On the right, always: the keys for help and quit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::settings::KeyAction;
use crate::tui::modes::{ESSENTIAL, Mode};
use crate::tui::paint::{fit, printable_spans};
use crate::tui::state::{Screen, State};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let essential = hints(
        state,
        ESSENTIAL.iter().filter_map(|(a, h)| Some((*a, (*h)?))),
    );
    let [left, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(Line::from(essential.clone()).width() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(essential)), right);
    let room = usize::from(left.width);
    if state.tree.filtering {
        let spans = vec![
            Span::styled(" /", theme.accent()),
            Span::styled(state.tree.filter.clone(), theme.text()),
            Span::styled("▏", theme.accent()),
            Span::styled("  enter keep · esc clear · ↑↓ move", theme.dim()),
        ];
        frame.render_widget(Paragraph::new(Line::from(spans)), left);
        return;
    }
    // A message, or else why the data is stale (often in a server's words): the whole
    // text is in `:messages`.
    let message = match (&state.flash, &state.data.error) {
        (Some(f), _) => Some((
            f.text.as_str(),
            if f.error {
                theme.error()
            } else {
                theme.accent()
            },
        )),
        (None, Some(err)) => Some((err.message.as_str(), theme.error())),
        (None, None) => None,
    };
    if let Some((text, style)) = message {
        let line = printable_spans(Line::from(Span::styled(format!(" {text}"), style)));
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        frame.render_widget(
            Paragraph::new(Line::styled(fit(&text, room).into_owned(), style)),
            left,
        );
        return;
    }
    if !state.tree.filter.is_empty() && state.mode() == Mode::Tree {
        let spans = vec![
            Span::styled(" /", theme.accent()),
            Span::styled(state.tree.filter.clone(), theme.text()),
            Span::styled("  esc clears the filter", theme.dim()),
        ];
        frame.render_widget(Paragraph::new(Line::from(spans)), left);
        return;
    }
    let agent_keys = state.agent.focused || !state.agent.waiting.is_empty();
    if state.agent.open && state.screen == Screen::Tree && agent_keys {
        let text = if state.agent.waiting.is_empty() {
            " enter send · alt-enter newline · ↑ history · ctrl-u clear · tab tree · esc close (or cancel a turn)"
        } else {
            " y run · n reject (with a reason) · a allow for this session · e edit the arguments · esc close"
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), left);
        return;
    }
    let mut shown: Vec<(KeyAction, &str)> = state.mode().hints().collect();
    // Drop the least useful (the last) until the line fits.
    while !shown.is_empty() && Line::from(hints(state, shown.iter().copied())).width() > room {
        shown.pop();
    }
    frame.render_widget(
        Paragraph::new(Line::from(hints(state, shown.into_iter()))),
        left,
    );
}

/// ` key what ` spans of the keys bound to these actions.
fn hints<'a>(
    state: &State,
    actions: impl Iterator<Item = (KeyAction, &'a str)>,
) -> Vec<Span<'static>> {
    let theme = &state.theme;
    let mut spans = vec![Span::raw(" ")];
    for (action, what) in actions {
        let Some(key) = state.keymap.first_key(action) else {
            continue;
        };
        spans.push(Span::styled(key, theme.accent()));
        spans.push(Span::styled(format!(" {what}  "), theme.dim()));
    }
    spans
}
