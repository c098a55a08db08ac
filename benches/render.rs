//! Drawing one full frame of the console at 200x60 with the 3,000-application tree expanded
//! and 100,000 lines in the log buffer: without wrapping, with wrapping, and with an active
//! search. Also what the idle console does per clock tick (update + draw) and per
//! background refresh (update with a fresh 3,000-application load).

#![allow(clippy::unwrap_used)] // a benchmark may stop at what it did not expect

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use pftui::coolify::{LineFormatter, Loader};
use pftui::model::{DeploymentLog, Overview};
use pftui::ops::Progress;
use pftui::settings::Settings;
use pftui::tui::msg::{ContextInfo, Effect, Msg};
use pftui::tui::state::State;
use pftui::tui::theme::{Depth, Theme};
use pftui::tui::update::{RECENT_COUNT, update};
use pftui::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
const LINES: u32 = 100_000;

/// The console after its first load, following the first application's 100,000-line
/// deployment log, as `pftui snapshot` builds it.
fn console(sim: &support::Sim) -> (State, Overview) {
    let client = sim.client();
    let overview = sim
        .rt
        .block_on(Loader::default().overview(&client, true))
        .expect("a load");
    let first = overview
        .tree
        .projects
        .first()
        .and_then(|p| p.environments.first())
        .and_then(|e| e.resources.first())
        .expect("an application")
        .name
        .clone();
    sim.handle
        .control()
        .big_log(&first, LINES, 0.0)
        .expect("the application exists");
    let info = ContextInfo {
        name: "bench".into(),
        url: sim.handle.coolify_url(),
        token_source: "bench".into(),
        token_short: "bench".into(),
        read_only: false,
    };
    let depth = Depth::TrueColor;
    let mut settings = Settings::default();
    settings.logs.buffer_lines = LINES as usize + 10_000;
    let mut state = State::new(
        info,
        settings,
        Theme::fallback(depth),
        depth,
        None,
        Timestamp::now(),
        (WIDTH, HEIGHT),
    );
    let mut queue: std::collections::VecDeque<Effect> = update(
        &mut state,
        Msg::Loaded {
            context: "bench".into(),
            result: Ok(Box::new(overview.clone())),
        },
    )
    .into();
    while let Some(effect) = queue.pop_front() {
        let msgs = match effect {
            Effect::LoadRecent(app) => {
                let page = sim
                    .rt
                    .block_on(client.deployment_history(&app, 0, RECENT_COUNT))
                    .expect("history");
                vec![Msg::Recent {
                    context: "bench".into(),
                    app,
                    result: Ok(page.deployments),
                }]
            }
            Effect::FollowLog { name, deployment } => {
                let (_, log) = sim
                    .rt
                    .block_on(client.deployment_with_log(&deployment))
                    .expect("the deployment");
                let entries = match log {
                    DeploymentLog::Entries(entries) => entries,
                    DeploymentLog::NotYet | DeploymentLog::Withheld => Vec::new(),
                    DeploymentLog::Unreadable(why) => panic!("a log: {why}"),
                };
                let lines = LineFormatter::new(true).lines(&entries);
                vec![Msg::LogProgress {
                    deployment,
                    progress: Progress::Lines {
                        target: name,
                        lines,
                    },
                }]
            }
            _ => Vec::new(),
        };
        for msg in msgs {
            queue.extend(update(&mut state, msg));
        }
    }
    (state, overview)
}

fn render(c: &mut Criterion) {
    let sim = support::Sim::start(Some(support::APPS));
    let (mut state, overview) = console(&sim);
    println!(
        "render: {WIDTH}x{HEIGHT}, {} tree rows (all expanded), {} lines in the log buffer, \
         selected {:?}",
        state.tree.rows.len(),
        state.log.view.len(),
        state.selected_resource().map(|r| r.name.as_str()),
    );
    assert!(
        state.log.view.len() >= LINES as usize,
        "the log pane holds the log"
    );
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a terminal");
    let mut g = c.benchmark_group("render");
    g.sample_size(50).measurement_time(Duration::from_secs(5));

    state.log.view.set_wrap(false);
    g.bench_function("frame 200x60, 3,000 apps, 100k lines, no wrap", |b| {
        b.iter(|| {
            terminal
                .draw(|f| views::draw(black_box(&state), f))
                .expect("drawn");
        })
    });
    state.log.view.set_wrap(true);
    g.bench_function("frame 200x60, 3,000 apps, 100k lines, wrap", |b| {
        b.iter(|| {
            terminal
                .draw(|f| views::draw(black_box(&state), f))
                .expect("drawn");
        })
    });
    state.log.view.set_wrap(false);
    state.log.search = "npm warn".into();
    state.log.view.set_search("npm warn");
    println!(
        "render: search \"npm warn\": {} matches",
        state.log.view.match_count()
    );
    g.bench_function("frame 200x60, 3,000 apps, 100k lines, search active", |b| {
        b.iter(|| {
            terminal
                .draw(|f| views::draw(black_box(&state), f))
                .expect("drawn");
        })
    });
    state.log.view.set_wrap(true);
    g.bench_function("frame 200x60, 3,000 apps, 100k lines, wrap + search", |b| {
        b.iter(|| {
            terminal
                .draw(|f| views::draw(black_box(&state), f))
                .expect("drawn");
        })
    });
    state.log.view.set_wrap(false);
    state.log.search.clear();
    state.log.view.set_search("");

    // The idle console: a clock tick is an update and a full draw.
    g.bench_function("idle tick: update(Tick) + draw", |b| {
        b.iter(|| {
            update(&mut state, Msg::Tick(Timestamp::now()));
            terminal
                .draw(|f| views::draw(black_box(&state), f))
                .expect("drawn");
        })
    });
    // A background refresh landing: update with a fresh load of 3,000 applications.
    g.sample_size(20);
    g.bench_function("refresh: update(Loaded) with 3,000 apps + draw", |b| {
        b.iter_batched(
            || overview.clone(),
            |o| {
                state.data.loading = true;
                update(
                    &mut state,
                    Msg::Loaded {
                        context: "bench".into(),
                        result: Ok(Box::new(o)),
                    },
                );
                terminal
                    .draw(|f| views::draw(black_box(&state), f))
                    .expect("drawn");
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
