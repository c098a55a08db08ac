//! Deployment logs: decoding Coolify's JSON-array-in-a-string, following a running
//! deployment across polls, keeping only the last lines of a huge one, and laying entries
//! out as the Coolify UI does.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;
use serde::{Deserialize, de};

use crate::model::{DeploymentStatus, LineKind, LogEntry, LogLine, LogStream};

/// The `logs` string did not hold a JSON array of entries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the deployment log is not in Coolify's format: {0}")]
pub struct LogDecodeError(pub(crate) String);

/// One entry as stored; strings borrow from the input where they have no escapes.
#[derive(Deserialize)]
pub(crate) struct RawEntry<'a> {
    #[serde(default)]
    order: Option<u64>,
    #[serde(default, borrow)]
    output: Option<Cow<'a, str>>,
    #[serde(default, rename = "type", borrow)]
    stream: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    command: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(default)]
    hidden: Option<serde_json::Value>,
    #[serde(default)]
    batch: Option<u64>,
}

impl RawEntry<'_> {
    fn into_entry(self, fallback_order: u64) -> LogEntry {
        LogEntry {
            order: self.order.unwrap_or(fallback_order),
            stream: match self.stream.as_deref() {
                Some("stderr") => LogStream::Stderr,
                _ => LogStream::Stdout,
            },
            output: self.output.map(Cow::into_owned).unwrap_or_default(),
            command: self.command.map(Cow::into_owned).filter(|c| !c.is_empty()),
            timestamp: self.timestamp.and_then(|t| t.parse::<Timestamp>().ok()),
            hidden: match self.hidden {
                Some(serde_json::Value::Bool(b)) => b,
                Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(0) != 0,
                _ => false,
            },
            batch: self.batch,
        }
    }
}

/// Decode a deployment's `logs` string into entries sorted by `order`. An empty string is
/// an empty log.
pub fn decode_logs(raw: &str) -> Result<Vec<LogEntry>, LogDecodeError> {
    let mut fresh = NewEntries::after(0);
    fresh.read_str(raw)?;
    Ok(fresh.into_sorted().0)
}

/// Where the entries of one read of a log go: each is offered in the log's own sequence,
/// as it is read, and the sink keeps what it needs of it.
pub(crate) trait Entries {
    fn offer(&mut self, raw: RawEntry<'_>);

    /// Roughly how many bytes of the log it holds (for the limit on one answer).
    fn held(&self) -> usize;

    /// Offer one entry given as its JSON text.
    fn offer_json(&mut self, item: &[u8]) -> Result<(), serde_json::Error>
    where
        Self: Sized,
    {
        self.offer(serde_json::from_slice(item)?);
        Ok(())
    }

    /// Offer every entry of a whole `logs` string (a JSON array; blank is an empty log).
    fn read_str(&mut self, raw: &str) -> Result<(), LogDecodeError>
    where
        Self: Sized,
    {
        if raw.trim().is_empty() {
            return Ok(());
        }
        let mut de = serde_json::Deserializer::from_str(raw);
        de::DeserializeSeed::deserialize(Offer(self), &mut de)
            .and_then(|()| de.end())
            .map_err(|e| LogDecodeError(e.to_string()))
    }
}

/// What an entry costs to hold, roughly: its text and its fixed part.
fn entry_size(entry: &LogEntry) -> usize {
    std::mem::size_of::<LogEntry>()
        + entry.output.len()
        + entry.command.as_ref().map_or(0, String::len)
}

/// The entries of one read of a log that are newer than a given `order`: every entry read
/// is offered here, in the log's own sequence; only the newer ones are converted, and they
/// come out sorted by `order`. An entry without an `order` takes its 1-based position.
/// With a `keep`, only the newest that many are kept (the others are counted), so a huge
/// log first read whole costs no more than what will be shown of it.
#[derive(Debug)]
pub(crate) struct NewEntries {
    after: u64,
    keep: Option<usize>,
    /// Entries offered so far.
    offered: u64,
    entries: Vec<LogEntry>,
    /// Newer entries left out for `keep`.
    skipped: u64,
    held: usize,
}

impl NewEntries {
    pub(crate) fn after(after: u64) -> Self {
        Self {
            after,
            keep: None,
            offered: 0,
            entries: Vec::new(),
            skipped: 0,
            held: 0,
        }
    }

    /// Keep only the newest `keep` entries.
    pub(crate) fn keeping(self, keep: Option<usize>) -> Self {
        Self { keep, ..self }
    }

    /// Sorted by `order`, the oldest beyond `keep` left out.
    fn trim(&mut self, keep: usize) {
        self.entries.sort_by_key(|e| e.order);
        let extra = self.entries.len().saturating_sub(keep);
        self.skipped += self.entries.drain(..extra).count() as u64;
        self.held = self.entries.iter().map(entry_size).sum();
    }

    /// The entries in order, and how many newer ones were left out.
    fn into_sorted(mut self) -> (Vec<LogEntry>, u64) {
        self.trim(self.keep.unwrap_or(usize::MAX));
        (self.entries, self.skipped)
    }
}

impl Entries for NewEntries {
    fn offer(&mut self, raw: RawEntry<'_>) {
        self.offered += 1;
        if raw.order.unwrap_or(self.offered) > self.after {
            let entry = raw.into_entry(self.offered);
            self.held += entry_size(&entry);
            self.entries.push(entry);
            // Trimmed now and then, so at most twice `keep` are ever held.
            if let Some(keep) = self.keep
                && self.entries.len() >= keep.max(1) * 2
            {
                self.trim(keep);
            }
        }
    }

    fn held(&self) -> usize {
        self.held
    }
}

/// The last `max` display lines of a log, as [`LineFormatter`] lays the whole log out,
/// from its entries offered one by one: only the newest entries that make those lines are
/// kept, so a log of millions of lines is read in the memory of `max`.
///
/// Entries are kept by `order` (in any sequence they come), enough of them for `max`
/// output lines; the commands of the showing entries older than those are remembered, so
/// a command line is shown exactly where the whole log would show it.
#[derive(Debug)]
pub(crate) struct LastLines {
    max: usize,
    show_hidden: bool,
    offered: u64,
    /// The newest showing entries, by `order` then arrival.
    window: BTreeMap<(u64, u64), LogEntry>,
    /// Output lines of the window's entries (command lines not counted).
    lines: usize,
    /// Batch and command of every showing entry older than the window.
    before: HashSet<(Option<u64>, String)>,
    held: usize,
}

impl LastLines {
    pub(crate) fn new(max: usize, show_hidden: bool) -> Self {
        Self {
            max,
            show_hidden,
            offered: 0,
            window: BTreeMap::new(),
            lines: 0,
            before: HashSet::new(),
            held: 0,
        }
    }

    /// An entry leaves the window (or never enters it): its command was shown before.
    fn pass(&mut self, entry: LogEntry) {
        if let Some(command) = entry.command {
            let size = command.len();
            if self.before.insert((entry.batch, command)) {
                self.held += size;
            }
        }
    }

    /// The lines, oldest first: at most `max`, the log's last.
    pub(crate) fn into_lines(self) -> Vec<LogLine> {
        let mut formatter = LineFormatter::new(self.show_hidden);
        formatter.seen_commands = self.before;
        let entries: Vec<LogEntry> = self.window.into_values().collect();
        let mut lines = formatter.lines(&entries);
        let extra = lines.len().saturating_sub(self.max);
        lines.drain(..extra);
        lines
    }
}

impl Entries for LastLines {
    fn offer(&mut self, raw: RawEntry<'_>) {
        self.offered += 1;
        let entry = raw.into_entry(self.offered);
        let lines = output_lines(&entry.output).count();
        if (entry.hidden && !self.show_hidden) || (lines == 0 && entry.command.is_none()) {
            return;
        }
        let key = (entry.order, self.offered);
        let older = self
            .window
            .first_key_value()
            .is_some_and(|(first, _)| key < *first);
        if older && self.lines >= self.max {
            self.pass(entry);
            return;
        }
        self.held += entry_size(&entry);
        self.lines += lines;
        self.window.insert(key, entry);
        while let Some(first) = self.window.first_entry() {
            let first_lines = output_lines(&first.get().output).count();
            if self.lines - first_lines < self.max {
                break;
            }
            let entry = first.remove();
            self.lines -= first_lines;
            self.held -= entry_size(&entry);
            self.pass(entry);
        }
    }

    fn held(&self) -> usize {
        self.held
    }
}

/// Reads a JSON array of entries into an [`Entries`] sink without collecting them first.
struct Offer<'a, E>(&'a mut E);

impl<'de, E: Entries> de::DeserializeSeed<'de> for Offer<'_, E> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, E: Entries> de::Visitor<'de> for Offer<'_, E> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array of log entries")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<RawEntry<'de>>()? {
            self.0.offer(entry);
        }
        Ok(())
    }
}

/// Follows one deployment across repeated polls: each poll yields only the entries not
/// yielded before, and the tail ends at a final status. Coolify writes a few entries just
/// after it marks a deployment finished or failed (the build container's shutdown, a
/// failure's report), so the poll after the first final one is still read; then the tail
/// is done.
///
/// A poll is read either whole ([`Tailer::feed`]) or entry by entry while it arrives
/// ([`Tailer::poll`], then [`Tailer::record`]).
#[derive(Debug, Default)]
pub struct Tailer {
    last_order: u64,
    finished: Option<DeploymentStatus>,
    done: bool,
    /// Keep at most this many entries of one poll (the newest).
    keep: Option<usize>,
    /// Entries left out for `keep`, in all.
    skipped: u64,
}

impl Tailer {
    pub fn new() -> Self {
        Self::default()
    }

    /// A tail that yields at most `keep` entries of one poll, the newest: following a
    /// deployment whose log is already huge costs what is kept of it.
    pub fn keeping(keep: usize) -> Self {
        Self {
            keep: Some(keep),
            ..Self::default()
        }
    }

    /// How many entries were left out for the limit given to [`Tailer::keeping`].
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Feed one poll (the deployment's status and its `logs` string, if present) and get
    /// the new entries in order.
    pub fn feed(
        &mut self,
        status: &DeploymentStatus,
        logs: Option<&str>,
    ) -> Result<Vec<LogEntry>, LogDecodeError> {
        if self.done {
            return Ok(Vec::new());
        }
        let mut fresh = self.poll();
        if let Some(raw) = logs {
            fresh.read_str(raw)?;
        }
        Ok(self.record(status, fresh))
    }

    /// Where the next poll's entries are to be offered.
    pub(crate) fn poll(&self) -> NewEntries {
        NewEntries::after(self.last_order).keeping(self.keep)
    }

    /// Close a poll read into `fresh` (from [`Tailer::poll`]) with the deployment's status:
    /// the new entries in order.
    pub(crate) fn record(&mut self, status: &DeploymentStatus, fresh: NewEntries) -> Vec<LogEntry> {
        if self.done {
            return Vec::new();
        }
        let (fresh, skipped) = fresh.into_sorted();
        self.skipped += skipped;
        if let Some(last) = fresh.last() {
            self.last_order = last.order;
        }
        if self.finished.is_some() {
            self.done = true;
        } else if status.is_final() {
            self.finished = Some(status.clone());
        }
        fresh
    }

    /// The final status was seen and the poll after it read: nothing more will come.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The final status once it has been seen.
    pub fn finished(&self) -> Option<&DeploymentStatus> {
        self.finished.as_ref()
    }

    pub fn last_order(&self) -> u64 {
        self.last_order
    }
}

/// Turns entries into display lines: a command shown once per batch before its output,
/// multi-line outputs split, hidden entries kept only when asked for.
#[derive(Debug, Default)]
pub struct LineFormatter {
    show_hidden: bool,
    seen_commands: HashSet<(Option<u64>, String)>,
}

impl LineFormatter {
    pub fn new(show_hidden: bool) -> Self {
        Self {
            show_hidden,
            seen_commands: HashSet::new(),
        }
    }

    pub fn lines(&mut self, entries: &[LogEntry]) -> Vec<LogLine> {
        let mut out = Vec::new();
        for entry in entries {
            if entry.hidden && !self.show_hidden {
                continue;
            }
            if let Some(command) = &entry.command
                && self.seen_commands.insert((entry.batch, command.clone()))
            {
                out.push(LogLine {
                    kind: LineKind::Command,
                    text: command.clone(),
                    timestamp: entry.timestamp,
                    hidden: entry.hidden,
                });
            }
            let kind = match entry.stream {
                LogStream::Stdout => LineKind::Stdout,
                LogStream::Stderr => LineKind::Stderr,
            };
            out.extend(output_lines(&entry.output).map(|line| LogLine {
                kind,
                text: line.trim_end_matches('\r').to_string(),
                timestamp: entry.timestamp,
                hidden: entry.hidden,
            }));
        }
        out
    }
}

/// The display lines of an entry's output: none for a blank one.
fn output_lines(output: &str) -> impl Iterator<Item = &str> {
    let output = output.trim_end_matches(['\n', '\r']);
    output.split('\n').filter(move |_| !output.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped like a real Coolify deployment log: out of order, a hidden debug entry, a
    /// multi-line output, stderr, a `null` command and an entry without the key at all.
    const SAMPLE: &str = r##"[
        {"command":null,"output":"Starting deployment of pfcore/pf-air:staging to localhost.","type":"stdout","timestamp":"2026-08-22T10:11:12.123456Z","hidden":false,"batch":1,"order":1},
        {"command":"docker build -t air:abc .","output":"#5 [2/4] RUN npm ci\n#5 12.3 added 312 packages","type":"stdout","timestamp":"2026-08-22T10:11:20.000000Z","hidden":false,"batch":3,"order":4},
        {"command":"docker rm -f helper","output":"Error: No such container: helper","type":"stderr","timestamp":"2026-08-22T10:11:13.000000Z","hidden":true,"batch":2,"order":2},
        {"output":"SSH connection lost, retrying (1/3)","type":"stderr","timestamp":"2026-08-22T10:11:14.000000Z","hidden":false,"batch":2,"order":3},
        {"command":"docker build -t air:abc .","output":"npm warn deprecated glob@7.2.3","type":"stderr","timestamp":"2026-08-22T10:11:21.000000Z","hidden":false,"batch":3,"order":5}
    ]"##;

    #[test]
    fn a_kept_tail_yields_the_newest_entries_and_counts_the_rest() {
        let mut tail = Tailer::keeping(2);
        let running = DeploymentStatus::InProgress;
        let first = tail.feed(&running, Some(SAMPLE)).unwrap();
        let orders: Vec<_> = first.iter().map(|e| e.order).collect();
        assert_eq!(orders, [4, 5], "out of order in the log, newest kept");
        assert_eq!(tail.skipped(), 3);
        assert!(tail.feed(&running, Some(SAMPLE)).unwrap().is_empty());
    }

    #[test]
    fn decodes_sorted_by_order() {
        let entries = decode_logs(SAMPLE).unwrap();
        let orders: Vec<_> = entries.iter().map(|e| e.order).collect();
        assert_eq!(orders, [1, 2, 3, 4, 5]);
        assert!(entries[1].hidden);
        assert_eq!(entries[2].command, None);
        assert_eq!(entries[2].stream, LogStream::Stderr);
        assert!(entries[0].timestamp.is_some());
    }

    #[test]
    fn formatting_shows_each_command_once_and_splits_lines() {
        let entries = decode_logs(SAMPLE).unwrap();
        let lines = LineFormatter::new(false).lines(&entries);
        let texts: Vec<_> = lines.iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (
                    LineKind::Stdout,
                    "Starting deployment of pfcore/pf-air:staging to localhost."
                ),
                (LineKind::Stderr, "SSH connection lost, retrying (1/3)"),
                (LineKind::Command, "docker build -t air:abc ."),
                (LineKind::Stdout, "#5 [2/4] RUN npm ci"),
                (LineKind::Stdout, "#5 12.3 added 312 packages"),
                (LineKind::Stderr, "npm warn deprecated glob@7.2.3"),
            ]
        );
        let with_hidden = LineFormatter::new(true).lines(&entries);
        assert!(
            with_hidden
                .iter()
                .any(|l| l.text == "docker rm -f helper" && l.hidden)
        );
    }

    #[test]
    fn the_tailer_yields_each_entry_once_and_stops_at_a_final_status() {
        let mut all: Vec<serde_json::Value> = serde_json::from_str(SAMPLE).unwrap();
        all.sort_by_key(|e| e["order"].as_u64());
        let first_three = serde_json::to_string(&all[..3]).unwrap();
        let mut tailer = Tailer::new();
        let got = tailer
            .feed(&DeploymentStatus::InProgress, Some(&first_three))
            .unwrap();
        assert_eq!(got.iter().map(|e| e.order).collect::<Vec<_>>(), [1, 2, 3]);
        assert!(
            tailer
                .feed(&DeploymentStatus::InProgress, Some(&first_three))
                .unwrap()
                .is_empty()
        );
        assert!(
            tailer
                .feed(&DeploymentStatus::InProgress, None)
                .unwrap()
                .is_empty()
        );
        let got = tailer
            .feed(&DeploymentStatus::Finished, Some(SAMPLE))
            .unwrap();
        assert_eq!(got.iter().map(|e| e.order).collect::<Vec<_>>(), [4, 5]);
        assert_eq!(tailer.finished(), Some(&DeploymentStatus::Finished));
        assert!(
            tailer
                .feed(&DeploymentStatus::Finished, Some(SAMPLE))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_logs("not json").is_err());
        assert!(decode_logs(r#"{"an":"object"}"#).is_err());
        assert!(decode_logs("").unwrap().is_empty());
        let odd = decode_logs(r#"[{"output":"x","hidden":1,"type":"weird"},{}]"#).unwrap();
        assert_eq!(odd.len(), 2);
        assert!(odd[0].hidden);
        assert_eq!(odd[0].stream, LogStream::Stdout);
        assert_eq!(odd[1].order, 2);
    }

    /// A random log: outputs of zero to three lines (some blank), a few commands and
    /// batches, hidden entries, entries without an order, and the orders shuffled.
    fn random_log(rng: &mut fastrand::Rng, n: usize) -> String {
        const COMMANDS: [Option<&str>; 3] = [None, Some("npm ci"), Some("docker build .")];
        let mut entries: Vec<serde_json::Value> = (1..=n)
            .map(|order| {
                let lines: Vec<String> = (0..rng.usize(0..4))
                    .map(|k| format!("out {order}.{k}"))
                    .collect();
                let mut e = serde_json::json!({
                    "output": lines.join("\n"),
                    "type": if rng.bool() { "stdout" } else { "stderr" },
                    "hidden": rng.usize(0..5) == 0,
                    "batch": rng.u64(1..4),
                    "command": COMMANDS[rng.usize(0..3)],
                });
                if rng.usize(0..10) > 0 {
                    e["order"] = order.into();
                }
                e
            })
            .collect();
        if rng.bool() {
            rng.shuffle(&mut entries);
        }
        serde_json::to_string(&entries).unwrap()
    }

    #[test]
    fn the_last_lines_are_those_of_the_whole_log() {
        let mut rng = fastrand::Rng::with_seed(13);
        for _ in 0..300 {
            let n = rng.usize(0..40);
            let raw = random_log(&mut rng, n);
            let entries = decode_logs(&raw).unwrap();
            for show_hidden in [false, true] {
                let whole = LineFormatter::new(show_hidden).lines(&entries);
                for max in [0, 1, 2, 3, 7, 1000] {
                    let mut last = LastLines::new(max, show_hidden);
                    last.read_str(&raw).unwrap();
                    let expected = &whole[whole.len().saturating_sub(max)..];
                    assert_eq!(last.into_lines(), expected, "{raw} max {max}");
                }
            }
        }
    }

    #[test]
    fn the_last_lines_hold_only_what_they_show() {
        let mut last = LastLines::new(10, false);
        for order in 1..=100_000u64 {
            let item = format!(
                r#"{{"order":{order},"batch":{},"command":"step {}","output":"line {order} of a long build"}}"#,
                order / 1000,
                order / 1000
            );
            last.offer_json(item.as_bytes()).unwrap();
            assert!(last.held() < 8 * 1024, "{order}: {}", last.held());
        }
        let lines = last.into_lines();
        assert_eq!(lines.len(), 10);
        assert_eq!(lines[9].text, "line 100000 of a long build");
    }
}
