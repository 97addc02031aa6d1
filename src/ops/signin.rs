//! Sign-in operations: `catalogue`, `summary`, `scan` (streaming).

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Job, Progress, params};
use crate::analysis::run::{ProblemLog, SummaryJob, run_summary};
use crate::analysis::{Filter, GroupBy, SprayThresholds};
use crate::catalogue::CATALOGUE;
use crate::messages::{Lang, text};
use crate::signin::{Problem, ReadOptions, ReadStats, SignIn, Sink, read_paths};

pub fn catalogue(_: &Value, lang: Lang) -> crate::Result<Value> {
    let rows: Vec<Value> = CATALOGUE
        .iter()
        .map(|a| {
            let mut v = serde_json::to_value(a).expect("catalogue rows serialise");
            v["migrateTo"] = Value::String(text(a.migrate_to_key, lang).to_owned());
            v
        })
        .collect();
    Ok(Value::Array(rows))
}

/// Parameters of `summary` and `scan`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInParams {
    pub paths: Vec<PathBuf>,
    #[serde(flatten)]
    pub filter: Filter,
    pub by: GroupBy,
    pub thresholds: Option<SprayThresholds>,
}

fn require_paths(op: &str, p: &SignInParams) -> crate::Result<()> {
    if p.paths.is_empty() {
        return Err(crate::Error::InvalidRequest(format!("{op}: 'paths' must name at least one file or directory")));
    }
    Ok(())
}

pub fn summary(v: &Value, _lang: Lang) -> crate::Result<Value> {
    let p: SignInParams = params("summary", v)?;
    require_paths("summary", &p)?;
    let job = SummaryJob { paths: p.paths, filter: p.filter, by: p.by, thresholds: p.thresholds.unwrap_or_default() };
    let (report, problems) = run_summary(&job, &mut |_, _| {})?;
    Ok(json!({ "rows": report.rows, "attacks": report.attacks, "stats": report.stats, "problems": problems }))
}

enum Item {
    SignIn(Box<SignIn>),
    Problem(Problem),
}

/// Feeds the reader's records into the bounded channel. Checks the cancel flag on every record
/// and problem, so a cancelled reader stops within one record (and never blocks on a full
/// channel once the job is dropped: the receiver is gone and `send` fails).
struct ChannelSink {
    tx: SyncSender<Item>,
    filter: Filter,
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Progress>>,
    /// Bytes of the files started so far.
    bytes_seen: u64,
}

impl ChannelSink {
    fn send(&self, item: Item) -> ControlFlow<()> {
        if self.cancel.load(Ordering::Relaxed) || self.tx.send(item).is_err() {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

impl Sink for ChannelSink {
    fn signin(&mut self, s: SignIn) -> ControlFlow<()> {
        if self.cancel.load(Ordering::Relaxed) {
            return ControlFlow::Break(());
        }
        if self.filter.matches(&s) {
            self.send(Item::SignIn(Box::new(s)))?;
            if let Ok(mut p) = self.progress.lock() {
                p.items += 1;
            }
        }
        ControlFlow::Continue(())
    }
    fn problem(&mut self, p: Problem) {
        let _ = self.send(Item::Problem(p));
    }
    fn file_started(&mut self, path: &str, bytes: u64) {
        // Files are read one after another: the ones started before are done.
        let done = self.bytes_seen;
        self.bytes_seen += bytes;
        if let Ok(mut p) = self.progress.lock() {
            p.bytes_done = done;
            p.bytes_total = p.bytes_total.max(self.bytes_seen);
            p.current = path.to_owned();
        }
    }
}

/// Items buffered in the channel between the reader thread and the consumer.
const CHANNEL_CAPACITY: usize = 4096;
/// How often a waiting `next_batch` looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(20);
/// How long dropping a job waits for its cancelled reader to stop before leaving it to finish
/// on its own (a reader stuck in a read on a hung network share must not hang the host).
const READER_STOP_GRACE: Duration = Duration::from_secs(1);

/// A scan running on its own thread, handing records over a bounded channel (so a slow
/// consumer such as a PowerShell pipeline holds memory for one channel's worth, not the file).
struct ScanJob {
    /// Locked for the whole of `next_batch` (concurrent `next_batch` calls take turns); nothing
    /// else takes it, so `progress` and `summary` never wait for a blocked `next_batch`.
    rx: Mutex<Receiver<Item>>,
    progress: Arc<Mutex<Progress>>,
    /// The reader's result, set once when it ends; taken by the `next_batch` that reports it.
    outcome: Arc<Mutex<Option<crate::Result<ReadStats>>>>,
    /// Stats of a finished read, for `summary`.
    stats: Mutex<Option<ReadStats>>,
    problems: Mutex<ProblemLog>,
    cancel: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    /// Receives once when the reader thread is about to return.
    reader_done: Mutex<Receiver<()>>,
}

pub fn scan(v: &Value, _lang: Lang, cancel: Arc<AtomicBool>) -> crate::Result<Box<dyn Job>> {
    let p: SignInParams = params("scan", v)?;
    require_paths("scan", &p)?;
    let (tx, rx) = sync_channel(CHANNEL_CAPACITY);
    let bytes_total = total_bytes(&p.paths);
    let progress = Arc::new(Mutex::new(Progress { activity: "scan".into(), bytes_total, ..Progress::default() }));
    let outcome = Arc::new(Mutex::new(None));
    let opts = ReadOptions { legacy_only: p.filter.excludes_modern() };
    let mut sink =
        ChannelSink { tx, filter: p.filter, cancel: cancel.clone(), progress: progress.clone(), bytes_seen: 0 };
    let out = outcome.clone();
    let paths = p.paths;
    let (done_tx, reader_done) = sync_channel(1);
    let reader = std::thread::Builder::new()
        .name("exauth-scan".into())
        .spawn(move || {
            // A panic in a reader is a bug; report it as an error instead of a silent end.
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_paths(&paths, &opts, &mut sink)))
                .unwrap_or_else(|payload| Err(crate::Error::from_panic(payload.as_ref(), None)));
            if let Ok(mut o) = out.lock() {
                *o = Some(r);
            }
            // Closing the channel after the outcome is stored tells the consumer to read it.
            drop(sink);
            let _ = done_tx.send(());
        })
        .map_err(|e| crate::Error::Internal(format!("cannot start the scan thread: {e}")))?;
    Ok(Box::new(ScanJob {
        rx: Mutex::new(rx),
        progress,
        outcome,
        stats: Mutex::new(None),
        problems: Mutex::new(ProblemLog::default()),
        cancel,
        reader: Some(reader),
        reader_done: Mutex::new(reader_done),
    }))
}

/// Bytes in all inputs (files, directories recursively; stdin counts 0), for progress.
fn total_bytes(paths: &[PathBuf]) -> u64 {
    fn walk(p: &std::path::Path) -> u64 {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                std::fs::read_dir(p).map(|rd| rd.filter_map(|e| e.ok()).map(|e| walk(&e.path())).sum()).unwrap_or(0)
            }
            Ok(m) => m.len(),
            Err(_) => 0,
        }
    }
    paths.iter().map(|p| walk(p)).sum()
}

impl ScanJob {
    fn item_json(&self, item: Item) -> Value {
        match item {
            Item::SignIn(s) => json!({ "kind": "signIn", "value": s }),
            Item::Problem(p) => {
                let v = json!({ "kind": "problem", "value": p });
                if let Ok(mut log) = self.problems.lock() {
                    log.push(p);
                }
                v
            }
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The reader has ended: report its error once, else an empty batch (done).
    fn finish(&self) -> crate::Result<Vec<Value>> {
        if let Ok(mut p) = self.progress.lock() {
            p.done = true;
            p.bytes_done = p.bytes_total;
        }
        let outcome = self.outcome.lock().ok().and_then(|mut o| o.take());
        match outcome {
            Some(Ok(stats)) => {
                if let Ok(mut s) = self.stats.lock() {
                    *s = Some(stats);
                }
                Ok(Vec::new())
            }
            Some(Err(e)) => Err(e),
            // Already reported by an earlier call.
            None => Ok(Vec::new()),
        }
    }
}

impl Job for ScanJob {
    fn next_batch(&self, max: usize) -> crate::Result<Vec<Value>> {
        if self.cancelled() {
            return Err(crate::Error::Cancelled);
        }
        let rx = self.rx.lock().map_err(|_| crate::Error::Internal("scan job lock poisoned".into()))?;
        // Wait for the first item (waking up to notice a cancel), then take what is ready.
        let first = loop {
            match rx.recv_timeout(CANCEL_POLL) {
                Ok(item) => break item,
                Err(RecvTimeoutError::Timeout) if self.cancelled() => return Err(crate::Error::Cancelled),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) if self.cancelled() => return Err(crate::Error::Cancelled),
                Err(RecvTimeoutError::Disconnected) => return self.finish(),
            }
        };
        let max = max.max(1);
        let mut batch = Vec::with_capacity(max.min(CHANNEL_CAPACITY));
        batch.push(self.item_json(first));
        while batch.len() < max {
            match rx.try_recv() {
                Ok(item) => batch.push(self.item_json(item)),
                Err(_) => break,
            }
        }
        Ok(batch)
    }

    fn progress(&self) -> Progress {
        self.progress.lock().map(|p| p.clone()).unwrap_or_default()
    }

    fn summary(&self) -> Value {
        let stats = self.stats.lock().ok().and_then(|s| s.clone());
        let problems = self.problems.lock().map(|p| p.clone()).unwrap_or_default();
        json!({ "stats": stats, "problems": problems, "done": stats.is_some(), "cancelled": self.cancelled() })
    }
}

impl Drop for ScanJob {
    /// Cancel, unblock the reader (a full channel's `send` fails once the receiver is gone) and
    /// join it, so no thread or buffer outlives the job. A reader that does not stop within
    /// [`READER_STOP_GRACE`] (blocked in the OS on a read) is detached: it stops at its next
    /// record, and the host is not held hostage meanwhile.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        let (dead_tx, dead_rx) = sync_channel(0);
        drop(dead_tx);
        if let Ok(rx) = self.rx.get_mut() {
            drop(std::mem::replace(rx, dead_rx));
        }
        if let Some(reader) = self.reader.take()
            && self.reader_done.get_mut().is_ok_and(|done| done.recv_timeout(READER_STOP_GRACE).is_ok())
        {
            let _ = reader.join();
        }
    }
}
