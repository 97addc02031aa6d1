//! Parallel summary of one plain UTF-8 CSV file (portal download, Log Analytics export): the
//! CSV twin of [`super::parallel`]'s NDJSON path, with the same promise: the result is exactly
//! the sequential reader's (`signin::csv`: rows, counts, problems with file, line and record),
//! or the file is handed to that reader.
//!
//! A record may span lines (Log Analytics writes pretty-printed JSON in quoted cells), so a
//! chunk cannot start after just any newline. Two passes over the file, each chunk in a window
//! of its own (`super::window`: memory stays a few chunks whatever the file's size):
//! 1. in parallel, every chunk of [`super::parallel::CHUNK_BYTES`] counts its `"` and `\n`;
//! 2. chunk k starts after the first `\n` at or after its nominal start that is outside
//!    quotes by the parity of all quotes before it (RFC 4180 escapes a quote by doubling it,
//!    which keeps the parity), and reads whole records until one starts at or after the next
//!    chunk's nominal start; its window reaches just past where the next chunk's first record
//!    starts by the same parity.
//!
//! Parity is only a guess where quotes are misused (a quote inside an unquoted cell is a plain
//! character to the CSV parser), so it is checked: each chunk must end exactly where the next
//! one started, and no record may run past the chunk's window. If not, or if a row needs a
//! decision about the whole file (a row that is no sign-in, fields lost to a flattened
//! `Export-Csv`), the sequential reader reads the file.
//! Not taken over at all: compressed, UTF-16 or Shift_JIS files, `#TYPE` lines, headers the
//! sequential reader warns about; those go to the sequential reader too.

use std::sync::atomic::{AtomicBool, Ordering};

use super::Analysis;
use super::parallel::{ChunkOut, Summarised, Work, assemble, run_chunks};
use super::window::Source;
use crate::signin::csv::{CsvHeader, LineCounter, Row, plain_header};
use crate::signin::detect::Format;
use crate::signin::record::{RecordError, SourcePos};
use crate::signin::source::plain_utf8_text;
use crate::signin::{Problem, SignIn};
use crate::{Error, Result};

/// Records between two looks at the cancel flag.
const CANCEL_EVERY: u32 = 4096;

/// The summary of `source` when it is a plain UTF-8 CSV export the parallel reader can take
/// over (see the module doc), in chunks of about `work.chunk` bytes on `threads` workers, each
/// chunk in a window of its own (`super::window`); `Ok(None)` when it is not.
pub(super) fn summarise_csv(
    source: Source<'_>,
    work: &Work<'_>,
    threads: usize,
    cancel: &AtomicBool,
) -> Result<Option<Summarised>> {
    let Some(head) = source.head() else { return Ok(None) };
    let Some((offset, Format::Csv)) = plain_utf8_text(&head) else { return Ok(None) };
    let Some((header, body)) = plain_header(&head[offset..], work.filter.excludes_modern()) else { return Ok(None) };
    let body = offset + body;
    if body >= head.len() && head.len() < source.len() {
        return Ok(None); // a header row longer than the head: left to the sequential reader
    }
    let lines_before_body = memchr::memchr_iter(b'\n', &head[offset..body]).count();
    drop(head);
    let csv = CsvText { source, header: &header, body, lines_before_body };
    summarise_text(work, &csv, threads, cancel)
}

/// One CSV input to summarise: data rows from byte `body` of `source` on, in the dialect of
/// `header`, with `lines_before_body` line ends before them (the header's).
struct CsvText<'a> {
    source: Source<'a>,
    header: &'a CsvHeader,
    body: usize,
    lines_before_body: usize,
}

/// The summary of `csv` in chunks of about `work.chunk` bytes on `threads` workers. `Ok(None)`:
/// the sequential reader must read it.
fn summarise_text(
    work: &Work<'_>,
    csv: &CsvText<'_>,
    threads: usize,
    cancel: &AtomicBool,
) -> Result<Option<Summarised>> {
    let (source, len) = (csv.source, csv.source.len());
    let chunk = work.chunk.max(1);
    let chunks = (len - csv.body).div_ceil(chunk);
    let nominal = |k: usize| csv.body.saturating_add(k.saturating_mul(chunk)).min(len);
    // Pass 1: quotes and newlines per chunk.
    let counts = parallel_map(chunks, threads, |k| {
        let part = source.window(nominal(k), nominal(k + 1))?;
        Ok((memchr::memchr_iter(b'"', &part).count(), memchr::memchr_iter(b'\n', &part).count()))
    });
    let Ok(counts) = counts.into_iter().collect::<std::io::Result<Vec<(usize, usize)>>>() else { return Ok(None) };
    // Quote parity and newlines before each chunk's nominal start.
    let mut before = Vec::with_capacity(chunks + 1);
    let (mut quotes, mut newlines) = (0usize, csv.lines_before_body);
    for &(q, n) in &counts {
        before.push((quotes % 2 == 1, newlines));
        quotes += q;
        newlines += n;
    }
    before.push((quotes % 2 == 1, newlines));
    // Pass 2: whole records per chunk.
    let scan = |k: usize, analysis: &mut Analysis, record: &mut SignIn| -> Result<Option<ChunkOut>> {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        // The window starts one byte before the chunk's nominal start (where `record_start`
        // looks) and reaches past the next chunk's first record, both found by quote parity.
        let base = if k == 0 { csv.body } else { nominal(k) - 1 };
        let last = k + 1 == chunks;
        let bounds = |bytes: &[u8], whole_rest: bool| {
            let (start, lines) = match k {
                0 => (0, before[0].1),
                _ => record_start(bytes, 1, before[k].0, before[k].1),
            };
            let next = match last {
                true => bytes.len(),
                false => record_start(bytes, nominal(k + 1) - base, before[k + 1].0, before[k + 1].1).0,
            };
            let known = whole_rest || (start < bytes.len() && next < bytes.len());
            known.then_some((bytes.len(), (start, lines)))
        };
        let Ok((window, (start, lines))) = source.window_until(base, nominal(k + 1), bounds) else { return Ok(None) };
        let text = ChunkText { bytes: &window, base, reaches_end: base + window.len() >= len };
        read_chunk((work, csv.header), &text, start, nominal(k + 1) - base, lines as u64, (analysis, record), cancel)
    };
    let Some((analysis, outs)) = run_chunks(chunks, threads, work.filter, work.by, &scan)? else { return Ok(None) };
    // Every chunk ended where the next began: the records are the sequential reader's.
    if outs.windows(2).any(|w| w[0].next_start != w[1].start) {
        return Ok(None);
    }
    let (stats, problems) = assemble(outs, len as u64);
    Ok(Some((analysis, stats, problems)))
}

/// The bytes of one chunk's window: byte `base` of the input on; `reaches_end` when they run to
/// the end of the input.
struct ChunkText<'w> {
    bytes: &'w [u8],
    base: usize,
    reaches_end: bool,
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

/// Read the records of `text` starting at `start` (a record start; `lines` newlines before it in
/// the input) up to the first one that starts at or after `until` (offsets in `text`; the
/// chunk's `start` and `next_start` are reported as offsets in the input). `Ok(None)`: a row
/// needs a decision about the whole file, or the parser went somewhere the sequential one would
/// not (past the window: the quote parity was wrong).
fn read_chunk(
    (work, header): (&Work<'_>, &CsvHeader),
    text: &ChunkText<'_>,
    start: usize,
    until: usize,
    lines: u64,
    (analysis, record): (&mut Analysis, &mut SignIn),
    cancel: &AtomicBool,
) -> Result<Option<ChunkOut>> {
    let Work { name, lang, .. } = *work;
    let mut out =
        ChunkOut { start: text.base + start, next_start: text.base + text.bytes.len(), ..ChunkOut::default() };
    if start >= until {
        out.next_start = text.base + start;
        return Ok(Some(out));
    }
    let part = &text.bytes[start..];
    // Problem lines are absolute (first line of the file is 1): `newlines` stays 0.
    let mut line_counter = LineCounter::new(part, 1 + lines);
    let mut rdr = header.reader(part);
    let mut rec = csv::ByteRecord::new();
    let mut until_cancel_check = CANCEL_EVERY;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) if text.reaches_end => return Ok(Some(out)),
            Ok(false) => return Ok(None), // a record ran past the window: parity was wrong
            Err(_) => return Ok(None),    // cannot happen on a byte slice; the sequential reader knows
        }
        let at = rec.position().map_or(0, |p| p.byte() as usize);
        // The parser puts a record after a CRLF at its `\n`; compare where its text starts.
        let text_at = start + at + part[at..].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        if text_at >= until {
            out.next_start = text.base + text_at;
            return Ok(Some(out));
        }
        until_cancel_check -= 1;
        if until_cancel_check == 0 {
            until_cancel_check = CANCEL_EVERY;
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
        }
        match header.row(&rec) {
            Row::Modern => out.records += 1,
            Row::Blank => {}
            Row::Fields(raw) => {
                if raw.lost != 0 {
                    return Ok(None);
                }
                out.records += 1;
                let line = line_counter.line_of(at);
                match raw.fill_signin(name, line, out.records, record) {
                    Ok(()) => analysis.add(record),
                    Err(RecordError::NotASignIn) => return Ok(None),
                    Err(e) => {
                        out.skipped += 1;
                        let pos = SourcePos { file: name.to_owned(), line, record: out.records };
                        out.problems.push(Problem::from_record_error_in(&e, &pos, lang));
                    }
                }
            }
            Row::BadEncoding(col) => {
                out.records += 1;
                out.skipped += 1;
                let line = line_counter.line_of(at);
                let message = header.bad_encoding_message(col, lang);
                out.problems.push(Problem {
                    code: "bad_encoding",
                    file: name.to_owned(),
                    line,
                    record: out.records,
                    message,
                    lang,
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
    use crate::analysis::run::ProblemLog;
    use crate::analysis::{Filter, GroupBy, SprayThresholds};
    use crate::demo::formats::{GenFormat, sized_scenario, write};
    use crate::messages::Lang;
    use crate::signin::{Collect, ReadOptions, ReadStats, read_bytes};

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
        let work = Work { name: "t.csv", filter, by: GroupBy::UserProtocol, chunk, lang: Lang::En };
        let (a, stats, problems) =
            summarise_csv(Source::Bytes(raw), &work, threads, &AtomicBool::new(false)).unwrap()?;
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
        assert_eq!(plain_utf8_text(b"{\"a\":1}\n"), Some((0, Format::Ndjson)));
        assert!(plain_utf8_text(b"\x1f\x8b\x08").is_none());
        assert!(plain_utf8_text(b"a,b\n\x82\xa0,2\n").is_none(), "Shift_JIS is for the sequential reader");
        assert_eq!(plain_utf8_text(b"\xEF\xBB\xBFa,b\n1,2\n"), Some((3, Format::Csv)));
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
