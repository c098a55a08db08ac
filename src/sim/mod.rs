//! Embedded simulators of Coolify and GitHub, served by axum on loopback.
//!
//! The simulators are written from Coolify's official OpenAPI spec and the API notes, never
//! from the client's wire types, so a wrong field name in the client cannot hide behind a
//! type both sides share.
//!
//! # What is served (one listener)
//!
//! * `/api/health`, `/api/v1/health`: `200 OK` (text/html), no auth.
//! * `/api/v1/...`: the Coolify REST API (projects, environments, applications, env vars,
//!   deployments, rollback, servers, destinations, databases, services, resources,
//!   version; the read routes of tags, storages, scheduled tasks, database backups,
//!   container logs of databases and services, private keys, GitHub apps, cloud tokens
//!   and team members), with Coolify's auth, token abilities, sensitive-field stripping,
//!   error shapes and queue rules. Deployments run over time (scaled by [`SimConfig::speed`]) and write logs in
//!   Coolify's exact JSON-in-a-string format.
//! * `/github/...`: the GitHub REST API subset pftui uses, with bearer auth and the
//!   `User-Agent` rule: `GET /repos/{o}/{r}`, `GET .../branches` (paginated, `Link`),
//!   `GET .../branches/{branch}` (`protected` from the branch's flag),
//!   `GET .../commits/{ref}`, `GET .../compare/{base}...{head}` (status, ahead/behind,
//!   merge base, commits oldest first, files) and `POST .../merges` (201 merge commit,
//!   204 already merged, 404 `Base does not exist`/`Head does not exist`, 409
//!   `Merge conflict` or, on a protected base, `Required status check "ci" is
//!   expected.`; nothing changes on an error). Branch heads are what Coolify deployments
//!   resolve `HEAD` to. Branches start unprotected.
//! * The webhook link: a push (`/_sim/push`) or a merge that moves a branch queues, like
//!   Coolify's GitHub push webhook, a deployment (`is_webhook: true`, `commit` = the new
//!   head) of every application whose `git_repository` (`owner/name` or a clone URL) and
//!   `git_branch` match and whose auto-deploy setting is on (dev and staging in the demo,
//!   not prod).
//! * `/_sim/health/{host}/{path...}`: what the simulated applications themselves answer at
//!   `https://{host}/{path}` (their domains do not resolve): `200
//!   {"status":"ok","commit":sha}` when the app is `running:healthy` (or running without a
//!   health check), `503` with a body when it is stopped, starting, degraded or unhealthy,
//!   `404` for a host no resource serves. Faults (`/_sim/faults` with a `path_prefix`
//!   under `/_sim/health/`) apply. Checked deploys use [`SimHandle::health_base`].
//! * `/_sim/...`: control endpoints (below), outside Coolify's API, no auth (loopback only).
//!
//! # Control endpoints (`/_sim/`)
//!
//! All take and return JSON; errors are `400 {"message": ...}` (or 404 where noted).
//!
//! | Method + path | Body | Effect |
//! |---|---|---|
//! | `POST /_sim/tokens` | `{"token": "2\|abc", "abilities": ["read", "deploy"]}` | accept another Coolify token ([`SimControl::add_token`]) |
//! | `POST /_sim/fail-next` | `{"application": "air-dev"}` (name or uuid) | the next deployment of that app fails; 404 if unknown ([`SimControl::fail_next_deployment`]) |
//! | `POST /_sim/log-next` | `{"application": "air-dev", "line": "..."}` | the next deployment of that app prints the line (visible, as given, escape sequences included) after its starting line; 404 if unknown ([`SimControl::log_next`]) |
//! | `POST /_sim/faults` | `{"method"?, "path_prefix", "times"?, "status"?, "content_type"?, "body"?, "headers"?: {"Name": "value"}, "delay_ms"?, "repeat"?}` | scripted misbehaviour: wait `delay_ms`, then (if `status` is given) answer with that status/content type (default `application/json`)/body/headers instead of the real handler, and with `repeat` a body that never ends (`body`, then `repeat` over and over); for the next `times` matching requests (forever if absent) ([`SimControl::inject_fault`]) |
//! | `DELETE /_sim/faults` | | remove every fault ([`SimControl::clear_faults`]) |
//! | `POST /_sim/api` | `{"enabled": false}` | Coolify's API switch ([`SimControl::set_api_enabled`]) |
//! | `POST /_sim/rate-limit` | `{"per_minute": 200}` or `{"per_minute": null}` | Coolify's per-token throttle; unlimited by default ([`SimControl::set_rate_limit`]) |
//! | `POST /_sim/queue` | `{"paused": true}` | hold queued deployments in `queued` (running ones continue) ([`SimControl::pause_queue`]) |
//! | `POST /_sim/push` | `{"repo": "pfcore/pf-air", "branch": "develop", "message": "fix: typo"}` | commit on a branch, then queue auto-deployments like Coolify's push webhook; answers `{"sha", "deployments": [uuid...]}`; 404 if repo/branch unknown ([`SimControl::push_commit`]) |
//! | `POST /_sim/fail-health` | `{"application": "air-staging"}` | the next deployment of that app that finishes leaves it unhealthy (`running:unhealthy`, its health endpoint answers 503) until a later run finishes; 404 if unknown ([`SimControl::fail_next_health`]) |
//! | `POST /_sim/conflict` | `{"repo": "pfcore/pf-air", "base": "staging", "head": "develop"}` | merges of head into base answer `409 Merge conflict` until cleared; 404 if repo/branch/ref unknown ([`SimControl::make_conflict`]) |
//! | `DELETE /_sim/conflict` | same body | clear that conflict; answers `{"cleared": bool}` ([`SimControl::clear_conflict`]) |
//! | `POST /_sim/protect` | `{"repo": "pfcore/pf-air", "branch": "main", "protected": true}` | branch protection with a required `ci` check: merges into it answer 409, `GET .../branches` report `protected`; 404 if unknown ([`SimControl::protect_branch`]) |
//! | `POST /_sim/version` | `{"version": "4.0.0-beta.420"}` | what `GET /api/v1/version` answers; below 4.3.0 the rollback endpoints answer 404 like unknown routes ([`SimControl::set_version`]) |
//! | `POST /_sim/big-log` | `{"application": "air-dev", "lines": 100000, "seconds"?: 0}` | give the app (name or uuid) a deployment whose build log has `lines` entries (one display line each); with `seconds` > 0 it is `in_progress` and its log grows every 250 ms over that long, else it is already `finished`; answers `{"deployment_uuid"}`; 404 if unknown; at most 2,000,000 lines ([`SimControl::big_log`]) |
//! | `GET /_sim/state` | | `{"speed", "api_enabled", "rate_limit", "queue_paused", "version", "faults", "applications", "deployments_active"}` |
//!
//! # Data sets
//!
//! With `apps: None` the PF-CORE demo: projects AIR, BAIV, W4M with environments dev,
//! staging, prod; one Next.js application per environment (`air-dev`, ..., `w4m-prod`)
//! tracking `develop`/`staging`/`main` of `pfcore/pf-air` etc.; `air-postgres`,
//! `baiv-redis`, the `w4m-uptime-kuma` service; servers `pfcore-main` and `pfcore-build`;
//! a short deployment history per application; volumes of the production applications and
//! of every database and service, a nightly task of `air-prod` and one of the uptime
//! monitor, a nightly backup of `air-postgres` with three past dumps. With `apps:
//! Some(n)`, n applications over about n/30 projects. Both have the same team: SSH keys,
//! the public GitHub source and a GitHub app, a Hetzner token, three members, and a tag
//! for every name the resources carry. Uuids, shas and choices come from
//! [`SimConfig::seed`].
//!
//! # Modules, lowest first
//!
//! Each line uses only the lines above it; inside a module the submodules are layered the
//! same way (in `coolify`: `request` and `views`, then the handlers, then the routing in
//! `coolify` itself):
//!
//! * `ids` (seeded ids and timestamps), `http` (query strings and responses), `listener`
//!   (the closable listener), `traffic` (faults, the rate limit, the paths served);
//! * `logs`: deployment log entries and what a run is; the run scripts, container logs and
//!   big logs in its submodules;
//! * `world`: the `World` and, in its submodules, the records it holds, the git
//!   repositories and the default env vars;
//! * `shared`: the world and the traffic behind their locks, the speed of simulated time,
//!   the shutdown signal and the runtime;
//! * `lifecycle`: deployments and status changes over time;
//! * `health`, `github`, `coolify`: the routes (`coolify`'s GitHub app routes answer with
//!   `github`'s repository and branch JSON); `control`: [`SimControl`] and its `/_sim/`
//!   endpoints;
//! * `router`: the entry every request goes through; `demo`: the data sets;
//! * this module: [`SimConfig`], [`start`], [`SimHandle`].

mod control;
mod coolify;
mod demo;
mod github;
mod health;
mod http;
mod ids;
mod lifecycle;
mod listener;
mod logs;
mod router;
mod shared;
mod traffic;
mod world;

#[cfg(test)]
mod tests;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use control::{Fault, FaultKind, SimControl};
use shared::Shared;

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

/// One bound listener and its serving task.
struct Serving {
    stop: CancellationToken,
    closed: oneshot::Receiver<()>,
    task: JoinHandle<()>,
}

/// A running simulator.
pub struct SimHandle {
    addr: SocketAddr,
    token: String,
    github_token: String,
    shared: Arc<Shared>,
    serving: tokio::sync::Mutex<Option<Serving>>,
}

impl SimHandle {
    /// The bound address (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:PORT`: the value for `COOLIFY_BASE_URL`.
    pub fn coolify_url(&self) -> String {
        base_url(self.addr)
    }
    /// `http://127.0.0.1:PORT/github`: the value for `GITHUB_API_URL`.
    pub fn github_url(&self) -> String {
        format!("{}/github", base_url(self.addr))
    }
    pub fn token(&self) -> &str {
        &self.token
    }
    pub fn github_token(&self) -> &str {
        &self.github_token
    }
    /// `http://127.0.0.1:PORT/_sim/health`: where the simulated applications' own
    /// endpoints are served; `https://{host}/{path}` maps to `{health_base}/{host}/{path}`.
    pub fn health_base(&self) -> String {
        format!("{}/_sim/health", base_url(self.addr))
    }
    /// The `export NAME=value` lines `pftui sim` prints, newline-terminated:
    /// `COOLIFY_BASE_URL`, `COOLIFY_API_TOKEN`, `GITHUB_API_URL`, `GITHUB_TOKEN`, then
    /// `PFTUI_HEALTH_VIA` (see [`SimHandle::health_base`]).
    pub fn exports(&self) -> String {
        format!(
            "export COOLIFY_BASE_URL={}\nexport COOLIFY_API_TOKEN={}\nexport GITHUB_API_URL={}\nexport GITHUB_TOKEN={}\nexport PFTUI_HEALTH_VIA={}\n",
            crate::model::words::shell_word(&self.coolify_url()),
            crate::model::words::shell_word(&self.token),
            crate::model::words::shell_word(&self.github_url()),
            crate::model::words::shell_word(&self.github_token),
            crate::model::words::shell_word(&self.health_base()),
        )
    }
    pub fn control(&self) -> SimControl {
        SimControl::new(self.shared.clone())
    }
    /// Close the listener (clients now get "connection refused"), keeping the world.
    pub async fn stop_listening(&self) {
        let serving = self.serving.lock().await.take();
        if let Some(s) = serving {
            stop_serving(s).await;
        }
    }
    /// Listen again on the same address.
    pub async fn resume_listening(&self) -> std::io::Result<()> {
        let mut guard = self.serving.lock().await;
        if guard.is_some() {
            return Ok(());
        }
        let listener = bind_retrying(self.addr).await?;
        *guard = Some(serve(listener, self.shared.clone())?);
        Ok(())
    }
    pub async fn shutdown(self) {
        self.stop_listening().await;
        self.shared.shutdown.cancel();
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Ok(mut guard) = self.serving.try_lock()
            && let Some(s) = guard.take()
        {
            s.stop.cancel();
        }
        self.shared.shutdown.cancel();
    }
}

fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{}", addr.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}", addr.port()),
    }
}

async fn bind_retrying(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let mut last = None;
    for _ in 0..50 {
        match TcpListener::bind(addr).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                last = Some(e);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("could not bind")))
}

fn serve(listener: TcpListener, shared: Arc<Shared>) -> std::io::Result<Serving> {
    let stop = CancellationToken::new();
    let (closed_tx, closed) = oneshot::channel();
    let listener = listener::KillableListener::new(listener, stop.clone(), closed_tx)?;
    let app = router::router(shared.clone());
    let signal = stop.clone().cancelled_owned();
    let task = shared.runtime.spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(signal)
            .await;
    });
    Ok(Serving { stop, closed, task })
}

async fn stop_serving(s: Serving) {
    s.stop.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(2), s.closed).await;
    let mut task = s.task;
    if tokio::time::timeout(Duration::from_secs(2), &mut task)
        .await
        .is_err()
    {
        task.abort();
    }
}

/// Start a simulator and return once it accepts connections.
pub async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
    let speed = if config.speed.is_finite() && config.speed > 0.0 {
        config.speed
    } else {
        1.0
    };
    let seed = config.seed;
    let apps = config.apps;
    let queue_limit = config.queue_limit;
    let mut world = tokio::task::spawn_blocking(move || demo::build(seed, apps, queue_limit))
        .await
        .map_err(std::io::Error::other)?;
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    world
        .tokens
        .insert(config.token.clone(), vec!["root".to_string()]);
    world.github_token = config.github_token.clone();
    world.github_base = format!("{}/github", base_url(addr));
    let shared = Arc::new(Shared::new(world, speed, tokio::runtime::Handle::current()));
    let serving = serve(listener, shared.clone())?;
    Ok(SimHandle {
        addr,
        token: config.token,
        github_token: config.github_token,
        shared,
        serving: tokio::sync::Mutex::new(Some(serving)),
    })
}
