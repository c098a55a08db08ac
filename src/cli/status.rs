//! `pftui status`: the whole tree in one table or one JSON document.

use clap::Args;
use serde::Serialize;

use super::connect::connect;
use super::output::{Output, Paint, print_json, print_table, table};
use super::{Failure, GlobalArgs};
use crate::model::words::plural;
use crate::model::{Deployment, Overview, Project, ResourceKind, Server, Tree};

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

/// The JSON document `pftui status --output json` prints (documented in the README).
#[derive(Serialize)]
struct Report<'a> {
    context: &'a str,
    url: &'a str,
    version: &'a str,
    projects: &'a [Project],
    servers: &'a [Server],
    /// Queued and running deployments, placed in the tree where pftui can.
    deployments: Vec<Active<'a>>,
}

#[derive(Serialize)]
struct Active<'a> {
    project: Option<&'a str>,
    environment: Option<&'a str>,
    #[serde(flatten)]
    deployment: &'a Deployment,
}

pub async fn run(global: &GlobalArgs, args: StatusArgs) -> Result<(), Failure> {
    let conn = connect(global).await?;
    let session = conn.ops.session();
    let Overview {
        tree,
        version,
        running,
    } = conn.ops.overview(true).await?;
    let deployments = running.iter().map(|d| place(&tree, d)).collect();
    let report = Report {
        context: session.context(),
        url: session.url(),
        version: &version,
        projects: &tree.projects,
        servers: &tree.servers,
        deployments,
    };
    match args.output {
        Output::Json => print_json(&report),
        Output::Table => {
            print_report(&report, &tree);
            Ok(())
        }
    }
}

/// Find the project and environment of a deployment's application.
fn place<'a>(tree: &'a Tree, deployment: &'a Deployment) -> Active<'a> {
    let found = tree.applications().find(|(_, _, app)| {
        let by_id = deployment
            .application_id
            .as_deref()
            .is_some_and(|id| app.id.is_some_and(|app_id| app_id.to_string() == id));
        by_id || deployment.application_name.as_deref() == Some(app.name.as_str())
    });
    Active {
        project: found.map(|(p, _, _)| p.name.as_str()),
        environment: found.map(|(_, e, _)| e.name.as_str()),
        deployment,
    }
}

fn print_report(report: &Report<'_>, tree: &Tree) {
    let paint = Paint::stdout();
    let count = |kind| tree.resources().filter(|(_, _, r)| r.kind == kind).count();
    println!(
        "{} {} at {} (context {}): {}, {}, {}, {}",
        paint.bold("Coolify"),
        report.version,
        report.url,
        report.context,
        plural(tree.projects.len(), "project"),
        plural(count(ResourceKind::Application), "application"),
        plural(count(ResourceKind::Database), "database"),
        plural(count(ResourceKind::Service), "service"),
    );
    println!();
    let mut rows = table(["PROJECT", "ENV", "NAME", "KIND", "STATUS", "SERVER", "URL"]);
    for project in &tree.projects {
        for env in &project.environments {
            if env.resources.is_empty() {
                rows.add_row([
                    project.name.as_str(),
                    env.name.as_str(),
                    "-",
                    "",
                    "",
                    "",
                    "",
                ]);
            }
            for r in &env.resources {
                let short = match r.kind {
                    ResourceKind::Application => "app",
                    ResourceKind::Database => "db",
                    ResourceKind::Service => "svc",
                };
                let kind = match &r.engine {
                    Some(engine) => format!("{short}/{engine}"),
                    None => short.to_string(),
                };
                let url = r
                    .app
                    .as_ref()
                    .and_then(|a| a.urls.first().cloned())
                    .unwrap_or_default();
                rows.add_row(vec![
                    project.name.clone(),
                    env.name.clone(),
                    r.name.clone(),
                    kind,
                    paint.status(&r.status),
                    r.server.clone().unwrap_or_default(),
                    url,
                ]);
            }
        }
    }
    print_table(&rows);
    if !report.deployments.is_empty() {
        println!();
        for active in &report.deployments {
            let d = active.deployment;
            println!(
                "{} {} {}/{} ({}) {}",
                paint.yellow("deploying"),
                d.application_name.as_deref().unwrap_or("?"),
                active.project.unwrap_or("?"),
                active.environment.unwrap_or("?"),
                paint.deployment(&d.status),
                d.uuid,
            );
        }
    }
}
