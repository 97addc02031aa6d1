//! JSON documents: Graph `signIns` pages (`{"@odata.context":…,"value":[…]}`), bare arrays,
//! single objects, diagnostic-settings blobs (`{"records":[…]}`), PowerShell 5.1 array wrappers
//! (`{"value":[…],"Count":n}`), Log Analytics query API results
//! (`{"tables":[{"columns":[…],"rows":[[…]]}]}`) and several of these one after the other.
//!
//! The containers are walked by a small bracket- and quote-aware [`Scan`]ner that finds where
//! each element starts and ends without parsing it; each element is then parsed once, in place,
//! by [`json::parse_record`] / [`json::parse_row`]. So a page is never buffered as a
//! `serde_json::Value`, every record knows its line, and a malformed or cut element is one
//! problem while the elements around it are still read.

use std::ops::ControlFlow;

use super::fast::FastSkip;
use super::file::FileReader;
use super::json;
use super::record::Field;

/// Why a value could not be delimited.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// The input ends inside the value.
    Truncated,
    /// A byte that cannot start or continue the value here.
    Unexpected(u8),
}

/// A cursor over JSON text that skips values structurally and knows line numbers.
pub(crate) struct Scan<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
    /// Line of `line_pos` (1-based); advanced lazily so each byte is counted once.
    line: u64,
    line_pos: usize,
    /// How many containers this scanner's text is nested in (bounds the recursion).
    depth: u32,
}

/// Containers nested deeper than this (pages of arrays of pages…) are not looked into: their
/// elements are read as plain records. Real inputs need 3 (tables → table → rows).
const MAX_DEPTH: u32 = 6;

impl<'a> Scan<'a> {
    pub fn new(buf: &'a [u8], first_line: u64) -> Self {
        Scan { buf, pos: 0, line: first_line, line_pos: 0, depth: 0 }
    }

    /// A scanner over the element `s..e` of this one, starting at `line`.
    fn child(&self, s: usize, e: usize, line: u64) -> Scan<'a> {
        Scan { buf: &self.buf[s..e], pos: 0, line, line_pos: 0, depth: self.depth + 1 }
    }

    /// 1-based line of byte `at` (at ≥ the last position asked for).
    pub fn line_at(&mut self, at: usize) -> u64 {
        let at = at.min(self.buf.len());
        if at > self.line_pos {
            self.line += memchr::memchr_iter(b'\n', &self.buf[self.line_pos..at]).count() as u64;
            self.line_pos = at;
        }
        self.line
    }

    pub fn line(&mut self) -> u64 {
        self.line_at(self.pos)
    }

    pub fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.buf.get(self.pos) {
            self.pos += 1;
        }
    }

    pub fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Skip the string starting at `pos` (on its opening quote); returns its content span.
    fn skip_string(&mut self) -> Result<(usize, usize), ScanError> {
        let start = self.pos + 1;
        let mut i = start;
        loop {
            match memchr::memchr2(b'"', b'\\', &self.buf[i.min(self.buf.len())..]) {
                None => {
                    self.pos = self.buf.len();
                    return Err(ScanError::Truncated);
                }
                Some(off) if self.buf[i + off] == b'\\' => i += off + 2,
                Some(off) => {
                    self.pos = i + off + 1;
                    return Ok((start, i + off));
                }
            }
        }
    }

    /// Skip the value at `pos`; returns its span. Only structure is checked: brackets balance
    /// and strings end. The parser that reads the span checks the rest.
    pub fn skip_value(&mut self) -> Result<(usize, usize), ScanError> {
        let start = self.pos;
        match self.peek() {
            None => Err(ScanError::Truncated),
            Some(b'"') => self.skip_string().map(|_| (start, self.pos)),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(&b) = self.buf.get(self.pos) {
                    match b {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return Ok((start, self.pos));
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                Err(ScanError::Truncated)
            }
            Some(b'}' | b']' | b',' | b':') => Err(ScanError::Unexpected(self.buf[start])),
            Some(_) => {
                // A number, true, false, null: up to the next delimiter.
                while let Some(&b) = self.buf.get(self.pos) {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.pos += 1;
                }
                Ok((start, self.pos))
            }
        }
    }

    /// Read an object key at `pos` and the `:` after it; returns the raw key bytes.
    fn key(&mut self) -> Result<&'a [u8], ScanError> {
        match self.peek() {
            None => return Err(ScanError::Truncated),
            Some(b'"') => {}
            Some(b) => return Err(ScanError::Unexpected(b)),
        }
        let (s, e) = self.skip_string()?;
        self.skip_ws();
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                self.skip_ws();
                Ok(&self.buf[s..e])
            }
            Some(b) => Err(ScanError::Unexpected(b)),
            None => Err(ScanError::Truncated),
        }
    }

    /// After a member or element: `,` (more follow) or `close` (done).
    fn separator(&mut self, close: u8) -> Result<bool, ScanError> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            Some(b) => Err(ScanError::Unexpected(b)),
            None => Err(ScanError::Truncated),
        }
    }
}

/// What an object's members say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    /// `value` / `records` (any case): an array of sign-ins.
    Records,
    /// `tables`: Log Analytics query API tables.
    Tables,
    /// `error`: a Graph / Log Analytics error response (or a `PartialError` beside tables).
    Error,
    Other,
}

fn member_kind(key: &[u8]) -> Member {
    if key.eq_ignore_ascii_case(b"value") || key.eq_ignore_ascii_case(b"records") {
        Member::Records
    } else if key.eq_ignore_ascii_case(b"tables") {
        Member::Tables
    } else if key == b"error" {
        Member::Error
    } else {
        Member::Other
    }
}

fn shown(b: u8) -> String {
    if b.is_ascii_graphic() { (b as char).to_string() } else { format!("0x{b:02x}") }
}

/// Read a whole JSON document (one or several top-level values) into `r`.
pub(crate) fn read_document(text: &[u8], r: &mut FileReader) -> ControlFlow<()> {
    let mut sc = Scan::new(text, 1);
    loop {
        sc.skip_ws();
        match sc.peek() {
            None => return ControlFlow::Continue(()),
            Some(b'[') => read_array(&mut sc, r, &Elements::Records)?,
            Some(b'{') => {
                read_object(&mut sc, r, true)?;
            }
            Some(b) => {
                let line = sc.line();
                let m = r.msg("read.bad_json_top", &[("found", &shown(b))]);
                r.record_problem("bad_json", line, m);
                return ControlFlow::Continue(());
            }
        }
    }
}

/// How the elements of an array are read.
enum Elements {
    /// Sign-in objects (or pages of them).
    Records,
    /// Log Analytics rows mapped by these columns.
    Rows(Vec<Option<Field>>),
    /// Log Analytics tables.
    Tables,
}

/// Read the array at `sc.pos` element by element. `Break` stops the file (cut off, or the
/// reader says stop).
fn read_array(sc: &mut Scan, r: &mut FileReader, elements: &Elements) -> ControlFlow<()> {
    sc.pos += 1; // '['
    sc.skip_ws();
    if sc.peek() == Some(b']') {
        sc.pos += 1;
        return ControlFlow::Continue(());
    }
    loop {
        sc.skip_ws();
        let start = sc.pos;
        r.reached(&sc.buf[start..]);
        let line = sc.line();
        match sc.skip_value() {
            Ok((s, e)) => {
                let mut sub = sc.child(s, e, line);
                read_element(&mut sub, r, elements)?;
            }
            Err(ScanError::Truncated) => {
                let m = if start >= sc.buf.len() { "read.truncated_array" } else { "read.truncated_record" };
                let m = r.msg(m, &[]);
                r.record_problem("truncated_json", line, m);
                return ControlFlow::Break(());
            }
            Err(ScanError::Unexpected(b)) => {
                let m = r.msg("read.bad_json_top", &[("found", &shown(b))]);
                r.record_problem("bad_json", line, m);
                return ControlFlow::Break(());
            }
        }
        match sc.separator(b']') {
            Ok(true) => {}
            Ok(false) => return ControlFlow::Continue(()),
            Err(ScanError::Truncated) => {
                let line = sc.line();
                let m = r.msg("read.truncated_array", &[]);
                r.warning("truncated_json", line, m);
                return ControlFlow::Break(());
            }
            Err(ScanError::Unexpected(b)) => {
                let line = sc.line();
                let m = r.msg("read.bad_json_separator", &[("found", &shown(b))]);
                r.warning("bad_json", line, m);
                // A missing comma between two objects: go on with the next one.
                if b != b'{' && b != b'[' {
                    return ControlFlow::Break(());
                }
            }
        }
    }
}

/// One complete element (its own scanner over exactly its bytes).
fn read_element(sub: &mut Scan, r: &mut FileReader, elements: &Elements) -> ControlFlow<()> {
    let bytes = sub.buf;
    let line = sub.line();
    let deep = sub.depth > MAX_DEPTH;
    match elements {
        Elements::Records if bytes.first() == Some(&b'{') && deep => read_record(bytes, line, r),
        Elements::Records if bytes.first() == Some(&b'{') => read_record_or_container(sub, r),
        Elements::Records if bytes.first() == Some(&b'[') && !deep => read_array(sub, r, elements),
        Elements::Records => {
            let found = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned();
            let m = r.msg("read.not_an_object", &[("found", &found)]);
            r.record_problem("bad_json", line, m);
            ControlFlow::Continue(())
        }
        Elements::Rows(columns) => match json::parse_row(bytes, columns) {
            Ok(raw) => r.emit(raw, line),
            Err(e) => {
                parse_problem(r, bytes, line, &e);
                ControlFlow::Continue(())
            }
        },
        Elements::Tables if bytes.first() == Some(&b'{') && !deep => read_table(sub, r),
        Elements::Tables => ControlFlow::Continue(()),
    }
}

/// One NDJSON line holding an object or an array.
pub(crate) fn read_line_value(sub: &mut Scan, r: &mut FileReader) -> ControlFlow<()> {
    if sub.peek() == Some(b'[') { read_array(sub, r, &Elements::Records) } else { read_record_or_container(sub, r) }
}

/// An array element or NDJSON line that is an object: a sign-in (parsed once), or, when it is
/// not one, a page/blob/table container whose elements are read.
pub(crate) fn read_record_or_container(sub: &mut Scan, r: &mut FileReader) -> ControlFlow<()> {
    let bytes = sub.buf;
    let line = sub.line();
    // Legacy sign-ins only: an object whose one client-app value is plainly modern is counted
    // and passed over unparsed, by the NDJSON fast path's rule (`signin::fast`, which the
    // parallel reader applies first too). A container holding one such record (a page of one)
    // counts as the one record it holds.
    if r.legacy_only && FastSkip::MODERN.skips(bytes) {
        r.skip_modern();
        return ControlFlow::Continue(());
    }
    // A Graph page starts with its @odata.context: go straight to the container.
    if bytes.starts_with(b"{\"@odata.") {
        return read_object(sub, r, true);
    }
    match json::parse_record(bytes) {
        Ok(raw) if raw.is_signin_like() => r.emit(raw, line),
        Ok(_) | Err(_) if has_container(bytes) => read_object(sub, r, false),
        _ => read_record(bytes, line, r),
    }
}

/// An object known not to be a container: one record, or its problem.
fn read_record(bytes: &[u8], line: u64, r: &mut FileReader) -> ControlFlow<()> {
    match json::parse_record(bytes) {
        Ok(raw) => {
            if !raw.is_signin_like() && r.wants_keys() {
                r.set_keys(object_keys(bytes));
            }
            r.emit(raw, line)
        }
        Err(e) => {
            parse_problem(r, bytes, line, &e);
            ControlFlow::Continue(())
        }
    }
}

fn parse_problem(r: &mut FileReader, bytes: &[u8], line: u64, e: &serde_json::Error) {
    let (code, message) = parse_problem_text(bytes, line, e, r.lang);
    r.record_problem(code, line, message);
}

/// The problem code and message for an object at `line` that failed to parse with `e` (shared
/// with the parallel NDJSON reader, which must report exactly what this reader reports).
pub(crate) fn parse_problem_text(
    bytes: &[u8],
    line: u64,
    e: &serde_json::Error,
    lang: crate::messages::Lang,
) -> (&'static str, String) {
    if std::str::from_utf8(bytes).is_err() {
        return ("bad_encoding", crate::messages::format("read.bad_encoding_record", lang, &[]));
    }
    if e.is_eof() {
        return ("truncated_json", crate::messages::format("read.truncated_record", lang, &[]));
    }
    let err = e.to_string();
    let err = err.split(" at line ").next().unwrap_or(&err);
    // On the record's first line the problem's own line says where: the message names the
    // column only, so it reads the same whichever reader (sequential or parallel, which numbers
    // lines per chunk until the end) found it. A later line of a multi-line record is named.
    let m = match e.line() {
        0 | 1 => crate::messages::format("read.bad_json_column", lang, &[("column", &e.column()), ("error", &err)]),
        l => {
            let at = line + l as u64 - 1;
            crate::messages::format("read.bad_json", lang, &[("line", &at), ("column", &e.column()), ("error", &err)])
        }
    };
    ("bad_json", m)
}

/// Whether the object's top-level members include a container key (scanned, not parsed).
pub(crate) fn has_container(bytes: &[u8]) -> bool {
    let mut found = false;
    let _ = members(bytes, |k, _| {
        found |= member_kind(k) != Member::Other;
        !found
    });
    found
}

/// The first top-level keys of an object, for "not a sign-in log: keys found …".
fn object_keys(bytes: &[u8]) -> String {
    let mut keys = Vec::new();
    let _ = members(bytes, |k, _| {
        keys.push(String::from_utf8_lossy(k).into_owned());
        keys.len() < 8
    });
    keys.join(", ")
}

/// Call `f(key, value_span)` for each top-level member while it returns true.
fn members(bytes: &[u8], mut f: impl FnMut(&[u8], (usize, usize)) -> bool) -> Result<(), ScanError> {
    let mut sc = Scan::new(bytes, 1);
    sc.pos = 1;
    loop {
        sc.skip_ws();
        if sc.peek() == Some(b'}') {
            return Ok(());
        }
        let k = sc.key()?;
        let span = sc.skip_value()?;
        if !f(k, span) || !sc.separator(b'}')? {
            return Ok(());
        }
    }
}

/// The object at `sc.pos`, member by member: arrays under container keys are read as they are
/// met (so a cut page still gives its complete records). Without a container key the object is
/// one record when `as_record` (top-level objects).
fn read_object(sc: &mut Scan, r: &mut FileReader, as_record: bool) -> ControlFlow<()> {
    let start = sc.pos;
    let line = sc.line();
    let mut container = false;
    let mut service_error = None;
    sc.pos += 1;
    let end = loop {
        sc.skip_ws();
        if sc.peek() == Some(b'}') {
            sc.pos += 1;
            break Ok(());
        }
        let key = match sc.key() {
            Ok(k) => k,
            Err(e) => break Err(e),
        };
        match (member_kind(key), sc.peek()) {
            (Member::Records, Some(b'[')) => {
                container = true;
                read_array(sc, r, &Elements::Records)?;
            }
            (Member::Tables, Some(b'[')) => {
                container = true;
                read_array(sc, r, &Elements::Tables)?;
            }
            (Member::Error, Some(b'{')) => match sc.skip_value() {
                Ok((s, e)) => service_error = describe_service_error(&sc.buf[s..e]),
                Err(e) => break Err(e),
            },
            _ => {
                if let Err(e) = sc.skip_value() {
                    break Err(e);
                }
            }
        }
        match sc.separator(b'}') {
            Ok(true) => {}
            Ok(false) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    if let (Ok(()), Some(err)) = (&end, service_error) {
        let m = r.msg("read.service_error", &[("error", &err)]);
        if container {
            r.warning("service_error", line, m)
        } else {
            r.file_problem("service_error", line, m)
        }
        return ControlFlow::Continue(());
    }
    match end {
        Ok(()) if container => ControlFlow::Continue(()),
        Ok(()) if as_record => read_record(&sc.buf[start..sc.pos], line, r),
        Ok(()) => ControlFlow::Continue(()),
        Err(ScanError::Truncated) => {
            let (key, code) = if container {
                ("read.truncated_array", "truncated_json")
            } else {
                ("read.truncated_record", "truncated_json")
            };
            let m = r.msg(key, &[]);
            if container {
                r.warning(code, sc.line(), m)
            } else {
                r.record_problem(code, line, m)
            }
            ControlFlow::Break(())
        }
        Err(ScanError::Unexpected(b)) => {
            if container {
                let l = sc.line();
                let m = r.msg("read.bad_json_separator", &[("found", &shown(b))]);
                r.warning("bad_json", l, m);
            } else {
                // Let the parser say precisely what is wrong with this object.
                let bytes = &sc.buf[start..];
                let end = memchr::memchr(b'\n', &bytes[1..]).map_or(bytes.len(), |i| i + 1);
                match json::parse_record(&bytes[..end]) {
                    Err(e) => parse_problem(r, &bytes[..end], line, &e),
                    Ok(_) => {
                        let m = r.msg("read.bad_json_top", &[("found", &shown(b))]);
                        r.record_problem("bad_json", line, m)
                    }
                }
            }
            ControlFlow::Break(())
        }
    }
}

/// `{"code":"…","message":"…"}` of an error response, as `code: message`.
fn describe_service_error(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct ServiceError {
        code: Option<String>,
        message: Option<String>,
    }
    let e: ServiceError = serde_json::from_slice(bytes).ok()?;
    match (e.code, e.message) {
        (None, None) => None,
        (c, m) => Some([c, m].into_iter().flatten().collect::<Vec<_>>().join(": ")),
    }
}

/// One Log Analytics table object: `columns` then `rows` (rows before columns are read after).
fn read_table(sc: &mut Scan, r: &mut FileReader) -> ControlFlow<()> {
    let mut columns: Option<Vec<Option<Field>>> = None;
    let mut pending_rows: Option<(usize, usize, u64)> = None;
    let mut well_formed = true;
    sc.pos += 1;
    loop {
        sc.skip_ws();
        if sc.peek() == Some(b'}') {
            break;
        }
        let Ok(key) = sc.key() else {
            well_formed = false;
            break;
        };
        let line = sc.line();
        let is_rows = key.eq_ignore_ascii_case(b"rows") && sc.peek() == Some(b'[');
        if let (true, Some(c)) = (is_rows, &columns) {
            read_array(sc, r, &Elements::Rows(c.clone()))?;
        } else {
            let Ok((s, e)) = sc.skip_value() else {
                well_formed = false;
                break;
            };
            if key.eq_ignore_ascii_case(b"columns") {
                columns = Some(column_fields(&sc.buf[s..e]));
            } else if is_rows {
                pending_rows = Some((s, e, line));
            }
        }
        match sc.separator(b'}') {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                well_formed = false;
                break;
            }
        }
    }
    match (pending_rows, columns) {
        (Some((s, e, line)), Some(c)) => {
            let mut sub = sc.child(s, e, line);
            read_array(&mut sub, r, &Elements::Rows(c))?;
        }
        (Some(_), None) => well_formed = false,
        _ => {}
    }
    if !well_formed {
        let line = sc.line();
        let m = r.msg("read.bad_table", &[]);
        r.warning("bad_json", line, m);
    }
    ControlFlow::Continue(())
}

/// `[{"name":"TimeGenerated","type":"datetime"},…]` → the field each column feeds.
fn column_fields(bytes: &[u8]) -> Vec<Option<Field>> {
    #[derive(serde::Deserialize)]
    struct Column {
        #[serde(alias = "Name", alias = "ColumnName", alias = "columnName")]
        name: String,
    }
    serde_json::from_slice::<Vec<Column>>(bytes)
        .map(|cols| cols.iter().map(|c| Field::from_name(&c.name)).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_skips_values_and_counts_lines() {
        let text = b"[{\"a\":\"x]}\\\"\"},\n {\"b\":[1,{}]},\n 12, \"s\", true]";
        let mut sc = Scan::new(text, 1);
        sc.pos = 1;
        assert_eq!(sc.skip_value(), Ok((1, 14)));
        assert_eq!(sc.separator(b']'), Ok(true));
        sc.skip_ws();
        assert_eq!(sc.line(), 2);
        assert!(sc.skip_value().is_ok());
        assert_eq!(sc.separator(b']'), Ok(true));
        sc.skip_ws();
        assert_eq!(sc.skip_value().map(|(s, e)| &text[s..e]), Ok(&b"12"[..]));
        let mut cut = Scan::new(b"{\"a\":[1,2", 1);
        assert_eq!(cut.skip_value(), Err(ScanError::Truncated));
        let mut cut = Scan::new(b"\"abc\\", 1);
        assert_eq!(cut.skip_value(), Err(ScanError::Truncated));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        use crate::signin::{Collect, ReadOptions, ReadStats, read_bytes};
        let n = 100_000;
        for text in ["[".repeat(n) + &"]".repeat(n), "{\"value\":[".repeat(n) + &"]}".repeat(n), "[".repeat(n)] {
            let mut c = Collect::default();
            let mut stats = ReadStats::default();
            let _ = read_bytes("deep.json", text.as_bytes(), &ReadOptions::default(), &mut c, &mut stats);
            assert!(c.signins.is_empty());
            assert!(!c.problems.is_empty());
        }
    }

    #[test]
    fn container_keys_are_found_without_parsing() {
        assert!(has_container(br#"{"@odata.context":"x","value":[{"a":1}]}"#));
        assert!(has_container(br#"{"Records":[]}"#));
        assert!(!has_container(br#"{"createdDateTime":"x","status":{"value":1}}"#));
        assert_eq!(object_keys(br#"{"id":"1","displayName":"Block legacy","state":"on"}"#), "id, displayName, state");
    }
}
