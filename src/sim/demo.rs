//! The data sets: the PF-CORE demo (projects AIR, BAIV, W4M x dev/staging/prod, from the
//! platform's design document) and a large generated one for load tests.
//!
//! Every uuid, sha and random choice comes from the seeded generator, in a fixed order, so
//! the same seed gives the same world (timestamps are relative to the start time).

use super::ids::Ts;
use super::logs::{RunKind, ScriptCtx};
use super::world::World;
use super::world::records::{
    App, AppSettings, Database, DbKind, DeployLogs, DeployStatus, Deployment, Destination,
    Environment, Project, Server, Service,
};
use super::world::repos::Repo;

const ENVS: [&str; 3] = ["dev", "staging", "prod"];

fn branch_of(env: &str) -> &'static str {
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

/// Build the world: the demo data set, or `apps` generated applications.
pub(crate) fn build(seed: u64, apps: Option<usize>, queue_limit: usize) -> World {
    let mut w = World::new(seed);
    match apps {
        None => demo(&mut w, queue_limit),
        Some(n) => large(&mut w, n, queue_limit),
    }
    w
}

fn server(
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

fn destination(w: &mut World, server: usize) -> usize {
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

fn project(w: &mut World, name: &str, description: &str, age_days: i64) -> usize {
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

struct AppSpec<'a> {
    name: String,
    description: String,
    environment: usize,
    destination: usize,
    fqdn: String,
    repo: String,
    branch: &'a str,
    env: &'a str,
    base_directory: String,
    package: String,
    health_check: bool,
    auto_deploy: bool,
    images_to_keep: u32,
    tags: Vec<String>,
    created: Ts,
}

fn app(w: &mut World, spec: AppSpec<'_>) -> usize {
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
    w.add_app(a)
}

/// One past run of an application, recorded with its outcome.
#[derive(Clone, Copy)]
struct PastRun<'a> {
    commit: &'a str,
    at: Ts,
    ok: bool,
    kind: RunKind,
    webhook: bool,
}

/// Record a history of runs (oldest first) and set the application's current state from it.
fn history(w: &mut World, app: usize, runs: &[PastRun<'_>]) {
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
            Some(super::logs::FailKind::TypeScript)
        } else {
            Some(super::logs::FailKind::NpmCi)
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
        let duration = match (run.ok, skip_build) {
            (false, _) => 9_000 + seed % 3_000,
            (true, true) => 7_000 + seed % 2_000,
            (true, false) => 15_000 + seed % 4_000,
        } as i64;
        let finished = run.at.plus_ms(duration);
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

fn demo(w: &mut World, queue_limit: usize) {
    let main = server(
        w,
        0,
        "pfcore-main",
        "Hetzner CPX31 (4 vCPU, 8 GB RAM, 160 GB NVMe), Ubuntu 24.04 LTS, Falkenstein. Runs Coolify, Traefik and every PF-CORE application and database.",
        "203.0.113.10",
        false,
        queue_limit,
    );
    let build = server(
        w,
        1,
        "pfcore-build",
        "Hetzner CPX21 (3 vCPU, 4 GB RAM, 80 GB NVMe) build server: Nixpacks and Docker builds only, hosts no resources.",
        "203.0.113.11",
        true,
        queue_limit,
    );
    let dest = destination(w, main);
    destination(w, build);

    let instances = [
        ("AIR", "air", "AIR instance of the PF-CORE platform"),
        ("BAIV", "baiv", "BAIV instance of the PF-CORE platform"),
        ("W4M", "w4m", "W4M instance of the PF-CORE platform"),
    ];
    let mut env_index: Vec<[usize; 3]> = Vec::new();
    for (i, (name, slug, desc)) in instances.iter().enumerate() {
        let p = project(w, name, desc, 240 - 30 * i as i64);
        let envs = &w.projects[p].environments;
        env_index.push([envs[0], envs[1], envs[2]]);
        let repo_id = 812_345_678 + i as u64 * 1_117;
        let homepage = match *slug {
            "baiv" => "https://baiv.io".to_string(),
            s => format!("https://{s}.pfcore.io"),
        };
        let repo = Repo::generate(
            &mut w.ids,
            repo_id,
            "pfcore",
            &format!("pf-{slug}"),
            format!("PF-CORE {name} instance (Next.js + Supabase)"),
            Some(homepage),
            w.started,
            10,
            3,
            4,
        );
        w.repos.push(repo);
    }

    for (i, (name, slug, _)) in instances.iter().enumerate() {
        for (e, env) in ENVS.iter().enumerate() {
            let fqdn = match (*slug, *env) {
                ("baiv", "prod") => "https://baiv.io".to_string(),
                (s, "prod") => format!("https://{s}.pfcore.io"),
                (s, env) => format!("https://{env}.{s}.pfcore.io"),
            };
            let branch = branch_of(env);
            let env_word = match *env {
                "dev" => "development",
                "staging" => "staging",
                _ => "production",
            };
            let deploy_note = if *env == "prod" {
                "deployed manually after promotion from staging"
            } else {
                "auto-deploys on push"
            };
            let description = format!(
                "{name} {env_word} web application (Next.js 14 + Supabase), branch {branch}, {deploy_note}."
            );
            let health_check = !(*slug == "baiv" && *env == "dev");
            let a = app(
                w,
                AppSpec {
                    name: format!("{slug}-{env}"),
                    description,
                    environment: env_index[i][e],
                    destination: dest,
                    fqdn,
                    repo: format!("pfcore/pf-{slug}"),
                    branch,
                    env,
                    base_directory: "/".into(),
                    package: format!("pf-{slug}"),
                    health_check,
                    auto_deploy: *env != "prod",
                    images_to_keep: 3,
                    tags: vec![slug.to_string(), env.to_string()],
                    created: w.started.minus_secs(86_400 * (200 - 20 * i as i64)),
                },
            );
            demo_history(w, a, env);
        }
    }
    // Some variety for a console to show.
    if let Some(a) = w.app_by_name_or_uuid("w4m-dev") {
        w.apps[a].status = "exited:unhealthy".into();
    }

    // One PostgreSQL, one Redis, one service.
    let air_prod = env_index[0][2];
    let baiv_prod = env_index[1][2];
    let w4m_prod = env_index[2][2];
    database(
        w,
        "air-postgres",
        "AIR production PostgreSQL (bookings, tenants)",
        DbKind::Postgresql,
        "postgres:16-alpine",
        air_prod,
        dest,
        "air",
        vec!["air".into(), "prod".into()],
    );
    database(
        w,
        "baiv-redis",
        "BAIV production Redis (sessions, rate limits, job queue)",
        DbKind::Redis,
        "redis:7.2",
        baiv_prod,
        dest,
        "0",
        vec!["baiv".into(), "prod".into()],
    );
    service(
        w,
        "w4m-uptime-kuma",
        "Uptime monitoring and status page for W4M",
        "uptime-kuma",
        "louislam/uptime-kuma:1",
        Some("https://status.w4m.pfcore.io".into()),
        w4m_prod,
        dest,
        vec!["w4m".into(), "monitoring".into()],
    );
}

fn demo_history(w: &mut World, app: usize, env: &str) {
    let (repo, branch) = (
        w.apps[app].git_repository.clone(),
        w.apps[app].git_branch.clone(),
    );
    let chain: Vec<(String, Ts)> = w
        .repo(&repo)
        .map(|r| {
            r.first_parent_chain(&branch, 4)
                .iter()
                .map(|c| (c.sha.clone(), c.date))
                .collect()
        })
        .unwrap_or_default();
    if chain.len() < 4 {
        return;
    }
    let webhook = env != "prod";
    let lag = |w: &mut World, base: Ts| -> Ts {
        let mins = if webhook {
            w.ids.range(1..4)
        } else {
            w.ids.range(60..600)
        };
        base.plus_ms(mins as i64 * 60_000 + w.ids.range(0..59_000) as i64)
    };
    // Oldest first: two good deploys, a failed one, the fix.
    let mut runs = Vec::new();
    for (k, (sha, date)) in chain.iter().rev().enumerate() {
        let at = lag(w, *date);
        runs.push((sha.clone(), at, k != 2));
    }
    let mut past: Vec<PastRun<'_>> = runs
        .iter()
        .map(|(sha, at, ok)| PastRun {
            commit: sha,
            at: *at,
            ok: *ok,
            kind: RunKind::Deploy,
            webhook,
        })
        .collect();
    let last = runs[runs.len() - 1].clone();
    let restart_at = last.1.plus_ms(3_600_000 * 5);
    if env == "prod" && restart_at < w.started {
        past.push(PastRun {
            commit: &last.0,
            at: restart_at,
            ok: true,
            kind: RunKind::Restart,
            webhook: false,
        });
    }
    history(w, app, &past);
}

#[allow(clippy::too_many_arguments)]
fn database(
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
    });
    w.databases.len() - 1
}

#[allow(clippy::too_many_arguments)]
fn service(
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
    });
    w.services.len() - 1
}

// ----- large data set -----

const PREFIXES: &[&str] = &[
    "atlas", "nova", "orbit", "cedar", "harbor", "summit", "lumen", "vertex", "maple", "quartz",
    "falcon", "meridian", "beacon", "cobalt", "delta", "ember", "fjord", "granite", "helix",
    "iris", "juniper", "kestrel", "lagoon", "mosaic", "nimbus", "onyx", "pioneer", "quill",
    "ridge", "sierra", "tundra", "umber", "vista", "willow", "xenon", "yonder", "zephyr", "aurora",
    "boreal", "cascade",
];
const SUFFIXES: &[&str] = &[
    "logistics",
    "health",
    "retail",
    "finance",
    "learning",
    "travel",
    "energy",
    "legal",
    "media",
    "foods",
    "mobility",
    "insurance",
    "realty",
    "studio",
    "labs",
    "clinic",
    "fitness",
    "events",
    "freight",
    "farms",
    "dental",
    "housing",
    "payroll",
    "games",
    "music",
    "pets",
    "care",
    "solar",
    "water",
    "charity",
    "museum",
    "library",
    "hotels",
    "motors",
    "fashion",
    "sports",
    "tickets",
    "parking",
    "rentals",
    "print",
];
const COMPONENTS: &[&str] = &[
    "web",
    "api",
    "worker",
    "admin",
    "docs",
    "gateway",
    "auth",
    "billing",
    "notifications",
    "search",
    "scheduler",
    "media",
    "reports",
    "cms",
    "storefront",
    "checkout",
    "analytics",
    "inventory",
    "payments",
    "mailer",
    "webhooks",
    "realtime",
    "exports",
    "imports",
    "pdf",
    "cron",
    "landing",
    "status",
    "partner-api",
    "mobile-api",
];
const SERVICE_TYPES: &[(&str, &str)] = &[
    ("uptime-kuma", "louislam/uptime-kuma:1"),
    ("plausible", "ghcr.io/plausible/community-edition:v2.1.4"),
    ("minio", "quay.io/minio/minio:RELEASE.2024-10-13T13-34-11Z"),
    ("n8n", "docker.n8n.io/n8nio/n8n:1.64.3"),
    ("metabase", "metabase/metabase:v0.50.29"),
];

fn large(w: &mut World, n: usize, queue_limit: usize) {
    let n = n.max(1);
    let projects = n.div_ceil(30).max(1);
    let app_servers = n.div_ceil(400).max(1);
    let mut dests = Vec::with_capacity(app_servers);
    for s in 0..app_servers {
        let name = format!("pfcore-app-{:02}", s + 1);
        let desc =
            "Hetzner CPX51 (16 vCPU, 32 GB RAM, 360 GB NVMe), Ubuntu 24.04 LTS, application host.";
        let ip = format!("203.0.{}.{}", 113 + s / 200, 10 + s % 200);
        let srv = server(w, s as u64, &name, desc, &ip, false, queue_limit);
        dests.push(destination(w, srv));
    }
    let build = server(
        w,
        app_servers as u64,
        "pfcore-build",
        "Hetzner CPX41 (8 vCPU, 16 GB RAM, 240 GB NVMe) build server, hosts no resources.",
        "203.0.113.250",
        true,
        queue_limit,
    );
    destination(w, build);

    let per_project = n.div_ceil(projects);
    let mut made = 0usize;
    for p in 0..projects {
        let combos = PREFIXES.len() * SUFFIXES.len();
        let base = format!(
            "{}-{}",
            PREFIXES[p % PREFIXES.len()],
            SUFFIXES[(p / PREFIXES.len() + p) % SUFFIXES.len()]
        );
        let slug = if p < combos {
            base
        } else {
            format!("{base}-{}", p / combos + 1)
        };
        let pi = project(
            w,
            &slug,
            &format!("{slug} platform (generated)"),
            30 + (p % 300) as i64,
        );
        let envs = w.projects[pi].environments.clone();
        let repo = Repo::generate(
            &mut w.ids,
            900_000_000 + p as u64,
            "pfcore",
            &slug,
            format!("{slug} monorepo"),
            Some(format!("https://{slug}.pfcore.dev")),
            w.started,
            6,
            2,
            3,
        );
        let heads: Vec<Vec<(String, Ts)>> = ["develop", "staging", "main"]
            .iter()
            .map(|b| {
                repo.first_parent_chain(b, 3)
                    .iter()
                    .map(|c| (c.sha.clone(), c.date))
                    .collect()
            })
            .collect();
        w.repos.push(repo);
        let dest = dests[p % dests.len()];
        let count = per_project.min(n - made);
        for j in 0..count {
            let e = j % 3;
            let env = ENVS[e];
            let c = j / 3;
            let component = if c < COMPONENTS.len() {
                COMPONENTS[c].to_string()
            } else {
                format!(
                    "{}-{}",
                    COMPONENTS[c % COMPONENTS.len()],
                    c / COMPONENTS.len() + 1
                )
            };
            let fqdn = if env == "prod" {
                format!("https://{component}.{slug}.pfcore.dev")
            } else {
                format!("https://{component}.{env}.{slug}.pfcore.dev")
            };
            let a = app(
                w,
                AppSpec {
                    name: format!("{slug}-{component}-{env}"),
                    description: format!("{component} of {slug} ({env})"),
                    environment: envs[e],
                    destination: dest,
                    fqdn,
                    repo: format!("pfcore/{slug}"),
                    branch: branch_of(env),
                    env,
                    base_directory: format!("/apps/{component}"),
                    package: format!("@{slug}/{component}"),
                    health_check: true,
                    auto_deploy: env != "prod",
                    images_to_keep: 2 + (j % 4) as u32,
                    tags: vec![slug.clone(), env.to_string()],
                    created: w.started.minus_secs(86_400 * (20 + (j % 200) as i64)),
                },
            );
            let chain = &heads[e];
            if chain.len() >= 2 {
                let fail_middle = w.ids.chance(0.1);
                let mut past = vec![PastRun {
                    commit: &chain[1].0,
                    at: chain[1].1.plus_ms(120_000),
                    ok: true,
                    kind: RunKind::Deploy,
                    webhook: env != "prod",
                }];
                if fail_middle {
                    past.push(PastRun {
                        commit: &chain[0].0,
                        at: chain[0].1.plus_ms(60_000),
                        ok: false,
                        kind: RunKind::Deploy,
                        webhook: env != "prod",
                    });
                }
                past.push(PastRun {
                    commit: &chain[0].0,
                    at: chain[0].1.plus_ms(900_000),
                    ok: true,
                    kind: RunKind::Deploy,
                    webhook: env != "prod",
                });
                history(w, a, &past);
            }
            let roll = w.ids.range(0..100);
            let status = match roll {
                0..=2 => Some("exited:unhealthy"),
                3..=4 => Some("running:unhealthy"),
                5 => Some("degraded:unhealthy"),
                6..=7 => Some("running:unknown"),
                _ => None,
            };
            if let Some(s) = status {
                w.apps[a].status = s.into();
            }
            made += 1;
        }
        let (slug_db, dest_db) = (slug.clone(), dest);
        database(
            w,
            &format!("{slug_db}-postgres"),
            &format!("{slug_db} production PostgreSQL"),
            DbKind::Postgresql,
            "postgres:16-alpine",
            envs[2],
            dest_db,
            &slug_db.replace('-', "_"),
            vec![slug_db.clone(), "prod".into()],
        );
        database(
            w,
            &format!("{slug_db}-postgres-staging"),
            &format!("{slug_db} staging PostgreSQL"),
            DbKind::Postgresql,
            "postgres:16-alpine",
            envs[1],
            dest_db,
            &slug_db.replace('-', "_"),
            vec![slug_db.clone(), "staging".into()],
        );
        database(
            w,
            &format!("{slug_db}-redis"),
            &format!("{slug_db} production Redis"),
            DbKind::Redis,
            "redis:7.2",
            envs[2],
            dest_db,
            "0",
            vec![slug_db.clone(), "prod".into()],
        );
        let (stype, image) = SERVICE_TYPES[p % SERVICE_TYPES.len()];
        service(
            w,
            &format!("{slug_db}-{stype}"),
            &format!("{stype} for {slug_db}"),
            stype,
            image,
            Some(format!("https://{stype}.{slug_db}.pfcore.dev")),
            envs[2],
            dest_db,
            vec![slug_db.clone()],
        );
        if made >= n {
            break;
        }
    }
}
