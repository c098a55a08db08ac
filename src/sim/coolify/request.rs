//! What the Coolify handlers get from a request and how they read and answer it, the
//! Laravel way: the per-request context, the body and parameters, booleans, validation
//! errors and `{"message": ...}` answers.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::sim::http::{Query, json_response};
use crate::sim::shared::Shared;

/// The per-request context handlers get.
pub(crate) struct Ctx<'a> {
    pub shared: &'a Arc<Shared>,
    pub sensitive: bool,
    pub query: &'a Query,
    pub headers: &'a HeaderMap,
    pub body: &'a Bytes,
}

/// What a start, stop or restart route asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Act {
    Start,
    Stop,
    Restart,
}

pub(crate) fn message(status: StatusCode, text: &str) -> Response {
    json_response(status, &json!({ "message": text }))
}

/// Laravel-style validation errors: field -> messages.
#[derive(Default)]
pub(crate) struct Errors(Map<String, Value>);

impl Errors {
    pub(crate) fn add(&mut self, field: &str, msg: impl Into<String>) {
        let entry = self
            .0
            .entry(field.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(Value::String(msg.into()));
        }
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub(crate) fn response(self) -> Response {
        validation_failed(Value::Object(self.0))
    }
    /// "This field is not allowed." for every key outside `allowed`.
    pub(crate) fn reject_unknown(&mut self, body: &Map<String, Value>, allowed: &[&str]) {
        for k in body.keys() {
            if !allowed.contains(&k.as_str()) {
                self.add(k, "This field is not allowed.");
            }
        }
    }
}

/// 422 "Validation failed." with `errors` as given: the validator's field -> messages
/// (`Errors`), or the shapes some controller checks answer with (a field -> one message, a
/// list of messages).
pub(crate) fn validation_failed(errors: Value) -> Response {
    json_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        &json!({"message": "Validation failed.", "errors": errors}),
    )
}

/// What Laravel's global `TrimStrings` and `ConvertEmptyStringsToNull` middleware (Coolify's
/// `app/Http/Kernel.php`) make of an input value at `path` (`data.0.value`): strings are
/// trimmed, except the password fields, and empty ones become null, at any depth.
fn laravel_input(path: &str, v: Value) -> Value {
    const NOT_TRIMMED: [&str; 3] = ["current_password", "password", "password_confirmation"];
    let nested = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match v {
        Value::String(s) => {
            let s = if NOT_TRIMMED.contains(&path) {
                s
            } else {
                // `Str::trim`: Unicode whitespace, NUL and three invisible characters.
                s.trim_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '\0' | '\u{FEFF}' | '\u{200B}' | '\u{200E}')
                })
                .to_string()
            };
            if s.is_empty() {
                Value::Null
            } else {
                Value::String(s)
            }
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, x)| laravel_input(&nested(&i.to_string()), x))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, x)| {
                    let x = laravel_input(&nested(&k), x);
                    (k, x)
                })
                .collect(),
        ),
        other => other,
    }
}

/// `validateIncomingRequest`: a JSON content type, valid JSON, not empty.
#[allow(clippy::result_large_err)] // the error is the HTTP answer itself
pub(crate) fn json_body(ctx: &Ctx<'_>) -> Result<Map<String, Value>, Response> {
    let invalid = |error: &str| {
        json_response(
            StatusCode::BAD_REQUEST,
            &json!({"message": "Invalid request.", "error": error}),
        )
    };
    let ct = ctx
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(ct.contains("/json") || ct.contains("+json")) {
        return Err(invalid("Content-Type must be application/json."));
    }
    let value: Value = match serde_json::from_slice(ctx.body) {
        Ok(v) => v,
        Err(_) => return Err(invalid("Invalid JSON.")),
    };
    match laravel_input("", value) {
        Value::Object(map) if map.is_empty() => Err(invalid("Empty JSON.")),
        Value::Object(map) => Ok(map),
        _ => Err(invalid("Invalid JSON.")),
    }
}

/// Parameters from the JSON body (if any) over the query string, as Laravel's `input()`.
pub(crate) fn input(ctx: &Ctx<'_>, key: &str) -> Option<Value> {
    let ct = ctx
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if (ct.contains("/json") || ct.contains("+json"))
        && let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(ctx.body)
        && let Some(v) = map.get(key)
    {
        return Some(laravel_input(key, v.clone()));
    }
    ctx.query
        .get(key)
        .map(|s| laravel_input(key, Value::String(s.to_string())))
}

/// Laravel's `$request->boolean()`.
pub(crate) fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => {
            matches!(s.to_ascii_lowercase().as_str(), "1" | "true" | "on" | "yes")
        }
        _ => false,
    }
}

/// Laravel's `boolean` rule: true, false, 1, 0, "1", "0".
pub(crate) fn is_laravel_bool(v: &Value) -> bool {
    match v {
        Value::Bool(_) => true,
        Value::Number(n) => matches!(n.as_i64(), Some(0) | Some(1)),
        Value::String(s) => s == "0" || s == "1",
        _ => false,
    }
}

pub(crate) fn as_laravel_bool(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => s == "1",
        _ => false,
    }
}

/// The container log parameters: `lines` (`normalizeLogLines`: a positive integer, at most
/// 10,000, else 100) and `show_timestamps` (`parseLogTimestampFlag`).
pub(crate) fn log_options(ctx: &Ctx<'_>) -> (usize, bool) {
    let lines = ctx
        .query
        .get("lines")
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|n| *n > 0)
        .map(|n| n.min(10_000) as usize)
        .unwrap_or(100);
    let timestamps = ctx
        .query
        .get("show_timestamps")
        .is_some_and(|s| matches!(s.to_ascii_lowercase().as_str(), "1" | "true" | "on" | "yes"));
    (lines, timestamps)
}

/// "The git commit sha field" from `git_commit_sha`, as Laravel's messages say.
pub(crate) fn attribute(field: &str) -> String {
    field.replace('_', " ")
}
