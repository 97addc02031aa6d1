//! The bytes of one input as the parallel readers ([`super::parallel`], [`super::parallel_csv`])
//! see them: a [`Source`] handing out [`Window`]s, one per chunk, each dropped when its chunk is
//! done. A file is mapped window by window; bytes already in memory (tests) are sliced.
//!
//! Why a map per window rather than one map of the whole file or a `pread` into a buffer:
//! - one map of the whole file lets the kernel map a large page-cache folio (or fault-around
//!   block) well past the chunk being read, so the resident set grows with the file unless pages
//!   are released by hand, and how far it grows depends on how the file came into the cache;
//! - `pread` copies every byte once more: on a 1 GB NDJSON file the kernel's copy was half of
//!   the whole run (`perf record`, bench/RESULTS.md).
//!
//! A window maps only its own bytes, so the resident set is
//! bounded by the windows in use, one per worker, and nothing is copied. As with every
//! memory-mapped reader (ripgrep makes the same trade), a file truncated by another process while
//! it is read can fault; sign-in exports are not rewritten in place.

use std::fs::File;
use std::io;
use std::ops::Deref;

use memchr::memchr;

/// Bytes mapped past a window's nominal end when looking for where it really ends (the end of
/// a line or record); multiplied by 4 until that is found, so a record of any length is allowed.
const FIRST_TAIL: usize = 64 << 10;

/// At least this much of the start of the input is in [`Source::head`] (the encoding and binary
/// checks look at the first 64 KiB).
const HEAD_MIN: usize = 64 << 10;

/// One input, read window by window.
#[derive(Clone, Copy)]
pub(super) enum Source<'a> {
    /// A regular file of `len` bytes.
    File { file: &'a File, len: usize },
    /// Bytes already in memory.
    Bytes(&'a [u8]),
}

/// Bytes `from..` of a [`Source`]: a map of its own, or a slice of the bytes in memory.
pub(super) struct Window<'a> {
    map: Option<memmap2::Mmap>,
    slice: &'a [u8],
    /// How much of the map or slice is the window.
    len: usize,
}

impl Deref for Window<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match &self.map {
            Some(m) => &m[..self.len],
            None => &self.slice[..self.len],
        }
    }
}

impl<'a> Source<'a> {
    pub fn len(&self) -> usize {
        match *self {
            Source::File { len, .. } => len,
            Source::Bytes(b) => b.len(),
        }
    }

    /// Bytes `from..to` (clamped to the input).
    pub fn window(&self, from: usize, to: usize) -> io::Result<Window<'a>> {
        let to = to.min(self.len());
        let from = from.min(to);
        match *self {
            Source::Bytes(b) => Ok(Window { map: None, slice: &b[from..to], len: to - from }),
            Source::File { .. } if to == from => Ok(Window { map: None, slice: &[], len: 0 }),
            Source::File { file, .. } => {
                // Not prefaulted (MAP_POPULATE): faulting in as the scan goes, 16 pages a fault,
                // measured faster on the 1 GB benchmark file.
                let mut options = memmap2::MmapOptions::new();
                options.offset(from as u64).len(to - from);
                // SAFETY: read-only and private to this window; see the module doc on truncation.
                let map = unsafe { options.map(file)? };
                Ok(Window { len: map.len(), map: Some(map), slice: &[] })
            }
        }
    }

    /// Bytes `from..to` and as many more as `end_of` needs to say where the window ends:
    /// `end_of(bytes, whole_rest)` gets the bytes mapped so far (`whole_rest`: they reach the end
    /// of the input) and returns the window's length and what it found, or `None` for more bytes.
    /// Past the end of the input it is asked with `whole_rest` set, and must answer then.
    pub fn window_until<T>(
        &self,
        from: usize,
        to: usize,
        end_of: impl Fn(&[u8], bool) -> Option<(usize, T)>,
    ) -> io::Result<(Window<'a>, T)> {
        let mut tail = FIRST_TAIL;
        loop {
            let to_now = to.saturating_add(tail).min(self.len());
            let mut window = self.window(from, to_now)?;
            let whole_rest = to_now >= self.len();
            match end_of(&window, whole_rest) {
                Some((len, found)) => {
                    window.len = len.min(window.len);
                    return Ok((window, found));
                }
                None if whole_rest => {
                    return Err(io::Error::other("a window's end was not found at the end of the input"));
                }
                None => tail = tail.saturating_mul(4),
            }
        }
    }

    /// Bytes `from..to` extended through the first `\n` at or after `to` (or to the end of the
    /// input): a chunk of whole lines, the next chunk beginning after that line end.
    pub fn through_line_end(&self, from: usize, to: usize) -> io::Result<Window<'a>> {
        let nominal = to.min(self.len()).saturating_sub(from);
        let end_of = |bytes: &[u8], whole_rest: bool| match memchr(b'\n', &bytes[nominal.min(bytes.len())..]) {
            Some(j) => Some((nominal + j + 1, ())),
            None => whole_rest.then_some((bytes.len(), ())),
        };
        Ok(self.window_until(from, to, end_of)?.0)
    }

    /// The start of the input through the end of its second line, and at least its first
    /// [`HEAD_MIN`] bytes: what the format checks look at. `None` when it cannot be read or the
    /// first two lines are longer than 16 MiB.
    pub fn head(&self) -> Option<Window<'a>> {
        let end_of = |bytes: &[u8], whole_rest: bool| {
            let two_lines = memchr::memchr_iter(b'\n', bytes).nth(1).is_some();
            (two_lines || whole_rest || bytes.len() > 16 << 20).then_some((bytes.len(), two_lines || whole_rest))
        };
        match self.window_until(0, HEAD_MIN, end_of) {
            Ok((head, true)) => Some(head),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn file_and_memory_windows_agree() {
        let mut text = Vec::new();
        for i in 0..40_000u32 {
            writeln!(text, "line {i} {}", "x".repeat((i % 97) as usize)).unwrap();
        }
        text.extend_from_slice(b"no newline at the end");
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&text).unwrap();
        let file = Source::File { file: &f, len: text.len() };
        let memory = Source::Bytes(&text);
        for (from, to) in [(0, 10), (5, 70_000), (1_000_000, 1_300_000), (text.len() - 30, text.len()), (9, 9)] {
            let (a, b) = (file.through_line_end(from, to).unwrap(), memory.through_line_end(from, to).unwrap());
            assert_eq!(&a[..], &b[..]);
            let end = from + a.len();
            assert!(end == text.len() || text[end - 1] == b'\n', "{from}..{to} ends after a line");
            assert!(end >= to.min(text.len()));
            assert_eq!(&file.window(from, to).unwrap()[..], &text[from..to.min(text.len())]);
        }
        let head = file.head().unwrap();
        assert!(head.len() >= HEAD_MIN && text.starts_with(&head));
        // A line longer than the first tail: the window grows until it ends.
        let long = [b"a\n".as_slice(), &vec![b'y'; 300_000], b"\nz\n"].concat();
        let w = Source::Bytes(&long).through_line_end(0, 3).unwrap();
        assert_eq!(w.len(), long.len() - 2);
        assert_eq!(&Source::Bytes(b"one line").head().unwrap()[..], b"one line");
    }
}
