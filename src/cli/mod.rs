//! The command-line surface (names are stable: scripts and tests rely on them) and dispatch.
//! Each subcommand's presentation lives in its own file; the work is done below.
//! Standard output is written through `output` (never `println!`, which panics on a closed
//! pipe).

#![deny(clippy::disallowed_macros)]

mod act;
mod agent;
mod audit;
mod config;
mod config_diff;
mod connect;
mod console;
mod contexts;
mod doctor;
mod failure;
mod history;
mod login;
mod logs;
mod operation;
mod output;
mod progress;
mod sim;
mod status;
mod trace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub use failure::{Failure, exit};

/// pftui: a terminal operations console and scriptable CLI for the PF-CORE platform on Coolify.
#[derive(Debug, Parser)]
#[command(name = "pftui", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[cfg(test)]
impl GlobalArgs {
    /// Options as a test gives them: a context and a URL, or neither.
    pub(crate) fn for_tests(context: Option<&str>, url: Option<&str>) -> Self {
        Self {
            demo: false,
            context: context.map(str::to_string),
            url: url.map(str::to_string),
            config: None,
            config_dir: None,
        }
    }
}

/// Options every subcommand understands, before or after its name.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Run against the embedded demo simulator (nothing else needed).
    #[arg(long, global = true)]
    pub demo: bool,
    /// The settings context to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Coolify's address, e.g. https://coolify.example.com (default: COOLIFY_BASE_URL). A
    /// context whose server it is lends its settings and token.
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// The settings file (default: $XDG_CONFIG_HOME/pftui/config.yaml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The platform configuration repository for `pftui config` (default: the settings'
    /// platform.config_dir, else ./config).
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the Coolify and GitHub simulators on loopback; prints `export` lines first.
    Sim(sim::SimArgs),
    /// Every project, environment and resource with its status.
    Status(status::StatusArgs),
    /// The operations of the catalogue: deploy, restart, stop, start, cancel, promote,
    /// rollback.
    #[command(flatten)]
    Operation(operation::Operation),
    /// A deployment's build log, or the running container's log.
    Logs(logs::LogsArgs),
    /// An application's recent deployments.
    History(history::HistoryArgs),
    /// Render the dashboard once, after the first full load, to standard output.
    Snapshot(console::SnapshotArgs),
    /// The journal of executed operations.
    Audit(audit::AuditArgs),
    /// Check a token against Coolify, store it in the OS keyring, create or update the context.
    Login(login::LoginArgs),
    /// Remove what `pftui login` stored.
    Logout(login::LogoutArgs),
    /// The contexts: where each is defined and where its Coolify token is stored.
    Contexts,
    /// Check settings, directories, the keyring and every context; exit 2 on a problem.
    Doctor(doctor::DoctorArgs),
    /// Ask in plain language; proposed operations run only once confirmed.
    Agent(agent::AgentArgs),
    /// The platform configuration (pf-core, instances, products): check, show, export-env.
    Config(config::ConfigArgs),
}

/// Parse the command line, run, and turn the outcome into the process's exit code.
pub fn main() -> ExitCode {
    // First: the console's terminal-restoring hook chains into this one.
    crate::secrets::install_panic_scrubber();
    let cli = Cli::parse();
    if cli.command.is_none() {
        crate::tui::memory::one_arena();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return exit(Err(Failure::setup(format!(
                "cannot start the async runtime: {e}"
            ))));
        }
    };
    exit(runtime.block_on(run(cli)))
}

async fn run(cli: Cli) -> Result<(), Failure> {
    trace::init();
    tracing::info!(command = ?cli.command.as_ref().map(command_name), "pftui {}", env!("CARGO_PKG_VERSION"));
    let Some(command) = cli.command else {
        return console::run(&cli.global).await;
    };
    match command {
        Command::Sim(args) => sim::run(args).await,
        Command::Status(args) => status::run(&cli.global, args).await,
        Command::Operation(op) => act::act(&cli.global, op).await,
        Command::Audit(args) => audit::run(&cli.global, args),
        Command::Logs(args) => logs::run(&cli.global, args).await,
        Command::History(args) => history::run(&cli.global, args).await,
        Command::Snapshot(args) => console::snapshot(&cli.global, args).await,
        Command::Login(args) => login::login(&cli.global, args).await,
        Command::Logout(args) => login::logout(&cli.global, args).await,
        Command::Contexts => contexts::run(&cli.global).await,
        Command::Doctor(args) => doctor::run(&cli.global, args).await,
        Command::Agent(args) => agent::run(&cli.global, args).await,
        Command::Config(args) => config::run(&cli.global, args).await,
    }
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Sim(_) => "sim",
        Command::Status(_) => "status",
        Command::Operation(op) => op.request.kind.name(),
        Command::Audit(_) => "audit",
        Command::Logs(_) => "logs",
        Command::History(_) => "history",
        Command::Snapshot(_) => "snapshot",
        Command::Login(_) => "login",
        Command::Logout(_) => "logout",
        Command::Contexts => "contexts",
        Command::Doctor(_) => "doctor",
        Command::Agent(_) => "agent",
        Command::Config(_) => "config",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli = Cli::try_parse_from(["pftui", "status", "--demo", "--output", "json"]).unwrap();
        assert!(cli.global.demo);
        let cli = Cli::try_parse_from(["pftui", "--context", "prod", "deploy", "air", "staging"])
            .unwrap();
        assert_eq!(cli.global.context.as_deref(), Some("prod"));
        let cli =
            Cli::try_parse_from(["pftui", "config", "check", "--config-dir", "/srv/pf"]).unwrap();
        assert_eq!(cli.global.config_dir, Some(PathBuf::from("/srv/pf")));
    }
}
