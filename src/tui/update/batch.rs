//! Several applications at once: Space marks applications in the tree; a deploy, restart or
//! stop key then plans the operation for each and shows one card listing them all, which
//! starts them together (each as its own operation) on one confirmation.

use crossterm::event::KeyEvent;

use crate::model::{Address, RunState};
use crate::ops::{Confirmation, Kind, Plan, Request, Verdict};
use crate::tui::msg::{Effect, Unplanned};
use crate::tui::overlay::{Card, Overlay};
use crate::tui::panes::batch::Batch;
use crate::tui::panes::confirm::Answer;
use crate::tui::state::State;

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
    if !state.tree.marked.remove(&app) {
        state.tree.marked.insert(app);
    }
    let text = match state.tree.marked.len() {
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
        .filter(|(_, _, a)| state.tree.marked.contains(&a.uuid))
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
        state.tree.marked.clear();
        state.tell("the marked applications are gone", true);
        return Vec::new();
    }
    state
        .overlays
        .open(Overlay::Card(Card::Batch(Batch::new(kind, requests.len()))));
    requests.into_iter().map(Effect::Plan).collect()
}

/// A plan of the batch arrived (or could not be made). False when no batch is open.
pub fn on_planned(state: &mut State, result: &Result<Box<Plan>, Unplanned>) -> bool {
    let Some(Overlay::Card(Card::Batch(batch))) = state.overlays.top_mut() else {
        return false;
    };
    batch.add(match result {
        Ok(plan) => Ok(plan.as_ref().clone()),
        Err(Unplanned { text, .. }) => Err(text.clone()),
    });
    true
}

/// Keys on the batch card: the plans to start, with the confirmation each was given, once
/// the card is confirmed.
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<(Box<Plan>, Confirmation)> {
    let Some(Overlay::Card(Card::Batch(batch))) = state.overlays.top_mut() else {
        return Vec::new();
    };
    match batch.key(key) {
        // Each plan gets the confirmation it asks for (production's name for its own).
        Answer::Confirmed(_) => run(state, |plan| match &plan.verdict {
            Verdict::ConfirmTyped { expected } => Confirmation::Typed(expected.clone()),
            _ => Confirmation::Yes,
        }),
        Answer::Declined => {
            state.overlays.close();
            Vec::new()
        }
        Answer::Mistyped(expected) => {
            state.tell(format!("type {expected} exactly to run them"), true);
            Vec::new()
        }
        Answer::Pending => Vec::new(),
    }
}

/// Every plan the policy allows, to start each as its own operation; the marks are done.
fn run(
    state: &mut State,
    confirm: impl Fn(&Plan) -> Confirmation,
) -> Vec<(Box<Plan>, Confirmation)> {
    let Some(Overlay::Card(Card::Batch(batch))) = state.overlays.take_top() else {
        return Vec::new();
    };
    state.tree.marked.clear();
    batch
        .runnable()
        .map(|plan| (Box::new(plan.clone()), confirm(plan)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixture;
    use crate::tui::msg::Msg;
    use crate::tui::snapshot::render;
    use crate::tui::update::update;
    use crossterm::event::{KeyCode, KeyModifiers};

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
        assert_eq!(state.tree.marked.len(), 2);
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
        assert!(state.tree.marked.is_empty());
        assert_eq!(state.overlays.top(), None);
    }

    #[test]
    fn marks_do_not_follow_a_switch_to_another_context() {
        let mut state = marked();
        let mut info = state.context.clone();
        info.name = "lab".into();
        update(&mut state, Msg::ContextOpened(Ok(info)));
        assert!(state.tree.marked.is_empty());
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
        assert!(state.tree.marked.is_empty());
        let effects = press(&mut state, KeyCode::Char('d'));
        assert!(
            matches!(&effects[..], [Effect::Plan(r)] if r.scope.as_ref().unwrap().to_string() == "AIR/prod/air-prod")
        );
    }
}
