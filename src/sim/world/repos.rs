//! The simulated git repositories, shared by the GitHub simulator (which serves them) and
//! the Coolify simulator (whose deployments resolve `HEAD` through `Repo::head` and clone
//! the commit).
//!
//! State model: each repository keeps every commit by sha with its parents, and each
//! branch is a name pointing at a head sha, with a protection flag. "Compare" is a walk
//! over parents (`Repo::compare`); a merge (`Repo::merge_into`) adds a commit with two
//! parents (the old base head and the head) and moves the base branch head; a push
//! (`Repo::add_commit`) adds a commit on top of a branch.

use std::collections::{HashMap, HashSet};

use crate::sim::ids::{IdGen, Ts};

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
    /// (base branch, a commit whose change clashes with it): merging anything that contains
    /// the commit into the base answers `409 Merge conflict`.
    pub conflicts: HashSet<(String, String)>,
}

/// What a compare found: the head's commits missing from the base (oldest first), how
/// many of the base's commits the head lacks, and the best common ancestor.
pub(crate) struct Compared<'a> {
    pub ahead: Vec<&'a Commit>,
    pub behind_by: usize,
    pub merge_base: Option<&'a Commit>,
}

/// `owner/name`, lower-cased, from `owner/name`, `https://github.com/owner/name(.git)`,
/// `ssh://git@github.com/owner/name.git` or `git@github.com:owner/name.git`: the key that
/// matches a Coolify application's `git_repository` to a simulated repository.
pub(crate) fn repo_key(raw: &str) -> String {
    let s = raw.trim();
    let s = match s.find("://") {
        Some(i) => s[i + 3..].split_once('/').map_or("", |(_, p)| p),
        None => match s.strip_prefix("git@") {
            Some(rest) => rest.split_once(':').map_or(rest, |(_, p)| p),
            None => s,
        },
    };
    let s = s.trim_end_matches('/');
    s.strip_suffix(".git").unwrap_or(s).to_ascii_lowercase()
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
            // Unprotected by default so promotion works out of the box in the demo;
            // `SimControl::protect_branch` turns protection on.
            Branch {
                name: "main".into(),
                head: head(main_len),
                protected: false,
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
            conflicts: HashSet::new(),
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

    /// A branch name, or a commit sha (full, or an unambiguous prefix of 7 or more).
    pub(crate) fn resolve(&self, reference: &str) -> Option<String> {
        if let Some(head) = self.head(reference) {
            return Some(head.to_string());
        }
        let r = reference.to_ascii_lowercase();
        if !(7..=40).contains(&r.len()) || !r.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        if self.commits.contains_key(&r) {
            return Some(r);
        }
        let mut hits = self.commits.keys().filter(|k| k.starts_with(&r));
        match (hits.next(), hits.next()) {
            (Some(one), None) => Some(one.clone()),
            _ => None,
        }
    }

    /// Every sha reachable from `sha`, itself included.
    pub(crate) fn reachable(&self, sha: &str) -> HashSet<&str> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&str> = self
            .commits
            .get_key_value(sha)
            .map(|(k, _)| k.as_str())
            .into_iter()
            .collect();
        while let Some(s) = stack.pop() {
            if !seen.insert(s) {
                continue;
            }
            if let Some(c) = self.commits.get(s) {
                for p in &c.parents {
                    if let Some((k, _)) = self.commits.get_key_value(p) {
                        stack.push(k.as_str());
                    }
                }
            }
        }
        seen
    }

    /// Compare two commits as `GET /compare/{base}...{head}` does.
    pub(crate) fn compare(&self, base: &str, head: &str) -> Compared<'_> {
        let from_base = self.reachable(base);
        let from_head = self.reachable(head);
        let behind_by = from_base.difference(&from_head).count();
        // The head's own commits in topological order, parents first (a post-order walk).
        let mut ahead = Vec::new();
        let mut done: HashSet<&str> = HashSet::new();
        let mut stack: Vec<(&str, bool)> = Vec::new();
        if let Some((k, _)) = self.commits.get_key_value(head) {
            stack.push((k.as_str(), false));
        }
        while let Some((s, expanded)) = stack.pop() {
            if from_base.contains(s) || (done.contains(s) && !expanded) {
                continue;
            }
            let Some(c) = self.commits.get(s) else {
                continue;
            };
            if expanded {
                if done.insert(s) {
                    ahead.push(c);
                }
                continue;
            }
            stack.push((s, true));
            for p in c.parents.iter().rev() {
                if let Some((k, _)) = self.commits.get_key_value(p)
                    && !done.contains(k.as_str())
                {
                    stack.push((k.as_str(), false));
                }
            }
        }
        // The best common ancestor: the newest common commit; among equal dates, the one
        // with the most history (a descendant has strictly more ancestors).
        let merge_base = from_base
            .intersection(&from_head)
            .filter_map(|s| self.commits.get(*s))
            .max_by_key(|c| (c.date.0, self.reachable(&c.sha).len(), c.sha.clone()));
        Compared {
            ahead,
            behind_by,
            merge_base,
        }
    }

    /// Record a merge commit of `head_sha` into the branch `base` (parents: the old base
    /// head, then the head) and move the base head. None if the branch does not exist.
    pub(crate) fn merge_into(
        &mut self,
        base: &str,
        head_sha: &str,
        message: &str,
        ids: &mut IdGen,
        at: Ts,
    ) -> Option<String> {
        let parent = self.head(base)?.to_string();
        let sha = ids.sha();
        self.commits.insert(
            sha.clone(),
            Commit {
                sha: sha.clone(),
                message: message.to_string(),
                author: 0,
                date: at,
                parents: vec![parent, head_sha.to_string()],
                tree: ids.sha(),
            },
        );
        if let Some(b) = self.branches.iter_mut().find(|b| b.name == base) {
            b.head = sha.clone();
        }
        self.pushed_at = at;
        Some(sha)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> Repo {
        let mut ids = IdGen::new(3);
        Repo::generate(
            &mut ids,
            1,
            "pfcore",
            "pf-air",
            "d".into(),
            None,
            Ts::now(),
            5,
            2,
            3,
        )
    }

    #[test]
    fn repo_keys_accept_names_and_clone_urls() {
        for raw in [
            "pfcore/pf-air",
            "PFCore/PF-Air",
            "https://github.com/pfcore/pf-air",
            "https://github.com/pfcore/pf-air.git",
            "https://github.com/pfcore/pf-air/",
            "git@github.com:pfcore/pf-air.git",
            "ssh://git@github.com/pfcore/pf-air.git",
        ] {
            assert_eq!(repo_key(raw), "pfcore/pf-air", "{raw}");
        }
    }

    #[test]
    fn compare_counts_both_sides_and_orders_oldest_first() {
        let r = repo();
        let (main, staging, develop) = (
            r.head("main").unwrap_or_default().to_string(),
            r.head("staging").unwrap_or_default().to_string(),
            r.head("develop").unwrap_or_default().to_string(),
        );
        let c = r.compare(&staging, &develop);
        assert_eq!((c.ahead.len(), c.behind_by), (3, 0));
        assert_eq!(c.merge_base.map(|m| m.sha.as_str()), Some(staging.as_str()));
        assert_eq!(
            c.ahead.last().map(|m| m.sha.as_str()),
            Some(develop.as_str())
        );
        assert_eq!(c.ahead[0].parents, vec![staging.clone()]);
        let c = r.compare(&develop, &main);
        assert_eq!((c.ahead.len(), c.behind_by), (0, 5));
        let c = r.compare(&main, &main);
        assert_eq!((c.ahead.len(), c.behind_by), (0, 0));
    }

    #[test]
    fn merges_make_two_parent_commits_and_diverged_histories_compare() {
        let mut r = repo();
        let mut ids = IdGen::new(9);
        let staging = r.head("staging").unwrap_or_default().to_string();
        let develop = r.head("develop").unwrap_or_default().to_string();
        // A hotfix on main makes main and staging diverge.
        let hotfix = r
            .add_commit("main", "fix: hotfix", &mut ids, Ts::now())
            .unwrap_or_default();
        let c = r.compare(&staging, &hotfix);
        assert_eq!((c.ahead.len(), c.behind_by), (1, 2));
        let merged = r
            .merge_into(
                "staging",
                &develop,
                "Merge develop into staging",
                &mut ids,
                Ts::now(),
            )
            .unwrap_or_default();
        let commit = r.commit(&merged).expect("merge commit");
        assert_eq!(commit.parents, vec![staging.clone(), develop.clone()]);
        assert_eq!(r.head("staging"), Some(merged.as_str()));
        // develop is now contained in staging; staging is one merge commit ahead.
        let c = r.compare(&develop, &merged);
        assert_eq!((c.ahead.len(), c.behind_by), (1, 0));
        assert_eq!(c.merge_base.map(|m| m.sha.as_str()), Some(develop.as_str()));
        assert!(r.reachable(&merged).contains(develop.as_str()));
    }

    #[test]
    fn refs_resolve_by_branch_full_sha_or_prefix() {
        let r = repo();
        let head = r.head("develop").unwrap_or_default().to_string();
        assert_eq!(r.resolve("develop"), Some(head.clone()));
        assert_eq!(r.resolve(&head), Some(head.clone()));
        assert_eq!(r.resolve(&head[..10]), Some(head.clone()));
        assert_eq!(r.resolve("nope"), None);
        assert_eq!(r.resolve("abc"), None);
    }
}
