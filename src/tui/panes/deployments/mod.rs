//! The deployments view: every queued, running and recent deployment of every project, as
//! one table, newest first with the running ones on top. It owns its rows (the board, read
//! through `ops`), its selection and its filter; it reads when it opens and on `r`, and
//! re-reads what changed when the console's refreshes see a deployment start or end.
//! `Enter` opens the selected deployment's log in the tree, `c` cancels a running one.

mod draw;
mod pane;
#[cfg(test)]
mod tests;

pub use draw::{Look, draw};
pub use pane::*;
