//! Where each pane goes for a terminal size. Pure, so `update` (scrolling, mouse hits) and
//! the views agree on it.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the console says "too small" instead of drawing a garbled screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// The left pane: the tree, or the servers list.
    pub left: Rect,
    /// Upper right: details of the selection.
    pub details: Rect,
    /// Lower right: recent deployments (later, logs).
    pub lower: Rect,
    pub footer: Rect,
}

pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

pub fn areas(width: u16, height: u16) -> Areas {
    let full = Rect::new(0, 0, width, height);
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(full);
    let left_width = (width * 2 / 5).clamp(28, 48);
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Fill(1)]).areas(body);
    let details_height = (right.height / 2)
        .max(9)
        .min(right.height.saturating_sub(5));
    let [details, lower] =
        Layout::vertical([Constraint::Length(details_height), Constraint::Fill(1)]).areas(right);
    Areas {
        header,
        left,
        details,
        lower,
        footer,
    }
}

/// What a bordered log pane filling `area` shows of its lines.
pub fn viewport(area: Rect) -> crate::tui::logview::Viewport {
    crate::tui::logview::Viewport::new(area.width.saturating_sub(2), area.height.saturating_sub(2))
}

/// Rows a bordered list shows inside `area`.
pub fn inner_height(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_fill_the_screen_without_overlap() {
        for (w, h) in [(80, 24), (120, 40), (200, 60), (MIN_WIDTH, MIN_HEIGHT)] {
            let a = areas(w, h);
            assert_eq!(a.header.height + a.left.height + a.footer.height, h);
            assert_eq!(a.left.width + a.details.width, w);
            assert_eq!(a.details.height + a.lower.height, a.left.height);
            assert!(a.lower.height >= 5, "{w}x{h}");
        }
        assert!(too_small(79, 15));
        assert!(!too_small(80, 24));
    }
}
