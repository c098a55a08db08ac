//! Keys to actions: compiled defaults with the settings file's overrides on top. A key
//! may serve several actions when no mode answers more than one of them (`a` asks the agent
//! in the tree and applies in the config view): the mode picks.

use std::collections::HashMap;

use crossterm::event::{KeyCode as Code, KeyEvent, KeyEventKind, KeyModifiers};

use super::modes::Mode;
use crate::ops::Kind;
use crate::settings::{Chord, KeyAction, KeyCode, KeyList};

/// The console's own default keys before the operations' (which come from the catalogue),
/// in the order the help overlay lists them.
const MOVING: &[(KeyAction, &[&str], &str)] = &[
    (KeyAction::Up, &["k", "up"], "move up"),
    (KeyAction::Down, &["j", "down"], "move down"),
    (
        KeyAction::Collapse,
        &["h", "left"],
        "collapse / go to parent",
    ),
    (KeyAction::Expand, &["l", "right"], "expand"),
    (KeyAction::Top, &["g", "home"], "first row"),
    (KeyAction::Bottom, &["G", "end"], "last row"),
    (KeyAction::PageUp, &["pgup", "ctrl-b"], "page up"),
    (KeyAction::PageDown, &["pgdn", "ctrl-f"], "page down"),
    (KeyAction::Select, &["enter"], "open / toggle"),
    (KeyAction::NextPane, &["tab"], "next pane"),
    (KeyAction::Filter, &["/"], "filter the tree"),
    (KeyAction::Palette, &[":"], "command palette"),
    (KeyAction::Refresh, &["r", "f5"], "refresh now"),
    (
        KeyAction::Servers,
        &["S"],
        "servers view / back to the tree",
    ),
];

/// The console's own default keys after the operations'.
const VIEWING: &[(KeyAction, &[&str], &str)] = &[
    (KeyAction::Env, &["E"], "environment variables (masked)"),
    (KeyAction::Agent, &["a"], "ask the agent"),
    (KeyAction::History, &["H"], "log: deployments list / log"),
    (KeyAction::RuntimeLogs, &["L"], "log: the container's log"),
    (
        KeyAction::Pick,
        &["space"],
        "mark the application for one deploy, restart or stop of several",
    ),
    (
        KeyAction::Pipeline,
        &["P"],
        "pipeline view: dev, staging and prod side by side",
    ),
    (
        KeyAction::Deployments,
        &["J"],
        "deployments view: every deployment, every project",
    ),
    (
        KeyAction::Audit,
        &["A"],
        "audit view: the journal of operations",
    ),
    (
        KeyAction::Operations,
        &["O"],
        "operations started here: their progress, log and result",
    ),
    (
        KeyAction::Config,
        &["C"],
        "config view: the environment's platform configuration against the server",
    ),
    (KeyAction::Follow, &["F"], "log: follow (end)"),
    (KeyAction::Wrap, &["w"], "log: wrap lines"),
    (KeyAction::Timestamps, &["T"], "log: timestamps"),
    (KeyAction::Hidden, &["."], "log: debug lines"),
    (KeyAction::NextMatch, &["n"], "log: next match"),
    (KeyAction::PrevMatch, &["N"], "log: previous match"),
    (KeyAction::Mark, &["v"], "log: mark lines"),
    (KeyAction::Copy, &["y"], "log: copy (OSC 52)"),
    (KeyAction::Save, &["W"], "log: save to a file"),
    (KeyAction::Fullscreen, &["f"], "log: fullscreen"),
    (KeyAction::Help, &["?"], "this help"),
    (KeyAction::Quit, &["q"], "quit"),
];

/// The active bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// The actions of each key, in the order the help lists them.
    bindings: HashMap<Chord, Vec<KeyAction>>,
    keys: Vec<(KeyAction, Vec<Chord>, &'static str)>,
}

impl Keymap {
    /// Defaults, with each overridden action's keys replaced by the user's.
    pub fn new(overrides: &std::collections::BTreeMap<KeyAction, KeyList>) -> Self {
        let operations: Vec<(KeyAction, &[&str], &str)> = Kind::bindings()
            .map(|b| (b.action, std::slice::from_ref(&b.key), b.help))
            .collect();
        let defaults = MOVING.iter().chain(&operations).chain(VIEWING);
        let mut keys: Vec<(KeyAction, Vec<Chord>, &'static str)> = defaults
            .map(|(action, defaults, what)| {
                let chords = match overrides.get(action) {
                    Some(list) => list.0.clone(),
                    None => defaults
                        .iter()
                        .filter_map(|k| crate::settings::parse_chord(k).ok())
                        .collect(),
                };
                (*action, chords, *what)
            })
            .collect();
        // A key the user bound elsewhere leaves the default it shadowed.
        let user: Vec<Chord> = overrides
            .values()
            .flat_map(|l| l.0.iter().copied())
            .collect();
        for (action, chords, _) in &mut keys {
            if !overrides.contains_key(action) {
                chords.retain(|c| !user.contains(c));
            }
        }
        let mut bindings: HashMap<Chord, Vec<KeyAction>> = HashMap::new();
        for (action, chords, _) in &keys {
            for chord in chords {
                bindings.entry(*chord).or_default().push(*action);
            }
        }
        Self { bindings, keys }
    }

    /// What a key does in `mode`: the action of the key the mode answers, or else its
    /// first (for a layer that reads keys of its own).
    pub fn action(&self, key: &KeyEvent, mode: Mode) -> Option<KeyAction> {
        let actions = self.bindings.get(&chord_of(key)?)?;
        actions
            .iter()
            .find(|a| mode.allows(**a))
            .or(actions.first())
            .copied()
    }

    /// The keys of an action, as the footer and help show them (`j/↓`).
    pub fn keys_of(&self, action: KeyAction) -> String {
        self.keys
            .iter()
            .find(|(a, _, _)| *a == action)
            .map(|(_, chords, _)| {
                chords
                    .iter()
                    .map(Chord::to_string)
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    }

    /// The first key of an action (the footer shows one).
    pub fn first_key(&self, action: KeyAction) -> Option<String> {
        self.keys
            .iter()
            .find(|(a, _, _)| *a == action)
            .and_then(|(_, chords, _)| chords.first())
            .map(Chord::to_string)
    }

    /// What an action does, as the help says it.
    pub fn describe(&self, action: KeyAction) -> &'static str {
        self.keys
            .iter()
            .find(|(a, _, _)| *a == action)
            .map_or("", |(_, _, what)| what)
    }
}

/// A terminal key press as a settings chord; `None` for releases and keys pftui ignores.
pub fn chord_of(key: &KeyEvent) -> Option<Chord> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let code = match key.code {
        Code::Char(c) => KeyCode::Char(c),
        Code::Enter => KeyCode::Enter,
        Code::Esc => KeyCode::Esc,
        Code::Tab => KeyCode::Tab,
        Code::BackTab => KeyCode::BackTab,
        Code::Backspace => KeyCode::Backspace,
        Code::Delete => KeyCode::Delete,
        Code::Insert => KeyCode::Insert,
        Code::Home => KeyCode::Home,
        Code::End => KeyCode::End,
        Code::PageUp => KeyCode::PageUp,
        Code::PageDown => KeyCode::PageDown,
        Code::Up => KeyCode::Up,
        Code::Down => KeyCode::Down,
        Code::Left => KeyCode::Left,
        Code::Right => KeyCode::Right,
        Code::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let m = key.modifiers;
    // Shift is part of the character itself (`G`, `?`), not a separate modifier.
    let shift =
        m.contains(KeyModifiers::SHIFT) && !matches!(code, KeyCode::Char(_) | KeyCode::BackTab);
    Some(Chord {
        code: match code {
            KeyCode::Char(c) if m.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        },
        ctrl: m.contains(KeyModifiers::CONTROL),
        alt: m.contains(KeyModifiers::ALT),
        shift,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn key(code: Code, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn defaults_bind_vim_and_arrow_keys() {
        let km = Keymap::new(&BTreeMap::new());
        assert_eq!(
            km.action(&key(Code::Char('j'), KeyModifiers::NONE), Mode::Tree),
            Some(KeyAction::Down)
        );
        assert_eq!(
            km.action(&key(Code::Down, KeyModifiers::NONE), Mode::Tree),
            Some(KeyAction::Down)
        );
        assert_eq!(
            km.action(&key(Code::Char('G'), KeyModifiers::SHIFT), Mode::Tree),
            Some(KeyAction::Bottom)
        );
        assert_eq!(
            km.action(&key(Code::Char('f'), KeyModifiers::CONTROL), Mode::Tree),
            Some(KeyAction::PageDown)
        );
        assert_eq!(km.keys_of(KeyAction::Down), "j/↓");
    }

    #[test]
    fn a_key_of_two_actions_does_what_the_mode_answers() {
        let km = Keymap::new(&BTreeMap::new());
        let a = key(Code::Char('a'), KeyModifiers::NONE);
        assert_eq!(km.action(&a, Mode::Tree), Some(KeyAction::Agent));
        assert_eq!(km.action(&a, Mode::Config), Some(KeyAction::Apply));
        assert_eq!(km.keys_of(KeyAction::Apply), "a", "from the catalogue");
    }

    #[test]
    fn every_action_has_one_default_key_and_a_help_line() {
        let km = Keymap::new(&BTreeMap::new());
        for action in <KeyAction as strum::VariantArray>::VARIANTS {
            let rows = km.keys.iter().filter(|(a, _, _)| a == action).count();
            assert_eq!(rows, 1, "{action:?} is listed once");
            assert!(km.first_key(*action).is_some(), "{action:?} has a key");
        }
        for mode in <Mode as strum::VariantArray>::VARIANTS {
            let chords: Vec<Chord> = km
                .keys
                .iter()
                .filter(|(a, _, _)| mode.allows(*a))
                .flat_map(|(_, c, _)| c.clone())
                .collect();
            for (i, c) in chords.iter().enumerate() {
                assert!(
                    !chords[i + 1..].contains(c),
                    "{c} is bound twice in {mode:?}"
                );
            }
        }
        assert_eq!(
            km.keys_of(KeyAction::ForceDeploy),
            "D",
            "from the catalogue"
        );
    }

    #[test]
    fn overrides_replace_an_action_and_free_the_keys_they_take() {
        let overrides: BTreeMap<KeyAction, KeyList> =
            yaml_serde::from_str("quit: x\nrefresh: q\n").unwrap();
        let km = Keymap::new(&overrides);
        assert_eq!(
            km.action(&key(Code::Char('x'), KeyModifiers::NONE), Mode::Tree),
            Some(KeyAction::Quit)
        );
        assert_eq!(
            km.action(&key(Code::Char('q'), KeyModifiers::NONE), Mode::Tree),
            Some(KeyAction::Refresh)
        );
        assert_eq!(km.keys_of(KeyAction::Refresh), "q");
    }
}
