//! Keeping known secrets out of what pftui writes down: a process-wide registry of secret
//! values (every credential the resolver hands out is registered), a [`redact`] function, a
//! redacting [`std::io::Write`] wrapper for the trace file, and a panic hook that scrubs
//! panic messages.

use std::borrow::Cow;
use std::io::{self, Write};
use std::panic::PanicHookInfo;
use std::sync::{Arc, Mutex, RwLock};

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

/// `text` with every registered secret replaced by [`MASK`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let Ok(known) = KNOWN.read() else {
        return Cow::Borrowed(text);
    };
    let mut out = Cow::Borrowed(text);
    for secret in known.iter() {
        let s = secret.expose_secret();
        if out.contains(s) {
            out = Cow::Owned(out.replace(s, MASK));
        }
    }
    out
}

/// Bytes with every registered secret masked (non-UTF-8 bytes pass through).
fn redact_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Ok(known) = KNOWN.read() else {
        return Cow::Borrowed(bytes);
    };
    let mut out = Cow::Borrowed(bytes);
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
}
