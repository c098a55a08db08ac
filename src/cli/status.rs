//! `pftui status`: the whole tree in one table or one JSON document.

use clap::Args;
use serde::Serialize;

use super::connect::connect;
use super::output::{Output, Paint, errln, outln, print_json, print_table, table};
use super::{Failure, GlobalArgs};
use crate::model::words::plural;
use crate::model::{
    Deployment, LoadWarning, Overview, Project, Resource, ResourceKind, Server, Tree, Unplaced,
    printable_line,
};

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
    /// `null` when the server's version could not be read.
    version: Option<&'a str>,
    projects: &'a [Project],
    /// Resources whose environment is in none of the projects read, each with why.
    unplaced: &'a [Unplaced],
    servers: &'a [Server],
    /// Queued and running deployments, placed in the tree where pftui can.
    deployments: Vec<Active<'a>>,
    /// The parts that could not be read: the rest of the document is what could.
    warnings: &'a [LoadWarning],
}

#[derive(Serialize)]
struct Active<'a> {
    project: Option<&'a str>,
    environment: Option<&'a str>,
    #[serde(flatten)]
    deployment: &'a Deployment,
}

/// Print what could be read, each part that could not on standard error; fail (exit 1)
/// when the applications could not be read.
pub async fn run(global: &GlobalArgs, args: StatusArgs) -> Result<(), Failure> {
    let conn = connect(global).await?;
    let session = conn.ops.session();
    let overview = conn.ops.overview(true).await?;
    let Overview {
        tree,
        version,
        running,
        warnings,
    } = &overview;
    let deployments = running.iter().map(|d| place(tree, d)).collect();
    let report = Report {
        context: session.context(),
        url: session.url(),
        version: version.as_deref(),
        projects: &tree.projects,
        unplaced: &tree.unplaced,
        servers: &tree.servers,
        deployments,
        warnings,
    };
    match args.output {
        Output::Json => print_json(&report)?,
        Output::Table => print_report(&report, tree),
    }
    for warning in warnings {
        errln!("warning: {}", printable_line(&warning.to_string()));
    }
    if overview.essentials_read() {
        Ok(())
    } else {
        Err(Failure::failed(
            "the applications could not be read: what is shown is incomplete",
        ))
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
    let count = |kind| tree.count(kind);
    outln!(
        "{} {} at {} (context {}): {}, {}, {}, {}",
        paint.bold("Coolify"),
        printable_line(report.version.unwrap_or("(version unknown)")),
        printable_line(report.url),
        printable_line(report.context),
        plural(tree.projects.len(), "project"),
        plural(count(ResourceKind::Application), "application"),
        plural(count(ResourceKind::Database), "database"),
        plural(count(ResourceKind::Service), "service"),
    );
    outln!();
    let mut rows = table(["PROJECT", "ENV", "NAME", "KIND", "STATUS", "SERVER", "URL"]);
    let empty = |project: &str, env: &str| {
        [project, env, "-", "", "", "", ""].map(|cell| printable_line(cell).into_owned())
    };
    for project in &tree.projects {
        if project.environments.is_empty() {
            rows.add_row(empty(&project.name, "-"));
        }
        for env in &project.environments {
            if env.resources.is_empty() {
                rows.add_row(empty(&project.name, &env.name));
            }
            for r in &env.resources {
                rows.add_row(resource_row(paint, &project.name, &env.name, r));
            }
        }
    }
    for u in &tree.unplaced {
        rows.add_row(resource_row(paint, UNPLACED, "-", &u.resource));
    }
    print_table(&rows);
    if !tree.unplaced.is_empty() {
        outln!();
        for u in &tree.unplaced {
            outln!(
                "{} {}: {}",
                paint.yellow(UNPLACED),
                printable_line(&u.resource.name),
                printable_line(&u.reason)
            );
        }
    }
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

/// The group of resources whose environment is unknown.
const UNPLACED: &str = "(unplaced)";

/// One resource's row of the table.
fn resource_row(paint: Paint, project: &str, env: &str, r: &Resource) -> Vec<String> {
    let short = match r.kind {
        ResourceKind::Application => "app",
        ResourceKind::Database => "db",
        ResourceKind::Service => "svc",
    };
    let kind = match &r.engine {
        Some(engine) => format!("{short}/{}", printable_line(engine)),
        None => short.to_string(),
    };
    let url = r.urls.first();
    vec![
        printable_line(project).into_owned(),
        printable_line(env).into_owned(),
        printable_line(&r.name).into_owned(),
        kind,
        paint.status(&r.status),
        printable_line(r.server.as_deref().unwrap_or_default()).into_owned(),
        printable_line(url.map_or("", String::as_str)).into_owned(),
    ]
}
