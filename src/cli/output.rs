//! How the CLI prints: aligned tables or stable JSON, colour only on a terminal, and
//! standard output that ends quietly when its reader goes away.
//!
//! Everything goes to standard output through [`write_out`] (the `outln!` and `out!`
//! macros): `println!` panics when the pipe it writes to is closed (`pftui logs ... | head
//! -1`), this ends the output instead. Text from a server, a repository or a model is made
//! printable ([`crate::model::printable`]) by the caller before it is painted or put in a
//! table; JSON carries it exactly.

use std::fmt;
use std::io::{BufWriter, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::{AnsiColor, Style};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use super::Failure;
use crate::model::{DeploymentStatus, Health, ResourceStatus, RunState, printable_line};

/// Standard output has ended: a write to it failed (its reader went away, or the terminal
/// closed). Nothing more is written to it.
static ENDED: AtomicBool = AtomicBool::new(false);

/// Write to standard output unless it has ended; a write that fails ends it. Never
/// panics.
pub fn write_out(args: fmt::Arguments<'_>) {
    if ended() {
        return;
    }
    let mut out = std::io::stdout().lock();
    if out.write_fmt(args).and_then(|()| out.flush()).is_err() {
        ENDED.store(true, Ordering::Relaxed);
    }
}

/// Standard output has ended (see [`write_out`]): a command that would go on printing
/// (following a log) can stop.
pub fn ended() -> bool {
    ENDED.load(Ordering::Relaxed)
}

/// Write to standard error; a failed write is dropped (there is nowhere left to say so).
pub fn write_err(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args);
}

/// `println!` through [`write_out`].
macro_rules! outln {
    () => {
        $crate::cli::output::write_out(format_args!("\n"))
    };
    ($($arg:tt)+) => {
        $crate::cli::output::write_out(format_args!("{}\n", format_args!($($arg)+)))
    };
}

/// `print!` through [`write_out`].
macro_rules! out {
    ($($arg:tt)+) => {
        $crate::cli::output::write_out(format_args!($($arg)+))
    };
}

/// `eprintln!` through [`write_err`].
macro_rules! errln {
    ($($arg:tt)+) => {
        $crate::cli::output::write_err(format_args!("{}\n", format_args!($($arg)+)))
    };
}

pub(crate) use {errln, out, outln};

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
    if ended() {
        return Ok(());
    }
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(|e| (!e.is_io()).then_some(e))
        .and_then(|()| writeln!(out).and_then(|()| out.flush()).map_err(|_| None));
    match written {
        Ok(()) => Ok(()),
        // The reader went away: the output has ended.
        Err(None) => {
            ENDED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(Some(e)) => Err(Failure::failed(format!("cannot write JSON: {e}"))),
    }
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
    for line in table.lines() {
        outln!("{}", line.trim_end());
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

    /// A resource's status, coloured by what it means; an unknown one as the server wrote
    /// it, made printable.
    pub fn status(self, status: &ResourceStatus) -> String {
        let text = status.to_string();
        let text = printable_line(&text);
        match (&status.state, status.health) {
            (RunState::Running, Health::Unhealthy) | (RunState::Degraded, _) => self.yellow(&text),
            (RunState::Running, _) => self.green(&text),
            (RunState::Exited | RunState::Dead | RunState::Removing, _) => self.red(&text),
            (RunState::Unknown(_), _) => self.dim(&text),
            _ => self.yellow(&text),
        }
    }

    /// A deployment's status, coloured by what it means; an unknown one as the server wrote
    /// it, made printable.
    pub fn deployment(self, status: &DeploymentStatus) -> String {
        let text = printable_line(status.as_str());
        match status {
            DeploymentStatus::Finished => self.green(&text),
            DeploymentStatus::Failed => self.red(&text),
            DeploymentStatus::Queued | DeploymentStatus::InProgress => self.yellow(&text),
            _ => self.dim(&text),
        }
    }
}
