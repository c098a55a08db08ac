//! Applications: read, update, lifecycle actions, container logs, environment variables and
//! rollback.

use std::collections::BTreeMap;

use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, Serializer};
use serde_json::json;

use super::routes;
use super::wire::{self, ContainerLogs};
use super::{Client, CoolifyError};
use crate::model::{Accepted, AppSettings, EnvVar, Resource, RollbackImages, Setting};

/// A partial update of an application (`PATCH /applications/{uuid}`); `None` fields are
/// left alone.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApplicationPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
    /// A commit to pin, or `HEAD` to follow the branch again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit_sha: Option<String>,
    /// Comma-separated URLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domains: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_registry_image_tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instant_deploy: Option<bool>,
    /// The settings the platform configuration manages, by their API names.
    #[serde(flatten)]
    pub settings: BTreeMap<&'static str, serde_json::Value>,
}

impl ApplicationPatch {
    /// A patch of the managed settings alone.
    pub fn of_settings(settings: impl IntoIterator<Item = (Setting, serde_json::Value)>) -> Self {
        Self {
            settings: settings
                .into_iter()
                .map(|(s, v)| (s.api_name(), v))
                .collect(),
            ..Self::default()
        }
    }
}

/// An environment variable to create or update. The value stays secret until it is written
/// into the request body.
#[derive(Debug, Clone)]
pub struct EnvVarInput {
    pub key: String,
    pub value: SecretString,
    pub is_preview: bool,
    pub is_literal: bool,
    pub is_multiline: bool,
    pub is_shown_once: bool,
    pub comment: Option<String>,
}

impl EnvVarInput {
    pub fn new(key: &str, value: SecretString) -> Self {
        Self {
            key: key.to_string(),
            value,
            is_preview: false,
            is_literal: false,
            is_multiline: false,
            is_shown_once: false,
            comment: None,
        }
    }
}

impl Serialize for EnvVarInput {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut body = json!({
            "key": self.key,
            "value": self.value.expose_secret(),
            "is_preview": self.is_preview,
            "is_literal": self.is_literal,
            "is_multiline": self.is_multiline,
            "is_shown_once": self.is_shown_once,
        });
        if let Some(comment) = &self.comment {
            body["comment"] = json!(comment);
        }
        body.serialize(serializer)
    }
}

impl Client {
    /// `GET /applications`, optionally only those with a tag.
    pub async fn applications(&self, tag: Option<&str>) -> Result<Vec<Resource>, CoolifyError> {
        let target = routes::APPLICATIONS.at([]);
        let list: Vec<wire::Application> = match tag {
            Some(tag) => self.get_list(target.query(&[("tag", tag)])).await?,
            None => self.get_list(target).await?,
        };
        Ok(list.into_iter().map(|a| a.into_resource(None)).collect())
    }

    /// `GET /applications/{uuid}`.
    pub async fn application(&self, uuid: &str) -> Result<Resource, CoolifyError> {
        let app: wire::Application = self.get(routes::APPLICATION.at([uuid])).await?;
        Ok(app.into_resource(None))
    }

    /// `GET /applications/{uuid}`: the settings the platform configuration manages.
    pub async fn application_settings(&self, uuid: &str) -> Result<AppSettings, CoolifyError> {
        let app: wire::Application = self.get(routes::APPLICATION.at([uuid])).await?;
        Ok(app.settings())
    }

    /// `PATCH /applications/{uuid}`: the application's uuid.
    pub async fn update_application(
        &self,
        uuid: &str,
        patch: &ApplicationPatch,
    ) -> Result<String, CoolifyError> {
        let updated: wire::Created = self
            .call(routes::UPDATE_APPLICATION.at([uuid]), Some(patch))
            .await?;
        Ok(updated.into())
    }

    /// `POST /applications/{uuid}/start`: a deployment; `instant` skips the queue.
    pub async fn start_application(
        &self,
        uuid: &str,
        force: bool,
        instant: bool,
    ) -> Result<Accepted, CoolifyError> {
        let target = routes::START_APPLICATION.at([uuid]).query(&[
            ("force", bool_str(force)),
            ("instant_deploy", bool_str(instant)),
        ]);
        self.accepted::<wire::Accepted>(target).await
    }

    /// `POST /applications/{uuid}/stop`.
    pub async fn stop_application(&self, uuid: &str) -> Result<Accepted, CoolifyError> {
        let target = routes::STOP_APPLICATION
            .at([uuid])
            .query(&[("docker_cleanup", "true")]);
        self.accepted::<wire::Message>(target).await
    }

    /// `POST /applications/{uuid}/restart`: a restart-only deployment.
    pub async fn restart_application(&self, uuid: &str) -> Result<Accepted, CoolifyError> {
        self.accepted::<wire::Accepted>(routes::RESTART_APPLICATION.at([uuid]))
            .await
    }

    /// `GET /applications/{uuid}/logs`: the last `lines` lines of the running container.
    pub async fn container_logs(
        &self,
        uuid: &str,
        lines: u32,
        timestamps: bool,
    ) -> Result<String, CoolifyError> {
        let target = routes::CONTAINER_LOGS.at([uuid]).query(&[
            ("lines", lines.to_string().as_str()),
            ("show_timestamps", bool_str(timestamps)),
        ]);
        let logs: ContainerLogs = self.get(target).await?;
        Ok(logs.logs.unwrap_or_default())
    }

    /// `GET /applications/{uuid}/envs`.
    pub async fn env_vars(&self, uuid: &str) -> Result<Vec<EnvVar>, CoolifyError> {
        let vars: Vec<wire::EnvVar> = self.get(routes::ENV_VARS.at([uuid])).await?;
        Ok(vars.into_iter().map(EnvVar::from).collect())
    }

    /// `POST /applications/{uuid}/envs`: the new variable's uuid; 409 when the key exists.
    pub async fn create_env_var(
        &self,
        uuid: &str,
        var: &EnvVarInput,
    ) -> Result<String, CoolifyError> {
        let created: wire::Created = self
            .call(routes::CREATE_ENV_VAR.at([uuid]), Some(var))
            .await?;
        Ok(created.into())
    }

    /// `PATCH /applications/{uuid}/envs`: update by key; 404 when it does not exist.
    pub async fn update_env_var(
        &self,
        uuid: &str,
        var: &EnvVarInput,
    ) -> Result<EnvVar, CoolifyError> {
        let updated: wire::EnvVar = self
            .call(routes::UPDATE_ENV_VAR.at([uuid]), Some(var))
            .await?;
        Ok(updated.into())
    }

    /// `PATCH /applications/{uuid}/envs/bulk`: create or update many; never deletes.
    pub async fn upsert_env_vars(
        &self,
        uuid: &str,
        vars: &[EnvVarInput],
    ) -> Result<serde_json::Value, CoolifyError> {
        self.call(
            routes::UPSERT_ENV_VARS.at([uuid]),
            Some(&json!({ "data": vars })),
        )
        .await
    }

    /// `DELETE /applications/{uuid}/envs/{env_uuid}`.
    pub async fn delete_env_var(
        &self,
        uuid: &str,
        env_uuid: &str,
    ) -> Result<Accepted, CoolifyError> {
        self.accepted::<wire::Message>(routes::DELETE_ENV_VAR.at([uuid, env_uuid]))
            .await
    }

    /// `GET /applications/{uuid}/rollback-images` (Coolify 4.3+).
    pub async fn rollback_images(&self, uuid: &str) -> Result<RollbackImages, CoolifyError> {
        let images: wire::RollbackImages = self.get(routes::ROLLBACK_IMAGES.at([uuid])).await?;
        Ok(images.into())
    }

    /// `POST /applications/{uuid}/rollback` (Coolify 4.3+): redeploy the image of `commit`.
    pub async fn rollback(&self, uuid: &str, commit: &str) -> Result<Accepted, CoolifyError> {
        let queued: wire::Accepted = self
            .call(
                routes::ROLLBACK.at([uuid]),
                Some(&json!({ "commit": commit })),
            )
            .await?;
        Ok(queued.into())
    }
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}
