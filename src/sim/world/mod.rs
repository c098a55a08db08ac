//! The simulated world shared by the Coolify and GitHub simulators: projects, environments,
//! servers, resources, deployments and git repositories, plus the control state (tokens,
//! API switch, failures to come). A read-write lock guards it: requests read it together;
//! nothing awaits while holding it.
//!
//! The record types are in `records` (and, by topic, `team`, `storage` and `schedules`),
//! the repositories in `repos`, the seeded default env vars in `env_vars`; `World` here
//! holds them, looks them up and runs Coolify's deployment queue.

mod env_vars;
pub(crate) mod records;
pub(crate) mod repos;
pub(crate) mod schedules;
pub(crate) mod storage;
pub(crate) mod team;

use std::collections::{HashMap, HashSet};

use super::ids::{IdGen, Ts};
use super::logs::{self, FailKind, LogEntry, RunKind, ScriptCtx, big, script};
use records::{
    App, Database, DeployLogs, DeployStatus, Deployment, Destination, EnvVar, Environment, Image,
    Project, Server, Service,
};
use repos::Repo;
use schedules::Schedules;
use storage::Storages;
use team::Team;

/// Coolify's version as `GET /api/v1/version` reports it.
pub(crate) const COOLIFY_VERSION: &str = "4.3.11";

/// Result of asking for a deployment (Coolify's `queue_application_deployment`).
#[derive(Debug, Clone)]
pub(crate) enum QueueOutcome {
    Queued {
        deployment_uuid: String,
    },
    /// Same app, commit and PR already queued or running: `deployment_uuid` is a fresh id
    /// that was never stored (as the real server does).
    Skipped {
        deployment_uuid: String,
    },
    QueueFull,
}

pub(crate) const QUEUE_FULL_MESSAGE: &str =
    "Deployment queue is full. Please wait for existing deployments to complete.";
pub(crate) const DEDUP_MESSAGE: &str = "Deployment already queued for this commit.";

#[derive(Debug, Clone, Default)]
pub(crate) struct QueueRequest {
    pub force_rebuild: bool,
    pub restart_only: bool,
    pub rollback: bool,
    pub commit: Option<String>,
    pub is_webhook: bool,
    pub is_api: bool,
}

pub(crate) struct World {
    pub seed: u64,
    pub ids: IdGen,
    pub started: Ts,
    pub projects: Vec<Project>,
    pub environments: Vec<Environment>,
    pub servers: Vec<Server>,
    pub destinations: Vec<Destination>,
    pub apps: Vec<App>,
    pub databases: Vec<Database>,
    pub services: Vec<Service>,
    pub deployments: Vec<Deployment>,
    pub repos: Vec<Repo>,
    pub team: Team,
    pub storages: Storages,
    pub schedules: Schedules,
    pub app_by_uuid: HashMap<String, usize>,
    pub deployment_by_uuid: HashMap<String, usize>,
    /// Deployment indices per application, oldest first.
    pub app_deployments: Vec<Vec<usize>>,
    pub next_env_var_id: u64,
    pub next_project_id: u64,
    pub next_environment_id: u64,
    // Control state.
    pub tokens: HashMap<String, Vec<String>>,
    pub github_token: String,
    pub github_base: String,
    pub api_enabled: bool,
    pub fail_next: HashSet<usize>,
    /// A line the next run of an application prints in its build log.
    pub log_next: HashMap<usize, String>,
    /// Applications whose next successful run leaves them unhealthy.
    pub fail_health_next: HashSet<usize>,
    pub queue_paused: bool,
    /// What `GET /api/v1/version` answers; below 4.3.0 the rollback endpoints do not exist.
    pub coolify_version: String,
    pub batch_counter: u32,
}

impl World {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            seed,
            ids: IdGen::new(seed),
            started: Ts::now(),
            projects: Vec::new(),
            environments: Vec::new(),
            servers: Vec::new(),
            destinations: Vec::new(),
            apps: Vec::new(),
            databases: Vec::new(),
            services: Vec::new(),
            deployments: Vec::new(),
            repos: Vec::new(),
            team: Team::default(),
            storages: Storages::default(),
            schedules: Schedules::default(),
            app_by_uuid: HashMap::new(),
            deployment_by_uuid: HashMap::new(),
            app_deployments: Vec::new(),
            next_env_var_id: 1,
            next_project_id: 1,
            next_environment_id: 1,
            tokens: HashMap::new(),
            github_token: String::new(),
            github_base: String::new(),
            api_enabled: true,
            fail_next: HashSet::new(),
            log_next: HashMap::new(),
            fail_health_next: HashSet::new(),
            queue_paused: false,
            coolify_version: COOLIFY_VERSION.to_string(),
            batch_counter: 1,
        }
    }

    // ----- lookups -----

    pub(crate) fn app_index(&self, uuid: &str) -> Option<usize> {
        self.app_by_uuid.get(uuid).copied()
    }

    /// An application by uuid, else by (case-insensitive) name.
    pub(crate) fn app_by_name_or_uuid(&self, key: &str) -> Option<usize> {
        self.app_index(key).or_else(|| {
            self.apps
                .iter()
                .position(|a| a.name.eq_ignore_ascii_case(key))
        })
    }

    pub(crate) fn project_by_uuid(&self, uuid: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.uuid == uuid)
    }

    pub(crate) fn server_by_uuid(&self, uuid: &str) -> Option<usize> {
        self.servers.iter().position(|s| s.uuid == uuid)
    }

    pub(crate) fn database_by_uuid(&self, uuid: &str) -> Option<usize> {
        self.databases.iter().position(|d| d.uuid == uuid)
    }

    pub(crate) fn service_by_uuid(&self, uuid: &str) -> Option<usize> {
        self.services.iter().position(|s| s.uuid == uuid)
    }

    pub(crate) fn deployment_index(&self, uuid: &str) -> Option<usize> {
        self.deployment_by_uuid.get(uuid).copied()
    }

    pub(crate) fn app_server(&self, app: usize) -> usize {
        self.destinations[self.apps[app].destination].server
    }

    /// A repository by `owner/name` (or a clone URL of it, as Coolify's `git_repository`
    /// may hold), case-insensitively.
    pub(crate) fn repo(&self, full_name: &str) -> Option<&Repo> {
        let key = repos::repo_key(full_name);
        self.repos
            .iter()
            .find(|r| r.full_name().to_ascii_lowercase() == key)
    }

    pub(crate) fn repo_mut(&mut self, full_name: &str) -> Option<&mut Repo> {
        let key = repos::repo_key(full_name);
        self.repos
            .iter_mut()
            .find(|r| r.full_name().to_ascii_lowercase() == key)
    }

    // ----- registration helpers used by the data-set builders -----

    pub(crate) fn add_app(&mut self, app: App) -> usize {
        let idx = self.apps.len();
        self.app_by_uuid.insert(app.uuid.clone(), idx);
        self.apps.push(app);
        self.app_deployments.push(Vec::new());
        idx
    }

    pub(crate) fn add_deployment(&mut self, d: Deployment) -> usize {
        let idx = self.deployments.len();
        self.deployment_by_uuid.insert(d.uuid.clone(), idx);
        if let Some(list) = self.app_deployments.get_mut(d.app) {
            list.push(idx);
        }
        self.deployments.push(d);
        idx
    }

    // ----- env vars -----

    /// The application's env vars, generating the seeded defaults on first use.
    pub(crate) fn app_envs_mut(&mut self, app: usize) -> &mut Vec<EnvVar> {
        if self.apps[app].envs.is_none() {
            let a = &self.apps[app];
            let env_name = &self.environments[a.environment].name;
            let envs = env_vars::default_envs(self.seed, a, env_name);
            self.apps[app].envs = Some(envs);
        }
        self.apps[app].envs.get_or_insert_with(Vec::new)
    }

    pub(crate) fn next_env_id(&mut self) -> u64 {
        let id = self.next_env_var_id;
        self.next_env_var_id += 1;
        id
    }

    // ----- deployments -----

    /// Coolify's `queue_application_deployment`: queue-limit check, dedup, then a new row.
    pub(crate) fn queue_deployment(&mut self, app: usize, req: QueueRequest) -> QueueOutcome {
        let fresh_uuid = self.ids.uuid();
        let server = self.app_server(app);
        let limit = self.servers[server].queue_limit;
        let queued = self
            .deployments
            .iter()
            .filter(|d| d.server == server && d.status == DeployStatus::Queued)
            .count();
        if queued >= limit {
            return QueueOutcome::QueueFull;
        }
        let commit = req.commit.clone().unwrap_or_else(|| {
            let pinned = &self.apps[app].git_commit_sha;
            if pinned.is_empty() {
                "HEAD".to_string()
            } else {
                pinned.clone()
            }
        });
        let duplicate = self.app_deployments[app].iter().any(|&i| {
            let d = &self.deployments[i];
            d.status.is_active() && d.commit == commit
        });
        if duplicate && !req.force_rebuild && !req.rollback {
            return QueueOutcome::Skipped {
                deployment_uuid: fresh_uuid,
            };
        }
        let now = Ts::now();
        let id = self.deployments.len() as u64 + 1;
        let seed = self.ids.u64();
        let d = Deployment {
            id,
            uuid: fresh_uuid.clone(),
            app,
            server,
            status: DeployStatus::Queued,
            commit,
            commit_message: None,
            force_rebuild: req.force_rebuild,
            restart_only: req.restart_only,
            rollback: req.rollback,
            is_webhook: req.is_webhook,
            is_api: req.is_api,
            created_at: now,
            updated_at: now,
            finished_at: None,
            logs: DeployLogs::Live(Vec::new()),
            current_process_id: None,
            horizon_job_worker: None,
            horizon_job_id: None,
            claimed: false,
            status_before: None,
            seed,
        };
        self.add_deployment(d);
        QueueOutcome::Queued {
            deployment_uuid: fresh_uuid,
        }
    }

    /// A deployment of `app` whose log already holds `lines` entries of a long build
    /// (`POST /_sim/big-log`): `in_progress` when more are to come (`running`), else
    /// `finished`. Returns its index.
    pub(crate) fn add_big_log(&mut self, app: usize, lines: u32, running: bool) -> usize {
        let uuid = self.ids.uuid();
        let seed = self.ids.u64();
        let server = self.app_server(app);
        let now = Ts::now();
        let started = now.minus_secs(i64::from(lines) / 500 + 1);
        let commit = self.ids.sha();
        let d = Deployment {
            id: self.deployments.len() as u64 + 1,
            uuid,
            app,
            server,
            status: if running {
                DeployStatus::InProgress
            } else {
                DeployStatus::Finished
            },
            commit,
            commit_message: Some("chore: a very long build".to_string()),
            force_rebuild: false,
            restart_only: false,
            rollback: false,
            is_webhook: false,
            is_api: true,
            created_at: started,
            updated_at: now,
            finished_at: (!running).then_some(now),
            logs: DeployLogs::Live(big::entries(seed, 1, lines, started)),
            current_process_id: None,
            horizon_job_worker: None,
            horizon_job_id: None,
            claimed: false,
            status_before: None,
            seed,
        };
        self.add_deployment(d)
    }

    /// Append `count` more entries to a big-log deployment; with `finish`, mark it finished.
    pub(crate) fn grow_big_log(&mut self, dep: usize, count: u32, finish: bool) {
        let now = Ts::now();
        let d = &mut self.deployments[dep];
        if let DeployLogs::Live(entries) = &mut d.logs {
            let first = entries.len() as u32 + 1;
            entries.extend(big::entries(d.seed, first, count, now));
        }
        d.updated_at = now;
        if finish && d.status == DeployStatus::InProgress {
            d.status = DeployStatus::Finished;
            d.finished_at = Some(now);
        }
    }

    /// Queued deployments that may start now (Coolify's `next_queuable`: one run per
    /// application, at most `concurrent_builds` per server). Marks them claimed.
    pub(crate) fn claim_startable(&mut self) -> Vec<usize> {
        if self.queue_paused {
            return Vec::new();
        }
        let mut busy_apps: HashSet<usize> = HashSet::new();
        let mut running_per_server: HashMap<usize, usize> = HashMap::new();
        let mut queued = Vec::new();
        for (i, d) in self.deployments.iter().enumerate() {
            if d.status == DeployStatus::InProgress
                || (d.status == DeployStatus::Queued && d.claimed)
            {
                busy_apps.insert(d.app);
                *running_per_server.entry(d.server).or_default() += 1;
            } else if d.status == DeployStatus::Queued {
                queued.push(i);
            }
        }
        let mut claimed = Vec::new();
        for i in queued {
            let (app, server) = (self.deployments[i].app, self.deployments[i].server);
            let running = running_per_server.get(&server).copied().unwrap_or(0);
            if busy_apps.contains(&app) || running >= self.servers[server].concurrent_builds {
                continue;
            }
            busy_apps.insert(app);
            *running_per_server.entry(server).or_default() += 1;
            self.deployments[i].claimed = true;
            claimed.push(i);
        }
        claimed
    }

    /// Build the script context of a deployment that is about to run.
    pub(crate) fn prepare_run(&mut self, dep: usize) -> ScriptCtx {
        let (app_idx, seed, commit, rollback, restart_only, force, uuid, created_at) = {
            let d = &self.deployments[dep];
            (
                d.app,
                d.seed,
                d.commit.clone(),
                d.rollback,
                d.restart_only,
                d.force_rebuild,
                d.uuid.clone(),
                d.created_at,
            )
        };
        let fail_requested = self.fail_next.remove(&app_idx);
        let planted_line = self.log_next.remove(&app_idx);
        let app = &self.apps[app_idx];
        let repo = self.repo(&app.git_repository);
        let resolved = if !rollback && commit == "HEAD" {
            repo.and_then(|r| r.head(&app.git_branch))
                .map(str::to_string)
                .unwrap_or_else(|| commit.clone())
        } else {
            commit.clone()
        };
        let commit_message = repo
            .and_then(|r| r.commit(&resolved))
            .map(|c| c.message.clone());
        let commit_known = commit_message.is_some();
        let mut rng = IdGen::derived(self.seed, seed);
        let mut image_exists = app.images.iter().any(|i| i.tag == resolved) && !force;
        let build_fail = |rng: &mut IdGen| {
            if rng.chance(0.6) {
                FailKind::TypeScript
            } else {
                FailKind::NpmCi
            }
        };
        let fail = if image_exists {
            // The build is skipped: only the new container can fail.
            if !fail_requested {
                None
            } else if app.health_check_enabled {
                Some(FailKind::Unhealthy)
            } else {
                image_exists = false;
                Some(build_fail(&mut rng))
            }
        } else if !commit_known {
            Some(FailKind::UnknownRef)
        } else if fail_requested {
            Some(build_fail(&mut rng))
        } else {
            None
        };
        let kind = if restart_only {
            RunKind::Restart
        } else if rollback {
            RunKind::Rollback
        } else {
            RunKind::Deploy
        };
        let server = &self.servers[self.destinations[app.destination].server];
        let ctx = ScriptCtx {
            deployment_uuid: uuid,
            app_uuid: app.uuid.clone(),
            repo: app.git_repository.clone(),
            branch: app.git_branch.clone(),
            server_name: server.name.clone(),
            network: self.destinations[app.destination].network.clone(),
            commit: resolved,
            resolve_head: !rollback && commit == "HEAD",
            branch_head: repo
                .and_then(|r| r.head(&app.git_branch))
                .map(str::to_string),
            commit_message,
            planted_line,
            kind,
            force,
            image_exists,
            old_container: if app.status.starts_with("running")
                || app.status.starts_with("degraded")
            {
                app.container.clone()
            } else {
                None
            },
            fail,
            health_check: app
                .health_check_enabled
                .then(|| app.health_check_path.clone()),
            port: app
                .ports_exposes
                .split(',')
                .next()
                .unwrap_or("3000")
                .to_string(),
            package: app.package.clone(),
            package_version: app.package_version.clone(),
            node_version: app.node_version.clone(),
            base_directory: app.base_directory.clone(),
            seed,
            started: created_at,
            batch_start: self.batch_counter,
        };
        self.batch_counter += 40;
        let status_before = app.status.clone();
        let d = &mut self.deployments[dep];
        d.status_before = Some(status_before);
        ctx
    }

    /// Cancel a queued or running deployment; Err carries the current status.
    pub(crate) fn cancel(&mut self, dep: usize) -> Result<(), &'static str> {
        let now = Ts::now();
        let status = self.deployments[dep].status;
        if !status.is_active() {
            return Err(status.as_str());
        }
        let was_running = status == DeployStatus::InProgress;
        let d = &mut self.deployments[dep];
        d.status = DeployStatus::Cancelled;
        d.updated_at = now;
        d.finished_at = Some(now);
        d.claimed = false;
        let app = d.app;
        let before = d.status_before.clone();
        self.append_log(
            dep,
            logs::message("Deployment cancelled by user via API.", true, false),
        );
        if was_running {
            self.append_log(
                dep,
                logs::message("Deployment container stopped.", false, false),
            );
        } else {
            self.append_log(
                dep,
                logs::message(
                    "Deployment container not yet started. Will be cancelled when job checks status.",
                    false,
                    false,
                ),
            );
        }
        if let Some(before) = before
            && self.apps[app].status.starts_with("starting")
        {
            self.apps[app].status = settle_status(&before);
        }
        Ok(())
    }

    /// Append one log entry to a live deployment, numbering it.
    pub(crate) fn append_log(&mut self, dep: usize, mut entry: LogEntry) {
        let d = &mut self.deployments[dep];
        d.updated_at = entry.timestamp;
        if let DeployLogs::Live(entries) = &mut d.logs {
            entry.order = entries.len() as u32 + 1;
            entries.push(entry);
        }
    }

    /// The full log of a deployment (recorded runs are regenerated).
    pub(crate) fn deployment_log(&self, dep: usize) -> std::borrow::Cow<'_, [LogEntry]> {
        match &self.deployments[dep].logs {
            DeployLogs::Live(entries) => std::borrow::Cow::Borrowed(entries.as_slice()),
            DeployLogs::Recorded(ctx) => std::borrow::Cow::Owned(script::render_recorded(ctx)),
        }
    }

    /// Record a successfully built image and drop the oldest beyond the retention setting.
    pub(crate) fn keep_image(&mut self, app: usize, tag: &str, at: Ts) {
        let a = &mut self.apps[app];
        a.images.retain(|i| i.tag != tag);
        a.images.push(Image {
            tag: tag.to_string(),
            created_at: at,
        });
        let keep = (a.settings.docker_images_to_keep.max(1)) as usize;
        while a.images.len() > keep {
            let current = a.current_commit.clone();
            match a
                .images
                .iter()
                .position(|i| Some(&i.tag) != current.as_ref() && i.tag != tag)
            {
                Some(p) => {
                    a.images.remove(p);
                }
                None => break,
            }
        }
    }

    /// `GET /applications/{uuid}/rollback-images`: (current tag, images newest first).
    pub(crate) fn rollback_images(&self, app: usize) -> (Option<String>, Vec<(String, Ts, bool)>) {
        let a = &self.apps[app];
        let server = &self.servers[self.app_server(app)];
        if !server.is_reachable {
            return (None, Vec::new());
        }
        let current = a.current_commit.clone();
        let mut images: Vec<(String, Ts, bool)> = a
            .images
            .iter()
            .map(|i| {
                (
                    i.tag.clone(),
                    i.created_at,
                    Some(&i.tag) == current.as_ref(),
                )
            })
            .collect();
        images.sort_by_key(|x| std::cmp::Reverse(x.1));
        (current, images)
    }

    // ----- control -----

    /// Add a commit on a branch of a repository and queue webhook deployments for the
    /// applications that track that branch with auto-deploy on. Returns the new sha.
    pub(crate) fn push_commit(
        &mut self,
        repo: &str,
        branch: &str,
        message: &str,
    ) -> Option<(String, Vec<String>)> {
        let mut ids = IdGen::derived(self.seed, self.ids.u64());
        let now = Ts::now();
        let sha = self
            .repo_mut(repo)?
            .add_commit(branch, message, &mut ids, now)?;
        let queued = self.branch_advanced(repo, branch);
        Some((sha, queued))
    }

    /// A branch head moved (push or merge): queue auto-deployments, as Coolify does on the
    /// GitHub push webhook: every application whose repository and branch match and whose
    /// auto-deploy setting is on gets a deployment with `is_webhook` and `commit` = the
    /// new head (the push payload's `after`). Returns the deployment uuids queued.
    pub(crate) fn branch_advanced(&mut self, repo: &str, branch: &str) -> Vec<String> {
        let Some(head) = self
            .repo(repo)
            .and_then(|r| r.head(branch))
            .map(str::to_string)
        else {
            return Vec::new();
        };
        let wanted = repos::repo_key(repo);
        let targets: Vec<usize> = self
            .apps
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                repos::repo_key(&a.git_repository) == wanted
                    && a.git_branch == branch
                    && a.settings.is_auto_deploy_enabled
            })
            .map(|(i, _)| i)
            .collect();
        let mut queued = Vec::new();
        for app in targets {
            let req = QueueRequest {
                is_webhook: true,
                commit: Some(head.clone()),
                ..QueueRequest::default()
            };
            if let QueueOutcome::Queued { deployment_uuid } = self.queue_deployment(app, req) {
                queued.push(deployment_uuid);
            }
        }
        queued
    }

    /// Make `head`'s latest change conflict with `base`: merges into `base` of any commit
    /// that contains it (the ref's commit now, or a later one) answer `409 Merge conflict`
    /// until cleared, as GitHub does when the content clashes. False if the repository, the
    /// base branch or the head ref is unknown.
    pub(crate) fn make_conflict(&mut self, repo: &str, base: &str, head: &str) -> bool {
        match self.repo_mut(repo) {
            Some(r) if r.branch(base).is_some() => match r.resolve(head) {
                Some(sha) => {
                    r.conflicts.insert((base.to_string(), sha));
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// Remove an injected conflict; true if there was one.
    pub(crate) fn clear_conflict(&mut self, repo: &str, base: &str, head: &str) -> bool {
        self.repo_mut(repo).is_some_and(|r| match r.resolve(head) {
            Some(sha) => r.conflicts.remove(&(base.to_string(), sha)),
            None => false,
        })
    }

    /// Set a branch's protection flag; false if the repository or branch is unknown.
    pub(crate) fn protect_branch(&mut self, repo: &str, branch: &str, protected: bool) -> bool {
        let Some(r) = self.repo_mut(repo) else {
            return false;
        };
        match r.branches.iter_mut().find(|b| b.name == branch) {
            Some(b) => {
                b.protected = protected;
                true
            }
            None => false,
        }
    }
}

/// The status an application settles to once a run that changed it is over.
pub(crate) fn settle_status(before: &str) -> String {
    if before.starts_with("running") || before.starts_with("degraded") {
        before.to_string()
    } else {
        "exited:unhealthy".to_string()
    }
}
