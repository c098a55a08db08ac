//! Tracing goes to a file in the state directory (`$XDG_STATE_HOME/pftui/pftui.log`, mode
//! 0600), never to the screen, with every known secret value and secret-shaped string
//! masked. `PFTUI_LOG` sets the filter (default `pftui=info`).

use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::settings::Paths;

/// Start writing traces; silently does nothing when the state directory is not writable
/// (tracing must never stop a command).
pub fn init() {
    let Ok(paths) = Paths::discover() else {
        return;
    };
    let Ok(file) = crate::secrets::private::open_append(&paths.trace_file()) else {
        return;
    };
    let filter =
        EnvFilter::try_from_env("PFTUI_LOG").unwrap_or_else(|_| EnvFilter::new("pftui=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(crate::secrets::RedactingWriter::new(file)))
        .with_ansi(false)
        .try_init();
}
