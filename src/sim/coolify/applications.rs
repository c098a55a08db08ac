//! Applications: list, get, partial update, container logs, start/stop/restart, rollback
//! images and rollback.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::request::{
    Act, Ctx, Errors, as_laravel_bool, attribute, is_laravel_bool, json_body, log_options, message,
    truthy,
};
use super::views::{AppOpts, AppView};
use crate::sim::http::{json_response, json_response_sized};
use crate::sim::ids::{Ts, mix};
use crate::sim::lifecycle;
use crate::sim::logs::runtime::{Container, Program, runtime_logs};
use crate::sim::world::{DEDUP_MESSAGE, QUEUE_FULL_MESSAGE, QueueOutcome, QueueRequest};

pub(super) fn not_found() -> Response {
    message(StatusCode::NOT_FOUND, "Application not found.")
}

pub(super) fn list(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let tag = ctx.query.get("tag");
    let o = AppOpts {
        sensitive: ctx.sensitive,
        ..AppOpts::default()
    };
    let items: Vec<AppView<'_>> = w
        .apps
        .iter()
        .filter(|a| tag.is_none_or(|t| a.tags.iter().any(|x| x == t)))
        .map(|a| AppView { w: &w, a, o })
        .collect();
    // About 5.5 KB an application.
    json_response_sized(StatusCode::OK, &items, items.len() * 6 * 1024)
}

pub(super) fn get(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.app_index(uuid) else {
        return not_found();
    };
    let o = AppOpts {
        sensitive: ctx.sensitive,
        ..AppOpts::default()
    };
    json_response(
        StatusCode::OK,
        &AppView {
            w: &w,
            a: &w.apps[i],
            o,
        },
    )
}

/// The fields `PATCH /applications/{uuid}` accepts (ApplicationsController::update_by_uuid).
const ALLOWED: &[&str] = &[
    "name",
    "description",
    "is_static",
    "is_spa",
    "is_auto_deploy_enabled",
    "is_force_https_enabled",
    "is_preview_deployments_enabled",
    "domains",
    "noindex_domains",
    "git_repository",
    "git_branch",
    "git_commit_sha",
    "docker_registry_image_name",
    "docker_registry_image_tag",
    "build_pack",
    "static_image",
    "install_command",
    "build_command",
    "start_command",
    "ports_exposes",
    "ports_mappings",
    "custom_network_aliases",
    "base_directory",
    "publish_directory",
    "health_check_enabled",
    "health_check_type",
    "health_check_command",
    "health_check_path",
    "health_check_port",
    "health_check_host",
    "health_check_method",
    "health_check_return_code",
    "health_check_scheme",
    "health_check_response_text",
    "health_check_interval",
    "health_check_timeout",
    "health_check_retries",
    "health_check_start_period",
    "limits_memory",
    "limits_memory_swap",
    "limits_memory_swappiness",
    "limits_memory_reservation",
    "limits_cpus",
    "limits_cpuset",
    "limits_cpu_shares",
    "custom_labels",
    "custom_docker_run_options",
    "post_deployment_command",
    "post_deployment_command_container",
    "pre_deployment_command",
    "pre_deployment_command_container",
    "watch_paths",
    "manual_webhook_secret_github",
    "manual_webhook_secret_gitlab",
    "manual_webhook_secret_bitbucket",
    "manual_webhook_secret_gitea",
    "dockerfile_location",
    "dockerfile_target_build",
    "docker_compose_location",
    "docker_compose_custom_start_command",
    "docker_compose_custom_build_command",
    "docker_compose_domains",
    "redirect",
    "instant_deploy",
    "use_build_server",
    "use_build_secrets",
    "custom_nginx_configuration",
    "is_http_basic_auth_enabled",
    "http_basic_auth_username",
    "http_basic_auth_password",
    "connect_to_docker_network",
    "force_domain_override",
    "is_container_label_escape_enabled",
    "is_preserve_repository_enabled",
    "preview_url_template",
    "max_restart_count",
    // APPLICATION_SETTING_FIELDS
    "is_git_submodules_enabled",
    "is_git_lfs_enabled",
    "is_git_shallow_clone_enabled",
    "disable_build_cache",
    "inject_build_args_to_dockerfile",
    "include_source_commit_in_build",
    "is_env_sorting_enabled",
    "is_pr_deployments_public_enabled",
    "stop_grace_period",
    "docker_images_to_keep",
    "is_gzip_enabled",
    "is_stripprefix_enabled",
    "is_raw_compose_deployment_enabled",
    "is_log_drain_enabled",
    "is_gpu_enabled",
    "gpu_driver",
    "gpu_count",
    "gpu_device_ids",
    "gpu_options",
    "is_consistent_container_name_enabled",
    "custom_internal_name",
];

const BOOL_FIELDS: &[&str] = &[
    "is_static",
    "is_spa",
    "is_auto_deploy_enabled",
    "is_force_https_enabled",
    "is_preview_deployments_enabled",
    "health_check_enabled",
    "instant_deploy",
    "use_build_server",
    "use_build_secrets",
    "is_http_basic_auth_enabled",
    "connect_to_docker_network",
    "force_domain_override",
    "is_container_label_escape_enabled",
    "is_preserve_repository_enabled",
    "is_git_submodules_enabled",
    "is_git_lfs_enabled",
    "is_git_shallow_clone_enabled",
    "disable_build_cache",
    "inject_build_args_to_dockerfile",
    "include_source_commit_in_build",
    "is_env_sorting_enabled",
    "is_pr_deployments_public_enabled",
    "is_gzip_enabled",
    "is_stripprefix_enabled",
    "is_raw_compose_deployment_enabled",
    "is_log_drain_enabled",
    "is_gpu_enabled",
    "is_consistent_container_name_enabled",
];

const INT_FIELDS: &[&str] = &[
    "health_check_port",
    "health_check_return_code",
    "health_check_interval",
    "health_check_timeout",
    "health_check_retries",
    "health_check_start_period",
    "limits_memory_swappiness",
    "limits_cpu_shares",
    "max_restart_count",
    "stop_grace_period",
    "docker_images_to_keep",
];

const NULLABLE: &[&str] = &[
    "description",
    "watch_paths",
    "custom_nginx_configuration",
    "ports_mappings",
    "custom_network_aliases",
    "health_check_command",
    "health_check_port",
    "health_check_response_text",
    "limits_cpuset",
    "custom_labels",
    "post_deployment_command",
    "pre_deployment_command",
    "manual_webhook_secret_github",
    "manual_webhook_secret_gitlab",
    "manual_webhook_secret_bitbucket",
    "manual_webhook_secret_gitea",
    "gpu_driver",
    "gpu_count",
    "gpu_device_ids",
    "gpu_options",
    "custom_internal_name",
    "noindex_domains",
    "docker_compose_domains",
    "stop_grace_period",
];

fn git_ref_ok(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
}

fn validate_update(body: &Map<String, Value>) -> Errors {
    let mut errors = Errors::default();
    for (k, v) in body {
        let key = k.as_str();
        if !ALLOWED.contains(&key) {
            continue;
        }
        let attr = attribute(key);
        if v.is_null() {
            if !NULLABLE.contains(&key) {
                errors.add(key, format!("The {attr} field must be a string."));
            }
            continue;
        }
        if BOOL_FIELDS.contains(&key) {
            if !is_laravel_bool(v) {
                errors.add(key, format!("The {attr} field must be true or false."));
            }
            continue;
        }
        if INT_FIELDS.contains(&key) {
            let ok =
                v.as_i64().is_some() || v.as_str().is_some_and(|s| s.trim().parse::<i64>().is_ok());
            if !ok {
                errors.add(key, format!("The {attr} field must be an integer."));
            } else if key == "docker_images_to_keep"
                && v.as_i64().is_some_and(|n| !(0..=100).contains(&n))
            {
                errors.add(key, format!("The {attr} field must be between 0 and 100."));
            }
            continue;
        }
        if key == "noindex_domains" || key == "docker_compose_domains" {
            if !v.is_array() {
                errors.add(key, format!("The {attr} field must be an array."));
            }
            continue;
        }
        let Some(s) = v.as_str() else {
            errors.add(key, format!("The {attr} field must be a string."));
            continue;
        };
        match key {
            "name" if s.chars().count() > 255 => errors.add(
                key,
                "The name field must not be greater than 255 characters.",
            ),
            "git_commit_sha" | "git_branch" if !git_ref_ok(s) => {
                errors.add(key, format!("The {attr} field format is invalid."))
            }
            "build_pack"
                if ![
                    "nixpacks",
                    "railpack",
                    "static",
                    "dockerfile",
                    "dockercompose",
                ]
                .contains(&s) =>
            {
                errors.add(key, format!("The selected {attr} is invalid."))
            }
            "ports_exposes" if s.is_empty() || !s.split(',').all(|p| p.parse::<u16>().is_ok()) => {
                errors.add(
                    key,
                    "The ports_exposes should be a comma separated list of numbers.",
                )
            }
            "health_check_path"
                if !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/-_.~%,;".contains(c)) =>
            {
                errors.add(key, format!("The {attr} field format is invalid."))
            }
            "domains" => {
                for d in s.split(',').map(str::trim).filter(|d| !d.is_empty()) {
                    let valid = url::Url::parse(d).ok().is_some_and(|u| {
                        matches!(u.scheme(), "http" | "https") && u.host_str().is_some()
                    });
                    if !valid {
                        errors.add(key, format!("Invalid URL: {d}"));
                    }
                }
            }
            "redirect" if !["www", "non-www", "both"].contains(&s) => {
                errors.add(key, format!("The selected {attr} is invalid."))
            }
            _ => {}
        }
    }
    errors.reject_unknown(body, ALLOWED);
    errors
}

fn domain_hosts(fqdn: &str) -> Vec<String> {
    fqdn.split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter_map(|d| url::Url::parse(d).ok())
        .filter_map(|u| u.host_str().map(str::to_string))
        .collect()
}

pub(super) fn update(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Application not found");
    };
    let errors = validate_update(&body);
    if !errors.is_empty() {
        return errors.response();
    }
    if let Some(domains) = body.get("domains").and_then(Value::as_str) {
        let wanted = domain_hosts(domains);
        let conflicts: Vec<Value> = w
            .apps
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, a)| {
                let hosts = domain_hosts(a.fqdn.as_deref().unwrap_or(""));
                wanted
                    .iter()
                    .filter(|h| hosts.contains(h))
                    .map(|h| json!({"domain": h, "resource_name": a.name, "resource_uuid": a.uuid, "resource_type": "application"}))
                    .collect::<Vec<_>>()
            })
            .collect();
        if !conflicts.is_empty() && !truthy(body.get("force_domain_override")) {
            return json_response(
                StatusCode::CONFLICT,
                &json!({
                    "message": "Domain conflicts detected. Use force_domain_override=true to proceed.",
                    "conflicts": conflicts,
                    "warning": "Using the same domain for multiple resources can cause routing conflicts and unpredictable behavior.",
                }),
            );
        }
    }
    let now = Ts::now();
    let a = &mut w.apps[i];
    for (k, v) in &body {
        let s = v.as_str().map(str::to_string);
        match k.as_str() {
            "name" => a.name = s.unwrap_or_else(|| a.name.clone()),
            "description" => a.description = s,
            "domains" => {
                a.fqdn = s
                    .map(|d| {
                        d.split(',')
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .filter(|d| !d.is_empty())
            }
            "git_repository" => a.git_repository = s.unwrap_or_default(),
            "git_branch" => a.git_branch = s.unwrap_or_default(),
            "git_commit_sha" => a.git_commit_sha = s.unwrap_or_else(|| "HEAD".into()),
            "build_pack" => a.build_pack = s.unwrap_or_else(|| "nixpacks".into()),
            "ports_exposes" => a.ports_exposes = s.unwrap_or_else(|| "3000".into()),
            "base_directory" => a.base_directory = s.unwrap_or_else(|| "/".into()),
            "install_command" => a.install_command = s,
            "build_command" => a.build_command = s,
            "start_command" => a.start_command = s,
            "health_check_enabled" => a.health_check_enabled = as_laravel_bool(v),
            "health_check_path" => a.health_check_path = s.unwrap_or_default(),
            "limits_memory" => a.limits_memory = s.unwrap_or_else(|| "0".into()),
            "limits_cpus" => a.limits_cpus = s.unwrap_or_else(|| "0".into()),
            "is_auto_deploy_enabled" => a.settings.is_auto_deploy_enabled = as_laravel_bool(v),
            "is_force_https_enabled" => a.settings.is_force_https_enabled = as_laravel_bool(v),
            "is_preview_deployments_enabled" => {
                a.settings.is_preview_deployments_enabled = as_laravel_bool(v)
            }
            "docker_images_to_keep" => {
                a.settings.docker_images_to_keep = v
                    .as_u64()
                    .or_else(|| v.as_str().and_then(|x| x.trim().parse().ok()))
                    .unwrap_or(2) as u32
            }
            "manual_webhook_secret_github" => a.webhook_secret = s.unwrap_or_default(),
            "instant_deploy" | "force_domain_override" => {}
            other => {
                let stored = if BOOL_FIELDS.contains(&other) {
                    Value::Bool(as_laravel_bool(v))
                } else if INT_FIELDS.contains(&other) {
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|x| x.trim().parse().ok()))
                        .map(Value::from)
                        .unwrap_or(Value::Null)
                } else {
                    v.clone()
                };
                a.overrides.insert(other.to_string(), stored);
            }
        }
    }
    a.updated_at = now;
    let app_uuid = a.uuid.clone();
    if truthy(body.get("instant_deploy")) {
        let req = QueueRequest {
            is_api: true,
            ..QueueRequest::default()
        };
        if let QueueOutcome::Skipped { .. } = w.queue_deployment(i, req) {
            return message(StatusCode::OK, DEDUP_MESSAGE);
        }
        drop(w);
        lifecycle::dispatch(ctx.shared);
    }
    json_response(StatusCode::OK, &json!({ "uuid": app_uuid }))
}

pub(super) fn logs(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.app_index(uuid) else {
        return not_found();
    };
    let a = &w.apps[i];
    let running = a.status.starts_with("running") || a.status.starts_with("degraded");
    let Some(started) = a.container_started_at.filter(|_| running) else {
        return message(StatusCode::BAD_REQUEST, "Application is not running.");
    };
    let (lines, timestamps) = log_options(ctx);
    let container = Container {
        seed: mix(w.seed ^ a.id),
        program: Program::NextJs {
            package: &a.package,
            version: &a.package_version,
            port: a.ports_exposes.split(',').next().unwrap_or("3000"),
        },
        started,
    };
    let text = runtime_logs(&container, Ts::now(), lines, timestamps);
    json_response(StatusCode::OK, &json!({ "logs": text }))
}

pub(super) fn rollback_images(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(i) = w.app_index(uuid) else {
        return not_found();
    };
    let running = !w.apps[i].status.starts_with("exited");
    let (current, images) = w.rollback_images(i);
    let current = current.filter(|_| running);
    let images: Vec<Value> = images
        .into_iter()
        .map(|(tag, at, _)| {
            let is_current = current.as_deref() == Some(tag.as_str());
            json!({"tag": tag, "created_at": at.docker(), "is_current": is_current})
        })
        .collect();
    json_response(
        StatusCode::OK,
        &json!({"current": current, "images": images}),
    )
}

pub(super) fn rollback(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut errors = Errors::default();
    match body.get("commit") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        None | Some(Value::Null) | Some(Value::String(_)) => {
            errors.add("commit", "The commit field is required.")
        }
        Some(_) => errors.add("commit", "The commit field must be a string."),
    }
    errors.reject_unknown(&body, &["commit"]);
    if !errors.is_empty() {
        return errors.response();
    }
    let commit = body
        .get("commit")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return not_found();
    };
    if !git_ref_ok(&commit) || commit.contains("..") {
        let mut e = Errors::default();
        e.add("commit", "The commit must be a valid git reference.");
        return e.response();
    }
    let req = QueueRequest {
        rollback: true,
        commit: Some(commit),
        is_api: true,
        ..QueueRequest::default()
    };
    let resp = match w.queue_deployment(i, req) {
        QueueOutcome::QueueFull => return message(StatusCode::BAD_REQUEST, QUEUE_FULL_MESSAGE),
        QueueOutcome::Skipped { .. } => return message(StatusCode::OK, DEDUP_MESSAGE),
        QueueOutcome::Queued { deployment_uuid } => json_response(
            StatusCode::OK,
            &json!({"message": "Rollback deployment queued.", "deployment_uuid": deployment_uuid}),
        ),
    };
    drop(w);
    lifecycle::dispatch(ctx.shared);
    resp
}

pub(super) fn action(ctx: &Ctx<'_>, uuid: &str, act: Act) -> Response {
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return not_found();
    };
    match act {
        Act::Stop => {
            drop(w);
            lifecycle::schedule(ctx.shared, 2_500, move |w| {
                let a = &mut w.apps[i];
                a.status = "exited:unhealthy".into();
                a.container_started_at = None;
                a.updated_at = Ts::now();
            });
            message(StatusCode::OK, "Application stopping request queued.")
        }
        Act::Start | Act::Restart => {
            let force = truthy(
                ctx.query
                    .get("force")
                    .map(|s| Value::String(s.into()))
                    .as_ref(),
            );
            let instant = act == Act::Start
                && truthy(
                    ctx.query
                        .get("instant_deploy")
                        .map(|s| Value::String(s.into()))
                        .as_ref(),
                );
            let req = QueueRequest {
                force_rebuild: force && act == Act::Start,
                restart_only: act == Act::Restart,
                is_api: true,
                ..QueueRequest::default()
            };
            let text = if act == Act::Start {
                "Deployment request queued."
            } else {
                "Restart request queued."
            };
            let outcome = w.queue_deployment(i, req);
            let uuid = match outcome {
                QueueOutcome::Skipped { .. } => return message(StatusCode::OK, DEDUP_MESSAGE),
                // The real controller ignores a full queue and answers with an id that was
                // never stored.
                QueueOutcome::QueueFull => w.ids.uuid(),
                QueueOutcome::Queued { deployment_uuid } => {
                    if instant && let Some(d) = w.deployment_index(&deployment_uuid) {
                        w.deployments[d].claimed = true;
                        drop(w);
                        lifecycle::start_now(ctx.shared, d);
                    } else {
                        drop(w);
                        lifecycle::dispatch(ctx.shared);
                    }
                    deployment_uuid
                }
            };
            json_response(
                StatusCode::OK,
                &json!({"message": text, "deployment_uuid": uuid}),
            )
        }
    }
}
