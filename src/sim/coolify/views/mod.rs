//! JSON shapes of Coolify objects, written straight from the OpenAPI schemas (Application,
//! ApplicationSetting, ApplicationDeploymentQueue, Server, ServerSetting, Project,
//! Environment, EnvironmentVariable, Service) and the controllers' serialisation rules:
//! `id` hidden on top-level resources, sensitive fields absent unless the token may read
//! them, and `null` only where the schema says nullable (otherwise the key is left out).
//!
//! The views serialise straight from the world without building intermediate maps, so a
//! list of thousands of applications costs one pass.

mod schedules;
mod service_parts;
mod storage;
mod team;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::sim::ids::{Ts, mix};
use crate::sim::logs;
use crate::sim::world::World;
use crate::sim::world::records::{
    App, Database, DbKind, Deployment, EnvVar, Project, Server, Service,
};

pub(crate) use schedules::{BackupRunSummary, BackupScheduleView, TaskRunView, TaskView};
pub(crate) use service_parts::ServiceAppView;
pub(crate) use storage::StoragesView;
pub(crate) use team::{
    CloudTokenView, DestinationItem, GithubAppView, MemberView, PrivateKeyView, TagView,
};

const DESTINATION_TYPE: &str = "App\\Models\\StandaloneDocker";

/// Write `key` with the override from `o` if there is one, else `value`.
macro_rules! put {
    ($m:ident, $o:expr, $k:expr, $v:expr) => {
        match $o.get($k) {
            Some(ov) => $m.serialize_entry($k, ov)?,
            None => $m.serialize_entry($k, &$v)?,
        }
    };
}

fn hash_hex(seed: &str, n: usize) -> String {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in seed.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let mut out = String::with_capacity(n);
    let mut x = h;
    while out.len() < n {
        x = mix(x);
        out.push_str(&format!("{x:016x}"));
    }
    out.truncate(n);
    out
}

/// How an application is embedded.
#[derive(Clone, Copy, Default)]
pub(crate) struct AppOpts {
    pub sensitive: bool,
    /// Nested relations keep their `id` (only top-level resources hide it).
    pub with_id: bool,
    /// Add `type` (for `/resources`).
    pub resource_type: bool,
    /// Embed `environment` -> `project` -> `team` (the deployment's `application`).
    pub with_environment: bool,
}

pub(crate) struct AppView<'a> {
    pub w: &'a World,
    pub a: &'a App,
    pub o: AppOpts,
}

impl Serialize for AppView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (w, a, o) = (self.w, self.a, self.o);
        let ov = &a.overrides;
        let dest = &w.destinations[a.destination];
        let env = &w.environments[a.environment];
        let mut m = s.serialize_map(None)?;
        if o.with_id {
            m.serialize_entry("id", &a.id)?;
        }
        m.serialize_entry("uuid", &a.uuid)?;
        put!(m, ov, "description", a.description);
        m.serialize_entry("name", &a.name)?;
        put!(m, ov, "base_directory", a.base_directory);
        if let Some(c) = &a.build_command {
            m.serialize_entry("build_command", c)?;
        }
        m.serialize_entry("build_pack", &a.build_pack)?;
        m.serialize_entry("compose_parsing_version", "3")?;
        m.serialize_entry("config_hash", &hash_hex(&a.uuid, 32))?;
        put!(m, ov, "custom_docker_run_options", Value::Null);
        m.serialize_entry("custom_healthcheck_found", &false)?;
        if o.sensitive {
            let labels = format!(
                "traefik.enable=true\ntraefik.http.middlewares.gzip.compress=true\ntraefik.http.routers.https-0-{}.rule=Host(`{}`) && PathPrefix(`/`)\ntraefik.http.routers.https-0-{}.tls.certresolver=letsencrypt",
                a.uuid,
                a.fqdn
                    .as_deref()
                    .unwrap_or("")
                    .trim_start_matches("https://"),
                a.uuid
            );
            put!(m, ov, "custom_labels", labels);
        }
        put!(m, ov, "custom_network_aliases", Value::Null);
        put!(m, ov, "custom_nginx_configuration", Value::Null);
        m.serialize_entry("deleted_at", &())?;
        m.serialize_entry("destination_id", &dest.id)?;
        m.serialize_entry("destination_type", DESTINATION_TYPE)?;
        if o.sensitive {
            m.serialize_entry("docker_compose", &())?;
        }
        put!(m, ov, "docker_compose_custom_build_command", Value::Null);
        put!(m, ov, "docker_compose_custom_start_command", Value::Null);
        put!(m, ov, "docker_compose_domains", Value::Null);
        put!(m, ov, "docker_compose_location", "/docker-compose.yaml");
        if o.sensitive {
            m.serialize_entry("docker_compose_raw", &())?;
        }
        put!(m, ov, "docker_registry_image_name", Value::Null);
        put!(m, ov, "docker_registry_image_tag", Value::Null);
        if o.sensitive {
            m.serialize_entry("dockerfile", &())?;
        }
        put!(m, ov, "dockerfile_location", "/Dockerfile");
        put!(m, ov, "dockerfile_target_build", Value::Null);
        m.serialize_entry("environment_id", &env.id)?;
        m.serialize_entry("fqdn", &a.fqdn)?;
        m.serialize_entry("git_branch", &a.git_branch)?;
        m.serialize_entry("git_commit_sha", &a.git_commit_sha)?;
        m.serialize_entry("git_full_url", &())?;
        m.serialize_entry("git_repository", &a.git_repository)?;
        put!(m, ov, "health_check_command", Value::Null);
        m.serialize_entry("health_check_enabled", &a.health_check_enabled)?;
        put!(m, ov, "health_check_host", "localhost");
        put!(m, ov, "health_check_interval", 5);
        put!(m, ov, "health_check_method", "GET");
        m.serialize_entry("health_check_path", &a.health_check_path)?;
        put!(m, ov, "health_check_port", Value::Null);
        put!(m, ov, "health_check_response_text", Value::Null);
        put!(m, ov, "health_check_retries", 10);
        put!(m, ov, "health_check_return_code", 200);
        put!(m, ov, "health_check_scheme", "http");
        put!(m, ov, "health_check_start_period", 5);
        put!(m, ov, "health_check_timeout", 5);
        put!(m, ov, "health_check_type", "http");
        if o.sensitive {
            put!(m, ov, "http_basic_auth_password", Value::Null);
        }
        put!(m, ov, "http_basic_auth_username", Value::Null);
        if let Some(c) = &a.install_command {
            m.serialize_entry("install_command", c)?;
        }
        put!(m, ov, "is_http_basic_auth_enabled", false);
        if let Some(t) = a.container_started_at {
            m.serialize_entry("last_online_at", &t)?;
        }
        put!(m, ov, "limits_cpu_shares", 1024);
        m.serialize_entry("limits_cpus", &a.limits_cpus)?;
        put!(m, ov, "limits_cpuset", Value::Null);
        m.serialize_entry("limits_memory", &a.limits_memory)?;
        put!(m, ov, "limits_memory_reservation", "0");
        put!(m, ov, "limits_memory_swap", "0");
        put!(m, ov, "limits_memory_swappiness", 60);
        if o.sensitive {
            put!(m, ov, "manual_webhook_secret_bitbucket", Value::Null);
            put!(m, ov, "manual_webhook_secret_gitea", Value::Null);
            put!(m, ov, "manual_webhook_secret_github", a.webhook_secret);
            put!(m, ov, "manual_webhook_secret_gitlab", Value::Null);
        }
        put!(m, ov, "max_restart_count", 10);
        put!(m, ov, "noindex_domains", Value::Null);
        m.serialize_entry("ports_exposes", &a.ports_exposes)?;
        put!(m, ov, "ports_mappings", Value::Null);
        put!(m, ov, "post_deployment_command", Value::Null);
        put!(m, ov, "post_deployment_command_container", Value::Null);
        put!(m, ov, "pre_deployment_command", Value::Null);
        put!(m, ov, "pre_deployment_command_container", Value::Null);
        put!(m, ov, "preview_url_template", "{{pr_id}}.{{domain}}");
        if o.sensitive {
            m.serialize_entry("private_key_id", &())?;
        }
        put!(m, ov, "redirect", "both");
        m.serialize_entry("repository_project_id", &())?;
        m.serialize_entry("restart_count", &0)?;
        m.serialize_entry("server_status", &w.servers[dest.server].is_usable)?;
        m.serialize_entry("source_id", &0)?;
        m.serialize_entry("source_type", "App\\Models\\GithubApp")?;
        if let Some(c) = &a.start_command {
            m.serialize_entry("start_command", c)?;
        }
        put!(m, ov, "static_image", "nginx:alpine");
        m.serialize_entry("status", &a.status)?;
        m.serialize_entry("swarm_placement_constraints", &())?;
        m.serialize_entry("swarm_replicas", &())?;
        if o.resource_type {
            m.serialize_entry("type", "application")?;
        }
        put!(m, ov, "watch_paths", Value::Null);
        m.serialize_entry("settings", &SettingsView { a })?;
        m.serialize_entry(
            "destination",
            &DestinationView {
                w,
                dest: a.destination,
                sensitive: o.sensitive,
            },
        )?;
        if o.with_environment {
            m.serialize_entry(
                "environment",
                &EnvView {
                    w,
                    e: a.environment,
                    with_project: true,
                },
            )?;
        }
        m.serialize_entry("created_at", &a.created_at)?;
        m.serialize_entry("updated_at", &a.updated_at)?;
        m.end()
    }
}

struct SettingsView<'a> {
    a: &'a App,
}

impl Serialize for SettingsView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.a;
        let st = &a.settings;
        let ov = &a.overrides;
        let mut m = s.serialize_map(None)?;
        put!(m, ov, "connect_to_docker_network", false);
        put!(m, ov, "custom_internal_name", Value::Null);
        put!(m, ov, "disable_build_cache", false);
        m.serialize_entry("docker_images_to_keep", &st.docker_images_to_keep)?;
        put!(m, ov, "gpu_count", Value::Null);
        put!(m, ov, "gpu_device_ids", Value::Null);
        put!(m, ov, "gpu_driver", Value::Null);
        put!(m, ov, "gpu_options", Value::Null);
        put!(m, ov, "include_source_commit_in_build", false);
        put!(m, ov, "inject_build_args_to_dockerfile", true);
        m.serialize_entry("is_auto_deploy_enabled", &st.is_auto_deploy_enabled)?;
        m.serialize_entry("is_build_server_enabled", &st.is_build_server_enabled)?;
        put!(m, ov, "is_consistent_container_name_enabled", false);
        put!(m, ov, "is_container_label_escape_enabled", true);
        put!(m, ov, "is_container_label_readonly_enabled", true);
        m.serialize_entry("is_debug_enabled", &st.is_debug_enabled)?;
        put!(m, ov, "is_env_sorting_enabled", false);
        m.serialize_entry("is_force_https_enabled", &st.is_force_https_enabled)?;
        put!(m, ov, "is_git_lfs_enabled", true);
        put!(m, ov, "is_git_shallow_clone_enabled", true);
        put!(m, ov, "is_git_submodules_enabled", true);
        put!(m, ov, "is_gpu_enabled", false);
        put!(m, ov, "is_gzip_enabled", true);
        put!(m, ov, "is_include_timestamps", false);
        put!(m, ov, "is_log_drain_enabled", false);
        put!(m, ov, "is_pr_deployments_public_enabled", false);
        put!(m, ov, "is_preserve_repository_enabled", false);
        m.serialize_entry(
            "is_preview_deployments_enabled",
            &st.is_preview_deployments_enabled,
        )?;
        put!(m, ov, "is_raw_compose_deployment_enabled", false);
        put!(m, ov, "is_spa", false);
        put!(m, ov, "is_static", false);
        put!(m, ov, "is_stripprefix_enabled", true);
        put!(m, ov, "is_swarm_only_worker_nodes", true);
        put!(m, ov, "stop_grace_period", Value::Null);
        put!(m, ov, "use_build_secrets", false);
        m.end()
    }
}

/// The `destination` relation with its `server` (and the server's `settings`), which
/// `server_status` loads on applications, databases and services.
struct DestinationView<'a> {
    w: &'a World,
    dest: usize,
    sensitive: bool,
}

impl Serialize for DestinationView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = &self.w.destinations[self.dest];
        let srv = &self.w.servers[d.server];
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &d.id)?;
        m.serialize_entry("uuid", &d.uuid)?;
        m.serialize_entry("name", &d.name)?;
        m.serialize_entry("network", &d.network)?;
        m.serialize_entry("server_id", &srv.id)?;
        m.serialize_entry("created_at", &d.created_at)?;
        m.serialize_entry("updated_at", &d.created_at)?;
        m.serialize_entry(
            "server",
            &NestedServer {
                s: srv,
                sensitive: self.sensitive,
            },
        )?;
        m.end()
    }
}

struct NestedServer<'a> {
    s: &'a Server,
    sensitive: bool,
}

impl Serialize for NestedServer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let srv = self.s;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &srv.id)?;
        m.serialize_entry("uuid", &srv.uuid)?;
        m.serialize_entry("name", &srv.name)?;
        m.serialize_entry("description", &srv.description)?;
        m.serialize_entry("ip", &srv.ip)?;
        m.serialize_entry("port", &srv.port)?;
        m.serialize_entry("user", &srv.user)?;
        m.serialize_entry("team_id", &0)?;
        m.serialize_entry(
            "proxy",
            &serde_json::json!({"type": "traefik", "status": "running"}),
        )?;
        m.serialize_entry("created_at", &srv.created_at)?;
        m.serialize_entry("updated_at", &srv.updated_at)?;
        m.serialize_entry(
            "settings",
            &ServerSettingView {
                s: srv,
                sensitive: self.sensitive,
            },
        )?;
        m.end()
    }
}

pub(crate) struct EnvView<'a> {
    pub w: &'a World,
    pub e: usize,
    pub with_project: bool,
}

impl Serialize for EnvView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = &self.w.environments[self.e];
        let p = &self.w.projects[e.project];
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &e.id)?;
        m.serialize_entry("uuid", &e.uuid)?;
        if let Some(d) = &e.description {
            m.serialize_entry("description", d)?;
        }
        m.serialize_entry("name", &e.name)?;
        m.serialize_entry("project_id", &p.id)?;
        if self.with_project {
            m.serialize_entry("project", &ProjectView { p, full: true })?;
        }
        m.serialize_entry("created_at", &e.created_at)?;
        m.serialize_entry("updated_at", &e.updated_at)?;
        m.end()
    }
}

pub(crate) struct ProjectView<'a> {
    pub p: &'a Project,
    /// With team_id and timestamps (as loaded models are), not just the list's four fields.
    pub full: bool,
}

impl Serialize for ProjectView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.p;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &p.id)?;
        m.serialize_entry("uuid", &p.uuid)?;
        m.serialize_entry("description", p.description.as_deref().unwrap_or(""))?;
        m.serialize_entry("name", &p.name)?;
        if self.full {
            m.serialize_entry("team_id", &0)?;
            m.serialize_entry("created_at", &p.created_at)?;
            m.serialize_entry("updated_at", &p.updated_at)?;
        }
        m.end()
    }
}

pub(crate) struct EnvVarView<'a> {
    pub v: &'a EnvVar,
    pub sensitive: bool,
}

impl Serialize for EnvVarView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.v;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("uuid", &v.uuid)?;
        m.serialize_entry("comment", &v.comment)?;
        m.serialize_entry("is_buildtime", &v.is_buildtime)?;
        m.serialize_entry("is_literal", &v.is_literal)?;
        m.serialize_entry("is_multiline", &v.is_multiline)?;
        m.serialize_entry("is_preview", &v.is_preview)?;
        m.serialize_entry("is_runtime", &v.is_runtime)?;
        m.serialize_entry("is_shared", &false)?;
        m.serialize_entry("is_shown_once", &v.is_shown_once)?;
        m.serialize_entry("key", &v.key)?;
        m.serialize_entry("order", &(v.id % 100 / 2 + 1))?;
        if self.sensitive && !v.is_shown_once {
            m.serialize_entry("real_value", &v.value)?;
            m.serialize_entry("value", &v.value)?;
        }
        m.serialize_entry("version", "4.0.0-beta.420")?;
        m.serialize_entry("created_at", &v.created_at)?;
        m.serialize_entry("updated_at", &v.updated_at)?;
        m.end()
    }
}

pub(crate) struct DeploymentView<'a> {
    pub w: &'a World,
    pub d: &'a Deployment,
    pub sensitive: bool,
    pub with_application: bool,
}

impl Serialize for DeploymentView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (w, d) = (self.w, self.d);
        let a = &w.apps[d.app];
        let env = &w.environments[a.environment];
        let project = &w.projects[env.project];
        let srv = &w.servers[d.server];
        let dest = &w.destinations[a.destination];
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &d.id)?;
        m.serialize_entry("application_id", &a.id.to_string())?;
        m.serialize_entry("application_name", &a.name)?;
        m.serialize_entry("build_server_id", &())?;
        m.serialize_entry("commit", &d.commit)?;
        if let Some(msg) = &d.commit_message {
            m.serialize_entry("commit_message", msg)?;
        }
        m.serialize_entry("configuration_hash", &())?;
        if let Some(pid) = &d.current_process_id {
            m.serialize_entry("current_process_id", pid)?;
        }
        m.serialize_entry(
            "deployment_url",
            &format!(
                "/project/{}/environment/{}/application/{}/deployment/{}",
                project.uuid, env.uuid, a.uuid, d.uuid
            ),
        )?;
        m.serialize_entry("deployment_uuid", &d.uuid)?;
        m.serialize_entry("destination_id", &dest.id.to_string())?;
        m.serialize_entry("docker_registry_image_tag", &())?;
        m.serialize_entry("finished_at", &d.finished_at)?;
        m.serialize_entry("force_rebuild", &d.force_rebuild)?;
        m.serialize_entry("horizon_job_id", &d.horizon_job_id)?;
        m.serialize_entry("horizon_job_worker", &d.horizon_job_worker)?;
        m.serialize_entry("is_api", &d.is_api)?;
        m.serialize_entry("is_webhook", &d.is_webhook)?;
        if self.sensitive {
            let entries = w.deployment_log(d.id as usize - 1);
            m.serialize_entry("logs", &logs::logs_string(&entries))?;
        }
        m.serialize_entry("only_this_server", &false)?;
        m.serialize_entry("pull_request_id", &0)?;
        m.serialize_entry("restart_only", &d.restart_only)?;
        m.serialize_entry("rollback", &d.rollback)?;
        m.serialize_entry("server_id", &srv.id)?;
        m.serialize_entry("server_name", &srv.name)?;
        m.serialize_entry("status", d.status.as_str())?;
        if self.with_application {
            m.serialize_entry(
                "application",
                &AppView {
                    w,
                    a,
                    o: AppOpts {
                        sensitive: false,
                        with_id: true,
                        resource_type: false,
                        with_environment: true,
                    },
                },
            )?;
        }
        m.serialize_entry("created_at", &d.created_at)?;
        m.serialize_entry("updated_at", &d.updated_at)?;
        m.end()
    }
}

pub(crate) struct ServerView<'a> {
    pub s: &'a Server,
    pub sensitive: bool,
    /// `GET /servers/{uuid}` (every column) rather than the list's selection.
    pub full: bool,
}

impl Serialize for ServerView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let srv = self.s;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("uuid", &srv.uuid)?;
        m.serialize_entry("description", &srv.description)?;
        m.serialize_entry("name", &srv.name)?;
        if self.full {
            m.serialize_entry("high_disk_usage_notification_sent", &false)?;
        }
        m.serialize_entry("ip", &srv.ip)?;
        m.serialize_entry("is_reachable", &srv.is_reachable)?;
        m.serialize_entry("is_usable", &srv.is_usable)?;
        if self.full {
            m.serialize_entry("log_drain_notification_sent", &false)?;
        }
        m.serialize_entry("port", &srv.port)?;
        if self.full {
            m.serialize_entry(
                "proxy",
                &serde_json::json!({"type": "traefik", "status": if srv.is_build_server { "exited" } else { "running" }, "force_stop": false}),
            )?;
            m.serialize_entry("proxy_type", "traefik")?;
            m.serialize_entry("team_id", &0)?;
            m.serialize_entry("unreachable_count", &0)?;
            m.serialize_entry("unreachable_notification_sent", &false)?;
        }
        m.serialize_entry("user", &srv.user)?;
        if self.full
            && let Some(v) = &srv.validation_logs
        {
            m.serialize_entry("validation_logs", v)?;
        }
        m.serialize_entry(
            "settings",
            &ServerSettingView {
                s: srv,
                sensitive: self.sensitive,
            },
        )?;
        if self.full {
            m.serialize_entry("created_at", &srv.created_at)?;
            m.serialize_entry("updated_at", &srv.updated_at)?;
        }
        m.end()
    }
}

struct ServerSettingView<'a> {
    s: &'a Server,
    sensitive: bool,
}

impl Serialize for ServerSettingView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let srv = self.s;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &(srv.id + 1))?;
        m.serialize_entry("concurrent_builds", &srv.concurrent_builds)?;
        m.serialize_entry("connection_timeout", &10)?;
        m.serialize_entry("delete_unused_networks", &false)?;
        m.serialize_entry("delete_unused_volumes", &false)?;
        m.serialize_entry("deployment_queue_limit", &srv.queue_limit)?;
        m.serialize_entry("docker_cleanup_frequency", "0 0 * * *")?;
        m.serialize_entry("docker_cleanup_threshold", &80)?;
        m.serialize_entry("dynamic_timeout", &3600)?;
        m.serialize_entry("force_disabled", &false)?;
        m.serialize_entry("force_server_cleanup", &false)?;
        m.serialize_entry("is_build_server", &srv.is_build_server)?;
        m.serialize_entry("is_cloudflare_tunnel", &false)?;
        m.serialize_entry("is_jump_server", &false)?;
        m.serialize_entry("is_logdrain_axiom_enabled", &false)?;
        m.serialize_entry("is_logdrain_custom_enabled", &false)?;
        m.serialize_entry("is_logdrain_highlight_enabled", &false)?;
        m.serialize_entry("is_logdrain_newrelic_enabled", &false)?;
        m.serialize_entry("is_metrics_enabled", &!srv.is_build_server)?;
        m.serialize_entry("is_reachable", &srv.is_reachable)?;
        m.serialize_entry("is_sentinel_enabled", &!srv.is_build_server)?;
        m.serialize_entry("is_swarm_manager", &false)?;
        m.serialize_entry("is_swarm_worker", &false)?;
        m.serialize_entry("is_terminal_enabled", &true)?;
        m.serialize_entry("is_usable", &srv.is_usable)?;
        m.serialize_entry("sentinel_metrics_history_days", &7)?;
        m.serialize_entry("sentinel_metrics_refresh_rate_seconds", &10)?;
        if self.sensitive {
            m.serialize_entry("sentinel_token", &srv.sentinel_token)?;
        }
        m.serialize_entry("server_id", &srv.id)?;
        m.serialize_entry("created_at", &srv.created_at)?;
        m.serialize_entry("updated_at", &srv.updated_at)?;
        m.end()
    }
}

pub(crate) struct DatabaseView<'a> {
    pub w: &'a World,
    pub d: &'a Database,
    pub sensitive: bool,
    pub with_id: bool,
    pub resource_type: bool,
}

impl DatabaseView<'_> {
    fn internal_url(&self) -> String {
        let d = self.d;
        match d.kind {
            DbKind::Postgresql => format!(
                "postgres://{}:{}@{}:5432/{}",
                d.user, d.password, d.uuid, d.db_name
            ),
            DbKind::Redis => format!("redis://default:{}@{}:6379/0", d.password, d.uuid),
            DbKind::Mysql | DbKind::Mariadb => format!(
                "mysql://{}:{}@{}:3306/{}",
                d.user, d.password, d.uuid, d.db_name
            ),
            DbKind::Mongodb => format!(
                "mongodb://{}:{}@{}:27017/?directConnection=true",
                d.user, d.password, d.uuid
            ),
        }
    }
}

impl Serialize for DatabaseView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (w, d) = (self.w, self.d);
        let dest = &w.destinations[d.destination];
        let mut m = s.serialize_map(None)?;
        if self.with_id {
            m.serialize_entry("id", &d.id)?;
        }
        m.serialize_entry("uuid", &d.uuid)?;
        m.serialize_entry("description", &d.description)?;
        m.serialize_entry("name", &d.name)?;
        m.serialize_entry("backup_configs", &Vec::<Value>::new())?;
        m.serialize_entry("custom_docker_run_options", &())?;
        m.serialize_entry("database_type", d.kind.type_name())?;
        m.serialize_entry("destination_id", &dest.id)?;
        m.serialize_entry("destination_type", DESTINATION_TYPE)?;
        m.serialize_entry("environment_id", &w.environments[d.environment].id)?;
        if self.sensitive {
            let external: Option<String> = d.public_port.map(|p| {
                let ip = &w.servers[dest.server].ip;
                self.internal_url()
                    .replace(&d.uuid, ip)
                    .replace(&format!(":{}", d.kind.port()), &format!(":{p}"))
            });
            m.serialize_entry("external_db_url", &external)?;
        }
        m.serialize_entry("image", &d.image)?;
        if self.sensitive {
            m.serialize_entry("internal_db_url", &self.internal_url())?;
        }
        m.serialize_entry("is_include_timestamps", &false)?;
        m.serialize_entry("is_log_drain_enabled", &false)?;
        m.serialize_entry("is_public", &d.is_public)?;
        m.serialize_entry("last_online_at", &d.started_at)?;
        m.serialize_entry("limits_cpu_shares", &1024)?;
        m.serialize_entry("limits_cpus", "0")?;
        m.serialize_entry("limits_cpuset", &())?;
        m.serialize_entry("limits_memory", &d.limits_memory)?;
        m.serialize_entry("limits_memory_reservation", "0")?;
        m.serialize_entry("limits_memory_swap", "0")?;
        m.serialize_entry("limits_memory_swappiness", &60)?;
        m.serialize_entry("ports_mappings", &())?;
        match d.kind {
            DbKind::Postgresql => {
                m.serialize_entry("postgres_conf", &())?;
                m.serialize_entry("postgres_db", &d.db_name)?;
                m.serialize_entry("postgres_host_auth_method", &())?;
                m.serialize_entry("postgres_initdb_args", &())?;
                if self.sensitive {
                    m.serialize_entry("init_scripts", &Vec::<Value>::new())?;
                    m.serialize_entry("postgres_password", &d.password)?;
                }
                m.serialize_entry("postgres_user", &d.user)?;
            }
            DbKind::Redis => {
                m.serialize_entry("redis_conf", &())?;
                if self.sensitive {
                    m.serialize_entry("redis_password", &d.password)?;
                }
                m.serialize_entry("redis_username", &d.user)?;
            }
            DbKind::Mysql => {
                m.serialize_entry("mysql_conf", &())?;
                m.serialize_entry("mysql_database", &d.db_name)?;
                if self.sensitive {
                    m.serialize_entry("mysql_password", &d.password)?;
                    m.serialize_entry("mysql_root_password", &d.password)?;
                }
                m.serialize_entry("mysql_user", &d.user)?;
            }
            DbKind::Mariadb => {
                m.serialize_entry("mariadb_conf", &())?;
                m.serialize_entry("mariadb_database", &d.db_name)?;
                if self.sensitive {
                    m.serialize_entry("mariadb_password", &d.password)?;
                    m.serialize_entry("mariadb_root_password", &d.password)?;
                }
                m.serialize_entry("mariadb_user", &d.user)?;
            }
            DbKind::Mongodb => {
                m.serialize_entry("mongo_conf", &())?;
                m.serialize_entry("mongo_initdb_database", &d.db_name)?;
                if self.sensitive {
                    m.serialize_entry("mongo_initdb_root_password", &d.password)?;
                }
                m.serialize_entry("mongo_initdb_root_username", &d.user)?;
            }
        }
        m.serialize_entry("public_port", &d.public_port)?;
        m.serialize_entry("server_status", &w.servers[dest.server].is_usable)?;
        m.serialize_entry("started_at", &d.started_at)?;
        m.serialize_entry("status", &d.status)?;
        if self.resource_type {
            m.serialize_entry("type", d.kind.type_name())?;
        }
        // `server_status` lazily loads destination -> server, so it is serialised too.
        m.serialize_entry(
            "destination",
            &DestinationView {
                w,
                dest: d.destination,
                sensitive: self.sensitive,
            },
        )?;
        m.serialize_entry("created_at", &d.created_at)?;
        m.serialize_entry("updated_at", &d.updated_at)?;
        m.end()
    }
}

pub(crate) struct ServiceView<'a> {
    pub w: &'a World,
    pub s: &'a Service,
    pub sensitive: bool,
    pub with_id: bool,
    pub resource_type: bool,
    /// `GET /services/{uuid}` loads the sub-applications and sub-databases.
    pub with_children: bool,
}

impl Serialize for ServiceView<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (w, s) = (self.w, self.s);
        let dest = &w.destinations[s.destination];
        let mut m = ser.serialize_map(None)?;
        if self.with_id {
            m.serialize_entry("id", &s.id)?;
        }
        m.serialize_entry("uuid", &s.uuid)?;
        if let Some(d) = &s.description {
            m.serialize_entry("description", d)?;
        }
        m.serialize_entry("name", &s.name)?;
        m.serialize_entry("config_hash", &hash_hex(&s.uuid, 32))?;
        m.serialize_entry("connect_to_docker_network", &false)?;
        m.serialize_entry("destination_id", &dest.id)?;
        m.serialize_entry("destination_type", DESTINATION_TYPE)?;
        if self.sensitive {
            m.serialize_entry("docker_compose", &s.compose_raw)?;
            m.serialize_entry("docker_compose_raw", &s.compose_raw)?;
        }
        m.serialize_entry("environment_id", &w.environments[s.environment].id)?;
        m.serialize_entry("is_container_label_escape_enabled", &true)?;
        m.serialize_entry("is_container_label_readonly_enabled", &true)?;
        m.serialize_entry("server_id", &w.servers[dest.server].id)?;
        m.serialize_entry("server_status", &w.servers[dest.server].is_usable)?;
        m.serialize_entry("service_type", &s.service_type)?;
        m.serialize_entry("status", &s.status)?;
        if self.resource_type {
            m.serialize_entry("type", "service")?;
        }
        if self.with_children {
            m.serialize_entry("applications", &[ServiceAppView { s, with_id: true }])?;
            m.serialize_entry("databases", &Vec::<Value>::new())?;
        }
        m.serialize_entry(
            "destination",
            &DestinationView {
                w,
                dest: s.destination,
                sensitive: self.sensitive,
            },
        )?;
        m.serialize_entry("created_at", &s.created_at)?;
        m.serialize_entry("updated_at", &s.updated_at)?;
        m.end()
    }
}

/// `GET /team`: the token's team (Coolify's root team).
pub(crate) fn team_json(started: Ts) -> Value {
    serde_json::json!({
        "id": 0,
        "name": "Root Team",
        "description": "PF-CORE operations",
        "personal_team": false,
        "show_boarding": false,
        "created_at": started.minus_secs(86_400 * 250),
        "updated_at": started.minus_secs(86_400 * 30),
    })
}
