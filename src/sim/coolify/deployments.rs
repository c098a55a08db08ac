//! `POST /deploy` and the deployment endpoints.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::request::{Ctx, Errors, input, message, truthy};
use super::views::DeploymentView;
use crate::sim::http::{json_response, with_headers};
use crate::sim::lifecycle::{self, Transition};
use crate::sim::world::records::DeployStatus;
use crate::sim::world::{DEDUP_MESSAGE, QUEUE_FULL_MESSAGE, QueueOutcome, QueueRequest, World};

fn queue_full() -> Response {
    with_headers(
        message(StatusCode::TOO_MANY_REQUESTS, QUEUE_FULL_MESSAGE),
        &[("retry-after", "60".to_string())],
    )
}

fn value_str(v: Option<Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// What deploying one resource did.
enum Deployed {
    App {
        message: String,
        deployment_uuid: String,
    },
    Other(String),
    QueueFull,
}

fn deploy_resource(w: &mut World, uuid: &str, force: bool) -> Option<(Deployed, Option<Start>)> {
    if let Some(i) = w.app_index(uuid) {
        let req = QueueRequest {
            force_rebuild: force,
            is_api: true,
            ..QueueRequest::default()
        };
        let name = w.apps[i].name.clone();
        return Some(match w.queue_deployment(i, req) {
            QueueOutcome::QueueFull => (Deployed::QueueFull, None),
            QueueOutcome::Skipped { deployment_uuid } => (
                Deployed::App {
                    message: DEDUP_MESSAGE.to_string(),
                    deployment_uuid,
                },
                None,
            ),
            QueueOutcome::Queued { deployment_uuid } => (
                Deployed::App {
                    message: format!("Application {name} deployment queued."),
                    deployment_uuid,
                },
                None,
            ),
        });
    }
    if let Some(s) = w.service_by_uuid(uuid) {
        let name = w.services[s].name.clone();
        return Some((
            Deployed::Other(format!(
                "Service {name} started. It could take a while, be patient."
            )),
            Some(Start::Service(s)),
        ));
    }
    if let Some(d) = w.database_by_uuid(uuid) {
        let name = w.databases[d].name.clone();
        return Some((
            Deployed::Other(format!("Database {name} started.")),
            Some(Start::Database(d)),
        ));
    }
    None
}

enum Start {
    Service(usize),
    Database(usize),
}

fn start_others(ctx: &Ctx<'_>, starts: Vec<Start>) {
    for s in starts {
        match s {
            Start::Service(i) => lifecycle::transition_status(
                ctx.shared,
                Transition::Start,
                true,
                |w, i, st| w.services[i].status = st.to_string(),
                i,
            ),
            Start::Database(i) => lifecycle::transition_status(
                ctx.shared,
                Transition::Start,
                false,
                |w, i, st| w.databases[i].status = st.to_string(),
                i,
            ),
        }
    }
}

pub(super) fn deploy(ctx: &Ctx<'_>) -> Response {
    let uuids = value_str(input(ctx, "uuid")).filter(|s| !s.is_empty());
    let tags = value_str(input(ctx, "tag")).filter(|s| !s.is_empty());
    let force = truthy(input(ctx, "force").as_ref());
    let pr = value_str(input(ctx, "pull_request_id").or_else(|| input(ctx, "pr")))
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0)
        .max(0);
    let docker_tag = value_str(input(ctx, "docker_tag")).filter(|s| !s.trim().is_empty());
    if uuids.is_some() && tags.is_some() {
        return message(
            StatusCode::BAD_REQUEST,
            "You can only use uuid or tag, not both.",
        );
    }
    if tags.is_some() && pr != 0 {
        return message(
            StatusCode::BAD_REQUEST,
            "You can only use tag or pr, not both.",
        );
    }
    if docker_tag.is_some() && pr == 0 {
        return message(
            StatusCode::BAD_REQUEST,
            "docker_tag requires pull_request_id.",
        );
    }
    let (resp, starts) = if let Some(tags) = tags {
        by_tags(ctx, &tags, force)
    } else if let Some(uuids) = uuids {
        by_uuids(ctx, &uuids, force, pr)
    } else {
        return message(StatusCode::BAD_REQUEST, "You must provide uuid or tag.");
    };
    start_others(ctx, starts);
    lifecycle::dispatch(ctx.shared);
    resp
}

fn by_uuids(ctx: &Ctx<'_>, list: &str, force: bool, pr: i64) -> (Response, Vec<Start>) {
    let uuids: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if uuids.is_empty() {
        return (
            message(StatusCode::BAD_REQUEST, "No UUIDs provided."),
            Vec::new(),
        );
    }
    let mut w = ctx.shared.world_mut();
    let mut out = Vec::new();
    let mut starts = Vec::new();
    for uuid in uuids {
        if pr != 0 && w.app_index(uuid).is_some() {
            out.push(json!({
                "message": format!("Pull request {pr} not found for this resource."),
                "resource_uuid": uuid,
            }));
            continue;
        }
        let Some((deployed, start)) = deploy_resource(&mut w, uuid, force) else {
            continue;
        };
        starts.extend(start);
        match deployed {
            Deployed::QueueFull => return (queue_full(), starts),
            Deployed::App {
                message,
                deployment_uuid,
            } => out.push(json!({
                "message": message,
                "resource_uuid": uuid,
                "deployment_uuid": deployment_uuid,
            })),
            Deployed::Other(message) => {
                out.push(json!({"message": message, "resource_uuid": uuid}))
            }
        }
    }
    if out.is_empty() {
        return (
            message(StatusCode::NOT_FOUND, "No resources found."),
            starts,
        );
    }
    (
        json_response(StatusCode::OK, &json!({ "deployments": out })),
        starts,
    )
}

fn by_tags(ctx: &Ctx<'_>, list: &str, force: bool) -> (Response, Vec<Start>) {
    let tags: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if tags.is_empty() {
        return (
            message(StatusCode::BAD_REQUEST, "No TAGs provided."),
            Vec::new(),
        );
    }
    let mut w = ctx.shared.world_mut();
    let mut messages: Vec<String> = Vec::new();
    let mut details = Vec::new();
    let mut starts = Vec::new();
    for tag in tags {
        let known = w.apps.iter().any(|a| a.tags.iter().any(|t| t == tag))
            || w.services.iter().any(|s| s.tags.iter().any(|t| t == tag))
            || w.databases.iter().any(|d| d.tags.iter().any(|t| t == tag));
        if !known {
            continue;
        }
        let apps: Vec<String> = w
            .apps
            .iter()
            .filter(|a| a.tags.iter().any(|t| t == tag))
            .map(|a| a.uuid.clone())
            .collect();
        let services: Vec<String> = w
            .services
            .iter()
            .filter(|s| s.tags.iter().any(|t| t == tag))
            .map(|s| s.uuid.clone())
            .collect();
        if apps.is_empty() && services.is_empty() {
            messages.push(format!("No resources found for tag {tag}."));
            continue;
        }
        for uuid in apps.iter().chain(services.iter()) {
            let Some((deployed, start)) = deploy_resource(&mut w, uuid, force) else {
                continue;
            };
            starts.extend(start);
            match deployed {
                Deployed::QueueFull => return (queue_full(), starts),
                Deployed::App {
                    message,
                    deployment_uuid,
                } => {
                    details
                        .push(json!({"resource_uuid": uuid, "deployment_uuid": deployment_uuid}));
                    messages.push(message);
                }
                Deployed::Other(message) => messages.push(message),
            }
        }
    }
    if messages.is_empty() {
        return (
            message(StatusCode::NOT_FOUND, "No resources found with this tag."),
            starts,
        );
    }
    let mut body = serde_json::Map::new();
    body.insert("message".into(), json!(messages));
    if !details.is_empty() {
        body.insert("details".into(), Value::Array(details));
    }
    (json_response(StatusCode::OK, &Value::Object(body)), starts)
}

pub(super) fn list(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<DeploymentView<'_>> = w
        .deployments
        .iter()
        .filter(|d| d.status.is_active())
        .map(|d| DeploymentView {
            w: &w,
            d,
            sensitive: ctx.sensitive,
            with_application: false,
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

pub(super) fn get(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.deployment_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Deployment not found.");
    };
    json_response(
        StatusCode::OK,
        &DeploymentView {
            w: &w,
            d: &w.deployments[i],
            sensitive: ctx.sensitive,
            with_application: true,
        },
    )
}

pub(super) fn cancel(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.deployment_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Deployment not found.");
    };
    match w.cancel(i) {
        Err(status) => message(
            StatusCode::BAD_REQUEST,
            &format!("Deployment cannot be cancelled. Current status: {status}"),
        ),
        Ok(()) => {
            let resp = json_response(
                StatusCode::OK,
                &json!({
                    "message": "Deployment cancelled successfully.",
                    "deployment_uuid": uuid,
                    "status": DeployStatus::Cancelled.as_str(),
                }),
            );
            drop(w);
            lifecycle::dispatch(ctx.shared);
            resp
        }
    }
}

/// `GET /deployments/applications/{uuid}?skip=&take=`: `{count, deployments}`, newest first.
pub(super) fn history(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let mut errors = Errors::default();
    let mut number = |key: &str, default: usize, min: usize| -> usize {
        match ctx.query.get(key) {
            None | Some("") => default,
            Some(s) => match s.trim().parse::<i64>() {
                Ok(n) if n >= min as i64 => n as usize,
                Ok(_) => {
                    errors.add(key, format!("The {key} field must be at least {min}."));
                    default
                }
                Err(_) => {
                    errors.add(key, format!("The {key} field must be an integer."));
                    default
                }
            },
        }
    };
    let skip = number("skip", 0, 0);
    let take = number("take", 10, 1);
    if !errors.is_empty() {
        return errors.response();
    }
    let w = ctx.shared.world();
    let Some(a) = w.app_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Application not found");
    };
    let list = &w.app_deployments[a];
    let items: Vec<DeploymentView<'_>> = list
        .iter()
        .rev()
        .skip(skip)
        .take(take)
        .map(|&i| DeploymentView {
            w: &w,
            d: &w.deployments[i],
            sensitive: ctx.sensitive,
            with_application: false,
        })
        .collect();
    json_response(
        StatusCode::OK,
        &json!({"count": list.len(), "deployments": items}),
    )
}
