//! Reading a JSON list answer item by item while it arrives: complete items are decoded in
//! batches as soon as their last bytes are in, and their bytes are then dropped. A
//! multi-megabyte `GET /applications` is then never held whole, and its decoding overlaps
//! the transfer.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::{Mutex, MutexGuard};

use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;
use wide::u8x16;

use super::wire;

/// Items are decoded in batches of about this many bytes.
const BATCH: usize = 256 * 1024;
/// Batches being decoded at once; reading waits for the oldest beyond this.
const IN_FLIGHT: usize = 4;

/// Where a scan inside an item is: how deep in it, and in a string or not.
#[derive(Debug, Clone, Copy)]
struct Scan {
    depth: usize,
    in_string: bool,
    /// The previous byte, inside a string, was an unescaped backslash.
    escaped: bool,
}

/// The bytes that matter in a block of up to 64, one bit per byte.
struct Block {
    quotes: u64,
    backslashes: u64,
    /// `{` or `[`.
    opens: u64,
    /// `}` or `]`.
    closes: u64,
}

impl Block {
    /// Classify up to 64 bytes, 16 at a time with vector compares.
    fn of(bytes: &[u8]) -> Self {
        let mut padded = [b' '; 64];
        let whole: &[u8; 64] = match bytes.try_into() {
            Ok(whole) => whole,
            Err(_) => {
                padded[..bytes.len()].copy_from_slice(bytes);
                &padded
            }
        };
        let (quote, backslash) = (u8x16::splat(b'"'), u8x16::splat(b'\\'));
        // `[` and `{` differ only in bit 5, as do `]` and `}`.
        let (bit5, open, close) = (u8x16::splat(0x20), u8x16::splat(b'{'), u8x16::splat(b'}'));
        let mut block = Self {
            quotes: 0,
            backslashes: 0,
            opens: 0,
            closes: 0,
        };
        for (k, lane) in whole.chunks_exact(16).enumerate() {
            let lane = u8x16::new(lane.try_into().unwrap_or([b' '; 16]));
            let folded = lane | bit5;
            let bits = |v: u8x16| u64::from(v.to_bitmask()) << (k * 16);
            block.quotes |= bits(lane.simd_eq(quote));
            block.backslashes |= bits(lane.simd_eq(backslash));
            block.opens |= bits(folded.simd_eq(open));
            block.closes |= bits(folded.simd_eq(close));
        }
        block
    }
}

/// Bit `i` set where an odd number of bits at or before `i` are: with the quotes of a
/// block, the bytes inside strings (with their opening quote, without their closing one).
fn prefix_xor(mut bits: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        bits ^= bits << shift;
    }
    bits
}

impl Scan {
    /// Scan `bytes` inside an item, 64 at a time: the number of bytes up to and with the
    /// bracket that closes the item, or `None` when they run out first.
    fn item(mut self, bytes: &[u8]) -> (Self, Option<usize>) {
        for (n, chunk) in bytes.chunks(64).enumerate() {
            let block = Block::of(chunk);
            let valid = u64::MAX >> (64 - chunk.len());
            // The bytes escaped by a backslash: few, so taken one by one.
            let mut escaped = u64::from(self.escaped);
            let mut backslashes = block.backslashes & valid;
            self.escaped = false;
            while backslashes != 0 {
                let i = backslashes.trailing_zeros();
                backslashes &= backslashes - 1;
                if escaped & (1 << i) == 0 {
                    if i + 1 == chunk.len() as u32 {
                        self.escaped = true;
                    } else {
                        escaped |= 1 << (i + 1);
                    }
                }
            }
            let mut inside = prefix_xor(block.quotes & !escaped & valid);
            if self.in_string {
                inside = !inside;
            }
            let mut brackets = (block.opens | block.closes) & !inside & valid;
            while brackets != 0 {
                let i = brackets.trailing_zeros();
                brackets &= brackets - 1;
                if block.opens & (1 << i) != 0 {
                    self.depth += 1;
                } else {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.in_string = false;
                        self.escaped = false;
                        return (self, Some(n * 64 + i as usize + 1));
                    }
                }
            }
            self.in_string = inside & (1 << (chunk.len() - 1)) != 0;
        }
        (self, None)
    }
}

/// Where the splitter is in the top-level list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before the opening `[`.
    Start,
    /// Inside the list, between items (after `[` or `,`).
    BeforeItem,
    /// Inside an item.
    InItem,
    /// After an item, before `,` or `]`.
    AfterItem,
    /// After the closing `]`.
    Done,
}

/// What went wrong while splitting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SplitError {
    /// The answer is not a JSON list (an object, HTML, ...): read it whole instead.
    #[error("the answer is not a JSON list")]
    NotAList,
    /// The list itself is broken (unbalanced, trailing bytes, cut short).
    #[error("{0}")]
    Syntax(String),
}

/// Splits the bytes of a top-level JSON array into its items, across chunk boundaries.
#[derive(Debug)]
pub(crate) struct Splitter {
    buf: Vec<u8>,
    /// How far `buf` has been scanned.
    pos: usize,
    place: Place,
    /// Where the current item starts in `buf`.
    start: usize,
    /// Where the scan is inside the current item.
    scan: Scan,
}

impl Splitter {
    pub(crate) fn new() -> Self {
        Self {
            buf: Vec::new(),
            pos: 0,
            place: Place::Start,
            start: 0,
            scan: Scan {
                depth: 0,
                in_string: false,
                escaped: false,
            },
        }
    }

    /// The bytes kept so far (the unfinished item), for reading an answer whole after all.
    pub(crate) fn into_pending(self) -> Vec<u8> {
        self.buf
    }

    /// How many bytes it keeps (the unfinished item).
    pub(crate) fn held(&self) -> usize {
        self.buf.len()
    }

    /// Add a chunk; `item` gets each item completed by it, as raw JSON. Only the unfinished
    /// item is kept.
    pub(crate) fn feed(
        &mut self,
        chunk: &[u8],
        mut item: impl FnMut(&[u8]) -> Result<(), SplitError>,
    ) -> Result<(), SplitError> {
        self.scan(chunk, |buf, range| item(&buf[range]))?;
        let done = self.done();
        self.buf.drain(..done);
        self.rebase(done);
        Ok(())
    }

    /// Add a chunk and keep it; `item` gets each item it completes as a range of the bytes
    /// kept, which stay where they are until [`Splitter::take_done`].
    fn scan(
        &mut self,
        chunk: &[u8],
        mut item: impl FnMut(&[u8], Range<usize>) -> Result<(), SplitError>,
    ) -> Result<(), SplitError> {
        if self.place == Place::Start && self.buf.is_empty() {
            // Keep the first bytes even before `[`, so a non-list can be read whole.
            self.buf.reserve(chunk.len());
        }
        self.buf.extend_from_slice(chunk);
        let buf = &self.buf;
        let mut i = self.pos;
        while i < buf.len() {
            if self.scan.in_string {
                match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                    None => {
                        // A chunk can end right after a backslash.
                        self.scan.escaped = false;
                        i = buf.len();
                        break;
                    }
                    Some(off) if self.scan.escaped && off == 0 => {
                        self.scan.escaped = false;
                        i += 1;
                        continue;
                    }
                    Some(off) => {
                        self.scan.escaped = false;
                        i += off;
                        if buf[i] == b'\\' {
                            // Skip the escaped byte (it may be in the next chunk).
                            if i + 1 < buf.len() {
                                i += 2;
                            } else {
                                self.scan.escaped = true;
                                i += 1;
                            }
                            continue;
                        }
                        self.scan.in_string = false;
                        i += 1;
                        if self.place == Place::InItem && self.scan.depth == 0 {
                            // A bare string item ends with its closing quote.
                            item(buf, self.start..i)?;
                            self.place = Place::AfterItem;
                        }
                        continue;
                    }
                }
            }
            let b = buf[i];
            match self.place {
                Place::Start => match b {
                    b' ' | b'\t' | b'\n' | b'\r' => {}
                    b'[' => self.place = Place::BeforeItem,
                    _ => return Err(SplitError::NotAList),
                },
                Place::BeforeItem | Place::AfterItem
                    if matches!(b, b' ' | b'\t' | b'\n' | b'\r') => {}
                Place::BeforeItem if b == b']' => self.place = Place::Done,
                Place::AfterItem if b == b']' => self.place = Place::Done,
                Place::AfterItem if b == b',' => self.place = Place::BeforeItem,
                Place::AfterItem => {
                    return Err(SplitError::Syntax(format!(
                        "expected `,` or `]` after a list item, found `{}`",
                        b.escape_ascii()
                    )));
                }
                Place::BeforeItem => {
                    self.place = Place::InItem;
                    self.start = i;
                    self.scan.depth = 0;
                    match b {
                        b'{' | b'[' => self.scan.depth = 1,
                        b'"' => self.scan.in_string = true,
                        b',' | b']' | b'}' => {
                            return Err(SplitError::Syntax("an empty list item".into()));
                        }
                        // A number, true, false or null: ends at `,`, `]` or whitespace.
                        _ => {}
                    }
                }
                Place::InItem if self.scan.depth == 0 => {
                    // Inside a bare scalar.
                    if matches!(b, b',' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        item(buf, self.start..i)?;
                        self.place = Place::AfterItem;
                        continue; // look at this byte again
                    }
                }
                Place::InItem => {
                    // The hot loop: most of an answer is inside objects, read 64 bytes at
                    // a time.
                    let end;
                    (self.scan, end) = self.scan.item(&buf[i..]);
                    match end {
                        Some(len) => {
                            i += len;
                            item(buf, self.start..i)?;
                            self.place = Place::AfterItem;
                        }
                        None => i = buf.len(),
                    }
                    continue;
                }
                Place::Done => match b {
                    b' ' | b'\t' | b'\n' | b'\r' => {}
                    _ => return Err(SplitError::Syntax("bytes after the end of the list".into())),
                },
            }
            i += 1;
        }
        self.pos = i;
        Ok(())
    }

    /// How many of the kept bytes are done with: every byte before the unfinished item.
    fn done(&self) -> usize {
        match self.place {
            // Nothing handed out yet: all is kept, in case the answer is not a list.
            Place::Start => 0,
            Place::InItem => self.start,
            _ => self.pos,
        }
    }

    /// The bytes done with (the items handed out, at the ranges given), leaving only the
    /// unfinished item, moved into `spare`.
    fn take_done(&mut self, mut spare: Vec<u8>) -> Vec<u8> {
        let done = self.done();
        spare.clear();
        spare.extend_from_slice(&self.buf[done..]);
        let mut taken = std::mem::replace(&mut self.buf, spare);
        taken.truncate(done);
        self.rebase(done);
        taken
    }

    /// The first `by` kept bytes went away.
    fn rebase(&mut self, by: usize) {
        self.pos -= by;
        self.start -= by.min(self.start);
    }

    /// The answer ended: it must have been a whole list.
    pub(crate) fn finish(self) -> Result<(), SplitError> {
        match self.place {
            Place::Done => Ok(()),
            Place::Start => Err(SplitError::NotAList),
            _ => Err(SplitError::Syntax("the list was cut short".into())),
        }
    }
}

/// The items of the last read of a list, by a hash of their raw JSON: an item that comes
/// back byte for byte is taken from here instead of being decoded again. A console re-reads
/// the same multi-megabyte list every few seconds, and little in it changes between reads.
pub(crate) struct Memo<T> {
    items: HashMap<u64, T>,
    hasher: foldhash::fast::RandomState,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self {
            items: HashMap::new(),
            hasher: foldhash::fast::RandomState::default(),
        }
    }
}

impl<T> std::fmt::Debug for Memo<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Memo({} items)", self.items.len())
    }
}

/// One item of a batch: raw JSON to decode (at `at` in the batch's bytes), or an item the
/// memo already had.
enum Slot<T> {
    Raw { hash: u64, at: Range<usize> },
    Known { hash: u64, item: T },
}

type Decoded<T> = Vec<(u64, T)>;

/// A batch decoded, with its bytes back for the next one.
type Batch<T> = Result<(Decoded<T>, Vec<u8>), SplitError>;

/// Reads a list answer into its decoded items, in order, while it arrives: the
/// [`Splitter`] finds the items; once they add up to a batch, its bytes are handed as they
/// are (no copy per item) to the blocking pool, so the decoding of a long list runs beside
/// its transfer and on every core; a short list is decoded on the spot when it ends. With a
/// [`Memo`], items seen in the last read are not decoded again.
pub(crate) struct ListDecoder<'m, T> {
    splitter: Splitter,
    /// The items found since the last batch went out.
    slots: Vec<Slot<T>>,
    in_flight: VecDeque<JoinHandle<Batch<T>>>,
    /// Buffers of decoded batches, for the splitter to fill again.
    spare: Vec<Vec<u8>>,
    items: Decoded<T>,
    memo: Option<&'m Mutex<Memo<T>>>,
}

impl<'m, T: DeserializeOwned + Clone + Send + 'static> ListDecoder<'m, T> {
    pub(crate) fn new(memo: Option<&'m Mutex<Memo<T>>>) -> Self {
        Self {
            splitter: Splitter::new(),
            slots: Vec::new(),
            in_flight: VecDeque::new(),
            spare: Vec::new(),
            items: Vec::new(),
            memo,
        }
    }

    /// Add a chunk of the answer.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Result<(), SplitError> {
        let mut memo = self.memo.map(lock);
        let slots = &mut self.slots;
        self.splitter.scan(chunk, |buf, at| {
            let Some(memo) = memo.as_mut() else {
                slots.push(Slot::Raw { hash: 0, at });
                return Ok(());
            };
            let hash = memo.hasher.hash_one(&buf[at.clone()]);
            slots.push(match memo.items.remove(&hash) {
                Some(item) => Slot::Known { hash, item },
                None => Slot::Raw { hash, at },
            });
            Ok(())
        })
    }

    /// The bytes kept so far, for reading an answer that is not a list whole after all.
    pub(crate) fn into_pending(self) -> Vec<u8> {
        self.splitter.into_pending()
    }

    /// Hand a full batch to the blocking pool and, with too many out, wait for the oldest;
    /// with `all`, wait for every batch out (the list ended).
    pub(crate) async fn settle(&mut self, all: bool) -> Result<(), SplitError> {
        if all {
            while let Some(oldest) = self.in_flight.pop_front() {
                self.join(oldest).await?;
            }
            return Ok(());
        }
        if self.splitter.done() < BATCH {
            return Ok(());
        }
        let spare = self
            .spare
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(BATCH * 2));
        let bytes = self.splitter.take_done(spare);
        let slots = std::mem::take(&mut self.slots);
        self.in_flight
            .push_back(tokio::task::spawn_blocking(move || {
                let decoded = decode_batch(&bytes, slots)?;
                Ok((decoded, bytes))
            }));
        while self.in_flight.len() > IN_FLIGHT {
            if let Some(oldest) = self.in_flight.pop_front() {
                self.join(oldest).await?;
            }
        }
        Ok(())
    }

    async fn join(&mut self, batch: JoinHandle<Batch<T>>) -> Result<(), SplitError> {
        let (decoded, bytes) = batch
            .await
            .map_err(|e| SplitError::Syntax(format!("the decoding task stopped: {e}")))??;
        self.items.extend(decoded);
        self.spare.push(bytes);
        Ok(())
    }

    /// Every item, in the order of the list (after [`ListDecoder::settle`] with `all`);
    /// the memo now holds these.
    pub(crate) fn finish(mut self) -> Result<Vec<T>, SplitError> {
        if !self.in_flight.is_empty() {
            return Err(SplitError::Syntax("batches still being decoded".into()));
        }
        let rest = self.splitter.take_done(Vec::new());
        self.splitter.finish()?;
        self.items.extend(decode_batch(&rest, self.slots)?);
        let Some(mut memo) = self.memo.map(lock) else {
            return Ok(self.items.into_iter().map(|(_, item)| item).collect());
        };
        memo.items.clear();
        memo.items.reserve(self.items.len());
        let mut out = Vec::with_capacity(self.items.len());
        for (hash, item) in self.items {
            memo.items.insert(hash, item.clone());
            out.push(item);
        }
        Ok(out)
    }
}

fn lock<T>(memo: &Mutex<Memo<T>>) -> MutexGuard<'_, Memo<T>> {
    memo.lock().unwrap_or_else(|e| e.into_inner())
}

fn decode_batch<T: DeserializeOwned>(
    batch: &[u8],
    slots: Vec<Slot<T>>,
) -> Result<Decoded<T>, SplitError> {
    let mut out = Vec::with_capacity(slots.len());
    for slot in slots {
        match slot {
            Slot::Raw { hash, at } => {
                if let Some(item) = decode_item(&batch[at])? {
                    out.push((hash, item));
                }
            }
            Slot::Known { hash, item } => out.push((hash, item)),
        }
    }
    Ok(out)
}

/// Decode one item of a list answer: an item that does not fit is skipped (`None`, like
/// [`wire::List`]); broken JSON fails the list.
fn decode_item<T: DeserializeOwned>(raw: &[u8]) -> Result<Option<T>, SplitError> {
    match wire::from_slice::<T>(raw) {
        Ok(v) => Ok(Some(v)),
        Err(err) if err.is_data() => {
            tracing::warn!(%err, "skipping an item Coolify sent that does not fit");
            Ok(None)
        }
        Err(err) => Err(SplitError::Syntax(err.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Split `body` fed in chunks of `n` bytes.
    fn split(body: &str, n: usize) -> Result<Vec<String>, SplitError> {
        let mut s = Splitter::new();
        let mut items = Vec::new();
        for chunk in body.as_bytes().chunks(n.max(1)) {
            s.feed(chunk, |raw| {
                items.push(String::from_utf8(raw.to_vec()).unwrap());
                Ok(())
            })?;
        }
        s.finish()?;
        Ok(items)
    }

    #[test]
    fn items_come_out_whole_whatever_the_chunking() {
        let body = r#" [ {"a":"x,]}\"\\","b":[1,{"c":"]"}]}, "s\"]" ,12, -3.5e2 ,true,null, [[],{}] ,{"u":"é ☃"} ] "#;
        let expected = vec![
            r#"{"a":"x,]}\"\\","b":[1,{"c":"]"}]}"#,
            r#""s\"]""#,
            "12",
            "-3.5e2",
            "true",
            "null",
            "[[],{}]",
            r#"{"u":"é ☃"}"#,
        ];
        for n in [1, 2, 3, 5, 7, 64, 4096] {
            assert_eq!(split(body, n).unwrap(), expected, "chunks of {n}");
        }
        assert_eq!(split("[]", 1).unwrap(), Vec::<String>::new());
        assert_eq!(split("\n[ ]\n", 1).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn random_bodies_split_into_their_items_kept_or_not() {
        let mut rng = fastrand::Rng::with_seed(7);
        let pieces = [
            "a", "\\", "\"", "[", "]", "{", "}", ",", "é", "\n", " ", "\\\"",
        ];
        for round in 0..400 {
            // Short items in tiny chunks, or long ones (over many 64-byte blocks) in
            // chunks of up to 400 bytes.
            let (pieces_max, chunk_max) = if round % 2 == 0 { (12, 9) } else { (150, 400) };
            let items: Vec<String> = (0..rng.usize(0..6))
                .map(|_| {
                    let text: String = (0..rng.usize(0..pieces_max))
                        .map(|_| pieces[rng.usize(..pieces.len())])
                        .collect();
                    serde_json::to_string(&serde_json::json!({
                        "s": text, "n": [1, {"t": text}], "e": {}, "b": true
                    }))
                    .unwrap()
                })
                .collect();
            let body = format!("[{}]", items.join(","));
            let mut s = Splitter::new();
            let mut got = Vec::new();
            // Items found by `scan`, at their ranges in what `take_done` will hand out.
            let mut found: Vec<Range<usize>> = Vec::new();
            let take = |s: &mut Splitter, found: &mut Vec<Range<usize>>, got: &mut Vec<String>| {
                let done = s.take_done(Vec::new());
                for at in found.drain(..) {
                    got.push(String::from_utf8(done[at].to_vec()).unwrap());
                }
            };
            let mut rest = body.as_bytes();
            while !rest.is_empty() {
                let n = rng.usize(1..=rest.len().min(chunk_max));
                if rng.bool() {
                    s.scan(&rest[..n], |_, at| {
                        found.push(at);
                        Ok(())
                    })
                    .unwrap();
                } else {
                    take(&mut s, &mut found, &mut got);
                    s.feed(&rest[..n], |raw| {
                        got.push(String::from_utf8(raw.to_vec()).unwrap());
                        Ok(())
                    })
                    .unwrap();
                }
                if rng.bool() {
                    take(&mut s, &mut found, &mut got);
                }
                rest = &rest[n..];
            }
            take(&mut s, &mut found, &mut got);
            s.finish().unwrap();
            assert_eq!(got, items, "{body}");
        }
    }

    #[test]
    fn what_is_not_a_list_is_told_apart_from_a_broken_list() {
        assert_eq!(split(r#"{"message":"x"}"#, 3), Err(SplitError::NotAList));
        assert_eq!(split("<!DOCTYPE html>", 3), Err(SplitError::NotAList));
        assert_eq!(split("", 3), Err(SplitError::NotAList));
        assert!(matches!(
            split(r#"[{"a":1}"#, 3),
            Err(SplitError::Syntax(_))
        ));
        assert!(matches!(
            split(r#"[{"a":1}] x"#, 3),
            Err(SplitError::Syntax(_))
        ));
        assert!(matches!(
            split(r#"[{"a":1} {"b":2}]"#, 3),
            Err(SplitError::Syntax(_))
        ));
        assert!(matches!(split("[,]", 1), Err(SplitError::Syntax(_))));
    }

    #[test]
    fn the_buffer_keeps_only_the_unfinished_item() {
        let mut s = Splitter::new();
        let mut n = 0;
        let item = format!(r#"{{"uuid":"{}"}}"#, "x".repeat(1000));
        s.feed(b"[", |_| Ok(())).unwrap();
        for _ in 0..100 {
            s.feed(format!("{item},").as_bytes(), |_| {
                n += 1;
                Ok(())
            })
            .unwrap();
            assert!(s.buf.len() < 10, "kept {} bytes", s.buf.len());
        }
        s.feed(&item.as_bytes()[..500], |_| Ok(())).unwrap();
        assert_eq!(s.buf.len(), 500);
        s.feed(format!("{}]", &item[500..]).as_bytes(), |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
        s.finish().unwrap();
        assert_eq!(n, 101);
    }

    #[test]
    fn items_that_do_not_fit_are_skipped_broken_ones_fail() {
        let app = decode_item::<wire::Application>(br#"{"uuid":"a"}"#).unwrap();
        assert_eq!(app.map(|a| a.uuid).as_deref(), Some("a"));
        let skipped = decode_item::<wire::Application>(br#"{"name":"no uuid"}"#).unwrap();
        assert!(skipped.is_none());
        assert!(decode_item::<wire::Application>(br#"{"uuid":"a""#).is_err());
    }

    /// A list long enough for many batches on the blocking pool, fed as a transfer would.
    fn many_items(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                format!(
                    r#"{{"uuid":"app-{i}","description":"{}"}}"#,
                    "x".repeat(900)
                )
            })
            .collect()
    }

    /// Read `raw` as one list answer arriving in chunks of 7,919 bytes, the decoder checked
    /// after each chunk by `check`.
    async fn read_list(
        raw: &[String],
        decoder: &mut ListDecoder<'_, wire::Application>,
        mut check: impl FnMut(&ListDecoder<'_, wire::Application>),
    ) -> Result<(), SplitError> {
        let body = format!("[{}]", raw.join(","));
        for chunk in body.as_bytes().chunks(7_919) {
            decoder.feed(chunk)?;
            decoder.settle(false).await?;
            check(decoder);
        }
        decoder.settle(true).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batches_decoded_on_the_pool_keep_the_order_of_the_list() {
        let mut raw = many_items(5_000);
        // One item that does not fit, in the middle of a batch: skipped.
        raw[2_500] = r#"{"name":"no uuid"}"#.into();
        let mut decoder = ListDecoder::<wire::Application>::new(None);
        read_list(&raw, &mut decoder, |d| {
            assert!(d.in_flight.len() <= IN_FLIGHT);
            // Only the unfinished item and the items of the batch being gathered are kept.
            assert!(d.splitter.buf.len() < BATCH + 7_919);
        })
        .await
        .unwrap();
        // Batches went to the pool, and their buffers came back.
        assert!(!decoder.spare.is_empty());
        let items = decoder.finish().unwrap();
        let uuids: Vec<String> = items.into_iter().map(|a| a.uuid).collect();
        let expected: Vec<String> = (0..5_000)
            .filter(|&i| i != 2_500)
            .map(|i| format!("app-{i}"))
            .collect();
        assert_eq!(uuids, expected);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_broken_item_in_a_batch_fails_the_list() {
        // Early enough that the error comes out of `settle`, or late enough for `finish`.
        for broken_at in [10, 4_990] {
            let mut raw = many_items(5_000);
            raw[broken_at] = r#"{"uuid":"a",}"#.into();
            let mut decoder = ListDecoder::<wire::Application>::new(None);
            let failed = match read_list(&raw, &mut decoder, |_| {}).await {
                Ok(()) => decoder.finish().is_err(),
                Err(_) => true,
            };
            assert!(failed, "broken item at {broken_at}");
        }
    }

    /// Read `raw` as one list answer through a decoder with `memo`.
    async fn read(raw: &[String], memo: &Mutex<Memo<wire::Application>>) -> Vec<wire::Application> {
        let mut decoder = ListDecoder::new(Some(memo));
        read_list(raw, &mut decoder, |_| {}).await.unwrap();
        decoder.finish().unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_memo_gives_back_unchanged_items_and_decodes_changed_ones() {
        let memo = Mutex::new(Memo::default());
        let mut raw = many_items(2_000);
        let first = read(&raw, &memo).await;
        assert_eq!(first.len(), 2_000);
        assert_eq!(lock(&memo).items.len(), 2_000);

        // One item changes, one goes, one is new: the rest come from the memo.
        raw[7] = r#"{"uuid":"app-7","description":"changed"}"#.into();
        raw.remove(9);
        raw.push(r#"{"uuid":"app-new"}"#.into());
        let second = read(&raw, &memo).await;
        let uuids: Vec<&str> = second.iter().map(|a| a.uuid.as_str()).collect();
        assert_eq!(uuids.len(), 2_000);
        assert_eq!(uuids[9], "app-10");
        assert_eq!(uuids[1_999], "app-new");
        assert_eq!(second[7].description.as_deref(), Some("changed"));
        assert_eq!(second[8].description, first[8].description);
        // The memo holds exactly what the last read returned.
        assert_eq!(lock(&memo).items.len(), 2_000);
    }
}
