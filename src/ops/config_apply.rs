//! Config apply: write what the platform configuration gives an environment's applications
//! (settings with one `PATCH /applications/{uuid}`, variables with the bulk upsert, extras
//! removed only with `--prune`). Planned from the diff, so a second apply finds nothing to
//! do and says so. Secret values are read from the credential store when it runs and never
//! kept in the plan, the preview or the audit record (which names settings and variables,
//! never their values). Nothing is redeployed: the applications take the new values at
//! their next deployment, which the preview says.

use serde_json::{Value, json};

use super::catalogue::{Kind, PRUNE};
use super::config::{ConfigDiff, EnvChangeKind};
use super::outcome::{AppOutcome, Reporter};
use super::plan::{AppWrite, ConfigWrite, EnvWrite, Plan, Preview, Step};
use super::policy::{Risk, Verdict};
use super::request::{Request, Target};
use super::watch::note;
use super::{Ops, OpsError};
use crate::config::DesiredValue;
use crate::coolify::{ApplicationPatch, EnvVarInput};
use crate::model::{ResourceKind, shown_value};
use crate::secrets::SecretString;

impl Ops {
    pub(crate) async fn plan_config_apply(&self, request: &Request) -> Result<Plan, OpsError> {
        let address = request.address()?;
        let prune = request.has_flag(PRUNE);
        let environment = address.environment.clone().unwrap_or_default();
        let diff = self
            .config_diff(&address.project, &environment, prune)
            .await?;
        let desired = self.desired_apps(&diff.project, &diff.environment)?;
        let mut targets = Vec::new();
        let mut writes = Vec::new();
        let mut actions = Vec::new();
        let mut notes = Vec::new();
        for (app, (_, want)) in diff.apps.iter().zip(&desired) {
            notes.extend(app.notes.iter().cloned());
            let Some(uuid) = &app.uuid else { continue };
            let kept = app
                .envs
                .iter()
                .filter(|e| e.change == EnvChangeKind::Extra)
                .count();
            if kept > 0 && !prune {
                notes.push(format!(
                    "{}: {kept} variable{} the configuration does not name stay (--prune removes them)",
                    app.application,
                    if kept == 1 { "" } else { "s" }
                ));
            }
            if app.changes(prune) == 0 {
                continue;
            }
            for s in &app.settings {
                let have = s.have.as_ref().map_or("(unset)".into(), shown_value);
                actions.push(format!(
                    "{}: {} {have} -> {}  ({})",
                    app.application,
                    s.setting.api_name(),
                    shown_value(&s.want),
                    s.origin
                ));
            }
            let mut envs = Vec::new();
            let mut removals = Vec::new();
            for e in &app.envs {
                let origin = e.origin.as_deref().unwrap_or_default();
                match e.change {
                    EnvChangeKind::Add | EnvChangeKind::Change => {
                        let verb = if e.change == EnvChangeKind::Add {
                            "add"
                        } else {
                            "set"
                        };
                        actions.push(format!(
                            "{}: {verb} {}={}  ({origin})",
                            app.application,
                            e.key,
                            e.shown_want()
                        ));
                        let Some(d) = super::config::desired_env(want, &e.key) else {
                            continue;
                        };
                        envs.push(EnvWrite {
                            key: e.key.clone(),
                            value: d.value.clone(),
                            is_literal: d.is_literal,
                            is_multiline: d.is_multiline,
                        });
                    }
                    EnvChangeKind::Extra if prune => {
                        actions.push(format!("{}: remove {}", app.application, e.key));
                        removals.extend(e.env_uuids.iter().map(|u| (e.key.clone(), u.clone())));
                    }
                    EnvChangeKind::Extra => {}
                }
            }
            writes.push(AppWrite {
                index: targets.len(),
                settings: app
                    .settings
                    .iter()
                    .map(|s| (s.setting, s.want.clone()))
                    .collect(),
                envs,
                removals,
            });
            targets.push(Target {
                project: diff.project.clone(),
                environment: diff.environment.clone(),
                name: app.application.clone(),
                uuid: uuid.clone(),
                kind: ResourceKind::Application,
            });
        }
        if writes.is_empty() {
            return Err(OpsError::UpToDate(format!(
                "{}/{} already has what the platform configuration gives it{}",
                diff.project,
                diff.environment,
                notes.first().map(|n| format!(" ({n})")).unwrap_or_default()
            )));
        }
        let removes = writes.iter().any(|w| !w.removals.is_empty());
        notes.push(format!(
            "the applications take the new values at their next deployment: {}",
            request.then(Kind::Deploy).command_line()
        ));
        Ok(Plan {
            kind: Kind::ConfigApply,
            environment: diff.environment.clone(),
            verdict: self.apply_verdict(&diff, removes),
            preview: Preview {
                title: format!(
                    "Apply the platform configuration to {}/{}: {} change{}",
                    diff.project,
                    diff.environment,
                    actions.len(),
                    if actions.len() == 1 { "" } else { "s" }
                ),
                actions,
                commits: Vec::new(),
                undo: Kind::ConfigApply.spec().undo.into(),
                cli: request.command_line(),
                notes,
            },
            current: vec![None; targets.len()],
            targets,
            step: Step::ConfigApply(Box::new(ConfigWrite { apps: writes })),
        })
    }

    /// Writing is a deploy's risk (what the next deployment runs with); removing
    /// variables is destructive.
    fn apply_verdict(&self, diff: &ConfigDiff, removes: bool) -> Verdict {
        let risk = if removes {
            Risk::Destructive
        } else {
            Kind::ConfigApply.risk()
        };
        Verdict::decide(
            &self.settings,
            self.session.context(),
            self.session.read_only(),
            &diff.environment,
            risk,
        )
    }

    pub(crate) async fn run_config_apply(
        &self,
        plan: &Plan,
        write: &ConfigWrite,
        progress: &Reporter<'_>,
    ) -> Result<Vec<AppOutcome>, OpsError> {
        let client = &self.session.coolify;
        let mut out = Vec::new();
        for app in &write.apps {
            let t = &plan.targets[app.index];
            let mut vars = Vec::new();
            for e in &app.envs {
                let value = match &e.value {
                    DesiredValue::Literal(v) => SecretString::from(v.clone()),
                    DesiredValue::Secret(s) => self.platform_secret(&s.secret).await?,
                };
                let mut var = EnvVarInput::new(&e.key, value);
                var.is_literal = e.is_literal;
                var.is_multiline = e.is_multiline;
                if let DesiredValue::Secret(s) = &e.value {
                    var.comment = Some(format!("secret {} (pftui config apply)", s.secret));
                }
                vars.push(var);
            }
            if !vars.is_empty() {
                client.upsert_env_vars(&t.uuid, &vars).await?;
                note(
                    progress,
                    Some(&t.name),
                    &format!("wrote {} variables", vars.len()),
                );
            }
            for (key, env_uuid) in &app.removals {
                client.delete_env_var(&t.uuid, env_uuid).await?;
                note(progress, Some(&t.name), &format!("removed {key}"));
            }
            if !app.settings.is_empty() {
                let patch = ApplicationPatch::of_settings(app.settings.iter().cloned());
                client.update_application(&t.uuid, &patch).await?;
                note(
                    progress,
                    Some(&t.name),
                    &format!("updated {} settings", app.settings.len()),
                );
            }
            out.push(AppOutcome {
                ok: true,
                note: Some(format!(
                    "{} settings, {} variables written, {} removed",
                    app.settings.len(),
                    app.envs.len(),
                    app.removals.len()
                )),
                ..AppOutcome::empty(t.clone())
            });
        }
        self.verify(plan, write, &mut out).await?;
        Ok(out)
    }

    /// Read the environment again: an application that still differs from the
    /// configuration failed (the server took a value differently, or something changed it
    /// meanwhile), with what differs.
    async fn verify(
        &self,
        plan: &Plan,
        write: &ConfigWrite,
        out: &mut [AppOutcome],
    ) -> Result<(), OpsError> {
        let Some(first) = plan.targets.first() else {
            return Ok(());
        };
        let prune = write.apps.iter().any(|a| !a.removals.is_empty());
        let after = self
            .config_diff(&first.project, &first.environment, prune)
            .await?;
        for (outcome, app) in out.iter_mut().zip(&write.apps) {
            let name = &plan.targets[app.index].name;
            let Some(left) = after.apps.iter().find(|a| &a.application == name) else {
                continue;
            };
            if left.changes(prune) == 0 {
                if let Some(note) = &mut outcome.note {
                    note.push_str("; read back, it has what the configuration gives it");
                }
            } else {
                let names: Vec<&str> = left
                    .settings
                    .iter()
                    .map(|s| s.setting.api_name())
                    .chain(left.envs.iter().map(|e| e.key.as_str()))
                    .collect();
                outcome.ok = false;
                outcome.note = Some(format!(
                    "written, but read back it still differs: {}",
                    names.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// What the audit record says an apply wrote: names only, never a value.
pub(crate) fn parameters(write: &ConfigWrite) -> Value {
    json!({
        "applications": write.apps.iter().map(|a| json!({
            "settings": a.settings.iter().map(|(s, _)| s.api_name()).collect::<Vec<_>>(),
            "variables": a.envs.iter().map(|e| &e.key).collect::<Vec<_>>(),
            "removed": a.removals.iter().map(|(k, _)| k).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
