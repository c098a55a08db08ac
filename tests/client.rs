//! The Coolify client against the embedded simulator: every endpoint, every error shape.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::time::Duration;

use common::{client_for, follow, sim, sim_with, uuid_of};
use pftui::coolify::{
    ApplicationPatch, ClientOptions, CoolifyError, DeployRequest, EnvVarInput, Lifecycle,
    LineFormatter, load_scope, load_tree,
};
use pftui::http::TransportError;
use pftui::model::{
    Address, DeploymentLog, DeploymentStatus, LineKind, LogStream, ResourceKind, RunState, Trigger,
    Version,
};
use pftui::sim::{Fault, FaultKind, SimConfig};
use secrecy::{ExposeSecret, SecretString};

#[tokio::test]
async fn the_demo_tree_has_every_instance_and_environment() {
    let (_sim, client) = sim(50.0).await;
    let tree = load_tree(&client).await.unwrap();
    let names: Vec<_> = tree.projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["AIR", "BAIV", "W4M"]);
    for project in &tree.projects {
        let envs: Vec<_> = project
            .environments
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(envs, ["dev", "staging", "prod"], "{}", project.name);
        for env in &project.environments {
            let app_name = format!("{}-{}", project.name.to_lowercase(), env.name);
            let app = env
                .applications()
                .find(|a| a.name == app_name)
                .expect(&app_name);
            let info = app.app.as_ref().unwrap();
            let branch = match env.name.as_str() {
                "dev" => "develop",
                "staging" => "staging",
                _ => "main",
            };
            assert_eq!(info.git_branch.as_deref(), Some(branch));
            assert_eq!(
                info.git_repository.as_deref(),
                Some(format!("pfcore/pf-{}", project.name.to_lowercase()).as_str())
            );
            assert_eq!(info.build_pack.as_deref(), Some("nixpacks"));
            assert_eq!(info.health_check_path.as_deref(), Some("/api/health"));
            assert!(app.server.is_some(), "{app_name} is placed on a server");
        }
    }
    let air_prod = tree.resource(&uuid_of(&tree, "air-prod")).unwrap().2;
    assert_eq!(air_prod.urls, ["https://air.pfcore.io"]);
    let baiv_prod = tree.resource(&uuid_of(&tree, "baiv-prod")).unwrap().2;
    assert_eq!(baiv_prod.urls, ["https://baiv.io"]);
    let engines: Vec<_> = tree
        .resources()
        .filter(|(_, _, r)| r.kind == ResourceKind::Database)
        .filter_map(|(_, _, r)| r.engine.clone())
        .collect();
    assert!(engines.contains(&"postgresql".to_string()), "{engines:?}");
    assert!(engines.contains(&"redis".to_string()), "{engines:?}");
    assert_eq!(tree.servers.len(), 2);
    assert_eq!(tree.servers.iter().filter(|s| s.build_server).count(), 1);
    assert!(tree.servers.iter().all(|s| s.reachable == Some(true)));
}

#[tokio::test]
async fn health_version_and_scope() {
    let (_sim, client) = sim(50.0).await;
    client.health().await.unwrap();
    let version = Version::parse(&client.version().await.unwrap()).expect("a version");
    assert!(version.has_rollback_api());
    let scope = load_scope(&client, "Air", &["STAGING"]).await.unwrap();
    let (_, env, app) = Address::parse("air/staging").find_one(&scope).unwrap();
    assert_eq!(
        (env.name.as_str(), app.name.as_str()),
        ("staging", "air-staging")
    );
    let err = Address::parse("air/qa")
        .find_one(&load_scope(&client, "air", &["qa"]).await.unwrap())
        .unwrap_err();
    assert!(err.to_string().contains("dev, staging, prod"), "{err}");
}

#[tokio::test]
async fn projects_and_environments_can_be_created() {
    let (_sim, client) = sim(50.0).await;
    let created = client
        .create_project("NEWCO", Some("a new instance"))
        .await
        .unwrap();
    let project = client.project(&created).await.unwrap();
    assert_eq!(project.name, "NEWCO");
    client.create_environment(&created, "qa").await.unwrap();
    let envs = client.environments(&created).await.unwrap();
    assert!(envs.iter().any(|e| e.name == "qa"));
    let dup = client.create_environment(&created, "qa").await.unwrap_err();
    assert!(matches!(dup, CoolifyError::Conflict { .. }), "{dup:?}");
    let invalid = client.create_project("", None).await.unwrap_err();
    let CoolifyError::Validation { errors, .. } = &invalid else {
        panic!("expected a validation error, got {invalid:?}");
    };
    assert!(errors.contains_key("name"), "{errors:?}");
    let projects = client.projects().await.unwrap();
    let air = projects.iter().find(|p| p.name == "AIR").unwrap();
    let env = client.environment(&air.uuid, "prod").await.unwrap();
    assert!(env.applications().any(|a| a.name == "air-prod"));
}

#[tokio::test]
async fn applications_read_update_and_env_vars() {
    let (_sim, client) = sim(50.0).await;
    let apps = client.applications(None).await.unwrap();
    assert!(apps.len() >= 9);
    let app = apps.iter().find(|a| a.name == "w4m-dev").unwrap();
    let patch = ApplicationPatch {
        description: Some("patched by a test".into()),
        ..ApplicationPatch::default()
    };
    client.update_application(&app.uuid, &patch).await.unwrap();
    let read = client.application(&app.uuid).await.unwrap();
    assert_eq!(read.description.as_deref(), Some("patched by a test"));

    let secret = SecretString::from("postgres://app:hunter2@db/app".to_string());
    let created = client
        .create_env_var(
            &app.uuid,
            &EnvVarInput::new("PFTUI_TEST_URL", secret.clone()),
        )
        .await
        .unwrap();
    let dup = client
        .create_env_var(&app.uuid, &EnvVarInput::new("PFTUI_TEST_URL", secret))
        .await
        .unwrap_err();
    assert!(matches!(dup, CoolifyError::Conflict { .. }), "{dup:?}");
    let updated = client
        .update_env_var(
            &app.uuid,
            &EnvVarInput::new("PFTUI_TEST_URL", SecretString::from("changed".to_string())),
        )
        .await
        .unwrap();
    assert_eq!(
        updated
            .value
            .as_ref()
            .map(|v| v.expose_secret().to_string())
            .as_deref(),
        Some("changed")
    );
    client
        .upsert_env_vars(
            &app.uuid,
            &[
                EnvVarInput::new("A", SecretString::from("1".to_string())),
                EnvVarInput::new("B", SecretString::from("2".to_string())),
            ],
        )
        .await
        .unwrap();
    let vars = client.env_vars(&app.uuid).await.unwrap();
    for key in ["PFTUI_TEST_URL", "A", "B"] {
        assert!(vars.iter().any(|v| v.key == key), "{key} listed");
    }
    client.delete_env_var(&app.uuid, &created).await.unwrap();
    let vars = client.env_vars(&app.uuid).await.unwrap();
    // Coolify made a preview copy when the key was created; only that one is left.
    let left: Vec<_> = vars.iter().filter(|v| v.key == "PFTUI_TEST_URL").collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].is_preview, Some(true));
    let missing = client
        .update_env_var(
            &app.uuid,
            &EnvVarInput::new("NOPE", SecretString::from("x".to_string())),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(missing, CoolifyError::NotFound { .. }),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_deployment_runs_to_finished_with_a_real_log() {
    let (_sim, client) = sim(50.0).await;
    let tree = load_tree(&client).await.unwrap();
    let app = uuid_of(&tree, "air-staging");
    let before = client
        .deployment_history(&app, 0, 100)
        .await
        .unwrap()
        .count
        .unwrap();
    let queued = client
        .deploy(&DeployRequest::uuids([app.clone()]))
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].resource_uuid.as_deref(), Some(app.as_str()));
    let uuid = queued[0]
        .deployment_uuid
        .clone()
        .expect("a deployment uuid");
    let polls = follow(&client, &uuid).await;
    let last = polls.last().unwrap();
    assert_eq!(last.deployment.status, DeploymentStatus::Finished);
    let commit = last.deployment.commit.clone().unwrap();
    assert_eq!(commit.len(), 40, "HEAD resolved to a sha: {commit}");
    let entries: Vec<_> = polls.iter().flat_map(|p| p.entries.clone()).collect();
    let orders: Vec<_> = entries.iter().map(|e| e.order).collect();
    assert!(
        orders.windows(2).all(|w| w[0] < w[1]),
        "each entry once, in order"
    );
    assert!(entries.iter().any(|e| e.hidden), "hidden debug entries");
    assert!(
        entries.iter().any(|e| e.output.contains('\n')),
        "multi-line outputs"
    );
    let visible = LineFormatter::new(false).lines(&entries);
    assert!(visible.iter().all(|l| !l.hidden));
    let debug = LineFormatter::new(true).lines(&entries);
    assert!(debug.iter().any(|l| l.kind == LineKind::Command));
    assert!(debug.len() > visible.len());

    let page = client.deployment_history(&app, 0, 2).await.unwrap();
    assert_eq!(page.count.unwrap(), before + 1);
    assert_eq!(page.deployments.len(), 2);
    assert_eq!(page.deployments[0].uuid, uuid);
    let images = client.rollback_images(&app).await.unwrap();
    assert!(images.images.iter().any(|i| i.tag == commit), "{images:?}");
    assert_eq!(images.current.as_deref(), Some(commit.as_str()));
    let status = client.application(&app).await.unwrap().status;
    assert_eq!(status.to_string(), "running:healthy");
}

#[tokio::test]
async fn an_injected_failure_fails_the_deployment_with_stderr() {
    let (sim, client) = sim(50.0).await;
    assert!(sim.control().fail_next_deployment("baiv-prod"));
    assert!(!sim.control().fail_next_deployment("no-such-app"));
    let tree = load_tree(&client).await.unwrap();
    let app = uuid_of(&tree, "baiv-prod");
    let queued = client.deploy(&DeployRequest::uuids([app])).await.unwrap();
    let polls = follow(&client, queued[0].deployment_uuid.as_deref().unwrap()).await;
    assert_eq!(
        polls.last().unwrap().deployment.status,
        DeploymentStatus::Failed
    );
    assert!(
        polls
            .iter()
            .flat_map(|p| &p.entries)
            .any(|e| e.stream == LogStream::Stderr && !e.hidden)
    );
}

#[tokio::test]
async fn rollback_restart_stop_and_start() {
    let (_sim, client) = sim(50.0).await;
    let tree = load_tree(&client).await.unwrap();
    let app = uuid_of(&tree, "w4m-prod");
    let images = client.rollback_images(&app).await.unwrap();
    let previous = images
        .images
        .iter()
        .find(|i| i.is_current != Some(true))
        .expect("an earlier image")
        .tag
        .clone();
    let queued = client.rollback(&app, &previous).await.unwrap();
    let polls = follow(&client, queued.deployment_uuid.as_deref().unwrap()).await;
    let done = &polls.last().unwrap().deployment;
    assert_eq!(done.trigger, Trigger::Rollback);
    assert_eq!(done.commit.as_deref(), Some(previous.as_str()));
    assert_eq!(done.status, DeploymentStatus::Finished);

    let restart = client.restart_application(&app).await.unwrap();
    let polls = follow(&client, restart.deployment_uuid.as_deref().unwrap()).await;
    assert!(polls.last().unwrap().deployment.restart_only);

    client.stop_application(&app).await.unwrap();
    // The stop is asynchronous: wait for the status, then the container log is refused.
    common::wait_until(|| async {
        let status = client.application(&app).await.unwrap().status;
        status.state == RunState::Exited
    })
    .await;
    let err = client.container_logs(&app, 10, false).await.unwrap_err();
    assert!(matches!(err, CoolifyError::BadRequest { .. }), "{err:?}");
    let started = client.start_application(&app, false, false).await.unwrap();
    follow(&client, started.deployment_uuid.as_deref().unwrap()).await;
    let logs = client.container_logs(&app, 5, true).await.unwrap();
    assert!(!logs.is_empty());
}

#[tokio::test]
async fn cancel_and_the_running_list() {
    let (_sim, client) = sim(1.0).await;
    let tree = load_tree(&client).await.unwrap();
    let app = uuid_of(&tree, "air-dev");
    let queued = client
        .deploy(&DeployRequest::uuids([app.clone()]))
        .await
        .unwrap();
    let uuid = queued[0].deployment_uuid.clone().unwrap();
    let running = client.running_deployments().await.unwrap();
    assert!(running.iter().any(|d| d.uuid == uuid));
    let again = client.deploy(&DeployRequest::uuids([app])).await.unwrap();
    assert!(again[0].deduplicated, "{again:?}");
    assert_eq!(again[0].deployment_uuid, None);
    let cancelled = client.cancel_deployment(&uuid).await.unwrap();
    assert!(cancelled.message.is_some());
    let d = client.deployment(&uuid).await.unwrap();
    assert_eq!(d.status, DeploymentStatus::Cancelled);
    let err = client.cancel_deployment(&uuid).await.unwrap_err();
    assert!(matches!(err, CoolifyError::BadRequest { .. }), "{err:?}");
    assert!(
        !client
            .running_deployments()
            .await
            .unwrap()
            .iter()
            .any(|d| d.uuid == uuid)
    );
}

#[tokio::test]
async fn a_full_queue_is_a_rate_limit_with_retry_after() {
    let (_sim, client) = sim_with(SimConfig {
        speed: 1.0,
        queue_limit: 1,
        ..SimConfig::default()
    })
    .await;
    let tree = load_tree(&client).await.unwrap();
    client
        .deploy(&DeployRequest::uuids([uuid_of(&tree, "air-dev")]))
        .await
        .unwrap();
    let err = client
        .deploy(&DeployRequest::uuids([uuid_of(&tree, "baiv-dev")]))
        .await
        .unwrap_err();
    let CoolifyError::RateLimited { retry_after, .. } = err else {
        panic!("expected 429, got {err:?}");
    };
    assert_eq!(retry_after, Some(Duration::from_secs(60)));
}

#[tokio::test]
async fn servers_databases_and_services() {
    let (_sim, client) = sim(50.0).await;
    let servers = client.servers().await.unwrap();
    let main = servers.iter().find(|s| !s.build_server).unwrap();
    assert_eq!(client.server(&main.uuid).await.unwrap().uuid, main.uuid);
    let resources = client.server_resources(&main.uuid).await.unwrap();
    assert!(
        resources
            .iter()
            .any(|r| r.kind.as_deref() == Some("application"))
    );
    let domains = client.server_domains(&main.uuid).await.unwrap();
    assert!(
        domains
            .iter()
            .flat_map(|d| &d.domains)
            .any(|d| d.contains("air.pfcore.io"))
    );
    assert!(
        client
            .validate_server(&main.uuid)
            .await
            .unwrap()
            .message
            .is_some()
    );

    let databases = client.databases().await.unwrap();
    let pg = databases
        .iter()
        .find(|d| d.engine.as_deref() == Some("postgresql"))
        .unwrap();
    assert_eq!(client.database(&pg.uuid).await.unwrap().uuid, pg.uuid);
    let err = client
        .database_action(&pg.uuid, Lifecycle::Start)
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoolifyError::BadRequest { .. }),
        "already running: {err:?}"
    );
    client
        .database_action(&pg.uuid, Lifecycle::Restart)
        .await
        .unwrap();

    let services = client.services().await.unwrap();
    let svc = services.first().expect("a service");
    assert_eq!(client.service(&svc.uuid).await.unwrap().uuid, svc.uuid);
    client
        .service_action(&svc.uuid, Lifecycle::Restart)
        .await
        .unwrap();
    client
        .service_action(&svc.uuid, Lifecycle::Stop)
        .await
        .unwrap();

    let by_tag = client
        .deploy(&DeployRequest::tags(["no-such-tag"]))
        .await
        .unwrap_err();
    assert!(
        matches!(by_tag, CoolifyError::NotFound { .. }),
        "{by_tag:?}"
    );
}

#[tokio::test]
async fn auth_errors_name_the_token() {
    let (sim, client) = sim(50.0).await;
    let wrong = client_for(&sim, "9|not-the-token");
    let err = wrong.projects().await.unwrap_err();
    assert!(matches!(err, CoolifyError::Unauthorized { .. }), "{err:?}");
    assert!(err.to_string().contains("token"));
    assert!(err.is_setup_problem());

    sim.control().add_token("2|read-only", &["read"]);
    let reader = client_for(&sim, "2|read-only");
    let tree = load_tree(&reader).await.unwrap();
    let app = uuid_of(&tree, "air-dev");
    let err = reader
        .deploy(&DeployRequest::uuids([app.clone()]))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        CoolifyError::MissingPermission {
            ability: "deploy".into()
        }
    );
    // Sensitive fields are dropped silently for a token without read:sensitive.
    let history = client.deployment_history(&app, 0, 1).await.unwrap();
    let uuid = &history.deployments[0].uuid;
    let (_, log) = client.deployment_with_log(uuid).await.unwrap();
    assert!(matches!(log, DeploymentLog::Entries(_)), "{log:?}");
    let (_, log) = reader.deployment_with_log(uuid).await.unwrap();
    assert_eq!(log, DeploymentLog::Withheld);

    sim.control().set_api_enabled(false);
    let err = client.projects().await.unwrap_err();
    assert!(matches!(err, CoolifyError::ApiDisabled { .. }), "{err:?}");
    sim.control().set_api_enabled(true);
    client.projects().await.unwrap();
}

#[tokio::test]
async fn a_plain_http_server_redirecting_to_https_names_the_address_to_use() {
    let (sim, client) = sim(50.0).await;
    sim.control().inject_fault(Fault {
        method: None,
        path_prefix: "/api/v1/projects".into(),
        times: None,
        kind: FaultKind::Respond {
            status: 301,
            content_type: "text/html".into(),
            body: String::new(),
            headers: vec![(
                "Location".into(),
                "https://coolify.example.com/api/v1/projects".into(),
            )],
        },
    });
    let err = client.projects().await.unwrap_err();
    let CoolifyError::Transport(TransportError::Connect { detail, .. }) = &err else {
        panic!("expected Connect, got {err:?}");
    };
    assert!(
        detail.contains("redirects to https://coolify.example.com/api/v1/projects")
            && detail.contains("use its https:// address"),
        "{detail}"
    );
}

#[tokio::test]
async fn error_shapes_map_to_typed_errors() {
    let (sim, client) = sim(50.0).await;
    let err = client.application("does-not-exist").await.unwrap_err();
    assert!(matches!(err, CoolifyError::NotFound { .. }), "{err:?}");

    let c = sim.control();
    c.inject_fault(
        Fault::respond(
            "/api/v1/servers",
            405,
            "application/json",
            r#"{"message":"This endpoint has changed to a POST request."}"#,
        )
        .times(1),
    );
    let err = client.servers().await.unwrap_err();
    assert!(
        matches!(err, CoolifyError::MethodNotAllowed { .. }),
        "{err:?}"
    );

    c.inject_fault(
        Fault::respond(
            "/api/v1/projects",
            200,
            "text/html; charset=UTF-8",
            "<!DOCTYPE html><html><head><title>Login | Coolify</title></head><body>…</body></html>",
        )
        .times(1),
    );
    let err = client.projects().await.unwrap_err();
    let CoolifyError::NotJson { snippet, .. } = &err else {
        panic!("expected NotJson, got {err:?}");
    };
    assert!(snippet.contains("Login | Coolify"));
    assert!(err.is_setup_problem());

    c.inject_fault(
        Fault::respond(
            "/api/v1/projects",
            200,
            "application/json",
            "{\"truncated\": [",
        )
        .times(1),
    );
    let err = client.projects().await.unwrap_err();
    assert!(matches!(err, CoolifyError::Decode { .. }), "{err:?}");

    c.inject_fault(Fault::respond(
        "/api/v1/projects",
        502,
        "text/html",
        "<html><head><title>502 Bad Gateway</title></head></html>",
    ));
    let err = client.projects().await.unwrap_err();
    assert!(
        matches!(err, CoolifyError::Server { status: 502, .. }),
        "{err:?}"
    );
    c.clear_faults();

    // A transient failure of a read is retried; the same failure of an action is not.
    c.inject_fault(
        Fault::respond(
            "/api/v1/projects",
            503,
            "application/json",
            r#"{"message":"busy"}"#,
        )
        .times(1),
    );
    client.projects().await.expect("the retry succeeds");
    c.inject_fault(
        Fault::respond(
            "/api/v1/deploy",
            503,
            "application/json",
            r#"{"message":"busy"}"#,
        )
        .times(1),
    );
    let tree = load_tree(&client).await.unwrap();
    let err = client
        .deploy(&DeployRequest::uuids([uuid_of(&tree, "air-dev")]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoolifyError::Server { status: 503, .. }),
        "{err:?}"
    );

    c.inject_fault(Fault {
        method: Some("GET".into()),
        path_prefix: "/api/v1/version".into(),
        times: None,
        kind: FaultKind::Delay(Duration::from_secs(3)),
    });
    let impatient = pftui::coolify::Client::with_options(
        &sim.coolify_url(),
        SecretString::from(sim.token().to_string()),
        ClientOptions {
            request_timeout: Duration::from_millis(200),
            attempts: 1,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let err = impatient.version().await.unwrap_err();
    assert!(
        matches!(err, CoolifyError::Transport(TransportError::Timeout { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn connection_refused_then_recovery() {
    let (sim, client) = sim(50.0).await;
    sim.stop_listening().await;
    let err = client.projects().await.unwrap_err();
    assert!(
        matches!(err, CoolifyError::Transport(TransportError::Connect { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("cannot connect"), "{err}");
    sim.resume_listening().await.unwrap();
    client.projects().await.unwrap();
}

#[tokio::test]
async fn tls_to_a_plain_http_server_fails_clearly() {
    let (sim, _) = sim(50.0).await;
    let https = format!("https://{}", sim.addr());
    let client = pftui::coolify::Client::new(&https, SecretString::from("x".to_string())).unwrap();
    let err = client.projects().await.unwrap_err();
    assert!(
        matches!(err, CoolifyError::Transport(TransportError::Tls { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unreachable_url_is_a_clear_error() {
    let client =
        pftui::coolify::Client::new("http://127.0.0.1:9", SecretString::from("x".to_string()))
            .unwrap();
    let err = client.version().await.unwrap_err();
    assert!(
        matches!(err, CoolifyError::Transport(TransportError::Connect { .. })),
        "{err:?}"
    );
    let err =
        pftui::coolify::Client::new("not a url", SecretString::from("x".to_string())).unwrap_err();
    assert!(matches!(err, CoolifyError::InvalidUrl { .. }));
}

#[tokio::test]
async fn the_large_data_set_loads() {
    let (_sim, client) = sim_with(SimConfig {
        apps: Some(3000),
        ..SimConfig::default()
    })
    .await;
    let tree = load_tree(&client).await.unwrap();
    assert_eq!(tree.applications().count(), 3000);
    assert!(tree.projects.len() >= 50);
    assert!(
        tree.resources()
            .any(|(_, _, r)| r.kind == ResourceKind::Database)
    );
}
