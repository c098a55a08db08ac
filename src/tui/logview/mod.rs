//! A log pane's state: a bounded ring of lines, follow and pause, scrolling (wrapped or cut
//! with horizontal scroll), the wrap / timestamps / hidden-lines toggles, search, a line
//! selection for copying, and saving to a file. Pure apart from [`LogView::save`]; drawing
//! is in `panes::log`, which asks [`LogView::screen`] for what is visible.
//!
//! Positions are kept as sequence numbers (the n-th line ever pushed since the last reset),
//! so they stay valid while old lines drop off the front of the ring. Only the lines near
//! the viewport are laid out: wrapped heights are computed on demand, never for the whole
//! buffer.
//!
//! This module holds the view, its lines (pushing, dropping, counting, which show), the
//! toggles and saving; `ring` stores the lines, `scroll` follows and scrolls, `screen`
//! lays out what is visible, `search` finds hits and `selection` marks lines for copying.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::model::{LineKind, LogLine, printable_line};
use crate::settings::Logs;

mod ring;
mod screen;
mod scroll;
mod search;
mod selection;

pub use ring::Entry;
use ring::Ring;
pub use screen::{Role, Row, Screen, Segment};
use scroll::Pos;
pub use search::Match;
use search::Search;
use selection::Selection;

/// Longer lines are cut (with a trailing `…`) when pushed, so one runaway line cannot eat
/// the memory a whole buffer is allowed.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// Shown before a command line.
const COMMAND_MARKER: &str = "$ ";

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
            search.find_in(seq, &text);
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
            search.forget(gone);
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

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn out(text: &str) -> Line {
        Line {
            kind: Kind::Stdout,
            text: text.to_string(),
            timestamp: None,
            hidden: false,
        }
    }

    pub(super) fn hidden(text: &str) -> Line {
        Line {
            hidden: true,
            ..out(text)
        }
    }

    /// A view of `n` lines "line 0".."line n-1" in a 40x5 viewport.
    pub(super) fn numbered(n: usize) -> LogView {
        let mut view = LogView::new("test", 1_000);
        view.set_time_zone(TimeZone::UTC);
        view.set_viewport(Viewport::new(40, 5));
        view.extend((0..n).map(|i| out(&format!("line {i}"))));
        view
    }

    pub(super) fn shown(view: &LogView) -> Vec<String> {
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
