//! What the data sets attach to resources: env vars of databases and services, volumes
//! and file mounts, scheduled tasks with their past runs, database backup schedules with
//! their past dumps, and the tags they carry.
//!
//! Everything here draws from generators derived from the seed and the resource (never
//! from the world's main generator), so adding it leaves every other uuid, sha and choice
//! of a data set as it was.

use crate::sim::ids::{IdGen, Ts};
use crate::sim::world::World;
use crate::sim::world::records::{DbKind, EnvVar};
use crate::sim::world::schedules::{
    BackupRun, BackupSchedule, RunStatus, ScheduledTask, TaskOwner, TaskRun,
};
use crate::sim::world::storage::{FileMount, Owner, Volume};

/// Streams of the derived generators, one range per kind of owner.
const DATABASE_STREAM: u64 = 0xA7_0000;
const SERVICE_STREAM: u64 = 0xA8_0000;
const APP_STREAM: u64 = 0xA9_0000;
const SCHEDULE_STREAM: u64 = 0xAA_0000;

/// Env var ids of databases and services sit above the applications' (which are
/// `app id * 100 + n`); the view's `order` is derived from the id.
const DATABASE_ENV_IDS: u64 = 50_000_000;
const SERVICE_ENV_IDS: u64 = 60_000_000;

/// Register the tags of a resource created at `at`.
pub(super) fn tags(w: &mut World, names: &[String], at: Ts) {
    for name in names {
        w.team.ensure_tag(w.seed, name, at);
    }
}

/// Plain runtime and build-time variables, numbered like the applications' defaults.
fn envs(ids: &mut IdGen, base_id: u64, vars: &[(&str, String)], at: Ts) -> Vec<EnvVar> {
    vars.iter()
        .enumerate()
        .map(|(i, (key, value))| EnvVar {
            id: base_id + i as u64 * 2,
            uuid: ids.uuid(),
            key: key.to_string(),
            value: Some(value.clone()),
            is_preview: false,
            is_literal: false,
            is_multiline: false,
            is_shown_once: false,
            is_runtime: true,
            is_buildtime: true,
            comment: None,
            created_at: at,
            updated_at: at,
        })
        .collect()
}

fn volume(w: &mut World, ids: &mut IdGen, owner: Owner, name: String, mount_path: &str, at: Ts) {
    let v = Volume {
        id: w.storages.next_volume_id(),
        uuid: ids.uuid(),
        name,
        mount_path: mount_path.to_string(),
        host_path: None,
        owner,
        created_at: at,
    };
    w.storages.volumes.push(v);
}

/// A database's env vars and its data volume (`postgres-data-<uuid>` and the like, as
/// Coolify names them when it creates the database).
pub(super) fn database(w: &mut World, db: usize) {
    let d = &w.databases[db];
    let mut ids = IdGen::derived(w.seed, DATABASE_STREAM + d.id);
    let (uuid, at, kind) = (d.uuid.clone(), d.created_at, d.kind);
    let (vars, volume_name, mount) = match kind {
        DbKind::Postgresql => (
            vec![
                ("POSTGRES_INITDB_ARGS", "--data-checksums".to_string()),
                ("TZ", "UTC".to_string()),
            ],
            "postgres-data",
            "/var/lib/postgresql/data",
        ),
        DbKind::Redis => (
            vec![("REDIS_ARGS", "--maxmemory-policy allkeys-lru".to_string())],
            "redis-data",
            "/data",
        ),
        DbKind::Mysql | DbKind::Mariadb => (
            vec![("TZ", "UTC".to_string())],
            "mysql-data",
            "/var/lib/mysql",
        ),
        DbKind::Mongodb => (vec![("TZ", "UTC".to_string())], "mongodb-db", "/data/db"),
    };
    let base = DATABASE_ENV_IDS + d.id * 100;
    w.databases[db].envs = envs(&mut ids, base, &vars, at);
    volume(
        w,
        &mut ids,
        Owner::Database(db),
        format!("{volume_name}-{uuid}"),
        mount,
        at,
    );
}

/// A service's env vars (the magic `SERVICE_FQDN_*`/`SERVICE_URL_*` pair Coolify derives
/// from the compose file) and the volume of its sub-application.
pub(super) fn service(w: &mut World, service: usize) {
    let s = &w.services[service];
    let mut ids = IdGen::derived(w.seed, SERVICE_STREAM + s.id);
    let name = s.service_type.replace('-', "").to_uppercase();
    let url = s.fqdn.clone().unwrap_or_default();
    let host = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_string();
    let vars = [
        (format!("SERVICE_FQDN_{name}_3001"), host),
        (format!("SERVICE_URL_{name}_3001"), url),
        ("TZ".to_string(), "UTC".to_string()),
    ];
    let vars: Vec<(&str, String)> = vars.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let (uuid, kind, at) = (s.uuid.clone(), s.service_type.clone(), s.created_at);
    let base = SERVICE_ENV_IDS + s.id * 100;
    w.services[service].envs = envs(&mut ids, base, &vars, at);
    volume(
        w,
        &mut ids,
        Owner::ServiceApp(service),
        format!("{uuid}_{kind}-data"),
        "/app/data",
        at,
    );
}

/// An application's uploads volume and, when given, a file Coolify writes into it.
pub(super) fn app_storage(w: &mut World, app: usize, file: Option<(&str, &str)>) {
    let a = &w.apps[app];
    let mut ids = IdGen::derived(w.seed, APP_STREAM + a.id);
    let (uuid, at) = (a.uuid.clone(), a.created_at.plus_ms(86_400_000));
    volume(
        w,
        &mut ids,
        Owner::App(app),
        format!("{uuid}-uploads"),
        "/app/public/uploads",
        at,
    );
    if let Some((mount_path, content)) = file {
        let f = FileMount {
            id: w.storages.next_file_id(),
            uuid: ids.uuid(),
            fs_path: format!("/data/coolify/applications/{uuid}{mount_path}"),
            mount_path: mount_path.to_string(),
            content: Some(content.to_string()),
            is_directory: false,
            owner: Owner::App(app),
            created_at: at,
        };
        w.storages.files.push(f);
    }
}

/// What a scheduled task is and how its past runs went (newest first: `Ok(output)` or
/// `Err(error)`), one a `period_ms` apart, the newest `last_ms` before the world starts.
pub(super) struct TaskSpec<'a> {
    pub(super) owner: TaskOwner,
    pub(super) name: &'a str,
    pub(super) command: &'a str,
    pub(super) frequency: &'a str,
    pub(super) container: Option<&'a str>,
    pub(super) runs: &'a [Result<&'a str, &'a str>],
    pub(super) last_ms: i64,
    pub(super) period_ms: i64,
    pub(super) created: Ts,
}

fn outcome(r: &Result<&str, &str>) -> (RunStatus, String) {
    match r {
        Ok(m) => (RunStatus::Success, m.to_string()),
        Err(m) => (RunStatus::Failed, m.to_string()),
    }
}

pub(super) fn scheduled_task(w: &mut World, spec: TaskSpec<'_>) {
    let n = w.schedules.tasks.len() as u64;
    let mut ids = IdGen::derived(w.seed, SCHEDULE_STREAM + n);
    let runs = spec
        .runs
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let started = w
                .started
                .plus_ms(-(spec.last_ms + k as i64 * spec.period_ms));
            let (status, message) = outcome(r);
            TaskRun {
                uuid: ids.uuid(),
                status,
                message: Some(message),
                started_at: started,
                finished_at: Some(started.plus_ms(1_200 + ids.range(0..3_000) as i64)),
            }
        })
        .collect();
    let task = ScheduledTask {
        uuid: ids.uuid(),
        name: spec.name.to_string(),
        command: spec.command.to_string(),
        frequency: spec.frequency.to_string(),
        container: spec.container.map(str::to_string),
        timeout: 300,
        enabled: true,
        owner: spec.owner,
        created_at: spec.created,
        updated_at: spec.created,
        runs,
    };
    w.schedules.tasks.push(task);
}

/// A nightly dump of database `db` at 02:00 keeping seven, with past dumps (newest first,
/// one a day; `Ok(size in bytes)` or `Err(error)`).
pub(super) fn backup_schedule(w: &mut World, db: usize, runs: &[Result<u64, &str>]) {
    let n = w.schedules.backups.len() as u64;
    let mut ids = IdGen::derived(w.seed, SCHEDULE_STREAM + 0x8000 + n);
    let d = &w.databases[db];
    let (db_name, created) = (d.db_name.clone(), d.created_at.plus_ms(3_600_000));
    let dir = format!(
        "/data/coolify/backups/databases/root-team-0/{}-{}",
        d.name, d.uuid
    );
    let id = n + 1;
    let first_run = w
        .schedules
        .backups
        .iter()
        .map(|b| b.runs.len())
        .sum::<usize>() as u64
        + 1;
    let day = 86_400_000i64;
    // The last 02:00 (UTC) before the world started, then a day earlier each.
    let midnight = Ts(w.started.0.div_euclid(day * 1000) * day * 1000);
    let mut latest = midnight.plus_ms(2 * 3_600_000);
    if latest > w.started {
        latest = latest.plus_ms(-day);
    }
    let mut out = Vec::with_capacity(runs.len());
    for (k, r) in runs.iter().enumerate() {
        let at = latest.plus_ms(-(k as i64) * day);
        let (status, size, message, filename) = match r {
            Ok(size) => (
                RunStatus::Success,
                *size,
                "Backup completed successfully.".to_string(),
                Some(format!("{dir}/pg-dump-{db_name}-{}.dmp", at.unix_secs())),
            ),
            Err(e) => (RunStatus::Failed, 0, e.to_string(), None),
        };
        out.push(BackupRun {
            id: first_run + k as u64,
            uuid: ids.uuid(),
            status,
            message: Some(message),
            size,
            filename,
            database_name: db_name.clone(),
            created_at: at,
            finished_at: Some(at.plus_ms(4_000 + ids.range(0..20_000) as i64)),
        });
    }
    let schedule = BackupSchedule {
        id,
        uuid: ids.uuid(),
        description: Some(format!("Nightly dump of {db_name}")),
        enabled: true,
        frequency: "0 2 * * *".into(),
        keep_locally: 7,
        database: db,
        timeout: 3600,
        created_at: created,
        updated_at: created,
        runs: out,
    };
    w.schedules.backups.push(schedule);
}
