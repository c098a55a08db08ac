//! `pftui deploy`: queue deployments and, with `--wait`, follow them to their end.

use clap::Args;

use super::connect::connect;
use super::logs::{follow_all, print_verdicts};
use super::output::Paint;
use super::{Failure, GlobalArgs};
use crate::coolify::{Client, CoolifyError, DeployQueued, DeployRequest, load_scope};
use crate::model::{Address, Resource};

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Project name (case-insensitive), e.g. air.
    project: String,
    /// Environment name, e.g. staging.
    env: String,
    /// One application; all of the environment's applications when left out.
    app: Option<String>,
    /// Rebuild without the build cache.
    #[arg(long)]
    force: bool,
    /// Follow the deployments to their end, streaming their logs; exit 1 if one fails.
    #[arg(long)]
    wait: bool,
}

pub async fn run(global: &GlobalArgs, args: DeployArgs) -> Result<(), Failure> {
    let conn = connect(global).await?;
    if conn.session.read_only {
        return Err(Failure::refused(format!(
            "context {} is read-only: deploys are refused",
            conn.session.context
        )));
    }
    let client = &conn.session.coolify;
    let tree = load_scope(client, &args.project, &args.env).await?;
    let address = Address::new(&args.project, Some(&args.env), args.app.as_deref());
    let apps = address.find_applications(&tree)?;
    let queued = client
        .deploy(&DeployRequest::uuids(apps.iter().map(|a| a.uuid.clone())).force(args.force))
        .await?;
    let paint = Paint::stdout();
    let mut follow = Vec::new();
    for app in &apps {
        let entry = queued
            .iter()
            .find(|q| q.resource_uuid.as_deref() == Some(app.uuid.as_str()));
        let uuid = deployment_of(client, app, entry).await?;
        println!(
            "{} {}: deployment {}{}",
            paint.bold("queued"),
            app.name,
            uuid.as_deref().unwrap_or("(unknown)"),
            entry
                .filter(|q| q.deduplicated)
                .map(|q| format!(" ({})", q.message))
                .unwrap_or_default()
        );
        tracing::info!(app = %app.name, deployment = ?uuid, "deploy queued");
        if let Some(uuid) = uuid {
            follow.push((app.name.clone(), uuid));
        }
    }
    if !args.wait {
        return Ok(());
    }
    let outcomes = follow_all(client, follow, false, apps.len() > 1).await?;
    print_verdicts(&outcomes)
}

/// The deployment a deploy request created, or the one already running that Coolify
/// deduplicated it into.
async fn deployment_of(
    client: &Client,
    app: &Resource,
    entry: Option<&DeployQueued>,
) -> Result<Option<String>, CoolifyError> {
    if let Some(uuid) = entry.and_then(|q| q.deployment_uuid.clone()) {
        return Ok(Some(uuid));
    }
    let app_id = app.id.map(|id| id.to_string());
    let running = client.running_deployments().await?;
    Ok(running
        .into_iter()
        .find(|d| {
            (app_id.is_some() && d.application_id == app_id)
                || d.application_name.as_deref() == Some(app.name.as_str())
        })
        .map(|d| d.deployment_uuid))
}
