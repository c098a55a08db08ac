//! An application's env vars: create, update, bulk update and delete, with Coolify's
//! validation rules (the list is in `attached`, shared with databases and services).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::applications::not_found;
use super::request::{
    Ctx, Errors, as_laravel_bool, attribute, is_laravel_bool, json_body, message,
};
use super::views::EnvVarView;
use crate::sim::http::json_response;
use crate::sim::ids::Ts;
use crate::sim::world::records::EnvVar;

const ENV_FIELDS: &[&str] = &[
    "key",
    "value",
    "is_preview",
    "is_literal",
    "is_multiline",
    "is_shown_once",
    "is_runtime",
    "is_buildtime",
    "comment",
];

fn validate_env(
    item: &Map<String, Value>,
    errors: &mut Errors,
    prefix: &str,
    value_required: bool,
) {
    let field = |f: &str| format!("{prefix}{f}");
    match item.get("key") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        Some(Value::String(_)) | None | Some(Value::Null) => {
            errors.add(&field("key"), "The key field is required.")
        }
        Some(_) => errors.add(&field("key"), "The key field must be a string."),
    }
    match item.get("value") {
        Some(Value::String(_)) => {}
        None | Some(Value::Null) if value_required => {
            errors.add(&field("value"), "The value field is required.")
        }
        None | Some(Value::Null) => {}
        Some(_) => errors.add(&field("value"), "The value field must be a string."),
    }
    for f in [
        "is_preview",
        "is_literal",
        "is_multiline",
        "is_shown_once",
        "is_runtime",
        "is_buildtime",
    ] {
        if let Some(v) = item.get(f)
            && !is_laravel_bool(v)
        {
            errors.add(
                &field(f),
                format!("The {} field must be true or false.", attribute(f)),
            );
        }
    }
    if let Some(v) = item.get("comment")
        && !(v.is_null() || v.is_string())
    {
        errors.add(&field("comment"), "The comment field must be a string.");
    }
}

fn apply_env(v: &mut EnvVar, item: &Map<String, Value>, now: Ts) {
    if let Some(s) = item.get("value").and_then(Value::as_str) {
        v.value = s.to_string();
    }
    let flag = |k: &str, cur: bool| item.get(k).map(as_laravel_bool).unwrap_or(cur);
    v.is_literal = flag("is_literal", v.is_literal);
    v.is_multiline = flag("is_multiline", v.is_multiline);
    v.is_shown_once = flag("is_shown_once", v.is_shown_once);
    v.is_runtime = flag("is_runtime", v.is_runtime);
    v.is_buildtime = flag("is_buildtime", v.is_buildtime);
    if let Some(c) = item.get("comment") {
        v.comment = c.as_str().map(str::to_string);
    }
    v.updated_at = now;
}

fn new_env(id: u64, uuid: String, item: &Map<String, Value>, now: Ts) -> EnvVar {
    let mut v = EnvVar {
        id,
        uuid,
        key: item
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string(),
        value: String::new(),
        is_preview: item.get("is_preview").map(as_laravel_bool).unwrap_or(false),
        is_literal: false,
        is_multiline: false,
        is_shown_once: false,
        is_runtime: true,
        is_buildtime: true,
        comment: None,
        created_at: now,
        updated_at: now,
    };
    apply_env(&mut v, item, now);
    v
}

pub(super) fn create(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Application not found");
    };
    let mut errors = Errors::default();
    validate_env(&body, &mut errors, "", false);
    errors.reject_unknown(&body, ENV_FIELDS);
    if !errors.is_empty() {
        return errors.response();
    }
    let key = body
        .get("key")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    let preview = body.get("is_preview").map(as_laravel_bool).unwrap_or(false);
    if w.app_envs_mut(i)
        .iter()
        .any(|v| v.key == key && v.is_preview == preview)
    {
        return message(
            StatusCode::CONFLICT,
            "Environment variable already exists. Use PATCH request to update it.",
        );
    }
    let id = w.next_env_id() + 1_000_000;
    let env_uuid = w.ids.uuid();
    let v = new_env(id, env_uuid.clone(), &body, Ts::now());
    w.app_envs_mut(i).push(v);
    json_response(StatusCode::CREATED, &json!({ "uuid": env_uuid }))
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
    let mut errors = Errors::default();
    validate_env(&body, &mut errors, "", true);
    errors.reject_unknown(&body, ENV_FIELDS);
    if !errors.is_empty() {
        return errors.response();
    }
    let key = body
        .get("key")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    let preview = body.get("is_preview").map(as_laravel_bool).unwrap_or(false);
    let now = Ts::now();
    let envs = w.app_envs_mut(i);
    let Some(v) = envs
        .iter_mut()
        .find(|v| v.key == key && v.is_preview == preview)
    else {
        return message(StatusCode::NOT_FOUND, "Environment variable not found.");
    };
    apply_env(v, &body, now);
    let v = v.clone();
    json_response(
        StatusCode::CREATED,
        &EnvVarView {
            v: &v,
            sensitive: ctx.sensitive,
        },
    )
}

pub(super) fn bulk_update(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Application not found");
    };
    let Some(Value::Array(items)) = body.get("data") else {
        return message(StatusCode::BAD_REQUEST, "Bulk data is required.");
    };
    let mut errors = Errors::default();
    let mut parsed = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        match item {
            Value::Object(m) => {
                validate_env(m, &mut errors, &format!("data.{n}."), true);
                for k in m.keys() {
                    if !ENV_FIELDS.contains(&k.as_str()) {
                        errors.add(&format!("data.{n}.{k}"), "This field is not allowed.");
                    }
                }
                parsed.push(m.clone());
            }
            _ => errors.add(&format!("data.{n}"), "The data item must be an object."),
        }
    }
    errors.reject_unknown(&body, &["data"]);
    if !errors.is_empty() {
        return errors.response();
    }
    let now = Ts::now();
    let mut touched = Vec::new();
    for item in parsed {
        let key = item
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string();
        let preview = item.get("is_preview").map(as_laravel_bool).unwrap_or(false);
        let existing = w
            .app_envs_mut(i)
            .iter()
            .position(|v| v.key == key && v.is_preview == preview);
        match existing {
            Some(p) => {
                let envs = w.app_envs_mut(i);
                apply_env(&mut envs[p], &item, now);
                touched.push(envs[p].clone());
            }
            None => {
                let id = w.next_env_id() + 1_000_000;
                let env_uuid = w.ids.uuid();
                let v = new_env(id, env_uuid, &item, now);
                touched.push(v.clone());
                w.app_envs_mut(i).push(v);
            }
        }
    }
    let items: Vec<EnvVarView<'_>> = touched
        .iter()
        .map(|v| EnvVarView {
            v,
            sensitive: ctx.sensitive,
        })
        .collect();
    json_response(StatusCode::CREATED, &items)
}

pub(super) fn delete(ctx: &Ctx<'_>, uuid: &str, env_uuid: &str) -> Response {
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return not_found();
    };
    let envs = w.app_envs_mut(i);
    let Some(p) = envs.iter().position(|v| v.uuid == env_uuid) else {
        return message(StatusCode::NOT_FOUND, "Environment variable not found.");
    };
    envs.remove(p);
    message(StatusCode::OK, "Environment variable deleted.")
}
