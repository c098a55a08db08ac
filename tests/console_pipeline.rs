//! End to end: the pipeline view of the real binary (`--demo`) in tmux, before and after a
//! promotion started from it.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

#[path = "common/tmux.rs"]
mod tmux;

use std::time::Duration;

use tmux::Tmux;

/// A promotion in the demo runs at its real pace: a merge, the webhook's deployment, a
/// health check.
const PROMOTION: Duration = Duration::from_secs(120);

/// The lines of a lane's cells, from its title line: (app names, shas and ages, branches
/// and heads, marks), each as one screen line.
fn lane<'a>(screen: &'a str, project: &str) -> [&'a str; 4] {
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            l.trim_start_matches(['┃', '│'])
                .split_whitespace()
                .next()
                .is_some_and(|w| w == project)
        })
        .unwrap_or_else(|| panic!("no {project} row in\n{screen}"));
    [lines[at], lines[at + 1], lines[at + 2], lines[at + 3]]
}

/// The short shas on a line, left to right (one per stage).
fn shas(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() == 7 && w.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(String::from)
        .collect()
}

#[test]
fn promoting_dev_from_the_pipeline_brings_dev_s_commit_to_staging() {
    let binary = env!("CARGO_BIN_EXE_pftui");
    let tmux = Tmux::start(120, 40, "", &[], &format!("{binary} --demo"));
    tmux.wait_for_text("air-staging");
    tmux.keys(&["P"]);
    let before = tmux.wait_for("the board", |s| {
        s.contains("→4 to promote") && s.contains("p promotes dev → staging: 4 commits")
    });
    let [apps, running, heads, marks] = lane(&before, "AIR");
    assert!(apps.contains("▸ air-dev"), "dev is selected:\n{before}");
    let runs = shas(running);
    let (dev, staging) = (runs[0].clone(), runs[1].clone());
    assert_eq!(shas(heads)[..2], runs[..2], "each runs its branch's head");
    assert!(marks.contains("→4 to promote"), "{marks}");

    tmux.keys(&["p"]);
    tmux.wait_for_text("Promote AIR dev → staging (air-staging)");
    tmux.keys(&["y"]);
    let after = tmux.wait_for_within(
        "the promotion and the board read after it",
        PROMOTION,
        |s| s.contains("Result") && s.contains("staging has everything dev runs"),
    );
    let [_, running, heads, marks] = lane(&after, "AIR");
    let runs = shas(running);
    assert_eq!(runs[0], dev, "dev did not move:\n{after}");
    assert_ne!(runs[1], staging, "staging moved:\n{after}");
    assert_eq!(
        shas(heads)[1],
        runs[1],
        "staging runs the head of its branch, the merge of dev's commit:\n{after}"
    );
    assert!(
        marks
            .trim_start_matches(['┃', '│', ' '])
            .starts_with("✓ up to date"),
        "dev has nothing left to promote: {marks}"
    );
    // The other projects did not move.
    assert!(lane(&after, "BAIV")[3].contains("→4 to promote"), "{after}");
}
