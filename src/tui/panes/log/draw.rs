//! A log pane: the lines a [`LogView`] shows, styled by kind, with search highlights and the
//! line selection; the title and a dropped-lines note in the top border, follow / paused /
//! selecting state, search position and toggles in the bottom one, and a scrollbar on the
//! right border when there is more than fits. Read-only over the view.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::model::printable_line;
use crate::model::words::plural;
use crate::tui::layout::viewport;
use crate::tui::logview::{Kind, LogView, NoteLevel, Role, Row};
use crate::tui::paint::Paint;
use crate::tui::theme::Theme;

/// The text area `draw` lays lines out in for a pane of `area`: pass it to
/// [`LogView::set_viewport`] whenever the layout changes.
/// Draw `view` as a bordered pane filling `area` (thick border when `focused`), its title
/// followed by ` · {title_extra}` when given.
pub fn draw(
    view: &LogView,
    paint: Paint,
    frame: &mut Frame,
    area: Rect,
    focused: bool,
    title_extra: Option<&str>,
) {
    let theme = paint.theme;
    let vp = viewport(area);
    let screen = view.screen(vp);
    let title = title(view, title_extra);
    let mut block = paint
        .bordered(&title, focused)
        .title_bottom(state_line(view, theme))
        .title_bottom(indicators(view, theme).right_aligned());
    if view.dropped() > 0 {
        block = block.title_top(
            Line::styled(
                format!(" {} earlier lines dropped ", grouped(view.dropped())),
                theme.dim(),
            )
            .right_aligned(),
        );
    }
    let body: Vec<Line> = if screen.rows.is_empty() {
        vec![Line::styled(empty_text(view), theme.dim())]
    } else {
        screen
            .rows
            .iter()
            .map(|row| styled_row(row, theme))
            .collect()
    };
    frame.render_widget(Paragraph::new(body).block(block), area);

    if screen.more_above || screen.more_below {
        let on_screen = screen.lines_on_screen.max(1);
        let max_top = screen.total.saturating_sub(on_screen);
        let mut state = ScrollbarState::new(max_top + 1)
            .position(screen.position.min(max_top))
            .viewport_content_length(on_screen);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some(if focused { "┃" } else { "│" }))
            .track_style(theme.border(focused))
            .thumb_symbol("█")
            .thumb_style(if focused { theme.accent() } else { theme.dim() });
        frame.render_stateful_widget(
            bar,
            area.inner(Margin {
                vertical: 1,
                horizontal: 0,
            }),
            &mut state,
        );
    }
}

/// The pane's title (it names what the server calls the application), made printable.
fn title(view: &LogView, extra: Option<&str>) -> String {
    let title = match extra {
        Some(extra) => format!("{} · {extra}", view.title()),
        None => view.title().to_string(),
    };
    printable_line(&title).into_owned()
}

fn empty_text(view: &LogView) -> String {
    let hidden = view.len() - view.shown_len();
    if hidden > 0 {
        let noun = if hidden == 1 { "line" } else { "lines" };
        format!(
            " only {} hidden {noun} so far; show hidden lines to see them",
            grouped(hidden as u64)
        )
    } else {
        " waiting for output…".to_string()
    }
}

/// Following, paused (and how much arrived since), or marking lines.
fn state_line(view: &LogView, theme: &Theme) -> Line<'static> {
    if view.is_selecting() {
        return Line::styled(
            format!(
                " selecting {} · y copy · Esc cancel ",
                plural(view.selection_len(), "line")
            ),
            theme.accent(),
        );
    }
    if view.is_following() {
        return Line::styled(" following ", theme.ok());
    }
    let new = match view.new_lines() {
        0 => String::new(),
        1 => "1 new line · ".to_string(),
        n => format!("{} new lines · ", grouped(n as u64)),
    };
    Line::styled(format!(" paused · {new}End/F to follow "), theme.warning())
}

/// The search and its position, then the toggles that are on.
fn indicators(view: &LogView, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    if let Some(query) = view.search_query() {
        spans.push(Span::styled(format!(" /{query} "), theme.accent()));
        spans.push(match view.match_position() {
            Some((i, n)) => Span::styled(format!("{i}/{n} "), theme.text()),
            None => Span::styled("no match ", theme.warning()),
        });
    }
    let toggles: Vec<&str> = [
        (view.wrap(), "wrap"),
        (view.timestamps(), "time"),
        (view.show_hidden(), "hidden"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    if !toggles.is_empty() {
        spans.push(Span::styled(
            format!(" {} ", toggles.join(" · ")),
            theme.dim(),
        ));
    }
    if !view.wrap() && view.hscroll() > 0 {
        spans.push(Span::styled(format!(" →{} ", view.hscroll()), theme.dim()));
    }
    Line::from(spans)
}

fn kind_style(kind: Kind, theme: &Theme) -> Style {
    match kind {
        Kind::Command => theme.dim(),
        Kind::Stdout => theme.text(),
        Kind::Stderr => theme.error(),
        Kind::Note(NoteLevel::Info) => theme.accent(),
        Kind::Note(NoteLevel::Ok) => theme.ok(),
        Kind::Note(NoteLevel::Warning) => theme.warning(),
        Kind::Note(NoteLevel::Error) => theme.error(),
    }
}

fn styled_row<'a>(row: &Row<'a>, theme: &Theme) -> Line<'a> {
    let mut base = kind_style(row.kind, theme);
    if row.hidden {
        base = base.add_modifier(Modifier::DIM | Modifier::ITALIC);
    }
    let spans: Vec<Span> = row
        .segments
        .iter()
        .map(|seg| {
            let style = match seg.role {
                Role::Clock | Role::Marker => theme.dim(),
                Role::Text => base,
                Role::Match => theme.accent().add_modifier(Modifier::REVERSED),
                Role::CurrentMatch => theme
                    .warning()
                    .add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED),
            };
            Span::styled(seg.text.clone(), style)
        })
        .collect();
    let line = Line::from(spans);
    if row.selected {
        line.style(theme.selection())
    } else {
        line
    }
}

/// 1234567 as "1,234,567".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use jiff::tz::TimeZone;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;

    use super::*;
    use crate::tui::logview::Line as LogLine;
    use crate::tui::snapshot::to_text;
    use crate::tui::theme::Depth;

    fn at(secs: i64) -> Option<Timestamp> {
        Some(Timestamp::from_second(1_787_393_472 + secs).unwrap())
    }

    fn line(kind: Kind, secs: i64, text: &str) -> LogLine {
        LogLine {
            kind,
            text: text.to_string(),
            timestamp: at(secs),
            hidden: false,
        }
    }

    /// A deployment log shaped like Coolify's, after `extra` filler lines of build output.
    fn deployment(extra: usize) -> LogView {
        let mut view = LogView::new("air-staging · deployment abc123 · in_progress", 100_000);
        view.set_time_zone(TimeZone::UTC);
        view.set_timestamps(false);
        view.push(line(
            Kind::Stdout,
            0,
            "Starting deployment of pfcore/pf-air:staging to localhost.",
        ));
        view.push(LogLine {
            hidden: true,
            ..line(Kind::Command, 1, "docker rm -f coolify-helper-abc123")
        });
        view.push(LogLine {
            hidden: true,
            ..line(
                Kind::Stderr,
                1,
                "Error: No such container: coolify-helper-abc123",
            )
        });
        view.push(line(
            Kind::Stdout,
            2,
            "Preparing container with helper image: ghcr.io/coollabsio/coolify-helper:1.0.8.",
        ));
        view.push(line(Kind::Command, 3, "docker build --network host -f /artifacts/abc123/Dockerfile --build-arg SOURCE_COMMIT=a1b2c3d --progress plain -t pf-air:a1b2c3d /artifacts/abc123"));
        for i in 0..extra {
            view.push(line(
                Kind::Stdout,
                4 + i as i64,
                &format!("#{} [{}/{extra}] RUN step {i}", 5 + i, i + 1),
            ));
        }
        view.push(line(
            Kind::Stderr,
            60,
            "npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported",
        ));
        view.push(line(Kind::Stdout, 61, "#12 exporting to image"));
        view.push(line(
            Kind::Stdout,
            62,
            "#12 naming to docker.io/library/pf-air:a1b2c3d done",
        ));
        view.push(LogLine {
            hidden: true,
            ..line(Kind::Stdout, 62, "debug: image size 412MB, layers 14")
        });
        view.push(line(
            Kind::Command,
            63,
            "docker compose --project-directory /artifacts/abc123 up -d",
        ));
        view.push(line(Kind::Stdout, 64, "Container pf-air-staging Started"));
        view.push(line(Kind::Stdout, 65, "New container started."));
        view.push(LogLine::note(NoteLevel::Ok, "health check passed", at(70)));
        view.push(LogLine::note(
            NoteLevel::Ok,
            "finished after 1m10s at a1b2c3d",
            at(70),
        ));
        view
    }

    fn render(
        view: &LogView,
        width: u16,
        height: u16,
        focused: bool,
        extra: Option<&str>,
    ) -> Buffer {
        let theme = Theme::fallback(Depth::None);
        let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
            Ok(t) => t,
            Err(never) => match never {},
        };
        let area = Rect::new(0, 0, width, height);
        let paint = Paint {
            theme: &theme,
            frame: 0,
            now: jiff::Timestamp::UNIX_EPOCH,
        };
        let drawn = terminal.draw(|frame| draw(view, paint, frame, area, focused, extra));
        match drawn {
            Ok(frame) => frame.buffer.clone(),
            Err(never) => match never {},
        }
    }

    fn sized(mut view: LogView, width: u16, height: u16) -> LogView {
        view.set_viewport(viewport(Rect::new(0, 0, width, height)));
        view
    }

    #[test]
    fn following_80x20() {
        let view = sized(deployment(20), 80, 20);
        insta::assert_snapshot!(to_text(&render(&view, 80, 20, true, None)));
    }

    #[test]
    fn following_with_timestamps_and_drops_120x30() {
        let mut view = deployment(40);
        view.reset("air-staging · container log", 30);
        view.set_timestamps(true);
        for i in 0..75 {
            view.push(line(
                Kind::Stdout,
                i,
                &format!("GET /api/health 200 {}ms", i % 7 + 1),
            ));
        }
        view.push(line(
            Kind::Stderr,
            80,
            "ERROR connection to supabase timed out after 5000ms",
        ));
        let view = sized(view, 120, 30);
        insta::assert_snapshot!(to_text(&render(&view, 120, 30, false, Some("live"))));
    }

    #[test]
    fn paused_with_search_highlights_120x30() {
        let mut view = sized(deployment(60), 120, 30);
        view.set_search("step 1");
        view.prev_match();
        view.prev_match();
        view.push(line(Kind::Stdout, 80, "late line"));
        let buffer = render(&view, 120, 30, true, None);
        insta::assert_snapshot!(to_text(&buffer));

        // Every hit is reversed; the current one also underlined.
        let (i, n) = view.match_position().unwrap();
        assert_eq!((i, n), (9, 11));
        let styled = |want: Modifier| {
            (0..buffer.area.height)
                .filter(|&y| (0..buffer.area.width).any(|x| buffer[(x, y)].modifier.contains(want)))
                .count()
        };
        assert!(styled(Modifier::REVERSED) >= 5, "hits are highlighted");
        assert_eq!(styled(Modifier::UNDERLINED), 1, "one current hit");
    }

    #[test]
    fn wrap_on_80x20() {
        let mut view = sized(deployment(4), 80, 20);
        view.set_wrap(true);
        view.set_timestamps(true);
        insta::assert_snapshot!(to_text(&render(&view, 80, 20, true, None)));
    }

    #[test]
    fn hidden_lines_shown_80x20() {
        let mut view = sized(deployment(2), 80, 20);
        view.toggle_hidden();
        view.home();
        insta::assert_snapshot!(to_text(&render(&view, 80, 20, true, None)));
    }

    #[test]
    fn selecting_and_empty_states() {
        let mut view = sized(deployment(2), 80, 20);
        view.toggle_selection();
        view.scroll_up(2);
        let text = to_text(&render(&view, 80, 20, true, None));
        assert!(text.contains("selecting 3 lines"), "{text}");

        let mut empty = LogView::new("air-staging · container log", 10);
        empty.set_viewport(crate::tui::logview::Viewport::new(78, 8));
        let text = to_text(&render(&empty, 80, 10, false, None));
        assert!(text.contains("waiting for output"), "{text}");
        empty.push(LogLine {
            hidden: true,
            ..line(Kind::Stdout, 0, "debug")
        });
        let text = to_text(&render(&empty, 80, 10, false, None));
        assert!(text.contains("only 1 hidden line so far"), "{text}");
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
