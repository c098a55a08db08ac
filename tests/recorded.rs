//! Answers shaped like those recorded from real Coolify servers (v4.0 betas to Cloud
//! 4.3.x), planted in the simulator: pftui reads each for what it is, shows everything it
//! was given, and says what it could not read without losing the rest.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use common::binary::{against, run, text};
use common::{sim, uuid_of};
use pftui::coolify::{Client, load_scope, load_tree};
use pftui::model::DeploymentLog;
use pftui::sim::Fault;
use serde_json::{Value, json};

/// A deployment of `app` as `GET /deployments/{uuid}` sends it, trimmed of the embedded
/// application; `logs` as given (`None` leaves the key out).
fn deployment(app: &(String, u64), uuid: &str, status: &str, logs: Option<Value>) -> Value {
    let mut d = json!({
        "id": 4107,
        "application_id": app.1.to_string(),
        "deployment_uuid": uuid,
        "pull_request_id": 0,
        "force_rebuild": false,
        "commit": "HEAD",
        "status": status,
        "is_webhook": false,
        "is_api": true,
        "created_at": "2026-11-30T09:12:01.000000Z",
        "updated_at": "2026-11-30T09:12:01.000000Z",
        "current_process_id": null,
        "restart_only": false,
        "git_type": null,
        "server_id": 0,
        "application_name": app.0,
        "server_name": "localhost",
        "deployment_url": format!("/project/p/environment/e/application/a/deployment/{uuid}"),
        "destination_id": "0",
        "only_this_server": false,
        "rollback": false,
        "commit_message": null,
        "finished_at": null,
    });
    if let Some(logs) = logs {
        d["logs"] = logs;
    }
    d
}

/// `air-dev`'s name and Coolify id (which `GET /applications` leaves out; an
/// environment's own answer has it).
async fn air_dev(client: &Client) -> (String, u64) {
    let tree = load_scope(client, "air", &["dev"]).await.unwrap();
    let (_, _, r) = tree
        .resources()
        .find(|(_, _, r)| r.name == "air-dev")
        .unwrap();
    (r.name.clone(), r.id.unwrap())
}

#[tokio::test]
async fn a_queued_deployment_has_no_log_yet_and_only_a_missing_key_is_withheld() {
    let (sim, client) = sim(50.0).await;
    let air = air_dev(&client).await;
    let path = |uuid: &str| format!("/api/v1/deployments/{uuid}");
    sim.control().inject_fault(Fault::json(
        &path("q-null"),
        200,
        &deployment(&air, "q-null", "queued", Some(Value::Null)),
    ));
    sim.control().inject_fault(Fault::json(
        &path("q-absent"),
        200,
        &deployment(&air, "q-absent", "queued", None),
    ));

    let (d, log) = client.deployment_with_log("q-null").await.unwrap();
    assert_eq!((d.uuid.as_str(), log), ("q-null", DeploymentLog::NotYet));
    let (_, log) = client.deployment_tail("q-null", 10, false).await.unwrap();
    assert_eq!(log, DeploymentLog::NotYet);
    let (_, log) = client.deployment_with_log("q-absent").await.unwrap();
    assert_eq!(log, DeploymentLog::Withheld);
    let (_, log) = client.deployment_tail("q-absent", 10, false).await.unwrap();
    assert_eq!(log, DeploymentLog::Withheld);

    let home = tempfile::tempdir().unwrap();
    let logs = |uuid: &str| {
        let mut cmd = against(&home, &sim, sim.token());
        cmd.args(["logs", "air", "dev", "air-dev", "--deployment", uuid]);
        run(cmd)
    };
    let out = logs("q-null").await;
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no log yet"), "{stderr}");
    assert!(!stderr.contains("read:sensitive"), "{stderr}");
    assert!(
        text(&out.stdout).contains("queued"),
        "{}",
        text(&out.stdout)
    );
    let out = logs("q-absent").await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("read:sensitive"));
}

#[tokio::test]
async fn doctor_is_not_fooled_by_a_log_not_written_yet() {
    let (sim, client) = sim(50.0).await;
    let air = air_dev(&client).await;
    let queued = deployment(&air, "q-null", "queued", Some(Value::Null));
    let mut listed = queued.clone();
    listed.as_object_mut().unwrap().remove("logs");
    sim.control().inject_fault(Fault::json(
        "/api/v1/deployments/applications/",
        200,
        &json!({"count": 1, "deployments": [listed]}),
    ));
    sim.control()
        .inject_fault(Fault::json("/api/v1/deployments/q-null", 200, &queued));
    let abilities = client.probe_abilities().await.unwrap();
    assert_eq!(abilities.sensitive, pftui::model::Ability::Yes);
}

#[tokio::test]
async fn a_log_that_is_not_entries_fails_nothing_that_needs_only_the_status() {
    let (sim, client) = sim(50.0).await;
    let air = air_dev(&client).await;
    let mut scrubbed = deployment(&air, "d-scrubbed", "finished", Some(json!("[scrubbed]")));
    scrubbed["finished_at"] = json!("2026-11-30T09:14:40.000000Z");
    sim.control().inject_fault(Fault::json(
        "/api/v1/deployments/d-scrubbed",
        200,
        &scrubbed,
    ));

    let polls = common::follow(&client, "d-scrubbed").await;
    let last = polls.last().unwrap();
    assert!(last.is_final());
    assert!(
        matches!(&last.log, DeploymentLog::Unreadable(why) if why.contains("not in Coolify's format")),
        "{:?}",
        last.log
    );

    // `logs` says what it got instead of a log.
    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["logs", "air", "dev", "--deployment", "d-scrubbed"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not in Coolify's format"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn not_found_names_the_object_and_the_request_and_exits_2() {
    let (sim, client) = sim(50.0).await;
    let err = client.deployment("no-such-deployment").await.unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("deployment 'no-such-deployment'")
            && message.contains("GET /deployments/no-such-deployment"),
        "{message}"
    );

    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["logs", "air", "dev", "--deployment", "no-such-deployment"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("deployment 'no-such-deployment'"));
}

#[tokio::test]
async fn logs_refuses_another_applications_deployment() {
    let (sim, client) = sim(50.0).await;
    let tree = load_tree(&client).await.unwrap();
    let baiv = uuid_of(&tree, "baiv-dev");
    let theirs = client.deployment_history(&baiv, 0, 1).await.unwrap();
    let theirs = &theirs.deployments[0].uuid;

    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["logs", "air", "dev", "--deployment", theirs]);
    let out = run(cmd).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("baiv-dev") && stderr.contains(theirs.as_str()),
        "{stderr}"
    );
    assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));
}

#[tokio::test]
async fn stop_and_start_can_return_without_waiting() {
    // At a twentieth of real speed a stop settles in about a minute and a start's
    // deployment runs for minutes: what the CLI leaves behind shows it did not wait.
    let (sim, client) = sim(0.05).await;
    let tree = load_tree(&client).await.unwrap();
    let air = uuid_of(&tree, "air-dev");
    let home = tempfile::tempdir().unwrap();
    let op = |op: &str| {
        let mut cmd = against(&home, &sim, sim.token());
        cmd.args([op, "air", "dev", "--no-wait", "--yes", "--confirm", "dev"]);
        run(cmd)
    };

    let out = op("stop").await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stdout).contains("now exited"),
        "{}",
        text(&out.stdout)
    );
    let status = client.application(&air).await.unwrap().status;
    assert_eq!(status.as_str(), "running:healthy");

    let out = op("start").await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let running = client.running_deployments().await.unwrap();
    assert!(
        running
            .iter()
            .any(|d| d.application_name.as_deref() == Some("air-dev")),
        "{running:?}"
    );
}
