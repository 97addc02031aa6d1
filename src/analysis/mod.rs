//! Analysis: filters, summaries (by user × protocol, user, protocol, app, IP, country, day)
//! and attack detection (password spray, brute force), so admins migrate real users and block
//! attackers instead of migrating them.
//!
//! Every aggregate here is mergeable ([`Summary::merge`], [`spray::Detector::merge`]) so the
//! readers can aggregate chunks in parallel; memory grows with the number of distinct groups,
//! never with the number of records.

mod fastmap;
pub mod filter;
pub mod parallel;
pub mod parallel_csv;
pub mod run;
pub mod spray;
pub mod summary;
mod window;

pub use filter::{Filter, Outcome};
pub use spray::{Assessment, Detector, SprayThresholds};
pub use summary::{GroupBy, Summary, SummaryRow};

use serde::Serialize;

use crate::signin::{ReadStats, SignIn};

/// Groups and detector entries from which [`Analysis::merge`] merges the two on two threads.
const PARALLEL_MERGE_MIN: usize = 1_000;

/// Everything one analysis pass accumulates: the summary for the requested grouping and the
/// attack detector (always on, because every grouping's rows carry an assessment).
#[derive(Debug, Clone)]
pub struct Analysis {
    pub filter: Filter,
    pub summary: Summary,
    pub detector: Detector,
    /// Sign-ins offered to [`Analysis::add`], kept or not (for progress).
    pub offered: u64,
}

impl Analysis {
    pub fn new(filter: Filter, by: GroupBy) -> Self {
        Analysis { filter, summary: Summary::new(by), detector: Detector::default(), offered: 0 }
    }

    /// Add one sign-in if it passes the filter.
    pub fn add(&mut self, s: &SignIn) {
        self.offered += 1;
        if self.filter.matches(s) {
            self.summary.add(s);
            self.detector.add(s);
        }
    }

    pub fn merge(&mut self, other: Analysis) {
        self.offered += other.offered;
        if self.summary.group_count() == 0 && self.detector.is_empty() {
            // Nothing here yet (a run with one big file): take the other's maps as they are
            // instead of re-inserting every entry.
            self.summary = other.summary;
            self.detector = other.detector;
            return;
        }
        let Analysis { summary, detector, .. } = other;
        // The summary and the detector are independent: merge them side by side when both
        // have enough to do that a thread pays for itself (the end of a large parallel read).
        if summary.group_count().min(detector.entries()) >= PARALLEL_MERGE_MIN {
            std::thread::scope(|s| {
                s.spawn(|| self.summary.merge(summary));
                self.detector.merge(detector);
            });
        } else {
            self.summary.merge(summary);
            self.detector.merge(detector);
        }
    }

    /// Final rows, each with its attack assessment, sorted by the grouping's natural order.
    pub fn finish(self, thresholds: &SprayThresholds, stats: ReadStats) -> Report {
        let attacks = self.detector.finish(thresholds);
        let rows = self.summary.finish(&attacks);
        Report { rows, attacks, stats }
    }
}

/// The result of an analysis: rows, detected attacks, read statistics.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub rows: Vec<SummaryRow>,
    pub attacks: spray::Attacks,
    pub stats: ReadStats,
}
