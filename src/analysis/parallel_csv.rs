//! Parallel summary of one plain UTF-8 CSV file (portal download, Log Analytics export): the
//! CSV twin of [`super::parallel`]'s NDJSON path, with the same promise: the result is exactly
//! the sequential reader's (`signin::csv`: rows, counts, problems with file, line and record),
//! or the file is handed to that reader.
//!
//! A record may span lines (Log Analytics writes pretty-printed JSON in quoted cells), so a
//! chunk cannot start after just any newline. Two passes over the mapped file:
//! 1. in parallel, every chunk of [`super::parallel::CHUNK_BYTES`] counts its `"` and `\n`;
//! 2. chunk k starts after the first `\n` at or after its nominal start that is outside
//!    quotes by the parity of all quotes before it (RFC 4180 escapes a quote by doubling it,
//!    which keeps the parity), and reads whole records until one starts at or after the next
//!    chunk's nominal start.
//!
//! Parity is only a guess where quotes are misused (a quote inside an unquoted cell is a plain
//! character to the CSV parser), so it is checked: each chunk must end exactly where the next
//! one started. If not, or if a row needs a decision about the whole file (a row that is no
//! sign-in, fields lost to a flattened `Export-Csv`), the sequential reader reads the file.
//! Not taken over at all: compressed, UTF-16 or Shift_JIS files, `#TYPE` lines, headers the
//! sequential reader warns about; those go to the sequential reader too.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::parallel::{CHUNK_BYTES, ChunkOut, assemble, release_pages, run_chunks};
use super::run::ProblemLog;
use super::{Analysis, Filter, GroupBy};
use crate::messages::Lang;
use crate::signin::csv::{CsvHeader, LineCounter, Row, plain_header};
use crate::signin::detect::{Format, detect};
use crate::signin::input::{self, Container, TextEncoding};
use crate::signin::record::{RecordError, SourcePos};
use crate::signin::{Problem, ReadStats, SignIn};
use crate::{Error, Result};

/// Records between two looks at the cancel flag.
const CANCEL_EVERY: u32 = 4096;

/// Summarise `path` in parallel when it is a plain UTF-8 CSV sign-in export the parallel
/// reader can take over (see the module doc); `Ok(None)` when it is not.
pub fn summarise_csv_in(
    path: &Path,
    filter: &Filter,
    by: GroupBy,
    threads: usize,
    cancel: &AtomicBool,
    lang: Lang,
) -> Result<Option<(Analysis, ReadStats, ProblemLog)>> {
    let Ok(file) = File::open(path) else { return Ok(None) };
    match file.metadata() {
        Ok(m) if m.is_file() && m.len() > 0 => {}
        _ => return Ok(None),
    }
    // SAFETY: read-only map, as in `parallel::summarise_ndjson_in`.
    let Ok(map) = (unsafe { memmap2::Mmap::map(&file) }) else { return Ok(None) };
    let Some(offset) = plain_csv_offset(&map) else { return Ok(None) };
    let Some((header, body)) = plain_header(&map[offset..], filter.excludes_modern()) else { return Ok(None) };
    let name = path.display().to_string();
    let release = |start: usize, end: usize| release_pages(&map, offset + start, offset + end);
    let work = CsvWork { name: &name, text: &map[offset..], header: &header, body, filter, by, lang };
    let Some((analysis, mut stats, problems)) = summarise_text(&work, CHUNK_BYTES, threads, cancel, &release)? else {
        return Ok(None);
    };
    stats.bytes = map.len() as u64;
    Ok(Some((analysis, stats, problems)))
}

/// Where the text starts (after a UTF-8 BOM) when the sequential reader would read `raw` as
/// plain UTF-8 CSV: not compressed, not UTF-16, valid UTF-8 near the start (else it may be
/// Shift_JIS), not binary, detected as CSV.
fn plain_csv_offset(raw: &[u8]) -> Option<usize> {
    if !matches!(input::container_of(raw), Container::Plain) {
        return None;
    }
    let TextEncoding::Utf8(bom) = input::sniff_encoding(raw) else { return None };
    let text = &raw[bom..];
    let plain = !text.trim_ascii().is_empty()
        && !crate::signin::source::not_utf8_near_start(text)
        && !input::looks_binary(text)
        && detect(text) == Format::Csv;
    plain.then_some(bom)
}

/// One CSV text to summarise: data rows from `body` on, in the dialect of `header`.
pub(crate) struct CsvWork<'a> {
    pub name: &'a str,
    pub text: &'a [u8],
    pub header: &'a CsvHeader,
    pub body: usize,
    pub filter: &'a Filter,
    pub by: GroupBy,
    pub lang: Lang,
}

/// The summary of `work` in chunks of about `chunk` bytes on `threads` workers; `release`
/// as in `parallel::summarise_bytes`. `Ok(None)`: the sequential reader must read it.
pub(crate) fn summarise_text(
    work: &CsvWork<'_>,
    chunk: usize,
    threads: usize,
    cancel: &AtomicBool,
    release: &(dyn Fn(usize, usize) + Sync),
) -> Result<Option<(Analysis, ReadStats, ProblemLog)>> {
    let text = work.text;
    let chunk = chunk.max(1);
    let chunks = (text.len() - work.body).div_ceil(chunk);
    let nominal = |k: usize| work.body.saturating_add(k.saturating_mul(chunk)).min(text.len());
    // Pass 1: quotes and newlines per chunk.
    let counts = parallel_map(chunks, threads, |k| {
        let part = &text[nominal(k)..nominal(k + 1)];
        let n = (memchr::memchr_iter(b'"', part).count(), memchr::memchr_iter(b'\n', part).count());
        release(nominal(k), nominal(k + 1));
        n
    });
    // Quote parity and newlines before each chunk's nominal start.
    let mut before = Vec::with_capacity(chunks);
    let (mut quotes, mut newlines) = (0usize, memchr::memchr_iter(b'\n', &text[..work.body]).count());
    for &(q, n) in &counts {
        before.push((quotes % 2 == 1, newlines));
        quotes += q;
        newlines += n;
    }
    // Pass 2: whole records per chunk.
    let scan = |k: usize, analysis: &mut Analysis, record: &mut SignIn| -> Result<Option<ChunkOut>> {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let (in_quotes, lines) = before[k];
        let (start, lines) = if k == 0 { (work.body, lines) } else { record_start(text, nominal(k), in_quotes, lines) };
        let out = read_chunk(work, start, nominal(k + 1), lines as u64, (analysis, record), cancel)?;
        release(nominal(k), nominal(k + 1));
        Ok(out)
    };
    let Some((analysis, outs)) = run_chunks(chunks, threads, work.filter, work.by, &scan)? else { return Ok(None) };
    // Every chunk ended where the next began: the records are the sequential reader's.
    if outs.windows(2).any(|w| w[0].next_start != w[1].start) {
        return Ok(None);
    }
    let (stats, problems) = assemble(outs, text.len() as u64);
    Ok(Some((analysis, stats, problems)))
}

/// Where the first record at or after `from` starts when `from` is inside quotes or not
/// (`in_quotes`), and the newlines before it given `lines` before `from`: just after the first
/// `\n` outside quotes at or after `from - 1` (so a record starting right at `from` is found),
/// past any further line ends (blank lines hold no record).
fn record_start(text: &[u8], from: usize, mut in_quotes: bool, mut lines: usize) -> (usize, usize) {
    let mut i = from - 1;
    if text[i] == b'"' {
        in_quotes = !in_quotes; // counted in the parity before `from`
    } else if text[i] == b'\n' {
        lines -= 1;
    }
    while let Some(off) = memchr::memchr2(b'"', b'\n', &text[i..]) {
        let j = i + off;
        if text[j] == b'"' {
            in_quotes = !in_quotes;
        } else {
            lines += 1;
            if !in_quotes {
                let mut start = j + 1;
                while let Some(&b) = text.get(start).filter(|&&b| b == b'\r' || b == b'\n') {
                    lines += usize::from(b == b'\n');
                    start += 1;
                }
                return (start, lines);
            }
        }
        i = j + 1;
    }
    (text.len(), lines)
}

/// Read the records of `work.text` starting at `start` (a record start; `lines` newlines
/// before it) up to the first one that starts at or after `until`. `Ok(None)`: a row needs a
/// decision about the whole file, or the parser went somewhere the sequential one would not.
fn read_chunk(
    work: &CsvWork<'_>,
    start: usize,
    until: usize,
    lines: u64,
    (analysis, record): (&mut Analysis, &mut SignIn),
    cancel: &AtomicBool,
) -> Result<Option<ChunkOut>> {
    let mut out = ChunkOut { start, next_start: work.text.len(), ..ChunkOut::default() };
    if start >= until {
        out.next_start = start;
        return Ok(Some(out));
    }
    let part = &work.text[start..];
    // Problem lines are absolute (first line of the file is 1): `newlines` stays 0.
    let mut line_counter = LineCounter::new(part, 1 + lines);
    let mut rdr = work.header.reader(part);
    let mut rec = csv::ByteRecord::new();
    let mut until_cancel_check = CANCEL_EVERY;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return Ok(Some(out)),
            Err(_) => return Ok(None), // cannot happen on a byte slice; the sequential reader knows
        }
        let at = rec.position().map_or(0, |p| p.byte() as usize);
        // The parser puts a record after a CRLF at its `\n`; compare where its text starts.
        let text_at = start + at + part[at..].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        if text_at >= until {
            out.next_start = text_at;
            return Ok(Some(out));
        }
        until_cancel_check -= 1;
        if until_cancel_check == 0 {
            until_cancel_check = CANCEL_EVERY;
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
        }
        match work.header.row(&rec) {
            Row::Modern => out.records += 1,
            Row::Blank => {}
            Row::Fields(raw) => {
                if raw.lost != 0 {
                    return Ok(None);
                }
                out.records += 1;
                let line = line_counter.line_of(at);
                match raw.fill_signin(work.name, line, out.records, record) {
                    Ok(()) => analysis.add(record),
                    Err(RecordError::NotASignIn) => return Ok(None),
                    Err(e) => {
                        out.skipped += 1;
                        let pos = SourcePos { file: work.name.to_owned(), line, record: out.records };
                        out.problems.push(Problem::from_record_error_in(&e, &pos, work.lang));
                    }
                }
            }
            Row::BadEncoding(col) => {
                out.records += 1;
                out.skipped += 1;
                let line = line_counter.line_of(at);
                let message = work.header.bad_encoding_message(col, work.lang);
                out.problems.push(Problem {
                    code: "bad_encoding",
                    file: work.name.to_owned(),
                    line,
                    record: out.records,
                    message,
                });
            }
        }
    }
}

/// `f(0..n)` on `threads` workers taking the next index as they finish one; results by index.
fn parallel_map<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let mut all: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads.clamp(1, n.max(1))).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            all.extend(h.join().unwrap_or_default());
        }
        all
    });
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::SprayThresholds;
    use crate::demo::formats::{GenFormat, sized_scenario, write};
    use crate::signin::{Collect, ReadOptions, read_bytes};

    fn generated(format: GenFormat) -> Vec<u8> {
        let mut out = Vec::new();
        write(format, &sized_scenario(7, 3 << 20, format, 300), &mut out).unwrap();
        out
    }

    /// Rows, counters and problems of the sequential reader for `raw`.
    fn sequential(raw: &[u8], filter: &Filter) -> (serde_json::Value, ReadStats, Vec<Problem>) {
        let opts = ReadOptions { legacy_only: filter.excludes_modern(), lang: Lang::En };
        let (mut sink, mut stats) = (Collect::default(), ReadStats::default());
        let _ = read_bytes("t.csv", raw, &opts, &mut sink, &mut stats);
        let mut a = Analysis::new(filter.clone(), GroupBy::UserProtocol);
        sink.signins.iter().for_each(|s| a.add(s));
        (serde_json::to_value(a.finish(&SprayThresholds::default(), stats.clone())).unwrap(), stats, sink.problems)
    }

    fn parallel(
        raw: &[u8],
        filter: &Filter,
        chunk: usize,
        threads: usize,
    ) -> Option<(serde_json::Value, ReadStats, ProblemLog)> {
        let offset = plain_csv_offset(raw)?;
        let text = &raw[offset..];
        let (header, body) = plain_header(text, filter.excludes_modern())?;
        let work =
            CsvWork { name: "t.csv", text, header: &header, body, filter, by: GroupBy::UserProtocol, lang: Lang::En };
        let (a, mut stats, problems) =
            summarise_text(&work, chunk, threads, &AtomicBool::new(false), &|_, _| {}).unwrap()?;
        stats.bytes = raw.len() as u64;
        Some((serde_json::to_value(a.finish(&SprayThresholds::default(), stats.clone())).unwrap(), stats, problems))
    }

    /// The parallel reader gives exactly the sequential reader's result, or hands over.
    fn same_or_handed_over(raw: &[u8], filter: &Filter) -> usize {
        let (rows, stats, problems) = sequential(raw, filter);
        let mut taken = 0;
        for (chunk, threads) in [(usize::MAX, 1), (997, 2), (10_000, 3), (64 << 10, 2)] {
            let Some((prow, pstats, pproblems)) = parallel(raw, filter, chunk, threads) else { continue };
            taken += 1;
            assert_eq!(pstats, stats, "chunk {chunk}");
            assert_eq!(prow, rows, "chunk {chunk}");
            let mut kept = pproblems.kept.clone();
            kept.sort_by_key(|p| (p.line, p.record));
            assert_eq!(kept, problems, "chunk {chunk}");
        }
        taken
    }

    #[test]
    fn parallel_equals_sequential_on_real_and_generated_exports() {
        let fixture = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sentinel_SigninLogs_LogAnalytics_export.csv"
        ))
        .unwrap();
        let everything = Filter { include_modern: true, ..Filter::default() };
        for raw in [fixture, generated(GenFormat::PortalCsv), generated(GenFormat::LaCsv)] {
            for filter in [&Filter::default(), &everything] {
                assert_eq!(same_or_handed_over(&raw, filter), 4, "every chunking is taken over");
            }
        }
    }

    #[test]
    fn damaged_rows_are_reported_where_they_are() {
        let raw = generated(GenFormat::LaCsv);
        let text = String::from_utf8(raw).unwrap();
        let mut out = Vec::new();
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let legacy = line.contains("Authenticated SMTP") || line.contains("IMAP4");
            if i > 0 && i % 31 == 0 && legacy {
                // A bad time in a legacy row: reported.
                out.extend_from_slice(line.replacen("/2026, ", "/2026x, ", 1).as_bytes());
            } else if i > 0 && i % 409 == 0 {
                out.extend_from_slice(b",,,,\r\n");
                out.extend_from_slice(line.as_bytes());
            } else if i > 0 && i % 37 == 0 && legacy {
                let at = line.find("@contoso").expect("a UPN");
                out.extend_from_slice(&line.as_bytes()[..at]);
                out.extend_from_slice(b"\xff\xfe");
                out.extend_from_slice(&line.as_bytes()[at..]);
            } else {
                out.extend_from_slice(line.as_bytes());
            }
        }
        let (_, stats, problems) = sequential(&out, &Filter::default());
        let codes: std::collections::BTreeSet<&str> = problems.iter().map(|p| p.code).collect();
        assert!(codes.contains("bad_time") && codes.contains("bad_encoding"), "{codes:?} {stats:?}");
        assert_eq!(same_or_handed_over(&out, &Filter::default()), 4);
    }

    #[test]
    fn misplaced_quotes_multiline_cells_and_odd_files_are_exact_or_handed_over() {
        let header = "CreatedDateTime,UserPrincipalName,ClientAppUsed,IPAddress,ResultType,LocationDetails\n";
        let mut text = String::from(header);
        for i in 0..400 {
            let cell = match i % 5 {
                0 => "\"{\n  \"\"city\"\": \"\"Tokyo\"\",\n  \"\"countryOrRegion\"\": \"\"JP\"\"\n}\"".to_owned(),
                1 => "ab\"c".to_owned(), // a quote inside an unquoted cell: literal to the parser
                2 => "\"\"".to_owned(),
                _ => String::new(),
            };
            let app = if i % 3 == 0 { "IMAP4" } else { "Browser" };
            text.push_str(&format!(
                "2026-03-01T10:{:02}:00Z,u{i}@contoso.com,{app},192.0.2.{},{},{cell}\r\n",
                i % 60,
                i % 7,
                i % 2
            ));
        }
        for filter in [Filter::default(), Filter { include_modern: true, ..Filter::default() }] {
            same_or_handed_over(text.as_bytes(), &filter);
        }
        // Not taken over: the sequential reader has something to say about the whole file.
        for odd in [
            format!("#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignIn\n{text}"),
            text.replace("ClientAppUsed", "Something"),
            format!("{header}2026-03-01T10:00:00Z,,,,,\n2026-03-01T10:00:00Z,u@c.com,IMAP4,192.0.2.1,0,\n"),
        ] {
            assert!(parallel(odd.as_bytes(), &Filter::default(), 997, 2).is_none(), "{}", &odd[..80]);
        }
        assert!(plain_csv_offset(b"{\"a\":1}\n").is_none());
        assert!(plain_csv_offset(b"\x1f\x8b\x08").is_none());
        assert_eq!(plain_csv_offset(b"\xEF\xBB\xBFa,b\n1,2\n"), Some(3));
    }

    #[test]
    fn record_starts_respect_quotes() {
        let text = b"h\n1,\"a\nb\"\n2,x\n\n\n3,y\n";
        // From inside the quoted cell (parity odd after its opening quote at 4).
        assert_eq!(record_start(text, 6, true, 1), (10, 3));
        assert_eq!(record_start(text, 10, false, 3), (10, 3), "a record right at the boundary");
        assert_eq!(record_start(text, 11, false, 3), (16, 6), "blank lines skipped");
        assert_eq!(record_start(text, 20, false, 7), (text.len(), 7));
    }
}
