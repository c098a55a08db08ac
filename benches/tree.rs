//! Building the tree from the API's answers for 3,000 applications (about 100 projects x 3
//! environments) plus databases and services: decoding every body the loader reads, then
//! `assemble`. Next to it, a bare `serde_json::Value` parse of the same bodies.

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pftui::coolify::{assemble, wire};

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

    fn decode(&self) -> Decoded {
        Decoded {
            projects: self
                .projects
                .iter()
                .map(|b| wire::from_slice(b).expect("a project"))
                .collect(),
            servers: wire::from_slice(&self.servers).expect("servers"),
            placed: self
                .placed
                .iter()
                .map(|b| wire::from_slice(b).expect("resources"))
                .collect(),
            apps: wire::from_slice(&self.apps).expect("applications"),
            databases: wire::from_slice(&self.databases).expect("databases"),
            services: wire::from_slice(&self.services).expect("services"),
        }
    }
}

#[derive(Clone)]
struct Decoded {
    projects: Vec<wire::Project>,
    servers: Vec<wire::Server>,
    placed: Vec<Vec<wire::ServerResource>>,
    apps: Vec<wire::Application>,
    databases: Vec<wire::Database>,
    services: Vec<wire::Service>,
}

impl Decoded {
    fn assemble(self) -> pftui::model::Tree {
        assemble(
            &self.projects,
            &self.servers,
            &self.placed,
            self.apps,
            self.databases,
            self.services,
        )
    }
}

fn tree(c: &mut Criterion) {
    let sim = support::Sim::start(Some(support::APPS));
    let bodies = Bodies::read(&sim);
    let decoded = bodies.decode();
    let environments: usize = decoded.projects.iter().map(|p| p.environments.len()).sum();
    let tree = decoded.clone().assemble();
    println!(
        "tree: {} projects, {} environments, {} applications, {} databases, {} services, {} servers; \
         {} bodies, {} in all ({} of them GET /applications); {} resources placed in the tree",
        decoded.projects.len(),
        environments,
        decoded.apps.len(),
        decoded.databases.len(),
        decoded.services.len(),
        decoded.servers.len(),
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
