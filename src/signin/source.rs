//! The readers' front door: paths (files, directories, `-` for stdin) and in-memory inputs,
//! through archive and text decoding ([`super::input`]) and format detection
//! ([`super::detect`]) to the format readers, as one stream of records into a [`Sink`].

use std::collections::HashSet;
use std::io::{Cursor, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use super::detect::{Format, detect};
use super::file::FileReader;
use super::input::{self, Bytes, Container, PageRelease, TextEncoding};
use super::{ReadStats, Sink, csv, json_doc, ndjson};
use crate::Result;
use crate::messages::Lang;

/// How to read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The caller only wants legacy sign-ins: readers may skip records whose client app is
    /// provably modern without parsing them (see `fast`).
    pub legacy_only: bool,
    /// Language of the problem messages.
    pub lang: Lang,
}

/// Archives inside archives are read up to this depth (a zip of zips is common; deeper is not).
const MAX_NESTING: u32 = 4;

/// Read every path (file, directory, or `-` for stdin) into `sink`.
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions, sink: &mut dyn Sink) -> Result<ReadStats> {
    let mut stats = ReadStats::default();
    for input in inputs(paths) {
        if read_input(&input, opts, sink, &mut stats)?.is_break() {
            break;
        }
    }
    Ok(stats)
}

/// One input of a run, in reading order (see [`inputs`]).
#[derive(Debug)]
pub enum Input {
    /// `-`: standard input.
    Stdin,
    /// A file named on the command line or found in a directory.
    File(PathBuf),
    /// A directory that could not be listed: read as one failed file.
    UnreadableDir { name: String, error: String },
}

/// The inputs `paths` name, in reading order: stdin for `-`, files as given, directories walked
/// recursively in sorted order (hidden entries left out; a directory reached twice, say through
/// a symlink loop, is walked once).
pub fn inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    let mut visited = HashSet::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else {
            walk(p, &mut visited, &mut out);
        }
    }
    out
}

fn walk(p: &Path, visited: &mut HashSet<PathBuf>, out: &mut Vec<Input>) {
    if !p.is_dir() {
        out.push(Input::File(p.to_path_buf()));
        return;
    }
    if let Ok(c) = p.canonicalize()
        && !visited.insert(c)
    {
        return;
    }
    match input::dir_entries(p) {
        Ok(entries) => entries.iter().for_each(|e| walk(e, visited, out)),
        Err(e) => out.push(Input::UnreadableDir { name: p.display().to_string(), error: e.to_string() }),
    }
}

/// Read one input into `sink`. `Err` only when standard input cannot be read; `Break` when the
/// sink asked to stop.
pub fn read_input(
    input: &Input,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    stats: &mut ReadStats,
) -> Result<ControlFlow<()>> {
    Ok(match input {
        Input::Stdin => {
            let (spool, err) = input::spool_from(std::io::stdin().lock());
            if let Some(e) = err {
                return Err(crate::Error::io("<stdin>", e));
            }
            let bytes = spool.finish().map_err(|e| crate::Error::io("<stdin>", e))?;
            read_bytes("<stdin>", &bytes, opts, sink, stats)
        }
        Input::File(p) => {
            let name = p.display().to_string();
            match input::open_file(p) {
                Ok(bytes) => read_mapped(&name, &bytes, bytes.mapping(), opts, sink, stats),
                Err(e) => Run { opts, sink, stats }.failed(&name, "unreadable", "read.unreadable_file", &e),
            }
        }
        Input::UnreadableDir { name, error } => {
            Run { opts, sink, stats }.failed(name, "unreadable", "read.unreadable_dir", error)
        }
    })
}

/// Read one in-memory input (the bytes of a file, stream or archive member) named `name`.
/// Compression and encoding are recognised from the bytes. `Break` only when the sink asked to
/// stop; problems never stop the run.
pub fn read_bytes(
    name: &str,
    raw: &[u8],
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    stats: &mut ReadStats,
) -> ControlFlow<()> {
    read_mapped(name, raw, None, opts, sink, stats)
}

/// [`read_bytes`] for bytes that may lie in a file mapping (`map`), whose pages are then given
/// back as the reader goes.
fn read_mapped(
    name: &str,
    raw: &[u8],
    map: Option<&memmap2::Mmap>,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    stats: &mut ReadStats,
) -> ControlFlow<()> {
    stats.bytes += raw.len() as u64;
    sink.file_started(name, raw.len() as u64);
    Run { opts, sink, stats }.content(name, raw, map, 0)
}

/// One read: where records, problems and counts go.
struct Run<'r> {
    opts: &'r ReadOptions,
    sink: &'r mut dyn Sink,
    stats: &'r mut ReadStats,
}

impl Run<'_> {
    fn reader<'n>(&'n mut self, name: &'n str) -> FileReader<'n> {
        let mut r = FileReader::new(name, self.opts.lang, &mut *self.sink, &mut *self.stats);
        r.legacy_only = self.opts.legacy_only;
        r
    }

    /// [`Self::reader`] for text that may lie in `map` (its pages are given back as it is read).
    fn reader_over<'n>(&'n mut self, name: &'n str, map: Option<&'n memmap2::Mmap>) -> FileReader<'n> {
        let mut r = self.reader(name);
        r.pages = map.map(PageRelease::new);
        r
    }

    /// A file (or member) that gives nothing: counted, one problem with `error`.
    fn failed(&mut self, name: &str, code: &'static str, key: &str, error: &dyn std::fmt::Display) -> ControlFlow<()> {
        self.stats.files += 1;
        let mut r = self.reader(name);
        let m = r.msg(key, &[("error", error), ("depth", &MAX_NESTING)]);
        r.file_problem(code, 0, m);
        r.finish()
    }

    /// Bytes that may be compressed: unwrap gzip and zip (nested up to [`MAX_NESTING`]).
    /// `map`: the file mapping `raw` lies in, if any.
    fn content(&mut self, name: &str, raw: &[u8], map: Option<&memmap2::Mmap>, depth: u32) -> ControlFlow<()> {
        let container = input::container_of(raw);
        if container != Container::Plain && depth >= MAX_NESTING {
            return self.failed(name, "bad_archive", "read.nested_too_deep", &"");
        }
        match container {
            Container::Plain => self.text(name, raw, map),
            Container::Gzip => match self.expand(name, flate2::read::MultiGzDecoder::new(raw)) {
                Some(bytes) => self.content(name, &bytes, bytes.mapping(), depth + 1),
                None => ControlFlow::Continue(()),
            },
            Container::Zip => self.zip(name, raw, depth),
        }
    }

    /// Decompress a stream. A stream that breaks part-way gives what came before the break
    /// (with a warning); one that gives nothing is a failed file (`None`).
    fn expand(&mut self, name: &str, r: impl Read) -> Option<Bytes> {
        let (spool, err) = input::spool_from(r);
        let got = spool.len();
        match (err, spool.finish()) {
            (None, Ok(b)) => Some(b),
            (Some(e), Ok(b)) if got > 0 => {
                let mut r = self.reader(name);
                let m = r.msg("read.partial_archive", &[("error", &e), ("bytes", &got)]);
                r.warning("bad_archive", 0, m);
                let _ = r.finish();
                Some(b)
            }
            (Some(e), _) | (None, Err(e)) => {
                let _ = self.failed(name, "bad_archive", "read.bad_archive", &e);
                None
            }
        }
    }

    /// Each member of a zip is read as its own file named `archive.zip!member`, in archive order.
    fn zip(&mut self, name: &str, raw: &[u8], depth: u32) -> ControlFlow<()> {
        let mut archive = match zip::ZipArchive::new(Cursor::new(raw)) {
            Ok(a) => a,
            Err(e) => return self.failed(name, "bad_archive", "read.bad_archive", &e),
        };
        for i in 0..archive.len() {
            let (member, bytes) = match archive.by_index(i) {
                Ok(mut f) => {
                    if f.is_dir() || !input::is_zip_member_input(f.name()) {
                        continue;
                    }
                    let member = format!("{name}!{}", f.name());
                    self.sink.file_started(&member, f.size());
                    let bytes = self.expand(&member, &mut f);
                    (member, bytes)
                }
                Err(e) => {
                    self.failed(&format!("{name}!#{}", i + 1), "bad_archive", "read.bad_archive", &e)?;
                    continue;
                }
            };
            if let Some(bytes) = bytes {
                self.content(&member, &bytes, bytes.mapping(), depth + 1)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// One text file: decode, check it is text, detect the format, read it.
    fn text(&mut self, name: &str, raw: &[u8], map: Option<&memmap2::Mmap>) -> ControlFlow<()> {
        self.stats.files += 1;
        let mut r = self.reader_over(name, map);
        let transcoded;
        let mut text: &[u8] = match input::sniff_encoding(raw) {
            TextEncoding::Utf8(bom) => &raw[bom..],
            enc => match input::utf16_to_utf8(raw, enc) {
                Ok(b) => {
                    transcoded = b;
                    &transcoded
                }
                Err(e) => {
                    let m = r.msg("read.unreadable_file", &[("error", &e)]);
                    r.file_problem("unreadable", 0, m);
                    return r.finish();
                }
            },
        };
        if text.trim_ascii().is_empty() {
            let m = r.msg("read.empty_file", &[]);
            r.file_problem("empty_file", 0, m);
            return r.finish();
        }
        let sjis;
        if not_utf8_near_start(text)
            && let Some(b) = input::shift_jis_to_utf8(text)
        {
            sjis = b;
            text = &sjis;
        }
        if input::looks_binary(text) {
            let m = r.msg("read.binary", &[]);
            r.file_problem("binary", 0, m);
            return r.finish();
        }
        let _ = match detect(text) {
            Format::JsonDocument => json_doc::read_document(text, &mut r),
            Format::Ndjson => ndjson::read_ndjson(text, &mut r),
            Format::Csv => csv::read_csv(text, &mut r),
        };
        r.finish()
    }
}

/// Where the text of `raw` starts (after a UTF-8 BOM) and its format, when [`Run::text`] would
/// read `raw` as plain UTF-8 text: not compressed, not UTF-16, not empty, no invalid UTF-8 in
/// the first 64 KiB (it would try Shift_JIS), not binary. `raw` may be just the start of an
/// input (at least its first 64 KiB and two lines). The parallel readers take only such inputs.
pub(crate) fn plain_utf8_text(raw: &[u8]) -> Option<(usize, Format)> {
    if input::container_of(raw) != Container::Plain {
        return None;
    }
    let TextEncoding::Utf8(bom) = input::sniff_encoding(raw) else { return None };
    let text = &raw[bom..];
    let plain = !text.trim_ascii().is_empty() && !not_utf8_near_start(text) && !input::looks_binary(text);
    plain.then(|| (bom, detect(text)))
}

/// Invalid UTF-8 in the first 64 KiB (a character cut by the window does not count).
pub(crate) fn not_utf8_near_start(text: &[u8]) -> bool {
    matches!(std::str::from_utf8(&text[..text.len().min(64 << 10)]), Err(e) if e.error_len().is_some())
}
