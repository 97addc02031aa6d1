//! The one request/response contract. Every operation the product offers is a row of [`OPS`];
//! the `exauth` CLI, the C ABI (PowerShell) and the tests reach the same handlers, so they
//! cannot drift.
//!
//! Request: `{"op":"summary","params":{…},"lang":"ja-JP"}` (UTF-8 JSON).
//! Response: `{"ok":true,"result":…}` or
//! `{"ok":false,"error":{"code":…,"category":…,"message":…,"target":…,"file":…,"line":…}}`
//! (the C ABI returns the result or the [`ErrorBody`] alone, with a status code).
//! Streaming operations return batches of items through a [`Job`] instead of one result.

pub mod exo;
pub mod fetch;
pub mod registry;
pub mod report;
pub mod signin;
pub mod worker;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorCategory};
use crate::messages::Lang;

/// A parsed request.
#[derive(Debug, Clone, Deserialize)]
pub struct Request {
    pub op: String,
    #[serde(default)]
    pub params: Value,
    /// Any culture name (`ja-JP`, `en-US`, `de-DE`, …): Japanese or else English. Lenient on
    /// purpose: a host on an unsupported culture gets English, not an invalid request.
    #[serde(default, deserialize_with = "lenient_lang")]
    pub lang: Lang,
}

fn lenient_lang<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map_or(Lang::En, |c| Lang::from_culture(&c)))
}

/// Progress of a streaming job.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub activity: String,
    pub current: String,
    pub items: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub done: bool,
}

/// A streaming operation in progress. `next_batch` returns 1..=`max` items, or an empty batch
/// when the job is finished; once the cancel flag given at start is set it returns
/// [`Error::Cancelled`] promptly (it must never block for long after a cancel). `summary` is the
/// end-of-run result (counts, problems), partial while the job runs.
///
/// Jobs are `Sync` and every method takes `&self`: a host drives `next_batch` on one thread while
/// another asks for `progress` or sets the cancel flag (PowerShell's StopProcessing runs on its
/// own thread), so implementations synchronise internally. Dropping a job cancels it and
/// releases everything it started (threads included).
pub trait Job: Send + Sync {
    fn next_batch(&self, max: usize) -> crate::Result<Vec<Value>>;
    fn progress(&self) -> Progress;
    fn summary(&self) -> Value;
}

pub type OneShotFn = fn(&Value, Lang) -> crate::Result<Value>;
pub type StreamFn = fn(&Value, Lang, Arc<AtomicBool>) -> crate::Result<Box<dyn Job>>;

#[derive(Clone, Copy)]
pub enum Handler {
    OneShot(OneShotFn),
    Stream(StreamFn),
}

/// One operation.
pub struct OpSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub handler: Handler,
}

/// Every operation. Add a row here and the CLI, the ABI and the op-table tests see it.
pub static OPS: &[OpSpec] = &[
    OpSpec { name: "version", description: "Library and ABI version", handler: Handler::OneShot(version) },
    OpSpec {
        name: "catalogue",
        description: "The client-app catalogue with migration advice",
        handler: Handler::OneShot(signin::catalogue),
    },
    OpSpec {
        name: "messages",
        description: "The message catalogue for one language",
        handler: Handler::OneShot(messages),
    },
    OpSpec {
        name: "summary",
        description: "Summarise sign-ins from files (by user x protocol, user, protocol, app, IP, country, day)",
        handler: Handler::OneShot(signin::summary),
    },
    OpSpec {
        name: "scan",
        description: "Stream sign-in records from files (legacy only unless includeModern)",
        handler: Handler::Stream(signin::scan),
    },
    OpSpec {
        name: "summaryJob",
        description: "The summary as a streaming job (progress and cancel on large inputs; one item of kind 'summary')",
        handler: Handler::Stream(signin::summary_stream),
    },
    OpSpec {
        name: "exposure",
        description: "Per-mailbox protocol exposure joined with usage, with recommendations and -WhatIf commands",
        handler: Handler::OneShot(report::exposure),
    },
    OpSpec {
        name: "guardrails",
        description: "Conditional Access / Security Defaults / org settings against legacy auth, joined with usage",
        handler: Handler::OneShot(report::guardrails),
    },
    OpSpec {
        name: "report",
        description: "Self-contained HTML report (plus CSV and JSON of the same data)",
        handler: Handler::OneShot(report::report),
    },
    OpSpec {
        name: "registry.check",
        description: "Outlook modern-auth registry findings from .reg files, hives, folders (fleet) or the live registry",
        handler: Handler::OneShot(registry::check),
    },
    OpSpec {
        name: "registry.fix",
        description: "The Outlook modern-auth fix for an Office version: changes, .reg text/file and revert file",
        handler: Handler::OneShot(registry::fix),
    },
    OpSpec {
        name: "exo.readiness",
        description: "Exchange Online PowerShell readiness findings from facts gathered by PowerShell",
        handler: Handler::OneShot(exo::readiness),
    },
    OpSpec {
        name: "fetch.graph",
        description: "Stream sign-in records from Microsoft Graph (throttle-aware, resumable, exactly once)",
        handler: Handler::Stream(fetch::graph),
    },
    OpSpec {
        name: "fetch.loganalytics.summary",
        description: "The legacy-auth summary computed by KQL in Log Analytics / Sentinel or ADX",
        handler: Handler::OneShot(fetch::loganalytics_summary),
    },
];

pub fn find(name: &str) -> Option<&'static OpSpec> {
    OPS.iter().find(|o| o.name == name)
}

/// The library version (the crate's) and the C ABI version (bumped on any incompatible change).
pub const ABI_VERSION: u32 = 1;

fn version(_: &Value, _: Lang) -> crate::Result<Value> {
    Ok(serde_json::json!({ "version": env!("CARGO_PKG_VERSION"), "abiVersion": ABI_VERSION }))
}

fn messages(_: &Value, lang: Lang) -> crate::Result<Value> {
    let map: serde_json::Map<String, Value> = crate::messages::MESSAGES
        .iter()
        .map(|m| (m.key.to_owned(), Value::String(crate::messages::text(m.key, lang).to_owned())))
        .collect();
    Ok(Value::Object(map))
}

/// Parse typed parameters, naming the operation in the error.
pub fn params<T: for<'de> Deserialize<'de>>(op: &str, v: &Value) -> crate::Result<T> {
    let v = if v.is_null() { Value::Object(Default::default()) } else { v.clone() };
    serde_json::from_value(v).map_err(|e| Error::InvalidRequest(format!("{op}: {e}")))
}

/// The JSON form of an error, as the ABI and the CLI's `--format json` return it. Every key is
/// always present (`null` when not relevant) so hosts can read it without probing.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Stable code ([`Error::code`]).
    pub code: &'static str,
    /// A PowerShell `ErrorCategory` name.
    pub category: ErrorCategory,
    /// In the request's language.
    pub message: String,
    pub target: Option<String>,
    pub file: Option<String>,
    pub line: Option<u64>,
}

impl ErrorBody {
    pub fn new(e: &Error, lang: Lang) -> Self {
        ErrorBody {
            code: e.code(),
            category: e.category(),
            message: e.message(lang),
            target: e.target(),
            file: e.file(),
            line: e.line(),
        }
    }

    pub fn from_error(e: &Error) -> Self {
        ErrorBody::new(e, Lang::En)
    }
}

/// Parse a request from bytes.
pub fn parse_request(bytes: &[u8]) -> crate::Result<Request> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 { offset: e.valid_up_to() as u64 })?;
    serde_json::from_str(text).map_err(|e| {
        // serde_json appends the position; ours is in `line`/`column` and the message template.
        let detail = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let detail = detail.strip_suffix(&position).map(str::to_owned).unwrap_or(detail);
        match e.classify() {
            // Valid JSON of the wrong shape (no `op`, `op` not a string, …).
            serde_json::error::Category::Data => Error::InvalidRequest(detail),
            _ => Error::InvalidJson { line: e.line() as u64, column: e.column() as u64, detail },
        }
    })
}

/// The language a request asks for, best effort, for errors about the request itself (its
/// `op` or `params` may be what is wrong); English when the request is not even JSON.
pub fn request_lang(bytes: &[u8]) -> Lang {
    #[derive(Deserialize)]
    struct LangOnly {
        #[serde(default, deserialize_with = "lenient_lang")]
        lang: Lang,
    }
    serde_json::from_slice::<LangOnly>(bytes).map_or(Lang::En, |l| l.lang)
}

/// Run a one-shot request; a streaming op is refused here (start it as a job).
pub fn call(req: &Request) -> crate::Result<Value> {
    let spec = find(&req.op).ok_or_else(|| Error::UnknownOperation(req.op.clone()))?;
    match spec.handler {
        Handler::OneShot(f) => f(&req.params, req.lang),
        Handler::Stream(_) => {
            Err(Error::InvalidRequest(format!("'{}' is a streaming operation: start it as a job", req.op)))
        }
    }
}

/// Start a streaming request.
pub fn start(req: &Request, cancel: Arc<AtomicBool>) -> crate::Result<Box<dyn Job>> {
    let spec = find(&req.op).ok_or_else(|| Error::UnknownOperation(req.op.clone()))?;
    match spec.handler {
        Handler::Stream(f) => f(&req.params, req.lang, cancel),
        Handler::OneShot(_) => {
            Err(Error::InvalidRequest(format!("'{}' is not a streaming operation: call it", req.op)))
        }
    }
}

/// Wrap a result in the response envelope.
pub fn envelope(r: crate::Result<Value>) -> Value {
    match r {
        Ok(v) => serde_json::json!({ "ok": true, "result": v }),
        Err(e) => serde_json::json!({ "ok": false, "error": ErrorBody::from_error(&e) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for o in OPS {
            assert!(seen.insert(o.name), "{}", o.name);
        }
    }

    #[test]
    fn unknown_op_and_bad_json_are_errors() {
        let r = call(&parse_request(br#"{"op":"nope"}"#).unwrap());
        assert_eq!(r.unwrap_err().code(), "unknown_operation");
        assert_eq!(parse_request(b"{").unwrap_err().code(), "invalid_json");
        assert_eq!(parse_request(b"{}\xff").unwrap_err().code(), "invalid_utf8");
        let no_op = parse_request(br#"{"lang":"ja-JP"}"#).unwrap_err();
        assert_eq!(no_op.code(), "invalid_request");
        assert!(no_op.to_string().contains("missing field `op`"), "{no_op}");
        let v = call(&parse_request(br#"{"op":"version"}"#).unwrap()).unwrap();
        assert_eq!(v["abiVersion"], ABI_VERSION);
    }

    #[test]
    fn lang_is_lenient() {
        let lang = |b: &[u8]| parse_request(b).unwrap().lang;
        assert_eq!(lang(br#"{"op":"version","lang":"ja-JP"}"#), Lang::Ja);
        assert_eq!(lang(br#"{"op":"version","lang":"de-DE"}"#), Lang::En);
        assert_eq!(lang(br#"{"op":"version","lang":null}"#), Lang::En);
        assert_eq!(lang(br#"{"op":"version"}"#), Lang::En);
        assert_eq!(request_lang(br#"{"op":7,"lang":"ja"}"#), Lang::Ja);
        assert_eq!(request_lang(b"{"), Lang::En);
    }

    #[test]
    fn error_bodies_are_localised_and_complete() {
        let e = Error::InvalidJson { line: 2, column: 5, detail: "x".into() };
        let body = serde_json::to_value(ErrorBody::new(&e, Lang::Ja)).unwrap();
        assert_eq!(body["code"], "invalid_json");
        assert_eq!(body["category"], "InvalidArgument");
        assert_eq!(body["line"], 2);
        assert!(body["message"].as_str().unwrap().contains("要求"));
        for k in ["target", "file"] {
            assert!(body.get(k).is_some_and(Value::is_null), "{k} must be present as null");
        }
    }
}
