//! Where stored credentials live, and every way reaching them can fail.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Service;

/// The service name every stored pftui credential is filed under (Secret Service attribute
/// `service`, Keychain service, Credential Manager target prefix, keyutils description).
pub const KEYRING_SERVICE: &str = "pftui";

/// The account a credential is filed under: `<context>:<service>`, e.g. `demo:coolify`.
pub fn account(context: &str, service: Service) -> String {
    format!("{context}:{}", service.as_str())
}

/// The environment variable that holds a context's own Coolify token: `PFTUI_<CONTEXT>_TOKEN`,
/// the name upper-cased with every character other than a letter or digit as `_`
/// (`pf-core.lab` -> `PFTUI_PF_CORE_LAB_TOKEN`).
pub fn context_var(context: &str) -> String {
    format!("PFTUI_{}_TOKEN", variable_part(context))
}

/// The account a platform secret (`{secret: name}` in the platform configuration) is
/// filed under: `platform:<name>`.
pub fn platform_account(name: &str) -> String {
    format!("platform:{name}")
}

/// The environment variable that holds a platform secret: `PFTUI_SECRET_<NAME>`
/// (`supabase_service_key` -> `PFTUI_SECRET_SUPABASE_SERVICE_KEY`).
pub fn platform_var(name: &str) -> String {
    format!("PFTUI_SECRET_{}", variable_part(name))
}

/// A name as part of an environment variable: upper-cased, other characters than
/// letters and digits as `_`.
fn variable_part(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The context name under which GitHub and model keys shared by every context are filed
/// (`*:github`). Coolify tokens always belong to one context.
pub const SHARED_CONTEXT: &str = "*";

/// A place credentials can be stored in. `Keyring` is the operating system's own store
/// (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows); the other
/// two are opt-in only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    #[default]
    Keyring,
    /// The Linux kernel's key retention service: always there, forgets at reboot.
    Keyutils,
    /// A 0600 file in the data directory, only with explicit consent (`--store file`).
    File,
}

impl StoreKind {
    pub const ALL: [StoreKind; 3] = [Self::Keyring, Self::Keyutils, Self::File];

    /// The name used on the command line and in the managed contexts file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keyring => "keyring",
            Self::Keyutils => "keyutils",
            Self::File => "file",
        }
    }

    /// What the user sees: which concrete store this is on this platform.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Keyring => native_name(),
            Self::Keyutils => "kernel keyutils store (forgotten at reboot)",
            Self::File => "credentials file (opt-in, 0600)",
        }
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StoreKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "keyring" | "os" | "native" => Ok(Self::Keyring),
            "keyutils" | "kernel" => Ok(Self::Keyutils),
            "file" => Ok(Self::File),
            other => Err(format!(
                "unknown credential store '{other}' (expected keyring, keyutils or file)"
            )),
        }
    }
}

/// The operating system's keyring, by its usual name.
pub fn native_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else {
        "OS keyring (Secret Service)"
    }
}

/// Why a credential store could not be used. Messages never contain a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No D-Bus session bus to talk to (typical over SSH and on headless servers).
    #[error("no D-Bus session bus is reachable, so the OS keyring cannot be used ({detail})")]
    NoSessionBus { detail: String },

    /// A session bus, but nothing on it provides the Secret Service.
    #[error("no Secret Service is running on the session bus ({detail})")]
    NoSecretService { detail: String },

    /// The keyring (or the collection holding pftui's items) is locked.
    #[error("the keyring is locked ({detail})")]
    Locked { detail: String },

    /// The store did not answer in time (a locked keyring may be waiting for a prompt).
    #[error(
        "the {store} did not answer within {}s (a locked keyring may be waiting for an unlock prompt)",
        .after.as_secs()
    )]
    TimedOut {
        store: &'static str,
        after: Duration,
    },

    /// The store refused access (a dismissed prompt, a policy, a permission).
    #[error("access to the {store} was denied ({detail})")]
    AccessDenied { store: &'static str, detail: String },

    /// This platform has no such store.
    #[error("the {store} is not available on this platform")]
    Unsupported { store: &'static str },

    /// The credentials file could not be read or written.
    #[error("credentials file {}: {detail}", .path.display())]
    File { path: PathBuf, detail: String },

    /// The credentials file may be read by other users; it is not used until fixed.
    #[error(
        "credentials file {} is readable by other users (mode {mode:03o}); run `chmod 600 {}`",
        .path.display(),
        .path.display()
    )]
    FileTooOpen { path: PathBuf, mode: u32 },

    /// Anything else the store reported.
    #[error("the {store} failed: {detail}")]
    Failed { store: &'static str, detail: String },
}

impl StoreError {
    /// What the user can do, each a complete sentence; `var` is the service's environment
    /// variable (e.g. `COOLIFY_API_TOKEN`).
    pub fn fixes(&self, var: &str) -> Vec<String> {
        let env = format!(
            "set {var} in the environment (it is used before any store; fine for CI and scripts)"
        );
        let keyutils = "or opt in to the kernel keyutils store, which forgets at reboot: `pftui login --store keyutils`".to_string();
        let file = "or, with care, store it in a 0600 file: `pftui login --store file`".to_string();
        match self {
            Self::NoSessionBus { .. } | Self::NoSecretService { .. } => vec![
                env,
                "or start a Secret Service such as gnome-keyring in a D-Bus session (e.g. `dbus-run-session -- sh -c 'printf PASSWORD | gnome-keyring-daemon --unlock --components=secrets; exec $SHELL'`)".into(),
                keyutils,
                file,
            ],
            Self::Locked { .. } | Self::TimedOut { .. } => vec![
                env,
                "or unlock the keyring (e.g. `printf PASSWORD | gnome-keyring-daemon --unlock --replace --components=secrets`, or log in to the desktop session) and try again".into(),
                keyutils,
            ],
            Self::AccessDenied { store, .. } if *store == store_name(StoreKind::Keyutils) => vec![
                env,
                "or use another store: the kernel refused keyutils access (containers often block the keyctl system call), so try the OS keyring or `pftui login --store file`".into(),
            ],
            Self::AccessDenied { .. } => vec![
                env,
                "or unlock the keyring and allow pftui when asked (with no desktop to show the prompt: `printf PASSWORD | gnome-keyring-daemon --unlock --replace --components=secrets`)".into(),
                keyutils,
            ],
            Self::Unsupported { .. } => vec![env, file],
            Self::File { .. } | Self::FileTooOpen { .. } => {
                vec![env, "or fix the file as said above".into()]
            }
            Self::Failed { .. } => vec![env, keyutils],
        }
    }

    /// The store could not be reached at all (as opposed to one item failing).
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            Self::NoSessionBus { .. } | Self::NoSecretService { .. } | Self::Unsupported { .. }
        )
    }
}

/// Classify a keyring-core error into a typed [`StoreError`]. `NoEntry` is not an error for
/// callers and is handled before this.
pub(crate) fn classify(store: StoreKind, err: &keyring_core::Error) -> StoreError {
    use keyring_core::Error as E;
    let name = store_name(store);
    let detail = error_text(err);
    let lower = detail.to_ascii_lowercase();
    let session_bus = [
        "autolaunch",
        "dbus_session_bus_address",
        "failed to connect to socket",
        "no such file or directory",
        "connection refused",
        "org.freedesktop.dbus.error.noserver",
        "org.freedesktop.dbus.error.filenotfound",
        "address does not contain a colon",
        "unknown address type",
        "no dbus session",
        "session bus",
        "could not connect",
    ];
    let no_service = [
        "org.freedesktop.secrets",
        "serviceunknown",
        "not provided by any .service files",
        "secret service provider",
        "name has no owner",
    ];
    match err {
        E::NoStorageAccess(_) => {
            if lower.contains("dismissed") || lower.contains("denied") {
                StoreError::AccessDenied {
                    store: name,
                    detail,
                }
            } else {
                StoreError::Locked { detail }
            }
        }
        E::PlatformFailure(_) | E::NotSupportedByStore(_) => {
            if no_service.iter().any(|w| lower.contains(w)) {
                StoreError::NoSecretService { detail }
            } else if lower.contains("no dbus session or secret service") {
                if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
                    StoreError::NoSecretService { detail }
                } else {
                    StoreError::NoSessionBus { detail }
                }
            } else if store == StoreKind::Keyring && session_bus.iter().any(|w| lower.contains(w)) {
                StoreError::NoSessionBus { detail }
            } else if lower.contains("locked") {
                StoreError::Locked { detail }
            } else if lower.contains("access denied")
                || lower.contains("accessdenied")
                || lower.contains("permission denied")
                || lower.contains("not authorized")
                || lower.contains("notauthorized")
            {
                StoreError::AccessDenied {
                    store: name,
                    detail,
                }
            } else {
                StoreError::Failed {
                    store: name,
                    detail,
                }
            }
        }
        _ => StoreError::Failed {
            store: name,
            detail,
        },
    }
}

/// The store's name in messages.
pub(crate) fn store_name(store: StoreKind) -> &'static str {
    match store {
        StoreKind::Keyring => native_name(),
        StoreKind::Keyutils => "kernel keyutils store",
        StoreKind::File => "credentials file",
    }
}

/// An error and its causes on one line, without secrets (keyring errors never carry one;
/// `BadEncoding` carries the raw bytes, which are not shown).
fn error_text(err: &keyring_core::Error) -> String {
    use keyring_core::Error as E;
    match err {
        E::BadEncoding(_) => "the stored value is not text".into(),
        E::BadDataFormat(_, inner) => format!("the stored value is malformed: {inner}"),
        E::Ambiguous(items) => format!(
            "{} items match; remove the extra ones with your keyring's tool (e.g. secret-tool search --all service pftui)",
            items.len()
        ),
        _ => {
            let mut parts = vec![err.to_string()];
            let mut source = std::error::Error::source(err);
            while let Some(e) = source {
                let text = e.to_string();
                if !parts.iter().any(|p| p.contains(&text)) {
                    parts.push(text);
                }
                source = e.source();
            }
            parts.join(": ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyring_core::Error as E;

    fn platform(text: &str) -> E {
        E::PlatformFailure(text.to_string().into())
    }

    #[test]
    fn accounts_and_store_names() {
        assert_eq!(account("demo", Service::Coolify), "demo:coolify");
        assert_eq!(account(SHARED_CONTEXT, Service::Github), "*:github");
        assert_eq!(
            "Keyutils".parse::<StoreKind>().unwrap(),
            StoreKind::Keyutils
        );
        assert!(
            "vault"
                .parse::<StoreKind>()
                .unwrap_err()
                .contains("keyring")
        );
    }

    #[test]
    fn dbus_failures_are_classified() {
        let k = StoreKind::Keyring;
        assert!(matches!(
            classify(
                k,
                &platform(
                    "DBus error: Unable to autolaunch a dbus-daemon without a $DISPLAY for X11"
                )
            ),
            StoreError::NoSessionBus { .. }
        ));
        assert!(matches!(
            classify(
                k,
                &platform(
                    "DBus error: Failed to connect to socket /nowhere: No such file or directory"
                )
            ),
            StoreError::NoSessionBus { .. }
        ));
        assert!(matches!(
            classify(
                k,
                &platform(
                    "DBus error: The name org.freedesktop.secrets was not provided by any .service files"
                )
            ),
            StoreError::NoSecretService { .. }
        ));
        assert!(matches!(
            classify(
                k,
                &E::NoStorageAccess("Secret Service: object locked".into())
            ),
            StoreError::Locked { .. }
        ));
        assert!(matches!(
            classify(
                k,
                &E::NoStorageAccess("Secret Service: unlock prompt was dismissed".into())
            ),
            StoreError::AccessDenied { .. }
        ));
        assert!(matches!(
            classify(k, &platform("Access denied by policy")),
            StoreError::AccessDenied { .. }
        ));
        assert!(matches!(
            classify(k, &platform("something odd")),
            StoreError::Failed { .. }
        ));
    }

    #[test]
    fn headless_fixes_name_the_variable_and_every_way_out() {
        let err = StoreError::NoSessionBus { detail: "x".into() };
        let fixes = err.fixes("COOLIFY_API_TOKEN").join(" ");
        for needle in [
            "COOLIFY_API_TOKEN",
            "gnome-keyring",
            "--store keyutils",
            "reboot",
        ] {
            assert!(fixes.contains(needle), "{needle} missing from {fixes}");
        }
        assert!(err.is_unreachable());
        assert!(
            !StoreError::Locked {
                detail: String::new()
            }
            .is_unreachable()
        );
    }
}
