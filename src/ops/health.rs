//! Is the app answering? Its public URL plus health check path, tried a few times.

use std::time::Duration;

use serde::Serialize;

use crate::settings::HealthCheck;

/// The result of a health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthReport {
    pub url: String,
    pub ok: bool,
    pub attempts: u32,
    /// `HTTP 200`, `HTTP 503`, or why there was no answer.
    pub detail: String,
}

/// Checks health URLs; `via` sends them through a proxy base instead (the simulator serves
/// its apps' health at `<via>/<host>/<path>`).
#[derive(Debug, Clone)]
pub struct HealthProbe {
    http: reqwest::Client,
    via: Option<String>,
    tries: u32,
    interval: Duration,
}

impl HealthProbe {
    pub fn new(settings: &HealthCheck, via: Option<String>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs_f64(settings.timeout))
            .user_agent(concat!(
                "pftui/",
                env!("CARGO_PKG_VERSION"),
                " health-check"
            ))
            .build()
            .unwrap_or_default();
        Self {
            http,
            via: via.map(|v| v.trim_end_matches('/').to_string()),
            tries: settings.tries.max(1),
            interval: Duration::from_secs_f64(settings.interval),
        }
    }

    /// Where a request for `url` really goes.
    fn address(&self, url: &str) -> String {
        match &self.via {
            Some(via) => {
                let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
                format!("{via}/{rest}")
            }
            None => url.to_string(),
        }
    }

    /// Try `url` until it answers 2xx or the tries run out.
    pub async fn check(&self, url: &str) -> HealthReport {
        let address = self.address(url);
        let mut detail = String::new();
        for attempt in 1..=self.tries {
            if attempt > 1 {
                tokio::time::sleep(self.interval).await;
            }
            match self.http.get(&address).send().await {
                Ok(response) if response.status().is_success() => {
                    return HealthReport {
                        url: url.to_string(),
                        ok: true,
                        attempts: attempt,
                        detail: format!("HTTP {}", response.status().as_u16()),
                    };
                }
                Ok(response) => detail = format!("HTTP {}", response.status().as_u16()),
                Err(e) if e.is_timeout() => detail = "no answer in time".into(),
                Err(e) if e.is_connect() => detail = "cannot connect".into(),
                Err(e) => detail = e.to_string(),
            }
        }
        HealthReport {
            url: url.to_string(),
            ok: false,
            attempts: self.tries,
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn via_rewrites_the_address() {
        let probe = HealthProbe::new(
            &HealthCheck::default(),
            Some("http://127.0.0.1:9/_sim/health/".into()),
        );
        assert_eq!(
            probe.address("https://staging.air.pfcore.io/api/health"),
            "http://127.0.0.1:9/_sim/health/staging.air.pfcore.io/api/health"
        );
        let direct = HealthProbe::new(&HealthCheck::default(), None);
        assert_eq!(direct.address("https://a.io/x"), "https://a.io/x");
    }

    #[tokio::test]
    async fn an_unreachable_app_fails_after_its_tries() {
        let settings = HealthCheck {
            tries: 2,
            interval: 0.0,
            timeout: 1.0,
        };
        let health = HealthProbe::new(&settings, None)
            .check("http://127.0.0.1:9/api/health")
            .await;
        assert!(!health.ok);
        assert_eq!(health.attempts, 2);
        assert_eq!(health.detail, "cannot connect");
    }
}
