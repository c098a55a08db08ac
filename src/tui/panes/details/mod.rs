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
