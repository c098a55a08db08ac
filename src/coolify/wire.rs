//! Coolify's JSON, read leniently: unknown fields are ignored, keys the API may omit are
//! optional, and numbers, booleans and timestamps are accepted in the forms Laravel emits.

use jiff::Timestamp;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

use crate::model::{self, AppInfo, DeploymentStatus, ResourceKind, ResourceStatus, Trigger};

/// Decode a JSON body into a wire type, the way the client decodes every answer.
///
/// Fast path first: the body is checked for UTF-8 once (not string by string), and the
/// lists inside it ([`List`] and the list fields) are read item by item straight into
/// their types. Only if that fails, because some item does not fit, is the body read again
/// in the forgiving mode that buffers each list item and skips the ones that do not fit.
/// Either way the result is the same for a body without odd items.
pub fn from_slice<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    let fast = lenient::Mode::Fast.run(|| match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    });
    match fast {
        Ok(value) => Ok(value),
        Err(_) => lenient::Mode::Forgiving.run(|| serde_json::from_slice(body)),
    }
}

/// A whole answer that must be a JSON list, whose items that do not fit are skipped (see
/// [`from_slice`]) rather than failing the answer.
#[derive(Debug, Clone)]
pub struct List<T>(pub Vec<T>);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::items(d, true).map(List)
    }
}

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
        self.clone().into_resource(server)
    }

    /// [`Application::to_resource`], moving the strings instead of copying them.
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

impl Database {
    /// The engine without Coolify's `standalone-` prefix: `postgresql`, `redis`, ...
    pub fn engine(&self) -> Option<String> {
        self.database_type
            .as_deref()
            .map(|t| t.strip_prefix("standalone-").unwrap_or(t).to_string())
    }

    pub fn to_resource(&self, server: Option<String>) -> model::Resource {
        self.clone().into_resource(server)
    }

    /// [`Database::to_resource`], moving the strings instead of copying them.
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
            app: None,
        }
    }
}

impl Service {
    pub fn to_resource(&self, server: Option<String>) -> model::Resource {
        self.clone().into_resource(server)
    }

    /// [`Service::to_resource`], moving the strings instead of copying them.
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

fn server_name_of(destination: Option<Destination>) -> Option<String> {
    destination?.server?.name
}

/// Deserializers that accept what Laravel may send for a field and never fail a whole
/// payload over one odd value. Each reads the value straight from the parser (no
/// intermediate `serde_json::Value`); a value of an unexpected shape is skipped and read
/// as absent.
mod lenient {
    use std::cell::Cell;
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::value::MapAccessDeserializer;
    use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::Value;

    use super::*;

    /// How [`list`] reads its items.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Mode {
        /// Straight into the item type; an item that does not fit fails the whole read
        /// (and [`super::from_slice`] then reads again, forgiving).
        Fast,
        /// Each item through a `Value` first, so one that does not fit is skipped. The
        /// default, for wire types decoded directly with `serde_json`.
        Forgiving,
    }

    thread_local! {
        static MODE: Cell<Mode> = const { Cell::new(Mode::Forgiving) };
    }

    impl Mode {
        /// Run a decode with lists in this mode (restored afterwards).
        pub fn run<R>(self, f: impl FnOnce() -> R) -> R {
            struct Restore(Mode);
            impl Drop for Restore {
                fn drop(&mut self) {
                    MODE.with(|m| m.set(self.0));
                }
            }
            let _restore = Restore(MODE.with(|m| m.replace(self)));
            f()
        }

        fn current() -> Mode {
            MODE.with(Cell::get)
        }
    }

    /// A visitor that maps each JSON shape to `Option<T>`; shapes it has no rule for are
    /// skipped (arrays and objects drained) and read as `None`.
    trait Shapes<'de>: Sized {
        type Out;
        const EXPECTING: &'static str;
        fn string(self, _v: &str) -> Option<Self::Out> {
            None
        }
        fn unsigned(self, _v: u64) -> Option<Self::Out> {
            None
        }
        fn signed(self, v: i64) -> Option<Self::Out> {
            match u64::try_from(v) {
                Ok(u) => self.unsigned(u),
                Err(_) => self.negative(v),
            }
        }
        fn negative(self, _v: i64) -> Option<Self::Out> {
            None
        }
        fn float(self, _v: f64) -> Option<Self::Out> {
            None
        }
        fn boolean(self, _v: bool) -> Option<Self::Out> {
            None
        }
    }

    struct Any<S>(S);

    impl<'de, S: Shapes<'de>> Visitor<'de> for Any<S> {
        type Value = Option<S::Out>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(S::EXPECTING)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(self.0.string(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(self.0.unsigned(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(self.0.signed(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(self.0.float(v))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(self.0.boolean(v))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    struct Text;
    impl Shapes<'_> for Text {
        type Out = String;
        const EXPECTING: &'static str = "a string";
        fn string(self, v: &str) -> Option<String> {
            Some(v.to_string())
        }
        fn unsigned(self, v: u64) -> Option<String> {
            Some(v.to_string())
        }
        fn negative(self, v: i64) -> Option<String> {
            Some(v.to_string())
        }
        fn float(self, v: f64) -> Option<String> {
            // As `serde_json::Number` prints it (`1.0`, not `1`).
            serde_json::Number::from_f64(v).map(|n| n.to_string())
        }
        fn boolean(self, v: bool) -> Option<String> {
            Some(v.to_string())
        }
    }

    struct Id;
    impl Shapes<'_> for Id {
        type Out = u64;
        const EXPECTING: &'static str = "an id";
        fn string(self, v: &str) -> Option<u64> {
            v.trim().parse().ok()
        }
        fn unsigned(self, v: u64) -> Option<u64> {
            Some(v)
        }
    }

    struct Flag;
    impl Shapes<'_> for Flag {
        type Out = bool;
        const EXPECTING: &'static str = "a flag";
        fn string(self, v: &str) -> Option<bool> {
            match v.trim() {
                "1" | "true" => Some(true),
                "0" | "false" | "" => Some(false),
                _ => None,
            }
        }
        fn unsigned(self, v: u64) -> Option<bool> {
            i64::try_from(v).ok().map(|n| n != 0)
        }
        fn negative(self, _v: i64) -> Option<bool> {
            Some(true)
        }
        fn boolean(self, v: bool) -> Option<bool> {
            Some(v)
        }
    }

    struct Stamp;
    impl Shapes<'_> for Stamp {
        type Out = Timestamp;
        const EXPECTING: &'static str = "a timestamp";
        fn string(self, v: &str) -> Option<Timestamp> {
            parse_timestamp(v)
        }
    }

    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(Any(Text))
    }

    pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_any(Any(Id))
    }

    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_any(Any(Flag))
    }

    pub fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        d.deserialize_any(Any(Stamp))
    }

    /// RFC 3339 (`2026-08-22T10:11:12.123456Z`), or Laravel's `2026-08-22 10:11:12` (UTC).
    pub fn parse_timestamp(raw: &str) -> Option<Timestamp> {
        raw.parse().ok().or_else(|| {
            let civil: jiff::civil::DateTime = raw.trim().parse().ok()?;
            jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()
        })
    }

    /// A list whose items are each read leniently; items that do not fit are skipped (in
    /// [`Mode::Forgiving`]), and `null` or a non-list is an empty list.
    pub fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        items(d, false)
    }

    /// The items of a list; with `only_lists`, anything but a list is an error instead of
    /// an empty list.
    pub fn items<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
        only_lists: bool,
    ) -> Result<Vec<T>, D::Error> {
        struct Items<T>(PhantomData<T>);
        impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for Items<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                match Mode::current() {
                    Mode::Fast => {
                        while let Some(item) = seq.next_element::<Owned<T>>()? {
                            out.push(item.0);
                        }
                    }
                    Mode::Forgiving => {
                        while let Some(item) = seq.next_element::<Value>()? {
                            match serde_json::from_value(item) {
                                Ok(v) => out.push(v),
                                Err(err) => tracing::warn!(
                                    %err,
                                    "skipping an item Coolify sent that does not fit"
                                ),
                            }
                        }
                    }
                }
                Ok(out)
            }
        }
        /// Anything else: an empty list.
        struct OrEmpty<T>(Items<T>);
        impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for OrEmpty<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
                self.0.visit_seq(seq)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_str<E: de::Error>(self, _v: &str) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_u64<E: de::Error>(self, _v: u64) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_i64<E: de::Error>(self, _v: i64) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_f64<E: de::Error>(self, _v: f64) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Vec::new())
            }
        }
        if only_lists {
            d.deserialize_seq(Items(PhantomData))
        } else {
            d.deserialize_any(OrEmpty(Items(PhantomData)))
        }
    }

    /// Reads a `DeserializeOwned` item from any deserializer lifetime.
    struct Owned<T>(T);
    impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Owned<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            T::deserialize(d).map(Owned)
        }
    }

    /// A nested object, or `None` when it is absent, null or of another shape. The object
    /// types read with it have only lenient, optional fields, so they fit in the fast mode
    /// too; the forgiving mode reads one that does not as `None`.
    pub fn object<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        if Mode::current() == Mode::Forgiving {
            return Ok(match Value::deserialize(d)? {
                v @ Value::Object(_) => serde_json::from_value(v).ok(),
                _ => None,
            });
        }
        struct Visit<T>(PhantomData<T>);
        impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for Visit<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Some)
            }
            fn visit_str<E: de::Error>(self, _v: &str) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_u64<E: de::Error>(self, _v: u64) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_i64<E: de::Error>(self, _v: i64) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_f64<E: de::Error>(self, _v: f64) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(None)
            }
        }
        d.deserialize_any(Visit(PhantomData))
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

    /// The fast path of `from_slice` and the forgiving one read the same body the same way.
    #[test]
    fn the_fast_path_reads_odd_fields_like_the_forgiving_one() {
        let body = br#"[{"uuid":"a1","id":"7","name":42,"status":null,"health_check_enabled":1,
            "settings":[],"destination":{"server":{"name":"main","extra":[1,{"x":null}]}},
            "description":1.0,"git_branch":-3,"server_status":-1,"environment_id":-4,
            "destination_id":2.5,"fqdn":{"not":"a string"},"ports_exposes":[3000],
            "created_at":"2026-08-22 10:11:12","updated_at":"yesterday","brand_new":{"x":1}},
            {"uuid":"a2","settings":{"is_auto_deploy_enabled":"1"},"destination":null}]"#;
        let fast: List<Application> = from_slice(body).unwrap();
        let forgiving: Vec<Application> = serde_json::from_slice(body).unwrap();
        assert_eq!(format!("{:?}", fast.0), format!("{forgiving:?}"));
        let a = &fast.0[0];
        assert_eq!(a.id, Some(7));
        assert_eq!(a.name.as_deref(), Some("42"));
        assert_eq!(a.description.as_deref(), Some("1.0"));
        assert_eq!(a.git_branch.as_deref(), Some("-3"));
        assert_eq!(a.server_status, Some(true));
        assert_eq!(a.environment_id, None);
        assert_eq!(a.destination_id, None);
        assert_eq!(a.fqdn, None);
        assert_eq!(a.ports_exposes, None);
        assert!(a.settings.is_none());
        assert_eq!(a.to_resource(None).server.as_deref(), Some("main"));
        assert_eq!(
            fast.0[1].settings.as_ref().unwrap().is_auto_deploy_enabled,
            Some(true)
        );
    }

    #[test]
    fn from_slice_skips_items_that_do_not_fit_at_any_depth() {
        let apps: List<Application> =
            from_slice(br#"[{"uuid":"a1"},{"name":"no uuid"},{"uuid":"a3"}]"#).unwrap();
        let uuids: Vec<_> = apps.0.iter().map(|a| a.uuid.as_str()).collect();
        assert_eq!(uuids, ["a1", "a3"]);
        let page: DeploymentPage = from_slice(
            br#"{"count":2,"deployments":[{"deployment_uuid":"d1","status":"finished"},{"no":"uuid"}]}"#,
        )
        .unwrap();
        assert_eq!(page.deployments.len(), 1);
        let env: Environment = from_slice(
            br#"{"name":"dev","applications":[{"uuid":"a"},{"uuid":7}],"redis":null,"services":{}}"#,
        )
        .unwrap();
        assert_eq!(env.applications.len(), 1);
        assert!(env.redis.is_empty() && env.services.is_empty());
    }

    #[test]
    fn a_list_answer_must_be_a_list() {
        assert!(from_slice::<List<Application>>(br#"{"message":"Unauthenticated."}"#).is_err());
        assert!(from_slice::<List<Application>>(b"not json").is_err());
        assert!(from_slice::<List<Application>>(b"[]").unwrap().0.is_empty());
    }

    #[test]
    fn bodies_that_are_not_utf8_are_read_as_before() {
        let body = b"[{\"uuid\":\"a1\",\"name\":\"caf\xe9\"}]";
        assert!(from_slice::<List<Application>>(body).is_err());
        assert!(serde_json::from_slice::<Vec<Application>>(body).is_err());
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
