//! The GitHub simulator: repository state (commits, branches) shared with the Coolify side,
//! and the REST endpoints under `/github`.
//!
//! State model, ready for compare and merges: each repository keeps every commit by sha
//! with its parents, and each branch is a name pointing at a head sha. "Compare" is a walk
//! over parents (`Repo::ancestors`); a merge adds a commit with two parents (or
//! fast-forwards) and moves the base branch head, after which the caller runs
//! `World::branch_advanced(repo, base)` so Coolify queues the auto-deployments of the
//! applications tracking that branch. Deployments resolve `HEAD` through `Repo::head`.

use std::collections::{HashMap, HashSet};

use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::http::{Query, json_response, with_headers};
use super::ids::{IdGen, Ts};
use super::world::World;

#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub name: &'static str,
    pub email: &'static str,
    pub login: &'static str,
    pub id: u64,
}

pub(crate) const PEOPLE: &[Person] = &[
    Person {
        name: "Amelia Hart",
        email: "amelia.hart@pfcore.io",
        login: "ameliahart",
        id: 118_402_117,
    },
    Person {
        name: "Jonas Becker",
        email: "jonas.becker@pfcore.io",
        login: "jbecker-pf",
        id: 90_331_842,
    },
    Person {
        name: "Priya Raman",
        email: "priya.raman@pfcore.io",
        login: "priyaraman",
        id: 77_120_954,
    },
    Person {
        name: "Tomás Ortega",
        email: "tomas.ortega@pfcore.io",
        login: "tortega",
        id: 143_887_201,
    },
    Person {
        name: "dependabot[bot]",
        email: "49699333+dependabot[bot]@users.noreply.github.com",
        login: "dependabot[bot]",
        id: 49_699_333,
    },
];

#[derive(Debug, Clone)]
pub(crate) struct Commit {
    pub sha: String,
    pub message: String,
    pub author: usize,
    pub date: Ts,
    pub parents: Vec<String>,
    pub tree: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub name: String,
    pub head: String,
    pub protected: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Repo {
    pub id: u64,
    pub owner: String,
    pub owner_id: u64,
    pub name: String,
    pub description: String,
    pub homepage: Option<String>,
    pub private: bool,
    pub created_at: Ts,
    pub pushed_at: Ts,
    pub default_branch: String,
    pub commits: HashMap<String, Commit>,
    pub branches: Vec<Branch>,
}

const MESSAGES: &[&str] = &[
    "feat(auth): add magic-link sign-in via Supabase",
    "fix(api): return 404 instead of 500 for unknown booking ids",
    "chore(deps): bump next from 14.2.13 to 14.2.15",
    "feat(dashboard): show weekly occupancy chart",
    "refactor: move supabase client into lib/supabase/server.ts",
    "fix(ui): keep sidebar state across navigations",
    "feat(billing): sync Stripe customer on first login",
    "test: cover booking overlap validation",
    "fix(i18n): German date format in invoices",
    "perf: cache tenant settings for 60 s",
    "feat(api): add /api/health with database ping",
    "chore: enable strict null checks in tsconfig",
    "fix(auth): refresh session before server actions",
    "feat(reports): export monthly report as CSV",
    "docs: describe environment variables in README",
    "fix: handle empty Supabase session on first render",
    "feat(notifications): email reminder 24h before a booking",
    "chore(deps): bump @supabase/supabase-js from 2.45.1 to 2.45.4",
    "refactor(db): rename bookings.starts_at to start_at",
    "feat(admin): audit log page for tenant owners",
    "fix(build): pin sharp for the production image",
    "feat: dark mode follows the system setting",
    "fix(api): validate pagination parameters",
    "chore: remove unused lodash imports",
    "feat(search): full-text search over documents",
    "fix(ui): focus trap in booking dialog",
    "feat(api): rate-limit public endpoints",
    "chore(ci): run typecheck before build",
];

impl Repo {
    /// A repository with a linear shared history: `main` has `main_len` commits, `staging`
    /// `staging_ahead` more, `develop` `develop_ahead` more on top of staging.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn generate(
        ids: &mut IdGen,
        id: u64,
        owner: &str,
        name: &str,
        description: String,
        homepage: Option<String>,
        now: Ts,
        main_len: usize,
        staging_ahead: usize,
        develop_ahead: usize,
    ) -> Self {
        let total = main_len + staging_ahead + develop_ahead;
        let mut commits = HashMap::with_capacity(total);
        let mut order: Vec<String> = Vec::with_capacity(total);
        let mut msg = ids.range(0..MESSAGES.len() as u64) as usize;
        // Oldest first, a few hours apart; the newest a few hours before `now`.
        let gaps: Vec<i64> = (0..total).map(|_| ids.range(3..11) as i64 * 3600).collect();
        let mut date = now.minus_secs(ids.range(2..9) as i64 * 3600 + gaps.iter().sum::<i64>());
        for (i, gap) in gaps.iter().enumerate() {
            date = date.plus_ms(gap * 1000);
            let sha = ids.sha();
            let message = if i == 0 {
                "Initial commit from pf-core template".to_string()
            } else {
                msg = (msg + 1 + ids.range(0..3) as usize) % MESSAGES.len();
                MESSAGES[msg].to_string()
            };
            let parents = order.last().cloned().into_iter().collect();
            commits.insert(
                sha.clone(),
                Commit {
                    sha: sha.clone(),
                    message,
                    author: ids.range(0..PEOPLE.len() as u64) as usize,
                    date,
                    parents,
                    tree: ids.sha(),
                },
            );
            order.push(sha);
        }
        let head = |n: usize| order[n.clamp(1, total) - 1].clone();
        let branches = vec![
            Branch {
                name: "main".into(),
                head: head(main_len),
                protected: true,
            },
            Branch {
                name: "staging".into(),
                head: head(main_len + staging_ahead),
                protected: false,
            },
            Branch {
                name: "develop".into(),
                head: head(total),
                protected: false,
            },
        ];
        Repo {
            id,
            owner: owner.to_string(),
            owner_id: 181_234_567,
            name: name.to_string(),
            description,
            homepage,
            private: true,
            created_at: now.minus_secs(86_400 * 240),
            pushed_at: date,
            default_branch: "main".into(),
            commits,
            branches,
        }
    }

    pub(crate) fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    pub(crate) fn branch(&self, name: &str) -> Option<&Branch> {
        self.branches.iter().find(|b| b.name == name)
    }

    pub(crate) fn head(&self, branch: &str) -> Option<&str> {
        self.branch(branch).map(|b| b.head.as_str())
    }

    pub(crate) fn commit(&self, sha: &str) -> Option<&Commit> {
        self.commits.get(sha)
    }

    /// Commits reachable from `sha` (itself included), newest first along first parents,
    /// then the rest; at most `limit`. The basis of compare (`ahead_by`/`behind_by`).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn ancestors(&self, sha: &str, limit: usize) -> Vec<&Commit> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![sha.to_string()];
        while let Some(s) = stack.pop() {
            if out.len() >= limit || !seen.insert(s.clone()) {
                continue;
            }
            if let Some(c) = self.commits.get(&s) {
                out.push(c);
                for p in c.parents.iter().rev() {
                    stack.push(p.clone());
                }
            }
        }
        out
    }

    /// The first-parent chain of a branch, newest first.
    pub(crate) fn first_parent_chain(&self, branch: &str, limit: usize) -> Vec<&Commit> {
        let mut out = Vec::new();
        let mut cur = self.head(branch).map(str::to_string);
        while let Some(s) = cur {
            if out.len() >= limit {
                break;
            }
            match self.commits.get(&s) {
                Some(c) => {
                    cur = c.parents.first().cloned();
                    out.push(c);
                }
                None => break,
            }
        }
        out
    }

    /// Commit on top of a branch and move its head. None if the branch does not exist.
    pub(crate) fn add_commit(
        &mut self,
        branch: &str,
        message: &str,
        ids: &mut IdGen,
        at: Ts,
    ) -> Option<String> {
        let parent = self.head(branch)?.to_string();
        let sha = ids.sha();
        self.commits.insert(
            sha.clone(),
            Commit {
                sha: sha.clone(),
                message: message.to_string(),
                author: ids.range(0..(PEOPLE.len() as u64 - 1)) as usize,
                date: at,
                parents: vec![parent],
                tree: ids.sha(),
            },
        );
        if let Some(b) = self.branches.iter_mut().find(|b| b.name == branch) {
            b.head = sha.clone();
        }
        self.pushed_at = at;
        Some(sha)
    }
}

// ----- HTTP -----

const DOCS: &str = "https://docs.github.com/rest";

fn gh_error(status: StatusCode, message: &str, docs: &str) -> Response {
    json_response(
        status,
        &json!({"message": message, "documentation_url": docs, "status": status.as_u16().to_string()}),
    )
}

/// Serve one request under `/github` (`rest` is the path after `/github`).
pub(crate) fn handle(
    world: &mut World,
    method: &Method,
    rest: &str,
    headers: &HeaderMap,
    query: &Query,
) -> Response {
    let ua = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ua.trim().is_empty() {
        let body = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n";
        return super::http::text_response(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            body,
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
        return gh_error(StatusCode::UNAUTHORIZED, "Bad credentials", DOCS);
    }
    let segs: Vec<&str> = rest
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let resp = match (method, segs.as_slice()) {
        (&Method::GET, ["repos", owner, repo]) => get_repo(world, owner, repo),
        (&Method::GET, ["repos", owner, repo, "branches"]) => {
            list_branches(world, owner, repo, query)
        }
        (&Method::GET, ["repos", owner, repo, "branches", branch @ ..]) if !branch.is_empty() => {
            get_branch(world, owner, repo, &branch.join("/"))
        }
        _ => gh_error(StatusCode::NOT_FOUND, "Not Found", DOCS),
    };
    let used = 1 + (world.ids.u64() % 40) as u32;
    let reset = Ts::now().unix_secs() + 3600;
    with_headers(
        resp,
        &[
            ("x-github-api-version-selected", "2022-11-28".to_string()),
            ("x-ratelimit-limit", "5000".to_string()),
            ("x-ratelimit-remaining", (5000 - used).to_string()),
            ("x-ratelimit-used", used.to_string()),
            ("x-ratelimit-reset", reset.to_string()),
            ("x-ratelimit-resource", "core".to_string()),
        ],
    )
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

fn repo_json(r: &Repo, base: &str) -> Value {
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
        .map(|b| {
            json!({
                "name": b.name,
                "commit": {"sha": b.head, "url": format!("{base}/repos/{}/commits/{}", r.full_name(), b.head)},
                "protected": b.protected,
            })
        })
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
                    "enforcement_level": if b.protected { "non_admins" } else { "off" },
                    "contexts": if b.protected { json!(["ci/typecheck", "ci/test"]) } else { json!([]) },
                    "checks": if b.protected {
                        json!([{"context": "ci/typecheck", "app_id": 15368}, {"context": "ci/test", "app_id": 15368}])
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
