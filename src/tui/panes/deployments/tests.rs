//! The deployments view through `update`: opening reads the board, keys move, filter, open
//! a log and cancel, the console's refreshes re-read what changed; snapshots at two sizes.

use crossterm::event::KeyCode;

use crate::model::board::{AppHistory, BoardRead, BoardRow};
use crate::model::{Address, Deployment, DeploymentStatus, Overview, Trigger};
use crate::ops::{BoardLimits, Kind};
use crate::tui::fixture::{self, key, screen as text, typed};
use crate::tui::msg::{Effect, Msg};
use crate::tui::overlay::{Card, Overlay};
use crate::tui::state::{Screen, State};
use crate::tui::update::update;

fn deployment(app: &str, uuid: &str, status: DeploymentStatus, minutes_ago: i64) -> Deployment {
    let mut d = fixture::deployment(uuid, status, minutes_ago, "Bump the API client");
    d.application_name = Some(app.into());
    d.application_id = None;
    let sha = (minutes_ago as u64 + 1) * 0x1f3a5;
    d.commit = Some(format!("{sha:07x}{}", "0".repeat(33)));
    if !d.status.is_final() {
        d.finished_at = None;
    }
    d
}

fn history(app: &str, deployments: Vec<Deployment>) -> AppHistory {
    let tree = fixture::tree();
    let uuid = format!("app-{app}");
    AppHistory {
        app: uuid.clone(),
        application: app.into(),
        result: Ok(deployments
            .into_iter()
            .map(|d| BoardRow::of_app(&tree, &uuid, d))
            .collect()),
    }
}

/// air-staging deploying, baiv-dev queued, a few finished and failed ones, and w4m-prod's
/// history unreadable.
fn read() -> BoardRead {
    use DeploymentStatus::*;
    let tree = fixture::tree();
    let running = deployment("air-staging", "run1", InProgress, 2);
    let queued = deployment("baiv-dev", "que1", Queued, 1);
    let mut failed = deployment("w4m-dev", "fail1", Failed, 30);
    failed.commit_message = Some("Drop the legacy session table".into());
    failed.trigger = Trigger::Manual;
    let mut rollback = deployment("air-prod", "roll1", Finished, 300);
    rollback.trigger = Trigger::Rollback;
    BoardRead {
        running: vec![
            BoardRow::locate(&tree, queued.clone()),
            BoardRow::locate(&tree, running.clone()),
        ],
        histories: vec![
            history(
                "air-staging",
                vec![running, deployment("air-staging", "ok1", Finished, 60)],
            ),
            history("baiv-dev", vec![queued]),
            history("w4m-dev", vec![failed]),
            history("air-prod", vec![rollback]),
            history("air-dev", vec![deployment("air-dev", "ok2", Finished, 45)]),
            AppHistory {
                app: "app-w4m-prod".into(),
                application: "w4m-prod".into(),
                result: Err("Coolify answered 500: Server Error".into()),
            },
        ],
        applications: 9,
    }
}

/// A read of the board came back for the fixture's context.
fn board(state: &mut State, result: Result<Box<BoardRead>, String>) -> Vec<Effect> {
    board_for(state, "pfcore", result)
}

fn board_for(
    state: &mut State,
    context: &str,
    result: Result<Box<BoardRead>, String>,
) -> Vec<Effect> {
    let context = context.into();
    update(state, Msg::Board { context, result })
}

/// The view opened and its board read.
fn opened(size: (u16, u16)) -> State {
    let mut state = fixture::state(size);
    key(&mut state, KeyCode::Char('J'));
    board(&mut state, Ok(Box::new(read())));
    state
}

fn shown(state: &State) -> Vec<String> {
    state
        .deployments
        .shown()
        .iter()
        .map(|r| r.deployment.uuid.clone())
        .collect()
}

fn selected(state: &State) -> String {
    shown(state)[state.deployments.cursor.selected].clone()
}

#[test]
fn j_opens_the_view_and_reads_every_application_in_the_trees_order() {
    let mut state = fixture::state((120, 40));
    let effects = key(&mut state, KeyCode::Char('J'));
    assert_eq!(state.screen, Screen::Deployments);
    let apps: Vec<String> = state
        .data
        .tree
        .applications()
        .map(|(_, _, a)| a.uuid.clone())
        .collect();
    assert_eq!(
        effects,
        [Effect::LoadBoard {
            tree: Box::new(fixture::tree()),
            order: apps,
            limits: BoardLimits::default(),
        }]
    );
    assert!(text(&state).contains("reading deployments…"));
    assert!(
        key(&mut state, KeyCode::Char('r')).is_empty(),
        "one read at a time"
    );
    // `:deployments` opens it too; `J` goes back to the tree.
    key(&mut state, KeyCode::Char('J'));
    assert_eq!(state.screen, Screen::Tree);
    typed(&mut state, ":deployments");
    key(&mut state, KeyCode::Enter);
    assert_eq!(state.screen, Screen::Deployments);
}

#[test]
fn rows_come_running_first_then_newest_and_the_keys_move_through_them() {
    let mut state = opened((120, 40));
    assert_eq!(
        shown(&state),
        ["run1", "que1", "fail1", "ok2", "ok1", "roll1"]
    );
    assert_eq!(selected(&state), "run1");
    key(&mut state, KeyCode::Char('j'));
    key(&mut state, KeyCode::Down);
    assert_eq!(selected(&state), "fail1");
    key(&mut state, KeyCode::Char('G'));
    assert_eq!(selected(&state), "roll1");
    key(&mut state, KeyCode::Char('k'));
    assert_eq!(selected(&state), "ok1");
    key(&mut state, KeyCode::Char('g'));
    assert_eq!(selected(&state), "run1");
    // A later read keeps the selection on its deployment.
    key(&mut state, KeyCode::Char('G'));
    let effects = key(&mut state, KeyCode::Char('r'));
    assert!(
        matches!(effects[..], [Effect::LoadBoard { .. }]),
        "{effects:?}"
    );
    let mut later = read();
    later.running.clear();
    board(&mut state, Ok(Box::new(later)));
    assert_eq!(selected(&state), "roll1");
}

#[test]
fn the_filter_narrows_by_name_place_commit_and_status_prefix() {
    let mut state = opened((120, 40));
    assert!(typed(&mut state, "/air").is_empty());
    assert_eq!(shown(&state), ["run1", "ok2", "ok1", "roll1"]);
    assert!(text(&state).contains("/air▏"));
    key(&mut state, KeyCode::Backspace);
    key(&mut state, KeyCode::Backspace);
    key(&mut state, KeyCode::Backspace);
    typed(&mut state, "!failed");
    assert_eq!(shown(&state), ["fail1"]);
    key(&mut state, KeyCode::Enter);
    assert!(!state.deployments.filter.active);
    // Keys act again once the line is closed: `j` moves instead of typing.
    key(&mut state, KeyCode::Char('j'));
    assert_eq!(state.deployments.filter.text, "!failed");
    key(&mut state, KeyCode::Esc);
    assert_eq!(shown(&state).len(), 6, "esc clears the filter");
    assert_eq!(state.screen, Screen::Deployments);
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.screen, Screen::Tree, "and then goes back");

    let mut state = opened((120, 40));
    typed(&mut state, "/legacy session");
    assert_eq!(shown(&state), ["fail1"], "words of the commit message");
    key(&mut state, KeyCode::Esc);
    typed(&mut state, "/baiv/dev !q");
    assert_eq!(shown(&state), ["que1"]);
    typed(&mut state, "x");
    assert!(shown(&state).is_empty());
    assert!(text(&state).contains("nothing matches /baiv/dev !qx"));
}

#[test]
fn enter_opens_the_deployments_log_in_the_tree_and_it_stays() {
    let mut state = opened((120, 40));
    key(&mut state, KeyCode::Char('G'));
    assert_eq!(selected(&state), "roll1");
    let effects = key(&mut state, KeyCode::Enter);
    assert_eq!(state.screen, Screen::Tree);
    assert_eq!(state.selected_app(), Some("app-air-prod"));
    let source = state.log.source.clone().expect("the log pane follows it");
    assert_eq!(source.deployment.as_deref(), Some("roll1"));
    assert!(effects.contains(&Effect::FollowLog {
        name: "air-prod".into(),
        deployment: "roll1".into(),
    }));
    assert!(effects.contains(&Effect::LoadRecent("app-air-prod".into())));
    assert!(state.log_focused());
    // The application's history arriving does not take the log to its latest deployment.
    let effects = update(
        &mut state,
        Msg::Recent {
            context: "pfcore".into(),
            app: "app-air-prod".into(),
            result: Ok(vec![deployment(
                "air-prod",
                "newer",
                DeploymentStatus::Finished,
                5,
            )]),
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
    let source = state.log.source.clone().unwrap();
    assert_eq!(source.deployment.as_deref(), Some("roll1"));
}

#[test]
fn enter_reveals_an_application_the_trees_filter_or_a_collapsed_node_hides() {
    let mut state = fixture::state((120, 40));
    typed(&mut state, "/w4m");
    key(&mut state, KeyCode::Enter);
    state
        .tree
        .collapsed
        .insert(crate::tui::outline::NodeId::Project("p-AIR".into()));
    key(&mut state, KeyCode::Char('J'));
    board(&mut state, Ok(Box::new(read())));
    key(&mut state, KeyCode::Enter);
    assert_eq!(state.selected_app(), Some("app-air-staging"));
    assert_eq!(state.tree.filter, "");
}

#[test]
fn c_opens_the_cancel_card_for_a_running_deployment_only() {
    let mut state = opened((120, 40));
    let effects = key(&mut state, KeyCode::Char('c'));
    let Some(Effect::Plan(request)) = effects.last() else {
        panic!("a plan: {effects:?}");
    };
    assert_eq!(request.kind, Kind::Cancel);
    assert_eq!(
        request.scope,
        Some(Address::new("AIR", Some("staging"), Some("air-staging")))
    );
    assert!(matches!(
        state.overlays.top(),
        Some(Overlay::Card(Card::Planning { .. }))
    ));
    assert_eq!(
        state.screen,
        Screen::Deployments,
        "the card is over the view"
    );

    let mut state = opened((120, 40));
    key(&mut state, KeyCode::Char('G'));
    assert!(key(&mut state, KeyCode::Char('c')).is_empty());
    let flash = state.flash.clone().unwrap();
    assert!(flash.error);
    assert!(
        flash.text.contains("only a queued or running one"),
        "{}",
        flash.text
    );
    assert_eq!(state.overlays.top(), None);
}

fn refreshed(state: &mut State, running: Vec<Deployment>) -> Vec<Effect> {
    state.data.loading = true;
    update(
        state,
        Msg::Loaded {
            context: "pfcore".into(),
            result: Ok(Box::new(Overview {
                tree: fixture::tree(),
                version: Some("4.3.11".into()),
                running,
                warnings: vec![],
            })),
        },
    )
}

fn board_reads(effects: &[Effect]) -> Vec<(Vec<String>, usize)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadBoard { order, limits, .. } => Some((order.clone(), limits.applications)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_consoles_refreshes_reread_only_what_started_or_ended() {
    let mut state = opened((120, 40));
    let mut running = fixture::deployment("new1", DeploymentStatus::Queued, 0, "wip");
    running.application_id = Some("1".into());
    // air-dev starts deploying: it is read again (with what deploys).
    let effects = refreshed(&mut state, vec![running.clone()]);
    assert_eq!(
        board_reads(&effects),
        [(vec!["app-air-dev".to_string()], 2)]
    );
    // A refresh while that read is out is remembered, and read when it is back.
    running.status = DeploymentStatus::InProgress;
    assert!(board_reads(&refreshed(&mut state, vec![])).is_empty());
    let effects = board(&mut state, Ok(Box::new(read())));
    assert_eq!(
        board_reads(&effects),
        [(vec!["app-air-dev".to_string()], 1)]
    );
    board(&mut state, Ok(Box::new(read())));
    // Nothing changed: nothing read.
    assert!(board_reads(&refreshed(&mut state, vec![])).is_empty());
    // In the tree, the view reads nothing.
    key(&mut state, KeyCode::Char('J'));
    assert!(board_reads(&refreshed(&mut state, vec![running])).is_empty());
}

#[test]
fn a_failed_read_says_why_and_another_contexts_read_is_dropped() {
    let mut state = fixture::state((120, 40));
    key(&mut state, KeyCode::Char('J'));
    board_for(&mut state, "elsewhere", Ok(Box::new(read())));
    assert!(shown(&state).is_empty());
    board(
        &mut state,
        Err("cannot connect to https://coolify.pfcore.io".into()),
    );
    let screen = text(&state);
    assert!(screen.contains("cannot connect"), "{screen}");
    // The next read works; a failure after it keeps the rows and says they are old.
    key(&mut state, KeyCode::Char('r'));
    board(&mut state, Ok(Box::new(read())));
    key(&mut state, KeyCode::Char('r'));
    board(
        &mut state,
        Err("Coolify answered 429: too many requests".into()),
    );
    let screen = text(&state);
    assert_eq!(shown(&state).len(), 6);
    assert!(
        screen.contains("not refreshed: Coolify answered 429"),
        "{screen}"
    );
}

#[test]
fn help_and_footer_list_the_views_keys() {
    let mut state = opened((120, 40));
    let footer = text(&state).lines().last().unwrap_or_default().to_string();
    for hint in ["open log", "filter", "cancel", "? help", "q quit"] {
        assert!(footer.contains(hint), "{hint} in {footer}");
    }
    key(&mut state, KeyCode::Char('?'));
    let screen = text(&state);
    assert!(screen.contains("Keys in the deployments view"), "{screen}");
    assert!(!screen.contains("log: follow"), "{screen}");
}

#[test]
fn deployments_view_120x40() {
    insta::assert_snapshot!(text(&opened((120, 40))));
}

#[test]
fn deployments_view_80x24() {
    let state = opened((80, 24));
    let screen = text(&state);
    let footer = screen.lines().last().unwrap_or_default();
    assert!(footer.ends_with("? help  q quit"), "{footer}");
    insta::assert_snapshot!(screen);
}
