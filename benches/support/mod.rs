//! What the benches share: an in-process simulator with the large data set, and raw reads
//! of its endpoints (the bytes a client receives).

#![allow(dead_code)] // each bench uses part of it

use pftui::sim::{self, SimConfig, SimHandle};

/// The data set of the budget: 3,000 applications over about 100 projects x 3 environments.
pub const APPS: usize = 3000;

pub struct Sim {
    pub rt: tokio::runtime::Runtime,
    pub handle: SimHandle,
    http: reqwest::Client,
}

impl Sim {
    /// Start a simulator (`apps: None` is the small demo data set).
    pub fn start(apps: Option<usize>) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let handle = rt
            .block_on(sim::start(SimConfig {
                apps,
                ..SimConfig::default()
            }))
            .expect("the simulator starts");
        Self {
            rt,
            handle,
            http: reqwest::Client::new(),
        }
    }

    /// The body of `GET /api/v1{path}`, as the client receives it.
    pub fn get(&self, path: &str) -> Vec<u8> {
        let url = format!("{}/api/v1{path}", self.handle.coolify_url());
        self.rt.block_on(async {
            let resp = self
                .http
                .get(&url)
                .bearer_auth(self.handle.token())
                .header("accept", "application/json")
                .send()
                .await
                .expect("the simulator answers");
            assert!(resp.status().is_success(), "{url}: {}", resp.status());
            resp.bytes().await.expect("a body").to_vec()
        })
    }

    /// `get` parsed as JSON.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        serde_json::from_slice(&self.get(path)).expect("JSON")
    }

    /// A client for the simulator.
    pub fn client(&self) -> pftui::coolify::Client {
        pftui::coolify::Client::new(
            &self.handle.coolify_url(),
            self.handle.token().to_string().into(),
        )
        .expect("a client")
    }

    /// The `logs` string of a fresh finished deployment of `app` with `lines` entries.
    pub fn big_log(&self, app: &str, lines: u32) -> (String, String) {
        let uuid = self
            .handle
            .control()
            .big_log(app, lines, 0.0)
            .expect("the application exists");
        let deployment = self.get_json(&format!("/deployments/{uuid}"));
        let logs = deployment["logs"]
            .as_str()
            .expect("the root token reads logs")
            .to_string();
        (uuid, logs)
    }
}

pub fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
