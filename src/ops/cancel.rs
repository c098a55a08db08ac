//! Cancel: stop the queued or running deployments of an environment's applications (or
//! one); what ran before stays in place.

use super::catalogue::Kind;
use super::outcome::{AppOutcome, Reporter};
use super::plan::{Plan, Preview, Step, names};
use super::request::Request;
use super::watch::note;
use super::{Ops, OpsError};

impl Ops {
    pub(crate) async fn plan_cancel(&self, request: &Request) -> Result<Plan, OpsError> {
        let scoped = self.scoped(request.address()?).await?;
        let targets = scoped.targets;
        let running = self.session.coolify.running_deployments().await?;
        let deployments: Vec<(usize, String)> = running
            .iter()
            .filter_map(|d| {
                let i = targets
                    .iter()
                    .position(|t| d.application_name.as_deref() == Some(t.name.as_str()))?;
                Some((i, d.uuid.clone()))
            })
            .collect();
        if deployments.is_empty() {
            return Err(OpsError::Nothing(format!(
                "no deployment of {} is queued or running",
                names(&targets)
            )));
        }
        let actions = deployments
            .iter()
            .map(|(i, uuid)| format!("cancel deployment {uuid} of {}", targets[*i].name))
            .collect();
        Ok(Plan {
            kind: Kind::Cancel,
            environment: scoped.environment.clone(),
            verdict: self.verdict(&scoped.environment, Kind::Cancel),
            preview: Preview {
                title: format!(
                    "Cancel the deployment of {} in {}/{}",
                    names(&targets),
                    scoped.project,
                    scoped.environment
                ),
                actions,
                commits: Vec::new(),
                undo: format!(
                    "{}: {}",
                    Kind::Cancel.spec().undo,
                    request.then(Kind::Deploy).command_line()
                ),
                cli: request.command_line(),
                notes: vec!["the running version stays in place".into()],
            },
            current: vec![None; targets.len()],
            targets,
            step: Step::Cancel(deployments),
        })
    }

    pub(crate) async fn run_cancel(
        &self,
        plan: &Plan,
        deployments: &[(usize, String)],
        progress: &Reporter<'_>,
    ) -> Result<Vec<AppOutcome>, OpsError> {
        let client = &self.session.coolify;
        let mut out = Vec::new();
        for (i, uuid) in deployments {
            let t = &plan.targets[*i];
            let answer = client.cancel_deployment(uuid).await?;
            note(
                progress,
                Some(&t.name),
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
}
