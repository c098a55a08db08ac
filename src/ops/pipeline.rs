//! The pipeline every operation goes through, whoever asked: plan (reads only) -> the
//! policy's verdict checked against the confirmation given -> execute, following what it
//! starts -> one audit record, whatever happened (refusals included).

use std::time::Instant;

use jiff::Timestamp;
use serde_json::json;
use tokio::sync::mpsc::UnboundedSender;

use super::catalogue::Kind;
use super::outcome::{AppOutcome, Outcome, Progress};
use super::plan::{Plan, Step, names, names_with_place};
use super::policy::Confirmation;
use super::request::Request;
use super::{Ops, OpsError};
use crate::audit::{Actor, Record};
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
            Kind::Overview
            | Kind::Resource
            | Kind::Deployments
            | Kind::DeploymentLog
            | Kind::RollbackImages
            | Kind::Variables
            | Kind::Servers
            | Kind::Audit => Err(OpsError::Nothing(format!(
                "{} only reads: there is nothing to plan",
                request.kind
            ))),
        }
    }

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
        tracing::info!(op = %plan.kind, targets = %names(&plan.targets), "executing");
        match self.run(plan, wait, progress).await {
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

    async fn run(
        &self,
        plan: &Plan,
        wait: bool,
        progress: &UnboundedSender<Progress>,
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
            context: self.session.context().to_string(),
            actor: actor.clone(),
            operation: plan.kind.name().to_string(),
            target: names_with_place(&plan.targets),
            parameters: parameters(&plan.step),
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
    let followed = wait && apps.iter().any(|a| a.deployment.is_some());
    match (failed.is_empty(), followed) {
        (true, true) => format!("{} of {} finished and healthy", apps.len(), apps.len()),
        (true, false) => format!("{} done", plan.kind),
        (false, _) => format!("{} did not succeed: {}", failed.len(), failed.join(", ")),
    }
}
