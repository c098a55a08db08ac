//! The Coolify simulator: `/api/health` and `/api/v1/...`.
//!
//! Request handling follows Coolify's middleware order: unknown routes answer 404 before
//! any auth (Laravel's catch-all), then the bearer token (401), the throttle (429), the
//! instance API switch (403 with `success: true`), the route's ability (403), and finally
//! the controller.

mod applications;
mod attached;
mod deployments;
mod env_vars;
mod infra;
mod projects;
mod request;
mod team;
mod validation;
pub(crate) mod views;

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use super::http::{Query, json_response, text_response, with_headers};
use super::shared::Shared;
use attached::{Host, Kind};
use request::{Act, Ctx, message};

#[derive(Debug, Clone, Copy)]
enum Route<'a> {
    Health,
    Version,
    Team,
    Teams,
    TeamById(&'a str),
    Members,
    TeamMembers(&'a str),
    Tags,
    PrivateKeys,
    PrivateKey(&'a str),
    GithubApps,
    GithubAppRepositories(&'a str),
    GithubAppBranches(&'a str, &'a str, &'a str),
    CloudTokens,
    CloudToken(&'a str),
    Projects,
    CreateProject,
    Project(&'a str),
    ProjectEnvironments(&'a str),
    CreateEnvironment(&'a str),
    Environment(&'a str, &'a str),
    Applications,
    Application(&'a str),
    UpdateApplication(&'a str),
    AppLogs(&'a str),
    /// Tags, env vars and storages of an application, database or service.
    ResourceTags(Kind, &'a str),
    Envs(Kind, &'a str),
    Storages(Kind, &'a str),
    ScheduledTasks(Host, &'a str),
    TaskExecutions(Host, &'a str, &'a str),
    CreateAppEnv(&'a str),
    UpdateAppEnv(&'a str),
    BulkAppEnvs(&'a str),
    DeleteAppEnv(&'a str, &'a str),
    RollbackImages(&'a str),
    Rollback(&'a str),
    AppAction(&'a str, Act),
    Deploy,
    Deployments,
    Deployment(&'a str),
    CancelDeployment(&'a str),
    AppDeployments(&'a str),
    Servers,
    Server(&'a str),
    ServerResources(&'a str),
    ServerDomains(&'a str),
    ValidateServer(&'a str),
    Destinations,
    ServerDestinations(&'a str),
    Destination(&'a str),
    Databases,
    Database(&'a str),
    DatabaseAction(&'a str, Act),
    DatabaseLogs(&'a str),
    Backups(&'a str),
    BackupExecutions(&'a str, &'a str),
    Services,
    Service(&'a str),
    ServiceAction(&'a str, Act),
    ServiceLogs(&'a str),
    ServiceApplications(&'a str),
    ServiceDatabases(&'a str),
    Resources,
    /// A GET on an action that only accepts POST since v4.2.
    PostRequired,
}

fn act(s: &str) -> Option<Act> {
    match s {
        "start" => Some(Act::Start),
        "stop" => Some(Act::Stop),
        "restart" => Some(Act::Restart),
        _ => None,
    }
}

const READ: &str = "read";
const WRITE: &str = "write";
const DEPLOY: &str = "deploy";

/// The route and the one ability it needs.
fn route<'a>(method: &Method, rest: &[&'a str]) -> Option<(Route<'a>, &'static str)> {
    use Route as R;
    let get = method == Method::GET || method == Method::HEAD;
    let post = method == Method::POST;
    let patch = method == Method::PATCH;
    let delete = method == Method::DELETE;
    let r = match rest {
        ["health"] if get => (R::Health, READ),
        ["version"] if get => (R::Version, READ),
        ["team"] | ["teams", "current"] if get => (R::Team, READ),
        ["teams"] if get => (R::Teams, READ),
        ["team", "members"] | ["teams", "current", "members"] if get => (R::Members, READ),
        ["teams", id] if get => (R::TeamById(id), READ),
        ["teams", id, "members"] if get => (R::TeamMembers(id), READ),
        ["tags"] if get => (R::Tags, READ),
        ["security", "keys"] if get => (R::PrivateKeys, READ),
        ["security", "keys", u] if get => (R::PrivateKey(u), READ),
        ["github-apps"] if get => (R::GithubApps, READ),
        ["github-apps", id, "repositories"] if get => (R::GithubAppRepositories(id), READ),
        ["github-apps", id, "repositories", o, r, "branches"] if get => {
            (R::GithubAppBranches(id, o, r), READ)
        }
        ["cloud-tokens"] if get => (R::CloudTokens, READ),
        ["cloud-tokens", u] if get => (R::CloudToken(u), READ),
        ["projects"] if get => (R::Projects, READ),
        ["projects"] if post => (R::CreateProject, WRITE),
        ["projects", u] if get => (R::Project(u), READ),
        ["projects", u, "environments"] if get => (R::ProjectEnvironments(u), READ),
        ["projects", u, "environments"] if post => (R::CreateEnvironment(u), WRITE),
        ["projects", u, e] if get => (R::Environment(u, e), READ),
        ["applications"] if get => (R::Applications, READ),
        ["applications", u] if get => (R::Application(u), READ),
        ["applications", u] if patch => (R::UpdateApplication(u), WRITE),
        ["applications", u, "logs"] if get => (R::AppLogs(u), READ),
        ["applications", u, "envs"] if get => (R::Envs(Kind::App, u), READ),
        ["applications", u, "tags"] if get => (R::ResourceTags(Kind::App, u), READ),
        ["applications", u, "storages"] if get => (R::Storages(Kind::App, u), READ),
        ["applications", u, "scheduled-tasks"] if get => (R::ScheduledTasks(Host::App, u), READ),
        ["applications", u, "scheduled-tasks", t, "executions"] if get => {
            (R::TaskExecutions(Host::App, u, t), READ)
        }
        ["applications", u, "envs"] if post => (R::CreateAppEnv(u), WRITE),
        ["applications", u, "envs"] if patch => (R::UpdateAppEnv(u), WRITE),
        ["applications", u, "envs", "bulk"] if patch => (R::BulkAppEnvs(u), WRITE),
        ["applications", u, "envs", e] if delete => (R::DeleteAppEnv(u, e), WRITE),
        ["applications", u, "rollback-images"] if get => (R::RollbackImages(u), READ),
        ["applications", u, "rollback"] if post => (R::Rollback(u), DEPLOY),
        ["applications", _, "rollback"] if get => (R::PostRequired, DEPLOY),
        ["applications", u, a] if post && act(a).is_some() => (R::AppAction(u, act(a)?), DEPLOY),
        ["applications", _, a] if get && act(a).is_some() => (R::PostRequired, DEPLOY),
        ["deploy"] if post => (R::Deploy, DEPLOY),
        ["deploy"] if get => (R::PostRequired, DEPLOY),
        ["deployments"] if get => (R::Deployments, READ),
        ["deployments", "applications", u] if get => (R::AppDeployments(u), READ),
        ["deployments", u] if get => (R::Deployment(u), READ),
        ["deployments", u, "cancel"] if post => (R::CancelDeployment(u), DEPLOY),
        ["deployments", _, "cancel"] if get => (R::PostRequired, DEPLOY),
        ["servers"] if get => (R::Servers, READ),
        ["servers", u] if get => (R::Server(u), READ),
        ["servers", u, "resources"] if get => (R::ServerResources(u), READ),
        ["servers", u, "domains"] if get => (R::ServerDomains(u), READ),
        ["servers", u, "validate"] if post => (R::ValidateServer(u), WRITE),
        ["servers", _, "validate"] if get => (R::PostRequired, WRITE),
        ["servers", u, "destinations"] if get => (R::ServerDestinations(u), READ),
        ["destinations"] if get => (R::Destinations, READ),
        ["destinations", u] if get => (R::Destination(u), READ),
        ["databases"] if get => (R::Databases, READ),
        ["databases", u] if get => (R::Database(u), READ),
        ["databases", u, "logs"] if get => (R::DatabaseLogs(u), READ),
        ["databases", u, "envs"] if get => (R::Envs(Kind::Database, u), READ),
        ["databases", u, "tags"] if get => (R::ResourceTags(Kind::Database, u), READ),
        ["databases", u, "storages"] if get => (R::Storages(Kind::Database, u), READ),
        ["databases", u, "backups"] if get => (R::Backups(u), READ),
        ["databases", u, "backups", b, "executions"] if get => (R::BackupExecutions(u, b), READ),
        ["databases", u, a] if post && act(a).is_some() => (R::DatabaseAction(u, act(a)?), DEPLOY),
        ["databases", _, a] if get && act(a).is_some() => (R::PostRequired, DEPLOY),
        ["services"] if get => (R::Services, READ),
        ["services", u] if get => (R::Service(u), READ),
        ["services", u, "logs"] if get => (R::ServiceLogs(u), READ),
        ["services", u, "applications"] if get => (R::ServiceApplications(u), READ),
        ["services", u, "databases"] if get => (R::ServiceDatabases(u), READ),
        ["services", u, "envs"] if get => (R::Envs(Kind::Service, u), READ),
        ["services", u, "tags"] if get => (R::ResourceTags(Kind::Service, u), READ),
        ["services", u, "storages"] if get => (R::Storages(Kind::Service, u), READ),
        ["services", u, "scheduled-tasks"] if get => (R::ScheduledTasks(Host::Service, u), READ),
        ["services", u, "scheduled-tasks", t, "executions"] if get => {
            (R::TaskExecutions(Host::Service, u, t), READ)
        }
        ["services", u, a] if post && act(a).is_some() => (R::ServiceAction(u, act(a)?), DEPLOY),
        ["services", _, a] if get && act(a).is_some() => (R::PostRequired, DEPLOY),
        ["resources"] if get => (R::Resources, READ),
        _ => return None,
    };
    Some(r)
}

// ----- responses -----

fn route_not_found() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &json!({"message": "Not found.", "docs": "https://coolify.io/docs"}),
    )
}

fn health() -> Response {
    text_response(StatusCode::OK, "text/html; charset=UTF-8", "OK")
}

/// Whether a version string (`4.3.11`, `v4.2.0`, `4.0.0-beta.420`) is at least `min`; a
/// pre-release sorts before its release. Unreadable versions count as new.
pub(crate) fn version_at_least(version: &str, min: (u64, u64, u64)) -> bool {
    let v = version.trim().trim_start_matches(['v', 'V']);
    let (core, pre) = match v.split_once('-') {
        Some((c, p)) => (c, !p.is_empty()),
        None => (v, false),
    };
    let mut parts = core.split('.').map(|p| p.parse::<u64>());
    let mut next = || parts.next().unwrap_or(Ok(0));
    let (Ok(a), Ok(b), Ok(c)) = (next(), next(), next()) else {
        return true;
    };
    match (a, b, c).cmp(&min) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => !pre,
        std::cmp::Ordering::Less => false,
    }
}

/// Serve one request under `/api`.
pub(crate) async fn handle(
    shared: &Arc<Shared>,
    parts: &Parts,
    query: &Query,
    body: Bytes,
) -> Response {
    let path = parts.uri.path();
    let segs: Vec<&str> = path["/api".len()..]
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let get = parts.method == Method::GET || parts.method == Method::HEAD;
    if get && segs.as_slice() == ["health"] {
        return health();
    }
    let Some((&"v1", rest)) = segs.split_first() else {
        return route_not_found();
    };
    let Some((r, ability)) = route(&parts.method, rest) else {
        return route_not_found();
    };
    // Servers older than 4.3.0 have no rollback routes at all.
    let rollback_route = matches!(r, Route::RollbackImages(_) | Route::Rollback(_))
        || matches!(rest, ["applications", _, "rollback" | "rollback-images"]);
    if rollback_route && !version_at_least(&shared.world().coolify_version, (4, 3, 0)) {
        return route_not_found();
    }
    if let Route::Health = r {
        return health();
    }
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let v = v.trim();
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    let (abilities, rate) = {
        let w = shared.world();
        let Some(abilities) = w.tokens.get(&token).cloned() else {
            return message(StatusCode::UNAUTHORIZED, "Unauthenticated.");
        };
        let (rate, limit) = {
            let mut t = shared.traffic();
            (t.rate_check(&token), t.rate_limit.unwrap_or(0))
        };
        if let Some(Err(wait)) = rate {
            let resp = message(StatusCode::TOO_MANY_REQUESTS, "Too Many Attempts.");
            let reset = super::ids::Ts::now().unix_secs() + wait as i64;
            return with_headers(
                resp,
                &[
                    ("retry-after", wait.to_string()),
                    ("x-ratelimit-limit", limit.to_string()),
                    ("x-ratelimit-remaining", "0".to_string()),
                    ("x-ratelimit-reset", reset.to_string()),
                ],
            );
        }
        if !w.api_enabled {
            return json_response(
                StatusCode::FORBIDDEN,
                &json!({"success": true, "message": "API is disabled."}),
            );
        }
        (abilities, rate)
    };
    let has = |a: &str| abilities.iter().any(|x| x == a || x == "*");
    let resp = if !(has("root") || has(ability)) {
        message(
            StatusCode::FORBIDDEN,
            &format!("Missing required permissions: {ability}"),
        )
    } else {
        let ctx = Ctx {
            shared,
            sensitive: has("root") || has("read:sensitive"),
            query,
            headers: &parts.headers,
            body: &body,
        };
        dispatch(&ctx, r)
    };
    match rate {
        Some(Ok((limit, remaining))) => with_headers(
            resp,
            &[
                ("x-ratelimit-limit", limit.to_string()),
                ("x-ratelimit-remaining", remaining.to_string()),
            ],
        ),
        _ => resp,
    }
}

fn dispatch(ctx: &Ctx<'_>, r: Route<'_>) -> Response {
    use Route as R;
    match r {
        R::Health => health(),
        R::PostRequired => with_headers(
            message(
                StatusCode::METHOD_NOT_ALLOWED,
                "This endpoint has changed to a POST request.",
            ),
            &[("allow", "POST".to_string())],
        ),
        R::Version => {
            let version = ctx.shared.world().coolify_version.clone();
            text_response(StatusCode::OK, "text/html; charset=UTF-8", &version)
        }
        R::Team => team::team(ctx),
        R::Teams => team::teams(ctx),
        R::TeamById(id) => team::team_by_id(ctx, id),
        R::Members => team::members(ctx),
        R::TeamMembers(id) => team::members_by_id(ctx, id),
        R::Tags => team::tags(ctx),
        R::PrivateKeys => team::private_keys(ctx),
        R::PrivateKey(u) => team::private_key(ctx, u),
        R::GithubApps => team::github_apps(ctx),
        R::GithubAppRepositories(id) => team::github_app_repositories(ctx, id),
        R::GithubAppBranches(id, o, r) => team::github_app_branches(ctx, id, o, r),
        R::CloudTokens => team::cloud_tokens(ctx),
        R::CloudToken(u) => team::cloud_token(ctx, u),
        R::Projects => projects::list(ctx),
        R::CreateProject => projects::create(ctx),
        R::Project(u) => projects::get(ctx, u),
        R::ProjectEnvironments(u) => projects::environments(ctx, u),
        R::CreateEnvironment(u) => projects::create_environment(ctx, u),
        R::Environment(u, e) => projects::environment(ctx, u, e),
        R::Applications => applications::list(ctx),
        R::Application(u) => applications::get(ctx, u),
        R::UpdateApplication(u) => applications::update(ctx, u),
        R::AppLogs(u) => applications::logs(ctx, u),
        R::ResourceTags(k, u) => attached::tags(ctx, k, u),
        R::Envs(k, u) => attached::envs(ctx, k, u),
        R::Storages(k, u) => attached::storages(ctx, k, u),
        R::ScheduledTasks(h, u) => attached::scheduled_tasks(ctx, h, u),
        R::TaskExecutions(h, u, t) => attached::task_executions(ctx, h, u, t),
        R::CreateAppEnv(u) => env_vars::create(ctx, u),
        R::UpdateAppEnv(u) => env_vars::update(ctx, u),
        R::BulkAppEnvs(u) => env_vars::bulk_update(ctx, u),
        R::DeleteAppEnv(u, e) => env_vars::delete(ctx, u, e),
        R::RollbackImages(u) => applications::rollback_images(ctx, u),
        R::Rollback(u) => applications::rollback(ctx, u),
        R::AppAction(u, a) => applications::action(ctx, u, a),
        R::Deploy => deployments::deploy(ctx),
        R::Deployments => deployments::list(ctx),
        R::Deployment(u) => deployments::get(ctx, u),
        R::CancelDeployment(u) => deployments::cancel(ctx, u),
        R::AppDeployments(u) => deployments::history(ctx, u),
        R::Servers => infra::servers(ctx),
        R::Server(u) => infra::server(ctx, u),
        R::ServerResources(u) => infra::server_resources(ctx, u),
        R::ServerDomains(u) => infra::server_domains(ctx, u),
        R::ValidateServer(u) => infra::validate_server(ctx, u),
        R::Destinations => infra::destinations(ctx),
        R::ServerDestinations(u) => infra::server_destinations(ctx, u),
        R::Destination(u) => infra::destination(ctx, u),
        R::Databases => infra::databases(ctx),
        R::Database(u) => infra::database(ctx, u),
        R::DatabaseAction(u, a) => infra::database_action(ctx, u, a),
        R::DatabaseLogs(u) => infra::database_logs(ctx, u),
        R::Backups(u) => attached::backups(ctx, u),
        R::BackupExecutions(u, b) => attached::backup_executions(ctx, u, b),
        R::Services => infra::services(ctx),
        R::Service(u) => infra::service(ctx, u),
        R::ServiceAction(u, a) => infra::service_action(ctx, u, a),
        R::ServiceLogs(u) => infra::service_logs(ctx, u),
        R::ServiceApplications(u) => infra::service_applications(ctx, u),
        R::ServiceDatabases(u) => infra::service_databases(ctx, u),
        R::Resources => infra::resources(ctx),
    }
}
