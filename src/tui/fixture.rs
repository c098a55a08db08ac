//! A fixed, hand-made console state for unit and snapshot tests: no server, no clock.

use jiff::Timestamp;

use super::msg::{ContextInfo, Msg};
use super::state::State;
use super::theme::{Depth, Theme};
use super::update::update;
use crate::model::{
    AppInfo, Deployment, DeploymentStatus, Environment, Overview, Project, Resource, ResourceKind,
    ResourceStatus, Server, Tree, Trigger,
};
use crate::ops::{Kind, Plan, Preview, Target, Verdict};
use crate::settings::Settings;

pub const NOW: &str = "2026-11-27T12:00:00Z";

pub fn now() -> Timestamp {
    NOW.parse().expect("a timestamp")
}

pub fn at(minutes_ago: i64) -> Timestamp {
    now() - jiff::SignedDuration::from_mins(minutes_ago)
}

fn app(project: &str, env: &str, status: &str) -> Resource {
    let name = format!("{}-{env}", project.to_lowercase());
    let host = match env {
        "prod" => format!("{}.pfcore.io", project.to_lowercase()),
        _ => format!("{env}.{}.pfcore.io", project.to_lowercase()),
    };
    let branch = match env {
        "dev" => "develop",
        "staging" => "staging",
        _ => "main",
    };
    Resource {
        uuid: format!("app-{name}"),
        id: Some(1),
        name,
        kind: ResourceKind::Application,
        engine: None,
        status: ResourceStatus::parse(status),
        server: Some("pfcore-main".into()),
        description: None,
        urls: vec![format!("https://{host}")],
        app: Some(AppInfo {
            git_repository: Some(format!("pfcore/pf-{}", project.to_lowercase())),
            git_branch: Some(branch.into()),
            git_commit_sha: Some("HEAD".into()),
            build_pack: Some("nixpacks".into()),
            health_check_path: Some("/api/health".into()),
            health_check_enabled: Some(true),
            auto_deploy: Some(env != "prod"),
        }),
    }
}

fn database(name: &str, engine: &str) -> Resource {
    Resource {
        uuid: format!("db-{name}"),
        id: None,
        name: name.into(),
        kind: ResourceKind::Database,
        engine: Some(engine.into()),
        status: ResourceStatus::parse("running:healthy"),
        server: Some("pfcore-main".into()),
        description: None,
        urls: Vec::new(),
        app: None,
    }
}

pub fn tree() -> Tree {
    let project = |name: &str, statuses: [&str; 3], extra: Option<Resource>| Project {
        uuid: format!("p-{name}"),
        name: name.into(),
        description: Some(format!("{name} instance")),
        environments: ["dev", "staging", "prod"]
            .iter()
            .zip(statuses)
            .map(|(env, status)| {
                let mut resources = vec![app(name, env, status)];
                if *env == "prod" {
                    resources.extend(extra.clone());
                }
                Environment {
                    uuid: Some(format!("e-{name}-{env}")),
                    id: None,
                    name: env.to_string(),
                    resources,
                }
            })
            .collect(),
    };
    let mut tree = Tree {
        projects: vec![
            project(
                "AIR",
                ["running:healthy"; 3],
                Some(database("air-postgres", "postgresql")),
            ),
            project(
                "BAIV",
                ["running:unknown", "running:healthy", "running:healthy"],
                Some(database("baiv-redis", "redis")),
            ),
            project(
                "W4M",
                ["exited:unhealthy", "running:healthy", "running:healthy"],
                None,
            ),
        ],
        servers: vec![
            Server {
                uuid: "s-main".into(),
                name: "pfcore-main".into(),
                description: Some("Hetzner CPX31 (4 vCPU, 8 GB RAM, 160 GB NVMe)".into()),
                ip: Some("203.0.113.10".into()),
                reachable: Some(true),
                usable: Some(true),
                build_server: false,
            },
            Server {
                uuid: "s-build".into(),
                name: "pfcore-build".into(),
                description: Some("Hetzner CPX21 build server".into()),
                ip: Some("203.0.113.11".into()),
                reachable: Some(true),
                usable: Some(true),
                build_server: true,
            },
        ],
        unplaced: vec![],
    };
    // Coolify's numeric ids, in tree order: air-dev is 1.
    let mut next = 0;
    for env in tree
        .projects
        .iter_mut()
        .flat_map(|p| p.environments.iter_mut())
    {
        for r in &mut env.resources {
            next += 1;
            r.id = Some(next);
        }
    }
    tree
}

/// The message on the footer ("" when none).
pub fn flashed(state: &State) -> &str {
    state.flash.as_ref().map(|f| f.text.as_str()).unwrap_or("")
}

/// A deploy target of the AIR project.
pub fn target(name: &str, env: &str) -> Target {
    Target {
        project: "AIR".into(),
        environment: env.into(),
        name: name.into(),
        uuid: format!("app-{name}"),
        kind: ResourceKind::Application,
    }
}

/// The plan of a deploy of `air-{env}`, with this verdict.
pub fn deploy_plan(verdict: Verdict, env: &str) -> Box<Plan> {
    Box::new(Plan::for_tests(
        Kind::Deploy,
        vec![target(&format!("air-{env}"), env)],
        env,
        verdict,
        Preview {
            title: format!("Deploy air-{env}"),
            actions: vec![format!("build and start air-{env}")],
            commits: vec![],
            undo: "roll back".into(),
            cli: format!("pftui deploy air {env}"),
            notes: vec![],
        },
    ))
}

pub fn deployment(
    uuid: &str,
    status: DeploymentStatus,
    minutes_ago: i64,
    message: &str,
) -> Deployment {
    Deployment {
        uuid: uuid.into(),
        application_id: Some("1".into()),
        application_name: Some("air-dev".into()),
        status,
        commit: Some(format!("{uuid:0<40}")),
        commit_message: Some(message.into()),
        trigger: Trigger::Webhook,
        force_rebuild: false,
        restart_only: false,
        server_name: Some("pfcore-main".into()),
        created_at: Some(at(minutes_ago)),
        updated_at: Some(at(minutes_ago - 1)),
        finished_at: Some(at(minutes_ago - 1)),
    }
}

/// A console at `size` showing the fixture tree, the first application selected and its
/// deployments loaded.
pub fn state(size: (u16, u16)) -> State {
    let info = ContextInfo {
        name: "pfcore".into(),
        url: "https://coolify.pfcore.io".into(),
        token_source: "environment variable COOLIFY_API_TOKEN".into(),
        token_short: "env".into(),
        read_only: false,
    };
    let depth = Depth::TrueColor;
    let mut state = State::new(
        info,
        Settings::default(),
        Theme::fallback(depth),
        depth,
        None,
        now(),
        size,
    );
    update(
        &mut state,
        Msg::Loaded {
            context: "pfcore".into(),
            result: Ok(Box::new(Overview {
                tree: tree(),
                version: Some("4.3.11".into()),
                running: vec![],
                warnings: vec![],
            })),
        },
    );
    update(
        &mut state,
        Msg::Recent {
            context: "pfcore".into(),
            app: "app-air-dev".into(),
            result: Ok(vec![
                deployment(
                    "a1b2c3d",
                    DeploymentStatus::Finished,
                    42,
                    "feat: onboarding checklist",
                ),
                deployment(
                    "9f8e7d6",
                    DeploymentStatus::Failed,
                    180,
                    "fix: retry webhooks",
                ),
                deployment(
                    "5e4d3c2",
                    DeploymentStatus::Finished,
                    1500,
                    "chore: bump deps",
                ),
            ]),
        },
    );
    state.log.view.set_time_zone(jiff::tz::TimeZone::UTC);
    let line = |kind, text: &str, hidden| crate::model::LogLine {
        kind,
        text: text.into(),
        timestamp: Some(at(42)),
        hidden,
    };
    use crate::model::LineKind::{Command, Stderr, Stdout};
    update(
        &mut state,
        Msg::LogProgress {
            deployment: "a1b2c3d".into(),
            progress: crate::ops::Progress::Lines {
                target: "air-dev".into(),
                lines: vec![
                    line(
                        Stdout,
                        "Starting deployment of pfcore/pf-air:develop to pfcore-main.",
                        false,
                    ),
                    line(Command, "docker build -t air-dev:a1b2c3d .", true),
                    line(Stdout, "#7 [build 4/6] RUN npm ci", false),
                    line(
                        Stderr,
                        "npm warn deprecated inflight@1.0.6: This module is not supported",
                        false,
                    ),
                    line(Stdout, "Rolling update completed.", false),
                ],
            },
        },
    );
    state
}

/// A key without modifiers, through `update`.
pub fn key(state: &mut State, code: crossterm::event::KeyCode) -> Vec<super::msg::Effect> {
    let key = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
    update(state, Msg::Key(key))
}

/// `text` typed a character at a time.
pub fn typed(state: &mut State, text: &str) -> Vec<super::msg::Effect> {
    text.chars()
        .flat_map(|c| key(state, crossterm::event::KeyCode::Char(c)))
        .collect()
}

/// The screen as text at the state's size.
pub fn screen(state: &State) -> String {
    super::snapshot::render(state, state.size.0, state.size.1, false)
}
