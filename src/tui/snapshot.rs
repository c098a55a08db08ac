//! One frame of the dashboard, after the first full load, as text (or with colours): for CI
//! logs, chat and docs.

use std::fmt::Write;
use std::path::PathBuf;

use crossterm::style::{Attribute, SetAttribute, SetBackgroundColor, SetForegroundColor};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::prelude::IntoCrossterm;
use ratatui::style::{Color, Modifier, Style};

use super::msg::{ContextInfo, Effect, Msg};
use super::state::State;
use super::theme::{Depth, Theme};
use super::update::update;
use super::views;
use crate::ops::{Ops, OpsError, Progress};

/// Load, render one frame of `width` x `height`, and return it as lines of text; with
/// `ansi`, colours and emphasis are kept as escape sequences.
pub async fn snapshot(
    ops: &Ops,
    themes_dir: Option<PathBuf>,
    (width, height): (u16, u16),
    ansi: bool,
) -> Result<String, OpsError> {
    let depth = if ansi { Depth::detect() } else { Depth::None };
    let settings = ops.settings().clone();
    let theme = Theme::load(&settings.theme, themes_dir.as_deref(), depth)
        .unwrap_or_else(|_| Theme::fallback(depth));
    let context = ops.session().context().to_string();
    let mut state = State::new(
        ContextInfo::of(ops.session()),
        settings,
        theme,
        depth,
        themes_dir,
        Timestamp::now(),
        (width, height),
    );
    let overview = ops.overview(true).await?;
    let effects = update(
        &mut state,
        Msg::Loaded {
            context: context.clone(),
            result: Ok(Box::new(overview)),
        },
    );
    // Carry out the reads the first frame needs, as the console's runner does (the
    // selected application's deployments), and its log, read once instead of followed.
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        let msgs = match effect {
            Effect::FollowLog { name, deployment } => read_log(ops, &name, &deployment).await,
            other => super::reads::answer(ops, other).await.into_iter().collect(),
        };
        for msg in msgs {
            queue.extend(update(&mut state, msg));
        }
    }
    Ok(render(&state, width, height, ansi))
}

/// A deployment's log as it is now, as the messages a follower would send: only the lines
/// the console's ring keeps are read.
async fn read_log(ops: &Ops, name: &str, deployment: &str) -> Vec<Msg> {
    let keep = ops.settings().logs.buffer_lines;
    let read = match ops.deployment_tail(deployment, true, keep).await {
        Ok(read) => read,
        Err(e) => {
            return vec![Msg::LogEnded {
                deployment: deployment.to_string(),
                result: Err(e.to_string()),
            }];
        }
    };
    let mut msgs = vec![Msg::LogProgress {
        deployment: deployment.to_string(),
        progress: Progress::Lines {
            target: name.to_string(),
            lines: read.lines().to_vec(),
        },
    }];
    if let Some(why) = read.unshown() {
        msgs.push(Msg::LogProgress {
            deployment: deployment.to_string(),
            progress: Progress::Note {
                target: Some(name.to_string()),
                text: why,
            },
        });
    }
    if read.deployment.status.is_final() {
        msgs.push(Msg::LogEnded {
            deployment: deployment.to_string(),
            result: Ok(read.deployment),
        });
    }
    msgs
}

/// Draw the state into an off-screen buffer and serialise it.
pub fn render(state: &State, width: u16, height: u16, ansi: bool) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    let drawn = terminal.draw(|frame| views::draw(state, frame));
    let buffer = match drawn {
        Ok(frame) => frame.buffer.clone(),
        Err(never) => match never {},
    };
    if ansi {
        to_ansi(&buffer)
    } else {
        to_text(&buffer)
    }
}

/// Plain text, one line per row, trailing spaces trimmed.
pub fn to_text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Text with SGR escapes, reset at the end of every line.
fn to_ansi(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut current = Style::reset();
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let style = cell.style();
            if style != current {
                let _ = write!(out, "{}", SetAttribute(Attribute::Reset));
                if let Some(fg) = style.fg.filter(|c| *c != Color::Reset) {
                    let _ = write!(out, "{}", SetForegroundColor(fg.into_crossterm()));
                }
                if let Some(bg) = style.bg.filter(|c| *c != Color::Reset) {
                    let _ = write!(out, "{}", SetBackgroundColor(bg.into_crossterm()));
                }
                for (modifier, attribute) in [
                    (Modifier::BOLD, Attribute::Bold),
                    (Modifier::DIM, Attribute::Dim),
                    (Modifier::ITALIC, Attribute::Italic),
                    (Modifier::UNDERLINED, Attribute::Underlined),
                    (Modifier::REVERSED, Attribute::Reverse),
                ] {
                    if style.add_modifier.contains(modifier) {
                        let _ = write!(out, "{}", SetAttribute(attribute));
                    }
                }
                current = style;
            }
            out.push_str(cell.symbol());
        }
        let _ = writeln!(out, "{}", SetAttribute(Attribute::Reset));
    }
    out
}
