//! From global options to an open session: the embedded demo, or a server named by flag or
//! environment.

use super::{Failure, GlobalArgs};
use crate::ops::{Session, Target};
use crate::secrets::{self, Credential, Service, Source};
use crate::settings::{Paths, Settings};
use crate::sim::{self, SimConfig, SimHandle};

/// An open session, plus the demo simulator it may be talking to (kept alive with it).
pub struct Connection {
    pub session: Session,
    _demo: Option<SimHandle>,
}

pub async fn connect(global: &GlobalArgs) -> Result<Connection, Failure> {
    if global.demo {
        let demo = sim::start(SimConfig::default())
            .await
            .map_err(|e| Failure::setup(format!("cannot start the embedded demo: {e}")))?;
        let target = Target {
            context: "demo".into(),
            url: demo.coolify_url(),
            token: Credential {
                value: demo.token().to_string().into(),
                source: Source::Demo,
            },
            read_only: false,
        };
        return Ok(Connection {
            session: Session::open(target)?,
            _demo: Some(demo),
        });
    }
    let settings = load_settings(global)?;
    let (context, url, read_only) = match (&global.context, &global.url) {
        (Some(name), _) => {
            let c = settings.context(name).ok_or_else(|| {
                Failure::setup(format!(
                    "no context named '{name}' in the settings; known contexts: {}",
                    known(&settings)
                ))
            })?;
            (c.name.clone(), c.url.clone(), c.read_only)
        }
        (None, Some(url)) => ("env".to_string(), url.clone(), false),
        (None, None) => match settings.default_context() {
            Some(c) => (c.name.clone(), c.url.clone(), c.read_only),
            None => {
                return Err(Failure::setup(
                    "no Coolify server given: pass --url, set COOLIFY_BASE_URL, add a context to the settings file, or try the embedded demo with --demo",
                ));
            }
        },
    };
    let token =
        secrets::resolve(Service::Coolify, None).map_err(|e| Failure::setup(e.to_string()))?;
    let target = Target {
        context,
        url,
        token,
        read_only,
    };
    Ok(Connection {
        session: Session::open(target)?,
        _demo: None,
    })
}

/// The settings file named by `--config` or found in the XDG config directory.
pub fn load_settings(global: &GlobalArgs) -> Result<Settings, Failure> {
    let paths = Paths::discover().map_err(Failure::setup)?;
    Settings::load(global.config.as_deref(), &paths)
        .map(|(settings, _)| settings)
        .map_err(|e| Failure::setup(e.to_string()))
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
