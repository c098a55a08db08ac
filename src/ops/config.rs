//! The platform configuration against a server: what each application of an environment
//! should have (its settings and environment variables, from `config`) next to what it
//! has, as one [`ConfigDiff`]. A read: `config apply` (`config_apply.rs`) plans from it.
//!
//! Secret values are compared by their SHA-256 digests and never shown: a secret shows as
//! `••••••` with the name of the credential it comes from. A value the server withholds
//! (the token lacks `read:sensitive`) cannot be compared and is said to be so. Variables on
//! the server that the configuration does not name are extras: kept, and drift only when
//! pruning is asked for. An application the configuration names and the server lacks is
//! noted, not drift: creating it is provisioning's work.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Ops, OpsError};
use crate::config::{DesiredApp, DesiredEnv, DesiredValue, Environment, Platform, Target};
use crate::model::{Address, AppSettings, EnvVar, Setting};
use crate::secrets::{ExposeSecret, Resolver, SecretString};

/// How a secret shows wherever it is printed.
pub const MASK: &str = "••••••";

/// The platform configuration an [`Ops`] compares and applies, and where the values of its
/// secrets come from. A directory is read the first time it is needed, so that commands
/// that never use it do not pay for reading it.
#[derive(Debug, Clone)]
pub struct PlatformSource {
    /// The repository's directory; `None` for the built-in example set.
    dir: Option<PathBuf>,
    loaded: Arc<OnceLock<Result<Platform, String>>>,
    pub secrets: PlatformSecrets,
}

impl PlatformSource {
    /// The repository in `dir` (the built-in example set for `None`), read when first used.
    pub fn at(dir: Option<PathBuf>, secrets: PlatformSecrets) -> Self {
        Self {
            dir,
            loaded: Arc::default(),
            secrets,
        }
    }

    /// A repository already read.
    pub fn new(platform: Platform, secrets: PlatformSecrets) -> Self {
        Self {
            dir: Some(platform.root().to_path_buf()),
            loaded: Arc::new(OnceLock::from(Ok(platform))),
            secrets,
        }
    }

    /// The repository, read on first use; why it cannot be read.
    pub fn platform(&self) -> Result<&Platform, OpsError> {
        self.loaded
            .get_or_init(|| match &self.dir {
                None => Ok(Platform::examples()),
                Some(dir) => Platform::load(dir).map_err(|e| e.to_string()),
            })
            .as_ref()
            .map_err(|why| OpsError::Invalid(why.clone()))
    }
}

/// Where the configuration's secrets (`{secret: name}`) get their values.
#[derive(Debug, Clone)]
pub enum PlatformSecrets {
    /// `PFTUI_SECRET_<NAME>`, then the credential store.
    Store(Resolver),
    /// The embedded demo's made-up values (`demo-<name>`), never a real credential.
    Demo,
}

/// An instance's (or product's) configuration in one environment, as `config show` and
/// the `config_show` tool give it: what its application gets and where each value is
/// written (`file:line`, relative to the configuration directory). Secrets by name only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigView {
    pub target: String,
    pub project: String,
    pub environment: String,
    pub application: String,
    pub settings: Vec<ShownSetting>,
    pub envs: Vec<ShownEnv>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownSetting {
    pub setting: Setting,
    pub value: Value,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownEnv {
    pub key: String,
    /// The value; `None` for a secret.
    pub value: Option<String>,
    /// The credential a secret comes from.
    pub secret: Option<String>,
    pub origin: String,
}

/// What differs between the configuration and the server in one environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigDiff {
    pub project: String,
    pub environment: String,
    /// Extras on the server count as drift (they would be removed).
    pub prune: bool,
    pub apps: Vec<AppDiff>,
}

/// One application the configuration gives the environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppDiff {
    pub application: String,
    /// What the configuration calls it: `air`, `air/ep`.
    pub target: String,
    /// `None` when the server has no application of that name.
    pub uuid: Option<String>,
    pub settings: Vec<SettingChange>,
    pub envs: Vec<EnvChange>,
    /// What could not be compared, one sentence each.
    pub notes: Vec<String>,
}

/// A setting whose value differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingChange {
    pub setting: Setting,
    /// What the server has; `None` when it does not say.
    pub have: Option<Value>,
    pub want: Value,
    /// `file:line` of the value, relative to the configuration directory.
    pub origin: String,
}

/// An environment variable that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvChange {
    pub key: String,
    pub change: EnvChangeKind,
    /// The server's value as it may be shown: always [`MASK`] (it may be a secret).
    pub have: Option<String>,
    pub want: Option<String>,
    /// The credential a secret comes from.
    pub secret: Option<String>,
    pub is_literal: bool,
    pub is_multiline: bool,
    pub origin: Option<String>,
    /// The server's uuids of the variable and its preview copy (to remove an extra).
    #[serde(skip)]
    pub env_uuids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvChangeKind {
    /// The server lacks it.
    Add,
    /// Its value or its flags differ.
    Change,
    /// On the server, not in the configuration.
    Extra,
}

impl EnvChange {
    /// The desired value as it may be shown: a secret as [`MASK`] with its credential's
    /// name.
    pub fn shown_want(&self) -> String {
        match (&self.secret, &self.want) {
            (Some(name), _) => format!("{MASK} (secret {name})"),
            (None, Some(v)) => v.clone(),
            (None, None) => String::new(),
        }
    }
}

impl ConfigDiff {
    /// Nothing to apply: every application on the server has what it should (and, when
    /// pruning, nothing more). An application the server lacks is provisioning's to
    /// create, not drift: it is noted.
    pub fn in_sync(&self) -> bool {
        self.apps.iter().all(|a| a.in_sync(self.prune))
    }

    /// How many changes an apply would make.
    pub fn changes(&self) -> usize {
        self.apps.iter().map(|a| a.changes(self.prune)).sum()
    }
}

impl AppDiff {
    pub fn in_sync(&self, prune: bool) -> bool {
        self.changes(prune) == 0
    }

    /// The settings and variables an apply would write (extras only when pruning).
    pub fn changes(&self, prune: bool) -> usize {
        self.settings.len()
            + self
                .envs
                .iter()
                .filter(|e| prune || e.change != EnvChangeKind::Extra)
                .count()
    }
}

impl Ops {
    /// These operations with the platform configuration they compare and apply.
    pub fn with_platform(mut self, source: PlatformSource) -> Self {
        self.platform = Some(source);
        self
    }

    /// Whether there is a platform configuration to compare with, and it can be read.
    pub fn has_platform(&self) -> bool {
        self.platform().and_then(PlatformSource::platform).is_ok()
    }

    pub(crate) fn platform(&self) -> Result<&PlatformSource, OpsError> {
        self.platform
            .as_ref()
            .ok_or_else(|| OpsError::Invalid(super::NO_PLATFORM.into()))
    }

    /// The desired state of every application the configuration gives `project` in
    /// `environment` (the instance's and its products'), with the target it comes from.
    pub fn desired_apps(
        &self,
        project: &str,
        environment: &str,
    ) -> Result<Vec<(Target, DesiredApp)>, OpsError> {
        let platform = self.platform()?.platform()?;
        let env: Environment = environment.parse().map_err(OpsError::Invalid)?;
        let targets: Vec<Target> = platform
            .targets()
            .into_iter()
            .filter(|t| t.instance.eq_ignore_ascii_case(project))
            .collect();
        if targets.is_empty() {
            return Err(OpsError::Invalid(format!(
                "the platform configuration has no instance {project}; it has {}",
                platform
                    .targets()
                    .iter()
                    .filter(|t| t.product.is_none())
                    .map(|t| t.instance.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        targets
            .into_iter()
            .map(|t| {
                let resolved = platform
                    .resolve(&t, env)
                    .map_err(|p| OpsError::Invalid(p.to_string()))?;
                Ok((t, resolved.desired()))
            })
            .collect()
    }

    /// The configuration of `project`'s instance (or its `product`) in `environment`.
    pub fn config_show(
        &self,
        project: &str,
        environment: &str,
        product: Option<&str>,
    ) -> Result<ConfigView, OpsError> {
        let root = self.platform()?.platform()?.root().to_path_buf();
        let apps = self.desired_apps(project, environment)?;
        let known: Vec<String> = apps.iter().map(|(t, _)| t.layer_name()).collect();
        let (target, app) = apps
            .into_iter()
            .find(|(t, _)| match (product, &t.product) {
                (None, None) => true,
                (Some(want), Some(code)) => want.eq_ignore_ascii_case(code),
                _ => false,
            })
            .ok_or_else(|| {
                OpsError::Invalid(format!(
                    "the platform configuration has no product {} of {project}; it has {}",
                    product.unwrap_or_default(),
                    known.join(", ")
                ))
            })?;
        Ok(ConfigView {
            target: target.layer_name(),
            project: app.project.clone(),
            environment: app.environment.clone(),
            application: app.application.clone(),
            settings: app
                .settings
                .fields()
                .into_iter()
                .map(|f| ShownSetting {
                    setting: f.setting,
                    value: f.value,
                    origin: f.origin.short(&root),
                })
                .collect(),
            envs: app
                .envs
                .iter()
                .map(|e| {
                    let (value, secret) = match &e.value {
                        DesiredValue::Literal(v) => (Some(v.clone()), None),
                        DesiredValue::Secret(s) => (None, Some(s.secret.clone())),
                    };
                    ShownEnv {
                        key: e.key.clone(),
                        value,
                        secret,
                        origin: e.origin.short(&root),
                    }
                })
                .collect(),
        })
    }

    /// What differs between the configuration and the server in `project`/`environment`.
    pub async fn config_diff(
        &self,
        project: &str,
        environment: &str,
        prune: bool,
    ) -> Result<ConfigDiff, OpsError> {
        let address = Address::new(project, Some(environment), None);
        let tree = self.scope_tree(&address).await?;
        let (p, e) = address.find_environment(&tree)?;
        let desired = self.desired_apps(&p.name, &e.name)?;
        let root = self.platform()?.platform()?.root().to_path_buf();
        let mut apps = Vec::new();
        for (target, want) in desired {
            let found = e
                .resources
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(&want.application));
            let mut diff = AppDiff {
                application: want.application.clone(),
                target: target.layer_name(),
                uuid: found.map(|r| r.uuid.clone()),
                settings: Vec::new(),
                envs: Vec::new(),
                notes: Vec::new(),
            };
            match found {
                None => diff.notes.push(format!(
                    "{} is not on the server (not provisioned): nothing to compare, apply leaves it out",
                    want.application
                )),
                Some(r) => {
                    let client = &self.session.coolify;
                    let (have, vars) = futures::try_join!(
                        client.application_settings(&r.uuid),
                        client.env_vars(&r.uuid)
                    )?;
                    diff.settings = setting_changes(&want, &have, &root);
                    self.env_changes(&want, &vars, &root, &mut diff).await?;
                }
            }
            apps.push(diff);
        }
        Ok(ConfigDiff {
            project: p.name.clone(),
            environment: e.name.clone(),
            prune,
            apps,
        })
    }

    /// The value of the configuration's secret `name`, or why there is none.
    pub(crate) async fn platform_secret(&self, name: &str) -> Result<SecretString, OpsError> {
        let var = crate::secrets::platform_var(name);
        let missing = || {
            OpsError::Invalid(format!(
                "the secret {name} is not in the credential store: set {var} or store it under account platform:{name}"
            ))
        };
        match &self.platform()?.secrets {
            PlatformSecrets::Demo => Ok(SecretString::from(format!("demo-{name}"))),
            PlatformSecrets::Store(resolver) => resolver
                .platform_secret(name)
                .await
                .map_err(|e| {
                    OpsError::Invalid(format!(
                        "cannot look up the secret {name}: {e}; set {var} instead"
                    ))
                })?
                .ok_or_else(missing),
        }
    }

    async fn env_changes(
        &self,
        want: &DesiredApp,
        vars: &[EnvVar],
        root: &std::path::Path,
        diff: &mut AppDiff,
    ) -> Result<(), OpsError> {
        // The preview copies are left alone: the configuration sets what deployments use.
        let live: Vec<&EnvVar> = vars.iter().filter(|v| v.is_preview != Some(true)).collect();
        for env in &want.envs {
            let have = live.iter().find(|v| v.key == env.key);
            let (value, secret) = match &env.value {
                DesiredValue::Literal(v) => (SecretString::from(v.clone()), None),
                DesiredValue::Secret(s) => (self.platform_secret(&s.secret).await?, Some(s)),
            };
            let shown_want = match secret {
                Some(_) => MASK.to_string(),
                None => value.expose_secret().to_string(),
            };
            let change = |kind, have: Option<String>| EnvChange {
                key: env.key.clone(),
                change: kind,
                have,
                want: Some(shown_want.clone()),
                secret: secret.map(|s| s.secret.clone()),
                is_literal: env.is_literal,
                is_multiline: env.is_multiline,
                origin: Some(env.origin.short(root)),
                env_uuids: Vec::new(),
            };
            let Some(have) = have else {
                diff.envs.push(change(EnvChangeKind::Add, None));
                continue;
            };
            let flags_differ = have.is_literal.unwrap_or(false) != env.is_literal
                || have.is_multiline.unwrap_or(false) != env.is_multiline;
            match &have.value {
                None => diff.notes.push(format!(
                    "{}: the server withholds its value (the token lacks read:sensitive), so it is not compared",
                    env.key
                )),
                Some(current) if digest(current) != digest(&value) || flags_differ => {
                    // What the server holds may be a secret whatever the configuration
                    // now says: it is shown only through the reveal that asks and is
                    // audited (`E` in the console), never in a diff.
                    diff.envs.push(change(EnvChangeKind::Change, Some(MASK.to_string())));
                }
                Some(_) => {}
            }
        }
        for extra in live
            .iter()
            .filter(|v| !want.envs.iter().any(|e| e.key == v.key))
        {
            diff.envs.push(EnvChange {
                key: extra.key.clone(),
                change: EnvChangeKind::Extra,
                have: Some(MASK.to_string()),
                want: None,
                secret: None,
                is_literal: extra.is_literal.unwrap_or(false),
                is_multiline: extra.is_multiline.unwrap_or(false),
                origin: None,
                env_uuids: vars
                    .iter()
                    .filter(|v| v.key == extra.key)
                    .filter_map(|v| v.uuid.clone())
                    .collect(),
            });
        }
        Ok(())
    }
}

/// The settings whose server value is not the configuration's.
fn setting_changes(
    want: &DesiredApp,
    have: &AppSettings,
    root: &std::path::Path,
) -> Vec<SettingChange> {
    want.settings
        .fields()
        .into_iter()
        .filter(|f| {
            !have
                .get(f.setting)
                .is_some_and(|h| f.setting.same(h, &f.value))
        })
        .map(|f| SettingChange {
            setting: f.setting,
            have: have.get(f.setting).cloned(),
            want: f.value,
            origin: f.origin.short(root),
        })
        .collect()
}

/// A value's SHA-256: what a secret is compared by.
fn digest(value: &SecretString) -> [u8; 32] {
    Sha256::digest(value.expose_secret().as_bytes()).into()
}

/// The desired variable `key` of `app` (for writing it).
pub(crate) fn desired_env<'a>(app: &'a DesiredApp, key: &str) -> Option<&'a DesiredEnv> {
    app.envs.iter().find(|e| e.key == key)
}
