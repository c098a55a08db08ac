//! Rollback: redeploy an earlier image of an application (the one before the running one
//! by default) through Coolify's rollback endpoint, or, on servers older than 4.3 that lack
//! it, by pinning the commit, deploying and unpinning.

use super::catalogue::{Kind, TO};
use super::outcome::{AppOutcome, Reporter};
use super::plan::{Plan, Preview, Step, target};
use super::request::{Request, Target};
use super::watch::note;
use super::{Ops, OpsError};
use crate::coolify::{ApplicationPatch, DeployRequest};
use crate::model::short_sha;

impl Ops {
    pub(crate) async fn plan_rollback(&self, request: &Request) -> Result<Plan, OpsError> {
        let located = self.locate(request.address()?).await?;
        let app = &located.resource;
        let target = target(&located.project, &located.environment, app);
        let choice = self.rollback_choice(&app.uuid).await?;
        let tag = match request.text_of(TO) {
            Some(tag) => {
                if !choice.pinned && !choice.images.iter().any(|c| c == tag) {
                    return Err(OpsError::Invalid(format!(
                        "{} has no image {tag}; available: {}",
                        app.name,
                        choice
                            .images
                            .iter()
                            .map(|c| short_sha(c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                tag.to_string()
            }
            None => choice.previous().cloned().ok_or_else(|| {
                OpsError::Nothing(format!("{} has no earlier image to roll back to", app.name))
            })?,
        };
        let mut notes = Vec::new();
        if choice.pinned {
            notes.push(format!(
                "this Coolify has no rollback endpoint (it is older than 4.3): pftui pins git_commit_sha to {}, deploys, then unpins it (back to HEAD)",
                short_sha(&tag)
            ));
        }
        let current = choice.current;
        let rollback = |tag: &str| Request::new(Kind::Rollback, target.address()).text(TO, tag);
        Ok(Plan {
            kind: Kind::Rollback,
            environment: located.environment.clone(),
            verdict: self.verdict(&located.environment, Kind::Rollback),
            preview: Preview {
                title: format!(
                    "Roll back {} in {}/{} to {}",
                    app.name,
                    located.project,
                    located.environment,
                    short_sha(&tag)
                ),
                actions: vec![format!(
                    "redeploy {} at {} (now {})",
                    app.name,
                    short_sha(&tag),
                    current.as_deref().map(short_sha).unwrap_or("unknown")
                )],
                commits: Vec::new(),
                undo: match &current {
                    Some(now) => format!("roll forward again: {}", rollback(now).command_line()),
                    None => format!(
                        "deploy the branch head again: {}",
                        Request::new(Kind::Deploy, target.address()).command_line()
                    ),
                },
                cli: rollback(&tag).command_line(),
                notes,
            },
            targets: vec![target],
            current: vec![current],
            step: Step::Rollback {
                tag,
                pin: choice.pinned,
            },
        })
    }

    pub(crate) async fn run_rollback(
        &self,
        plan: &Plan,
        tag: &str,
        pin: bool,
        wait: bool,
        progress: &Reporter<'_>,
    ) -> Result<Vec<AppOutcome>, OpsError> {
        let Some(t) = plan.targets.first() else {
            return Ok(Vec::new());
        };
        let before = plan.ran_before(0);
        let outcome = if pin {
            self.pinned_deploy(t, tag, before, progress).await?
        } else {
            let queued = self.session.coolify.rollback(&t.uuid, tag).await?;
            let uuid = match queued.deployment_uuid {
                Some(uuid) => Some(uuid),
                None => self.running_deployment_of(t).await?,
            };
            self.watch(t, uuid, before, wait, progress).await?
        };
        Ok(vec![outcome])
    }

    /// Servers older than 4.3 have no rollback endpoint: pin the commit, deploy it, and
    /// unpin (back to `HEAD`) whatever happens, so later deploys follow the branch again.
    /// The pin must stay until the deployment has read it, so it is always followed to its
    /// end.
    pub(crate) async fn pinned_deploy(
        &self,
        t: &Target,
        tag: &str,
        before: Option<String>,
        progress: &Reporter<'_>,
    ) -> Result<AppOutcome, OpsError> {
        let client = &self.session.coolify;
        let pin = |sha: &str| ApplicationPatch {
            git_commit_sha: Some(sha.to_string()),
            ..ApplicationPatch::default()
        };
        note(
            progress,
            Some(&t.name),
            &format!("pinning git_commit_sha to {tag}"),
        );
        client.update_application(&t.uuid, &pin(tag)).await?;
        let deployed = async {
            let queued = client
                .deploy(&DeployRequest::uuids([t.uuid.clone()]))
                .await?;
            let uuid = match queued.first().and_then(|q| q.deployment_uuid.clone()) {
                Some(uuid) => Some(uuid),
                None => self.running_deployment_of(t).await?,
            };
            self.watch(t, uuid, before, true, progress).await
        }
        .await;
        let unpinned = client.update_application(&t.uuid, &pin("HEAD")).await;
        note(
            progress,
            Some(&t.name),
            "unpinned git_commit_sha (back to HEAD)",
        );
        let mut outcome = deployed?;
        if let Err(e) = unpinned {
            outcome.ok = false;
            outcome.note = Some(format!(
                "could not unpin git_commit_sha (set it back to HEAD by hand): {e}"
            ));
        }
        Ok(outcome)
    }
}
