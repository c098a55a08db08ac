//! The simulators driven over HTTP, as a client would: the client (`T`) here, the tests by
//! topic in the submodules.

mod config_apply;
mod control;
mod coolify_api;
mod data_sets;
mod deployments;
mod github;
mod mcp_reads;
mod read_routes;
mod team_routes;

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
        if path.starts_with("/api") || path.starts_with("/_sim") || path.starts_with("/github/") {
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

    /// Poll the deployment until its run is over: a final status and `finished_at` (which
    /// is stamped after the last log line, a moment after the status turns final).
    async fn wait(&self, uuid: &str) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let d = self.ok(&format!("/deployments/{uuid}")).await;
            let status = d["status"].as_str().unwrap_or_default().to_string();
            if ["finished", "failed", "cancelled-by-user"].contains(&status.as_str())
                && d["finished_at"].is_string()
            {
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

// ----- shapes, for the read routes -----

/// The JSON type of a key: string, integer, boolean, array, number, or string/integer
/// that may be null.
#[derive(Debug, Clone, Copy)]
enum Ty {
    S,
    I,
    B,
    A,
    N,
    SNull,
    INull,
}

fn has_type(v: &Value, t: Ty) -> bool {
    match t {
        Ty::S => v.is_string(),
        Ty::I => v.is_u64() || v.is_i64(),
        Ty::B => v.is_boolean(),
        Ty::A => v.is_array(),
        Ty::N => v.is_number(),
        Ty::SNull => v.is_string() || v.is_null(),
        Ty::INull => v.is_u64() || v.is_null(),
    }
}

/// `v` is an object with every key of `spec`, each of its type.
fn assert_shape(what: &str, v: &Value, spec: &[(&str, Ty)]) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object: {v}"));
    for (key, ty) in spec {
        let got = obj
            .get(*key)
            .unwrap_or_else(|| panic!("{what}: no {key} in {v}"));
        assert!(has_type(got, *ty), "{what}: {key} is not {ty:?}: {got}");
    }
}

/// Every item of a non-empty array has the shape.
fn assert_items(what: &str, v: &Value, spec: &[(&str, Ty)]) {
    let items = v
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not an array: {v}"));
    assert!(!items.is_empty(), "{what}: empty");
    for item in items {
        assert_shape(what, item, spec);
    }
}

fn uuid_of(v: &Value) -> String {
    v["uuid"].as_str().expect("uuid").to_string()
}

/// `{"message": msg}` with status 404.
fn assert_404(r: &Resp, msg: &str) {
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert_eq!(r.json(), json!({ "message": msg }));
}

impl T {
    /// The item named `name` of a list route.
    async fn named(&self, list: &str, name: &str) -> Value {
        let all = self.ok(list).await;
        all.as_array()
            .and_then(|a| a.iter().find(|x| x["name"] == name).cloned())
            .unwrap_or_else(|| panic!("no {name} in {list}"))
    }

    /// GET with another token.
    async fn get_as(&self, token: &str, path: &str) -> Resp {
        self.req(Method::GET, path, Some(token), None).await
    }

    /// A demo simulator with a read-only token `2|reader` and a `read:sensitive` one
    /// `5|auditor`.
    async fn with_readers() -> T {
        let t = T::demo().await;
        let c = t.sim.control();
        c.add_token("2|reader", &["read"]);
        c.add_token("5|auditor", &["read", "read:sensitive"]);
        t
    }
}
