//! The stored lines of a log pane, packed: their texts one after another in blocks of
//! 64 KiB, and per line a 24-byte record of where its text is, its kind, clock and whether
//! it is one of Coolify's hidden lines. A 100,000-line deployment log costs its text plus
//! 2.4 MB, where a `String` and an `Option<Timestamp>` per line cost three times as much.
//! Old lines drop off the front; a block goes once no line uses it.

use std::collections::VecDeque;
use std::ops::Range;

use jiff::Timestamp;

use super::Kind;

/// A block's size; a longer line gets a block of its own.
const BLOCK: usize = 64 * 1024;
/// `Record::clock` of a line without a timestamp.
const NO_CLOCK: i64 = i64::MIN;

/// One stored line, as the ring hands it out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub timestamp: Option<Timestamp>,
    /// Coolify's debug lines: stored always, shown only when asked for.
    pub hidden: bool,
}

#[derive(Debug, Clone, Copy)]
struct Record {
    /// The block's number, counted (wrapping) since the ring was made.
    block: u32,
    start: u32,
    len: u32,
    /// Nanoseconds since the Unix epoch, or [`NO_CLOCK`]. Timestamps outside what that
    /// holds (before 1678, after 2261) are kept as none.
    clock: i64,
    kind: Kind,
    hidden: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Ring {
    blocks: VecDeque<String>,
    /// The number of `blocks[0]`.
    first_block: u32,
    records: VecDeque<Record>,
}

impl Ring {
    pub fn push(&mut self, line: Entry<'_>) {
        let text = line.text;
        let fits = self
            .blocks
            .back()
            .is_some_and(|b| b.capacity() - b.len() >= text.len());
        if !fits {
            self.blocks
                .push_back(String::with_capacity(BLOCK.max(text.len())));
        }
        let block = self.blocks.back_mut().expect("a block was just made");
        let start = block.len();
        block.push_str(text);
        self.records.push_back(Record {
            block: self.first_block.wrapping_add(self.blocks.len() as u32 - 1),
            start: start as u32,
            len: text.len() as u32,
            clock: line
                .timestamp
                .and_then(|t| i64::try_from(t.as_nanosecond()).ok())
                .unwrap_or(NO_CLOCK),
            kind: line.kind,
            hidden: line.hidden,
        });
    }

    /// Drop the oldest line, and the blocks no line uses any more.
    pub fn pop_front(&mut self) {
        if self.records.pop_front().is_none() {
            return;
        }
        let keep_from = match self.records.front() {
            Some(r) => r.block,
            None => self.first_block.wrapping_add(self.blocks.len() as u32),
        };
        while self.first_block != keep_from && self.blocks.pop_front().is_some() {
            self.first_block = self.first_block.wrapping_add(1);
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Entry<'_>> {
        self.records.get(i).map(|r| self.entry(r))
    }

    pub fn front(&self) -> Option<Entry<'_>> {
        self.get(0)
    }

    /// The lines at `range`, which must be within `0..len()`.
    pub fn range(
        &self,
        range: Range<usize>,
    ) -> impl DoubleEndedIterator<Item = Entry<'_>> + ExactSizeIterator {
        range.map(|i| self.entry(&self.records[i]))
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Entry<'_>> + ExactSizeIterator {
        self.range(0..self.len())
    }

    /// Bytes held for records and texts.
    #[cfg(test)]
    pub fn allocation(&self) -> usize {
        self.records.capacity() * size_of::<Record>()
            + self.blocks.iter().map(String::capacity).sum::<usize>()
    }

    fn entry(&self, r: &Record) -> Entry<'_> {
        let block = &self.blocks[r.block.wrapping_sub(self.first_block) as usize];
        Entry {
            kind: r.kind,
            text: &block[r.start as usize..(r.start + r.len) as usize],
            timestamp: (r.clock != NO_CLOCK)
                .then(|| Timestamp::from_nanosecond(r.clock.into()).ok())
                .flatten(),
            hidden: r.hidden,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: Kind, text: &str, timestamp: Option<Timestamp>, hidden: bool) -> Entry<'_> {
        Entry {
            kind,
            text,
            timestamp,
            hidden,
        }
    }

    #[test]
    fn records_are_small() {
        assert_eq!(size_of::<Record>(), 24);
    }

    #[test]
    fn lines_come_back_as_pushed_while_old_ones_and_their_blocks_go() {
        let mut ring = Ring::default();
        let at = |n: i64| Timestamp::from_second(1_700_000_000 + n).unwrap();
        let text = |n: usize| format!("line {n} {}", "x".repeat(n % 300));
        for n in 0..5_000 {
            let stamp = (n % 3 != 0).then(|| at(n as i64));
            ring.push(entry(Kind::Stdout, &text(n), stamp, n % 7 == 0));
            if ring.len() > 1_000 {
                ring.pop_front();
            }
        }
        assert_eq!(ring.len(), 1_000);
        for (i, entry) in ring.iter().enumerate() {
            let n = 4_000 + i;
            assert_eq!(entry.text, text(n));
            assert_eq!(entry.timestamp, (n % 3 != 0).then(|| at(n as i64)));
            assert_eq!(entry.hidden, n % 7 == 0);
        }
        assert_eq!(ring.front().unwrap().text, text(4_000));
        assert_eq!(
            ring.range(998..1_000).next_back().unwrap().text,
            text(4_999)
        );
        // 1,000 lines of ~160 bytes: three or four blocks, not the 5,000 lines' dozen.
        assert!(ring.blocks.len() <= 4, "{} blocks", ring.blocks.len());
        let long = "y".repeat(BLOCK + 10);
        ring.push(entry(Kind::Stderr, &long, None, false));
        assert_eq!(ring.get(1_000).unwrap().text, long);
        assert_eq!(ring.get(999).unwrap().text, text(4_999));
        while !ring.is_empty() {
            ring.pop_front();
        }
        assert!(ring.blocks.is_empty(), "no line, no block");
        ring.push(entry(Kind::Command, "again", None, false));
        assert_eq!(ring.front().unwrap().text, "again");
    }
}
