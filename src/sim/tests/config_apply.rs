//! What `pftui config apply` does to an application, against the simulator: PATCH its
//! settings and read them back, the 422s (and the other answers) Coolify gives to bad
//! values, bulk upserts of env vars with their flags and preview copies, deletes, and a
//! second apply of the same values changing nothing.

use super::*;

/// The settings `config apply` writes, in Coolify's names and types.
fn desired() -> Value {
    json!({
        "git_branch": "release/2.0",
        "domains": "https://next.air.pfcore.io",
        "build_pack": "dockerfile",
        "ports_exposes": "3000,9090",
        "install_command": "npm ci --omit=dev",
        "build_command": "npm run build",
        "start_command": "node server.js",
        "health_check_path": "/api/healthz",
        "health_check_interval": 30,
        "limits_memory": "768M",
        "limits_cpus": "0.5",
        "is_auto_deploy_enabled": false,
    })
}

/// Where an application read shows a PATCH field: `domains` as `fqdn`, the auto-deploy
/// switch under `settings`.
fn read_back<'a>(app: &'a Value, field: &str) -> &'a Value {
    match field {
        "domains" => &app["fqdn"],
        "is_auto_deploy_enabled" => &app["settings"][field],
        _ => &app[field],
    }
}

/// `v` without its `updated_at` keys, at any depth.
fn unstamped(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "updated_at")
                .map(|(k, x)| (k.clone(), unstamped(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(unstamped).collect()),
        other => other.clone(),
    }
}

/// The env var with this key among the variables or the preview copies.
fn env<'a>(envs: &'a Value, key: &str, preview: bool) -> Option<&'a Value> {
    envs.as_array()?
        .iter()
        .find(|v| v["key"] == key && v["is_preview"] == preview)
}

impl T {
    async fn uuid_of_app(&self, name: &str) -> String {
        uuid_of(&self.app(name).await)
    }

    async fn patch_app(&self, uuid: &str, body: Value) {
        let r = self
            .patch(&format!("/applications/{uuid}"), body.clone())
            .await;
        assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text);
        assert_eq!(r.json(), json!({ "uuid": uuid }));
    }

    async fn bulk(&self, uuid: &str, data: Value) -> Resp {
        self.patch(
            &format!("/applications/{uuid}/envs/bulk"),
            json!({ "data": data }),
        )
        .await
    }

    async fn envs(&self, uuid: &str) -> Value {
        self.ok(&format!("/applications/{uuid}/envs")).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_setting_is_patched_stored_and_read_back_in_the_specs_names_and_types() {
    let t = T::demo().await;
    let uuid = t.uuid_of_app("air-staging").await;
    let fields = desired();
    for (field, value) in fields.as_object().expect("object") {
        t.patch_app(&uuid, json!({ field: value })).await;
        let one = t.ok(&format!("/applications/{uuid}")).await;
        assert_eq!(read_back(&one, field), value, "GET after {field}");
        let listed = t.app("air-staging").await;
        assert_eq!(read_back(&listed, field), value, "the list after {field}");
    }
    let a = t.ok(&format!("/applications/{uuid}")).await;
    assert!(a["health_check_interval"].is_u64());
    assert!(a["settings"]["is_auto_deploy_enabled"].is_boolean());

    // What the server makes of some inputs: scheme and host lower-cased, URLs trimmed;
    // numeric text in an integer column; Laravel's booleans; strings trimmed and an empty
    // one null (its global middleware), which clears a command.
    t.patch_app(
        &uuid,
        json!({
            "domains": "HTTPS://Next.AIR.pfcore.io/App , https://www.next.air.pfcore.io",
            "health_check_interval": " 45 ",
            "is_auto_deploy_enabled": 1,
            "start_command": "  npm start  ",
            "install_command": "",
        }),
    )
    .await;
    let a = t.ok(&format!("/applications/{uuid}")).await;
    assert_eq!(
        a["fqdn"],
        "https://next.air.pfcore.io/App,https://www.next.air.pfcore.io"
    );
    assert_eq!(a["health_check_interval"], 45);
    assert_eq!(a["settings"]["is_auto_deploy_enabled"], true);
    assert_eq!(a["start_command"], "npm start");
    assert!(a.get("install_command").is_none(), "{a}");
    // The server does not check Docker's memory notation.
    t.patch_app(&uuid, json!({ "limits_memory": "lots" })).await;
    for pack in [
        "nixpacks",
        "static",
        "dockerfile",
        "railpack",
        "dockercompose",
    ] {
        t.patch_app(&uuid, json!({ "build_pack": pack })).await;
        assert_eq!(t.app("air-staging").await["build_pack"], pack);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_patch_of_the_same_values_changes_nothing() {
    let t = T::demo().await;
    let uuid = t.uuid_of_app("baiv-staging").await;
    t.patch_app(&uuid, desired()).await;
    let first = t.ok(&format!("/applications/{uuid}")).await;
    for (field, value) in desired().as_object().expect("object") {
        assert_eq!(read_back(&first, field), value, "{field}");
    }
    t.patch_app(&uuid, desired()).await;
    let second = t.ok(&format!("/applications/{uuid}")).await;
    assert_eq!(unstamped(&first), unstamped(&second));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_values_get_coolifys_answers_and_change_nothing() {
    let t = T::demo().await;
    let uuid = t.uuid_of_app("air-staging").await;
    let path = format!("/applications/{uuid}");
    let before = t.ok(&path).await;
    let field_errors = [
        (
            json!({"foo": 1}),
            json!({"foo": ["This field is not allowed."]}),
        ),
        (
            json!({"build_pack": "heroku"}),
            json!({"build_pack": ["The selected build pack is invalid."]}),
        ),
        (
            json!({"health_check_interval": "soon"}),
            json!({"health_check_interval": ["The health check interval field must be a number."]}),
        ),
        (
            json!({"health_check_interval": null}),
            json!({"health_check_interval": ["The health check interval field must be a number."]}),
        ),
        (
            json!({"limits_memory": 768}),
            json!({"limits_memory": ["The limits memory field must be a string."]}),
        ),
        (
            json!({"limits_cpus": 0.5}),
            json!({"limits_cpus": ["The limits cpus field must be a string."]}),
        ),
        (
            json!({"is_auto_deploy_enabled": "yes"}),
            json!({"is_auto_deploy_enabled": ["The is auto deploy enabled field must be true or false."]}),
        ),
        (
            json!({"git_branch": "feat;rm"}),
            json!({"git_branch": ["The git branch contains invalid characters."]}),
        ),
        (
            json!({"git_branch": "HEAD"}),
            json!({"git_branch": ["The git branch cannot be HEAD."]}),
        ),
        (
            json!({"install_command": "npm ci; rm -rf /"}),
            json!({"install_command": ["The install command field format is invalid."]}),
        ),
        (
            json!({"health_check_path": "/api/health?x=1"}),
            json!({"health_check_path": ["The health check path field format is invalid."]}),
        ),
        (
            json!({"ports_exposes": "3000 ,8080"}),
            json!({"ports_exposes": ["The ports exposes field format is invalid."]}),
        ),
        (
            json!({"build_pack": 7, "limits_cpus": 1, "bogus": true}),
            json!({
                "build_pack": ["The selected build pack is invalid."],
                "limits_cpus": ["The limits cpus field must be a string."],
                "bogus": ["This field is not allowed."],
            }),
        ),
        // The controller's own checks, each with its own shape of `errors`: one message
        // for `ports_exposes`, a bare list for the domains.
        (
            json!({"ports_exposes": "3000,web"}),
            json!({"ports_exposes": "The ports_exposes should be a comma separated list of numbers."}),
        ),
        (
            json!({"domains": "not a url, ftp://files.air.pfcore.io, https://ok.air.pfcore.io"}),
            json!([
                "Invalid URL: not a url",
                "Invalid URL: ftp://files.air.pfcore.io"
            ]),
        ),
        (
            json!({"domains": 5}),
            json!(["The domains field must be a string."]),
        ),
    ];
    for (body, errors) in field_errors {
        let r = t.patch(&path, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert_eq!(
            r.json(),
            json!({"message": "Validation failed.", "errors": errors}),
            "{body}"
        );
    }
    // A number that passes `numeric` but no integer column takes.
    let r = t.patch(&path, json!({"health_check_interval": 30.5})).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.json(), json!({"message": "Server Error"}));
    // Another application's URL.
    let r = t
        .patch(&path, json!({"domains": "https://air.pfcore.io/"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let v = r.json();
    assert_eq!(v["conflicts"][0]["domain"], "https://air.pfcore.io");
    assert_eq!(v["conflicts"][0]["resource_name"], "air-prod");
    assert_eq!(
        v["conflicts"][0]["message"],
        "Domain https://air.pfcore.io is already in use by application 'air-prod'"
    );
    assert_404(
        &t.patch("/applications/nope", json!({"git_branch": "main"}))
            .await,
        "Application not found",
    );
    assert_eq!(t.ok(&path).await, before, "nothing changed");

    // A compose application takes no `domains`.
    t.patch_app(&uuid, json!({"build_pack": "dockercompose"}))
        .await;
    let r = t
        .patch(&path, json!({"domains": "https://next.air.pfcore.io"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"],
        json!({"domains": "The domains field cannot be used for dockercompose applications. Use docker_compose_domains instead to set domains for individual services."})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_upserts_keep_preview_copies_apart_and_store_the_flags() {
    let t = T::demo().await;
    let uuid = t.uuid_of_app("w4m-staging").await;
    let old = t.envs(&uuid).await;
    let node_env = env(&old, "NODE_ENV", false).expect("NODE_ENV")["uuid"].clone();
    let flags = |preview: bool, literal: bool, multiline: bool, once: bool| json!({"is_preview": preview, "is_literal": literal, "is_multiline": multiline, "is_shown_once": once});
    let item = |key: &str, value: &str, flags: Value| {
        let mut v = flags;
        v["key"] = json!(key);
        v["value"] = json!(value);
        v
    };
    let data = json!([
        item("NODE_ENV", "staging", flags(false, false, false, false)),
        item(
            "FEATURE_FLAGS",
            "{\n  \"sos\": true\n}",
            flags(false, true, true, false)
        ),
        item("FEATURE_FLAGS", "{}", flags(true, true, true, false)),
        item("API_SECRET", "s3cr3t", flags(false, false, false, true)),
        item("PADDED", "  x  ", flags(false, false, false, false)),
    ]);
    let r = t.bulk(&uuid, data.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let answered = r.json();
    let list = answered.as_array().expect("a list");
    assert_eq!(list.len(), 5);
    for (got, sent) in list.iter().zip(data.as_array().expect("list")) {
        assert_eq!(got["key"], sent["key"]);
        assert_eq!(got["is_preview"], sent["is_preview"]);
        assert_eq!(got["is_shown_once"], sent["is_shown_once"]);
    }
    assert!(list[3].get("value").is_none(), "shown once: {}", list[3]);
    assert_eq!(list[0]["uuid"], node_env, "updated in place");

    let envs = t.envs(&uuid).await;
    let get = |key: &str, preview: bool| {
        env(&envs, key, preview)
            .unwrap_or_else(|| panic!("{key} (preview {preview}) in {envs}"))
            .clone()
    };
    assert_eq!(get("NODE_ENV", false)["value"], "staging");
    let flags_var = get("FEATURE_FLAGS", false);
    assert_eq!(flags_var["value"], "{\n  \"sos\": true\n}");
    assert_eq!(flags_var["is_literal"], true);
    assert_eq!(flags_var["is_multiline"], true);
    assert_eq!(get("FEATURE_FLAGS", true)["value"], "{}");
    let secret = get("API_SECRET", false);
    assert_eq!(secret["is_shown_once"], true);
    assert!(secret.get("value").is_none() && secret.get("real_value").is_none());
    // A new variable gets its preview copy (the model's `created` hook): same value, not
    // shown once.
    let copy = get("API_SECRET", true);
    assert_eq!(copy["is_shown_once"], false);
    assert_eq!(copy["value"], "s3cr3t");
    // The middleware trims strings.
    assert_eq!(get("PADDED", false)["value"], "x");
    for v in envs.as_array().expect("list") {
        let same = envs
            .as_array()
            .expect("list")
            .iter()
            .filter(|w| w["key"] == v["key"] && w["is_preview"] == v["is_preview"])
            .count();
        assert_eq!(same, 1, "{} once per is_preview", v["key"]);
    }

    // The same request again changes nothing.
    let r = t.bulk(&uuid, data).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(unstamped(&t.envs(&uuid).await), unstamped(&envs));

    // An update takes the flags it leaves out as false.
    let r = t
        .bulk(&uuid, json!([{"key": "FEATURE_FLAGS", "value": "{}"}]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let v = &r.json()[0];
    assert_eq!(
        (&v["is_literal"], &v["is_multiline"]),
        (&json!(false), &json!(false))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_errors_answer_for_the_first_bad_item() {
    let t = T::demo().await;
    let uuid = t.uuid_of_app("w4m-staging").await;
    for data in [json!([]), json!(null), json!("0")] {
        let r = t.bulk(&uuid, data).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json(), json!({"message": "Bulk data is required."}));
    }
    let cases = [
        (
            json!([{"value": "x"}]),
            json!({"key": ["This field is required."]}),
        ),
        (
            json!([{"key": "9LIVES", "value": "x"}]),
            json!({"key": ["The key field format is invalid."]}),
        ),
        (
            json!([{"key": "OK", "value": 5, "is_literal": "yes"}]),
            json!({
                "value": ["The value field must be a string."],
                "is_literal": ["The is literal field must be true or false."],
            }),
        ),
    ];
    for (data, errors) in cases {
        let r = t.bulk(&uuid, data.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{data}");
        assert_eq!(
            r.json(),
            json!({"message": "Validation failed.", "errors": errors}),
            "{data}"
        );
    }
    // Items are saved one by one: those before the bad one stay.
    let r = t
        .bulk(
            &uuid,
            json!([{"key": "SAVED_FIRST", "value": "1"}, {"key": "bad key", "value": "2"}]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(env(&t.envs(&uuid).await, "SAVED_FIRST", false).is_some());
    // An item's unknown fields are dropped, not refused.
    let r = t
        .bulk(
            &uuid,
            json!([{"key": "EXTRA", "value": "1", "bogus": true}]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_404(
        &t.bulk("nope", json!([{"key": "A", "value": "1"}])).await,
        "Application not found",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_one_variable_by_uuid() {
    let t = T::demo().await;
    let uuid = t.uuid_of_app("w4m-staging").await;
    let r = t
        .post(
            &format!("/applications/{uuid}/envs"),
            Some(json!({"key": "TO_DROP", "value": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let created = r.json()["uuid"].as_str().expect("uuid").to_string();
    let envs = t.envs(&uuid).await;
    assert_eq!(
        env(&envs, "TO_DROP", false).expect("listed")["uuid"],
        created
    );
    assert!(
        env(&envs, "TO_DROP", true).is_some(),
        "with its preview copy"
    );
    let token = t.sim.token().to_string();
    let delete = |path: String| {
        let token = token.clone();
        let t = &t;
        async move { t.req(Method::DELETE, &path, Some(&token), None).await }
    };
    let r = delete(format!("/applications/{uuid}/envs/{created}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json(),
        json!({"message": "Environment variable deleted."})
    );
    let envs = t.envs(&uuid).await;
    assert!(env(&envs, "TO_DROP", false).is_none());
    assert!(
        env(&envs, "TO_DROP", true).is_some(),
        "the preview copy is a variable of its own"
    );
    assert_404(
        &delete(format!("/applications/{uuid}/envs/{created}")).await,
        "Environment variable not found.",
    );
    assert_404(
        &delete(format!("/applications/nope/envs/{created}")).await,
        "Application not found.",
    );
}
