//! The pipeline board against the simulators: what each stage runs, its branch's head,
//! behind and ahead, cells that could not be read, no GitHub, and the board after a
//! promotion.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use pftui::audit::{Actor, Channel, Journal};
use pftui::model::Address;
use pftui::model::pipeline::Stage;
use pftui::model::stages::{Board, Cell};
use pftui::ops::catalogue::TO;
use pftui::ops::{Confirmation, Kind, NO_GITHUB, Ops, Request, Session};
use pftui::settings::Settings;
use pftui::sim::{Fault, SimHandle};

struct Rig {
    sim: SimHandle,
    ops: Ops,
    _dir: tempfile::TempDir,
}

async fn rig(github: bool) -> Rig {
    let (sim, _) = common::sim(50.0).await;
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(common::connection(&sim, false, github)).unwrap();
    let settings = Settings::parse(
        "health: { tries: 3, interval: 0.1, timeout: 2 }\n",
        std::path::Path::new("test.yaml"),
    )
    .unwrap();
    let ops = Ops::new(
        session,
        settings,
        Journal::at(dir.path().join("audit.jsonl")),
    );
    Rig {
        sim,
        ops,
        _dir: dir,
    }
}

fn cell<'a>(board: &'a Board, project: &str, stage: Stage) -> &'a Cell {
    board
        .lanes
        .iter()
        .find(|l| l.project == project)
        .and_then(|l| l.cell(stage))
        .unwrap_or_else(|| panic!("no {project} {stage:?} cell in {board:#?}"))
}

fn runs(cell: &Cell) -> String {
    cell.running.clone().unwrap().unwrap().commit
}

#[tokio::test]
async fn each_stage_runs_its_branch_head_and_is_ahead_of_the_next() {
    let r = rig(true).await;
    let c = r.sim.control();
    let board = r.ops.pipeline_board().await.unwrap();
    assert!(board.notes.is_empty(), "{:?}", board.notes);
    let projects: Vec<&str> = board.lanes.iter().map(|l| l.project.as_str()).collect();
    assert_eq!(projects, ["AIR", "BAIV", "W4M"]);
    for lane in &board.lanes {
        assert_eq!(lane.repository, None, "one application per stage: one lane");
        let stages: Vec<Stage> = lane.cells.iter().map(|c| c.stage).collect();
        assert_eq!(stages, [Stage::Dev, Stage::Staging, Stage::Prod]);
    }
    for (stage, branch, next) in [
        (Stage::Dev, "develop", Some("staging")),
        (Stage::Staging, "staging", Some("prod")),
        (Stage::Prod, "main", None),
    ] {
        let cell = cell(&board, "AIR", stage);
        let head = c.branch_head("pfcore/pf-air", branch).unwrap();
        assert_eq!(cell.branch.as_deref(), Some(branch));
        assert_eq!(cell.head, Some(Ok(head.clone())));
        assert_eq!(runs(cell), head, "{stage:?} runs its branch's head");
        assert!(!cell.is_behind() && cell.behind.is_none());
        assert_eq!(cell.next.as_deref(), next);
        assert!(cell.problems().is_empty(), "{:?}", cell.problems());
    }
    // The demo's develop is 4 commits ahead of staging, staging 3 ahead of main.
    assert_eq!(cell(&board, "AIR", Stage::Dev).ahead, Some(Ok(4)));
    assert_eq!(cell(&board, "AIR", Stage::Staging).ahead, Some(Ok(3)));
    assert_eq!(cell(&board, "AIR", Stage::Prod).ahead, None);
    let prod = cell(&board, "AIR", Stage::Prod).running.clone().unwrap();
    assert!(prod.unwrap().at.is_some(), "the deployment's time is known");
}

#[tokio::test]
async fn after_a_promotion_staging_runs_the_merge_and_dev_has_nothing_to_promote() {
    let r = rig(true).await;
    let c = r.sim.control();
    let before = r.ops.pipeline_board().await.unwrap();
    let staging_before = runs(cell(&before, "AIR", Stage::Staging));

    let request =
        Request::new(Kind::Promote, Address::new("air", Some("dev"), None)).text(TO, "staging");
    let plan = r.ops.plan(&request).await.unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let outcome = r
        .ops
        .execute(
            &plan,
            &Confirmation::Yes,
            &Actor::local(Channel::Cli),
            true,
            &tx,
        )
        .await
        .unwrap();
    assert!(outcome.ok, "{outcome:?}");

    let after = r.ops.pipeline_board().await.unwrap();
    let staging = cell(&after, "AIR", Stage::Staging);
    let merged = c.branch_head("pfcore/pf-air", "staging").unwrap();
    assert_ne!(
        runs(staging),
        staging_before,
        "the promoted stage's commit moved"
    );
    assert_eq!(
        runs(staging),
        merged,
        "staging runs the merge of dev's commit"
    );
    assert!(!staging.is_behind());
    assert_eq!(
        cell(&after, "AIR", Stage::Dev).ahead,
        Some(Ok(0)),
        "staging has everything dev runs"
    );
    // Staging now holds dev's 4 commits and the merge on top of its 3.
    assert_eq!(staging.ahead, Some(Ok(3 + 4 + 1)));
    // The other projects did not move.
    assert_eq!(cell(&after, "BAIV", Stage::Dev).ahead, Some(Ok(4)));
}

#[tokio::test]
async fn a_stage_running_an_older_commit_than_its_branch_is_behind() {
    let r = rig(true).await;
    let c = r.sim.control();
    let running = c.branch_head("pfcore/pf-w4m", "develop").unwrap();
    // The push queues w4m-dev's deployment; the paused queue holds it.
    c.pause_queue(true);
    let (pushed, queued) = c
        .push_commit("pfcore/pf-w4m", "develop", "Fix the booking form")
        .unwrap();
    assert_eq!(queued.len(), 1);
    let board = r.ops.pipeline_board().await.unwrap();
    let dev = cell(&board, "W4M", Stage::Dev);
    assert_eq!(runs(dev), running);
    assert_eq!(dev.head, Some(Ok(pushed)));
    assert!(dev.is_behind());
    assert_eq!(dev.behind, Some(Ok(1)));
    assert_eq!(
        dev.ahead,
        Some(Ok(4)),
        "a promotion moves what runs, not the branch"
    );
    c.pause_queue(false);
}

#[tokio::test]
async fn a_part_that_cannot_be_read_is_its_cells_problem_only() {
    let r = rig(true).await;
    let c = r.sim.control();
    let tree = pftui::coolify::load_tree(&common::client_for(&r.sim, r.sim.token()))
        .await
        .unwrap();
    let baiv_staging = common::uuid_of(&tree, "baiv-staging");
    let not_found = serde_json::json!({ "message": "Not found." });
    c.inject_fault(Fault::json(
        &format!("/api/v1/deployments/applications/{baiv_staging}"),
        404,
        &not_found,
    ));
    c.inject_fault(Fault::json(
        "/github/repos/pfcore/pf-w4m/compare",
        404,
        &serde_json::json!({ "message": "Not Found" }),
    ));
    let board = r.ops.pipeline_board().await.unwrap();
    let baiv = cell(&board, "BAIV", Stage::Staging);
    assert!(baiv.running.is_err(), "{:?}", baiv.running);
    assert!(baiv.problems()[0].starts_with("what baiv-staging runs:"));
    // Without what staging runs, its promotion compares staging's branch.
    assert_eq!(baiv.ahead, Some(Ok(3)));
    let w4m = cell(&board, "W4M", Stage::Dev);
    assert!(matches!(&w4m.ahead, Some(Err(_))), "{:?}", w4m.ahead);
    assert!(w4m.running.is_ok() && matches!(w4m.head, Some(Ok(_))));
    // The rest of the board stands.
    assert_eq!(cell(&board, "AIR", Stage::Dev).ahead, Some(Ok(4)));
    assert!(cell(&board, "BAIV", Stage::Dev).problems().is_empty());
}

#[tokio::test]
async fn without_github_cells_have_their_branch_but_no_heads_and_one_note() {
    let r = rig(false).await;
    let board = r.ops.pipeline_board().await.unwrap();
    assert_eq!(board.notes, [NO_GITHUB]);
    let dev = cell(&board, "AIR", Stage::Dev);
    assert_eq!(dev.branch.as_deref(), Some("develop"));
    assert_eq!((&dev.head, &dev.behind, &dev.ahead), (&None, &None, &None));
    assert!(dev.running.as_ref().unwrap().is_some());
    assert!(board.lanes.iter().all(|l| l.cells.len() == 3));
}
