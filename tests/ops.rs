//! The ops pipeline end to end against the simulator: plan, confirm, execute, follow,
//! health, result data and the audit journal.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use pftui::audit::{Actor, Channel, Journal};
use pftui::model::{Address, DeploymentStatus};
use pftui::ops::catalogue::{HEAD, OUT_OF_ORDER, TO};
use pftui::ops::{
    Confirmation, Connection, Kind, Ops, OpsError, Outcome, Progress, Request, Session, Verdict,
};
use pftui::secrets::{Credential, SecretString, Source};
use pftui::settings::Settings;
use pftui::sim::SimHandle;
use tokio::sync::mpsc;

struct Rig {
    sim: SimHandle,
    ops: Ops,
    journal: Journal,
    /// The server as the simulator answers it, for checking what an operation did.
    client: pftui::coolify::Client,
    _dir: tempfile::TempDir,
}

fn settings(extra: &str) -> Settings {
    let text = format!(
        "refresh: {{ interval: 1, while_deploying: 0.5 }}\nhealth: {{ tries: 3, interval: 0.1, timeout: 2 }}\n{extra}"
    );
    Settings::parse(&text, std::path::Path::new("test.yaml")).unwrap()
}

async fn rig_with(extra: &str, read_only: bool) -> Rig {
    rig_full(extra, read_only, true).await
}

async fn rig_full(extra: &str, read_only: bool, github: bool) -> Rig {
    let (sim, _) = common::sim(50.0).await;
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(Connection {
        read_only,
        health_via: Some(sim.health_base()),
        github: github.then(|| {
            (
                sim.github_url(),
                Credential {
                    value: SecretString::from(sim.github_token().to_string()),
                    source: Source::Flag,
                },
            )
        }),
        ..common::connection(&sim, "test")
    })
    .unwrap();
    let journal = Journal::at(dir.path().join("audit.jsonl"));
    let ops = Ops::new(session, settings(extra), journal.clone());
    let client =
        pftui::coolify::Client::new(&sim.coolify_url(), sim.token().to_string().into()).unwrap();
    Rig {
        sim,
        ops,
        journal,
        client,
        _dir: dir,
    }
}

async fn rig() -> Rig {
    rig_with("", false).await
}

fn scope(project: &str, env: &str, app: Option<&str>) -> Address {
    Address::new(project, Some(env), app)
}

fn deploy(project: &str, env: &str, app: Option<&str>) -> Request {
    Request::new(Kind::Deploy, scope(project, env, app))
}

/// Plan and execute with a confirmation, collecting the progress events.
async fn run(
    ops: &Ops,
    request: Request,
    confirmation: Confirmation,
) -> (Result<Outcome, OpsError>, Vec<Progress>) {
    let plan = ops.plan(&request).await.expect("plans");
    let (tx, mut rx) = mpsc::unbounded_channel();
    let result = ops
        .execute(&plan, &confirmation, &Actor::local(Channel::Cli), true, &tx)
        .await;
    drop(tx);
    let mut events = Vec::new();
    while let Some(e) = rx.recv().await {
        events.push(e);
    }
    (result, events)
}

fn audit(ops: &Ops) -> Vec<pftui::audit::Record> {
    ops.audit_tail(100).unwrap().0
}

#[tokio::test]
async fn a_deploy_streams_its_log_checks_health_and_is_audited() {
    let r = rig().await;
    let plan = r.ops.plan(&deploy("air", "staging", None)).await.unwrap();
    assert_eq!(plan.kind, Kind::Deploy);
    assert_eq!(plan.verdict, Verdict::Confirm);
    assert_eq!(plan.preview.cli, "pftui deploy air staging");
    assert!(
        plan.preview
            .undo
            .contains("pftui rollback air staging air-staging --to"),
        "{}",
        plan.preview.undo
    );
    let (result, events) = run(&r.ops, deploy("air", "staging", None), Confirmation::Yes).await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    let app = &outcome.apps[0];
    assert_eq!(
        app.deployment.as_ref().unwrap().status,
        DeploymentStatus::Finished
    );
    assert!(
        app.health.as_ref().is_some_and(|h| h.ok),
        "{:?}",
        app.health
    );
    assert!(app.before.is_some() && app.after.is_some());
    assert!(events.iter().any(|e| matches!(e, Progress::Lines { .. })));
    assert!(events.iter().any(|e| matches!(e, Progress::Health { .. })));
    let records = audit(&r.ops);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].operation, "deploy");
    assert_eq!(records[0].outcome, "succeeded");
    assert_eq!(records[0].target, "AIR/staging/air-staging");
    assert_eq!(
        records[0].deployments,
        [app.deployment.as_ref().unwrap().uuid.clone()]
    );
    let text = std::fs::read_to_string(r.journal.path()).unwrap();
    assert!(
        !text.contains(r.sim.token()),
        "the token never reaches the journal"
    );
}

#[tokio::test]
async fn a_failed_deploy_reports_its_last_lines_and_offers_what_ran_before() {
    let r = rig().await;
    let ran = r
        .ops
        .plan(&deploy("baiv", "staging", None))
        .await
        .unwrap()
        .current[0]
        .clone()
        .expect("the image running now");
    r.sim.control().fail_next_deployment("baiv-staging");
    let (result, _) = run(&r.ops, deploy("baiv", "staging", None), Confirmation::Yes).await;
    let outcome = result.unwrap();
    assert!(!outcome.ok);
    let app = &outcome.apps[0];
    assert_eq!(
        app.deployment.as_ref().unwrap().status,
        DeploymentStatus::Failed
    );
    assert!(!app.failure.tail.is_empty());
    assert!(app.health.is_none(), "no health check after a failed build");
    let back = app.rollback_to.clone().expect("a one-key rollback target");
    assert_eq!(
        back, ran,
        "what ran when the deploy began, even when the same commit failed"
    );
    assert_eq!(app.before.as_deref(), Some(ran.as_str()));
    assert!(audit(&r.ops)[0].outcome.starts_with("failed"));

    // The one-key rollback goes back to it.
    let request = Request::new(
        Kind::Rollback,
        scope("baiv", "staging", Some("baiv-staging")),
    )
    .text(TO, back.clone());
    let (result, _) = run(&r.ops, request, Confirmation::Yes).await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    assert_eq!(outcome.apps[0].after.as_deref(), Some(back.as_str()));
}

#[tokio::test]
async fn production_needs_the_typed_name_and_refusals_are_audited() {
    let r = rig().await;
    let plan = r.ops.plan(&deploy("w4m", "prod", None)).await.unwrap();
    assert_eq!(
        plan.verdict,
        Verdict::ConfirmTyped {
            expected: "prod".into()
        }
    );
    for wrong in [
        Confirmation::None,
        Confirmation::Yes,
        Confirmation::Typed("staging".into()),
    ] {
        let (result, _) = run(&r.ops, deploy("w4m", "prod", None), wrong).await;
        assert!(matches!(result, Err(OpsError::Refused(_))), "{result:?}");
    }
    let (result, _) = run(
        &r.ops,
        deploy("w4m", "prod", None),
        Confirmation::Typed("PROD".into()),
    )
    .await;
    assert!(result.unwrap().ok);
    let records = audit(&r.ops);
    assert_eq!(
        records
            .iter()
            .filter(|r| r.outcome.starts_with("refused"))
            .count(),
        3
    );
    assert_eq!(records.last().unwrap().outcome, "succeeded");
}

#[tokio::test]
async fn policy_deny_and_read_only_contexts_refuse() {
    let r = rig_with(
        "policy:\n  environments:\n    staging: { deploy: deny }\n",
        false,
    )
    .await;
    let plan = r.ops.plan(&deploy("air", "staging", None)).await.unwrap();
    assert!(matches!(plan.verdict, Verdict::Deny { .. }));
    let (result, _) = run(
        &r.ops,
        deploy("air", "staging", None),
        Confirmation::Typed("staging".into()),
    )
    .await;
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 3);
    assert!(
        err.to_string()
            .contains("denies deploy operations in staging"),
        "{err}"
    );

    let ro = rig_with("", true).await;
    let plan = ro
        .ops
        .plan(&Request::new(Kind::Restart, scope("air", "dev", None)))
        .await
        .unwrap();
    assert_eq!(
        plan.verdict,
        Verdict::Deny {
            reason: "context test is read-only".into()
        }
    );
}

#[tokio::test]
async fn restart_stop_start_and_cancel() {
    let r = rig_with(
        "policy:\n  defaults: { deploy: allow, destructive: allow, write: allow }\n",
        false,
    )
    .await;
    let (result, _) = run(
        &r.ops,
        Request::new(Kind::Restart, scope("air", "dev", Some("air-dev"))),
        Confirmation::None,
    )
    .await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    assert!(outcome.apps[0].deployment.as_ref().unwrap().restart_only);

    let (result, _) = run(
        &r.ops,
        Request::new(Kind::Stop, scope("air", "dev", Some("air-dev"))),
        Confirmation::None,
    )
    .await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    assert!(outcome.apps[0].note.as_deref().unwrap().contains("exited"));

    let (result, _) = run(
        &r.ops,
        Request::new(Kind::Start, scope("air", "dev", Some("air-dev"))),
        Confirmation::None,
    )
    .await;
    assert!(result.unwrap().ok);

    let (result, _) = run(
        &r.ops,
        Request::new(Kind::Restart, scope("baiv", "prod", Some("baiv-redis"))),
        Confirmation::Typed("prod".into()),
    )
    .await;
    assert!(result.unwrap().ok, "databases restart without a deployment");

    // Cancel: hold the queue so a deployment stays queued.
    r.sim.control().pause_queue(true);
    let plan = r.ops.plan(&deploy("w4m", "staging", None)).await.unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    r.ops
        .execute(
            &plan,
            &Confirmation::None,
            &Actor::local(Channel::Cli),
            false,
            &tx,
        )
        .await
        .unwrap();
    let (result, _) = run(
        &r.ops,
        Request::new(Kind::Cancel, scope("w4m", "staging", None)),
        Confirmation::None,
    )
    .await;
    let outcome = result.unwrap();
    assert_eq!(
        outcome.apps[0].deployment.as_ref().unwrap().status,
        DeploymentStatus::Cancelled
    );
    let err = r
        .ops
        .plan(&Request::new(Kind::Cancel, scope("w4m", "staging", None)))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no deployment of w4m-staging is queued or running"),
        "{err}"
    );
    let ops: Vec<String> = audit(&r.ops).into_iter().map(|r| r.operation).collect();
    assert_eq!(
        ops,
        ["restart", "stop", "start", "restart", "deploy", "cancel"]
    );
}

#[tokio::test]
async fn rollback_defaults_to_the_previous_image() {
    let r = rig().await;
    let plan = r
        .ops
        .plan(&Request::new(Kind::Rollback, scope("air", "prod", None)))
        .await
        .unwrap();
    let current = plan.current[0].clone().unwrap();
    let pftui::ops::Preview { cli, .. } = &plan.preview;
    assert!(
        cli.starts_with("pftui rollback air prod air-prod --to "),
        "{cli}"
    );
    assert!(!cli.ends_with(&current), "not the image running now");
    let (result, _) = run(
        &r.ops,
        Request::new(Kind::Rollback, scope("air", "prod", None)),
        Confirmation::Typed("prod".into()),
    )
    .await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    let d = outcome.apps[0].deployment.as_ref().unwrap();
    assert_eq!(d.trigger, pftui::model::Trigger::Rollback);
    assert_ne!(outcome.apps[0].after.as_deref(), Some(current.as_str()));
    let err = r
        .ops
        .plan(&Request::new(Kind::Rollback, scope("air", "prod", None)).text(TO, "0000000"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("has no image 0000000"), "{err}");
}

#[tokio::test]
async fn an_old_server_rolls_back_by_pinning_and_unpins_afterwards() {
    let r = rig().await;
    r.sim.control().set_version("4.2.0");
    let request = Request::new(Kind::Rollback, scope("air", "staging", Some("air-staging")));
    let plan = r.ops.plan(&request).await.unwrap();
    assert!(
        plan.preview
            .notes
            .iter()
            .any(|n| n.contains("pins git_commit_sha")),
        "{:?}",
        plan.preview.notes
    );
    let target = plan.preview.cli.rsplit(' ').next().unwrap().to_string();
    let (result, events) = run(&r.ops, request, Confirmation::Yes).await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    assert_eq!(
        outcome.apps[0].after.as_deref(),
        Some(target.as_str()),
        "the pinned commit was deployed"
    );
    let app = r
        .client
        .application(&outcome.apps[0].target.uuid)
        .await
        .unwrap();
    assert_eq!(
        app.app.and_then(|a| a.git_commit_sha).as_deref(),
        Some("HEAD"),
        "unpinned afterwards"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Progress::Note { text, .. } if text.contains("unpinned")))
    );
}

#[tokio::test]
async fn a_deploy_that_leaves_the_app_unhealthy_is_not_ok() {
    let r = rig().await;
    assert!(r.sim.control().fail_next_health("air-dev"));
    let (result, _) = run(&r.ops, deploy("air", "dev", None), Confirmation::Yes).await;
    let outcome = result.unwrap();
    let app = &outcome.apps[0];
    assert_eq!(
        app.deployment.as_ref().unwrap().status,
        DeploymentStatus::Finished
    );
    let health = app.health.as_ref().unwrap();
    assert!(!health.ok);
    assert_eq!(health.attempts, 3);
    assert!(!outcome.ok);
    assert!(
        app.rollback_to.is_some(),
        "a failed health check offers the rollback"
    );
}

fn promote(from: &str, to: &str) -> Request {
    Request::new(Kind::Promote, scope("air", from, None)).text(TO, to)
}

#[tokio::test]
async fn promotion_moves_commits_dev_to_staging_to_prod() {
    let r = rig().await;
    let c = r.sim.control();
    let plan = r.ops.plan(&promote("dev", "staging")).await.unwrap();
    assert_eq!(plan.verdict, Verdict::Confirm);
    assert!(
        !plan.preview.commits.is_empty(),
        "the preview lists the commits that move"
    );
    assert!(plan.preview.actions[0].starts_with("merge develop into staging on pfcore/pf-air"));
    assert_eq!(plan.preview.cli, "pftui promote air dev staging");
    let (result, events) = run(&r.ops, promote("dev", "staging"), Confirmation::Yes).await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    let staging = c.branch_head("pfcore/pf-air", "staging").unwrap();
    let app = &outcome.apps[0];
    assert_eq!(app.target.name, "air-staging");
    assert_eq!(
        app.after.as_deref(),
        Some(staging.as_str()),
        "staging deployed the merge"
    );
    let d = app.deployment.as_ref().unwrap();
    assert_eq!(
        d.trigger,
        pftui::model::Trigger::Webhook,
        "through Coolify's push webhook"
    );
    assert!(events.iter().any(|e| matches!(e, Progress::Note { text, .. } if text.starts_with("merged develop into staging"))));

    // staging -> prod: the name must be typed; pftui deploys prod itself.
    let plan = r.ops.plan(&promote("staging", "prod")).await.unwrap();
    assert_eq!(
        plan.verdict,
        Verdict::ConfirmTyped {
            expected: "prod".into()
        }
    );
    assert!(
        plan.preview
            .actions
            .iter()
            .any(|a| a.contains("pftui deploys air-prod"))
    );
    let (refused, _) = run(&r.ops, promote("staging", "prod"), Confirmation::Yes).await;
    assert!(matches!(refused, Err(OpsError::Refused(_))));
    assert_ne!(
        c.branch_head("pfcore/pf-air", "main").unwrap(),
        staging,
        "a refusal merges nothing"
    );
    let (result, _) = run(
        &r.ops,
        promote("staging", "prod"),
        Confirmation::Typed("prod".into()),
    )
    .await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    let main = c.branch_head("pfcore/pf-air", "main").unwrap();
    assert_eq!(
        outcome.apps[0].after.as_deref(),
        Some(main.as_str()),
        "the commit reached prod"
    );
    assert_eq!(
        outcome.apps[0].deployment.as_ref().unwrap().trigger,
        pftui::model::Trigger::Api
    );
    let ops: Vec<(String, String)> = audit(&r.ops)
        .into_iter()
        .map(|r| (r.operation, r.outcome))
        .collect();
    assert_eq!(ops.len(), 3);
    assert!(ops.iter().all(|(op, _)| op == "promote"));

    // Staging now holds everything develop has.
    let err = r.ops.plan(&promote("dev", "staging")).await.unwrap_err();
    assert!(err.to_string().contains("nothing to promote"), "{err}");
}

#[tokio::test]
async fn a_merge_conflict_changes_nothing() {
    let r = rig().await;
    let c = r.sim.control();
    assert!(c.make_conflict("pfcore/pf-air", "staging", "develop"));
    let before = c.branch_head("pfcore/pf-air", "staging").unwrap();
    let history = |ops: &Ops| {
        let ops = ops.clone();
        async move {
            let located = ops
                .locate(&scope("air", "staging", Some("air-staging")))
                .await
                .unwrap();
            ops.history(&located.resource.uuid, 1)
                .await
                .unwrap()
                .count
                .unwrap()
        }
    };
    let deployments = history(&r.ops).await;
    let (result, _) = run(&r.ops, promote("dev", "staging"), Confirmation::Yes).await;
    let err = result.unwrap_err();
    assert!(err.to_string().to_lowercase().contains("conflict"), "{err}");
    assert_eq!(c.branch_head("pfcore/pf-air", "staging").unwrap(), before);
    assert_eq!(history(&r.ops).await, deployments, "no deployment started");
    assert!(audit(&r.ops)[0].outcome.starts_with("error"));
}

#[tokio::test]
async fn without_github_promotion_redeploys_the_source_commit() {
    let r = rig_full("", false, false).await;
    let plan = r.ops.plan(&promote("dev", "staging")).await.unwrap();
    assert!(
        plan.preview
            .notes
            .iter()
            .any(|n| n.contains("no GitHub access")),
        "{:?}",
        plan.preview.notes
    );
    let dev = r
        .ops
        .locate(&scope("air", "dev", Some("air-dev")))
        .await
        .unwrap();
    let source = r
        .ops
        .rollback_choice(&dev.resource.uuid)
        .await
        .unwrap()
        .current
        .unwrap();
    let staging_head = r
        .sim
        .control()
        .branch_head("pfcore/pf-air", "staging")
        .unwrap();
    let (result, _) = run(&r.ops, promote("dev", "staging"), Confirmation::Yes).await;
    let outcome = result.unwrap();
    assert!(outcome.ok, "{outcome:?}");
    assert_eq!(
        outcome.apps[0].after.as_deref(),
        Some(source.as_str()),
        "staging runs dev's commit"
    );
    assert_eq!(
        r.sim
            .control()
            .branch_head("pfcore/pf-air", "staging")
            .unwrap(),
        staging_head,
        "the branches did not move"
    );
}

#[tokio::test]
async fn a_protected_branch_refuses_the_merge_and_nothing_changes() {
    let r = rig().await;
    let c = r.sim.control();
    assert!(c.protect_branch("pfcore/pf-air", "staging", true));
    let before = c.branch_head("pfcore/pf-air", "staging").unwrap();
    let (result, _) = run(&r.ops, promote("dev", "staging"), Confirmation::Yes).await;
    let err = result.unwrap_err();
    assert!(
        err.to_string().contains("Required status check"),
        "GitHub's reason is shown: {err}"
    );
    assert_eq!(c.branch_head("pfcore/pf-air", "staging").unwrap(), before);
}

/// Is `commit` already on `branch` of pf-air (per the simulated GitHub)?
async fn on_branch(r: &Rig, branch: &str, commit: &str) -> bool {
    let github =
        pftui::github::Client::new(&r.sim.github_url(), r.sim.github_token().to_string().into())
            .unwrap();
    github
        .compare("pfcore", "pf-air", branch, commit)
        .await
        .unwrap()
        .head_contained()
}

#[tokio::test]
async fn promotion_moves_what_the_source_runs_not_a_head_it_rolled_back_from() {
    let r = rig().await;
    let (result, _) = run(&r.ops, promote("dev", "staging"), Confirmation::Yes).await;
    assert!(result.unwrap().ok);
    let staging_head = r
        .sim
        .control()
        .branch_head("pfcore/pf-air", "staging")
        .unwrap();
    // Staging goes back to what it ran before; its branch keeps the promoted head.
    let back = Request::new(Kind::Rollback, scope("air", "staging", Some("air-staging")));
    let (result, _) = run(&r.ops, back, Confirmation::Yes).await;
    let runs = result.unwrap().apps[0].after.clone().unwrap();
    assert_ne!(runs, staging_head);

    let plan = r.ops.plan(&promote("staging", "prod")).await.unwrap();
    let short = |s: &str| s[..7].to_string();
    assert!(
        plan.preview.notes.iter().any(|n| n.contains(&format!(
            "air-staging runs {}, not the head of staging",
            short(&runs)
        ))),
        "{:?}",
        plan.preview.notes
    );
    assert!(
        plan.preview.actions[0].starts_with(&format!("merge {} (staging) into main", short(&runs))),
        "{:?}",
        plan.preview.actions
    );
    let head_plan = r
        .ops
        .plan(&promote("staging", "prod").flag(HEAD))
        .await
        .unwrap();
    assert!(head_plan.preview.actions[0].starts_with("merge staging into main"));
    assert!(
        head_plan
            .preview
            .notes
            .iter()
            .any(|n| n.starts_with("--head: promoting the head of staging"))
    );

    let (result, _) = run(
        &r.ops,
        promote("staging", "prod"),
        Confirmation::Typed("prod".into()),
    )
    .await;
    assert!(result.unwrap().ok);
    assert!(
        on_branch(&r, "main", &runs).await,
        "main has what staging runs"
    );
    assert!(
        !on_branch(&r, "main", &staging_head).await,
        "and not the commit staging was rolled back from"
    );
}

#[tokio::test]
async fn promotion_keeps_the_pipeline_order_and_nothing_to_promote_is_no_failure() {
    let r = rig().await;
    for (from, to, why) in [
        ("dev", "prod", "skips one"),
        ("prod", "staging", "goes back"),
        ("staging", "dev", "goes back"),
    ] {
        let err = r.ops.plan(&promote(from, to)).await.unwrap_err();
        assert!(matches!(err, OpsError::Invalid(_)), "{err}");
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains(why), "{err}");
        assert!(err.to_string().contains("--out-of-order"), "{err}");
    }
    let plan = r
        .ops
        .plan(&promote("dev", "prod").flag(OUT_OF_ORDER))
        .await
        .unwrap();
    assert!(
        plan.preview
            .notes
            .iter()
            .any(|n| n
                .starts_with("out of the pipeline's order: prod is not the environment after dev")),
        "{:?}",
        plan.preview.notes
    );

    let (result, _) = run(&r.ops, promote("dev", "staging"), Confirmation::Yes).await;
    assert!(result.unwrap().ok);
    let again = r.ops.plan(&promote("dev", "staging")).await.unwrap_err();
    assert!(matches!(again, OpsError::UpToDate(_)), "{again}");
    assert_eq!(again.exit_code(), 0);
    assert!(again.to_string().contains("nothing to promote"), "{again}");
}

/// The journal's lines as written.
fn journal_lines(r: &Rig) -> Vec<serde_json::Value> {
    std::fs::read_to_string(r.journal.path())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Start executing `request` in the background; returns its task and its progress.
fn start(
    r: &Rig,
    request: Request,
    confirmation: Confirmation,
) -> (
    tokio::task::JoinHandle<Result<Outcome, OpsError>>,
    mpsc::UnboundedReceiver<Progress>,
) {
    let ops = r.ops.clone();
    let (tx, rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        let plan = ops.plan(&request).await?;
        ops.execute(&plan, &confirmation, &Actor::local(Channel::Tui), true, &tx)
            .await
    });
    (task, rx)
}

/// Wait for the first deployment an operation starts.
async fn first_started(rx: &mut mpsc::UnboundedReceiver<Progress>) -> String {
    while let Some(p) = rx.recv().await {
        if let Progress::Started { deployment, .. } = p {
            return deployment;
        }
    }
    panic!("no deployment was started")
}

#[tokio::test]
async fn the_journal_records_the_start_before_any_change_and_the_end_under_one_id() {
    let r = rig().await;
    let (result, _) = run(&r.ops, deploy("air", "dev", None), Confirmation::Yes).await;
    assert!(result.unwrap().ok);
    let lines = journal_lines(&r);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["outcome"], "started");
    assert_eq!(lines[1]["outcome"], "succeeded");
    assert_eq!(lines[0]["id"], lines[1]["id"]);
    assert!(lines[0]["deployments"].is_null(), "nothing started yet");
    assert_eq!(audit(&r.ops).len(), 1, "read back as one operation");

    // Handed to Coolify and not followed: queued, not succeeded.
    let plan = r.ops.plan(&deploy("air", "staging", None)).await.unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    let outcome = r
        .ops
        .execute(
            &plan,
            &Confirmation::Yes,
            &Actor::local(Channel::Cli),
            false,
            &tx,
        )
        .await
        .unwrap();
    assert!(outcome.ok && outcome.apps[0].queued);
    let last = audit(&r.ops).pop().unwrap();
    assert_eq!(last.outcome, "queued");
    assert_eq!(last.deployments.len(), 1);
}

#[tokio::test]
async fn nothing_runs_when_the_journal_cannot_be_written() {
    let r = rig().await;
    let blocker = r._dir.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let ops = Ops::new(
        r.ops.session().clone(),
        r.ops.settings().clone(),
        Journal::at(blocker.join("audit.jsonl")),
    );
    let uuid = r
        .ops
        .locate(&scope("air", "dev", None))
        .await
        .unwrap()
        .resource
        .uuid;
    let count = || async { r.ops.history(&uuid, 1).await.unwrap().count };
    let before = count().await;
    let (result, events) = run(&ops, deploy("air", "dev", None), Confirmation::Yes).await;
    let err = result.unwrap_err();
    assert!(matches!(err, OpsError::Audit(_)), "{err}");
    assert_eq!(err.exit_code(), 2);
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(count().await, before, "no deployment was started");
}

#[tokio::test]
async fn an_operation_ended_before_its_outcome_is_recorded_as_interrupted() {
    let r = rig().await;
    r.sim.control().pause_queue(true);
    let (task, mut rx) = start(&r, deploy("air", "dev", None), Confirmation::Yes);
    let deployment = first_started(&mut rx).await;
    // As a console quitting, or a signal, drops the operation in flight.
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    let last = audit(&r.ops).pop().unwrap();
    assert!(last.outcome.starts_with("interrupted"), "{last:?}");
    assert_eq!(last.deployments, [deployment]);
    assert_eq!(journal_lines(&r).len(), 2, "started, then interrupted");
}

#[tokio::test]
async fn an_unreachable_server_mid_operation_is_retried_then_reported_unknown() {
    let r = rig_with("follow: { unreachable: 1.5 }", false).await;
    r.sim.control().pause_queue(true);
    let (task, mut rx) = start(&r, deploy("air", "dev", None), Confirmation::Yes);
    let deployment = first_started(&mut rx).await;
    r.sim.stop_listening().await;
    let outcome = task.await.unwrap().unwrap();
    r.sim.resume_listening().await.unwrap();
    assert!(!outcome.ok);
    let note = outcome.apps[0].note.clone().unwrap();
    assert!(
        note.contains("Coolify unreachable") && note.contains("the outcome is unknown"),
        "{note}"
    );
    assert!(
        note.contains(&deployment),
        "names the deployment to check: {note}"
    );
    let mut said = Vec::new();
    while let Ok(p) = rx.try_recv() {
        if let Progress::Note { text, .. } = p {
            said.push(text);
        }
    }
    assert!(
        said.iter()
            .any(|t| t.starts_with("Coolify unreachable, retrying")),
        "{said:?}"
    );
    let last = audit(&r.ops).pop().unwrap();
    assert!(last.outcome.starts_with("failed"), "{last:?}");
    assert_eq!(last.deployments, [deployment]);
}

#[tokio::test]
async fn following_stops_at_the_deadline_with_the_outcome_unknown() {
    let r = rig_with("follow: { deadline: 1 }", false).await;
    r.sim.control().pause_queue(true);
    let (result, _) = run(&r.ops, deploy("air", "dev", None), Confirmation::Yes).await;
    let outcome = result.unwrap();
    assert!(!outcome.ok);
    let app = &outcome.apps[0];
    let note = app.note.clone().unwrap();
    assert!(
        note.contains("still queued after") && note.contains("follow.deadline"),
        "{note}"
    );
    assert!(app.deployment.is_some(), "what it was at the last answer");
}
