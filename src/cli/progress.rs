//! What `deploy --wait`, `logs --follow` and the agent print while an operation runs:
//! its progress events and the log lines they carry, made printable (they come from the
//! server).

use jiff::tz::TimeZone;
use tokio::sync::mpsc;

use super::output::{Paint, ended, outln};
use crate::model::words::plural;
use crate::model::{LineKind, LogLine, printable_line};
use crate::ops::Progress;

/// Print progress as it comes: log lines (visible ones), notes, health; until the channel
/// closes, or standard output ends (nobody reads on).
pub async fn print_progress(
    mut rx: mpsc::UnboundedReceiver<Progress>,
    label: bool,
    show_hidden: bool,
) {
    let paint = Paint::stdout();
    while let Some(p) = rx.recv().await {
        print_one(paint, p, label, show_hidden);
        if ended() {
            break;
        }
    }
}

/// One progress event, as `pftui deploy --wait` prints it.
pub(crate) fn print_one(paint: Paint, progress: Progress, label: bool, show_hidden: bool) {
    match progress {
        Progress::Started { target, deployment } => {
            outln!(
                "{} {}: deployment {}",
                paint.bold("queued"),
                printable_line(&target),
                printable_line(&deployment)
            );
        }
        Progress::Lines { target, lines } => {
            let label = label.then_some(target.as_str());
            for line in lines.iter().filter(|l| show_hidden || !l.hidden) {
                outln!("{}", render(paint, label, line));
            }
        }
        Progress::Note { target, text } => match target {
            Some(t) => outln!(
                "{} {}: {}",
                paint.dim("·"),
                printable_line(&t),
                printable_line(&text)
            ),
            None => outln!("{} {}", paint.dim("·"), printable_line(&text)),
        },
        Progress::Status { .. } => {}
        Progress::Health { target, health } => {
            let verdict = if health.ok {
                paint.green("healthy")
            } else {
                paint.red("unhealthy")
            };
            outln!(
                "{} {}: {verdict} at {} ({}, {})",
                paint.dim("·"),
                printable_line(&target),
                printable_line(&health.url),
                printable_line(&health.detail),
                plural(health.attempts as usize, "try")
            );
        }
    }
}

/// One line as the terminal shows it: time, optional label, `$ command` dimmed, stderr red;
/// the label and the text made printable.
pub fn render(paint: Paint, label: Option<&str>, line: &LogLine) -> String {
    let time = line
        .timestamp
        .map(|t| {
            t.to_zoned_datetime(TimeZone::system())
                .strftime("%H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|| "--:--:--".into());
    let label = label
        .map(|l| format!("[{}] ", printable_line(l)))
        .unwrap_or_default();
    let text = printable_line(&line.text);
    let text = match line.kind {
        LineKind::Command => paint.dim(&format!("$ {text}")),
        LineKind::Stderr => paint.red(&text),
        LineKind::Stdout => text.into_owned(),
    };
    format!("{} {label}{text}", paint.dim(&time))
}
