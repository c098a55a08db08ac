//! Projects and environments.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::request::{Ctx, Errors, json_body, message};
use super::views::{AppOpts, AppView, DatabaseView, EnvView, ProjectView, ServiceView};
use crate::sim::http::json_response;
use crate::sim::ids::Ts;
use crate::sim::world::records::{DbKind, Environment, Project};

pub(super) fn list(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<ProjectView<'_>> = w
        .projects
        .iter()
        .map(|p| ProjectView { p, full: false })
        .collect();
    json_response(StatusCode::OK, &items)
}

fn check_name(body: &serde_json::Map<String, Value>, errors: &mut Errors, required: bool) {
    match body.get("name") {
        None | Some(Value::Null) if required => errors.add("name", "The name field is required."),
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.trim().is_empty() => {
            errors.add("name", "The name field is required.")
        }
        Some(Value::String(s)) if s.chars().count() > 255 => errors.add(
            "name",
            "The name field must not be greater than 255 characters.",
        ),
        Some(Value::String(_)) => {}
        Some(_) => errors.add("name", "The name field must be a string."),
    }
}

pub(super) fn create(ctx: &Ctx<'_>) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut errors = Errors::default();
    check_name(&body, &mut errors, true);
    match body.get("description") {
        None | Some(Value::Null) | Some(Value::String(_)) => {}
        Some(_) => errors.add("description", "The description field must be a string."),
    }
    errors.reject_unknown(&body, &["name", "description"]);
    if !errors.is_empty() {
        return errors.response();
    }
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    let description = body
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut w = ctx.shared.world_mut();
    let now = Ts::now();
    let uuid = w.ids.uuid();
    let env_uuid = w.ids.uuid();
    let id = w.next_project_id;
    w.next_project_id += 1;
    w.projects.push(Project {
        id,
        uuid: uuid.clone(),
        name,
        description,
        created_at: now,
        updated_at: now,
        environments: Vec::new(),
    });
    let p = w.projects.len() - 1;
    // Coolify gives every new project a "production" environment.
    let env_id = w.next_environment_id;
    w.next_environment_id += 1;
    w.environments.push(Environment {
        id: env_id,
        uuid: env_uuid,
        name: "production".into(),
        project: p,
        description: None,
        created_at: now,
        updated_at: now,
    });
    let e = w.environments.len() - 1;
    w.projects[p].environments.push(e);
    json_response(StatusCode::CREATED, &json!({ "uuid": uuid }))
}

pub(super) fn get(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(p) = w.project_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Project not found.");
    };
    let project = &w.projects[p];
    let envs: Vec<EnvView<'_>> = project
        .environments
        .iter()
        .map(|&e| EnvView {
            w: &w,
            e,
            with_project: false,
        })
        .collect();
    let mut v = serde_json::to_value(ProjectView {
        p: project,
        full: true,
    })
    .unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert(
            "environments".into(),
            serde_json::to_value(&envs).unwrap_or(Value::Null),
        );
    }
    json_response(StatusCode::OK, &v)
}

pub(super) fn environments(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(p) = w.project_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Project not found.");
    };
    let items: Vec<Value> = w.projects[p]
        .environments
        .iter()
        .map(|&e| {
            let env = &w.environments[e];
            json!({"id": env.id, "uuid": env.uuid, "name": env.name})
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

pub(super) fn create_environment(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut errors = Errors::default();
    check_name(&body, &mut errors, true);
    errors.reject_unknown(&body, &["name"]);
    if !errors.is_empty() {
        return errors.response();
    }
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut w = ctx.shared.world_mut();
    let Some(p) = w.project_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Project not found.");
    };
    if w.projects[p]
        .environments
        .iter()
        .any(|&e| w.environments[e].name == name)
    {
        return message(
            StatusCode::CONFLICT,
            "Environment with this name already exists.",
        );
    }
    let now = Ts::now();
    let env_uuid = w.ids.uuid();
    let id = w.next_environment_id;
    w.next_environment_id += 1;
    w.environments.push(Environment {
        id,
        uuid: env_uuid.clone(),
        name,
        project: p,
        description: None,
        created_at: now,
        updated_at: now,
    });
    let e = w.environments.len() - 1;
    w.projects[p].environments.push(e);
    json_response(StatusCode::CREATED, &json!({ "uuid": env_uuid }))
}

/// `GET /projects/{uuid}/{environment_name_or_uuid}`: name first, then uuid.
pub(super) fn environment(ctx: &Ctx<'_>, uuid: &str, key: &str) -> Response {
    let w = ctx.shared.world();
    let Some(p) = w.project_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Project not found.");
    };
    let envs = &w.projects[p].environments;
    let found = envs
        .iter()
        .copied()
        .find(|&e| w.environments[e].name == key)
        .or_else(|| {
            envs.iter()
                .copied()
                .find(|&e| w.environments[e].uuid == key)
        });
    let Some(e) = found else {
        return message(StatusCode::NOT_FOUND, "Environment not found.");
    };
    let opts = AppOpts {
        sensitive: false,
        with_id: true,
        resource_type: false,
        with_environment: false,
    };
    let apps: Vec<AppView<'_>> = w
        .apps
        .iter()
        .filter(|a| a.environment == e)
        .map(|a| AppView { w: &w, a, o: opts })
        .collect();
    let dbs = |kind: DbKind| -> Value {
        let list: Vec<DatabaseView<'_>> = w
            .databases
            .iter()
            .filter(|d| d.environment == e && d.kind == kind)
            .map(|d| DatabaseView {
                w: &w,
                d,
                sensitive: false,
                with_id: true,
                resource_type: false,
            })
            .collect();
        serde_json::to_value(&list).unwrap_or(Value::Array(Vec::new()))
    };
    let services: Vec<ServiceView<'_>> = w
        .services
        .iter()
        .filter(|s| s.environment == e)
        .map(|s| ServiceView {
            w: &w,
            s,
            sensitive: false,
            with_id: true,
            resource_type: false,
            with_children: false,
        })
        .collect();
    let mut v = serde_json::to_value(EnvView {
        w: &w,
        e,
        with_project: false,
    })
    .unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert(
            "applications".into(),
            serde_json::to_value(&apps).unwrap_or(Value::Null),
        );
        m.insert("postgresqls".into(), dbs(DbKind::Postgresql));
        m.insert("redis".into(), dbs(DbKind::Redis));
        m.insert("mongodbs".into(), dbs(DbKind::Mongodb));
        m.insert("mysqls".into(), dbs(DbKind::Mysql));
        m.insert("mariadbs".into(), dbs(DbKind::Mariadb));
        m.insert(
            "services".into(),
            serde_json::to_value(&services).unwrap_or(Value::Null),
        );
    }
    json_response(StatusCode::OK, &v)
}
