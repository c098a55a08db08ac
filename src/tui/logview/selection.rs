//! The line selection (v): an anchor and a cursor the movement keys extend, and the
//! marked lines as text for copying.

use super::{Entry, LogView};

/// Marked lines: from `anchor`, where marking started, to `cursor`, which moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Selection {
    pub(super) anchor: u64,
    pub(super) cursor: u64,
}

impl LogView {
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
    pub(super) fn selection_range(&self) -> Option<std::ops::RangeInclusive<u64>> {
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
    pub(super) fn move_cursor(&mut self, delta: i64) {
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
}

#[cfg(test)]
mod tests {
    use crate::tui::logview::tests::{numbered, shown};

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
}
