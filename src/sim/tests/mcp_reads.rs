//! Every read endpoint that a widely used third-party MCP server (StuMason/coolify-mcp,
//! `src/lib/coolify-client.ts` and `src/lib/mcp-server.ts`) calls from its read-only
//! tools and read actions, with the query strings it sends, answers on the simulator with
//! the right kind of body. The detailed shapes are in the topic tests; this walks the
//! tools' list so a missing route shows up here by name.

use super::*;

/// What an endpoint answers with 200: a non-empty array, an array that may be empty, an
/// object with these keys, or plain text.
enum Body {
    Items,
    List,
    Object(&'static [&'static str]),
    Text,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stumason_coolify_mcp_read_tools() {
    let t = T::demo().await;
    let app = uuid_of(&t.app("air-prod").await);
    let db = uuid_of(&t.named("/databases", "air-postgres").await);
    let svc = uuid_of(&t.named("/services", "w4m-uptime-kuma").await);
    let server = uuid_of(&t.named("/servers", "pfcore-main").await);
    let project = uuid_of(&t.named("/projects", "AIR").await);
    let history = t.ok(&format!("/deployments/applications/{app}")).await;
    let deployment = history["deployments"][0]["deployment_uuid"]
        .as_str()
        .expect("a deployment")
        .to_string();
    let key = uuid_of(&t.ok("/security/keys").await[0]);
    let token = uuid_of(&t.ok("/cloud-tokens").await[0]);
    let task = uuid_of(&t.ok(&format!("/applications/{app}/scheduled-tasks")).await[0]);
    let svc_task = uuid_of(&t.ok(&format!("/services/{svc}/scheduled-tasks")).await[0]);
    let backup = uuid_of(&t.ok(&format!("/databases/{db}/backups")).await[0]);

    let calls: Vec<(&str, String, Body)> = vec![
        ("get_version", "/version".into(), Body::Text),
        ("system health", "/health".into(), Body::Text),
        ("system list_resources", "/resources".into(), Body::Items),
        (
            "list_servers",
            "/servers?page=1&per_page=10".into(),
            Body::Items,
        ),
        (
            "get_server",
            format!("/servers/{server}"),
            Body::Object(&["uuid", "name", "ip", "settings"]),
        ),
        (
            "server_resources",
            format!("/servers/{server}/resources"),
            Body::Items,
        ),
        (
            "server_domains",
            format!("/servers/{server}/domains"),
            Body::Items,
        ),
        ("projects list", "/projects".into(), Body::Items),
        (
            "projects get",
            format!("/projects/{project}"),
            Body::Object(&["uuid", "name", "environments"]),
        ),
        (
            "environments list",
            format!("/projects/{project}/environments"),
            Body::Items,
        ),
        (
            "environments get",
            format!("/projects/{project}/prod"),
            Body::Object(&["uuid", "name", "applications", "postgresqls", "services"]),
        ),
        ("list_applications", "/applications".into(), Body::Items),
        (
            "get_application",
            format!("/applications/{app}"),
            Body::Object(&["uuid", "name", "status", "fqdn"]),
        ),
        (
            "application_logs",
            format!("/applications/{app}/logs?lines=100"),
            Body::Object(&["logs"]),
        ),
        (
            "logs application",
            format!("/applications/{app}/logs?lines=20&show_timestamps=true"),
            Body::Object(&["logs"]),
        ),
        (
            "logs database",
            format!("/databases/{db}/logs?lines=20&show_timestamps=false"),
            Body::Object(&["logs"]),
        ),
        (
            "logs service",
            format!("/services/{svc}/logs?sub_service_name=uptime-kuma&lines=20"),
            Body::Object(&["logs"]),
        ),
        ("list_databases", "/databases".into(), Body::Items),
        (
            "get_database",
            format!("/databases/{db}"),
            Body::Object(&["uuid", "name", "status", "database_type"]),
        ),
        ("list_services", "/services".into(), Body::Items),
        (
            "get_service",
            format!("/services/{svc}"),
            Body::Object(&["uuid", "name", "status", "applications", "databases"]),
        ),
        (
            "service list_containers",
            format!("/services/{svc}/applications"),
            Body::Items,
        ),
        (
            "service list_containers",
            format!("/services/{svc}/databases"),
            Body::List,
        ),
        ("list_deployments", "/deployments".into(), Body::List),
        (
            "deployment get",
            format!("/deployments/{deployment}"),
            Body::Object(&["deployment_uuid", "status", "logs"]),
        ),
        (
            "deployment list_for_app",
            format!("/deployments/applications/{app}"),
            Body::Object(&["count", "deployments"]),
        ),
        (
            "env_vars list application",
            format!("/applications/{app}/envs"),
            Body::Items,
        ),
        (
            "env_vars list service",
            format!("/services/{svc}/envs"),
            Body::Items,
        ),
        (
            "env_vars list database",
            format!("/databases/{db}/envs"),
            Body::Items,
        ),
        ("teams list", "/teams".into(), Body::Items),
        (
            "teams get",
            "/teams/0".into(),
            Body::Object(&["id", "name"]),
        ),
        ("teams get_members", "/teams/0/members".into(), Body::Items),
        (
            "teams get_current",
            "/teams/current".into(),
            Body::Object(&["id", "name"]),
        ),
        (
            "teams get_current_members",
            "/teams/current/members".into(),
            Body::Items,
        ),
        ("private_keys list", "/security/keys".into(), Body::Items),
        (
            "private_keys get",
            format!("/security/keys/{key}"),
            Body::Object(&["uuid", "name", "public_key"]),
        ),
        ("github_apps list/get", "/github-apps".into(), Body::Items),
        (
            "github_apps list_repos",
            "/github-apps/1/repositories".into(),
            Body::Object(&["repositories"]),
        ),
        (
            "github_apps list_branches",
            "/github-apps/1/repositories/pfcore/pf-air/branches".into(),
            Body::Object(&["branches"]),
        ),
        ("cloud_tokens list", "/cloud-tokens".into(), Body::Items),
        (
            "cloud_tokens get",
            format!("/cloud-tokens/{token}"),
            Body::Object(&["uuid", "provider"]),
        ),
        (
            "storages list application",
            format!("/applications/{app}/storages"),
            Body::Object(&["persistent_storages", "file_storages"]),
        ),
        (
            "storages list database",
            format!("/databases/{db}/storages"),
            Body::Object(&["persistent_storages", "file_storages"]),
        ),
        (
            "storages list service",
            format!("/services/{svc}/storages"),
            Body::Object(&["persistent_storages", "file_storages"]),
        ),
        (
            "scheduled_tasks list application",
            format!("/applications/{app}/scheduled-tasks"),
            Body::Items,
        ),
        (
            "scheduled_tasks list service",
            format!("/services/{svc}/scheduled-tasks"),
            Body::Items,
        ),
        (
            "scheduled_tasks list_executions application",
            format!("/applications/{app}/scheduled-tasks/{task}/executions"),
            Body::Items,
        ),
        (
            "scheduled_tasks list_executions service",
            format!("/services/{svc}/scheduled-tasks/{svc_task}/executions"),
            Body::Items,
        ),
        (
            "database_backups list_schedules",
            format!("/databases/{db}/backups"),
            Body::Items,
        ),
        (
            "database_backups list_executions",
            format!("/databases/{db}/backups/{backup}/executions"),
            Body::Object(&["executions"]),
        ),
        ("tags list", "/tags".into(), Body::Items),
        (
            "tags list application",
            format!("/applications/{app}/tags"),
            Body::Items,
        ),
        (
            "tags list database",
            format!("/databases/{db}/tags"),
            Body::Items,
        ),
        (
            "tags list service",
            format!("/services/{svc}/tags"),
            Body::Items,
        ),
    ];
    for (tool, path, body) in calls {
        let r = t.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{tool}: GET {path}: {}", r.text);
        match body {
            Body::Text => assert!(!r.text.is_empty(), "{tool}"),
            Body::Items => assert!(
                r.json().as_array().is_some_and(|a| !a.is_empty()),
                "{tool}: GET {path}: {}",
                r.text
            ),
            Body::List => assert!(r.json().is_array(), "{tool}: GET {path}: {}", r.text),
            Body::Object(keys) => {
                let v = r.json();
                for k in keys {
                    assert!(v.get(k).is_some(), "{tool}: GET {path}: no {k} in {v}");
                }
            }
        }
    }
}
