//! Planning: resolve names to resources, read what the preview needs, and decide the
//! policy verdict. Nothing changes on the server while planning.

use serde::Serialize;

use super::catalogue::{FORCE, Kind, TO};
use super::policy::Verdict;
use super::request::{Request, Target};
use super::{Ops, OpsError};
use crate::coolify::{CoolifyError, load_scope};
use crate::model::{Address, Resource, ResourceKind, Tree, short_sha};

/// A resolved operation, ready for confirmation and execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub kind: Kind,
    pub targets: Vec<Target>,
    /// The environment whose policy applies.
    pub environment: String,
    pub verdict: Verdict,
    pub preview: Preview,
    /// What each target runs now (its current image or last deployed commit), when known.
    pub current: Vec<Option<String>>,
    /// The image before that, per target: where to go back when a redeploy of the same
    /// commit fails.
    pub previous: Vec<Option<String>>,
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

/// Operation-specific data resolved while planning.
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
    Promote(Box<super::promote::Promotion>),
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
            previous: vec![None; targets.len()],
            targets,
            environment: environment.to_string(),
            verdict,
            preview,
            step: Step::Deploy { force: false },
        }
    }
}

impl Ops {
    /// Resolve and preview a request. Reads only.
    pub async fn plan(&self, request: &Request) -> Result<Plan, OpsError> {
        match request.kind {
            Kind::Deploy => {
                let force = request.has_flag(FORCE);
                self.plan_lifecycle(request, Step::Deploy { force }).await
            }
            Kind::Restart => self.plan_lifecycle(request, Step::Restart).await,
            Kind::Stop => self.plan_lifecycle(request, Step::Stop).await,
            Kind::Start => self.plan_lifecycle(request, Step::Start).await,
            Kind::Cancel => self.plan_cancel(request).await,
            Kind::Rollback => self.plan_rollback(request).await,
            Kind::Promote => self.plan_promote(request).await,
            Kind::Overview
            | Kind::Resource
            | Kind::Deployments
            | Kind::DeploymentLog
            | Kind::RollbackImages
            | Kind::Servers
            | Kind::Audit => Err(OpsError::Nothing(format!(
                "{} only reads: there is nothing to plan",
                request.kind
            ))),
        }
    }

    /// The part of the tree a request's address names: its project, with the environment
    /// it names.
    async fn scope_tree(&self, address: &Address) -> Result<Tree, OpsError> {
        let environments: Vec<&str> = address.environment.as_deref().into_iter().collect();
        Ok(load_scope(&self.session.coolify, &address.project, &environments).await?)
    }

    pub(crate) fn verdict(&self, environment: &str, kind: Kind) -> Verdict {
        Verdict::decide(
            &self.settings,
            &self.session.context,
            self.session.read_only,
            environment,
            kind.risk(),
        )
    }

    /// Deploy, restart, stop, start: the named resource, or every application of the
    /// environment.
    async fn plan_lifecycle(&self, request: &Request, step: Step) -> Result<Plan, OpsError> {
        let kind = request.kind;
        let address = request.address()?;
        let tree = self.scope_tree(address).await?;
        let (project, env) = address.find_environment(&tree)?;
        let resources = address.find_applications(&tree)?;
        if kind == Kind::Deploy
            && let Some(r) = resources
                .iter()
                .find(|r| r.kind != ResourceKind::Application)
        {
            return Err(OpsError::Nothing(format!(
                "{} is a {}: deploy applications, or start/restart it",
                r.name,
                r.kind.as_str()
            )));
        }
        let targets: Vec<Target> = resources
            .iter()
            .map(|r| target(&project.name, &env.name, r))
            .collect();
        let (current, previous) = self.current_images(&targets).await;
        let names = names(&targets);
        let force = matches!(step, Step::Deploy { force: true });
        let actions: Vec<String> = resources
            .iter()
            .map(|r| match kind {
                Kind::Deploy => format!(
                    "build and start {} from {}{}",
                    r.name,
                    source_of(r),
                    if force {
                        ", without the build cache"
                    } else {
                        ""
                    }
                ),
                Kind::Restart => format!(
                    "restart {} (same image; a short outage is possible)",
                    r.name
                ),
                Kind::Stop => format!("stop {}: it stays down until started again", r.name),
                _ => format!("start {}", r.name),
            })
            .collect();
        let undo = match kind {
            Kind::Stop => format!(
                "{}: {}",
                kind.spec().undo,
                request.then(Kind::Start).command_line()
            ),
            Kind::Start => format!(
                "{}: {}",
                kind.spec().undo,
                request.then(Kind::Stop).command_line()
            ),
            Kind::Restart => kind.spec().undo.to_string(),
            _ => undo_by_rollback(request, &targets, &current),
        };
        Ok(Plan {
            kind,
            environment: env.name.clone(),
            verdict: self.verdict(&env.name, kind),
            preview: Preview {
                title: format!(
                    "{} {names} in {}/{}",
                    capitalised(kind),
                    project.name,
                    env.name
                ),
                actions,
                commits: Vec::new(),
                undo,
                cli: request.command_line(),
                notes: Vec::new(),
            },
            targets,
            current,
            previous,
            step,
        })
    }

    async fn plan_cancel(&self, request: &Request) -> Result<Plan, OpsError> {
        let address = request.address()?;
        let tree = self.scope_tree(address).await?;
        let (project, env) = address.find_environment(&tree)?;
        let resources = address.find_applications(&tree)?;
        let targets: Vec<Target> = resources
            .iter()
            .map(|r| target(&project.name, &env.name, r))
            .collect();
        let running = self.session.coolify.running_deployments().await?;
        let deployments: Vec<(usize, String)> = running
            .iter()
            .filter_map(|d| {
                let i = targets
                    .iter()
                    .position(|t| d.application_name.as_deref() == Some(t.name.as_str()))?;
                Some((i, d.uuid.clone()))
            })
            .collect();
        if deployments.is_empty() {
            return Err(OpsError::Nothing(format!(
                "no deployment of {} is queued or running",
                names(&targets)
            )));
        }
        let actions = deployments
            .iter()
            .map(|(i, uuid)| format!("cancel deployment {uuid} of {}", targets[*i].name))
            .collect();
        Ok(Plan {
            kind: Kind::Cancel,
            environment: env.name.clone(),
            verdict: self.verdict(&env.name, Kind::Cancel),
            preview: Preview {
                title: format!(
                    "Cancel the deployment of {} in {}/{}",
                    names(&targets),
                    project.name,
                    env.name
                ),
                actions,
                commits: Vec::new(),
                undo: format!(
                    "{}: {}",
                    Kind::Cancel.spec().undo,
                    request.then(Kind::Deploy).command_line()
                ),
                cli: request.command_line(),
                notes: vec!["the running version stays in place".into()],
            },
            current: vec![None; targets.len()],
            previous: vec![None; targets.len()],
            targets,
            step: Step::Cancel(deployments),
        })
    }

    async fn plan_rollback(&self, request: &Request) -> Result<Plan, OpsError> {
        let to = request.text_of(TO);
        let address = request.address()?;
        let tree = self.scope_tree(address).await?;
        let (project, env, app) = address.find_one(&tree)?;
        let target = target(&project.name, &env.name, app);
        let (current, candidates, pin) = self.rollback_candidates(&app.uuid).await?;
        let tag = match to {
            Some(tag) => {
                if !pin && !candidates.iter().any(|c| c == tag) {
                    return Err(OpsError::Nothing(format!(
                        "{} has no image {tag}; available: {}",
                        app.name,
                        candidates
                            .iter()
                            .map(|c| short_sha(c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                tag.to_string()
            }
            None => candidates
                .iter()
                .find(|c| Some(c.as_str()) != current.as_deref())
                .cloned()
                .ok_or_else(|| {
                    OpsError::Nothing(format!("{} has no earlier image to roll back to", app.name))
                })?,
        };
        let mut notes = Vec::new();
        if pin {
            notes.push(format!(
                "this Coolify has no rollback endpoint (it is older than 4.3): pftui pins git_commit_sha to {}, deploys, then unpins it (back to HEAD)",
                short_sha(&tag)
            ));
        }
        let rollback = |tag: &str| request.then(Kind::Rollback).on(&app.name).text(TO, tag);
        Ok(Plan {
            kind: Kind::Rollback,
            environment: env.name.clone(),
            verdict: self.verdict(&env.name, Kind::Rollback),
            preview: Preview {
                title: format!(
                    "Roll back {} in {}/{} to {}",
                    app.name,
                    project.name,
                    env.name,
                    short_sha(&tag)
                ),
                actions: vec![format!(
                    "redeploy {} at {} (now {})",
                    app.name,
                    short_sha(&tag),
                    current.as_deref().map(short_sha).unwrap_or("unknown")
                )],
                commits: Vec::new(),
                undo: match &current {
                    Some(now) => format!("roll forward again: {}", rollback(now).command_line()),
                    None => format!(
                        "deploy the branch head again: {}",
                        request.then(Kind::Deploy).on(&app.name).command_line()
                    ),
                },
                cli: rollback(&tag).command_line(),
                notes,
            },
            targets: vec![target],
            previous: vec![current.clone()],
            current: vec![current],
            step: Step::Rollback { tag, pin },
        })
    }

    /// The image running now, the images to choose from (newest first), and whether the
    /// server lacks the rollback endpoint (then: the commits of earlier successful
    /// deployments, for pinning).
    pub async fn rollback_candidates(
        &self,
        app: &str,
    ) -> Result<(Option<String>, Vec<String>, bool), OpsError> {
        let client = &self.session.coolify;
        match client.rollback_images(app).await {
            Ok(images) => {
                let current = images.current.clone().or_else(|| {
                    images
                        .images
                        .iter()
                        .find(|i| i.is_current == Some(true))
                        .map(|i| i.tag.clone())
                });
                Ok((
                    current,
                    images.images.into_iter().map(|i| i.tag).collect(),
                    false,
                ))
            }
            Err(CoolifyError::NotFound { .. }) => {
                let commits = self.deployed_commits(app).await?;
                Ok((commits.first().cloned(), commits, true))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Commits of an application's successful deployments, newest first, without repeats.
    async fn deployed_commits(&self, app: &str) -> Result<Vec<String>, OpsError> {
        let page = self.session.coolify.deployment_history(app, 0, 30).await?;
        let mut commits: Vec<String> = Vec::new();
        for d in page.deployments {
            if d.status == crate::model::DeploymentStatus::Finished
                && let Some(c) = d.commit.filter(|c| c != "HEAD" && !commits.contains(c))
            {
                commits.push(c);
            }
        }
        Ok(commits)
    }

    /// What each application runs now; `None` for databases, services and unknowns.
    pub(crate) async fn current_images(
        &self,
        targets: &[Target],
    ) -> (Vec<Option<String>>, Vec<Option<String>>) {
        let reads = targets.iter().map(|t| async move {
            if t.kind != ResourceKind::Application {
                return (None, None);
            }
            match self.rollback_candidates(&t.uuid).await {
                Ok((current, candidates, _)) => {
                    let previous = candidates.into_iter().find(|c| Some(c) != current.as_ref());
                    (current, previous)
                }
                Err(_) => (None, None),
            }
        });
        futures::future::join_all(reads).await.into_iter().unzip()
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

fn capitalised(kind: Kind) -> String {
    let name = kind.name();
    name[..1].to_ascii_uppercase() + &name[1..]
}

/// `pfcore/pf-air@staging (HEAD)`.
fn source_of(r: &Resource) -> String {
    match &r.app {
        Some(app) => {
            let repo = app.git_repository.as_deref().unwrap_or("its repository");
            let branch = app.git_branch.as_deref().unwrap_or("its branch");
            match app.git_commit_sha.as_deref() {
                None | Some("HEAD") | Some("") => format!("{repo}@{branch} (its head)"),
                Some(sha) => format!("{repo}@{branch}, pinned at {}", short_sha(sha)),
            }
        }
        None => "its configuration".into(),
    }
}

fn undo_by_rollback(request: &Request, targets: &[Target], current: &[Option<String>]) -> String {
    let steps: Vec<String> = targets
        .iter()
        .zip(current)
        .map(|(t, c)| match c {
            Some(tag) => request
                .then(Kind::Rollback)
                .on(&t.name)
                .text(TO, tag.as_str())
                .command_line(),
            None => format!("{}: no earlier image known", t.name),
        })
        .collect();
    format!("roll back to what runs now: {}", steps.join("; "))
}
