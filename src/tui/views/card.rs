//! The action cards: an operation's preview with the confirmation the policy asks for, its
//! result, the rollback picker and notices.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::model::words::plural;
use crate::model::{short_sha, time};
use crate::ops::{Outcome, Plan};
use crate::tui::overlay::Card;
use crate::tui::paint::{centered, printable_lines};
use crate::tui::panes::confirm::Confirm;
use crate::tui::state::State;

pub fn draw(state: &State, card: &Card, frame: &mut Frame, area: Rect) {
    let (title, lines) = match card {
        Card::Planning { title } => (
            "Planning",
            vec![Line::styled(
                format!("{} {title}…", state.paint().spinner()),
                state.theme.deploying(),
            )],
        ),
        Card::Preview { plan, confirm } => ("Confirm", preview(state, plan, confirm)),
        Card::Result(outcome) => ("Result", result(state, outcome)),
        Card::Picker {
            scope,
            current,
            images,
            selected,
        } => {
            let mut lines = vec![Line::styled(
                format!("Roll back {} to:", scope.resource.as_deref().unwrap_or("?")),
                state.theme.accent(),
            )];
            for (i, image) in images.iter().enumerate() {
                let mark = if Some(image) == current.as_ref() {
                    "  (running now)"
                } else {
                    ""
                };
                let line = Line::from(vec![
                    Span::styled(format!("  {}", short_sha(image)), state.theme.text()),
                    Span::styled(mark, state.theme.dim()),
                ]);
                lines.push(if i == *selected {
                    line.style(state.theme.selection())
                } else {
                    line
                });
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "j/k choose · enter preview · esc close",
                state.theme.dim(),
            ));
            ("Rollback", lines)
        }
        Card::Batch(batch) => ("Confirm", batch.lines(&state.theme)),
        Card::Env(card) => ("Environment", card.lines(&state.theme, state.now)),
        Card::Notice { title, text, error } => {
            let style = if *error {
                state.theme.error()
            } else {
                state.theme.text()
            };
            let lines = vec![
                Line::styled(title.clone(), state.theme.accent()),
                Line::styled(text.clone(), style),
                Line::raw(""),
                Line::styled("any key closes", state.theme.dim()),
            ];
            ("Notice", lines)
        }
    };
    let lines = printable_lines(lines);
    let width = 90.min(area.width.saturating_sub(4));
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let target = centered(area, width, height + wrap_slack(&lines, width));
    let block = state.paint().popup(frame, target, title);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        target,
    );
}

/// Extra rows for lines that wrap inside the card.
fn wrap_slack(lines: &[Line], width: u16) -> u16 {
    let inner = usize::from(width.saturating_sub(2)).max(1);
    lines
        .iter()
        .map(|l| (l.width().saturating_sub(1) / inner) as u16)
        .sum()
}

fn preview<'a>(state: &State, plan: &'a Plan, confirm: &Confirm) -> Vec<Line<'a>> {
    let theme = &state.theme;
    let p = &plan.preview;
    let mut lines = vec![Line::styled(p.title.clone(), theme.accent().bold())];
    for action in &p.actions {
        lines.push(Line::styled(format!("  · {action}"), theme.text()));
    }
    if !p.commits.is_empty() {
        lines.push(Line::styled("Commits that move:", theme.dim()));
        for c in &p.commits {
            lines.push(Line::styled(format!("  {c}"), theme.text()));
        }
    }
    for note in &p.notes {
        lines.push(Line::styled(format!("note: {note}"), theme.warning()));
    }
    let label = |l: &'static str| Span::styled(format!("{l:<9}"), theme.dim());
    lines.push(Line::from(vec![
        label("Undo"),
        Span::styled(p.undo.clone(), theme.text()),
    ]));
    lines.push(Line::from(vec![
        label("CLI"),
        Span::styled(p.cli.clone(), theme.text()),
    ]));
    lines.push(Line::from(vec![
        label("Risk"),
        Span::styled(
            format!("{:?}", plan.kind.risk()).to_lowercase(),
            theme.text(),
        ),
        Span::styled(format!("  in {}", plan.environment), theme.dim()),
    ]));
    lines.push(Line::raw(""));
    lines.push(confirm.line(theme, "run it"));
    lines
}

fn result<'a>(state: &State, outcome: &'a Outcome) -> Vec<Line<'a>> {
    let theme = &state.theme;
    let headline = if outcome.ok {
        theme.ok()
    } else {
        theme.error()
    };
    let mut lines = vec![Line::styled(
        format!("{}: {}", outcome.kind, outcome.summary),
        headline.bold(),
    )];
    let mut offers_rollback = None;
    for app in &outcome.apps {
        let status = app
            .deployment
            .as_ref()
            .map(|d| d.status.to_string())
            .unwrap_or_else(|| app.note.clone().unwrap_or_default());
        let took = app
            .duration_secs
            .map(|s| {
                format!(
                    " after {}",
                    time::compact(jiff::SignedDuration::from_secs(s))
                )
            })
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", app.target.name), theme.text().bold()),
            Span::styled(
                format!("{status}{took}"),
                if app.ok { theme.ok() } else { theme.error() },
            ),
        ]));
        if app.before.is_some() || app.after.is_some() {
            let commit =
                |c: &Option<String>| c.as_deref().map(short_sha).unwrap_or("?").to_string();
            lines.push(Line::styled(
                format!("  commit {} → {}", commit(&app.before), commit(&app.after)),
                theme.text(),
            ));
        }
        if let Some(h) = &app.health {
            let style = if h.ok { theme.ok() } else { theme.error() };
            lines.push(Line::styled(
                format!(
                    "  health {} {} ({}, {})",
                    h.url,
                    if h.ok { "ok" } else { "failing" },
                    h.detail,
                    plural(h.attempts as usize, "try")
                ),
                style,
            ));
        }
        if app.deployment.is_some()
            && let Some(note) = &app.note
        {
            lines.push(Line::styled(format!("  {note}"), theme.dim()));
        }
        if let Some(step) = &app.failure.step {
            lines.push(Line::styled(format!("  failing step: {step}"), theme.dim()));
        }
        if !app.failure.tail.is_empty() {
            lines.push(Line::styled("  last lines:", theme.dim()));
            for l in app.failure.tail.iter().rev().take(8).rev() {
                lines.push(Line::styled(format!("    {l}"), theme.error()));
            }
        }
        if offers_rollback.is_none() {
            offers_rollback = app.rollback_to.clone();
        }
    }
    if let Some(audit) = &outcome.audit_error {
        lines.push(Line::styled(
            format!("not recorded in the audit journal: {audit}"),
            theme.warning(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(match offers_rollback {
        Some(tag) => Line::from(vec![
            Span::styled("b", theme.accent()),
            Span::styled(format!(" roll back to {}  ", short_sha(&tag)), theme.text()),
            Span::styled("esc", theme.accent()),
            Span::styled(" close", theme.dim()),
        ]),
        None => Line::styled("any key closes", theme.dim()),
    });
    lines
}
