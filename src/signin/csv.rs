//! Delimited text with a header row: the Entra portal "Download" CSV (interactive and
//! non-interactive), Log Analytics / Sentinel exports of `SigninLogs` and
//! `AADNonInteractiveUserSignInLogs` (unit suffixes like `CreatedDateTime [UTC]`, US-locale
//! dates, pretty-printed JSON in quoted multi-line cells, `X_dynamic`/`X_string` pairs).
//!
//! Streaming: one reused `ByteRecord`, cells borrowed from it, so memory does not grow with the
//! file. Headers are matched by trimmed, case-insensitive name with runs of spaces folded
//! ([`Field::from_name`]). When several columns feed the same field (the portal's duplicated
//! headers, `Status_dynamic` + `Status_string`) **the first non-empty cell wins**: the order of
//! the columns then decides, not an empty duplicate that happens to come last.
//!
//! With [`FileReader::legacy_only`] set, a row whose first non-empty client-app cell is one of
//! the two modern values ([`is_modern_value`]) is counted and passed over without being
//! normalised (most rows of a real export are modern); a bad time or status in such a row is
//! then not reported. A row with no client app is read in full as before.
//!
//! The portal header we test against (DOMAIN.md §3) is an UNVERIFIED third-party capture; the
//! matching does not depend on its exact column set or order. The portal's interactive and
//! non-interactive files share that header, so their rows carry no event type unless another
//! column says it (`IsInteractive`, `SignInEventTypes`, `Type`/`Category`).

use std::borrow::Cow;
use std::ops::ControlFlow;

use super::file::FileReader;
use super::record::{Field, RawFields};
use crate::catalogue::is_modern_value;

/// Columns that say a row is a sign-in (the time column alone does not).
const IDENTIFYING: &[Field] = &[
    Field::Upn,
    Field::UserId,
    Field::UserDisplayName,
    Field::ClientApp,
    Field::App,
    Field::AppId,
    Field::Ip,
    Field::ErrorCode,
    Field::ResultType,
    Field::Status,
    Field::UserAgent,
];

/// What the header row says about a file: its delimiter, columns and the fields they feed.
pub(crate) struct CsvHeader {
    pub delimiter: u8,
    pub headers: Vec<String>,
    pub fields: Vec<Option<Field>>,
    /// The client-app columns when modern rows may be passed over (legacy only), else empty.
    pub client_app_columns: Vec<usize>,
}

impl CsvHeader {
    fn new(rec: &csv::ByteRecord, delimiter: u8, legacy_only: bool) -> CsvHeader {
        let headers: Vec<String> = rec.iter().map(|h| String::from_utf8_lossy(h).trim().to_owned()).collect();
        let fields: Vec<Option<Field>> = headers.iter().map(|h| Field::from_name(h)).collect();
        let client_app_columns = match legacy_only {
            true => (0..fields.len()).filter(|&i| fields[i] == Some(Field::ClientApp)).collect(),
            false => Vec::new(),
        };
        CsvHeader { delimiter, headers, fields, client_app_columns }
    }

    /// A reader of the rows of `body` (the text after the header row) in this file's dialect.
    pub fn reader<'t>(&self, body: &'t [u8]) -> csv::Reader<&'t [u8]> {
        reader_builder(self.delimiter).from_reader(body)
    }

    /// What one data row is; `Row::Fields` borrows from `rec`.
    pub fn row<'a>(&self, rec: &'a csv::ByteRecord) -> Row<'a> {
        if is_modern_row(rec, &self.client_app_columns) {
            return Row::Modern;
        }
        if rec.iter().all(|c| c.trim_ascii().is_empty()) {
            return Row::Blank; // Excel leaves `,,,,` lines: nothing to read
        }
        match row_fields(rec, &self.fields) {
            Ok(raw) => Row::Fields(raw),
            Err(col) => Row::BadEncoding(col),
        }
    }

    /// The message of a cell of column `col` that is not UTF-8.
    pub fn bad_encoding_message(&self, col: usize, lang: crate::messages::Lang) -> String {
        let column = self.headers.get(col).map_or("?", String::as_str);
        crate::messages::format("read.bad_encoding_cell", lang, &[("column", &column)])
    }
}

/// One data row, as every CSV reader (sequential or parallel) treats it.
#[expect(clippy::large_enum_variant, reason = "one row at a time, on the stack: boxing would allocate per row")]
pub(crate) enum Row<'a> {
    /// Its client app is modern and only legacy sign-ins are wanted: counted, not read.
    Modern,
    /// Every cell empty: not a record.
    Blank,
    Fields(RawFields<'a>),
    /// The cell of this column is not UTF-8: a problem.
    BadEncoding(usize),
}

fn reader_builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.delimiter(delimiter).flexible(true).has_headers(false);
    b
}

/// The header of a plain CSV text (no `#TYPE` line) that the parallel reader may take over:
/// the header row parses and passes the column checks without any problem or warning (every
/// other case is left to [`read_csv`], which reports it). Returns the header and the offset of
/// the first data row.
pub(crate) fn plain_header(text: &[u8], legacy_only: bool) -> Option<(CsvHeader, usize)> {
    if text.starts_with(b"#TYPE ") {
        return None;
    }
    let delimiter = sniff_delimiter(text);
    let mut rdr = reader_builder(delimiter).from_reader(text);
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).ok()? {
        return None;
    }
    let header = CsvHeader::new(&rec, delimiter, legacy_only);
    let has = |f: Field| header.fields.contains(&Some(f));
    let identified = IDENTIFYING.iter().any(|&f| has(f));
    if !identified || !(has(Field::Time) || has(Field::TimeFallback)) || !has(Field::ClientApp) {
        return None;
    }
    let body = usize::try_from(rdr.position().byte()).ok()?;
    Some((header, body))
}

pub(crate) fn read_csv(text: &[u8], r: &mut FileReader) -> ControlFlow<()> {
    r.lost_fields_from_export_csv();
    // Windows PowerShell 5.1 `Export-Csv` without -NoTypeInformation starts with
    // `#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignIn`: the header is on line 2.
    let (text, first_line) = match text.strip_prefix(b"#TYPE ") {
        Some(rest) => (memchr::memchr(b'\n', rest).map_or(&rest[rest.len()..], |i| &rest[i + 1..]), 2),
        None => (text, 1),
    };
    let mut lines = LineCounter::new(text, first_line);
    let delimiter = sniff_delimiter(text);
    let mut rdr = reader_builder(delimiter).from_reader(text);
    let mut rec = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => return ControlFlow::Continue(()),
        Err(e) => {
            let m = r.msg("read.bad_csv", &[("error", &e)]);
            r.file_problem("bad_csv", first_line, m);
            return ControlFlow::Continue(());
        }
    }
    let header = CsvHeader::new(&rec, delimiter, r.legacy_only);
    if !check_columns(&header.headers, &header.fields, first_line, r) {
        return ControlFlow::Continue(());
    }
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return ControlFlow::Continue(()),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let m = r.msg("read.bad_csv", &[("error", &e)]);
                r.record_problem("bad_csv", line, m);
                continue;
            }
        }
        let at = rec.position().map_or(0, |p| p.byte() as usize);
        // Give back the pages behind the line count (kept up to date every few MiB, so a long
        // run of modern rows is not counted through again from released pages).
        if at.saturating_sub(lines.pos) > LineCounter::CATCH_UP {
            lines.line_of(at);
        }
        r.reached(&text[lines.pos.min(text.len())..]);
        let mut line = || lines.line_of(at);
        match header.row(&rec) {
            Row::Modern => r.skip_modern(),
            Row::Blank => {}
            Row::Fields(raw) => {
                let line = line();
                r.emit(raw, line)?
            }
            Row::BadEncoding(col) => {
                let line = line();
                r.record_problem("bad_encoding", line, header.bad_encoding_message(col, r.lang));
            }
        }
    }
}

/// Line numbers from byte offsets (the csv crate counts a CRLF record as starting on the line
/// of the `\r`): one pass over the text in total, since records come in order.
pub(crate) struct LineCounter<'t> {
    text: &'t [u8],
    /// Newlines before this offset are counted.
    pos: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    /// How far behind the records a sequential reader lets the count fall.
    const CATCH_UP: usize = 4 << 20;

    /// Lines of `text`, whose first line is line `first_line` of the file.
    pub fn new(text: &'t [u8], first_line: u64) -> Self {
        LineCounter { text, pos: 0, line: first_line }
    }

    /// The line of the record starting at `byte` (records must be asked for in order).
    pub fn line_of(&mut self, byte: usize) -> u64 {
        let mut start = byte.min(self.text.len());
        while let Some(b'\r' | b'\n') = self.text.get(start) {
            start += 1;
        }
        if start > self.pos {
            self.line += memchr::memchr_iter(b'\n', &self.text[self.pos..start]).count() as u64;
            self.pos = start;
        }
        self.line
    }
}

/// The row's client app (its first non-empty cell among `columns`, as in [`row_fields`]) is
/// modern. False when `columns` is empty (nothing may be skipped).
fn is_modern_row(rec: &csv::ByteRecord, columns: &[usize]) -> bool {
    columns.iter().filter_map(|&i| rec.get(i)).find(|c| !c.trim_ascii().is_empty()).is_some_and(is_modern_value)
}

/// The fields of one row; `Err(column index)` for a cell that is not UTF-8.
fn row_fields<'a>(rec: &'a csv::ByteRecord, fields: &[Option<Field>]) -> Result<RawFields<'a>, usize> {
    let mut raw = RawFields::default();
    let mut seen = 0u64;
    for (i, cell) in rec.iter().enumerate() {
        let Some(Some(f)) = fields.get(i) else { continue };
        let cell = cell.trim_ascii();
        let bit = 1u64 << (*f as u32);
        if cell.is_empty() || seen & bit != 0 {
            continue;
        }
        seen |= bit;
        let text = std::str::from_utf8(cell).map_err(|_| i)?;
        raw.set_text(*f, Cow::Borrowed(text));
    }
    Ok(raw)
}

/// File-level column checks. `false` when the file cannot be read (problem already reported).
fn check_columns(headers: &[String], fields: &[Option<Field>], line: u64, r: &mut FileReader) -> bool {
    let has = |f: Field| fields.contains(&Some(f));
    let found = column_list(headers);
    if !IDENTIFYING.iter().any(|&f| has(f)) {
        let m = r.msg("read.not_a_signin_csv", &[("columns", &found)]);
        r.file_problem("not_a_signin", line, m);
        return false;
    }
    if !has(Field::Time) && !has(Field::TimeFallback) {
        let m = r.msg("read.missing_time_column", &[("columns", &found)]);
        r.file_problem("missing_column", line, m);
        return false;
    }
    if !has(Field::ClientApp) {
        let m = r.msg("read.missing_client_app_column", &[("columns", &found)]);
        r.warning("missing_column", line, m);
    }
    true
}

fn column_list(headers: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut s = headers.iter().take(SHOWN).map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ");
    if headers.len() > SHOWN {
        s.push_str(&format!(", … ({} columns)", headers.len()));
    }
    s
}

/// `,` unless the header line has more tabs or semicolons outside quotes (European Excel
/// writes `;`, some tools TSV).
fn sniff_delimiter(text: &[u8]) -> u8 {
    let end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    let (mut counts, mut quoted) = ([0usize; 3], false);
    for &b in &text[..end] {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], usize::from(i == 0))).unwrap_or(0);
    [b',', b'\t', b';'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"a;b;\"x,y,z\"\n"), b';');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }
}
