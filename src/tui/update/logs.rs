//! The log pane in the console: what it follows (the selected application's running or
//! last deployment, the running operation, the container's log), its keys, and the news
//! that fills it. Part of `update`.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};
use jiff::Timestamp;

use crate::model::words::plural;
use crate::model::{Deployment, DeploymentStatus, short_sha, time};
use crate::ops::Progress;
use crate::settings::KeyAction;
use crate::tui::clipboard;
use crate::tui::logview::{Line, NoteLevel};
use crate::tui::msg::Effect;
use crate::tui::operations::OpId;
use crate::tui::panes::Handled;
use crate::tui::panes::log::LogSource;
use crate::tui::state::{Lower, Pane, State};

/// Show a deployment's log in the pane and follow it.
pub fn open_deployment(state: &mut State, app: &str, name: &str, deployment: &str) -> Vec<Effect> {
    let source = LogSource {
        app: app.to_string(),
        name: name.to_string(),
        deployment: Some(deployment.to_string()),
        pinned: false,
    };
    let same = state
        .log
        .source
        .as_ref()
        .is_some_and(|s| s.app == source.app && s.deployment == source.deployment);
    if same {
        return Vec::new();
    }
    let capacity = state.settings.logs.buffer_lines;
    state
        .log
        .view
        .reset(format!("{name} · deployment {deployment}"), capacity);
    state.log.source = Some(source);
    vec![Effect::FollowLog {
        name: name.to_string(),
        deployment: deployment.to_string(),
    }]
}

/// The selection rests on an application: show its running deployment, or its last one.
pub fn show_selected(state: &mut State) -> Vec<Effect> {
    show(state)
}

/// The selection moved: an operation's log gives way to the selected application's.
pub fn selection_moved(state: &mut State) -> Vec<Effect> {
    if let Some(source) = &mut state.log.source {
        source.pinned = false;
    }
    show(state)
}

fn show(state: &mut State) -> Vec<Effect> {
    if state.log.source.as_ref().is_some_and(|s| s.pinned) {
        // An operation's log stays until the selection moves.
        return Vec::new();
    }
    let Some(selected) = state.selected_resource() else {
        return no_log(
            state,
            "Log",
            "select an application to see its deployments' log",
        );
    };
    if selected.kind != crate::model::ResourceKind::Application {
        let (name, kind) = (selected.name.clone(), selected.kind);
        let text = format!(
            "{name} is a {}: Coolify keeps deployment logs for applications only",
            kind.as_str()
        );
        return no_log(state, &format!("Log · {name}"), &text);
    }
    let (uuid, name) = (selected.uuid.clone(), selected.name.clone());
    let deployment = state
        .data
        .deploying
        .get(&uuid)
        .map(|d| d.uuid.clone())
        .or_else(|| {
            state
                .recent
                .get(&uuid)
                .and_then(|r| r.deployments.first())
                .map(|d| d.uuid.clone())
        });
    match deployment {
        Some(d) => open_deployment(state, &uuid, &name, &d),
        // Its deployments are still being read: the pane waits for them.
        None if state.recent.get(&uuid).is_none_or(|r| r.loading) => Vec::new(),
        None => no_log(
            state,
            &format!("Log · {name}"),
            &format!("{name} has not been deployed yet: d deploys it"),
        ),
    }
}

/// The selection has no log to show: the pane says so instead of keeping another's.
fn no_log(state: &mut State, title: &str, text: &str) -> Vec<Effect> {
    if state.log.source.is_none() && state.log.view.title() == title {
        return Vec::new();
    }
    let capacity = state.settings.logs.buffer_lines;
    state.log.view.reset(title.to_string(), capacity);
    state
        .log
        .view
        .push_note(NoteLevel::Info, text.to_string(), None);
    state.log.source = None;
    vec![Effect::StopLog]
}

/// Keys while the log pane has the keyboard: the pane's own first, then copying, saving,
/// and Esc out of it; `None` when the key is not the log's.
pub fn on_key(state: &mut State, key: KeyEvent, action: Option<KeyAction>) -> Option<Vec<Effect>> {
    if let Handled::Consumed(effects) = state.log.on_key(key, action) {
        return Some(effects);
    }
    if key.code == KeyCode::Esc {
        if state.log.fullscreen {
            set_fullscreen(state, false);
        } else {
            state.focus = Pane::Left;
        }
        return Some(Vec::new());
    }
    match action? {
        KeyAction::Copy => Some(copy(state)),
        KeyAction::Save => Some(save(state)),
        _ => None,
    }
}

fn copy(state: &mut State) -> Vec<Effect> {
    let vp = state.log.view.viewport();
    let text = state
        .log
        .view
        .selection_text()
        .unwrap_or_else(|| state.log.view.visible_text(vp.height, vp.width));
    if text.trim().is_empty() {
        state.tell("nothing to copy", true);
        return Vec::new();
    }
    // One OSC 52 sequence carries so much; the message says when only the beginning went.
    let sent = clipboard::fit(&text);
    let lines = plural(sent.lines().count(), "line");
    let what = if sent.len() < text.len() {
        format!("the first {lines} of {}", text.lines().count())
    } else {
        lines
    };
    state.log.view.clear_selection();
    // OSC 52 is never answered: say what was sent, and what tmux needs to take it.
    state.tell(
        format!("sent {what} to the terminal's clipboard (OSC 52); tmux needs set-clipboard on"),
        false,
    );
    vec![Effect::Copy(sent.to_string())]
}

fn save(state: &mut State) -> Vec<Effect> {
    let mut bytes = Vec::new();
    if state.log.view.write_to(&mut bytes).is_err() || bytes.is_empty() {
        state.tell("nothing to save", true);
        return Vec::new();
    }
    vec![Effect::Save {
        path: saved_name(state.log.source.as_ref(), state.now),
        bytes,
    }]
}

/// The file name a saved log gets: what the pane shows (the application and its deployment,
/// or `container`) and the time (UTC), made safe as one file name (a name from the server
/// cannot climb out of the folder). [`write_saved`] puts it under the data dir's `logs`.
fn saved_name(source: Option<&LogSource>, now: Timestamp) -> PathBuf {
    let what = match source {
        Some(LogSource {
            name,
            deployment: Some(d),
            ..
        }) => format!("{name}-{d}"),
        Some(LogSource {
            name,
            deployment: None,
            ..
        }) => format!("{name}-container"),
        None => "pftui".into(),
    };
    let safe: String = what
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    PathBuf::from(format!("{safe}-{}.log", now.strftime("%Y%m%dT%H%M%SZ")))
}

/// Write a saved log ([`Effect::Save`]): a relative `path` goes under `logs` in pftui's data
/// dir `data` (created as needed); the file is private to its owner, as a log may hold what
/// is near secrets. The answer, for the message line, names the whole absolute path.
pub fn write_saved(data: &Path, path: &Path, bytes: &[u8]) -> Result<String, String> {
    let path = data.join("logs").join(path);
    let path = std::path::absolute(&path).unwrap_or(path);
    crate::secrets::private::replace(&path, bytes)
        .map(|()| format!("saved the log to {}", path.display()))
        .map_err(|e| format!("cannot save the log to {}: {e}", path.display()))
}

pub fn set_fullscreen(state: &mut State, on: bool) {
    state.log.fullscreen = on;
    if on {
        state.lower = Lower::Log;
        state.focus = Pane::Lower;
    }
    state.fit();
}

/// Keys that switch what the pane shows, from anywhere in the tree view.
pub fn on_pane_action(state: &mut State, action: KeyAction) -> Vec<Effect> {
    match action {
        KeyAction::Fullscreen => {
            let on = !state.log.fullscreen;
            set_fullscreen(state, on);
            Vec::new()
        }
        KeyAction::History => {
            state.lower = match state.lower {
                Lower::Log => Lower::History,
                Lower::History => Lower::Log,
            };
            state.focus = Pane::Lower;
            state.fit();
            Vec::new()
        }
        KeyAction::RuntimeLogs => {
            let Some(app) = state
                .selected_resource()
                .filter(|r| r.kind == crate::model::ResourceKind::Application)
            else {
                state.tell("select an application to see its container log", true);
                return Vec::new();
            };
            let (uuid, name) = (app.uuid.clone(), app.name.clone());
            let capacity = state.settings.logs.buffer_lines;
            state
                .log
                .view
                .reset(format!("{name} · container log"), capacity);
            state.log.source = Some(LogSource {
                app: uuid.clone(),
                name,
                deployment: None,
                pinned: false,
            });
            state.log.runtime_seen = None;
            state.lower = Lower::Log;
            state.focus = Pane::Lower;
            vec![Effect::RuntimeLog { app: uuid }]
        }
        _ => Vec::new(),
    }
}

/// Open the deployment selected in the history list.
pub fn open_from_history(state: &mut State) -> Vec<Effect> {
    let Some(app) = state.selected_resource().cloned() else {
        return Vec::new();
    };
    let Some(d) = state
        .recent
        .get(&app.uuid)
        .and_then(|r| r.deployments.get(state.history.selected))
        .cloned()
    else {
        return Vec::new();
    };
    state.lower = Lower::Log;
    let effects = open_deployment(state, &app.uuid, &app.name, &d.uuid);
    state.fit();
    effects
}

/// News for the followed deployment (from its follower or from the running operation).
pub fn on_progress(state: &mut State, deployment: Option<&str>, progress: &Progress) {
    let Some(source) = &state.log.source else {
        return;
    };
    let ours = match (deployment, &source.deployment) {
        (Some(d), Some(s)) => d == s,
        // Operation news, in a pane an operation took: match by target name.
        (None, _) if source.pinned => match progress {
            Progress::Lines { target, .. }
            | Progress::Status { target, .. }
            | Progress::Health { target, .. }
            | Progress::Started { target, .. } => *target == source.name,
            Progress::Note { target, .. } => target.as_deref().is_none_or(|t| t == source.name),
        },
        _ => false,
    };
    if !ours {
        return;
    }
    match progress {
        Progress::Lines { lines, .. } => {
            state.log.view.extend(lines.iter().cloned().map(Line::from))
        }
        Progress::Note { text, .. } => {
            state
                .log
                .view
                .push_note(NoteLevel::Info, text.clone(), Some(state.now))
        }
        Progress::Health { health, .. } => state.log.view.push_note(
            if health.ok {
                NoteLevel::Ok
            } else {
                NoteLevel::Error
            },
            format!(
                "health {} {} ({}, {})",
                health.url,
                if health.ok { "ok" } else { "failing" },
                health.detail,
                plural(health.attempts as usize, "try")
            ),
            Some(state.now),
        ),
        Progress::Status { .. } | Progress::Started { .. } => {}
    }
}

/// The running operation started a deployment: the pane follows it from the operation's
/// own news.
/// An operation started a deployment: the log pane shows it when it is the selected
/// application's, or when the selection is not an application and it is the operation's
/// first (a deploy of a whole environment). Otherwise the pane stays: `:ops` opens it.
pub fn on_op_started(state: &mut State, id: &OpId, target: &str, deployment: &str) -> Vec<Effect> {
    let selected = state
        .selected_resource()
        .filter(|r| r.kind == crate::model::ResourceKind::Application)
        .map(|r| r.name.clone());
    let first = state
        .operations
        .running()
        .find(|op| op.id == *id)
        .is_some_and(|op| op.deployments.len() == 1);
    let take = match selected {
        Some(name) => name == target,
        None => first,
    };
    if !take {
        return Vec::new();
    }
    pin_deployment(state, target, deployment);
    vec![Effect::StopLog]
}

/// Show an operation's deployment in the pane, kept until the selection moves.
pub fn pin_deployment(state: &mut State, target: &str, deployment: &str) {
    let app = state
        .data
        .tree
        .applications()
        .find(|(_, _, a)| a.name == target)
        .map(|(_, _, a)| a.uuid.clone())
        .unwrap_or_default();
    let capacity = state.settings.logs.buffer_lines;
    state
        .log
        .view
        .reset(format!("{target} · deployment {deployment}"), capacity);
    state.log.source = Some(LogSource {
        app,
        name: target.to_string(),
        deployment: Some(deployment.to_string()),
        pinned: true,
    });
    state.lower = Lower::Log;
}

/// The verdict line at the end of a deployment's log.
pub fn verdict(d: &Deployment, now: Timestamp) -> (NoteLevel, String) {
    let took = d
        .duration(now)
        .map(time::compact)
        .unwrap_or_else(|| "?".into());
    let commit = d.commit.as_deref().map(short_sha).unwrap_or("?");
    let level = match d.status {
        DeploymentStatus::Finished => NoteLevel::Ok,
        DeploymentStatus::Failed => NoteLevel::Error,
        _ => NoteLevel::Warning,
    };
    (level, format!("{} after {took} at {commit}", d.status))
}

pub fn on_ended(state: &mut State, deployment: &str, result: Result<Deployment, String>) {
    let ours = state
        .log
        .source
        .as_ref()
        .is_some_and(|s| s.deployment.as_deref() == Some(deployment));
    if !ours {
        return;
    }
    match result {
        Ok(d) => {
            let (level, text) = verdict(&d, state.now);
            let at = d.finished_at.or(d.updated_at).unwrap_or(state.now);
            state.log.view.push_note(level, text, Some(at));
        }
        Err(e) => state
            .log
            .view
            .push_note(NoteLevel::Error, e, Some(state.now)),
    }
}

/// New container-log text: print the lines newer than the last one shown.
pub fn on_runtime(state: &mut State, app: &str, result: Result<String, String>) {
    let ours = state
        .log
        .source
        .as_ref()
        .is_some_and(|s| s.app == app && s.deployment.is_none());
    if !ours {
        return;
    }
    match result {
        Ok(text) => {
            for line in text.lines() {
                let (stamp, rest) = line.split_once(' ').unwrap_or(("", line));
                if state
                    .log
                    .runtime_seen
                    .as_deref()
                    .is_some_and(|seen| stamp <= seen)
                {
                    continue;
                }
                state.log.view.push(Line {
                    kind: crate::tui::logview::Kind::Stdout,
                    text: rest.to_string(),
                    timestamp: stamp.parse().ok(),
                    hidden: false,
                });
                if !stamp.is_empty() {
                    state.log.runtime_seen = Some(stamp.to_string());
                }
            }
        }
        Err(e) => state
            .log
            .view
            .push_note(NoteLevel::Error, e, Some(state.now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LineKind, LogLine};
    use crate::tui::fixture;
    use crate::tui::msg::Msg;
    use crate::tui::update::update;
    use crossterm::event::KeyModifiers;

    fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn typed(state: &mut State, text: &str) {
        for c in text.chars() {
            press(state, KeyCode::Char(c));
        }
    }

    fn lines(state: &mut State, n: usize, text: &str) {
        let lines = (0..n)
            .map(|i| LogLine {
                kind: LineKind::Stdout,
                text: format!("{text} {i}"),
                timestamp: None,
                hidden: false,
            })
            .collect();
        update(
            state,
            Msg::LogProgress {
                deployment: "a1b2c3d".into(),
                progress: Progress::Lines {
                    target: "air-dev".into(),
                    lines,
                },
            },
        );
    }

    fn focus_log(state: &mut State) {
        press(state, KeyCode::Tab);
        press(state, KeyCode::Tab);
        assert!(state.log_focused());
    }

    #[test]
    fn scrolling_up_pauses_follow_and_end_resumes_it() {
        let mut state = fixture::state((120, 40));
        lines(&mut state, 200, "build step");
        focus_log(&mut state);
        assert!(state.log.view.is_following());
        typed(&mut state, "k");
        assert!(!state.log.view.is_following(), "scrolling up pauses");
        lines(&mut state, 5, "more");
        assert_eq!(
            state.log.view.new_lines(),
            5,
            "a paused view counts what arrives"
        );
        typed(&mut state, "F");
        assert!(state.log.view.is_following());
        typed(&mut state, "g");
        assert!(!state.log.view.is_following());
        press(&mut state, KeyCode::End);
        assert!(state.log.view.is_following());
    }

    #[test]
    fn search_highlights_and_n_moves_between_matches() {
        let mut state = fixture::state((120, 40));
        lines(&mut state, 300, "line");
        focus_log(&mut state);
        typed(&mut state, "/line 1");
        assert!(state.log.searching);
        press(&mut state, KeyCode::Enter);
        assert!(!state.log.searching);
        let count = state.log.view.match_count();
        assert!(count > 100, "line 1, line 10.., line 100..: {count}");
        let first = state.log.view.match_position();
        typed(&mut state, "n");
        assert_ne!(state.log.view.match_position(), first);
        typed(&mut state, "N");
        assert_eq!(state.log.view.match_position(), first);
        press(&mut state, KeyCode::Esc);
        assert_eq!(state.log.view.search_query(), None);
    }

    #[test]
    fn toggles_copy_save_and_fullscreen() {
        let mut state = fixture::state((120, 40));
        focus_log(&mut state);
        let shown = state.log.view.shown_len();
        typed(&mut state, ".");
        assert_eq!(
            state.log.view.shown_len(),
            shown + 1,
            "the hidden command shows"
        );
        typed(&mut state, "w");
        assert!(state.log.view.wrap());
        let effects = press(&mut state, KeyCode::Char('y'));
        assert!(
            matches!(&effects[..], [Effect::Copy(text)] if text.contains("npm ci")),
            "{effects:?}"
        );
        let effects = press(&mut state, KeyCode::Char('W'));
        assert!(
            matches!(&effects[..], [Effect::Save { path, bytes }] if path.to_string_lossy().starts_with("air-dev-a1b2c3d-") && !bytes.is_empty()),
            "{effects:?}"
        );
        typed(&mut state, "f");
        assert!(state.log.fullscreen);
        assert_eq!(
            state.log.view.viewport().width,
            118,
            "the view was told its new size"
        );
        press(&mut state, KeyCode::Esc);
        assert!(!state.log.fullscreen);
    }

    #[test]
    fn copy_says_what_it_sent_not_that_it_arrived() {
        let mut state = fixture::state((120, 40));
        focus_log(&mut state);
        let effects = press(&mut state, KeyCode::Char('y'));
        let [Effect::Copy(text)] = &effects[..] else {
            panic!("{effects:?}");
        };
        assert_eq!(
            fixture::flashed(&state),
            format!(
                "sent {} lines to the terminal's clipboard (OSC 52); tmux needs set-clipboard on",
                text.lines().count()
            )
        );
    }

    #[test]
    fn copying_more_than_one_sequence_carries_says_how_much_went() {
        let mut state = fixture::state((120, 40));
        lines(&mut state, 1_000, &"x".repeat(120));
        focus_log(&mut state);
        // Mark from the last line up to the first: the whole log.
        typed(&mut state, "vg");
        let effects = press(&mut state, KeyCode::Char('y'));
        let [Effect::Copy(text)] = &effects[..] else {
            panic!("{effects:?}");
        };
        assert!(text.len() <= clipboard::MAX_TEXT_BYTES, "{}", text.len());
        let total = state.log.view.shown_len();
        let sent = text.lines().count();
        assert!(sent < total, "{sent} of {total}");
        assert_eq!(
            fixture::flashed(&state),
            format!(
                "sent the first {sent} lines of {total} to the terminal's clipboard (OSC 52); tmux needs set-clipboard on"
            )
        );
    }

    #[test]
    fn saved_logs_are_named_by_what_they_show_and_when() {
        let now: Timestamp = "2025-03-04T05:06:07Z".parse().unwrap();
        let source = |name: &str, deployment: Option<&str>| LogSource {
            app: "uuid".into(),
            name: name.into(),
            deployment: deployment.map(str::to_string),
            pinned: false,
        };
        let name = |source: Option<&LogSource>| saved_name(source, now);
        assert_eq!(
            name(Some(&source("air-dev", Some("a1b2c3d")))),
            Path::new("air-dev-a1b2c3d-20250304T050607Z.log")
        );
        assert_eq!(
            name(Some(&source("air-dev", None))),
            Path::new("air-dev-container-20250304T050607Z.log")
        );
        assert_eq!(name(None), Path::new("pftui-20250304T050607Z.log"));
        // A name from the server stays one file name in the logs folder.
        let odd = name(Some(&source("../../etc/x y", Some("d/1"))));
        assert_eq!(odd, Path::new(".._.._etc_x_y-d_1-20250304T050607Z.log"));
        assert_eq!(odd.components().count(), 1);
    }

    #[test]
    fn w_saves_under_the_data_dir_and_names_the_whole_path() {
        let mut state = fixture::state((120, 40));
        focus_log(&mut state);
        let effects = press(&mut state, KeyCode::Char('W'));
        let [Effect::Save { path, bytes }] = &effects[..] else {
            panic!("{effects:?}");
        };
        assert_eq!(path, &saved_name(state.log.source.as_ref(), state.now));
        let data = tempfile::tempdir().unwrap();
        // What the runner does with the effect, then the message it sends back.
        let result = write_saved(data.path(), path, bytes);
        update(&mut state, Msg::Saved(result));
        let file = data.path().join("logs").join(path);
        assert!(file.is_absolute());
        assert_eq!(
            fixture::flashed(&state),
            format!("saved the log to {}", file.display())
        );
        assert!(!state.flash.as_ref().unwrap().error);
        assert_eq!(&std::fs::read(&file).unwrap(), bytes);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "private: {mode:o}");
        }

        // A data dir that cannot hold a folder: the message says where and why.
        let blocked = data.path().join("blocked");
        std::fs::write(&blocked, "a file").unwrap();
        let result = write_saved(&blocked, path, bytes);
        update(&mut state, Msg::Saved(result));
        let wanted = format!(
            "cannot save the log to {}: ",
            blocked.join("logs").join(path).display()
        );
        assert!(
            fixture::flashed(&state).starts_with(&wanted),
            "{}",
            fixture::flashed(&state)
        );
        assert!(state.flash.as_ref().unwrap().error);
    }

    #[test]
    fn a_big_log_stays_within_its_buffer() {
        let mut state = fixture::state((120, 40));
        state.log.view.reset("big", 1_000);
        for _ in 0..100 {
            lines(&mut state, 1_000, "x");
        }
        assert_eq!(state.log.view.len(), 1_000);
        assert!(state.log.view.dropped() >= 99_000);
    }

    #[test]
    fn the_pane_shows_the_selection_or_says_it_has_no_log() {
        let mut state = fixture::state((120, 40));
        assert!(state.log.view.title().starts_with("air-dev"));
        // Down to air-postgres, past the environments and the other applications.
        for _ in 0..5 {
            update(
                &mut state,
                Msg::Key(crossterm::event::KeyEvent::new(
                    KeyCode::Char('j'),
                    KeyModifiers::NONE,
                )),
            );
        }
        assert_eq!(state.selected_resource().unwrap().name, "air-postgres");
        assert_eq!(state.log.view.title(), "Log · air-postgres");
        let screen = crate::tui::snapshot::render(&state, 120, 40, false);
        assert!(
            screen.contains("air-postgres is a database: Coolify keeps deployment logs"),
            "{screen}"
        );
        assert!(
            !screen.contains("npm ci"),
            "air-dev's log is gone:\n{screen}"
        );
    }

    #[test]
    fn an_operation_takes_the_log_pane_only_for_the_selected_application() {
        use crate::ops::Verdict;
        let mut state = fixture::state((120, 40));
        let title = state.log.view.title().to_string();
        let started = |state: &mut State, env: &str| {
            let id = state.operations.next_id();
            let plan = fixture::deploy_plan(Verdict::Confirm, env);
            state.operations.start(id.clone(), &plan, state.now);
            let progress = Progress::Started {
                target: format!("air-{env}"),
                deployment: format!("d-{env}"),
            };
            (
                update(
                    state,
                    Msg::OpProgress {
                        id: id.clone(),
                        progress,
                    },
                ),
                id,
            )
        };
        // air-dev is selected: a deploy of air-staging runs without taking the pane.
        let (effects, _) = started(&mut state, "staging");
        assert!(effects.is_empty(), "{effects:?}");
        assert_eq!(state.log.view.title(), title);
        let (effects, id) = started(&mut state, "dev");
        assert!(effects.contains(&Effect::StopLog));
        assert_eq!(state.log.view.title(), "air-dev · deployment d-dev");
        let progress = Progress::Lines {
            target: "air-dev".into(),
            lines: vec![LogLine {
                kind: LineKind::Stderr,
                text: "boom".into(),
                timestamp: None,
                hidden: false,
            }],
        };
        update(&mut state, Msg::OpProgress { id, progress });
        assert_eq!(state.log.view.len(), 1);
    }
}
