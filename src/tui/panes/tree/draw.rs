//! Drawing the tree: one line per row, the selected one highlighted, folded nodes with
//! their counts.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use std::collections::HashMap;

use jiff::Timestamp;

use super::TreePane;
use crate::model::ResourceKind;
use crate::tui::data::Data;
use crate::tui::outline::{Counts, NodeId, Row, RowKind};
use crate::tui::paint::{Paint, printable_spans};

/// The tree in `area`; `changed` are the resources whose status changed lately.
pub fn draw(
    pane: &TreePane,
    frame: &mut Frame,
    area: Rect,
    paint: Paint,
    focused: bool,
    data: &Data,
    changed: &HashMap<String, Timestamp>,
) {
    let look = Look {
        pane,
        paint,
        changed,
    };
    let title = if pane.filter.is_empty() {
        "Tree".to_string()
    } else {
        format!("Tree /{}", pane.filter)
    };
    let block = paint.bordered(&title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = pane
        .rows
        .iter()
        .enumerate()
        .skip(pane.offset)
        .take(height)
        .map(|(i, row)| {
            let line = printable_spans(look.row_line(row));
            if i == pane.selected {
                let pad = width.saturating_sub(line.width());
                let mut line = line;
                line.spans.push(Span::raw(" ".repeat(pad)));
                line.style(paint.theme.selection())
            } else {
                line
            }
        })
        .collect();
    if lines.len() <= 1 && data.loaded_at.is_some() && !pane.filter.is_empty() {
        let mut lines = lines;
        lines.push(Line::styled(
            "  nothing matches the filter",
            paint.theme.dim(),
        ));
        frame.render_widget(Paragraph::new(lines), inner);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
    if pane.rows.len() > height {
        let mut bar =
            ScrollbarState::new(pane.rows.len().saturating_sub(height)).position(pane.offset);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .style(paint.theme.dim()),
            area.inner(Margin::new(0, 1)),
            &mut bar,
        );
    }
}

/// What every row is drawn with.
struct Look<'a> {
    pane: &'a TreePane,
    paint: Paint<'a>,
    changed: &'a HashMap<String, Timestamp>,
}

impl<'a> Look<'a> {
    fn row_line(&self, row: &'a Row) -> Line<'a> {
        let theme = self.paint.theme;
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
                let marked =
                    matches!(&row.id, NodeId::Resource(uuid) if self.pane.marked.contains(uuid));
                if marked {
                    spans.push(Span::styled("+", theme.accent().bold()));
                }
                spans.push(self.paint.status_glyph(status, *deploying));
                spans.push(Span::raw(" "));
                let changed =
                    matches!(&row.id, NodeId::Resource(uuid) if self.changed.contains_key(uuid));
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
            spans.extend(self.counts(row.counts));
        }
        Line::from(spans)
    }

    /// ` ●8 ○1 ⠋1` on collapsed nodes.
    fn counts(&self, c: Counts) -> Vec<Span<'static>> {
        let theme = self.paint.theme;
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
}
