//! What the operator (or the agent) asks for, by name: a [`Request`] is a kind from the
//! catalogue, the address it acts on, and its options; and the [`Target`]s a plan resolves
//! it to.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::OpsError;
use super::catalogue::{Kind, Role, Shape};
use crate::model::{Address, ResourceKind};

/// An operation or a read, as asked for. Built by hand (`Request::new(..).flag(FORCE)`),
/// from a tool call's arguments, or from a command line, always against the catalogue's
/// arguments for its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub kind: Kind,
    /// What it acts on or reads; `None` names the whole platform.
    pub scope: Option<Address>,
    pub options: Options,
}

/// The options given with a request, by the catalogue's argument names. Only what was
/// given is kept (a flag that is off is absent), so a request reads back as it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options(BTreeMap<&'static str, Given>);

/// One option's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Given {
    Text(String),
    Flag,
    Count(u64),
}

impl Request {
    /// `kind` on `address`, without options; parts of the address the kind takes no
    /// argument for are left out (a promotion names environments, not a resource).
    pub fn new(kind: Kind, mut address: Address) -> Self {
        let takes = |role: Role| kind.spec().args.iter().any(|a| a.role == role);
        if !takes(Role::Resource) {
            address.resource = None;
        }
        if !takes(Role::Environment) {
            address.environment = None;
        }
        Self {
            kind,
            scope: Some(address),
            options: Options::default(),
        }
    }

    /// `kind` on the whole platform.
    pub fn platform(kind: Kind) -> Self {
        Self {
            kind,
            scope: None,
            options: Options::default(),
        }
    }

    /// With the flag `name` on.
    pub fn flag(mut self, name: &'static str) -> Self {
        self.options.0.insert(name, Given::Flag);
        self
    }

    /// With the option `name` set to `value`.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.options.0.insert(name, Given::Text(value.into()));
        self
    }

    /// With the option `name` set to the number `value`.
    pub fn count(mut self, name: &'static str, value: u64) -> Self {
        self.options.0.insert(name, Given::Count(value));
        self
    }

    /// With `name` set or left out.
    pub fn maybe_text(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.text(name, v),
            None => self,
        }
    }

    /// The address, for kinds that act on one.
    pub fn address(&self) -> Result<&Address, OpsError> {
        self.scope.as_ref().ok_or_else(|| {
            OpsError::Nothing(format!("{} needs a project and an environment", self.kind))
        })
    }

    /// Is the flag `name` on?
    pub fn has_flag(&self, name: &str) -> bool {
        self.options.0.get(name) == Some(&Given::Flag)
    }

    /// The text option `name`, when given.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        match self.options.0.get(name) {
            Some(Given::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The number option `name`: as given, or the catalogue's default.
    pub fn count_of(&self, name: &str) -> u64 {
        match self.options.0.get(name) {
            Some(Given::Count(n)) => *n,
            _ => match self.kind.spec().arg(name).map(|a| a.shape) {
                Some(Shape::Count { default, .. }) => default,
                _ => 0,
            },
        }
    }

    /// The options given, by name.
    pub(crate) fn options(&self) -> impl Iterator<Item = (&'static str, &Given)> {
        self.options.0.iter().map(|(k, v)| (*k, v))
    }

    /// The same request for another kind, at the same address, without options.
    pub fn then(&self, kind: Kind) -> Self {
        match &self.scope {
            Some(address) => Self::new(kind, address.clone()),
            None => Self::platform(kind),
        }
    }

    /// The same request narrowed to one resource.
    pub fn on(&self, resource: &str) -> Self {
        let mut out = self.clone();
        if let Some(address) = &mut out.scope {
            address.resource = Some(resource.to_string());
        }
        out
    }
}

impl fmt::Display for Request {
    /// `deploy AIR/staging`, for titles and logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scope {
            Some(address) => write!(f, "{} {address}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// A resource an operation acts on, named the way operators name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub project: String,
    pub environment: String,
    pub name: String,
    pub uuid: String,
    pub kind: ResourceKind,
}

impl Target {
    /// This target's address.
    pub fn address(&self) -> Address {
        Address::new(&self.project, Some(&self.environment), Some(&self.name))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.project, self.environment, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::catalogue::{FORCE, LINES};

    #[test]
    fn options_read_back_with_defaults_from_the_catalogue() {
        let r = Request::new(Kind::Deploy, Address::parse("air/dev")).flag(FORCE);
        assert!(r.has_flag(FORCE));
        assert_eq!(r.to_string(), "deploy air/dev");
        let log = Request::new(Kind::DeploymentLog, Address::parse("air/dev"));
        assert_eq!(log.count_of(LINES), 30);
        assert_eq!(log.clone().count(LINES, 5).count_of(LINES), 5);
        assert_eq!(log.on("air-dev").to_string(), "log air/dev/air-dev");
    }
}
