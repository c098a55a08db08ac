//! Drawing the audit view: the table of entries over the top half of the body, with a line
//! for what could not be read, and the selected entry's every field below it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph};

use super::AuditPane;
use super::pane::READ;
use crate::audit::{Ending, Record};
use crate::model::{printable_line, time};
use crate::tui::layout;
use crate::tui::paint::fit;
use crate::tui::panes::table::{self, Reading, column_width};

/// What the view is drawn with.
pub type Look<'a> = crate::tui::panes::Look<'a, AuditPane>;

/// Where the actor column goes when the table is this wide (inside its border): below, the
/// target needs the room more.
const ACTOR_FROM: u16 = 100;

/// The column titles, the actor's at index [`ACTOR`].
const HEADERS: [&str; 6] = [
    "TIME (UTC)",
    "ACTOR",
    "OPERATION",
    "TARGET",
    "OUTCOME",
    "TOOK",
];
const ACTOR: usize = 1;

/// How wide the detail pane's field names are.
const LABEL: usize = 12;

/// The table's area and the detail pane's in the body.
fn split(body: Rect) -> [Rect; 2] {
    let entry = (body.height / 2).max(7).min(body.height.saturating_sub(6));
    Layout::vertical([Constraint::Fill(1), Constraint::Length(entry)]).areas(body)
}

/// The table's area and the detail pane's at the current size.
fn areas(look: Look) -> [Rect; 2] {
    let areas = layout::areas(look.size.0, look.size.1);
    split(areas.left.union(areas.details).union(areas.lower))
}

/// Rows of the table the screen shows at its size (borders, the column titles and the
/// line for what could not be read aside).
pub fn page_height(look: Look) -> usize {
    usize::from(areas(look)[0].height.saturating_sub(4)).max(1)
}

/// Lines the detail pane shows at its size.
pub fn entry_height(look: Look) -> u16 {
    areas(look)[1].height.saturating_sub(2)
}

/// How far the detail pane scrolls for the selected entry.
pub fn max_entry_scroll(look: Look) -> u16 {
    let width = areas(look)[1].width.saturating_sub(2);
    let lines = look
        .pane
        .selected_record()
        .map_or(0, |r| entry_lines(look, r, width).len());
    u16::try_from(lines)
        .unwrap_or(u16::MAX)
        .saturating_sub(entry_height(look))
}

pub fn draw(look: Look, frame: &mut Frame, body: Rect) {
    let [table_area, entry_area] = split(body);
    draw_table(look, frame, table_area);
    draw_entry(look, frame, entry_area);
}

fn draw_table(look: Look, frame: &mut Frame, area: Rect) {
    let pane = look.pane;
    let shown = pane.shown();
    let title = title(look, shown.len());
    let empty = shown.is_empty().then(|| Reading {
        error: pane.error.as_deref(),
        loaded: pane.loaded,
        filter: &pane.filter.text,
        reading: "reading the audit journal…",
        none: "no operations recorded yet",
    });
    let focused = look.focused && !pane.entry;
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
    let actor = table_area.width >= ACTOR_FROM;
    let outcome_most = if actor { 32 } else { 22 };
    let outcome = column_width(
        shown.iter().map(|r| r.outcome.clone() + "  "),
        11,
        outcome_most,
    );
    let widths = [
        Constraint::Length(14),
        Constraint::Length(column_width(shown.iter().map(|r| actor_of(r)), 5, 24)),
        Constraint::Length(column_width(
            shown.iter().map(|r| r.operation.clone()),
            9,
            12,
        )),
        Constraint::Fill(1),
        Constraint::Length(outcome),
        Constraint::Length(6),
    ];
    let columns: Vec<(&'static str, Constraint)> = HEADERS.into_iter().zip(widths).collect();
    let cells = shown.iter().map(|r| cells(look, r, outcome)).collect();
    let left_out = (!actor).then_some(ACTOR);
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

/// `op@box (tui)`.
fn actor_of(r: &Record) -> String {
    format!(
        "{} ({})",
        printable_line(&r.actor.user),
        r.actor.channel.as_str()
    )
}

/// The glyph and style of how an entry ended.
fn ending(look: Look, r: &Record) -> (&'static str, Style) {
    let theme = look.paint.theme;
    match r.ending() {
        Ending::Succeeded => ("✓", theme.ok()),
        Ending::Queued => ("◷", theme.deploying()),
        Ending::Open => ("…", theme.deploying()),
        Ending::Refused => ("⊘", theme.warning()),
        Ending::Failed => ("✗", theme.error()),
    }
}

/// How long it took, as the table and the detail pane print it (nothing for an operation
/// with no end recorded).
fn took(r: &Record) -> String {
    if r.ending() == Ending::Open {
        return String::new();
    }
    let ms = i64::try_from(r.duration_ms).unwrap_or(i64::MAX);
    time::compact(jiff::SignedDuration::from_millis(ms))
}

/// A row's cells, one a column of [`HEADERS`]; the outcome cut with `…` to `width`.
fn cells(look: Look, r: &Record, width: u16) -> Vec<Cell<'static>> {
    let (glyph, style) = ending(look, r);
    let clean = |text: &str| printable_line(text).into_owned();
    let text = clean(&r.outcome);
    let outcome = Line::from(vec![
        Span::styled(glyph, style),
        Span::styled(
            format!(" {}", fit(&text, usize::from(width).saturating_sub(2))),
            style,
        ),
    ]);
    vec![
        Cell::from(r.time.strftime("%m-%d %H:%M:%S").to_string()),
        Cell::from(actor_of(r)),
        Cell::from(clean(&r.operation)),
        Cell::from(clean(&r.target)),
        Cell::from(outcome),
        Cell::from(took(r)),
    ]
}

/// `Audit · 12`, `Audit · 3 of 12 · /fail`, with a read in flight.
fn title(look: Look, shown: usize) -> String {
    let pane = look.pane;
    let mut title = format!("Audit · {shown}");
    if shown != pane.records.len() {
        title.push_str(&format!(" of {}", pane.records.len()));
    }
    title.push_str(&pane.filter.title(pane.loading));
    title
}

/// What the last read could not do: the journal (the rows are from before), lines of it
/// that do not parse, or older records than it reads.
fn note(look: Look) -> Option<Line<'static>> {
    let pane = look.pane;
    let theme = look.paint.theme;
    let stale = table::not_refreshed(look.paint, pane.error.as_deref(), !pane.records.is_empty());
    if stale.is_some() {
        return stale;
    }
    if pane.broken > 0 {
        let text = format!(
            " {} of the journal could not be read and {} left out",
            crate::model::words::plural(pane.broken, "line"),
            if pane.broken == 1 { "is" } else { "are" }
        );
        return Some(Line::styled(text, theme.warning()));
    }
    (pane.records.len() >= READ).then(|| {
        Line::styled(
            format!(" the last {READ} operations; pftui audit --limit N reads further back"),
            theme.dim(),
        )
    })
}

fn draw_entry(look: Look, frame: &mut Frame, area: Rect) {
    let pane = look.pane;
    let width = area.width.saturating_sub(2);
    let lines = pane
        .selected_record()
        .map(|r| entry_lines(look, r, width))
        .unwrap_or_default();
    let height = usize::from(entry_height(look));
    let scroll = usize::from(pane.entry_scroll);
    let mut title = "Entry".to_string();
    if lines.len() > height {
        let last = (scroll + height).min(lines.len());
        title.push_str(&format!(
            " · lines {}-{last} of {}",
            scroll + 1,
            lines.len()
        ));
        if !pane.entry {
            title.push_str(" (tab scrolls)");
        }
    }
    let focused = look.focused && pane.entry;
    let block = look.paint.bordered(&title, focused);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

/// Every field of a record, each value wrapped to `width` beside its name; the parameters
/// as indented JSON.
fn entry_lines(look: Look, r: &Record, width: u16) -> Vec<Line<'static>> {
    let theme = look.paint.theme;
    let room = usize::from(width).saturating_sub(LABEL + 1).max(8);
    let mut lines = Vec::new();
    let mut field = |name: &str, value: &str, style: Style| {
        let clean = printable_line(value).into_owned();
        let wrapped = textwrap::wrap(&clean, room);
        for (i, piece) in wrapped.iter().enumerate() {
            let label = if i == 0 { name } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!(" {label:<LABEL$}"), theme.dim()),
                Span::styled(piece.to_string(), style),
            ]));
        }
    };
    let (glyph, style) = ending(look, r);
    field("operation", &r.operation, theme.accent());
    field("target", &r.target, theme.text());
    field("outcome", &format!("{glyph} {}", r.outcome), style);
    let mut when = r.time.strftime("%Y-%m-%d %H:%M:%S UTC").to_string();
    match took(r) {
        took if took.is_empty() => {
            when.push_str(" · no end recorded (running, or pftui was killed)")
        }
        took => when.push_str(&format!(" · took {took}")),
    }
    field("time", &when, theme.text());
    let actor = format!("{} via {}", r.actor.user, r.actor.channel.as_str());
    field("actor", &actor, theme.text());
    if let Some(prompt) = &r.actor.prompt {
        field("prompt", prompt, theme.text());
    }
    field("context", &r.context, theme.text());
    let id =
        r.id.as_deref()
            .unwrap_or("none (recorded once, as it was refused)");
    field("id", id, theme.dim());
    let deployments = if r.deployments.is_empty() {
        "none".to_string()
    } else {
        r.deployments.join(", ")
    };
    field("deployments", &deployments, theme.text());
    let parameters = serde_json::to_string_pretty(&r.parameters).unwrap_or_default();
    for (i, line) in parameters.lines().enumerate() {
        let label = if i == 0 { "parameters" } else { "" };
        field(label, line, theme.text());
    }
    lines
}
