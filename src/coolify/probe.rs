//! Probing a server and a token without changing anything: what the token may do (read,
//! write, deploy, sensitive reads) and how far the server's clock is from ours.
//!
//! The write and deploy probes send requests for a resource uuid that cannot exist: Coolify
//! checks the token's ability before looking the resource up, so `403 Missing required
//! permissions` means the ability is missing and any other answer (404 above all) means it
//! is there. Nothing is ever deployed or changed.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use reqwest::header::DATE;

use super::client::TEXT;
use super::routes;
use super::{Client, CoolifyError, DeployRequest};
use crate::model::{Abilities, Ability, ClockSkew, Resource};

impl Client {
    /// Compare the server's clock (the `Date` header of its answer to `GET /version`) with
    /// ours.
    pub async fn clock_skew(&self) -> Result<ClockSkew, CoolifyError> {
        let sent = Timestamp::now();
        let started = Instant::now();
        let answer = self
            .send(&routes::VERSION.at([]).accepting(TEXT), None::<&()>)
            .await?;
        let received = sent
            .checked_add(SignedDuration::try_from(started.elapsed()).unwrap_or_default())
            .unwrap_or(sent);
        let date = answer
            .headers
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| CoolifyError::Decode {
                endpoint: "/version".into(),
                detail: "the answer has no Date header, so the clocks cannot be compared".into(),
            })?;
        ClockSkew::from_date_header(date, sent, received).map_err(|detail| CoolifyError::Decode {
            endpoint: "/version".into(),
            detail,
        })
    }

    /// Probe what this client's token may do, changing nothing. Fails only when the token is
    /// rejected outright or the server cannot be reached.
    pub async fn probe_abilities(&self) -> Result<Abilities, CoolifyError> {
        let read = match self.applications(None).await {
            Ok(apps) => Ok(apps),
            Err(CoolifyError::MissingPermission { .. }) => Err(Ability::No),
            Err(e) if is_fatal(&e) => return Err(e),
            Err(e) => Err(Ability::Unknown(e.to_string())),
        };
        let bogus = format!("pftui-probe-{}", uuid::Uuid::new_v4().simple());
        let deploy = verdict(self.deploy(&DeployRequest::uuids([bogus.clone()])).await)?;
        let write = verdict(
            self.call::<serde_json::Value, _>(
                routes::UPDATE_APPLICATION.at([&bogus]),
                Some(&serde_json::json!({})),
            )
            .await,
        )?;
        let sensitive = match &read {
            Ok(apps) => self.probe_sensitive(apps).await?,
            Err(_) => Ability::Unknown("the token cannot read".into()),
        };
        Ok(Abilities {
            read: match read {
                Ok(_) => Ability::Yes,
                Err(a) => a,
            },
            write,
            deploy,
            sensitive,
        })
    }

    /// Whether a deployment's `logs` key comes back: look at the newest deployment of the
    /// first application that has one.
    async fn probe_sensitive(&self, apps: &[Resource]) -> Result<Ability, CoolifyError> {
        for app in apps.iter().take(5) {
            let page = match self.deployment_history(&app.uuid, 0, 1).await {
                Ok(page) => page,
                Err(e) if is_fatal(&e) => return Err(e),
                Err(_) => continue,
            };
            let Some(newest) = page.deployments.first() else {
                continue;
            };
            return match self.read_deployment(&newest.uuid).await {
                Ok(d) if d.logs.is_some() => Ok(Ability::Yes),
                Ok(_) => Ok(Ability::No),
                Err(CoolifyError::MissingPermission { .. }) => Ok(Ability::No),
                Err(e) if is_fatal(&e) => Err(e),
                Err(e) => Ok(Ability::Unknown(e.to_string())),
            };
        }
        Ok(Ability::Unknown("no deployment to look at yet".into()))
    }
}

/// The ability is missing only when Coolify says so; any other refusal of the bogus
/// resource means the ability check passed.
fn verdict<T>(result: Result<T, CoolifyError>) -> Result<Ability, CoolifyError> {
    match result {
        Ok(_) => Ok(Ability::Yes),
        Err(CoolifyError::MissingPermission { .. }) => Ok(Ability::No),
        Err(e) if is_fatal(&e) => Err(e),
        Err(
            CoolifyError::NotFound { .. }
            | CoolifyError::Validation { .. }
            | CoolifyError::BadRequest { .. }
            | CoolifyError::Conflict { .. },
        ) => Ok(Ability::Yes),
        Err(e) => Ok(Ability::Unknown(e.to_string())),
    }
}

/// Errors that end the probe: the token or the server is unusable.
fn is_fatal(e: &CoolifyError) -> bool {
    matches!(
        e,
        CoolifyError::Unauthorized { .. }
            | CoolifyError::ApiDisabled { .. }
            | CoolifyError::Transport(_)
            | CoolifyError::InvalidUrl { .. }
            | CoolifyError::NotJson { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn abilities_and_clock_against_the_simulator() {
        let sim = crate::sim::start(crate::sim::SimConfig::default())
            .await
            .unwrap();
        sim.control().add_token("5|probe-reader", &["read"]);
        sim.control()
            .add_token("6|probe-auditor", &["read", "read:sensitive"]);
        sim.control().add_token("7|probe-deployer", &["deploy"]);
        let client = |t: &str| Client::new(&sim.coolify_url(), t.to_string().into()).unwrap();
        let all = Abilities {
            read: Ability::Yes,
            write: Ability::Yes,
            deploy: Ability::Yes,
            sensitive: Ability::Yes,
        };
        assert_eq!(client(sim.token()).probe_abilities().await.unwrap(), all);
        let reader = client("5|probe-reader").probe_abilities().await.unwrap();
        assert_eq!(
            (
                &reader.read,
                &reader.write,
                &reader.deploy,
                &reader.sensitive
            ),
            (&Ability::Yes, &Ability::No, &Ability::No, &Ability::No)
        );
        let auditor = client("6|probe-auditor").probe_abilities().await.unwrap();
        assert_eq!(
            (&auditor.deploy, &auditor.sensitive),
            (&Ability::No, &Ability::Yes)
        );
        let deployer = client("7|probe-deployer").probe_abilities().await.unwrap();
        assert_eq!(
            (&deployer.read, &deployer.deploy),
            (&Ability::No, &Ability::Yes)
        );
        assert!(matches!(deployer.sensitive, Ability::Unknown(_)));
        // Nothing was deployed by the probes.
        assert!(
            client(sim.token())
                .running_deployments()
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            client("9|nobody").probe_abilities().await,
            Err(CoolifyError::Unauthorized { .. })
        ));
        // Same machine, same clock: within the Date header's resolution and the request.
        let skew = client(sim.token()).clock_skew().await.unwrap();
        assert!(skew.seconds().abs() < 60, "{skew:?}");
    }

    #[test]
    fn only_a_missing_permission_means_no() {
        let missing = CoolifyError::MissingPermission {
            ability: "deploy".into(),
        };
        assert_eq!(verdict::<()>(Err(missing)).unwrap(), Ability::No);
        let not_found = CoolifyError::NotFound {
            subject: None,
            request: "GET /servers".into(),
            message: "No resources found.".into(),
        };
        assert_eq!(verdict::<()>(Err(not_found)).unwrap(), Ability::Yes);
        let unauthorized = CoolifyError::Unauthorized {
            message: "Unauthenticated.".into(),
        };
        assert!(verdict::<()>(Err(unauthorized)).is_err());
        let odd = CoolifyError::Server {
            status: 500,
            message: "boom".into(),
        };
        assert!(matches!(
            verdict::<()>(Err(odd)).unwrap(),
            Ability::Unknown(_)
        ));
    }
}
