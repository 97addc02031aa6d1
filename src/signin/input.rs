//! Bytes in: files (memory-mapped, so a 1 GB export is never copied into memory; the readers
//! give back the pages they have gone past with [`PageRelease`], so it is never all resident
//! either), stdin, directories walked recursively in sorted order, `.gz` and `.zip` recognised by
//! their magic bytes, and text decoding (UTF-8 with or without BOM, UTF-16LE/BE with or without BOM,
//! Shift_JIS as Excel writes a re-saved CSV in Japan).
//!
//! Decompressed and transcoded data goes to a [`Spool`]: memory up to [`SPOOL_MEMORY`], an
//! anonymous temporary file (mapped back) beyond, so memory stays bounded whatever the size.

use std::fs::File;
use std::io::{self, Read, Write};
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// In-memory limit of a [`Spool`] before it moves to a temporary file.
const SPOOL_MEMORY: usize = 64 << 20;
/// Files smaller than this are read rather than mapped (mapping has a fixed cost).
const MAP_THRESHOLD: u64 = 1 << 20;
/// No archive member or gzip stream is expanded beyond this (a zip bomb stops here).
pub const MAX_EXPANDED: u64 = 16 << 30;

/// Bytes of one input: owned, or a read-only mapping of a file.
pub enum Bytes {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

/// Open a regular file: mapped when large, read when small.
pub fn open_file(path: &Path) -> io::Result<Bytes> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    if len < MAP_THRESHOLD {
        let mut v = Vec::with_capacity(len as usize);
        (&file).read_to_end(&mut v)?;
        return Ok(Bytes::Owned(v));
    }
    // SAFETY: the mapping is read-only and private to this read; a file truncated by another
    // process while we read it is the one case mapping cannot guard against (ripgrep makes the
    // same trade for the same speed).
    let map = unsafe { memmap2::Mmap::map(&file)? };
    // Read front to back once: let the kernel read ahead and drop pages behind us.
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(Bytes::Mapped(map))
}

impl Bytes {
    /// The read-only file mapping behind these bytes, if they are one.
    pub fn mapping(&self) -> Option<&memmap2::Mmap> {
        match self {
            Bytes::Mapped(m) => Some(m),
            Bytes::Owned(_) => None,
        }
    }
}

/// Gives back the pages of a read-only file mapping that a sequential reader has gone past, so
/// reading a large file keeps a bounded resident set: without it every page of a 1 GB file
/// stays mapped into the process until the end (RSS ≈ the file). The pages stay in the page
/// cache; touching one again only maps it again, so releasing too much is slower, never wrong.
pub struct PageRelease<'m> {
    map: &'m memmap2::Mmap,
    /// Bytes of the map already given back.
    released: usize,
}

impl<'m> PageRelease<'m> {
    /// Release in steps of this many bytes (one `madvise` per step)...
    const STEP: usize = 8 << 20;
    /// ...keeping this much before the reader's position mapped (line counting looks back).
    const KEEP: usize = 1 << 20;

    pub fn new(map: &'m memmap2::Mmap) -> Self {
        PageRelease { map, released: 0 }
    }

    /// The reader is at `at` (a slice starting inside the map; anything else is ignored) and
    /// will not look far behind it again.
    pub fn reached(&mut self, at: &[u8]) {
        let (base, pos) = (self.map.as_ptr() as usize, at.as_ptr() as usize);
        let Some(offset) = pos.checked_sub(base).filter(|&o| o <= self.map.len()) else { return };
        let until = offset.saturating_sub(Self::KEEP) / Self::STEP * Self::STEP;
        if until > self.released {
            #[cfg(unix)]
            // SAFETY: a read-only file mapping: dropping its pages makes a later access read them
            // again from the page cache; nothing is lost (see the type's doc).
            let _ = unsafe {
                self.map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    self.released,
                    until - self.released,
                )
            };
            self.released = until;
        }
    }
}

/// A growable byte buffer that moves to an anonymous temporary file past [`SPOOL_MEMORY`].
#[derive(Default)]
pub struct Spool {
    mem: Vec<u8>,
    file: Option<File>,
    len: u64,
}

impl Spool {
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn finish(self) -> io::Result<Bytes> {
        match self.file {
            None => Ok(Bytes::Owned(self.mem)),
            Some(mut f) => {
                f.write_all(&self.mem)?;
                f.flush()?;
                // SAFETY: the temporary file is ours alone (anonymous, already unlinked).
                Ok(Bytes::Mapped(unsafe { memmap2::Mmap::map(&f)? }))
            }
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.file.is_none() && self.mem.len() + buf.len() > SPOOL_MEMORY {
            let mut f = tempfile::tempfile()?;
            f.write_all(&self.mem)?;
            self.mem = Vec::new();
            self.file = Some(f);
        }
        match &mut self.file {
            Some(f) => f.write_all(buf)?,
            None => self.mem.extend_from_slice(buf),
        }
        self.len += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Copy `r` into a spool, at most [`MAX_EXPANDED`] bytes. On an error the bytes read so far are
/// returned with it: a truncated download still gives its complete records.
pub fn spool_from(r: impl Read) -> (Spool, Option<io::Error>) {
    let mut spool = Spool::default();
    let mut limited = r.take(MAX_EXPANDED + 1);
    let mut buf = vec![0u8; 256 << 10];
    loop {
        match limited.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if let Err(e) = spool.write_all(&buf[..n]) {
                    return (spool, Some(e));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (spool, Some(e)),
        }
    }
    if spool.len() > MAX_EXPANDED {
        let e = io::Error::other(format!("expands to more than {} GiB", MAX_EXPANDED >> 30));
        return (spool, Some(e));
    }
    (spool, None)
}

/// What the first bytes say the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Gzip,
    Zip,
    Plain,
}

pub fn container_of(b: &[u8]) -> Container {
    if b.starts_with(&[0x1f, 0x8b]) {
        Container::Gzip
    } else if b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") {
        Container::Zip
    } else {
        Container::Plain
    }
}

/// The text encoding of an input, from its BOM or, without one, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8; the number of BOM bytes to skip (0 or 3).
    Utf8(usize),
    Utf16Le,
    Utf16Be,
}

pub fn sniff_encoding(b: &[u8]) -> TextEncoding {
    if b.starts_with(b"\xEF\xBB\xBF") {
        return TextEncoding::Utf8(3);
    }
    if b.starts_with(b"\xFF\xFE") {
        return TextEncoding::Utf16Le;
    }
    if b.starts_with(b"\xFE\xFF") {
        return TextEncoding::Utf16Be;
    }
    // No BOM: ASCII text in UTF-16 has every other byte zero ("{\0\"\0" or "\0{\0\"").
    if b.len() >= 4 {
        if b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0 {
            return TextEncoding::Utf16Le;
        }
        if b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0 {
            return TextEncoding::Utf16Be;
        }
    }
    TextEncoding::Utf8(0)
}

/// Transcode UTF-16 to UTF-8 in chunks into a spool (BOM removed; unpaired surrogates become
/// U+FFFD, which then fails no parser).
pub fn utf16_to_utf8(b: &[u8], enc: TextEncoding) -> io::Result<Bytes> {
    let encoding = if enc == TextEncoding::Utf16Be { encoding_rs::UTF_16BE } else { encoding_rs::UTF_16LE };
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut spool = Spool::default();
    let mut out = vec![0u8; 256 << 10];
    let mut src = b;
    loop {
        let (result, read, written, _) = decoder.decode_to_utf8(src, &mut out, true);
        spool.write_all(&out[..written])?;
        src = &src[read..];
        if result == encoding_rs::CoderResult::InputEmpty {
            break;
        }
    }
    spool.finish()
}

/// Japanese Excel saves CSV as Shift_JIS (CP932): text that is not UTF-8 but is clean
/// Shift_JIS with at least one multi-byte character is transcoded. `None` otherwise.
pub fn shift_jis_to_utf8(b: &[u8]) -> Option<Bytes> {
    if b.is_ascii() {
        return None;
    }
    let text = encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(b)?;
    Some(Bytes::Owned(text.into_owned().into_bytes()))
}

/// Whether decoded text looks binary: a NUL or more than 1% control characters in the first
/// 8 KiB, or bytes that are not UTF-8 in the first line. Invalid UTF-8 further on is left to
/// the record it is in (one bad record, not a bad file).
pub fn looks_binary(text: &[u8]) -> bool {
    let head = &text[..text.len().min(8 << 10)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    if controls * 100 > head.len() {
        return true;
    }
    let newline = memchr::memchr(b'\n', head).filter(|&i| i <= 1 << 10);
    let line = &head[..newline.unwrap_or(head.len().min(1 << 10))];
    // A character cut by the 1 KiB window (no newline yet) is not an error.
    matches!(std::str::from_utf8(line), Err(e) if e.error_len().is_some() || newline.is_some())
}

/// The entries of a directory to read, in sorted order. Hidden entries (`.name`, e.g.
/// `.DS_Store`, `.git`) are not inputs and are left out, as ripgrep does.
pub fn dir_entries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        v.push(e.path());
    }
    v.sort();
    Ok(v)
}

/// Zip members worth reading: files, not directories nor macOS resource forks (`__MACOSX/`).
pub fn is_zip_member_input(name: &str) -> bool {
    !name.ends_with('/') && !name.starts_with("__MACOSX/") && !name.rsplit('/').next().unwrap_or("").starts_with("._")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages given back are read again from the file, unchanged; only pages of the map are
    /// touched, in steps, never ahead of the reader.
    #[test]
    fn released_pages_read_back_unchanged() {
        let data: Vec<u8> = (0..40u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&data).unwrap();
        // SAFETY: a private temporary file nobody else writes.
        let map = unsafe { memmap2::Mmap::map(&f).unwrap() };
        assert_eq!(&map[..], &data[..]);
        let mut pages = PageRelease::new(&map);
        pages.reached(&data[30 << 20..]); // not in the map: ignored
        assert_eq!(pages.released, 0);
        pages.reached(&map[5 << 20..]);
        assert_eq!(pages.released, 0, "less than a step behind the reader");
        pages.reached(&map[(17 << 20) + 3..]);
        assert_eq!(pages.released, 16 << 20);
        pages.reached(&map[map.len()..]);
        assert_eq!(pages.released, 32 << 20, "the last MiB before the reader stays");
        assert_eq!(&map[..], &data[..], "read back from the page cache");
    }

    #[test]
    fn encodings_are_sniffed_with_and_without_bom() {
        assert_eq!(sniff_encoding(b"\xEF\xBB\xBF{"), TextEncoding::Utf8(3));
        assert_eq!(sniff_encoding(b"\xFF\xFE{\0"), TextEncoding::Utf16Le);
        assert_eq!(sniff_encoding(b"\xFE\xFF\0{"), TextEncoding::Utf16Be);
        assert_eq!(sniff_encoding(b"{\0\"\0"), TextEncoding::Utf16Le);
        assert_eq!(sniff_encoding(b"\0{\0\""), TextEncoding::Utf16Be);
        assert_eq!(sniff_encoding(b"{\"a\""), TextEncoding::Utf8(0));
    }

    #[test]
    fn utf16_round_trips_through_the_spool() {
        let text = "日付,ユーザー\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(&*utf16_to_utf8(&le, TextEncoding::Utf16Le).unwrap(), text.as_bytes());
        assert_eq!(&*utf16_to_utf8(&be, TextEncoding::Utf16Be).unwrap(), text.as_bytes());
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\0\0"));
        assert!(looks_binary(b"\xff\xd8\xff\xe0 JFIF"));
        assert!(!looks_binary("Date (UTC),User\n2024-01-01,山田\n".as_bytes()));
        assert!(!looks_binary(b"Date (UTC),User\n2024-01-01,\xff\xfe\n"), "a bad byte in a record is not a bad file");
        // A multi-byte character cut at the 1 KiB window is not binary.
        let mut t = vec![b'a'; 1023];
        t.extend("日".as_bytes());
        assert!(!looks_binary(&t));
    }

    #[test]
    fn spool_moves_to_a_file_past_its_memory_limit() {
        let mut s = Spool::default();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..(SPOOL_MEMORY >> 20) + 2 {
            s.write_all(&chunk).unwrap();
        }
        assert!(s.file.is_some());
        let len = s.len();
        let b = s.finish().unwrap();
        assert_eq!(b.len() as u64, len);
        assert!(b.iter().all(|&c| c == b'x'));
    }
}
