//! Projects and their environments.

use serde_json::json;

use super::routes;
use super::wire::{Created, Environment, Project};
use super::{Client, CoolifyError};

impl Client {
    /// `GET /health`: unauthenticated liveness.
    pub async fn health(&self) -> Result<(), CoolifyError> {
        self.get_text(routes::HEALTH.at([])).await.map(|_| ())
    }

    /// `GET /version`: the server's version, a plain-text body such as `4.3.11`.
    pub async fn version(&self) -> Result<String, CoolifyError> {
        self.get_text(routes::VERSION.at([])).await
    }

    /// `GET /projects`: id, uuid, name and description of every project of the team.
    pub async fn projects(&self) -> Result<Vec<Project>, CoolifyError> {
        self.get_list(routes::PROJECTS.at([])).await
    }

    /// `GET /projects/{uuid}`: one project with its environments.
    pub async fn project(&self, uuid: &str) -> Result<Project, CoolifyError> {
        self.get(routes::PROJECT.at([uuid])).await
    }

    /// `POST /projects`.
    pub async fn create_project(
        &self,
        name: &str,
        description: Option<&str>,
    ) -> Result<Created, CoolifyError> {
        let mut body = json!({ "name": name });
        if let Some(description) = description {
            body["description"] = json!(description);
        }
        self.call(routes::CREATE_PROJECT.at([]), Some(&body)).await
    }

    /// `GET /projects/{uuid}/environments`.
    pub async fn environments(&self, project_uuid: &str) -> Result<Vec<Environment>, CoolifyError> {
        self.get(routes::ENVIRONMENTS.at([project_uuid])).await
    }

    /// `POST /projects/{uuid}/environments`: 409 when the name exists.
    pub async fn create_environment(
        &self,
        project_uuid: &str,
        name: &str,
    ) -> Result<Created, CoolifyError> {
        self.call(
            routes::CREATE_ENVIRONMENT.at([project_uuid]),
            Some(&json!({ "name": name })),
        )
        .await
    }

    /// `GET /projects/{uuid}/{environment_name_or_uuid}`: the environment with its
    /// applications, databases and services.
    pub async fn environment(
        &self,
        project_uuid: &str,
        environment: &str,
    ) -> Result<Environment, CoolifyError> {
        self.get(routes::ENVIRONMENT.at([project_uuid, environment]))
            .await
    }
}
