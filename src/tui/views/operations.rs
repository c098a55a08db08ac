//! The `:ops` list: the operations started here (keys, palette, agent), running ones with
//! their progress, ended ones with their verdict, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::time;
use crate::tui::operations::Operation;
use crate::tui::paint::{centered, fit, printable_lines};
use crate::tui::state::State;

pub fn draw(state: &State, selected: usize, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let title_width = state
        .operations
        .all()
        .map(|op| op.title.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    let mut lines: Vec<Line> = state
        .operations
        .all()
        .enumerate()
        .map(|(i, op)| {
            let line = row(state, op, title_width);
            if i == selected {
                line.style(theme.selection())
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            " no operation started in this session yet",
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " j/k choose · enter: a running one's log, an ended one's result · esc close",
        theme.dim(),
    ));
    let target = centered(area, 100, lines.len() as u16 + 2);
    let block = state.paint().popup(frame, target, "Operations");
    frame.render_widget(Paragraph::new(printable_lines(lines)).block(block), target);
}

fn row(state: &State, op: &Operation, title_width: usize) -> Line<'static> {
    let theme = &state.theme;
    let (glyph, style) = match op.state() {
        "running" => (state.paint().spinner().to_string(), theme.deploying()),
        "succeeded" => ("✓".to_string(), theme.ok()),
        _ => ("✗".to_string(), theme.error()),
    };
    let (when, detail) = match &op.ended {
        None => (
            format!(
                "for {}",
                time::compact(state.now.duration_since(op.started))
            ),
            op.progress(),
        ),
        Some(ended) => (
            time::age(ended.at, state.now),
            match &ended.result {
                Ok(outcome) => outcome.summary.clone(),
                Err(e) => e.clone(),
            },
        ),
    };
    Line::from(vec![
        Span::styled(format!(" {glyph} "), style),
        Span::styled(
            format!("{:<title_width$} ", fit(&op.title, title_width)),
            theme.text(),
        ),
        Span::styled(format!("{:<12}", op.state()), style),
        Span::styled(format!("{when:<10} "), theme.dim()),
        Span::styled(detail, theme.dim()),
    ])
}
