//! Observed usage for exposure, guard rails and the report: either summary rows an admin already
//! has (`exauth summary --format json`, `Measure-LegacyAuthUsage | ConvertTo-Json`) or raw
//! sign-in files, summarised here in one pass into every grouping the consumers need.
//!
//! A file is a summary when its first 8 KiB contain the `groupBy` key every `SummaryRow` has;
//! anything else (and every directory) goes to the sign-in readers, which detect their formats.

use std::collections::HashMap;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::run::ProblemLog;
use crate::analysis::{Analysis, Filter, GroupBy, SprayThresholds, SummaryRow};
use crate::catalogue::Protocol;
use crate::error::Error;
use crate::signin::{Problem, ReadOptions, ReadStats, SignIn, Sink, read_bytes, read_paths};
use crate::time::Timestamp;

/// Groupings computed from raw sign-ins (the report uses all of them).
pub const GROUPINGS: [GroupBy; 7] = GroupBy::ALL;

/// Legacy sign-ins of one protocol on one day (the report's time chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DayProtocol {
    pub day: String,
    pub protocol: String,
    pub total: u64,
    pub succeeded: u64,
}

/// Everything known about usage.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    rows: HashMap<GroupBy, Vec<SummaryRow>>,
    /// Per day and protocol; empty when only summary rows were given.
    pub day_protocol: Vec<DayProtocol>,
    /// Lower-cased UPN → Entra object id (from raw sign-ins), to match CA exclusions by id.
    pub user_ids: HashMap<String, String>,
    pub stats: ReadStats,
    pub problems: ProblemLog,
}

impl Usage {
    pub fn rows(&self, by: GroupBy) -> &[SummaryRow] {
        self.rows.get(&by).map_or(&[], Vec::as_slice)
    }

    pub fn has(&self, by: GroupBy) -> bool {
        self.rows.contains_key(&by)
    }

    pub fn is_empty(&self) -> bool {
        self.rows.values().all(Vec::is_empty)
    }

    /// Add rows (from a summary file); rows of a grouping already present are appended.
    pub fn add_rows(&mut self, rows: Vec<SummaryRow>) {
        for r in rows {
            self.rows.entry(r.group_by).or_default().push(r);
        }
    }

    /// The first and last sign-in seen, over the finest grouping available.
    pub fn period(&self) -> (Option<Timestamp>, Option<Timestamp>) {
        let rows = GROUPINGS.iter().map(|b| self.rows(*b)).find(|r| !r.is_empty()).unwrap_or(&[]);
        let first = rows.iter().filter_map(|r| r.first_seen).min();
        let last = rows.iter().filter_map(|r| r.last_seen).max();
        (first, last)
    }

    /// Rows per user × protocol, falling back to nothing when only other groupings were given.
    pub fn user_protocol(&self) -> &[SummaryRow] {
        self.rows(GroupBy::UserProtocol)
    }
}

/// Load usage from files and directories (summary JSON and raw sign-ins may be mixed).
pub fn load_usage(paths: &[PathBuf], filter: &Filter, thresholds: &SprayThresholds) -> crate::Result<Usage> {
    let mut usage = Usage::default();
    let mut raw = Vec::new();
    for p in paths {
        if is_summary_file(p)? {
            let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
            usage.add_rows(parse_summary(&p.display().to_string(), &bytes)?);
        } else {
            raw.push(p.clone());
        }
    }
    if !raw.is_empty() {
        let opts = ReadOptions { legacy_only: filter.excludes_modern(), ..ReadOptions::default() };
        let computed = summarise(filter, thresholds, |sink| read_paths(&raw, &opts, sink))?;
        merge_usage(&mut usage, computed);
    }
    Ok(usage)
}

/// Usage of in-memory sign-in bytes (the demo tenant).
pub fn usage_from_bytes(name: &str, bytes: &[u8], filter: &Filter) -> crate::Result<Usage> {
    let opts = ReadOptions { legacy_only: filter.excludes_modern(), ..ReadOptions::default() };
    summarise(filter, &SprayThresholds::default(), |sink| {
        let mut stats = ReadStats::default();
        let _ = read_bytes(name, bytes, &opts, sink, &mut stats);
        Ok(stats)
    })
}

fn merge_usage(into: &mut Usage, from: Usage) {
    for (by, rows) in from.rows {
        into.rows.entry(by).or_default().extend(rows);
    }
    into.day_protocol.extend(from.day_protocol);
    into.user_ids.extend(from.user_ids);
    into.stats.merge(&from.stats);
    into.problems.merge(from.problems);
}

fn is_summary_file(p: &Path) -> crate::Result<bool> {
    if p.is_dir() {
        return Ok(false);
    }
    let mut head = Vec::with_capacity(8192);
    let f = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
    f.take(8192).read_to_end(&mut head).map_err(|e| Error::io(p, e))?;
    let (text, _, _) = encoding_rs::UTF_8.decode(&head);
    Ok(text.contains("\"groupBy\""))
}

/// Parse summary rows: a JSON array of rows or the `summary` op's `{"rows":[…]}`.
pub fn parse_summary(name: &str, bytes: &[u8]) -> crate::Result<Vec<SummaryRow>> {
    let (text, _, _) = encoding_rs::UTF_8.decode(bytes);
    let v: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        Error::InvalidInput { target: name.to_owned(), message: format!("line {}: not valid JSON: {e}", e.line()) }
    })?;
    let rows = match v {
        serde_json::Value::Object(mut o) => o.remove("rows").unwrap_or(serde_json::Value::Null),
        other => other,
    };
    let arr = match rows {
        serde_json::Value::Array(a) => a,
        single @ serde_json::Value::Object(_) => vec![single],
        _ => {
            return Err(Error::InvalidInput {
                target: name.to_owned(),
                message: "expected an array of summary rows (exauth summary --format json)".into(),
            });
        }
    };
    arr.into_iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::from_value(r).map_err(|e| Error::InvalidInput {
                target: name.to_owned(),
                message: format!("row {}: not a summary row: {e}", i + 1),
            })
        })
        .collect()
}

struct UsageSink<'a> {
    analyses: &'a mut [Analysis],
    day_protocol: &'a mut HashMap<(String, Protocol), (u64, u64)>,
    user_ids: &'a mut HashMap<String, String>,
    problems: &'a mut ProblemLog,
}

impl Sink for UsageSink<'_> {
    fn signin(&mut self, s: SignIn) -> ControlFlow<()> {
        let Some(first) = self.analyses.first() else { return ControlFlow::Continue(()) };
        if !first.filter.matches(&s) {
            return ControlFlow::Continue(());
        }
        let e = self.day_protocol.entry((s.created_date_time.date_string(), s.protocol)).or_default();
        e.0 += 1;
        e.1 += u64::from(s.succeeded);
        if !s.user_id.is_empty() && !s.user_principal_name.is_empty() {
            self.user_ids.entry(s.user_principal_name.to_lowercase()).or_insert_with(|| s.user_id.clone());
        }
        for a in self.analyses.iter_mut() {
            a.add(&s);
        }
        ControlFlow::Continue(())
    }
    fn problem(&mut self, p: Problem) {
        self.problems.push(p);
    }
}

fn summarise(
    filter: &Filter,
    thresholds: &SprayThresholds,
    read: impl FnOnce(&mut dyn Sink) -> crate::Result<ReadStats>,
) -> crate::Result<Usage> {
    let mut analyses: Vec<Analysis> = GROUPINGS.iter().map(|b| Analysis::new(filter.clone(), *b)).collect();
    let mut day_protocol = HashMap::new();
    let mut usage = Usage::default();
    let stats = read(&mut UsageSink {
        analyses: &mut analyses,
        day_protocol: &mut day_protocol,
        user_ids: &mut usage.user_ids,
        problems: &mut usage.problems,
    })?;
    for a in analyses {
        let by = a.summary.group_by();
        usage.rows.insert(by, a.finish(thresholds, stats.clone()).rows);
    }
    let mut dp: Vec<DayProtocol> = day_protocol
        .into_iter()
        .map(|((day, p), (total, succeeded))| DayProtocol { day, protocol: p.name().to_owned(), total, succeeded })
        .collect();
    dp.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.protocol.cmp(&b.protocol)));
    usage.day_protocol = dp;
    usage.stats = stats;
    Ok(usage)
}

/// A small demo-shaped tenant (300 users, a week, a spray) for fast tests.
#[cfg(test)]
pub(crate) fn small_signins() -> Vec<u8> {
    use crate::demo::{Scenario, scenario_ndjson};
    scenario_ndjson(&Scenario {
        users: 300,
        days: 7,
        legacy_users: 20,
        spray_ips: 3,
        spray_targets: 60,
        ..Scenario::demo()
    })
}

/// A user × protocol usage row for tests.
#[cfg(test)]
pub(crate) fn test_row(upn: &str, protocol: &str, ok: u64, failed: u64) -> SummaryRow {
    use crate::analysis::Assessment;
    SummaryRow {
        group_by: GroupBy::UserProtocol,
        key: upn.into(),
        user_principal_name: upn.into(),
        client_app_used: String::new(),
        protocol: protocol.into(),
        app_display_name: String::new(),
        ip_address: String::new(),
        country_or_region: String::new(),
        day: String::new(),
        total: ok + failed,
        succeeded: ok,
        failed,
        first_seen: None,
        last_seen: None,
        last_success: None,
        distinct_ip_count: 1,
        distinct_user_count: 1,
        interactive: 0,
        non_interactive: ok + failed,
        ropc: 0,
        countries: vec![],
        user_agents: vec![],
        apps: vec![],
        protocols: vec![protocol.into()],
        error_codes: vec![],
        spray_ip_count: 0,
        assessment: if ok > 0 { Assessment::Migrate } else { Assessment::FailuresOnly },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_rows_round_trip_and_raw_is_summarised_in_every_grouping() {
        let bytes = small_signins();
        let u = usage_from_bytes("demo.ndjson", &bytes, &Filter::default()).unwrap();
        for by in GROUPINGS {
            assert!(!u.rows(by).is_empty(), "{by:?}");
        }
        let total: u64 = u.rows(GroupBy::Protocol).iter().map(|r| r.total).sum();
        assert_eq!(total, u.day_protocol.iter().map(|d| d.total).sum::<u64>());
        assert!(!u.user_ids.is_empty());
        let json = serde_json::to_vec(u.rows(GroupBy::UserProtocol)).unwrap();
        let back = parse_summary("s.json", &json).unwrap();
        assert_eq!(back, u.rows(GroupBy::UserProtocol));
        let wrapped = serde_json::to_vec(&serde_json::json!({ "rows": back })).unwrap();
        assert_eq!(parse_summary("s.json", &wrapped).unwrap().len(), back.len());
        assert!(parse_summary("bad.json", b"[{\"x\":1}]").unwrap_err().to_string().contains("row 1"));
    }
}
