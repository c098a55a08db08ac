//! Contract with Coolify's official OpenAPI spec (tests/fixtures/coolify-openapi.yaml):
//! every request the client makes exists in the spec, and the simulator's answers for
//! projects, applications, deployments and servers validate against the spec's schemas
//! (except where API-NOTES shows the spec is wrong).

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::collections::BTreeSet;

use common::{check_coverage, follow, sim, template_matches, uuid_of};
use pftui::coolify::{
    ApplicationPatch, CoolifyError, DeployRequest, EnvVarInput, Lifecycle, load_tree, routes,
};
use secrecy::SecretString;
use serde_json::{Value, json};

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/coolify-openapi.yaml"
    ))
    .expect("the spec fixture");
    yaml_serde::from_str(&text).expect("the spec parses")
}

/// Does `path` (no query) match the spec template `template` (`/applications/{uuid}`)?
fn matches_template(template: &str, path: &str) -> bool {
    template_matches(template, path)
}

/// Literal segments beat placeholders, so `/projects/{uuid}/environments` wins over
/// `/projects/{uuid}/{environment_name_or_uuid}` for `/projects/x/environments`.
fn best_template<'a>(
    templates: impl Iterator<Item = &'a String>,
    path: &str,
) -> Option<&'a String> {
    templates
        .filter(|t| matches_template(t, path))
        .max_by_key(|t| t.split('/').filter(|s| !s.starts_with('{')).count())
}

/// OpenAPI 3.0-style `nullable: true` → JSON Schema `type: [T, "null"]`.
fn json_schema(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(k, _)| *k != "nullable")
                .map(|(k, v)| (k.clone(), json_schema(v)))
                .collect();
            if map.get("nullable") == Some(&Value::Bool(true)) {
                match out.get("type").cloned() {
                    Some(Value::String(t)) => {
                        out.insert("type".into(), json!([t, "null"]));
                    }
                    _ => {
                        let inner = Value::Object(out);
                        return json!({"anyOf": [inner, {"type": "null"}]});
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(json_schema).collect()),
        other => other.clone(),
    }
}

struct Schemas {
    components: Value,
}

impl Schemas {
    fn new(spec: &Value) -> Self {
        let mut components = json_schema(&spec["components"]);
        // Where the spec is wrong: a deployment's `logs` is null until its first entry is
        // written (the column is nullable and Coolify fills it as the build runs).
        components["schemas"]["ApplicationDeploymentQueue"]["properties"]["logs"]["type"] =
            json!(["string", "null"]);
        Self { components }
    }

    /// Validate `instance` against `schema` (which may `$ref` the spec's components).
    fn check(&self, what: &str, schema: Value, instance: &Value) -> Vec<String> {
        let mut root = schema;
        root["components"] = self.components.clone();
        root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        let validator = jsonschema::validator_for(&root).expect("the schema compiles");
        validator
            .iter_errors(instance)
            .map(|e| format!("{what}: {} at {}", e, e.instance_path()))
            .collect()
    }

    fn one(&self, what: &str, name: &str, instance: &Value) -> Vec<String> {
        self.check(
            what,
            json!({"$ref": format!("#/components/schemas/{name}")}),
            instance,
        )
    }

    fn many(&self, what: &str, name: &str, instance: &Value) -> Vec<String> {
        self.check(
            what,
            json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{name}")}}),
            instance,
        )
    }
}

#[tokio::test]
async fn every_request_the_client_makes_is_in_the_spec() {
    let spec = spec();
    let (sim, client) = sim(50.0).await;
    // Every client method, once.
    client.health().await.unwrap();
    client.version().await.unwrap();
    let tree = load_tree(&client).await.unwrap();
    let project = client.create_project("CONTRACT", None).await.unwrap();
    client.create_environment(&project, "qa").await.unwrap();
    client.environments(&project).await.unwrap();
    client.environment(&project, "qa").await.unwrap();
    let app = uuid_of(&tree, "air-dev");
    client.application(&app).await.unwrap();
    client.applications(Some("web")).await.unwrap();
    client
        .update_application(
            &app,
            &ApplicationPatch {
                description: Some("x".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let var = EnvVarInput::new("K", SecretString::from("v".to_string()));
    let created = client.create_env_var(&app, &var).await.unwrap();
    client.update_env_var(&app, &var).await.unwrap();
    client
        .upsert_env_vars(&app, std::slice::from_ref(&var))
        .await
        .unwrap();
    client.env_vars(&app).await.unwrap();
    client.delete_env_var(&app, &created).await.unwrap();
    client.container_logs(&app, 10, false).await.unwrap();
    let images = client.rollback_images(&app).await.unwrap();
    let queued = client.rollback(&app, &images.images[0].tag).await.unwrap();
    follow(&client, queued.deployment_uuid.as_deref().unwrap()).await;
    let restarted = client.restart_application(&app).await.unwrap();
    follow(&client, restarted.deployment_uuid.as_deref().unwrap()).await;
    client.stop_application(&app).await.unwrap();
    let started = client.start_application(&app, true, false).await.unwrap();
    client.running_deployments().await.unwrap();
    if let Some(uuid) = started.deployment_uuid.as_deref() {
        let _ = client.cancel_deployment(uuid).await;
        client.deployment(uuid).await.unwrap();
    }
    let deployed = client
        .deploy(&DeployRequest::uuids([uuid_of(&tree, "air-prod")]).force(true))
        .await
        .unwrap();
    follow(&client, deployed[0].deployment_uuid.as_deref().unwrap()).await;
    client.deployment_history(&app, 0, 5).await.unwrap();
    let server = &tree.servers[0].uuid;
    client.server(server).await.unwrap();
    client.server_domains(server).await.unwrap();
    client.validate_server(server).await.unwrap();
    let db = client.databases().await.unwrap()[0].uuid.clone();
    client.database(&db).await.unwrap();
    client
        .database_action(&db, Lifecycle::Restart)
        .await
        .unwrap();
    client.database_action(&db, Lifecycle::Stop).await.unwrap();
    // Stopping takes a while: a start may find it still running, a documented refusal.
    let started = client.database_action(&db, Lifecycle::Start).await;
    assert!(
        matches!(started, Ok(_) | Err(CoolifyError::BadRequest { .. })),
        "{started:?}"
    );
    let svc = client.services().await.unwrap()[0].uuid.clone();
    client.service(&svc).await.unwrap();
    client
        .service_action(&svc, Lifecycle::Restart)
        .await
        .unwrap();
    client.service_action(&svc, Lifecycle::Stop).await.unwrap();
    let started = client.service_action(&svc, Lifecycle::Start).await;
    assert!(
        matches!(started, Ok(_) | Err(CoolifyError::BadRequest { .. })),
        "{started:?}"
    );

    let paths = spec["paths"].as_object().unwrap();
    let seen: BTreeSet<(String, String)> = sim.control().requests().into_iter().collect();
    assert!(
        seen.len() >= 30,
        "the sweep reached the simulator: {seen:?}"
    );
    let mut missing = Vec::new();
    for (method, path) in &seen {
        let Some(api_path) = path.strip_prefix("/api/v1") else {
            missing.push(format!("{method} {path} (outside /api/v1)"));
            continue;
        };
        let found = best_template(paths.keys(), api_path)
            .is_some_and(|t| paths[t].get(method.to_ascii_lowercase()).is_some());
        if !found {
            missing.push(format!("{method} {api_path}"));
        }
    }
    assert!(missing.is_empty(), "requests not in the spec: {missing:#?}");
    let below_root: Vec<(String, String)> = seen
        .iter()
        .filter_map(|(method, path)| {
            Some((method.clone(), path.strip_prefix("/api/v1")?.to_string()))
        })
        .collect();
    check_coverage(routes::ALL, &below_root);
}

#[test]
fn every_route_of_the_table_is_in_the_spec() {
    let spec = spec();
    let missing: Vec<String> = routes::ALL
        .iter()
        .filter(|r| {
            spec["paths"][r.template]
                .get(r.verb.as_str().to_ascii_lowercase())
                .is_none()
        })
        .map(ToString::to_string)
        .collect();
    assert!(missing.is_empty(), "routes not in the spec: {missing:#?}");
}

#[tokio::test]
async fn simulator_answers_validate_against_the_spec_schemas() {
    let schemas = Schemas::new(&spec());
    let (sim, client) = sim(50.0).await;
    let http = reqwest::Client::new();
    let get = |path: String| {
        let req = http
            .get(format!("{}/api/v1{path}", sim.coolify_url()))
            .bearer_auth(sim.token())
            .header("Accept", "application/json");
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let tree = load_tree(&client).await.unwrap();
    let app = uuid_of(&tree, "baiv-staging");
    let queued = client
        .deploy(&DeployRequest::uuids([app.clone()]))
        .await
        .unwrap();
    let running = get("/deployments".into()).await;
    follow(&client, queued[0].deployment_uuid.as_deref().unwrap()).await;

    let mut errors = Vec::new();
    let projects = get("/projects".into()).await;
    errors.extend(schemas.many("GET /projects", "Project", &projects));
    let project = projects[0]["uuid"].as_str().unwrap().to_string();
    errors.extend(schemas.one(
        "GET /projects/{uuid}",
        "Project",
        &get(format!("/projects/{project}")).await,
    ));
    errors.extend(schemas.many(
        "GET /applications",
        "Application",
        &get("/applications".into()).await,
    ));
    errors.extend(schemas.one(
        "GET /applications/{uuid}",
        "Application",
        &get(format!("/applications/{app}")).await,
    ));
    errors.extend(schemas.many("GET /deployments", "ApplicationDeploymentQueue", &running));
    assert!(
        !running.as_array().unwrap().is_empty(),
        "a deployment was queued"
    );
    let deployment = queued[0].deployment_uuid.clone().unwrap();
    errors.extend(schemas.one(
        "GET /deployments/{uuid}",
        "ApplicationDeploymentQueue",
        &get(format!("/deployments/{deployment}")).await,
    ));
    // The spec says Application[]; the server answers {count, deployments} (API-NOTES §12).
    let history = get(format!("/deployments/applications/{app}")).await;
    assert!(history["count"].is_u64());
    errors.extend(schemas.many(
        "GET /deployments/applications/{uuid} .deployments",
        "ApplicationDeploymentQueue",
        &history["deployments"],
    ));
    let servers = get("/servers".into()).await;
    errors.extend(schemas.many("GET /servers", "Server", &servers));
    let server = servers[0]["uuid"].as_str().unwrap().to_string();
    errors.extend(schemas.one(
        "GET /servers/{uuid}",
        "Server",
        &get(format!("/servers/{server}")).await,
    ));
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn template_matching_prefers_literal_segments() {
    let templates = [
        "/projects/{uuid}/{environment_name_or_uuid}".to_string(),
        "/projects/{uuid}/environments".to_string(),
    ];
    assert_eq!(
        best_template(templates.iter(), "/projects/abc/environments").unwrap(),
        "/projects/{uuid}/environments"
    );
    assert_eq!(
        best_template(templates.iter(), "/projects/abc/prod").unwrap(),
        "/projects/{uuid}/{environment_name_or_uuid}"
    );
    assert!(best_template(templates.iter(), "/projects").is_none());
}
