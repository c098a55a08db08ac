//! The token's team, the same in both data sets: its SSH keys (Coolify's own key to
//! localhost, the servers' key, a deploy key), the public GitHub source and the PF-CORE
//! GitHub app, a Hetzner token and three members. Drawn from a generator derived from the
//! seed, so the rest of a data set is unchanged by it.

use crate::sim::ids::IdGen;
use crate::sim::world::World;
use crate::sim::world::team::{CloudToken, GithubApp, Member, PrivateKey};

const TEAM_STREAM: u64 = 0x7EA0_0000;

/// An ed25519 key pair in OpenSSH form (random material of the right shape) and its
/// SHA256 fingerprint.
fn key_pair(ids: &mut IdGen, comment: &str) -> (String, String, String) {
    let b64 = |ids: &mut IdGen, n: usize| -> String {
        const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        (0..n)
            .map(|_| char::from(SET[ids.range(0..SET.len() as u64) as usize]))
            .collect()
    };
    let public = format!(
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} {comment}",
        b64(ids, 43)
    );
    const HEADER: &str = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    let mut lines = vec![HEADER.to_string()];
    lines.extend((0..3).map(|_| b64(ids, 70)));
    let private = format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n{}==\n-----END OPENSSH PRIVATE KEY-----\n",
        lines.join("\n"),
        b64(ids, 22)
    );
    let fingerprint = format!("SHA256:{}", b64(ids, 43));
    (private, public, fingerprint)
}

pub(super) fn populate(w: &mut World) {
    let mut ids = IdGen::derived(w.seed, TEAM_STREAM);
    let founded = w.started.minus_secs(86_400 * 250);
    let day = |n: i64| founded.plus_ms(n * 86_400_000);
    let keys = [
        (
            0,
            "localhost's key",
            "The private key for the Coolify host machine (localhost).",
            "coolify",
            false,
            day(0),
        ),
        (
            1,
            "pfcore-servers",
            "SSH key of root on pfcore-main and pfcore-build.",
            "ops@pfcore.io",
            false,
            day(10),
        ),
        (
            2,
            "pfcore-github-app",
            "Private key of the pfcore-coolify GitHub app.",
            "pfcore-coolify",
            true,
            day(11),
        ),
    ];
    for (id, name, description, comment, git, at) in keys {
        let (private_key, public_key, fingerprint) = key_pair(&mut ids, comment);
        w.team.private_keys.push(PrivateKey {
            id,
            uuid: ids.uuid(),
            name: name.to_string(),
            description: Some(description.to_string()),
            private_key,
            public_key,
            fingerprint,
            is_git_related: git,
            created_at: at,
            updated_at: at,
        });
    }
    // Seeded by Coolify itself, then the team's own app.
    w.team.github_apps.push(GithubApp {
        id: 0,
        uuid: ids.uuid(),
        name: "Public GitHub".into(),
        organization: None,
        api_url: "https://api.github.com".into(),
        html_url: "https://github.com".into(),
        app_id: None,
        installation_id: None,
        client_id: None,
        client_secret: None,
        webhook_secret: None,
        is_public: true,
        private_key_id: None,
        permissions: None,
        created_at: day(0),
        updated_at: day(0),
    });
    w.team.github_apps.push(GithubApp {
        id: 1,
        uuid: ids.uuid(),
        name: "pfcore-coolify".into(),
        organization: Some("pfcore".into()),
        api_url: "https://api.github.com".into(),
        html_url: "https://github.com".into(),
        app_id: Some(1_034_217),
        installation_id: Some(58_112_904),
        client_id: Some(format!("Iv23li{}", ids.alnum(14))),
        client_secret: Some(ids.hex(40)),
        webhook_secret: Some(ids.alnum(40)),
        is_public: false,
        private_key_id: Some(2),
        permissions: Some(["read", "read", "write", "read"]),
        created_at: day(11),
        updated_at: day(11),
    });
    w.team.cloud_tokens.push(CloudToken {
        uuid: ids.uuid(),
        name: "Hetzner pfcore".into(),
        description: Some("Project pfcore-prod (Falkenstein)".into()),
        provider: "hetzner",
        token: ids.alnum(64),
        created_at: day(9),
    });
    let members = [
        (0, "Root", "root@pfcore.io", true, day(0)),
        (1, "Ana Ops", "ana@pfcore.io", true, day(12)),
        (2, "Ben Dev", "ben@pfcore.io", false, day(40)),
    ];
    for (id, name, email, two_factor, at) in members {
        w.team.members.push(Member {
            id,
            name: name.to_string(),
            email: email.to_string(),
            email_verified_at: Some(at),
            two_factor_confirmed_at: two_factor.then(|| at.plus_ms(600_000)),
            marketing_emails: false,
            created_at: at,
            updated_at: at,
        });
    }
}
