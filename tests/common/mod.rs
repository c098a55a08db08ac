//! Shared test setup: a simulator on loopback and a client pointed at it.
#![allow(dead_code)]

pub mod binary;

use std::time::Duration;

use pftui::coolify::{Client, ClientOptions, Follower, Poll};
use pftui::http::Endpoint;
use pftui::model::Tree;
use pftui::ops::Connection;
use pftui::secrets::{Credential, Source};
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

/// A connection to the simulator's Coolify with its root token (no health probe, no
/// GitHub).
pub fn connection(handle: &SimHandle, context: &str) -> Connection {
    Connection {
        context: context.into(),
        url: handle.coolify_url(),
        token: Credential {
            value: SecretString::from(handle.token().to_string()),
            source: Source::Flag,
        },
        read_only: false,
        health_via: None,
        github: None,
    }
}

/// The uuid of a resource by name.
pub fn uuid_of(tree: &Tree, name: &str) -> String {
    tree.resources()
        .find(|(_, _, r)| r.name == name)
        .map(|(_, _, r)| r.uuid.clone())
        .unwrap_or_else(|| panic!("no resource named {name}"))
}

/// Follow a deployment to its end; returns every poll's news.
pub async fn follow(client: &Client, uuid: &str) -> Vec<Poll> {
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

/// Does `path` (no query) match the path template `template`? `{name}` stands for one or
/// more characters of one segment, `{+name}` for one or more characters, slashes included.
pub fn template_matches(template: &str, path: &str) -> bool {
    let Some(open) = template.find('{') else {
        return template == path;
    };
    let Some(rest) = path.strip_prefix(&template[..open]) else {
        return false;
    };
    let close = open + template[open..].find('}').expect("a placeholder is closed");
    let slashes = template[open + 1..].starts_with('+');
    let after = &template[close + 1..];
    (1..=rest.len())
        .filter(|&n| rest.is_char_boundary(n))
        .take_while(|&n| slashes || !rest[..n].contains('/'))
        .any(|n| template_matches(after, &rest[n..]))
}

/// The route of `routes` a request (method, path below the API root) calls: of those it
/// matches, the one with the most literal characters, so that `/projects/{uuid}/environments`
/// wins over `/projects/{uuid}/{environment_name_or_uuid}`.
pub fn route_of<'a>(routes: &'a [Endpoint], method: &str, path: &str) -> Option<&'a Endpoint> {
    routes
        .iter()
        .filter(|r| r.verb.as_str() == method && template_matches(r.template, path))
        .max_by_key(|r| literal_len(r.template))
}

fn literal_len(template: &str) -> usize {
    let mut depth = false;
    template
        .chars()
        .filter(|&c| {
            match c {
                '{' => depth = true,
                '}' => {
                    depth = false;
                    return false;
                }
                _ => {}
            }
            !depth
        })
        .count()
}

/// Check a sweep's requests (method, path below the API root) against an API's route
/// table: every route was called, and every request was to a route of the table.
pub fn check_coverage(routes: &[Endpoint], requests: &[(String, String)]) {
    let mut called = std::collections::BTreeSet::new();
    let mut strays = Vec::new();
    for (method, path) in requests {
        match route_of(routes, method, path) {
            Some(route) => {
                called.insert(*route);
            }
            None => strays.push(format!("{method} {path}")),
        }
    }
    let missed: Vec<String> = routes
        .iter()
        .filter(|r| !called.contains(*r))
        .map(ToString::to_string)
        .collect();
    assert!(
        missed.is_empty(),
        "routes of the table the sweep did not call (call each client method in the sweep): {missed:#?}"
    );
    assert!(
        strays.is_empty(),
        "requests to routes the table does not name: {strays:#?}"
    );
}
