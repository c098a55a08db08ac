//! The card of one operation on several marked applications: the plans as they arrive,
//! what could not be planned, and the confirmation they all need.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::Line;

use super::confirm::{Answer, Confirm};
use crate::ops::{Kind, Plan, Verdict};
use crate::tui::theme::Theme;

/// The card of a batch: the plans as they arrive, what could not be planned, and what has
/// been typed to confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub kind: Kind,
    /// How many plans were asked for.
    pub expected: usize,
    pub plans: Vec<Plan>,
    pub failed: Vec<String>,
    /// Asked once every plan is in.
    confirm: Option<Confirm>,
}

impl Batch {
    /// A card for `expected` plans of `kind`, none in yet.
    pub fn new(kind: Kind, expected: usize) -> Self {
        Self {
            kind,
            expected,
            plans: Vec::new(),
            failed: Vec::new(),
            confirm: None,
        }
    }

    /// A plan arrived, or what could not be planned; once all are in, the card asks for
    /// the confirmation the strictest of them needs.
    pub fn add(&mut self, result: Result<Plan, String>) {
        match result {
            Ok(plan) => self.plans.push(plan),
            Err(text) => self.failed.push(text),
        }
        if self.complete() {
            self.confirm = Some(Confirm::for_verdicts(self.runnable().map(|p| &p.verdict)));
        }
    }

    /// A key on the card: declined when nothing can run, pending while plans arrive.
    pub fn key(&mut self, key: KeyEvent) -> Answer {
        let nothing = self.runnable().next().is_none();
        match &mut self.confirm {
            Some(_) if nothing => Answer::Declined,
            Some(confirm) => confirm.key(key),
            None if key.code == KeyCode::Esc => Answer::Declined,
            None => Answer::Pending,
        }
    }

    fn complete(&self) -> bool {
        self.plans.len() + self.failed.len() >= self.expected
    }

    /// The plans the policy lets run.
    pub fn runnable(&self) -> impl Iterator<Item = &Plan> {
        self.plans
            .iter()
            .filter(|p| !matches!(p.verdict, Verdict::Deny { .. }))
    }

    pub fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let name = self.kind.name();
        let title = format!(
            "{}{} {} applications",
            name[..1].to_uppercase(),
            &name[1..],
            self.expected
        );
        let mut lines = vec![Line::styled(title, theme.accent().bold())];
        for plan in &self.plans {
            let style = match &plan.verdict {
                Verdict::Deny { .. } => theme.error(),
                _ => theme.text(),
            };
            lines.push(Line::styled(format!("  · {}", plan.preview.title), style));
            if let Verdict::Deny { reason } = &plan.verdict {
                lines.push(Line::styled(
                    format!("      refused: {reason}"),
                    theme.error(),
                ));
            }
        }
        for failure in &self.failed {
            lines.push(Line::styled(format!("  · {failure}"), theme.error()));
        }
        lines.push(Line::raw(""));
        let waiting = self.expected - self.plans.len() - self.failed.len();
        lines.push(match &self.confirm {
            None => Line::styled(format!("planning {waiting} more…"), theme.dim()),
            Some(_) if self.runnable().next().is_none() => {
                Line::styled("nothing here can run · any key closes", theme.dim())
            }
            Some(confirm) => confirm.line(theme, "run them all, each as its own operation"),
        });
        lines
    }
}
