//! The simulated applications' own HTTP endpoints, served under `/_sim/health/{host}/{path}`
//! because their public domains (`staging.air.pfcore.io`, ...) do not resolve.
//!
//! The answer follows the container's state the way Traefik and the Next.js app would:
//! `200 {"status":"ok","commit":...}` from a healthy running container (or a running one
//! without a Coolify health check), the app's own `503` JSON when it runs but is
//! unhealthy, Traefik's `503 no available server` while it is stopped or starting, and
//! Traefik's `404 page not found` for a host no resource serves.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::http::{json_response, text_response, with_headers};
use super::world::World;
use super::world::records::App;

/// The hosts of a comma-separated list of URLs (Coolify's `fqdn`), lower-cased.
fn hosts(fqdn: &str) -> impl Iterator<Item = String> + '_ {
    fqdn.split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter_map(|d| url::Url::parse(d).ok())
        .filter_map(|u| u.host_str().map(str::to_ascii_lowercase))
}

fn serves(fqdn: Option<&str>, host: &str) -> bool {
    fqdn.is_some_and(|f| hosts(f).any(|h| h == host))
}

fn no_server() -> Response {
    text_response(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/plain; charset=utf-8",
        "no available server\n",
    )
}

/// Answer `GET /_sim/health/{host}/{path...}` (`rest` is `{host}/{path...}`).
pub(crate) fn answer(world: &World, method: &Method, rest: &str) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return with_headers(
            text_response(
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                "Method Not Allowed\n",
            ),
            &[("allow", "GET, HEAD".to_string())],
        );
    }
    let host = rest.split('/').next().unwrap_or("");
    let host = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
        .to_ascii_lowercase();
    if let Some(app) = world.apps.iter().find(|a| serves(a.fqdn.as_deref(), &host)) {
        return app_answer(app);
    }
    if let Some(service) = world
        .services
        .iter()
        .find(|s| serves(s.fqdn.as_deref(), &host))
    {
        return if service.status.starts_with("running") && !service.status.ends_with("unhealthy") {
            json_response(StatusCode::OK, &json!({"status": "ok"}))
        } else {
            no_server()
        };
    }
    text_response(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        "404 page not found\n",
    )
}

fn app_answer(a: &App) -> Response {
    let (state, _) = a.status.split_once(':').unwrap_or((a.status.as_str(), ""));
    let commit = a.current_commit.as_deref();
    let resp = match state {
        "running" | "degraded" => {
            let unhealthy =
                a.health_failing || a.status.ends_with(":unhealthy") || state == "degraded";
            let healthy = a.status == "running:healthy" || !a.health_check_enabled;
            if unhealthy {
                json_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &json!({
                        "status": "error",
                        "commit": commit,
                        "checks": {"database": "error"},
                        "error": "database ping failed: connect ECONNREFUSED 10.0.1.5:5432",
                    }),
                )
            } else if healthy {
                json_response(StatusCode::OK, &json!({"status": "ok", "commit": commit}))
            } else {
                json_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &json!({"status": "starting", "commit": commit}),
                )
            }
        }
        // Stopped, starting, restarting: Traefik has no healthy container to route to.
        _ => return no_server(),
    };
    with_headers(resp, &[("x-powered-by", "Next.js".to_string())])
}
