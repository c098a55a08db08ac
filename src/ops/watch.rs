//! Following what an operation starts: a deployment polled to its end with its new lines
//! sent as progress, then the app's health check, into the target's outcome.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use tokio::sync::mpsc::UnboundedSender;

use super::outcome::{AppOutcome, FailureReader, FailureSummary, Progress, Reporter};
use super::query::LOG_WITHHELD;
use super::request::Target;
use super::{Ops, OpsError};
use crate::coolify::{CoolifyError, Follower, LineFormatter};
use crate::model::{Deployment, DeploymentLog, DeploymentStatus, time};

impl Ops {
    /// How often a followed deployment is polled.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_secs_f64(self.settings.refresh.while_deploying)
    }

    /// Follow one deployment to its end, sending its new lines (hidden ones flagged),
    /// status changes and what it waits for as progress under `name`; returns the final
    /// deployment and, when it failed, what failed. A server that cannot be reached (or
    /// answers 5xx) is retried for `follow.unreachable` seconds, saying so; past that, or
    /// past `follow.deadline` in all, the deployment is [`OpsError::Lost`].
    pub async fn follow(
        &self,
        name: &str,
        uuid: &str,
        progress: &UnboundedSender<Progress>,
    ) -> Result<(Deployment, FailureSummary), OpsError> {
        let limits = &self.settings.follow;
        let deadline = Instant::now() + Duration::from_secs_f64(limits.deadline);
        let patience = Duration::from_secs_f64(limits.unreachable);
        let keep = self.settings.logs.buffer_lines;
        let mut follower =
            Follower::new(self.session.coolify.clone(), uuid, self.poll_interval()).keeping(keep);
        let mut skipped = 0;
        let mut formatter = LineFormatter::new(true);
        let mut failure = FailureReader::default();
        let mut last: Option<Deployment> = None;
        // Whether a log that cannot be shown (withheld, unreadable) was said.
        let mut log_said = false;
        // Since when the server cannot be reached, and when that was last said.
        let mut unreachable: Option<(Instant, Option<Instant>)> = None;
        let mut news = Instant::now();
        let mut told = Instant::now();
        let lost = |last: Option<Deployment>, why: String| OpsError::Lost {
            deployment: uuid.to_string(),
            why,
            last: last.map(Box::new),
        };
        loop {
            if Instant::now() > deadline {
                let status = last.as_ref().map_or("unknown", |d| d.status.as_str());
                let why = format!(
                    "still {status} after {} (follow.deadline)",
                    compact_secs(limits.deadline)
                );
                return Err(lost(last, why));
            }
            let poll = match follower.next().await {
                Ok(Some(poll)) => poll,
                Ok(None) => break,
                Err(e) if e.is_transient() => {
                    let (since, said) = unreachable.get_or_insert((Instant::now(), None));
                    if since.elapsed() > patience {
                        let why = format!(
                            "Coolify unreachable for {} while following ({e})",
                            compact_secs(since.elapsed().as_secs_f64())
                        );
                        return Err(lost(last, why));
                    }
                    if said.is_none_or(|t| t.elapsed() >= WAITING) {
                        *said = Some(Instant::now());
                        note(
                            progress,
                            Some(name),
                            &format!("Coolify unreachable, retrying: {e}"),
                        );
                    }
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            if unreachable.take().is_some() {
                note(progress, Some(name), "Coolify answers again");
            }
            if follower.skipped() > skipped {
                skipped = follower.skipped();
                note(
                    progress,
                    Some(name),
                    &format!(
                        "the log's {} oldest entries are left out: pftui keeps its last {keep} (logs.buffer_lines)",
                        skipped
                    ),
                );
            }
            let unshown = match &poll.log {
                DeploymentLog::Withheld => Some(LOG_WITHHELD.to_string()),
                DeploymentLog::Unreadable(why) => Some(format!("{why}; following its status only")),
                DeploymentLog::NotYet | DeploymentLog::Entries(()) => None,
            };
            if let Some(why) = unshown.filter(|_| !log_said) {
                log_said = true;
                note(progress, Some(name), &why);
            }
            let lines = formatter.lines(&poll.entries);
            lines.iter().for_each(|l| failure.read(l));
            let moved = last
                .as_ref()
                .is_none_or(|l| l.status != poll.deployment.status);
            if !lines.is_empty() || moved {
                news = Instant::now();
            } else if news.elapsed() >= WAITING && told.elapsed() >= WAITING {
                told = Instant::now();
                note(
                    progress,
                    Some(name),
                    &waiting_for(&poll.deployment, news.elapsed()),
                );
            }
            if !lines.is_empty() {
                let _ = progress.send(Progress::Lines {
                    target: name.to_string(),
                    lines,
                });
            }
            if moved {
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
        progress: &Reporter<'_>,
    ) -> Result<AppOutcome, OpsError> {
        let Some(uuid) = uuid else {
            return Ok(AppOutcome {
                ok: false,
                note: Some("Coolify queued nothing pftui could find to follow".into()),
                before,
                ..AppOutcome::empty(t.clone())
            });
        };
        progress.started(&t.name, &uuid);
        if !wait {
            let deployment = self.session.coolify.deployment(&uuid).await.ok();
            return Ok(AppOutcome {
                ok: true,
                deployment,
                before,
                queued: true,
                note: Some("queued; not followed".into()),
                ..AppOutcome::empty(t.clone())
            });
        }
        let (deployment, failure) = match self.follow(&t.name, &uuid, progress).await {
            Ok(followed) => followed,
            Err(OpsError::Lost { why, last, .. }) => {
                return Ok(AppOutcome {
                    ok: false,
                    deployment: last.map(|d| *d),
                    note: Some(format!(
                        "{why}: the outcome is unknown; look at deployment {uuid}"
                    )),
                    before,
                    ..AppOutcome::empty(t.clone())
                });
            }
            Err(e) => return Err(e),
        };
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
            queued: false,
            note: None,
            deployment: Some(deployment),
        })
    }

    async fn health_url(&self, t: &Target) -> Option<String> {
        let app = self.session.coolify.application(&t.uuid).await.ok()?;
        app.health_url()
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

/// How long without news before saying what a followed deployment waits for, and how often
/// to say that a server cannot be reached.
const WAITING: Duration = Duration::from_secs(30);

/// What a deployment without news for `quiet` waits for, in a sentence.
fn waiting_for(d: &Deployment, quiet: Duration) -> String {
    let quiet = compact_secs(quiet.as_secs_f64());
    match d.status {
        DeploymentStatus::Queued => format!(
            "still queued after {quiet}: Coolify has not started it yet (its queue is busy or paused)"
        ),
        DeploymentStatus::InProgress => format!("running, no new output for {quiet}"),
        _ => format!("{}, no news for {quiet}", d.status.as_str()),
    }
}

/// `1m30s`.
fn compact_secs(secs: f64) -> String {
    time::compact(jiff::SignedDuration::from_secs(secs as i64))
}
