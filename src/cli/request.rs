//! `exauth request`: send one raw ops request, as the PowerShell module does through the C
//! ABI, and print the answer. Makes every op in the table reachable from a shell, for scripts
//! and for checking what the library answers to a given request.
//!
//! One-shot ops print the result as JSON; streaming ops print each item as one JSON line, then
//! `{"kind":"end","value":<job summary>}`. Failures print the JSON error body on stderr.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::Args;
use serde_json::{Value, json};

use super::{Ctx, EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, finish_output};
use crate::Error;
use crate::messages::Lang;
use crate::ops::{self, ErrorBody, Handler};

#[derive(Debug, Args)]
pub struct RequestArgs {
    /// The request JSON, e.g. '{"op":"summary","params":{"paths":["logs"]}}'; `-` (the default)
    /// reads it from stdin. Without "lang" the request uses --lang / EXAUTH_LANG / LANG.
    #[arg(value_name = "REQUEST", default_value = "-")]
    pub request: String,
    /// Items per batch for streaming ops (what the module passes as max_items).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub batch: usize,
}

pub fn request(ctx: &Ctx, a: RequestArgs) -> u8 {
    let bytes = if a.request == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
            return fail(ctx.lang, &Error::io("<stdin>", e));
        }
        buf
    } else {
        a.request.into_bytes()
    };
    // The request's own language if it names one, else the CLI's.
    let names_lang = serde_json::from_slice::<Value>(&bytes).is_ok_and(|v| v.get("lang").is_some());
    let lang = if names_lang { ops::request_lang(&bytes) } else { ctx.lang };
    let req = match ops::parse_request(&bytes) {
        Ok(r) => ops::Request { lang, ..r },
        Err(e) => return fail(lang, &e),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = match run(&req, a.batch.max(1), &mut out) {
        Ok(v) => out.flush().map(|()| v),
        Err(Failure::Op(e)) => return fail(lang, &e),
        Err(Failure::Output(e)) => Err(e),
    };
    match result {
        Ok(v) if v["problems"]["total"].as_u64().is_some_and(|n| n > 0) => EXIT_PROBLEMS,
        Ok(_) => EXIT_OK,
        Err(e) => finish_output(Err(e)).err().unwrap_or(EXIT_FAILED),
    }
}

enum Failure {
    Op(Error),
    Output(std::io::Error),
}

/// Run the request and print its answer; returns the result (one-shot) or the job summary.
fn run(req: &ops::Request, batch: usize, out: &mut impl Write) -> Result<Value, Failure> {
    if !matches!(ops::find(&req.op).map(|o| o.handler), Some(Handler::Stream(_))) {
        let v = ops::call(req).map_err(Failure::Op)?;
        writeln!(out, "{v:#}").map_err(Failure::Output)?;
        return Ok(v);
    }
    let job = ops::start(req, Arc::new(AtomicBool::new(false))).map_err(Failure::Op)?;
    loop {
        let items = job.next_batch(batch).map_err(Failure::Op)?;
        if items.is_empty() {
            break;
        }
        for item in items {
            writeln!(out, "{item}").map_err(Failure::Output)?;
        }
    }
    let summary = job.summary();
    writeln!(out, "{}", json!({ "kind": "end", "value": summary })).map_err(Failure::Output)?;
    Ok(summary)
}

fn fail(lang: Lang, e: &Error) -> u8 {
    let body = serde_json::to_string(&ErrorBody::new(e, lang)).unwrap_or_else(|_| e.to_string());
    eprintln!("{body}");
    match e {
        Error::Cancelled => EXIT_CANCELLED,
        Error::InvalidRequest(_)
        | Error::InvalidJson { .. }
        | Error::InvalidUtf8 { .. }
        | Error::UnknownOperation(_) => EXIT_USAGE,
        _ => EXIT_FAILED,
    }
}
