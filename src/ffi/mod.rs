//! The C ABI of the cdylib, used by the PowerShell module (and any other host): thin `eat_*`
//! doors onto [`crate::ops`], in the style of rustls-ffi. docs/ABI.md is the reference; the
//! rules in short:
//!
//! - Every fallible function returns an [`eat_status`] (`#[repr(u32)]`, values never reused).
//! - Text is UTF-8 JSON as `(pointer, length)`, never NUL-terminated. Requests are the ops
//!   envelope `{"op":…,"params":{…},"lang":"ja-JP"}`.
//! - What the library returns is an opaque [`eat_buffer`] (free it with [`eat_buffer_free`]) or
//!   an opaque [`eat_job`] (free it with [`eat_job_free`]). Every out-pointer that is not NULL is
//!   always written: the result on success, the JSON error body (or NULL) on failure, so the
//!   caller never reads an uninitialised value and always frees what it got.
//! - Nothing unwinds into the host: every export runs inside the panic boundary and a panic
//!   becomes [`eat_status::EAT_PANIC`] with an error body naming where it happened.
//! - A job may be driven by `eat_job_next` on one thread while `eat_job_progress`,
//!   `eat_job_summary` and `eat_job_cancel` are called from others. `eat_job_free` must not race
//!   another call on the same job. Independent jobs and `eat_call`s run concurrently.
//!
//! The header `include/exchange_auth_tools.h` is generated from this file by cbindgen
//! (tests/header_fresh.rs fails when it is stale; `EXAUTH_REGENERATE_HEADER=1` rewrites it).

// The C names are the ABI contract; Rust's naming conventions do not apply to them.
#![allow(non_camel_case_types)]

mod boundary;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::Error;
use crate::messages::Lang;
use crate::ops::{self, ErrorBody, Job};

/// The ABI version this library implements; `eat_abi_version()` returns it. A host checks it
/// before any other call and refuses to go on when it differs from the one it was built for.
pub const EAT_ABI_VERSION: u32 = 1;

const _: () = assert!(EAT_ABI_VERSION == ops::ABI_VERSION, "EAT_ABI_VERSION must equal ops::ABI_VERSION");

/// The result of a call. Values are part of the ABI: never renumbered, never reused.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum eat_status {
    EAT_OK = 0,
    /// The operation failed: the error buffer holds the JSON error body.
    EAT_ERROR = 1,
    /// A required pointer was NULL (or NULL with a length > 0).
    EAT_NULL_ARGUMENT = 2,
    /// The request is not UTF-8.
    EAT_INVALID_UTF8 = 3,
    /// Bad JSON, unknown op, bad params or arguments: the error buffer holds the JSON error body.
    EAT_INVALID_REQUEST = 4,
    /// The job was cancelled.
    EAT_CANCELLED = 5,
    /// A bug, caught at the boundary (it never unwinds into the host).
    EAT_PANIC = 6,
    /// `eat_job_next`: no more items (the out buffer is an empty JSON array).
    EAT_JOB_DONE = 7,
}

use eat_status::*;

/// Bytes owned by the library (a JSON document). Read with `eat_buffer_data`/`eat_buffer_len`,
/// free with `eat_buffer_free`.
pub struct eat_buffer {
    bytes: Vec<u8>,
}

/// A running streaming operation. Free with `eat_job_free` (which cancels it if still running).
pub struct eat_job {
    job: Box<dyn Job>,
    cancel: Arc<AtomicBool>,
    lang: Lang,
}

/// The ABI version of this library (`EAT_ABI_VERSION`).
#[unsafe(no_mangle)]
pub extern "C" fn eat_abi_version() -> u32 {
    boundary::guard(0, || EAT_ABI_VERSION)
}

/// The first byte of `b`, or NULL when `b` is NULL. Valid until `b` is freed.
///
/// # Safety
/// `b` is NULL or a buffer returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_buffer_data(b: *const eat_buffer) -> *const u8 {
    boundary::guard(std::ptr::null(), || {
        // SAFETY: the caller passes NULL or a live buffer.
        unsafe { b.as_ref() }.map_or(std::ptr::null(), |b| b.bytes.as_ptr())
    })
}

/// The length of `b` in bytes, or 0 when `b` is NULL.
///
/// # Safety
/// `b` is NULL or a buffer returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_buffer_len(b: *const eat_buffer) -> usize {
    // SAFETY: the caller passes NULL or a live buffer.
    boundary::guard(0, || unsafe { b.as_ref() }.map_or(0, |b| b.bytes.len()))
}

/// Free a buffer. NULL is a no-op.
///
/// # Safety
/// `b` is NULL or a buffer returned by this library, freed only once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_buffer_free(b: *mut eat_buffer) {
    if !b.is_null() {
        // SAFETY: `b` came from `Box::into_raw` in this library and is freed once.
        boundary::guard((), || drop(unsafe { Box::from_raw(b) }));
    }
}

/// Run a one-shot operation. On `EAT_OK` `*out` is the result JSON; on any other status it is
/// the JSON error body `{"code","category","message","target","file","line"}` (NULL only when
/// `out` itself is NULL). Free `*out` with `eat_buffer_free`.
///
/// # Safety
/// `request` points to `request_len` readable bytes (or is NULL with `request_len` 0); `out` is
/// NULL or points to writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_call(request: *const u8, request_len: usize, out: *mut *mut eat_buffer) -> eat_status {
    // SAFETY: the caller's contract above.
    unsafe {
        with_error_out(out, Lang::En, || {
            if out.is_null() {
                return Err((Error::NullArgument("out"), Lang::En));
            }
            let bytes = request_bytes(request, request_len).map_err(|e| (e, Lang::En))?;
            let req = parse(bytes)?;
            let result = ops::call(&req).map_err(|e| (e, req.lang))?;
            Ok((EAT_OK, json_buffer(&result)))
        })
    }
}

/// Start a streaming operation. On `EAT_OK` `*job_out` is the job and `*err_out` is NULL;
/// otherwise `*job_out` is NULL and `*err_out` the JSON error body (free it).
///
/// # Safety
/// `request` as for `eat_call`; `job_out` and `err_out` point to writable storage for one
/// pointer each (NULL gives `EAT_NULL_ARGUMENT`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_job_start(
    request: *const u8,
    request_len: usize,
    job_out: *mut *mut eat_job,
    err_out: *mut *mut eat_buffer,
) -> eat_status {
    if !job_out.is_null() {
        // SAFETY: non-NULL out-pointers are writable (the caller's contract).
        unsafe { *job_out = std::ptr::null_mut() };
    }
    // SAFETY: the caller's contract above.
    unsafe {
        with_error_out(err_out, Lang::En, || {
            if job_out.is_null() {
                return Err((Error::NullArgument("job_out"), Lang::En));
            }
            if err_out.is_null() {
                return Err((Error::NullArgument("err_out"), Lang::En));
            }
            let bytes = request_bytes(request, request_len).map_err(|e| (e, Lang::En))?;
            let req = parse(bytes)?;
            let cancel = Arc::new(AtomicBool::new(false));
            let job = ops::start(&req, cancel.clone()).map_err(|e| (e, req.lang))?;
            *job_out = Box::into_raw(Box::new(eat_job { job, cancel, lang: req.lang }));
            Ok((EAT_OK, std::ptr::null_mut()))
        })
    }
}

/// The next batch: `*out` is a JSON array of 1..=`max_items` items
/// (`{"kind":"signIn"|"problem"|…,"value":{…}}`) with `EAT_OK`, an empty array with
/// `EAT_JOB_DONE` once the job has finished, or the error body with `EAT_CANCELLED` (after
/// `eat_job_cancel`, promptly), `EAT_ERROR` or `EAT_INVALID_REQUEST` (`max_items` is 0). Blocks
/// until at least one item is ready. After an error the job is finished.
///
/// # Safety
/// `job` is a live job from `eat_job_start`; `out` points to writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_job_next(job: *mut eat_job, max_items: usize, out: *mut *mut eat_buffer) -> eat_status {
    // SAFETY: the caller's contract above.
    unsafe {
        with_job(job, out, |j| {
            if max_items == 0 {
                return Err(Error::InvalidRequest("eat_job_next: max_items must be at least 1".into()));
            }
            let items = j.job.next_batch(max_items)?;
            let status = if items.is_empty() { EAT_JOB_DONE } else { EAT_OK };
            Ok((status, json_buffer(&items)))
        })
    }
}

/// Progress of a job: `{"activity","current","items","bytesDone","bytesTotal","done"}`.
/// Callable from any thread while another drives `eat_job_next`.
///
/// # Safety
/// `job` is a live job; `out` points to writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_job_progress(job: *const eat_job, out: *mut *mut eat_buffer) -> eat_status {
    // SAFETY: the caller's contract above.
    unsafe { with_job(job, out, |j| Ok((EAT_OK, json_buffer(&j.job.progress())))) }
}

/// Ask a job to stop. Callable from any thread; the next `eat_job_next` returns
/// `EAT_CANCELLED` promptly (a waiting one wakes up). Cancelling twice is harmless.
///
/// # Safety
/// `job` is a live job.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_job_cancel(job: *const eat_job) -> eat_status {
    boundary::catch(|| {
        // SAFETY: the caller passes NULL or a live job.
        match unsafe { job.as_ref() } {
            Some(j) => {
                j.cancel.store(true, Ordering::Relaxed);
                EAT_OK
            }
            None => EAT_NULL_ARGUMENT,
        }
    })
    .unwrap_or(EAT_PANIC)
}

/// The end-of-run result of a job: `{"stats":{…}|null,"problems":{"total","kept"},"done",
/// "cancelled"}` (partial while the job runs; `stats` is set once the input is read).
///
/// # Safety
/// `job` is a live job; `out` points to writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_job_summary(job: *const eat_job, out: *mut *mut eat_buffer) -> eat_status {
    // SAFETY: the caller's contract above.
    unsafe { with_job(job, out, |j| Ok((EAT_OK, json_buffer(&j.job.summary())))) }
}

/// Free a job, cancelling it first if it is still running (its reader thread is stopped and
/// joined). NULL is a no-op.
///
/// # Safety
/// `job` is NULL or a job from `eat_job_start`, freed once, with no other call on it running.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eat_job_free(job: *mut eat_job) {
    if !job.is_null() {
        // SAFETY: `job` came from `Box::into_raw` in `eat_job_start` and is freed once.
        boundary::guard((), || drop(unsafe { Box::from_raw(job) }));
    }
}

/// A failure inside an export: the error and the language to describe it in.
type Failure = (Error, Lang);

/// The status for an error (a panic is `EAT_PANIC`, decided at the boundary).
fn status_of(e: &Error) -> eat_status {
    match e {
        Error::NullArgument(_) => EAT_NULL_ARGUMENT,
        Error::InvalidUtf8 { .. } => EAT_INVALID_UTF8,
        Error::InvalidRequest(_) | Error::InvalidJson { .. } | Error::UnknownOperation(_) => EAT_INVALID_REQUEST,
        Error::Cancelled => EAT_CANCELLED,
        _ => EAT_ERROR,
    }
}

/// Run an export's body inside the panic boundary and write its buffer (result or error body)
/// to `out` when `out` is not NULL.
///
/// # Safety
/// `out` is NULL or writable.
unsafe fn with_error_out(
    out: *mut *mut eat_buffer,
    panic_lang: Lang,
    body: impl FnOnce() -> Result<(eat_status, *mut eat_buffer), Failure>,
) -> eat_status {
    let (status, buffer) = match boundary::catch(body) {
        Ok(Ok(done)) => done,
        Ok(Err((e, lang))) => (status_of(&e), error_buffer(&e, lang)),
        Err(panic) => (EAT_PANIC, error_buffer(&panic, panic_lang)),
    };
    if out.is_null() {
        // SAFETY: nobody can receive it; `buffer` is ours (or NULL).
        unsafe { eat_buffer_free(buffer) };
    } else {
        // SAFETY: `out` is writable (the caller's contract).
        unsafe { *out = buffer };
    }
    status
}

/// [`with_error_out`] for the job functions: checks `job` and `out`, describes errors in the
/// job's language.
///
/// # Safety
/// `job` is NULL or a live job; `out` is NULL or writable.
unsafe fn with_job(
    job: *const eat_job,
    out: *mut *mut eat_buffer,
    body: impl FnOnce(&eat_job) -> Result<(eat_status, *mut eat_buffer), Error>,
) -> eat_status {
    // SAFETY: the caller passes NULL or a live job.
    let job = unsafe { job.as_ref() };
    let lang = job.map_or(Lang::En, |j| j.lang);
    // SAFETY: `out` is NULL or writable.
    unsafe {
        with_error_out(out, lang, || {
            let job = job.ok_or((Error::NullArgument("job"), lang))?;
            if out.is_null() {
                return Err((Error::NullArgument("out"), lang));
            }
            body(job).map_err(|e| (e, lang))
        })
    }
}

/// The request bytes; NULL is accepted only with length 0 (an empty, hence invalid, request).
///
/// # Safety
/// `ptr` points to `len` readable bytes or is NULL.
unsafe fn request_bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], Error> {
    if ptr.is_null() {
        return if len == 0 { Ok(&[]) } else { Err(Error::NullArgument("request")) };
    }
    if len > isize::MAX as usize {
        return Err(Error::InvalidRequest(format!("request_len {len} is larger than any buffer can be")));
    }
    // SAFETY: non-NULL, `len` readable bytes (the caller's contract), len <= isize::MAX.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Parse a request; errors about it are described in the language it asks for, if readable.
fn parse(bytes: &[u8]) -> Result<ops::Request, Failure> {
    ops::parse_request(bytes).map_err(|e| (e, ops::request_lang(bytes)))
}

fn buffer(bytes: Vec<u8>) -> *mut eat_buffer {
    Box::into_raw(Box::new(eat_buffer { bytes }))
}

fn json_buffer(v: &impl Serialize) -> *mut eat_buffer {
    match serde_json::to_vec(v) {
        Ok(bytes) => buffer(bytes),
        // Our values are JSON trees or plain structs: this would be a bug, still reported as JSON.
        Err(e) => error_buffer(&Error::Internal(format!("cannot serialise the result: {e}")), Lang::En),
    }
}

fn error_buffer(e: &Error, lang: Lang) -> *mut eat_buffer {
    let body = serde_json::to_vec(&ErrorBody::new(e, lang)).unwrap_or_else(|_| {
        // Unreachable in practice (strings and numbers only); keep the promise of a JSON body.
        br#"{"code":"internal","category":"NotSpecified","message":"internal error","target":null,"file":null,"line":null}"#
            .to_vec()
    });
    buffer(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(b: *mut eat_buffer) -> serde_json::Value {
        // SAFETY: a buffer this module just returned.
        let v = serde_json::from_slice(&unsafe { &*b }.bytes).expect("JSON");
        unsafe { eat_buffer_free(b) };
        v
    }

    #[test]
    fn a_panic_inside_an_export_is_eat_panic_with_a_json_error_body() {
        let mut out = std::ptr::null_mut();
        let status = unsafe {
            with_error_out(&mut out, Lang::En, || -> Result<(eat_status, *mut eat_buffer), Failure> {
                panic!("kaboom")
            })
        };
        assert_eq!(status, EAT_PANIC);
        let body = read(out);
        assert_eq!(body["code"], "internal");
        assert_eq!(body["category"], "NotSpecified");
        let msg = body["message"].as_str().unwrap();
        assert!(msg.contains("kaboom") && msg.contains("src/ffi/mod.rs"), "{msg}");
        // With no out-pointer the body is freed, not leaked, and the status still says panic.
        let status = unsafe {
            with_error_out(std::ptr::null_mut(), Lang::En, || -> Result<(eat_status, *mut eat_buffer), Failure> {
                panic!("kaboom")
            })
        };
        assert_eq!(status, EAT_PANIC);
    }

    #[test]
    fn statuses_follow_error_kinds() {
        assert_eq!(status_of(&Error::NullArgument("x")), EAT_NULL_ARGUMENT);
        assert_eq!(status_of(&Error::InvalidUtf8 { offset: 0 }), EAT_INVALID_UTF8);
        assert_eq!(status_of(&Error::UnknownOperation("x".into())), EAT_INVALID_REQUEST);
        assert_eq!(status_of(&Error::InvalidJson { line: 1, column: 1, detail: String::new() }), EAT_INVALID_REQUEST);
        assert_eq!(status_of(&Error::Cancelled), EAT_CANCELLED);
        assert_eq!(status_of(&Error::Internal("x".into())), EAT_ERROR);
        assert_eq!(status_of(&Error::io("f", std::io::Error::other("x"))), EAT_ERROR);
    }
}
