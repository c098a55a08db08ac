//! `update(&mut State, Msg) -> Vec<Effect>`: every change to the console, synchronous and
//! testable without a terminal.

use std::collections::HashMap;
use std::time::Duration;

mod actions;
mod agent;
mod audit;
mod batch;
mod config;
mod deployments;
mod filter;
mod input;
pub mod logs;
mod pipeline;
mod running;

use super::data::{Data, LoadError};
use super::msg::{Effect, Msg};
use super::overlay::{Card, Overlay};
use super::state::{CHANGED_FOR, Flash, State};
use crate::model::{Deployment, Overview, Tree};

/// How long the selection rests on an application before its deployments are fetched.
const RECENT_DEBOUNCE: Duration = Duration::from_millis(150);
/// Every how many periodic refreshes the layout (projects, servers) is re-read.
const FULL_EVERY: u32 = 12;
/// How many recent deployments the lower pane shows.
pub const RECENT_COUNT: u32 = 10;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => input::on_key(state, key),
        Msg::Mouse(mouse) => input::on_mouse(state, mouse),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            state.tree.scroll_to_selection();
            state.fit();
            Vec::new()
        }
        Msg::Tick(now) => {
            let face = state.clock_face();
            let (highlights, flash) = (state.changed.len(), state.flash.is_some());
            state.now = now;
            state.spinner = state.spinner.wrapping_add(1);
            state
                .changed
                .retain(|_, at| now.duration_since(*at) < CHANGED_FOR);
            if state
                .flash
                .as_ref()
                .is_some_and(|f| now.duration_since(f.at).as_secs() >= 5)
            {
                state.flash = None;
            }
            let hidden = match state.overlays.top_mut() {
                Some(Overlay::Card(Card::Env(card))) => card.tick(now),
                _ => false,
            };
            let moved = hidden
                || state.animating()
                || highlights != state.changed.len()
                || flash != state.flash.is_some()
                || face != state.clock_face();
            if moved {
                vec![Effect::Redraw]
            } else {
                Vec::new()
            }
        }
        Msg::RefreshDue => refresh(state, false),
        Msg::LoadCost(cost) => {
            state.data.load_cost = Some(cost);
            Vec::new()
        }
        Msg::Loaded { context, result } if context == state.context.name => {
            let mut effects = on_loaded(state, result);
            effects.extend(deployments::on_refreshed(state));
            effects
        }
        Msg::Loaded { .. } => Vec::new(),
        Msg::RecentDue(app) if state.selected_app() == Some(app.as_str()) => {
            load_recent(state, app)
        }
        Msg::RecentDue(_) => Vec::new(),
        Msg::Recent { context, .. } if context != state.context.name => Vec::new(),
        Msg::Recent { app, result, .. } => {
            let entry = state.recent.entry(app.clone()).or_default();
            entry.loading = false;
            match result {
                Ok(deployments) => {
                    entry.deployments = deployments;
                    entry.error = None;
                }
                Err(e) => entry.error = Some(e),
            }
            if state.selected_app() == Some(app.as_str()) {
                return logs::show_selected(state);
            }
            Vec::new()
        }
        Msg::ContextOpened(Ok(info)) => {
            state.tell(format!("switched to context {}", info.name), false);
            state.context = info;
            state.data = Data {
                loading: true,
                ..Data::default()
            };
            state.recent.clear();
            state.changed.clear();
            state.tree.collapsed.clear();
            // Marks name another server's applications.
            state.tree.marked.clear();
            state.tree.selected = 0;
            state.rebuild_rows();
            vec![Effect::Load { full: true }]
        }
        Msg::ContextOpened(Err(e)) => {
            state.tell(e, true);
            Vec::new()
        }
        Msg::Planned(result) => actions::on_planned(state, result),
        Msg::OpProgress { id, progress } => running::on_progress(state, &id, progress),
        Msg::OpDone { id, result } => {
            let mut effects = running::on_done(state, &id, result);
            effects.extend(pipeline::on_operation_done(state));
            effects.extend(config::on_operation_done(state));
            effects
        }
        Msg::RollbackCandidates { scope, result } => {
            actions::on_rollback_candidates(state, scope, result)
        }
        Msg::Audit(result) => audit::on_read(state, result),
        Msg::LogProgress {
            deployment,
            progress,
        } => {
            logs::on_progress(state, Some(&deployment), &progress);
            Vec::new()
        }
        Msg::LogEnded { deployment, result } => {
            logs::on_ended(state, &deployment, result);
            Vec::new()
        }
        Msg::RuntimeLog { app, result } => {
            logs::on_runtime(state, &app, result);
            Vec::new()
        }
        Msg::Env { app, result } => actions::on_env(state, app, result),
        Msg::RevealRecorded { at, result } => actions::on_reveal_recorded(state, at, result),
        Msg::Agent(event) => agent::on_event(state, event),
        Msg::AgentReplied(result) => agent::on_replied(state, result),
        Msg::Saved(Ok(text)) => {
            state.tell(text, false);
            Vec::new()
        }
        Msg::Saved(Err(text)) => {
            state.tell(text, true);
            Vec::new()
        }
        Msg::Pipeline { context, result } => pipeline::on_board(state, &context, result),
        Msg::Board { context, result } => deployments::on_board(state, context, result),
        Msg::ConfigDiff {
            context,
            project,
            environment,
            result,
        } => config::on_read(state, (context, project, environment), result),
        Msg::Drift { context, result } => pipeline::on_drift(state, &context, result),
        Msg::Theme { name, result } => {
            match result {
                Ok(theme) => {
                    state.theme = *theme;
                    state.tell(format!("theme {name}"), false);
                }
                Err(e) => state.tell(e, true),
            }
            vec![Effect::Redraw]
        }
        Msg::Quit => {
            state.quit = true;
            Vec::new()
        }
    }
}

/// Start a load unless one is running. Every `FULL_EVERY`th periodic refresh (and every
/// one asked for by hand) re-reads projects and servers too.
pub(super) fn refresh(state: &mut State, by_hand: bool) -> Vec<Effect> {
    if state.data.loading {
        return Vec::new();
    }
    state.data.loading = true;
    state.refreshes = state.refreshes.wrapping_add(1);
    let full = by_hand || state.data.error.is_some() || state.refreshes.is_multiple_of(FULL_EVERY);
    vec![Effect::Load { full }]
}

fn on_loaded(state: &mut State, result: Result<Box<Overview>, String>) -> Vec<Effect> {
    state.data.loading = false;
    let mut effects = Vec::new();
    match result {
        Ok(snapshot) => {
            let first = state.data.loaded_at.is_none();
            let Overview {
                tree,
                version,
                running,
                warnings,
            } = *snapshot;
            if !first {
                mark_changes(state, &tree);
            }
            let deploying = by_application(&tree, running);
            // Deployments that started, ended or gave way to the next one: their application's
            // history moved.
            let apps: std::collections::BTreeSet<&String> = state
                .data
                .deploying
                .keys()
                .chain(deploying.keys())
                .collect();
            for app in apps {
                let before = state.data.deploying.get(app).map(|d| &d.uuid);
                if before != deploying.get(app).map(|d| &d.uuid) && state.recent.contains_key(app) {
                    effects.push(Effect::LoadRecent(app.clone()));
                }
            }
            state.data.tree = tree;
            // A version that could not be read this time is still the one read before.
            if version.is_some() {
                state.data.version = version;
            }
            state.data.warnings = warnings;
            state.data.deploying = deploying;
            state.data.loaded_at = Some(state.now);
            if let Some(err) = state.data.error.take() {
                state.tell(format!("reconnected after: {}", err.message), false);
            }
            state.rebuild_rows();
            if first && state.tree.selected == 0 {
                // Start on the first resource: its details are what an operator wants.
                state.tree.select_first_resource();
            }
            if first && let Some(app) = state.selected_app() {
                effects.push(Effect::LoadRecent(app.to_string()));
            }
        }
        Err(message) => {
            let since = state
                .data
                .error
                .as_ref()
                .map(|e| e.since)
                .unwrap_or(state.now);
            if state
                .data
                .error
                .as_ref()
                .is_none_or(|e| e.message != message)
            {
                let text = format!("refresh failing: {message}");
                let at = state.now;
                state.remember(Flash {
                    text,
                    error: true,
                    at,
                });
            }
            state.data.error = Some(LoadError { message, since });
        }
    }
    for effect in &effects {
        if let Effect::LoadRecent(app) = effect {
            state.recent.entry(app.clone()).or_default().loading = true;
        }
    }
    effects.push(Effect::RefreshAfter(state.refresh_interval()));
    effects
}

/// Note every resource whose status differs from the last load.
fn mark_changes(state: &mut State, tree: &Tree) {
    let before: HashMap<&str, String> = state
        .data
        .tree
        .resources()
        .map(|(_, _, r)| (r.uuid.as_str(), r.status.to_string()))
        .collect();
    for (_, _, r) in tree.resources() {
        if before
            .get(r.uuid.as_str())
            .is_some_and(|old| *old != r.status.to_string())
        {
            state.changed.insert(r.uuid.clone(), state.now);
        }
    }
}

/// Active deployments keyed by their application's uuid; of two for one application, the
/// newer.
fn by_application(tree: &Tree, running: Vec<Deployment>) -> HashMap<String, Deployment> {
    let by_id: HashMap<String, &str> = tree
        .applications()
        .filter_map(|(_, _, a)| Some((a.id?.to_string(), a.uuid.as_str())))
        .collect();
    let by_name: HashMap<&str, &str> = tree
        .applications()
        .map(|(_, _, a)| (a.name.as_str(), a.uuid.as_str()))
        .collect();
    let mut deploying: HashMap<String, Deployment> = HashMap::new();
    for d in running {
        let Some(uuid) = d
            .application_id
            .as_deref()
            .and_then(|id| by_id.get(id))
            .or_else(|| d.application_name.as_deref().and_then(|n| by_name.get(n)))
        else {
            continue;
        };
        if deploying
            .get(*uuid)
            .is_none_or(|held| held.created_at < d.created_at)
        {
            deploying.insert(uuid.to_string(), d);
        }
    }
    deploying
}

fn load_recent(state: &mut State, app: String) -> Vec<Effect> {
    let entry = state.recent.entry(app.clone()).or_default();
    entry.loading = true;
    vec![Effect::LoadRecent(app)]
}

/// After the selection moved: fetch the newly selected application's deployments soon,
/// and show its log when they are known.
pub(super) fn selection_moved(state: &mut State) -> Vec<Effect> {
    state.tree.scroll_to_selection();
    state.details.scroll = 0;
    state.history.selected = 0;
    match state.selected_app() {
        Some(app) if !state.recent.contains_key(app) => {
            vec![Effect::RecentAfter(app.to_string(), RECENT_DEBOUNCE)]
        }
        // Another application, or what has no deployment log: the pane shows its own.
        _ => logs::selection_moved(state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeploymentStatus, ResourceStatus};
    use crate::settings::Settings;
    use crate::tui::fixture::{self, now};
    use crate::tui::modes::Mode;
    use crate::tui::outline::NodeId;
    use crate::tui::overlay::{Page, Palette};
    use crate::tui::state::Screen;
    use crate::tui::views;
    use crossterm::event::{
        KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton, MouseEvent,
        MouseEventKind,
    };

    fn key(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn typed(state: &mut State, text: &str) {
        for c in text.chars() {
            key(state, KeyCode::Char(c));
        }
    }

    fn selected_label(state: &State) -> &str {
        &state.selected_row().unwrap().label
    }

    fn loaded(state: &mut State, tree: Tree, running: Vec<Deployment>) -> Vec<Effect> {
        update(
            state,
            Msg::Loaded {
                context: state.context.name.clone(),
                result: Ok(Box::new(Overview {
                    tree,
                    version: Some("4.3.11".into()),
                    running,
                    warnings: vec![],
                })),
            },
        )
    }

    #[test]
    fn a_costly_refresh_stretches_the_idle_interval_to_the_cpu_bound() {
        let mut state = fixture::state((120, 40));
        // 1 ms a load is far below 0.15 % of a core at 5 s: the setting holds.
        update(&mut state, Msg::LoadCost(Duration::from_millis(1)));
        assert_eq!(
            loaded(&mut state, fixture::tree(), vec![]).last(),
            Some(&Effect::RefreshAfter(Duration::from_secs(5)))
        );
        assert_eq!(state.stretched_interval(), None);
        // 42 ms a load at 0.15 %: one every 28 s.
        update(&mut state, Msg::LoadCost(Duration::from_millis(42)));
        state.data.loading = true;
        assert_eq!(
            loaded(&mut state, fixture::tree(), vec![]).last(),
            Some(&Effect::RefreshAfter(Duration::from_secs(28)))
        );
        assert_eq!(state.stretched_interval(), Some(Duration::from_secs(28)));
        // Failing: the configured interval, to recover soon.
        state.data.loading = true;
        update(
            &mut state,
            Msg::Loaded {
                context: "pfcore".into(),
                result: Err("cannot connect".into()),
            },
        );
        assert_eq!(state.refresh_interval(), Duration::from_secs(5));
        loaded(&mut state, fixture::tree(), vec![]);
        // A deployment running: its own interval, whatever the cost.
        state.data.loading = true;
        let running = fixture::deployment("d1", DeploymentStatus::InProgress, 1, "wip");
        assert_eq!(
            loaded(&mut state, fixture::tree(), vec![running]).last(),
            Some(&Effect::RefreshAfter(Duration::from_secs(2)))
        );
        assert_eq!(state.stretched_interval(), None);
    }

    #[test]
    fn the_first_load_selects_the_first_application_and_fetches_its_deployments() {
        let state = fixture::state((120, 40));
        let mut fresh = State::new(
            state.context.clone(),
            Settings::default(),
            state.theme.clone(),
            state.depth,
            None,
            now(),
            (120, 40),
        );
        let effects = loaded(&mut fresh, fixture::tree(), vec![]);
        assert!(effects.contains(&Effect::LoadRecent("app-air-dev".into())));
        assert!(effects.contains(&Effect::RefreshAfter(Duration::from_secs(5))));
        assert_eq!(selected_label(&fresh), "air-dev");
    }

    #[test]
    fn vim_keys_move_collapse_and_expand() {
        let mut state = fixture::state((120, 40));
        key(&mut state, KeyCode::Char('j'));
        assert_eq!(selected_label(&state), "staging");
        let effects = key(&mut state, KeyCode::Char('j'));
        assert_eq!(selected_label(&state), "air-staging");
        assert_eq!(
            effects,
            [Effect::RecentAfter(
                "app-air-staging".into(),
                RECENT_DEBOUNCE
            )]
        );
        key(&mut state, KeyCode::Char('h'));
        assert_eq!(
            selected_label(&state),
            "staging",
            "h on a leaf goes to the parent"
        );
        key(&mut state, KeyCode::Char('h'));
        assert!(
            state
                .tree
                .collapsed
                .contains(&NodeId::Environment("p-AIR".into(), "staging".into()))
        );
        let rows = state.tree.rows.len();
        key(&mut state, KeyCode::Char('l'));
        assert_eq!(state.tree.rows.len(), rows + 1);
        key(&mut state, KeyCode::Char('G'));
        assert_eq!(state.tree.selected, state.tree.rows.len() - 1);
        key(&mut state, KeyCode::Char('g'));
        assert_eq!(state.tree.selected, 0);
        key(&mut state, KeyCode::PageDown);
        assert!(state.tree.selected > 10);
    }

    #[test]
    fn the_filter_narrows_live_and_esc_clears_it() {
        let mut state = fixture::state((120, 40));
        let all = state.tree.rows.len();
        key(&mut state, KeyCode::Char('/'));
        assert!(state.tree.filtering);
        typed(&mut state, "w4mprod");
        assert!(state.tree.rows.len() < all);
        assert_eq!(selected_label(&state), "w4m-prod");
        key(&mut state, KeyCode::Enter);
        assert!(!state.tree.filtering);
        assert_eq!(state.tree.filter, "w4mprod");
        key(&mut state, KeyCode::Esc);
        assert_eq!(state.tree.filter, "");
        assert_eq!(state.tree.rows.len(), all);
        assert_eq!(selected_label(&state), "w4m-prod", "the selection survives");
    }

    #[test]
    fn the_palette_completes_and_runs_commands() {
        let mut state = fixture::state((120, 40));
        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "se");
        key(&mut state, KeyCode::Tab);
        assert_eq!(
            state.overlays.top(),
            Some(&Overlay::Palette(Palette {
                input: "servers".into(),
                choice: None
            }))
        );
        key(&mut state, KeyCode::Enter);
        assert_eq!(state.screen, Screen::Servers);
        assert_eq!(state.overlays.top(), None);

        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "theme light");
        let effects = key(&mut state, KeyCode::Enter);
        // The theme is read by the runner (a user theme is a file), not by update.
        let [Effect::LoadTheme { name, dir, depth }] = &effects[..] else {
            panic!("{effects:?}");
        };
        let result = crate::tui::theme::Theme::load(name, dir.as_deref(), *depth)
            .map(Box::new)
            .map_err(|e| e.to_string());
        let name = name.clone();
        update(&mut state, Msg::Theme { name, result });
        assert_eq!(state.theme.name, "light");

        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "ctx lab");
        let effects = key(&mut state, KeyCode::Enter);
        assert!(effects.is_empty());
        assert!(state.flash.as_ref().unwrap().error);
        assert!(crate::tui::fixture::flashed(&state).contains("no context named 'lab'"));

        state.contexts = vec!["lab".into()];
        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "ctx lab");
        assert_eq!(
            key(&mut state, KeyCode::Enter),
            [Effect::OpenContext("lab".into())]
        );

        key(&mut state, KeyCode::Char(':'));
        typed(&mut state, "q");
        key(&mut state, KeyCode::Enter);
        assert!(state.quit);
    }

    #[test]
    fn help_scrolls_and_any_other_key_closes_it() {
        let mut state = fixture::state((80, 24));
        key(&mut state, KeyCode::Char('?'));
        assert!(matches!(
            state.overlays.top(),
            Some(Overlay::Page {
                page: Page::Help(Mode::Tree),
                scroll: 0
            })
        ));
        key(&mut state, KeyCode::Char('j'));
        key(&mut state, KeyCode::Char('j'));
        assert!(matches!(
            state.overlays.top(),
            Some(Overlay::Page { scroll: 2, .. })
        ));
        key(&mut state, KeyCode::Char('G'));
        let Some(&Overlay::Page { scroll, .. }) = state.overlays.top() else {
            panic!("the help is open");
        };
        assert_eq!(
            scroll,
            views::page::max_scroll(&state, Page::Help(Mode::Tree))
        );
        assert!(scroll > 2, "the tree's help does not fit in 24 rows");
        key(&mut state, KeyCode::Char('x'));
        assert_eq!(state.overlays.top(), None);
        assert_eq!(
            selected_label(&state),
            "air-dev",
            "the closing key does nothing else"
        );
    }

    #[test]
    fn a_failed_refresh_keeps_the_data_marks_it_stale_and_recovers() {
        let mut state = fixture::state((120, 40));
        assert_eq!(
            update(&mut state, Msg::RefreshDue),
            [Effect::Load { full: false }]
        );
        assert!(
            update(&mut state, Msg::RefreshDue).is_empty(),
            "one load at a time"
        );
        let effects = update(
            &mut state,
            Msg::Loaded {
                context: "pfcore".into(),
                result: Err("cannot connect to https://coolify.pfcore.io".into()),
            },
        );
        assert_eq!(effects, [Effect::RefreshAfter(Duration::from_secs(5))]);
        let err = state.data.error.clone().unwrap();
        assert!(err.message.contains("cannot connect"));
        assert_eq!(state.data.tree, fixture::tree(), "the last data is kept");
        assert_eq!(
            update(&mut state, Msg::RefreshDue),
            [Effect::Load { full: true }]
        );
        loaded(&mut state, fixture::tree(), vec![]);
        assert!(state.data.error.is_none());
        assert!(
            state
                .flash
                .as_ref()
                .unwrap()
                .text
                .starts_with("reconnected")
        );
    }

    #[test]
    fn loads_for_another_context_are_ignored() {
        let mut state = fixture::state((120, 40));
        update(
            &mut state,
            Msg::Loaded {
                context: "old".into(),
                result: Err("boom".into()),
            },
        );
        assert!(state.data.error.is_none());
    }

    #[test]
    fn an_idle_tick_redraws_only_when_something_shown_moves() {
        let mut state = fixture::state((120, 40));
        loaded(&mut state, fixture::tree(), vec![]);
        assert!(!state.animating());
        let start = state.now;
        let at = |secs| start + jiff::SignedDuration::from_secs(secs);
        assert_eq!(
            update(&mut state, Msg::Tick(at(5))),
            vec![],
            "still just now"
        );
        assert_eq!(
            update(&mut state, Msg::Tick(at(10))),
            vec![Effect::Redraw],
            "refreshed 10s ago"
        );
        assert_eq!(update(&mut state, Msg::Tick(at(11))), vec![]);
        state.flash = Some(Flash {
            text: "copied".into(),
            error: false,
            at: at(11),
        });
        assert_eq!(update(&mut state, Msg::Tick(at(12))), vec![]);
        assert_eq!(
            update(&mut state, Msg::Tick(at(16))),
            vec![Effect::Redraw],
            "the flash went away"
        );
        state.data.loading = true;
        assert_eq!(
            update(&mut state, Msg::Tick(at(17))),
            vec![Effect::Redraw],
            "a spinner turns"
        );
    }

    #[test]
    fn changed_statuses_are_highlighted_for_a_while() {
        let mut state = fixture::state((120, 40));
        let mut tree = fixture::tree();
        tree.projects[0].environments[0].resources[0].status =
            ResourceStatus::parse("exited:unhealthy");
        loaded(&mut state, tree, vec![]);
        assert!(state.changed.contains_key("app-air-dev"));
        update(
            &mut state,
            Msg::Tick(now() + jiff::SignedDuration::from_secs(10)),
        );
        assert!(state.changed.is_empty());
    }

    #[test]
    fn running_deployments_mark_their_apps_and_speed_up_refresh() {
        let mut state = fixture::state((120, 40));
        let running = fixture::deployment("d1", DeploymentStatus::InProgress, 1, "wip");
        let effects = loaded(&mut state, fixture::tree(), vec![running]);
        assert!(state.data.deploying.contains_key("app-air-dev"));
        assert!(effects.contains(&Effect::LoadRecent("app-air-dev".into())));
        assert!(effects.contains(&Effect::RefreshAfter(Duration::from_secs(2))));
        assert!(state.animating());
        let effects = loaded(&mut state, fixture::tree(), vec![]);
        assert!(
            effects.contains(&Effect::LoadRecent("app-air-dev".into())),
            "its history moved"
        );
    }

    #[test]
    fn the_log_moves_on_to_the_next_deployment_of_the_same_application() {
        let mut state = fixture::state((120, 40));
        let older = fixture::deployment("d1", DeploymentStatus::InProgress, 3, "first");
        let newer = fixture::deployment("d2", DeploymentStatus::InProgress, 1, "second");
        loaded(
            &mut state,
            fixture::tree(),
            vec![newer.clone(), older.clone()],
        );
        assert_eq!(
            state.data.deploying["app-air-dev"].uuid, "d2",
            "the newer one"
        );
        loaded(&mut state, fixture::tree(), vec![older.clone()]);
        let effects = loaded(&mut state, fixture::tree(), vec![older]);
        assert!(!effects.contains(&Effect::LoadRecent("app-air-dev".into())));
        // The followed deployment ends while the next one of the same application runs.
        let effects = loaded(&mut state, fixture::tree(), vec![newer.clone()]);
        assert!(
            effects.contains(&Effect::LoadRecent("app-air-dev".into())),
            "its history moved"
        );
        let context = state.context.name.clone();
        let effects = update(
            &mut state,
            Msg::Recent {
                context,
                app: "app-air-dev".into(),
                result: Ok(vec![newer]),
            },
        );
        assert!(effects.contains(&Effect::FollowLog {
            name: "air-dev".into(),
            deployment: "d2".into(),
        }));
    }

    #[test]
    fn quit_keys_and_signals() {
        let mut state = fixture::state((120, 40));
        update(
            &mut state,
            Msg::Key(KeyEvent {
                code: KeyCode::Char('c'),
                modifiers: KeyModifiers::CONTROL,
                kind: KeyEventKind::Press,
                state: KeyEventState::NONE,
            }),
        );
        assert!(state.quit);
        let mut state = fixture::state((120, 40));
        key(&mut state, KeyCode::Char('q'));
        assert!(state.quit);
        let mut state = fixture::state((120, 40));
        update(&mut state, Msg::Quit);
        assert!(state.quit);
    }

    #[test]
    fn mouse_clicks_select_and_the_wheel_scrolls() {
        let mut state = fixture::state((120, 40));
        let click = |row| {
            Msg::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: 5,
                row,
                modifiers: KeyModifiers::NONE,
            })
        };
        // Row 0 is the header, row 1 the tree's border: row 2 is the first tree row.
        update(&mut state, click(2));
        assert_eq!(state.tree.selected, 0);
        update(&mut state, click(5));
        assert_eq!(selected_label(&state), "air-dev");
        update(
            &mut state,
            Msg::Mouse(MouseEvent {
                kind: MouseEventKind::ScrollDown,
                column: 5,
                row: 10,
                modifiers: KeyModifiers::NONE,
            }),
        );
        assert_eq!(state.tree.selected, 6);
        state.settings.mouse = false;
        update(&mut state, click(2));
        assert_eq!(
            state.tree.selected, 6,
            "mouse off: clicks are the terminal's"
        );
    }

    #[test]
    fn resizing_keeps_the_selection_visible() {
        let mut state = fixture::state((120, 40));
        key(&mut state, KeyCode::Char('G'));
        update(&mut state, Msg::Resize(80, 24));
        let height = state.tree.height;
        assert!(
            state.tree.selected >= state.tree.offset
                && state.tree.selected < state.tree.offset + height
        );
    }
}
