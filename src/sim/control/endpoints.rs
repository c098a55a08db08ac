//! The `/_sim/` control endpoints (documented in the module doc of `sim`).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::SimControl;
use crate::sim::http::json_response;
use crate::sim::shared::Shared;
use crate::sim::traffic::{CannedResponse, FaultRule};
use crate::sim::world::records::DeployStatus;

fn bad(message: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, &json!({ "message": message }))
}

fn ok(value: Value) -> Response {
    json_response(StatusCode::OK, &value)
}

#[derive(Deserialize)]
struct TokenBody {
    token: String,
    #[serde(default)]
    abilities: Vec<String>,
}

#[derive(Deserialize)]
struct FailNextBody {
    application: String,
}

#[derive(Deserialize)]
struct LogNextBody {
    application: String,
    line: String,
}

#[derive(Deserialize)]
struct FaultBody {
    method: Option<String>,
    path_prefix: String,
    times: Option<u32>,
    status: Option<u16>,
    content_type: Option<String>,
    body: Option<String>,
    #[serde(default)]
    headers: Option<Value>,
    delay_ms: Option<u64>,
    /// Sent over and over after `body`, forever.
    repeat: Option<String>,
}

#[derive(Deserialize)]
struct ApiBody {
    enabled: bool,
}

#[derive(Deserialize)]
struct RateBody {
    per_minute: Option<u32>,
}

#[derive(Deserialize)]
struct QueueBody {
    paused: bool,
}

#[derive(Deserialize)]
struct PushBody {
    repo: String,
    branch: String,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct ConflictBody {
    repo: String,
    base: String,
    head: String,
}

#[derive(Deserialize)]
struct ProtectBody {
    repo: String,
    branch: String,
    #[serde(default = "yes")]
    protected: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct BigLogBody {
    application: String,
    lines: u32,
    #[serde(default)]
    seconds: f64,
}

#[derive(Deserialize)]
struct VersionBody {
    version: String,
}

fn not_found(message: String) -> Response {
    json_response(StatusCode::NOT_FOUND, &json!({ "message": message }))
}

#[allow(clippy::result_large_err)] // the error is the HTTP answer itself
fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(bytes).map_err(|e| bad(&format!("Invalid body: {e}")))
}

pub(crate) async fn handle(shared: &Arc<Shared>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().trim_end_matches('/').to_string();
    let bytes = match axum::body::to_bytes(req.into_body(), 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return bad("Body too large."),
    };
    let control = SimControl::new(shared.clone());
    let result = match (&method, path.as_str()) {
        (&Method::POST, "/_sim/tokens") => parse::<TokenBody>(&bytes).map(|b| {
            if b.token.is_empty() {
                return bad("token must not be empty");
            }
            let abilities: Vec<&str> = b.abilities.iter().map(String::as_str).collect();
            control.add_token(&b.token, &abilities);
            ok(json!({"message": "Token added.", "abilities": b.abilities}))
        }),
        (&Method::POST, "/_sim/fail-next") => parse::<FailNextBody>(&bytes).map(|b| {
            if control.fail_next_deployment(&b.application) {
                ok(json!({"message": format!("The next deployment of {} will fail.", b.application)}))
            } else {
                json_response(
                    StatusCode::NOT_FOUND,
                    &json!({"message": format!("Application {} not found.", b.application)}),
                )
            }
        }),
        (&Method::POST, "/_sim/log-next") => parse::<LogNextBody>(&bytes).map(|b| {
            if control.log_next(&b.application, &b.line) {
                ok(json!({"message": format!("The next deployment of {} prints the line.", b.application)}))
            } else {
                not_found(format!("Application {} not found.", b.application))
            }
        }),
        (&Method::POST, "/_sim/faults") => parse::<FaultBody>(&bytes).map(|b| add_fault(shared, b)),
        (&Method::DELETE, "/_sim/faults") => {
            control.clear_faults();
            Ok(ok(json!({"message": "Faults cleared."})))
        }
        (&Method::POST, "/_sim/api") => parse::<ApiBody>(&bytes).map(|b| {
            control.set_api_enabled(b.enabled);
            ok(json!({"message": if b.enabled { "API enabled." } else { "API disabled." }}))
        }),
        (&Method::POST, "/_sim/rate-limit") => parse::<RateBody>(&bytes).map(|b| {
            control.set_rate_limit(b.per_minute);
            ok(json!({"per_minute": b.per_minute}))
        }),
        (&Method::POST, "/_sim/queue") => parse::<QueueBody>(&bytes).map(|b| {
            control.pause_queue(b.paused);
            ok(json!({"paused": b.paused}))
        }),
        (&Method::POST, "/_sim/push") => parse::<PushBody>(&bytes).map(|b| {
            let message = b.message.unwrap_or_else(|| "chore: update".to_string());
            match control.push_commit(&b.repo, &b.branch, &message) {
                Some((sha, deployments)) => ok(json!({"sha": sha, "deployments": deployments})),
                None => json_response(
                    StatusCode::NOT_FOUND,
                    &json!({"message": format!("Repository {} or branch {} not found.", b.repo, b.branch)}),
                ),
            }
        }),
        (&Method::POST, "/_sim/fail-health") => parse::<FailNextBody>(&bytes).map(|b| {
            if control.fail_next_health(&b.application) {
                ok(json!({"message": format!("The next deployment of {} will finish with a failing health check.", b.application)}))
            } else {
                not_found(format!("Application {} not found.", b.application))
            }
        }),
        (&Method::POST, "/_sim/conflict") => parse::<ConflictBody>(&bytes).map(|b| {
            if control.make_conflict(&b.repo, &b.base, &b.head) {
                ok(json!({"message": format!("Merging {} into {} of {} will conflict.", b.head, b.base, b.repo)}))
            } else {
                not_found(format!("Repository {}, branch {} or ref {} not found.", b.repo, b.base, b.head))
            }
        }),
        (&Method::DELETE, "/_sim/conflict") => parse::<ConflictBody>(&bytes).map(|b| {
            let cleared = control.clear_conflict(&b.repo, &b.base, &b.head);
            ok(json!({"cleared": cleared}))
        }),
        (&Method::POST, "/_sim/protect") => parse::<ProtectBody>(&bytes).map(|b| {
            if control.protect_branch(&b.repo, &b.branch, b.protected) {
                ok(json!({"repo": b.repo, "branch": b.branch, "protected": b.protected}))
            } else {
                not_found(format!("Repository {} or branch {} not found.", b.repo, b.branch))
            }
        }),
        (&Method::POST, "/_sim/version") => parse::<VersionBody>(&bytes).map(|b| {
            let v = b.version.trim();
            if v.is_empty() || v.chars().any(char::is_whitespace) {
                return bad("version must be a non-empty version string such as 4.0.0-beta.420");
            }
            control.set_version(v);
            ok(json!({"version": v}))
        }),
        (&Method::POST, "/_sim/big-log") => parse::<BigLogBody>(&bytes).map(|b| {
            if b.lines == 0 || b.lines > 2_000_000 {
                return bad("lines must be between 1 and 2000000");
            }
            if !(b.seconds.is_finite() && (0.0..=3600.0).contains(&b.seconds)) {
                return bad("seconds must be between 0 and 3600");
            }
            match control.big_log(&b.application, b.lines, b.seconds) {
                Some(uuid) => ok(json!({"deployment_uuid": uuid})),
                None => not_found(format!("Application {} not found.", b.application)),
            }
        }),
        (&Method::GET, "/_sim/state") => {
            let (rate_limit, faults) = {
                let t = shared.traffic();
                (t.rate_limit, t.faults.len())
            };
            let w = shared.world();
            Ok(ok(json!({
                "speed": shared.speed,
                "api_enabled": w.api_enabled,
                "rate_limit": rate_limit,
                "queue_paused": w.queue_paused,
                "version": w.coolify_version,
                "faults": faults,
                "applications": w.apps.len(),
                "deployments_active": w.deployments.iter().filter(|d| d.status.is_active()).count(),
                "deployments_queued": w.deployments.iter().filter(|d| d.status == DeployStatus::Queued).count(),
            })))
        }
        _ => Ok(json_response(
            StatusCode::NOT_FOUND,
            &json!({"message": "Unknown control endpoint.", "endpoints": [
                "POST /_sim/tokens", "POST /_sim/fail-next", "POST /_sim/log-next", "POST /_sim/faults", "DELETE /_sim/faults",
                "POST /_sim/api", "POST /_sim/rate-limit", "POST /_sim/queue", "POST /_sim/push", "POST /_sim/fail-health", "POST /_sim/conflict",
                "DELETE /_sim/conflict", "POST /_sim/protect", "POST /_sim/version", "POST /_sim/big-log", "GET /_sim/state",
                "GET /_sim/health/{host}/{path}"
            ]}),
        )),
    };
    match result {
        Ok(r) | Err(r) => r,
    }
}

fn add_fault(shared: &Arc<Shared>, b: FaultBody) -> Response {
    let mut headers = Vec::new();
    match b.headers {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (k, v) in map {
                let v = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                headers.push((k, v));
            }
        }
        Some(Value::Array(items)) => {
            for item in items {
                if let Some([k, v]) = item.as_array().map(Vec::as_slice)
                    && let (Some(k), Some(v)) = (k.as_str(), v.as_str())
                {
                    headers.push((k.to_string(), v.to_string()));
                }
            }
        }
        Some(_) => return bad("headers must be an object or a list of [name, value] pairs"),
    }
    if b.status.is_none() && b.delay_ms.is_none() {
        return bad("a fault needs a status (to answer instead) or a delay_ms (to wait)");
    }
    if b.repeat.as_deref().is_some_and(str::is_empty) || (b.repeat.is_some() && b.status.is_none())
    {
        return bad("repeat needs a status, and must not be empty");
    }
    if let Some(s) = b.status
        && StatusCode::from_u16(s).is_err()
    {
        return bad("status must be a valid HTTP status code");
    }
    let respond = b.status.map(|status| CannedResponse {
        status,
        content_type: b
            .content_type
            .unwrap_or_else(|| "application/json".to_string()),
        body: b.body.unwrap_or_default(),
        headers,
        repeat: b.repeat,
    });
    shared.traffic().faults.push(FaultRule {
        method: b.method,
        path_prefix: b.path_prefix,
        remaining: b.times,
        delay: b.delay_ms.map(Duration::from_millis),
        respond,
    });
    ok(json!({"message": "Fault added."}))
}
