//! What the token's team owns besides its projects and resources: tags, SSH private keys,
//! GitHub apps, cloud provider tokens and its members (Coolify's `Tag`, `PrivateKey`,
//! `GithubApp`, `CloudProviderToken` and `User` models).

use crate::sim::ids::{IdGen, Ts, mix};

#[derive(Debug, Clone)]
pub(crate) struct Tag {
    pub uuid: String,
    /// Lowercase, as Coolify normalises tag names.
    pub name: String,
    pub created_at: Ts,
}

#[derive(Debug, Clone)]
pub(crate) struct PrivateKey {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub description: Option<String>,
    /// The key material: only tokens that may read sensitive data see it.
    pub private_key: String,
    pub public_key: String,
    pub fingerprint: String,
    pub is_git_related: bool,
    pub created_at: Ts,
    pub updated_at: Ts,
}

#[derive(Debug, Clone)]
pub(crate) struct GithubApp {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub organization: Option<String>,
    pub api_url: String,
    pub html_url: String,
    pub app_id: Option<u64>,
    pub installation_id: Option<u64>,
    pub client_id: Option<String>,
    /// Hidden unless the token may read sensitive data.
    pub client_secret: Option<String>,
    pub webhook_secret: Option<String>,
    pub is_public: bool,
    pub private_key_id: Option<u64>,
    /// `contents`, `metadata`, `pull_requests`, `administration` permissions.
    pub permissions: Option<[&'static str; 4]>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

#[derive(Debug, Clone)]
pub(crate) struct CloudToken {
    pub uuid: String,
    pub name: String,
    pub description: Option<String>,
    pub provider: &'static str,
    /// Hidden unless the token may read sensitive data.
    pub token: String,
    pub created_at: Ts,
}

#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub email_verified_at: Option<Ts>,
    pub two_factor_confirmed_at: Option<Ts>,
    pub marketing_emails: bool,
    pub created_at: Ts,
    pub updated_at: Ts,
}

/// The team's own records.
#[derive(Debug, Clone, Default)]
pub(crate) struct Team {
    /// In creation order; `GET /tags` sorts by name.
    pub tags: Vec<Tag>,
    pub private_keys: Vec<PrivateKey>,
    pub github_apps: Vec<GithubApp>,
    pub cloud_tokens: Vec<CloudToken>,
    pub members: Vec<Member>,
}

impl Team {
    pub(crate) fn tag(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// Register a tag name (as attaching a new name to a resource does); the first use
    /// creates it at `at`, with a uuid derived from the seed and the name so the order
    /// in which resources are built does not matter.
    pub(crate) fn ensure_tag(&mut self, seed: u64, name: &str, at: Ts) {
        let name = name.trim().to_lowercase();
        if self.tag(&name).is_some() {
            return;
        }
        let stream = name
            .bytes()
            .fold(0x7a6_0000u64, |h, b| mix(h ^ u64::from(b)));
        let uuid = IdGen::derived(seed, stream).uuid();
        self.tags.push(Tag {
            uuid,
            name,
            created_at: at,
        });
    }
}
