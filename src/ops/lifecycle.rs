//! Restart, stop and start: applications restart and start through a deployment that is
//! followed like any other; databases, services and stopping go through Coolify's lifecycle
//! actions and are watched until their status settles.

use std::time::{Duration, Instant};

use super::catalogue::Kind;
use super::outcome::{AppOutcome, Reporter};
use super::plan::{Plan, Preview, Step, capitalised, names};
use super::request::{Request, Target};
use super::watch::{collect, note};
use super::{Ops, OpsError};
use crate::coolify::Lifecycle;
use crate::model::{ResourceKind, RunState};

/// How long a resource gets to reach the status asked for.
const SETTLE: Duration = Duration::from_secs(120);

impl Ops {
    /// Restart, stop or start the named resource, or every application of the environment.
    pub(crate) async fn plan_lifecycle(
        &self,
        request: &Request,
        step: Step,
    ) -> Result<Plan, OpsError> {
        let kind = request.kind;
        let scoped = self.scoped(request.address()?).await?;
        let current = self.current_images(&scoped.targets).await;
        let actions = scoped
            .resources
            .iter()
            .map(|r| match step {
                Step::Restart => format!(
                    "restart {} (same image; a short outage is possible)",
                    r.name
                ),
                Step::Stop => format!("stop {}: it stays down until started again", r.name),
                _ => format!("start {}", r.name),
            })
            .collect();
        let opposite = match step {
            Step::Stop => Some(Kind::Start),
            Step::Start => Some(Kind::Stop),
            _ => None,
        };
        let undo = match opposite {
            Some(other) => format!(
                "{}: {}",
                kind.spec().undo,
                request.then(other).command_line()
            ),
            None => kind.spec().undo.to_string(),
        };
        Ok(Plan {
            kind,
            environment: scoped.environment.clone(),
            verdict: self.verdict(&scoped.environment, kind),
            preview: Preview {
                title: format!(
                    "{} {} in {}/{}",
                    capitalised(kind),
                    names(&scoped.targets),
                    scoped.project,
                    scoped.environment
                ),
                actions,
                commits: Vec::new(),
                undo,
                cli: request.command_line(),
                notes: Vec::new(),
            },
            targets: scoped.targets,
            current,
            step,
        })
    }

    /// Restart or start applications through a deployment; everything else (databases,
    /// services, stopping) through a lifecycle action.
    pub(crate) async fn run_lifecycle(
        &self,
        plan: &Plan,
        action: Lifecycle,
        wait: bool,
        progress: &Reporter<'_>,
    ) -> Result<Vec<AppOutcome>, OpsError> {
        let client = &self.session.coolify;
        let runs = plan.targets.iter().enumerate().map(|(i, t)| async move {
            let queued = match (t.kind, action) {
                (ResourceKind::Application, Lifecycle::Start) => {
                    client.start_application(&t.uuid, false, false).await?
                }
                (ResourceKind::Application, Lifecycle::Restart) => {
                    client.restart_application(&t.uuid).await?
                }
                _ => return self.settle(t, action, wait, progress).await,
            };
            let uuid = match queued.deployment_uuid {
                Some(uuid) if client.deployment(&uuid).await.is_ok() => Some(uuid),
                _ => self.running_deployment_of(t).await?,
            };
            self.watch(t, uuid, plan.ran_before(i), wait, progress)
                .await
        });
        collect(futures::future::join_all(runs).await)
    }

    /// Ask for a lifecycle action (databases, services, and stopping applications), then
    /// with `wait` watch the status until it settles.
    async fn settle(
        &self,
        t: &Target,
        action: Lifecycle,
        wait: bool,
        progress: &Reporter<'_>,
    ) -> Result<AppOutcome, OpsError> {
        let client = &self.session.coolify;
        let message = match t.kind {
            ResourceKind::Application => client.stop_application(&t.uuid).await?.message,
            ResourceKind::Database => client.database_action(&t.uuid, action).await?.message,
            ResourceKind::Service => client.service_action(&t.uuid, action).await?.message,
        };
        note(
            progress,
            Some(&t.name),
            message.as_deref().unwrap_or("requested"),
        );
        if !wait {
            return Ok(AppOutcome {
                ok: true,
                note: message,
                ..AppOutcome::empty(t.clone())
            });
        }
        let want_running = action != Lifecycle::Stop;
        let deadline = Instant::now() + SETTLE;
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
                note(progress, Some(&t.name), &format!("status {status}"));
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
