//! The pipeline view: every project's dev, staging and prod side by side (what each runs,
//! its branch's head, behind it or ahead of the next stage). The pane owns the board it
//! read and the selected cell; `h`/`l` move between stages, `j`/`k` between rows, `Enter`
//! selects the cell's application in the tree, `p` promotes from the cell's stage (the
//! console's promote flow: plan, preview card, confirmation) and `r` reads the board again.
//! It reads the board when the view opens and after an operation finishes.

mod draw;
mod pane;
#[cfg(test)]
mod tests;

pub use draw::{Look, draw, lanes_per_page};
pub use pane::*;
