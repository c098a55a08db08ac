//! Text from a server or a repository reaches the terminal as text only: a commit message
//! and a build log line carrying escape sequences (the clipboard write OSC 52, clear
//! screen, the alternate screen), a carriage return that would overwrite the line and a
//! bidi override are printed cleaned by every command that shows them, while JSON output
//! carries them exactly.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use common::binary::{against, run, text};
use pftui::sim::{Fault, SimHandle};

/// What the reproductions put in a commit message: "rm -rf ~" in base64 for the
/// clipboard, clear screen, the alternate screen, a line overwritten and a bidi override.
const MESSAGE: &str =
    "rm -rf ~\r\u{1b}[2J\u{1b}[?1049hfix\u{1b}]52;c;cm0gLXJmIH4=\u{7} typo \u{202e}txt.exe";
/// The message as it is shown: the sequences gone, the carriage return visible.
const SHOWN: &str = "rm -rf ~␍fix typo txt.exe";

/// What must never reach a terminal from outside: ESC, BEL, CR, C1 CSI, a bidi override.
fn assert_inert(what: &str, output: &str) {
    for c in ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{202e}'] {
        assert!(
            !output.contains(c),
            "{what} printed {c:?}:\n{}",
            output.escape_debug()
        );
    }
    assert!(!output.contains("52;c;"), "{what}:\n{output}");
    assert!(!output.contains("1049h"), "{what}:\n{output}");
}

/// A simulator where the head of air's develop branch carries [`MESSAGE`] and air-dev has
/// deployed it (the push queued the deployment, as Coolify's webhook does), its build log
/// printing [`MESSAGE`] too.
async fn planted() -> SimHandle {
    let (sim, client) = common::sim(50.0).await;
    assert!(sim.control().log_next("air-dev", MESSAGE));
    let (_, queued) = sim
        .control()
        .push_commit("pfcore/pf-air", "develop", MESSAGE)
        .unwrap();
    assert_eq!(queued.len(), 1, "air-dev deploys the push");
    common::follow(&client, &queued[0]).await;
    sim
}

#[tokio::test]
async fn history_logs_and_their_json() {
    let sim = planted().await;
    let home = tempfile::tempdir().unwrap();

    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["history", "air", "dev"]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_inert("history", &stdout);
    assert!(stdout.contains(SHOWN), "{stdout}");

    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["history", "air", "dev", "--output", "json"]);
    let out = run(cmd).await;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["deployments"][0]["commit_message"], MESSAGE,
        "JSON carries the message exactly"
    );

    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["logs", "air", "dev"]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_inert("logs", &stdout);
    assert!(
        stdout.lines().any(|l| l.ends_with(SHOWN)),
        "the log line with the commit message:\n{stdout}"
    );
    let verdict = stdout.lines().last().unwrap();
    assert!(verdict.contains(&format!("\"{SHOWN}\"")), "{verdict}");
}

#[tokio::test]
async fn deploy_wait_and_the_promote_preview() {
    let sim = planted().await;
    let home = tempfile::tempdir().unwrap();

    assert!(sim.control().log_next("air-dev", MESSAGE));
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["deploy", "air", "dev", "--wait", "--yes"]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert_inert("deploy --wait", &stdout);
    assert!(
        stdout.contains(SHOWN),
        "the streamed log shows it:\n{stdout}"
    );

    // Without a terminal and without --yes it is refused, after the preview.
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["promote", "air", "dev", "staging"]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert_inert("the promote preview", &stdout);
    assert!(
        stdout.contains("commits that move:") && stdout.contains(SHOWN),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_server_error_message_and_the_snapshot() {
    let sim = planted().await;
    let home = tempfile::tempdir().unwrap();

    let body = serde_json::json!({ "message": MESSAGE }).to_string();
    sim.control().inject_fault(
        Fault::respond("/api/v1/projects", 404, "application/json", &body)
            .method("GET")
            .times(1),
    );
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["history", "air", "dev"]);
    let out = run(cmd).await;
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert_inert("an error message", &stderr);
    assert!(stderr.contains(&format!("404 ({SHOWN})")), "{stderr}");

    let mut cmd = against(&home, &sim, sim.token());
    cmd.args(["snapshot", "--size", "160x400"]);
    let out = run(cmd).await;
    let frame = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_inert("the snapshot", &frame);
    assert!(
        frame.contains(SHOWN),
        "the log pane shows the commit:\n{frame}"
    );
}
