//! The read routes of resources that third-party MCP servers and Coolify's dashboard use
//! beyond the core: tags, destinations, a service's parts, container logs of databases and
//! services, env vars, storages, scheduled tasks and backups (the team's own are in
//! `team_routes`). Each through the real router with a token: the keys the spec (or,
//! where they differ, the controller) gives and their types, Coolify's 404 for an unknown
//! uuid, what a token without `read:sensitive` does not see, and the middleware order.

use super::*;

const TAG: &[(&str, Ty)] = &[
    ("uuid", Ty::S),
    ("name", Ty::S),
    ("created_at", Ty::S),
    ("updated_at", Ty::S),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_of_the_team_and_of_resources() {
    let t = T::demo().await;
    let tags = t.ok("/tags").await;
    assert_items("tag", &tags, TAG);
    let all = names(&tags);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "sorted by name");
    for name in ["air", "baiv", "w4m", "dev", "staging", "prod", "monitoring"] {
        assert!(all.contains(&name.to_string()), "{name} in {all:?}");
    }
    let app = uuid_of(&t.app("air-prod").await);
    let db = uuid_of(&t.named("/databases", "baiv-redis").await);
    let svc = uuid_of(&t.named("/services", "w4m-uptime-kuma").await);
    let of = t.ok(&format!("/applications/{app}/tags")).await;
    assert_items("application tag", &of, TAG);
    assert_eq!(names(&of), ["air", "prod"]);
    let air = tags
        .as_array()
        .and_then(|a| a.iter().find(|x| x["name"] == "air"))
        .expect("air");
    assert_eq!(of[0]["uuid"], air["uuid"], "the same tag records");
    assert_eq!(
        names(&t.ok(&format!("/databases/{db}/tags")).await),
        ["baiv", "prod"]
    );
    assert_eq!(
        names(&t.ok(&format!("/services/{svc}/tags")).await),
        ["w4m", "monitoring"]
    );
    assert_404(
        &t.get("/applications/x/tags").await,
        "Application not found.",
    );
    assert_404(&t.get("/databases/x/tags").await, "Database not found.");
    assert_404(&t.get("/services/x/tags").await, "Service not found.");
}

const DESTINATION: &[(&str, Ty)] = &[
    ("uuid", Ty::S),
    ("name", Ty::S),
    ("network", Ty::S),
    ("type", Ty::S),
    ("server_uuid", Ty::S),
    ("created_at", Ty::S),
    ("updated_at", Ty::S),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destinations_of_the_team_and_of_a_server() {
    let t = T::demo().await;
    let all = t.ok("/destinations").await;
    assert_items("destination", &all, DESTINATION);
    assert_eq!(all.as_array().map(Vec::len), Some(2), "one a server");
    assert!(
        all.as_array()
            .is_some_and(|a| a.iter().all(|d| d["type"] == "standalone"))
    );
    let main = uuid_of(&t.named("/servers", "pfcore-main").await);
    let on = t.ok(&format!("/servers/{main}/destinations")).await;
    assert_items("server destination", &on, DESTINATION);
    assert_eq!(on.as_array().map(Vec::len), Some(1));
    assert_eq!(on[0]["server_uuid"], main.as_str());
    let one = t.ok(&format!("/destinations/{}", uuid_of(&on[0]))).await;
    assert_eq!(one, on[0]);
    // Laravel's firstOrFail, not a hand-written message.
    assert_404(
        &t.get("/servers/x/destinations").await,
        "No query results for model [App\\Models\\Server].",
    );
    assert_404(
        &t.get("/destinations/x").await,
        "No query results for model [App\\Models\\SwarmDocker].",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_services_applications_and_databases() {
    let t = T::demo().await;
    let svc = t.named("/services", "w4m-uptime-kuma").await;
    let uuid = uuid_of(&svc);
    let apps = t.ok(&format!("/services/{uuid}/applications")).await;
    assert_items(
        "service application",
        &apps,
        &[
            ("uuid", Ty::S),
            ("name", Ty::S),
            ("fqdn", Ty::SNull),
            ("image", Ty::S),
            ("status", Ty::S),
            ("created_at", Ty::S),
            ("updated_at", Ty::S),
        ],
    );
    assert_eq!(apps[0]["name"], "uptime-kuma");
    assert!(apps[0].get("id").is_none(), "the list hides id");
    let full = t.ok(&format!("/services/{uuid}")).await;
    assert_eq!(full["applications"][0]["uuid"], apps[0]["uuid"]);
    assert!(full["applications"][0]["id"].is_u64(), "embedded with id");
    assert_eq!(
        t.ok(&format!("/services/{uuid}/databases")).await,
        json!([])
    );
    assert_404(
        &t.get("/services/x/applications").await,
        "Service not found.",
    );
    assert_404(&t.get("/services/x/databases").await, "Service not found.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_logs_of_databases_and_services() {
    let t = T::demo().await;
    let pg = uuid_of(&t.named("/databases", "air-postgres").await);
    let redis = uuid_of(&t.named("/databases", "baiv-redis").await);
    let r = t.ok(&format!("/databases/{pg}/logs?lines=5")).await;
    let text = r["logs"].as_str().expect("logs is a string");
    assert_eq!(text.lines().count(), 5);
    assert!(text.contains("LOG:  checkpoint"), "{text}");
    let r = t
        .ok(&format!(
            "/databases/{pg}/logs?lines=10000&show_timestamps=true"
        ))
        .await;
    let text = r["logs"].as_str().expect("logs");
    assert!(
        text.contains("database system is ready to accept connections"),
        "the start banner is within 10,000 lines"
    );
    assert!(text.lines().all(|l| l.starts_with("20")), "stamped");
    let r = t.ok(&format!("/databases/{redis}/logs?lines=4")).await;
    let text = r["logs"].as_str().expect("logs");
    assert!(text.contains("Background saving"), "{text}");
    assert_404(&t.get("/databases/x/logs").await, "Database not found.");

    let svc = uuid_of(&t.named("/services", "w4m-uptime-kuma").await);
    let r = t.get(&format!("/services/{svc}/logs")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json(),
        json!({"message": "Sub service name is required."})
    );
    let r = t.get("/services/x/logs?sub_service_name=uptime-kuma").await;
    assert_404(&r, "Service not found.");
    let r = t
        .get(&format!("/services/{svc}/logs?sub_service_name=postgres"))
        .await;
    assert_404(&r, "Container not found.");
    let r = t
        .ok(&format!(
            "/services/{svc}/logs?sub_service_name=uptime-kuma&lines=3"
        ))
        .await;
    let text = r["logs"].as_str().expect("logs");
    assert_eq!(text.lines().count(), 3);
    assert!(text.contains("[MONITOR] INFO"), "{text}");

    // Stopped containers have no logs.
    assert_eq!(
        t.post(&format!("/databases/{pg}/stop"), None).await.status,
        StatusCode::OK
    );
    t.wait_for(&format!("/databases/{pg}"), |d| {
        d["status"] == "exited:unhealthy"
    })
    .await;
    let r = t.get(&format!("/databases/{pg}/logs")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json(), json!({"message": "Database is not running."}));
    assert_eq!(
        t.post(&format!("/services/{svc}/stop"), None).await.status,
        StatusCode::OK
    );
    t.wait_for(&format!("/services/{svc}"), |s| s["status"] == "exited")
        .await;
    let r = t
        .get(&format!(
            "/services/{svc}/logs?sub_service_name=uptime-kuma"
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json(), json!({"message": "Container is not running."}));
}

const ENV: &[(&str, Ty)] = &[
    ("uuid", Ty::S),
    ("key", Ty::S),
    ("is_literal", Ty::B),
    ("is_multiline", Ty::B),
    ("is_preview", Ty::B),
    ("is_runtime", Ty::B),
    ("is_buildtime", Ty::B),
    ("is_shared", Ty::B),
    ("is_shown_once", Ty::B),
    ("comment", Ty::SNull),
    ("version", Ty::S),
    ("created_at", Ty::S),
    ("updated_at", Ty::S),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn env_vars_of_databases_and_services_hide_values_without_read_sensitive() {
    let t = T::with_readers().await;
    let db = uuid_of(&t.named("/databases", "air-postgres").await);
    let svc = uuid_of(&t.named("/services", "w4m-uptime-kuma").await);
    for path in [
        format!("/databases/{db}/envs"),
        format!("/services/{svc}/envs"),
    ] {
        let envs = t.ok(&path).await;
        assert_items(&path, &envs, ENV);
        let list = envs.as_array().expect("list");
        assert!(
            list.iter().all(|e| e.get("id").is_none()),
            "{path}: id hidden"
        );
        assert!(
            list.iter()
                .all(|e| e["value"].is_string() && e["real_value"] == e["value"]),
            "{path}: root sees values"
        );
        let seen = t.get_as("5|auditor", &path).await.json();
        assert_eq!(seen, envs, "{path}: read:sensitive sees the same");
        let hidden = t.get_as("2|reader", &path).await.json();
        assert_items(&path, &hidden, ENV);
        assert!(
            hidden.as_array().is_some_and(|a| a
                .iter()
                .all(|e| e.get("value").is_none() && e.get("real_value").is_none())),
            "{path}: values leaked to a read-only token"
        );
    }
    let envs = t.ok(&format!("/databases/{db}/envs")).await;
    let args = envs
        .as_array()
        .and_then(|a| a.iter().find(|e| e["key"] == "POSTGRES_INITDB_ARGS"))
        .expect("POSTGRES_INITDB_ARGS");
    assert_eq!(args["value"], "--data-checksums");
    let envs = t.ok(&format!("/services/{svc}/envs")).await;
    let url = envs
        .as_array()
        .and_then(|a| a.iter().find(|e| e["key"] == "SERVICE_URL_UPTIMEKUMA_3001"))
        .expect("SERVICE_URL_UPTIMEKUMA_3001");
    assert_eq!(url["value"], "https://status.w4m.pfcore.io");
    // The applications' list goes through the same code: shown-once values stay hidden.
    let app = uuid_of(&t.app("air-dev").await);
    let envs = t.ok(&format!("/applications/{app}/envs")).await;
    assert_items("application env", &envs, ENV);
    let once = envs
        .as_array()
        .and_then(|a| a.iter().find(|e| e["is_shown_once"] == true))
        .expect("a shown-once variable");
    assert!(once.get("value").is_none());
    assert_404(&t.get("/databases/x/envs").await, "Database not found.");
    assert_404(&t.get("/services/x/envs").await, "Service not found.");
    assert_404(
        &t.get("/applications/x/envs").await,
        "Application not found.",
    );
}

const VOLUME: &[(&str, Ty)] = &[
    ("id", Ty::I),
    ("uuid", Ty::S),
    ("name", Ty::S),
    ("mount_path", Ty::S),
    ("host_path", Ty::SNull),
    ("resource_type", Ty::S),
    ("resource_id", Ty::I),
    ("created_at", Ty::S),
    ("updated_at", Ty::S),
];

const FILE: &[(&str, Ty)] = &[
    ("id", Ty::I),
    ("uuid", Ty::S),
    ("fs_path", Ty::S),
    ("mount_path", Ty::S),
    ("is_directory", Ty::B),
    ("resource_type", Ty::S),
    ("resource_id", Ty::I),
    ("created_at", Ty::S),
    ("updated_at", Ty::S),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storages_of_applications_databases_and_services() {
    let t = T::with_readers().await;
    let app = uuid_of(&t.app("air-prod").await);
    let s = t.ok(&format!("/applications/{app}/storages")).await;
    assert_shape(
        "storages",
        &s,
        &[("persistent_storages", Ty::A), ("file_storages", Ty::A)],
    );
    assert_items("volume", &s["persistent_storages"], VOLUME);
    assert_items("file", &s["file_storages"], FILE);
    assert_eq!(
        s["persistent_storages"][0]["name"],
        format!("{app}-uploads")
    );
    assert_eq!(
        s["persistent_storages"][0]["resource_type"],
        "App\\Models\\Application"
    );
    assert!(
        s["file_storages"][0]["content"].is_string(),
        "root sees content"
    );
    let plain = t
        .get_as("2|reader", &format!("/applications/{app}/storages"))
        .await
        .json();
    assert!(plain["file_storages"][0].get("content").is_none());
    assert_eq!(
        plain["file_storages"][0]["mount_path"],
        "/app/config/feature-flags.json"
    );
    let dev = uuid_of(&t.app("air-dev").await);
    assert_eq!(
        t.ok(&format!("/applications/{dev}/storages")).await,
        json!({"persistent_storages": [], "file_storages": []})
    );

    let db = t.named("/databases", "air-postgres").await;
    let s = t.ok(&format!("/databases/{}/storages", uuid_of(&db))).await;
    assert_items("database volume", &s["persistent_storages"], VOLUME);
    assert_eq!(
        s["persistent_storages"][0]["name"],
        format!("postgres-data-{}", uuid_of(&db))
    );
    assert_eq!(
        s["persistent_storages"][0]["resource_type"],
        "App\\Models\\StandalonePostgresql"
    );

    let svc = t.named("/services", "w4m-uptime-kuma").await;
    let full = t.ok(&format!("/services/{}", uuid_of(&svc))).await;
    let s = t.ok(&format!("/services/{}/storages", uuid_of(&svc))).await;
    assert_items("service volume", &s["persistent_storages"], VOLUME);
    let v = &s["persistent_storages"][0];
    assert_eq!(v["resource_type"], "application", "renamed for a service");
    assert_eq!(v["resource_uuid"], full["applications"][0]["uuid"]);
    assert_eq!(v["mount_path"], "/app/data");

    assert_404(
        &t.get("/applications/x/storages").await,
        "Application not found",
    );
    assert_404(&t.get("/databases/x/storages").await, "Database not found.");
    assert_404(&t.get("/services/x/storages").await, "Service not found.");
}

const TASK: &[(&str, Ty)] = &[
    ("uuid", Ty::S),
    ("name", Ty::S),
    ("command", Ty::S),
    ("frequency", Ty::S),
    ("container", Ty::SNull),
    ("enabled", Ty::B),
    ("timeout", Ty::I),
    ("created_at", Ty::S),
    ("updated_at", Ty::S),
];

const TASK_RUN: &[(&str, Ty)] = &[
    ("uuid", Ty::S),
    ("status", Ty::S),
    ("message", Ty::SNull),
    ("retry_count", Ty::I),
    // The spec says number; the model's `decimal:2` cast writes a string.
    ("duration", Ty::SNull),
    ("started_at", Ty::SNull),
    ("finished_at", Ty::SNull),
    ("created_at", Ty::S),
    ("updated_at", Ty::S),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_tasks_and_their_executions() {
    let t = T::demo().await;
    let app = uuid_of(&t.app("air-prod").await);
    let tasks = t.ok(&format!("/applications/{app}/scheduled-tasks")).await;
    assert_items("task", &tasks, TASK);
    assert!(tasks[0].get("id").is_none(), "id hidden");
    assert_eq!(tasks[0]["name"], "purge-expired-sessions");
    assert_eq!(tasks[0]["container"], Value::Null);
    let task = uuid_of(&tasks[0]);
    let runs = t
        .ok(&format!(
            "/applications/{app}/scheduled-tasks/{task}/executions"
        ))
        .await;
    assert_items("task run", &runs, TASK_RUN);
    let statuses: Vec<&str> = runs
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(statuses, ["success", "success", "failed"]);
    let started: Vec<&str> = runs
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["started_at"].as_str()).collect())
        .unwrap_or_default();
    assert!(started.windows(2).all(|w| w[0] > w[1]), "newest first");
    let duration: f64 = runs[0]["duration"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .expect("duration in seconds");
    assert!(duration > 1.0);
    assert_eq!(
        t.ok(&format!(
            "/applications/{}/scheduled-tasks",
            uuid_of(&t.app("air-dev").await)
        ))
        .await,
        json!([])
    );

    let svc = uuid_of(&t.named("/services", "w4m-uptime-kuma").await);
    let tasks = t.ok(&format!("/services/{svc}/scheduled-tasks")).await;
    assert_items("service task", &tasks, TASK);
    assert_eq!(tasks[0]["container"], "uptime-kuma");
    let runs = t
        .ok(&format!(
            "/services/{svc}/scheduled-tasks/{}/executions",
            uuid_of(&tasks[0])
        ))
        .await;
    assert_items("service task run", &runs, TASK_RUN);

    assert_404(
        &t.get("/applications/x/scheduled-tasks").await,
        "Application not found.",
    );
    assert_404(
        &t.get("/services/x/scheduled-tasks").await,
        "Service not found.",
    );
    // Another resource's task is not found under this one.
    assert_404(
        &t.get(&format!(
            "/services/{svc}/scheduled-tasks/{task}/executions"
        ))
        .await,
        "Scheduled task not found.",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_schedules_and_their_executions() {
    let t = T::demo().await;
    let db = t.named("/databases", "air-postgres").await;
    let uuid = uuid_of(&db);
    let schedules = t.ok(&format!("/databases/{uuid}/backups")).await;
    assert_items(
        "backup schedule",
        &schedules,
        &[
            ("id", Ty::I),
            ("uuid", Ty::S),
            ("description", Ty::SNull),
            ("enabled", Ty::B),
            ("save_s3", Ty::B),
            ("frequency", Ty::S),
            ("database_type", Ty::S),
            ("database_id", Ty::I),
            ("database_backup_retention_amount_locally", Ty::I),
            ("database_backup_retention_max_storage_locally", Ty::N),
            ("timeout", Ty::I),
            ("executions", Ty::A),
            ("created_at", Ty::S),
            ("updated_at", Ty::S),
        ],
    );
    let schedule = &schedules[0];
    assert_eq!(
        schedule["database_type"],
        "App\\Models\\StandalonePostgresql"
    );
    assert_items(
        "embedded execution",
        &schedule["executions"],
        &[
            ("id", Ty::I),
            ("uuid", Ty::S),
            ("status", Ty::S),
            ("size", Ty::I),
            ("filename", Ty::SNull),
            ("database_name", Ty::S),
            ("finished_at", Ty::SNull),
        ],
    );
    let backup = uuid_of(schedule);
    let runs = t
        .ok(&format!("/databases/{uuid}/backups/{backup}/executions"))
        .await;
    assert_shape("executions", &runs, &[("executions", Ty::A)]);
    assert_items(
        "execution",
        &runs["executions"],
        &[
            ("uuid", Ty::S),
            ("filename", Ty::SNull),
            ("size", Ty::I),
            ("created_at", Ty::S),
            ("message", Ty::S),
            ("status", Ty::S),
        ],
    );
    let list = runs["executions"].as_array().expect("executions");
    assert_eq!(list.len(), 3);
    assert_eq!(list[2]["status"], "failed");
    assert!(
        list[0]["created_at"]
            .as_str()
            .is_some_and(|c| c.ends_with("+00:00")),
        "toIso8601String: {}",
        list[0]["created_at"]
    );
    assert_eq!(list[0]["uuid"], schedule["executions"][0]["uuid"]);
    // Nightly: the newest dump is from the last 24 hours.
    let newest: jiff::Timestamp = list[0]["created_at"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .expect("a timestamp");
    let age = jiff::Timestamp::now().as_second() - newest.as_second();
    assert!((0..86_400).contains(&age), "newest dump {age} s old");
    let redis = uuid_of(&t.named("/databases", "baiv-redis").await);
    assert_eq!(
        t.ok(&format!("/databases/{redis}/backups")).await,
        json!([])
    );
    assert_404(
        &t.get(&format!("/databases/{redis}/backups/{backup}/executions"))
            .await,
        "Backup configuration not found.",
    );
    assert_404(&t.get("/databases/x/backups").await, "Database not found.");
    assert_404(
        &t.get(&format!("/databases/x/backups/{backup}/executions"))
            .await,
        "Database not found.",
    );
    // One schedule or one execution by uuid: no such GET route on the real server.
    for path in [
        format!("/databases/{uuid}/backups/{backup}"),
        format!(
            "/databases/{uuid}/backups/{backup}/executions/{}",
            uuid_of(&list[0])
        ),
    ] {
        let r = t.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.json()["message"], "Not found.", "{path}");
    }
}

/// Every new route: 401 without a token, 403 for a token without `read`, and a route one
/// segment too long is Laravel's catch-all 404 before any auth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_routes_keep_the_middleware_order() {
    let t = T::demo().await;
    t.sim.control().add_token("3|deployer", &["deploy"]);
    let app = uuid_of(&t.app("air-prod").await);
    let db = uuid_of(&t.named("/databases", "air-postgres").await);
    let svc = uuid_of(&t.named("/services", "w4m-uptime-kuma").await);
    let main = uuid_of(&t.named("/servers", "pfcore-main").await);
    let paths = [
        "/tags".to_string(),
        "/destinations".to_string(),
        format!("/servers/{main}/destinations"),
        format!("/applications/{app}/tags"),
        format!("/applications/{app}/storages"),
        format!("/applications/{app}/scheduled-tasks"),
        format!("/databases/{db}/logs"),
        format!("/databases/{db}/envs"),
        format!("/databases/{db}/storages"),
        format!("/databases/{db}/backups"),
        format!("/services/{svc}/applications"),
        format!("/services/{svc}/envs"),
        format!("/services/{svc}/scheduled-tasks"),
        "/security/keys".to_string(),
        "/github-apps".to_string(),
        "/cloud-tokens".to_string(),
        "/team/members".to_string(),
        "/teams/current/members".to_string(),
    ];
    for path in &paths {
        let r = t.req(Method::GET, path, None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
        let r = t.get_as("3|deployer", path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            r.json(),
            json!({"message": "Missing required permissions: read"})
        );
        let r = t
            .req(Method::GET, &format!("{path}/x/y/z"), None, None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}/x/y/z");
        assert_eq!(r.json()["message"], "Not found.");
    }
}

/// The large data set has the same team and a tag for every project.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_large_data_set_serves_the_team_too() {
    let t = T::new(SimConfig {
        apps: Some(60),
        speed: FAST,
        ..SimConfig::default()
    })
    .await;
    let tags = names(&t.ok("/tags").await);
    for project in names(&t.ok("/projects").await) {
        assert!(tags.contains(&project), "{project} in {tags:?}");
    }
    assert_eq!(
        t.ok("/security/keys").await.as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(
        t.ok("/team/members").await.as_array().map(Vec::len),
        Some(3)
    );
    let db = t.ok("/databases").await[0]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let s = t.ok(&format!("/databases/{db}/storages")).await;
    assert_eq!(s["persistent_storages"].as_array().map(Vec::len), Some(1));
}
