//! Reading one poll of a deployment (`GET /deployments/{uuid}`) while it arrives. The
//! answer is an object whose `logs` is a string holding a JSON array of entries, tens of
//! megabytes for a long build: the string is unescaped as its bytes come in, split into
//! entries (see [`super::stream`]), and only the entries the tail has not yielded yet are
//! kept. The rest of the object, with `null` in place of the streamed `logs`, is small and
//! decoded at the end like any answer. Neither the body, nor the `logs` string, nor all
//! its entries are ever held at once.
//!
//! Answers holding several deployments (the history, the running list) carry their logs
//! too, which no reader of them needs: the same scanner drops those while they arrive.

use super::logs::{Entries, LogDecodeError, NewEntries};
use super::stream::{SplitError, Splitter};
use super::wire;
use crate::http::{Incremental, Interrupt};
use crate::model::DeploymentLog;

/// One poll, read: its entries went to `fresh` (the new ones of a tail, or the last lines
/// of a read).
#[derive(Debug)]
pub(crate) struct Polled<E = NewEntries> {
    /// The deployment; its `logs` has been read into `fresh`.
    pub deployment: wire::Deployment,
    pub fresh: E,
    /// What the poll found of the log, its entries aside (they are in `fresh`).
    pub log: DeploymentLog<()>,
}

impl<E: Entries> Polled<E> {
    /// A poll whose `logs`, if any, is still in `deployment` as a whole string. A log
    /// that is not a JSON array is said so in `log`, with the entries read before the fault
    /// in `fresh`: the deployment itself was read.
    pub(crate) fn whole(mut deployment: wire::Deployment, mut fresh: E) -> Self {
        let log = match deployment.logs.take() {
            None => DeploymentLog::Withheld,
            Some(None) => DeploymentLog::NotYet,
            Some(Some(raw)) => match fresh.read_str(&raw) {
                Ok(()) => DeploymentLog::Entries(()),
                Err(e) => DeploymentLog::Unreadable(e.to_string()),
            },
        };
        Self {
            deployment,
            fresh,
            log,
        }
    }
}

/// Where the scanner is in the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before the opening `{` (or `[`, when the answer may be a list).
    Start,
    /// In the answer outside a `logs` value (its bytes go to `rest`).
    Outer,
    /// After a `logs` key and its `:`, before the value.
    LogsValue,
    /// Inside a `logs` string.
    LogsString,
    /// Inside a `logs` value that is an array itself rather than a string.
    LogsArray,
}

/// What becomes of the `logs` values a [`Scanner`] takes out of an answer.
trait LogsSink {
    /// Only the top-level object's `logs`, once (else every `logs` key at any depth).
    const TOP_LEVEL: bool;

    /// A `logs` value begins.
    fn start(&mut self);

    /// The next bytes of the log's JSON array (the value unescaped when it is a string).
    fn bytes(&mut self, bytes: &[u8]) -> Result<(), Interrupt>;

    /// The value ended.
    fn end(&mut self) -> Result<(), Interrupt>;
}

/// Scans a JSON answer as it arrives, keeping it in `rest` except the values of its `logs`
/// keys, which are replaced by `null` and handed to a [`LogsSink`] instead.
#[derive(Debug)]
struct Scanner<S> {
    place: Place,
    /// The answer without the `logs` values taken out.
    rest: Vec<u8>,
    /// The open containers, outermost first: `true` for an object, `false` for an array.
    containers: Vec<bool>,
    in_string: bool,
    /// The previous byte inside a string was a backslash.
    escaped: bool,
    /// Inside an object, the next string is a key.
    expect_key: bool,
    /// Where the key being read starts in `rest` (its opening quote).
    key_start: Option<usize>,
    /// The key just read is a `logs` to take out.
    logs_key: bool,
    /// The nesting the `logs` value being taken out sits at.
    logs_depth: usize,
    /// A `logs` value was taken out.
    took: bool,
    unescape: Unescape,
    /// The `logs` bytes of the current chunk, on their way to `sink`.
    scratch: Vec<u8>,
    sink: S,
}

impl<S: LogsSink> Scanner<S> {
    fn new(sink: S) -> Self {
        Self {
            place: Place::Start,
            rest: Vec::new(),
            containers: Vec::new(),
            in_string: false,
            escaped: false,
            expect_key: false,
            key_start: None,
            logs_key: false,
            logs_depth: 0,
            took: false,
            unescape: Unescape::default(),
            scratch: Vec::new(),
            sink,
        }
    }

    /// Take the next chunk; `Err` with `Interrupt::Whole` (all bytes so far) when the
    /// answer turns out not to be an object (nor a list, outside [`LogsSink::TOP_LEVEL`]).
    fn feed(&mut self, chunk: &[u8]) -> Result<(), Interrupt> {
        let mut i = 0;
        while i < chunk.len() {
            if self.place == Place::LogsString {
                let (used, closed) = self
                    .unescape
                    .run(&chunk[i..], &mut self.scratch)
                    .map_err(|detail| broken(format!("the `logs` string: {detail}")))?;
                i += used;
                if closed {
                    self.end_logs()?;
                }
                continue;
            }
            if let Err(interrupt) = self.outer(chunk[i]) {
                return Err(match interrupt {
                    Interrupt::Whole(mut body) => {
                        body.extend_from_slice(&chunk[i + 1..]);
                        Interrupt::Whole(body)
                    }
                    broken => broken,
                });
            }
            i += 1;
        }
        self.flush()
    }

    /// The bytes kept: the answer without its `logs` values, and those of the current
    /// chunk on their way to the sink.
    fn held(&self) -> usize {
        self.rest.len() + self.scratch.len()
    }

    /// The answer ended: what is left of it, to decode.
    fn finish(self) -> Result<(Vec<u8>, S), Interrupt> {
        match self.place {
            Place::Start => Err(Interrupt::Whole(self.rest)),
            Place::LogsString | Place::LogsArray => {
                Err(broken("the answer ended inside it".into()))
            }
            Place::Outer | Place::LogsValue => Ok((self.rest, self.sink)),
        }
    }

    /// One byte outside a `logs` string.
    fn outer(&mut self, b: u8) -> Result<(), Interrupt> {
        match self.place {
            Place::Start => {
                if b.is_ascii_whitespace() {
                    self.rest.push(b);
                    return Ok(());
                }
                if b != b'{' && (S::TOP_LEVEL || b != b'[') {
                    self.rest.push(b);
                    return Err(Interrupt::Whole(std::mem::take(&mut self.rest)));
                }
                self.place = Place::Outer;
            }
            Place::LogsValue => match b {
                b' ' | b'\t' | b'\n' | b'\r' => {
                    self.rest.push(b);
                    return Ok(());
                }
                b'"' | b'[' => {
                    self.rest.extend_from_slice(b"null");
                    self.took = true;
                    self.sink.start();
                    if b == b'"' {
                        self.place = Place::LogsString;
                        return Ok(());
                    }
                    // An array rather than a string: its bytes are the log as they are,
                    // and the nesting below tells where it ends.
                    self.place = Place::LogsArray;
                }
                // Any other value stays in `rest`.
                _ => self.place = Place::Outer,
            },
            _ => {}
        }
        if self.place == Place::LogsArray {
            self.scratch.push(b);
        } else {
            self.rest.push(b);
        }
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
                if let Some(start) = self.key_start.take() {
                    self.logs_key = &self.rest[start..] == b"\"logs\""
                        && (!S::TOP_LEVEL || (self.containers.len() == 1 && !self.took));
                }
            }
            return Ok(());
        }
        match b {
            b'"' => {
                self.in_string = true;
                if self.expect_key {
                    self.expect_key = false;
                    self.key_start = Some(self.rest.len() - 1);
                }
            }
            b'{' | b'[' => {
                self.containers.push(b == b'{');
                self.expect_key = b == b'{';
            }
            b'}' | b']' => {
                // Past the end of the answer nothing is tracked: the bytes stay in `rest`
                // and decoding it reports them.
                self.containers.pop();
                self.expect_key = false;
                if self.place == Place::LogsArray && self.containers.len() == self.logs_depth {
                    self.end_logs()?;
                }
            }
            b':' if self.logs_key => {
                self.logs_key = false;
                self.logs_depth = self.containers.len();
                self.place = Place::LogsValue;
            }
            b',' => {
                self.expect_key = self.containers.last() == Some(&true);
                self.logs_key = false;
            }
            _ => {}
        }
        Ok(())
    }

    /// Hand the `logs` bytes gathered in `scratch` to the sink.
    fn flush(&mut self) -> Result<(), Interrupt> {
        let fed = self.sink.bytes(&self.scratch);
        self.scratch.clear();
        fed
    }

    /// A `logs` value ended.
    fn end_logs(&mut self) -> Result<(), Interrupt> {
        self.flush()?;
        self.place = Place::Outer;
        self.sink.end()
    }
}

/// A broken `logs` value.
fn broken(detail: String) -> Interrupt {
    Interrupt::Broken(LogDecodeError(detail).to_string())
}

/// The top-level `logs` split into entries, each offered to `fresh`. A log that turns out
/// not to be a JSON array of entries is noted in `unreadable` and the rest of it skipped:
/// the answer around it is still read.
#[derive(Debug)]
struct Tail<E> {
    splitter: Option<Splitter>,
    fresh: E,
    unreadable: Option<String>,
}

impl<E: Entries> Tail<E> {
    fn give_up(&mut self, detail: String) {
        self.splitter = None;
        self.unreadable = Some(LogDecodeError(detail).to_string());
    }
}

impl<E: Entries> LogsSink for Tail<E> {
    const TOP_LEVEL: bool = true;

    fn start(&mut self) {
        self.splitter = Some(Splitter::new());
    }

    fn bytes(&mut self, bytes: &[u8]) -> Result<(), Interrupt> {
        let (Some(splitter), fresh) = (&mut self.splitter, &mut self.fresh) else {
            return Ok(());
        };
        let fed = splitter.feed(bytes, |item| {
            fresh
                .offer_json(item)
                .map_err(|e| SplitError::Syntax(e.to_string()))
        });
        match fed {
            Ok(()) => {}
            Err(SplitError::NotAList) => self.give_up("it is not a JSON array".into()),
            Err(SplitError::Syntax(detail)) => self.give_up(detail),
        }
        Ok(())
    }

    /// The log must have been a whole array, or blank.
    fn end(&mut self) -> Result<(), Interrupt> {
        match self.splitter.take().map(Splitter::finish) {
            None | Some(Ok(()) | Err(SplitError::NotAList)) => {}
            Some(Err(SplitError::Syntax(detail))) => self.give_up(detail),
        }
        Ok(())
    }
}

/// Every `logs` value dropped unread.
#[derive(Debug)]
struct Discard;

impl LogsSink for Discard {
    const TOP_LEVEL: bool = false;

    fn start(&mut self) {}

    fn bytes(&mut self, _: &[u8]) -> Result<(), Interrupt> {
        Ok(())
    }

    fn end(&mut self) -> Result<(), Interrupt> {
        Ok(())
    }
}

/// A deployment poll read incrementally: an [`Incremental`] reader whose output is a
/// [`Polled`].
#[derive(Debug)]
pub(crate) struct PollReader<E = NewEntries>(Scanner<Tail<E>>);

impl<E: Entries> PollReader<E> {
    /// A reader offering the log's entries to `fresh`.
    pub(crate) fn new(fresh: E) -> Self {
        Self(Scanner::new(Tail {
            splitter: None,
            fresh,
            unreadable: None,
        }))
    }
}

impl<E: Entries> Incremental for PollReader<E> {
    type Output = Polled<E>;

    fn feed(&mut self, chunk: &[u8]) -> Result<(), Interrupt> {
        self.0.feed(chunk)
    }

    /// The answer without its log, the unfinished entry, and what `fresh` kept.
    fn held(&self) -> usize {
        let sink = &self.0.sink;
        self.0.held() + sink.splitter.as_ref().map_or(0, Splitter::held) + sink.fresh.held()
    }

    fn finish(self) -> Result<Polled<E>, Interrupt> {
        let streamed = self.0.took;
        let (rest, tail) = self.0.finish()?;
        let deployment: wire::Deployment =
            wire::from_slice(&rest).map_err(|e| Interrupt::Broken(e.to_string()))?;
        let mut polled = Polled::whole(deployment, tail.fresh);
        if streamed {
            polled.log = match tail.unreadable {
                None => DeploymentLog::Entries(()),
                Some(why) => DeploymentLog::Unreadable(why),
            };
        }
        Ok(polled)
    }
}

/// Reads an answer holding deployments (a list, a page of history) for what they are
/// without their logs: every `logs` string is dropped while it arrives, and the small rest
/// is handed back to be decoded whole as a `T` (see [`Client::stream_get`]).
///
/// [`Client::stream_get`]: super::Client::stream_get
#[derive(Debug)]
pub(crate) struct WithoutLogs<T>(Scanner<Discard>, std::marker::PhantomData<T>);

impl<T> WithoutLogs<T> {
    pub(crate) fn new() -> Self {
        Self(Scanner::new(Discard), std::marker::PhantomData)
    }
}

impl<T> Incremental for WithoutLogs<T> {
    type Output = T;

    fn feed(&mut self, chunk: &[u8]) -> Result<(), Interrupt> {
        self.0.feed(chunk)
    }

    fn held(&self) -> usize {
        self.0.held()
    }

    fn finish(self) -> Result<T, Interrupt> {
        let (rest, Discard) = self.0.finish()?;
        Err(Interrupt::Whole(rest))
    }
}

/// Unescapes the inside of a JSON string given in pieces cut anywhere, even inside an
/// escape. Bytes that are not escapes pass through as they are (a UTF-8 sequence cut in
/// two comes out whole once both pieces have passed); they are not checked here, the
/// entries' decoder checks them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Unescape {
    #[default]
    Plain,
    /// After a backslash.
    Backslash,
    /// Inside `\uXXXX`: the digits so far, and the leading surrogate before it if any.
    Hex {
        value: u16,
        digits: u8,
        lead: Option<u16>,
    },
    /// After a leading surrogate's escape, before the `\` of its trailing one.
    TrailBackslash(u16),
    /// After that `\`, before the `u`.
    TrailU(u16),
}

/// The bytes that end a run of plain string bytes.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

impl Unescape {
    /// Unescape `input` into `out` up to the closing quote: how many bytes were used (the
    /// quote included) and whether the string ended.
    fn run(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(usize, bool), String> {
        let mut i = 0;
        while i < input.len() {
            let b = input[i];
            i += 1;
            *self = match *self {
                Unescape::Plain => {
                    let start = i - 1;
                    let mut end = start;
                    while end < input.len() && !SPECIAL[usize::from(input[end])] {
                        end += 1;
                    }
                    out.extend_from_slice(&input[start..end]);
                    match input.get(end) {
                        None => return Ok((input.len(), false)),
                        Some(b'"') => return Ok((end + 1, true)),
                        Some(_) => {
                            i = end + 1;
                            Unescape::Backslash
                        }
                    }
                }
                Unescape::Backslash => {
                    let plain = match b {
                        b'"' | b'\\' | b'/' => b,
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            *self = Unescape::Hex {
                                value: 0,
                                digits: 0,
                                lead: None,
                            };
                            continue;
                        }
                        _ => return Err(format!("invalid escape `\\{}`", b.escape_ascii())),
                    };
                    out.push(plain);
                    Unescape::Plain
                }
                Unescape::Hex {
                    value,
                    digits,
                    lead,
                } => {
                    let digit = char::from(b)
                        .to_digit(16)
                        .ok_or_else(|| format!("`{}` in a \\u escape", b.escape_ascii()))?;
                    let value = value << 4 | digit as u16;
                    if digits < 3 {
                        Unescape::Hex {
                            value,
                            digits: digits + 1,
                            lead,
                        }
                    } else {
                        decode_hex(value, lead, out)?
                    }
                }
                Unescape::TrailBackslash(lead) if b == b'\\' => Unescape::TrailU(lead),
                Unescape::TrailU(lead) if b == b'u' => Unescape::Hex {
                    value: 0,
                    digits: 0,
                    lead: Some(lead),
                },
                Unescape::TrailBackslash(_) | Unescape::TrailU(_) => {
                    return Err("a lone leading surrogate in a \\u escape".into());
                }
            };
        }
        Ok((i, false))
    }
}

/// A complete `\uXXXX` (after the leading surrogate `lead`, if any): its character goes
/// to `out`, or a leading surrogate waits for its trailing one.
fn decode_hex(value: u16, lead: Option<u16>, out: &mut Vec<u8>) -> Result<Unescape, String> {
    let code = match (lead, value) {
        (None, 0xD800..=0xDBFF) => return Ok(Unescape::TrailBackslash(value)),
        (None, 0xDC00..=0xDFFF) => return Err("a lone trailing surrogate in a \\u escape".into()),
        (None, _) => u32::from(value),
        (Some(lead), 0xDC00..=0xDFFF) => {
            0x10000 + ((u32::from(lead) - 0xD800) << 10) + (u32::from(value) - 0xDC00)
        }
        (Some(_), _) => return Err("a leading surrogate without its trailing one".into()),
    };
    let c = char::from_u32(code).ok_or_else(|| format!("no character U+{code:X}"))?;
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    Ok(Unescape::Plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coolify::Tailer;
    use crate::model::{DeploymentStatus, LogEntry};

    /// Unescape the JSON string `quoted` (with its quotes, maybe followed by more bytes) fed
    /// in pieces of `n` bytes: the text and how many bytes the string took.
    fn unescape(quoted: &[u8], n: usize) -> Result<(Vec<u8>, usize), String> {
        let mut state = Unescape::default();
        let mut out = Vec::new();
        let mut used = 1;
        for piece in quoted[1..].chunks(n) {
            let (took, closed) = state.run(piece, &mut out)?;
            used += took;
            if closed {
                return Ok((out, used));
            }
            assert_eq!(took, piece.len());
        }
        Err("no closing quote".into())
    }

    #[test]
    fn strings_unescape_like_serde_json_whatever_the_cuts() {
        let texts = [
            r#""""#,
            r#""plain ascii""#,
            r#""a \"quoted\" word, a back\\slash, a \/ slash""#,
            r#""\b\f\n\r\t control escapes""#,
            r#""\u0041\u00e9\u20AC\uffff \u0000""#,
            r#""surrogate pairs: \ud83d\ude00 \uD834\uDD1E""#,
            "\"raw UTF-8: é € 😀 日本\"",
            r#""[{\"output\":\"nested \\\"quotes\\\" ]},\",\"order\":1}]""#,
            r#""\\\\\\\"\\""#,
        ];
        for text in texts {
            let expected: String = serde_json::from_str(text).unwrap();
            let body = format!("{text},\"next\"");
            for n in 1..=body.len() {
                let (out, used) = unescape(body.as_bytes(), n).unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), expected, "{text} in {n}s");
                assert_eq!(used, text.len(), "{text} in {n}s");
            }
        }
    }

    #[test]
    fn bad_escapes_are_errors() {
        for text in [
            r#""\x""#,
            r#""\u12g4""#,
            r#""\ud83d""#,
            r#""\ud83dx""#,
            r#""\ud83d\n""#,
            r#""\ud83d\u0041""#,
            r#""\ude00""#,
        ] {
            for n in 1..=text.len() {
                assert!(unescape(text.as_bytes(), n).is_err(), "{text} in {n}s");
            }
        }
    }

    /// The deployment and the new entries of one poll of `body` fed in pieces of `n`
    /// bytes, for entries after `after`.
    fn read(body: &str, n: usize, after: u64) -> Result<Settled, Interrupt> {
        let mut reader = PollReader::new(NewEntries::after(after));
        for piece in body.as_bytes().chunks(n) {
            reader.feed(piece)?;
        }
        let polled = reader.finish()?;
        Ok(settle(polled))
    }

    /// A poll's deployment (as text, to compare), its new entries in order and what it
    /// found of the log.
    type Settled = (String, Vec<LogEntry>, DeploymentLog<()>);

    fn settle(polled: Polled) -> Settled {
        let entries = Tailer::new().record(&DeploymentStatus::InProgress, polled.fresh);
        (format!("{:?}", polled.deployment), entries, polled.log)
    }

    /// The same poll read whole, as [`Tailer::feed`] reads it.
    fn read_whole(body: &str, after: u64) -> Settled {
        let deployment: wire::Deployment = wire::from_slice(body.as_bytes()).unwrap();
        settle(Polled::whole(deployment, NewEntries::after(after)))
    }

    /// A log whose outputs hold everything that needs escaping, out of order, one entry
    /// without an `order`.
    const LOG: &str = r#"[
        {"command":null,"output":"Starting \"deploy\" of a\\b {x} [y], z","type":"stdout","timestamp":"2026-08-22T10:11:12.123456Z","hidden":false,"batch":1,"order":1},
        {"command":"echo ]}","output":"é € 😀 \u00e9 \ud83d\ude00 tab\there\nnew line","type":"stderr","timestamp":"2026-08-22T10:11:13Z","hidden":true,"batch":2,"order":3},
        {"command":"c","output":"second","type":"stdout","hidden":1,"batch":2,"order":2},
        {"output":"no order, \\\"deep\\\" quotes"}
    ]"#;

    fn body(logs_member: &str) -> String {
        format!(
            r#" {{"id":7,"deployment_uuid":"dep-1","application":{{"name":"air","logs":"not this one","tags":[{{"a":"]"}}]}},
              "status":"in_progress","commit":"abc\"def"{logs_member},"server_name":"srv","finished_at":null}} "#
        )
    }

    fn logs_string() -> String {
        format!(",\"logs\": {}", serde_json::to_string(LOG).unwrap())
    }

    #[test]
    fn a_poll_reads_like_the_whole_answer_whatever_the_cuts() {
        let written = DeploymentLog::Entries(());
        let cases = [
            (logs_string(), written.clone()),
            (String::new(), DeploymentLog::Withheld),
            (",\"logs\":null".to_string(), DeploymentLog::NotYet),
            (",\"logs\":\"\"".to_string(), written.clone()),
            (",\"logs\":\" \\n \"".to_string(), written.clone()),
            (
                ",\"l\\u006fgs\":\"[{\\\"order\\\":4}]\"".to_string(),
                written.clone(),
            ),
            (
                r#","logs":"[{\"output\":\"\u00e9 \ud83d\ude00 \u005c\u0022q\u005c\u0022\"}]""#
                    .to_string(),
                written,
            ),
        ];
        for (member, log) in &cases {
            let body = body(member);
            for after in [0, 2] {
                let expected = read_whole(&body, after);
                assert_eq!(expected.2, *log, "{member}");
                for n in 1..=body.len() {
                    assert_eq!(read(&body, n, after).unwrap(), expected, "{member} in {n}s");
                }
            }
        }
        let (_, all, _) = read(&body(&logs_string()), 5, 0).unwrap();
        let orders: Vec<u64> = all.iter().map(|e| e.order).collect();
        assert_eq!(orders, [1, 2, 3, 4]);
        assert_eq!(all[2].output, "é € 😀 é 😀 tab\there\nnew line");
        assert_eq!(all[2].command.as_deref(), Some("echo ]}"));
        let (_, newer, _) = read(&body(&logs_string()), 5, 2).unwrap();
        assert_eq!(newer.iter().map(|e| e.order).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn a_log_sent_as_an_array_is_read_too() {
        let as_string = body(&logs_string());
        let as_array = body(&format!(",\"logs\" : {LOG}"));
        let expected = read(&as_string, 4096, 0).unwrap();
        for n in 1..=as_array.len() {
            assert_eq!(read(&as_array, n, 0).unwrap(), expected, "in {n}s");
        }
    }

    #[test]
    fn what_is_not_an_object_is_read_whole() {
        for body in [
            "<!DOCTYPE html><title>502</title>",
            " [1,2]",
            "\"text\"",
            "",
            "  ",
        ] {
            for n in 1..=body.len().max(1) {
                // As the client does: the bytes so far, then the rest of the answer.
                let mut reader = PollReader::new(NewEntries::after(0));
                let mut pieces = body.as_bytes().chunks(n);
                let interrupt = loop {
                    match pieces.next() {
                        Some(piece) => match reader.feed(piece) {
                            Ok(()) => {}
                            Err(interrupt) => break interrupt,
                        },
                        None => break reader.finish().unwrap_err(),
                    }
                };
                let Interrupt::Whole(mut whole) = interrupt else {
                    panic!("{body} in {n}s: {interrupt:?}");
                };
                pieces.for_each(|piece| whole.extend_from_slice(piece));
                assert_eq!(whole, body.as_bytes(), "{body} in {n}s");
            }
        }
    }

    #[test]
    fn a_log_that_is_not_entries_is_said_so_and_the_deployment_still_read() {
        let bodies = [
            body(",\"logs\":\"[{\\\"order\\\":1}\""),
            body(",\"logs\":\"not json\""),
            body(",\"logs\":\"{\\\"an\\\":\\\"object\\\"}\""),
            body(",\"logs\":\"[{\\\"order\\\":\\\"one\\\"}]\""),
            body(",\"logs\":\"[1, 2] [3]\""),
            body(",\"logs\":12"),
            body(",\"logs\":{\"scrubbed\":true}"),
        ];
        for body in &bodies {
            let (deployment, _, log) = read_whole(body, 0);
            assert!(
                matches!(log, DeploymentLog::Unreadable(_)),
                "{body}: {log:?}"
            );
            for n in [1, 2, 3, 7, 64, 4096] {
                let (streamed, _, log) = read(body, n, 0).unwrap();
                assert_eq!(streamed, deployment, "{body} in {n}s");
                assert!(
                    matches!(&log, DeploymentLog::Unreadable(why) if why.contains("log")),
                    "{body} in {n}s: {log:?}"
                );
            }
        }
    }

    #[test]
    fn broken_answers_are_errors_not_panics() {
        let bodies = [
            body(",\"logs\":\"[\\x]\""),
            body(",\"logs\":\"[\\ud800]\""),
            body(&format!("{},\"logs\":\"[]\"", logs_string())),
            format!("{}x", body(&logs_string())),
            body(&logs_string())[..200].to_string(),
            r#"{"deployment_uuid":"d","logs":"[{\"order\":1}]"#.to_string(),
            r#"{"logs":"[]"}"#.to_string(),
        ];
        for body in &bodies {
            for n in [1, 2, 3, 7, 64, 4096] {
                assert!(
                    matches!(read(body, n, 0), Err(Interrupt::Broken(_))),
                    "{body} in {n}s: {:?}",
                    read(body, n, 0)
                );
            }
        }
    }

    #[test]
    fn only_the_unfinished_entry_and_the_other_fields_are_held() {
        let log: Vec<serde_json::Value> = (1..=5000)
            .map(|order| serde_json::json!({"output": format!("line {order} \"x\""), "order": order}))
            .collect();
        let logs = serde_json::to_string(&serde_json::to_string(&log).unwrap()).unwrap();
        let body = format!(r#"{{"deployment_uuid":"d","logs":{logs},"status":"finished"}}"#);
        let mut reader = PollReader::new(NewEntries::after(4990));
        for piece in body.as_bytes().chunks(4096) {
            reader.feed(piece).unwrap();
            assert!(reader.0.rest.len() < 64, "{}", reader.0.rest.len());
            assert!(reader.0.scratch.capacity() <= 2 * 4096);
        }
        let (_, fresh, _) = settle(reader.finish().unwrap());
        assert_eq!(fresh.len(), 10);
        assert_eq!(fresh[9].output, "line 5000 \"x\"");
    }

    #[test]
    fn lists_and_pages_of_deployments_lose_only_their_logs() {
        let deployment = |uuid: &str, logs: &str| {
            format!(
                r#"{{"deployment_uuid":"{uuid}","application":{{"name":"x","tags":["logs"]}},"logs":{logs},"status":"finished"}}"#
            )
        };
        let logs = logs_string();
        let logs = &logs[logs.find(':').unwrap() + 1..];
        let list = format!(
            " [{},{},{}] ",
            deployment("a", logs),
            deployment("b", "null"),
            deployment("c", LOG)
        );
        let page = format!(r#"{{"count":3,"deployments":{list}}}"#);
        for body in [list, page] {
            let mut expected: serde_json::Value = serde_json::from_str(&body).unwrap();
            let items = match expected.get_mut("deployments") {
                Some(items) => items,
                None => &mut expected,
            };
            for item in items.as_array_mut().unwrap() {
                item["logs"] = serde_json::Value::Null;
            }
            for n in 1..=body.len() {
                let mut reader = WithoutLogs::<()>::new();
                for piece in body.as_bytes().chunks(n) {
                    reader.feed(piece).unwrap();
                }
                let Err(Interrupt::Whole(kept)) = reader.finish() else {
                    panic!("the kept bytes come back to be decoded whole");
                };
                let kept: serde_json::Value = serde_json::from_slice(&kept).unwrap();
                assert_eq!(kept, expected, "in {n}s");
            }
        }
    }
}
