//! Deploying and reading deployments.

use super::logs::LastLines;
use super::logstream::{PollReader, Polled, WithoutLogs};
use super::routes;
use super::wire::{self, DeployAnswer, List, MessageOrList};
use super::{Client, CoolifyError, Tailer, decode_logs};
use crate::model::{Accepted, DeployQueued, Deployment, DeploymentLog, DeploymentPage, LogLine};

/// What `POST /deploy` should deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployTarget {
    /// Applications, services or databases by uuid.
    Uuids(Vec<String>),
    /// Every resource carrying one of these tags.
    Tags(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployRequest {
    pub target: DeployTarget,
    /// Rebuild without the build cache.
    pub force: bool,
    pub pull_request_id: Option<u64>,
    /// Image tag for docker-image preview deployments (needs `pull_request_id`).
    pub docker_tag: Option<String>,
}

impl DeployRequest {
    pub fn uuids(uuids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            target: DeployTarget::Uuids(uuids.into_iter().map(Into::into).collect()),
            force: false,
            pull_request_id: None,
            docker_tag: None,
        }
    }

    pub fn tags(tags: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            target: DeployTarget::Tags(tags.into_iter().map(Into::into).collect()),
            ..Self::uuids(Vec::<String>::new())
        }
    }

    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

impl Client {
    /// `POST /deploy`.
    pub async fn deploy(&self, request: &DeployRequest) -> Result<Vec<DeployQueued>, CoolifyError> {
        let (key, values) = match &request.target {
            DeployTarget::Uuids(v) => ("uuid", v),
            DeployTarget::Tags(v) => ("tag", v),
        };
        let joined = values.join(",");
        let pr = request.pull_request_id.map(|n| n.to_string());
        let mut params = vec![(key, joined.as_str())];
        if request.force {
            params.push(("force", "true"));
        }
        if let Some(pr) = &pr {
            params.push(("pull_request_id", pr));
        }
        if let Some(tag) = &request.docker_tag {
            params.push(("docker_tag", tag));
        }
        let answer: DeployAnswer = self
            .call(routes::DEPLOY.at([]).query(&params), None::<&()>)
            .await?;
        Ok(normalise(answer))
    }

    /// `GET /deployments`: only queued and in-progress deployments, without their logs
    /// (`logs` is `None`): a running deployment's log can be tens of megabytes, dropped
    /// while it arrives.
    pub async fn running_deployments(&self) -> Result<Vec<Deployment>, CoolifyError> {
        let list = self
            .stream_get(
                &routes::RUNNING_DEPLOYMENTS.at([]),
                WithoutLogs::new,
                |list: List<wire::Deployment>| Ok(list.0),
            )
            .await?;
        Ok(list.iter().map(wire::Deployment::to_model).collect())
    }

    /// `GET /deployments/{uuid}`: one deployment (its log left aside).
    pub async fn deployment(&self, uuid: &str) -> Result<Deployment, CoolifyError> {
        Ok(self.read_deployment(uuid).await?.to_model())
    }

    /// `GET /deployments/{uuid}`: one deployment and its log, withheld unless the token
    /// may read sensitive data.
    pub async fn deployment_with_log(
        &self,
        uuid: &str,
    ) -> Result<(Deployment, DeploymentLog), CoolifyError> {
        let read: wire::Deployment = self.get(routes::DEPLOYMENT.at([uuid])).await?;
        let log = match read.logs.as_ref() {
            None => DeploymentLog::Withheld,
            Some(None) => DeploymentLog::NotYet,
            Some(Some(raw)) => match decode_logs(raw) {
                Ok(entries) => DeploymentLog::Entries(entries),
                Err(e) => DeploymentLog::Unreadable(e.to_string()),
            },
        };
        Ok((read.to_model(), log))
    }

    /// `GET /deployments/{uuid}`: one deployment and the last `lines` lines of its log as
    /// [`super::LineFormatter`] lays it out (hidden entries with `show_hidden`), read while
    /// it arrives: only those lines are ever held, however long the log.
    pub async fn deployment_tail(
        &self,
        uuid: &str,
        lines: usize,
        show_hidden: bool,
    ) -> Result<(Deployment, DeploymentLog<Vec<LogLine>>), CoolifyError> {
        let start = || LastLines::new(lines, show_hidden);
        let polled = self
            .stream_get(
                &routes::DEPLOYMENT.at([uuid]),
                || PollReader::new(start()),
                |deployment: wire::Deployment| Ok(Polled::whole(deployment, start())),
            )
            .await?;
        let Polled {
            deployment,
            fresh,
            log,
        } = polled;
        Ok((deployment.to_model(), log.map(|()| fresh.into_lines())))
    }

    /// `GET /deployments/{uuid}` as Coolify sends it but for its log, dropped while it
    /// arrives: a `logs` key that came reads `Some(None)`, one left out `None`.
    pub(crate) async fn read_deployment(
        &self,
        uuid: &str,
    ) -> Result<wire::Deployment, CoolifyError> {
        self.stream_get(
            &routes::DEPLOYMENT.at([uuid]),
            WithoutLogs::new,
            |deployment: wire::Deployment| Ok(deployment),
        )
        .await
    }

    /// `GET /deployments/{uuid}` as one poll of `tailer`, read while it arrives (see
    /// [`super::logstream`]): the log's entries are offered to the poll one by one, and
    /// the body is never held whole.
    pub(crate) async fn poll_deployment(
        &self,
        uuid: &str,
        tailer: &Tailer,
    ) -> Result<Polled, CoolifyError> {
        let target = routes::DEPLOYMENT.at([uuid]);
        self.stream_get(
            &target,
            || PollReader::new(tailer.poll()),
            |deployment: wire::Deployment| Ok(Polled::whole(deployment, tailer.poll())),
        )
        .await
    }

    /// `GET /deployments/applications/{uuid}`: an application's history, newest first,
    /// without the deployments' logs (`logs` is `None`), dropped while they arrive.
    pub async fn deployment_history(
        &self,
        application_uuid: &str,
        skip: u32,
        take: u32,
    ) -> Result<DeploymentPage, CoolifyError> {
        let target = routes::DEPLOYMENT_HISTORY.at([application_uuid]).query(&[
            ("skip", skip.to_string().as_str()),
            ("take", take.to_string().as_str()),
        ]);
        let page: wire::DeploymentPage = self.stream_get(&target, WithoutLogs::new, Ok).await?;
        Ok(page.into())
    }

    /// `POST /deployments/{uuid}/cancel`: only queued or in-progress deployments.
    pub async fn cancel_deployment(&self, uuid: &str) -> Result<Accepted, CoolifyError> {
        self.accepted::<wire::Accepted>(routes::CANCEL_DEPLOYMENT.at([uuid]))
            .await
    }
}

/// Fold the by-uuid and by-tag answer shapes into one list.
fn normalise(answer: DeployAnswer) -> Vec<DeployQueued> {
    let messages = match answer.message {
        Some(MessageOrList::Many(list)) => list,
        Some(MessageOrList::One(one)) => vec![one],
        None => Vec::new(),
    };
    let entries = if answer.deployments.is_empty() {
        answer.details
    } else {
        answer.deployments
    };
    let mut out: Vec<DeployQueued> = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let message = e
                .message
                .or_else(|| messages.get(i).cloned())
                .unwrap_or_default();
            let deduplicated = message.to_ascii_lowercase().contains("already queued");
            DeployQueued {
                resource_uuid: e.resource_uuid,
                deployment_uuid: e.deployment_uuid.filter(|_| !deduplicated),
                message,
                deduplicated,
            }
        })
        .collect();
    if out.is_empty() {
        out = messages
            .into_iter()
            .map(|message| DeployQueued {
                resource_uuid: None,
                deployment_uuid: None,
                deduplicated: message.to_ascii_lowercase().contains("already queued"),
                message,
            })
            .collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Vec<DeployQueued> {
        normalise(serde_json::from_str(raw).unwrap())
    }

    #[test]
    fn both_answer_shapes_normalise() {
        let by_uuid = parse(
            r#"{"deployments":[{"message":"Application air-dev deployment queued.","resource_uuid":"a","deployment_uuid":"d"}]}"#,
        );
        assert_eq!(by_uuid[0].deployment_uuid.as_deref(), Some("d"));
        assert!(!by_uuid[0].deduplicated);
        let by_tag = parse(
            r#"{"message":["Application a deployment queued.","Application b deployment queued."],
                "details":[{"resource_uuid":"a","deployment_uuid":"d1"},{"resource_uuid":"b","deployment_uuid":"d2"}]}"#,
        );
        assert_eq!(by_tag.len(), 2);
        assert_eq!(by_tag[1].message, "Application b deployment queued.");
    }

    #[test]
    fn a_deduplicated_answer_drops_the_never_stored_uuid() {
        let out = parse(
            r#"{"deployments":[{"message":"Deployment already queued for this commit.","resource_uuid":"a","deployment_uuid":"ghost"}]}"#,
        );
        assert!(out[0].deduplicated);
        assert_eq!(out[0].deployment_uuid, None);
    }
}
