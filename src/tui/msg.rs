//! What flows through the console's one channel (`Msg`) and what `update` asks the runner
//! to do (`Effect`).

use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};
use jiff::Timestamp;

use super::operations::OpId;
use crate::agent::{AgentEvent, Decision, Pending};
use crate::audit::Record;
use crate::model::{Address, Deployment, Overview, Tree};
use crate::ops::{
    ConfigDiff, Confirmation, OpsError, Outcome, Plan, Progress, Request, RollbackChoice,
};

/// Everything that can happen to the console.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The clock moved (drives ages, the spinner and highlight fading).
    Tick(Timestamp),
    /// Time for the periodic refresh.
    RefreshDue,
    /// What the load about to report cost, in CPU time (where the platform tells).
    LoadCost(Duration),
    /// A load finished, for the context it was started for.
    Loaded {
        context: String,
        result: Result<Box<Overview>, String>,
    },
    /// The selection rested on an application long enough to fetch its deployments.
    RecentDue(String),
    Recent {
        context: String,
        app: String,
        result: Result<Vec<Deployment>, String>,
    },
    ContextOpened(Result<ContextInfo, String>),
    /// An operation was planned (or could not be).
    Planned(Result<Box<Plan>, Unplanned>),
    /// News from a running operation.
    OpProgress {
        id: OpId,
        progress: Progress,
    },
    OpDone {
        id: OpId,
        result: Result<Box<Outcome>, String>,
    },
    /// The images an application can roll back to.
    RollbackCandidates {
        scope: Address,
        result: Result<RollbackChoice, String>,
    },
    /// The audit journal's latest records, oldest first, and how many of its lines could
    /// not be read.
    Audit(Result<(Vec<Record>, usize), String>),
    /// News from the deployment the log pane follows.
    LogProgress {
        deployment: String,
        progress: Progress,
    },
    /// The followed deployment reached its end (or following failed).
    LogEnded {
        deployment: String,
        result: Result<Deployment, String>,
    },
    /// A fresh read of an application's container log (timestamped lines).
    RuntimeLog {
        app: String,
        result: Result<String, String>,
    },
    /// A file was written (or not).
    Saved(Result<String, String>),
    /// An application's environment variables.
    Env {
        app: String,
        result: Result<Vec<crate::model::EnvVar>, String>,
    },
    /// News from the agent's loop.
    Agent(AgentEvent),
    /// The agent's `send` or `decide` returned (with who answered).
    AgentReplied(Result<(Pending, String), String>),
    /// The audit journal recorded a reveal (or could not), at `at`.
    RevealRecorded {
        at: Timestamp,
        result: Result<(), String>,
    },
    /// A read of the pipeline board finished, for the context it was started for.
    Pipeline {
        context: String,
        result: Result<Box<crate::model::stages::Board>, String>,
    },
    /// A read of the deployments board, for the context it was started for.
    Board {
        context: String,
        result: Result<Box<crate::model::board::BoardRead>, String>,
    },
    /// A comparison of an environment with the platform configuration, for the context it
    /// was started for.
    ConfigDiff {
        context: String,
        project: String,
        environment: String,
        result: Result<Box<ConfigDiff>, String>,
    },
    /// The pipeline's environments against the platform configuration: each one it covers,
    /// compared (or why not); `None` when there is no platform configuration.
    Drift {
        context: String,
        result: Option<Vec<Compared>>,
    },
    /// A theme was loaded (or could not be).
    Theme {
        name: String,
        result: Result<Box<super::theme::Theme>, String>,
    },
    /// A signal asked the console to stop.
    Quit,
}

/// A project's environment compared with the platform configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    pub project: String,
    pub environment: String,
    pub result: Result<ConfigDiff, String>,
}

/// Why an operation was not planned: what to tell the operator, and whether it is simply
/// already so (not an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplanned {
    pub text: String,
    pub up_to_date: bool,
}

impl From<OpsError> for Unplanned {
    fn from(err: OpsError) -> Self {
        Self {
            up_to_date: matches!(err, OpsError::UpToDate(_)),
            text: err.to_string(),
        }
    }
}

/// The context the console talks to, as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextInfo {
    pub name: String,
    pub url: String,
    /// Where the token came from (never the token), in full and in a word.
    pub token_source: String,
    pub token_short: String,
    pub read_only: bool,
}

/// Work for the runner; results come back as messages.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Draw the screen again. Every message but a tick redraws anyway; a tick asks for it
    /// only when something on screen moved.
    Redraw,
    /// Read the tree and running deployments; `full` re-reads projects and servers too.
    Load {
        full: bool,
    },
    /// Send `RefreshDue` after this long (replaces any earlier schedule).
    RefreshAfter(Duration),
    /// Send `RecentDue(app)` after this long (replaces any earlier schedule).
    RecentAfter(String, Duration),
    /// Read an application's recent deployments.
    LoadRecent(String),
    /// Open another context from the settings.
    OpenContext(String),
    /// Plan an operation (reads only).
    Plan(Request),
    /// Run a planned operation with the operator's confirmation.
    Execute {
        id: OpId,
        plan: Box<Plan>,
        confirmation: Confirmation,
    },
    LoadRollbackCandidates(Address),
    /// Read the audit journal's last records (at most this many).
    LoadAudit(usize),
    /// Follow a deployment's log (replaces what the log pane followed).
    FollowLog {
        name: String,
        deployment: String,
    },
    /// Poll an application's container log (replaces what the log pane followed).
    RuntimeLog {
        app: String,
    },
    /// Stop following anything.
    StopLog,
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    /// Write a file.
    Save {
        path: std::path::PathBuf,
        bytes: Vec<u8>,
    },
    /// Read an application's environment variables (uuid, name).
    /// Load a theme by name (a built-in one, or a file of the themes directory).
    LoadTheme {
        name: String,
        dir: Option<std::path::PathBuf>,
        depth: super::theme::Depth,
    },
    /// Record in the audit journal that a variable's value is about to be shown.
    RecordReveal {
        app: Address,
        variable: String,
    },
    LoadEnv {
        app: String,
        name: String,
    },
    /// Send a prompt to the agent (the tree tells the offline planner the platform's names).
    AgentSend {
        prompt: String,
        tree: Box<Tree>,
    },
    /// Answer the agent's proposals.
    AgentDecide(Vec<Decision>),
    /// Stop the agent's turn in flight.
    AgentCancel,
    /// Read the pipeline board.
    LoadPipeline,
    /// Compare an environment with the platform configuration.
    LoadConfigDiff {
        project: String,
        environment: String,
    },
    /// Compare these (project, environment) pairs with the platform configuration, those
    /// it covers.
    LoadDrift(Vec<(String, String)>),
    /// Read the deployments board: the running deployments and the histories of the
    /// applications in `order` (those deploying first), as `limits` allow.
    LoadBoard {
        tree: Box<Tree>,
        order: Vec<String>,
        limits: crate::ops::BoardLimits,
    },
}
