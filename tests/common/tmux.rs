//! A tmux server of its own (`tmux -L`, a private socket) for end-to-end tests: a command
//! (usually the `pftui` binary) in one window, driven by keys and checked on screen, with a
//! private HOME and XDG directories.
//!
//! Include it with `#[path = "common/tmux.rs"] mod tmux;`.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long a wait may take before the test fails with what it saw.
const PATIENCE: Duration = Duration::from_secs(20);

pub struct Tmux {
    socket: String,
    home: tempfile::TempDir,
}

impl Tmux {
    /// Start `command` (run by sh) in a `width` x `height` window of a new server read from
    /// `config` (tmux commands, one a line; empty for tmux's defaults), with `env` on top of a
    /// private HOME and XDG directories.
    pub fn start(
        width: u16,
        height: u16,
        config: &str,
        env: &[(&str, String)],
        command: &str,
    ) -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let socket = format!("pftui-test-{}-{n}", std::process::id());
        let home = tempfile::tempdir().expect("a temporary HOME");
        let conf = home.path().join("tmux.conf");
        std::fs::write(&conf, config).expect("tmux.conf written");
        let root = home.path().to_string_lossy().into_owned();
        let mut vars: Vec<(String, String)> = vec![
            ("HOME".into(), root.clone()),
            ("XDG_CONFIG_HOME".into(), format!("{root}/config")),
            ("XDG_STATE_HOME".into(), format!("{root}/state")),
            ("XDG_DATA_HOME".into(), format!("{root}/data")),
            ("TERM".into(), "tmux-256color".into()),
        ];
        vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &socket, "-f"])
            .arg(&conf)
            .args(["new-session", "-d", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string());
        for (k, v) in &vars {
            cmd.arg("-e").arg(format!("{k}={v}"));
        }
        let status = cmd.arg(command).status().expect("tmux runs");
        assert!(status.success(), "tmux started");
        Self { socket, home }
    }

    /// The HOME the command runs with (its XDG directories are `config`, `data` and
    /// `state` in it).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Run a tmux command on this server.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// A tmux command's standard output.
    pub fn tmux(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&self.run(args).stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.tmux(&["send-keys", key]);
        }
    }

    /// Wait (checking the screen itself) until `check` holds; panic with the screen after
    /// [`PATIENCE`].
    pub fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        self.wait_for_within(what, PATIENCE, check)
    }

    /// [`Tmux::wait_for`] with more patience, for what takes the program long (an
    /// operation the demo runs at its real pace).
    pub fn wait_for_within(
        &self,
        what: &str,
        patience: Duration,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let mut screen = String::new();
        poll_within(what, patience, || {
            screen = self.screen();
            check(&screen).then(|| screen.clone())
        })
        .unwrap_or_else(|| panic!("timed out waiting for {what}; screen:\n{screen}"))
    }

    pub fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// Ask `check` again (every 50 ms) until it gives an answer, for at most [`PATIENCE`].
pub fn poll<T>(what: &str, check: impl FnMut() -> Option<T>) -> Option<T> {
    poll_within(what, PATIENCE, check)
}

/// [`poll`] for at most `patience`.
pub fn poll_within<T>(
    what: &str,
    patience: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(answer) = check() {
            return Some(answer);
        }
        if start.elapsed() > patience {
            eprintln!("gave up waiting for {what}");
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The console against its embedded demo, the shell kept open after it ends.
pub fn demo() -> String {
    format!("{} --demo; sleep 600", env!("CARGO_BIN_EXE_pftui"))
}

/// The log pane's title: `<app> · deployment <uuid>`.
pub fn log_title(screen: &str) -> Option<(String, String)> {
    let (before, after) = screen.split_once(" · deployment ")?;
    let app = before.rsplit(|c: char| c.is_whitespace()).next()?;
    let uuid = after.split_whitespace().next()?;
    Some((app.to_string(), uuid.to_string()))
}

/// A table view's rows below the line of column titles holding every word of `titles`,
/// each row as its words.
pub fn table(screen: &str, titles: &[&str]) -> Vec<Vec<String>> {
    screen
        .lines()
        .skip_while(|l| !titles.iter().all(|t| l.contains(t)))
        .skip(1)
        .map(|l| {
            l.trim_matches(|c: char| c == '┃' || c == '│' || c.is_whitespace())
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .take_while(|words| !words.is_empty())
        .collect()
}
