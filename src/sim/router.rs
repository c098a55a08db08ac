//! The top-level request entry: the simulated applications' health endpoints, the control
//! endpoints, fault injection, then GitHub or Coolify.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::http::{Query, endless_response, json_response, text_response, with_headers};
use super::shared::Shared;
use super::traffic::FaultRule;

/// Request bodies larger than this are refused.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Every path, whatever the method, goes to one entry that dispatches on the path.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(entry).with_state(shared)
}

/// Every request lands here.
async fn entry(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if let Some(rest) = path.strip_prefix("/_sim/health/") {
        // The simulated applications' own endpoints: faults apply, nothing is recorded.
        let fault = shared
            .traffic()
            .take_fault_unrecorded(req.method().as_str(), &path);
        if let Some(resp) = apply_fault(fault).await {
            return resp;
        }
        let world = shared.world();
        return super::health::answer(&world, req.method(), rest);
    }
    if path == "/_sim" || path.starts_with("/_sim/") {
        return super::control::endpoints::handle(&shared, req).await;
    }
    let authorization = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let fault = shared
        .traffic()
        .take_fault(req.method().as_str(), &path, authorization.as_deref());
    if let Some(resp) = apply_fault(fault).await {
        return resp;
    }
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &serde_json::json!({"message": "Payload too large."}),
            );
        }
    };
    let query = Query::parse(parts.uri.query());
    if path == "/github" || path.starts_with("/github/") {
        let rest = &path["/github".len()..];
        let (resp, advanced) = {
            let mut world = shared.world_mut();
            super::github::handle(
                &mut world,
                &parts.method,
                rest,
                &parts.headers,
                &query,
                &body,
            )
        };
        if advanced {
            super::lifecycle::dispatch(&shared);
        }
        return resp;
    }
    if path == "/api" || path.starts_with("/api/") {
        return super::coolify::handle(&shared, &parts, &query, body).await;
    }
    not_found_page()
}

/// Wait out a fault's delay; its canned answer, if it has one.
async fn apply_fault(fault: Option<FaultRule>) -> Option<Response> {
    let f = fault?;
    if let Some(d) = f.delay {
        tokio::time::sleep(d).await;
    }
    let r = f.respond?;
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let resp = match r.repeat.as_deref().filter(|r| !r.is_empty()) {
        Some(repeat) => endless_response(status, &r.content_type, &r.body, repeat),
        None => text_response(status, &r.content_type, &r.body),
    };
    let extra: Vec<(&str, String)> = r
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    Some(with_headers(resp, &extra))
}

/// Laravel's HTML 404 page for paths outside the API.
fn not_found_page() -> Response {
    text_response(
        StatusCode::NOT_FOUND,
        "text/html; charset=UTF-8",
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Not Found</title></head>\n<body><div class=\"flex-center\"><div class=\"code\">404</div><div class=\"message\">Not Found</div></div></body>\n</html>\n",
    )
}
