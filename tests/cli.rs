//! The `pftui` binary, end to end, against the embedded demo and a simulator.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use pftui::sim::SimHandle;

/// The binary with a clean environment: no inherited Coolify settings, private XDG dirs.
fn pftui(home: &tempfile::TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pftui"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("NO_COLOR", "1");
    cmd
}

/// Fast polls and health checks through the simulator, for tests.
const FAST: &str = "refresh: { interval: 1, while_deploying: 0.5 }\nhealth: { tries: 3, interval: 0.2, timeout: 2 }\n";

fn against(home: &tempfile::TempDir, sim: &SimHandle, token: &str) -> Command {
    let settings = home.path().join("config/pftui/config.yaml");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, FAST).unwrap();
    let mut cmd = pftui(home);
    cmd.env("COOLIFY_BASE_URL", sim.coolify_url())
        .env("COOLIFY_API_TOKEN", token)
        .env("PFTUI_HEALTH_VIA", sim.health_base())
        .env("GITHUB_API_URL", sim.github_url())
        .env("GITHUB_TOKEN", sim.github_token());
    cmd
}

/// Run a command off the async runtime (the simulator keeps serving meanwhile).
async fn run(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("pftui runs"))
        .await
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn demo_status_prints_every_instance_and_environment() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pftui(&home);
    cmd.args(["--demo", "status"]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    for project in ["AIR", "BAIV", "W4M"] {
        for env in ["dev", "staging", "prod"] {
            let app = format!("{}-{env}", project.to_lowercase());
            assert!(
                stdout
                    .lines()
                    .any(|l| l.starts_with(project) && l.contains(env) && l.contains(&app)),
                "no row for {project}/{env}/{app} in:\n{stdout}"
            );
        }
    }
    assert!(stdout.contains("https://air.pfcore.io"));
}

#[tokio::test]
async fn status_json_is_one_document_with_the_tree() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pftui(&home);
    cmd.args(["status", "--output", "json", "--demo"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["context"], "demo");
    let projects = doc["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 3);
    let app = &projects[0]["environments"][0]["resources"][0];
    assert_eq!(app["kind"], "application");
    assert!(app["status"].as_str().unwrap().contains(':'));
    assert!(doc["servers"].as_array().unwrap().len() == 2);
    assert!(doc["deployments"].is_array());
}

#[tokio::test]
async fn deploy_wait_streams_the_log_and_ends_finished() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["deploy", "AIR", "Staging", "--force", "--wait", "--yes"]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("queued air-staging"), "{stdout}");
    let log_lines = stdout
        .lines()
        .filter(|l| l.as_bytes().get(2) == Some(&b':'))
        .count();
    assert!(log_lines > 5, "the build log streams:\n{stdout}");
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("air-staging: finished"), "{last}");
}

#[tokio::test]
async fn a_failed_deployment_exits_1() {
    let (sim, _) = common::sim(50.0).await;
    sim.control().fail_next_deployment("w4m-dev");
    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["deploy", "w4m", "dev", "--wait", "--yes"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("w4m-dev: failed"));
    assert!(
        text(&out.stderr).contains("did not succeed: w4m-dev"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn a_wrong_token_is_one_line_naming_the_token_exit_2() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, &sim, "9|wrong");
    cmd.arg("status");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    let (context, report): (Vec<&str>, Vec<&str>) = stderr
        .lines()
        .partition(|l| l.starts_with("pftui: context "));
    assert_eq!(context, ["pftui: context env (COOLIFY_BASE_URL)"], "{stderr}");
    assert_eq!(report.len(), 1, "{stderr}");
    assert!(stderr.contains("token"), "{stderr}");
    assert!(
        !stderr.contains("9|wrong"),
        "the token itself is never printed"
    );
}

#[tokio::test]
async fn missing_server_or_token_and_bad_names_are_setup_errors() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pftui(&home);
    cmd.arg("status");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("COOLIFY_BASE_URL"));

    let mut cmd = pftui(&home);
    cmd.args(["status", "--url", "http://127.0.0.1:9"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("COOLIFY_API_TOKEN"));

    let mut cmd = pftui(&home);
    cmd.args(["status", "--url", "http://127.0.0.1:9"])
        .env("COOLIFY_API_TOKEN", "1|x");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot connect"),
        "{}",
        text(&out.stderr)
    );

    let mut cmd = pftui(&home);
    cmd.args(["--demo", "deploy", "air", "qa", "--yes"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("dev, staging, prod"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn history_and_logs_read_past_deployments() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["history", "baiv", "prod", "--output", "json"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["application"], "baiv-prod");
    let first = doc["deployments"][0]["uuid"].as_str().unwrap().to_string();

    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["history", "baiv", "prod"]);
    let out = run(cmd).await;
    assert!(text(&out.stdout).contains(&first));

    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["logs", "baiv", "prod", "--deployment", &first]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(stdout.lines().count() > 5, "{stdout}");
    assert!(stdout.lines().last().unwrap().starts_with("baiv-prod: "));

    sim.control().add_token("3|reader", &["read"]);
    let mut cmd = against(&home, &sim, "3|reader");
    cmd.args(["logs", "baiv", "prod"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("read:sensitive"));

    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["logs", "air", "prod", "--runtime", "--lines", "5"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!out.stdout.is_empty());
}

#[test]
fn sim_prints_its_exports_first() {
    let home = tempfile::tempdir().unwrap();
    let mut child = pftui(&home)
        .args(["sim", "--listen", "127.0.0.1:0", "--token", "5|abc"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..4 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_string());
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        lines[0].starts_with("export COOLIFY_BASE_URL=http://127.0.0.1:"),
        "{lines:?}"
    );
    assert!(!lines[0].ends_with(":0"), "the real port is printed");
    assert!(lines[1].starts_with("export COOLIFY_API_TOKEN=") && lines[1].contains("5|abc"));
    assert!(
        lines[2].starts_with("export GITHUB_API_URL=http://127.0.0.1:")
            && lines[2].ends_with("/github")
    );
    assert!(lines[3].starts_with("export GITHUB_TOKEN="));
}

#[tokio::test]
async fn contexts_come_from_the_settings_and_read_only_ones_refuse_deploys() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let settings = home.path().join("settings.yaml");
    std::fs::write(
        &settings,
        format!(
            "contexts:\n  - name: lab\n    url: {}\n    read_only: true\n",
            sim.coolify_url()
        ),
    )
    .unwrap();
    let mut cmd = pftui(&home);
    cmd.env("PFTUI_LAB_TOKEN", sim.token())
        .args(["--config"])
        .arg(&settings)
        .args(["status", "--output", "json"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["context"], "lab", "the only context is the default");

    let mut cmd = pftui(&home);
    cmd.env("PFTUI_LAB_TOKEN", sim.token())
        .args(["--context", "LAB", "--config"])
        .arg(&settings)
        .args(["deploy", "air", "dev", "--yes"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("read-only"));

    let mut cmd = pftui(&home);
    cmd.env("PFTUI_LAB_TOKEN", sim.token())
        .args(["--context", "nope", "--config"])
        .arg(&settings)
        .arg("status");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("known contexts: lab"));
}

#[tokio::test]
async fn snapshot_renders_the_dashboard_once() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pftui(&home);
    cmd.args(["--demo", "snapshot", "--size", "100x30"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let frame = text(&out.stdout);
    assert_eq!(frame.lines().count(), 30);
    assert!(frame.lines().all(|l| l.chars().count() <= 100));
    for needle in [
        "pftui",
        "Coolify 4.3.11",
        "air-dev",
        "Details",
        "· deployment ",
        "https://dev.air.pfcore.io",
    ] {
        assert!(frame.contains(needle), "{needle} in:\n{frame}");
    }
    assert!(!frame.contains('\u{1b}'), "plain text without --ansi");

    let mut cmd = pftui(&home);
    cmd.args(["--demo", "snapshot", "--ansi", "--size", "100x30"])
        .env_remove("NO_COLOR")
        .env("COLORTERM", "truecolor");
    let out = run(cmd).await;
    assert!(text(&out.stdout).contains("\u{1b}["), "colours with --ansi");

    let mut cmd = pftui(&home);
    cmd.args(["--demo", "snapshot", "--size", "big"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn traces_go_to_the_state_dir_and_never_hold_the_token() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let token = "77|tracing-canary-token";
    sim.control().add_token(token, &["root"]);
    let mut cmd = against(&home, &sim, token);
    cmd.env("PFTUI_LOG", "trace")
        .args(["deploy", "air", "dev", "--wait", "--yes"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log =
        std::fs::read_to_string(home.path().join("state/pftui/pftui.log")).expect("a trace file");
    assert!(log.contains("executing"), "{log}");
    for output in [&log, &text(&out.stdout), &text(&out.stderr)] {
        assert!(!output.contains("tracing-canary"), "the token leaked");
    }
}

#[tokio::test]
async fn operations_from_the_cli_follow_the_policy_and_are_audited() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let go = |args: &[&str]| {
        let mut cmd = against(&home, &sim, sim.token());
        cmd.args(args);
        run(cmd)
    };
    // Production needs the typed name: --yes is not enough, without a terminal.
    let out = go(&["promote", "air", "staging", "prod", "--yes"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("typed: prod"),
        "{}",
        text(&out.stderr)
    );
    // Nothing is approved without a flag when there is no terminal.
    let out = go(&["restart", "air", "dev"]).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("needs a confirmation"));

    let out = go(&["promote", "air", "dev", "staging", "--wait", "--yes"]).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("commits that move:"), "{stdout}");
    assert!(
        stdout.contains("merged develop into staging on pfcore/pf-air"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("air-staging: finished")),
        "{stdout}"
    );

    let out = go(&["restart", "air", "dev", "air-dev", "--yes"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Stopping is destructive: the name is typed everywhere.
    let out = go(&["stop", "w4m", "staging", "--yes"]).await;
    assert_eq!(out.status.code(), Some(3));
    let out = go(&["stop", "w4m", "staging", "--confirm", "staging"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("now exited"),
        "{}",
        text(&out.stdout)
    );
    let out = go(&["start", "w4m", "staging", "--yes"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = go(&["rollback", "baiv", "prod", "--wait", "--confirm", "prod"]).await;
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = go(&["cancel", "baiv", "dev", "--yes"]).await;
    assert_eq!(out.status.code(), Some(1), "nothing to cancel");

    let out = go(&["audit", "--output", "json"]).await;
    let records: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ops: Vec<(&str, &str)> = records
        .iter()
        .map(|r| {
            (
                r["operation"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(ops.len(), 8, "{ops:?}");
    assert!(ops[0].1.starts_with("refused") && ops[1].1.starts_with("refused"));
    assert_eq!(ops[2], ("promote", "succeeded"));
    assert_eq!(records[2]["actor"]["channel"], "cli");
    let table = go(&["audit"]).await;
    assert!(text(&table.stdout).contains("AIR/staging/air-staging"));
}
