//! The large generated data set for load tests: `n` applications over about n/30 projects
//! (named from word lists, one repository each) on about n/400 application servers and a
//! build server. Each application gets a short run history; each project two PostgreSQL
//! databases, a Redis and a service.

use super::builders::{
    AppSpec, ENVS, PastRun, app, branch_of, database, destination, history, project, server,
    service,
};
use crate::sim::ids::Ts;
use crate::sim::logs::RunKind;
use crate::sim::world::World;
use crate::sim::world::records::DbKind;
use crate::sim::world::repos::Repo;

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

/// Add `n` generated applications (at least one) and what they run on to an empty world.
pub(super) fn populate(w: &mut World, n: usize, queue_limit: usize) {
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
