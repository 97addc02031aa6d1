//! Shared by the targets (and by `tests/fuzz_regressions.rs`, which includes this file): read
//! bytes through the public API and check the invariants the end-of-run report relies on
//! (nothing panics; every skipped record and failed file was reported; counts add up).

#![allow(dead_code)]

use exchange_auth_tools::signin::{Collect, ReadOptions, ReadStats, read_bytes};

/// A real portal-style header, so every `csv` input reaches the CSV reader.
pub const CSV_HEADER: &[u8] = b"Date (UTC),Username,User,Client app,Status,Sign-in error code,Location,IP address,LocationDetails_dynamic,Status_dynamic\n";
/// The start of a Graph page, so every `json_page` input is inside its `value` array.
pub const JSON_PAGE_PREFIX: &[u8] = b"{\"@odata.context\":\"x\",\n\"value\":[\n";

/// Feed `data` the way the target named `target` does.
pub fn replay(target: &str, data: &[u8]) {
    if target == "json_fast" {
        return same_record_from_both_parsers(data);
    }
    let prefix = match target {
        "csv" => CSV_HEADER,
        "json_page" => JSON_PAGE_PREFIX,
        _ => b"",
    };
    check(&format!("fuzz-{target}"), &[prefix, data].concat());
}

pub fn check(name: &str, data: &[u8]) {
    let mut sink = Collect::default();
    let mut stats = ReadStats::default();
    let flow = read_bytes(name, data, &ReadOptions::default(), &mut sink, &mut stats);
    assert!(flow.is_continue(), "only the sink may stop a read");
    assert_eq!(stats.problems, sink.problems.len() as u64, "every problem counted once");
    // Nothing dropped silently: a skipped record or a failed file always comes with a problem
    // (records of a file judged "not a sign-in log" share that file's one problem).
    assert!(stats.failed_files <= stats.problems, "failed files reported");
    assert!(stats.skipped == 0 || stats.problems > 0, "skipped records reported");
    assert_eq!(stats.records, sink.signins.len() as u64 + stats.skipped, "records = kept + skipped");
}

/// `json_fast`: where sonic-rs (the parallel summary's parser) accepts a record, serde_json (the
/// reference, and the reader of every other path) accepts it too and reads the same fields.
pub fn same_record_from_both_parsers(data: &[u8]) {
    use exchange_auth_tools::signin::json::{parse_record, parse_record_fast};
    if let Some(fast) = parse_record_fast(data) {
        let slow = parse_record(data).unwrap_or_else(|e| panic!("sonic-rs accepted what serde_json rejects: {e}"));
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "the parsers read different fields");
    }
}
