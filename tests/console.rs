//! End to end: the real binary in tmux, driven by keys, checked on screen.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tmux::Tmux;

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_pftui")
}

/// Run pftui, then record the terminal settings it left behind.
fn then_stty(tmux_file: &Path, args: &str) -> String {
    format!(
        "{} {args}; echo \"exit=$?\" > {f}.exit; stty -a > {f}; sleep 600",
        binary(),
        f = tmux_file.display()
    )
}

fn wait_file(path: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
        {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{} was not written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Raw mode left on shows as `-icanon -echo`.
fn assert_restored(stty: &str) {
    let words: Vec<&str> = stty.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "terminal left in raw mode:\n{stty}"
    );
}

#[test]
fn the_console_navigates_filters_helps_resizes_switches_theme_and_quits() {
    let probe = tempfile::tempdir().unwrap();
    let stty = probe.path().join("stty");
    let tmux = Tmux::start(120, 40, "", &[], &then_stty(&stty, "--demo"));
    let wanted = [
        "AIR",
        "BAIV",
        "W4M",
        "air-staging",
        "Coolify 4.3.11",
        "Details",
        "· deployment ",
    ];
    tmux.wait_for("the tree, the details and the log", |s| {
        wanted.iter().all(|t| s.contains(t))
    });
    // The first application is selected and its details are shown.
    tmux.wait_for_text("https://dev.air.pfcore.io");

    tmux.keys(&["j", "j"]);
    tmux.wait_for("air-staging's details", |s| {
        s.contains("air-staging  application in AIR/staging")
    });

    tmux.keys(&["/"]);
    tmux.keys(&["b", "a", "i", "v", "p", "r", "o", "d"]);
    let filtered = tmux.wait_for("the filter", |s| {
        s.contains("Tree /baivprod") && !s.contains("air-dev")
    });
    assert!(filtered.contains("baiv-prod"), "{filtered}");
    tmux.keys(&["Enter"]);
    tmux.wait_for_text("esc clears the filter");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the whole tree again", |s| {
        s.contains("air-dev") && !s.contains("Tree /")
    });

    tmux.keys(&["?"]);
    tmux.wait_for_text("Keys in the tree view");
    tmux.keys(&["x"]);
    tmux.wait_for("help closed", |s| !s.contains("Keys in the tree view"));

    tmux.keys(&["S"]);
    let servers = tmux.wait_for_text("Coolify's API reports no CPU or memory figures");
    assert!(servers.contains("pfcore-build"), "{servers}");
    // The servers view's help lists the servers view's keys.
    tmux.keys(&["?"]);
    let help = tmux.wait_for_text("Keys in the servers view");
    for other in [
        "roll back to an earlier image",
        "deploy without the build cache",
        "log: follow",
    ] {
        assert!(!help.contains(other), "{other} in\n{help}");
    }
    tmux.keys(&["Escape"]);
    tmux.wait_for("help closed", |s| !s.contains("Keys in the servers view"));
    tmux.keys(&["S"]);
    tmux.wait_for_text("· deployment ");

    tmux.tmux(&["resize-window", "-x", "80", "-y", "24"]);
    // The footer keeps the keys for help and quit.
    tmux.wait_for("the 80x24 layout with ? and q in the footer", |s| {
        s.lines().count() <= 24
            && s.contains("Details")
            && s.lines()
                .rfind(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_end().ends_with("? help  q quit"))
    });
    tmux.tmux(&["resize-window", "-x", "50", "-y", "12"]);
    tmux.wait_for_text("Terminal too small");
    tmux.tmux(&["resize-window", "-x", "120", "-y", "40"]);
    tmux.wait_for("the full layout", |s| {
        s.contains("Details") && !s.contains("too small")
    });

    tmux.keys(&[
        ":", "t", "h", "e", "m", "e", " ", "l", "i", "g", "h", "t", "Enter",
    ]);
    tmux.wait_for_text("theme light");

    tmux.keys(&["q"]);
    assert_restored(&wait_file(&stty));
    assert!(wait_file(&stty.with_extension("exit")).contains("exit=0"));
}

#[test]
fn ctrl_c_and_sigterm_restore_the_terminal() {
    let probe = tempfile::tempdir().unwrap();
    let stty = probe.path().join("stty");
    let tmux = Tmux::start(100, 30, "", &[], &then_stty(&stty, "--demo"));
    tmux.wait_for_text("air-dev");
    tmux.keys(&["C-c"]);
    assert_restored(&wait_file(&stty));

    // From the agent pane too, with something typed in it.
    let stty_agent = probe.path().join("stty-agent");
    let tmux = Tmux::start(100, 30, "", &[], &then_stty(&stty_agent, "--demo"));
    tmux.wait_for_text("air-dev");
    tmux.keys(&["a"]);
    tmux.wait_for_text("Ask · enter send");
    tmux.tmux(&["send-keys", "-l", "status of air"]);
    tmux.wait_for_text("status of air");
    tmux.keys(&["C-c"]);
    assert_restored(&wait_file(&stty_agent));

    let stty2 = probe.path().join("stty2");
    let pidfile = probe.path().join("pid");
    let tmux2 = Tmux::start(
        100,
        30,
        "",
        &[],
        &format!(
            "{} --demo & echo $! > {}; wait; stty -a > {}; sleep 600",
            binary(),
            pidfile.display(),
            stty2.display()
        ),
    );
    tmux2.wait_for_text("air-dev");
    let pid = wait_file(&pidfile).trim().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert_restored(&wait_file(&stty2));
}

#[test]
fn every_signal_restores_the_terminal_and_exits_128_plus_its_number() {
    let probe = tempfile::tempdir().unwrap();
    for (name, number) in [("INT", 2), ("QUIT", 3), ("TERM", 15), ("HUP", 1)] {
        let dir = probe.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        let (pidfile, exit, stty) = (dir.join("pid"), dir.join("exit"), dir.join("stty"));
        // The console runs in the foreground (exec keeps the pid written), as from a shell.
        let tmux = Tmux::start(
            100,
            30,
            "",
            &[],
            &format!(
                "sh -c 'echo $$ > {}; exec {} --demo'; echo \"exit=$?\" > {}; stty -a > {}; sleep 600",
                pidfile.display(),
                binary(),
                exit.display(),
                stty.display()
            ),
        );
        tmux.wait_for_text("air-dev");
        let pid = wait_file(&pidfile).trim().to_string();
        let sent = Command::new("kill")
            .args(["-s", name, &pid])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -s {name}");
        assert_restored(&wait_file(&stty));
        assert_eq!(
            wait_file(&exit).trim(),
            format!("exit={}", 128 + number),
            "SIG{name}"
        );
        let flags = tmux.tmux(&[
            "display",
            "-p",
            "#{alternate_on} #{cursor_flag} #{mouse_any_flag}",
        ]);
        assert_eq!(
            flags.trim(),
            "0 1 0",
            "SIG{name}: alternate screen, cursor shown, mouse"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_refresh_shows_stale_data_and_recovers() {
    let (sim, _) = common::sim(50.0).await;
    let config = tempfile::tempdir().unwrap();
    let settings = config.path().join("config.yaml");
    std::fs::write(
        &settings,
        // The refresh comes at the set pace, however much a debug build spends on it.
        "refresh:\n  interval: 0.5\n  while_deploying: 0.5\n  cpu_percent: 100\n",
    )
    .unwrap();
    let env = [
        ("COOLIFY_BASE_URL", sim.coolify_url()),
        ("COOLIFY_API_TOKEN", sim.token().to_string()),
    ];
    let command = format!("{} --config {}; sleep 600", binary(), settings.display());
    let tmux = tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start(120, 40, "", &env, &command);
        tmux.wait_for_text("refreshed");
        tmux
    })
    .await
    .unwrap();
    sim.stop_listening().await;
    let tmux = tokio::task::spawn_blocking(move || {
        let stale = tmux.wait_for_text("⚠ stale");
        assert!(
            stale.contains("cannot connect"),
            "the error is shown:\n{stale}"
        );
        assert!(
            stale.contains("air-staging"),
            "the last data stays:\n{stale}"
        );
        tmux
    })
    .await
    .unwrap();
    sim.resume_listening().await.unwrap();
    tokio::task::spawn_blocking(move || {
        tmux.wait_for("recovery", |s| {
            !s.contains("stale") && s.contains("refreshed")
        });
        tmux.wait_for_text("reconnected");
    })
    .await
    .unwrap();
}

#[test]
fn a_broken_settings_file_is_reported_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("config.yaml");
    std::fs::write(&settings, "theme: light\nrefresh:\n  intervall: 3\n").unwrap();
    let out = Command::new(binary())
        .args(["--demo", "status", "--config"])
        .arg(&settings)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:3:3: refresh: unknown field `intervall`",
            settings.display()
        )),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctx_switches_context_live() {
    let (sim, _) = common::sim(50.0).await;
    let config = tempfile::tempdir().unwrap();
    let settings = config.path().join("config.yaml");
    std::fs::write(
        &settings,
        format!(
            "contexts:\n  - {{name: one, url: '{url}'}}\n  - {{name: two, url: '{url}', read_only: true}}\n",
            url = sim.coolify_url()
        ),
    )
    .unwrap();
    let env = [
        ("COOLIFY_BASE_URL", sim.coolify_url()),
        ("COOLIFY_API_TOKEN", sim.token().to_string()),
    ];
    let command = format!(
        "{} --context one --config {}; sleep 600",
        binary(),
        settings.display()
    );
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start(120, 40, "", &env, &command);
        tmux.wait_for("context one loaded", |s| {
            s.contains("ctx one") && s.contains("air-dev")
        });
        tmux.keys(&[":", "c", "t", "x", " ", "t", "Tab", "Enter"]);
        tmux.wait_for("context two", |s| {
            s.contains("ctx two [read-only] │ token: env")
                && s.contains("air-dev")
                && s.contains("switched to context two")
        });
        tmux.keys(&[":", "c", "t", "x", " ", "n", "o", "p", "e", "Enter"]);
        tmux.wait_for_text("no context named 'nope'; known: one, two");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_mid_operation_records_it_as_interrupted_with_its_deployment() {
    let (sim, client) = common::sim(50.0).await;
    sim.control().pause_queue(true);
    let probe = tempfile::tempdir().unwrap();
    let stty = probe.path().join("stty");
    let env = [
        ("COOLIFY_BASE_URL", sim.coolify_url()),
        ("COOLIFY_API_TOKEN", sim.token().to_string()),
    ];
    let command = then_stty(&stty, "");
    let tmux = tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start(140, 44, "", &env, &command);
        tmux.wait_for("air-dev selected", |s| {
            s.contains("air-dev  application in AIR/dev")
        });
        tmux.keys(&["d"]);
        tmux.wait_for_text("y run it");
        tmux.keys(&["y"]);
        tmux
    })
    .await
    .unwrap();
    // The deployment is queued (and held there) before pftui is left.
    let deployment = loop {
        if let Some(d) = client.running_deployments().await.unwrap().first() {
            break d.uuid.clone();
        }
        tokio::task::yield_now().await;
    };
    let journal = tmux.home().join("data/pftui/audit.jsonl");
    let stty_text = tokio::task::spawn_blocking(move || {
        tmux.wait_for_text(&format!("deployment {deployment}"));
        tmux.keys(&["q"]);
        let text = wait_file(&stty);
        (text, tmux, deployment)
    })
    .await
    .unwrap();
    let (text, _tmux, deployment) = stty_text;
    assert_restored(&text);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let last = lines.last().unwrap();
    assert!(
        last["outcome"].as_str().unwrap().starts_with("interrupted"),
        "{lines:#?}"
    );
    assert_eq!(last["deployments"][0], deployment.as_str());
    assert_eq!(last["actor"]["channel"], "tui");
}

#[test]
fn deploying_from_the_console_streams_the_log_to_finished_and_checks_health() {
    let probe = tempfile::tempdir().unwrap();
    let stty = probe.path().join("stty");
    let tmux = Tmux::start(140, 44, "", &[], &then_stty(&stty, "--demo"));
    tmux.wait_for_text("air-staging");
    tmux.keys(&["j", "j"]);
    tmux.wait_for("air-staging selected", |s| {
        s.contains("air-staging  application in AIR/staging")
    });
    tmux.keys(&["d"]);
    let card = tmux.wait_for_text("y run it");
    assert!(card.contains("Deploy air-staging in AIR/staging"), "{card}");
    assert!(
        card.contains("pftui deploy air staging air-staging"),
        "the CLI equivalent:\n{card}"
    );
    tmux.keys(&["y"]);
    tmux.wait_for("the build log", |s| {
        s.contains("Starting deployment of pfcore/pf-air:staging")
    });
    let result = tmux.wait_for("the result card", |s| {
        s.contains("deploy: 1 of 1 finished and healthy")
    });
    assert!(
        result.contains("health https://staging.air.pfcore.io/api/health ok"),
        "{result}"
    );
    tmux.keys(&["Escape"]);
    let log = tmux.wait_for("the verdict in the log", |s| {
        s.contains("finished after") && !s.contains("any key closes")
    });
    assert!(log.contains("Rolling update completed."), "{log}");

    // Production asks for the typed name.
    for _ in 0..2 {
        tmux.keys(&["j"]);
    }
    tmux.wait_for("air-prod selected", |s| {
        s.contains("air-prod  application in AIR/prod")
    });
    tmux.keys(&["d"]);
    tmux.wait_for_text("Type prod to run it");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the card closed", |s| !s.contains("Type prod to run it"));
    tmux.keys(&["q"]);
    assert_restored(&wait_file(&stty));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_pane_proposes_runs_on_y_and_explains_a_failure() {
    let (sim, client) = common::sim(50.0).await;
    // A failed deployment of baiv-prod for the agent to explain.
    sim.control().fail_next_deployment("baiv-prod");
    let tree = pftui::coolify::load_tree(&client).await.unwrap();
    let app = common::uuid_of(&tree, "baiv-prod");
    let queued = client
        .deploy(&pftui::coolify::DeployRequest::uuids([app]))
        .await
        .unwrap();
    common::follow(&client, queued[0].deployment_uuid.as_deref().unwrap()).await;

    let config = tempfile::tempdir().unwrap();
    let settings = config.path().join("config.yaml");
    std::fs::write(
        &settings,
        "refresh: { interval: 1, while_deploying: 0.5 }\nhealth: { tries: 3, interval: 0.2, timeout: 2 }\nagent: { provider: offline }\n",
    )
    .unwrap();
    let env = [
        ("COOLIFY_BASE_URL", sim.coolify_url()),
        ("COOLIFY_API_TOKEN", sim.token().to_string()),
        ("GITHUB_API_URL", sim.github_url()),
        ("GITHUB_TOKEN", sim.github_token().to_string()),
        ("PFTUI_HEALTH_VIA", sim.health_base()),
    ];
    let command = format!("{} --config {}; sleep 600", binary(), settings.display());
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start(140, 44, "", &env, &command);
        tmux.wait_for_text("air-dev");
        tmux.keys(&["a"]);
        tmux.wait_for_text("Ask · enter send");
        tmux.tmux(&["send-keys", "-l", "promote air dev to staging"]);
        tmux.keys(&["Enter"]);
        let card = tmux.wait_for_text("y run · n reject");
        assert!(card.contains("Promote AIR dev → staging"), "{card}");
        assert!(
            card.contains("github_promote"),
            "the tool is named:\n{card}"
        );
        tmux.keys(&["y"]);
        let done = tmux.wait_for("the result in the pane", |s| {
            s.contains("done: air-staging finished")
        });
        assert!(done.contains("healthy"), "{done}");

        tmux.tmux(&["send-keys", "-l", "what failed in baiv prod"]);
        tmux.keys(&["Enter"]);
        let answer = tmux.wait_for("the explanation", |s| s.contains("It failed at the step"));
        assert!(
            answer.contains("coolify_deployment_log_tail"),
            "it read the log:\n{answer}"
        );
    })
    .await
    .unwrap();
}
