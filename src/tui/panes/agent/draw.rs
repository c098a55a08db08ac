//! The agent pane: the conversation, the proposal waiting for a decision, and the prompt.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::AgentPane;
use super::{CardInput, Entry, with_caret};
use crate::ops::Verdict;
use crate::tui::paint::Paint;
use crate::tui::paint::printable_lines;

pub fn draw(pane: &AgentPane, frame: &mut Frame, area: Rect, paint: Paint) {
    let inner_width = usize::from(area.width.saturating_sub(2)).max(1);
    let card_height = if pane.waiting.is_empty() {
        0
    } else {
        let rows: usize = card_lines(pane, paint)
            .iter()
            .map(|l| l.width().max(1).div_ceil(inner_width))
            .sum();
        rows as u16 + 2
    };
    let [talk, card, input] = Layout::vertical([
        Constraint::Min(5),
        Constraint::Length(card_height.min(area.height * 2 / 3)),
        Constraint::Length(5),
    ])
    .areas(area);
    conversation(pane, paint, frame, talk);
    if !pane.waiting.is_empty() {
        let block = paint.bordered("Proposal", true);
        frame.render_widget(
            Paragraph::new(card_lines(pane, paint))
                .block(block)
                .wrap(Wrap { trim: false }),
            card,
        );
    }
    prompt(pane, paint, frame, input);
}

fn conversation(pane: &AgentPane, paint: Paint, frame: &mut Frame, area: Rect) {
    let theme = paint.theme;
    let mut lines: Vec<Line> = Vec::new();
    if pane.entries.is_empty() {
        lines.push(Line::styled(
            "Ask in plain words: \"promote air dev to staging\", \"why did baiv prod fail?\", \"status of w4m\".",
            theme.dim(),
        ));
        lines.push(Line::styled(
            "Every action comes back as a proposal; nothing runs until you approve it.",
            theme.dim(),
        ));
    }
    for entry in &pane.entries {
        match entry {
            Entry::Prompt(text) => {
                lines.push(Line::raw(""));
                for (i, l) in text.lines().enumerate() {
                    let lead = if i == 0 { "› " } else { "  " };
                    lines.push(Line::styled(format!("{lead}{l}"), theme.accent().bold()));
                }
            }
            Entry::Answer(text) => lines.extend(
                text.lines()
                    .map(|l| Line::styled(l.to_string(), theme.text())),
            ),
            Entry::Tool {
                tool,
                summary,
                error,
            } => lines.push(Line::from(vec![
                Span::styled(format!("  ⚙ {tool} "), theme.dim()),
                Span::styled(
                    summary.clone(),
                    if *error { theme.error() } else { theme.dim() },
                ),
            ])),
            Entry::Proposal { title, status, .. } => {
                let style = match status.as_str() {
                    "waiting" => theme.warning(),
                    s if s.starts_with("done") || s.starts_with("approved") => theme.ok(),
                    _ => theme.error(),
                };
                lines.push(Line::from(vec![
                    Span::styled("  ▶ ", theme.accent()),
                    Span::styled(title.clone(), theme.text()),
                    Span::styled(format!("  {status}"), style),
                ]));
            }
            Entry::Notice(text) => lines.push(Line::styled(format!("  {text}"), theme.warning())),
            Entry::Error(text) => lines.push(Line::styled(format!("  ✗ {text}"), theme.error())),
        }
    }
    if pane.busy {
        lines.push(Line::styled(
            format!("{} thinking… (esc cancels)", paint.spinner()),
            theme.deploying(),
        ));
    }
    let lines = printable_lines(lines);
    let title = match &pane.answered_by {
        Some(by) => format!("Agent · {by}"),
        None => "Agent".to_string(),
    };
    let block = paint.bordered(&title, false);
    let inner_width = usize::from(area.width.saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_width))
        .sum();
    let height = usize::from(area.height.saturating_sub(2));
    let scroll = rows.saturating_sub(height) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// The first waiting proposal: tool, arguments, targets, risk, verdict, and its keys.
fn card_lines(pane: &AgentPane, paint: Paint) -> Vec<Line<'static>> {
    let theme = paint.theme;
    let Some(p) = pane.waiting.first() else {
        return Vec::new();
    };
    let preview = &p.plan.preview;
    let mut lines = vec![Line::styled(preview.title.clone(), theme.accent().bold())];
    lines.push(Line::from(vec![
        Span::styled("tool      ", theme.dim()),
        Span::styled(format!("{} {}", p.tool, p.arguments), theme.text()),
    ]));
    for action in &preview.actions {
        lines.push(Line::styled(format!("  · {action}"), theme.text()));
    }
    for c in preview.commits.iter().take(6) {
        lines.push(Line::styled(format!("    {c}"), theme.dim()));
    }
    for note in &preview.notes {
        lines.push(Line::styled(format!("note: {note}"), theme.warning()));
    }
    lines.push(Line::from(vec![
        Span::styled("risk      ", theme.dim()),
        Span::styled(
            format!("{:?} in {}", p.risk, p.plan.environment).to_lowercase(),
            theme.text(),
        ),
        Span::styled(format!("   {}", p.plan.verdict), theme.dim()),
    ]));
    lines.push(Line::from(vec![
        Span::styled("same as   ", theme.dim()),
        Span::styled(preview.cli.clone(), theme.text()),
    ]));
    if pane.waiting.len() > 1 {
        lines.push(Line::styled(
            format!("{} more proposals wait", pane.waiting.len() - 1),
            theme.dim(),
        ));
    }
    lines.push(match (&pane.card, p.verdict()) {
        (CardInput::Typed(confirm), _) => confirm.line(theme, "run it"),
        (CardInput::Reason(area), _) => Line::from(vec![
            Span::styled("why not: ", theme.warning()),
            Span::styled(with_caret(area), theme.text()),
        ]),
        (CardInput::Edit(area), _) => Line::from(vec![
            Span::styled("arguments: ", theme.warning()),
            Span::styled(with_caret(area), theme.text()),
            Span::styled("  enter re-plans · esc cancels", theme.dim()),
        ]),
        (_, Verdict::Deny { reason }) => {
            Line::styled(format!("refused: {reason} · n reject"), theme.error())
        }
        (_, Verdict::ConfirmTyped { .. }) => {
            Line::styled("y type the name to run · n reject · e edit", theme.dim())
        }
        _ if p.session_approvable() => Line::styled(
            "y run · n reject · a run and allow for this session · e edit",
            theme.dim(),
        ),
        _ => Line::styled("y run · n reject · e edit", theme.dim()),
    });
    printable_lines(lines)
}

fn prompt(pane: &AgentPane, paint: Paint, frame: &mut Frame, area: Rect) {
    let focused = pane.waiting.is_empty() && pane.focused;
    let block = paint.bordered(
        "Ask · enter send · alt-enter newline · ↑ history · tab tree · esc close",
        focused,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&pane.input, inner);
}
