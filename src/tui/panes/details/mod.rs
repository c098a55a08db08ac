//! The details pane: everything known about the tree's selection. It owns how far it is
//! scrolled; the moving keys scroll it when it has the focus.

mod draw;

pub use draw::{Subject, draw, length};

#[derive(Debug, Default)]
pub struct DetailsPane {
    /// How far the pane is scrolled (rows).
    pub scroll: u16,
}

impl DetailsPane {
    /// Scroll by `by` rows, within `0..=most`.
    pub fn scroll_by(&mut self, by: isize, most: u16) {
        let at = super::step(usize::from(self.scroll), by, usize::from(most) + 1);
        self.scroll = u16::try_from(at).unwrap_or(most);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_stays_between_the_top_and_the_last_line() {
        let mut pane = DetailsPane::default();
        pane.scroll_by(3, 5);
        assert_eq!(pane.scroll, 3);
        pane.scroll_by(isize::MAX / 2, 5);
        assert_eq!(pane.scroll, 5);
        pane.scroll_by(-2, 5);
        assert_eq!(pane.scroll, 3);
        pane.scroll_by(isize::MIN / 2, 5);
        assert_eq!(pane.scroll, 0);
        pane.scroll_by(1, 0);
        assert_eq!(pane.scroll, 0, "nothing to scroll when it all fits");
    }
}
