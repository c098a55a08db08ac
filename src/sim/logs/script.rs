//! The timed steps of a deployment run (`steps`), from the worker's pickup to the last
//! log line, following Coolify's `ApplicationDeploymentJob`: helper container, `git
//! ls-remote`, image check, clone, Nixpacks build, rolling update with health check, and
//! the failure report when a step fails.

use super::nixpacks;
use super::{CommandField, FailKind, LogEntry, RunKind, ScriptCtx, addlog_text};
use crate::sim::ids::{IdGen, Ts};

/// The image of Coolify's helper container, in which builds run.
const HELPER_IMAGE: &str = "ghcr.io/coollabsio/coolify-helper:1.0.15";

/// One timed change a running deployment makes.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// Wait this long (at speed 1) after the previous step.
    pub delay_ms: u64,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// `queued` -> `in_progress`.
    Start {
        worker: String,
        job_id: String,
    },
    Log(LogEntry),
    /// `git ls-remote` answered: the row's `commit` becomes the sha.
    ResolveCommit(String),
    CommitMessage(String),
    ProcessId(String),
    /// The new container is being started: application `starting:unknown`.
    AppStarting,
    /// The new container runs (name).
    ContainerStarted(String),
    /// Terminal status; `built` says whether a new image was produced.
    Finish {
        success: bool,
        built: bool,
    },
}

/// Delay before a claimed deployment is picked up by a worker (the "moment" in `queued`).
pub(crate) const PICKUP_MS: u64 = 900;

struct Builder<'a> {
    ctx: &'a ScriptCtx,
    steps: Vec<Step>,
    batch: u32,
    rng: IdGen,
}

impl<'a> Builder<'a> {
    fn new(ctx: &'a ScriptCtx) -> Self {
        Self {
            ctx,
            steps: Vec::new(),
            batch: ctx.batch_start,
            rng: IdGen::derived(ctx.seed, 0x10_65),
        }
    }

    fn jitter(&mut self, ms: u64) -> u64 {
        if ms < 10 {
            return ms;
        }
        let spread = ms / 4;
        ms - spread + self.rng.range(0..spread * 2 + 1)
    }

    fn push(&mut self, delay: u64, action: Action) {
        // The nominal delays add up to a little more than a real small build; scale them
        // so a full Nixpacks deployment takes 10-20 s at speed 1.
        let delay_ms = self.jitter(delay) * 4 / 5;
        self.steps.push(Step { delay_ms, action });
    }

    fn entry(
        &mut self,
        delay: u64,
        command: CommandField,
        output: String,
        stderr: bool,
        hidden: bool,
        batch: u32,
    ) {
        self.push(
            delay,
            Action::Log(LogEntry {
                command,
                output,
                stderr,
                timestamp: Ts(0),
                hidden,
                batch,
                order: 0,
            }),
        );
    }

    fn msg(&mut self, delay: u64, text: &str) {
        self.entry(
            delay,
            CommandField::Null,
            addlog_text(text),
            false,
            false,
            1,
        );
    }

    fn msg_hidden(&mut self, delay: u64, text: &str) {
        self.entry(delay, CommandField::Null, addlog_text(text), false, true, 1);
    }

    fn msg_err(&mut self, delay: u64, text: &str, hidden: bool) {
        self.entry(
            delay,
            CommandField::Null,
            addlog_text(text),
            true,
            hidden,
            1,
        );
    }

    /// One `execute_remote_command` call with a single command and its output chunks
    /// (text, stderr, delay before the chunk).
    fn exec(&mut self, delay: u64, command: &str, hidden: bool, chunks: &[(String, bool, u64)]) {
        self.batch += 1;
        let batch = self.batch;
        let mut first = true;
        for (text, stderr, d) in chunks {
            let wait = if first { delay + d } else { *d };
            first = false;
            let output = text.trim();
            let output = if output.starts_with('╔') {
                format!("\n{output}")
            } else {
                output.to_string()
            };
            self.entry(
                wait,
                CommandField::Text(command.to_string()),
                output,
                *stderr,
                hidden,
                batch,
            );
        }
    }

    fn in_helper(&self, cmd: &str) -> String {
        format!(
            "docker exec {} bash -c '{}'",
            self.ctx.deployment_uuid,
            cmd.replace('\'', "'\\''")
        )
    }

    fn artifacts(&self) -> String {
        format!("/artifacts/{}", self.ctx.deployment_uuid)
    }

    fn workdir(&self) -> String {
        let base = self.ctx.base_directory.trim_end_matches('/');
        format!("{}{}", self.artifacts(), base)
    }

    fn image(&self) -> String {
        format!("{}:{}", self.ctx.app_uuid, self.ctx.commit)
    }

    fn new_container(&self) -> String {
        format!(
            "{}-{}",
            self.ctx.app_uuid,
            self.ctx.started.plus_ms(9_000).container_suffix()
        )
    }

    // ----- phases -----

    fn buildkit_detection(&mut self) {
        let text = format!(
            "Docker 27.3.1 with BuildKit and Buildx detected on deployment server ({}).",
            self.ctx.server_name
        );
        self.msg(300, &text);
    }

    fn prepare_helper(&mut self) {
        self.msg(
            200,
            &format!("Preparing container with helper image: {HELPER_IMAGE}"),
        );
        let dep = self.ctx.deployment_uuid.clone();
        self.exec(
            150,
            &format!("docker stop --time=30 {dep}"),
            true,
            &[(
                format!("Error response from daemon: No such container: {dep}"),
                true,
                0,
            )],
        );
        let run = format!(
            "docker run -d --network '{}' --name {dep}  --rm -v /root/.docker/buildx:/root/.docker/buildx -v /var/run/docker.sock:/var/run/docker.sock {HELPER_IMAGE}",
            self.ctx.network
        );
        let container_id = self.rng.hex(64);
        self.exec(600, &run, true, &[(container_id, false, 0)]);
        let pid = (20_000 + self.rng.range(0..40_000)).to_string();
        self.push(10, Action::ProcessId(pid));
    }

    fn ls_remote(&mut self) {
        if self.rng.chance(0.3) {
            // An SSH hiccup: the retry notice has no `command` key.
            self.batch += 1;
            let batch = self.batch;
            self.entry(
                500,
                CommandField::Absent,
                "SSH connection failed. Retrying... (Attempt 1/3, waiting 2s)\nError: kex_exchange_identification: read: Connection reset by peer".to_string(),
                false,
                false,
                batch,
            );
        }
        let cmd = self.in_helper(&format!(
            "GIT_SSH_COMMAND=\"ssh -o ConnectTimeout=30 -p 22 -o Port=22 -o LogLevel=ERROR -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null\" git ls-remote 'https://github.com/{}' 'refs/heads/{}'",
            self.ctx.repo, self.ctx.branch
        ));
        match self.ctx.branch_head.clone() {
            Some(head) => {
                let out = format!("{head}\trefs/heads/{}", self.ctx.branch);
                self.exec(700, &cmd, true, &[(out, false, 0)]);
            }
            // No output, no entry.
            None => self.batch += 1,
        }
        if self.ctx.resolve_head && self.ctx.branch_head.is_some() {
            let sha = self.ctx.commit.clone();
            self.push(5, Action::ResolveCommit(sha));
        }
    }

    fn check_image(&mut self) -> bool {
        let image = self.image();
        let cmd = format!("docker images -q {image} 2>/dev/null");
        if self.ctx.image_exists {
            let id = self.rng.hex(12);
            self.exec(250, &cmd, true, &[(id, false, 0)]);
            true
        } else {
            // No output, so no entry.
            self.batch += 1;
            false
        }
    }

    fn clone_repo(&mut self) -> bool {
        let dir = self.artifacts();
        self.msg(150, "\n----------------------------------------");
        let text = format!(
            "Importing {}:{} (commit sha {}) to {dir}.",
            self.ctx.repo, self.ctx.branch, self.ctx.commit
        );
        self.msg(60, &text);
        let ssh = "GIT_SSH_COMMAND=\"ssh -o ConnectTimeout=30 -p 22 -o Port=22 -o LogLevel=ERROR -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null\"";
        let clone = self.in_helper(&format!(
            "git clone --depth=1 --recurse-submodules --shallow-submodules -b '{}' 'https://github.com/{}' '{dir}' && cd '{dir}' && {ssh} git fetch --depth=1 origin '{}' && git -c advice.detachedHead=false checkout '{}' >/dev/null 2>&1 && cd '{dir}' && if [ -f .gitmodules ]; then sed -i \"s#git@\\(.*\\):#https://\\1/#g\" '{dir}'/.gitmodules || true && git submodule sync && {ssh} git submodule update --init --recursive --depth=1; fi && cd '{dir}' && {ssh} git lfs pull",
            self.ctx.branch, self.ctx.repo, self.ctx.commit, self.ctx.commit
        ));
        let cloning = format!("Cloning into '{dir}'...");
        if self.ctx.fail == Some(FailKind::UnknownRef) {
            let err = if self.ctx.commit == "HEAD" {
                format!(
                    "fatal: Remote branch {} not found in upstream origin",
                    self.ctx.branch
                )
            } else {
                format!(
                    "fatal: remote error: upload-pack: not our ref {}",
                    self.ctx.commit
                )
            };
            self.exec(
                1200,
                &clone,
                true,
                &[(cloning.clone(), true, 0), (err.clone(), true, 300)],
            );
            let detail = format!(
                "Command execution failed (exit code 128): {clone}\nError: {cloning}\n{err}"
            );
            self.fail_tail(&detail);
            return false;
        }
        let fetched = format!(
            "From https://github.com/{}\n * branch            {} -> FETCH_HEAD",
            self.ctx.repo, self.ctx.commit
        );
        self.exec(
            900,
            &clone,
            true,
            &[(cloning, true, 0), (fetched, true, 350)],
        );
        let log_cmd = self.in_helper(&format!(
            "cd {} && git log -1 '{}' --pretty=%B",
            self.workdir(),
            self.ctx.commit
        ));
        let message = self
            .ctx
            .commit_message
            .clone()
            .unwrap_or_else(|| "Merge branch 'develop' into staging".to_string());
        self.exec(200, &log_cmd, true, &[(message.clone(), false, 0)]);
        self.push(5, Action::CommitMessage(message));
        true
    }

    fn nixpacks_plan(&mut self) {
        let wd = self.workdir();
        let plan_cmd = format!(
            "nixpacks plan -f json --env 'NIXPACKS_NODE_VERSION={}' {wd}",
            self.ctx.node_version
        );
        self.msg(
            300,
            &format!("Generating nixpacks configuration with: {plan_cmd}"),
        );
        let plan = nixpacks::plan_json(self.ctx, false);
        let cmd = self.in_helper(&plan_cmd);
        self.exec(900, &cmd, true, &[(plan, false, 0)]);
        let detect = self.in_helper(&format!("nixpacks detect {wd}"));
        self.exec(200, &detect, true, &[("node".to_string(), false, 0)]);
        self.msg(50, "Found application type: node.");
        self.msg(
            20,
            "If you need further customization, please check the documentation of Nixpacks: https://nixpacks.com/docs/providers/node",
        );
        let final_plan = format!(
            "Final Nixpacks plan: {}",
            nixpacks::plan_json(self.ctx, true)
        );
        self.msg_hidden(20, &final_plan);
        self.msg_hidden(
            100,
            "Creating build-time .env file in /artifacts (outside Docker context).",
        );
    }

    fn build(&mut self) -> bool {
        self.msg(100, "----------------------------------------");
        self.msg(20, "Building docker image started.");
        self.msg(
            20,
            "To check the current progress, click on Show Debug Logs.",
        );
        let wd = self.workdir();
        let image = self.image();
        let app = self.ctx.app_uuid.clone();
        let nixpacks = if self.ctx.force {
            format!(
                "nixpacks build -c /artifacts/thegameplan.json --no-cache --no-error-without-start -n {image} {wd} -o {wd}"
            )
        } else {
            format!(
                "nixpacks build -c /artifacts/thegameplan.json --cache-key '{app}' --no-error-without-start -n {image} {wd} -o {wd}"
            )
        };
        let cmd = self.in_helper(&nixpacks);
        let out = format!("{}\n\nSaved output to:\n  {wd}", nixpacks::banner(self.ctx));
        self.exec(800, &cmd, true, &[(out, false, 0)]);
        let cat = self.in_helper(&format!("cat {wd}/.nixpacks/Dockerfile"));
        let dockerfile = nixpacks::dockerfile(self.ctx);
        self.exec(150, &cat, true, &[(dockerfile, false, 0)]);
        let no_cache = if self.ctx.force { "--no-cache " } else { "" };
        let script = format!(
            "cd {wd} && set -a && source /artifacts/build-time.env && set +a && DOCKER_BUILDKIT=1 docker build {no_cache} --network host -f {wd}/.nixpacks/Dockerfile --progress plain -t {image} --build-arg 'CI' --build-arg 'COOLIFY_BRANCH' --build-arg 'COOLIFY_RESOURCE_UUID' --build-arg 'NIXPACKS_NODE_VERSION' --build-arg 'SOURCE_COMMIT' {wd}"
        );
        self.batch += 1; // writing /artifacts/build.sh prints nothing
        let cat_script = self.in_helper("cat /artifacts/build.sh");
        self.exec(100, &cat_script, true, &[(script, false, 0)]);
        let run = self.in_helper("bash /artifacts/build.sh");
        let (chunks, failure) = nixpacks::buildkit_output(self.ctx, &image, &mut self.rng);
        self.exec(200, &run, true, &chunks);
        if let Some(tail) = failure {
            let detail = format!("Command execution failed (exit code 1): {run}\nError: {tail}");
            self.fail_tail(&detail);
            return false;
        }
        self.msg(100, "Building docker image completed.");
        true
    }

    /// Start the new container, wait for its health check, remove the old one; false if
    /// the new container stayed unhealthy (the run is then marked failed).
    fn rolling_update(&mut self) -> bool {
        self.msg_hidden(
            100,
            "Creating .env file with runtime variables for container.",
        );
        self.msg(150, "----------------------------------------");
        self.msg(20, "Rolling update started.");
        self.push(5, Action::AppStarting);
        let app = self.ctx.app_uuid.clone();
        let container = self.new_container();
        self.exec(
            80,
            &format!("touch /data/coolify/applications/{app}/.env"),
            true,
            &[],
        );
        let wd = self.workdir();
        let up = self.in_helper(&format!(
            "SOURCE_COMMIT={} COOLIFY_FQDN= COOLIFY_BRANCH={} COOLIFY_RESOURCE_UUID={app} COOLIFY_CONTAINER_NAME={container}  docker compose --project-name {app} --project-directory {wd} -f {wd}/docker-compose.yaml up --build -d",
            self.ctx.commit, self.ctx.branch
        ));
        self.exec(
            900,
            &up,
            true,
            &[(
                format!(
                    " Container {container}  Creating\n Container {container}  Created\n Container {container}  Starting\n Container {container}  Started"
                ),
                true,
                0,
            )],
        );
        self.msg(50, "New container started.");
        self.push(5, Action::ContainerStarted(container.clone()));
        if let Some(path) = self.ctx.health_check.clone() {
            self.msg(50, "Waiting for healthcheck to pass on the new container.");
            let url = format!(
                "Healthcheck URL (inside the container): GET: http://localhost:{}{path}",
                self.ctx.port
            );
            self.msg(20, &url);
            self.msg(
                20,
                "Waiting for the start period (5 seconds) before starting healthcheck.",
            );
            let status_cmd =
                format!("docker inspect --format='{{{{json .State.Health.Status}}}}' {container}");
            let log_cmd =
                format!("docker inspect --format='{{{{json .State.Health.Log}}}}' {container}");
            self.exec(700, &status_cmd, true, &[("\"starting\"".into(), false, 0)]);
            self.exec(40, &log_cmd, true, &[("null".into(), false, 0)]);
            self.msg(20, "Attempt 1 of 10 | Healthcheck status: \"starting\"");
            if self.ctx.fail == Some(FailKind::Unhealthy) {
                self.exec(
                    1000,
                    &status_cmd,
                    true,
                    &[("\"unhealthy\"".into(), false, 0)],
                );
                let start = self.ctx.started.plus_ms(12_000).iso();
                let log = format!(
                    "[{{\"Start\":\"{start}\",\"End\":\"{start}\",\"ExitCode\":1,\"Output\":\"\"}}]"
                );
                self.exec(40, &log_cmd, true, &[(log, false, 0)]);
                self.msg(20, "Attempt 2 of 10 | Healthcheck status: \"unhealthy\"");
                self.msg(10, "Healthcheck logs: (no logs) | Return code: 1");
                self.msg_err(20, "New container is unhealthy.", false);
                self.msg(20, "----------------------------------------");
                self.msg(10, "Container logs:");
                let crash = format!(
                    "> {}@{} start\n> next start -p {}\n\n  ▲ Next.js 14.2.15\n  - Local:        http://localhost:{}\n\n ✓ Starting...\n ✓ Ready in 402ms\n ⨯ Error: Missing required environment variable SUPABASE_SERVICE_ROLE_KEY\n    at loadConfig (/app/.next/server/chunks/611.js:1:1043)\n    at /app/.next/server/app/api/health/route.js:1:2210 {{\n  digest: '1780562144'\n}}",
                    self.ctx.package, self.ctx.package_version, self.ctx.port, self.ctx.port
                );
                self.exec(
                    300,
                    &format!("docker logs -n 100 {container}"),
                    false,
                    &[(crash, true, 0)],
                );
                self.msg(20, "----------------------------------------");
                self.msg(200, "Removing old containers.");
                self.msg(
                    20,
                    "New container is not healthy, rolling back to the old container.",
                );
                self.push(
                    20,
                    Action::Finish {
                        success: false,
                        built: false,
                    },
                );
                self.exec(
                    400,
                    &format!("docker stop --time=30 {container}"),
                    true,
                    &[(container.clone(), false, 0)],
                );
                self.msg(100, "Rolling update completed.");
                return false;
            }
            self.exec(1000, &status_cmd, true, &[("\"healthy\"".into(), false, 0)]);
            let start = self.ctx.started.plus_ms(12_000).iso();
            let log = format!(
                "[{{\"Start\":\"{start}\",\"End\":\"{start}\",\"ExitCode\":0,\"Output\":\"\"}}]"
            );
            self.exec(40, &log_cmd, true, &[(log, false, 0)]);
            self.msg(20, "Attempt 2 of 10 | Healthcheck status: \"healthy\"");
            self.msg(10, "Healthcheck logs: (no logs) | Return code: 0");
            self.msg(20, "New container is healthy.");
        }
        self.msg(200, "Removing old containers.");
        if let Some(old) = self.ctx.old_container.clone() {
            self.exec(
                500,
                &format!("docker stop --time=30 {old}"),
                true,
                &[(old.clone(), false, 0)],
            );
            let rm = format!(
                "bash -c 'if command -v timeout >/dev/null 2>&1; then output=$(timeout -k 10s 60s docker rm -f '\\''{old}'\\'' 2>&1); exit_code=$?; else output='\\'''\\''; exit_code=124; fi; if [ \"$exit_code\" -eq 124 ]; then echo '\\''__COOLIFY_CONTAINER_REMOVE_TIMEOUT__'\\''; elif [ \"$exit_code\" -ne 0 ] && printf '\\''%s'\\'' \"$output\" | grep -q '\\''No such container:'\\''; then exit 0; elif [ \"$exit_code\" -ne 0 ]; then printf '\\''%s\\n'\\'' \"$output\" >&2; else printf '\\''%s\\n'\\'' \"$output\"; fi; exit $exit_code'"
            );
            self.exec(300, &rm, true, &[(old, false, 0)]);
        }
        self.msg(100, "Rolling update completed.");
        true
    }

    fn skip_build_message(&mut self) {
        let text = format!(
            "No build configuration changed & image found ({}) with the same Git Commit SHA. Build step skipped.",
            self.image()
        );
        self.msg(100, &text);
    }

    fn image_not_found_message(&mut self) {
        let text = format!("Image not found ({}). Building new image.", self.image());
        self.msg(100, &text);
    }

    /// `ApplicationDeploymentJob::failed()`: status first, then the error report.
    fn fail_tail(&mut self, detail: &str) {
        self.push(
            40,
            Action::Finish {
                success: false,
                built: false,
            },
        );
        self.msg_err(30, "========================================", false);
        self.msg_err(10, &format!("Deployment failed: {detail}"), false);
        self.msg_err(5, "Error type: App\\Exceptions\\DeploymentException", true);
        self.msg_err(5, "Error code: 0", true);
        self.msg_err(
            5,
            "Location: /var/www/html/app/Traits/ExecuteRemoteCommand.php:247",
            true,
        );
        self.msg_err(5, "Stack trace (first 5 lines):", true);
        for line in [
            "  #0 /var/www/html/app/Traits/ExecuteRemoteCommand.php(107): App\\Jobs\\ApplicationDeploymentJob->executeCommandWithProcess()",
            "  #1 [internal function]: App\\Jobs\\ApplicationDeploymentJob->{closure:App\\Traits\\ExecuteRemoteCommand::execute_remote_command():72}()",
            "  #2 /var/www/html/vendor/laravel/framework/src/Illuminate/Collections/Traits/EnumeratesValues.php(272): array_map()",
            "  #3 /var/www/html/app/Traits/ExecuteRemoteCommand.php(72): Illuminate\\Support\\Collection->each()",
            "  #4 /var/www/html/app/Jobs/ApplicationDeploymentJob.php(3733): App\\Jobs\\ApplicationDeploymentJob->execute_remote_command()",
        ] {
            self.msg_err(2, line, true);
        }
        self.msg_err(5, "========================================", false);
        self.msg_err(
            10,
            "Deployment failed. Removing the new version of your application.",
            false,
        );
        let container = self.new_container();
        self.exec(
            250,
            &format!("bash -c 'if command -v timeout >/dev/null 2>&1; then output=$(timeout -k 10s 60s docker rm -f '\\''{container}'\\'' 2>&1); exit_code=$?; else output='\\'''\\''; exit_code=124; fi; exit $exit_code'"),
            true,
            &[],
        );
    }

    fn shutdown_helper(&mut self) {
        let dep = self.ctx.deployment_uuid.clone();
        self.msg(
            80,
            &format!("Gracefully shutting down build container: {dep}"),
        );
        self.exec(
            300,
            &format!("docker stop --time=30 {dep}"),
            true,
            &[(dep.clone(), false, 0)],
        );
    }

    fn finish_ok(&mut self, built: bool) {
        self.push(
            50,
            Action::Finish {
                success: true,
                built,
            },
        );
    }
}

/// The timed steps of a run, from pickup to the last log line.
pub(crate) fn steps(ctx: &ScriptCtx) -> Vec<Step> {
    let mut b = Builder::new(ctx);
    let worker = format!("coolify-{}", b.rng.alnum(6));
    let job_id = (100_000 + b.rng.range(0..900_000)).to_string();
    b.push(0, Action::Start { worker, job_id });
    b.buildkit_detection();
    let ok = match ctx.kind {
        RunKind::Restart => restart(&mut b),
        RunKind::Rollback | RunKind::Deploy => deploy(&mut b, true),
    };
    let _ = ok;
    b.shutdown_helper();
    b.steps
}

fn starting_line(b: &mut Builder<'_>) {
    let text = format!(
        "Starting deployment of {}:{} to {}.",
        b.ctx.repo, b.ctx.branch, b.ctx.server_name
    );
    b.msg(150, &text);
    if let Some(line) = b.ctx.planted_line.clone() {
        b.msg(0, &line);
    }
}

/// The Nixpacks path of `deploy_nixpacks_buildpack`; false if the run failed.
fn deploy(b: &mut Builder<'_>, announce: bool) -> bool {
    if announce {
        starting_line(b);
    }
    b.prepare_helper();
    b.ls_remote();
    if !b.ctx.force {
        if b.check_image() {
            b.skip_build_message();
            if !b.rolling_update() {
                return false;
            }
            b.finish_ok(false);
            return true;
        }
        b.image_not_found_message();
    }
    if !b.clone_repo() {
        return false;
    }
    b.nixpacks_plan();
    if !b.build() || !b.rolling_update() {
        return false;
    }
    b.finish_ok(true);
    true
}

/// `just_restart`: reuse the image of the current commit, else fall back to a full build.
fn restart(b: &mut Builder<'_>) -> bool {
    let text = format!(
        "Restarting {}:{} on {}.",
        b.ctx.repo, b.ctx.branch, b.ctx.server_name
    );
    b.msg(150, &text);
    b.prepare_helper();
    b.ls_remote();
    if b.check_image() {
        b.skip_build_message();
        if !b.rolling_update() {
            return false;
        }
        b.finish_ok(false);
        return true;
    }
    b.image_not_found_message();
    deploy(b, true)
}

/// How long a run takes at speed 1, from being queued to its last step (the last log
/// line): when its `finished_at` is stamped.
pub(crate) fn run_ms(ctx: &ScriptCtx) -> u64 {
    PICKUP_MS + steps(ctx).iter().map(|s| s.delay_ms).sum::<u64>()
}

/// All log entries of a finished run, timestamped on a virtual clock from its start.
pub(crate) fn render_recorded(ctx: &ScriptCtx) -> Vec<LogEntry> {
    let mut t = ctx.started.plus_ms(PICKUP_MS as i64);
    let mut out = Vec::new();
    for step in steps(ctx) {
        t = t.plus_ms(step.delay_ms as i64);
        if let Action::Log(mut e) = step.action {
            e.timestamp = t;
            e.order = out.len() as u32 + 1;
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::logs::logs_string;

    fn ctx(kind: RunKind, image_exists: bool, fail: Option<FailKind>) -> ScriptCtx {
        ScriptCtx {
            deployment_uuid: "d".repeat(24),
            app_uuid: "a".repeat(24),
            repo: "pfcore/pf-air".into(),
            branch: "staging".into(),
            server_name: "pfcore-main".into(),
            network: "coolify".into(),
            commit: "c".repeat(40),
            resolve_head: true,
            branch_head: Some("c".repeat(40)),
            commit_message: Some("feat: x".into()),
            planted_line: None,
            kind,
            force: false,
            image_exists,
            old_container: Some("old".into()),
            fail,
            health_check: Some("/api/health".into()),
            port: "3000".into(),
            package: "pf-air".into(),
            package_version: "1.8.0".into(),
            node_version: "20".into(),
            base_directory: "/".into(),
            seed: 5,
            started: Ts(1_787_393_472_000_000),
            batch_start: 1,
        }
    }

    fn finishes(c: &ScriptCtx) -> Vec<bool> {
        steps(c)
            .into_iter()
            .filter_map(|s| match s.action {
                Action::Finish { success, .. } => Some(success),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_build_takes_ten_to_twenty_seconds_at_speed_one() {
        for seed in 0..50 {
            let mut c = ctx(RunKind::Deploy, false, None);
            c.seed = seed;
            let full = run_ms(&c);
            assert!((10_000..=20_000).contains(&full), "{full} ms");
            let mut r = ctx(RunKind::Restart, true, None);
            r.seed = seed;
            assert!(run_ms(&r) < full, "a restart reuses the image");
        }
    }

    #[test]
    fn every_script_ends_exactly_once() {
        for (kind, image, fail, ok) in [
            (RunKind::Deploy, false, None, true),
            (RunKind::Deploy, true, None, true),
            (RunKind::Restart, true, None, true),
            (RunKind::Restart, false, None, true),
            (RunKind::Rollback, true, None, true),
            (RunKind::Deploy, false, Some(FailKind::TypeScript), false),
            (RunKind::Deploy, false, Some(FailKind::NpmCi), false),
            (RunKind::Rollback, false, Some(FailKind::UnknownRef), false),
            (RunKind::Restart, true, Some(FailKind::Unhealthy), false),
        ] {
            assert_eq!(finishes(&ctx(kind, image, fail)), [ok], "{kind:?} {fail:?}");
        }
    }

    #[test]
    fn recorded_runs_render_numbered_entries() {
        let entries = render_recorded(&ctx(RunKind::Deploy, false, Some(FailKind::TypeScript)));
        assert!(
            entries
                .iter()
                .enumerate()
                .all(|(i, e)| e.order == i as u32 + 1)
        );
        let json: serde_json::Value =
            serde_json::from_str(&logs_string(&entries).expect("a non-empty log"))
                .expect("valid JSON");
        let first = &json[0];
        let keys: Vec<&str> = first
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert!(keys.contains(&"command") && keys.contains(&"order"));
        assert!(entries.iter().any(|e| e.output.contains("Type error:")));
    }
}
