//! Servers, databases and services.

use serde_json::json;

use super::routes;
use super::wire::{Database, Message, Server, ServerDomains, ServerResource, Service};
use super::{Client, CoolifyError};
use crate::http::Route;

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
        self.get_list(routes::SERVERS.at([])).await
    }

    /// `GET /servers/{uuid}`.
    pub async fn server(&self, uuid: &str) -> Result<Server, CoolifyError> {
        self.get(routes::SERVER.at([uuid])).await
    }

    /// `GET /servers/{uuid}/resources`: everything running on a server, with its type.
    pub async fn server_resources(&self, uuid: &str) -> Result<Vec<ServerResource>, CoolifyError> {
        self.get_list(routes::SERVER_RESOURCES.at([uuid])).await
    }

    /// `GET /servers/{uuid}/domains`.
    pub async fn server_domains(&self, uuid: &str) -> Result<Vec<ServerDomains>, CoolifyError> {
        self.get(routes::SERVER_DOMAINS.at([uuid])).await
    }

    /// `POST /servers/{uuid}/validate`: starts an asynchronous check; re-read the server for
    /// the result.
    pub async fn validate_server(&self, uuid: &str) -> Result<Message, CoolifyError> {
        self.call(routes::VALIDATE_SERVER.at([uuid]), Some(&json!({})))
            .await
    }

    /// `GET /databases`.
    pub async fn databases(&self) -> Result<Vec<Database>, CoolifyError> {
        self.get_list(routes::DATABASES.at([])).await
    }

    /// `GET /databases/{uuid}`.
    pub async fn database(&self, uuid: &str) -> Result<Database, CoolifyError> {
        self.get(routes::DATABASE.at([uuid])).await
    }

    /// `POST /databases/{uuid}/start|stop|restart`.
    pub async fn database_action(
        &self,
        uuid: &str,
        action: Lifecycle,
    ) -> Result<Message, CoolifyError> {
        let route = action.route([
            routes::START_DATABASE,
            routes::STOP_DATABASE,
            routes::RESTART_DATABASE,
        ]);
        self.call(route.at([uuid]), None::<&()>).await
    }

    /// `GET /services`.
    pub async fn services(&self) -> Result<Vec<Service>, CoolifyError> {
        self.get_list(routes::SERVICES.at([])).await
    }

    /// `GET /services/{uuid}`.
    pub async fn service(&self, uuid: &str) -> Result<Service, CoolifyError> {
        self.get(routes::SERVICE.at([uuid])).await
    }

    /// `POST /services/{uuid}/start|stop|restart`.
    pub async fn service_action(
        &self,
        uuid: &str,
        action: Lifecycle,
    ) -> Result<Message, CoolifyError> {
        let route = action.route([
            routes::START_SERVICE,
            routes::STOP_SERVICE,
            routes::RESTART_SERVICE,
        ]);
        self.call(route.at([uuid]), None::<&()>).await
    }
}
