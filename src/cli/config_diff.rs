//! `pftui config diff <project> <env>`: what the platform configuration gives an
//! environment's applications and the server lacks, with the file:line of each desired
//! value; secrets masked. Exit 0 when in sync, 1 when not (for CI), 2 when it cannot tell.

use clap::Args;

use super::connect::connect;
use super::output::{Output, Paint, outln, print_json};
use super::{Failure, GlobalArgs};
use crate::model::printable_line;
use crate::model::words::plural;
use crate::model::{Address, shown_value};
use crate::ops::catalogue::PRUNE;
use crate::ops::{AppDiff, ConfigDiff, EnvChangeKind, Kind, MASK, Request};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The instance (Coolify project), e.g. air.
    project: String,
    /// The environment: dev, staging or prod.
    env: String,
    /// Count the variables the configuration does not name as drift (apply --prune
    /// removes them).
    #[arg(long)]
    prune: bool,
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

pub async fn run(global: &GlobalArgs, args: DiffArgs) -> Result<(), Failure> {
    let conn = connect(global).await?;
    let diff = conn
        .ops
        .config_diff(&args.project, &args.env, args.prune)
        .await?;
    match args.output {
        Output::Json => print_json(&diff)?,
        Output::Table => print(&diff, &args),
    }
    if diff.in_sync() {
        Ok(())
    } else {
        // Said above: the exit status alone tells CI.
        Err(Failure::failed(""))
    }
}

fn print(diff: &ConfigDiff, args: &DiffArgs) {
    let paint = Paint::stdout();
    for app in &diff.apps {
        print_app(paint, app, diff.prune);
    }
    let mut apply = Request::new(
        Kind::ConfigApply,
        Address::new(&diff.project, Some(&diff.environment), None),
    );
    if args.prune {
        apply = apply.flag(PRUNE);
    }
    let missing = diff.apps.iter().filter(|a| a.uuid.is_none()).count();
    let unprovisioned = match missing {
        0 => String::new(),
        n => format!(" ({} not on the server)", plural(n, "application")),
    };
    if diff.in_sync() {
        outln!(
            "{}/{} has what the platform configuration gives it{unprovisioned}",
            diff.project,
            diff.environment
        );
    } else {
        outln!(
            "{} to apply{unprovisioned}: {}",
            plural(diff.changes(), "change"),
            apply.command_line()
        );
    }
}

fn print_app(paint: Paint, app: &AppDiff, prune: bool) {
    let state = match (&app.uuid, app.changes(prune)) {
        (None, _) => paint.yellow("not on the server (not provisioned)"),
        (Some(_), 0) => paint.green("in sync"),
        (Some(_), n) => paint.yellow(&plural(n, "change")),
    };
    outln!(
        "{} ({}): {state}",
        printable_line(&app.application),
        app.target
    );
    for s in &app.settings {
        let have = s
            .have
            .as_ref()
            .map_or_else(|| "(unset)".to_string(), shown_value);
        row(
            "~",
            s.setting.api_name(),
            &format!("{have} -> {}", shown_value(&s.want)),
            &s.origin,
        );
    }
    for e in &app.envs {
        let want = e.shown_want();
        let origin = e.origin.as_deref().unwrap_or_default();
        match e.change {
            EnvChangeKind::Add => row("+", &e.key, &want, origin),
            EnvChangeKind::Change => {
                let have = e.have.as_deref().unwrap_or(MASK);
                row("~", &e.key, &format!("{have} -> {want}"), origin);
            }
            EnvChangeKind::Extra if prune => row("-", &e.key, "not in the configuration", ""),
            EnvChangeKind::Extra => row(
                " ",
                &e.key,
                "not in the configuration (kept; --prune removes it)",
                "",
            ),
        }
    }
    for note in &app.notes {
        outln!("  note: {}", printable_line(note));
    }
}

fn row(mark: &str, name: &str, text: &str, origin: &str) {
    outln!(
        "  {mark} {:<24} {:<48} {}",
        printable_line(name),
        printable_line(text),
        printable_line(origin)
    );
}
