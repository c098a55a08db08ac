//! The query façade: every read a front end makes (the console, the CLI, the snapshot, the
//! agent's read tools) goes through these methods, so "address -> resource -> latest
//! deployment -> log, or why there is none" is worked out once, with one set of messages.

use super::outcome::FailureSummary;
use super::{Ops, OpsError};
use crate::audit::Record;
use crate::coolify::{CoolifyError, LineFormatter, load_scope};
use crate::model::{
    Address, Deployment, DeploymentLog, DeploymentPage, DeploymentStatus, EnvVar, LogLine,
    Overview, Resource, Server, ServerResource, Tree,
};

/// What Coolify says when it leaves a deployment's log out.
pub const LOG_WITHHELD: &str =
    "Coolify withholds this deployment's log: the token needs 'read:sensitive' (or 'root')";

/// One resource an address names, with the names of where it lives.
#[derive(Debug, Clone)]
pub struct Located {
    pub project: String,
    pub environment: String,
    pub resource: Resource,
}

/// What an application can roll back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollbackChoice {
    /// The image running now, when known.
    pub current: Option<String>,
    /// The images to choose from, newest first.
    pub images: Vec<String>,
    /// The server has no rollback endpoint (older than 4.3): the images are the commits of
    /// earlier successful deployments, and a rollback pins one and deploys it.
    pub pinned: bool,
}

impl RollbackChoice {
    /// The image before the one running now.
    pub fn previous(&self) -> Option<&String> {
        self.images
            .iter()
            .find(|c| Some(c.as_str()) != self.current.as_deref())
    }
}

/// A deployment with its log, as lines.
#[derive(Debug, Clone)]
pub struct DeploymentRead {
    pub deployment: Deployment,
    pub log: LogRead,
}

/// A deployment's log, or why there is none to show.
#[derive(Debug, Clone, PartialEq)]
pub enum LogRead {
    /// Its lines (none yet for a deployment that has not started).
    Lines(Vec<LogLine>),
    /// Coolify left it out ([`LOG_WITHHELD`]).
    Withheld,
    /// Coolify sent something that is not a log; why.
    Unreadable(String),
}

impl DeploymentRead {
    /// The lines, when there are any to show.
    pub fn lines(&self) -> &[LogLine] {
        match &self.log {
            LogRead::Lines(lines) => lines,
            LogRead::Withheld | LogRead::Unreadable(_) => &[],
        }
    }

    /// What failed, for a failed deployment whose log could be read.
    pub fn failure(&self) -> FailureSummary {
        match self.deployment.status {
            DeploymentStatus::Failed => FailureSummary::of(self.lines()),
            _ => FailureSummary::default(),
        }
    }
}

/// A server with what runs on it, or why that could not be read.
#[derive(Debug, Clone)]
pub struct ServerRead {
    pub server: Server,
    pub resources: Result<Vec<ServerResource>, String>,
}

impl Ops {
    /// The tree, the server's version and what is deploying; `full` re-reads projects and
    /// servers too (a light load re-reads only the resource lists).
    pub async fn overview(&self, full: bool) -> Result<Overview, OpsError> {
        let mut loader = self.loader.lock().await;
        Ok(loader.overview(&self.session.coolify, full).await?)
    }

    /// The part of the tree an address names: its project, with the environment it names.
    pub async fn scope_tree(&self, address: &Address) -> Result<Tree, OpsError> {
        let environments: Vec<&str> = address.environment.as_deref().into_iter().collect();
        Ok(load_scope(&self.session.coolify, &address.project, &environments).await?)
    }

    /// The one resource an address names (the environment's only application when it
    /// names none).
    pub async fn locate(&self, address: &Address) -> Result<Located, OpsError> {
        let tree = self.scope_tree(address).await?;
        let (project, environment, resource) = address.find_one(&tree)?;
        Ok(Located {
            project: project.name.clone(),
            environment: environment.name.clone(),
            resource: resource.clone(),
        })
    }

    /// An application's most recent deployments, newest first, and how many it has.
    pub async fn history(&self, app: &str, limit: u32) -> Result<DeploymentPage, OpsError> {
        Ok(self
            .session
            .coolify
            .deployment_history(app, 0, limit)
            .await?)
    }

    /// An application's latest deployment; an error saying so when it has none.
    pub async fn latest_deployment(&self, located: &Located) -> Result<Deployment, OpsError> {
        self.history(&located.resource.uuid, 1)
            .await?
            .deployments
            .into_iter()
            .next()
            .ok_or_else(|| {
                OpsError::Nothing(format!("{} has no deployments yet", located.resource.name))
            })
    }

    /// A deployment with its log as lines; Coolify's hidden debug lines are kept (flagged)
    /// with `hidden`.
    pub async fn deployment(&self, uuid: &str, hidden: bool) -> Result<DeploymentRead, OpsError> {
        let (deployment, log) = self.session.coolify.deployment_with_log(uuid).await?;
        let log = match log {
            DeploymentLog::Entries(entries) => {
                LogRead::Lines(LineFormatter::new(hidden).lines(&entries))
            }
            DeploymentLog::Withheld => LogRead::Withheld,
            DeploymentLog::Unreadable(why) => LogRead::Unreadable(why),
        };
        Ok(DeploymentRead { deployment, log })
    }

    /// A deployment with the last `lines` lines of its log (hidden debug lines kept,
    /// flagged, with `hidden`), read so that only those lines are ever held: a log of
    /// millions of lines costs the memory of `lines`.
    pub async fn deployment_tail(
        &self,
        uuid: &str,
        hidden: bool,
        lines: usize,
    ) -> Result<DeploymentRead, OpsError> {
        let (deployment, log) = self
            .session
            .coolify
            .deployment_tail(uuid, lines, hidden)
            .await?;
        let log = match log {
            Some(lines) => LogRead::Lines(lines),
            None => LogRead::Withheld,
        };
        Ok(DeploymentRead { deployment, log })
    }

    /// An application's environment variables (values stay secret).
    pub async fn env_vars(&self, app: &str) -> Result<Vec<EnvVar>, OpsError> {
        Ok(self.session.coolify.env_vars(app).await?)
    }

    /// The running container's last `lines` lines, each with its timestamp first.
    pub async fn container_log(&self, app: &str, lines: u32) -> Result<String, OpsError> {
        Ok(self
            .session
            .coolify
            .container_logs(app, lines, true)
            .await?)
    }

    /// What an application can roll back to.
    pub async fn rollback_choice(&self, app: &str) -> Result<RollbackChoice, OpsError> {
        match self.session.coolify.rollback_images(app).await {
            Ok(images) => {
                let current = images.current.clone().or_else(|| {
                    images
                        .images
                        .iter()
                        .find(|i| i.is_current == Some(true))
                        .map(|i| i.tag.clone())
                });
                Ok(RollbackChoice {
                    current,
                    images: images.images.into_iter().map(|i| i.tag).collect(),
                    pinned: false,
                })
            }
            Err(CoolifyError::NotFound { .. }) => {
                let commits = self.deployed_commits(app).await?;
                Ok(RollbackChoice {
                    current: commits.first().cloned(),
                    images: commits,
                    pinned: true,
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Commits of an application's successful deployments, newest first, without repeats.
    async fn deployed_commits(&self, app: &str) -> Result<Vec<String>, OpsError> {
        let page = self.history(app, 30).await?;
        let mut commits: Vec<String> = Vec::new();
        for d in page.deployments {
            if d.status == DeploymentStatus::Finished
                && let Some(c) = d.commit.filter(|c| c != "HEAD" && !commits.contains(c))
            {
                commits.push(c);
            }
        }
        Ok(commits)
    }

    /// Every server with what runs on it, read together.
    pub async fn servers(&self) -> Result<Vec<ServerRead>, OpsError> {
        let client = &self.session.coolify;
        let servers = client.servers().await?;
        let reads = servers.iter().map(|s| client.server_resources(&s.uuid));
        let placed = futures::future::join_all(reads).await;
        Ok(servers
            .into_iter()
            .zip(placed)
            .map(|(server, resources)| ServerRead {
                server,
                resources: resources.map_err(|e| e.to_string()),
            })
            .collect())
    }

    /// The audit journal's last `limit` records, oldest first, and how many lines could
    /// not be read.
    pub fn audit_tail(&self, limit: usize) -> Result<(Vec<Record>, usize), OpsError> {
        Ok(self.journal.tail(limit)?)
    }
}
