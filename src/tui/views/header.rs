//! The top line: context, server, version, freshness.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{SPINNER, printable_spans};
use crate::model::{LoadWarning, time};
use crate::tui::state::State;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let base = theme.header();
    let sep = || Span::styled(" │ ", base.patch(theme.dim()));
    let mut spans = vec![
        Span::styled(" pftui", base.patch(theme.accent())),
        sep(),
        Span::styled(format!("ctx {}", state.context.name), base),
        Span::styled(
            format!(" (token: {})", state.context.token_short),
            base.patch(theme.dim()),
        ),
    ];
    if state.context.read_only {
        spans.push(Span::styled(" [read-only]", base.patch(theme.warning())));
    }
    // Before the address, which a narrow terminal cuts first.
    if let Some(missing) = missing(&state.data.warnings) {
        spans.push(sep());
        spans.push(Span::styled(missing, base.patch(theme.warning())));
    }
    spans.push(sep());
    spans.push(Span::styled(state.context.url.clone(), base));
    if let Some(version) = &state.data.version {
        spans.push(sep());
        spans.push(Span::styled(format!("Coolify {version}"), base));
    }
    spans.push(sep());
    spans.extend(freshness(state));
    if let Some(op) = &state.op {
        let status = op
            .status
            .iter()
            .map(|(t, s)| format!("{t} {s}"))
            .collect::<Vec<_>>()
            .join(", ");
        spans.push(sep());
        spans.push(Span::styled(
            format!(
                "{} {} {status}",
                SPINNER[state.spinner % SPINNER.len()],
                op.title
            ),
            base.patch(theme.deploying()),
        ));
    }
    frame.render_widget(
        Paragraph::new(printable_spans(Line::from(spans))).style(base),
        area,
    );
}

/// The parts the last load could not read, by name (the context's details give each
/// request and reason).
fn missing(warnings: &[LoadWarning]) -> Option<String> {
    (!warnings.is_empty()).then(|| {
        let mut parts: Vec<String> = Vec::new();
        for part in warnings.iter().map(|w| w.part.to_string()) {
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        format!("⚠ not read: {}", parts.join(", "))
    })
}

/// "refreshed 3s ago", "loading…", or the stale warning with the error.
fn freshness(state: &State) -> Vec<Span<'static>> {
    let theme = &state.theme;
    let base = theme.header();
    let spinner = SPINNER[state.spinner % SPINNER.len()];
    if let Some(err) = &state.data.error {
        let age = state
            .data
            .loaded_at
            .map(|t| format!("data from {}", time::age(t, state.now)))
            .unwrap_or_else(|| "no data yet".into());
        return vec![Span::styled(
            format!(
                "⚠ stale: {age}, refresh failing for {}",
                time::compact(state.now.duration_since(err.since)),
            ),
            base.patch(theme.error()),
        )];
    }
    match (state.data.loaded_at, state.data.loading) {
        (None, _) => vec![Span::styled(
            format!("{spinner} loading…"),
            base.patch(theme.deploying()),
        )],
        (Some(at), loading) => {
            let every = state
                .stretched_interval()
                .map(|i| format!(" · every {}s", i.as_secs()))
                .unwrap_or_default();
            let mut spans = vec![Span::styled(
                format!("refreshed {}{every}", time::age(at, state.now)),
                base.patch(theme.dim()),
            )];
            if loading {
                spans.push(Span::styled(
                    format!(" {spinner}"),
                    base.patch(theme.deploying()),
                ));
            }
            spans
        }
    }
}
