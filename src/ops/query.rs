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

/// What a deployment is queued behind before its first log entry.
pub const LOG_NOT_YET: &str = "no log yet: Coolify has not written the deployment's first entry";

/// A deployment with its log, as lines.
#[derive(Debug, Clone)]
pub struct DeploymentRead {
    pub deployment: Deployment,
    pub log: DeploymentLog<Vec<LogLine>>,
}

impl DeploymentRead {
    /// The lines, when there are any to show.
    pub fn lines(&self) -> &[LogLine] {
        match &self.log {
            DeploymentLog::Entries(lines) => lines,
            DeploymentLog::NotYet | DeploymentLog::Withheld | DeploymentLog::Unreadable(_) => &[],
        }
    }

    /// Why the log has no lines to show, when it has none by its nature rather than by
    /// being empty.
    pub fn unshown(&self) -> Option<String> {
        match &self.log {
            DeploymentLog::Entries(_) => None,
            DeploymentLog::NotYet => Some(LOG_NOT_YET.into()),
            DeploymentLog::Withheld => Some(LOG_WITHHELD.into()),
            DeploymentLog::Unreadable(why) => Some(why.clone()),
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

    /// A deployment named by its uuid, checked to be one of the located application's: an
    /// error naming the application it belongs to when Coolify says it is another's.
    pub async fn deployment_of(
        &self,
        located: &Located,
        uuid: &str,
    ) -> Result<Deployment, OpsError> {
        let deployment = self.session.coolify.deployment(uuid).await?;
        let app = &located.resource;
        let theirs = match (deployment.application_id.as_deref(), app.id) {
            (Some(id), Some(own)) => id.trim() != own.to_string(),
            _ => deployment
                .application_name
                .as_deref()
                .is_some_and(|name| name != app.name),
        };
        if theirs {
            let owner = match deployment.application_name.as_deref() {
                Some(name) if name != app.name => format!("application '{name}'"),
                _ => format!(
                    "application #{}",
                    deployment.application_id.as_deref().unwrap_or("?")
                ),
            };
            return Err(OpsError::Invalid(format!(
                "deployment {uuid} belongs to {owner}, not to {}/{}/{}: leave out --deployment for {}'s latest, or name the application it belongs to",
                located.project, located.environment, app.name, app.name
            )));
        }
        Ok(deployment)
    }

    /// A deployment with its log as lines; Coolify's hidden debug lines are kept (flagged)
    /// with `hidden`.
    pub async fn deployment(&self, uuid: &str, hidden: bool) -> Result<DeploymentRead, OpsError> {
        let (deployment, log) = self.session.coolify.deployment_with_log(uuid).await?;
        let log = log.map(|entries| LineFormatter::new(hidden).lines(&entries));
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
