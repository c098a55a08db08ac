//! Things that happen over time, scaled by the configured speed: deployments move from
//! `queued` to `in_progress` to a final status while their log grows; applications,
//! databases and services change status after start/stop/restart requests.

use std::sync::Arc;

use super::ids::Ts;
use super::logs::script::{self, Action, PICKUP_MS};
use super::shared::Shared;
use super::world::records::DeployStatus;
use super::world::{World, settle_status};

/// Start every queued deployment that may run now.
pub(crate) fn dispatch(shared: &Arc<Shared>) {
    let claimed = shared.world_mut().claim_startable();
    for dep in claimed {
        let s = shared.clone();
        shared.runtime.spawn(async move { run(s, dep).await });
    }
}

/// Start a deployment at once, outside the queue (`instant_deploy`); it must be claimed.
pub(crate) fn start_now(shared: &Arc<Shared>, dep: usize) {
    let s = shared.clone();
    shared.runtime.spawn(async move { run(s, dep).await });
}

/// Run `f` on the world after `ms` milliseconds of simulated time.
pub(crate) fn schedule<F>(shared: &Arc<Shared>, ms: u64, f: F)
where
    F: FnOnce(&mut World) + Send + 'static,
{
    let s = shared.clone();
    shared.runtime.spawn(async move {
        if s.sleep_sim(ms).await {
            f(&mut s.world_mut());
        }
    });
}

async fn run(shared: Arc<Shared>, dep: usize) {
    if !shared.sleep_sim(PICKUP_MS).await {
        return;
    }
    let steps = {
        let mut w = shared.world_mut();
        if w.deployments[dep].status != DeployStatus::Queued {
            w.deployments[dep].claimed = false;
            drop(w);
            dispatch(&shared);
            return;
        }
        let ctx = w.prepare_run(dep);
        script::steps(&ctx)
    };
    let mut new_container: Option<String> = None;
    for step in steps {
        if !shared.sleep_sim(step.delay_ms).await {
            return;
        }
        let finished = {
            let mut w = shared.world_mut();
            if w.deployments[dep].status == DeployStatus::Cancelled {
                break;
            }
            apply(&mut w, dep, step.action, &mut new_container)
        };
        if finished {
            dispatch(&shared);
        }
    }
    stamp_finished(&mut shared.world_mut(), dep);
    dispatch(&shared);
}

/// The job is over: `finished_at` is stamped after its last log line. The status turned
/// final a little earlier (before the error report and the helper's shutdown, as
/// Coolify's job sets it), so for a moment a final status has no `finished_at` yet.
fn stamp_finished(w: &mut World, dep: usize) {
    let d = &mut w.deployments[dep];
    if d.finished_at.is_none() && !d.status.is_active() {
        let now = Ts::now();
        d.finished_at = Some(now);
        d.updated_at = now;
    }
}

/// Apply one step; true when the deployment just reached its final status.
fn apply(w: &mut World, dep: usize, action: Action, new_container: &mut Option<String>) -> bool {
    let now = Ts::now();
    let app = w.deployments[dep].app;
    match action {
        Action::Start { worker, job_id } => {
            let d = &mut w.deployments[dep];
            d.status = DeployStatus::InProgress;
            d.claimed = false;
            d.horizon_job_worker = Some(worker);
            d.horizon_job_id = Some(job_id);
            d.updated_at = now;
        }
        Action::Log(mut entry) => {
            entry.timestamp = now;
            w.append_log(dep, entry);
        }
        Action::ResolveCommit(sha) => {
            let d = &mut w.deployments[dep];
            d.commit = sha;
            d.updated_at = now;
        }
        Action::CommitMessage(message) => {
            w.deployments[dep].commit_message = Some(message);
        }
        Action::ProcessId(pid) => {
            w.deployments[dep].current_process_id = Some(pid);
        }
        Action::AppStarting => {
            w.apps[app].status = "starting:unknown".into();
        }
        Action::ContainerStarted(name) => {
            *new_container = Some(name);
        }
        Action::Finish { success, built } => {
            let commit = w.deployments[dep].commit.clone();
            let before = w.deployments[dep].status_before.clone();
            {
                let d = &mut w.deployments[dep];
                d.status = if success {
                    DeployStatus::Finished
                } else {
                    DeployStatus::Failed
                };
                d.updated_at = now;
            }
            if success {
                if built {
                    w.keep_image(app, &commit, now);
                }
                let sick = w.fail_health_next.remove(&app);
                let a = &mut w.apps[app];
                a.current_commit = Some(commit);
                if let Some(c) = new_container.take() {
                    a.container = Some(c);
                }
                a.container_started_at = Some(now);
                a.health_failing = sick;
                a.status = match (a.health_check_enabled, sick) {
                    (true, false) => "running:healthy".into(),
                    (true, true) => "running:unhealthy".into(),
                    (false, _) => "running:unknown".into(),
                };
                a.updated_at = now;
            } else {
                let a = &mut w.apps[app];
                a.status = settle_status(before.as_deref().unwrap_or("exited:unhealthy"));
            }
            return true;
        }
    }
    false
}

/// The container statuses a start/stop/restart request passes through.
pub(crate) enum Transition {
    Start,
    Stop,
    Restart,
}

/// Timed status changes of a database or service after an action.
pub(crate) fn transition_status(
    shared: &Arc<Shared>,
    kind: Transition,
    service: bool,
    set: fn(&mut World, usize, &str),
    idx: usize,
) {
    let (first, final_status, first_ms, final_ms) = match kind {
        Transition::Start => (
            if service {
                "starting:unhealthy"
            } else {
                "starting:unknown"
            },
            "running:healthy",
            300,
            4_000,
        ),
        Transition::Stop => (
            "running:healthy",
            if service {
                "exited"
            } else {
                "exited:unhealthy"
            },
            0,
            2_500,
        ),
        Transition::Restart => ("restarting:unknown", "running:healthy", 300, 5_000),
    };
    if first_ms > 0 {
        schedule(shared, first_ms, move |w| set(w, idx, first));
    }
    schedule(shared, final_ms, move |w| set(w, idx, final_status));
}
