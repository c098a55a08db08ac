//! Servers, databases and services.

use serde_json::json;

use super::routes;
use super::wire;
use super::{Client, CoolifyError};
use crate::http::Route;
use crate::model::{Accepted, Resource, Server, ServerDomains, ServerResource};

/// A lifecycle action on a database or service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    Start,
    Stop,
    Restart,
}

impl Lifecycle {
    /// The route of this action on one of `[start, stop, restart]`.
    fn route(self, routes: [Route<1>; 3]) -> Route<1> {
        let [start, stop, restart] = routes;
        match self {
            Self::Start => start,
            Self::Stop => stop,
            Self::Restart => restart,
        }
    }
}

impl Client {
    /// `GET /servers`.
    pub async fn servers(&self) -> Result<Vec<Server>, CoolifyError> {
        let list: Vec<wire::Server> = self.get_list(routes::SERVERS.at([])).await?;
        Ok(list.iter().map(wire::Server::to_model).collect())
    }

    /// `GET /servers/{uuid}`.
    pub async fn server(&self, uuid: &str) -> Result<Server, CoolifyError> {
        let server: wire::Server = self.get(routes::SERVER.at([uuid])).await?;
        Ok(server.to_model())
    }

    /// `GET /servers/{uuid}/resources`: everything running on a server, with its type.
    pub async fn server_resources(&self, uuid: &str) -> Result<Vec<ServerResource>, CoolifyError> {
        let list: Vec<wire::ServerResource> =
            self.get_list(routes::SERVER_RESOURCES.at([uuid])).await?;
        Ok(list
            .into_iter()
            .map(wire::ServerResource::into_model)
            .collect())
    }

    /// `GET /servers/{uuid}/domains`.
    pub async fn server_domains(&self, uuid: &str) -> Result<Vec<ServerDomains>, CoolifyError> {
        let list: Vec<wire::ServerDomains> = self.get(routes::SERVER_DOMAINS.at([uuid])).await?;
        Ok(list.into_iter().map(ServerDomains::from).collect())
    }

    /// `POST /servers/{uuid}/validate`: starts an asynchronous check; re-read the server for
    /// the result.
    pub async fn validate_server(&self, uuid: &str) -> Result<Accepted, CoolifyError> {
        let answer: wire::Message = self
            .call(routes::VALIDATE_SERVER.at([uuid]), Some(&json!({})))
            .await?;
        Ok(answer.into())
    }

    /// `GET /databases`.
    pub async fn databases(&self) -> Result<Vec<Resource>, CoolifyError> {
        let list: Vec<wire::Database> = self.get_list(routes::DATABASES.at([])).await?;
        Ok(list.into_iter().map(|d| d.into_resource(None)).collect())
    }

    /// `GET /databases/{uuid}`.
    pub async fn database(&self, uuid: &str) -> Result<Resource, CoolifyError> {
        let database: wire::Database = self.get(routes::DATABASE.at([uuid])).await?;
        Ok(database.into_resource(None))
    }

    /// `POST /databases/{uuid}/start|stop|restart`.
    pub async fn database_action(
        &self,
        uuid: &str,
        action: Lifecycle,
    ) -> Result<Accepted, CoolifyError> {
        let route = action.route([
            routes::START_DATABASE,
            routes::STOP_DATABASE,
            routes::RESTART_DATABASE,
        ]);
        self.accepted::<wire::Message>(route.at([uuid])).await
    }

    /// `GET /services`.
    pub async fn services(&self) -> Result<Vec<Resource>, CoolifyError> {
        let list: Vec<wire::Service> = self.get_list(routes::SERVICES.at([])).await?;
        Ok(list.into_iter().map(|s| s.into_resource(None)).collect())
    }

    /// `GET /services/{uuid}`.
    pub async fn service(&self, uuid: &str) -> Result<Resource, CoolifyError> {
        let service: wire::Service = self.get(routes::SERVICE.at([uuid])).await?;
        Ok(service.into_resource(None))
    }

    /// `POST /services/{uuid}/start|stop|restart`.
    pub async fn service_action(
        &self,
        uuid: &str,
        action: Lifecycle,
    ) -> Result<Accepted, CoolifyError> {
        let route = action.route([
            routes::START_SERVICE,
            routes::STOP_SERVICE,
            routes::RESTART_SERVICE,
        ]);
        self.accepted::<wire::Message>(route.at([uuid])).await
    }
}
