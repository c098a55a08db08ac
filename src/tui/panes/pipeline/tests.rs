//! The pipeline pane through `update`: opening and reading, moving, `Enter` into the tree,
//! the promotion `p` asks for, reloading after an operation; and how it is drawn.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::model::Address;
use crate::model::pipeline::Stage;
use crate::model::stages::Board;
use crate::model::stages::{Cell, Lane, Read, Running};
use crate::ops::Kind;
use crate::ops::catalogue::TO;
use crate::ops::{Outcome, Request};
use crate::tui::fixture::{self, at};
use crate::tui::msg::Effect;
use crate::tui::msg::Msg;
use crate::tui::outline::NodeId;
use crate::tui::overlay::{Card, Overlay};
use crate::tui::snapshot::render;
use crate::tui::state::{Pane, Screen, State};
use crate::tui::update::update;

fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
    update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn keys(state: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| press(state, KeyCode::Char(c)))
        .collect()
}

fn sha(c: char) -> String {
    c.to_string().repeat(40)
}

fn runs(commit: char, minutes_ago: i64) -> Read<Option<Running>> {
    Ok(Some(Running {
        commit: sha(commit),
        at: Some(at(minutes_ago)),
    }))
}

/// One project's dev, staging and prod: (what runs, head, behind, ahead) each.
type Stages = [(
    Read<Option<Running>>,
    Option<Read<String>>,
    Option<Read<u64>>,
    Option<Read<u64>>,
); 3];

fn lane(project: &str, stages: Stages) -> Lane {
    let envs = ["dev", "staging", "prod"];
    let branches = ["develop", "staging", "main"];
    let cells = stages
        .into_iter()
        .enumerate()
        .map(|(i, (running, head, behind, ahead))| {
            let app = format!("{}-{}", project.to_lowercase(), envs[i]);
            Cell {
                stage: STAGES[i],
                environment: envs[i].into(),
                uuid: format!("app-{app}"),
                app,
                running,
                branch: Some(branches[i].into()),
                head,
                behind,
                next: envs.get(i + 1).map(|e| e.to_string()),
                ahead,
            }
        })
        .collect();
    Lane {
        project: project.into(),
        repository: None,
        cells,
    }
}

/// AIR: dev ahead of staging; staging behind its branch and ahead of prod; prod at its
/// head. BAIV: what dev runs could not be read, staging never deployed. W4M: GitHub
/// could not say where staging's branch is.
pub(super) fn board() -> Board {
    let head = |c: char| Some(Ok(sha(c)));
    Board {
        lanes: vec![
            lane(
                "AIR",
                [
                    (runs('a', 42), head('a'), None, Some(Ok(4))),
                    (runs('b', 600), head('c'), Some(Ok(2)), Some(Ok(3))),
                    (runs('d', 4000), head('d'), None, None),
                ],
            ),
            lane(
                "BAIV",
                [
                    (
                        Err("Coolify answered 500".into()),
                        head('e'),
                        None,
                        Some(Ok(1)),
                    ),
                    (Ok(None), head('f'), None, Some(Ok(0))),
                    (runs('f', 90), head('f'), None, None),
                ],
            ),
            lane(
                "W4M",
                [
                    (runs('1', 5), head('1'), None, Some(Ok(0))),
                    (
                        runs('2', 300),
                        Some(Err("GitHub answered 502".into())),
                        None,
                        Some(Ok(2)),
                    ),
                    (runs('3', 2000), head('3'), None, None),
                ],
            ),
        ],
        notes: vec!["AIR/qa is not a pipeline stage (dev, staging, prod): not shown".into()],
    }
}

/// The console on the pipeline view with the fixture board read.
fn opened(size: (u16, u16)) -> State {
    let mut state = fixture::state(size);
    assert_eq!(keys(&mut state, "P"), [Effect::LoadPipeline]);
    update(
        &mut state,
        Msg::Pipeline {
            context: "pfcore".into(),
            result: Ok(Box::new(board())),
        },
    );
    state
}

fn text(state: &State) -> String {
    render(state, state.size.0, state.size.1, false)
}

#[test]
fn p_opens_the_view_and_reads_the_board_and_goes_back() {
    let mut state = fixture::state((120, 40));
    assert_eq!(keys(&mut state, "P"), [Effect::LoadPipeline]);
    assert_eq!(state.screen, Screen::Pipeline);
    assert!(state.pipeline.loading() && state.animating());
    assert!(
        text(&state).contains("reading every stage"),
        "{}",
        text(&state)
    );
    // A second read is not asked for while one is under way.
    assert_eq!(keys(&mut state, "r"), []);
    // A board of another context (switched meanwhile) is not this one's.
    update(
        &mut state,
        Msg::Pipeline {
            context: "other".into(),
            result: Ok(Box::new(board())),
        },
    );
    assert!(state.pipeline.board().is_none() && state.pipeline.loading());
    update(
        &mut state,
        Msg::Pipeline {
            context: "pfcore".into(),
            result: Err("cannot connect to https://coolify.pfcore.io".into()),
        },
    );
    let screen = text(&state);
    assert!(
        screen.contains("could not read the pipeline: cannot connect"),
        "{screen}"
    );
    assert_eq!(
        keys(&mut state, "r"),
        [Effect::LoadPipeline],
        "r tries again"
    );
    update(
        &mut state,
        Msg::Pipeline {
            context: "pfcore".into(),
            result: Ok(Box::new(board())),
        },
    );
    assert_eq!(keys(&mut state, "P"), []);
    assert_eq!(state.screen, Screen::Tree);
    // The palette opens it too, and reads the board again.
    keys(&mut state, ":pipeline");
    assert_eq!(press(&mut state, KeyCode::Enter), [Effect::LoadPipeline]);
    assert_eq!(state.screen, Screen::Pipeline);
}

#[test]
fn hjkl_move_between_rows_and_stages_within_the_board() {
    let mut state = opened((120, 40));
    let at = |s: &State| (s.pipeline.row(), s.pipeline.stage());
    assert_eq!(at(&state), (0, Stage::Dev));
    keys(&mut state, "h");
    assert_eq!(at(&state), (0, Stage::Dev), "not before dev");
    keys(&mut state, "llll");
    assert_eq!(at(&state), (0, Stage::Prod), "not past prod");
    keys(&mut state, "jjjj");
    assert_eq!(at(&state), (2, Stage::Prod), "not past the last row");
    keys(&mut state, "kh");
    assert_eq!(at(&state), (1, Stage::Staging));
    assert_eq!(
        state.pipeline.selected().map(|c| c.app.as_str()),
        Some("baiv-staging")
    );
    keys(&mut state, "g");
    assert_eq!(at(&state), (0, Stage::Staging));
    keys(&mut state, "G");
    assert_eq!(at(&state), (2, Stage::Staging));
    // The arrows are the same keys; the tree's selection did not move.
    let tree_selected = state.tree.selected;
    press(&mut state, KeyCode::Up);
    press(&mut state, KeyCode::Left);
    assert_eq!(at(&state), (1, Stage::Dev));
    assert_eq!(state.tree.selected, tree_selected);
    // A new board keeps the selection within it.
    let mut smaller = board();
    smaller.lanes.truncate(1);
    update(
        &mut state,
        Msg::Pipeline {
            context: "pfcore".into(),
            result: Ok(Box::new(smaller)),
        },
    );
    assert_eq!(at(&state), (0, Stage::Dev));
}

#[test]
fn p_asks_for_the_promotion_from_the_cells_stage_to_the_next() {
    let mut state = opened((120, 40));
    keys(&mut state, "jl");
    let effects = keys(&mut state, "p");
    let wanted = Request::new(Kind::Promote, Address::parse("BAIV/staging")).text(TO, "prod");
    assert_eq!(effects, [Effect::Plan(wanted)]);
    assert!(matches!(
        state.overlays.top(),
        Some(Overlay::Card(Card::Planning { title })) if title.contains("BAIV/staging with prod")
    ));
    // From prod there is nowhere to go.
    state.overlays.close();
    keys(&mut state, "l");
    assert_eq!(keys(&mut state, "p"), []);
    assert!(state.overlays.is_empty());
    let flash = state
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default();
    assert!(flash.contains("prod is the last stage of BAIV"), "{flash}");
}

#[test]
fn enter_selects_the_cells_application_in_the_tree_even_collapsed_or_filtered() {
    let mut state = opened((120, 40));
    state.tree.collapsed.insert(NodeId::Project("p-W4M".into()));
    state.tree.filter = "air".into();
    state.rebuild_rows();
    keys(&mut state, "jjl");
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(state.screen, Screen::Tree);
    assert_eq!(state.focus, Pane::Left);
    assert_eq!(state.selected_app(), Some("app-w4m-staging"));
    assert!(state.tree.filter.is_empty(), "the filter hid it");
    assert!(
        matches!(&effects[..], [Effect::RecentAfter(app, _)] if app == "app-w4m-staging"),
        "its deployments are read as for any selection: {effects:?}"
    );
}

#[test]
fn the_board_is_read_again_after_an_operation_while_it_is_on_screen() {
    let mut state = opened((120, 40));
    // An operation started here ends.
    let done = |state: &mut State| {
        let id = state.operations.next_id();
        let plan = fixture::deploy_plan(crate::ops::Verdict::Confirm, "dev");
        state.operations.start(id.clone(), &plan, state.now);
        let result = Ok(Box::new(Outcome {
            kind: Kind::Promote,
            ok: true,
            summary: "promoted".into(),
            apps: vec![],
            duration_ms: 1,
            audit_error: None,
        }));
        Msg::OpDone { id, result }
    };
    let msg = done(&mut state);
    assert!(update(&mut state, msg).contains(&Effect::LoadPipeline));
    assert!(state.pipeline.loading());
    update(
        &mut state,
        Msg::Pipeline {
            context: "pfcore".into(),
            result: Ok(Box::new(board())),
        },
    );
    state.overlays.close();
    keys(&mut state, "P");
    assert_eq!(state.screen, Screen::Tree);
    let msg = done(&mut state);
    assert!(!update(&mut state, msg).contains(&Effect::LoadPipeline));
}

#[test]
fn pipeline_view_120x40() {
    let mut state = opened((120, 40));
    keys(&mut state, "l");
    insta::assert_snapshot!(text(&state));
}

#[test]
fn pipeline_view_80x24() {
    let mut state = opened((80, 24));
    keys(&mut state, "jh");
    let screen = text(&state);
    let footer = screen.lines().last().unwrap_or_default();
    assert!(footer.ends_with("? help  q quit"), "{footer}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_cell_says_behind_and_to_promote_and_the_details_say_it_in_full() {
    let mut state = opened((120, 40));
    keys(&mut state, "l");
    let screen = text(&state);
    for wanted in [
        "↓2 behind",
        "→3 to promote",
        "→4 to promote",
        "✓ up to date",
        "? not read",
        "no deployment yet",
        "air-staging runs bbbbbbb, deployed 10h00m ago; staging is at ccccccc: 2 commits behind",
        "p promotes staging → prod: 3 commits",
        "AIR/qa is not a pipeline stage",
    ] {
        assert!(screen.contains(wanted), "{wanted} in\n{screen}");
    }
    keys(&mut state, "jj");
    let screen = text(&state);
    assert!(
        screen.contains("the head of staging: GitHub answered 502"),
        "{screen}"
    );
}

/// `project/env`'s comparison: `changes` settings to write, or in sync.
fn compared(place: &str, changes: usize) -> crate::tui::msg::Compared {
    use crate::ops::{AppDiff, ConfigDiff, SettingChange};
    let (project, environment) = place.split_once('/').expect("project/env");
    let setting = SettingChange {
        setting: crate::model::Setting::LimitsMemory,
        have: Some("256M".into()),
        want: "768M".into(),
        origin: "instances/air.instance.yaml:13".into(),
    };
    let app = AppDiff {
        application: format!("{}-{environment}", project.to_lowercase()),
        target: project.to_lowercase(),
        uuid: Some("app".into()),
        settings: vec![setting; changes],
        envs: vec![],
        notes: vec![],
    };
    crate::tui::msg::Compared {
        project: project.into(),
        environment: environment.into(),
        result: Ok(ConfigDiff {
            project: project.into(),
            environment: environment.into(),
            prune: false,
            apps: vec![app],
        }),
    }
}

fn drift(state: &mut State, context: &str, result: Option<Vec<crate::tui::msg::Compared>>) {
    let msg = Msg::Drift {
        context: context.into(),
        result,
    };
    assert!(update(state, msg).is_empty());
}

/// The board read, then AIR's environments compared: staging drifted, dev in sync, prod
/// could not be compared.
fn drifted(size: (u16, u16)) -> State {
    let mut state = opened(size);
    let mut prod = compared("AIR/prod", 0);
    prod.result = Err("Coolify answered 500".into());
    let air = vec![compared("AIR/dev", 0), compared("AIR/staging", 3), prod];
    drift(&mut state, "pfcore", Some(air));
    state
}

#[test]
fn the_boards_environments_are_compared_with_the_configuration_after_the_board() {
    let mut state = fixture::state((120, 40));
    keys(&mut state, "P");
    let effects = update(
        &mut state,
        Msg::Pipeline {
            context: "pfcore".into(),
            result: Ok(Box::new(board())),
        },
    );
    let places: Vec<(String, String)> = ["AIR", "BAIV", "W4M"]
        .iter()
        .flat_map(|p| ["dev", "prod", "staging"].map(|e| (p.to_string(), e.to_string())))
        .collect();
    assert_eq!(effects, [Effect::LoadDrift(places)]);
    // Another context's comparison is not this one's.
    drift(&mut state, "other", Some(vec![compared("AIR/dev", 2)]));
    assert!(state.pipeline.drift.is_empty());
    drift(&mut state, "pfcore", Some(vec![compared("AIR/dev", 2)]));
    assert!(text(&state).contains("≠ config"));
    // Without a platform configuration the board is not compared again.
    drift(&mut state, "pfcore", None);
    assert!(!text(&state).contains("≠ config"));
    let effects = keys(&mut state, "r");
    assert_eq!(effects, [Effect::LoadPipeline]);
    let effects = update(
        &mut state,
        Msg::Pipeline {
            context: "pfcore".into(),
            result: Ok(Box::new(board())),
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn drifted_cells_are_marked_and_c_opens_the_cells_config_view() {
    let mut state = drifted((120, 40));
    let screen = text(&state);
    assert_eq!(screen.matches("≠ config").count(), 1, "{screen}");
    assert_eq!(screen.matches("config ?").count(), 1, "{screen}");
    keys(&mut state, "l");
    let screen = text(&state);
    assert!(
        screen.contains("≠ the platform configuration differs: 3 changes to apply (C shows them)"),
        "{screen}"
    );
    keys(&mut state, "h");
    assert!(text(&state).contains("✓ it has what the platform configuration gives it"));
    keys(&mut state, "ll");
    assert!(text(&state).contains("could not compare with the platform configuration: Coolify"));
    keys(&mut state, "h");
    let wanted = Effect::LoadConfigDiff {
        project: "AIR".into(),
        environment: "staging".into(),
    };
    assert_eq!(keys(&mut state, "C"), [wanted]);
    assert_eq!(state.screen, Screen::Config);
    assert!(text(&state).contains("Config · AIR/staging"));
}

#[test]
fn pipeline_view_with_drift_120x40() {
    let mut state = drifted((120, 40));
    keys(&mut state, "l");
    insta::assert_snapshot!(text(&state));
}
