//! A list's selection scrolled into view and its filter line: the state the table views
//! keep, without what draws or changes the rest of the console.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::printable_line;

/// The selected row of a list and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Bring the selection into a view of `height` rows of a list of `len`.
    pub fn scroll(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }

    /// Move the selection by `delta` rows (clamped); whether it moved.
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) -> bool {
        let target = self.selected as isize + delta;
        let before = self.selected;
        self.selected = target.clamp(0, len.saturating_sub(1) as isize) as usize;
        self.scroll(len, height);
        self.selected != before
    }

    /// Select `at` (where the row selected before is now), or stay, within `len` rows.
    pub fn keep(&mut self, at: Option<usize>, len: usize, height: usize) {
        self.selected = at.unwrap_or(self.selected).min(len.saturating_sub(1));
        self.scroll(len, height);
    }
}

/// A view's filter: the words typed, and whether the line has the keyboard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterLine {
    pub text: String,
    pub active: bool,
}

/// What a key did on an open filter line.
#[derive(Debug, PartialEq, Eq)]
pub enum FilterKey {
    /// The text to filter by now (perhaps the same).
    Text(String),
    /// Move the selection while typing.
    Move(isize),
}

impl FilterLine {
    /// A key while the line has the keyboard: Enter closes it, Esc closes and clears it,
    /// the arrows move the selection, Ctrl-U clears, other characters type.
    pub fn on_key(&mut self, key: KeyEvent) -> FilterKey {
        let mut text = self.text.clone();
        match key.code {
            KeyCode::Esc => {
                self.active = false;
                text.clear();
            }
            KeyCode::Enter => self.active = false,
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Up => return FilterKey::Move(-1),
            KeyCode::Down => return FilterKey::Move(1),
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => text.clear(),
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => text.push(c),
            _ => {}
        }
        FilterKey::Text(text)
    }

    /// The end of a view's title: ` · /words▏` (with the cursor while typing) when there
    /// is a filter, and ` · reading…` while a read is in flight.
    pub fn title(&self, reading: bool) -> String {
        let mut title = String::new();
        if self.active || !self.text.is_empty() {
            let cursor = if self.active { "▏" } else { "" };
            title = format!(" · /{}{cursor}", printable_line(&self.text));
        }
        if reading {
            title.push_str(" · reading…");
        }
        title
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_stays_in_the_list_and_in_view() {
        let mut c = Cursor::default();
        assert!(c.move_by(7, 10, 3));
        assert_eq!(
            c,
            Cursor {
                selected: 7,
                offset: 5
            }
        );
        assert!(!c.move_by(0, 10, 3), "no move");
        c.move_by(isize::MAX / 2, 10, 3);
        assert_eq!(
            c,
            Cursor {
                selected: 9,
                offset: 7
            }
        );
        c.keep(Some(1), 10, 3);
        assert_eq!(
            c,
            Cursor {
                selected: 1,
                offset: 1
            }
        );
        c.keep(None, 0, 3);
        assert_eq!(c, Cursor::default());
    }

    #[test]
    fn the_filter_line_types_moves_and_closes() {
        let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
        let mut line = FilterLine {
            text: "ai".into(),
            active: true,
        };
        assert_eq!(
            line.on_key(key(KeyCode::Char('r'))),
            FilterKey::Text("air".into())
        );
        assert_eq!(line.on_key(key(KeyCode::Down)), FilterKey::Move(1));
        assert_eq!(line.title(false), " · /ai▏");
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(line.on_key(ctrl_u), FilterKey::Text(String::new()));
        assert_eq!(
            line.on_key(key(KeyCode::Enter)),
            FilterKey::Text("ai".into())
        );
        assert!(!line.active);
        assert_eq!(line.title(true), " · /ai · reading…");
        line.active = true;
        assert_eq!(
            line.on_key(key(KeyCode::Esc)),
            FilterKey::Text(String::new())
        );
        assert!(!line.active);
    }
}
