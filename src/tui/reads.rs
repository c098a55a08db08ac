//! The effects that read once and answer with one message, written once: the console's
//! runner spawns them, `snapshot` awaits them.

use jiff::Timestamp;

use super::msg::{Compared, Effect, Msg};
use super::theme::Theme;
use super::update::RECENT_COUNT;
use crate::audit::{Actor, Channel};
use crate::model::Address;
use crate::ops::{Ops, RollbackChoice};

/// What a one-shot read answers; `None` for an effect that is not one (the runner carries
/// those out itself).
pub async fn answer(ops: &Ops, effect: Effect) -> Option<Msg> {
    let context = || ops.session().context().to_string();
    let text = |e: crate::ops::OpsError| e.to_string();
    Some(match effect {
        Effect::LoadRecent(app) => Msg::Recent {
            context: context(),
            result: ops
                .history(&app, RECENT_COUNT)
                .await
                .map(|page| page.deployments)
                .map_err(text),
            app,
        },
        Effect::Plan(request) => {
            Msg::Planned(ops.plan(&request).await.map(Box::new).map_err(Into::into))
        }
        Effect::LoadRollbackCandidates(scope) => Msg::RollbackCandidates {
            result: rollback_choice(ops, &scope).await,
            scope,
        },
        Effect::LoadPipeline => Msg::Pipeline {
            context: context(),
            result: ops.pipeline_board().await.map(Box::new).map_err(text),
        },
        Effect::LoadAudit(limit) => {
            let ops = ops.clone();
            let read = tokio::task::spawn_blocking(move || ops.audit_tail(limit));
            Msg::Audit(match read.await {
                Ok(result) => result.map_err(text),
                Err(e) => Err(format!("reading the journal stopped: {e}")),
            })
        }
        Effect::LoadEnv { app, name } => Msg::Env {
            app: name,
            result: ops.env_vars(&app).await.map_err(text),
        },
        Effect::LoadBoard {
            tree,
            order,
            limits,
        } => Msg::Board {
            context: context(),
            result: ops
                .deployments_board(&tree, &order, limits)
                .await
                .map(Box::new)
                .map_err(text),
        },
        Effect::LoadConfigDiff {
            project,
            environment,
        } => Msg::ConfigDiff {
            context: context(),
            result: ops
                .config_diff(&project, &environment, false)
                .await
                .map(Box::new)
                .map_err(text),
            project,
            environment,
        },
        Effect::LoadDrift(places) => Msg::Drift {
            context: context(),
            result: drift(ops, places).await,
        },
        Effect::LoadTheme { name, dir, depth } => {
            let read = tokio::task::spawn_blocking({
                let name = name.clone();
                move || Theme::load(&name, dir.as_deref(), depth).map(Box::new)
            });
            Msg::Theme {
                name,
                result: match read.await {
                    Ok(result) => result.map_err(|e| e.to_string()),
                    Err(e) => Err(format!("reading the theme stopped: {e}")),
                },
            }
        }
        Effect::RecordReveal { app, variable } => {
            let ops = ops.clone();
            let record = tokio::task::spawn_blocking(move || {
                ops.record_reveal(&Actor::local(Channel::Tui), &app, &variable)
            });
            let result = match record.await {
                Ok(result) => result.map_err(text),
                Err(e) => Err(format!("recording stopped: {e}")),
            };
            Msg::RevealRecorded {
                at: Timestamp::now(),
                result,
            }
        }
        Effect::Redraw
        | Effect::Load { .. }
        | Effect::RefreshAfter(_)
        | Effect::RecentAfter(..)
        | Effect::OpenContext(_)
        | Effect::Execute { .. }
        | Effect::FollowLog { .. }
        | Effect::RuntimeLog { .. }
        | Effect::StopLog
        | Effect::Copy(_)
        | Effect::Save { .. }
        | Effect::AgentSend { .. }
        | Effect::AgentDecide(_)
        | Effect::AgentCancel => return None,
    })
}

/// The places the platform configuration covers, compared with it at once; `None` without
/// a platform configuration (found before anything is read from the server).
async fn drift(ops: &Ops, places: Vec<(String, String)>) -> Option<Vec<Compared>> {
    if !ops.has_platform() {
        return None;
    }
    // What the configuration does not cover (an instance or environment) is not compared.
    let covered: Vec<(String, String)> = places
        .into_iter()
        .filter(|(project, environment)| ops.desired_apps(project, environment).is_ok())
        .collect();
    let reads = covered
        .iter()
        .map(|(project, environment)| ops.config_diff(project, environment, false));
    let diffs = futures::future::join_all(reads).await;
    let compared = covered.into_iter().zip(diffs);
    Some(
        compared
            .map(|((project, environment), result)| Compared {
                project,
                environment,
                result: result.map_err(|e| e.to_string()),
            })
            .collect(),
    )
}

/// What the addressed application can roll back to.
async fn rollback_choice(ops: &Ops, address: &Address) -> Result<RollbackChoice, String> {
    let located = ops.locate(address).await.map_err(|e| e.to_string())?;
    ops.rollback_choice(&located.resource.uuid)
        .await
        .map_err(|e| e.to_string())
}
