//! The opt-in credentials file: for machines with no usable keyring, only when the user asks
//! for it (`pftui login --store file`). A YAML map `account: secret`, mode 0600, replaced
//! atomically under a lock (concurrent logins keep every entry); a file other users may read
//! is refused, as ssh refuses such keys.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use super::private;
use super::store::StoreError;

/// The file's name in the data directory.
pub const FILE_NAME: &str = "credentials.yaml";

const HEADER: &str = "# pftui credentials, written by `pftui login --store file` (mode 0600).\n# These are secrets: keep this file private; `pftui logout` removes entries.\n";

/// The credentials file at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `credentials.yaml` in `dir` (pftui's data directory).
    pub fn in_dir(dir: &Path) -> Self {
        Self::new(dir.join(FILE_NAME))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The user consented to the file store once: the file exists.
    pub fn exists(&self) -> bool {
        self.path.is_file()
    }

    /// The secret filed under `account`; `None` when the file or the entry is absent.
    pub fn get(&self, account: &str) -> Result<Option<SecretString>, StoreError> {
        Ok(self.read()?.remove(account))
    }

    /// File `secret` under `account` (creates the file, 0600).
    pub fn set(&self, account: &str, secret: &SecretString) -> Result<(), StoreError> {
        let _held = private::lock(&self.path).map_err(|e| self.error(e))?;
        let mut all = self.read()?;
        all.insert(account.to_string(), secret.clone());
        self.write(&all)
    }

    /// Remove `account`; `false` when it was not there. The file goes when it is empty.
    pub fn delete(&self, account: &str) -> Result<bool, StoreError> {
        let _held = private::lock(&self.path).map_err(|e| self.error(e))?;
        let mut all = self.read()?;
        if all.remove(account).is_none() {
            return Ok(false);
        }
        if all.is_empty() {
            std::fs::remove_file(&self.path).map_err(|e| self.error(e))?;
            return Ok(true);
        }
        self.write(&all)?;
        Ok(true)
    }

    /// The accounts filed (never the secrets).
    pub fn accounts(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.read()?.into_keys().collect())
    }

    /// Whether the file can be used: absent, or present with private permissions.
    pub fn check(&self) -> Result<(), StoreError> {
        self.read().map(|_| ())
    }

    fn read(&self) -> Result<BTreeMap<String, SecretString>, StoreError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(self.error(e)),
        };
        self.check_mode()?;
        if text.trim().is_empty() {
            return Ok(BTreeMap::new());
        }
        let raw: BTreeMap<String, String> =
            yaml_serde::from_str(&text).map_err(|e| StoreError::File {
                path: self.path.clone(),
                // The parser's message may quote the file; say only where it failed.
                detail: match e.location() {
                    Some(l) => format!(
                        "not a map of account to secret (line {}, column {}); fix or remove it",
                        l.line(),
                        l.column()
                    ),
                    None => "not a map of account to secret; fix or remove it".into(),
                },
            })?;
        Ok(raw
            .into_iter()
            .map(|(k, v)| (k, SecretString::from(v)))
            .collect())
    }

    fn write(&self, all: &BTreeMap<String, SecretString>) -> Result<(), StoreError> {
        let mut text = String::from(HEADER);
        for (account, secret) in all {
            // JSON strings are valid YAML scalars and quote anything odd.
            let key = serde_json::to_string(account).map_err(|e| self.error(e))?;
            let value = serde_json::to_string(secret.expose_secret()).map_err(|e| self.error(e))?;
            text.push_str(&format!("{key}: {value}\n"));
        }
        private::replace(&self.path, text.as_bytes()).map_err(|e| self.error(e))
    }

    #[cfg(unix)]
    fn check_mode(&self) -> Result<(), StoreError> {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&self.path)
            .map_err(|e| self.error(e))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(StoreError::FileTooOpen {
                path: self.path.clone(),
                mode,
            });
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn check_mode(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn error(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::File {
            path: self.path.clone(),
            detail: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_removal() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(&dir.path().join("data"));
        assert!(!store.exists());
        assert!(store.get("demo:coolify").unwrap().is_none());
        store
            .set("demo:coolify", &SecretString::from("1|a\"b: c"))
            .unwrap();
        store.set("*:github", &SecretString::from("ghp_x")).unwrap();
        assert!(store.exists());
        assert_eq!(
            store.get("demo:coolify").unwrap().unwrap().expose_secret(),
            "1|a\"b: c"
        );
        assert_eq!(store.accounts().unwrap(), vec!["*:github", "demo:coolify"]);
        assert!(store.delete("demo:coolify").unwrap());
        assert!(!store.delete("demo:coolify").unwrap());
        assert!(store.delete("*:github").unwrap());
        assert!(!store.exists(), "an empty file is removed");
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_0600_and_an_open_one_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(dir.path());
        store.set("a:coolify", &SecretString::from("t")).unwrap();
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.get("a:coolify").unwrap_err();
        assert!(
            matches!(err, StoreError::FileTooOpen { mode: 0o644, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("chmod 600"));
        // Rewriting keeps it private again.
        std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        store.set("b:coolify", &SecretString::from("u")).unwrap();
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_broken_file_is_reported_without_quoting_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(dir.path());
        std::fs::write(store.path(), "- s3cr3t-in-a-list\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let err = store.get("a:coolify").unwrap_err().to_string();
        assert!(err.contains("not a map"), "{err}");
        assert!(!err.contains("s3cr3t"), "{err}");
    }
}
