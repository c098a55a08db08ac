//! The upper right pane: everything known about the selection.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::pane;
use crate::model::{Environment, Project, Resource, ResourceKind, short_sha, time};
use crate::tui::layout;
use crate::tui::outline::NodeId;
use crate::tui::paint::printable_lines;
use crate::tui::state::{Pane, State};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let block = pane(state, "Details", Pane::Details);
    let lines = lines(state);
    let scroll = state.details_scroll.min(max_scroll(state));
    frame.render_widget(
        Paragraph::new(printable_lines(lines))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// How far the details scroll at the current size: to their last line.
pub fn max_scroll(state: &State) -> u16 {
    let shown = layout::inner_height(layout::areas(state.size.0, state.size.1).details);
    u16::try_from(lines(state).len().saturating_sub(shown)).unwrap_or(u16::MAX)
}

/// What the details of the selection say.
fn lines(state: &State) -> Vec<Line<'_>> {
    match state.selected_row().map(|r| &r.id) {
        Some(NodeId::Resource(uuid)) => match state.data.tree.resource(uuid) {
            Some((p, e, r)) => resource(state, &format!("in {}/{}", p.name, e.name), r),
            None => vec![],
        },
        Some(NodeId::UnplacedResource(uuid)) => {
            match state
                .data
                .tree
                .unplaced
                .iter()
                .find(|u| &u.resource.uuid == uuid)
            {
                Some(u) => {
                    let mut lines = resource(state, "unplaced", &u.resource);
                    lines.insert(
                        1,
                        styled(state, "Unplaced", u.reason.clone(), state.theme.warning()),
                    );
                    lines
                }
                None => vec![],
            }
        }
        Some(NodeId::Environment(project, env)) => {
            match state.data.tree.projects.iter().find(|p| &p.uuid == project) {
                Some(p) => match p.environment(env) {
                    Some(e) => environment(state, p, e),
                    None => vec![],
                },
                None => vec![],
            }
        }
        Some(NodeId::Project(uuid)) => {
            match state.data.tree.projects.iter().find(|p| &p.uuid == uuid) {
                Some(p) => project(state, p),
                None => vec![],
            }
        }
        Some(NodeId::Context | NodeId::Unplaced) | None => context(state),
    }
}

fn field<'a>(state: &State, label: &'a str, value: impl Into<String>) -> Line<'a> {
    styled(state, label, value, state.theme.text())
}

fn styled<'a>(state: &State, label: &'a str, value: impl Into<String>, style: Style) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<13}"), state.theme.dim()),
        Span::styled(value.into(), style),
    ])
}

fn title<'a>(state: &State, name: &str, what: &str) -> Line<'a> {
    Line::from(vec![
        Span::styled(name.to_string(), state.theme.accent().bold()),
        Span::styled(format!("  {what}"), state.theme.dim()),
    ])
}

/// A resource's details; `place` says where it is (`in AIR/dev`).
fn resource<'a>(state: &'a State, place: &str, r: &'a Resource) -> Vec<Line<'a>> {
    let theme = &state.theme;
    let what = match (r.kind, &r.engine) {
        (ResourceKind::Application, _) => "application".to_string(),
        (kind, Some(engine)) => format!("{} · {engine}", kind.as_str()),
        (kind, None) => kind.as_str().to_string(),
    };
    let mut lines = vec![
        title(state, &r.name, &format!("{what} {place}")),
        styled(
            state,
            "Status",
            r.status.to_string(),
            state.paint().status_style(&r.status),
        ),
    ];
    if let Some(d) = state.data.deploying.get(&r.uuid) {
        lines.push(styled(
            state,
            "Deploying",
            format!("{} · {}", d.status, d.uuid),
            theme.deploying(),
        ));
    }
    if !r.urls.is_empty() {
        lines.push(styled(state, "URL", r.urls.join(", "), theme.accent()));
    }
    if let Some(app) = &r.app {
        let repo = match (&app.git_repository, &app.git_branch) {
            (Some(repo), Some(branch)) => format!("{repo} @ {branch}"),
            (Some(repo), None) => repo.clone(),
            _ => "-".into(),
        };
        lines.push(field(state, "Repository", repo));
        let commit = match app.git_commit_sha.as_deref() {
            None | Some("HEAD") | Some("") => "HEAD (follows the branch)".to_string(),
            Some(sha) => format!("{} (pinned)", short_sha(sha)),
        };
        lines.push(field(state, "Commit", commit));
        lines.extend(running(state, r));
        if let Some(pack) = &app.build_pack {
            lines.push(field(state, "Build pack", pack.clone()));
        }
        let health = match (&app.health_check_path, app.health_check_enabled) {
            (_, Some(false)) => "none (health check disabled)".to_string(),
            (Some(path), _) => path.clone(),
            (None, _) => "-".into(),
        };
        lines.push(field(state, "Health check", health));
        if let Some(auto) = app.auto_deploy {
            lines.push(field(
                state,
                "Auto-deploy",
                if auto {
                    "on (push deploys)"
                } else {
                    "off (manual)"
                },
            ));
        }
    }
    lines.push(field(
        state,
        "Server",
        r.server.clone().unwrap_or_else(|| "-".into()),
    ));
    if r.kind == ResourceKind::Application {
        lines.push(last_deployment(state, &r.uuid));
    }
    if let Some(d) = r.description.as_deref().filter(|d| !d.is_empty()) {
        lines.push(field(state, "Description", d.to_string()));
    }
    lines.push(styled(state, "UUID", r.uuid.clone(), theme.dim()));
    lines
}

/// What the application runs: its newest finished deployment's commit (after a rollback,
/// an earlier one than its branch's), and how far behind its branch that is when the
/// pipeline view has read the branch.
fn running<'a>(state: &State, r: &Resource) -> Option<Line<'a>> {
    let theme = &state.theme;
    let deployed = state
        .recent
        .get(&r.uuid)?
        .deployments
        .iter()
        .find(|d| d.status == crate::model::DeploymentStatus::Finished)?;
    let commit = deployed.short_commit().unwrap_or("-");
    let age = deployed
        .finished_at
        .or(deployed.created_at)
        .map(|t| time::age(t, state.now))
        .unwrap_or_default();
    let rolled_back = deployed.trigger == crate::model::Trigger::Rollback;
    let mut text = if rolled_back {
        format!("{commit} · rolled back {age}: an earlier build than the branch's")
    } else {
        format!("{commit} · deployed {age}")
    };
    let behind = state
        .pipeline
        .board()
        .and_then(|b| {
            b.lanes
                .iter()
                .flat_map(|l| &l.cells)
                .find(|c| c.uuid == r.uuid)
        })
        .and_then(|c| match &c.behind {
            Some(Ok(n)) if *n > 0 => Some((*n, c.branch.clone().unwrap_or_default())),
            _ => None,
        });
    if let Some((n, branch)) = &behind {
        text.push_str(&format!(" · {n} behind {branch}"));
    }
    let style = if rolled_back || behind.is_some() {
        theme.warning()
    } else {
        theme.text()
    };
    Some(styled(state, "Running", text, style))
}

fn last_deployment<'a>(state: &State, app: &str) -> Line<'a> {
    let theme = &state.theme;
    match state.recent.get(app) {
        Some(recent) => match recent.deployments.first() {
            Some(d) => {
                let age = d
                    .created_at
                    .map(|t| time::age(t, state.now))
                    .unwrap_or_default();
                let style = match d.status {
                    crate::model::DeploymentStatus::Finished => theme.ok(),
                    crate::model::DeploymentStatus::Failed => theme.error(),
                    _ => theme.deploying(),
                };
                styled(
                    state,
                    "Last deploy",
                    format!("{} · {} · {age}", d.status, d.short_commit().unwrap_or("-")),
                    style,
                )
            }
            None if recent.loading => styled(state, "Last deploy", "loading…", theme.dim()),
            None => styled(state, "Last deploy", "never", theme.dim()),
        },
        None => styled(state, "Last deploy", "…", theme.dim()),
    }
}

fn environment<'a>(state: &State, p: &Project, e: &Environment) -> Vec<Line<'a>> {
    let mut lines = vec![title(
        state,
        &format!("{}/{}", p.name, e.name),
        "environment",
    )];
    let count = |kind| e.resources.iter().filter(|r| r.kind == kind).count();
    lines.push(field(
        state,
        "Applications",
        count(ResourceKind::Application).to_string(),
    ));
    lines.push(field(
        state,
        "Databases",
        count(ResourceKind::Database).to_string(),
    ));
    lines.push(field(
        state,
        "Services",
        count(ResourceKind::Service).to_string(),
    ));
    let down: Vec<&str> = e
        .resources
        .iter()
        .filter(|r| !r.status.is_ok())
        .map(|r| r.name.as_str())
        .collect();
    if down.is_empty() {
        lines.push(styled(state, "Health", "all running", state.theme.ok()));
    } else {
        lines.push(styled(
            state,
            "Not healthy",
            down.join(", "),
            state.theme.error(),
        ));
    }
    let branches: Vec<String> = e
        .applications()
        .filter_map(|a| a.app.as_ref()?.git_branch.clone())
        .collect();
    if !branches.is_empty() {
        lines.push(field(state, "Branch", branches.join(", ")));
    }
    lines
}

fn project<'a>(state: &State, p: &Project) -> Vec<Line<'a>> {
    let mut lines = vec![title(state, &p.name, "project")];
    if let Some(d) = &p.description {
        lines.push(field(state, "Description", d.clone()));
    }
    for e in &p.environments {
        let ok = e.resources.iter().filter(|r| r.status.is_ok()).count();
        let style = if ok == e.resources.len() {
            state.theme.ok()
        } else {
            state.theme.warning()
        };
        lines.push(styled(
            state,
            "",
            format!("{:<10} {ok}/{} healthy", e.name, e.resources.len()),
            style,
        ));
    }
    lines.push(styled(state, "UUID", p.uuid.clone(), state.theme.dim()));
    lines
}

fn context<'a>(state: &State) -> Vec<Line<'a>> {
    let tree = &state.data.tree;
    let mut lines = vec![title(state, &state.context.name, "context")];
    lines.push(field(state, "Server", state.context.url.clone()));
    lines.push(field(
        state,
        "Coolify",
        state.data.version.clone().unwrap_or_else(|| "…".into()),
    ));
    lines.push(field(
        state,
        "Token from",
        state.context.token_source.clone(),
    ));
    lines.push(field(state, "Projects", tree.projects.len().to_string()));
    let resources = tree.resources().count() + tree.unplaced.len();
    let ok = tree
        .resources()
        .filter(|(_, _, r)| r.status.is_ok())
        .count();
    lines.push(field(
        state,
        "Resources",
        format!("{resources} ({ok} healthy)"),
    ));
    lines.push(field(state, "Servers", tree.servers.len().to_string()));
    if !tree.unplaced.is_empty() {
        lines.push(styled(
            state,
            "Unplaced",
            format!("{} without a known environment", tree.unplaced.len()),
            state.theme.warning(),
        ));
    }
    for warning in &state.data.warnings {
        lines.push(styled(
            state,
            "Not read",
            warning.to_string(),
            state.theme.warning(),
        ));
    }
    if state.context.read_only {
        lines.push(styled(
            state,
            "Mode",
            "read-only: every write is refused",
            state.theme.warning(),
        ));
    }
    lines
}
