//! The top line: context, server, version, freshness.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::{LoadWarning, time};
use crate::settings::KeyAction;
use crate::tui::paint::printable_spans;
use crate::tui::state::State;

/// How much a part of the header matters: when the line is too narrow, the least
/// important parts go first (the stale mark and the running operations last of all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Weight {
    Token,
    Address,
    Version,
    Refreshed,
    Missing,
    Context,
    Operations,
    Stale,
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let base = theme.header();
    let mut parts: Vec<(Weight, Vec<Span>)> = Vec::new();
    let mut context = vec![Span::styled(format!("ctx {}", state.context.name), base)];
    if state.context.read_only {
        context.push(Span::styled(" [read-only]", base.patch(theme.warning())));
    }
    parts.push((Weight::Context, context));
    parts.push((
        Weight::Token,
        vec![Span::styled(
            format!("token: {}", state.context.token_short),
            base.patch(theme.dim()),
        )],
    ));
    if let Some(missing) = missing(&state.data.warnings) {
        parts.push((
            Weight::Missing,
            vec![Span::styled(missing, base.patch(theme.warning()))],
        ));
    }
    parts.push((
        Weight::Address,
        vec![Span::styled(state.context.url.clone(), base)],
    ));
    if let Some(version) = &state.data.version {
        parts.push((
            Weight::Version,
            vec![Span::styled(format!("Coolify {version}"), base)],
        ));
    }
    let weight = if state.data.error.is_some() {
        Weight::Stale
    } else {
        Weight::Refreshed
    };
    parts.push((weight, freshness(state)));
    let running: Vec<_> = state.operations.running().collect();
    let spinner = state.paint().spinner();
    let ops = match running.as_slice() {
        [] => None,
        [op] => Some(format!("{spinner} {} {}", op.title, op.progress())),
        several => {
            let key = state
                .keymap
                .first_key(KeyAction::Operations)
                .unwrap_or_else(|| ":ops".into());
            Some(format!("{spinner} {} operations ({key})", several.len()))
        }
    };
    if let Some(ops) = ops {
        parts.push((
            Weight::Operations,
            vec![Span::styled(ops, base.patch(theme.deploying()))],
        ));
    }
    let line = |parts: &[(Weight, Vec<Span<'static>>)]| {
        let mut spans = vec![Span::styled(" pftui", base.patch(theme.accent()))];
        for (_, part) in parts {
            spans.push(Span::styled(" │ ", base.patch(theme.dim())));
            spans.extend(part.iter().cloned());
        }
        printable_spans(Line::from(spans))
    };
    // Drop the least important part until the line fits.
    while line(&parts).width() > usize::from(area.width) {
        let Some(least) = parts
            .iter()
            .enumerate()
            .min_by_key(|(_, (weight, _))| *weight)
            .map(|(i, _)| i)
        else {
            break;
        };
        if parts.len() == 1 {
            break;
        }
        parts.remove(least);
    }
    frame.render_widget(Paragraph::new(line(&parts)).style(base), area);
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
    let spinner = state.paint().spinner();
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
