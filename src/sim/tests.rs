//! The simulators driven over HTTP, as a client would.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Fault, FaultKind, SimConfig, SimHandle, start};

const FAST: f64 = 400.0;

struct T {
    sim: SimHandle,
    http: reqwest::Client,
}

struct Resp {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl T {
    async fn new(config: SimConfig) -> T {
        let sim = start(config).await.expect("simulator starts");
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        T { sim, http }
    }

    async fn demo() -> T {
        T::new(SimConfig {
            speed: FAST,
            ..SimConfig::default()
        })
        .await
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("/api") || path.starts_with("/_sim") || path.starts_with("/github") {
            format!("{}{}", self.sim.coolify_url(), path)
        } else {
            format!("{}/api/v1{}", self.sim.coolify_url(), path)
        }
    }

    async fn req(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut rb = self
            .http
            .request(method, self.url(path))
            .header("Accept", "application/json");
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.expect("body");
        Resp {
            status,
            headers,
            text,
        }
    }

    async fn get(&self, path: &str) -> Resp {
        let token = self.sim.token().to_string();
        self.req(Method::GET, path, Some(&token), None).await
    }

    async fn ok(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.text);
        r.json()
    }

    async fn post(&self, path: &str, body: Option<Value>) -> Resp {
        let token = self.sim.token().to_string();
        self.req(Method::POST, path, Some(&token), body).await
    }

    async fn patch(&self, path: &str, body: Value) -> Resp {
        let token = self.sim.token().to_string();
        self.req(Method::PATCH, path, Some(&token), Some(body))
            .await
    }

    /// A GitHub API request with the simulator's token and a User-Agent.
    async fn gh(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut rb = self
            .http
            .request(method, format!("{}{path}", self.sim.github_url()))
            .bearer_auth(self.sim.github_token())
            .header("User-Agent", "pftui-test")
            .header("Accept", "application/vnd.github+json");
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.expect("body");
        Resp {
            status,
            headers,
            text,
        }
    }

    async fn gh_ok(&self, path: &str) -> Value {
        let r = self.gh(Method::GET, path, None).await;
        assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.text);
        r.json()
    }

    async fn head(&self, repo: &str, branch: &str) -> String {
        self.sim
            .control()
            .branch_head(repo, branch)
            .unwrap_or_else(|| panic!("no branch {branch} in {repo}"))
    }

    /// Deployment uuids of an application, newest first.
    async fn history(&self, name: &str) -> Vec<Value> {
        let uuid = self.app(name).await["uuid"]
            .as_str()
            .expect("uuid")
            .to_string();
        let h = self
            .ok(&format!("/deployments/applications/{uuid}?take=100"))
            .await;
        h["deployments"].as_array().cloned().unwrap_or_default()
    }

    async fn app(&self, name: &str) -> Value {
        let apps = self.ok("/applications").await;
        apps.as_array()
            .and_then(|a| a.iter().find(|x| x["name"] == name).cloned())
            .unwrap_or_else(|| panic!("no application {name}"))
    }

    async fn deploy(&self, uuid: &str, force: bool) -> String {
        let r = self
            .post(&format!("/deploy?uuid={uuid}&force={force}"), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let v = r.json();
        v["deployments"][0]["deployment_uuid"]
            .as_str()
            .expect("deployment uuid")
            .to_string()
    }

    /// Poll the deployment until its status is final.
    async fn wait(&self, uuid: &str) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let d = self.ok(&format!("/deployments/{uuid}")).await;
            let status = d["status"].as_str().unwrap_or_default().to_string();
            if ["finished", "failed", "cancelled-by-user"].contains(&status.as_str()) {
                return d;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "deployment {uuid} still {status}"
            );
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    }

    /// Poll until `f` holds for the JSON at `path`.
    async fn wait_for(&self, path: &str, f: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let v = self.ok(path).await;
            if f(&v) {
                return v;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out on {path}: {v}"
            );
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    }
}

fn logs_of(d: &Value) -> Vec<Value> {
    let s = d["logs"].as_str().expect("logs is a string");
    match serde_json::from_str::<Value>(s).expect("logs string holds JSON") {
        Value::Array(a) => a,
        other => panic!("logs is not an array: {other}"),
    }
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

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
async fn demo_data_set_shape() {
    let t = T::demo().await;
    let projects = t.ok("/projects").await;
    assert_eq!(names(&projects), ["AIR", "BAIV", "W4M"]);
    for p in projects.as_array().expect("projects") {
        let uuid = p["uuid"].as_str().expect("uuid");
        assert_eq!(uuid.len(), 24);
        let detail = t.ok(&format!("/projects/{uuid}")).await;
        assert_eq!(names(&detail["environments"]), ["dev", "staging", "prod"]);
        let envs = t.ok(&format!("/projects/{uuid}/environments")).await;
        assert_eq!(names(&envs), ["dev", "staging", "prod"]);
    }
    let air = projects[0]["uuid"].as_str().expect("uuid");
    let prod = t.ok(&format!("/projects/{air}/prod")).await;
    assert_eq!(names(&prod["applications"]), ["air-prod"]);
    assert_eq!(names(&prod["postgresqls"]), ["air-postgres"]);
    for k in ["redis", "mongodbs", "mysqls", "mariadbs", "services"] {
        assert!(prod[k].is_array(), "{k}");
    }
    let by_uuid = t
        .ok(&format!(
            "/projects/{air}/{}",
            prod["uuid"].as_str().expect("uuid")
        ))
        .await;
    assert_eq!(by_uuid["name"], "prod");

    let apps = t.ok("/applications").await;
    let mut got = names(&apps);
    got.sort();
    assert_eq!(
        got,
        [
            "air-dev",
            "air-prod",
            "air-staging",
            "baiv-dev",
            "baiv-prod",
            "baiv-staging",
            "w4m-dev",
            "w4m-prod",
            "w4m-staging"
        ]
    );
    let expect = [
        ("air-dev", "https://dev.air.pfcore.io", "develop", true),
        (
            "air-staging",
            "https://staging.air.pfcore.io",
            "staging",
            true,
        ),
        ("air-prod", "https://air.pfcore.io", "main", false),
        ("baiv-prod", "https://baiv.io", "main", false),
        ("w4m-prod", "https://w4m.pfcore.io", "main", false),
        (
            "w4m-staging",
            "https://staging.w4m.pfcore.io",
            "staging",
            true,
        ),
    ];
    for (name, fqdn, branch, auto) in expect {
        let a = t.app(name).await;
        assert_eq!(a["fqdn"], fqdn, "{name}");
        assert_eq!(a["git_branch"], branch, "{name}");
        assert_eq!(a["settings"]["is_auto_deploy_enabled"], auto, "{name}");
        assert_eq!(a["build_pack"], "nixpacks");
        assert_eq!(a["git_commit_sha"], "HEAD");
        assert_eq!(a["ports_exposes"], "3000");
        assert_eq!(a["health_check_path"], "/api/health");
        assert!(
            a["git_repository"]
                .as_str()
                .unwrap_or("")
                .starts_with("pfcore/pf-")
        );
        assert!(a["environment_id"].is_u64() && a["destination_id"].is_u64());
        assert_eq!(a["destination"]["server"]["name"], "pfcore-main");
        assert!(a["description"].as_str().unwrap_or("").contains("Next.js"));
    }
    let statuses: Vec<String> = apps
        .as_array()
        .expect("apps")
        .iter()
        .map(|a| a["status"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(statuses.iter().filter(|s| *s == "running:healthy").count() >= 6);
    assert!(statuses.contains(&"exited:unhealthy".to_string()));
    assert!(statuses.contains(&"running:unknown".to_string()));

    let dbs = t.ok("/databases").await;
    assert_eq!(names(&dbs), ["air-postgres", "baiv-redis"]);
    assert_eq!(dbs[0]["image"], "postgres:16-alpine");
    assert_eq!(dbs[0]["database_type"], "standalone-postgresql");
    let services = t.ok("/services").await;
    assert_eq!(names(&services), ["w4m-uptime-kuma"]);
    let resources = t.ok("/resources").await;
    assert_eq!(resources.as_array().map(Vec::len), Some(12));

    let servers = t.ok("/servers").await;
    assert_eq!(names(&servers), ["pfcore-main", "pfcore-build"]);
    assert!(
        servers[0]["description"]
            .as_str()
            .unwrap_or("")
            .contains("CPX31")
    );
    assert_eq!(servers[1]["settings"]["is_build_server"], true);
    assert_eq!(servers[0]["is_reachable"], true);
    let main = servers[0]["uuid"].as_str().expect("uuid");
    let build = servers[1]["uuid"].as_str().expect("uuid");
    let domains = t.ok(&format!("/servers/{main}/domains")).await;
    let list = domains[0]["domains"].as_array().expect("domains");
    assert!(list.iter().any(|d| d == "air.pfcore.io"));
    assert!(list.iter().any(|d| d == "dev.baiv.pfcore.io"));
    assert_eq!(
        t.ok(&format!("/servers/{build}/resources")).await,
        json!([])
    );
    assert_eq!(
        t.ok(&format!("/servers/{main}/resources"))
            .await
            .as_array()
            .map(Vec::len),
        Some(12)
    );
    let full = t.ok(&format!("/servers/{main}")).await;
    assert_eq!(full["settings"]["deployment_queue_limit"], 25);

    for name in ["air-dev", "baiv-staging", "w4m-prod"] {
        let uuid = t.app(name).await["uuid"]
            .as_str()
            .expect("uuid")
            .to_string();
        let h = t.ok(&format!("/deployments/applications/{uuid}")).await;
        assert!(h["count"].as_u64().unwrap_or(0) >= 4, "{name}");
        let list = h["deployments"].as_array().expect("list");
        assert!(list.iter().any(|d| d["status"] == "failed"), "{name}");
        assert_eq!(list[0]["application_name"], name);
        let images = t.ok(&format!("/applications/{uuid}/rollback-images")).await;
        let imgs = images["images"].as_array().expect("images");
        assert!(!imgs.is_empty() && imgs.len() <= 3, "{name}");
        assert_eq!(imgs[0]["tag"], images["current"]);
        assert_eq!(imgs[0]["is_current"], true);
        let page = t
            .ok(&format!("/deployments/applications/{uuid}?skip=1&take=2"))
            .await;
        assert_eq!(page["deployments"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            page["deployments"][0]["deployment_uuid"],
            list[1]["deployment_uuid"]
        );
    }
    assert_eq!(t.ok("/deployments").await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_runs_to_finished_with_the_branch_head() {
    let t = T::demo().await;
    let app = t.app("air-staging").await;
    let uuid = app["uuid"].as_str().expect("uuid");
    let before = t.ok(&format!("/deployments/applications/{uuid}")).await["count"]
        .as_u64()
        .unwrap_or(0);
    let (sha, queued) = t
        .sim
        .control()
        .push_commit("pfcore/pf-air", "staging", "feat: new landing page")
        .expect("push");
    assert_eq!(queued.len(), 1, "staging auto-deploys on push");
    let head = t
        .http
        .get(format!(
            "{}/repos/pfcore/pf-air/branches/staging",
            t.sim.github_url()
        ))
        .bearer_auth(t.sim.github_token())
        .header("User-Agent", "pftui-test")
        .send()
        .await
        .expect("github")
        .json::<Value>()
        .await
        .expect("json");
    assert_eq!(head["commit"]["sha"], sha);
    let d = t.wait(&queued[0]).await;
    assert_eq!(d["status"], "finished", "{}", d["logs"]);
    assert_eq!(d["commit"], sha.as_str());
    assert_eq!(d["commit_message"], "feat: new landing page");
    assert_eq!(d["is_webhook"], true);
    assert_eq!(d["application"]["name"], "air-staging");
    assert!(d["finished_at"].is_string());
    let logs = logs_of(&d);
    let text: Vec<&str> = logs.iter().filter_map(|e| e["output"].as_str()).collect();
    assert!(
        text.iter()
            .any(|o| o.starts_with("Starting deployment of pfcore/pf-air:staging to pfcore-main."))
    );
    assert!(
        text.iter()
            .any(|o| o.contains("Building docker image started."))
    );
    assert!(text.contains(&"New container is healthy."));
    assert!(text.contains(&"Rolling update completed."));
    let app = t.app("air-staging").await;
    assert_eq!(app["status"], "running:healthy");
    let images = t.ok(&format!("/applications/{uuid}/rollback-images")).await;
    assert_eq!(images["current"], sha.as_str());
    assert_eq!(images["images"][0]["tag"], sha.as_str());
    let after = t.ok(&format!("/deployments/applications/{uuid}")).await;
    assert_eq!(after["count"].as_u64(), Some(before + 1));
    assert_eq!(
        after["deployments"][0]["deployment_uuid"],
        queued[0].as_str()
    );

    // Deploying the same commit again reuses the image.
    let again = t.deploy(uuid, false).await;
    let d = t.wait(&again).await;
    assert_eq!(d["status"], "finished");
    assert!(logs_of(&d).iter().any(|e| {
        e["output"]
            .as_str()
            .unwrap_or("")
            .starts_with("No build configuration changed & image found")
    }));
    // force rebuilds without cache.
    let forced = t.deploy(uuid, true).await;
    let d = t.wait(&forced).await;
    assert_eq!(d["status"], "finished");
    assert_eq!(d["force_rebuild"], true);
    assert!(
        logs_of(&d)
            .iter()
            .any(|e| e["command"].as_str().unwrap_or("").contains("--no-cache"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployment_log_format() {
    let t = T::demo().await;
    let uuid = t.app("baiv-prod").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let dep = t.deploy(&uuid, true).await;
    let d = t.wait(&dep).await;
    assert!(d["logs"].is_string(), "logs is a JSON string");
    let logs = logs_of(&d);
    assert!(logs.len() > 30);
    for (i, e) in logs.iter().enumerate() {
        assert_eq!(
            e["order"].as_u64(),
            Some(i as u64 + 1),
            "order increases from 1"
        );
        assert!(matches!(
            e["type"].as_str(),
            Some("stdout") | Some("stderr")
        ));
        assert!(e["hidden"].is_boolean() && e["batch"].is_u64() && e["output"].is_string());
        let ts = e["timestamp"].as_str().expect("timestamp");
        assert_eq!(ts.len(), 27, "{ts}");
        assert!(ts.ends_with('Z') && ts.as_bytes()[19] == b'.');
    }
    assert!(logs.iter().any(|e| e["hidden"] == true));
    assert!(logs.iter().any(|e| e["hidden"] == false));
    assert!(logs.iter().any(|e| e.get("command") == Some(&Value::Null)));
    assert!(logs.iter().any(|e| e["command"].is_string()));
    assert!(logs.iter().any(|e| e["type"] == "stderr"));
    assert!(
        logs.iter()
            .any(|e| e["output"].as_str().unwrap_or("").lines().count() > 5),
        "multi-line outputs"
    );
    assert!(
        logs.iter()
            .any(|e| e["output"].as_str().unwrap_or("").contains("npm run build"))
    );
    assert!(
        logs.iter()
            .any(|e| e["output"].as_str().unwrap_or("").contains("╔"))
    );
    let stamps: Vec<&str> = logs
        .iter()
        .filter_map(|e| e["timestamp"].as_str())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]));

    // Somewhere in the recorded history, an SSH retry notice has no `command` key at all.
    let mut absent = false;
    for name in [
        "air-dev",
        "air-staging",
        "air-prod",
        "baiv-dev",
        "baiv-staging",
        "w4m-dev",
        "w4m-staging",
        "w4m-prod",
    ] {
        let app = t.app(name).await;
        let h = t
            .ok(&format!(
                "/deployments/applications/{}?take=10",
                app["uuid"].as_str().unwrap_or("")
            ))
            .await;
        for d in h["deployments"].as_array().expect("list") {
            absent |= logs_of(d).iter().any(|e| e.get("command").is_none());
        }
    }
    assert!(absent, "some entries lack the command key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_next_fails_with_stderr_and_keeps_old_container() {
    let t = T::demo().await;
    let uuid = t.app("w4m-staging").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    assert!(t.sim.control().fail_next_deployment("w4m-staging"));
    assert!(!t.sim.control().fail_next_deployment("nope"));
    let dep = t.deploy(&uuid, true).await;
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "failed");
    // As on the real server, the error report lands just after the status changes: wait
    // for the last line (the helper container's shutdown).
    let d = t
        .wait_for(&format!("/deployments/{dep}"), |d| {
            logs_of(d).last().and_then(|e| e["output"].as_str()) == Some(dep.as_str())
        })
        .await;
    let logs = logs_of(&d);
    let stderr: Vec<&str> = logs
        .iter()
        .filter(|e| e["type"] == "stderr" && e["hidden"] == false)
        .filter_map(|e| e["output"].as_str())
        .collect();
    assert!(stderr.iter().any(|o| o.starts_with("Deployment failed: ")));
    assert!(
        stderr
            .iter()
            .any(|o| o.contains("npm ERR!") || o.contains("Type error:"))
    );
    assert!(stderr.contains(&"Deployment failed. Removing the new version of your application."));
    assert_eq!(t.app("w4m-staging").await["status"], "running:healthy");
    // Only the next deployment fails.
    let next = t.deploy(&uuid, false).await;
    assert_eq!(t.wait(&next).await["status"], "finished");

    // Over HTTP, and with the image already there: the new container stays unhealthy.
    let r = t
        .req(
            Method::POST,
            "/_sim/fail-next",
            None,
            Some(json!({"application": uuid})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .req(
            Method::POST,
            "/_sim/fail-next",
            None,
            Some(json!({"application": "nope"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let restart = t
        .post(&format!("/applications/{uuid}/restart"), None)
        .await
        .json();
    assert_eq!(restart["message"], "Restart request queued.");
    let d = t
        .wait(restart["deployment_uuid"].as_str().expect("uuid"))
        .await;
    assert_eq!(d["status"], "failed");
    assert_eq!(d["restart_only"], true);
    assert!(
        logs_of(&d)
            .iter()
            .any(|e| e["output"]
                == "New container is not healthy, rolling back to the old container.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_queued_and_running() {
    let t = T::new(SimConfig {
        speed: 1.0,
        ..SimConfig::default()
    })
    .await;
    let uuid = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let dep = t.deploy(&uuid, true).await;
    let queued = t.ok(&format!("/deployments/{dep}")).await;
    assert!(["queued", "in_progress"].contains(&queued["status"].as_str().unwrap_or("")));
    assert_eq!(queued["commit"], "HEAD");
    let r = t.post(&format!("/deployments/{dep}/cancel"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"message": "Deployment cancelled successfully.", "deployment_uuid": dep, "status": "cancelled-by-user"})
    );
    let r = t.post(&format!("/deployments/{dep}/cancel"), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json()["message"],
        "Deployment cannot be cancelled. Current status: cancelled-by-user"
    );
    assert_eq!(t.ok("/deployments").await, json!([]));

    // Cancel one that is running: its log stops growing.
    let dep = t.deploy(&uuid, true).await;
    t.wait_for(&format!("/deployments/{dep}"), |d| {
        d["status"] == "in_progress" && logs_of(d).len() > 3
    })
    .await;
    assert_eq!(
        t.post(&format!("/deployments/{dep}/cancel"), None)
            .await
            .status,
        StatusCode::OK
    );
    let d = t.ok(&format!("/deployments/{dep}")).await;
    assert_eq!(d["status"], "cancelled-by-user");
    let logs = logs_of(&d);
    assert_eq!(
        logs.last().and_then(|e| e["output"].as_str()),
        Some("Deployment container stopped.")
    );
    assert!(
        logs.iter().any(
            |e| e["output"] == "Deployment cancelled by user via API." && e["type"] == "stderr"
        )
    );
    assert_eq!(t.app("air-dev").await["status"], "running:healthy");
    let r = t.post("/deployments/doesnotexist/cancel", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json(), json!({"message": "Deployment not found."}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_limit_and_dedup() {
    let t = T::new(SimConfig {
        speed: FAST,
        queue_limit: 2,
        ..SimConfig::default()
    })
    .await;
    let c = t.sim.control();
    c.pause_queue(true);
    let a = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let b = t.app("baiv-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let w = t.app("w4m-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let first = t.deploy(&a, false).await;
    // Same app, same commit: deduplicated with a fresh uuid that was never stored.
    let r = t.post(&format!("/deploy?uuid={a}"), None).await.json();
    assert_eq!(
        r["deployments"][0]["message"],
        "Deployment already queued for this commit."
    );
    let ghost = r["deployments"][0]["deployment_uuid"]
        .as_str()
        .expect("uuid");
    assert_ne!(ghost, first);
    assert_eq!(
        t.get(&format!("/deployments/{ghost}")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .post(&format!("/applications/{a}/start"), None)
        .await
        .json();
    assert_eq!(
        r,
        json!({"message": "Deployment already queued for this commit."})
    );

    t.deploy(&b, false).await;
    let r = t.post(&format!("/deploy?uuid={w}"), None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.header("retry-after"), Some("60"));
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("Deployment queue is full.")
    );
    let active = t.ok("/deployments").await;
    assert_eq!(active.as_array().map(Vec::len), Some(2));
    assert!(
        active
            .as_array()
            .expect("list")
            .iter()
            .all(|d| d["status"] == "queued")
    );

    let r = t
        .req(
            Method::POST,
            "/_sim/queue",
            None,
            Some(json!({"paused": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(t.wait(&first).await["status"], "finished");
    t.wait_for("/deployments", |v| v == &json!([])).await;
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
async fn container_logs_stop_start_and_rollback() {
    let t = T::demo().await;
    let uuid = t.app("air-prod").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let logs = t.ok(&format!("/applications/{uuid}/logs?lines=20")).await;
    let text = logs["logs"].as_str().expect("logs");
    assert!(text.lines().count() <= 20 && text.lines().count() > 5);
    assert!(text.contains("GET /api/health 200"));
    let stamped = t
        .ok(&format!(
            "/applications/{uuid}/logs?lines=5&show_timestamps=true"
        ))
        .await;
    let first = stamped["logs"]
        .as_str()
        .expect("logs")
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    assert!(first.len() > 31 && first.as_bytes()[10] == b'T', "{first}");

    // Rollback to the previous image.
    let images = t.ok(&format!("/applications/{uuid}/rollback-images")).await;
    let older = images["images"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["is_current"] == false))
        .and_then(|i| i["tag"].as_str())
        .expect("an older image")
        .to_string();
    let r = t
        .post(
            &format!("/applications/{uuid}/rollback"),
            Some(json!({"commit": older})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["message"], "Rollback deployment queued.");
    let d = t
        .wait(r.json()["deployment_uuid"].as_str().expect("uuid"))
        .await;
    assert_eq!(d["status"], "finished");
    assert_eq!(d["rollback"], true);
    assert_eq!(d["commit"], older.as_str());
    let images = t.ok(&format!("/applications/{uuid}/rollback-images")).await;
    assert_eq!(images["current"], older.as_str());
    let r = t
        .post(
            &format!("/applications/{uuid}/rollback"),
            Some(json!({"commit": older, "x": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Stop, then start (= deploy).
    let r = t.post(&format!("/applications/{uuid}/stop"), None).await;
    assert_eq!(
        r.json(),
        json!({"message": "Application stopping request queued."})
    );
    t.wait_for(&format!("/applications/{uuid}"), |a| {
        a["status"] == "exited:unhealthy"
    })
    .await;
    assert_eq!(
        t.get(&format!("/applications/{uuid}/logs")).await.status,
        StatusCode::BAD_REQUEST
    );
    let r = t
        .post(&format!("/applications/{uuid}/start"), None)
        .await
        .json();
    assert_eq!(r["message"], "Deployment request queued.");
    let d = t.wait(r["deployment_uuid"].as_str().expect("uuid")).await;
    assert_eq!(d["status"], "finished");
    assert_eq!(t.app("air-prod").await["status"], "running:healthy");

    // Databases and services move through their statuses.
    let db = t.ok("/databases").await[1]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let r = t.post(&format!("/databases/{db}/stop"), None).await;
    assert_eq!(
        r.json(),
        json!({"message": "Database stopping request queued."})
    );
    t.wait_for(&format!("/databases/{db}"), |d| {
        d["status"] == "exited:unhealthy"
    })
    .await;
    let svc = t.ok("/services").await[0]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let r = t
        .post(&format!("/deploy?uuid={svc},{db}"), None)
        .await
        .json();
    assert_eq!(r["deployments"].as_array().map(Vec::len), Some(2));
    assert!(r["deployments"][0].get("deployment_uuid").is_none());
    t.wait_for(&format!("/databases/{db}"), |d| {
        d["status"] == "running:healthy"
    })
    .await;
    let detail = t.ok(&format!("/services/{svc}")).await;
    assert_eq!(detail["applications"][0]["name"], "uptime-kuma");

    // By tag: the other shape.
    let r = t.post("/deploy?tag=prod", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    assert!(v["message"].as_array().map(Vec::len).unwrap_or(0) >= 3);
    assert!(v["details"][0]["deployment_uuid"].is_string());
}

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
async fn github_simulator() {
    let t = T::demo().await;
    let base = t.sim.github_url();
    let gh = |path: &str| format!("{base}{path}");
    let r = t
        .http
        .get(gh("/repos/pfcore/pf-air"))
        .bearer_auth(t.sim.github_token())
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "User-Agent is required");
    let r = t
        .http
        .get(gh("/repos/pfcore/pf-air"))
        .bearer_auth("ghp_wrong")
        .header("User-Agent", "pftui-test")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.json::<Value>().await.expect("json")["message"],
        "Bad credentials"
    );
    let get = |path: String| {
        t.http
            .get(path)
            .bearer_auth(t.sim.github_token())
            .header("User-Agent", "pftui-test")
            .send()
    };
    let repo: Value = get(gh("/repos/pfcore/pf-baiv"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(repo["full_name"], "pfcore/pf-baiv");
    assert_eq!(repo["default_branch"], "main");
    let branches: Value = get(gh("/repos/pfcore/pf-air/branches"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let list = branches.as_array().expect("branches");
    assert_eq!(list.len(), 3);
    for b in list {
        assert_eq!(b["commit"]["sha"].as_str().map(str::len), Some(40));
        assert_eq!(b["protected"], false, "branches start unprotected");
    }
    let develop: Value = get(gh("/repos/pfcore/pf-air/branches/develop"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let staging: Value = get(gh("/repos/pfcore/pf-air/branches/staging"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_ne!(develop["commit"]["sha"], staging["commit"]["sha"]);
    assert_eq!(
        develop["commit"]["parents"].as_array().map(Vec::len),
        Some(1)
    );
    // The deployed commit of air-dev is the develop head.
    let app = t.app("air-dev").await;
    let images = t
        .ok(&format!(
            "/applications/{}/rollback-images",
            app["uuid"].as_str().unwrap_or("")
        ))
        .await;
    assert_eq!(images["current"], develop["commit"]["sha"]);
    let r = get(gh("/repos/pfcore/nope")).await.expect("send");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get(gh("/repos/pfcore/pf-air/branches/nope"))
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.json::<Value>().await.expect("json")["message"],
        "Branch not found"
    );

    // Shared history: staging's head is an ancestor of develop's.
    let w = t.sim.shared.world();
    let repo = w.repo("pfcore/pf-air").expect("repo");
    let dev_head = repo.head("develop").expect("head");
    let ancestors: Vec<&str> = repo
        .ancestors(dev_head, 100)
        .iter()
        .map(|c| c.sha.as_str())
        .collect();
    assert!(ancestors.contains(&repo.head("staging").expect("head")));
    assert!(ancestors.contains(&repo.head("main").expect("head")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_data_set() {
    let t = T::new(SimConfig {
        apps: Some(3000),
        seed: 7,
        ..SimConfig::default()
    })
    .await;
    let apps = t.ok("/applications").await;
    let apps = apps.as_array().expect("apps");
    assert_eq!(apps.len(), 3000);
    let mut names: Vec<&str> = apps.iter().filter_map(|a| a["name"].as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 3000, "names are unique");
    assert_eq!(t.ok("/projects").await.as_array().map(Vec::len), Some(100));
    let dbs = t.ok("/databases").await;
    assert_eq!(dbs.as_array().map(Vec::len), Some(300));
    let services = t.ok("/services").await;
    assert_eq!(services.as_array().map(Vec::len), Some(100));
    let servers = t.ok("/servers").await;
    assert_eq!(servers.as_array().map(Vec::len), Some(9));
    let resources = t.ok("/resources").await;
    assert_eq!(resources.as_array().map(Vec::len), Some(3400));
    let p = t.ok("/projects").await[5]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let env = t.ok(&format!("/projects/{p}/staging")).await;
    assert_eq!(env["applications"].as_array().map(Vec::len), Some(10));
    // Deployments still work in a generated world.
    let uuid = apps[42]["uuid"].as_str().expect("uuid");
    let h = t.ok(&format!("/deployments/applications/{uuid}")).await;
    assert!(h["count"].as_u64().unwrap_or(0) >= 2);
    let dep = h["deployments"][0]["deployment_uuid"]
        .as_str()
        .expect("uuid");
    assert!(!logs_of(&t.ok(&format!("/deployments/{dep}")).await).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_same_world() {
    async fn fingerprint(seed: u64, apps: Option<usize>) -> Vec<String> {
        let t = T::new(SimConfig {
            seed,
            apps,
            ..SimConfig::default()
        })
        .await;
        let mut out = Vec::new();
        for path in [
            "/projects",
            "/applications",
            "/servers",
            "/databases",
            "/services",
        ] {
            for item in t.ok(path).await.as_array().expect("list") {
                out.push(item["uuid"].as_str().unwrap_or("").to_string());
            }
        }
        let first = out[3].clone();
        let uuid = t.ok("/applications").await[0]["uuid"]
            .as_str()
            .expect("uuid")
            .to_string();
        let h = t.ok(&format!("/deployments/applications/{uuid}")).await;
        for d in h["deployments"].as_array().expect("list") {
            out.push(d["deployment_uuid"].as_str().unwrap_or("").to_string());
            out.push(d["commit"].as_str().unwrap_or("").to_string());
        }
        assert!(!first.is_empty());
        out
    }
    let a = fingerprint(11, None).await;
    assert_eq!(a, fingerprint(11, None).await);
    assert_ne!(a, fingerprint(12, None).await);
    assert_eq!(
        fingerprint(3, Some(90)).await,
        fingerprint(3, Some(90)).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_takes_a_json_body_and_lists_active_runs() {
    let t = T::demo().await;
    let prod = t.ok("/applications?tag=prod").await;
    assert_eq!(names(&prod), ["air-prod", "baiv-prod", "w4m-prod"]);
    let a = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let b = t.app("baiv-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    t.sim.control().pause_queue(true);
    let r = t
        .post(
            "/deploy",
            Some(json!({"uuid": format!("{a},{b}"), "force": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    let list = v["deployments"].as_array().expect("deployments");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["message"], "Application air-dev deployment queued.");
    assert_eq!(list[1]["resource_uuid"], b.as_str());
    let active = t.ok("/deployments").await;
    assert_eq!(active.as_array().map(Vec::len), Some(2));
    assert_eq!(active[0]["status"], "queued");
    assert_eq!(active[0]["force_rebuild"], true);
    assert!(active[0]["logs"].is_string());
    t.sim.control().pause_queue(false);
    for d in list {
        let done = t.wait(d["deployment_uuid"].as_str().expect("uuid")).await;
        assert_eq!(done["status"], "finished");
    }
    assert_eq!(t.ok("/deployments").await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_commits_and_unknown_refs() {
    let t = T::demo().await;
    let uuid = t.app("baiv-staging").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let history = t.ok(&format!("/deployments/applications/{uuid}")).await;
    let old = history["deployments"][3]["commit"]
        .as_str()
        .expect("commit")
        .to_string();
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"git_commit_sha": old}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let dep = t.deploy(&uuid, false).await;
    let queued = t.ok(&format!("/deployments/{dep}")).await;
    assert_eq!(
        queued["commit"],
        old.as_str(),
        "a pinned commit is not HEAD"
    );
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "finished");
    assert_eq!(d["commit"], old.as_str());

    let unknown = "0123456789abcdef0123456789abcdef01234567";
    t.patch(
        &format!("/applications/{uuid}"),
        json!({"git_commit_sha": unknown}),
    )
    .await;
    let dep = t.deploy(&uuid, false).await;
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "failed");
    let d = t
        .wait_for(&format!("/deployments/{dep}"), |d| {
            logs_of(d)
                .iter()
                .any(|e| e["output"].as_str().unwrap_or("").contains("not our ref"))
        })
        .await;
    assert_eq!(d["commit"], unknown);
    assert_eq!(t.app("baiv-staging").await["status"], "running:healthy");

    t.patch(
        &format!("/applications/{uuid}"),
        json!({"git_commit_sha": "HEAD", "git_branch": "feature/nope"}),
    )
    .await;
    let dep = t.deploy(&uuid, false).await;
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "failed");
    assert_eq!(d["commit"], "HEAD", "nothing to resolve HEAD to");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compare_reports_both_sides_like_github() {
    let t = T::demo().await;
    let repo = "pfcore/pf-air";
    let staging = t.head(repo, "staging").await;
    let develop = t.head(repo, "develop").await;
    let c = t
        .gh_ok("/repos/pfcore/pf-air/compare/staging...develop")
        .await;
    assert_eq!(c["status"], "ahead");
    assert_eq!(c["ahead_by"], 4);
    assert_eq!(c["behind_by"], 0);
    assert_eq!(c["total_commits"], 4);
    assert_eq!(c["merge_base_commit"]["sha"], staging.as_str());
    assert_eq!(c["base_commit"]["sha"], staging.as_str());
    assert_eq!(
        c["html_url"],
        "https://github.com/pfcore/pf-air/compare/staging...develop"
    );
    let commits = c["commits"].as_array().expect("commits");
    assert_eq!(commits.len(), 4);
    assert_eq!(commits[3]["sha"], develop.as_str(), "oldest first");
    assert_eq!(commits[0]["parents"][0]["sha"], staging.as_str());
    for commit in commits {
        assert!(commit["commit"]["message"].is_string());
        assert!(commit["commit"]["author"]["name"].is_string());
        assert!(commit["commit"]["author"]["email"].is_string());
        assert!(commit["commit"]["author"]["date"].is_string());
        assert!(
            commit["html_url"]
                .as_str()
                .unwrap_or("")
                .starts_with("https://github.com/pfcore/pf-air/commit/")
        );
    }
    let files = c["files"].as_array().expect("files");
    assert!(!files.is_empty());
    for f in files {
        assert!(f["filename"].is_string());
        assert!(["added", "modified"].contains(&f["status"].as_str().unwrap_or("")));
        assert_eq!(
            f["changes"].as_u64(),
            Some(f["additions"].as_u64().unwrap_or(0) + f["deletions"].as_u64().unwrap_or(0))
        );
    }

    let c = t
        .gh_ok("/repos/pfcore/pf-air/compare/develop...staging")
        .await;
    assert_eq!(
        (
            c["status"].as_str(),
            c["ahead_by"].as_u64(),
            c["behind_by"].as_u64()
        ),
        (Some("behind"), Some(0), Some(4))
    );
    assert_eq!(c["commits"], json!([]));
    let c = t.gh_ok("/repos/pfcore/pf-air/compare/main...main").await;
    assert_eq!(c["status"], "identical");
    // By sha, and with a short sha.
    let c = t
        .gh_ok(&format!(
            "/repos/pfcore/pf-air/compare/{}...{}",
            &staging[..7],
            develop
        ))
        .await;
    assert_eq!(c["ahead_by"], 4);
    // A hotfix on staging makes the branches diverge.
    t.sim
        .control()
        .push_commit(repo, "staging", "fix: hotfix on staging")
        .expect("push");
    let c = t
        .gh_ok("/repos/pfcore/pf-air/compare/staging...develop")
        .await;
    assert_eq!(
        (
            c["status"].as_str(),
            c["ahead_by"].as_u64(),
            c["behind_by"].as_u64()
        ),
        (Some("diverged"), Some(4), Some(1))
    );
    assert_eq!(c["merge_base_commit"]["sha"], staging.as_str());
    // Pages of commits follow the Link header.
    let r = t
        .gh(
            Method::GET,
            "/repos/pfcore/pf-air/compare/main...develop?per_page=3",
            None,
        )
        .await;
    assert_eq!(r.json()["commits"].as_array().map(Vec::len), Some(3));
    assert!(r.header("link").unwrap_or("").contains("rel=\"next\""));

    for path in [
        "/repos/pfcore/pf-air/compare/staging...nope",
        "/repos/pfcore/pf-air/compare/nope...staging",
        "/repos/pfcore/nope/compare/main...staging",
        "/repos/pfcore/pf-air/compare/staging",
    ] {
        let r = t.gh(Method::GET, path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.json()["message"], "Not Found", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merges_advance_the_base_and_trigger_auto_deploys() {
    let t = T::demo().await;
    let repo = "pfcore/pf-air";
    let staging = t.head(repo, "staging").await;
    let develop = t.head(repo, "develop").await;
    let prod_before = t.history("air-prod").await.len();
    let r = t
        .gh(
            Method::POST,
            "/repos/pfcore/pf-air/merges",
            Some(json!({"base": "staging", "head": "develop", "commit_message": "Promote develop to staging"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let merge = r.json();
    let sha = merge["sha"].as_str().expect("sha").to_string();
    assert_eq!(merge["commit"]["message"], "Promote develop to staging");
    assert_eq!(merge["parents"][0]["sha"], staging.as_str());
    assert_eq!(merge["parents"][1]["sha"], develop.as_str());
    assert_eq!(t.head(repo, "staging").await, sha);
    let b = t.gh_ok("/repos/pfcore/pf-air/branches/staging").await;
    assert_eq!(b["commit"]["sha"], sha.as_str());

    // The webhook link: air-staging deploys the new head, nothing else does.
    let latest = t.history("air-staging").await[0].clone();
    assert_eq!(latest["commit"], sha.as_str());
    assert_eq!(latest["is_webhook"], true);
    for other in ["air-dev", "baiv-staging"] {
        let h = t.history(other).await;
        assert_ne!(h[0]["commit"], sha.as_str(), "{other}");
    }
    let d = t
        .wait(latest["deployment_uuid"].as_str().expect("uuid"))
        .await;
    assert_eq!(d["status"], "finished", "{}", d["logs"]);
    assert_eq!(d["commit"], sha.as_str());
    assert_eq!(d["commit_message"], "Promote develop to staging");

    // develop is now contained in staging: nothing to merge.
    let r = t
        .gh(
            Method::POST,
            "/repos/pfcore/pf-air/merges",
            Some(json!({"base": "staging", "head": "develop"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.text.is_empty());
    assert_eq!(t.head(repo, "staging").await, sha);

    // staging into main: main moves, prod (auto-deploy off) is not deployed.
    let r = t
        .gh(
            Method::POST,
            "/repos/pfcore/pf-air/merges",
            Some(json!({"base": "main", "head": "staging"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let main_sha = r.json()["sha"].as_str().expect("sha").to_string();
    assert_eq!(r.json()["commit"]["message"], "Merge staging into main");
    assert_eq!(t.head(repo, "main").await, main_sha);
    assert_eq!(t.history("air-prod").await.len(), prod_before);
    let c = t.gh_ok("/repos/pfcore/pf-air/compare/main...develop").await;
    assert_eq!(c["status"], "behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_merges_change_nothing() {
    let t = T::demo().await;
    let repo = "pfcore/pf-baiv";
    let heads = || async {
        let mut out = Vec::new();
        for b in ["develop", "staging", "main"] {
            out.push(t.head(repo, b).await);
        }
        out
    };
    let before = heads().await;
    let deployments_before = t.ok("/deployments").await;
    let merges = "/repos/pfcore/pf-baiv/merges";
    let cases = [
        (
            json!({"base": "nope", "head": "develop"}),
            StatusCode::NOT_FOUND,
            "Base does not exist",
        ),
        (
            json!({"base": "staging", "head": "nope"}),
            StatusCode::NOT_FOUND,
            "Head does not exist",
        ),
        (
            json!({"base": "staging"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid request.\n\n\"head\" wasn't supplied.",
        ),
    ];
    for (body, status, message) in cases {
        let r = t.gh(Method::POST, merges, Some(body.clone())).await;
        assert_eq!(r.status, status, "{body}");
        assert_eq!(r.json()["message"], message, "{body}");
    }
    let r = t
        .gh(
            Method::POST,
            "/repos/pfcore/nope/merges",
            Some(json!({"base": "a", "head": "b"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // An injected conflict, in process and over HTTP.
    let c = t.sim.control();
    assert!(c.make_conflict(repo, "staging", "develop"));
    assert!(!c.make_conflict(repo, "nope", "develop"));
    assert!(!c.make_conflict("pfcore/nope", "staging", "develop"));
    let body = json!({"base": "staging", "head": "develop"});
    for _ in 0..2 {
        let r = t.gh(Method::POST, merges, Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json()["message"], "Merge conflict");
    }
    assert!(c.clear_conflict(repo, "staging", "develop"));
    let r = t
        .req(
            Method::POST,
            "/_sim/conflict",
            None,
            Some(json!({"repo": repo, "base": "staging", "head": "develop"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t.gh(Method::POST, merges, Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = t
        .req(
            Method::DELETE,
            "/_sim/conflict",
            None,
            Some(json!({"repo": repo, "base": "staging", "head": "develop"})),
        )
        .await;
    assert_eq!(r.json()["cleared"], true);

    // Branch protection.
    assert!(c.protect_branch(repo, "main", true));
    assert!(!c.protect_branch(repo, "nope", true));
    let b = t.gh_ok("/repos/pfcore/pf-baiv/branches/main").await;
    assert_eq!(b["protected"], true);
    assert_eq!(
        b["protection"]["required_status_checks"]["contexts"],
        json!(["ci"])
    );
    let list = t
        .gh_ok("/repos/pfcore/pf-baiv/branches?protected=true")
        .await;
    assert_eq!(names(&list), ["main"]);
    let r = t
        .gh(
            Method::POST,
            merges,
            Some(json!({"base": "main", "head": "staging"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["message"],
        "Required status check \"ci\" is expected."
    );
    assert_eq!(heads().await, before, "nothing changed");
    assert_eq!(t.ok("/deployments").await, deployments_before);

    let r = t
        .req(
            Method::POST,
            "/_sim/protect",
            None,
            Some(json!({"repo": repo, "branch": "main", "protected": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        t.gh_ok("/repos/pfcore/pf-baiv/branches/main").await["protected"],
        false
    );
    let r = t
        .req(
            Method::POST,
            "/_sim/protect",
            None,
            Some(json!({"repo": repo, "branch": "nope"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Now the merges go through.
    let r = t.gh(Method::POST, merges, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinning_a_past_commit_and_back_to_head() {
    let t = T::demo().await;
    t.sim.control().set_version("4.2.0");
    let uuid = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let repo = "pfcore/pf-air";
    let old = t.head(repo, "staging").await; // an ancestor of develop's head
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"git_commit_sha": old}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = t.wait(&t.deploy(&uuid, false).await).await;
    assert_eq!(d["status"], "finished", "{}", d["logs"]);
    assert_eq!(d["commit"], old.as_str());
    let images = t.app("air-dev").await;
    assert_eq!(images["git_commit_sha"], old.as_str());
    let (new_head, _) = t
        .sim
        .control()
        .push_commit(repo, "develop", "feat: after the pin")
        .expect("push");
    // Back to HEAD: the branch is followed again.
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"git_commit_sha": "HEAD"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // The push's webhook deployment may still run; a forced deploy resolves HEAD anew.
    let d = t.wait(&t.deploy(&uuid, true).await).await;
    assert_eq!(d["status"], "finished", "{}", d["logs"]);
    assert_eq!(d["commit"], new_head.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merges_work_in_the_large_data_set() {
    let t = T::new(SimConfig {
        apps: Some(90),
        seed: 5,
        speed: FAST,
        ..SimConfig::default()
    })
    .await;
    let apps = t.ok("/applications").await;
    let apps = apps.as_array().expect("apps");
    let repo = apps[0]["git_repository"]
        .as_str()
        .expect("repo")
        .to_string();
    let staging_apps: Vec<&Value> = apps
        .iter()
        .filter(|a| a["git_repository"] == repo.as_str() && a["git_branch"] == "staging")
        .collect();
    assert!(!staging_apps.is_empty());
    let r = t
        .gh(
            Method::POST,
            &format!("/repos/{repo}/merges"),
            Some(json!({"base": "staging", "head": "develop"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let sha = r.json()["sha"].as_str().expect("sha").to_string();
    for a in staging_apps {
        let uuid = a["uuid"].as_str().expect("uuid");
        let h = t.ok(&format!("/deployments/applications/{uuid}")).await;
        assert_eq!(h["deployments"][0]["commit"], sha.as_str(), "{}", a["name"]);
        assert_eq!(h["deployments"][0]["is_webhook"], true);
    }
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
