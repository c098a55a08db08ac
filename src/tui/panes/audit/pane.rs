//! The audit view's own state, without what changes the rest of the console.

use crate::audit::Record;
use crate::tui::panes::cursor::{Cursor, FilterLine};

/// How many of the journal's last records the view reads.
pub const READ: usize = 1000;

/// The audit view's own state.
#[derive(Debug, Clone, Default)]
pub struct AuditPane {
    /// Newest first.
    pub records: Vec<Record>,
    /// Lines of the journal that could not be read.
    pub broken: usize,
    /// A read is in flight.
    pub loading: bool,
    /// At least one read came back.
    pub loaded: bool,
    /// Why the last read failed.
    pub error: Option<String>,
    /// The selection among the shown records.
    pub cursor: Cursor,
    pub filter: FilterLine,
    /// The detail pane has the keyboard, scrolled by `entry_scroll` rows.
    pub entry: bool,
    pub entry_scroll: u16,
}

/// What keeps the selection on the same entry across reads.
pub type Key = (jiff::Timestamp, Option<String>, String);

pub fn key_of(r: &Record) -> Key {
    (r.time, r.id.clone(), r.target.clone())
}

impl AuditPane {
    /// The records that pass the filter, newest first.
    pub fn shown(&self) -> Vec<&Record> {
        let words: Vec<String> = self
            .filter
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.records
            .iter()
            .filter(|r| {
                let text = format!(
                    "{} {} {} {} {}",
                    r.operation,
                    r.target,
                    r.outcome,
                    r.actor.user,
                    r.actor.channel.as_str()
                )
                .to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect()
    }

    pub fn selected_record(&self) -> Option<&Record> {
        self.shown().get(self.cursor.selected).copied()
    }

    /// The detail pane has the keyboard.
    pub fn entry_focused(&self) -> bool {
        self.entry
    }

    /// Keep the selection on the same entry after the rows changed.
    pub fn reselect(&mut self, key: Option<Key>, height: usize) {
        let shown = self.shown();
        let at = key.and_then(|k| shown.iter().position(|r| key_of(r) == k));
        let len = shown.len();
        self.cursor.keep(at, len, height);
    }
}
