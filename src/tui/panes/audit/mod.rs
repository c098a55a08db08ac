//! The audit view: the journal of operations as a table, newest first, with the selected
//! entry's every field below it. It owns the records it read (the last [`READ`] of the
//! journal), its selection, its filter and its detail pane's scroll; it reads when it opens
//! and on `r`. `/` filters by words of the operation, target, outcome or actor, `Tab` moves
//! the keys to the detail pane (`j`/`k` scroll it), `Enter` opens the entry's first
//! deployment's log in the tree.

mod draw;
mod pane;
#[cfg(test)]
mod tests;

pub use draw::{Look, draw, entry_height, max_entry_scroll, page_height};
pub use pane::*;
