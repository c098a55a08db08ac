//! Loads from servers that answer part of what was asked, or lists that do not fit
//! together (shapes recorded from real Coolify servers): pftui shows everything it was
//! given, names each part it could not read, and drops nothing.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::process::Output;

use common::binary::{against, run, text};
use common::sim;
use pftui::coolify::Loader;
use pftui::model::Part;
use pftui::sim::{Fault, SimHandle};
use serde_json::{Value, json};

/// What the simulator answers to `GET /api/v1{path}`, to be changed and planted back.
async fn answer(sim: &SimHandle, path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}/api/v1{path}", sim.coolify_url()))
        .bearer_auth(sim.token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `pftui ARGS` against the simulator.
async fn pftui(sim: &SimHandle, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = against(&home, sim, sim.token());
    cmd.args(args);
    run(cmd).await
}

/// `pftui status --output json`: its document, its standard error and its exit code.
async fn status_json(sim: &SimHandle) -> (Value, String, Option<i32>) {
    let out = pftui(sim, &["status", "--output", "json"]).await;
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    (doc, text(&out.stderr), out.status.code())
}

/// Every resource of a status document, placed or not, as (name, kind).
fn resources(doc: &Value) -> Vec<(String, String)> {
    let placed = doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["environments"].as_array().unwrap())
        .flat_map(|e| e["resources"].as_array().unwrap().iter());
    let unplaced = doc["unplaced"].as_array().unwrap().iter();
    let mut all: Vec<_> = placed
        .chain(unplaced)
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    all.sort();
    all
}

fn project_names(doc: &Value) -> Vec<&str> {
    doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect()
}

/// The resource named `name` of a status document.
fn resource<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["environments"].as_array().unwrap())
        .flat_map(|e| e["resources"].as_array().unwrap())
        .chain(doc["unplaced"].as_array().unwrap())
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {doc:#}"))
}

/// One part left out: status shows the rest, names the part on stderr and in the JSON,
/// and exits 0 as long as the projects and applications were read.
async fn one_part_missing(fault: Fault, part: &str, request: &str) {
    let (sim, _) = sim(50.0).await;
    let (whole, _, code) = status_json(&sim).await;
    assert_eq!(code, Some(0));
    sim.control().inject_fault(fault);

    let (doc, stderr, code) = status_json(&sim).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(project_names(&doc), project_names(&whole));
    let missing: Vec<_> = resources(&whole)
        .into_iter()
        .filter(|r| !resources(&doc).contains(r))
        .collect();
    assert!(
        missing
            .iter()
            .all(|(_, kind)| *kind == part.trim_end_matches('s')),
        "only the {part} are missing: {missing:?}"
    );
    let warnings = doc["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["part"], part);
    assert_eq!(warnings[0]["request"], request);
    assert!(!warnings[0]["reason"].as_str().unwrap().is_empty());
    let expected = format!("warning: {part}: could not read {request}: ");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("warning:")).count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains(&expected), "{stderr}");

    // The table and the console say the same.
    let out = pftui(&sim, &["status"]).await;
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    for (name, _) in resources(&doc) {
        assert!(table.contains(&name), "{name} missing from\n{table}");
    }
    assert!(text(&out.stderr).contains(&expected));
    let out = pftui(&sim, &["snapshot", "--size", "160x40"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let frame = text(&out.stdout);
    assert!(frame.contains(&format!("⚠ not read: {part}")), "{frame}");
}

#[tokio::test]
async fn a_databases_answer_that_is_a_string_leaves_out_only_the_databases() {
    // The official spec documents `GET /databases` as answering a string.
    one_part_missing(
        Fault::json("/api/v1/databases", 200, &json!("Get all databases")),
        "databases",
        "GET /databases",
    )
    .await;
}

#[tokio::test]
async fn a_server_error_on_services_leaves_out_only_the_services() {
    one_part_missing(
        Fault::json("/api/v1/services", 500, &json!({"message": "Server Error"})),
        "services",
        "GET /services",
    )
    .await;
}

#[tokio::test]
async fn a_gateway_refusing_the_version_leaves_it_unknown() {
    let (sim, _) = sim(50.0).await;
    sim.control().inject_fault(Fault::respond(
        "/api/v1/version",
        406,
        "text/html",
        "<html><body><h1>406 Not Acceptable</h1></body></html>",
    ));
    let (doc, stderr, code) = status_json(&sim).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc["version"], Value::Null);
    assert_eq!(doc["warnings"][0]["part"], "version");
    assert_eq!(doc["warnings"].as_array().unwrap().len(), 1);
    assert!(resources(&doc).iter().any(|(n, _)| n == "air-dev"));
    let out = pftui(&sim, &["status"]).await;
    assert!(text(&out.stdout).contains("(version unknown)"));
    // doctor names the version it could not read and goes on to the token's abilities.
    let out = pftui(&sim, &["doctor"]).await;
    let report = text(&out.stdout);
    assert!(report.contains("version could not be read"), "{report}");
    assert!(report.contains("abilities"), "{report}");
}

/// A gateway that answers only what a request's `Accept` allows, as strict proxies do:
/// Coolify documents `/version` and `/health` as `text/html`.
#[tokio::test]
async fn plain_text_endpoints_are_asked_for_as_text() {
    async fn strict(headers: axum::http::HeaderMap) -> (axum::http::StatusCode, String) {
        let accept = headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if accept.contains("text/html") || accept.contains("*/*") {
            (axum::http::StatusCode::OK, "4.3.11".into())
        } else {
            (
                axum::http::StatusCode::NOT_ACCEPTABLE,
                "Not Acceptable".into(),
            )
        }
    }
    let app = axum::Router::new()
        .route("/api/v1/version", axum::routing::get(strict))
        .route("/api/v1/health", axum::routing::get(strict));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = pftui::coolify::Client::new(&url, "1|token".to_string().into()).unwrap();
    assert_eq!(client.version().await.unwrap(), "4.3.11");
    client.health().await.unwrap();
}

#[tokio::test]
async fn without_the_applications_status_shows_the_rest_and_fails() {
    let (sim, _) = sim(50.0).await;
    sim.control().inject_fault(
        Fault::json(
            "/api/v1/applications",
            500,
            &json!({"message": "Server Error"}),
        )
        .method("GET"),
    );
    let (doc, stderr, code) = status_json(&sim).await;
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(project_names(&doc), ["AIR", "BAIV", "W4M"]);
    assert!(resources(&doc).iter().any(|(n, _)| n == "air-postgres"));
    assert_eq!(doc["warnings"][0]["part"], "applications");
    assert!(stderr.contains("incomplete"), "{stderr}");
}

#[tokio::test]
async fn resources_of_unknown_environments_are_unplaced_not_dropped() {
    let (sim, _) = sim(50.0).await;
    let (whole, _, _) = status_json(&sim).await;
    // A trimmed `/applications` (no `environment_id`), and a database of an environment
    // that was deleted (no project lists it).
    let mut apps = answer(&sim, "/applications").await;
    for app in apps.as_array_mut().unwrap() {
        app.as_object_mut().unwrap().remove("environment_id");
    }
    let mut databases = answer(&sim, "/databases").await;
    databases[0]["environment_id"] = json!(999);
    let orphan = databases[0]["name"].as_str().unwrap().to_string();
    sim.control()
        .inject_fault(Fault::json("/api/v1/applications", 200, &apps).method("GET"));
    sim.control()
        .inject_fault(Fault::json("/api/v1/databases", 200, &databases).method("GET"));

    let (doc, stderr, code) = status_json(&sim).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(doc["warnings"].as_array().unwrap().is_empty());
    assert_eq!(resources(&doc), resources(&whole), "nothing dropped");
    let unplaced = doc["unplaced"].as_array().unwrap();
    assert_eq!(unplaced.len(), apps.as_array().unwrap().len() + 1);
    for u in unplaced {
        let why = u["reason"].as_str().unwrap();
        if u["name"] == orphan.as_str() {
            assert!(why.contains("#999"), "{why}");
        } else {
            assert_eq!(u["kind"], "application");
            assert!(why.contains("without an environment_id"), "{why}");
        }
    }
    assert_eq!(project_names(&doc), ["AIR", "BAIV", "W4M"]);

    let out = pftui(&sim, &["status"]).await;
    let table = text(&out.stdout);
    assert!(table.contains("9 applications"), "{table}");
    let row = table.lines().find(|l| l.contains("air-dev")).unwrap();
    assert!(row.starts_with("(unplaced)"), "{row}");
    assert!(table.contains(&format!("(unplaced) {orphan}: its environment (#999)")));

    let out = pftui(&sim, &["snapshot", "--size", "160x60"]).await;
    let frame = text(&out.stdout);
    assert!(frame.contains("(unplaced)"), "{frame}");
    // Every resource is counted: 11 running and w4m-dev exited.
    assert!(frame.contains("●11 ○1"), "{frame}");
    assert!(frame.contains("● air-postgres db"), "{frame}");
}

#[tokio::test]
async fn every_project_has_a_row_with_or_without_environments() {
    let (sim, _) = sim(50.0).await;
    let created: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/projects", sim.coolify_url()))
        .bearer_auth(sim.token())
        .json(&json!({"name": "bare"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uuid = created["uuid"].as_str().unwrap();
    sim.control().inject_fault(Fault::json(
        &format!("/api/v1/projects/{uuid}"),
        200,
        &json!({"id": 40, "uuid": uuid, "name": "bare", "description": null, "environments": []}),
    ));
    let out = pftui(&sim, &["status"]).await;
    let table = text(&out.stdout);
    let row = table
        .lines()
        .find(|l| l.starts_with("bare "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains(" - "), "{row}");
    assert!(table.contains("4 projects"), "{table}");
}

#[tokio::test]
async fn compose_applications_and_services_show_their_urls() {
    let (sim, _) = sim(50.0).await;
    let mut apps = answer(&sim, "/applications").await;
    let air = apps
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["name"] == "air-dev")
        .unwrap();
    air["build_pack"] = json!("dockercompose");
    air["fqdn"] = Value::Null;
    air["docker_compose_domains"] = json!(
        json!({"web": {"domain": "https://web.air.example,https://www.air.example"},
               "worker": {"domain": ""}, "api": {"domain": "https://web.air.example"}})
        .to_string()
    );
    sim.control()
        .inject_fault(Fault::json("/api/v1/applications", 200, &apps).method("GET"));

    let (doc, stderr, _) = status_json(&sim).await;
    assert_eq!(
        resource(&doc, "air-dev")["urls"],
        json!(["https://web.air.example", "https://www.air.example"]),
        "{stderr}"
    );
    // The service's address is its sub-application's fqdn, read with its own request
    // because the list leaves sub-applications out.
    assert_eq!(
        resource(&doc, "w4m-uptime-kuma")["urls"],
        json!(["https://status.w4m.pfcore.io"])
    );
    let out = pftui(&sim, &["status"]).await;
    let table = text(&out.stdout);
    let row = table.lines().find(|l| l.contains("air-dev")).unwrap();
    assert!(row.contains("https://web.air.example"), "{row}");
}

#[tokio::test]
async fn a_compose_applications_deploy_is_health_checked_at_its_domain() {
    let (sim, client) = sim(50.0).await;
    let tree = pftui::coolify::load_tree(&client).await.unwrap();
    let uuid = common::uuid_of(&tree, "air-dev");
    let mut app = answer(&sim, &format!("/applications/{uuid}")).await;
    let fqdn = app["fqdn"].as_str().unwrap().to_string();
    app["build_pack"] = json!("dockercompose");
    app["fqdn"] = Value::Null;
    app["docker_compose_domains"] = json!(json!({"web": {"domain": fqdn}}).to_string());
    sim.control().inject_fault(
        Fault::json(&format!("/api/v1/applications/{uuid}"), 200, &app).method("GET"),
    );
    let out = pftui(&sim, &["deploy", "air", "dev", "--wait", "--yes"]).await;
    let said = text(&out.stdout) + &text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!("air-dev: healthy at {fqdn}/api/health")),
        "{said}"
    );
}

#[tokio::test]
async fn statuses_are_shown_as_coolify_sent_them() {
    let (sim, _) = sim(50.0).await;
    let sent = [
        ("air-dev", "exited"),
        ("air-staging", "dead:unknown"),
        ("air-prod", "running:healthy:excluded"),
        ("baiv-dev", "degraded:unhealthy"),
        ("baiv-staging", "Running"),
    ];
    let mut apps = answer(&sim, "/applications").await;
    for app in apps.as_array_mut().unwrap() {
        if let Some((_, status)) = sent.iter().find(|(name, _)| app["name"] == *name) {
            app["status"] = json!(status);
        }
    }
    sim.control()
        .inject_fault(Fault::json("/api/v1/applications", 200, &apps).method("GET"));
    let (doc, _, _) = status_json(&sim).await;
    let out = pftui(&sim, &["status"]).await;
    let table = text(&out.stdout);
    for (name, status) in sent {
        assert_eq!(resource(&doc, name)["status"], status);
        let row = table.lines().find(|l| l.contains(name)).unwrap();
        assert!(row.contains(&format!(" {status} ")), "{row}");
    }
}

#[tokio::test]
async fn a_service_whose_sub_applications_could_not_be_read_is_retried() {
    let (sim, client) = sim(50.0).await;
    let services = answer(&sim, "/services").await;
    let service = services[0]["uuid"].as_str().unwrap().to_string();
    sim.control().inject_fault(
        Fault::json(
            &format!("/api/v1/services/{service}"),
            500,
            &json!({"message": "Server Error"}),
        )
        .method("GET")
        .times(3),
    );
    let mut loader = Loader::refreshing();
    let first = loader.overview(&client, true).await.unwrap();
    assert_eq!(first.warnings.len(), 1, "{:?}", first.warnings);
    assert_eq!(first.warnings[0].part, Part::Services);
    let urls = |o: &pftui::model::Overview| {
        o.tree
            .resources()
            .find(|(_, _, r)| r.uuid == service)
            .map(|(_, _, r)| r.urls.clone())
            .unwrap()
    };
    assert!(urls(&first).is_empty());
    let light = loader.overview(&client, false).await.unwrap();
    assert!(light.warnings.is_empty(), "{:?}", light.warnings);
    assert_eq!(urls(&light), ["https://status.w4m.pfcore.io"]);
}

#[tokio::test]
async fn a_refreshing_console_reads_a_missing_part_again() {
    let (sim, client) = sim(50.0).await;
    for path in ["/api/v1/version", "/api/v1/servers"] {
        sim.control().inject_fault(
            Fault::respond(path, 406, "text/html", "<h1>Not Acceptable</h1>")
                .method("GET")
                .times(1),
        );
    }
    let mut loader = Loader::refreshing();
    let first = loader.overview(&client, true).await.unwrap();
    let parts: Vec<Part> = first.warnings.iter().map(|w| w.part).collect();
    assert_eq!(parts, [Part::Servers, Part::Version]);
    assert!(first.version.is_none() && first.tree.servers.is_empty());
    // A light load reuses a whole layout; one with gaps is read again.
    let next = loader.overview(&client, false).await.unwrap();
    assert!(next.warnings.is_empty(), "{:?}", next.warnings);
    assert_eq!(next.version.as_deref(), Some("4.3.11"));
    assert!(!next.tree.servers.is_empty());
}
