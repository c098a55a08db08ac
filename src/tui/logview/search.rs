//! Search: a case-insensitive plain-text query, its hits in the shown lines (kept up to
//! date as lines arrive, drop off or are hidden), stepping through them and highlighting.

use std::collections::VecDeque;
use std::ops::Range;

use super::LogView;
use super::screen::{str_width, wrap_rows};
use super::scroll::Pos;

/// A search hit: bytes `start..end` of line `seq`'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub seq: u64,
    pub start: u32,
    pub end: u32,
}

/// A search: its query, its hits in the shown lines in order, and the current one.
#[derive(Debug, Clone)]
pub(super) struct Search {
    query: String,
    needle: Needle,
    matches: VecDeque<Match>,
    current: Option<usize>,
}

impl Search {
    /// Add the hits in line `seq`, whose text is `text`.
    pub(super) fn find_in(&mut self, seq: u64, text: &str) {
        find_matches(text, &self.needle, |start, end| {
            self.matches.push_back(Match { seq, start, end });
        });
    }

    /// Forget the hits in line `seq`, which dropped off the front. The current hit stays
    /// current, or the next one becomes current when it goes.
    pub(super) fn forget(&mut self, seq: u64) {
        while self.matches.front().is_some_and(|m| m.seq == seq) {
            self.matches.pop_front();
            self.current = match self.current {
                Some(c) if c > 0 => Some(c - 1),
                Some(_) if self.matches.is_empty() => None,
                other => other,
            };
        }
    }
}

/// A query prepared for case-insensitive matching.
#[derive(Debug, Clone)]
struct Needle {
    /// Lowercased, for the general case.
    folded: Vec<char>,
    /// Lowercased when it is ASCII: the fast path.
    ascii: Option<Vec<u8>>,
}

impl LogView {
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
    pub(super) fn rescan(&mut self) {
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
        for (i, line) in self.lines.iter().enumerate() {
            if self.shown(line) {
                search.find_in(self.first_seq + i as u64, line.text);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::logview::tests::{numbered, out, shown};
    use crate::tui::logview::{Role, Viewport};

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
}
