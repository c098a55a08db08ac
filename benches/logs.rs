//! A deployment's `logs` with 50,000 entries: decoding it, and the incremental tailer over
//! successive polls (each poll re-reads the whole log, as Coolify has no stream), next to a
//! bare `serde_json::from_str::<serde_json::Value>` of the same payload (the floor).

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use pftui::coolify::{LineFormatter, Tailer, decode_logs};
use pftui::model::DeploymentStatus;

const ENTRIES: u32 = 50_000;
const POLLS: usize = 10;

/// The first `n` entries of a `logs` string, as the log looked when it had only those.
fn prefix(all: &[serde_json::Value], n: usize) -> String {
    serde_json::to_string(&all[..n]).expect("JSON")
}

fn logs(c: &mut Criterion) {
    let sim = support::Sim::start(None);
    let (_, full) = sim.big_log("air-dev", ENTRIES);
    let entries: Vec<serde_json::Value> = serde_json::from_str(&full).expect("a JSON array");
    let polls: Vec<String> = (1..=POLLS)
        .map(|k| prefix(&entries, entries.len() * k / POLLS))
        .collect();
    let almost = prefix(&entries, entries.len() - 500);
    println!(
        "logs: one deployment's `logs` string with {} entries, {}; {} polls growing by {} entries",
        entries.len(),
        support::mib(full.len()),
        POLLS,
        entries.len() / POLLS
    );

    let mut g = c.benchmark_group("logs");
    g.sample_size(20).measurement_time(Duration::from_secs(6));
    g.bench_function("floor: serde_json::Value parse of 50,000 entries", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(&full).expect("JSON")))
    });
    g.bench_function("decode_logs, 50,000 entries", |b| {
        b.iter(|| black_box(decode_logs(&full).expect("a log")))
    });
    g.bench_function("poll: tailer, 50,000 entries, all new", |b| {
        b.iter_batched(
            Tailer::new,
            |mut t| {
                black_box(
                    t.feed(&DeploymentStatus::InProgress, Some(&full))
                        .expect("a log"),
                )
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("poll: tailer, 50,000 entries, last 500 new", |b| {
        b.iter_batched(
            || {
                let mut t = Tailer::new();
                t.feed(&DeploymentStatus::InProgress, Some(&almost))
                    .expect("a log");
                t
            },
            |mut t| {
                black_box(
                    t.feed(&DeploymentStatus::InProgress, Some(&full))
                        .expect("a log"),
                )
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("poll: tailer, 50,000 entries, none new", |b| {
        let mut t = Tailer::new();
        t.feed(&DeploymentStatus::InProgress, Some(&full))
            .expect("a log");
        b.iter(|| {
            black_box(
                t.feed(&DeploymentStatus::InProgress, Some(&full))
                    .expect("a log"),
            )
        })
    });
    g.bench_function("poll + lines: tailer then LineFormatter, 50,000 new", |b| {
        b.iter_batched(
            || (Tailer::new(), LineFormatter::new(true)),
            |(mut t, mut f)| {
                let fresh = t
                    .feed(&DeploymentStatus::InProgress, Some(&full))
                    .expect("a log");
                black_box(f.lines(&fresh))
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("10 polls: tailer, 5,000 -> 50,000 entries", |b| {
        b.iter(|| {
            let mut t = Tailer::new();
            for p in &polls {
                black_box(
                    t.feed(&DeploymentStatus::InProgress, Some(p))
                        .expect("a log"),
                );
            }
        })
    });
    g.bench_function("10 polls: floor, serde_json::Value parse of each", |b| {
        b.iter(|| {
            for p in &polls {
                black_box(serde_json::from_str::<serde_json::Value>(p).expect("JSON"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, logs);
criterion_main!(benches);
