//! Choosing and building a provider by name: `offline`, `anthropic` or `openai`.

use std::sync::Arc;

use super::anthropic::{self, AnthropicConfig, AnthropicProvider};
use super::offline::Offline;
use super::openai::{self, OpenAiConfig, OpenAiProvider};
use super::platform::Platform;
use super::provider::Provider;
use crate::secrets::{Credential, Service, Source};
use crate::settings::{Settings, same_url};

/// The provider names, as `--provider` takes them.
pub const NAMES: [&str; 3] = ["offline", "anthropic", "openai"];

/// Why a provider could not be built (a setup problem: exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BuildError(pub String);

/// The provider used when none is named: `anthropic` when `ANTHROPIC_API_KEY` is set,
/// else `openai` when `OPENAI_API_KEY` is, else `offline`.
pub fn default_name() -> &'static str {
    let set = |var: &str| std::env::var(var).is_ok_and(|v| !v.trim().is_empty());
    if set("ANTHROPIC_API_KEY") {
        "anthropic"
    } else if set("OPENAI_API_KEY") {
        "openai"
    } else {
        "offline"
    }
}

/// Build the named provider for a context. The offline planner gets the platform's names
/// when known; the others find their key as every credential is found (`ANTHROPIC_API_KEY` /
/// `OPENAI_API_KEY`, then what `pftui login --service ...` stored) and their model and
/// address in the settings' `agent` section (or `ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL`).
pub fn build(
    name: &str,
    settings: &Settings,
    context: &str,
    platform: Option<Platform>,
) -> Result<Arc<dyn Provider>, BuildError> {
    let agent = &settings.agent;
    let base = |var: &str| {
        agent
            .base_url
            .clone()
            .or_else(|| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
    };
    let key = |service: Service| {
        crate::secrets::Resolver::for_user(
            settings.credentials_file(),
            settings.provenance.credentials.clone(),
        )
        .resolve_blocking(Some(context), service, None)
    };
    // A key from the environment goes with the address beside it; a stored key only to its
    // service's own API.
    let stays_home = |service: Service, key: &Credential, home: &str, to: Option<&String>| match to
    {
        Some(url) if !matches!(key.source, Source::Env(_)) && !same_url(url, home) => {
            Err(BuildError(format!(
                "the stored {} goes only to {home}, and the agent is set to talk to {url}: set {} for that server",
                service.label(),
                service.env_var()
            )))
        }
        _ => Ok(()),
    };
    match name.to_ascii_lowercase().as_str() {
        "offline" => Ok(Arc::new(match platform {
            Some(c) => Offline::with_platform(c),
            None => Offline::new(),
        })),
        "anthropic" => {
            let key = key(Service::Anthropic).map_err(|e| BuildError(e.to_string()))?;
            let url = base("ANTHROPIC_BASE_URL");
            stays_home(
                Service::Anthropic,
                &key,
                anthropic::DEFAULT_BASE_URL,
                url.as_ref(),
            )?;
            let mut config = AnthropicConfig::new(key.value);
            if let Some(url) = url {
                config = config.with_base_url(url);
            }
            if let Some(model) = &agent.model {
                config = config.with_model(model.clone());
            }
            AnthropicProvider::new(config)
                .map(|p| Arc::new(p) as Arc<dyn Provider>)
                .map_err(|e| BuildError(e.to_string()))
        }
        "openai" => {
            // Local servers (Ollama) need no key: a stored one is simply not sent elsewhere.
            let url = base("OPENAI_BASE_URL");
            let key = key(Service::Openai).ok().filter(|k| {
                stays_home(Service::Openai, k, openai::DEFAULT_BASE_URL, url.as_ref()).is_ok()
            });
            let mut config = OpenAiConfig::new(key.map(|k| k.value));
            if let Some(url) = url {
                config = config.with_base_url(url);
            }
            if let Some(model) = &agent.model {
                config = config.with_model(model.clone());
            }
            OpenAiProvider::new(config)
                .map(|p| Arc::new(p) as Arc<dyn Provider>)
                .map_err(|e| BuildError(e.to_string()))
        }
        other => Err(BuildError(format!(
            "no provider named '{other}': use one of {}",
            NAMES.join(", ")
        ))),
    }
}
