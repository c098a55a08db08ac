//! How the CLI prints: aligned tables or stable JSON, colour only on a terminal.

use std::io::{IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use super::Failure;
use crate::model::{DeploymentStatus, Health, ResourceStatus, RunState};

/// `--output table|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Output {
    #[default]
    Table,
    Json,
}

/// Print a value as pretty JSON followed by a newline, written as it is serialised (a
/// big team's `status` is megabytes).
pub fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let failed = |e: &dyn std::fmt::Display| Failure::failed(format!("cannot write JSON: {e}"));
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| failed(&e))?;
    writeln!(out)
        .and_then(|()| out.flush())
        .map_err(|e| failed(&e))
}

/// A borderless table with a header row, aligned like `kubectl get`.
pub fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

pub fn print_table(table: &Table) {
    let mut out = std::io::stdout().lock();
    for line in table.lines() {
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// Colours for a stream, off when it is not a terminal or `NO_COLOR` is set.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    pub fn stdout() -> Self {
        Self {
            on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    pub fn stderr() -> Self {
        Self {
            on: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn apply(self, style: Style, text: &str) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn red(self, text: &str) -> String {
        self.apply(AnsiColor::Red.on_default(), text)
    }

    pub fn green(self, text: &str) -> String {
        self.apply(AnsiColor::Green.on_default(), text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.apply(AnsiColor::Yellow.on_default(), text)
    }

    pub fn dim(self, text: &str) -> String {
        self.apply(Style::new().dimmed(), text)
    }

    pub fn bold(self, text: &str) -> String {
        self.apply(Style::new().bold(), text)
    }

    pub fn status(self, status: &ResourceStatus) -> String {
        let text = status.to_string();
        match (&status.state, status.health) {
            (RunState::Running, Health::Unhealthy) | (RunState::Degraded, _) => self.yellow(&text),
            (RunState::Running, _) => self.green(&text),
            (RunState::Exited | RunState::Removing, _) => self.red(&text),
            (RunState::Unknown(_), _) => self.dim(&text),
            _ => self.yellow(&text),
        }
    }

    pub fn deployment(self, status: &DeploymentStatus) -> String {
        match status {
            DeploymentStatus::Finished => self.green(status.as_str()),
            DeploymentStatus::Failed => self.red(status.as_str()),
            DeploymentStatus::Queued | DeploymentStatus::InProgress => self.yellow(status.as_str()),
            _ => self.dim(status.as_str()),
        }
    }
}
