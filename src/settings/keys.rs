//! Key bindings as the settings file spells them (`q`, `ctrl-r`, `shift-tab`, `f5`), as
//! plain data: the console maps them onto terminal events.

use std::fmt;

use serde::Deserialize;

/// The actions a key can be bound to. The operations' default keys and help lines are in
/// the operation catalogue (`ops::catalogue`); the console's own are in its keymap.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
pub enum KeyAction {
    Up,
    Down,
    Collapse,
    Expand,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Select,
    NextPane,
    Filter,
    Palette,
    Help,
    Quit,
    Refresh,
    Servers,
    Deploy,
    ForceDeploy,
    Restart,
    /// Stop a running resource, start a stopped one.
    StopStart,
    Cancel,
    Promote,
    Rollback,
    /// The selected application's environment variables, masked.
    Env,
    /// The agent pane.
    Agent,
    /// The log pane.
    Follow,
    Wrap,
    Timestamps,
    Hidden,
    NextMatch,
    PrevMatch,
    Save,
    Copy,
    Mark,
    Fullscreen,
    History,
    RuntimeLogs,
    /// The pipeline view: each project's dev, staging and prod side by side.
    Pipeline,
    /// The deployments view: every queued, running and recent deployment.
    Deployments,
    /// Mark an application for one deploy, restart or stop of several.
    Pick,
    /// The audit view: the journal of operations, an entry at a time.
    Audit,
    /// The operations started here, running and recent (`:ops`).
    Operations,
    /// The config view: the platform configuration of the selected environment against
    /// the server.
    Config,
    /// Apply what the config view shows (the operation catalogue's `config apply`).
    Apply,
}

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Home,
    End,
    PageUp,
    PageDown,
    Up,
    Down,
    Left,
    Right,
    F(u8),
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl Chord {
    pub const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    pub const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }
}

/// Parse `q`, `G`, `ctrl-c`, `alt+enter`, `shift-tab`, `pgdn`, `f5`, `space`.
pub fn parse_chord(raw: &str) -> Result<Chord, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("an empty key".into());
    }
    let mut chord = Chord::plain(KeyCode::Esc);
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some((prefix, tail)) = [
            "ctrl-", "ctrl+", "c-", "alt-", "alt+", "m-", "shift-", "shift+", "s-",
        ]
        .iter()
        .find(|p| lower.starts_with(**p) && rest.len() > p.len())
        .map(|p| (*p, &rest[p.len()..])) else {
            break;
        };
        match prefix.chars().next() {
            Some('c') => chord.ctrl = true,
            Some('a' | 'm') => chord.alt = true,
            _ => chord.shift = true,
        }
        rest = tail;
    }
    let mut chars = rest.chars();
    chord.code = match (chars.next(), chars.next()) {
        (Some(c), None) => KeyCode::Char(if chord.ctrl {
            c.to_ascii_lowercase()
        } else {
            c
        }),
        _ => match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if chord.shift => {
                chord.shift = false;
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "space" => KeyCode::Char(' '),
            f if f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                return Err(format!(
                    "unknown key '{text}' (expected a character or enter, esc, tab, backspace, delete, insert, home, end, pageup, pagedown, up, down, left, right, space, f1-f24, with ctrl-, alt- or shift- in front)"
                ));
            }
        },
    };
    if let KeyCode::Char(c) = chord.code
        && chord.shift
        && c.is_ascii_alphabetic()
    {
        chord.code = KeyCode::Char(c.to_ascii_uppercase());
        chord.shift = false;
    }
    Ok(chord)
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_spellings() {
        assert_eq!(parse_chord("q").unwrap(), Chord::plain(KeyCode::Char('q')));
        assert_eq!(parse_chord("ctrl-C").unwrap(), Chord::ctrl('c'));
        assert_eq!(parse_chord("C-c").unwrap(), Chord::ctrl('c'));
        assert_eq!(
            parse_chord("shift-d").unwrap(),
            Chord::plain(KeyCode::Char('D'))
        );
        assert_eq!(
            parse_chord("shift-tab").unwrap(),
            Chord::plain(KeyCode::BackTab)
        );
        assert_eq!(
            parse_chord("PgDn").unwrap(),
            Chord::plain(KeyCode::PageDown)
        );
        assert_eq!(parse_chord("f5").unwrap(), Chord::plain(KeyCode::F(5)));
        assert_eq!(
            parse_chord("space").unwrap(),
            Chord::plain(KeyCode::Char(' '))
        );
        assert_eq!(parse_chord("-").unwrap(), Chord::plain(KeyCode::Char('-')));
        let alt_enter = parse_chord("alt+enter").unwrap();
        assert!(alt_enter.alt && alt_enter.code == KeyCode::Enter);
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        assert!(
            parse_chord("hyper-q")
                .unwrap_err()
                .contains("unknown key 'hyper-q'")
        );
        assert!(parse_chord("f99").is_err());
        assert!(parse_chord("").is_err());
    }

    #[test]
    fn display_reads_back() {
        for raw in ["q", "ctrl-r", "shift-tab", "f5", "space", "enter", "G"] {
            let chord = parse_chord(raw).unwrap();
            assert_eq!(parse_chord(&chord.to_string()).unwrap(), chord, "{raw}");
        }
    }
}
