//! Deployments over time: runs to their end, log format, failures, cancelling, the queue
//! limit and dedup, container logs, start/stop and rollback, pinned commits.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_runs_to_finished_with_the_branch_head() {
    let t = T::demo().await;
    let app = t.app("air-staging").await;
    let uuid = app["uuid"].as_str().expect("uuid");
    let before = t.ok(&format!("/deployments/applications/{uuid}")).await["count"]
        .as_u64()
        .unwrap_or(0);
    let (sha, queued) = t
        .sim
        .control()
        .push_commit("pfcore/pf-air", "staging", "feat: new landing page")
        .expect("push");
    assert_eq!(queued.len(), 1, "staging auto-deploys on push");
    let head = t
        .http
        .get(format!(
            "{}/repos/pfcore/pf-air/branches/staging",
            t.sim.github_url()
        ))
        .bearer_auth(t.sim.github_token())
        .header("User-Agent", "pftui-test")
        .send()
        .await
        .expect("github")
        .json::<Value>()
        .await
        .expect("json");
    assert_eq!(head["commit"]["sha"], sha);
    let d = t.wait(&queued[0]).await;
    assert_eq!(d["status"], "finished", "{}", d["logs"]);
    assert_eq!(d["commit"], sha.as_str());
    assert_eq!(d["commit_message"], "feat: new landing page");
    assert_eq!(d["is_webhook"], true);
    assert_eq!(d["application"]["name"], "air-staging");
    assert!(d["finished_at"].is_string());
    let logs = logs_of(&d);
    let text: Vec<&str> = logs.iter().filter_map(|e| e["output"].as_str()).collect();
    assert!(
        text.iter()
            .any(|o| o.starts_with("Starting deployment of pfcore/pf-air:staging to pfcore-main."))
    );
    assert!(
        text.iter()
            .any(|o| o.contains("Building docker image started."))
    );
    assert!(text.contains(&"New container is healthy."));
    assert!(text.contains(&"Rolling update completed."));
    let app = t.app("air-staging").await;
    assert_eq!(app["status"], "running:healthy");
    let images = t.ok(&format!("/applications/{uuid}/rollback-images")).await;
    assert_eq!(images["current"], sha.as_str());
    assert_eq!(images["images"][0]["tag"], sha.as_str());
    let after = t.ok(&format!("/deployments/applications/{uuid}")).await;
    assert_eq!(after["count"].as_u64(), Some(before + 1));
    assert_eq!(
        after["deployments"][0]["deployment_uuid"],
        queued[0].as_str()
    );

    // Deploying the same commit again reuses the image.
    let again = t.deploy(uuid, false).await;
    let d = t.wait(&again).await;
    assert_eq!(d["status"], "finished");
    assert!(logs_of(&d).iter().any(|e| {
        e["output"]
            .as_str()
            .unwrap_or("")
            .starts_with("No build configuration changed & image found")
    }));
    // force rebuilds without cache.
    let forced = t.deploy(uuid, true).await;
    let d = t.wait(&forced).await;
    assert_eq!(d["status"], "finished");
    assert_eq!(d["force_rebuild"], true);
    assert!(
        logs_of(&d)
            .iter()
            .any(|e| e["command"].as_str().unwrap_or("").contains("--no-cache"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployment_log_format() {
    let t = T::demo().await;
    let uuid = t.app("baiv-prod").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let dep = t.deploy(&uuid, true).await;
    let d = t.wait(&dep).await;
    assert!(d["logs"].is_string(), "logs is a JSON string");
    let logs = logs_of(&d);
    assert!(logs.len() > 30);
    for (i, e) in logs.iter().enumerate() {
        assert_eq!(
            e["order"].as_u64(),
            Some(i as u64 + 1),
            "order increases from 1"
        );
        assert!(matches!(
            e["type"].as_str(),
            Some("stdout") | Some("stderr")
        ));
        assert!(e["hidden"].is_boolean() && e["batch"].is_u64() && e["output"].is_string());
        let ts = e["timestamp"].as_str().expect("timestamp");
        assert_eq!(ts.len(), 27, "{ts}");
        assert!(ts.ends_with('Z') && ts.as_bytes()[19] == b'.');
    }
    assert!(logs.iter().any(|e| e["hidden"] == true));
    assert!(logs.iter().any(|e| e["hidden"] == false));
    assert!(logs.iter().any(|e| e.get("command") == Some(&Value::Null)));
    assert!(logs.iter().any(|e| e["command"].is_string()));
    assert!(logs.iter().any(|e| e["type"] == "stderr"));
    assert!(
        logs.iter()
            .any(|e| e["output"].as_str().unwrap_or("").lines().count() > 5),
        "multi-line outputs"
    );
    assert!(
        logs.iter()
            .any(|e| e["output"].as_str().unwrap_or("").contains("npm run build"))
    );
    assert!(
        logs.iter()
            .any(|e| e["output"].as_str().unwrap_or("").contains("╔"))
    );
    let stamps: Vec<&str> = logs
        .iter()
        .filter_map(|e| e["timestamp"].as_str())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]));

    // Somewhere in the recorded history, an SSH retry notice has no `command` key at all.
    let mut absent = false;
    for name in [
        "air-dev",
        "air-staging",
        "air-prod",
        "baiv-dev",
        "baiv-staging",
        "w4m-dev",
        "w4m-staging",
        "w4m-prod",
    ] {
        let app = t.app(name).await;
        let h = t
            .ok(&format!(
                "/deployments/applications/{}?take=10",
                app["uuid"].as_str().unwrap_or("")
            ))
            .await;
        for d in h["deployments"].as_array().expect("list") {
            absent |= logs_of(d).iter().any(|e| e.get("command").is_none());
        }
    }
    assert!(absent, "some entries lack the command key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_next_fails_with_stderr_and_keeps_old_container() {
    let t = T::demo().await;
    let uuid = t.app("w4m-staging").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    assert!(t.sim.control().fail_next_deployment("w4m-staging"));
    assert!(!t.sim.control().fail_next_deployment("nope"));
    let dep = t.deploy(&uuid, true).await;
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "failed");
    // As on the real server, the error report lands just after the status changes: wait
    // for the last line (the helper container's shutdown).
    let d = t
        .wait_for(&format!("/deployments/{dep}"), |d| {
            logs_of(d).last().and_then(|e| e["output"].as_str()) == Some(dep.as_str())
        })
        .await;
    let logs = logs_of(&d);
    let stderr: Vec<&str> = logs
        .iter()
        .filter(|e| e["type"] == "stderr" && e["hidden"] == false)
        .filter_map(|e| e["output"].as_str())
        .collect();
    assert!(stderr.iter().any(|o| o.starts_with("Deployment failed: ")));
    assert!(
        stderr
            .iter()
            .any(|o| o.contains("npm ERR!") || o.contains("Type error:"))
    );
    assert!(stderr.contains(&"Deployment failed. Removing the new version of your application."));
    assert_eq!(t.app("w4m-staging").await["status"], "running:healthy");
    // Only the next deployment fails.
    let next = t.deploy(&uuid, false).await;
    assert_eq!(t.wait(&next).await["status"], "finished");

    // Over HTTP, and with the image already there: the new container stays unhealthy.
    let r = t
        .req(
            Method::POST,
            "/_sim/fail-next",
            None,
            Some(json!({"application": uuid})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .req(
            Method::POST,
            "/_sim/fail-next",
            None,
            Some(json!({"application": "nope"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let restart = t
        .post(&format!("/applications/{uuid}/restart"), None)
        .await
        .json();
    assert_eq!(restart["message"], "Restart request queued.");
    let d = t
        .wait(restart["deployment_uuid"].as_str().expect("uuid"))
        .await;
    assert_eq!(d["status"], "failed");
    assert_eq!(d["restart_only"], true);
    assert!(
        logs_of(&d)
            .iter()
            .any(|e| e["output"]
                == "New container is not healthy, rolling back to the old container.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_queued_and_running() {
    let t = T::new(SimConfig {
        speed: 1.0,
        ..SimConfig::default()
    })
    .await;
    let uuid = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let dep = t.deploy(&uuid, true).await;
    let queued = t.ok(&format!("/deployments/{dep}")).await;
    assert!(["queued", "in_progress"].contains(&queued["status"].as_str().unwrap_or("")));
    assert_eq!(queued["commit"], "HEAD");
    let r = t.post(&format!("/deployments/{dep}/cancel"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"message": "Deployment cancelled successfully.", "deployment_uuid": dep, "status": "cancelled-by-user"})
    );
    let r = t.post(&format!("/deployments/{dep}/cancel"), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json()["message"],
        "Deployment cannot be cancelled. Current status: cancelled-by-user"
    );
    assert_eq!(t.ok("/deployments").await, json!([]));

    // Cancel one that is running: its log stops growing.
    let dep = t.deploy(&uuid, true).await;
    t.wait_for(&format!("/deployments/{dep}"), |d| {
        d["status"] == "in_progress" && d["logs"].is_string() && logs_of(d).len() > 3
    })
    .await;
    assert_eq!(
        t.post(&format!("/deployments/{dep}/cancel"), None)
            .await
            .status,
        StatusCode::OK
    );
    let d = t.ok(&format!("/deployments/{dep}")).await;
    assert_eq!(d["status"], "cancelled-by-user");
    let logs = logs_of(&d);
    assert_eq!(
        logs.last().and_then(|e| e["output"].as_str()),
        Some("Deployment container stopped.")
    );
    assert!(
        logs.iter().any(
            |e| e["output"] == "Deployment cancelled by user via API." && e["type"] == "stderr"
        )
    );
    assert_eq!(t.app("air-dev").await["status"], "running:healthy");
    let r = t.post("/deployments/doesnotexist/cancel", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json(), json!({"message": "Deployment not found."}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_limit_and_dedup() {
    let t = T::new(SimConfig {
        speed: FAST,
        queue_limit: 2,
        ..SimConfig::default()
    })
    .await;
    let c = t.sim.control();
    c.pause_queue(true);
    let a = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let b = t.app("baiv-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let w = t.app("w4m-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let first = t.deploy(&a, false).await;
    // Same app, same commit: deduplicated with a fresh uuid that was never stored.
    let r = t.post(&format!("/deploy?uuid={a}"), None).await.json();
    assert_eq!(
        r["deployments"][0]["message"],
        "Deployment already queued for this commit."
    );
    let ghost = r["deployments"][0]["deployment_uuid"]
        .as_str()
        .expect("uuid");
    assert_ne!(ghost, first);
    assert_eq!(
        t.get(&format!("/deployments/{ghost}")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .post(&format!("/applications/{a}/start"), None)
        .await
        .json();
    assert_eq!(
        r,
        json!({"message": "Deployment already queued for this commit."})
    );

    t.deploy(&b, false).await;
    let r = t.post(&format!("/deploy?uuid={w}"), None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.header("retry-after"), Some("60"));
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("Deployment queue is full.")
    );
    let active = t.ok("/deployments").await;
    assert_eq!(active.as_array().map(Vec::len), Some(2));
    assert!(
        active
            .as_array()
            .expect("list")
            .iter()
            .all(|d| d["status"] == "queued")
    );

    let r = t
        .req(
            Method::POST,
            "/_sim/queue",
            None,
            Some(json!({"paused": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(t.wait(&first).await["status"], "finished");
    t.wait_for("/deployments", |v| v == &json!([])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_logs_stop_start_and_rollback() {
    let t = T::demo().await;
    let uuid = t.app("air-prod").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let logs = t.ok(&format!("/applications/{uuid}/logs?lines=20")).await;
    let text = logs["logs"].as_str().expect("logs");
    assert!(text.lines().count() <= 20 && text.lines().count() > 5);
    assert!(text.contains("GET /api/health 200"));
    let stamped = t
        .ok(&format!(
            "/applications/{uuid}/logs?lines=5&show_timestamps=true"
        ))
        .await;
    let first = stamped["logs"]
        .as_str()
        .expect("logs")
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    assert!(first.len() > 31 && first.as_bytes()[10] == b'T', "{first}");

    // Rollback to the previous image.
    let images = t.ok(&format!("/applications/{uuid}/rollback-images")).await;
    let older = images["images"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["is_current"] == false))
        .and_then(|i| i["tag"].as_str())
        .expect("an older image")
        .to_string();
    let r = t
        .post(
            &format!("/applications/{uuid}/rollback"),
            Some(json!({"commit": older})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["message"], "Rollback deployment queued.");
    let d = t
        .wait(r.json()["deployment_uuid"].as_str().expect("uuid"))
        .await;
    assert_eq!(d["status"], "finished");
    assert_eq!(d["rollback"], true);
    assert_eq!(d["commit"], older.as_str());
    let images = t.ok(&format!("/applications/{uuid}/rollback-images")).await;
    assert_eq!(images["current"], older.as_str());
    let r = t
        .post(
            &format!("/applications/{uuid}/rollback"),
            Some(json!({"commit": older, "x": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Stop, then start (= deploy).
    let r = t.post(&format!("/applications/{uuid}/stop"), None).await;
    assert_eq!(
        r.json(),
        json!({"message": "Application stopping request queued."})
    );
    t.wait_for(&format!("/applications/{uuid}"), |a| {
        a["status"] == "exited:unhealthy"
    })
    .await;
    assert_eq!(
        t.get(&format!("/applications/{uuid}/logs")).await.status,
        StatusCode::BAD_REQUEST
    );
    let r = t
        .post(&format!("/applications/{uuid}/start"), None)
        .await
        .json();
    assert_eq!(r["message"], "Deployment request queued.");
    let d = t.wait(r["deployment_uuid"].as_str().expect("uuid")).await;
    assert_eq!(d["status"], "finished");
    assert_eq!(t.app("air-prod").await["status"], "running:healthy");

    // Databases and services move through their statuses.
    let db = t.ok("/databases").await[1]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let r = t.post(&format!("/databases/{db}/stop"), None).await;
    assert_eq!(
        r.json(),
        json!({"message": "Database stopping request queued."})
    );
    t.wait_for(&format!("/databases/{db}"), |d| {
        d["status"] == "exited:unhealthy"
    })
    .await;
    let svc = t.ok("/services").await[0]["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let r = t
        .post(&format!("/deploy?uuid={svc},{db}"), None)
        .await
        .json();
    assert_eq!(r["deployments"].as_array().map(Vec::len), Some(2));
    assert!(r["deployments"][0].get("deployment_uuid").is_none());
    t.wait_for(&format!("/databases/{db}"), |d| {
        d["status"] == "running:healthy"
    })
    .await;
    let detail = t.ok(&format!("/services/{svc}")).await;
    assert_eq!(detail["applications"][0]["name"], "uptime-kuma");

    // By tag: the other shape.
    let r = t.post("/deploy?tag=prod", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    assert!(v["message"].as_array().map(Vec::len).unwrap_or(0) >= 3);
    assert!(v["details"][0]["deployment_uuid"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_takes_a_json_body_and_lists_active_runs() {
    let t = T::demo().await;
    let prod = t.ok("/applications?tag=prod").await;
    assert_eq!(names(&prod), ["air-prod", "baiv-prod", "w4m-prod"]);
    let a = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let b = t.app("baiv-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    t.sim.control().pause_queue(true);
    let r = t
        .post(
            "/deploy",
            Some(json!({"uuid": format!("{a},{b}"), "force": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    let list = v["deployments"].as_array().expect("deployments");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["message"], "Application air-dev deployment queued.");
    assert_eq!(list[1]["resource_uuid"], b.as_str());
    let active = t.ok("/deployments").await;
    assert_eq!(active.as_array().map(Vec::len), Some(2));
    assert_eq!(active[0]["status"], "queued");
    assert_eq!(active[0]["force_rebuild"], true);
    // Nothing written yet: `logs` is there (a root token) and null.
    assert_eq!(active[0].get("logs"), Some(&Value::Null));
    t.sim.control().pause_queue(false);
    for d in list {
        let done = t.wait(d["deployment_uuid"].as_str().expect("uuid")).await;
        assert_eq!(done["status"], "finished");
    }
    assert_eq!(t.ok("/deployments").await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_commits_and_unknown_refs() {
    let t = T::demo().await;
    let uuid = t.app("baiv-staging").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let history = t.ok(&format!("/deployments/applications/{uuid}")).await;
    let old = history["deployments"][3]["commit"]
        .as_str()
        .expect("commit")
        .to_string();
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"git_commit_sha": old}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let dep = t.deploy(&uuid, false).await;
    let queued = t.ok(&format!("/deployments/{dep}")).await;
    assert_eq!(
        queued["commit"],
        old.as_str(),
        "a pinned commit is not HEAD"
    );
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "finished");
    assert_eq!(d["commit"], old.as_str());

    let unknown = "0123456789abcdef0123456789abcdef01234567";
    t.patch(
        &format!("/applications/{uuid}"),
        json!({"git_commit_sha": unknown}),
    )
    .await;
    let dep = t.deploy(&uuid, false).await;
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "failed");
    let d = t
        .wait_for(&format!("/deployments/{dep}"), |d| {
            logs_of(d)
                .iter()
                .any(|e| e["output"].as_str().unwrap_or("").contains("not our ref"))
        })
        .await;
    assert_eq!(d["commit"], unknown);
    assert_eq!(t.app("baiv-staging").await["status"], "running:healthy");

    t.patch(
        &format!("/applications/{uuid}"),
        json!({"git_commit_sha": "HEAD", "git_branch": "feature/nope"}),
    )
    .await;
    let dep = t.deploy(&uuid, false).await;
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "failed");
    assert_eq!(d["commit"], "HEAD", "nothing to resolve HEAD to");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinning_a_past_commit_and_back_to_head() {
    let t = T::demo().await;
    t.sim.control().set_version("4.2.0");
    let uuid = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    let repo = "pfcore/pf-air";
    let old = t.head(repo, "staging").await; // an ancestor of develop's head
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"git_commit_sha": old}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = t.wait(&t.deploy(&uuid, false).await).await;
    assert_eq!(d["status"], "finished", "{}", d["logs"]);
    assert_eq!(d["commit"], old.as_str());
    let images = t.app("air-dev").await;
    assert_eq!(images["git_commit_sha"], old.as_str());
    let (new_head, _) = t
        .sim
        .control()
        .push_commit(repo, "develop", "feat: after the pin")
        .expect("push");
    // Back to HEAD: the branch is followed again.
    let r = t
        .patch(
            &format!("/applications/{uuid}"),
            json!({"git_commit_sha": "HEAD"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // The push's webhook deployment may still run; a forced deploy resolves HEAD anew.
    let d = t.wait(&t.deploy(&uuid, true).await).await;
    assert_eq!(d["status"], "finished", "{}", d["logs"]);
    assert_eq!(d["commit"], new_head.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_null_until_the_first_entry() {
    let t = T::demo().await;
    let uuid = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    t.sim.control().add_token("2|reader", &["read"]);
    t.sim.control().pause_queue(true);
    let dep = t.deploy(&uuid, true).await;
    let queued = t.ok(&format!("/deployments/{dep}")).await;
    assert_eq!(queued["status"], "queued");
    assert_eq!(queued.get("logs"), Some(&Value::Null), "{queued}");
    let active = t.ok("/deployments").await;
    assert_eq!(active[0].get("logs"), Some(&Value::Null));
    let history = t.ok(&format!("/deployments/applications/{uuid}")).await;
    assert_eq!(history["deployments"][0]["deployment_uuid"], dep.as_str());
    assert_eq!(history["deployments"][0].get("logs"), Some(&Value::Null));
    // Without read:sensitive the key is absent, null or not.
    let r = t
        .req(
            Method::GET,
            &format!("/deployments/{dep}"),
            Some("2|reader"),
            None,
        )
        .await;
    assert_eq!(r.json().get("logs"), None);
    t.sim.control().pause_queue(false);
    let done = t.wait(&dep).await;
    assert!(!logs_of(&done).is_empty());
}

/// The timestamp of a deployment's last log entry and its `finished_at`.
fn last_entry_and_finish(d: &Value) -> (String, String) {
    let logs = logs_of(d);
    let last = logs
        .iter()
        .max_by_key(|e| e["order"].as_u64())
        .and_then(|e| e["timestamp"].as_str())
        .expect("a last entry")
        .to_string();
    let finished = d["finished_at"].as_str().expect("finished_at").to_string();
    (last, finished)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_run_has_no_log_entry_after_finished_at() {
    let t = T::demo().await;
    let uuid = t.app("air-dev").await["uuid"]
        .as_str()
        .expect("uuid")
        .to_string();
    // A live run.
    assert!(t.sim.control().fail_next_deployment("air-dev"));
    let dep = t.deploy(&uuid, true).await;
    let d = t.wait(&dep).await;
    assert_eq!(d["status"], "failed");
    let (last, finished) = last_entry_and_finish(&d);
    assert!(
        last <= finished,
        "last entry {last} after finished_at {finished}"
    );
    // The recorded history's failed runs too (same timestamp format: they compare as text).
    let history = t
        .ok(&format!("/deployments/applications/{uuid}?take=100"))
        .await;
    let failed: Vec<&Value> = history["deployments"]
        .as_array()
        .expect("deployments")
        .iter()
        .filter(|d| d["status"] == "failed" && d["deployment_uuid"] != dep.as_str())
        .collect();
    assert!(!failed.is_empty(), "the demo history has a failed run");
    for d in failed {
        let (last, finished) = last_entry_and_finish(d);
        assert!(
            last <= finished,
            "last entry {last} after finished_at {finished}"
        );
    }
}
