//! The user's settings file: contexts, theme, keys, mouse, refresh, logs, limits and
//! policy.
//!
//! Found at `--config PATH` or `$XDG_CONFIG_HOME/pftui/config.yaml`. Every key is known:
//! a typo is reported with file:line:column, never ignored, and so is a number outside its
//! range (`bounds`). `config.example.yaml` at the top of the repository documents each
//! setting.

mod bounds;
mod keys;
mod managed;
mod paths;
mod policy;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

pub use keys::{Chord, KeyAction, KeyCode, parse_chord};
pub use managed::{
    Clash, MANAGED_FILE, Managed, ManagedContext, Upsert, managed_path_for, same_url,
};
pub use paths::Paths;
pub use policy::{PRODUCTION, Policy, PolicyRule, RuleSet};

/// Everything the settings file can say; missing keys take their defaults.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The context used when none is named.
    pub default_context: Option<String>,
    pub contexts: Vec<Context>,
    /// A theme name from `themes/` (default, light, high-contrast, mono).
    pub theme: String,
    /// Mouse clicks and wheel; off lets the terminal select text (useful over SSH).
    pub mouse: bool,
    pub refresh: Refresh,
    pub logs: Logs,
    /// The health check after a deploy, promote or rollback.
    pub health: HealthCheck,
    /// How long operations follow what they start.
    pub follow: Follow,
    /// The agent pane and `pftui agent`.
    pub agent: AgentSettings,
    /// How long to wait for a server, and how much of one answer to take.
    pub limits: Limits,
    /// Key overrides: action -> one key or a list of keys.
    pub keys: BTreeMap<KeyAction, KeyList>,
    pub policy: Policy,
    /// The platform configuration repository (`pftui config`).
    pub platform: PlatformSettings,
    /// Where the settings and each context came from (not part of the file's schema).
    #[serde(skip)]
    pub provenance: Provenance,
}

/// Where loaded settings came from: the files, which contexts the pftui-managed contexts
/// file added, clashes between the two, and where login stored each credential.
///
/// Provenance is not something the settings *say*: it never makes two [`Settings`]
/// unequal.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The settings file read (`None` when parsed from text).
    pub settings_file: Option<PathBuf>,
    /// The managed contexts file beside it (whether or not it exists).
    pub managed_file: Option<PathBuf>,
    /// Lower-cased names of the contexts the managed file added.
    pub managed_contexts: BTreeSet<String>,
    /// Managed contexts hidden by hand-written ones of the same name.
    pub clashes: Vec<Clash>,
    /// The default context came from the managed file.
    pub managed_default: bool,
    /// Account (`demo:coolify`) -> the store `pftui login` used.
    pub credentials: BTreeMap<String, crate::secrets::StoreKind>,
    /// The opt-in credentials file (in the data directory).
    pub credentials_file: Option<PathBuf>,
}

impl PartialEq for Provenance {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Which file defined a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The user's hand-written settings file.
    SettingsFile,
    /// The pftui-managed contexts file (written by `pftui login`).
    Managed,
}

/// One Coolify server to talk to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    pub name: String,
    /// Coolify's address, e.g. https://coolify.example.com.
    pub url: String,
    /// Refuse every write through this context.
    #[serde(default)]
    pub read_only: bool,
    /// Overrides the top-level theme for this context.
    #[serde(default)]
    pub theme: Option<String>,
    /// Per-instance (project) overrides, keyed by project name.
    #[serde(default)]
    pub instances: BTreeMap<String, Instance>,
}

/// Overrides for one instance (a Coolify project).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// `owner/repo` on GitHub, when the Coolify applications do not say.
    #[serde(default)]
    pub github_repository: Option<String>,
    /// Environment name -> branch, when it differs from the applications' `git_branch`.
    #[serde(default)]
    pub branches: BTreeMap<String, String>,
}

/// Where the platform configuration lives.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlatformSettings {
    /// The configuration repository's directory (pf-core.config.yaml, instances/,
    /// products/); a relative path is taken from the settings file's directory.
    /// `--config-dir` wins over it; without either, `./config`.
    pub config_dir: Option<PathBuf>,
}

impl Settings {
    /// The platform configuration directory the settings name, relative paths taken from
    /// the settings file's directory.
    pub fn config_dir(&self) -> Option<PathBuf> {
        let dir = self.platform.config_dir.as_ref()?;
        let base = self
            .provenance
            .settings_file
            .as_deref()
            .and_then(Path::parent);
        Some(match base {
            Some(base) if dir.is_relative() => base.join(dir),
            _ => dir.clone(),
        })
    }
}

/// Background refresh, in seconds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Refresh {
    #[serde(deserialize_with = "bounds::refresh_interval")]
    pub interval: f64,
    /// While a deployment runs.
    #[serde(deserialize_with = "bounds::refresh_while_deploying")]
    pub while_deploying: f64,
    /// The share of one CPU core (in percent) the refresh may use while nothing is
    /// deploying: when one refresh costs more (thousands of resources), the next waits
    /// longer than `interval`.
    #[serde(deserialize_with = "bounds::cpu_percent")]
    pub cpu_percent: f64,
}

/// How long an operation follows a deployment it started, in seconds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Follow {
    /// The longest a deployment is followed (queued and running); after it, the outcome is
    /// reported unknown with the deployment to check.
    #[serde(deserialize_with = "bounds::follow_deadline")]
    pub deadline: f64,
    /// How long an unreachable server (or one failing with 5xx) is retried mid-operation
    /// before the outcome is reported unknown.
    #[serde(deserialize_with = "bounds::follow_unreachable")]
    pub unreachable: f64,
}

impl Default for Follow {
    fn default() -> Self {
        Self {
            deadline: 3600.0,
            unreachable: 60.0,
        }
    }
}

/// Which model answers the agent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AgentSettings {
    /// `offline`, `anthropic` or `openai`; by default anthropic when `ANTHROPIC_API_KEY` is
    /// set, else openai when `OPENAI_API_KEY` is, else the offline planner.
    pub provider: Option<String>,
    /// The model, e.g. `claude-sonnet-4-6` or `qwen3`.
    pub model: Option<String>,
    /// The API's address, when not the provider's default (or `ANTHROPIC_BASE_URL` /
    /// `OPENAI_BASE_URL`).
    pub base_url: Option<String>,
}

/// After a deployment finishes, its public URL plus health check path is tried this many
/// times, this many seconds apart, until it answers 2xx.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HealthCheck {
    #[serde(deserialize_with = "bounds::health_tries")]
    pub tries: u32,
    #[serde(deserialize_with = "bounds::health_interval")]
    pub interval: f64,
    /// Seconds to wait for one answer.
    #[serde(deserialize_with = "bounds::health_timeout")]
    pub timeout: f64,
}

impl Default for HealthCheck {
    fn default() -> Self {
        Self {
            tries: 5,
            interval: 2.0,
            timeout: 5.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Logs {
    /// Lines kept per log stream; older lines drop off.
    #[serde(deserialize_with = "bounds::buffer_lines")]
    pub buffer_lines: usize,
    pub wrap: bool,
    pub timestamps: bool,
}

/// How long to wait for a server (Coolify, GitHub), and how much of one answer to take.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// The most of one answer pftui takes, in megabytes: a server that sends more (or never
    /// stops) is cut off there with an error naming the request.
    #[serde(deserialize_with = "bounds::body_mb")]
    pub body_mb: u32,
    /// Seconds to wait for a connection.
    #[serde(deserialize_with = "bounds::connect_timeout")]
    pub connect_timeout: f64,
    /// Seconds for one request, its whole answer read: a server that accepts and never
    /// answers is given up after this (a read is tried up to three times).
    #[serde(deserialize_with = "bounds::request_timeout")]
    pub request_timeout: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_mb: 64,
            connect_timeout: 5.0,
            request_timeout: 30.0,
        }
    }
}

impl Limits {
    /// [`Limits::body_mb`] in bytes.
    pub fn body_bytes(&self) -> usize {
        self.body_mb as usize * 1024 * 1024
    }

    pub fn connect(&self) -> Duration {
        seconds(self.connect_timeout, Self::default().connect_timeout)
    }

    pub fn request(&self) -> Duration {
        seconds(self.request_timeout, Self::default().request_timeout)
    }
}

/// A number of seconds as a duration; `fallback` for one no duration can hold (settings
/// read from a file are in range, see `bounds`).
fn seconds(value: f64, fallback: f64) -> Duration {
    Duration::try_from_secs_f64(value).unwrap_or_else(|_| Duration::from_secs_f64(fallback))
}

/// One key or several for an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyList(pub Vec<Chord>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(String),
            Many(Vec<String>),
        }
        let raw = match Raw::deserialize(d)? {
            Raw::One(s) => vec![s],
            Raw::Many(v) => v,
        };
        raw.iter()
            .map(|s| parse_chord(s).map_err(serde::de::Error::custom))
            .collect::<Result<_, _>>()
            .map(KeyList)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            default_context: None,
            contexts: Vec::new(),
            theme: "default".into(),
            mouse: true,
            refresh: Refresh::default(),
            logs: Logs::default(),
            health: HealthCheck::default(),
            follow: Follow::default(),
            agent: AgentSettings::default(),
            limits: Limits::default(),
            keys: BTreeMap::new(),
            policy: Policy::default(),
            platform: PlatformSettings::default(),
            provenance: Provenance::default(),
        }
    }
}

impl Default for Refresh {
    fn default() -> Self {
        Self {
            interval: 5.0,
            while_deploying: 2.0,
            cpu_percent: 0.15,
        }
    }
}

impl Default for Logs {
    fn default() -> Self {
        Self {
            buffer_lines: 100_000,
            wrap: false,
            timestamps: true,
        }
    }
}

/// Why the settings could not be used; always names the file.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read settings file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Settings {
    /// The opt-in credentials file: the one found while loading, or the data directory's.
    pub fn credentials_file(&self) -> PathBuf {
        self.provenance
            .credentials_file
            .clone()
            .or_else(|| Paths::discover().ok().map(|p| p.credentials_file()))
            .unwrap_or_default()
    }

    /// Load from `path`, or from the default location when `None` (a missing default file
    /// means defaults; a missing explicit file is an error), merged with the pftui-managed
    /// contexts file beside it (hand-written contexts win on a name clash).
    pub fn load(explicit: Option<&Path>, paths: &Paths) -> Result<(Self, PathBuf), SettingsError> {
        let path = explicit
            .map(Path::to_path_buf)
            .unwrap_or_else(|| paths.settings_file());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                String::new()
            }
            Err(source) => return Err(SettingsError::Read { path, source }),
        };
        let mut settings = Self::parse_unchecked(&text, &path)?;
        settings
            .check_contexts()
            .map_err(|message| SettingsError::Invalid {
                path: path.clone(),
                message,
            })?;
        let managed_file = managed_path_for(&path);
        let managed = Managed::load(&managed_file)?;
        settings.merge_managed(managed, &managed_file);
        settings.provenance.settings_file = Some(path.clone());
        settings.provenance.credentials_file = Some(paths.credentials_file());
        for clash in &settings.provenance.clashes {
            tracing::warn!("{}", clash.describe(&path, &managed_file));
        }
        settings.check().map_err(|message| SettingsError::Invalid {
            path: path.clone(),
            message,
        })?;
        Ok((settings, path))
    }

    /// Add the managed file's contexts (hand-written ones win), its default context (when
    /// the settings file names none) and its credential records.
    fn merge_managed(&mut self, managed: Managed, managed_file: &Path) {
        self.provenance.managed_file = Some(managed_file.to_path_buf());
        for mc in managed.contexts {
            if let Some(own) = self.context(&mc.name) {
                self.provenance.clashes.push(Clash {
                    name: own.name.clone(),
                    settings_url: own.url.clone(),
                    managed_url: mc.url,
                });
                continue;
            }
            self.provenance
                .managed_contexts
                .insert(mc.name.to_ascii_lowercase());
            self.contexts.push(Context {
                name: mc.name,
                url: mc.url,
                read_only: false,
                theme: None,
                instances: BTreeMap::new(),
            });
        }
        if self.default_context.is_none()
            && let Some(name) = managed.default_context
            && self.context(&name).is_some()
        {
            self.default_context = Some(name);
            self.provenance.managed_default = true;
        }
        self.provenance.credentials = managed.credentials;
    }

    /// Which file defined the context `name`.
    pub fn context_origin(&self, name: &str) -> Option<Origin> {
        let c = self.context(name)?;
        if self
            .provenance
            .managed_contexts
            .contains(&c.name.to_ascii_lowercase())
        {
            Some(Origin::Managed)
        } else {
            Some(Origin::SettingsFile)
        }
    }

    /// Parse and check settings text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, SettingsError> {
        let settings = Self::parse_unchecked(text, path)?;
        settings.check().map_err(|message| SettingsError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(settings)
    }

    fn parse_unchecked(text: &str, path: &Path) -> Result<Self, SettingsError> {
        let settings: Settings = if text.trim().is_empty() {
            Settings::default()
        } else {
            yaml_serde::from_str(text).map_err(|e| {
                let (line, column) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((1, 1));
                SettingsError::Parse {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: clean_message(&e.to_string()),
                }
            })?
        };
        Ok(settings)
    }

    fn check_contexts(&self) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        for c in &self.contexts {
            if c.name.trim().is_empty() {
                return Err("a context has an empty name".into());
            }
            if !seen.insert(c.name.to_ascii_lowercase()) {
                return Err(format!("context '{}' is defined twice", c.name));
            }
            check_url(&c.name, &c.url)?;
        }
        Ok(())
    }

    fn check(&self) -> Result<(), String> {
        self.check_contexts()?;
        if let Some(name) = &self.default_context
            && self.context(name).is_none()
        {
            return Err(format!(
                "default_context '{name}' is not one of the contexts ({})",
                self.contexts
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(url) = &self.agent.base_url {
            crate::secrets::Server::parse(url).map_err(|e| format!("agent.base_url: {e}"))?;
        }
        Ok(())
    }

    /// A context by name, case-insensitively.
    pub fn context(&self, name: &str) -> Option<&Context> {
        self.contexts
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The context to use when none is named: the declared default, or the only one.
    pub fn default_context(&self) -> Option<&Context> {
        match &self.default_context {
            Some(name) => self.context(name),
            None if self.contexts.len() == 1 => self.contexts.first(),
            None => None,
        }
    }
}

/// A context's URL must be an http(s) address without credentials in it (never echoed).
fn check_url(name: &str, url: &str) -> Result<(), String> {
    crate::secrets::Server::parse(url)
        .map(|_| ())
        .map_err(|e| format!("context '{name}': {e}"))
}

/// yaml_serde appends " at line L column C" to messages; the location is shown up front.
fn clean_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, SettingsError> {
        Settings::parse(text, Path::new("/home/op/.config/pftui/config.yaml"))
    }

    #[test]
    fn empty_text_is_the_defaults() {
        assert_eq!(parse("").unwrap(), Settings::default());
        assert_eq!(parse("# only a comment\n").unwrap(), Settings::default());
    }

    #[test]
    fn a_full_file_parses() {
        let s = parse(
            r#"
default_context: pfcore
contexts:
  - name: pfcore
    url: https://coolify.pfcore.io
    instances:
      AIR: { github_repository: pfcore/pf-air, branches: { dev: develop } }
  - name: lab
    url: http://10.0.0.5:8000
    read_only: true
    theme: light
theme: high-contrast
mouse: false
refresh: { interval: 10, while_deploying: 1.5 }
logs: { buffer_lines: 5000, wrap: true }
keys:
  quit: [q, ctrl-q]
  refresh: shift-r
policy:
  environments:
    staging: { deploy: confirm-typed }
"#,
        )
        .unwrap();
        assert_eq!(s.default_context().unwrap().name, "pfcore");
        assert!(s.context("LAB").unwrap().read_only);
        assert_eq!(s.keys[&KeyAction::Quit].0.len(), 2);
        assert_eq!(s.refresh.while_deploying, 1.5);
        assert!(!s.mouse);
    }

    #[test]
    fn an_unknown_key_is_reported_with_its_position() {
        let err = parse("theme: light\nrefresh:\n  intervall: 3\n").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("/home/op/.config/pftui/config.yaml:3:3: "),
            "{text}"
        );
        assert!(text.contains("unknown field `intervall`"), "{text}");
        assert!(
            text.contains("expected one of `interval`, `while_deploying`, `cpu_percent`"),
            "{text}"
        );
    }

    #[test]
    fn broken_yaml_and_wrong_types_say_what_was_expected() {
        let err = parse("contexts:\n  - name: a\n    url: [\n").unwrap_err();
        assert!(
            matches!(err, SettingsError::Parse { line: 3.., .. }),
            "{err}"
        );
        let err = parse("mouse: maybe\n").unwrap_err().to_string();
        assert!(err.contains(":1:") && err.contains("bool"), "{err}");
        let err = parse("keys:\n  quit: hyper-q\n").unwrap_err().to_string();
        assert!(err.contains(":2:") && err.contains("hyper"), "{err}");
        let err = parse("keys:\n  fly: q\n").unwrap_err().to_string();
        assert!(err.contains("unknown variant `fly`"), "{err}");
    }

    #[test]
    fn numbers_out_of_range_are_reported_where_they_are_written() {
        let cases = [
            (
                "refresh:\n  interval: 1e308\n",
                2,
                "refresh: interval must be between 0.5 and 3600.0 seconds, not 1e308",
            ),
            (
                "refresh: { while_deploying: 0.1 }\n",
                1,
                "refresh: while_deploying must be between 0.5 and 3600.0 seconds, not 0.1",
            ),
            (
                "refresh:\n  cpu_percent: .nan\n",
                2,
                "refresh: cpu_percent must be between 0.001 and 100.0 percent, not NaN",
            ),
            (
                "health:\n  tries: 0\n",
                2,
                "health: tries must be between 1 and 100, not 0",
            ),
            (
                "health:\n  interval: 1e308\n",
                2,
                "health: interval must be between 0.0 and 600.0 seconds, not 1e308",
            ),
            (
                "health:\n  timeout: .inf\n",
                2,
                "health: timeout must be between 0.1 and 600.0 seconds, not inf",
            ),
            (
                "health:\n  timeout: -1\n",
                2,
                "health: timeout must be between 0.1 and 600.0 seconds, not -1.0",
            ),
            (
                "logs:\n  buffer_lines: 99\n",
                2,
                "logs: buffer_lines must be between 100 and 10000000 lines, not 99",
            ),
            (
                "limits:\n  body_mb: 0\n",
                2,
                "limits: body_mb must be between 1 and 4096 MB, not 0",
            ),
            (
                "limits:\n  request_timeout: 1e308\n",
                2,
                "limits: request_timeout must be between 1.0 and 3600.0 seconds, not 1e308",
            ),
            (
                "limits:\n  connect_timeout: 0\n",
                2,
                "limits: connect_timeout must be between 0.5 and 300.0 seconds, not 0.0",
            ),
        ];
        for (text, line, message) in cases {
            let err = parse(text).unwrap_err();
            let SettingsError::Parse {
                line: at,
                message: said,
                ..
            } = &err
            else {
                panic!("{text}: {err}");
            };
            assert_eq!((*at, said.as_str()), (line, message), "{text}");
            assert!(
                err.to_string()
                    .starts_with(&format!("/home/op/.config/pftui/config.yaml:{line}:")),
                "{err}"
            );
        }
        // Negative numbers do not wrap into a count.
        assert!(parse("health: { tries: -1 }\n").is_err());
        let limits =
            parse("limits: { body_mb: 4096, request_timeout: 3600, connect_timeout: 0.5 }\n")
                .unwrap()
                .limits;
        assert_eq!(limits.body_bytes(), 4096 * 1024 * 1024);
        assert_eq!(limits.request(), Duration::from_secs(3600));
        assert_eq!(limits.connect(), Duration::from_millis(500));
    }

    #[test]
    fn inconsistent_settings_are_invalid() {
        let twice = "contexts:\n  - {name: a, url: 'http://x'}\n  - {name: A, url: 'http://y'}\n";
        assert!(
            parse(twice)
                .unwrap_err()
                .to_string()
                .contains("defined twice")
        );
        let missing = "default_context: b\ncontexts:\n  - {name: a, url: 'http://x'}\n";
        assert!(
            parse(missing)
                .unwrap_err()
                .to_string()
                .contains("not one of the contexts (a)")
        );
        let bad_url = "contexts:\n  - {name: a, url: 'coolify.example.com'}\n";
        assert!(
            parse(bad_url)
                .unwrap_err()
                .to_string()
                .contains("not an http(s) address")
        );
    }

    #[test]
    fn the_platform_directory_is_relative_to_the_settings_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ops.yaml");
        std::fs::write(&file, "platform:\n  config_dir: platform-config\n").unwrap();
        let (s, _) = Settings::load(Some(&file), &Paths::under(dir.path())).unwrap();
        assert_eq!(s.config_dir(), Some(dir.path().join("platform-config")));
        let s = parse("platform: {config_dir: /srv/pf}\n").unwrap();
        assert_eq!(s.config_dir(), Some(PathBuf::from("/srv/pf")));
        assert_eq!(Settings::default().config_dir(), None);
        let err = parse("platform: {dir: x}\n").unwrap_err().to_string();
        assert!(err.contains("unknown field `dir`"), "{err}");
    }

    #[test]
    fn a_missing_default_file_is_fine_but_a_missing_explicit_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let (s, _) = Settings::load(None, &paths).unwrap();
        assert_eq!(s, Settings::default());
        let err = Settings::load(Some(&dir.path().join("nope.yaml")), &paths).unwrap_err();
        assert!(matches!(err, SettingsError::Read { .. }));
    }
}

#[cfg(test)]
mod managed_merge {
    use super::*;
    use crate::secrets::StoreKind;

    fn setup(settings: &str, managed: &str) -> (tempfile::TempDir, Paths) {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        std::fs::create_dir_all(&paths.config).unwrap();
        if !settings.is_empty() {
            std::fs::write(paths.settings_file(), settings).unwrap();
        }
        if !managed.is_empty() {
            std::fs::write(paths.contexts_file(), managed).unwrap();
        }
        (dir, paths)
    }

    const MANAGED: &str = "default_context: demo\ncontexts:\n  - {name: demo, url: 'http://127.0.0.1:4000'}\n  - {name: lab, url: 'http://10.0.0.9:8000'}\ncredentials:\n  demo:coolify: keyring\n  lab:coolify: keyutils\n";

    #[test]
    fn managed_contexts_are_added_with_their_records_and_default() {
        let (_d, paths) = setup("# my settings\ntheme: light\n", MANAGED);
        let (s, _) = Settings::load(None, &paths).unwrap();
        assert_eq!(s.contexts.len(), 2);
        assert_eq!(s.default_context().unwrap().name, "demo");
        assert!(s.provenance.managed_default);
        assert_eq!(s.context_origin("LAB"), Some(Origin::Managed));
        assert_eq!(
            s.provenance.credentials.get("lab:coolify"),
            Some(&StoreKind::Keyutils)
        );
        assert_eq!(s.provenance.managed_file, Some(paths.contexts_file()));
        assert_eq!(
            s.provenance.credentials_file,
            Some(paths.credentials_file())
        );
        assert!(s.provenance.clashes.is_empty());
    }

    #[test]
    fn hand_written_contexts_and_default_win_and_clashes_are_reported() {
        let hand = "default_context: prod\ncontexts:\n  - {name: prod, url: 'https://c.example.com'}\n  - {name: LAB, url: 'https://lab.example.com', read_only: true}\n  - {name: demo, url: 'http://127.0.0.1:4000/'}\n";
        let (_d, paths) = setup(hand, MANAGED);
        let (s, _) = Settings::load(None, &paths).unwrap();
        assert_eq!(s.contexts.len(), 3, "no duplicates");
        assert_eq!(s.default_context().unwrap().name, "prod");
        assert!(!s.provenance.managed_default);
        let lab = s.context("lab").unwrap();
        assert!(lab.read_only && lab.url == "https://lab.example.com");
        assert_eq!(s.context_origin("lab"), Some(Origin::SettingsFile));
        assert_eq!(s.provenance.clashes.len(), 2);
        let demo = s
            .provenance
            .clashes
            .iter()
            .find(|c| c.name == "demo")
            .unwrap();
        assert!(demo.same_url(), "a trailing slash is the same URL");
        let lab = s
            .provenance
            .clashes
            .iter()
            .find(|c| c.name == "LAB")
            .unwrap();
        assert!(!lab.same_url());
        let text = lab.describe(&paths.settings_file(), &paths.contexts_file());
        assert!(text.contains("hidden by the hand-written one"), "{text}");
    }

    #[test]
    fn the_settings_file_may_name_a_managed_context_as_default() {
        let (_d, paths) = setup("default_context: lab\n", MANAGED);
        let (s, _) = Settings::load(None, &paths).unwrap();
        assert_eq!(s.default_context().unwrap().name, "lab");
        // Without the managed file, the same settings are invalid, as before.
        let (_d, paths) = setup("default_context: lab\n", "");
        let err = Settings::load(None, &paths).unwrap_err().to_string();
        assert!(err.contains("not one of the contexts"), "{err}");
    }

    #[test]
    fn a_damaged_managed_file_names_itself() {
        let (_d, paths) = setup("", "contexts:\n  - {name: x, url: 'gopher://x'}\n");
        let err = Settings::load(None, &paths).unwrap_err().to_string();
        assert!(
            err.starts_with(&paths.contexts_file().display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn an_explicit_settings_file_has_its_own_managed_file() {
        let (dir, paths) = setup("", MANAGED);
        let explicit = dir.path().join("ops.yaml");
        std::fs::write(&explicit, "theme: light\n").unwrap();
        let (s, _) = Settings::load(Some(&explicit), &paths).unwrap();
        assert!(
            s.contexts.is_empty(),
            "contexts.yaml belongs to config.yaml"
        );
        assert_eq!(
            s.provenance.managed_file,
            Some(dir.path().join("ops.contexts.yaml"))
        );
    }
}

#[cfg(test)]
mod example {
    use super::*;

    /// The documented example is itself a valid settings file.
    #[test]
    fn config_example_parses() {
        let text = include_str!("../../config.example.yaml");
        let s = Settings::parse(text, Path::new("config.example.yaml")).unwrap();
        assert_eq!(s.default_context().unwrap().name, "pfcore");
        assert_eq!(s.contexts.len(), 2);
        assert!(s.platform.config_dir.is_some());
    }
}
