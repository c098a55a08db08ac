//! The default env vars of an application: what the PF-CORE template sets (site URL,
//! Supabase URL and keys, database URL, Node version, instance and environment), with
//! values derived from the seed and the application's id. The world generates them on
//! first use, so the large data set does not pay for them up front.

use super::records::{App, EnvVar};
use crate::sim::ids::IdGen;

/// The seeded default env vars of application `a` in the environment named `env_name`.
pub(crate) fn default_envs(seed: u64, a: &App, env_name: &str) -> Vec<EnvVar> {
    let mut ids = IdGen::derived(seed, 0xE5_0000 + a.id);
    let instance = a.tags.first().cloned().unwrap_or_default();
    let supabase_ref = ids.alnum(20);
    let jwt = |ids: &mut IdGen, role: &str| {
        format!(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.{}",
            match role {
                "anon" => "eyJpc3MiOiJzdXBhYmFzZSIsInJvbGUiOiJhbm9uIiwiZXhwIjoyMDY1MDAwMDAwfQ",
                _ => "eyJpc3MiOiJzdXBhYmFzZSIsInJvbGUiOiJzZXJ2aWNlX3JvbGUiLCJleHAiOjIwNjUwMDAwMDB9",
            },
            ids.alnum(43)
        )
    };
    let anon = jwt(&mut ids, "anon");
    let service_role = jwt(&mut ids, "service");
    let db_password = ids.alnum(24);
    let db_host = format!("db.{supabase_ref}.supabase.co");
    // key, value, buildtime, literal, shown once, comment
    type Var<'a> = (&'a str, String, bool, bool, bool, Option<&'a str>);
    let vars: Vec<Var<'_>> = vec![
        // key, value, buildtime, literal, shown_once, comment
        ("NODE_ENV", "production".into(), true, false, false, None),
        (
            "NEXT_PUBLIC_SITE_URL",
            a.fqdn.clone().unwrap_or_default(),
            true,
            false,
            false,
            None,
        ),
        (
            "NEXT_PUBLIC_SUPABASE_URL",
            format!("https://{supabase_ref}.supabase.co"),
            true,
            false,
            false,
            None,
        ),
        (
            "NEXT_PUBLIC_SUPABASE_ANON_KEY",
            anon,
            true,
            false,
            false,
            None,
        ),
        (
            "SUPABASE_SERVICE_ROLE_KEY",
            service_role,
            false,
            false,
            true,
            Some("Server-side only. Rotate in Supabase, then here."),
        ),
        (
            "DATABASE_URL",
            format!(
                "postgresql://postgres.{supabase_ref}:{db_password}@{db_host}:5432/postgres?schema={instance}"
            ),
            false,
            true,
            false,
            None,
        ),
        (
            "NIXPACKS_NODE_VERSION",
            a.node_version.clone(),
            true,
            false,
            false,
            None,
        ),
        ("PF_INSTANCE", instance.clone(), true, false, false, None),
        (
            "PF_ENVIRONMENT",
            env_name.to_string(),
            true,
            false,
            false,
            None,
        ),
    ];
    let created = a.created_at;
    let mut out = Vec::with_capacity(vars.len() * 2);
    for preview in [false, true] {
        for (i, (key, value, buildtime, literal, once, comment)) in vars.iter().enumerate() {
            out.push(EnvVar {
                id: a.id * 100 + i as u64 * 2 + u64::from(preview),
                uuid: ids.uuid(),
                key: key.to_string(),
                value: Some(value.clone()),
                is_preview: preview,
                is_literal: *literal,
                is_multiline: false,
                is_shown_once: *once,
                is_runtime: true,
                is_buildtime: *buildtime,
                comment: comment.map(str::to_string),
                created_at: created,
                updated_at: created,
            });
        }
    }
    out
}
