//! Deployment logs in Coolify's exact format and the scripts that produce them, plus the
//! runtime (container) logs of applications.
//!
//! A deployment's `logs` field is a string holding a JSON array of entries
//! `{command, output, type, timestamp, hidden, batch, order}` (API-NOTES §6). Messages come
//! from `ApplicationDeploymentQueue::addLogEntry` (command null, batch 1) and command output
//! from `ExecuteRemoteCommand` (the command text, a per-call batch number); SSH retry
//! notices have no `command` key at all. The texts follow Coolify's
//! `ApplicationDeploymentJob` for a Nixpacks build of a Next.js application.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::ids::{IdGen, Ts};
use super::world::HELPER_IMAGE;

/// The `command` field of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CommandField {
    /// Key absent (SSH retry notices).
    Absent,
    /// `null`: plain messages and hidden commands.
    Null,
    Text(String),
}

#[derive(Debug, Clone)]
pub(crate) struct LogEntry {
    pub command: CommandField,
    pub output: String,
    pub stderr: bool,
    pub timestamp: Ts,
    pub hidden: bool,
    pub batch: u32,
    pub order: u32,
}

impl Serialize for LogEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match &self.command {
            CommandField::Absent => {}
            CommandField::Null => m.serialize_entry("command", &())?,
            CommandField::Text(t) => m.serialize_entry("command", t)?,
        }
        m.serialize_entry("output", &self.output)?;
        m.serialize_entry("type", if self.stderr { "stderr" } else { "stdout" })?;
        m.serialize_entry("timestamp", &self.timestamp)?;
        m.serialize_entry("hidden", &self.hidden)?;
        m.serialize_entry("batch", &self.batch)?;
        m.serialize_entry("order", &self.order)?;
        m.end()
    }
}

/// The `logs` string: the entries as a JSON array.
pub(crate) fn logs_string(entries: &[LogEntry]) -> String {
    serde_json::to_string(entries).unwrap_or_else(|_| "[]".to_string())
}

/// An `addLogEntry` message (trimmed; a box-drawing start gets a leading newline).
pub(crate) fn message(text: &str, stderr: bool, hidden: bool) -> LogEntry {
    LogEntry {
        command: CommandField::Null,
        output: addlog_text(text),
        stderr,
        timestamp: Ts::now(),
        hidden,
        batch: 1,
        order: 0,
    }
}

fn addlog_text(text: &str) -> String {
    let t = text.trim();
    if t.starts_with('╔') {
        format!("\n{t}")
    } else {
        t.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunKind {
    Deploy,
    Restart,
    Rollback,
}

/// Why a scripted run fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailKind {
    /// `next build` stops on a TypeScript error.
    TypeScript,
    /// `npm ci` refuses a lock file out of sync with package.json.
    NpmCi,
    /// The commit does not exist in the repository (rollback or pin to an unknown sha).
    UnknownRef,
    /// The new container never becomes healthy; the old one keeps serving.
    Unhealthy,
}

/// Everything a deployment script needs, fixed when the run starts.
#[derive(Debug, Clone)]
pub(crate) struct ScriptCtx {
    pub deployment_uuid: String,
    pub app_uuid: String,
    pub repo: String,
    pub branch: String,
    pub server_name: String,
    pub network: String,
    /// The commit to build (resolved branch head, pin or rollback tag).
    pub commit: String,
    /// The row's commit is `HEAD` and gets replaced by `commit` after `git ls-remote`.
    pub resolve_head: bool,
    /// What `git ls-remote` reports for the branch (None: no such branch or repository).
    pub branch_head: Option<String>,
    pub commit_message: Option<String>,
    pub kind: RunKind,
    pub force: bool,
    pub image_exists: bool,
    pub old_container: Option<String>,
    pub fail: Option<FailKind>,
    pub health_check: Option<String>,
    pub port: String,
    pub package: String,
    pub package_version: String,
    pub node_version: String,
    pub base_directory: String,
    pub seed: u64,
    pub started: Ts,
    pub batch_start: u32,
}

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
        let plan = self.plan_json(false);
        let cmd = self.in_helper(&plan_cmd);
        self.exec(900, &cmd, true, &[(plan, false, 0)]);
        let detect = self.in_helper(&format!("nixpacks detect {wd}"));
        self.exec(200, &detect, true, &[("node".to_string(), false, 0)]);
        self.msg(50, "Found application type: node.");
        self.msg(
            20,
            "If you need further customization, please check the documentation of Nixpacks: https://nixpacks.com/docs/providers/node",
        );
        let final_plan = format!("Final Nixpacks plan: {}", self.plan_json(true));
        self.msg_hidden(20, &final_plan);
        self.msg_hidden(
            100,
            "Creating build-time .env file in /artifacts (outside Docker context).",
        );
    }

    fn plan_json(&self, with_coolify_vars: bool) -> String {
        let mut vars = serde_json::Map::new();
        vars.insert("CI".into(), "true".into());
        if with_coolify_vars {
            vars.insert("COOLIFY_BRANCH".into(), self.ctx.branch.clone().into());
            vars.insert(
                "COOLIFY_RESOURCE_UUID".into(),
                self.ctx.app_uuid.clone().into(),
            );
        }
        vars.insert("NIXPACKS_METADATA".into(), "node".into());
        vars.insert(
            "NIXPACKS_NODE_VERSION".into(),
            self.ctx.node_version.clone().into(),
        );
        vars.insert("NODE_ENV".into(), "production".into());
        vars.insert("NPM_CONFIG_PRODUCTION".into(), "false".into());
        if with_coolify_vars {
            vars.insert("SOURCE_COMMIT".into(), self.ctx.commit.clone().into());
        }
        let plan = serde_json::json!({
            "providers": [],
            "buildImage": "ghcr.io/railwayapp/nixpacks:ubuntu-1745885067",
            "variables": vars,
            "phases": {
                "build": {
                    "dependsOn": ["install"],
                    "cmds": ["npm run build"],
                    "cacheDirectories": [".next/cache", "node_modules/.cache"]
                },
                "install": {
                    "dependsOn": ["setup"],
                    "cmds": ["npm ci"],
                    "cacheDirectories": ["/root/.npm"],
                    "paths": ["/app/node_modules/.bin"]
                },
                "setup": {
                    "nixPkgs": [format!("nodejs_{}", self.ctx.node_version), "npm-9_x"],
                    "nixLibs": ["gcc-unwrapped"],
                    "nixOverlays": ["https://github.com/railwayapp/nix-npm-overlay/archive/main.tar.gz"],
                    "nixpkgsArchive": "e24b4c09e963677b1beea49d411cd315a024ad3a"
                }
            },
            "start": {"cmd": "npm run start"}
        });
        serde_json::to_string_pretty(&plan).unwrap_or_default()
    }

    fn nixpacks_box(&self) -> String {
        let width = 78usize;
        let title = " Nixpacks v1.39.0 ";
        let left = (width - title.chars().count()) / 2;
        let right = width - title.chars().count() - left;
        let rows = [
            (
                "setup",
                format!("nodejs_{}, npm-9_x", self.ctx.node_version),
            ),
            ("install", "npm ci".to_string()),
            ("build", "npm run build".to_string()),
            ("start", "npm run start".to_string()),
        ];
        let mut s = format!("╔{}{title}{}╗\n", "═".repeat(left), "═".repeat(right));
        for (i, (phase, text)) in rows.iter().enumerate() {
            let cell = format!(" {phase:<10} │ {text}");
            let pad = width.saturating_sub(cell.chars().count());
            s.push_str(&format!("║{cell}{}║\n", " ".repeat(pad)));
            if i + 1 < rows.len() {
                s.push_str(&format!("║{}║\n", "─".repeat(width)));
            }
        }
        s.push_str(&format!("╚{}╝", "═".repeat(width)));
        s
    }

    fn dockerfile(&self) -> String {
        let app = &self.ctx.app_uuid;
        format!(
            "FROM ghcr.io/railwayapp/nixpacks:ubuntu-1745885067\n\nENTRYPOINT [\"/bin/bash\", \"-l\", \"-c\"]\nWORKDIR /app/\n\n\nCOPY .nixpacks/nixpkgs-e24b4c09e963677b1beea49d411cd315a024ad3a.nix .nixpacks/nixpkgs-e24b4c09e963677b1beea49d411cd315a024ad3a.nix\nRUN nix-env -if .nixpacks/nixpkgs-e24b4c09e963677b1beea49d411cd315a024ad3a.nix && nix-collect-garbage -d\n\n\nARG CI COOLIFY_BRANCH COOLIFY_RESOURCE_UUID NIXPACKS_METADATA NIXPACKS_NODE_VERSION NODE_ENV NPM_CONFIG_PRODUCTION SOURCE_COMMIT\nENV CI=$CI COOLIFY_BRANCH=$COOLIFY_BRANCH COOLIFY_RESOURCE_UUID=$COOLIFY_RESOURCE_UUID NIXPACKS_METADATA=$NIXPACKS_METADATA NIXPACKS_NODE_VERSION=$NIXPACKS_NODE_VERSION NODE_ENV=$NODE_ENV NPM_CONFIG_PRODUCTION=$NPM_CONFIG_PRODUCTION SOURCE_COMMIT=$SOURCE_COMMIT\n\n# setup phase\n# noop\n\n# install phase\nENV NIXPACKS_PATH=/app/node_modules/.bin:$NIXPACKS_PATH\nCOPY . /app/.\nRUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci\n\n# build phase\nCOPY . /app/.\nRUN --mount=type=cache,id={app}-next/cache,target=/app/.next/cache --mount=type=cache,id={app}-node_modules/cache,target=/app/node_modules/.cache npm run build\n\n\nRUN printf '\\nPATH=/app/node_modules/.bin:$PATH' >> /root/.profile\n\n\n# start\nCOPY . /app\n\nCMD [\"npm run start\"]"
        )
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
        let out = format!("{}\n\nSaved output to:\n  {wd}", self.nixpacks_box());
        self.exec(800, &cmd, true, &[(out, false, 0)]);
        let cat = self.in_helper(&format!("cat {wd}/.nixpacks/Dockerfile"));
        let dockerfile = self.dockerfile();
        self.exec(150, &cat, true, &[(dockerfile, false, 0)]);
        let no_cache = if self.ctx.force { "--no-cache " } else { "" };
        let script = format!(
            "cd {wd} && set -a && source /artifacts/build-time.env && set +a && DOCKER_BUILDKIT=1 docker build {no_cache} --network host -f {wd}/.nixpacks/Dockerfile --progress plain -t {image} --build-arg 'CI' --build-arg 'COOLIFY_BRANCH' --build-arg 'COOLIFY_RESOURCE_UUID' --build-arg 'NIXPACKS_NODE_VERSION' --build-arg 'SOURCE_COMMIT' {wd}"
        );
        self.batch += 1; // writing /artifacts/build.sh prints nothing
        let cat_script = self.in_helper("cat /artifacts/build.sh");
        self.exec(100, &cat_script, true, &[(script, false, 0)]);
        let run = self.in_helper("bash /artifacts/build.sh");
        let (chunks, failure) = self.buildkit_output();
        self.exec(200, &run, true, &chunks);
        if let Some(tail) = failure {
            let detail = format!("Command execution failed (exit code 1): {run}\nError: {tail}");
            self.fail_tail(&detail);
            return false;
        }
        self.msg(100, "Building docker image completed.");
        true
    }

    /// BuildKit `--progress plain` output (stderr) in chunks; on failure also the error tail.
    fn buildkit_output(&mut self) -> (Vec<(String, bool, u64)>, Option<String>) {
        let app = self.ctx.app_uuid.clone();
        let image = self.image();
        let force = self.ctx.force;
        let nix = "e24b4c09e963677b1beea49d411cd315a024ad3a";
        let mut chunks: Vec<(String, bool, u64)> = Vec::new();
        chunks.push((
            format!(
                "#0 building with \"default\" instance using docker driver\n\n#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 1.61kB done\n#1 DONE 0.0s\n\n#2 [internal] load metadata for ghcr.io/railwayapp/nixpacks:ubuntu-1745885067\n#2 DONE 0.{}s\n\n#3 [internal] load .dockerignore\n#3 transferring context: 2B done\n#3 DONE 0.0s",
                3 + self.rng.range(0..6)
            ),
            true,
            0,
        ));
        chunks.push((
            format!(
                "#4 [stage-0  1/11] FROM ghcr.io/railwayapp/nixpacks:ubuntu-1745885067@sha256:{}\n#4 DONE 0.0s\n\n#5 [internal] load build context\n#5 transferring context: {}.{}MB 0.1s done\n#5 DONE 0.1s",
                self.rng.hex(64),
                2 + self.rng.range(0..5),
                self.rng.range(10..99)
            ),
            true,
            300,
        ));
        if force {
            chunks.push((
                format!(
                    "#6 [stage-0  2/11] WORKDIR /app/\n#6 DONE 0.1s\n\n#7 [stage-0  3/11] COPY .nixpacks/nixpkgs-{nix}.nix .nixpacks/nixpkgs-{nix}.nix\n#7 DONE 0.1s\n\n#8 [stage-0  4/11] RUN nix-env -if .nixpacks/nixpkgs-{nix}.nix && nix-collect-garbage -d\n#8 0.402 unpacking 'https://github.com/NixOS/nixpkgs/archive/{nix}.tar.gz' into the Git cache...\n#8 38.11 installing '{nix}-env'\n#8 41.02 building '/nix/store/{}-user-environment.drv'...\n#8 44.90 removing old generations of profile /nix/var/nix/profiles/per-user/root/profile\n#8 45.33 finding garbage collector roots...\n#8 45.80 deleting unused links...\n#8 46.10 1022 store paths deleted, 262.14 MiB freed\n#8 DONE 46.8s\n\n#9 [stage-0  5/11] COPY . /app/.\n#9 DONE 0.2s",
                    self.rng.alnum(32)
                ),
                true,
                1400,
            ));
        } else {
            chunks.push((
                format!(
                    "#6 [stage-0  2/11] WORKDIR /app/\n#6 CACHED\n\n#7 [stage-0  3/11] COPY .nixpacks/nixpkgs-{nix}.nix .nixpacks/nixpkgs-{nix}.nix\n#7 CACHED\n\n#8 [stage-0  4/11] RUN nix-env -if .nixpacks/nixpkgs-{nix}.nix && nix-collect-garbage -d\n#8 CACHED\n\n#9 [stage-0  5/11] COPY . /app/.\n#9 DONE 0.2s"
                ),
                true,
                400,
            ));
        }
        let npm_ci_head = format!(
            "#10 [stage-0  6/11] RUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci"
        );
        if self.ctx.fail == Some(FailKind::NpmCi) {
            let ts = self
                .ctx
                .started
                .plus_ms(6_000)
                .iso()
                .replace([':', '.'], "_");
            let lines = [
                "npm ERR! code EUSAGE",
                "npm ERR! ",
                "npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.",
                "npm ERR! ",
                "npm ERR! Missing: zod@3.23.8 from lock file",
                "npm ERR! ",
                "npm ERR! Clean install a project",
                "npm ERR! ",
                "npm ERR! Usage:",
                "npm ERR! npm ci",
                "npm ERR! ",
                "npm ERR! Options:",
                "npm ERR! [--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]",
                "npm ERR! [--global-style] [--omit <dev|optional|peer> [--omit <dev|optional|peer> ...]]",
                "npm ERR! [--strict-peer-deps] [--foreground-scripts] [--ignore-scripts] [--no-audit]",
                "npm ERR! [--no-bin-links] [--no-fund] [--dry-run]",
                "npm ERR! ",
                "npm ERR! aliases: clean-install, ic, install-clean, isntall-clean",
                "npm ERR! ",
                "npm ERR! Run \"npm help ci\" for more info",
            ];
            let mut body: Vec<String> = lines.iter().map(|l| format!("#10 1.403 {l}")).collect();
            body.push("#10 1.406 ".to_string());
            body.push(format!(
                "#10 1.406 npm ERR! A complete log of this run can be found in: /root/.npm/_logs/{ts}-debug-0.log"
            ));
            body.push("#10 ERROR: process \"/bin/bash -ol pipefail -c npm ci\" did not complete successfully: exit code: 1".to_string());
            let tail = format!(
                "{}\n------\n > [stage-0  6/11] RUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci:\n1.403 npm ERR! Missing: zod@3.23.8 from lock file\n1.403 npm ERR! \n1.403 npm ERR! Run \"npm help ci\" for more info\n1.406 \n1.406 npm ERR! A complete log of this run can be found in: /root/.npm/_logs/{ts}-debug-0.log\n------\nDockerfile:18\n--------------------\n  16 |     ENV NIXPACKS_PATH=/app/node_modules/.bin:$NIXPACKS_PATH\n  17 |     COPY . /app/.\n  18 | >>> RUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci\n  19 |     \n  20 |     # build phase\n--------------------\nERROR: failed to solve: process \"/bin/bash -ol pipefail -c npm ci\" did not complete successfully: exit code: 1",
                body.join("\n")
            );
            chunks.push((format!("{npm_ci_head}\n{}", body.join("\n")), true, 900));
            chunks.push((
                format!("------\n > [stage-0  6/11] RUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci:\n1.403 npm ERR! Missing: zod@3.23.8 from lock file\n------\nERROR: failed to solve: process \"/bin/bash -ol pipefail -c npm ci\" did not complete successfully: exit code: 1"),
                true,
                200,
            ));
            return (chunks, Some(tail));
        }
        let added = 420 + self.rng.range(0..160);
        chunks.push((
            format!(
                "{npm_ci_head}\n#10 2.153 npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it. Check out lru-cache if you want a good and tested way to coalesce async requests by a key value, which is much more comprehensive and powerful.\n#10 2.410 npm WARN deprecated rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported\n#10 2.611 npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported\n#10 3.020 npm WARN deprecated @humanwhocodes/object-schema@2.0.3: Use @eslint/object-schema instead\n#10 3.021 npm WARN deprecated @humanwhocodes/config-array@0.11.14: Use @eslint/config-array instead"
            ),
            true,
            900,
        ));
        chunks.push((
            format!(
                "#10 14.87 \n#10 14.87 added {added} packages, and audited {} packages in 14s\n#10 14.87 \n#10 14.87 162 packages are looking for funding\n#10 14.87   run `npm fund` for details\n#10 14.89 \n#10 14.89 found 0 vulnerabilities\n#10 DONE 15.3s\n\n#11 [stage-0  7/11] COPY . /app/.\n#11 DONE 0.2s",
                added + 1
            ),
            true,
            1000,
        ));
        let pkg = format!("{}@{}", self.ctx.package, self.ctx.package_version);
        chunks.push((
            format!(
                "#12 [stage-0  8/11] RUN --mount=type=cache,id={app}-next/cache,target=/app/.next/cache --mount=type=cache,id={app}-node_modules/cache,target=/app/node_modules/.cache npm run build\n#12 0.512 \n#12 0.512 > {pkg} build\n#12 0.512 > next build\n#12 0.512 \n#12 1.203   ▲ Next.js 14.2.15\n#12 1.204 \n#12 1.251    Creating an optimized production build ..."
            ),
            true,
            700,
        ));
        if self.ctx.fail == Some(FailKind::TypeScript) {
            let error = [
                "Failed to compile.",
                "",
                "./src/app/(dashboard)/bookings/page.tsx:42:37",
                "Type error: Property 'startsAt' does not exist on type 'Booking'. Did you mean 'startAt'?",
                "",
                "  40 |       {bookings.map((booking) => (",
                "  41 |         <BookingRow key={booking.id}",
                "> 42 |           start={formatDate(booking.startsAt)}",
                "     |                                     ^",
                "  43 |           end={formatDate(booking.endAt)}",
                "  44 |         />",
                "  45 |       ))}",
                "Next.js build worker exited with code: 1 and signal: null",
            ];
            let body: Vec<String> = error
                .iter()
                .enumerate()
                .map(|(i, l)| format!("#12 38.{} {l}", 77 + i))
                .collect();
            chunks.push((
                format!(
                    "#12 36.91  ✓ Compiled successfully\n#12 36.92    Linting and checking validity of types ...\n{}\n#12 ERROR: process \"/bin/bash -ol pipefail -c npm run build\" did not complete successfully: exit code: 1",
                    body.join("\n")
                ),
                true,
                2600,
            ));
            let tail = format!(
                "------\n > [stage-0  8/11] RUN --mount=type=cache,id={app}-next/cache,target=/app/.next/cache --mount=type=cache,id={app}-node_modules/cache,target=/app/node_modules/.cache npm run build:\n38.77 ./src/app/(dashboard)/bookings/page.tsx:42:37\n38.77 Type error: Property 'startsAt' does not exist on type 'Booking'. Did you mean 'startAt'?\n38.77 \n38.77   40 |       {{bookings.map((booking) => (\n38.77   41 |         <BookingRow key={{booking.id}}\n38.77 > 42 |           start={{formatDate(booking.startsAt)}}\n38.77      |                                     ^\n38.77   43 |           end={{formatDate(booking.endAt)}}\n38.89 Next.js build worker exited with code: 1 and signal: null\n------\nDockerfile:22\n--------------------\n  20 |     # build phase\n  21 |     COPY . /app/.\n  22 | >>> RUN --mount=type=cache,id={app}-next/cache,target=/app/.next/cache --mount=type=cache,id={app}-node_modules/cache,target=/app/node_modules/.cache npm run build\n  23 |     \n  24 |     \n--------------------\nERROR: failed to solve: process \"/bin/bash -ol pipefail -c npm run build\" did not complete successfully: exit code: 1"
            );
            chunks.push((tail.clone(), true, 150));
            return (chunks, Some(tail));
        }
        let pages = 14 + self.rng.range(0..12);
        chunks.push((
            format!(
                "#12 36.91  ✓ Compiled successfully\n#12 36.92    Linting and checking validity of types ...\n#12 47.10    Collecting page data ...\n#12 50.33    Generating static pages (0/{pages}) ...\n#12 51.02    Generating static pages ({}/{pages}) \n#12 52.02  ✓ Generating static pages ({pages}/{pages})\n#12 52.60    Finalizing page optimization ...\n#12 52.61    Collecting build traces ...",
                pages / 2
            ),
            true,
            1800,
        ));
        let table = [
            "Route (app)                              Size     First Load JS",
            "┌ ○ /                                    5.21 kB        98.4 kB",
            "├ ○ /_not-found                          873 B          88.1 kB",
            "├ ƒ /api/health                          0 B                0 B",
            "├ ƒ /bookings                            3.9 kB          112 kB",
            "├ ƒ /bookings/[id]                       2.31 kB         109 kB",
            "├ ○ /login                               1.86 kB         101 kB",
            "└ ƒ /settings                            4.02 kB         110 kB",
            "+ First Load JS shared by all            87.2 kB",
            "  ├ chunks/117-2f5f0b3c1a4e8d77.js       31.7 kB",
            "  ├ chunks/fd9d1056-96bb8cd7fa4e0c5d.js  53.6 kB",
            "  └ other shared chunks (total)          1.9 kB",
            "",
            "",
            "ƒ Middleware                             73.4 kB",
            "",
            "○  (Static)   prerendered as static content",
            "ƒ  (Dynamic)  server-rendered on demand",
            "",
        ];
        let mut t: Vec<String> = vec!["#12 59.90 ".to_string()];
        t.extend(table.iter().map(|l| format!("#12 59.93 {l}")));
        t.push("#12 DONE 60.3s".to_string());
        chunks.push((t.join("\n"), true, 800));
        chunks.push((
            format!(
                "#13 [stage-0  9/11] RUN printf '\\nPATH=/app/node_modules/.bin:$PATH' >> /root/.profile\n#13 DONE 0.2s\n\n#14 [stage-0 10/11] COPY . /app\n#14 DONE 0.3s\n\n#15 exporting to image\n#15 exporting layers\n#15 exporting layers 6.1s done\n#15 writing image sha256:{} done\n#15 naming to docker.io/library/{image} done\n#15 DONE 6.2s",
                self.rng.hex(64)
            ),
            true,
            900,
        ));
        (chunks, None)
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
pub(crate) fn script(ctx: &ScriptCtx) -> Vec<Step> {
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

/// All log entries of a finished run, timestamped on a virtual clock from its start.
pub(crate) fn render_recorded(ctx: &ScriptCtx) -> Vec<LogEntry> {
    let mut t = ctx.started.plus_ms(PICKUP_MS as i64);
    let mut out = Vec::new();
    for step in script(ctx) {
        t = t.plus_ms(step.delay_ms as i64);
        if let Action::Log(mut e) = step.action {
            e.timestamp = t;
            e.order = out.len() as u32 + 1;
            out.push(e);
        }
    }
    out
}

// ----- runtime (container) logs -----

const PATHS: &[(&str, &str, u16)] = &[
    ("GET", "/", 200),
    ("GET", "/bookings", 200),
    ("GET", "/bookings/", 200),
    ("POST", "/api/bookings", 201),
    ("GET", "/settings", 200),
    ("GET", "/login", 200),
    ("POST", "/auth/callback", 302),
    ("GET", "/api/me", 200),
    ("GET", "/_next/image?url=%2Flogo.png&w=256&q=75", 200),
    ("GET", "/favicon.ico", 200),
    ("GET", "/api/bookings?page=2", 200),
    ("GET", "/reports/monthly", 200),
    ("GET", "/wp-login.php", 404),
    ("PATCH", "/api/bookings/", 200),
    ("GET", "/api/tenants/current", 200),
];

/// A running application container, for its runtime log.
pub(crate) struct Container<'a> {
    pub seed: u64,
    pub package: &'a str,
    pub version: &'a str,
    pub port: &'a str,
    pub started: Ts,
}

/// What `docker logs -n <lines> [--timestamps]` shows for a running Next.js container
/// started at `started`, up to `now`: the start banner, then one line about every 6 s
/// (health checks and request logs, a warning now and then).
pub(crate) fn runtime_logs(c: &Container<'_>, now: Ts, lines: usize, timestamps: bool) -> String {
    let (seed, package, version, port, started) = (c.seed, c.package, c.version, c.port, c.started);
    let banner = [
        String::new(),
        format!("> {package}@{version} start"),
        format!("> next start -p {port}"),
        String::new(),
        "  ▲ Next.js 14.2.15".to_string(),
        format!("  - Local:        http://localhost:{port}"),
        String::new(),
        " ✓ Starting...".to_string(),
        format!(" ✓ Ready in {}ms", 300 + (seed % 400)),
    ];
    const PERIOD_MS: i64 = 6_000;
    let elapsed = (now.0 - started.0).max(0) / 1000;
    let periodic = (elapsed / PERIOD_MS) as usize;
    let total = banner.len() + periodic;
    // Every entry is at least one line, so the last `lines` entries hold enough lines.
    let first = total.saturating_sub(lines);
    let mut out: Vec<String> = Vec::with_capacity(lines + 8);
    for i in first..total {
        let (ts, text) = if i < banner.len() {
            (started.plus_ms(i as i64 * 40), banner[i].clone())
        } else {
            let k = (i - banner.len()) as u64;
            let at = started.plus_ms(1_500 + k as i64 * PERIOD_MS);
            (at, request_line(seed, k))
        };
        // `docker logs` counts and stamps lines, not log records.
        for line in text.split('\n') {
            if timestamps {
                out.push(format!("{} {line}", ts.iso_nanos()));
            } else {
                out.push(line.to_string());
            }
        }
    }
    let skip = out.len().saturating_sub(lines);
    let mut text = out[skip..].join("\n");
    text.push('\n');
    text
}

fn request_line(seed: u64, k: u64) -> String {
    let h = super::ids::mix(seed ^ k.wrapping_mul(0x2545_f491_4f6c_dd1d));
    if k.is_multiple_of(2) {
        return format!(" GET /api/health 200 in {}ms", 1 + h % 6);
    }
    if h.is_multiple_of(97) {
        return " ⚠ Warning: fetch to https://api.stripe.com/v1/customers took 2150ms (slow upstream)".to_string();
    }
    if h.is_multiple_of(89) {
        return format!(
            " ⨯ Error: Supabase request failed: JWT expired\n    at getSession (/app/.next/server/chunks/{}.js:1:2287) {{\n  digest: '{}'\n}}",
            300 + h % 600,
            h % 4_000_000_000
        );
    }
    let (method, path, status) = PATHS[(h as usize / 7) % PATHS.len()];
    let path = if path.ends_with('/') && path.len() > 1 {
        format!("{path}{}", 1000 + (h >> 20) % 9000)
    } else {
        path.to_string()
    };
    let ms = 4 + (h >> 8) % 180;
    format!(" {method} {path} {status} in {ms}ms")
}

/// `count` entries of a long Nixpacks/BuildKit build, numbered from `first` (1-based
/// `order`), one output line each, as `ExecuteRemoteCommand` writes them: the command on
/// every entry of its batch, a new batch every 1,000 entries, about one entry in 25 on
/// stderr, timestamps 2 ms apart from `start`. Deterministic for a given `seed`.
pub(crate) fn big_log_entries(seed: u64, first: u32, count: u32, start: Ts) -> Vec<LogEntry> {
    const PER_BATCH: u32 = 1000;
    const STEPS: [&str; 8] = [
        "RUN npm ci",
        "RUN npm run build",
        "COPY . /app",
        "RUN npx prisma generate",
        "RUN npm run lint",
        "RUN npm test -- --ci",
        "RUN npx next build",
        "RUN npm prune --omit=dev",
    ];
    (first..first.saturating_add(count))
        .map(|order| {
            let i = order - 1;
            let batch = 2 + i / PER_BATCH;
            let step = STEPS[(batch as usize) % STEPS.len()];
            let x = super::ids::mix(seed ^ u64::from(order));
            let stderr = x.is_multiple_of(25);
            let output = if stderr {
                format!(
                    "#{batch} {}.{:03} npm warn deprecated package-{:04x}@{}.{}.{}: this version is no longer supported",
                    i / 50,
                    i % 1000,
                    x & 0xffff,
                    x % 9,
                    (x >> 8) % 20,
                    (x >> 16) % 10
                )
            } else {
                format!(
                    "#{batch} {}.{:03} [build {}/8] {step} -- line {order}: added {} packages, audited {} in {}ms",
                    i / 50,
                    i % 1000,
                    batch % 8 + 1,
                    x % 900 + 10,
                    (x >> 12) % 2000 + 100,
                    (x >> 24) % 5000
                )
            };
            LogEntry {
                command: CommandField::Text(format!(
                    "docker exec {HELPER_IMAGE_NAME} bash -c 'cd /artifacts && docker buildx build --progress plain -t app:{batch} .'"
                )),
                output,
                stderr,
                timestamp: start.plus_ms(i64::from(i) * 2),
                hidden: false,
                batch,
                order,
            }
        })
        .collect()
}

/// The helper container's name in [`big_log_entries`]' commands.
const HELPER_IMAGE_NAME: &str = "coolify-helper";

#[cfg(test)]
mod tests {
    use super::*;

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

    fn total_ms(c: &ScriptCtx) -> u64 {
        PICKUP_MS + script(c).iter().map(|s| s.delay_ms).sum::<u64>()
    }

    fn finishes(c: &ScriptCtx) -> Vec<bool> {
        script(c)
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
            let full = total_ms(&c);
            assert!((10_000..=20_000).contains(&full), "{full} ms");
            let mut r = ctx(RunKind::Restart, true, None);
            r.seed = seed;
            assert!(total_ms(&r) < full, "a restart reuses the image");
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
            serde_json::from_str(&logs_string(&entries)).expect("valid JSON");
        let first = &json[0];
        let keys: Vec<&str> = first
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert!(keys.contains(&"command") && keys.contains(&"order"));
        assert!(entries.iter().any(|e| e.output.contains("Type error:")));
    }

    #[test]
    fn runtime_logs_end_now_and_respect_lines() {
        let c = Container {
            seed: 1,
            package: "pf-air",
            version: "1.8.0",
            port: "3000",
            started: Ts(0),
        };
        let text = runtime_logs(&c, Ts(3_600_000_000), 50, false);
        assert_eq!(text.lines().count(), 50);
        let all = runtime_logs(&c, Ts(20_000_000), 10_000, true);
        assert!(all.contains("> next start -p 3000"));
        assert!(all.starts_with("1970-01-01T00:00:00."));
    }
}
