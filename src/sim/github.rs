//! The GitHub simulator: the REST endpoints under `/github`, served from the world's
//! repositories (`world::repos`).
//!
//! A merge (`POST /repos/{o}/{r}/merges`) moves the base branch head, then runs
//! `World::branch_advanced(repo, base)` so Coolify queues the auto-deployments of the
//! applications tracking that branch, exactly as a push does.
//!
//! Merges are refused (and nothing changes) when the base branch is protected (409,
//! `Required status check "ci" is expected.`) or the merged commit contains a change
//! injected as conflicting with that base (409, `Merge conflict`).

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::http::{Query, json_response, with_headers};
use super::ids::{IdGen, Ts};
use super::world::World;
use super::world::repos::{Branch, Commit, PEOPLE, Repo};

/// The status check a protected branch requires (as `.github/workflows/ci.yml` reports it).
pub(crate) const REQUIRED_CHECK: &str = "ci";
/// GitHub's cap on the commits listed by one compare answer.
const COMPARE_COMMITS_CAP: usize = 250;
/// GitHub's cap on the files listed by one compare answer.
const COMPARE_FILES_CAP: usize = 300;

// ----- HTTP -----

const DOCS: &str = "https://docs.github.com/rest";

fn gh_error(status: StatusCode, message: &str, docs: &str) -> Response {
    json_response(
        status,
        &json!({"message": message, "documentation_url": docs, "status": status.as_u16().to_string()}),
    )
}

/// Serve one request under `/github` (`rest` is the path after `/github`). The flag is
/// true when a branch moved and deployments may have been queued (the caller then runs
/// the dispatcher, outside the world's lock).
pub(crate) fn handle(
    world: &mut World,
    method: &Method,
    rest: &str,
    headers: &HeaderMap,
    query: &Query,
    body: &[u8],
) -> (Response, bool) {
    let ua = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ua.trim().is_empty() {
        let body = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n";
        return (
            super::http::text_response(StatusCode::FORBIDDEN, "text/plain; charset=utf-8", body),
            false,
        );
    }
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .or_else(|| v.strip_prefix("token "))
        })
        .map(str::trim);
    if token != Some(world.github_token.as_str()) {
        return (
            gh_error(StatusCode::UNAUTHORIZED, "Bad credentials", DOCS),
            false,
        );
    }
    let decoded: Vec<String> = rest
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segs: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let mut advanced = false;
    let resp = match (method, segs.as_slice()) {
        (&Method::GET, ["repos", owner, repo]) => get_repo(world, owner, repo),
        (&Method::GET, ["repos", owner, repo, "branches"]) => {
            list_branches(world, owner, repo, query)
        }
        (&Method::GET, ["repos", owner, repo, "branches", branch @ ..]) if !branch.is_empty() => {
            get_branch(world, owner, repo, &branch.join("/"))
        }
        (&Method::GET, ["repos", owner, repo, "commits", reference @ ..])
            if !reference.is_empty() =>
        {
            get_commit(world, owner, repo, &reference.join("/"))
        }
        (&Method::GET, ["repos", owner, repo, "compare", basehead @ ..])
            if !basehead.is_empty() =>
        {
            compare(world, owner, repo, &basehead.join("/"), query)
        }
        (&Method::POST, ["repos", owner, repo, "merges"]) => {
            let (resp, moved) = merge(world, owner, repo, body);
            advanced = moved;
            resp
        }
        _ => gh_error(StatusCode::NOT_FOUND, "Not Found", DOCS),
    };
    let used = 1 + (world.ids.u64() % 40) as u32;
    let reset = Ts::now().unix_secs() + 3600;
    let resp = with_headers(
        resp,
        &[
            ("x-github-api-version-selected", "2022-11-28".to_string()),
            ("x-ratelimit-limit", "5000".to_string()),
            ("x-ratelimit-remaining", (5000 - used).to_string()),
            ("x-ratelimit-used", used.to_string()),
            ("x-ratelimit-reset", reset.to_string()),
            ("x-ratelimit-resource", "core".to_string()),
        ],
    );
    (resp, advanced)
}

/// Decode `%XX` escapes in one path segment (invalid escapes are kept as they are).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(v) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn find_repo<'a>(world: &'a World, owner: &str, repo: &str) -> Option<&'a Repo> {
    world.repo(&format!("{owner}/{repo}"))
}

fn repo_not_found() -> Response {
    gh_error(
        StatusCode::NOT_FOUND,
        "Not Found",
        "https://docs.github.com/rest/repos/repos#get-a-repository",
    )
}

fn get_repo(world: &World, owner: &str, repo: &str) -> Response {
    let Some(r) = find_repo(world, owner, repo) else {
        return repo_not_found();
    };
    json_response(StatusCode::OK, &repo_json(r, &world.github_base))
}

fn owner_json(r: &Repo, base: &str) -> Value {
    json!({
        "login": r.owner,
        "id": r.owner_id,
        "node_id": "O_kgDOCs1Y5w",
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", r.owner_id),
        "url": format!("{base}/users/{}", r.owner),
        "html_url": format!("https://github.com/{}", r.owner),
        "type": "Organization",
        "site_admin": false,
    })
}

pub(crate) fn repo_json(r: &Repo, base: &str) -> Value {
    let full = r.full_name();
    let api = format!("{base}/repos/{full}");
    let mut out = json!({
        "id": r.id,
        "node_id": format!("R_kgDO{}", r.id),
        "name": r.name,
        "full_name": full,
        "private": r.private,
        "owner": owner_json(r, base),
        "html_url": format!("https://github.com/{full}"),
        "description": r.description,
        "fork": false,
        "url": api,
        "branches_url": format!("{api}/branches{{/branch}}"),
        "commits_url": format!("{api}/commits{{/sha}}"),
        "compare_url": format!("{api}/compare/{{base}}...{{head}}"),
        "merges_url": format!("{api}/merges"),
        "pulls_url": format!("{api}/pulls{{/number}}"),
        "hooks_url": format!("{api}/hooks"),
        "created_at": r.created_at.iso_seconds(),
        "updated_at": r.pushed_at.iso_seconds(),
        "pushed_at": r.pushed_at.iso_seconds(),
    });
    let more = json!({
        "git_url": format!("git://github.com/{full}.git"),
        "ssh_url": format!("git@github.com:{full}.git"),
        "clone_url": format!("https://github.com/{full}.git"),
        "homepage": r.homepage,
        "size": 4821 + r.commits.len() * 37,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": "TypeScript",
        "has_issues": true,
        "has_projects": false,
        "has_wiki": false,
        "has_pages": false,
        "has_discussions": false,
        "forks_count": 0,
        "archived": false,
        "disabled": false,
        "open_issues_count": 3,
        "license": null,
        "allow_forking": false,
        "is_template": false,
        "web_commit_signoff_required": false,
        "topics": ["nextjs", "pf-core", "supabase"],
        "visibility": if r.private { "private" } else { "public" },
        "forks": 0,
        "open_issues": 3,
        "watchers": 0,
        "default_branch": r.default_branch,
        "permissions": {"admin": true, "maintain": true, "push": true, "triage": true, "pull": true},
        "allow_squash_merge": true,
        "allow_merge_commit": true,
        "allow_rebase_merge": true,
        "delete_branch_on_merge": false,
        "network_count": 0,
        "subscribers_count": 4,
    });
    if let (Value::Object(a), Value::Object(b)) = (&mut out, more) {
        a.extend(b);
    }
    out
}

/// A branch as `GET /repos/{o}/{r}/branches` lists it.
pub(crate) fn branch_json(r: &Repo, b: &Branch, base: &str) -> Value {
    json!({
        "name": b.name,
        "commit": {"sha": b.head, "url": format!("{base}/repos/{}/commits/{}", r.full_name(), b.head)},
        "protected": b.protected,
    })
}

fn list_branches(world: &World, owner: &str, repo: &str, query: &Query) -> Response {
    let Some(r) = find_repo(world, owner, repo) else {
        return repo_not_found();
    };
    let base = &world.github_base;
    let only_protected = query.get("protected").map(|v| v == "true" || v == "1");
    let per_page = query
        .get("per_page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, 100);
    let page = query
        .get("page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let mut branches: Vec<&Branch> = r
        .branches
        .iter()
        .filter(|b| only_protected.is_none_or(|p| b.protected == p))
        .collect();
    branches.sort_by(|a, b| a.name.cmp(&b.name));
    let total = branches.len();
    let items: Vec<Value> = branches
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|b| branch_json(r, b, base))
        .collect();
    let resp = json_response(StatusCode::OK, &Value::Array(items));
    if page * per_page < total {
        let link = format!(
            "<{base}/repos/{}/branches?per_page={per_page}&page={}>; rel=\"next\"",
            r.full_name(),
            page + 1
        );
        with_headers(resp, &[("link", link)])
    } else {
        resp
    }
}

fn get_branch(world: &World, owner: &str, repo: &str, branch: &str) -> Response {
    let Some(r) = find_repo(world, owner, repo) else {
        return repo_not_found();
    };
    let Some(b) = r.branch(branch) else {
        return gh_error(
            StatusCode::NOT_FOUND,
            "Branch not found",
            "https://docs.github.com/rest/branches/branches#get-a-branch",
        );
    };
    let base = &world.github_base;
    let full = r.full_name();
    let commit = r.commit(&b.head).map(|c| commit_json(r, c, base));
    json_response(
        StatusCode::OK,
        &json!({
            "name": b.name,
            "commit": commit,
            "_links": {
                "self": format!("{base}/repos/{full}/branches/{}", b.name),
                "html": format!("https://github.com/{full}/tree/{}", b.name),
            },
            "protected": b.protected,
            "protection": {
                "enabled": b.protected,
                "required_status_checks": {
                    "enforcement_level": if b.protected { "everyone" } else { "off" },
                    "contexts": if b.protected { json!([REQUIRED_CHECK]) } else { json!([]) },
                    "checks": if b.protected {
                        json!([{"context": REQUIRED_CHECK, "app_id": 15368}])
                    } else { json!([]) },
                },
            },
            "protection_url": format!("{base}/repos/{full}/branches/{}/protection", b.name),
        }),
    )
}

/// A commit object as in `GET /repos/{o}/{r}/commits/{sha}` (without files/stats).
pub(crate) fn commit_json(r: &Repo, c: &Commit, base: &str) -> Value {
    let full = r.full_name();
    let p = &PEOPLE[c.author.min(PEOPLE.len() - 1)];
    let date = c.date.iso_seconds();
    let user = json!({
        "login": p.login,
        "id": p.id,
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", p.id),
        "url": format!("{base}/users/{}", p.login),
        "html_url": format!("https://github.com/{}", p.login),
        "type": if p.login.ends_with("[bot]") { "Bot" } else { "User" },
        "site_admin": false,
    });
    json!({
        "sha": c.sha,
        "node_id": format!("C_kwDO{}", &c.sha[..12.min(c.sha.len())]),
        "commit": {
            "author": {"name": p.name, "email": p.email, "date": date},
            "committer": {"name": "GitHub", "email": "noreply@github.com", "date": date},
            "message": c.message,
            "tree": {"sha": c.tree, "url": format!("{base}/repos/{full}/git/trees/{}", c.tree)},
            "url": format!("{base}/repos/{full}/git/commits/{}", c.sha),
            "comment_count": 0,
            "verification": {"verified": true, "reason": "valid", "signature": null, "payload": null, "verified_at": date},
        },
        "url": format!("{base}/repos/{full}/commits/{}", c.sha),
        "html_url": format!("https://github.com/{full}/commit/{}", c.sha),
        "comments_url": format!("{base}/repos/{full}/commits/{}/comments", c.sha),
        "author": user.clone(),
        "committer": {"login": "web-flow", "id": 19_864_447, "type": "User", "site_admin": false},
        "parents": c.parents.iter().map(|s| json!({
            "sha": s,
            "url": format!("{base}/repos/{full}/commits/{s}"),
            "html_url": format!("https://github.com/{full}/commit/{s}"),
        })).collect::<Vec<_>>(),
    })
}

fn get_commit(world: &World, owner: &str, repo: &str, reference: &str) -> Response {
    let Some(r) = find_repo(world, owner, repo) else {
        return repo_not_found();
    };
    match r.resolve(reference).and_then(|sha| r.commit(&sha)) {
        Some(c) => json_response(StatusCode::OK, &commit_json(r, c, &world.github_base)),
        None => gh_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("No commit found for SHA: {reference}"),
            "https://docs.github.com/rest/commits/commits#get-a-commit",
        ),
    }
}

const COMPARE_DOCS: &str = "https://docs.github.com/rest/commits/commits#compare-two-commits";

/// `GET /repos/{o}/{r}/compare/{base}...{head}`.
fn compare(world: &World, owner: &str, repo: &str, basehead: &str, query: &Query) -> Response {
    let Some(r) = find_repo(world, owner, repo) else {
        return repo_not_found();
    };
    let Some((base, head)) = basehead
        .split_once("...")
        .or_else(|| basehead.split_once(".."))
    else {
        return gh_error(StatusCode::NOT_FOUND, "Not Found", COMPARE_DOCS);
    };
    let (Some(base_sha), Some(head_sha)) = (r.resolve(base), r.resolve(head)) else {
        return gh_error(StatusCode::NOT_FOUND, "Not Found", COMPARE_DOCS);
    };
    let found = r.compare(&base_sha, &head_sha);
    let Some(merge_base) = found.merge_base else {
        return gh_error(
            StatusCode::NOT_FOUND,
            &format!("No common ancestor between {base} and {head}."),
            COMPARE_DOCS,
        );
    };
    let gh = &world.github_base;
    let full = r.full_name();
    let ahead_by = found.ahead.len();
    let status = match (ahead_by, found.behind_by) {
        (0, 0) => "identical",
        (_, 0) => "ahead",
        (0, _) => "behind",
        _ => "diverged",
    };
    // Commits paginate like GitHub's (`per_page`/`page`); without them, the first 250.
    let per_page = query
        .get("per_page")
        .and_then(|v| v.parse::<usize>().ok())
        .map(|n| n.clamp(1, 100));
    let page = query
        .get("page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let (skip, take) = match per_page {
        Some(n) => ((page - 1) * n, n),
        None => (0, COMPARE_COMMITS_CAP),
    };
    let commits: Vec<Value> = found
        .ahead
        .iter()
        .skip(skip)
        .take(take)
        .map(|c| commit_json(r, c, gh))
        .collect();
    let base_commit = r
        .commit(&base_sha)
        .map(|c| commit_json(r, c, gh))
        .unwrap_or(Value::Null);
    let short = |s: &str| s.chars().take(7).collect::<String>();
    let api = format!("{gh}/repos/{full}/compare/{base}...{head}");
    let resp = json_response(
        StatusCode::OK,
        &json!({
            "url": api,
            "html_url": format!("https://github.com/{full}/compare/{base}...{head}"),
            "permalink_url": format!(
                "https://github.com/{full}/compare/{}:{}...{}:{}",
                r.owner, short(&base_sha), r.owner, short(&head_sha)
            ),
            "diff_url": format!("https://github.com/{full}/compare/{base}...{head}.diff"),
            "patch_url": format!("https://github.com/{full}/compare/{base}...{head}.patch"),
            "base_commit": base_commit,
            "merge_base_commit": commit_json(r, merge_base, gh),
            "status": status,
            "ahead_by": ahead_by,
            "behind_by": found.behind_by,
            "total_commits": ahead_by,
            "commits": commits,
            "files": changed_files(r, &found.ahead),
        }),
    );
    match per_page {
        Some(n) if page * n < ahead_by => with_headers(
            resp,
            &[(
                "link",
                format!("<{api}?per_page={n}&page={}>; rel=\"next\"", page + 1),
            )],
        ),
        _ => resp,
    }
}

/// Files a Next.js + Supabase application's commits plausibly touch, by topic.
const FILES: &[(&str, &[&str])] = &[
    ("deps", &["package.json", "package-lock.json"]),
    (
        "auth",
        &[
            "src/app/(auth)/login/page.tsx",
            "src/lib/supabase/middleware.ts",
        ],
    ),
    (
        "api",
        &["src/app/api/bookings/route.ts", "src/lib/validation.ts"],
    ),
    ("health", &["src/app/api/health/route.ts"]),
    (
        "dashboard",
        &[
            "src/app/(dashboard)/page.tsx",
            "src/components/OccupancyChart.tsx",
        ],
    ),
    (
        "supabase",
        &["src/lib/supabase/server.ts", "src/lib/supabase/client.ts"],
    ),
    (
        "ui",
        &[
            "src/components/Sidebar.tsx",
            "src/components/BookingDialog.tsx",
        ],
    ),
    (
        "billing",
        &[
            "src/lib/billing/stripe.ts",
            "src/app/api/webhooks/stripe/route.ts",
        ],
    ),
    ("test", &["tests/bookings.test.ts"]),
    ("i18n", &["src/lib/i18n/de.ts"]),
    ("perf", &["src/lib/tenant-settings.ts"]),
    ("tsconfig", &["tsconfig.json"]),
    ("reports", &["src/app/api/reports/export/route.ts"]),
    ("docs", &["README.md"]),
    (
        "db",
        &[
            "supabase/migrations/20240611120000_rename_starts_at.sql",
            "src/types/database.ts",
        ],
    ),
    ("admin", &["src/app/(admin)/audit/page.tsx"]),
    ("build", &["nixpacks.toml", "package.json"]),
    ("ci", &[".github/workflows/ci.yml"]),
    ("notifications", &["src/lib/email/reminders.ts"]),
    (
        "search",
        &[
            "src/app/api/search/route.ts",
            "supabase/migrations/20240702090000_documents_fts.sql",
        ],
    ),
];

/// A plausible `files` list for a compare: each commit touches the files of its topic
/// (from its message), sizes derived from its sha.
fn changed_files(r: &Repo, commits: &[&Commit]) -> Vec<Value> {
    let mut order: Vec<String> = Vec::new();
    let mut stats: HashMap<String, (u64, u64, bool)> = HashMap::new();
    for c in commits.iter().filter(|c| c.parents.len() < 2) {
        let lower = c.message.to_ascii_lowercase();
        let n = u64::from_str_radix(&c.sha[..8.min(c.sha.len())], 16).unwrap_or(7);
        let files = FILES
            .iter()
            .find(|(topic, _)| lower.contains(topic))
            .map(|(_, f)| *f)
            .unwrap_or_else(|| FILES[(n % FILES.len() as u64) as usize].1);
        for (i, f) in files.iter().enumerate() {
            let add = 1 + (n >> (i * 5)) % 60;
            let del = (n >> (i * 7 + 3)) % 25;
            let added = f.starts_with("supabase/migrations/") || f.starts_with("tests/");
            let e = stats.entry(f.to_string()).or_insert_with(|| {
                order.push(f.to_string());
                (0, 0, added)
            });
            e.0 += add;
            e.1 += if e.2 { 0 } else { del };
        }
    }
    let full = r.full_name();
    order
        .into_iter()
        .take(COMPARE_FILES_CAP)
        .filter_map(|f| {
            let (additions, deletions, added) = *stats.get(&f)?;
            let blob = format!("{:040x}", fnv(&f) as u128 * 0x9e37_79b9_7f4a_7c15);
            Some(json!({
                "sha": &blob[..40],
                "filename": f,
                "status": if added { "added" } else { "modified" },
                "additions": additions,
                "deletions": deletions,
                "changes": additions + deletions,
                "blob_url": format!("https://github.com/{full}/blob/{blob}/{f}"),
                "raw_url": format!("https://github.com/{full}/raw/{blob}/{f}"),
            }))
        })
        .collect()
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

const MERGE_DOCS: &str = "https://docs.github.com/rest/branches/branches#merge-a-branch";

/// `POST /repos/{o}/{r}/merges`: 201 with the merge commit, 204 when the base already
/// contains the head, 404 for an unknown base or head, 409 for a conflict or a protected
/// base. Nothing changes on an error. True when the base branch moved.
fn merge(world: &mut World, owner: &str, repo: &str, body: &[u8]) -> (Response, bool) {
    let full = format!("{owner}/{repo}");
    if world.repo(&full).is_none() {
        return (repo_not_found(), false);
    }
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return (
            gh_error(StatusCode::BAD_REQUEST, "Problems parsing JSON", MERGE_DOCS),
            false,
        );
    };
    // A field's string value; Err holds the validation message for a non-string.
    let field = |name: &str| -> Result<Option<String>, String> {
        match v.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "Invalid request.\n\nFor 'properties/{name}', {other} is not a string."
            )),
        }
    };
    let invalid = |message: &str| gh_error(StatusCode::UNPROCESSABLE_ENTITY, message, MERGE_DOCS);
    let (base, head, message) = match (field("base"), field("head"), field("commit_message")) {
        (Ok(Some(b)), Ok(Some(h)), Ok(m)) => (b, h, m),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return (invalid(&e), false),
        (Ok(None), _, _) => {
            return (
                invalid("Invalid request.\n\n\"base\" wasn't supplied."),
                false,
            );
        }
        (_, Ok(None), _) => {
            return (
                invalid("Invalid request.\n\n\"head\" wasn't supplied."),
                false,
            );
        }
    };
    let Some(r) = world.repo(&full) else {
        return (repo_not_found(), false);
    };
    let Some(branch) = r.branch(&base) else {
        return (
            gh_error(StatusCode::NOT_FOUND, "Base does not exist", MERGE_DOCS),
            false,
        );
    };
    let Some(head_sha) = r.resolve(&head) else {
        return (
            gh_error(StatusCode::NOT_FOUND, "Head does not exist", MERGE_DOCS),
            false,
        );
    };
    if r.reachable(&branch.head).contains(head_sha.as_str()) {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = StatusCode::NO_CONTENT;
        return (resp, false);
    }
    if branch.protected {
        return (
            gh_error(
                StatusCode::CONFLICT,
                &format!("Required status check \"{REQUIRED_CHECK}\" is expected."),
                "https://docs.github.com/articles/about-protected-branches",
            ),
            false,
        );
    }
    let merged = r.reachable(&head_sha);
    if r.conflicts
        .iter()
        .any(|(b, change)| *b == base && merged.contains(change.as_str()))
    {
        return (
            gh_error(StatusCode::CONFLICT, "Merge conflict", MERGE_DOCS),
            false,
        );
    }
    let message = message.unwrap_or_else(|| format!("Merge {head} into {base}"));
    let mut ids = IdGen::derived(world.seed, world.ids.u64());
    let now = Ts::now();
    let Some(sha) = world
        .repo_mut(&full)
        .and_then(|r| r.merge_into(&base, &head_sha, &message, &mut ids, now))
    else {
        return (
            gh_error(StatusCode::NOT_FOUND, "Base does not exist", MERGE_DOCS),
            false,
        );
    };
    world.branch_advanced(&full, &base);
    let Some(r) = world.repo(&full) else {
        return (repo_not_found(), true);
    };
    let body = r
        .commit(&sha)
        .map(|c| commit_json(r, c, &world.github_base))
        .unwrap_or(Value::Null);
    (json_response(StatusCode::CREATED, &body), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("feature%2Fx"), "feature/x");
        assert_eq!(percent_decode("a%zz%"), "a%zz%");
    }
}
