//! The tree an operator looks at: projects -> environments -> resources, plus servers.

use serde::Serialize;

use super::status::ResourceStatus;

/// Everything one Coolify server (one team) holds, as pftui shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tree {
    pub projects: Vec<Project>,
    pub servers: Vec<Server>,
    /// Resources Coolify listed whose environment is in none of the projects read.
    pub unplaced: Vec<Unplaced>,
}

/// A resource without a place in the tree, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unplaced {
    /// `no environment_id in its listing`, `environment #12 is in no project read`.
    pub reason: String,
    #[serde(flatten)]
    pub resource: Resource,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    pub uuid: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub environments: Vec<Environment>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Environment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(skip)]
    pub id: Option<u64>,
    pub name: String,
    pub resources: Vec<Resource>,
}

/// The three kinds of things Coolify runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Application,
    Database,
    Service,
}

impl ResourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Database => "database",
            Self::Service => "service",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    pub uuid: String,
    #[serde(skip)]
    pub id: Option<u64>,
    pub name: String,
    pub kind: ResourceKind,
    /// Database engine (`postgresql`, `redis`, ...) or service type, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    pub status: ResourceStatus,
    /// The name of the server it runs on, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where it answers: an application's `fqdn` and, for a docker-compose one, the domains
    /// of its compose services; a service's sub-applications' `fqdn`.
    pub urls: Vec<String>,
    /// Application details; `None` for databases and services.
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub app: Option<AppInfo>,
}

/// What an application is built from and where it answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AppInfo {
    pub git_repository: Option<String>,
    pub git_branch: Option<String>,
    /// `HEAD` unless pinned to a commit.
    pub git_commit_sha: Option<String>,
    pub build_pack: Option<String>,
    pub health_check_path: Option<String>,
    pub health_check_enabled: Option<bool>,
    pub auto_deploy: Option<bool>,
}

impl Resource {
    /// The URL a health check of an application should hit: its first URL plus the health
    /// check path (the root when the app has no health check). `None` for what is not an
    /// application and for an application without a URL.
    pub fn health_url(&self) -> Option<String> {
        let app = self.app.as_ref()?;
        let base = self.urls.first()?.trim_end_matches('/');
        let path = match app.health_check_enabled {
            Some(false) => "/",
            _ => app.health_check_path.as_deref().unwrap_or("/"),
        };
        Some(format!(
            "{base}{}",
            if path.starts_with('/') {
                path.to_string()
            } else {
                format!("/{path}")
            }
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Server {
    pub uuid: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    pub reachable: Option<bool>,
    pub usable: Option<bool>,
    pub build_server: bool,
}

/// Something that runs on a server, as the server lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerResource {
    pub uuid: String,
    pub name: String,
    /// The server's word for it: `application`, `service`, `standalone-postgresql`, ...
    pub kind: Option<String>,
    pub status: ResourceStatus,
}

/// The domains a server's proxy answers for, by IP address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerDomains {
    pub ip: Option<String>,
    pub domains: Vec<String>,
}

impl Tree {
    /// The project with this name (case-insensitive) or uuid.
    pub fn project(&self, name: &str) -> Option<&Project> {
        self.projects
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name) || p.uuid == name)
    }

    pub fn resources(&self) -> impl Iterator<Item = (&Project, &Environment, &Resource)> {
        self.projects.iter().flat_map(|p| {
            p.environments
                .iter()
                .flat_map(move |e| e.resources.iter().map(move |r| (p, e, r)))
        })
    }

    pub fn applications(&self) -> impl Iterator<Item = (&Project, &Environment, &Resource)> {
        self.resources()
            .filter(|(_, _, r)| r.kind == ResourceKind::Application)
    }

    /// How many resources of a kind Coolify listed, placed or not.
    pub fn count(&self, kind: ResourceKind) -> usize {
        let placed = self.resources().filter(|(_, _, r)| r.kind == kind).count();
        placed
            + self
                .unplaced
                .iter()
                .filter(|u| u.resource.kind == kind)
                .count()
    }

    /// Find a resource anywhere by uuid.
    pub fn resource(&self, uuid: &str) -> Option<(&Project, &Environment, &Resource)> {
        self.resources().find(|(_, _, r)| r.uuid == uuid)
    }
}

impl Project {
    /// The environment with this name (case-insensitive) or uuid.
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name) || e.uuid.as_deref() == Some(name))
    }
}

impl Project {
    pub fn environment_mut(&mut self, name: &str) -> Option<&mut Environment> {
        self.environments
            .iter_mut()
            .find(|e| e.name.eq_ignore_ascii_case(name) || e.uuid.as_deref() == Some(name))
    }
}

impl Environment {
    pub fn applications(&self) -> impl Iterator<Item = &Resource> {
        self.resources
            .iter()
            .filter(|r| r.kind == ResourceKind::Application)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_url_joins_url_and_path() {
        let mut app = Resource {
            uuid: "a".into(),
            id: None,
            name: "air".into(),
            kind: ResourceKind::Application,
            engine: None,
            status: ResourceStatus::parse("running:healthy"),
            server: None,
            description: None,
            urls: vec!["https://air.pfcore.io/".into()],
            app: Some(AppInfo {
                health_check_path: Some("api/health".into()),
                ..AppInfo::default()
            }),
        };
        assert_eq!(
            app.health_url().as_deref(),
            Some("https://air.pfcore.io/api/health")
        );
        let service = Resource {
            kind: ResourceKind::Service,
            app: None,
            ..app.clone()
        };
        assert_eq!(service.health_url(), None);
        app.urls.clear();
        assert_eq!(app.health_url(), None);
    }
}
