//! The deployments board's read: every queued and running deployment (`GET /deployments`)
//! and the recent ones of a bounded number of applications (`GET
//! /deployments/applications/{uuid}`), read a few at a time so that a team with hundreds
//! of applications does not spend Coolify's rate limit (200 requests a minute) at once.

use futures::{StreamExt, stream};

use super::{Ops, OpsError};
use crate::model::Tree;
use crate::model::board::{AppHistory, BoardRead, BoardRow};

/// How much one read of the board may ask of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardLimits {
    /// Recent deployments read per application.
    pub per_app: u32,
    /// Applications whose history one read takes, at most.
    pub applications: usize,
    /// Histories read at the same time, at most.
    pub fan_out: usize,
}

impl Default for BoardLimits {
    fn default() -> Self {
        Self {
            per_app: 5,
            applications: 24,
            fan_out: 4,
        }
    }
}

impl Ops {
    /// Every queued and running deployment, and the recent deployments of at most
    /// `limits.applications` applications: those with a deployment running first, then
    /// the others in `order` (application uuids; the caller's preference, e.g. the least
    /// recently read first), then the rest of the tree. An application whose history
    /// cannot be read is named in the answer; only the running list failing fails the read.
    pub async fn deployments_board(
        &self,
        tree: &Tree,
        order: &[String],
        limits: BoardLimits,
    ) -> Result<BoardRead, OpsError> {
        let running: Vec<BoardRow> = self
            .session
            .coolify
            .running_deployments()
            .await?
            .into_iter()
            .map(|d| BoardRow::locate(tree, d))
            .collect();
        let chosen = choose(tree, &running, order, limits.applications);
        let histories = stream::iter(chosen)
            .map(|(app, application)| async move {
                let result = self
                    .history(&app, limits.per_app)
                    .await
                    .map(|page| {
                        page.deployments
                            .into_iter()
                            .map(|d| BoardRow::of_app(tree, &app, d))
                            .collect()
                    })
                    .map_err(|e| e.to_string());
                AppHistory {
                    app,
                    application,
                    result,
                }
            })
            .buffered(limits.fan_out.max(1))
            .collect()
            .await;
        Ok(BoardRead {
            running,
            histories,
            applications: tree.applications().count(),
        })
    }
}

/// The applications to read (uuid, name), at most `limit`: those with a running deployment,
/// then `order`, then the tree's; each once, and only those in the tree.
fn choose(
    tree: &Tree,
    running: &[BoardRow],
    order: &[String],
    limit: usize,
) -> Vec<(String, String)> {
    let wanted = running
        .iter()
        .filter_map(|r| r.app.as_deref())
        .chain(order.iter().map(String::as_str))
        .chain(tree.applications().map(|(_, _, a)| a.uuid.as_str()));
    let mut chosen: Vec<(String, String)> = Vec::new();
    for app in wanted {
        if chosen.len() == limit {
            break;
        }
        if let Some((_, _, resource)) = tree.resource(app)
            && !chosen.iter().any(|(uuid, _)| uuid == app)
        {
            chosen.push((app.to_string(), resource.name.clone()));
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::board::tests::app;
    use crate::model::{Deployment, DeploymentStatus, Environment, Project, Trigger};

    fn tree(apps: usize) -> Tree {
        let resources = (0..apps).map(|i| app(i as u64, &i.to_string())).collect();
        Tree {
            projects: vec![Project {
                uuid: "p".into(),
                name: "P".into(),
                description: None,
                environments: vec![Environment {
                    uuid: None,
                    id: None,
                    name: "dev".into(),
                    resources,
                }],
            }],
            ..Tree::default()
        }
    }

    fn running(tree: &Tree, id: &str) -> BoardRow {
        BoardRow::locate(
            tree,
            Deployment {
                uuid: format!("d{id}"),
                application_id: Some(id.into()),
                application_name: None,
                status: DeploymentStatus::InProgress,
                commit: None,
                commit_message: None,
                trigger: Trigger::Manual,
                force_rebuild: false,
                restart_only: false,
                server_name: None,
                created_at: None,
                updated_at: None,
                finished_at: None,
            },
        )
    }

    fn uuids(chosen: &[(String, String)]) -> Vec<&str> {
        chosen.iter().map(|(u, _)| u.as_str()).collect()
    }

    #[test]
    fn running_applications_come_first_then_the_callers_order_then_the_tree() {
        let tree = tree(300);
        let order: Vec<String> = ["app-7", "app-250", "gone", "app-7"]
            .map(String::from)
            .into();
        let rows = [running(&tree, "250"), running(&tree, "3")];
        let chosen = choose(&tree, &rows, &order, 5);
        assert_eq!(
            uuids(&chosen),
            ["app-250", "app-3", "app-7", "app-0", "app-1"]
        );
        assert_eq!(chosen[0].1, "250");
    }

    #[test]
    fn a_read_is_bounded_however_many_applications_there_are() {
        let (large, small) = (tree(300), tree(3));
        assert_eq!(choose(&large, &[], &[], 24).len(), 24);
        assert_eq!(choose(&small, &[], &[], 24).len(), 3);
    }
}
