//! `pftui logs`: a deployment's build log (followed live with `--follow`) or the running
//! container's log (`--runtime`), made printable (it comes from the server). Also the log
//! streaming `deploy --wait` uses.

use std::time::Duration;

use clap::Args;
use jiff::Timestamp;
use tokio::sync::mpsc;

use super::connect::connect;
use super::output::{self, Paint, errln, outln};
use super::progress::{print_progress, render};
use super::{Failure, GlobalArgs};
use crate::model::{
    Address, Deployment, DeploymentLog, DeploymentStatus, printable_line, short_sha, time,
};
use crate::ops::{LOG_NOT_YET, LOG_WITHHELD, Ops};

/// How often a followed container log is re-read.
const RUNTIME_POLL: Duration = Duration::from_secs(2);

#[derive(Debug, Args)]
pub struct LogsArgs {
    project: String,
    env: String,
    /// The application; needed when the environment has several.
    app: Option<String>,
    /// A specific deployment (default: the latest).
    #[arg(long, value_name = "UUID", conflicts_with = "runtime")]
    deployment: Option<String>,
    /// Keep following until the deployment ends (with --runtime: until interrupted).
    #[arg(long)]
    follow: bool,
    /// The running container's log instead of a deployment's.
    #[arg(long)]
    runtime: bool,
    /// Print only the last N lines: of the deployment's log (default: all of it; not with
    /// --follow), or of the container's (with --runtime; default 100, Coolify allows up to
    /// 10000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    lines: Option<u32>,
    /// Show Coolify's hidden debug entries too.
    #[arg(long)]
    show_hidden: bool,
    /// Prefix container log lines with their timestamps (with --runtime).
    #[arg(long)]
    timestamps: bool,
}

pub async fn run(global: &GlobalArgs, args: LogsArgs) -> Result<(), Failure> {
    let conn = connect(global).await?;
    let ops = &conn.ops;
    let address = Address::new(&args.project, Some(&args.env), args.app.as_deref());
    let located = ops.locate(&address).await?;
    let app = &located.resource;
    if args.runtime {
        return runtime_logs(ops, &app.uuid, &args).await;
    }
    let uuid = match &args.deployment {
        Some(uuid) => ops.deployment_of(&located, uuid).await?.uuid,
        None => ops.latest_deployment(&located).await?.uuid,
    };
    if args.follow {
        if args.lines.is_some() {
            return Err(Failure::setup(
                "--lines is for a deployment's log read once, or the container's (--runtime); with --follow the whole build log is printed as it comes: leave out one of the two",
            ));
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let mut printer = tokio::spawn(print_progress(rx, false, args.show_hidden));
        let followed = tokio::select! {
            followed = ops.follow(&app.name, &uuid, &tx) => followed,
            // The printer stops early only when standard output has ended: nobody reads on.
            _ = &mut printer => return Ok(()),
        };
        drop(tx);
        let _ = printer.await;
        let (deployment, _) = followed?;
        return print_verdicts(&[(app.name.clone(), deployment)]);
    }
    // Only the lines printed are ever held, however long the log.
    let keep = args.lines.map_or(usize::MAX, |n| n as usize);
    let read = ops.deployment_tail(&uuid, args.show_hidden, keep).await?;
    match &read.log {
        DeploymentLog::Entries(lines) => {
            let paint = Paint::stdout();
            for line in lines {
                outln!("{}", render(paint, None, line));
            }
        }
        DeploymentLog::NotYet => errln!("{}: {LOG_NOT_YET}", read.deployment.uuid),
        DeploymentLog::Withheld => return Err(Failure::setup(LOG_WITHHELD)),
        DeploymentLog::Unreadable(why) => return Err(Failure::failed(why.clone())),
    }
    print_verdicts(&[(app.name.clone(), read.deployment)])
}

/// Print one verdict line per deployment; fail when any did not finish.
pub fn print_verdicts(outcomes: &[(String, Deployment)]) -> Result<(), Failure> {
    let paint = Paint::stdout();
    let now = Timestamp::now();
    let mut bad = 0;
    for (name, d) in outcomes {
        let took = d
            .duration(now)
            .map(time::compact)
            .unwrap_or_else(|| "?".into());
        let commit = d.commit.as_deref().map(short_sha).unwrap_or("?");
        let message = d
            .commit_message
            .as_deref()
            .and_then(|m| m.lines().next())
            .map(|m| format!(" \"{}\"", printable_line(m)))
            .unwrap_or_default();
        outln!(
            "{}: {} after {took} at commit {}{message} (deployment {})",
            printable_line(name),
            paint.deployment(&d.status),
            printable_line(commit),
            printable_line(&d.uuid)
        );
        if d.status != DeploymentStatus::Finished {
            bad += 1;
        }
    }
    match bad {
        0 => Ok(()),
        n => Err(Failure::failed(format!(
            "{n} of {} deployments did not finish",
            outcomes.len()
        ))),
    }
}

/// Print the container's last lines; with `--follow`, keep printing new ones until
/// interrupted or nobody reads on.
async fn runtime_logs(ops: &Ops, uuid: &str, args: &LogsArgs) -> Result<(), Failure> {
    /// Container log lines fetched when `--lines` does not say.
    const DEFAULT_LINES: u32 = 100;
    let lines = args.lines.unwrap_or(DEFAULT_LINES);
    // Fetch with timestamps so new lines can be told from old ones across polls.
    let mut last: Option<String> = None;
    let out_lines = |raw: String, last: &mut Option<String>| {
        for line in raw.lines() {
            let (stamp, text) = line.split_once(' ').unwrap_or(("", line));
            if last.as_deref().is_some_and(|l| stamp <= l) {
                continue;
            }
            let shown = if args.timestamps { line } else { text };
            outln!("{}", printable_line(shown));
            if !stamp.is_empty() {
                *last = Some(stamp.to_string());
            }
        }
    };
    let first = ops.container_log(uuid, lines).await?;
    out_lines(first, &mut last);
    while args.follow && !output::ended() {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return Ok(()),
            _ = tokio::time::sleep(RUNTIME_POLL) => {}
        }
        let more = ops.container_log(uuid, lines).await?;
        out_lines(more, &mut last);
    }
    Ok(())
}
