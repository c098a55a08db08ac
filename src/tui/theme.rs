//! Themes: built-in ones compiled in from `themes/`, user ones (full or partial) from the
//! config directory, all degraded to what the terminal can show.
//!
//! Every theme sets the whole screen's colours: its `background` and `text` make the base
//! style ([`Theme::base`]) to lay under everything, so a light theme stays readable on a
//! dark terminal and the other way round. Every built-in theme sets both (the colourless
//! `mono` sets them to the terminal's own, `reset`), and a user theme that leaves one out
//! takes it from its base, which always ends in a built-in theme.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// How many user themes may stand on one another before the chain is cut (at a built-in).
const MAX_BASES: usize = 4;

const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.yaml")),
    ("light", include_str!("../../themes/light.yaml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.yaml"),
    ),
    ("mono", include_str!("../../themes/mono.yaml")),
];

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    TrueColor,
    Ansi256,
    Ansi16,
    /// `NO_COLOR` is set: no colour at all.
    None,
}

impl Depth {
    /// From `NO_COLOR`, `COLORTERM` and `TERM`.
    pub fn detect() -> Self {
        Self::from_env(|k| std::env::var(k).ok())
    }

    fn from_env(var: impl Fn(&str) -> Option<String>) -> Self {
        if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return Self::None;
        }
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return Self::TrueColor;
        }
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        if term.contains("256") || term.contains("direct") || term == "xterm-kitty" {
            Self::Ansi256
        } else {
            Self::Ansi16
        }
    }
}

/// A theme file: every slot optional so a user theme can override a few over its `base`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    base: Option<String>,
    background: Option<ColorSpec>,
    text: Option<ColorSpec>,
    dim: Option<ColorSpec>,
    accent: Option<ColorSpec>,
    border: Option<ColorSpec>,
    border_focus: Option<ColorSpec>,
    selection_bg: Option<ColorSpec>,
    selection_fg: Option<ColorSpec>,
    header_bg: Option<ColorSpec>,
    header_fg: Option<ColorSpec>,
    ok: Option<ColorSpec>,
    warning: Option<ColorSpec>,
    error: Option<ColorSpec>,
    deploying: Option<ColorSpec>,
    unknown: Option<ColorSpec>,
    changed: Option<ColorSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct ColorSpec(Color);

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Index(u8),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Index(i) => Ok(Self(Color::Indexed(i))),
            Raw::Text(s) if s.eq_ignore_ascii_case("reset") => Ok(Self(Color::Reset)),
            Raw::Text(s) => s.parse::<Color>().map(Self).map_err(|_| {
                serde::de::Error::custom(format!(
                    "'{s}' is not a colour (use #rrggbb, a colour name, 0-255 or reset)"
                ))
            }),
        }
    }
}

/// A ready-to-use theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    /// No colours: emphasis by modifiers only.
    pub mono: bool,
    /// The whole screen's background; `text` is its foreground.
    background: Color,
    text: Color,
    dim: Color,
    accent: Color,
    border: Color,
    border_focus: Color,
    selection_bg: Color,
    selection_fg: Color,
    header_bg: Color,
    header_fg: Color,
    ok: Color,
    warning: Color,
    error: Color,
    deploying: Color,
    unknown: Color,
    changed: Color,
}

/// A theme that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("no theme named '{name}'; available: {available}")]
    Unknown { name: String, available: String },
    #[error("theme file {}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl Theme {
    /// Built-in theme names, then the user's (`<config>/themes/*.yaml`).
    pub fn names(user_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        if let Some(entries) = user_dir.and_then(|d| std::fs::read_dir(d).ok()) {
            let mut user: Vec<String> = entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let path = e.path();
                    (path.extension()? == "yaml")
                        .then(|| path.file_stem()?.to_str().map(str::to_string))?
                })
                .filter(|n| !names.contains(n))
                .collect();
            user.sort();
            names.extend(user);
        }
        names
    }

    /// Load a theme by name and fit it to the terminal's colour depth.
    pub fn load(name: &str, user_dir: Option<&Path>, depth: Depth) -> Result<Self, ThemeError> {
        let file = Self::file(name, user_dir, 0)?;
        let mut theme = Self::from_file(name, file);
        theme.fit(depth);
        Ok(theme)
    }

    /// The theme every run can fall back to.
    pub fn fallback(depth: Depth) -> Self {
        let mut theme = Self::from_file("default", builtin_file("default").unwrap_or_default());
        theme.fit(depth);
        theme
    }

    /// The slots of theme `name`: a user theme over its base (itself resolved the same way,
    /// up to [`MAX_BASES`] deep), or a built-in one. Every chain ends in a built-in theme, so
    /// every slot a built-in theme sets (the background among them) is set.
    fn file(name: &str, user_dir: Option<&Path>, depth: usize) -> Result<ThemeFile, ThemeError> {
        let user_path = user_dir.map(|d| d.join(format!("{name}.yaml")));
        let Some(path) = user_path.filter(|p| p.is_file()) else {
            return builtin_file(name).ok_or_else(|| ThemeError::Unknown {
                name: name.to_string(),
                available: Self::names(user_dir).join(", "),
            });
        };
        let invalid = |message: String| ThemeError::Invalid {
            path: path.clone(),
            message,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| invalid(e.to_string()))?;
        let file: ThemeFile = yaml_serde::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        let base_name = file.base.clone().unwrap_or_else(|| "default".into());
        let base = if base_name != name && depth < MAX_BASES {
            Self::file(&base_name, user_dir, depth + 1)?
        } else {
            // A user theme on the built-in theme of its own name (`light.yaml` with
            // `base: light`), or a chain of bases too long or going round: the built-in one.
            builtin_file(&base_name)
                .or_else(|| builtin_file("default"))
                .unwrap_or_default()
        };
        Ok(overlay(file, base))
    }

    fn from_file(name: &str, f: ThemeFile) -> Self {
        let c = |spec: Option<ColorSpec>| spec.map(|s| s.0).unwrap_or(Color::Reset);
        let mut theme = Self {
            name: name.to_string(),
            mono: false,
            background: c(f.background),
            text: c(f.text),
            dim: c(f.dim),
            accent: c(f.accent),
            border: c(f.border),
            border_focus: c(f.border_focus),
            selection_bg: c(f.selection_bg),
            selection_fg: c(f.selection_fg),
            header_bg: c(f.header_bg),
            header_fg: c(f.header_fg),
            ok: c(f.ok),
            warning: c(f.warning),
            error: c(f.error),
            deploying: c(f.deploying),
            unknown: c(f.unknown),
            changed: c(f.changed),
        };
        theme.mono = theme.colors().iter().all(|c| **c == Color::Reset);
        theme
    }

    fn colors(&mut self) -> [&mut Color; 16] {
        [
            &mut self.background,
            &mut self.text,
            &mut self.dim,
            &mut self.accent,
            &mut self.border,
            &mut self.border_focus,
            &mut self.selection_bg,
            &mut self.selection_fg,
            &mut self.header_bg,
            &mut self.header_fg,
            &mut self.ok,
            &mut self.warning,
            &mut self.error,
            &mut self.deploying,
            &mut self.unknown,
            &mut self.changed,
        ]
    }

    /// Degrade every colour to what the terminal shows.
    fn fit(&mut self, depth: Depth) {
        if depth == Depth::None {
            for c in self.colors() {
                *c = Color::Reset;
            }
            self.mono = true;
            return;
        }
        for c in self.colors() {
            *c = downgrade(*c, depth);
        }
    }

    /// The whole screen's style: the theme's background and its text colour. Paint the
    /// frame with it before drawing the panes, and a popup's area after clearing it.
    pub fn base(&self) -> Style {
        Style::new().bg(self.background).fg(self.text)
    }

    pub fn text(&self) -> Style {
        Style::new().fg(self.text)
    }

    pub fn dim(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::DIM)
        } else {
            Style::new().fg(self.dim)
        }
    }

    pub fn accent(&self) -> Style {
        let style = Style::new().fg(self.accent);
        if self.mono {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.mono) {
            (true, true) => Style::new().add_modifier(Modifier::BOLD),
            (true, false) => Style::new().fg(self.border_focus),
            (false, _) => Style::new().fg(self.border),
        }
    }

    pub fn selection(&self) -> Style {
        if self.mono || self.selection_bg == Color::Reset {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().bg(self.selection_bg).fg(self.selection_fg)
        }
    }

    pub fn header(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().bg(self.header_bg).fg(self.header_fg)
        }
    }

    pub fn ok(&self) -> Style {
        Style::new().fg(self.ok)
    }

    pub fn warning(&self) -> Style {
        let style = Style::new().fg(self.warning);
        if self.mono {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    pub fn error(&self) -> Style {
        let style = Style::new().fg(self.error);
        if self.mono {
            style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            style
        }
    }

    pub fn deploying(&self) -> Style {
        let style = Style::new().fg(self.deploying);
        if self.mono {
            style.add_modifier(Modifier::ITALIC)
        } else {
            style
        }
    }

    pub fn unknown(&self) -> Style {
        if self.mono {
            self.dim()
        } else {
            Style::new().fg(self.unknown)
        }
    }

    /// A status that changed a moment ago.
    pub fn changed(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        } else {
            Style::new().fg(self.changed).add_modifier(Modifier::BOLD)
        }
    }
}

fn builtin_file(name: &str) -> Option<ThemeFile> {
    let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    yaml_serde::from_str(text).ok()
}

/// User slots over the base theme's.
fn overlay(top: ThemeFile, base: ThemeFile) -> ThemeFile {
    ThemeFile {
        base: None,
        background: top.background.or(base.background),
        text: top.text.or(base.text),
        dim: top.dim.or(base.dim),
        accent: top.accent.or(base.accent),
        border: top.border.or(base.border),
        border_focus: top.border_focus.or(base.border_focus),
        selection_bg: top.selection_bg.or(base.selection_bg),
        selection_fg: top.selection_fg.or(base.selection_fg),
        header_bg: top.header_bg.or(base.header_bg),
        header_fg: top.header_fg.or(base.header_fg),
        ok: top.ok.or(base.ok),
        warning: top.warning.or(base.warning),
        error: top.error.or(base.error),
        deploying: top.deploying.or(base.deploying),
        unknown: top.unknown.or(base.unknown),
        changed: top.changed.or(base.changed),
    }
}

/// The 16 basic colours with their usual RGB values, for the nearest-colour search.
const BASIC: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 49, 49)),
    (Color::Green, (13, 188, 121)),
    (Color::Yellow, (229, 229, 16)),
    (Color::Blue, (36, 114, 200)),
    (Color::Magenta, (188, 63, 188)),
    (Color::Cyan, (17, 168, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (102, 102, 102)),
    (Color::LightRed, (241, 76, 76)),
    (Color::LightGreen, (35, 209, 139)),
    (Color::LightYellow, (245, 245, 67)),
    (Color::LightBlue, (59, 142, 234)),
    (Color::LightMagenta, (214, 112, 214)),
    (Color::LightCyan, (41, 184, 219)),
    (Color::White, (255, 255, 255)),
];

fn downgrade(color: Color, depth: Depth) -> Color {
    let Color::Rgb(r, g, b) = color else {
        return match (color, depth) {
            (Color::Indexed(i), Depth::Ansi16) if i >= 16 => {
                let (r, g, b) = ansi_colours::rgb_from_ansi256(i);
                nearest_basic(r, g, b)
            }
            _ => color,
        };
    };
    match depth {
        Depth::TrueColor => color,
        Depth::Ansi256 => Color::Indexed(ansi_colours::ansi256_from_rgb((r, g, b))),
        Depth::Ansi16 | Depth::None => nearest_basic(r, g, b),
    }
}

fn nearest_basic(r: u8, g: u8, b: u8) -> Color {
    let distance = |(br, bg, bb): (u8, u8, u8)| {
        let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2);
        d(r, br) + d(g, bg) + d(b, bb)
    };
    BASIC
        .iter()
        .min_by_key(|(_, rgb)| distance(*rgb))
        .map(|(c, _)| *c)
        .unwrap_or(Color::Reset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_loads_completely() {
        for (name, _) in BUILTIN {
            let file = builtin_file(name).unwrap_or_else(|| panic!("{name} parses"));
            let theme = Theme::from_file(name, file);
            assert_eq!(theme.mono, *name == "mono", "{name}");
        }
        let dark = Theme::load("default", None, Depth::TrueColor).unwrap();
        assert!(matches!(dark.ok().fg, Some(Color::Rgb(..))));
    }

    #[test]
    fn every_builtin_theme_colours_the_whole_screen_at_every_depth() {
        for (name, _) in BUILTIN {
            let file = builtin_file(name).unwrap();
            assert!(file.background.is_some(), "{name} sets a background");
            assert!(file.text.is_some(), "{name} sets a text colour");
            for depth in [Depth::TrueColor, Depth::Ansi256, Depth::Ansi16] {
                let base = Theme::load(name, None, depth).unwrap().base();
                let (bg, fg) = (base.bg.unwrap(), base.fg.unwrap());
                if *name == "mono" {
                    // No colour at all: the terminal's own pair.
                    assert_eq!((bg, fg), (Color::Reset, Color::Reset));
                } else {
                    assert_ne!(bg, Color::Reset, "{name} at {depth:?}: its own background");
                    assert_ne!(bg, fg, "{name} at {depth:?}: text shows on it");
                }
            }
        }
        let light = Theme::load("light", None, Depth::TrueColor).unwrap();
        assert_eq!(light.base().bg, Some(Color::Rgb(0xe1, 0xe2, 0xe7)));
    }

    #[test]
    fn a_user_theme_without_a_background_takes_its_base_one() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(format!("{name}.yaml")), text).unwrap();
        };
        write("on-light", "base: light\nerror: \"#ff0000\"\n");
        write("no-base", "error: \"#ff0000\"\n");
        write("own", "base: light\nbackground: \"#000000\"\n");
        // Named after the built-in it stands on, and two that stand on each other.
        write("light", "base: light\naccent: \"#ff0000\"\n");
        write("ping", "base: pong\n");
        write("pong", "base: ping\n");
        let load = |name: &str| Theme::load(name, Some(dir.path()), Depth::TrueColor).unwrap();
        let builtin = |name: &str| Theme::load(name, None, Depth::TrueColor).unwrap();
        assert_eq!(load("on-light").base(), builtin("light").base());
        assert_eq!(load("no-base").base(), builtin("default").base());
        assert_eq!(load("light").base(), builtin("light").base());
        assert_eq!(load("light").accent().fg, Some(Color::Rgb(255, 0, 0)));
        assert_eq!(load("ping").base(), builtin("default").base());
        let own = load("own");
        assert_eq!(own.base().bg, Some(Color::Rgb(0, 0, 0)));
        assert_eq!(own.base().fg, builtin("light").base().fg);
    }

    #[test]
    fn colours_degrade_with_the_terminal() {
        let t256 = Theme::load("default", None, Depth::Ansi256).unwrap();
        assert!(matches!(t256.ok().fg, Some(Color::Indexed(_))));
        let t16 = Theme::load("default", None, Depth::Ansi16).unwrap();
        assert!(BASIC.iter().any(|(c, _)| Some(*c) == t16.error().fg));
        let none = Theme::load("default", None, Depth::None).unwrap();
        assert!(none.mono);
        assert!(none.selection().add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn depth_follows_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Depth::from_env(env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")])),
            Depth::None
        );
        assert_eq!(
            Depth::from_env(env(&[("COLORTERM", "truecolor")])),
            Depth::TrueColor
        );
        assert_eq!(
            Depth::from_env(env(&[("TERM", "tmux-256color")])),
            Depth::Ansi256
        );
        assert_eq!(Depth::from_env(env(&[("TERM", "xterm")])), Depth::Ansi16);
    }

    #[test]
    fn user_themes_override_part_of_a_base() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.yaml"),
            "base: light\nerror: \"#ff0000\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("broken.yaml"), "eror: red\n").unwrap();
        let mine = Theme::load("mine", Some(dir.path()), Depth::TrueColor).unwrap();
        let light = Theme::load("light", None, Depth::TrueColor).unwrap();
        assert_eq!(mine.error().fg, Some(Color::Rgb(255, 0, 0)));
        assert_eq!(mine.ok(), light.ok());
        let err = Theme::load("broken", Some(dir.path()), Depth::TrueColor).unwrap_err();
        assert!(err.to_string().contains("unknown field `eror`"), "{err}");
        let err = Theme::load("nope", Some(dir.path()), Depth::TrueColor).unwrap_err();
        assert!(
            err.to_string()
                .contains("default, light, high-contrast, mono, broken, mine"),
            "{err}"
        );
    }
}
