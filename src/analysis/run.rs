//! Driving an analysis over inputs: read → filter → aggregate, with problems collected
//! (capped in memory, always counted).

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::{Analysis, Filter, GroupBy, Report, SprayThresholds};
use crate::signin::{Problem, ReadOptions, ReadStats, SignIn, Sink, read_paths};

/// Problems kept in memory for display; the rest are only counted.
pub const MAX_KEPT_PROBLEMS: usize = 1000;

/// Problems seen during a run: the first [`MAX_KEPT_PROBLEMS`] in full, all counted.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProblemLog {
    pub total: u64,
    pub kept: Vec<Problem>,
}

impl ProblemLog {
    pub fn push(&mut self, p: Problem) {
        self.total += 1;
        if self.kept.len() < MAX_KEPT_PROBLEMS {
            self.kept.push(p);
        }
    }

    pub fn merge(&mut self, o: ProblemLog) {
        self.total += o.total;
        for p in o.kept {
            if self.kept.len() < MAX_KEPT_PROBLEMS {
                self.kept.push(p);
            }
        }
    }
}

/// A summary request.
#[derive(Debug, Clone, Default)]
pub struct SummaryJob {
    pub paths: Vec<PathBuf>,
    pub filter: Filter,
    pub by: GroupBy,
    pub thresholds: SprayThresholds,
    /// Language of the problem messages.
    pub lang: crate::messages::Lang,
}

/// The sink of a summary run: records go into the analysis, problems into the log.
pub struct AnalysisSink<'a> {
    analysis: &'a mut Analysis,
    problems: &'a mut ProblemLog,
    progress: &'a mut dyn FnMut(&str, u64),
}

impl AnalysisSink<'_> {
    pub fn as_sink(&mut self) -> &mut dyn Sink {
        self
    }

    /// Take in a file summarised on its own (the parallel NDJSON reader).
    fn merge_analysis(&mut self, path: &str, analysis: Analysis, stats: &ReadStats, problems: ProblemLog) {
        (self.progress)(path, stats.bytes);
        self.analysis.merge(analysis);
        self.problems.merge(problems);
    }
}

impl Sink for AnalysisSink<'_> {
    fn signin(&mut self, s: SignIn) -> ControlFlow<()> {
        self.analysis.add(&s);
        ControlFlow::Continue(())
    }
    fn problem(&mut self, p: Problem) {
        self.problems.push(p);
    }
    fn file_started(&mut self, path: &str, bytes: u64) {
        (self.progress)(path, bytes);
    }
}

/// Run a summary over the job's paths. `progress` is called as each file starts.
///
/// Each path that is a plain NDJSON file goes to the parallel reader (`parallel`: mmap, one
/// worker per core, fast skip of modern lines); everything else (directories, stdin, other
/// formats, compressed or UTF-16 files) to the generic reader. Paths are read in order.
pub fn run_summary(job: &SummaryJob, progress: &mut dyn FnMut(&str, u64)) -> crate::Result<(Report, ProblemLog)> {
    run_summary_cancellable(job, progress, &AtomicBool::new(false))
}

/// [`run_summary`] that stops with [`crate::Error::Cancelled`] soon after `cancel` is set
/// (within a few thousand lines of a parallel NDJSON file; between files otherwise: wrap the
/// generic reader's sink for finer cancellation, as the `summaryJob` operation does).
pub fn run_summary_cancellable(
    job: &SummaryJob,
    progress: &mut dyn FnMut(&str, u64),
    cancel: &AtomicBool,
) -> crate::Result<(Report, ProblemLog)> {
    let opts = ReadOptions { legacy_only: job.filter.excludes_modern(), lang: job.lang };
    run_summary_with(job, progress, |sink| {
        let mut stats = ReadStats::default();
        for path in &job.paths {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(crate::Error::Cancelled);
            }
            let threads = super::parallel::default_threads();
            let (filter, by, lang) = (&job.filter, job.by, opts.lang);
            let fast = match path.is_file() {
                true => match super::parallel::summarise_ndjson_in(path, filter, by, threads, cancel, lang)? {
                    Some(done) => Some(done),
                    None => super::parallel_csv::summarise_csv_in(path, filter, by, threads, cancel, lang)?,
                },
                false => None,
            };
            match fast {
                Some((analysis, s, problems)) => {
                    sink.merge_analysis(&path.display().to_string(), analysis, &s, problems);
                    stats.merge(&s);
                }
                None => stats.merge(&read_paths(std::slice::from_ref(path), &opts, sink.as_sink())?),
            }
        }
        Ok(stats)
    })
}

/// Run a summary over records produced by `read` (in-memory inputs such as the demo tenant).
pub fn run_summary_with(
    job: &SummaryJob,
    progress: &mut dyn FnMut(&str, u64),
    read: impl FnOnce(&mut AnalysisSink<'_>) -> crate::Result<ReadStats>,
) -> crate::Result<(Report, ProblemLog)> {
    let mut analysis = Analysis::new(job.filter.clone(), job.by);
    let mut problems = ProblemLog::default();
    let stats = read(&mut AnalysisSink { analysis: &mut analysis, problems: &mut problems, progress })?;
    Ok((analysis.finish(&job.thresholds, stats), problems))
}
