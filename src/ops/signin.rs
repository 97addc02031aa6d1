//! Sign-in operations: `catalogue`, `summary`, and the streaming `scan` and `summaryJob`.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::{Value, json};

use super::worker::{Producer, Worker};
use super::{Job, Progress, params};
use crate::analysis::run::{ProblemLog, SummaryJob, Watch, run_summary, run_summary_watched};
use crate::analysis::{Filter, GroupBy, SprayThresholds};
use crate::catalogue::CATALOGUE;
use crate::messages::{Lang, text};
use crate::signin::{Input, Problem, ReadOptions, ReadStats, SignIn, Sink, inputs, read_paths};

pub fn catalogue(_: &Value, lang: Lang) -> crate::Result<Value> {
    let rows: Vec<Value> = CATALOGUE
        .iter()
        .map(|a| {
            let mut v = serde_json::to_value(a).expect("catalogue rows serialise");
            v["migrateTo"] = Value::String(text(a.migrate_to_key, lang).to_owned());
            v["retirement"] = crate::catalogue::retirement::for_protocol(a.protocol)
                .iter()
                .map(|r| json!({ "date": r.date, "event": text(r.event_key, lang), "verified": r.verified, "source": r.source }))
                .collect();
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

fn summary_job(op: &str, v: &Value, lang: Lang) -> crate::Result<SummaryJob> {
    let p: SignInParams = params(op, v)?;
    require_paths(op, &p)?;
    Ok(SummaryJob { paths: p.paths, filter: p.filter, by: p.by, thresholds: p.thresholds.unwrap_or_default(), lang })
}

fn summary_json(report: crate::analysis::Report, problems: ProblemLog) -> Value {
    json!({ "rows": report.rows, "attacks": report.attacks, "stats": report.stats, "problems": problems })
}

pub fn summary(v: &Value, lang: Lang) -> crate::Result<Value> {
    let job = summary_job("summary", v, lang)?;
    let (report, problems) = run_summary(&job, &mut |_, _| {})?;
    Ok(summary_json(report, problems))
}

/// Progress shared between a worker thread and the job's `progress`.
#[derive(Clone)]
struct SharedProgress(Arc<Mutex<Progress>>);

impl SharedProgress {
    fn new(activity: &str) -> Self {
        SharedProgress(Arc::new(Mutex::new(Progress { activity: activity.into(), ..Progress::default() })))
    }

    /// Measure the inputs (on the worker thread: a large tree on a slow share must not delay
    /// the start) so progress can show a percentage from the first file on.
    fn measure(&self, paths: &[PathBuf]) {
        let total = total_bytes(paths);
        self.update(|p| p.bytes_total = p.bytes_total.max(total));
    }

    fn update(&self, f: impl FnOnce(&mut Progress)) {
        if let Ok(mut p) = self.0.lock() {
            f(&mut p);
        }
    }

    fn get(&self) -> Progress {
        self.0.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// A file starts: the ones started before are done (files are read one after another).
    fn file_started(&self, path: &str, bytes: u64, seen: &mut u64) {
        let done = *seen;
        *seen += bytes;
        let total = *seen;
        self.update(|p| {
            p.bytes_done = done;
            p.bytes_total = p.bytes_total.max(total);
            p.current = path.to_owned();
        });
    }

    fn finished(&self) {
        self.update(|p| {
            p.done = true;
            p.bytes_done = p.bytes_total;
        });
    }
}

/// Bytes in all inputs (files, directories as they will be read; stdin counts 0), for progress.
fn total_bytes(paths: &[PathBuf]) -> u64 {
    let size = |input: Input| match input {
        Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
        _ => 0,
    };
    inputs(paths).into_iter().map(size).sum()
}

/// Items buffered between the reader thread and the consumer.
const CHANNEL_CAPACITY: usize = 4096;

enum Item {
    SignIn(Box<SignIn>),
    Problem(Problem),
}

/// Feeds the reader's records into the worker's channel, filtered; stops within one record
/// once the job is cancelled or dropped.
struct ChannelSink<'p> {
    producer: &'p Producer<Item>,
    filter: Filter,
    progress: SharedProgress,
    bytes_seen: u64,
}

impl Sink for ChannelSink<'_> {
    fn signin(&mut self, s: SignIn) -> ControlFlow<()> {
        if self.producer.cancelled() {
            return ControlFlow::Break(());
        }
        if self.filter.matches(&s) {
            self.producer.send(Item::SignIn(Box::new(s)))?;
            self.progress.update(|p| p.items += 1);
        }
        ControlFlow::Continue(())
    }
    fn problem(&mut self, p: Problem) {
        let _ = self.producer.send(Item::Problem(p));
    }
    fn file_started(&mut self, path: &str, bytes: u64) {
        self.progress.file_started(path, bytes, &mut self.bytes_seen);
    }
}

/// `scan`: sign-in records streamed from a reader thread (a slow consumer such as a
/// PowerShell pipeline holds one channel's worth in memory, not the file).
struct ScanJob {
    worker: Worker<Item, ReadStats>,
    progress: SharedProgress,
    /// Stats of a finished read, for `summary`.
    stats: Mutex<Option<ReadStats>>,
    problems: Mutex<ProblemLog>,
}

pub fn scan(v: &Value, lang: Lang, cancel: Arc<AtomicBool>) -> crate::Result<Box<dyn Job>> {
    let p: SignInParams = params("scan", v)?;
    require_paths("scan", &p)?;
    let progress = SharedProgress::new("scan");
    let opts = ReadOptions { legacy_only: p.filter.excludes_modern(), lang };
    let (paths, filter, shared) = (p.paths, p.filter, progress.clone());
    let worker = Worker::spawn("exauth-scan", CHANNEL_CAPACITY, cancel, move |producer| {
        shared.measure(&paths);
        let mut sink = ChannelSink { producer, filter, progress: shared, bytes_seen: 0 };
        read_paths(&paths, &opts, &mut sink)
    })?;
    Ok(Box::new(ScanJob { worker, progress, stats: Mutex::new(None), problems: Mutex::new(ProblemLog::default()) }))
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
}

impl Job for ScanJob {
    fn next_batch(&self, max: usize) -> crate::Result<Vec<Value>> {
        if let Some(items) = self.worker.next(max)? {
            return Ok(items.into_iter().map(|i| self.item_json(i)).collect());
        }
        // The reader has ended: report its error once, else an empty batch (done).
        self.progress.finished();
        match self.worker.take_outcome() {
            Some(Ok(stats)) => {
                if let Ok(mut s) = self.stats.lock() {
                    *s = Some(stats);
                }
                Ok(Vec::new())
            }
            Some(Err(e)) => Err(e),
            None => Ok(Vec::new()),
        }
    }

    fn progress(&self) -> Progress {
        self.progress.get()
    }

    fn summary(&self) -> Value {
        if self.worker.cancelled()
            && let Some(Ok(partial)) = self.worker.take_outcome()
            && let Ok(mut s) = self.stats.lock()
        {
            // Cancelled: what was read before the reader stopped, if it has stopped yet (best
            // effort: a reader blocked on the full channel stops only when the job is freed).
            *s = Some(partial);
        }
        let stats = self.stats.lock().ok().and_then(|s| s.clone());
        let problems = self.problems.lock().map(|p| p.clone()).unwrap_or_default();
        json!({ "stats": stats, "problems": problems, "done": stats.is_some(), "cancelled": self.worker.cancelled() })
    }
}

/// `summaryJob`: the `summary` operation as a job, for large inputs: progress while reading,
/// cancel within one record, and one item `{"kind":"summary","value":…}` (the `summary`
/// result) at the end.
struct SummaryStreamJob {
    worker: Worker<(), Value>,
    progress: SharedProgress,
    result_stats: Mutex<Option<Value>>,
}

pub fn summary_stream(v: &Value, lang: Lang, cancel: Arc<AtomicBool>) -> crate::Result<Box<dyn Job>> {
    let job = summary_job("summaryJob", v, lang)?;
    let progress = SharedProgress::new("summary");
    let shared = progress.clone();
    let worker = Worker::spawn("exauth-summary", 1, cancel, move |producer| {
        shared.measure(&job.paths);
        let mut seen = 0;
        let watch = Watch {
            file_started: &mut |path: &str, bytes: u64| shared.file_started(path, bytes, &mut seen),
            signins: &|n| shared.update(|p| p.items += n),
            cancel: producer.cancel_flag(),
        };
        let (report, problems) = run_summary_watched(&job, watch)?;
        Ok(summary_json(report, problems))
    })?;
    Ok(Box::new(SummaryStreamJob { worker, progress, result_stats: Mutex::new(None) }))
}

impl Job for SummaryStreamJob {
    fn next_batch(&self, max: usize) -> crate::Result<Vec<Value>> {
        // No items flow until the end: this waits (waking for a cancel) until the analysis ends.
        while self.worker.next(max)?.is_some() {}
        self.progress.finished();
        match self.worker.take_outcome() {
            Some(Ok(result)) => {
                if let Ok(mut s) = self.result_stats.lock() {
                    *s = Some(json!({ "stats": result["stats"], "problems": result["problems"] }));
                }
                Ok(vec![json!({ "kind": "summary", "value": result })])
            }
            Some(Err(e)) => Err(e),
            None => Ok(Vec::new()),
        }
    }

    fn progress(&self) -> Progress {
        self.progress.get()
    }

    fn summary(&self) -> Value {
        let done = self.result_stats.lock().ok().and_then(|s| s.clone());
        let (stats, problems) = done.map_or_else(
            || (Value::Null, serde_json::to_value(ProblemLog::default()).unwrap_or_default()),
            |d| (d["stats"].clone(), d["problems"].clone()),
        );
        json!({ "stats": stats, "problems": problems, "done": !stats.is_null(), "cancelled": self.worker.cancelled() })
    }
}
