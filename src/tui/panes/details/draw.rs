//! Drawing the details: everything known about the selection, a title line and then one
//! labelled field per line.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::DetailsPane;
use crate::model::stages::Board;
use crate::model::{Environment, Project, Resource, ResourceKind, short_sha, time};
use crate::tui::data::{Data, Recent};
use crate::tui::msg::ContextInfo;
use crate::tui::outline::NodeId;
use crate::tui::paint::{Paint, printable_lines};

/// What the details are of, and what is known about it.
#[derive(Clone, Copy)]
pub struct Subject<'a> {
    /// The selected node.
    pub node: Option<&'a NodeId>,
    pub data: &'a Data,
    /// Applications' recent deployments, by uuid.
    pub recent: &'a HashMap<String, Recent>,
    pub context: &'a ContextInfo,
    /// The pipeline view's board, when it has been read: how far behind its branch each
    /// application runs.
    pub board: Option<&'a Board>,
}

pub fn draw(
    pane: &DetailsPane,
    frame: &mut Frame,
    area: Rect,
    paint: Paint,
    focused: bool,
    subject: Subject,
) {
    let block = paint.bordered("Details", focused);
    let look = Look { paint, subject };
    let lines = look.lines();
    let shown = usize::from(block.inner(area).height);
    let most = u16::try_from(lines.len().saturating_sub(shown)).unwrap_or(u16::MAX);
    let scroll = pane.scroll.min(most);
    frame.render_widget(
        Paragraph::new(printable_lines(lines))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// How many lines the details of `subject` take.
pub fn length(paint: Paint, subject: Subject) -> usize {
    Look { paint, subject }.lines().len()
}

/// What every line is drawn with.
struct Look<'a> {
    paint: Paint<'a>,
    subject: Subject<'a>,
}

impl<'a> std::ops::Deref for Look<'a> {
    type Target = Subject<'a>;

    fn deref(&self) -> &Subject<'a> {
        &self.subject
    }
}

impl Look<'_> {
    /// What the details of the selection say.
    fn lines(&self) -> Vec<Line<'_>> {
        match self.node {
            Some(NodeId::Resource(uuid)) => match self.data.tree.resource(uuid) {
                Some((p, e, r)) => self.resource(&format!("in {}/{}", p.name, e.name), r),
                None => vec![],
            },
            Some(NodeId::UnplacedResource(uuid)) => {
                match self
                    .data
                    .tree
                    .unplaced
                    .iter()
                    .find(|u| &u.resource.uuid == uuid)
                {
                    Some(u) => {
                        let mut lines = self.resource("unplaced", &u.resource);
                        lines.insert(
                            1,
                            self.styled("Unplaced", u.reason.clone(), self.paint.theme.warning()),
                        );
                        lines
                    }
                    None => vec![],
                }
            }
            Some(NodeId::Environment(project, env)) => {
                match self.data.tree.projects.iter().find(|p| &p.uuid == project) {
                    Some(p) => match p.environment(env) {
                        Some(e) => self.environment(p, e),
                        None => vec![],
                    },
                    None => vec![],
                }
            }
            Some(NodeId::Project(uuid)) => {
                match self.data.tree.projects.iter().find(|p| &p.uuid == uuid) {
                    Some(p) => self.project(p),
                    None => vec![],
                }
            }
            Some(NodeId::Context | NodeId::Unplaced) | None => self.context(),
        }
    }

    fn field<'a>(&'a self, label: &'a str, value: impl Into<String>) -> Line<'a> {
        self.styled(label, value, self.paint.theme.text())
    }

    fn styled<'a>(&'a self, label: &'a str, value: impl Into<String>, style: Style) -> Line<'a> {
        Line::from(vec![
            Span::styled(format!("{label:<13}"), self.paint.theme.dim()),
            Span::styled(value.into(), style),
        ])
    }

    fn title<'a>(&'a self, name: &str, what: &str) -> Line<'a> {
        Line::from(vec![
            Span::styled(name.to_string(), self.paint.theme.accent().bold()),
            Span::styled(format!("  {what}"), self.paint.theme.dim()),
        ])
    }

    /// A resource's details; `place` says where it is (`in AIR/dev`).
    fn resource<'a>(&'a self, place: &str, r: &'a Resource) -> Vec<Line<'a>> {
        let theme = self.paint.theme;
        let what = match (r.kind, &r.engine) {
            (ResourceKind::Application, _) => "application".to_string(),
            (kind, Some(engine)) => format!("{} · {engine}", kind.as_str()),
            (kind, None) => kind.as_str().to_string(),
        };
        let mut lines = vec![
            self.title(&r.name, &format!("{what} {place}")),
            self.styled(
                "Status",
                r.status.to_string(),
                self.paint.status_style(&r.status),
            ),
        ];
        if let Some(d) = self.data.deploying.get(&r.uuid) {
            lines.push(self.styled(
                "Deploying",
                format!("{} · {}", d.status, d.uuid),
                theme.deploying(),
            ));
        }
        if !r.urls.is_empty() {
            lines.push(self.styled("URL", r.urls.join(", "), theme.accent()));
        }
        if let Some(app) = &r.app {
            let repo = match (&app.git_repository, &app.git_branch) {
                (Some(repo), Some(branch)) => format!("{repo} @ {branch}"),
                (Some(repo), None) => repo.clone(),
                _ => "-".into(),
            };
            lines.push(self.field("Repository", repo));
            let commit = match app.git_commit_sha.as_deref() {
                None | Some("HEAD") | Some("") => "HEAD (follows the branch)".to_string(),
                Some(sha) => format!("{} (pinned)", short_sha(sha)),
            };
            lines.push(self.field("Commit", commit));
            lines.extend(self.running(r));
            if let Some(pack) = &app.build_pack {
                lines.push(self.field("Build pack", pack.clone()));
            }
            let health = match (&app.health_check_path, app.health_check_enabled) {
                (_, Some(false)) => "none (health check disabled)".to_string(),
                (Some(path), _) => path.clone(),
                (None, _) => "-".into(),
            };
            lines.push(self.field("Health check", health));
            if let Some(auto) = app.auto_deploy {
                lines.push(self.field(
                    "Auto-deploy",
                    if auto {
                        "on (push deploys)"
                    } else {
                        "off (manual)"
                    },
                ));
            }
        }
        lines.push(self.field("Server", r.server.clone().unwrap_or_else(|| "-".into())));
        if r.kind == ResourceKind::Application {
            lines.push(self.last_deployment(&r.uuid));
        }
        if let Some(d) = r.description.as_deref().filter(|d| !d.is_empty()) {
            lines.push(self.field("Description", d.to_string()));
        }
        lines.push(self.styled("UUID", r.uuid.clone(), theme.dim()));
        lines
    }

    /// What the application runs: its newest finished deployment's commit (after a rollback,
    /// an earlier one than its branch's), and how far behind its branch that is when the
    /// pipeline view has read the branch.
    fn running<'a>(&'a self, r: &Resource) -> Option<Line<'a>> {
        let theme = self.paint.theme;
        let deployed = self
            .recent
            .get(&r.uuid)?
            .deployments
            .iter()
            .find(|d| d.status == crate::model::DeploymentStatus::Finished)?;
        let commit = deployed.short_commit().unwrap_or("-");
        let age = deployed
            .finished_at
            .or(deployed.created_at)
            .map(|t| time::age(t, self.paint.now))
            .unwrap_or_default();
        let rolled_back = deployed.trigger == crate::model::Trigger::Rollback;
        let mut text = if rolled_back {
            format!("{commit} · rolled back {age}: an earlier build than the branch's")
        } else {
            format!("{commit} · deployed {age}")
        };
        let behind = self
            .board
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
        Some(self.styled("Running", text, style))
    }

    fn last_deployment<'a>(&'a self, app: &str) -> Line<'a> {
        let theme = self.paint.theme;
        match self.recent.get(app) {
            Some(recent) => match recent.deployments.first() {
                Some(d) => {
                    let age = d
                        .created_at
                        .map(|t| time::age(t, self.paint.now))
                        .unwrap_or_default();
                    let style = match d.status {
                        crate::model::DeploymentStatus::Finished => theme.ok(),
                        crate::model::DeploymentStatus::Failed => theme.error(),
                        _ => theme.deploying(),
                    };
                    self.styled(
                        "Last deploy",
                        format!("{} · {} · {age}", d.status, d.short_commit().unwrap_or("-")),
                        style,
                    )
                }
                None if recent.loading => self.styled("Last deploy", "loading…", theme.dim()),
                None => self.styled("Last deploy", "never", theme.dim()),
            },
            None => self.styled("Last deploy", "…", theme.dim()),
        }
    }

    fn environment<'a>(&'a self, p: &Project, e: &Environment) -> Vec<Line<'a>> {
        let mut lines = vec![self.title(&format!("{}/{}", p.name, e.name), "environment")];
        let count = |kind| e.resources.iter().filter(|r| r.kind == kind).count();
        lines.push(self.field("Applications", count(ResourceKind::Application).to_string()));
        lines.push(self.field("Databases", count(ResourceKind::Database).to_string()));
        lines.push(self.field("Services", count(ResourceKind::Service).to_string()));
        let down: Vec<&str> = e
            .resources
            .iter()
            .filter(|r| !r.status.is_ok())
            .map(|r| r.name.as_str())
            .collect();
        if down.is_empty() {
            lines.push(self.styled("Health", "all running", self.paint.theme.ok()));
        } else {
            lines.push(self.styled("Not healthy", down.join(", "), self.paint.theme.error()));
        }
        let branches: Vec<String> = e
            .applications()
            .filter_map(|a| a.app.as_ref()?.git_branch.clone())
            .collect();
        if !branches.is_empty() {
            lines.push(self.field("Branch", branches.join(", ")));
        }
        lines
    }

    fn project<'a>(&'a self, p: &Project) -> Vec<Line<'a>> {
        let mut lines = vec![self.title(&p.name, "project")];
        if let Some(d) = &p.description {
            lines.push(self.field("Description", d.clone()));
        }
        for e in &p.environments {
            let ok = e.resources.iter().filter(|r| r.status.is_ok()).count();
            let style = if ok == e.resources.len() {
                self.paint.theme.ok()
            } else {
                self.paint.theme.warning()
            };
            lines.push(self.styled(
                "",
                format!("{:<10} {ok}/{} healthy", e.name, e.resources.len()),
                style,
            ));
        }
        lines.push(self.styled("UUID", p.uuid.clone(), self.paint.theme.dim()));
        lines
    }

    fn context<'a>(&'a self) -> Vec<Line<'a>> {
        let tree = &self.data.tree;
        let mut lines = vec![self.title(&self.context.name, "context")];
        lines.push(self.field("Server", self.context.url.clone()));
        lines.push(self.field(
            "Coolify",
            self.data.version.clone().unwrap_or_else(|| "…".into()),
        ));
        lines.push(self.field("Token from", self.context.token_source.clone()));
        lines.push(self.field("Projects", tree.projects.len().to_string()));
        let resources = tree.resources().count() + tree.unplaced.len();
        let ok = tree
            .resources()
            .filter(|(_, _, r)| r.status.is_ok())
            .count();
        lines.push(self.field("Resources", format!("{resources} ({ok} healthy)")));
        lines.push(self.field("Servers", tree.servers.len().to_string()));
        if !tree.unplaced.is_empty() {
            lines.push(self.styled(
                "Unplaced",
                format!("{} without a known environment", tree.unplaced.len()),
                self.paint.theme.warning(),
            ));
        }
        for warning in &self.data.warnings {
            lines.push(self.styled("Not read", warning.to_string(), self.paint.theme.warning()));
        }
        if self.context.read_only {
            lines.push(self.styled(
                "Mode",
                "read-only: every write is refused",
                self.paint.theme.warning(),
            ));
        }
        lines
    }
}
