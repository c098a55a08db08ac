//! Drawing the deployments view: one table over the whole body, and a line for what could
//! not be read.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use crate::model::board::{BoardRow, status_word};
use crate::model::{printable_line, time};
use crate::tui::state::State;
use crate::tui::views::{bordered, deployment_glyph};

/// Where the trigger column goes when the table is this wide (inside its border): below,
/// the commit needs the room more.
const TRIGGER_FROM: u16 = 100;

/// The column titles, the trigger's at index [`TRIGGER`].
const HEADERS: [&str; 7] = [
    "STATUS",
    "APPLICATION",
    "ENVIRONMENT",
    "COMMIT",
    "TRIGGER",
    "AGE",
    "TOOK",
];
const TRIGGER: usize = 4;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let pane = &state.deployments;
    let shown = pane.shown();
    let title = title(state, shown.len());
    let block = bordered(state, &title, state.overlay.is_none());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [table_area, note_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    if let Some(note) = note(state) {
        frame.render_widget(Paragraph::new(note), note_area);
    }
    if shown.is_empty() {
        let text = match (&pane.error, pane.loaded) {
            (Some(e), _) => Line::styled(format!(" {}", printable_line(e)), theme.error()),
            (None, false) => Line::styled(" reading deployments…", theme.dim()),
            (None, true) if !pane.filter.is_empty() => Line::styled(
                format!(" nothing matches /{}", printable_line(&pane.filter)),
                theme.dim(),
            ),
            (None, true) => Line::styled(" no deployments yet", theme.dim()),
        };
        frame.render_widget(Paragraph::new(text), table_area);
        return;
    }
    let width = |texts: &mut dyn Iterator<Item = String>, least: usize, most: usize| {
        texts
            .map(|t| t.width())
            .max()
            .unwrap_or(0)
            .clamp(least, most) as u16
    };
    let app_width = width(&mut shown.iter().map(|r| r.application.clone()), 11, 24);
    let env_width = width(&mut shown.iter().map(|r| r.place()), 11, 24);
    let trigger = table_area.width >= TRIGGER_FROM;
    let keep = |i: &usize| trigger || *i != TRIGGER;
    let columns = [
        Constraint::Length(11),
        Constraint::Length(app_width),
        Constraint::Length(env_width),
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(6),
    ];
    let pick = |all: Vec<Cell<'static>>| {
        all.into_iter()
            .enumerate()
            .filter(|(i, _)| keep(i))
            .map(|(_, c)| c)
    };
    let rows: Vec<Row> = shown
        .iter()
        .map(|r| Row::new(pick(cells(state, r))).style(theme.text()))
        .collect();
    let widths = columns.iter().enumerate().filter(|(i, _)| keep(i));
    let table = Table::new(rows, widths.map(|(_, w)| *w))
        .header(Row::new(pick(HEADERS.map(Cell::from).into())).style(theme.dim()))
        .row_highlight_style(theme.selection());
    let mut at = TableState::default()
        .with_offset(pane.offset)
        .with_selected(Some(pane.selected));
    frame.render_stateful_widget(table, table_area, &mut at);
}

/// A row's cells, one a column of [`HEADERS`]; the age without its "ago" (the column
/// says it).
fn cells(state: &State, r: &BoardRow) -> Vec<Cell<'static>> {
    let d = &r.deployment;
    let glyph = deployment_glyph(state, &d.status);
    let style = glyph.style;
    let status = Line::from(vec![
        glyph,
        Span::styled(format!(" {}", status_word(&d.status)), style),
    ]);
    let clean = |text: &str| printable_line(text).into_owned();
    let age = d.created_at.map(|t| time::age(t, state.now));
    vec![
        Cell::from(status),
        Cell::from(clean(&r.application)),
        Cell::from(clean(&r.place())),
        Cell::from(clean(&r.commit())),
        Cell::from(clean(&d.trigger.to_string())),
        Cell::from(
            age.as_deref()
                .map(|a| a.trim_end_matches(" ago").to_string())
                .unwrap_or_default(),
        ),
        Cell::from(d.duration(state.now).map(time::compact).unwrap_or_default()),
    ]
}

/// `Deployments · 14 · 9 of 9 applications`, with the filter and a read in flight.
fn title(state: &State, shown: usize) -> String {
    let pane = &state.deployments;
    let (read, all) = pane.board.coverage();
    let mut title = format!("Deployments · {shown}");
    if pane.loaded {
        title.push_str(&format!(" · {read} of {all} applications read"));
        if read < all {
            title.push_str(" (r reads more)");
        }
    }
    if pane.filtering || !pane.filter.is_empty() {
        let cursor = if pane.filtering { "▏" } else { "" };
        title.push_str(&format!(" · /{}{cursor}", printable_line(&pane.filter)));
    }
    if pane.loading {
        title.push_str(" · reading…");
    }
    title
}

/// What the last read could not do: the running list (the rows are from before), or the
/// histories it could not read.
fn note(state: &State) -> Option<Line<'static>> {
    let pane = &state.deployments;
    let theme = &state.theme;
    if let Some(e) = &pane.error
        && !pane.shown().is_empty()
    {
        let text = format!(" not refreshed: {}", printable_line(e));
        return Some(Line::styled(text, theme.error()));
    }
    let unread: Vec<(&str, &str)> = pane.board.unread().collect();
    let (_, why) = unread.first()?;
    let names: Vec<&str> = unread.iter().map(|(n, _)| *n).collect();
    let text = format!(
        " could not read the history of {}: {}",
        names.join(", "),
        why
    );
    Some(Line::styled(
        printable_line(&text).into_owned(),
        theme.warning(),
    ))
}
