//! Choosing and building a provider by name: `offline`, `anthropic` or `openai`.

use std::sync::Arc;

use super::catalog::Catalog;
use super::offline::Offline;
use super::provider::Provider;
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

/// Build the named provider. The offline planner gets the platform's names when known.
pub fn build(
    name: &str,
    settings: &Settings,
    catalog: Option<Catalog>,
) -> Result<Arc<dyn Provider>, BuildError> {
    let _ = settings;
    match name.to_ascii_lowercase().as_str() {
        "offline" => Ok(Arc::new(match catalog {
            Some(c) => Offline::with_catalog(c),
            None => Offline::new(),
        })),
        "anthropic" | "openai" => Err(BuildError(format!(
            "the {name} provider is not built into this pftui yet: use --provider offline"
        ))),
        other => Err(BuildError(format!(
            "no provider named '{other}': use one of {}",
            NAMES.join(", ")
        ))),
    }
}
