//! Shared test setup: a simulator on loopback and a client pointed at it.
#![allow(dead_code)]

use std::time::Duration;

use pftui::coolify::{Client, ClientOptions, Follower, Progress};
use pftui::model::Tree;
use pftui::sim::{self, SimConfig, SimHandle};
use secrecy::SecretString;

/// A simulator running deployments fast, and a client with the root token.
pub async fn sim(speed: f64) -> (SimHandle, Client) {
    sim_with(SimConfig {
        speed,
        ..SimConfig::default()
    })
    .await
}

pub async fn sim_with(config: SimConfig) -> (SimHandle, Client) {
    let handle = sim::start(config).await.expect("simulator starts");
    let client = client_for(&handle, handle.token());
    (handle, client)
}

/// Quick polls and short backoffs so tests do not wait on real-world timings.
pub fn client_for(handle: &SimHandle, token: &str) -> Client {
    Client::with_options(
        &handle.coolify_url(),
        SecretString::from(token.to_string()),
        ClientOptions {
            backoff: Duration::from_millis(10),
            ..ClientOptions::default()
        },
    )
    .expect("client builds")
}

/// The uuid of a resource by name.
pub fn uuid_of(tree: &Tree, name: &str) -> String {
    tree.resources()
        .find(|(_, _, r)| r.name == name)
        .map(|(_, _, r)| r.uuid.clone())
        .unwrap_or_else(|| panic!("no resource named {name}"))
}

/// Follow a deployment to its end; returns every poll's news.
pub async fn follow(client: &Client, uuid: &str) -> Vec<Progress> {
    let mut follower = Follower::new(client.clone(), uuid, Duration::from_millis(20));
    let mut polls = Vec::new();
    let run = async {
        while let Some(p) = follower.next().await.expect("poll succeeds") {
            polls.push(p);
        }
    };
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the deployment ends within a minute");
    polls
}

/// Poll a condition until it holds (each check is a real request; no fixed sleeps decide
/// the outcome), failing after a generous minute.
pub async fn wait_until<F, Fut>(mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let run = async {
        while !check().await {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the condition holds within a minute");
}
