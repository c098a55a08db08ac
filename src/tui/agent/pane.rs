//! The agent pane's state: the conversation as shown, the input, and what the keyboard
//! does on a proposal card. What changes it is in the parent module.

use ratatui_textarea::{CursorMove, TextArea};

use crate::agent::Proposal;

/// One thing in the conversation, as the pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Prompt(String),
    /// The model's answer, growing as it streams.
    Answer(String),
    /// A read tool that ran, or a call refused before anything ran.
    Tool {
        tool: String,
        summary: String,
        error: bool,
    },
    /// A proposal and what became of it.
    Proposal {
        id: String,
        title: String,
        status: String,
    },
    Notice(String),
    Error(String),
}

/// What the keyboard does on the proposal card.
#[derive(Debug, Default)]
pub enum CardInput {
    #[default]
    Keys,
    /// Typing the environment's name.
    Typed(crate::tui::panes::confirm::Confirm),
    /// Typing why it is rejected.
    Reason(TextArea<'static>),
    /// Editing the arguments (JSON).
    Edit(TextArea<'static>),
}

/// The pane's state.
#[derive(Debug)]
pub struct AgentPane {
    pub open: bool,
    /// The input has the keyboard (Tab gives it to the tree and back).
    pub focused: bool,
    pub input: TextArea<'static>,
    pub history: Vec<String>,
    pub(super) history_at: Option<usize>,
    pub entries: Vec<Entry>,
    /// A turn is in flight.
    pub busy: bool,
    /// Proposals waiting for a decision; the first one is on the card.
    pub waiting: Vec<Proposal>,
    pub card: CardInput,
    /// Which provider and model answered last.
    pub answered_by: Option<String>,
}

impl Default for AgentPane {
    fn default() -> Self {
        Self {
            open: false,
            focused: false,
            input: prompt_area(),
            history: Vec::new(),
            history_at: None,
            entries: Vec::new(),
            busy: false,
            waiting: Vec::new(),
            card: CardInput::Keys,
            answered_by: None,
        }
    }
}

pub(super) fn prompt_area() -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_placeholder_text(
        "ask, e.g. \"promote air dev to staging\" or \"why did baiv prod fail?\"",
    );
    area
}

pub(super) fn text_of(area: &TextArea<'_>) -> String {
    area.lines().join("\n")
}

/// A text area holding `text` to edit, its cursor at the end: typing goes on from there.
pub(super) fn editing(text: &str) -> TextArea<'static> {
    let mut area = TextArea::from(text.lines().map(str::to_string).collect::<Vec<_>>());
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    area
}
