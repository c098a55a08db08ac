//! The three environments of every instance, by the configuration's names
//! (`development`, `staging`, `production`, seed section 8.2) and the console's
//! (`dev`, `staging`, `prod`), and a layer's view of one environment.

use std::fmt;
use std::str::FromStr;

use super::tree::{Node, merge};

/// One of an instance's environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Environment {
    Development,
    Staging,
    Production,
}

impl Environment {
    pub const ALL: [Environment; 3] = [Self::Development, Self::Staging, Self::Production];

    /// The name in the configuration files and in `APP_ENV`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Staging => "staging",
            Self::Production => "production",
        }
    }

    /// The name of the Coolify environment (and the console's): dev, staging, prod.
    pub fn short(self) -> &'static str {
        match self {
            Self::Development => "dev",
            Self::Staging => "staging",
            Self::Production => "prod",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Environment {
    type Err = String;

    /// Either name, any case: `prod` and `Production` are the same environment.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|e| s.eq_ignore_ascii_case(e.as_str()) || s.eq_ignore_ascii_case(e.short()))
            .ok_or_else(|| {
                format!(
                    "unknown environment `{s}`: use development (dev), staging or production (prod)"
                )
            })
    }
}

/// The keys of a layer that are not configuration values themselves.
pub const EXTENDS: &str = "extends";
pub const ENVIRONMENTS: &str = "environments";

/// What one layer says for `env`: its values with its `environments.<env>` section merged
/// over them (the section wins within the layer; a child layer still wins over both).
/// `None` keeps every environment section (the layers merged as written).
pub fn layer_view(layer: &Node, env: Option<Environment>) -> Node {
    let Some(env) = env else {
        return layer.split_off(&[EXTENDS]).0;
    };
    let (body, taken) = layer.split_off(&[EXTENDS, ENVIRONMENTS]);
    match taken[1]
        .as_ref()
        .and_then(|sections| sections.get(env.as_str()))
    {
        Some(section) => merge(body, section.clone()),
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::config::tree::parse;

    #[test]
    fn both_names_in_any_case() {
        assert_eq!("prod".parse(), Ok(Environment::Production));
        assert_eq!("Development".parse(), Ok(Environment::Development));
        assert_eq!("STAGING".parse(), Ok(Environment::Staging));
        assert!("live".parse::<Environment>().unwrap_err().contains("prod"));
    }

    #[test]
    fn a_layer_seen_for_one_environment() {
        let text = "extends: x\nresources: {memory_limit: 512M, cpu_limit: 0.5}\nenvironments:\n  development:\n    resources: {memory_limit: 256M}\n";
        let (layer, _) = parse(text, &Arc::from(Path::new("l.yaml"))).unwrap();
        let dev = layer_view(&layer, Some(Environment::Development));
        assert_eq!(
            dev.to_json(),
            serde_json::json!({"resources": {"memory_limit": "256M", "cpu_limit": 0.5}})
        );
        let prod = layer_view(&layer, Some(Environment::Production));
        assert_eq!(
            prod.at(&["resources", "memory_limit"]).unwrap().origin.line,
            2
        );
        let all = layer_view(&layer, None);
        assert!(all.get(ENVIRONMENTS).is_some() && all.get(EXTENDS).is_none());
    }
}
