//! Servers and their destinations, databases, services (with their sub-applications and
//! sub-databases), the container logs of databases and services, and the flat resource
//! list.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::request::{
    Act, Ctx, Errors, as_laravel_bool, input, is_laravel_bool, log_options, message, truthy,
};
use super::views::{
    AppOpts, AppView, DatabaseView, DestinationItem, ServerView, ServiceAppView, ServiceView,
};
use crate::sim::http::json_response;
use crate::sim::ids::{Ts, mix};
use crate::sim::lifecycle::{self, Transition};
use crate::sim::logs::runtime::{Container, Program, runtime_logs};
use crate::sim::world::World;
use crate::sim::world::records::DbKind;

pub(super) fn servers(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<ServerView<'_>> = w
        .servers
        .iter()
        .map(|s| ServerView {
            s,
            sensitive: ctx.sensitive,
            full: false,
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

fn server_not_found() -> Response {
    message(StatusCode::NOT_FOUND, "Server not found.")
}

/// One entry of `GET /servers/{uuid}/resources` (keys in the order `json!` would sort them).
#[derive(serde::Serialize)]
struct Placed<'a> {
    created_at: Ts,
    id: u64,
    name: &'a str,
    status: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    updated_at: Ts,
    uuid: &'a str,
}

/// `[{id, uuid, name, type, created_at, updated_at, status}]` of what runs on a server.
fn resources_on(w: &World, server: usize) -> Vec<Placed<'_>> {
    let on = |dest: usize| w.destinations[dest].server == server;
    let mut out = Vec::new();
    for a in w.apps.iter().filter(|a| on(a.destination)) {
        out.push(Placed {
            id: a.id,
            uuid: &a.uuid,
            name: &a.name,
            kind: "application",
            created_at: a.created_at,
            updated_at: a.updated_at,
            status: &a.status,
        });
    }
    for s in w.services.iter().filter(|s| on(s.destination)) {
        out.push(Placed {
            id: s.id,
            uuid: &s.uuid,
            name: &s.name,
            kind: "service",
            created_at: s.created_at,
            updated_at: s.updated_at,
            status: &s.status,
        });
    }
    for d in w.databases.iter().filter(|d| on(d.destination)) {
        out.push(Placed {
            id: d.id,
            uuid: &d.uuid,
            name: &d.name,
            kind: d.kind.type_name(),
            created_at: d.created_at,
            updated_at: d.updated_at,
            status: &d.status,
        });
    }
    out
}

pub(super) fn server(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.server_by_uuid(uuid) else {
        return server_not_found();
    };
    let view = ServerView {
        s: &w.servers[i],
        sensitive: ctx.sensitive,
        full: true,
    };
    let with_resources = truthy(
        ctx.query
            .get("resources")
            .map(|s| Value::String(s.into()))
            .as_ref(),
    );
    if !with_resources {
        return json_response(StatusCode::OK, &view);
    }
    let mut v = serde_json::to_value(&view).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert(
            "resources".into(),
            serde_json::to_value(resources_on(&w, i)).unwrap_or(Value::Null),
        );
    }
    json_response(StatusCode::OK, &v)
}

pub(super) fn server_resources(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.server_by_uuid(uuid) else {
        return server_not_found();
    };
    json_response(StatusCode::OK, &resources_on(&w, i))
}

fn hosts(fqdn: Option<&str>) -> Vec<String> {
    fqdn.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let d = d
                .trim_start_matches("https://")
                .trim_start_matches("http://");
            let host = d.split('/').next().unwrap_or("");
            host.split(':').next().unwrap_or("").to_string()
        })
        .filter(|h| !h.is_empty())
        .collect()
}

pub(super) fn server_domains(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.server_by_uuid(uuid) else {
        return server_not_found();
    };
    if let Some(app_uuid) = ctx.query.get("uuid") {
        let Some(a) = w.app_index(app_uuid) else {
            return message(StatusCode::NOT_FOUND, "Application not found.");
        };
        let fqdns: Vec<&str> = w.apps[a]
            .fqdn
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .collect();
        return json_response(StatusCode::OK, &fqdns);
    }
    let on = |dest: usize| w.destinations[dest].server == i;
    let mut domains: Vec<String> = Vec::new();
    for a in w.apps.iter().filter(|a| on(a.destination)) {
        domains.extend(hosts(a.fqdn.as_deref()));
    }
    for s in w.services.iter().filter(|s| on(s.destination)) {
        domains.extend(hosts(s.fqdn.as_deref()));
    }
    let body = if domains.is_empty() {
        json!([])
    } else {
        json!([{ "ip": w.servers[i].ip, "domains": domains }])
    };
    json_response(StatusCode::OK, &body)
}

pub(super) fn validate_server(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(_) = w.server_by_uuid(uuid) else {
        return server_not_found();
    };
    let install = input(ctx, "install");
    if let Some(v) = &install
        && !is_laravel_bool(v)
    {
        let mut e = Errors::default();
        e.add("install", "The install field must be true or false.");
        return e.response();
    }
    let text = if install.as_ref().is_some_and(as_laravel_bool) {
        "Validation and installation started."
    } else {
        "Validation started."
    };
    message(StatusCode::CREATED, text)
}

pub(super) fn databases(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<DatabaseView<'_>> = w
        .databases
        .iter()
        .map(|d| DatabaseView {
            w: &w,
            d,
            sensitive: ctx.sensitive,
            with_id: false,
            resource_type: false,
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

pub(super) fn database(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.database_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Database not found.");
    };
    json_response(
        StatusCode::OK,
        &DatabaseView {
            w: &w,
            d: &w.databases[i],
            sensitive: ctx.sensitive,
            with_id: false,
            resource_type: false,
        },
    )
}

fn set_db_status(w: &mut World, i: usize, status: &str) {
    let d = &mut w.databases[i];
    d.status = status.to_string();
    d.updated_at = crate::sim::ids::Ts::now();
    if status.starts_with("running") {
        d.started_at = Some(d.updated_at);
    }
}

fn set_service_status(w: &mut World, i: usize, status: &str) {
    let s = &mut w.services[i];
    s.status = status.to_string();
    s.updated_at = crate::sim::ids::Ts::now();
}

pub(super) fn database_action(ctx: &Ctx<'_>, uuid: &str, act: Act) -> Response {
    let status = {
        let w = ctx.shared.world();
        let Some(i) = w.database_by_uuid(uuid) else {
            return message(StatusCode::NOT_FOUND, "Database not found.");
        };
        (i, w.databases[i].status.clone())
    };
    let (i, status) = status;
    let (transition, text) = match act {
        Act::Start if status.contains("running") => {
            return message(StatusCode::BAD_REQUEST, "Database is already running.");
        }
        Act::Start => (Transition::Start, "Database starting request queued."),
        Act::Stop if status.contains("stopped") || status.contains("exited") => {
            return message(StatusCode::BAD_REQUEST, "Database is already stopped.");
        }
        Act::Stop => (Transition::Stop, "Database stopping request queued."),
        Act::Restart => (Transition::Restart, "Database restarting request queued."),
    };
    lifecycle::transition_status(ctx.shared, transition, false, set_db_status, i);
    message(StatusCode::OK, text)
}

pub(super) fn services(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<ServiceView<'_>> = w
        .services
        .iter()
        .map(|s| ServiceView {
            w: &w,
            s,
            sensitive: ctx.sensitive,
            with_id: false,
            resource_type: false,
            with_children: false,
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

pub(super) fn service(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.service_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Service not found.");
    };
    json_response(
        StatusCode::OK,
        &ServiceView {
            w: &w,
            s: &w.services[i],
            sensitive: ctx.sensitive,
            with_id: false,
            resource_type: false,
            with_children: true,
        },
    )
}

pub(super) fn service_action(ctx: &Ctx<'_>, uuid: &str, act: Act) -> Response {
    let (i, status) = {
        let w = ctx.shared.world();
        let Some(i) = w.service_by_uuid(uuid) else {
            return message(StatusCode::NOT_FOUND, "Service not found.");
        };
        (i, w.services[i].status.clone())
    };
    let (transition, text) = match act {
        Act::Start if status.contains("running") => {
            return message(StatusCode::BAD_REQUEST, "Service is already running.");
        }
        Act::Start => (Transition::Start, "Service starting request queued."),
        Act::Stop if status.contains("stopped") || status.contains("exited") => {
            return message(StatusCode::BAD_REQUEST, "Service is already stopped.");
        }
        Act::Stop => (Transition::Stop, "Service stopping request queued."),
        Act::Restart => (Transition::Restart, "Service restarting request queued."),
    };
    lifecycle::transition_status(ctx.shared, transition, true, set_service_status, i);
    message(StatusCode::OK, text)
}

/// `GET /resources`: every application, service and database with `type` and `status`.
pub(super) fn resources(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let o = AppOpts {
        sensitive: ctx.sensitive,
        with_id: true,
        resource_type: true,
        with_environment: false,
    };
    // One array of three kinds of objects, written into one buffer.
    let mut buf = Vec::with_capacity(w.apps.len() * 3000);
    buf.push(b'[');
    let mut first = true;
    let mut push = |buf: &mut Vec<u8>, bytes: Vec<u8>| {
        if !first {
            buf.push(b',');
        }
        first = false;
        buf.extend_from_slice(&bytes);
    };
    for a in &w.apps {
        if let Ok(b) = serde_json::to_vec(&AppView { w: &w, a, o }) {
            push(&mut buf, b);
        }
    }
    for s in &w.services {
        if let Ok(b) = serde_json::to_vec(&ServiceView {
            w: &w,
            s,
            sensitive: ctx.sensitive,
            with_id: true,
            resource_type: true,
            with_children: false,
        }) {
            push(&mut buf, b);
        }
    }
    for d in &w.databases {
        if let Ok(b) = serde_json::to_vec(&DatabaseView {
            w: &w,
            d,
            sensitive: ctx.sensitive,
            with_id: true,
            resource_type: true,
        }) {
            push(&mut buf, b);
        }
    }
    buf.push(b']');
    crate::sim::http::json_bytes(StatusCode::OK, buf)
}

// ----- destinations -----

fn destination_items<'a>(w: &'a World, on: impl Fn(usize) -> bool) -> Vec<DestinationItem<'a>> {
    (0..w.destinations.len())
        .filter(|&d| on(w.destinations[d].server))
        .map(|dest| DestinationItem { w, dest })
        .collect()
}

/// `GET /destinations`: every destination of the team's servers.
pub(super) fn destinations(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    json_response(StatusCode::OK, &destination_items(&w, |_| true))
}

/// `GET /servers/{server_uuid}/destinations`; an unknown server is Laravel's
/// `firstOrFail` 404.
pub(super) fn server_destinations(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(s) = w.server_by_uuid(uuid) else {
        return message(
            StatusCode::NOT_FOUND,
            "No query results for model [App\\Models\\Server].",
        );
    };
    json_response(StatusCode::OK, &destination_items(&w, |srv| srv == s))
}

/// `GET /destinations/{uuid}`; unknown is the `firstOrFail` 404 of the last model tried.
pub(super) fn destination(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(dest) = w.destinations.iter().position(|d| d.uuid == uuid) else {
        return message(
            StatusCode::NOT_FOUND,
            "No query results for model [App\\Models\\SwarmDocker].",
        );
    };
    json_response(StatusCode::OK, &DestinationItem { w: &w, dest })
}

// ----- what runs inside databases and services -----

fn running(status: &str) -> bool {
    status.starts_with("running") || status.starts_with("degraded")
}

/// `{"logs": ...}` of a running container.
fn container_logs(ctx: &Ctx<'_>, container: &Container<'_>) -> Response {
    let (lines, timestamps) = log_options(ctx);
    let text = runtime_logs(container, Ts::now(), lines, timestamps);
    json_response(StatusCode::OK, &json!({ "logs": text }))
}

/// `GET /databases/{uuid}/logs`: 400 unless its container runs.
pub(super) fn database_logs(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.database_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Database not found.");
    };
    let d = &w.databases[i];
    let Some(started) = d.started_at.filter(|_| running(&d.status)) else {
        return message(StatusCode::BAD_REQUEST, "Database is not running.");
    };
    let program = match d.kind {
        DbKind::Postgresql => Program::Postgres,
        DbKind::Redis => Program::Redis,
        _ => Program::Other(&d.image),
    };
    container_logs(
        ctx,
        &Container {
            seed: mix(w.seed ^ d.id ^ 0xDB),
            program,
            started,
        },
    )
}

/// `GET /services/{uuid}/logs?sub_service_name=`: the named container (`<name>-<uuid>`)
/// of the service; the name is asked for before the service is looked up.
pub(super) fn service_logs(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let Some(sub) = ctx.query.get("sub_service_name").filter(|s| !s.is_empty()) else {
        return message(StatusCode::BAD_REQUEST, "Sub service name is required.");
    };
    let w = ctx.shared.world();
    let Some(i) = w.service_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Service not found.");
    };
    let s = &w.services[i];
    if sub != s.service_type {
        return message(StatusCode::NOT_FOUND, "Container not found.");
    }
    if !running(&s.status) {
        return message(StatusCode::BAD_REQUEST, "Container is not running.");
    }
    let program = match s.service_type.as_str() {
        "uptime-kuma" => Program::UptimeKuma,
        other => Program::Other(other),
    };
    container_logs(
        ctx,
        &Container {
            seed: mix(w.seed ^ s.id ^ 0x5E),
            program,
            started: s.updated_at,
        },
    )
}

/// `GET /services/{uuid}/applications`.
pub(super) fn service_applications(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.service_by_uuid(uuid) else {
        return message(StatusCode::NOT_FOUND, "Service not found.");
    };
    json_response(
        StatusCode::OK,
        &[ServiceAppView {
            s: &w.services[i],
            with_id: false,
        }],
    )
}

/// `GET /services/{uuid}/databases`: the services of the data sets have none.
pub(super) fn service_databases(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    if w.service_by_uuid(uuid).is_none() {
        return message(StatusCode::NOT_FOUND, "Service not found.");
    }
    json_response(StatusCode::OK, &json!([]))
}
