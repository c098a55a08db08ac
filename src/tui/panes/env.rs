//! The environment card (`E`): an application's variables, masked. Revealing a value asks
//! first, is recorded in the audit journal (who, which variable, never the value) before
//! anything shows, and hides again after [`REVEAL_FOR`] or when the selection moves.

use crossterm::event::{KeyCode, KeyEvent};
use jiff::{SignedDuration, Timestamp};
use ratatui::text::{Line, Span};

use super::Handled;
use crate::model::{Address, EnvVar};
use crate::secrets::ExposeSecret;
use crate::tui::msg::Effect;
use crate::tui::theme::Theme;

/// How long a revealed value stays on screen.
pub const REVEAL_FOR: SignedDuration = SignedDuration::from_secs(15);

/// Where revealing the selected value stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reveal {
    Hidden,
    /// The card asks whether to reveal variable `index`.
    Asking(usize),
    /// Waiting for the audit journal to record it.
    Recording(usize),
    Shown {
        index: usize,
        until: Timestamp,
    },
}

/// The card's state.
#[derive(Debug, Clone)]
pub struct EnvCard {
    /// The application, as the audit record names it.
    pub app: Address,
    vars: Vec<EnvVar>,
    selected: usize,
    pub reveal: Reveal,
}

/// Compared by what is on screen, never by the secret values.
impl PartialEq for EnvCard {
    fn eq(&self, other: &Self) -> bool {
        self.app == other.app
            && self.selected == other.selected
            && self.reveal == other.reveal
            && self.vars.len() == other.vars.len()
            && self
                .vars
                .iter()
                .zip(&other.vars)
                .all(|(a, b)| a.key == b.key && a.is_preview == b.is_preview)
    }
}

impl EnvCard {
    /// The variables of `app`, the ones of preview deployments last, by name.
    pub fn new(app: Address, mut vars: Vec<EnvVar>) -> Self {
        vars.sort_by(|a, b| {
            a.is_preview
                .cmp(&b.is_preview)
                .then_with(|| a.key.cmp(&b.key))
        });
        Self {
            app,
            vars,
            selected: 0,
            reveal: Reveal::Hidden,
        }
    }

    /// A key on the card. Esc (and any key it does not use) closes it: `Ignored`.
    pub fn update(&mut self, key: KeyEvent) -> Handled {
        if let Reveal::Asking(index) = self.reveal {
            self.reveal = Reveal::Hidden;
            return match key.code {
                KeyCode::Char('y') => {
                    self.reveal = Reveal::Recording(index);
                    Handled::Consumed(vec![Effect::RecordReveal {
                        app: self.app.clone(),
                        variable: self.vars[index].key.clone(),
                    }])
                }
                _ => Handled::Consumed(Vec::new()),
            };
        }
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => {
                self.selected = (self.selected + 1).min(self.vars.len().saturating_sub(1));
                self.reveal = Reveal::Hidden;
            }
            KeyCode::Char('k') | KeyCode::Up => {
                self.selected = self.selected.saturating_sub(1);
                self.reveal = Reveal::Hidden;
            }
            KeyCode::Char('r') | KeyCode::Enter => match self.reveal {
                Reveal::Shown { index, .. } if index == self.selected => {
                    self.reveal = Reveal::Hidden
                }
                _ if self
                    .vars
                    .get(self.selected)
                    .is_some_and(|v| v.value.is_some()) =>
                {
                    self.reveal = Reveal::Asking(self.selected)
                }
                _ => {}
            },
            _ => return Handled::Ignored,
        }
        Handled::Consumed(Vec::new())
    }

    /// The journal recorded the reveal (or could not: then nothing shows).
    pub fn recorded(&mut self, ok: bool, now: Timestamp) {
        if let Reveal::Recording(index) = self.reveal {
            self.reveal = if ok {
                Reveal::Shown {
                    index,
                    until: now + REVEAL_FOR,
                }
            } else {
                Reveal::Hidden
            };
        }
    }

    /// Time passed: a value shown long enough hides again. True when that changed the card.
    pub fn tick(&mut self, now: Timestamp) -> bool {
        match self.reveal {
            Reveal::Shown { until, .. } if now >= until => {
                self.reveal = Reveal::Hidden;
                true
            }
            _ => false,
        }
    }

    pub fn lines(&self, theme: &Theme, now: Timestamp) -> Vec<Line<'static>> {
        let name = self.app.resource.as_deref().unwrap_or_default();
        let mut lines = vec![Line::styled(
            format!("Environment of {name}"),
            theme.accent(),
        )];
        // Under the title, where a long list cannot push it off the card.
        lines.push(match self.reveal {
            Reveal::Asking(index) => Line::styled(
                format!(
                    "Reveal the value of {}? It is recorded in the audit journal. y reveal · any other key keeps it hidden",
                    self.vars[index].key
                ),
                theme.warning(),
            ),
            Reveal::Recording(_) => Line::styled("recording in the audit journal…", theme.dim()),
            Reveal::Shown { until, .. } => Line::styled(
                format!(
                    "shown for {}s more · r hides it · j/k move · esc close",
                    until.duration_since(now).as_secs().max(0)
                ),
                theme.dim(),
            ),
            Reveal::Hidden => Line::styled(
                "j/k move · r reveal the selected value (asks, and is audited) · esc close",
                theme.dim(),
            ),
        });
        lines.push(Line::raw(""));
        if self.vars.is_empty() {
            lines.push(Line::styled("no variables", theme.dim()));
        }
        for (i, var) in self.vars.iter().enumerate() {
            let shown = matches!(self.reveal, Reveal::Shown { index, .. } if index == i);
            let value = match &var.value {
                None if var.is_shown_once == Some(true) => {
                    "(shown once: Coolify showed it only when it was set)".to_string()
                }
                None => "(withheld: the token lacks read:sensitive)".to_string(),
                Some(v) if shown => v.expose_secret().to_string(),
                Some(_) => "••••••••".to_string(),
            };
            let flags: Vec<&str> = [
                (var.is_preview, "preview"),
                (var.is_buildtime, "build"),
                (var.is_shown_once, "shown once"),
            ]
            .into_iter()
            .filter(|(flag, _)| *flag == Some(true))
            .map(|(_, name)| name)
            .collect();
            let line = Line::from(vec![
                Span::styled(format!("  {:<28} ", var.key), theme.text()),
                Span::styled(value, if shown { theme.warning() } else { theme.dim() }),
                Span::styled(
                    if flags.is_empty() {
                        String::new()
                    } else {
                        format!("  [{}]", flags.join(", "))
                    },
                    theme.dim(),
                ),
            ]);
            lines.push(if i == self.selected {
                line.style(theme.selection())
            } else {
                line
            });
        }
        lines
    }
}
