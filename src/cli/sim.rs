//! `pftui sim`: serve the simulators until interrupted.

use std::io::Write;
use std::net::SocketAddr;

use clap::Args;

use super::Failure;
use crate::sim::{self, SimConfig};

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Address to listen on; port 0 picks a free one (the printed exports carry it).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The Coolify API token to accept (with every ability), `<id>|<secret>`.
    #[arg(long)]
    token: Option<String>,
    /// Generate this many applications over many projects instead of the demo data set.
    #[arg(long)]
    apps: Option<usize>,
    /// Seed for every random choice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Run deployments this many times faster than real time.
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
}

pub async fn run(args: SimArgs) -> Result<(), Failure> {
    if !(args.speed.is_finite() && args.speed > 0.0) {
        return Err(Failure::setup("--speed must be a positive number"));
    }
    let defaults = SimConfig::default();
    let config = SimConfig {
        listen: args.listen,
        token: args.token.unwrap_or(defaults.token),
        apps: args.apps,
        seed: args.seed,
        speed: args.speed,
        ..defaults
    };
    let handle = sim::start(config)
        .await
        .map_err(|e| Failure::setup(format!("cannot listen on {}: {e}", args.listen)))?;
    {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(handle.exports().as_bytes());
        let _ = out.flush();
    }
    eprintln!(
        "pftui sim: Coolify at {}/api/v1, GitHub at {}; Ctrl-C stops it",
        handle.coolify_url(),
        handle.github_url()
    );
    wait_for_stop().await;
    handle.shutdown().await;
    Ok(())
}

/// Until Ctrl-C or SIGTERM.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
