//! JSON of scheduled tasks and their executions (`serializeApiResponse` order, `id` and
//! owner ids hidden) and of database backup schedules: `GET /databases/{uuid}/backups`
//! writes the models as Eloquent does (columns in table order, `id` kept, the executions
//! embedded), the executions route its own five fields per execution.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::sim::ids::Ts;
use crate::sim::world::World;
use crate::sim::world::schedules::{BackupRun, BackupSchedule, ScheduledTask, TaskRun};

pub(crate) struct TaskView<'a>(pub &'a ScheduledTask);

impl Serialize for TaskView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut m = s.serialize_map(Some(9))?;
        m.serialize_entry("uuid", &t.uuid)?;
        m.serialize_entry("name", &t.name)?;
        m.serialize_entry("command", &t.command)?;
        m.serialize_entry("container", &t.container)?;
        m.serialize_entry("enabled", &t.enabled)?;
        m.serialize_entry("frequency", &t.frequency)?;
        m.serialize_entry("timeout", &t.timeout)?;
        m.serialize_entry("created_at", &t.created_at)?;
        m.serialize_entry("updated_at", &t.updated_at)?;
        m.end()
    }
}

/// Seconds between two instants with two decimals, as the `decimal:2` cast writes them
/// (a string).
fn seconds_between(from: Ts, to: Ts) -> String {
    let centis = (to.0 - from.0).max(0) / 10_000;
    format!("{}.{:02}", centis / 100, centis % 100)
}

pub(crate) struct TaskRunView<'a>(pub &'a TaskRun);

impl Serialize for TaskRunView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("uuid", &r.uuid)?;
        m.serialize_entry(
            "duration",
            &r.finished_at.map(|f| seconds_between(r.started_at, f)),
        )?;
        m.serialize_entry("error_details", &())?;
        m.serialize_entry("finished_at", &r.finished_at)?;
        m.serialize_entry("message", &r.message)?;
        m.serialize_entry("retry_count", &0)?;
        m.serialize_entry("started_at", &r.started_at)?;
        m.serialize_entry("status", r.status.as_str())?;
        m.serialize_entry("created_at", &r.started_at)?;
        m.serialize_entry("updated_at", &r.finished_at.unwrap_or(r.started_at))?;
        m.end()
    }
}

pub(crate) struct BackupScheduleView<'a> {
    pub w: &'a World,
    pub b: &'a BackupSchedule,
}

impl Serialize for BackupScheduleView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b = self.b;
        let d = &self.w.databases[b.database];
        let runs: Vec<BackupRunView<'_>> = b
            .runs
            .iter()
            .map(|r| BackupRunView {
                r,
                schedule_id: b.id,
            })
            .collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &b.id)?;
        m.serialize_entry("description", &b.description)?;
        m.serialize_entry("uuid", &b.uuid)?;
        m.serialize_entry("enabled", &b.enabled)?;
        m.serialize_entry("save_s3", &false)?;
        m.serialize_entry("frequency", &b.frequency)?;
        m.serialize_entry("database_backup_retention_amount_locally", &b.keep_locally)?;
        m.serialize_entry("database_type", d.kind.model())?;
        m.serialize_entry("database_id", &d.id)?;
        m.serialize_entry("s3_storage_id", &())?;
        m.serialize_entry("team_id", &0)?;
        m.serialize_entry("created_at", &b.created_at)?;
        m.serialize_entry("updated_at", &b.updated_at)?;
        m.serialize_entry("databases_to_backup", &())?;
        m.serialize_entry("dump_all", &false)?;
        m.serialize_entry("database_backup_retention_days_locally", &0)?;
        m.serialize_entry("database_backup_retention_max_storage_locally", &0.0)?;
        m.serialize_entry("database_backup_retention_amount_s3", &0)?;
        m.serialize_entry("database_backup_retention_days_s3", &0)?;
        m.serialize_entry("database_backup_retention_max_storage_s3", &0.0)?;
        m.serialize_entry("timeout", &b.timeout)?;
        m.serialize_entry("disable_local_backup", &false)?;
        m.serialize_entry("executions", &runs)?;
        m.end()
    }
}

/// An execution embedded in its schedule (the whole model).
struct BackupRunView<'a> {
    r: &'a BackupRun,
    schedule_id: u64,
}

impl Serialize for BackupRunView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.r;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &r.id)?;
        m.serialize_entry("uuid", &r.uuid)?;
        m.serialize_entry("status", r.status.as_str())?;
        m.serialize_entry("message", &r.message)?;
        m.serialize_entry("size", &r.size)?;
        m.serialize_entry("filename", &r.filename)?;
        m.serialize_entry("scheduled_database_backup_id", &self.schedule_id)?;
        m.serialize_entry("created_at", &r.created_at)?;
        m.serialize_entry("updated_at", &r.finished_at.unwrap_or(r.created_at))?;
        m.serialize_entry("database_name", &r.database_name)?;
        m.serialize_entry("finished_at", &r.finished_at)?;
        m.serialize_entry("local_storage_deleted", &false)?;
        m.serialize_entry("s3_storage_deleted", &false)?;
        m.serialize_entry("s3_uploaded", &())?;
        m.end()
    }
}

/// An execution as `GET .../backups/{uuid}/executions` lists it.
pub(crate) struct BackupRunSummary<'a>(pub &'a BackupRun);

impl Serialize for BackupRunSummary<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("uuid", &r.uuid)?;
        m.serialize_entry("filename", &r.filename)?;
        m.serialize_entry("size", &r.size)?;
        m.serialize_entry("created_at", &r.created_at.iso8601())?;
        m.serialize_entry("message", &r.message)?;
        m.serialize_entry("status", r.status.as_str())?;
        m.end()
    }
}
