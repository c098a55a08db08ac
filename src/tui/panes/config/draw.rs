//! Drawing the config view: a line saying whether the environment is in sync, then each
//! application the configuration gives it with its changes, a row each (mark, name, what
//! changes, where the value is written), scrolled as a whole.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::ConfigPane;
use crate::model::words::plural;
use crate::model::{printable_line, shown_value};
use crate::ops::{AppDiff, ConfigDiff, EnvChangeKind, MASK};
use crate::tui::layout;
use crate::tui::paint::{fit, printable_lines};
use crate::tui::panes::table::column_width;

/// What the view is drawn with.
pub type Look<'a> = crate::tui::panes::Look<'a, ConfigPane>;

/// The words of the view, in one place.
mod words {
    pub const TITLE: &str = "Config";
    pub const READING: &str = "comparing the platform configuration with the server…";
    pub const AGAIN: &str = "r tries again";
    pub const IN_SYNC: &str = "✓ in sync: it has what the platform configuration gives it";
    pub const APPLIES: &str = "a applies them (variables the configuration does not name are kept)";
    pub const MISSING_TAIL: &str = "provisioning creates it, apply leaves it out";
    pub const APP_IN_SYNC: &str = "in sync";
    pub const NOT_ON_SERVER: &str = "not on the server";
    pub const UNSET: &str = "(unset)";
    pub const EXTRA: &str = "not in the configuration: kept";
}

/// The view's area at a terminal size: the whole body.
fn area(size: (u16, u16)) -> Rect {
    let areas = layout::areas(size.0, size.1);
    areas.left.union(areas.details).union(areas.lower)
}

/// Lines the view shows at its size.
pub fn page_height(look: Look) -> usize {
    layout::inner_height(area(look.size)).max(1)
}

/// How far the view scrolls: to its last line.
pub fn max_scroll(look: Look) -> usize {
    let width = area(look.size).width.saturating_sub(2);
    lines(look, width).len().saturating_sub(page_height(look))
}

pub fn draw(look: Look, frame: &mut Frame, area: Rect) {
    let pane = look.pane;
    let mut title = format!("{} · {}", words::TITLE, pane.place());
    if pane.loading {
        title.push_str(" · reading…");
    }
    let lines = lines(look, area.width.saturating_sub(2));
    let most = lines
        .len()
        .saturating_sub(usize::from(area.height.saturating_sub(2)));
    let scroll = pane.scroll.min(most);
    if most > 0 {
        title.push_str(&format!(" · line {} of {}", scroll + 1, lines.len()));
    }
    let block = look.paint.bordered(&title, look.focused);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

/// Every line of the view at `width` columns.
fn lines(look: Look, width: u16) -> Vec<Line<'static>> {
    let pane = look.pane;
    let theme = look.paint.theme;
    let width = usize::from(width);
    let mut lines = Vec::new();
    let error = pane
        .error
        .as_deref()
        .map(|e| printable_line(e).into_owned());
    let Some(diff) = &pane.diff else {
        lines.push(match error {
            Some(e) => Line::styled(format!(" {e} ({})", words::AGAIN), theme.error()),
            None => Line::styled(format!(" {}", words::READING), theme.dim()),
        });
        return wrapped(lines, width);
    };
    lines.extend(summary(look, diff));
    if let Some(e) = error {
        lines.push(Line::styled(format!(" not refreshed: {e}"), theme.error()));
    }
    let columns = Columns::of(diff, width);
    for app in &diff.apps {
        lines.push(Line::raw(""));
        lines.extend(app_lines(look, app, &columns));
    }
    wrapped(lines, width)
}

/// Lines of one span wider than `width` wrapped, their continuations indented; every
/// line made printable first.
fn wrapped(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    printable_lines(lines)
        .into_iter()
        .flat_map(|line| {
            if line.width() <= width || line.spans.len() != 1 {
                return vec![line];
            }
            let style = line.style.patch(line.spans[0].style);
            let content = &line.spans[0].content;
            let text = content.trim_start();
            let first = " ".repeat(content.len() - text.len());
            let rest = format!("{first}  ");
            let options = textwrap::Options::new(width)
                .initial_indent(&first)
                .subsequent_indent(&rest);
            textwrap::wrap(text, options)
                .into_iter()
                .map(|piece| Line::styled(piece.into_owned(), style))
                .collect()
        })
        .collect()
}

/// Whether the environment is in sync, what an apply would do, and which applications
/// it leaves out.
fn summary(look: Look, diff: &ConfigDiff) -> Vec<Line<'static>> {
    let theme = look.paint.theme;
    if diff.in_sync() {
        return vec![Line::styled(format!(" {}", words::IN_SYNC), theme.ok())];
    }
    let line = |text: String| Line::styled(text, theme.warning());
    let mut lines = vec![line(match diff.changes() {
        0 => " ≠ not in sync: nothing to apply".to_string(),
        n => format!(" ≠ {} to apply: {}", plural(n, "change"), words::APPLIES),
    })];
    let missing = diff.apps.iter().filter(|a| a.uuid.is_none()).count();
    if missing > 0 {
        lines.push(line(format!(
            " ≠ {} the configuration names {} not on the server: {}",
            plural(missing, "application"),
            if missing == 1 { "is" } else { "are" },
            words::MISSING_TAIL
        )));
    }
    lines
}

/// How wide the name and origin columns are, and what is left for the value; whether
/// origins are shown by their file name only (the directories do not fit).
struct Columns {
    name: usize,
    value: usize,
    origin: usize,
    short: bool,
}

impl Columns {
    fn of(diff: &ConfigDiff, width: usize) -> Self {
        let names = diff.apps.iter().flat_map(|a| {
            let settings = a.settings.iter().map(|s| s.setting.api_name().to_string());
            settings.chain(a.envs.iter().map(|e| printable_line(&e.key).into_owned()))
        });
        let name = usize::from(column_width(names, 12, 32));
        let origins = diff.apps.iter().flat_map(|a| {
            let settings = a.settings.iter().map(|s| s.origin.as_str());
            settings.chain(a.envs.iter().filter_map(|e| e.origin.as_deref()))
        });
        let origins: Vec<&str> = origins.collect();
        let widest = |short: bool| {
            let texts = origins.iter().map(|o| origin_text(o, short).into_owned());
            usize::from(column_width(texts, 0, 40))
        };
        let short = widest(false) > width / 3;
        let origin = widest(short).min(width / 3);
        // `   ~ ` before the name, a space between the columns.
        let value = width.saturating_sub(5 + name + 1 + 1 + origin);
        Self {
            name,
            value,
            origin,
            short,
        }
    }
}

/// `file:line` where a value is written, its directories left out when `short`.
fn origin_text(origin: &str, short: bool) -> std::borrow::Cow<'_, str> {
    let origin = if short {
        origin.rsplit('/').next().unwrap_or(origin)
    } else {
        origin
    };
    printable_line(origin)
}

/// An application's heading, then its settings, variables and notes.
fn app_lines(look: Look, app: &AppDiff, columns: &Columns) -> Vec<Line<'static>> {
    let theme = look.paint.theme;
    let (state, style) = match (&app.uuid, app.changes(false)) {
        (None, _) => (words::NOT_ON_SERVER.to_string(), theme.warning()),
        (Some(_), 0) => (words::APP_IN_SYNC.to_string(), theme.ok()),
        (Some(_), n) => (plural(n, "change"), theme.warning()),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(" {}", printable_line(&app.application)),
            theme.accent(),
        ),
        Span::styled(format!(" ({})", printable_line(&app.target)), theme.dim()),
        Span::styled(format!(" · {state}"), style),
    ])];
    let row = |mark: &str, style: Style, name: &str, value: &str, origin: &str| {
        let name = fit(name, columns.name).into_owned();
        // A value without an origin has the origin's room too.
        let (room, origin_room) = match origin {
            "" => (columns.value + 1 + columns.origin, 0),
            _ => (columns.value, columns.origin),
        };
        let value = fit(value, room).into_owned();
        let origin = origin_text(origin, columns.short);
        let origin = fit(&origin, origin_room).into_owned();
        Line::from(vec![
            Span::styled(format!("   {mark} "), style),
            Span::styled(format!("{name:<w$} ", w = columns.name), theme.text()),
            Span::styled(format!("{value:<room$} "), style),
            Span::styled(format!("{origin:>origin_room$}"), theme.dim()),
        ])
    };
    for s in &app.settings {
        let have = s
            .have
            .as_ref()
            .map_or_else(|| words::UNSET.into(), shown_value);
        let value = format!("{have} -> {}", shown_value(&s.want));
        let value = printable_line(&value);
        lines.push(row(
            "~",
            theme.warning(),
            s.setting.api_name(),
            &value,
            &s.origin,
        ));
    }
    for e in &app.envs {
        let want = e.shown_want();
        let origin = e.origin.as_deref().unwrap_or_default();
        let (mark, style, value) = match e.change {
            EnvChangeKind::Add => ("+", theme.ok(), want),
            EnvChangeKind::Change => {
                let have = e.have.as_deref().unwrap_or(MASK);
                ("~", theme.warning(), format!("{have} -> {want}"))
            }
            EnvChangeKind::Extra => (" ", theme.dim(), words::EXTRA.to_string()),
        };
        let (key, value) = (printable_line(&e.key), printable_line(&value));
        lines.push(row(mark, style, &key, &value, origin));
    }
    for note in &app.notes {
        lines.push(Line::styled(
            format!("   note: {}", printable_line(note)),
            theme.dim(),
        ));
    }
    lines
}
