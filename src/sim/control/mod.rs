//! In-process control of a running simulator ([`SimControl`], [`Fault`]); the `endpoints`
//! submodule serves the same operations over HTTP under `/_sim/`.

pub(crate) mod endpoints;

use std::sync::Arc;
use std::time::Duration;

use super::lifecycle;
use super::shared::Shared;
use super::traffic::{CannedResponse, FaultRule};

/// In-process control of a running simulator (the same operations are served over HTTP
/// under `/_sim/` for simulators in another process).
#[derive(Clone)]
pub struct SimControl {
    shared: Arc<Shared>,
}

impl SimControl {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// Accept another Coolify token with the given abilities (`read`, `read:sensitive`,
    /// `write`, `write:sensitive`, `deploy`, `root`).
    pub fn add_token(&self, token: &str, abilities: &[&str]) {
        self.shared.world_mut().tokens.insert(
            token.to_string(),
            abilities.iter().map(|a| a.to_string()).collect(),
        );
    }
    /// Make the next deployment of an application (name or uuid) fail; false if unknown.
    pub fn fail_next_deployment(&self, application: &str) -> bool {
        let mut w = self.shared.world_mut();
        match w.app_by_name_or_uuid(application) {
            Some(a) => {
                w.fail_next.insert(a);
                true
            }
            None => false,
        }
    }
    /// Make the next deployment of an application (name or uuid) print `line` in its build
    /// log, visible, after the line it starts with (text as a build step could print it,
    /// escape sequences included); false if unknown.
    pub fn log_next(&self, application: &str, line: &str) -> bool {
        let mut w = self.shared.world_mut();
        match w.app_by_name_or_uuid(application) {
            Some(a) => {
                w.log_next.insert(a, line.to_string());
                true
            }
            None => false,
        }
    }
    pub fn inject_fault(&self, fault: Fault) {
        let (delay, respond) = match fault.kind {
            FaultKind::Delay(d) => (Some(d), None),
            FaultKind::Respond {
                status,
                content_type,
                body,
                headers,
            } => (
                None,
                Some(CannedResponse {
                    status,
                    content_type,
                    body,
                    headers,
                    repeat: None,
                }),
            ),
            FaultKind::Endless {
                status,
                content_type,
                start,
                repeat,
            } => (
                None,
                Some(CannedResponse {
                    status,
                    content_type,
                    body: start,
                    headers: Vec::new(),
                    repeat: Some(repeat),
                }),
            ),
        };
        self.shared.traffic().faults.push(FaultRule {
            method: fault.method,
            path_prefix: fault.path_prefix,
            remaining: fault.times,
            delay,
            respond,
        });
    }
    pub fn clear_faults(&self) {
        self.shared.traffic().faults.clear();
    }
    /// Coolify's instance-wide API switch: off answers 403 `{"success":true,"message":"API is disabled."}`.
    pub fn set_api_enabled(&self, enabled: bool) {
        self.shared.world_mut().api_enabled = enabled;
    }
    /// Coolify's API throttle, per token per minute (`X-RateLimit-*` headers, 429 with
    /// `Retry-After` when exceeded). `None` (the default) is unlimited.
    pub fn set_rate_limit(&self, per_minute: Option<u32>) {
        let mut t = self.shared.traffic();
        t.rate_limit = per_minute;
        t.rate_windows.clear();
    }
    /// Every distinct method and path (without the query) served so far, outside `/_sim/`.
    pub fn requests(&self) -> Vec<(String, String)> {
        self.shared.traffic().seen.iter().cloned().collect()
    }
    /// Every distinct `Authorization` header this simulator received outside `/_sim/`
    /// (`Bearer 1|...`): which credentials reached this server.
    pub fn authorizations(&self) -> Vec<String> {
        self.shared
            .traffic()
            .authorizations
            .iter()
            .cloned()
            .collect()
    }
    /// Hold queued deployments in `queued` (true) or let them start again (false).
    /// Deployments already running carry on.
    pub fn pause_queue(&self, paused: bool) {
        self.shared.world_mut().queue_paused = paused;
        if !paused {
            lifecycle::dispatch(&self.shared);
        }
    }
    /// Commit on a branch of a simulated GitHub repository (`owner/name`), then queue the
    /// auto-deployments of the applications tracking that branch, as Coolify's push
    /// webhook does. Returns the new commit sha and the queued deployment uuids; None if
    /// the repository or branch is unknown.
    pub fn push_commit(
        &self,
        repo: &str,
        branch: &str,
        message: &str,
    ) -> Option<(String, Vec<String>)> {
        let out = self.shared.world_mut().push_commit(repo, branch, message);
        if out.is_some() {
            lifecycle::dispatch(&self.shared);
        }
        out
    }
}

impl SimControl {
    /// Make the next deployment of an application (name or uuid) that finishes leave it
    /// unhealthy: the deployment ends `finished`, then the app reports `running:unhealthy`
    /// (`running:unknown` without a Coolify health check) and its health endpoint
    /// (`/_sim/health/{host}/...`) answers 503 until a later run finishes. False if unknown.
    pub fn fail_next_health(&self, application: &str) -> bool {
        let mut w = self.shared.world_mut();
        match w.app_by_name_or_uuid(application) {
            Some(a) => {
                w.fail_health_next.insert(a);
                true
            }
            None => false,
        }
    }
    /// Make the change at `head` (a branch or sha) of a repository (`owner/name`) clash
    /// with the branch `base`: merges into `base` of anything containing it answer `409
    /// Merge conflict`, changing nothing, until [`SimControl::clear_conflict`]. False if
    /// the repository, base or head is unknown.
    pub fn make_conflict(&self, repo: &str, base: &str, head: &str) -> bool {
        self.shared.world_mut().make_conflict(repo, base, head)
    }
    /// Remove a conflict made by [`SimControl::make_conflict`]; true if there was one.
    pub fn clear_conflict(&self, repo: &str, base: &str, head: &str) -> bool {
        self.shared.world_mut().clear_conflict(repo, base, head)
    }
    /// Turn a branch's protection (a required `ci` status check) on or off. A protected
    /// branch refuses direct merges with 409 `Required status check "ci" is expected.` and
    /// is reported `protected` by the branch endpoints. False if the repository or branch
    /// is unknown.
    pub fn protect_branch(&self, repo: &str, branch: &str, protected: bool) -> bool {
        self.shared
            .world_mut()
            .protect_branch(repo, branch, protected)
    }
    /// The head sha of a branch of a simulated repository.
    pub fn branch_head(&self, repo: &str, branch: &str) -> Option<String> {
        self.shared
            .world()
            .repo(repo)
            .and_then(|r| r.head(branch))
            .map(str::to_string)
    }
    /// Give an application (name or uuid) a deployment with a `lines`-entry build log, one
    /// display line per entry, for measuring how pftui copes with huge logs. With
    /// `seconds` 0 the deployment is already `finished` with its whole log; otherwise it is
    /// `in_progress`, its log grows in equal parts every 250 ms over that many seconds,
    /// then it finishes. It becomes the application's latest deployment. Returns its uuid;
    /// None if the application is unknown.
    pub fn big_log(&self, application: &str, lines: u32, seconds: f64) -> Option<String> {
        const STEP: Duration = Duration::from_millis(250);
        let parts = if seconds.is_finite() && seconds > 0.0 {
            ((seconds / STEP.as_secs_f64()).ceil() as u32).clamp(1, lines.max(1))
        } else {
            0
        };
        let (dep, uuid) = {
            let mut w = self.shared.world_mut();
            let app = w.app_by_name_or_uuid(application)?;
            let first = if parts == 0 {
                lines
            } else {
                lines / (parts + 1)
            };
            let dep = w.add_big_log(app, first, parts > 0);
            (dep, w.deployments[dep].uuid.clone())
        };
        if parts > 0 {
            let shared = self.shared.clone();
            self.shared.runtime.spawn(async move {
                let done = lines / (parts + 1);
                let rest = lines - done;
                for k in 0..parts {
                    tokio::select! {
                        _ = shared.shutdown.cancelled() => return,
                        _ = tokio::time::sleep(STEP) => {}
                    }
                    let count = rest / parts + u32::from(k < rest % parts);
                    shared.world_mut().grow_big_log(dep, count, k + 1 == parts);
                }
            });
        }
        Some(uuid)
    }
    /// The Coolify version the server reports (`GET /api/v1/version`). Below 4.3.0 the
    /// rollback endpoints (`GET /applications/{uuid}/rollback-images`,
    /// `POST /applications/{uuid}/rollback`) answer 404 like routes that do not exist.
    pub fn set_version(&self, version: &str) {
        self.shared.world_mut().coolify_version = version.trim().to_string();
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

impl Fault {
    /// Answer every request under `path_prefix`, whatever its method, with `status` and
    /// `body` as `content_type`.
    pub fn respond(path_prefix: &str, status: u16, content_type: &str, body: &str) -> Self {
        Self {
            method: None,
            path_prefix: path_prefix.to_string(),
            times: None,
            kind: FaultKind::Respond {
                status,
                content_type: content_type.to_string(),
                body: body.to_string(),
                headers: Vec::new(),
            },
        }
    }

    /// [`Fault::respond`] with a JSON body.
    pub fn json(path_prefix: &str, status: u16, body: &serde_json::Value) -> Self {
        Self::respond(path_prefix, status, "application/json", &body.to_string())
    }

    /// Only requests with this method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_string());
        self
    }

    /// Only the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }
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
    /// Answer with this status and content type and a body that never ends: `start`, then
    /// `repeat` over and over (`[` then `{"id":1},` is a JSON list without end).
    Endless {
        status: u16,
        content_type: String,
        start: String,
        repeat: String,
    },
}
