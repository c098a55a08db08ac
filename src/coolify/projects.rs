//! Projects and their environments.

use serde_json::json;

use super::routes;
use super::wire;
use super::{Client, CoolifyError};
use crate::model::{Environment, Project};

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
        let list: Vec<wire::Project> = self.get_list(routes::PROJECTS.at([])).await?;
        Ok(list.into_iter().map(wire::Project::into_model).collect())
    }

    /// `GET /projects/{uuid}`: one project with its environments.
    pub async fn project(&self, uuid: &str) -> Result<Project, CoolifyError> {
        let project: wire::Project = self.get(routes::PROJECT.at([uuid])).await?;
        Ok(project.into_model())
    }

    /// `POST /projects`: the new project's uuid.
    pub async fn create_project(
        &self,
        name: &str,
        description: Option<&str>,
    ) -> Result<String, CoolifyError> {
        let mut body = json!({ "name": name });
        if let Some(description) = description {
            body["description"] = json!(description);
        }
        let created: wire::Created = self
            .call(routes::CREATE_PROJECT.at([]), Some(&body))
            .await?;
        Ok(created.into())
    }

    /// `GET /projects/{uuid}/environments`.
    pub async fn environments(&self, project_uuid: &str) -> Result<Vec<Environment>, CoolifyError> {
        let list: Vec<wire::Environment> =
            self.get(routes::ENVIRONMENTS.at([project_uuid])).await?;
        Ok(list
            .into_iter()
            .map(wire::Environment::into_model)
            .collect())
    }

    /// `POST /projects/{uuid}/environments`: the new environment's uuid; 409 when the
    /// name exists.
    pub async fn create_environment(
        &self,
        project_uuid: &str,
        name: &str,
    ) -> Result<String, CoolifyError> {
        let created: wire::Created = self
            .call(
                routes::CREATE_ENVIRONMENT.at([project_uuid]),
                Some(&json!({ "name": name })),
            )
            .await?;
        Ok(created.into())
    }

    /// `GET /projects/{uuid}/{environment_name_or_uuid}`: the environment with its
    /// applications, databases and services.
    pub async fn environment(
        &self,
        project_uuid: &str,
        environment: &str,
    ) -> Result<Environment, CoolifyError> {
        let found: wire::Environment = self
            .get(routes::ENVIRONMENT.at([project_uuid, environment]))
            .await?;
        Ok(found.into_model())
    }
}
