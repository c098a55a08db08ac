//! What is attached to applications, databases and services: their tags and env vars,
//! storages, scheduled tasks (with their executions) and database backup schedules (with
//! theirs). An unknown resource answers the controller's 404 before anything else.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::request::{Ctx, message};
use super::views::{
    BackupRunSummary, BackupScheduleView, EnvVarView, StoragesView, TagView, TaskRunView, TaskView,
};
use crate::sim::http::json_response;
use crate::sim::world::World;
use crate::sim::world::schedules::TaskOwner;
use crate::sim::world::storage::Owner;

/// The kind of resource a route is under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    App,
    Database,
    Service,
}

impl Kind {
    fn find(self, w: &World, uuid: &str) -> Option<usize> {
        match self {
            Kind::App => w.app_index(uuid),
            Kind::Database => w.database_by_uuid(uuid),
            Kind::Service => w.service_by_uuid(uuid),
        }
    }

    fn missing(self) -> &'static str {
        match self {
            Kind::App => "Application not found.",
            Kind::Database => "Database not found.",
            Kind::Service => "Service not found.",
        }
    }

    fn not_found(self) -> Response {
        message(StatusCode::NOT_FOUND, self.missing())
    }
}

/// What a scheduled task runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Host {
    App,
    Service,
}

impl Host {
    fn kind(self) -> Kind {
        match self {
            Host::App => Kind::App,
            Host::Service => Kind::Service,
        }
    }
    fn owner(self, i: usize) -> TaskOwner {
        match self {
            Host::App => TaskOwner::App(i),
            Host::Service => TaskOwner::Service(i),
        }
    }
}

/// `GET /{applications|databases|services}/{uuid}/tags`.
pub(super) fn tags(ctx: &Ctx<'_>, kind: Kind, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = kind.find(&w, uuid) else {
        return kind.not_found();
    };
    let names = match kind {
        Kind::App => &w.apps[i].tags,
        Kind::Database => &w.databases[i].tags,
        Kind::Service => &w.services[i].tags,
    };
    let items: Vec<TagView<'_>> = names
        .iter()
        .filter_map(|n| w.team.tag(&n.to_lowercase()))
        .map(TagView)
        .collect();
    json_response(StatusCode::OK, &items)
}

/// `GET /{applications|databases|services}/{uuid}/envs`: values only for tokens that may
/// read sensitive data, and never those shown once.
pub(super) fn envs(ctx: &Ctx<'_>, kind: Kind, uuid: &str) -> Response {
    let mut w = ctx.shared.world_mut();
    let Some(i) = kind.find(&w, uuid) else {
        return kind.not_found();
    };
    let list = match kind {
        Kind::App => w.app_envs_mut(i),
        Kind::Database => &w.databases[i].envs,
        Kind::Service => &w.services[i].envs,
    };
    let items: Vec<EnvVarView<'_>> = list
        .iter()
        .map(|v| EnvVarView {
            v,
            sensitive: ctx.sensitive,
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

/// `GET /{applications|databases|services}/{uuid}/storages`; a service's are those of its
/// sub-resources.
pub(super) fn storages(ctx: &Ctx<'_>, kind: Kind, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = kind.find(&w, uuid) else {
        return match kind {
            // This one controller leaves the period out.
            Kind::App => message(StatusCode::NOT_FOUND, "Application not found"),
            _ => kind.not_found(),
        };
    };
    let owner = match kind {
        Kind::App => Owner::App(i),
        Kind::Database => Owner::Database(i),
        Kind::Service => Owner::ServiceApp(i),
    };
    let (volumes, files) = w.storages.of(|o| o == owner);
    json_response(
        StatusCode::OK,
        &StoragesView {
            w: &w,
            volumes,
            files,
            sensitive: ctx.sensitive,
            of_service: kind == Kind::Service,
        },
    )
}

/// `GET /{applications|services}/{uuid}/scheduled-tasks`.
pub(super) fn scheduled_tasks(ctx: &Ctx<'_>, host: Host, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = host.kind().find(&w, uuid) else {
        return host.kind().not_found();
    };
    let items: Vec<TaskView<'_>> = w
        .schedules
        .tasks
        .iter()
        .filter(|t| t.owner == host.owner(i))
        .map(TaskView)
        .collect();
    json_response(StatusCode::OK, &items)
}

/// `GET /{applications|services}/{uuid}/scheduled-tasks/{task_uuid}/executions`, newest
/// first.
pub(super) fn task_executions(ctx: &Ctx<'_>, host: Host, uuid: &str, task: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = host.kind().find(&w, uuid) else {
        return host.kind().not_found();
    };
    let Some(t) = w
        .schedules
        .tasks
        .iter()
        .find(|t| t.owner == host.owner(i) && t.uuid == task)
    else {
        return message(StatusCode::NOT_FOUND, "Scheduled task not found.");
    };
    let items: Vec<TaskRunView<'_>> = t.runs.iter().map(TaskRunView).collect();
    json_response(StatusCode::OK, &items)
}

/// `GET /databases/{uuid}/backups`: the database's schedules, newest first, each with its
/// executions.
pub(super) fn backups(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(d) = w.database_by_uuid(uuid) else {
        return Kind::Database.not_found();
    };
    let mut items: Vec<BackupScheduleView<'_>> = w
        .schedules
        .backups
        .iter()
        .filter(|b| b.database == d)
        .map(|b| BackupScheduleView { w: &w, b })
        .collect();
    items.sort_by_key(|v| std::cmp::Reverse(v.b.created_at));
    json_response(StatusCode::OK, &items)
}

/// `GET /databases/{uuid}/backups/{scheduled_backup_uuid}/executions`.
pub(super) fn backup_executions(ctx: &Ctx<'_>, uuid: &str, backup: &str) -> Response {
    let w = ctx.shared.world();
    let Some(d) = w.database_by_uuid(uuid) else {
        return Kind::Database.not_found();
    };
    let Some(b) = w
        .schedules
        .backups
        .iter()
        .find(|b| b.database == d && b.uuid == backup)
    else {
        return message(StatusCode::NOT_FOUND, "Backup configuration not found.");
    };
    let runs: Vec<BackupRunSummary<'_>> = b.runs.iter().map(BackupRunSummary).collect();
    json_response(StatusCode::OK, &json!({ "executions": runs }))
}
