//! The builders both data sets use: each adds one server, destination, project (with its
//! environments), application, run history, database or service to the world, drawing
//! uuids and secrets from the world's seeded generator.

use super::attached;
use crate::sim::ids::Ts;
use crate::sim::logs::{FailKind, RunKind, ScriptCtx, script};
use crate::sim::world::World;
use crate::sim::world::records::{
    App, AppSettings, Database, DbKind, DeployLogs, DeployStatus, Deployment, Destination,
    Environment, Project, Server, Service,
};

pub(super) const ENVS: [&str; 3] = ["dev", "staging", "prod"];

pub(super) fn branch_of(env: &str) -> &'static str {
    match env {
        "dev" => "develop",
        "staging" => "staging",
        _ => "main",
    }
}

fn limits_of(env: &str) -> (&'static str, &'static str) {
    match env {
        "dev" => ("256M", "0.25"),
        "staging" => ("384M", "0.5"),
        _ => ("512M", "1"),
    }
}

pub(super) fn server(
    w: &mut World,
    id: u64,
    name: &str,
    description: &str,
    ip: &str,
    build: bool,
    queue_limit: usize,
) -> usize {
    let uuid = w.ids.uuid();
    let sentinel_token = w.ids.alnum(48);
    let created = w.started.minus_secs(86_400 * 200);
    w.servers.push(Server {
        id,
        uuid,
        name: name.to_string(),
        description: description.to_string(),
        ip: ip.to_string(),
        user: "root".into(),
        port: 22,
        is_build_server: build,
        is_reachable: true,
        is_usable: true,
        concurrent_builds: 2,
        queue_limit,
        sentinel_token,
        created_at: created,
        updated_at: w.started.minus_secs(3600),
        validation_logs: None,
    });
    w.servers.len() - 1
}

pub(super) fn destination(w: &mut World, server: usize) -> usize {
    let uuid = w.ids.uuid();
    let created = w.servers[server].created_at;
    w.destinations.push(Destination {
        id: w.destinations.len() as u64 + 1,
        uuid,
        name: "coolify".into(),
        network: "coolify".into(),
        server,
        created_at: created,
    });
    w.destinations.len() - 1
}

pub(super) fn project(w: &mut World, name: &str, description: &str, age_days: i64) -> usize {
    let uuid = w.ids.uuid();
    let created = w.started.minus_secs(86_400 * age_days);
    let id = w.next_project_id;
    w.next_project_id += 1;
    w.projects.push(Project {
        id,
        uuid,
        name: name.to_string(),
        description: Some(description.to_string()),
        created_at: created,
        updated_at: created,
        environments: Vec::new(),
    });
    let p = w.projects.len() - 1;
    for env in ENVS {
        let uuid = w.ids.uuid();
        let id = w.next_environment_id;
        w.next_environment_id += 1;
        w.environments.push(Environment {
            id,
            uuid,
            name: env.to_string(),
            project: p,
            description: None,
            created_at: created,
            updated_at: created,
        });
        let e = w.environments.len() - 1;
        w.projects[p].environments.push(e);
    }
    p
}

pub(super) struct AppSpec<'a> {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) environment: usize,
    pub(super) destination: usize,
    pub(super) fqdn: String,
    pub(super) repo: String,
    pub(super) branch: &'a str,
    pub(super) env: &'a str,
    pub(super) base_directory: String,
    pub(super) package: String,
    pub(super) health_check: bool,
    pub(super) auto_deploy: bool,
    pub(super) images_to_keep: u32,
    pub(super) tags: Vec<String>,
    pub(super) created: Ts,
}

pub(super) fn app(w: &mut World, spec: AppSpec<'_>) -> usize {
    let uuid = w.ids.uuid();
    let webhook_secret = w.ids.alnum(32);
    let (mem, cpus) = limits_of(spec.env);
    let id = w.apps.len() as u64 + 1;
    let a = App {
        id,
        uuid,
        name: spec.name,
        description: Some(spec.description),
        environment: spec.environment,
        destination: spec.destination,
        fqdn: Some(spec.fqdn),
        git_repository: spec.repo,
        git_branch: spec.branch.to_string(),
        git_commit_sha: "HEAD".into(),
        build_pack: "nixpacks".into(),
        ports_exposes: "3000".into(),
        base_directory: spec.base_directory,
        install_command: None,
        build_command: None,
        start_command: None,
        health_check_enabled: spec.health_check,
        health_check_path: "/api/health".into(),
        limits_memory: mem.into(),
        limits_cpus: cpus.into(),
        status: "exited:unhealthy".into(),
        settings: AppSettings {
            is_auto_deploy_enabled: spec.auto_deploy,
            docker_images_to_keep: spec.images_to_keep,
            is_build_server_enabled: false,
            is_force_https_enabled: true,
            is_debug_enabled: false,
            is_preview_deployments_enabled: false,
        },
        created_at: spec.created,
        updated_at: spec.created,
        current_commit: None,
        container: None,
        container_started_at: None,
        images: Vec::new(),
        envs: None,
        tags: spec.tags,
        webhook_secret,
        package: spec.package,
        package_version: "1.8.0".into(),
        node_version: "20".into(),
        overrides: serde_json::Map::new(),
        health_failing: false,
    };
    attached::tags(w, &a.tags, a.created_at);
    w.add_app(a)
}

/// One past run of an application, recorded with its outcome.
#[derive(Clone, Copy)]
pub(super) struct PastRun<'a> {
    pub(super) commit: &'a str,
    pub(super) at: Ts,
    pub(super) ok: bool,
    pub(super) kind: RunKind,
    pub(super) webhook: bool,
}

/// Record a history of runs (oldest first) and set the application's current state from it.
pub(super) fn history(w: &mut World, app: usize, runs: &[PastRun<'_>]) {
    let server = w.app_server(app);
    for run in runs {
        let uuid = w.ids.uuid();
        let seed = w.ids.u64();
        let a = &w.apps[app];
        let image_exists = a.images.iter().any(|i| i.tag == run.commit);
        let message = w
            .repo(&a.git_repository)
            .and_then(|r| r.commit(run.commit))
            .map(|c| c.message.clone());
        let fail = if run.ok {
            None
        } else if seed.is_multiple_of(2) {
            Some(FailKind::TypeScript)
        } else {
            Some(FailKind::NpmCi)
        };
        let skip_build = image_exists && run.kind != RunKind::Deploy;
        let ctx = ScriptCtx {
            deployment_uuid: uuid.clone(),
            app_uuid: a.uuid.clone(),
            repo: a.git_repository.clone(),
            branch: a.git_branch.clone(),
            server_name: w.servers[server].name.clone(),
            network: "coolify".into(),
            commit: run.commit.to_string(),
            resolve_head: run.kind != RunKind::Rollback,
            branch_head: Some(run.commit.to_string()),
            commit_message: message.clone(),
            planted_line: None,
            kind: run.kind,
            force: false,
            image_exists: skip_build,
            old_container: a.container.clone(),
            fail,
            health_check: a.health_check_enabled.then(|| a.health_check_path.clone()),
            port: "3000".into(),
            package: a.package.clone(),
            package_version: a.package_version.clone(),
            node_version: a.node_version.clone(),
            base_directory: a.base_directory.clone(),
            seed,
            started: run.at,
            batch_start: 1000 + (seed % 50_000) as u32,
        };
        // Stamped with the run's last log line, as a live run is.
        let finished = run.at.plus_ms(script::run_ms(&ctx) as i64);
        let id = w.deployments.len() as u64 + 1;
        let d = Deployment {
            id,
            uuid,
            app,
            server,
            status: if run.ok {
                DeployStatus::Finished
            } else {
                DeployStatus::Failed
            },
            commit: run.commit.to_string(),
            commit_message: if skip_build { None } else { message },
            force_rebuild: false,
            restart_only: run.kind == RunKind::Restart,
            rollback: run.kind == RunKind::Rollback,
            is_webhook: run.webhook,
            is_api: !run.webhook,
            created_at: run.at,
            updated_at: finished,
            finished_at: Some(finished),
            logs: DeployLogs::Recorded(Box::new(ctx)),
            current_process_id: Some((20_000 + seed % 40_000).to_string()),
            horizon_job_worker: Some("coolify-7f9c4d8b6-x2k4p".into()),
            horizon_job_id: Some((100_000 + seed % 900_000).to_string()),
            claimed: false,
            status_before: None,
            seed,
        };
        w.add_deployment(d);
        if run.ok {
            let started = finished.minus_secs(3);
            if !skip_build {
                w.keep_image(app, run.commit, finished.minus_secs(5));
            }
            let a = &mut w.apps[app];
            a.current_commit = Some(run.commit.to_string());
            a.container = Some(format!("{}-{}", a.uuid, started.container_suffix()));
            a.container_started_at = Some(started);
            a.status = if a.health_check_enabled {
                "running:healthy".into()
            } else {
                "running:unknown".into()
            };
            a.updated_at = finished;
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn database(
    w: &mut World,
    name: &str,
    description: &str,
    kind: DbKind,
    image: &str,
    environment: usize,
    destination: usize,
    db_name: &str,
    tags: Vec<String>,
) -> usize {
    let uuid = w.ids.uuid();
    let password = w.ids.alnum(32);
    let created = w.started.minus_secs(86_400 * 150);
    w.databases.push(Database {
        id: w.databases.len() as u64 + 1,
        uuid,
        name: name.to_string(),
        description: Some(description.to_string()),
        kind,
        image: image.to_string(),
        environment,
        destination,
        status: "running:healthy".into(),
        user: match kind {
            DbKind::Redis => "default".into(),
            DbKind::Mongodb => "root".into(),
            DbKind::Mysql | DbKind::Mariadb => "mysql".into(),
            DbKind::Postgresql => "postgres".into(),
        },
        password,
        db_name: db_name.to_string(),
        is_public: false,
        public_port: None,
        limits_memory: "0".into(),
        started_at: Some(w.started.minus_secs(86_400 * 12)),
        created_at: created,
        updated_at: w.started.minus_secs(86_400 * 12),
        tags,
        envs: Vec::new(),
    });
    let d = w.databases.len() - 1;
    attached::database(w, d);
    let tags = w.databases[d].tags.clone();
    attached::tags(w, &tags, created);
    d
}

#[allow(clippy::too_many_arguments)]
pub(super) fn service(
    w: &mut World,
    name: &str,
    description: &str,
    service_type: &str,
    image: &str,
    fqdn: Option<String>,
    environment: usize,
    destination: usize,
    tags: Vec<String>,
) -> usize {
    let uuid = w.ids.uuid();
    let sub_uuid = w.ids.uuid();
    let created = w.started.minus_secs(86_400 * 120);
    let compose_raw = format!(
        "services:\n  {service_type}:\n    image: '{image}'\n    environment:\n      - SERVICE_FQDN_{}_3001\n    volumes:\n      - '{service_type}-data:/app/data'\n    healthcheck:\n      test: ['CMD-SHELL', 'extra/healthcheck']\n      interval: 2s\n      timeout: 10s\n      retries: 15\n",
        service_type.replace('-', "").to_uppercase()
    );
    let id = w.services.len() as u64 + 1;
    w.services.push(Service {
        id,
        uuid,
        name: name.to_string(),
        description: Some(description.to_string()),
        environment,
        destination,
        service_type: service_type.to_string(),
        image: image.to_string(),
        fqdn,
        status: "running:healthy".into(),
        compose_raw,
        created_at: created,
        updated_at: w.started.minus_secs(86_400 * 3),
        tags,
        sub_id: id,
        sub_uuid,
        envs: Vec::new(),
    });
    let s = w.services.len() - 1;
    attached::service(w, s);
    let tags = w.services[s].tags.clone();
    attached::tags(w, &tags, created);
    s
}
