//! The team's read routes: private keys, GitHub apps (and what their installation sees),
//! cloud provider tokens, the team by id and its members. Shapes as the spec (or, where
//! they differ, the controllers) give them, Coolify's 404s, and what a token without
//! `read:sensitive` does not see.

use super::*;

const KEY: &[(&str, Ty)] = &[
    ("id", Ty::I),
    ("uuid", Ty::S),
    ("name", Ty::S),
    ("description", Ty::SNull),
    ("public_key", Ty::S),
    ("fingerprint", Ty::S),
    ("is_git_related", Ty::B),
    ("team_id", Ty::I),
    ("created_at", Ty::S),
    ("updated_at", Ty::S),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_keys_need_read_sensitive_for_the_key() {
    let t = T::with_readers().await;
    let keys = t.ok("/security/keys").await;
    assert_items("key", &keys, KEY);
    assert_eq!(names(&keys)[0], "localhost's key");
    let list = keys.as_array().expect("keys");
    assert!(list.iter().all(|k| {
        k["private_key"]
            .as_str()
            .is_some_and(|p| p.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"))
    }));
    assert!(list.iter().all(|k| {
        k["public_key"]
            .as_str()
            .is_some_and(|p| p.starts_with("ssh-ed25519 "))
    }));
    let uuid = uuid_of(&keys[1]);
    for token in ["2|reader", "5|auditor"] {
        let sees = token == "5|auditor";
        let listed = t.get_as(token, "/security/keys").await.json();
        assert_items("key", &listed, KEY);
        let one = t.get_as(token, &format!("/security/keys/{uuid}")).await;
        assert_eq!(one.status, StatusCode::OK);
        let one = one.json();
        assert_shape("key", &one, KEY);
        for k in listed.as_array().expect("keys").iter().chain([&one]) {
            assert_eq!(k.get("private_key").is_some(), sees, "{token}: {k}");
        }
    }
    assert_eq!(t.ok(&format!("/security/keys/{uuid}")).await, keys[1]);
    assert_404(&t.get("/security/keys/x").await, "Private Key not found.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_apps_and_what_their_installation_sees() {
    let t = T::with_readers().await;
    let spec = &[
        ("id", Ty::I),
        ("uuid", Ty::S),
        ("name", Ty::S),
        ("organization", Ty::SNull),
        ("api_url", Ty::S),
        ("html_url", Ty::S),
        ("custom_user", Ty::S),
        ("custom_port", Ty::I),
        ("app_id", Ty::INull),
        ("installation_id", Ty::INull),
        ("client_id", Ty::SNull),
        ("private_key_id", Ty::INull),
        ("is_system_wide", Ty::B),
        ("is_public", Ty::B),
        ("team_id", Ty::I),
        ("type", Ty::S),
    ];
    let apps = t.ok("/github-apps").await;
    assert_items("github app", &apps, spec);
    assert_eq!(names(&apps), ["Public GitHub", "pfcore-coolify"]);
    let ours = &apps[1];
    assert!(ours["client_secret"].is_string() && ours["webhook_secret"].is_string());
    let plain = t.get_as("2|reader", "/github-apps").await.json();
    assert_items("github app", &plain, spec);
    assert!(plain.as_array().is_some_and(|a| {
        a.iter()
            .all(|g| g.get("client_secret").is_none() && g.get("webhook_secret").is_none())
    }));
    let id = ours["id"].as_u64().expect("id");
    let repos = t.ok(&format!("/github-apps/{id}/repositories")).await;
    assert_eq!(
        names(&repos["repositories"]),
        ["pf-air", "pf-baiv", "pf-w4m"]
    );
    assert_eq!(repos["repositories"][0]["full_name"], "pfcore/pf-air");
    let branches = t
        .ok(&format!(
            "/github-apps/{id}/repositories/pfcore/pf-air/branches"
        ))
        .await;
    let list = branches["branches"].as_array().expect("branches");
    let branch_names: Vec<&str> = list.iter().filter_map(|b| b["name"].as_str()).collect();
    for b in ["develop", "main", "staging"] {
        assert!(branch_names.contains(&b), "{b} in {branch_names:?}");
    }
    assert!(list.iter().all(|b| b["commit"]["sha"].is_string()));
    let r = t
        .get(&format!(
            "/github-apps/{id}/repositories/pfcore/nope/branches"
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.json(),
        json!({"message": "Error loading branches from GitHub.", "error": "Not Found"})
    );
    assert_404(
        &t.get("/github-apps/9/repositories").await,
        "GitHub app not found",
    );
    // The public source has no installation to get a token for.
    let r = t.get("/github-apps/0/repositories").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloud_tokens_need_read_sensitive_for_the_token() {
    let t = T::with_readers().await;
    let spec = &[
        ("uuid", Ty::S),
        ("name", Ty::S),
        ("provider", Ty::S),
        ("team_id", Ty::I),
        ("servers_count", Ty::I),
        ("created_at", Ty::S),
        ("updated_at", Ty::S),
    ];
    let tokens = t.ok("/cloud-tokens").await;
    assert_items("cloud token", &tokens, spec);
    assert_eq!(tokens[0]["provider"], "hetzner");
    assert!(tokens[0]["token"].is_string());
    assert!(tokens[0].get("id").is_none());
    let uuid = uuid_of(&tokens[0]);
    assert_eq!(t.ok(&format!("/cloud-tokens/{uuid}")).await, tokens[0]);
    let plain = t.get_as("2|reader", &format!("/cloud-tokens/{uuid}")).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_shape("cloud token", &plain.json(), spec);
    assert!(plain.json().get("token").is_none());
    let listed = t.get_as("2|reader", "/cloud-tokens").await.json();
    assert!(listed[0].get("token").is_none());
    assert_404(
        &t.get("/cloud-tokens/x").await,
        "Cloud provider token not found.",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_by_id_and_its_members() {
    let t = T::demo().await;
    let members = t.ok("/team/members").await;
    assert_items(
        "member",
        &members,
        &[
            ("id", Ty::I),
            ("name", Ty::S),
            ("email", Ty::S),
            ("email_verified_at", Ty::SNull),
            ("two_factor_confirmed_at", Ty::SNull),
            ("force_password_reset", Ty::B),
            ("marketing_emails", Ty::B),
            ("created_at", Ty::S),
            ("updated_at", Ty::S),
        ],
    );
    assert_eq!(members.as_array().map(Vec::len), Some(3));
    for secret in ["password", "remember_token", "two_factor_secret", "pivot"] {
        assert!(members[0].get(secret).is_none(), "{secret}");
    }
    assert_eq!(t.ok("/teams/current/members").await, members);
    assert_eq!(t.ok("/teams/0/members").await, members);
    let team = t.ok("/team").await;
    assert_eq!(t.ok("/teams/0").await, team);
    assert_eq!(t.ok("/teams/current").await, team);
    assert_eq!(t.ok("/teams").await, json!([team]));
    assert_404(&t.get("/teams/7").await, "Team not found.");
    assert_404(&t.get("/teams/7/members").await, "Team not found.");
}
