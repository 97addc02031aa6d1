//! Opening inputs: paths, directories (recursive), stdin (`-`); decoding; format detection;
//! dispatch to the JSON readers.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::json::RecordSeed;
use super::{Problem, ReadStats, Sink, SourcePos};
use crate::Result;

/// How to read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The caller only wants legacy sign-ins: readers may skip records whose client app is
    /// provably modern without parsing them (see `fast`).
    pub legacy_only: bool,
}

/// Read every path (file, directory, or `-` for stdin) into `sink`.
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions, sink: &mut dyn Sink) -> Result<ReadStats> {
    let mut stats = ReadStats::default();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
                return Err(crate::Error::io("<stdin>", e));
            }
            if read_bytes("<stdin>", &buf, opts, sink, &mut stats).is_break() {
                break;
            }
        } else if read_path(p, opts, sink, &mut stats).is_break() {
            break;
        }
    }
    Ok(stats)
}

fn read_path(p: &Path, opts: &ReadOptions, sink: &mut dyn Sink, stats: &mut ReadStats) -> ControlFlow<()> {
    let name = p.display().to_string();
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                file_problem(sink, stats, "unreadable", &name, format!("cannot list directory: {e}"));
                return ControlFlow::Continue(());
            }
        };
        entries.sort();
        for e in entries {
            read_path(&e, opts, sink, stats)?;
        }
        return ControlFlow::Continue(());
    }
    match std::fs::read(p) {
        Ok(bytes) => read_bytes(&name, &bytes, opts, sink, stats),
        Err(e) => {
            file_problem(sink, stats, "unreadable", &name, format!("cannot read file: {e}"));
            ControlFlow::Continue(())
        }
    }
}

fn file_problem(sink: &mut dyn Sink, stats: &mut ReadStats, code: &'static str, file: &str, message: String) {
    stats.failed_files += 1;
    stats.problems += 1;
    sink.problem(Problem { code, file: file.to_owned(), line: 0, record: 0, message });
}

/// Decode text: UTF-8 (BOM stripped) or UTF-16LE/BE by BOM.
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::borrow::Cow::Borrowed(rest);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return std::borrow::Cow::Owned(text.into_owned().into_bytes());
    }
    std::borrow::Cow::Borrowed(bytes)
}

/// Read one in-memory input (already loaded bytes of a file or stream) named `name`.
pub fn read_bytes(
    name: &str,
    raw: &[u8],
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    stats: &mut ReadStats,
) -> ControlFlow<()> {
    let _ = opts;
    stats.files += 1;
    stats.bytes += raw.len() as u64;
    sink.file_started(name, raw.len() as u64);
    let bytes = decode(raw);
    let text = bytes.trim_ascii_start();
    if text.is_empty() {
        stats.problems += 1;
        sink.problem(Problem {
            code: "empty_file",
            file: name.to_owned(),
            line: 0,
            record: 0,
            message: "empty file: expected sign-in records".into(),
        });
        return ControlFlow::Continue(());
    }
    // A whole-document JSON (Graph page, array, single object, {"records":[…]}) first; if the
    // document has more than one top-level value it is NDJSON.
    let mut de = serde_json::Deserializer::from_slice(text);
    let mut ctx = DocCtx { name, sink, stats, record: 0, stop: false };
    let whole = (&mut de).deserialize_any(DocVisitor { ctx: &mut ctx }).and_then(|_| de.end());
    if whole.is_ok() || ctx.stop {
        return if ctx.stop { ControlFlow::Break(()) } else { ControlFlow::Continue(()) };
    }
    // Not one document: read line by line.
    let (records_before, skipped_before) = (ctx.record, ctx.stats.skipped);
    let _ = (records_before, skipped_before);
    read_ndjson(name, &bytes, sink, stats)
}

fn read_ndjson(name: &str, bytes: &[u8], sink: &mut dyn Sink, stats: &mut ReadStats) -> ControlFlow<()> {
    let mut record = 0u64;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        record += 1;
        stats.records += 1;
        let pos = SourcePos { file: name.to_owned(), line: i as u64 + 1, record };
        match super::json::parse_record(line) {
            Ok(raw) => match raw.into_signin(&pos) {
                Ok(s) => sink.signin(s)?,
                Err(e) => {
                    stats.skipped += 1;
                    stats.problems += 1;
                    sink.problem(Problem::from_record_error(&e, &pos));
                }
            },
            Err(e) => {
                stats.skipped += 1;
                stats.problems += 1;
                sink.problem(Problem {
                    code: "bad_json",
                    file: name.to_owned(),
                    line: pos.line,
                    record,
                    message: format!("invalid JSON ({e}): expected one sign-in object per line"),
                });
            }
        }
    }
    ControlFlow::Continue(())
}

struct DocCtx<'s> {
    name: &'s str,
    sink: &'s mut dyn Sink,
    stats: &'s mut ReadStats,
    record: u64,
    stop: bool,
}

impl DocCtx<'_> {
    fn emit(&mut self, raw: super::RawFields<'_>) {
        self.record += 1;
        self.stats.records += 1;
        let pos = SourcePos { file: self.name.to_owned(), line: 0, record: self.record };
        match raw.into_signin(&pos) {
            Ok(s) => {
                if self.sink.signin(s).is_break() {
                    self.stop = true;
                }
            }
            Err(e) => {
                self.stats.skipped += 1;
                self.stats.problems += 1;
                self.sink.problem(Problem::from_record_error(&e, &pos));
            }
        }
    }
}

struct DocVisitor<'c, 's> {
    ctx: &'c mut DocCtx<'s>,
}

impl<'de> Visitor<'de> for DocVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a sign-in object, an array of them, or a page with a value/records array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element_seed(RecordSeed)? {
            self.ctx.emit(raw);
            if self.ctx.stop {
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Buffer the object: it is either a page wrapper (value/records) or one record.
        let v: serde_json::Map<String, serde_json::Value> =
            de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(&mut map))?;
        for key in ["value", "records", "Records", "Value"] {
            if let Some(serde_json::Value::Array(items)) = v.get(key) {
                for item in items {
                    let text = item.to_string();
                    let raw = super::json::parse_record(text.as_bytes()).map_err(de::Error::custom)?;
                    let mut owned = super::RawFields::default();
                    raw.merge_into(&mut owned);
                    self.ctx.emit(owned);
                }
                return Ok(());
            }
        }
        let text = serde_json::Value::Object(v).to_string();
        let raw = super::json::parse_record(text.as_bytes()).map_err(de::Error::custom)?;
        let mut owned = super::RawFields::default();
        raw.merge_into(&mut owned);
        self.ctx.emit(owned);
        let _ = IgnoredAny;
        Ok(())
    }
}
