//! The GitHub simulator: repositories, branches, compare and merges, and the webhook link
//! from a moved branch to Coolify's auto-deployments.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_simulator() {
    let t = T::demo().await;
    let base = t.sim.github_url();
    let gh = |path: &str| format!("{base}{path}");
    let r = t
        .http
        .get(gh("/repos/pfcore/pf-air"))
        .bearer_auth(t.sim.github_token())
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "User-Agent is required");
    let r = t
        .http
        .get(gh("/repos/pfcore/pf-air"))
        .bearer_auth("ghp_wrong")
        .header("User-Agent", "pftui-test")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.json::<Value>().await.expect("json")["message"],
        "Bad credentials"
    );
    let get = |path: String| {
        t.http
            .get(path)
            .bearer_auth(t.sim.github_token())
            .header("User-Agent", "pftui-test")
            .send()
    };
    let repo: Value = get(gh("/repos/pfcore/pf-baiv"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(repo["full_name"], "pfcore/pf-baiv");
    assert_eq!(repo["default_branch"], "main");
    let branches: Value = get(gh("/repos/pfcore/pf-air/branches"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let list = branches.as_array().expect("branches");
    assert_eq!(list.len(), 3);
    for b in list {
        assert_eq!(b["commit"]["sha"].as_str().map(str::len), Some(40));
        assert_eq!(b["protected"], false, "branches start unprotected");
    }
    let develop: Value = get(gh("/repos/pfcore/pf-air/branches/develop"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let staging: Value = get(gh("/repos/pfcore/pf-air/branches/staging"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_ne!(develop["commit"]["sha"], staging["commit"]["sha"]);
    assert_eq!(
        develop["commit"]["parents"].as_array().map(Vec::len),
        Some(1)
    );
    // The deployed commit of air-dev is the develop head.
    let app = t.app("air-dev").await;
    let images = t
        .ok(&format!(
            "/applications/{}/rollback-images",
            app["uuid"].as_str().unwrap_or("")
        ))
        .await;
    assert_eq!(images["current"], develop["commit"]["sha"]);
    let r = get(gh("/repos/pfcore/nope")).await.expect("send");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get(gh("/repos/pfcore/pf-air/branches/nope"))
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.json::<Value>().await.expect("json")["message"],
        "Branch not found"
    );

    // Shared history: staging's head is an ancestor of develop's.
    let w = t.sim.shared.world();
    let repo = w.repo("pfcore/pf-air").expect("repo");
    let dev_head = repo.head("develop").expect("head");
    let ancestors = repo.reachable(dev_head);
    assert!(ancestors.contains(repo.head("staging").expect("head")));
    assert!(ancestors.contains(repo.head("main").expect("head")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compare_reports_both_sides_like_github() {
    let t = T::demo().await;
    let repo = "pfcore/pf-air";
    let staging = t.head(repo, "staging").await;
    let develop = t.head(repo, "develop").await;
    let c = t
        .gh_ok("/repos/pfcore/pf-air/compare/staging...develop")
        .await;
    assert_eq!(c["status"], "ahead");
    assert_eq!(c["ahead_by"], 4);
    assert_eq!(c["behind_by"], 0);
    assert_eq!(c["total_commits"], 4);
    assert_eq!(c["merge_base_commit"]["sha"], staging.as_str());
    assert_eq!(c["base_commit"]["sha"], staging.as_str());
    assert_eq!(
        c["html_url"],
        "https://github.com/pfcore/pf-air/compare/staging...develop"
    );
    let commits = c["commits"].as_array().expect("commits");
    assert_eq!(commits.len(), 4);
    assert_eq!(commits[3]["sha"], develop.as_str(), "oldest first");
    assert_eq!(commits[0]["parents"][0]["sha"], staging.as_str());
    for commit in commits {
        assert!(commit["commit"]["message"].is_string());
        assert!(commit["commit"]["author"]["name"].is_string());
        assert!(commit["commit"]["author"]["email"].is_string());
        assert!(commit["commit"]["author"]["date"].is_string());
        assert!(
            commit["html_url"]
                .as_str()
                .unwrap_or("")
                .starts_with("https://github.com/pfcore/pf-air/commit/")
        );
    }
    let files = c["files"].as_array().expect("files");
    assert!(!files.is_empty());
    for f in files {
        assert!(f["filename"].is_string());
        assert!(["added", "modified"].contains(&f["status"].as_str().unwrap_or("")));
        assert_eq!(
            f["changes"].as_u64(),
            Some(f["additions"].as_u64().unwrap_or(0) + f["deletions"].as_u64().unwrap_or(0))
        );
    }

    let c = t
        .gh_ok("/repos/pfcore/pf-air/compare/develop...staging")
        .await;
    assert_eq!(
        (
            c["status"].as_str(),
            c["ahead_by"].as_u64(),
            c["behind_by"].as_u64()
        ),
        (Some("behind"), Some(0), Some(4))
    );
    assert_eq!(c["commits"], json!([]));
    let c = t.gh_ok("/repos/pfcore/pf-air/compare/main...main").await;
    assert_eq!(c["status"], "identical");
    // By sha, and with a short sha.
    let c = t
        .gh_ok(&format!(
            "/repos/pfcore/pf-air/compare/{}...{}",
            &staging[..7],
            develop
        ))
        .await;
    assert_eq!(c["ahead_by"], 4);
    // A hotfix on staging makes the branches diverge.
    t.sim
        .control()
        .push_commit(repo, "staging", "fix: hotfix on staging")
        .expect("push");
    let c = t
        .gh_ok("/repos/pfcore/pf-air/compare/staging...develop")
        .await;
    assert_eq!(
        (
            c["status"].as_str(),
            c["ahead_by"].as_u64(),
            c["behind_by"].as_u64()
        ),
        (Some("diverged"), Some(4), Some(1))
    );
    assert_eq!(c["merge_base_commit"]["sha"], staging.as_str());
    // Pages of commits follow the Link header.
    let r = t
        .gh(
            Method::GET,
            "/repos/pfcore/pf-air/compare/main...develop?per_page=3",
            None,
        )
        .await;
    assert_eq!(r.json()["commits"].as_array().map(Vec::len), Some(3));
    assert!(r.header("link").unwrap_or("").contains("rel=\"next\""));

    for path in [
        "/repos/pfcore/pf-air/compare/staging...nope",
        "/repos/pfcore/pf-air/compare/nope...staging",
        "/repos/pfcore/nope/compare/main...staging",
        "/repos/pfcore/pf-air/compare/staging",
    ] {
        let r = t.gh(Method::GET, path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.json()["message"], "Not Found", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merges_advance_the_base_and_trigger_auto_deploys() {
    let t = T::demo().await;
    let repo = "pfcore/pf-air";
    let staging = t.head(repo, "staging").await;
    let develop = t.head(repo, "develop").await;
    let prod_before = t.history("air-prod").await.len();
    let r = t
        .gh(
            Method::POST,
            "/repos/pfcore/pf-air/merges",
            Some(json!({"base": "staging", "head": "develop", "commit_message": "Promote develop to staging"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let merge = r.json();
    let sha = merge["sha"].as_str().expect("sha").to_string();
    assert_eq!(merge["commit"]["message"], "Promote develop to staging");
    assert_eq!(merge["parents"][0]["sha"], staging.as_str());
    assert_eq!(merge["parents"][1]["sha"], develop.as_str());
    assert_eq!(t.head(repo, "staging").await, sha);
    let b = t.gh_ok("/repos/pfcore/pf-air/branches/staging").await;
    assert_eq!(b["commit"]["sha"], sha.as_str());

    // The webhook link: air-staging deploys the new head, nothing else does.
    let latest = t.history("air-staging").await[0].clone();
    assert_eq!(latest["commit"], sha.as_str());
    assert_eq!(latest["is_webhook"], true);
    for other in ["air-dev", "baiv-staging"] {
        let h = t.history(other).await;
        assert_ne!(h[0]["commit"], sha.as_str(), "{other}");
    }
    let d = t
        .wait(latest["deployment_uuid"].as_str().expect("uuid"))
        .await;
    assert_eq!(d["status"], "finished", "{}", d["logs"]);
    assert_eq!(d["commit"], sha.as_str());
    assert_eq!(d["commit_message"], "Promote develop to staging");

    // develop is now contained in staging: nothing to merge.
    let r = t
        .gh(
            Method::POST,
            "/repos/pfcore/pf-air/merges",
            Some(json!({"base": "staging", "head": "develop"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.text.is_empty());
    assert_eq!(t.head(repo, "staging").await, sha);

    // staging into main: main moves, prod (auto-deploy off) is not deployed.
    let r = t
        .gh(
            Method::POST,
            "/repos/pfcore/pf-air/merges",
            Some(json!({"base": "main", "head": "staging"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let main_sha = r.json()["sha"].as_str().expect("sha").to_string();
    assert_eq!(r.json()["commit"]["message"], "Merge staging into main");
    assert_eq!(t.head(repo, "main").await, main_sha);
    assert_eq!(t.history("air-prod").await.len(), prod_before);
    let c = t.gh_ok("/repos/pfcore/pf-air/compare/main...develop").await;
    assert_eq!(c["status"], "behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_merges_change_nothing() {
    let t = T::demo().await;
    let repo = "pfcore/pf-baiv";
    let heads = || async {
        let mut out = Vec::new();
        for b in ["develop", "staging", "main"] {
            out.push(t.head(repo, b).await);
        }
        out
    };
    let before = heads().await;
    let deployments_before = t.ok("/deployments").await;
    let merges = "/repos/pfcore/pf-baiv/merges";
    let cases = [
        (
            json!({"base": "nope", "head": "develop"}),
            StatusCode::NOT_FOUND,
            "Base does not exist",
        ),
        (
            json!({"base": "staging", "head": "nope"}),
            StatusCode::NOT_FOUND,
            "Head does not exist",
        ),
        (
            json!({"base": "staging"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid request.\n\n\"head\" wasn't supplied.",
        ),
    ];
    for (body, status, message) in cases {
        let r = t.gh(Method::POST, merges, Some(body.clone())).await;
        assert_eq!(r.status, status, "{body}");
        assert_eq!(r.json()["message"], message, "{body}");
    }
    let r = t
        .gh(
            Method::POST,
            "/repos/pfcore/nope/merges",
            Some(json!({"base": "a", "head": "b"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // An injected conflict, in process and over HTTP.
    let c = t.sim.control();
    assert!(c.make_conflict(repo, "staging", "develop"));
    assert!(!c.make_conflict(repo, "nope", "develop"));
    assert!(!c.make_conflict("pfcore/nope", "staging", "develop"));
    let body = json!({"base": "staging", "head": "develop"});
    for _ in 0..2 {
        let r = t.gh(Method::POST, merges, Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json()["message"], "Merge conflict");
    }
    assert!(c.clear_conflict(repo, "staging", "develop"));
    let r = t
        .req(
            Method::POST,
            "/_sim/conflict",
            None,
            Some(json!({"repo": repo, "base": "staging", "head": "develop"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = t.gh(Method::POST, merges, Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = t
        .req(
            Method::DELETE,
            "/_sim/conflict",
            None,
            Some(json!({"repo": repo, "base": "staging", "head": "develop"})),
        )
        .await;
    assert_eq!(r.json()["cleared"], true);

    // Branch protection.
    assert!(c.protect_branch(repo, "main", true));
    assert!(!c.protect_branch(repo, "nope", true));
    let b = t.gh_ok("/repos/pfcore/pf-baiv/branches/main").await;
    assert_eq!(b["protected"], true);
    assert_eq!(
        b["protection"]["required_status_checks"]["contexts"],
        json!(["ci"])
    );
    let list = t
        .gh_ok("/repos/pfcore/pf-baiv/branches?protected=true")
        .await;
    assert_eq!(names(&list), ["main"]);
    let r = t
        .gh(
            Method::POST,
            merges,
            Some(json!({"base": "main", "head": "staging"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["message"],
        "Required status check \"ci\" is expected."
    );
    assert_eq!(heads().await, before, "nothing changed");
    assert_eq!(t.ok("/deployments").await, deployments_before);

    let r = t
        .req(
            Method::POST,
            "/_sim/protect",
            None,
            Some(json!({"repo": repo, "branch": "main", "protected": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        t.gh_ok("/repos/pfcore/pf-baiv/branches/main").await["protected"],
        false
    );
    let r = t
        .req(
            Method::POST,
            "/_sim/protect",
            None,
            Some(json!({"repo": repo, "branch": "nope"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Now the merges go through.
    let r = t.gh(Method::POST, merges, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merges_work_in_the_large_data_set() {
    let t = T::new(SimConfig {
        apps: Some(90),
        seed: 5,
        speed: FAST,
        ..SimConfig::default()
    })
    .await;
    let apps = t.ok("/applications").await;
    let apps = apps.as_array().expect("apps");
    let repo = apps[0]["git_repository"]
        .as_str()
        .expect("repo")
        .to_string();
    let staging_apps: Vec<&Value> = apps
        .iter()
        .filter(|a| a["git_repository"] == repo.as_str() && a["git_branch"] == "staging")
        .collect();
    assert!(!staging_apps.is_empty());
    let r = t
        .gh(
            Method::POST,
            &format!("/repos/{repo}/merges"),
            Some(json!({"base": "staging", "head": "develop"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let sha = r.json()["sha"].as_str().expect("sha").to_string();
    for a in staging_apps {
        let uuid = a["uuid"].as_str().expect("uuid");
        let h = t.ok(&format!("/deployments/applications/{uuid}")).await;
        assert_eq!(h["deployments"][0]["commit"], sha.as_str(), "{}", a["name"]);
        assert_eq!(h["deployments"][0]["is_webhook"], true);
    }
}
