//! Embedded simulators of Coolify and GitHub, served by axum on loopback.
//!
//! The simulators are written from Coolify's official OpenAPI spec and the API notes, never
//! from the client's wire types, so a wrong field name in the client cannot hide behind a
//! type both sides share.

use std::net::SocketAddr;
use std::time::Duration;

/// How to start a simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The Coolify bearer token with every ability (`root`), in `<id>|<secret>` form.
    pub token: String,
    /// The GitHub bearer token.
    pub github_token: String,
    /// `None` serves the demo data set; `Some(n)` generates n applications over many projects.
    pub apps: Option<usize>,
    /// Seed for every random choice (uuids, commits, statuses, timings).
    pub seed: u64,
    /// Lifecycle speed-up: 1.0 is real time, 50.0 runs a deployment fifty times faster.
    pub speed: f64,
    /// Per-server deployment queue cap (Coolify's `deployment_queue_limit`).
    pub queue_limit: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: "1|pftui-sim-root-token".into(),
            github_token: "ghp_pftuiSimulatorToken".into(),
            apps: None,
            seed: 1,
            speed: 1.0,
            queue_limit: 25,
        }
    }
}

/// A running simulator.
pub struct SimHandle {
    _private: (),
}

impl SimHandle {
    /// The bound address (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        unimplemented!()
    }
    /// `http://127.0.0.1:PORT`: the value for `COOLIFY_BASE_URL`.
    pub fn coolify_url(&self) -> String {
        unimplemented!()
    }
    /// `http://127.0.0.1:PORT/github`: the value for `GITHUB_API_URL`.
    pub fn github_url(&self) -> String {
        unimplemented!()
    }
    pub fn token(&self) -> &str {
        unimplemented!()
    }
    pub fn github_token(&self) -> &str {
        unimplemented!()
    }
    /// The four `export NAME=value` lines `pftui sim` prints, newline-terminated.
    pub fn exports(&self) -> String {
        unimplemented!()
    }
    pub fn control(&self) -> SimControl {
        unimplemented!()
    }
    /// Close the listener (clients now get "connection refused"), keeping the world.
    pub async fn stop_listening(&self) {
        unimplemented!()
    }
    /// Listen again on the same address.
    pub async fn resume_listening(&self) -> std::io::Result<()> {
        unimplemented!()
    }
    pub async fn shutdown(self) {
        unimplemented!()
    }
}

/// Start a simulator and return once it accepts connections.
pub async fn start(_config: SimConfig) -> std::io::Result<SimHandle> {
    unimplemented!()
}

/// In-process control of a running simulator (the same operations are served over HTTP
/// under `/_sim/` for simulators in another process).
#[derive(Clone)]
pub struct SimControl {
    _private: (),
}

impl SimControl {
    /// Accept another Coolify token with the given abilities (`read`, `read:sensitive`,
    /// `write`, `write:sensitive`, `deploy`, `root`).
    pub fn add_token(&self, _token: &str, _abilities: &[&str]) {
        unimplemented!()
    }
    /// Make the next deployment of an application (name or uuid) fail; false if unknown.
    pub fn fail_next_deployment(&self, _application: &str) -> bool {
        unimplemented!()
    }
    pub fn inject_fault(&self, _fault: Fault) {
        unimplemented!()
    }
    pub fn clear_faults(&self) {
        unimplemented!()
    }
    /// Coolify's instance-wide API switch: off answers 403 `{"success":true,"message":"API is disabled."}`.
    pub fn set_api_enabled(&self, _enabled: bool) {
        unimplemented!()
    }
}

/// A scripted misbehaviour for requests matching `method` (any when `None`) and a path
/// prefix (e.g. `/api/v1/projects`), for the next `times` requests (forever when `None`).
#[derive(Debug, Clone)]
pub struct Fault {
    pub method: Option<String>,
    pub path_prefix: String,
    pub times: Option<u32>,
    pub kind: FaultKind,
}

#[derive(Debug, Clone)]
pub enum FaultKind {
    /// Answer with this status, content type, body and extra headers instead.
    Respond {
        status: u16,
        content_type: String,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// Wait this long before handling the request normally.
    Delay(Duration),
}
