//! Drives the BUILT cdylib (`target/<profile>/libexchange_auth_tools.so`, `.dylib`, `.dll`)
//! through `dlopen`, exactly as the PowerShell module does: every export, every pointer
//! argument NULL, bad lengths, invalid UTF-8 and JSON, unknown ops, streaming with bounded
//! batches, progress and cancel from other threads, concurrent jobs, Japanese errors.

use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::ptr::{null, null_mut};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use exchange_auth_tools::ops::ABI_VERSION;
use serde_json::{Value, json};

const EAT_OK: u32 = 0;
const EAT_NULL_ARGUMENT: u32 = 2;
const EAT_INVALID_UTF8: u32 = 3;
const EAT_INVALID_REQUEST: u32 = 4;
const EAT_CANCELLED: u32 = 5;
const EAT_JOB_DONE: u32 = 7;

type Buf = *mut c_void;
type Job = *mut c_void;

/// The exports, resolved once from the cdylib.
struct Abi {
    abi_version: unsafe extern "C" fn() -> u32,
    buffer_data: unsafe extern "C" fn(*const c_void) -> *const u8,
    buffer_len: unsafe extern "C" fn(*const c_void) -> usize,
    buffer_free: unsafe extern "C" fn(Buf),
    call: unsafe extern "C" fn(*const u8, usize, *mut Buf) -> u32,
    job_start: unsafe extern "C" fn(*const u8, usize, *mut Job, *mut Buf) -> u32,
    job_next: unsafe extern "C" fn(Job, usize, *mut Buf) -> u32,
    job_progress: unsafe extern "C" fn(*const c_void, *mut Buf) -> u32,
    job_cancel: unsafe extern "C" fn(*const c_void) -> u32,
    job_summary: unsafe extern "C" fn(*const c_void, *mut Buf) -> u32,
    job_free: unsafe extern "C" fn(Job),
    _lib: libloading::Library,
}

/// The cdylib cargo built for this test run. It lies next to this test binary, in
/// `target/<profile>/deps/`: that copy is rebuilt whenever the library changes. The copy in
/// `target/<profile>/` is refreshed only by `cargo build`, so under `cargo test` it may be stale.
fn cdylib_path() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let deps = exe.parent().expect("target/<profile>/deps");
    let path = deps.join(libloading::library_filename("exchange_auth_tools"));
    assert!(path.exists(), "{} is missing: cargo builds the cdylib with the tests", path.display());
    path
}

fn abi() -> &'static Abi {
    static ABI: OnceLock<Abi> = OnceLock::new();
    ABI.get_or_init(|| unsafe {
        let lib = libloading::Library::new(cdylib_path()).expect("dlopen the cdylib");
        macro_rules! sym {
            ($name:literal) => {
                *lib.get($name).unwrap_or_else(|e| panic!("{} is not exported: {e}", stringify!($name)))
            };
        }
        Abi {
            abi_version: sym!(b"eat_abi_version"),
            buffer_data: sym!(b"eat_buffer_data"),
            buffer_len: sym!(b"eat_buffer_len"),
            buffer_free: sym!(b"eat_buffer_free"),
            call: sym!(b"eat_call"),
            job_start: sym!(b"eat_job_start"),
            job_next: sym!(b"eat_job_next"),
            job_progress: sym!(b"eat_job_progress"),
            job_cancel: sym!(b"eat_job_cancel"),
            job_summary: sym!(b"eat_job_summary"),
            job_free: sym!(b"eat_job_free"),
            _lib: lib,
        }
    })
}

/// Read a returned buffer as JSON and free it.
fn take(b: Buf) -> Value {
    assert!(!b.is_null(), "expected a buffer");
    let a = abi();
    let bytes = unsafe { std::slice::from_raw_parts((a.buffer_data)(b), (a.buffer_len)(b)) }.to_vec();
    unsafe { (a.buffer_free)(b) };
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

fn call_bytes(req: &[u8]) -> (u32, Value) {
    let mut out: Buf = null_mut();
    let status = unsafe { (abi().call)(req.as_ptr(), req.len(), &mut out) };
    (status, take(out))
}

fn call(req: &Value) -> (u32, Value) {
    call_bytes(req.to_string().as_bytes())
}

fn start(req: &Value) -> Job {
    let text = req.to_string();
    let (mut job, mut err): (Job, Buf) = (null_mut(), null_mut());
    let status = unsafe { (abi().job_start)(text.as_ptr(), text.len(), &mut job, &mut err) };
    assert_eq!(status, EAT_OK, "job_start failed: {}", if err.is_null() { Value::Null } else { take(err) });
    assert!(err.is_null() && !job.is_null());
    job
}

fn next(job: Job, max: usize) -> (u32, Value) {
    let mut out: Buf = null_mut();
    let status = unsafe { (abi().job_next)(job, max, &mut out) };
    (status, take(out))
}

fn progress(job: Job) -> Value {
    let mut out: Buf = null_mut();
    assert_eq!(unsafe { (abi().job_progress)(job, &mut out) }, EAT_OK);
    take(out)
}

fn summary(job: Job) -> Value {
    let mut out: Buf = null_mut();
    assert_eq!(unsafe { (abi().job_summary)(job, &mut out) }, EAT_OK);
    take(out)
}

/// Assert an error body: every key present, the expected code.
fn assert_error(body: &Value, code: &str) {
    for key in ["code", "category", "message", "target", "file", "line"] {
        assert!(body.get(key).is_some(), "error body lacks '{key}': {body}");
    }
    assert_eq!(body["code"], code, "{body}");
    assert!(!body["message"].as_str().unwrap_or("").is_empty(), "{body}");
}

/// A demo tenant (Graph NDJSON, mostly modern sign-ins with legacy users, printers and a
/// spray) written once per test run; `big` is the full demo (for cancel mid-stream).
fn demo_file(big: bool) -> &'static Path {
    static SMALL: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    static BIG: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let cell = if big { &BIG } else { &SMALL };
    &cell
        .get_or_init(|| {
            use exchange_auth_tools::demo::{Scenario, generate, graph};
            let scenario = if big {
                Scenario::demo()
            } else {
                Scenario { users: 200, days: 3, legacy_users: 20, spray_targets: 50, ..Scenario::demo() }
            };
            let mut out = Vec::new();
            generate(&scenario, |e| {
                graph::write_event(&mut out, e).unwrap();
                out.push(b'\n');
            });
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("signins.ndjson");
            std::fs::write(&path, out).unwrap();
            (dir, path)
        })
        .1
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Sign-ins in a file read through the rlib (the reference for streamed counts).
fn read_all(path: &Path) -> Vec<exchange_auth_tools::signin::SignIn> {
    use exchange_auth_tools::signin::{Collect, ReadOptions, read_paths};
    let mut c = Collect::default();
    read_paths(&[path.to_path_buf()], &ReadOptions::default(), &mut c).unwrap();
    c.signins
}

fn legacy_count(path: &Path) -> usize {
    read_all(path).iter().filter(|s| s.is_legacy).count()
}

fn all_count(path: &Path) -> usize {
    read_all(path).len()
}

/// Drain a job; returns (sign-ins, problems) and checks every batch's size.
fn drain(job: Job, max: usize) -> (Vec<Value>, Vec<Value>) {
    let (mut signins, mut problems) = (Vec::new(), Vec::new());
    loop {
        let (status, batch) = next(job, max);
        let items = batch.as_array().expect("a batch is an array");
        if status == EAT_JOB_DONE {
            assert!(items.is_empty(), "EAT_JOB_DONE comes with an empty array");
            return (signins, problems);
        }
        assert_eq!(status, EAT_OK, "{batch}");
        assert!(!items.is_empty() && items.len() <= max, "batch of {} with max {max}", items.len());
        for item in items {
            match item["kind"].as_str() {
                Some("signIn") => signins.push(item["value"].clone()),
                Some("problem") => problems.push(item["value"].clone()),
                other => panic!("unexpected kind {other:?}"),
            }
        }
    }
}

#[test]
fn version_matches_and_one_shot_ops_work() {
    let a = abi();
    assert_eq!(unsafe { (a.abi_version)() }, ABI_VERSION);
    let (status, v) = call(&json!({"op": "version"}));
    assert_eq!(status, EAT_OK);
    assert_eq!(v["abiVersion"], ABI_VERSION);
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));

    let (status, en) = call(&json!({"op": "catalogue", "lang": "en-US"}));
    assert_eq!(status, EAT_OK);
    let (_, ja) = call(&json!({"op": "catalogue", "lang": "ja-JP"}));
    let (en, ja) = (en.as_array().unwrap(), ja.as_array().unwrap());
    assert!(en.len() > 5 && en.len() == ja.len());
    let smtp = |rows: &[Value]| {
        rows.iter().find(|r| r["clientAppUsed"] == "Authenticated SMTP").expect("SMTP row")["migrateTo"].clone()
    };
    assert!(smtp(en).as_str().unwrap().contains("OAuth"));
    assert!(smtp(ja).as_str().unwrap().contains("移行"), "Japanese advice: {}", smtp(ja));
}

#[test]
fn summary_over_real_format_files() {
    let (status, v) = call(&json!({
        "op": "summary",
        "params": {"paths": [fixture("azure_diagnostic_settings_signinlogs_elastic_test.ndjson"),
                             fixture("graph_v1.0_signin-list_docs_example1.json")],
                   "includeModern": true, "by": "Country"},
    }));
    assert_eq!(status, EAT_OK, "{v}");
    assert_eq!(v["stats"]["files"], 2);
    assert!(v["stats"]["records"].as_u64().unwrap() >= 6, "{}", v["stats"]);
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r.to_string().contains("\"FR\"")), "{rows:?}");

    let (status, v) = call(&json!({"op": "summary", "params": {"paths": [demo_file(false)], "by": "User"}}));
    assert_eq!(status, EAT_OK, "{v}");
    assert!(!v["rows"].as_array().unwrap().is_empty());
    let spray_ips = v["attacks"]["sprayIps"].as_array().expect("attacks.sprayIps");
    assert!(!spray_ips.is_empty(), "the demo's spray is found: {}", v["attacks"]);
}

#[test]
fn null_pointers_and_bad_lengths_are_refused() {
    let a = abi();
    let req = br#"{"op":"version"}"#;
    unsafe {
        // eat_call: request NULL with a length, out NULL, and NULL with length 0 (empty request).
        let mut out: Buf = null_mut();
        assert_eq!((a.call)(null(), 5, &mut out), EAT_NULL_ARGUMENT);
        assert_error(&take(out), "null_argument");
        assert_eq!((a.call)(req.as_ptr(), req.len(), null_mut()), EAT_NULL_ARGUMENT);
        let mut out: Buf = null_mut();
        assert_eq!((a.call)(null(), 0, &mut out), EAT_INVALID_REQUEST);
        assert_error(&take(out), "invalid_json");

        // eat_job_start: each pointer in turn.
        let scan = json!({"op": "scan", "params": {"paths": [demo_file(false)]}}).to_string();
        let (mut job, mut err): (Job, Buf) = (null_mut(), null_mut());
        assert_eq!((a.job_start)(null(), 3, &mut job, &mut err), EAT_NULL_ARGUMENT);
        assert!(job.is_null());
        assert_error(&take(err), "null_argument");
        let mut err: Buf = null_mut();
        assert_eq!((a.job_start)(scan.as_ptr(), scan.len(), null_mut(), &mut err), EAT_NULL_ARGUMENT);
        let body = take(err);
        assert_error(&body, "null_argument");
        assert!(body["message"].as_str().unwrap().contains("job_out"), "{body}");
        let mut job: Job = null_mut();
        assert_eq!((a.job_start)(scan.as_ptr(), scan.len(), &mut job, null_mut()), EAT_NULL_ARGUMENT);
        assert!(job.is_null(), "no job may be created when its error could not be reported");

        // Job functions with a NULL job or a NULL out.
        let mut out: Buf = null_mut();
        assert_eq!((a.job_next)(null_mut(), 10, &mut out), EAT_NULL_ARGUMENT);
        assert_error(&take(out), "null_argument");
        let mut out: Buf = null_mut();
        assert_eq!((a.job_progress)(null(), &mut out), EAT_NULL_ARGUMENT);
        assert_error(&take(out), "null_argument");
        let mut out: Buf = null_mut();
        assert_eq!((a.job_summary)(null(), &mut out), EAT_NULL_ARGUMENT);
        assert_error(&take(out), "null_argument");
        assert_eq!((a.job_cancel)(null()), EAT_NULL_ARGUMENT);
        let job = start(&json!({"op": "scan", "params": {"paths": [demo_file(false)]}}));
        assert_eq!((a.job_next)(job, 10, null_mut()), EAT_NULL_ARGUMENT);
        assert_eq!((a.job_progress)(job, null_mut()), EAT_NULL_ARGUMENT);
        assert_eq!((a.job_summary)(job, null_mut()), EAT_NULL_ARGUMENT);
        (a.job_free)(job);

        // NULL-safe accessors and frees.
        assert!((a.buffer_data)(null()).is_null());
        assert_eq!((a.buffer_len)(null()), 0);
        (a.buffer_free)(null_mut());
        (a.job_free)(null_mut());
    }
}

#[test]
fn invalid_utf8_json_unknown_op_and_wrong_kind_of_op() {
    let (status, body) = call_bytes(b"{\"op\":\"version\xff\"}");
    assert_eq!(status, EAT_INVALID_UTF8);
    assert_error(&body, "invalid_utf8");

    let (status, body) = call_bytes(b"{\"op\":\n  \"version\",,}");
    assert_eq!(status, EAT_INVALID_REQUEST);
    assert_error(&body, "invalid_json");
    assert_eq!(body["line"], 2, "the error names the line of the request: {body}");
    assert_eq!(body["category"], "InvalidArgument");

    let (status, body) = call(&json!({"params": {}}));
    assert_eq!(status, EAT_INVALID_REQUEST, "JSON without an op");
    assert_error(&body, "invalid_request");

    let (status, body) = call(&json!({"op": "nope"}));
    assert_eq!(status, EAT_INVALID_REQUEST);
    assert_error(&body, "unknown_operation");
    assert_eq!(body["category"], "NotImplemented");
    assert!(body["message"].as_str().unwrap().contains("summary"), "lists the known ops: {body}");

    let (status, body) = call(&json!({"op": "scan", "params": {"paths": ["x"]}}));
    assert_eq!(status, EAT_INVALID_REQUEST);
    assert_error(&body, "invalid_request");

    let text = json!({"op": "version"}).to_string();
    let (mut job, mut err): (Job, Buf) = (null_mut(), null_mut());
    assert_eq!(unsafe { (abi().job_start)(text.as_ptr(), text.len(), &mut job, &mut err) }, EAT_INVALID_REQUEST);
    assert!(job.is_null());
    assert_error(&take(err), "invalid_request");

    let (status, body) = call(&json!({"op": "summary", "params": {"paths": "not-a-list"}}));
    assert_eq!(status, EAT_INVALID_REQUEST);
    assert_error(&body, "invalid_request");
}

#[test]
fn errors_speak_japanese_when_asked() {
    let (status, body) = call(&json!({"op": "nope", "lang": "ja-JP"}));
    assert_eq!(status, EAT_INVALID_REQUEST);
    let msg = body["message"].as_str().unwrap();
    assert!(msg.contains("不明な操作") && msg.contains("nope"), "{msg}");

    let (_, body) = call(&json!({"op": "summary", "params": {}, "lang": "ja-JP"}));
    assert!(body["message"].as_str().unwrap().starts_with("要求が正しくありません"), "{body}");

    // A culture we have no text for falls back to English instead of failing the request.
    let (status, body) = call(&json!({"op": "nope", "lang": "de-DE"}));
    assert_eq!(status, EAT_INVALID_REQUEST);
    assert!(body["message"].as_str().unwrap().starts_with("unknown operation"), "{body}");

    // Job errors use the job's language.
    let job = start(&json!({"op": "scan", "params": {"paths": [demo_file(false)]}, "lang": "ja-JP"}));
    unsafe { (abi().job_cancel)(job) };
    let (status, body) = next(job, 10);
    assert_eq!(status, EAT_CANCELLED);
    assert_eq!(body["message"], "操作は取り消されました");
    unsafe { (abi().job_free)(job) };
}

#[test]
fn streaming_returns_every_legacy_signin_in_bounded_batches() {
    let path = demo_file(false);
    let job = start(&json!({"op": "scan", "params": {"paths": [path]}}));
    let (signins, problems) = drain(job, 100);
    assert_eq!(signins.len(), legacy_count(path));
    assert!(signins.len() > 100, "several batches: {}", signins.len());
    assert!(problems.is_empty(), "{problems:?}");
    assert!(signins.iter().all(|s| s["isLegacy"] == true && s["userPrincipalName"].is_string()));
    // Done stays done.
    assert_eq!(next(job, 100).0, EAT_JOB_DONE);
    let p = progress(job);
    assert_eq!(p["done"], true);
    assert_eq!(p["items"], signins.len());
    assert_eq!(p["bytesDone"], p["bytesTotal"]);
    assert_eq!(p["bytesTotal"], std::fs::metadata(path).unwrap().len());
    let s = summary(job);
    assert_eq!(s["done"], true);
    assert_eq!(s["cancelled"], false);
    assert_eq!(s["stats"]["files"], 1);
    assert!(s["stats"]["records"].as_u64().unwrap() as usize > signins.len());
    unsafe { (abi().job_free)(job) };

    // max_items 1 gives single items; 0 is a bad request.
    let job = start(
        &json!({"op": "scan", "params": {"paths": [fixture("azure_diagnostic_settings_signinlogs_elastic_test.ndjson")], "includeModern": true}}),
    );
    let (status, body) = next(job, 0);
    assert_eq!(status, EAT_INVALID_REQUEST);
    assert_error(&body, "invalid_request");
    let (signins, _) = drain(job, 1);
    let elastic = fixture("azure_diagnostic_settings_signinlogs_elastic_test.ndjson");
    assert_eq!(signins.len(), all_count(&elastic), "every record of the elastic sample");
    unsafe { (abi().job_free)(job) };
}

#[test]
fn problems_stream_as_items_and_are_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.ndjson");
    let good = std::fs::read_to_string(fixture("azure_diagnostic_settings_signinlogs_elastic_test.ndjson")).unwrap();
    let first = good.lines().next().unwrap();
    std::fs::write(&path, format!("{{not json\n{first}\n{first}\n")).unwrap();
    let job = start(&json!({"op": "scan", "params": {"paths": [path], "includeModern": true}}));
    let (signins, problems) = drain(job, 10);
    assert_eq!(signins.len(), 2);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["code"], "bad_json");
    assert_eq!(problems[0]["line"], 1);
    assert!(problems[0]["file"].as_str().unwrap().ends_with("mixed.ndjson"));
    let s = summary(job);
    assert_eq!(s["problems"]["total"], 1);
    assert_eq!(s["stats"]["skipped"], 1);
    unsafe { (abi().job_free)(job) };
}

#[test]
fn cancel_from_another_thread_stops_the_stream_within_a_batch() {
    let path = demo_file(true);
    let job = start(&json!({"op": "scan", "params": {"paths": [path], "includeModern": true}}));
    let (status, first) = next(job, 50);
    assert_eq!(status, EAT_OK, "{first}");
    // Raw pointers are not Send; the job is designed to be shared (see src/ffi).
    let addr = job as usize;
    std::thread::spawn(move || assert_eq!(unsafe { (abi().job_cancel)(addr as *const c_void) }, EAT_OK))
        .join()
        .unwrap();
    let t = Instant::now();
    let (status, body) = next(job, 50);
    assert_eq!(status, EAT_CANCELLED, "{body}");
    assert_error(&body, "cancelled");
    assert_eq!(body["category"], "OperationStopped");
    assert!(t.elapsed() < Duration::from_millis(500), "cancel took {:?}", t.elapsed());
    // Still cancelled, and the reader stopped early (the file has far more records).
    assert_eq!(next(job, 50).0, EAT_CANCELLED);
    let p = progress(job);
    let s = summary(job);
    assert_eq!(s["cancelled"], true);
    let t = Instant::now();
    unsafe { (abi().job_free)(job) };
    assert!(t.elapsed() < Duration::from_secs(2), "free took {:?}", t.elapsed());
    let total = std::fs::read(path).unwrap().split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    assert!(p["items"].as_u64().unwrap() < total as u64, "the reader stopped early: {p} of {total}");

    // Freeing a running job without cancelling it first is prompt too.
    let job = start(&json!({"op": "scan", "params": {"paths": [path], "includeModern": true}}));
    assert_eq!(next(job, 10).0, EAT_OK);
    let t = Instant::now();
    unsafe { (abi().job_free)(job) };
    assert!(t.elapsed() < Duration::from_secs(2), "free took {:?}", t.elapsed());
}

#[test]
fn summary_job_gives_the_summary_result_with_progress_and_cancel() {
    let path = demo_file(false);
    let params = json!({"paths": [path], "by": "Protocol"});
    let (status, expected) = call(&json!({"op": "summary", "params": params}));
    assert_eq!(status, EAT_OK);
    let job = start(&json!({"op": "summaryJob", "params": params}));
    let (status, batch) = next(job, 10);
    assert_eq!(status, EAT_OK, "{batch}");
    assert_eq!(batch.as_array().unwrap().len(), 1);
    assert_eq!(batch[0]["kind"], "summary");
    assert_eq!(batch[0]["value"], expected, "the job's result is the one-shot summary");
    assert_eq!(next(job, 10).0, EAT_JOB_DONE);
    let p = progress(job);
    assert_eq!(p["done"], true);
    assert_eq!(p["activity"], "summary");
    assert!(p["items"].as_u64().unwrap() > 0);
    let s = summary(job);
    assert_eq!(s["stats"], expected["stats"]);
    assert_eq!(s["done"], true);
    unsafe { (abi().job_free)(job) };

    // Cancelled while the analysis runs: the waiting next returns promptly.
    let job = start(&json!({"op": "summaryJob", "params": {"paths": [demo_file(true)], "includeModern": true}}));
    let addr = job as usize;
    let waiter = std::thread::spawn(move || {
        let t = Instant::now();
        (next(addr as Job, 10).0, t.elapsed())
    });
    std::thread::sleep(Duration::from_millis(30));
    assert_eq!(unsafe { (abi().job_cancel)(job) }, EAT_OK);
    let (status, waited) = waiter.join().unwrap();
    assert_eq!(status, EAT_CANCELLED);
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    unsafe { (abi().job_free)(job) };
}

/// A reader blocked in the OS (a FIFO nobody writes: a hung share) must not block a waiting
/// `eat_job_next` after cancel, nor `eat_job_free`.
#[cfg(unix)]
#[test]
fn cancel_wakes_a_consumer_waiting_on_a_stuck_reader() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("stuck.ndjson");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let job = start(&json!({"op": "scan", "params": {"paths": [&fifo]}}));
    let addr = job as usize;
    let waiter = std::thread::spawn(move || {
        let t = Instant::now();
        let (status, _) = next(addr as Job, 10);
        (status, t.elapsed())
    });
    std::thread::sleep(Duration::from_millis(150));
    let p = progress(job); // progress answers while next is waiting
    assert_eq!(p["done"], false);
    assert_eq!(unsafe { (abi().job_cancel)(job) }, EAT_OK);
    let (status, waited) = waiter.join().unwrap();
    assert_eq!(status, EAT_CANCELLED);
    assert!(waited < Duration::from_secs(1), "next waited {waited:?}");
    let t = Instant::now();
    unsafe { (abi().job_free)(job) };
    assert!(t.elapsed() < Duration::from_secs(3), "free took {:?}", t.elapsed());
    // Unblock the detached reader so it ends.
    drop(std::fs::OpenOptions::new().write(true).open(&fifo));
}

#[test]
fn concurrent_jobs_and_calls_from_several_threads() {
    let path = demo_file(false);
    let expected = legacy_count(path);
    let threads: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                if i % 2 == 0 {
                    let job = start(&json!({"op": "scan", "params": {"paths": [path]}}));
                    let addr = job as usize;
                    // Another thread polls progress while this one drains.
                    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                    let stop2 = stop.clone();
                    let poller = std::thread::spawn(move || {
                        let mut last = 0;
                        while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
                            let items = progress(addr as Job)["items"].as_u64().unwrap();
                            assert!(items >= last, "progress goes forward");
                            last = items;
                        }
                    });
                    let (signins, _) = drain(job, 64 + i);
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    poller.join().unwrap();
                    unsafe { (abi().job_free)(job) };
                    signins.len()
                } else {
                    let (status, v) = call(&json!({"op": "summary", "params": {"paths": [path]}}));
                    assert_eq!(status, EAT_OK);
                    v["rows"].as_array().unwrap().iter().map(|r| r["total"].as_u64().unwrap_or(0) as usize).sum()
                }
            })
        })
        .collect();
    for (i, t) in threads.into_iter().enumerate() {
        assert_eq!(t.join().unwrap(), expected, "thread {i}");
    }
}
