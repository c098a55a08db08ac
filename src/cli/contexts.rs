//! `pftui contexts`: every context with its URL, whether it is the default or read-only,
//! which file defines it, and where its Coolify token comes from: an environment variable
//! that serves it, or the store (never the token).

use std::path::Path;

use super::connect::{load_paths, resolver};
use super::output::{outln, print_table, table};
use super::{Failure, GlobalArgs};
use crate::secrets::{BASE_URL_VAR, Resolver, Service, StoreError, StoreKind, account};
use crate::settings::{Origin, Settings, managed_path_for};

pub async fn run(global: &GlobalArgs) -> Result<(), Failure> {
    let paths = load_paths()?;
    let (settings, path) = Settings::load(global.config.as_deref(), &paths)
        .map_err(|e| Failure::setup(e.to_string()))?;
    let managed = settings
        .provenance
        .managed_file
        .clone()
        .unwrap_or_else(|| managed_path_for(&path));
    if settings.contexts.is_empty() {
        outln!(
            "No contexts yet: run `pftui login --context NAME --url URL`, or add one under `contexts:` in {}",
            path.display()
        );
        return Ok(());
    }
    let resolver = resolver(&settings).with_url_flag(global.url.as_deref());
    let default = settings.default_context().map(|c| c.name.clone());
    let mut keyring_down: Option<StoreError> = None;
    let mut rows = table([
        "NAME",
        "URL",
        "DEFAULT",
        "READ-ONLY",
        "DEFINED IN",
        "COOLIFY TOKEN",
    ]);
    for c in &settings.contexts {
        let defined = match settings.context_origin(&c.name) {
            Some(Origin::Managed) => file_name(&managed),
            _ => file_name(&path),
        };
        let token = match resolver.variable_in_use(Some(&c.name), Service::Coolify) {
            Some(var) => format!("env {var}"),
            None => token_place(&resolver, &settings, &c.name, &mut keyring_down).await,
        };
        let is_default = default.as_deref() == Some(c.name.as_str());
        rows.add_row([
            c.name.clone(),
            c.url.clone(),
            if is_default {
                "*".into()
            } else {
                String::new()
            },
            if c.read_only {
                "yes".into()
            } else {
                String::new()
            },
            defined,
            token,
        ]);
    }
    print_table(&rows);
    outln!();
    outln!("Settings file:          {}", path.display());
    outln!("Managed contexts file:  {}", managed.display());
    if std::env::var_os(Service::Coolify.env_var()).is_some_and(|v| !v.is_empty()) {
        outln!(
            "{} is set: it goes only to the server {BASE_URL_VAR} names, before any stored token; other contexts use PFTUI_<CONTEXT>_TOKEN or their stored token.",
            Service::Coolify.env_var()
        );
    }
    if let Some(e) = keyring_down {
        outln!("The OS keyring could not be read: {e}");
    }
    for clash in &settings.provenance.clashes {
        eprintln!("warning: {}", clash.describe(&path, &managed));
    }
    Ok(())
}

/// Where the context's Coolify token is: the store login recorded, or the OS keyring and
/// the credentials file when nothing was recorded.
async fn token_place(
    resolver: &Resolver,
    settings: &Settings,
    context: &str,
    keyring_down: &mut Option<StoreError>,
) -> String {
    let account = account(context, Service::Coolify);
    let candidates = match settings.provenance.credentials.get(&account) {
        Some(kind) => vec![*kind],
        None => vec![StoreKind::Keyring, StoreKind::File],
    };
    let mut unknown = None;
    for kind in candidates {
        if kind == StoreKind::File && !resolver.file().exists() {
            continue;
        }
        if kind == StoreKind::Keyring && keyring_down.is_some() {
            unknown = Some("unknown (keyring unreachable)".to_string());
            continue;
        }
        match resolver.lookup(kind, &account).await {
            Ok(Some(_)) => return format!("{kind} ({account})"),
            Ok(None) => {}
            Err(e) => {
                unknown = Some(format!("unknown ({kind} unreachable)"));
                if kind == StoreKind::Keyring {
                    *keyring_down = Some(e);
                }
            }
        }
    }
    match (unknown, settings.provenance.credentials.get(&account)) {
        (Some(u), _) => u,
        (None, Some(kind)) => format!("missing from {kind}; run pftui login"),
        (None, None) => "none".into(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
