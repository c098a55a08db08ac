//! What a plan holds: a request resolved to its targets, the policy's verdict, the preview
//! the operator confirms, and each operation's own resolved step; and the reads every
//! planner shares. Nothing changes on the server while planning.

use serde::Serialize;

use super::catalogue::{Kind, TO};
use super::policy::Verdict;
use super::request::{Request, Target};
use super::{Ops, OpsError};
use crate::config::DesiredValue;
use crate::github::RepoName;
use crate::model::Setting;
use crate::model::pipeline::Stage;
use crate::model::{Address, AppInfo, Resource, ResourceKind};
use serde_json::Value;

/// A resolved operation, ready for confirmation and execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub kind: Kind,
    pub targets: Vec<Target>,
    /// The environment whose policy applies.
    pub environment: String,
    pub verdict: Verdict,
    pub preview: Preview,
    /// What each target runs now (the image of its running container, or on servers
    /// without rollback images its last deployed commit), when known: what a failed
    /// operation rolls back to.
    pub current: Vec<Option<String>>,
    pub(crate) step: Step,
}

/// What the operator sees before confirming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub title: String,
    /// What will happen, one line each.
    pub actions: Vec<String>,
    /// Commits that will move (promotion).
    pub commits: Vec<String>,
    /// Whether and how it can be undone.
    pub undo: String,
    /// The `pftui` command that does the same.
    pub cli: String,
    pub notes: Vec<String>,
}

/// Operation-specific data resolved while planning, one variant per operation that the
/// pipeline runs (`pipeline.rs` matches on it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Deploy {
        force: bool,
    },
    Restart,
    Stop,
    Start,
    /// Deployment uuids to cancel, per target index.
    Cancel(Vec<(usize, String)>),
    /// Redeploy an image; `pin` on servers without the rollback endpoint.
    Rollback {
        tag: String,
        pin: bool,
    },
    Promote(Box<Promotion>),
    ConfigApply(Box<ConfigWrite>),
}

/// A promotion's resolved pairs and merges.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Promotion {
    pub pairs: Vec<Pair>,
    /// Empty without GitHub access: then the targets redeploy the sources' commits.
    pub merges: Vec<Merge>,
}

/// One source application and the target it promotes to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pair {
    pub source: Target,
    pub target: Target,
    /// Coolify deploys the target on a push to its branch.
    pub auto_deploy: bool,
    /// The commit the source runs (used without GitHub).
    pub source_commit: Option<String>,
}

/// A merge on GitHub into the target environment's branch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Merge {
    pub repo: RepoName,
    /// The target environment's branch.
    pub base: String,
    /// The source environment's branch.
    pub branch: String,
    /// What is merged: the commit the source environment runs, or its branch's head when
    /// that was asked for (or what it runs is unknown).
    pub head: String,
    /// What is merged as people read it: `develop` when it is the branch's head, else
    /// `165dbab (develop)`.
    pub label: String,
    pub commits: usize,
}

/// What an apply writes, per application.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConfigWrite {
    pub apps: Vec<AppWrite>,
}

/// What an apply writes to one application (target `index` of the plan).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AppWrite {
    pub index: usize,
    pub settings: Vec<(Setting, Value)>,
    pub envs: Vec<EnvWrite>,
    /// Extras to remove: key and the server's uuid of the variable (its preview copy is
    /// another).
    pub removals: Vec<(String, String)>,
}

/// A variable to create or update; a secret's value is read when the apply runs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EnvWrite {
    pub key: String,
    pub value: DesiredValue,
    pub is_literal: bool,
    pub is_multiline: bool,
}

/// Where an application is built from, as far as known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GitSource {
    /// `owner/name`, or a URL of it.
    pub repository: Option<String>,
    pub branch: Option<String>,
}

/// An environment an operation acts on, with the resources it names there.
pub(crate) struct Scoped {
    pub project: String,
    pub environment: String,
    pub resources: Vec<Resource>,
    pub targets: Vec<Target>,
}

impl Plan {
    /// What target `i` ran when the operation began.
    pub(crate) fn ran_before(&self, i: usize) -> Option<String> {
        self.current.get(i).cloned().flatten()
    }
}

#[cfg(test)]
impl Plan {
    /// A deploy plan without a server, for tests of the console.
    pub(crate) fn for_tests(
        kind: Kind,
        targets: Vec<Target>,
        environment: &str,
        verdict: Verdict,
        preview: Preview,
    ) -> Self {
        Self {
            kind,
            current: vec![None; targets.len()],
            targets,
            environment: environment.to_string(),
            verdict,
            preview,
            step: Step::Deploy { force: false },
        }
    }
}

impl Ops {
    /// The policy's verdict on `kind` in `environment`.
    pub(crate) fn verdict(&self, environment: &str, kind: Kind) -> Verdict {
        Verdict::decide(
            &self.settings,
            self.session.context(),
            self.session.read_only(),
            environment,
            kind.risk(),
        )
    }

    /// The environment a request's address names and the resources it names there: one,
    /// or every application of the environment.
    pub(crate) async fn scoped(&self, address: &Address) -> Result<Scoped, OpsError> {
        let tree = self.scope_tree(address).await?;
        let (project, env) = address.find_environment(&tree)?;
        let resources: Vec<Resource> = address
            .find_applications(&tree)?
            .into_iter()
            .cloned()
            .collect();
        Ok(Scoped {
            targets: resources
                .iter()
                .map(|r| target(&project.name, &env.name, r))
                .collect(),
            project: project.name.clone(),
            environment: env.name.clone(),
            resources,
        })
    }

    /// The pipeline stage an environment is: by the names the platform gives its stages,
    /// production as the policy names it.
    pub(crate) fn stage_of(&self, environment: &str) -> Option<Stage> {
        if self.settings.policy.is_production(environment) {
            Some(Stage::Prod)
        } else {
            Stage::of(environment)
        }
    }

    /// Where an environment's application is built from: its repository and branch, the
    /// settings' per-instance overrides (`instances.<project>`) before what Coolify says.
    pub(crate) fn git_source(&self, project: &str, environment: &str, app: &AppInfo) -> GitSource {
        let instance = self
            .settings
            .context(self.session.context())
            .and_then(|c| {
                c.instances
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(project))
            })
            .map(|(_, i)| i.clone())
            .unwrap_or_default();
        GitSource {
            repository: instance
                .github_repository
                .or_else(|| app.git_repository.clone()),
            branch: instance
                .branches
                .iter()
                .find(|(e, _)| e.eq_ignore_ascii_case(environment))
                .map(|(_, b)| b.clone())
                .or_else(|| app.git_branch.clone()),
        }
    }

    /// What each application runs now; `None` for databases, services and unknowns.
    pub(crate) async fn current_images(&self, targets: &[Target]) -> Vec<Option<String>> {
        let reads = targets.iter().map(|t| async move {
            if t.kind != ResourceKind::Application {
                return None;
            }
            self.rollback_choice(&t.uuid).await.ok()?.current
        });
        futures::future::join_all(reads).await
    }
}

pub(crate) fn target(project: &str, environment: &str, r: &Resource) -> Target {
    Target {
        project: project.to_string(),
        environment: environment.to_string(),
        name: r.name.clone(),
        uuid: r.uuid.clone(),
        kind: r.kind,
    }
}

/// `air-staging, air-worker`.
pub(crate) fn names(targets: &[Target]) -> String {
    targets
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `AIR/staging/air-staging, AIR/staging/air-worker`.
pub(crate) fn names_with_place(targets: &[Target]) -> String {
    targets
        .iter()
        .map(Target::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `Deploy`, `Restart`: a kind's name as a title starts.
pub(crate) fn capitalised(kind: Kind) -> String {
    let name = kind.name();
    name[..1].to_ascii_uppercase() + &name[1..]
}

/// How to go back, per target, to what runs now: the rollback command for each.
pub(crate) fn undo_by_rollback(targets: &[Target], current: &[Option<String>]) -> String {
    let steps: Vec<String> = targets
        .iter()
        .zip(current)
        .map(|(t, c)| match c {
            Some(tag) => Request::new(Kind::Rollback, t.address())
                .text(TO, tag.as_str())
                .command_line(),
            None => format!("{}: no earlier image known", t.name),
        })
        .collect();
    steps.join("; ")
}
