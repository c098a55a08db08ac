//! The audit view through `update`: opening reads the journal, keys move, filter, scroll
//! the entry and open a deployment's log; what could not be read is said; snapshots at two
//! sizes.

use crossterm::event::KeyCode;
use serde_json::json;

use super::READ;
use crate::audit::{Actor, Channel, Record};
use crate::tui::fixture::{self, key, screen as text, typed};
use crate::tui::msg::{Effect, Msg};
use crate::tui::overlay::Overlay;
use crate::tui::state::{Screen, State};
use crate::tui::update::update;

fn record(minutes_ago: i64, operation: &str, target: &str, outcome: &str) -> Record {
    Record {
        id: Some(format!("op-{minutes_ago}")),
        time: fixture::at(minutes_ago),
        context: "pfcore".into(),
        actor: Actor {
            user: "ana@ops-box".into(),
            channel: Channel::Tui,
            prompt: None,
        },
        operation: operation.into(),
        target: target.into(),
        parameters: json!({}),
        outcome: outcome.into(),
        deployments: Vec::new(),
        duration_ms: 0,
    }
}

/// The journal as read, oldest first: a promote, a refused prod deploy, an agent's
/// restart, a failed deploy and one still running.
fn journal() -> Vec<Record> {
    let mut promote = record(300, "promote", "AIR/staging/air-staging", "succeeded");
    promote.parameters = json!({"from": "dev", "to": "staging", "commits": 3});
    promote.deployments = vec!["dep-promote".into()];
    promote.duration_ms = 95_000;
    let mut refused = record(
        120,
        "deploy",
        "AIR/prod/air-prod",
        "refused: production asks for its name to be typed; it was not",
    );
    refused.id = None;
    refused.parameters = json!({"force": false});
    let mut restart = record(60, "restart", "W4M/staging/w4m-staging", "succeeded");
    restart.actor = Actor {
        user: "ana@ops-box".into(),
        channel: Channel::Agent,
        prompt: Some("restart w4m staging".into()),
    };
    restart.duration_ms = 4_200;
    let mut failed = record(
        30,
        "deploy",
        "W4M/dev/w4m-dev",
        "failed: w4m-dev: deployment fail1 failed at step 4 (npm run build exited 1)",
    );
    failed.parameters = json!({"force": true, "branch": "develop"});
    failed.deployments = vec!["fail1".into(), "fail2".into()];
    failed.duration_ms = 61_000;
    let mut open = record(2, "deploy", "AIR/dev/air-dev", "started");
    open.deployments = vec!["run1".into()];
    vec![promote, refused, restart, failed, open]
}

fn read(state: &mut State, result: Result<(Vec<Record>, usize), String>) -> Vec<Effect> {
    update(state, Msg::Audit(result))
}

/// The view opened and the journal read.
fn opened(size: (u16, u16)) -> State {
    let mut state = fixture::state(size);
    key(&mut state, KeyCode::Char('A'));
    read(&mut state, Ok((journal(), 0)));
    state
}

fn shown(state: &State) -> Vec<String> {
    state
        .audit
        .shown()
        .iter()
        .map(|r| format!("{} {}", r.operation, r.target))
        .collect()
}

fn selected(state: &State) -> String {
    shown(state)[state.audit.cursor.selected].clone()
}

#[test]
fn a_opens_the_view_and_reads_the_journals_last_thousand_records() {
    let mut state = fixture::state((120, 40));
    let effects = key(&mut state, KeyCode::Char('A'));
    assert_eq!(state.screen, Screen::Audit);
    assert_eq!(effects, [Effect::LoadAudit(READ)]);
    assert_eq!(READ, 1000);
    assert!(text(&state).contains("reading the audit journal…"));
    assert!(
        key(&mut state, KeyCode::Char('r')).is_empty(),
        "one read at a time"
    );
    read(&mut state, Ok((journal(), 0)));
    assert_eq!(
        key(&mut state, KeyCode::Char('r')),
        [Effect::LoadAudit(READ)]
    );
    // `A` goes back to the tree, `:audit` opens the view (no card any more).
    key(&mut state, KeyCode::Char('A'));
    assert_eq!(state.screen, Screen::Tree);
    typed(&mut state, ":audit");
    key(&mut state, KeyCode::Enter);
    assert_eq!(state.screen, Screen::Audit);
    assert_eq!(state.overlays.top(), None);
}

#[test]
fn entries_come_newest_first_and_the_keys_move_through_them() {
    let mut state = opened((120, 40));
    assert_eq!(
        shown(&state),
        [
            "deploy AIR/dev/air-dev",
            "deploy W4M/dev/w4m-dev",
            "restart W4M/staging/w4m-staging",
            "deploy AIR/prod/air-prod",
            "promote AIR/staging/air-staging",
        ]
    );
    assert_eq!(selected(&state), "deploy AIR/dev/air-dev");
    key(&mut state, KeyCode::Char('j'));
    assert_eq!(selected(&state), "deploy W4M/dev/w4m-dev");
    key(&mut state, KeyCode::Char('G'));
    assert_eq!(selected(&state), "promote AIR/staging/air-staging");
    key(&mut state, KeyCode::Char('k'));
    assert_eq!(selected(&state), "deploy AIR/prod/air-prod");
    // A later read with a newer record keeps the selection on its entry.
    let mut later = journal();
    later.push(record(0, "stop", "BAIV/dev/baiv-dev", "succeeded"));
    read(&mut state, Ok((later, 0)));
    assert_eq!(selected(&state), "deploy AIR/prod/air-prod");
    assert_eq!(shown(&state)[0], "stop BAIV/dev/baiv-dev");
}

#[test]
fn the_entry_pane_shows_every_field_of_the_selected_record() {
    let mut state = opened((120, 40));
    key(&mut state, KeyCode::Char('j'));
    let screen = text(&state);
    for field in [
        "operation   deploy",
        "target      W4M/dev/w4m-dev",
        "(npm run build exited 1)",
        "time        2026-11-27 11:30:00 UTC · took 1m01s",
        "actor       ana@ops-box via tui",
        "context     pfcore",
        "id          op-30",
        "deployments fail1, fail2",
        "parameters  {",
        "\"branch\": \"develop\",",
        "\"force\": true",
    ] {
        assert!(screen.contains(field), "{field} in\n{screen}");
    }
    // The agent's record names the prompt; a refusal has no id; one still running says so.
    key(&mut state, KeyCode::Char('j'));
    let screen = text(&state);
    assert!(
        screen.contains("actor       ana@ops-box via agent"),
        "{screen}"
    );
    assert!(
        screen.contains("prompt      restart w4m staging"),
        "{screen}"
    );
    key(&mut state, KeyCode::Char('j'));
    let screen = text(&state);
    assert!(
        screen.contains("none (recorded once, as it was refused)"),
        "{screen}"
    );
    assert!(screen.contains("⊘ refused: production asks"), "{screen}");
    key(&mut state, KeyCode::Char('g'));
    assert!(text(&state).contains("no end recorded (running, or pftui was killed)"));
}

#[test]
fn the_filter_narrows_by_operation_target_outcome_and_actor() {
    let mut state = opened((120, 40));
    assert!(typed(&mut state, "/deploy").is_empty());
    assert_eq!(shown(&state).len(), 3);
    assert!(text(&state).contains("Audit · 3 of 5 · /deploy▏"));
    typed(&mut state, " w4m");
    assert_eq!(shown(&state), ["deploy W4M/dev/w4m-dev"]);
    key(&mut state, KeyCode::Enter);
    assert!(!state.audit.filter.active);
    key(&mut state, KeyCode::Esc);
    assert_eq!(shown(&state).len(), 5, "esc clears the filter");
    assert_eq!(state.screen, Screen::Audit);
    typed(&mut state, "/REFUSED");
    assert_eq!(shown(&state), ["deploy AIR/prod/air-prod"]);
    key(&mut state, KeyCode::Esc);
    typed(&mut state, "/agent");
    assert_eq!(shown(&state), ["restart W4M/staging/w4m-staging"]);
    typed(&mut state, "x");
    assert!(text(&state).contains("nothing matches /agentx"));
    key(&mut state, KeyCode::Enter);
    key(&mut state, KeyCode::Esc);
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.screen, Screen::Tree, "the second esc goes back");
}

#[test]
fn enter_opens_the_first_deployments_log_in_the_tree() {
    let mut state = opened((120, 40));
    key(&mut state, KeyCode::Char('j'));
    let effects = key(&mut state, KeyCode::Enter);
    assert_eq!(state.screen, Screen::Tree);
    assert_eq!(state.selected_app(), Some("app-w4m-dev"));
    let source = state.log.source.clone().expect("the log pane follows it");
    assert_eq!(source.deployment.as_deref(), Some("fail1"));
    assert!(source.pinned);
    assert!(effects.contains(&Effect::FollowLog {
        name: "w4m-dev".into(),
        deployment: "fail1".into(),
    }));
    assert!(state.log_focused());
}

#[test]
fn enter_says_why_when_there_is_no_log_to_open() {
    let mut state = opened((120, 40));
    key(&mut state, KeyCode::Char('j'));
    key(&mut state, KeyCode::Char('j'));
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let flash = state.flash.clone().expect("a message");
    assert!(flash.error);
    assert_eq!(
        flash.text,
        "restart of W4M/staging/w4m-staging started no deployment: there is no log to open"
    );
    assert_eq!(state.screen, Screen::Audit);

    let mut elsewhere = journal();
    elsewhere[3].context = "other".into();
    read(&mut state, Ok((elsewhere, 0)));
    key(&mut state, KeyCode::Char('k'));
    assert_eq!(selected(&state), "deploy W4M/dev/w4m-dev");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let text = state.flash.clone().unwrap().text;
    assert!(
        text.contains("recorded in context other, not pfcore"),
        "{text}"
    );

    let mut gone = journal();
    gone[3].target = "W4M/dev/w4m-old".into();
    read(&mut state, Ok((gone, 0)));
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let text = state.flash.clone().unwrap().text;
    assert!(
        text.starts_with("W4M/dev/w4m-old is not in the tree"),
        "{text}"
    );
}

#[test]
fn tab_gives_the_keys_to_the_entry_which_scrolls() {
    let mut state = opened((80, 24));
    key(&mut state, KeyCode::Char('j'));
    let most = super::max_entry_scroll(state.audit_look());
    assert!(
        most > 0,
        "the failed deploy's entry is longer than the pane"
    );
    assert!(text(&state).contains("(tab scrolls)"));
    key(&mut state, KeyCode::Tab);
    assert!(state.audit.entry_focused());
    let footer = text(&state).lines().last().unwrap_or_default().to_string();
    assert!(footer.contains("tab table"), "{footer}");
    key(&mut state, KeyCode::Char('j'));
    assert_eq!(state.audit.entry_scroll, 1);
    assert_eq!(
        selected(&state),
        "deploy W4M/dev/w4m-dev",
        "j scrolls the entry, not the table"
    );
    key(&mut state, KeyCode::Char('G'));
    assert_eq!(state.audit.entry_scroll, most);
    assert!(text(&state).contains("\"force\": true"));
    key(&mut state, KeyCode::Esc);
    assert!(!state.audit.entry_focused(), "esc gives the keys back");
    key(&mut state, KeyCode::Char('j'));
    assert_eq!(
        state.audit.entry_scroll, 0,
        "another entry starts at its top"
    );
}

#[test]
fn what_could_not_be_read_is_said() {
    let mut state = fixture::state((120, 40));
    key(&mut state, KeyCode::Char('A'));
    read(
        &mut state,
        Err("audit journal /x/audit.jsonl: permission denied".into()),
    );
    assert!(text(&state).contains("permission denied"));
    key(&mut state, KeyCode::Char('r'));
    read(&mut state, Ok((journal(), 3)));
    let screen = text(&state);
    assert!(
        screen.contains("3 lines of the journal could not be read and are left out"),
        "{screen}"
    );
    key(&mut state, KeyCode::Char('r'));
    read(&mut state, Err("audit journal /x/audit.jsonl: gone".into()));
    let screen = text(&state);
    assert_eq!(shown(&state).len(), 5, "the rows stay");
    assert!(screen.contains("not refreshed: audit journal"), "{screen}");

    let many: Vec<Record> = (0..READ as i64)
        .map(|n| record(n, "restart", "AIR/dev/air-dev", "succeeded"))
        .collect();
    read(&mut state, Ok((many, 0)));
    assert!(text(&state).contains("the last 1000 operations; pftui audit --limit N"));
    key(&mut state, KeyCode::Char('G'));
    assert_eq!(state.audit.cursor.selected, READ - 1);
    assert!(text(&state).contains("restart"));
}

#[test]
fn help_and_footer_list_the_views_keys() {
    let mut state = opened((120, 40));
    let footer = text(&state).lines().last().unwrap_or_default().to_string();
    for hint in [
        "open log",
        "filter",
        "tab entry",
        "A tree",
        "? help",
        "q quit",
    ] {
        assert!(footer.contains(hint), "{hint} in {footer}");
    }
    key(&mut state, KeyCode::Char('?'));
    let screen = text(&state);
    assert!(screen.contains("Keys in the audit view"), "{screen}");
    assert!(
        screen.contains("words of operation, target, outcome or actor"),
        "{screen}"
    );
    assert!(!screen.contains("log: follow"), "{screen}");
    assert!(matches!(state.overlays.top(), Some(Overlay::Page { .. })));
}

#[test]
fn audit_view_120x40() {
    let mut state = opened((120, 40));
    key(&mut state, KeyCode::Char('j'));
    insta::assert_snapshot!(text(&state));
}

#[test]
fn audit_view_80x24() {
    let mut state = opened((80, 24));
    key(&mut state, KeyCode::Char('j'));
    let screen = text(&state);
    let footer = screen.lines().last().unwrap_or_default();
    assert!(footer.ends_with("? help  q quit"), "{footer}");
    insta::assert_snapshot!(screen);
}
