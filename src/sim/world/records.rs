//! The records the simulated Coolify keeps, one type per Coolify model: projects,
//! environments, servers and their destinations, applications (with their settings, images
//! and env vars), databases, services and deployments. They refer to each other by index
//! into the `World`'s lists.

use crate::sim::ids::Ts;
use crate::sim::logs::{LogEntry, ScriptCtx};

#[derive(Debug, Clone)]
pub(crate) struct Project {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub description: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// Indices into `World::environments`, in creation order.
    pub environments: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Environment {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub project: usize,
    pub description: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

#[derive(Debug, Clone)]
pub(crate) struct Server {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub description: String,
    pub ip: String,
    pub user: String,
    pub port: u16,
    pub is_build_server: bool,
    pub is_reachable: bool,
    pub is_usable: bool,
    pub concurrent_builds: usize,
    pub queue_limit: usize,
    pub sentinel_token: String,
    pub created_at: Ts,
    pub updated_at: Ts,
    pub validation_logs: Option<String>,
}

/// A Docker network on a server (Coolify's `StandaloneDocker` destination).
#[derive(Debug, Clone)]
pub(crate) struct Destination {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub network: String,
    pub server: usize,
    pub created_at: Ts,
}

#[derive(Debug, Clone)]
pub(crate) struct AppSettings {
    pub is_auto_deploy_enabled: bool,
    pub docker_images_to_keep: u32,
    pub is_build_server_enabled: bool,
    pub is_force_https_enabled: bool,
    pub is_debug_enabled: bool,
    pub is_preview_deployments_enabled: bool,
}

/// A built image of an application, tagged with the commit it was built from.
#[derive(Debug, Clone)]
pub(crate) struct Image {
    pub tag: String,
    pub created_at: Ts,
}

#[derive(Debug, Clone)]
pub(crate) struct App {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub description: Option<String>,
    pub environment: usize,
    pub destination: usize,
    pub fqdn: Option<String>,
    pub git_repository: String,
    pub git_branch: String,
    pub git_commit_sha: String,
    pub build_pack: String,
    pub ports_exposes: String,
    pub base_directory: String,
    pub install_command: Option<String>,
    pub build_command: Option<String>,
    pub start_command: Option<String>,
    pub health_check_enabled: bool,
    pub health_check_path: String,
    pub limits_memory: String,
    pub limits_cpus: String,
    pub status: String,
    pub settings: AppSettings,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// The commit of the image the current container runs (None: never deployed).
    pub current_commit: Option<String>,
    /// Name of the current container (`<uuid>-<12 digits>`).
    pub container: Option<String>,
    pub container_started_at: Option<Ts>,
    /// Images kept on the server, oldest first.
    pub images: Vec<Image>,
    /// Generated on first use (see `World::app_envs_mut`).
    pub envs: Option<Vec<EnvVar>>,
    pub tags: Vec<String>,
    pub webhook_secret: String,
    /// npm package name and version, for realistic build and runtime logs.
    pub package: String,
    pub package_version: String,
    pub node_version: String,
    /// Accepted PATCH fields that the simulator does not model, echoed back on GET.
    pub overrides: serde_json::Map<String, serde_json::Value>,
    /// The running container's own health endpoint fails (set by a run that finished
    /// after `SimControl::fail_next_health`; cleared by the next successful run).
    pub health_failing: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct EnvVar {
    pub id: u64,
    pub uuid: String,
    pub key: String,
    /// Null when a request set none.
    pub value: Option<String>,
    pub is_preview: bool,
    pub is_literal: bool,
    pub is_multiline: bool,
    pub is_shown_once: bool,
    pub is_runtime: bool,
    pub is_buildtime: bool,
    pub comment: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DbKind {
    Postgresql,
    Redis,
    Mysql,
    Mariadb,
    Mongodb,
}

impl DbKind {
    /// `type()` of the model, as in `/servers/{uuid}/resources` and `/resources`.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            DbKind::Postgresql => "standalone-postgresql",
            DbKind::Redis => "standalone-redis",
            DbKind::Mysql => "standalone-mysql",
            DbKind::Mariadb => "standalone-mariadb",
            DbKind::Mongodb => "standalone-mongodb",
        }
    }
    /// The model's morph class (`resource_type`, `database_type`).
    pub(crate) fn model(self) -> &'static str {
        match self {
            DbKind::Postgresql => "App\\Models\\StandalonePostgresql",
            DbKind::Redis => "App\\Models\\StandaloneRedis",
            DbKind::Mysql => "App\\Models\\StandaloneMysql",
            DbKind::Mariadb => "App\\Models\\StandaloneMariadb",
            DbKind::Mongodb => "App\\Models\\StandaloneMongodb",
        }
    }
    pub(crate) fn port(self) -> u16 {
        match self {
            DbKind::Postgresql => 5432,
            DbKind::Redis => 6379,
            DbKind::Mysql | DbKind::Mariadb => 3306,
            DbKind::Mongodb => 27017,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Database {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub description: Option<String>,
    pub kind: DbKind,
    pub image: String,
    pub environment: usize,
    pub destination: usize,
    pub status: String,
    pub user: String,
    pub password: String,
    pub db_name: String,
    pub is_public: bool,
    pub public_port: Option<u16>,
    pub limits_memory: String,
    pub started_at: Option<Ts>,
    pub created_at: Ts,
    pub updated_at: Ts,
    pub tags: Vec<String>,
    pub envs: Vec<EnvVar>,
}

#[derive(Debug, Clone)]
pub(crate) struct Service {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub description: Option<String>,
    pub environment: usize,
    pub destination: usize,
    pub service_type: String,
    pub image: String,
    pub fqdn: Option<String>,
    pub status: String,
    pub compose_raw: String,
    pub created_at: Ts,
    pub updated_at: Ts,
    pub tags: Vec<String>,
    /// The sub-application (`ServiceApplication`) id and uuid.
    pub sub_id: u64,
    pub sub_uuid: String,
    pub envs: Vec<EnvVar>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeployStatus {
    Queued,
    InProgress,
    Finished,
    Failed,
    Cancelled,
}

impl DeployStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DeployStatus::Queued => "queued",
            DeployStatus::InProgress => "in_progress",
            DeployStatus::Finished => "finished",
            DeployStatus::Failed => "failed",
            DeployStatus::Cancelled => "cancelled-by-user",
        }
    }
    pub(crate) fn is_active(self) -> bool {
        matches!(self, DeployStatus::Queued | DeployStatus::InProgress)
    }
}

/// Where a deployment's log comes from.
#[derive(Debug, Clone)]
pub(crate) enum DeployLogs {
    /// Appended to as the run progresses.
    Live(Vec<LogEntry>),
    /// A run from the generated history: regenerated from its script on demand.
    Recorded(Box<ScriptCtx>),
}

#[derive(Debug, Clone)]
pub(crate) struct Deployment {
    pub id: u64,
    pub uuid: String,
    pub app: usize,
    pub server: usize,
    pub status: DeployStatus,
    pub commit: String,
    pub commit_message: Option<String>,
    pub force_rebuild: bool,
    pub restart_only: bool,
    pub rollback: bool,
    pub is_webhook: bool,
    pub is_api: bool,
    pub created_at: Ts,
    pub updated_at: Ts,
    pub finished_at: Option<Ts>,
    pub logs: DeployLogs,
    pub current_process_id: Option<String>,
    pub horizon_job_worker: Option<String>,
    pub horizon_job_id: Option<String>,
    /// Picked by the dispatcher; its runner will move it to `in_progress`.
    pub claimed: bool,
    /// The application's status when the run started, restored if the run fails.
    pub status_before: Option<String>,
    pub seed: u64,
}
