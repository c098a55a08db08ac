//! The config view through `update`: `C` and `:config` open it on an environment and read
//! its diff, the answer is shown with its origins, the keys scroll, `a` plans the apply
//! (only here), an operation's end reads it again, answers for another context or
//! environment are dropped; snapshots at two sizes.

use crossterm::event::KeyCode;
use serde_json::json;

use crate::model::{Address, Setting};
use crate::ops::{
    AppDiff, ConfigDiff, EnvChange, EnvChangeKind, Kind, MASK, Outcome, Request, SettingChange,
    Verdict,
};
use crate::tui::fixture::{self, key, screen as text, typed};
use crate::tui::msg::{Effect, Msg};
use crate::tui::overlay::{Card, Overlay};
use crate::tui::state::{Screen, State};
use crate::tui::update::update;

fn read_of(air_dev: &str) -> Effect {
    let (project, environment) = air_dev.split_once('/').expect("project/env");
    Effect::LoadConfigDiff {
        project: project.into(),
        environment: environment.into(),
    }
}

fn env(key: &str, change: EnvChangeKind, have: Option<&str>, want: Option<&str>) -> EnvChange {
    EnvChange {
        key: key.into(),
        change,
        have: have.map(Into::into),
        want: want.map(Into::into),
        secret: None,
        is_literal: false,
        is_multiline: false,
        origin: (change != EnvChangeKind::Extra).then(|| "instances/air.instance.yaml:1".into()),
        env_uuids: Vec::new(),
    }
}

/// AIR/dev: air-dev has two settings and three variables to write and one extra (a value
/// with an escape sequence in it, as a server could send); air-ep-dev is not on the server.
fn diff() -> ConfigDiff {
    let mut secret = env("SUPABASE_SERVICE_KEY", EnvChangeKind::Add, None, Some(MASK));
    secret.secret = Some("supabase_service_key".into());
    secret.origin = Some("pf-core.config.yaml:24".into());
    let air = AppDiff {
        application: "air-dev".into(),
        target: "air".into(),
        uuid: Some("app-air-dev".into()),
        settings: vec![
            SettingChange {
                setting: Setting::HealthCheckInterval,
                have: Some(json!(5)),
                want: json!(30),
                origin: "pf-core.config.yaml:14".into(),
            },
            SettingChange {
                setting: Setting::LimitsMemory,
                have: Some(json!("256M")),
                want: json!("768M"),
                origin: "instances/air.instance.yaml:13".into(),
            },
        ],
        envs: vec![
            env("APP_ENV", EnvChangeKind::Add, None, Some("development")),
            env(
                "APP_URL",
                EnvChangeKind::Change,
                Some("https://old.air\u{1b}[2J.pfcore.io"),
                Some("https://dev.air.pfcore.io"),
            ),
            secret,
            env("NODE_ENV", EnvChangeKind::Extra, Some("development"), None),
        ],
        notes: vec![],
    };
    let ep = AppDiff {
        application: "air-ep-dev".into(),
        target: "air/ep".into(),
        uuid: None,
        settings: vec![],
        envs: vec![],
        notes: vec![
            "air-ep-dev is not on the server: provisioning creates it; apply leaves it out".into(),
        ],
    };
    ConfigDiff {
        project: "AIR".into(),
        environment: "dev".into(),
        prune: false,
        apps: vec![air, ep],
    }
}

/// AIR/dev after the apply: air-dev has everything (its extra kept), air-ep-dev still missing.
fn applied() -> ConfigDiff {
    let mut diff = diff();
    diff.apps[0].settings.clear();
    diff.apps[0]
        .envs
        .retain(|e| e.change == EnvChangeKind::Extra);
    diff
}

fn in_sync() -> ConfigDiff {
    let mut diff = applied();
    diff.apps.truncate(1);
    diff
}

fn answer(
    state: &mut State,
    (context, place): (&str, &str),
    result: Result<ConfigDiff, String>,
) -> Vec<Effect> {
    let (project, environment) = place.split_once('/').expect("project/env");
    update(
        state,
        Msg::ConfigDiff {
            context: context.into(),
            project: project.into(),
            environment: environment.into(),
            result: result.map(Box::new),
        },
    )
}

/// The view opened on AIR/dev (the fixture's selection is air-dev) with `result` read.
fn opened(size: (u16, u16), result: Result<ConfigDiff, String>) -> State {
    let mut state = fixture::state(size);
    assert_eq!(key(&mut state, KeyCode::Char('C')), [read_of("AIR/dev")]);
    answer(&mut state, ("pfcore", "AIR/dev"), result);
    state
}

#[test]
fn c_opens_the_view_of_the_selected_environment_and_reads_it() {
    let mut state = fixture::state((120, 40));
    assert_eq!(key(&mut state, KeyCode::Char('C')), [read_of("AIR/dev")]);
    assert_eq!(state.screen, Screen::Config);
    let screen = text(&state);
    assert!(screen.contains("Config · AIR/dev · reading…"), "{screen}");
    assert!(screen.contains("comparing the platform configuration"));
    assert!(
        key(&mut state, KeyCode::Char('r')).is_empty(),
        "one read at a time"
    );
    answer(&mut state, ("pfcore", "AIR/dev"), Ok(diff()));
    assert!(!text(&state).contains("reading…"));
    assert_eq!(key(&mut state, KeyCode::Char('r')), [read_of("AIR/dev")]);
    answer(&mut state, ("pfcore", "AIR/dev"), Ok(diff()));
    // `C` and Esc go back to the tree; `:config` opens the selection's, or the one named.
    key(&mut state, KeyCode::Char('C'));
    assert_eq!(state.screen, Screen::Tree);
    typed(&mut state, ":config");
    assert_eq!(key(&mut state, KeyCode::Enter), [read_of("AIR/dev")]);
    assert_eq!(state.screen, Screen::Config);
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.screen, Screen::Tree);
    typed(&mut state, ":config baiv staging");
    assert_eq!(key(&mut state, KeyCode::Enter), [read_of("baiv/staging")]);
    assert!(text(&state).contains("Config · baiv/staging"));
    assert!(
        state.config.diff.is_none(),
        "another environment's diff is gone"
    );
    // Without an environment selected there is nothing to compare.
    key(&mut state, KeyCode::Esc);
    key(&mut state, KeyCode::Char('g'));
    assert!(key(&mut state, KeyCode::Char('C')).is_empty());
    assert_eq!(state.screen, Screen::Tree);
    assert!(fixture::flashed(&state).contains("select an environment"));
}

#[test]
fn the_diff_shows_each_change_with_where_its_value_is_written() {
    let state = opened((120, 40), Ok(diff()));
    let screen = text(&state);
    for wanted in [
        "≠ 5 changes to apply: a applies them (variables the configuration does not name are kept)",
        "≠ 1 application the configuration names is not on the server: provisioning creates it",
        "air-dev (air) · 5 changes",
        "~ health_check_interval",
        "5 -> 30",
        "~ limits_memory",
        "256M -> 768M",
        "instances/air.instance.yaml:13",
        "+ APP_ENV",
        "development",
        "~ APP_URL",
        "https://dev.air.pfcore.io",
        "+ SUPABASE_SERVICE_KEY",
        "•••••• (secret supabase_service_key)",
        "pf-core.config.yaml:24",
        "NODE_ENV",
        "not in the configuration: kept",
        "air-ep-dev (air/ep) · not on the server",
        "note: air-ep-dev is not on the server: provisioning creates it",
    ] {
        assert!(screen.contains(wanted), "{wanted} in\n{screen}");
    }
    assert!(
        !screen.contains('\u{1b}'),
        "the server's escape is shown as text"
    );
    let limits = screen
        .lines()
        .find(|l| l.contains("limits_memory"))
        .unwrap_or_default();
    assert!(
        limits
            .trim_end_matches('┃')
            .trim_end()
            .ends_with("instances/air.instance.yaml:13"),
        "the origin ends the row: {limits}"
    );
}

#[test]
fn in_sync_errors_and_stale_rows_are_said() {
    let mut state = opened((120, 40), Ok(in_sync()));
    let screen = text(&state);
    assert!(
        screen.contains("✓ in sync: it has what the platform configuration gives it"),
        "{screen}"
    );
    assert!(screen.contains("air-dev (air) · in sync"), "{screen}");
    key(&mut state, KeyCode::Char('r'));
    answer(
        &mut state,
        ("pfcore", "AIR/dev"),
        Err("cannot connect to https://coolify.pfcore.io".into()),
    );
    let screen = text(&state);
    assert!(
        screen.contains("not refreshed: cannot connect"),
        "the last diff stays: {screen}"
    );
    assert!(screen.contains("✓ in sync"));
    let state = opened(
        (120, 40),
        Err("no platform configuration: pass --config-dir".into()),
    );
    let screen = text(&state);
    assert!(
        screen.contains("no platform configuration: pass --config-dir (r tries again)"),
        "{screen}"
    );
}

/// The diff with as many extras on the server as make it longer than a screen.
fn long() -> ConfigDiff {
    let mut diff = diff();
    let extras = (1..=12).map(|n| {
        let key = format!("LEGACY_{n}");
        env(&key, EnvChangeKind::Extra, Some("x"), None)
    });
    diff.apps[0].envs.extend(extras);
    diff
}

#[test]
fn the_moving_keys_scroll_within_the_view() {
    let mut state = opened((80, 24), Ok(long()));
    let most = super::max_scroll(state.config_look());
    assert!(most > 0, "the diff is longer than 24 rows allow");
    assert!(text(&state).contains("line 1 of"));
    key(&mut state, KeyCode::Char('j'));
    assert_eq!(state.config.scroll, 1);
    key(&mut state, KeyCode::Char('G'));
    assert_eq!(state.config.scroll, most);
    assert!(text(&state).contains("note: air-ep-dev"));
    key(&mut state, KeyCode::Char('j'));
    assert_eq!(state.config.scroll, most, "not past the end");
    key(&mut state, KeyCode::Char('k'));
    assert_eq!(state.config.scroll, most - 1);
    key(&mut state, KeyCode::Char('g'));
    assert_eq!(state.config.scroll, 0);
    assert_eq!(state.tree.selected, 3, "the tree's selection did not move");
    // A shorter diff read later brings the scroll back within it.
    key(&mut state, KeyCode::Char('G'));
    key(&mut state, KeyCode::Char('r'));
    answer(&mut state, ("pfcore", "AIR/dev"), Ok(in_sync()));
    assert_eq!(state.config.scroll, 0);
}

#[test]
fn a_plans_the_apply_of_the_views_environment_and_only_there() {
    let mut state = opened((120, 40), Ok(diff()));
    let effects = key(&mut state, KeyCode::Char('a'));
    let wanted = Request::new(Kind::ConfigApply, Address::new("AIR", Some("dev"), None));
    assert_eq!(effects, [Effect::Plan(wanted)]);
    assert!(matches!(
        state.overlays.top(),
        Some(Overlay::Card(Card::Planning { title })) if title == "Planning config apply of AIR/dev"
    ));
    state.overlays.close();
    // In the tree `a` is the agent's key, never an apply.
    key(&mut state, KeyCode::Esc);
    let effects = key(&mut state, KeyCode::Char('a'));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Plan(_))),
        "{effects:?}"
    );
    assert!(state.agent.open);
}

#[test]
fn the_view_reads_again_when_an_operation_ends() {
    let mut state = opened((120, 40), Ok(diff()));
    let done = |state: &mut State| {
        let id = state.operations.next_id();
        let plan = fixture::deploy_plan(Verdict::Confirm, "dev");
        state.operations.start(id.clone(), &plan, state.now);
        let result = Ok(Box::new(Outcome {
            kind: Kind::ConfigApply,
            ok: true,
            summary: "applied".into(),
            apps: vec![],
            duration_ms: 1,
            audit_error: None,
        }));
        Msg::OpDone { id, result }
    };
    let msg = done(&mut state);
    assert!(update(&mut state, msg).contains(&read_of("AIR/dev")));
    // Ending while a read is in flight: that read may be from before, so one more follows.
    let msg = done(&mut state);
    assert!(!update(&mut state, msg).contains(&read_of("AIR/dev")));
    assert_eq!(
        answer(&mut state, ("pfcore", "AIR/dev"), Ok(diff())),
        [read_of("AIR/dev")]
    );
    assert!(answer(&mut state, ("pfcore", "AIR/dev"), Ok(applied())).is_empty());
    assert!(text(&state).contains("air-dev (air) · in sync"));
    // Off screen, nothing is read.
    state.overlays.close();
    key(&mut state, KeyCode::Esc);
    let msg = done(&mut state);
    assert!(!update(&mut state, msg).contains(&read_of("AIR/dev")));
}

#[test]
fn answers_for_another_context_or_environment_are_dropped() {
    let mut state = fixture::state((120, 40));
    key(&mut state, KeyCode::Char('C'));
    answer(&mut state, ("other", "AIR/dev"), Ok(diff()));
    assert!(state.config.diff.is_none() && state.config.loading);
    // Another environment opened while the first read was in flight.
    key(&mut state, KeyCode::Esc);
    typed(&mut state, ":config w4m prod");
    assert_eq!(key(&mut state, KeyCode::Enter), [read_of("w4m/prod")]);
    answer(&mut state, ("pfcore", "AIR/dev"), Ok(diff()));
    assert!(state.config.diff.is_none() && state.config.loading);
    answer(&mut state, ("pfcore", "W4M/prod"), Ok(in_sync()));
    assert!(state.config.diff.is_some(), "names match in any case");
}

#[test]
fn help_and_footer_list_the_views_keys() {
    let mut state = opened((120, 40), Ok(diff()));
    let footer = text(&state).lines().last().unwrap_or_default().to_string();
    for hint in ["move", "a apply", "C tree", "command", "? help"] {
        assert!(footer.contains(hint), "{hint} in {footer}");
    }
    key(&mut state, KeyCode::Char('?'));
    let screen = text(&state);
    assert!(screen.contains("Keys in the config view"), "{screen}");
    assert!(
        screen.contains("apply the platform configuration to the environment"),
        "{screen}"
    );
    assert!(!screen.contains("ask the agent"), "{screen}");
}

#[test]
fn config_view_120x40() {
    let state = opened((120, 40), Ok(diff()));
    insta::assert_snapshot!(text(&state));
}

#[test]
fn config_view_80x24() {
    let mut state = opened((80, 24), Ok(long()));
    key(&mut state, KeyCode::Char('j'));
    let screen = text(&state);
    let footer = screen.lines().last().unwrap_or_default();
    assert!(footer.ends_with("? help  q quit"), "{footer}");
    insta::assert_snapshot!(screen);
}

#[test]
fn config_view_in_sync_120x40() {
    let state = opened((120, 40), Ok(in_sync()));
    insta::assert_snapshot!(text(&state));
}

#[test]
fn config_view_error_80x24() {
    let state = opened(
        (80, 24),
        Err("the platform configuration has no instance AIR; it has baiv, w4m".into()),
    );
    insta::assert_snapshot!(text(&state));
}
