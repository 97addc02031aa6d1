//! Parallel summary of one plain NDJSON file: the file is cut into chunks at line boundaries,
//! and the chunks are handed to `threads` workers, each with its own [`Analysis`]; the workers'
//! analyses are merged at the end (every aggregate is mergeable). A plain CSV file takes the
//! twin path in [`super::parallel_csv`]; [`summarise_file`] tries one, then the other.
//!
//! Each line is parsed at most once, and only when the cheap scan of [`FastSkip`] cannot prove
//! that the filter rejects it (see `signin::fast` for exactly when that is).
//!
//! Results are the sequential reader's (`signin::ndjson`): lines are split at `\n` and trimmed
//! of ASCII white space, empty lines are not records, a line that is one record gives the same
//! problem code and message ([`crate::signin::fast::parse_line`]), line and record numbers of problems are counted
//! per chunk and offset by the counts of the chunks before it, problems come out in file order.
//! A line whose meaning depends on the rest of the file (a page or blob container, an object
//! that is not a sign-in, a shallow `ConvertTo-Json` dump) hands the whole file over to the
//! sequential reader (`Ok(None)`), so its report is exactly that reader's. The one documented
//! difference: modern records skipped unparsed (see `signin::fast`) are not checked for a bad
//! time or error code.
//!
//! Memory is bounded by the number of distinct groups, not by the file: each chunk is mapped
//! in a window of its own and unmapped when done (`super::window`), so at most one chunk per
//! worker is resident, whatever the page cache holds.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use memchr::memchr;

use super::run::{MAX_KEPT_PROBLEMS, ProblemLog};
use super::window::{Source, Window};
use super::{Analysis, Filter, GroupBy};
use crate::messages::Lang;
use crate::signin::ReadStats;
use crate::signin::SignIn;
use crate::signin::detect::Format;
use crate::signin::fast::{FastSkip, LineOutcome, next_line, parse_line_into};
use crate::signin::source::plain_utf8_text;
use crate::{Error, Result};

/// Bytes per chunk: small enough that releasing finished chunks keeps memory flat and the two
/// workers stay balanced, large enough that per-chunk work is noise.
pub const CHUNK_BYTES: usize = 2 << 20;

/// Lines between two looks at the cancel flag.
const CANCEL_EVERY: u32 = 4096;

/// The worker count to use when the caller does not say: `EXAUTH_THREADS` if set to a
/// positive number (benchmarks compare 1 and 2), else the machine's available parallelism.
pub fn default_threads() -> usize {
    std::env::var("EXAUTH_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// What a parallel reader gives for one input: the analysis, the read counters, the problems.
pub type Summarised = (Analysis, ReadStats, ProblemLog);

/// Summarise the file at `path` in parallel when a parallel reader can take it: plain,
/// uncompressed UTF-8 NDJSON of sign-in objects (see [`ndjson_body_offset`]), else a plain CSV
/// export (`super::parallel_csv`). `Ok(None)` when neither can (the caller then uses the generic
/// reader, whose report is then the whole report), `Err` only for cancellation or an internal
/// failure.
pub fn summarise_file(
    path: &Path,
    filter: &Filter,
    by: GroupBy,
    threads: usize,
    cancel: &AtomicBool,
    lang: Lang,
) -> Result<Option<Summarised>> {
    // A regular file only, looked at before opening it (opening a FIFO waits for a writer); the
    // length is the opened file's.
    if !path.is_file() {
        return Ok(None);
    }
    let Ok(file) = File::open(path) else { return Ok(None) };
    let len = match file.metadata() {
        Ok(m) if m.is_file() && m.len() > 0 => m.len() as usize,
        _ => return Ok(None),
    };
    let name = path.display().to_string();
    let work = Work { name: &name, filter, by, chunk: CHUNK_BYTES, lang };
    summarise_source(Source::File { file: &file, len }, &work, threads, cancel)
}

/// [`summarise_file`] for the content of a file already in memory (tests, fuzzing), cut into
/// chunks of `work.chunk` bytes.
pub fn summarise_bytes(
    bytes: &[u8],
    work: &Work<'_>,
    threads: usize,
    cancel: &AtomicBool,
) -> Result<Option<Summarised>> {
    summarise_source(Source::Bytes(bytes), work, threads, cancel)
}

fn summarise_source(
    source: Source<'_>,
    work: &Work<'_>,
    threads: usize,
    cancel: &AtomicBool,
) -> Result<Option<Summarised>> {
    match summarise_ndjson(source, work, threads, cancel)? {
        Some(done) => Ok(Some(done)),
        None => super::parallel_csv::summarise_csv(source, work, threads, cancel),
    }
}

/// How to summarise one input: named `name` in problems, cut into chunks of about `chunk`
/// bytes, problem messages in `lang`.
pub struct Work<'a> {
    pub name: &'a str,
    pub filter: &'a Filter,
    pub by: GroupBy,
    pub chunk: usize,
    pub lang: Lang,
}

/// The summary of NDJSON `source` on `threads` workers, each chunk in a window of its own (see
/// [`super::window`]: nothing copied, a few chunks resident). `Ok(None)` when the input is not
/// plain NDJSON of sign-ins or a line needs the sequential reader (see
/// [`LineOutcome::NeedsSequential`]): the caller then reads the whole input with it, so what is
/// reported is exactly its report.
fn summarise_ndjson(
    source: Source<'_>,
    work: &Work<'_>,
    threads: usize,
    cancel: &AtomicBool,
) -> Result<Option<Summarised>> {
    let Work { name, filter, by, chunk, lang } = *work;
    let Some(head) = source.head() else { return Ok(None) };
    let Some((_, Format::Ndjson)) = plain_utf8_text(&head) else { return Ok(None) };
    let Some(body) = ndjson_body_offset(&head) else { return Ok(None) };
    drop(head);
    let chunk = chunk.max(1);
    let len = source.len();
    let chunks_total = (len - body).div_ceil(chunk);
    let skip = FastSkip::for_filter(filter);
    let scan = |i: usize, analysis: &mut Analysis, record: &mut SignIn| -> Result<Option<ChunkOut>> {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let Ok((window, start)) = chunk_window(source, body, chunk, i) else { return Ok(None) };
        scan_chunk(name, &window[start..], skip.as_ref(), (analysis, record), cancel, lang)
    };
    let Some((analysis, chunks)) = run_chunks(chunks_total, threads, filter, by, &scan)? else { return Ok(None) };
    let (stats, problems) = assemble(chunks, len as u64);
    Ok(Some((analysis, stats, problems)))
}

/// Chunk `i` of the lines of `source` from `body` on, and where its first line starts in it: from
/// just after the first line end at or after its nominal start (`body + i * chunk`; chunk 0 from
/// `body`) through the line end at or after the next chunk's nominal start. So every line is in
/// exactly one chunk, and each worker finds its chunk's bounds itself.
fn chunk_window<'a>(source: Source<'a>, body: usize, chunk: usize, i: usize) -> std::io::Result<(Window<'a>, usize)> {
    let from = body.saturating_add(i.saturating_mul(chunk));
    let window = source.through_line_end(from, from.saturating_add(chunk))?;
    let start = if i == 0 { 0 } else { memchr(b'\n', &window).map_or(window.len(), |j| j + 1) };
    Ok((window, start))
}

/// Where the NDJSON records of `bytes` start (after a UTF-8 BOM) when the content is plain
/// NDJSON of sign-ins: the first non-space byte is `{`, the first line is one complete JSON
/// object that is not a page wrapper (no `value` / `records` member: those files go to the
/// generic reader, which unpacks them), and the next non-space byte after its newline is `{`.
pub fn ndjson_body_offset(bytes: &[u8]) -> Option<usize> {
    let body = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let text = &bytes[body..];
    let first = text.iter().position(|b| !b.is_ascii_whitespace())?;
    if text[first] != b'{' {
        return None;
    }
    let nl = first + memchr(b'\n', &text[first..])?;
    let keys: std::collections::HashMap<std::borrow::Cow<'_, str>, serde::de::IgnoredAny> =
        serde_json::from_slice(&text[first..nl]).ok()?;
    if keys.keys().any(|k| k.eq_ignore_ascii_case("value") || k.eq_ignore_ascii_case("records")) {
        return None;
    }
    let next = text[nl..].iter().position(|b| !b.is_ascii_whitespace())?;
    (text[nl + next] == b'{').then_some(body)
}

/// What one chunk produced, with record numbers (and line numbers, unless the chunk's reader
/// numbers lines itself and leaves `newlines` at 0) relative to the chunk.
#[derive(Default)]
pub(super) struct ChunkOut {
    /// Added to the line numbers of the later chunks' problems.
    pub newlines: u64,
    pub records: u64,
    pub skipped: u64,
    pub problems: ProblemLog,
    /// Where the chunk's records started, and where the next chunk's had to start (the CSV
    /// reader checks that the two agree).
    pub start: usize,
    pub next_start: usize,
}

/// Reads chunk `i` into a worker's analysis, parsing records into the worker's reused record;
/// `Ok(None)`: the file needs the sequential reader.
pub(super) type ScanChunk<'a> = dyn Fn(usize, &mut Analysis, &mut SignIn) -> Result<Option<ChunkOut>> + Sync + 'a;

/// Run `scan` over chunks `0..chunks` on `threads` workers, each taking the next chunk as it
/// finishes one and keeping its own [`Analysis`]; the analyses merged, the chunks' outputs in
/// chunk order. `Ok(None)` as soon as any chunk needs the sequential reader.
pub(super) fn run_chunks(
    chunks: usize,
    threads: usize,
    filter: &Filter,
    by: GroupBy,
    scan: &ScanChunk<'_>,
) -> Result<Option<(Analysis, Vec<ChunkOut>)>> {
    let next = AtomicUsize::new(0);
    let sequential = AtomicBool::new(false);
    // Problems kept in full by each finished chunk: a chunk whose predecessors already kept
    // MAX_KEPT_PROBLEMS drops its own list (only counted), so a file of bad lines needs
    // memory for a few chunks' problems, not one list per chunk.
    let kept_by_chunk: Vec<AtomicUsize> = (0..chunks).map(|_| AtomicUsize::new(0)).collect();
    let worker = || -> Result<Option<WorkerOut>> {
        let mut analysis = Analysis::new(filter.clone(), by);
        // One record per worker, refilled by every parsed record.
        let mut record = SignIn::empty();
        let mut outs = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= chunks {
                break;
            }
            if sequential.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let Some(mut out) = scan(i, &mut analysis, &mut record)? else {
                sequential.store(true, Ordering::Relaxed);
                return Ok(None);
            };
            let before: usize = kept_by_chunk[..i].iter().map(|k| k.load(Ordering::Relaxed)).sum();
            if before >= MAX_KEPT_PROBLEMS {
                out.problems.kept = Vec::new();
            }
            kept_by_chunk[i].store(out.problems.kept.len(), Ordering::Relaxed);
            outs.push((i, out));
        }
        Ok(Some((analysis, outs)))
    };
    let threads = threads.clamp(1, chunks.max(1));
    let results: Vec<Result<Option<WorkerOut>>> = if threads == 1 {
        vec![worker()]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(Error::Internal("a summary worker thread panicked".into()))))
                .collect()
        })
    };
    let mut analysis: Option<Analysis> = None;
    let mut outs: Vec<(usize, ChunkOut)> = Vec::with_capacity(chunks);
    for r in results {
        let Some((a, o)) = r? else { return Ok(None) };
        match analysis.as_mut() {
            Some(base) => base.merge(a),
            None => analysis = Some(a),
        }
        outs.extend(o);
    }
    outs.sort_by_key(|(i, _)| *i);
    let analysis = analysis.unwrap_or_else(|| Analysis::new(filter.clone(), by));
    Ok(Some((analysis, outs.into_iter().map(|(_, o)| o).collect())))
}

/// The file's counters and problems from its chunks' (in file order): record numbers offset by
/// the records of the chunks before, line numbers by their newlines.
pub(super) fn assemble(chunks: Vec<ChunkOut>, bytes: u64) -> (ReadStats, ProblemLog) {
    let mut stats = ReadStats { files: 1, bytes, ..ReadStats::default() };
    let mut problems = ProblemLog::default();
    let (mut line_base, mut record_base) = (0u64, 0u64);
    for c in chunks {
        stats.records += c.records;
        stats.skipped += c.skipped;
        stats.problems += c.problems.total;
        let unkept = c.problems.total - c.problems.kept.len() as u64;
        // ProblemLog::push counts every problem it is given, kept or not.
        for mut p in c.problems.kept {
            p.line += line_base;
            p.record += record_base;
            problems.push(p);
        }
        problems.total += unkept;
        line_base += c.newlines;
        record_base += c.records;
    }
    (stats, problems)
}

/// What one worker produced: its analysis and its chunks' outputs, by chunk index.
type WorkerOut = (Analysis, Vec<(usize, ChunkOut)>);

/// Read one chunk line by line into `analysis`, parsing lines into the reused `record`.
fn scan_chunk(
    name: &str,
    chunk: &[u8],
    skip: Option<&FastSkip>,
    (analysis, record): (&mut Analysis, &mut SignIn),
    cancel: &AtomicBool,
    lang: Lang,
) -> Result<Option<ChunkOut>> {
    let mut out = ChunkOut::default();
    let mut pos = 0;
    let mut until_cancel_check = CANCEL_EVERY;
    while pos < chunk.len() {
        let scanned = next_line(chunk, pos);
        let end = scanned.end;
        let raw = &chunk[pos..end];
        let line = raw.trim_ascii();
        if !line.is_empty() {
            out.records += 1;
            let trimmed_start = pos + (raw.len() - raw.trim_ascii_start().len());
            if !skip.is_some_and(|s| s.skips_scanned(line, &scanned, trimmed_start)) {
                match parse_line_into(name, line, out.newlines + 1, out.records, lang, record) {
                    LineOutcome::SignIn => analysis.add(record),
                    LineOutcome::Problem(p) => {
                        out.skipped += 1;
                        out.problems.push(p);
                    }
                    LineOutcome::NeedsSequential => return Ok(None),
                }
            }
        }
        if end < chunk.len() {
            out.newlines += 1;
        }
        pos = end + 1;
        until_cancel_check -= 1;
        if until_cancel_check == 0 {
            until_cancel_check = CANCEL_EVERY;
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::SprayThresholds;
    use crate::signin::{ReadOptions, read_bytes};

    /// The first 30,000 lines of the demo tenant (~38 MB: several days, legacy users,
    /// printers and the start of the spray), kept small so the debug-mode tests stay fast.
    fn demo() -> &'static [u8] {
        static DEMO: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        DEMO.get_or_init(|| {
            let all = crate::demo::demo_ndjson();
            let end =
                all.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(29_999).map_or(all.len(), |(i, _)| i + 1);
            all[..end].to_vec()
        })
    }

    fn run(bytes: &[u8], filter: &Filter, threads: usize, chunk: usize) -> (Analysis, ReadStats, ProblemLog) {
        let work = Work { name: "t.ndjson", filter, by: GroupBy::UserProtocol, chunk, lang: Lang::En };
        summarise_bytes(bytes, &work, threads, &AtomicBool::new(false)).unwrap().expect("parallel")
    }

    fn rows(a: Analysis, stats: ReadStats) -> serde_json::Value {
        serde_json::to_value(a.finish(&SprayThresholds::default(), stats)).unwrap()
    }

    #[test]
    fn detects_plain_ndjson_only() {
        assert_eq!(ndjson_body_offset(b"{\"a\":1}\n{\"a\":2}\n"), Some(0));
        assert_eq!(ndjson_body_offset(b"\xEF\xBB\xBF  {\"a\":1}\r\n\r\n{\"a\":2}"), Some(3));
        assert_eq!(ndjson_body_offset(b"{\"a\":1}"), None, "one object is a document");
        assert_eq!(ndjson_body_offset(b"{\n\"a\":1}\n"), None, "pretty-printed");
        assert_eq!(ndjson_body_offset(b"[{\"a\":1}]\n[]"), None);
        assert_eq!(ndjson_body_offset(b"{\"value\":[]}\n{\"value\":[]}"), None, "pages go to the generic reader");
        assert_eq!(ndjson_body_offset(b"{\"a\":1}\nnot json"), None);
        assert_eq!(ndjson_body_offset(b"\xFF\xFE{\x00"), None);
    }

    #[test]
    fn chunks_end_at_line_boundaries() {
        let text = b"aaaa\nbb\ncccccc\nd";
        let all = |body: usize, chunk: usize| -> Vec<(usize, usize)> {
            let bounds = |i| {
                let (w, start) = chunk_window(Source::Bytes(text), body, chunk, i).unwrap();
                let from = if i == 0 { body } else { body + i * chunk };
                (from + start, from + w.len())
            };
            (0..(text.len() - body).div_ceil(chunk)).map(bounds).collect()
        };
        assert_eq!(all(0, 3), vec![(0, 5), (5, 8), (8, 15), (15, 15), (15, 16), (16, 16)]);
        assert_eq!(all(5, 1)[..4], [(5, 8), (8, 8), (8, 15), (15, 15)]);
        assert_eq!(all(0, 100), vec![(0, 16)]);
        // Every byte in exactly one chunk, each chunk starting after a newline.
        for chunk in 1..20 {
            let b = all(0, chunk);
            assert_eq!(b.first().unwrap().0, 0);
            assert_eq!(b.last().unwrap().1, text.len());
            assert!(
                b.windows(2)
                    .all(|w| w[0].1 == w[1].0 && (w[1].0 == 0 || text[w[1].0 - 1] == b'\n' || w[1].0 == text.len()))
            );
        }
    }

    #[test]
    fn parallel_equals_sequential_on_the_demo_tenant() {
        let bytes = demo();
        let (a1, s1, p1) = run(bytes, &Filter::default(), 1, usize::MAX);
        let (a4, s4, p4) = run(bytes, &Filter::default(), 4, 256 << 10);
        assert_eq!(s1, s4);
        assert_eq!((p1.total, p4.total), (0, 0));
        let (r1, r4) = (rows(a1, s1.clone()), rows(a4, s4));
        assert_eq!(r1, r4);
        assert!(r1["rows"].as_array().unwrap().len() > 40, "{}", r1["rows"].as_array().unwrap().len());
        // The generic reader (full parse of every line) finds the same rows.
        let mut seq = Analysis::new(Filter::default(), GroupBy::UserProtocol);
        let mut sink = crate::signin::Collect::default();
        let mut stats = ReadStats::default();
        let _ = read_bytes("t.ndjson", bytes, &ReadOptions::default(), &mut sink, &mut stats);
        assert_eq!((stats.records, sink.problems.len()), (s1.records, 0), "every line read once");
        for s in &sink.signins {
            seq.add(s);
        }
        assert_eq!(rows(seq, s1)["rows"], r1["rows"]);
    }

    /// The demo tenant with damaged lines injected: truncated legacy and modern records,
    /// garbage, bad times (reported only in legacy records: modern ones are skipped unparsed),
    /// blank and CRLF lines.
    /// Bytes, and the (line, problem code) pairs the injected damage must produce.
    type Damaged = (Vec<u8>, Vec<(u64, &'static str)>);

    fn damaged() -> Damaged {
        static DAMAGED: std::sync::OnceLock<Damaged> = std::sync::OnceLock::new();
        DAMAGED.get_or_init(make_damaged).clone()
    }

    fn make_damaged() -> Damaged {
        let demo = demo();
        let mut out = Vec::new();
        let mut expected = Vec::new();
        let mut line = 0u64;
        for (i, l) in demo.split(|&b| b == b'\n').filter(|l| !l.is_empty()).enumerate() {
            line += 1;
            let text = std::str::from_utf8(l).unwrap();
            if i > 0 && i % 997 == 0 {
                let half = &l[..l.len() / 2];
                out.extend_from_slice(half.strip_suffix(b"}").unwrap_or(half));
                expected.push((line, "truncated_json"));
            } else if i > 0 && i % 1499 == 0 {
                out.extend_from_slice(b"this is not json");
                expected.push((line, "bad_json"));
            } else if i % 2003 == 1 && text.contains("\"IMAP4\"") || i % 2011 == 2 {
                let t = text.replacen("\"createdDateTime\":\"", "\"createdDateTime\":\"x", 1);
                let legacy = !text.contains("\"Browser\"") && !text.contains("\"Mobile Apps and Desktop clients\"");
                out.extend_from_slice(t.as_bytes());
                if legacy {
                    expected.push((line, "bad_time"));
                }
            } else {
                out.extend_from_slice(l);
            }
            out.push(b'\n');
            if i % 1000 == 7 {
                out.extend_from_slice(b"  \r\n");
                line += 1;
            }
        }
        (out, expected)
    }

    #[test]
    fn parallel_equals_sequential_with_bad_lines_and_reports_them_where_they_are() {
        let (bytes, expected) = damaged();
        let (a1, s1, p1) = run(&bytes, &Filter::default(), 1, usize::MAX);
        for (threads, chunk) in [(2, 64 << 10), (3, 10_000), (8, 1 << 20)] {
            let (a, s, p) = run(&bytes, &Filter::default(), threads, chunk);
            assert_eq!(s, s1, "{threads} threads, {chunk} bytes");
            assert_eq!(p.total, p1.total);
            let mut sorted = p.kept.clone();
            sorted.sort_by_key(|p| p.line);
            assert_eq!(sorted, p1.kept);
            assert_eq!(rows(a, s.clone()), rows(a1.clone(), s1.clone()));
        }
        let got: Vec<(u64, &str)> = p1.kept.iter().map(|p| (p.line, p.code)).collect();
        assert_eq!(got, expected);
        for code in ["bad_json", "truncated_json", "bad_time"] {
            assert!(expected.iter().any(|e| e.1 == code), "{code} injected");
        }
        assert_eq!(s1.skipped, expected.len() as u64);
        assert!(p1.kept.iter().all(|p| p.file == "t.ndjson" && p.record > 0 && p.record <= p.line));
        // The sequential reader (a full parse of every line) reports the same problems, word for
        // word, plus the bad times of the modern records the fast path skipped unparsed.
        let mut sink = crate::signin::Collect::default();
        let mut seq_stats = ReadStats::default();
        let _ = read_bytes("t.ndjson", &bytes, &ReadOptions::default(), &mut sink, &mut seq_stats);
        assert_eq!(seq_stats.records, s1.records);
        let (ours, extra): (Vec<_>, Vec<_>) =
            sink.problems.into_iter().partition(|p| expected.iter().any(|e| e.0 == p.line));
        assert_eq!(ours, p1.kept);
        assert!(!extra.is_empty() && extra.iter().all(|p| p.code == "bad_time"), "{extra:?}");
    }

    #[test]
    fn a_file_read_in_chunks_equals_the_bytes_in_memory() {
        let (bytes, _) = damaged();
        let dir = std::env::temp_dir().join(format!("exauth-parallel-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Lines longer than the read-ahead step and a file not ending in a newline too.
        let mut bytes = bytes;
        bytes.extend_from_slice(
            format!("{{\"clientAppUsed\":\"Browser\",\"x\":\"{}\"}}", "y".repeat(200 << 10)).as_bytes(),
        );
        let path = dir.join("t.ndjson");
        std::fs::write(&path, &bytes).unwrap();
        let (a1, s1, p1) = run(&bytes, &Filter::default(), 1, usize::MAX);
        for threads in [1, 2, 3] {
            let (a, mut s, p) = summarise_file(
                &path,
                &Filter::default(),
                GroupBy::UserProtocol,
                threads,
                &AtomicBool::new(false),
                Lang::En,
            )
            .unwrap()
            .expect("parallel");
            s.bytes = s1.bytes;
            assert_eq!(s, s1);
            let (mut kept, mut kept1) = (p.kept.clone(), p1.kept.clone());
            kept.iter_mut().chain(kept1.iter_mut()).for_each(|p| p.file.clear());
            kept.sort_by_key(|p| p.line);
            assert_eq!(kept, kept1);
            assert_eq!(rows(a, s.clone()), rows(a1.clone(), s1.clone()));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_of_bad_lines_keeps_the_first_problems_in_file_order() {
        let mut bytes = b"{\"createdDateTime\":\"2026-01-01T00:00:00Z\",\"clientAppUsed\":\"IMAP4\"}\n".to_vec();
        for _ in 0..5000 {
            bytes.extend_from_slice(b"{\"createdDateTime\":\"2026-01-01T00:00:00Z\",\"clientAppUsed\":\"IMAP4\"\n");
        }
        for (threads, chunk) in [(1, usize::MAX), (2, 700), (4, 64)] {
            let (_, s, p) = run(&bytes, &Filter::default(), threads, chunk);
            assert_eq!((s.records, s.skipped, p.total), (5001, 5000, 5000));
            let lines: Vec<u64> = p.kept.iter().map(|p| p.line).collect();
            assert_eq!(lines, (2..=1001).collect::<Vec<u64>>(), "{threads} threads");
        }
    }

    #[test]
    fn lines_only_the_sequential_reader_understands_hand_the_file_over() {
        let good = "{\"createdDateTime\":\"2026-01-01T00:00:00Z\",\"clientAppUsed\":\"IMAP4\"}";
        for odd in ["{\"hello\":\"world\"}", "[1,2]", "{\"@odata.context\":\"x\",\"value\":[]}", "{\"records\":[]}"] {
            let text = format!("{good}\n{good}\n{odd}\n{good}\n");
            let work = Work { name: "t", filter: &Filter::default(), by: GroupBy::User, chunk: 16, lang: Lang::En };
            for threads in [1, 2] {
                let r = summarise_bytes(text.as_bytes(), &work, threads, &AtomicBool::new(false)).unwrap();
                assert!(r.is_none(), "{odd}");
            }
        }
    }

    #[test]
    fn cancel_stops_the_run() {
        let bytes = demo();
        let cancel = AtomicBool::new(true);
        let work = Work { name: "t", filter: &Filter::default(), by: GroupBy::User, chunk: 1 << 20, lang: Lang::En };
        let r = summarise_bytes(bytes, &work, 2, &cancel);
        assert!(matches!(r, Err(Error::Cancelled)));
    }

    #[test]
    fn files_are_routed_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let (bytes, expected) = damaged();
        let ndjson = dir.path().join("signins.log");
        std::fs::write(&ndjson, &bytes).unwrap();
        let never = AtomicBool::new(false);
        let (a, s, p) =
            summarise_file(&ndjson, &Filter::default(), GroupBy::UserProtocol, 2, &never, Lang::En).unwrap().unwrap();
        let (a1, s1, p1) = run(&bytes, &Filter::default(), 1, usize::MAX);
        assert_eq!((s.bytes, s.records, p.total), (bytes.len() as u64, s1.records, expected.len() as u64));
        assert!(p.kept.iter().all(|p| p.file == ndjson.display().to_string()));
        assert_eq!(
            p.kept.iter().map(|p| p.line).collect::<Vec<_>>(),
            p1.kept.iter().map(|p| p.line).collect::<Vec<_>>()
        );
        assert_eq!(rows(a, s)["rows"], rows(a1, s1)["rows"]);
        // Not plain NDJSON: a Graph page, an empty file, a directory.
        let page = dir.path().join("page.json");
        std::fs::write(&page, b"{\"value\":[]}\n{\"value\":[]}\n").unwrap();
        let empty = dir.path().join("empty.json");
        std::fs::write(&empty, b"").unwrap();
        for p in [&page, &empty, &dir.path().to_path_buf()] {
            assert!(
                summarise_file(p, &Filter::default(), GroupBy::User, 2, &never, Lang::En).unwrap().is_none(),
                "{p:?}"
            );
        }
        // Through run_summary: the same rows and problems as the parallel reader alone.
        let job = crate::analysis::run::SummaryJob { paths: vec![ndjson.clone()], ..Default::default() };
        let (report, problems) = crate::analysis::run::run_summary(&job, &mut |_, _| {}).unwrap();
        assert_eq!(problems.total, expected.len() as u64);
        assert_eq!(
            serde_json::to_value(&report.rows).unwrap(),
            rows(run(&bytes, &Filter::default(), 2, 1 << 20).0, ReadStats::default())["rows"]
        );
        let cancelled = crate::analysis::run::run_summary_cancellable(&job, &mut |_, _| {}, &AtomicBool::new(true));
        assert!(matches!(cancelled, Err(Error::Cancelled)));
    }

    #[test]
    fn including_modern_parses_every_line() {
        let bytes = demo();
        let all = Filter { include_modern: true, ..Filter::default() };
        let (a1, s1, _) = run(bytes, &all, 1, usize::MAX);
        let (a2, s2, _) = run(bytes, &all, 2, 1 << 20);
        let total: u64 =
            rows(a2, s2.clone())["rows"].as_array().unwrap().iter().map(|r| r["total"].as_u64().unwrap()).sum();
        assert_eq!(total, s1.records);
        assert_eq!(s1, s2);
        let _ = a1;
    }
}
