//! The data sets: the PF-CORE demo's shape, the generated large one, and the same seed
//! giving the same world.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_set_shape() {
    let t = T::demo().await;
    let projects = t.ok("/projects").await;
    assert_eq!(names(&projects), ["AIR", "BAIV", "W4M"]);
    for p in projects.as_array().expect("projects") {
        let uuid = p["uuid"].as_str().expect("uuid");
        assert_eq!(uuid.len(), 24);
        let detail = t.ok(&format!("/projects/{uuid}")).await;
        assert_eq!(names(&detail["environments"]), ["dev", "staging", "prod"]);
        let envs = t.ok(&format!("/projects/{uuid}/environments")).await;
        assert_eq!(names(&envs), ["dev", "staging", "prod"]);
    }
    let air = projects[0]["uuid"].as_str().expect("uuid");
    let prod = t.ok(&format!("/projects/{air}/prod")).await;
    assert_eq!(names(&prod["applications"]), ["air-prod"]);
    assert_eq!(names(&prod["postgresqls"]), ["air-postgres"]);
    for k in ["redis", "mongodbs", "mysqls", "mariadbs", "services"] {
        assert!(prod[k].is_array(), "{k}");
    }
    let by_uuid = t
        .ok(&format!(
            "/projects/{air}/{}",
            prod["uuid"].as_str().expect("uuid")
        ))
        .await;
    assert_eq!(by_uuid["name"], "prod");

    let apps = t.ok("/applications").await;
    let mut got = names(&apps);
    got.sort();
    assert_eq!(
        got,
        [
            "air-dev",
            "air-prod",
            "air-staging",
            "baiv-dev",
            "baiv-prod",
            "baiv-staging",
            "w4m-dev",
            "w4m-prod",
            "w4m-staging"
        ]
    );
    let expect = [
        ("air-dev", "https://dev.air.pfcore.io", "develop", true),
        (
            "air-staging",
            "https://staging.air.pfcore.io",
            "staging",
            true,
        ),
        ("air-prod", "https://air.pfcore.io", "main", false),
        ("baiv-prod", "https://baiv.io", "main", false),
        ("w4m-prod", "https://w4m.pfcore.io", "main", false),
        (
            "w4m-staging",
            "https://staging.w4m.pfcore.io",
            "staging",
            true,
        ),
    ];
    for (name, fqdn, branch, auto) in expect {
        let a = t.app(name).await;
        assert_eq!(a["fqdn"], fqdn, "{name}");
        assert_eq!(a["git_branch"], branch, "{name}");
        assert_eq!(a["settings"]["is_auto_deploy_enabled"], auto, "{name}");
        assert_eq!(a["build_pack"], "nixpacks");
        assert_eq!(a["git_commit_sha"], "HEAD");
        assert_eq!(a["ports_exposes"], "3000");
        assert_eq!(a["health_check_path"], "/api/health");
        assert!(
            a["git_repository"]
                .as_str()
                .unwrap_or("")
                .starts_with("pfcore/pf-")
        );
        assert!(a["environment_id"].is_u64() && a["destination_id"].is_u64());
        assert_eq!(a["destination"]["server"]["name"], "pfcore-main");
        assert!(a["description"].as_str().unwrap_or("").contains("Next.js"));
    }
    let statuses: Vec<String> = apps
        .as_array()
        .expect("apps")
        .iter()
        .map(|a| a["status"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(statuses.iter().filter(|s| *s == "running:healthy").count() >= 6);
    assert!(statuses.contains(&"exited:unhealthy".to_string()));
    assert!(statuses.contains(&"running:unknown".to_string()));

    let dbs = t.ok("/databases").await;
    assert_eq!(names(&dbs), ["air-postgres", "baiv-redis"]);
    assert_eq!(dbs[0]["image"], "postgres:16-alpine");
    assert_eq!(dbs[0]["database_type"], "standalone-postgresql");
    let services = t.ok("/services").await;
    assert_eq!(names(&services), ["w4m-uptime-kuma"]);
    let resources = t.ok("/resources").await;
    assert_eq!(resources.as_array().map(Vec::len), Some(12));

    let servers = t.ok("/servers").await;
    assert_eq!(names(&servers), ["pfcore-main", "pfcore-build"]);
    assert!(
        servers[0]["description"]
            .as_str()
            .unwrap_or("")
            .contains("CPX31")
    );
    assert_eq!(servers[1]["settings"]["is_build_server"], true);
    assert_eq!(servers[0]["is_reachable"], true);
    let main = servers[0]["uuid"].as_str().expect("uuid");
    let build = servers[1]["uuid"].as_str().expect("uuid");
    let domains = t.ok(&format!("/servers/{main}/domains")).await;
    let list = domains[0]["domains"].as_array().expect("domains");
    assert!(list.iter().any(|d| d == "air.pfcore.io"));
    assert!(list.iter().any(|d| d == "dev.baiv.pfcore.io"));
    assert_eq!(
        t.ok(&format!("/servers/{build}/resources")).await,
        json!([])
    );
    assert_eq!(
        t.ok(&format!("/servers/{main}/resources"))
            .await
            .as_array()
            .map(Vec::len),
        Some(12)
    );
    let full = t.ok(&format!("/servers/{main}")).await;
    assert_eq!(full["settings"]["deployment_queue_limit"], 25);

    for name in ["air-dev", "baiv-staging", "w4m-prod"] {
        let uuid = t.app(name).await["uuid"]
            .as_str()
            .expect("uuid")
            .to_string();
        let h = t.ok(&format!("/deployments/applications/{uuid}")).await;
        assert!(h["count"].as_u64().unwrap_or(0) >= 4, "{name}");
        let list = h["deployments"].as_array().expect("list");
        assert!(list.iter().any(|d| d["status"] == "failed"), "{name}");
        assert_eq!(list[0]["application_name"], name);
        let images = t.ok(&format!("/applications/{uuid}/rollback-images")).await;
        let imgs = images["images"].as_array().expect("images");
        assert!(!imgs.is_empty() && imgs.len() <= 3, "{name}");
        assert_eq!(imgs[0]["tag"], images["current"]);
        assert_eq!(imgs[0]["is_current"], true);
        let page = t
            .ok(&format!("/deployments/applications/{uuid}?skip=1&take=2"))
            .await;
        assert_eq!(page["deployments"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            page["deployments"][0]["deployment_uuid"],
            list[1]["deployment_uuid"]
        );
    }
    assert_eq!(t.ok("/deployments").await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_data_set() {
    let t = T::new(SimConfig {
        apps: Some(3000),
        seed: 7,
        ..SimConfig::default()
    })
    .await;
    let apps = t.ok("/applications").await;
    let apps = apps.as_array().expect("apps");
    assert_eq!(apps.len(), 3000);
    let mut names: Vec<&str> = apps.iter().filter_map(|a| a["name"].as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 3000, "names are unique");
    assert_eq!(t.ok("/projects").await.as_array().map(Vec::len), Some(100));
    let dbs = t.ok("/databases").await;
    assert_eq!(dbs.as_array().map(Vec::len), Some(300));
    let services = t.ok("/services").await;
    assert_eq!(services.as_array().map(Vec::len), Some(100));
    let servers = t.ok("/servers").await;
    assert_eq!(servers.as_array().map(Vec::len), Some(9));
    let resources = t.ok("/resources").await;
    assert_eq!(resources.as_array().map(Vec::len), Some(3400));
    let p = t.ok("/projects").await[5]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let env = t.ok(&format!("/projects/{p}/staging")).await;
    assert_eq!(env["applications"].as_array().map(Vec::len), Some(10));
    // Deployments still work in a generated world.
    let uuid = apps[42]["uuid"].as_str().expect("uuid");
    let h = t.ok(&format!("/deployments/applications/{uuid}")).await;
    assert!(h["count"].as_u64().unwrap_or(0) >= 2);
    let dep = h["deployments"][0]["deployment_uuid"]
        .as_str()
        .expect("uuid");
    assert!(!logs_of(&t.ok(&format!("/deployments/{dep}")).await).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_same_world() {
    async fn fingerprint(seed: u64, apps: Option<usize>) -> Vec<String> {
        let t = T::new(SimConfig {
            seed,
            apps,
            ..SimConfig::default()
        })
        .await;
        let mut out = Vec::new();
        for path in [
            "/projects",
            "/applications",
            "/servers",
            "/databases",
            "/services",
        ] {
            for item in t.ok(path).await.as_array().expect("list") {
                out.push(item["uuid"].as_str().unwrap_or("").to_string());
            }
        }
        let first = out[3].clone();
        let uuid = t.ok("/applications").await[0]["uuid"]
            .as_str()
            .expect("uuid")
            .to_string();
        let h = t.ok(&format!("/deployments/applications/{uuid}")).await;
        for d in h["deployments"].as_array().expect("list") {
            out.push(d["deployment_uuid"].as_str().unwrap_or("").to_string());
            out.push(d["commit"].as_str().unwrap_or("").to_string());
        }
        assert!(!first.is_empty());
        out
    }
    let a = fingerprint(11, None).await;
    assert_eq!(a, fingerprint(11, None).await);
    assert_ne!(a, fingerprint(12, None).await);
    assert_eq!(
        fingerprint(3, Some(90)).await,
        fingerprint(3, Some(90)).await
    );
}
