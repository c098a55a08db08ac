//! Where the keys go: the console's modes, each with the actions it answers and the hints
//! its footer shows. The footer and the `?` help are generated from these tables, and
//! `update` sends a key to an action only when the mode lists it, so what the screen says
//! and what the keys do cannot disagree.

use crate::settings::KeyAction::{self, *};

/// The view that has the keyboard when no overlay, filter line or agent input does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Mode {
    /// The project tree.
    Tree,
    /// The details of the selection, scrolled.
    Details,
    /// A deployment's or a container's log.
    Log,
    /// The selected application's recent deployments.
    History,
    /// The servers list.
    Servers,
    /// Each project's stages side by side.
    Pipeline,
    /// Every deployment of every project.
    Deployments,
    /// The audit journal, an entry at a time.
    Audit,
    /// The audit view's detail pane, scrolled.
    AuditEntry,
    /// An environment's platform configuration against the server.
    Config,
}

/// One action of a mode, with the word the footer shows for it (`None`: help only).
type Binding = (KeyAction, Option<&'static str>);

/// What acts on the selected resource, from every pane of the tree screen.
const OPERATIONS: &[Binding] = &[
    (Deploy, Some("deploy")),
    (ForceDeploy, None),
    (Restart, None),
    (StopStart, None),
    (Cancel, None),
    (Promote, Some("promote")),
    (Rollback, Some("rollback")),
    (Env, None),
];

/// Moving a cursor or a view by rows and pages.
const MOVING: &[Binding] = &[
    (Down, Some("move")),
    (Up, None),
    (PageDown, None),
    (PageUp, None),
    (Top, None),
    (Bottom, None),
];

/// Keys of every view of the tree screen, after its own.
const ELSEWHERE: &[Binding] = &[
    (History, None),
    (RuntimeLogs, None),
    (Fullscreen, None),
    (Agent, None),
    (Servers, Some("servers")),
    (Pipeline, None),
    (Deployments, None),
    (Audit, None),
    (Config, None),
    (Operations, None),
    (Palette, Some("command")),
    (Refresh, None),
];

/// Always there, and always in the footer.
pub const ESSENTIAL: &[Binding] = &[(Help, Some("help")), (Quit, Some("quit"))];

const TREE: &[&[Binding]] = &[
    MOVING,
    &[
        (Expand, Some("open")),
        (Collapse, Some("close")),
        (Select, None),
        (Filter, Some("filter")),
        (NextPane, Some("pane")),
        (Pick, None),
    ],
    OPERATIONS,
    ELSEWHERE,
];

const DETAILS: &[&[Binding]] = &[
    MOVING,
    &[(NextPane, Some("pane")), (Filter, None)],
    OPERATIONS,
    ELSEWHERE,
];

const LOG: &[&[Binding]] = &[
    &[
        (Filter, Some("search")),
        (Follow, Some("follow")),
        (Wrap, Some("wrap")),
        (Timestamps, Some("time")),
        (Hidden, Some("debug")),
        (NextMatch, Some("next match")),
        (PrevMatch, None),
        (Mark, Some("mark")),
        (Copy, Some("copy")),
        (Save, Some("save")),
        (Fullscreen, Some("full")),
        (History, Some("list")),
        (RuntimeLogs, Some("container")),
        (Down, None),
        (Up, None),
        (PageDown, None),
        (PageUp, None),
        (Top, None),
        (Bottom, None),
        (Collapse, None),
        (Expand, None),
    ],
    OPERATIONS,
    &[
        (NextPane, Some("pane")),
        (Agent, None),
        (Servers, None),
        (Pipeline, None),
        (Deployments, None),
        (Audit, None),
        (Config, None),
        (Operations, None),
        (Palette, None),
        (Refresh, None),
    ],
];

const HISTORY: &[&[Binding]] = &[
    MOVING,
    &[(Select, Some("open log")), (NextPane, Some("pane"))],
    OPERATIONS,
    ELSEWHERE,
];

/// What the views of the whole platform share, after their own keys.
const PLATFORM: &[Binding] = &[
    (Palette, Some("command")),
    (Refresh, Some("refresh")),
    (Operations, None),
];

/// The agent, from the views whose keys leave it its key.
const AGENT: &[Binding] = &[(Agent, None)];

const SERVERS: &[&[Binding]] = &[
    MOVING,
    &[
        (Servers, Some("tree")),
        (Pipeline, None),
        (Deployments, None),
        (Audit, None),
    ],
    PLATFORM,
    AGENT,
];

const PIPELINE: &[&[Binding]] = &[
    &[
        (Down, Some("row")),
        (Up, None),
        (Expand, Some("stage")),
        (Collapse, None),
        (Promote, Some("promote")),
        (Select, Some("in tree")),
        (PageDown, None),
        (PageUp, None),
        (Top, None),
        (Bottom, None),
        (Pipeline, Some("tree")),
        (Config, None),
        (Servers, None),
        (Deployments, None),
        (Audit, None),
    ],
    PLATFORM,
    AGENT,
];

const DEPLOYMENTS: &[&[Binding]] = &[
    MOVING,
    &[
        (Select, Some("open log")),
        (Filter, Some("filter")),
        (Cancel, Some("cancel")),
    ],
    &[
        (Deployments, Some("tree")),
        (Servers, None),
        (Pipeline, None),
        (Audit, None),
    ],
    PLATFORM,
    AGENT,
];

const AUDIT: &[&[Binding]] = &[
    MOVING,
    &[
        (Select, Some("open log")),
        (Filter, Some("filter")),
        (NextPane, Some("entry")),
    ],
    &[
        (Audit, Some("tree")),
        (Servers, None),
        (Pipeline, None),
        (Deployments, None),
    ],
    PLATFORM,
    AGENT,
];

/// The audit view with its detail pane focused: the moving keys scroll it.
const AUDIT_ENTRY: &[&[Binding]] = &[
    MOVING,
    &[(NextPane, Some("table")), (Audit, Some("tree"))],
    PLATFORM,
    AGENT,
];

/// The config view: the moving keys scroll it, `a` applies it (the agent is `:ask` here).
const CONFIG: &[&[Binding]] = &[
    MOVING,
    &[
        (Apply, Some("apply")),
        (Config, Some("tree")),
        (Servers, None),
        (Pipeline, None),
        (Deployments, None),
        (Audit, None),
    ],
    PLATFORM,
];

impl Mode {
    /// What the help's title calls it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tree => "tree",
            Self::Details => "details",
            Self::Log => "log",
            Self::History => "deployments list",
            Self::Servers => "servers",
            Self::Pipeline => "pipeline",
            Self::Deployments => "deployments",
            Self::Audit => "audit",
            Self::AuditEntry => "audit entry",
            Self::Config => "config",
        }
    }

    fn groups(self) -> &'static [&'static [Binding]] {
        match self {
            Self::Tree => TREE,
            Self::Details => DETAILS,
            Self::Log => LOG,
            Self::History => HISTORY,
            Self::Servers => SERVERS,
            Self::Pipeline => PIPELINE,
            Self::Deployments => DEPLOYMENTS,
            Self::Audit => AUDIT,
            Self::AuditEntry => AUDIT_ENTRY,
            Self::Config => CONFIG,
        }
    }

    /// Every action of the mode, in the order the help lists them, the essential last.
    pub fn bindings(self) -> impl Iterator<Item = Binding> {
        self.groups()
            .iter()
            .flat_map(|g| g.iter())
            .chain(ESSENTIAL)
            .copied()
    }

    /// What `action` does in this mode, where that differs from what the keymap says it
    /// does in the tree.
    pub fn describe(self, action: KeyAction) -> Option<&'static str> {
        Some(match (self, action) {
            (Self::Details, Down) => "scroll down",
            (Self::Details, Up) => "scroll up",
            (Self::Log, Down) => "scroll down",
            (Self::Log, Up) => "scroll up",
            (Self::Log, Collapse) => "scroll left",
            (Self::Log, Expand) => "scroll right",
            (Self::Log, Filter) => "search the log",
            (Self::History, Select) => "open the deployment's log",
            (Self::Pipeline, Down) => "next project",
            (Self::Pipeline, Up) => "previous project",
            (Self::Pipeline, Expand) => "next stage",
            (Self::Pipeline, Collapse) => "previous stage",
            (Self::Pipeline, Select) => "select the application in the tree",
            (Self::Pipeline, Promote) => "promote this stage to the next",
            (Self::Pipeline, Refresh) => "read the board again",
            (Self::Deployments, Select) => "open the deployment's log in the tree",
            (Self::Deployments, Filter) => "filter: words that must all match, !status",
            (Self::Deployments, Cancel) => "cancel the selected queued or running deployment",
            (Self::Deployments, Refresh) => "read the deployments again",
            (Self::Audit, Select) => "open the entry's first deployment's log in the tree",
            (Self::Audit, Filter) => "filter: words of operation, target, outcome or actor",
            (Self::Audit, NextPane) => "focus the entry's details (j/k scroll them)",
            (Self::AuditEntry, NextPane) => "back to the table",
            (Self::AuditEntry, Down) => "scroll down",
            (Self::AuditEntry, Up) => "scroll up",
            (Self::Audit | Self::AuditEntry, Refresh) => "read the journal again",
            (Self::Pipeline, Config) => "the cell's environment against the platform configuration",
            (Self::Config, Down) => "scroll down",
            (Self::Config, Up) => "scroll up",
            (Self::Config, Refresh) => "compare again",
            (Self::Servers, Servers)
            | (Self::Config, Config)
            | (Self::Pipeline, Pipeline)
            | (Self::Deployments, Deployments)
            | (Self::Audit | Self::AuditEntry, Audit) => "back to the tree",
            (Self::Pipeline | Self::Deployments | Self::Audit | Self::Config, Servers) => {
                "servers view"
            }
            (Self::Servers, Down) => "next server",
            (Self::Servers, Up) => "previous server",
            _ => return None,
        })
    }

    /// Whether a key bound to `action` does anything here.
    pub fn allows(self, action: KeyAction) -> bool {
        self.bindings().any(|(a, _)| a == action)
    }

    /// The footer's hints, most useful first; the essential ones are kept apart.
    pub fn hints(self) -> impl Iterator<Item = (KeyAction, &'static str)> {
        self.groups()
            .iter()
            .flat_map(|g| g.iter())
            .filter_map(|(a, hint)| Some((*a, (*hint)?)))
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;

    #[test]
    fn every_action_works_somewhere_and_help_and_quit_everywhere() {
        for action in KeyAction::VARIANTS {
            assert!(
                Mode::VARIANTS.iter().any(|m| m.allows(*action)),
                "{action:?} is in no mode: its key would do nothing anywhere"
            );
        }
        for mode in Mode::VARIANTS {
            assert!(mode.allows(Help) && mode.allows(Quit), "{mode:?}");
            let actions: Vec<KeyAction> = mode.bindings().map(|(a, _)| a).collect();
            for (i, a) in actions.iter().enumerate() {
                assert!(!actions[i + 1..].contains(a), "{a:?} twice in {mode:?}");
            }
            assert!(mode.hints().count() >= 3, "{mode:?} has footer hints");
        }
    }

    #[test]
    fn the_servers_view_has_no_operations_or_log_keys() {
        for action in [Deploy, Promote, Rollback, Cancel, Copy, Follow, Filter] {
            assert!(!Mode::Servers.allows(action), "{action:?}");
        }
        assert!(Mode::Log.allows(Copy) && !Mode::Tree.allows(Copy));
    }

    #[test]
    fn apply_is_the_config_views_only_and_no_operation_of_the_selection_is_there() {
        for mode in Mode::VARIANTS {
            assert_eq!(mode.allows(Apply), *mode == Mode::Config, "{mode:?}");
        }
        for action in [Deploy, Promote, Rollback, Cancel, Agent, Filter] {
            assert!(!Mode::Config.allows(action), "{action:?}");
        }
    }
}
