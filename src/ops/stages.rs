//! The pipeline board (a read of the query façade): for every project, dev, staging and
//! prod side by side, each with the commit it runs (its latest finished deployment), the
//! branch it tracks and that branch's head on GitHub, whether it runs behind that head,
//! and how many commits a promotion to the next stage would move (a GitHub compare of the
//! next stage's branch with what runs here, as promotion plans it).
//!
//! Everything is read concurrently, at most [`FAN_OUT`] requests at a time per kind of
//! read; a part that cannot be read is an error in its cell, never the board's.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::Hash;

use futures::StreamExt;

use super::{Ops, OpsError};
use crate::coolify::load_tree;
use crate::github::RepoName;
use crate::model::pipeline::Stage;
use crate::model::stages::{Board, Cell, Lane, Read, Running, same_commit};
use crate::model::{DeploymentPage, DeploymentStatus, Environment, Project, Resource};

/// Requests in flight at once, per kind of read.
const FAN_OUT: usize = 6;
/// Deployments read per application to find its latest finished one.
const HISTORY_DEPTH: u32 = 20;

/// Why cells have no branch information.
pub const NO_GITHUB: &str = "no GitHub access (set GITHUB_TOKEN): branch heads, behind and what a promotion would move are not shown";

/// A lane before its reads: the applications of one repository, by stage.
#[derive(Debug, PartialEq)]
struct Planned<'a> {
    project: &'a Project,
    repository: Option<String>,
    cells: Vec<(Stage, &'a Environment, &'a Resource)>,
}

/// A cell's place on GitHub: its repository (or why it has none usable) and branch.
struct Place {
    repo: Read<RepoName>,
    branch: Option<String>,
}

/// A compare: what `head` has that `base` lacks, in a repository.
type Compare = (String, String, String);

impl Ops {
    /// The pipeline board of every project the token sees.
    pub async fn pipeline_board(&self) -> Result<Board, OpsError> {
        let tree = load_tree(&self.session.coolify).await?;
        let mut notes = Vec::new();
        let stage_of = |name: &str| self.stage_of(name);
        let planned: Vec<Planned> = tree
            .projects
            .iter()
            .flat_map(|p| plan_lanes(p, &stage_of, &mut notes))
            .collect();
        let github = self.session.github.as_ref();
        if github.is_none() {
            notes.push(NO_GITHUB.into());
        }
        let places: HashMap<&str, Place> = planned
            .iter()
            .flat_map(|lane| lane.cells.iter().map(move |c| (lane.project, c)))
            .map(|(p, (_, env, r))| (r.uuid.as_str(), self.place(p, env, r)))
            .collect();

        let histories = read_all(places.keys().copied(), |uuid| async move {
            self.history(uuid, HISTORY_DEPTH)
                .await
                .map(|page| running_of(&page))
                .map_err(|e| e.to_string())
        });
        let wanted_heads = places.values().filter_map(|p| {
            let repo = p.repo.as_ref().ok()?;
            Some((repo.full_name(), p.branch.clone()?))
        });
        let heads = read_all(
            wanted_heads.filter(|_| github.is_some()),
            |(repo, branch): (String, String)| async move {
                let client = github.ok_or(NO_GITHUB)?;
                let name = RepoName::parse(&repo).map_err(|e| e.to_string())?;
                client
                    .branch(&name.owner, &name.name, &branch)
                    .await
                    .map(|b| b.sha)
                    .map_err(|e| e.to_string())
            },
        );
        let (histories, heads) = futures::join!(histories, heads);

        // Build the cells, noting the compares each wants.
        let mut lanes: Vec<Lane> = planned
            .iter()
            .map(|lane| Lane {
                project: lane.project.name.clone(),
                repository: lane.repository.clone(),
                cells: lane
                    .cells
                    .iter()
                    .map(|(stage, env, r)| {
                        let place = &places[r.uuid.as_str()];
                        let running = histories
                            .get(r.uuid.as_str())
                            .cloned()
                            .unwrap_or_else(|| Err("not read".into()))
                            .and_then(|r| r);
                        let head = github.map(|_| match (&place.repo, &place.branch) {
                            (Err(why), _) => Err(why.clone()),
                            (Ok(_), None) => Err(format!(
                                "no branch known; set instances.{}.branches.{} in the settings",
                                lane.project.name, env.name
                            )),
                            (Ok(repo), Some(branch)) => heads
                                .get(&(repo.full_name(), branch.clone()))
                                .cloned()
                                .unwrap_or_else(|| Err("not read".into())),
                        });
                        Cell {
                            stage: *stage,
                            environment: env.name.clone(),
                            app: r.name.clone(),
                            uuid: r.uuid.clone(),
                            running,
                            branch: place.branch.clone(),
                            head,
                            behind: None,
                            next: None,
                            ahead: None,
                        }
                    })
                    .collect(),
            })
            .collect();
        for lane in &mut lanes {
            link_next(lane);
        }
        let Some(client) = github else {
            return Ok(Board { lanes, notes });
        };

        let mut wanted: Vec<Compare> = Vec::new();
        for lane in &lanes {
            for cell in &lane.cells {
                let Ok(repo) = &places[cell.uuid.as_str()].repo else {
                    continue;
                };
                wanted.extend(behind_compare(cell).map(|(b, h)| (repo.full_name(), b, h)));
                wanted.extend(
                    ahead_compare(lane, cell)
                        .and_then(Result::ok)
                        .map(|(b, h)| (repo.full_name(), b, h)),
                );
            }
        }
        let compares = read_all(wanted, |(repo, base, head): Compare| async move {
            let name = RepoName::parse(&repo).map_err(|e| e.to_string())?;
            client
                .compare(&name.owner, &name.name, &base, &head)
                .await
                .map(|c| c.ahead_by)
                .map_err(|e| e.to_string())
        })
        .await;

        for lane in &mut lanes {
            let asks: Vec<(Option<Compare>, Option<Read<Compare>>)> = lane
                .cells
                .iter()
                .map(|cell| {
                    let repo = places[cell.uuid.as_str()].repo.as_ref();
                    let with_repo = |(b, h): (String, String)| -> Read<Compare> {
                        let repo = repo.map_err(Clone::clone)?;
                        Ok((repo.full_name(), b, h))
                    };
                    (
                        behind_compare(cell).and_then(|c| with_repo(c).ok()),
                        ahead_compare(lane, cell).map(|a| a.and_then(with_repo)),
                    )
                })
                .collect();
            for (cell, (behind, ahead)) in lane.cells.iter_mut().zip(asks) {
                let answer = |key: &Compare| {
                    compares
                        .get(key)
                        .cloned()
                        .unwrap_or_else(|| Err("not read".into()))
                };
                cell.behind = behind.as_ref().map(answer);
                cell.ahead = ahead.map(|a| a.and_then(|key| answer(&key)));
            }
        }
        Ok(Board { lanes, notes })
    }

    /// Where a cell's application is on GitHub, by the settings and Coolify.
    fn place(&self, project: &Project, env: &Environment, r: &Resource) -> Place {
        let app = r.app.clone().unwrap_or_default();
        let source = self.git_source(&project.name, &env.name, &app);
        let repo = match source.repository {
            Some(text) => RepoName::parse(&text).map_err(|e| e.to_string()),
            None => Err(format!(
                "{} names no git repository; set instances.{}.github_repository in the settings",
                r.name, project.name
            )),
        };
        Place {
            repo,
            branch: source.branch,
        }
    }
}

/// What an application runs, from its recent deployments (newest first): the commit of the
/// latest finished one.
fn running_of(page: &DeploymentPage) -> Read<Option<Running>> {
    let Some(d) = page
        .deployments
        .iter()
        .find(|d| d.status == DeploymentStatus::Finished)
    else {
        let older = page
            .count
            .is_some_and(|n| n > page.deployments.len() as u64);
        return if older {
            Err(format!(
                "none of its last {} deployments finished",
                page.deployments.len()
            ))
        } else {
            Ok(None)
        };
    };
    match d
        .commit
        .as_deref()
        .filter(|c| !c.is_empty() && *c != "HEAD")
    {
        Some(commit) => Ok(Some(Running {
            commit: commit.to_string(),
            at: d.finished_at.or(d.updated_at).or(d.created_at),
        })),
        None => Err(format!(
            "its latest finished deployment ({}) recorded no commit",
            d.uuid
        )),
    }
}

/// The compare telling how far a cell runs behind its branch: (what runs, the head), when
/// both are known and differ.
fn behind_compare(cell: &Cell) -> Option<(String, String)> {
    match (&cell.running, &cell.head) {
        (Ok(Some(r)), Some(Ok(head))) if !same_commit(&r.commit, head) => {
            Some((r.commit.clone(), head.clone()))
        }
        _ => None,
    }
}

/// The compare telling what promoting a cell would move: (the next stage's branch, what
/// runs here, or this branch when that is unknown), or why it cannot be made. `None` for
/// the lane's last cell and without GitHub.
fn ahead_compare(lane: &Lane, cell: &Cell) -> Option<Read<(String, String)>> {
    let next = lane
        .cells
        .iter()
        .find(|c| Some(c.stage) == cell.stage.next())?;
    cell.head.as_ref()?;
    let base = next.branch.clone().ok_or_else(|| {
        format!(
            "no branch known for {}/{}; set instances.{}.branches.{} in the settings",
            lane.project, next.environment, lane.project, next.environment
        )
    });
    let head = match (&cell.running, &cell.branch) {
        (Ok(Some(r)), _) => Ok(r.commit.clone()),
        (_, Some(branch)) => Ok(branch.clone()),
        (_, None) => Err(format!("what {} runs and its branch are unknown", cell.app)),
    };
    Some(base.and_then(|b| Ok((b, head?))))
}

/// Tell each cell the environment a promotion from it goes to.
fn link_next(lane: &mut Lane) {
    let by_stage: Vec<(Stage, String)> = lane
        .cells
        .iter()
        .map(|c| (c.stage, c.environment.clone()))
        .collect();
    for cell in &mut lane.cells {
        cell.next = by_stage
            .iter()
            .find(|(s, _)| Some(*s) == cell.stage.next())
            .map(|(_, e)| e.clone());
    }
}

/// Read every key once, at most [`FAN_OUT`] at a time.
async fn read_all<K, T, F, Fut>(keys: impl IntoIterator<Item = K>, read: F) -> HashMap<K, Read<T>>
where
    K: Eq + Hash + Clone,
    F: Fn(K) -> Fut,
    Fut: Future<Output = Read<T>>,
{
    let keys: HashSet<K> = keys.into_iter().collect();
    futures::stream::iter(keys)
        .map(|k| {
            let reading = read(k.clone());
            async move { (k, reading.await) }
        })
        .buffer_unordered(FAN_OUT)
        .collect()
        .await
}

/// A project's lanes: one when each of its stages holds one application at most, else one
/// per repository (and per application of a repository a stage holds several of). Its
/// environments outside the pipeline, and a second environment of one stage, are noted.
fn plan_lanes<'a>(
    project: &'a Project,
    stage_of: &dyn Fn(&str) -> Option<Stage>,
    notes: &mut Vec<String>,
) -> Vec<Planned<'a>> {
    let mut staged: Vec<(Stage, &Environment)> = Vec::new();
    for env in &project.environments {
        match stage_of(&env.name) {
            Some(stage) if staged.iter().all(|(s, _)| *s != stage) => staged.push((stage, env)),
            Some(_) => notes.push(format!(
                "{}/{} is a second environment of one stage: not shown",
                project.name, env.name
            )),
            None => notes.push(format!(
                "{}/{} is not a pipeline stage (dev, staging, prod): not shown",
                project.name, env.name
            )),
        }
    }
    staged.sort_by_key(|(s, _)| *s);
    if staged.iter().all(|(_, e)| e.applications().count() <= 1) {
        let cells: Vec<_> = staged
            .iter()
            .filter_map(|(s, e)| Some((*s, *e, e.applications().next()?)))
            .collect();
        if cells.is_empty() {
            return Vec::new();
        }
        return vec![Planned {
            project,
            repository: None,
            cells,
        }];
    }
    let mut lanes: Vec<((String, usize), Planned<'a>)> = Vec::new();
    for (stage, env) in &staged {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for app in env.applications() {
            let label = app
                .app
                .as_ref()
                .and_then(|a| a.git_repository.as_deref())
                .and_then(|g| RepoName::parse(g).ok())
                .map_or_else(|| app.name.clone(), |n| n.full_name());
            let nth = seen.entry(label.to_ascii_lowercase()).or_default();
            let key = (label.to_ascii_lowercase(), *nth);
            *nth += 1;
            let cell = (*stage, *env, app);
            match lanes.iter_mut().find(|(k, _)| *k == key) {
                Some((_, lane)) => lane.cells.push(cell),
                None => {
                    let repository = match key.1 {
                        0 => label,
                        n => format!("{label} #{}", n + 1),
                    };
                    lanes.push((
                        key,
                        Planned {
                            project,
                            repository: Some(repository),
                            cells: vec![cell],
                        },
                    ));
                }
            }
        }
    }
    lanes.into_iter().map(|(_, lane)| lane).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppInfo, Deployment, ResourceKind, ResourceStatus, Trigger};

    fn app(name: &str, repo: &str) -> Resource {
        Resource {
            uuid: format!("u-{name}"),
            id: None,
            name: name.into(),
            kind: ResourceKind::Application,
            engine: None,
            status: ResourceStatus::parse("running:healthy"),
            server: None,
            description: None,
            urls: vec![],
            app: Some(AppInfo {
                git_repository: Some(repo.into()),
                ..AppInfo::default()
            }),
        }
    }

    fn env(name: &str, resources: Vec<Resource>) -> Environment {
        Environment {
            uuid: None,
            id: None,
            name: name.into(),
            resources,
        }
    }

    fn project(environments: Vec<Environment>) -> Project {
        Project {
            uuid: "p".into(),
            name: "AIR".into(),
            description: None,
            environments,
        }
    }

    /// A lane as its repository and its cells' (stage, application).
    type Shape = (Option<String>, Vec<(Stage, String)>);

    fn shape(lanes: &[Planned]) -> Vec<Shape> {
        lanes
            .iter()
            .map(|l| {
                let cells = l.cells.iter().map(|(s, _, r)| (*s, r.name.clone()));
                (l.repository.clone(), cells.collect())
            })
            .collect()
    }

    #[test]
    fn one_application_per_stage_is_one_lane_in_stage_order() {
        let p = project(vec![
            env("production", vec![app("air-prod", "pfcore/pf-air")]),
            env("dev", vec![app("air-dev", "pfcore/pf-air")]),
            env("qa", vec![app("air-qa", "pfcore/pf-air")]),
            env("staging", vec![]),
        ]);
        let mut notes = Vec::new();
        let lanes = plan_lanes(&p, &Stage::of, &mut notes);
        assert_eq!(
            shape(&lanes),
            [(
                None,
                vec![
                    (Stage::Dev, "air-dev".into()),
                    (Stage::Prod, "air-prod".into())
                ]
            )]
        );
        assert_eq!(
            notes,
            ["AIR/qa is not a pipeline stage (dev, staging, prod): not shown"]
        );
    }

    #[test]
    fn several_applications_of_different_repositories_make_lanes() {
        let p = project(vec![
            env(
                "dev",
                vec![
                    app("web-dev", "https://github.com/pfcore/pf-air.git"),
                    app("api-dev", "pfcore/pf-api"),
                ],
            ),
            env(
                "staging",
                vec![
                    app("api-stg", "pfcore/pf-api"),
                    app("web-stg", "pfcore/pf-air"),
                ],
            ),
            env("prod", vec![app("web-prod", "pfcore/pf-air")]),
        ]);
        let lanes = plan_lanes(&p, &Stage::of, &mut Vec::new());
        assert_eq!(
            shape(&lanes),
            [
                (
                    Some("pfcore/pf-air".into()),
                    vec![
                        (Stage::Dev, "web-dev".into()),
                        (Stage::Staging, "web-stg".into()),
                        (Stage::Prod, "web-prod".into())
                    ]
                ),
                (
                    Some("pfcore/pf-api".into()),
                    vec![
                        (Stage::Dev, "api-dev".into()),
                        (Stage::Staging, "api-stg".into())
                    ]
                ),
            ]
        );
        assert!(
            plan_lanes(
                &project(vec![env("dev", vec![])]),
                &Stage::of,
                &mut Vec::new()
            )
            .is_empty()
        );
    }

    fn deployment(status: DeploymentStatus, commit: &str) -> Deployment {
        Deployment {
            uuid: format!("d-{commit}"),
            application_id: None,
            application_name: None,
            status,
            commit: Some(commit.into()),
            commit_message: None,
            trigger: Trigger::Webhook,
            force_rebuild: false,
            restart_only: false,
            server_name: None,
            created_at: None,
            updated_at: None,
            finished_at: None,
        }
    }

    #[test]
    fn what_runs_is_the_latest_finished_deployment() {
        let page = |deployments: Vec<Deployment>, count: u64| DeploymentPage {
            count: Some(count),
            deployments,
        };
        let newest_failed = page(
            vec![
                deployment(DeploymentStatus::Failed, "c3"),
                deployment(DeploymentStatus::Finished, "c2"),
                deployment(DeploymentStatus::Finished, "c1"),
            ],
            3,
        );
        assert_eq!(
            running_of(&newest_failed).unwrap().map(|r| r.commit),
            Some("c2".into())
        );
        assert_eq!(running_of(&page(vec![], 0)), Ok(None));
        let failed = vec![deployment(DeploymentStatus::Failed, "c9")];
        assert_eq!(running_of(&page(failed.clone(), 1)), Ok(None));
        assert!(running_of(&page(failed, 40)).is_err());
        let head = vec![deployment(DeploymentStatus::Finished, "HEAD")];
        assert!(
            running_of(&page(head, 1))
                .unwrap_err()
                .contains("no commit")
        );
    }

    fn cell(stage: Stage, branch: Option<&str>, running: Option<&str>) -> Cell {
        Cell {
            stage,
            environment: format!("{stage:?}").to_lowercase(),
            app: "a".into(),
            uuid: "u".into(),
            running: Ok(running.map(|c| Running {
                commit: c.into(),
                at: None,
            })),
            branch: branch.map(Into::into),
            head: Some(Ok("head".into())),
            behind: None,
            next: None,
            ahead: None,
        }
    }

    #[test]
    fn promotion_compares_the_next_branch_with_what_runs() {
        let mut lane = Lane {
            project: "AIR".into(),
            repository: None,
            cells: vec![
                cell(Stage::Dev, Some("develop"), Some("abc")),
                cell(Stage::Staging, None, None),
                cell(Stage::Prod, Some("main"), None),
            ],
        };
        link_next(&mut lane);
        assert_eq!(lane.cells[0].next.as_deref(), Some("staging"));
        assert_eq!(lane.cells[2].next, None);
        // Nothing deployed on staging and no branch known: nothing to compare.
        assert!(
            matches!(ahead_compare(&lane, &lane.cells[1]), Some(Err(e)) if e.contains("unknown"))
        );
        // Staging's branch is unknown: dev cannot be compared with it.
        assert!(
            matches!(ahead_compare(&lane, &lane.cells[0]), Some(Err(e)) if e.contains("AIR/staging"))
        );
        lane.cells[1].branch = Some("staging".into());
        assert_eq!(
            ahead_compare(&lane, &lane.cells[0]),
            Some(Ok(("staging".into(), "abc".into())))
        );
        // Nothing deployed on staging: its branch stands for it.
        assert_eq!(
            ahead_compare(&lane, &lane.cells[1]),
            Some(Ok(("main".into(), "staging".into())))
        );
        assert_eq!(ahead_compare(&lane, &lane.cells[2]), None);
        assert_eq!(
            behind_compare(&lane.cells[0]),
            Some(("abc".into(), "head".into()))
        );
        lane.cells[0].head = None;
        assert_eq!(behind_compare(&lane.cells[0]), None);
        assert_eq!(ahead_compare(&lane, &lane.cells[0]), None, "without GitHub");
    }
}
