//! The keyring stores (the OS keyring, kernel keyutils, or keyring-core's mock in tests),
//! reached off the async runtime with a timeout: a locked keyring can block indefinitely
//! waiting for an unlock prompt nobody will answer.
//!
//! Every call runs on its own short-lived thread and the caller waits at most the timeout.
//! A dedicated thread rather than tokio's blocking pool: a call that never returns must not
//! keep the runtime (and so the process) from shutting down.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};
use secrecy::{ExposeSecret, SecretString};

use super::store::{KEYRING_SERVICE, StoreError, StoreKind, classify, store_name};

/// How long one keyring call may take before it is reported as timed out.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable that overrides [`DEFAULT_TIMEOUT`], in seconds.
pub const TIMEOUT_VAR: &str = "PFTUI_KEYRING_TIMEOUT";

type Opener = dyn Fn() -> keyring_core::Result<Arc<CredentialStore>> + Send + Sync;

/// One keyring-backed credential store, opened on first use.
#[derive(Clone)]
pub struct Keyring {
    kind: StoreKind,
    opener: Arc<Opener>,
    opened: Arc<Mutex<Option<Arc<CredentialStore>>>>,
    timeout: Duration,
    /// Label items and add an `account` attribute (Secret Service only).
    decorate: bool,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("kind", &self.kind)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Keyring {
    /// The operating system's keyring: Secret Service on Linux, Keychain on macOS,
    /// Credential Manager on Windows.
    pub fn native() -> Self {
        Self::with_opener(StoreKind::Keyring, open_native).decorated(cfg!(target_os = "linux"))
    }

    /// The Linux kernel's keyutils store (session keyring, linked to the persistent one).
    pub fn keyutils() -> Self {
        Self::with_opener(StoreKind::Keyutils, open_keyutils)
    }

    /// A store built by `opener` on first use (tests: keyring-core's mock store, or a
    /// failing opener to stand in for a missing session bus).
    pub fn with_opener(
        kind: StoreKind,
        opener: impl Fn() -> keyring_core::Result<Arc<CredentialStore>> + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind,
            opener: Arc::new(opener),
            opened: Arc::new(Mutex::new(None)),
            timeout: timeout_from_env(),
            decorate: false,
        }
    }

    /// An already open store.
    pub fn from_store(kind: StoreKind, store: Arc<CredentialStore>) -> Self {
        Self::with_opener(kind, move || Ok(store.clone()))
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn decorated(mut self, on: bool) -> Self {
        self.decorate = on;
        self
    }

    pub fn kind(&self) -> StoreKind {
        self.kind
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The secret filed under `account`, `None` when there is none.
    pub fn get_blocking(&self, account: &str) -> Result<Option<SecretString>, StoreError> {
        let job = self.job();
        let account = account.to_string();
        off_thread(self.kind, self.timeout, move || job.get(&account))
    }

    /// File `secret` under `account`, replacing what was there.
    pub fn set_blocking(&self, account: &str, secret: &SecretString) -> Result<(), StoreError> {
        let job = self.job();
        let account = account.to_string();
        let secret = secret.clone();
        off_thread(self.kind, self.timeout, move || job.set(&account, &secret))
    }

    /// Remove what is filed under `account`; `false` when there was nothing.
    pub fn delete_blocking(&self, account: &str) -> Result<bool, StoreError> {
        let job = self.job();
        let account = account.to_string();
        off_thread(self.kind, self.timeout, move || job.delete(&account))
    }

    /// Whether the store can be reached and read (looks up an account nobody uses).
    pub fn probe_blocking(&self) -> Result<(), StoreError> {
        self.get_blocking("pftui-probe:none").map(|_| ())
    }

    pub async fn get(&self, account: &str) -> Result<Option<SecretString>, StoreError> {
        let job = self.job();
        let account = account.to_string();
        off_runtime(self.kind, self.timeout, move || job.get(&account)).await
    }

    pub async fn set(&self, account: &str, secret: &SecretString) -> Result<(), StoreError> {
        let job = self.job();
        let account = account.to_string();
        let secret = secret.clone();
        off_runtime(self.kind, self.timeout, move || job.set(&account, &secret)).await
    }

    pub async fn delete(&self, account: &str) -> Result<bool, StoreError> {
        let job = self.job();
        let account = account.to_string();
        off_runtime(self.kind, self.timeout, move || job.delete(&account)).await
    }

    pub async fn probe(&self) -> Result<(), StoreError> {
        self.get("pftui-probe:none").await.map(|_| ())
    }

    fn job(&self) -> Job {
        Job {
            kind: self.kind,
            opener: self.opener.clone(),
            opened: self.opened.clone(),
            decorate: self.decorate,
        }
    }
}

/// What a worker thread needs: everything owned, nothing borrowed.
struct Job {
    kind: StoreKind,
    opener: Arc<Opener>,
    opened: Arc<Mutex<Option<Arc<CredentialStore>>>>,
    decorate: bool,
}

impl Job {
    fn store(&self) -> Result<Arc<CredentialStore>, StoreError> {
        let mut opened = self.opened.lock().map_err(|_| StoreError::Failed {
            store: store_name(self.kind),
            detail: "an earlier keyring call panicked".into(),
        })?;
        if let Some(store) = opened.as_ref() {
            return Ok(store.clone());
        }
        let store = (self.opener)().map_err(|e| classify(self.kind, &e))?;
        *opened = Some(store.clone());
        Ok(store)
    }

    fn entry(&self, account: &str) -> Result<Entry, StoreError> {
        let store = self.store()?;
        let built = if self.decorate {
            let label = format!("pftui: {account}");
            let modifiers = HashMap::from([("label", label.as_str())]);
            Entry::new_in_store_with_modifiers(&store, KEYRING_SERVICE, account, &modifiers)
        } else {
            Entry::new_in_store(&store, KEYRING_SERVICE, account)
        };
        built.map_err(|e| classify(self.kind, &e))
    }

    fn get(&self, account: &str) -> Result<Option<SecretString>, StoreError> {
        match self.entry(account)?.get_password() {
            Ok(value) => Ok(Some(SecretString::from(value))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(self.kind, &e)),
        }
    }

    fn set(&self, account: &str, secret: &SecretString) -> Result<(), StoreError> {
        let entry = self.entry(account)?;
        entry
            .set_password(secret.expose_secret())
            .map_err(|e| classify(self.kind, &e))?;
        if self.decorate {
            // `account` beside the store's own `username` attribute, so third-party tools
            // find it by the name pftui uses; cosmetic, so a refusal is not an error.
            let attrs = HashMap::from([("account", account)]);
            if let Err(e) = entry.update_attributes(&attrs) {
                tracing::debug!(error = %e, "could not add the account attribute");
            }
        }
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<bool, StoreError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(classify(self.kind, &e)),
        }
    }
}

fn timeout_from_env() -> Duration {
    std::env::var(TIMEOUT_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 3600.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// Run `work` on its own thread; wait at most `timeout` for it (blocking the caller).
fn off_thread<T: Send + 'static>(
    kind: StoreKind,
    timeout: Duration,
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    spawn(kind, move || {
        let _ = tx.send(work());
    })?;
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(StoreError::TimedOut {
            store: store_name(kind),
            after: timeout,
        }),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(crashed(kind)),
    }
}

/// Run `work` on its own thread; the async caller waits at most `timeout` without blocking
/// the runtime.
async fn off_runtime<T: Send + 'static>(
    kind: StoreKind,
    timeout: Duration,
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    spawn(kind, move || {
        let _ = tx.send(work());
    })?;
    match tokio::time::timeout(timeout, rx).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(crashed(kind)),
        Err(_) => Err(StoreError::TimedOut {
            store: store_name(kind),
            after: timeout,
        }),
    }
}

fn spawn(kind: StoreKind, f: impl FnOnce() + Send + 'static) -> Result<(), StoreError> {
    std::thread::Builder::new()
        .name("pftui-keyring".into())
        .spawn(f)
        .map(|_| ())
        .map_err(|e| StoreError::Failed {
            store: store_name(kind),
            detail: format!("cannot start a thread for the keyring call: {e}"),
        })
}

fn crashed(kind: StoreKind) -> StoreError {
    StoreError::Failed {
        store: store_name(kind),
        detail: "the keyring call panicked".into(),
    }
}

#[cfg(target_os = "linux")]
fn open_native() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = dbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn open_native() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn open_native() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn open_native() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "pftui has no OS keyring support on this platform".into(),
    ))
}

#[cfg(target_os = "linux")]
fn open_keyutils() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = linux_keyutils_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(target_os = "linux"))]
fn open_keyutils() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "the kernel keyutils store exists only on Linux".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyring_core::mock;

    fn mock_keyring() -> (Keyring, Arc<mock::Store>) {
        let store = mock::Store::new().unwrap();
        (
            Keyring::from_store(StoreKind::Keyring, store.clone()),
            store,
        )
    }

    #[test]
    fn set_get_delete_round_trip() {
        let (k, _) = mock_keyring();
        assert!(k.get_blocking("demo:coolify").unwrap().is_none());
        k.set_blocking("demo:coolify", &SecretString::from("1|abc"))
            .unwrap();
        assert_eq!(
            k.get_blocking("demo:coolify")
                .unwrap()
                .unwrap()
                .expose_secret(),
            "1|abc"
        );
        assert!(k.delete_blocking("demo:coolify").unwrap());
        assert!(!k.delete_blocking("demo:coolify").unwrap());
        assert!(k.get_blocking("demo:coolify").unwrap().is_none());
    }

    #[tokio::test]
    async fn the_async_calls_agree() {
        let (k, _) = mock_keyring();
        k.set("a:github", &SecretString::from("ghp_1"))
            .await
            .unwrap();
        assert_eq!(
            k.get("a:github").await.unwrap().unwrap().expose_secret(),
            "ghp_1"
        );
        k.probe().await.unwrap();
        assert!(k.delete("a:github").await.unwrap());
    }

    #[test]
    fn errors_from_the_store_are_typed() {
        let (k, store) = mock_keyring();
        k.set_blocking("x:coolify", &SecretString::from("t"))
            .unwrap();
        let entry = Entry::new_in_store(
            &(store.clone() as Arc<CredentialStore>),
            KEYRING_SERVICE,
            "x:coolify",
        )
        .unwrap();
        let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(keyring_core::Error::NoStorageAccess(
            "Secret Service: object locked".into(),
        ));
        assert!(matches!(
            k.get_blocking("x:coolify"),
            Err(StoreError::Locked { .. })
        ));
        cred.set_error(keyring_core::Error::NoStorageAccess(
            "Secret Service: unlock prompt was dismissed".into(),
        ));
        assert!(matches!(
            k.set_blocking("x:coolify", &SecretString::from("u")),
            Err(StoreError::AccessDenied { .. })
        ));
        // The error is gone after one call; the value survived.
        assert_eq!(
            k.get_blocking("x:coolify")
                .unwrap()
                .unwrap()
                .expose_secret(),
            "t"
        );
    }

    #[test]
    fn a_store_that_cannot_open_says_why() {
        let k = Keyring::with_opener(StoreKind::Keyring, || {
            Err(keyring_core::Error::PlatformFailure(
                "DBus error: Unable to autolaunch a dbus-daemon without a $DISPLAY for X11".into(),
            ))
        });
        assert!(matches!(
            k.probe_blocking(),
            Err(StoreError::NoSessionBus { .. })
        ));
        assert!(matches!(
            k.set_blocking("a:coolify", &SecretString::from("t")),
            Err(StoreError::NoSessionBus { .. })
        ));
    }

    #[tokio::test]
    async fn a_store_that_never_answers_times_out() {
        // The opener blocks until the test ends (the sender is dropped then), like a
        // keyring waiting on an unlock prompt.
        let (gate_tx, gate_rx) = std::sync::mpsc::channel::<()>();
        let gate_rx = Mutex::new(gate_rx);
        let k = Keyring::with_opener(StoreKind::Keyring, move || {
            let _ = gate_rx.lock().map(|rx| rx.recv());
            Err(keyring_core::Error::NoDefaultStore)
        })
        .with_timeout(Duration::from_millis(50));
        let err = k.get("a:coolify").await.unwrap_err();
        assert!(matches!(err, StoreError::TimedOut { .. }), "{err}");
        let err = k.get_blocking("a:coolify").unwrap_err();
        assert!(matches!(err, StoreError::TimedOut { .. }), "{err}");
        drop(gate_tx);
    }
}
