//! End to end, in tmux: a deploy started from the tree is in the audit view (`A`) with its
//! outcome, its actor and its deployment; and a message too long for the footer at 80x24
//! is cut there with `…` (the footer keeping `? help  q quit`) and read whole in
//! `:messages`.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

#[path = "common/tmux.rs"]
mod tmux;

use std::time::Duration;

use tmux::{Tmux, demo, log_title, table};

/// The text inside a bordered box's lines, its rows joined by spaces (undoing wrapping).
fn inside(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches(|c: char| "│┃╭╮╰╯".contains(c) || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_deploy_shows_in_the_audit_view_with_its_outcome() {
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
    let (_, deployment) = log_title(&building).unwrap();
    tmux.wait_for_within("the result card", Duration::from_secs(120), |s| {
        s.contains("any key closes")
    });
    tmux.keys(&["Escape"]);

    tmux.keys(&["A"]);
    let view = tmux.wait_for("the audit view, read", |s| {
        s.contains("Audit · ") && !table(s, &["OPERATION", "OUTCOME"]).is_empty()
    });
    let rows = table(&view, &["OPERATION", "OUTCOME"]);
    // time (two words), actor, channel, operation, target, glyph, outcome, took
    let newest = &rows[0];
    assert_eq!(
        newest[4..8],
        ["deploy", "AIR/dev/air-dev", "✓", "succeeded"],
        "{view}"
    );
    assert_eq!(newest[3], "(tui)", "{view}");
    let entry = inside(&view);
    assert!(entry.contains("operation deploy"), "{view}");
    assert!(entry.contains("outcome ✓ succeeded"), "{view}");
    assert!(
        entry.contains(&format!("deployments {deployment}")),
        "{view}"
    );
    assert!(entry.contains("via tui"), "{view}");

    // Enter opens that deployment's log in the tree.
    tmux.keys(&["Enter"]);
    let tree = tmux.wait_for("the tree with the log", |s| {
        !s.contains("Audit · ") && log_title(s).is_some()
    });
    assert_eq!(
        log_title(&tree),
        Some(("air-dev".to_string(), deployment.clone()))
    );
}

#[test]
fn a_long_message_is_cut_in_the_footer_and_read_whole_in_messages() {
    let tmux = Tmux::start(80, 24, "", &[], &demo());
    tmux.wait_for_text("air-dev  application in AIR/dev");
    let name = "some-context-name-that-does-not-exist-and-is-long";
    tmux.keys(&[":"]);
    tmux.tmux(&["send-keys", "-l", &format!("ctx {name}")]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the message", |s| s.contains("no context named"));
    let footer = screen.lines().last().unwrap().trim_end();
    assert!(footer.contains('…'), "cut: {footer}");
    assert!(footer.ends_with("? help  q quit"), "{footer}");
    assert!(!footer.contains(name), "{footer}");

    tmux.keys(&[":"]);
    tmux.tmux(&["send-keys", "-l", "messages"]);
    tmux.keys(&["Enter"]);
    let page = tmux.wait_for("the messages page", |s| s.contains("╭ Messages"));
    let whole = format!("no context named '{name}'; known: none in the settings file");
    assert!(messages(&page).contains(&whole), "{whole} in\n{page}");
}

/// The messages page's text, its wrapped rows joined again: after a hyphen directly, after
/// a space with one.
fn messages(screen: &str) -> String {
    let mut text = String::new();
    let rows = screen
        .lines()
        .skip_while(|l| !l.contains("╭ Messages"))
        .skip(1)
        .take_while(|l| !l.contains('╰'));
    for row in rows {
        let row = row.trim_matches(|c: char| c == '│' || c.is_whitespace());
        // Each message's first row starts with its time.
        let row = match row.split_once(' ') {
            Some((time, rest)) if time.len() == 8 && time.as_bytes()[2] == b':' => rest,
            _ => row,
        };
        if !text.is_empty() && !text.ends_with('-') {
            text.push(' ');
        }
        text.push_str(row.trim());
    }
    text
}
