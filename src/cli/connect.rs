//! From global options to an open session: the embedded demo, a context from the settings,
//! or a server named by flag or environment. The Coolify token comes from the resolver:
//! `COOLIFY_API_TOKEN`, then the store `pftui login` used for `<context>:coolify`.

use super::{Failure, GlobalArgs};
use crate::audit::Journal;
use crate::ops::{Connection, Ops, Session};
use crate::secrets::{Credential, Resolver, Service, Source};
use crate::settings::{Context, Paths, Settings, same_url};
use crate::sim::{self, SimConfig, SimHandle};

/// An open session, as the operations and reads that go through it (with the settings it
/// came from and the user's audit journal), plus the demo simulator it may be talking to
/// (kept alive with it).
pub struct Connected {
    pub ops: Ops,
    pub paths: Paths,
    _demo: Option<SimHandle>,
}

impl Connected {
    fn new(session: Session, settings: Settings, paths: Paths, demo: Option<SimHandle>) -> Self {
        let journal = Journal::at(paths.audit_file());
        Self {
            ops: Ops::new(session, settings, journal),
            paths,
            _demo: demo,
        }
    }
}

/// The XDG paths, or a setup error naming why they cannot be found.
pub fn load_paths() -> Result<Paths, Failure> {
    Paths::discover().map_err(Failure::setup)
}

pub async fn connect(global: &GlobalArgs) -> Result<Connected, Failure> {
    let paths = load_paths()?;
    let (settings, _) = Settings::load(global.config.as_deref(), &paths)
        .map_err(|e| Failure::setup(e.to_string()))?;
    if global.demo {
        let demo = sim::start(SimConfig::default())
            .await
            .map_err(|e| Failure::setup(format!("cannot start the embedded demo: {e}")))?;
        let target = Connection {
            context: "demo".into(),
            url: demo.coolify_url(),
            token: Credential {
                value: demo.token().to_string().into(),
                source: Source::Demo,
            },
            read_only: false,
            health_via: Some(demo.health_base()),
            github: Some((
                demo.github_url(),
                Credential {
                    value: demo.github_token().to_string().into(),
                    source: Source::Demo,
                },
            )),
        };
        let session = Session::open_with(target, &settings.limits)?;
        return Ok(Connected::new(session, settings, paths, Some(demo)));
    }
    let session = match (&global.context, &global.url) {
        (Some(name), _) => {
            let context = find_context(&settings, name)?;
            let token = resolve_async(&settings, Some(&context.name)).await?;
            open_with(
                &settings,
                &context.name,
                &context.url,
                context.read_only,
                token,
            )?
        }
        // A server named only by URL: a context with that URL lends its stored token and
        // its read-only flag.
        (None, Some(url)) => match context_by_url(&settings, url) {
            Some(c) => {
                let token = resolve_async(&settings, Some(&c.name)).await?;
                open_with(&settings, &c.name, url, c.read_only, token)?
            }
            None => open_with(
                &settings,
                "env",
                url,
                false,
                resolve_async(&settings, None).await?,
            )?,
        },
        (None, None) => match settings.default_context() {
            Some(c) => {
                let token = resolve_async(&settings, Some(&c.name)).await?;
                open_with(&settings, &c.name, &c.url, c.read_only, token)?
            }
            None => {
                return Err(Failure::setup(
                    "no Coolify server given: pass --url, set COOLIFY_BASE_URL, add a context to the settings file, or try the embedded demo with --demo",
                ));
            }
        },
    };
    Ok(Connected::new(session, settings, paths, None))
}

/// Open a context of the settings by name (blocking while the keyring answers, at most its
/// timeout).
pub fn open_context(settings: &Settings, name: &str) -> Result<Session, Failure> {
    let context = find_context(settings, name)?;
    let token = resolver(settings)
        .resolve_blocking(Some(&context.name), Service::Coolify, None)
        .map_err(|e| Failure::setup(e.to_string()))?;
    open_with(
        settings,
        &context.name,
        &context.url,
        context.read_only,
        token,
    )
}

/// The credential resolver for these settings: the process environment, the OS keyring,
/// keyutils and the opt-in credentials file, with the stores login recorded.
pub fn resolver(settings: &Settings) -> Resolver {
    Resolver::for_user(
        settings.credentials_file(),
        settings.provenance.credentials.clone(),
    )
}

fn find_context<'a>(settings: &'a Settings, name: &str) -> Result<&'a Context, Failure> {
    settings.context(name).ok_or_else(|| {
        Failure::setup(format!(
            "no context named '{name}' in the settings; known contexts: {}",
            known(settings)
        ))
    })
}

fn context_by_url<'a>(settings: &'a Settings, url: &str) -> Option<&'a Context> {
    let matching: Vec<&Context> = settings
        .contexts
        .iter()
        .filter(|c| same_url(&c.url, url))
        .collect();
    match matching.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

async fn resolve_async(settings: &Settings, context: Option<&str>) -> Result<Credential, Failure> {
    resolver(settings)
        .resolve(context, Service::Coolify, None)
        .await
        .map_err(|e| Failure::setup(e.to_string()))
}

fn open_with(
    settings: &Settings,
    context: &str,
    url: &str,
    read_only: bool,
    token: Credential,
) -> Result<Session, Failure> {
    Ok(Session::open_with(
        Connection {
            context: context.to_string(),
            url: url.to_string(),
            token,
            read_only,
            health_via: std::env::var("PFTUI_HEALTH_VIA")
                .ok()
                .filter(|v| !v.is_empty()),
            github: github_access(settings, context),
        },
        &settings.limits,
    )?)
}

/// GitHub's API (`GITHUB_API_URL`, default api.github.com) when a token is available
/// (`GITHUB_TOKEN`, or what `pftui login --service github` stored).
fn github_access(settings: &Settings, context: &str) -> Option<(String, Credential)> {
    let token = resolver(settings)
        .resolve_blocking(Some(context), Service::Github, None)
        .ok()?;
    let url = std::env::var("GITHUB_API_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "https://api.github.com".into());
    Some((url, token))
}

/// The context names, or how to add one.
pub(crate) fn known(settings: &Settings) -> String {
    if settings.contexts.is_empty() {
        return "none (add one under `contexts:` in the settings file)".into();
    }
    settings
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
