//! The tree as visible rows: context -> projects -> environments -> resources, with
//! collapsed nodes, counts on them, and a live fuzzy filter.

use std::collections::{HashMap, HashSet};

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::model::{Environment, Project, Resource, ResourceKind, ResourceStatus, Tree};

/// What a row stands for; stable across refreshes so selection and collapse survive them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NodeId {
    Context,
    Project(String),
    /// Project uuid and environment name.
    Environment(String, String),
    Resource(String),
    /// The group of resources whose environment is unknown.
    Unplaced,
    /// One of them, by uuid.
    UnplacedResource(String),
}

/// Health of everything under a node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub ok: usize,
    pub bad: usize,
    pub deploying: usize,
}

impl Counts {
    fn add(&mut self, status: &ResourceStatus, deploying: bool) {
        self.total += 1;
        if deploying {
            self.deploying += 1;
        } else if status.is_ok() {
            self.ok += 1;
        } else {
            self.bad += 1;
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    Context,
    Project,
    Environment,
    /// The group of resources whose environment is unknown.
    Unplaced,
    Resource {
        kind: ResourceKind,
        status: ResourceStatus,
        deploying: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: NodeId,
    pub depth: u16,
    pub label: String,
    pub kind: RowKind,
    /// `Some(expanded)` for nodes that have children.
    pub expanded: Option<bool>,
    /// Counts of the resources below (shown on collapsed nodes).
    pub counts: Counts,
}

/// Rows for the current tree, collapse state and filter.
pub fn rows(
    tree: &Tree,
    context: &str,
    collapsed: &HashSet<NodeId>,
    deploying: &HashMap<String, impl Sized>,
    filter: &str,
) -> Vec<Row> {
    let matcher = Filter::new(filter);
    let mut out = Vec::new();
    let mut context_counts = Counts::default();
    out.push(Row {
        id: NodeId::Context,
        depth: 0,
        label: context.to_string(),
        kind: RowKind::Context,
        expanded: Some(!collapsed.contains(&NodeId::Context) || matcher.is_some()),
        counts: Counts::default(),
    });
    let show_children = |id: &NodeId| matcher.is_some() || !collapsed.contains(id);
    let context_open = show_children(&NodeId::Context);
    for project in &tree.projects {
        let project_id = NodeId::Project(project.uuid.clone());
        let mut project_counts = Counts::default();
        let project_open = show_children(&project_id);
        let project_hit = matcher.as_ref().is_some_and(|m| m.hits(&project.name));
        let mut project_has_visible = false;
        let mut env_rows = Vec::new();
        for env in &project.environments {
            let (env_row, env_counts, env_visible) = environment_rows(
                project,
                env,
                collapsed,
                deploying,
                matcher.as_ref(),
                project_hit,
            );
            project_counts = sum(project_counts, env_counts);
            if env_visible {
                project_has_visible = true;
                env_rows.extend(env_row);
            }
        }
        context_counts = sum(context_counts, project_counts);
        let project_shows = project_hit && matcher.as_ref().is_some_and(|m| m.statuses.is_empty());
        if matcher.is_some() && !project_has_visible && !project_shows {
            continue;
        }
        if !context_open {
            continue;
        }
        out.push(Row {
            id: project_id,
            depth: 1,
            label: project.name.clone(),
            kind: RowKind::Project,
            expanded: (!project.environments.is_empty()).then_some(project_open),
            counts: project_counts,
        });
        if project_open {
            out.extend(env_rows);
        }
    }
    if let Some((rows, counts)) = unplaced_rows(tree, &show_children, deploying, matcher.as_ref()) {
        context_counts = sum(context_counts, counts);
        if context_open {
            out.extend(rows);
        }
    }
    out[0].counts = context_counts;
    out
}

/// The group of resources without an environment, last: `None` when there are none (or
/// the filter hides them all).
fn unplaced_rows(
    tree: &Tree,
    show_children: &impl Fn(&NodeId) -> bool,
    deploying: &HashMap<String, impl Sized>,
    matcher: Option<&Filter>,
) -> Option<(Vec<Row>, Counts)> {
    if tree.unplaced.is_empty() {
        return None;
    }
    let mut counts = Counts::default();
    let mut children = Vec::new();
    for u in &tree.unplaced {
        let r = &u.resource;
        let busy = deploying.contains_key(&r.uuid);
        counts.add(&r.status, busy);
        if matcher.is_none_or(|m| m.keeps(r, busy, false)) {
            children.push(resource_row(
                NodeId::UnplacedResource(r.uuid.clone()),
                2,
                r,
                busy,
            ));
        }
    }
    if matcher.is_some() && children.is_empty() {
        return None;
    }
    let open = show_children(&NodeId::Unplaced);
    let mut rows = vec![Row {
        id: NodeId::Unplaced,
        depth: 1,
        label: "(unplaced)".into(),
        kind: RowKind::Unplaced,
        expanded: Some(open),
        counts,
    }];
    if open {
        rows.extend(children);
    }
    Some((rows, counts))
}

fn environment_rows(
    project: &Project,
    env: &Environment,
    collapsed: &HashSet<NodeId>,
    deploying: &HashMap<String, impl Sized>,
    matcher: Option<&Filter>,
    project_hit: bool,
) -> (Vec<Row>, Counts, bool) {
    let id = NodeId::Environment(project.uuid.clone(), env.name.clone());
    let env_hit = project_hit || matcher.is_some_and(|m| m.hits(&env.name));
    let mut counts = Counts::default();
    let mut children = Vec::new();
    for r in &env.resources {
        let busy = deploying.contains_key(&r.uuid);
        counts.add(&r.status, busy);
        if matcher.is_none_or(|m| m.keeps(r, busy, env_hit)) {
            children.push(resource_row(NodeId::Resource(r.uuid.clone()), 3, r, busy));
        }
    }
    // A matched name shows its environment even when empty, unless statuses are asked for.
    let visible = matcher.is_none()
        || !children.is_empty()
        || (env_hit && matcher.is_some_and(|m| m.statuses.is_empty()));
    let open = matcher.is_some() || !collapsed.contains(&id);
    let mut rows = vec![Row {
        id,
        depth: 2,
        label: env.name.clone(),
        kind: RowKind::Environment,
        expanded: (!env.resources.is_empty()).then_some(open),
        counts,
    }];
    if open {
        rows.extend(children);
    }
    (rows, counts, visible)
}

fn resource_row(id: NodeId, depth: u16, r: &Resource, deploying: bool) -> Row {
    Row {
        id,
        depth,
        label: r.name.clone(),
        kind: RowKind::Resource {
            kind: r.kind,
            status: r.status.clone(),
            deploying,
        },
        expanded: None,
        counts: Counts::default(),
    }
}

fn sum(a: Counts, b: Counts) -> Counts {
    Counts {
        total: a.total + b.total,
        ok: a.ok + b.ok,
        bad: a.bad + b.bad,
        deploying: a.deploying + b.deploying,
    }
}

/// The tree's filter: a fuzzy pattern over names (order matters, as in fzf), and words
/// starting with `!` over statuses: `!deploying`, `!failed` (anything not running
/// healthy: exited, dead, unhealthy, degraded...), `!ok`, or a part of Coolify's status
/// string (`!unhealthy`, `!exited`, `!excluded`). Every word must match.
struct Filter {
    names: Option<Pattern>,
    statuses: Vec<String>,
    matcher: std::cell::RefCell<Matcher>,
}

impl Filter {
    fn new(text: &str) -> Option<Self> {
        let (statuses, names): (Vec<&str>, Vec<&str>) =
            text.split_whitespace().partition(|w| w.starts_with('!'));
        let statuses: Vec<String> = statuses
            .iter()
            .map(|w| w.trim_start_matches('!').to_ascii_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let names = names.join(" ");
        if names.is_empty() && statuses.is_empty() {
            return None;
        }
        Some(Self {
            names: (!names.is_empty()).then(|| {
                Pattern::new(
                    &names,
                    CaseMatching::Ignore,
                    Normalization::Smart,
                    AtomKind::Fuzzy,
                )
            }),
            statuses,
            matcher: std::cell::RefCell::new(Matcher::new(Config::DEFAULT)),
        })
    }

    /// A project's or environment's name matches the name pattern (which shows everything
    /// under it that passes the status words). Never without a name pattern.
    fn hits(&self, name: &str) -> bool {
        self.names.as_ref().is_some_and(|p| self.scores(p, name))
    }

    /// A resource passes: its status matches every status word, and its name the pattern
    /// (unless `place_hit`: its project or environment matched it).
    fn keeps(&self, r: &Resource, deploying: bool, place_hit: bool) -> bool {
        let status = r.status.to_string().to_ascii_lowercase();
        let statuses = self.statuses.iter().all(|word| match word.as_str() {
            "deploying" => deploying,
            "failed" | "bad" | "down" => !deploying && !r.status.is_ok(),
            "ok" | "up" => !deploying && r.status.is_ok(),
            part => status.split(':').any(|p| p == part),
        });
        let named = place_hit || self.names.as_ref().is_none_or(|p| self.scores(p, &r.name));
        statuses && named
    }

    fn scores(&self, pattern: &Pattern, name: &str) -> bool {
        let mut buf = Vec::new();
        pattern
            .score(
                Utf32Str::new(name, &mut buf),
                &mut self.matcher.borrow_mut(),
            )
            .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppInfo, Environment, Project};

    fn tree() -> Tree {
        let res = |name: &str, status: &str| Resource {
            uuid: format!("u-{name}"),
            id: None,
            name: name.into(),
            kind: ResourceKind::Application,
            engine: None,
            status: ResourceStatus::parse(status),
            server: None,
            description: None,
            urls: Vec::new(),
            app: Some(AppInfo::default()),
        };
        let project = |name: &str, statuses: [&str; 3]| Project {
            uuid: format!("p-{name}"),
            name: name.into(),
            description: None,
            environments: ["dev", "staging", "prod"]
                .iter()
                .zip(statuses)
                .map(|(env, status)| Environment {
                    uuid: None,
                    id: None,
                    name: env.to_string(),
                    resources: vec![res(&format!("{}-{env}", name.to_lowercase()), status)],
                })
                .collect(),
        };
        Tree {
            projects: vec![
                project(
                    "AIR",
                    ["running:healthy", "running:healthy", "exited:unhealthy"],
                ),
                project("BAIV", ["running:healthy"; 3]),
            ],
            servers: vec![],
            unplaced: vec![],
        }
    }

    fn labels(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| format!("{}{}", " ".repeat(r.depth as usize), r.label))
            .collect()
    }

    fn none() -> HashMap<String, ()> {
        HashMap::new()
    }

    #[test]
    fn everything_is_expanded_by_default() {
        let rows = rows(&tree(), "demo", &HashSet::new(), &none(), "");
        assert_eq!(rows.len(), 1 + 2 * (1 + 3 * 2));
        assert_eq!(
            rows[0].counts,
            Counts {
                total: 6,
                ok: 5,
                bad: 1,
                deploying: 0
            }
        );
    }

    #[test]
    fn collapsed_nodes_hide_children_and_keep_counts() {
        let collapsed = HashSet::from([NodeId::Project("p-AIR".into())]);
        let rows = rows(&tree(), "demo", &collapsed, &none(), "");
        assert_eq!(rows[1].label, "AIR");
        assert_eq!(rows[1].expanded, Some(false));
        assert_eq!(
            rows[1].counts,
            Counts {
                total: 3,
                ok: 2,
                bad: 1,
                deploying: 0
            }
        );
        assert_eq!(rows[2].label, "BAIV");
    }

    #[test]
    fn the_filter_keeps_matches_and_their_ancestors_even_when_collapsed() {
        let collapsed = HashSet::from([NodeId::Project("p-AIR".into())]);
        let rows = rows(&tree(), "demo", &collapsed, &none(), "airprd");
        assert_eq!(labels(&rows), ["demo", " AIR", "  prod", "   air-prod"]);
        let by_env = super::rows(&tree(), "demo", &HashSet::new(), &none(), "staging");
        assert_eq!(
            by_env
                .iter()
                .filter(|r| matches!(r.kind, RowKind::Resource { .. }))
                .count(),
            2
        );
        let none = super::rows(&tree(), "demo", &HashSet::new(), &none(), "zzz");
        assert_eq!(labels(&none), ["demo"]);
    }

    #[test]
    fn words_with_a_bang_filter_by_status() {
        let all = HashSet::new();
        let busy = HashMap::from([("u-baiv-staging".to_string(), ())]);
        let shown = |filter: &str| labels(&rows(&tree(), "demo", &all, &busy, filter));
        assert_eq!(shown("!failed"), ["demo", " AIR", "  prod", "   air-prod"]);
        assert_eq!(shown("!unhealthy"), shown("!failed"));
        assert_eq!(
            shown("!deploying"),
            ["demo", " BAIV", "  staging", "   baiv-staging"]
        );
        // With a name: both must match; a matched environment keeps only the failing.
        assert_eq!(shown("baiv !failed"), ["demo"]);
        assert_eq!(
            shown("prod !ok"),
            ["demo", " BAIV", "  prod", "   baiv-prod"]
        );
        // A part of the status, whole: `healthy` is not in `exited:unhealthy`.
        assert_eq!(
            shown("!healthy")
                .iter()
                .filter(|l| l.starts_with("   "))
                .count(),
            5
        );
    }

    #[test]
    fn deploying_resources_are_counted_apart() {
        let busy = HashMap::from([("u-air-dev".to_string(), ())]);
        let rows = rows(&tree(), "demo", &HashSet::new(), &busy, "");
        assert_eq!(rows[0].counts.deploying, 1);
        assert!(rows.iter().any(|r| matches!(
            r.kind,
            RowKind::Resource {
                deploying: true,
                ..
            }
        )));
    }
}
