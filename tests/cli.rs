//! The `pftui` binary, end to end, against the embedded demo and a simulator.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::binary::{FAST, against, pftui, run, text};

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
    assert_eq!(
        context,
        ["pftui: context env (COOLIFY_BASE_URL)"],
        "{stderr}"
    );
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
async fn an_operation_stopped_by_a_signal_exits_128_plus_n_and_is_recorded_interrupted() {
    let (sim, _) = common::sim(50.0).await;
    sim.control().pause_queue(true);
    let home = tempfile::tempdir().unwrap();
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let mut cmd = against(&home, &sim, sim.token());
        cmd.args(["deploy", "air", "dev", "--wait", "--yes"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (status, stderr, deployment) = tokio::task::spawn_blocking(move || {
            let mut child = cmd.spawn().unwrap();
            let stdout = child.stdout.take().unwrap();
            // Wait for the deployment to be queued, then stop pftui.
            let queued = BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .find(|l| l.starts_with("queued air-dev: deployment "))
                .expect("the deployment was queued");
            let pid = child.id().to_string();
            Command::new("kill")
                .args([&format!("-{signal}"), &pid])
                .status()
                .unwrap();
            let out = child.wait_with_output().unwrap();
            let uuid = queued.rsplit(' ').next().unwrap().to_string();
            (out.status, text(&out.stderr), uuid)
        })
        .await
        .unwrap();
        assert_eq!(status.code(), Some(code), "{signal}: {stderr}");
        assert!(
            stderr.contains(&format!("stopped by SIG{signal}")),
            "{stderr}"
        );
        let mut audit = pftui(&home);
        audit.args(["audit", "--output", "json"]);
        let records: Vec<serde_json::Value> =
            serde_json::from_slice(&run(audit).await.stdout).unwrap();
        let last = records.last().unwrap();
        assert!(
            last["outcome"].as_str().unwrap().starts_with("interrupted"),
            "{signal}: {last}"
        );
        assert_eq!(last["deployments"][0], deployment.as_str());
    }
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
        text(&out.stderr).contains("typed: prod; pass --confirm prod"),
        "{}",
        text(&out.stderr)
    );
    // Nothing is approved without a flag when there is no terminal.
    let out = go(&["restart", "air", "dev"]).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("needs a confirmation; pass --yes"));
    // An image that does not exist is a usage error naming the ones that do.
    let out = go(&["rollback", "air", "dev", "--to", "0000000", "--yes"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("has no image 0000000; available: "),
        "{}",
        text(&out.stderr)
    );

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

    // Promoting again finds nothing to move: said, and not a failure.
    let out = go(&["promote", "air", "dev", "staging", "--yes"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("nothing to promote"),
        "{}",
        text(&out.stdout)
    );
    // Out of the pipeline's order is a usage error naming the flag that allows it.
    let out = go(&["promote", "air", "dev", "prod", "--confirm", "prod"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--out-of-order"),
        "{}",
        text(&out.stderr)
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

/// The settings file with `FAST` plus `extra`.
fn write_settings(home: &tempfile::TempDir, extra: &str) {
    let settings = home.path().join("config/pftui/config.yaml");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, format!("{FAST}{extra}")).unwrap();
}

#[tokio::test]
async fn every_spelling_of_a_read_only_server_is_read_only_and_the_choice_is_said() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let port = sim.coolify_url().rsplit(':').next().unwrap().to_string();
    write_settings(
        &home,
        &format!(
            "default_context: prod\ncontexts:\n  - {{name: prod, url: 'https://coolify.invalid'}}\n  - {{name: ro, url: 'http://127.0.0.1:{port}', read_only: true}}\n"
        ),
    );
    for spelling in [
        format!("http://localhost:{port}"),
        format!("http://LOCALHOST:{port}/"),
        format!("http://127.1:{port}"),
        format!("http://0x7f000001:{port}"),
        format!("http://[::ffff:127.0.0.1]:{port}"),
        format!("http://127.0.0.1.:{port}"),
        format!("http://127.0.0.1:{port}/api/v1"),
    ] {
        for by_flag in [false, true] {
            let mut cmd = pftui(&home);
            cmd.env("COOLIFY_API_TOKEN", sim.token());
            if by_flag {
                cmd.args(["--url", &spelling]);
            } else {
                cmd.env("COOLIFY_BASE_URL", &spelling);
            }
            cmd.args(["deploy", "air", "dev", "--yes"]);
            let out = run(cmd).await;
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{spelling}: {stderr}");
            assert!(stderr.contains("read-only"), "{spelling}: {stderr}");
            let why = if by_flag { "--url" } else { "COOLIFY_BASE_URL" };
            assert!(
                stderr.contains(&format!(
                    "pftui: context ro ({why} is its server; default_context prod ignored)"
                )),
                "{spelling}: {stderr}"
            );
        }
    }

    // A server no context has: the variable wins over default_context, with its own token
    // only, and says so; JSON on standard output stays a document.
    let (other, _) = common::sim(50.0).await;
    let mut cmd = pftui(&home);
    cmd.env("COOLIFY_BASE_URL", other.coolify_url())
        .env("COOLIFY_API_TOKEN", other.token())
        .args(["status", "--output", "json"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["context"], "env");
    assert_eq!(
        text(&out.stderr).trim(),
        "pftui: context env (COOLIFY_BASE_URL; default_context prod ignored)"
    );
    assert!(
        other
            .control()
            .authorizations()
            .iter()
            .all(|a| a == &format!("Bearer {}", other.token())),
        "{:?}",
        other.control().authorizations()
    );
}

#[tokio::test]
async fn secrets_of_every_service_are_masked_in_errors_the_journal_and_traces() {
    use pftui::sim::{Fault, SimConfig};
    let github_token = format!("github-canary-{}", uuid::Uuid::new_v4().simple());
    let coolify_token = format!("42|coolify-canary-{}", uuid::Uuid::new_v4().simple());
    let (sim, _) = common::sim_with(SimConfig {
        speed: 50.0,
        github_token: github_token.clone(),
        ..SimConfig::default()
    })
    .await;
    sim.control().add_token(&coolify_token, &["root"]);
    let home = tempfile::tempdir().unwrap();
    let fault = |method: &str, path: &str, status: u16, body: String| {
        Fault::respond(path, status, "application/json", &body)
            .method(method)
            .times(1)
    };

    // GitHub answers a merge with an error that quotes its token: the journal, standard
    // error and the trace show it masked.
    sim.control().inject_fault(fault(
        "POST",
        "/github/repos/pfcore/pf-air/merges",
        422,
        format!(r#"{{"message":"token {github_token} may not merge"}}"#),
    ));
    let mut cmd = against(&home, &sim, &coolify_token);
    cmd.env("GITHUB_TOKEN", &github_token)
        .env("PFTUI_LOG", "trace")
        .args(["promote", "air", "dev", "staging", "--yes"]);
    let promote = run(cmd).await;
    assert_ne!(promote.status.code(), Some(0), "{}", text(&promote.stdout));

    // Coolify answers with an error that quotes the token it was sent.
    sim.control().inject_fault(fault(
        "GET",
        "/api/v1/",
        401,
        format!(r#"{{"message":"Unauthenticated: {coolify_token} is not valid here"}}"#),
    ));
    let mut cmd = against(&home, &sim, &coolify_token);
    cmd.env("PFTUI_LOG", "trace").arg("status");
    let status = run(cmd).await;
    assert_eq!(status.status.code(), Some(2));
    assert!(
        text(&status.stderr).contains("[redacted]"),
        "{}",
        text(&status.stderr)
    );

    let data = home.path().join("data/pftui");
    let journal =
        std::fs::read_to_string(data.join("audit.jsonl")).expect("the promote is audited");
    assert!(journal.contains("[redacted]"), "{journal}");
    let trace = home.path().join("state/pftui/pftui.log");
    let traced = std::fs::read_to_string(&trace).expect("a trace file");
    for (name, output) in [
        ("promote stdout", text(&promote.stdout)),
        ("promote stderr", text(&promote.stderr)),
        ("status stderr", text(&status.stderr)),
        ("journal", journal),
        ("trace", traced),
    ] {
        for secret in [github_token.as_str(), &coolify_token[3..]] {
            assert!(!output.contains(secret), "{secret} leaked into {name}");
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [data.join("audit.jsonl"), trace] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
}

#[tokio::test]
async fn demo_runs_keep_a_journal_of_their_own() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pftui(&home);
    cmd.args(["--demo", "deploy", "air", "dev", "--yes"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let data = home.path().join("data/pftui");
    assert!(
        !data.join("audit.jsonl").exists(),
        "the real journal is untouched"
    );
    assert!(data.join("demo-audit.jsonl").is_file());

    let mut cmd = pftui(&home);
    cmd.args(["--demo", "audit", "--output", "json"]);
    let out = run(cmd).await;
    let records: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["context"], "demo");
    assert_eq!(records[0]["operation"], "deploy");

    let mut cmd = pftui(&home);
    cmd.args(["audit", "--output", "json"]);
    let out = run(cmd).await;
    let records: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(records.is_empty(), "{records:?}");

    // A journal others may read is reported by doctor, and made private at the next write.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let demo_journal = data.join("demo-audit.jsonl");
        std::fs::set_permissions(&demo_journal, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut cmd = pftui(&home);
        cmd.args(["doctor", "--output", "json"]);
        let out = run(cmd).await;
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let check = doc["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["check"] == "demo journal"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(check["verdict"], "warn", "{doc:#}");
        assert!(
            check["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("mode 644"),
            "{check:#}"
        );
        let mut cmd = pftui(&home);
        cmd.args(["--demo", "deploy", "air", "dev", "--yes"]);
        assert!(run(cmd).await.status.success());
        let mode = std::fs::metadata(&demo_journal)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
}

/// A scripted Anthropic Messages endpoint: each request is answered with the next turn
/// (text, then an optional tool call) as a stream; every request body is kept.
async fn scripted_model(
    turns: Vec<(&'static str, Option<(&'static str, serde_json::Value)>)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use serde_json::json;
    use std::sync::{Arc, Mutex};
    let streams: Vec<String> = turns
        .into_iter()
        .map(|(said, tool)| {
            let mut events = vec![
                json!({"type":"message_start","message":{"id":"msg","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"usage":{"input_tokens":1,"output_tokens":1}}}),
                json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
                json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":said}}),
                json!({"type":"content_block_stop","index":0}),
            ];
            let stop = match &tool {
                Some((name, input)) => {
                    events.extend([
                        json!({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":name,"input":{}}}),
                        json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":input.to_string()}}),
                        json!({"type":"content_block_stop","index":1}),
                    ]);
                    "tool_use"
                }
                None => "end_turn",
            };
            events.push(json!({"type":"message_delta","delta":{"stop_reason":stop,"stop_sequence":null},"usage":{"output_tokens":1}}));
            events.push(json!({"type":"message_stop"}));
            events
                .iter()
                .map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap()))
                .collect()
        })
        .collect();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let queue = Arc::new(Mutex::new(std::collections::VecDeque::from(streams)));
    let app = axum::Router::new().route(
        "/v1/messages",
        axum::routing::post({
            let seen = seen.clone();
            move |body: String| async move {
                seen.lock().unwrap().push(body);
                let stream = queue.lock().unwrap().pop_front().unwrap_or_default();
                ([("content-type", "text/event-stream")], stream)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test]
async fn secrets_in_an_agent_prompt_are_masked_in_the_journal_and_never_handed_back() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let github = "ghp_AbCdEf0123456789AbCdEf0123456789abcd";
    let openai = "sk-proj-Zyxwvutsrqponmlk0123456789";
    let (url, seen) = scripted_model(vec![
        (
            "Deploying w4m dev.",
            Some((
                "coolify_deploy",
                serde_json::json!({"project": "w4m", "environment": "dev"}),
            )),
        ),
        ("Done.", None),
        (
            "Looking at the journal.",
            Some(("audit_recent", serde_json::json!({}))),
        ),
        ("That is all.", None),
    ])
    .await;
    let agent = |prompt: &str| {
        let mut cmd = against(&home, &sim, sim.token());
        cmd.env(
            "ANTHROPIC_API_KEY",
            "sk-ant-fake-key-for-the-scripted-model",
        )
        .env("ANTHROPIC_BASE_URL", &url)
        .args(["agent", prompt, "--provider", "anthropic", "--yes"]);
        run(cmd)
    };
    let out = agent(&format!(
        "deploy w4m dev; my GitHub token is {github} and the OpenAI key {openai}"
    ))
    .await;
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let journal_file = home.path().join("data/pftui/audit.jsonl");
    let journal = std::fs::read_to_string(&journal_file).expect("the deploy is audited");
    assert!(
        journal.contains("my GitHub token is [redacted] and the OpenAI key [redacted]"),
        "{journal}"
    );

    // A record written before masking existed: the read tool still never hands it over.
    let old = serde_json::json!({
        "time": "2026-01-01T00:00:00Z", "context": "env",
        "actor": {"user": "op@box", "channel": "agent", "prompt": format!("restart with {github}")},
        "operation": "restart", "target": "W4M/dev/w4m-dev", "parameters": {},
        "outcome": "succeeded", "duration_ms": 1
    });
    let mut text_before = std::fs::read_to_string(&journal_file).unwrap();
    text_before.push_str(&format!("{old}\n"));
    std::fs::write(&journal_file, text_before).unwrap();
    let out = agent("what happened recently?").await;
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    let bodies = seen.lock().unwrap().clone();
    assert_eq!(bodies.len(), 4, "{bodies:#?}");
    assert!(
        bodies[3].contains("tool_result") && bodies[3].contains("restart with [redacted]"),
        "{}",
        bodies[3]
    );
    for (n, body) in bodies.iter().enumerate().skip(1) {
        // The first request is the operator's own prompt; nothing pftui hands back after
        // it holds the secrets.
        let answers = body.split("tool_result").skip(1).collect::<String>();
        assert!(
            !answers.contains(github) && !answers.contains(openai),
            "request {n}: {body}"
        );
    }
}
