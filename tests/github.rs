//! The GitHub client against the simulator: every method, each error, and the webhook
//! link from a merge to a Coolify deployment.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pftui::coolify::load_tree;
use pftui::github::{Client, ClientOptions, CompareStatus, GithubError, MergeOutcome, RepoName};
use pftui::http::TransportError;
use pftui::model::{DeploymentStatus, Trigger};
use pftui::sim::{Fault, FaultKind, SimHandle};
use secrecy::SecretString;

const REPO: &str = "pfcore/pf-air";

fn github(sim: &SimHandle) -> Client {
    github_with(sim, sim.github_token(), ClientOptions::default())
}

fn github_with(sim: &SimHandle, token: &str, options: ClientOptions) -> Client {
    Client::with_options(
        &sim.github_url(),
        SecretString::from(token.to_string()),
        ClientOptions {
            backoff: Duration::from_millis(10),
            ..options
        },
    )
    .expect("client builds")
}

fn heads(sim: &SimHandle, repo: &str) -> Vec<Option<String>> {
    let c = sim.control();
    ["develop", "staging", "main"]
        .iter()
        .map(|b| c.branch_head(repo, b))
        .collect()
}

fn respond(
    path_prefix: &str,
    method: Option<&str>,
    times: Option<u32>,
    status: u16,
    content_type: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Fault {
    Fault {
        method: method.map(str::to_string),
        path_prefix: path_prefix.to_string(),
        times,
        kind: FaultKind::Respond {
            status,
            content_type: content_type.to_string(),
            body: body.to_string(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_the_repository_and_its_branches() {
    let (sim, _) = common::sim(50.0).await;
    let gh = github(&sim);
    let repo = gh.repo("pfcore", "pf-air").await.expect("repo");
    assert_eq!(repo.full_name, "pfcore/pf-air");
    assert_eq!(
        (repo.owner.as_str(), repo.name.as_str()),
        ("pfcore", "pf-air")
    );
    assert_eq!(repo.default_branch, "main");
    assert!(repo.private);
    assert_eq!(repo.can_push, Some(true));
    assert_eq!(repo.html_url, "https://github.com/pfcore/pf-air");

    let branches = gh.branches("pfcore", "pf-air").await.expect("branches");
    let names: Vec<&str> = branches.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["develop", "main", "staging"]);
    for b in &branches {
        assert_eq!(
            Some(&b.sha),
            sim.control().branch_head(REPO, &b.name).as_ref()
        );
        assert!(!b.protected);
    }

    let staging = gh
        .branch("pfcore", "pf-air", "staging")
        .await
        .expect("branch");
    assert_eq!(
        Some(staging.sha),
        sim.control().branch_head(REPO, "staging")
    );
    assert!(!staging.protected);
    assert!(sim.control().protect_branch(REPO, "main", true));
    let main = gh.branch("pfcore", "pf-air", "main").await.expect("branch");
    assert!(main.protected);

    // Coolify's git_repository spellings name the same repository.
    for spelling in [
        "pfcore/pf-baiv",
        "https://github.com/pfcore/pf-baiv.git",
        "git@github.com:pfcore/pf-baiv.git",
    ] {
        let name = RepoName::parse(spelling).expect("parses");
        let repo = gh.repo(&name.owner, &name.name).await.expect("repo");
        assert_eq!(repo.full_name, "pfcore/pf-baiv");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branches_follow_every_page() {
    let (sim, _) = common::sim(50.0).await;
    let gh = github(&sim);
    // The first page is canned; its Link leads to the simulator's own pages of two.
    let next = format!(
        "<{}/repos/pfcore/pf-air/branches?per_page=2&page=1>; rel=\"next\"",
        sim.github_url()
    );
    sim.control().inject_fault(respond(
        "/github/repos/pfcore/pf-air/branches",
        Some("GET"),
        Some(1),
        200,
        "application/json",
        r#"[{"name":"release/1.0","commit":{"sha":"0123456789abcdef0123456789abcdef01234567"},"protected":true}]"#,
        &[("link", &next)],
    ));
    let branches = gh.branches("pfcore", "pf-air").await.expect("branches");
    let names: Vec<&str> = branches.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["release/1.0", "develop", "main", "staging"]);
    assert!(branches[0].protected);

    // A next link to another host is not followed with the token.
    sim.control().inject_fault(respond(
        "/github/repos/pfcore/pf-air/branches",
        Some("GET"),
        Some(1),
        200,
        "application/json",
        "[]",
        &[(
            "link",
            "<https://elsewhere.example.com/steal?page=2>; rel=\"next\"",
        )],
    ));
    let err = gh.branches("pfcore", "pf-air").await.expect_err("refused");
    assert!(matches!(err, GithubError::Decode { .. }), "{err:?}");
    assert!(
        err.to_string().contains("not sending the token there"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compare_shows_what_a_promotion_brings() {
    let (sim, _) = common::sim(50.0).await;
    let gh = github(&sim);
    let c = sim.control();
    let staging = c.branch_head(REPO, "staging").expect("staging");
    let develop = c.branch_head(REPO, "develop").expect("develop");
    let diff = gh
        .compare("pfcore", "pf-air", "staging", "develop")
        .await
        .expect("compare");
    assert_eq!(diff.status, CompareStatus::Ahead);
    assert_eq!(
        (diff.ahead_by, diff.behind_by, diff.total_commits),
        (4, 0, 4)
    );
    assert!(!diff.head_contained());
    assert_eq!(diff.merge_base.as_deref(), Some(staging.as_str()));
    assert_eq!(diff.commits.len(), 4);
    assert_eq!(diff.commits[3].sha, develop, "oldest first");
    for commit in &diff.commits {
        assert!(!commit.title.is_empty() && !commit.title.contains('\n'));
        assert!(commit.message.starts_with(&commit.title));
        assert!(!commit.author.is_empty());
        assert!(commit.date.is_some());
        assert_eq!(commit.short_sha().len(), 7);
    }
    assert!(!diff.files.is_empty());
    assert_eq!(
        diff.html_url.as_deref(),
        Some("https://github.com/pfcore/pf-air/compare/staging...develop")
    );

    let back = gh
        .compare("pfcore", "pf-air", "develop", "staging")
        .await
        .expect("compare");
    assert_eq!(back.status, CompareStatus::Behind);
    assert!(back.head_contained());
    assert!(back.commits.is_empty());
    let same = gh
        .compare(
            "pfcore",
            "pf-air",
            "main",
            &c.branch_head(REPO, "main").expect("main"),
        )
        .await
        .expect("compare");
    assert_eq!(same.status, CompareStatus::Identical);

    let err = gh
        .compare("pfcore", "pf-air", "staging", "nope")
        .await
        .expect_err("404");
    assert!(matches!(err, GithubError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("'nope'"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merging_develop_into_staging_deploys_staging_and_main_does_not_deploy_prod() {
    let (sim, coolify) = common::sim(50.0).await;
    let gh = github(&sim);
    let tree = load_tree(&coolify).await.expect("tree");
    let staging_app = common::uuid_of(&tree, "air-staging");
    let prod_app = common::uuid_of(&tree, "air-prod");
    let prod_before = coolify
        .deployment_history(&prod_app, 0, 100)
        .await
        .expect("history")
        .count;

    let outcome = gh
        .merge(
            "pfcore",
            "pf-air",
            "staging",
            "develop",
            Some("Promote develop to staging"),
        )
        .await
        .expect("merge");
    let MergeOutcome::Merged { sha } = outcome else {
        panic!("expected a merge commit, got {outcome:?}");
    };
    let staging = gh
        .branch("pfcore", "pf-air", "staging")
        .await
        .expect("branch");
    assert_eq!(staging.sha, sha);

    // The webhook link: air-staging gets a deployment of the new head.
    let history = coolify
        .deployment_history(&staging_app, 0, 10)
        .await
        .expect("history");
    let deployment = history.deployments.first().expect("a deployment").clone();
    assert_eq!(deployment.commit.as_deref(), Some(sha.as_str()));
    assert_eq!(deployment.trigger, Trigger::Webhook);
    let running = coolify.running_deployments().await.expect("running");
    let listed = running.iter().any(|d| d.uuid == deployment.uuid);
    let over = coolify
        .deployment(&deployment.uuid)
        .await
        .expect("deployment")
        .status
        .is_final();
    assert!(
        listed || over,
        "the deployment is queued, running or already over"
    );
    let polls = common::follow(&coolify, &deployment.uuid).await;
    let last = polls.last().expect("polls");
    assert_eq!(last.deployment.status, DeploymentStatus::Finished);
    assert_eq!(last.deployment.commit.as_deref(), Some(sha.as_str()));

    // Merging again changes nothing.
    let again = gh
        .merge("pfcore", "pf-air", "staging", "develop", None)
        .await
        .expect("merge");
    assert_eq!(again, MergeOutcome::AlreadyUpToDate);
    assert_eq!(
        sim.control().branch_head(REPO, "staging"),
        Some(sha.clone())
    );

    // staging into main: main moves, air-prod (auto-deploy off) is not deployed.
    let outcome = gh
        .merge("pfcore", "pf-air", "main", "staging", None)
        .await
        .expect("merge");
    let MergeOutcome::Merged { sha: main_sha } = outcome else {
        panic!("expected a merge commit, got {outcome:?}");
    };
    assert_eq!(sim.control().branch_head(REPO, "main"), Some(main_sha));
    let prod_after = coolify
        .deployment_history(&prod_app, 0, 100)
        .await
        .expect("history");
    assert_eq!(prod_after.count, prod_before);
    let running = coolify.running_deployments().await.expect("running");
    assert!(
        running
            .iter()
            .all(|d| d.application_name.as_deref() != Some("air-prod")),
        "{running:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_say_why_and_change_nothing() {
    let (sim, coolify) = common::sim(50.0).await;
    let gh = github(&sim);
    let before = heads(&sim, REPO);
    let tree = load_tree(&coolify).await.expect("tree");
    let staging_app = common::uuid_of(&tree, "air-staging");
    let deployments_before = coolify
        .deployment_history(&staging_app, 0, 100)
        .await
        .expect("history")
        .count;

    // 401
    let bad = github_with(&sim, "ghp_wrong", ClientOptions::default());
    let err = bad.repo("pfcore", "pf-air").await.expect_err("401");
    assert!(matches!(err, GithubError::Unauthorized { .. }), "{err:?}");
    assert!(err.to_string().contains("GITHUB_TOKEN"));
    assert!(err.is_setup_problem());
    let err = bad
        .merge("pfcore", "pf-air", "staging", "develop", None)
        .await
        .expect_err("401");
    assert!(matches!(err, GithubError::Unauthorized { .. }), "{err:?}");

    // 404s: repository (or no access), branch, base, head.
    let err = gh.repo("pfcore", "pf-secret").await.expect_err("404");
    assert!(
        err.to_string()
            .starts_with("repository pfcore/pf-secret was not found"),
        "{err}"
    );
    assert!(err.to_string().contains("private repositories"), "{err}");
    let err = gh
        .branch("pfcore", "pf-air", "nope")
        .await
        .expect_err("404");
    assert!(
        err.to_string().starts_with(
            "branch 'nope' of pfcore/pf-air was not found on GitHub (Branch not found)"
        ),
        "{err}"
    );
    let err = gh
        .merge("pfcore", "pf-air", "nope", "develop", None)
        .await
        .expect_err("404");
    assert!(
        err.to_string().starts_with(
            "base branch 'nope' of pfcore/pf-air was not found on GitHub (Base does not exist)"
        ),
        "{err}"
    );
    let err = gh
        .merge("pfcore", "pf-air", "staging", "nope", None)
        .await
        .expect_err("404");
    assert!(
        err.to_string().starts_with(
            "head 'nope' of pfcore/pf-air was not found on GitHub (Head does not exist)"
        ),
        "{err}"
    );

    // 409 merge conflict.
    assert!(sim.control().make_conflict(REPO, "staging", "develop"));
    let err = gh
        .merge("pfcore", "pf-air", "staging", "develop", None)
        .await
        .expect_err("409");
    assert_eq!(
        err,
        GithubError::MergeConflict {
            repo: REPO.into(),
            base: "staging".into(),
            head: "develop".into()
        }
    );
    assert!(err.to_string().contains("changed nothing"), "{err}");

    // A protected base refuses direct merges; GitHub's words are shown verbatim.
    assert!(sim.control().protect_branch(REPO, "main", true));
    let err = gh
        .merge("pfcore", "pf-air", "main", "staging", None)
        .await
        .expect_err("409");
    assert_eq!(
        err,
        GithubError::Refused {
            action: "merging staging into main of pfcore/pf-air".into(),
            status: 409,
            message: "Required status check \"ci\" is expected.".into()
        }
    );
    assert!(
        err.to_string()
            .ends_with("Required status check \"ci\" is expected.")
    );

    assert_eq!(heads(&sim, REPO), before, "no branch moved");
    let after = coolify
        .deployment_history(&staging_app, 0, 100)
        .await
        .expect("history")
        .count;
    assert_eq!(after, deployments_before, "nothing was deployed");

    // Cleared, the same merge goes through.
    assert!(sim.control().clear_conflict(REPO, "staging", "develop"));
    let outcome = gh
        .merge("pfcore", "pf-air", "staging", "develop", None)
        .await
        .expect("merge");
    assert!(matches!(outcome, MergeOutcome::Merged { .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_html_rate_limits_and_permissions() {
    let (sim, _) = common::sim(50.0).await;
    let gh = github(&sim);
    let c = sim.control();

    // A transient 500 on a read is retried.
    c.inject_fault(respond(
        "/github/repos/pfcore/pf-air",
        Some("GET"),
        Some(1),
        500,
        "application/json",
        r#"{"message":"Server Error"}"#,
        &[],
    ));
    assert_eq!(
        gh.repo("pfcore", "pf-air").await.expect("retried").name,
        "pf-air"
    );

    // A proxy's HTML error page, every time.
    c.inject_fault(respond(
        "/github/",
        None,
        None,
        502,
        "text/html",
        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        &[],
    ));
    let err = gh.branches("pfcore", "pf-air").await.expect_err("502");
    assert_eq!(
        err,
        GithubError::Server {
            status: 502,
            message: "page titled \"502 Bad Gateway\"".into()
        }
    );
    c.clear_faults();

    // A login page with 200.
    c.inject_fault(respond(
        "/github/",
        None,
        Some(1),
        200,
        "text/html; charset=utf-8",
        "<!DOCTYPE html><html><title>Sign in</title></html>",
        &[],
    ));
    let err = gh.repo("pfcore", "pf-air").await.expect_err("html");
    assert!(
        matches!(err, GithubError::NotJson { status: 200, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("GITHUB_API_URL"), "{err}");

    // A failed merge is not retried, and nothing moved.
    let before = heads(&sim, REPO);
    c.inject_fault(respond(
        "/github/repos/pfcore/pf-air/merges",
        Some("POST"),
        Some(1),
        503,
        "application/json",
        r#"{"message":"Service Unavailable"}"#,
        &[],
    ));
    let err = gh
        .merge("pfcore", "pf-air", "staging", "develop", None)
        .await
        .expect_err("503");
    assert!(
        matches!(err, GithubError::Server { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(heads(&sim, REPO), before);

    // Primary rate limit: when it resets.
    let reset = (jiff::Timestamp::now().as_second() + 1800).to_string();
    c.inject_fault(respond(
        "/github/",
        None,
        Some(3),
        403,
        "application/json",
        r#"{"message":"API rate limit exceeded for user ID 1."}"#,
        &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &reset),
        ],
    ));
    let err = gh.repo("pfcore", "pf-air").await.expect_err("403");
    assert!(
        matches!(
            err,
            GithubError::RateLimited {
                resets_at: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("resets at"), "{err}");
    c.clear_faults();

    // Secondary rate limit with a long retry-after: not waited for.
    c.inject_fault(respond(
        "/github/",
        None,
        Some(3),
        403,
        "application/json",
        r#"{"message":"You have exceeded a secondary rate limit."}"#,
        &[("retry-after", "120")],
    ));
    let err = gh.repo("pfcore", "pf-air").await.expect_err("403");
    assert!(
        matches!(err, GithubError::SecondaryRateLimit { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("wait 120s"), "{err}");
    c.clear_faults();

    // Missing permission.
    c.inject_fault(respond(
        "/github/repos/pfcore/pf-air/merges",
        Some("POST"),
        Some(1),
        403,
        "application/json",
        r#"{"message":"Resource not accessible by personal access token"}"#,
        &[],
    ));
    let err = gh
        .merge("pfcore", "pf-air", "staging", "develop", None)
        .await
        .expect_err("403");
    assert!(matches!(err, GithubError::Forbidden { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("Resource not accessible by personal access token"),
        "{err}"
    );
    assert_eq!(heads(&sim, REPO), before);

    // A validation failure is shown verbatim.
    c.inject_fault(respond("/github/repos/pfcore/pf-air/merges", Some("POST"), Some(1), 422, "application/json", r#"{"message":"Validation Failed","errors":[{"resource":"Merge","code":"custom","message":"Changes must be made through a pull request."}]}"#, &[]));
    let err = gh
        .merge("pfcore", "pf-air", "main", "staging", None)
        .await
        .expect_err("422");
    assert!(
        err.to_string()
            .ends_with("Validation Failed (Changes must be made through a pull request.)"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_and_slow_servers() {
    let (sim, _) = common::sim(50.0).await;
    let slow = github_with(
        &sim,
        sim.github_token(),
        ClientOptions {
            request_timeout: Duration::from_millis(300),
            attempts: 1,
            ..ClientOptions::default()
        },
    );
    sim.control().inject_fault(Fault {
        method: None,
        path_prefix: "/github/".into(),
        times: Some(1),
        kind: FaultKind::Delay(Duration::from_secs(10)),
    });
    let err = slow.repo("pfcore", "pf-air").await.expect_err("timeout");
    assert!(
        matches!(err, GithubError::Transport(TransportError::Timeout { .. })),
        "{err:?}"
    );

    let gh = github(&sim);
    sim.stop_listening().await;
    let err = gh.repo("pfcore", "pf-air").await.expect_err("refused");
    assert!(
        matches!(err, GithubError::Transport(TransportError::Connect { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("GITHUB_API_URL"), "{err}");
    let err = gh
        .merge("pfcore", "pf-air", "staging", "develop", None)
        .await
        .expect_err("refused");
    assert!(
        matches!(err, GithubError::Transport(TransportError::Connect { .. })),
        "{err:?}"
    );
    sim.resume_listening().await.expect("listens again");
    assert!(gh.repo("pfcore", "pf-air").await.is_ok());
}

/// The headers GitHub requires, seen by a server that records them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_the_headers_github_requires() {
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let record = seen.clone();
    let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
        let record = record.clone();
        async move {
            let mut r = record.lock().unwrap_or_else(|e| e.into_inner());
            for (k, v) in req.headers() {
                r.push((k.to_string(), v.to_str().unwrap_or("").to_string()));
            }
            axum::Json(serde_json::json!({"full_name": "o/r", "name": "r"}))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let gh = Client::new(
        &format!("http://{addr}"),
        SecretString::from("ghp_header_test".to_string()),
    )
    .expect("client");
    let repo = gh.repo("o", "r").await.expect("repo");
    assert_eq!(repo.full_name, "o/r");
    server.abort();
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let get = |name: &str| {
        seen.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(get("accept"), "application/vnd.github+json");
    assert_eq!(get("x-github-api-version"), "2022-11-28");
    assert_eq!(get("authorization"), "Bearer ghp_header_test");
    assert_eq!(
        get("user-agent"),
        concat!("pftui/", env!("CARGO_PKG_VERSION"))
    );
}

/// Every route of the client's table is called by some method, and no method calls a route
/// the table does not name: the table is the client's whole surface.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_of_the_table_is_called_by_a_method() {
    let (sim, _) = common::sim(50.0).await;
    let gh = github(&sim);
    gh.repo("pfcore", "pf-air").await.expect("repo");
    gh.branches("pfcore", "pf-air").await.expect("branches");
    gh.branch("pfcore", "pf-air", "main").await.expect("branch");
    gh.compare("pfcore", "pf-air", "staging", "develop")
        .await
        .expect("compare");
    gh.merge("pfcore", "pf-air", "staging", "develop", None)
        .await
        .expect("merge");
    let root = url::Url::parse(&sim.github_url()).expect("the simulator's GitHub URL");
    let prefix = root.path().trim_end_matches('/').to_string();
    let requests: Vec<(String, String)> = sim
        .control()
        .requests()
        .into_iter()
        .filter_map(|(method, path)| Some((method, path.strip_prefix(&prefix)?.to_string())))
        .collect();
    common::check_coverage(pftui::github::routes::ALL, &requests);
}
