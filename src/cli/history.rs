//! `pftui history`: an application's recent deployments.

use clap::Args;
use jiff::Timestamp;
use serde::Serialize;

use super::connect::connect;
use super::output::{Output, Paint, outln, print_json, print_table, table};
use super::{Failure, GlobalArgs};
use crate::model::{Address, Deployment, printable_line, time};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    project: String,
    env: String,
    /// The application; needed when the environment has several.
    app: Option<String>,
    /// How many deployments to show, newest first.
    #[arg(long, default_value_t = 10)]
    limit: u32,
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

#[derive(Serialize)]
struct Report<'a> {
    project: &'a str,
    environment: &'a str,
    application: &'a str,
    application_uuid: &'a str,
    /// All deployments Coolify holds for the application.
    total: u64,
    deployments: Vec<Deployment>,
}

pub async fn run(global: &GlobalArgs, args: HistoryArgs) -> Result<(), Failure> {
    let conn = connect(global).await?;
    let address = Address::new(&args.project, Some(&args.env), args.app.as_deref());
    let located = conn.ops.locate(&address).await?;
    let app = &located.resource;
    let page = conn.ops.history(&app.uuid, args.limit).await?;
    let deployments: Vec<Deployment> = page.deployments;
    let report = Report {
        project: &located.project,
        environment: &located.environment,
        application: &app.name,
        application_uuid: &app.uuid,
        total: page.count.unwrap_or(deployments.len() as u64),
        deployments,
    };
    if args.output == Output::Json {
        return print_json(&report);
    }
    let paint = Paint::stdout();
    let now = Timestamp::now();
    outln!(
        "{}/{}/{}: {} of {} deployments",
        printable_line(report.project),
        printable_line(report.environment),
        printable_line(report.application),
        report.deployments.len(),
        report.total
    );
    outln!();
    let mut rows = table([
        "DEPLOYMENT",
        "STATUS",
        "COMMIT",
        "TRIGGER",
        "DURATION",
        "AGE",
        "MESSAGE",
    ]);
    for d in &report.deployments {
        rows.add_row(vec![
            printable_line(&d.uuid).into_owned(),
            paint.deployment(&d.status),
            printable_line(d.short_commit().unwrap_or("-")).into_owned(),
            d.trigger.to_string(),
            d.duration(now)
                .map(time::compact)
                .unwrap_or_else(|| "-".into()),
            d.created_at
                .map(|t| time::age(t, now))
                .unwrap_or_else(|| "-".into()),
            printable_line(
                d.commit_message
                    .as_deref()
                    .and_then(|m| m.lines().next())
                    .unwrap_or(""),
            )
            .chars()
            .take(60)
            .collect(),
        ]);
    }
    print_table(&rows);
    Ok(())
}
