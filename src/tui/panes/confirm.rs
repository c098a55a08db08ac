//! The one confirmation every card asks the same way (an operation's preview, several
//! marked applications, the agent's proposal): `y` for a plain confirmation, the
//! environment's name typed for production, nothing for a refusal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};

use crate::ops::{Confirmation, Verdict};
use crate::tui::theme::Theme;

/// What the person has answered so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// The names to type (production's), empty for a plain `y`.
    names: Vec<String>,
    /// Why the policy refuses, when it does.
    refused: Option<String>,
    typed: String,
}

/// What a key did to the confirmation.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    Pending,
    Confirmed(Confirmation),
    Declined,
    /// Enter on something else than the names to type (which it says).
    Mistyped(String),
}

impl Confirm {
    /// The confirmation the verdicts of one or more plans ask for: the strictest of them,
    /// every name to type once. Refused only when every plan is.
    pub fn for_verdicts<'a>(verdicts: impl IntoIterator<Item = &'a Verdict>) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut refused = None;
        let mut allowed = false;
        for verdict in verdicts {
            match verdict {
                Verdict::Allow | Verdict::Confirm => allowed = true,
                Verdict::ConfirmTyped { expected } => {
                    allowed = true;
                    if !names.contains(expected) {
                        names.push(expected.clone());
                    }
                }
                Verdict::Deny { reason } => {
                    refused.get_or_insert_with(|| reason.clone());
                }
            }
        }
        Self {
            names,
            refused: refused.filter(|_| !allowed),
            typed: String::new(),
        }
    }

    pub fn for_verdict(verdict: &Verdict) -> Self {
        Self::for_verdicts([verdict])
    }

    /// Whether a name must be typed (then letters are typed, not keys).
    pub fn typing(&self) -> bool {
        self.refused.is_none() && !self.names.is_empty()
    }

    pub fn key(&mut self, key: KeyEvent) -> Answer {
        if self.refused.is_some() || key.code == KeyCode::Esc {
            return Answer::Declined;
        }
        if !self.typing() {
            return match key.code {
                KeyCode::Char('y') | KeyCode::Enter => Answer::Confirmed(Confirmation::Yes),
                KeyCode::Char('n') => Answer::Declined,
                _ => Answer::Pending,
            };
        }
        let expected = self.names.join(" ");
        match key.code {
            KeyCode::Enter if self.typed.trim().eq_ignore_ascii_case(&expected) => {
                Answer::Confirmed(Confirmation::Typed(self.typed.trim().to_string()))
            }
            KeyCode::Enter => Answer::Mistyped(expected),
            KeyCode::Backspace => {
                self.typed.pop();
                Answer::Pending
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.typed.push(c);
                Answer::Pending
            }
            _ => Answer::Pending,
        }
    }

    /// The card's last line: what to press or type.
    pub fn line(&self, theme: &Theme, what: &str) -> Line<'static> {
        if let Some(reason) = &self.refused {
            return Line::from(vec![
                Span::styled(format!("Refused: {reason}"), theme.error()),
                Span::styled("   any key closes", theme.dim()),
            ]);
        }
        if self.typing() {
            return Line::from(vec![
                Span::styled(
                    format!("Type {} to {what}: ", self.names.join(" ")),
                    theme.warning(),
                ),
                Span::styled(self.typed.clone(), theme.text()),
                Span::styled("▏", theme.accent()),
                Span::styled("   enter run · esc cancel", theme.dim()),
            ]);
        }
        Line::from(vec![
            Span::styled("y", theme.accent()),
            Span::styled(format!(" {what}  "), theme.dim()),
            Span::styled("n", theme.accent()),
            Span::styled(" cancel", theme.dim()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(confirm: &mut Confirm, code: KeyCode) -> Answer {
        confirm.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn the_strictest_verdict_decides_and_each_name_is_typed_once() {
        let typed = |env: &str| Verdict::ConfirmTyped {
            expected: env.into(),
        };
        let mut c = Confirm::for_verdicts(&[Verdict::Confirm, typed("prod"), typed("prod")]);
        assert_eq!(
            press(&mut c, KeyCode::Char('y')),
            Answer::Pending,
            "y is a letter"
        );
        press(&mut c, KeyCode::Backspace);
        assert_eq!(
            press(&mut c, KeyCode::Enter),
            Answer::Mistyped("prod".into())
        );
        for ch in "PROD".chars() {
            press(&mut c, KeyCode::Char(ch));
        }
        assert_eq!(
            press(&mut c, KeyCode::Enter),
            Answer::Confirmed(Confirmation::Typed("PROD".into()))
        );

        let mut plain = Confirm::for_verdict(&Verdict::Confirm);
        assert_eq!(press(&mut plain, KeyCode::Char('x')), Answer::Pending);
        assert_eq!(
            press(&mut plain, KeyCode::Char('y')),
            Answer::Confirmed(Confirmation::Yes)
        );
        let deny = Verdict::Deny {
            reason: "read-only".into(),
        };
        let mut refused = Confirm::for_verdict(&deny);
        assert_eq!(press(&mut refused, KeyCode::Char('y')), Answer::Declined);
        // One refused plan among allowed ones does not refuse them all.
        assert!(!Confirm::for_verdicts(&[deny, Verdict::Confirm]).typing());
    }
}
