//! The action pipeline. Every operation and read is a row of the [`catalogue`], keyed by
//! [`Kind`]; front ends derive their commands, keys and tools from it. An operation is
//! asked for as a [`Request`], planned into a [`Plan`] (resolved targets, risk, policy
//! verdict, preview: what it touches, how to undo it, the equivalent CLI command), then
//! executed with progress events and recorded in the audit journal. `ops` does not care
//! who asked: the caller is an [`Actor`](crate::audit::Actor).

mod arguments;
pub mod catalogue;
mod health;
mod plan;
mod policy;
mod promote;
mod request;
mod run;
mod session;

use std::time::Duration;

pub use arguments::{parse, schema, validate};
pub use catalogue::{Kind, Spec};
pub use health::{HealthProbe, HealthReport};
pub use plan::{Plan, Preview};
pub use policy::{Confirmation, Risk, Verdict};
pub use request::{Request, Target};
pub use run::{AppOutcome, Outcome, Progress, follow};
pub use session::{Endpoint, Session};

use crate::audit::Journal;
use crate::coolify::CoolifyError;
use crate::github::GithubError;
use crate::model::AddressError;
use crate::settings::Settings;

/// Plans and runs operations against one session.
#[derive(Debug, Clone)]
pub struct Ops {
    pub session: Session,
    pub settings: Settings,
    pub journal: Journal,
    health: HealthProbe,
}

/// Why an operation could not be planned or run.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error(transparent)]
    Coolify(#[from] CoolifyError),
    #[error(transparent)]
    Address(#[from] AddressError),
    #[error(transparent)]
    Github(#[from] GithubError),
    /// The policy or a missing confirmation stopped it.
    #[error("refused: {0}")]
    Refused(String),
    /// There is nothing to do (nothing running to cancel, no earlier image, ...).
    #[error("{0}")]
    Nothing(String),
}

impl OpsError {
    /// The CLI's exit code: 3 refused, 2 setup problems and bad names, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Refused(_) => 3,
            Self::Address(_) => 2,
            Self::Coolify(e) if e.is_setup_problem() => 2,
            Self::Github(e) if e.is_setup_problem() => 2,
            Self::Coolify(_) | Self::Github(_) | Self::Nothing(_) => 1,
        }
    }
}

impl Ops {
    pub fn new(session: Session, settings: Settings, journal: Journal) -> Self {
        let health = HealthProbe::new(&settings.health, session.health_via.clone());
        Self {
            session,
            settings,
            journal,
            health,
        }
    }

    /// How often a followed deployment is polled.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_secs_f64(self.settings.refresh.while_deploying)
    }
}
