//! From what Coolify sends to the domain types the client returns.

use super::{
    Accepted, Application, Created, Database, Deployment, DeploymentPage, Destination, EnvVar,
    Environment, Message, Project, RollbackImages, Server, ServerDomains, ServerResource, Service,
};
use crate::model::{
    self, AppInfo, DeploymentStatus, ResourceKind, ResourceStatus, Setting, Trigger,
};

impl Application {
    pub fn into_resource(self, server: Option<String>) -> model::Resource {
        let server = server.or_else(|| server_name_of(self.destination));
        model::Resource {
            id: self.id,
            name: self.name.unwrap_or_else(|| self.uuid.clone()),
            uuid: self.uuid,
            kind: ResourceKind::Application,
            engine: None,
            status: status_of(self.status.as_deref()),
            server,
            description: self.description,
            urls: urls(
                split(self.fqdn.as_deref())
                    .chain(compose_domains(self.docker_compose_domains.as_deref())),
            ),
            app: Some(AppInfo {
                git_repository: self.git_repository,
                git_branch: self.git_branch,
                git_commit_sha: self.git_commit_sha,
                build_pack: self.build_pack,
                health_check_path: self.health_check_path,
                health_check_enabled: self.health_check_enabled,
                auto_deploy: self.settings.and_then(|s| s.is_auto_deploy_enabled),
            }),
        }
    }
}

impl Application {
    /// The settings the platform configuration manages, as far as the server sent them.
    pub fn settings(&self) -> model::AppSettings {
        use strum::VariantArray;
        let text = |v: &Option<String>| v.clone().map(serde_json::Value::from);
        let mut out = model::AppSettings::default();
        for &setting in Setting::VARIANTS {
            let value = match setting {
                Setting::GitBranch => text(&self.git_branch),
                Setting::Domains => text(&self.fqdn),
                Setting::BuildPack => text(&self.build_pack),
                Setting::PortsExposes => text(&self.ports_exposes),
                Setting::InstallCommand => text(&self.install_command),
                Setting::BuildCommand => text(&self.build_command),
                Setting::StartCommand => text(&self.start_command),
                Setting::HealthCheckPath => text(&self.health_check_path),
                Setting::HealthCheckInterval => self.health_check_interval.map(Into::into),
                Setting::LimitsMemory => text(&self.limits_memory),
                Setting::LimitsCpus => text(&self.limits_cpus),
                Setting::AutoDeploy => self
                    .settings
                    .as_ref()
                    .and_then(|s| s.is_auto_deploy_enabled)
                    .map(Into::into),
            };
            if let Some(value) = value {
                out.set(setting, value);
            }
        }
        out
    }
}

impl Database {
    /// The engine without Coolify's `standalone-` prefix: `postgresql`, `redis`, ...
    pub fn engine(&self) -> Option<String> {
        self.database_type
            .as_deref()
            .map(|t| t.strip_prefix("standalone-").unwrap_or(t).to_string())
    }

    pub fn into_resource(self, server: Option<String>) -> model::Resource {
        let engine = self.engine();
        let server = server.or_else(|| server_name_of(self.destination));
        model::Resource {
            id: self.id,
            name: self.name.unwrap_or_else(|| self.uuid.clone()),
            uuid: self.uuid,
            kind: ResourceKind::Database,
            engine,
            status: status_of(self.status.as_deref()),
            server,
            description: self.description,
            urls: Vec::new(),
            app: None,
        }
    }
}

impl Service {
    pub fn into_resource(self, server: Option<String>) -> model::Resource {
        model::Resource {
            id: self.id,
            name: self.name.unwrap_or_else(|| self.uuid.clone()),
            uuid: self.uuid,
            kind: ResourceKind::Service,
            engine: self.service_type,
            status: status_of(self.status.as_deref()),
            server: server.or_else(|| self.server.and_then(|s| s.name)),
            description: self.description,
            urls: urls(
                self.applications
                    .iter()
                    .flatten()
                    .flat_map(|a| split(a.fqdn.as_deref())),
            ),
            app: None,
        }
    }
}

/// The URLs of a comma-separated `fqdn`.
fn split(fqdn: Option<&str>) -> impl Iterator<Item = String> + '_ {
    fqdn.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
}

/// The domains of a docker-compose application's `docker_compose_domains`, by compose
/// service name; nothing when it is not the object Coolify stores.
fn compose_domains(raw: Option<&str>) -> Vec<String> {
    let Some(Ok(serde_json::Value::Object(services))) =
        raw.map(serde_json::from_str::<serde_json::Value>)
    else {
        return Vec::new();
    };
    services
        .values()
        .filter_map(|service| service.get("domain")?.as_str())
        .flat_map(|domains| split(Some(domains)).collect::<Vec<_>>())
        .collect()
}

/// URLs in order, each once.
fn urls(all: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for url in all {
        if !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

impl Server {
    pub fn to_model(&self) -> model::Server {
        let settings = self.settings.clone().unwrap_or_default();
        model::Server {
            uuid: self.uuid.clone(),
            name: self.name.clone().unwrap_or_else(|| self.uuid.clone()),
            description: self.description.clone(),
            ip: self.ip.clone(),
            reachable: self.is_reachable.or(settings.is_reachable),
            usable: self.is_usable.or(settings.is_usable),
            build_server: settings.is_build_server.unwrap_or(false),
        }
    }
}

impl Deployment {
    pub fn to_model(&self) -> model::Deployment {
        model::Deployment {
            uuid: self.deployment_uuid.clone(),
            application_id: self.application_id.clone(),
            application_name: self.application_name.clone(),
            status: self
                .status
                .as_deref()
                .map(DeploymentStatus::parse)
                .unwrap_or_else(|| DeploymentStatus::Unknown("unknown".into())),
            commit: self.commit.clone(),
            commit_message: self.commit_message.clone(),
            trigger: Trigger::classify(
                self.pull_request_id.unwrap_or(0),
                self.is_webhook.unwrap_or(false),
                self.rollback.unwrap_or(false),
                self.is_api.unwrap_or(false),
            ),
            force_rebuild: self.force_rebuild.unwrap_or(false),
            restart_only: self.restart_only.unwrap_or(false),
            server_name: self.server_name.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            finished_at: self.finished_at,
        }
    }
}

impl Project {
    /// The project with its environments when the answer listed them (`GET
    /// /projects/{uuid}`).
    pub fn into_model(self) -> model::Project {
        model::Project {
            name: self.name.unwrap_or_else(|| self.uuid.clone()),
            uuid: self.uuid,
            description: self.description,
            environments: self
                .environments
                .into_iter()
                .map(Environment::into_model)
                .collect(),
        }
    }
}

impl Environment {
    /// The environment with its resources when the answer carried them (`GET
    /// /projects/{uuid}/{environment}`).
    pub fn into_model(self) -> model::Environment {
        let databases = [
            ("postgresql", self.postgresqls),
            ("redis", self.redis),
            ("mongodb", self.mongodbs),
            ("mysql", self.mysqls),
            ("mariadb", self.mariadbs),
        ];
        let resources = self
            .applications
            .into_iter()
            .map(|a| a.into_resource(None))
            .chain(databases.into_iter().flat_map(|(engine, list)| {
                list.into_iter().map(move |d| {
                    let mut r = d.into_resource(None);
                    r.engine.get_or_insert_with(|| engine.to_string());
                    r
                })
            }))
            .chain(self.services.into_iter().map(|s| s.into_resource(None)))
            .collect();
        model::Environment {
            name: self.name.unwrap_or_else(|| "(unnamed)".into()),
            uuid: self.uuid,
            id: self.id,
            resources,
        }
    }
}

impl ServerResource {
    pub fn into_model(self) -> model::ServerResource {
        model::ServerResource {
            name: self.name.unwrap_or_else(|| self.uuid.clone()),
            uuid: self.uuid,
            kind: self.kind,
            status: status_of(self.status.as_deref()),
        }
    }
}

impl From<ServerDomains> for model::ServerDomains {
    fn from(wire: ServerDomains) -> Self {
        Self {
            ip: wire.ip,
            domains: wire.domains,
        }
    }
}

impl From<DeploymentPage> for model::DeploymentPage {
    fn from(wire: DeploymentPage) -> Self {
        Self {
            count: wire.count,
            deployments: wire.deployments.iter().map(Deployment::to_model).collect(),
        }
    }
}

impl From<Accepted> for model::Accepted {
    fn from(wire: Accepted) -> Self {
        Self {
            message: wire.message,
            deployment_uuid: wire.deployment_uuid,
        }
    }
}

impl From<Message> for model::Accepted {
    fn from(wire: Message) -> Self {
        Self {
            message: wire.message,
            deployment_uuid: None,
        }
    }
}

impl From<Created> for String {
    fn from(wire: Created) -> Self {
        wire.uuid
    }
}

impl From<RollbackImages> for model::RollbackImages {
    fn from(wire: RollbackImages) -> Self {
        Self {
            current: wire.current,
            images: wire
                .images
                .into_iter()
                .map(|i| model::RollbackImage {
                    tag: i.tag,
                    created_at: i.created_at,
                    is_current: i.is_current,
                })
                .collect(),
        }
    }
}

impl From<EnvVar> for model::EnvVar {
    fn from(wire: EnvVar) -> Self {
        Self {
            uuid: wire.uuid,
            key: wire.key,
            value: wire.value,
            is_preview: wire.is_preview,
            is_literal: wire.is_literal,
            is_multiline: wire.is_multiline,
            is_shown_once: wire.is_shown_once,
            is_runtime: wire.is_runtime,
            is_buildtime: wire.is_buildtime,
            comment: wire.comment,
        }
    }
}

fn status_of(raw: Option<&str>) -> ResourceStatus {
    raw.map(ResourceStatus::parse)
        .unwrap_or_else(ResourceStatus::unknown)
}

fn server_name_of(destination: Option<Destination>) -> Option<String> {
    destination?.server?.name
}
