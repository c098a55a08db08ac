//! Where pftui keeps its files, following XDG (`XDG_CONFIG_HOME`, `XDG_DATA_HOME`,
//! `XDG_STATE_HOME` are honoured).

use std::path::{Path, PathBuf};

use etcetera::BaseStrategy;

/// The three directories pftui uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Settings: `config.yaml` and the pftui-managed `contexts.yaml`.
    pub config: PathBuf,
    /// Durable data: the audit journals (the real one and the demo's).
    pub data: PathBuf,
    /// Disposable state: the trace log.
    pub state: PathBuf,
}

impl Paths {
    /// The platform's XDG directories (from the environment), each with a `pftui` folder.
    pub fn discover() -> Result<Self, String> {
        let base = etcetera::choose_base_strategy()
            .map_err(|e| format!("cannot find the home directory: {e}"))?;
        let state = base.state_dir().unwrap_or_else(|| base.data_dir());
        Ok(Self {
            config: base.config_dir().join("pftui"),
            data: base.data_dir().join("pftui"),
            state: state.join("pftui"),
        })
    }

    /// Everything under one folder (tests, portable setups).
    pub fn under(root: &Path) -> Self {
        Self {
            config: root.join("config"),
            data: root.join("data"),
            state: root.join("state"),
        }
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config.join("config.yaml")
    }

    /// The pftui-managed contexts file beside the default settings file.
    pub fn contexts_file(&self) -> PathBuf {
        self.config.join(super::MANAGED_FILE)
    }

    /// The opt-in credentials file (`pftui login --store file`), mode 0600.
    pub fn credentials_file(&self) -> PathBuf {
        self.data.join(crate::secrets::CREDENTIALS_FILE)
    }

    pub fn audit_file(&self) -> PathBuf {
        self.data.join("audit.jsonl")
    }

    /// The journal of `--demo` runs, apart from the real one.
    pub fn demo_audit_file(&self) -> PathBuf {
        self.data.join("demo-audit.jsonl")
    }

    pub fn trace_file(&self) -> PathBuf {
        self.state.join("pftui.log")
    }
}
