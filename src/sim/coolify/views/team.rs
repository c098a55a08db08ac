//! JSON of the team's own records, in `serializeApiResponse` order (`id`, `uuid`,
//! `description`, `name`, the other keys sorted, then `created_at` and `updated_at`): tags,
//! private keys, GitHub apps, cloud provider tokens and members; and the destinations of
//! `DestinationsController` (its own `transform`).

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::sim::world::World;
use crate::sim::world::team::{CloudToken, GithubApp, Member, PrivateKey, Tag};

/// `TagsController::serializeTag`.
pub(crate) struct TagView<'a>(pub &'a Tag);

impl Serialize for TagView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("uuid", &t.uuid)?;
        m.serialize_entry("name", &t.name)?;
        m.serialize_entry("created_at", &t.created_at)?;
        m.serialize_entry("updated_at", &t.created_at)?;
        m.end()
    }
}

/// `private_key` only for tokens that may read sensitive data.
pub(crate) struct PrivateKeyView<'a> {
    pub k: &'a PrivateKey,
    pub sensitive: bool,
}

impl Serialize for PrivateKeyView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let k = self.k;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &k.id)?;
        m.serialize_entry("uuid", &k.uuid)?;
        m.serialize_entry("description", &k.description)?;
        m.serialize_entry("name", &k.name)?;
        m.serialize_entry("fingerprint", &k.fingerprint)?;
        m.serialize_entry("is_git_related", &k.is_git_related)?;
        if self.sensitive {
            m.serialize_entry("private_key", &k.private_key)?;
        }
        m.serialize_entry("public_key", &k.public_key)?;
        m.serialize_entry("team_id", &0)?;
        m.serialize_entry("created_at", &k.created_at)?;
        m.serialize_entry("updated_at", &k.updated_at)?;
        m.end()
    }
}

/// `client_secret` and `webhook_secret` only for tokens that may read sensitive data (of
/// the team's own apps, which all of these are).
pub(crate) struct GithubAppView<'a> {
    pub g: &'a GithubApp,
    pub sensitive: bool,
}

impl Serialize for GithubAppView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.g;
        let [contents, metadata, pull_requests, administration] = match g.permissions {
            Some(p) => p.map(Some),
            None => [None; 4],
        };
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &g.id)?;
        m.serialize_entry("uuid", &g.uuid)?;
        m.serialize_entry("name", &g.name)?;
        m.serialize_entry("administration", &administration)?;
        m.serialize_entry("api_url", &g.api_url)?;
        m.serialize_entry("app_id", &g.app_id)?;
        m.serialize_entry("client_id", &g.client_id)?;
        if self.sensitive {
            m.serialize_entry("client_secret", &g.client_secret)?;
        }
        m.serialize_entry("contents", &contents)?;
        m.serialize_entry("custom_port", &22)?;
        m.serialize_entry("custom_user", "git")?;
        m.serialize_entry("html_url", &g.html_url)?;
        m.serialize_entry("installation_id", &g.installation_id)?;
        m.serialize_entry("is_public", &g.is_public)?;
        m.serialize_entry("is_system_wide", &false)?;
        m.serialize_entry("metadata", &metadata)?;
        m.serialize_entry("organization", &g.organization)?;
        m.serialize_entry("private_key_id", &g.private_key_id)?;
        m.serialize_entry("pull_requests", &pull_requests)?;
        m.serialize_entry("team_id", &0)?;
        m.serialize_entry("type", "github")?;
        if self.sensitive {
            m.serialize_entry("webhook_secret", &g.webhook_secret)?;
        }
        m.serialize_entry("created_at", &g.created_at)?;
        m.serialize_entry("updated_at", &g.updated_at)?;
        m.end()
    }
}

/// `id` hidden, `servers_count` counted, `token` only for tokens that may read sensitive
/// data.
pub(crate) struct CloudTokenView<'a> {
    pub t: &'a CloudToken,
    pub sensitive: bool,
}

impl Serialize for CloudTokenView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.t;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("uuid", &t.uuid)?;
        m.serialize_entry("description", &t.description)?;
        m.serialize_entry("name", &t.name)?;
        m.serialize_entry("provider", t.provider)?;
        // No server of the data sets was provisioned through a cloud token.
        m.serialize_entry("servers_count", &0)?;
        m.serialize_entry("team_id", &0)?;
        if self.sensitive {
            m.serialize_entry("token", &t.token)?;
        }
        m.serialize_entry("created_at", &t.created_at)?;
        m.serialize_entry("updated_at", &t.created_at)?;
        m.end()
    }
}

/// A `User` of the team: password, tokens, 2FA secrets and the pivot hidden.
pub(crate) struct MemberView<'a>(pub &'a Member);

impl Serialize for MemberView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let u = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &u.id)?;
        m.serialize_entry("name", &u.name)?;
        m.serialize_entry("avatar_path", &())?;
        m.serialize_entry("avatar_s3_storage_id", &())?;
        m.serialize_entry("avatar_storage_type", &())?;
        m.serialize_entry("email", &u.email)?;
        m.serialize_entry("email_verified_at", &u.email_verified_at)?;
        m.serialize_entry("force_password_reset", &false)?;
        m.serialize_entry("marketing_emails", &u.marketing_emails)?;
        m.serialize_entry("pending_email", &())?;
        m.serialize_entry("two_factor_confirmed_at", &u.two_factor_confirmed_at)?;
        m.serialize_entry("created_at", &u.created_at)?;
        m.serialize_entry("updated_at", &u.updated_at)?;
        m.end()
    }
}

/// A destination as `DestinationsController::transform` writes it (every destination of
/// the data sets is a standalone Docker network).
pub(crate) struct DestinationItem<'a> {
    pub w: &'a World,
    pub dest: usize,
}

impl Serialize for DestinationItem<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = &self.w.destinations[self.dest];
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("uuid", &d.uuid)?;
        m.serialize_entry("name", &d.name)?;
        m.serialize_entry("network", &d.network)?;
        m.serialize_entry("type", "standalone")?;
        m.serialize_entry("server_uuid", &self.w.servers[d.server].uuid)?;
        m.serialize_entry("created_at", &d.created_at)?;
        m.serialize_entry("updated_at", &d.created_at)?;
        m.end()
    }
}
