//! Building the tree from the API's answers for 3,000 applications (about 100 projects x 3
//! environments) plus databases and services: decoding every body the loader reads, then
//! `assemble`. Next to it, a bare `serde_json::Value` parse of the same bodies.

#![allow(clippy::unwrap_used)] // a benchmark may stop at what it did not expect

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pftui::coolify::{TreeAnswers, TreeBodies};

/// The bodies a full load reads.
struct Bodies {
    projects: Vec<Vec<u8>>,
    servers: Vec<u8>,
    placed: Vec<Vec<u8>>,
    apps: Vec<u8>,
    databases: Vec<u8>,
    services: Vec<u8>,
}

impl Bodies {
    fn read(sim: &support::Sim) -> Self {
        let list = sim.get_json("/projects");
        let projects = list
            .as_array()
            .expect("a list")
            .iter()
            .map(|p| sim.get(&format!("/projects/{}", p["uuid"].as_str().expect("uuid"))))
            .collect();
        let servers = sim.get("/servers");
        let placed = serde_json::from_slice::<serde_json::Value>(&servers)
            .expect("JSON")
            .as_array()
            .expect("a list")
            .iter()
            .map(|s| {
                sim.get(&format!(
                    "/servers/{}/resources",
                    s["uuid"].as_str().expect("uuid")
                ))
            })
            .collect();
        Self {
            projects,
            servers,
            placed,
            apps: sim.get("/applications"),
            databases: sim.get("/databases"),
            services: sim.get("/services"),
        }
    }

    fn all(&self) -> impl Iterator<Item = &[u8]> {
        self.projects
            .iter()
            .chain(&self.placed)
            .chain([&self.servers, &self.apps, &self.databases, &self.services])
            .map(Vec::as_slice)
    }

    fn size(&self) -> usize {
        self.all().map(<[u8]>::len).sum()
    }

    fn decode(&self) -> TreeAnswers {
        TreeAnswers::decode(TreeBodies {
            projects: &self.projects,
            servers: &self.servers,
            placed: &self.placed,
            applications: &self.apps,
            databases: &self.databases,
            services: &self.services,
        })
        .expect("the answers decode")
    }
}

/// How many items a list body holds.
fn count(body: &[u8]) -> usize {
    serde_json::from_slice::<serde_json::Value>(body)
        .expect("JSON")
        .as_array()
        .map_or(0, Vec::len)
}

fn tree(c: &mut Criterion) {
    let sim = support::Sim::start(Some(support::APPS));
    let bodies = Bodies::read(&sim);
    let decoded = bodies.decode();
    let environments: usize = bodies
        .projects
        .iter()
        .map(|b| {
            serde_json::from_slice::<serde_json::Value>(b).expect("JSON")["environments"]
                .as_array()
                .map_or(0, Vec::len)
        })
        .sum();
    let tree = decoded.clone().assemble();
    println!(
        "tree: {} projects, {} environments, {} applications, {} databases, {} services, {} servers; \
         {} bodies, {} in all ({} of them GET /applications); {} resources placed in the tree",
        bodies.projects.len(),
        environments,
        count(&bodies.apps),
        count(&bodies.databases),
        count(&bodies.services),
        count(&bodies.servers),
        bodies.all().count(),
        support::mib(bodies.size()),
        support::mib(bodies.apps.len()),
        tree.resources().count(),
    );

    let mut g = c.benchmark_group("tree");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.bench_function("decode + assemble (3,000 apps)", |b| {
        b.iter(|| black_box(bodies.decode().assemble()))
    });
    g.bench_function("decode only", |b| b.iter(|| black_box(bodies.decode())));
    g.bench_function("assemble only", |b| {
        b.iter_batched(
            || decoded.clone(),
            |d| black_box(d.assemble()),
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("floor: serde_json::Value parse of the same bodies", |b| {
        b.iter(|| {
            for body in bodies.all() {
                black_box(serde_json::from_slice::<serde_json::Value>(body).expect("JSON"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, tree);
criterion_main!(benches);
