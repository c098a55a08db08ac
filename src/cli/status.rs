//! `pftui status`: the whole tree in one table or one JSON document.

use clap::Args;
use serde::Serialize;

use super::connect::connect;
use super::output::{Output, Paint, outln, print_json, print_table, table};
use super::{Failure, GlobalArgs};
use crate::model::words::plural;
use crate::model::{Deployment, Overview, Project, ResourceKind, Server, Tree, printable_line};

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
    outln!(
        "{} {} at {} (context {}): {}, {}, {}, {}",
        paint.bold("Coolify"),
        printable_line(report.version),
        printable_line(report.url),
        printable_line(report.context),
        plural(tree.projects.len(), "project"),
        plural(count(ResourceKind::Application), "application"),
        plural(count(ResourceKind::Database), "database"),
        plural(count(ResourceKind::Service), "service"),
    );
    outln!();
    let mut rows = table(["PROJECT", "ENV", "NAME", "KIND", "STATUS", "SERVER", "URL"]);
    for project in &tree.projects {
        for env in &project.environments {
            let (project_name, env_name) =
                (printable_line(&project.name), printable_line(&env.name));
            if env.resources.is_empty() {
                rows.add_row([
                    project_name.as_ref(),
                    env_name.as_ref(),
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
                    Some(engine) => format!("{short}/{}", printable_line(engine)),
                    None => short.to_string(),
                };
                let url = r.app.as_ref().and_then(|a| a.urls.first());
                rows.add_row(vec![
                    project_name.to_string(),
                    env_name.to_string(),
                    printable_line(&r.name).into_owned(),
                    kind,
                    paint.status(&r.status),
                    printable_line(r.server.as_deref().unwrap_or_default()).into_owned(),
                    printable_line(url.map_or("", String::as_str)).into_owned(),
                ]);
            }
        }
    }
    print_table(&rows);
    if !report.deployments.is_empty() {
        outln!();
        for active in &report.deployments {
            let d = active.deployment;
            outln!(
                "{} {} {}/{} ({}) {}",
                paint.yellow("deploying"),
                printable_line(d.application_name.as_deref().unwrap_or("?")),
                printable_line(active.project.unwrap_or("?")),
                printable_line(active.environment.unwrap_or("?")),
                paint.deployment(&d.status),
                printable_line(&d.uuid),
            );
        }
    }
}
