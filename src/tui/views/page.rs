//! A page over the console, to read and scroll: the keys of a view, or the session's
//! messages in full. Centred between the header and the footer, which stay readable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::help;
use crate::tui::layout;
use crate::tui::overlay::Page;
use crate::tui::paint::{centered, printable_lines};
use crate::tui::state::State;

/// The page's width, border included.
const WIDTH: u16 = 96;

pub fn draw(state: &State, page: Page, scroll: u16, frame: &mut Frame, area: Rect) {
    let target = place(area, content(state, page, WIDTH).len());
    let lines = content(state, page, target.width);
    let title = match page {
        Page::Help(mode) => format!("Keys in the {} view", mode.name()),
        Page::Messages => "Messages".to_string(),
    };
    let scrolls = lines.len() > usize::from(target.height.saturating_sub(2));
    let hint = if scrolls {
        " ↑↓ scroll · any other key closes "
    } else {
        " any key closes "
    };
    let block = state
        .paint()
        .popup(frame, target, &title)
        .title_bottom(Line::styled(hint, state.theme.dim()));
    let scroll = scroll.min(max_scroll(state, page));
    frame.render_widget(
        Paragraph::new(printable_lines(lines))
            .block(block)
            .scroll((scroll, 0)),
        target,
    );
}

/// How far `page` scrolls at the current size.
pub fn max_scroll(state: &State, page: Page) -> u16 {
    let screen = layout::areas(state.size.0, state.size.1);
    let area = screen.header.union(screen.footer);
    let target = place(area, content(state, page, WIDTH).len());
    let rows = content(state, page, target.width).len();
    u16::try_from(rows.saturating_sub(usize::from(target.height.saturating_sub(2))))
        .unwrap_or(u16::MAX)
}

/// Where a page of `rows` lines goes on a screen of `area`.
fn place(area: Rect, rows: usize) -> Rect {
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    centered(body, WIDTH, u16::try_from(rows + 2).unwrap_or(u16::MAX))
}

/// The page's lines, laid out for a page `width` columns wide (border included).
fn content(state: &State, page: Page, width: u16) -> Vec<Line<'static>> {
    match page {
        Page::Help(mode) => help::lines(state, mode),
        Page::Messages => messages(state, usize::from(width.saturating_sub(2))),
    }
}

/// Each message with its time, wrapped to `width` (so that scrolling counts real rows).
fn messages(state: &State, width: usize) -> Vec<Line<'static>> {
    let theme = &state.theme;
    if state.messages.is_empty() {
        return vec![Line::styled(" no messages yet", theme.dim())];
    }
    const STAMP: usize = 10;
    let mut lines = Vec::new();
    for m in &state.messages {
        let style = if m.error { theme.error() } else { theme.text() };
        let stamp = m.at.strftime(" %H:%M:%S ").to_string();
        let text = crate::model::printable_line(&m.text).into_owned();
        for (i, part) in textwrap::wrap(&text, width.saturating_sub(STAMP).max(8))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                Span::styled(stamp.clone(), theme.dim())
            } else {
                Span::raw(" ".repeat(STAMP))
            };
            lines.push(Line::from(vec![
                lead,
                Span::styled(part.into_owned(), style),
            ]));
        }
    }
    lines
}
