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
    if target == "parallel" {
        return parallel_reads_like_sequential(data);
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

/// One valid NDJSON sign-in line, so that `parallel` inputs after it are taken by the parallel
/// NDJSON reader (its first line must be a complete record).
pub const NDJSON_FIRST_LINE: &[u8] =
    b"{\"createdDateTime\":\"2026-01-01T00:00:00Z\",\"userPrincipalName\":\"a@b.c\",\"clientAppUsed\":\"IMAP4\"}\n";

/// `parallel`: wherever the parallel NDJSON or CSV reader takes an input (any chunk size, any
/// worker count), its summary, counters and problems are exactly the sequential reader's. The
/// first byte picks a prefix (none, a CSV header, an NDJSON record), the second the chunk size,
/// the third the worker count.
pub fn parallel_reads_like_sequential(data: &[u8]) {
    use exchange_auth_tools::analysis::parallel::{Work, summarise_bytes};
    use exchange_auth_tools::analysis::{Analysis, Filter, GroupBy, SprayThresholds};
    use exchange_auth_tools::messages::Lang;
    use std::sync::atomic::AtomicBool;
    let [kind, chunk, threads, rest @ ..] = data else { return };
    let prefix: &[u8] = match kind % 3 {
        0 => b"",
        1 => CSV_HEADER,
        _ => NDJSON_FIRST_LINE,
    };
    let content = [prefix, rest].concat();
    let filter = Filter::default();
    let work = Work {
        name: "fuzz",
        filter: &filter,
        by: GroupBy::UserProtocol,
        chunk: 1 + *chunk as usize * 7,
        lang: Lang::En,
    };
    let threads = 1 + (*threads % 3) as usize;
    let Some((analysis, stats, problems)) = summarise_bytes(&content, &work, threads, &AtomicBool::new(false)).unwrap()
    else {
        return; // left to the sequential reader
    };
    let mut sink = Collect::default();
    let mut seq_stats = ReadStats::default();
    let opts = ReadOptions { legacy_only: true, ..ReadOptions::default() };
    let _ = read_bytes("fuzz", &content, &opts, &mut sink, &mut seq_stats);
    let mut seq = Analysis::new(filter.clone(), GroupBy::UserProtocol);
    sink.signins.iter().for_each(|s| seq.add(s));
    assert_eq!(stats, seq_stats, "counters");
    let thresholds = SprayThresholds::default();
    let rows = |a: Analysis, s: ReadStats| format!("{:?}", a.finish(&thresholds, s).rows);
    assert_eq!(rows(analysis, stats.clone()), rows(seq, seq_stats), "rows");
    let key = |p: &exchange_auth_tools::signin::Problem| (p.line, p.record, p.code, p.message.clone());
    let mut kept: Vec<_> = problems.kept.iter().map(key).collect();
    kept.sort();
    let mut expected: Vec<_> = sink.problems.iter().take(kept.len()).map(key).collect();
    expected.sort();
    assert_eq!(problems.total, sink.problems.len() as u64, "problem count");
    assert_eq!(kept, expected, "problems");
}
