//! The deployments view's own state, without what changes the rest of the console.

use std::collections::BTreeSet;

use crate::model::board::{Board, BoardRow};
use crate::tui::panes::cursor::{Cursor, FilterLine};

/// The deployments view's own state.
#[derive(Debug, Clone, Default)]
pub struct Deployments {
    /// The context the board was read from (another context's board is dropped).
    pub context: String,
    pub board: Board,
    /// A read is in flight.
    pub loading: bool,
    /// At least one read came back.
    pub loaded: bool,
    /// Why the last read failed.
    pub error: Option<String>,
    /// Applications to read again when the read in flight is back.
    pub dirty: BTreeSet<String>,
    /// The running deployments (application, deployment) the console's refreshes last saw.
    pub seen: BTreeSet<(String, String)>,
    /// The selection among the shown rows.
    pub cursor: Cursor,
    pub filter: FilterLine,
}

impl Deployments {
    /// The rows that pass the filter.
    pub fn shown(&self) -> Vec<&BoardRow> {
        self.board
            .rows()
            .iter()
            .filter(|r| r.matches(&self.filter.text))
            .collect()
    }

    pub fn selected_row(&self) -> Option<&BoardRow> {
        self.shown().get(self.cursor.selected).copied()
    }

    /// The times the view prints (ages and running durations), for the clock to know when
    /// the screen moved.
    pub fn clock_face(&self, now: jiff::Timestamp) -> Vec<String> {
        self.shown()
            .iter()
            .flat_map(|r| {
                let d = &r.deployment;
                let age = d.created_at.map(|t| crate::model::time::age(t, now));
                age.into_iter()
                    .chain(d.duration(now).map(crate::model::time::compact))
            })
            .collect()
    }

    /// Keep the selection on the same deployment after the rows changed.
    pub fn reselect(&mut self, uuid: Option<String>, height: usize) {
        let shown = self.shown();
        let at = uuid.and_then(|u| shown.iter().position(|r| r.deployment.uuid == u));
        let len = shown.len();
        self.cursor.keep(at, len, height);
    }
}
