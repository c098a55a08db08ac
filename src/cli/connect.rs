//! From global options to an open session: the embedded demo, or a server named by flag or
//! environment.

use super::{Failure, GlobalArgs};
use crate::ops::{Session, Target};
use crate::secrets::{self, Credential, Service, Source};
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
    if global.context.is_some() || global.config.is_some() {
        return Err(Failure::setup(
            "settings contexts are not available in this build; name the server with --url or COOLIFY_BASE_URL",
        ));
    }
    let Some(url) = global.url.clone() else {
        return Err(Failure::setup(
            "no Coolify server given: pass --url or set COOLIFY_BASE_URL (or try the embedded demo with --demo)",
        ));
    };
    let token =
        secrets::resolve(Service::Coolify, None).map_err(|e| Failure::setup(e.to_string()))?;
    let target = Target {
        context: "env".into(),
        url,
        token,
        read_only: false,
    };
    Ok(Connection {
        session: Session::open(target)?,
        _demo: None,
    })
}
