//! `pftui audit`: the journal of executed operations (with `--demo`, the demo's own).

use clap::Args;

use super::connect::{journal, load_paths};
use super::output::{Output, Paint, outln, print_json, print_table, table};
use super::{Failure, GlobalArgs};
use crate::model::printable_line;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// How many of the latest records to show.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

pub fn run(global: &GlobalArgs, args: AuditArgs) -> Result<(), Failure> {
    let journal = journal(&load_paths()?, global.demo);
    let (records, broken) = journal
        .tail(args.limit)
        .map_err(|e| Failure::failed(e.to_string()))?;
    if broken > 0 {
        eprintln!(
            "pftui: {broken} lines of {} do not parse and were skipped",
            journal.path().display()
        );
    }
    if args.output == Output::Json {
        return print_json(&records);
    }
    if records.is_empty() {
        outln!("no operations recorded yet in {}", journal.path().display());
        return Ok(());
    }
    let paint = Paint::stdout();
    let mut rows = table([
        "TIME",
        "CONTEXT",
        "ACTOR",
        "OPERATION",
        "TARGET",
        "OUTCOME",
        "TOOK",
    ]);
    for r in &records {
        let text = printable_line(&r.outcome);
        let outcome = match r.outcome.as_str() {
            "succeeded" => paint.green(&text),
            "queued" => paint.yellow(&text),
            // Started with no end recorded: still running, or pftui was killed.
            "started" => paint.yellow("started, no end recorded (running, or pftui was killed)"),
            _ => paint.red(&text),
        };
        rows.add_row(vec![
            r.time.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            printable_line(&r.context).into_owned(),
            format!(
                "{} ({})",
                printable_line(&r.actor.user),
                serde_json::to_value(r.actor.channel)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            printable_line(&r.operation).into_owned(),
            printable_line(&r.target).into_owned(),
            outcome,
            format!("{:.1}s", r.duration_ms as f64 / 1000.0),
        ]);
    }
    print_table(&rows);
    Ok(())
}
