//! From global options to an open session: the embedded demo, a context from the settings,
//! or a server named by flag or environment, with the reason for the choice said on
//! standard error. The Coolify token comes from the resolver, which sends
//! `COOLIFY_API_TOKEN` only to the server `COOLIFY_BASE_URL` names; GitHub's token likewise
//! goes only to its own API.
//!
//! How the context is chosen: `--demo`; else `--context NAME`; else a server named by
//! `--url` or `COOLIFY_BASE_URL` (the flag wins), which is the context whose server it is
//! (its settings, read-only flag and stored token) or, when no context's server it is, the
//! `env` context with `COOLIFY_API_TOKEN` only; else `default_context`, or the only context.

use super::output::Paint;
use super::{Failure, GlobalArgs};
use crate::audit::Journal;
use std::path::PathBuf;

use crate::ops::{Connection, Ops, PlatformSecrets, PlatformSource, Session};
use crate::secrets::{BASE_URL_VAR, Credential, Resolver, Server, Service, Source};
use crate::settings::{Context, Limits, Paths, Settings, same_url};
use crate::sim::{self, SimConfig, SimHandle};

/// GitHub's public API, where a stored GitHub key belongs.
const GITHUB_API: &str = "https://api.github.com";
const GITHUB_URL_VAR: &str = "GITHUB_API_URL";

/// An open session, as the operations and reads that go through it (with the settings it
/// came from and the audit journal), plus the demo simulator it may be talking to (kept
/// alive with it).
pub struct Connected {
    pub ops: Ops,
    pub paths: Paths,
    _demo: Option<SimHandle>,
}

impl Connected {
    fn new(
        global: &GlobalArgs,
        session: Session,
        settings: Settings,
        paths: Paths,
        demo: Option<SimHandle>,
    ) -> Self {
        let journal = journal(&paths, demo.is_some());
        let platform = platform(global, &settings);
        Self {
            ops: Ops::new(session, settings, journal).with_platform(platform),
            paths,
            _demo: demo,
        }
    }
}

/// Where the platform configuration is: `--config-dir`, else the settings'
/// `platform.config_dir`, else `./config`; `None` for the built-in example set, which
/// `--demo` uses when no directory is named.
pub fn platform_dir(global: &GlobalArgs, settings: &Settings) -> Option<PathBuf> {
    match (&global.config_dir, global.demo) {
        (Some(dir), _) => Some(dir.clone()),
        (None, true) => None,
        (None, false) => Some(
            settings
                .config_dir()
                .unwrap_or_else(|| PathBuf::from(crate::config::DEFAULT_DIR)),
        ),
    }
}

/// The platform configuration the options name, read when first used, with where its
/// secrets come from (the demo's made-up values with `--demo`).
pub fn platform(global: &GlobalArgs, settings: &Settings) -> PlatformSource {
    let secrets = if global.demo {
        PlatformSecrets::Demo
    } else {
        PlatformSecrets::Store(resolver(settings))
    };
    PlatformSource::at(platform_dir(global, settings), secrets)
}

/// The audit journal: the user's, or for `--demo` runs one of their own, so that nothing
/// done to the embedded demo lands in the real record.
pub fn journal(paths: &Paths, demo: bool) -> Journal {
    Journal::at(if demo {
        paths.demo_audit_file()
    } else {
        paths.audit_file()
    })
}

/// The XDG paths, or a setup error naming why they cannot be found.
pub fn load_paths() -> Result<Paths, Failure> {
    Paths::discover().map_err(Failure::setup)
}

/// Where a server's address came from when no context was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlFrom {
    Flag,
    Env,
}

impl UrlFrom {
    fn label(self) -> &'static str {
        match self {
            Self::Flag => "--url",
            Self::Env => BASE_URL_VAR,
        }
    }
}

/// The address `--url` gives, or else `COOLIFY_BASE_URL`, and which of them gave it.
fn named_url(
    global: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<(String, UrlFrom)> {
    let given = |u: Option<String>| u.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    given(global.url.clone())
        .map(|u| (u, UrlFrom::Flag))
        .or_else(|| given(env(BASE_URL_VAR)).map(|u| (u, UrlFrom::Env)))
}

/// The server login and doctor work on when no context is named: `--url`, else
/// `COOLIFY_BASE_URL`.
pub fn given_url(global: &GlobalArgs) -> Option<String> {
    named_url(global, &env_var).map(|(url, _)| url)
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The context chosen for a run, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// A context of the settings; `None` for the server the environment names (`env`).
    pub context: Option<Context>,
    pub url: String,
    /// Why, in a few words: `--context`, `COOLIFY_BASE_URL; default_context prod ignored`.
    pub why: String,
}

impl Choice {
    pub fn name(&self) -> &str {
        self.context.as_ref().map_or("env", |c| c.name.as_str())
    }

    /// The dim line on standard error that says which context a command uses.
    pub fn announce(&self) {
        eprintln!("{}", Paint::stderr().dim(&self.to_string()));
    }
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pftui: context {} ({})", self.name(), self.why)
    }
}

/// Choose the context for a run that is not `--demo` (see the module documentation).
pub fn choose(global: &GlobalArgs, settings: &Settings) -> Result<Choice, Failure> {
    choose_with(global, settings, &env_var)
}

fn choose_with(
    global: &GlobalArgs,
    settings: &Settings,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Choice, Failure> {
    let named = named_url(global, env);
    if let Some((url, _)) = &named {
        Server::parse(url).map_err(|e| Failure::setup(e.to_string()))?;
    }
    if let Some(name) = &global.context {
        let context = find_context(settings, name)?;
        let mut why = "--context".to_string();
        match &named {
            Some((url, UrlFrom::Flag)) if !same_url(url, &context.url) => {
                return Err(Failure::setup(format!(
                    "--context {} and --url name different servers; give one of them",
                    context.name
                )));
            }
            Some((url, UrlFrom::Env)) if !same_url(url, &context.url) => {
                why.push_str(&format!("; {BASE_URL_VAR} ignored"));
            }
            _ => {}
        }
        return Ok(Choice {
            context: Some(context.clone()),
            url: context.url.clone(),
            why,
        });
    }
    let default = settings.default_context();
    let ignoring = |chosen: &str| match default {
        Some(d) if !d.name.eq_ignore_ascii_case(chosen) => match settings.default_context {
            Some(_) => format!("; default_context {} ignored", d.name),
            None => format!("; the only context {} ignored", d.name),
        },
        _ => String::new(),
    };
    if let Some((url, from)) = named {
        let matching: Vec<&Context> = settings
            .contexts
            .iter()
            .filter(|c| same_url(&c.url, &url))
            .collect();
        let context = match matching.as_slice() {
            [] => None,
            [one] => Some(*one),
            several => Some(
                several
                    .iter()
                    .find(|c| default.is_some_and(|d| d.name == c.name))
                    .copied()
                    .ok_or_else(|| {
                        Failure::setup(format!(
                            "the server {} names is the server of contexts {}: pick one with --context",
                            from.label(),
                            several
                                .iter()
                                .map(|c| c.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?,
            ),
        };
        if context.is_none()
            && from == UrlFrom::Flag
            && let Some(env_url) = env(BASE_URL_VAR).filter(|u| !u.trim().is_empty())
            && !same_url(&env_url, &url)
        {
            return Err(Failure::setup(format!(
                "--url names another server than {BASE_URL_VAR}, and {} goes only to the server {BASE_URL_VAR} names. Unset {BASE_URL_VAR} to use that token with --url, or log in to the server once (pftui login --context NAME --url URL) and use --context NAME",
                Service::Coolify.env_var()
            )));
        }
        let why = match context {
            Some(c) => format!("{} is its server{}", from.label(), ignoring(&c.name)),
            None => format!("{}{}", from.label(), ignoring("env")),
        };
        return Ok(Choice {
            context: context.cloned(),
            url: context.map_or(url, |c| c.url.clone()),
            why,
        });
    }
    let Some(context) = default else {
        return Err(Failure::setup(format!(
            "no Coolify server given: pass --url, set {BASE_URL_VAR}, add a context to the settings file, or try the embedded demo with --demo"
        )));
    };
    let why = match (
        &settings.default_context,
        settings.provenance.managed_default,
    ) {
        (Some(_), false) => "default_context",
        (Some(_), true) => "default_context of the managed contexts file",
        (None, _) => "the only context",
    };
    Ok(Choice {
        context: Some(context.clone()),
        url: context.url.clone(),
        why: why.to_string(),
    })
}

pub async fn connect(global: &GlobalArgs) -> Result<Connected, Failure> {
    let paths = load_paths()?;
    let (settings, _) = Settings::load(global.config.as_deref(), &paths)
        .map_err(|e| Failure::setup(e.to_string()))?;
    if global.demo {
        eprintln!("{}", Paint::stderr().dim("pftui: context demo (--demo)"));
        let demo = sim::start(SimConfig::default())
            .await
            .map_err(|e| Failure::setup(format!("cannot start the embedded demo: {e}")))?;
        let target = Connection {
            context: "demo".into(),
            url: demo.coolify_url(),
            token: Credential {
                value: demo.token().to_string().into(),
                source: Source::Demo,
            },
            read_only: false,
            health_via: Some(demo.health_base()),
            github: Some((
                demo.github_url(),
                Credential {
                    value: demo.github_token().to_string().into(),
                    source: Source::Demo,
                },
            )),
        };
        let session = Session::open_with(target, &settings.limits)?;
        return Ok(Connected::new(global, session, settings, paths, Some(demo)));
    }
    let choice = choose(global, &settings)?;
    choice.announce();
    let resolver = resolver(&settings).with_url_flag(global.url.as_deref());
    let context = choice.context.as_ref().map(|c| c.name.as_str());
    let token = resolver
        .resolve(context, Service::Coolify, None)
        .await
        .map_err(|e| Failure::setup(e.to_string()))?;
    let session = open_with(&resolver, &choice, token, &settings.limits)?;
    Ok(Connected::new(global, session, settings, paths, None))
}

/// Open a context of the settings by name (blocking while the keyring answers, at most its
/// timeout).
pub fn open_context(settings: &Settings, name: &str) -> Result<Session, Failure> {
    let context = find_context(settings, name)?;
    let resolver = resolver(settings);
    let token = resolver
        .resolve_blocking(Some(&context.name), Service::Coolify, None)
        .map_err(|e| Failure::setup(e.to_string()))?;
    let choice = Choice {
        context: Some(context.clone()),
        url: context.url.clone(),
        why: ":ctx".into(),
    };
    open_with(&resolver, &choice, token, &settings.limits)
}

/// The credential resolver for these settings: the process environment, the OS keyring,
/// keyutils and the opt-in credentials file, with the stores login recorded and each
/// context's server (so that `COOLIFY_API_TOKEN` reaches only its own).
pub fn resolver(settings: &Settings) -> Resolver {
    Resolver::for_user(
        settings.credentials_file(),
        settings.provenance.credentials.clone(),
    )
    .with_servers(
        settings
            .contexts
            .iter()
            .map(|c| (c.name.as_str(), c.url.as_str())),
    )
}

fn find_context<'a>(settings: &'a Settings, name: &str) -> Result<&'a Context, Failure> {
    settings.context(name).ok_or_else(|| {
        Failure::setup(format!(
            "no context named '{name}' in the settings; known contexts: {}",
            known(settings)
        ))
    })
}

fn open_with(
    resolver: &Resolver,
    choice: &Choice,
    token: Credential,
    limits: &Limits,
) -> Result<Session, Failure> {
    let context = choice.context.as_ref().map(|c| c.name.as_str());
    let github = match github_access(resolver, context)? {
        GithubAccess::Granted { url, token } => Some((url, token)),
        GithubAccess::Denied(why) => {
            tracing::info!("no GitHub access: {why}");
            None
        }
    };
    Ok(Session::open_with(
        Connection {
            context: choice.name().to_string(),
            url: choice.url.clone(),
            token,
            read_only: choice.context.as_ref().is_some_and(|c| c.read_only),
            health_via: std::env::var("PFTUI_HEALTH_VIA")
                .ok()
                .filter(|v| !v.is_empty()),
            github,
        },
        limits,
    )?)
}

/// Whether pftui may talk to GitHub, and with which token.
pub enum GithubAccess {
    Granted {
        url: String,
        token: Credential,
    },
    /// Why not, and what to do.
    Denied(String),
}

/// GitHub's API and the token that may go there: `GITHUB_TOKEN` belongs to
/// `GITHUB_API_URL` (api.github.com when not set); a stored GitHub key (`pftui login
/// --service github`) goes only to api.github.com. An address with credentials in it is
/// refused.
pub fn github_access(resolver: &Resolver, context: Option<&str>) -> Result<GithubAccess, Failure> {
    let url = env_var(GITHUB_URL_VAR)
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    if let Some(url) = &url {
        Server::parse(url).map_err(|e| Failure::setup(format!("{GITHUB_URL_VAR}: {e}")))?;
    }
    let token = match resolver.resolve_blocking(context, Service::Github, None) {
        Ok(token) => token,
        Err(e) => return Ok(GithubAccess::Denied(e.to_string())),
    };
    let url = url.unwrap_or_else(|| GITHUB_API.to_string());
    let from_env = matches!(&token.source, Source::Env(_));
    if !from_env && !same_url(&url, GITHUB_API) {
        return Ok(GithubAccess::Denied(format!(
            "the stored GitHub key goes only to api.github.com, and {GITHUB_URL_VAR} names another server: set {} for it",
            Service::Github.env_var()
        )));
    }
    Ok(GithubAccess::Granted { url, token })
}

/// The context names, or how to add one.
pub(crate) fn known(settings: &Settings) -> String {
    if settings.contexts.is_empty() {
        return "none (add one under `contexts:` in the settings file)".into();
    }
    settings
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn settings(text: &str) -> Settings {
        Settings::parse(text, Path::new("config.yaml")).unwrap()
    }

    const TWO: &str = "default_context: prod\ncontexts:\n  - {name: prod, url: 'https://coolify.example.com'}\n  - {name: lab, url: 'http://127.0.0.1:8000', read_only: true}\n";

    fn chosen(g: &GlobalArgs, s: &Settings, base_url: Option<&str>) -> Result<String, String> {
        let base_url = base_url.map(str::to_string);
        let env = move |var: &str| (var == BASE_URL_VAR).then(|| base_url.clone()).flatten();
        choose_with(g, s, &env)
            .map(|c| {
                format!(
                    "{c} read_only={}",
                    c.context.as_ref().is_some_and(|c| c.read_only)
                )
            })
            .map_err(|f| f.message)
    }

    #[test]
    fn the_choice_and_its_reason() {
        let s = settings(TWO);
        // --context, --url, COOLIFY_BASE_URL, and the line said.
        type Case<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str);
        let cases: [Case; 7] = [
            (
                None,
                None,
                None,
                "pftui: context prod (default_context) read_only=false",
            ),
            (
                Some("lab"),
                None,
                None,
                "pftui: context lab (--context) read_only=true",
            ),
            (
                Some("lab"),
                None,
                Some("https://coolify.example.com"),
                "pftui: context lab (--context; COOLIFY_BASE_URL ignored) read_only=true",
            ),
            (
                None,
                None,
                Some("http://localhost:8000/api/v1"),
                "pftui: context lab (COOLIFY_BASE_URL is its server; default_context prod ignored) read_only=true",
            ),
            (
                None,
                Some("http://[::ffff:127.0.0.1]:8000"),
                None,
                "pftui: context lab (--url is its server; default_context prod ignored) read_only=true",
            ),
            (
                None,
                None,
                Some("https://other.example.com"),
                "pftui: context env (COOLIFY_BASE_URL; default_context prod ignored) read_only=false",
            ),
            (
                None,
                None,
                Some("https://COOLIFY.example.com:443/"),
                "pftui: context prod (COOLIFY_BASE_URL is its server) read_only=false",
            ),
        ];
        for (context, url, base, expected) in cases {
            assert_eq!(
                chosen(&GlobalArgs::for_tests(context, url), &s, base).as_deref(),
                Ok(expected),
                "{context:?} {url:?} {base:?}"
            );
        }
        let only = settings("contexts:\n  - {name: solo, url: 'https://c.example.com'}\n");
        assert_eq!(
            chosen(&GlobalArgs::for_tests(None, None), &only, None).as_deref(),
            Ok("pftui: context solo (the only context) read_only=false")
        );
    }

    #[test]
    fn conflicting_or_unsafe_servers_are_errors_that_say_what_to_do() {
        let s = settings(TWO);
        let err = chosen(
            &GlobalArgs::for_tests(Some("lab"), Some("https://elsewhere.example.com")),
            &s,
            None,
        )
        .unwrap_err();
        assert!(err.contains("name different servers"), "{err}");
        let err = chosen(
            &GlobalArgs::for_tests(None, Some("https://elsewhere.example.com")),
            &s,
            Some("https://coolify.example.com"),
        )
        .unwrap_err();
        assert!(
            err.contains("COOLIFY_API_TOKEN goes only to the server COOLIFY_BASE_URL names"),
            "{err}"
        );
        let err = chosen(
            &GlobalArgs::for_tests(None, None),
            &s,
            Some("https://admin:hunter2-secret@coolify.example.com"),
        )
        .unwrap_err();
        assert!(
            err.contains("user:password@") && !err.contains("hunter2"),
            "{err}"
        );
        let twins = settings(
            "contexts:\n  - {name: a, url: 'http://127.0.0.1:9'}\n  - {name: b, url: 'http://localhost:9', read_only: true}\n",
        );
        let err = chosen(
            &GlobalArgs::for_tests(None, None),
            &twins,
            Some("http://127.1:9"),
        )
        .unwrap_err();
        assert!(
            err.contains("contexts a, b") && err.contains("--context"),
            "{err}"
        );
        let err = chosen(
            &GlobalArgs::for_tests(None, None),
            &Settings::default(),
            None,
        )
        .unwrap_err();
        assert!(
            err.contains("COOLIFY_BASE_URL") && err.contains("--demo"),
            "{err}"
        );
    }
}
