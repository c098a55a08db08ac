//! The tree pane: context -> projects -> environments -> resources. It owns its rows, the
//! selection, what is folded, what is marked and the filter line, and answers the moving,
//! folding and filter keys itself; what a new selection shows elsewhere is the console's
//! business (it compares [`TreePane::selected_id`] before and after).

mod draw;

use std::collections::{BTreeSet, HashSet};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use draw::draw;

use super::Handled;
use crate::settings::KeyAction;
use crate::tui::data::Data;
use crate::tui::outline::{self, NodeId, Row, RowKind};

#[derive(Debug, Default)]
pub struct TreePane {
    pub rows: Vec<Row>,
    pub selected: usize,
    pub offset: usize,
    pub collapsed: HashSet<NodeId>,
    /// Applications marked (Space) for one operation on several, by uuid.
    pub marked: BTreeSet<String>,
    pub filter: String,
    /// The filter line has the keyboard.
    pub filtering: bool,
    /// Rows the pane shows at the current size.
    pub height: usize,
}

impl TreePane {
    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// The selected node, to tell whether a key moved the selection.
    pub fn selected_id(&self) -> Option<&NodeId> {
        self.selected_row().map(|r| &r.id)
    }

    /// Recompute the visible rows, keeping the selected node selected when it still shows.
    pub fn rebuild(&mut self, data: &Data, context: &str) {
        let keep = self.selected_id().cloned();
        self.rows = outline::rows(
            &data.tree,
            context,
            &self.collapsed,
            &data.deploying,
            &self.filter,
        );
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|r| r.id == id))
            .or_else(|| {
                // Filtering: jump to the first matching resource.
                (!self.filter.is_empty())
                    .then(|| {
                        self.rows
                            .iter()
                            .position(|r| matches!(r.kind, RowKind::Resource { .. }))
                    })
                    .flatten()
            })
            .unwrap_or(0)
            .min(self.rows.len().saturating_sub(1));
        self.scroll_to_selection();
    }

    /// The pane is `height` rows tall now.
    pub fn fit(&mut self, height: usize) {
        self.height = height.max(1);
        self.scroll_to_selection();
    }

    pub fn scroll_to_selection(&mut self) {
        let height = self.height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.rows.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// Move the selection by `delta` rows, within the list.
    pub fn move_by(&mut self, delta: isize) {
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, self.rows.len().saturating_sub(1) as isize) as usize;
        self.scroll_to_selection();
    }

    /// Select the row at `index`, when there is one.
    pub fn select(&mut self, index: usize) {
        if index < self.rows.len() {
            self.selected = index;
            self.scroll_to_selection();
        }
    }

    /// Start on the first resource: its details are what an operator wants.
    pub fn select_first_resource(&mut self) {
        let first = self
            .rows
            .iter()
            .position(|r| matches!(r.kind, RowKind::Resource { .. }));
        self.select(first.unwrap_or(0));
    }

    /// Select the resource `uuid`, unfolding its project and environment and dropping the
    /// filter when they hide it. False when it is not in the tree.
    pub fn reveal(&mut self, uuid: &str, data: &Data, context: &str) -> bool {
        let node = NodeId::Resource(uuid.to_string());
        if !self.rows.iter().any(|r| r.id == node) {
            if let Some((p, e, _)) = data.tree.resource(uuid) {
                self.collapsed.remove(&NodeId::Context);
                self.collapsed.remove(&NodeId::Project(p.uuid.clone()));
                self.collapsed
                    .remove(&NodeId::Environment(p.uuid.clone(), e.name.clone()));
            }
            self.filter.clear();
            self.rebuild(data, context);
        }
        let Some(at) = self.rows.iter().position(|r| r.id == node) else {
            return false;
        };
        self.select(at);
        true
    }

    /// The moving and folding keys. Enter on a resource is not the tree's (it opens the
    /// resource's log below), nor is any other key.
    pub fn on_key(&mut self, action: KeyAction, data: &Data, context: &str) -> Handled {
        if let Some(delta) = super::motion(action, self.height) {
            self.move_by(delta);
            return Handled::Consumed(Vec::new());
        }
        match action {
            KeyAction::Collapse => self.collapse(data, context),
            KeyAction::Expand => self.expand(data, context),
            KeyAction::Select => match self.selected_row().map(|r| (&r.kind, r.expanded)) {
                Some((RowKind::Resource { .. }, _)) | None => return Handled::Ignored,
                Some((_, Some(true))) => self.collapse(data, context),
                Some((_, Some(false))) => self.expand(data, context),
                Some((_, None)) => {}
            },
            _ => return Handled::Ignored,
        }
        Handled::Consumed(Vec::new())
    }

    /// Fold the selected node, or go to its parent when it is folded or a leaf.
    fn collapse(&mut self, data: &Data, context: &str) {
        let Some(row) = self.selected_row().cloned() else {
            return;
        };
        if row.expanded == Some(true) && self.filter.is_empty() {
            self.collapsed.insert(row.id);
            self.rebuild(data, context);
            return;
        }
        // Go to the parent: the nearest row above with a smaller depth.
        if let Some(parent) = self.rows[..self.selected]
            .iter()
            .rposition(|r| r.depth < row.depth)
        {
            self.selected = parent;
            self.scroll_to_selection();
        }
    }

    /// Unfold the selected node, or step into it when it is unfolded.
    fn expand(&mut self, data: &Data, context: &str) {
        let Some(row) = self.selected_row().cloned() else {
            return;
        };
        match row.expanded {
            Some(false) => {
                self.collapsed.remove(&row.id);
                self.rebuild(data, context);
            }
            Some(true) => self.move_by(1),
            None => {}
        }
    }

    /// Open the filter line.
    pub fn start_filter(&mut self) {
        self.filtering = true;
    }

    /// Drop the filter.
    pub fn clear_filter(&mut self, data: &Data, context: &str) {
        self.filter.clear();
        self.rebuild(data, context);
    }

    /// Keys while the filter line has the keyboard: it takes them all.
    pub fn on_filter_key(&mut self, key: KeyEvent, data: &Data, context: &str) -> Handled {
        match key.code {
            KeyCode::Esc => {
                self.filtering = false;
                self.clear_filter(data, context);
            }
            KeyCode::Enter => self.filtering = false,
            KeyCode::Backspace => {
                self.filter.pop();
                self.rebuild(data, context);
            }
            KeyCode::Up => self.move_by(-1),
            KeyCode::Down => self.move_by(1),
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.clear_filter(data, context);
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.filter.push(c);
                self.rebuild(data, context);
            }
            _ => {}
        }
        Handled::Consumed(Vec::new())
    }
}
