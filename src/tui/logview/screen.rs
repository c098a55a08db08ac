//! Laying out what a viewport shows: each line as styled pieces (clock, command marker,
//! text split around search hits), wrapped into rows or cut to the columns in view, and
//! the widths and wrapped heights scrolling and search reveal by.

use std::borrow::Cow;
use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use super::{COMMAND_MARKER, Entry, Kind, LogView, Viewport};

/// Columns a `HH:MM:SS ` prefix takes.
const CLOCK_WIDTH: usize = 9;

/// How a piece of a row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The `HH:MM:SS ` prefix.
    Clock,
    /// The `$ ` before a command.
    Marker,
    Text,
    Match,
    CurrentMatch,
}

/// A run of a row's text drawn one way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub text: Cow<'a, str>,
    pub role: Role,
}

/// One screen row: a whole line, or one wrapped piece of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'a> {
    pub seq: u64,
    pub kind: Kind,
    /// One of Coolify's hidden (debug) lines, shown because hidden lines are on.
    pub hidden: bool,
    /// Inside the line selection.
    pub selected: bool,
    pub segments: Vec<Segment<'a>>,
}

impl Row<'_> {
    /// The row as plain text.
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_ref()).collect()
    }
}

/// What is visible in a viewport, laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen<'a> {
    pub rows: Vec<Row<'a>>,
    /// There is something above the first row / below the last.
    pub more_above: bool,
    pub more_below: bool,
    /// For a scrollbar, in lines that show: about how many are above the top row, how many
    /// there are, and how many the screen holds (some perhaps in part).
    pub position: usize,
    pub total: usize,
    pub lines_on_screen: usize,
}

impl LogView {
    /// The rows visible in `vp` with their styles' roles, search highlights and selection.
    /// Lays out only the lines that show.
    pub fn screen(&self, vp: Viewport) -> Screen<'_> {
        let mut screen = Screen {
            rows: Vec::new(),
            more_above: false,
            more_below: false,
            position: 0,
            total: self.shown_len(),
            lines_on_screen: 0,
        };
        let height = vp.rows();
        let (Some(top), true) = (self.top(vp), height > 0) else {
            return screen;
        };
        screen.position = self.shown_before(top.seq);
        screen.more_above = top.row > 0 || self.prev_shown(top.seq).is_some();
        let mut seq = Some(top.seq);
        let mut skip = top.row;
        while let Some(s) = seq {
            let left = height - screen.rows.len();
            if left == 0 {
                screen.more_below = true;
                break;
            }
            let Some(line) = self.get(s) else { break };
            let (rows, more) = self.lay_out(s, line, vp, skip, left);
            screen.rows.extend(rows);
            screen.lines_on_screen += 1;
            if more {
                screen.more_below = true;
                break;
            }
            skip = 0;
            seq = self.next_shown(s);
        }
        screen
    }

    /// About how many shown lines come before `seq`: exact unless some stored lines are
    /// hidden, then scaled (O(1) either way).
    fn shown_before(&self, seq: u64) -> usize {
        let before = self.index(seq).min(self.lines.len());
        if self.show_hidden || self.hidden_count == 0 {
            before
        } else {
            (before as u128 * self.shown_len() as u128 / self.lines.len().max(1) as u128) as usize
        }
    }

    /// Rows `skip..skip + max` of one line, and whether it has more rows after them.
    fn lay_out<'a>(
        &'a self,
        seq: u64,
        line: Entry<'a>,
        vp: Viewport,
        skip: usize,
        max: usize,
    ) -> (Vec<Row<'a>>, bool) {
        let pieces = self.pieces(seq, line);
        let selected = self.selection_range().is_some_and(|r| r.contains(&seq));
        let row = |segments| Row {
            seq,
            kind: line.kind,
            hidden: line.hidden,
            selected,
            segments,
        };
        if !self.wrap {
            let segments = cut_columns(&pieces, self.hscroll, vp.cols());
            return (vec![row(segments)], false);
        }
        let mut all = wrap_pieces(&pieces, vp.cols());
        let more = all.len() > skip + max;
        all.truncate(skip + max);
        (all.drain(..).skip(skip).map(row).collect(), more)
    }

    /// A line as styled pieces: clock, marker, then its text split around search hits.
    fn pieces<'a>(&'a self, seq: u64, line: Entry<'a>) -> Vec<(Cow<'a, str>, Role)> {
        let mut pieces = Vec::with_capacity(3);
        if let Some(clock) = self.clock(line) {
            pieces.push((Cow::Owned(clock), Role::Clock));
        }
        if line.kind == Kind::Command {
            pieces.push((Cow::Borrowed(COMMAND_MARKER), Role::Marker));
        }
        let mut at = 0;
        for (range, current) in self.line_matches(seq) {
            if range.start > at {
                pieces.push((Cow::Borrowed(&line.text[at..range.start]), Role::Text));
            }
            let role = if current {
                Role::CurrentMatch
            } else {
                Role::Match
            };
            pieces.push((Cow::Borrowed(&line.text[range.clone()]), role));
            at = range.end;
        }
        if at < line.text.len() || at == 0 {
            pieces.push((Cow::Borrowed(&line.text[at..]), Role::Text));
        }
        pieces
    }

    /// `HH:MM:SS ` in the view's time zone, when timestamps are on and the line has one.
    fn clock(&self, line: Entry<'_>) -> Option<String> {
        let ts = line.timestamp.filter(|_| self.timestamps)?;
        let t = self.tz.to_datetime(ts);
        Some(format!(
            "{:02}:{:02}:{:02} ",
            t.hour(),
            t.minute(),
            t.second()
        ))
    }

    pub(super) fn prefix_width(&self, line: Entry<'_>) -> usize {
        let clock = if self.timestamps && line.timestamp.is_some() {
            CLOCK_WIDTH
        } else {
            0
        };
        let marker = if line.kind == Kind::Command {
            COMMAND_MARKER.len()
        } else {
            0
        };
        clock + marker
    }

    /// A line as shown, without styling (clock and marker included, not wrapped).
    pub(super) fn display_text(&self, line: Entry<'_>) -> String {
        let mut out = self.clock(line).unwrap_or_default();
        if line.kind == Kind::Command {
            out.push_str(COMMAND_MARKER);
        }
        out.push_str(line.text);
        out
    }

    /// What `height` rows of `width` columns show, as plain text, one row a line (trailing
    /// spaces trimmed).
    pub fn visible_text(&self, height: u16, width: u16) -> String {
        let screen = self.screen(Viewport::new(width, height));
        let mut out = String::new();
        for row in &screen.rows {
            out.push_str(row.text().trim_end());
            out.push('\n');
        }
        out
    }
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

pub(super) fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Rows a line takes wrapped at `width` after a `prefix` of ASCII columns, and the row
/// holding text byte `target` (0 without one). A character that does not fit on a row
/// starts the next; every row holds at least one character.
pub(super) fn wrap_rows(
    prefix: usize,
    text: &str,
    width: usize,
    target: Option<usize>,
) -> (usize, usize) {
    let width = width.max(1);
    let (mut row, mut col) = match prefix {
        0 => (0, 0),
        p => ((p - 1) / width, p - (p - 1) / width * width),
    };
    let mut target_row = 0;
    for (i, c) in text.char_indices() {
        let w = char_width(c);
        if col + w > width && col > 0 {
            row += 1;
            col = 0;
        }
        if target == Some(i) {
            target_row = row;
        }
        col += w;
    }
    (row + 1, target_row)
}

fn slice<'a>(text: &Cow<'a, str>, range: Range<usize>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(&s[range]),
        Cow::Owned(s) => Cow::Owned(s[range].to_string()),
    }
}

/// Wrap styled pieces into rows of `width` columns, by the same rule as [`wrap_rows`].
fn wrap_pieces<'a>(pieces: &[(Cow<'a, str>, Role)], width: usize) -> Vec<Vec<Segment<'a>>> {
    let width = width.max(1);
    let mut rows = vec![Vec::new()];
    let mut col = 0;
    for (text, role) in pieces {
        let mut from = 0;
        for (i, c) in text.char_indices() {
            let w = char_width(c);
            if col + w > width && col > 0 {
                if i > from
                    && let Some(row) = rows.last_mut()
                {
                    row.push(Segment {
                        text: slice(text, from..i),
                        role: *role,
                    });
                }
                rows.push(Vec::new());
                col = 0;
                from = i;
            }
            col += w;
        }
        if text.len() > from
            && let Some(row) = rows.last_mut()
        {
            row.push(Segment {
                text: slice(text, from..text.len()),
                role: *role,
            });
        }
    }
    rows
}

/// The part of styled pieces between columns `start` and `start + width`; a wide character
/// cut by either edge is left out.
fn cut_columns<'a>(
    pieces: &[(Cow<'a, str>, Role)],
    start: usize,
    width: usize,
) -> Vec<Segment<'a>> {
    let end = start + width;
    let mut out = Vec::new();
    let mut col = 0;
    for (text, role) in pieces {
        if col >= end {
            break;
        }
        let mut from = None;
        let mut to = 0;
        for (i, c) in text.char_indices() {
            let w = char_width(c);
            if col >= start && col + w <= end {
                from.get_or_insert(i);
                to = i + c.len_utf8();
            }
            col += w;
            if col >= end {
                break;
            }
        }
        if let Some(from) = from {
            out.push(Segment {
                text: slice(text, from..to),
                role: *role,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    use super::*;
    use crate::tui::logview::Line;
    use crate::tui::logview::tests::{numbered, out, shown};

    #[test]
    fn wide_characters_wrap_whole() {
        // Six double-width characters at width 5: two per row.
        let text = "漢字漢字漢字";
        assert_eq!(wrap_rows(0, text, 5, None).0, 3);
        let pieces = [(Cow::Borrowed(text), Role::Text)];
        let rows = wrap_pieces(&pieces, 5);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][0].text, "漢字");
        let cut = cut_columns(&pieces, 1, 5);
        assert_eq!(
            cut[0].text, "字漢",
            "the half-cut first character is left out"
        );
    }

    #[test]
    fn wrapped_heights_agree_with_the_layout() {
        let mut view = numbered(0);
        view.toggle_wrap();
        view.toggle_timestamps();
        let ts: Timestamp = "2026-08-22T10:11:12Z".parse().unwrap();
        let texts = [
            "",
            "a",
            "漢字 mixed with ascii and more ascii",
            &"x".repeat(95),
        ];
        for width in [1, 3, 7, 10, 40] {
            for text in texts {
                for kind in [Kind::Stdout, Kind::Command] {
                    for timestamp in [None, Some(ts)] {
                        let line = Entry {
                            kind,
                            text,
                            timestamp,
                            hidden: false,
                        };
                        let rows = wrap_pieces(&view.pieces(0, line), width).len();
                        let counted = wrap_rows(view.prefix_width(line), text, width, None).0;
                        assert_eq!(
                            rows, counted,
                            "{text:?} at {width} ({kind:?}, {timestamp:?})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn timestamps_show_as_a_local_clock_when_on() {
        let mut view = numbered(0);
        view.set_time_zone(TimeZone::fixed(jiff::tz::offset(2)));
        view.push(Line {
            timestamp: Some("2026-08-22T10:11:12.5Z".parse().unwrap()),
            ..out("with time")
        });
        view.push(Line {
            kind: Kind::Command,
            ..out("docker build .")
        });
        assert_eq!(shown(&view), ["with time", "$ docker build ."]);
        view.toggle_timestamps();
        assert_eq!(shown(&view), ["12:11:12 with time", "$ docker build ."]);
        view.set_timestamps(false);
        assert!(!view.timestamps());
    }

    #[test]
    fn visible_text_is_what_the_screen_shows() {
        let mut view = numbered(8);
        assert_eq!(view.visible_text(3, 40), "line 5\nline 6\nline 7\n");
        view.scroll_up(1);
        assert_eq!(view.visible_text(2, 4), "line\nline\n");
    }
}
