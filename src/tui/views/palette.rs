//! The `:` command line with its completions above it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::overlay::Palette;
use crate::tui::paint::printable_lines;
use crate::tui::palette::{complete, describe};
use crate::tui::state::State;

pub fn draw(state: &State, palette: &Palette, frame: &mut Frame, footer: Rect) {
    let theme = &state.theme;
    frame.render_widget(Clear, footer);
    let input = Line::from(vec![
        Span::styled(" :", theme.accent()),
        Span::styled(palette.input.clone(), theme.text()),
        Span::styled("▏", theme.accent()),
        Span::styled(
            "   tab complete · ↑↓ choose · enter run · esc close",
            theme.dim(),
        ),
    ]);
    frame.render_widget(Paragraph::new(input).style(theme.base()), footer);

    let candidates = complete(&palette.input, &state.contexts, &state.themes);
    if candidates.is_empty() {
        return;
    }
    let shown = candidates.len().min(8) as u16;
    let area = Rect::new(
        footer.x,
        footer.y.saturating_sub(shown + 2),
        footer.width.min(56),
        shown + 2,
    );
    let lines: Vec<Line> = candidates
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, c)| {
            let line = Line::from(vec![
                Span::styled(format!(" {c:<22}"), theme.text()),
                Span::styled(describe(c), theme.dim()),
            ]);
            if palette.choice == Some(i) {
                line.style(theme.selection())
            } else {
                line
            }
        })
        .collect();
    let block = state.paint().popup(frame, area, "Commands");
    frame.render_widget(Paragraph::new(printable_lines(lines)).block(block), area);
}
