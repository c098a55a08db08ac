//! `pftui` without a subcommand: the full-screen console; and `pftui snapshot`, one frame
//! of it as text.

use std::sync::Arc;

use clap::Args;

use super::connect::{connect, open_context};
use super::output::out;
use super::{Failure, GlobalArgs};
use crate::tui;

pub async fn run(global: &GlobalArgs) -> Result<(), Failure> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return Err(Failure::setup(
            "the console needs a terminal; for scripts use `pftui status` or `pftui snapshot`",
        ));
    }
    let conn = connect(global).await?;
    let settings = conn.ops.settings().clone();
    let connector: tui::Connector =
        Arc::new(move |name: &str| open_context(&settings, name).map_err(|f| f.message));
    let ended = tui::run(tui::Launch {
        ops: conn.ops.clone(),
        themes_dir: Some(conn.paths.config.join("themes")),
        connector,
    })
    .await
    .map_err(|e| Failure::failed(format!("the terminal failed: {e}")))?;
    match ended {
        tui::Ended::Quit => Ok(()),
        // As a shell reports a process a signal ended: 128 + its number.
        tui::Ended::Signal(n) => Err(Failure {
            code: u8::try_from(128 + n).unwrap_or(u8::MAX),
            message: String::new(),
        }),
    }
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Width and height of the frame.
    #[arg(long, default_value = "120x40", value_parser = parse_size)]
    size: (u16, u16),
    /// Keep colours and emphasis as ANSI escape sequences.
    #[arg(long)]
    ansi: bool,
}

fn parse_size(raw: &str) -> Result<(u16, u16), String> {
    let (w, h) = raw
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{raw}' is not WIDTHxHEIGHT, e.g. 120x40"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u16>()
            .map_err(|_| format!("'{raw}' is not WIDTHxHEIGHT, e.g. 120x40"))
    };
    let (w, h) = (parse(w)?, parse(h)?);
    if !(20..=1000).contains(&w) || !(5..=500).contains(&h) {
        return Err(format!("{w}x{h} is outside 20x5 .. 1000x500"));
    }
    Ok((w, h))
}

pub async fn snapshot(global: &GlobalArgs, args: SnapshotArgs) -> Result<(), Failure> {
    let conn = connect(global).await?;
    let frame = tui::snapshot::snapshot(
        &conn.ops,
        Some(conn.paths.config.join("themes")),
        args.size,
        args.ansi,
    )
    .await?;
    out!("{frame}");
    Ok(())
}
