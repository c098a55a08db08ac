//! The log pane: a deployment's build log or a container's log, followed as it grows. It
//! owns its view (the ring of lines, scrolling, search and selection), what it shows, and
//! its search line, and answers the keys that only move or change the view; copying,
//! saving and leaving it are the console's.

mod draw;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use draw::draw;

use super::Handled;
use crate::settings::KeyAction;
use crate::tui::logview::LogView;

/// What the log pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    /// The application's uuid and name.
    pub app: String,
    pub name: String,
    /// A deployment's build log, or the running container's log.
    pub deployment: Option<String>,
    /// An operation's log: it stays until the selection moves.
    pub pinned: bool,
}

#[derive(Debug)]
pub struct LogPane {
    pub view: LogView,
    pub source: Option<LogSource>,
    /// The last container-log timestamp shown, to print only newer lines.
    pub runtime_seen: Option<String>,
    /// The pane fills the body.
    pub fullscreen: bool,
    /// The search line has the keyboard.
    pub searching: bool,
    pub search: String,
}

impl LogPane {
    pub fn new(view: LogView) -> Self {
        Self {
            view,
            source: None,
            runtime_seen: None,
            fullscreen: false,
            searching: false,
            search: String::new(),
        }
    }

    /// Keys while the pane has the keyboard: the search line takes every key while open;
    /// Esc clears the search, then the selection; the moving keys scroll; the toggles
    /// toggle. Anything else (Esc with nothing to clear included) is left to the console.
    pub fn on_key(&mut self, key: KeyEvent, action: Option<KeyAction>) -> Handled {
        if self.searching {
            self.on_search_key(key);
            return Handled::Consumed(Vec::new());
        }
        let view = &mut self.view;
        if key.code == KeyCode::Esc {
            if view.search_query().is_some() {
                view.set_search("");
                self.search.clear();
            } else if view.is_selecting() {
                view.clear_selection();
            } else {
                return Handled::Ignored;
            }
            return Handled::Consumed(Vec::new());
        }
        let Some(action) = action else {
            return Handled::Ignored;
        };
        match action {
            KeyAction::Filter => {
                self.searching = true;
                self.search.clear();
            }
            KeyAction::Up => view.scroll_up(1),
            KeyAction::Down => view.scroll_down(1),
            KeyAction::PageUp => view.page_up(),
            KeyAction::PageDown => view.page_down(),
            KeyAction::Top => view.home(),
            KeyAction::Bottom | KeyAction::Follow => view.follow(),
            KeyAction::Collapse => view.scroll_left(8),
            KeyAction::Expand => view.scroll_right(8),
            KeyAction::Wrap => view.toggle_wrap(),
            KeyAction::Timestamps => view.toggle_timestamps(),
            KeyAction::Hidden => view.toggle_hidden(),
            KeyAction::NextMatch => view.next_match(),
            KeyAction::PrevMatch => view.prev_match(),
            KeyAction::Mark => view.toggle_selection(),
            _ => return Handled::Ignored,
        }
        Handled::Consumed(Vec::new())
    }

    fn on_search_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Esc => {
                self.searching = false;
                self.search.clear();
                self.view.set_search("");
            }
            KeyCode::Enter => self.searching = false,
            KeyCode::Backspace => {
                self.search.pop();
                self.view.set_search(&self.search);
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.search.push(c);
                self.view.set_search(&self.search);
            }
            _ => {}
        }
    }

    /// What the title says after the view's own: the search line being typed, or that
    /// nothing is selected.
    pub fn title_extra(&self) -> Option<String> {
        match (&self.source, self.searching) {
            (_, true) => Some(format!("/{}▏", self.search)),
            (None, _) => Some("select an application".to_string()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::tui::logview::{Line, Viewport};

    fn pane(lines: usize) -> LogPane {
        let mut view = LogView::new("Log", 100);
        view.set_viewport(Viewport::new(40, 5));
        view.extend((0..lines).map(|i| {
            Line::note(
                crate::tui::logview::NoteLevel::Info,
                format!("line {i}"),
                None,
            )
        }));
        LogPane::new(view)
    }

    fn press(pane: &mut LogPane, code: KeyCode, action: Option<KeyAction>) -> Handled {
        pane.on_key(KeyEvent::new(code, KeyModifiers::NONE), action)
    }

    #[test]
    fn the_search_line_takes_every_key_until_enter_or_esc() {
        let mut pane = pane(20);
        press(&mut pane, KeyCode::Char('/'), Some(KeyAction::Filter));
        assert!(pane.searching);
        for c in "line 1".chars() {
            // Letters bound to other keys are typed, not obeyed.
            assert_eq!(
                press(&mut pane, KeyCode::Char(c), Some(KeyAction::Quit)),
                Handled::Consumed(Vec::new())
            );
        }
        assert_eq!(pane.search, "line 1");
        assert_eq!(pane.view.search_query(), Some("line 1"));
        assert!(pane.title_extra().is_some_and(|t| t.contains("/line 1")));
        press(&mut pane, KeyCode::Enter, None);
        assert!(!pane.searching);
        assert!(pane.view.match_count() > 1, "line 1, line 10…");
        // Esc first clears the search, then is the console's.
        assert_eq!(
            press(&mut pane, KeyCode::Esc, None),
            Handled::Consumed(Vec::new())
        );
        assert_eq!(pane.view.search_query(), None);
        assert_eq!(press(&mut pane, KeyCode::Esc, None), Handled::Ignored);
    }

    #[test]
    fn moving_keys_scroll_and_the_end_follows_again() {
        let mut pane = pane(50);
        assert!(pane.view.is_following());
        press(&mut pane, KeyCode::Char('k'), Some(KeyAction::Up));
        assert!(!pane.view.is_following(), "scrolling up pauses");
        press(&mut pane, KeyCode::Char('G'), Some(KeyAction::Bottom));
        assert!(pane.view.is_following());
        let wrapped = pane.view.wrap();
        press(&mut pane, KeyCode::Char('w'), Some(KeyAction::Wrap));
        assert_ne!(pane.view.wrap(), wrapped, "w toggles wrapping");
    }

    #[test]
    fn copying_saving_and_other_keys_are_left_to_the_console() {
        let mut pane = pane(3);
        for action in [KeyAction::Copy, KeyAction::Save, KeyAction::Deploy] {
            assert_eq!(
                press(&mut pane, KeyCode::Char('x'), Some(action)),
                Handled::Ignored
            );
        }
        assert_eq!(press(&mut pane, KeyCode::Char('x'), None), Handled::Ignored);
        assert_eq!(
            pane.title_extra().as_deref(),
            Some("select an application"),
            "nothing followed yet"
        );
    }
}
