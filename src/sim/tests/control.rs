//! The `/_sim/` controls: faults, the rate limit, closing and reopening the listener, the
//! simulated applications' health endpoints and big logs.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_injection() {
    let t = T::demo().await;
    let c = t.sim.control();
    c.inject_fault(Fault {
        method: Some("GET".into()),
        path_prefix: "/api/v1/projects".into(),
        times: Some(1),
        kind: FaultKind::Respond {
            status: 502,
            content_type: "text/html".into(),
            body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>".into(),
            headers: vec![("Server".into(), "nginx".into())],
        },
    });
    let r = t.get("/projects").await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    assert!(r.text.contains("502 Bad Gateway"));
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert_eq!(r.header("server"), Some("nginx"));
    assert_eq!(t.get("/projects").await.status, StatusCode::OK, "only once");

    // Over HTTP: garbage JSON on a 200, for any method, twice.
    let r = t
        .req(
            Method::POST,
            "/_sim/faults",
            None,
            Some(json!({"path_prefix": "/api/v1/applications", "times": 2, "status": 200, "body": "{\"uuid\": "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for _ in 0..2 {
        let r = t.get("/applications").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(serde_json::from_str::<Value>(&r.text).is_err());
    }
    assert!(serde_json::from_str::<Value>(&t.get("/applications").await.text).is_ok());

    // A delay long enough for a client timeout.
    c.inject_fault(Fault {
        method: None,
        path_prefix: "/api/v1/servers".into(),
        times: None,
        kind: FaultKind::Delay(Duration::from_secs(5)),
    });
    let err = t
        .http
        .get(t.url("/servers"))
        .bearer_auth(t.sim.token())
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout());
    let r = t.req(Method::DELETE, "/_sim/faults", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(t.get("/servers").await.status, StatusCode::OK);
    c.clear_faults();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_is_off_by_default_and_settable() {
    let t = T::demo().await;
    let r = t.get("/projects").await;
    assert!(r.header("x-ratelimit-limit").is_none());
    t.sim.control().set_rate_limit(Some(3));
    for left in ["2", "1", "0"] {
        let r = t.get("/projects").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(r.header("x-ratelimit-remaining"), Some(left));
    }
    let r = t.get("/projects").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("retry-after").is_some());
    let r = t
        .req(
            Method::POST,
            "/_sim/rate-limit",
            None,
            Some(json!({"per_minute": null})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(t.get("/projects").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_and_resume_listening_keep_the_world() {
    let t = T::demo().await;
    let r = t.post("/projects", Some(json!({"name": "Kept"}))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    t.sim.stop_listening().await;
    // A fresh client: a pooled keep-alive connection would fail differently.
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client");
    let err = fresh
        .get(t.url("/projects"))
        .bearer_auth(t.sim.token())
        .send()
        .await
        .expect_err("refused");
    assert!(err.is_connect(), "{err:?}");
    t.sim.resume_listening().await.expect("rebinds");
    let projects = t.ok("/projects").await;
    assert!(names(&projects).contains(&"Kept".to_string()));
    t.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulated_apps_answer_their_health_checks() {
    let t = T::demo().await;
    let health = |path: &str| {
        let url = format!("{}/{path}", t.sim.health_base());
        let http = t.http.clone();
        async move {
            let r = http.get(url).send().await.expect("request");
            let status = r.status();
            let text = r.text().await.expect("body");
            (status, text)
        }
    };
    let app = t.app("air-staging").await;
    assert_eq!(app["status"], "running:healthy");
    let (status, text) = health("staging.air.pfcore.io/api/health").await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let body: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(body["status"], "ok");
    assert_eq!(
        body["commit"],
        t.head("pfcore/pf-air", "staging").await.as_str()
    );
    // The host is case-insensitive and may carry a port; baiv.io is baiv-prod's domain.
    assert_eq!(
        health("Staging.AIR.pfcore.io:443/api/health").await.0,
        StatusCode::OK
    );
    assert_eq!(health("baiv.io/api/health").await.0, StatusCode::OK);
    // baiv-dev has no Coolify health check: running is enough.
    assert_eq!(t.app("baiv-dev").await["status"], "running:unknown");
    assert_eq!(
        health("dev.baiv.pfcore.io/api/health").await.0,
        StatusCode::OK
    );
    // w4m-dev is stopped.
    let (status, text) = health("dev.w4m.pfcore.io/api/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!text.is_empty());
    let (status, _) = health("nowhere.pfcore.io/api/health").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A deployment that finishes but leaves the app unhealthy.
    let c = t.sim.control();
    assert!(c.fail_next_health("air-staging"));
    assert!(!c.fail_next_health("nope"));
    let uuid = app["uuid"].as_str().expect("uuid");
    let dep = t.deploy(uuid, true).await;
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "finished");
    assert_eq!(t.app("air-staging").await["status"], "running:unhealthy");
    let (status, text) = health("staging.air.pfcore.io/api/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(body["status"], "error");
    // The next run heals it.
    let dep = t.deploy(uuid, true).await;
    assert_eq!(t.wait(&dep).await["status"], "finished");
    assert_eq!(
        health("staging.air.pfcore.io/api/health").await.0,
        StatusCode::OK
    );

    // Over HTTP, and faults reach the health endpoints.
    let r = t
        .req(
            Method::POST,
            "/_sim/fail-health",
            None,
            Some(json!({"application": "nope"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .req(
            Method::POST,
            "/_sim/fail-health",
            None,
            Some(json!({"application": "air-staging"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    c.inject_fault(Fault {
        method: None,
        path_prefix: "/_sim/health/staging.air.pfcore.io".into(),
        times: Some(1),
        kind: FaultKind::Respond {
            status: 502,
            content_type: "text/plain".into(),
            body: "Bad Gateway".into(),
            headers: Vec::new(),
        },
    });
    assert_eq!(
        health("staging.air.pfcore.io/api/health").await.0,
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(
        health("staging.air.pfcore.io/api/health").await.0,
        StatusCode::OK
    );
    assert!(
        !t.sim
            .control()
            .requests()
            .iter()
            .any(|(_, p)| p.starts_with("/_sim")),
        "health checks are not API requests"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn big_logs_for_measuring() {
    let t = T::demo().await;
    let big = |body: Value| {
        let t = &t;
        async move { t.req(Method::POST, "/_sim/big-log", None, Some(body)).await }
    };
    // Finished at once, with every entry, as the application's latest deployment.
    let r = big(json!({"application": "air-dev", "lines": 2500})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let uuid = r.json()["deployment_uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let d = t.ok(&format!("/deployments/{uuid}")).await;
    assert_eq!(d["status"], "finished");
    let entries = logs_of(&d);
    assert_eq!(entries.len(), 2500);
    let orders: Vec<u64> = entries
        .iter()
        .map(|e| e["order"].as_u64().unwrap())
        .collect();
    assert_eq!(orders, (1..=2500).collect::<Vec<u64>>());
    assert!(entries.iter().all(|e| {
        e["output"].as_str().is_some_and(|o| !o.contains('\n'))
            && e["command"].is_string()
            && e["hidden"] == false
    }));
    assert!(entries.iter().any(|e| e["type"] == "stderr"));
    let app = t.app("air-dev").await;
    let history = t
        .ok(&format!(
            "/deployments/applications/{}?skip=0&take=1",
            app["uuid"].as_str().unwrap()
        ))
        .await;
    assert_eq!(history["deployments"][0]["deployment_uuid"], uuid.as_str());

    // Growing: in progress with part of the log, then all of it and finished.
    let r = big(json!({"application": "air-dev", "lines": 1000, "seconds": 0.5})).await;
    let uuid = r.json()["deployment_uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let d = t.ok(&format!("/deployments/{uuid}")).await;
    let first = logs_of(&d).len();
    assert!(first < 1000, "only part of the log at first ({first})");
    let d = t
        .wait_for(&format!("/deployments/{uuid}"), |d| {
            d["status"] == "finished"
        })
        .await;
    assert_eq!(logs_of(&d).len(), 1000);
    assert!(d["finished_at"].is_string());

    // Mistakes.
    let r = big(json!({"application": "nope", "lines": 10})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = big(json!({"application": "air-dev", "lines": 0})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = big(json!({"application": "air-dev"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
