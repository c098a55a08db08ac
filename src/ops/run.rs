//! Execution: carry out a confirmed plan, follow what it starts to its end, check health,
//! and record it in the audit journal.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde::Serialize;
use serde_json::json;
use tokio::sync::mpsc::UnboundedSender;

use super::catalogue::Kind;
use super::health::HealthReport;
use super::plan::{Plan, Step};
use super::policy::Confirmation;
use super::request::Target;
use super::{Ops, OpsError};
use crate::audit::{Actor, Record};
use crate::coolify::{
    ApplicationPatch, Client, CoolifyError, DeployRequest, Follower, Lifecycle, LineFormatter,
};
use crate::model::{Deployment, DeploymentStatus, LineKind, LogLine, ResourceKind, RunState};
use crate::secrets::ExposeSecret;

/// What happens while an operation runs, for whoever watches.
#[derive(Debug, Clone)]
pub enum Progress {
    Note {
        target: Option<String>,
        text: String,
    },
    /// A deployment was queued (or found running) for a target.
    Started { target: String, deployment: String },
    /// New log lines of a target's deployment (hidden ones included, flagged).
    Lines { target: String, lines: Vec<LogLine> },
    Status {
        target: String,
        status: DeploymentStatus,
    },
    Health {
        target: String,
        health: HealthReport,
    },
}

/// The result card of one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppOutcome {
    pub target: Target,
    /// The deployment that ran, at its end.
    pub deployment: Option<Deployment>,
    /// The commit that ran before, and the one that runs now.
    pub before: Option<String>,
    pub after: Option<String>,
    pub duration_secs: Option<i64>,
    /// The failing step's last lines.
    pub failure_tail: Vec<String>,
    pub health: Option<HealthReport>,
    /// Where a one-key rollback would go (the image that ran before), after a failure.
    pub rollback_to: Option<String>,
    pub ok: bool,
    pub note: Option<String>,
}

/// The result of an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub kind: Kind,
    pub ok: bool,
    pub summary: String,
    pub apps: Vec<AppOutcome>,
    pub duration_ms: u64,
    /// The audit journal could not be written.
    pub audit_error: Option<String>,
}

/// Lines kept per deployment for the failure tail.
const TAIL: usize = 12;

impl Ops {
    /// Run a plan once its confirmation satisfies the verdict. With `wait`, deployments are
    /// followed to their end and health-checked. The audit journal gets one record,
    /// whatever happens (refusals included).
    pub async fn execute(
        &self,
        plan: &Plan,
        confirmation: &Confirmation,
        actor: &Actor,
        wait: bool,
        progress: &UnboundedSender<Progress>,
    ) -> Result<Outcome, OpsError> {
        let started = Instant::now();
        if let Err(reason) = plan.verdict.check(confirmation) {
            let err = OpsError::Refused(reason);
            if let Some(audit) = self.audit(plan, actor, &format!("{err}"), &[], started) {
                tracing::error!(%audit, "audit journal");
            }
            return Err(err);
        }
        tracing::info!(op = %plan.kind, targets = %super::plan::names(&plan.targets), "executing");
        let result = self.run(plan, wait, progress).await;
        match result {
            Ok(apps) => {
                let ok = apps.iter().all(|a| a.ok);
                let summary = summarise(plan, &apps, wait);
                let deployments: Vec<String> = apps
                    .iter()
                    .filter_map(|a| a.deployment.as_ref().map(|d| d.uuid.clone()))
                    .collect();
                let outcome = if ok {
                    "succeeded".to_string()
                } else {
                    format!("failed: {summary}")
                };
                let audit_error = self.audit(plan, actor, &outcome, &deployments, started);
                Ok(Outcome {
                    kind: plan.kind,
                    ok,
                    summary,
                    apps,
                    duration_ms: started.elapsed().as_millis() as u64,
                    audit_error,
                })
            }
            Err(err) => {
                if let Some(audit) = self.audit(plan, actor, &format!("error: {err}"), &[], started)
                {
                    tracing::error!(%audit, "audit journal");
                }
                Err(err)
            }
        }
    }

    /// Append the audit record; the error text when that failed.
    fn audit(
        &self,
        plan: &Plan,
        actor: &Actor,
        outcome: &str,
        deployments: &[String],
        started: Instant,
    ) -> Option<String> {
        let record = Record {
            time: Timestamp::now(),
            context: self.session.context.clone(),
            actor: actor.clone(),
            operation: plan.kind.name().to_string(),
            target: super::plan::names_with_place(&plan.targets),
            parameters: parameters(plan),
            outcome: outcome.to_string(),
            deployments: deployments.to_vec(),
            duration_ms: started.elapsed().as_millis() as u64,
        };
        let token = self.session.coolify.token().expose_secret().to_string();
        self.journal
            .append(&record, &[token.as_str()])
            .err()
            .map(|e| e.to_string())
    }

    async fn run(
        &self,
        plan: &Plan,
        wait: bool,
        progress: &UnboundedSender<Progress>,
    ) -> Result<Vec<AppOutcome>, OpsError> {
        let client = &self.session.coolify;
        match &plan.step {
            Step::Deploy { force } => {
                let uuids = plan.targets.iter().map(|t| t.uuid.clone());
                let queued = client
                    .deploy(&DeployRequest::uuids(uuids).force(*force))
                    .await?;
                let queued = &queued;
                let runs = plan.targets.iter().enumerate().map(|(i, t)| async move {
                    let entry = queued
                        .iter()
                        .find(|q| q.resource_uuid.as_deref() == Some(t.uuid.as_str()));
                    let uuid = match entry.and_then(|q| q.deployment_uuid.clone()) {
                        Some(uuid) => Some(uuid),
                        None => running_deployment_of(client, t).await?,
                    };
                    if let Some(q) = entry.filter(|q| q.deduplicated) {
                        note(progress, Some(t), &q.message);
                    }
                    self.watch(t, uuid, Before::of(plan, i), wait, progress)
                        .await
                });
                collect(futures::future::join_all(runs).await)
            }
            Step::Restart | Step::Start => {
                let runs = plan.targets.iter().enumerate().map(|(i, t)| async move {
                    if t.kind != ResourceKind::Application {
                        let action = if plan.kind == Kind::Start {
                            Lifecycle::Start
                        } else {
                            Lifecycle::Restart
                        };
                        return self.lifecycle(t, action, wait, progress).await;
                    }
                    let queued = if plan.kind == Kind::Start {
                        client.start_application(&t.uuid, false, false).await?
                    } else {
                        client.restart_application(&t.uuid).await?
                    };
                    let uuid = match queued.deployment_uuid {
                        Some(uuid) if client.deployment(&uuid).await.is_ok() => Some(uuid),
                        _ => running_deployment_of(client, t).await?,
                    };
                    self.watch(t, uuid, Before::of(plan, i), wait, progress)
                        .await
                });
                collect(futures::future::join_all(runs).await)
            }
            Step::Stop => {
                let runs = plan
                    .targets
                    .iter()
                    .map(|t| self.lifecycle(t, Lifecycle::Stop, wait, progress));
                collect(futures::future::join_all(runs).await)
            }
            Step::Cancel(deployments) => {
                let mut out = Vec::new();
                for (i, uuid) in deployments {
                    let t = &plan.targets[*i];
                    let answer = client.cancel_deployment(uuid).await?;
                    note(
                        progress,
                        Some(t),
                        answer.message.as_deref().unwrap_or("cancelled"),
                    );
                    let deployment = client.deployment(uuid).await.ok();
                    out.push(AppOutcome {
                        ok: true,
                        note: answer.message,
                        deployment,
                        ..AppOutcome::empty(t.clone())
                    });
                }
                Ok(out)
            }
            Step::Rollback { tag, pin } => {
                let t = &plan.targets[0];
                let before = Before::of(plan, 0);
                let outcome = if *pin {
                    self.pinned_deploy(t, tag, before, wait, progress).await?
                } else {
                    let queued = client.rollback(&t.uuid, tag).await?;
                    let uuid = match queued.deployment_uuid {
                        Some(uuid) => Some(uuid),
                        None => running_deployment_of(client, t).await?,
                    };
                    self.watch(t, uuid, before, wait, progress).await?
                };
                Ok(vec![outcome])
            }
            Step::Promote(promotion) => self.run_promote(plan, promotion, wait, progress).await,
        }
    }

    /// Servers older than 4.3 have no rollback endpoint: pin the commit, deploy it, and
    /// unpin (back to `HEAD`) whatever happens, so later deploys follow the branch again.
    pub(crate) async fn pinned_deploy(
        &self,
        t: &Target,
        tag: &str,
        before: Before,
        wait: bool,
        progress: &UnboundedSender<Progress>,
    ) -> Result<AppOutcome, OpsError> {
        let client = &self.session.coolify;
        let pin = |sha: &str| ApplicationPatch {
            git_commit_sha: Some(sha.to_string()),
            ..ApplicationPatch::default()
        };
        note(
            progress,
            Some(t),
            &format!("pinning git_commit_sha to {tag}"),
        );
        client.update_application(&t.uuid, &pin(tag)).await?;
        let deployed = async {
            let queued = client
                .deploy(&DeployRequest::uuids([t.uuid.clone()]))
                .await?;
            let uuid = match queued.first().and_then(|q| q.deployment_uuid.clone()) {
                Some(uuid) => Some(uuid),
                None => running_deployment_of(client, t).await?,
            };
            // The pin must stay until the deployment has read it: follow it to its end.
            self.watch(t, uuid, before, true, progress).await
        }
        .await;
        let unpinned = client.update_application(&t.uuid, &pin("HEAD")).await;
        note(progress, Some(t), "unpinned git_commit_sha (back to HEAD)");
        let mut outcome = deployed?;
        if let Err(e) = unpinned {
            outcome.ok = false;
            outcome.note = Some(format!(
                "could not unpin git_commit_sha (set it back to HEAD by hand): {e}"
            ));
        }
        let _ = wait;
        Ok(outcome)
    }

    /// Follow a deployment to its end (with `wait`) and check the app's health.
    pub(crate) async fn watch(
        &self,
        t: &Target,
        uuid: Option<String>,
        before: Before,
        wait: bool,
        progress: &UnboundedSender<Progress>,
    ) -> Result<AppOutcome, OpsError> {
        let Some(uuid) = uuid else {
            return Ok(AppOutcome {
                ok: false,
                note: Some("Coolify queued nothing pftui could find to follow".into()),
                before: before.current,
                ..AppOutcome::empty(t.clone())
            });
        };
        let _ = progress.send(Progress::Started {
            target: t.name.clone(),
            deployment: uuid.clone(),
        });
        if !wait {
            let deployment = self.session.coolify.deployment(&uuid).await.ok();
            return Ok(AppOutcome {
                ok: true,
                deployment,
                before: before.current,
                note: Some("queued; not followed".into()),
                ..AppOutcome::empty(t.clone())
            });
        }
        let (deployment, tail) = follow(
            &self.session.coolify,
            &t.name,
            &uuid,
            self.poll_interval(),
            progress,
        )
        .await?;
        let finished = deployment.status == DeploymentStatus::Finished;
        let health = match (finished, self.health_url(t).await) {
            (true, Some(url)) => {
                let health = self.health.check(&url).await;
                let _ = progress.send(Progress::Health {
                    target: t.name.clone(),
                    health: health.clone(),
                });
                Some(health)
            }
            _ => None,
        };
        let ok = finished && health.as_ref().is_none_or(|h| h.ok);
        let after = deployment.commit.clone();
        Ok(AppOutcome {
            target: t.clone(),
            duration_secs: deployment.duration(Timestamp::now()).map(|d| d.as_secs()),
            failure_tail: if finished { Vec::new() } else { tail },
            rollback_to: (!ok).then(|| before.back_from(after.as_deref())).flatten(),
            before: before.current,
            after,
            health,
            ok,
            note: None,
            deployment: Some(deployment),
        })
    }

    async fn health_url(&self, t: &Target) -> Option<String> {
        let app = self.session.coolify.application(&t.uuid).await.ok()?;
        app.app?.health_url()
    }

    /// Start, stop or restart something without a deployment (databases, services, and
    /// stopping applications), then wait for its status to settle.
    async fn lifecycle(
        &self,
        t: &Target,
        action: Lifecycle,
        wait: bool,
        progress: &UnboundedSender<Progress>,
    ) -> Result<AppOutcome, OpsError> {
        let client = &self.session.coolify;
        let message = match (t.kind, action) {
            (ResourceKind::Application, _) => client.stop_application(&t.uuid).await?.message,
            (ResourceKind::Database, _) => client.database_action(&t.uuid, action).await?.message,
            (ResourceKind::Service, _) => client.service_action(&t.uuid, action).await?.message,
        };
        note(progress, Some(t), message.as_deref().unwrap_or("requested"));
        if !wait {
            return Ok(AppOutcome {
                ok: true,
                note: message,
                ..AppOutcome::empty(t.clone())
            });
        }
        let want_running = action != Lifecycle::Stop;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let status = match t.kind {
                ResourceKind::Application => client.application(&t.uuid).await?.status,
                ResourceKind::Database => client.database(&t.uuid).await?.status,
                ResourceKind::Service => client.service(&t.uuid).await?.status,
            };
            let settled = if want_running {
                status.state == RunState::Running
            } else {
                status.state == RunState::Exited
            };
            if settled || Instant::now() > deadline {
                note(progress, Some(t), &format!("status {status}"));
                return Ok(AppOutcome {
                    ok: settled,
                    note: Some(if settled {
                        format!("now {status}")
                    } else {
                        format!("still {status} after two minutes")
                    }),
                    ..AppOutcome::empty(t.clone())
                });
            }
            tokio::time::sleep(self.poll_interval()).await;
        }
    }
}

/// What a target ran before an operation, and the image before that.
#[derive(Debug, Clone, Default)]
pub(crate) struct Before {
    current: Option<String>,
    previous: Option<String>,
}

impl Before {
    pub(crate) fn of(plan: &Plan, i: usize) -> Self {
        Self {
            current: plan.current.get(i).cloned().flatten(),
            previous: plan.previous.get(i).cloned().flatten(),
        }
    }

    /// Where to go back after `failed` did not work: what ran before, or the image before
    /// that when the same commit was redeployed.
    fn back_from(&self, failed: Option<&str>) -> Option<String> {
        match &self.current {
            Some(c) if Some(c.as_str()) != failed => Some(c.clone()),
            _ => self.previous.clone(),
        }
    }
}

impl AppOutcome {
    #[cfg(test)]
    pub(crate) fn for_tests(target: Target) -> Self {
        Self::empty(target)
    }

    pub(crate) fn empty(target: Target) -> Self {
        Self {
            target,
            deployment: None,
            before: None,
            after: None,
            duration_secs: None,
            failure_tail: Vec::new(),
            health: None,
            rollback_to: None,
            ok: false,
            note: None,
        }
    }
}

/// Follow one deployment to its end, sending its new lines as progress; returns the final
/// deployment and the last visible lines (the failing step's tail when it failed).
pub async fn follow(
    client: &Client,
    name: &str,
    uuid: &str,
    poll: Duration,
    progress: &UnboundedSender<Progress>,
) -> Result<(Deployment, Vec<String>), OpsError> {
    let mut follower = Follower::new(client.clone(), uuid, poll);
    let mut formatter = LineFormatter::new(true);
    let mut tail: VecDeque<String> = VecDeque::with_capacity(TAIL);
    let mut last: Option<Deployment> = None;
    let mut withheld = false;
    while let Some(p) = follower.next().await? {
        if p.logs_withheld && !withheld {
            withheld = true;
            let _ = progress.send(Progress::Note {
                target: Some(name.to_string()),
                text: "Coolify withholds this deployment's log: the token needs 'read:sensitive' (or 'root')".into(),
            });
        }
        let lines = formatter.lines(&p.entries);
        for line in lines
            .iter()
            .filter(|l| !l.hidden && l.kind != LineKind::Command)
        {
            if tail.len() == TAIL {
                tail.pop_front();
            }
            tail.push_back(line.text.clone());
        }
        if !lines.is_empty() {
            let _ = progress.send(Progress::Lines {
                target: name.to_string(),
                lines,
            });
        }
        if last
            .as_ref()
            .is_none_or(|l| l.status != p.deployment.status)
        {
            let _ = progress.send(Progress::Status {
                target: name.to_string(),
                status: p.deployment.status.clone(),
            });
        }
        last = Some(p.deployment);
    }
    let deployment = last.ok_or_else(|| {
        OpsError::Coolify(CoolifyError::Decode {
            endpoint: format!("/deployments/{uuid}"),
            detail: "no answer while following".into(),
        })
    })?;
    Ok((deployment, tail.into()))
}

/// The queued or running deployment of an application, when Coolify did not say which
/// (a deduplicated request answers with a uuid it never stored).
async fn running_deployment_of(
    client: &Client,
    t: &Target,
) -> Result<Option<String>, CoolifyError> {
    let running = client.running_deployments().await?;
    Ok(running
        .into_iter()
        .find(|d| d.application_name.as_deref() == Some(t.name.as_str()))
        .map(|d| d.uuid))
}

fn note(progress: &UnboundedSender<Progress>, target: Option<&Target>, text: &str) {
    let _ = progress.send(Progress::Note {
        target: target.map(|t| t.name.clone()),
        text: text.to_string(),
    });
}

fn collect(results: Vec<Result<AppOutcome, OpsError>>) -> Result<Vec<AppOutcome>, OpsError> {
    results.into_iter().collect()
}

fn parameters(plan: &Plan) -> serde_json::Value {
    match &plan.step {
        Step::Deploy { force } => json!({ "force": force }),
        Step::Rollback { tag, pin } => json!({ "to": tag, "pinned": pin }),
        Step::Cancel(deployments) => {
            json!({ "deployments": deployments.iter().map(|(_, d)| d).collect::<Vec<_>>() })
        }
        Step::Restart | Step::Stop | Step::Start => json!({}),
        Step::Promote(p) => json!({
            "merges": p.merges.iter().map(|m| json!({"repository": m.repo.full_name(), "base": m.base, "head": m.head, "commits": m.commits})).collect::<Vec<_>>(),
            "redeploy": p.merges.is_empty(),
        }),
    }
}

fn summarise(plan: &Plan, apps: &[AppOutcome], wait: bool) -> String {
    let failed: Vec<&str> = apps
        .iter()
        .filter(|a| !a.ok)
        .map(|a| a.target.name.as_str())
        .collect();
    let followed = wait && apps.iter().any(|a| a.deployment.is_some());
    match (failed.is_empty(), followed) {
        (true, true) => format!("{} of {} finished and healthy", apps.len(), apps.len()),
        (true, false) => format!("{} done", plan.kind),
        (false, _) => format!("{} did not succeed: {}", failed.len(), failed.join(", ")),
    }
}
