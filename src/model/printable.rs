//! Text from outside (a server, a repository, a model) made safe to show on a terminal.
//!
//! A terminal obeys what it is sent: an escape sequence in a commit message can clear the
//! screen, switch to the alternate screen, move the cursor over what pftui printed before
//! it, or write the clipboard (OSC 52). Whatever such text holds is shown as text only:
//!
//! * escape sequences introduced by ESC (CSI `ESC [`, OSC `ESC ]`, DCS `ESC P`, SOS
//!   `ESC X`, PM `ESC ^`, APC `ESC _`, and the short ones such as `ESC ( B` or `ESC 7`)
//!   and by their 8-bit C1 forms are removed with everything up to their end;
//! * every other control character (C0, DEL, C1) is removed, except that a tab becomes
//!   spaces up to the next multiple of 8 and, in [`printable`], a newline stays;
//! * a carriage return, which would send the cursor back over the line and let the text
//!   after it overwrite what came before (pftui's own words too), is shown as `␍`; one
//!   ending a line (`\r\n`) is dropped;
//! * bidirectional formatting characters (embeddings, overrides, isolates and marks),
//!   which reorder what is shown, are removed.
//!
//! Printed output is sanitised where it is printed; JSON output carries the text exactly.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

const ESC: char = '\x1b';
const BEL: char = '\x07';
/// C1 String Terminator.
const ST: char = '\u{9c}';
/// What a carriage return inside a line is shown as.
const CR_SHOWN: char = '␍';
const TAB_STOP: usize = 8;

/// Text that may span several lines, safe to print: newlines stay, each line is cleaned
/// on its own. Clean text comes back as it is, without copying.
pub fn printable(text: &str) -> Cow<'_, str> {
    if is_clean(text, true) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        clean_line(line, &mut out);
    }
    Cow::Owned(out)
}

/// Text shown on one line (a table cell, a log line), safe to print: a newline becomes a
/// space. Clean text comes back as it is, without copying.
pub fn printable_line(text: &str) -> Cow<'_, str> {
    if is_clean(text, false) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        clean_line(line, &mut out);
    }
    Cow::Owned(out)
}

/// Nothing in `text` needs changing.
fn is_clean(text: &str, newlines: bool) -> bool {
    text.chars().all(|c| {
        if c == '\n' {
            newlines
        } else {
            !c.is_control() && !is_bidi_format(c)
        }
    })
}

/// The explicit bidirectional formatting characters: LRE, RLE, PDF, LRO, RLO, LRI, RLI,
/// FSI, PDI, and the marks LRM, RLM and ALM.
fn is_bidi_format(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
    )
}

/// Append one line (no `\n` in it) of `text`, cleaned, to `out`.
fn clean_line(line: &str, out: &mut String) {
    let line = line.trim_end_matches('\r');
    let mut column = 0;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                // nF escapes: intermediates, then one final character.
                Some('\x20'..='\x2f') => {
                    for c in chars.by_ref() {
                        if !('\x20'..='\x2f').contains(&c) {
                            break;
                        }
                    }
                }
                // Fp, Fe and Fs escapes are two characters; a lone ESC goes alone.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\r' => {
                out.push(CR_SHOWN);
                column += 1;
            }
            '\t' => {
                let n = TAB_STOP - column % TAB_STOP;
                out.extend(std::iter::repeat_n(' ', n));
                column += n;
            }
            c if c.is_control() || is_bidi_format(c) => {}
            c => {
                out.push(c);
                column += c.width().unwrap_or(0);
            }
        }
    }
}

/// Skip a control sequence's parameters and intermediates, up to and with its final
/// character.
fn skip_csi(chars: &mut impl Iterator<Item = char>) {
    for c in chars {
        if ('\x40'..='\x7e').contains(&c) {
            break;
        }
    }
}

/// Skip a control string (OSC, DCS, SOS, PM, APC) up to and with its terminator: BEL,
/// `ESC \` or ST.
fn skip_string(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) {
    while let Some(c) = chars.next() {
        match c {
            BEL | ST => return,
            ESC if chars.peek() == Some(&'\\') => {
                chars.next();
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the issue's reproductions put in commit messages and logs.
    const OSC52: &str = "fix\x1b]52;c;cm0gLXJmIH4=\x07 typo";
    const CLEAR: &str = "\x1b[2J\x1b[Hcleared";
    const ALT_SCREEN: &str = "\x1b[?1049hhidden";
    const OVERWRITE: &str = "rm -rf /\rharmless";
    const BIDI: &str = "invoice\u{202e}gpj.exe";

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(printable_line(OSC52), "fix typo");
        assert_eq!(printable_line(CLEAR), "cleared");
        assert_eq!(printable_line(ALT_SCREEN), "hidden");
        assert_eq!(printable_line("\x1b[1;31mred\x1b[0m text"), "red text");
        assert_eq!(
            printable_line("\x1b]8;;http://x\x1b\\link\x1b]8;;\x07"),
            "link"
        );
        assert_eq!(printable_line("\x1bP+q544e\x1b\\dcs"), "dcs");
        assert_eq!(
            printable_line("\x1b_apc\x1b\\\x1b^pm\x07\x1bXsos\x07ok"),
            "ok"
        );
        assert_eq!(
            printable_line("\x1b(Bcharset \x1b7saved\x1b8"),
            "charset saved"
        );
        assert_eq!(printable_line("\x1bcreset"), "reset");
        assert_eq!(printable_line("lone\x1b"), "lone");
        // An unterminated string swallows the rest of the line, never the next one.
        assert_eq!(printable("\x1b]52;c;abc\nnext"), "\nnext");
    }

    #[test]
    fn eight_bit_forms_are_removed_too() {
        assert_eq!(printable_line("\u{9b}2Jcsi"), "csi");
        assert_eq!(printable_line("\u{9d}52;c;eA==\u{9c}osc"), "osc");
        assert_eq!(printable_line("\u{90}dcs\u{9c}ok\u{85}"), "ok");
    }

    #[test]
    fn control_characters_go_and_tabs_become_spaces() {
        assert_eq!(
            printable_line("bell\x07 back\x08space\x7f\0"),
            "bell backspace"
        );
        assert_eq!(printable_line("a\tb"), "a       b");
        assert_eq!(printable_line("abcdefgh\tb"), "abcdefgh        b");
        assert_eq!(printable_line("界\tb"), "界      b");
    }

    #[test]
    fn a_carriage_return_is_shown_not_obeyed() {
        assert_eq!(printable_line(OVERWRITE), "rm -rf /␍harmless");
        assert_eq!(printable_line("10%\r50%\r100%"), "10%␍50%␍100%");
        assert_eq!(printable("windows\r\nline\r\n"), "windows\nline\n");
        assert_eq!(printable_line("trailing\r"), "trailing");
    }

    #[test]
    fn bidi_formatting_is_removed() {
        assert_eq!(printable_line(BIDI), "invoicegpj.exe");
        assert_eq!(printable_line("\u{2066}a\u{2069}\u{200f}b\u{61c}"), "ab");
    }

    #[test]
    fn newlines_stay_in_text_and_become_spaces_on_one_line() {
        assert_eq!(printable("one\ntwo"), "one\ntwo");
        assert_eq!(printable_line("one\ntwo"), "one two");
        assert_eq!(printable("one\n\x1b[2Jtwo"), "one\ntwo");
    }

    #[test]
    fn clean_text_is_not_copied() {
        for text in ["plain", "unicode ✓ 界", ""] {
            assert!(matches!(printable_line(text), Cow::Borrowed(_)));
        }
        assert!(matches!(printable("a\nb"), Cow::Borrowed(_)));
        assert!(matches!(printable_line("a\nb"), Cow::Owned(_)));
    }

    #[test]
    fn what_comes_out_holds_no_control_or_bidi_character() {
        let mut rng = fastrand::Rng::with_seed(7);
        let alphabet: Vec<char> =
            "\x1b[]P_^X\\\x07\x08\r\n\t;?0123abc✓\u{9b}\u{9c}\u{9d}\u{202e}\u{2066}"
                .chars()
                .collect();
        for _ in 0..5000 {
            let len = rng.usize(0..40);
            let text: String = (0..len)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            let line = printable_line(&text);
            assert!(
                line.chars().all(|c| !c.is_control() && !is_bidi_format(c)),
                "{text:?} -> {line:?}"
            );
            let lines = printable(&text);
            assert!(
                lines
                    .chars()
                    .all(|c| c == '\n' || (!c.is_control() && !is_bidi_format(c))),
                "{text:?} -> {lines:?}"
            );
            assert_eq!(lines.matches('\n').count(), text.matches('\n').count());
        }
    }
}
