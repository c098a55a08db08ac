//! Where a value was written ([`Origin`]: file, line, column) and what is wrong with one
//! ([`Problem`]: its position, its key path and what was expected).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

/// A position in one configuration file: line and column count from 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Origin {
    #[serde(serialize_with = "display_path")]
    pub file: Arc<Path>,
    pub line: usize,
    pub column: usize,
}

impl Origin {
    pub fn new(file: &Arc<Path>, line: usize, column: usize) -> Self {
        Self {
            file: Arc::clone(file),
            line,
            column,
        }
    }

    /// The top of `file` (for what a whole file says, or fails to say).
    pub fn top(file: &Arc<Path>) -> Self {
        Self::new(file, 1, 1)
    }

    /// `file:line` with the file named relative to `root` when it lies under it.
    pub fn short(&self, root: &Path) -> String {
        let file = self.file.strip_prefix(root).unwrap_or(&self.file);
        format!("{}:{}", file.display(), self.line)
    }
}

fn display_path<S: serde::Serializer>(file: &Arc<Path>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&file.display())
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One thing wrong with the configuration: where, at which key path (`resources.cpu_limit`;
/// empty for a whole file), and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    #[serde(flatten)]
    pub origin: Origin,
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(origin: Origin, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            origin,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.origin, self.message)
        } else {
            write!(f, "{}: {}: {}", self.origin, self.path, self.message)
        }
    }
}

/// Several problems, as one error (each on its own line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "the platform configuration has {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.0 {
            write!(f, "\n  {p}")?;
        }
        write!(f, "\n(`pftui config check` checks every file)")
    }
}

impl std::error::Error for Problems {}
