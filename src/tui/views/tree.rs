//! The left pane: context -> projects -> environments -> resources.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::pane;
use crate::model::ResourceKind;
use crate::tui::outline::{Counts, NodeId, Row, RowKind};
use crate::tui::paint::printable_spans;
use crate::tui::state::{Pane, State};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let title = if state.filter.is_empty() {
        "Tree".to_string()
    } else {
        format!("Tree /{}", state.filter)
    };
    let block = pane(state, &title, Pane::Left);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = state
        .rows
        .iter()
        .enumerate()
        .skip(state.offset)
        .take(height)
        .map(|(i, row)| {
            let line = printable_spans(row_line(state, row));
            if i == state.selected {
                let pad = width.saturating_sub(line.width());
                let mut line = line;
                line.spans.push(Span::raw(" ".repeat(pad)));
                line.style(state.theme.selection())
            } else {
                line
            }
        })
        .collect();
    if lines.len() <= 1 && state.data.loaded_at.is_some() && !state.filter.is_empty() {
        let mut lines = lines;
        lines.push(Line::styled(
            "  nothing matches the filter",
            state.theme.dim(),
        ));
        frame.render_widget(Paragraph::new(lines), inner);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
    if state.rows.len() > height {
        let mut bar =
            ScrollbarState::new(state.rows.len().saturating_sub(height)).position(state.offset);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .style(state.theme.dim()),
            area.inner(Margin::new(0, 1)),
            &mut bar,
        );
    }
}

fn row_line<'a>(state: &'a State, row: &'a Row) -> Line<'a> {
    let theme = &state.theme;
    let indent = "  ".repeat(usize::from(row.depth.saturating_sub(1)));
    let fold = match row.expanded {
        Some(true) => "▾ ",
        Some(false) => "▸ ",
        None => "  ",
    };
    let mut spans = vec![Span::raw(indent), Span::styled(fold, theme.dim())];
    match &row.kind {
        RowKind::Context => {
            spans.push(Span::styled(format!("⎈ {}", row.label), theme.accent()));
        }
        RowKind::Project => spans.push(Span::styled(row.label.clone(), theme.text().bold())),
        RowKind::Environment => spans.push(Span::styled(row.label.clone(), theme.text())),
        RowKind::Unplaced => spans.push(Span::styled(row.label.clone(), theme.warning())),
        RowKind::Resource {
            kind,
            status,
            deploying,
        } => {
            let marked = matches!(&row.id, NodeId::Resource(uuid) if state.marked.contains(uuid));
            if marked {
                spans.push(Span::styled("+", theme.accent().bold()));
            }
            spans.push(state.paint().status_glyph(status, *deploying));
            spans.push(Span::raw(" "));
            let changed =
                matches!(&row.id, NodeId::Resource(uuid) if state.changed.contains_key(uuid));
            let style = if changed {
                theme.changed()
            } else {
                theme.text()
            };
            spans.push(Span::styled(row.label.clone(), style));
            let suffix = match kind {
                ResourceKind::Application => None,
                ResourceKind::Database => Some("db"),
                ResourceKind::Service => Some("svc"),
            };
            if let Some(suffix) = suffix {
                spans.push(Span::styled(format!(" {suffix}"), theme.dim()));
            }
        }
    }
    if row.expanded == Some(false) || matches!(row.kind, RowKind::Context) {
        spans.extend(counts(state, row.counts));
    }
    Line::from(spans)
}

/// ` ●8 ○1 ⠋1` on collapsed nodes.
fn counts(state: &State, c: Counts) -> Vec<Span<'static>> {
    let theme = &state.theme;
    let mut spans = vec![Span::raw("  ")];
    if c.ok > 0 {
        spans.push(Span::styled(format!("●{} ", c.ok), theme.ok()));
    }
    if c.bad > 0 {
        spans.push(Span::styled(format!("○{} ", c.bad), theme.error()));
    }
    if c.deploying > 0 {
        spans.push(Span::styled(
            format!("⟳{} ", c.deploying),
            theme.deploying(),
        ));
    }
    if c.total == 0 {
        spans.push(Span::styled("empty", theme.dim()));
    }
    spans
}
