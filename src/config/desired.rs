//! The mapping to Coolify: from a resolved configuration, the desired state of the
//! target's application in one environment — its settings and its environment variables,
//! each with the file and line it comes from. Pure: nothing here talks to a server or
//! reads a credential.
//!
//! Environment variables, by name (seed section 5.2):
//!
//! | Variable | From |
//! |---|---|
//! | `APP_NAME` | `instance.name` |
//! | `APP_ENV` | the environment: `development`, `staging`, `production` |
//! | `APP_URL` | `https://` + the domain (`deploy.domain`, else the product's or instance's) |
//! | `PRODUCT_NAME`, `PRODUCT_CODE` | `product.name`, `product.code` (products only) |
//! | `NIXPACKS_NODE_VERSION` | `app.node_version` (build pack `nixpacks` only) |
//! | `BRAND_PRIMARY`, `BRAND_SECONDARY`, `BRAND_LOGO_URL` | `branding.primary_color`, `.secondary_color`, `.logo_url` |
//! | `SUPABASE_URL`, `SUPABASE_SCHEMA` | `supabase.url`, `supabase.schema` |
//! | `SUPABASE_ANON_KEY`, `SUPABASE_SERVICE_KEY` | `supabase.anon_key`, `supabase.service_key` (a secret) |
//! | `FEATURE_<NAME>` | `features.<name>`: `true`/`false`, the name upper-cased, other characters `_` |
//! | any | `env.<NAME>` as written; wins over a derived variable of the same name |
//!
//! A value written `{secret: name}` stays a [`DesiredValue::Secret`]: its value comes from
//! the credential store when the state is applied, never from the files. Secret values,
//! and values holding `$`, are literal (Coolify does not expand `$NAME` in them).

use serde::Serialize;

use super::origin::Origin;
use super::resolve::Resolved;
use super::schema::{EnvValue, SecretRef};
use crate::model::Setting;

/// A desired value and where it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

/// What an environment variable should hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DesiredValue {
    Literal(String),
    /// The named credential's value, resolved from the credential store.
    Secret(SecretRef),
}

/// One environment variable of the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesiredEnv {
    pub key: String,
    pub value: DesiredValue,
    pub is_literal: bool,
    pub is_multiline: bool,
    pub origin: Origin,
}

/// The application's settings (see [`DesiredSettings::fields`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesiredSettings {
    pub git_branch: Sourced<String>,
    /// `https://<domain>`.
    pub domains: Sourced<String>,
    pub build_pack: Sourced<String>,
    pub ports_exposes: Sourced<String>,
    pub install_command: Option<Sourced<String>>,
    pub build_command: Option<Sourced<String>>,
    pub start_command: Option<Sourced<String>>,
    pub health_check_path: Sourced<String>,
    pub health_check_interval: Sourced<u32>,
    pub limits_memory: Sourced<String>,
    pub limits_cpus: Sourced<String>,
    /// Always false in production (a rule of [`crate::config::Platform::resolve`]).
    pub is_auto_deploy_enabled: Sourced<bool>,
}

/// One setting with its desired value, for a diff against the server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesiredField {
    pub setting: Setting,
    pub value: serde_json::Value,
    pub origin: Origin,
}

impl DesiredSettings {
    /// Every setting the configuration gives, in [`Setting`]'s order (the commands only
    /// when written).
    pub fn fields(&self) -> Vec<DesiredField> {
        use strum::VariantArray;
        fn field<T: Serialize>(setting: Setting, s: &Sourced<T>) -> DesiredField {
            DesiredField {
                setting,
                value: serde_json::to_value(&s.value).unwrap_or_default(),
                origin: s.origin.clone(),
            }
        }
        Setting::VARIANTS
            .iter()
            .filter_map(|&setting| match setting {
                Setting::GitBranch => Some(field(setting, &self.git_branch)),
                Setting::Domains => Some(field(setting, &self.domains)),
                Setting::BuildPack => Some(field(setting, &self.build_pack)),
                Setting::PortsExposes => Some(field(setting, &self.ports_exposes)),
                Setting::InstallCommand => self.install_command.as_ref().map(|s| field(setting, s)),
                Setting::BuildCommand => self.build_command.as_ref().map(|s| field(setting, s)),
                Setting::StartCommand => self.start_command.as_ref().map(|s| field(setting, s)),
                Setting::HealthCheckPath => Some(field(setting, &self.health_check_path)),
                Setting::HealthCheckInterval => Some(field(setting, &self.health_check_interval)),
                Setting::LimitsMemory => Some(field(setting, &self.limits_memory)),
                Setting::LimitsCpus => Some(field(setting, &self.limits_cpus)),
                Setting::AutoDeploy => Some(field(setting, &self.is_auto_deploy_enabled)),
            })
            .collect()
    }
}

/// The desired state of one application: which one (project, environment, name, as the
/// demo and the seed name them: `AIR` / `prod` / `air-prod`, `air-ep-prod` for a
/// product), its settings and its environment variables (sorted by name).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesiredApp {
    pub project: String,
    pub environment: String,
    pub application: String,
    pub settings: DesiredSettings,
    pub envs: Vec<DesiredEnv>,
}

impl DesiredApp {
    /// The secrets the environment variables name, each once.
    pub fn secrets(&self) -> Vec<&SecretRef> {
        let mut out: Vec<&SecretRef> = self
            .envs
            .iter()
            .filter_map(|e| match &e.value {
                DesiredValue::Secret(s) => Some(s),
                DesiredValue::Literal(_) => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

impl Resolved {
    /// The desired state of this target's application in this environment.
    pub fn desired(&self) -> DesiredApp {
        let c = &self.config;
        let at = |path: &[&str]| self.origin(path).unwrap_or(&self.tree.origin).clone();
        let sourced = |value: String, path: &[&str]| Sourced {
            value,
            origin: at(path),
        };
        let optional = |value: &Option<String>, path: &[&str]| {
            value.as_ref().map(|v| sourced(v.clone(), path))
        };
        let (domain, domain_origin) = self.domain();
        let settings = DesiredSettings {
            git_branch: sourced(c.deploy.branch.clone(), &["deploy", "branch"]),
            domains: Sourced {
                value: format!("https://{domain}"),
                origin: domain_origin.clone(),
            },
            build_pack: sourced(
                c.coolify.build_pack.as_str().into(),
                &["coolify", "build_pack"],
            ),
            ports_exposes: sourced(c.app.port.to_string(), &["app", "port"]),
            install_command: optional(&c.app.install_command, &["app", "install_command"]),
            build_command: optional(&c.app.build_command, &["app", "build_command"]),
            start_command: optional(&c.app.start_command, &["app", "start_command"]),
            health_check_path: sourced(
                c.coolify.health_check_path.clone(),
                &["coolify", "health_check_path"],
            ),
            health_check_interval: Sourced {
                value: c.coolify.health_check_interval,
                origin: at(&["coolify", "health_check_interval"]),
            },
            limits_memory: sourced(
                c.resources.memory_limit.clone(),
                &["resources", "memory_limit"],
            ),
            limits_cpus: sourced(
                c.resources.cpu_limit.to_string(),
                &["resources", "cpu_limit"],
            ),
            is_auto_deploy_enabled: Sourced {
                value: c.deploy.auto_deploy,
                origin: at(&["deploy", "auto_deploy"]),
            },
        };
        let mut application = self.target.instance.clone();
        if let Some(code) = &self.target.product {
            application = format!("{application}-{code}");
        }
        DesiredApp {
            project: c.instance.name.clone(),
            environment: self.environment.short().into(),
            application: format!("{application}-{}", self.environment.short()),
            settings,
            envs: self.envs(domain, domain_origin),
        }
    }

    fn envs(&self, domain: &str, domain_origin: &Origin) -> Vec<DesiredEnv> {
        let c = &self.config;
        let mut vars = Vars {
            out: Vec::new(),
            resolved: self,
        };
        vars.text("APP_NAME", &c.instance.name, &["instance", "name"]);
        vars.push(
            "APP_ENV",
            literal(self.environment.as_str()),
            self.own_file(),
        );
        vars.push(
            "APP_URL",
            literal(&format!("https://{domain}")),
            domain_origin.clone(),
        );
        if let Some(p) = &c.product {
            vars.text("PRODUCT_NAME", &p.name, &["product", "name"]);
            vars.text("PRODUCT_CODE", &p.code, &["product", "code"]);
        }
        if c.coolify.build_pack == super::schema::BuildPack::Nixpacks {
            vars.text(
                "NIXPACKS_NODE_VERSION",
                &c.app.node_version,
                &["app", "node_version"],
            );
        }
        if let Some(b) = &c.branding {
            vars.text(
                "BRAND_PRIMARY",
                &b.primary_color,
                &["branding", "primary_color"],
            );
            vars.optional(
                "BRAND_SECONDARY",
                &b.secondary_color,
                &["branding", "secondary_color"],
            );
            vars.optional("BRAND_LOGO_URL", &b.logo_url, &["branding", "logo_url"]);
        }
        if let Some(s) = &c.supabase {
            vars.text("SUPABASE_URL", &s.url, &["supabase", "url"]);
            vars.text("SUPABASE_SCHEMA", &s.schema, &["supabase", "schema"]);
            if let Some(v) = &s.anon_key {
                vars.value("SUPABASE_ANON_KEY", v, &["supabase", "anon_key"]);
            }
            if let Some(secret) = &s.service_key {
                let v = EnvValue::Secret(secret.clone());
                vars.value("SUPABASE_SERVICE_KEY", &v, &["supabase", "service_key"]);
            }
        }
        for (name, on) in &c.features {
            let key = format!("FEATURE_{}", upper_snake(name));
            vars.value(&key, &EnvValue::Flag(*on), &["features", name]);
        }
        for (key, v) in &c.env {
            vars.value(key, v, &["env", key]);
        }
        let mut out = vars.out;
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    /// The top of the target's own file: the origin of what the environment itself decides.
    fn own_file(&self) -> Origin {
        Origin::top(&self.tree.origin.file)
    }
}

/// Collects variables; a later one replaces an earlier one of the same name.
struct Vars<'a> {
    out: Vec<DesiredEnv>,
    resolved: &'a Resolved,
}

impl Vars<'_> {
    fn push(&mut self, key: &str, value: DesiredValue, origin: Origin) {
        let (is_literal, is_multiline) = match &value {
            DesiredValue::Literal(v) => (v.contains('$'), v.contains('\n')),
            DesiredValue::Secret(_) => (true, false),
        };
        self.out.retain(|e| e.key != key);
        self.out.push(DesiredEnv {
            key: key.to_string(),
            value,
            is_literal,
            is_multiline,
            origin,
        });
    }

    fn origin(&self, path: &[&str]) -> Origin {
        let r = self.resolved;
        r.origin(path).unwrap_or(&r.tree.origin).clone()
    }

    fn text(&mut self, key: &str, value: &str, path: &[&str]) {
        self.push(key, literal(value), self.origin(path));
    }

    fn optional(&mut self, key: &str, value: &Option<String>, path: &[&str]) {
        if let Some(v) = value {
            self.text(key, v, path);
        }
    }

    fn value(&mut self, key: &str, value: &EnvValue, path: &[&str]) {
        let desired = match value {
            EnvValue::Text(s) => literal(s),
            EnvValue::Number(n) => literal(&n.to_string()),
            EnvValue::Flag(b) => literal(&b.to_string()),
            EnvValue::Secret(s) => DesiredValue::Secret(s.clone()),
        };
        self.push(key, desired, self.origin(path));
    }
}

fn literal(s: &str) -> DesiredValue {
    DesiredValue::Literal(s.to_string())
}

/// `emergency-mode` -> `EMERGENCY_MODE`.
fn upper_snake(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Environment, Platform, Target};

    fn desired(target: &str, env: Environment) -> DesiredApp {
        Platform::examples()
            .resolve(&Target::parse(target).unwrap(), env)
            .unwrap()
            .desired()
    }

    fn var<'a>(app: &'a DesiredApp, key: &str) -> &'a DesiredEnv {
        app.envs.iter().find(|e| e.key == key).unwrap()
    }

    #[test]
    fn air_production_maps_to_the_seed_variables() {
        let app = desired("air", Environment::Production);
        assert_eq!(
            (
                app.project.as_str(),
                app.environment.as_str(),
                app.application.as_str()
            ),
            ("AIR", "prod", "air-prod")
        );
        let lit = |k: &str| match &var(&app, k).value {
            DesiredValue::Literal(v) => v.clone(),
            DesiredValue::Secret(s) => panic!("{k} is secret {}", s.secret),
        };
        assert_eq!(lit("APP_NAME"), "AIR");
        assert_eq!(lit("APP_ENV"), "production");
        assert_eq!(lit("APP_URL"), "https://air.pfcore.io");
        assert_eq!(lit("BRAND_PRIMARY"), "#1E40AF");
        assert!(lit("SUPABASE_URL").starts_with("https://"));
        let service = var(&app, "SUPABASE_SERVICE_KEY");
        assert_eq!(
            service.value,
            DesiredValue::Secret(SecretRef {
                secret: "supabase_service_key".into()
            })
        );
        assert!(service.is_literal);
        assert!(
            var(&app, "BRAND_PRIMARY")
                .origin
                .file
                .ends_with("instances/air.instance.yaml")
        );
        assert!(
            app.secrets()
                .iter()
                .any(|s| s.secret == "supabase_service_key")
        );
        let fields = app.settings.fields();
        let get = |f: &str| {
            fields
                .iter()
                .find(|x| x.setting.api_name() == f)
                .unwrap()
                .value
                .clone()
        };
        assert_eq!(get("git_branch"), "main");
        assert_eq!(get("domains"), "https://air.pfcore.io");
        assert_eq!(get("limits_memory"), "768M");
        assert_eq!(get("limits_cpus"), "1");
        assert_eq!(get("is_auto_deploy_enabled"), false);
        assert_eq!(get("health_check_interval"), 30);
        assert_eq!(get("build_pack"), "nixpacks");
    }

    #[test]
    fn a_product_in_development() {
        let app = desired("air/ep", Environment::Development);
        assert_eq!(app.application, "air-ep-dev");
        assert_eq!(app.settings.git_branch.value, "develop");
        assert!(app.settings.is_auto_deploy_enabled.value);
        assert_eq!(app.settings.limits_cpus.value, "0.25");
        let flag = var(&app, "FEATURE_EMERGENCY_MODE");
        assert_eq!(flag.value, DesiredValue::Literal("true".into()));
        assert!(flag.origin.file.ends_with("products/air-ep.product.yaml"));
        assert_eq!(
            var(&app, "PRODUCT_CODE").value,
            DesiredValue::Literal("EP".into())
        );
        assert_eq!(
            var(&app, "APP_URL").value,
            DesiredValue::Literal("https://dev.ep.air.pfcore.io".into())
        );
    }

    #[test]
    fn names_are_upper_snake_and_env_entries_win() {
        assert_eq!(upper_snake("priority-routing.v2"), "PRIORITY_ROUTING_V2");
        let app = desired("w4m", Environment::Staging);
        let keys: Vec<&str> = app.envs.iter().map(|e| e.key.as_str()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        let unique: std::collections::BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(unique.len(), keys.len());
    }
}
