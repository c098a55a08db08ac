//! A log pane's state: a bounded ring of lines, follow and pause, scrolling (wrapped or cut
//! with horizontal scroll), the wrap / timestamps / hidden-lines toggles, search, a line
//! selection for copying, and saving to a file. Pure apart from [`LogView::save`]; drawing
//! is in `views::log`, which asks [`LogView::screen`] for what is visible.
//!
//! Positions are kept as sequence numbers (the n-th line ever pushed since the last reset),
//! so they stay valid while old lines drop off the front of the ring. Only the lines near
//! the viewport are laid out: wrapped heights are computed on demand, never for the whole
//! buffer.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use unicode_width::UnicodeWidthChar;

use crate::model::{LineKind, LogLine, printable_line};
use crate::settings::Logs;

mod ring;

pub use ring::Entry;
use ring::Ring;

/// Longer lines are cut (with a trailing `…`) when pushed, so one runaway line cannot eat
/// the memory a whole buffer is allowed.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// Shown before a command line.
const COMMAND_MARKER: &str = "$ ";
/// Columns a `HH:MM:SS ` prefix takes.
const CLOCK_WIDTH: usize = 9;

/// How much a console note matters; decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteLevel {
    Info,
    Ok,
    Warning,
    Error,
}

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command that produced the lines below it.
    Command,
    Stdout,
    Stderr,
    /// Added by the console: a verdict ("finished after 1m02s at a1b2c3d"), a health check,
    /// an error.
    Note(NoteLevel),
}

impl From<LineKind> for Kind {
    fn from(kind: LineKind) -> Self {
        match kind {
            LineKind::Command => Self::Command,
            LineKind::Stdout => Self::Stdout,
            LineKind::Stderr => Self::Stderr,
        }
    }
}

/// One stored line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub kind: Kind,
    pub text: String,
    pub timestamp: Option<Timestamp>,
    /// Coolify's debug lines: stored always, shown only when asked for.
    pub hidden: bool,
}

impl Line {
    /// A note from the console.
    pub fn note(level: NoteLevel, text: impl Into<String>, timestamp: Option<Timestamp>) -> Self {
        Self {
            kind: Kind::Note(level),
            text: text.into(),
            timestamp,
            hidden: false,
        }
    }
}

impl From<LogLine> for Line {
    fn from(line: LogLine) -> Self {
        Self {
            kind: line.kind.into(),
            text: line.text,
            timestamp: line.timestamp,
            hidden: line.hidden,
        }
    }
}

/// The text area of the pane, in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u16,
    pub height: u16,
}

impl Viewport {
    pub fn new(width: u16, height: u16) -> Self {
        Self { width, height }
    }

    fn cols(self) -> usize {
        usize::from(self.width.max(1))
    }

    fn rows(self) -> usize {
        usize::from(self.height)
    }
}

/// A search hit: bytes `start..end` of line `seq`'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub seq: u64,
    pub start: u32,
    pub end: u32,
}

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

/// Where the top of the view is: a line and a wrapped row inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Pos {
    seq: u64,
    row: usize,
}

#[derive(Debug, Clone)]
struct Search {
    query: String,
    needle: Needle,
    matches: VecDeque<Match>,
    current: Option<usize>,
}

/// A query prepared for case-insensitive matching.
#[derive(Debug, Clone)]
struct Needle {
    /// Lowercased, for the general case.
    folded: Vec<char>,
    /// Lowercased when it is ASCII: the fast path.
    ascii: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Selection {
    anchor: u64,
    cursor: u64,
}

/// A log pane's state.
#[derive(Debug, Clone)]
pub struct LogView {
    title: String,
    capacity: usize,
    lines: Ring,
    /// Sequence number of `lines[0]`: also how many lines dropped off since the reset.
    first_seq: u64,
    hidden_count: usize,
    follow: bool,
    /// The top of the view while paused.
    anchor: Pos,
    /// Shown lines pushed since the view was paused.
    new_lines: usize,
    hscroll: usize,
    wrap: bool,
    timestamps: bool,
    show_hidden: bool,
    viewport: Viewport,
    tz: TimeZone,
    search: Option<Search>,
    selection: Option<Selection>,
}

impl LogView {
    /// An empty, following view keeping at most `capacity` lines (at least one). Timestamps
    /// show in the system's time zone (looked up here, once).
    pub fn new(title: impl Into<String>, capacity: usize) -> Self {
        Self::blank(title.into(), capacity, TimeZone::system())
    }

    fn blank(title: String, capacity: usize, tz: TimeZone) -> Self {
        Self {
            title,
            capacity: capacity.max(1),
            lines: Ring::default(),
            first_seq: 0,
            hidden_count: 0,
            follow: true,
            anchor: Pos { seq: 0, row: 0 },
            new_lines: 0,
            hscroll: 0,
            wrap: false,
            timestamps: false,
            show_hidden: false,
            viewport: Viewport::new(80, 20),
            tz,
            search: None,
            selection: None,
        }
    }

    /// A view sized and toggled from the user's settings.
    pub fn with_settings(title: impl Into<String>, logs: &Logs) -> Self {
        let mut view = Self::new(title, logs.buffer_lines);
        view.wrap = logs.wrap;
        view.timestamps = logs.timestamps;
        view
    }

    /// Show another source: all lines, the search and the selection go, following resumes;
    /// the toggles, viewport and time zone stay.
    pub fn reset(&mut self, title: impl Into<String>, capacity: usize) {
        let tz = std::mem::replace(&mut self.tz, TimeZone::UTC);
        let mut fresh = Self::blank(title.into(), capacity, tz);
        fresh.wrap = self.wrap;
        fresh.timestamps = self.timestamps;
        fresh.show_hidden = self.show_hidden;
        fresh.viewport = self.viewport;
        *self = fresh;
    }

    pub fn set_title(&mut self, title: impl Into<String>) {
        self.title = title.into();
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// The time zone `HH:MM:SS` prefixes are shown in.
    pub fn set_time_zone(&mut self, tz: TimeZone) {
        self.tz = tz;
    }

    /// The size of the text area, for scrolling by page and revealing matches; the
    /// integrator sets it from `layout::viewport` when the layout changes.
    pub fn set_viewport(&mut self, viewport: Viewport) {
        self.viewport = viewport;
    }

    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    // ----- lines -------------------------------------------------------------------------

    /// Add one line (text with several lines becomes several lines). O(length of the line).
    pub fn push(&mut self, line: impl Into<Line>) {
        let line = line.into();
        for part in line.text.split('\n') {
            self.push_one(Entry {
                kind: line.kind,
                text: part,
                timestamp: line.timestamp,
                hidden: line.hidden,
            });
        }
    }

    /// Add lines in order. O(new lines).
    pub fn extend<L: Into<Line>>(&mut self, lines: impl IntoIterator<Item = L>) {
        for line in lines {
            self.push(line);
        }
    }

    /// Add a console note, stamped `at` (shown as its clock when timestamps are on).
    pub fn push_note(&mut self, level: NoteLevel, text: impl Into<String>, at: Option<Timestamp>) {
        self.push(Line::note(level, text, at));
    }

    fn push_one(&mut self, line: Entry<'_>) {
        let text = sanitize(line.text);
        if self.lines.len() == self.capacity {
            self.drop_front();
        }
        let seq = self.end_seq();
        let shown = self.shown(line);
        if line.hidden {
            self.hidden_count += 1;
        }
        if shown && !self.follow {
            self.new_lines += 1;
        }
        if shown && let Some(search) = &mut self.search {
            find_matches(&text, &search.needle, |start, end| {
                search.matches.push_back(Match { seq, start, end });
            });
        }
        self.lines.push(Entry {
            text: &text,
            ..line
        });
    }

    fn drop_front(&mut self) {
        let Some(hidden) = self.lines.front().map(|l| l.hidden) else {
            return;
        };
        self.lines.pop_front();
        if hidden {
            self.hidden_count -= 1;
        }
        let gone = self.first_seq;
        self.first_seq += 1;
        if let Some(search) = &mut self.search {
            while search.matches.front().is_some_and(|m| m.seq == gone) {
                search.matches.pop_front();
                search.current = match search.current {
                    Some(c) if c > 0 => Some(c - 1),
                    Some(_) if search.matches.is_empty() => None,
                    other => other,
                };
            }
        }
        if let Some(sel) = &mut self.selection {
            sel.anchor = sel.anchor.max(self.first_seq);
            sel.cursor = sel.cursor.max(self.first_seq);
        }
    }

    /// Lines stored (shown or not).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Lines that dropped off the front since the last reset.
    pub fn dropped(&self) -> u64 {
        self.first_seq
    }

    /// Stored lines that show with the current hidden toggle.
    pub fn shown_len(&self) -> usize {
        if self.show_hidden {
            self.lines.len()
        } else {
            self.lines.len() - self.hidden_count
        }
    }

    /// The stored lines, oldest first, hidden ones included.
    pub fn lines(&self) -> impl Iterator<Item = Entry<'_>> {
        self.lines.iter()
    }

    fn end_seq(&self) -> u64 {
        self.first_seq + self.lines.len() as u64
    }

    fn get(&self, seq: u64) -> Option<Entry<'_>> {
        let i = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        self.lines.get(i)
    }

    fn index(&self, seq: u64) -> usize {
        usize::try_from(seq.saturating_sub(self.first_seq)).unwrap_or(usize::MAX)
    }

    fn shown(&self, line: Entry<'_>) -> bool {
        self.show_hidden || !line.hidden
    }

    /// The first shown line at or after `seq`.
    fn shown_from(&self, seq: u64) -> Option<u64> {
        let start = self.index(seq.max(self.first_seq));
        if start >= self.lines.len() {
            return None;
        }
        self.lines
            .range(start..self.lines.len())
            .position(|l| self.shown(l))
            .map(|i| self.first_seq + (start + i) as u64)
    }

    /// The last shown line at or before `seq`.
    fn shown_until(&self, seq: u64) -> Option<u64> {
        if seq < self.first_seq || self.lines.is_empty() {
            return None;
        }
        let end = self.index(seq).min(self.lines.len() - 1) + 1;
        self.lines
            .range(0..end)
            .rposition(|l| self.shown(l))
            .map(|i| self.first_seq + i as u64)
    }

    fn next_shown(&self, seq: u64) -> Option<u64> {
        self.shown_from(seq + 1)
    }

    fn prev_shown(&self, seq: u64) -> Option<u64> {
        seq.checked_sub(1).and_then(|s| self.shown_until(s))
    }

    fn first_shown(&self) -> Option<u64> {
        self.shown_from(self.first_seq)
    }

    fn last_shown(&self) -> Option<u64> {
        self.end_seq()
            .checked_sub(1)
            .and_then(|s| self.shown_until(s))
    }

    // ----- toggles -----------------------------------------------------------------------

    pub fn wrap(&self) -> bool {
        self.wrap
    }

    pub fn timestamps(&self) -> bool {
        self.timestamps
    }

    pub fn show_hidden(&self) -> bool {
        self.show_hidden
    }

    /// Horizontal scroll in columns (no-wrap mode).
    pub fn hscroll(&self) -> usize {
        self.hscroll
    }

    pub fn toggle_wrap(&mut self) {
        let wrap = !self.wrap;
        self.set_wrap(wrap);
    }

    pub fn set_wrap(&mut self, wrap: bool) {
        self.keep_top_line(|v| {
            v.wrap = wrap;
            v.hscroll = 0;
        });
    }

    pub fn toggle_timestamps(&mut self) {
        let on = !self.timestamps;
        self.set_timestamps(on);
    }

    pub fn set_timestamps(&mut self, on: bool) {
        self.keep_top_line(|v| v.timestamps = on);
    }

    /// Show or hide Coolify's hidden (debug) lines, for everything already stored too.
    pub fn toggle_hidden(&mut self) {
        let on = !self.show_hidden;
        self.set_show_hidden(on);
    }

    pub fn set_show_hidden(&mut self, on: bool) {
        if on == self.show_hidden {
            return;
        }
        self.keep_top_line(|v| v.show_hidden = on);
        self.rescan();
    }

    /// Change how lines lay out while a paused view keeps its top line.
    fn keep_top_line(&mut self, change: impl FnOnce(&mut Self)) {
        let top = (!self.follow).then(|| self.top(self.viewport)).flatten();
        change(self);
        if let Some(top) = top {
            self.anchor = Pos {
                seq: top.seq,
                row: 0,
            };
        }
    }

    // ----- follow and scrolling ----------------------------------------------------------

    /// New lines keep the bottom in view.
    pub fn is_following(&self) -> bool {
        self.follow
    }

    /// Shown lines that arrived since the view was paused.
    pub fn new_lines(&self) -> usize {
        self.new_lines
    }

    /// Resume following (End / F): jump to the bottom; ends a selection.
    pub fn follow(&mut self) {
        self.follow = true;
        self.new_lines = 0;
        self.selection = None;
    }

    fn pause(&mut self) {
        if self.follow {
            self.follow = false;
            self.new_lines = 0;
        }
    }

    fn pause_at(&mut self, top: Pos) {
        self.pause();
        self.anchor = top;
    }

    /// Up `n` rows; pauses following when the view moves. With a selection, moves its
    /// cursor `n` lines instead.
    pub fn scroll_up(&mut self, n: usize) {
        if self.selection.is_some() {
            self.move_cursor(-(n as i64));
            return;
        }
        let Some(top) = self.top(self.viewport) else {
            return;
        };
        let up = self.retreat(top, n);
        if up != top {
            self.pause_at(up);
        }
    }

    /// Down `n` rows, stopping with the last line at the bottom. Does not resume following
    /// (End / F does). With a selection, moves its cursor `n` lines instead.
    pub fn scroll_down(&mut self, n: usize) {
        if self.selection.is_some() {
            self.move_cursor(n as i64);
            return;
        }
        if self.follow {
            return;
        }
        let vp = self.viewport;
        let (Some(top), Some(bottom)) = (self.top(vp), self.bottom_top(vp)) else {
            return;
        };
        self.anchor = self.advance(top, n).min(bottom);
    }

    /// Up one viewport height.
    pub fn page_up(&mut self) {
        self.scroll_up(self.page());
    }

    /// Down one viewport height.
    pub fn page_down(&mut self) {
        self.scroll_down(self.page());
    }

    fn page(&self) -> usize {
        self.viewport.rows().max(1)
    }

    /// To the first line (Home); pauses following. With a selection, moves its cursor there.
    pub fn home(&mut self) {
        if let Some(first) = self.first_shown() {
            if let Some(sel) = &mut self.selection {
                sel.cursor = first;
            }
            self.pause_at(Pos { seq: first, row: 0 });
        }
    }

    /// End: with a selection, moves its cursor to the last line; otherwise [`Self::follow`].
    pub fn end(&mut self) {
        match (self.selection.is_some(), self.last_shown()) {
            (true, Some(last)) => {
                if let Some(sel) = &mut self.selection {
                    sel.cursor = last;
                }
                self.reveal_line(last);
            }
            _ => self.follow(),
        }
    }

    /// Left `n` columns (no-wrap mode).
    pub fn scroll_left(&mut self, n: usize) {
        self.hscroll = self.hscroll.saturating_sub(n);
    }

    /// Right `n` columns (no-wrap mode).
    pub fn scroll_right(&mut self, n: usize) {
        if !self.wrap {
            self.hscroll = self.hscroll.saturating_add(n).min(MAX_LINE_BYTES * 2);
        }
    }

    /// Rows a shown line takes at the viewport's width.
    fn rows_of(&self, seq: u64, vp: Viewport) -> usize {
        match self.get(seq) {
            Some(line) if self.wrap => {
                wrap_rows(self.prefix_width(line), line.text, vp.cols(), None).0
            }
            _ => 1,
        }
    }

    /// The top of the view when the last line is at the bottom.
    fn bottom_top(&self, vp: Viewport) -> Option<Pos> {
        let mut seq = self.last_shown()?;
        let mut left = vp.rows().max(1);
        loop {
            let rows = self.rows_of(seq, vp);
            if rows >= left {
                return Some(Pos {
                    seq,
                    row: rows - left,
                });
            }
            left -= rows;
            match self.prev_shown(seq) {
                Some(prev) => seq = prev,
                None => return Some(Pos { seq, row: 0 }),
            }
        }
    }

    /// The top of the view: the bottom one when following, else the pause position kept
    /// valid (lines dropped, hidden, re-wrapped) and never past the bottom one.
    fn top(&self, vp: Viewport) -> Option<Pos> {
        let bottom = self.bottom_top(vp)?;
        if self.follow {
            return Some(bottom);
        }
        let anchor = match self.shown_from(self.anchor.seq) {
            Some(seq) if seq == self.anchor.seq => Pos {
                seq,
                row: self.anchor.row.min(self.rows_of(seq, vp) - 1),
            },
            Some(seq) => Pos { seq, row: 0 },
            None => bottom,
        };
        Some(anchor.min(bottom))
    }

    fn advance(&self, mut pos: Pos, mut n: usize) -> Pos {
        let vp = self.viewport;
        loop {
            let rows = self.rows_of(pos.seq, vp);
            if pos.row + n < rows {
                pos.row += n;
                return pos;
            }
            match self.next_shown(pos.seq) {
                Some(next) => {
                    n -= rows - pos.row;
                    pos = Pos { seq: next, row: 0 };
                }
                None => {
                    pos.row = rows - 1;
                    return pos;
                }
            }
        }
    }

    fn retreat(&self, mut pos: Pos, mut n: usize) -> Pos {
        let vp = self.viewport;
        loop {
            if n <= pos.row {
                pos.row -= n;
                return pos;
            }
            match self.prev_shown(pos.seq) {
                Some(prev) => {
                    n -= pos.row + 1;
                    pos = Pos {
                        seq: prev,
                        row: self.rows_of(prev, vp) - 1,
                    };
                }
                None => {
                    pos.row = 0;
                    return pos;
                }
            }
        }
    }

    /// Whether `target` shows in the viewport when the top is `top`.
    fn on_screen(&self, top: Pos, target: Pos) -> bool {
        target >= top && target <= self.advance(top, self.viewport.rows().saturating_sub(1))
    }

    /// Pause with `target` in view: untouched if it already shows, else about a third
    /// down from the top.
    fn reveal(&mut self, target: Pos) {
        let Some(top) = self.top(self.viewport) else {
            return;
        };
        if self.on_screen(top, target) {
            self.pause_at(top);
            return;
        }
        let bottom = self.bottom_top(self.viewport).unwrap_or(target);
        let new_top = self.retreat(target, self.viewport.rows() / 3).min(bottom);
        self.pause_at(new_top);
    }

    /// Pause with line `seq` in view, scrolling as little as possible.
    fn reveal_line(&mut self, seq: u64) {
        let vp = self.viewport;
        let Some(top) = self.top(vp) else {
            return;
        };
        let first = Pos { seq, row: 0 };
        let last = Pos {
            seq,
            row: self.rows_of(seq, vp) - 1,
        };
        if first < top {
            self.pause_at(first);
        } else if !self.on_screen(top, last) {
            let new_top = self.retreat(last, vp.rows().saturating_sub(1));
            self.pause_at(new_top.max(top));
        } else {
            self.pause_at(top);
        }
    }

    // ----- layout ------------------------------------------------------------------------

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

    fn prefix_width(&self, line: Entry<'_>) -> usize {
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
    fn display_text(&self, line: Entry<'_>) -> String {
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

    // ----- search ------------------------------------------------------------------------

    /// Search for `query` (plain text, case-insensitive); empty clears. Selects the hit
    /// nearest the view (the last one while following) and brings it into view if it is
    /// not on screen. O(stored text).
    pub fn set_search(&mut self, query: &str) {
        if query.is_empty() {
            self.search = None;
            return;
        }
        if self.search.as_ref().is_some_and(|s| s.query == query) {
            return;
        }
        let folded: Vec<char> = query.chars().flat_map(char::to_lowercase).collect();
        let ascii = query
            .is_ascii()
            .then(|| query.to_ascii_lowercase().into_bytes());
        let mut search = Search {
            query: query.to_string(),
            needle: Needle { folded, ascii },
            matches: VecDeque::new(),
            current: None,
        };
        self.scan(&mut search);
        search.current = if search.matches.is_empty() {
            None
        } else if self.follow {
            Some(search.matches.len() - 1)
        } else {
            let top = self.top(self.viewport).map_or(0, |p| p.seq);
            Some(
                search
                    .matches
                    .partition_point(|m| m.seq < top)
                    .min(search.matches.len() - 1),
            )
        };
        self.search = Some(search);
        if let Some(target) = self.current_target() {
            let top = self.top(self.viewport);
            if top.is_some_and(|top| !self.on_screen(top, target)) {
                self.reveal(target);
            }
            self.reveal_column();
        }
    }

    /// The search query, if any.
    pub fn search_query(&self) -> Option<&str> {
        self.search.as_ref().map(|s| s.query.as_str())
    }

    /// Number of hits.
    pub fn match_count(&self) -> usize {
        self.search.as_ref().map_or(0, |s| s.matches.len())
    }

    /// The current hit's 1-based number and the count ("3/17").
    pub fn match_position(&self) -> Option<(usize, usize)> {
        let s = self.search.as_ref()?;
        Some((s.current? + 1, s.matches.len()))
    }

    /// The current hit.
    pub fn current_match(&self) -> Option<Match> {
        let s = self.search.as_ref()?;
        s.matches.get(s.current?).copied()
    }

    /// Next hit (n), wrapping around; pauses and moves the view to it.
    pub fn next_match(&mut self) {
        self.step_match(true);
    }

    /// Previous hit (N), wrapping around; pauses and moves the view to it.
    pub fn prev_match(&mut self) {
        self.step_match(false);
    }

    fn step_match(&mut self, forward: bool) {
        let top = self.top(self.viewport).map_or(0, |p| p.seq);
        let Some(search) = &mut self.search else {
            return;
        };
        let n = search.matches.len();
        if n == 0 {
            return;
        }
        search.current = Some(match search.current {
            Some(c) if forward => (c + 1) % n,
            Some(c) => (c + n - 1) % n,
            None => search.matches.partition_point(|m| m.seq < top) % n,
        });
        if let Some(target) = self.current_target() {
            self.reveal(target);
            self.reveal_column();
        }
    }

    /// The byte ranges of line `seq`'s text that match, and whether each is the current
    /// hit. O(log hits).
    pub fn line_matches(&self, seq: u64) -> impl Iterator<Item = (Range<usize>, bool)> + '_ {
        let (hits, first, current) = match &self.search {
            Some(s) => {
                let first = s.matches.partition_point(|m| m.seq < seq);
                (Some(&s.matches), first, s.current)
            }
            None => (None, 0, None),
        };
        hits.into_iter()
            .flat_map(move |m| m.range(first..))
            .take_while(move |m| m.seq == seq)
            .enumerate()
            .map(move |(i, m)| (m.start as usize..m.end as usize, current == Some(first + i)))
    }

    /// Where the current hit is: its line and the wrapped row holding its start.
    fn current_target(&self) -> Option<Pos> {
        let m = self.current_match()?;
        let line = self.get(m.seq)?;
        let row = if self.wrap {
            wrap_rows(
                self.prefix_width(line),
                line.text,
                self.viewport.cols(),
                Some(m.start as usize),
            )
            .1
        } else {
            0
        };
        Some(Pos { seq: m.seq, row })
    }

    /// Without wrap, scroll sideways so the current hit shows.
    fn reveal_column(&mut self) {
        if self.wrap {
            return;
        }
        let Some(m) = self.current_match() else {
            return;
        };
        let Some(line) = self.get(m.seq) else {
            return;
        };
        let width = self.viewport.cols();
        let start = self.prefix_width(line) + str_width(&line.text[..m.start as usize]);
        let end = start + str_width(&line.text[m.start as usize..m.end as usize]);
        if start < self.hscroll || end > self.hscroll + width {
            self.hscroll = if end <= width {
                0
            } else {
                start.saturating_sub(width / 3)
            };
        }
    }

    /// Find every hit again (the hidden toggle changed), keeping the current one if it still
    /// shows, else the next.
    fn rescan(&mut self) {
        let Some(mut search) = self.search.take() else {
            return;
        };
        let old = search.current.and_then(|c| search.matches.get(c).copied());
        search.matches.clear();
        self.scan(&mut search);
        search.current = match (old, search.matches.is_empty()) {
            (_, true) => None,
            (None, false) => Some(0),
            (Some(old), false) => Some(
                search
                    .matches
                    .partition_point(|m| (m.seq, m.start) < (old.seq, old.start))
                    % search.matches.len(),
            ),
        };
        self.search = Some(search);
    }

    fn scan(&self, search: &mut Search) {
        let mut matches = std::mem::take(&mut search.matches);
        for (i, line) in self.lines.iter().enumerate() {
            if self.shown(line) {
                let seq = self.first_seq + i as u64;
                find_matches(line.text, &search.needle, |start, end| {
                    matches.push_back(Match { seq, start, end });
                });
            }
        }
        search.matches = matches;
    }

    // ----- selection ---------------------------------------------------------------------

    /// Start marking lines (v) at the top line of a paused view or the last line of a
    /// following one, pausing; or stop marking when already marking.
    pub fn toggle_selection(&mut self) {
        if self.selection.take().is_some() {
            return;
        }
        let vp = self.viewport;
        let start = if self.follow {
            self.last_shown()
        } else {
            self.top(vp).map(|p| p.seq)
        };
        if let Some(seq) = start {
            self.selection = Some(Selection {
                anchor: seq,
                cursor: seq,
            });
            self.reveal_line(seq);
        }
    }

    /// Stop marking lines (Esc).
    pub fn clear_selection(&mut self) {
        self.selection = None;
    }

    pub fn is_selecting(&self) -> bool {
        self.selection.is_some()
    }

    /// Sequence numbers of the first and last marked lines.
    fn selection_range(&self) -> Option<std::ops::RangeInclusive<u64>> {
        let s = self.selection?;
        Some(s.anchor.min(s.cursor)..=s.anchor.max(s.cursor))
    }

    /// How many shown lines are marked.
    pub fn selection_len(&self) -> usize {
        self.selected_lines().count()
    }

    fn selected_lines(&self) -> impl Iterator<Item = Entry<'_>> {
        let range = self
            .selection_range()
            .map(|r| self.index(*r.start())..self.index(*r.end()).saturating_add(1))
            .map(|r| r.start.min(self.lines.len())..r.end.min(self.lines.len()))
            .unwrap_or(0..0);
        self.lines.range(range).filter(|l| self.shown(*l))
    }

    /// The marked lines as shown (clock and marker included, not wrapped), one per line.
    pub fn selection_text(&self) -> Option<String> {
        self.selection?;
        let mut out = String::new();
        for line in self.selected_lines() {
            out.push_str(&self.display_text(line));
            out.push('\n');
        }
        Some(out)
    }

    /// Move the selection's cursor by `delta` shown lines, keeping it in view.
    fn move_cursor(&mut self, delta: i64) {
        let Some(sel) = self.selection else { return };
        let mut seq = self.shown_from(sel.cursor).or_else(|| self.last_shown());
        for _ in 0..delta.unsigned_abs() {
            let next = match seq {
                Some(s) if delta > 0 => self.next_shown(s),
                Some(s) => self.prev_shown(s),
                None => None,
            };
            match next {
                Some(n) => seq = Some(n),
                None => break,
            }
        }
        if let Some(seq) = seq {
            self.selection = Some(Selection { cursor: seq, ..sel });
            self.reveal_line(seq);
        }
    }

    // ----- saving ------------------------------------------------------------------------

    /// Write every stored line that shows (hidden ones only when shown), each prefixed by its
    /// ISO-8601 timestamp when it has one and commands by `$ `; returns the line count.
    pub fn save(&self, path: &Path) -> io::Result<usize> {
        let mut out = BufWriter::new(File::create(path)?);
        let count = self.write_to(&mut out)?;
        out.flush()?;
        Ok(count)
    }

    /// [`Self::save`] into any writer.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<usize> {
        let mut count = 0;
        for line in self.lines.iter().filter(|l| self.shown(*l)) {
            if let Some(ts) = line.timestamp {
                write!(out, "{ts} ")?;
            }
            if line.kind == Kind::Command {
                out.write_all(COMMAND_MARKER.as_bytes())?;
            }
            out.write_all(line.text.as_bytes())?;
            out.write_all(b"\n")?;
            count += 1;
        }
        Ok(count)
    }

    #[cfg(test)]
    fn ring_allocation(&self) -> usize {
        self.lines.allocation()
    }
}

// ----- text ----------------------------------------------------------------------------

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Make a line safe to draw ([`printable_line`]: escape sequences and control characters
/// out, tabs expanded, a carriage return shown as `␍`) and cut it at
/// [`MAX_LINE_BYTES`]. Clean lines are returned as they are, without copying.
fn sanitize(text: &str) -> Cow<'_, str> {
    let clean = printable_line(text);
    if clean.len() <= MAX_LINE_BYTES {
        return clean;
    }
    let mut cut = MAX_LINE_BYTES;
    while !clean.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out = String::with_capacity(cut + '…'.len_utf8());
    out.push_str(&clean[..cut]);
    out.push('…');
    Cow::Owned(out)
}

/// Call `hit(start, end)` for each non-overlapping case-insensitive occurrence of the
/// search in `text`, in byte offsets. No allocation.
fn find_matches(text: &str, needle: &Needle, mut hit: impl FnMut(u32, u32)) {
    let mut emit = |start: usize, end: usize| {
        if let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(end)) {
            hit(s, e);
        }
    };
    // An ASCII query is searched byte by byte: ASCII bytes never occur inside a multi-byte
    // character, so every hit falls on character boundaries. (The few non-ASCII characters
    // whose lowercase is ASCII, such as the Kelvin sign, are not matched this way.)
    if let Some(needle) = needle.ascii.as_deref() {
        let hay = text.as_bytes();
        let Some((&first, _)) = needle.split_first() else {
            return;
        };
        let upper = first.to_ascii_uppercase();
        let mut i = 0;
        while i + needle.len() <= hay.len() {
            let window = &hay[i..=hay.len() - needle.len()];
            let found = if upper == first {
                memchr::memchr(first, window)
            } else {
                memchr::memchr2(first, upper, window)
            };
            let Some(at) = found.map(|off| i + off) else {
                return;
            };
            if hay[at..at + needle.len()].eq_ignore_ascii_case(needle) {
                emit(at, at + needle.len());
                i = at + needle.len();
            } else {
                i = at + 1;
            }
        }
        return;
    }
    let mut next_free = 0;
    for (i, _) in text.char_indices() {
        if i < next_free {
            continue;
        }
        if let Some(len) = match_at(&text[i..], &needle.folded) {
            emit(i, i + len);
            next_free = i + len;
        }
    }
}

/// The byte length of the prefix of `s` that equals `folded` once lowercased, if any.
fn match_at(s: &str, folded: &[char]) -> Option<usize> {
    let mut q = 0;
    for (i, c) in s.char_indices() {
        for lower in c.to_lowercase() {
            if folded.get(q) != Some(&lower) {
                return None;
            }
            q += 1;
        }
        if q == folded.len() {
            return Some(i + c.len_utf8());
        }
    }
    None
}

/// Rows a line takes wrapped at `width` after a `prefix` of ASCII columns, and the row
/// holding text byte `target` (0 without one). A character that does not fit on a row
/// starts the next; every row holds at least one character.
fn wrap_rows(prefix: usize, text: &str, width: usize, target: Option<usize>) -> (usize, usize) {
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
    use super::*;

    fn out(text: &str) -> Line {
        Line {
            kind: Kind::Stdout,
            text: text.to_string(),
            timestamp: None,
            hidden: false,
        }
    }

    fn hidden(text: &str) -> Line {
        Line {
            hidden: true,
            ..out(text)
        }
    }

    /// A view of `n` lines "line 0".."line n-1" in a 40x5 viewport.
    fn numbered(n: usize) -> LogView {
        let mut view = LogView::new("test", 1_000);
        view.set_time_zone(TimeZone::UTC);
        view.set_viewport(Viewport::new(40, 5));
        view.extend((0..n).map(|i| out(&format!("line {i}"))));
        view
    }

    fn shown(view: &LogView) -> Vec<String> {
        let vp = view.viewport();
        view.visible_text(vp.height, vp.width)
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_ring_keeps_the_newest_lines_and_counts_the_dropped() {
        let mut view = LogView::new("ring", 1_000);
        view.set_viewport(Viewport::new(40, 3));
        for i in 0..150_000 {
            view.push(out(&format!("line {i}")));
        }
        assert_eq!(view.len(), 1_000);
        assert_eq!(view.dropped(), 149_000);
        // What 1,000 lines need (24-byte records, two 64 KiB text blocks at most), not what
        // 150,000 did.
        assert!(
            view.ring_allocation() <= 2 * 1_000 * 24 + 2 * 64 * 1024,
            "{}",
            view.ring_allocation()
        );
        assert_eq!(view.lines().next().unwrap().text, "line 149000");
        assert_eq!(shown(&view), ["line 149997", "line 149998", "line 149999"]);
        let mut tiny = LogView::new("zero", 0);
        tiny.extend([out("a"), out("b")]);
        assert_eq!((tiny.len(), tiny.capacity(), tiny.dropped()), (1, 1, 1));
    }

    #[test]
    fn reset_clears_lines_and_keeps_toggles() {
        let mut view = numbered(10);
        view.toggle_wrap();
        view.set_search("line");
        view.scroll_up(2);
        view.reset("other", 5);
        assert!(view.is_empty() && view.is_following());
        assert_eq!(
            (view.title(), view.capacity(), view.dropped()),
            ("other", 5, 0)
        );
        assert!(view.wrap());
        assert_eq!(view.search_query(), None);
    }

    #[test]
    fn scrolling_up_pauses_and_new_lines_do_not_move_a_paused_view() {
        let mut view = numbered(20);
        assert!(view.is_following());
        assert_eq!(shown(&view)[4], "line 19");
        view.scroll_down(3); // at the bottom while following: nothing to do
        assert!(view.is_following());
        view.scroll_up(2);
        assert!(!view.is_following());
        assert_eq!(
            shown(&view),
            ["line 13", "line 14", "line 15", "line 16", "line 17"]
        );
        view.extend((20..25).map(|i| out(&format!("line {i}"))));
        assert_eq!(view.new_lines(), 5);
        assert_eq!(shown(&view)[0], "line 13");
        view.page_down();
        assert_eq!(shown(&view)[0], "line 18");
        view.scroll_down(100);
        assert_eq!(shown(&view)[4], "line 24", "stops at the bottom");
        assert!(!view.is_following(), "only End / F resumes");
        view.home();
        assert_eq!(shown(&view)[0], "line 0");
        view.page_up();
        assert_eq!(shown(&view)[0], "line 0");
        view.end();
        assert!(view.is_following());
        assert_eq!(view.new_lines(), 0);
        view.push(out("line 25"));
        assert_eq!(shown(&view)[4], "line 25");
        view.scroll_up(1);
        view.follow();
        assert_eq!(shown(&view)[4], "line 25");
    }

    #[test]
    fn a_short_log_does_not_pause_on_scroll_up() {
        let mut view = numbered(3);
        view.scroll_up(1);
        assert!(view.is_following());
        assert_eq!(shown(&view), ["line 0", "line 1", "line 2"]);
        let screen = view.screen(view.viewport());
        assert!(!screen.more_above && !screen.more_below);
    }

    #[test]
    fn a_paused_position_survives_lines_dropping_off() {
        let mut view = numbered(0);
        view.reset("ring", 10);
        view.extend((0..10).map(|i| out(&format!("line {i}"))));
        view.home();
        view.scroll_down(2);
        assert_eq!(shown(&view)[0], "line 2");
        view.extend((10..13).map(|i| out(&format!("line {i}"))));
        assert_eq!(view.dropped(), 3);
        assert_eq!(shown(&view)[0], "line 3", "clamped to the oldest line kept");
        view.scroll_up(1);
        assert_eq!(shown(&view)[0], "line 3");
        view.scroll_down(1);
        assert_eq!(shown(&view)[0], "line 4");
        let screen = view.screen(view.viewport());
        assert_eq!(
            (screen.position, screen.total, screen.lines_on_screen),
            (1, 10, 5)
        );
        assert!(screen.more_above && screen.more_below);
    }

    #[test]
    fn the_hidden_toggle_applies_to_lines_already_stored() {
        let mut view = numbered(0);
        view.extend([out("a"), hidden("debug 1"), out("b"), hidden("debug 2")]);
        assert_eq!(view.len(), 4);
        assert_eq!(view.shown_len(), 2);
        assert_eq!(shown(&view), ["a", "b"]);
        view.toggle_hidden();
        assert_eq!(shown(&view), ["a", "debug 1", "b", "debug 2"]);
        view.toggle_hidden();
        assert_eq!(shown(&view), ["a", "b"]);
        view.set_search("debug");
        assert_eq!(view.match_count(), 0);
        view.toggle_hidden();
        assert_eq!(view.match_count(), 2);
    }

    #[test]
    fn hidden_lines_are_skipped_when_scrolling() {
        let mut view = numbered(0);
        for i in 0..10 {
            view.push(out(&format!("line {i}")));
            view.push(hidden(&format!("debug {i}")));
        }
        view.scroll_up(1);
        assert_eq!(
            shown(&view),
            ["line 4", "line 5", "line 6", "line 7", "line 8"]
        );
        view.toggle_hidden();
        assert_eq!(
            shown(&view)[0],
            "line 4",
            "a paused view keeps its top line"
        );
        assert_eq!(shown(&view)[1], "debug 4");
    }

    #[test]
    fn a_long_line_wraps_and_scrolling_counts_rows() {
        let mut view = numbered(0);
        view.set_viewport(Viewport::new(10, 3));
        view.push(out("short"));
        view.push(out(&("abcdefghij".repeat(2) + "xyz"))); // 23 columns: 3 rows at 10
        view.push(out("end"));
        assert_eq!(
            shown(&view),
            ["short", "abcdefghij", "end"],
            "cut at the width"
        );
        view.toggle_wrap();
        assert_eq!(shown(&view), ["abcdefghij", "xyz", "end"]);
        view.scroll_up(1);
        assert_eq!(shown(&view), ["abcdefghij", "abcdefghij", "xyz"]);
        view.scroll_up(2);
        assert_eq!(shown(&view), ["short", "abcdefghij", "abcdefghij"]);
        view.scroll_down(1);
        assert_eq!(shown(&view), ["abcdefghij", "abcdefghij", "xyz"]);
        assert_eq!(wrap_rows(0, &"abcdefghij".repeat(2), 10, None).0, 2);
        assert_eq!(wrap_rows(0, "", 10, None).0, 1);
        assert_eq!(wrap_rows(9, "abc", 10, Some(1)), (2, 1));
    }

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
    fn without_wrap_lines_are_cut_and_scroll_sideways() {
        let mut view = numbered(0);
        view.set_viewport(Viewport::new(10, 2));
        view.push(out("0123456789abcdefghij"));
        assert_eq!(shown(&view), ["0123456789"]);
        view.scroll_right(5);
        assert_eq!(shown(&view), ["56789abcde"]);
        view.scroll_left(10);
        assert_eq!(shown(&view), ["0123456789"]);
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
    fn search_counts_steps_and_wraps_around() {
        let mut view = numbered(0);
        view.extend((0..30).map(|i| {
            out(&if i % 5 == 0 {
                format!("{i} ERROR here, error again")
            } else {
                format!("{i} fine")
            })
        }));
        view.set_search("Error");
        assert_eq!(view.match_count(), 12);
        // Following: the last hit is selected and on screen, so the view stays put.
        assert_eq!(view.match_position(), Some((12, 12)));
        assert!(view.is_following());
        view.next_match();
        assert_eq!(view.match_position(), Some((1, 12)));
        assert!(!view.is_following());
        assert!(shown(&view).iter().any(|l| l.starts_with("0 ERROR")));
        view.prev_match();
        assert_eq!(view.match_position(), Some((12, 12)));
        assert!(shown(&view).iter().any(|l| l.starts_with("25 ERROR")));
        view.prev_match();
        view.prev_match();
        assert_eq!(view.match_position(), Some((10, 12)));
        assert_eq!(view.current_match().map(|m| m.seq), Some(20));
        let lines = shown(&view);
        assert_eq!(
            lines[1], "20 ERROR here, error again",
            "a third down: {lines:?}"
        );
        view.set_search("");
        assert_eq!(view.match_position(), None);
        view.set_search("nothing like this");
        assert_eq!(view.match_position(), None);
        view.next_match();
    }

    #[test]
    fn search_starts_near_a_paused_view_and_moves_to_an_offscreen_hit() {
        let mut view = numbered(100);
        view.home();
        view.scroll_down(40);
        view.set_search("line 4");
        // "line 4", "line 40".."line 49": the first at or after line 40.
        assert_eq!(view.current_match().map(|m| m.seq), Some(40));
        view.set_search("line 7");
        assert_eq!(view.current_match().map(|m| m.seq), Some(70));
        assert!(shown(&view).contains(&"line 70".to_string()));
    }

    #[test]
    fn a_hit_far_into_a_wrapped_line_is_brought_into_view() {
        let mut view = numbered(0);
        view.set_viewport(Viewport::new(10, 3));
        view.set_wrap(true);
        view.push(out(&format!("{}needle{}", "a".repeat(60), "b".repeat(60))));
        view.extend((0..20).map(|i| out(&format!("after {i}"))));
        view.set_search("needle");
        assert!(!view.is_following());
        let text = view.visible_text(3, 10);
        assert!(text.contains("needle"), "{text}");
        let screen = view.screen(view.viewport());
        assert!(
            screen
                .rows
                .iter()
                .flat_map(|r| &r.segments)
                .any(|s| s.role == Role::CurrentMatch && s.text == "needle")
        );
        // Without wrap the view scrolls sideways to it.
        view.set_wrap(false);
        view.next_match();
        assert!(view.hscroll() > 0);
        assert!(view.visible_text(3, 10).contains("needle"));
    }

    #[test]
    fn highlights_mark_every_hit_and_the_current_one_in_bytes() {
        let mut view = numbered(0);
        view.push(out("Ünïcode ünï ÜNÏ"));
        view.set_search("ünï");
        let hits: Vec<_> = view.line_matches(0).collect();
        assert_eq!(
            hits,
            [(0..5, false), (10..15, false), (16..21, true)],
            "byte ranges of each hit"
        );
        let screen = view.screen(view.viewport());
        let roles: Vec<_> = screen.rows[0]
            .segments
            .iter()
            .map(|s| (s.text.as_ref(), s.role))
            .collect();
        assert_eq!(
            roles,
            [
                ("Ünï", Role::Match),
                ("code ", Role::Text),
                ("ünï", Role::Match),
                (" ", Role::Text),
                ("ÜNÏ", Role::CurrentMatch),
            ]
        );
        // An ASCII query over a non-ASCII line.
        view.set_search("CODE");
        assert_eq!(view.line_matches(0).next(), Some((5..9, true)));
    }

    #[test]
    fn search_finds_hits_in_new_lines_and_forgets_dropped_ones() {
        let mut view = numbered(0);
        view.reset("ring", 4);
        view.extend([out("hit 1"), out("miss"), out("hit 2")]);
        view.set_search("hit");
        assert_eq!(view.match_position(), Some((2, 2)));
        view.push(out("hit 3"));
        assert_eq!(view.match_position(), Some((2, 3)));
        view.extend([out("x"), out("y")]); // drops "hit 1" and "miss"
        assert_eq!(view.match_position(), Some((1, 2)));
        assert_eq!(view.current_match().map(|m| m.seq), Some(2));
    }

    #[test]
    fn matches_are_found_case_insensitively_without_overlap() {
        let search = |q: &str, text: &str| {
            let mut view = numbered(0);
            view.push(out(text));
            view.set_search(q);
            view.line_matches(0).map(|(r, _)| r).collect::<Vec<_>>()
        };
        assert_eq!(search("aa", "AAAA"), [0..2, 2..4]);
        assert_eq!(
            search("straße", "STRAßE strasse"),
            vec![Range { start: 0, end: 7 }]
        );
        assert!(search("x", "").is_empty());
        assert_eq!(search("é", "café CAFÉ"), [3..5, 9..11]);
    }

    #[test]
    fn a_selection_extends_with_movement_and_copies_the_lines() {
        let mut view = numbered(20);
        view.toggle_selection();
        assert!(view.is_selecting());
        assert!(!view.is_following());
        view.scroll_up(2);
        assert_eq!(view.selection_len(), 3);
        assert_eq!(
            view.selection_text().unwrap(),
            "line 17\nline 18\nline 19\n"
        );
        let screen = view.screen(view.viewport());
        let selected: Vec<_> = screen.rows.iter().map(|r| r.selected).collect();
        assert_eq!(selected, [false, false, true, true, true]);
        view.scroll_up(10);
        assert_eq!(shown(&view)[0], "line 7", "the cursor stays in view");
        view.home();
        assert_eq!(view.selection_len(), 20);
        view.end();
        assert_eq!(view.selection_len(), 1);
        view.toggle_selection();
        assert!(!view.is_selecting());
        assert_eq!(view.selection_text(), None);
    }

    #[test]
    fn visible_text_is_what_the_screen_shows() {
        let mut view = numbered(8);
        assert_eq!(view.visible_text(3, 40), "line 5\nline 6\nline 7\n");
        view.scroll_up(1);
        assert_eq!(view.visible_text(2, 4), "line\nline\n");
    }

    #[test]
    fn save_writes_shown_lines_with_iso_timestamps() {
        let mut view = numbered(0);
        let ts: Timestamp = "2026-08-22T10:11:12.123456Z".parse().unwrap();
        view.push(Line {
            kind: Kind::Command,
            timestamp: Some(ts),
            ..out("docker build .")
        });
        view.push(Line {
            timestamp: Some(ts),
            ..out("step 1")
        });
        view.push(hidden("debug"));
        view.push_note(NoteLevel::Ok, "finished after 1m02s at a1b2c3d", None);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deploy.log");
        assert_eq!(view.save(&path).unwrap(), 3);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "2026-08-22T10:11:12.123456Z $ docker build .\n\
             2026-08-22T10:11:12.123456Z step 1\n\
             finished after 1m02s at a1b2c3d\n"
        );
        view.toggle_hidden();
        assert_eq!(view.save(&path).unwrap(), 4);
        assert!(view.save(&dir.path().join("no/such/dir/x.log")).is_err());
    }

    #[test]
    fn lines_are_made_safe_to_draw() {
        assert_eq!(sanitize("\x1b[1;31mred\x1b[0m text"), "red text");
        assert_eq!(sanitize("a\tb"), "a       b");
        assert_eq!(sanitize("10%\r50%\r100%"), "10%␍50%␍100%");
        assert_eq!(sanitize("\x1b]8;;http://x\x1b\\link\x1b]8;;\x07"), "link");
        assert_eq!(sanitize("bell\x07"), "bell");
        let long = sanitize(&"y".repeat(MAX_LINE_BYTES + 10)).into_owned();
        assert!(long.ends_with('…'));
        assert!(long.len() <= MAX_LINE_BYTES + '…'.len_utf8());
        let mut view = numbered(0);
        view.push(out("one\ntwo"));
        assert_eq!(view.len(), 2);
    }

    #[test]
    fn coolify_lines_convert() {
        let line: Line = LogLine {
            kind: LineKind::Stderr,
            text: "boom".into(),
            timestamp: None,
            hidden: true,
        }
        .into();
        assert_eq!(line.kind, Kind::Stderr);
        assert!(line.hidden);
    }
}
