//! Keeping secrets out of what pftui writes down or sends: a process-wide registry of secret
//! values (every credential the resolver hands out is registered, for every service), the
//! shapes of secrets pftui was never told about (GitHub tokens, OpenAI and Anthropic keys,
//! Coolify tokens, bearer headers, `password=`/`token=` values, credentials in URLs), a
//! [`redact`] function that masks both, a redacting [`std::io::Write`] wrapper for the
//! trace file, and a panic hook that scrubs panic messages.

use std::borrow::Cow;
use std::io::{self, Write};
use std::panic::PanicHookInfo;
use std::sync::{Arc, LazyLock, Mutex, RwLock};

use regex::bytes::Regex;
use secrecy::{ExposeSecret, SecretString};

/// What a secret is replaced with.
pub const MASK: &str = "[redacted]";

/// Values shorter than this are not registered: masking every "abc" in a log would hide
/// more than it protects.
pub const MIN_LEN: usize = 6;

static KNOWN: RwLock<Vec<SecretString>> = RwLock::new(Vec::new());

/// Remember `secret` so that [`redact`], [`RedactingWriter`] and the panic scrubber hide
/// it. A Coolify token `<id>|<secret>` also registers its secret part.
pub fn register(secret: &SecretString) {
    let value = secret.expose_secret().trim();
    let mut parts = vec![value];
    if let Some((_, tail)) = value.split_once('|') {
        parts.push(tail);
    }
    let Ok(mut known) = KNOWN.write() else {
        return;
    };
    for part in parts {
        if part.len() < MIN_LEN || known.iter().any(|k| k.expose_secret() == part) {
            continue;
        }
        known.push(SecretString::from(part.to_string()));
    }
    // Longest first, so a token is masked whole before its secret part is looked for.
    known.sort_by_key(|k| std::cmp::Reverse(k.expose_secret().len()));
}

/// How many values are registered (for tests and doctor; never the values).
pub fn registered() -> usize {
    KNOWN.read().map(|k| k.len()).unwrap_or(0)
}

/// Secret-shaped text. A match is replaced by [`MASK`], keeping its `keep` group before the
/// mask and its `tail` group after it. ASCII only, so a match never splits a character.
const SHAPES: &[&str] = &[
    // Credentials in a URL: https://user:pass@host keeps the scheme and the host.
    r"(?i-u)(?P<keep>\b[a-z][a-z0-9+.\-]*://)[^\s/?#@'\x22<>]+(?P<tail>@)",
    // An authorization header's credential.
    r"(?i-u)(?P<keep>\bbearer\s+)[A-Za-z0-9._~+/=|\-]{8,}",
    // A query or form value whose key names a secret: password=..., access_token=...
    r"(?i-u)(?P<keep>\b[a-z0-9_\-]*(?:password|passwd|token|secret|api_?key)=)[^\[&\s\x22'<>][^&\s\x22'<>]*",
    // GitHub tokens: classic, OAuth, user-to-server, server-to-server, refresh, fine-grained.
    r"(?-u)\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})",
    // OpenAI and Anthropic keys (sk-..., sk-proj-..., sk-ant-...).
    r"(?-u)\bsk-[A-Za-z0-9_\-]{16,}",
    // Coolify (Laravel Sanctum) tokens: <id>|<40 or more characters>.
    r"(?-u)\b[0-9]+\|[A-Za-z0-9]{40,}",
];

static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    SHAPES
        .iter()
        .map(|pattern| Regex::new(pattern).expect("a constant pattern"))
        .collect()
});

/// A match of a shape, masked.
fn mask_shape(caps: &regex::bytes::Captures<'_>) -> Vec<u8> {
    let part = |name: &str| caps.name(name).map(|m| m.as_bytes()).unwrap_or_default();
    [part("keep"), MASK.as_bytes(), part("tail")].concat()
}

/// `text` with every registered secret and every secret-shaped string replaced by
/// [`MASK`].
pub fn redact(text: &str) -> Cow<'_, str> {
    match redact_bytes(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Only whole registered values and ASCII spans were replaced: still UTF-8.
        Cow::Owned(bytes) => Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
    }
}

/// Bytes with every registered secret and secret-shaped string masked (bytes that are not
/// UTF-8 pass through).
fn redact_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    let mut out = Cow::Borrowed(bytes);
    if let Ok(known) = KNOWN.read() {
        for secret in known.iter() {
            let needle = secret.expose_secret().as_bytes();
            if find(&out, needle).is_none() {
                continue;
            }
            let mut replaced = Vec::with_capacity(out.len());
            let mut rest: &[u8] = &out;
            while let Some(i) = find(rest, needle) {
                replaced.extend_from_slice(&rest[..i]);
                replaced.extend_from_slice(MASK.as_bytes());
                rest = &rest[i + needle.len()..];
            }
            replaced.extend_from_slice(rest);
            out = Cow::Owned(replaced);
        }
    }
    for pattern in PATTERNS.iter() {
        let masked = match pattern.replace_all(&out, mask_shape) {
            Cow::Owned(masked) => Some(masked),
            Cow::Borrowed(_) => None,
        };
        if let Some(masked) = masked {
            out = Cow::Owned(masked);
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A writer that masks registered secrets before they reach `inner`.
///
/// Output is passed on a line at a time, so a secret split across two `write` calls is
/// still caught; a partial last line is held until its newline, [`Write::flush`], or drop.
/// Plug it into tracing with `.with_writer(Mutex::new(RedactingWriter::new(file)))`.
#[derive(Debug)]
pub struct RedactingWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> RedactingWriter<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }

    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    fn pass_lines(&mut self) -> io::Result<()> {
        if let Some(last_newline) = self.pending.iter().rposition(|&b| b == b'\n') {
            let rest = self.pending.split_off(last_newline + 1);
            let lines = std::mem::replace(&mut self.pending, rest);
            self.inner.write_all(&redact_bytes(&lines))?;
        }
        Ok(())
    }
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.pass_lines()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_lines()?;
        if !self.pending.is_empty() {
            let tail = std::mem::take(&mut self.pending);
            self.inner.write_all(&redact_bytes(&tail))?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Install a panic hook that scrubs registered secrets from panic messages.
///
/// Panics whose message holds no registered secret go to the hook that was installed
/// before (unchanged output, backtraces included). A message that holds one is printed by
/// this hook instead, to standard error, in the standard library's format with the secret
/// masked. Install it first thing in `main`, before any hook that restores the terminal
/// and then chains to its predecessor: that predecessor is then this scrubber.
pub fn install_panic_scrubber() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(scrubbing_hook(previous, Arc::new(Mutex::new(io::stderr()))));
}

/// The scrubbing hook around `previous`, printing scrubbed reports to `sink` (tests pass a
/// buffer).
pub fn scrubbing_hook(previous: Hook, sink: Arc<Mutex<dyn Write + Send>>) -> Hook {
    Box::new(move |info: &PanicHookInfo<'_>| {
        let message = payload_text(info);
        let scrubbed = redact(&message);
        if matches!(scrubbed, Cow::Borrowed(_)) {
            previous(info);
            return;
        }
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("<unnamed>");
        let location = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let report = format!(
            "\nthread '{name}' panicked{location}:\n{scrubbed}\nnote: the message held a secret, masked as {MASK}\n"
        );
        if let Ok(mut out) = sink.lock() {
            let _ = out.write_all(report.as_bytes());
            let _ = out.flush();
        }
    })
}

fn payload_text(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "Box<dyn Any>".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_values_and_their_secret_part_are_masked() {
        register(&SecretString::from("7|redact-unit-test-secret-1"));
        register(&SecretString::from("abc"));
        let text = "token=7|redact-unit-test-secret-1 part=redact-unit-test-secret-1 short=abc";
        assert_eq!(redact(text), "token=[redacted] part=[redacted] short=abc");
        assert!(matches!(redact("nothing to hide"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_writer_masks_secrets_split_across_writes() {
        register(&SecretString::from("split-secret-value-42"));
        let mut w = RedactingWriter::new(Vec::new());
        w.write_all(b"2026 INFO token=split-se").unwrap();
        w.write_all(b"cret-value-42 done\nnext line ").unwrap();
        assert_eq!(w.get_ref().as_slice(), b"2026 INFO token=[redacted] done\n");
        w.write_all(b"split-secret-value-42").unwrap();
        w.flush().unwrap();
        assert_eq!(
            String::from_utf8_lossy(w.get_ref()),
            "2026 INFO token=[redacted] done\nnext line [redacted]"
        );
    }

    /// The way `cli/trace.rs` plugs it in: `Mutex<RedactingWriter<File>>` as the writer.
    #[test]
    fn tracing_through_the_writer_never_shows_a_registered_secret() {
        #[derive(Clone, Default)]
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0
                    .lock()
                    .map_err(|_| io::Error::other("poisoned"))?
                    .extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        register(&SecretString::from("3|traced-secret-token-value"));
        let sink = Shared::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(Mutex::new(RedactingWriter::new(sink.clone())))
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(header = "Bearer 3|traced-secret-token-value", "calling");
            tracing::warn!("secret part alone: traced-secret-token-value");
        });
        let text = String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned();
        assert!(text.contains("Bearer [redacted]"), "{text}");
        assert!(text.contains("secret part alone: [redacted]"), "{text}");
        assert!(!text.contains("traced-secret"), "{text}");
    }

    #[test]
    fn bytes_that_are_not_utf8_pass_through() {
        register(&SecretString::from("bytes-secret-xyz"));
        let input = [0xff, b'a', b' ', b'b', b'y', b't', b'e', b's'];
        assert_eq!(redact_bytes(&input).as_ref(), &input);
        let mut mixed = vec![0xfe];
        mixed.extend_from_slice(b"bytes-secret-xyz\n");
        let mut expected = vec![0xfe];
        expected.extend_from_slice(b"[redacted]\n");
        assert_eq!(redact_bytes(&mixed).as_ref(), expected.as_slice());
    }

    #[test]
    fn secret_shaped_strings_are_masked_without_being_registered() {
        let cases = [
            (
                "GitHub said: Bad credentials for ghp_AbCdEf0123456789AbCdEf0123456789abcd",
                "GitHub said: Bad credentials for [redacted]",
            ),
            (
                "use github_pat_11ABCDEFG0123456789_abcdefghijklmnop now",
                "use [redacted] now",
            ),
            (
                "gho_0123456789abcdefABCD ghs_0123456789abcdefABCD",
                "[redacted] [redacted]",
            ),
            (
                "keys sk-proj-abcdefghijklmnop1234 and sk-ant-api03-abcdefghijklmnop",
                "keys [redacted] and [redacted]",
            ),
            (
                "token 12|abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN0123 end",
                "token [redacted] end",
            ),
            (
                "Authorization: Bearer 9|short-but-long-enough",
                "Authorization: Bearer [redacted]",
            ),
            (
                "GET /x?user=a&password=hunter2&access_token=abc123&page=2",
                "GET /x?user=a&password=[redacted]&access_token=[redacted]&page=2",
            ),
            (
                "clone https://bot:s3cr3t@github.com/o/r.git and postgres://u:p@db:5432/x",
                "clone https://[redacted]@github.com/o/r.git and postgres://[redacted]@db:5432/x",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "{input}");
            assert_eq!(redact(expected), expected, "masking is stable: {expected}");
        }
        // Ordinary text stays as it is, borrowed.
        for plain in [
            "deployed 3f2a9c1 to air-staging in 42s",
            "sk-learn is a library; ghp_ is a prefix; the bearer of news",
            "token_source=keyring max_tokens=1024 https://github.com/o/r",
            "git@github.com:o/r.git",
        ] {
            assert!(matches!(redact(plain), Cow::Borrowed(_)), "{plain}");
        }
    }

    #[test]
    fn the_writer_masks_secret_shapes_too() {
        let mut w = RedactingWriter::new(Vec::new());
        w.write_all(b"GET https://api.github.com with Bearer ghp_AbCdEf0123456789AbCd\n")
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(w.get_ref()),
            "GET https://api.github.com with Bearer [redacted]\n"
        );
    }
}
