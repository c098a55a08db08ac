//! The config view: one environment's platform configuration against the server, as
//! `pftui config diff` gives it: per application, the settings and variables an apply
//! would write (`~` changed, `+` added) with the file and line each value comes from, the
//! variables the configuration does not name (kept), the applications the server lacks
//! and what could not be compared. It owns the diff it read and its scroll; it reads when
//! it opens, on `r` and after an operation ends; `a` applies it through the confirmation
//! card every operation goes through.

mod draw;
mod pane;
#[cfg(test)]
mod tests;

pub use draw::{Look, draw, max_scroll, page_height};
pub use pane::*;
