//! The deployments board against the simulator: every queued and running deployment with
//! where it runs, each application's recent ones, an unreadable history named without
//! failing the rest, and a read bounded however many applications the team has.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use pftui::audit::Journal;
use pftui::coolify::DeployRequest;
use pftui::model::DeploymentStatus;
use pftui::model::board::{Board, status_word};
use pftui::ops::{BoardLimits, Ops, Session};
use pftui::settings::Settings;
use pftui::sim::{Fault, SimConfig, SimHandle};

fn ops(sim: &SimHandle, dir: &tempfile::TempDir) -> Ops {
    let session = Session::open(common::connection(sim, false, false)).unwrap();
    Ops::new(
        session,
        Settings::default(),
        Journal::at(dir.path().join("audit.jsonl")),
    )
}

/// The distinct application histories the simulator was asked for.
fn histories_read(sim: &SimHandle) -> usize {
    sim.control()
        .requests()
        .iter()
        .filter(|(method, path)| {
            method == "GET" && path.starts_with("/api/v1/deployments/applications/")
        })
        .count()
}

#[tokio::test]
async fn the_board_puts_a_queued_deployment_first_and_names_an_unreadable_history() {
    let (sim, client) = common::sim(50.0).await;
    let dir = tempfile::tempdir().unwrap();
    let ops = ops(&sim, &dir);
    let tree = ops.overview(true).await.unwrap().tree;
    let (air, baiv) = (
        common::uuid_of(&tree, "air-staging"),
        common::uuid_of(&tree, "baiv-dev"),
    );
    sim.control().pause_queue(true);
    let queued = client.deploy(&DeployRequest::uuids([&air])).await.unwrap();
    let uuid = queued[0].deployment_uuid.clone().unwrap();
    sim.control().inject_fault(Fault::json(
        &format!("/api/v1/deployments/applications/{baiv}"),
        500,
        &serde_json::json!({"message": "Server Error"}),
    ));

    let read = ops
        .deployments_board(&tree, &[], BoardLimits::default())
        .await
        .unwrap();
    assert_eq!(read.applications, 9);
    assert_eq!(read.histories.len(), 9, "every application of a small team");
    assert_eq!(
        read.histories[0].app, air,
        "the deploying one is read first"
    );
    let failed: Vec<_> = read
        .histories
        .iter()
        .filter_map(|h| h.result.as_ref().err().map(|e| (h.application.as_str(), e)))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "baiv-dev");
    assert!(failed[0].1.contains("500"), "{}", failed[0].1);

    let mut board = Board::default();
    board.apply(read);
    let top = &board.rows()[0];
    assert_eq!(top.deployment.uuid, uuid);
    assert_eq!(top.deployment.status, DeploymentStatus::Queued);
    assert_eq!(
        (top.application.as_str(), top.place().as_str()),
        ("air-staging", "AIR/staging")
    );
    // The demo's history is there too, each deployment once, newest first after the
    // running ones.
    let rows = board.rows();
    assert!(rows.len() > 9, "{} rows", rows.len());
    assert_eq!(rows.iter().filter(|r| r.deployment.uuid == uuid).count(), 1);
    let finished: Vec<_> = rows
        .iter()
        .filter(|r| r.deployment.status.is_final())
        .map(|r| r.deployment.created_at)
        .collect();
    assert!(finished.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(
        rows.iter()
            .any(|r| status_word(&r.deployment.status) == "finished")
    );
    assert_eq!(board.coverage(), (8, 9));
    assert_eq!(board.unread().next().map(|(n, _)| n), Some("baiv-dev"));

    // It ends: the next read has it finished, no longer running.
    sim.control().pause_queue(false);
    common::follow(&client, &uuid).await;
    sim.control().clear_faults();
    let order = board.reading_order(&tree);
    assert_eq!(order[0], baiv, "the one never read comes first");
    board.apply(
        ops.deployments_board(&tree, &order, BoardLimits::default())
            .await
            .unwrap(),
    );
    let row = board
        .rows()
        .iter()
        .find(|r| r.deployment.uuid == uuid)
        .unwrap();
    assert!(row.deployment.status.is_final(), "{:?}", row.deployment);
    assert_eq!(board.coverage(), (9, 9));
    assert_eq!(board.unread().count(), 0);
}

#[tokio::test]
async fn a_large_team_is_read_a_bounded_number_of_applications_at_a_time() {
    let (sim, _) = common::sim_with(SimConfig {
        apps: Some(300),
        speed: 50.0,
        ..SimConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ops = ops(&sim, &dir);
    let tree = ops.overview(true).await.unwrap().tree;
    let limits = BoardLimits::default();
    let mut board = Board::default();
    board.apply(
        ops.deployments_board(&tree, &board.reading_order(&tree), limits)
            .await
            .unwrap(),
    );
    let apps = tree.applications().count();
    assert!(apps >= 100, "{apps} applications");
    assert_eq!(histories_read(&sim), limits.applications);
    assert_eq!(board.coverage(), (limits.applications, apps));
    // The next read takes the next ones, not the same again.
    board.apply(
        ops.deployments_board(&tree, &board.reading_order(&tree), limits)
            .await
            .unwrap(),
    );
    assert_eq!(histories_read(&sim), 2 * limits.applications);
    assert_eq!(board.coverage().0, 2 * limits.applications);
}
