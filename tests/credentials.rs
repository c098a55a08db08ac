//! Credentials end to end: `pftui login`, `logout`, `contexts` and `doctor` driving the real
//! binary with private HOME and XDG directories, against the simulator.
//!
//! The real-keyring test needs a D-Bus session bus with an unlocked Secret Service
//! (`.ci/run` runs the tests inside `scripts/with-keyring.sh`); it is skipped, with the
//! reason printed, only when there is no session bus at all. Every test plants a canary
//! token and checks that it appears in no output: stdout, stderr, the trace file, the
//! managed contexts file, the audit journal.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use pftui::secrets::{SecretString, redact};
use pftui::sim::SimHandle;

/// A private home: every pftui file of a test lives here.
struct Home {
    dir: tempfile::TempDir,
    /// Everything pftui printed, for the canary check.
    printed: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            printed: Mutex::new(Vec::new()),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The binary with a clean environment (no inherited token or bus), traces at full
    /// verbosity, and the D-Bus session bus `bus` (or one that points nowhere).
    fn pftui(&self, bus: Option<&str>) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pftui"));
        let nowhere = format!("unix:path={}", self.path().join("no-bus").display());
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("PFTUI_LOG", "trace")
            .env("NO_COLOR", "1")
            .env("DBUS_SESSION_BUS_ADDRESS", bus.unwrap_or(&nowhere));
        cmd
    }

    fn config_dir(&self) -> PathBuf {
        self.path().join("config/pftui")
    }

    fn contexts_file(&self) -> PathBuf {
        self.config_dir().join("contexts.yaml")
    }

    fn credentials_file(&self) -> PathBuf {
        self.path().join("data/pftui/credentials.yaml")
    }

    fn trace_file(&self) -> PathBuf {
        self.path().join("state/pftui/pftui.log")
    }

    fn write_settings(&self, text: &str) {
        std::fs::create_dir_all(self.config_dir()).expect("config dir");
        std::fs::write(self.config_dir().join("config.yaml"), text).expect("settings written");
    }

    /// Run a command (off the async runtime: the simulator keeps serving), feeding `stdin`.
    async fn run(&self, label: &str, mut cmd: Command, stdin: Option<&str>) -> Output {
        let input = stdin.map(str::to_string);
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let out = tokio::task::spawn_blocking(move || {
            let mut child = cmd.spawn().expect("pftui starts");
            if let Some(input) = input {
                let mut pipe = child.stdin.take().expect("stdin piped");
                pipe.write_all(input.as_bytes()).expect("token written");
            }
            child.wait_with_output().expect("pftui runs")
        })
        .await
        .expect("the command thread finishes");
        let mut printed = self.printed.lock().expect("not poisoned");
        printed.push((format!("{label}: stdout"), out.stdout.clone()));
        printed.push((format!("{label}: stderr"), out.stderr.clone()));
        out
    }

    /// The canary (and its secret part) is in nothing pftui printed or wrote down.
    fn assert_never_leaked(&self, canary: &str) {
        let secret_part = canary.split_once('|').map(|(_, s)| s).unwrap_or(canary);
        let mut sources: Vec<(String, Vec<u8>)> =
            self.printed.lock().expect("not poisoned").clone();
        for file in [
            self.trace_file(),
            self.contexts_file(),
            self.path().join("data/pftui/audit.jsonl"),
            self.path().join("data/pftui/demo-audit.jsonl"),
            self.config_dir().join("config.yaml"),
        ] {
            if let Ok(bytes) = std::fs::read(&file) {
                sources.push((file.display().to_string(), bytes));
            }
        }
        assert!(
            self.trace_file().is_file(),
            "the trace file was written, so it was checked"
        );
        for (name, bytes) in sources {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(secret_part),
                "the planted token leaked into {name}"
            );
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A token nobody could guess, in Coolify's `<id>|<secret>` form.
fn canary() -> String {
    format!("42|pftui-canary-{}", uuid::Uuid::new_v4().simple())
}

async fn sim_with_token(token: &str, abilities: &[&str]) -> SimHandle {
    let (sim, _) = common::sim(50.0).await;
    sim.control().add_token(token, abilities);
    sim
}

/// The session bus the tests run in, if there is one.
fn session_bus() -> Option<String> {
    std::env::var("DBUS_SESSION_BUS_ADDRESS")
        .ok()
        .filter(|a| !a.trim().is_empty())
}

/// What `secret-tool search --all service pftui [username ACCOUNT]` reports, without the
/// secret lines.
fn secret_tool_search(bus: &str, account: Option<&str>) -> String {
    let mut cmd = Command::new("secret-tool");
    cmd.args(["search", "--all", "service", "pftui"]);
    if let Some(account) = account {
        cmd.args(["username", account]);
    }
    let out = cmd
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .output()
        .expect("secret-tool (from libsecret-tools) runs; .ci/run installs it");
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    all.lines()
        .filter(|l| !l.trim_start().starts_with("secret ="))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn login_stores_the_token_in_the_real_keyring_and_logout_removes_it() {
    let Some(bus) = session_bus() else {
        eprintln!(
            "SKIPPED login_stores_the_token_in_the_real_keyring_and_logout_removes_it: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set). Run the tests through scripts/with-keyring.sh, as .ci/run does."
        );
        return;
    };
    assert!(
        !secret_tool_search(&bus, Some("demo:coolify")).contains("demo:coolify"),
        "this keyring already holds pftui/demo:coolify; the test will not overwrite it: run it in a private session with scripts/with-keyring.sh"
    );
    let token = canary();
    let sim = sim_with_token(&token, &["root"]).await;
    let home = Home::new();
    let url = sim.coolify_url();

    let mut cmd = home.pftui(Some(&bus));
    cmd.args(["login", "--token-stdin", "--context", "demo", "--url", &url]);
    let out = home.run("login", cmd, Some(&format!("{token}\n"))).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("account demo:coolify"), "{stdout}");
    assert!(stdout.contains("deploy           yes"), "{stdout}");

    let found = secret_tool_search(&bus, None);
    assert!(found.contains("attribute.service = pftui"), "{found}");
    assert!(
        found.contains("attribute.username = demo:coolify"),
        "{found}"
    );
    let managed = std::fs::read_to_string(home.contexts_file()).expect("contexts.yaml written");
    assert!(
        managed.contains("name: demo") && managed.contains(&url),
        "{managed}"
    );

    // No COOLIFY_API_TOKEN anywhere: the token comes from the keyring.
    let mut cmd = home.pftui(Some(&bus));
    cmd.args(["--context", "demo", "status"]);
    let out = home.run("status", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("air-prod"),
        "{}",
        text(&out.stdout)
    );

    // The first context login creates is the default one.
    let mut cmd = home.pftui(Some(&bus));
    cmd.args(["status", "--output", "json"]);
    let out = home.run("status default", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));

    let mut cmd = home.pftui(Some(&bus));
    cmd.arg("contexts");
    let out = home.run("contexts", cmd, None).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let row = stdout
        .lines()
        .find(|l| l.starts_with("demo "))
        .unwrap_or_else(|| panic!("no row for demo in:\n{stdout}"));
    assert!(row.contains(&url) && row.contains('*'), "{row}");
    assert!(
        row.contains("contexts.yaml") && row.contains("keyring (demo:coolify)"),
        "{row}"
    );

    let mut cmd = home.pftui(Some(&bus));
    cmd.args(["doctor", "--output", "json"]);
    let out = home.run("doctor json", cmd, None).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("doctor prints JSON");
    assert_eq!(doc["ok"], true, "{doc:#}");
    let demo = &doc["contexts"][0];
    assert_eq!(demo["name"], "demo");
    assert_eq!(demo["reachable"], true);
    assert!(
        demo["token_source"]
            .as_str()
            .unwrap_or_default()
            .contains("demo:coolify")
    );
    assert_eq!(demo["abilities"]["deploy"]["verdict"], "yes", "{demo:#}");
    assert!(
        demo["clock_skew_seconds"]
            .as_i64()
            .is_some_and(|s| s.abs() < 60)
    );

    let mut cmd = home.pftui(Some(&bus));
    cmd.arg("doctor");
    let out = home.run("doctor", cmd, None).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("ok       keyring"), "{stdout}");
    assert!(stdout.contains("All checks passed."), "{stdout}");

    let mut cmd = home.pftui(Some(&bus));
    cmd.args(["logout", "--context", "demo"]);
    let out = home.run("logout", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Removed the Coolify API token"));
    let found = secret_tool_search(&bus, Some("demo:coolify"));
    assert!(
        !found.contains("demo:coolify"),
        "still in the keyring: {found}"
    );
    let managed = std::fs::read_to_string(home.contexts_file()).unwrap_or_default();
    assert!(!managed.contains("demo"), "{managed}");

    home.assert_never_leaked(&token);
}

#[tokio::test]
async fn without_a_session_bus_login_names_the_fixes_and_stores_nothing() {
    let token = canary();
    let sim = sim_with_token(&token, &["root"]).await;
    let home = Home::new();
    let url = sim.coolify_url();

    let mut cmd = home.pftui(None);
    cmd.args([
        "login",
        "--token-stdin",
        "--context",
        "headless",
        "--url",
        &url,
    ]);
    let out = home.run("login", cmd, Some(&token)).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for needle in [
        "no D-Bus session bus",
        "COOLIFY_API_TOKEN",
        "gnome-keyring",
        "--store keyutils",
        "forgets at reboot",
        "Nothing was stored",
    ] {
        assert!(stderr.contains(needle), "{needle} missing from:\n{stderr}");
    }
    assert!(!home.contexts_file().exists(), "no context was recorded");
    assert!(!home.credentials_file().exists(), "no file fallback");
    if let Some(bus) = session_bus() {
        let found = secret_tool_search(&bus, Some("headless:coolify"));
        assert!(!found.contains("headless:coolify"), "{found}");
    }

    // A hand-written context: looking its token up says the same, and so does doctor.
    home.write_settings(&format!(
        "# hand-written\ncontexts:\n  - name: headless\n    url: {url}\n"
    ));
    let mut cmd = home.pftui(None);
    cmd.args(["--context", "headless", "status"]);
    let out = home.run("status", cmd, None).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("PFTUI_HEADLESS_TOKEN") && stderr.contains("--store keyutils"),
        "{stderr}"
    );

    let mut cmd = home.pftui(None);
    cmd.arg("doctor");
    let out = home.run("doctor", cmd, None).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("warn     keyring"), "{stdout}");
    assert!(stdout.contains("FAIL     headless: token"), "{stdout}");

    // The context's own environment variable works on such a machine.
    let mut cmd = home.pftui(None);
    cmd.args(["--context", "headless", "status"])
        .env("PFTUI_HEADLESS_TOKEN", &token);
    let out = home.run("status with env", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));

    home.assert_never_leaked(&token);
}

#[tokio::test]
async fn the_file_store_is_opt_in_private_and_login_reports_the_abilities() {
    let token = canary();
    let sim = sim_with_token(&token, &["read"]).await;
    let home = Home::new();
    let url = sim.coolify_url();
    let hand_written = "# My settings, with comments that must survive.\ntheme: light # inline\n";
    home.write_settings(hand_written);

    let mut cmd = home.pftui(None);
    cmd.args([
        "login",
        "--token-stdin",
        "--context",
        "lab",
        "--url",
        &url,
        "--store",
        "file",
    ]);
    let out = home.run("login", cmd, Some(&token)).await;
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("read             yes"), "{stdout}");
    assert!(stdout.contains("deploy           no"), "{stdout}");
    assert!(stdout.contains("sensitive reads  no"), "{stdout}");
    assert!(
        stderr.contains("warning: writing the Coolify API token to a plain file"),
        "{stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.credentials_file())
            .expect("credentials file written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(
        std::fs::read_to_string(home.config_dir().join("config.yaml")).unwrap(),
        hand_written,
        "the hand-written settings are untouched"
    );

    let mut cmd = home.pftui(None);
    cmd.args(["--context", "lab", "status"]);
    let out = home.run("status", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));

    let mut cmd = home.pftui(None);
    cmd.args(["doctor", "--output", "json"]);
    let out = home.run("doctor", cmd, None).await;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(out.status.code(), Some(0), "{doc:#}");
    let lab = &doc["contexts"][0];
    assert!(
        lab["token_source"]
            .as_str()
            .unwrap_or_default()
            .contains("credentials file")
    );
    assert_eq!(lab["abilities"]["read"]["verdict"], "yes");
    assert_eq!(lab["abilities"]["deploy"]["verdict"], "no");
    assert_eq!(lab["abilities"]["sensitive"]["verdict"], "no");

    let mut cmd = home.pftui(None);
    cmd.args(["logout", "--context", "lab"]);
    let out = home.run("logout", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !home.credentials_file().exists(),
        "the emptied file is gone"
    );

    home.assert_never_leaked(&token);
}

#[tokio::test]
async fn rejected_and_unreadable_tokens_are_never_stored() {
    let token = canary();
    let deploy_only = canary();
    let sim = sim_with_token(&deploy_only, &["deploy"]).await;
    let home = Home::new();
    let url = sim.coolify_url();

    let mut cmd = home.pftui(None);
    cmd.args([
        "login",
        "--token-stdin",
        "--context",
        "x",
        "--url",
        &url,
        "--store",
        "file",
    ]);
    let out = home.run("unknown token", cmd, Some(&token)).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("rejected the API token") && stderr.contains("Nothing was stored"),
        "{stderr}"
    );

    let mut cmd = home.pftui(None);
    cmd.args([
        "login",
        "--token-stdin",
        "--context",
        "x",
        "--url",
        &url,
        "--store",
        "file",
    ]);
    let out = home.run("deploy-only token", cmd, Some(&deploy_only)).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("lacks the 'read' permission"), "{stderr}");

    let mut cmd = home.pftui(None);
    cmd.args(["login", "--token-stdin", "--context", "x", "--url", &url]);
    let out = home.run("empty token", cmd, Some("  \n")).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no token was given"));

    assert!(!home.credentials_file().exists());
    assert!(!home.contexts_file().exists());
    home.assert_never_leaked(&token);
    home.assert_never_leaked(&deploy_only);
}

#[tokio::test]
async fn model_and_github_keys_are_shared_by_every_context() {
    let token = canary();
    let home = Home::new();
    let mut cmd = home.pftui(None);
    cmd.args([
        "login",
        "--service",
        "github",
        "--token-stdin",
        "--store",
        "file",
    ]);
    let out = home.run("login github", cmd, Some(&token)).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("account *:github"),
        "{}",
        text(&out.stdout)
    );

    let mut cmd = home.pftui(None);
    cmd.args(["doctor", "--output", "json", "--context", "nowhere"]);
    let out = home.run("doctor", cmd, None).await;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let github = doc["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["service"] == "github"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(github["present"], true, "{doc:#}");

    let mut cmd = home.pftui(None);
    cmd.args(["logout", "--service", "github"]);
    let out = home.run("logout github", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!home.credentials_file().exists());
    home.assert_never_leaked(&token);
}

#[test]
fn panics_holding_a_registered_secret_are_scrubbed() {
    let secret = format!("panic-canary-{}", uuid::Uuid::new_v4().simple());
    redact::register(&SecretString::from(secret.clone()));
    let sink = Arc::new(Mutex::new(Vec::<u8>::new()));
    let previous = std::panic::take_hook();
    std::panic::set_hook(redact::scrubbing_hook(previous, sink.clone()));
    let message = format!("request failed with token {secret}");
    let result = std::thread::Builder::new()
        .name("leaky".into())
        .spawn(move || panic!("{message}"))
        .expect("thread starts")
        .join();
    let _ = std::panic::take_hook();
    assert!(result.is_err());
    let report = text(&sink.lock().expect("not poisoned"));
    assert!(report.contains("thread 'leaky' panicked at"), "{report}");
    assert!(
        report.contains("request failed with token [redacted]"),
        "{report}"
    );
    assert!(!report.contains(&secret), "{report}");
}

/// Settings naming a context `lab` on `url`, and the simulator's fast health checks.
fn lab_settings(home: &Home, url: &str, read_only: bool) {
    home.write_settings(&format!(
        "contexts:\n  - name: lab\n    url: {url}\n    read_only: {read_only}\n"
    ));
}

#[tokio::test]
async fn a_token_from_the_environment_goes_only_to_its_own_server() {
    let env_token = canary();
    let lab_token = canary();
    let env_sim = sim_with_token(&env_token, &["root"]).await;
    let lab_sim = sim_with_token(&lab_token, &["root"]).await;
    let home = Home::new();
    lab_settings(&home, &lab_sim.coolify_url(), false);
    let with_env = |cmd: &mut Command| {
        cmd.env("COOLIFY_BASE_URL", env_sim.coolify_url())
            .env("COOLIFY_API_TOKEN", &env_token);
    };

    // lab has no token of its own: a clear error naming both ways to give one, and
    // nothing reaches lab's server.
    let mut cmd = home.pftui(None);
    with_env(&mut cmd);
    cmd.args(["--context", "lab", "status"]);
    let out = home.run("lab without a token", cmd, None).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // Without a keyring the store's error says the same, with the store's own fixes.
    for needle in [
        "pftui: context lab (--context; COOLIFY_BASE_URL ignored)",
        "PFTUI_LAB_TOKEN",
        "pftui login",
        "COOLIFY_API_TOKEN is set but not used for context 'lab'",
    ] {
        assert!(stderr.contains(needle), "{needle} missing from:\n{stderr}");
    }
    assert!(
        lab_sim.control().authorizations().is_empty(),
        "{:?}",
        lab_sim.control().authorizations()
    );

    // Its own variable: only lab's token reaches lab, and never the other server.
    let mut cmd = home.pftui(None);
    with_env(&mut cmd);
    cmd.env("PFTUI_LAB_TOKEN", &lab_token)
        .args(["--context", "lab", "status", "--output", "json"]);
    let out = home.run("lab with its own token", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["context"], "lab");
    assert_eq!(
        lab_sim.control().authorizations(),
        [format!("Bearer {lab_token}")]
    );

    // The server the environment names still gets the environment's token.
    let mut cmd = home.pftui(None);
    with_env(&mut cmd);
    cmd.arg("status");
    let out = home.run("env server", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("pftui: context env (COOLIFY_BASE_URL; the only context lab ignored)"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        env_sim.control().authorizations(),
        [format!("Bearer {env_token}")]
    );

    // contexts says where lab's token comes from; doctor says which context is used.
    let mut cmd = home.pftui(None);
    with_env(&mut cmd);
    cmd.env("PFTUI_LAB_TOKEN", &lab_token).arg("contexts");
    let out = home.run("contexts", cmd, None).await;
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("lab ") && l.contains("env PFTUI_LAB_TOKEN")),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "COOLIFY_API_TOKEN is set: it goes only to the server COOLIFY_BASE_URL names"
        ),
        "{stdout}"
    );
    let mut cmd = home.pftui(None);
    with_env(&mut cmd);
    cmd.env("PFTUI_LAB_TOKEN", &lab_token)
        .args(["doctor", "--output", "json"]);
    let out = home.run("doctor", cmd, None).await;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("doctor JSON");
    assert_eq!(doc["chosen"]["name"], "env", "{doc:#}");
    assert_eq!(
        doc["chosen"]["why"], "COOLIFY_BASE_URL; the only context lab ignored",
        "{doc:#}"
    );
    let lab = doc["contexts"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "lab"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        lab["token_source"], "environment variable PFTUI_LAB_TOKEN",
        "{doc:#}"
    );
    assert!(
        !lab_sim
            .control()
            .authorizations()
            .iter()
            .any(|a| a.contains(&env_token)),
        "the environment's token never reached lab"
    );
    home.assert_never_leaked(&env_token);
    home.assert_never_leaked(&lab_token);
}

/// `pftui login --service <service> --store file` with `key` on standard input.
async fn store_in_file(home: &Home, service: &str, key: &str) {
    let mut cmd = home.pftui(None);
    cmd.args([
        "login",
        "--service",
        service,
        "--token-stdin",
        "--store",
        "file",
    ]);
    let out = home.run("login", cmd, Some(key)).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[tokio::test]
async fn a_stored_github_key_goes_only_to_github_itself() {
    let key = format!("ghp_{}", uuid::Uuid::new_v4().simple());
    let (sim, _) = common::sim(50.0).await;
    let home = Home::new();
    store_in_file(&home, "github", &key).await;

    // GITHUB_API_URL names the simulator, which is not GitHub: the stored key stays home
    // and promote redeploys through Coolify instead, saying why.
    let with_sim = |cmd: &mut Command| {
        cmd.env("COOLIFY_BASE_URL", sim.coolify_url())
            .env("COOLIFY_API_TOKEN", sim.token())
            .env("GITHUB_API_URL", sim.github_url());
    };
    let mut cmd = home.pftui(None);
    with_sim(&mut cmd);
    cmd.args(["promote", "air", "dev", "staging", "--yes"]);
    let out = home.run("promote", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("no GitHub access (set GITHUB_TOKEN)"),
        "{}",
        text(&out.stdout)
    );
    let sent = sim.control().authorizations();
    assert!(!sent.iter().any(|a| a.contains(&key)), "{sent:?}");

    let mut cmd = home.pftui(None);
    with_sim(&mut cmd);
    cmd.args(["doctor", "--output", "json"]);
    let out = home.run("doctor", cmd, None).await;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("doctor JSON");
    let github = doc["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["check"] == "github key"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(github["verdict"], "warn", "{doc:#}");
    assert!(
        github["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("goes only to api.github.com"),
        "{github:#}"
    );

    // GITHUB_TOKEN belongs to GITHUB_API_URL and goes there.
    let mut cmd = home.pftui(None);
    with_sim(&mut cmd);
    cmd.env("GITHUB_TOKEN", sim.github_token())
        .args(["promote", "air", "dev", "staging", "--yes"]);
    let out = home.run("promote with GITHUB_TOKEN", cmd, None).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("merged develop into staging"),
        "{}",
        text(&out.stdout)
    );
    home.assert_never_leaked(&key);
}

#[tokio::test]
async fn a_stored_model_key_goes_only_to_its_own_api() {
    let key = format!("sk-ant-{}", uuid::Uuid::new_v4().simple());
    let (sim, _) = common::sim(50.0).await;
    let home = Home::new();
    store_in_file(&home, "anthropic", &key).await;
    // The agent is pointed at another server: the stored key is not sent there.
    let mut cmd = home.pftui(None);
    cmd.env("COOLIFY_BASE_URL", sim.coolify_url())
        .env("COOLIFY_API_TOKEN", sim.token())
        .env("ANTHROPIC_BASE_URL", sim.coolify_url())
        .args(["agent", "status of air", "--provider", "anthropic"]);
    let out = home.run("agent", cmd, None).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("goes only to https://api.anthropic.com"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("ANTHROPIC_API_KEY"),
        "names the variable to set: {}",
        text(&out.stderr)
    );
    let sent = sim.control().authorizations();
    assert!(!sent.iter().any(|a| a.contains(&key)), "{sent:?}");
    home.assert_never_leaked(&key);
}

#[tokio::test]
async fn concurrent_logins_keep_every_context() {
    let token = canary();
    let sim = sim_with_token(&token, &["root"]).await;
    let home = Arc::new(Home::new());
    let url = sim.coolify_url();
    let logins: Vec<_> = (0..8)
        .map(|n| {
            let home = home.clone();
            let url = url.clone();
            let token = token.clone();
            tokio::spawn(async move {
                let mut cmd = home.pftui(None);
                cmd.args([
                    "login",
                    "--token-stdin",
                    "--store",
                    "file",
                    "--context",
                    &format!("ctx{n}"),
                    "--url",
                    &url,
                ]);
                home.run(&format!("login {n}"), cmd, Some(&token)).await
            })
        })
        .collect();
    for login in logins {
        let out = login.await.expect("the login task ends");
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let managed = std::fs::read_to_string(home.contexts_file()).expect("contexts.yaml");
    for n in 0..8 {
        assert!(
            managed.contains(&format!("name: ctx{n}")),
            "ctx{n}:\n{managed}"
        );
        assert!(
            managed.contains(&format!("ctx{n}:coolify: file")),
            "ctx{n}:\n{managed}"
        );
    }
    assert_eq!(
        managed.matches("default_context:").count(),
        1,
        "one default:\n{managed}"
    );
    let mut cmd = home.pftui(None);
    cmd.arg("contexts");
    let out = home.run("contexts", cmd, None).await;
    let stdout = text(&out.stdout);
    let rows = stdout
        .lines()
        .filter(|l| l.starts_with("ctx") && l.contains("file (ctx"))
        .count();
    assert_eq!(rows, 8, "every token is in the credentials file:\n{stdout}");
    home.assert_never_leaked(&token);
}

#[tokio::test]
async fn credentials_in_an_address_are_refused_and_never_echoed() {
    let token = canary();
    let sim = sim_with_token(&token, &["root"]).await;
    let home = Home::new();
    let password = format!("pw-canary-{}", uuid::Uuid::new_v4().simple());
    let port = sim
        .coolify_url()
        .rsplit(':')
        .next()
        .map(str::to_string)
        .unwrap_or_default();
    let with_userinfo = format!("http://admin:{password}@127.0.0.1:{port}");

    let mut cmd = home.pftui(None);
    cmd.env("COOLIFY_BASE_URL", &with_userinfo)
        .env("COOLIFY_API_TOKEN", &token)
        .arg("status");
    let out = home.run("status", cmd, None).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("user:password@") && stderr.contains("http://127.0.0.1:"),
        "{stderr}"
    );

    let mut cmd = home.pftui(None);
    cmd.args([
        "login",
        "--token-stdin",
        "--context",
        "x",
        "--url",
        &with_userinfo,
    ]);
    let out = home.run("login", cmd, Some(&token)).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Nothing was stored"));
    assert!(!home.contexts_file().exists());

    // The settings file is the user's own (it is not searched for the canary).
    let settings = home.path().join("mine.yaml");
    std::fs::write(
        &settings,
        format!("contexts:\n  - name: lab\n    url: {with_userinfo}\n"),
    )
    .expect("settings written");
    for args in [
        &["contexts"][..],
        &["doctor"],
        &["doctor", "--output", "json"],
    ] {
        let mut cmd = home.pftui(None);
        cmd.args(args).arg("--config").arg(&settings);
        let out = home.run(&args.join(" "), cmd, None).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(all.contains("user:password@"), "{args:?}: {all}");
    }
    assert!(
        sim.control().authorizations().is_empty(),
        "nothing was sent anywhere"
    );
    home.assert_never_leaked(&password);
    home.assert_never_leaked(&token);
}
