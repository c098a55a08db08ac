//! Addresses such as `air/staging` or `air/staging/air-staging`: how operators name things.

use std::fmt;

use super::tree::{Environment, Project, Resource, Tree};

/// A project, optionally narrowed to an environment and a resource. Names match
/// case-insensitively; uuids match too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub project: String,
    pub environment: Option<String>,
    pub resource: Option<String>,
}

/// Why an address names nothing, with what does exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("no project named '{name}'; known projects: {known}")]
    NoProject { name: String, known: String },
    #[error("project {project} has no environment '{name}'; its environments: {known}")]
    NoEnvironment {
        project: String,
        name: String,
        known: String,
    },
    #[error("{project}/{environment} has no resource '{name}'; it holds: {known}")]
    NoResource {
        project: String,
        environment: String,
        name: String,
        known: String,
    },
    #[error("{project}/{environment} has no application")]
    NoApplication {
        project: String,
        environment: String,
    },
    #[error("{project}/{environment} has several applications ({known}); name one")]
    Ambiguous {
        project: String,
        environment: String,
        known: String,
    },
    #[error("name an environment of {project} ({known})")]
    MissingEnvironment { project: String, known: String },
}

impl Address {
    pub fn new(project: &str, environment: Option<&str>, resource: Option<&str>) -> Self {
        Self {
            project: project.to_string(),
            environment: environment.map(str::to_string),
            resource: resource.map(str::to_string),
        }
    }

    /// Parse `project[/environment[/resource]]`.
    pub fn parse(raw: &str) -> Self {
        let mut parts = raw.trim().trim_matches('/').splitn(3, '/');
        let project = parts.next().unwrap_or_default();
        Self::new(project, parts.next(), parts.next())
    }

    pub fn find_project<'t>(&self, tree: &'t Tree) -> Result<&'t Project, AddressError> {
        tree.project(&self.project)
            .ok_or_else(|| AddressError::NoProject {
                name: self.project.clone(),
                known: join(tree.projects.iter().map(|p| p.name.as_str())),
            })
    }

    pub fn find_environment<'t>(
        &self,
        tree: &'t Tree,
    ) -> Result<(&'t Project, &'t Environment), AddressError> {
        let project = self.find_project(tree)?;
        let known = || join(project.environments.iter().map(|e| e.name.as_str()));
        let Some(name) = &self.environment else {
            return Err(AddressError::MissingEnvironment {
                project: project.name.clone(),
                known: known(),
            });
        };
        let env = project
            .environment(name)
            .ok_or_else(|| AddressError::NoEnvironment {
                project: project.name.clone(),
                name: name.clone(),
                known: known(),
            })?;
        Ok((project, env))
    }

    /// The applications this address names: the named one, or every application of the
    /// environment when no resource is named.
    pub fn find_applications<'t>(&self, tree: &'t Tree) -> Result<Vec<&'t Resource>, AddressError> {
        let (project, env) = self.find_environment(tree)?;
        match &self.resource {
            Some(name) => Ok(vec![find_resource(project, env, name)?]),
            None => {
                let apps: Vec<_> = env.applications().collect();
                if apps.is_empty() {
                    Err(AddressError::NoApplication {
                        project: project.name.clone(),
                        environment: env.name.clone(),
                    })
                } else {
                    Ok(apps)
                }
            }
        }
    }

    /// Exactly one resource: the named one, or the environment's only application.
    pub fn find_one<'t>(
        &self,
        tree: &'t Tree,
    ) -> Result<(&'t Project, &'t Environment, &'t Resource), AddressError> {
        let (project, env) = self.find_environment(tree)?;
        if let Some(name) = &self.resource {
            return Ok((project, env, find_resource(project, env, name)?));
        }
        let apps: Vec<_> = env.applications().collect();
        match apps.as_slice() {
            [one] => Ok((project, env, one)),
            [] => Err(AddressError::NoApplication {
                project: project.name.clone(),
                environment: env.name.clone(),
            }),
            many => Err(AddressError::Ambiguous {
                project: project.name.clone(),
                environment: env.name.clone(),
                known: join(many.iter().map(|r| r.name.as_str())),
            }),
        }
    }
}

fn find_resource<'t>(
    project: &Project,
    env: &'t Environment,
    name: &str,
) -> Result<&'t Resource, AddressError> {
    env.resources
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name) || r.uuid == name)
        .ok_or_else(|| AddressError::NoResource {
            project: project.name.clone(),
            environment: env.name.clone(),
            name: name.to_string(),
            known: join(env.resources.iter().map(|r| r.name.as_str())),
        })
}

fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<_> = names.collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.project)?;
        for part in [&self.environment, &self.resource].into_iter().flatten() {
            write!(f, "/{part}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppInfo, ResourceKind, ResourceStatus};

    fn app(name: &str) -> Resource {
        Resource {
            uuid: format!("uuid-{name}"),
            id: None,
            name: name.into(),
            kind: ResourceKind::Application,
            engine: None,
            status: ResourceStatus::parse("running:healthy"),
            server: None,
            description: None,
            urls: Vec::new(),
            app: Some(AppInfo::default()),
        }
    }

    fn tree() -> Tree {
        let env = |name: &str, apps: &[&str]| Environment {
            uuid: Some(format!("env-{name}")),
            id: None,
            name: name.into(),
            resources: apps.iter().map(|a| app(a)).collect(),
        };
        Tree {
            projects: vec![Project {
                uuid: "p-air".into(),
                name: "AIR".into(),
                description: None,
                environments: vec![
                    env("dev", &["air-dev"]),
                    env("staging", &["air-staging", "air-worker"]),
                    env("empty", &[]),
                ],
            }],
            servers: vec![],
            unplaced: vec![],
        }
    }

    #[test]
    fn names_match_case_insensitively() {
        let t = tree();
        let (p, e, r) = Address::parse("air/DEV").find_one(&t).unwrap();
        assert_eq!(
            (p.name.as_str(), e.name.as_str(), r.name.as_str()),
            ("AIR", "dev", "air-dev")
        );
        assert_eq!(
            Address::parse("Air/Staging/AIR-WORKER").to_string(),
            "Air/Staging/AIR-WORKER"
        );
    }

    #[test]
    fn errors_name_what_exists() {
        let t = tree();
        let err = Address::parse("baiv/dev").find_one(&t).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no project named 'baiv'; known projects: AIR"
        );
        let err = Address::parse("air/prod").find_one(&t).unwrap_err();
        assert!(err.to_string().contains("dev, staging, empty"), "{err}");
        let err = Address::parse("air/staging").find_one(&t).unwrap_err();
        assert!(matches!(err, AddressError::Ambiguous { .. }), "{err}");
        let err = Address::parse("air/empty")
            .find_applications(&t)
            .unwrap_err();
        assert!(matches!(err, AddressError::NoApplication { .. }));
        let err = Address::parse("air").find_one(&t).unwrap_err();
        assert!(matches!(err, AddressError::MissingEnvironment { .. }));
    }

    #[test]
    fn an_environment_without_a_resource_names_all_its_applications() {
        let t = tree();
        let apps = Address::parse("air/staging").find_applications(&t).unwrap();
        assert_eq!(apps.len(), 2);
    }
}
