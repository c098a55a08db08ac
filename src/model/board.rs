//! The deployments board: every queued, running and recent deployment of the platform, each
//! with where its application lives. Coolify has no platform-wide history (`GET
//! /deployments` lists only queued and running ones; history is per application), so the
//! board is put together from reads of each application's history, a bounded number per
//! read: [`Board`] keeps what every read said and which applications to read next.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;

use super::{Deployment, DeploymentStatus, Tree, short_sha};

/// One deployment on the board.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    /// The application's uuid; `None` when it is not in the tree (a running deployment of
    /// an application the token cannot list).
    pub app: Option<String>,
    pub application: String,
    pub project: String,
    pub environment: String,
    pub deployment: Deployment,
}

impl BoardRow {
    /// A deployment of the application `app` (a uuid), placed in the tree.
    pub fn of_app(tree: &Tree, app: &str, deployment: Deployment) -> Self {
        match tree.resource(app) {
            Some((p, e, r)) => Self {
                app: Some(r.uuid.clone()),
                application: r.name.clone(),
                project: p.name.clone(),
                environment: e.name.clone(),
                deployment,
            },
            None => Self::unplaced(Some(app.to_string()), deployment),
        }
    }

    /// A deployment as `GET /deployments` lists it, placed by its application's numeric id
    /// (or, when the server leaves that out, its name).
    pub fn locate(tree: &Tree, deployment: Deployment) -> Self {
        let id = deployment.application_id.as_deref().map(str::trim);
        let name = deployment.application_name.as_deref();
        let found = tree.applications().find(|(_, _, a)| match (id, a.id) {
            (Some(id), Some(own)) => id == own.to_string(),
            _ => name == Some(a.name.as_str()),
        });
        match found {
            Some((_, _, a)) => Self::of_app(tree, &a.uuid.clone(), deployment),
            None => Self::unplaced(None, deployment),
        }
    }

    fn unplaced(app: Option<String>, deployment: Deployment) -> Self {
        Self {
            app,
            application: deployment
                .application_name
                .clone()
                .unwrap_or_else(|| "?".into()),
            project: String::new(),
            environment: String::new(),
            deployment,
        }
    }

    /// `project/environment`, or `-` when unknown.
    pub fn place(&self) -> String {
        if self.project.is_empty() {
            "-".into()
        } else {
            format!("{}/{}", self.project, self.environment)
        }
    }

    /// The short commit and the first line of its message.
    pub fn commit(&self) -> String {
        let d = &self.deployment;
        let sha = d.commit.as_deref().map(short_sha).unwrap_or("-");
        match d.commit_message.as_deref().and_then(|m| m.lines().next()) {
            Some(message) if !message.trim().is_empty() => format!("{sha} {}", message.trim()),
            _ => sha.to_string(),
        }
    }

    /// Whether the row answers a filter: every word must match. A word starting with `!`
    /// is a status prefix (`!fail`, `!running`); any other word is looked for,
    /// case-insensitively, in the application, `project/environment`, status, commit and
    /// trigger.
    pub fn matches(&self, filter: &str) -> bool {
        let status = status_word(&self.deployment.status);
        let text = format!(
            "{} {} {status} {} {}",
            self.application,
            self.place(),
            self.commit(),
            self.deployment.trigger
        )
        .to_lowercase();
        filter.split_whitespace().all(|word| {
            let word = word.to_lowercase();
            match word.strip_prefix('!') {
                Some(prefix) => status.starts_with(prefix),
                None => text.contains(&word),
            }
        })
    }
}

/// The word the board shows for a status (`running` for Coolify's `in_progress`).
pub fn status_word(status: &DeploymentStatus) -> &str {
    match status {
        DeploymentStatus::InProgress => "running",
        DeploymentStatus::Cancelled => "cancelled",
        other => other.as_str(),
    }
}

/// One application's recent deployments, or why they could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct AppHistory {
    pub app: String,
    pub application: String,
    pub result: Result<Vec<BoardRow>, String>,
}

/// What one read of the board found.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRead {
    /// Every queued and running deployment (`GET /deployments`).
    pub running: Vec<BoardRow>,
    /// The histories read, in the order they were asked for.
    pub histories: Vec<AppHistory>,
    /// The applications of the tree, read or not.
    pub applications: usize,
}

/// What the last reads found: the running deployments, each application's recent ones as
/// last read, and the applications whose history could not be read.
#[derive(Debug, Clone, Default)]
pub struct Board {
    running: Vec<BoardRow>,
    /// Application uuid -> its recent deployments, and the read that brought them.
    recent: HashMap<String, (Vec<BoardRow>, u64)>,
    /// Application uuid -> its name and why its history could not be read.
    unread: BTreeMap<String, (String, String)>,
    applications: usize,
    reads: u64,
    rows: Vec<BoardRow>,
}

impl Board {
    /// Take a read in: the running deployments are replaced, each history read replaces
    /// that application's rows, and one that failed is named (its earlier rows kept).
    pub fn apply(&mut self, read: BoardRead) {
        self.reads += 1;
        self.running = read.running;
        self.applications = read.applications;
        for history in read.histories {
            match history.result {
                Ok(rows) => {
                    self.unread.remove(&history.app);
                    self.recent.insert(history.app, (rows, self.reads));
                }
                Err(why) => {
                    self.unread.insert(history.app, (history.application, why));
                }
            }
        }
        self.rows = self.merged();
    }

    /// Take the statuses of running deployments the console read since (queued ->
    /// running), without reading anything.
    pub fn update_running(&mut self, fresh: &[Deployment]) {
        let by_uuid: HashMap<&str, &Deployment> =
            fresh.iter().map(|d| (d.uuid.as_str(), d)).collect();
        for row in self.running.iter_mut() {
            if let Some(d) = by_uuid.get(row.deployment.uuid.as_str()) {
                row.deployment = (*d).clone();
            }
        }
        self.rows = self.merged();
    }

    /// Every deployment, once: running ones first (in progress, then queued), then newest
    /// first.
    pub fn rows(&self) -> &[BoardRow] {
        &self.rows
    }

    /// How many applications' histories the board holds, of how many there are.
    pub fn coverage(&self) -> (usize, usize) {
        (self.recent.len(), self.applications)
    }

    /// The applications whose history could not be read: name and why.
    pub fn unread(&self) -> impl Iterator<Item = (&str, &str)> {
        self.unread
            .values()
            .map(|(n, why)| (n.as_str(), why.as_str()))
    }

    /// The order to read histories in next, after the running applications (which the
    /// read puts first): those whose rows say a deployment runs that is no longer running,
    /// then those never read (in the tree's order), then the rest, least recently read
    /// first. A team with more applications than one read takes fills in over a few reads.
    pub fn reading_order(&self, tree: &Tree) -> Vec<String> {
        let running: HashSet<&str> = self
            .running
            .iter()
            .map(|r| r.deployment.uuid.as_str())
            .collect();
        let apps: Vec<&str> = tree
            .applications()
            .map(|(_, _, a)| a.uuid.as_str())
            .collect();
        let mut order: Vec<(u8, u64, usize)> = Vec::new();
        for (i, app) in apps.iter().enumerate() {
            let (rank, read) = match self.recent.get(*app) {
                Some((rows, read)) => {
                    let stale = rows.iter().any(|r| {
                        r.deployment.status.is_active()
                            && !running.contains(r.deployment.uuid.as_str())
                    });
                    (if stale { 0 } else { 2 }, *read)
                }
                None => (1, 0),
            };
            order.push((rank, read, i));
        }
        order.sort();
        order
            .into_iter()
            .map(|(_, _, i)| apps[i].to_string())
            .collect()
    }

    fn merged(&self) -> Vec<BoardRow> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut rows: Vec<BoardRow> = self
            .running
            .iter()
            .chain(self.recent.values().flat_map(|(rows, _)| rows))
            .filter(|r| seen.insert(r.deployment.uuid.as_str()))
            .cloned()
            .collect();
        rows.sort_by(|a, b| {
            rank(&a.deployment.status)
                .cmp(&rank(&b.deployment.status))
                .then(newest(&b.deployment).cmp(&newest(&a.deployment)))
                .then(a.deployment.uuid.cmp(&b.deployment.uuid))
        });
        rows
    }
}

fn rank(status: &DeploymentStatus) -> u8 {
    match status {
        DeploymentStatus::InProgress => 0,
        DeploymentStatus::Queued => 1,
        _ => 2,
    }
}

fn newest(d: &Deployment) -> Option<Timestamp> {
    d.created_at
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Environment, Project, Resource, ResourceKind, ResourceStatus, Trigger};

    /// A running application `name` with Coolify's id `id` and the uuid `app-<name>`.
    pub(crate) fn app(id: u64, name: &str) -> Resource {
        Resource {
            uuid: format!("app-{name}"),
            id: Some(id),
            name: name.into(),
            kind: ResourceKind::Application,
            engine: None,
            status: ResourceStatus::parse("running:healthy"),
            server: None,
            description: None,
            urls: vec![],
            app: None,
        }
    }

    fn tree() -> Tree {
        let env = |name: &str, resources| Environment {
            uuid: None,
            id: None,
            name: name.into(),
            resources,
        };
        Tree {
            projects: vec![Project {
                uuid: "p".into(),
                name: "AIR".into(),
                description: None,
                environments: vec![
                    env("dev", vec![app(1, "air-dev")]),
                    env("prod", vec![app(2, "air-prod"), app(3, "air-worker")]),
                ],
            }],
            ..Tree::default()
        }
    }

    fn deployment(uuid: &str, app: &str, status: &str, minutes_ago: i64) -> Deployment {
        let at: Timestamp = "2026-11-27T12:00:00Z".parse().expect("a timestamp");
        Deployment {
            uuid: uuid.into(),
            application_id: None,
            application_name: Some(app.into()),
            status: DeploymentStatus::parse(status),
            commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            commit_message: Some("Fix the login\n\nLong body".into()),
            trigger: Trigger::Webhook,
            force_rebuild: false,
            restart_only: false,
            server_name: None,
            created_at: Some(at - jiff::SignedDuration::from_mins(minutes_ago)),
            updated_at: None,
            finished_at: None,
        }
    }

    fn history(tree: &Tree, app: &str, deployments: Vec<Deployment>) -> AppHistory {
        AppHistory {
            app: format!("app-{app}"),
            application: app.into(),
            result: Ok(deployments
                .into_iter()
                .map(|d| BoardRow::of_app(tree, &format!("app-{app}"), d))
                .collect()),
        }
    }

    fn uuids(board: &Board) -> Vec<&str> {
        board
            .rows()
            .iter()
            .map(|r| r.deployment.uuid.as_str())
            .collect()
    }

    #[test]
    fn running_deployments_are_placed_by_id_then_by_name() {
        let tree = tree();
        let mut d = deployment("d1", "renamed", "in_progress", 1);
        d.application_id = Some(" 2 ".into());
        let row = BoardRow::locate(&tree, d);
        assert_eq!(row.app.as_deref(), Some("app-air-prod"));
        assert_eq!(row.place(), "AIR/prod");
        let row = BoardRow::locate(&tree, deployment("d2", "air-worker", "queued", 1));
        assert_eq!(row.application, "air-worker");
        let row = BoardRow::locate(&tree, deployment("d3", "elsewhere", "queued", 1));
        assert_eq!((row.app.as_deref(), row.place().as_str()), (None, "-"));
        assert_eq!(row.application, "elsewhere");
    }

    #[test]
    fn rows_put_running_first_then_newest_and_show_each_deployment_once() {
        let tree = tree();
        let mut board = Board::default();
        board.apply(BoardRead {
            running: vec![
                BoardRow::locate(&tree, deployment("q", "air-dev", "queued", 1)),
                BoardRow::locate(&tree, deployment("r", "air-dev", "in_progress", 3)),
            ],
            histories: vec![
                history(
                    &tree,
                    "air-dev",
                    vec![
                        deployment("q", "air-dev", "queued", 1),
                        deployment("r", "air-dev", "in_progress", 3),
                        deployment("old", "air-dev", "finished", 90),
                    ],
                ),
                history(
                    &tree,
                    "air-prod",
                    vec![deployment("new", "air-prod", "failed", 10)],
                ),
                AppHistory {
                    app: "app-air-worker".into(),
                    application: "air-worker".into(),
                    result: Err("Coolify answered 500".into()),
                },
            ],
            applications: 3,
        });
        assert_eq!(uuids(&board), ["r", "q", "new", "old"]);
        assert_eq!(board.coverage(), (2, 3));
        assert_eq!(
            board.unread().collect::<Vec<_>>(),
            [("air-worker", "Coolify answered 500")]
        );
    }

    #[test]
    fn a_later_read_replaces_what_it_read_and_keeps_the_rest() {
        let tree = tree();
        let mut board = Board::default();
        board.apply(BoardRead {
            running: vec![BoardRow::locate(
                &tree,
                deployment("r", "air-dev", "in_progress", 3),
            )],
            histories: vec![
                history(
                    &tree,
                    "air-dev",
                    vec![deployment("r", "air-dev", "in_progress", 3)],
                ),
                history(
                    &tree,
                    "air-prod",
                    vec![deployment("p", "air-prod", "finished", 10)],
                ),
            ],
            applications: 3,
        });
        // r ended: the running list no longer has it, and air-dev's rows went stale.
        board.apply(BoardRead {
            running: vec![],
            histories: vec![],
            applications: 3,
        });
        assert_eq!(
            board.reading_order(&tree),
            ["app-air-dev", "app-air-worker", "app-air-prod"],
            "the stale one, the never read one, then the rest"
        );
        board.apply(BoardRead {
            running: vec![],
            histories: vec![history(
                &tree,
                "air-dev",
                vec![deployment("r", "air-dev", "failed", 3)],
            )],
            applications: 3,
        });
        let statuses: Vec<_> = board
            .rows()
            .iter()
            .map(|r| {
                (
                    r.deployment.uuid.as_str(),
                    status_word(&r.deployment.status),
                )
            })
            .collect();
        assert_eq!(statuses, [("r", "failed"), ("p", "finished")]);
        assert_eq!(
            board.reading_order(&tree),
            ["app-air-worker", "app-air-prod", "app-air-dev"],
            "least recently read last"
        );
    }

    #[test]
    fn running_statuses_follow_the_console_without_a_read() {
        let tree = tree();
        let mut board = Board::default();
        board.apply(BoardRead {
            running: vec![BoardRow::locate(
                &tree,
                deployment("q", "air-dev", "queued", 1),
            )],
            histories: vec![],
            applications: 3,
        });
        board.update_running(&[deployment("q", "air-dev", "in_progress", 1)]);
        assert_eq!(
            board.rows()[0].deployment.status,
            DeploymentStatus::InProgress
        );
    }

    #[test]
    fn the_filter_matches_words_and_status_prefixes() {
        let tree = tree();
        let row = BoardRow::locate(&tree, deployment("d", "air-prod", "failed", 1));
        assert_eq!(row.commit(), "0123456 Fix the login");
        for yes in [
            "",
            "air",
            "AIR prod",
            "login",
            "0123",
            "!fail",
            "!failed air",
            "webhook",
        ] {
            assert!(row.matches(yes), "{yes}");
        }
        for no in ["baiv", "!running", "air !fin", "body"] {
            assert!(!row.matches(no), "{no}");
        }
        let running = BoardRow::locate(&tree, deployment("d", "air-dev", "in_progress", 1));
        assert!(running.matches("!run") && running.matches("running"));
    }
}
