//! The huge build logs of `/_sim/big-log`, for measuring how pftui copes with them.

use super::{CommandField, LogEntry};
use crate::sim::ids::{Ts, mix};

/// `count` entries of a long Nixpacks/BuildKit build, numbered from `first` (1-based
/// `order`), one output line each, as `ExecuteRemoteCommand` writes them: the command on
/// every entry of its batch, a new batch every 1,000 entries, about one entry in 25 on
/// stderr, timestamps 2 ms apart from `start`. Deterministic for a given `seed`.
pub(crate) fn entries(seed: u64, first: u32, count: u32, start: Ts) -> Vec<LogEntry> {
    const PER_BATCH: u32 = 1000;
    const STEPS: [&str; 8] = [
        "RUN npm ci",
        "RUN npm run build",
        "COPY . /app",
        "RUN npx prisma generate",
        "RUN npm run lint",
        "RUN npm test -- --ci",
        "RUN npx next build",
        "RUN npm prune --omit=dev",
    ];
    (first..first.saturating_add(count))
        .map(|order| {
            let i = order - 1;
            let batch = 2 + i / PER_BATCH;
            let step = STEPS[(batch as usize) % STEPS.len()];
            let x = mix(seed ^ u64::from(order));
            let stderr = x.is_multiple_of(25);
            let output = if stderr {
                format!(
                    "#{batch} {}.{:03} npm warn deprecated package-{:04x}@{}.{}.{}: this version is no longer supported",
                    i / 50,
                    i % 1000,
                    x & 0xffff,
                    x % 9,
                    (x >> 8) % 20,
                    (x >> 16) % 10
                )
            } else {
                format!(
                    "#{batch} {}.{:03} [build {}/8] {step} -- line {order}: added {} packages, audited {} in {}ms",
                    i / 50,
                    i % 1000,
                    batch % 8 + 1,
                    x % 900 + 10,
                    (x >> 12) % 2000 + 100,
                    (x >> 24) % 5000
                )
            };
            LogEntry {
                command: CommandField::Text(format!(
                    "docker exec {HELPER_IMAGE_NAME} bash -c 'cd /artifacts && docker buildx build --progress plain -t app:{batch} .'"
                )),
                output,
                stderr,
                timestamp: start.plus_ms(i64::from(i) * 2),
                hidden: false,
                batch,
                order,
            }
        })
        .collect()
}

/// The helper container's name in the commands of [`entries`].
const HELPER_IMAGE_NAME: &str = "coolify-helper";
