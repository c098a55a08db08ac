//! The operation subcommands: deploy, restart, stop, start, cancel, rollback.

use clap::Args;

use super::act::{ConfirmArgs, ScopeArgs, act};
use super::{Failure, GlobalArgs};
use crate::ops::Request;

#[derive(Debug, Args)]
pub struct DeployArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    /// Rebuild without the build cache.
    #[arg(long)]
    force: bool,
    /// Follow the deployments to their end, streaming their logs, then check health;
    /// exit 1 if one fails.
    #[arg(long)]
    wait: bool,
    #[command(flatten)]
    confirm: ConfirmArgs,
}

/// restart, stop, start: followed until the resource settles.
#[derive(Debug, Args)]
pub struct LifecycleArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    #[command(flatten)]
    confirm: ConfirmArgs,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    #[command(flatten)]
    confirm: ConfirmArgs,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    /// The image (commit) to go back to; the previous one when left out.
    #[arg(long, value_name = "TAG")]
    to: Option<String>,
    /// Follow the deployment to its end and check health.
    #[arg(long)]
    wait: bool,
    #[command(flatten)]
    confirm: ConfirmArgs,
}

pub async fn deploy(global: &GlobalArgs, args: DeployArgs) -> Result<(), Failure> {
    let request = Request::Deploy {
        project: args.scope.project.clone(),
        environment: args.scope.env.clone(),
        app: args.scope.app.clone(),
        force: args.force,
    };
    act(global, request, &args.confirm, args.wait).await
}

pub async fn restart(global: &GlobalArgs, args: LifecycleArgs) -> Result<(), Failure> {
    act(
        global,
        Request::Restart(args.scope.scope()),
        &args.confirm,
        true,
    )
    .await
}

pub async fn stop(global: &GlobalArgs, args: LifecycleArgs) -> Result<(), Failure> {
    act(
        global,
        Request::Stop(args.scope.scope()),
        &args.confirm,
        true,
    )
    .await
}

pub async fn start(global: &GlobalArgs, args: LifecycleArgs) -> Result<(), Failure> {
    act(
        global,
        Request::Start(args.scope.scope()),
        &args.confirm,
        true,
    )
    .await
}

pub async fn cancel(global: &GlobalArgs, args: CancelArgs) -> Result<(), Failure> {
    act(
        global,
        Request::Cancel(args.scope.scope()),
        &args.confirm,
        false,
    )
    .await
}

pub async fn rollback(global: &GlobalArgs, args: RollbackArgs) -> Result<(), Failure> {
    let request = Request::Rollback {
        scope: args.scope.scope(),
        to: args.to.clone(),
    };
    act(global, request, &args.confirm, args.wait).await
}

#[derive(Debug, Args)]
pub struct PromoteArgs {
    /// Project name (case-insensitive), e.g. air.
    project: String,
    /// The environment to promote from, e.g. dev.
    from: String,
    /// The environment to promote to, e.g. staging.
    to: String,
    /// Follow the target deployments to their end and check health.
    #[arg(long)]
    wait: bool,
    #[command(flatten)]
    confirm: ConfirmArgs,
}

pub async fn promote(global: &GlobalArgs, args: PromoteArgs) -> Result<(), Failure> {
    let request = Request::Promote {
        project: args.project.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
    };
    act(global, request, &args.confirm, args.wait).await
}
