//! Copying to the system clipboard through the terminal: OSC 52 (`ESC ] 52 ; c ; <base64>
//! BEL`). Works over SSH because the terminal on the user's side does the copying.
//!
//! No answer ever comes back, so pftui can say what it sent, never that it arrived. What
//! may take the sequence:
//!
//! - the terminal itself (many allow it, some ask first or need it enabled);
//! - tmux, when the console runs inside it: the plain sequence is taken with
//!   `set -s set-clipboard on` (tmux keeps the text in its paste buffer and passes it on to a
//!   terminal it knows can take it; tmux's default, `external`, ignores it); the
//!   passthrough form (`ESC P tmux; ... ESC \`) is handed to the outer terminal as it is when
//!   the pane allows it (`set -g allow-passthrough on`, tmux 3.3+; older tmux always does).
//!
//! So the plain sequence is always sent, and inside tmux the passthrough form too unless
//! tmux said passthrough is off. Whether it is off is asked of tmux in the background after
//! each copy ([`Terminal::refresh`]), never while the screen waits; until the first answer
//! both forms go (tmux drops a passthrough it does not allow, so the extra one is harmless).
//!
//! The sequence must be written straight to the terminal (not through ratatui's buffer), e.g.
//! `stdout().write_all(clip.sequence.as_bytes())` followed by a flush.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The most base64 sent in one sequence. Terminals cap OSC 52 (xterm and others at about
/// 100,000 bytes); a longer one is dropped whole, so the text is cut to fit instead.
pub const MAX_ENCODED_BYTES: usize = 100_000;

/// The most text (in bytes) that fits in [`MAX_ENCODED_BYTES`] of base64.
pub const MAX_TEXT_BYTES: usize = MAX_ENCODED_BYTES / 4 * 3;

/// How long tmux may take to say whether it allows passthrough.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// A ready-to-write clipboard sequence and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clip {
    /// The escape sequence(s) to write to the terminal.
    pub sequence: String,
    /// Bytes of the text that were copied.
    pub copied_bytes: usize,
    /// Bytes of the text that was asked for.
    pub total_bytes: usize,
    /// Lines copied and lines asked for (a final line without a newline counts).
    pub copied_lines: usize,
    pub total_lines: usize,
}

impl Clip {
    /// The text was longer than the cap and only its beginning was copied.
    pub fn truncated(&self) -> bool {
        self.copied_bytes < self.total_bytes
    }
}

/// Whether tmux hands a passthrough sequence on to the outer terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passthrough {
    Allowed,
    Refused,
    /// Not asked yet, or no clear answer.
    Unknown,
}

impl Passthrough {
    /// From tmux's `#{allow-passthrough}`: `1`, `on` or `all` allow it, `0` or `off` refuse
    /// it; anything else (an older tmux without the option prints nothing) is unknown.
    pub fn parse(answer: &str) -> Self {
        match answer.trim() {
            "1" | "on" | "all" => Self::Allowed,
            "0" | "off" => Self::Refused,
            _ => Self::Unknown,
        }
    }

    fn to_u8(self) -> u8 {
        match self {
            Self::Unknown => 0,
            Self::Allowed => 1,
            Self::Refused => 2,
        }
    }

    fn from_u8(n: u8) -> Self {
        match n {
            1 => Self::Allowed,
            2 => Self::Refused,
            _ => Self::Unknown,
        }
    }
}

/// What lies between pftui and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The terminal itself.
    Direct,
    /// tmux, with what is known of its passthrough.
    Tmux(Passthrough),
}

impl Route {
    /// Whether the passthrough form goes too: inside tmux, unless tmux said it is off.
    pub fn wraps(self) -> bool {
        matches!(
            self,
            Self::Tmux(Passthrough::Allowed | Passthrough::Unknown)
        )
    }
}

/// The OSC 52 sequence that puts `text` on the clipboard, followed by its tmux passthrough
/// form when the route [wraps](Route::wraps). Text over [`MAX_TEXT_BYTES`] is cut as
/// [`fit`] does; [`Clip::truncated`] then says so.
pub fn osc52(text: &str, route: Route) -> Clip {
    let kept = fit(text);
    let payload = STANDARD.encode(kept);
    let osc = format!("\x1b]52;c;{payload}\x07");
    let sequence = if route.wraps() {
        // tmux passthrough: every ESC inside is doubled, the whole ended by ST.
        let wrapped = format!("\x1bPtmux;{}\x1b\\", osc.replace('\x1b', "\x1b\x1b"));
        osc + &wrapped
    } else {
        osc
    };
    Clip {
        sequence,
        copied_bytes: kept.len(),
        total_bytes: text.len(),
        copied_lines: count_lines(kept),
        total_lines: count_lines(text),
    }
}

/// [`Terminal::osc52`] for this process's terminal ([`here`]), then [`Terminal::refresh`]:
/// inside tmux, the passthrough question is asked again in the background for the next copy.
pub fn osc52_here(text: &str) -> Clip {
    let terminal = here();
    let clip = terminal.osc52(text);
    terminal.refresh();
    clip
}

/// The terminal this process writes to, as its environment says (`TMUX`, `TMUX_PANE`) and
/// tmux answered; read from the environment once.
pub fn here() -> &'static Terminal {
    static HERE: OnceLock<Terminal> = OnceLock::new();
    HERE.get_or_init(|| Terminal::from_env(|k| std::env::var(k).ok()))
}

/// The console's terminal: inside tmux or not, and what tmux last said of passthrough.
#[derive(Debug, Default)]
pub struct Terminal {
    /// `TMUX` (the server's socket, then its pid and session) when inside tmux.
    tmux: Option<String>,
    /// `TMUX_PANE`: the pane pftui runs in (passthrough is a pane option).
    pane: Option<String>,
    /// The last answer, as [`Passthrough::to_u8`].
    passthrough: AtomicU8,
    /// A question to tmux is out.
    probing: AtomicBool,
}

impl Terminal {
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Self {
        let set = |k: &str| var(k).filter(|v| !v.is_empty());
        Self {
            tmux: set("TMUX"),
            pane: set("TMUX_PANE"),
            ..Self::default()
        }
    }

    pub fn route(&self) -> Route {
        match self.tmux {
            Some(_) => Route::Tmux(Passthrough::from_u8(
                self.passthrough.load(Ordering::Relaxed),
            )),
            None => Route::Direct,
        }
    }

    /// [`osc52`] along this terminal's route.
    pub fn osc52(&self, text: &str) -> Clip {
        osc52(text, self.route())
    }

    /// Ask tmux, in the background, whether the pane allows passthrough; the answer serves
    /// the next copy. One question at a time; nothing is asked outside tmux or without a
    /// tokio runtime.
    pub fn refresh(&'static self) {
        if self.tmux.is_none() || self.probing.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.probing.store(false, Ordering::Release);
            return;
        };
        runtime.spawn(async move {
            let answer = self.probe().await;
            if answer != Passthrough::Unknown {
                self.passthrough.store(answer.to_u8(), Ordering::Relaxed);
            }
            self.probing.store(false, Ordering::Release);
        });
    }

    /// `tmux display-message -p '#{allow-passthrough}'` for this pane, on the server of
    /// `TMUX`, given [`PROBE_TIMEOUT`] to answer. Outside tmux, on any failure or on a
    /// timeout: unknown.
    pub async fn probe(&self) -> Passthrough {
        let Some(server) = &self.tmux else {
            return Passthrough::Unknown;
        };
        let mut cmd = tokio::process::Command::new("tmux");
        cmd.env("TMUX", server).arg("display-message").arg("-p");
        if let Some(pane) = &self.pane {
            cmd.arg("-t").arg(pane);
        }
        cmd.arg("#{allow-passthrough}")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        match tokio::time::timeout(PROBE_TIMEOUT, cmd.output()).await {
            Ok(Ok(out)) if out.status.success() => {
                Passthrough::parse(&String::from_utf8_lossy(&out.stdout))
            }
            _ => Passthrough::Unknown,
        }
    }
}

/// The part of `text` one sequence carries: all of it when it fits in [`MAX_TEXT_BYTES`],
/// else its beginning cut at the last line break that fits (or, for one huge line, at the
/// last character that fits).
pub fn fit(text: &str) -> &str {
    cap(text, MAX_TEXT_BYTES)
}

/// The longest prefix of `text` of at most `max` bytes, ending after a newline when there
/// is one in it, else at a character boundary.
fn cap(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    match head.rfind('\n') {
        Some(i) => &text[..=i],
        None => head,
    }
}

fn count_lines(text: &str) -> usize {
    text.lines().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN_HELLO: &str = "\x1b]52;c;aGVsbG8=\x07";
    const WRAPPED_HELLO: &str = "\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\";

    fn decode(sequence: &str) -> String {
        let payload = sequence
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix('\x07'))
            .expect("an OSC 52 sequence");
        String::from_utf8(STANDARD.decode(payload).unwrap()).unwrap()
    }

    #[test]
    fn plain_sequence_carries_the_text_in_base64() {
        let clip = osc52("hello", Route::Direct);
        assert_eq!(clip.sequence, PLAIN_HELLO);
        assert!(!clip.truncated());
        assert_eq!((clip.copied_lines, clip.total_lines), (1, 1));
        let text = "deploy ✓ ünïcödé\nsecond line\n";
        assert_eq!(decode(&osc52(text, Route::Direct).sequence), text);
        assert_eq!(osc52("", Route::Direct).sequence, "\x1b]52;c;\x07");
    }

    #[test]
    fn inside_tmux_the_plain_form_goes_first_and_the_passthrough_form_unless_refused() {
        let allowed = osc52("hello", Route::Tmux(Passthrough::Allowed));
        assert_eq!(allowed.sequence, format!("{PLAIN_HELLO}{WRAPPED_HELLO}"));
        let unknown = osc52("hello", Route::Tmux(Passthrough::Unknown));
        assert_eq!(unknown.sequence, allowed.sequence);
        let refused = osc52("hello", Route::Tmux(Passthrough::Refused));
        assert_eq!(refused.sequence, PLAIN_HELLO);
    }

    #[test]
    fn tmux_answers_are_read_leniently() {
        for (answer, expected) in [
            ("1\n", Passthrough::Allowed),
            ("on", Passthrough::Allowed),
            ("all\n", Passthrough::Allowed),
            ("0\n", Passthrough::Refused),
            ("off", Passthrough::Refused),
            ("\n", Passthrough::Unknown),
            ("what", Passthrough::Unknown),
        ] {
            assert_eq!(Passthrough::parse(answer), expected, "{answer:?}");
            assert_eq!(Passthrough::from_u8(expected.to_u8()), expected);
        }
    }

    #[test]
    fn the_route_comes_from_the_environment_and_the_last_answer() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Terminal::from_env(env(&[])).route(), Route::Direct);
        assert_eq!(
            Terminal::from_env(env(&[("TMUX", "")])).route(),
            Route::Direct,
            "an empty TMUX is no tmux"
        );
        let inside = Terminal::from_env(env(&[("TMUX", "/tmp/tmux-0/default,1,0")]));
        assert_eq!(inside.route(), Route::Tmux(Passthrough::Unknown));
        inside
            .passthrough
            .store(Passthrough::Refused.to_u8(), Ordering::Relaxed);
        assert_eq!(inside.route(), Route::Tmux(Passthrough::Refused));
        assert_eq!(inside.osc52("hello").sequence, PLAIN_HELLO);
    }

    #[tokio::test]
    async fn outside_tmux_nothing_is_asked() {
        let outside = Terminal::default();
        assert_eq!(outside.probe().await, Passthrough::Unknown);
    }

    #[test]
    fn long_text_is_cut_at_a_line_break_and_says_so() {
        let line = "x".repeat(99) + "\n";
        let text = line.repeat(2_000); // 200,000 bytes
        let clip = osc52(&text, Route::Direct);
        assert!(clip.truncated());
        assert_eq!(clip.total_lines, 2_000);
        assert_eq!(clip.copied_lines, MAX_TEXT_BYTES / 100);
        assert_eq!(clip.copied_bytes, clip.copied_lines * 100);
        assert_eq!(fit(&text).len(), clip.copied_bytes);
        let payload_len = clip.sequence.len() - "\x1b]52;c;\x07".len();
        assert!(payload_len <= MAX_ENCODED_BYTES, "{payload_len}");
        assert_eq!(decode(&clip.sequence), line.repeat(clip.copied_lines));
    }

    #[test]
    fn one_huge_line_is_cut_at_a_character_boundary() {
        let text = "é".repeat(MAX_TEXT_BYTES); // two bytes each
        let clip = osc52(&text, Route::Direct);
        assert!(clip.truncated());
        assert_eq!(clip.copied_bytes, MAX_TEXT_BYTES);
        let copied = decode(&clip.sequence);
        assert!(copied.chars().all(|c| c == 'é'));
        let odd = format!("a{text}");
        let clip = osc52(&odd, Route::Direct);
        assert_eq!(clip.copied_bytes, MAX_TEXT_BYTES - 1);
        assert!(decode(&clip.sequence).starts_with("aé"));
    }
}
