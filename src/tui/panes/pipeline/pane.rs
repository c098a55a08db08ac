//! The pipeline view's own state, without what changes the rest of the console.

use crate::model::pipeline::Stage;
use crate::model::stages::{Board, Cell, Lane};
use crate::model::time;
use crate::tui::msg::Effect;
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
