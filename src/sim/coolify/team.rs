//! The token's team and what it owns: the team by id and its members, tags, private
//! keys, GitHub apps (with the repositories and branches their installation sees, from
//! the GitHub simulator's repositories) and cloud provider tokens.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::request::{Ctx, message};
use super::views::{CloudTokenView, GithubAppView, MemberView, PrivateKeyView, TagView, team_json};
use crate::sim::github::{branch_json, repo_json};
use crate::sim::http::json_response;

/// The token's team id (the root team).
const TEAM_ID: i64 = 0;

/// PHP's `(int)` cast: the leading integer of a string, 0 when there is none (so
/// `/teams/abc` is team 0, as on the real server).
fn php_int(s: &str) -> i64 {
    let s = s.trim_start();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s.strip_prefix('+').unwrap_or(s)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse::<i64>().map(|n| sign * n).unwrap_or(0)
}

fn team_not_found() -> Response {
    message(StatusCode::NOT_FOUND, "Team not found.")
}

/// `GET /team` (and its deprecated alias `/teams/current`).
pub(super) fn team(ctx: &Ctx<'_>) -> Response {
    json_response(StatusCode::OK, &team_json(ctx.shared.world().started))
}

/// `GET /teams`: the teams of the token's user.
pub(super) fn teams(ctx: &Ctx<'_>) -> Response {
    json_response(
        StatusCode::OK,
        &json!([team_json(ctx.shared.world().started)]),
    )
}

/// `GET /teams/{id}`: only the token's own team.
pub(super) fn team_by_id(ctx: &Ctx<'_>, id: &str) -> Response {
    if php_int(id) != TEAM_ID {
        return team_not_found();
    }
    team(ctx)
}

/// `GET /team/members` (and its deprecated alias `/teams/current/members`).
pub(super) fn members(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<MemberView<'_>> = w.team.members.iter().map(MemberView).collect();
    json_response(StatusCode::OK, &items)
}

/// `GET /teams/{id}/members`: only the token's own team.
pub(super) fn members_by_id(ctx: &Ctx<'_>, id: &str) -> Response {
    if php_int(id) != TEAM_ID {
        return team_not_found();
    }
    members(ctx)
}

/// `GET /tags`: the team's tags by name.
pub(super) fn tags(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let mut items: Vec<TagView<'_>> = w.team.tags.iter().map(TagView).collect();
    items.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    json_response(StatusCode::OK, &items)
}

pub(super) fn private_keys(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<PrivateKeyView<'_>> = w
        .team
        .private_keys
        .iter()
        .map(|k| PrivateKeyView {
            k,
            sensitive: ctx.sensitive,
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

pub(super) fn private_key(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(k) = w.team.private_keys.iter().find(|k| k.uuid == uuid) else {
        return message(StatusCode::NOT_FOUND, "Private Key not found.");
    };
    json_response(
        StatusCode::OK,
        &PrivateKeyView {
            k,
            sensitive: ctx.sensitive,
        },
    )
}

pub(super) fn github_apps(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<GithubAppView<'_>> = w
        .team
        .github_apps
        .iter()
        .map(|g| GithubAppView {
            g,
            sensitive: ctx.sensitive,
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

/// How a GitHub app route ends before asking GitHub: the app's organisation, or the
/// answer (404 for an unknown id; 500 where the real server's query or installation
/// token fails: an id that is not a number, an app with no installation).
#[allow(clippy::result_large_err)] // the error is the HTTP answer itself
fn installed_org(ctx: &Ctx<'_>, id: &str) -> Result<String, Response> {
    let server_error = || message(StatusCode::INTERNAL_SERVER_ERROR, "Server Error");
    let Ok(id) = id.parse::<u64>() else {
        return Err(server_error());
    };
    let w = ctx.shared.world();
    let Some(g) = w.team.github_apps.iter().find(|g| g.id == id) else {
        return Err(message(StatusCode::NOT_FOUND, "GitHub app not found"));
    };
    match (&g.organization, g.installation_id) {
        (Some(org), Some(_)) => Ok(org.clone()),
        _ => Err(server_error()),
    }
}

/// `GET /github-apps/{id}/repositories`: what the installation sees, by name.
pub(super) fn github_app_repositories(ctx: &Ctx<'_>, id: &str) -> Response {
    let org = match installed_org(ctx, id) {
        Ok(org) => org,
        Err(r) => return r,
    };
    let w = ctx.shared.world();
    let mut repos: Vec<_> = w
        .repos
        .iter()
        .filter(|r| r.owner.eq_ignore_ascii_case(&org))
        .collect();
    repos.sort_by(|a, b| a.name.cmp(&b.name));
    let items: Vec<Value> = repos.iter().map(|r| repo_json(r, &w.github_base)).collect();
    json_response(StatusCode::OK, &json!({ "repositories": items }))
}

/// `GET /github-apps/{id}/repositories/{owner}/{repo}/branches`: GitHub's first page of
/// branches, or GitHub's error passed on.
pub(super) fn github_app_branches(ctx: &Ctx<'_>, id: &str, owner: &str, repo: &str) -> Response {
    if let Err(r) = installed_org(ctx, id) {
        return r;
    }
    let w = ctx.shared.world();
    let Some(r) = w.repo(&format!("{owner}/{repo}")) else {
        return json_response(
            StatusCode::NOT_FOUND,
            &json!({"message": "Error loading branches from GitHub.", "error": "Not Found"}),
        );
    };
    let mut branches: Vec<_> = r.branches.iter().collect();
    branches.sort_by(|a, b| a.name.cmp(&b.name));
    let items: Vec<Value> = branches
        .iter()
        .take(30)
        .map(|b| branch_json(r, b, &w.github_base))
        .collect();
    json_response(StatusCode::OK, &json!({ "branches": items }))
}

pub(super) fn cloud_tokens(ctx: &Ctx<'_>) -> Response {
    let w = ctx.shared.world();
    let items: Vec<CloudTokenView<'_>> = w
        .team
        .cloud_tokens
        .iter()
        .map(|t| CloudTokenView {
            t,
            sensitive: ctx.sensitive,
        })
        .collect();
    json_response(StatusCode::OK, &items)
}

pub(super) fn cloud_token(ctx: &Ctx<'_>, uuid: &str) -> Response {
    let w = ctx.shared.world();
    let Some(t) = w.team.cloud_tokens.iter().find(|t| t.uuid == uuid) else {
        return message(StatusCode::NOT_FOUND, "Cloud provider token not found.");
    };
    json_response(
        StatusCode::OK,
        &CloudTokenView {
            t,
            sensitive: ctx.sensitive,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::php_int;

    #[test]
    fn php_int_casts_like_php() {
        assert_eq!(php_int("0"), 0);
        assert_eq!(php_int("12"), 12);
        assert_eq!(php_int("abc"), 0);
        assert_eq!(php_int("3abc"), 3);
        assert_eq!(php_int("-4"), -4);
        assert_eq!(php_int(""), 0);
    }
}
