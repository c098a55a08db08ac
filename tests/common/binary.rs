//! The `pftui` binary as a script runs it: a clean environment, private XDG directories,
//! pointed at a simulator.

use std::process::{Command, Output};

use pftui::sim::SimHandle;

/// The binary with a clean environment: no inherited Coolify settings, private XDG dirs.
pub fn pftui(home: &tempfile::TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pftui"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("NO_COLOR", "1");
    cmd
}

/// Fast polls and health checks through the simulator, for tests.
pub const FAST: &str = "refresh: { interval: 1, while_deploying: 0.5 }\nhealth: { tries: 3, interval: 0.2, timeout: 2 }\n";

/// The binary pointed at `sim` with `token`, with [`FAST`] settings.
pub fn against(home: &tempfile::TempDir, sim: &SimHandle, token: &str) -> Command {
    against_with(home, sim, token, FAST)
}

/// The binary pointed at `sim` with `token`, with these settings.
pub fn against_with(
    home: &tempfile::TempDir,
    sim: &SimHandle,
    token: &str,
    settings: &str,
) -> Command {
    let file = home.path().join("config/pftui/config.yaml");
    std::fs::create_dir_all(file.parent().expect("a parent")).expect("config dir");
    std::fs::write(&file, settings).expect("settings written");
    let mut cmd = pftui(home);
    cmd.env("COOLIFY_BASE_URL", sim.coolify_url())
        .env("COOLIFY_API_TOKEN", token)
        .env("PFTUI_HEALTH_VIA", sim.health_base())
        .env("GITHUB_API_URL", sim.github_url())
        .env("GITHUB_TOKEN", sim.github_token());
    cmd
}

/// Run a command off the async runtime (the simulator keeps serving meanwhile).
pub async fn run(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("pftui runs"))
        .await
        .expect("the command's task ends")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
