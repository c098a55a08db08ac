//! What the client returns, and the lenient wire shapes it reads them from (unknown
//! fields ignored, every field optional).

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A repository, as far as promotion cares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repository {
    /// `owner/name`.
    pub full_name: String,
    pub owner: String,
    pub name: String,
    pub private: bool,
    pub archived: bool,
    pub default_branch: String,
    pub html_url: String,
    /// Whether the token may push (and so merge); None when GitHub did not say.
    pub can_push: Option<bool>,
}

/// A branch and its head commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Branch {
    pub name: String,
    /// The head commit's sha.
    pub sha: String,
    /// Classic branch protection is on (rulesets are not reported here).
    pub protected: bool,
}

/// How a compare's head relates to its base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CompareStatus {
    /// The head has commits the base lacks, and the base nothing the head lacks.
    Ahead,
    /// The base has commits the head lacks; the head has none the base lacks.
    Behind,
    Identical,
    /// Both have commits the other lacks.
    Diverged,
    /// A status this client does not know, as GitHub spelled it.
    Unknown(String),
}

impl CompareStatus {
    fn from_wire(s: &str) -> Self {
        match s {
            "ahead" => Self::Ahead,
            "behind" => Self::Behind,
            "identical" => Self::Identical,
            "diverged" => Self::Diverged,
            other => Self::Unknown(other.to_string()),
        }
    }
}

impl fmt::Display for CompareStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ahead => "ahead",
            Self::Behind => "behind",
            Self::Identical => "identical",
            Self::Diverged => "diverged",
            Self::Unknown(s) => s,
        })
    }
}

/// One commit of a compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitSummary {
    pub sha: String,
    /// The message's first line.
    pub title: String,
    /// The whole message.
    pub message: String,
    /// The git author's name (or the GitHub login when the name is missing).
    pub author: String,
    pub author_email: Option<String>,
    /// The git author date.
    pub date: Option<Timestamp>,
    pub html_url: Option<String>,
}

impl CommitSummary {
    /// The first 7 characters of the sha.
    pub fn short_sha(&self) -> &str {
        crate::model::short_sha(&self.sha)
    }
}

/// One file a compare touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFile {
    pub filename: String,
    /// `added`, `modified`, `removed`, `renamed`, ...
    pub status: String,
    pub additions: u64,
    pub deletions: u64,
}

/// `GET /repos/{o}/{r}/compare/{base}...{head}`: what merging head into base would bring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub status: CompareStatus,
    /// Commits in head that base lacks.
    pub ahead_by: u64,
    /// Commits in base that head lacks.
    pub behind_by: u64,
    pub total_commits: u64,
    /// The best common ancestor's sha.
    pub merge_base: Option<String>,
    /// Head's commits that base lacks, oldest first; GitHub lists at most 250 (see
    /// `total_commits` for the full count).
    pub commits: Vec<CommitSummary>,
    /// GitHub lists at most 300.
    pub files: Vec<ChangedFile>,
    pub html_url: Option<String>,
}

impl Comparison {
    /// Base already contains everything in head: a merge would change nothing.
    pub fn head_contained(&self) -> bool {
        matches!(
            self.status,
            CompareStatus::Identical | CompareStatus::Behind
        ) || (self.ahead_by == 0 && !matches!(self.status, CompareStatus::Unknown(_)))
    }
}

/// What `POST /repos/{o}/{r}/merges` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum MergeOutcome {
    /// 201: a merge commit now heads the base branch.
    Merged { sha: String },
    /// 204: the base already contained the head; nothing changed.
    AlreadyUpToDate,
}

// ----- wire shapes -----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireOwner {
    pub login: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WirePermissions {
    pub push: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireRepository {
    pub full_name: Option<String>,
    pub name: Option<String>,
    pub owner: Option<WireOwner>,
    pub private: Option<bool>,
    pub archived: Option<bool>,
    pub default_branch: Option<String>,
    pub html_url: Option<String>,
    pub permissions: Option<WirePermissions>,
}

impl WireRepository {
    pub(crate) fn into_model(self, owner: &str, name: &str) -> Repository {
        let owner = self
            .owner
            .and_then(|o| o.login)
            .unwrap_or_else(|| owner.to_string());
        let name = self.name.unwrap_or_else(|| name.to_string());
        Repository {
            full_name: self.full_name.unwrap_or_else(|| format!("{owner}/{name}")),
            html_url: self
                .html_url
                .unwrap_or_else(|| format!("https://github.com/{owner}/{name}")),
            owner,
            name,
            private: self.private.unwrap_or(false),
            archived: self.archived.unwrap_or(false),
            default_branch: self.default_branch.unwrap_or_else(|| "main".into()),
            can_push: self.permissions.and_then(|p| p.push),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireCommitRef {
    pub sha: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireBranch {
    pub name: Option<String>,
    pub commit: Option<WireCommitRef>,
    pub protected: Option<bool>,
}

impl WireBranch {
    pub(crate) fn into_model(self) -> Option<Branch> {
        Some(Branch {
            name: self.name?,
            sha: self.commit.and_then(|c| c.sha).unwrap_or_default(),
            protected: self.protected.unwrap_or(false),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireGitPerson {
    pub name: Option<String>,
    pub email: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireGitCommit {
    pub message: Option<String>,
    pub author: Option<WireGitPerson>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireCommit {
    pub sha: Option<String>,
    pub commit: Option<WireGitCommit>,
    pub author: Option<WireOwner>,
    pub html_url: Option<String>,
}

impl WireCommit {
    pub(crate) fn into_model(self) -> Option<CommitSummary> {
        let sha = self.sha?;
        let git = self.commit.unwrap_or_default();
        let message = git.message.unwrap_or_default();
        let person = git.author.unwrap_or_default();
        let author = person
            .name
            .filter(|n| !n.trim().is_empty())
            .or_else(|| self.author.and_then(|a| a.login))
            .unwrap_or_else(|| "unknown".into());
        Some(CommitSummary {
            sha,
            title: message.lines().next().unwrap_or("").trim().to_string(),
            message,
            author,
            author_email: person.email,
            date: person.date.and_then(|d| d.parse::<Timestamp>().ok()),
            html_url: self.html_url,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireFile {
    pub filename: Option<String>,
    pub status: Option<String>,
    pub additions: Option<u64>,
    pub deletions: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireComparison {
    pub status: Option<String>,
    pub ahead_by: Option<u64>,
    pub behind_by: Option<u64>,
    pub total_commits: Option<u64>,
    pub merge_base_commit: Option<WireCommitRef>,
    pub commits: Option<Vec<WireCommit>>,
    pub files: Option<Vec<WireFile>>,
    pub html_url: Option<String>,
}

impl WireComparison {
    pub(crate) fn into_model(self) -> Comparison {
        let commits: Vec<CommitSummary> = self
            .commits
            .unwrap_or_default()
            .into_iter()
            .filter_map(WireCommit::into_model)
            .collect();
        let ahead_by = self.ahead_by.unwrap_or(commits.len() as u64);
        let behind_by = self.behind_by.unwrap_or(0);
        let status = match self.status.as_deref() {
            Some(s) => CompareStatus::from_wire(s),
            None => match (ahead_by, behind_by) {
                (0, 0) => CompareStatus::Identical,
                (_, 0) => CompareStatus::Ahead,
                (0, _) => CompareStatus::Behind,
                _ => CompareStatus::Diverged,
            },
        };
        Comparison {
            status,
            ahead_by,
            behind_by,
            total_commits: self.total_commits.unwrap_or(ahead_by),
            merge_base: self.merge_base_commit.and_then(|c| c.sha),
            commits,
            files: self
                .files
                .unwrap_or_default()
                .into_iter()
                .filter_map(|f| {
                    Some(ChangedFile {
                        filename: f.filename?,
                        status: f.status.unwrap_or_else(|| "modified".into()),
                        additions: f.additions.unwrap_or(0),
                        deletions: f.deletions.unwrap_or(0),
                    })
                })
                .collect(),
            html_url: self.html_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_read_leniently() {
        let wire: WireComparison = serde_json::from_str(
            r#"{"status":"ahead","ahead_by":2,"behind_by":0,"total_commits":2,
                "merge_base_commit":{"sha":"aaa"},
                "commits":[
                  {"sha":"b1","commit":{"message":"feat: one\n\nbody","author":{"name":"Ann","email":"a@x","date":"2026-01-02T03:04:05Z"}},"html_url":"https://github.com/o/r/commit/b1"},
                  {"sha":"b2","commit":{"message":"fix: two","author":null},"author":{"login":"bot"}},
                  {"commit":{"message":"no sha, skipped"}}
                ],
                "files":[{"filename":"a.ts","status":"modified","additions":3,"deletions":1},{"status":"added"}],
                "html_url":"https://github.com/o/r/compare/a...b","extra":{"ignored":true}}"#,
        )
        .expect("decodes");
        let c = wire.into_model();
        assert_eq!(c.status, CompareStatus::Ahead);
        assert_eq!(c.merge_base.as_deref(), Some("aaa"));
        assert_eq!(c.commits.len(), 2);
        assert_eq!(c.commits[0].title, "feat: one");
        assert_eq!(c.commits[0].message, "feat: one\n\nbody");
        assert_eq!(c.commits[0].author, "Ann");
        assert_eq!(
            c.commits[0].date.map(|d| d.as_second()),
            Some(1_767_323_045)
        );
        assert_eq!(c.commits[1].author, "bot");
        assert_eq!(c.files.len(), 1);
        assert!(!c.head_contained());
    }

    #[test]
    fn statuses_and_containment() {
        let empty: WireComparison = serde_json::from_str("{}").expect("decodes");
        let c = empty.into_model();
        assert_eq!(c.status, CompareStatus::Identical);
        assert!(c.head_contained());
        let odd: WireComparison =
            serde_json::from_str(r#"{"status":"weird","ahead_by":1}"#).expect("decodes");
        let c = odd.into_model();
        assert_eq!(c.status.to_string(), "weird");
        assert!(!c.head_contained());
        let behind: WireComparison =
            serde_json::from_str(r#"{"status":"behind","ahead_by":0,"behind_by":3}"#)
                .expect("decodes");
        assert!(behind.into_model().head_contained());
    }
}
