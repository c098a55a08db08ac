//! An application's env vars: create, update by key, bulk upsert and delete, as
//! `ApplicationsController` does them (the listing is in `attached`, shared with databases
//! and services).
//!
//! A key exists at most once among the variables and once among the preview copies; the
//! request's `is_preview` picks which. Creating a variable that is not a preview copy also
//! creates its preview copy, as the model's `created` hook does.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::applications::not_found;
use super::request::{Ctx, Errors, json_body, message, truthy};
use super::validation::Rule::{Format, Max, Nullable, Required, Str};
use super::validation::{BOOL, Field, STR_OR_NULL, env_key, names, validate};
use super::views::EnvVarView;
use crate::sim::http::json_response;
use crate::sim::ids::Ts;
use crate::sim::world::World;
use crate::sim::world::records::EnvVar;

/// The fields the env routes accept, with their rules (the same in the three controllers).
const ENV_FIELDS: &[Field] = &[
    ("key", &[Required, Str, Max(255), Format(env_key)]),
    ("value", STR_OR_NULL),
    ("is_preview", BOOL),
    ("is_literal", BOOL),
    ("is_multiline", BOOL),
    ("is_shown_once", BOOL),
    ("is_runtime", BOOL),
    ("is_buildtime", BOOL),
    ("comment", &[Str, Nullable, Max(256)]),
];

/// The validator's complaints about one variable; a whole request body's unknown fields
/// too (a bulk item's are dropped instead).
fn check(item: &Map<String, Value>, reject_unknown: bool) -> Errors {
    let mut errors = Errors::default();
    validate(item, ENV_FIELDS, &mut errors);
    if reject_unknown {
        errors.reject_unknown(item, &names(ENV_FIELDS));
    }
    errors
}

fn text(item: &Map<String, Value>, field: &str) -> Option<String> {
    item.get(field).and_then(Value::as_str).map(str::to_string)
}

/// The key and whether the preview copy is meant: what a variable is found by.
fn identity(item: &Map<String, Value>) -> (String, bool) {
    let key = text(item, "key").unwrap_or_default().trim().to_string();
    (key, truthy(item.get("is_preview")))
}

fn position(envs: &[EnvVar], (key, preview): &(String, bool)) -> Option<usize> {
    envs.iter()
        .position(|v| v.key == *key && v.is_preview == *preview)
}

/// An existing variable updated as both update routes do it: the value and `is_literal`,
/// `is_multiline`, `is_shown_once` are taken from the request even when it leaves them out
/// (then null and false); `is_runtime`, `is_buildtime` and `comment` only when it has them.
fn overwrite(v: &mut EnvVar, item: &Map<String, Value>, now: Ts) {
    v.value = text(item, "value");
    v.is_literal = truthy(item.get("is_literal"));
    v.is_multiline = truthy(item.get("is_multiline"));
    v.is_shown_once = truthy(item.get("is_shown_once"));
    if let Some(x) = item.get("is_runtime") {
        v.is_runtime = truthy(Some(x));
    }
    if let Some(x) = item.get("is_buildtime") {
        v.is_buildtime = truthy(Some(x));
    }
    if item.contains_key("comment") {
        v.comment = text(item, "comment");
    }
    v.updated_at = now;
}

/// A new variable of application `app` (flags false unless given, runtime and buildtime
/// true unless given), and, for one that is not a preview copy, its preview copy if the
/// key has none: same value, flags and comment, not shown once. Returns the new variable.
fn insert(w: &mut World, app: usize, item: &Map<String, Value>, now: Ts) -> EnvVar {
    let (key, preview) = identity(item);
    let flag = |field: &str, default: bool| item.get(field).map_or(default, |v| truthy(Some(v)));
    let v = EnvVar {
        id: w.next_env_id() + 1_000_000,
        uuid: w.ids.uuid(),
        key: key.clone(),
        value: text(item, "value"),
        is_preview: preview,
        is_literal: flag("is_literal", false),
        is_multiline: flag("is_multiline", false),
        is_shown_once: flag("is_shown_once", false),
        is_runtime: flag("is_runtime", true),
        is_buildtime: flag("is_buildtime", true),
        comment: text(item, "comment"),
        created_at: now,
        updated_at: now,
    };
    w.app_envs_mut(app).push(v.clone());
    if !preview && position(w.app_envs_mut(app), &(key, true)).is_none() {
        let copy = EnvVar {
            id: w.next_env_id() + 1_000_000,
            uuid: w.ids.uuid(),
            is_preview: true,
            is_shown_once: false,
            ..v.clone()
        };
        w.app_envs_mut(app).push(copy);
    }
    v
}

fn view<'a>(ctx: &Ctx<'_>, v: &'a EnvVar) -> EnvVarView<'a> {
    EnvVarView {
        v,
        sensitive: ctx.sensitive,
    }
}

/// `POST /applications/{uuid}/envs` → 201 `{uuid}`; 409 if the key exists (among the
/// preview copies when `is_preview`).
pub(super) fn create(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Application not found");
    };
    let errors = check(&body, true);
    if !errors.is_empty() {
        return errors.response();
    }
    if position(w.app_envs_mut(i), &identity(&body)).is_some() {
        return message(
            StatusCode::CONFLICT,
            "Environment variable already exists. Use PATCH request to update it.",
        );
    }
    let v = insert(&mut w, i, &body, Ts::now());
    json_response(StatusCode::CREATED, &json!({ "uuid": v.uuid }))
}

/// `PATCH /applications/{uuid}/envs`: the variable with the key (the preview copy when
/// `is_preview`) → 201 with it; 404 if there is none. `value` is not required (the
/// controller's rules, not the spec's).
pub(super) fn update(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Application not found");
    };
    let errors = check(&body, true);
    if !errors.is_empty() {
        return errors.response();
    }
    let envs = w.app_envs_mut(i);
    let Some(p) = position(envs, &identity(&body)) else {
        return message(StatusCode::NOT_FOUND, "Environment variable not found.");
    };
    overwrite(&mut envs[p], &body, Ts::now());
    json_response(StatusCode::CREATED, &view(ctx, &envs[p]))
}

/// The items of `data` as `collect($request->get('data'))` iterates them (a list's items,
/// an object's values, a single scalar), each cut down to the known fields (`->only()`; a
/// scalar has none). None when `data` is missing or falsy in PHP.
fn bulk_items(data: Option<&Value>) -> Option<Vec<Map<String, Value>>> {
    let items: Vec<&Value> = match data? {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => o.values().collect(),
        Value::Null | Value::Bool(false) => Vec::new(),
        Value::Number(n) if n.as_f64() == Some(0.0) => Vec::new(),
        Value::String(s) if s == "0" => Vec::new(),
        scalar => vec![scalar],
    };
    let known = names(ENV_FIELDS);
    let items: Vec<Map<String, Value>> = items
        .into_iter()
        .map(|item| {
            item.as_object()
                .map(|m| {
                    m.iter()
                        .filter(|(k, _)| known.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    (!items.is_empty()).then_some(items)
}

/// `PATCH /applications/{uuid}/envs/bulk` `{"data": [...]}`: each item in turn updates the
/// variable with its key (the preview copy when `is_preview`) or creates it; never deletes.
/// → 201 with the list of the items' variables (not the preview copies created along). An
/// invalid item answers 422 with its own errors (keys `key`, `value`, ...), and the items
/// before it stay saved, as on the real server.
pub(super) fn bulk_update(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let body = match json_body(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut w = ctx.shared.world_mut();
    let Some(i) = w.app_index(uuid) else {
        return message(StatusCode::NOT_FOUND, "Application not found");
    };
    let Some(items) = bulk_items(body.get("data")) else {
        return message(StatusCode::BAD_REQUEST, "Bulk data is required.");
    };
    let now = Ts::now();
    let mut touched = Vec::with_capacity(items.len());
    for item in &items {
        let errors = check(item, false);
        if !errors.is_empty() {
            return errors.response();
        }
        let v = match position(w.app_envs_mut(i), &identity(item)) {
            Some(p) => {
                let v = &mut w.app_envs_mut(i)[p];
                overwrite(v, item, now);
                v.clone()
            }
            None => insert(&mut w, i, item, now),
        };
        touched.push(v);
    }
    let views: Vec<EnvVarView<'_>> = touched.iter().map(|v| view(ctx, v)).collect();
    json_response(StatusCode::CREATED, &views)
}

/// `DELETE /applications/{uuid}/envs/{env_uuid}`: that one variable (its preview copy, a
/// variable of its own, stays).
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
