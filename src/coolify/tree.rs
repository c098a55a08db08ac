//! Building the [`Tree`] from the API with as few requests as it allows, run concurrently.
//!
//! Coolify has no single call for "everything": the flat lists (`/applications`,
//! `/databases`, `/services`) carry each resource's `environment_id`; one `GET
//! /projects/{uuid}` per project names its environments; one `GET /servers/{uuid}/resources`
//! per server says what runs where. That is 5 + projects + servers requests, all in flight
//! together (bounded), instead of one per environment.

use std::collections::HashMap;
use std::sync::Mutex;

use futures::{StreamExt, stream};

use super::stream::Memo;
use super::{Client, CoolifyError, routes, wire};
use crate::http::{Endpoint, Target};
use crate::model::{
    Environment, LoadWarning, Overview, Part, Project, Resource, ResourceKind, Server,
    ServerResource, Tree, Unplaced,
};

/// How many requests of one fan-out are in flight at once.
const FAN_OUT: usize = 16;

/// Load every project, environment, resource and server the token can see: what could be
/// read of it (see [`Loader::overview`] for what could not).
pub async fn load_tree(client: &Client) -> Result<Tree, CoolifyError> {
    Ok(Loader::default().tree(client, true).await?.0)
}

/// What rarely changes: projects with their environments, servers and what runs where.
#[derive(Debug, Clone)]
struct Layout {
    projects: Vec<Project>,
    servers: Vec<Server>,
    placed: Vec<Vec<ServerResource>>,
    version: Option<String>,
    /// What of it could not be read: a layout with gaps is read again at the next load.
    warnings: Vec<LoadWarning>,
}

/// Loads the tree repeatedly. A full load reads everything (5 + projects + servers
/// requests); a light one reuses the last layout and re-reads only the three flat resource
/// lists, so a console refreshing every few seconds stays far below Coolify's rate limit
/// (200 requests a minute).
///
/// Only the project list is needed: every other part is read on its own, and one that
/// fails (a list answered with something else, a 500 for one broken record) becomes a
/// [`LoadWarning`] while the rest is shown.
///
/// A loader made for refreshing ([`Loader::refreshing`]) memoises the items of the three
/// lists: an item unchanged since the last load is not decoded again. A one-off load
/// ([`Loader::default`]) does not pay for hashing and keeping them.
#[derive(Debug, Default)]
pub struct Loader {
    layout: Option<Layout>,
    memos: Option<Memos>,
    /// The sub-applications of services the list gave without them, read one by one.
    sub_applications: HashMap<String, Vec<wire::ServiceApplication>>,
}

/// The last items of each flat list, for a [`Loader`] that loads again and again.
#[derive(Debug, Default)]
struct Memos {
    applications: Mutex<Memo<wire::Application>>,
    databases: Mutex<Memo<wire::Database>>,
    services: Mutex<Memo<wire::Service>>,
}

/// What a load could not read: the parts left out, and an error that is about no part
/// but the token or the server as a whole (then the load fails with it).
#[derive(Debug, Default)]
struct Gaps {
    warnings: Vec<LoadWarning>,
    fatal: Option<CoolifyError>,
}

impl Gaps {
    fn from(warnings: Vec<LoadWarning>) -> Self {
        Self {
            warnings,
            fatal: None,
        }
    }

    /// A part read on its own: its value, or the empty value and a warning saying why.
    fn take<T: Default>(
        &mut self,
        result: Result<T, CoolifyError>,
        part: Part,
        target: &Target,
    ) -> T {
        result.unwrap_or_else(|e| {
            tracing::warn!(%part, request = target.path(), error = %e, "part of the load missing");
            self.warnings.push(LoadWarning {
                part,
                request: target.request_line(),
                reason: e.to_string(),
            });
            if e.is_about_the_server() {
                self.fatal.get_or_insert(e);
            }
            T::default()
        })
    }

    fn finish(self) -> Result<Vec<LoadWarning>, CoolifyError> {
        match self.fatal {
            Some(e) => Err(e),
            None => Ok(self.warnings),
        }
    }
}

impl Loader {
    /// A loader for a console that refreshes the same tree every few seconds.
    pub fn refreshing() -> Self {
        Self {
            memos: Some(Memos::default()),
            ..Self::default()
        }
    }

    /// The tree, the version and the running deployments, with what could not be read;
    /// `full` re-reads the layout too. Fails only when the projects cannot be listed.
    pub async fn overview(
        &mut self,
        client: &Client,
        full: bool,
    ) -> Result<Overview, CoolifyError> {
        let (tree, running) = tokio::join!(self.tree(client, full), client.running_deployments());
        let (tree, warnings) = tree?;
        let mut gaps = Gaps::from(warnings);
        let running = gaps.take(
            running,
            Part::Deployments,
            &routes::RUNNING_DEPLOYMENTS.at([]),
        );
        let warnings = gaps.finish()?;
        Ok(Overview {
            tree,
            version: self.layout.as_ref().and_then(|l| l.version.clone()),
            running,
            warnings,
        })
    }

    async fn tree(
        &mut self,
        client: &Client,
        full: bool,
    ) -> Result<(Tree, Vec<LoadWarning>), CoolifyError> {
        let memos = self.memos.as_ref();
        let targets = [
            routes::APPLICATIONS.at([]),
            routes::DATABASES.at([]),
            routes::SERVICES.at([]),
        ];
        let resources = async {
            tokio::join!(
                client.get_list_with(targets[0].clone(), memos.map(|m| &m.applications)),
                client.get_list_with(targets[1].clone(), memos.map(|m| &m.databases)),
                client.get_list_with(targets[2].clone(), memos.map(|m| &m.services))
            )
        };
        // The lists first: `GET /applications` is by far the longest answer to produce, so
        // it is asked for before the layout's many small requests. A layout with gaps is
        // read again.
        let reuse = self
            .layout
            .take()
            .filter(|l| !full && l.warnings.is_empty());
        if reuse.is_none() {
            self.sub_applications.clear();
        }
        let ((apps, databases, services), layout) = match reuse {
            Some(layout) => (resources.await, layout),
            None => {
                let (lists, layout) = tokio::join!(resources, read_layout(client));
                (lists, layout?)
            }
        };
        let mut gaps = Gaps::from(layout.warnings.clone());
        let apps = gaps.take(apps, Part::Applications, &targets[0]);
        let databases = gaps.take(databases, Part::Databases, &targets[1]);
        let mut services = gaps.take(services, Part::Services, &targets[2]);
        self.read_sub_applications(client, &mut services, &mut gaps)
            .await;
        let warnings = gaps.finish()?;
        let tree = assemble(
            &layout.projects,
            &layout.servers,
            &layout.placed,
            apps,
            databases,
            services,
        );
        self.layout = Some(layout);
        Ok((tree, warnings))
    }
}

impl Loader {
    /// Give each service its sub-applications (whose `fqdn` are the service's URLs). `GET
    /// /services` lists services without them, so each is read once with `GET
    /// /services/{uuid}` and kept until the next full load; at most [`FAN_OUT`] services
    /// are read per load, so a team with hundreds of services fills in over a few loads
    /// instead of spending Coolify's rate limit at once.
    async fn read_sub_applications(
        &mut self,
        client: &Client,
        services: &mut [wire::Service],
        gaps: &mut Gaps,
    ) {
        let listed: std::collections::HashSet<&str> =
            services.iter().map(|s| s.uuid.as_str()).collect();
        self.sub_applications
            .retain(|uuid, _| listed.contains(uuid.as_str()));
        let unread: Vec<String> = services
            .iter()
            .filter(|s| s.applications.is_none() && !self.sub_applications.contains_key(&s.uuid))
            .take(FAN_OUT)
            .map(|s| s.uuid.clone())
            .collect();
        let read: Vec<_> = stream::iter(unread)
            .map(|uuid| async move {
                let target = routes::SERVICE.at([&uuid]);
                let read = client.get::<wire::Service>(target.clone()).await;
                (uuid, target, read)
            })
            .buffer_unordered(FAN_OUT)
            .collect()
            .await;
        for (uuid, target, read) in read {
            match read {
                Ok(service) => {
                    self.sub_applications
                        .insert(uuid, service.applications.unwrap_or_default());
                }
                // Deleted since the list: it is gone at the next load.
                Err(CoolifyError::NotFound { .. }) => {}
                Err(e) => gaps.take::<()>(Err(e), Part::Services, &target),
            }
        }
        for service in services.iter_mut().filter(|s| s.applications.is_none()) {
            service.applications = self.sub_applications.get(&service.uuid).cloned();
        }
    }
}

/// The layout: only the project list must be read; a project whose environments cannot be
/// read is kept without them, and servers, what runs on each and the version are each
/// left out with a warning when they cannot be read.
async fn read_layout(client: &Client) -> Result<Layout, CoolifyError> {
    let projects = async {
        let list = client.projects().await?;
        let read = stream::iter(list)
            .map(|p| async move {
                let target = routes::PROJECT.at([&p.uuid]);
                match client.project(&p.uuid).await {
                    Ok(detail) => (Some(detail), None),
                    // Deleted between the list and the read: leave it out.
                    Err(CoolifyError::NotFound { .. }) => (None, None),
                    Err(e) => (Some(p), Some((target, e))),
                }
            })
            .buffered(FAN_OUT)
            .collect::<Vec<_>>()
            .await;
        Ok::<_, CoolifyError>(read)
    };
    let servers = async {
        let target = routes::SERVERS.at([]);
        let servers = match client.servers().await {
            Ok(servers) => servers,
            Err(e) => return (Vec::new(), Vec::new(), vec![(Part::Servers, target, e)]),
        };
        let uuids: Vec<String> = servers.iter().map(|s| s.uuid.clone()).collect();
        let read: Vec<_> = stream::iter(uuids)
            .map(|uuid| async move {
                let target = routes::SERVER_RESOURCES.at([&uuid]);
                match client.server_resources(&uuid).await {
                    Ok(list) => (list, None),
                    Err(CoolifyError::NotFound { .. }) => (Vec::new(), None),
                    Err(e) => (Vec::new(), Some((Part::Placement, target, e))),
                }
            })
            .buffered(FAN_OUT)
            .collect()
            .await;
        let (placed, failed): (Vec<_>, Vec<_>) = read.into_iter().unzip();
        (servers, placed, failed.into_iter().flatten().collect())
    };
    let (projects, (servers, placed, failed), version) =
        tokio::join!(projects, servers, client.version());
    let mut gaps = Gaps::default();
    let mut kept = Vec::new();
    for (project, failure) in projects? {
        kept.extend(project);
        if let Some((target, e)) = failure {
            gaps.take::<()>(Err(e), Part::Environments, &target);
        }
    }
    for (which, target, e) in failed {
        gaps.take::<()>(Err(e), which, &target);
    }
    let version = gaps.take(version.map(Some), Part::Version, &routes::VERSION.at([]));
    Ok(Layout {
        projects: kept,
        servers,
        placed,
        version,
        warnings: gaps.finish()?,
    })
}

/// Load just enough to act on one project: the project list, the named project's
/// environments and the named environments' resources (two requests plus one per
/// environment, concurrently). Whatever is not named is present by name only, so
/// [`crate::model::Address`] lookups on the result report what exists.
pub async fn load_scope(
    client: &Client,
    project: &str,
    environments: &[&str],
) -> Result<Tree, CoolifyError> {
    let mut tree = Tree {
        projects: client
            .projects()
            .await?
            .into_iter()
            .map(|p| Project {
                environments: Vec::new(),
                ..p
            })
            .collect(),
        servers: Vec::new(),
        unplaced: Vec::new(),
    };
    let Some(found) = tree
        .projects
        .iter_mut()
        .find(|p| p.name.eq_ignore_ascii_case(project) || p.uuid == project)
    else {
        return Ok(tree);
    };
    found.environments = client.project(&found.uuid).await?.environments;
    let project_uuid = found.uuid.clone();
    let wanted: Vec<usize> = found
        .environments
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            environments
                .iter()
                .any(|name| e.name.eq_ignore_ascii_case(name) || e.uuid.as_deref() == Some(name))
        })
        .map(|(i, _)| i)
        .collect();
    let reads = wanted.iter().map(|&i| {
        let env = &found.environments[i];
        let key = env.uuid.clone().unwrap_or_else(|| env.name.clone());
        let project_uuid = project_uuid.clone();
        async move { client.environment(&project_uuid, &key).await }
    });
    let loaded = futures::future::try_join_all(reads).await?;
    for (i, read) in wanted.into_iter().zip(loaded) {
        found.environments[i].resources = read.resources;
    }
    Ok(tree)
}

/// The answers of a full load, decoded: what [`load_tree`] puts together, for measuring
/// and testing the assembly without a server.
#[derive(Debug, Clone)]
pub struct TreeAnswers {
    projects: Vec<Project>,
    servers: Vec<Server>,
    placed: Vec<Vec<ServerResource>>,
    applications: Vec<wire::Application>,
    databases: Vec<wire::Database>,
    services: Vec<wire::Service>,
}

/// The bodies a full load reads.
#[derive(Debug, Clone, Copy)]
pub struct TreeBodies<'a> {
    /// `GET /projects/{uuid}` of each project.
    pub projects: &'a [Vec<u8>],
    /// `GET /servers`.
    pub servers: &'a [u8],
    /// `GET /servers/{uuid}/resources` of each server, in the order of `servers`.
    pub placed: &'a [Vec<u8>],
    /// `GET /applications`, `GET /databases`, `GET /services`.
    pub applications: &'a [u8],
    pub databases: &'a [u8],
    pub services: &'a [u8],
}

impl TreeAnswers {
    /// Decode the bodies the way the client decodes each answer.
    pub fn decode(bodies: TreeBodies<'_>) -> Result<Self, CoolifyError> {
        fn read<T: serde::de::DeserializeOwned>(
            endpoint: Endpoint,
            body: &[u8],
        ) -> Result<T, CoolifyError> {
            wire::from_slice(body).map_err(|e| CoolifyError::Decode {
                endpoint: endpoint.template.to_string(),
                detail: e.to_string(),
            })
        }
        let projects = bodies
            .projects
            .iter()
            .map(|b| read(routes::PROJECT.endpoint(), b).map(wire::Project::into_model))
            .collect::<Result<_, _>>()?;
        let servers: Vec<wire::Server> = read(routes::SERVERS.endpoint(), bodies.servers)?;
        let placed = bodies
            .placed
            .iter()
            .map(|b| {
                read::<Vec<wire::ServerResource>>(routes::SERVER_RESOURCES.endpoint(), b).map(
                    |list| {
                        list.into_iter()
                            .map(wire::ServerResource::into_model)
                            .collect()
                    },
                )
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            projects,
            servers: servers.iter().map(wire::Server::to_model).collect(),
            placed,
            applications: read(routes::APPLICATIONS.endpoint(), bodies.applications)?,
            databases: read(routes::DATABASES.endpoint(), bodies.databases)?,
            services: read(routes::SERVICES.endpoint(), bodies.services)?,
        })
    }

    /// Put them together into the tree, as a load does.
    pub fn assemble(self) -> Tree {
        assemble(
            &self.projects,
            &self.servers,
            &self.placed,
            self.applications,
            self.databases,
            self.services,
        )
    }
}

/// Put the flat lists together into the tree. Pure, so it can be tested and benchmarked
/// without a server.
fn assemble(
    projects: &[Project],
    servers: &[Server],
    placed: &[Vec<ServerResource>],
    apps: Vec<wire::Application>,
    databases: Vec<wire::Database>,
    services: Vec<wire::Service>,
) -> Tree {
    let mut server_of: HashMap<&str, &str> = HashMap::new();
    for (server, resources) in servers.iter().zip(placed) {
        for r in resources {
            server_of.entry(r.uuid.as_str()).or_insert(&server.name);
        }
    }
    let server_for = |uuid: &str| server_of.get(uuid).map(|s| s.to_string());

    let mut tree = Tree {
        projects: Vec::with_capacity(projects.len()),
        servers: servers.to_vec(),
        unplaced: Vec::new(),
    };
    let mut slot: HashMap<u64, (usize, usize)> = HashMap::new();
    for (pi, p) in projects.iter().enumerate() {
        let environments = p
            .environments
            .iter()
            .enumerate()
            .map(|(ei, e)| {
                if let Some(id) = e.id {
                    slot.insert(id, (pi, ei));
                }
                Environment {
                    uuid: e.uuid.clone(),
                    id: e.id,
                    name: e.name.clone(),
                    resources: Vec::new(),
                }
            })
            .collect();
        tree.projects.push(Project {
            name: p.name.clone(),
            uuid: p.uuid.clone(),
            description: p.description.clone().filter(|d| !d.is_empty()),
            environments,
        });
    }

    let mut place = |environment_id: Option<u64>, resource: Resource| match environment_id
        .map(|id| (id, slot.get(&id)))
    {
        Some((_, Some(&(pi, ei)))) => tree.projects[pi].environments[ei].resources.push(resource),
        Some((id, None)) => tree.unplaced.push(Unplaced {
            reason: format!("its environment (#{id}) is in none of the projects read"),
            resource,
        }),
        None => tree.unplaced.push(Unplaced {
            reason: "Coolify listed it without an environment_id".into(),
            resource,
        }),
    };
    for a in apps {
        let (environment, server) = (a.environment_id, server_for(&a.uuid));
        place(environment, a.into_resource(server));
    }
    for d in databases {
        let (environment, server) = (d.environment_id, server_for(&d.uuid));
        place(environment, d.into_resource(server));
    }
    for s in services {
        let (environment, server) = (s.environment_id, server_for(&s.uuid));
        place(environment, s.into_resource(server));
    }
    for env in tree
        .projects
        .iter_mut()
        .flat_map(|p| p.environments.iter_mut())
    {
        env.resources.sort_by(in_order);
    }
    tree.unplaced
        .sort_by(|a, b| in_order(&a.resource, &b.resource));
    tree
}

/// Applications, then databases, then services, each by name.
fn in_order(a: &Resource, b: &Resource) -> std::cmp::Ordering {
    kind_rank(a.kind)
        .cmp(&kind_rank(b.kind))
        .then_with(|| a.name.cmp(&b.name))
}

fn kind_rank(kind: ResourceKind) -> u8 {
    match kind {
        ResourceKind::Application => 0,
        ResourceKind::Database => 1,
        ResourceKind::Service => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn resources_land_in_their_environments_with_their_servers() {
        let projects = vec![
            from::<wire::Project>(serde_json::json!({
                "uuid": "p1", "name": "AIR",
                "environments": [{"id": 1, "name": "dev"}, {"id": 2, "name": "prod"}]
            }))
            .into_model(),
        ];
        let servers = vec![
            from::<wire::Server>(serde_json::json!({"uuid": "s1", "name": "main"})).to_model(),
        ];
        let placed = vec![vec![
            from::<wire::ServerResource>(serde_json::json!({"uuid": "a2", "type": "application"}))
                .into_model(),
        ]];
        let apps = vec![
            from(
                serde_json::json!({"uuid": "a1", "name": "air-dev", "environment_id": 1, "status": "running:healthy"}),
            ),
            from(serde_json::json!({"uuid": "a2", "name": "air-prod", "environment_id": 2})),
            from(serde_json::json!({"uuid": "a3", "name": "orphan", "environment_id": 99})),
        ];
        let dbs = vec![from(
            serde_json::json!({"uuid": "d1", "name": "pg", "environment_id": 2, "database_type": "standalone-postgresql"}),
        )];
        let tree = assemble(&projects, &servers, &placed, apps, dbs, vec![]);
        let prod = &tree.projects[0].environments[1];
        assert_eq!(prod.resources.len(), 2);
        assert_eq!(prod.resources[0].name, "air-prod");
        assert_eq!(prod.resources[0].server.as_deref(), Some("main"));
        assert_eq!(prod.resources[1].engine.as_deref(), Some("postgresql"));
        assert_eq!(tree.resources().count(), 3);
        assert_eq!(tree.unplaced.len(), 1);
        assert_eq!(tree.unplaced[0].resource.name, "orphan");
        assert!(tree.unplaced[0].reason.contains("#99"));
        assert_eq!(tree.count(ResourceKind::Application), 3);
    }
}
