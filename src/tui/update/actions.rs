//! The action pipeline in the console: keys that ask for operations, the cards that show
//! their previews and results, and the news of the running operation. Part of `update`.

use crossterm::event::{KeyCode, KeyEvent};

use crate::model::{Address, ResourceKind, RunState};
use crate::ops::catalogue::TO;
use crate::ops::{Confirmation, Kind, Outcome, Plan, Request, RollbackChoice};
use crate::settings::KeyAction;
use crate::tui::msg::{Effect, Unplanned};
use crate::tui::outline::NodeId;
use crate::tui::overlay::{Card, Overlay};
use crate::tui::panes::Handled;
use crate::tui::panes::confirm::{Answer, Confirm};
use crate::tui::panes::env::EnvCard;
use crate::tui::state::State;

/// What the selection names: a resource, or an environment.
pub(super) fn selection_address(state: &State) -> Option<Address> {
    match &state.selected_row()?.id {
        NodeId::Resource(uuid) => {
            let (p, e, r) = state.data.tree.resource(uuid)?;
            Some(Address::new(&p.name, Some(&e.name), Some(&r.name)))
        }
        NodeId::Environment(project, env) => {
            let p = state
                .data
                .tree
                .projects
                .iter()
                .find(|p| &p.uuid == project)?;
            Some(Address::new(&p.name, Some(env), None))
        }
        // Without an environment there is no address to act on.
        NodeId::Project(_) | NodeId::Context | NodeId::Unplaced | NodeId::UnplacedResource(_) => {
            None
        }
    }
}

/// An operation key: the catalogue's operation for it, on the selection, or why not.
pub fn on_action(state: &mut State, action: KeyAction) -> Vec<Effect> {
    let Some((kind, binding)) = Kind::by_key(action) else {
        let text = format!("no operation is bound to {action:?}");
        state.tell(text, true);
        return Vec::new();
    };
    if !state.tree.marked.is_empty()
        && matches!(
            kind,
            Kind::Deploy | Kind::Restart | Kind::Stop | Kind::Start
        )
    {
        return super::batch::plan_all(state, kind, binding.flags);
    }
    let kind = match kind {
        // The stop key starts what is stopped, and wants a resource to look at.
        Kind::Stop => match state.selected_resource() {
            Some(r)
                if matches!(
                    r.status.state,
                    RunState::Exited | RunState::Dead | RunState::Unknown(_)
                ) =>
            {
                Kind::Start
            }
            Some(_) => Kind::Stop,
            None => {
                state.tell("select the resource to stop or start", true);
                return Vec::new();
            }
        },
        other => other,
    };
    operate(state, kind, binding.flags)
}

/// `:deploy` acts on the selection like its key; `:promote air dev staging` on what its
/// words name, as on the command line.
pub fn on_command(state: &mut State, kind: Kind, words: &[String]) -> Vec<Effect> {
    if words.is_empty() {
        return operate(state, kind, &[]);
    }
    match Request::from_words(kind, words) {
        Ok(request) => plan(state, request),
        Err(e) => {
            state.tell(format!(":{kind}: {e}"), true);
            Vec::new()
        }
    }
}

/// An operation on the selection, with what the console fills in for it.
fn operate(state: &mut State, kind: Kind, flags: &[&'static str]) -> Vec<Effect> {
    // Said before planning when the selection is what a running operation acts on (the
    // plan's targets are checked again when it starts).
    if kind != Kind::Cancel
        && let Some(busy) = state
            .selected_resource()
            .and_then(|r| state.operations.running_on(&r.uuid))
    {
        let text = format!(
            "{} is running on it: wait for it or cancel it (c)",
            busy.title
        );
        state.tell(text, true);
        return Vec::new();
    }
    let Some(address) = selection_address(state) else {
        state.tell("select an environment or a resource first", true);
        return Vec::new();
    };
    let request = flags
        .iter()
        .fold(Request::new(kind, address.clone()), |r, flag| r.flag(flag));
    let request = match kind {
        Kind::Deploy
        | Kind::Restart
        | Kind::Stop
        | Kind::Start
        | Kind::Cancel
        | Kind::ConfigApply => request,
        Kind::Promote => match next_environment(state, &address) {
            Some(to) => request.text(TO, to),
            None => {
                let text = format!(
                    "{} is the last environment of {}: nothing to promote to",
                    address.environment.unwrap_or_default(),
                    address.project
                );
                state.tell(text, true);
                return Vec::new();
            }
        },
        Kind::Rollback => {
            let is_app = state
                .selected_resource()
                .is_some_and(|r| r.kind == ResourceKind::Application);
            if !is_app {
                state.tell("select the application to roll back", true);
                return Vec::new();
            }
            state.overlays.open(Overlay::Card(Card::Planning {
                title: format!(
                    "Reading the rollback images of {}",
                    address.resource.clone().unwrap_or_default()
                ),
            }));
            return vec![Effect::LoadRollbackCandidates(address)];
        }
        Kind::Overview
        | Kind::Resource
        | Kind::Deployments
        | Kind::DeploymentLog
        | Kind::RollbackImages
        | Kind::Variables
        | Kind::Servers
        | Kind::Audit
        | Kind::ConfigShow
        | Kind::ConfigDiff => {
            let text = format!("{kind} only reads: it is not an operation");
            state.tell(text, true);
            return Vec::new();
        }
    };
    plan(state, request)
}

/// Show the selected application's environment variables, masked.
pub fn show_env(state: &mut State) -> Vec<Effect> {
    let Some((uuid, name)) = state
        .selected_resource()
        .filter(|r| r.kind == ResourceKind::Application)
        .map(|r| (r.uuid.clone(), r.name.clone()))
    else {
        state.tell("select an application to see its environment", true);
        return Vec::new();
    };
    state.overlays.open(Overlay::Card(Card::Planning {
        title: format!("Reading the environment of {name}"),
    }));
    vec![Effect::LoadEnv { app: uuid, name }]
}

/// Ask for a plan; a card shows that it is under way.
pub fn plan(state: &mut State, request: Request) -> Vec<Effect> {
    let place = request
        .scope
        .as_ref()
        .map(Address::to_string)
        .unwrap_or_default();
    let title = match (request.kind, request.text_of(TO)) {
        (Kind::Promote, Some(to)) => format!("Comparing {place} with {to}"),
        (kind, _) => format!("Planning {kind} of {place}"),
    };
    state.overlays.open(Overlay::Card(Card::Planning { title }));
    vec![Effect::Plan(request)]
}

/// The environment after `from`'s in its project's order (dev -> staging -> prod).
fn next_environment(state: &State, from: &Address) -> Option<String> {
    let project = state.data.tree.project(&from.project)?;
    let at = project.environments.iter().position(|e| {
        from.environment
            .as_deref()
            .is_some_and(|n| e.name.eq_ignore_ascii_case(n))
    })?;
    project.environments.get(at + 1).map(|e| e.name.clone())
}

pub fn on_planned(state: &mut State, result: Result<Box<Plan>, Unplanned>) -> Vec<Effect> {
    if super::batch::on_planned(state, &result) {
        return Vec::new();
    }
    if !state.overlays.planning() {
        // The operator closed the card meanwhile.
        return Vec::new();
    }
    state.overlays.settle(match result {
        Ok(plan) => Card::Preview {
            confirm: Confirm::for_verdict(&plan.verdict),
            plan,
        },
        Err(Unplanned {
            text,
            up_to_date: true,
        }) => Card::Notice {
            title: "Nothing to do".into(),
            text,
            error: false,
        },
        Err(Unplanned { text, .. }) => Card::Notice {
            title: "Cannot do that".into(),
            text,
            error: true,
        },
    });
    Vec::new()
}

pub fn on_rollback_candidates(
    state: &mut State,
    scope: Address,
    result: Result<RollbackChoice, String>,
) -> Vec<Effect> {
    if !state.overlays.planning() {
        return Vec::new();
    }
    state.overlays.settle(match result {
        Ok(choice) if choice.images.is_empty() => Card::Notice {
            title: "Nothing to roll back to".into(),
            text: format!(
                "{} has no rollback images",
                scope.resource.unwrap_or_default()
            ),
            error: true,
        },
        Ok(choice) => {
            let selected = choice
                .images
                .iter()
                .position(|i| Some(i) != choice.current.as_ref())
                .unwrap_or(0);
            Card::Picker {
                scope,
                current: choice.current,
                images: choice.images,
                selected,
            }
        }
        Err(text) => Card::Notice {
            title: "Cannot roll back".into(),
            text,
            error: true,
        },
    });
    Vec::new()
}

/// Keys while a card is open.
pub fn on_card_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::Card(card)) = state.overlays.top_mut() else {
        return Vec::new();
    };
    let close = matches!(key.code, KeyCode::Esc) || key.code == KeyCode::Char('q');
    match card {
        Card::Planning { .. } => {
            if close {
                state.overlays.close();
            }
            Vec::new()
        }
        Card::Preview { plan, confirm } => match confirm.key(key) {
            Answer::Confirmed(confirmation) => {
                let plan = plan.clone();
                start(state, plan, confirmation)
            }
            Answer::Declined => {
                state.overlays.close();
                Vec::new()
            }
            Answer::Mistyped(expected) => {
                state.tell(format!("type {expected} exactly to confirm"), true);
                Vec::new()
            }
            Answer::Pending => Vec::new(),
        },
        Card::Result(outcome) => {
            let back = rollback_from(outcome);
            match key.code {
                KeyCode::Char('b') => match back {
                    Some(request) => plan(state, request),
                    None => Vec::new(),
                },
                _ => {
                    state.overlays.close();
                    Vec::new()
                }
            }
        }
        Card::Picker {
            scope,
            images,
            selected,
            ..
        } => match key.code {
            KeyCode::Char('j') | KeyCode::Down => {
                *selected = (*selected + 1).min(images.len().saturating_sub(1));
                Vec::new()
            }
            KeyCode::Char('k') | KeyCode::Up => {
                *selected = selected.saturating_sub(1);
                Vec::new()
            }
            KeyCode::Enter => {
                let request = Request::new(Kind::Rollback, scope.clone())
                    .maybe_text(TO, images.get(*selected).cloned());
                plan(state, request)
            }
            _ if close => {
                state.overlays.close();
                Vec::new()
            }
            _ => Vec::new(),
        },
        Card::Batch(_) => {
            let confirmed = super::batch::on_key(state, key);
            confirmed
                .into_iter()
                .flat_map(|(plan, confirmation)| start(state, plan, confirmation))
                .collect()
        }
        Card::Env(card) => match card.update(key) {
            Handled::Consumed(effects) => effects,
            Handled::Ignored => {
                state.overlays.close();
                Vec::new()
            }
        },
        Card::Notice { .. } => {
            state.overlays.close();
            Vec::new()
        }
    }
}

/// The one-key rollback after a failure: back to what ran before.
fn rollback_from(outcome: &Outcome) -> Option<Request> {
    let app = outcome.apps.iter().find(|a| a.rollback_to.is_some())?;
    Some(Request::new(Kind::Rollback, app.target.address()).maybe_text(TO, app.rollback_to.clone()))
}

pub(super) fn start(state: &mut State, plan: Box<Plan>, confirmation: Confirmation) -> Vec<Effect> {
    state.overlays.close();
    if let Some(busy) = state.operations.blocking(&plan) {
        let text = format!(
            "not started: {} is still running on {}",
            busy.title,
            busy.targets
                .iter()
                .map(|(_, name)| name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        state.tell(text, true);
        return Vec::new();
    }
    let id = state.operations.next_id();
    state.operations.start(id.clone(), &plan, state.now);
    vec![Effect::Execute {
        id,
        plan,
        confirmation,
    }]
}

pub fn on_env(
    state: &mut State,
    app: String,
    result: Result<Vec<crate::model::EnvVar>, String>,
) -> Vec<Effect> {
    if !state.overlays.planning() {
        return Vec::new();
    }
    let address = state
        .data
        .tree
        .applications()
        .find(|(_, _, a)| a.name == app)
        .map(|(p, e, a)| Address::new(&p.name, Some(&e.name), Some(&a.name)))
        .unwrap_or_else(|| Address::new("?", None, Some(&app)));
    state.overlays.settle(match result {
        Ok(vars) => Card::Env(EnvCard::new(address, vars)),
        Err(text) => Card::Notice {
            title: "Cannot read the environment".into(),
            text,
            error: true,
        },
    });
    Vec::new()
}

/// The journal recorded a reveal: the value shows; or it could not, and nothing shows.
pub fn on_reveal_recorded(
    state: &mut State,
    at: jiff::Timestamp,
    result: Result<(), String>,
) -> Vec<Effect> {
    if let Some(Overlay::Card(Card::Env(card))) = state.overlays.top_mut() {
        card.recorded(result.is_ok(), at);
    }
    if let Err(e) = result {
        state.tell(format!("not revealed: {e}"), true);
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{AppOutcome, Verdict};
    use crate::tui::fixture;
    use crate::tui::msg::Msg;
    use crate::tui::update::update;
    use crossterm::event::KeyModifiers;

    fn key(state: &mut State, c: char) -> Vec<Effect> {
        update(
            state,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        )
    }

    fn enter(state: &mut State) -> Vec<Effect> {
        update(
            state,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        )
    }

    #[test]
    fn d_plans_a_deploy_of_the_selected_app() {
        let mut state = fixture::state((120, 40));
        let effects = key(&mut state, 'd');
        assert_eq!(
            effects,
            [Effect::Plan(Request::new(
                Kind::Deploy,
                Address::parse("AIR/dev/air-dev")
            ))]
        );
        assert!(matches!(
            state.overlays.top(),
            Some(Overlay::Card(Card::Planning { .. }))
        ));
    }

    #[test]
    fn every_operation_key_of_the_catalogue_asks_for_its_operation() {
        for binding in Kind::bindings() {
            let mut state = fixture::state((120, 40));
            let effects = on_action(&mut state, binding.action);
            let (kind, _) = Kind::by_key(binding.action).unwrap();
            match effects.as_slice() {
                [Effect::Plan(request)] => {
                    assert_eq!(request.kind, kind, "{binding:?}");
                    for flag in binding.flags {
                        assert!(request.has_flag(flag), "{binding:?}");
                    }
                }
                [Effect::LoadRollbackCandidates(_)] => assert_eq!(kind, Kind::Rollback),
                other => panic!("{binding:?}: {other:?}, {:?}", state.flash),
            }
        }
    }

    #[test]
    fn palette_operations_act_on_the_selection_or_on_their_words() {
        let mut state = fixture::state((120, 40));
        assert_eq!(
            on_command(&mut state, Kind::Restart, &[]),
            [Effect::Plan(Request::new(
                Kind::Restart,
                Address::parse("AIR/dev/air-dev")
            ))]
        );
        let mut state = fixture::state((120, 40));
        let words: Vec<String> = ["baiv", "staging", "prod"].map(String::from).into();
        assert_eq!(
            on_command(&mut state, Kind::Promote, &words),
            [Effect::Plan(
                Request::new(Kind::Promote, Address::parse("baiv/staging")).text(TO, "prod")
            )]
        );
        let mut state = fixture::state((120, 40));
        assert!(on_command(&mut state, Kind::Rollback, &["air".into()]).is_empty());
        assert!(
            crate::tui::fixture::flashed(&state).contains("missing the required argument"),
            "{:?}",
            state.flash
        );
    }

    #[test]
    fn a_confirm_card_runs_on_y_and_a_typed_one_only_on_the_name() {
        let mut state = fixture::state((120, 40));
        key(&mut state, 'd');
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(Verdict::Confirm, "dev"))),
        );
        let effects = key(&mut state, 'y');
        assert!(
            matches!(
                &effects[..],
                [Effect::Execute {
                    confirmation: Confirmation::Yes,
                    ..
                }]
            ),
            "{effects:?}"
        );
        assert_eq!(state.operations.running().count(), 1);
        // Not twice on the same application, but another one may start meanwhile.
        assert!(key(&mut state, 'd').is_empty());
        assert!(
            crate::tui::fixture::flashed(&state).contains("is running on it"),
            "{:?}",
            state.flash
        );
        key(&mut state, 'j');
        key(&mut state, 'j');
        assert_eq!(state.selected_resource().unwrap().name, "air-staging");
        let effects = key(&mut state, 'd');
        assert!(matches!(&effects[..], [Effect::Plan(_)]), "{effects:?}");
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(Verdict::Confirm, "staging"))),
        );
        let effects = key(&mut state, 'y');
        assert!(matches!(&effects[..], [Effect::Execute { .. }]));
        assert_eq!(state.operations.running().count(), 2);
        // A plan that reaches a busy target (planned before the other started) is refused
        // when it would start.
        state.overlays.open(Overlay::Card(Card::Planning {
            title: "Planning".into(),
        }));
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(Verdict::Confirm, "dev"))),
        );
        assert!(key(&mut state, 'y').is_empty());
        assert!(crate::tui::fixture::flashed(&state).contains("not started"));
        assert_eq!(state.operations.running().count(), 2);

        let mut state = fixture::state((120, 40));
        key(&mut state, 'd');
        let typed = Verdict::ConfirmTyped {
            expected: "prod".into(),
        };
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(typed, "prod"))),
        );
        assert!(key(&mut state, 'y').is_empty(), "y is just a letter here");
        assert!(enter(&mut state).is_empty(), "'y' is not 'prod'");
        update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
        );
        for c in "prod".chars() {
            key(&mut state, c);
        }
        let effects = enter(&mut state);
        assert!(
            matches!(
                &effects[..],
                [Effect::Execute { confirmation: Confirmation::Typed(t), .. }] if t == "prod"
            ),
            "{effects:?}"
        );
    }

    #[test]
    fn a_denied_card_only_closes() {
        let mut state = fixture::state((120, 40));
        key(&mut state, 'd');
        let deny = Verdict::Deny {
            reason: "context lab is read-only".into(),
        };
        update(
            &mut state,
            Msg::Planned(Ok(fixture::deploy_plan(deny, "dev"))),
        );
        assert!(key(&mut state, 'y').is_empty());
        assert_eq!(state.overlays.top(), None);
        assert!(state.operations.is_empty());
    }

    #[test]
    fn a_failed_result_offers_a_one_key_rollback() {
        let mut state = fixture::state((120, 40));
        let id = state.operations.next_id();
        state.operations.start(
            id.clone(),
            &fixture::deploy_plan(Verdict::Confirm, "dev"),
            state.now,
        );
        let mut app = AppOutcome::for_tests(fixture::target("air-dev", "dev"));
        app.rollback_to = Some("abc1234".into());
        let outcome = Outcome {
            kind: Kind::Deploy,
            ok: false,
            summary: "1 did not succeed: air-dev".into(),
            apps: vec![app],
            duration_ms: 10,
            audit_error: None,
        };
        let result = Ok(Box::new(outcome));
        let effects = update(&mut state, Msg::OpDone { id, result });
        assert_eq!(state.operations.running().count(), 0);
        assert_eq!(state.operations.all().next().unwrap().state(), "failed");
        assert!(effects.contains(&Effect::Load { full: false }));
        let effects = key(&mut state, 'b');
        assert_eq!(
            effects,
            [Effect::Plan(
                Request::new(Kind::Rollback, Address::parse("AIR/dev/air-dev")).text(TO, "abc1234")
            )]
        );
    }

    #[test]
    fn promote_goes_to_the_next_environment_and_not_past_the_last() {
        let mut state = fixture::state((120, 40));
        let effects = key(&mut state, 'p');
        assert_eq!(
            effects,
            [Effect::Plan(
                Request::new(Kind::Promote, Address::parse("AIR/dev")).text(TO, "staging")
            )]
        );
        let mut state = fixture::state((120, 40));
        for _ in 0..4 {
            key(&mut state, 'j');
        }
        assert_eq!(state.selected_row().unwrap().label, "air-prod");
        assert!(key(&mut state, 'p').is_empty());
        assert!(crate::tui::fixture::flashed(&state).contains("last environment"));
    }

    #[test]
    fn rollback_opens_a_picker_defaulting_to_the_previous_image() {
        let mut state = fixture::state((120, 40));
        let effects = key(&mut state, 'b');
        let scope = Address::parse("AIR/dev/air-dev");
        assert_eq!(effects, [Effect::LoadRollbackCandidates(scope.clone())]);
        update(
            &mut state,
            Msg::RollbackCandidates {
                scope: scope.clone(),
                result: Ok(RollbackChoice {
                    current: Some("new".into()),
                    images: vec!["new".into(), "old".into(), "older".into()],
                    pinned: false,
                }),
            },
        );
        let effects = enter(&mut state);
        assert_eq!(
            effects,
            [Effect::Plan(
                Request::new(Kind::Rollback, scope).text(TO, "old")
            )]
        );
    }
}

#[cfg(test)]
mod env_tests {
    use super::*;
    use crate::tui::fixture;
    use crate::tui::msg::Msg;
    use crate::tui::snapshot::render;
    use crate::tui::update::update;
    use crossterm::event::KeyModifiers;

    fn var(key: &str, value: &str) -> crate::model::EnvVar {
        crate::model::EnvVar {
            key: key.into(),
            value: Some(value.to_string().into()),
            ..Default::default()
        }
    }

    #[test]
    fn values_are_masked_and_revealed_one_at_a_time() {
        let mut state = fixture::state((120, 40));
        let effects = update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT)),
        );
        assert_eq!(
            effects,
            [Effect::LoadEnv {
                app: "app-air-dev".into(),
                name: "air-dev".into()
            }]
        );
        update(
            &mut state,
            Msg::Env {
                app: "air-dev".into(),
                result: Ok(vec![
                    var("DATABASE_URL", "postgres://u:canary-one@db"),
                    var("API_KEY", "canary-two"),
                ]),
            },
        );
        let screen = render(&state, 120, 40, false);
        assert!(
            screen.contains("DATABASE_URL") && screen.contains("••••"),
            "{screen}"
        );
        assert!(!screen.contains("canary"), "masked by default:\n{screen}");
        let recorded = |state: &mut State, result: Result<(), String>| {
            let at = state.now;
            update(state, Msg::RevealRecorded { at, result })
        };
        let key = |state: &mut State, c: char| {
            update(
                state,
                Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            )
        };
        // Revealing asks first; nothing shows until the journal has recorded it.
        assert!(key(&mut state, 'r').is_empty());
        let screen = render(&state, 120, 40, false);
        assert!(screen.contains("Reveal the value of API_KEY?"), "{screen}");
        let effects = key(&mut state, 'y');
        assert_eq!(
            effects,
            [Effect::RecordReveal {
                app: Address::parse("AIR/dev/air-dev"),
                variable: "API_KEY".into()
            }]
        );
        assert!(!render(&state, 120, 40, false).contains("canary"));
        recorded(&mut state, Ok(()));
        let screen = render(&state, 120, 40, false);
        assert!(
            screen.contains("canary-two"),
            "API_KEY sorts first and is revealed:\n{screen}"
        );
        assert!(!screen.contains("canary-one"), "only one at a time");
        // It hides again by itself.
        let later = state.now + crate::tui::panes::env::REVEAL_FOR;
        update(&mut state, Msg::Tick(later));
        assert!(!render(&state, 120, 40, false).contains("canary"));
        // A journal that cannot be written shows nothing.
        key(&mut state, 'r');
        key(&mut state, 'y');
        recorded(&mut state, Err("audit journal x: permission denied".into()));
        assert!(!render(&state, 120, 40, false).contains("canary"));
        assert!(
            state
                .flash
                .as_ref()
                .unwrap()
                .text
                .starts_with("not revealed")
        );
        // Any other key than y keeps it hidden; moving hides a shown one.
        key(&mut state, 'r');
        key(&mut state, 'n');
        assert!(!render(&state, 120, 40, false).contains("canary"));
        key(&mut state, 'r');
        key(&mut state, 'y');
        recorded(&mut state, Ok(()));
        assert!(render(&state, 120, 40, false).contains("canary-two"));
        key(&mut state, 'j');
        let screen = render(&state, 120, 40, false);
        assert!(!screen.contains("canary"), "moving hides it again");
    }

    #[test]
    fn a_shown_once_value_says_so() {
        let mut state = fixture::state((120, 40));
        state.overlays.open(Overlay::Card(Card::Planning {
            title: "Reading".into(),
        }));
        let once = crate::model::EnvVar {
            key: "SIGNING_KEY".into(),
            value: None,
            is_shown_once: Some(true),
            ..Default::default()
        };
        update(
            &mut state,
            Msg::Env {
                app: "air-dev".into(),
                result: Ok(vec![once]),
            },
        );
        let screen = render(&state, 120, 40, false);
        assert!(
            screen.contains("shown once: Coolify showed it only"),
            "{screen}"
        );
        assert!(!screen.contains("read:sensitive"), "{screen}");
    }
}
