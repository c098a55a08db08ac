//! Credentials: where each comes from (flag, environment variable, OS keyring, the opt-in
//! credentials file) and keeping them secret. Values are [`SecretString`] from the moment
//! they are read.
//!
//! - [`Resolver`]: the lookup order, flag > environment variable > the store login used
//!   (OS keyring, kernel keyutils) > the consented credentials file; a Coolify token from
//!   the environment goes only to the server it belongs to.
//! - [`server`]: which server an address names (canonical comparison), and the refusal of
//!   addresses that carry credentials.
//! - [`Keyring`], [`FileStore`]: the stores, with typed [`StoreError`]s; keyring calls run
//!   on their own thread with a timeout.
//! - [`redact`]: a registry of known secret values and the shapes of unknown ones,
//!   [`RedactingWriter`] for the trace file and [`install_panic_scrubber`] for panic
//!   messages.
//! - [`private`]: files created 0600, rewritten atomically under a lock.

mod file;
mod keyring;
pub mod private;
pub mod redact;
mod resolver;
pub mod server;
mod store;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

pub use file::{FILE_NAME as CREDENTIALS_FILE, FileStore};
pub use keyring::{DEFAULT_TIMEOUT, Keyring, TIMEOUT_VAR};
pub use redact::{RedactingWriter, install_panic_scrubber};
pub use resolver::{BASE_URL_VAR, ResolveError, Resolver};
pub use secrecy::{ExposeSecret, SecretString};
pub use server::{Server, ServerUrlError, same_server};
pub use store::{
    KEYRING_SERVICE, SHARED_CONTEXT, StoreError, StoreKind, account, context_var, native_name,
    platform_account, platform_var,
};

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
    Env(String),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_value() {
        let c = Credential {
            value: SecretString::from("s3cr3t-value"),
            source: Source::Demo,
        };
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }
}
