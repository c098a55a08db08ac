//! Deploy: build and start an environment's applications (or one) from their branch head,
//! then follow each deployment to its end and check its health.

use super::catalogue::{FORCE, Kind};
use super::outcome::{AppOutcome, Reporter};
use super::plan::{Plan, Preview, Step, capitalised, names, undo_by_rollback};
use super::request::Request;
use super::watch::{collect, note};
use super::{Ops, OpsError};
use crate::coolify::DeployRequest;
use crate::model::{Resource, ResourceKind, short_sha};

impl Ops {
    pub(crate) async fn plan_deploy(&self, request: &Request) -> Result<Plan, OpsError> {
        let force = request.has_flag(FORCE);
        let scoped = self.scoped(request.address()?).await?;
        if let Some(r) = scoped
            .resources
            .iter()
            .find(|r| r.kind != ResourceKind::Application)
        {
            return Err(OpsError::Nothing(format!(
                "{} is a {}: deploy applications, or start/restart it",
                r.name,
                r.kind.as_str()
            )));
        }
        let current = self.current_images(&scoped.targets).await;
        let actions = scoped
            .resources
            .iter()
            .map(|r| {
                format!(
                    "build and start {} from {}{}",
                    r.name,
                    source_of(r),
                    if force {
                        ", without the build cache"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        Ok(Plan {
            kind: Kind::Deploy,
            environment: scoped.environment.clone(),
            verdict: self.verdict(&scoped.environment, Kind::Deploy),
            preview: Preview {
                title: format!(
                    "{} {} in {}/{}",
                    capitalised(Kind::Deploy),
                    names(&scoped.targets),
                    scoped.project,
                    scoped.environment
                ),
                actions,
                commits: Vec::new(),
                undo: format!(
                    "roll back to what runs now: {}",
                    undo_by_rollback(&scoped.targets, &current)
                ),
                cli: request.command_line(),
                notes: Vec::new(),
            },
            targets: scoped.targets,
            current,
            step: Step::Deploy { force },
        })
    }

    pub(crate) async fn run_deploy(
        &self,
        plan: &Plan,
        force: bool,
        wait: bool,
        progress: &Reporter<'_>,
    ) -> Result<Vec<AppOutcome>, OpsError> {
        let uuids = plan.targets.iter().map(|t| t.uuid.clone());
        let queued = self
            .session
            .coolify
            .deploy(&DeployRequest::uuids(uuids).force(force))
            .await?;
        let queued = &queued;
        let runs = plan.targets.iter().enumerate().map(|(i, t)| async move {
            let entry = queued
                .iter()
                .find(|q| q.resource_uuid.as_deref() == Some(t.uuid.as_str()));
            let uuid = match entry.and_then(|q| q.deployment_uuid.clone()) {
                Some(uuid) => Some(uuid),
                None => self.running_deployment_of(t).await?,
            };
            if let Some(q) = entry.filter(|q| q.deduplicated) {
                note(progress, Some(&t.name), &q.message);
            }
            self.watch(t, uuid, plan.ran_before(i), wait, progress)
                .await
        });
        collect(futures::future::join_all(runs).await)
    }
}

/// `pfcore/pf-air@staging (its head)`, or where it is pinned.
fn source_of(r: &Resource) -> String {
    match &r.app {
        Some(app) => {
            let repo = app.git_repository.as_deref().unwrap_or("its repository");
            let branch = app.git_branch.as_deref().unwrap_or("its branch");
            match app.git_commit_sha.as_deref() {
                None | Some("HEAD") | Some("") => format!("{repo}@{branch} (its head)"),
                Some(sha) => format!("{repo}@{branch}, pinned at {}", short_sha(sha)),
            }
        }
        None => "its configuration".into(),
    }
}
