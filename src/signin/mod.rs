//! Sign-in sources and records: everything that turns bytes an admin has (files, folders,
//! archives, stdin) into typed [`SignIn`] records, with per-record [`Problem`]s for what could
//! not be read. Formats are detected from content, never from file names.
//!
//! Readers push records into a [`Sink`]; they never stop at a bad record or a bad file: the
//! problem is reported with file, line and record number, counted, and reading goes on.

pub mod csv;
pub mod detect;
pub mod fast;
mod file;
pub mod input;
pub mod json;
pub mod json_doc;
pub mod ndjson;
pub mod record;
pub mod source;

use serde::Serialize;

use crate::messages::{self, Lang};

pub use record::{Field, RawFields, RecordError, SignIn, SourcePos};
pub use source::{Input, ReadOptions, inputs, read_bytes, read_input, read_paths};

/// Something in the input that could not be used, reported with where it was. Serialised with
/// its fields and `text` (`file:line: record N: message` in its language), which the PowerShell
/// module writes as the error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable code. Per record (the record is skipped): `bad_json`, `truncated_json`,
    /// `bad_encoding`, `bad_csv`, `not_a_signin`, `missing_time`, `bad_time`, `bad_error_code`.
    /// Per file (`record` 0; the file is counted as failed): `unreadable`, `empty_file`, `binary`,
    /// `bad_archive`, `missing_column` (no time column), `not_a_signin` (not a sign-in log).
    /// Warnings (nothing skipped by themselves): `shallow_dump` (ConvertTo-Json `-Depth` too
    /// small), `missing_column` (no client-app column), `bad_archive` (archive cut part-way:
    /// what came before is read), `truncated_json` / `bad_json` with `record` 0 (a container
    /// ends early or has a bad separator after its last complete record).
    pub code: &'static str,
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// 1-based record number within the file (0 when the problem is about the whole file).
    pub record: u64,
    pub message: String,
    /// The language `message` is in (and `text` is written in).
    pub lang: Lang,
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("Problem", 6)?;
        m.serialize_field("code", self.code)?;
        m.serialize_field("file", &self.file)?;
        m.serialize_field("line", &self.line)?;
        m.serialize_field("record", &self.record)?;
        m.serialize_field("message", &self.message)?;
        m.serialize_field("text", &self.text(self.lang))?;
        m.end()
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(self.lang))
    }
}

impl Problem {
    /// Where it is and what it is, in `lang` (the message itself is already in the run's
    /// language): `file:line: record N: message`.
    pub fn text(&self, lang: Lang) -> String {
        let pos = SourcePos { file: self.file.clone(), line: self.line, record: self.record };
        format!("{}: {}", pos.text(lang), self.message)
    }

    /// The problem for a record that could not be normalised (English message).
    pub fn from_record_error(e: &RecordError, pos: &SourcePos) -> Problem {
        Problem::from_record_error_in(e, pos, Lang::En)
    }

    /// The same, with the message in `lang`.
    pub fn from_record_error_in(e: &RecordError, pos: &SourcePos, lang: Lang) -> Problem {
        let (code, message) = match e {
            RecordError::NotASignIn => ("not_a_signin", messages::text("read.record_not_a_signin", lang).to_owned()),
            RecordError::MissingTime => ("missing_time", messages::text("read.record_missing_time", lang).to_owned()),
            RecordError::BadTime(t) => ("bad_time", messages::format("read.record_bad_time", lang, &[("value", t)])),
            RecordError::BadErrorCode(t) => {
                ("bad_error_code", messages::format("read.record_bad_error_code", lang, &[("value", t)]))
            }
        };
        Problem { code, file: pos.file.clone(), line: pos.line, record: pos.record, message, lang }
    }
}

/// Where records and problems go. Returning `Break` from `signin` stops reading (cancel).
pub trait Sink {
    fn signin(&mut self, s: SignIn) -> std::ops::ControlFlow<()>;
    fn problem(&mut self, p: Problem);
    /// Called once per file when it starts, for progress.
    fn file_started(&mut self, _path: &str, _bytes: u64) {}
}

/// Counts for the end-of-run report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadStats {
    pub files: u64,
    pub bytes: u64,
    /// Every record seen, including those the fast path skipped as modern.
    pub records: u64,
    /// Records that could not be read (each one reported as a [`Problem`]).
    pub skipped: u64,
    /// Files that could not be read at all.
    pub failed_files: u64,
    /// Problems reported (skipped records and failed files, plus file-level warnings).
    pub problems: u64,
}

impl ReadStats {
    pub fn merge(&mut self, o: &ReadStats) {
        self.files += o.files;
        self.bytes += o.bytes;
        self.records += o.records;
        self.skipped += o.skipped;
        self.failed_files += o.failed_files;
        self.problems += o.problems;
    }
}

/// A sink that collects everything in memory (tests, small inputs).
#[derive(Debug, Default)]
pub struct Collect {
    pub signins: Vec<SignIn>,
    pub problems: Vec<Problem>,
}

impl Sink for Collect {
    fn signin(&mut self, s: SignIn) -> std::ops::ControlFlow<()> {
        self.signins.push(s);
        std::ops::ControlFlow::Continue(())
    }
    fn problem(&mut self, p: Problem) {
        self.problems.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON of a problem carries the whole line the CLI prints and the module writes, in the
    /// problem's own language.
    #[test]
    fn problems_serialise_their_text_in_their_language() {
        let pos = SourcePos { file: "a.ndjson".into(), line: 3, record: 2 };
        for (lang, record) in [(Lang::En, "record 2"), (Lang::Ja, "レコード 2")] {
            let p = Problem::from_record_error_in(&RecordError::MissingTime, &pos, lang);
            let v = serde_json::to_value(&p).unwrap();
            let expected = format!("a.ndjson:3: {record}: {}", p.message);
            assert_eq!(v["text"], expected.as_str());
            assert_eq!(
                (v["code"].as_str(), v["line"].as_u64(), v["record"].as_u64()),
                (Some("missing_time"), Some(3), Some(2))
            );
            assert_eq!(p.to_string(), expected);
        }
        let file_level =
            Problem { code: "binary", file: "x".into(), line: 0, record: 0, message: "m".into(), lang: Lang::Ja };
        assert_eq!(file_level.to_string(), "x: m");
    }
}
