//! Per-file reading state shared by every format reader: record numbering, the counters in
//! [`ReadStats`], problems sent to the sink, the "not a sign-in log" decision and the
//! `ConvertTo-Json -Depth` warning.
//!
//! Counting rules (the end-of-run report relies on them):
//! - every record a reader finds, good or bad, counts in `records`;
//! - a record that cannot be used counts in `skipped` and gives one problem;
//! - a file that gives nothing (unreadable, binary, empty, wrong columns, not sign-ins) counts
//!   in `failed_files` and gives one problem;
//! - warnings (e.g. a shallow PowerShell dump) give one problem and change no other count.

use std::ops::ControlFlow;

use super::input::PageRelease;
use super::record::{Lost, RawFields, RecordError};
use super::{Problem, ReadStats, Sink, SourcePos};
use crate::messages::{self, Lang};

/// Objects without sign-in fields are held back until the first sign-in of the file; after this
/// many with none, the file is declared "not a sign-in log" with one problem instead of many.
const NOT_A_SIGNIN_LIMIT: usize = 100;

pub(crate) struct FileReader<'r> {
    pub name: &'r str,
    pub lang: Lang,
    sink: &'r mut dyn Sink,
    stats: &'r mut ReadStats,
    record: u64,
    signins: u64,
    held: Vec<Problem>,
    first_keys: Option<String>,
    lost: u8,
    lost_records: u64,
    cancelled: bool,
    given_up: bool,
    /// The message for fields lost to PowerShell's flattening (differs for JSON and CSV).
    lost_message: &'static str,
    /// The caller keeps legacy sign-ins only ([`super::ReadOptions::legacy_only`]): a reader
    /// may pass over a record whose client app is provably modern with [`Self::skip_modern`].
    pub legacy_only: bool,
    /// Set when the text read is a file mapping: readers say how far they are with
    /// [`Self::reached`] and the pages behind are given back.
    pub pages: Option<PageRelease<'r>>,
}

impl<'r> FileReader<'r> {
    pub fn new(name: &'r str, lang: Lang, sink: &'r mut dyn Sink, stats: &'r mut ReadStats) -> Self {
        FileReader {
            name,
            lang,
            sink,
            stats,
            record: 0,
            signins: 0,
            held: Vec::new(),
            first_keys: None,
            lost: 0,
            lost_records: 0,
            cancelled: false,
            given_up: false,
            lost_message: "read.shallow_dump",
            legacy_only: false,
            pages: None,
        }
    }

    /// The reader is at `at` (the rest of its text) and will not look far behind it again.
    #[inline]
    pub fn reached(&mut self, at: &[u8]) {
        if let Some(p) = &mut self.pages {
            p.reached(at);
        }
    }

    /// The input is CSV: fields lost to flattening come from `Export-Csv`, not `ConvertTo-Json`.
    pub fn lost_fields_from_export_csv(&mut self) {
        self.lost_message = "read.flattened_csv";
    }

    /// The catalogue text of `key` in this run's language.
    pub fn msg(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        messages::format(key, self.lang, args)
    }

    /// Reading this file must stop: the run was cancelled or the file was given up.
    pub fn stopped(&self) -> bool {
        self.cancelled || self.given_up
    }

    /// Whether the reader should say which keys the objects have (for "not a sign-in log").
    pub fn wants_keys(&self) -> bool {
        self.signins == 0 && self.first_keys.is_none()
    }

    pub fn set_keys(&mut self, keys: String) {
        self.first_keys = Some(keys);
    }

    /// One record found at `line`: normalise it and send it (or its problem) on. `Break` means
    /// "stop reading this file" (cancelled, or it is not a sign-in log).
    pub fn emit(&mut self, raw: RawFields<'_>, line: u64) -> ControlFlow<()> {
        self.record += 1;
        self.stats.records += 1;
        if raw.lost != 0 {
            self.lost |= raw.lost;
            self.lost_records += 1;
        }
        let pos = SourcePos { file: self.name.to_owned(), line, record: self.record };
        match raw.into_signin(&pos) {
            Ok(s) => {
                self.flush_held();
                self.signins += 1;
                if self.sink.signin(s).is_break() {
                    self.cancelled = true;
                    return ControlFlow::Break(());
                }
            }
            Err(RecordError::NotASignIn) if self.signins == 0 => {
                self.held.push(Problem::from_record_error_in(&RecordError::NotASignIn, &pos, self.lang));
                if self.held.len() >= NOT_A_SIGNIN_LIMIT {
                    self.give_up_not_a_signin();
                    return ControlFlow::Break(());
                }
            }
            Err(e) => {
                self.stats.skipped += 1;
                self.send(Problem::from_record_error_in(&e, &pos, self.lang));
            }
        }
        ControlFlow::Continue(())
    }

    /// A record the reader passed over unnormalised because its client app is modern and the
    /// caller wants legacy sign-ins only. It counts as a record and, for the "not a sign-in
    /// log" decision, as a sign-in (a client app value is proof enough); it is not checked
    /// further, so a bad time or status in such a record is not reported.
    pub fn skip_modern(&mut self) {
        self.record += 1;
        self.stats.records += 1;
        self.flush_held();
        self.signins += 1;
    }

    /// A record that could not even be parsed (bad JSON, bad bytes): counted and skipped.
    pub fn record_problem(&mut self, code: &'static str, line: u64, message: String) {
        self.record += 1;
        self.stats.records += 1;
        self.stats.skipped += 1;
        let record = self.record;
        self.send(Problem { code, file: self.name.to_owned(), line, record, message, lang: self.lang });
    }

    /// The file gives nothing (more): counted as a failed file.
    pub fn file_problem(&mut self, code: &'static str, line: u64, message: String) {
        self.stats.failed_files += 1;
        self.given_up = true;
        self.send(Problem { code, file: self.name.to_owned(), line, record: 0, message, lang: self.lang });
    }

    /// Something the user should know that loses no record by itself.
    pub fn warning(&mut self, code: &'static str, line: u64, message: String) {
        self.send(Problem { code, file: self.name.to_owned(), line, record: 0, message, lang: self.lang });
    }

    fn send(&mut self, p: Problem) {
        self.stats.problems += 1;
        self.sink.problem(p);
    }

    fn flush_held(&mut self) {
        for p in std::mem::take(&mut self.held) {
            self.stats.skipped += 1;
            self.send(p);
        }
    }

    fn give_up_not_a_signin(&mut self) {
        let count = self.held.len() as u64;
        self.held.clear();
        self.stats.skipped += count;
        let keys = self.first_keys.take().unwrap_or_else(|| "-".into());
        let message = self.msg("read.not_a_signin_log", &[("count", &count), ("keys", &keys)]);
        self.file_problem("not_a_signin", 0, message);
    }

    /// End of the file: settle held problems, send the warnings. `Break` when the run was
    /// cancelled by the sink.
    pub fn finish(mut self) -> ControlFlow<()> {
        if !self.held.is_empty() && !self.given_up {
            self.give_up_not_a_signin();
        }
        if self.lost != 0 {
            let fields = Lost::names(self.lost).join(", ");
            let message = self.msg(self.lost_message, &[("fields", &fields), ("count", &self.lost_records)]);
            self.warning("shallow_dump", 0, message);
        }
        if self.cancelled { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }
}
