//! The drawing vocabulary every pane shares: borders, popups, status glyphs, the spinner,
//! and text made printable and fitted to a width. It reads only the theme and the
//! animation frame, so a pane draws from its own state and this, never from the whole
//! console's.
//!
//! Most of what is drawn comes from a server, a repository or a model: each pane makes its
//! lines printable ([`printable_spans`]) before it lays them out, so an escape sequence in a
//! commit message is shown as text, never obeyed by the terminal.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear};

use super::theme::Theme;
use crate::model::{DeploymentStatus, Health, ResourceStatus, RunState, printable_line};

/// Spinner frames for anything in motion.
const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// What a pane needs to draw besides its own state: the theme and the animation frame.
#[derive(Clone, Copy)]
pub struct Paint<'a> {
    pub theme: &'a Theme,
    /// Ticks so far: the spinner's frame.
    pub frame: usize,
    /// The console's clock, for ages and durations.
    pub now: jiff::Timestamp,
}

impl<'a> Paint<'a> {
    /// The spinner's current frame.
    pub fn spinner(&self) -> &'static str {
        SPINNER[self.frame % SPINNER.len()]
    }

    /// A bordered block: thick and accented when focused.
    pub fn bordered<'t>(&self, title: &'t str, focused: bool) -> Block<'t> {
        let theme = self.theme;
        Block::default()
            .borders(Borders::ALL)
            .border_type(if focused {
                BorderType::Thick
            } else {
                BorderType::Rounded
            })
            .border_style(theme.border(focused))
            .title(Span::styled(
                format!(" {title} "),
                if focused { theme.accent() } else { theme.dim() },
            ))
    }

    /// Clear an area and give back a bordered popup block for it.
    pub fn popup<'t>(&self, frame: &mut Frame, area: Rect, title: &'t str) -> Block<'t> {
        frame.render_widget(Clear, area);
        Block::default()
            .style(self.theme.base())
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .border_style(self.theme.border(true))
            .title(Span::styled(format!(" {title} "), self.theme.accent()))
    }

    /// The glyph and style for a resource's status.
    pub fn status_glyph(&self, status: &ResourceStatus, deploying: bool) -> Span<'static> {
        let theme = self.theme;
        if deploying {
            return Span::styled(self.spinner(), theme.deploying());
        }
        let (glyph, style): (&str, Style) = match (&status.state, status.health) {
            (RunState::Running, Health::Unhealthy) => ("●", theme.warning()),
            (RunState::Running, _) => ("●", theme.ok()),
            (RunState::Degraded, _) => ("◐", theme.warning()),
            (RunState::Starting | RunState::Restarting, _) => ("◌", theme.deploying()),
            (RunState::Paused, _) => ("‖", theme.warning()),
            (RunState::Exited | RunState::Dead | RunState::Removing, _) => ("○", theme.error()),
            (RunState::Unknown(_), _) => ("?", theme.unknown()),
        };
        Span::styled(glyph, style)
    }

    /// The style for a resource's status text.
    pub fn status_style(&self, status: &ResourceStatus) -> Style {
        let theme = self.theme;
        match (&status.state, status.health) {
            (RunState::Running, Health::Unhealthy) | (RunState::Degraded | RunState::Paused, _) => {
                theme.warning()
            }
            (RunState::Running, _) => theme.ok(),
            (RunState::Starting | RunState::Restarting, _) => theme.deploying(),
            (RunState::Exited | RunState::Dead | RunState::Removing, _) => theme.error(),
            (RunState::Unknown(_), _) => theme.unknown(),
        }
    }

    /// The glyph and style of a deployment's status.
    pub fn deployment_glyph(&self, status: &DeploymentStatus) -> Span<'static> {
        let theme = self.theme;
        match status {
            DeploymentStatus::Queued => Span::styled("◷", theme.deploying()),
            DeploymentStatus::InProgress => Span::styled(self.spinner(), theme.deploying()),
            DeploymentStatus::Finished => Span::styled("✓", theme.ok()),
            DeploymentStatus::Failed => Span::styled("✗", theme.error()),
            DeploymentStatus::Cancelled => Span::styled("⊘", theme.dim()),
            DeploymentStatus::Unknown(_) => Span::styled("?", theme.unknown()),
        }
    }
}

/// A line made printable span by span ([`printable_line`]: escape sequences, control and
/// bidirectional formatting characters out). Clean spans are kept as they are.
pub fn printable_spans(mut line: Line<'_>) -> Line<'_> {
    for span in &mut line.spans {
        if let Cow::Owned(clean) = printable_line(&span.content) {
            span.content = Cow::Owned(clean);
        }
    }
    line
}

/// Lines made printable ([`printable_spans`]).
pub fn printable_lines(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    lines.into_iter().map(printable_spans).collect()
}

/// `text` cut to `width` columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> Cow<'_, str> {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// A centered box of at most `width` x `height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
