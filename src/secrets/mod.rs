//! Credentials: where each comes from (flag, environment variable, OS keyring, the opt-in
//! credentials file) and keeping them secret. Values are [`SecretString`] from the moment
//! they are read.
//!
//! - [`Resolver`]: the lookup order, flag > environment variable > the store login used
//!   (OS keyring, kernel keyutils) > the consented credentials file.
//! - [`Keyring`], [`FileStore`]: the stores, with typed [`StoreError`]s; keyring calls run
//!   on their own thread with a timeout.
//! - [`redact`]: a registry of known secret values, [`RedactingWriter`] for the trace file
//!   and [`install_panic_scrubber`] for panic messages.

mod file;
mod keyring;
pub mod redact;
mod resolver;
mod store;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

pub use file::{FILE_NAME as CREDENTIALS_FILE, FileStore};
pub use keyring::{DEFAULT_TIMEOUT, Keyring, TIMEOUT_VAR};
pub use redact::{RedactingWriter, install_panic_scrubber};
pub use resolver::{ResolveError, Resolver};
pub use secrecy::{ExposeSecret, SecretString};
pub use store::{KEYRING_SERVICE, SHARED_CONTEXT, StoreError, StoreKind, account, native_name};

/// The services pftui holds credentials for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Coolify,
    Github,
    Anthropic,
    Openai,
}

impl Service {
    /// The environment variable named in the platform's design document.
    pub fn env_var(self) -> &'static str {
        match self {
            Self::Coolify => "COOLIFY_API_TOKEN",
            Self::Github => "GITHUB_TOKEN",
            Self::Anthropic => "ANTHROPIC_API_KEY",
            Self::Openai => "OPENAI_API_KEY",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Coolify => "coolify",
            Self::Github => "github",
            Self::Anthropic => "anthropic",
            Self::Openai => "openai",
        }
    }

    /// What the credential is called in messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Coolify => "Coolify API token",
            Self::Github => "GitHub token",
            Self::Anthropic => "Anthropic API key",
            Self::Openai => "OpenAI API key",
        }
    }

    /// GitHub and model keys may be shared by every context; Coolify tokens never are.
    pub fn shareable(self) -> bool {
        self != Self::Coolify
    }

    pub const ALL: [Service; 4] = [Self::Coolify, Self::Github, Self::Anthropic, Self::Openai];
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Service {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|svc| svc.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown service '{s}' (expected coolify, github, anthropic or openai)")
            })
    }
}

/// Where a credential was found. Shown to the user; never the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Given on the command line or standard input.
    Flag,
    /// From this environment variable.
    Env(&'static str),
    /// Minted by the embedded demo simulator.
    Demo,
    /// From a keyring store (the OS keyring or kernel keyutils), service `pftui`.
    Keyring { account: String, store: StoreKind },
    /// From the opt-in credentials file.
    File { path: PathBuf },
}

impl Source {
    /// A word for tight places (the console's header): `env`, `keyring`, ...
    pub fn short(&self) -> &'static str {
        match self {
            Self::Flag => "flag",
            Self::Env(_) => "env",
            Self::Demo => "demo",
            Self::Keyring {
                store: StoreKind::Keyutils,
                ..
            } => "keyutils",
            Self::Keyring { .. } => "keyring",
            Self::File { .. } => "file",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag => f.write_str("command line"),
            Self::Env(var) => write!(f, "environment variable {var}"),
            Self::Demo => f.write_str("embedded demo"),
            Self::Keyring { account, store } => {
                let name = match store {
                    StoreKind::Keyutils => "kernel keyutils store",
                    _ => native_name(),
                };
                write!(f, "{name}, account {account}")
            }
            Self::File { path } => write!(f, "credentials file {}", path.display()),
        }
    }
}

/// A secret and where it came from.
#[derive(Clone)]
pub struct Credential {
    pub value: SecretString,
    pub source: Source,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("value", &"[redacted]")
            .field("source", &self.source)
            .finish()
    }
}

/// No credential was found anywhere pftui looks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no {service} credential found: set {var} (for CI and scripts), or run pftui against its embedded demo with --demo"
)]
pub struct Missing {
    pub service: &'static str,
    pub var: &'static str,
}

/// Resolve a credential from an explicit value or the service's environment variable only
/// (no stores: use [`Resolver`] for the full order).
pub fn resolve(service: Service, explicit: Option<Credential>) -> Result<Credential, Missing> {
    resolve_with(service, explicit, |var| std::env::var(var).ok())
}

fn resolve_with(
    service: Service,
    explicit: Option<Credential>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Credential, Missing> {
    if let Some(credential) = explicit {
        return Ok(credential);
    }
    let var = service.env_var();
    match env(var).map(|v| v.trim().to_string()) {
        Some(value) if !value.is_empty() => {
            let value = SecretString::from(value);
            redact::register(&value);
            Ok(Credential {
                value,
                source: Source::Env(var),
            })
        }
        _ => Err(Missing {
            service: service.as_str(),
            var,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_beats_environment() {
        let explicit = Credential {
            value: SecretString::from("flag-token"),
            source: Source::Flag,
        };
        let got = resolve_with(Service::Coolify, Some(explicit), |_| Some("env".into())).unwrap();
        assert_eq!(got.source, Source::Flag);
        assert_eq!(got.value.expose_secret(), "flag-token");
    }

    #[test]
    fn environment_is_read_and_blank_is_missing() {
        let got = resolve_with(Service::Github, None, |v| {
            (v == "GITHUB_TOKEN").then(|| " ghp_x \n".into())
        })
        .unwrap();
        assert_eq!(got.source, Source::Env("GITHUB_TOKEN"));
        assert_eq!(got.value.expose_secret(), "ghp_x");
        let err = resolve_with(Service::Coolify, None, |_| Some("  ".into())).unwrap_err();
        assert!(err.to_string().contains("COOLIFY_API_TOKEN"));
    }

    #[test]
    fn debug_output_never_shows_the_value() {
        let c = Credential {
            value: SecretString::from("s3cr3t-value"),
            source: Source::Demo,
        };
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }
}
