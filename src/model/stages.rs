//! The pipeline board: every project's stages side by side, each with the commit it runs,
//! the branch it tracks and how that branch and the next stage's compare with it. Each part
//! of a cell is read on its own: a part that could not be read says why, and the rest of
//! the board stands.

use jiff::Timestamp;
use serde::Serialize;

use super::deployment::short_sha;
use super::pipeline::Stage;

/// A part of a cell as it was read, or why it could not be.
pub type Read<T> = Result<T, String>;

/// Every lane of every project, and what holds for the whole board (GitHub not configured,
/// environments outside the pipeline).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Board {
    pub lanes: Vec<Lane>,
    pub notes: Vec<String>,
}

/// One row: a project's applications of one repository across the stages (a project whose
/// environments hold one application each has one lane).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lane {
    pub project: String,
    /// The repository the lane's applications are built from, when the project has lanes
    /// of several (`None` for a project's only lane).
    pub repository: Option<String>,
    /// The lane's cells in stage order; a stage without an application of the lane has none.
    pub cells: Vec<Cell>,
}

/// One application in one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub stage: Stage,
    pub environment: String,
    pub app: String,
    /// The application's uuid.
    pub uuid: String,
    /// The commit of the latest finished deployment; `Ok(None)` before the first one.
    pub running: Read<Option<Running>>,
    /// The branch it tracks, when known.
    pub branch: Option<String>,
    /// That branch's head on GitHub; `None` without GitHub access.
    pub head: Option<Read<String>>,
    /// How many commits of its branch's head the running commit lacks; `None` when it runs
    /// the head or either is unknown.
    pub behind: Option<Read<u64>>,
    /// The environment a promotion from here goes to, when the lane has one after this.
    pub next: Option<String>,
    /// How many commits promoting to `next` would move (what runs here that the next
    /// stage's branch lacks); `None` without GitHub access or a next stage.
    pub ahead: Option<Read<u64>>,
}

/// What an application runs: the commit of its latest finished deployment, and when that
/// deployment finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Running {
    pub commit: String,
    pub at: Option<Timestamp>,
}

impl Board {
    /// The lane at `row` and its cell in `stage`.
    pub fn cell(&self, row: usize, stage: Stage) -> Option<&Cell> {
        self.lanes.get(row)?.cell(stage)
    }
}

impl Lane {
    pub fn cell(&self, stage: Stage) -> Option<&Cell> {
        self.cells.iter().find(|c| c.stage == stage)
    }

    /// The lane as its row names it: the project, with the repository when it has lanes
    /// of several.
    pub fn title(&self) -> String {
        match &self.repository {
            Some(repo) => format!("{} {}", self.project, repo),
            None => self.project.clone(),
        }
    }
}

impl Cell {
    /// The short sha of what runs, when known.
    pub fn short_commit(&self) -> Option<&str> {
        match &self.running {
            Ok(Some(r)) => Some(short_sha(&r.commit)),
            _ => None,
        }
    }

    /// Runs a commit other than its branch's head (both known).
    pub fn is_behind(&self) -> bool {
        matches!(
            (&self.running, &self.head),
            (Ok(Some(r)), Some(Ok(head))) if !same_commit(&r.commit, head)
        )
    }

    /// Commits a promotion from here would move, when known and more than none.
    pub fn to_promote(&self) -> Option<u64> {
        match self.ahead {
            Some(Ok(n)) if n > 0 => Some(n),
            _ => None,
        }
    }

    /// What could not be read, one line each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(why) = &self.running {
            out.push(format!("what {} runs: {why}", self.app));
        }
        if let Some(Err(why)) = &self.head {
            let branch = self.branch.as_deref().unwrap_or("its branch");
            out.push(format!("the head of {branch}: {why}"));
        }
        if let Some(Err(why)) = &self.behind {
            out.push(format!("how far behind its branch: {why}"));
        }
        if let (Some(Err(why)), Some(next)) = (&self.ahead, &self.next) {
            out.push(format!("what a promotion to {next} would move: {why}"));
        }
        out
    }
}

/// Two shas name the same commit (one may be abbreviated).
pub fn same_commit(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && (a.starts_with(b) || b.starts_with(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(running: Read<Option<Running>>, head: Option<Read<String>>) -> Cell {
        Cell {
            stage: Stage::Dev,
            environment: "dev".into(),
            app: "air-dev".into(),
            uuid: "app-air-dev".into(),
            running,
            branch: Some("develop".into()),
            head,
            behind: None,
            next: Some("staging".into()),
            ahead: None,
        }
    }

    fn runs(commit: &str) -> Read<Option<Running>> {
        Ok(Some(Running {
            commit: commit.into(),
            at: None,
        }))
    }

    #[test]
    fn behind_only_when_both_commits_are_known_and_differ() {
        assert!(cell(runs("a1b2c3d4"), Some(Ok("ffff000".into()))).is_behind());
        assert!(!cell(runs("a1b2c3d4"), Some(Ok("a1b2c3d".into()))).is_behind());
        assert!(!cell(runs("a1b2c3d4"), None).is_behind());
        assert!(!cell(Ok(None), Some(Ok("ffff000".into()))).is_behind());
        assert!(!cell(runs("a1b2c3d4"), Some(Err("404".into()))).is_behind());
    }

    #[test]
    fn problems_name_each_part_that_could_not_be_read() {
        let mut c = cell(Err("HTTP 500".into()), Some(Err("not found".into())));
        c.ahead = Some(Err("no common ancestor".into()));
        assert_eq!(
            c.problems(),
            [
                "what air-dev runs: HTTP 500",
                "the head of develop: not found",
                "what a promotion to staging would move: no common ancestor",
            ]
        );
        assert_eq!(c.to_promote(), None);
        c.ahead = Some(Ok(0));
        assert_eq!(c.to_promote(), None);
        c.ahead = Some(Ok(4));
        assert_eq!(c.to_promote(), Some(4));
        assert!(cell(runs("a1b2c3d"), None).problems().is_empty());
    }
}
