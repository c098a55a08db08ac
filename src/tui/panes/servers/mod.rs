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
