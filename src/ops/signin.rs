//! Sign-in operations: `catalogue`, `summary`, `scan` (streaming).

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

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

struct ChannelSink {
    tx: SyncSender<Item>,
    filter: Filter,
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Progress>>,
}

impl Sink for ChannelSink {
    fn signin(&mut self, s: SignIn) -> ControlFlow<()> {
        if self.cancel.load(Ordering::Relaxed) {
            return ControlFlow::Break(());
        }
        if self.filter.matches(&s) {
            if self.tx.send(Item::SignIn(Box::new(s))).is_err() {
                return ControlFlow::Break(());
            }
            if let Ok(mut p) = self.progress.lock() {
                p.items += 1;
            }
        }
        ControlFlow::Continue(())
    }
    fn problem(&mut self, p: Problem) {
        let _ = self.tx.send(Item::Problem(p));
    }
    fn file_started(&mut self, path: &str, bytes: u64) {
        if let Ok(mut p) = self.progress.lock() {
            p.current = path.to_owned();
            p.bytes_total += bytes;
        }
    }
}

/// A scan running on its own thread, handing records over a bounded channel (so a slow
/// consumer such as a PowerShell pipeline holds memory for one channel's worth, not the file).
struct ScanJob {
    rx: Receiver<Item>,
    progress: Arc<Mutex<Progress>>,
    outcome: Arc<Mutex<Option<crate::Result<ReadStats>>>>,
    problems: ProblemLog,
    cancel: Arc<AtomicBool>,
}

pub fn scan(v: &Value, _lang: Lang, cancel: Arc<AtomicBool>) -> crate::Result<Box<dyn Job>> {
    let p: SignInParams = params("scan", v)?;
    require_paths("scan", &p)?;
    let (tx, rx) = sync_channel(4096);
    let progress = Arc::new(Mutex::new(Progress { activity: "scan".into(), ..Progress::default() }));
    let outcome = Arc::new(Mutex::new(None));
    let opts = ReadOptions { legacy_only: p.filter.excludes_modern() };
    let mut sink = ChannelSink { tx, filter: p.filter, cancel: cancel.clone(), progress: progress.clone() };
    let out = outcome.clone();
    let paths = p.paths;
    std::thread::Builder::new()
        .name("exauth-scan".into())
        .spawn(move || {
            let r = read_paths(&paths, &opts, &mut sink);
            if let Ok(mut o) = out.lock() {
                *o = Some(r);
            }
        })
        .map_err(|e| crate::Error::Internal(format!("cannot start the scan thread: {e}")))?;
    Ok(Box::new(ScanJob { rx, progress, outcome, problems: ProblemLog::default(), cancel }))
}

impl Job for ScanJob {
    fn next_batch(&mut self, max: usize) -> crate::Result<Vec<Value>> {
        let mut batch = Vec::new();
        // Block for the first item, then take what is ready.
        let first = self.rx.recv().ok();
        fn push(batch: &mut Vec<Value>, item: Item, problems: &mut ProblemLog) {
            match item {
                Item::SignIn(s) => batch.push(json!({ "kind": "signIn", "value": s })),
                Item::Problem(p) => {
                    problems.push(p.clone());
                    batch.push(json!({ "kind": "problem", "value": p }));
                }
            }
        }
        if let Some(i) = first {
            push(&mut batch, i, &mut self.problems);
            while batch.len() < max.max(1) {
                match self.rx.try_recv() {
                    Ok(i) => push(&mut batch, i, &mut self.problems),
                    Err(_) => break,
                }
            }
            return Ok(batch);
        }
        if self.cancel.load(Ordering::Relaxed) {
            return Err(crate::Error::Cancelled);
        }
        // The reader finished: surface a fatal error if it had one.
        let outcome = self.outcome.lock().ok().and_then(|mut o| o.take());
        if let Some(Err(e)) = outcome {
            return Err(e);
        }
        if let Some(Ok(stats)) = outcome
            && let Ok(mut o) = self.outcome.lock()
        {
            *o = Some(Ok(stats));
        }
        if let Ok(mut p) = self.progress.lock() {
            p.done = true;
        }
        Ok(batch)
    }

    fn progress(&self) -> Progress {
        self.progress.lock().map(|p| p.clone()).unwrap_or_default()
    }

    fn summary(&self) -> Value {
        let stats = self.outcome.lock().ok().and_then(|o| o.as_ref().and_then(|r| r.as_ref().ok().cloned()));
        json!({ "stats": stats, "problems": self.problems })
    }
}
