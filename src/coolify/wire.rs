//! Coolify's JSON, read leniently: unknown fields are ignored, keys the API may omit are
//! optional, and numbers, booleans and timestamps are accepted in the forms Laravel emits.

use jiff::Timestamp;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

use crate::model::{self, AppInfo, DeploymentStatus, ResourceKind, ResourceStatus, Trigger};

#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<u64>,
    pub uuid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
    /// Present on `GET /projects/{uuid}`.
    #[serde(default, deserialize_with = "lenient::list")]
    pub environments: Vec<Environment>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Environment {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub uuid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub project_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
    /// The resource arrays of `GET /projects/{uuid}/{environment}`.
    #[serde(default, deserialize_with = "lenient::list")]
    pub applications: Vec<Application>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub postgresqls: Vec<Database>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub redis: Vec<Database>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub mongodbs: Vec<Database>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub mysqls: Vec<Database>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub mariadbs: Vec<Database>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Application {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<u64>,
    pub uuid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
    /// Comma-separated URLs.
    #[serde(default, deserialize_with = "lenient::string")]
    pub fqdn: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub git_repository: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub git_branch: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub git_commit_sha: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub build_pack: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub docker_registry_image_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub docker_registry_image_tag: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub ports_exposes: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub health_check_enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub health_check_path: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub environment_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub destination_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub server_status: Option<bool>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub settings: Option<ApplicationSettings>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub destination: Option<Destination>,
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub updated_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplicationSettings {
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_auto_deploy_enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_debug_enabled: Option<bool>,
}

/// The `destination` block Laravel embeds when it loaded the relation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Destination {
    #[serde(default, deserialize_with = "lenient::object")]
    pub server: Option<ServerRef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServerRef {
    #[serde(default, deserialize_with = "lenient::string")]
    pub uuid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Database {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<u64>,
    pub uuid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub environment_id: Option<u64>,
    /// `standalone-postgresql`, ...; Coolify names it `database_type` on some payloads and
    /// `type` on others.
    #[serde(default, deserialize_with = "lenient::string", alias = "type")]
    pub database_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub image: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub destination: Option<Destination>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Service {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<u64>,
    pub uuid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub environment_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub server_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub service_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub server: Option<ServerRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Server {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<u64>,
    pub uuid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub ip: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub user: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub port: Option<u64>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_reachable: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_usable: Option<bool>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub settings: Option<ServerSettings>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServerSettings {
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_reachable: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_usable: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_build_server: Option<bool>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub concurrent_builds: Option<u64>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub deployment_queue_limit: Option<u64>,
}

/// One entry of `GET /servers/{uuid}/resources`.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerResource {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<u64>,
    pub uuid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
}

/// One entry of `GET /servers/{uuid}/domains`.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerDomains {
    #[serde(default, deserialize_with = "lenient::string")]
    pub ip: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Deployment {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: Option<u64>,
    pub deployment_uuid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub application_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub application_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub commit: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub commit_message: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub pull_request_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub force_rebuild: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub restart_only: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub rollback: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_webhook: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_api: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub server_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub deployment_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub updated_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub finished_at: Option<Timestamp>,
    /// The log as Coolify stores it: a string holding a JSON array. Absent unless the token
    /// may read sensitive data.
    #[serde(default, deserialize_with = "lenient::string")]
    pub logs: Option<String>,
}

/// `GET /deployments/applications/{uuid}`: `{count, deployments}`, whatever the spec says.
#[derive(Debug, Clone, Deserialize)]
pub struct DeploymentPage {
    #[serde(default, deserialize_with = "lenient::id")]
    pub count: Option<u64>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub deployments: Vec<Deployment>,
}

/// `POST /deploy`, in either of its two shapes.
#[derive(Debug, Clone, Deserialize)]
pub struct DeployAnswer {
    /// By uuid: one entry per resource.
    #[serde(default, deserialize_with = "lenient::list")]
    pub deployments: Vec<DeployEntry>,
    /// By tag: messages and details in parallel arrays.
    #[serde(default)]
    pub message: Option<MessageOrList>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub details: Vec<DeployEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum MessageOrList {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeployEntry {
    #[serde(default, deserialize_with = "lenient::string")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub resource_uuid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub deployment_uuid: Option<String>,
}

/// `{message, deployment_uuid?}`: start, restart, rollback, cancel and friends.
#[derive(Debug, Clone, Deserialize)]
pub struct Queued {
    #[serde(default, deserialize_with = "lenient::string")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub deployment_uuid: Option<String>,
}

/// `{uuid}`: what create and update calls answer.
#[derive(Debug, Clone, Deserialize)]
pub struct Created {
    pub uuid: String,
}

/// `GET /applications/{uuid}/logs`.
#[derive(Debug, Clone, Deserialize)]
pub struct ContainerLogs {
    #[serde(default, deserialize_with = "lenient::string")]
    pub logs: Option<String>,
}

/// `GET /applications/{uuid}/rollback-images`.
#[derive(Debug, Clone, Deserialize)]
pub struct RollbackImages {
    #[serde(default, deserialize_with = "lenient::string")]
    pub current: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub images: Vec<RollbackImage>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RollbackImage {
    pub tag: String,
    #[serde(default, deserialize_with = "lenient::timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_current: Option<bool>,
}

/// An application's environment variable. The value is secret from the moment it is read.
#[derive(Debug, Clone, Deserialize)]
pub struct EnvVar {
    #[serde(default, deserialize_with = "lenient::string")]
    pub uuid: Option<String>,
    pub key: String,
    /// Absent unless the token may read sensitive data.
    #[serde(default)]
    pub value: Option<SecretString>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_preview: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_literal: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_multiline: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_shown_once: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_runtime: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_buildtime: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub comment: Option<String>,
}

/// `{message}`: fire-and-forget answers.
#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    #[serde(default, deserialize_with = "lenient::string")]
    pub message: Option<String>,
}

impl Application {
    pub fn to_resource(&self, server: Option<String>) -> model::Resource {
        model::Resource {
            uuid: self.uuid.clone(),
            id: self.id,
            name: self.name.clone().unwrap_or_else(|| self.uuid.clone()),
            kind: ResourceKind::Application,
            engine: None,
            status: status_of(self.status.as_deref()),
            server: server.or_else(|| server_name(self.destination.as_ref())),
            description: self.description.clone(),
            app: Some(AppInfo {
                urls: self
                    .fqdn
                    .as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_string)
                    .collect(),
                git_repository: self.git_repository.clone(),
                git_branch: self.git_branch.clone(),
                git_commit_sha: self.git_commit_sha.clone(),
                build_pack: self.build_pack.clone(),
                health_check_path: self.health_check_path.clone(),
                health_check_enabled: self.health_check_enabled,
                auto_deploy: self
                    .settings
                    .as_ref()
                    .and_then(|s| s.is_auto_deploy_enabled),
            }),
        }
    }
}

impl Database {
    /// The engine without Coolify's `standalone-` prefix: `postgresql`, `redis`, ...
    pub fn engine(&self) -> Option<String> {
        self.database_type
            .as_deref()
            .map(|t| t.strip_prefix("standalone-").unwrap_or(t).to_string())
    }

    pub fn to_resource(&self, server: Option<String>) -> model::Resource {
        model::Resource {
            uuid: self.uuid.clone(),
            id: self.id,
            name: self.name.clone().unwrap_or_else(|| self.uuid.clone()),
            kind: ResourceKind::Database,
            engine: self.engine(),
            status: status_of(self.status.as_deref()),
            server: server.or_else(|| server_name(self.destination.as_ref())),
            description: self.description.clone(),
            app: None,
        }
    }
}

impl Service {
    pub fn to_resource(&self, server: Option<String>) -> model::Resource {
        model::Resource {
            uuid: self.uuid.clone(),
            id: self.id,
            name: self.name.clone().unwrap_or_else(|| self.uuid.clone()),
            kind: ResourceKind::Service,
            engine: self.service_type.clone(),
            status: status_of(self.status.as_deref()),
            server: server.or_else(|| self.server.as_ref().and_then(|s| s.name.clone())),
            description: self.description.clone(),
            app: None,
        }
    }
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

fn status_of(raw: Option<&str>) -> ResourceStatus {
    raw.map(ResourceStatus::parse)
        .unwrap_or_else(ResourceStatus::unknown)
}

fn server_name(destination: Option<&Destination>) -> Option<String> {
    destination?.server.as_ref()?.name.clone()
}

/// Deserializers that accept what Laravel may send for a field and never fail a whole
/// payload over one odd value.
mod lenient {
    use super::*;
    use serde_json::Value;

    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        })
    }

    pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }

    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Bool(b) => Some(b),
            Value::Number(n) => n.as_i64().map(|n| n != 0),
            Value::String(s) => match s.trim() {
                "1" | "true" => Some(true),
                "0" | "false" | "" => Some(false),
                _ => None,
            },
            _ => None,
        })
    }

    pub fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => parse_timestamp(&s),
            _ => None,
        })
    }

    /// RFC 3339 (`2026-08-22T10:11:12.123456Z`), or Laravel's `2026-08-22 10:11:12` (UTC).
    pub fn parse_timestamp(raw: &str) -> Option<Timestamp> {
        raw.parse().ok().or_else(|| {
            let civil: jiff::civil::DateTime = raw.trim().parse().ok()?;
            jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()
        })
    }

    /// A list whose items are each read leniently; items that do not fit are skipped, and
    /// `null` or a non-list is an empty list.
    pub fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Array(items) => items
                .into_iter()
                .filter_map(|item| match serde_json::from_value(item) {
                    Ok(v) => Some(v),
                    Err(err) => {
                        tracing::warn!(%err, "skipping an item Coolify sent that does not fit");
                        None
                    }
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// A nested object, or `None` when it is absent, null or of another shape.
    pub fn object<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Ok(match Value::deserialize(d)? {
            v @ Value::Object(_) => serde_json::from_value(v).ok(),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_field_types_do_not_fail_a_payload() {
        let app: Application = serde_json::from_str(
            r#"{"uuid":"a1","id":"7","name":42,"status":null,"health_check_enabled":1,
                "settings":[],"destination":{"server":{"name":"main"}},
                "created_at":"2026-08-22 10:11:12","updated_at":"yesterday","brand_new":{"x":1}}"#,
        )
        .unwrap();
        assert_eq!(app.id, Some(7));
        assert_eq!(app.name.as_deref(), Some("42"));
        assert_eq!(app.health_check_enabled, Some(true));
        assert!(app.settings.is_none());
        assert!(app.created_at.is_some());
        assert!(app.updated_at.is_none());
        let r = app.to_resource(None);
        assert_eq!(r.server.as_deref(), Some("main"));
        assert_eq!(r.status.to_string(), "unknown:unknown");
    }

    #[test]
    fn lists_skip_items_that_do_not_fit() {
        let page: DeploymentPage = serde_json::from_str(
            r#"{"count":2,"deployments":[{"deployment_uuid":"d1","status":"finished"},{"no":"uuid"}]}"#,
        )
        .unwrap();
        assert_eq!(page.deployments.len(), 1);
    }

    #[test]
    fn fqdn_splits_into_urls() {
        let app: Application = serde_json::from_str(
            r#"{"uuid":"a","fqdn":"https://a.example.com, https://b.example.com"}"#,
        )
        .unwrap();
        let urls = app.to_resource(None).app.unwrap().urls;
        assert_eq!(urls, ["https://a.example.com", "https://b.example.com"]);
    }

    #[test]
    fn env_values_are_redacted_in_debug_output() {
        let env: EnvVar =
            serde_json::from_str(r#"{"key":"DATABASE_URL","value":"postgres://u:hunter2@db"}"#)
                .unwrap();
        assert!(!format!("{env:?}").contains("hunter2"));
    }
}
