//! `pftui config diff` and `config apply` against the simulator, as a script runs them:
//! the diff lists what the server lacks with origins and exits 1; apply writes it (a
//! confirmation in dev, the typed name in prod), reads it back, and a second diff exits 0;
//! a second apply changes nothing and says so; `--prune` removes the extras; a secret's
//! value never reaches any output, the audit journal or the trace file.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::path::Path;
use std::process::Output;

use common::binary::{against, run, text};
use pftui::sim::SimHandle;

/// A secret value planted for the configuration's `supabase_service_key`.
const PLANTED: &str = "sk-planted-9f8e7d6c5b4a";
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/platform");

async fn pftui(home: &tempfile::TempDir, sim: &SimHandle, args: &[&str]) -> Output {
    let mut cmd = against(home, sim, sim.token());
    cmd.args(args)
        .args(["--config-dir", EXAMPLES])
        .env("PFTUI_SECRET_SUPABASE_SERVICE_KEY", PLANTED)
        .env("PFTUI_SECRET_SUPABASE_ANON_KEY", "anon-public-key");
    run(cmd).await
}

fn both(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

/// Every file below `dir`, as text.
fn everything_under(dir: &Path) -> String {
    let mut all = String::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return all;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.push_str(&everything_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    all
}

#[tokio::test]
async fn apply_then_diff_is_clean_a_second_apply_does_nothing_and_no_secret_leaks() {
    let (sim, _client) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();

    let diff = pftui(&home, &sim, &["config", "diff", "air", "dev"]).await;
    let shown = both(&diff);
    assert_eq!(diff.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("limits_memory") && shown.contains("-> 768M"),
        "{shown}"
    );
    assert!(
        shown.contains("instances/air.instance.yaml:"),
        "origins: {shown}"
    );
    assert!(shown.contains("+ APP_ENV"), "{shown}");
    assert!(
        shown.contains("•••••• (secret supabase_service_key)"),
        "{shown}"
    );
    assert!(shown.contains("not in the configuration (kept"), "{shown}");
    assert!(shown.contains("pftui config apply air dev"), "{shown}");

    let json = pftui(
        &home,
        &sim,
        &["config", "diff", "air", "dev", "--output", "json"],
    )
    .await;
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["project"], "AIR");
    assert!(!value["apps"][0]["settings"].as_array().unwrap().is_empty());

    let apply = pftui(&home, &sim, &["config", "apply", "air", "dev", "--yes"]).await;
    let shown = both(&apply);
    assert_eq!(apply.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("Apply the platform configuration to AIR/dev"),
        "{shown}"
    );
    assert!(
        shown.contains("read back, it has what the configuration gives it"),
        "{shown}"
    );

    let again = pftui(&home, &sim, &["config", "diff", "air", "dev"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", both(&again));
    assert!(both(&again).contains("has what the platform configuration gives it"));

    let second = pftui(&home, &sim, &["config", "apply", "air", "dev", "--yes"]).await;
    assert_eq!(second.status.code(), Some(0), "{}", both(&second));
    assert!(
        both(&second).contains("already has what the platform configuration gives it"),
        "{}",
        both(&second)
    );

    // The audit names what was written, never a value.
    let audit = pftui(&home, &sim, &["audit", "--output", "json"]).await;
    let audit_text = text(&audit.stdout);
    assert!(audit_text.contains("config apply"), "{audit_text}");
    assert!(audit_text.contains("SUPABASE_SERVICE_KEY"), "{audit_text}");
    assert!(audit_text.contains("limits_memory"), "{audit_text}");

    for out in [&diff, &json, &apply, &again, &second, &audit] {
        assert!(!both(out).contains(PLANTED), "a secret in the output");
    }
    let files = everything_under(home.path());
    assert!(
        files.contains("config apply"),
        "the journal and trace are there"
    );
    assert!(
        !files.contains(PLANTED),
        "a secret in the journal or the trace"
    );
}

#[tokio::test]
async fn prune_removes_the_extras_and_prod_needs_its_name_typed() {
    let (sim, _client) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();

    let refused = pftui(&home, &sim, &["config", "apply", "air", "prod", "--yes"]).await;
    assert_eq!(refused.status.code(), Some(3), "{}", both(&refused));
    assert!(
        both(&refused).contains("--confirm prod"),
        "{}",
        both(&refused)
    );
    let still = pftui(&home, &sim, &["config", "diff", "air", "prod"]).await;
    assert_eq!(still.status.code(), Some(1), "nothing was written");

    let typed = pftui(
        &home,
        &sim,
        &["config", "apply", "air", "prod", "--confirm", "prod"],
    )
    .await;
    assert_eq!(typed.status.code(), Some(0), "{}", both(&typed));
    // Applied without --prune, the extras stay: a pruning diff still finds them.
    let clean = pftui(&home, &sim, &["config", "diff", "air", "prod"]).await;
    assert_eq!(clean.status.code(), Some(0), "{}", both(&clean));
    let pruning = pftui(&home, &sim, &["config", "diff", "air", "prod", "--prune"]).await;
    assert_eq!(pruning.status.code(), Some(1), "{}", both(&pruning));
    assert!(
        both(&pruning).contains("- DATABASE_URL"),
        "{}",
        both(&pruning)
    );

    let pruned = pftui(
        &home,
        &sim,
        &[
            "config",
            "apply",
            "air",
            "prod",
            "--prune",
            "--confirm",
            "prod",
        ],
    )
    .await;
    let shown = both(&pruned);
    assert_eq!(pruned.status.code(), Some(0), "{shown}");
    assert!(shown.contains("remove DATABASE_URL"), "{shown}");
    let after = pftui(&home, &sim, &["config", "diff", "air", "prod", "--prune"]).await;
    assert_eq!(after.status.code(), Some(0), "{}", both(&after));
}

#[tokio::test]
async fn a_secret_missing_from_the_store_is_named_and_nothing_is_written() {
    let (sim, _client) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, &sim, sim.token());
    cmd.args([
        "config",
        "apply",
        "baiv",
        "dev",
        "--yes",
        "--config-dir",
        EXAMPLES,
    ]);
    let out = run(cmd).await;
    let shown = both(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    // With no keyring reachable the lookup says so; either way it names the secret and
    // the variable that gives it.
    assert!(shown.contains("the secret supabase_"), "{shown}");
    assert!(shown.contains("PFTUI_SECRET_SUPABASE_"), "{shown}");
    let diff = pftui(&home, &sim, &["config", "diff", "baiv", "dev"]).await;
    assert!(both(&diff).contains("+ APP_ENV"), "nothing was written");
}
