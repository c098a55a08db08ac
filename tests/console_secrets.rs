//! End to end, in tmux: revealing a variable's value asks first, is recorded in the audit
//! journal (the variable's name, never its value) and hides again.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

#[path = "common/tmux.rs"]
mod tmux;

use tmux::{Tmux, demo};

#[test]
fn revealing_a_value_asks_and_is_audited_without_the_value() {
    let tmux = Tmux::start(140, 44, "", &[], &demo());
    tmux.wait_for("air-dev selected", |s| {
        s.contains("air-dev  application in AIR/dev")
    });
    tmux.keys(&["j", "j", "j", "j"]);
    tmux.wait_for("air-prod selected", |s| {
        s.contains("air-prod  application in AIR/prod")
    });
    tmux.keys(&["E"]);
    let card = tmux.wait_for_text("Environment of air-prod");
    assert!(card.contains("••••"), "{card}");
    tmux.keys(&["r"]);
    tmux.wait_for_text("It is recorded in the audit journal");
    tmux.keys(&["y"]);
    let shown = tmux.wait_for_text("r hides it");
    // DATABASE_URL sorts first: its value (a connection string with its password) shows.
    let value = shown
        .lines()
        .find_map(|l| l.split_once("postgresql://").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("the value shows:\n{shown}"))
        .split('│')
        .next()
        .unwrap()
        .trim()
        .to_string();
    let (key, value) = ("DATABASE_URL", value.as_str());
    assert!(value.len() > 20, "{value}");

    let journal = tmux.home().join("data/pftui/demo-audit.jsonl");
    let records = std::fs::read_to_string(&journal).unwrap();
    let reveal = records
        .lines()
        .find(|l| l.contains("\"operation\":\"reveal\""))
        .unwrap_or_else(|| panic!("no reveal in {records}"));
    assert!(
        reveal.contains(&format!("\"variable\":\"{key}\"")),
        "{reveal}"
    );
    assert!(reveal.contains("AIR/prod/air-prod"), "{reveal}");
    assert!(!records.contains(value), "the value reached the journal");

    tmux.keys(&["r"]);
    let hidden = tmux.wait_for("hidden again", |s| !s.contains(value));
    assert!(hidden.contains("Environment of air-prod"), "{hidden}");
    tmux.keys(&["Escape", "q"]);
}
