//! Everything pftui does against a server, for every front end. Every operation and read
//! is a row of the [`catalogue`], keyed by [`Kind`]; front ends derive their commands, keys
//! and tools from it. Reads go through the query façade (`query.rs`). An operation is asked
//! for as a [`Request`], planned into a [`Plan`] (resolved targets, risk, policy verdict,
//! preview: what it touches, how to undo it, the equivalent CLI command), then executed
//! with progress events and recorded in the audit journal (`pipeline.rs`). `ops` does not
//! care who asked: the caller is an [`Actor`](crate::audit::Actor).
//!
//! Each operation has its own file (`deploy`, `lifecycle`, `cancel`, `rollback`,
//! `promote`) with its plan and its run. Below them: `plan` (what a plan holds), `watch`
//! (following what an operation starts), `query`; above them: `pipeline`.

mod arguments;
mod board;
mod cancel;
pub mod catalogue;
mod config;
mod config_apply;
mod deploy;
mod health;
mod lifecycle;
mod outcome;
mod pipeline;
mod plan;
mod policy;
mod probe;
mod promote;
mod query;
mod request;
mod reveal;
mod rollback;
mod session;
mod stages;
mod watch;

use std::sync::Arc;

use tokio::sync::Mutex;

pub use arguments::{parse, schema, validate};
pub use board::BoardLimits;
pub use catalogue::{Kind, Spec};
pub use config::{
    AppDiff, ConfigDiff, ConfigView, EnvChange, EnvChangeKind, MASK, PlatformSecrets,
    PlatformSource, SettingChange, ShownEnv, ShownSetting,
};
pub use health::{HealthProbe, HealthReport};
pub use outcome::{AppOutcome, FailureSummary, Outcome, Progress};
pub use plan::{Plan, Preview};
pub use policy::{Confirmation, Risk, Verdict, below_floor};
pub use probe::Probe;
pub use query::{DeploymentRead, LOG_NOT_YET, LOG_WITHHELD, Located, RollbackChoice, ServerRead};
pub use request::{Request, Target};
pub use session::{Connection, Session};
pub use stages::NO_GITHUB;

use crate::audit::{AuditError, Journal};
use crate::coolify::{CoolifyError, Loader};
use crate::github::GithubError;
use crate::model::{AddressError, Deployment};
use crate::settings::Settings;

/// Why an [`Ops`] built without a platform configuration has none.
const NO_PLATFORM: &str =
    "no platform configuration: pass --config-dir DIR or set platform.config_dir in the settings";

/// Plans and runs operations, and answers reads, against one session.
#[derive(Debug, Clone)]
pub struct Ops {
    session: Session,
    settings: Settings,
    journal: Journal,
    health: HealthProbe,
    /// Loads the tree; a console's remembers what it decoded last time.
    loader: Arc<Mutex<Loader>>,
    /// The platform configuration, for `config diff` and `config apply`.
    platform: Option<PlatformSource>,
}

/// Why an operation or a read could not be done.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error(transparent)]
    Coolify(#[from] CoolifyError),
    #[error(transparent)]
    Address(#[from] AddressError),
    #[error(transparent)]
    Github(#[from] GithubError),
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// The policy or a missing confirmation stopped it.
    #[error("refused: {0}")]
    Refused(String),
    /// There is nothing to do (nothing running to cancel, no earlier image, ...).
    #[error("{0}")]
    Nothing(String),
    /// What was asked names something that does not exist (an image tag, an environment
    /// out of the pipeline's order without the flag that allows it, ...); the message says
    /// what does.
    #[error("{0}")]
    Invalid(String),
    /// What was asked for is already so (a promotion whose target has everything): not a
    /// failure.
    #[error("{0}")]
    UpToDate(String),
    /// A deployment was being followed when it could no longer be (the server unreachable
    /// too long, the deadline passed): what became of it is unknown.
    #[error(
        "{why}: the outcome of deployment {deployment} is unknown; look at it later (pftui logs <project> <env> <app> --deployment {deployment})"
    )]
    Lost {
        deployment: String,
        why: String,
        /// What it was at the last answer.
        last: Option<Box<Deployment>>,
    },
}

impl OpsError {
    /// The CLI's exit code: 3 refused, 2 setup problems and unknown names (Coolify's
    /// included), 0 already done, 1
    /// otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::UpToDate(_) => 0,
            Self::Refused(_) => 3,
            Self::Address(_) | Self::Audit(_) | Self::Invalid(_) => 2,
            Self::Coolify(CoolifyError::NotFound { .. }) => 2,
            Self::Coolify(e) if e.is_setup_problem() => 2,
            Self::Github(e) if e.is_setup_problem() => 2,
            Self::Coolify(_) | Self::Github(_) | Self::Nothing(_) | Self::Lost { .. } => 1,
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
            loader: Arc::default(),
            platform: None,
        }
    }

    /// For a console that loads the same tree every few seconds: list items unchanged
    /// since the last load are not decoded again.
    pub fn refreshing(mut self) -> Self {
        self.loader = Arc::new(Mutex::new(Loader::refreshing()));
        self
    }

    /// The same settings and journal against another session, for a console switching
    /// context (so [`Ops::refreshing`]).
    pub fn reopened(&self, session: Session) -> Self {
        let mut ops = Self::new(session, self.settings.clone(), self.journal.clone()).refreshing();
        ops.platform = self.platform.clone();
        ops
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}
