//! Live-source operations: `fetch.graph` (streaming SignIn records from Microsoft Graph, with
//! progress: pages, records, slices left, retries, throttle waits) and
//! `fetch.loganalytics.summary` (the KQL push-down summary, rows in the shape of `summary`).
//! Parameters are [`GraphParams`] / [`KqlParams`]; PowerShell passes its token as
//! `accessToken` (from a SecureString), which is never echoed back or logged.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::worker::Worker;
use super::{Job, Progress, params};
use crate::analysis::Filter;
use crate::fetch::graph::FetchProgress;
use crate::fetch::session::{self, GraphParams, KqlParams};
use crate::messages::{Lang, format};
use crate::signin::SignIn;

/// Records handed over per channel slot (a Graph page's worth at most).
const CHANNEL_CAPACITY: usize = 16;

struct GraphJob {
    worker: Worker<SignIn, FetchProgress>,
    progress: Arc<Mutex<(Progress, FetchProgress)>>,
}

pub fn graph(v: &Value, lang: Lang, cancel: Arc<AtomicBool>) -> crate::Result<Box<dyn Job>> {
    let p: GraphParams = params("fetch.graph", v)?;
    p.query()?;
    // Legacy only unless asked: the per-app queries already are; an all-apps fetch is filtered.
    let filter = Filter { include_modern: p.include_modern, users: p.users.clone(), ..Filter::default() };
    let progress = Arc::new(Mutex::new((
        Progress { activity: "fetch.graph".into(), ..Default::default() },
        FetchProgress::default(),
    )));
    let (shared, flag) = (progress.clone(), cancel.clone());
    let worker = Worker::spawn("exauth-fetch", CHANNEL_CAPACITY * 1000, cancel, move |producer| {
        let mut on_records = |recs: Vec<SignIn>| {
            for s in recs.into_iter().filter(|s| filter.matches(s)) {
                if producer.send(s).is_break() {
                    return Err(crate::Error::Cancelled);
                }
            }
            Ok(())
        };
        let mut on_progress = |f: &FetchProgress| {
            if let Ok(mut g) = shared.lock() {
                g.0.items = f.records;
                g.0.current = format(
                    "fetch.progress",
                    lang,
                    &[
                        ("pages", &f.pages),
                        ("records", &f.records),
                        ("slices", &f.slices_left),
                        ("retries", &f.retries),
                        ("waits", &f.throttle_waits),
                    ],
                );
                g.1 = f.clone();
            }
        };
        session::fetch_graph(&p, lang, &flag, &mut on_records, &mut on_progress)
    })?;
    Ok(Box::new(GraphJob { worker, progress }))
}

impl Job for GraphJob {
    fn next_batch(&self, max: usize) -> crate::Result<Vec<Value>> {
        if let Some(items) = self.worker.next(max)? {
            return Ok(items.into_iter().map(|s| json!({ "kind": "signIn", "value": s })).collect());
        }
        if let Ok(mut g) = self.progress.lock() {
            g.0.done = true;
        }
        match self.worker.take_outcome() {
            Some(Ok(f)) => {
                if let Ok(mut g) = self.progress.lock() {
                    g.1 = f;
                }
                Ok(Vec::new())
            }
            Some(Err(e)) => Err(e),
            None => Ok(Vec::new()),
        }
    }

    fn progress(&self) -> Progress {
        self.progress.lock().map(|g| g.0.clone()).unwrap_or_default()
    }

    fn summary(&self) -> Value {
        let f = self.progress.lock().map(|g| g.1.clone()).unwrap_or_default();
        json!({ "fetch": f })
    }
}

pub fn loganalytics_summary(v: &Value, lang: Lang) -> crate::Result<Value> {
    let p: KqlParams = params("fetch.loganalytics.summary", v)?;
    if p.show_query {
        return Ok(json!({ "query": p.summary_query() }));
    }
    let rows = session::kql_summary(&p, lang)?;
    Ok(json!({ "rows": rows, "query": p.summary_query() }))
}
