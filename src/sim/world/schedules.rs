//! Things that run on a schedule: commands in an application's or service's container
//! (`ScheduledTask`, with `ScheduledTaskExecution`s) and database backups
//! (`ScheduledDatabaseBackup`, with `ScheduledDatabaseBackupExecution`s).

use crate::sim::ids::Ts;

/// How one finished execution went (the `status` enum of both execution tables, which
/// also has `running`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunStatus {
    Success,
    Failed,
}

impl RunStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RunStatus::Success => "success",
            RunStatus::Failed => "failed",
        }
    }
}

/// The resource a scheduled task runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskOwner {
    /// Index into `World::apps`.
    App(usize),
    /// Index into `World::services`.
    Service(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct TaskRun {
    pub uuid: String,
    pub status: RunStatus,
    pub message: Option<String>,
    pub started_at: Ts,
    /// None while running.
    pub finished_at: Option<Ts>,
}

#[derive(Debug, Clone)]
pub(crate) struct ScheduledTask {
    pub uuid: String,
    pub name: String,
    pub command: String,
    /// A cron expression or a word such as `daily`.
    pub frequency: String,
    /// The service's container to run in (None: the application's own).
    pub container: Option<String>,
    /// Seconds.
    pub timeout: u32,
    pub enabled: bool,
    pub owner: TaskOwner,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// Newest first.
    pub runs: Vec<TaskRun>,
}

#[derive(Debug, Clone)]
pub(crate) struct BackupRun {
    pub id: u64,
    pub uuid: String,
    pub status: RunStatus,
    pub message: Option<String>,
    /// Bytes (0 when the dump failed).
    pub size: u64,
    pub filename: Option<String>,
    pub database_name: String,
    pub created_at: Ts,
    pub finished_at: Option<Ts>,
}

#[derive(Debug, Clone)]
pub(crate) struct BackupSchedule {
    pub id: u64,
    pub uuid: String,
    pub description: Option<String>,
    pub enabled: bool,
    pub frequency: String,
    /// How many dumps to keep on the server (0: all).
    pub keep_locally: u32,
    /// Index into `World::databases`.
    pub database: usize,
    /// Seconds.
    pub timeout: u32,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// Newest first.
    pub runs: Vec<BackupRun>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Schedules {
    pub tasks: Vec<ScheduledTask>,
    pub backups: Vec<BackupSchedule>,
}
