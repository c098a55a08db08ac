//! The one place credentials are looked up, in this order: an explicit value (flag or
//! standard input), the environment, the store login recorded for the account (the OS
//! keyring unless the user chose keyutils or the file), then the consented credentials
//! file. A store that cannot be reached is an error naming the fixes, never a silent
//! fallback.
//!
//! A Coolify token belongs to its server. For the server named only by the environment (no
//! context), the environment is `COOLIFY_API_TOKEN`. A context looks in its own variable
//! `PFTUI_<CONTEXT>_TOKEN`, then in `COOLIFY_API_TOKEN` only when its server is the one
//! `COOLIFY_BASE_URL` names (or, without that variable, `--url`), then in its stored
//! account. GitHub and model keys are read from their variable for every context.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use secrecy::SecretString;

use super::file::FileStore;
use super::keyring::Keyring;
use super::server::same_server;
use super::store::{
    KEYRING_SERVICE, SHARED_CONTEXT, StoreError, StoreKind, account, context_var, platform_account,
    platform_var, store_name,
};
use super::{Credential, Service, Source, redact};

/// The variable naming the server `COOLIFY_API_TOKEN` belongs to.
pub const BASE_URL_VAR: &str = "COOLIFY_BASE_URL";

type EnvReader = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Finds credentials; cheap to clone.
#[derive(Clone)]
pub struct Resolver {
    env: Arc<EnvReader>,
    keyring: Keyring,
    keyutils: Keyring,
    file: FileStore,
    /// account -> where `pftui login` stored it (from the managed contexts file).
    records: Arc<BTreeMap<String, StoreKind>>,
    /// Lower-cased context name -> its server's address (from the settings).
    servers: Arc<BTreeMap<String, String>>,
    /// The address given with `--url`: it stands for `COOLIFY_BASE_URL` when that variable
    /// is not set.
    url_flag: Option<String>,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("keyring", &self.keyring)
            .field("keyutils", &self.keyutils)
            .field("file", &self.file)
            .field("records", &self.records)
            .field("servers", &self.servers)
            .finish()
    }
}

/// No credential was found, or a store that should hold it could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("{}", missing_text(.service, .context.as_deref(), .looked, .passed_over))]
    Missing {
        service: Service,
        context: Option<String>,
        /// Where pftui looked, in order, for the message.
        looked: Vec<String>,
        /// Variables that are set but were not used, and why.
        passed_over: Vec<String>,
    },
    #[error("{}", store_text(.service, .context.as_deref(), .account, .store, .error, .passed_over))]
    Store {
        service: Service,
        context: Option<String>,
        account: String,
        store: StoreKind,
        error: StoreError,
        /// Variables that are set but were not used, and why.
        passed_over: Vec<String>,
    },
}

impl ResolveError {
    pub fn service(&self) -> Service {
        match self {
            Self::Missing { service, .. } | Self::Store { service, .. } => *service,
        }
    }
}

/// The variable that holds the credential for this context alone: `PFTUI_<CONTEXT>_TOKEN`
/// for a context's Coolify token, the service's own variable otherwise.
fn own_var(service: Service, context: Option<&str>) -> String {
    match (service, context) {
        (Service::Coolify, Some(c)) => context_var(c),
        _ => service.env_var().to_string(),
    }
}

fn missing_text(
    service: &Service,
    context: Option<&str>,
    looked: &[String],
    passed_over: &[String],
) -> String {
    let var = own_var(*service, context);
    let what = service.label();
    let login = match (context, service) {
        (Some(c), Service::Coolify) => format!("`pftui login --context {c}`"),
        (None, Service::Coolify) => "`pftui login --context NAME --url URL`".to_string(),
        (Some(c), s) => format!("`pftui login --context {c} --service {}`", s.as_str()),
        (None, s) => format!("`pftui login --service {}`", s.as_str()),
    };
    let subject = match context {
        Some(c) => format!("no {what} for context '{c}'"),
        None => format!("no {what}"),
    };
    let demo = if *service == Service::Coolify {
        ", or try the embedded demo with --demo"
    } else {
        ""
    };
    let mut text = format!(
        "{subject}: looked in {}. Set {var}, run {login} to store one{demo}",
        join_or(looked)
    );
    for note in passed_over {
        text.push_str(". ");
        text.push_str(note);
    }
    text
}

fn store_text(
    service: &Service,
    context: Option<&str>,
    account: &str,
    store: &StoreKind,
    error: &StoreError,
    passed_over: &[String],
) -> String {
    let var = own_var(*service, context);
    let whose = match context {
        Some(c) => format!(" for context '{c}'"),
        None => String::new(),
    };
    let mut text = format!(
        "cannot read the {}{whose} (service {KEYRING_SERVICE}, account {account}) from the {}: {error}.\nTo fix it:",
        service.label(),
        store_name(*store),
    );
    for fix in error.fixes(&var) {
        text.push_str("\n  - ");
        text.push_str(&fix);
    }
    if *service == Service::Coolify {
        text.push_str("\n  - or try the embedded demo with --demo");
    }
    for note in passed_over {
        text.push_str("\nNote: ");
        text.push_str(note);
    }
    text
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Resolver {
    /// The real stores: the process environment, the OS keyring, keyutils, and the
    /// credentials file `file`.
    pub fn system(file: FileStore) -> Self {
        Self::new(Keyring::native(), Keyring::keyutils(), file)
    }

    /// What a user's pftui resolves with: the process environment, the OS keyring,
    /// keyutils and the opt-in credentials `file`, with the stores `pftui login` recorded
    /// per account.
    pub fn for_user(file: PathBuf, records: BTreeMap<String, StoreKind>) -> Self {
        Self::system(FileStore::new(file)).with_records(records)
    }

    /// Explicit stores (tests use keyring-core's mock store); the process environment.
    pub fn new(keyring: Keyring, keyutils: Keyring, file: FileStore) -> Self {
        Self {
            env: Arc::new(|var: &str| std::env::var(var).ok()),
            keyring,
            keyutils,
            file,
            records: Arc::new(BTreeMap::new()),
            servers: Arc::new(BTreeMap::new()),
            url_flag: None,
        }
    }

    /// Read environment variables through `env` instead of the process environment.
    pub fn with_env(
        mut self,
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.env = Arc::new(env);
        self
    }

    /// Where login stored each account (`demo:coolify` -> keyutils).
    pub fn with_records(mut self, records: BTreeMap<String, StoreKind>) -> Self {
        self.records = Arc::new(records);
        self
    }

    /// Each context's server address (context name, URL), so that `COOLIFY_API_TOKEN` is
    /// used for a context only when the context's server is the one it belongs to.
    pub fn with_servers<'a>(
        mut self,
        servers: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        self.servers = Arc::new(
            servers
                .into_iter()
                .map(|(name, url)| (name.to_ascii_lowercase(), url.to_string()))
                .collect(),
        );
        self
    }

    /// The address given with `--url`, which stands for `COOLIFY_BASE_URL` when that
    /// variable is not set.
    pub fn with_url_flag(mut self, url: Option<&str>) -> Self {
        self.url_flag = url.map(str::to_string);
        self
    }

    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    pub fn keyutils(&self) -> &Keyring {
        &self.keyutils
    }

    pub fn file(&self) -> &FileStore {
        &self.file
    }

    pub fn records(&self) -> &BTreeMap<String, StoreKind> {
        &self.records
    }

    /// The value of an environment variable, if set and not blank.
    fn variable(&self, var: &str) -> Option<Credential> {
        let value = (self.env)(var)?;
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let value = SecretString::from(value.to_string());
        redact::register(&value);
        Some(Credential {
            value,
            source: Source::Env(var.to_string()),
        })
    }

    /// A platform secret (named `{secret: name}` in the platform configuration):
    /// `PFTUI_SECRET_<NAME>`, else the store recorded for its account
    /// (`platform:<name>`), else the OS keyring and the credentials file. `None` when it
    /// is in none of them.
    pub async fn platform_secret(&self, name: &str) -> Result<Option<SecretString>, StoreError> {
        if let Some(found) = self.variable(&platform_var(name)) {
            return Ok(Some(found.value));
        }
        let account = platform_account(name);
        let kinds = match self.records.get(&account) {
            Some(kind) => vec![*kind],
            None => vec![StoreKind::Keyring, StoreKind::File],
        };
        for kind in kinds {
            if kind == StoreKind::File && !self.file.exists() {
                continue;
            }
            if let Some(value) = self.lookup(kind, &account).await? {
                redact::register(&value);
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    /// The server `COOLIFY_API_TOKEN` belongs to: `COOLIFY_BASE_URL`, or `--url` when that
    /// variable is not set.
    fn env_server(&self) -> Option<String> {
        (self.env)(BASE_URL_VAR)
            .filter(|u| !u.trim().is_empty())
            .or_else(|| self.url_flag.clone())
    }

    /// The environment variable that would give the credential, if one is set (for
    /// `pftui contexts`; never the value).
    pub fn variable_in_use(&self, context: Option<&str>, service: Service) -> Option<String> {
        let (vars, _) = self.variables(context, service);
        vars.into_iter().find(|var| self.variable(var).is_some())
    }

    /// The environment variables that may hold the credential, in order, and the notes on
    /// variables that are set but may not serve this context.
    fn variables(&self, context: Option<&str>, service: Service) -> (Vec<String>, Vec<String>) {
        let Some(context) = context.filter(|_| service == Service::Coolify) else {
            return (vec![service.env_var().to_string()], Vec::new());
        };
        let mut vars = Vec::new();
        let mut passed_over = Vec::new();
        let own = context_var(context);
        let key = context.to_ascii_lowercase();
        let sharing: Vec<&str> = self
            .servers
            .keys()
            .filter(|other| **other != key && context_var(other) == own)
            .map(String::as_str)
            .collect();
        if sharing.is_empty() {
            vars.push(own);
        } else if self.variable(&own).is_some() {
            passed_over.push(format!(
                "{own} is not used: it would also name context {}; rename one of them",
                sharing.join(", ")
            ));
        }
        let general = Service::Coolify.env_var();
        let server = self.servers.get(&key);
        let bound = match (server, self.env_server()) {
            (Some(server), Some(env)) => same_server(server, &env),
            _ => false,
        };
        if bound {
            vars.push(general.to_string());
        } else if self.variable(general).is_some() {
            passed_over.push(format!(
                "{general} is set but not used for context '{context}': it goes only to the server {BASE_URL_VAR} names{}",
                if self.env_server().is_some() {
                    ", which is not this context's"
                } else {
                    " (not set)"
                }
            ));
        }
        (vars, passed_over)
    }

    /// The accounts looked up for `service` in `context`, in order: the context's own, then
    /// (GitHub and model keys only) the one shared by every context.
    pub fn accounts(&self, context: Option<&str>, service: Service) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(c) = context {
            out.push(account(c, service));
        }
        if service.shareable() {
            let shared = account(SHARED_CONTEXT, service);
            if !out.contains(&shared) {
                out.push(shared);
            }
        }
        out
    }

    /// Resolve a credential (blocking; each keyring call waits at most its timeout).
    pub fn resolve_blocking(
        &self,
        context: Option<&str>,
        service: Service,
        explicit: Option<Credential>,
    ) -> Result<Credential, ResolveError> {
        if let Some(credential) = explicit {
            redact::register(&credential.value);
            return Ok(credential);
        }
        let (vars, passed_over) = self.variables(context, service);
        let mut looked = Vec::new();
        for var in vars {
            if let Some(credential) = self.variable(&var) {
                return Ok(credential);
            }
            looked.push(format!("the environment variable {var}"));
        }
        let mut first_error: Option<(String, StoreKind, StoreError)> = None;
        let mut keyring_error: Option<StoreError> = None;
        for acct in self.accounts(context, service) {
            let (kind, result) = match self.records.get(&acct) {
                Some(StoreKind::File) => (StoreKind::File, Ok(None)),
                Some(StoreKind::Keyutils) => {
                    (StoreKind::Keyutils, self.keyutils.get_blocking(&acct))
                }
                Some(StoreKind::Keyring) | None => match &keyring_error {
                    Some(e) => (StoreKind::Keyring, Err(e.clone())),
                    None => (StoreKind::Keyring, self.keyring.get_blocking(&acct)),
                },
            };
            if kind != StoreKind::File {
                looked.push(format!(
                    "the {} as service {KEYRING_SERVICE}, account {acct}",
                    store_name(kind)
                ));
            }
            match result {
                Ok(Some(value)) => {
                    return Ok(self.found(
                        value,
                        Source::Keyring {
                            account: acct,
                            store: kind,
                        },
                    ));
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::debug!(account = %acct, error = %e, "credential store failed");
                    if kind == StoreKind::Keyring {
                        keyring_error = Some(e.clone());
                    }
                    first_error.get_or_insert((acct.clone(), kind, e));
                }
            }
            if self.file.exists() {
                looked.push(format!(
                    "the credentials file {}",
                    self.file.path().display()
                ));
                match self.file.get(&acct) {
                    Ok(Some(value)) => {
                        return Ok(self.found(
                            value,
                            Source::File {
                                path: self.file.path().to_path_buf(),
                            },
                        ));
                    }
                    Ok(None) => {}
                    Err(e) => {
                        first_error.get_or_insert((acct.clone(), StoreKind::File, e));
                    }
                }
            }
        }
        if let Some((account, store, error)) = first_error {
            return Err(ResolveError::Store {
                service,
                context: context.map(str::to_string),
                account,
                store,
                error,
                passed_over,
            });
        }
        looked.dedup();
        Err(ResolveError::Missing {
            service,
            context: context.map(str::to_string),
            looked,
            passed_over,
        })
    }

    /// Resolve a credential without blocking the async runtime.
    pub async fn resolve(
        &self,
        context: Option<&str>,
        service: Service,
        explicit: Option<Credential>,
    ) -> Result<Credential, ResolveError> {
        let me = self.clone();
        let context = context.map(str::to_string);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name("pftui-resolve".into())
            .spawn(move || {
                let _ = tx.send(me.resolve_blocking(context.as_deref(), service, explicit));
            });
        let failed = |detail: String| ResolveError::Store {
            service,
            context: None,
            account: String::new(),
            store: StoreKind::Keyring,
            error: StoreError::Failed {
                store: store_name(StoreKind::Keyring),
                detail,
            },
            passed_over: Vec::new(),
        };
        if let Err(e) = spawned {
            return Err(failed(format!("cannot start a thread: {e}")));
        }
        rx.await
            .unwrap_or_else(|_| Err(failed("the credential lookup panicked".into())))
    }

    fn found(&self, value: SecretString, source: Source) -> Credential {
        redact::register(&value);
        Credential { value, source }
    }

    /// Store `secret` for `account` in `kind` (login). Never falls back to another store.
    pub fn store_blocking(
        &self,
        kind: StoreKind,
        account: &str,
        secret: &SecretString,
    ) -> Result<(), StoreError> {
        redact::register(secret);
        match kind {
            StoreKind::Keyring => self.keyring.set_blocking(account, secret),
            StoreKind::Keyutils => self.keyutils.set_blocking(account, secret),
            StoreKind::File => self.file.set(account, secret),
        }
    }

    /// Remove what is stored for `account` in `kind` (logout); `false` when nothing was.
    pub fn remove_blocking(&self, kind: StoreKind, account: &str) -> Result<bool, StoreError> {
        match kind {
            StoreKind::Keyring => self.keyring.delete_blocking(account),
            StoreKind::Keyutils => self.keyutils.delete_blocking(account),
            StoreKind::File => self.file.delete(account),
        }
    }

    /// Look in one store only (contexts, doctor); never the environment.
    pub fn lookup_blocking(
        &self,
        kind: StoreKind,
        account: &str,
    ) -> Result<Option<SecretString>, StoreError> {
        match kind {
            StoreKind::Keyring => self.keyring.get_blocking(account),
            StoreKind::Keyutils => self.keyutils.get_blocking(account),
            StoreKind::File => self.file.get(account),
        }
    }

    /// Whether a store can be used at all.
    pub fn probe_blocking(&self, kind: StoreKind) -> Result<(), StoreError> {
        match kind {
            StoreKind::Keyring => self.keyring.probe_blocking(),
            StoreKind::Keyutils => self.keyutils.probe_blocking(),
            StoreKind::File => self.file.check(),
        }
    }

    /// [`Resolver::store_blocking`] without blocking the async runtime.
    pub async fn store(
        &self,
        kind: StoreKind,
        account: &str,
        secret: &SecretString,
    ) -> Result<(), StoreError> {
        redact::register(secret);
        match kind {
            StoreKind::Keyring => self.keyring.set(account, secret).await,
            StoreKind::Keyutils => self.keyutils.set(account, secret).await,
            StoreKind::File => self.file.set(account, secret),
        }
    }

    /// [`Resolver::remove_blocking`] without blocking the async runtime.
    pub async fn remove(&self, kind: StoreKind, account: &str) -> Result<bool, StoreError> {
        match kind {
            StoreKind::Keyring => self.keyring.delete(account).await,
            StoreKind::Keyutils => self.keyutils.delete(account).await,
            StoreKind::File => self.file.delete(account),
        }
    }

    /// [`Resolver::lookup_blocking`] without blocking the async runtime.
    pub async fn lookup(
        &self,
        kind: StoreKind,
        account: &str,
    ) -> Result<Option<SecretString>, StoreError> {
        match kind {
            StoreKind::Keyring => self.keyring.get(account).await,
            StoreKind::Keyutils => self.keyutils.get(account).await,
            StoreKind::File => self.file.get(account),
        }
    }

    /// [`Resolver::probe_blocking`] without blocking the async runtime.
    pub async fn probe(&self, kind: StoreKind) -> Result<(), StoreError> {
        match kind {
            StoreKind::Keyring => self.keyring.probe().await,
            StoreKind::Keyutils => self.keyutils.probe().await,
            StoreKind::File => self.file.check(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::ExposeSecret;
    use keyring_core::mock;
    use std::collections::HashMap;

    struct Fixture {
        resolver: Resolver,
        _dir: tempfile::TempDir,
    }

    fn fixture(env: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let resolver = Resolver::new(
            Keyring::from_store(StoreKind::Keyring, mock::Store::new().unwrap()),
            Keyring::from_store(StoreKind::Keyutils, mock::Store::new().unwrap()),
            FileStore::in_dir(dir.path()),
        )
        .with_env(move |v| env.get(v).cloned());
        Fixture {
            resolver,
            _dir: dir,
        }
    }

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_string())
    }

    #[test]
    fn flag_beats_env_beats_keyring_beats_file() {
        let f = fixture(&[("PFTUI_DEMO_TOKEN", "from-env")]);
        let r = &f.resolver;
        r.store_blocking(StoreKind::Keyring, "demo:coolify", &secret("from-keyring"))
            .unwrap();
        r.store_blocking(StoreKind::File, "demo:coolify", &secret("from-file"))
            .unwrap();
        let flag = Credential {
            value: secret("from-flag"),
            source: Source::Flag,
        };
        let got = r
            .resolve_blocking(Some("demo"), Service::Coolify, Some(flag))
            .unwrap();
        assert_eq!(got.source, Source::Flag);
        let got = r
            .resolve_blocking(Some("demo"), Service::Coolify, None)
            .unwrap();
        assert_eq!(got.source, Source::Env("PFTUI_DEMO_TOKEN".into()));
        assert_eq!(got.value.expose_secret(), "from-env");

        let r = r.clone().with_env(|_| None);
        let got = r
            .resolve_blocking(Some("demo"), Service::Coolify, None)
            .unwrap();
        assert_eq!(got.value.expose_secret(), "from-keyring");
        assert_eq!(
            got.source,
            Source::Keyring {
                account: "demo:coolify".into(),
                store: StoreKind::Keyring
            }
        );
        assert!(
            r.remove_blocking(StoreKind::Keyring, "demo:coolify")
                .unwrap()
        );
        let got = r
            .resolve_blocking(Some("demo"), Service::Coolify, None)
            .unwrap();
        assert_eq!(got.value.expose_secret(), "from-file");
        assert!(matches!(got.source, Source::File { .. }));
        assert!(r.remove_blocking(StoreKind::File, "demo:coolify").unwrap());
        let err = r
            .resolve_blocking(Some("demo"), Service::Coolify, None)
            .unwrap_err();
        assert!(matches!(err, ResolveError::Missing { .. }));
    }

    #[test]
    fn a_recorded_keyutils_account_is_read_from_keyutils_only() {
        let f = fixture(&[]);
        let r = f.resolver.clone().with_records(BTreeMap::from([(
            "lab:coolify".into(),
            StoreKind::Keyutils,
        )]));
        r.store_blocking(StoreKind::Keyring, "lab:coolify", &secret("stale"))
            .unwrap();
        let err = r
            .resolve_blocking(Some("lab"), Service::Coolify, None)
            .unwrap_err();
        assert!(err.to_string().contains("kernel keyutils"), "{err}");
        r.store_blocking(StoreKind::Keyutils, "lab:coolify", &secret("fresh"))
            .unwrap();
        let got = r
            .resolve_blocking(Some("lab"), Service::Coolify, None)
            .unwrap();
        assert_eq!(got.value.expose_secret(), "fresh");
        assert_eq!(
            got.source.to_string(),
            "kernel keyutils store, account lab:coolify"
        );
    }

    #[test]
    fn shared_keys_serve_every_context_but_a_context_key_wins() {
        let f = fixture(&[]);
        let r = &f.resolver;
        r.store_blocking(StoreKind::Keyring, "*:github", &secret("shared"))
            .unwrap();
        let got = r
            .resolve_blocking(Some("a"), Service::Github, None)
            .unwrap();
        assert_eq!(got.value.expose_secret(), "shared");
        r.store_blocking(StoreKind::Keyring, "a:github", &secret("own"))
            .unwrap();
        let got = r
            .resolve_blocking(Some("a"), Service::Github, None)
            .unwrap();
        assert_eq!(got.value.expose_secret(), "own");
        let got = r.resolve_blocking(None, Service::Github, None).unwrap();
        assert_eq!(got.value.expose_secret(), "shared");
        // Coolify tokens are never shared.
        r.store_blocking(StoreKind::Keyring, "*:coolify", &secret("no"))
            .unwrap();
        assert!(
            r.resolve_blocking(Some("b"), Service::Coolify, None)
                .is_err()
        );
    }

    #[test]
    fn missing_says_where_it_looked_and_what_to_do() {
        let f = fixture(&[]);
        let err = f
            .resolver
            .resolve_blocking(Some("demo"), Service::Coolify, None)
            .unwrap_err()
            .to_string();
        for needle in [
            "no Coolify API token for context 'demo'",
            "PFTUI_DEMO_TOKEN",
            "account demo:coolify",
            "pftui login --context demo",
            "--demo",
        ] {
            assert!(err.contains(needle), "{needle} missing from: {err}");
        }
        let err = f
            .resolver
            .resolve_blocking(None, Service::Coolify, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("looked in the environment variable COOLIFY_API_TOKEN."),
            "{err}"
        );
        let err = f
            .resolver
            .resolve_blocking(None, Service::Anthropic, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ANTHROPIC_API_KEY") && err.contains("--service anthropic"),
            "{err}"
        );
    }

    #[test]
    fn an_unreachable_keyring_is_an_error_with_fixes_not_a_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let r = Resolver::new(
            Keyring::with_opener(StoreKind::Keyring, || {
                Err(keyring_core::Error::PlatformFailure(
                    "DBus error: Failed to connect to socket /nowhere: No such file or directory"
                        .into(),
                ))
            }),
            Keyring::from_store(StoreKind::Keyutils, mock::Store::new().unwrap()),
            FileStore::in_dir(dir.path()),
        )
        .with_env(|_| None);
        let err = r
            .resolve_blocking(Some("demo"), Service::Coolify, None)
            .unwrap_err();
        assert!(
            matches!(
                &err,
                ResolveError::Store {
                    error: StoreError::NoSessionBus { .. },
                    ..
                }
            ),
            "{err}"
        );
        let text = err.to_string();
        for needle in [
            "PFTUI_DEMO_TOKEN",
            "gnome-keyring",
            "--store keyutils",
            "session bus",
        ] {
            assert!(text.contains(needle), "{needle} missing from: {text}");
        }
        // Storing fails the same way; nothing lands anywhere else.
        assert!(matches!(
            r.store_blocking(StoreKind::Keyring, "demo:coolify", &secret("t")),
            Err(StoreError::NoSessionBus { .. })
        ));
        assert!(!r.file().exists());
        assert!(r.keyutils().get_blocking("demo:coolify").unwrap().is_none());
        // The environment still works on such a machine.
        let r = r.with_env(|v| (v == "PFTUI_DEMO_TOKEN").then(|| "env-token".to_string()));
        assert!(
            r.resolve_blocking(Some("demo"), Service::Coolify, None)
                .is_ok()
        );
    }

    #[test]
    fn a_consented_file_serves_when_the_keyring_is_unreachable() {
        let dir = tempfile::tempdir().unwrap();
        let file = FileStore::in_dir(dir.path());
        file.set("lab:coolify", &secret("from-file")).unwrap();
        let r = Resolver::new(
            Keyring::with_opener(StoreKind::Keyring, || {
                Err(keyring_core::Error::PlatformFailure(
                    "no dbus session or secret service provider found".into(),
                ))
            }),
            Keyring::from_store(StoreKind::Keyutils, mock::Store::new().unwrap()),
            file,
        )
        .with_env(|_| None)
        .with_records(BTreeMap::from([("lab:coolify".into(), StoreKind::File)]));
        let got = r
            .resolve_blocking(Some("lab"), Service::Coolify, None)
            .unwrap();
        assert_eq!(got.value.expose_secret(), "from-file");
    }

    #[tokio::test]
    async fn platform_secrets_come_from_their_variable_then_the_stores() {
        let f = fixture(&[("PFTUI_SECRET_SUPABASE_SERVICE_KEY", "from-env")]);
        let r = &f.resolver;
        r.store_blocking(
            StoreKind::Keyring,
            "platform:supabase_service_key",
            &secret("kr"),
        )
        .unwrap();
        r.store_blocking(StoreKind::File, "platform:air_db", &secret("file"))
            .unwrap();
        let get = |name: &'static str| async move {
            r.platform_secret(name)
                .await
                .unwrap()
                .map(|s| s.expose_secret().to_string())
        };
        assert_eq!(
            get("supabase_service_key").await.as_deref(),
            Some("from-env")
        );
        assert_eq!(get("air_db").await.as_deref(), Some("file"));
        assert_eq!(get("nothing_here").await, None);
        let r = r.clone().with_env(|_| None);
        let got = r.platform_secret("supabase_service_key").await.unwrap();
        assert_eq!(got.unwrap().expose_secret(), "kr");
    }

    #[tokio::test]
    async fn the_async_resolver_agrees() {
        let f = fixture(&[]);
        f.resolver
            .store_blocking(StoreKind::Keyring, "x:openai", &secret("sk-1"))
            .unwrap();
        let got = f
            .resolver
            .resolve(Some("x"), Service::Openai, None)
            .await
            .unwrap();
        assert_eq!(got.value.expose_secret(), "sk-1");
    }

    #[test]
    fn the_environment_token_goes_only_to_the_server_it_belongs_to() {
        let f = fixture(&[
            ("COOLIFY_BASE_URL", "http://localhost:8000/"),
            ("COOLIFY_API_TOKEN", "1|env-token"),
            ("PFTUI_PF_CORE_LAB_TOKEN", "2|lab-token"),
        ]);
        let r = f.resolver.clone().with_servers([
            ("local", "http://127.0.0.1:8000/api/v1"),
            ("pf-core.lab", "http://10.0.0.5:8000"),
            ("prod", "https://coolify.example.com"),
        ]);
        // The server named by the environment itself, and a context on that same server.
        let got = r.resolve_blocking(None, Service::Coolify, None).unwrap();
        assert_eq!(got.value.expose_secret(), "1|env-token");
        let got = r
            .resolve_blocking(Some("local"), Service::Coolify, None)
            .unwrap();
        assert_eq!(got.source, Source::Env("COOLIFY_API_TOKEN".into()));
        // A context on another server: its own variable, never COOLIFY_API_TOKEN.
        let got = r
            .resolve_blocking(Some("PF-CORE.lab"), Service::Coolify, None)
            .unwrap();
        assert_eq!(got.value.expose_secret(), "2|lab-token");
        let err = r
            .resolve_blocking(Some("prod"), Service::Coolify, None)
            .unwrap_err()
            .to_string();
        for needle in [
            "no Coolify API token for context 'prod'",
            "Set PFTUI_PROD_TOKEN",
            "pftui login --context prod",
            "COOLIFY_API_TOKEN is set but not used for context 'prod'",
            "COOLIFY_BASE_URL",
        ] {
            assert!(err.contains(needle), "{needle} missing from: {err}");
        }
        // Without COOLIFY_BASE_URL the token belongs to --url, when given.
        let r = r.with_env(|v| (v == "COOLIFY_API_TOKEN").then(|| "1|env-token".to_string()));
        assert!(
            r.resolve_blocking(Some("prod"), Service::Coolify, None)
                .is_err()
        );
        let r = r.with_url_flag(Some("https://COOLIFY.example.com:443"));
        let got = r
            .resolve_blocking(Some("prod"), Service::Coolify, None)
            .unwrap();
        assert_eq!(got.value.expose_secret(), "1|env-token");
        // GitHub and model keys are read from their variable for every context.
        let r = r.with_env(|v| (v == "GITHUB_TOKEN").then(|| "ghp_shared".to_string()));
        assert!(
            r.resolve_blocking(Some("prod"), Service::Github, None)
                .is_ok()
        );
    }

    #[test]
    fn a_context_variable_two_contexts_would_share_is_not_used() {
        let f = fixture(&[("PFTUI_A_B_TOKEN", "1|which-one")]);
        let r = f.resolver.clone().with_servers([
            ("a-b", "https://one.example.com"),
            ("a_b", "https://two.example.com"),
        ]);
        let err = r
            .resolve_blocking(Some("a-b"), Service::Coolify, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("PFTUI_A_B_TOKEN is not used: it would also name context a_b"),
            "{err}"
        );
        assert_eq!(
            crate::secrets::context_var("pf-core.lab"),
            "PFTUI_PF_CORE_LAB_TOKEN"
        );
    }
}
