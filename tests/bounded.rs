//! Every wait and every answer has a bound: a server streaming without end is cut off at
//! `limits.body_mb`, one that accepts and never answers times out after
//! `limits.request_timeout`, a number out of range in the settings is an error where it is
//! written, `logs --lines N` keeps N lines, and a closed pipe ends the output quietly.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::binary::{FAST, against, against_with, run, text};
use pftui::coolify::{ClientOptions, CoolifyError};
use pftui::http::TransportError;
use pftui::sim::{Fault, FaultKind, SimHandle};
use secrecy::SecretString;

/// A fault on every GET under `path` whose body is `start` and then `repeat` forever.
fn endless(sim: &SimHandle, path: &str, start: &str, repeat: &str) {
    sim.control().inject_fault(Fault {
        method: Some("GET".into()),
        path_prefix: path.into(),
        times: None,
        kind: FaultKind::Endless {
            status: 200,
            content_type: "application/json".into(),
            start: start.into(),
            repeat: repeat.into(),
        },
    });
}

/// Whether `err` is the body limit of `limit` bytes on a request to a URL containing `path`.
fn too_large(err: &CoolifyError, path: &str, limit: usize) -> bool {
    matches!(err, CoolifyError::Transport(TransportError::TooLarge { url, limit: l }) if url.contains(path) && *l == limit)
}

#[tokio::test]
async fn an_endless_answer_is_cut_off_at_the_limit_whichever_way_it_is_read() {
    let (sim, _) = common::sim(50.0).await;
    const LIMIT: usize = 1024 * 1024;
    let client = pftui::coolify::Client::with_options(
        &sim.coolify_url(),
        SecretString::from(sim.token().to_string()),
        ClientOptions {
            body_limit: LIMIT,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let tree = pftui::coolify::load_tree(&client).await.unwrap();
    let app = common::uuid_of(&tree, "air-dev");

    // A list read item by item.
    endless(
        &sim,
        "/api/v1/applications",
        "[",
        r#"{"uuid":"x","name":"x"},"#,
    );
    let err = client.applications(None).await.unwrap_err();
    assert!(too_large(&err, "/applications", LIMIT), "{err:?}");
    assert!(
        err.to_string().contains("larger than 1 MB") && err.to_string().contains("limits.body_mb"),
        "{err}"
    );

    // A body read whole.
    endless(&sim, "/api/v1/version", "4.", "0");
    let err = client.version().await.unwrap_err();
    assert!(too_large(&err, "/version", LIMIT), "{err:?}");

    // A deployment poll whose log never ends: its new entries are all kept.
    let page = client.deployment_history(&app, 0, 1).await.unwrap();
    let uuid = &page.deployments[0].uuid;
    endless(
        &sim,
        &format!("/api/v1/deployments/{uuid}"),
        r#"{"deployment_uuid":"d","status":"in_progress","logs":"["#,
        r#"{\"output\":\"a line\"},"#,
    );
    let err = pftui::coolify::Follower::new(client.clone(), uuid, Duration::ZERO)
        .next()
        .await
        .unwrap_err();
    assert!(too_large(&err, "/deployments/", LIMIT), "{err:?}");
}

#[tokio::test]
async fn status_against_an_endless_server_says_which_request_and_which_limit() {
    let (sim, _) = common::sim(50.0).await;
    endless(
        &sim,
        "/api/v1/applications",
        "[",
        r#"{"uuid":"x","name":"x"},"#,
    );
    let home = tempfile::tempdir().unwrap();
    let settings = format!("{FAST}limits: {{ body_mb: 2 }}\n");
    let mut cmd = against_with(&home, &sim, sim.token(), &settings);
    cmd.arg("status");
    let out = run(cmd).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("/api/v1/applications is larger than 2 MB")
            && stderr.contains("limits.body_mb"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_after_the_setting() {
    let (sim, _) = common::sim(50.0).await;
    sim.control().inject_fault(Fault {
        method: Some("GET".into()),
        path_prefix: "/api/v1/".into(),
        times: None,
        kind: FaultKind::Delay(Duration::from_secs(3600)),
    });
    let home = tempfile::tempdir().unwrap();
    let settings = format!("{FAST}limits: {{ request_timeout: 1 }}\n");
    let mut cmd = against_with(&home, &sim, sim.token(), &settings);
    cmd.arg("status");
    let out = run(cmd).await;
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr
            .contains("accepted the request but did not answer within 1s (limits.request_timeout)"),
        "{stderr}"
    );
}

#[tokio::test]
async fn numbers_out_of_range_in_the_settings_are_errors_where_they_are_written() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    for (settings, line, what) in [
        (
            "refresh:\n  interval: 1e308\n",
            2,
            "interval must be between",
        ),
        (
            "health:\n  interval: 1e308\n",
            2,
            "interval must be between",
        ),
        (
            "mouse: false\nhealth:\n  timeout: 1e308\n",
            3,
            "timeout must be between",
        ),
        (
            "limits:\n  request_timeout: 0\n",
            2,
            "request_timeout must be between",
        ),
    ] {
        let mut cmd = against_with(&home, &sim, sim.token(), settings);
        cmd.arg("status");
        let out = run(cmd).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{settings}: {stderr}");
        assert!(
            stderr.contains(&format!("config.yaml:{line}:")) && stderr.contains(what),
            "{settings}: {stderr}"
        );
    }
}

#[tokio::test]
async fn logs_lines_prints_the_last_lines_of_a_deployment() {
    let (sim, _) = common::sim(50.0).await;
    let uuid = sim.control().big_log("air-dev", 5_000, 0.0).unwrap();
    let home = tempfile::tempdir().unwrap();
    let logs = |extra: &[&str]| {
        let mut cmd = against(&home, &sim, sim.token());
        cmd.args(["logs", "air", "dev", "--deployment", &uuid])
            .args(extra);
        cmd
    };
    let all = run(logs(&[])).await;
    assert!(all.status.success(), "{}", text(&all.stderr));
    let all = text(&all.stdout);
    let tail = run(logs(&["--lines", "10"])).await;
    assert!(tail.status.success(), "{}", text(&tail.stderr));
    let tail = text(&tail.stdout);
    let all: Vec<&str> = all.lines().collect();
    let tail: Vec<&str> = tail.lines().collect();
    assert_eq!(
        tail.len(),
        11,
        "ten lines and the verdict:\n{}",
        tail.join("\n")
    );
    assert_eq!(tail[..10], all[all.len() - 11..all.len() - 1]);
    assert!(tail[9].contains("-- line 5000:"), "{}", tail[9]);

    let out = run(logs(&["--lines", "10", "--follow"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--lines"),
        "{}",
        text(&out.stderr)
    );
}

/// Run `args` with its standard output closed before it writes anything (a reader that
/// went away, as `| head -1` does): it must end as it would have, without a panic.
async fn with_closed_output(sim: &SimHandle, args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, sim, sim.token());
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().unwrap();
        drop(child.stdout.take());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_closed_pipe_ends_the_output_quietly() {
    let (sim, _) = common::sim(50.0).await;
    for args in [
        &["status"][..],
        &["status", "--output", "json"],
        &["history", "air", "dev"],
        &["logs", "air", "dev"],
        &["logs", "air", "prod", "--runtime"],
        &["deploy", "air", "dev", "--wait", "--yes"],
    ] {
        let out = with_closed_output(&sim, args).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
