//! `pftui login` and `pftui logout`: check a Coolify token against its server, report what
//! it may do, keep it in the OS keyring (service `pftui`, account `<context>:coolify`) and
//! create or update the context in the pftui-managed contexts file; GitHub and model keys
//! are stored the same way. Logout removes what login stored.

use std::io::Read;

use clap::{Args, ValueEnum};

use super::connect::{given_url, load_paths, resolver};
use super::output::outln;
use super::{Failure, GlobalArgs};
use crate::model::words::shell_word;
use crate::model::{Abilities, Ability, printable_line};
use crate::ops::{OpsError, Probe};
use crate::secrets::{
    self, KEYRING_SERVICE, Resolver, SHARED_CONTEXT, SecretString, Server, Service, StoreError,
    StoreKind, redact,
};
use crate::settings::{Managed, Origin, Settings, Upsert, managed_path_for, same_url};

/// `--service`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ServiceArg {
    Coolify,
    Github,
    Anthropic,
    Openai,
}

impl From<ServiceArg> for Service {
    fn from(s: ServiceArg) -> Self {
        match s {
            ServiceArg::Coolify => Service::Coolify,
            ServiceArg::Github => Service::Github,
            ServiceArg::Anthropic => Service::Anthropic,
            ServiceArg::Openai => Service::Openai,
        }
    }
}

/// `--store`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StoreArg {
    /// The OS keyring: Secret Service, macOS Keychain, Windows Credential Manager.
    Keyring,
    /// The Linux kernel keyutils store: works headless, forgets at reboot.
    Keyutils,
    /// A 0600 file in the data directory (explicit consent; prefer a keyring).
    File,
}

impl From<StoreArg> for StoreKind {
    fn from(s: StoreArg) -> Self {
        match s {
            StoreArg::Keyring => StoreKind::Keyring,
            StoreArg::Keyutils => StoreKind::Keyutils,
            StoreArg::File => StoreKind::File,
        }
    }
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Which credential: the context's Coolify token (default), or a GitHub or model key
    /// (shared by every context unless --context is given).
    #[arg(long, value_enum, default_value = "coolify")]
    service: ServiceArg,
    /// Read the token from standard input instead of a hidden prompt.
    #[arg(long)]
    token_stdin: bool,
    /// Where to keep it. Nothing is ever kept in memory only or written to a file unless
    /// asked for.
    #[arg(long, value_enum, default_value = "keyring")]
    store: StoreArg,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Which credential to remove.
    #[arg(long, value_enum, default_value = "coolify")]
    service: ServiceArg,
}

/// The settings and where the managed contexts file is.
struct Loaded {
    settings: Settings,
    managed_path: std::path::PathBuf,
    resolver: Resolver,
}

fn load(global: &GlobalArgs) -> Result<Loaded, Failure> {
    load_at(global, &load_paths()?, None)
}

/// Load the settings under `paths`; `stores` replaces the system's credential stores
/// (tests pass keyring-core's mock store).
fn load_at(
    global: &GlobalArgs,
    paths: &crate::settings::Paths,
    stores: Option<Resolver>,
) -> Result<Loaded, Failure> {
    if global.demo {
        return Err(Failure::setup(
            "--demo needs no login: the embedded demo mints its own token",
        ));
    }
    let (settings, path) = Settings::load(global.config.as_deref(), paths)
        .map_err(|e| Failure::setup(e.to_string()))?;
    let managed_path = settings
        .provenance
        .managed_file
        .clone()
        .unwrap_or_else(|| managed_path_for(&path));
    let resolver = match stores {
        Some(r) => r.with_records(settings.provenance.credentials.clone()),
        None => resolver(&settings),
    };
    Ok(Loaded {
        settings,
        managed_path,
        resolver,
    })
}

/// Where the token comes from.
enum TokenInput {
    Stdin,
    Prompt,
    #[cfg(test)]
    Given(SecretString),
}

pub async fn login(global: &GlobalArgs, args: LoginArgs) -> Result<(), Failure> {
    let loaded = load(global)?;
    let input = if args.token_stdin {
        TokenInput::Stdin
    } else {
        TokenInput::Prompt
    };
    run_login(
        global,
        args.service.into(),
        args.store.into(),
        input,
        loaded,
    )
    .await
}

async fn run_login(
    global: &GlobalArgs,
    service: Service,
    store: StoreKind,
    input: TokenInput,
    loaded: Loaded,
) -> Result<(), Failure> {
    if store == StoreKind::Keyutils && !cfg!(target_os = "linux") {
        return Err(Failure::setup(
            "the kernel keyutils store exists only on Linux; use --store keyring",
        ));
    }
    match service {
        Service::Coolify => login_coolify(global, input, store, loaded).await,
        other => login_key(global, input, other, store, loaded).await,
    }
}

async fn login_coolify(
    global: &GlobalArgs,
    input: TokenInput,
    store: StoreKind,
    loaded: Loaded,
) -> Result<(), Failure> {
    let target = pick_context(global, &loaded.settings)?;
    let token = read_token(
        input,
        &format!(
            "Coolify API token for context '{}' ({}): ",
            target.name, target.url
        ),
    )?;
    let probe = Probe::new(&target.url, token.clone())?;
    let url = probe.url().to_string();
    let version = probe.version().await.map_err(|e| rejected(&url, e))?;
    let abilities = probe.abilities().await.map_err(|e| rejected(&url, e))?;
    outln!(
        "Coolify {} at {url} accepts the token.",
        printable_line(&version)
    );
    print_abilities(&abilities);
    if abilities.read == Ability::No {
        return Err(Failure::setup(
            "the token lacks the 'read' permission, which every pftui command needs; create a token with read (plus deploy, and read:sensitive for logs) in Coolify under Keys & Tokens. Nothing was stored",
        ));
    }

    let account = secrets::account(&target.name, Service::Coolify);
    store_secret(&loaded.resolver, store, &account, &token, Service::Coolify).await?;
    let previous = loaded
        .settings
        .provenance
        .credentials
        .get(&account)
        .copied();
    drop_stale_copy(&loaded.resolver, previous, store, &account).await;

    // The first context becomes the default; an existing setup keeps its own default.
    let settings = &loaded.settings;
    let hand_written_others = settings.contexts.iter().any(|c| {
        !c.name.eq_ignore_ascii_case(&target.name)
            && settings.context_origin(&c.name) == Some(Origin::SettingsFile)
    });
    let hand_written_default =
        settings.default_context.is_some() && !settings.provenance.managed_default;
    let recorded = Managed::update(&loaded.managed_path, |managed| {
        let mut notes = Vec::new();
        if target.origin != Some(Origin::SettingsFile) {
            match managed.upsert_context(&target.name, &url) {
                Upsert::Created => notes.push(format!(
                    "Context '{}' created in {}.",
                    target.name,
                    loaded.managed_path.display()
                )),
                Upsert::Updated { old_url } => notes.push(format!(
                    "Context '{}' now points at {url} (was {old_url}).",
                    target.name
                )),
                Upsert::Unchanged => {}
            }
        }
        let others = hand_written_others
            || managed
                .contexts
                .iter()
                .any(|c| !c.name.eq_ignore_ascii_case(&target.name));
        if !others && !hand_written_default && managed.default_context.is_none() {
            managed.default_context = Some(target.name.clone());
            notes.push(format!("'{}' is now the default context.", target.name));
        }
        managed.record(&account, store);
        notes
    });
    let notes = match recorded {
        Ok(notes) => notes,
        Err(e) => {
            // Do not leave a token behind that no context refers to.
            let _ = loaded.resolver.remove(store, &account).await;
            return Err(Failure::setup(format!(
                "cannot record the context: {e}; the token was removed again"
            )));
        }
    };
    outln!(
        "Stored the token in the {} as service {KEYRING_SERVICE}, account {account}.",
        store.describe()
    );
    for note in notes {
        outln!("{note}");
    }
    outln!(
        "Try it: pftui --context {} status",
        shell_word(&target.name)
    );
    Ok(())
}

async fn login_key(
    global: &GlobalArgs,
    input: TokenInput,
    service: Service,
    store: StoreKind,
    loaded: Loaded,
) -> Result<(), Failure> {
    let context = match &global.context {
        Some(name) => match loaded.settings.context(name) {
            Some(c) => c.name.clone(),
            None => {
                check_new_name(name)?;
                name.clone()
            }
        },
        None => SHARED_CONTEXT.to_string(),
    };
    let whose = if context == SHARED_CONTEXT {
        "shared by every context".to_string()
    } else {
        format!("for context '{context}'")
    };
    let token = read_token(input, &format!("{} ({whose}): ", service.label()))?;
    let account = secrets::account(&context, service);
    store_secret(&loaded.resolver, store, &account, &token, service).await?;
    let previous = loaded
        .settings
        .provenance
        .credentials
        .get(&account)
        .copied();
    drop_stale_copy(&loaded.resolver, previous, store, &account).await;
    if let Err(e) = Managed::update(&loaded.managed_path, |managed| {
        managed.record(&account, store)
    }) {
        let _ = loaded.resolver.remove(store, &account).await;
        return Err(Failure::setup(format!(
            "cannot record where the key is: {e}; the key was removed again"
        )));
    }
    outln!(
        "Stored the {} ({whose}) in the {} as service {KEYRING_SERVICE}, account {account}.",
        service.label(),
        store.describe()
    );
    outln!(
        "{} still takes precedence when it is set.",
        service.env_var()
    );
    Ok(())
}

pub async fn logout(global: &GlobalArgs, args: LogoutArgs) -> Result<(), Failure> {
    run_logout(global, args.service.into(), load(global)?).await
}

async fn run_logout(global: &GlobalArgs, service: Service, loaded: Loaded) -> Result<(), Failure> {
    let (context, origin) = match (&global.context, service) {
        (Some(name), _) => match loaded.settings.context(name) {
            Some(c) => (c.name.clone(), loaded.settings.context_origin(&c.name)),
            None => (name.clone(), None),
        },
        (None, Service::Coolify) => match loaded.settings.default_context() {
            Some(c) => (c.name.clone(), loaded.settings.context_origin(&c.name)),
            None => {
                return Err(Failure::setup(format!(
                    "which context? pftui logout --context NAME (known contexts: {})",
                    super::connect::known(&loaded.settings)
                )));
            }
        },
        (None, _) => (SHARED_CONTEXT.to_string(), None),
    };
    let account = secrets::account(&context, service);
    let recorded = loaded
        .settings
        .provenance
        .credentials
        .get(&account)
        .copied();
    let candidates: Vec<StoreKind> = match recorded {
        Some(kind) => vec![kind],
        None => StoreKind::ALL
            .into_iter()
            .filter(|k| *k != StoreKind::Keyutils || cfg!(target_os = "linux"))
            .filter(|k| *k != StoreKind::File || loaded.resolver.file().exists())
            .collect(),
    };
    let mut removed = Vec::new();
    let mut failures = Vec::new();
    for kind in candidates {
        match loaded.resolver.remove(kind, &account).await {
            Ok(true) => removed.push(kind),
            Ok(false) => {}
            Err(e) => failures.push((kind, e)),
        }
    }
    if removed.is_empty()
        && let Some((kind, error)) = failures.into_iter().next()
    {
        return Err(store_failure(error, service, kind, &account, "remove"));
    }

    let mut notes = Vec::new();
    for kind in &removed {
        notes.push(format!(
            "Removed the {} (service {KEYRING_SERVICE}, account {account}) from the {}.",
            service.label(),
            kind.describe()
        ));
    }
    if removed.is_empty() {
        notes.push(format!(
            "Nothing was stored for account {account}; nothing to remove."
        ));
    }
    let context_removed = Managed::update(&loaded.managed_path, |managed| {
        managed.forget(&account);
        service == Service::Coolify
            && origin == Some(Origin::Managed)
            && managed.remove_context(&context)
    })
    .map_err(|e| Failure::setup(e.to_string()))?;
    if context_removed {
        notes.push(format!(
            "Removed context '{context}' from {}.",
            loaded.managed_path.display()
        ));
    }
    for note in notes {
        outln!("{note}");
    }
    Ok(())
}

/// The context login works on.
struct Target {
    name: String,
    url: String,
    origin: Option<Origin>,
}

fn pick_context(global: &GlobalArgs, settings: &Settings) -> Result<Target, Failure> {
    let given = given_url(global);
    if let Some(u) = &given {
        Server::parse(u).map_err(|e| Failure::setup(format!("{e}. Nothing was stored")))?;
    }
    let url = given.as_deref();
    match &global.context {
        Some(name) => match settings.context(name) {
            Some(c) => {
                let origin = settings.context_origin(&c.name);
                match url {
                    Some(u) if !same_url(u, &c.url) && origin == Some(Origin::SettingsFile) => {
                        Err(Failure::setup(format!(
                            "context '{}' is defined in {} with url {}; pftui does not rewrite that file: change the url there, or log in under another --context name",
                            c.name,
                            settings
                                .provenance
                                .settings_file
                                .as_deref()
                                .map(|p| p.display().to_string())
                                .unwrap_or_else(|| "the settings file".into()),
                            c.url
                        )))
                    }
                    Some(u) => Ok(Target {
                        name: c.name.clone(),
                        url: u.to_string(),
                        origin,
                    }),
                    None => Ok(Target {
                        name: c.name.clone(),
                        url: c.url.clone(),
                        origin,
                    }),
                }
            }
            None => {
                check_new_name(name)?;
                let url = url.ok_or_else(|| {
                    Failure::setup(format!(
                        "context '{name}' does not exist yet: give its Coolify address, e.g. pftui login --context {name} --url https://coolify.example.com"
                    ))
                })?;
                Ok(Target {
                    name: name.clone(),
                    url: url.to_string(),
                    origin: None,
                })
            }
        },
        None => {
            if let Some(u) = url {
                return settings
                    .contexts
                    .iter()
                    .find(|c| same_url(&c.url, u))
                    .map(|c| Target {
                        name: c.name.clone(),
                        url: c.url.clone(),
                        origin: settings.context_origin(&c.name),
                    })
                    .ok_or_else(|| {
                        Failure::setup(format!(
                            "name the new context: pftui login --context NAME --url {u}"
                        ))
                    });
            }
            settings
                .default_context()
                .map(|c| Target {
                    name: c.name.clone(),
                    url: c.url.clone(),
                    origin: settings.context_origin(&c.name),
                })
                .ok_or_else(|| {
                    Failure::setup(format!(
                        "which context? pftui login --context NAME --url URL (known contexts: {})",
                        super::connect::known(settings)
                    ))
                })
        }
    }
}

/// New context names are plain words, so they make clean accounts and shell arguments.
fn check_new_name(name: &str) -> Result<(), Failure> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Failure::setup(format!(
            "'{name}' is not a usable context name: use letters, digits, '-', '_' and '.', starting with a letter or digit"
        )))
    }
}

/// The token, from standard input or a hidden prompt on the terminal; a secret from the
/// first moment.
fn read_token(input: TokenInput, prompt: &str) -> Result<SecretString, Failure> {
    let raw = match input {
        TokenInput::Stdin => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                Failure::setup(format!("cannot read the token from standard input: {e}"))
            })?;
            SecretString::from(text)
        }
        TokenInput::Prompt => rpassword::prompt_password(prompt)
            .map(SecretString::from)
            .map_err(|e| {
                Failure::setup(format!(
                    "cannot prompt for the token ({e}): without a terminal, pipe it in with --token-stdin"
                ))
            })?,
        #[cfg(test)]
        TokenInput::Given(token) => token,
    };
    use secrecy::ExposeSecret;
    let value = raw.expose_secret().trim();
    if value.is_empty() {
        return Err(Failure::setup("no token was given; nothing was stored"));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(Failure::setup(
            "the token has spaces or line breaks inside; give exactly one token. Nothing was stored",
        ));
    }
    let token = SecretString::from(value.to_string());
    redact::register(&token);
    Ok(token)
}

fn print_abilities(a: &Abilities) {
    let rows = [
        ("read", &a.read, ""),
        (
            "write",
            &a.write,
            "settings and environment variables stay read-only",
        ),
        (
            "deploy",
            &a.deploy,
            "pftui can look but not deploy, restart, stop, start or roll back",
        ),
        (
            "sensitive reads",
            &a.sensitive,
            "deployment logs and environment values stay hidden (add read:sensitive)",
        ),
    ];
    for (name, ability, if_missing) in rows {
        let hint = match ability {
            Ability::No if !if_missing.is_empty() => format!(": {if_missing}"),
            _ => String::new(),
        };
        outln!("  {name:<16} {ability}{hint}");
    }
}

/// The server or the token said no: exit 2, nothing stored.
fn rejected(url: &str, e: OpsError) -> Failure {
    let mut failure = Failure::from(e);
    failure.code = super::failure::SETUP;
    failure.message = format!(
        "checking the token against {url}: {}. Nothing was stored",
        failure.message
    );
    failure
}

async fn store_secret(
    resolver: &Resolver,
    store: StoreKind,
    account: &str,
    token: &SecretString,
    service: Service,
) -> Result<(), Failure> {
    if store == StoreKind::File {
        eprintln!(
            "warning: writing the {} to a plain file, {} (mode 0600), as you asked. Anyone who can read your files or their backups can read it; prefer the OS keyring. `pftui logout` removes it.",
            service.label(),
            resolver.file().path().display()
        );
    }
    if store == StoreKind::Keyutils {
        eprintln!(
            "note: the kernel keyutils store forgets the {} at reboot; log in again after a restart.",
            service.label()
        );
    }
    resolver
        .store(store, account, token)
        .await
        .map_err(|e| store_failure(e, service, store, account, "store"))
}

/// After a login moved a credential to another store, remove the copy in the old one.
async fn drop_stale_copy(
    resolver: &Resolver,
    previous: Option<StoreKind>,
    now: StoreKind,
    account: &str,
) {
    if let Some(old) = previous.filter(|old| *old != now)
        && let Ok(true) = resolver.remove(old, account).await
    {
        outln!("Removed the earlier copy from the {}.", old.describe());
    }
}

/// A store error as the user sees it: what failed, why, and every way out.
fn store_failure(
    error: StoreError,
    service: Service,
    store: StoreKind,
    account: &str,
    verb: &str,
) -> Failure {
    let (preposition, consequence) = if verb == "store" {
        (
            "in",
            " Nothing was stored, neither in memory nor anywhere else.",
        )
    } else {
        ("from", "")
    };
    let mut text = format!(
        "cannot {verb} the {} (service {KEYRING_SERVICE}, account {account}) {preposition} the {}: {error}.{consequence}\nTo fix it:",
        service.label(),
        store.describe(),
    );
    for fix in error.fixes(service.env_var()) {
        text.push_str("\n  - ");
        text.push_str(&fix);
    }
    Failure::setup(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::{ExposeSecret, FileStore, Keyring, Source};
    use crate::settings::Paths;
    use crate::sim::{self, SimConfig};
    use keyring_core::mock;
    use std::sync::Mutex;

    /// Stores backed by keyring-core's mock store, no environment.
    fn mock_stores(paths: &Paths) -> Resolver {
        Resolver::new(
            Keyring::from_store(StoreKind::Keyring, mock::Store::new().unwrap()),
            Keyring::from_store(StoreKind::Keyutils, mock::Store::new().unwrap()),
            FileStore::new(paths.credentials_file()),
        )
        .with_env(|_| None)
    }

    fn given(token: &str) -> TokenInput {
        TokenInput::Given(SecretString::from(token.to_string()))
    }

    #[tokio::test]
    async fn login_checks_stores_and_records_then_logout_removes() {
        let sim = sim::start(SimConfig::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let stores = mock_stores(&paths);
        let url = sim.coolify_url();
        let g = GlobalArgs::for_tests(Some("demo"), Some(&url));

        let loaded = load_at(&g, &paths, Some(stores.clone())).unwrap();
        run_login(
            &g,
            Service::Coolify,
            StoreKind::Keyring,
            given(sim.token()),
            loaded,
        )
        .await
        .unwrap();
        let stored = stores.keyring().get_blocking("demo:coolify").unwrap();
        assert_eq!(stored.unwrap().expose_secret(), sim.token());

        let (settings, _) = Settings::load(None, &paths).unwrap();
        assert_eq!(settings.default_context().unwrap().name, "demo");
        assert_eq!(settings.context_origin("demo"), Some(Origin::Managed));
        assert_eq!(
            settings.provenance.credentials.get("demo:coolify"),
            Some(&StoreKind::Keyring)
        );
        let found = stores
            .clone()
            .with_records(settings.provenance.credentials.clone())
            .resolve_blocking(Some("demo"), Service::Coolify, None)
            .unwrap();
        assert!(matches!(found.source, Source::Keyring { .. }));

        // Logging in again with the same token elsewhere moves it: no stale copy stays.
        let loaded = load_at(&g, &paths, Some(stores.clone())).unwrap();
        run_login(
            &g,
            Service::Coolify,
            StoreKind::File,
            given(sim.token()),
            loaded,
        )
        .await
        .unwrap();
        assert!(
            stores
                .keyring()
                .get_blocking("demo:coolify")
                .unwrap()
                .is_none()
        );
        assert!(stores.file().get("demo:coolify").unwrap().is_some());

        let g = GlobalArgs::for_tests(Some("demo"), None);
        let loaded = load_at(&g, &paths, Some(stores.clone())).unwrap();
        run_logout(&g, Service::Coolify, loaded).await.unwrap();
        assert!(!stores.file().exists());
        let (settings, _) = Settings::load(None, &paths).unwrap();
        assert!(
            settings.context("demo").is_none(),
            "the managed context went too"
        );
        assert!(settings.provenance.credentials.is_empty());
    }

    #[tokio::test]
    async fn a_failing_keyring_stores_nothing_and_records_nothing() {
        let sim = sim::start(SimConfig::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let cases = [
            (
                keyring_core::Error::PlatformFailure(
                    "DBus error: Failed to connect to socket /x: No such file or directory".into(),
                ),
                "no D-Bus session bus",
            ),
            (
                keyring_core::Error::PlatformFailure(
                    "DBus error: The name org.freedesktop.secrets was not provided by any .service files".into(),
                ),
                "no Secret Service is running",
            ),
            (
                keyring_core::Error::NoStorageAccess("Secret Service: object locked".into()),
                "locked",
            ),
        ];
        for (error, needle) in cases {
            let error = Mutex::new(Some(error));
            let failing = Keyring::with_opener(StoreKind::Keyring, move || {
                Err(error
                    .lock()
                    .ok()
                    .and_then(|mut e| e.take())
                    .unwrap_or(keyring_core::Error::NoDefaultStore))
            });
            let stores = Resolver::new(
                failing,
                Keyring::from_store(StoreKind::Keyutils, mock::Store::new().unwrap()),
                FileStore::new(paths.credentials_file()),
            )
            .with_env(|_| None);
            let g = GlobalArgs::for_tests(Some("demo"), Some(&sim.coolify_url()));
            let loaded = load_at(&g, &paths, Some(stores.clone())).unwrap();
            let err = run_login(
                &g,
                Service::Coolify,
                StoreKind::Keyring,
                given(sim.token()),
                loaded,
            )
            .await
            .unwrap_err();
            assert_eq!(err.code, super::super::failure::SETUP);
            assert!(err.message.contains(needle), "{needle}: {}", err.message);
            assert!(err.message.contains("COOLIFY_API_TOKEN"), "{}", err.message);
            assert!(!paths.contexts_file().exists(), "no context recorded");
            assert!(!stores.file().exists(), "no silent file fallback");
            assert!(
                stores
                    .keyutils()
                    .get_blocking("demo:coolify")
                    .unwrap()
                    .is_none()
            );
        }
    }

    #[tokio::test]
    async fn shared_keys_and_hand_written_contexts() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        std::fs::create_dir_all(&paths.config).unwrap();
        let hand = "# mine\ncontexts:\n  - name: prod\n    url: https://c.example.com # keep\n";
        std::fs::write(paths.settings_file(), hand).unwrap();
        let stores = mock_stores(&paths);

        let g = GlobalArgs::for_tests(None, None);
        let loaded = load_at(&g, &paths, Some(stores.clone())).unwrap();
        run_login(
            &g,
            Service::Anthropic,
            StoreKind::Keyring,
            given("sk-ant-123456"),
            loaded,
        )
        .await
        .unwrap();
        assert!(
            stores
                .keyring()
                .get_blocking("*:anthropic")
                .unwrap()
                .is_some()
        );
        let (settings, _) = Settings::load(None, &paths).unwrap();
        let r = stores
            .clone()
            .with_records(settings.provenance.credentials.clone());
        assert!(
            r.resolve_blocking(Some("prod"), Service::Anthropic, None)
                .is_ok()
        );

        // Login cannot repoint a hand-written context; the file is never rewritten.
        let g = GlobalArgs::for_tests(Some("prod"), Some("https://elsewhere.example.com"));
        let loaded = load_at(&g, &paths, Some(stores.clone())).unwrap();
        let err = run_login(
            &g,
            Service::Coolify,
            StoreKind::Keyring,
            given("1|abcdefgh"),
            loaded,
        )
        .await
        .unwrap_err();
        assert!(
            err.message.contains("does not rewrite that file"),
            "{}",
            err.message
        );
        assert_eq!(
            std::fs::read_to_string(paths.settings_file()).unwrap(),
            hand
        );

        let g = GlobalArgs::for_tests(None, None);
        let loaded = load_at(&g, &paths, Some(stores.clone())).unwrap();
        run_logout(&g, Service::Anthropic, loaded).await.unwrap();
        assert!(
            stores
                .keyring()
                .get_blocking("*:anthropic")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn tokens_are_one_word() {
        assert!(read_token(given("  1|abc\n"), "").is_ok());
        assert!(read_token(given(" \n"), "").is_err());
        assert!(read_token(given("1|abc\n2|def"), "").is_err());
    }

    #[test]
    fn new_context_names_are_plain_words() {
        assert!(check_new_name("demo").is_ok());
        assert!(check_new_name("pf-core_2.lab").is_ok());
        for bad in ["", "*", "a:b", "-x", "with space", "é"] {
            assert!(check_new_name(bad).is_err(), "{bad}");
        }
        assert_eq!(shell_word("lab"), "lab");
        assert_eq!(shell_word("my lab"), "'my lab'");
    }

    #[test]
    fn store_failures_name_the_variable_and_fixes() {
        let f = store_failure(
            StoreError::NoSessionBus {
                detail: "no bus".into(),
            },
            Service::Coolify,
            StoreKind::Keyring,
            "demo:coolify",
            "store",
        );
        assert_eq!(f.code, super::super::failure::SETUP);
        for needle in [
            "COOLIFY_API_TOKEN",
            "gnome-keyring",
            "--store keyutils",
            "reboot",
            "demo:coolify",
            "Nothing was stored",
        ] {
            assert!(
                f.message.contains(needle),
                "{needle} missing: {}",
                f.message
            );
        }
    }
}
