//! No leaks across the C ABI: loops the exports (one-shot calls, errors, jobs drained,
//! cancelled and freed while running) under a counting global allocator and checks that the
//! live heap does not grow with the number of rounds. The exports are called directly from the
//! rlib (a global allocator only sees its own binary's allocations; the cdylib is checked
//! under valgrind by .ci/run). One test in this binary, so nothing else allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicIsize, Ordering};

use exchange_auth_tools::ffi::*;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::SeqCst);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn call(req: &[u8]) -> eat_status {
    let mut out: *mut eat_buffer = null_mut();
    let status = unsafe { eat_call(req.as_ptr(), req.len(), &mut out) };
    assert!(!out.is_null());
    unsafe { eat_buffer_free(out) };
    status
}

fn start(req: &[u8]) -> *mut eat_job {
    let (mut job, mut err) = (null_mut(), null_mut());
    assert_eq!(unsafe { eat_job_start(req.as_ptr(), req.len(), &mut job, &mut err) }, eat_status::EAT_OK);
    job
}

fn next(job: *mut eat_job, max: usize) -> eat_status {
    let mut out: *mut eat_buffer = null_mut();
    let status = unsafe { eat_job_next(job, max, &mut out) };
    unsafe { eat_buffer_free(out) };
    status
}

/// Every kind of use, once.
fn round(scan: &[u8], summary_job: &[u8]) {
    use eat_status::*;
    assert_eq!(call(br#"{"op":"version"}"#), EAT_OK);
    assert_eq!(call(br#"{"op":"catalogue","lang":"ja-JP"}"#), EAT_OK);
    assert_eq!(call(br#"{"op":"nope","lang":"ja-JP"}"#), EAT_INVALID_REQUEST);
    assert_eq!(call(b"{\"op\":\xff}"), EAT_INVALID_UTF8);
    assert_eq!(call(b"{\"op\""), EAT_INVALID_REQUEST);
    let mut out = null_mut();
    assert_eq!(unsafe { eat_call(null(), 4, &mut out) }, EAT_NULL_ARGUMENT);
    unsafe { eat_buffer_free(out) };

    // Drained to the end, with progress and summary.
    let job = start(scan);
    while next(job, 3) == EAT_OK {}
    for f in [eat_job_progress, eat_job_summary] {
        let mut out = null_mut();
        assert_eq!(unsafe { f(job, &mut out) }, EAT_OK);
        unsafe { eat_buffer_free(out) };
    }
    unsafe { eat_job_free(job) };

    // Cancelled mid-stream, then freed.
    let job = start(scan);
    assert_eq!(next(job, 1), EAT_OK);
    assert_eq!(unsafe { eat_job_cancel(job) }, EAT_OK);
    assert_eq!(next(job, 1), EAT_CANCELLED);
    unsafe { eat_job_free(job) };

    // Freed while running.
    let job = start(scan);
    unsafe { eat_job_free(job) };

    // The summary as a job: drained, and cancelled while it runs.
    let job = start(summary_job);
    while next(job, 10) == EAT_OK {}
    unsafe { eat_job_free(job) };
    let job = start(summary_job);
    assert_eq!(unsafe { eat_job_cancel(job) }, EAT_OK);
    assert_eq!(next(job, 10), EAT_CANCELLED);
    unsafe { eat_job_free(job) };

    // A failed start.
    let (mut job, mut err) = (null_mut(), null_mut());
    let bad = br#"{"op":"scan","params":{}}"#;
    assert_eq!(unsafe { eat_job_start(bad.as_ptr(), bad.len(), &mut job, &mut err) }, EAT_INVALID_REQUEST);
    unsafe { eat_buffer_free(err) };
}

#[test]
fn the_abi_does_not_leak() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signins.ndjson");
    let sample = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/azure_diagnostic_settings_signinlogs_elastic_test.ndjson"),
    )
    .unwrap();
    std::fs::write(&path, sample.repeat(40)).unwrap();
    let params = serde_json::json!({"paths": [path], "includeModern": true});
    let scan = serde_json::json!({"op": "scan", "params": params}).to_string();
    let summary_job = serde_json::json!({"op": "summaryJob", "params": params}).to_string();

    // Warm up one-time state (panic hook, thread-locals, lazy statics).
    for _ in 0..3 {
        round(scan.as_bytes(), summary_job.as_bytes());
    }
    let before = LIVE.load(Ordering::SeqCst);
    const ROUNDS: usize = 60;
    for _ in 0..ROUNDS {
        round(scan.as_bytes(), summary_job.as_bytes());
    }
    let grown = LIVE.load(Ordering::SeqCst) - before;
    // One leaked buffer per round would be ≥ 60 × ~100 bytes; allow a little slack for
    // allocator-internal state that is not per call.
    assert!(grown < 1024, "the live heap grew by {grown} bytes over {ROUNDS} rounds: a leak");
}
