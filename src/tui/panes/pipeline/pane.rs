//! The pipeline view's own state, without what changes the rest of the console.

use std::collections::HashMap;

use crate::model::pipeline::Stage;
use crate::model::stages::{Board, Cell, Lane};
use crate::model::time;
use crate::ops::ConfigDiff;
use crate::tui::msg::{Compared, Effect};
use crate::tui::panes::step;

/// The columns, in order.
pub const STAGES: [Stage; 3] = [Stage::Dev, Stage::Staging, Stage::Prod];

/// The board, how reading it goes, and the selected cell.
#[derive(Debug, Default)]
pub struct PipelinePane {
    /// The board last read, or why it could not be read.
    pub board: Option<Result<Board, String>>,
    /// A read is under way (the last board stays on screen meanwhile).
    pub loading: bool,
    pub row: usize,
    /// Index into [`STAGES`].
    pub column: usize,
    /// The environments the platform configuration covers, against it, by project and
    /// environment in lower case.
    pub drift: HashMap<(String, String), Drift>,
    /// There is no platform configuration: the board's environments are not compared.
    pub unconfigured: bool,
}

/// How an environment stands against the platform configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    InSync,
    /// What an apply would change, and how many applications the configuration names that
    /// the server lacks.
    Drifted {
        changes: usize,
        missing: usize,
    },
    /// It could not be compared, and why.
    Unknown(String),
}

impl Drift {
    fn of(result: Result<ConfigDiff, String>) -> Self {
        match result {
            Ok(diff) if diff.in_sync() => Self::InSync,
            Ok(diff) => Self::Drifted {
                changes: diff.changes(),
                missing: diff.apps.iter().filter(|a| a.uuid.is_none()).count(),
            },
            Err(why) => Self::Unknown(why),
        }
    }
}

fn place(project: &str, environment: &str) -> (String, String) {
    (project.to_lowercase(), environment.to_lowercase())
}

impl PipelinePane {
    /// Read the board (unless a read is under way).
    pub fn load(&mut self) -> Vec<Effect> {
        if self.loading {
            return Vec::new();
        }
        self.loading = true;
        vec![Effect::LoadPipeline]
    }

    /// A read finished.
    pub fn loaded(&mut self, result: Result<Board, String>) {
        self.loading = false;
        self.board = Some(result);
        let rows = self.board().map_or(0, |b| b.lanes.len());
        self.row = self.row.min(rows.saturating_sub(1));
    }

    /// Compare the board's environments with the platform configuration (unless there is
    /// none): read off the board's own read, so the board shows first.
    pub fn read_drift(&self) -> Vec<Effect> {
        let Some(board) = self.board().filter(|_| !self.unconfigured) else {
            return Vec::new();
        };
        let lanes = board.lanes.iter();
        let mut places: Vec<(String, String)> = lanes
            .flat_map(|l| {
                l.cells
                    .iter()
                    .map(|c| (l.project.clone(), c.environment.clone()))
            })
            .collect();
        places.sort();
        places.dedup();
        if places.is_empty() {
            return Vec::new();
        }
        vec![Effect::LoadDrift(places)]
    }

    /// The comparison came back: `None` when there is no platform configuration (the
    /// board is not compared again).
    pub fn drifted(&mut self, result: Option<Vec<Compared>>) {
        let Some(compared) = result else {
            self.unconfigured = true;
            self.drift.clear();
            return;
        };
        self.drift = compared
            .into_iter()
            .map(|c| (place(&c.project, &c.environment), Drift::of(c.result)))
            .collect();
    }

    /// How `project`'s `environment` stands against the platform configuration, when it
    /// covers it.
    pub fn drift(&self, project: &str, environment: &str) -> Option<&Drift> {
        self.drift.get(&place(project, environment))
    }

    pub fn loading(&self) -> bool {
        self.loading
    }

    /// The board, when one was read.
    pub fn board(&self) -> Option<&Board> {
        self.board.as_ref()?.as_ref().ok()
    }

    /// Why the last read failed.
    pub fn error(&self) -> Option<&str> {
        self.board.as_ref()?.as_ref().err().map(String::as_str)
    }

    pub fn row(&self) -> usize {
        self.row
    }

    pub fn stage(&self) -> Stage {
        STAGES[self.column]
    }

    /// The selected lane.
    pub fn lane(&self) -> Option<&Lane> {
        self.board()?.lanes.get(self.row)
    }

    /// The selected cell (none where the lane has no application in that stage).
    pub fn selected(&self) -> Option<&Cell> {
        self.lane()?.cell(self.stage())
    }

    /// Move the selection by rows, within the board.
    pub fn move_rows(&mut self, delta: isize) {
        let rows = self.board().map_or(0, |b| b.lanes.len());
        self.row = step(self.row, delta, rows);
    }

    /// Move the selection by stages.
    pub fn move_stage(&mut self, delta: isize) {
        self.column = step(self.column, delta, STAGES.len());
    }

    /// The ages the view prints, so that the console draws again when one changes.
    pub fn clock_face(&self, now: jiff::Timestamp) -> Vec<String> {
        let cells = self.board().into_iter().flat_map(|b| &b.lanes);
        cells
            .flat_map(|l| &l.cells)
            .filter_map(|c| c.running.as_ref().ok()?.as_ref()?.at)
            .map(|at| age(at, now))
            .collect()
    }
}

/// An age as a cell shows it (`now`, `5m`, `2h10m`, `3d4h`).
pub fn age(at: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let secs = now.duration_since(at).as_secs();
    if secs < 60 {
        return "now".into();
    }
    let whole = time::compact(jiff::SignedDuration::from_secs(secs / 60 * 60));
    whole.strip_suffix("00s").unwrap_or(&whole).to_string()
}
