//! End to end, in tmux: two deployments run at once from the console, one is cancelled
//! while the other goes on, and `:ops` lists both with their outcome.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;
#[path = "common/tmux.rs"]
mod tmux;

use tmux::Tmux;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_deploys_at_once_and_a_cancel_of_one() {
    // Slow enough that both deployments are still running when one is cancelled.
    let (sim, _) = common::sim(0.3).await;
    let config = tempfile::tempdir().unwrap();
    let settings = config.path().join("config.yaml");
    std::fs::write(
        &settings,
        "refresh: { interval: 1, while_deploying: 0.5 }\nhealth: { tries: 3, interval: 0.2, timeout: 2 }\n",
    )
    .unwrap();
    let env = [
        ("COOLIFY_BASE_URL", sim.coolify_url()),
        ("COOLIFY_API_TOKEN", sim.token().to_string()),
        ("GITHUB_API_URL", sim.github_url()),
        ("GITHUB_TOKEN", sim.github_token().to_string()),
        ("PFTUI_HEALTH_VIA", sim.health_base()),
    ];
    let command = format!(
        "{} --config {}; sleep 600",
        env!("CARGO_BIN_EXE_pftui"),
        settings.display()
    );
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start(140, 44, "", &env, &command);
        tmux.wait_for("air-dev selected", |s| {
            s.contains("air-dev  application in AIR/dev")
        });
        tmux.keys(&["d"]);
        tmux.wait_for_text("Deploy air-dev");
        tmux.keys(&["y"]);
        tmux.wait_for("air-dev deploying", |s| s.contains("Deploy air-dev"));

        tmux.keys(&["j", "j"]);
        tmux.wait_for("air-staging selected", |s| {
            s.contains("air-staging  application in AIR/staging")
        });
        tmux.keys(&["d"]);
        tmux.wait_for_text("Deploy air-staging");
        tmux.keys(&["y"]);
        tmux.wait_for_text("2 operations (O)");

        // The first application again: its deployment is cancelled from the tree, while
        // the second goes on.
        tmux.keys(&["k", "k"]);
        tmux.wait_for("air-dev selected", |s| {
            s.contains("air-dev  application in AIR/dev")
        });
        tmux.keys(&["c"]);
        tmux.wait_for_text("Cancel");
        tmux.keys(&["y"]);
        // The deploy of air-dev ends (cancelled); air-staging's goes on.
        tmux.wait_for("one operation left", |s| {
            let header = s.lines().next().unwrap_or_default();
            header.contains("Deploy air-staging") && !header.contains("2 operations")
        });
        // Close the result cards (a key on none does nothing).
        tmux.keys(&["Escape", "Escape"]);
        tmux.wait_for("the cards closed", |s| !s.contains("any key closes"));
        tmux.keys(&[":", "o", "p", "s", "Enter"]);
        let ops = tmux.wait_for_text("Operations");
        let line = |title: &str| {
            // Below the header, which names the running operation too.
            ops.lines()
                .skip(1)
                .find(|l| l.contains(title))
                .unwrap_or_else(|| panic!("{title} in\n{ops}"))
                .to_string()
        };
        assert!(line("Deploy air-staging").contains("running"), "{ops}");
        assert!(line("Deploy air-dev").contains("failed"), "{ops}");
        assert!(line("Cancel").contains("succeeded"), "{ops}");
        tmux.keys(&["Escape"]);
        // The other one goes on, in the header, and its application is still deploying.
        let after = tmux.wait_for("the list closed", |s| !s.contains("j/k choose"));
        let header = after.lines().next().unwrap();
        assert!(header.contains("Deploy air-staging"), "{after}");
        // The log pane followed the selection, with one verdict for the cancelled run.
        assert_eq!(
            after.matches("cancelled-by-user after").count(),
            1,
            "{after}"
        );
        tmux.keys(&["q"]);
    })
    .await
    .unwrap();
}
