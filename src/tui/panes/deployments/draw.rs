//! Drawing the deployments view: one table over the whole body, and a line for what could
//! not be read.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::Deployments;
use crate::model::board::{BoardRow, status_word};
use crate::model::{printable_line, time};
use crate::tui::panes::table::{self, Reading, column_width};

/// What the view is drawn with.
pub type Look<'a> = crate::tui::panes::Look<'a, Deployments>;

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

pub fn draw(look: Look, frame: &mut Frame, area: Rect) {
    let pane = look.pane;
    let shown = pane.shown();
    let title = title(look, shown.len());
    let empty = shown.is_empty().then(|| Reading {
        error: pane.error.as_deref(),
        loaded: pane.loaded,
        filter: &pane.filter.text,
        reading: "reading deployments…",
        none: "no deployments yet",
    });
    let focused = look.focused;
    let Some(table_area) = table::frame(
        look.paint,
        frame,
        area,
        (&title, focused),
        note(look),
        empty,
    ) else {
        return;
    };
    let app_width = column_width(shown.iter().map(|r| r.application.clone()), 11, 24);
    let env_width = column_width(shown.iter().map(|r| r.place()), 11, 24);
    let widths = [
        Constraint::Length(11),
        Constraint::Length(app_width),
        Constraint::Length(env_width),
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(6),
    ];
    let columns: Vec<(&'static str, Constraint)> = HEADERS.into_iter().zip(widths).collect();
    let cells = shown.iter().map(|r| cells(look, r)).collect();
    let trigger = table_area.width >= TRIGGER_FROM;
    let left_out = (!trigger).then_some(TRIGGER);
    table::rows(
        look.paint,
        frame,
        table_area,
        pane.cursor,
        &columns,
        cells,
        left_out,
    );
}

/// A row's cells, one a column of [`HEADERS`]; the age without its "ago" (the column
/// says it).
fn cells(look: Look, r: &BoardRow) -> Vec<Cell<'static>> {
    let d = &r.deployment;
    let glyph = look.paint.deployment_glyph(&d.status);
    let style = glyph.style;
    let status = Line::from(vec![
        glyph,
        Span::styled(format!(" {}", status_word(&d.status)), style),
    ]);
    let clean = |text: &str| printable_line(text).into_owned();
    let age = d.created_at.map(|t| time::age(t, look.paint.now));
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
        Cell::from(
            d.duration(look.paint.now)
                .map(time::compact)
                .unwrap_or_default(),
        ),
    ]
}

/// `Deployments · 14 · 9 of 9 applications`, with the filter and a read in flight.
fn title(look: Look, shown: usize) -> String {
    let pane = look.pane;
    let (read, all) = pane.board.coverage();
    let mut title = format!("Deployments · {shown}");
    if pane.loaded {
        title.push_str(&format!(" · {read} of {all} applications read"));
        if read < all {
            title.push_str(" (r reads more)");
        }
    }
    title.push_str(&pane.filter.title(pane.loading));
    title
}

/// What the last read could not do: the running list (the rows are from before), or the
/// histories it could not read.
fn note(look: Look) -> Option<Line<'static>> {
    let pane = look.pane;
    let theme = look.paint.theme;
    let stale = table::not_refreshed(look.paint, pane.error.as_deref(), !pane.shown().is_empty());
    if stale.is_some() {
        return stale;
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
