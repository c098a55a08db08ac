//! The history pane: the selected application's recent deployments, below the details.
//! It owns its selection; Enter opens the selected deployment's log (the console's
//! business, as it changes the log pane).

mod draw;

pub use draw::draw;

#[derive(Debug, Default)]
pub struct HistoryPane {
    pub selected: usize,
}

impl HistoryPane {
    /// Move the selection by `delta` rows in a list of `len` deployments.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        self.selected = super::step(self.selected, delta, len);
    }
}
