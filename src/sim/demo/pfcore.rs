//! The PF-CORE demo data set: projects AIR, BAIV and W4M with environments dev, staging and
//! prod (from the platform's design document), one Next.js application per environment
//! tracking its branch of the instance's repository, a short deployment history each, two
//! databases and a service on two servers; storages, scheduled tasks and a backup schedule.

use super::attached::{self, TaskSpec};
use super::builders::{
    AppSpec, ENVS, PastRun, app, branch_of, database, destination, history, project, server,
    service,
};
use crate::sim::ids::Ts;
use crate::sim::logs::RunKind;
use crate::sim::world::World;
use crate::sim::world::records::DbKind;
use crate::sim::world::repos::Repo;
use crate::sim::world::schedules::TaskOwner;

/// Add the demo data set to an empty world.
pub(super) fn populate(w: &mut World, queue_limit: usize) {
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
    let air_postgres = database(
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
    let kuma = service(
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
    attach(w, air_postgres, kuma);
}

const FEATURE_FLAGS: &str = "{\n  \"bookings.v2\": true,\n  \"reports.monthly\": false\n}\n";

/// Storages of the production applications, a nightly job of air-prod and one of the
/// uptime monitor, and air-postgres's nightly backup with three past dumps (one failed).
fn attach(w: &mut World, air_postgres: usize, kuma: usize) {
    for name in ["air-prod", "baiv-prod", "w4m-prod"] {
        if let Some(a) = w.app_by_name_or_uuid(name) {
            let file =
                (name == "air-prod").then_some(("/app/config/feature-flags.json", FEATURE_FLAGS));
            attached::app_storage(w, a, file);
        }
    }
    let day = 86_400_000;
    if let Some(a) = w.app_by_name_or_uuid("air-prod") {
        let created = w.apps[a].created_at.plus_ms(2 * day);
        attached::scheduled_task(
            w,
            TaskSpec {
                owner: TaskOwner::App(a),
                name: "purge-expired-sessions",
                command: "npm run jobs:purge-sessions",
                frequency: "0 3 * * *",
                container: None,
                runs: &[
                    Ok("Purged 1284 expired sessions."),
                    Ok("Purged 1190 expired sessions."),
                    Err("Error: connect ETIMEDOUT 10.0.1.4:5432"),
                ],
                last_ms: 5 * 3_600_000,
                period_ms: day,
                created,
            },
        );
    }
    let created = w.services[kuma].created_at.plus_ms(day);
    attached::scheduled_task(
        w,
        TaskSpec {
            owner: TaskOwner::Service(kuma),
            name: "vacuum-database",
            command: "sqlite3 /app/data/kuma.db 'VACUUM;'",
            frequency: "weekly",
            container: Some("uptime-kuma"),
            runs: &[Ok("")],
            last_ms: 2 * day,
            period_ms: 7 * day,
            created,
        },
    );
    attached::backup_schedule(
        w,
        air_postgres,
        &[
            Ok(48_213_456),
            Ok(48_102_933),
            Err(
                "pg_dump: error: connection to server at \"air-postgres\" failed: FATAL:  the database system is starting up",
            ),
        ],
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
