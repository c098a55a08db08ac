//! End to end, in tmux: `y` puts the log pane's text on the clipboard (tmux's paste buffer
//! with `set-clipboard on`), tmux is asked whether it passes the wrapped form through, and
//! `W` saves the log under the data dir, naming the whole path.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

#[path = "common/tmux.rs"]
mod tmux;

use std::time::Duration;

use pftui::tui::clipboard::{Passthrough, Route, Terminal};
use tmux::{Tmux, demo, poll};

/// The number in "sent N lines to the terminal's clipboard".
fn lines_sent(screen: &str) -> usize {
    let (_, rest) = screen.split_once("sent ").expect("the copy message");
    rest.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count after 'sent': {screen}"))
}

#[test]
fn y_copies_the_log_into_tmux_paste_buffer_when_set_clipboard_is_on() {
    // Wide enough for the footer's hints and the whole message.
    let tmux = Tmux::start(250, 40, "set -s set-clipboard on\n", &[], &demo());
    tmux.wait_for("the log up to its verdict", |s| {
        s.contains("· deployment ") && s.contains("finished after")
    });
    assert!(
        tmux.run(&["show-buffer"]).stdout.is_empty(),
        "no paste buffer before the copy"
    );

    tmux.keys(&["Tab", "Tab", "y"]);
    let screen = tmux
        .wait_for_text("lines to the terminal's clipboard (OSC 52); tmux needs set-clipboard on");
    let buffer = poll("tmux's paste buffer", || {
        let out = tmux.run(&["show-buffer"]);
        (!out.stdout.is_empty()).then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    })
    .expect("tmux took the OSC 52 sequence into a paste buffer");
    assert!(buffer.contains("Rolling update completed."), "{buffer}");
    assert_eq!(buffer.lines().count(), lines_sent(&screen), "{buffer}");
    for line in buffer.lines() {
        assert!(
            screen.contains(line),
            "{line:?} is not on screen:\n{screen}"
        );
    }
}

#[test]
fn w_saves_the_log_under_the_data_dir_and_names_the_whole_path() {
    let tmux = Tmux::start(250, 40, "", &[], &demo());
    tmux.wait_for("the log up to its verdict", |s| {
        s.contains("· deployment ") && s.contains("finished after")
    });
    tmux.keys(&["Tab", "Tab", "W"]);
    let logs = tmux.home().join("data/pftui/logs");
    let said = format!("saved the log to {}/air-dev-", logs.display());
    let screen = tmux.wait_for_text(&said);
    let (_, rest) = screen.split_once("saved the log to ").unwrap();
    let path = std::path::PathBuf::from(rest.split_whitespace().next().unwrap());
    assert!(path.is_absolute(), "{}", path.display());
    assert_eq!(path.parent(), Some(logs.as_path()));
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("Rolling update completed."), "{saved}");
}

#[tokio::test]
async fn tmux_is_asked_whether_the_pane_passes_the_wrapped_form_through() {
    let tmux = Tmux::start(80, 24, "", &[], "sleep 600");
    let pane = tmux
        .tmux(&["display", "-p", "#{pane_id}"])
        .trim()
        .to_string();
    // What a program in that pane finds in TMUX: the socket, the server's pid, the session.
    let server = tmux
        .tmux(&["display", "-p", "#{socket_path},#{pid},#{session_id}"])
        .trim()
        .to_string();
    let env = {
        let (server, pane) = (server.clone(), pane.clone());
        move |k: &str| match k {
            "TMUX" => Some(server.clone()),
            "TMUX_PANE" => Some(pane.clone()),
            _ => None,
        }
    };
    let terminal: &'static Terminal = Box::leak(Box::new(Terminal::from_env(env)));
    assert_eq!(
        terminal.route(),
        Route::Tmux(Passthrough::Unknown),
        "not asked yet"
    );
    assert!(
        terminal.route().wraps(),
        "until tmux answers, both forms go"
    );
    assert_eq!(
        terminal.probe().await,
        Passthrough::Refused,
        "tmux 3.3+ refuses by default"
    );

    for (setting, answer) in [("on", Passthrough::Allowed), ("off", Passthrough::Refused)] {
        tmux.run(&["set", "-p", "-t", &pane, "allow-passthrough", setting]);
        let route = Route::Tmux(answer);
        // Each copy asks again; one question is out at a time.
        let settled = async {
            while terminal.route() != route {
                terminal.refresh();
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(20), settled)
            .await
            .unwrap_or_else(|_| panic!("the route became {route:?}"));
    }
    let plain_only = terminal.osc52("hello").sequence;
    assert_eq!(plain_only, "\x1b]52;c;aGVsbG8=\x07");
}
