//! Coolify's JSON, read leniently: unknown fields are ignored, keys the API may omit are
//! optional, and numbers, booleans and timestamps are accepted in the forms Laravel emits.

use jiff::Timestamp;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

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
    /// A docker-compose application's domains: a string holding a JSON object, each compose
    /// service's `{"domain": "https://a,https://b"}`. Left out without sensitive
    /// visibility.
    #[serde(default, deserialize_with = "lenient::string")]
    pub docker_compose_domains: Option<String>,
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
    #[serde(default, deserialize_with = "lenient::flag")]
    pub health_check_enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub health_check_path: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub health_check_interval: Option<u64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub ports_exposes: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub install_command: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub build_command: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub start_command: Option<String>,
    /// Docker's notation (`768M`); `0` for no limit.
    #[serde(default, deserialize_with = "lenient::string")]
    pub limits_memory: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub limits_cpus: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    pub environment_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub settings: Option<ApplicationSettings>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub destination: Option<Destination>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplicationSettings {
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_auto_deploy_enabled: Option<bool>,
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
    #[serde(default, deserialize_with = "lenient::string")]
    pub service_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub server: Option<ServerRef>,
    /// Its sub-applications, when the answer embeds them (`GET /services/{uuid}` does;
    /// the list `GET /services` does not): `None` when the key is absent.
    #[serde(default, deserialize_with = "lenient::listed")]
    pub applications: Option<Vec<ServiceApplication>>,
}

/// A service's sub-application: one compose service of it.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceApplication {
    /// Comma-separated URLs.
    #[serde(default, deserialize_with = "lenient::string")]
    pub fqdn: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Server {
    pub uuid: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub ip: Option<String>,
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
}

/// One entry of `GET /servers/{uuid}/resources`.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerResource {
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
    /// The log as Coolify stores it: a string holding a JSON array; `null` until the first
    /// entry is written. The key is absent unless the token may read sensitive data.
    #[serde(default, deserialize_with = "lenient::present")]
    pub logs: Option<Option<String>>,
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
pub struct Accepted {
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

mod convert;
mod lenient;

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
        let r = app.into_resource(None);
        assert_eq!(r.server.as_deref(), Some("main"));
        assert_eq!(r.status.to_string(), "unknown", "none was sent");
        let d: Deployment = serde_json::from_str(
            r#"{"deployment_uuid":"d1","created_at":"2026-08-22 10:11:12","updated_at":"yesterday"}"#,
        )
        .unwrap();
        assert!(d.created_at.is_some());
        assert!(d.updated_at.is_none());
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
        let body = br#"[{"uuid":"a1","id":"7","name":42,"status":null,"health_check_enabled":-1,
            "settings":[],"destination":{"server":{"name":"main","extra":[1,{"x":null}]}},
            "description":1.0,"git_branch":-3,"environment_id":-4,
            "fqdn":{"not":"a string"},"git_repository":[3000],
            "created_at":"2026-08-22 10:11:12","updated_at":"yesterday","brand_new":{"x":1}},
            {"uuid":"a2","id":2.5,"settings":{"is_auto_deploy_enabled":"1"},"destination":null}]"#;
        let fast: List<Application> = from_slice(body).unwrap();
        let forgiving: Vec<Application> = serde_json::from_slice(body).unwrap();
        assert_eq!(format!("{:?}", fast.0), format!("{forgiving:?}"));
        let a = &fast.0[0];
        assert_eq!(a.id, Some(7));
        assert_eq!(a.name.as_deref(), Some("42"));
        assert_eq!(a.description.as_deref(), Some("1.0"));
        assert_eq!(a.git_branch.as_deref(), Some("-3"));
        assert_eq!(a.health_check_enabled, Some(true));
        assert_eq!(a.environment_id, None);
        assert_eq!(fast.0[1].id, None);
        assert_eq!(a.fqdn, None);
        assert_eq!(a.git_repository, None);
        assert!(a.settings.is_none());
        assert_eq!(
            a.clone().into_resource(None).server.as_deref(),
            Some("main")
        );
        assert_eq!(
            fast.0[1].settings.as_ref().unwrap().is_auto_deploy_enabled,
            Some(true)
        );
        let body = br#"[{"deployment_uuid":"d1","created_at":"2026-08-22 10:11:12",
            "updated_at":"yesterday","finished_at":7}]"#;
        let fast: List<Deployment> = from_slice(body).unwrap();
        let forgiving: Vec<Deployment> = serde_json::from_slice(body).unwrap();
        assert_eq!(format!("{:?}", fast.0), format!("{forgiving:?}"));
        assert!(fast.0[0].created_at.is_some());
        assert!(fast.0[0].updated_at.is_none() && fast.0[0].finished_at.is_none());
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
        let urls = app.into_resource(None).urls;
        assert_eq!(urls, ["https://a.example.com", "https://b.example.com"]);
    }

    #[test]
    fn compose_domains_and_sub_applications_are_urls_too() {
        let compose: Application = serde_json::from_value(serde_json::json!({
            "uuid": "c",
            "fqdn": null,
            "build_pack": "dockercompose",
            "docker_compose_domains": r#"{"web":{"domain":"https://web.example.com,https://www.example.com"},"worker":{"domain":null},"api":{"domain":"https://api.example.com"},"db":[]}"#,
        }))
        .unwrap();
        assert_eq!(
            compose.into_resource(None).urls,
            [
                "https://api.example.com",
                "https://web.example.com",
                "https://www.example.com"
            ]
        );
        for odd in [r#""not json""#, "[]", r#""""#, "null", "7"] {
            let app: Application = serde_json::from_str(&format!(
                r#"{{"uuid":"c","fqdn":"https://a.example.com","docker_compose_domains":{odd}}}"#
            ))
            .unwrap();
            assert_eq!(
                app.into_resource(None).urls,
                ["https://a.example.com"],
                "{odd}"
            );
        }
        let service: Service = serde_json::from_value(serde_json::json!({
            "uuid": "s",
            "applications": [
                {"name": "plausible", "fqdn": "https://stats.example.com"},
                {"name": "clickhouse", "fqdn": null},
                {"name": "x", "fqdn": "https://stats.example.com, https://s2.example.com"},
            ],
        }))
        .unwrap();
        assert_eq!(
            service.into_resource(None).urls,
            ["https://stats.example.com", "https://s2.example.com"]
        );
    }

    #[test]
    fn env_values_are_redacted_in_debug_output() {
        let env: EnvVar =
            serde_json::from_str(r#"{"key":"DATABASE_URL","value":"postgres://u:hunter2@db"}"#)
                .unwrap();
        assert!(!format!("{env:?}").contains("hunter2"));
    }
}
