//! Where the view is: following the newest line or paused at a position, scrolling by
//! rows, pages and columns, and revealing a line or a search hit.

use super::screen::wrap_rows;
use super::{LogView, MAX_LINE_BYTES, Viewport};

/// Where the top of the view is: a line and a wrapped row inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Pos {
    pub(super) seq: u64,
    pub(super) row: usize,
}

impl LogView {
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

    pub(super) fn pause_at(&mut self, top: Pos) {
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
    pub(super) fn top(&self, vp: Viewport) -> Option<Pos> {
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
    pub(super) fn on_screen(&self, top: Pos, target: Pos) -> bool {
        target >= top && target <= self.advance(top, self.viewport.rows().saturating_sub(1))
    }

    /// Pause with `target` in view: untouched if it already shows, else about a third
    /// down from the top.
    pub(super) fn reveal(&mut self, target: Pos) {
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
    pub(super) fn reveal_line(&mut self, seq: u64) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::logview::tests::{hidden, numbered, out, shown};

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
}
