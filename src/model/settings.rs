//! An application's settings as Coolify's API names them: what the platform configuration
//! sets, what a server has, and when two values are the same setting.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// The settings the platform configuration manages, in the order they are shown.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    GitBranch,
    Domains,
    BuildPack,
    PortsExposes,
    InstallCommand,
    BuildCommand,
    StartCommand,
    HealthCheckPath,
    HealthCheckInterval,
    LimitsMemory,
    LimitsCpus,
    AutoDeploy,
}

impl Setting {
    /// The field of `PATCH /applications/{uuid}` (a read names the domains `fqdn`).
    pub fn api_name(self) -> &'static str {
        match self {
            Self::GitBranch => "git_branch",
            Self::Domains => "domains",
            Self::BuildPack => "build_pack",
            Self::PortsExposes => "ports_exposes",
            Self::InstallCommand => "install_command",
            Self::BuildCommand => "build_command",
            Self::StartCommand => "start_command",
            Self::HealthCheckPath => "health_check_path",
            Self::HealthCheckInterval => "health_check_interval",
            Self::LimitsMemory => "limits_memory",
            Self::LimitsCpus => "limits_cpus",
            Self::AutoDeploy => "is_auto_deploy_enabled",
        }
    }

    /// Whether `have` (the server's) already is `want`, as Coolify means them: domains as
    /// a set of URLs (order, spaces and a trailing `/` aside), numbers by value whether
    /// written as text or not, text with its surrounding spaces aside.
    pub fn same(self, have: &Value, want: &Value) -> bool {
        match self {
            Self::Domains => domains(have) == domains(want),
            Self::HealthCheckInterval | Self::LimitsCpus | Self::PortsExposes => {
                match (number(have), number(want)) {
                    (Some(a), Some(b)) => a == b,
                    _ => text(have) == text(want),
                }
            }
            Self::AutoDeploy => have.as_bool() == want.as_bool(),
            Self::GitBranch
            | Self::BuildPack
            | Self::InstallCommand
            | Self::BuildCommand
            | Self::StartCommand
            | Self::HealthCheckPath
            | Self::LimitsMemory => text(have) == text(want),
        }
    }
}

/// A setting's value as people read it: text without quotes (an empty one as `""`),
/// anything else as JSON.
pub fn shown_value(v: &Value) -> String {
    match v {
        Value::String(s) if s.is_empty() => "\"\"".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn domains(v: &Value) -> std::collections::BTreeSet<String> {
    text(v)
        .split(',')
        .map(|d| d.trim().trim_end_matches('/').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect()
}

/// What an application has, setting by setting; a setting the server did not send is
/// absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AppSettings(BTreeMap<Setting, Value>);

impl AppSettings {
    pub fn get(&self, setting: Setting) -> Option<&Value> {
        self.0.get(&setting)
    }

    pub fn set(&mut self, setting: Setting, value: Value) {
        self.0.insert(setting, value);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_compare_as_coolify_means_them() {
        let d = Setting::Domains;
        assert!(d.same(
            &json!("https://b.example.com/, https://a.example.com"),
            &json!("https://a.example.com,https://b.example.com")
        ));
        assert!(!d.same(
            &json!("https://a.example.com"),
            &json!("https://b.example.com")
        ));
        assert!(Setting::HealthCheckInterval.same(&json!(30), &json!("30")));
        assert!(Setting::LimitsCpus.same(&json!("0.50"), &json!("0.5")));
        assert!(!Setting::LimitsMemory.same(&json!("0"), &json!("768M")));
        assert!(Setting::GitBranch.same(&json!(" main "), &json!("main")));
        assert!(!Setting::AutoDeploy.same(&json!(true), &json!(false)));
        assert!(!Setting::StartCommand.same(&Value::Null, &json!("npm start")));
    }

    #[test]
    fn every_setting_has_its_own_api_name() {
        use strum::VariantArray;
        let names: std::collections::BTreeSet<&str> =
            Setting::VARIANTS.iter().map(|s| s.api_name()).collect();
        assert_eq!(names.len(), Setting::VARIANTS.len());
    }
}
