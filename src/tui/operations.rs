//! The operations the console started, from a key, the palette or the agent: several run at
//! once, each on its own targets; they are kept after they end, for `:ops`.

use jiff::Timestamp;

use crate::model::DeploymentStatus;
use crate::ops::{Kind, Outcome, Plan, Progress};

/// How many ended operations `:ops` keeps.
const ENDED_KEPT: usize = 20;

/// Which operation news is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpId {
    /// Started by a key or the palette.
    Console(u64),
    /// Approved in the agent pane: the proposal's id.
    Agent(String),
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: OpId,
    pub title: String,
    pub kind: Kind,
    /// The uuids and names of what it acts on.
    pub targets: Vec<(String, String)>,
    pub started: Timestamp,
    /// The deployments it started, by target name.
    pub deployments: Vec<(String, String)>,
    /// The latest status of each target's deployment.
    pub status: Vec<(String, DeploymentStatus)>,
    pub notes: Vec<String>,
    pub ended: Option<Ended>,
}

/// How an operation ended.
#[derive(Debug, Clone)]
pub struct Ended {
    pub at: Timestamp,
    pub result: Result<Box<Outcome>, String>,
}

impl Operation {
    /// `running`, `succeeded`, `failed` or `did not run`.
    pub fn state(&self) -> &'static str {
        match &self.ended {
            None => "running",
            Some(Ended { result: Ok(o), .. }) if o.ok => "succeeded",
            Some(Ended { result: Ok(_), .. }) => "failed",
            Some(Ended { result: Err(_), .. }) => "did not run",
        }
    }

    /// Its progress in a few words: each target's deployment status.
    pub fn progress(&self) -> String {
        self.status
            .iter()
            .map(|(t, s)| format!("{t} {s}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn acts_on(&self, uuid: &str) -> bool {
        self.targets.iter().any(|(u, _)| u == uuid)
    }
}

/// The console's operations, oldest first.
#[derive(Debug, Default)]
pub struct Operations {
    list: Vec<Operation>,
    next: u64,
}

impl Operations {
    /// An id for an operation started from the console.
    pub fn next_id(&mut self) -> OpId {
        self.next += 1;
        OpId::Console(self.next)
    }

    /// The running operation on any of `plan`'s targets, which a new one must wait for (a
    /// cancel never waits: it is how a running deployment is stopped).
    pub fn blocking(&self, plan: &Plan) -> Option<&Operation> {
        if plan.kind == Kind::Cancel {
            return None;
        }
        self.running()
            .find(|op| plan.targets.iter().any(|t| op.acts_on(&t.uuid)))
    }

    /// The running operation on the resource `uuid`.
    pub fn running_on(&self, uuid: &str) -> Option<&Operation> {
        self.running().find(|op| op.acts_on(uuid))
    }

    pub fn start(&mut self, id: OpId, plan: &Plan, now: Timestamp) {
        self.list.push(Operation {
            id,
            title: plan.preview.title.clone(),
            kind: plan.kind,
            targets: plan
                .targets
                .iter()
                .map(|t| (t.uuid.clone(), t.name.clone()))
                .collect(),
            started: now,
            deployments: Vec::new(),
            status: Vec::new(),
            notes: Vec::new(),
            ended: None,
        });
    }

    /// Record news of a running operation; false when it is not one of ours.
    pub fn progress(&mut self, id: &OpId, progress: &Progress) -> bool {
        let Some(op) = self.running_mut(id) else {
            return false;
        };
        match progress {
            Progress::Started { target, deployment } => {
                op.deployments.push((target.clone(), deployment.clone()))
            }
            Progress::Status { target, status } => {
                op.status.retain(|(t, _)| t != target);
                op.status.push((target.clone(), status.clone()));
            }
            Progress::Note { target, text } => op.notes.push(match target {
                Some(t) => format!("{t}: {text}"),
                None => text.clone(),
            }),
            Progress::Health { target, health } => op.notes.push(format!(
                "{target}: {} ({})",
                if health.ok { "healthy" } else { "unhealthy" },
                health.detail
            )),
            Progress::Lines { .. } => {}
        }
        true
    }

    /// An operation ended; returns it. Only the newest [`ENDED_KEPT`] ended ones are kept.
    pub fn end(
        &mut self,
        id: &OpId,
        result: Result<Box<Outcome>, String>,
        now: Timestamp,
    ) -> Option<&Operation> {
        let index = self
            .list
            .iter()
            .position(|op| op.id == *id && op.ended.is_none())?;
        self.list[index].ended = Some(Ended { at: now, result });
        // The ended one moves last, after those still running: newest news last.
        let op = self.list.remove(index);
        self.list.push(op);
        let ended = self.list.iter().filter(|op| op.ended.is_some()).count();
        if ended > ENDED_KEPT
            && let Some(oldest) = self.list.iter().position(|op| op.ended.is_some())
        {
            self.list.remove(oldest);
        }
        self.list.last()
    }

    pub fn running(&self) -> impl Iterator<Item = &Operation> {
        self.list.iter().filter(|op| op.ended.is_none())
    }

    /// Every operation, newest first.
    pub fn all(&self) -> impl Iterator<Item = &Operation> {
        self.list.iter().rev()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn running_mut(&mut self, id: &OpId) -> Option<&mut Operation> {
        self.list
            .iter_mut()
            .find(|op| op.id == *id && op.ended.is_none())
    }
}
