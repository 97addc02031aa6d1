//! The NDJSON fast path: decide from a cheap byte scan, without parsing, that a sign-in line
//! cannot pass a filter, so the full parse ([`super::json::parse_record`]) runs only for lines
//! that might matter (legacy sign-ins are a few per cent of a tenant's traffic).
//!
//! # When a line is skipped (all must hold)
//! 1. The filter rejects the line's client app on its own: the filter keeps legacy only and the
//!    value is modern (`Browser`, `Mobile Apps and Desktop clients`) or empty, or the filter
//!    names protocols and the value's protocol is not one of them.
//! 2. The trimmed line starts with `{` and ends with `}`.
//! 3. The line contains the bytes `ppUsed"` exactly once, preceded by `"clientA` in any case
//!    (so `"clientAppUsed"` and Log Analytics' `"ClientAppUsed"`), whose opening quote is not
//!    preceded by a backslash, followed (after optional JSON white space) by `:` and a string.
//!    The occurrences are counted in the same `memchr2` pass that finds the line's end
//!    ([`next_line`] stops at `\n` and at `U`, rare in sign-in JSON), so a skipped line's bytes
//!    are read once; `memmem` per line would read them twice.
//! 4. That string contains no backslash (its raw bytes are its value) and is UTF-8.
//!
//! Every other line is fully parsed: key missing, value escaped, not a string, the key seen
//! twice (duplicate keys: the full parse keeps the last one, so the first proves nothing),
//! or anything unusual.
//!
//! # What a skip guarantees, and what it cannot
//! - Guaranteed: the line looks like one JSON object, and the only `clientAppUsed` /
//!   `ClientAppUsed` key in it has a plain string value the filter rejects. If that key is
//!   nested (not the record's own), the full parse would find no client app at all, which is
//!   "not reported", also not legacy: skipping gives the same result either way.
//! - Not checked: the rest of the line is valid JSON and UTF-8, and its time and error code
//!   are valid. A skipped line with such a defect is counted as a record but not reported as a
//!   problem (it could not change a legacy-only result). A line whose closing `}` is missing
//!   (a truncated write, the usual damage) is never skipped and so is always reported.
//! - Not looked for: other spellings the full parse also maps to the client app
//!   (`clientappused`, `CLIENTAPPUSED`, `Client app`, `clientAppUsed_string`, `\u`-escaped key
//!   names). A line with such a key *in addition to* a modern `clientAppUsed` would be skipped
//!   where the full parse (last key wins) might call it legacy. No source writes two client-app
//!   keys in one record; a line with only such a spelling has no `ppUsed"` and is parsed.

use super::{Problem, RecordError, SignIn, SourcePos};
use crate::analysis::Filter;
use crate::catalogue::{Protocol, classify, is_modern_value};
use crate::messages::{self, Lang};

/// What the full parse of one NDJSON line gives.
#[derive(Debug)]
pub enum Parsed {
    SignIn(Box<SignIn>),
    /// The record cannot be used: the problem the sequential reader reports for it.
    Problem(Problem),
    /// Only the sequential reader can say what this line is, because its meaning depends on
    /// the rest of the file: a page or blob container, an object that is not a sign-in (the
    /// file may be no sign-in log), fields flattened by a shallow `ConvertTo-Json`.
    NeedsSequential,
}

/// [`Parsed`] without the record: [`parse_line_into`] wrote it into the caller's buffer.
#[derive(Debug)]
pub enum LineOutcome {
    SignIn,
    Problem(Problem),
    NeedsSequential,
}

/// Fully parse one NDJSON line (already trimmed) at 1-based `line_no` / `record` of `file`, as
/// the sequential reader (`ndjson` + `json_doc` + `file`) does for a line that is one record:
/// same problem codes and messages.
pub fn parse_line(file: &str, line: &[u8], line_no: u64, record: u64, lang: Lang) -> Parsed {
    let mut s = SignIn::empty();
    match parse_line_into(file, line, line_no, record, lang, &mut s) {
        LineOutcome::SignIn => Parsed::SignIn(Box::new(s)),
        LineOutcome::Problem(p) => Parsed::Problem(p),
        LineOutcome::NeedsSequential => Parsed::NeedsSequential,
    }
}

/// [`parse_line`] into `out`, a record reused from line to line (no allocation per record
/// once its buffers have grown); `out` holds the sign-in when the outcome says so.
pub fn parse_line_into(
    file: &str,
    line: &[u8],
    line_no: u64,
    record: u64,
    lang: Lang,
    out: &mut SignIn,
) -> LineOutcome {
    let problem = |code, message| {
        LineOutcome::Problem(Problem { code, file: file.to_owned(), line: line_no, record, message, lang })
    };
    if line.first() != Some(&b'{') {
        if line.first() == Some(&b'[') {
            return LineOutcome::NeedsSequential;
        }
        return problem("bad_json", messages::format("read.not_json_line", lang, &[]));
    }
    if line.starts_with(b"{\"@odata.") {
        return LineOutcome::NeedsSequential;
    }
    // serde_json, as the sequential reader: the same fields, the same error messages. (A SIMD
    // parser, sonic-rs, was 8 % faster here but skipped ignored values without checking them
    // and rounded long numbers differently: two fuzz findings in a day, so it went.)
    match super::json::parse_record(line) {
        Ok(raw) if raw.is_signin_like() && raw.lost == 0 => match raw.fill_signin(file, line_no, record, out) {
            Ok(()) => LineOutcome::SignIn,
            Err(RecordError::NotASignIn) => LineOutcome::NeedsSequential,
            Err(e) => {
                let pos = SourcePos { file: file.to_owned(), line: line_no, record };
                LineOutcome::Problem(Problem::from_record_error_in(&e, &pos, lang))
            }
        },
        Ok(_) => LineOutcome::NeedsSequential,
        Err(_) if super::json_doc::has_container(line) => LineOutcome::NeedsSequential,
        Err(e) => {
            let (code, message) = super::json_doc::parse_problem_text(line, line_no, &e, lang);
            problem(code, message)
        }
    }
}

/// The part of `"clientAppUsed"` that is the same in Graph and Log Analytics spellings.
const KEY_TAIL: &[u8] = b"ppUsed\"";
/// Where the scan stops inside [`KEY_TAIL`]: `U` is rare in sign-in JSON (ids are lower-case
/// hex), so stopping at every `U` costs little and finds every possible key.
const KEY_STOP: u8 = b'U';
const KEY_STOP_AT: usize = 2;
/// What must precede [`KEY_TAIL`] (compared ignoring ASCII case).
const KEY_HEAD: &[u8] = b"\"clienta";

/// One line of a chunk as [`next_line`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScannedLine {
    /// The line, `start..end` in the chunk, without its `\n`.
    pub start: usize,
    pub end: usize,
    /// How many times the bytes `ppUsed"` occur in the line.
    pub key_hits: u32,
    /// Chunk offset of the first occurrence (meaningful when `key_hits > 0`).
    pub first_hit: usize,
}

/// Find the line starting at `pos` and, in the same pass, every `ppUsed"` in it: one
/// `memchr2` scan for `\n` and `U`, so each byte of a skipped line is read once (the floor of
/// the benchmark is one `memchr` pass).
#[inline]
pub fn next_line(chunk: &[u8], pos: usize) -> ScannedLine {
    let mut line = ScannedLine { start: pos, end: chunk.len(), key_hits: 0, first_hit: 0 };
    let mut i = pos;
    while let Some(off) = memchr::memchr2(b'\n', KEY_STOP, &chunk[i..]) {
        let j = i + off;
        if chunk[j] == b'\n' {
            line.end = j;
            break;
        }
        if j >= pos + KEY_STOP_AT && chunk.get(j - KEY_STOP_AT..j - KEY_STOP_AT + KEY_TAIL.len()) == Some(KEY_TAIL) {
            if line.key_hits == 0 {
                line.first_hit = j - KEY_STOP_AT;
            }
            line.key_hits += 1;
        }
        i = j + 1;
    }
    line
}

/// Decides, per line, whether the full parse can be skipped for a filter.
pub struct FastSkip {
    skip_modern: bool,
    protocols: Vec<Protocol>,
}

impl FastSkip {
    /// Skips what a legacy-only filter naming no protocols rejects: modern and blank client apps.
    pub const MODERN: FastSkip = FastSkip { skip_modern: true, protocols: Vec::new() };

    /// `None` when the filter keeps every client app (nothing can be skipped by client app).
    pub fn for_filter(filter: &Filter) -> Option<FastSkip> {
        let skip_modern = filter.excludes_modern();
        if !skip_modern && filter.protocols.is_empty() {
            return None;
        }
        Some(FastSkip { skip_modern, protocols: filter.protocols.clone() })
    }

    /// True when the line provably cannot pass the filter (see the module doc).
    /// `line` is already trimmed of ASCII white space.
    pub fn skips(&self, line: &[u8]) -> bool {
        let scanned = next_line(line, 0);
        scanned.end == line.len() && self.skips_scanned(line, &scanned, 0)
    }

    /// [`FastSkip::skips`] for a line found by [`next_line`] in `chunk`; `trimmed` is the
    /// line trimmed of ASCII white space and `trimmed_start` its offset in the chunk.
    #[inline]
    pub fn skips_scanned(&self, trimmed: &[u8], scanned: &ScannedLine, trimmed_start: usize) -> bool {
        if scanned.key_hits != 1 || scanned.first_hit < trimmed_start {
            return false;
        }
        match client_app_value_at(trimmed, scanned.first_hit - trimmed_start) {
            Some(v) => self.rejects(v),
            None => false,
        }
    }

    /// Whether the filter rejects a record with this raw client-app value. A value is only
    /// rejected when it is valid UTF-8 (condition 4): a modern or blank value is ASCII, any
    /// other is checked by `from_utf8` before it is classified.
    fn rejects(&self, value: &[u8]) -> bool {
        if self.skip_modern && (is_modern_value(value) || value.trim_ascii().is_empty()) {
            return true;
        }
        if self.protocols.is_empty() {
            return false;
        }
        match std::str::from_utf8(value) {
            Ok(v) => {
                let p = classify(v);
                (self.skip_modern && !p.is_legacy()) || !self.protocols.contains(&p)
            }
            Err(_) => false,
        }
    }
}

/// The raw value of the line's client-app key whose `ppUsed"` starts at `tail` when the cheap
/// structural check holds (condition 2 and the no-backslash half of 4 of the module doc, and
/// condition 3 for that one occurrence; the caller has checked it is the only one; the UTF-8
/// half of 4 is [`FastSkip::rejects`]'s); `None` means "parse it fully".
pub fn client_app_value_at(line: &[u8], tail: usize) -> Option<&[u8]> {
    if line.first() != Some(&b'{') || line.last() != Some(&b'}') {
        return None;
    }
    let start = tail.checked_sub(KEY_HEAD.len())?;
    let head = &line[start..tail];
    // Graph's and Log Analytics' spellings compare exactly; anything else ignoring case.
    let head_ok = head == b"\"clientA" || head == b"\"ClientA" || head.eq_ignore_ascii_case(KEY_HEAD);
    if !head_ok || start == 0 || line[start - 1] == b'\\' {
        return None;
    }
    let mut i = skip_ws(line, tail + KEY_TAIL.len());
    if line.get(i) != Some(&b':') {
        return None;
    }
    i = skip_ws(line, i + 1);
    if line.get(i) != Some(&b'"') {
        return None;
    }
    let value_start = i + 1;
    let rel = memchr::memchr2(b'"', b'\\', &line[value_start..])?;
    let value = &line[value_start..value_start + rel];
    if line[value_start + rel] != b'"' {
        return None;
    }
    Some(value)
}

#[inline]
fn skip_ws(line: &[u8], mut i: usize) -> usize {
    while i < line.len() && matches!(line[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(line: &str) -> Option<&str> {
        let b = line.as_bytes();
        let scanned = next_line(b, 0);
        if scanned.key_hits != 1 {
            return None;
        }
        client_app_value_at(b, scanned.first_hit).map(|v| std::str::from_utf8(v).unwrap())
    }

    #[test]
    fn one_pass_finds_lines_and_keys() {
        let chunk = b"{\"clientAppUsed\":\"Browser\"}\nUUU\n{\"ClientAppUsed\":1,\"clientAppUsed\":2}";
        let a = next_line(chunk, 0);
        assert_eq!((a.start, a.end, a.key_hits, a.first_hit), (0, 27, 1, 9));
        let b = next_line(chunk, 28);
        assert_eq!((b.end, b.key_hits), (31, 0));
        let c = next_line(chunk, 32);
        assert_eq!((c.end, c.key_hits), (chunk.len(), 2));
    }

    #[test]
    fn reads_the_value_of_the_one_plain_key() {
        assert_eq!(value(r#"{"a":1,"clientAppUsed":"Browser","b":2}"#), Some("Browser"));
        assert_eq!(
            value(r#"{"ClientAppUsed" : "Mobile Apps and Desktop clients"}"#),
            Some("Mobile Apps and Desktop clients")
        );
        assert_eq!(value(r#"{"properties":{"clientAppUsed":"IMAP4"}}"#), Some("IMAP4"));
        assert_eq!(value(r#"{"clientAppUsed":""}"#), Some(""));
    }

    #[test]
    fn falls_back_on_anything_unusual() {
        // Truncated line, not an object.
        assert_eq!(value(r#"{"clientAppUsed":"Browser","b":"#), None);
        assert_eq!(value(r#"["clientAppUsed","Browser"]"#), None);
        // Missing key, key as a value, escaped quote before the key, escaped value, non-string.
        assert_eq!(value(r#"{"userAgent":"x"}"#), None);
        assert_eq!(value(r#"{"a":"clientAppUsed","b":"Browser"}"#), None);
        assert_eq!(value(r#"{"a":"x\"clientAppUsed\":\"Browser\""}"#), None);
        assert_eq!(value(r#"{"clientAppUsed":"Brow\u0073er"}"#), None);
        assert_eq!(value(r#"{"clientAppUsed":null}"#), None);
        // Duplicate key: the full parse keeps the last, so the first proves nothing.
        assert_eq!(value(r#"{"clientAppUsed":"Browser","ClientAppUsed":"IMAP4"}"#), None);
        // Unterminated value.
        assert_eq!(value(r#"{"clientAppUsed":"Browser}"#), None);
    }

    #[test]
    fn skips_only_what_the_filter_rejects() {
        let legacy_only = FastSkip::for_filter(&Filter::default()).unwrap();
        assert!(legacy_only.skips(br#"{"clientAppUsed":"browser "}"#));
        assert!(legacy_only.skips(br#"{"clientAppUsed":""}"#));
        assert!(!legacy_only.skips(br#"{"clientAppUsed":"IMAP4"}"#));
        assert!(!legacy_only.skips(br#"{"clientAppUsed":"Some Future Client"}"#));
        let all = Filter { include_modern: true, ..Filter::default() };
        assert!(FastSkip::for_filter(&all).is_none());
        let imap = Filter { protocols: vec![Protocol::Imap4], ..Filter::default() };
        let imap = FastSkip::for_filter(&imap).unwrap();
        assert!(imap.skips(br#"{"clientAppUsed":"POP3"}"#));
        assert!(imap.skips(br#"{"clientAppUsed":"Browser"}"#));
        assert!(!imap.skips(br#"{"clientAppUsed":"imap4"}"#));
        // Condition 4: a value that is not UTF-8 is never skipped, whatever the filter.
        assert!(!legacy_only.skips(b"{\"clientAppUsed\":\"Brows\xffer\"}"));
        assert!(!imap.skips(b"{\"clientAppUsed\":\"POP\xff\"}"));
        assert!(legacy_only.skips(br#"{"ClientAppUsed":"Mobile Apps and Desktop clients"}"#));
        assert!(legacy_only.skips(br#"{"CLIENTAppUsed":" BROWSER "}"#));
        assert!(!legacy_only.skips(br#"{"CLIENTAPPUSED":"Browser"}"#), "not looked for: parsed");
    }
}
