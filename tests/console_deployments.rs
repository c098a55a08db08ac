//! End to end, in tmux: a deploy started from the tree shows at the top of the deployments
//! view (`J`) while it runs, Enter opens its log in the tree, and Enter on an older row
//! opens that deployment's application and log.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

#[path = "common/tmux.rs"]
mod tmux;

use tmux::{Tmux, demo, log_title, table};

#[test]
fn a_deploy_shows_running_at_the_top_of_the_deployments_view_and_enter_opens_its_log() {
    let tmux = Tmux::start(120, 40, "", &[], &demo());
    tmux.wait_for("air-dev's log", |s| {
        s.contains("air-dev  application in AIR/dev") && s.contains("· deployment ")
    });
    tmux.keys(&["d"]);
    tmux.wait_for_text("y run it");
    tmux.keys(&["y"]);
    let building = tmux.wait_for("the build log", |s| {
        s.contains("Starting deployment of pfcore/pf-air:develop")
    });
    let (app, deployment) = log_title(&building).unwrap();
    assert_eq!(app, "air-dev");

    tmux.keys(&["J"]);
    let view = tmux.wait_for("the deployments view, read", |s| {
        s.contains("Deployments ·") && table(s, &["STATUS", "APPLICATION"]).len() > 3
    });
    let rows = table(&view, &["STATUS", "APPLICATION"]);
    // glyph, status word, application, environment, ...
    assert_eq!(rows[0][1..4], ["running", "air-dev", "AIR/dev"], "{view}");
    assert!(
        rows[1..].iter().all(|r| r[1] != "running"),
        "one deployment runs:\n{view}"
    );

    tmux.keys(&["Enter"]);
    let tree = tmux.wait_for("the tree with the log", |s| {
        !s.contains("Deployments ·") && log_title(s).is_some()
    });
    assert_eq!(
        log_title(&tree),
        Some(("air-dev".to_string(), deployment.clone()))
    );
    assert!(tree.contains("air-dev  application in AIR/dev"), "{tree}");

    // An older row of another application: its application is selected, its log shown.
    tmux.keys(&["J"]);
    let view = tmux.wait_for("the view again", |s| {
        table(s, &["STATUS", "APPLICATION"]).len() > 3
    });
    let rows = table(&view, &["STATUS", "APPLICATION"]);
    let (at, other) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r[1] == "finished" && r[2] != "air-dev")
        .map(|(i, r)| (i, r[2].clone()))
        .unwrap();
    for _ in 0..at {
        tmux.keys(&["j"]);
    }
    tmux.keys(&["Enter"]);
    let tree = tmux.wait_for("the other application's log", |s| {
        log_title(s).is_some_and(|(a, _)| a == other)
    });
    assert!(tree.contains(&format!("{other}  application in")), "{tree}");
    let (_, opened) = log_title(&tree).unwrap();
    assert_ne!(opened, deployment);
}
