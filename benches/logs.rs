//! One poll of a deployment with a 50,000-entry log: the answer of `GET /deployments/{uuid}`
//! as the simulator sends it, fed in 16 KiB pieces to the poll reader the console follows
//! with (decoded while it arrives, entry by entry, into the incremental tailer), over
//! successive polls (each re-reads the whole log, as Coolify has no stream). Next to it the
//! floor: a bare `serde_json::Value` parse of the same answer and of the JSON array held in
//! its `logs` string; and, for comparison, the answer read whole (its `logs` string
//! unescaped into one buffer, then every entry decoded).

#![allow(clippy::unwrap_used)] // a benchmark may stop at what it did not expect

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use pftui::coolify::{LineFormatter, Tailer, decode_logs, read_poll};
use pftui::model::DeploymentStatus;

const ENTRIES: u32 = 50_000;
const POLLS: usize = 10;
/// How the network hands the body over.
const PIECE: usize = 16 * 1024;

/// The answer with its log cut to the first `n` entries, as it was when it had only those.
fn answer_with(answer: &serde_json::Value, entries: &[serde_json::Value], n: usize) -> Vec<u8> {
    let mut answer = answer.clone();
    answer["logs"] = serde_json::to_string(&entries[..n]).expect("JSON").into();
    serde_json::to_vec(&answer).expect("JSON")
}

/// What the whole read needs of the answer: the status and the `logs` string.
#[derive(serde::Deserialize)]
struct Whole {
    status: String,
    logs: Option<String>,
}

/// The floor: what any reader of the log must at least do.
fn parse_both(body: &[u8]) -> serde_json::Value {
    let answer: serde_json::Value = serde_json::from_slice(body).expect("JSON");
    serde_json::from_str(answer["logs"].as_str().expect("a logs string")).expect("JSON")
}

/// One poll as the console reads it.
fn poll(tailer: &mut Tailer, body: &[u8]) -> usize {
    read_poll(tailer, body.chunks(PIECE))
        .expect("a poll")
        .entries
        .len()
}

fn logs(c: &mut Criterion) {
    let sim = support::Sim::start(None);
    let (uuid, full) = sim.big_log("air-dev", ENTRIES);
    let body = sim.get(&format!("/deployments/{uuid}"));
    let answer: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let entries: Vec<serde_json::Value> = serde_json::from_str(&full).expect("a JSON array");
    let polls: Vec<Vec<u8>> = (1..=POLLS)
        .map(|k| answer_with(&answer, &entries, entries.len() * k / POLLS))
        .collect();
    let almost = answer_with(&answer, &entries, entries.len() - 500);
    println!(
        "logs: GET /deployments/{{uuid}} with {} log entries, {} (its logs string {}), read in {} KiB pieces; floor = serde_json::Value parse of the answer, then of its logs string; {} polls growing by {} entries",
        entries.len(),
        support::mib(body.len()),
        support::mib(full.len()),
        PIECE / 1024,
        POLLS,
        entries.len() / POLLS
    );

    let mut g = c.benchmark_group("logs");
    g.sample_size(20).measurement_time(Duration::from_secs(6));
    g.bench_function("floor: serde_json::Value parse of 50,000 entries", |b| {
        b.iter(|| black_box(parse_both(&body)))
    });
    g.bench_function("decode_logs, 50,000 entries", |b| {
        b.iter(|| black_box(decode_logs(&full).expect("a log")))
    });
    g.bench_function("poll: tailer, 50,000 entries, all new", |b| {
        b.iter_batched(
            Tailer::new,
            |mut t| black_box(poll(&mut t, &body)),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("poll: tailer, 50,000 entries, last 500 new", |b| {
        b.iter_batched(
            || {
                let mut t = Tailer::new();
                poll(&mut t, &almost);
                t
            },
            |mut t| black_box(poll(&mut t, &body)),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("poll: tailer, 50,000 entries, none new", |b| {
        let mut t = Tailer::new();
        poll(&mut t, &body);
        b.iter(|| black_box(poll(&mut t, &body)))
    });
    g.bench_function(
        "whole: decode the answer, then Tailer::feed of its logs string, all new",
        |b| {
            b.iter_batched(
                Tailer::new,
                |mut t| {
                    let answer: Whole = serde_json::from_slice(&body).expect("a deployment");
                    let status = DeploymentStatus::parse(&answer.status);
                    black_box(t.feed(&status, answer.logs.as_deref()).expect("a log"))
                },
                BatchSize::SmallInput,
            )
        },
    );
    g.bench_function("poll + lines: tailer then LineFormatter, 50,000 new", |b| {
        b.iter_batched(
            || (Tailer::new(), LineFormatter::new(true)),
            |(mut t, mut f)| {
                let fresh = read_poll(&mut t, body.chunks(PIECE)).expect("a poll");
                black_box(f.lines(&fresh.entries))
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("10 polls: tailer, 5,000 -> 50,000 entries", |b| {
        b.iter(|| {
            let mut t = Tailer::new();
            for p in &polls {
                black_box(poll(&mut t, p));
            }
        })
    });
    g.bench_function("10 polls: floor, serde_json::Value parse of each", |b| {
        b.iter(|| {
            for p in &polls {
                black_box(parse_both(p));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, logs);
criterion_main!(benches);
