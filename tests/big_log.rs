//! Following a deployment whose log is big and still growing: each poll is read while it
//! arrives (the log's entries decoded one by one), and what the console gets must be the
//! same as reading the whole answer.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use common::{client_for, follow, sim};
use pftui::coolify::{CoolifyError, Follower};
use pftui::model::{DeploymentLog, DeploymentStatus, LogStream};
use pftui::sim::Fault;
use std::time::Duration;

const LINES: u32 = 20_000;

#[tokio::test]
async fn every_line_of_a_growing_big_log_arrives_once_in_order() {
    let (sim, client) = sim(50.0).await;
    let uuid = sim
        .control()
        .big_log("air-dev", LINES, 2.0)
        .expect("air-dev exists");
    let polls = follow(&client, &uuid).await;

    let first_final = polls
        .iter()
        .position(|p| p.is_final())
        .expect("a final status");
    assert_eq!(first_final + 2, polls.len(), "one poll after the final one");
    assert_eq!(
        polls[first_final].deployment.status,
        DeploymentStatus::Finished
    );
    assert!(polls.iter().all(|p| p.log == DeploymentLog::Entries(())));

    let entries: Vec<_> = polls.iter().flat_map(|p| &p.entries).collect();
    let orders: Vec<u64> = entries.iter().map(|e| e.order).collect();
    assert_eq!(orders, (1..=u64::from(LINES)).collect::<Vec<_>>());
    for entry in &entries {
        if entry.stream == LogStream::Stdout {
            let marker = format!("-- line {}:", entry.order);
            assert!(entry.output.contains(&marker), "{}", entry.output);
        }
        assert!(
            entry
                .command
                .as_deref()
                .is_some_and(|c| c.contains("'cd /artifacts && "))
        );
        assert!(entry.timestamp.is_some());
    }

    // The streamed poll and the whole answer agree.
    let (_, whole) = client.deployment_with_log(&uuid).await.unwrap();
    let DeploymentLog::Entries(all) = whole else {
        panic!("the whole log, read: {whole:?}");
    };
    assert_eq!(all.len(), entries.len());
    assert!(all.iter().zip(&entries).all(|(a, b)| a == *b));
}

#[tokio::test]
async fn a_withheld_log_and_odd_answers_while_following() {
    let (sim, client) = sim(50.0).await;
    let uuid = sim
        .control()
        .big_log("air-dev", 500, 0.0)
        .expect("air-dev exists");

    sim.control().add_token("2|reader", &["read"]);
    let polls = follow(&client_for(&sim, "2|reader"), &uuid).await;
    assert!(
        polls
            .iter()
            .all(|p| p.log == DeploymentLog::Withheld && p.entries.is_empty())
    );
    assert_eq!(
        polls.last().unwrap().deployment.status,
        DeploymentStatus::Finished
    );

    let path = format!("/api/v1/deployments/{uuid}");
    let fault = |status: u16, content_type: &str, body: &str, times: u32| {
        Fault::respond(&path, status, content_type, body)
            .method("GET")
            .times(times)
    };
    let next = || async {
        Follower::new(client.clone(), &uuid, Duration::from_millis(20))
            .next()
            .await
    };

    // A transient failure is retried.
    sim.control()
        .inject_fault(fault(503, "text/html", "<title>busy</title>", 1));
    let progress = next().await.unwrap().unwrap();
    assert_eq!(progress.entries.len(), 500);

    // An error page with a success status, a list, an empty body, a broken log.
    sim.control().inject_fault(fault(
        200,
        "text/html",
        "<html><title>Login</title></html>",
        1,
    ));
    let err = next().await.unwrap_err();
    assert!(
        matches!(err, CoolifyError::NotJson { status: 200, .. }),
        "{err:?}"
    );
    // A log cut short inside a whole answer: the deployment is read, the log said so.
    let cut = r#"{"deployment_uuid":"d","status":"in_progress","logs":"[{\"order\":1},"}"#;
    sim.control()
        .inject_fault(fault(200, "application/json", cut, 1));
    let poll = next().await.unwrap().unwrap();
    assert_eq!(poll.deployment.status, DeploymentStatus::InProgress);
    assert!(
        matches!(&poll.log, DeploymentLog::Unreadable(_)),
        "{:?}",
        poll.log
    );
    for body in [
        "[]",
        "",
        r#"{"deployment_uuid":"d","status":"in_progress","logs":"[{\"order\":1}]"#,
    ] {
        sim.control()
            .inject_fault(fault(200, "application/json", body, 1));
        let err = next().await.unwrap_err();
        assert!(
            matches!(&err, CoolifyError::Decode { endpoint, .. } if endpoint.contains(&uuid)),
            "{body}: {err:?}"
        );
    }
}

#[tokio::test]
async fn following_a_log_already_huge_keeps_only_its_newest_entries() {
    let (sim, client) = sim(50.0).await;
    let uuid = sim
        .control()
        .big_log("air-dev", LINES, 0.0)
        .expect("air-dev exists");
    let mut follower =
        Follower::new(client.clone(), &uuid, Duration::from_millis(20)).keeping(1000);
    let mut orders = Vec::new();
    let run = async {
        while let Some(p) = follower.next().await.expect("poll succeeds") {
            orders.extend(p.entries.iter().map(|e| e.order));
        }
    };
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the deployment ends within a minute");
    assert!(orders.len() >= 1000, "{}", orders.len());
    assert_eq!(
        orders.last().copied(),
        Some(u64::from(LINES)),
        "the newest arrive"
    );
    assert!(
        orders.windows(2).all(|w| w[0] < w[1]),
        "in order, once each"
    );
    assert_eq!(
        follower.skipped() + orders.len() as u64,
        u64::from(LINES),
        "every other entry is counted as left out"
    );
    assert!(follower.skipped() > 0);
}
