//! Drawing the screen: `draw(&State, &mut Frame)` only reads the state. It lays out the
//! header, the body (the panes of `super::panes`, each drawing itself from its own state)
//! and the footer, then the overlays on top; one file per part that is not a pane, each
//! read top to bottom, with the shared vocabulary of [`super::paint`].

mod card;
mod footer;
mod header;
mod help;
mod operations;
pub mod page;
mod palette;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::overlay::Overlay;
use super::panes;
use super::state::{Lower, Pane, Screen, State};
use super::theme::Theme;

pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    // The theme's own background and text colour under everything.
    frame.buffer_mut().set_style(area, state.theme.base());
    if layout::too_small(area.width, area.height) {
        too_small(&state.theme, frame, area);
        return;
    }
    let areas = layout::areas(area.width, area.height);
    header::draw(state, frame, areas.header);
    let body = areas.left.union(areas.details).union(areas.lower);
    match state.screen {
        Screen::Tree if state.log.fullscreen => draw_log(state, frame, state.log_area()),
        Screen::Tree if state.agent.open => {
            draw_tree(state, frame, areas.left);
            panes::agent::draw(
                &state.agent,
                frame,
                areas.details.union(areas.lower),
                state.paint(),
            );
        }
        Screen::Tree => {
            draw_tree(state, frame, areas.left);
            draw_details(state, frame, areas.details);
            match state.lower {
                Lower::History => {
                    let focused = focused(state, Pane::Lower);
                    let app = state.selected_app().map(|app| state.recent.get(app));
                    let paint = state.paint();
                    panes::history::draw(&state.history, frame, areas.lower, paint, focused, app);
                }
                Lower::Log => draw_log(state, frame, areas.lower),
            }
        }
        Screen::Servers => {
            let focused = focused(state, Pane::Left);
            let paint = state.paint();
            panes::servers::draw(&state.servers, frame, &areas, paint, focused, &state.data);
        }
        Screen::Pipeline => panes::pipeline::draw(state.pipeline_look(), frame, body),
        Screen::Deployments => panes::deployments::draw(state.deployments_look(), frame, body),
        Screen::Audit => panes::audit::draw(state.audit_look(), frame, body),
        Screen::Config => panes::config::draw(state.config_look(), frame, body),
    }
    footer::draw(state, frame, areas.footer);
    // Outermost first: the innermost, which has the keys, is drawn over the rest.
    for overlay in state.overlays.iter() {
        match overlay {
            Overlay::Page { page, scroll } => page::draw(state, *page, *scroll, frame, area),
            Overlay::Palette(p) => palette::draw(state, p, frame, areas.footer),
            Overlay::Card(c) => card::draw(state, c, frame, area),
            Overlay::Operations { selected } => operations::draw(state, *selected, frame, area),
        }
    }
}

fn draw_log(state: &State, frame: &mut Frame, area: Rect) {
    let extra = state.log.title_extra();
    let focused = state.log_focused();
    panes::log::draw(
        &state.log.view,
        state.paint(),
        frame,
        area,
        focused,
        extra.as_deref(),
    );
}

fn too_small(theme: &Theme, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled("Terminal too small", theme.warning()),
        Line::styled(
            format!(
                "{}x{} here; pftui needs at least {MIN_WIDTH}x{MIN_HEIGHT}",
                area.width, area.height
            ),
            theme.text(),
        ),
    ];
    let y = area.height.saturating_sub(2) / 2;
    let target = Rect::new(area.x, area.y + y, area.width, area.height.min(2));
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        target,
    );
}

fn draw_tree(state: &State, frame: &mut Frame, area: Rect) {
    let focused = focused(state, Pane::Left);
    let paint = state.paint();
    panes::tree::draw(
        &state.tree,
        frame,
        area,
        paint,
        focused,
        &state.data,
        &state.changed,
    );
}

fn draw_details(state: &State, frame: &mut Frame, area: Rect) {
    let focused = focused(state, Pane::Details);
    let subject = state.details_subject();
    panes::details::draw(&state.details, frame, area, state.paint(), focused, subject);
}

/// Does the pane `which` have the keyboard?
fn focused(state: &State, which: Pane) -> bool {
    // The agent's input, when it has the keyboard, is the one focused pane.
    let agent = state.agent.open && state.agent.focused && state.screen == Screen::Tree;
    state.focus == which && state.overlays.is_empty() && !agent
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::tui::fixture;
    use crate::tui::msg::Msg;
    use crate::tui::snapshot::render;
    use crate::tui::state::State;
    use crate::tui::update::update;

    fn keys(state: &mut State, text: &str) {
        for c in text.chars() {
            update(
                state,
                Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
        }
    }

    fn text(state: &State) -> String {
        render(state, state.size.0, state.size.1, false)
    }

    #[test]
    fn main_view_120x40() {
        insta::assert_snapshot!(text(&fixture::state((120, 40))));
    }

    #[test]
    fn the_header_says_how_often_a_stretched_refresh_comes() {
        let mut state = fixture::state((120, 40));
        assert!(!text(&state).contains("every"));
        update(
            &mut state,
            Msg::LoadCost(std::time::Duration::from_millis(42)),
        );
        let header = text(&state).lines().next().unwrap_or_default().to_string();
        assert!(header.contains("· every 28s"), "{header}");
    }

    #[test]
    fn main_view_80x24() {
        insta::assert_snapshot!(text(&fixture::state((80, 24))));
    }

    #[test]
    fn servers_view() {
        let mut state = fixture::state((120, 40));
        keys(&mut state, "S");
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn servers_view_80x24() {
        let mut state = fixture::state((80, 24));
        keys(&mut state, "S");
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn help_overlay() {
        let mut state = fixture::state((120, 40));
        keys(&mut state, "?");
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn palette_with_completions() {
        let mut state = fixture::state((120, 40));
        keys(&mut state, ":t");
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn filtered_tree() {
        let mut state = fixture::state((120, 40));
        keys(&mut state, "/baiv");
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn collapsed_nodes_show_counts() {
        let mut state = fixture::state((120, 40));
        state
            .tree
            .collapsed
            .insert(crate::tui::outline::NodeId::Project("p-W4M".into()));
        state
            .tree
            .collapsed
            .insert(crate::tui::outline::NodeId::Environment(
                "p-AIR".into(),
                "prod".into(),
            ));
        state.rebuild_rows();
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn stale_data_after_a_failed_refresh() {
        let mut state = fixture::state((120, 40));
        update(&mut state, Msg::RefreshDue);
        update(
            &mut state,
            Msg::Loaded {
                context: "pfcore".into(),
                result: Err("cannot connect to https://coolify.pfcore.io/api/v1/applications: Connection refused".into()),
            },
        );
        update(
            &mut state,
            Msg::Tick(fixture::now() + jiff::SignedDuration::from_secs(25)),
        );
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn a_partial_load_names_what_is_missing_and_shows_the_unplaced() {
        use crate::model::{LoadWarning, Overview, Part, Unplaced};
        let mut state = fixture::state((120, 40));
        let mut tree = fixture::tree();
        let mut orphan = tree.projects[0].environments[0].resources[0].clone();
        orphan.uuid = "app-old-worker".into();
        orphan.name = "old-worker".into();
        tree.unplaced.push(Unplaced {
            reason: "its environment (#12) is in none of the projects read".into(),
            resource: orphan,
        });
        update(&mut state, Msg::RefreshDue);
        update(
            &mut state,
            Msg::Loaded {
                context: "pfcore".into(),
                result: Ok(Box::new(Overview {
                    tree,
                    version: Some("4.3.11".into()),
                    running: vec![],
                    warnings: vec![LoadWarning {
                        part: Part::Services,
                        request: "GET /services".into(),
                        reason: "Coolify answered 500: Server Error".into(),
                    }],
                })),
            },
        );
        keys(&mut state, "G");
        insta::assert_snapshot!(text(&state));
        // The context's details give the request and the reason.
        keys(&mut state, "g");
        let screen = text(&state);
        assert!(
            screen.contains("GET /services") && screen.contains("Server Error"),
            "{screen}"
        );
    }

    #[test]
    fn help_in_the_servers_view_lists_its_keys_only() {
        let mut state = fixture::state((80, 24));
        keys(&mut state, "S?");
        let screen = text(&state);
        assert!(screen.contains("Keys in the servers view"), "{screen}");
        for other in ["deploy without", "promote", "roll back", "log:", "filter"] {
            assert!(!screen.contains(other), "{other} in\n{screen}");
        }
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn a_long_message_is_cut_in_the_footer_and_whole_in_messages() {
        let mut state = fixture::state((80, 24));
        let long = format!(
            "deploy refused: {} the end",
            "an admin can change this ".repeat(8)
        );
        state.tell(long.clone(), true);
        let screen = text(&state);
        let footer = screen.lines().last().unwrap();
        assert!(
            footer.contains("deploy refused:") && footer.contains('…'),
            "{footer}"
        );
        assert!(footer.ends_with("? help  q quit"), "{footer}");
        keys(&mut state, ":messages");
        update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let screen = text(&state);
        insta::assert_snapshot!("messages_80x24", &screen);
        assert!(screen.contains("Messages"), "{screen}");
        assert!(screen.contains("the end"), "{screen}");
        let shown: String = screen
            .lines()
            .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            shown.contains("an admin can change this an admin"),
            "{screen}"
        );
    }

    #[test]
    fn two_operations_at_once_and_the_ops_list() {
        use crate::ops::{Outcome, Progress, Verdict};
        let mut state = fixture::state((120, 40));
        let mut ids = Vec::new();
        for env in ["dev", "staging", "prod"] {
            let id = state.operations.next_id();
            let plan = fixture::deploy_plan(Verdict::Confirm, env);
            state.operations.start(id.clone(), &plan, state.now);
            let progress = Progress::Status {
                target: format!("air-{env}"),
                status: crate::model::DeploymentStatus::InProgress,
            };
            update(
                &mut state,
                Msg::OpProgress {
                    id: id.clone(),
                    progress,
                },
            );
            ids.push(id);
        }
        let outcome = Outcome {
            kind: crate::ops::Kind::Deploy,
            ok: true,
            summary: "air-prod finished in 1m 2s".into(),
            apps: vec![],
            duration_ms: 62_000,
            audit_error: None,
        };
        update(
            &mut state,
            Msg::Tick(fixture::now() + jiff::SignedDuration::from_secs(70)),
        );
        let result = Ok(Box::new(outcome));
        update(
            &mut state,
            Msg::OpDone {
                id: ids[2].clone(),
                result,
            },
        );
        // The result card of the ended one; the header counts the two still running.
        let screen = text(&state);
        assert!(screen.contains("2 operations (O)"), "{screen}");
        keys(&mut state, "qO");
        assert!(matches!(
            state.overlays.top(),
            Some(crate::tui::overlay::Overlay::Operations { .. })
        ));
        update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
        );
        keys(&mut state, ":ops");
        update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        insta::assert_snapshot!(text(&state));
        insta::assert_snapshot!("ops_list_80x24", render(&state, 80, 24, false));
        // The ended one's result opens over the list; Esc goes back to the list, then out.
        use crate::tui::overlay::{Card, Overlay};
        let press = |state: &mut State, code| {
            update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
        };
        press(&mut state, KeyCode::Enter);
        assert!(matches!(
            state.overlays.top(),
            Some(Overlay::Card(Card::Result(_)))
        ));
        assert_eq!(
            state.overlays.iter().count(),
            2,
            "the list stays below the card"
        );
        assert!(text(&state).contains("air-prod finished in 1m 2s"));
        press(&mut state, KeyCode::Esc);
        assert!(matches!(
            state.overlays.top(),
            Some(Overlay::Operations { .. })
        ));
        press(&mut state, KeyCode::Esc);
        assert!(state.overlays.is_empty());
    }

    #[test]
    fn details_say_what_runs_after_a_rollback() {
        use crate::model::{DeploymentStatus, Trigger};
        let mut state = fixture::state((120, 40));
        let mut back = fixture::deployment("5e4d3c2", DeploymentStatus::Finished, 5, "chore");
        back.trigger = Trigger::Rollback;
        let newer = fixture::deployment("a1b2c3d", DeploymentStatus::Finished, 42, "feat");
        update(
            &mut state,
            Msg::Recent {
                context: "pfcore".into(),
                app: "app-air-dev".into(),
                result: Ok(vec![back, newer]),
            },
        );
        let screen = text(&state);
        let line = screen.lines().find(|l| l.contains("Running")).unwrap();
        assert!(
            line.contains("5e4d3c2 · rolled back 4m ago: an earlier build"),
            "{line}"
        );
    }

    #[test]
    fn history_tab() {
        let mut state = fixture::state((120, 40));
        keys(&mut state, "H");
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn fullscreen_log_with_debug_lines_and_a_search() {
        let mut state = fixture::state((100, 24));
        keys(&mut state, "f.");
        keys(&mut state, "/npm");
        insta::assert_snapshot!(text(&state));
    }

    #[test]
    fn a_preview_card_asking_for_the_typed_name() {
        let mut state = fixture::state((120, 40));
        keys(&mut state, "d");
        let plan = crate::ops::Plan::for_tests(
            crate::ops::Kind::Deploy,
            vec![],
            "prod",
            crate::ops::Verdict::ConfirmTyped {
                expected: "prod".into(),
            },
            crate::ops::Preview {
                title: "Deploy air-prod in AIR/prod".into(),
                actions: vec!["build and start air-prod from pfcore/pf-air@main (its head)".into()],
                commits: vec![],
                undo: "roll back to what runs now: pftui rollback air prod air-prod --to 5e4d3c2"
                    .into(),
                cli: "pftui deploy air prod".into(),
                notes: vec![],
            },
        );
        update(&mut state, Msg::Planned(Ok(Box::new(plan))));
        keys(&mut state, "pro");
        insta::assert_snapshot!(text(&state));
    }

    /// A commit message, a log line, a server's error and a preview's commit carrying
    /// escape sequences, a carriage return and a bidi override are drawn as text.
    #[test]
    fn text_from_outside_is_drawn_as_text() {
        const EVIL: &str =
            "rm -rf ~\r\u{1b}[2J\u{1b}[?1049hfix\u{1b}]52;c;cm0gLXJmIH4=\u{7} typo \u{202e}txt.exe";
        const SHOWN: &str = "rm -rf ~␍fix typo txt.exe";
        let inert = |what: &str, screen: &str| {
            for bad in [
                "\u{1b}]",
                "\u{1b}[2J",
                "1049h",
                "52;c;",
                "\u{7}",
                "\r",
                "\u{202e}",
            ] {
                assert!(!screen.contains(bad), "{what}: {bad:?} in\n{screen}");
            }
        };
        let mut state = fixture::state((160, 40));
        update(
            &mut state,
            Msg::Recent {
                context: "pfcore".into(),
                app: "app-air-dev".into(),
                result: Ok(vec![fixture::deployment(
                    "a1b2c3d",
                    crate::model::DeploymentStatus::Finished,
                    42,
                    EVIL,
                )]),
            },
        );
        update(
            &mut state,
            Msg::LogProgress {
                deployment: "a1b2c3d".into(),
                progress: crate::ops::Progress::Lines {
                    target: "air-dev".into(),
                    lines: vec![crate::model::LogLine {
                        kind: crate::model::LineKind::Stdout,
                        text: EVIL.into(),
                        timestamp: None,
                        hidden: false,
                    }],
                },
            },
        );
        update(&mut state, Msg::RefreshDue);
        update(
            &mut state,
            Msg::Loaded {
                context: "pfcore".into(),
                result: Err(format!("Coolify failed with HTTP 500: {EVIL}")),
            },
        );
        for ansi in [false, true] {
            let screen = render(&state, 160, 40, ansi);
            inert("the log pane", &screen);
        }
        let screen = text(&state);
        assert!(screen.contains(SHOWN), "the log line:\n{screen}");
        assert!(
            screen.contains(&format!("HTTP 500: {SHOWN}")),
            "the footer:\n{screen}"
        );

        keys(&mut state, "H");
        let screen = text(&state);
        inert("the history", &screen);
        assert!(screen.contains(SHOWN), "the commit message:\n{screen}");

        keys(&mut state, "p");
        let plan = crate::ops::Plan::for_tests(
            crate::ops::Kind::Promote,
            vec![],
            "staging",
            crate::ops::Verdict::Confirm,
            crate::ops::Preview {
                title: "Promote AIR dev to staging".into(),
                actions: vec![],
                commits: vec![format!("1a2b3c4 {EVIL}")],
                undo: "roll back".into(),
                cli: "pftui promote air dev staging".into(),
                notes: vec![],
            },
        );
        update(&mut state, Msg::Planned(Ok(Box::new(plan))));
        let screen = text(&state);
        inert("the preview card", &screen);
        assert!(screen.contains(&format!("1a2b3c4 {SHOWN}")), "{screen}");
    }

    #[test]
    fn too_small() {
        insta::assert_snapshot!(text(&fixture::state((50, 12))));
    }
}
