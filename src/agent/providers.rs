//! Choosing and building a provider by name: `offline`, `anthropic` or `openai`.

use std::sync::Arc;

use super::anthropic::{AnthropicConfig, AnthropicProvider};
use super::offline::Offline;
use super::openai::{OpenAiConfig, OpenAiProvider};
use super::platform::Platform;
use super::provider::Provider;
use crate::secrets::Service;
use crate::settings::Settings;

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
        .map(|c| c.value)
    };
    match name.to_ascii_lowercase().as_str() {
        "offline" => Ok(Arc::new(match platform {
            Some(c) => Offline::with_platform(c),
            None => Offline::new(),
        })),
        "anthropic" => {
            let key = key(Service::Anthropic).map_err(|e| BuildError(e.to_string()))?;
            let mut config = AnthropicConfig::new(key);
            if let Some(url) = base("ANTHROPIC_BASE_URL") {
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
            // Local servers (Ollama) need no key.
            let mut config = OpenAiConfig::new(key(Service::Openai).ok());
            if let Some(url) = base("OPENAI_BASE_URL") {
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
