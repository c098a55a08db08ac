//! GitHub REST client for promotion: repositories, branches, compare and server-side
//! merges (`reference/apis/github.md` §3, §4, §6), with typed errors whose messages say
//! what to do next.
//!
//! Every request sends `Accept: application/vnd.github+json`, `X-GitHub-Api-Version:
//! 2022-11-28`, `User-Agent: pftui/<version>` and the token as a bearer; the token is a
//! [`SecretString`](secrecy::SecretString), never printed or shown by `Debug`. Reads are
//! retried on transient failures (5xx, timeouts, refused connections, short secondary
//! rate limits); merges are sent exactly once. The API root defaults to
//! [`DEFAULT_API_URL`]; callers read `GITHUB_API_URL` and `GITHUB_TOKEN` themselves.
//!
//! ```no_run
//! # async fn promote() -> Result<(), pftui::github::GithubError> {
//! use pftui::github::{Client, MergeOutcome, RepoName};
//! let repo = RepoName::parse("https://github.com/pfcore/pf-air.git")?;
//! let gh = Client::new("https://api.github.com", "ghp_...".to_string().into())?;
//! let diff = gh.compare(&repo.owner, &repo.name, "staging", "develop").await?;
//! if !diff.head_contained() {
//!     match gh.merge(&repo.owner, &repo.name, "staging", "develop", None).await? {
//!         MergeOutcome::Merged { sha } => println!("staging is now {sha}"),
//!         MergeOutcome::AlreadyUpToDate => println!("nothing to merge"),
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod client;
mod error;
mod pagination;
mod repo_name;
pub mod routes;
mod types;

/// How long to wait for GitHub, and how often to retry reads.
pub use crate::http::Options as ClientOptions;
pub use client::{API_VERSION, Client, DEFAULT_API_URL};
pub use error::GithubError;
pub use pagination::next_link;
pub use repo_name::RepoName;
pub use types::{
    Branch, ChangedFile, CommitSummary, CompareStatus, Comparison, MergeOutcome, Repository,
};
