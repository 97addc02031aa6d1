//! Sign-in sources and records: everything that turns bytes an admin has (files, folders,
//! archives, stdin) into typed [`SignIn`] records, with per-record [`Problem`]s for what could
//! not be read. Formats are detected from content, never from file names.
//!
//! Readers push records into a [`Sink`]; they never stop at a bad record or a bad file: the
//! problem is reported with file, line and record number, counted, and reading goes on.

pub mod json;
pub mod record;
pub mod source;

use serde::Serialize;

pub use record::{Field, RawFields, RecordError, SignIn, SourcePos};
pub use source::{ReadOptions, read_bytes, read_paths};

/// Something in the input that could not be used, reported with where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Stable code: `bad_json`, `not_a_signin`, `bad_time`, `bad_error_code`, `missing_column`,
    /// `unreadable`, `empty_file`, `binary`, `bad_encoding`, `bad_archive`, `bad_csv`.
    pub code: &'static str,
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// 1-based record number within the file (0 when the problem is about the whole file).
    pub record: u64,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pos = SourcePos { file: self.file.clone(), line: self.line, record: self.record };
        write!(f, "{pos}: {}", self.message)
    }
}

impl Problem {
    pub fn from_record_error(e: &RecordError, pos: &SourcePos) -> Problem {
        let code = match e {
            RecordError::NotASignIn => "not_a_signin",
            RecordError::MissingTime => "missing_time",
            RecordError::BadTime(_) => "bad_time",
            RecordError::BadErrorCode(_) => "bad_error_code",
        };
        Problem { code, file: pos.file.clone(), line: pos.line, record: pos.record, message: e.to_string() }
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
