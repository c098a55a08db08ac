//! Promotion as the platform's design describes it: dev -> staging merges the source
//! environment's branch (develop) into the target's (staging) on GitHub; Coolify's push
//! webhook then deploys the targets with auto-deploy on, and pftui deploys the others
//! (production, after the typed confirmation). Without GitHub access, the target redeploys
//! the commit the source runs, through Coolify's rollback endpoint.

use std::time::{Duration, Instant};

use super::catalogue::{HEAD, Kind, OUT_OF_ORDER, TO};
use super::outcome::{AppOutcome, Progress, Reporter};
use super::plan::{Merge, Pair, Plan, Preview, Promotion, Step, names, target};
use super::request::{Request, Target};
use super::{Ops, OpsError};
use crate::coolify::{CoolifyError, DeployRequest, load_scope};
use crate::github::{MergeOutcome, RepoName};
use crate::model::stages::same_commit;
use crate::model::words::plural;
use crate::model::{Address, AddressError, Environment, Project, Resource, Trigger, short_sha};

/// How long Coolify's webhook gets to start a deployment after a merge.
const WEBHOOK_WAIT: Duration = Duration::from_secs(30);

impl Ops {
    pub(crate) async fn plan_promote(&self, request: &Request) -> Result<Plan, OpsError> {
        let source = request.address()?;
        let to = request.text_of(TO).unwrap_or_default();
        let from = source.environment.as_deref().unwrap_or_default();
        let tree = load_scope(&self.session.coolify, &source.project, &[from, to]).await?;
        let (p, source_env) = source.find_environment(&tree)?;
        let (_, target_env) =
            Address::new(&source.project, Some(to), None).find_environment(&tree)?;
        let mut notes = Vec::new();
        match self.pipeline_step(p, source_env, target_env) {
            Ok(()) => {}
            Err(why) if request.has_flag(OUT_OF_ORDER) => {
                notes.push(format!("out of the pipeline's order: {why}"));
            }
            Err(why) => {
                return Err(OpsError::Invalid(format!(
                    "{why}; promotion goes one environment at a time ({}): pass --out-of-order to do it anyway",
                    p.environments
                        .iter()
                        .map(|e| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" -> ")
                )));
            }
        }
        let pairs = self.pair(p, source_env, target_env).await?;
        let mut actions = Vec::new();
        let mut commits = Vec::new();
        let mut merges = Vec::new();
        match &self.session.github {
            Some(github) => {
                for pair in &pairs {
                    let mut merge = self.merge_for(p, source_env, target_env, pair, &tree)?;
                    if merges
                        .iter()
                        .any(|m: &Merge| m.repo == merge.repo && m.base == merge.base)
                    {
                        continue;
                    }
                    let branch_head = github
                        .branch(&merge.repo.owner, &merge.repo.name, &merge.branch)
                        .await?
                        .sha;
                    match (&pair.source_commit, request.has_flag(HEAD)) {
                        (Some(runs), false) => {
                            if !same_commit(runs, &branch_head) {
                                notes.push(format!(
                                    "{} runs {}, not the head of {} ({}): promoting {} (--head promotes the branch head)",
                                    pair.source.name,
                                    short_sha(runs),
                                    merge.branch,
                                    short_sha(&branch_head),
                                    short_sha(runs)
                                ));
                            }
                            merge.head = runs.clone();
                            if !same_commit(runs, &branch_head) {
                                merge.label = format!("{} ({})", short_sha(runs), merge.branch);
                            }
                        }
                        (Some(runs), true) if !same_commit(runs, &branch_head) => {
                            notes.push(format!(
                                "--head: promoting the head of {} ({}), although {} runs {}",
                                merge.branch,
                                short_sha(&branch_head),
                                pair.source.name,
                                short_sha(runs)
                            ));
                        }
                        (Some(_), true) => {}
                        (None, _) => notes.push(format!(
                            "what {} runs is unknown: promoting the head of {} ({})",
                            pair.source.name,
                            merge.branch,
                            short_sha(&branch_head)
                        )),
                    }
                    let comparison = github
                        .compare(
                            &merge.repo.owner,
                            &merge.repo.name,
                            &merge.base,
                            &merge.head,
                        )
                        .await?;
                    if comparison.head_contained() {
                        notes.push(format!(
                            "{} already contains {} on {}",
                            merge.base,
                            merge.label,
                            merge.repo.full_name()
                        ));
                        continue;
                    }
                    actions.push(format!(
                        "merge {} into {} on {} ({})",
                        merge.label,
                        merge.base,
                        merge.repo.full_name(),
                        plural(comparison.total_commits as usize, "commit")
                    ));
                    commits.extend(
                        comparison
                            .commits
                            .iter()
                            .map(|c| format!("{} {} ({})", c.short_sha(), c.title, c.author)),
                    );
                    merges.push(Merge {
                        commits: comparison.total_commits as usize,
                        ..merge
                    });
                }
                if merges.is_empty() {
                    return Err(OpsError::UpToDate(format!(
                        "{} already has everything {} runs: nothing to promote ({})",
                        target_env.name,
                        source_env.name,
                        notes.join("; ")
                    )));
                }
                for pair in &pairs {
                    actions.push(if pair.auto_deploy {
                        format!(
                            "Coolify deploys {} from the merge (push webhook)",
                            pair.target.name
                        )
                    } else {
                        format!(
                            "then pftui deploys {} (it has no auto-deploy)",
                            pair.target.name
                        )
                    });
                }
            }
            None => {
                notes.push(format!(
                    "no GitHub access (set GITHUB_TOKEN): pftui redeploys on {} the commit {} runs, through Coolify's rollback endpoint; the branches on GitHub do not move",
                    target_env.name, source_env.name
                ));
                for pair in &pairs {
                    let commit = pair.source_commit.as_deref().ok_or_else(|| {
                        OpsError::Nothing(format!(
                            "{} has no deployed commit to promote",
                            pair.source.name
                        ))
                    })?;
                    actions.push(format!(
                        "redeploy {} at {}, the commit {} runs",
                        pair.target.name,
                        short_sha(commit),
                        pair.source.name
                    ));
                }
            }
        }
        let targets: Vec<Target> = pairs.iter().map(|p| p.target.clone()).collect();
        let current = self.current_images(&targets).await;
        let undo = format!(
            "roll the targets back ({}){}",
            targets
                .iter()
                .zip(&current)
                .map(|(t, c)| match c {
                    Some(tag) => Request::new(Kind::Rollback, t.address())
                        .text(TO, tag.as_str())
                        .command_line(),
                    None => format!("{}: no earlier image known", t.name),
                })
                .collect::<Vec<_>>()
                .join("; "),
            if merges.is_empty() {
                ""
            } else {
                "; the merge stays on GitHub (revert it there)"
            }
        );
        Ok(Plan {
            kind: Kind::Promote,
            environment: target_env.name.clone(),
            verdict: self.verdict(&target_env.name, Kind::Promote),
            preview: Preview {
                title: format!(
                    "Promote {} {} → {} ({})",
                    p.name,
                    source_env.name,
                    target_env.name,
                    names(&targets)
                ),
                actions,
                commits,
                undo,
                cli: Request::new(
                    Kind::Promote,
                    Address::new(&p.name, Some(&source_env.name), None),
                )
                .text(TO, target_env.name.as_str())
                .command_line(),
                notes,
            },
            targets,
            current,
            step: Step::Promote(Box::new(Promotion { pairs, merges })),
        })
    }

    /// Is `to` the environment after `from` in the pipeline? By the names the platform
    /// gives its stages (dev, staging, production as the policy names it), else by the
    /// project's order of environments. `Err` says how it is not.
    fn pipeline_step(
        &self,
        p: &Project,
        from: &Environment,
        to: &Environment,
    ) -> Result<(), String> {
        let stage = |e: &Environment| self.stage_of(&e.name);
        let place = |e: &Environment| p.environments.iter().position(|x| x.name == e.name);
        let next = match (stage(from), stage(to)) {
            (Some(a), Some(b)) => a.next() == Some(b),
            _ => place(from).zip(place(to)).is_some_and(|(a, b)| b == a + 1),
        };
        if next {
            return Ok(());
        }
        let backwards = match (stage(from), stage(to)) {
            (Some(a), Some(b)) => b <= a,
            _ => place(from).zip(place(to)).is_some_and(|(a, b)| b <= a),
        };
        Err(if backwards {
            format!("{} comes before {}: that goes back", to.name, from.name)
        } else {
            format!(
                "{} is not the environment after {}: that skips one",
                to.name, from.name
            )
        })
    }

    /// Pair each source application with its target: by repository, or one to one.
    async fn pair(
        &self,
        p: &Project,
        source: &Environment,
        target_env: &Environment,
    ) -> Result<Vec<Pair>, OpsError> {
        let sources: Vec<&Resource> = source.applications().collect();
        let targets: Vec<&Resource> = target_env.applications().collect();
        if sources.is_empty() {
            return Err(AddressError::NoApplication {
                project: p.name.clone(),
                environment: source.name.clone(),
            }
            .into());
        }
        let repo_of = |r: &Resource| {
            r.app
                .as_ref()
                .and_then(|a| a.git_repository.as_deref())
                .and_then(|g| RepoName::parse(g).ok())
                .map(|n| n.full_name().to_ascii_lowercase())
        };
        let mut pairs = Vec::new();
        for s in &sources {
            let matched = match (sources.len(), targets.len()) {
                (1, 1) => Some(targets[0]),
                _ => targets
                    .iter()
                    .copied()
                    .find(|t| repo_of(t).is_some() && repo_of(t) == repo_of(s)),
            };
            let Some(t) = matched else {
                continue;
            };
            let current = self.rollback_choice(&s.uuid).await?.current;
            pairs.push(Pair {
                source: target(&p.name, &source.name, s),
                target: target(&p.name, &target_env.name, t),
                auto_deploy: t.app.as_ref().and_then(|a| a.auto_deploy).unwrap_or(false),
                source_commit: current,
            });
        }
        if pairs.is_empty() {
            return Err(OpsError::Nothing(format!(
                "no application of {}/{} matches one in {} by repository",
                p.name, source.name, target_env.name
            )));
        }
        Ok(pairs)
    }

    /// The repository and branches of a pair, with the settings' per-instance overrides.
    fn merge_for(
        &self,
        p: &Project,
        source: &Environment,
        target_env: &Environment,
        pair: &Pair,
        tree: &crate::model::Tree,
    ) -> Result<Merge, OpsError> {
        let git = |env: &Environment, t: &Target| {
            let app = tree
                .resource(&t.uuid)
                .and_then(|(_, _, r)| r.app.clone())
                .unwrap_or_default();
            self.git_source(&p.name, &env.name, &app)
        };
        let (s, t) = (git(source, &pair.source), git(target_env, &pair.target));
        let repo_text = t.repository.ok_or_else(|| {
            OpsError::Nothing(format!(
                "{} names no git repository; set instances.{}.github_repository in the settings",
                pair.target.name, p.name
            ))
        })?;
        let missing = |env: &Environment| {
            OpsError::Nothing(format!(
                "no branch known for {}/{}; set instances.{}.branches.{} in the settings",
                p.name, env.name, p.name, env.name
            ))
        };
        let source_branch = s.branch.ok_or_else(|| missing(source))?;
        Ok(Merge {
            repo: RepoName::parse(&repo_text)?,
            base: t.branch.ok_or_else(|| missing(target_env))?,
            head: source_branch.clone(),
            label: source_branch.clone(),
            branch: source_branch,
            commits: 0,
        })
    }

    pub(crate) async fn run_promote(
        &self,
        plan: &Plan,
        promotion: &Promotion,
        wait: bool,
        progress: &Reporter<'_>,
    ) -> Result<Vec<AppOutcome>, OpsError> {
        let client = &self.session.coolify;
        let mut merged = Vec::new();
        if let Some(github) = &self.session.github {
            for m in &promotion.merges {
                let message = format!("Promote {} into {} (pftui)", m.label, m.base);
                let outcome = github
                    .merge(
                        &m.repo.owner,
                        &m.repo.name,
                        &m.base,
                        &m.head,
                        Some(&message),
                    )
                    .await?;
                let text = match &outcome {
                    MergeOutcome::Merged { sha } => format!(
                        "merged {} into {} on {}: {}",
                        m.label,
                        m.base,
                        m.repo.full_name(),
                        short_sha(sha)
                    ),
                    MergeOutcome::AlreadyUpToDate => {
                        format!("{} already contains {}", m.base, m.label)
                    }
                };
                let _ = progress.send(Progress::Note { target: None, text });
                merged.push(outcome);
            }
        }
        let started = Instant::now();
        let runs = promotion.pairs.iter().enumerate().map(|(i, pair)| {
            let merged = &merged;
            async move {
                let t = &pair.target;
                let before = plan.ran_before(i);
                let uuid = if promotion.merges.is_empty() {
                    let commit = pair.source_commit.clone().unwrap_or_default();
                    match client.rollback(&t.uuid, &commit).await {
                        Ok(q) => q.deployment_uuid,
                        Err(CoolifyError::NotFound { .. }) => {
                            return self.pinned_deploy(t, &commit, before, progress).await;
                        }
                        Err(e) => return Err(e.into()),
                    }
                } else {
                    let sha = merged.iter().find_map(|m| match m {
                        MergeOutcome::Merged { sha } => Some(sha.clone()),
                        MergeOutcome::AlreadyUpToDate => None,
                    });
                    let from_webhook = match (&sha, pair.auto_deploy) {
                        (Some(sha), true) => self.webhook_deployment(t, sha, started).await?,
                        _ => None,
                    };
                    match from_webhook {
                        Some(uuid) => Some(uuid),
                        None => {
                            if pair.auto_deploy {
                                let _ = progress.send(Progress::Note {
                                    target: Some(t.name.clone()),
                                    text: "Coolify started no deployment from the push webhook; deploying through the API".into(),
                                });
                            }
                            let queued = client.deploy(&DeployRequest::uuids([t.uuid.clone()])).await?;
                            queued.first().and_then(|q| q.deployment_uuid.clone())
                        }
                    }
                };
                self.watch(t, uuid, before, wait, progress).await
            }
        });
        futures::future::join_all(runs).await.into_iter().collect()
    }

    /// The deployment Coolify's push webhook started for `target` at commit `sha`.
    async fn webhook_deployment(
        &self,
        t: &Target,
        sha: &str,
        since: Instant,
    ) -> Result<Option<String>, OpsError> {
        let client = &self.session.coolify;
        while since.elapsed() < WEBHOOK_WAIT {
            let page = client.deployment_history(&t.uuid, 0, 5).await?;
            if let Some(d) = page.deployments.iter().find(|d| {
                d.commit.as_deref() == Some(sha)
                    || (d.trigger == Trigger::Webhook && d.status.is_active())
            }) {
                return Ok(Some(d.uuid.clone()));
            }
            tokio::time::sleep(self.poll_interval()).await;
        }
        Ok(None)
    }
}
