//! The agent pane: the conversation as shown, the input, and what the keyboard does on a
//! proposal card. What a turn does with it is the console's (`tui::agent`).

mod draw;

pub use draw::draw;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

use super::Handled;

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
    history_at: Option<usize>,
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

impl AgentPane {
    /// Keys on the input while it has the keyboard: Esc closes the pane, Alt-Enter and
    /// Ctrl-J break the line, Ctrl-U clears (as in a shell), Up and Down recall earlier
    /// prompts with the cursor at their end; anything else is typed.
    pub fn on_input_key(&mut self, key: KeyEvent) -> Handled {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.open = false,
            KeyCode::Enter if key.modifiers.contains(KeyModifiers::ALT) => {
                self.input.insert_newline();
            }
            KeyCode::Char('j') if ctrl => self.input.insert_newline(),
            KeyCode::Char('u') if ctrl => {
                self.input = prompt_area();
                self.history_at = None;
            }
            KeyCode::Up if self.input.lines().len() <= 1 && !self.history.is_empty() => {
                let at = self
                    .history_at
                    .map_or(self.history.len() - 1, |i| i.saturating_sub(1));
                self.history_at = Some(at);
                self.input = editing(&self.history[at]);
            }
            KeyCode::Down if self.history_at.is_some() => {
                let next = self
                    .history_at
                    .map(|i| i + 1)
                    .filter(|i| *i < self.history.len());
                self.history_at = next;
                self.input = match next {
                    Some(i) => editing(&self.history[i]),
                    None => prompt_area(),
                };
            }
            _ => {
                self.input.input(key);
            }
        }
        Handled::Consumed(Vec::new())
    }

    /// What was typed, as the next prompt: kept for recall, shown in the conversation, the
    /// input emptied and the pane marked busy. `None` when nothing was typed or a turn is
    /// in flight.
    pub fn take_prompt(&mut self) -> Option<String> {
        let prompt = text_of(&self.input).trim().to_string();
        if prompt.is_empty() || self.busy {
            return None;
        }
        self.input = prompt_area();
        self.history.push(prompt.clone());
        self.history_at = None;
        self.entries.push(Entry::Prompt(prompt.clone()));
        self.busy = true;
        Some(prompt)
    }
}

fn prompt_area() -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_placeholder_text(
        "ask, e.g. \"promote air dev to staging\" or \"why did baiv prod fail?\"",
    );
    area
}

pub fn text_of(area: &TextArea<'_>) -> String {
    area.lines().join("\n")
}

/// A text area holding `text` to edit, its cursor at the end: typing goes on from there.
pub fn editing(text: &str) -> TextArea<'static> {
    let mut area = TextArea::from(text.lines().map(str::to_string).collect::<Vec<_>>());
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    area
}

/// An area's text on one line (its lines joined by spaces) with the caret `▏` where the
/// next character typed goes in, for a card that draws it as text.
pub fn with_caret(area: &TextArea<'_>) -> String {
    let (row, col) = (area.cursor().0, area.cursor().1);
    let mut out = String::new();
    for (i, line) in area.lines().iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == row {
            let at = line
                .char_indices()
                .nth(col)
                .map_or(line.len(), |(at, _)| at);
            out.push_str(&line[..at]);
            out.push('▏');
            out.push_str(&line[at..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(pane: &mut AgentPane, code: KeyCode, modifiers: KeyModifiers) {
        assert_eq!(
            pane.on_input_key(KeyEvent::new(code, modifiers)),
            Handled::Consumed(Vec::new())
        );
    }

    fn typed(pane: &mut AgentPane, text: &str) {
        for c in text.chars() {
            press(pane, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    #[test]
    fn a_prompt_is_taken_once_kept_for_recall_and_shown() {
        let mut pane = AgentPane::default();
        assert_eq!(pane.take_prompt(), None, "nothing typed");
        typed(&mut pane, "  status of air ");
        assert_eq!(pane.take_prompt().as_deref(), Some("status of air"));
        assert!(pane.busy);
        assert!(text_of(&pane.input).is_empty());
        assert_eq!(pane.entries, [Entry::Prompt("status of air".into())]);
        typed(&mut pane, "again");
        assert_eq!(pane.take_prompt(), None, "a turn is in flight");
    }

    #[test]
    fn up_and_down_recall_with_the_cursor_at_the_end_and_ctrl_u_clears() {
        let mut pane = AgentPane::default();
        for prompt in ["first", "second"] {
            typed(&mut pane, prompt);
            pane.take_prompt();
            pane.busy = false;
        }
        press(&mut pane, KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(text_of(&pane.input), "second");
        press(&mut pane, KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(text_of(&pane.input), "first");
        typed(&mut pane, "!");
        assert_eq!(text_of(&pane.input), "first!", "typing goes on at the end");
        press(&mut pane, KeyCode::Down, KeyModifiers::NONE);
        assert_eq!(text_of(&pane.input), "second");
        press(&mut pane, KeyCode::Down, KeyModifiers::NONE);
        assert!(
            text_of(&pane.input).is_empty(),
            "past the newest: empty again"
        );
        typed(&mut pane, "half typed");
        press(&mut pane, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert!(text_of(&pane.input).is_empty());
        press(&mut pane, KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(pane.input.lines().len(), 2, "Ctrl-J breaks the line");
        pane.open = true;
        press(&mut pane, KeyCode::Esc, KeyModifiers::NONE);
        assert!(!pane.open, "Esc closes the pane");
    }
}
