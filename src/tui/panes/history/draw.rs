//! Drawing the history: one row per recent deployment, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::HistoryPane;
use crate::model::{Deployment, printable_line, time};
use crate::tui::data::Recent;
use crate::tui::paint::Paint;

/// The history of the selected application (`None` when the selection is not one), with
/// what is known of its recent deployments.
pub fn draw(
    pane: &HistoryPane,
    frame: &mut Frame,
    area: Rect,
    paint: Paint,
    focused: bool,
    app: Option<Option<&Recent>>,
) {
    let theme = paint.theme;
    let block = paint.bordered("Deployments", focused);
    let Some(recent) = app else {
        let hint = Paragraph::new(Line::styled(
            "  select an application to see its deployments",
            theme.dim(),
        ))
        .block(block);
        frame.render_widget(hint, area);
        return;
    };
    let deployments: &[Deployment] = recent.map_or(&[], |r| &r.deployments);
    if deployments.is_empty() {
        let text = match recent {
            Some(r) if r.error.is_some() => Line::styled(
                format!(
                    "  {}",
                    printable_line(r.error.as_deref().unwrap_or_default())
                ),
                theme.error(),
            ),
            Some(r) if !r.loading => Line::styled("  no deployments yet", theme.dim()),
            _ => Line::styled("  loading…", theme.dim()),
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    let header = Row::new(["", "COMMIT", "TRIGGER", "TOOK", "AGE", "MESSAGE"]).style(theme.dim());
    let rows: Vec<Row> = deployments
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let row = Row::new(vec![
                Cell::from(paint.deployment_glyph(&d.status)),
                Cell::from(printable_line(d.short_commit().unwrap_or("-")).into_owned()),
                Cell::from(printable_line(&d.trigger.to_string()).into_owned()),
                Cell::from(d.duration(paint.now).map(time::compact).unwrap_or_default()),
                Cell::from(
                    d.created_at
                        .map(|t| time::age(t, paint.now))
                        .unwrap_or_default(),
                ),
                Cell::from(Span::raw(
                    printable_line(
                        d.commit_message
                            .as_deref()
                            .and_then(|m| m.lines().next())
                            .unwrap_or(""),
                    )
                    .into_owned(),
                )),
            ]);
            if i == pane.selected && focused {
                row.style(theme.selection())
            } else {
                row.style(theme.text())
            }
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(8),
            Constraint::Length(9),
            Constraint::Length(7),
            Constraint::Length(11),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .column_spacing(1)
    .block(block);
    frame.render_widget(table, area);
}
