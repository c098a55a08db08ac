//! The pipeline every operation goes through, whoever asked: plan (reads only) -> the
//! policy's verdict checked against the confirmation given -> execute, following what it
//! starts -> one audit record, whatever happened (refusals included).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use jiff::Timestamp;
use serde_json::json;
use tokio::sync::mpsc::UnboundedSender;

use super::catalogue::Kind;
use super::outcome::{AppOutcome, Outcome, Progress, Reporter};
use super::plan::{Plan, Step, names, names_with_place};
use super::policy::Confirmation;
use super::request::Request;
use super::{Ops, OpsError};
use crate::audit::{Actor, Journal, Record};
use crate::coolify::Lifecycle;
use crate::secrets::ExposeSecret;

impl Ops {
    /// Resolve and preview a request. Reads only.
    pub async fn plan(&self, request: &Request) -> Result<Plan, OpsError> {
        match request.kind {
            Kind::Deploy => self.plan_deploy(request).await,
            Kind::Restart => self.plan_lifecycle(request, Step::Restart).await,
            Kind::Stop => self.plan_lifecycle(request, Step::Stop).await,
            Kind::Start => self.plan_lifecycle(request, Step::Start).await,
            Kind::Cancel => self.plan_cancel(request).await,
            Kind::Rollback => self.plan_rollback(request).await,
            Kind::Promote => self.plan_promote(request).await,
            Kind::ConfigApply => self.plan_config_apply(request).await,
            Kind::Overview
            | Kind::Resource
            | Kind::Deployments
            | Kind::DeploymentLog
            | Kind::RollbackImages
            | Kind::Variables
            | Kind::Servers
            | Kind::Audit
            | Kind::ConfigShow
            | Kind::ConfigDiff => Err(OpsError::Nothing(format!(
                "{} only reads: there is nothing to plan",
                request.kind
            ))),
        }
    }

    /// Run a plan once its confirmation satisfies the verdict. With `wait`, deployments are
    /// followed to their end and health-checked. The journal records the operation as
    /// started before its first change (nothing runs when that cannot be written) and with
    /// its outcome at the end, or as interrupted when it ends first (a signal, a console
    /// quitting, a dropped session); a refusal is recorded too.
    pub async fn execute(
        &self,
        plan: &Plan,
        confirmation: &Confirmation,
        actor: &Actor,
        wait: bool,
        progress: &UnboundedSender<Progress>,
    ) -> Result<Outcome, OpsError> {
        let began = Instant::now();
        let record = self.record(plan, actor);
        if let Err(reason) = plan.verdict.check(confirmation) {
            let err = OpsError::Refused(reason);
            let refused = Record {
                outcome: err.to_string(),
                ..record
            };
            let secrets = self.secrets();
            let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
            if let Err(audit) = self.journal.append(&refused, &refs) {
                tracing::error!(%audit, "audit journal");
            }
            return Err(err);
        }
        let reporter = Reporter::new(progress);
        let entry = Entry::open(self, record, reporter.deployments())?;
        tracing::info!(op = %plan.kind, targets = %names(&plan.targets), "executing");
        match self.run(plan, wait, &reporter).await {
            Ok(apps) => {
                let ok = apps.iter().all(|a| a.ok);
                let summary = summarise(plan, &apps, wait);
                let deployments: Vec<String> = apps
                    .iter()
                    .filter_map(|a| a.deployment.as_ref().map(|d| d.uuid.clone()))
                    .collect();
                let outcome = match (ok, apps.iter().any(|a| a.queued)) {
                    (true, true) => "queued".to_string(),
                    (true, false) => "succeeded".to_string(),
                    (false, _) => format!("failed: {summary}"),
                };
                let audit_error = entry.close(&outcome, &deployments);
                Ok(Outcome {
                    kind: plan.kind,
                    ok,
                    summary,
                    apps,
                    duration_ms: began.elapsed().as_millis() as u64,
                    audit_error,
                })
            }
            Err(err) => {
                if let Some(audit) = entry.close(&format!("error: {err}"), &[]) {
                    tracing::error!(%audit, "audit journal");
                }
                Err(err)
            }
        }
    }

    async fn run(
        &self,
        plan: &Plan,
        wait: bool,
        progress: &Reporter<'_>,
    ) -> Result<Vec<AppOutcome>, OpsError> {
        match &plan.step {
            Step::Deploy { force } => self.run_deploy(plan, *force, wait, progress).await,
            Step::Restart => {
                self.run_lifecycle(plan, Lifecycle::Restart, wait, progress)
                    .await
            }
            Step::Stop => {
                self.run_lifecycle(plan, Lifecycle::Stop, wait, progress)
                    .await
            }
            Step::Start => {
                self.run_lifecycle(plan, Lifecycle::Start, wait, progress)
                    .await
            }
            Step::Cancel(deployments) => self.run_cancel(plan, deployments, progress).await,
            Step::Rollback { tag, pin } => self.run_rollback(plan, tag, *pin, wait, progress).await,
            Step::Promote(promotion) => self.run_promote(plan, promotion, wait, progress).await,
            Step::ConfigApply(write) => self.run_config_apply(plan, write, progress).await,
        }
    }

    /// The operation's record as it begins.
    fn record(&self, plan: &Plan, actor: &Actor) -> Record {
        Record {
            id: None,
            time: Timestamp::now(),
            context: self.session.context().to_string(),
            actor: actor.clone(),
            operation: plan.kind.name().to_string(),
            target: names_with_place(&plan.targets),
            parameters: parameters(&plan.step),
            outcome: String::new(),
            deployments: Vec::new(),
            duration_ms: 0,
        }
    }

    /// What the journal must never hold.
    pub(super) fn secrets(&self) -> Vec<String> {
        vec![self.session.coolify.token().expose_secret().to_string()]
    }
}

/// An operation's place in the journal from its start to its end: closed with the outcome,
/// or, when dropped first, closed as interrupted with the deployments started so far.
struct Entry {
    journal: Journal,
    secrets: Vec<String>,
    record: Record,
    began: Instant,
    started: Arc<Mutex<Vec<String>>>,
    closed: bool,
}

impl Entry {
    /// Record the operation as started; an error when the journal cannot be written, so
    /// that nothing runs unrecorded.
    fn open(ops: &Ops, record: Record, started: Arc<Mutex<Vec<String>>>) -> Result<Self, OpsError> {
        let record = Record {
            id: Some(uuid::Uuid::new_v4().to_string()),
            outcome: "started".into(),
            ..record
        };
        let secrets = ops.secrets();
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        ops.journal.append(&record, &refs)?;
        Ok(Self {
            journal: ops.journal.clone(),
            secrets,
            record,
            began: Instant::now(),
            started,
            closed: false,
        })
    }

    /// Record the outcome with the deployments the operation started and those its
    /// outcome names; the error text when the journal could not be written.
    fn close(mut self, outcome: &str, named: &[String]) -> Option<String> {
        self.closed = true;
        self.write(outcome, named)
    }

    fn write(&self, outcome: &str, named: &[String]) -> Option<String> {
        let mut deployments = self
            .started
            .lock()
            .map(|started| started.clone())
            .unwrap_or_default();
        for uuid in named {
            if !deployments.contains(uuid) {
                deployments.push(uuid.clone());
            }
        }
        let record = Record {
            outcome: outcome.to_string(),
            deployments,
            duration_ms: self.began.elapsed().as_millis() as u64,
            ..self.record.clone()
        };
        let refs: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        self.journal
            .append(&record, &refs)
            .err()
            .map(|e| e.to_string())
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        if !self.closed
            && let Some(audit) = self.write(
                "interrupted: pftui stopped before the outcome was known",
                &[],
            )
        {
            tracing::error!(%audit, "audit journal");
        }
    }
}

/// What the audit record says a step was asked to do.
fn parameters(step: &Step) -> serde_json::Value {
    match step {
        Step::Deploy { force } => json!({ "force": force }),
        Step::Rollback { tag, pin } => json!({ "to": tag, "pinned": pin }),
        Step::Cancel(deployments) => {
            json!({ "deployments": deployments.iter().map(|(_, d)| d).collect::<Vec<_>>() })
        }
        Step::Restart | Step::Stop | Step::Start => json!({}),
        Step::ConfigApply(write) => super::config_apply::parameters(write),
        Step::Promote(p) => json!({
            "merges": p.merges.iter().map(|m| json!({"repository": m.repo.full_name(), "base": m.base, "branch": m.branch, "head": m.head, "commits": m.commits})).collect::<Vec<_>>(),
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
    if plan.kind == Kind::Cancel && failed.is_empty() {
        let names: Vec<&str> = apps.iter().map(|a| a.target.name.as_str()).collect();
        return format!("cancelled the deployment of {}", names.join(", "));
    }
    if plan.kind == Kind::ConfigApply && failed.is_empty() {
        return format!(
            "{} now {} what the platform configuration gives {}",
            names(&plan.targets),
            if apps.len() == 1 { "has" } else { "have" },
            if apps.len() == 1 { "it" } else { "them" }
        );
    }
    let followed = wait && apps.iter().any(|a| a.deployment.is_some());
    match (failed.is_empty(), followed) {
        (true, true) => format!("{} of {} finished and healthy", apps.len(), apps.len()),
        (true, false) => format!("{} done", plan.kind),
        (false, _) => format!("{} did not succeed: {}", failed.len(), failed.join(", ")),
    }
}
