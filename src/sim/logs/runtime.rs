//! The runtime (container) logs of applications, as `docker logs` shows them.

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

/// A running application container, for its runtime log.
pub(crate) struct Container<'a> {
    pub seed: u64,
    pub package: &'a str,
    pub version: &'a str,
    pub port: &'a str,
    pub started: Ts,
}

/// What `docker logs -n <lines> [--timestamps]` shows for a running Next.js container
/// started at `started`, up to `now`: the start banner, then one line about every 6 s
/// (health checks and request logs, a warning now and then).
pub(crate) fn runtime_logs(c: &Container<'_>, now: Ts, lines: usize, timestamps: bool) -> String {
    let (seed, package, version, port, started) = (c.seed, c.package, c.version, c.port, c.started);
    let banner = [
        String::new(),
        format!("> {package}@{version} start"),
        format!("> next start -p {port}"),
        String::new(),
        "  ▲ Next.js 14.2.15".to_string(),
        format!("  - Local:        http://localhost:{port}"),
        String::new(),
        " ✓ Starting...".to_string(),
        format!(" ✓ Ready in {}ms", 300 + (seed % 400)),
    ];
    const PERIOD_MS: i64 = 6_000;
    let elapsed = (now.0 - started.0).max(0) / 1000;
    let periodic = (elapsed / PERIOD_MS) as usize;
    let total = banner.len() + periodic;
    // Every entry is at least one line, so the last `lines` entries hold enough lines.
    let first = total.saturating_sub(lines);
    let mut out: Vec<String> = Vec::with_capacity(lines + 8);
    for i in first..total {
        let (ts, text) = if i < banner.len() {
            (started.plus_ms(i as i64 * 40), banner[i].clone())
        } else {
            let k = (i - banner.len()) as u64;
            let at = started.plus_ms(1_500 + k as i64 * PERIOD_MS);
            (at, request_line(seed, k))
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
            package: "pf-air",
            version: "1.8.0",
            port: "3000",
            started: Ts(0),
        };
        let text = runtime_logs(&c, Ts(3_600_000_000), 50, false);
        assert_eq!(text.lines().count(), 50);
        let all = runtime_logs(&c, Ts(20_000_000), 10_000, true);
        assert!(all.contains("> next start -p 3000"));
        assert!(all.starts_with("1970-01-01T00:00:00."));
    }
}
