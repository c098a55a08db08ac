//! Drawing the pipeline view: a table of lanes (rows) by stages (columns), each cell
//! `app`, `sha · age`, the branch and its head, and the marks (`↓N behind`,
//! `→N to promote`, `≠ config`); below it, the selected cell in full and the board's notes.

use super::pane::age;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell as TableCell, Paragraph, Row, Table, Wrap};

use super::{Drift, PipelinePane, STAGES};
use crate::model::stages::{Board, Cell, Lane};
use crate::model::{short_sha, time};
use std::collections::HashMap;

use crate::model::Deployment;
use crate::tui::paint::{Paint, fit, printable_spans};
use crate::tui::theme::Theme;

/// What the view is drawn with: its pane and what lies outside it.
#[derive(Clone, Copy)]
pub struct Look<'a> {
    pub pane: &'a PipelinePane,
    pub paint: Paint<'a>,
    /// Nothing covers the view: the part with the keyboard shows it.
    pub focused: bool,
    /// The terminal's size.
    pub size: (u16, u16),
    /// Applications with a deployment running, by uuid.
    pub deploying: &'a HashMap<String, Deployment>,
}

/// Lines a lane takes.
const LANE_HEIGHT: u16 = 4;
/// Lines the selected cell's details take, borders included.
const DETAILS_HEIGHT: u16 = 7;
/// The widest the lane titles' column gets.
const TITLE_WIDTH: usize = 18;

/// The words of the view, in one place.
mod words {
    pub const TITLE: &str = "Pipeline";
    pub const READING: &str = "reading every stage's commit and branch…";
    pub const NOT_READ: &str = "could not read the pipeline";
    pub const AGAIN: &str = "r tries again";
    pub const EMPTY: &str = "no project has an application in dev, staging or prod";
    pub const NO_DEPLOYMENT: &str = "no deployment yet";
    pub const UNREAD: &str = "? not read";
    pub const UP_TO_DATE: &str = "✓ up to date";
    pub const NOTHING_HERE: &str = "no application of this lane here";
    pub const DRIFTED: &str = "≠ config";
    pub const DRIFTED_SHORT: &str = "≠";
    pub const UNCOMPARED: &str = "config ?";
}

/// How many lanes a page shows at a terminal size.
pub fn lanes_per_page(size: (u16, u16)) -> usize {
    let body = size.1.saturating_sub(2);
    let table = body.saturating_sub(DETAILS_HEIGHT);
    usize::from(table.saturating_sub(3) / LANE_HEIGHT)
}

pub fn draw(look: Look, frame: &mut Frame, area: Rect) {
    let pane = look.pane;
    let theme = look.paint.theme;
    let [top, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(DETAILS_HEIGHT)]).areas(area);
    let title = if pane.loading() && pane.board().is_some() {
        format!("{} {}", words::TITLE, look.paint.spinner())
    } else {
        words::TITLE.to_string()
    };
    let block = look.paint.bordered(&title, look.focused);
    let message = |text: String, style: Style| {
        Paragraph::new(Line::styled(text, style))
            .wrap(Wrap { trim: true })
            .block(block.clone())
    };
    match (pane.board(), pane.error()) {
        (Some(board), _) if board.lanes.is_empty() => {
            frame.render_widget(message(format!("  {}", words::EMPTY), theme.dim()), top);
        }
        (Some(board), _) => table(look, board, frame, top, block.clone()),
        (None, Some(e)) => {
            let text = format!("  {}: {e} ({})", words::NOT_READ, words::AGAIN);
            frame.render_widget(message(text, theme.error()), top);
        }
        (None, None) => {
            let spin = look.paint.spinner();
            let text = format!("  {spin} {}", words::READING);
            frame.render_widget(message(text, theme.dim()), top);
        }
    }
    details(look, frame, bottom);
}

fn table(look: Look, board: &Board, frame: &mut Frame, area: Rect, block: ratatui::widgets::Block) {
    let theme = look.paint.theme;
    let pane = look.pane;
    let inner = area.height.saturating_sub(3);
    let fits_spaced = board.lanes.len() as u16 * (LANE_HEIGHT + 1) <= inner;
    let margin = u16::from(fits_spaced);
    let shown = usize::from(inner / (LANE_HEIGHT + margin)).max(1);
    let offset = (pane.row() + 1).saturating_sub(shown);
    let title_width = board
        .lanes
        .iter()
        .flat_map(|l| {
            std::iter::once(l.project.len()).chain(l.repository.as_ref().map(String::len))
        })
        .max()
        .unwrap_or(0)
        .clamp(4, TITLE_WIDTH);
    let columns = usize::from(area.width.saturating_sub(2))
        .saturating_sub(title_width + STAGES.len())
        / STAGES.len();
    let header = Row::new(
        std::iter::once(TableCell::from("")).chain(STAGES.iter().map(|s| {
            TableCell::from(Span::styled(
                format!("  {}", stage_name(*s)),
                theme.accent(),
            ))
        })),
    );
    let rows = board
        .lanes
        .iter()
        .enumerate()
        .skip(offset)
        .map(|(i, lane)| {
            let title = TableCell::from(Text::from(lane_title(theme, lane, title_width)));
            let cells = STAGES.iter().enumerate().map(|(c, stage)| {
                let selected = i == pane.row()
                    && c == STAGES.iter().position(|s| *s == pane.stage()).unwrap_or(0);
                let lines = match lane.cell(*stage) {
                    Some(cell) => {
                        let drift = pane.drift(&lane.project, &cell.environment);
                        cell_lines(look, (cell, drift), columns, selected)
                    }
                    None => vec![Line::styled(
                        format!("{} ·", if selected { "▸" } else { " " }),
                        theme.dim(),
                    )],
                };
                let cell = TableCell::from(Text::from(lines));
                if selected {
                    cell.style(theme.selection())
                } else {
                    cell
                }
            });
            Row::new(std::iter::once(title).chain(cells))
                .height(LANE_HEIGHT)
                .bottom_margin(margin)
        });
    let widths = std::iter::once(Constraint::Length(title_width as u16))
        .chain(STAGES.iter().map(|_| Constraint::Fill(1)));
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

fn stage_name(stage: crate::model::pipeline::Stage) -> &'static str {
    crate::model::pipeline::NAMES
        .iter()
        .find(|(s, _)| *s == stage)
        .and_then(|(_, names)| names.first())
        .copied()
        .unwrap_or_default()
}

fn lane_title(theme: &Theme, lane: &Lane, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        fit(&lane.project, width).into_owned(),
        theme.accent(),
    )];
    if let Some(repo) = &lane.repository {
        lines.push(Line::styled(fit(repo, width).into_owned(), theme.dim()));
    }
    lines.into_iter().map(printable_spans).collect()
}

/// A cell's four lines, each cut to `width`, with how its environment stands against the
/// platform configuration.
fn cell_lines(
    look: Look,
    (cell, drift): (&Cell, Option<&Drift>),
    width: usize,
    selected: bool,
) -> Vec<Line<'static>> {
    let theme = look.paint.theme;
    let room = width.saturating_sub(2);
    let mark = if selected { "▸ " } else { "  " };
    let deploying = look.deploying.contains_key(&cell.uuid);
    let mut first = vec![
        Span::styled(mark, theme.accent()),
        Span::styled(fit(&cell.app, room).into_owned(), theme.text()),
    ];
    if deploying {
        first.push(Span::styled(
            format!(" {}", look.paint.spinner()),
            theme.deploying(),
        ));
    }
    let running = match &cell.running {
        Ok(Some(r)) => {
            let when =
                r.at.map(|at| format!(" · {}", age(at, look.paint.now)))
                    .unwrap_or_default();
            vec![
                Span::styled(short_sha(&r.commit).to_string(), theme.accent()),
                Span::styled(when, theme.dim()),
            ]
        }
        Ok(None) => vec![Span::styled(words::NO_DEPLOYMENT, theme.dim())],
        Err(_) => vec![Span::styled(words::UNREAD, theme.error())],
    };
    let branch = match (&cell.branch, &cell.head) {
        (None, _) => vec![Span::styled("no branch known", theme.dim())],
        (Some(b), None) => vec![Span::styled(b.clone(), theme.dim())],
        (Some(b), Some(Ok(head))) => vec![
            Span::styled(b.clone(), theme.dim()),
            Span::styled(format!(" {}", short_sha(head)), theme.dim()),
        ],
        (Some(b), Some(Err(_))) => vec![
            Span::styled(b.clone(), theme.dim()),
            Span::styled(" ?", theme.error()),
        ],
    };
    [
        first,
        indent(running),
        indent(branch),
        indent(marks(theme, (cell, drift), room)),
    ]
    .into_iter()
    .map(|spans| printable_spans(cut(Line::from(spans), width)))
    .collect()
}

fn indent(mut spans: Vec<Span<'static>>) -> Vec<Span<'static>> {
    spans.insert(0, Span::raw("  "));
    spans
}

/// `↓N behind`, `→N to promote`, or `✓ up to date`, then `≠ config` when the environment
/// drifted from the platform configuration; shortened to fit `room`.
fn marks(theme: &Theme, (cell, drift): (&Cell, Option<&Drift>), room: usize) -> Vec<Span<'static>> {
    let behind = cell.is_behind().then(|| match &cell.behind {
        Some(Ok(n)) => format!("↓{n}"),
        _ => "↓?".to_string(),
    });
    let ahead = match &cell.ahead {
        Some(Ok(n)) if *n > 0 => Some((format!("→{n} to promote"), theme.deploying())),
        Some(Err(_)) => Some(("→? to promote".to_string(), theme.error())),
        _ => None,
    };
    let compared =
        cell.head.as_ref().is_some_and(Result::is_ok) && matches!(cell.running, Ok(Some(_)));
    let mut spans = Vec::new();
    if let Some(b) = behind {
        let long = format!("{b} behind");
        let wanted =
            long.chars().count() + 2 + ahead.as_ref().map_or(0, |(a, _)| a.chars().count());
        spans.push(Span::styled(
            if wanted <= room || ahead.is_none() {
                long
            } else {
                b
            },
            theme.warning(),
        ));
        spans.push(Span::raw("  "));
    }
    match ahead {
        Some((text, style)) => spans.push(Span::styled(text, style)),
        None if spans.is_empty() && compared => {
            spans.push(Span::styled(words::UP_TO_DATE, theme.ok()));
        }
        None => {}
    }
    let (config, style) = match drift {
        Some(Drift::Drifted { .. }) => (words::DRIFTED, theme.warning()),
        Some(Drift::Unknown(_)) => (words::UNCOMPARED, theme.error()),
        Some(Drift::InSync) | None => return spans,
    };
    let used: usize = spans.iter().map(Span::width).sum();
    let gap = if spans.is_empty() { "" } else { "  " };
    let config = if used + gap.len() + config.chars().count() <= room || spans.is_empty() {
        config
    } else {
        words::DRIFTED_SHORT
    };
    spans.push(Span::raw(gap));
    spans.push(Span::styled(config, style));
    spans
}

/// A line cut to `width` columns, with `…` where it was cut.
fn cut(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let w = span.width();
        if used + w < width {
            used += w;
            out.push(span);
            continue;
        }
        let rest = fit(&span.content, width - used).into_owned();
        out.push(Span::styled(rest, span.style));
        break;
    }
    Line::from(out)
}

/// The selected cell in full: what it runs, its branch, what `p` would do, what could not
/// be read; then the board's notes.
fn details(look: Look, frame: &mut Frame, area: Rect) {
    let theme = look.paint.theme;
    let pane = look.pane;
    let (title, mut lines) = match (pane.lane(), pane.selected()) {
        (Some(lane), Some(cell)) => {
            let mut lines = summary(look, cell);
            lines.extend(drift_line(
                look,
                pane.drift(&lane.project, &cell.environment),
            ));
            (format!("{} · {}", lane.title(), cell.environment), lines)
        }
        (Some(lane), None) => (
            format!("{} · {}", lane.title(), stage_name(pane.stage())),
            vec![Line::styled(words::NOTHING_HERE, theme.dim())],
        ),
        _ => (String::new(), Vec::new()),
    };
    if let Some(board) = pane.board() {
        lines.extend(
            board
                .notes
                .iter()
                .map(|n| Line::styled(n.clone(), theme.dim())),
        );
    }
    let block = look.paint.bordered(&title, false);
    let lines: Vec<Line> = lines.into_iter().map(printable_spans).collect();
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        area,
    );
}

/// How the cell's environment stands against the platform configuration, when it covers
/// it.
fn drift_line(look: Look, drift: Option<&Drift>) -> Option<Line<'static>> {
    let theme = look.paint.theme;
    Some(match drift? {
        Drift::InSync => Line::styled(
            "✓ it has what the platform configuration gives it",
            theme.ok(),
        ),
        Drift::Drifted { changes, missing } => {
            let mut text = format!(
                "≠ the platform configuration differs: {} to apply",
                crate::model::words::plural(*changes, "change")
            );
            if *missing > 0 {
                let apps = crate::model::words::plural(*missing, "application");
                text.push_str(&format!(", {apps} not on the server"));
            }
            text.push_str(" (C shows them)");
            Line::styled(text, theme.warning())
        }
        Drift::Unknown(why) => Line::styled(
            format!("could not compare with the platform configuration: {why}"),
            theme.error(),
        ),
    })
}

fn summary(look: Look, cell: &Cell) -> Vec<Line<'static>> {
    let theme = look.paint.theme;
    let runs = match &cell.running {
        Ok(Some(r)) => {
            let when =
                r.at.map(|at| format!(", deployed {}", time::age(at, look.paint.now)))
                    .unwrap_or_default();
            format!("{} runs {}{when}", cell.app, short_sha(&r.commit))
        }
        Ok(None) => format!("{} has no finished deployment yet", cell.app),
        Err(_) => format!("what {} runs could not be read", cell.app),
    };
    let branch = match (&cell.branch, &cell.head) {
        (Some(b), Some(Ok(head))) if cell.is_behind() => {
            let by = match &cell.behind {
                Some(Ok(n)) => crate::model::words::plural(*n as usize, "commit"),
                _ => "some commits".into(),
            };
            format!("; {b} is at {}: {by} behind", short_sha(head))
        }
        (Some(b), Some(Ok(head))) if matches!(cell.running, Ok(Some(_))) => {
            format!("; {b} is at {} too", short_sha(head))
        }
        (Some(b), Some(Ok(head))) => format!("; {b} is at {}", short_sha(head)),
        (Some(b), _) => format!("; it tracks {b}"),
        (None, _) => String::new(),
    };
    let promote = match (&cell.next, &cell.ahead) {
        (None, _) => format!("{} is the last stage", cell.environment),
        (Some(next), Some(Ok(0))) => format!("{next} has everything {} runs", cell.environment),
        (Some(next), Some(Ok(n))) => format!(
            "p promotes {} → {next}: {}",
            cell.environment,
            crate::model::words::plural(*n as usize, "commit")
        ),
        (Some(next), _) => format!("p promotes {} → {next}", cell.environment),
    };
    let mut lines = vec![
        Line::styled(format!("{runs}{branch}"), theme.text()),
        Line::styled(promote, theme.accent()),
    ];
    lines.extend(
        cell.problems()
            .into_iter()
            .map(|p| Line::styled(p, theme.error())),
    );
    lines
}
