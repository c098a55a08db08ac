//! Following what an operation starts: a deployment polled to its end with its new lines
//! sent as progress, then the app's health check, into the target's outcome.

use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::mpsc::UnboundedSender;

use super::outcome::{AppOutcome, FailureReader, FailureSummary, Progress};
use super::query::LOG_WITHHELD;
use super::request::Target;
use super::{Ops, OpsError};
use crate::coolify::{CoolifyError, Follower, LineFormatter};
use crate::model::{Deployment, DeploymentStatus};

impl Ops {
    /// How often a followed deployment is polled.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_secs_f64(self.settings.refresh.while_deploying)
    }

    /// Follow one deployment to its end, sending its new lines (hidden ones flagged) and
    /// status changes as progress under `name`; returns the final deployment and, when it
    /// failed, what failed.
    pub async fn follow(
        &self,
        name: &str,
        uuid: &str,
        progress: &UnboundedSender<Progress>,
    ) -> Result<(Deployment, FailureSummary), OpsError> {
        let mut follower = Follower::new(self.session.coolify.clone(), uuid, self.poll_interval());
        let mut formatter = LineFormatter::new(true);
        let mut failure = FailureReader::default();
        let mut last: Option<Deployment> = None;
        let mut withheld = false;
        while let Some(poll) = follower.next().await? {
            if poll.logs_withheld && !withheld {
                withheld = true;
                note(progress, Some(name), LOG_WITHHELD);
            }
            let lines = formatter.lines(&poll.entries);
            lines.iter().for_each(|l| failure.read(l));
            if !lines.is_empty() {
                let _ = progress.send(Progress::Lines {
                    target: name.to_string(),
                    lines,
                });
            }
            if last
                .as_ref()
                .is_none_or(|l| l.status != poll.deployment.status)
            {
                let _ = progress.send(Progress::Status {
                    target: name.to_string(),
                    status: poll.deployment.status.clone(),
                });
            }
            last = Some(poll.deployment);
        }
        let deployment = last.ok_or_else(|| {
            OpsError::Coolify(CoolifyError::Decode {
                endpoint: format!("/deployments/{uuid}"),
                detail: "no answer while following".into(),
            })
        })?;
        let failure = match deployment.status {
            DeploymentStatus::Finished => FailureSummary::default(),
            _ => failure.summary(),
        };
        Ok((deployment, failure))
    }

    /// Follow a target's deployment to its end (with `wait`) and check the app's health;
    /// `before` is what the target ran when the operation began, where a failure rolls
    /// back to.
    pub(crate) async fn watch(
        &self,
        t: &Target,
        uuid: Option<String>,
        before: Option<String>,
        wait: bool,
        progress: &UnboundedSender<Progress>,
    ) -> Result<AppOutcome, OpsError> {
        let Some(uuid) = uuid else {
            return Ok(AppOutcome {
                ok: false,
                note: Some("Coolify queued nothing pftui could find to follow".into()),
                before,
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
                before,
                note: Some("queued; not followed".into()),
                ..AppOutcome::empty(t.clone())
            });
        }
        let (deployment, failure) = self.follow(&t.name, &uuid, progress).await?;
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
            failure,
            rollback_to: before.clone().filter(|_| !ok),
            before,
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

    /// The queued or running deployment of an application, when Coolify did not say which
    /// (a deduplicated request answers with a uuid it never stored).
    pub(crate) async fn running_deployment_of(
        &self,
        t: &Target,
    ) -> Result<Option<String>, OpsError> {
        let running = self.session.coolify.running_deployments().await?;
        Ok(running
            .into_iter()
            .find(|d| d.application_name.as_deref() == Some(t.name.as_str()))
            .map(|d| d.uuid))
    }
}

/// A note for whoever watches.
pub(crate) fn note(progress: &UnboundedSender<Progress>, target: Option<&str>, text: &str) {
    let _ = progress.send(Progress::Note {
        target: target.map(str::to_string),
        text: text.to_string(),
    });
}

/// Every target's outcome, or the first error.
pub(crate) fn collect(
    results: Vec<Result<AppOutcome, OpsError>>,
) -> Result<Vec<AppOutcome>, OpsError> {
    results.into_iter().collect()
}
