//! Log lines as a reader sees them: deployment log entries laid out line by line.

use jiff::Timestamp;

/// What a displayed log line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The command that produced the lines below it.
    Command,
    Stdout,
    Stderr,
}

/// One line to display.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub kind: LineKind,
    pub text: String,
    pub timestamp: Option<Timestamp>,
    pub hidden: bool,
}
