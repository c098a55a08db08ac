//! `pftui config check | show | export-env`, end to end: the built-in example set
//! (`--demo`), a copy of it broken on purpose, and secrets that never show unless asked.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::path::Path;
use std::process::Output;

use common::binary::{pftui, run, text};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/platform");

async fn pftui_config(home: &tempfile::TempDir, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = pftui(home);
    cmd.envs(env.iter().copied()).arg("config").args(args);
    run(cmd).await
}

/// A copy of the example set in a temporary directory.
fn copy_of_examples(dir: &Path) {
    for sub in ["", "instances", "products"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(Path::new(EXAMPLES).join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn demo_show_prints_the_merged_product_with_each_values_origin() {
    let home = tempfile::tempdir().unwrap();
    let out = pftui_config(
        &home,
        &[],
        &[
            "show",
            "air/ep",
            "--env",
            "production",
            "--origin",
            "--demo",
        ],
    )
    .await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    let line = |start: &str| {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no `{start}` in:\n{stdout}"))
            .trim()
            .to_string()
    };
    assert_eq!(
        line("# air/ep"),
        "# air/ep, production: pf-core -> air -> air-ep"
    );
    assert_eq!(
        line("memory_limit:"),
        "memory_limit: 768M  # instances/air.instance.yaml:13"
    );
    assert_eq!(
        line("node_version:"),
        "node_version: \"20\"  # pf-core.config.yaml:6"
    );
    assert!(line("health_check_path:").ends_with("# pf-core.config.yaml:13"));
    assert!(line("cpu_limit:").starts_with("cpu_limit: 1.0  # pf-core.config.yaml:"));
    assert!(line("auto_deploy:").starts_with("auto_deploy: false  # pf-core.config.yaml:"));
    assert!(line("primary_color:").ends_with("# instances/air.instance.yaml:9"));
    assert!(line("emergency_mode:").ends_with("# products/air-ep.product.yaml:11"));
    assert!(line("code:").starts_with("code: EP  # products/air-ep.product.yaml:"));
    // Every value line names its origin.
    for l in stdout
        .lines()
        .skip(1)
        .filter(|l| !l.trim_end().ends_with(':'))
    {
        assert!(l.contains("  # ") && l.contains(".yaml:"), "{l}");
    }
}

#[tokio::test]
async fn show_json_and_the_layers_merged_without_an_environment() {
    let home = tempfile::tempdir().unwrap();
    let out = pftui_config(
        &home,
        &[],
        &[
            "--demo", "show", "BAIV", "--env", "dev", "--output", "json", "--origin",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["resources"]["memory_limit"]["value"], "256M");
    assert!(
        doc["resources"]["memory_limit"]["origin"]
            .as_str()
            .unwrap()
            .starts_with("pf-core.config.yaml:")
    );
    assert_eq!(doc["deploy"]["domain"]["value"], "dev.baiv.pfcore.io");
    let out = pftui_config(&home, &[], &["--demo", "show", "baiv", "--output", "json"]).await;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["environments"]["production"]["deploy"]["branch"],
        "main"
    );
    assert_eq!(doc["instance"]["domain"], "baiv.io");
    let out = pftui_config(&home, &[], &["--demo", "show", "nope"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("known are air, baiv, w4m, air/ep"));
    let out = pftui_config(&home, &[], &["--demo", "show", "air", "--env", "live"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown environment `live`"));
}

#[tokio::test]
async fn check_passes_on_the_examples_and_lists_every_problem_of_a_broken_copy() {
    let home = tempfile::tempdir().unwrap();
    let out = pftui_config(&home, &[], &["check", "--config-dir", EXAMPLES]).await;
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).starts_with("ok: 5 files"));

    let dir = tempfile::tempdir().unwrap();
    copy_of_examples(dir.path());
    let air = dir.path().join("instances/air.instance.yaml");
    std::fs::write(
        &air,
        "extends: pf-core\ninstance:\n  name: AIR\n  domian: air.pfcore.io\nresources:\n  cpu_limit: lots\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("instances/baiv.instance.yaml"),
        "extends: pf-core\ninstance: {name: BAIV, domain: baiv.io}\nenvironments:\n  production:\n    deploy:\n      auto_deploy: true\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("instances/w4m.instance.yaml"),
        "extends: [\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("products/air-ep.product.yaml"),
        "extends: air\nproduct: {name: EP, code: EP, domain: ep.io}\nproduct: {}\n",
    )
    .unwrap();
    let out = pftui_config(
        &home,
        &[],
        &["check", "--config-dir", dir.path().to_str().unwrap()],
    )
    .await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    let at = |file: &str| format!("{}/{file}", dir.path().display());
    let expected = [
        format!(
            "{}:4:3: instance.domian: unknown key `domian`; expected one of `domain`, `name`",
            at("instances/air.instance.yaml")
        ),
        format!(
            "{}:6:14: resources.cpu_limit: expected a number, found a string \"lots\"",
            at("instances/air.instance.yaml")
        ),
        format!(
            "{}:6:20: deploy.auto_deploy: production never deploys automatically",
            at("instances/baiv.instance.yaml")
        ),
        format!("{}:2:1: not valid YAML", at("instances/w4m.instance.yaml")),
        format!(
            "{}:3:1: product: duplicate key `product` (first written at line 2)",
            at("products/air-ep.product.yaml")
        ),
    ];
    for want in &expected {
        assert!(
            stdout.lines().any(|l| l.starts_with(want.as_str())),
            "no line starting {want:?} in:\n{stdout}"
        );
    }
    assert!(text(&out.stderr).contains("problems in the platform configuration"));
    let out = pftui_config(
        &home,
        &[],
        &[
            "check",
            "--output",
            "json",
            "--config-dir",
            dir.path().to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &doc.as_array().unwrap()[0];
    assert_eq!(first["line"], 4);
    assert_eq!(first["path"], "instance.domian");
}

#[tokio::test]
async fn the_settings_name_the_directory_and_a_missing_one_says_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let out = pftui_config(&home, &[], &["check"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("./config does not exist: pass --config-dir DIR"));
    let settings = home.path().join("config/pftui/config.yaml");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, format!("platform:\n  config_dir: {EXAMPLES}\n")).unwrap();
    let out = pftui_config(&home, &[], &["check"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[tokio::test]
async fn export_env_masks_secrets_unless_revealed() {
    let home = tempfile::tempdir().unwrap();
    let planted = "sb-planted-6f1d0c2a9e";
    let env = [
        ("PFTUI_SECRET_SUPABASE_SERVICE_KEY", planted),
        ("PFTUI_SECRET_SUPABASE_ANON_KEY", "anon-planted-77"),
    ];
    let out = pftui_config(&home, &env, &["--demo", "export-env", "air", "prod"]).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(
        !stdout.contains(planted) && !stdout.contains("anon-planted"),
        "{stdout}"
    );
    assert!(!text(&out.stderr).contains(planted));
    for line in [
        "APP_NAME=AIR",
        "APP_ENV=production",
        "APP_URL=https://air.pfcore.io",
        "BRAND_PRIMARY=\"#1E40AF\"",
        "SUPABASE_URL=https://pfcore.supabase.co",
        "SUPABASE_SERVICE_KEY=********",
    ] {
        assert!(stdout.lines().any(|l| l == line), "no {line} in:\n{stdout}");
    }
    let out = pftui_config(
        &home,
        &env,
        &["--demo", "export-env", "air", "prod", "--reveal"],
    )
    .await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout
            .lines()
            .any(|l| l == format!("SUPABASE_SERVICE_KEY={planted}")),
        "{stdout}"
    );

    // A secret stored nowhere: a clear error, and no value from the files.
    let out = pftui_config(
        &home,
        &[
            ("PFTUI_SECRET_SUPABASE_ANON_KEY", "a"),
            ("PFTUI_KEYRING_TIMEOUT", "1"),
        ],
        &["--demo", "export-env", "air/ep", "dev", "--reveal"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stdout).is_empty());
    assert!(
        text(&out.stderr).contains("supabase_service_key"),
        "{}",
        text(&out.stderr)
    );
}
