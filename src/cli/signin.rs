//! `exauth summary | scan | catalogue | demo`.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::Value;

use super::output::{Format, write_json_rows, write_rows};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, finish_output};
use crate::analysis::run::{ProblemLog, SummaryJob, run_summary, run_summary_with};
use crate::analysis::{Filter, GroupBy, Outcome, Report, SprayThresholds};
use crate::catalogue::Protocol;
use crate::messages::{self, Lang};
use crate::signin::{Problem, ReadOptions, ReadStats, SignIn, Sink, read_bytes, read_paths};
use crate::time::Timestamp;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum By {
    UserProtocol,
    User,
    Protocol,
    App,
    Ip,
    Country,
    Day,
}

impl From<By> for GroupBy {
    fn from(b: By) -> GroupBy {
        match b {
            By::UserProtocol => GroupBy::UserProtocol,
            By::User => GroupBy::User,
            By::Protocol => GroupBy::Protocol,
            By::App => GroupBy::App,
            By::Ip => GroupBy::IP,
            By::Country => GroupBy::Country,
            By::Day => GroupBy::Day,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutcomeArg {
    Any,
    Success,
    Failure,
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only sign-ins at or after this time (ISO 8601, a date, or a relative age like 30d / 12h).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only sign-ins before this time.
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only these users (UPN; `*` wildcards; repeatable).
    #[arg(long = "user", value_name = "UPN")]
    pub users: Vec<String>,
    /// Only these protocols or client apps (SMTP, IMAP, POP, ActiveSync, EWS, MAPI, … or a clientAppUsed value; repeatable).
    #[arg(long = "protocol", value_name = "PROTOCOL")]
    pub protocols: Vec<String>,
    /// Only successes or only failures.
    #[arg(long, value_enum, default_value_t = OutcomeArg::Any)]
    pub outcome: OutcomeArg,
    /// Include modern-authentication sign-ins (default: legacy only).
    #[arg(long)]
    pub include_modern: bool,
}

/// Parse `--since/--until`: a timestamp, or an age relative to now (`30d`, `12h`, `90m`).
pub fn parse_time_arg(s: &str) -> Result<Timestamp, String> {
    let t = s.trim();
    if let Some(n) = t.strip_suffix(['d', 'h', 'm']).and_then(|n| n.parse::<i64>().ok()) {
        let unit = match t.as_bytes()[t.len() - 1] {
            b'd' => 86_400,
            b'h' => 3_600,
            _ => 60,
        };
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        return Ok(Timestamp::from_unix_seconds(now - n * unit));
    }
    Timestamp::parse(t).ok_or_else(|| {
        format!("'{s}' is not a time: expected ISO 8601 (2026-11-01, 2026-11-01T09:00:00Z) or an age (30d, 12h)")
    })
}

impl FilterArgs {
    pub fn to_filter(&self) -> Result<Filter, String> {
        let protocols = self
            .protocols
            .iter()
            .map(|p| Protocol::from_name(p).ok_or_else(|| format!("unknown protocol '{p}': see 'exauth catalogue'")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Filter {
            since: self.since.as_deref().map(parse_time_arg).transpose()?,
            until: self.until.as_deref().map(parse_time_arg).transpose()?,
            users: self.users.clone(),
            protocols,
            outcome: match self.outcome {
                OutcomeArg::Any => Outcome::Any,
                OutcomeArg::Success => Outcome::Success,
                OutcomeArg::Failure => Outcome::Failure,
            },
            include_modern: self.include_modern,
        })
    }
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Files or directories of sign-in logs (any supported format; `-` reads stdin).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Grouping.
    #[arg(long, value_enum, default_value_t = By::UserProtocol)]
    pub by: By,
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print every problem found (default: the first 20).
    #[arg(long)]
    pub problems: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[arg(long, short, value_enum, default_value_t = Format::Ndjson)]
    pub format: Format,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long)]
    pub problems: bool,
}

#[derive(Debug, Args)]
pub struct CatalogueArgs {
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[arg(long, value_enum, default_value_t = By::UserProtocol)]
    pub by: By,
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the demo tenant's sign-ins (Graph NDJSON) to this file instead of summarising.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
}

/// Columns of the summary table and CSV for a grouping.
pub fn summary_columns(by: GroupBy, lang: Lang) -> Vec<(&'static str, &'static str)> {
    let ja = lang == Lang::Ja;
    let mut cols: Vec<(&'static str, &'static str)> = match by {
        GroupBy::UserProtocol => vec![
            ("userPrincipalName", if ja { "ユーザー" } else { "User" }),
            ("protocol", if ja { "プロトコル" } else { "Protocol" }),
        ],
        GroupBy::User => vec![
            ("userPrincipalName", if ja { "ユーザー" } else { "User" }),
            ("protocols", if ja { "プロトコル" } else { "Protocols" }),
        ],
        GroupBy::Protocol => {
            vec![("protocol", if ja { "プロトコル" } else { "Protocol" }), ("clientAppUsed", "clientAppUsed")]
        }
        GroupBy::App => vec![
            ("appDisplayName", if ja { "アプリ" } else { "App" }),
            ("protocols", if ja { "プロトコル" } else { "Protocols" }),
        ],
        GroupBy::IP => vec![
            ("ipAddress", "IP"),
            ("countries", if ja { "国" } else { "Country" }),
            ("protocols", if ja { "プロトコル" } else { "Protocols" }),
        ],
        GroupBy::Country => vec![
            ("countryOrRegion", if ja { "国" } else { "Country" }),
            ("protocols", if ja { "プロトコル" } else { "Protocols" }),
        ],
        GroupBy::Day => {
            vec![("day", if ja { "日付" } else { "Day" }), ("protocols", if ja { "プロトコル" } else { "Protocols" })]
        }
    };
    cols.extend([
        ("total", if ja { "合計" } else { "Total" }),
        ("succeeded", if ja { "成功" } else { "OK" }),
        ("failed", if ja { "失敗" } else { "Failed" }),
    ]);
    if !matches!(by, GroupBy::UserProtocol | GroupBy::User) {
        cols.push(("distinctUserCount", if ja { "ユーザー数" } else { "Users" }));
    }
    if by != GroupBy::IP {
        cols.push(("distinctIpCount", if ja { "IP 数" } else { "IPs" }));
    }
    if by == GroupBy::UserProtocol {
        cols.push(("countries", if ja { "国" } else { "Countries" }));
    }
    cols.extend([
        ("lastSeen", if ja { "最終" } else { "Last seen" }),
        ("assessment", if ja { "判定" } else { "Assessment" }),
    ]);
    cols
}

pub(super) fn report_problems(ctx: &Ctx, problems: &ProblemLog, stats: &ReadStats, all: bool) {
    let shown = if all { problems.kept.len() } else { problems.kept.len().min(20) };
    for p in &problems.kept[..shown] {
        eprintln!("exauth: {}", p.text(ctx.lang));
    }
    let hidden = problems.total - shown as u64;
    if hidden > 0 {
        eprintln!("exauth: {}", messages::format("read.problems_hidden", ctx.lang, &[("count", &hidden)]));
    }
    // The counts line goes to stderr when there were problems, and always on a terminal.
    if problems.total > 0 || ctx.progress {
        eprintln!(
            "exauth: {}",
            messages::format(
                "read.summary",
                ctx.lang,
                &[
                    ("files", &stats.files),
                    ("records", &stats.records),
                    ("skipped", &stats.skipped),
                    ("problems", &problems.total)
                ]
            )
        );
    }
}

fn exit_for(problems: &ProblemLog) -> u8 {
    if problems.total > 0 { EXIT_PROBLEMS } else { EXIT_OK }
}

fn print_summary(ctx: &Ctx, report: &Report, by: GroupBy, format: Format) -> Result<(), u8> {
    // Buffered: stdout is line-buffered, and a pretty JSON summary has a line per field.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // JSON straight from the rows: same text as through `Value` (SummaryRow declares its fields
    // in key order), without a map per row on the serial end of a big run.
    if matches!(format, Format::Json | Format::Ndjson) {
        finish_output(write_json_rows(&mut out, format, &report.rows))?;
        return finish_output(out.flush());
    }
    let rows: Vec<Value> = report.rows.iter().map(|r| serde_json::to_value(r).expect("rows serialise")).collect();
    if format == Format::Table && rows.is_empty() {
        return finish_output(writeln!(out, "{}", messages::text("cli.no_rows", ctx.lang)));
    }
    finish_output(write_rows(&mut out, format, &rows, &summary_columns(by, ctx.lang)))?;
    if format == Format::Table && !report.attacks.spray_ips.is_empty() {
        let ja = ctx.lang == Lang::Ja;
        let spray: Vec<Value> =
            report.attacks.spray_ips.iter().map(|s| serde_json::to_value(s).expect("serialise")).collect();
        finish_output(writeln!(out, "\n{}", if ja { "パスワード スプレー元の IP:" } else { "Password-spray IPs:" }))?;
        finish_output(write_rows(
            &mut out,
            Format::Table,
            &spray,
            &[
                ("ipAddress", "IP"),
                ("targetedUserCount", if ja { "対象ユーザー" } else { "Users targeted" }),
                ("failures", if ja { "失敗" } else { "Failures" }),
                ("firstSeen", if ja { "初回" } else { "First seen" }),
                ("lastSeen", if ja { "最終" } else { "Last seen" }),
                ("compromisedUsers", if ja { "侵害の疑い" } else { "Compromise suspected" }),
            ],
        ))?;
    }
    finish_output(out.flush())
}

pub fn summary(ctx: &Ctx, a: SummaryArgs) -> u8 {
    let filter = match a.filter.to_filter() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("exauth: {e}");
            return EXIT_USAGE;
        }
    };
    let by = GroupBy::from(a.by);
    let job = SummaryJob { paths: a.paths, filter, by, thresholds: SprayThresholds::default(), lang: ctx.lang };
    let result =
        run_summary(&job, &mut |path, bytes| ctx.progress(&format!("reading {path} ({:.1} MB)", bytes as f64 / 1e6)));
    ctx.progress_done();
    let (report, problems) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("exauth: {e}");
            return EXIT_FAILED;
        }
    };
    if let Err(code) = print_summary(ctx, &report, by, a.format) {
        return code;
    }
    report_problems(ctx, &problems, &report.stats, a.problems);
    let code = if report.stats.files > 0 && report.stats.files == report.stats.failed_files {
        EXIT_FAILED
    } else {
        exit_for(&problems)
    };
    // The process ends next: freeing every row's strings and sets one by one is wasted time
    // at the end of a large run (the OS takes the whole heap back at once).
    std::mem::forget(report);
    code
}

/// Streams records straight to stdout as they are read (NDJSON) or collects them (other formats).
struct ScanSink<'a> {
    filter: Filter,
    format: Format,
    out: &'a mut dyn Write,
    rows: Vec<Value>,
    problems: ProblemLog,
    write_error: Option<std::io::Error>,
}

impl Sink for ScanSink<'_> {
    fn signin(&mut self, s: SignIn) -> ControlFlow<()> {
        if !self.filter.matches(&s) {
            return ControlFlow::Continue(());
        }
        if self.format == Format::Ndjson {
            let r = serde_json::to_writer(&mut *self.out, &s)
                .map_err(std::io::Error::other)
                .and_then(|_| self.out.write_all(b"\n"));
            if let Err(e) = r {
                self.write_error = Some(e);
                return ControlFlow::Break(());
            }
        } else {
            self.rows.push(serde_json::to_value(&s).expect("records serialise"));
        }
        ControlFlow::Continue(())
    }
    fn problem(&mut self, p: Problem) {
        self.problems.push(p);
    }
}

pub const SCAN_COLUMNS: &[(&str, &str)] = &[
    ("createdDateTime", "Time (UTC)"),
    ("userPrincipalName", "User"),
    ("protocol", "Protocol"),
    ("succeeded", "OK"),
    ("errorCode", "Error"),
    ("ipAddress", "IP"),
    ("countryOrRegion", "Country"),
    ("userAgent", "User agent"),
];

pub fn scan(ctx: &Ctx, a: ScanArgs) -> u8 {
    let filter = match a.filter.to_filter() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("exauth: {e}");
            return EXIT_USAGE;
        }
    };
    let opts = ReadOptions { legacy_only: filter.excludes_modern(), lang: ctx.lang };
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    let mut sink = ScanSink {
        filter,
        format: a.format,
        out: &mut lock,
        rows: Vec::new(),
        problems: ProblemLog::default(),
        write_error: None,
    };
    let stats = match read_paths(&a.paths, &opts, &mut sink) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("exauth: {e}");
            return EXIT_FAILED;
        }
    };
    if let Some(e) = sink.write_error.take()
        && let Err(code) = finish_output(Err(e))
    {
        return code;
    }
    let (rows, problems) = (std::mem::take(&mut sink.rows), std::mem::take(&mut sink.problems));
    drop(sink);
    if a.format != Format::Ndjson
        && let Err(code) = finish_output(write_rows(&mut lock, a.format, &rows, SCAN_COLUMNS))
    {
        return code;
    }
    if let Err(code) = finish_output(lock.flush()) {
        return code;
    }
    report_problems(ctx, &problems, &stats, a.problems);
    exit_for(&problems)
}

pub fn catalogue(ctx: &Ctx, a: CatalogueArgs) -> u8 {
    let rows = match crate::ops::signin::catalogue(&Value::Null, ctx.lang) {
        Ok(Value::Array(r)) => r,
        _ => return EXIT_FAILED,
    };
    let cols: &[(&str, &str)] = &[
        ("clientAppUsed", "clientAppUsed"),
        ("protocol", "Protocol"),
        ("isLegacy", "Legacy"),
        ("conditionalAccessBucket", "CA bucket"),
        ("authPolicySwitch", "Auth policy switch"),
        ("mailboxSwitch", "Mailbox switch"),
    ];
    let mut out = std::io::stdout().lock();
    match finish_output(write_rows(&mut out, a.format, &rows, cols)) {
        Ok(()) => EXIT_OK,
        Err(c) => c,
    }
}

pub fn demo(ctx: &Ctx, a: DemoArgs) -> u8 {
    let bytes = crate::demo::demo_ndjson();
    if let Some(path) = a.write {
        return match std::fs::write(&path, &bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("exauth: {}: {e}", path.display());
                EXIT_FAILED
            }
        };
    }
    let by = GroupBy::from(a.by);
    let job = SummaryJob {
        paths: vec![],
        filter: Filter::default(),
        by,
        thresholds: SprayThresholds::default(),
        lang: ctx.lang,
    };
    let opts = ReadOptions { legacy_only: true, lang: ctx.lang };
    let result = run_summary_with(&job, &mut |_, _| {}, |sink| {
        let mut stats = ReadStats::default();
        let _ = read_bytes("demo-tenant.ndjson", &bytes, &opts, sink, &mut stats);
        Ok(stats)
    });
    let (report, problems) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("exauth: {e}");
            return EXIT_FAILED;
        }
    };
    if let Err(code) = print_summary(ctx, &report, by, a.format) {
        return code;
    }
    // Scripts get only the rows; a person at a terminal also sees what was read.
    if ctx.progress {
        report_problems(ctx, &problems, &report.stats, false);
    }
    exit_for(&problems)
}
