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

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::tui::fixture;

    fn pane() -> (TreePane, Data) {
        let data = Data {
            tree: fixture::tree(),
            ..Data::default()
        };
        let mut pane = TreePane::default();
        pane.fit(10);
        pane.rebuild(&data, "pfcore");
        (pane, data)
    }

    fn label(pane: &TreePane) -> &str {
        &pane.selected_row().expect("a selection").label
    }

    fn typed(pane: &mut TreePane, data: &Data, text: &str) {
        for c in text.chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            pane.on_filter_key(key, data, "pfcore");
        }
    }

    #[test]
    fn moving_keys_move_within_the_rows_and_keep_the_selection_in_view() {
        let (mut pane, data) = pane();
        assert_eq!(pane.selected, 0);
        let consumed = pane.on_key(KeyAction::Down, &data, "pfcore");
        assert_eq!(consumed, Handled::Consumed(Vec::new()));
        assert_eq!(pane.selected, 1);
        pane.on_key(KeyAction::Bottom, &data, "pfcore");
        assert_eq!(pane.selected, pane.rows.len() - 1);
        assert!(pane.offset + pane.height > pane.selected && pane.offset <= pane.selected);
        pane.on_key(KeyAction::Top, &data, "pfcore");
        assert_eq!((pane.selected, pane.offset), (0, 0));
        pane.on_key(KeyAction::Up, &data, "pfcore");
        assert_eq!(pane.selected, 0, "no row above the first");
    }

    #[test]
    fn folding_hides_children_and_left_on_a_leaf_goes_to_its_parent() {
        let (mut pane, data) = pane();
        let rows = pane.rows.len();
        pane.on_key(KeyAction::Down, &data, "pfcore");
        let project = label(&pane).to_string();
        pane.on_key(KeyAction::Collapse, &data, "pfcore");
        assert!(
            pane.rows.len() < rows,
            "the project's environments are hidden"
        );
        assert_eq!(label(&pane), project, "the folded node stays selected");
        pane.on_key(KeyAction::Expand, &data, "pfcore");
        assert_eq!(pane.rows.len(), rows);
        // Right on an open node steps into it; left on a leaf goes back up.
        pane.on_key(KeyAction::Expand, &data, "pfcore");
        pane.on_key(KeyAction::Expand, &data, "pfcore");
        assert!(matches!(
            pane.selected_row().map(|r| &r.kind),
            Some(RowKind::Resource { .. })
        ));
        pane.on_key(KeyAction::Collapse, &data, "pfcore");
        assert!(matches!(
            pane.selected_row().map(|r| &r.kind),
            Some(RowKind::Environment)
        ));
    }

    #[test]
    fn enter_on_a_resource_is_left_to_the_console() {
        let (mut pane, data) = pane();
        let first = pane
            .rows
            .iter()
            .position(|r| matches!(r.kind, RowKind::Resource { .. }))
            .expect("a resource");
        pane.select(first);
        assert_eq!(
            pane.on_key(KeyAction::Select, &data, "pfcore"),
            Handled::Ignored
        );
        assert_eq!(
            pane.on_key(KeyAction::Deploy, &data, "pfcore"),
            Handled::Ignored
        );
    }

    #[test]
    fn the_filter_line_takes_every_key_and_esc_drops_it() {
        let (mut pane, data) = pane();
        pane.start_filter();
        typed(&mut pane, &data, "w4m-pr");
        assert_eq!(pane.filter, "w4m-pr");
        let labels: Vec<&str> = pane.rows.iter().map(|r| r.label.as_str()).collect();
        assert!(labels.contains(&"w4m-prod"), "{labels:?}");
        assert!(!labels.iter().any(|l| l.starts_with("air")), "{labels:?}");
        let shown = pane.rows.len();
        pane.on_filter_key(
            KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
            &data,
            "pfcore",
        );
        assert_eq!(pane.selected, 1, "the arrows move while typing");
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        pane.on_filter_key(enter, &data, "pfcore");
        assert!(
            !pane.filtering,
            "Enter keeps the filter and gives the keys back"
        );
        assert_eq!(pane.filter, "w4m-pr");
        pane.start_filter();
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        pane.on_filter_key(esc, &data, "pfcore");
        assert!(!pane.filtering && pane.filter.is_empty());
        assert!(pane.rows.len() > shown, "every row shows again");
    }

    #[test]
    fn reveal_unfolds_and_unfilters_to_select_a_hidden_resource() {
        let (mut pane, data) = pane();
        pane.collapsed.insert(NodeId::Project("p-AIR".into()));
        pane.filter = "baiv".into();
        pane.rebuild(&data, "pfcore");
        assert!(pane.reveal("app-air-staging", &data, "pfcore"));
        assert_eq!(label(&pane), "air-staging");
        assert!(pane.filter.is_empty());
        assert!(!pane.reveal("app-gone", &data, "pfcore"), "not in the tree");
    }
}
