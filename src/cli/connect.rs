//! From global options to an open session: the embedded demo, a context from the settings,
//! or a server named by flag or environment.

use super::{Failure, GlobalArgs};
use crate::ops::{Endpoint, Session};
use crate::secrets::{self, Credential, Service, Source};
use crate::settings::{Context, Paths, Settings};
use crate::sim::{self, SimConfig, SimHandle};

/// An open session with the settings it came from, plus the demo simulator it may be
/// talking to (kept alive with it).
pub struct Connection {
    pub session: Session,
    pub settings: Settings,
    pub paths: Paths,
    _demo: Option<SimHandle>,
}

/// The XDG paths, or a setup error naming why they cannot be found.
pub fn load_paths() -> Result<Paths, Failure> {
    Paths::discover().map_err(Failure::setup)
}

pub async fn connect(global: &GlobalArgs) -> Result<Connection, Failure> {
    let paths = load_paths()?;
    let (settings, _) = Settings::load(global.config.as_deref(), &paths)
        .map_err(|e| Failure::setup(e.to_string()))?;
    if global.demo {
        let demo = sim::start(SimConfig::default())
            .await
            .map_err(|e| Failure::setup(format!("cannot start the embedded demo: {e}")))?;
        let target = Endpoint {
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
        return Ok(Connection {
            session: Session::open(target)?,
            settings,
            paths,
            _demo: Some(demo),
        });
    }
    let session = match (&global.context, &global.url) {
        (Some(name), _) => open_context(&settings, name)?,
        (None, Some(url)) => open("env", url, false)?,
        (None, None) => match settings.default_context() {
            Some(c) => open_settings_context(c)?,
            None => {
                return Err(Failure::setup(
                    "no Coolify server given: pass --url, set COOLIFY_BASE_URL, add a context to the settings file, or try the embedded demo with --demo",
                ));
            }
        },
    };
    Ok(Connection {
        session,
        settings,
        paths,
        _demo: None,
    })
}

/// Open a context of the settings by name.
pub fn open_context(settings: &Settings, name: &str) -> Result<Session, Failure> {
    let context = settings.context(name).ok_or_else(|| {
        Failure::setup(format!(
            "no context named '{name}' in the settings; known contexts: {}",
            known(settings)
        ))
    })?;
    open_settings_context(context)
}

fn open_settings_context(context: &Context) -> Result<Session, Failure> {
    open(&context.name, &context.url, context.read_only)
}

fn open(context: &str, url: &str, read_only: bool) -> Result<Session, Failure> {
    let token =
        secrets::resolve(Service::Coolify, None).map_err(|e| Failure::setup(e.to_string()))?;
    Ok(Session::open(Endpoint {
        context: context.to_string(),
        url: url.to_string(),
        token,
        read_only,
        health_via: std::env::var("PFTUI_HEALTH_VIA")
            .ok()
            .filter(|v| !v.is_empty()),
        github: github_access(),
    })?)
}

/// GitHub's API (`GITHUB_API_URL`, default api.github.com) when a token is available.
fn github_access() -> Option<(String, Credential)> {
    let token = secrets::resolve(Service::Github, None).ok()?;
    let url = std::env::var("GITHUB_API_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "https://api.github.com".into());
    Some((url, token))
}

fn known(settings: &Settings) -> String {
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
