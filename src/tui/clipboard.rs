//! Copying to the system clipboard through the terminal: OSC 52 (`ESC ] 52 ; c ; <base64>
//! BEL`), wrapped for tmux passthrough when running inside tmux. Works over SSH because the
//! terminal on the user's side does the copying.
//!
//! The sequence must be written straight to the terminal (not through ratatui's buffer), e.g.
//! `stdout().write_all(clip.sequence.as_bytes())` followed by a flush. Inside tmux the outer
//! terminal only sees it when tmux passes it through (`set -g allow-passthrough on`, tmux
//! 3.3+) or handles OSC 52 itself (`set -g set-clipboard on`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The most base64 sent in one sequence. Terminals cap OSC 52 (xterm and others at about
/// 100,000 bytes); a longer one is dropped whole, so the text is cut to fit instead.
pub const MAX_ENCODED_BYTES: usize = 100_000;

/// The most text (in bytes) that fits in [`MAX_ENCODED_BYTES`] of base64.
pub const MAX_TEXT_BYTES: usize = MAX_ENCODED_BYTES / 4 * 3;

/// A ready-to-write clipboard sequence and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clip {
    /// The escape sequence to write to the terminal.
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

/// The OSC 52 sequence that puts `text` on the clipboard, wrapped for tmux when `in_tmux`.
/// Text over [`MAX_TEXT_BYTES`] is cut at the last line break that fits (or, for one huge
/// line, at the last character that fits); [`Clip::truncated`] then says so.
pub fn osc52(text: &str, in_tmux: bool) -> Clip {
    let kept = cap(text, MAX_TEXT_BYTES);
    let payload = STANDARD.encode(kept);
    let osc = format!("\x1b]52;c;{payload}\x07");
    let sequence = if in_tmux {
        // tmux passthrough: every ESC inside is doubled, the whole ended by ST.
        format!("\x1bPtmux;{}\x1b\\", osc.replace('\x1b', "\x1b\x1b"))
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

/// [`osc52`] for the terminal this process runs in: tmux when `TMUX` is set.
pub fn osc52_here(text: &str) -> Clip {
    let in_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    osc52(text, in_tmux)
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

    fn decode(sequence: &str) -> String {
        let payload = sequence
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix('\x07'))
            .expect("an OSC 52 sequence");
        String::from_utf8(STANDARD.decode(payload).unwrap()).unwrap()
    }

    #[test]
    fn plain_sequence_carries_the_text_in_base64() {
        let clip = osc52("hello", false);
        assert_eq!(clip.sequence, "\x1b]52;c;aGVsbG8=\x07");
        assert!(!clip.truncated());
        assert_eq!((clip.copied_lines, clip.total_lines), (1, 1));
        let text = "deploy ✓ ünïcödé\nsecond line\n";
        assert_eq!(decode(&osc52(text, false).sequence), text);
        assert_eq!(osc52("", false).sequence, "\x1b]52;c;\x07");
    }

    #[test]
    fn tmux_form_wraps_and_doubles_the_escape() {
        let clip = osc52("hello", true);
        assert_eq!(clip.sequence, "\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\");
    }

    #[test]
    fn long_text_is_cut_at_a_line_break_and_says_so() {
        let line = "x".repeat(99) + "\n";
        let text = line.repeat(2_000); // 200,000 bytes
        let clip = osc52(&text, false);
        assert!(clip.truncated());
        assert_eq!(clip.total_lines, 2_000);
        assert_eq!(clip.copied_lines, MAX_TEXT_BYTES / 100);
        assert_eq!(clip.copied_bytes, clip.copied_lines * 100);
        let payload_len = clip.sequence.len() - "\x1b]52;c;\x07".len();
        assert!(payload_len <= MAX_ENCODED_BYTES, "{payload_len}");
        assert_eq!(decode(&clip.sequence), line.repeat(clip.copied_lines));
    }

    #[test]
    fn one_huge_line_is_cut_at_a_character_boundary() {
        let text = "é".repeat(MAX_TEXT_BYTES); // two bytes each
        let clip = osc52(&text, false);
        assert!(clip.truncated());
        assert_eq!(clip.copied_bytes, MAX_TEXT_BYTES);
        let copied = decode(&clip.sequence);
        assert!(copied.chars().all(|c| c == 'é'));
        let odd = format!("a{text}");
        let clip = osc52(&odd, false);
        assert_eq!(clip.copied_bytes, MAX_TEXT_BYTES - 1);
        assert!(decode(&clip.sequence).starts_with("aé"));
    }
}
