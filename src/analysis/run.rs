//! Driving an analysis over inputs: read → filter → aggregate, with problems collected
//! (capped in memory, always counted).

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::{Analysis, Filter, GroupBy, Report, SprayThresholds};
use crate::signin::{Input, Problem, ReadOptions, ReadStats, SignIn, Sink, inputs, read_input};

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

/// What a summary run says as it goes, and what stops it.
pub struct Watch<'a> {
    /// A file starts: its name and size.
    pub file_started: &'a mut dyn FnMut(&str, u64),
    /// Sign-ins taken into the analysis since the last call (one by one from the generic reader,
    /// a file at a time from the parallel ones; records passed over as plainly modern are not
    /// sign-ins taken in).
    pub signins: &'a dyn Fn(u64),
    /// Once set, the run stops: within one record of the generic reader, within a few thousand
    /// lines of a parallel one; the run then returns [`crate::Error::Cancelled`].
    pub cancel: &'a AtomicBool,
}

/// The sink of a summary run: records go into the analysis, problems into the log.
pub struct AnalysisSink<'a> {
    analysis: &'a mut Analysis,
    problems: &'a mut ProblemLog,
    progress: &'a mut dyn FnMut(&str, u64),
    signins: &'a dyn Fn(u64),
    cancel: Option<&'a AtomicBool>,
}

impl AnalysisSink<'_> {
    pub fn as_sink(&mut self) -> &mut dyn Sink {
        self
    }

    /// Take in a file summarised on its own (the parallel readers).
    fn merge_analysis(&mut self, path: &str, analysis: Analysis, stats: &ReadStats, problems: ProblemLog) {
        (self.progress)(path, stats.bytes);
        (self.signins)(analysis.offered);
        self.analysis.merge(analysis);
        self.problems.merge(problems);
    }
}

impl Sink for AnalysisSink<'_> {
    fn signin(&mut self, s: SignIn) -> ControlFlow<()> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return ControlFlow::Break(());
        }
        (self.signins)(1);
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
/// Each file (named, or found in a directory) that is plain NDJSON or CSV goes to a parallel
/// reader (`parallel`, `parallel_csv`: a window per chunk, one worker per core, fast skip of
/// modern records); everything else (stdin, other formats, compressed or UTF-16 files) to the
/// generic reader. Inputs are read in order.
pub fn run_summary(job: &SummaryJob, progress: &mut dyn FnMut(&str, u64)) -> crate::Result<(Report, ProblemLog)> {
    run_summary_cancellable(job, progress, &AtomicBool::new(false))
}

/// [`run_summary`] that stops with [`crate::Error::Cancelled`] soon after `cancel` is set.
pub fn run_summary_cancellable(
    job: &SummaryJob,
    progress: &mut dyn FnMut(&str, u64),
    cancel: &AtomicBool,
) -> crate::Result<(Report, ProblemLog)> {
    run_summary_watched(job, Watch { file_started: progress, signins: &|_| {}, cancel })
}

/// [`run_summary`] with progress per file and per record, and a cancel flag.
pub fn run_summary_watched(job: &SummaryJob, watch: Watch<'_>) -> crate::Result<(Report, ProblemLog)> {
    let Watch { file_started, signins, cancel } = watch;
    let opts = ReadOptions { legacy_only: job.filter.excludes_modern(), lang: job.lang };
    let threads = super::parallel::default_threads();
    let (filter, by, lang) = (&job.filter, job.by, opts.lang);
    summarise_into(job, file_started, signins, Some(cancel), |sink| {
        let mut stats = ReadStats::default();
        for input in inputs(&job.paths) {
            if cancel.load(Ordering::Relaxed) {
                return Err(crate::Error::Cancelled);
            }
            let fast = match &input {
                Input::File(path) => {
                    super::parallel::summarise_file(path, filter, by, threads, cancel, lang)?.map(|done| (path, done))
                }
                _ => None,
            };
            match fast {
                Some((path, (a, s, p))) => {
                    sink.merge_analysis(&path.display().to_string(), a, &s, p);
                    stats.merge(&s);
                }
                None => {
                    let _ = read_input(&input, &opts, sink.as_sink(), &mut stats)?;
                }
            }
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(crate::Error::Cancelled);
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
    summarise_into(job, progress, &|_| {}, None, read)
}

/// The analysis of `job` over what `read` puts into its sink, finished into rows.
fn summarise_into(
    job: &SummaryJob,
    progress: &mut dyn FnMut(&str, u64),
    signins: &dyn Fn(u64),
    cancel: Option<&AtomicBool>,
    read: impl FnOnce(&mut AnalysisSink<'_>) -> crate::Result<ReadStats>,
) -> crate::Result<(Report, ProblemLog)> {
    let mut analysis = Analysis::new(job.filter.clone(), job.by);
    let mut problems = ProblemLog::default();
    let stats =
        read(&mut AnalysisSink { analysis: &mut analysis, problems: &mut problems, progress, signins, cancel })?;
    Ok((analysis.finish(&job.thresholds, stats), problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::formats::{GenFormat, sized_scenario, write};
    use crate::signin::read_paths;
    use std::cell::Cell;

    /// A folder is read file by file exactly as the files named one by one, and as the generic
    /// reader alone reads them; the parallel readers take the plain NDJSON and CSV files in it.
    #[test]
    fn folders_are_summarised_like_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut named = Vec::new();
        for (i, format) in [GenFormat::GraphNdjson, GenFormat::LaCsv, GenFormat::GraphPages].into_iter().enumerate() {
            let mut bytes = Vec::new();
            write(format, &sized_scenario(5 + i as u64, 2 << 20, format, 300), &mut bytes).unwrap();
            let path = dir.path().join(format!("{i}-{format:?}.dat"));
            std::fs::write(&path, bytes).unwrap();
            named.push(path);
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let broken = dir.path().join("sub/broken.ndjson");
        std::fs::write(&broken, b"{\"createdDateTime\":\"2026-01-01T00:00:00Z\",\"clientAppUsed\":\"POP3\"}\n{cut\n")
            .unwrap();
        named.push(broken);
        let job = |paths: Vec<PathBuf>| SummaryJob { paths, ..SummaryJob::default() };
        let json = |(report, problems): (Report, ProblemLog)| {
            (serde_json::to_value(&report).unwrap(), serde_json::to_value(&problems).unwrap())
        };
        let (files_seen, signins_seen) = (Cell::new(0u64), Cell::new(0u64));
        let watch = Watch {
            file_started: &mut |_, _| files_seen.set(files_seen.get() + 1),
            signins: &|n| signins_seen.set(signins_seen.get() + n),
            cancel: &AtomicBool::new(false),
        };
        let folder = run_summary_watched(&job(vec![dir.path().to_path_buf()]), watch).unwrap();
        // Every legacy sign-in was taken in (none is filtered out here), the modern ones passed over.
        let legacy: u64 = folder.0.rows.iter().map(|r| r.total).sum();
        assert_eq!((files_seen.get(), signins_seen.get()), (4, legacy));
        let one_by_one = run_summary(&job(named.clone()), &mut |_, _| {}).unwrap();
        let generic = run_summary_with(&job(named), &mut |_, _| {}, |sink| {
            read_paths(&[dir.path().to_path_buf()], &ReadOptions { legacy_only: true, ..Default::default() }, sink)
        })
        .unwrap();
        let folder = json(folder);
        assert_eq!(folder.1["total"], 1, "{:?}", folder.1);
        assert_eq!(folder, json(one_by_one));
        assert_eq!(folder, json(generic));
        let cancelled =
            run_summary_cancellable(&job(vec![dir.path().to_path_buf()]), &mut |_, _| {}, &AtomicBool::new(true));
        assert!(matches!(cancelled, Err(crate::Error::Cancelled)));
    }
}
