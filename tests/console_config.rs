//! End to end, in tmux: the config view (`C`) on AIR/dev in the demo shows what the
//! platform configuration would change, `a` applies it through the confirmation card, and
//! the view reads it again: air-dev in sync, only the application the server lacks left.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

#[path = "common/tmux.rs"]
mod tmux;

use tmux::{Tmux, demo};

#[test]
fn the_config_view_shows_the_changes_applies_them_and_reads_again_in_sync() {
    let tmux = Tmux::start(120, 40, "", &[], &demo());
    tmux.wait_for("air-dev selected", |s| {
        s.contains("air-dev  application in AIR/dev")
    });
    tmux.keys(&["C"]);
    let view = tmux.wait_for("the diff of AIR/dev", |s| {
        s.contains("Config · AIR/dev") && s.contains("changes to apply")
    });
    for wanted in [
        "air-dev (air) ·",
        "~ limits_memory",
        "256M -> 768M",
        "instances/air.instance.yaml:13",
        "+ APP_ENV",
        "•••••• (secret supabase_service_key)",
        "not in the configuration: kept",
        "air-ep-dev (air-ep) · not on the server",
    ] {
        assert!(view.contains(wanted), "{wanted} in\n{view}");
    }

    tmux.keys(&["a"]);
    let card = tmux.wait_for("the apply's confirmation card", |s| {
        s.contains("Apply the platform configuration to AIR/dev") && s.contains("y run it")
    });
    assert!(card.contains("limits_memory"), "{card}");
    tmux.keys(&["y"]);
    tmux.wait_for("the apply's result", |s| {
        !s.contains("y run it") && s.contains("config apply")
    });
    tmux.keys(&["Escape"]);
    let view = tmux.wait_for("the diff read again", |s| {
        s.contains("air-dev (air) · in sync") && !s.contains("reading…")
    });
    assert!(!view.contains("changes to apply"), "{view}");
    // An application the server lacks is provisioning's to create, not drift.
    assert!(view.contains("✓ in sync"), "{view}");
    assert!(
        view.contains("air-ep-dev (air-ep) · not on the server"),
        "{view}"
    );
}
