//! The Coolify API's surface: health and version, auth and abilities, sensitive fields,
//! error shapes, and the routes that depend on the server's version.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_version_and_exports() {
    let t = T::demo().await;
    for p in ["/api/health", "/api/v1/health"] {
        let r = t.req(Method::GET, p, None, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.text, "OK");
        assert!(
            r.header("content-type")
                .unwrap_or("")
                .starts_with("text/html")
        );
    }
    let r = t.get("/version").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text, "4.3.11");
    assert!(
        r.header("content-type")
            .unwrap_or("")
            .starts_with("text/html")
    );
    let port = t.sim.addr().port();
    assert_eq!(t.sim.coolify_url(), format!("http://127.0.0.1:{port}"));
    assert_eq!(
        t.sim.github_url(),
        format!("http://127.0.0.1:{port}/github")
    );
    assert_eq!(
        t.sim.exports(),
        format!(
            "export COOLIFY_BASE_URL=http://127.0.0.1:{port}\nexport COOLIFY_API_TOKEN='1|pftui-sim-root-token'\nexport GITHUB_API_URL=http://127.0.0.1:{port}/github\nexport GITHUB_TOKEN=ghp_pftuiSimulatorToken\nexport PFTUI_HEALTH_VIA=http://127.0.0.1:{port}/_sim/health\n"
        )
    );
    assert_eq!(
        t.sim.health_base(),
        format!("http://127.0.0.1:{port}/_sim/health")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_abilities_and_api_switch() {
    let t = T::demo().await;
    let r = t.req(Method::GET, "/applications", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json(), json!({"message": "Unauthenticated."}));
    let r = t
        .req(Method::GET, "/applications", Some("9|nope"), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let c = t.sim.control();
    c.add_token("2|reader", &["read"]);
    c.add_token("3|deployer", &["deploy"]);
    let r = t
        .req(Method::POST, "/deploy?tag=dev", Some("2|reader"), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        r.json(),
        json!({"message": "Missing required permissions: deploy"})
    );
    let r = t
        .req(Method::GET, "/applications", Some("3|deployer"), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        r.json(),
        json!({"message": "Missing required permissions: read"})
    );

    c.set_api_enabled(false);
    let r = t.get("/projects").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        r.json(),
        json!({"success": true, "message": "API is disabled."})
    );
    c.set_api_enabled(true);
    assert_eq!(t.get("/projects").await.status, StatusCode::OK);

    // The same controls over HTTP.
    let r = t
        .req(
            Method::POST,
            "/_sim/api",
            None,
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(t.get("/projects").await.status, StatusCode::FORBIDDEN);
    t.req(
        Method::POST,
        "/_sim/api",
        None,
        Some(json!({"enabled": true})),
    )
    .await;
    let r = t
        .req(
            Method::POST,
            "/_sim/tokens",
            None,
            Some(json!({"token": "4|http", "abilities": ["read"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        t.req(Method::GET, "/projects", Some("4|http"), None)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sensitive_fields_need_read_sensitive() {
    let t = T::demo().await;
    let c = t.sim.control();
    c.add_token("2|reader", &["read"]);
    c.add_token("5|auditor", &["read", "read:sensitive"]);
    let app = t.app("air-prod").await;
    let uuid = app["uuid"].as_str().expect("uuid");
    assert!(
        app.get("manual_webhook_secret_github").is_some(),
        "root sees secrets"
    );
    assert!(app.get("id").is_none(), "top-level applications hide id");

    let r = t
        .req(
            Method::GET,
            &format!("/applications/{uuid}"),
            Some("2|reader"),
            None,
        )
        .await;
    let plain = r.json();
    assert_eq!(plain["name"], "air-prod");
    for k in [
        "manual_webhook_secret_github",
        "custom_labels",
        "dockerfile",
        "private_key_id",
    ] {
        assert!(plain.get(k).is_none(), "{k} leaked to a read-only token");
    }
    let envs = t
        .req(
            Method::GET,
            &format!("/applications/{uuid}/envs"),
            Some("2|reader"),
            None,
        )
        .await
        .json();
    let envs = envs.as_array().expect("env list");
    assert!(!envs.is_empty());
    assert!(
        envs.iter()
            .all(|e| e.get("value").is_none() && e.get("real_value").is_none())
    );
    let envs = t.ok(&format!("/applications/{uuid}/envs")).await;
    let envs = envs.as_array().expect("env list");
    let node = envs
        .iter()
        .find(|e| e["key"] == "NODE_ENV")
        .expect("NODE_ENV");
    assert_eq!(node["value"], "production");
    let once = envs
        .iter()
        .find(|e| e["key"] == "SUPABASE_SERVICE_ROLE_KEY")
        .expect("service key");
    assert!(
        once.get("value").is_none(),
        "shown-once values are never returned"
    );

    let history = t
        .req(
            Method::GET,
            &format!("/deployments/applications/{uuid}"),
            Some("2|reader"),
            None,
        )
        .await
        .json();
    let dep = history["deployments"][0]["deployment_uuid"]
        .as_str()
        .expect("uuid");
    assert!(history["deployments"][0].get("logs").is_none());
    let one = t
        .req(
            Method::GET,
            &format!("/deployments/{dep}"),
            Some("2|reader"),
            None,
        )
        .await
        .json();
    assert!(one.get("logs").is_none());
    let one = t
        .req(
            Method::GET,
            &format!("/deployments/{dep}"),
            Some("5|auditor"),
            None,
        )
        .await
        .json();
    assert!(!logs_of(&one).is_empty());
    let servers = t
        .req(Method::GET, "/servers", Some("2|reader"), None)
        .await
        .json();
    assert!(servers[0]["settings"].get("sentinel_token").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_shapes() {
    let t = T::demo().await;
    let r = t.get("/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.json(),
        json!({"message": "Not found.", "docs": "https://coolify.io/docs"})
    );
    let r = t.req(Method::GET, "/nope", None, None).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "unknown routes answer before auth"
    );
    for (path, msg) in [
        ("/applications/x", "Application not found."),
        ("/deployments/x", "Deployment not found."),
        ("/servers/x", "Server not found."),
        ("/projects/x", "Project not found."),
        ("/databases/x", "Database not found."),
        ("/services/x", "Service not found."),
    ] {
        let r = t.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.json(), json!({ "message": msg }), "{path}");
    }
    let uuid = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let dep = t.ok(&format!("/deployments/applications/{uuid}")).await["deployments"][0]["deployment_uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let server = t.ok("/servers").await[0]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let db = t.ok("/databases").await[0]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    for path in [
        "/deploy".to_string(),
        format!("/applications/{uuid}/start"),
        format!("/applications/{uuid}/stop"),
        format!("/applications/{uuid}/restart"),
        format!("/applications/{uuid}/rollback"),
        format!("/deployments/{dep}/cancel"),
        format!("/servers/{server}/validate"),
        format!("/databases/{db}/start"),
    ] {
        let r = t.get(&path).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(r.header("allow"), Some("POST"));
        assert_eq!(
            r.json(),
            json!({"message": "This endpoint has changed to a POST request."})
        );
    }
    let r = t.post(&format!("/servers/{server}/validate"), None).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json(), json!({"message": "Validation started."}));

    // Validation.
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"foo": 1, "name": 7}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = r.json();
    assert_eq!(v["message"], "Validation failed.");
    assert_eq!(v["errors"]["foo"], json!(["This field is not allowed."]));
    assert!(v["errors"]["name"].is_array());
    let token = t.sim.token().to_string();
    let r = t
        .http
        .patch(t.url(&format!("/applications/{uuid}")))
        .bearer_auth(&token)
        .header("Content-Type", "text/plain")
        .body("name=x")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json::<Value>().await.expect("json"),
        json!({"message": "Invalid request.", "error": "Content-Type must be application/json."})
    );
    for (body, error) in [("{not json", "Invalid JSON."), ("{}", "Empty JSON.")] {
        let r = t
            .http
            .patch(t.url(&format!("/applications/{uuid}")))
            .bearer_auth(&token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert_eq!(r.json::<Value>().await.expect("json")["error"], error);
    }
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"git_commit_sha": "abc123", "domains": "https://dev2.air.pfcore.io", "docker_images_to_keep": 4}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json(), json!({ "uuid": uuid }));
    let a = t.ok(&format!("/applications/{uuid}")).await;
    assert_eq!(a["git_commit_sha"], "abc123");
    assert_eq!(a["fqdn"], "https://dev2.air.pfcore.io");
    assert_eq!(a["settings"]["docker_images_to_keep"], 4);
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"domains": "https://air.pfcore.io"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Conflicts.
    let air = t.ok("/projects").await[0]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let r = t
        .post(
            &format!("/projects/{air}/environments"),
            Some(json!({"name": "dev"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json(),
        json!({"message": "Environment with this name already exists."})
    );
    let r = t
        .post(
            &format!("/projects/{air}/environments"),
            Some(json!({"name": "qa"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = t
        .post(
            &format!("/applications/{uuid}/envs"),
            Some(json!({"key": "NODE_ENV", "value": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = t
        .post(
            &format!("/applications/{uuid}/envs"),
            Some(json!({"key": "FEATURE_X", "value": "on", "bogus": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post(
            &format!("/applications/{uuid}/envs"),
            Some(json!({"key": "FEATURE_X", "value": "on"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let env_uuid = r.json()["uuid"].as_str().expect("uuid").to_string();
    let r = t
        .patch(
            &format!("/applications/{uuid}/envs"),
            json!({"key": "FEATURE_X", "value": "off"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["value"], "off");
    let r = t
        .patch(
            &format!("/applications/{uuid}/envs/bulk"),
            json!({"data": [{"key": "FEATURE_X", "value": "on"}, {"key": "NEW_ONE", "value": "1"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json().as_array().map(Vec::len), Some(2));
    let r = t
        .req(
            Method::DELETE,
            &format!("/applications/{uuid}/envs/{env_uuid}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"message": "Environment variable deleted."})
    );
    let r = t
        .post(
            "/projects",
            Some(json!({"name": "Sandbox", "description": "scratch"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = t
        .post("/projects", Some(json!({"description": "no name"})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.post("/deploy", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json(),
        json!({"message": "You must provide uuid or tag."})
    );
    let r = t.post("/deploy?uuid=nothing", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json(), json!({"message": "No resources found."}));
    let r = t.post(&format!("/databases/{db}/start"), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json(), json!({"message": "Database is already running."}));
    let w4m_dev = t.app("w4m-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let r = t.get(&format!("/applications/{w4m_dev}/logs")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json(), json!({"message": "Application is not running."}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_servers_have_no_rollback_endpoints() {
    let t = T::demo().await;
    let uuid = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let not_found = json!({"message": "Not found.", "docs": "https://coolify.io/docs"});
    t.sim.control().set_version("4.2.5");
    let r = t.get("/version").await;
    assert_eq!(r.text, "4.2.5");
    let r = t
        .get(&format!("/applications/{uuid}/rollback-images"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json(), not_found);
    let r = t
        .post(
            &format!("/applications/{uuid}/rollback"),
            Some(json!({"commit": "abc"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json(), not_found);
    // Over HTTP; a beta of 4.0.0 is older than 4.3.0, 4.3.0 itself is new enough.
    let r = t
        .req(
            Method::POST,
            "/_sim/version",
            None,
            Some(json!({"version": "4.0.0-beta.420"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(t.get("/version").await.text, "4.0.0-beta.420");
    assert_eq!(
        t.get(&format!("/applications/{uuid}/rollback-images"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .req(
            Method::POST,
            "/_sim/version",
            None,
            Some(json!({"version": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    t.sim.control().set_version("4.3.0");
    assert_eq!(
        t.get(&format!("/applications/{uuid}/rollback-images"))
            .await
            .status,
        StatusCode::OK
    );
}
