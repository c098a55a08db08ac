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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_stays_in_the_list() {
        let mut pane = HistoryPane::default();
        pane.move_by(2, 10);
        assert_eq!(pane.selected, 2);
        pane.move_by(100, 10);
        assert_eq!(pane.selected, 9);
        pane.move_by(-100, 10);
        assert_eq!(pane.selected, 0);
        pane.move_by(1, 0);
        assert_eq!(pane.selected, 0, "an empty list keeps the first place");
    }
}
