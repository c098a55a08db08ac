//! The pftui-managed contexts file, beside the settings file (`contexts.yaml` next to
//! `config.yaml`). `pftui login` writes contexts and where it stored their credentials here,
//! so the user's hand-written settings file (and its comments) is never rewritten. Contexts
//! are merged on load; a hand-written context wins over a managed one of the same name.
//! Changes are read-modify-write under the file's lock ([`Managed::update`]), so concurrent
//! logins keep every context.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SettingsError;
use crate::secrets::{StoreKind, private, same_server};

/// The managed file's name beside the default `config.yaml`.
pub const MANAGED_FILE: &str = "contexts.yaml";

const HEADER: &str = "# Managed by pftui (`pftui login` / `pftui logout`): changes here may be overwritten.\n# Hand-written settings belong in the settings file beside this one; a context defined\n# there wins over one of the same name here. No secrets are kept in this file.\n";

/// Everything the managed file holds. No secrets: credentials live in their stores, this
/// only records which store login used for each account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Managed {
    /// Used when the settings file names no default context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_context: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<ManagedContext>,
    /// Account (`demo:coolify`) -> the store login put it in.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub credentials: BTreeMap<String, StoreKind>,
}

/// A context created by `pftui login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedContext {
    pub name: String,
    pub url: String,
}

/// What [`Managed::upsert_context`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upsert {
    Created,
    Updated { old_url: String },
    Unchanged,
}

/// A managed context hidden by a hand-written one of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub name: String,
    pub settings_url: String,
    pub managed_url: String,
}

impl Clash {
    /// Both files say the same thing; only a leftover, not a conflict.
    pub fn same_url(&self) -> bool {
        same_url(&self.settings_url, &self.managed_url)
    }

    /// One line for `contexts` and `doctor`.
    pub fn describe(&self, settings_file: &Path, managed_file: &Path) -> String {
        if self.same_url() {
            format!(
                "context '{}' is defined in both {} and {} with the same URL; the hand-written one is used",
                self.name,
                settings_file.display(),
                managed_file.display()
            )
        } else {
            format!(
                "context '{}' in {} ({}) is hidden by the hand-written one in {} ({}); remove one of them or rename it",
                self.name,
                managed_file.display(),
                self.managed_url,
                settings_file.display(),
                self.settings_url
            )
        }
    }
}

/// Whether two addresses name the same Coolify server, compared by their canonical form
/// (see [`crate::secrets::server`]): `http://localhost:8000/api/v1` is
/// `http://127.0.0.1:8000`. Every match of a URL to a context goes through here.
pub fn same_url(a: &str, b: &str) -> bool {
    same_server(a, b)
}

/// The managed file that belongs to the settings file at `settings_file`: `contexts.yaml`
/// beside `config.yaml`, `NAME.contexts.yaml` beside any other `NAME.yaml`.
pub fn managed_path_for(settings_file: &Path) -> PathBuf {
    let dir = settings_file.parent().unwrap_or(Path::new("."));
    let stem = settings_file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("config");
    if stem == "config" {
        dir.join(MANAGED_FILE)
    } else {
        dir.join(format!("{stem}.{MANAGED_FILE}"))
    }
}

impl Managed {
    /// Read the managed file; a missing file is an empty one.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(SettingsError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        if text.trim().is_empty() || text.lines().all(|l| l.trim_start().starts_with('#')) {
            return Ok(Self::default());
        }
        let managed: Managed = yaml_serde::from_str(&text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            SettingsError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "{} (this file is written by pftui login; remove it and log in again if it is damaged)",
                    super::clean_message(&e.to_string())
                ),
            }
        })?;
        managed.check().map_err(|message| SettingsError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(managed)
    }

    fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for c in &self.contexts {
            if c.name.trim().is_empty() {
                return Err("a context has an empty name".into());
            }
            if !seen.insert(c.name.to_ascii_lowercase()) {
                return Err(format!("context '{}' is defined twice", c.name));
            }
            super::check_url(&c.name, &c.url)?;
        }
        Ok(())
    }

    /// Read the file, change it with `change`, and write it back if it changed, holding the
    /// file's lock throughout: concurrent `pftui login` runs each keep their change.
    pub fn update<T>(
        path: &Path,
        change: impl FnOnce(&mut Managed) -> T,
    ) -> Result<T, SettingsError> {
        let _held = private::lock(path).map_err(|source| SettingsError::Write {
            path: path.to_path_buf(),
            source,
        })?;
        let mut managed = Self::load(path)?;
        let before = managed.clone();
        let out = change(&mut managed);
        if managed != before {
            managed.save(path)?;
        }
        Ok(out)
    }

    /// Write the file (atomically: a temporary file renamed over it), with its header.
    fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let body = yaml_serde::to_string(self).map_err(|e| SettingsError::Invalid {
            path: path.to_path_buf(),
            message: format!("cannot write the managed contexts: {e}"),
        })?;
        let body = if body.trim() == "{}" {
            String::new()
        } else {
            body
        };
        private::replace(path, format!("{HEADER}{body}").as_bytes()).map_err(|source| {
            SettingsError::Write {
                path: path.to_path_buf(),
                source,
            }
        })
    }

    pub fn context(&self, name: &str) -> Option<&ManagedContext> {
        self.contexts
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Create the context or point it at `url`.
    pub fn upsert_context(&mut self, name: &str, url: &str) -> Upsert {
        match self
            .contexts
            .iter_mut()
            .find(|c| c.name.eq_ignore_ascii_case(name))
        {
            Some(c) if same_url(&c.url, url) => Upsert::Unchanged,
            Some(c) => {
                let old_url = std::mem::replace(&mut c.url, url.to_string());
                Upsert::Updated { old_url }
            }
            None => {
                self.contexts.push(ManagedContext {
                    name: name.to_string(),
                    url: url.to_string(),
                });
                Upsert::Created
            }
        }
    }

    /// Remove a managed context (and the default, if it was this one).
    pub fn remove_context(&mut self, name: &str) -> bool {
        let before = self.contexts.len();
        self.contexts.retain(|c| !c.name.eq_ignore_ascii_case(name));
        if self
            .default_context
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case(name))
        {
            self.default_context = None;
        }
        self.contexts.len() != before
    }

    /// Note where login stored `account`.
    pub fn record(&mut self, account: &str, store: StoreKind) {
        self.credentials.insert(account.to_string(), store);
    }

    /// Forget where `account` was stored; what was recorded, if anything.
    pub fn forget(&mut self, account: &str) -> Option<StoreKind> {
        self.credentials.remove(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_managed_file_sits_beside_the_settings_file() {
        assert_eq!(
            managed_path_for(Path::new("/h/.config/pftui/config.yaml")),
            Path::new("/h/.config/pftui/contexts.yaml")
        );
        assert_eq!(
            managed_path_for(Path::new("/etc/pftui/ops.yaml")),
            Path::new("/etc/pftui/ops.contexts.yaml")
        );
    }

    #[test]
    fn save_and_load_round_trip_with_a_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pftui/contexts.yaml");
        assert_eq!(Managed::load(&path).unwrap(), Managed::default());
        let mut m = Managed::default();
        assert_eq!(
            m.upsert_context("demo", "http://127.0.0.1:1"),
            Upsert::Created
        );
        assert_eq!(
            m.upsert_context("DEMO", "http://127.0.0.1:1/"),
            Upsert::Unchanged
        );
        assert_eq!(
            m.upsert_context("demo", "http://127.0.0.1:2"),
            Upsert::Updated {
                old_url: "http://127.0.0.1:1".into()
            }
        );
        m.default_context = Some("demo".into());
        m.record("demo:coolify", StoreKind::Keyring);
        m.record("*:github", StoreKind::Keyutils);
        Managed::update(&path, |on_disk| *on_disk = m.clone()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# Managed by pftui"), "{text}");
        assert!(text.contains("demo:coolify: keyring"), "{text}");
        assert_eq!(Managed::load(&path).unwrap(), m);
        assert_eq!(m.forget("demo:coolify"), Some(StoreKind::Keyring));
        assert!(m.remove_context("Demo"));
        assert!(m.default_context.is_none());
        assert!(!m.remove_context("demo"));
    }

    #[test]
    fn a_damaged_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contexts.yaml");
        std::fs::write(&path, "contexts:\n  - name: a\n    url: ftp://x\n").unwrap();
        let err = Managed::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("contexts.yaml") && err.contains("http(s)"),
            "{err}"
        );
        std::fs::write(&path, "contexts: 3\n").unwrap();
        let err = Managed::load(&path).unwrap_err().to_string();
        assert!(err.contains("pftui login"), "{err}");
        std::fs::write(&path, "# only the header\n").unwrap();
        assert_eq!(Managed::load(&path).unwrap(), Managed::default());
    }

    #[test]
    fn concurrent_updates_keep_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pftui/contexts.yaml");
        let threads: Vec<_> = (0..8)
            .map(|n| {
                let path = path.clone();
                std::thread::spawn(move || {
                    Managed::update(&path, |m| {
                        let name = format!("ctx{n}");
                        m.upsert_context(&name, &format!("http://127.0.0.1:{}", 8000 + n));
                        m.record(&format!("{name}:coolify"), StoreKind::File);
                    })
                    .unwrap();
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let m = Managed::load(&path).unwrap();
        assert_eq!(m.contexts.len(), 8, "{m:?}");
        assert_eq!(m.credentials.len(), 8, "{m:?}");
    }

    #[test]
    fn contexts_match_by_canonical_address() {
        let mut m = Managed::default();
        m.upsert_context("lab", "http://127.0.0.1:8000");
        assert_eq!(
            m.upsert_context("lab", "http://localhost:8000/api/v1"),
            Upsert::Unchanged
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contexts.yaml");
        std::fs::write(
            &path,
            "contexts:\n  - name: a\n    url: https://u:hunter2@x.example.com\n",
        )
        .unwrap();
        let err = Managed::load(&path).unwrap_err().to_string();
        assert!(
            !err.contains("hunter2") && err.contains("user:password@"),
            "{err}"
        );
    }
}
