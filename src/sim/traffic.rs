//! What the simulator does to requests themselves, apart from the world they read: the
//! scripted faults, the rate limit and the record of the paths served and the credentials
//! they carried. Every request passes
//! through here, so it has its own short-held lock and never waits behind a request that is
//! reading the world.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// How many distinct method and path pairs are remembered.
const SEEN_LIMIT: usize = 100_000;

/// A scripted misbehaviour (as given by a `Fault` or `POST /_sim/faults`), with an optional
/// delay and an optional canned response.
#[derive(Debug, Clone)]
pub(crate) struct FaultRule {
    pub method: Option<String>,
    pub path_prefix: String,
    pub remaining: Option<u32>,
    pub delay: Option<Duration>,
    pub respond: Option<CannedResponse>,
}

#[derive(Debug, Clone)]
pub(crate) struct CannedResponse {
    pub status: u16,
    pub content_type: String,
    pub body: String,
    pub headers: Vec<(String, String)>,
    /// Sent over and over after `body`, never ending (a server streaming without end).
    pub repeat: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct RateWindow {
    pub started: Instant,
    pub count: u32,
}

/// Faults, rate windows and the paths served.
#[derive(Debug, Default)]
pub(crate) struct Traffic {
    pub faults: Vec<FaultRule>,
    /// Every distinct method and path served (outside `/_sim/`), for contract tests.
    pub seen: BTreeSet<(String, String)>,
    /// Every distinct `Authorization` header received (outside `/_sim/`): only the server
    /// can tell which credential reached it.
    pub authorizations: BTreeSet<String>,
    pub rate_limit: Option<u32>,
    pub rate_windows: HashMap<String, RateWindow>,
}

impl Traffic {
    /// Note a request and the credential it carried, then take the first fault that
    /// matches it.
    pub(crate) fn take_fault(
        &mut self,
        method: &str,
        path: &str,
        authorization: Option<&str>,
    ) -> Option<FaultRule> {
        if self.seen.len() < SEEN_LIMIT {
            self.seen.insert((method.to_string(), path.to_string()));
        }
        if let Some(auth) = authorization
            && self.authorizations.len() < SEEN_LIMIT
        {
            self.authorizations.insert(auth.to_string());
        }
        self.take_fault_unrecorded(method, path)
    }

    /// Take the first fault that matches a request without noting the request (for the
    /// simulated apps' health endpoints, which are not part of any API).
    pub(crate) fn take_fault_unrecorded(&mut self, method: &str, path: &str) -> Option<FaultRule> {
        let pos = self.faults.iter().position(|f| {
            path.starts_with(&f.path_prefix)
                && f.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && f.remaining != Some(0)
        })?;
        let rule = self.faults[pos].clone();
        if let Some(n) = &mut self.faults[pos].remaining {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.faults.remove(pos);
            }
        }
        Some(rule)
    }

    /// Count a request against the token's window: Ok(remaining) or Err(seconds to wait).
    pub(crate) fn rate_check(&mut self, token: &str) -> Option<Result<(u32, u32), u64>> {
        let limit = self.rate_limit?;
        let now = Instant::now();
        let w = self
            .rate_windows
            .entry(token.to_string())
            .or_insert(RateWindow {
                started: now,
                count: 0,
            });
        if now.duration_since(w.started) >= Duration::from_secs(60) {
            w.started = now;
            w.count = 0;
        }
        if w.count >= limit {
            let wait = 60u64
                .saturating_sub(now.duration_since(w.started).as_secs())
                .max(1);
            return Some(Err(wait));
        }
        w.count += 1;
        Some(Ok((limit, limit - w.count)))
    }
}
