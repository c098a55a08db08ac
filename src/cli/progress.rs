//! What `deploy --wait`, `logs --follow` and the agent print while an operation runs:
//! its progress events and the log lines they carry.

use std::io::Write;

use jiff::tz::TimeZone;
use tokio::sync::mpsc;

use super::output::Paint;
use crate::model::words::plural;
use crate::model::{LineKind, LogLine};
use crate::ops::Progress;

/// Print progress as it comes: log lines (visible ones), notes, health.
pub async fn print_progress(
    mut rx: mpsc::UnboundedReceiver<Progress>,
    label: bool,
    show_hidden: bool,
) {
    let paint = Paint::stdout();
    while let Some(p) = rx.recv().await {
        print_one(paint, p, label, show_hidden);
    }
}

/// One progress event, as `pftui deploy --wait` prints it.
pub(crate) fn print_one(paint: Paint, progress: Progress, label: bool, show_hidden: bool) {
    match progress {
        Progress::Started { target, deployment } => {
            println!("{} {target}: deployment {deployment}", paint.bold("queued"));
        }
        Progress::Lines { target, lines } => {
            let label = label.then_some(target.as_str());
            let mut out = std::io::stdout().lock();
            for line in lines.iter().filter(|l| show_hidden || !l.hidden) {
                let _ = writeln!(out, "{}", render(paint, label, line));
            }
        }
        Progress::Note { target, text } => match target {
            Some(t) => println!("{} {t}: {text}", paint.dim("·")),
            None => println!("{} {text}", paint.dim("·")),
        },
        Progress::Status { .. } => {}
        Progress::Health { target, health } => {
            let verdict = if health.ok {
                paint.green("healthy")
            } else {
                paint.red("unhealthy")
            };
            println!(
                "{} {target}: {verdict} at {} ({}, {})",
                paint.dim("·"),
                health.url,
                health.detail,
                plural(health.attempts as usize, "try")
            );
        }
    }
}

/// One line as the terminal shows it: time, optional label, `$ command` dimmed, stderr red.
pub fn render(paint: Paint, label: Option<&str>, line: &LogLine) -> String {
    let time = line
        .timestamp
        .map(|t| {
            t.to_zoned_datetime(TimeZone::system())
                .strftime("%H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|| "--:--:--".into());
    let label = label.map(|l| format!("[{l}] ")).unwrap_or_default();
    let text = match line.kind {
        LineKind::Command => paint.dim(&format!("$ {}", line.text)),
        LineKind::Stderr => paint.red(&line.text),
        LineKind::Stdout => line.text.clone(),
    };
    format!("{} {label}{text}", paint.dim(&time))
}
