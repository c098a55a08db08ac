//! Several applications at once: Space marks applications in the tree; a deploy, restart or
//! stop key then plans the operation for each and shows one card listing them all, which
//! starts them together (each as its own operation) on one confirmation.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Line;

use super::msg::{Effect, Unplanned};
use super::state::{Card, Overlay, State};
use super::theme::Theme;
use crate::model::{Address, RunState};
use crate::ops::{Confirmation, Kind, Plan, Request, Verdict};

/// The card of a batch: the plans as they arrive, what could not be planned, and what has
/// been typed to confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub kind: Kind,
    /// How many plans were asked for.
    pub expected: usize,
    pub plans: Vec<Plan>,
    pub failed: Vec<String>,
    pub typed: String,
}

impl Batch {
    fn complete(&self) -> bool {
        self.plans.len() + self.failed.len() >= self.expected
    }

    fn runnable(&self) -> impl Iterator<Item = &Plan> {
        self.plans
            .iter()
            .filter(|p| !matches!(p.verdict, Verdict::Deny { .. }))
    }

    /// The environment names to type when a plan asks for it (production), in order.
    fn to_type(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for plan in self.runnable() {
            if let Verdict::ConfirmTyped { expected } = &plan.verdict
                && !names.contains(expected)
            {
                names.push(expected.clone());
            }
        }
        names
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
        lines.push(if !self.complete() {
            Line::styled(format!("planning {waiting} more…"), theme.dim())
        } else if self.runnable().next().is_none() {
            Line::styled("nothing here can run · any key closes", theme.dim())
        } else if self.to_type().is_empty() {
            Line::styled(
                "y run them all, each as its own operation · n or esc cancel",
                theme.dim(),
            )
        } else {
            Line::styled(
                format!(
                    "type {} to run them all: {}▏ · esc cancel",
                    self.to_type().join(" "),
                    self.typed
                ),
                theme.warning(),
            )
        });
        lines
    }
}

/// Space: mark the selected application, or unmark it.
pub fn toggle(state: &mut State) -> Vec<Effect> {
    let Some(app) = state
        .selected_resource()
        .filter(|r| r.kind == crate::model::ResourceKind::Application)
        .map(|r| r.uuid.clone())
    else {
        state.tell("only applications can be marked", true);
        return Vec::new();
    };
    if !state.marked.remove(&app) {
        state.marked.insert(app);
    }
    let text = match state.marked.len() {
        0 => "no application marked".to_string(),
        n => format!("{n} marked: d deploys, R restarts, s stops them all · esc unmarks"),
    };
    state.tell(text, false);
    Vec::new()
}

/// An operation key with applications marked: plan it for each of them.
pub fn plan_all(state: &mut State, kind: Kind, flags: &[&'static str]) -> Vec<Effect> {
    let requests: Vec<Request> = state
        .data
        .tree
        .applications()
        .filter(|(_, _, a)| state.marked.contains(&a.uuid))
        .map(|(p, e, a)| {
            // The stop key starts what is stopped.
            let kind = match (kind, &a.status.state) {
                (Kind::Stop, RunState::Exited | RunState::Dead) => Kind::Start,
                (kind, _) => kind,
            };
            let address = Address::new(&p.name, Some(&e.name), Some(&a.name));
            flags
                .iter()
                .fold(Request::new(kind, address), |r, flag| r.flag(flag))
        })
        .collect();
    if requests.is_empty() {
        state.marked.clear();
        state.tell("the marked applications are gone", true);
        return Vec::new();
    }
    state.overlay = Some(Overlay::Card(Card::Batch(Batch {
        kind,
        expected: requests.len(),
        plans: Vec::new(),
        failed: Vec::new(),
        typed: String::new(),
    })));
    requests.into_iter().map(Effect::Plan).collect()
}

/// A plan of the batch arrived (or could not be made). False when no batch is open.
pub fn on_planned(state: &mut State, result: &Result<Box<Plan>, Unplanned>) -> bool {
    let Some(Overlay::Card(Card::Batch(batch))) = &mut state.overlay else {
        return false;
    };
    match result {
        Ok(plan) => batch.plans.push(plan.as_ref().clone()),
        Err(Unplanned { text, .. }) => batch.failed.push(text.clone()),
    }
    true
}

/// Keys on the batch card.
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::Card(Card::Batch(batch))) = &mut state.overlay else {
        return Vec::new();
    };
    let to_type = batch.to_type();
    let close = key.code == KeyCode::Esc || (to_type.is_empty() && key.code == KeyCode::Char('n'));
    if close || (batch.complete() && batch.runnable().next().is_none()) {
        state.overlay = None;
        return Vec::new();
    }
    if !batch.complete() {
        return Vec::new();
    }
    match key.code {
        KeyCode::Char('y') | KeyCode::Enter if to_type.is_empty() => {
            run(state, |_| Confirmation::Yes)
        }
        KeyCode::Enter if batch.typed.trim().eq_ignore_ascii_case(&to_type.join(" ")) => {
            run(state, |plan| match &plan.verdict {
                Verdict::ConfirmTyped { expected } => Confirmation::Typed(expected.clone()),
                _ => Confirmation::Yes,
            })
        }
        KeyCode::Enter => {
            let text = format!("type {} exactly to run them", to_type.join(" "));
            state.tell(text, true);
            Vec::new()
        }
        KeyCode::Backspace => {
            batch.typed.pop();
            Vec::new()
        }
        KeyCode::Char(c)
            if !to_type.is_empty() && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            batch.typed.push(c);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Start every plan the policy allows, each as its own operation; the marks are done.
fn run(state: &mut State, confirm: impl Fn(&Plan) -> Confirmation) -> Vec<Effect> {
    let Some(Overlay::Card(Card::Batch(batch))) = state.overlay.take() else {
        return Vec::new();
    };
    state.marked.clear();
    batch
        .runnable()
        .flat_map(|plan| {
            let confirmation = confirm(plan);
            super::actions::start(state, Box::new(plan.clone()), confirmation)
        })
        .collect::<Vec<_>>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixture;
    use crate::tui::msg::Msg;
    use crate::tui::snapshot::render;
    use crate::tui::update::update;

    fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// Mark air-dev and air-prod (air-dev is selected first).
    fn marked() -> State {
        let mut state = fixture::state((120, 40));
        press(&mut state, KeyCode::Char(' '));
        for _ in 0..4 {
            press(&mut state, KeyCode::Char('j'));
        }
        assert_eq!(state.selected_resource().unwrap().name, "air-prod");
        press(&mut state, KeyCode::Char(' '));
        assert_eq!(state.marked.len(), 2);
        state
    }

    #[test]
    fn marked_applications_are_deployed_together_on_one_typed_confirmation() {
        let mut state = marked();
        let screen = render(&state, 120, 40, false);
        assert_eq!(screen.matches('+').count(), 2, "{screen}");
        let effects = press(&mut state, KeyCode::Char('d'));
        let scopes: Vec<String> = effects
            .iter()
            .map(|e| match e {
                Effect::Plan(r) => r.scope.as_ref().unwrap().to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(scopes, ["AIR/dev/air-dev", "AIR/prod/air-prod"]);
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(Verdict::Confirm, "dev"))),
        );
        assert!(
            press(&mut state, KeyCode::Char('y')).is_empty(),
            "one plan is missing"
        );
        let typed = Verdict::ConfirmTyped {
            expected: "prod".into(),
        };
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(typed, "prod"))),
        );
        insta::assert_snapshot!(render(&state, 120, 40, false));
        assert!(
            press(&mut state, KeyCode::Char('y')).is_empty(),
            "y is a letter here"
        );
        press(&mut state, KeyCode::Backspace);
        for c in "prod".chars() {
            press(&mut state, KeyCode::Char(c));
        }
        let effects = press(&mut state, KeyCode::Enter);
        let confirmations: Vec<&Confirmation> = effects
            .iter()
            .map(|e| match e {
                Effect::Execute { confirmation, .. } => confirmation,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            confirmations,
            [&Confirmation::Yes, &Confirmation::Typed("prod".into())]
        );
        assert_eq!(state.operations.running().count(), 2);
        assert!(state.marked.is_empty());
        assert_eq!(state.overlay, None);
    }

    #[test]
    fn esc_unmarks_and_a_refused_plan_is_listed_and_skipped() {
        let mut state = marked();
        press(&mut state, KeyCode::Char('d'));
        let deny = Verdict::Deny {
            reason: "prod deploys are denied here".into(),
        };
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(Verdict::Confirm, "dev"))),
        );
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(deny, "prod"))),
        );
        let screen = render(&state, 120, 40, false);
        assert!(
            screen.contains("refused: prod deploys are denied here"),
            "{screen}"
        );
        let effects = press(&mut state, KeyCode::Char('y'));
        assert_eq!(effects.len(), 1, "only air-dev runs: {effects:?}");

        let mut state = marked();
        press(&mut state, KeyCode::Esc);
        assert!(state.marked.is_empty());
        let effects = press(&mut state, KeyCode::Char('d'));
        assert!(
            matches!(&effects[..], [Effect::Plan(r)] if r.scope.as_ref().unwrap().to_string() == "AIR/prod/air-prod")
        );
    }
}
