//! Applications: list, get, partial update, container logs, start/stop/restart, rollback
//! images and rollback.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::request::{
    Act, Ctx, Errors, json_body, log_options, message, truthy, validation_failed,
};
use super::validation::Rule::{
    self, Array, Bool, Custom, Format, Integer, Max, Min, Nullable, OneOf, Str,
};
use super::validation::{
    BOOL, Field, NUMERIC, STR, STR_OR_NULL, UNCHECKED, blank, container_name, directory_path,
    docker_image_name, docker_image_tag, file_path, integer_column, is_numeric, names, pattern,
    php_string, shell_safe, validate,
};
use super::views::{AppOpts, AppView};
use crate::sim::http::{json_response, json_response_sized};
use crate::sim::ids::{Ts, mix};
use crate::sim::lifecycle;
use crate::sim::logs::runtime::{Container, Program, runtime_logs};
use crate::sim::world::{DEDUP_MESSAGE, QUEUE_FULL_MESSAGE, QueueOutcome, QueueRequest, World};

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

/// The build packs (`App\Enums\BuildPackTypes`).
const BUILD_PACKS: &[&str] = &[
    "nixpacks",
    "static",
    "dockerfile",
    "dockercompose",
    "railpack",
];

const SHELL_SAFE: &[Rule] = &[Nullable, Str, Max(1000), Format(shell_safe)];
const DIRECTORY: &[Rule] = &[Nullable, Str, Max(255), Format(directory_path)];
const FILE_PATH: &[Rule] = &[Nullable, Str, Max(255), Format(file_path)];
const CONTAINER: &[Rule] = &[Str, Max(255), Format(container_name)];

/// The fields `PATCH /applications/{uuid}` accepts (`$allowedFields` of
/// `ApplicationsController::update_by_uuid`, in its order) with their rules:
/// `sharedDataApplications()` of `bootstrap/helpers/api.php` merged with the controller's
/// own. A field without rules is accepted as it comes.
const FIELDS: &[Field] = &[
    ("name", &[Str, Max(255)]),
    ("description", STR_OR_NULL),
    ("is_static", BOOL),
    ("is_spa", BOOL),
    ("is_auto_deploy_enabled", BOOL),
    ("is_force_https_enabled", BOOL),
    ("is_preview_deployments_enabled", &[Bool, Nullable]),
    // Its URLs are checked before the validator runs (see `check_domains`).
    ("domains", &[Nullable, Str, Max(2048)]),
    ("noindex_domains", &[Array, Nullable]),
    ("git_repository", STR),
    ("git_branch", &[Str, Custom(git_branch_errors)]),
    ("git_commit_sha", &[Str, Format(git_ref_ok)]),
    (
        "docker_registry_image_name",
        &[Nullable, Str, Max(255), Format(docker_image_name)],
    ),
    (
        "docker_registry_image_tag",
        &[Nullable, Str, Max(128), Format(docker_image_tag)],
    ),
    ("build_pack", &[OneOf(BUILD_PACKS)]),
    ("static_image", STR),
    ("install_command", SHELL_SAFE),
    ("build_command", SHELL_SAFE),
    ("start_command", SHELL_SAFE),
    ("ports_exposes", &[Str, Format(port_list)]),
    ("ports_mappings", &[Str, Format(port_mappings), Nullable]),
    ("custom_network_aliases", STR_OR_NULL),
    ("base_directory", DIRECTORY),
    ("publish_directory", DIRECTORY),
    ("health_check_enabled", BOOL),
    ("health_check_type", &[Str, OneOf(&["http", "cmd"])]),
    (
        "health_check_command",
        &[Nullable, Str, Max(1000), Format(health_check_command)],
    ),
    ("health_check_path", &[Str, Format(health_check_path)]),
    (
        "health_check_port",
        &[Integer, Nullable, Min(1), Max(65535)],
    ),
    ("health_check_host", &[Str, Format(health_check_host)]),
    (
        "health_check_method",
        &[Str, OneOf(&["GET", "HEAD", "POST", "OPTIONS"])],
    ),
    ("health_check_return_code", NUMERIC),
    ("health_check_scheme", &[Str, OneOf(&["http", "https"])]),
    ("health_check_response_text", STR_OR_NULL),
    ("health_check_interval", NUMERIC),
    ("health_check_timeout", NUMERIC),
    ("health_check_retries", NUMERIC),
    ("health_check_start_period", NUMERIC),
    // Docker's notation (`768M`) is not checked: any string is taken.
    ("limits_memory", STR),
    ("limits_memory_swap", STR),
    ("limits_memory_swappiness", NUMERIC),
    ("limits_memory_reservation", STR),
    ("limits_cpus", STR),
    ("limits_cpuset", STR_OR_NULL),
    ("limits_cpu_shares", NUMERIC),
    ("custom_labels", STR_OR_NULL),
    (
        "custom_docker_run_options",
        &[Nullable, Str, Max(2000), Format(shell_safe)],
    ),
    ("post_deployment_command", STR_OR_NULL),
    ("post_deployment_command_container", CONTAINER),
    ("pre_deployment_command", STR_OR_NULL),
    ("pre_deployment_command_container", CONTAINER),
    ("watch_paths", STR_OR_NULL),
    ("manual_webhook_secret_github", STR_OR_NULL),
    ("manual_webhook_secret_gitlab", STR_OR_NULL),
    ("manual_webhook_secret_bitbucket", STR_OR_NULL),
    ("manual_webhook_secret_gitea", STR_OR_NULL),
    ("dockerfile_location", FILE_PATH),
    (
        "dockerfile_target_build",
        &[Nullable, Str, Max(128), Format(container_name)],
    ),
    ("docker_compose_location", FILE_PATH),
    ("docker_compose_custom_start_command", SHELL_SAFE),
    ("docker_compose_custom_build_command", SHELL_SAFE),
    ("docker_compose_domains", &[Array, Nullable]),
    ("redirect", &[OneOf(&["www", "non-www", "both"])]),
    ("instant_deploy", UNCHECKED),
    ("use_build_server", UNCHECKED),
    ("use_build_secrets", BOOL),
    ("custom_nginx_configuration", STR_OR_NULL),
    ("is_http_basic_auth_enabled", &[Bool, Nullable]),
    ("http_basic_auth_username", STR),
    ("http_basic_auth_password", STR),
    ("connect_to_docker_network", UNCHECKED),
    ("force_domain_override", UNCHECKED),
    ("is_container_label_escape_enabled", BOOL),
    ("is_preserve_repository_enabled", BOOL),
    ("preview_url_template", STR),
    ("max_restart_count", &[Integer, Min(0)]),
    // APPLICATION_SETTING_FIELDS
    ("is_git_submodules_enabled", BOOL),
    ("is_git_lfs_enabled", BOOL),
    ("is_git_shallow_clone_enabled", BOOL),
    ("disable_build_cache", BOOL),
    ("inject_build_args_to_dockerfile", BOOL),
    ("include_source_commit_in_build", BOOL),
    ("is_env_sorting_enabled", BOOL),
    ("is_pr_deployments_public_enabled", BOOL),
    ("stop_grace_period", &[Nullable, Integer, Min(1), Max(3600)]),
    ("docker_images_to_keep", &[Integer, Min(0), Max(100)]),
    ("is_gzip_enabled", BOOL),
    ("is_stripprefix_enabled", BOOL),
    ("is_raw_compose_deployment_enabled", BOOL),
    ("is_log_drain_enabled", BOOL),
    ("is_gpu_enabled", BOOL),
    ("gpu_driver", STR_OR_NULL),
    ("gpu_count", STR_OR_NULL),
    ("gpu_device_ids", STR_OR_NULL),
    ("gpu_options", STR_OR_NULL),
    ("is_consistent_container_name_enabled", BOOL),
    ("custom_internal_name", STR_OR_NULL),
];

/// The accepted fields stored in `integer` columns (the migrations of `applications` and
/// `application_settings`); `health_check_port` is validated as an integer but stored as
/// text.
const INTEGER_COLUMNS: &[&str] = &[
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

fn rules_of(field: &str) -> &'static [Rule] {
    FIELDS
        .iter()
        .find(|(name, _)| *name == field)
        .map_or(UNCHECKED, |(_, rules)| rules)
}

pattern!(
    /// `ports_exposes`: `/^(\d+)(,\d+)*$/`
    port_list,
    r"^[0-9]+(,[0-9]+)*$"
);
pattern!(
    /// `ports_mappings`: `/^(\d+:\d+)(,\d+:\d+)*$/`
    port_mappings,
    r"^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$"
);
pattern!(
    /// `health_check_path`: `#^[a-zA-Z0-9/\-_.~%,;]+$#`
    health_check_path,
    r"^[a-zA-Z0-9/\-_.~%,;]+$"
);
pattern!(
    /// `health_check_host`
    health_check_host,
    r"^[a-zA-Z0-9.\-_]+$"
);
pattern!(
    /// `health_check_command`
    health_check_command,
    r"^[a-zA-Z0-9 \-_.\/:=@,+]+$"
);

/// `git_commit_sha`'s pattern, also the simulator's check of a rollback's ref.
fn git_ref_ok(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
}

/// The rule object `App\Rules\ValidGitBranch`: its first complaint, if any.
fn git_branch_errors(v: &Value) -> Vec<String> {
    let Some(branch) = v.as_str().map(str::trim).filter(|b| !b.is_empty()) else {
        return Vec::new();
    };
    const DANGEROUS: &str = ";|&$`(){}<>\"'\\!*?[]~^: #";
    let message = if branch.contains(|c| DANGEROUS.contains(c)) {
        "The :attribute contains invalid characters."
    } else if ["..", "//", "@{"].iter().any(|p| branch.contains(p)) {
        "The :attribute contains invalid patterns."
    } else if branch.starts_with(['/', '.']) || branch.ends_with(['/', '.']) {
        "The :attribute cannot start or end with / or ."
    } else if !branch
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c))
    {
        "The :attribute contains invalid characters. Only letters, numbers, hyphens, underscores, forward slashes, and dots are allowed."
    } else if branch == "HEAD" {
        "The :attribute cannot be HEAD."
    } else if branch.ends_with(".lock") {
        "The :attribute cannot end with .lock."
    } else {
        return Vec::new();
    };
    vec![message.to_string()]
}

/// `ValidationPatterns::applicationDomainList`: the comma-separated URLs, trimmed.
fn domain_list(s: &str) -> Vec<&str> {
    s.split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect()
}

/// `isValidDomainUrl` (with `APPLICATION_DOMAIN_FORBIDDEN_PATTERN` before it): an http or
/// https URL of printable ASCII whose host is a valid host name (or an IP address) and has
/// none of the characters that are unsafe in a shell.
fn valid_domain_url(u: &str) -> bool {
    if u.contains(['`', '$', ';', '&', '|', '<', '>', '(', ')', '\\'])
        || !u.chars().all(|c| c.is_ascii_graphic())
    {
        return false;
    }
    let Ok(url) = url::Url::parse(u) else {
        return false;
    };
    let host_ok = match url.host() {
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }),
        Some(_) => true,
        None => false,
    };
    matches!(url.scheme(), "http" | "https") && host_ok
}

/// `ValidationPatterns::validateApplicationDomains`: one message per bad URL.
fn domain_errors(v: &Value) -> Vec<String> {
    if blank(v) {
        return Vec::new();
    }
    let Some(s) = v.as_str() else {
        return vec!["The domains field must be a string.".into()];
    };
    domain_list(s)
        .into_iter()
        .filter(|u| !valid_domain_url(u))
        .map(|u| format!("Invalid URL: {u}"))
        .collect()
}

/// `ValidationPatterns::normalizeApplicationDomains`: the URLs joined by commas, scheme and
/// host lower-cased (path, query and fragment kept as they are); none is null.
fn normalize_domains(s: &str) -> Option<String> {
    let urls: Vec<String> = domain_list(s)
        .into_iter()
        .map(|u| {
            let Some((scheme, rest)) = u.split_once("://") else {
                return u.to_string();
            };
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(end);
            let (user, host) = authority.split_at(authority.rfind('@').map_or(0, |i| i + 1));
            format!(
                "{}://{user}{}{tail}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        })
        .collect();
    (!urls.is_empty()).then(|| urls.join(","))
}

/// A URL as `checkIfDomainIsAlreadyUsedViaAPI` compares them: without a trailing slash.
fn naked(u: &str) -> &str {
    u.strip_suffix('/').unwrap_or(u)
}

/// `checkIfDomainIsAlreadyUsedViaAPI`: the other applications and the services with one of
/// these URLs.
fn domain_conflicts(w: &World, app: usize, fqdn: &str) -> Vec<Value> {
    let wanted: Vec<&str> = domain_list(fqdn).into_iter().map(naked).collect();
    let apps = w
        .apps
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != app)
        .map(|(_, a)| (&a.fqdn, &a.name, &a.uuid, "application"));
    let services = w
        .services
        .iter()
        .map(|s| (&s.fqdn, &s.name, &s.sub_uuid, "service"));
    apps.chain(services)
        .flat_map(|(fqdn, name, uuid, kind)| {
            let theirs = domain_list(fqdn.as_deref().unwrap_or(""))
                .into_iter()
                .map(naked);
            theirs
                .filter(|d| wanted.contains(d))
                .map(|d| {
                    json!({
                        "domain": d,
                        "resource_name": name,
                        "resource_uuid": uuid,
                        "resource_type": kind,
                        "message": format!("Domain {d} is already in use by {kind} '{name}'"),
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The checks `update_by_uuid` makes before its validator, each answering on its own:
/// `ports_exposes` must be comma-separated numbers (`is_numeric`; 422 with one message,
/// not a list), and (in `validateDataApplications`) the domains must be URLs (422 with a
/// bare list of messages) that no other resource uses (409 unless
/// `force_domain_override`). Every application's server runs a proxy here, so the domains
/// are always checked.
fn precheck(w: &World, app: usize, body: &Map<String, Value>) -> Option<Response> {
    if let Some(v) = body.get("ports_exposes") {
        // `explode(',', ...)` of a scalar; arrays are left to the validator.
        let numbers = php_string(v).is_none_or(|s| {
            s.split(',')
                .all(|p| is_numeric(&Value::String(p.to_string())))
        });
        if !numbers {
            return Some(validation_failed(json!({
                "ports_exposes": "The ports_exposes should be a comma separated list of numbers."
            })));
        }
    }
    let domains = body.get("domains")?;
    let errors = domain_errors(domains);
    if !errors.is_empty() {
        return Some(validation_failed(json!(errors)));
    }
    let conflicts = domain_conflicts(w, app, &domains.as_str().and_then(normalize_domains)?);
    (!conflicts.is_empty() && !truthy(body.get("force_domain_override"))).then(|| {
        json_response(
            StatusCode::CONFLICT,
            &json!({
                "message": "Domain conflicts detected. Use force_domain_override=true to proceed.",
                "conflicts": conflicts,
                "warning": "Using the same domain for multiple resources can cause routing conflicts and unpredictable behavior.",
            }),
        )
    })
}

/// What a column keeps of an accepted value: booleans as booleans (Laravel's
/// `$request->boolean()`, or the boolean cast), integer columns as integers, numbers in
/// text columns as text.
fn stored(field: &str, v: &Value) -> Value {
    if v.is_null() {
        Value::Null
    } else if field == "connect_to_docker_network"
        || rules_of(field).iter().any(|r| matches!(r, Bool))
    {
        Value::Bool(truthy(Some(v)))
    } else if INTEGER_COLUMNS.contains(&field) {
        integer_column(v).map_or(Value::Null, Value::from)
    } else if v.is_number() {
        php_string(v).map_or(Value::Null, Value::String)
    } else {
        v.clone()
    }
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
    if let Some(r) = precheck(&w, i, &body) {
        return r;
    }
    let mut errors = Errors::default();
    validate(&body, FIELDS, &mut errors);
    errors.reject_unknown(&body, &names(FIELDS));
    if !errors.is_empty() {
        return errors.response();
    }
    if w.apps[i].build_pack == "dockercompose" && body.contains_key("domains") {
        return validation_failed(json!({
            "domains": "The domains field cannot be used for dockercompose applications. Use docker_compose_domains instead to set domains for individual services."
        }));
    }
    let unstorable = body.iter().any(|(k, v)| {
        INTEGER_COLUMNS.contains(&k.as_str()) && !v.is_null() && integer_column(v).is_none()
    });
    if unstorable {
        // A number that passed `numeric` but is no integer (`30.5`): PostgreSQL refuses it
        // and Laravel answers its production 500. (The real server has saved the settings
        // row by then; the simulator changes nothing.)
        return message(StatusCode::INTERNAL_SERVER_ERROR, "Server Error");
    }
    let now = Ts::now();
    let a = &mut w.apps[i];
    for (k, v) in &body {
        let text = || v.as_str().map(str::to_string);
        let flag = || truthy(Some(v));
        match k.as_str() {
            "name" => a.name = text().unwrap_or_default(),
            "description" => a.description = text(),
            "domains" => a.fqdn = text().as_deref().and_then(normalize_domains),
            "git_repository" => a.git_repository = text().unwrap_or_default(),
            "git_branch" => a.git_branch = text().unwrap_or_default(),
            "git_commit_sha" => a.git_commit_sha = text().unwrap_or_default(),
            "build_pack" => a.build_pack = text().unwrap_or_default(),
            "ports_exposes" => a.ports_exposes = text().unwrap_or_default(),
            // The model's mutator: `'/'.ltrim($value, '/')`.
            "base_directory" => {
                a.base_directory =
                    format!("/{}", text().unwrap_or_default().trim_start_matches('/'))
            }
            "install_command" => a.install_command = text(),
            "build_command" => a.build_command = text(),
            "start_command" => a.start_command = text(),
            "health_check_enabled" => a.health_check_enabled = flag(),
            "health_check_path" => a.health_check_path = text().unwrap_or_default(),
            "limits_memory" => a.limits_memory = text().unwrap_or_default(),
            "limits_cpus" => a.limits_cpus = text().unwrap_or_default(),
            // The settings the controller sets only when the value `isset` (not null).
            "is_auto_deploy_enabled" if !v.is_null() => a.settings.is_auto_deploy_enabled = flag(),
            "is_force_https_enabled" if !v.is_null() => a.settings.is_force_https_enabled = flag(),
            "is_preview_deployments_enabled" if !v.is_null() => {
                a.settings.is_preview_deployments_enabled = flag()
            }
            "use_build_server" if !v.is_null() => a.settings.is_build_server_enabled = flag(),
            "docker_images_to_keep" => {
                a.settings.docker_images_to_keep = integer_column(v)
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(2)
            }
            "manual_webhook_secret_github" => a.webhook_secret = text().unwrap_or_default(),
            "instant_deploy"
            | "force_domain_override"
            | "is_auto_deploy_enabled"
            | "is_force_https_enabled"
            | "is_preview_deployments_enabled"
            | "use_build_server" => {}
            other => {
                a.overrides.insert(other.to_string(), stored(other, v));
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
