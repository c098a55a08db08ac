//! The runtime (container) logs of applications, databases and services, as `docker logs`
//! shows them: a start banner, then one line a period.

use crate::sim::ids::{Ts, mix};

const PATHS: &[(&str, &str, u16)] = &[
    ("GET", "/", 200),
    ("GET", "/bookings", 200),
    ("GET", "/bookings/", 200),
    ("POST", "/api/bookings", 201),
    ("GET", "/settings", 200),
    ("GET", "/login", 200),
    ("POST", "/auth/callback", 302),
    ("GET", "/api/me", 200),
    ("GET", "/_next/image?url=%2Flogo.png&w=256&q=75", 200),
    ("GET", "/favicon.ico", 200),
    ("GET", "/api/bookings?page=2", 200),
    ("GET", "/reports/monthly", 200),
    ("GET", "/wp-login.php", 404),
    ("PATCH", "/api/bookings/", 200),
    ("GET", "/api/tenants/current", 200),
];

/// What runs in a container.
pub(crate) enum Program<'a> {
    /// An application: `next start` of an npm package.
    NextJs {
        package: &'a str,
        version: &'a str,
        port: &'a str,
    },
    Postgres,
    Redis,
    UptimeKuma,
    /// Any other service image, by name.
    Other(&'a str),
}

/// A running container, for its runtime log.
pub(crate) struct Container<'a> {
    pub seed: u64,
    pub program: Program<'a>,
    pub started: Ts,
}

impl Container<'_> {
    /// The start banner (one entry per line group, 40 ms apart).
    fn banner(&self) -> Vec<String> {
        let (seed, started) = (self.seed, self.started);
        match &self.program {
            Program::NextJs {
                package,
                version,
                port,
            } => vec![
                String::new(),
                format!("> {package}@{version} start"),
                format!("> next start -p {port}"),
                String::new(),
                "  ▲ Next.js 14.2.15".to_string(),
                format!("  - Local:        http://localhost:{port}"),
                String::new(),
                " ✓ Starting...".to_string(),
                format!(" ✓ Ready in {}ms", 300 + (seed % 400)),
            ],
            Program::Postgres => {
                let at = postgres_time(started);
                vec![
                    String::new(),
                    "PostgreSQL Database directory appears to contain a database; Skipping initialization".to_string(),
                    String::new(),
                    format!("{at} [1] LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-musl, compiled by gcc (Alpine 13.2.1_git20240309) 13.2.1 20240309, 64-bit"),
                    format!("{at} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432"),
                    format!("{at} [1] LOG:  listening on IPv6 address \"::\", port 5432"),
                    format!("{at} [1] LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\""),
                    format!("{at} [29] LOG:  database system was shut down at {}", postgres_time(started.minus_secs(9))),
                    format!("{at} [1] LOG:  database system is ready to accept connections"),
                ]
            }
            Program::Redis => {
                let at = redis_time(started);
                vec![
                    format!("1:C {at} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
                    format!(
                        "1:C {at} * Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started"
                    ),
                    format!("1:C {at} * Configuration loaded"),
                    format!("1:M {at} * monotonic clock: POSIX clock_gettime"),
                    format!("1:M {at} * Running mode=standalone, port=6379."),
                    format!("1:M {at} * Server initialized"),
                    format!("1:M {at} * Loading RDB produced by version 7.2.5"),
                    format!(
                        "1:M {at} * Done loading RDB, keys loaded: {}, keys expired: {}.",
                        1000 + seed % 5000,
                        seed % 40
                    ),
                    format!(
                        "1:M {at} * DB loaded from disk: 0.0{:02} seconds",
                        seed % 90 + 3
                    ),
                    format!("1:M {at} * Ready to accept connections tcp"),
                ]
            }
            Program::UptimeKuma => {
                let at = started.iso8601();
                let mut lines = vec![
                    "==> Performing startup jobs and maintenance tasks".to_string(),
                    "==> Starting application with user 0 group 0".to_string(),
                    "Welcome to Uptime Kuma".to_string(),
                    "Your Node.js version: 18.20.4".to_string(),
                ];
                lines.extend(
                    [
                        "Welcome to Uptime Kuma",
                        "Node Env: production",
                        "Inside Container: true",
                        "Importing Node libraries",
                        "Connecting to the Database",
                        "SQLite config:",
                        "Listening on 3001",
                    ]
                    .iter()
                    .map(|l| format!("{at} [SERVER] INFO: {l}")),
                );
                lines
            }
            Program::Other(name) => vec![
                format!("Starting {name}..."),
                format!("{name} is ready, listening on port 3001"),
            ],
        }
    }

    /// How often a periodic line is written.
    fn period_ms(&self) -> i64 {
        match self.program {
            Program::NextJs { .. } => 6_000,
            Program::Postgres => 150_000,
            Program::Redis => 60_000,
            Program::UptimeKuma => 20_000,
            Program::Other(_) => 30_000,
        }
    }

    /// The `k`-th periodic line, written at `at`.
    fn line(&self, k: u64, at: Ts) -> String {
        let h = mix(self.seed ^ k.wrapping_mul(0x2545_f491_4f6c_dd1d));
        match self.program {
            Program::NextJs { .. } => request_line(self.seed, k),
            Program::Postgres if k.is_multiple_of(2) => {
                format!("{} [27] LOG:  checkpoint starting: time", postgres_time(at))
            }
            Program::Postgres => {
                let write_ms = 1_000 + h % 4_000;
                let sync_ms = (h >> 12) % 60;
                let total_ms = write_ms + sync_ms + (h >> 20) % 40;
                format!(
                    "{} [27] LOG:  checkpoint complete: wrote {} buffers ({}.{}%); 0 WAL file(s) added, 0 removed, 0 recycled; write={} s, sync={} s, total={} s",
                    postgres_time(at),
                    10 + h % 400,
                    h % 3,
                    (h >> 8) % 10,
                    seconds(write_ms),
                    seconds(sync_ms),
                    seconds(total_ms)
                )
            }
            Program::Redis => {
                let at = redis_time(at);
                let child = 100 + k * 7 % 9000;
                match k % 4 {
                    0 => format!("1:M {at} * 100 changes in 300 seconds. Saving..."),
                    1 => format!("1:M {at} * Background saving started by pid {child}"),
                    2 => format!("{child}:C {at} * DB saved on disk"),
                    _ => format!("1:M {at} * Background saving terminated with success"),
                }
            }
            Program::UptimeKuma => format!(
                "{} [MONITOR] INFO: Monitor #{} 'W4M {}': Successful Response: {} ms | Interval: 60 seconds | Type: http",
                at.iso8601(),
                1 + k % 3,
                ["web", "api", "status"][(k % 3) as usize],
                20 + h % 300
            ),
            Program::Other(name) => format!("{name}: health check ok ({} ms)", 1 + h % 20),
        }
    }
}

/// Milliseconds as PostgreSQL writes seconds: `4.118`.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// `2026-08-22 10:11:12.123 UTC`, as PostgreSQL stamps its log lines.
fn postgres_time(at: Ts) -> String {
    let iso = at.iso();
    format!("{} {} UTC", &iso[..10], &iso[11..23])
}

/// `22 Aug 2026 10:11:12.123`, as Redis stamps its log lines.
fn redis_time(at: Ts) -> String {
    jiff::Timestamp::from_microsecond(at.0)
        .map(|t| t.strftime("%d %b %Y %H:%M:%S%.3f").to_string())
        .unwrap_or_default()
}

/// What `docker logs -n <lines> [--timestamps]` shows for the container up to `now`: the
/// start banner, then one line a period (for an application about every 6 s: health
/// checks and request logs, a warning now and then).
pub(crate) fn runtime_logs(c: &Container<'_>, now: Ts, lines: usize, timestamps: bool) -> String {
    let banner = c.banner();
    let period = c.period_ms();
    let elapsed = (now.0 - c.started.0).max(0) / 1000;
    let periodic = (elapsed / period) as usize;
    let total = banner.len() + periodic;
    // Every entry is at least one line, so the last `lines` entries hold enough lines.
    let first = total.saturating_sub(lines);
    let mut out: Vec<String> = Vec::with_capacity(lines + 8);
    for i in first..total {
        let (ts, text) = if i < banner.len() {
            (c.started.plus_ms(i as i64 * 40), banner[i].clone())
        } else {
            let k = (i - banner.len()) as u64;
            let at = c.started.plus_ms(1_500 + k as i64 * period);
            (at, c.line(k, at))
        };
        // `docker logs` counts and stamps lines, not log records.
        for line in text.split('\n') {
            if timestamps {
                out.push(format!("{} {line}", ts.iso_nanos()));
            } else {
                out.push(line.to_string());
            }
        }
    }
    let skip = out.len().saturating_sub(lines);
    let mut text = out[skip..].join("\n");
    text.push('\n');
    text
}

fn request_line(seed: u64, k: u64) -> String {
    let h = mix(seed ^ k.wrapping_mul(0x2545_f491_4f6c_dd1d));
    if k.is_multiple_of(2) {
        return format!(" GET /api/health 200 in {}ms", 1 + h % 6);
    }
    if h.is_multiple_of(97) {
        return " ⚠ Warning: fetch to https://api.stripe.com/v1/customers took 2150ms (slow upstream)".to_string();
    }
    if h.is_multiple_of(89) {
        return format!(
            " ⨯ Error: Supabase request failed: JWT expired\n    at getSession (/app/.next/server/chunks/{}.js:1:2287) {{\n  digest: '{}'\n}}",
            300 + h % 600,
            h % 4_000_000_000
        );
    }
    let (method, path, status) = PATHS[(h as usize / 7) % PATHS.len()];
    let path = if path.ends_with('/') && path.len() > 1 {
        format!("{path}{}", 1000 + (h >> 20) % 9000)
    } else {
        path.to_string()
    };
    let ms = 4 + (h >> 8) % 180;
    format!(" {method} {path} {status} in {ms}ms")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_logs_end_now_and_respect_lines() {
        let c = Container {
            seed: 1,
            program: Program::NextJs {
                package: "pf-air",
                version: "1.8.0",
                port: "3000",
            },
            started: Ts(0),
        };
        let text = runtime_logs(&c, Ts(3_600_000_000), 50, false);
        assert_eq!(text.lines().count(), 50);
        let all = runtime_logs(&c, Ts(20_000_000), 10_000, true);
        assert!(all.contains("> next start -p 3000"));
        assert!(all.starts_with("1970-01-01T00:00:00."));
    }
}
