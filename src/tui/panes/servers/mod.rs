//! The servers view: each server, what runs on it, its domains, and how its size compares
//! with the sizing guide. It owns its selection.

mod draw;

pub use draw::draw;

#[derive(Debug, Default)]
pub struct ServersPane {
    pub selected: usize,
}

impl ServersPane {
    /// Move the selection by `delta` rows in a list of `len` servers.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        self.selected = super::step(self.selected, delta, len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_stays_among_the_servers() {
        let mut pane = ServersPane::default();
        pane.move_by(1, 2);
        assert_eq!(pane.selected, 1);
        pane.move_by(1, 2);
        assert_eq!(pane.selected, 1, "no server after the last");
        pane.move_by(-5, 2);
        assert_eq!(pane.selected, 0);
    }
}
