//! Everything the console shows, in one place. Only `update` changes it; views read it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;

use super::data::{Data, Recent};
use super::keymap::Keymap;
use super::layout;
use super::logview::LogView;
use super::modes::Mode;
use super::msg::ContextInfo;
use super::operations::Operations;
use super::outline::{NodeId, Row};
use super::overlay::{Card, Overlay, Overlays};
use super::panes::details::{self, DetailsPane, Subject};
use super::panes::env::{EnvCard, Reveal};
use super::panes::history::HistoryPane;
use super::panes::log::LogPane;
use super::panes::servers::ServersPane;
use super::panes::tree::TreePane;
use super::theme::{Depth, Theme};
use crate::model::{Resource, ResourceKind, time};
use crate::settings::Settings;

/// How many messages `:messages` keeps.
pub const MESSAGES_KEPT: usize = 500;

/// How long a changed status stays highlighted.
pub const CHANGED_FOR: jiff::SignedDuration = jiff::SignedDuration::from_secs(4);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Tree,
    Servers,
    Pipeline,
    Deployments,
    Audit,
    Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Left,
    Details,
    Lower,
}

/// What the lower pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lower {
    /// The selected application's recent deployments.
    History,
    Log,
}

/// A short message in the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    pub at: Timestamp,
}

pub struct State {
    pub context: ContextInfo,
    /// Context names from the settings, for `:ctx`.
    pub contexts: Vec<String>,
    /// Theme names, for `:theme`.
    pub themes: Vec<String>,
    pub settings: Settings,
    pub theme: Theme,
    pub depth: Depth,
    pub themes_dir: Option<PathBuf>,
    pub keymap: Keymap,
    pub now: Timestamp,
    pub size: (u16, u16),
    pub data: Data,
    /// Resources whose status changed recently, and when.
    pub changed: HashMap<String, Timestamp>,
    pub tree: TreePane,
    pub screen: Screen,
    pub focus: Pane,
    pub servers: ServersPane,
    pub details: DetailsPane,
    pub recent: HashMap<String, Recent>,
    /// The history pane (the selected application's recent deployments).
    pub history: HistoryPane,
    pub lower: Lower,
    pub log: LogPane,
    /// What lies over the body, innermost last: it gets the keys first.
    pub overlays: Overlays,
    /// The operations started here: several run at once, on different targets.
    pub operations: Operations,
    pub agent: super::panes::agent::AgentPane,
    pub pipeline: super::panes::pipeline::PipelinePane,
    /// The deployments view.
    pub deployments: super::panes::deployments::Deployments,
    /// The audit view.
    pub audit: super::panes::audit::AuditPane,
    /// The config view.
    pub config: super::panes::config::ConfigPane,
    pub flash: Option<Flash>,
    /// Every message shown this session (the newest [`MESSAGES_KEPT`]), for `:messages`.
    pub messages: std::collections::VecDeque<Flash>,
    pub spinner: usize,
    /// Periodic refreshes so far (every few is a full one).
    pub refreshes: u32,
    pub quit: bool,
}

impl State {
    /// The wait before the next background refresh: the configured interval, stretched
    /// while nothing deploys and the data is fresh so that refreshing stays within
    /// `refresh.cpu_percent` of a core.
    pub fn refresh_interval(&self) -> Duration {
        let settings = &self.settings.refresh;
        if !self.data.deploying.is_empty() {
            return Duration::from_secs_f64(settings.while_deploying);
        }
        let configured = Duration::from_secs_f64(settings.interval);
        if self.data.error.is_some() {
            // Failing: try again at the configured pace, to recover as soon as possible.
            return configured;
        }
        let bounded = self
            .data
            .load_cost
            .map(|cost| cost.mul_f64(100.0 / settings.cpu_percent))
            .unwrap_or_default();
        // Whole seconds, so the header's "every Ns" does not wobble from load to load.
        configured.max(Duration::from_secs(bounded.as_secs_f64().ceil() as u64))
    }

    /// The refresh interval when the CPU bound has stretched it beyond the setting.
    pub fn stretched_interval(&self) -> Option<Duration> {
        let interval = self.refresh_interval();
        (self.data.deploying.is_empty()
            && interval > Duration::from_secs_f64(self.settings.refresh.interval))
        .then_some(interval)
    }

    pub fn new(
        context: ContextInfo,
        settings: Settings,
        theme: Theme,
        depth: Depth,
        themes_dir: Option<PathBuf>,
        now: Timestamp,
        size: (u16, u16),
    ) -> Self {
        let keymap = Keymap::new(&settings.keys);
        let log_settings = settings.logs.clone();
        let mut state = Self {
            contexts: settings.contexts.iter().map(|c| c.name.clone()).collect(),
            themes: Theme::names(themes_dir.as_deref()),
            context,
            settings,
            theme,
            depth,
            themes_dir,
            keymap,
            now,
            size,
            data: Data {
                loading: true,
                ..Data::default()
            },
            changed: HashMap::new(),
            tree: TreePane::default(),
            screen: Screen::Tree,
            focus: Pane::Left,
            servers: ServersPane::default(),
            details: DetailsPane::default(),
            recent: HashMap::new(),
            history: HistoryPane::default(),
            lower: Lower::Log,
            log: LogPane::new(LogView::with_settings("Log", &log_settings)),
            overlays: Overlays::default(),
            operations: Operations::default(),
            agent: super::panes::agent::AgentPane::default(),
            pipeline: Default::default(),
            deployments: Default::default(),
            audit: Default::default(),
            config: Default::default(),
            flash: None,
            messages: std::collections::VecDeque::new(),
            spinner: 0,
            refreshes: 0,
            quit: false,
        };
        state.fit();
        state.rebuild_rows();
        state
    }

    /// The mode the state is in, overlays aside (they take keys before any mode).
    pub fn mode(&self) -> Mode {
        match (self.screen, self.focus, self.lower) {
            (Screen::Servers, _, _) => Mode::Servers,
            (Screen::Pipeline, _, _) => Mode::Pipeline,
            (Screen::Deployments, _, _) => Mode::Deployments,
            (Screen::Audit, _, _) if self.audit.entry_focused() => Mode::AuditEntry,
            (Screen::Audit, _, _) => Mode::Audit,
            (Screen::Config, _, _) => Mode::Config,
            _ if self.log.fullscreen => Mode::Log,
            (Screen::Tree, Pane::Left, _) => Mode::Tree,
            (Screen::Tree, Pane::Details, _) => Mode::Details,
            (Screen::Tree, Pane::Lower, Lower::Log) => Mode::Log,
            (Screen::Tree, Pane::Lower, Lower::History) => Mode::History,
        }
    }

    /// What the pipeline view is drawn with.
    pub fn pipeline_look(&self) -> super::panes::pipeline::Look<'_> {
        super::panes::pipeline::Look {
            pane: &self.pipeline,
            paint: self.paint(),
            focused: self.overlays.is_empty(),
            size: self.size,
            deploying: &self.data.deploying,
        }
    }

    /// What the deployments view is drawn with.
    pub fn deployments_look(&self) -> super::panes::deployments::Look<'_> {
        super::panes::deployments::Look {
            pane: &self.deployments,
            paint: self.paint(),
            focused: self.overlays.is_empty(),
            size: self.size,
        }
    }

    /// What the audit view is drawn with.
    pub fn audit_look(&self) -> super::panes::audit::Look<'_> {
        super::panes::audit::Look {
            pane: &self.audit,
            paint: self.paint(),
            focused: self.overlays.is_empty(),
            size: self.size,
        }
    }

    /// What the config view is drawn with.
    pub fn config_look(&self) -> super::panes::config::Look<'_> {
        super::panes::config::Look {
            pane: &self.config,
            paint: self.paint(),
            focused: self.overlays.is_empty(),
            size: self.size,
        }
    }

    /// What panes draw with: the theme and the spinner's frame.
    pub fn paint(&self) -> super::paint::Paint<'_> {
        super::paint::Paint {
            theme: &self.theme,
            frame: self.spinner,
            now: self.now,
        }
    }

    /// A message in the footer, kept for `:messages`.
    pub fn tell(&mut self, text: impl Into<String>, error: bool) {
        let flash = Flash {
            text: text.into(),
            error,
            at: self.now,
        };
        self.remember(flash.clone());
        self.flash = Some(flash);
    }

    /// Keep a message for `:messages` (the newest [`MESSAGES_KEPT`]).
    pub fn remember(&mut self, message: Flash) {
        if self.messages.len() == MESSAGES_KEPT {
            self.messages.pop_front();
        }
        self.messages.push_back(message);
    }

    /// Where the log pane is drawn at the current size.
    pub fn log_area(&self) -> ratatui::layout::Rect {
        let areas = layout::areas(self.size.0, self.size.1);
        if self.log.fullscreen {
            let body = areas.left.union(areas.details).union(areas.lower);
            return body;
        }
        areas.lower
    }

    /// Tell the panes their sizes after the layout changed.
    pub fn fit(&mut self) {
        let area = self.log_area();
        self.log.view.set_viewport(layout::viewport(area));
        let tree = layout::inner_height(layout::areas(self.size.0, self.size.1).left);
        self.tree.fit(tree);
    }

    /// The log pane has the keyboard.
    pub fn log_focused(&self) -> bool {
        self.screen == Screen::Tree
            && self.lower == Lower::Log
            && (self.focus == Pane::Lower || self.log.fullscreen)
    }

    /// Recompute the tree's rows from the data.
    pub fn rebuild_rows(&mut self) {
        self.tree.rebuild(&self.data, &self.context.name);
    }

    /// What the details pane shows: the selection and what is known about it.
    pub fn details_subject(&self) -> Subject<'_> {
        Subject {
            node: self.tree.selected_id(),
            data: &self.data,
            recent: &self.recent,
            context: &self.context,
            board: self.pipeline.board(),
        }
    }

    /// How far the details pane scrolls at the current size: to its last line.
    pub fn details_most(&self) -> u16 {
        let shown = layout::inner_height(layout::areas(self.size.0, self.size.1).details);
        let length = details::length(self.paint(), self.details_subject());
        u16::try_from(length.saturating_sub(shown)).unwrap_or(u16::MAX)
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.tree.selected_row()
    }

    /// The selected resource, when a resource row is selected.
    pub fn selected_resource(&self) -> Option<&Resource> {
        match &self.selected_row()?.id {
            NodeId::Resource(uuid) => self.data.tree.resource(uuid).map(|(_, _, r)| r),
            _ => None,
        }
    }

    /// The selected application's uuid, when an application is selected.
    pub fn selected_app(&self) -> Option<&str> {
        self.selected_resource()
            .filter(|r| r.kind == ResourceKind::Application)
            .map(|r| r.uuid.as_str())
    }

    /// The times on screen as the views print them: the header's refresh age or stale
    /// warning, and the selected application's deployments (details and the lower pane). A
    /// tick that leaves these, the flash and the highlights as they were changes nothing on
    /// screen, so the console is not drawn again for it. A view that prints another time adds
    /// it here.
    pub fn clock_face(&self) -> Vec<String> {
        let mut face: Vec<String> = self
            .data
            .loaded_at
            .map(|t| time::age(t, self.now))
            .into_iter()
            .collect();
        if let Some(err) = &self.data.error {
            face.push(time::compact(self.now.duration_since(err.since)));
        }
        let deployments = self
            .selected_app()
            .and_then(|app| self.recent.get(app))
            .map_or(&[][..], |r| &r.deployments);
        for d in deployments {
            face.extend(d.created_at.map(|t| time::age(t, self.now)));
            face.extend(d.duration(self.now).map(time::compact));
        }
        match self.screen {
            Screen::Pipeline => face.extend(self.pipeline.clock_face(self.now)),
            Screen::Deployments => face.extend(self.deployments.clock_face(self.now)),
            Screen::Tree | Screen::Servers | Screen::Audit | Screen::Config => {}
        }
        face
    }

    /// Something moves on screen (spinner, highlight): the clock must tick fast.
    pub fn animating(&self) -> bool {
        !self.data.deploying.is_empty()
            || self.data.loading
            || !self.changed.is_empty()
            || self.operations.running().next().is_some()
            || self.pipeline.loading()
            || matches!(
                self.overlays.top(),
                Some(Overlay::Card(
                    Card::Planning { .. }
                        | Card::Env(EnvCard {
                            reveal: Reveal::Shown { .. },
                            ..
                        })
                ))
            )
    }
}
