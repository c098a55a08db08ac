//! What the table views (deployments, audit) share: a selection scrolled into view, a
//! filter line that takes the keyboard while it is typed, and the frame they are drawn in
//! (a bordered block, a line for what could not be read, the text of an empty table).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use crate::model::printable_line;
use crate::tui::paint::Paint;

pub use super::cursor::{Cursor, FilterKey, FilterLine};

/// How a view's read is going, for the text of an empty table.
pub struct Reading<'a> {
    pub error: Option<&'a str>,
    pub loaded: bool,
    pub filter: &'a str,
    /// `reading deployments…`.
    pub reading: &'static str,
    /// `no deployments yet`.
    pub none: &'static str,
}

/// Draw the bordered block titled `title` with `note` on its last line; the area left for
/// the table, or `None` when the table is empty and the block says why instead.
pub fn frame(
    paint: Paint,
    frame: &mut Frame,
    area: Rect,
    (title, focused): (&str, bool),
    note: Option<Line<'static>>,
    empty: Option<Reading>,
) -> Option<Rect> {
    let theme = paint.theme;
    let block = paint.bordered(title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [table_area, note_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    if let Some(note) = note {
        frame.render_widget(Paragraph::new(note), note_area);
    }
    let Some(why) = empty else {
        return Some(table_area);
    };
    let text = match (why.error, why.loaded) {
        (Some(e), _) => Line::styled(format!(" {}", printable_line(e)), theme.error()),
        (None, false) => Line::styled(format!(" {}", why.reading), theme.dim()),
        (None, true) if !why.filter.is_empty() => Line::styled(
            format!(" nothing matches /{}", printable_line(why.filter)),
            theme.dim(),
        ),
        (None, true) => Line::styled(format!(" {}", why.none), theme.dim()),
    };
    frame.render_widget(Paragraph::new(text), table_area);
    None
}

/// Draw the table: a row of titles, then `rows` (a cell a column), `cursor`'s row
/// highlighted; the column at index `left_out` (titles, widths and cells) is left out.
pub fn rows(
    paint: Paint,
    frame: &mut Frame,
    area: Rect,
    cursor: Cursor,
    columns: &[(&'static str, Constraint)],
    rows: Vec<Vec<Cell<'static>>>,
    left_out: Option<usize>,
) {
    let theme = paint.theme;
    let keep = |i: &usize| Some(*i) != left_out;
    let pick = |all: Vec<Cell<'static>>| {
        all.into_iter()
            .enumerate()
            .filter(|(i, _)| keep(i))
            .map(|(_, c)| c)
    };
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|cells| Row::new(pick(cells)).style(theme.text()))
        .collect();
    let titles: Vec<Cell> = columns.iter().map(|(t, _)| Cell::from(*t)).collect();
    let widths = columns.iter().enumerate().filter(|(i, _)| keep(i));
    let table = Table::new(rows, widths.map(|(_, (_, w))| *w))
        .header(Row::new(pick(titles)).style(theme.dim()))
        .row_highlight_style(theme.selection());
    let mut at = TableState::default()
        .with_offset(cursor.offset)
        .with_selected(Some(cursor.selected));
    frame.render_stateful_widget(table, area, &mut at);
}

/// ` not refreshed: why`, when the last read failed but rows of an earlier one are shown.
pub fn not_refreshed(paint: Paint, error: Option<&str>, rows: bool) -> Option<Line<'static>> {
    let e = error.filter(|_| rows)?;
    let text = format!(" not refreshed: {}", printable_line(e));
    Some(Line::styled(text, paint.theme.error()))
}

/// A column as wide as its widest text, within `least..=most`.
pub fn column_width(texts: impl Iterator<Item = String>, least: usize, most: usize) -> u16 {
    texts
        .map(|t| t.width())
        .max()
        .unwrap_or(0)
        .clamp(least, most) as u16
}
