//! Servers, databases and services.

use serde_json::json;

use super::wire::{Database, Message, Server, ServerDomains, ServerResource, Service};
use super::{Client, CoolifyError, path_segment};

/// A lifecycle action on a database or service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    Start,
    Stop,
    Restart,
}

impl Lifecycle {
    fn path(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Restart => "restart",
        }
    }
}

impl Client {
    /// `GET /servers`.
    pub async fn servers(&self) -> Result<Vec<Server>, CoolifyError> {
        self.get_list("/servers").await
    }

    /// `GET /servers/{uuid}`.
    pub async fn server(&self, uuid: &str) -> Result<Server, CoolifyError> {
        self.get(&format!("/servers/{}", path_segment(uuid))).await
    }

    /// `GET /servers/{uuid}/resources`: everything running on a server, with its type.
    pub async fn server_resources(&self, uuid: &str) -> Result<Vec<ServerResource>, CoolifyError> {
        self.get_list(&format!("/servers/{}/resources", path_segment(uuid)))
            .await
    }

    /// `GET /servers/{uuid}/domains`.
    pub async fn server_domains(&self, uuid: &str) -> Result<Vec<ServerDomains>, CoolifyError> {
        self.get(&format!("/servers/{}/domains", path_segment(uuid)))
            .await
    }

    /// `POST /servers/{uuid}/validate`: starts an asynchronous check; re-read the server for
    /// the result.
    pub async fn validate_server(&self, uuid: &str) -> Result<Message, CoolifyError> {
        self.post(
            &format!("/servers/{}/validate", path_segment(uuid)),
            Some(&json!({})),
        )
        .await
    }

    /// `GET /databases`.
    pub async fn databases(&self) -> Result<Vec<Database>, CoolifyError> {
        self.get_list("/databases").await
    }

    /// `GET /databases/{uuid}`.
    pub async fn database(&self, uuid: &str) -> Result<Database, CoolifyError> {
        self.get(&format!("/databases/{}", path_segment(uuid)))
            .await
    }

    /// `POST /databases/{uuid}/start|stop|restart`.
    pub async fn database_action(
        &self,
        uuid: &str,
        action: Lifecycle,
    ) -> Result<Message, CoolifyError> {
        self.post(
            &format!("/databases/{}/{}", path_segment(uuid), action.path()),
            None::<&()>,
        )
        .await
    }

    /// `GET /services`.
    pub async fn services(&self) -> Result<Vec<Service>, CoolifyError> {
        self.get_list("/services").await
    }

    /// `GET /services/{uuid}`.
    pub async fn service(&self, uuid: &str) -> Result<Service, CoolifyError> {
        self.get(&format!("/services/{}", path_segment(uuid))).await
    }

    /// `POST /services/{uuid}/start|stop|restart`.
    pub async fn service_action(
        &self,
        uuid: &str,
        action: Lifecycle,
    ) -> Result<Message, CoolifyError> {
        self.post(
            &format!("/services/{}/{}", path_segment(uuid), action.path()),
            None::<&()>,
        )
        .await
    }
}
